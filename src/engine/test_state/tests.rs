use super::*;
use crate::engine::Stage;
use serde_json::json;

fn request(state: Value) -> TestStateRequest {
    TestStateRequest {
        definition: state.to_string(),
        inspection_level: InspectionLevel::Debug,
        ..TestStateRequest::default()
    }
}

fn with_input(mut request: TestStateRequest, input: Value) -> TestStateRequest {
    request.input = Some(input.to_string());
    request
}

fn with_error(mut request: TestStateRequest, error: &str, cause: &str) -> TestStateRequest {
    request.mock = Some(Mock {
        error_output: Some(MockError {
            error: Some(error.into()),
            cause: Some(cause.into()),
        }),
        ..Mock::default()
    });
    request
}

fn with_result(mut request: TestStateRequest, result: Value) -> TestStateRequest {
    request.mock = Some(Mock {
        result: Some(result.to_string()),
        field_validation_mode: FieldValidationMode::None,
        ..Mock::default()
    });
    request
}

fn run(request: &TestStateRequest) -> TestStateResponse {
    test_state(request, &TestStateOptions::default()).expect("the request is valid")
}

fn refused(request: &TestStateRequest) -> ApiError {
    test_state(request, &TestStateOptions::default()).expect_err("the API refuses it")
}

fn inspection(response: &TestStateResponse) -> Value {
    Value::Object(response.inspection_data.clone().unwrap_or_default())
}

fn task(extra: Value) -> Value {
    let mut state =
        json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true});
    if let (Some(state), Value::Object(extra)) = (state.as_object_mut(), extra) {
        state.extend(extra);
    }
    state
}

#[test]
fn jsonpath_task_reports_every_stage_in_order() {
    let state = task(json!({
        "InputPath": "$.order",
        "Parameters": {"FunctionName": "f", "Payload.$": "$"},
        "ResultSelector": {"total.$": "$.Payload.total"},
        "ResultPath": "$.priced",
        "OutputPath": "$.priced"
    }));
    let request = with_result(
        with_input(request(state), json!({"order": {"id": 7}})),
        json!({"Payload": {"total": 42}, "StatusCode": 200}),
    );
    let response = run(&request);
    assert_eq!(response.status, TestStatus::Succeeded);
    assert_eq!(response.output, Some(json!({"total": 42})));
    assert_eq!(
        inspection(&response),
        json!({
            "input": {"order": {"id": 7}},
            "afterInputPath": {"id": 7},
            "afterParameters": {"FunctionName": "f", "Payload": {"id": 7}},
            "result": {"Payload": {"total": 42}, "StatusCode": 200},
            "afterResultSelector": {"total": 42},
            "afterResultPath": {"order": {"id": 7}, "priced": {"total": 42}}
        })
    );
    let visit = response.visit.expect("the visit is recorded");
    let order: Vec<Stage> = visit.stages.iter().map(|r| r.stage).collect();
    assert_eq!(
        order,
        [
            Stage::Input,
            Stage::AfterInputPath,
            Stage::AfterParameters,
            Stage::Result,
            Stage::AfterResultSelector,
            Stage::AfterResultPath,
            Stage::Output
        ]
    );
}

#[test]
fn info_level_reports_no_stages() {
    let mut request = request(json!({"Type": "Pass", "End": true}));
    request.inspection_level = InspectionLevel::Info;
    let response = run(&request);
    assert_eq!(response.inspection_data, None);
    assert!(response.visit.is_some(), "the app still gets the stages");
}

#[test]
fn pass_with_result_skips_input_path_and_parameters() {
    let state = json!({"Type": "Pass", "InputPath": "$.a", "Result": {"r": 1}, "ResultPath": "$.out", "End": true});
    let response = run(&with_input(request(state), json!({"a": {"b": 2}})));
    assert_eq!(
        inspection(&response),
        json!({
            "input": {"a": {"b": 2}},
            "result": {"r": 1},
            "afterResultSelector": {"r": 1},
            "afterResultPath": {"a": {"b": 2}, "out": {"r": 1}}
        })
    );
}

#[test]
fn choice_reports_its_next_state() {
    let state = json!({"Type": "Choice", "InputPath": "$.x",
        "Choices": [{"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"}], "Default": "Small"});
    let response = run(&with_input(request(state.clone()), json!({"x": {"n": 11}})));
    assert_eq!(response.next_state.as_deref(), Some("Big"));
    assert_eq!(response.output, Some(json!({"n": 11})));
    assert_eq!(
        inspection(&response),
        json!({"input": {"x": {"n": 11}}, "afterInputPath": {"n": 11}})
    );
    let small = run(&with_input(request(state), json!({"x": {"n": 1}})));
    assert_eq!(small.next_state.as_deref(), Some("Small"));
}

#[test]
fn jsonata_task_reports_arguments_result_and_variables() {
    let state = task(json!({
        "QueryLanguage": "JSONata",
        "Arguments": {"FunctionName": "f", "Payload": "{% $states.input.v + $bonus %}"},
        "Assign": {"seen": "{% $states.result.Payload %}"},
        "Output": "{% $states.result.Payload * 2 %}"
    }));
    let mut request = with_result(
        with_input(request(state), json!({"v": 1})),
        json!({"Payload": 5}),
    );
    request.variables = Some(json!({"bonus": 10}).to_string());
    let response = run(&request);
    assert_eq!(response.output, Some(json!(10)));
    assert_eq!(
        inspection(&response),
        json!({
            "input": {"v": 1},
            "afterArguments": {"FunctionName": "f", "Payload": 11},
            "result": {"Payload": 5},
            "variables": {"bonus": 10, "seen": 5}
        })
    );
}

#[test]
fn a_failed_stage_is_named() {
    let state = json!({"Type": "Pass", "Parameters": {"x.$": "$.missing"}, "End": true});
    let response = run(&request(state));
    assert_eq!(response.status, TestStatus::Failed);
    assert_eq!(response.error.as_deref(), Some("States.Runtime"));
    let failure = response
        .visit
        .and_then(|v| v.failure)
        .expect("the failure is recorded");
    assert_eq!(failure.stage, Stage::AfterParameters);
    assert_eq!(
        failure
            .stage
            .field(crate::asl::model::QueryLanguage::JsonPath, "Pass"),
        Some("Parameters")
    );
}

#[test]
fn retrier_retry_count_decides_between_a_retry_and_the_catch() {
    let state = task(json!({
        "Arguments": {"FunctionName": "f"},
        "QueryLanguage": "JSONata",
        "Retry": [{"ErrorEquals": ["Other"]}, {"ErrorEquals": ["Boom"], "IntervalSeconds": 3, "MaxAttempts": 2, "BackoffRate": 2.0}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle"}]
    }));
    let base = with_error(request(state), "Boom", "why");
    let first = run(&base);
    assert_eq!(first.status, TestStatus::Retriable);
    assert_eq!(
        inspection(&first)["errorDetails"],
        json!({"retryIndex": 1, "retryBackoffIntervalSeconds": 3})
    );
    let mut second = base.clone();
    second.state_configuration.retrier_retry_count = Some(1);
    assert_eq!(
        inspection(&run(&second))["errorDetails"]["retryBackoffIntervalSeconds"],
        json!(6)
    );
    let mut exhausted = base;
    exhausted.state_configuration.retrier_retry_count = Some(2);
    let caught = run(&exhausted);
    assert_eq!(caught.status, TestStatus::CaughtError);
    assert_eq!(caught.next_state.as_deref(), Some("Handle"));
    assert_eq!(
        inspection(&caught)["errorDetails"],
        json!({"catchIndex": 0, "retryIndex": 1})
    );
    assert_eq!(
        caught.output,
        Some(json!({"Error": "Boom", "Cause": "why"})),
        "a JSONata catcher without Output passes the error output on"
    );
}

fn map(extra: Value) -> Value {
    let mut state = json!({"Type": "Map", "ItemsPath": "$.items",
        "ItemProcessor": {"StartAt": "Item", "States": {"Item": {"Type": "Pass", "End": true}}},
        "End": true});
    if let (Some(state), Value::Object(extra)) = (state.as_object_mut(), extra) {
        state.extend(extra);
    }
    state
}

#[test]
fn map_iteration_failure_count_counts_against_the_tolerance() {
    let items = json!({"items": [1, 2, 3, 4]});
    let tolerant = map(json!({"ToleratedFailureCount": 1, "MaxConcurrency": 2}));
    let mut request = with_result(
        with_input(request(tolerant), items.clone()),
        json!([1, 2, 3, 4]),
    );
    request.state_configuration.map_iteration_failure_count = Some(1);
    let within = run(&request);
    assert_eq!(within.status, TestStatus::Succeeded);
    assert_eq!(
        inspection(&within),
        json!({
            "input": {"items": [1, 2, 3, 4]},
            "afterInputPath": {"items": [1, 2, 3, 4]},
            "afterItemsPath": [1, 2, 3, 4],
            "afterResultSelector": [1, 2, 3, 4],
            "afterResultPath": [1, 2, 3, 4],
            "maxConcurrency": 2,
            "toleratedFailureCount": 1
        })
    );
    request.state_configuration.map_iteration_failure_count = Some(2);
    let beyond = run(&request);
    assert_eq!(beyond.status, TestStatus::Failed);
    assert_eq!(
        beyond.error.as_deref(),
        Some("States.ExceedToleratedFailureThreshold")
    );
    // By percentage: 2 of 4 is 50 %.
    let percent = map(json!({"ToleratedFailurePercentage": 50}));
    let mut request = with_result(
        with_input(super::tests::request(percent), items.clone()),
        json!([1, 2, 3, 4]),
    );
    request.state_configuration.map_iteration_failure_count = Some(2);
    assert_eq!(run(&request).status, TestStatus::Succeeded);
    request.state_configuration.map_iteration_failure_count = Some(3);
    assert_eq!(run(&request).status, TestStatus::Failed);
    // Without a tolerance AWS ignores the count (as recorded).
    let strict = map(json!({}));
    let mut request = with_result(
        with_input(super::tests::request(strict), items),
        json!([1, 2, 3, 4]),
    );
    request.state_configuration.map_iteration_failure_count = Some(4);
    assert_eq!(run(&request).status, TestStatus::Succeeded);
}

#[test]
fn map_item_reader_data_feeds_the_item_reader() {
    let state = json!({"Type": "Map",
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"},
                       "Parameters": {"Bucket": "b", "Key": "k"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                          "StartAt": "Item", "States": {"Item": {"Type": "Pass", "End": true}}},
        "End": true});
    let mut request = with_result(request(state), json!([10, 20]));
    request.state_configuration.map_item_reader_data = Some("[1, 2]".into());
    let response = run(&request);
    assert_eq!(response.status, TestStatus::Succeeded);
    assert_eq!(response.output, Some(json!([10, 20])));
    assert_eq!(inspection(&response)["afterItemsPath"], json!([1, 2]));
}

#[test]
fn error_caused_by_state_must_be_inside_the_tested_state() {
    let mut request = with_error(
        with_input(request(map(json!({}))), json!({"items": [1]})),
        "Boom",
        "why",
    );
    request.state_configuration.error_caused_by_state = Some("Item".into());
    let response = run(&request);
    assert_eq!(response.status, TestStatus::Failed);
    assert_eq!(response.error.as_deref(), Some("Boom"));
    request.state_configuration.error_caused_by_state = Some("Elsewhere".into());
    assert_eq!(refused(&request).code, "ValidationException");
}

#[test]
fn parallel_mock_results_must_match_the_branches() {
    let state = json!({"Type": "Parallel", "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}], "End": true});
    let ok = run(&with_result(request(state.clone()), json!([1, 2])));
    assert_eq!(ok.output, Some(json!([1, 2])));
    let short = refused(&with_result(request(state.clone()), json!([1])));
    assert!(short.message.contains("same number of items"));
    let object = refused(&with_result(request(state), json!({"a": 1})));
    assert_eq!(object.message, "Mocked result must be an array.");
}

#[test]
fn states_that_cannot_be_tested_so_are_refused() {
    let pass = with_result(request(json!({"Type": "Pass", "End": true})), json!({}));
    assert_eq!(
        refused(&pass).message,
        "State type 'Pass' is not supported when a mock is specified"
    );
    let unmocked_map = request(map(json!({})));
    assert_eq!(refused(&unmocked_map).code, "InvalidDefinition");
    let unmocked_task = request(task(json!({})));
    assert_eq!(
        refused(&unmocked_task).message,
        "RoleArn must be specified when testing a Task state"
    );
    let mut both = with_result(request(task(json!({}))), json!({}));
    if let Some(mock) = both.mock.as_mut() {
        mock.error_output = Some(MockError::default());
    }
    assert!(
        refused(&both)
            .message
            .contains("only one of the following fields")
    );
    let mut not_json = request(task(json!({})));
    not_json.mock = Some(Mock {
        result: Some("{not json".into()),
        ..Mock::default()
    });
    assert_eq!(
        refused(&not_json).message,
        "Mocked result must be valid JSON"
    );
    let bad_type = request(json!({"Type": "Nope", "End": true}));
    assert!(
        refused(&bad_type)
            .message
            .contains("at /States/StateName/Type")
    );
}

#[test]
fn a_named_state_of_a_machine_is_found_at_any_depth() {
    let machine = json!({"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map",
        "ItemProcessor": {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass",
            "Output": "{% $states.input.v * 3 %}", "Next": "Last"}, "Last": {"Type": "Succeed"}}},
        "End": true}}});
    let mut request = with_input(request(machine), json!({"v": 2}));
    request.state_name = Some("Inner".into());
    let response = run(&request);
    assert_eq!(
        response.output,
        Some(json!(6)),
        "it inherits the machine's JSONata"
    );
    assert_eq!(response.next_state.as_deref(), Some("Last"));
    request.state_name = Some("Absent".into());
    assert_eq!(refused(&request).message, "State not found in definition");
}

#[test]
fn the_context_replaces_the_one_aws_builds_and_is_checked() {
    let state = json!({"Type": "Pass", "Parameters": {"c.$": "$$"}, "End": true});
    let built = run(&request(state.clone()));
    let context = &built.output.expect("an output")["c"];
    assert_eq!(context["State"]["Name"], json!(TESTED_STATE_NAME));
    assert!(
        context["Execution"]["Id"]
            .as_str()
            .is_some_and(|id| id.contains(":express:"))
    );
    assert_eq!(context["Execution"]["RoleArn"], Value::Null);
    let mut given = request(state.clone());
    given.context = Some(json!({"Execution": {"Name": "mine"}}).to_string());
    assert_eq!(
        run(&given).output,
        Some(json!({"c": {"Execution": {"Name": "mine"}}}))
    );
    given.context = Some(json!({"Execution": {"Nom": "x"}}).to_string());
    assert_eq!(
        refused(&given).message,
        "Invalid Context object provided: Field 'Nom' is not allowed"
    );
    given.context = Some(json!({"Task": {"Token": "t"}}).to_string());
    assert!(refused(&given).message.contains("contains 'Task'"));
}

#[test]
fn api_json_sends_data_as_text() {
    let response = run(&with_input(
        request(json!({"Type": "Pass", "End": true})),
        json!({"a": [1, 2.5]}),
    ));
    let api = response.to_api_json();
    assert_eq!(api["output"], json!("{\"a\":[1,2.5]}"));
    assert_eq!(api["inspectionData"]["input"], json!("{\"a\":[1,2.5]}"));
    assert_eq!(api["status"], json!("SUCCEEDED"));
}
