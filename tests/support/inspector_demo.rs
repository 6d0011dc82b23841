//! A bare window around the inspector, standing in for the designer until the move: a list of
//! states to select, the ASL text, and the inspector, whose actions are applied to the
//! document the way the designer does (renames planned by `graph_edit`, field edits grouped
//! into one undo step per field).

use asl_studio::app::inspector::{InspectorAction, InspectorInput, InspectorView};
use asl_studio::asl::document::{Document, Format, ParseError};
use asl_studio::asl::graph_edit::{self, StateRef};
use asl_studio::asl::model::StateMachine;
use asl_studio::asl::validate::{Diagnostic, Options, validate};
use egui_extras::syntax_highlighting::SyntectSettings;
use std::sync::Arc;

/// One undo step: the text before it, and the form field whose edits it groups.
#[derive(Debug, Clone, PartialEq)]
pub struct UndoStep {
    pub before: String,
    pub field: Option<String>,
    /// How many document edits the step holds.
    pub edits: usize,
}

pub struct Demo {
    pub doc: Document,
    pub revision: u64,
    pub selection: Option<StateRef>,
    pub inspector: InspectorView,
    pub diagnostics: Vec<Diagnostic>,
    pub syntaxes: Option<Arc<SyntectSettings>>,
    /// Every action the inspector returned, in order.
    pub log: Vec<InspectorAction>,
    pub undo: Vec<UndoStep>,
    pub status: String,
    /// The last step may take more edits of its field (another action ends it).
    open_field: Option<String>,
    themed: bool,
}

impl Demo {
    pub fn new(text: &str, format: Format) -> Result<Demo, ParseError> {
        let doc = Document::parse(text, format)?;
        let diagnostics = validate(&doc, &Options::default());
        Ok(Demo {
            doc,
            revision: 1,
            selection: None,
            inspector: InspectorView::new(),
            diagnostics,
            syntaxes: None,
            log: Vec::new(),
            undo: Vec::new(),
            status: String::new(),
            open_field: None,
            themed: false,
        })
    }

    pub fn select(&mut self, state: Option<StateRef>) {
        self.selection = state;
        self.open_field = None;
    }

    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        if !self.themed {
            asl_studio::app::theme::install(ui.ctx());
            self.themed = true;
        }
        egui::Panel::left("states")
            .default_size(180.0)
            .show(ui, |ui| {
                self.states_ui(ui);
            });
        egui::Panel::right("inspector")
            .default_size(400.0)
            .show(ui, |ui| {
                let input = InspectorInput {
                    doc: &self.doc,
                    revision: self.revision,
                    state: self.selection.as_ref(),
                    diagnostics: &self.diagnostics,
                    syntaxes: self.syntaxes.as_deref(),
                    last_run_input: None,
                };
                let actions = self.inspector.ui(ui, &input);
                for action in actions {
                    self.apply(action);
                }
            });
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!self.undo.is_empty(), egui::Button::new("Undo"))
                    .clicked()
                {
                    self.undo();
                }
                ui.label(&self.status);
            });
            egui::ScrollArea::both().show(ui, |ui| {
                ui.label(egui::RichText::new(self.doc.text()).monospace());
            });
        });
    }

    fn states_ui(&mut self, ui: &mut egui::Ui) {
        if ui
            .selectable_label(self.selection.is_none(), "▣ State machine")
            .clicked()
        {
            self.select(None);
        }
        let Ok(machine) = StateMachine::from_value(self.doc.value()) else {
            return;
        };
        let mut picked = None;
        egui::ScrollArea::vertical().show(ui, |ui| {
            for (graph, state) in machine.walk() {
                let state_ref = StateRef::new(graph.pointer.clone(), state.name.clone());
                let selected = self.selection.as_ref() == Some(&state_ref);
                if ui
                    .selectable_label(selected, format!("• {}", state.name))
                    .clicked()
                {
                    picked = Some(state_ref);
                }
            }
        });
        if let Some(state) = picked {
            self.select(Some(state));
        }
    }

    /// Applies one action as the designer does.
    pub fn apply(&mut self, action: InspectorAction) {
        self.log.push(action.clone());
        let (edit, field, selected) = match action {
            InspectorAction::Select(state) => {
                self.select(Some(state));
                return;
            }
            InspectorAction::Rename { state, name } => {
                match graph_edit::rename(&self.doc, &state, &name) {
                    Ok(planned) => (planned.edit, None, planned.selected.into_iter().next()),
                    Err(e) => {
                        self.status = e.to_string();
                        return;
                    }
                }
            }
            InspectorAction::Edit { edit, field } => (edit, field, None),
        };
        let before = self.doc.text().to_string();
        if let Err(e) = self.doc.apply(&edit) {
            self.status = e.to_string();
            return;
        }
        self.revision += 1;
        self.diagnostics = validate(&self.doc, &Options::default());
        self.status = "edited".into();
        let merges = field.is_some() && self.open_field == field;
        match self.undo.last_mut() {
            Some(step) if merges => step.edits += 1,
            _ => self.undo.push(UndoStep {
                before,
                field: field.clone(),
                edits: 1,
            }),
        }
        self.open_field = field;
        if let Some(state) = selected {
            self.selection = Some(state);
        }
    }

    /// Restores the text before the last step.
    pub fn undo(&mut self) {
        let Some(step) = self.undo.pop() else { return };
        match Document::parse(step.before, self.doc.format()) {
            Ok(doc) => {
                self.doc = doc;
                self.revision += 1;
                self.diagnostics = validate(&self.doc, &Options::default());
            }
            Err(e) => self.status = e.to_string(),
        }
        self.open_field = None;
    }
}

impl eframe::App for Demo {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }
}
