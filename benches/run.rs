//! The run view under load: a 100,000-item Express Map run to its end in the app (the
//! background Continue, recording everything the debugger shows) against the same run as the
//! command line makes it (goal: at most twice as long), and one frame of the window while
//! that run goes on in the background (goal: ≤ 16 ms).

// Measured with the allocator the `asl-studio` binary ships with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use asl_studio::app::{DesignerApp, RunRequest};
use asl_studio::asl::model::StateMachine;
use asl_studio::engine::{Execution, ExecutionOptions, WorkflowType};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};
use std::hint::black_box;
use std::time::Duration;

/// 100,000 items made inside the definition (a 100,000-item input would be over AWS's
/// 256 KiB payload limit), each through a Pass with an expression.
fn big_map() -> Value {
    json!({"QueryLanguage": "JSONata", "StartAt": "Each", "States": {"Each": {"Type": "Map",
        "Items": "{% [1..100000] %}",
        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Double",
            "States": {"Double": {"Type": "Pass", "Output": "{% {'v': $states.input, 'twice': $states.input * 2} %}", "End": true}}},
        "Output": "{% $count($states.result) %}",
        "End": true}}})
}

fn app_with_big_map() -> DesignerApp {
    let text = serde_json::to_string_pretty(&big_map()).unwrap_or_default();
    let mut app = DesignerApp::for_test(&text, None);
    let mut settings = app.session().settings.clone();
    settings.workflow_type = WorkflowType::Express;
    app.set_settings(settings);
    app
}

fn frame(ctx: &egui::Context, app: &mut DesignerApp) {
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1440.0, 900.0),
        )),
        focused: true,
        ..Default::default()
    };
    let mut output = ctx.run_ui(input, |ui| app.frame_ui(ui));
    let primitives = ctx.tessellate(std::mem::take(&mut output.shapes), output.pixels_per_point);
    black_box(primitives);
}

fn busy(app: &DesignerApp) -> bool {
    app.run_view().run().is_some_and(|r| r.is_busy())
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("100,000-item Express Map");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    if let Ok(machine) = StateMachine::from_value(&big_map()) {
        group.bench_function("as the command line runs it", |b| {
            b.iter(|| {
                let options = ExecutionOptions {
                    workflow_type: WorkflowType::Express,
                    keep_history: false,
                    ..ExecutionOptions::default()
                };
                let mut execution = Execution::new(&machine, json!({}), options).ok();
                execution.as_mut().map(|e| e.run().is_number())
            })
        });
    }
    group.bench_function("in the app, Run to the end (background)", |b| {
        b.iter(|| {
            let mut app = app_with_big_map();
            app.prepare_run(&RunRequest {
                input: Some("{}".into()),
                mocks: None,
                run: true,
            });
            app.run_view_mut().finish_background();
            black_box(app.run_view().run().map(|r| r.head()))
        })
    });
    group.finish();

    let ctx = egui::Context::default();
    let mut app = app_with_big_map();
    frame(&ctx, &mut app);
    c.bench_function("a frame while the 100,000-item Map runs", |b| {
        b.iter(|| {
            if !busy(&app) {
                app = app_with_big_map();
                app.prepare_run(&RunRequest {
                    input: Some("{}".into()),
                    mocks: None,
                    run: true,
                });
            }
            frame(&ctx, &mut app);
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
