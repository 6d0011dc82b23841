//! The Map & Parallel tab: the iterations and branches of a container visit.

use super::{RunAction, RunInput, RunView};
use egui::Ui;

/// The container visit and the branch / iteration chosen.
#[derive(Debug, Default)]
pub(crate) struct ChildrenState {}

pub(super) fn children_ui(
    _view: &mut RunView,
    ui: &mut Ui,
    _input: &RunInput<'_>,
    _actions: &mut Vec<RunAction>,
) {
    ui.weak("No Map or Parallel state has run.");
}
