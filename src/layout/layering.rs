//! Layer assignment: breaks cycles along the flow from the start, then places every vertex as
//! high as its predecessors allow (longest path). Vertices not reachable from the start are
//! layered separately below the reachable part, so broken machines still read top-down.

use std::collections::VecDeque;

/// How an edge is drawn after cycle breaking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Direction {
    Down,
    /// Target above the source: a loop back, drawn upwards.
    Up,
    SelfLoop,
    /// An End marker hung right below its state, outside the layering (set by the graph).
    Attached,
}

pub(super) struct Layering {
    pub layer: Vec<usize>,
    pub direction: Vec<Direction>,
}

/// `edges` are `(from, to)` vertex pairs; `root` is the Start marker; `bottom` (the shared End
/// marker) is kept below everything else of its part.
pub(super) fn assign_layers(
    vertex_count: usize,
    edges: &[(usize, usize)],
    root: usize,
    bottom: Option<usize>,
) -> Layering {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); vertex_count];
    for (i, &(from, to)) in edges.iter().enumerate() {
        if from < vertex_count && to < vertex_count {
            out[from].push(i);
        }
    }
    let reachable = reachable_from(root, &out, edges);
    let back = back_edges(root, &out, edges, &reachable);

    // Edges kept in the DAG: not back edges, not self loops, within one part.
    let dag = |i: usize| {
        let (from, to) = edges[i];
        !back[i] && from != to && reachable[from] == reachable[to]
    };
    let mut layer = vec![0usize; vertex_count];
    let reach_max = longest_path(&mut layer, &out, edges, &dag, |v| reachable[v], 0, bottom);
    let has_unreachable = reachable.iter().any(|r| !r);
    if has_unreachable {
        longest_path(
            &mut layer,
            &out,
            edges,
            &dag,
            |v| !reachable[v],
            reach_max + 1,
            bottom,
        );
    }

    let direction = edges
        .iter()
        .map(|&(from, to)| {
            if from == to {
                Direction::SelfLoop
            } else if layer.get(to) > layer.get(from) {
                Direction::Down
            } else {
                Direction::Up
            }
        })
        .collect();
    Layering { layer, direction }
}

fn reachable_from(root: usize, out: &[Vec<usize>], edges: &[(usize, usize)]) -> Vec<bool> {
    let mut seen = vec![false; out.len()];
    let mut queue = VecDeque::new();
    if root < out.len() {
        seen[root] = true;
        queue.push_back(root);
    }
    while let Some(v) = queue.pop_front() {
        for &e in &out[v] {
            let to = edges[e].1;
            if !seen[to] {
                seen[to] = true;
                queue.push_back(to);
            }
        }
    }
    seen
}

/// Depth-first search (iterative, so deep chains cannot overflow the stack) marking edges
/// that close a cycle. The reachable part is searched from the root first so loops are cut
/// where the flow returns, e.g. `Check -> Wait` in a poller, not `Wait -> Check`.
fn back_edges(
    root: usize,
    out: &[Vec<usize>],
    edges: &[(usize, usize)],
    reachable: &[bool],
) -> Vec<bool> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let n = out.len();
    let mut mark = vec![Mark::New; n];
    let mut back = vec![false; edges.len()];

    // Unreachable vertices without unreachable predecessors make the best roots.
    let mut has_pred = vec![false; n];
    for &(from, to) in edges {
        if from < n && to < n && from != to && !reachable[from] {
            has_pred[to] = true;
        }
    }
    let roots = std::iter::once(root)
        .chain((0..n).filter(|&v| !reachable[v] && !has_pred[v]))
        .chain(0..n);

    let mut stack: Vec<(usize, usize)> = Vec::new();
    for r in roots {
        if r >= n || mark[r] != Mark::New {
            continue;
        }
        mark[r] = Mark::Open;
        stack.push((r, 0));
        while let Some(top) = stack.last_mut() {
            let (v, next) = *top;
            if let Some(&e) = out[v].get(next) {
                top.1 += 1;
                let to = edges[e].1;
                match mark[to] {
                    Mark::New => {
                        mark[to] = Mark::Open;
                        stack.push((to, 0));
                    }
                    Mark::Open => back[e] = true,
                    Mark::Done => {}
                }
            } else {
                mark[v] = Mark::Done;
                stack.pop();
            }
        }
    }
    back
}

/// Longest-path layering of the vertices selected by `member`, starting at `offset`.
/// Returns the deepest layer used (or `offset` when the part is empty).
fn longest_path(
    layer: &mut [usize],
    out: &[Vec<usize>],
    edges: &[(usize, usize)],
    dag: &dyn Fn(usize) -> bool,
    member: impl Fn(usize) -> bool,
    offset: usize,
    bottom: Option<usize>,
) -> usize {
    let n = out.len();
    let is_bottom = |v: usize| bottom == Some(v);
    let mut indegree = vec![0usize; n];
    for v in (0..n).filter(|&v| member(v)) {
        for &e in &out[v] {
            if dag(e) {
                indegree[edges[e].1] += 1;
            }
        }
    }
    let mut queue: VecDeque<usize> = (0..n)
        .filter(|&v| member(v) && indegree[v] == 0 && !is_bottom(v))
        .collect();
    for &v in &queue {
        layer[v] = offset;
    }
    let mut deepest = offset;
    let mut bottom_member = false;
    while let Some(v) = queue.pop_front() {
        deepest = deepest.max(layer[v]);
        for &e in &out[v] {
            if !dag(e) {
                continue;
            }
            let to = edges[e].1;
            if is_bottom(to) {
                bottom_member = true;
                continue;
            }
            layer[to] = layer[to].max(layer[v] + 1);
            indegree[to] = indegree[to].saturating_sub(1);
            if indegree[to] == 0 {
                queue.push_back(to);
            }
        }
    }
    if let Some(b) = bottom.filter(|&b| b < n && member(b))
        && (bottom_member || indegree[b] == 0)
    {
        layer[b] = deepest + 1;
        deepest += 1;
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_gets_consecutive_layers() {
        let l = assign_layers(4, &[(0, 1), (1, 2), (2, 3)], 0, None);
        assert_eq!(l.layer, vec![0, 1, 2, 3]);
        assert!(l.direction.iter().all(|d| *d == Direction::Down));
    }

    #[test]
    fn poller_loop_is_cut_where_the_flow_returns() {
        // start -> wait -> check -> choice -> wait (loop), choice -> done
        let edges = [(0, 1), (1, 2), (2, 3), (3, 1), (3, 4)];
        let l = assign_layers(5, &edges, 0, None);
        assert_eq!(l.layer, vec![0, 1, 2, 3, 4]);
        assert_eq!(l.direction[3], Direction::Up);
        assert_eq!(
            l.direction.iter().filter(|d| **d == Direction::Up).count(),
            1
        );
    }

    #[test]
    fn self_loops_do_not_affect_layers() {
        let l = assign_layers(2, &[(0, 1), (1, 1)], 0, None);
        assert_eq!(l.layer, vec![0, 1]);
        assert_eq!(l.direction[1], Direction::SelfLoop);
    }

    #[test]
    fn shared_bottom_goes_below_everything_reachable() {
        // 0 start, 1 -> end(4) early, 1 -> 2 -> 3 (a long arm without end)
        let edges = [(0, 1), (1, 4), (1, 2), (2, 3)];
        let l = assign_layers(5, &edges, 0, Some(4));
        assert_eq!(l.layer[3], 3);
        assert_eq!(l.layer[4], 4);
    }

    #[test]
    fn unreachable_vertices_trail_below() {
        // 0 -> 1; 2 -> 3 unreachable; 3 -> 1 points back up into the reachable part.
        let edges = [(0, 1), (2, 3), (3, 1)];
        let l = assign_layers(4, &edges, 0, None);
        assert_eq!(l.layer, vec![0, 1, 2, 3]);
        assert_eq!(l.direction[2], Direction::Up);
    }

    #[test]
    fn unreachable_cycle_is_broken() {
        let edges = [(1, 2), (2, 1)];
        let l = assign_layers(3, &edges, 0, None);
        assert_eq!(l.layer[0], 0);
        assert!(l.layer[1] >= 1 && l.layer[2] >= 1);
        assert_ne!(l.layer[1], l.layer[2]);
        let ups = l.direction.iter().filter(|d| **d == Direction::Up).count();
        assert_eq!(ups, 1);
    }

    #[test]
    fn out_of_range_root_leaves_everything_unreachable_but_placed() {
        let l = assign_layers(2, &[(0, 1)], 9, None);
        assert_eq!(l.layer, vec![1, 2]);
    }
}
