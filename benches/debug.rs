//! The debugger on a 25,000-event history: stepping one event at the head, and scrubbing to
//! any event (everything the run view reads for one moment: every state's summary, the
//! transitions taken, the states in progress, the variables). Goal: each ≤ 16 ms.

// Measured with the allocator the `asl-studio` binary ships with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use asl_studio::asl::model::StateMachine;
use asl_studio::engine::debug::{DebugRun, Halt, SharedBreakpoints};
use asl_studio::engine::{ExecutionOptions, WorkflowType};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};
use std::hint::black_box;

/// A loop that counts in a variable, with a Map of two items each turn: every kind of event
/// the index handles, without end (Express: no event cap).
fn endless() -> Value {
    json!({"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Assign": {"n": 0}, "Next": "Count"},
        "Count": {"Type": "Pass", "Assign": {"n": "{% $n + 1 %}"}, "Next": "Each"},
        "Each": {"Type": "Map", "Items": "{% [$n, $n + 1] %}",
            "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Item",
                "States": {"Item": {"Type": "Pass", "End": true}}},
            "Next": "Again"},
        "Again": {"Type": "Choice", "Choices": [{"Condition": "{% $n < 1000000 %}", "Next": "Count"}],
            "Default": "Done"},
        "Done": {"Type": "Succeed"}}})
}

fn run_to(events: u64) -> Option<DebugRun> {
    let machine = StateMachine::from_value(&endless()).ok()?;
    let options = ExecutionOptions {
        workflow_type: WorkflowType::Express,
        ..ExecutionOptions::default()
    };
    let mut run = DebugRun::new(
        &machine,
        json!({}),
        options,
        None,
        SharedBreakpoints::default(),
    )
    .ok()?;
    while run.head() < events {
        if run.step() != Halt::Event {
            return None;
        }
    }
    Some(run)
}

fn bench(c: &mut Criterion) {
    let Some(mut run) = run_to(25_000) else {
        eprintln!("the benchmark run did not reach 25,000 events");
        return;
    };
    let states: Vec<u32> = (0..8).collect();
    c.bench_function("debug: step one event at 25,000 events", |b| {
        b.iter(|| black_box(run.step()))
    });
    let head = run.head();
    let mut at = 1u64;
    c.bench_function("debug: scrub to any event of 25,000", |b| {
        b.iter(|| {
            // A spread of moments over the whole history.
            at = (at * 7_919 + 13) % head + 1;
            run.set_cursor(at);
            let cursor = run.cursor();
            let index = run.index();
            let statuses: usize = states
                .iter()
                .map(|&s| usize::from(index.summary_at(s, cursor).status().is_some()))
                .sum();
            let transitions = index.transitions_at(cursor).len();
            let active = index.active_at(cursor).count();
            let variables = index.variables_at(0, cursor).len();
            black_box((statuses, transitions, active, variables))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
