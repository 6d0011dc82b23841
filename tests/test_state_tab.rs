//! The inspector's Test state tab driven like a person (egui_kittest, through accessible
//! labels): the state runs offline through the TestState API on what the user typed, and the
//! answer is read off the screen.

use asl_studio::asl::document::Format;
use asl_studio::asl::graph_edit::StateRef;
use egui::Vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
#[path = "support/inspector_demo.rs"]
mod inspector_demo;
use asl_studio::app::inspector::{InspectorAction, Tab};
use inspector_demo::Demo;
use serde_json::{Value, json};

fn start(definition: Value, select: &str) -> Harness<'static, Demo> {
    let text = serde_json::to_string_pretty(&definition).unwrap();
    let mut demo = Demo::new(&text, Format::Json).expect("the test document parses");
    demo.select(Some(StateRef::top(select)));
    let mut harness = Harness::builder()
        .with_size(Vec2::new(1300.0, 1500.0))
        .with_max_steps(60)
        .build_ui_state(|ui, demo: &mut Demo| demo.frame_ui(ui), demo);
    harness.run();
    harness
}

/// Starts on `select` with its Test state tab open.
fn start_testing(definition: Value, select: &str) -> Harness<'static, Demo> {
    let mut harness = start(definition, select);
    click(&mut harness, "Test state");
    assert_eq!(harness.state().inspector.tab(), Tab::Test);
    harness
}

fn click(harness: &mut Harness<'_, Demo>, label: &str) {
    let node = harness.get_by_label(label);
    node.scroll_to_me();
    harness.run();
    harness.get_by_label(label).click();
    harness.run();
}

/// Opens the combo box labelled `combo` and picks `option`.
fn pick(harness: &mut Harness<'_, Demo>, combo: &str, option: &str) {
    click(harness, combo);
    click(harness, option);
}

/// Focuses the field labelled `label`, selects its text and types `text` over it.
fn type_into(harness: &mut Harness<'_, Demo>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness.event(egui::Event::Text(text.to_string()));
    harness.run();
}

fn is_disabled(harness: &Harness<'_, Demo>, label: &str) -> bool {
    harness.get_by_label(label).accesskit_node().is_disabled()
}

/// The tab only reads the document: nothing but selections reaches the window.
fn assert_no_edits(harness: &Harness<'_, Demo>) {
    let edits: Vec<&InspectorAction> = harness
        .state()
        .log
        .iter()
        .filter(|a| !matches!(a, InspectorAction::Select(_)))
        .collect();
    assert!(
        edits.is_empty(),
        "the Test tab edited the document: {edits:?}"
    );
}

fn retrying_task() -> Value {
    json!({"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                 "Parameters": {"FunctionName": "f", "Payload.$": "$"},
                 "Retry": [{"ErrorEquals": ["Boom"], "MaxAttempts": 3}],
                 "End": true}
    }})
}

#[test]
fn a_mocked_error_a_retrier_matches_is_retriable() {
    let mut harness = start_testing(retrying_task(), "Call");
    type_into(&mut harness, "State input", "{\"order\": 7}");
    pick(&mut harness, "Mock", "Error");
    type_into(&mut harness, "Mock error", "Boom");
    type_into(&mut harness, "Mock cause", "the service broke");
    click(&mut harness, "Test");
    harness.get_by_label("RETRIABLE");
    harness.get_by_label("Error: Boom");
    harness.get_by_label("Cause: the service broke");
    // Every stage the state went through, in order, with what it changed.
    let input = harness.get_by_label("Input").rect();
    let input_path = harness.get_by_label("InputPath").rect();
    let parameters = harness.get_by_label("Parameters").rect();
    assert!(input.max.y <= input_path.min.y && input_path.max.y <= parameters.min.y);
    assert_eq!(
        harness.query_all_by_label("unchanged").count(),
        1,
        "InputPath"
    );
    assert_eq!(
        harness.query_all_by_label("changed").count(),
        1,
        "Parameters"
    );
    harness.get_by_label("added: FunctionName, Payload · removed: order");
    // The retrier's decision: which one, and the backoff before the next attempt.
    harness.get_by_label("Retrier: Retry[0] matched the error");
    harness.get_by_label("Retry backoff: 1 s before the next attempt");

    // On the third retry the retrier has no attempts left: the state fails.
    type_into(&mut harness, "Retry count", "3");
    click(&mut harness, "Test");
    harness.get_by_label("FAILED");
    assert!(harness.query_by_label("RETRIABLE").is_none());
    harness.get_by_label("Retrier: Retry[0] matched the error, with no attempts left");
    assert_no_edits(&harness);
}

#[test]
fn a_caught_error_links_to_the_catchers_next_state() {
    let mut harness = start_testing(
        json!({"StartAt": "Call", "States": {
            "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                     "Parameters": {"FunctionName": "f"},
                     "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error",
                                "Next": "Handle"}],
                     "Next": "Done"},
            "Handle": {"Type": "Pass", "End": true},
            "Done": {"Type": "Succeed"}
        }}),
        "Call",
    );
    pick(&mut harness, "Mock", "Error");
    type_into(&mut harness, "Mock error", "States.TaskFailed");
    click(&mut harness, "Test");
    harness.get_by_label("CAUGHT_ERROR");
    harness.get_by_label("Catcher: Catch[0] caught the error");
    click(&mut harness, "→ Handle");
    assert_eq!(harness.state().selection, Some(StateRef::top("Handle")));
    assert_eq!(
        harness.state().log.last(),
        Some(&InspectorAction::Select(StateRef::top("Handle")))
    );
    assert_no_edits(&harness);
}

#[test]
fn a_failing_path_names_its_stage_and_shows_its_field() {
    let mut harness = start_testing(
        json!({"StartAt": "Shape", "States": {
            "Shape": {"Type": "Pass", "Parameters": {"x.$": "$.missing"}, "End": true}
        }}),
        "Shape",
    );
    // A Pass state has no service to mock.
    assert!(harness.query_by_label("Mock").is_none());
    type_into(&mut harness, "State input", "{\"present\": 1}");
    click(&mut harness, "Test");
    harness.get_by_label("FAILED");
    harness.get_by_label_contains("'$.missing'");
    let failed = "Failed at Parameters: States.Runtime";
    harness.get_by_label(failed);
    click(&mut harness, failed);
    assert_eq!(harness.state().inspector.tab(), Tab::Data);
    // The field is there, on the Input/Output tab.
    harness.get_by_label("Parameters");
    assert_no_edits(&harness);
}

#[test]
fn a_refused_request_shows_the_api_error() {
    let mut harness = start_testing(
        json!({"StartAt": "Both", "States": {
            "Both": {"Type": "Parallel", "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}
            ], "End": true}
        }}),
        "Both",
    );
    // The mock starts as one result per branch.
    assert_eq!(
        harness.get_by_label("Mock result").value().as_deref(),
        Some("[{}, {}]")
    );
    // Broken JSON is pointed at, and cannot be sent.
    type_into(&mut harness, "State input", "{\"a\": ");
    harness.get_by_label_contains("Not valid JSON");
    assert!(is_disabled(&harness, "Test"));
    type_into(&mut harness, "State input", "{\"a\": 1}");
    assert!(!is_disabled(&harness, "Test"));
    // A Parallel state's result is a list: the API refuses an object.
    type_into(&mut harness, "Mock result", "{\"a\": 1}");
    click(&mut harness, "Test");
    harness.get_by_label("ValidationException");
    harness.get_by_label("Mocked result must be an array.");
    assert!(harness.query_by_label("SUCCEEDED").is_none());
}

#[test]
fn a_map_at_info_level_shows_the_status_and_no_stages() {
    let mut harness = start_testing(
        json!({"StartAt": "Each", "States": {
            "Each": {"Type": "Map", "ItemsPath": "$.items",
                     "ItemProcessor": {"StartAt": "One", "States": {
                         "One": {"Type": "Pass", "End": true}}},
                     "End": true}
        }}),
        "Each",
    );
    // The Map's own configuration fields are offered.
    harness.get_by_label("Map iteration failure count");
    harness.get_by_label("Item reader data");
    harness.get_by_label("Error caused by state");
    type_into(&mut harness, "State input", "{\"items\": [1, 2]}");
    type_into(&mut harness, "Mock result", "[{\"n\": 1}, {\"n\": 2}]");
    pick(&mut harness, "Inspection level", "INFO");
    click(&mut harness, "Test");
    harness.get_by_label("SUCCEEDED");
    harness.get_by_label_contains("Inspection level INFO");
    assert!(harness.query_by_label("ItemsPath").is_none());
    assert!(harness.query_by_label("Input").is_none());
    // DEBUG shows them, the items among them.
    pick(&mut harness, "Inspection level", "DEBUG");
    click(&mut harness, "Test");
    harness.get_by_label("ItemsPath");
    harness.get_by_label("Max concurrency: 0 (no limit)");
}

#[test]
fn an_edit_clears_the_answer_and_keeps_the_inputs() {
    let mut harness = start_testing(retrying_task(), "Call");
    type_into(&mut harness, "State input", "{\"order\": 8}");
    click(&mut harness, "Test");
    harness.get_by_label("SUCCEEDED");
    // Another text: the answer described the old one.
    click(&mut harness, "Configuration");
    type_into(&mut harness, "Comment", "Calls f");
    assert!(harness.state().doc.text().contains("Calls f"));
    click(&mut harness, "Test state");
    assert!(harness.query_by_label("SUCCEEDED").is_none());
    harness.get_by_label("The definition changed: test again.");
    assert_eq!(
        harness.get_by_label("State input").value().as_deref(),
        Some("{\"order\": 8}")
    );
    // Another state's inputs are its own; coming back finds these again.
    harness.state_mut().select(None);
    harness.run();
    harness.state_mut().select(Some(StateRef::top("Call")));
    harness.run();
    assert_eq!(
        harness.get_by_label("State input").value().as_deref(),
        Some("{\"order\": 8}")
    );
    click(&mut harness, "Test");
    harness.get_by_label("SUCCEEDED");
    assert!(
        harness
            .query_by_label("The definition changed: test again.")
            .is_none()
    );
}
