//! The Config tab: the machine's top-level ASL fields (edits of the document, undoable like
//! any other), the deployment settings kept in the sidecar file, and the exports. It reads
//! the session and returns [`ConfigAction`]s: field edits and settings changes are applied
//! by the dispatcher.

use super::session::Session;
use super::theme;
use crate::asl::document::{Edit, pointer};
use crate::asl::validate::WorkflowType;
use crate::export::{self, DeploymentSettings, ExportFormat, ExportOptions, LogLevel};
use egui::{RichText, Ui};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// What the Config tab asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigAction {
    /// An edit of a top-level field of the definition; `field` (a JSON pointer) groups the
    /// typing in one field into one undo step.
    Edit {
        edit: Edit,
        field: Option<String>,
    },
    /// The deployment settings, as edited (saved beside the document).
    Settings(DeploymentSettings),
    /// Ask where to save, then write this export.
    ExportToFile(ExportFormat, ExportOptions),
    Status(String),
}

/// The top-level ASL fields the Config tab edits.
const ASL_FIELDS: [&str; 4] = ["Comment", "QueryLanguage", "TimeoutSeconds", "Version"];

#[derive(Default)]
pub struct ConfigView {
    /// TimeoutSeconds as typed while it is not a number yet.
    timeout_text: Option<String>,
    new_tag: (String, String),
    new_substitution: (String, String),
    pub parameterize_arns: bool,
}

impl ConfigView {
    pub fn export_options(&self, session: &Session) -> ExportOptions {
        ExportOptions {
            logical_id: logical_id(session.settings.name.as_deref()),
            definition_uri: None,
            parameterize_arns: self.parameterize_arns,
        }
    }

    pub fn config_ui(&mut self, ui: &mut Ui, session: &Session) -> Vec<ConfigAction> {
        let mut actions = Vec::new();
        // The settings as this frame's widgets leave them (returned when they changed).
        let mut settings = session.settings.clone();
        let mut settings_changed = false;
        egui::ScrollArea::vertical()
            .id_salt("config-scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.set_max_width(ui.available_width().min(760.0));
                ui.add_space(8.0);
                section_ui(
                    ui,
                    "State machine",
                    "Fields of the definition itself: edits go into the text, undoable.",
                );
                if let Some((edit, field)) = self.asl_fields_ui(ui, session) {
                    actions.push(ConfigAction::Edit {
                        edit,
                        field: field.map(str::to_string),
                    });
                }
                ui.add_space(14.0);
                section_ui(
                    ui,
                    "Deployment",
                    "Saved beside the file, used by the SAM / CloudFormation export.",
                );
                settings_changed |= deployment_ui(ui, &mut settings);
                ui.add_space(14.0);
                section_ui(ui, "Tags", "");
                settings_changed |=
                    map_editor_ui(ui, "tags", &mut settings.tags, &mut self.new_tag);
                ui.add_space(14.0);
                section_ui(
                    ui,
                    "Definition substitutions",
                    "${Name} placeholders that SAM / CloudFormation fill in.",
                );
                settings_changed |= map_editor_ui(
                    ui,
                    "substitutions",
                    &mut settings.definition_substitutions,
                    &mut self.new_substitution,
                );
                ui.add_space(14.0);
                section_ui(ui, "Export", "");
                actions.extend(self.export_ui(ui, session));
                ui.add_space(20.0);
            });
        if settings_changed {
            actions.push(ConfigAction::Settings(settings));
        }
        actions
    }

    /// The top-level fields; returns an edit of one (with the field it groups by).
    fn asl_fields_ui(
        &mut self,
        ui: &mut Ui,
        session: &Session,
    ) -> Option<(Edit, Option<&'static str>)> {
        let editable = session.current_doc().is_some();
        if !editable {
            ui.label(
                RichText::new("The text does not parse: fix it in the Code tab to edit these.")
                    .weak(),
            );
        }
        // Only the fields shown here (not a copy of the whole definition every frame).
        let top: Value = session
            .parsed()
            .and_then(|p| p.doc.value().as_object())
            .map(|object| {
                ASL_FIELDS
                    .iter()
                    .filter_map(|key| Some((key.to_string(), object.get(*key)?.clone())))
                    .collect::<serde_json::Map<_, _>>()
            })
            .map_or(Value::Null, Value::Object);
        let text_of = |key: &str| top.get(key).and_then(Value::as_str).map(str::to_string);
        let mut edit: Option<(Edit, Option<&'static str>)> = None;
        ui.add_enabled_ui(editable, |ui| {
            egui::Grid::new("asl-fields")
                .num_columns(2)
                .spacing([16.0, 8.0])
                .show(ui, |ui| {
                    if let Some(value) =
                        text_field_ui(ui, "Comment", text_of("Comment"), "What this workflow does")
                    {
                        edit = Some((
                            set_or_remove(&top, "Comment", value.map(Value::String), Some(0)),
                            Some("/Comment"),
                        ));
                    }
                    ui.end_row();
                    let label = ui.label("QueryLanguage");
                    let current = text_of("QueryLanguage");
                    let shown = current
                        .clone()
                        .unwrap_or_else(|| "JSONPath (default)".into());
                    egui::ComboBox::from_id_salt("query-language")
                        .selected_text(shown)
                        .show_ui(ui, |ui| {
                            for (choice, text) in [
                                (None, "JSONPath (default)"),
                                (Some("JSONPath"), "JSONPath"),
                                (Some("JSONata"), "JSONata"),
                            ] {
                                let selected = current.as_deref() == choice;
                                if ui.selectable_label(selected, text).clicked() && !selected {
                                    let value = choice.map(|c| Value::String(c.into()));
                                    edit = Some((
                                        set_or_remove(&top, "QueryLanguage", value, Some(0)),
                                        None,
                                    ));
                                }
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    ui.end_row();
                    let timeout = top.get("TimeoutSeconds").map(|v| v.to_string());
                    let shown = self.timeout_text.clone().or(timeout);
                    if let Some(value) =
                        text_field_ui(ui, "TimeoutSeconds", shown, "no limit (a year)")
                    {
                        match value.as_deref().map(str::parse::<u64>) {
                            None => {
                                self.timeout_text = None;
                                edit = Some((
                                    set_or_remove(&top, "TimeoutSeconds", None, None),
                                    Some("/TimeoutSeconds"),
                                ));
                            }
                            Some(Ok(n)) => {
                                self.timeout_text = None;
                                edit = Some((
                                    set_or_remove(&top, "TimeoutSeconds", Some(json!(n)), None),
                                    Some("/TimeoutSeconds"),
                                ));
                            }
                            Some(Err(_)) => self.timeout_text = value,
                        }
                    }
                    if self.timeout_text.is_some() {
                        ui.label(
                            RichText::new("a whole number of seconds")
                                .small()
                                .color(ui.visuals().error_fg_color),
                        );
                    }
                    ui.end_row();
                    if let Some(value) = text_field_ui(ui, "Version", text_of("Version"), "1.0") {
                        edit = Some((
                            set_or_remove(&top, "Version", value.map(Value::String), None),
                            Some("/Version"),
                        ));
                    }
                    ui.end_row();
                });
        });
        edit
    }

    fn export_ui(&mut self, ui: &mut Ui, session: &Session) -> Option<ConfigAction> {
        let mut action = None;
        let Some(doc) = session.current_doc() else {
            ui.label(RichText::new("The text does not parse: fix it to export.").weak());
            return None;
        };
        ui.horizontal_wrapped(|ui| {
            for (label, format) in [
                ("📋 Copy as JSON", ExportFormat::Json),
                ("📋 Copy as YAML", ExportFormat::Yaml),
            ] {
                if ui.button(label).clicked() {
                    action = Some(
                        match export::export(
                            doc.value(),
                            &session.settings,
                            format,
                            &self.export_options(session),
                        ) {
                            Ok(text) => {
                                ui.ctx().copy_text(text);
                                ConfigAction::Status(format!(
                                    "Copied the definition as {}",
                                    if format == ExportFormat::Json {
                                        "JSON"
                                    } else {
                                        "YAML"
                                    }
                                ))
                            }
                            Err(e) => ConfigAction::Status(format!("Export failed: {e}")),
                        },
                    );
                }
            }
            for (label, format) in [
                ("⬇ Export SAM template…", ExportFormat::Sam),
                ("⬇ Export CloudFormation…", ExportFormat::CloudFormation),
            ] {
                if ui.button(label).clicked() {
                    action = Some(ConfigAction::ExportToFile(
                        format,
                        self.export_options(session),
                    ));
                }
            }
        });
        ui.checkbox(
            &mut self.parameterize_arns,
            "Turn ARNs into template parameters",
        );
        action
    }
}

fn section_ui(ui: &mut Ui, title: &str, note: &str) {
    theme::heading_ui(ui, title);
    if !note.is_empty() {
        ui.label(RichText::new(note).small().weak());
    }
    ui.add_space(4.0);
}

/// A labelled one-line field; returns Some(new value) when edited (None inside = emptied).
fn text_field_ui(
    ui: &mut Ui,
    label: &str,
    current: Option<String>,
    hint: &str,
) -> Option<Option<String>> {
    let label = ui.label(label);
    let mut text = current.unwrap_or_default();
    let response = ui
        .add(
            egui::TextEdit::singleline(&mut text)
                .hint_text(hint)
                .desired_width(420.0),
        )
        .labelled_by(label.id);
    response
        .changed()
        .then_some(if text.is_empty() { None } else { Some(text) })
}

/// Sets a top-level field, adds it at `index` when missing, or removes it for None.
fn set_or_remove(top: &Value, key: &str, value: Option<Value>, index: Option<usize>) -> Edit {
    let at = pointer::join("", key);
    let exists = top.get(key).is_some();
    match (value, exists) {
        (None, true) => Edit::Remove { pointer: at },
        (None, false) => Edit::Batch(Vec::new()),
        (Some(value), true) => Edit::Set { pointer: at, value },
        (Some(value), false) => Edit::InsertMember {
            object: String::new(),
            key: key.to_string(),
            value,
            index,
        },
    }
}

/// Returns true when a deployment setting changed.
fn deployment_ui(ui: &mut Ui, settings: &mut DeploymentSettings) -> bool {
    let mut changed = false;
    egui::Grid::new("deployment")
        .num_columns(2)
        .spacing([16.0, 8.0])
        .show(ui, |ui| {
            changed |= optional_text_ui(ui, "Name", &mut settings.name, "MyStateMachine");
            ui.end_row();
            let label = ui.label("Type");
            ui.horizontal(|ui| {
                for (kind, text) in [
                    (WorkflowType::Standard, "Standard"),
                    (WorkflowType::Express, "Express"),
                ] {
                    changed |= ui
                        .radio_value(&mut settings.workflow_type, kind, text)
                        .labelled_by(label.id)
                        .changed();
                }
            });
            ui.end_row();
            changed |= optional_text_ui(
                ui,
                "Role ARN",
                &mut settings.role_arn,
                "arn:aws:iam::123456789012:role/…",
            );
            ui.end_row();
            let label = ui.label("Logging");
            ui.horizontal(|ui| {
                egui::ComboBox::from_id_salt("log-level")
                    .selected_text(settings.logging.level.as_str())
                    .show_ui(ui, |ui| {
                        for level in LogLevel::ALL {
                            changed |= ui
                                .selectable_value(
                                    &mut settings.logging.level,
                                    level,
                                    level.as_str(),
                                )
                                .changed();
                        }
                    })
                    .response
                    .labelled_by(label.id);
                changed |= ui
                    .checkbox(
                        &mut settings.logging.include_execution_data,
                        "Include execution data",
                    )
                    .changed();
            });
            ui.end_row();
            changed |= optional_text_ui(
                ui,
                "Log group ARN",
                &mut settings.logging.log_group_arn,
                "arn:aws:logs:…",
            );
            ui.end_row();
            ui.label("Tracing");
            changed |= ui
                .checkbox(&mut settings.tracing, "AWS X-Ray tracing")
                .changed();
            ui.end_row();
        });
    changed
}

fn optional_text_ui(ui: &mut Ui, label: &str, value: &mut Option<String>, hint: &str) -> bool {
    match text_field_ui(ui, label, value.clone(), hint) {
        Some(new) => {
            *value = new;
            true
        }
        None => false,
    }
}

/// Key/value rows with remove buttons and an "add" row; returns true on change.
fn map_editor_ui(
    ui: &mut Ui,
    id: &str,
    map: &mut BTreeMap<String, String>,
    new: &mut (String, String),
) -> bool {
    let mut changed = false;
    let mut remove = None;
    if !map.is_empty() {
        egui::Grid::new(id)
            .num_columns(3)
            .spacing([8.0, 6.0])
            .show(ui, |ui| {
                for (key, value) in map.iter_mut() {
                    let label = ui.label(RichText::new(key).monospace());
                    changed |= ui
                        .add(egui::TextEdit::singleline(value).desired_width(320.0))
                        .labelled_by(label.id)
                        .changed();
                    if ui
                        .small_button("✖")
                        .on_hover_text(format!("Remove {key}"))
                        .clicked()
                    {
                        remove = Some(key.clone());
                    }
                    ui.end_row();
                }
            });
    }
    ui.horizontal(|ui| {
        ui.add(
            egui::TextEdit::singleline(&mut new.0)
                .hint_text("key")
                .desired_width(160.0),
        );
        ui.add(
            egui::TextEdit::singleline(&mut new.1)
                .hint_text("value")
                .desired_width(320.0),
        );
        let key = new.0.trim().to_string();
        let can_add = !key.is_empty() && !map.contains_key(&key);
        if ui
            .add_enabled(can_add, egui::Button::new("➕ Add"))
            .clicked()
        {
            map.insert(key, std::mem::take(&mut new.1));
            new.0.clear();
            changed = true;
        }
    });
    if let Some(key) = remove {
        map.remove(&key);
        changed = true;
    }
    changed
}

/// A CloudFormation logical id from the machine's name (letters and digits only).
pub fn logical_id(name: Option<&str>) -> String {
    let id: String = name
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    if id.is_empty() || id.starts_with(|c: char| c.is_ascii_digit()) {
        format!("StateMachine{id}")
    } else {
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logical_ids_are_alphanumeric() {
        assert_eq!(logical_id(Some("order-flow 2")), "orderflow2");
        assert_eq!(logical_id(None), "StateMachine");
        assert_eq!(logical_id(Some("9lives")), "StateMachine9lives");
    }

    #[test]
    fn fields_are_set_added_or_removed() {
        let top = json!({"Comment": "x", "StartAt": "A"});
        assert!(matches!(
            set_or_remove(&top, "Comment", None, None),
            Edit::Remove { .. }
        ));
        assert!(matches!(
            set_or_remove(&top, "Version", Some(json!("1.0")), None),
            Edit::InsertMember { .. }
        ));
        assert!(matches!(
            set_or_remove(&top, "Comment", Some(json!("y")), None),
            Edit::Set { .. }
        ));
        assert_eq!(
            set_or_remove(&top, "Version", None, None),
            Edit::Batch(Vec::new())
        );
    }
}
