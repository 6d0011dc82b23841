//! What a run adds to the canvas: each state tinted and bordered in its status colour with a
//! status badge, visit and retry counts, Map / Parallel progress in the header; the states a
//! run has not reached dimmed; the state a paused run enters next outlined with a "next" tag;
//! the transitions taken in colour; breakpoint dots; and, over the canvas, a legend (or a
//! note that the run belongs to an older text, in which case nothing is coloured).
//!
//! A drawn node's run is looked up once, by name; texts are made only for the few count
//! badges and when asked for (tooltips, screen readers), so a 500-state run costs about what
//! the plain canvas does.

use super::graph::Graph;
use super::paint::{Detail, Palette};
use crate::app::run::{RunOverlay, StateRun, status_color, status_word};
use crate::asl::model::StateType;
use crate::engine::debug::VisitStatus;
use crate::layout::{EdgeKind, Endpoint};
use egui::{
    Align, Color32, CornerRadius, FontId, LayerId, Layout, Painter, Pos2, Rect, RichText, Sense,
    Shape, Stroke, StrokeKind, Ui, UiBuilder, Vec2,
};
use rustc_hash::FxHashSet;

/// The breakpoint red of the common debuggers.
const BREAKPOINT_RED: Color32 = Color32::from_rgb(0xe5, 0x14, 0x00);
/// Radius of a breakpoint dot, and the side of its hit zone (scene units).
const DOT_RADIUS: f32 = 5.0;
pub const DOT_ZONE: f32 = 16.0;

/// The statuses in the order the legend lists them.
const STATUSES: [VisitStatus; 5] = [
    VisitStatus::InProgress,
    VisitStatus::Succeeded,
    VisitStatus::Caught,
    VisitStatus::Failed,
    VisitStatus::Cancelled,
];

/// What the run and the breakpoints change in how one node is drawn.
#[derive(Clone, Copy, Default)]
pub struct RunLook<'a> {
    /// What the run did in this state (`None`: not reached, or no run is shown).
    pub state: Option<&'a StateRun>,
    /// A run is shown: the states it has not reached are dimmed.
    pub shown: bool,
    /// The paused run enters this state next.
    pub entering: bool,
    pub breakpoint: bool,
    /// How the breakpoint dot reacts to the pointer.
    pub dot: DotHover,
}

/// The breakpoint dot is found by hovering: faint over the node, stronger over the dot.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub enum DotHover {
    #[default]
    None,
    Node,
    Dot,
}

/// The fill and border of a state in a run status: a tint of the colour and a border in it
/// (a selected state keeps the selection's border).
pub fn status_look(
    fill: Color32,
    stroke: Stroke,
    status: VisitStatus,
    selected: bool,
    colors: &Palette,
) -> (Color32, Stroke) {
    let color = status_color(status, colors.dark);
    // Dark fills need a stronger tint to show at all.
    let tint = if colors.dark { 0.22 } else { 0.12 };
    let stroke = if selected {
        stroke
    } else {
        Stroke::new(2.0, color)
    };
    (fill.lerp_to_gamma(color, tint), stroke)
}

/// What goes over a drawn node: the dimming veil, the in-progress halo, the "next" outline,
/// the status badge and counts (full detail only), the breakpoint dot.
pub fn decorate(
    painter: &Painter,
    area: Rect,
    radius: CornerRadius,
    run: RunLook<'_>,
    colors: &Palette,
    detail: Detail,
) {
    if run.shown && run.state.is_none() && !run.entering {
        painter.rect_filled(area, radius, colors.veil);
    }
    let grown = |by: u8| CornerRadius::same(radius.nw.saturating_add(by));
    if let Some(state) = run.state {
        let color = status_color(state.status, colors.dark);
        if state.status == VisitStatus::InProgress {
            // A halo, not an animation: a paused run would otherwise repaint forever.
            painter.rect_stroke(
                area.expand(1.0),
                grown(1),
                Stroke::new(4.0, color.gamma_multiply(0.35)),
                StrokeKind::Outside,
            );
        }
        if detail == Detail::Full {
            let badge = Pos2::new(area.max.x - 4.0, area.max.y - 4.0);
            status_badge(painter, badge, state.status, colors);
            counts(painter, badge.x - 11.0, area.max.y, state, color, colors);
        }
    }
    if run.entering {
        next_outline(painter, area, colors, detail);
    }
    breakpoint_dot(painter, area, run, colors);
}

/// A round badge on the bottom-right corner with the status drawn in white.
fn status_badge(painter: &Painter, at: Pos2, status: VisitStatus, colors: &Palette) {
    let r = 7.0;
    painter.circle(
        at,
        r,
        status_color(status, colors.dark),
        Stroke::new(1.5, colors.node_fill),
    );
    let white = Stroke::new(1.6, Color32::WHITE);
    let p = |x: f32, y: f32| at + Vec2::new(x, y) * (r * 0.5);
    match status {
        VisitStatus::Succeeded => {
            painter.line(vec![p(-0.9, 0.0), p(-0.25, 0.7), p(0.95, -0.7)], white);
        }
        VisitStatus::Failed => {
            painter.line_segment([p(-0.7, -0.7), p(0.7, 0.7)], white);
            painter.line_segment([p(0.7, -0.7), p(-0.7, 0.7)], white);
        }
        VisitStatus::Caught => {
            // "!": it failed, and a catcher took over.
            painter.line_segment([p(0.0, -1.0), p(0.0, 0.3)], white);
            painter.circle_filled(p(0.0, 0.95), 1.0, Color32::WHITE);
        }
        VisitStatus::InProgress => {
            for x in [-0.9, 0.0, 0.9] {
                painter.circle_filled(p(x, 0.0), 1.1, Color32::WHITE);
            }
        }
        VisitStatus::Cancelled => {
            painter.line_segment([p(-0.8, 0.0), p(0.8, 0.0)], white);
        }
    }
}

/// "×3" (visits) and "↻2" (retries) pills on the bottom border, right-aligned at `right`.
fn counts(
    painter: &Painter,
    right: f32,
    y: f32,
    state: &StateRun,
    color: Color32,
    colors: &Palette,
) {
    let mut right = right;
    if state.retries > 0 {
        right = pill(
            painter,
            right,
            y,
            format!("↻{}", state.retries),
            color,
            colors,
        );
    }
    if state.visits > 1 {
        pill(
            painter,
            right - 3.0,
            y,
            format!("×{}", state.visits),
            color,
            colors,
        );
    }
}

/// A small text on a rounded pill whose right end is at `right`; returns its left end.
fn pill(
    painter: &Painter,
    right: f32,
    y: f32,
    text: String,
    color: Color32,
    colors: &Palette,
) -> f32 {
    let galley = painter.layout_no_wrap(text, FontId::proportional(10.0), colors.text);
    let size = galley.size() + Vec2::new(8.0, 2.0);
    let area = Rect::from_min_size(Pos2::new(right - size.x, y - size.y / 2.0), size);
    painter.rect(
        area,
        CornerRadius::same((size.y / 2.0) as u8),
        colors.label_fill,
        Stroke::new(1.0, color),
        StrokeKind::Inside,
    );
    painter.galley(area.min + Vec2::new(4.0, 1.0), galley, colors.text);
    area.min.x
}

/// The state a paused run is about to enter: a dashed outline, and a "next" tag above it.
fn next_outline(painter: &Painter, area: Rect, colors: &Palette, detail: Detail) {
    let color = status_color(VisitStatus::InProgress, colors.dark);
    let outline = area.expand(4.0);
    let corners = [
        outline.left_top(),
        outline.right_top(),
        outline.right_bottom(),
        outline.left_bottom(),
        outline.left_top(),
    ];
    painter.extend(Shape::dashed_line(
        &corners,
        Stroke::new(2.0, color),
        6.0,
        4.0,
    ));
    if detail != Detail::Full {
        return;
    }
    let galley = painter.layout_no_wrap("next".into(), FontId::proportional(10.0), Color32::WHITE);
    let size = galley.size() + Vec2::new(18.0, 2.0);
    let tag = Rect::from_min_size(Pos2::new(outline.min.x, outline.min.y - size.y), size);
    painter.rect_filled(
        tag,
        CornerRadius {
            nw: 4,
            ne: 4,
            sw: 0,
            se: 0,
        },
        color,
    );
    // A play triangle: "runs from here".
    let c = Pos2::new(tag.min.x + 7.0, tag.center().y);
    painter.add(Shape::convex_polygon(
        vec![
            c + Vec2::new(-2.5, -3.5),
            c + Vec2::new(3.0, 0.0),
            c + Vec2::new(-2.5, 3.5),
        ],
        Color32::WHITE,
        Stroke::NONE,
    ));
    painter.galley(
        Pos2::new(tag.min.x + 13.0, tag.min.y + 1.0),
        galley,
        Color32::WHITE,
    );
}

/// Where a node's breakpoint dot sits: on the middle of its left edge.
pub fn dot_center(area: Rect) -> Pos2 {
    Pos2::new(area.min.x, area.center().y)
}

fn breakpoint_dot(painter: &Painter, area: Rect, run: RunLook<'_>, colors: &Palette) {
    let at = dot_center(area);
    let (radius, color) = match (run.breakpoint, run.dot) {
        (true, DotHover::Dot) => (DOT_RADIUS + 1.0, BREAKPOINT_RED),
        (true, _) => (DOT_RADIUS, BREAKPOINT_RED),
        (false, DotHover::Dot) => (DOT_RADIUS, BREAKPOINT_RED.gamma_multiply(0.55)),
        (false, DotHover::Node) => (DOT_RADIUS - 0.5, BREAKPOINT_RED.gamma_multiply(0.25)),
        (false, DotHover::None) => return,
    };
    painter.circle(at, radius, color, Stroke::new(1.5, colors.node_fill));
}

/// The colour of each edge the run took (parallel to the layout's edges): transitions in the
/// succeeded colour, Catch edges in the caught one, a scope's Start edge once its first state
/// ran, an End edge once its state's last visit ended there. `pairs` is scratch space kept between frames.
pub fn edge_colors(
    out: &mut Vec<Option<Color32>>,
    pairs: &mut FxHashSet<(usize, usize)>,
    graph: &Graph,
    run: &RunOverlay,
    dark: bool,
) {
    out.clear();
    out.resize(graph.layout.edges.len(), None);
    pairs.clear();
    for (from, to) in &run.taken {
        if let (Some(&from), Some(&to)) = (graph.by_name.get(from), graph.by_name.get(to)) {
            pairs.insert((from, to));
        }
    }
    let status = |node: usize| {
        let name = &graph.nodes.get(node)?.state.name;
        run.states.get(name.as_str()).map(|s| s.status)
    };
    let succeeded = status_color(VisitStatus::Succeeded, dark);
    for (slot, edge) in out.iter_mut().zip(&graph.layout.edges) {
        *slot = match (edge.from, edge.to, edge.kind) {
            (Endpoint::Node(from), Endpoint::Node(to), kind) if pairs.contains(&(from, to)) => {
                Some(match kind {
                    EdgeKind::Catch { .. } => status_color(VisitStatus::Caught, dark),
                    _ => succeeded,
                })
            }
            (_, Endpoint::Node(to), EdgeKind::Start) => status(to).map(|_| succeeded),
            // The status is the last visit's: an End edge shows only when that visit ended
            // there (a Fail state ends failing).
            (Endpoint::Node(from), _, EdgeKind::End) => match status(from) {
                Some(VisitStatus::Succeeded) => Some(succeeded),
                Some(VisitStatus::Failed)
                    if graph.nodes.get(from).and_then(|n| n.kind) == Some(StateType::Fail) =>
                {
                    Some(status_color(VisitStatus::Failed, dark))
                }
                _ => None,
            },
            _ => None,
        };
    }
}

/// The hover text of a state the run reached: "succeeded · 3 visits · 1 retry".
pub fn summary(state: &StateRun) -> String {
    let mut text = status_word(state.status).to_string();
    let plural =
        |n: u32, one: &str, many: &str| format!(" · {n} {}", if n == 1 { one } else { many });
    text += &plural(state.visits, "visit", "visits");
    if state.retries > 0 {
        text += &plural(state.retries, "retry", "retries");
    }
    // Earlier visits that failed (the last one's own failure is its status).
    if state.failed > 0
        && matches!(
            state.status,
            VisitStatus::Succeeded | VisitStatus::InProgress
        )
    {
        text += &format!(" · {} failed before", state.failed);
    }
    if let Some(progress) = &state.progress {
        text += &format!(" · {progress}");
    }
    text
}

/// What a screen reader says of a node: its name, then what the run did there
/// ("Charge, succeeded, 3 visits").
pub fn spoken(name: &str, state: Option<&StateRun>, entering: bool) -> String {
    let mut text = name.to_string();
    if let Some(state) = state {
        text += ", ";
        text += status_word(state.status);
        if state.visits > 1 {
            text += &format!(", {} visits", state.visits);
        }
        if state.retries > 0 {
            let s = if state.retries == 1 {
                "retry"
            } else {
                "retries"
            };
            text += &format!(", {} {s}", state.retries);
        }
    }
    if entering {
        text += ", next";
    }
    text
}

/// Over the bottom-left corner of the canvas: the run's colours, or the note that the run
/// belongs to an older text. On a layer of its own, above the scene's.
pub fn legend_ui(ui: &mut Ui, view: Rect, run: &RunOverlay) {
    let layer = LayerId::new(ui.layer_id().order, ui.scope_id().with("run-legend"));
    ui.ctx().set_sublayer(ui.layer_id(), layer);
    let mut overlay = ui.new_child(
        UiBuilder::new()
            .layer_id(layer)
            .max_rect(view.shrink(8.0))
            .layout(Layout::bottom_up(Align::Min)),
    );
    let visuals = overlay.visuals().clone();
    egui::Frame::new()
        .fill(visuals.window_fill.gamma_multiply(0.92))
        .stroke(visuals.window_stroke)
        .corner_radius(6)
        .inner_margin(6)
        .show(&mut overlay, |ui| {
            if run.stale {
                ui.label(RichText::new("Run is stale: the text changed since it ran").small())
                    .on_hover_text("Restart (Ctrl+Shift+F5) runs the current text");
                return;
            }
            ui.horizontal(|ui| {
                ui.spacing_mut().item_spacing.x = 4.0;
                for status in STATUSES {
                    let color = status_color(status, visuals.dark_mode);
                    let (swatch, _) = ui.allocate_exact_size(Vec2::splat(11.0), Sense::hover());
                    ui.painter().rect(
                        swatch,
                        CornerRadius::same(3),
                        color.gamma_multiply(0.35),
                        Stroke::new(1.5, color),
                        StrokeKind::Inside,
                    );
                    ui.label(RichText::new(status_word(status)).small());
                    ui.add_space(6.0);
                }
            });
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(status: VisitStatus, visits: u32, retries: u32) -> StateRun {
        StateRun {
            status,
            visits,
            retries,
            failed: 0,
            progress: None,
        }
    }

    #[test]
    fn summaries_read_like_sentences() {
        assert_eq!(
            summary(&run(VisitStatus::Succeeded, 3, 1)),
            "succeeded · 3 visits · 1 retry"
        );
        assert_eq!(
            summary(&run(VisitStatus::Failed, 1, 2)),
            "failed · 1 visit · 2 retries"
        );
        let state = run(VisitStatus::Caught, 1, 0);
        assert_eq!(
            spoken("Charge", Some(&state), false),
            "Charge, caught an error"
        );
        assert_eq!(spoken("Charge", None, true), "Charge, next");
    }

    #[test]
    fn the_badges_have_their_glyphs() {
        let ctx = egui::Context::default();
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            let font = FontId::proportional(10.0);
            ui.ctx().fonts_mut(|fonts| {
                assert!(fonts.has_glyph(&font, '×'));
                assert!(fonts.has_glyph(&font, '↻'), "no ↻");
            });
        });
        output.textures_delta.clear();
    }
}
