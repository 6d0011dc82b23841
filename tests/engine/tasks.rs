//! Task states as AWS records them (the recordings in `tests/data/taskcases`): event families,
//! submissions, oversized results, error outputs, aborted tasks, concurrent iterations.

use super::{failure, run_with_mocks, types};
use asl_studio::engine::ExecutionStatus;
use serde_json::{Value, json};

const LAMBDA_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:Work";
const SQS_CALLBACK: &str = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";

fn one_task(resource: &str, extra: Value) -> Value {
    let mut state = json!({"Type": "Task", "Resource": resource, "End": true});
    if let (Some(state), Some(extra)) = (state.as_object_mut(), extra.as_object()) {
        state.extend(extra.clone());
    }
    json!({"StartAt": "T", "States": {"T": state}})
}

/// The details of the first event of a type, as GetExecutionHistory gives them.
fn details(e: &asl_studio::engine::Execution, event_type: &str) -> Value {
    e.history()
        .iter()
        .find(|h| h.kind.type_name() == event_type)
        .map(|h| h.to_aws_json())
        .and_then(|json| {
            json.as_object()
                .and_then(|o| o.iter().find(|(k, _)| k.ends_with("EventDetails")))
                .map(|(_, v)| v.clone())
        })
        .unwrap_or(Value::Null)
}

#[test]
fn lambda_function_and_activity_resources_record_their_own_events() {
    let e = run_with_mocks(
        one_task(LAMBDA_ARN, json!({"TimeoutSeconds": 30})),
        json!({"n": 1}),
        json!({"T": {"0": {"Return": {"ok": true}}}}),
    );
    assert_eq!(
        types(&e)[2..5],
        [
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded"
        ]
    );
    assert_eq!(
        details(&e, "LambdaFunctionScheduled")["resource"],
        LAMBDA_ARN
    );
    assert_eq!(details(&e, "LambdaFunctionScheduled")["input"], "{\"n\":1}");
    let activity = "arn:aws:states:us-east-1:123456789012:activity:Approve";
    let e = run_with_mocks(
        one_task(activity, json!({})),
        json!({}),
        json!({"T": {"0": {"Throw": {"Error": "Rejected", "Cause": "no"}, "WorkerName": "clerk"}}}),
    );
    assert_eq!(
        types(&e)[2..5],
        ["ActivityScheduled", "ActivityStarted", "ActivityFailed"]
    );
    assert_eq!(
        details(&e, "ActivityStarted"),
        json!({"workerName": "clerk"})
    );
    assert_eq!(failure(&e), ("Rejected".into(), "no".into()));
}

#[test]
fn callback_and_sync_tasks_are_submitted_before_their_outcome() {
    let definition = one_task(
        SQS_CALLBACK,
        json!({"Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}}),
    );
    let e = run_with_mocks(
        definition.clone(),
        json!({}),
        json!({"T": {"0": {"Return": "done"}}}),
    );
    assert_eq!(
        types(&e)[2..6],
        [
            "TaskScheduled",
            "TaskStarted",
            "TaskSubmitted",
            "TaskSucceeded"
        ]
    );
    // Without a "Submitted" answer, SQS's usual SendMessage response.
    let submitted: Value =
        serde_json::from_str(details(&e, "TaskSubmitted")["output"].as_str().unwrap()).unwrap();
    assert_eq!(submitted["MessageId"].as_str().map(str::len), Some(36));
    assert_eq!(
        submitted["MD5OfMessageBody"].as_str().map(str::len),
        Some(32)
    );
    let e = run_with_mocks(
        definition.clone(),
        json!({}),
        json!({"T": {"0": {"Return": "done", "Submitted": {"MessageId": "m-1"}}}}),
    );
    assert_eq!(
        details(&e, "TaskSubmitted")["output"],
        "{\"MessageId\":\"m-1\"}"
    );
    // A request-response task, or one nothing answers, is never submitted.
    let e = run_with_mocks(
        one_task("arn:aws:states:::sqs:sendMessage", json!({})),
        json!({}),
        json!({"T": {"0": {"Return": {}}}}),
    );
    assert!(!types(&e).contains(&"TaskSubmitted".to_string()));
    let e = run_with_mocks(definition, json!({}), json!({}));
    assert!(!types(&e).contains(&"TaskSubmitted".to_string()));
    // A job that outlives its TimeoutSeconds: submitted, then timed out.
    let e = run_with_mocks(
        one_task(
            "arn:aws:states:::states:startExecution.sync:2",
            json!({"TimeoutSeconds": 5}),
        ),
        json!({}),
        json!({"T": {"0": {"Return": {}, "DelaySeconds": 60}}}),
    );
    assert_eq!(
        types(&e)[3..6],
        ["TaskStarted", "TaskSubmitted", "TaskTimedOut"]
    );
}

#[test]
fn an_oversized_task_result_fails_the_task_and_states_all_catches_it() {
    let big = json!({"Payload": "a".repeat(263_168)});
    let catch_all =
        json!({"Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handled"}], "Next": "Handled"});
    let with_handler = |resource: &str| {
        let mut definition = one_task(resource, catch_all.clone());
        definition["States"]["T"]
            .as_object_mut()
            .map(|t| t.remove("End"));
        definition["States"]["Handled"] = json!({"Type": "Pass", "End": true});
        definition
    };
    let e = run_with_mocks(
        with_handler("arn:aws:states:::lambda:invoke"),
        json!({}),
        json!({"T": {"0": {"Return": big.clone()}}}),
    );
    assert_eq!(e.status(), ExecutionStatus::Succeeded);
    assert!(!types(&e).contains(&"TaskSucceeded".to_string()));
    let limit =
        "returned a result with a size exceeding the maximum number of bytes service limit.";
    assert_eq!(
        e.output(),
        Some(&json!({"Error": "States.DataLimitExceeded",
            "Cause": format!("The state/task 'lambda' {limit}")}))
    );
    // A Lambda function ARN: LambdaFunctionFailed, and the cause names the function.
    let e = run_with_mocks(
        with_handler(LAMBDA_ARN),
        json!({}),
        json!({"T": {"0": {"Return": big}}}),
    );
    assert_eq!(
        details(&e, "LambdaFunctionFailed")["cause"],
        format!("The state/task '{LAMBDA_ARN}' {limit}")
    );
    assert_eq!(e.status(), ExecutionStatus::Succeeded);
}

#[test]
fn task_error_outputs_keep_error_and_cause_even_when_absent() {
    let caught = |extra: Value, mock: Value| {
        let mut definition = one_task(
            "arn:aws:states:::lambda:invoke",
            json!({"Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handled"}], "Next": "Handled"}),
        );
        if let (Some(task), Some(extra)) =
            (definition["States"]["T"].as_object_mut(), extra.as_object())
        {
            task.remove("End");
            task.extend(extra.clone());
        }
        definition["States"]["Handled"] = json!({"Type": "Pass", "End": true});
        run_with_mocks(definition, json!({}), json!({"T": {"0": mock}}))
    };
    // SendTaskFailure with neither error nor cause.
    let e = caught(json!({}), json!({"Throw": {}}));
    assert_eq!(
        e.output(),
        Some(&json!({"error": {"Error": null, "Cause": null}}))
    );
    // A timeout has no cause; its error output says "".
    let e = caught(
        json!({"TimeoutSeconds": 5}),
        json!({"Return": 1, "DelaySeconds": 10}),
    );
    assert_eq!(
        e.output(),
        Some(&json!({"error": {"Error": "States.Timeout", "Cause": ""}}))
    );
    assert!(details(&e, "TaskTimedOut").get("cause").is_none());
}

#[test]
fn a_task_failing_in_a_branch_is_aborted_with_its_running_siblings() {
    let task = |name: &str| json!({"StartAt": name, "States": {name: {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}});
    let e = run_with_mocks(
        json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true,
            "Branches": [task("Fails"), task("Slow")]}}}),
        json!({}),
        json!({"Fails": {"0": {"Throw": {"Error": "E", "Cause": "c"}}}, "Slow": {"0": {"Return": 1, "DelaySeconds": 60}}}),
    );
    let history = e.history();
    let failed = history
        .iter()
        .find(|h| h.kind.type_name() == "TaskFailed")
        .unwrap();
    let after: Vec<(String, u64)> = history
        .iter()
        .skip_while(|h| h.id <= failed.id)
        .map(|h| (h.kind.type_name(), h.previous_event_id))
        .collect();
    // The failed task's state, then the sibling's; everything links to the TaskFailed.
    assert_eq!(
        after,
        [
            ("TaskStateAborted".to_string(), failed.id),
            ("TaskStateAborted".to_string(), failed.id),
            ("ParallelStateFailed".to_string(), failed.id),
            ("ExecutionFailed".to_string(), failed.id + 3),
        ]
    );
    // A Fail state ends its branch without an aborted event.
    let e = run_with_mocks(
        json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true,
            "Branches": [{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}}]}}}),
        json!({}),
        json!({}),
    );
    assert!(!types(&e).contains(&"TaskStateAborted".to_string()));
}

#[test]
fn concurrent_iterations_all_start_before_any_task_runs() {
    let map = |concurrency: u64| {
        json!({"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrency": concurrency, "End": true,
            "ItemProcessor": {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}}}})
    };
    let e = run_with_mocks(map(0), json!([1, 2]), json!({"T": {"0-1": {"Return": 1}}}));
    let shape: Vec<(String, u64)> = e
        .history()
        .iter()
        .map(|h| (h.kind.type_name(), h.previous_event_id))
        .collect();
    let expected = [
        ("ExecutionStarted", 0),
        ("MapStateEntered", 0),
        ("MapStateStarted", 2),
        ("MapIterationStarted", 3),
        ("MapIterationStarted", 3),
        ("TaskStateEntered", 4),
        ("TaskScheduled", 6),
        ("TaskStateEntered", 5),
        ("TaskScheduled", 8),
        ("TaskStarted", 7),
        ("TaskStarted", 9),
        ("TaskSucceeded", 10),
        ("TaskSucceeded", 11),
        ("TaskStateExited", 12),
        ("MapIterationSucceeded", 14),
        ("TaskStateExited", 13),
        ("MapIterationSucceeded", 16),
        ("MapStateSucceeded", 17),
        ("MapStateExited", 17),
        ("ExecutionSucceeded", 19),
    ];
    let expected: Vec<(String, u64)> = expected.iter().map(|(t, p)| (t.to_string(), *p)).collect();
    assert_eq!(shape, expected);
    assert_eq!(e.output(), Some(&json!([1, 1])));
    // One at a time, each iteration runs to its end before the next starts.
    let e = run_with_mocks(map(1), json!([1, 2]), json!({"T": {"0-1": {"Return": 1}}}));
    assert_eq!(
        types(&e)[3..9],
        [
            "MapIterationStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited"
        ]
    );
}

#[test]
fn an_inline_map_runs_at_most_40_iterations_at_a_time() {
    let e = super::run(
        json!({"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
            "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": true}}}}}}),
        json!(vec![0; 50]),
    );
    assert_eq!(e.status(), ExecutionStatus::Succeeded);
    assert_eq!(super::seconds(&e), 20, "40 iterations, then the other 10");
}
