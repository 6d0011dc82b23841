//! Drawing the laid-out graph in scene coordinates: containers, edges, markers, states.

use super::graph::{Graph, ICON_ROOM, LABEL_FONT, NodeInfo, SUBTITLE_FONT, TITLE_FONT, rect};
use super::run_paint::{self, RunLook};
use super::style::{node_icon, paint_type_symbol};
use crate::app::theme::{ACCENT, paint_severity_icon, state_color};
use crate::asl::model::StateType;
use crate::asl::validate::Severity;
use crate::layout::{ContainerKind, EdgeKind, MarkerKind, RoutedEdge};
use egui::{
    Align2, Color32, CornerRadius, FontId, Painter, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2,
};

/// Colours of the canvas, from the current visuals.
pub struct Palette {
    pub dark: bool,
    pub node_fill: Color32,
    pub node_stroke: Color32,
    pub text: Color32,
    pub weak_text: Color32,
    pub edge: Color32,
    pub catch_edge: Color32,
    pub container_fill: Color32,
    pub branch_fill: Color32,
    pub label_fill: Color32,
    /// Laid over a state a run shown has not reached: the canvas's own colour, see-through.
    pub veil: Color32,
}

impl Palette {
    pub fn new(visuals: &egui::Visuals) -> Palette {
        let dark = visuals.dark_mode;
        let pick = |d: (u8, u8, u8), l: (u8, u8, u8)| {
            let (r, g, b) = if dark { d } else { l };
            Color32::from_rgb(r, g, b)
        };
        Palette {
            dark,
            node_fill: pick((0x2a, 0x2e, 0x36), (0xff, 0xff, 0xff)),
            node_stroke: pick((0x45, 0x4b, 0x57), (0xc4, 0xc9, 0xd2)),
            text: visuals.strong_text_color(),
            weak_text: visuals.weak_text_color(),
            edge: pick((0x8a, 0x93, 0xa3), (0x68, 0x70, 0x7e)),
            catch_edge: pick((0xe0, 0x6c, 0x6c), (0xc2, 0x3b, 0x3b)),
            container_fill: pick((0x23, 0x27, 0x2e), (0xf1, 0xf3, 0xf6)),
            branch_fill: pick((0x1c, 0x1f, 0x25), (0xfa, 0xfb, 0xfc)),
            label_fill: pick((0x23, 0x27, 0x2e), (0xf6, 0xf7, 0xf9)),
            veil: visuals.panel_fill.gamma_multiply(0.55),
        }
    }
}

/// How one node is drawn this frame.
#[derive(Clone, Copy, Default)]
pub struct NodeLook<'a> {
    pub selected: bool,
    pub hovered: bool,
    pub dimmed: bool,
    pub severity: Option<Severity>,
    /// What the run shown did in this state, its breakpoint (see `run_paint`).
    pub run: RunLook<'a>,
}

pub fn containers(painter: &Painter, graph: &Graph, colors: &Palette, visible: Rect) {
    for container in &graph.layout.containers {
        let outer = rect(container.rect);
        if !outer.intersects(visible) {
            continue;
        }
        let color = match container.kind {
            ContainerKind::Parallel => state_color(Some(StateType::Parallel)),
            ContainerKind::Map => state_color(Some(StateType::Map)),
        };
        painter.rect(
            outer,
            CornerRadius::same(8),
            colors.container_fill,
            Stroke::new(1.2, color.gamma_multiply(0.8)),
            StrokeKind::Inside,
        );
        for branch in &container.branches {
            painter.rect(
                rect(*branch),
                CornerRadius::same(6),
                colors.branch_fill,
                Stroke::new(1.0, colors.node_stroke.gamma_multiply(0.6)),
                StrokeKind::Inside,
            );
        }
    }
}

/// What a run adds to the edges: the colour of each taken one (parallel to the layout's
/// edges; empty without a run), and whether the others are dimmed.
#[derive(Clone, Copy, Default)]
pub struct EdgeRun<'a> {
    pub taken: &'a [Option<Color32>],
    pub dim_others: bool,
}

/// How one edge is drawn.
#[derive(Clone, Copy)]
struct EdgeLook {
    /// An edge of the selected state.
    strong: bool,
    /// Taken by the run shown, in this colour.
    taken: Option<Color32>,
    /// A run is shown and this edge was not taken.
    dim: bool,
}

pub fn edges(
    painter: &Painter,
    graph: &Graph,
    colors: &Palette,
    visible: Rect,
    highlight: &[usize],
    detail: Detail,
    run: EdgeRun<'_>,
) {
    // All dashed edges go into one mesh: thousands of separate dash shapes (a shared error
    // handler caught from a hundred states) would cost more to tessellate than the frame has.
    let scale = painter
        .ctx()
        .layer_transform_to_global(painter.layer_id())
        .map_or(1.0, |t| t.scaling.max(0.01));
    let clip = visible.expand(16.0);
    let mut labelled = Vec::new();
    // The edges a run took go last, over the others, with their own dash mesh; without a
    // run there is one pass, as there always was.
    let any_taken = run.taken.iter().any(Option::is_some);
    for taken_pass in [false, true] {
        if taken_pass && !any_taken {
            break;
        }
        let mut pen = EdgePen {
            painter,
            colors,
            detail,
            dashes: DashMesh::new(1.0 / scale, clip),
        };
        for (index, edge) in graph.layout.edges.iter().enumerate() {
            let taken = run.taken.get(index).copied().flatten();
            if taken.is_some() != taken_pass {
                continue;
            }
            let (Some(path), Some(bounds)) = (graph.paths.get(index), graph.path_bounds.get(index))
            else {
                continue;
            };
            if !bounds.expand(8.0).intersects(visible) {
                continue;
            }
            let look = EdgeLook {
                strong: highlight.contains(&index),
                taken,
                dim: run.dim_others && taken.is_none(),
            };
            // Long edges (a Catch running down a 500-state workflow) are drawn only where they
            // are in view: dashing and tessellating the rest would cost the frame.
            if bounds.height() > clip.height() * 2.0 || bounds.width() > clip.width() * 2.0 {
                for part in visible_runs(path, clip) {
                    let tip = part.last() == path.last();
                    pen.line(edge, &part, look, tip);
                }
            } else {
                pen.line(edge, path, look, true);
            }
            if detail == Detail::Full && edge.label.is_some() {
                labelled.push((edge, look));
            }
        }
        if !taken_pass || !pen.dashes.mesh.is_empty() {
            painter.add(Shape::mesh(pen.dashes.mesh));
        }
    }
    // Labels last, so that no edge (the dashed ones are in the mesh above) runs across them.
    for (edge, look) in labelled {
        edge_label(painter, colors, edge, look);
    }
}

fn edge_color(colors: &Palette, edge: &RoutedEdge, look: EdgeLook) -> Color32 {
    if let Some(taken) = look.taken {
        return taken;
    }
    let color = match (edge.kind, look.strong) {
        (_, true) => ACCENT,
        (EdgeKind::Catch { .. }, _) => colors.catch_edge,
        _ => colors.edge,
    };
    if look.dim {
        color.gamma_multiply(0.5)
    } else {
        color
    }
}

fn edge_label(painter: &Painter, colors: &Palette, edge: &RoutedEdge, look: EdgeLook) {
    let (Some(label), Some(label_rect)) = (&edge.label, edge.label_rect) else {
        return;
    };
    let color = edge_color(colors, edge, look);
    let label_rect = rect(label_rect);
    painter.rect(
        label_rect,
        CornerRadius::same(4),
        colors.label_fill,
        Stroke::new(
            if look.taken.is_some() { 1.5 } else { 1.0 },
            color.gamma_multiply(0.5),
        ),
        StrokeKind::Inside,
    );
    let text_color = match edge.kind {
        EdgeKind::Catch { .. } => colors.catch_edge,
        _ => colors.text,
    };
    painter.text(
        label_rect.center(),
        Align2::CENTER_CENTER,
        label,
        FontId::proportional(LABEL_FONT),
        text_color,
    );
}

/// Draws edges in one style for the frame.
struct EdgePen<'a> {
    painter: &'a Painter,
    colors: &'a Palette,
    detail: Detail,
    dashes: DashMesh,
}

impl EdgePen<'_> {
    fn line(&mut self, edge: &RoutedEdge, path: &[Pos2], look: EdgeLook, tip: bool) {
        if path.len() < 2 {
            return;
        }
        let color = edge_color(self.colors, edge, look);
        let width = match (look.taken.is_some(), look.strong) {
            (true, true) => 3.0,
            (true, false) => 2.6,
            (false, true) => 2.0,
            (false, false) => 1.3,
        };
        let stroke = Stroke::new(width, color);
        match (edge.kind, self.detail) {
            (EdgeKind::Catch { .. }, Detail::Full) => self.dashes.add(path, stroke, 6.0, 4.0),
            _ => {
                self.painter.add(Shape::line(path.to_vec(), stroke));
            }
        }
        if tip && let [.., before, last] = path {
            arrowhead(self.painter, *before, *last, color);
        }
    }
}

/// Dashed polylines as one anti-aliased triangle mesh (scene coordinates).
struct DashMesh {
    mesh: egui::Mesh,
    /// One screen pixel in scene units: the width of the anti-aliasing fringe.
    feather: f32,
    clip: Rect,
}

impl DashMesh {
    fn new(feather: f32, clip: Rect) -> DashMesh {
        DashMesh {
            mesh: egui::Mesh::default(),
            feather,
            clip,
        }
    }

    fn add(&mut self, path: &[Pos2], stroke: Stroke, dash: f32, gap: f32) {
        let mut drawing = true;
        let mut left = dash;
        for pair in path.windows(2) {
            let (mut a, b) = (pair[0], pair[1]);
            let mut length = a.distance(b);
            if length <= 0.0 {
                continue;
            }
            let direction = (b - a) / length;
            while length > 0.0 {
                let step = left.min(length);
                let end = a + direction * step;
                if drawing && Rect::from_two_pos(a, end).intersects(self.clip) {
                    self.quad(a, end, direction, stroke);
                }
                a = end;
                length -= step;
                left -= step;
                if left <= 0.0 {
                    drawing = !drawing;
                    left = if drawing { dash } else { gap };
                }
            }
        }
    }

    /// One dash: a core quad in the stroke colour and a transparent fringe on each side.
    fn quad(&mut self, a: Pos2, b: Pos2, direction: Vec2, stroke: Stroke) {
        // As egui's tessellator does: a core narrower by the fringe, so the line looks as
        // wide as its stroke.
        let half = ((stroke.width - self.feather) / 2.0).max(0.0);
        let normal = direction.rot90();
        let inner = normal * half;
        let outer = normal * (half + self.feather);
        let transparent = Color32::TRANSPARENT;
        let base = self.mesh.vertices.len() as u32;
        for (point, offset, color) in [
            (a, -outer, transparent),
            (a, -inner, stroke.color),
            (a, inner, stroke.color),
            (a, outer, transparent),
            (b, -outer, transparent),
            (b, -inner, stroke.color),
            (b, inner, stroke.color),
            (b, outer, transparent),
        ] {
            self.mesh.colored_vertex(point + offset, color);
        }
        for strip in 0..3 {
            let (i, j) = (base + strip, base + strip + 1);
            self.mesh.add_triangle(i, j, i + 4);
            self.mesh.add_triangle(j, j + 4, i + 4);
        }
    }
}

/// How much to draw: at small zooms texts and icons would be unreadable specks, so only
/// shapes are drawn (which also keeps a 500-state overview cheap).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    Full,
    Shapes,
}

impl Detail {
    pub fn for_zoom(zoom: f32) -> Detail {
        if zoom < 0.4 {
            Detail::Shapes
        } else {
            Detail::Full
        }
    }
}

/// The parts of a polyline whose segments come near `clip`.
fn visible_runs(path: &[Pos2], clip: Rect) -> Vec<Vec<Pos2>> {
    let mut runs: Vec<Vec<Pos2>> = Vec::new();
    let mut current: Vec<Pos2> = Vec::new();
    for pair in path.windows(2) {
        if Rect::from_two_pos(pair[0], pair[1]).intersects(clip) {
            if current.is_empty() {
                current.push(pair[0]);
            }
            current.push(pair[1]);
        } else if !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// Curves between points that cross a gap between layers (vertical tangents, so the curve
/// stays inside the gap the layout reserved); straight runs stay straight.
pub fn smooth(points: &[Pos2]) -> Vec<Pos2> {
    let mut out = Vec::with_capacity(points.len() * 8);
    let Some(first) = points.first() else {
        return out;
    };
    out.push(*first);
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if (a.x - b.x).abs() < 0.5 || (a.y - b.y).abs() < 0.5 {
            out.push(b);
            continue;
        }
        let mid = (a.y + b.y) / 2.0;
        let (c1, c2) = (Pos2::new(a.x, mid), Pos2::new(b.x, mid));
        const STEPS: usize = 10;
        for step in 1..=STEPS {
            let t = step as f32 / STEPS as f32;
            let u = 1.0 - t;
            let p = a.to_vec2() * (u * u * u)
                + c1.to_vec2() * (3.0 * u * u * t)
                + c2.to_vec2() * (3.0 * u * t * t)
                + b.to_vec2() * (t * t * t);
            out.push(p.to_pos2());
        }
    }
    out
}

fn arrowhead(painter: &Painter, from: Pos2, tip: Pos2, color: Color32) {
    let direction = (tip - from).normalized();
    if !direction.is_finite() || direction == Vec2::ZERO {
        return;
    }
    let back = tip - direction * 8.0;
    let side = direction.rot90() * 4.0;
    painter.add(Shape::convex_polygon(
        vec![tip, back + side, back - side],
        color,
        Stroke::NONE,
    ));
}

pub fn markers(painter: &Painter, graph: &Graph, colors: &Palette, visible: Rect) {
    for marker in &graph.layout.markers {
        let area = rect(marker.rect);
        if !area.intersects(visible) {
            continue;
        }
        let center = area.center();
        let radius = area.width().min(area.height()) / 2.0;
        match marker.kind {
            MarkerKind::Start => {
                painter.circle_filled(center, radius, colors.edge);
                painter.circle_filled(center, radius * 0.45, colors.node_fill);
            }
            MarkerKind::End => {
                painter.circle_stroke(center, radius - 1.0, Stroke::new(2.0, colors.edge));
                painter.circle_filled(center, radius * 0.5, colors.edge);
            }
        }
    }
}

/// One state: a box with its icon tile, name and subtitle (containers: their header).
pub fn node(
    painter: &Painter,
    graph: &Graph,
    index: usize,
    colors: &Palette,
    look: NodeLook<'_>,
    detail: Detail,
) {
    let (Some(placed), Some(info)) = (graph.layout.nodes.get(index), graph.nodes.get(index)) else {
        return;
    };
    let area = match placed
        .container
        .and_then(|c| graph.layout.containers.get(c))
    {
        Some(container) => rect(container.header),
        None => rect(placed.rect),
    };
    let terminal = matches!(info.kind, Some(StateType::Succeed | StateType::Fail));
    let radius = if terminal {
        CornerRadius::same((area.height() / 2.0) as u8)
    } else {
        CornerRadius::same(6)
    };
    let type_color = state_color(info.kind);
    let stroke = if look.selected {
        Stroke::new(2.5, ACCENT)
    } else if look.hovered {
        Stroke::new(1.5, type_color)
    } else if terminal {
        Stroke::new(1.5, type_color.gamma_multiply(0.9))
    } else {
        Stroke::new(1.0, colors.node_stroke)
    };
    let fill = if look.dimmed {
        colors.node_fill.gamma_multiply(0.4)
    } else {
        colors.node_fill
    };
    let (fill, stroke) = match look.run.state {
        Some(state) => run_paint::status_look(fill, stroke, state.status, look.selected, colors),
        None => (fill, stroke),
    };
    painter.rect(area, radius, fill, stroke, StrokeKind::Inside);
    if !terminal {
        // A stripe of the type's colour on the left edge, as Workflow Studio does.
        let stripe = Rect::from_min_max(area.min, Pos2::new(area.min.x + 4.0, area.max.y));
        painter.rect_filled(
            stripe,
            CornerRadius {
                nw: 6,
                sw: 6,
                ne: 0,
                se: 0,
            },
            type_color,
        );
    }
    if detail == Detail::Shapes {
        if let Some(severity) = look.severity {
            let mark = Rect::from_min_max(Pos2::new(area.max.x - 10.0, area.min.y), area.max);
            let color = crate::app::theme::severity_color(severity, colors.dark);
            painter.rect_filled(mark, CornerRadius::same(3), color);
        }
        run_paint::decorate(painter, area, radius, look.run, colors, detail);
        return;
    }
    icon(painter, info, area);
    let progress = look.run.state.and_then(|s| s.progress.as_deref());
    text(painter, info, area, colors, progress);
    if let Some(severity) = look.severity {
        let badge = Rect::from_center_size(
            Pos2::new(area.max.x - 2.0, area.min.y + 2.0),
            Vec2::splat(14.0),
        );
        paint_severity_icon(painter, badge, severity, colors.dark);
    }
    run_paint::decorate(painter, area, radius, look.run, colors, detail);
}

fn icon(painter: &Painter, info: &NodeInfo, area: Rect) {
    let size = (area.height() - 14.0).clamp(16.0, 26.0);
    let tile = Rect::from_center_size(
        Pos2::new(area.min.x + 8.0 + size / 2.0 + 2.0, area.center().y),
        Vec2::splat(size),
    );
    let Some(icon) = node_icon(info) else {
        painter.rect_filled(tile, CornerRadius::same(5), state_color(info.kind));
        paint_type_symbol(painter, tile, info.kind);
        return;
    };
    painter.rect_filled(tile, CornerRadius::same(5), icon.color);
    let font = if icon.text.chars().count() > 2 {
        8.5
    } else {
        13.0
    };
    painter.text(
        tile.center(),
        Align2::CENTER_CENTER,
        icon.text,
        FontId::proportional(font),
        Color32::WHITE,
    );
}

/// The name, and below it the subtitle (leaves) or the run's progress (container headers).
fn text(painter: &Painter, info: &NodeInfo, area: Rect, colors: &Palette, progress: Option<&str>) {
    let left = area.min.x + ICON_ROOM + 4.0;
    let name = info.title.as_str();
    let two_lines = area.height() >= 40.0;
    if let (false, Some(progress)) = (two_lines, progress) {
        painter.text(
            Pos2::new(left, area.center().y - 7.0),
            Align2::LEFT_CENTER,
            name,
            FontId::proportional(TITLE_FONT),
            colors.text,
        );
        // A header is as wide as its container, which may be narrower than the progress.
        painter.with_clip_rect(area.shrink(2.0)).text(
            Pos2::new(left, area.center().y + 8.0),
            Align2::LEFT_CENTER,
            progress,
            FontId::proportional(SUBTITLE_FONT - 1.0),
            colors.weak_text,
        );
    } else if two_lines {
        painter.text(
            Pos2::new(left, area.center().y - 8.0),
            Align2::LEFT_CENTER,
            name,
            FontId::proportional(TITLE_FONT),
            colors.text,
        );
        painter.text(
            Pos2::new(left, area.center().y + 9.0),
            Align2::LEFT_CENTER,
            &info.subtitle,
            FontId::proportional(SUBTITLE_FONT),
            colors.weak_text,
        );
    } else {
        painter.text(
            Pos2::new(left, area.center().y),
            Align2::LEFT_CENTER,
            name,
            FontId::proportional(TITLE_FONT),
            colors.text,
        );
    }
}

/// A drop place: a small "+" pill on an edge (bigger and accented when it is the one).
pub fn drop_zone(painter: &Painter, at: Pos2, active: bool, colors: &Palette) {
    let radius = if active { 11.0 } else { 7.0 };
    let fill = if active { ACCENT } else { colors.node_fill };
    painter.circle(at, radius, fill, Stroke::new(1.5, ACCENT));
    let arm = radius * 0.5;
    let cross = Stroke::new(1.6, if active { Color32::WHITE } else { ACCENT });
    painter.line_segment([at - Vec2::new(arm, 0.0), at + Vec2::new(arm, 0.0)], cross);
    painter.line_segment([at - Vec2::new(0.0, arm), at + Vec2::new(0.0, arm)], cross);
}

/// An empty branch or item processor: a dashed box saying where to drop.
pub fn empty_graph(painter: &Painter, area: Rect, active: bool, colors: &Palette) {
    let stroke = Stroke::new(1.2, if active { ACCENT } else { colors.weak_text });
    let corners = [
        area.left_top(),
        area.right_top(),
        area.right_bottom(),
        area.left_bottom(),
        area.left_top(),
    ];
    painter.extend(Shape::dashed_line(&corners, stroke, 5.0, 4.0));
    painter.text(
        area.center(),
        Align2::CENTER_CENTER,
        "Drop state here",
        FontId::proportional(SUBTITLE_FONT),
        stroke.color,
    );
}
