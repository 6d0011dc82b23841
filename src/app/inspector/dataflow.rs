//! The data tabs: Input/Output (JSONPath: InputPath, Parameters, ResultSelector, ResultPath,
//! OutputPath) or Arguments & Output (JSONata), and Variables (Assign).

use super::form::Form;
use crate::asl::model::{QueryLanguage, StateType};
use egui::{RichText, Ui};

pub fn data_ui(form: &mut Form<'_>, ui: &mut Ui, state_type: Option<StateType>) {
    match form.language {
        QueryLanguage::JsonPath => jsonpath_ui(form, ui, state_type),
        QueryLanguage::Jsonata => jsonata_ui(form, ui, state_type),
    }
}

fn note_ui(ui: &mut Ui, text: &str) {
    ui.label(RichText::new(text).small().weak());
}

fn jsonpath_ui(form: &mut Form<'_>, ui: &mut Ui, state_type: Option<StateType>) {
    use StateType::*;
    let at = form.field("InputPath");
    form.nullable_path_ui(ui, "InputPath", &at, "No input: the state gets {} (null)");
    note_ui(
        ui,
        "Which part of the state input the state works on ($ by default).",
    );
    // A Map's Parameters is the older ItemSelector, shown on the Configuration tab.
    if matches!(state_type, Some(Pass | Task | Parallel)) {
        let at = form.field("Parameters");
        form.json_ui(ui, "Parameters", &at, "{\"key.$\": \"$.path\"}");
    }
    if matches!(state_type, Some(Task | Parallel | Map)) {
        let at = form.field("ResultSelector");
        form.json_ui(ui, "ResultSelector", &at, "{\"value.$\": \"$.Payload\"}");
    }
    if matches!(state_type, Some(Pass | Task | Parallel | Map)) {
        let at = form.field("ResultPath");
        form.nullable_path_ui(
            ui,
            "ResultPath",
            &at,
            "Discard the result, keep the input (null)",
        );
        note_ui(
            ui,
            "Where the result goes in the input ($ replaces the input).",
        );
    }
    let at = form.field("OutputPath");
    form.nullable_path_ui(
        ui,
        "OutputPath",
        &at,
        "No output: the next state gets {} (null)",
    );
}

fn jsonata_ui(form: &mut Form<'_>, ui: &mut Ui, state_type: Option<StateType>) {
    if matches!(state_type, Some(StateType::Task | StateType::Parallel)) {
        let at = form.field("Arguments");
        form.json_ui(
            ui,
            "Arguments",
            &at,
            "{\"key\": \"{% $states.input.value %}\"}",
        );
        note_ui(ui, "What the state sends to the service or its branches.");
    }
    let at = form.field("Output");
    form.json_ui(ui, "Output", &at, "{% $states.result %}");
    note_ui(
        ui,
        "What the state passes on (by default its result, or its input for Pass/Wait/Choice).",
    );
}

pub fn variables_ui(form: &mut Form<'_>, ui: &mut Ui) {
    let at = form.field("Assign");
    form.json_ui(ui, "Assign", &at, "{\"name\": \"value\"}");
    let note = match form.language {
        QueryLanguage::JsonPath => {
            "Variables for later states, read as $name. Keys ending in .$ take a path or intrinsic."
        }
        QueryLanguage::Jsonata => {
            "Variables for later states, read as $name; values may be {% %} expressions."
        }
    };
    note_ui(ui, note);
}
