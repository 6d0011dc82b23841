//! Executions that do not keep their history: big runs whose events nobody reads.

use asl_studio::asl::model::StateMachine;
use asl_studio::engine::{Execution, ExecutionOptions, ExecutionStatus, Step, WorkflowType};
use serde_json::json;

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
