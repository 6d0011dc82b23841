//! The inspector driven like a person (egui_kittest, through accessible labels): every action
//! is applied to the document by the demo window, as the designer does.

use asl_studio::asl::document::Format;
use asl_studio::asl::graph_edit::StateRef;
use egui::Vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
#[path = "support/inspector_demo.rs"]
mod inspector_demo;
use asl_studio::app::inspector::{InspectorAction, Tab};
use inspector_demo::Demo;
use serde_json::{Value, json};

fn start_text(text: &str, format: Format, select: Option<StateRef>) -> Harness<'static, Demo> {
    let mut demo = Demo::new(text, format).expect("the test document parses");
    demo.select(select);
    let mut harness = Harness::builder()
        .with_size(Vec2::new(1300.0, 1500.0))
        .with_max_steps(60)
        .build_ui_state(|ui, demo: &mut Demo| demo.frame_ui(ui), demo);
    harness.run();
    harness
}

fn start(definition: Value, select: &str) -> Harness<'static, Demo> {
    let text = serde_json::to_string_pretty(&definition).unwrap();
    start_text(&text, Format::Json, Some(StateRef::top(select)))
}

fn at(harness: &Harness<'_, Demo>, pointer: &str) -> Value {
    harness
        .state()
        .doc
        .value()
        .pointer(pointer)
        .cloned()
        .unwrap_or(Value::Null)
}

fn click(harness: &mut Harness<'_, Demo>, label: &str) {
    harness.get_by_label(label).click();
    harness.run();
}

/// Opens the combo box labelled `combo` and picks `option`.
fn pick(harness: &mut Harness<'_, Demo>, combo: &str, option: &str) {
    click(harness, combo);
    // Long lists scroll, as they do for a person.
    harness.get_by_label(option).scroll_to_me();
    harness.run();
    click(harness, option);
}

/// Focuses the field labelled `label` (the `nth` of that name), selects its text and types.
fn type_into(harness: &mut Harness<'_, Demo>, label: &str, nth: usize, text: &str) {
    harness
        .query_all_by_label(label)
        .nth(nth)
        .unwrap_or_else(|| panic!("no field {label} #{nth}"))
        .focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness.event(egui::Event::Text(text.to_string()));
    harness.run();
}

/// Types one character per frame, as a person does.
fn type_keys(harness: &mut Harness<'_, Demo>, text: &str) {
    for c in text.chars() {
        harness.event(egui::Event::Text(c.to_string()));
        harness.run();
    }
}

/// The edits applied since the log had `from` entries.
fn edits_since(harness: &Harness<'_, Demo>, from: usize) -> Vec<InspectorAction> {
    harness.state().log[from..]
        .iter()
        .filter(|a| !matches!(a, InspectorAction::Select(_)))
        .cloned()
        .collect()
}

fn task_flow() -> Value {
    json!({"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                 "Parameters": {"FunctionName": "f"}, "Next": "Done"},
        "Done": {"Type": "Succeed"},
        "Oops": {"Type": "Fail", "Error": "E"}
    }})
}

#[test]
fn the_integration_pattern_rewrites_the_resource() {
    let mut harness = start(task_flow(), "Call");
    pick(
        &mut harness,
        "Integration pattern",
        "Wait for callback (.waitForTaskToken)",
    );
    assert_eq!(
        at(&harness, "/States/Call/Resource"),
        "arn:aws:states:::lambda:invoke.waitForTaskToken"
    );
    assert_eq!(edits_since(&harness, 0).len(), 1);
    assert_eq!(harness.state().undo.len(), 1);
    // The form tells what a callback needs, and going back restores the resource.
    harness.get_by_label_contains("must get the task token");
    pick(&mut harness, "Integration pattern", "Request response");
    assert_eq!(
        at(&harness, "/States/Call/Resource"),
        "arn:aws:states:::lambda:invoke"
    );
    assert_eq!(harness.state().undo.len(), 2);
}

fn choice_flow() -> Value {
    json!({"StartAt": "Pick", "States": {
        "Pick": {"Type": "Choice", "Choices": [
            {"Variable": "$.n", "StringEquals": "42", "Next": "Big"}
        ], "Default": "Small"},
        "Big": {"Type": "Succeed"},
        "Small": {"Type": "Succeed"}
    }})
}

#[test]
fn a_new_operator_rewrites_the_rule_key_and_converts_the_value() {
    let mut harness = start(choice_flow(), "Pick");
    pick(&mut harness, "Operator", "NumericGreaterThan");
    assert_eq!(
        at(&harness, "/States/Pick/Choices/0"),
        json!({"Variable": "$.n", "NumericGreaterThan": 42, "Next": "Big"})
    );
    assert_eq!(edits_since(&harness, 0).len(), 1);
    // The path form is one click away.
    click(
        &mut harness,
        "Compare with a value from the input (NumericGreaterThanPath)",
    );
    assert_eq!(
        at(&harness, "/States/Pick/Choices/0/NumericGreaterThanPath"),
        "$.value"
    );
    assert_eq!(harness.state().undo.len(), 2);
}

#[test]
fn an_and_with_two_conditions() {
    let mut harness = start(choice_flow(), "Pick");
    pick(&mut harness, "Match", "And (all of)");
    let rule = at(&harness, "/States/Pick/Choices/0");
    assert_eq!(
        rule["And"][0],
        json!({"Variable": "$.n", "StringEquals": "42"})
    );
    assert_eq!(rule["And"].as_array().map(Vec::len), Some(2));
    assert_eq!(rule["Next"], "Big");
    // Each condition has its own fields: type the second one's variable key by key.
    let before = harness.state().undo.len();
    type_into(&mut harness, "Variable", 1, "$");
    type_keys(&mut harness, ".age");
    assert_eq!(
        at(&harness, "/States/Pick/Choices/0/And/1/Variable"),
        "$.age"
    );
    assert_eq!(
        harness.state().undo.len(),
        before + 1,
        "typing into one field is one undo step"
    );
    // And a third, nested one.
    click(&mut harness, "Add condition");
    assert_eq!(
        at(&harness, "/States/Pick/Choices/0/And")
            .as_array()
            .map(Vec::len),
        Some(3)
    );
    click(&mut harness, "Remove condition 3");
    assert_eq!(
        at(&harness, "/States/Pick/Choices/0/And")
            .as_array()
            .map(Vec::len),
        Some(2)
    );
}

#[test]
fn retriers_and_catchers_are_added_and_edited() {
    let mut harness = start(task_flow(), "Call");
    click(&mut harness, "Error handling");
    assert_eq!(harness.state().inspector.tab(), Tab::ErrorHandling);
    click(&mut harness, "Add retrier");
    assert_eq!(
        at(&harness, "/States/Call/Retry"),
        json!([{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2}])
    );
    click(&mut harness, "Add catcher");
    // The new catcher goes to the graph's Fail state.
    assert_eq!(
        at(&harness, "/States/Call/Catch"),
        json!([{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Oops"}])
    );
    // A second retrier goes before the catch-all one (States.ALL must come last).
    click(&mut harness, "Add retrier");
    assert_eq!(
        at(&harness, "/States/Call/Retry/0/ErrorEquals"),
        json!(["States.TaskFailed"])
    );
    type_into(&mut harness, "MaxAttempts", 0, "5");
    assert_eq!(at(&harness, "/States/Call/Retry/0/MaxAttempts"), 5);
    click(&mut harness, "Move retrier 1 down");
    assert_eq!(at(&harness, "/States/Call/Retry/1/MaxAttempts"), 5);
    assert_eq!(
        at(&harness, "/States/Call/Retry/0/ErrorEquals"),
        json!(["States.ALL"])
    );
    click(&mut harness, "Remove catcher 1");
    assert_eq!(at(&harness, "/States/Call/Catch"), Value::Null);
    // One undo step per intent: 4 clicks + 1 typed field + move + remove.
    assert_eq!(harness.state().undo.len(), 6);
    assert_eq!(edits_since(&harness, 0).len(), 6);
}

#[test]
fn broken_json_stays_out_of_the_document_until_it_parses() {
    let mut harness = start(task_flow(), "Call");
    click(&mut harness, "Input/Output");
    let original = harness.state().doc.text().to_string();
    type_into(&mut harness, "Parameters", 0, "{\"FunctionName\": ");
    assert_eq!(harness.state().doc.text(), original);
    harness.get_by_label_contains("Not valid JSON");
    assert!(harness.state().log.is_empty());
    type_keys(&mut harness, "\"g\"}");
    assert_eq!(
        at(&harness, "/States/Call/Parameters"),
        json!({"FunctionName": "g"})
    );
    assert!(harness.query_by_label_contains("Not valid JSON").is_none());
    assert_eq!(harness.state().undo.len(), 1);
    // Emptying the field removes it.
    type_into(&mut harness, "Parameters", 0, " ");
    assert_eq!(at(&harness, "/States/Call/Parameters"), Value::Null);
}

#[test]
fn renaming_in_place_updates_references() {
    let mut harness = start(task_flow(), "Done");
    type_into(&mut harness, "State name", 0, "Call");
    harness.get_by_label_contains("already exists");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.event(egui::Event::Text("Finished".into()));
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(at(&harness, "/States/Call/Next"), "Finished");
    assert_eq!(at(&harness, "/States/Finished/Type"), "Succeed");
    assert_eq!(harness.state().selection, Some(StateRef::top("Finished")));
    let edits = edits_since(&harness, 0);
    assert_eq!(
        edits,
        [InspectorAction::Rename {
            state: StateRef::top("Done"),
            name: "Finished".into()
        }]
    );
}

#[test]
fn next_becomes_end_and_links_select() {
    let mut harness = start(task_flow(), "Call");
    click(&mut harness, "Select Done");
    assert_eq!(harness.state().selection, Some(StateRef::top("Done")));
    harness.state_mut().select(Some(StateRef::top("Call")));
    harness.run();
    pick(&mut harness, "Next state", "End of the workflow");
    assert_eq!(at(&harness, "/States/Call/End"), true);
    assert_eq!(at(&harness, "/States/Call/Next"), Value::Null);
    // End sits where Next was.
    let text = harness.state().doc.text().to_string();
    assert!(text.find("\"End\"").unwrap() < text.find("\"Done\": {").unwrap());
}

#[test]
fn yaml_documents_are_edited_as_yaml() {
    let text = "StartAt: Wait\nStates:\n  Wait:\n    Type: Wait\n    Seconds: 5\n    End: true\n";
    let mut harness = start_text(text, Format::Yaml, Some(StateRef::top("Wait")));
    type_into(&mut harness, "Seconds", 0, "30");
    type_into(&mut harness, "Comment", 0, "Pause");
    assert_eq!(
        harness.state().doc.text(),
        "StartAt: Wait\nStates:\n  Wait:\n    Type: Wait\n    Comment: Pause\n    Seconds: 30\n    End: true\n"
    );
    pick(
        &mut harness,
        "Wait for",
        "Until a time from the input (TimestampPath)",
    );
    assert_eq!(at(&harness, "/States/Wait/TimestampPath"), "$.timestamp");
    assert_eq!(at(&harness, "/States/Wait/Seconds"), Value::Null);
}

#[test]
fn diagnostics_show_next_to_their_field() {
    let harness = start(
        json!({"StartAt": "Call", "States": {
            "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                     "TimeoutSeconds": 0, "Bogus": 1, "End": true}
        }}),
        "Call",
    );
    let timeout = harness.get_by_label("TimeoutSeconds").rect();
    let heartbeat = harness.get_by_label("HeartbeatSeconds").rect();
    let message = harness
        .state()
        .diagnostics
        .iter()
        .find(|d| d.pointer == "/States/Call/TimeoutSeconds")
        .expect("the validator reports the timeout")
        .message
        .clone();
    let shown: Vec<_> = harness.query_all_by_label(&message).collect();
    assert_eq!(shown.len(), 1, "shown once");
    let y = shown[0].rect().center().y;
    assert!(timeout.max.y < y && y < heartbeat.min.y, "under its field");
    // A diagnostic about a field the form has not is listed at the top.
    let bogus = harness
        .state()
        .diagnostics
        .iter()
        .find(|d| d.pointer == "/States/Call/Bogus")
        .expect("the validator reports the unknown field")
        .message
        .clone();
    let top = harness.get_by_label(&bogus).rect();
    assert!(top.max.y < harness.get_by_label("Configuration").rect().min.y);
}

#[test]
fn a_jsonpath_state_converts_to_jsonata() {
    let mut harness = start(task_flow(), "Call");
    click(&mut harness, "Convert to JSONata…");
    click(&mut harness, "Apply conversion");
    assert_eq!(at(&harness, "/States/Call/QueryLanguage"), "JSONata");
    assert_eq!(at(&harness, "/States/Call/Parameters"), Value::Null);
    assert_eq!(
        at(&harness, "/States/Call/Arguments"),
        json!({"FunctionName": "f"})
    );
    // The form follows the state's language.
    harness.get_by_label("Arguments & Output");
    assert_eq!(harness.state().undo.len(), 1);
}

#[test]
fn nothing_selected_shows_the_machine() {
    let text = serde_json::to_string(&task_flow()).unwrap();
    let mut harness = start_text(&text, Format::Json, None);
    harness.get_by_label("3 (3 at the top level)");
    click(&mut harness, "Call");
    assert_eq!(harness.state().selection, Some(StateRef::top("Call")));
}

#[test]
fn untouched_text_keeps_its_formatting_and_undo_restores_it() {
    let text = "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Result\":{\"x\":  1},\"End\":true}}}";
    let mut harness = start_text(text, Format::Json, Some(StateRef::top("A")));
    click(&mut harness, "Input/Output");
    type_into(&mut harness, "ResultPath", 0, "$.r");
    assert_eq!(
        harness.state().doc.text(),
        "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Result\":{\"x\":  1},\"ResultPath\": \"$.r\", \"End\":true}}}"
    );
    click(&mut harness, "Undo");
    assert_eq!(harness.state().doc.text(), text);
    // The form follows the document back.
    assert_eq!(
        harness.get_by_label("ResultPath").value().as_deref(),
        Some("")
    );
}

#[test]
fn a_map_goes_distributed_and_a_parallel_gets_a_branch() {
    let mut harness = start(
        json!({"StartAt": "M", "States": {
            "M": {"Type": "Map", "ItemProcessor": {"StartAt": "I", "States": {
                "I": {"Type": "Pass", "End": true}}}, "Next": "P"},
            "P": {"Type": "Parallel", "Branches": [
                {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}
            ], "End": true}
        }}),
        "M",
    );
    pick(&mut harness, "Processing mode", "Distributed");
    assert_eq!(
        at(&harness, "/States/M/ItemProcessor/ProcessorConfig"),
        json!({"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"})
    );
    // Distributed settings appear.
    type_into(&mut harness, "ToleratedFailurePercentage", 0, "10");
    assert_eq!(at(&harness, "/States/M/ToleratedFailurePercentage"), 10);
    pick(
        &mut harness,
        "Child workflow type (ExecutionType)",
        "Express",
    );
    assert_eq!(
        at(
            &harness,
            "/States/M/ItemProcessor/ProcessorConfig/ExecutionType"
        ),
        "EXPRESS"
    );
    click(&mut harness, "→ I");
    assert_eq!(
        harness.state().selection,
        Some(StateRef::new("/States/M/ItemProcessor", "I"))
    );
    harness.state_mut().select(Some(StateRef::top("P")));
    harness.run();
    click(&mut harness, "Add branch");
    assert_eq!(
        at(&harness, "/States/P/Branches/1"),
        json!({"StartAt": "", "States": {}})
    );
}

#[test]
fn yaml_error_handling_stays_yaml() {
    let text = "StartAt: T\nStates:\n  T:\n    Type: Task\n    Resource: arn:aws:states:::sqs:sendMessage\n    End: true\n";
    let mut harness = start_text(text, Format::Yaml, Some(StateRef::top("T")));
    click(&mut harness, "Error handling");
    click(&mut harness, "Add retrier");
    pick(&mut harness, "Add error", "States.Timeout");
    assert_eq!(
        at(&harness, "/States/T/Retry/0/ErrorEquals"),
        json!(["States.ALL", "States.Timeout"])
    );
    click(&mut harness, "Remove States.ALL");
    assert_eq!(
        at(&harness, "/States/T/Retry/0/ErrorEquals"),
        json!(["States.Timeout"])
    );
    let text = harness.state().doc.text();
    assert!(text.contains("    Retry:\n"), "{text}");
    assert!(!text.contains('{'), "block style YAML: {text}");
}
