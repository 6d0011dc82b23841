//! The layered graph of one level: states, markers and the dummy vertices that carry long
//! edges and labels through the layers.
//!
//! Ranks interleave: state layer `L` sits on rank `2L`, and rank `2L + 1` below it holds only
//! dummies, where edge labels live. Every edge therefore has at least one dummy, which reserves
//! a lane for it and room for its label.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::geometry::Size;
use super::layering::{Direction, assign_layers};
use super::types::{EdgeKind, EdgeLabel, EndMarkers, LayoutInput, LayoutOptions, Termination};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum VertexKind {
    /// A state, by index in the level's input nodes.
    State(usize),
    Start,
    /// An End marker: shared (`None`) or right below one state.
    End(Option<usize>),
    /// A lane of the edge with this index in [`LevelGraph::edges`].
    Dummy(usize),
}

#[derive(Clone, Debug)]
pub(super) struct Vertex {
    pub kind: VertexKind,
    pub rank: usize,
    /// Width of the drawn box (state, marker or label), centred on x.
    pub width: f32,
    /// Room kept left of the vertex's x (its centre line), at least half the width.
    pub left: f32,
    /// Extent right of x.
    pub right: f32,
    pub height: f32,
    /// For a lane kept right beside a state (loops back): that state.
    pub side_of: Option<usize>,
    /// A lane of a Catch edge: the main flow prefers to align with other edges.
    pub weak: bool,
    /// A lane shared by several edges (the trunk of a bus): kept straight.
    pub trunk: bool,
    /// Room below the box for an End marker hanging under it.
    pub tail: f32,
    /// For an End marker hanging under a state: that state (the marker takes no slot).
    pub attached_to: Option<usize>,
}

impl Vertex {
    pub fn is_dummy(&self) -> bool {
        matches!(self.kind, VertexKind::Dummy(_))
    }
}

#[derive(Clone, Debug)]
pub(super) struct Edge {
    /// Index in the level's input edges; `None` for marker edges.
    pub input: Option<usize>,
    pub kind: EdgeKind,
    pub label: Option<EdgeLabel>,
    pub from: usize,
    pub to: usize,
    pub direction: Direction,
    /// Vertices from the upper end to the lower end as drawn: for a downward edge its states
    /// and lanes; for an upward edge its lanes only (side lanes at both ends); for a self loop
    /// its one side lane.
    pub chain: Vec<usize>,
    /// The dummy whose slot holds the label.
    pub label_vertex: Option<usize>,
}

pub(super) struct LevelGraph {
    pub vertices: Vec<Vertex>,
    pub edges: Vec<Edge>,
    pub rank_count: usize,
    pub start: usize,
}

/// Builds the layered graph for one level; `sizes` are the boxes of `input.nodes` (containers
/// already sized by their contents).
pub(super) fn build(input: &LayoutInput, sizes: &[Size], opts: &LayoutOptions) -> LevelGraph {
    let n = input.nodes.len().min(sizes.len());
    let mut vertices: Vec<Vertex> = sizes
        .iter()
        .take(n)
        .enumerate()
        .map(|(i, s)| Vertex {
            kind: VertexKind::State(i),
            rank: 0,
            width: s.w,
            left: s.w / 2.0,
            right: s.w / 2.0,
            height: s.h,
            side_of: None,
            weak: false,
            trunk: false,
            tail: 0.0,
            attached_to: None,
        })
        .collect();
    let marker = |kind| Vertex {
        kind,
        rank: 0,
        width: opts.marker_size.w,
        left: opts.marker_size.w / 2.0,
        right: opts.marker_size.w / 2.0,
        height: opts.marker_size.h,
        side_of: None,
        weak: false,
        trunk: false,
        tail: 0.0,
        attached_to: None,
    };

    let mut edges: Vec<Edge> = Vec::new();
    let add_edge = |edges: &mut Vec<Edge>, input, kind, label, from, to| {
        edges.push(Edge {
            input,
            kind,
            label,
            from,
            to,
            direction: Direction::Down,
            chain: Vec::new(),
            label_vertex: None,
        });
    };
    for (i, e) in input.edges.iter().enumerate() {
        if e.from < n && e.to < n {
            add_edge(&mut edges, Some(i), e.kind, e.label.clone(), e.from, e.to);
        }
    }

    let start = vertices.len();
    vertices.push(marker(VertexKind::Start));
    if let Some(s) = input.start.filter(|&s| s < n) {
        add_edge(&mut edges, None, EdgeKind::Start, None, start, s);
    }

    let mut has_out = vec![false; n];
    for e in &edges {
        if let Some(h) = has_out.get_mut(e.from) {
            *h = true;
        }
    }
    let reachable = reachable_states(n, &edges, input.start);
    let mut shared_end = None;
    let mut attached: Vec<usize> = Vec::new();
    for (i, node) in input.nodes.iter().take(n).enumerate() {
        // Unreachable states trail below the End marker: they get their own.
        let own = match (node.termination, opts.end_markers) {
            (Termination::None, _) => continue,
            _ if !reachable[i] => true,
            (_, EndMarkers::PerState) | (Termination::Fail, EndMarkers::SharedExceptFail) => true,
            _ => false,
        };
        let end = if own {
            vertices.push(marker(VertexKind::End(Some(i))));
            let m = vertices.len() - 1;
            if !has_out[i] {
                // Nothing else leaves the state: hang the marker right below it instead of
                // giving it a layer (a Fail beside a tall container would push it far down).
                vertices[m].attached_to = Some(i);
                let owner = &mut vertices[i];
                owner.tail = opts.layer_gap / 2.0 + opts.marker_size.h;
                // The marker may be wider than its state: keep room for it.
                owner.left = owner.left.max(opts.marker_size.w / 2.0);
                owner.right = owner.right.max(opts.marker_size.w / 2.0);
                attached.push(edges.len());
            }
            m
        } else {
            *shared_end.get_or_insert_with(|| {
                vertices.push(marker(VertexKind::End(None)));
                vertices.len() - 1
            })
        };
        add_edge(&mut edges, None, EdgeKind::End, None, i, end);
    }

    let mut is_attached = vec![false; edges.len()];
    for &ei in &attached {
        is_attached[ei] = true;
    }
    // Attached End edges stay out of the layering (as self pairs, which do not constrain it).
    let pairs: Vec<(usize, usize)> = edges
        .iter()
        .enumerate()
        .map(|(i, e)| {
            if is_attached[i] {
                (e.from, e.from)
            } else {
                (e.from, e.to)
            }
        })
        .collect();
    let layering = assign_layers(vertices.len(), &pairs, start, shared_end);
    for (v, vertex) in vertices.iter_mut().enumerate() {
        vertex.rank = 2 * layering.layer.get(v).copied().unwrap_or(0);
    }
    for &ei in &attached {
        let (from, to) = (edges[ei].from, edges[ei].to);
        vertices[to].rank = vertices[from].rank;
    }
    let mut rank_count = vertices.iter().map(|v| v.rank + 1).max().unwrap_or(1);

    let mut shared_lanes: HashMap<(usize, usize, bool), usize> = HashMap::default();
    for (ei, edge) in edges.iter_mut().enumerate() {
        edge.direction = layering
            .direction
            .get(ei)
            .copied()
            .unwrap_or(Direction::Down);
        if is_attached[ei] {
            edge.direction = Direction::Attached;
            edge.chain = vec![edge.from, edge.to];
            continue;
        }
        let weak = matches!(edge.kind, EdgeKind::Catch { .. });
        let lane = |vertices: &mut Vec<Vertex>, rank, left, right, height, side_of| {
            vertices.push(Vertex {
                kind: VertexKind::Dummy(ei),
                rank,
                width: left + right,
                left,
                right,
                height,
                side_of,
                weak,
                trunk: false,
                tail: 0.0,
                attached_to: None,
            });
            vertices.len() - 1
        };
        let label = edge.label.as_ref().map(|l| l.size);
        match edge.direction {
            Direction::SelfLoop => {
                // Out of the bottom, round through the gap below, up a lane right beside the
                // state into its right side. The label gets its own slot in the label rank
                // right under the loop, where no other edge can cross it.
                let rank = vertices[edge.from].rank;
                let id = lane(&mut vertices, rank, 0.0, 0.0, 0.0, Some(edge.from));
                if let Some(l) = label {
                    let d = lane(&mut vertices, rank + 1, l.w / 2.0, l.w / 2.0, l.h, None);
                    edge.label_vertex = Some(d);
                }
                edge.chain = vec![id];
            }
            Direction::Attached => {}
            Direction::Down | Direction::Up => {
                let up = edge.direction == Direction::Up;
                let (top, bottom) = if up {
                    (edge.to, edge.from)
                } else {
                    (edge.from, edge.to)
                };
                let (r_top, r_bottom) = (vertices[top].rank, vertices[bottom].rank);
                // The label sits next to the edge's source: first lane below it, or last above.
                let label_rank = if up {
                    r_bottom.saturating_sub(1)
                } else {
                    r_top + 1
                };
                // A loop back leaves its source's right side and enters its target's right
                // side through lanes kept right beside them.
                let mut chain = if up {
                    vec![lane(&mut vertices, r_top, 0.0, 0.0, 0.0, Some(top))]
                } else {
                    vec![top]
                };
                for rank in (r_top + 1)..r_bottom {
                    let (half, height) = match label.filter(|_| rank == label_rank) {
                        Some(l) => (l.w / 2.0, l.h),
                        None => (0.0, 0.0),
                    };
                    // Long downward edges into one state share their lanes past their labels
                    // (a bus, like many Catch edges into one handler): fewer lanes to draw and
                    // lay out.
                    let shareable = !up && (label.is_none() || rank > label_rank);
                    let key = (bottom, rank, weak);
                    if let Some(&id) = shareable.then(|| shared_lanes.get(&key)).flatten() {
                        vertices[id].trunk = true;
                        chain.push(id);
                        continue;
                    }
                    let id = lane(&mut vertices, rank, half, half, height, None);
                    if shareable {
                        shared_lanes.insert(key, id);
                    }
                    if rank == label_rank && label.is_some() {
                        edge.label_vertex = Some(id);
                    }
                    chain.push(id);
                }
                chain.push(if up {
                    lane(&mut vertices, r_bottom, 0.0, 0.0, 0.0, Some(bottom))
                } else {
                    bottom
                });
                edge.chain = chain;
            }
        }
    }
    rank_count = rank_count.max(vertices.iter().map(|v| v.rank + 1).max().unwrap_or(1));

    LevelGraph {
        vertices,
        edges,
        rank_count,
        start,
    }
}

/// States reachable from the start along the level's edges.
fn reachable_states(n: usize, edges: &[Edge], start: Option<usize>) -> Vec<bool> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in edges {
        if let Some(list) = out.get_mut(e.from) {
            list.push(e.to);
        }
    }
    let mut seen = vec![false; n];
    let mut stack: Vec<usize> = start.filter(|&s| s < n).into_iter().collect();
    while let Some(v) = stack.pop() {
        if let Some(flag) = seen.get_mut(v)
            && !*flag
        {
            *flag = true;
            stack.extend(out[v].iter().copied());
        }
    }
    seen
}

/// Neighbours of every vertex on the rank above and below (one entry per edge lane, so
/// parallel edges count twice). Lanes of downward edges come before those of upward edges, so
/// loops back tend to be ordered to the right of the main flow.
pub(super) struct Adjacency {
    pub up: Vec<Vec<usize>>,
    pub down: Vec<Vec<usize>>,
}

impl LevelGraph {
    pub fn adjacency(&self) -> Adjacency {
        let n = self.vertices.len();
        let mut up = vec![Vec::new(); n];
        let mut down = vec![Vec::new(); n];
        let downward = self.edges.iter().filter(|e| e.direction == Direction::Down);
        let upward = self.edges.iter().filter(|e| e.direction == Direction::Up);
        // A self loop's label slot hangs under the state and its lane.
        for edge in self
            .edges
            .iter()
            .filter(|e| e.direction == Direction::SelfLoop)
        {
            if let (Some(d), Some(&lane)) = (edge.label_vertex, edge.chain.first()) {
                for a in [edge.from, lane] {
                    down[a].push(d);
                    up[d].push(a);
                }
            }
        }
        // A shared lane segment is one segment, however many edges run along it.
        let mut seen: HashSet<(usize, usize)> = HashSet::default();
        for edge in downward.chain(upward) {
            for pair in edge.chain.windows(2) {
                if let [a, b] = *pair
                    && (!self.vertices[a].is_dummy()
                        || !self.vertices[b].is_dummy()
                        || seen.insert((a, b)))
                {
                    down[a].push(b);
                    up[b].push(a);
                }
            }
        }
        Adjacency { up, down }
    }

    /// Side lanes of every vertex, in the order they sit right of it: self loops nearest
    /// (their turn below the state must not cross other lanes), then lanes leaving upwards,
    /// then lanes arriving from below.
    pub fn side_lanes(&self) -> Vec<Vec<usize>> {
        let group = |lane: usize| -> u8 {
            let VertexKind::Dummy(e) = self.vertices[lane].kind else {
                return 3;
            };
            match self.edges.get(e) {
                Some(edge) if edge.direction == Direction::SelfLoop => 0,
                Some(edge) if self.vertices[lane].side_of == Some(edge.from) => 1,
                _ => 2,
            }
        };
        let mut lanes_of: Vec<Vec<usize>> = vec![Vec::new(); self.vertices.len()];
        for (v, vertex) in self.vertices.iter().enumerate() {
            if let Some(list) = vertex.side_of.and_then(|owner| lanes_of.get_mut(owner)) {
                list.push(v);
            }
        }
        for list in &mut lanes_of {
            list.sort_by_key(|&l| (group(l), l));
        }
        lanes_of
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::types::{InEdge, InNode, InNodeKind};

    fn node(id: &str, termination: Termination) -> InNode {
        InNode {
            id: id.into(),
            size: Size::new(80.0, 40.0),
            kind: InNodeKind::Leaf,
            termination,
        }
    }

    fn edge(from: usize, to: usize, label: Option<&str>) -> InEdge {
        InEdge {
            from,
            to,
            kind: EdgeKind::Next,
            label: label.map(|t| EdgeLabel {
                text: t.into(),
                size: Size::new(50.0, 16.0),
            }),
        }
    }

    fn graph(input: &LayoutInput, opts: &LayoutOptions) -> LevelGraph {
        let sizes: Vec<Size> = input.nodes.iter().map(|n| n.size).collect();
        build(input, &sizes, opts)
    }

    #[test]
    fn markers_and_dummies_are_added() {
        let input = LayoutInput {
            nodes: vec![node("A", Termination::None), node("B", Termination::End)],
            edges: vec![edge(0, 1, Some("go"))],
            start: Some(0),
        };
        let g = graph(&input, &LayoutOptions::default());
        // A, B, Start, End, then one dummy per edge (3 edges, each spanning one layer).
        assert_eq!(g.vertices.len(), 4 + 3);
        assert_eq!(g.vertices[g.start].rank, 0);
        assert_eq!(g.vertices[0].rank, 2);
        assert_eq!(g.vertices[1].rank, 4);
        let labelled = &g.edges[0];
        let lv = labelled.label_vertex.unwrap();
        assert_eq!(g.vertices[lv].rank, 3);
        assert_eq!(g.vertices[lv].height, 16.0);
        assert_eq!(labelled.chain, vec![0, lv, 1]);
    }

    #[test]
    fn fail_states_get_their_own_end_marker_by_default() {
        let input = LayoutInput {
            nodes: vec![
                node("A", Termination::None),
                node("S", Termination::End),
                node("F", Termination::Fail),
            ],
            edges: vec![edge(0, 1, None), edge(0, 2, None)],
            start: Some(0),
        };
        let ends = |opts: &LayoutOptions| {
            graph(&input, opts)
                .vertices
                .iter()
                .filter(|v| matches!(v.kind, VertexKind::End(_)))
                .count()
        };
        assert_eq!(ends(&LayoutOptions::default()), 2);
        let shared = LayoutOptions {
            end_markers: EndMarkers::Shared,
            ..LayoutOptions::default()
        };
        assert_eq!(ends(&shared), 1);
    }

    #[test]
    fn back_edge_label_sits_next_to_its_source() {
        // A -> B -> A(back, labelled)
        let input = LayoutInput {
            nodes: vec![node("A", Termination::None), node("B", Termination::None)],
            edges: vec![edge(0, 1, None), edge(1, 0, Some("again"))],
            start: Some(0),
        };
        let g = graph(&input, &LayoutOptions::default());
        let back = &g.edges[1];
        assert_eq!(back.direction, Direction::Up);
        // Drawn through side lanes beside A (top) and B (bottom).
        let (top, bottom) = (back.chain[0], back.chain[back.chain.len() - 1]);
        assert_eq!(g.vertices[top].side_of, Some(0));
        assert_eq!(g.vertices[bottom].side_of, Some(1));
        assert_eq!(g.vertices[top].rank, g.vertices[0].rank);
        let lv = back.label_vertex.unwrap();
        assert_eq!(g.vertices[lv].rank, g.vertices[1].rank - 1);
        let lanes = g.side_lanes();
        assert_eq!(lanes[0], vec![top]);
        assert_eq!(lanes[1], vec![bottom]);
    }

    #[test]
    fn self_loop_gets_a_side_lane() {
        let input = LayoutInput {
            nodes: vec![node("A", Termination::None)],
            edges: vec![edge(0, 0, None)],
            start: Some(0),
        };
        let opts = LayoutOptions::default();
        let g = graph(&input, &opts);
        assert_eq!(g.vertices[0].right, 40.0);
        let lane = g.edges[0].chain[0];
        assert_eq!(g.edges[0].chain.len(), 1);
        assert_eq!(g.vertices[lane].side_of, Some(0));
        assert_eq!(g.vertices[lane].rank, g.vertices[0].rank);
    }

    #[test]
    fn out_of_range_edges_are_skipped() {
        let input = LayoutInput {
            nodes: vec![node("A", Termination::None)],
            edges: vec![edge(0, 7, None), edge(5, 0, None)],
            start: Some(3),
        };
        let g = graph(&input, &LayoutOptions::default());
        assert!(g.edges.is_empty());
    }
}
