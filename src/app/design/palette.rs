//! The States browser: Actions, Flow and Patterns with one search box. Entries are dragged
//! onto the canvas (or double-clicked to add them after the selection).

use super::CanvasDrag;
use super::style::service_icon;
use crate::app::theme::{paint_state_badge, state_color};
use crate::asl::model::StateType;
use crate::catalog::{self, Group, PaletteItem};
use egui::{Align2, CornerRadius, FontId, Id, Rect, RichText, Sense, Ui, Vec2};

/// The browser's own state.
#[derive(Default)]
pub struct PaletteView {
    pub filter: String,
    /// Set to focus the search box on the next frame (Ctrl+F).
    pub focus_filter: bool,
}

/// What a double-click asked for: add this entry after the selection.
pub struct AddRequest {
    pub item: &'static str,
}

impl PaletteView {
    pub fn ui(&mut self, ui: &mut Ui) -> Option<AddRequest> {
        let search = ui
            .horizontal(|ui| {
                let label = ui.label("Search");
                ui.add(
                    egui::TextEdit::singleline(&mut self.filter)
                        .hint_text("Lambda, wait, map…")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id)
            })
            .inner;
        if std::mem::take(&mut self.focus_filter) {
            search.request_focus();
        }
        let found = catalog::search(&self.filter);
        let mut request = None;
        egui::ScrollArea::vertical()
            .id_salt("palette")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for group in Group::ALL {
                    let items: Vec<&PaletteItem> =
                        found.iter().copied().filter(|i| i.group == group).collect();
                    if items.is_empty() {
                        continue;
                    }
                    let header = format!("{} ({})", group.title(), items.len());
                    egui::CollapsingHeader::new(RichText::new(header).strong())
                        .id_salt(group.title())
                        .default_open(true)
                        .open(if self.filter.is_empty() {
                            None
                        } else {
                            Some(true)
                        })
                        .show(ui, |ui| {
                            for item in items {
                                if item_ui(ui, item) {
                                    request = Some(AddRequest { item: item.id });
                                }
                            }
                        });
                }
                if found.is_empty() {
                    ui.weak("No state matches the search.");
                }
            });
        request
    }
}

/// One entry; true when double-clicked.
fn item_ui(ui: &mut Ui, item: &'static PaletteItem) -> bool {
    let id = Id::unique(("palette-item", item.id));
    let response = ui
        .dnd_drag_source(id, CanvasDrag::Palette(item.id), |ui| {
            ui.horizontal(|ui| {
                let (rect, _) = ui.allocate_exact_size(Vec2::splat(18.0), Sense::hover());
                item_icon(ui, rect, item);
                ui.add(egui::Label::new(item.title).selectable(false).truncate());
            })
            .response
        })
        .response;
    let response = response.on_hover_text(item.description);
    response.double_clicked()
}

fn item_icon(ui: &Ui, rect: Rect, item: &PaletteItem) {
    let painter = ui.painter();
    match item.group {
        Group::Actions => {
            let icon = service_icon(item.icon);
            painter.rect_filled(rect, CornerRadius::same(4), icon.color);
            let size = if icon.text.chars().count() > 2 {
                7.0
            } else {
                11.0
            };
            painter.text(
                rect.center(),
                Align2::CENTER_CENTER,
                icon.text,
                FontId::proportional(size),
                egui::Color32::WHITE,
            );
        }
        Group::Flow => paint_state_badge(painter, rect, StateType::parse(item.id)),
        Group::Patterns => {
            let color = state_color(None);
            for (i, offset) in [0.0_f32, 5.0].iter().enumerate() {
                let tile = Rect::from_min_size(rect.min + Vec2::splat(*offset), Vec2::splat(12.0));
                painter.rect_filled(
                    tile,
                    CornerRadius::same(3),
                    if i == 0 {
                        color.gamma_multiply(0.6)
                    } else {
                        color
                    },
                );
            }
        }
    }
}
