//! "Convert to JSONata" for a JSONPath state: a preview that lists what could not be
//! converted exactly, then one edit that replaces the state.

use super::form::error_line_ui;
use super::{InspectorAction, InspectorInput};
use crate::asl::convert::{Conversion, Marking, state_to_jsonata};
use crate::asl::document::Edit;
use crate::asl::graph_edit::StateRef;
use crate::asl::model::QueryLanguage;
use egui::{RichText, Ui};
use serde_json::Value;

/// A conversion shown for confirmation.
pub struct Pending {
    state: StateRef,
    revision: u64,
    result: Result<Conversion, String>,
}

/// The conversion of the state at `state` in `definition`. A state of a JSONata machine
/// loses its `"QueryLanguage": "JSONPath"`; in a JSONPath machine it says `JSONata` itself.
pub fn convert(definition: &Value, state: &StateRef) -> Result<Conversion, String> {
    let value = definition
        .pointer(&state.pointer())
        .ok_or_else(|| format!("there is no state \"{}\"", state.name))?;
    let machine = definition
        .get("QueryLanguage")
        .and_then(Value::as_str)
        .and_then(QueryLanguage::parse)
        .unwrap_or_default();
    let marking = match machine {
        QueryLanguage::Jsonata => Marking::Inherit,
        QueryLanguage::JsonPath => Marking::Explicit,
    };
    state_to_jsonata(value, marking).map_err(|e| e.to_string())
}

pub fn convert_ui(
    ui: &mut Ui,
    pending: &mut Option<Pending>,
    input: &InspectorInput<'_>,
    state: &StateRef,
    actions: &mut Vec<InspectorAction>,
) {
    if pending
        .as_ref()
        .is_some_and(|p| p.state != *state || p.revision != input.revision)
    {
        *pending = None;
    }
    let Some(shown) = pending else {
        let button = ui
            .small_button("Convert to JSONata…")
            .on_hover_text("Rewrite this state in JSONata (you see what changes first)");
        if button.clicked() {
            *pending = Some(Pending {
                state: state.clone(),
                revision: input.revision,
                result: convert(input.doc.value(), state),
            });
        }
        return;
    };
    let mut close = false;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        match &shown.result {
            Ok(conversion) => {
                if conversion.is_exact() {
                    ui.label("The state converts exactly.");
                } else {
                    ui.label("Converted; check these fields afterwards:");
                    for note in &conversion.notes {
                        ui.add(
                            egui::Label::new(
                                RichText::new(format!("{}: {}", note.pointer, note.message))
                                    .small(),
                            )
                            .wrap(),
                        );
                    }
                }
                ui.horizontal(|ui| {
                    if ui.button("Apply conversion").clicked() {
                        actions.push(InspectorAction::Edit {
                            edit: Edit::Set {
                                pointer: state.pointer(),
                                value: conversion.value.clone(),
                            },
                            field: None,
                        });
                        close = true;
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            }
            Err(error) => {
                error_line_ui(ui, &format!("Cannot convert: {error}"));
                if ui.button("Close").clicked() {
                    close = true;
                }
            }
        }
    });
    if close {
        *pending = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn marks_the_state_only_in_a_jsonpath_machine() {
        let state = json!({"Type": "Pass", "InputPath": "$.a", "End": true});
        let jsonpath = json!({"StartAt": "P", "States": {"P": state.clone()}});
        let converted = convert(&jsonpath, &StateRef::top("P")).unwrap();
        assert_eq!(converted.value["QueryLanguage"], json!("JSONata"));
        assert!(converted.value.get("InputPath").is_none());
        let mut marked = state;
        marked["QueryLanguage"] = json!("JSONPath");
        let jsonata = json!({"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": marked}});
        let converted = convert(&jsonata, &StateRef::top("P")).unwrap();
        assert!(converted.value.get("QueryLanguage").is_none());
        assert!(convert(&jsonata, &StateRef::top("Nope")).is_err());
    }
}
