//! Horizontal coordinates by Brandes & Köpf ("Fast and Simple Horizontal Coordinate
//! Assignment", 2001): four greedy vertical alignments (up/down × left/right), each compacted
//! on a block graph (the variant of the 2020 erratum, which avoids the class-shift bug), then
//! balanced. Long edges become straight lanes and a state sits above the median of its
//! successors, so a Choice ends up centred over its fan-out.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::VecDeque;

use super::graph::Adjacency;
use super::order::Ranks;

/// What coordinate assignment needs to know about one vertex.
#[derive(Clone, Copy, Debug)]
pub(super) struct Extent {
    pub left: f64,
    pub right: f64,
    /// Half of the free space wanted on either side.
    pub margin: f64,
    pub dummy: bool,
    /// A lane of a Catch edge: aligned with only when no other edge is at hand.
    pub weak: bool,
    /// A lane shared by several edges: continues straight along other shared lanes.
    pub trunk: bool,
}

/// Returns the x (centre line) of every vertex; the leftmost extent is at 0.
pub(super) fn assign_x(ranks: &Ranks, ext: &[Extent], adj: &Adjacency) -> Vec<f64> {
    let conflicts = type1_conflicts(ranks, ext, adj);

    let mut candidates: Vec<Vec<f64>> = Vec::with_capacity(4);
    for downward in [false, true] {
        for rightward in [false, true] {
            let mut layering: Ranks = ranks.clone();
            if downward {
                layering.reverse();
            }
            if rightward {
                layering.iter_mut().for_each(|r| r.reverse());
            }
            let neighbors = if downward { &adj.down } else { &adj.up };
            let root = vertical_alignment(&layering, neighbors, &conflicts, ext);
            let mut xs = compaction(&layering, &root, ext, rightward);
            if rightward {
                xs.iter_mut().for_each(|x| *x = -*x);
            }
            candidates.push(xs);
        }
    }
    let xs = balance(&candidates, ext, ranks);
    let mut xs = enforce_separation(ranks, ext, xs);
    let min = ranks
        .iter()
        .flatten()
        .map(|&v| xs[v] - ext[v].left)
        .fold(f64::INFINITY, f64::min);
    if min.is_finite() {
        xs.iter_mut().for_each(|x| *x -= min);
    }
    xs
}

fn separation(a: &Extent, b: &Extent) -> f64 {
    a.right + a.margin + b.margin + b.left
}

fn key(a: usize, b: usize) -> (usize, usize) {
    (a.min(b), a.max(b))
}

/// Marks edges that cross an inner segment (dummy to dummy): those may not be aligned, so
/// long edges stay straight.
fn type1_conflicts(ranks: &Ranks, ext: &[Extent], adj: &Adjacency) -> HashSet<(usize, usize)> {
    let mut pos = vec![0usize; ext.len()];
    for rank in ranks {
        for (i, &v) in rank.iter().enumerate() {
            pos[v] = i;
        }
    }
    let mut conflicts = HashSet::default();
    for r in 1..ranks.len() {
        let (prev, layer) = (&ranks[r - 1], &ranks[r]);
        let mut k0 = 0usize;
        let mut scan = 0usize;
        for (l1, &v) in layer.iter().enumerate() {
            let inner = if ext[v].dummy {
                adj.up[v].iter().copied().find(|&u| ext[u].dummy)
            } else {
                None
            };
            if inner.is_none() && l1 + 1 != layer.len() {
                continue;
            }
            let k1 = inner.map_or(prev.len(), |w| pos[w]);
            for &s in &layer[scan..=l1] {
                for &u in &adj.up[s] {
                    let p = pos[u];
                    if (p < k0 || k1 < p) && !(ext[u].dummy && ext[s].dummy) {
                        conflicts.insert(key(u, s));
                    }
                }
            }
            scan = l1 + 1;
            k0 = k1;
        }
    }
    conflicts
}

fn vertical_alignment(
    layering: &Ranks,
    neighbors: &[Vec<usize>],
    conflicts: &HashSet<(usize, usize)>,
    ext: &[Extent],
) -> Vec<usize> {
    let n = ext.len();
    let mut root: Vec<usize> = (0..n).collect();
    let mut align: Vec<usize> = (0..n).collect();
    let mut pos = vec![0usize; n];
    for rank in layering {
        for (i, &v) in rank.iter().enumerate() {
            pos[v] = i;
        }
    }
    for rank in layering {
        let mut prev: Option<usize> = None;
        for &v in rank {
            let mut ws: Vec<usize> = neighbors[v].clone();
            ws.sort_unstable_by_key(|&w| pos[w]);
            ws.dedup();
            // A bus trunk stays straight; the main flow (Next, Choice rules) stays straight
            // and Catch lanes bend.
            if ext[v].trunk && ws.iter().any(|&w| ext[w].trunk) {
                ws.retain(|&w| ext[w].trunk);
            } else if ws.iter().any(|&w| !ext[w].weak) && ws.iter().any(|&w| ext[w].weak) {
                ws.retain(|&w| !ext[w].weak);
            }
            if ws.is_empty() {
                continue;
            }
            let lo = (ws.len() - 1) / 2;
            let hi = ws.len() / 2;
            for &w in &ws[lo..=hi] {
                if align[v] == v
                    && prev.is_none_or(|p| p < pos[w])
                    && !conflicts.contains(&key(v, w))
                {
                    align[w] = v;
                    root[v] = root[w];
                    align[v] = root[v];
                    prev = Some(pos[w]);
                }
            }
        }
    }
    root
}

/// Places blocks (aligned vertices) as far left as separation allows, then pulls each block
/// right towards its right neighbours so isolated blocks do not cling to the left.
fn compaction(layering: &Ranks, root: &[usize], ext: &[Extent], reversed: bool) -> Vec<f64> {
    let n = ext.len();
    // Block graph: edge root(u) -> root(v) for neighbours u, v in a rank (u first).
    let mut weights: HashMap<(usize, usize), f64> = HashMap::default();
    for rank in layering {
        for pair in rank.windows(2) {
            let (u, v) = (pair[0], pair[1]);
            let sep = if reversed {
                separation(&ext[v], &ext[u])
            } else {
                separation(&ext[u], &ext[v])
            };
            let w = weights.entry((root[u], root[v])).or_insert(sep);
            *w = w.max(sep);
        }
    }
    let mut succ: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    let mut pred: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    let mut indegree = vec![0usize; n];
    let mut edges: Vec<(&(usize, usize), &f64)> = weights.iter().collect();
    edges.sort_unstable_by_key(|(k, _)| **k);
    for (&(a, b), &w) in edges {
        succ[a].push((b, w));
        pred[b].push((a, w));
        indegree[b] += 1;
    }
    let blocks: Vec<usize> = (0..n).filter(|&v| root[v] == v).collect();
    let mut topo = Vec::with_capacity(blocks.len());
    let mut queue: VecDeque<usize> = blocks
        .iter()
        .copied()
        .filter(|&b| indegree[b] == 0)
        .collect();
    while let Some(b) = queue.pop_front() {
        topo.push(b);
        for &(s, _) in &succ[b] {
            indegree[s] = indegree[s].saturating_sub(1);
            if indegree[s] == 0 {
                queue.push_back(s);
            }
        }
    }
    // A cycle would mean a broken alignment; still place every block somewhere.
    if topo.len() < blocks.len() {
        let placed: HashSet<usize> = topo.iter().copied().collect();
        topo.extend(blocks.iter().copied().filter(|b| !placed.contains(b)));
    }

    let mut xs = vec![0.0f64; n];
    for &b in &topo {
        xs[b] = pred[b].iter().map(|&(p, w)| xs[p] + w).fold(0.0, f64::max);
    }
    for &b in topo.iter().rev() {
        let limit = succ[b]
            .iter()
            .map(|&(s, w)| xs[s] - w)
            .fold(f64::INFINITY, f64::min);
        if limit.is_finite() {
            xs[b] = xs[b].max(limit);
        }
    }
    (0..n).map(|v| xs[root[v]]).collect()
}

/// Aligns the four candidates to the narrowest one and averages the two middle values.
fn balance(candidates: &[Vec<f64>], ext: &[Extent], ranks: &Ranks) -> Vec<f64> {
    let n = ext.len();
    let bounds: Vec<(f64, f64)> = candidates
        .iter()
        .map(|xs| {
            ranks
                .iter()
                .flatten()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                    (lo.min(xs[v] - ext[v].left), hi.max(xs[v] + ext[v].right))
                })
        })
        .collect();
    let narrowest = bounds
        .iter()
        .enumerate()
        .min_by(|a, b| (a.1.1 - a.1.0).total_cmp(&(b.1.1 - b.1.0)))
        .map_or(0, |(i, _)| i);
    let (ref_lo, ref_hi) = bounds.get(narrowest).copied().unwrap_or((0.0, 0.0));
    let shifted: Vec<Vec<f64>> = candidates
        .iter()
        .zip(&bounds)
        .enumerate()
        .map(|(i, (xs, &(lo, hi)))| {
            // Candidates 1 and 3 were compacted rightwards: align their right sides.
            let delta = if i % 2 == 1 { ref_hi - hi } else { ref_lo - lo };
            let delta = if delta.is_finite() { delta } else { 0.0 };
            xs.iter().map(|x| x + delta).collect()
        })
        .collect();
    (0..n)
        .map(|v| {
            let mut vals: Vec<f64> = shifted.iter().map(|xs| xs[v]).collect();
            vals.sort_by(f64::total_cmp);
            match vals.as_slice() {
                [_, b, c, _] => (b + c) / 2.0,
                _ => vals.first().copied().unwrap_or(0.0),
            }
        })
        .collect()
}

/// Balancing can, rarely, squeeze two neighbours closer than allowed; push them apart.
fn enforce_separation(ranks: &Ranks, ext: &[Extent], mut xs: Vec<f64>) -> Vec<f64> {
    for rank in ranks {
        for pair in rank.windows(2) {
            let (u, v) = (pair[0], pair[1]);
            let min = xs[u] + separation(&ext[u], &ext[v]);
            if xs[v] < min {
                xs[v] = min;
            }
        }
    }
    xs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(w: f64) -> Extent {
        Extent {
            left: w / 2.0,
            right: w / 2.0,
            margin: 10.0,
            dummy: false,
            weak: false,
            trunk: false,
        }
    }

    fn dummy() -> Extent {
        Extent {
            left: 0.0,
            right: 0.0,
            margin: 5.0,
            dummy: true,
            weak: false,
            trunk: false,
        }
    }

    fn adjacency(n: usize, edges: &[(usize, usize)]) -> Adjacency {
        let mut up = vec![Vec::new(); n];
        let mut down = vec![Vec::new(); n];
        for &(a, b) in edges {
            down[a].push(b);
            up[b].push(a);
        }
        Adjacency { up, down }
    }

    #[test]
    fn chain_is_vertical() {
        let ext = vec![node(100.0), dummy(), node(60.0), dummy(), node(140.0)];
        let adj = adjacency(5, &[(0, 1), (1, 2), (2, 3), (3, 4)]);
        let ranks = vec![vec![0], vec![1], vec![2], vec![3], vec![4]];
        let xs = assign_x(&ranks, &ext, &adj);
        assert!(xs.iter().all(|&x| (x - xs[0]).abs() < 1e-9), "{xs:?}");
        assert!((xs[4] - 70.0).abs() < 1e-9, "leftmost extent at 0: {xs:?}");
    }

    #[test]
    fn parent_is_centred_over_three_children() {
        // 0 -> lanes 1,2,3 -> children 4,5,6
        let ext = vec![
            node(80.0),
            dummy(),
            dummy(),
            dummy(),
            node(80.0),
            node(80.0),
            node(80.0),
        ];
        let adj = adjacency(7, &[(0, 1), (0, 2), (0, 3), (1, 4), (2, 5), (3, 6)]);
        let ranks = vec![vec![0], vec![1, 2, 3], vec![4, 5, 6]];
        let xs = assign_x(&ranks, &ext, &adj);
        assert!((xs[0] - xs[5]).abs() < 1e-9, "{xs:?}");
        assert!(xs[4] < xs[5] && xs[5] < xs[6]);
        // Children are exactly node separation apart or more.
        assert!(xs[5] - xs[4] >= 100.0 - 1e-9);
    }

    #[test]
    fn separation_holds_in_every_rank() {
        let ext = vec![
            node(50.0),
            node(120.0),
            node(30.0),
            dummy(),
            dummy(),
            node(200.0),
        ];
        let adj = adjacency(6, &[(0, 3), (1, 4), (3, 5), (4, 5), (0, 2)]);
        let ranks = vec![vec![0, 1], vec![2, 3, 4], vec![5]];
        let xs = assign_x(&ranks, &ext, &adj);
        for rank in &ranks {
            for p in rank.windows(2) {
                let need = separation(&ext[p[0]], &ext[p[1]]);
                assert!(xs[p[1]] - xs[p[0]] >= need - 1e-9, "{xs:?}");
            }
        }
    }

    #[test]
    fn long_edge_lane_stays_straight() {
        // 0 -> 1 -> 2 -> 5 (a chain) and 0 -> lanes 3, 4 -> 5 (a long edge).
        let ext = vec![
            node(60.0),
            node(60.0),
            node(60.0),
            dummy(),
            dummy(),
            node(60.0),
        ];
        let adj = adjacency(6, &[(0, 1), (1, 2), (2, 5), (0, 3), (3, 4), (4, 5)]);
        let ranks = vec![vec![0], vec![1, 3], vec![2, 4], vec![5]];
        let xs = assign_x(&ranks, &ext, &adj);
        assert!((xs[3] - xs[4]).abs() < 1e-9, "{xs:?}");
        assert!((xs[1] - xs[2]).abs() < 1e-9, "{xs:?}");
    }
}
