use super::*;
use serde_json::json;

fn machine(value: Value) -> StateMachine {
    StateMachine::from_value(&value).unwrap()
}

#[test]
fn reads_top_level_fields_and_keeps_unknown_ones() {
    let m = machine(json!({
        "Comment": "c", "StartAt": "A", "QueryLanguage": "JSONata", "TimeoutSeconds": 30,
        "Version": "1.0", "X-Custom": {"keep": true},
        "States": {"A": {"Type": "Succeed", "Vendor": 1}}
    }));
    assert_eq!(m.comment.as_deref(), Some("c"));
    assert_eq!(m.start_at, "A");
    assert_eq!(m.language(), QueryLanguage::Jsonata);
    assert_eq!(m.timeout_seconds, Some(30));
    assert_eq!(m.version.as_deref(), Some("1.0"));
    assert_eq!(m.extra.get("X-Custom"), Some(&json!({"keep": true})));
    let a = m.state("A").unwrap();
    assert_eq!(a.kind, StateKind::Succeed);
    assert_eq!(a.extra.get("Vendor"), Some(&json!(1)));
    assert_eq!(a.pointer, "/States/A");
}

#[test]
fn rejects_non_objects_and_missing_states() {
    assert_eq!(
        StateMachine::from_value(&json!([])),
        Err(ModelError::NotAnObject)
    );
    assert_eq!(
        StateMachine::from_value(&json!({"StartAt": "A"})),
        Err(ModelError::NoStates)
    );
}

#[test]
fn reads_task_with_error_handling_and_dynamic_timeouts() {
    let m = machine(json!({"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "TimeoutSecondsPath": "$.t", "HeartbeatSeconds": 10,
        "Retry": [{"ErrorEquals": ["States.ALL"], "MaxDelaySeconds": 5, "JitterStrategy": "FULL"}],
        "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "F", "ResultPath": null}],
        "Next": "F"
    }, "F": {"Type": "Fail", "Error": "E", "CausePath": "$.c"}}}));
    let t = m.state("T").unwrap();
    let StateKind::Task(task) = &t.kind else {
        panic!("task expected")
    };
    assert_eq!(task.pattern(), IntegrationPattern::WaitForTaskToken);
    assert_eq!(task.timeout, Some(NumberField::Path("$.t".into())));
    assert_eq!(task.heartbeat, Some(NumberField::Number(10.into())));
    let retrier = &task.retry[0];
    assert_eq!(
        (
            retrier.interval_seconds,
            retrier.max_attempts,
            retrier.backoff_rate
        ),
        (1, 3, 2.0)
    );
    assert_eq!(retrier.max_delay_seconds, Some(5));
    assert_eq!(retrier.jitter_strategy, JitterStrategy::Full);
    assert_eq!(task.catch[0].result_path, Some(None));
    assert_eq!(t.successors(), vec!["F", "F"]);
    let StateKind::Fail(fail) = &m.state("F").unwrap().kind else {
        panic!("fail expected")
    };
    assert_eq!(fail.error.as_deref(), Some("E"));
    assert_eq!(fail.cause_path.as_deref(), Some("$.c"));
}

#[test]
fn reads_every_choice_form() {
    let m = machine(
        json!({"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
        {"Variable": "$.a", "NumericGreaterThanPath": "$.b", "Next": "X"},
        {"And": [{"Variable": "$.s", "StringMatches": "a*"}, {"Not": {"Variable": "$.n", "IsNull": true}}], "Next": "X"},
        {"Condition": "{% $states.input.x %}", "Next": "X", "Assign": {"v": 1}},
        {"Variable": "$.x", "Next": "X"}
    ], "Default": "X"}, "X": {"Type": "Succeed"}}}),
    );
    let StateKind::Choice(choice) = &m.state("C").unwrap().kind else {
        panic!("choice expected")
    };
    assert_eq!(
        choice.choices[0].condition,
        Condition::Comparison(Comparison {
            variable: "$.a".into(),
            operator: ComparisonOperator::NumericGreaterThan,
            value: ComparisonValue::Path("$.b".into()),
        })
    );
    let Condition::And(parts) = &choice.choices[1].condition else {
        panic!("and expected")
    };
    assert!(matches!(parts[1], Condition::Not(_)));
    assert!(matches!(choice.choices[2].condition, Condition::Jsonata(_)));
    assert_eq!(choice.choices[2].assign, Some(json!({"v": 1})));
    assert_eq!(choice.choices[3].condition, Condition::Invalid);
    assert_eq!(choice.default.as_deref(), Some("X"));
}

#[test]
fn operators_know_their_path_forms() {
    assert_eq!(
        ComparisonOperator::parse("StringEqualsPath"),
        Some((ComparisonOperator::StringEquals, true))
    );
    assert_eq!(
        ComparisonOperator::parse("IsNull"),
        Some((ComparisonOperator::IsNull, false))
    );
    assert_eq!(ComparisonOperator::parse("IsNullPath"), None);
    assert_eq!(ComparisonOperator::parse("StringMatchesPath"), None);
    assert_eq!(ComparisonOperator::ALL.len(), 23);
}

#[test]
fn reads_wait_forms() {
    for (field, value, expected) in [
        (
            "Seconds",
            json!(5),
            WaitFor::Seconds(NumberField::Number(5.into())),
        ),
        (
            "SecondsPath",
            json!("$.s"),
            WaitFor::Seconds(NumberField::Path("$.s".into())),
        ),
        (
            "Timestamp",
            json!("2024-01-01T00:00:00Z"),
            WaitFor::Timestamp("2024-01-01T00:00:00Z".into()),
        ),
        (
            "TimestampPath",
            json!("$.t"),
            WaitFor::TimestampPath("$.t".into()),
        ),
        (
            "Seconds",
            json!("{% $x %}"),
            WaitFor::Seconds(NumberField::Jsonata("{% $x %}".into())),
        ),
    ] {
        let m = machine(
            json!({"StartAt": "W", "States": {"W": {"Type": "Wait", field: value, "End": true}}}),
        );
        let StateKind::Wait(wait) = &m.state("W").unwrap().kind else {
            panic!("wait expected")
        };
        assert_eq!(wait.wait_for, Some(expected));
    }
}

#[test]
fn reads_nested_parallel_and_map_with_pointers() {
    let m = machine(json!({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Branches": [
            {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2,
                "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                    "StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}},
                "ItemBatcher": {"MaxItemsPerBatch": 10}, "Label": "L", "End": true}}}
        ], "End": true}
    }}));
    let walked: Vec<_> = m.walk().iter().map(|(_, s)| s.pointer.clone()).collect();
    assert_eq!(
        walked,
        vec![
            "/States/P",
            "/States/P/Branches/0/States/M",
            "/States/P/Branches/0/States/M/ItemProcessor/States/I",
        ]
    );
    let (_, map_state) = m.walk()[1];
    let StateKind::Map(map) = &map_state.kind else {
        panic!("map expected")
    };
    assert_eq!(map.mode(), MapMode::Distributed);
    assert_eq!(
        map.processor.as_ref().unwrap().execution_type.as_deref(),
        Some("EXPRESS")
    );
    assert_eq!(map.items_path, Some(Some("$.items".into())));
    assert_eq!(map.max_concurrency, Some(NumberField::Number(2.into())));
    assert_eq!(
        map.item_batcher.as_ref().unwrap().max_items_per_batch,
        Some(NumberField::Number(10.into()))
    );
    assert_eq!(map.label.as_deref(), Some("L"));
}

#[test]
fn legacy_iterator_and_parameters_are_read() {
    let m = machine(
        json!({"StartAt": "M", "States": {"M": {"Type": "Map", "Parameters": {"x.$": "$$.Map.Item.Value"},
        "Iterator": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}, "End": true}}}),
    );
    let StateKind::Map(map) = &m.state("M").unwrap().kind else {
        panic!("map expected")
    };
    assert!(map.processor.as_ref().unwrap().legacy_iterator);
    assert_eq!(map.item_selector, Some(json!({"x.$": "$$.Map.Item.Value"})));
}

#[test]
fn unknown_types_are_kept() {
    let m = machine(json!({"StartAt": "A", "States": {"A": {"Type": "Teleport"}, "B": 3}}));
    assert_eq!(
        m.state("A").unwrap().kind,
        StateKind::Unknown(Some("Teleport".into()))
    );
    assert_eq!(m.state("B").unwrap().kind, StateKind::Unknown(None));
}
