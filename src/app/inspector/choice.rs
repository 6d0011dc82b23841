//! The Choice rule editor: every rule with its condition and Next, nested `And` / `Or` / `Not`
//! to any depth, every comparison operator in its literal or `…Path` form (JSONPath), the
//! `Condition` expression (JSONata), and the Default.

use super::edits::{insert_item, move_down, remove_item};
use super::form::{Form, Kind, choose_ui};
use super::rules::{
    Combinator, MAX_DEPTH, change_operator, combinator_of, default_comparison, describe, new_rule,
    operator_of, set_condition, with_combinator,
};

/// Above this many rules, rules start folded to a one-line summary.
const FOLD_ABOVE: usize = 6;
use crate::asl::document::pointer;
use crate::asl::model::{ComparisonOperator, QueryLanguage};
use egui::{RichText, Ui};
use serde_json::{Value, json};

pub fn choice_ui(form: &mut Form<'_>, ui: &mut Ui) {
    let choices_at = form.field("Choices");
    let count = form
        .value(&choices_at)
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    crate::app::theme::heading_ui(ui, "Choice rules");
    for index in 0..count {
        ui.push_id(("rule", index), |ui| {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                rule_ui(form, ui, &choices_at, index, count);
            });
        });
    }
    if ui.button("Add rule").clicked() {
        let next = form
            .siblings()
            .into_iter()
            .find(|name| *name != form.state.name)
            .unwrap_or_default();
        if let Some(edit) = insert_item(form.doc, &choices_at, count, new_rule(form.language, next))
        {
            form.edit(edit, None);
        }
    }
    form.diagnostics_ui(ui, &choices_at, false);
    ui.add_space(6.0);
    let default_at = form.field("Default");
    let default = form.string(&default_at);
    if let Some(picked) = form.target_ui(
        ui,
        "Default state",
        &default_at,
        default,
        Some("No default (fails with States.NoChoiceMatched)"),
        default.is_none(),
    ) {
        form.set(&default_at, picked.map(Value::String));
    }
}

fn rule_ui(form: &mut Form<'_>, ui: &mut Ui, choices_at: &str, index: usize, count: usize) {
    let rule_at = pointer::join(choices_at, &index.to_string());
    let number = index + 1;
    // Many rules fold to one line each (a Choice may have dozens): open the few, or the
    // ones with a problem.
    let has_problem = form.diagnostics.iter().any(|d| {
        d.pointer == rule_at
            || d.pointer
                .strip_prefix(rule_at.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    });
    let id = egui::Id::unique(("inspector-rule", &form.at, index));
    let state = egui::collapsing_header::CollapsingState::load_with_default_open(
        ui.ctx(),
        id,
        count <= FOLD_ABOVE || has_problem,
    );
    let open = state.is_open();
    let summary = form.value(&rule_at).map(|rule| {
        let next = rule.get("Next").and_then(Value::as_str).unwrap_or("?");
        format!("{}  → {next}", describe(rule))
    });
    state
        .show_header(ui, |ui| {
            ui.label(RichText::new(format!("Rule #{number}")).strong());
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                rule_buttons_ui(form, ui, choices_at, index, count);
                if !open && let Some(summary) = &summary {
                    ui.add(egui::Label::new(RichText::new(summary).weak()).truncate());
                }
            });
        })
        .body_unindented(|ui| rule_body_ui(form, ui, &rule_at));
}

/// Move and remove buttons of a rule (right to left).
fn rule_buttons_ui(form: &mut Form<'_>, ui: &mut Ui, choices_at: &str, index: usize, count: usize) {
    let number = index + 1;
    let remove = ui
        .small_button("✖")
        .accessible_name(format!("Remove rule {number}"))
        .on_hover_text("Remove this rule");
    if remove.clicked()
        && let Some(edit) = remove_item(form.doc, choices_at, index)
    {
        form.edit(edit, None);
    }
    let down = ui
        .add_enabled(index + 1 < count, egui::Button::new("↓").small())
        .accessible_name(format!("Move rule {number} down"));
    if down.clicked()
        && let Some(edit) = move_down(form.doc, choices_at, index)
    {
        form.edit(edit, None);
    }
    let up = ui
        .add_enabled(index > 0, egui::Button::new("↑").small())
        .accessible_name(format!("Move rule {number} up"));
    if up.clicked()
        && let Some(edit) = move_down(form.doc, choices_at, index.saturating_sub(1))
    {
        form.edit(edit, None);
    }
}

/// The condition, Next and extras of one rule.
fn rule_body_ui(form: &mut Form<'_>, ui: &mut Ui, rule_at: &str) {
    match form.language {
        QueryLanguage::JsonPath => condition_ui(form, ui, rule_at, true, 0),
        QueryLanguage::Jsonata => {
            let at = pointer::join(rule_at, "Condition");
            form.json_ui(ui, "Condition", &at, "{% $states.input.total > 100 %}");
        }
    }
    let next_at = pointer::join(rule_at, "Next");
    let next = form.string(&next_at);
    if let Some(Some(picked)) = form.target_ui(ui, "Next state", &next_at, next, None, false) {
        form.set(&next_at, Some(Value::String(picked)));
    }
    let has_extras = ["Comment", "Assign", "Output"]
        .iter()
        .any(|key| form.value(&pointer::join(rule_at, key)).is_some());
    egui::CollapsingHeader::new("Comment, variables and output")
        .id_salt(("rule-extras", rule_at))
        .default_open(has_extras)
        .show(ui, |ui| {
            let at = pointer::join(rule_at, "Comment");
            form.text_ui(ui, "Rule comment", &at, "");
            let at = pointer::join(rule_at, "Assign");
            form.json_ui(ui, "Rule Assign", &at, "{\"matched\": true}");
            if form.language == QueryLanguage::Jsonata {
                let at = pointer::join(rule_at, "Output");
                form.json_ui(ui, "Rule Output", &at, "{% $states.input %}");
            }
        });
    form.diagnostics_ui(ui, rule_at, false);
}

/// A JSONPath condition at `at`: a comparison, or `And` / `Or` / `Not` of conditions.
fn condition_ui(form: &mut Form<'_>, ui: &mut Ui, at: &str, top_level: bool, depth: usize) {
    if depth > MAX_DEPTH {
        ui.label(RichText::new("Nested too deep to show here: edit it in the Code tab.").weak());
        form.diagnostics_ui(ui, at, true);
        return;
    }
    let Some(condition) = form.value(at) else {
        return;
    };
    let Some(combinator) = combinator_of(condition) else {
        ui.label(
            RichText::new("Not a JSONPath condition (a JSONata Condition, or not an object).")
                .weak(),
        );
        form.diagnostics_ui(ui, at, true);
        return;
    };
    let labels: Vec<&str> = Combinator::ALL.iter().map(|c| c.label()).collect();
    let current = Combinator::ALL.iter().position(|c| *c == combinator);
    let id = format!("{at}#combinator");
    if let Some(picked) = choose_ui(ui, "Match", &id, current, &labels)
        && let Some(to) = Combinator::ALL.get(picked)
        && let Some(edit) = set_condition(form.doc, at, top_level, with_combinator(condition, *to))
    {
        form.edit(edit, None);
    }
    match combinator {
        Combinator::Comparison => comparison_ui(form, ui, at),
        Combinator::And | Combinator::Or => {
            let key = if combinator == Combinator::And {
                "And"
            } else {
                "Or"
            };
            list_ui(form, ui, &pointer::join(at, key), depth);
        }
        Combinator::Not => {
            let inner = pointer::join(at, "Not");
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                condition_ui(form, ui, &inner, false, depth + 1);
            });
        }
    }
    form.diagnostics_ui(ui, at, false);
}

/// The conditions of an `And` / `Or`, each removable, and a button to add one.
fn list_ui(form: &mut Form<'_>, ui: &mut Ui, list_at: &str, depth: usize) {
    let count = form
        .value(list_at)
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    for index in 0..count {
        let item_at = pointer::join(list_at, &index.to_string());
        ui.push_id(("condition", index), |ui| {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.label(RichText::new(format!("Condition {}", index + 1)).small());
                    let remove = ui
                        .small_button("✖")
                        .accessible_name(format!("Remove condition {}", index + 1))
                        .on_hover_text("Remove this condition");
                    if remove.clicked() {
                        // An empty list stays (the validator asks for a condition) rather than
                        // taking the combinator with it.
                        let edit = crate::asl::document::Edit::Remove {
                            pointer: item_at.clone(),
                        };
                        form.edit(edit, None);
                    }
                });
                condition_ui(form, ui, &item_at, false, depth + 1);
            });
        });
    }
    if ui.button("Add condition").clicked()
        && let Some(edit) = insert_item(form.doc, list_at, count, default_comparison())
    {
        form.edit(edit, None);
    }
    form.diagnostics_ui(ui, list_at, false);
}

/// `Variable`, operator, literal or path operand.
fn comparison_ui(form: &mut Form<'_>, ui: &mut Ui, at: &str) {
    let variable_at = pointer::join(at, "Variable");
    form.text_ui(ui, "Variable", &variable_at, "$.status");
    let current = form.value(at).and_then(operator_of);
    let names: Vec<&str> = ComparisonOperator::ALL.iter().map(|o| o.as_str()).collect();
    let index = current.as_ref().and_then(|c| {
        ComparisonOperator::ALL
            .iter()
            .position(|o| *o == c.operator)
    });
    let id = format!("{at}#operator");
    if let Some(picked) = choose_ui(ui, "Operator", &id, index, &names)
        && let Some(operator) = ComparisonOperator::ALL.get(picked)
    {
        let path = current.as_ref().is_some_and(|c| c.path);
        if let Some(edit) = change_operator(form.doc, at, *operator, path) {
            form.edit(edit, None);
        }
    }
    let Some(current) = current else {
        return;
    };
    if current.operator.has_path_form() {
        let mut path = current.path;
        let toggle = ui.checkbox(
            &mut path,
            format!(
                "Compare with a value from the input ({}Path)",
                current.operator.as_str()
            ),
        );
        if toggle.changed()
            && let Some(edit) = change_operator(form.doc, at, current.operator, path)
        {
            form.edit(edit, None);
        }
    }
    let value_at = pointer::join(at, &current.key);
    if current.path {
        form.buffered_ui(ui, "Value path", &value_at, Kind::RequiredText, "$.other");
        return;
    }
    match current.operator.operand_type() {
        "boolean" => {
            let index = match current.value {
                Value::Bool(true) => Some(0),
                Value::Bool(false) => Some(1),
                _ => None,
            };
            let id = format!("{value_at}#bool");
            if let Some(picked) = choose_ui(ui, "Value", &id, index, &["true", "false"]) {
                form.set(&value_at, Some(json!(picked == 0)));
            }
            form.diagnostics_ui(ui, &value_at, false);
        }
        "number" => form.buffered_ui(ui, "Value", &value_at, Kind::RequiredNumber, "0"),
        _ => {
            let hint = match current.operator {
                ComparisonOperator::StringMatches => "log-*.txt (* matches anything)",
                o if o.as_str().starts_with("Timestamp") => "2030-01-01T00:00:00Z",
                _ => "",
            };
            form.buffered_ui(ui, "Value", &value_at, Kind::RequiredText, hint);
        }
    }
}
