//! Generated state machines of any size, for benchmarks and stress tests.

use serde_json::{Map, Value, json};

/// A valid JSONPath machine with `states` states: chains of Pass and Task states, a Choice every
/// ten states that loops back or goes on, and a Parallel and a Map every fifty.
pub fn large_definition(states: usize) -> Value {
    let states = states.max(2);
    let mut map = Map::new();
    let name = |i: usize| format!("State {i:04}");
    let mut i = 0;
    while i < states - 1 {
        let next = name(i + 1);
        let state = match i % 50 {
            10 => json!({"Type": "Parallel", "Branches": [
                {"StartAt": format!("Branch A {i}"), "States": {format!("Branch A {i}"): {"Type": "Pass", "End": true}}},
                {"StartAt": format!("Branch B {i}"), "States": {format!("Branch B {i}"): {"Type": "Wait", "Seconds": 1, "End": true}}}
            ], "ResultPath": "$.parallel", "Next": next}),
            20 => json!({"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 4,
                "ItemProcessor": {"StartAt": format!("Item {i}"), "States": {format!("Item {i}"): {"Type": "Pass", "Parameters": {"value.$": "$"}, "End": true}}},
                "ResultPath": "$.mapped", "Next": next}),
            n if n % 10 == 9 && i >= 9 => json!({"Type": "Choice", "Choices": [
                {"Variable": "$.counter", "NumericLessThan": 0, "Next": name(i - 9)},
                {"And": [{"Variable": "$.flag", "IsPresent": true}, {"Variable": "$.flag", "BooleanEquals": true}], "Next": next.clone()}
            ], "Default": next}),
            n if n % 3 == 0 => json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:Work", "Payload.$": "$"},
                "ResultSelector": {"body.$": "$.Payload"}, "ResultPath": "$.result",
                "Retry": [{"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2.0}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": name(states - 1)}],
                "Next": next}),
            _ => {
                json!({"Type": "Pass", "Parameters": {"step": i, "input.$": "$", "at.$": "$$.State.EnteredTime"}, "Next": next})
            }
        };
        map.insert(name(i), state);
        i += 1;
    }
    map.insert(name(states - 1), json!({"Type": "Succeed"}));
    json!({"Comment": format!("Generated machine with {states} states"), "StartAt": name(0), "States": map})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::document::Format;
    use crate::asl::validate::{Options, validate_text};

    #[test]
    fn generated_machines_are_valid() {
        for size in [2, 37, 500] {
            let text = serde_json::to_string_pretty(&large_definition(size)).unwrap();
            let errors: Vec<_> = validate_text(&text, Format::Json, &Options::default())
                .into_iter()
                .filter(|d| d.is_error())
                .collect();
            assert!(errors.is_empty(), "{size}: {errors:?}");
            assert_eq!(
                large_definition(size)["States"].as_object().unwrap().len(),
                size
            );
        }
    }
}
