//! What a node offers besides selection and dragging: the breakpoint dot on its left edge and
//! its context menu.

use super::run_paint::{DOT_ZONE, dot_center};
use super::{DesignAction, DesignInput, DesignView};
use crate::asl::graph_edit::StateRef;
use egui::{Button, Rect, Response, Sense, Ui, Vec2, WidgetInfo};

impl DesignView {
    /// The hit zone of a node's breakpoint dot (registered after the node, so it is on top
    /// of it): a click adds or removes the breakpoint.
    pub(super) fn breakpoint_dot_ui(
        &self,
        ui: &mut Ui,
        area: Rect,
        state: &StateRef,
        set: bool,
        actions: &mut Vec<DesignAction>,
    ) -> Response {
        let zone = Rect::from_center_size(dot_center(area), Vec2::splat(DOT_ZONE));
        let id = ui.scope_id().with(("breakpoint", state.pointer()));
        let response = ui.interact(zone, id, Sense::click());
        response.widget_info(|| {
            WidgetInfo::selected(
                egui::accesskit::Role::CheckBox,
                true,
                set,
                format!("Breakpoint: {}", state.name),
            )
        });
        if response.clicked() {
            actions.push(DesignAction::ToggleBreakpoint(state.clone()));
        }
        let hint = if set {
            "Remove the breakpoint (F9)"
        } else {
            "Pause the run before this state (F9)"
        };
        if response.hovered() {
            response.on_hover_text(hint)
        } else {
            response
        }
    }

    /// Right-click on a node: it becomes the selection (unless it is part of it already), and
    /// the menu acts on the selection; the breakpoint and renaming on this state alone.
    pub(super) fn node_menu_ui(
        &mut self,
        response: &Response,
        state: &StateRef,
        input: &DesignInput<'_>,
        actions: &mut Vec<DesignAction>,
    ) {
        // Asking egui about a node's menu costs an allocation; most frames no menu is open,
        // and only one node's can be.
        if !response.secondary_clicked() && self.menu_node != Some(response.id) {
            return;
        }
        let selected = input.selection.states().contains(state);
        if response.secondary_clicked() && !selected {
            actions.push(DesignAction::Select(vec![state.clone()]));
        }
        let shown = response.context_menu(|ui| {
            ui.set_min_width(200.0);
            let targets = || {
                if selected {
                    input.selection.states().to_vec()
                } else {
                    vec![state.clone()]
                }
            };
            let item = |ui: &mut Ui, text: &str, keys: &str| {
                ui.add(Button::new(text).shortcut_text(keys)).clicked()
            };
            let chosen = if item(ui, "Toggle breakpoint", "F9") {
                Some(DesignAction::ToggleBreakpoint(state.clone()))
            } else if item(ui, "Rename", "F2") {
                self.start_rename(state.clone());
                None
            } else if item(ui, "Duplicate", "Ctrl+D") {
                Some(DesignAction::Duplicate(targets()))
            } else if item(ui, "Copy", "Ctrl+C") {
                Some(DesignAction::Copy(targets()))
            } else if item(ui, "Delete", "Del") {
                Some(DesignAction::Delete(targets()))
            } else {
                return;
            };
            actions.extend(chosen);
            ui.close();
        });
        self.menu_node = shown.map(|_| response.id);
    }
}
