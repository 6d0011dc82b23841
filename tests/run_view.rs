//! The run & debug view driven like a person (egui_kittest): run with a test case's mocks,
//! breakpoints, stepping and stepping back, answering tasks, saving a run as a test case, and
//! a run made stale by an edit.

use asl_studio::app::design::DesignAction;
use asl_studio::app::{DesignerApp, DesignerOptions};
use asl_studio::asl::graph_edit::StateRef;
use asl_studio::engine::debug::VisitStatus;
use asl_studio::engine::testcase::TestCase;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn start(app: DesignerApp) -> Harness<'static, DesignerApp> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 1000.0))
        .with_max_steps(200)
        .build_eframe(move |_cc| app);
    harness.run();
    harness
}

fn open(path: &Path) -> Harness<'static, DesignerApp> {
    start(DesignerApp::with_options(DesignerOptions::headless(Some(
        path.to_path_buf(),
    ))))
}

fn click(harness: &mut Harness<'_, DesignerApp>, label: &str) {
    let node = harness.get_by_label(label);
    node.scroll_to_me();
    harness.run();
    harness.get_by_label(label).click();
    harness.run();
}

fn press(harness: &mut Harness<'_, DesignerApp>, modifiers: egui::Modifiers, key: egui::Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run();
}

/// Runs frames until the run stops moving (a background Continue ends).
fn settle(harness: &mut Harness<'_, DesignerApp>) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while harness
        .state()
        .run_view()
        .run()
        .is_some_and(|r| r.is_busy())
    {
        assert!(Instant::now() < deadline, "the run did not stop");
        std::thread::sleep(Duration::from_millis(10));
        harness.step();
    }
    harness.run();
}

fn has_label(harness: &Harness<'_, DesignerApp>, text: &str) -> bool {
    harness.query_by_label_contains(text).is_some()
}

/// The status of a state on the canvas at the moment shown.
fn status_of(harness: &mut Harness<'_, DesignerApp>, state: &str) -> Option<VisitStatus> {
    let revision = harness.state().session().parsed_revision();
    let overlay = harness
        .state_mut()
        .run_view_mut()
        .overlay(revision)?
        .clone();
    if overlay.stale {
        return None;
    }
    overlay.states.get(state).map(|s| s.status)
}

/// The order-processing template and its test case, in a folder of their own.
fn order_processing(dir: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let definition = dir.join("order-processing.asl.json");
    std::fs::copy(
        root.join("templates/order-processing.asl.json"),
        &definition,
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("tests")).unwrap();
    let case_text =
        std::fs::read_to_string(root.join("templates/tests/order-processing.test.json")).unwrap();
    let mut case: Value = serde_json::from_str(&case_text).unwrap();
    case["definitionFile"] = json!("../order-processing.asl.json");
    std::fs::write(
        dir.join("tests/order.test.json"),
        serde_json::to_string_pretty(&case).unwrap(),
    )
    .unwrap();
    definition
}

/// The Input tab's button that takes the template test case's input and mocks.
fn case_button() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text =
        std::fs::read_to_string(root.join("templates/tests/order-processing.test.json")).unwrap();
    let case: Value = serde_json::from_str(&text).unwrap();
    format!("Use “{}”", case["name"].as_str().unwrap_or_default())
}

fn write(dir: &Path, name: &str, definition: Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(&definition).unwrap()).unwrap();
    path
}

#[test]
fn a_template_runs_with_its_test_mocks_and_colours_its_states() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(&order_processing(dir.path()));
    // Open the Executions panel and take the test case's input and mocks.
    click(&mut harness, "▸ Executions");
    click(&mut harness, &case_button());
    press(&mut harness, egui::Modifiers::NONE, egui::Key::F5);
    settle(&mut harness);
    assert!(has_label(&harness, "SUCCEEDED"), "the status is shown");
    assert_eq!(
        status_of(&mut harness, "Charge payment"),
        Some(VisitStatus::Succeeded)
    );
    assert_eq!(
        status_of(&mut harness, "Order rejected"),
        None,
        "not reached"
    );
}

#[test]
fn a_breakpoint_pauses_the_run_and_steps_go_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let path = order_processing(dir.path());
    let mut harness = open(&path);
    click(&mut harness, "▸ Executions");
    click(&mut harness, &case_button());
    // Select the state and press F9, as a person sets a breakpoint.
    harness.state_mut().select_state("/States/Charge payment");
    harness.run();
    press(&mut harness, egui::Modifiers::NONE, egui::Key::F9);
    assert!(
        harness
            .state()
            .run_view()
            .breakpoints()
            .has("Charge payment")
    );
    press(&mut harness, egui::Modifiers::NONE, egui::Key::F5);
    settle(&mut harness);
    assert!(
        has_label(&harness, "Paused before “Charge payment”"),
        "the run stops before the state"
    );
    assert_eq!(status_of(&mut harness, "Charge payment"), None);
    let before = harness.state().run_view().run().map(|r| r.cursor());
    press(&mut harness, egui::Modifiers::NONE, egui::Key::F10);
    let after = harness.state().run_view().run().map(|r| r.cursor());
    assert_eq!(after, before.map(|c| c + 1), "one step, one event");
    assert_eq!(
        status_of(&mut harness, "Charge payment"),
        Some(VisitStatus::InProgress)
    );
    press(&mut harness, egui::Modifiers::SHIFT, egui::Key::F10);
    assert_eq!(harness.state().run_view().run().map(|r| r.cursor()), before);
    assert_eq!(
        status_of(&mut harness, "Charge payment"),
        None,
        "back in time"
    );
    // Continue to the end.
    press(&mut harness, egui::Modifiers::NONE, egui::Key::F5);
    settle(&mut harness);
    assert!(
        has_label(&harness, "SUCCEEDED"),
        "{:?}",
        harness.state().run_view().halt()
    );
}

#[test]
fn an_unmocked_task_asks_and_a_callback_waits_for_its_token() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "approval.asl.json",
        json!({"StartAt": "Price", "States": {
            "Price": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "price", "Payload.$": "$"},
                "ResultSelector": {"price.$": "$.StatusCode"}, "Next": "Approve"},
            "Approve": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
                    "MessageBody": {"token.$": "$$.Task.Token"}}, "End": true}}}),
    );
    let mut harness = open(&path);
    press(&mut harness, egui::Modifiers::NONE, egui::Key::F5);
    settle(&mut harness);
    assert!(has_label(&harness, "“Price” waits for its answer"));
    // The usual Lambda answer is prefilled: return it.
    click(&mut harness, "Return");
    settle(&mut harness);
    assert!(has_label(&harness, "“Approve” waits for its task token"));
    assert!(has_label(&harness, "Task token"));
    click(&mut harness, "Heartbeat");
    click(&mut harness, "Send success");
    settle(&mut harness);
    assert!(
        has_label(&harness, "SUCCEEDED"),
        "the token completed the run"
    );
    let status = harness
        .state()
        .run_view()
        .run()
        .and_then(|r| r.execution())
        .map(|e| e.status().as_str());
    assert_eq!(status, Some("SUCCEEDED"));
}

#[test]
fn a_run_saved_as_a_test_case_passes_asl_studio_test() {
    let dir = tempfile::tempdir().unwrap();
    let path = order_processing(dir.path());
    let mut harness = open(&path);
    click(&mut harness, "▸ Executions");
    click(&mut harness, &case_button());
    press(&mut harness, egui::Modifiers::NONE, egui::Key::F5);
    settle(&mut harness);
    click(&mut harness, "Result");
    click(&mut harness, "Save as test case");
    let saved = dir.path().join("tests/order-processing-run.json");
    assert!(saved.is_file(), "{:?}", harness.state().status());
    let outcome = TestCase::load(&saved).unwrap().run();
    assert_eq!(outcome.difference, None);
    // And the command line agrees.
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_asl-studio"))
        .args(["test", &saved.to_string_lossy()])
        .output()
        .unwrap();
    assert_eq!(
        cli.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&cli.stdout)
    );
}

#[test]
fn editing_during_a_run_marks_it_stale() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "wait.asl.json",
        json!({"StartAt": "First", "States": {
            "First": {"Type": "Pass", "Next": "Second"},
            "Second": {"Type": "Pass", "End": true}}}),
    );
    let mut harness = open(&path);
    press(&mut harness, egui::Modifiers::NONE, egui::Key::F10);
    press(&mut harness, egui::Modifiers::NONE, egui::Key::F10);
    assert_eq!(
        status_of(&mut harness, "First"),
        Some(VisitStatus::InProgress)
    );
    // An edit: rename a state, as the canvas does.
    let ctx = harness.ctx.clone();
    harness.state_mut().apply_design_action(
        &ctx,
        DesignAction::Rename {
            state: StateRef::top("Second"),
            name: "Later".into(),
        },
    );
    harness.run();
    assert!(has_label(
        &harness,
        "The definition changed since this run started"
    ));
    assert_eq!(
        status_of(&mut harness, "First"),
        None,
        "no colours on a stale run"
    );
    click(&mut harness, "Restart");
    settle(&mut harness);
    assert!(!has_label(
        &harness,
        "The definition changed since this run started"
    ));
}

#[test]
fn breakpoints_are_kept_in_the_sidecar() {
    let dir = tempfile::tempdir().unwrap();
    let path = order_processing(dir.path());
    let mut harness = open(&path);
    harness.state_mut().select_state("/States/Ship order");
    harness.run();
    press(&mut harness, egui::Modifiers::NONE, egui::Key::F9);
    assert!(
        harness.state().session().is_dirty(),
        "a breakpoint is a change to save"
    );
    press(&mut harness, egui::Modifiers::COMMAND, egui::Key::S);
    let sidecar = dir.path().join("order-processing.asl.studio.json");
    let text = std::fs::read_to_string(&sidecar).expect("the sidecar is written");
    assert!(text.contains("\"Ship order\""), "{text}");
    // Opened again, the file brings its breakpoint.
    let reopened = open(&path);
    assert!(reopened.state().run_view().breakpoints().has("Ship order"));
}

#[test]
fn a_breakpoint_condition_and_break_on_error_are_set_in_the_panel() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "pay.asl.json",
        json!({"StartAt": "Charge", "States": {
            "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Refund"}], "End": true},
            "Refund": {"Type": "Pass", "End": true}}}),
    );
    let mut harness = open(&path);
    harness.state_mut().select_state("/States/Charge");
    harness.run();
    press(&mut harness, egui::Modifiers::NONE, egui::Key::F9);
    click(&mut harness, "▸ Executions");
    // Input and a mock that throws, typed like a person.
    harness.get_by_label("Execution input").focus();
    harness.run();
    press(&mut harness, egui::Modifiers::COMMAND, egui::Key::A);
    harness.event(egui::Event::Text("{\"amount\": 50}".into()));
    harness.run();
    click(&mut harness, "Mocks per state");
    harness.get_by_label("Task answers").focus();
    harness.run();
    press(&mut harness, egui::Modifiers::COMMAND, egui::Key::A);
    harness.event(egui::Event::Text(
        "{\"Charge\": {\"0\": {\"Throw\": {\"Error\": \"Declined\"}}}}".into(),
    ));
    harness.run();
    // Only for big amounts: this run goes by.
    harness.get_by_label("when").focus();
    harness.run();
    harness.event(egui::Event::Text("{% $states.input.amount > 100 %}".into()));
    harness.run();
    assert_eq!(
        harness.state().run_view().breakpoints().list[0]
            .condition
            .as_deref(),
        Some("{% $states.input.amount > 100 %}")
    );
    // Stop on errors nothing handles: the caught one goes by too.
    click(&mut harness, "Break on error");
    click(&mut harness, "Uncaught errors only");
    press(&mut harness, egui::Modifiers::NONE, egui::Key::F5);
    settle(&mut harness);
    assert!(
        has_label(&harness, "SUCCEEDED"),
        "{:?}",
        harness.state().run_view().halt()
    );
    // Any error stops it.
    click(&mut harness, "Input");
    click(&mut harness, "Break on error");
    click(&mut harness, "Any error");
    press(&mut harness, egui::Modifiers::NONE, egui::Key::F5);
    settle(&mut harness);
    assert!(has_label(&harness, "Paused on an error in “Charge”"));
}
