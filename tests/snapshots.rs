//! The Design tab rendered headless (egui_kittest on wgpu; lavapipe on CI) and compared with
//! the images checked in under `tests/snapshots/`: three starter templates and the two largest
//! deployed workflows of the samples collection (vendored in `tests/data/corpus`).
//!
//! After a deliberate change of the canvas's look, regenerate them with
//! `UPDATE_SNAPSHOTS=1 cargo test --test snapshots` and look at every image before committing.

use asl_studio::app::DesignerApp;
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
