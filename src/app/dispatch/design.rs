//! The canvas's actions as graph edits (`asl::graph_edit`) of the one document, each an undo
//! step; the states they leave selected are selected everywhere.

use super::select;
use crate::app::design::DesignAction;
use crate::app::state::AppState;
use crate::asl::document::Edit;
use crate::asl::graph_edit::{self, Fragment, GraphEditError, Planned};
use crate::asl::model::QueryLanguage;
use crate::catalog;
use std::time::Instant;

pub fn apply(state: &mut AppState, ctx: &egui::Context, action: DesignAction) {
    let planned = match plan(state, ctx, action) {
        Ok(Some(planned)) => planned,
        Ok(None) => return,
        Err(error) => {
            state.status.set(error);
            return;
        }
    };
    if matches!(&planned.edit, Edit::Batch(edits) if edits.is_empty()) {
        select(state, planned.selected);
        return;
    }
    match state
        .doc
        .session_mut()
        .apply_edit(&planned.edit, None, Instant::now())
    {
        Ok(_) => select(state, planned.selected),
        Err(error) => state.status.set(error.to_string()),
    }
}

/// What an action does to the document (`None`: nothing to apply).
fn plan(
    state: &mut AppState,
    ctx: &egui::Context,
    action: DesignAction,
) -> Result<Option<Planned>, String> {
    if let DesignAction::Select(states) = action {
        select(state, states);
        return Ok(None);
    }
    if let DesignAction::ToggleBreakpoint(breakpointed) = action {
        super::run::command(
            state,
            crate::app::action::RunCommand::ToggleBreakpoint(breakpointed.name),
        );
        return Ok(None);
    }
    let session = state.doc.session();
    let doc = match session.current_doc() {
        Some(doc) if session.parse_error().is_none() => doc,
        _ => return Err("The text does not parse: fix it in the Code tab first.".into()),
    };
    let text = |e: GraphEditError| e.to_string();
    let planned = match action {
        DesignAction::Select(_) | DesignAction::ToggleBreakpoint(_) => return Ok(None),
        DesignAction::Insert { item, target } => {
            let language = match doc.value().get("QueryLanguage").and_then(|v| v.as_str()) {
                Some("JSONata") => QueryLanguage::Jsonata,
                _ => QueryLanguage::JsonPath,
            };
            let item =
                catalog::by_id(item).ok_or_else(|| format!("no such browser entry: {item}"))?;
            let fragment = item.fragment(language).map_err(text)?;
            graph_edit::insert(doc, &target, fragment).map_err(text)?
        }
        DesignAction::Move {
            state: moved,
            target,
        } => graph_edit::move_state(doc, &moved, &target).map_err(text)?,
        DesignAction::Connect { edge, to } => graph_edit::connect(doc, &edge, &to).map_err(text)?,
        DesignAction::Rename {
            state: renamed,
            name,
        } => graph_edit::rename(doc, &renamed, &name).map_err(text)?,
        DesignAction::Delete(states) => graph_edit::remove(doc, &states).map_err(text)?,
        DesignAction::Duplicate(states) => graph_edit::duplicate(doc, &states).map_err(text)?,
        DesignAction::Copy(states) => {
            let copied = Fragment::copy_of(doc, &states).map_err(text)?;
            ctx.copy_text(copied.to_text());
            let count = states.len();
            state.status.set(format!(
                "Copied {count} state{} as ASL",
                if count == 1 { "" } else { "s" }
            ));
            return Ok(None);
        }
        DesignAction::Cut(states) => {
            let copied = Fragment::copy_of(doc, &states).map_err(text)?;
            ctx.copy_text(copied.to_text());
            graph_edit::remove(doc, &states).map_err(text)?
        }
        DesignAction::Paste {
            text: pasted,
            target,
        } => graph_edit::paste(doc, &target, &pasted).map_err(text)?,
    };
    Ok(Some(planned))
}
