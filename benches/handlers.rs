//! Local handlers under load: a 10,000-item inline Map whose iterations each call a trivial
//! Python Lambda handler (`def handler(event, context): return event`) through a long-lived
//! worker. Goal: ≥ 2,000 invocations/s. Criterion reports the throughput in invocations
//! (elements) per second; the same Map answered by an echo mock is measured alongside, to
//! separate the engine's share from the workers'.

// Measured with the allocator the `asl-studio` binary ships with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use asl_studio::asl::model::StateMachine;
use asl_studio::engine::backends::{
    HandlerBackend, HandlersFile, MockBackend, RunLog, SharedBackend, UnmockedPolicy,
};
use asl_studio::engine::{Execution, ExecutionOptions, ExecutionStatus, WorkflowType};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

const ITEMS: u64 = 10_000;

fn map_over_handler() -> Value {
    json!({"QueryLanguage": "JSONata", "StartAt": "Each", "States": {"Each": {"Type": "Map",
        "Items": format!("{{% [1..{ITEMS}] %}}"),
        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Call",
            "States": {"Call": {"Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:identity",
                "End": true}}},
        "Output": "{% $count($states.result) %}",
        "End": true}}})
}

fn options() -> ExecutionOptions {
    ExecutionOptions {
        workflow_type: WorkflowType::Express,
        keep_history: false,
        ..ExecutionOptions::default()
    }
}

/// Runs the Map to its end; the output is the number of results.
fn run(machine: &StateMachine, backend: SharedBackend) -> Option<u64> {
    let mut execution = Execution::with_backend(machine, json!({}), options(), backend).ok()?;
    execution.run();
    if execution.status() != ExecutionStatus::Succeeded {
        eprintln!("the run failed: {:?}", execution.failure());
        return None;
    }
    execution.output().and_then(Value::as_u64)
}

fn python_available() -> bool {
    std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

fn bench(c: &mut Criterion) {
    let Ok(machine) = StateMachine::from_value(&map_over_handler()) else {
        return;
    };
    let mut group = c.benchmark_group("10,000-item Map over a Python handler");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(ITEMS));

    // The engine alone: the same Map, each task answered at once by an echo mock.
    group.bench_function("echo mock (engine only)", |b| {
        b.iter(|| run(&machine, Arc::new(MockBackend::new(UnmockedPolicy::Echo))))
    });

    if !python_available() {
        eprintln!("skipped the handler benchmarks: `python3` is not installed");
        group.finish();
        return;
    }
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let script = dir.path().join("identity.py");
    if std::fs::write(&script, "def handler(event, context):\n    return event\n").is_err() {
        return;
    }
    let file = json!({"Handlers": {"identity": {"Python": "identity.py:handler"}}});
    let Ok(handlers) = HandlersFile::from_value(&file, dir.path()) else {
        return;
    };
    let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut counts = vec![1, cpus];
    if cpus < 4 {
        counts.push(4);
    }
    for workers in counts {
        // One backend per setting, its workers warm across iterations (as in a session
        // where the same workflow runs again and again); the first run starts them.
        let backend: SharedBackend = Arc::new(HandlerBackend::with_max_workers(
            handlers.clone(),
            Arc::new(MockBackend::new(UnmockedPolicy::Fail)),
            RunLog::new(),
            workers,
        ));
        if run(&machine, backend.clone()) != Some(ITEMS) {
            eprintln!("the Map did not return {ITEMS} results");
            continue;
        }
        group.bench_function(format!("{workers} worker process(es)"), |b| {
            b.iter(|| run(&machine, backend.clone()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
