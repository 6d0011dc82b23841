//! The data flow of every state visit (`ExecutionOptions::record_stages`): what the debugger
//! shows, recorded in a whole run, Map iterations and Parallel branches included.

use asl_studio::asl::model::StateMachine;
use asl_studio::engine::{Execution, ExecutionOptions, Scope, Stage};
use serde_json::{Value, json};

fn recorded(definition: Value, input: Value) -> Execution {
    let machine = StateMachine::from_value(&definition).unwrap();
    let options = ExecutionOptions {
        record_stages: true,
        ..ExecutionOptions::default()
    };
    let mut execution = Execution::new(&machine, input, options).unwrap();
    execution.run();
    execution
}

#[test]
fn every_visit_of_a_run_is_recorded_with_its_scope() {
    let definition = json!({"StartAt": "Prepare", "States": {
        "Prepare": {"Type": "Pass", "Parameters": {"items.$": "$.values"}, "ResultPath": "$.p", "Next": "Each"},
        "Each": {"Type": "Map", "ItemsPath": "$.p.items",
            "ItemProcessor": {"StartAt": "Double", "States": {
                "Double": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($, $)"}, "End": true}}},
            "ResultPath": "$.doubled", "Next": "Done"},
        "Done": {"Type": "Succeed", "OutputPath": "$.doubled"}}});
    let execution = recorded(definition, json!({"values": [1, 2]}));
    assert_eq!(execution.output(), Some(&json!([{"v": 2}, {"v": 4}])));
    let visits = execution.visits();
    let names: Vec<&str> = visits.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Prepare", "Each", "Double", "Double", "Done"]);
    let prepare = &visits[0];
    assert_eq!(
        prepare.stage(Stage::AfterParameters),
        Some(&json!({"items": [1, 2]}))
    );
    assert_eq!(prepare.next_state.as_deref(), Some("Each"));
    let second = &visits[3];
    assert_eq!(
        second.scope,
        [Scope::State("Each".into()), Scope::Iteration(1)]
    );
    assert_eq!(second.output(), Some(&json!({"v": 4})));
    let map = &visits[1];
    assert_eq!(map.stage(Stage::AfterItemsPath), Some(&json!([1, 2])));
    assert_eq!(map.stage(Stage::Result), Some(&json!([{"v": 2}, {"v": 4}])));
    assert!(map.ended);
    // Stages are stamped with the event they ran after: time travel shows them in order.
    let stamps: Vec<u64> = map.stages.iter().map(|r| r.at_event).collect();
    assert!(stamps.windows(2).all(|w| w[0] <= w[1]), "{stamps:?}");
    assert!(stamps.last() > stamps.first());
}

#[test]
fn a_failure_is_recorded_at_its_stage_with_its_handling() {
    let definition = json!({"StartAt": "Pick", "States": {
        "Pick": {"Type": "Pass", "InputPath": "$.missing", "End": true}}});
    let execution = recorded(definition, json!({}));
    let failure = execution.visits()[0].failure.clone().expect("a failure");
    assert_eq!(failure.stage, Stage::AfterInputPath);
    assert_eq!(failure.error.as_deref(), Some("States.Runtime"));
}

#[test]
fn nothing_is_recorded_unless_asked() {
    let machine = StateMachine::from_value(
        &json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}),
    )
    .unwrap();
    let mut execution = Execution::new(&machine, json!({}), ExecutionOptions::default()).unwrap();
    execution.run();
    assert!(execution.visits().is_empty());
}
