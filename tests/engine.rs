//! The interpreter, per state type, data-flow stage and error path, written from the AWS
//! developer guide (concepts-states, input-output processing, error handling, quotas).

use asl_studio::asl::model::StateMachine;
use asl_studio::engine::backends::{MockBackend, UnmockedPolicy};
use asl_studio::engine::{ClockMode, Execution, ExecutionOptions, ExecutionStatus, Step};
use serde_json::{Value, json};
use std::sync::Arc;

#[path = "engine/limits.rs"]
mod limits;
#[path = "engine/stages.rs"]
mod stages;
#[path = "engine/tasks.rs"]
mod tasks;

fn execution(definition: Value, input: Value, mocks: Value) -> Execution {
    let machine = StateMachine::from_value(&definition).unwrap();
    let backend = MockBackend::from_state_mocks(&mocks, UnmockedPolicy::Fail).unwrap();
    Execution::with_backend(
        &machine,
        input,
        ExecutionOptions::default(),
        Arc::new(backend),
    )
    .unwrap()
}

fn run(definition: Value, input: Value) -> Execution {
    run_with_mocks(definition, input, json!({}))
}

fn run_with_mocks(definition: Value, input: Value, mocks: Value) -> Execution {
    let mut e = execution(definition, input, mocks);
    e.run();
    e
}

fn types(e: &Execution) -> Vec<String> {
    e.history()
        .iter()
        .map(|event| event.kind.type_name())
        .collect()
}

fn seconds(e: &Execution) -> i64 {
    (e.now() - e.options().start_time).num_seconds()
}

fn failure(e: &Execution) -> (String, String) {
    let f = e.failure().expect("a failure");
    (
        f.error.clone().unwrap_or_default(),
        f.cause.clone().unwrap_or_default(),
    )
}

// ------------------------------------------------------------------ Pass and data flow

#[test]
fn pass_applies_input_path_parameters_result_path_output_path() {
    let e = run(
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass",
            "InputPath": "$.order", "Parameters": {"id.$": "$.id", "static": 1, "at.$": "$$.State.Name"},
            "ResultPath": "$.summary", "OutputPath": "$.summary", "End": true}}}),
        json!({"order": {"id": "o-1", "items": 3}}),
    );
    assert_eq!(e.status(), ExecutionStatus::Succeeded);
    assert_eq!(
        e.output(),
        Some(&json!({"id": "o-1", "static": 1, "at": "P"}))
    );
}

#[test]
fn result_path_merges_into_the_raw_input_and_null_discards() {
    let definition = |result_path: Value| json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"r": 1}, "ResultPath": result_path, "End": true}}});
    assert_eq!(
        run(definition(json!("$.deep.er")), json!({"a": 1})).output(),
        Some(&json!({"a": 1, "deep": {"er": {"r": 1}}}))
    );
    assert_eq!(
        run(definition(Value::Null), json!({"a": 1})).output(),
        Some(&json!({"a": 1}))
    );
    assert_eq!(
        run(definition(json!("$")), json!({"a": 1})).output(),
        Some(&json!({"r": 1}))
    );
}

#[test]
fn null_input_and_output_paths_give_empty_objects() {
    let e = run(
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": null, "End": true}}}),
        json!({"a": 1}),
    );
    assert_eq!(e.output(), Some(&json!({})));
    let e = run(
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "OutputPath": null, "End": true}}}),
        json!({"a": 1}),
    );
    assert_eq!(e.output(), Some(&json!({})));
}

#[test]
fn a_missing_input_path_fails_with_states_runtime() {
    let e = run(
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.nope", "End": true}}}),
        json!({}),
    );
    let (error, cause) = failure(&e);
    assert_eq!(error, "States.Runtime");
    assert_eq!(
        cause,
        "An error occurred while executing the state 'P' (entered at the event id #2). Invalid path '$.nope' : No results for path: $['nope']"
    );
    assert_eq!(
        types(&e),
        ["ExecutionStarted", "PassStateEntered", "ExecutionFailed"]
    );
}

#[test]
fn intrinsic_functions_run_in_payload_templates() {
    let e = run(
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {
            "greeting.$": "States.Format('Hello, {}!', $.name)",
            "parts.$": "States.StringSplit($.csv, ',')",
            "sum.$": "States.MathAdd($.a, 2)",
            "json.$": "States.JsonToString($.obj)"
        }, "End": true}}}),
        json!({"name": "Ada", "csv": "a,b", "a": 40, "obj": {"k": [1, true]}}),
    );
    assert_eq!(
        e.output(),
        Some(
            &json!({"greeting": "Hello, Ada!", "parts": ["a", "b"], "sum": 42, "json": "{\"k\":[1,true]}"})
        )
    );
}

#[test]
fn the_context_object_describes_the_execution() {
    let e = run(
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$$", "End": true}}}),
        json!({"x": 1}),
    );
    let output = e.output().unwrap();
    assert_eq!(output["Execution"]["Input"], json!({"x": 1}));
    assert_eq!(output["Execution"]["Name"], "local-execution");
    assert_eq!(output["State"]["Name"], "P");
    assert_eq!(output["StateMachine"]["Name"], "LocalStateMachine");
    assert!(
        output["Execution"]["Id"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:states:us-east-1:123456789012:execution:")
    );
}

#[test]
fn payloads_over_256_kib_fail_with_data_limit_exceeded() {
    let big = "x".repeat(300_000);
    let e = run(
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": big, "End": true}}}),
        json!({}),
    );
    assert_eq!(failure(&e).0, "States.DataLimitExceeded");
}

// ------------------------------------------------------------------ Variables

#[test]
fn assigned_variables_are_visible_to_later_states_and_inner_scopes() {
    let e = run(
        json!({"StartAt": "Set", "States": {
            "Set": {"Type": "Pass", "Assign": {"rate": 2, "name.$": "$.who"}, "Next": "Each"},
            "Each": {"Type": "Map", "ItemsPath": "$.values", "ItemProcessor": {"StartAt": "Scale", "States": {
                "Scale": {"Type": "Pass", "Parameters": {"v.$": "$", "rate.$": "$rate", "who.$": "$name"}, "Assign": {"inner": 1}, "End": true}}},
                "Next": "After"},
            "After": {"Type": "Pass", "Parameters": {"rate.$": "$rate", "results.$": "$"}, "End": true}}}),
        json!({"who": "me", "values": [1, 2]}),
    );
    assert_eq!(
        e.output(),
        Some(
            &json!({"rate": 2, "results": [{"v": 1, "rate": 2, "who": "me"}, {"v": 2, "rate": 2, "who": "me"}]})
        )
    );
}

#[test]
fn assign_sees_old_values_until_the_state_exits() {
    let e = run(
        json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Assign": {"n": 1}, "Next": "B"},
            "B": {"Type": "Pass", "Assign": {"n.$": "States.MathAdd($n, 1)", "old.$": "$n"}, "Next": "C"},
            "C": {"Type": "Pass", "Parameters": {"n.$": "$n", "old.$": "$old"}, "End": true}}}),
        json!({}),
    );
    assert_eq!(e.output(), Some(&json!({"n": 2, "old": 1})));
}

// ------------------------------------------------------------------ JSONata

#[test]
fn jsonata_states_use_arguments_output_and_assign() {
    let e = run_with_mocks(
        json!({"QueryLanguage": "JSONata", "StartAt": "Price", "States": {
            "Price": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {"FunctionName": "price", "Payload": {"qty": "{% $states.input.qty %}"}},
                "Assign": {"unit": "{% $states.result.Payload.unit %}"},
                "Output": {"total": "{% $states.result.Payload.unit * $states.input.qty %}"}, "Next": "Done"},
            "Done": {"Type": "Pass", "Output": {"total": "{% $states.input.total %}", "unit": "{% $unit %}"}, "End": true}}}),
        json!({"qty": 3}),
        json!({"Price": {"0": {"Return": {"Payload": {"unit": 5}}}}}),
    );
    assert_eq!(e.output(), Some(&json!({"total": 15, "unit": 5})));
    let scheduled = e
        .history()
        .iter()
        .find(|h| h.kind.type_name() == "TaskScheduled")
        .unwrap()
        .to_aws_json();
    assert_eq!(
        scheduled["taskScheduledEventDetails"]["parameters"],
        "{\"FunctionName\":\"price\",\"Payload\":{\"qty\":3}}"
    );
}

#[test]
fn jsonata_errors_are_evaluation_failures() {
    let e = run(
        json!({"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "Output": "{% $nope() %}", "End": true}}}),
        json!({}),
    );
    assert_eq!(failure(&e).0, "States.QueryEvaluationError");
    assert_eq!(
        types(&e),
        [
            "ExecutionStarted",
            "PassStateEntered",
            "EvaluationFailed",
            "ExecutionFailed"
        ]
    );
}

// ------------------------------------------------------------------ Choice

#[test]
fn choice_takes_the_first_matching_rule_or_the_default() {
    let definition = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [
            {"And": [{"Variable": "$.n", "NumericGreaterThanEquals": 10}, {"Not": {"Variable": "$.tag", "StringMatches": "test-*"}}], "Next": "Big"},
            {"Variable": "$.n", "NumericLessThanPath": "$.limit", "Next": "Small"}],
            "Default": "Other"},
        "Big": {"Type": "Pass", "Result": "big", "End": true},
        "Small": {"Type": "Pass", "Result": "small", "End": true},
        "Other": {"Type": "Pass", "Result": "other", "End": true}}});
    assert_eq!(
        run(definition.clone(), json!({"n": 12, "tag": "prod"})).output(),
        Some(&json!("big"))
    );
    assert_eq!(
        run(
            definition.clone(),
            json!({"n": 12, "tag": "test-1", "limit": 20})
        )
        .output(),
        Some(&json!("small"))
    );
    assert_eq!(
        run(definition, json!({"n": 30, "tag": "test-1", "limit": 20})).output(),
        Some(&json!("other"))
    );
}

#[test]
fn no_matching_rule_without_default_fails() {
    let e = run(
        json!({"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "BooleanEquals": true, "Next": "Y"}]}, "Y": {"Type": "Succeed"}}}),
        json!({"x": false}),
    );
    assert_eq!(failure(&e).0, "States.NoChoiceMatched");
}

// ------------------------------------------------------------------ Wait and the virtual clock

#[test]
fn waits_advance_a_virtual_clock_without_sleeping() {
    let started = std::time::Instant::now();
    let e = run(
        json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 86400, "Next": "W2"}, "W2": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}}),
        json!({"s": 3600}),
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert_eq!(seconds(&e), 86400 + 3600);
    let exited = e
        .history()
        .iter()
        .find(|h| h.kind.type_name() == "WaitStateExited")
        .unwrap();
    assert_eq!(
        (exited.timestamp - e.options().start_time).num_seconds(),
        86400
    );
}

#[test]
fn wait_until_a_timestamp_in_the_past_does_not_wait() {
    let e = run(
        json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Timestamp": "2000-01-01T00:00:00Z", "End": true}}}),
        json!({}),
    );
    assert_eq!((e.status(), seconds(&e)), (ExecutionStatus::Succeeded, 0));
}

#[test]
fn negative_seconds_path_is_a_runtime_error() {
    let e = run(
        json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}}),
        json!({"s": -5}),
    );
    assert!(
        failure(&e)
            .1
            .ends_with("The SecondsPath parameter references a negative value: $.s == -5")
    );
}

#[test]
fn real_time_mode_reports_when_it_can_continue() {
    let machine = StateMachine::from_value(
        &json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 30, "End": true}}}),
    )
    .unwrap();
    let options = ExecutionOptions {
        clock: ClockMode::RealTime,
        start_time: chrono::Utc::now(),
        ..ExecutionOptions::default()
    };
    let mut e = Execution::new(&machine, json!({}), options).unwrap();
    assert!(matches!(e.step(), Step::Event(_)));
    assert!(matches!(e.step(), Step::Event(_)));
    assert!(matches!(e.step(), Step::WaitingUntil(_)));
}

// ------------------------------------------------------------------ Task, Retry, Catch

const FLAKY: &str = "arn:aws:states:::lambda:invoke";

#[test]
fn tasks_record_scheduled_started_and_succeeded() {
    let e = run_with_mocks(
        json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": FLAKY, "Parameters": {"FunctionName": "f", "Payload.$": "$"},
            "ResultSelector": {"body.$": "$.Payload"}, "ResultPath": "$.result", "End": true}}}),
        json!({"in": 1}),
        json!({"T": {"0": {"Return": {"Payload": {"ok": true}, "StatusCode": 200}}}}),
    );
    assert_eq!(
        types(&e),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
    assert_eq!(
        e.output(),
        Some(&json!({"in": 1, "result": {"body": {"ok": true}}}))
    );
}

#[test]
fn retries_back_off_exponentially_then_succeed() {
    let e = run_with_mocks(
        json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": FLAKY,
            "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 2, "BackoffRate": 3.0, "MaxAttempts": 3}], "End": true}}}),
        json!({}),
        json!({"T": {"0-1": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "slow down"}}, "2": {"Return": "done"}}}),
    );
    assert_eq!(e.status(), ExecutionStatus::Succeeded);
    // 2 s after the first failure, 6 s after the second.
    assert_eq!(seconds(&e), 8);
    assert_eq!(
        types(&e).iter().filter(|t| *t == "TaskScheduled").count(),
        3
    );
}

#[test]
fn max_delay_caps_the_backoff() {
    let e = run_with_mocks(
        json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": FLAKY,
            "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "BackoffRate": 10.0, "MaxDelaySeconds": 15, "MaxAttempts": 3}], "End": true}}}),
        json!({}),
        json!({"T": {"0-2": {"Throw": {"Error": "E"}}, "3": {"Return": 1}}}),
    );
    assert_eq!(seconds(&e), 10 + 15 + 15);
}

#[test]
fn exhausted_retries_fall_through_to_catch_with_result_path() {
    let e = run_with_mocks(
        json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": FLAKY, "Retry": [{"ErrorEquals": ["E"], "MaxAttempts": 1}],
                "Catch": [{"ErrorEquals": ["Other"], "Next": "Wrong"}, {"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.error", "Next": "Handled"}], "End": true},
            "Wrong": {"Type": "Fail"},
            "Handled": {"Type": "Pass", "End": true}}}),
        json!({"keep": 1}),
        json!({"T": {"0": {"Throw": {"Error": "E", "Cause": "boom"}}}}),
    );
    assert_eq!(
        e.output(),
        Some(&json!({"keep": 1, "error": {"Error": "E", "Cause": "boom"}}))
    );
    assert_eq!(seconds(&e), 1);
}

#[test]
fn states_all_does_not_catch_runtime_errors() {
    let e = run_with_mocks(
        json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": FLAKY, "ResultSelector": {"x.$": "$.missing"},
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "End": true},
            "Caught": {"Type": "Succeed"}}}),
        json!({}),
        json!({"T": {"0": {"Return": {}}}}),
    );
    assert_eq!(failure(&e).0, "States.Runtime");
}

#[test]
fn unmocked_tasks_fail_clearly_or_echo() {
    let definition = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": FLAKY, "Parameters": {"a": 1}, "End": true}}});
    let e = run(definition.clone(), json!({}));
    assert_eq!(failure(&e).0, "AslStudio.NoBackend");
    let machine = StateMachine::from_value(&definition).unwrap();
    let mut echo = Execution::with_backend(
        &machine,
        json!({}),
        ExecutionOptions::default(),
        Arc::new(MockBackend::new(UnmockedPolicy::Echo)),
    )
    .unwrap();
    echo.run();
    assert_eq!(echo.output(), Some(&json!({"a": 1})));
}

#[test]
fn callback_tasks_get_a_task_token() {
    let e = run_with_mocks(
        json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}, "End": true}}}),
        json!({}),
        json!({"T": {"0": {"Return": {"approved": true}}}}),
    );
    let scheduled = e
        .history()
        .iter()
        .find(|h| h.kind.type_name() == "TaskScheduled")
        .unwrap()
        .to_aws_json();
    let parameters: Value = serde_json::from_str(
        scheduled["taskScheduledEventDetails"]["parameters"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        parameters["MessageBody"]["token"].as_str().unwrap().len(),
        36
    );
    assert_eq!(e.output(), Some(&json!({"approved": true})));
}

// ------------------------------------------------------------------ Parallel and Map

#[test]
fn parallel_branches_run_concurrently_under_the_virtual_clock() {
    let e = run(
        json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 10, "Next": "A2"}, "A2": {"Type": "Pass", "Result": "a", "End": true}}},
            {"StartAt": "B", "States": {"B": {"Type": "Wait", "Seconds": 10, "Next": "B2"}, "B2": {"Type": "Pass", "Result": "b", "End": true}}}]}}}),
        json!({}),
    );
    assert_eq!(e.output(), Some(&json!(["a", "b"])));
    assert_eq!(
        seconds(&e),
        10,
        "branches wait side by side, not one after the other"
    );
}

#[test]
fn a_failing_branch_fails_the_parallel_state() {
    let e = run(
        json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 5, "End": true}}},
            {"StartAt": "B", "States": {"B": {"Type": "Fail", "Error": "Nope", "Cause": "branch B"}}}]}}}),
        json!({}),
    );
    assert_eq!(failure(&e), ("Nope".into(), "branch B".into()));
    assert!(types(&e).contains(&"ParallelStateFailed".to_string()));
}

#[test]
fn map_uses_item_selector_and_the_map_context() {
    let e = run(
        json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items",
            "ItemSelector": {"index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value", "tax.$": "$.tax"},
            "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true}}}),
        json!({"items": ["a", "b"], "tax": 0.2}),
    );
    assert_eq!(
        e.output(),
        Some(
            &json!([{"index": 0, "value": "a", "tax": 0.2}, {"index": 1, "value": "b", "tax": 0.2}])
        )
    );
}

#[test]
fn max_concurrency_limits_iterations_in_flight() {
    let map = |concurrency: u64| {
        json!({"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrency": concurrency,
            "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": true}}}, "End": true}}})
    };
    assert_eq!(seconds(&run(map(1), json!([1, 2, 3, 4]))), 40);
    assert_eq!(seconds(&run(map(2), json!([1, 2, 3, 4]))), 20);
    assert_eq!(seconds(&run(map(0), json!([1, 2, 3, 4]))), 10);
}

#[test]
fn distributed_map_tolerates_failures_and_batches() {
    let definition = |tolerated: u64| {
        json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ToleratedFailureCount": tolerated,
            "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"run": "r1"}},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "C", "States": {
                "C": {"Type": "Choice", "Choices": [{"Variable": "$.Items[0]", "NumericEquals": 3, "Next": "Bad"}], "Default": "Ok"},
                "Bad": {"Type": "Fail", "Error": "BadItem"},
                "Ok": {"Type": "Pass", "End": true}}},
            "End": true}}})
    };
    let tolerant = run(definition(1), json!([1, 2, 3, 4, 5]));
    assert_eq!(tolerant.status(), ExecutionStatus::Succeeded);
    assert_eq!(
        tolerant.output().unwrap()[0],
        json!({"BatchInput": {"run": "r1"}, "Items": [1, 2]})
    );
    assert!(types(&tolerant).contains(&"MapRunStarted".to_string()));
    let strict = run(definition(0), json!([1, 2, 3, 4, 5]));
    assert_eq!(failure(&strict).0, "States.ExceedToleratedFailureThreshold");
}

#[test]
fn item_readers_are_answered_by_the_backend() {
    let e = run_with_mocks(
        json!({"StartAt": "M", "States": {"M": {"Type": "Map",
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
                "Parameters": {"Bucket": "b", "Key": "k.csv"}},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}},
            "End": true}}}),
        json!({}),
        json!({"M": {"0": {"Return": "sku,qty\nA,1\nB,2\n"}}}),
    );
    assert_eq!(
        e.output(),
        Some(&json!([{"sku": "A", "qty": "1"}, {"sku": "B", "qty": "2"}]))
    );
}
