//! Legibility checks of a finished [`Layout`]: what the corpus tests assert, and what the app
//! can assert in debug builds.

use super::geometry::{Point, Rect};
use super::types::{Endpoint, Layout, LayoutOptions, MarkerKind, path_to_string};

/// Tolerance for float rounding at touching boundaries.
const EPS: f32 = 0.01;

/// A rule of a legible layout that the result breaks.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Defect {
    #[error("non-finite coordinate in {0}")]
    NonFinite(String),
    #[error("{0} overlaps {1}")]
    Overlap(String, String),
    #[error("edge {edge} passes through {item}")]
    EdgeThrough { edge: String, item: String },
    #[error("{item} is not inside {container} with its padding")]
    NotContained { item: String, container: String },
}

/// A box that edges and other boxes must keep clear of.
struct Item {
    name: String,
    rect: Rect,
    /// Graph the item lives in (for containers: the graph around them).
    graph: usize,
    /// Node index when the item is a state.
    node: Option<usize>,
    marker: Option<usize>,
    /// Edge index when the item is a label.
    label_of: Option<usize>,
}

/// Checks overlaps, edges through boxes, containment and finiteness.
pub fn check_layout(layout: &Layout, opts: &LayoutOptions) -> Vec<Defect> {
    let mut defects = Vec::new();
    let items = items(layout);
    check_finite(layout, &mut defects);
    if !defects.is_empty() {
        return defects;
    }
    check_overlaps(layout, &items, &mut defects);
    check_edges(layout, &items, &mut defects);
    check_containment(layout, opts, &items, &mut defects);
    defects
}

fn items(layout: &Layout) -> Vec<Item> {
    let mut items = Vec::new();
    for (i, n) in layout.nodes.iter().enumerate() {
        items.push(Item {
            name: format!("state '{}'", path_to_string(&n.path)),
            rect: n.rect,
            graph: n.graph,
            node: Some(i),
            marker: None,
            label_of: None,
        });
    }
    for (i, m) in layout.markers.iter().enumerate() {
        let kind = match m.kind {
            MarkerKind::Start => "Start",
            MarkerKind::End => "End",
        };
        items.push(Item {
            name: format!(
                "{kind} marker #{i} of graph {}",
                graph_name(layout, m.graph)
            ),
            rect: m.rect,
            graph: m.graph,
            node: None,
            marker: Some(i),
            label_of: None,
        });
    }
    for (i, e) in layout.edges.iter().enumerate() {
        if let Some(r) = e.label_rect {
            items.push(Item {
                name: format!("label of {}", edge_name(layout, i)),
                rect: r,
                graph: e.graph,
                node: None,
                marker: None,
                label_of: Some(i),
            });
        }
    }
    items
}

fn graph_name(layout: &Layout, graph: usize) -> String {
    match layout.graphs.get(graph) {
        Some(g) if !g.path.is_empty() => format!("'{}'", path_to_string(&g.path)),
        _ => "machine".to_string(),
    }
}

fn endpoint_name(layout: &Layout, e: Endpoint) -> String {
    match e {
        Endpoint::Node(i) => layout
            .nodes
            .get(i)
            .map_or_else(|| format!("node #{i}"), |n| path_to_string(&n.path)),
        Endpoint::Marker(i) => match layout.markers.get(i).map(|m| m.kind) {
            Some(MarkerKind::Start) => "Start".to_string(),
            _ => "End".to_string(),
        },
    }
}

fn edge_name(layout: &Layout, i: usize) -> String {
    layout.edges.get(i).map_or_else(String::new, |e| {
        format!(
            "'{}' -> '{}'",
            endpoint_name(layout, e.from),
            endpoint_name(layout, e.to)
        )
    })
}

/// Containers (as node indices) enclosing graph `graph`, innermost first.
fn enclosing(layout: &Layout, mut graph: usize) -> Vec<usize> {
    let mut out = Vec::new();
    // Bounded by the number of graphs, so a malformed chain cannot loop forever.
    for _ in 0..layout.graphs.len() {
        let Some(node) = layout.graphs.get(graph).and_then(|g| g.container_node) else {
            break;
        };
        out.push(node);
        match layout.nodes.get(node) {
            Some(n) => graph = n.graph,
            None => break,
        }
    }
    out
}

fn check_finite(layout: &Layout, defects: &mut Vec<Defect>) {
    let bad = |r: &Rect| !r.is_finite();
    if bad(&layout.bounds) {
        defects.push(Defect::NonFinite("bounds".into()));
    }
    for n in &layout.nodes {
        if bad(&n.rect) {
            defects.push(Defect::NonFinite(path_to_string(&n.path)));
        }
    }
    for c in &layout.containers {
        if bad(&c.rect) || bad(&c.header) || c.branches.iter().any(bad) {
            defects.push(Defect::NonFinite(format!("container #{}", c.node)));
        }
    }
    for (i, m) in layout.markers.iter().enumerate() {
        if bad(&m.rect) {
            defects.push(Defect::NonFinite(format!("marker #{i}")));
        }
    }
    for (i, e) in layout.edges.iter().enumerate() {
        if e.points.iter().any(|p| !p.is_finite()) || e.label_rect.as_ref().is_some_and(bad) {
            defects.push(Defect::NonFinite(edge_name(layout, i)));
        }
    }
}

fn check_overlaps(layout: &Layout, items: &[Item], defects: &mut Vec<Defect>) {
    let ancestors: Vec<Vec<usize>> = items.iter().map(|it| enclosing(layout, it.graph)).collect();
    let mut by_x: Vec<usize> = (0..items.len()).collect();
    by_x.sort_by(|&a, &b| items[a].rect.min.x.total_cmp(&items[b].rect.min.x));
    for (k, &a) in by_x.iter().enumerate() {
        for &b in &by_x[k + 1..] {
            if items[b].rect.min.x >= items[a].rect.max.x - EPS {
                break;
            }
            let nested =
                |x: usize, y: usize| items[x].node.is_some_and(|n| ancestors[y].contains(&n));
            if nested(a, b) || nested(b, a) {
                continue;
            }
            if items[a]
                .rect
                .expand(-EPS)
                .overlaps(&items[b].rect.expand(-EPS))
            {
                defects.push(Defect::Overlap(
                    items[a].name.clone(),
                    items[b].name.clone(),
                ));
            }
        }
    }
}

/// Uniform grid over item boxes so each segment only meets nearby boxes.
struct Grid {
    cell: f32,
    origin: Point,
    cols: usize,
    rows: usize,
    cells: Vec<Vec<usize>>,
}

impl Grid {
    fn new(bounds: Rect, items: &[Item]) -> Self {
        let cell = 120.0f32;
        let cols = ((bounds.width() / cell).ceil() as usize).clamp(1, 2000);
        let rows = ((bounds.height() / cell).ceil() as usize).clamp(1, 2000);
        let mut grid = Grid {
            cell,
            origin: bounds.min,
            cols,
            rows,
            cells: vec![Vec::new(); cols * rows],
        };
        for (i, it) in items.iter().enumerate() {
            for c in grid.cells_of(&it.rect) {
                grid.cells[c].push(i);
            }
        }
        grid
    }

    fn cells_of(&self, r: &Rect) -> Vec<usize> {
        let span = |lo: f32, hi: f32, origin: f32, n: usize| {
            let a = (((lo - origin) / self.cell).floor().max(0.0) as usize).min(n - 1);
            let b = (((hi - origin) / self.cell).floor().max(0.0) as usize).min(n - 1);
            a..=b
        };
        let mut out = Vec::new();
        for y in span(r.min.y, r.max.y, self.origin.y, self.rows) {
            for x in span(r.min.x, r.max.x, self.origin.x, self.cols) {
                out.push(y * self.cols + x);
            }
        }
        out
    }
}

fn check_edges(layout: &Layout, items: &[Item], defects: &mut Vec<Defect>) {
    let grid = Grid::new(layout.bounds, items);
    for (ei, e) in layout.edges.iter().enumerate() {
        let allowed = enclosing(layout, e.graph);
        let own = |it: &Item| {
            let is_end = |p: Endpoint| match p {
                Endpoint::Node(n) => it.node == Some(n),
                Endpoint::Marker(m) => it.marker == Some(m),
            };
            is_end(e.from)
                || is_end(e.to)
                || it.label_of == Some(ei)
                || it.node.is_some_and(|n| allowed.contains(&n))
        };
        let mut reported: Vec<usize> = Vec::new();
        for seg in e.points.windows(2) {
            let (a, b) = (seg[0], seg[1]);
            let bbox = Rect::from_min_max(
                Point::new(a.x.min(b.x), a.y.min(b.y)),
                Point::new(a.x.max(b.x), a.y.max(b.y)),
            );
            for c in grid.cells_of(&bbox) {
                for &i in &grid.cells[c] {
                    let it = &items[i];
                    if reported.contains(&i) || own(it) {
                        continue;
                    }
                    if it.rect.expand(-EPS).segment_enters(a, b) {
                        reported.push(i);
                        defects.push(Defect::EdgeThrough {
                            edge: edge_name(layout, ei),
                            item: it.name.clone(),
                        });
                    }
                }
            }
        }
    }
}

fn check_containment(
    layout: &Layout,
    opts: &LayoutOptions,
    items: &[Item],
    defects: &mut Vec<Defect>,
) {
    let pad = opts.container_padding.max(0.0);
    for c in &layout.containers {
        let name = layout.nodes.get(c.node).map_or_else(String::new, |n| {
            format!("container '{}'", path_to_string(&n.path))
        });
        let inner = Rect::from_min_max(
            Point::new(c.rect.min.x + pad, c.header.max.y + pad),
            Point::new(c.rect.max.x - pad, c.rect.max.y - pad),
        )
        .expand(EPS);
        for (area, &g) in c.branches.iter().zip(&c.graphs) {
            if !inner.contains_rect(area) {
                defects.push(Defect::NotContained {
                    item: format!("branch area of graph {}", graph_name(layout, g)),
                    container: name.clone(),
                });
            }
            let area = area.expand(EPS);
            for it in items.iter().filter(|it| it.graph == g) {
                if !inner.contains_rect(&it.rect) || !area.contains_rect(&it.rect) {
                    defects.push(Defect::NotContained {
                        item: it.name.clone(),
                        container: name.clone(),
                    });
                }
            }
            for (ei, e) in layout
                .edges
                .iter()
                .enumerate()
                .filter(|(_, e)| e.graph == g)
            {
                if e.points.iter().any(|p| !area.contains(*p)) {
                    defects.push(Defect::NotContained {
                        item: format!("edge {}", edge_name(layout, ei)),
                        container: name.clone(),
                    });
                }
            }
        }
    }
    for it in items {
        if !layout.bounds.expand(EPS).contains_rect(&it.rect) {
            defects.push(Defect::NotContained {
                item: it.name.clone(),
                container: "the layout bounds".into(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::geometry::Size;
    use crate::layout::types::{EdgeKind, PathStep, PlacedGraph, PlacedNode, RoutedEdge};

    fn node(name: &str, x: f32, y: f32) -> PlacedNode {
        PlacedNode {
            path: vec![PathStep::State(name.into())],
            index: 0,
            rect: Rect::from_min_size(Point::new(x, y), Size::new(50.0, 20.0)),
            depth: 0,
            graph: 0,
            layer: 0,
            container: None,
        }
    }

    fn base(nodes: Vec<PlacedNode>) -> Layout {
        Layout {
            nodes,
            graphs: vec![PlacedGraph {
                path: Vec::new(),
                rect: Rect::default(),
                container_node: None,
                depth: 0,
            }],
            bounds: Rect::from_min_size(Point::default(), Size::new(500.0, 500.0)),
            ..Layout::default()
        }
    }

    #[test]
    fn detects_overlapping_states() {
        let layout = base(vec![node("A", 0.0, 0.0), node("B", 40.0, 10.0)]);
        let defects = check_layout(&layout, &LayoutOptions::default());
        assert!(
            matches!(defects.as_slice(), [Defect::Overlap(_, _)]),
            "{defects:?}"
        );
    }

    #[test]
    fn detects_edge_through_a_state() {
        let mut layout = base(vec![
            node("A", 0.0, 0.0),
            node("B", 0.0, 100.0),
            node("C", 0.0, 50.0),
        ]);
        layout.edges.push(RoutedEdge {
            from: Endpoint::Node(0),
            to: Endpoint::Node(1),
            kind: EdgeKind::Next,
            label: None,
            label_rect: None,
            points: vec![Point::new(25.0, 20.0), Point::new(25.0, 100.0)],
            back: false,
            graph: 0,
            input_edge: Some(0),
        });
        let defects = check_layout(&layout, &LayoutOptions::default());
        assert_eq!(defects.len(), 1, "{defects:?}");
        assert!(defects[0].to_string().contains("'C'"));
    }

    #[test]
    fn clean_layout_has_no_defects() {
        let layout = base(vec![node("A", 0.0, 0.0), node("B", 0.0, 100.0)]);
        assert!(check_layout(&layout, &LayoutOptions::default()).is_empty());
    }
}
