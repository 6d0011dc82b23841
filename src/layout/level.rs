//! Lays out one graph level after its containers' contents (bottom-up, so a Parallel or Map
//! is sized by its branches), then flattens the nested results into one [`Layout`].

use super::flatten;
use super::geometry::{Point, Rect, Size};
use super::graph::{self, LevelGraph};
use super::order;
use super::position::{self, Extent};
use super::route::{self, LevelGeometry};
use super::types::{ContainerKind, InNodeKind, Layout, LayoutError, LayoutInput, LayoutOptions};

/// A laid-out level in its own coordinates.
pub(super) struct Level {
    pub graph: LevelGraph,
    pub geometry: LevelGeometry,
    /// Per input node: the inside of a container.
    pub containers: Vec<Option<Inside>>,
}

/// A container's inside, relative to the container box's top-left corner.
pub(super) struct Inside {
    pub kind: ContainerKind,
    pub header: Rect,
    /// The whole container box.
    pub size: Size,
    /// Branch area and the branch's level (whose origin is `area.min + branch_padding`).
    pub branches: Vec<(Rect, Level)>,
}

/// Lays out a whole machine.
///
/// Bad sizes and options are sanitized (non-finite or negative lengths become zero); the only
/// error is nesting deeper than [`LayoutOptions::max_depth`].
pub fn layout(input: &LayoutInput, opts: &LayoutOptions) -> Result<Layout, LayoutError> {
    let opts = &opts.sanitized();
    let level = lay_out_level(input, opts, 0)?;
    Ok(flatten::assemble(&level, input, opts))
}

fn lay_out_level(
    input: &LayoutInput,
    opts: &LayoutOptions,
    depth: usize,
) -> Result<Level, LayoutError> {
    if depth > opts.max_depth {
        return Err(LayoutError::TooDeep {
            limit: opts.max_depth,
        });
    }
    let mut sizes = Vec::with_capacity(input.nodes.len());
    let mut containers = Vec::with_capacity(input.nodes.len());
    for node in &input.nodes {
        let header = node.size.sanitized();
        let inside = match &node.kind {
            InNodeKind::Leaf => None,
            InNodeKind::Parallel { branches } => {
                let levels = branches
                    .iter()
                    .map(|b| lay_out_level(b, opts, depth + 1))
                    .collect::<Result<Vec<_>, _>>()?;
                Some(arrange_inside(
                    ContainerKind::Parallel,
                    header,
                    levels,
                    opts,
                ))
            }
            InNodeKind::Map { processor } => {
                let level = lay_out_level(processor, opts, depth + 1)?;
                Some(arrange_inside(
                    ContainerKind::Map,
                    header,
                    vec![level],
                    opts,
                ))
            }
        };
        sizes.push(inside.as_ref().map_or(header, container_size));
        containers.push(inside);
    }

    let graph = graph::build(input, &sizes, opts);
    // Hanging End markers take no slot in any rank.
    let rank_of: Vec<usize> = graph
        .vertices
        .iter()
        .map(|v| {
            if v.attached_to.is_some() {
                usize::MAX
            } else {
                v.rank
            }
        })
        .collect();
    let adjacency = graph.adjacency();
    let ranks = order::order(
        &rank_of,
        graph.rank_count,
        &adjacency,
        &order::SideLanes::new(graph.side_lanes()),
        graph.start,
        opts.ordering_sweeps,
    );
    let node_margin = f64::from(opts.node_gap.max(0.0)) / 2.0;
    let lane_margin = f64::from(opts.edge_gap.max(0.0)) / 2.0;
    let extents: Vec<Extent> = graph
        .vertices
        .iter()
        .map(|v| Extent {
            left: f64::from(v.left),
            right: f64::from(v.right),
            margin: if v.is_dummy() {
                lane_margin
            } else {
                node_margin
            },
            dummy: v.is_dummy(),
            weak: v.weak,
            trunk: v.trunk,
        })
        .collect();
    let mut xs = position::assign_x(&ranks, &extents, &adjacency);
    for (v, vertex) in graph.vertices.iter().enumerate() {
        if let Some(owner) = vertex.attached_to {
            xs[v] = xs.get(owner).copied().unwrap_or(0.0);
        }
    }
    let geometry = route::route(&graph, &xs, opts);
    Ok(Level {
        graph,
        geometry,
        containers,
    })
}

/// Places branch areas side by side under the header.
fn arrange_inside(
    kind: ContainerKind,
    header: Size,
    levels: Vec<Level>,
    opts: &LayoutOptions,
) -> Inside {
    let pad = opts.container_padding.max(0.0);
    let bp = opts.branch_padding.max(0.0);
    let gap = opts.branch_gap.max(0.0);
    let areas: Vec<Size> = levels
        .iter()
        .map(|l| Size::new(l.geometry.size.w + 2.0 * bp, l.geometry.size.h + 2.0 * bp))
        .collect();
    let content_w =
        areas.iter().map(|a| a.w).sum::<f32>() + gap * areas.len().saturating_sub(1) as f32;
    let content_h = areas.iter().map(|a| a.h).fold(0.0, f32::max);
    let width = header.w.max(content_w + 2.0 * pad);
    let height = if areas.is_empty() {
        header.h
    } else {
        header.h + content_h + 2.0 * pad
    };
    let mut x = (width - content_w) / 2.0;
    let y = header.h + pad;
    let branches = levels
        .into_iter()
        .zip(&areas)
        .map(|(level, area)| {
            let rect = Rect::from_min_size(Point::new(x, y), Size::new(area.w, content_h));
            x += area.w + gap;
            (rect, level)
        })
        .collect();
    Inside {
        kind,
        header: Rect::from_min_size(Point::default(), Size::new(width, header.h)),
        size: Size::new(width, height),
        branches,
    }
}

fn container_size(inside: &Inside) -> Size {
    inside.size
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::check::check_layout;
    use crate::layout::input::input_from_definition;
    use crate::layout::types::{
        EdgeKind, EndMarkers, Endpoint, InEdge, InNode, MarkerKind, PathStep, PlacedNode,
        RoutedEdge, Termination,
    };
    use serde_json::{Value, json};

    fn size(name: &str, _: &Value) -> Size {
        Size::new(60.0 + 6.0 * name.len() as f32, 40.0)
    }

    fn lay_out_with(def: Value, opts: &LayoutOptions) -> Layout {
        let input = input_from_definition(&def, &size).unwrap();
        let out = layout(&input, opts).unwrap();
        let defects = check_layout(&out, opts);
        assert!(defects.is_empty(), "{defects:?}");
        out
    }

    fn lay_out(def: Value) -> Layout {
        lay_out_with(def, &LayoutOptions::default())
    }

    fn node<'a>(l: &'a Layout, name: &str) -> &'a PlacedNode {
        l.nodes
            .iter()
            .find(|n| n.path.last() == Some(&PathStep::State(name.into())))
            .unwrap()
    }

    fn edge<'a>(l: &'a Layout, from: &str, to: &str) -> &'a RoutedEdge {
        let (a, b) = (index(l, from), index(l, to));
        l.edges
            .iter()
            .find(|e| e.from == Endpoint::Node(a) && e.to == Endpoint::Node(b))
            .unwrap()
    }

    fn index(l: &Layout, name: &str) -> usize {
        l.nodes
            .iter()
            .position(|n| n.path.last() == Some(&PathStep::State(name.into())))
            .unwrap()
    }

    #[test]
    fn chain_is_stacked_straight_down() {
        let l = lay_out(json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Pass", "End": true}}}));
        let (a, b) = (node(&l, "A"), node(&l, "B"));
        assert_eq!(a.rect.center().x, b.rect.center().x);
        assert!(a.rect.max.y < b.rect.min.y);
        assert_eq!((a.layer, b.layer), (1, 2));
        // Start above A, End below B, every edge one vertical segment.
        let start = l
            .markers
            .iter()
            .find(|m| m.kind == MarkerKind::Start)
            .unwrap();
        let end = l
            .markers
            .iter()
            .find(|m| m.kind == MarkerKind::End)
            .unwrap();
        assert!(start.rect.max.y < a.rect.min.y && end.rect.min.y > b.rect.max.y);
        assert_eq!(l.edges.len(), 3);
        for e in &l.edges {
            assert_eq!(e.points.len(), 2, "{e:?}");
            assert_eq!(e.points[0].x, e.points[1].x);
            assert!(e.points[0].y < e.points[1].y);
        }
        assert_eq!(l.bounds.min, Point::default());
    }

    #[test]
    fn choice_fans_out_below_in_rule_order() {
        let l = lay_out(json!({"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [
                {"Variable": "$.a", "IsPresent": true, "Next": "X"},
                {"Variable": "$.b", "IsPresent": true, "Next": "Y"}], "Default": "Z"},
            "X": {"Type": "Succeed"}, "Y": {"Type": "Succeed"}, "Z": {"Type": "Succeed"}}}));
        let (c, x, y, z) = (node(&l, "C"), node(&l, "X"), node(&l, "Y"), node(&l, "Z"));
        assert!(x.layer == c.layer + 1 && y.layer == x.layer && z.layer == x.layer);
        assert!(x.rect.max.x < y.rect.min.x && y.rect.max.x < z.rect.min.x);
        assert!((c.rect.center().x - y.rect.center().x).abs() < 1.0);
        let rule = edge(&l, "C", "X");
        assert_eq!(rule.kind, EdgeKind::ChoiceRule { index: 0 });
        assert_eq!(rule.label.as_deref(), Some("Rule #1"));
        let label = rule.label_rect.unwrap();
        assert!(label.min.y > c.rect.max.y && label.max.y < x.rect.min.y);
        assert_eq!(edge(&l, "C", "Z").kind, EdgeKind::ChoiceDefault);
    }

    #[test]
    fn poller_loop_goes_up_the_right_side() {
        let l = lay_out(json!({"StartAt": "Wait", "States": {
            "Wait": {"Type": "Wait", "Seconds": 5, "Next": "Check"},
            "Check": {"Type": "Task", "Next": "Done?"},
            "Done?": {"Type": "Choice", "Choices": [
                {"Variable": "$.done", "BooleanEquals": true, "Next": "Finish"}], "Default": "Wait"},
            "Finish": {"Type": "Succeed"}}}));
        let (wait, choice) = (node(&l, "Wait"), node(&l, "Done?"));
        let back = edge(&l, "Done?", "Wait");
        assert!(back.back);
        let (first, last) = (back.points[0], back.points[back.points.len() - 1]);
        assert_eq!(first.x, choice.rect.max.x);
        assert_eq!(last.x, wait.rect.max.x);
        assert!(last.y < first.y);
        let lane_x = back.points[1].x;
        let rightmost = [wait, node(&l, "Check"), choice].map(|n| n.rect.max.x);
        assert!(rightmost.iter().all(|&r| lane_x > r), "{back:?}");
        assert!(!edge(&l, "Wait", "Check").back);
    }

    #[test]
    fn self_loop_stays_beside_its_state() {
        let l = lay_out(json!({"StartAt": "A", "States": {
            "A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "A"}],
                  "Default": "B"},
            "B": {"Type": "Succeed"}}}));
        let a = node(&l, "A");
        let lp = edge(&l, "A", "A");
        assert!(lp.back);
        // Out of the bottom, round below, up the right side, into the right side.
        let pts = &lp.points;
        assert_eq!(pts.len(), 5);
        assert_eq!(pts[0].y, a.rect.max.y);
        assert!(pts[0].x > a.rect.center().x && pts[0].x < a.rect.max.x);
        assert!(pts[1].y > a.rect.max.y && pts[2].x > a.rect.max.x);
        assert_eq!(pts[4].x, a.rect.max.x);
        assert!(pts[4].y > a.rect.min.y && pts[4].y < a.rect.max.y);
        // The label hangs under the loop.
        let label = lp.label_rect.unwrap();
        assert!(label.min.y > pts[1].y);
    }

    #[test]
    fn parallel_branches_sit_side_by_side_inside_the_container() {
        let branch = |n: &str| json!({"StartAt": n, "States": {n: {"Type": "Pass", "End": true}}});
        let l = lay_out(json!({"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "End": true, "Branches": [branch("X"), branch("Same")]},
            "Same": {"Type": "Pass", "End": true}}}));
        assert_eq!(l.containers.len(), 1);
        let c = &l.containers[0];
        assert_eq!(c.kind, ContainerKind::Parallel);
        assert!(c.branches[0].max.x <= c.branches[1].min.x);
        assert!(c.header.max.y <= c.branches[0].min.y);
        let x = node(&l, "X");
        assert_eq!(
            x.path,
            vec![
                PathStep::State("P".into()),
                PathStep::Branch(0),
                PathStep::State("X".into())
            ]
        );
        assert_eq!(x.depth, 1);
        assert!(c.branches[0].contains_rect(&x.rect));
        // The same name at two levels still has two distinct paths.
        let inner = vec![
            PathStep::State("P".into()),
            PathStep::Branch(1),
            PathStep::State("Same".into()),
        ];
        assert!(l.find(&inner).is_some());
        assert!(l.find(&[PathStep::State("Same".into())]).is_some());
        // Machine + 2 branches, each with its own Start and End (the unreachable top-level
        // "Same" gets one more of its own).
        assert_eq!(l.graphs.len(), 3);
        let own = l
            .markers
            .iter()
            .find(|m| m.owner == Some(index(&l, "Same")));
        assert!(own.is_some_and(|m| m.graph == 0));
        for g in 1..3 {
            let kinds: Vec<MarkerKind> = l
                .markers
                .iter()
                .filter(|m| m.graph == g)
                .map(|m| m.kind)
                .collect();
            assert_eq!(kinds, vec![MarkerKind::Start, MarkerKind::End]);
        }
        assert_eq!(l.node_at(x.rect.center()), Some(index(&l, "X")));
    }

    #[test]
    fn map_holds_its_processor() {
        let l = lay_out(json!({"StartAt": "M", "States": {
            "M": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "I", "States": {
                "I": {"Type": "Pass", "End": true}}}}}}));
        let (m, i) = (node(&l, "M"), node(&l, "I"));
        assert_eq!(l.containers[0].kind, ContainerKind::Map);
        assert_eq!(i.path[1], PathStep::Processor);
        assert!(m.rect.contains_rect(&i.rect));
        assert_eq!(l.nodes[l.containers[0].node].container, Some(0));
    }

    #[test]
    fn unreachable_states_trail_below() {
        let l = lay_out(json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "End": true},
            "Orphan": {"Type": "Pass", "Next": "A"}}}));
        let (a, orphan) = (node(&l, "A"), node(&l, "Orphan"));
        assert!(orphan.layer > a.layer);
        assert!(orphan.rect.min.y > a.rect.max.y);
        assert!(edge(&l, "Orphan", "A").back);
    }

    #[test]
    fn fail_gets_its_own_end_marker_right_below() {
        let l = lay_out(json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "End": true, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}]},
            "F": {"Type": "Fail"}}}));
        let f = index(&l, "F");
        let own = l.markers.iter().find(|m| m.owner == Some(f)).unwrap();
        assert_eq!(own.rect.center().x, l.nodes[f].rect.center().x);
        assert!(own.rect.min.y > l.nodes[f].rect.max.y);
        assert_eq!(
            l.markers
                .iter()
                .filter(|m| m.kind == MarkerKind::End)
                .count(),
            2
        );
        let catch = edge(&l, "T", "F");
        assert_eq!(catch.kind, EdgeKind::Catch { index: 0 });
        assert_eq!(catch.label.as_deref(), Some("States.ALL"));
    }

    #[test]
    fn end_marker_styles() {
        let def = json!({"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsNull": true, "Next": "S"}],
                  "Default": "F"},
            "S": {"Type": "Succeed"}, "F": {"Type": "Fail"}}});
        let count = |end_markers| {
            let opts = LayoutOptions {
                end_markers,
                ..LayoutOptions::default()
            };
            let l = lay_out_with(def.clone(), &opts);
            l.markers
                .iter()
                .filter(|m| m.kind == MarkerKind::End)
                .count()
        };
        assert_eq!(count(EndMarkers::Shared), 1);
        assert_eq!(count(EndMarkers::SharedExceptFail), 2);
        assert_eq!(count(EndMarkers::PerState), 2);
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_an_error() {
        let mut input = LayoutInput::default();
        for _ in 0..5 {
            input = LayoutInput {
                nodes: vec![InNode {
                    id: "M".into(),
                    size: Size::new(50.0, 30.0),
                    kind: InNodeKind::Map { processor: input },
                    termination: Termination::End,
                }],
                edges: Vec::new(),
                start: Some(0),
            };
        }
        let opts = LayoutOptions {
            max_depth: 3,
            ..LayoutOptions::default()
        };
        assert_eq!(
            layout(&input, &opts),
            Err(LayoutError::TooDeep { limit: 3 })
        );
        let opts = LayoutOptions {
            max_depth: 5,
            ..LayoutOptions::default()
        };
        assert!(layout(&input, &opts).is_ok());
    }

    #[test]
    fn broken_input_still_lays_out() {
        let bad = |w: f32| InNode {
            id: "X".into(),
            size: Size::new(w, f32::NAN),
            kind: InNodeKind::Parallel {
                branches: vec![LayoutInput::default()],
            },
            termination: Termination::None,
        };
        let input = LayoutInput {
            nodes: vec![bad(f32::INFINITY), bad(-5.0), bad(1e30)],
            edges: vec![
                InEdge {
                    from: 0,
                    to: 9,
                    kind: EdgeKind::Next,
                    label: None,
                },
                InEdge {
                    from: 1,
                    to: 1,
                    kind: EdgeKind::Next,
                    label: None,
                },
                InEdge {
                    from: 2,
                    to: 0,
                    kind: EdgeKind::Next,
                    label: None,
                },
            ],
            start: Some(42),
        };
        let opts = LayoutOptions {
            layer_gap: f32::NAN,
            marker_size: Size::new(-1.0, f32::INFINITY),
            ..LayoutOptions::default()
        };
        let l = layout(&input, &opts).unwrap();
        assert_eq!(l.nodes.len(), 3);
        assert!(check_layout(&l, &opts.sanitized()).is_empty());
        let empty = layout(&LayoutInput::default(), &LayoutOptions::default()).unwrap();
        assert!(empty.nodes.is_empty() && empty.markers.len() == 1 && empty.bounds.is_finite());
    }
}
