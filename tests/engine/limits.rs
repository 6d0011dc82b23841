//! Limits (the event cap, timeouts), stepping and time travel, and executions that do not
//! keep their history (big runs whose events nobody reads).

use asl_studio::asl::model::StateMachine;
use asl_studio::engine::{Execution, ExecutionOptions, ExecutionStatus, Step, WorkflowType};
use serde_json::{Value, json};

use super::{execution, failure, run, run_with_mocks, seconds, types};

#[test]
fn standard_executions_stop_at_the_event_cap() {
    let endless = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}});
    let e = run(endless.clone(), json!({}));
    assert_eq!(e.history().len(), 25_000);
    assert_eq!(failure(&e).0, "States.Runtime");
    let machine = StateMachine::from_value(&endless).unwrap();
    let express = ExecutionOptions {
        workflow_type: WorkflowType::Express,
        max_events: Some(40_000),
        ..ExecutionOptions::default()
    };
    let mut e = Execution::new(&machine, json!({}), express).unwrap();
    e.run();
    assert_eq!(e.history().len(), 40_000);
}

#[test]
fn state_machine_timeout_times_the_execution_out() {
    let e = run(
        json!({"TimeoutSeconds": 60, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}),
        json!({}),
    );
    assert_eq!(e.status(), ExecutionStatus::TimedOut);
    assert_eq!(seconds(&e), 60);
    assert_eq!(
        types(&e).last().map(String::as_str),
        Some("ExecutionTimedOut")
    );
}

#[test]
fn step_adds_exactly_one_event_and_clones_diverge() {
    let mut e = execution(
        json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Result": "b", "End": true}}}),
        json!({}),
        json!({}),
    );
    let mut count = 0;
    while let Step::Event(event) = e.step() {
        count += 1;
        assert_eq!(e.history().len(), count);
        assert_eq!(event.id as usize, count);
        if count == 3 {
            let mut snapshot = e.clone();
            snapshot.run();
            assert_eq!(snapshot.history().len(), 6);
            assert_eq!(e.history().len(), 3, "the original is unaffected");
        }
    }
    assert_eq!(count, 6);
    assert!(matches!(e.step(), Step::Finished));
}

#[test]
fn abort_ends_the_execution() {
    let mut e = execution(
        json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": true}}}),
        json!({}),
        json!({}),
    );
    e.step();
    e.abort(Some("User".into()), Some("stopped".into()));
    assert_eq!(e.status(), ExecutionStatus::Aborted);
    assert_eq!(
        types(&e).last().map(String::as_str),
        Some("ExecutionAborted")
    );
}

#[test]
fn oversized_input_is_refused_before_starting() {
    let machine =
        StateMachine::from_value(&json!({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}))
            .unwrap();
    assert!(
        Execution::new(
            &machine,
            json!("x".repeat(300_000)),
            ExecutionOptions::default()
        )
        .is_err()
    );
}

#[test]
fn slow_tasks_time_out_and_miss_heartbeats() {
    let task = |extra: Value| {
        let mut state =
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true});
        if let (Some(state), Some(extra)) = (state.as_object_mut(), extra.as_object()) {
            state.extend(extra.clone());
        }
        json!({"StartAt": "T", "States": {"T": state}})
    };
    let slow = json!({"T": {"0": {"Return": {"done": true}, "DelaySeconds": 90}}});
    let e = run_with_mocks(task(json!({})), json!({}), slow.clone());
    assert_eq!((e.status(), seconds(&e)), (ExecutionStatus::Succeeded, 90));
    let e = run_with_mocks(task(json!({"TimeoutSeconds": 60})), json!({}), slow.clone());
    assert_eq!(failure(&e).0, "States.Timeout");
    assert_eq!(seconds(&e), 60);
    assert!(types(&e).contains(&"TaskTimedOut".to_string()));
    let e = run_with_mocks(
        task(json!({"TimeoutSeconds": 120, "HeartbeatSeconds": 30})),
        json!({}),
        slow.clone(),
    );
    // A missed heartbeat is recorded as States.Timeout, as AWS does.
    assert_eq!(
        (failure(&e).0.as_str(), seconds(&e)),
        ("States.Timeout", 30)
    );
    let e = run_with_mocks(
        task(
            json!({"TimeoutSeconds": 60, "Retry": [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 5, "MaxAttempts": 1}]}),
        ),
        json!({}),
        json!({"T": {"0": {"Return": 1, "DelaySeconds": 90}, "1": {"Return": 2, "DelaySeconds": 10}}}),
    );
    assert_eq!((e.output(), seconds(&e)), (Some(&json!(2)), 60 + 5 + 10));
}

fn map_of_pass() -> StateMachine {
    StateMachine::from_value(&json!({"StartAt": "M", "States": {"M": {
        "Type": "Map",
        "ItemProcessor": {"StartAt": "P", "States": {"P": {
            "Type": "Pass", "Parameters": {"value.$": "$"}, "End": true}}},
        "End": true}}}))
    .unwrap()
}

#[test]
fn without_history_only_the_latest_event_is_kept_and_results_match() {
    let machine = map_of_pass();
    let input = json!([1, 2, 3, 4, 5]);
    let mut full = Execution::new(&machine, input.clone(), ExecutionOptions::default()).unwrap();
    full.run();
    let lean_options = ExecutionOptions {
        keep_history: false,
        ..ExecutionOptions::default()
    };
    let mut lean = Execution::new(&machine, input, lean_options).unwrap();
    let mut stepped = Vec::new();
    while let Step::Event(event) = lean.step() {
        assert_eq!(lean.history().len(), 1, "only the latest event is kept");
        assert_eq!(lean.history()[0].id, event.id);
        stepped.push(*event);
    }
    assert_eq!(lean.status(), ExecutionStatus::Succeeded);
    assert_eq!(lean.output(), full.output());
    assert_eq!(lean.event_count(), full.history().len() as u64);
    // Every event was handed out once, with the ids, links and payloads of the full history.
    assert_eq!(stepped.len(), full.history().len());
    assert_eq!(stepped, full.history());
}

#[test]
fn without_history_the_event_cap_still_applies() {
    let endless = StateMachine::from_value(&json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}}))
    .unwrap();
    let options = ExecutionOptions {
        workflow_type: WorkflowType::Express,
        max_events: Some(1_000),
        keep_history: false,
        ..ExecutionOptions::default()
    };
    let mut e = Execution::new(&endless, json!({}), options).unwrap();
    e.run();
    assert_eq!(e.status(), ExecutionStatus::Failed);
    assert_eq!(e.event_count(), 1_000);
    assert_eq!(e.history().len(), 1);
    assert_eq!(
        e.history()[0].kind.type_name(),
        "ExecutionFailed",
        "the latest event is the failure"
    );
}
