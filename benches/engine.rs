//! The interpreter: a 10,000-state Pass chain (goal ≤ 50 ms as a whole process) and a
//! 100,000-item inline Map of one Pass with Parameters (goal ≤ 0.3 s, ≤ 150 MB as a process).

// Measured with the allocator the `asl-studio` binary ships with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use asl_studio::asl::document::{Document, Format};
use asl_studio::asl::model::StateMachine;
use asl_studio::asl::validate::{Options, validate};
use asl_studio::engine::{Execution, ExecutionOptions, WorkflowType};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Map, Value, json};
use std::hint::black_box;

pub fn pass_chain(states: usize) -> Value {
    let mut map = Map::new();
    for i in 0..states {
        let state = if i + 1 < states {
            json!({"Type": "Pass", "Next": format!("S{}", i + 1)})
        } else {
            json!({"Type": "Pass", "End": true})
        };
        map.insert(format!("S{i}"), state);
    }
    json!({"StartAt": "S0", "States": map})
}

fn map_of_pass() -> Value {
    json!({"StartAt": "Map", "States": {"Map": {"Type": "Map",
        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "P",
            "States": {"P": {"Type": "Pass", "Parameters": {"value.$": "$"}, "End": true}}},
        "End": true}}})
}

fn lean() -> ExecutionOptions {
    ExecutionOptions {
        workflow_type: WorkflowType::Express,
        payload_limit: None,
        keep_history: false,
        ..ExecutionOptions::default()
    }
}

fn bench(c: &mut Criterion) {
    let chain = pass_chain(10_000);
    let chain_text = serde_json::to_string_pretty(&chain).unwrap_or_default();
    let chain_machine = StateMachine::from_value(&chain).ok();
    c.bench_function("parse+validate 10,000-state chain", |b| {
        b.iter(|| {
            let doc = Document::parse(black_box(chain_text.as_str()), Format::Json).ok();
            doc.map(|d| validate(&d, &Options::default()).len())
        })
    });
    if let Some(machine) = &chain_machine {
        c.bench_function("run 10,000-state Pass chain", |b| {
            b.iter(|| {
                let mut execution =
                    Execution::new(machine, json!({}), ExecutionOptions::default()).ok();
                execution.as_mut().map(|e| e.run().is_null())
            })
        });
        c.bench_function("run 10,000-state Pass chain, recording stages", |b| {
            let recording = ExecutionOptions {
                record_stages: true,
                ..ExecutionOptions::default()
            };
            b.iter(|| {
                let mut execution = Execution::new(machine, json!({}), recording.clone()).ok();
                execution.as_mut().map(|e| e.run().is_null())
            })
        });
    }
    let items = Value::Array((0..100_000).map(Value::from).collect());
    if let Ok(machine) = StateMachine::from_value(&map_of_pass()) {
        let mut group = c.benchmark_group("map");
        group.sample_size(10);
        group.bench_function("run 100,000-item inline Map (Express)", |b| {
            b.iter(|| {
                let mut execution = Execution::new(&machine, items.clone(), lean()).ok();
                execution
                    .as_mut()
                    .map(|e| e.history().len() + usize::from(e.run().is_array()))
            })
        });
        // The data flow of every state visit, as the debugger and TestState record it.
        group.bench_function("run 100,000-item inline Map, recording stages", |b| {
            let recording = ExecutionOptions {
                record_stages: true,
                ..lean()
            };
            b.iter(|| {
                let mut execution = Execution::new(&machine, items.clone(), recording.clone()).ok();
                execution
                    .as_mut()
                    .map(|e| e.visits().len() + usize::from(e.run().is_array()))
            })
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
