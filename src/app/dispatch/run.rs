//! The run controls and the run view's actions: what they do to the run, the selection and
//! the status line.

use super::select;
use crate::app::action::RunCommand;
use crate::app::run::{RunAction, RunInput};
use crate::app::session::Session;
use crate::app::state::AppState;
use crate::asl::graph_edit::StateRef;

/// What a run reads from the document: the last parse, whether it can run, the settings.
pub fn run_input<'a>(session: &'a Session, selection: Option<&'a StateRef>) -> RunInput<'a> {
    let errors = session
        .diagnostics()
        .iter()
        .filter(|d| d.is_error())
        .count();
    let runnable = if session.parse_error().is_some() {
        Err("The text does not parse: fix it in the Code tab first".to_string())
    } else if errors > 0 {
        let first = session
            .diagnostics()
            .iter()
            .find(|d| d.is_error())
            .map(|d| format!(" (line {}: {})", d.line, d.message))
            .unwrap_or_default();
        Err(format!(
            "AWS would not accept this definition: {errors} error{}{first}",
            if errors == 1 { "" } else { "s" }
        ))
    } else {
        Ok(())
    };
    RunInput {
        definition: session.parsed().map(|p| p.doc.value()),
        revision: session.parsed_revision(),
        runnable,
        path: session.path(),
        name: session.settings.name.as_deref(),
        workflow_type: session.settings.workflow_type,
        selection,
        syntaxes: None,
    }
}

pub fn command(state: &mut AppState, command: RunCommand) {
    if !matches!(command, RunCommand::ToggleBreakpoint(_)) {
        state.views.bottom_mut().open();
    }
    let input = run_input(state.doc.session(), state.doc.selection().primary());
    let run = state.views.run_mut();
    let action = match command {
        RunCommand::RunOrContinue => run.run_or_continue(&input),
        RunCommand::Step => run.step(&input),
        RunCommand::StepState => run.step_state(&input),
        RunCommand::StepBack => {
            run.step_back();
            None
        }
        RunCommand::Stop => {
            run.stop();
            None
        }
        RunCommand::Restart => run.restart(&input),
        RunCommand::ToggleBreakpoint(name) => Some(run.toggle_breakpoint(&name)),
    };
    if let Some(action) = action {
        apply(state, action);
    }
}

pub fn apply(state: &mut AppState, action: RunAction) {
    match action {
        RunAction::Select(selected) => select(state, vec![selected]),
        RunAction::Status(text) => state.status.set(text),
        RunAction::BreakpointsChanged(breakpoints) => {
            let session = state.doc.session_mut();
            session.settings.breakpoints = crate::export::BreakpointSettings::from(&breakpoints);
            session.settings_changed();
        }
    }
}
