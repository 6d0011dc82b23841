//! The form of one state: what every field widget needs (the document, the state, its
//! diagnostics, the edit buffers) and the field widgets themselves. Widgets read the document
//! and push [`InspectorAction`]s; they never change anything.

use super::InspectorAction;
use super::edits::set_field;
use super::json_field;
use crate::app::theme;
use crate::asl::document::{Document, Edit, pointer};
use crate::asl::graph_edit::{StateRef, states_pointer};
use crate::asl::model::QueryLanguage;
use crate::asl::validate::Diagnostic;
use egui::{RichText, Ui};
use egui_extras::syntax_highlighting::SyntectSettings;
use serde_json::Value;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// What the user is typing into one field, and the document value it started from.
#[derive(Debug, Clone)]
pub struct FieldBuffer {
    /// The value the text stands for; when the document's value differs (undo, another view),
    /// the text is thrown away and shown anew.
    basis: Option<Value>,
    pub text: String,
    /// Why the text could not be written (it stays unwritten until it parses).
    pub error: Option<String>,
}

/// Edit buffers by field pointer.
#[derive(Debug, Default)]
pub struct Buffers {
    fields: HashMap<String, FieldBuffer>,
}

impl Buffers {
    /// The buffer of the field at `at`, showing the document's value unless the user's text
    /// already stands for it.
    pub fn sync(
        &mut self,
        at: &str,
        current: Option<&Value>,
        render: impl Fn(Option<&Value>) -> String,
    ) -> &mut FieldBuffer {
        let fresh = |render: &dyn Fn(Option<&Value>) -> String| FieldBuffer {
            basis: current.cloned(),
            text: render(current),
            error: None,
        };
        match self.fields.entry(at.to_string()) {
            Entry::Occupied(entry) => {
                let buffer = entry.into_mut();
                if buffer.basis.as_ref() != current {
                    *buffer = fresh(&render);
                }
                buffer
            }
            Entry::Vacant(entry) => entry.insert(fresh(&render)),
        }
    }

    /// Marks the buffer as standing for `value` (just written).
    pub fn committed(&mut self, at: &str, value: Option<Value>) {
        if let Some(buffer) = self.fields.get_mut(at) {
            buffer.basis = value;
            buffer.error = None;
        }
    }

    pub fn clear(&mut self) {
        self.fields.clear();
    }
}

/// How a field's text becomes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string.
    Text,
    /// A string that may be long (comments): several lines, wrapped.
    Prose,
    /// A number (in a JSONata state also a `{% %}` expression).
    Number,
    /// Any JSON value (in a JSONata state also a bare `{% %}` expression).
    Json,
    /// A string that stays when emptied (a comparison's operand: `""` is a value).
    RequiredText,
    /// A number that cannot be removed (a comparison's operand).
    RequiredNumber,
}

impl Kind {
    pub fn render(self, value: Option<&Value>) -> String {
        match (self, value) {
            (_, None) => String::new(),
            (Kind::Json, Some(value)) => json_field::render(value),
            (_, Some(Value::String(s))) => s.clone(),
            (_, Some(other)) => other.to_string(),
        }
    }

    /// The value typed: None (empty: remove the field), or why it cannot be written.
    pub fn parse(self, text: &str, language: QueryLanguage) -> Result<Option<Value>, String> {
        let trimmed = text.trim();
        match self {
            Kind::RequiredText => return Ok(Some(Value::String(text.to_string()))),
            Kind::RequiredNumber => {
                return match serde_json::from_str::<Value>(trimmed) {
                    Ok(Value::Number(n)) => Ok(Some(Value::Number(n))),
                    _ => Err("expected a number".into()),
                };
            }
            _ if trimmed.is_empty() => return Ok(None),
            _ => {}
        }
        match self {
            Kind::Text | Kind::Prose | Kind::RequiredText => {
                Ok(Some(Value::String(text.to_string())))
            }
            Kind::Number => {
                if language == QueryLanguage::Jsonata && is_expression(trimmed) {
                    return Ok(Some(Value::String(trimmed.to_string())));
                }
                match serde_json::from_str::<Value>(trimmed) {
                    Ok(Value::Number(n)) => Ok(Some(Value::Number(n))),
                    _ if language == QueryLanguage::Jsonata => {
                        Err("expected a number or a {% JSONata %} expression".into())
                    }
                    _ => Err("expected a number".into()),
                }
            }
            Kind::Json => json_field::parse(trimmed).map(Some),
            Kind::RequiredNumber => Err("expected a number".into()),
        }
    }
}

/// A JSONata expression string: `{% … %}`.
pub fn is_expression(text: &str) -> bool {
    let text = text.trim();
    text.len() >= 4 && text.starts_with("{%") && text.ends_with("%}")
}

/// Everything the field widgets of one state share for a frame.
pub struct Form<'a> {
    pub doc: &'a Document,
    pub state: &'a StateRef,
    /// Pointer of the state object.
    pub at: String,
    /// The state's effective query language.
    pub language: QueryLanguage,
    /// The diagnostics inside this state.
    pub diagnostics: Vec<&'a Diagnostic>,
    /// Which of `diagnostics` a field showed this frame.
    pub claimed: Vec<bool>,
    pub buffers: &'a mut Buffers,
    pub actions: &'a mut Vec<InspectorAction>,
    pub syntaxes: Option<&'a SyntectSettings>,
}

impl<'a> Form<'a> {
    /// The document's value at `at`.
    pub fn value(&self, at: &str) -> Option<&'a Value> {
        self.doc.value().pointer(at)
    }

    /// The selected state's object.
    pub fn state_value(&self) -> Option<&'a Value> {
        self.value(&self.at)
    }

    /// The pointer of one of the state's fields.
    pub fn field(&self, key: &str) -> String {
        pointer::join(&self.at, key)
    }

    /// A string at `at`.
    pub fn string(&self, at: &str) -> Option<&'a str> {
        self.value(at).and_then(Value::as_str)
    }

    pub fn edit(&mut self, edit: Edit, field: Option<&str>) {
        self.actions.push(InspectorAction::Edit {
            edit,
            field: field.map(str::to_string),
        });
    }

    /// Sets, adds or removes the value at `at` as one undo step.
    pub fn set(&mut self, at: &str, value: Option<Value>) {
        if let Some(edit) = set_field(self.doc, at, value) {
            self.edit(edit, None);
        }
    }

    /// Selects a state of the same graph.
    pub fn select(&mut self, name: &str) {
        self.actions.push(InspectorAction::Select(StateRef::new(
            self.state.scope.clone(),
            name,
        )));
    }

    /// The names of the states of the graph this state is in, in document order.
    pub fn siblings(&self) -> Vec<&'a str> {
        self.value(&states_pointer(&self.state.scope))
            .and_then(Value::as_object)
            .map(|states| states.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    pub fn has_sibling(&self, name: &str) -> bool {
        self.value(&states_pointer(&self.state.scope))
            .and_then(|states| states.get(name))
            .is_some()
    }

    /// Shows the diagnostics about `at` (and, with `subtree`, about anything inside it) under
    /// the field, and marks them as shown.
    pub fn diagnostics_ui(&mut self, ui: &mut Ui, at: &str, subtree: bool) {
        for (index, diagnostic) in self.diagnostics.iter().enumerate() {
            let hit = diagnostic.pointer == at
                || (subtree
                    && diagnostic
                        .pointer
                        .strip_prefix(at)
                        .is_some_and(|rest| rest.starts_with('/')));
            if hit && !self.claimed.get(index).copied().unwrap_or(true) {
                diagnostic_ui(ui, diagnostic);
                if let Some(claimed) = self.claimed.get_mut(index) {
                    *claimed = true;
                }
            }
        }
    }

    /// A field typed as text: written as the user types (grouped into one undo step per
    /// field), removed when emptied, left alone while it does not parse.
    pub fn buffered_ui(&mut self, ui: &mut Ui, label: &str, at: &str, kind: Kind, hint: &str) {
        let label = field_label_ui(ui, label);
        let current = self.value(at);
        let language = self.language;
        let buffer = self.buffers.sync(at, current, |v| kind.render(v));
        let response = match kind {
            Kind::Json => json_field::editor_ui(ui, at, &mut buffer.text, hint, self.syntaxes),
            Kind::Prose => ui.add(
                egui::TextEdit::multiline(&mut buffer.text)
                    .id_salt(at)
                    .hint_text(hint)
                    .desired_rows(1)
                    .desired_width(f32::INFINITY),
            ),
            _ => ui.add(
                egui::TextEdit::singleline(&mut buffer.text)
                    .id_salt(at)
                    .hint_text(hint)
                    .desired_width(f32::INFINITY),
            ),
        }
        .labelled_by(label.id);
        let mut commit = None;
        if response.changed() {
            match kind.parse(&buffer.text, language) {
                Ok(value) => {
                    buffer.error = None;
                    commit = Some(value);
                }
                Err(error) => buffer.error = Some(error),
            }
        }
        if let Some(error) = &buffer.error {
            let message = match kind {
                Kind::Json => format!("{error} — not written until it is valid JSON"),
                _ => format!("{error} — not written"),
            };
            error_line_ui(ui, &message);
        }
        if let Some(value) = commit {
            self.buffers.committed(at, value.clone());
            if let Some(edit) = set_field(self.doc, at, value) {
                self.edit(edit, Some(at));
            }
        }
        self.diagnostics_ui(ui, at, kind == Kind::Json);
    }

    pub fn text_ui(&mut self, ui: &mut Ui, label: &str, at: &str, hint: &str) {
        self.buffered_ui(ui, label, at, Kind::Text, hint);
    }

    pub fn number_ui(&mut self, ui: &mut Ui, label: &str, at: &str, hint: &str) {
        self.buffered_ui(ui, label, at, Kind::Number, hint);
    }

    pub fn json_ui(&mut self, ui: &mut Ui, label: &str, at: &str, hint: &str) {
        self.buffered_ui(ui, label, at, Kind::Json, hint);
    }

    /// A reference path that may be `null` (InputPath, ResultPath, OutputPath…): a text field
    /// and a box for the explicit `null`.
    pub fn nullable_path_ui(&mut self, ui: &mut Ui, label: &str, at: &str, null_label: &str) {
        let is_null = self.value(at).is_some_and(Value::is_null);
        if is_null {
            let label = field_label_ui(ui, label);
            ui.label(RichText::new("null").monospace().weak())
                .labelled_by(label.id);
        } else {
            self.text_ui(ui, label, at, "$");
        }
        let mut null = is_null;
        if ui.checkbox(&mut null, null_label).changed() {
            self.set(at, null.then_some(Value::Null));
        }
        if is_null {
            self.diagnostics_ui(ui, at, false);
        }
    }

    /// A combo box of the sibling states for a transition field (`Next`, `Default`, a rule's
    /// or catcher's `Next`); `none` names the choice that writes no state (End, no default),
    /// None when a state must be chosen; `none_selected` says whether that is the current
    /// choice. Returns the pick: Some(None) for `none`.
    pub fn target_ui(
        &mut self,
        ui: &mut Ui,
        label: &str,
        at: &str,
        current: Option<&str>,
        none: Option<&str>,
        none_selected: bool,
    ) -> Option<Option<String>> {
        let label_response = field_label_ui(ui, label);
        let mut picked = None;
        ui.horizontal(|ui| {
            let shown = match (current, none) {
                (Some(name), _) => name.to_string(),
                (None, Some(none)) if none_selected => none.to_string(),
                _ => "(choose a state)".to_string(),
            };
            let width = (ui.available_width() - 36.0).max(80.0);
            let combo = egui::ComboBox::from_id_salt(at)
                .selected_text(shown)
                .width(width)
                .show_ui(ui, |ui| {
                    if let Some(none) = none
                        && ui.selectable_label(none_selected, none).clicked()
                    {
                        picked = Some(None);
                    }
                    // Listed only while the popup is open (a graph may have hundreds).
                    for name in self.siblings() {
                        let label = if name == self.state.name {
                            format!("{name} (this state)")
                        } else {
                            name.to_string()
                        };
                        if ui.selectable_label(current == Some(name), label).clicked() {
                            picked = Some(Some(name.to_string()));
                        }
                    }
                });
            combo.response.labelled_by(label_response.id);
            if let Some(name) = current {
                let exists = self.has_sibling(name);
                let go = ui
                    .add_enabled(exists, egui::Button::new("→").small())
                    .accessible_name(format!("Select {name}"))
                    .on_hover_text(format!("Select {name}"))
                    .on_disabled_hover_text("No state of this name in this graph");
                if go.clicked() {
                    self.select(name);
                }
            }
        });
        self.diagnostics_ui(ui, at, false);
        picked.filter(|p| p.as_deref() != current || (p.is_none() && !none_selected))
    }
}

/// The small label above a field.
pub fn field_label_ui(ui: &mut Ui, text: &str) -> egui::Response {
    ui.add_space(2.0);
    ui.label(
        RichText::new(text)
            .small()
            .color(ui.visuals().weak_text_color()),
    )
}

/// A one-line problem in the error colour.
pub fn error_line_ui(ui: &mut Ui, message: &str) {
    let color = theme::severity_color(
        crate::asl::validate::Severity::Error,
        ui.visuals().dark_mode,
    );
    ui.add(egui::Label::new(RichText::new(message).small().color(color)).wrap());
}

/// A diagnostic: its severity icon and message.
pub fn diagnostic_ui(ui: &mut Ui, diagnostic: &Diagnostic) {
    ui.horizontal_top(|ui| {
        theme::severity_icon_ui(ui, diagnostic.severity);
        let color = theme::severity_color(diagnostic.severity, ui.visuals().dark_mode);
        ui.add(egui::Label::new(RichText::new(&diagnostic.message).small().color(color)).wrap());
    });
}

/// A combo box of fixed choices under a label; returns the index picked (when it changed).
pub fn choose_ui(
    ui: &mut Ui,
    label: &str,
    id: &str,
    current: Option<usize>,
    choices: &[&str],
) -> Option<usize> {
    let label = field_label_ui(ui, label);
    let shown = current
        .and_then(|i| choices.get(i))
        .copied()
        .unwrap_or("(none)");
    let mut picked = None;
    let combo = egui::ComboBox::from_id_salt(id)
        .selected_text(shown)
        .width(ui.available_width().min(260.0))
        .height(420.0)
        .show_ui(ui, |ui| {
            for (index, choice) in choices.iter().enumerate() {
                if ui
                    .selectable_label(current == Some(index), *choice)
                    .clicked()
                {
                    picked = Some(index);
                }
            }
        });
    combo.response.labelled_by(label.id);
    picked.filter(|p| Some(*p) != current)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kinds_parse_what_people_type() {
        let path = QueryLanguage::JsonPath;
        let ata = QueryLanguage::Jsonata;
        assert_eq!(Kind::Text.parse("  ", path), Ok(None));
        assert_eq!(Kind::Text.parse(" a ", path), Ok(Some(json!(" a "))));
        assert_eq!(Kind::Number.parse("2.0", path), Ok(Some(json!(2.0))));
        assert!(Kind::Number.parse("two", path).is_err());
        assert!(Kind::Number.parse("{% $x %}", path).is_err());
        assert_eq!(
            Kind::Number.parse("{% $x %}", ata),
            Ok(Some(json!("{% $x %}")))
        );
        assert_eq!(
            Kind::Json.parse("{\"a\": 1}", path),
            Ok(Some(json!({"a": 1})))
        );
        assert!(Kind::Json.parse("{\"a\": }", path).is_err());
        assert_eq!(Kind::RequiredText.parse("", path), Ok(Some(json!(""))));
        assert!(Kind::RequiredNumber.parse("", path).is_err());
    }

    #[test]
    fn kinds_render_values() {
        assert_eq!(Kind::Text.render(Some(&json!("x"))), "x");
        assert_eq!(Kind::Number.render(Some(&json!(3))), "3");
        assert_eq!(Kind::Number.render(None), "");
        assert_eq!(
            Kind::Json.render(Some(&json!({"a": 1}))),
            "{\n  \"a\": 1\n}"
        );
    }

    #[test]
    fn a_buffer_keeps_the_users_text_until_the_document_changes() {
        let mut buffers = Buffers::default();
        let one = json!(1);
        let buffer = buffers.sync("/a", Some(&one), |v| Kind::Number.render(v));
        assert_eq!(buffer.text, "1");
        buffer.text = "1.".into();
        // Still the same value in the document: the typed text stays.
        assert_eq!(
            buffers.sync("/a", Some(&one), |_| unreachable!()).text,
            "1."
        );
        buffers.committed("/a", Some(json!(15)));
        let fifteen = json!(15);
        assert_eq!(
            buffers.sync("/a", Some(&fifteen), |_| unreachable!()).text,
            "1."
        );
        // The document changed elsewhere (undo): the field shows it.
        let two = json!(2);
        assert_eq!(
            buffers
                .sync("/a", Some(&two), |v| Kind::Number.render(v))
                .text,
            "2"
        );
    }
}
