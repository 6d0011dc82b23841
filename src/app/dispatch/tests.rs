//! The dispatcher without a window: actions in, state out.

use super::*;
use crate::app::action::FileCommand;
use crate::app::design::DesignAction;
use crate::app::modals::Choice;
use crate::app::options::DesignerOptions;
use crate::app::session::Session;
use crate::asl::document::{Format, TextChange};
use serde_json::json;

const TEXT: &str = r#"{
  "StartAt": "A",
  "States": {
    "A": {"Type": "Pass", "Next": "B"},
    "B": {"Type": "Succeed"}
  }
}
"#;

fn state() -> AppState {
    AppState::new(
        Session::new(TEXT, Format::Json, None),
        &DesignerOptions::headless(None),
    )
}

fn run(state: &mut AppState, actions: impl IntoIterator<Item = AppAction>) {
    let ctx = egui::Context::default();
    for action in actions {
        dispatch(state, &ctx, action);
    }
}

fn typed(state: &AppState, at: usize, text: &str) -> AppAction {
    AppAction::Code(CodeAction::Typed {
        revision: state.doc.session().revision(),
        changes: vec![TextChange {
            range: at..at,
            replacement: text.into(),
        }],
    })
}

#[test]
fn one_selection_follows_the_views_and_the_code_cursor() {
    let mut state = state();
    run(
        &mut state,
        [AppAction::Select(vec![
            StateRef::top("B"),
            StateRef::top("A"),
        ])],
    );
    assert_eq!(
        state.doc.selection().pointer().as_deref(),
        Some("/States/B")
    );
    assert_eq!(state.doc.selection().len(), 2);
    let in_a = TEXT.find("\"Pass\"").unwrap_or_default();
    run(&mut state, [AppAction::Code(CodeAction::Cursor(in_a))]);
    assert_eq!(state.doc.selection().states(), [StateRef::top("A")]);
    run(&mut state, [AppAction::Code(CodeAction::Cursor(3))]);
    assert!(state.doc.selection().is_empty(), "StartAt is in no state");
    run(
        &mut state,
        [AppAction::Inspector(InspectorAction::Select(
            StateRef::top("B"),
        ))],
    );
    assert_eq!(state.doc.selection().states(), [StateRef::top("B")]);
    // Another document selects nothing.
    state.replace_session(Session::new(TEXT, Format::Json, None));
    assert!(state.doc.selection().is_empty());
}

#[test]
fn typing_is_applied_to_the_text_it_was_typed_into() {
    let mut state = state();
    let at = TEXT.find("\"A\": {").unwrap_or_default() + 2;
    let first = typed(&state, at, "x");
    run(&mut state, [first]);
    let second = typed(&state, at + 1, "y");
    run(&mut state, [second]);
    assert!(state.doc.session().text().contains("\"Axy\": {"));
    // Typing that lands on a text something else replaced meanwhile is refused.
    let stale = typed(&state, at, "z");
    run(&mut state, [AppAction::Undo, stale]);
    assert_eq!(state.doc.session().text(), TEXT, "one undo step for \"xy\"");
    assert!(state.status.text().is_some());
    run(&mut state, [AppAction::Undo]);
    assert_eq!(state.status.text(), Some("Nothing to undo"));
}

#[test]
fn canvas_and_inspector_edits_are_undoable_steps() {
    let mut state = state();
    run(
        &mut state,
        [AppAction::Design(DesignAction::Rename {
            state: StateRef::top("A"),
            name: "First".into(),
        })],
    );
    let session = state.doc.session();
    assert_eq!(
        session.machine().map(|m| m.start_at.as_str()),
        Some("First")
    );
    assert_eq!(state.doc.selection().states(), [StateRef::top("First")]);
    run(
        &mut state,
        [AppAction::Inspector(InspectorAction::Edit {
            edit: Edit::Set {
                pointer: "/States/B/Comment".into(),
                value: json!("done"),
            },
            field: Some("/States/B/Comment".into()),
        })],
    );
    assert!(state.doc.session().text().contains("\"Comment\": \"done\""));
    run(&mut state, [AppAction::Undo, AppAction::Undo]);
    assert_eq!(state.doc.session().text(), TEXT);
}

#[test]
fn config_changes_settings_and_fields() {
    let mut state = state();
    let mut settings = state.doc.session().settings.clone();
    settings.tracing = true;
    run(
        &mut state,
        [AppAction::Config(ConfigAction::Settings(settings))],
    );
    assert!(state.doc.session().settings.tracing);
    assert!(state.doc.session().is_dirty());
    assert!(!state.doc.session().text_dirty());
    run(
        &mut state,
        [AppAction::Config(ConfigAction::Edit {
            edit: Edit::Remove {
                pointer: "/States/Nowhere".into(),
            },
            field: None,
        })],
    );
    assert!(state.status.text().is_some(), "a failed edit says why");
}

#[test]
fn unsaved_changes_are_asked_about_first() {
    let mut state = state();
    let at = TEXT.find("\"B\": {").unwrap_or_default() + 2;
    let edit = typed(&state, at, "b");
    run(&mut state, [edit, FileCommand::New.into()]);
    assert!(matches!(
        state.views.take_modal(),
        Some(crate::app::modals::Modal::Unsaved { .. })
    ));
    run(&mut state, [FileCommand::New.into()]);
    run(&mut state, [AppAction::Modal(Choice::Dismiss)]);
    assert!(!state.views.has_modal(), "dismissed");
    assert!(state.doc.session().is_dirty(), "nothing was lost");
    run(
        &mut state,
        [
            FileCommand::New.into(),
            AppAction::Modal(Choice::Discard(crate::app::modals::Then::NewFromTemplate)),
        ],
    );
    assert!(!state.doc.session().is_dirty());
    assert!(matches!(
        state.views.take_modal(),
        Some(crate::app::modals::Modal::NewFromTemplate { .. })
    ));
}
