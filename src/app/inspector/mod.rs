//! The Inspector (right panel): every field of the selected state, in Workflow Studio's tabs
//! (Configuration, Input/Output or Arguments & Output, Variables, Error handling, Test state),
//! or a short summary of the machine when nothing is selected.
//!
//! The ASL text is the one source of truth: the inspector only reads the document and returns
//! [`InspectorAction`]s, which the dispatcher applies (undoably). Text typed into a field is
//! kept in a per-field buffer until it parses, so broken JSON or a half-typed number never
//! reaches the document, and a field the user has not touched is never rewritten.

mod choice;
mod config;
mod convert;
mod dataflow;
mod edits;
mod errors;
mod form;
mod header;
mod json_field;
mod map;
mod rules;
mod summary;
mod test_tab;

use crate::asl::document::{Document, Edit};
use crate::asl::graph_edit::StateRef;
use crate::asl::model::{QueryLanguage, StateType};
use crate::asl::validate::Diagnostic;
use egui::Ui;
use egui_extras::syntax_highlighting::SyntectSettings;
use form::{Buffers, Form};
use serde_json::Value;
use std::collections::HashSet;
use std::sync::Arc;

pub use test_tab::last_run_input;

/// What the inspector asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum InspectorAction {
    /// A document edit; `field` (a JSON pointer) groups consecutive edits of one form field
    /// into one undo step.
    Edit { edit: Edit, field: Option<String> },
    /// Rename a state (the dispatcher plans it with `graph_edit::rename` so references
    /// follow).
    Rename { state: StateRef, name: String },
    /// Select another state (e.g. following a Next link).
    Select(StateRef),
}

/// What the inspector shows, for one frame.
pub struct InspectorInput<'a> {
    /// The current parsed document (JSON or YAML).
    pub doc: &'a Document,
    /// Changes whenever the document does (caches are keyed by it).
    pub revision: u64,
    /// None: show the machine summary.
    pub state: Option<&'a StateRef>,
    /// All of them (each field shows those about it).
    pub diagnostics: &'a [Diagnostic],
    /// JSON highlighting in the JSON fields, once the window has loaded the syntaxes.
    pub syntaxes: Option<&'a SyntectSettings>,
    /// The selected state's input in its latest visit of the run, if there is a run (the
    /// Test state tab starts from it): see [`last_run_input`].
    pub last_run_input: Option<Arc<Value>>,
}

/// The inspector's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Tab {
    #[default]
    Configuration,
    /// Input/Output (JSONPath) or Arguments & Output (JSONata).
    Data,
    Variables,
    ErrorHandling,
    /// Runs the state alone (AWS's TestState API, offline).
    Test,
}

impl Tab {
    pub fn title(self, language: QueryLanguage, state_type: Option<StateType>) -> &'static str {
        match self {
            Tab::Configuration => "Configuration",
            Tab::Data => match language {
                QueryLanguage::JsonPath => "Input/Output",
                QueryLanguage::Jsonata
                    if matches!(state_type, Some(StateType::Task | StateType::Parallel)) =>
                {
                    "Arguments & Output"
                }
                QueryLanguage::Jsonata => "Output",
            },
            Tab::Variables => "Variables",
            Tab::ErrorHandling => "Error handling",
            Tab::Test => "Test state",
        }
    }

    /// The tabs a state of this type has.
    pub fn of(state_type: Option<StateType>) -> Vec<Tab> {
        let mut tabs = vec![Tab::Configuration];
        if state_type != Some(StateType::Fail) {
            tabs.push(Tab::Data);
        }
        if !matches!(state_type, Some(StateType::Succeed | StateType::Fail)) {
            tabs.push(Tab::Variables);
        }
        if matches!(
            state_type,
            Some(StateType::Task | StateType::Parallel | StateType::Map)
        ) {
            tabs.push(Tab::ErrorHandling);
        }
        // TestState runs every state type (a state without a Type would only be refused).
        if state_type.is_some() {
            tabs.push(Tab::Test);
        }
        tabs
    }

    /// The tab showing a field of a state (its first key under the state).
    pub fn of_field(key: &str, state_type: Option<StateType>) -> Tab {
        match key {
            // A Map's Parameters is the older ItemSelector, next to ItemsPath.
            "Parameters" if state_type == Some(StateType::Map) => Tab::Configuration,
            "Assign" => Tab::Variables,
            "Retry" | "Catch" => Tab::ErrorHandling,
            "InputPath" | "Parameters" | "ResultSelector" | "ResultPath" | "OutputPath"
            | "Arguments" | "Output" => Tab::Data,
            _ => Tab::Configuration,
        }
    }
}

/// The inspector's own state: the open tab and what the user is typing.
#[derive(Default)]
pub struct InspectorView {
    tab: Tab,
    /// The state the buffers belong to.
    shown: Option<StateRef>,
    buffers: Buffers,
    rename: header::RenameBuffer,
    conversion: Option<convert::Pending>,
    /// Diagnostics (pointer, message) shown next to their field in the last frame; the others
    /// are listed at the top.
    inline: HashSet<(String, String)>,
    summary: summary::SummaryCache,
    /// The Test state tab's inputs and answers, per state (kept while the app runs).
    test: test_tab::TestTab,
}

impl InspectorView {
    pub fn new() -> InspectorView {
        InspectorView::default()
    }

    pub fn tab(&self) -> Tab {
        self.tab
    }

    pub fn set_tab(&mut self, tab: Tab) {
        self.tab = tab;
    }

    /// Shows the inspector; returns what the user asked for this frame.
    pub fn ui(&mut self, ui: &mut Ui, input: &InspectorInput<'_>) -> Vec<InspectorAction> {
        let mut actions = Vec::new();
        if self.shown.as_ref() != input.state {
            self.shown = input.state.cloned();
            self.buffers.clear();
            self.conversion = None;
        }
        let state_value = input
            .state
            .and_then(|state| input.doc.value().pointer(&state.pointer()))
            .filter(|v| v.is_object());
        match (input.state, state_value) {
            (Some(state), Some(value)) => self.state_ui(ui, input, state, value, &mut actions),
            (selected, _) => {
                if let Some(state) = selected {
                    form::error_line_ui(
                        ui,
                        &format!("There is no state \"{}\" any more.", state.name),
                    );
                }
                summary::summary_ui(ui, &mut self.summary, input, &mut actions);
            }
        }
        actions
    }

    fn state_ui(
        &mut self,
        ui: &mut Ui,
        input: &InspectorInput<'_>,
        state: &StateRef,
        value: &Value,
        actions: &mut Vec<InspectorAction>,
    ) {
        let state_type = value
            .get("Type")
            .and_then(Value::as_str)
            .and_then(StateType::parse);
        let language = effective_language(input.doc.value(), value);
        let at = state.pointer();
        let diagnostics: Vec<&Diagnostic> = input
            .diagnostics
            .iter()
            .filter(|d| {
                d.pointer == at
                    || d.pointer
                        .strip_prefix(at.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            })
            .collect();
        let tabs = Tab::of(state_type);
        if !tabs.contains(&self.tab) {
            self.tab = Tab::Configuration;
        }
        header::header_ui(
            ui,
            &mut self.rename,
            input,
            state,
            state_type,
            language,
            actions,
        );
        if language == QueryLanguage::JsonPath {
            convert::convert_ui(ui, &mut self.conversion, input, state, actions);
        }
        // Diagnostics no field showed last frame: about the state itself, or on another tab.
        let top: Vec<&Diagnostic> = diagnostics
            .iter()
            .copied()
            .filter(|d| {
                !self
                    .inline
                    .contains(&(d.pointer.clone(), d.message.clone()))
            })
            .collect();
        let titles: Vec<(Tab, &str)> = tabs
            .iter()
            .map(|tab| (*tab, tab.title(language, state_type)))
            .collect();
        if let Some(tab) =
            header::top_diagnostics_ui(ui, &top, &at, &titles, (self.tab, state_type))
        {
            self.tab = tab;
        }
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            for (tab, title) in &titles {
                if ui.selectable_label(self.tab == *tab, *title).clicked() {
                    self.tab = *tab;
                }
            }
        });
        ui.separator();
        let mut form = Form {
            doc: input.doc,
            state,
            claimed: vec![false; diagnostics.len()],
            diagnostics,
            at,
            language,
            buffers: &mut self.buffers,
            actions,
            syntaxes: input.syntaxes,
        };
        // The tab a Test answer asks for (to show the field the state failed in).
        let mut jump = None;
        egui::ScrollArea::vertical()
            .id_salt("inspector-fields")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                match self.tab {
                    Tab::Configuration => config::configuration_ui(&mut form, ui, state_type),
                    Tab::Data => dataflow::data_ui(&mut form, ui, state_type),
                    Tab::Variables => dataflow::variables_ui(&mut form, ui),
                    Tab::ErrorHandling => errors::error_handling_ui(&mut form, ui),
                    Tab::Test => {
                        let target = test_tab::Target {
                            input,
                            state,
                            value,
                            state_type,
                            language,
                        };
                        jump = self.test.ui(ui, &target, form.actions);
                    }
                }
                ui.add_space(12.0);
            });
        if let Some(tab) = jump {
            self.tab = tab;
        }
        let inline: HashSet<(String, String)> = form
            .diagnostics
            .iter()
            .zip(&form.claimed)
            .filter(|(_, claimed)| **claimed)
            .map(|(d, _)| (d.pointer.clone(), d.message.clone()))
            .collect();
        if inline != self.inline {
            self.inline = inline;
            // The list at the top was drawn from last frame's guess: draw this frame again.
            ui.ctx().request_discard("inspector diagnostics moved");
        }
    }
}

/// A state's query language: its own, else the machine's (nested states inherit the top
/// level's, not their parent's).
pub fn effective_language(definition: &Value, state: &Value) -> QueryLanguage {
    let of = |v: &Value| {
        v.get("QueryLanguage")
            .and_then(Value::as_str)
            .and_then(QueryLanguage::parse)
    };
    of(state).or_else(|| of(definition)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_language_is_the_states_or_the_machines() {
        let machine = json!({"QueryLanguage": "JSONata"});
        assert_eq!(
            effective_language(&machine, &json!({})),
            QueryLanguage::Jsonata
        );
        assert_eq!(
            effective_language(&machine, &json!({"QueryLanguage": "JSONPath"})),
            QueryLanguage::JsonPath
        );
        assert_eq!(
            effective_language(&json!({}), &json!({})),
            QueryLanguage::JsonPath
        );
    }

    #[test]
    fn tabs_follow_the_state_type() {
        assert_eq!(
            Tab::of(Some(StateType::Fail)),
            [Tab::Configuration, Tab::Test]
        );
        assert_eq!(
            Tab::of(Some(StateType::Succeed)),
            [Tab::Configuration, Tab::Data, Tab::Test]
        );
        assert_eq!(Tab::of(Some(StateType::Map)).len(), 5);
        assert_eq!(
            Tab::of(None),
            [Tab::Configuration, Tab::Data, Tab::Variables]
        );
        assert_eq!(Tab::of_field("Catch", None), Tab::ErrorHandling);
        assert_eq!(Tab::of_field("ResultPath", None), Tab::Data);
        assert_eq!(Tab::of_field("Seconds", None), Tab::Configuration);
        assert_eq!(
            Tab::of_field("Parameters", Some(StateType::Map)),
            Tab::Configuration
        );
        assert_eq!(
            Tab::Data.title(QueryLanguage::Jsonata, Some(StateType::Task)),
            "Arguments & Output"
        );
    }
}
