//! The Variables tab: the variables in scope at the moment shown.

use super::{RunAction, RunInput, RunView};
use egui::Ui;

pub(super) fn variables_ui(
    _view: &mut RunView,
    ui: &mut Ui,
    _input: &RunInput<'_>,
    _actions: &mut Vec<RunAction>,
) {
    ui.weak("No variables.");
}
