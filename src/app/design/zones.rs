//! Drop places shown while something is dragged over the canvas: every edge, every empty
//! branch or item processor, and below every state that ends its graph.

use super::graph::{EdgeRole, Graph, rect};
use crate::asl::graph_edit::{DropTarget, StateRef};
use egui::{Pos2, Rect};

/// One place a state can be dropped.
#[derive(Debug, Clone)]
pub struct Zone {
    /// Where its "+" is drawn (scene coordinates).
    pub at: Pos2,
    pub target: DropTarget,
    /// For an empty graph: the whole area accepts the drop.
    pub area: Option<Rect>,
}

/// The drop places for a drag; when an existing state is dragged, the places that would
/// leave it where it is, or put it inside itself, are left out.
pub fn zones(graph: &Graph, dragged: Option<&StateRef>) -> Vec<Zone> {
    let inside_dragged = |scope: &str| {
        dragged.is_some_and(|state| {
            let own = state.pointer();
            scope == own || scope.starts_with(&format!("{own}/"))
        })
    };
    let mut out = Vec::new();
    for (index, edge) in graph.layout.edges.iter().enumerate() {
        let Some(target) = graph.drop_target(index) else {
            continue;
        };
        if inside_dragged(target.scope()) || touches(graph, index, dragged) {
            continue;
        }
        let Some(mut at) = graph.paths.get(index).and_then(|path| halfway(path)) else {
            continue;
        };
        if let Some(label) = edge.label_rect.map(rect)
            && label.expand(6.0).contains(at)
        {
            // Below the label, still on the line (which runs through the label's centre).
            at = Pos2::new(label.center().x, label.max.y + 10.0);
        }
        out.push(Zone {
            at,
            target,
            area: None,
        });
    }
    for (index, placed) in graph.layout.graphs.iter().enumerate() {
        let empty = !graph.layout.nodes.iter().any(|n| n.graph == index);
        let Some(scope) = graph.scopes.get(index) else {
            continue;
        };
        if !empty || inside_dragged(scope) {
            continue;
        }
        let area = rect(placed.rect);
        out.push(Zone {
            at: area.center(),
            target: DropTarget::Empty {
                scope: scope.clone(),
            },
            area: Some(area),
        });
    }
    out
}

/// Whether an edge starts or ends at the dragged state (dropping there changes nothing).
fn touches(graph: &Graph, edge: usize, dragged: Option<&StateRef>) -> bool {
    let Some(dragged) = dragged else {
        return false;
    };
    let Some(routed) = graph.layout.edges.get(edge) else {
        return false;
    };
    let is_dragged = |endpoint: crate::layout::Endpoint| match endpoint {
        crate::layout::Endpoint::Node(i) => graph.nodes.get(i).is_some_and(|n| n.state == *dragged),
        crate::layout::Endpoint::Marker(_) => false,
    };
    let plain = matches!(
        graph.edges.get(edge),
        Some(Some(EdgeRole::End(_)))
            | Some(Some(EdgeRole::Transition(
                crate::asl::graph_edit::EdgeRef {
                    slot: crate::asl::graph_edit::Slot::Next | crate::asl::graph_edit::Slot::Start,
                    ..
                }
            )))
    );
    is_dragged(routed.from) || (plain && is_dragged(routed.to))
}

/// The point halfway along a polyline.
fn halfway(path: &[Pos2]) -> Option<Pos2> {
    let total: f32 = path.windows(2).map(|w| w[0].distance(w[1])).sum();
    let mut remaining = total / 2.0;
    for pair in path.windows(2) {
        let length = pair[0].distance(pair[1]);
        if length >= remaining && length > 0.0 {
            return Some(pair[0] + (pair[1] - pair[0]) * (remaining / length));
        }
        remaining -= length;
    }
    path.first().copied()
}

/// The zone a drop at `pointer` lands in: inside an empty graph's area, or the nearest "+"
/// within `reach` (scene units).
pub fn nearest(zones: &[Zone], pointer: Pos2, reach: f32) -> Option<usize> {
    if let Some(index) = zones
        .iter()
        .position(|z| z.area.is_some_and(|area| area.contains(pointer)))
    {
        return Some(index);
    }
    zones
        .iter()
        .enumerate()
        .filter(|(_, z)| z.area.is_none())
        .map(|(i, z)| (i, z.at.distance(pointer)))
        .filter(|(_, d)| *d <= reach)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}
