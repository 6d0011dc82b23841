//! The one place that changes the app's state: every [`AppAction`] the window collects from
//! the views (and from shortcuts, dialogs and the file watcher) is applied here. Document
//! changes go through the session, so each is a step of the undo history; selection changes
//! keep the Code tab's cursor on the selected state.
//!
//! The dispatcher knows the state and the core (`graph_edit`, `export`, `files`), never the
//! window; the views know neither.

mod design;
mod files;
mod run;

pub use files::{open_path, save, save_as, write_to};
pub use run::run_input;

use super::action::{AppAction, Tab};
use super::code::CodeAction;
use super::config::ConfigAction;
use super::inspector::InspectorAction;
use super::native::Purpose;
use super::selection;
use super::state::AppState;
use crate::asl::document::Edit;
use crate::asl::graph_edit::{self, StateRef};
use std::time::Instant;

/// Applies one action. `ctx` is for what leaves the app: the clipboard, native dialogs, the
/// window's close.
pub fn dispatch(state: &mut AppState, ctx: &egui::Context, action: AppAction) {
    match action {
        AppAction::Design(action) => design::apply(state, ctx, action),
        AppAction::Inspector(action) => inspector(state, action),
        AppAction::Code(action) => code(state, action),
        AppAction::Config(action) => config(state, ctx, action),
        AppAction::Select(states) => select(state, states),
        AppAction::ShowInCode(range) => {
            state.views.set_tab(Tab::Code);
            state.views.code_mut().reveal(range);
        }
        AppAction::Status(text) => state.status.set(text),
        AppAction::File(command) => files::command(state, ctx, command),
        AppAction::SwitchTab(tab) => state.views.set_tab(tab),
        AppAction::FocusFilter => state.views.focus_filter(),
        AppAction::Undo => undo(state),
        AppAction::Redo => redo(state),
        AppAction::Modal(choice) => files::answer(state, ctx, choice),
        AppAction::Dialog(answer) => files::dialog_answer(state, ctx, answer),
        AppAction::CloseRequested => files::close_requested(state, ctx),
        AppAction::DiskChanged(disk) => files::disk_changed(state, disk),
        AppAction::RunCommand(command) => run::command(state, command),
        AppAction::Run(action) => run::apply(state, action),
    }
}

pub fn undo(state: &mut AppState) {
    match state.doc.session_mut().undo() {
        Some(cursor) => state.views.code_mut().place_cursor(cursor),
        None => state.status.set("Nothing to undo"),
    }
}

pub fn redo(state: &mut AppState) {
    match state.doc.session_mut().redo() {
        Some(cursor) => state.views.code_mut().place_cursor(cursor),
        None => state.status.set("Nothing to redo"),
    }
}

/// Selects states everywhere: the outline, the canvas, the inspector (the first one) and the
/// Code tab, which selects the first one's name.
pub fn select(state: &mut AppState, states: Vec<StateRef>) {
    if let Some(first) = states.first()
        && let Some(doc) = state.doc.session().current_doc()
        && let Some(range) = selection::name_range(doc, &first.pointer())
    {
        state.views.code_mut().reveal(range);
    }
    state.doc.select(states);
}

fn inspector(state: &mut AppState, action: InspectorAction) {
    let now = Instant::now();
    let result = match action {
        InspectorAction::Edit { edit, field } => apply_edit(state, &edit, field.as_deref()),
        InspectorAction::Rename {
            state: renamed,
            name,
        } => {
            let planned = match state.doc.session().current_doc() {
                Some(doc) => graph_edit::rename(doc, &renamed, &name).map_err(|e| e.to_string()),
                None => Err("the text does not parse".to_string()),
            };
            planned.and_then(|planned| {
                state
                    .doc
                    .session_mut()
                    .apply_edit(&planned.edit, None, now)
                    .map_err(|e| e.to_string())?;
                select(state, planned.selected);
                Ok(())
            })
        }
        InspectorAction::Select(selected) => {
            select(state, vec![selected]);
            Ok(())
        }
    };
    if let Err(error) = result {
        state.status.set(error);
    }
}

/// A form's edit of the document; `field` groups the typing in one field into one undo step.
fn apply_edit(state: &mut AppState, edit: &Edit, field: Option<&str>) -> Result<(), String> {
    state
        .doc
        .session_mut()
        .apply_edit(edit, field, Instant::now())
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn code(state: &mut AppState, action: CodeAction) {
    match action {
        CodeAction::Typed { revision, changes } => {
            let session = state.doc.session_mut();
            if session.revision() != revision {
                // Typed into a text that something else replaced in the same frame.
                state
                    .status
                    .set("The text changed while typing: the keystroke was not applied");
                return;
            }
            session.apply_typing(changes, Instant::now());
            let now = session.revision();
            state.views.code_mut().typed(revision, now);
        }
        CodeAction::Format => match state.doc.session_mut().format_document(Instant::now()) {
            Ok(true) => {}
            Ok(false) => state.status.set("Already formatted"),
            Err(e) => state.status.set(e.to_string()),
        },
        CodeAction::Cursor(offset) => {
            let session = state.doc.session();
            if let (Some(doc), Some(machine)) = (session.current_doc(), session.machine()) {
                let pointer = selection::state_at_offset(doc, machine, offset);
                state.doc.select_pointer(pointer.as_deref());
            }
        }
    }
}

fn config(state: &mut AppState, ctx: &egui::Context, action: ConfigAction) {
    match action {
        ConfigAction::Edit { edit, field } => {
            if let Err(error) = apply_edit(state, &edit, field.as_deref()) {
                state.status.set(error);
            }
        }
        ConfigAction::Settings(settings) => {
            let session = state.doc.session_mut();
            session.settings = settings;
            session.settings_changed();
        }
        ConfigAction::ExportToFile(format, options) => {
            let name = format!("{}.template.yaml", options.logical_id);
            state
                .files
                .open_dialog(ctx, Purpose::Export(format, options), Some(name));
        }
        ConfigAction::Status(text) => state.status.set(text),
    }
}

#[cfg(test)]
mod tests;
