//! The Design tab rendered headless (egui_kittest on wgpu; lavapipe on CI) and compared with
//! the images checked in under `tests/snapshots/`: three starter templates, the two largest
//! deployed workflows of the samples collection (vendored in `tests/data/corpus`), and three
//! runs (paused at a breakpoint, a caught error, a Map).
//!
//! After a deliberate change of the canvas's look, regenerate them with
//! `UPDATE_SNAPSHOTS=1 cargo test --test snapshots` and look at every image before committing.

use asl_studio::app::run::{MockSource, RunTab};
use asl_studio::app::{DesignerApp, RunRequest};
use asl_studio::engine::debug::Breakpoints;
use asl_studio::templates;
use egui::Vec2;
use egui_kittest::{Harness, SnapshotOptions, SnapshotResults};

/// Anti-aliasing may differ by a shade between Mesa versions; a moved state would not.
fn options() -> SnapshotOptions {
    SnapshotOptions::new().threshold(2.0).max_failed_pixels(40)
}

fn snapshot(results: &mut SnapshotResults, name: &str, text: &str, path: &str) {
    let text = text.to_string();
    let path = std::path::PathBuf::from(path);
    let mut harness = Harness::builder()
        .with_size(Vec2::new(1400.0, 900.0))
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(120)
        .build_eframe(move |_cc| DesignerApp::for_test(&text, Some(path)));
    harness.run();
    harness.snapshot_options(name, &options());
    results.extend(harness.take_snapshot_results());
}

#[test]
fn templates_on_the_canvas() {
    let mut results = SnapshotResults::new();
    for id in ["order-processing", "daycare-registration", "map-fan-out"] {
        let template = templates::by_id(id).expect("a starter template");
        snapshot(
            &mut results,
            &format!("design-{id}"),
            template.text,
            &format!("{id}.asl.json"),
        );
    }
}

#[test]
fn large_deployed_workflows_on_the_canvas() {
    let mut results = SnapshotResults::new();
    for (name, text) in [
        (
            "design-bedrock-evaluations",
            include_str!("data/corpus/bedrock-evaluations-sam__statemachine.asl.json"),
        ),
        (
            "design-rekognition-video-catalog",
            include_str!(
                "data/corpus/sfn-rekognition-video-catalog-workflow__statemachine.asl.json"
            ),
        ),
    ] {
        snapshot(&mut results, name, text, &format!("{name}.asl.json"));
    }
}

/// A template's test case: its input and mocks.
fn case_of(id: &str) -> (String, String) {
    let path = format!(
        "{}/templates/tests/{id}.test.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let case: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("the test case")).expect("JSON");
    (
        serde_json::to_string_pretty(&case["input"]).unwrap_or_default(),
        serde_json::to_string_pretty(&case["mocks"]).unwrap_or_default(),
    )
}

/// A template run in the app (to its end or its breakpoint), with a run tab open.
fn run_snapshot(
    results: &mut SnapshotResults,
    name: &str,
    id: &str,
    mocks: Option<String>,
    breakpoint: Option<&str>,
    tab: RunTab,
) {
    let template = templates::by_id(id).expect("a starter template");
    let (input, case_mocks) = case_of(id);
    let mut app = DesignerApp::for_test(template.text, Some(format!("{id}.asl.json").into()));
    if let Some(state) = breakpoint {
        let mut breakpoints = Breakpoints::default();
        breakpoints.toggle(state);
        app.run_view_mut().set_breakpoints(breakpoints);
    }
    app.prepare_run(&RunRequest {
        input: Some(input),
        mocks: Some(MockSource::States(mocks.unwrap_or(case_mocks))),
        run: true,
    });
    app.run_view_mut().finish_background();
    app.run_view_mut().set_tab(tab);
    let mut harness = Harness::builder()
        .with_size(Vec2::new(1400.0, 1000.0))
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(120)
        .build_eframe(move |_cc| app);
    harness.run();
    harness.snapshot_options(name, &options());
    results.extend(harness.take_snapshot_results());
}

#[test]
fn runs_on_the_canvas() {
    let mut results = SnapshotResults::new();
    run_snapshot(
        &mut results,
        "run-paused-at-breakpoint",
        "order-processing",
        None,
        Some("Ship order"),
        RunTab::Events,
    );
    // Charge payment declines: its Catch releases the stock, the order fails.
    let (_, mocks) = case_of("order-processing");
    let mut mocks: serde_json::Value = serde_json::from_str(&mocks).unwrap_or_default();
    mocks["Charge payment"] = serde_json::json!({"0": {"Throw": {"Error": "Payment.Declined", "Cause": "card declined"}}});
    mocks["Release inventory"] =
        serde_json::json!({"0": {"Return": {"StatusCode": 200, "Payload": {"released": true}}}});
    mocks["Notify customer of failure"] =
        serde_json::json!({"0": {"Return": {"MessageId": "m-1"}}});
    run_snapshot(
        &mut results,
        "run-caught-error",
        "order-processing",
        Some(mocks.to_string()),
        None,
        RunTab::Result,
    );
    run_snapshot(
        &mut results,
        "run-map",
        "map-fan-out",
        None,
        None,
        RunTab::Children,
    );
}
