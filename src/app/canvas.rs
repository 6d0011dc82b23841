//! The Design tab's glue: the canvas and the States browser report actions; here they become
//! graph edits (`asl::graph_edit`) applied to the one document, as undoable steps.

use super::design::palette::AddRequest;
use super::design::{DesignAction, DesignInput};
use super::shell::DesignerApp;
use crate::asl::document::Edit;
use crate::asl::graph_edit::{self, DropTarget, Fragment, GraphEditError, Planned, StateRef};
use crate::asl::model::QueryLanguage;
use crate::asl::validate::Severity;
use crate::catalog;
use egui::Ui;
use std::time::Instant;

/// Diagnostics by pointer for the canvas, rebuilt when the document changes.
#[derive(Default)]
pub struct CanvasDiagnostics {
    revision: u64,
    items: Vec<(String, Severity)>,
}

impl DesignerApp {
    pub(super) fn design_tab_ui(&mut self, ui: &mut Ui) {
        let revision = self.session.revision();
        if self.canvas_diagnostics.revision != revision {
            self.canvas_diagnostics = CanvasDiagnostics {
                revision,
                items: self
                    .session
                    .diagnostics()
                    .iter()
                    .map(|d| (d.pointer.clone(), d.severity))
                    .collect(),
            };
        }
        let Some(parsed) = self.session.parsed() else {
            ui.weak("Nothing to draw: the text has never parsed. Fix it in the Code tab.");
            return;
        };
        let input = DesignInput {
            definition: parsed.doc.value(),
            revision: self.session.parsed_revision(),
            selection: &self.selected,
            diagnostics: &self.canvas_diagnostics.items,
            keyboard: self.modal.is_none(),
        };
        let actions = self.design.ui(ui, &input);
        for action in actions {
            self.apply_design_action(ui.ctx(), action);
        }
    }

    /// The States browser (Actions, Flow, Patterns); a double-click adds after the selection.
    pub(super) fn palette_ui(&mut self, ui: &mut Ui) {
        if let Some(AddRequest { item }) = self.palette.ui(ui)
            && let Some(target) = self.design.insert_target(&self.selected)
        {
            self.apply_design_action(ui.ctx(), DesignAction::Insert { item, target });
        }
    }

    pub fn apply_design_action(&mut self, ctx: &egui::Context, action: DesignAction) {
        let planned = match self.plan(ctx, action) {
            Ok(Some(planned)) => planned,
            Ok(None) => return,
            Err(error) => {
                self.set_status(error);
                return;
            }
        };
        if matches!(&planned.edit, Edit::Batch(edits) if edits.is_empty()) {
            self.set_selected(planned.selected);
            return;
        }
        match self.session.apply_edit(&planned.edit, None, Instant::now()) {
            Ok(_) => self.set_selected(planned.selected),
            Err(error) => self.set_status(error.to_string()),
        }
    }

    /// What an action does to the document (`None`: nothing to apply).
    fn plan(
        &mut self,
        ctx: &egui::Context,
        action: DesignAction,
    ) -> Result<Option<Planned>, String> {
        if let DesignAction::Select(states) = action {
            self.set_selected(states);
            return Ok(None);
        }
        let doc = match self.session.current_doc() {
            Some(doc) if self.session.parse_error().is_none() => doc,
            _ => return Err("The text does not parse: fix it in the Code tab first.".into()),
        };
        let text = |e: GraphEditError| e.to_string();
        let planned = match action {
            DesignAction::Select(_) => return Ok(None),
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
            DesignAction::Move { state, target } => {
                graph_edit::move_state(doc, &state, &target).map_err(text)?
            }
            DesignAction::Connect { edge, to } => {
                graph_edit::connect(doc, &edge, &to).map_err(text)?
            }
            DesignAction::Rename { state, name } => {
                graph_edit::rename(doc, &state, &name).map_err(text)?
            }
            DesignAction::Delete(states) => graph_edit::remove(doc, &states).map_err(text)?,
            DesignAction::Duplicate(states) => graph_edit::duplicate(doc, &states).map_err(text)?,
            DesignAction::Copy(states) => {
                let copied = Fragment::copy_of(doc, &states).map_err(text)?;
                ctx.copy_text(copied.to_text());
                let count = states.len();
                self.set_status(format!(
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

    /// Selects states on the canvas; the first one is also selected in the inspector and
    /// the Code tab.
    pub(super) fn set_selected(&mut self, states: Vec<StateRef>) {
        match states.first() {
            Some(first) => {
                let pointer = first.pointer();
                self.select(pointer);
                self.selected = states;
            }
            None => {
                self.selection = None;
                self.selected.clear();
            }
        }
    }

    /// Where a double-clicked browser entry goes.
    pub fn insert_target(&self) -> Option<DropTarget> {
        self.design.insert_target(&self.selected)
    }
}
