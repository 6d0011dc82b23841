//! The Events tab: the event history as a table.

use super::{RunAction, RunInput, RunView};
use egui::Ui;

/// The table's filters and scroll state.
#[derive(Debug, Default)]
pub(crate) struct EventsState {}

pub(super) fn events_ui(
    view: &mut RunView,
    ui: &mut Ui,
    _input: &RunInput<'_>,
    _actions: &mut Vec<RunAction>,
) {
    let Some(run) = view.run() else {
        ui.weak("No run yet.");
        return;
    };
    ui.label(format!("{} events", run.head()));
}
