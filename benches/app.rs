//! Frame budgets of the designer: cold start to the first frame, and one keystroke in the
//! Code tab of a 500-state (≈15k-line) definition (re-parse, re-validate, re-highlight,
//! re-layout and tessellate: everything but the GPU upload).

// Measured with the allocator the `asl-studio` binary ships with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use asl_studio::app::session::Session;
use asl_studio::app::{DesignerApp, DesignerOptions, Tab};
use asl_studio::asl::document::{Format, to_json_pretty};
use asl_studio::asl::generate::large_definition;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Instant;

fn input(events: Vec<egui::Event>) -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1440.0, 900.0),
        )),
        events,
        focused: true,
        ..Default::default()
    }
}

/// One frame, tessellated as eframe does before painting.
fn frame(ctx: &egui::Context, app: &mut DesignerApp, events: Vec<egui::Event>) {
    let mut output = ctx.run_ui(input(events), |ui| app.frame_ui(ui));
    let primitives = ctx.tessellate(std::mem::take(&mut output.shapes), output.pixels_per_point);
    black_box(primitives);
    output.textures_delta.clear();
}

fn cold_start(c: &mut Criterion) {
    let mut group = c.benchmark_group("cold start");
    group.sample_size(10);
    group.bench_function("construct + first frame (syntaxes loaded first)", |b| {
        b.iter(|| {
            let ctx = egui::Context::default();
            let mut app = DesignerApp::with_options(DesignerOptions::headless(None));
            frame(&ctx, &mut app, Vec::new());
        });
    });
    group.bench_function("construct + first frame (syntaxes in background)", |b| {
        b.iter(|| {
            let ctx = egui::Context::default();
            let mut options = DesignerOptions::headless(None);
            options.load_syntaxes_now = false;
            options.watch_files = false;
            let mut app = DesignerApp::with_options(options);
            frame(&ctx, &mut app, Vec::new());
        });
    });
    group.finish();
}

fn large_text(states: usize) -> String {
    to_json_pretty(&large_definition(states), "  ") + "\n"
}

fn keystroke(c: &mut Criterion) {
    let text = large_text(500);
    let mut group = c.benchmark_group("keystroke in a 500-state definition");
    group.sample_size(30);

    group.bench_function("session only: apply, parse, validate, model", |b| {
        let mut session = Session::new(text.clone(), Format::Json, None);
        let at = text.find("\"State 0250\"").unwrap_or(0) + 7;
        let mut insert = true;
        b.iter(|| {
            let change = if insert {
                asl_studio::asl::document::TextChange {
                    range: at..at,
                    replacement: "x".into(),
                }
            } else {
                asl_studio::asl::document::TextChange {
                    range: at..at + 1,
                    replacement: String::new(),
                }
            };
            insert = !insert;
            session.apply_typing(vec![change], Instant::now());
            black_box(session.diagnostics().len());
        });
    });

    group.bench_function(
        "whole frame with the Code tab (type or delete one character)",
        |b| {
            frame_per_keystroke(b, &text);
        },
    );
    group.bench_function("the same, thread CPU time", |b| {
        frame_per_keystroke_measured(b, &text, true);
    });
    group.finish();

    // The same with the console's formatting of ~850 states: 15k lines.
    let text = large_text(850);
    let mut group = c.benchmark_group("keystroke in a 15k-line definition (850 states)");
    group.sample_size(20);
    group.bench_function(
        "whole frame with the Code tab (type or delete one character)",
        |b| {
            frame_per_keystroke(b, &text);
        },
    );
    group.bench_function("the same, thread CPU time", |b| {
        frame_per_keystroke_measured(b, &text, true);
    });
    group.finish();
}

/// CPU time of this thread (what a keystroke costs, whatever else the machine runs).
fn thread_cpu_time() -> std::time::Duration {
    let mut time = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `time` is a valid timespec for the call to fill in.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut time) };
    std::time::Duration::new(time.tv_sec as u64, time.tv_nsec as u32)
}

fn frame_per_keystroke(b: &mut criterion::Bencher<'_>, text: &str) {
    frame_per_keystroke_measured(b, text, false);
}

/// Types or deletes one character per iteration in the Code tab of `text`; with `cpu_time`,
/// reports this thread's CPU time instead of wall time.
fn frame_per_keystroke_measured(b: &mut criterion::Bencher<'_>, text: &str, cpu_time: bool) {
    let ctx = egui::Context::default();
    let mut app = DesignerApp::for_test(text, None);
    app.set_tab(Tab::Code);
    // Settle: lay out, highlight everything, then put the cursor inside a state name.
    for _ in 0..400 {
        frame(&ctx, &mut app, Vec::new());
    }
    let at = text.find("\"State 0250\"").unwrap_or(0) + 7;
    app.place_cursor(at);
    for _ in 0..3 {
        frame(&ctx, &mut app, Vec::new());
    }
    let lines = app.session().text().lines().count();
    assert!(lines > 8_000, "{lines} lines");
    let mut insert = true;
    let mut keystroke = |app: &mut DesignerApp| {
        let event = if insert {
            egui::Event::Text("x".into())
        } else {
            egui::Event::Key {
                key: egui::Key::Backspace,
                physical_key: None,
                pressed: true,
                repeat: false,
                modifiers: egui::Modifiers::NONE,
            }
        };
        insert = !insert;
        let revision = app.session().revision();
        frame(&ctx, app, vec![event]);
        assert_ne!(
            app.session().revision(),
            revision,
            "the keystroke reached the text"
        );
    };
    if cpu_time {
        b.iter_custom(|iters| {
            let start = thread_cpu_time();
            for _ in 0..iters {
                keystroke(&mut app);
            }
            thread_cpu_time().saturating_sub(start)
        });
    } else {
        b.iter(|| keystroke(&mut app));
    }
}

/// A frame with nothing new (hover, caret blink) on each tab of a 500-state definition.
fn idle_frames(c: &mut Criterion) {
    let text = large_text(500);
    let mut group = c.benchmark_group("idle frame, 500 states");
    group.sample_size(20);
    for tab in [Tab::Design, Tab::Code, Tab::Config] {
        group.bench_function(format!("{tab:?}"), |b| {
            let ctx = egui::Context::default();
            let mut app = DesignerApp::for_test(&text, None);
            app.set_tab(tab);
            for _ in 0..400 {
                frame(&ctx, &mut app, Vec::new());
            }
            b.iter(|| frame(&ctx, &mut app, Vec::new()));
        });
    }
    group.finish();
}

/// The canvas budget: a whole frame of the window with the Design tab on a 500-state
/// definition, the whole graph in view (fitted) and at 100 % with a state selected (the
/// inspector showing it), in this thread's CPU time.
fn canvas_frames(c: &mut Criterion) {
    let text = large_text(500);
    let mut group = c.benchmark_group("canvas frame, 500 states (thread CPU time)");
    group.sample_size(30);
    for (name, zoom) in [("fitted", None), ("100 %, a state selected", Some(1.0))] {
        group.bench_function(name, |b| {
            let ctx = egui::Context::default();
            let mut app = DesignerApp::for_test(&text, None);
            app.set_tab(Tab::Design);
            for _ in 0..10 {
                frame(&ctx, &mut app, Vec::new());
            }
            if let Some(zoom) = zoom {
                app.select_state("/States/State 0250");
                app.design_mut().zoom_to(zoom);
                for _ in 0..10 {
                    frame(&ctx, &mut app, Vec::new());
                }
            }
            b.iter_custom(|iters| {
                let start = thread_cpu_time();
                for _ in 0..iters {
                    frame(&ctx, &mut app, Vec::new());
                }
                thread_cpu_time().saturating_sub(start)
            });
        });
    }
    group.bench_function("after an edit: re-layout and draw", |b| {
        let ctx = egui::Context::default();
        let mut app = DesignerApp::for_test(&text, None);
        app.set_tab(Tab::Design);
        for _ in 0..10 {
            frame(&ctx, &mut app, Vec::new());
        }
        let mut renamed = false;
        b.iter_custom(|iters| {
            let mut total = std::time::Duration::ZERO;
            for _ in 0..iters {
                // Rename a state back and forth through the canvas's own action path.
                let (from, to) = if renamed {
                    ("Renamed", "State 0250")
                } else {
                    ("State 0250", "Renamed")
                };
                renamed = !renamed;
                app.apply_design_action(
                    &ctx,
                    asl_studio::app::design::DesignAction::Rename {
                        state: asl_studio::asl::graph_edit::StateRef::top(from),
                        name: to.to_string(),
                    },
                );
                let start = thread_cpu_time();
                frame(&ctx, &mut app, Vec::new());
                total += thread_cpu_time().saturating_sub(start);
            }
            total
        });
    });
    group.finish();
}

criterion_group!(benches, cold_start, keystroke, idle_frames, canvas_frames);
criterion_main!(benches);
