//! Crossing reduction: a depth-first initial order (so Choice rules read left to right in
//! rule order), then barycenter sweeps down and up plus adjacent swaps, keeping the best order
//! seen by exact crossing count.

use super::graph::Adjacency;

/// Vertex ids per rank, left to right.
pub(super) type Ranks = Vec<Vec<usize>>;

/// Graphs up to this many vertices also get the (quadratic per rank) swap refinement.
const TRANSPOSE_LIMIT: usize = 3000;

/// Lanes that must stay right beside a vertex (loops back), per vertex, in their order.
pub(super) struct SideLanes {
    pub of: Vec<Vec<usize>>,
    pub is_side: Vec<bool>,
}

impl SideLanes {
    pub fn new(of: Vec<Vec<usize>>) -> Self {
        let mut is_side = vec![false; of.len()];
        for &l in of.iter().flatten() {
            if let Some(s) = is_side.get_mut(l) {
                *s = true;
            }
        }
        Self { of, is_side }
    }

    /// Moves every side lane of the rank right after its owner.
    fn attach(&self, rank: &mut Vec<usize>) {
        if !rank.iter().any(|&v| self.is_side.get(v) == Some(&true)) {
            return;
        }
        let mut out = Vec::with_capacity(rank.len());
        for &v in rank.iter() {
            if self.is_side.get(v) == Some(&true) {
                continue;
            }
            out.push(v);
            if let Some(lanes) = self.of.get(v) {
                out.extend(lanes.iter().copied());
            }
        }
        *rank = out;
    }

    fn pinned(&self, v: usize) -> bool {
        self.is_side.get(v) == Some(&true) || self.of.get(v).is_some_and(|l| !l.is_empty())
    }
}

/// Orders every rank. `rank_of[v]` is the rank of vertex `v`; `start` seeds the initial order.
///
/// Two starts are tried: depth-first in edge order (rule order left to right), and its mirror;
/// the mirror wins only with strictly fewer crossings.
pub(super) fn order(
    rank_of: &[usize],
    rank_count: usize,
    adj: &Adjacency,
    side: &SideLanes,
    start: usize,
    sweeps: usize,
) -> Ranks {
    let (best, crossings) = improve(
        initial_order(rank_of, rank_count, adj, start, false),
        rank_of.len(),
        adj,
        side,
        sweeps,
    );
    if crossings == 0 {
        return best;
    }
    let (mirrored, mirrored_crossings) = improve(
        initial_order(rank_of, rank_count, adj, start, true),
        rank_of.len(),
        adj,
        side,
        sweeps,
    );
    if mirrored_crossings < crossings {
        mirrored
    } else {
        best
    }
}

/// Barycenter sweeps down and up (plus adjacent swaps on smaller graphs) from `ranks`;
/// returns the best order seen and its crossing count.
fn improve(
    mut ranks: Ranks,
    n: usize,
    adj: &Adjacency,
    side: &SideLanes,
    sweeps: usize,
) -> (Ranks, usize) {
    ranks.iter_mut().for_each(|r| side.attach(r));
    let mut pos = positions(&ranks, n);
    let mut best = ranks.clone();
    let mut best_crossings = count_all(&ranks, &pos, adj);
    let transpose = n <= TRANSPOSE_LIMIT;
    let mut stale = 0;
    for _ in 0..sweeps {
        if best_crossings == 0 || stale >= 3 {
            break;
        }
        for rank in ranks.iter_mut().skip(1) {
            reorder_rank(rank, &mut pos, &adj.up, side);
        }
        let below = ranks.len().saturating_sub(1);
        for rank in ranks.iter_mut().take(below).rev() {
            reorder_rank(rank, &mut pos, &adj.down, side);
        }
        if transpose {
            transpose_ranks(&mut ranks, &mut pos, adj, side);
        }
        let crossings = count_all(&ranks, &pos, adj);
        if crossings < best_crossings {
            best_crossings = crossings;
            best.clone_from(&ranks);
            stale = 0;
        } else {
            stale += 1;
        }
    }
    (best, best_crossings)
}

fn positions(ranks: &Ranks, n: usize) -> Vec<usize> {
    let mut pos = vec![0; n];
    for rank in ranks {
        for (i, &v) in rank.iter().enumerate() {
            if let Some(p) = pos.get_mut(v) {
                *p = i;
            }
        }
    }
    pos
}

/// Depth-first from the start following lanes in edge order; leftovers (unreachable parts)
/// follow in id order.
fn initial_order(
    rank_of: &[usize],
    rank_count: usize,
    adj: &Adjacency,
    start: usize,
    mirrored: bool,
) -> Ranks {
    let n = rank_of.len();
    let mut ranks: Ranks = vec![Vec::new(); rank_count];
    let mut seen = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let roots = std::iter::once(start).chain(0..n);
    for root in roots {
        if root >= n || seen[root] {
            continue;
        }
        stack.push(root);
        while let Some(v) = stack.pop() {
            if seen[v] {
                continue;
            }
            seen[v] = true;
            if let Some(rank) = ranks.get_mut(rank_of[v]) {
                rank.push(v);
            }
            // Pushed in reverse so the first lane is visited first (last when mirrored).
            let lanes = &adj.down[v];
            let push = |w: &usize| (!seen[*w]).then_some(*w);
            if mirrored {
                stack.extend(lanes.iter().filter_map(push));
            } else {
                stack.extend(lanes.iter().rev().filter_map(push));
            }
        }
    }
    ranks
}

/// Sorts one rank by the mean position of each vertex's neighbours on the fixed rank.
/// Vertices without neighbours there keep their slot.
fn reorder_rank(
    rank: &mut Vec<usize>,
    pos: &mut [usize],
    neighbors: &[Vec<usize>],
    side: &SideLanes,
) {
    let mut movable: Vec<(f64, usize, usize)> = Vec::new();
    for (slot, &v) in rank.iter().enumerate() {
        let nb = &neighbors[v];
        if !nb.is_empty() {
            let sum: usize = nb.iter().map(|&u| pos[u]).sum();
            movable.push((sum as f64 / nb.len() as f64, slot, v));
        }
    }
    // Stable on ties: the previous order (rule order at first) survives.
    movable.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut sorted = movable.into_iter();
    for slot in 0..rank.len() {
        if !neighbors[rank[slot]].is_empty()
            && let Some((_, _, v)) = sorted.next()
        {
            rank[slot] = v;
        }
    }
    side.attach(rank);
    for (i, &v) in rank.iter().enumerate() {
        pos[v] = i;
    }
}

/// Swaps neighbouring vertices while that removes crossings (vertices tied to side lanes
/// stay put).
fn transpose_ranks(ranks: &mut Ranks, pos: &mut [usize], adj: &Adjacency, side: &SideLanes) {
    for _ in 0..4 {
        let mut improved = false;
        for rank in ranks.iter_mut() {
            for i in 1..rank.len() {
                let (a, b) = (rank[i - 1], rank[i]);
                if side.pinned(a) || side.pinned(b) {
                    continue;
                }
                let now = pair_crossings(a, b, pos, adj);
                let swapped = pair_crossings(b, a, pos, adj);
                if swapped < now {
                    rank.swap(i - 1, i);
                    pos[a] = i;
                    pos[b] = i - 1;
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// Crossings among the edges of `left` and `right` when `left` is placed first.
fn pair_crossings(left: usize, right: usize, pos: &[usize], adj: &Adjacency) -> usize {
    let count = |nb: &[Vec<usize>]| {
        let mut c = 0;
        for &x in &nb[left] {
            for &y in &nb[right] {
                if pos[x] > pos[y] {
                    c += 1;
                }
            }
        }
        c
    };
    count(&adj.up) + count(&adj.down)
}

/// Total crossings between all consecutive ranks.
pub(super) fn count_all(ranks: &Ranks, pos: &[usize], adj: &Adjacency) -> usize {
    ranks
        .windows(2)
        .map(|pair| {
            let mut lanes: Vec<(usize, usize)> = pair[0]
                .iter()
                .flat_map(|&u| adj.down[u].iter().map(move |&v| (pos[u], pos[v])))
                .collect();
            lanes.sort_unstable();
            let targets: Vec<usize> = lanes.iter().map(|&(_, p)| p).collect();
            inversions(&targets, pair[1].len())
        })
        .sum()
}

/// Pairs `i < j` with `values[i] > values[j]`, via a Fenwick tree (values below `bound`).
pub(super) fn inversions(values: &[usize], bound: usize) -> usize {
    if bound == 0 {
        return 0;
    }
    let mut tree = vec![0usize; bound + 1];
    let mut count = 0;
    for (seen, &v) in values.iter().enumerate() {
        // Earlier values <= v:
        let mut i = v.min(bound - 1) + 1;
        let mut le = 0;
        while i > 0 {
            le += tree[i];
            i &= i - 1;
        }
        count += seen - le;
        let mut i = v.min(bound - 1) + 1;
        while i <= bound {
            tree[i] += 1;
            i += i & i.wrapping_neg();
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adjacency(n: usize, edges: &[(usize, usize)]) -> Adjacency {
        let mut up = vec![Vec::new(); n];
        let mut down = vec![Vec::new(); n];
        for &(a, b) in edges {
            down[a].push(b);
            up[b].push(a);
        }
        Adjacency { up, down }
    }

    fn no_side(n: usize) -> SideLanes {
        SideLanes::new(vec![Vec::new(); n])
    }

    #[test]
    fn side_lanes_stay_beside_their_owner() {
        // 0 -> 1, 0 -> 2 on rank 1; lane 3 belongs right of 1, lane 4 (rank 2) continues it.
        let adj = adjacency(6, &[(0, 1), (0, 2), (3, 4), (2, 5)]);
        let mut of = vec![Vec::new(); 6];
        of[1] = vec![3];
        let side = SideLanes::new(of);
        let ranks = order(&[0, 1, 1, 1, 2, 2], 3, &adj, &side, 0, 8);
        let r1 = &ranks[1];
        let p1 = r1.iter().position(|&v| v == 1).unwrap();
        assert_eq!(r1.get(p1 + 1), Some(&3), "{ranks:?}");
    }

    #[test]
    fn counts_inversions() {
        assert_eq!(inversions(&[0, 1, 2], 3), 0);
        assert_eq!(inversions(&[2, 1, 0], 3), 3);
        assert_eq!(inversions(&[1, 1, 0], 2), 2);
    }

    #[test]
    fn counts_crossings_between_ranks() {
        // a b on top, c d below; a-d and b-c cross once.
        let adj = adjacency(4, &[(0, 3), (1, 2)]);
        let ranks = vec![vec![0, 1], vec![2, 3]];
        let pos = positions(&ranks, 4);
        assert_eq!(count_all(&ranks, &pos, &adj), 1);
    }

    #[test]
    fn removes_an_avoidable_crossing() {
        // 0 -> {1, 2}; 1 -> 4, 2 -> 3 where 3 is visited first through another path.
        //        0
        //      1   2
        //      4   3      (initial DFS would give 1,2 / 4,3; crossing-free already)
        // Force a bad start: 5 -> 3 first, so 3 lands left of 4.
        let adj = adjacency(6, &[(5, 3), (0, 1), (0, 2), (1, 4), (2, 3)]);
        let rank_of = [0, 1, 1, 2, 2, 1];
        let ranks = order(&rank_of, 3, &adj, &no_side(6), 5, 8);
        let pos = positions(&ranks, 6);
        assert_eq!(count_all(&ranks, &pos, &adj), 0);
    }

    #[test]
    fn choice_children_keep_rule_order() {
        // Choice 0 with rules to 1, 2, 3 in that order.
        let adj = adjacency(4, &[(0, 1), (0, 2), (0, 3)]);
        let ranks = order(&[0, 1, 1, 1], 2, &adj, &no_side(4), 0, 8);
        assert_eq!(ranks[1], vec![1, 2, 3]);
    }

    #[test]
    fn every_vertex_is_ordered_once() {
        let adj = adjacency(5, &[(0, 1), (3, 4)]);
        let ranks = order(&[0, 1, 0, 0, 1], 2, &adj, &no_side(5), 0, 4);
        let mut all: Vec<usize> = ranks.concat();
        all.sort_unstable();
        assert_eq!(all, vec![0, 1, 2, 3, 4]);
    }
}
