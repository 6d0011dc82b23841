//! Turns the nested per-level results into the flat [`Layout`] the canvas draws: global
//! coordinates, paths, and indices between states, markers, edges, containers and graphs.

use super::geometry::{Point, Rect};
use super::graph::VertexKind;
use super::layering::Direction;
use super::level::Level;
use super::types::{
    ContainerKind, Endpoint, InNodeKind, Layout, LayoutInput, LayoutOptions, Marker, MarkerKind,
    PathStep, PlacedContainer, PlacedGraph, PlacedNode, RoutedEdge,
};

/// The flat layout of a laid-out machine.
pub(super) fn assemble(level: &Level, input: &LayoutInput, opts: &LayoutOptions) -> Layout {
    let mut out = Layout {
        bounds: Rect::from_min_size(Point::default(), level.geometry.size),
        ..Layout::default()
    };
    out.graphs.push(PlacedGraph {
        path: Vec::new(),
        rect: out.bounds,
        container_node: None,
        depth: 0,
    });
    let top = Placement {
        level,
        input,
        origin: Point::default(),
        graph_path: &[],
        graph_index: 0,
        depth: 0,
    };
    flatten(&top, opts, &mut out);
    out
}

/// One level to append, and where.
struct Placement<'a> {
    level: &'a Level,
    input: &'a LayoutInput,
    /// Global position of the level's origin.
    origin: Point,
    graph_path: &'a [PathStep],
    graph_index: usize,
    depth: usize,
}

/// Appends one level (and, recursively, its containers' insides) to `out`.
fn flatten(at: &Placement<'_>, opts: &LayoutOptions, out: &mut Layout) {
    let Placement {
        level,
        input,
        origin,
        graph_path,
        graph_index,
        depth,
    } = *at;
    let g = &level.graph;
    let boxes = &level.geometry.boxes;
    let placed = |v: usize| {
        boxes
            .get(v)
            .copied()
            .unwrap_or_default()
            .translate(origin.x, origin.y)
    };

    // States and markers first, so edges can refer to their final indices.
    let mut endpoint: Vec<Option<Endpoint>> = vec![None; g.vertices.len()];
    let mut state_index: Vec<Option<usize>> = vec![None; input.nodes.len()];
    for (v, vertex) in g.vertices.iter().enumerate() {
        match vertex.kind {
            VertexKind::State(i) => {
                let Some(node) = input.nodes.get(i) else {
                    continue;
                };
                let mut path = graph_path.to_vec();
                path.push(PathStep::State(node.id.clone()));
                state_index[i] = Some(out.nodes.len());
                endpoint[v] = Some(Endpoint::Node(out.nodes.len()));
                out.nodes.push(PlacedNode {
                    path,
                    index: i,
                    rect: placed(v),
                    depth,
                    graph: graph_index,
                    layer: vertex.rank / 2,
                    container: None,
                });
            }
            VertexKind::Start | VertexKind::End(_) => {
                endpoint[v] = Some(Endpoint::Marker(out.markers.len()));
                let (kind, owner) = match vertex.kind {
                    VertexKind::End(owner) => (MarkerKind::End, owner),
                    _ => (MarkerKind::Start, None),
                };
                out.markers.push(Marker {
                    kind,
                    rect: placed(v),
                    graph: graph_index,
                    owner,
                });
            }
            VertexKind::Dummy(_) => {}
        }
    }
    // Own End markers name their state by level index until states are all placed.
    for m in out.markers.iter_mut().filter(|m| m.graph == graph_index) {
        m.owner = m.owner.and_then(|i| state_index.get(i).copied().flatten());
    }

    for (ei, edge) in g.edges.iter().enumerate() {
        let (Some(from), Some(to)) = (
            endpoint.get(edge.from).copied().flatten(),
            endpoint.get(edge.to).copied().flatten(),
        ) else {
            continue;
        };
        let Some((points, label_rect)) = level.geometry.routes.get(ei) else {
            continue;
        };
        out.edges.push(RoutedEdge {
            from,
            to,
            kind: edge.kind,
            label: edge.label.as_ref().map(|l| l.text.clone()),
            label_rect: label_rect.map(|r| r.translate(origin.x, origin.y)),
            points: points
                .iter()
                .map(|p| p.offset(origin.x, origin.y))
                .collect(),
            back: matches!(edge.direction, Direction::Up | Direction::SelfLoop),
            graph: graph_index,
            input_edge: edge.input,
        });
    }

    // Container insides.
    for (i, inside) in level.containers.iter().enumerate() {
        let (Some(inside), Some(node_index), Some(node)) = (
            inside,
            state_index.get(i).copied().flatten(),
            input.nodes.get(i),
        ) else {
            continue;
        };
        let Some(container_rect) = out.nodes.get(node_index).map(|n| n.rect) else {
            continue;
        };
        let at = container_rect.min;
        let container_index = out.containers.len();
        if let Some(n) = out.nodes.get_mut(node_index) {
            n.container = Some(container_index);
        }
        out.containers.push(PlacedContainer {
            node: node_index,
            kind: inside.kind,
            rect: container_rect,
            header: inside.header.translate(at.x, at.y),
            branches: Vec::new(),
            graphs: Vec::new(),
        });
        let sub_inputs: Vec<&LayoutInput> = match &node.kind {
            InNodeKind::Parallel { branches } => branches.iter().collect(),
            InNodeKind::Map { processor } => vec![processor],
            InNodeKind::Leaf => Vec::new(),
        };
        let mut container_path = graph_path.to_vec();
        container_path.push(PathStep::State(node.id.clone()));
        for (b, ((area, sub), sub_input)) in inside.branches.iter().zip(sub_inputs).enumerate() {
            let area = area.translate(at.x, at.y);
            let mut path = container_path.clone();
            path.push(match inside.kind {
                ContainerKind::Parallel => PathStep::Branch(b),
                ContainerKind::Map => PathStep::Processor,
            });
            let sub_graph = out.graphs.len();
            out.graphs.push(PlacedGraph {
                path: path.clone(),
                rect: area,
                container_node: Some(node_index),
                depth: depth + 1,
            });
            if let Some(c) = out.containers.get_mut(container_index) {
                c.branches.push(area);
                c.graphs.push(sub_graph);
            }
            let bp = opts.branch_padding.max(0.0);
            let sub_origin = Point::new(
                area.min.x + (area.width() - sub.geometry.size.w) / 2.0,
                area.min.y + bp,
            );
            let placement = Placement {
                level: sub,
                input: sub_input,
                origin: sub_origin,
                graph_path: &path,
                graph_index: sub_graph,
                depth: depth + 1,
            };
            flatten(&placement, opts, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::layout::geometry::Size;
    use crate::layout::input::input_from_definition;
    use crate::layout::level::layout;
    use crate::layout::types::{Endpoint, LayoutOptions, PathStep};
    use serde_json::{Value, json};

    #[test]
    fn indices_paths_and_graphs_are_consistent() {
        let def = json!({"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Next": "F", "Branches": [
                {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
                    "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Fail"}}}}}},
                {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]},
            "F": {"Type": "Fail"}}});
        let size = |_: &str, _: &Value| Size::new(80.0, 40.0);
        let input = input_from_definition(&def, &size).unwrap();
        let l = layout(&input, &LayoutOptions::default()).unwrap();
        assert_eq!(l.nodes.len(), 5);
        assert_eq!(l.graphs.len(), 4);
        for (i, n) in l.nodes.iter().enumerate() {
            let g = &l.graphs[n.graph];
            // A state's path is its graph's path plus its own name.
            assert_eq!(&n.path[..n.path.len() - 1], g.path.as_slice());
            assert_eq!(n.depth, g.depth);
            if let Some(c) = g.container_node {
                assert!(c < i, "containers come before their contents");
                assert!(l.nodes[c].rect.contains_rect(&n.rect));
            }
        }
        for c in &l.containers {
            assert_eq!(
                l.nodes[c.node].container.map(|ci| &l.containers[ci]),
                Some(c)
            );
            for (&g, area) in c.graphs.iter().zip(&c.branches) {
                assert_eq!(l.graphs[g].rect, *area);
                assert_eq!(l.graphs[g].container_node, Some(c.node));
            }
        }
        for e in &l.edges {
            for end in [e.from, e.to] {
                match end {
                    Endpoint::Node(n) => assert_eq!(l.nodes[n].graph, e.graph),
                    Endpoint::Marker(m) => assert_eq!(l.markers[m].graph, e.graph),
                }
            }
        }
        // Own End markers point at their Fail state.
        let inner = l
            .nodes
            .iter()
            .position(|n| n.path.last() == Some(&PathStep::State("I".into())))
            .unwrap();
        assert!(l.markers.iter().any(|m| m.owner == Some(inner)));
    }
}
