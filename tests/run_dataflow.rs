//! The run view's Data flow tab driven like a person (egui_kittest): type the input and the
//! mocks, run with F5, select a state on the canvas and read its stages off the screen, in
//! AWS's order with the field beside each; step back in time; a failing stage; and the Test
//! state tab starting from the state's input in the run.

use asl_studio::app::DesignerApp;
use asl_studio::asl::document::to_json_pretty;
use asl_studio::engine::Stage;
use egui::accesskit::Role;
use egui::{Key, Modifiers, Rect, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

fn start(definition: &Value) -> Harness<'static, DesignerApp> {
    let text = serde_json::to_string_pretty(definition).unwrap() + "\n";
    let mut harness = Harness::builder()
        .with_size(Vec2::new(1500.0, 1400.0))
        .with_max_steps(120)
        .build_eframe(move |_cc| DesignerApp::for_test(&text, None));
    harness.run();
    harness
}

fn click(harness: &mut Harness<'_, DesignerApp>, label: &str) {
    // The Executions panel is short: what is below its fold is scrolled to first.
    harness.get_by_label(label).scroll_to_me();
    harness.run();
    harness.get_by_label(label).click();
    harness.run();
}

fn press(harness: &mut Harness<'_, DesignerApp>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run();
}

/// The run panel's multi-line editors, top to bottom (the execution input, then the mocks).
fn editor_rects(harness: &Harness<'_, DesignerApp>) -> Vec<Rect> {
    let mut rects: Vec<Rect> = harness
        .query_all_by_role(Role::MultilineTextInput)
        .map(|node| node.rect())
        .collect();
    rects.sort_by(|a, b| a.min.y.total_cmp(&b.min.y));
    rects
}

/// Clicks into the `nth` multi-line editor, selects its text and types `text` over it.
fn type_into_editor(harness: &mut Harness<'_, DesignerApp>, nth: usize, text: &str) {
    let rect = editor_rects(harness)[nth];
    let node = harness
        .query_all_by_role(Role::MultilineTextInput)
        .find(|node| node.rect() == rect)
        .expect("the editor");
    node.focus();
    harness.run();
    press(harness, Modifiers::COMMAND, Key::A);
    harness.event(egui::Event::Text(text.to_string()));
    harness.run();
}

/// Opens the Executions panel, types the input and per-state mocks, and runs with F5 to the end.
fn run(harness: &mut Harness<'_, DesignerApp>, input: &Value, mocks: &Value) {
    click(harness, "▸ Executions");
    type_into_editor(harness, 0, &input.to_string());
    click(harness, "Mocks per state");
    type_into_editor(harness, 1, &mocks.to_string());
    press(harness, Modifiers::NONE, Key::F5);
    let deadline = Instant::now() + Duration::from_secs(20);
    while !harness
        .state()
        .run_view()
        .run()
        .is_some_and(|run| !run.is_busy() && run.status().is_final())
    {
        assert!(Instant::now() < deadline, "the run did not end");
        std::thread::sleep(Duration::from_millis(10));
        harness.step();
    }
    harness.run();
}

/// Selects a top-level state as a click on the canvas does, and opens the Data flow tab.
fn show_dataflow(harness: &mut Harness<'_, DesignerApp>, state: &str) {
    harness
        .state_mut()
        .select_state(&format!("/States/{state}"));
    harness.run();
    click(harness, "Data flow");
}

/// The stage title (a plain label), in the Data flow tab (below the header).
fn title_rect(harness: &Harness<'_, DesignerApp>, title: &str) -> Rect {
    let top = header_rect(harness).max.y;
    let rects: Vec<Rect> = harness
        .query_all_by_role_and_label(Role::Label, title)
        .map(|n| n.rect())
        .filter(|r| r.min.y >= top)
        .collect();
    assert_eq!(rects.len(), 1, "one stage titled {title}: {rects:?}");
    rects[0]
}

fn header_rect(harness: &Harness<'_, DesignerApp>) -> Rect {
    harness.get_by_label_contains("’ — visit ").rect()
}

/// Whether two labels sit on one row.
fn same_row(a: Rect, b: Rect) -> bool {
    a.min.y < b.max.y && b.min.y < a.max.y
}

/// A label beside a stage's title.
fn assert_beside(harness: &Harness<'_, DesignerApp>, title: &str, label: &str) {
    let title_at = title_rect(harness, title);
    let label_at = harness.get_by_label(label).rect();
    assert!(
        same_row(title_at, label_at) && label_at.min.x > title_at.max.x,
        "“{label}” is not beside {title}: {title_at:?} {label_at:?}"
    );
}

const JSONPATH_STAGES: [&str; 7] = [
    "Input",
    "InputPath",
    "Parameters",
    "Result",
    "ResultSelector",
    "ResultPath",
    "OutputPath",
];

fn order_flow(result_selector: Value) -> Value {
    json!({"StartAt": "Validate", "States": {
        "Validate": {"Type": "Pass", "Result": true, "ResultPath": "$.validated",
                     "Next": "Charge"},
        "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "InputPath": "$.order",
                   "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
                   "ResultSelector": result_selector,
                   "ResultPath": "$.charge",
                   "OutputPath": "$.charge",
                   "Next": "Done"},
        "Done": {"Type": "Succeed"}
    }})
}

fn order_input() -> Value {
    json!({"order": {"id": 7, "amount": 30}})
}

fn charge_mocks() -> Value {
    json!({"Charge": {"0": {"Return": {"Payload": {"amount": 30, "status": "ok"}}}}})
}

#[test]
fn the_stages_of_a_task_in_awss_order_with_their_fields_and_back_in_time() {
    let mut harness = start(&order_flow(json!({"total.$": "$.Payload.amount"})));
    run(&mut harness, &order_input(), &charge_mocks());
    show_dataflow(&mut harness, "Charge");
    harness.get_by_label("‘Charge’ — visit 1 of 1 · succeeded");

    // Every stage, one under the other, in the order AWS applies them.
    let rects: Vec<Rect> = JSONPATH_STAGES
        .iter()
        .map(|title| title_rect(&harness, title))
        .collect();
    for (pair, titles) in rects.windows(2).zip(JSONPATH_STAGES.windows(2)) {
        assert!(
            pair[0].max.y <= pair[1].min.y,
            "{} comes before {}",
            titles[0],
            titles[1]
        );
    }
    // Each with its field as the definition writes it.
    assert_beside(&harness, "InputPath", "InputPath: \"$.order\"");
    assert_beside(
        &harness,
        "Parameters",
        "Parameters: {\"FunctionName\":\"charge\",\"Payload.$\":\"$\"}",
    );
    assert_beside(
        &harness,
        "Result",
        "Resource: \"arn:aws:states:::lambda:invoke\"",
    );
    assert_beside(
        &harness,
        "ResultSelector",
        "ResultSelector: {\"total.$\":\"$.Payload.amount\"}",
    );
    assert_beside(&harness, "ResultPath", "ResultPath: \"$.charge\"");
    assert_beside(&harness, "OutputPath", "OutputPath: \"$.charge\"");
    // What each stage changed is marked; the data is there as a tree.
    let changed: Vec<Rect> = harness
        .query_all_by_label("changed")
        .map(|n| n.rect())
        .collect();
    assert!(!changed.is_empty(), "a stage is marked changed");
    assert!(
        changed.iter().any(|c| same_row(*c, rects[1])),
        "InputPath changed the data"
    );
    harness.get_by_label("added: charge");
    harness.get_by_label("Next state:");
    harness.get_by_label("→ Done");
    assert!(harness.query_by_label("not reached yet").is_none());

    // Back in time to just before the task's answer: the result has not come yet.
    let result_at = {
        let run = harness.state().run_view().run().expect("a run");
        let execution = run.execution().expect("the run is not busy");
        let visit = execution
            .visits()
            .iter()
            .find(|v| v.name == "Charge")
            .expect("Charge ran");
        let result = visit.stages.iter().find(|r| r.stage == Stage::Result);
        result.expect("the result was recorded").at_event
    };
    let head = harness.state().run_view().run().map_or(0, |r| r.head());
    for _ in 0..(head - (result_at - 1)) {
        press(&mut harness, Modifiers::SHIFT, Key::F10);
    }
    assert_eq!(
        harness.state().run_view().run().map(|r| r.cursor()),
        Some(result_at - 1)
    );
    harness.get_by_label("‘Charge’ — visit 1 of 1 · in progress");
    let result = title_rect(&harness, "Result");
    let waiting: Vec<Rect> = harness
        .query_all_by_label("not reached yet")
        .map(|n| n.rect())
        .collect();
    assert!(
        waiting.iter().any(|w| same_row(*w, result)),
        "Result is not reached yet: {waiting:?}"
    );
    // The stages before it are there, the later ones wait too.
    assert_eq!(
        waiting.len(),
        4,
        "Result, ResultSelector, ResultPath, OutputPath"
    );
    assert_beside(&harness, "InputPath", "InputPath: \"$.order\"");
    harness.get_by_label("In progress at the moment shown.");
}

#[test]
fn a_missing_result_selector_path_fails_at_that_stage() {
    let mut harness = start(&order_flow(json!({"total.$": "$.Payload.missing"})));
    run(&mut harness, &order_input(), &charge_mocks());
    show_dataflow(&mut harness, "Charge");
    harness.get_by_label("‘Charge’ — visit 1 of 1 · failed");
    let failed = harness.get_by_label("✖ failed: States.Runtime").rect();
    assert!(
        same_row(failed, title_rect(&harness, "ResultSelector")),
        "the error is on the ResultSelector stage"
    );
    harness.get_by_label_contains("'$.Payload.missing'");
    harness.get_by_label("✖ ResultSelector failed with States.Runtime");
    // The stages after it never ran; the ones before it did.
    let after: Vec<Rect> = harness
        .query_all_by_label("not run: the state failed before it")
        .map(|n| n.rect())
        .collect();
    assert_eq!(after.len(), 2, "ResultPath and OutputPath");
    assert!(
        after
            .iter()
            .any(|r| same_row(*r, title_rect(&harness, "ResultPath")))
    );
    assert!(harness.query_by_label("not reached yet").is_none());
    harness.get_by_label("The error ended the execution.");
}

#[test]
fn the_test_state_tab_starts_from_the_states_input_in_the_run() {
    let mut harness = start(&order_flow(json!({"total.$": "$.Payload.amount"})));
    run(&mut harness, &order_input(), &charge_mocks());
    harness.state_mut().select_state("/States/Charge");
    harness.run();
    click(&mut harness, "Test state");
    // Charge's input: the execution input after Validate added its result.
    let expected = to_json_pretty(
        &json!({"order": {"id": 7, "amount": 30}, "validated": true}),
        "  ",
    );
    assert_eq!(
        harness.get_by_label("State input").value().as_deref(),
        Some(expected.as_str())
    );
    harness.get_by_label("The state's input in the last run.");
    // Another state: its own input in the run.
    harness.state_mut().select_state("/States/Validate");
    harness.run();
    assert_eq!(
        harness.get_by_label("State input").value().as_deref(),
        Some(to_json_pretty(&order_input(), "  ").as_str())
    );
}

#[test]
fn the_arrows_move_between_a_states_visits() {
    let mut harness = start(&json!({"StartAt": "Count", "States": {
        "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"},
                  "Next": "Again?"},
        "Again?": {"Type": "Choice",
                   "Choices": [{"Variable": "$.n", "NumericLessThan": 3, "Next": "Count"}],
                   "Default": "Done"},
        "Done": {"Type": "Succeed"}
    }}));
    run(&mut harness, &json!({"n": 0}), &json!({}));
    show_dataflow(&mut harness, "Count");
    // The latest visit first; the first one has nothing before it.
    harness.get_by_label("‘Count’ — visit 3 of 3 · succeeded");
    assert_beside(
        &harness,
        "Parameters",
        "Parameters: {\"n.$\":\"States.MathAdd($.n, 1)\"}",
    );
    click(&mut harness, "◀");
    click(&mut harness, "◀");
    harness.get_by_label("‘Count’ — visit 1 of 3 · succeeded");
    assert!(harness.get_by_label("◀").accesskit_node().is_disabled());
    click(&mut harness, "▶");
    harness.get_by_label("‘Count’ — visit 2 of 3 · succeeded");
    // Where it went: a link that selects the next state.
    click(&mut harness, "→ Again?");
    assert_eq!(
        harness.state().selected().first().map(|s| s.name.as_str()),
        Some("Again?")
    );
    harness.get_by_label("‘Again?’ — visit 3 of 3 · succeeded");
}
