//! The Error handling tab: the Retry and Catch lists (add, remove, reorder, every field), with
//! the error names Step Functions raises offered by name.

use super::edits::{insert_item, move_down, remove_item};
use super::form::{Form, choose_ui, field_label_ui};
use crate::asl::document::{Edit, pointer};
use crate::asl::model::QueryLanguage;
use egui::{RichText, Ui};
use serde_json::{Value, json};

/// Error names offered in the ErrorEquals editor: Step Functions' own, then the ones AWS
/// recommends retrying for Lambda.
pub const COMMON_ERRORS: &[&str] = &[
    "States.ALL",
    "States.TaskFailed",
    "States.Timeout",
    "States.HeartbeatTimeout",
    "States.Permissions",
    "States.ResultPathMatchFailure",
    "States.ParameterPathFailure",
    "States.QueryEvaluationError",
    "States.IntrinsicFailure",
    "States.BranchFailed",
    "States.NoChoiceMatched",
    "States.ExceedToleratedFailureThreshold",
    "States.ItemReaderFailed",
    "States.ResultWriterFailed",
    "States.DataLimitExceeded",
    "States.Runtime",
    "States.Http.Socket",
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
];

/// Which list: Retry or Catch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    Retry,
    Catch,
}

impl List {
    fn key(self) -> &'static str {
        match self {
            List::Retry => "Retry",
            List::Catch => "Catch",
        }
    }

    fn title(self) -> &'static str {
        match self {
            List::Retry => "Retrier",
            List::Catch => "Catcher",
        }
    }

    fn item(self) -> &'static str {
        match self {
            List::Retry => "retrier",
            List::Catch => "catcher",
        }
    }
}

pub fn error_handling_ui(form: &mut Form<'_>, ui: &mut Ui) {
    crate::app::theme::heading_ui(ui, "Retry");
    ui.label(
        RichText::new("Tried in order: the first retrier whose errors match runs again.")
            .small()
            .weak(),
    );
    list_ui(form, ui, List::Retry);
    ui.add_space(10.0);
    crate::app::theme::heading_ui(ui, "Catch");
    ui.label(
        RichText::new("When retries are exhausted: go to a fallback state.")
            .small()
            .weak(),
    );
    list_ui(form, ui, List::Catch);
}

fn list_ui(form: &mut Form<'_>, ui: &mut Ui, list: List) {
    let list_at = form.field(list.key());
    let items: Vec<Value> = form
        .value(&list_at)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for index in 0..items.len() {
        let item_at = pointer::join(&list_at, &index.to_string());
        ui.push_id((list.key(), index), |ui| {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                item_header_ui(form, ui, list, &list_at, index, items.len());
                match list {
                    List::Retry => retrier_ui(form, ui, &item_at),
                    List::Catch => catcher_ui(form, ui, &item_at),
                }
                form.diagnostics_ui(ui, &item_at, false);
            });
        });
    }
    if ui.button(format!("Add {}", list.item())).clicked() {
        add_item(form, list, &list_at, &items);
    }
    form.diagnostics_ui(ui, &list_at, false);
}

/// "Retrier #1" and its move / remove buttons.
fn item_header_ui(
    form: &mut Form<'_>,
    ui: &mut Ui,
    list: List,
    list_at: &str,
    index: usize,
    count: usize,
) {
    let number = index + 1;
    let noun = list.item();
    ui.horizontal(|ui| {
        let title = format!("{} #{number}", list.title());
        ui.label(RichText::new(title).strong());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let remove = ui
                .small_button("✖")
                .accessible_name(format!("Remove {noun} {number}"));
            if remove.clicked()
                && let Some(edit) = remove_item(form.doc, list_at, index)
            {
                form.edit(edit, None);
            }
            let down = ui
                .add_enabled(number < count, egui::Button::new("↓").small())
                .accessible_name(format!("Move {noun} {number} down"));
            if down.clicked()
                && let Some(edit) = move_down(form.doc, list_at, index)
            {
                form.edit(edit, None);
            }
            let up = ui
                .add_enabled(index > 0, egui::Button::new("↑").small())
                .accessible_name(format!("Move {noun} {number} up"));
            if up.clicked()
                && let Some(edit) = move_down(form.doc, list_at, index.saturating_sub(1))
            {
                form.edit(edit, None);
            }
        });
    });
}

/// A new retrier or catcher: `States.ALL` unless one already catches everything (then it goes
/// before that one, since `States.ALL` must come last).
fn add_item(form: &mut Form<'_>, list: List, list_at: &str, items: &[Value]) {
    let catch_all = items.iter().position(|item| {
        item.get("ErrorEquals")
            .and_then(Value::as_array)
            .is_some_and(|names| names.iter().any(|n| n == "States.ALL"))
    });
    let error = if catch_all.is_some() {
        "States.TaskFailed"
    } else {
        "States.ALL"
    };
    let value = match list {
        List::Retry => json!({
            "ErrorEquals": [error],
            "IntervalSeconds": 1,
            "MaxAttempts": 3,
            "BackoffRate": 2
        }),
        List::Catch => {
            let next = fallback_state(form);
            match form.language {
                QueryLanguage::JsonPath => {
                    json!({"ErrorEquals": [error], "ResultPath": "$.error", "Next": next})
                }
                QueryLanguage::Jsonata => json!({"ErrorEquals": [error], "Next": next}),
            }
        }
    };
    let index = catch_all.unwrap_or(items.len());
    if let Some(edit) = insert_item(form.doc, list_at, index, value) {
        form.edit(edit, None);
    }
}

/// Where a new catcher goes: a Fail state of the graph if there is one, else another state.
fn fallback_state(form: &Form<'_>) -> String {
    let siblings = form.siblings();
    let scope_states = pointer::join(&form.state.scope, "States");
    let is_fail = |name: &&&str| {
        form.string(&pointer::join(&pointer::join(&scope_states, name), "Type")) == Some("Fail")
    };
    siblings
        .iter()
        .find(is_fail)
        .or_else(|| siblings.iter().find(|n| **n != form.state.name))
        .map(|n| n.to_string())
        .unwrap_or_default()
}

fn retrier_ui(form: &mut Form<'_>, ui: &mut Ui, at: &str) {
    error_names_ui(form, ui, at);
    let field = |key: &str| pointer::join(at, key);
    // Two columns: the four numbers read as one table.
    ui.columns_const(|[left, right]| {
        form.number_ui(
            left,
            "IntervalSeconds",
            &field("IntervalSeconds"),
            "1 (default)",
        );
        form.number_ui(right, "MaxAttempts", &field("MaxAttempts"), "3 (default)");
        form.number_ui(left, "BackoffRate", &field("BackoffRate"), "2.0 (default)");
        form.number_ui(
            right,
            "MaxDelaySeconds",
            &field("MaxDelaySeconds"),
            "no limit",
        );
    });
    let jitter_at = pointer::join(at, "JitterStrategy");
    let current = match form.string(&jitter_at) {
        Some("FULL") => Some(1),
        Some("NONE") | None => Some(0),
        Some(_) => None,
    };
    if let Some(picked) = choose_ui(
        ui,
        "JitterStrategy",
        &jitter_at,
        current,
        &["NONE (default)", "FULL"],
    ) {
        form.set(&jitter_at, (picked == 1).then(|| json!("FULL")));
    }
    form.diagnostics_ui(ui, &jitter_at, false);
    let comment = pointer::join(at, "Comment");
    form.text_ui(ui, "Retrier comment", &comment, "");
}

fn catcher_ui(form: &mut Form<'_>, ui: &mut Ui, at: &str) {
    error_names_ui(form, ui, at);
    let next_at = pointer::join(at, "Next");
    let next = form.string(&next_at);
    if let Some(Some(picked)) = form.target_ui(ui, "Fallback state", &next_at, next, None, false) {
        form.set(&next_at, Some(Value::String(picked)));
    }
    match form.language {
        QueryLanguage::JsonPath => {
            let result_at = pointer::join(at, "ResultPath");
            form.nullable_path_ui(
                ui,
                "Catcher ResultPath",
                &result_at,
                "Discard the error output (null)",
            );
        }
        QueryLanguage::Jsonata => {
            let output_at = pointer::join(at, "Output");
            form.json_ui(
                ui,
                "Catcher Output",
                &output_at,
                "{% $states.errorOutput %}",
            );
        }
    }
    let assign_at = pointer::join(at, "Assign");
    form.json_ui(ui, "Catcher Assign", &assign_at, "{\"failed\": true}");
    let comment = pointer::join(at, "Comment");
    form.text_ui(ui, "Catcher comment", &comment, "");
}

/// `ErrorEquals`: the names as removable chips, a list of the usual names, and a field for
/// any other name.
fn error_names_ui(form: &mut Form<'_>, ui: &mut Ui, at: &str) {
    let list_at = pointer::join(at, "ErrorEquals");
    let names: Vec<String> = form
        .value(&list_at)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                .collect()
        })
        .unwrap_or_default();
    field_label_ui(ui, "ErrorEquals");
    ui.horizontal_wrapped(|ui| {
        if names.is_empty() {
            ui.label(RichText::new("no errors yet").weak());
        }
        for (index, name) in names.iter().enumerate() {
            // One widget per name, so the row wraps in a narrow panel.
            let chip = ui
                .add(
                    egui::Button::new(RichText::new(format!("{name}  ✖")).monospace())
                        .corner_radius(10),
                )
                .accessible_name(format!("Remove {name}"))
                .on_hover_text(format!("Stop matching {name}"));
            if chip.clicked() {
                // The last name leaves an empty list: ErrorEquals is required, and the
                // validator says so where the user is looking.
                let edit = if names.len() == 1 {
                    Some(Edit::Set {
                        pointer: list_at.clone(),
                        value: json!([]),
                    })
                } else {
                    remove_item(form.doc, &list_at, index)
                };
                if let Some(edit) = edit {
                    form.edit(edit, None);
                }
            }
        }
    });
    ui.horizontal(|ui| {
        let offered: Vec<&str> = COMMON_ERRORS
            .iter()
            .copied()
            .filter(|n| !names.iter().any(|m| m == n))
            .collect();
        let mut picked = None;
        let combo = egui::ComboBox::from_id_salt(format!("{list_at}#add"))
            .selected_text("Add error…")
            .show_ui(ui, |ui| {
                for name in offered {
                    if ui.selectable_label(false, name).clicked() {
                        picked = Some(name.to_string());
                    }
                }
            });
        combo.response.accessible_name("Add error");
        let id = egui::Id::unique(("inspector-custom-error", &list_at));
        let mut custom: String = ui.data(|d| d.get_temp(id)).unwrap_or_default();
        let response = ui.add(
            egui::TextEdit::singleline(&mut custom)
                .id_salt(format!("{list_at}#custom"))
                .hint_text("Other name, Enter")
                .desired_width(f32::INFINITY),
        );
        let response = response.accessible_name("Other error name");
        let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if entered && !custom.trim().is_empty() {
            picked = Some(custom.trim().to_string());
            custom.clear();
        }
        ui.data_mut(|d| d.insert_temp(id, custom));
        if let Some(name) = picked
            && let Some(edit) = insert_item(form.doc, &list_at, names.len(), json!(name))
        {
            form.edit(edit, None);
        }
    });
    form.diagnostics_ui(ui, &list_at, true);
}
