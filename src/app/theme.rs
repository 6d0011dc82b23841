//! Colours, spacing and the small painted icons of the designer.

use crate::asl::model::StateType;
use crate::asl::validate::Severity;
use egui::{Color32, CornerRadius, Painter, Pos2, Rect, Stroke, Ui, Vec2};

/// The accent used for selection, focus and primary actions.
pub const ACCENT: Color32 = Color32::from_rgb(0x4c, 0x9a, 0xff);

/// Installs the fonts, and the dark and light styles (the system preference picks one).
pub fn install(ctx: &egui::Context) {
    // Arrows, bullets and box-drawing glyphs exist in the monospace font only: let the
    // proportional text fall back to it rather than draw boxes.
    let mut fonts = egui::FontDefinitions::default();
    if let Some(mono) = fonts
        .families
        .get(&egui::FontFamily::Monospace)
        .and_then(|f| f.first())
        .cloned()
        && let Some(proportional) = fonts.families.get_mut(&egui::FontFamily::Proportional)
        && !proportional.contains(&mono)
    {
        proportional.push(mono);
    }
    ctx.set_fonts(fonts);
    ctx.set_visuals_of(egui::Theme::Dark, dark_visuals());
    ctx.set_visuals_of(egui::Theme::Light, light_visuals());
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = Vec2::new(8.0, 6.0);
        style.spacing.button_padding = Vec2::new(8.0, 4.0);
        style.spacing.interact_size.y = 24.0;
        style.spacing.menu_margin = egui::Margin::same(6);
        style.spacing.window_margin = egui::Margin::same(14);
    });
}

fn dark_visuals() -> egui::Visuals {
    let mut v = egui::Visuals::dark();
    let panel = Color32::from_rgb(0x1f, 0x22, 0x28);
    v.panel_fill = panel;
    v.window_fill = Color32::from_rgb(0x25, 0x28, 0x2f);
    v.extreme_bg_color = Color32::from_rgb(0x17, 0x19, 0x1e);
    v.faint_bg_color = Color32::from_rgb(0x26, 0x2a, 0x31);
    v.code_bg_color = Color32::from_rgb(0x17, 0x19, 0x1e);
    v.window_stroke = Stroke::new(1.0, Color32::from_rgb(0x34, 0x38, 0x40));
    v.window_corner_radius = CornerRadius::same(8);
    v.menu_corner_radius = CornerRadius::same(6);
    v.selection.bg_fill = Color32::from_rgb(0x26, 0x4f, 0x78);
    v.selection.stroke = Stroke::new(1.0, ACCENT);
    v.hyperlink_color = ACCENT;
    let widgets = &mut v.widgets;
    widgets.noninteractive.bg_stroke = Stroke::new(1.0, Color32::from_rgb(0x30, 0x34, 0x3c));
    widgets.noninteractive.fg_stroke = Stroke::new(1.0, Color32::from_rgb(0xc8, 0xcc, 0xd4));
    widgets.inactive.weak_bg_fill = Color32::from_rgb(0x2b, 0x2f, 0x37);
    widgets.inactive.bg_fill = Color32::from_rgb(0x2b, 0x2f, 0x37);
    widgets.inactive.fg_stroke = Stroke::new(1.0, Color32::from_rgb(0xd4, 0xd8, 0xe0));
    widgets.hovered.weak_bg_fill = Color32::from_rgb(0x35, 0x3a, 0x44);
    widgets.hovered.bg_fill = Color32::from_rgb(0x35, 0x3a, 0x44);
    widgets.hovered.bg_stroke = Stroke::new(1.0, Color32::from_rgb(0x4a, 0x50, 0x5c));
    widgets.active.weak_bg_fill = Color32::from_rgb(0x3d, 0x43, 0x4f);
    for w in [
        &mut widgets.noninteractive,
        &mut widgets.inactive,
        &mut widgets.hovered,
        &mut widgets.active,
        &mut widgets.open,
    ] {
        w.corner_radius = CornerRadius::same(5);
    }
    v
}

fn light_visuals() -> egui::Visuals {
    let mut v = egui::Visuals::light();
    v.panel_fill = Color32::from_rgb(0xf6, 0xf7, 0xf9);
    v.extreme_bg_color = Color32::WHITE;
    v.code_bg_color = Color32::WHITE;
    v.faint_bg_color = Color32::from_rgb(0xee, 0xf0, 0xf3);
    v.selection.bg_fill = Color32::from_rgb(0xc7, 0xde, 0xff);
    v.selection.stroke = Stroke::new(1.0, Color32::from_rgb(0x1a, 0x5f, 0xc8));
    v.window_corner_radius = CornerRadius::same(8);
    for w in [
        &mut v.widgets.noninteractive,
        &mut v.widgets.inactive,
        &mut v.widgets.hovered,
        &mut v.widgets.active,
        &mut v.widgets.open,
    ] {
        w.corner_radius = CornerRadius::same(5);
    }
    v
}

/// The colour of a state type (as Workflow Studio groups them: actions, flow, outcomes).
pub fn state_color(kind: Option<StateType>) -> Color32 {
    match kind {
        Some(StateType::Task) => Color32::from_rgb(0x3b, 0x82, 0xf6),
        Some(StateType::Choice) => Color32::from_rgb(0xf5, 0x9e, 0x0b),
        Some(StateType::Pass) => Color32::from_rgb(0x94, 0xa3, 0xb8),
        Some(StateType::Wait) => Color32::from_rgb(0xa7, 0x8b, 0xfa),
        Some(StateType::Succeed) => Color32::from_rgb(0x22, 0xc5, 0x5e),
        Some(StateType::Fail) => Color32::from_rgb(0xef, 0x44, 0x44),
        Some(StateType::Parallel) => Color32::from_rgb(0x14, 0xb8, 0xa6),
        Some(StateType::Map) => Color32::from_rgb(0x06, 0xb6, 0xd4),
        None => Color32::from_rgb(0x6b, 0x72, 0x80),
    }
}

pub fn severity_color(severity: Severity, dark: bool) -> Color32 {
    match (severity, dark) {
        (Severity::Error, true) => Color32::from_rgb(0xf1, 0x4c, 0x4c),
        (Severity::Error, false) => Color32::from_rgb(0xd0, 0x21, 0x21),
        (Severity::Warning, true) => Color32::from_rgb(0xe0, 0xb0, 0x20),
        (Severity::Warning, false) => Color32::from_rgb(0xa8, 0x75, 0x00),
        (Severity::Information, true) => Color32::from_rgb(0x37, 0x94, 0xff),
        (Severity::Information, false) => Color32::from_rgb(0x1a, 0x5f, 0xc8),
    }
}

/// Allocates a small square and paints the state type's badge in it.
pub fn state_badge_ui(ui: &mut Ui, kind: Option<StateType>) {
    let (rect, _) = ui.allocate_exact_size(Vec2::splat(12.0), egui::Sense::hover());
    paint_state_badge(ui.painter(), rect, kind);
}

/// A rounded square for actions, a diamond for Choice, a circle for outcomes, a double
/// square for containers: recognisable shapes, not only colours.
pub fn paint_state_badge(painter: &Painter, rect: Rect, kind: Option<StateType>) {
    let color = state_color(kind);
    let c = rect.center();
    let r = rect.width().min(rect.height()) * 0.42;
    match kind {
        Some(StateType::Choice) => {
            let points = vec![
                Pos2::new(c.x, c.y - r),
                Pos2::new(c.x + r, c.y),
                Pos2::new(c.x, c.y + r),
                Pos2::new(c.x - r, c.y),
            ];
            painter.add(egui::Shape::convex_polygon(points, color, Stroke::NONE));
        }
        Some(StateType::Succeed | StateType::Fail) => {
            painter.circle_filled(c, r, color);
        }
        Some(StateType::Parallel | StateType::Map) => {
            let outer = Rect::from_center_size(c, Vec2::splat(2.0 * r));
            painter.rect_stroke(
                outer,
                CornerRadius::same(2),
                Stroke::new(1.5, color),
                egui::StrokeKind::Inside,
            );
            painter.rect_filled(outer.shrink(r * 0.55), CornerRadius::same(1), color);
        }
        _ => {
            painter.rect_filled(
                Rect::from_center_size(c, Vec2::splat(2.0 * r)),
                CornerRadius::same(3),
                color,
            );
        }
    }
}

/// A severity icon: a filled circle with a painted mark (no font glyph needed).
pub fn paint_severity_icon(painter: &Painter, rect: Rect, severity: Severity, dark: bool) {
    let color = severity_color(severity, dark);
    let c = rect.center();
    let r = rect.width().min(rect.height()) * 0.45;
    let mark = Stroke::new(1.6, Color32::WHITE);
    match severity {
        Severity::Error => {
            painter.circle_filled(c, r, color);
            let d = r * 0.42;
            painter.line_segment([c + Vec2::new(-d, -d), c + Vec2::new(d, d)], mark);
            painter.line_segment([c + Vec2::new(d, -d), c + Vec2::new(-d, d)], mark);
        }
        Severity::Warning => {
            let points = vec![
                Pos2::new(c.x, c.y - r),
                Pos2::new(c.x + r, c.y + r * 0.8),
                Pos2::new(c.x - r, c.y + r * 0.8),
            ];
            painter.add(egui::Shape::convex_polygon(points, color, Stroke::NONE));
            let dark_mark = Stroke::new(1.6, Color32::from_rgb(0x20, 0x20, 0x20));
            painter.line_segment(
                [c + Vec2::new(0.0, -r * 0.35), c + Vec2::new(0.0, r * 0.25)],
                dark_mark,
            );
            painter.circle_filled(c + Vec2::new(0.0, r * 0.55), 0.9, dark_mark.color);
        }
        Severity::Information => {
            painter.circle_filled(c, r, color);
            painter.line_segment(
                [c + Vec2::new(0.0, -r * 0.05), c + Vec2::new(0.0, r * 0.5)],
                mark,
            );
            painter.circle_filled(c + Vec2::new(0.0, -r * 0.45), 1.0, Color32::WHITE);
        }
    }
}

pub fn severity_icon_ui(ui: &mut Ui, severity: Severity) {
    let (rect, _) = ui.allocate_exact_size(Vec2::splat(14.0), egui::Sense::hover());
    paint_severity_icon(ui.painter(), rect, severity, ui.visuals().dark_mode);
}

/// A wavy underline from `from` to `to` (same y), like spell checkers draw.
pub fn squiggle(painter: &Painter, from: Pos2, to: Pos2, color: Color32) {
    let width = (to.x - from.x).max(6.0);
    let step = 2.5;
    let count = (width / step).ceil() as usize;
    let points: Vec<Pos2> = (0..=count)
        .map(|i| {
            let x = from.x + (i as f32 * step).min(width);
            let y = from.y + if i % 2 == 0 { 0.0 } else { 2.0 };
            Pos2::new(x, y)
        })
        .collect();
    painter.add(egui::Shape::line(points, Stroke::new(1.2, color)));
}

/// A small section heading, in the panels' style.
pub fn heading_ui(ui: &mut Ui, text: &str) {
    ui.label(
        egui::RichText::new(text.to_uppercase())
            .size(11.0)
            .strong()
            .color(ui.visuals().weak_text_color()),
    );
}
