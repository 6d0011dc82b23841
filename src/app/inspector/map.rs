//! The Configuration tab of a Map state: processing mode, items, concurrency, and the settings
//! of a distributed map (reader, batcher, result writer, tolerated failures, label).

use super::InspectorAction;
use super::config::number_or_path_ui;
use super::form::{Form, Kind, choose_ui, field_label_ui};
use crate::asl::document::pointer;
use crate::asl::graph_edit::StateRef;
use crate::asl::model::QueryLanguage;
use egui::{RichText, Ui};
use serde_json::{Value, json};

/// Fields that only a distributed map has (shown in inline mode only when present).
const DISTRIBUTED_FIELDS: [&str; 8] = [
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
    "Label",
];

pub fn map_ui(form: &mut Form<'_>, ui: &mut Ui) {
    let processor_key = if form.value(&form.field("Iterator")).is_some()
        && form.value(&form.field("ItemProcessor")).is_none()
    {
        "Iterator"
    } else {
        "ItemProcessor"
    };
    let processor_at = form.field(processor_key);
    let config_at = pointer::join(&processor_at, "ProcessorConfig");
    let distributed = form.string(&pointer::join(&config_at, "Mode")) == Some("DISTRIBUTED");
    let mode_id = pointer::join(&config_at, "Mode");
    if let Some(picked) = choose_ui(
        ui,
        "Processing mode",
        &mode_id,
        Some(usize::from(distributed)),
        &["Inline", "Distributed"],
    ) {
        let config = if picked == 1 {
            let execution = form
                .string(&pointer::join(&config_at, "ExecutionType"))
                .unwrap_or("STANDARD");
            json!({"Mode": "DISTRIBUTED", "ExecutionType": execution})
        } else {
            json!({"Mode": "INLINE"})
        };
        form.set(&config_at, Some(config));
    }
    form.diagnostics_ui(ui, &config_at, true);
    if distributed {
        let at = pointer::join(&config_at, "ExecutionType");
        let current = match form.string(&at) {
            Some("EXPRESS") => Some(1),
            Some("STANDARD") => Some(0),
            _ => None,
        };
        if let Some(picked) = choose_ui(
            ui,
            "Child workflow type (ExecutionType)",
            &at,
            current,
            &["Standard", "Express"],
        ) {
            let value = if picked == 1 { "EXPRESS" } else { "STANDARD" };
            form.set(&at, Some(json!(value)));
        }
    }
    processor_ui(form, ui, &processor_at);
    match form.language {
        QueryLanguage::JsonPath => {
            let at = form.field("ItemsPath");
            form.text_ui(ui, "ItemsPath", &at, "$ (the whole input)");
        }
        QueryLanguage::Jsonata => {
            let at = form.field("Items");
            form.json_ui(ui, "Items", &at, "{% $states.input.items %}");
        }
    }
    let legacy = form.field("Parameters");
    if form.value(&legacy).is_some() {
        form.json_ui(
            ui,
            "Parameters (the older name of ItemSelector)",
            &legacy,
            "",
        );
    } else {
        let at = form.field("ItemSelector");
        form.json_ui(
            ui,
            "ItemSelector",
            &at,
            "{\"item.$\": \"$$.Map.Item.Value\"}",
        );
    }
    number_or_path_ui(
        form,
        ui,
        ("MaxConcurrency", "MaxConcurrencyPath"),
        Kind::Number,
        "0: as many as possible",
    );
    let any_distributed = DISTRIBUTED_FIELDS
        .iter()
        .any(|key| form.value(&form.field(key)).is_some());
    if !(distributed || any_distributed) {
        return;
    }
    ui.add_space(6.0);
    crate::app::theme::heading_ui(ui, "Distributed map");
    for (key, hint) in [
        (
            "ItemReader",
            "{\"Resource\": \"arn:aws:states:::s3:listObjectsV2\", \"Parameters\": {…}}",
        ),
        ("ItemBatcher", "{\"MaxItemsPerBatch\": 100}"),
        (
            "ResultWriter",
            "{\"Resource\": \"arn:aws:states:::s3:putObject\", \"Parameters\": {…}}",
        ),
    ] {
        let at = form.field(key);
        form.json_ui(ui, key, &at, hint);
    }
    number_or_path_ui(
        form,
        ui,
        (
            "ToleratedFailurePercentage",
            "ToleratedFailurePercentagePath",
        ),
        Kind::Number,
        "0 (any failure fails the map)",
    );
    number_or_path_ui(
        form,
        ui,
        ("ToleratedFailureCount", "ToleratedFailureCountPath"),
        Kind::Number,
        "0 (any failure fails the map)",
    );
    let label = form.field("Label");
    form.text_ui(ui, "Label", &label, "Names the child executions");
}

/// How many states the item processor has, and a link to its first.
fn processor_ui(form: &mut Form<'_>, ui: &mut Ui, processor_at: &str) {
    field_label_ui(ui, "Item processor");
    let Some(processor) = form.value(processor_at) else {
        ui.label(RichText::new("none: add states to run for each item").weak());
        return;
    };
    let count = processor
        .get("States")
        .and_then(Value::as_object)
        .map_or(0, |s| s.len());
    let start = processor
        .get("StartAt")
        .and_then(Value::as_str)
        .unwrap_or_default();
    ui.horizontal(|ui| {
        ui.label(format!("{count} states run for each item"));
        if !start.is_empty()
            && ui
                .small_button(format!("→ {start}"))
                .on_hover_text("Select the processor's first state")
                .clicked()
        {
            form.actions.push(InspectorAction::Select(StateRef::new(
                processor_at.to_string(),
                start,
            )));
        }
    });
}
