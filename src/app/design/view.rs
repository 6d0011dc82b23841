//! Pan and zoom: the toolbar, fit to screen, centre, and the `Scene` that holds the graph.

use super::graph::rect;
use super::{DesignAction, DesignInput, DesignView};
use crate::app::theme::ACCENT;
use egui::containers::DragPanButtons;
use egui::{Id, LayerId, Order, Pos2, Rect, Scene, Stroke, StrokeKind, Ui, Vec2};

/// Room around the graph when it is fitted.
const FIT_MARGIN: f32 = 32.0;
const ZOOM_STEP: f32 = 1.25;
/// Zoomed all the way out, a 500-state workflow fits a laptop screen.
const MIN_ZOOM: f32 = 0.05;
const MAX_ZOOM: f32 = 2.0;

impl DesignView {
    pub(super) fn toolbar_ui(&mut self, ui: &mut Ui, input: &DesignInput<'_>) {
        ui.horizontal(|ui| {
            if ui
                .button("−")
                .on_hover_text("Zoom out (Ctrl+wheel)")
                .clicked()
            {
                self.zoom_by(1.0 / ZOOM_STEP);
            }
            let zoom = (self.zoom() * 100.0).round();
            ui.label(format!("{zoom:.0} %"));
            if ui
                .button("+")
                .on_hover_text("Zoom in (Ctrl+wheel)")
                .clicked()
            {
                self.zoom_by(ZOOM_STEP);
            }
            if ui
                .button("Fit")
                .on_hover_text("Fit the workflow to the view")
                .clicked()
            {
                self.fit_pending = true;
            }
            if ui
                .button("Centre")
                .on_hover_text("Centre the selection, or the workflow (Alt+C)")
                .clicked()
            {
                self.centre(input);
            }
            if let Some(graph) = &self.graph {
                ui.separator();
                let count = graph.nodes.len();
                ui.weak(format!(
                    "{count} state{}",
                    if count == 1 { "" } else { "s" }
                ));
            }
        });
    }

    /// Zooms to `zoom` (1.0 = 100 %) around the centre of the view.
    pub fn zoom_to(&mut self, zoom: f32) {
        let current = self.zoom();
        if current > 0.0 {
            self.zoom_by(zoom / current);
        }
    }

    fn zoom_by(&mut self, factor: f32) {
        let zoom = self.zoom();
        let target = (zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        if zoom > 0.0 && self.scene_rect.is_positive() {
            let size = self.scene_rect.size() * (zoom / target);
            self.scene_rect = Rect::from_center_size(self.scene_rect.center(), size);
        }
    }

    /// Keeps the zoom and puts the selection (or the whole workflow) in the middle.
    pub(super) fn centre(&mut self, input: &DesignInput<'_>) {
        let Some(graph) = &self.graph else {
            return;
        };
        let selected = input
            .selection
            .states()
            .iter()
            .filter_map(|s| graph.node_of_state(s))
            .filter_map(|i| graph.node_area(i))
            .reduce(|a, b| a.union(b));
        let focus = selected.unwrap_or_else(|| rect(graph.layout.bounds));
        self.scene_rect = Rect::from_center_size(focus.center(), self.scene_rect.size());
    }

    /// The scene rectangle that shows the whole graph in `view`, never magnified past 100 %,
    /// and top-aligned when it fits (workflows read from the top).
    fn fitted(&self, view: Vec2) -> Option<Rect> {
        let bounds = rect(self.graph.as_ref()?.layout.bounds).expand(FIT_MARGIN);
        if view.x <= 0.0 || view.y <= 0.0 || !bounds.is_positive() {
            return None;
        }
        let scale = (view.x / bounds.width())
            .min(view.y / bounds.height())
            .clamp(MIN_ZOOM, 1.0);
        let size = view / scale;
        let center = Pos2::new(bounds.center().x, bounds.min.y + size.y / 2.0);
        Some(Rect::from_center_size(center, size))
    }

    pub(super) fn scene_ui(
        &mut self,
        ui: &mut Ui,
        input: &DesignInput<'_>,
        actions: &mut Vec<DesignAction>,
    ) {
        let view = ui.available_rect_before_wrap();
        if self.fit_pending
            && let Some(fitted) = self.fitted(view.size())
        {
            self.scene_rect = fitted;
            self.fit_pending = false;
        }
        let shift = ui.input(|i| i.modifiers.shift);
        // Shift+drag on the background draws a selection box instead of panning.
        let pan_buttons = if shift {
            DragPanButtons::MIDDLE | DragPanButtons::SECONDARY
        } else {
            DragPanButtons::all()
        };
        let mut scene_rect = self.scene_rect;
        let response = Scene::new()
            .zoom_range(MIN_ZOOM..=MAX_ZOOM)
            .drag_pan_buttons(pan_buttons)
            .show(ui, &mut scene_rect, |ui| {
                self.contents_ui(ui, input, actions)
            })
            .response;
        self.scene_rect = scene_rect;
        if let Some(run) = input.run {
            super::run_paint::legend_ui(ui, view, run);
        }
        self.background_ui(ui, &response, shift, actions);
    }

    /// Clicks and Shift+drags on the empty canvas.
    fn background_ui(
        &mut self,
        ui: &Ui,
        response: &egui::Response,
        shift: bool,
        actions: &mut Vec<DesignAction>,
    ) {
        if response.clicked() && !shift {
            actions.push(DesignAction::Select(Vec::new()));
        }
        let pointer = ui.ctx().pointer_latest_pos();
        let to_scene = self.to_screen.inverse();
        if response.drag_started() && shift {
            self.box_start = pointer.map(|p| to_scene * p);
        }
        let (Some(start), Some(pointer)) = (self.box_start, pointer) else {
            return;
        };
        let end = to_scene * pointer;
        let area = Rect::from_two_pos(start, end);
        let painter = ui
            .ctx()
            .layer_painter(LayerId::new(Order::Foreground, Id::unique("box-select")));
        let on_screen = self.to_screen * area;
        painter.rect(
            on_screen,
            2.0,
            ACCENT.gamma_multiply(0.12),
            Stroke::new(1.0, ACCENT),
            StrokeKind::Inside,
        );
        if response.drag_stopped() || !ui.input(|i| i.pointer.primary_down()) {
            self.box_start = None;
            if let Some(graph) = &self.graph {
                let chosen = (0..graph.nodes.len())
                    .filter(|i| graph.node_area(*i).is_some_and(|r| area.intersects(r)))
                    .map(|i| graph.nodes[i].state.clone())
                    .collect();
                actions.push(DesignAction::Select(chosen));
            }
        }
    }
}
