//! Rows of fixed height painted cell by cell, for the run panel's long lists (events,
//! iterations, visits). Painting instead of laying out widgets keeps a frame cheap: the lists
//! are virtualised (`ScrollArea::show_rows`), and each visible row is one widget whose
//! accessible label carries its whole text (screen readers and tests read rows by it).

use egui::{Align2, Color32, FontId, Rect, Response, Sense, Ui, Vec2};

/// The height of every row (the virtual scrolling relies on one height).
pub(in crate::app::run) const ROW_HEIGHT: f32 = 18.0;

const GAP: f32 = 8.0;

/// One cell of a row.
pub(in crate::app::run) struct Cell<'a> {
    pub text: &'a str,
    /// Its width; the last cell takes what is left.
    pub width: f32,
    /// A colour of its own (a status); the text colour otherwise.
    pub color: Option<Color32>,
}

impl<'a> Cell<'a> {
    pub(in crate::app::run) fn new(text: &'a str, width: f32) -> Cell<'a> {
        Cell {
            text,
            width,
            color: None,
        }
    }

    pub(in crate::app::run) fn colored(mut self, color: Option<Color32>) -> Cell<'a> {
        self.color = color;
        self
    }
}

/// The column titles above rows of the same widths.
pub(in crate::app::run) fn header_ui(ui: &mut Ui, titles: &[(&str, f32)]) {
    let (rect, _) =
        ui.allocate_exact_size(Vec2::new(ui.available_width(), ROW_HEIGHT), Sense::hover());
    let color = ui.visuals().weak_text_color();
    let font = FontId::proportional(12.0);
    let mut x = rect.left() + 4.0;
    for (title, width) in titles {
        ui.painter().text(
            egui::pos2(x, rect.center().y),
            Align2::LEFT_CENTER,
            *title,
            font.clone(),
            color,
        );
        x += width + GAP;
    }
}

/// One clickable row. `dim`: drawn faded (the future, when the time cursor is in the past).
pub(in crate::app::run) fn row_ui(
    ui: &mut Ui,
    cells: &[Cell<'_>],
    selected: bool,
    dim: bool,
    label: &str,
) -> Response {
    let (rect, response) =
        ui.allocate_exact_size(Vec2::new(ui.available_width(), ROW_HEIGHT), Sense::click());
    response.widget_info(|| {
        egui::WidgetInfo::selected(egui::accesskit::Role::ListItem, true, selected, label)
    });
    if !ui.is_rect_visible(rect) {
        return response;
    }
    let visuals = ui.visuals();
    if selected {
        ui.painter()
            .rect_filled(rect, 2.0, visuals.selection.bg_fill);
    } else if response.hovered() {
        ui.painter()
            .rect_filled(rect, 2.0, visuals.widgets.hovered.weak_bg_fill);
    }
    let text_color = if selected {
        visuals.selection.stroke.color
    } else {
        visuals.text_color()
    };
    let font = FontId::monospace(12.0);
    let mut x = rect.left() + 4.0;
    for (i, cell) in cells.iter().enumerate() {
        let right = if i + 1 == cells.len() {
            rect.right()
        } else {
            (x + cell.width).min(rect.right())
        };
        if right <= x {
            break;
        }
        let clip = Rect::from_x_y_ranges(x..=right, rect.y_range());
        let mut color = cell.color.unwrap_or(text_color);
        if dim {
            color = color.gamma_multiply(0.45);
        }
        ui.painter()
            .with_clip_rect(clip.intersect(ui.clip_rect()))
            .text(
                egui::pos2(x, rect.center().y),
                Align2::LEFT_CENTER,
                cell.text,
                font.clone(),
                color,
            );
        x = right + GAP;
    }
    response
}

/// Where to scroll a list so that `row` shows, given the last offset and view height; `None`
/// when it shows already.
pub(in crate::app::run) fn offset_to_show(
    ui: &Ui,
    row: usize,
    offset: f32,
    height: f32,
) -> Option<f32> {
    let step = ROW_HEIGHT + ui.spacing().item_spacing.y;
    let top = row as f32 * step;
    if top >= offset && top + step <= offset + height {
        return None;
    }
    Some((top - height / 2.0).max(0.0))
}
