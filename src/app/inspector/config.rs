//! The Configuration tab: what the state does (resource and integration pattern, wait, error,
//! result, branches, map settings, choice rules), where it goes next, and its comment.

use super::edits::{
    insert_item, is_service_integration, remove_item, set_transition, supported_patterns,
    switch_form, with_pattern,
};
use super::form::{Form, Kind, choose_ui, field_label_ui};
use super::{InspectorAction, choice, map};
use crate::asl::document::pointer;
use crate::asl::graph_edit::StateRef;
use crate::asl::model::{IntegrationPattern, QueryLanguage, StateType};
use crate::catalog::task_service;
use egui::{RichText, Ui};
use serde_json::{Value, json};

pub fn configuration_ui(form: &mut Form<'_>, ui: &mut Ui, state_type: Option<StateType>) {
    match state_type {
        Some(StateType::Task) => task_ui(form, ui),
        Some(StateType::Pass) => pass_ui(form, ui),
        Some(StateType::Wait) => wait_ui(form, ui),
        Some(StateType::Fail) => fail_ui(form, ui),
        Some(StateType::Choice) => choice::choice_ui(form, ui),
        Some(StateType::Parallel) => parallel_ui(form, ui),
        Some(StateType::Map) => map::map_ui(form, ui),
        Some(StateType::Succeed) => {
            ui.label(RichText::new("Ends the workflow (or its branch) successfully.").weak());
        }
        None => {
            ui.label(
                RichText::new("Give the state a Type (Pass, Task, Choice…) in the Code tab.")
                    .weak(),
            );
        }
    }
    if matches!(
        state_type,
        Some(
            StateType::Pass
                | StateType::Task
                | StateType::Wait
                | StateType::Parallel
                | StateType::Map
        )
    ) {
        transition_ui(form, ui);
    }
    let at = form.field("Comment");
    form.buffered_ui(ui, "Comment", &at, Kind::Prose, "What this state is for");
    let type_at = form.field("Type");
    form.diagnostics_ui(ui, &type_at, false);
}

/// `Next` (a sibling) or `End`.
fn transition_ui(form: &mut Form<'_>, ui: &mut Ui) {
    let next_at = form.field("Next");
    let end_at = form.field("End");
    let next = form.string(&next_at);
    let ends = form.value(&end_at) == Some(&Value::Bool(true));
    let end_label = if form.state.scope.is_empty() {
        "End of the workflow"
    } else {
        "End of this branch"
    };
    if let Some(picked) = form.target_ui(ui, "Next state", &next_at, next, Some(end_label), ends)
        && let Some(edit) = set_transition(form.doc, &form.at, picked.as_deref())
    {
        form.edit(edit, None);
    }
    form.diagnostics_ui(ui, &end_at, false);
}

fn task_ui(form: &mut Form<'_>, ui: &mut Ui) {
    let resource_at = form.field("Resource");
    form.text_ui(
        ui,
        "Resource",
        &resource_at,
        "arn:aws:states:::lambda:invoke",
    );
    let resource = form.string(&resource_at).unwrap_or_default();
    if !resource.is_empty() {
        let service = task_service(resource);
        let text = if service.action.is_empty() {
            service.label
        } else {
            format!("{} · {}", service.label, service.action)
        };
        ui.label(RichText::new(text).small().weak());
    }
    pattern_ui(form, ui, resource);
    number_or_path_ui(
        form,
        ui,
        ("TimeoutSeconds", "TimeoutSecondsPath"),
        Kind::Number,
        "no timeout",
    );
    number_or_path_ui(
        form,
        ui,
        ("HeartbeatSeconds", "HeartbeatSecondsPath"),
        Kind::Number,
        "no heartbeat",
    );
    let credentials = form.field("Credentials");
    form.json_ui(
        ui,
        "Credentials",
        &credentials,
        "{\"RoleArn\": \"arn:aws:iam::123456789012:role/…\"}",
    );
}

/// Request-response, `.sync` or `.waitForTaskToken`: the Resource's suffix.
fn pattern_ui(form: &mut Form<'_>, ui: &mut Ui, resource: &str) {
    if !is_service_integration(resource) {
        return;
    }
    let (sync, callback) = supported_patterns(resource);
    let current = IntegrationPattern::of(resource);
    let mut options = vec![(IntegrationPattern::RequestResponse, "Request response")];
    if sync || current == IntegrationPattern::Sync {
        options.push((IntegrationPattern::Sync, "Run a job (.sync)"));
    }
    if callback || current == IntegrationPattern::WaitForTaskToken {
        options.push((
            IntegrationPattern::WaitForTaskToken,
            "Wait for callback (.waitForTaskToken)",
        ));
    }
    let labels: Vec<&str> = options.iter().map(|(_, label)| *label).collect();
    let index = options.iter().position(|(p, _)| *p == current);
    let id = form.field("Resource#pattern");
    if let Some(picked) = choose_ui(ui, "Integration pattern", &id, index, &labels)
        && let Some((pattern, _)) = options.get(picked)
    {
        let at = form.field("Resource");
        form.set(&at, Some(Value::String(with_pattern(resource, *pattern))));
    }
    if current == IntegrationPattern::WaitForTaskToken {
        let passes_token = form
            .state_value()
            .is_some_and(|state| state.to_string().contains("Task.Token"));
        if !passes_token {
            let token = match form.language {
                QueryLanguage::JsonPath => "\"TaskToken.$\": \"$$.Task.Token\" in Parameters",
                QueryLanguage::Jsonata => "{% $states.context.Task.Token %} in Arguments",
            };
            ui.label(
                RichText::new(format!(
                    "The service must get the task token to call back: pass {token}."
                ))
                .small()
                .weak(),
            );
        }
    }
}

/// A value that JSONPath states may instead read from the input (`…Path`); JSONata states
/// write an expression in the field itself.
pub fn number_or_path_ui(
    form: &mut Form<'_>,
    ui: &mut Ui,
    (key, path_key): (&str, &str),
    kind: Kind,
    hint: &str,
) {
    let key_at = form.field(key);
    let path_at = form.field(path_key);
    if form.language == QueryLanguage::Jsonata {
        form.buffered_ui(ui, key, &key_at, kind, hint);
        if form.value(&path_at).is_some() {
            form.text_ui(ui, path_key, &path_at, "");
        }
        return;
    }
    let mode = egui::Id::unique(("inspector-path-mode", &key_at));
    let has_path = form.value(&path_at).is_some();
    let has_value = form.value(&key_at).is_some();
    let mut use_path = if has_path {
        true
    } else if has_value {
        false
    } else {
        ui.data(|d| d.get_temp(mode)).unwrap_or(false)
    };
    if use_path {
        form.text_ui(ui, path_key, &path_at, "$.");
    } else {
        form.buffered_ui(ui, key, &key_at, kind, hint);
    }
    let before = use_path;
    if ui
        .checkbox(&mut use_path, format!("From the input ({path_key})"))
        .changed()
    {
        ui.data_mut(|d| d.insert_temp(mode, use_path));
        let old = if before { path_at } else { key_at };
        form.set(&old, None);
    }
}

fn pass_ui(form: &mut Form<'_>, ui: &mut Ui) {
    if form.language == QueryLanguage::JsonPath {
        let at = form.field("Result");
        form.json_ui(ui, "Result", &at, "{\"any\": \"JSON\"}");
    } else {
        ui.label(RichText::new("A JSONata Pass state gives its Output.").weak());
    }
}

/// The four forms of a Wait state (exactly one of them).
const WAIT_FORMS: [(&str, &str, bool); 4] = [
    ("Seconds", "A number of seconds (Seconds)", true),
    ("SecondsPath", "Seconds from the input (SecondsPath)", false),
    ("Timestamp", "Until a date and time (Timestamp)", true),
    (
        "TimestampPath",
        "Until a time from the input (TimestampPath)",
        false,
    ),
];

fn wait_ui(form: &mut Form<'_>, ui: &mut Ui) {
    let jsonata = form.language == QueryLanguage::Jsonata;
    let forms: Vec<&(&str, &str, bool)> = WAIT_FORMS
        .iter()
        .filter(|(_, _, both)| *both || !jsonata)
        .collect();
    let present = WAIT_FORMS
        .iter()
        .find(|(key, _, _)| form.value(&form.field(key)).is_some())
        .map(|(key, _, _)| *key);
    let labels: Vec<&str> = forms.iter().map(|(_, label, _)| *label).collect();
    let index = forms.iter().position(|(key, _, _)| Some(*key) == present);
    let id = form.field("Wait#form");
    if let Some(picked) = choose_ui(ui, "Wait for", &id, index, &labels)
        && let Some((key, _, _)) = forms.get(picked)
    {
        let value = match *key {
            "Seconds" => json!(10),
            "SecondsPath" => json!("$.seconds"),
            "Timestamp" => json!("2030-01-01T00:00:00Z"),
            _ => json!("$.timestamp"),
        };
        let keys: Vec<&str> = WAIT_FORMS.iter().map(|(k, _, _)| *k).collect();
        let edit = switch_form(form.doc, &form.at, &keys, key, value);
        form.edit(edit, None);
    }
    match present {
        Some("Seconds") => {
            let at = form.field("Seconds");
            form.number_ui(ui, "Seconds", &at, "10");
        }
        Some(key) => {
            let at = form.field(key);
            let hint = if key.ends_with("Path") {
                "$."
            } else {
                "2030-01-01T00:00:00Z"
            };
            form.text_ui(ui, key, &at, hint);
        }
        None => {}
    }
    // A second form written by hand is an error the validator explains at its key.
    for (key, _, _) in WAIT_FORMS.iter().filter(|(k, _, _)| Some(*k) != present) {
        let at = form.field(key);
        form.diagnostics_ui(ui, &at, false);
    }
}

fn fail_ui(form: &mut Form<'_>, ui: &mut Ui) {
    number_or_path_ui(
        form,
        ui,
        ("Error", "ErrorPath"),
        Kind::Text,
        "the error name, e.g. OrderRejected",
    );
    number_or_path_ui(
        form,
        ui,
        ("Cause", "CausePath"),
        Kind::Text,
        "a human-readable explanation",
    );
}

fn parallel_ui(form: &mut Form<'_>, ui: &mut Ui) {
    let at = form.field("Branches");
    let branches: Vec<Value> = form
        .value(&at)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    field_label_ui(ui, "Branches");
    ui.label(format!(
        "{} branch{}, run at the same time",
        branches.len(),
        if branches.len() == 1 { "" } else { "es" }
    ));
    for (index, branch) in branches.iter().enumerate() {
        let scope = pointer::join(&at, &index.to_string());
        ui.push_id(index, |ui| {
            ui.horizontal(|ui| {
                let start = branch
                    .get("StartAt")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let count = branch
                    .get("States")
                    .and_then(Value::as_object)
                    .map_or(0, |s| s.len());
                let states = if count == 1 { "state" } else { "states" };
                ui.label(format!("Branch {}: {count} {states}", index + 1));
                if !start.is_empty()
                    && ui
                        .small_button(format!("→ {start}"))
                        .on_hover_text("Select the branch's first state")
                        .clicked()
                {
                    form.actions
                        .push(InspectorAction::Select(StateRef::new(scope.clone(), start)));
                }
                if branches.len() > 1
                    && ui
                        .small_button("✖")
                        .accessible_name(format!("Remove branch {}", index + 1))
                        .on_hover_text("Remove this branch and its states")
                        .clicked()
                    && let Some(edit) = remove_item(form.doc, &at, index)
                {
                    form.edit(edit, None);
                }
            });
        });
    }
    if ui
        .button("Add branch")
        .on_hover_text("An empty branch: drop states into it on the canvas")
        .clicked()
        && let Some(edit) = insert_item(
            form.doc,
            &at,
            branches.len(),
            json!({"StartAt": "", "States": {}}),
        )
    {
        form.edit(edit, None);
    }
    form.diagnostics_ui(ui, &at, false);
}
