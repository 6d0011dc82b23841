//! A test case that pins down what a run did: its definition, its input, every answer its
//! tasks got (as mocks, whatever gave them: mocks, the person at the debugger, local code) and
//! its result. `asl-studio test` runs it again and compares.

use crate::engine::{EventKind, Execution, ExecutionStatus, HistoryEvent, Places};
use rustc_hash::FxHashMap;
use serde_json::{Map as JsonMap, Value, json};

/// The test-case file of a finished run (`definition_file` relative to where it is saved).
pub fn record_case(name: &str, definition_file: &str, execution: &Execution) -> Value {
    let mut expected = JsonMap::new();
    expected.insert("status".into(), json!(execution.status().as_str()));
    match execution.status() {
        ExecutionStatus::Succeeded => {
            expected.insert(
                "output".into(),
                execution.output().cloned().unwrap_or(Value::Null),
            );
        }
        _ => {
            if let Some(failure) = execution.failure() {
                if let Some(error) = &failure.error {
                    expected.insert("error".into(), json!(error));
                }
                if let Some(cause) = &failure.cause {
                    expected.insert("cause".into(), json!(cause));
                }
            }
        }
    }
    let mut case = JsonMap::new();
    case.insert("name".into(), json!(name));
    case.insert("definitionFile".into(), json!(definition_file));
    case.insert("input".into(), execution.input().clone());
    let mocks = mocks_from_history(execution.history(), execution.places());
    if mocks.as_object().is_some_and(|m| !m.is_empty()) {
        case.insert("mocks".into(), mocks);
    }
    let context = &execution.options();
    case.insert(
        "context".into(),
        json!({"Execution": {"Name": context.name}, "StateMachine": {"Name": context.state_machine_name}}),
    );
    case.insert("expected".into(), Value::Object(expected));
    Value::Object(case)
}

/// Every task answer of a run, as per-state mocks (`{"State": {"0": {"Return": ...}}}`),
/// numbered as the engine numbers invocations (in the order the tasks started).
pub fn mocks_from_history(history: &[HistoryEvent], places: Option<&Places>) -> Value {
    let state_of = |event: &HistoryEvent| -> Option<String> {
        let place = places?.of(event.id)?;
        places?.state_name(place.state?).map(str::to_string)
    };
    let scope_of =
        |event: &HistoryEvent| places.and_then(|p| p.of(event.id)).map_or(0, |p| p.scope);
    let mut counters: FxHashMap<String, u64> = FxHashMap::default();
    // The invocation running in each (scope, state), with the task's timeout.
    let mut running: FxHashMap<(u32, String), (u64, Option<u64>)> = FxHashMap::default();
    let mut timeouts: FxHashMap<(u32, String), Option<u64>> = FxHashMap::default();
    let mut mocks: JsonMap<String, Value> = JsonMap::new();
    for event in history {
        let Some(state) = state_of(event) else {
            continue;
        };
        let key = (scope_of(event), state.clone());
        let answer = match &event.kind {
            EventKind::TaskScheduled(scheduled) => {
                timeouts.insert(key, scheduled.timeout_seconds);
                continue;
            }
            EventKind::TaskStarted { .. } => {
                let counter = counters.entry(state).or_insert(0);
                let timeout = timeouts.get(&key).copied().flatten();
                running.insert(key, (*counter, timeout));
                *counter += 1;
                continue;
            }
            EventKind::TaskSucceeded { output, .. } => json!({"Return": output.as_ref()}),
            EventKind::TaskFailed { error, cause, .. } => {
                let mut thrown = JsonMap::new();
                if let Some(error) = error {
                    thrown.insert("Error".into(), json!(error));
                }
                if let Some(cause) = cause {
                    thrown.insert("Cause".into(), json!(cause));
                }
                json!({"Throw": thrown})
            }
            // A mock reproduces a time-out by answering after the task's limit.
            EventKind::TaskTimedOut { .. } => {
                let limit = running
                    .get(&key)
                    .and_then(|(_, t)| *t)
                    .unwrap_or(99_999_999);
                json!({"Return": {}, "DelaySeconds": limit + 1})
            }
            _ => continue,
        };
        let Some((invocation, _)) = running.remove(&key) else {
            continue;
        };
        let entry = mocks
            .entry(key.1)
            .or_insert_with(|| Value::Object(JsonMap::new()));
        if let Value::Object(answers) = entry {
            answers.insert(invocation.to_string(), answer);
        }
    }
    Value::Object(mocks)
}
