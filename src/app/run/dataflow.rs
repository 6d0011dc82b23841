//! The Data flow tab: every stage of the selected state visit.

use super::{RunAction, RunInput, RunView};
use egui::Ui;

pub(super) fn dataflow_ui(
    _view: &mut RunView,
    ui: &mut Ui,
    _input: &RunInput<'_>,
    _actions: &mut Vec<RunAction>,
) {
    ui.weak("Select a state to see its data flow.");
}
