//! One definition that trips each rule and one that does not.

use super::*;
use serde_json::json;

fn diagnostics(definition: &Value, options: &Options) -> Vec<Diagnostic> {
    let text = serde_json::to_string_pretty(definition).unwrap();
    validate_text(&text, Format::Json, options)
}

/// Codes of the errors (or warnings) a definition produces.
fn codes(definition: Value, severity: Severity) -> Vec<&'static str> {
    diagnostics(&definition, &Options::default())
        .into_iter()
        .filter(|d| d.severity == severity)
        .map(|d| d.code.as_str())
        .collect()
}

fn errors(definition: Value) -> Vec<&'static str> {
    codes(definition, Severity::Error)
}

/// A machine with one state `S` (plus a terminal `Done`).
fn with_state(state: Value) -> Value {
    json!({"StartAt": "S", "States": {"S": state, "Done": {"Type": "Succeed"}}})
}

fn jsonata(state: Value) -> Value {
    json!({"QueryLanguage": "JSONata", "StartAt": "S", "States": {"S": state, "Done": {"Type": "Succeed"}}})
}

/// Asserts that `bad` raises `code` as an error and `good` raises no error at all.
fn trips(code: &str, bad: Value, good: Value) {
    let found = errors(bad.clone());
    assert!(
        found.contains(&code),
        "expected {code} for {bad}, got {found:?}"
    );
    let clean = errors(good.clone());
    assert!(
        clean.is_empty(),
        "expected no errors for {good}, got {clean:?}"
    );
}

#[test]
fn syntax_errors_are_located() {
    let d = validate_text(
        "{\n  \"StartAt\": \"A\",\n  \"States\": {\n}",
        Format::Json,
        &Options::default(),
    );
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, Code::Syntax);
    assert_eq!(d[0].line, 1);
}

#[test]
fn duplicate_keys() {
    let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true, "End": true}}}"#;
    let d = validate_text(text, Format::Json, &Options::default());
    assert_eq!(d[0].code, Code::DuplicateKey);
    assert_eq!(d[0].pointer, "/States/A/End");
    assert_eq!(d[0].column, text.rfind("\"End\"").unwrap() + 1);
}

#[test]
fn required_top_level_fields() {
    trips(
        "MISSING_FIELD",
        json!({}),
        with_state(json!({"Type": "Pass", "Next": "Done"})),
    );
    trips(
        "WRONG_TYPE",
        json!({"StartAt": 1, "States": {"A": {"Type": "Succeed"}}}),
        json!({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}),
    );
    trips(
        "EMPTY_STATES",
        json!({"StartAt": "A", "States": {}}),
        json!({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}),
    );
    trips(
        "UNKNOWN_FIELD",
        json!({"StartAt": "A", "Extra": 1, "States": {"A": {"Type": "Succeed"}}}),
        json!({"StartAt": "A", "Comment": "c", "Version": "1.0", "TimeoutSeconds": 5, "States": {"A": {"Type": "Succeed"}}}),
    );
    trips(
        "OUT_OF_RANGE",
        json!({"StartAt": "A", "TimeoutSeconds": 0, "States": {"A": {"Type": "Succeed"}}}),
        json!({"StartAt": "A", "TimeoutSeconds": 1, "States": {"A": {"Type": "Succeed"}}}),
    );
    trips(
        "INVALID_VALUE",
        json!({"StartAt": "A", "QueryLanguage": "XPath", "States": {"A": {"Type": "Succeed"}}}),
        json!({"StartAt": "A", "QueryLanguage": "JSONata", "States": {"A": {"Type": "Succeed"}}}),
    );
}

#[test]
fn state_types_and_fields() {
    trips(
        "UNKNOWN_STATE_TYPE",
        with_state(json!({"Type": "Teleport"})),
        with_state(json!({"Type": "Pass", "Next": "Done"})),
    );
    trips(
        "MISSING_FIELD",
        with_state(json!({"Next": "Done"})),
        with_state(json!({"Type": "Pass", "Next": "Done"})),
    );
    trips(
        "UNKNOWN_FIELD",
        with_state(json!({"Type": "Pass", "bugInputPath": "$.x", "Next": "Done"})),
        with_state(json!({"Type": "Pass", "InputPath": "$.x", "Next": "Done"})),
    );
    trips(
        "FIELD_NOT_ALLOWED",
        json!({"StartAt": "S", "States": {"S": {"Type": "Succeed", "ResultPath": "$.x"}}}),
        json!({"StartAt": "S", "States": {"S": {"Type": "Succeed", "OutputPath": "$.x"}}}),
    );
    trips(
        "FIELD_NOT_ALLOWED",
        with_state(
            json!({"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "Done"}], "Next": "Done"}),
        ),
        with_state(
            json!({"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "Done"}], "Default": "Done"}),
        ),
    );
}

#[test]
fn fields_follow_the_query_language() {
    trips(
        "FIELD_NOT_ALLOWED",
        jsonata(json!({"Type": "Pass", "Parameters": {"a": 1}, "Next": "Done"})),
        jsonata(json!({"Type": "Pass", "Output": {"a": "{% $states.input %}"}, "Next": "Done"})),
    );
    trips(
        "FIELD_NOT_ALLOWED",
        with_state(json!({"Type": "Pass", "Output": {"a": 1}, "Next": "Done"})),
        with_state(
            json!({"Type": "Pass", "QueryLanguage": "JSONata", "Output": {"a": 1}, "Next": "Done"}),
        ),
    );
    trips(
        "QUERY_LANGUAGE_DOWNGRADE",
        jsonata(json!({"Type": "Pass", "QueryLanguage": "JSONPath", "Next": "Done"})),
        with_state(json!({"Type": "Pass", "QueryLanguage": "JSONata", "Next": "Done"})),
    );
}

#[test]
fn transitions() {
    trips(
        "MISSING_TRANSITION",
        with_state(json!({"Type": "Pass"})),
        json!({"StartAt": "S", "States": {"S": {"Type": "Pass", "End": true}}}),
    );
    trips(
        "NEXT_AND_END",
        with_state(json!({"Type": "Pass", "Next": "Done", "End": true})),
        with_state(json!({"Type": "Pass", "Next": "Done"})),
    );
    trips(
        "UNKNOWN_TARGET",
        with_state(json!({"Type": "Pass", "Next": "Nowhere"})),
        with_state(json!({"Type": "Pass", "Next": "Done"})),
    );
    trips(
        "UNKNOWN_TARGET",
        json!({"StartAt": "Nowhere", "States": {"A": {"Type": "Succeed"}}}),
        json!({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}),
    );
    trips(
        "UNKNOWN_TARGET",
        with_state(
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Gone"}], "Next": "Done"}),
        ),
        with_state(
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}], "Next": "Done"}),
        ),
    );
    trips(
        "UNKNOWN_TARGET",
        with_state(
            json!({"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "Done"}], "Default": "Gone"}),
        ),
        with_state(
            json!({"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "Done"}], "Default": "Done"}),
        ),
    );
}

#[test]
fn targets_must_stay_in_their_scope() {
    let branch_to_outside = json!({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Branches": [{"StartAt": "In", "States": {"In": {"Type": "Pass", "Next": "Out"}}}], "Next": "Out"},
        "Out": {"Type": "Succeed"}}});
    let fine = json!({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Branches": [{"StartAt": "In", "States": {"In": {"Type": "Pass", "End": true}}}], "Next": "Out"},
        "Out": {"Type": "Succeed"}}});
    trips("TARGET_OUT_OF_SCOPE", branch_to_outside, fine);
}

#[test]
fn reachability_and_termination() {
    trips(
        "UNREACHABLE_STATE",
        json!({"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "B": {"Type": "Succeed"}}}),
        json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}),
    );
    trips(
        "NO_PATH_TO_END",
        json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}}),
        json!({"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 1, "Next": "B"}, "B": {"Type": "Choice", "Choices": [{"Variable": "$.done", "BooleanEquals": true, "Next": "C"}], "Default": "A"}, "C": {"Type": "Succeed"}}}),
    );
}

#[test]
fn state_names() {
    let long = "x".repeat(81);
    trips(
        "STATE_NAME_TOO_LONG",
        json!({"StartAt": long.clone(), "States": {long: {"Type": "Succeed"}}}),
        json!({"StartAt": "x".repeat(80), "States": {"x".repeat(80): {"Type": "Succeed"}}}),
    );
    trips(
        "DUPLICATE_STATE_NAME",
        json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}, "Next": "Done"}, "Done": {"Type": "Succeed"}}}),
        json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {"StartAt": "Inner", "States": {"Inner": {"Type": "Succeed"}}}, "Next": "Done"}, "Done": {"Type": "Succeed"}}}),
    );
}

#[test]
fn task_rules() {
    trips(
        "MISSING_FIELD",
        with_state(json!({"Type": "Task", "Next": "Done"})),
        with_state(
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Done"}),
        ),
    );
    trips(
        "MUTUALLY_EXCLUSIVE",
        with_state(
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 5, "TimeoutSecondsPath": "$.t", "Next": "Done"}),
        ),
        with_state(
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSecondsPath": "$.t", "HeartbeatSeconds": 2, "Next": "Done"}),
        ),
    );
    trips(
        "OUT_OF_RANGE",
        with_state(
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 5, "HeartbeatSeconds": 5, "Next": "Done"}),
        ),
        with_state(
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 5, "HeartbeatSeconds": 4, "Next": "Done"}),
        ),
    );
    trips(
        "WRONG_TYPE",
        with_state(
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Credentials": null, "Next": "Done"}),
        ),
        with_state(
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Credentials": {"RoleArn": "arn:aws:iam::1:role/R"}, "Next": "Done"}),
        ),
    );
    trips(
        "INVALID_RESOURCE",
        with_state(
            json!({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:F:", "Next": "Done"}),
        ),
        with_state(
            json!({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:F:live", "Next": "Done"}),
        ),
    );
    trips(
        "INVALID_RESOURCE",
        with_state(json!({"Type": "Task", "Resource": "${FunctionArn", "Next": "Done"})),
        with_state(json!({"Type": "Task", "Resource": "${FunctionArn}", "Next": "Done"})),
    );
}

#[test]
fn placeholders_are_information() {
    let found = codes(
        with_state(json!({"Type": "Task", "Resource": "${FunctionArn}", "Next": "Done"})),
        Severity::Information,
    );
    assert_eq!(found, vec!["PLACEHOLDER"]);
    let found = codes(
        with_state(json!({"Type": "Wait", "Seconds": "${Delay}", "Next": "Done"})),
        Severity::Information,
    );
    assert_eq!(found, vec!["PLACEHOLDER"]);
}

#[test]
fn express_rejects_callbacks_and_sync() {
    let definition = with_state(
        json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "Next": "Done"}),
    );
    let express = Options {
        workflow_type: Some(WorkflowType::Express),
    };
    let found = diagnostics(&definition, &express);
    assert_eq!(found[0].code, Code::UnsupportedByWorkflowType);
    assert_eq!(
        found[0].message,
        "Express state machine does not support '.waitForTaskToken' service integration "
    );
    assert_eq!(found[0].pointer, "/States/S/Resource");
    assert!(
        errors(definition).is_empty(),
        "standard workflows accept callbacks"
    );
}

#[test]
fn retry_and_catch_rules() {
    let task = |retry: Value| {
        with_state(
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Retry": retry, "Next": "Done"}),
        )
    };
    trips(
        "ERROR_EQUALS",
        task(json!([{"ErrorEquals": []}])),
        task(json!([{"ErrorEquals": ["States.Timeout"]}])),
    );
    trips(
        "ERROR_EQUALS",
        task(json!([{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["States.Timeout"]}])),
        task(json!([{"ErrorEquals": ["States.Timeout"]}, {"ErrorEquals": ["States.ALL"]}])),
    );
    trips(
        "ERROR_EQUALS",
        task(json!([{"ErrorEquals": ["States.ALL", "X"]}])),
        task(json!([{"ErrorEquals": ["X", "Y"]}])),
    );
    trips(
        "OUT_OF_RANGE",
        task(json!([{"ErrorEquals": ["X"], "BackoffRate": 0.5}])),
        task(json!([{"ErrorEquals": ["X"], "BackoffRate": 1.5}])),
    );
    trips(
        "OUT_OF_RANGE",
        task(json!([{"ErrorEquals": ["X"], "MaxAttempts": -1}])),
        task(json!([{"ErrorEquals": ["X"], "MaxAttempts": 0}])),
    );
    trips(
        "OUT_OF_RANGE",
        task(json!([{"ErrorEquals": ["X"], "IntervalSeconds": 0}])),
        task(json!([{"ErrorEquals": ["X"], "IntervalSeconds": 1}])),
    );
    trips(
        "OUT_OF_RANGE",
        task(json!([{"ErrorEquals": ["X"], "MaxDelaySeconds": -1, "JitterStrategy": "FULL"}])),
        task(json!([{"ErrorEquals": ["X"], "MaxDelaySeconds": 10, "JitterStrategy": "FULL"}])),
    );
    trips(
        "INVALID_VALUE",
        task(json!([{"ErrorEquals": ["X"], "JitterStrategy": "HALF"}])),
        task(json!([{"ErrorEquals": ["X"], "JitterStrategy": "NONE"}])),
    );
    let catch = |c: Value| {
        with_state(
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Catch": c, "Next": "Done"}),
        )
    };
    trips(
        "MISSING_FIELD",
        catch(json!([{"ErrorEquals": ["X"]}])),
        catch(json!([{"ErrorEquals": ["X"], "Next": "Done", "ResultPath": "$.error"}])),
    );
    let warned = codes(
        task(json!([{"ErrorEquals": ["States.Nope"]}])),
        Severity::Warning,
    );
    assert_eq!(warned, vec!["UNKNOWN_ERROR_NAME"]);
}

#[test]
fn choice_rules() {
    let choice =
        |rule: Value| with_state(json!({"Type": "Choice", "Choices": [rule], "Default": "Done"}));
    trips(
        "CHOICE_RULE",
        choice(json!({"Variable": "$.x", "Next": "Done"})),
        choice(json!({"Variable": "$.x", "StringEquals": "a", "Next": "Done"})),
    );
    trips(
        "CHOICE_RULE",
        choice(json!({"Variable": "$.x", "StringEquals": "a", "NumericEquals": 1, "Next": "Done"})),
        choice(
            json!({"And": [{"Variable": "$.x", "StringEquals": "a"}, {"Not": {"Variable": "$.y", "IsPresent": true}}], "Next": "Done"}),
        ),
    );
    trips(
        "CHOICE_RULE",
        choice(
            json!({"And": [{"Variable": "$.x", "StringEquals": "a", "Next": "Done"}], "Next": "Done"}),
        ),
        choice(json!({"Or": [{"Variable": "$.x", "StringEquals": "a"}], "Next": "Done"})),
    );
    trips(
        "CHOICE_RULE",
        choice(json!({"Variable": "$.x", "StringEquals": "a"})),
        choice(json!({"Variable": "$.x", "StringEqualsPath": "$.y", "Next": "Done"})),
    );
    trips(
        "WRONG_TYPE",
        choice(json!({"Variable": "$.x", "NumericEquals": "1", "Next": "Done"})),
        choice(json!({"Variable": "$.x", "NumericEquals": 1, "Next": "Done"})),
    );
    trips(
        "INVALID_TIMESTAMP",
        choice(json!({"Variable": "$.x", "TimestampEquals": "yesterday", "Next": "Done"})),
        choice(
            json!({"Variable": "$.x", "TimestampEquals": "2024-01-01T00:00:00Z", "Next": "Done"}),
        ),
    );
    trips(
        "UNKNOWN_FIELD",
        choice(json!({"Variable": "$.x", "StringEqualz": "a", "Next": "Done"})),
        choice(json!({"Variable": "$.x", "StringMatches": "a*", "Next": "Done"})),
    );
    trips(
        "CHOICE_RULE",
        jsonata(json!({"Type": "Choice", "Choices": [{"Next": "Done"}], "Default": "Done"})),
        jsonata(
            json!({"Type": "Choice", "Choices": [{"Condition": "{% $states.input.x = 1 %}", "Next": "Done"}], "Default": "Done"}),
        ),
    );
}

#[test]
fn wait_and_fail_rules() {
    trips(
        "MISSING_FIELD",
        with_state(json!({"Type": "Wait", "Next": "Done"})),
        with_state(json!({"Type": "Wait", "SecondsPath": "$.s", "Next": "Done"})),
    );
    trips(
        "MUTUALLY_EXCLUSIVE",
        with_state(
            json!({"Type": "Wait", "Seconds": 1, "Timestamp": "2024-01-01T00:00:00Z", "Next": "Done"}),
        ),
        with_state(json!({"Type": "Wait", "Timestamp": "2024-01-01T00:00:00Z", "Next": "Done"})),
    );
    trips(
        "OUT_OF_RANGE",
        with_state(json!({"Type": "Wait", "Seconds": -1, "Next": "Done"})),
        with_state(json!({"Type": "Wait", "Seconds": 0, "Next": "Done"})),
    );
    trips(
        "INVALID_TIMESTAMP",
        with_state(json!({"Type": "Wait", "Timestamp": "2024-13-01", "Next": "Done"})),
        with_state(
            json!({"Type": "Wait", "Timestamp": "2024-12-01T10:00:00+02:00", "Next": "Done"}),
        ),
    );
    trips(
        "MUTUALLY_EXCLUSIVE",
        json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "ErrorPath": "$.e"}}}),
        json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "$.e", "Cause": "c"}}}),
    );
}

#[test]
fn parallel_and_map_rules() {
    trips(
        "MISSING_FIELD",
        with_state(json!({"Type": "Parallel", "Next": "Done"})),
        with_state(
            json!({"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}], "Next": "Done"}),
        ),
    );
    let map = |extra: Value| {
        let mut state = json!({"Type": "Map", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}, "Next": "Done"});
        if let (Some(state), Some(extra)) = (state.as_object_mut(), extra.as_object()) {
            state.extend(extra.clone());
        }
        with_state(state)
    };
    trips(
        "MISSING_FIELD",
        with_state(json!({"Type": "Map", "Next": "Done"})),
        map(json!({})),
    );
    trips(
        "OUT_OF_RANGE",
        map(json!({"MaxConcurrency": -1})),
        map(json!({"MaxConcurrency": 0})),
    );
    let distributed = |extra: Value| {
        let mut state = json!({"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "I", "States": {"I": {"Type": "Succeed"}}}, "Next": "Done"});
        if let (Some(state), Some(extra)) = (state.as_object_mut(), extra.as_object()) {
            state.extend(extra.clone());
        }
        with_state(state)
    };
    trips(
        "OUT_OF_RANGE",
        distributed(json!({"ToleratedFailurePercentage": 105})),
        distributed(json!({"ToleratedFailurePercentage": 100})),
    );
    trips(
        "MUTUALLY_EXCLUSIVE",
        distributed(json!({"ItemBatcher": {"MaxItemsPerBatch": 2, "MaxItemsPerBatchPath": "$.n"}})),
        distributed(json!({"ItemBatcher": {"MaxItemsPerBatch": 2, "MaxInputBytesPerBatch": 1024}})),
    );
    trips(
        "DISTRIBUTED_ONLY",
        with_state(
            json!({"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "I", "States": {"I": {"Type": "Succeed"}}}, "Label": "L", "Next": "Done"}),
        ),
        distributed(json!({"Label": "L"})),
    );
    trips(
        "INVALID_NAME",
        distributed(json!({"Label": "a b"})),
        distributed(json!({"Label": "ab"})),
    );
    trips(
        "MISSING_FIELD",
        with_state(
            json!({"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "I", "States": {"I": {"Type": "Succeed"}}}, "Next": "Done"}),
        ),
        distributed(json!({})),
    );
    trips(
        "MUTUALLY_EXCLUSIVE",
        jsonata(
            json!({"Type": "Map", "Items": [1], "ItemsPath": "$.x", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}, "Next": "Done"}),
        ),
        jsonata(
            json!({"Type": "Map", "Items": "{% $states.input.items %}", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}, "Next": "Done"}),
        ),
    );
}

#[test]
fn payload_templates() {
    let pass = |parameters: Value| {
        with_state(json!({"Type": "Pass", "Parameters": parameters, "Next": "Done"}))
    };
    trips(
        "PAYLOAD_KEY_CONFLICT",
        pass(json!({"a": 1, "a.$": "$.a"})),
        pass(json!({"a.$": "$.a", "b": {"c.$": "$$.Execution.Id"}})),
    );
    trips(
        "PAYLOAD_TEMPLATE",
        pass(json!({"a.$": 23})),
        pass(json!({"a.$": "$.a"})),
    );
    trips(
        "PAYLOAD_TEMPLATE",
        pass(json!({"a.$": "ipsum"})),
        pass(json!({"a.$": "States.Format('x{}', $.a)"})),
    );
    trips(
        "INVALID_INTRINSIC",
        pass(json!({"a.$": " States.Array(1)"})),
        pass(json!({"a.$": "States.Array(1)"})),
    );
}

#[test]
fn jsonata_delimiters() {
    let pass = |output: &str| jsonata(json!({"Type": "Pass", "Output": output, "Next": "Done"}));
    trips("JSONATA_DELIMITERS", pass("{% 10 %"), pass("{% 10 %}"));
    trips("JSONATA_DELIMITERS", pass("10 %}"), pass("10"));
    assert_eq!(
        codes(pass("{%10%}"), Severity::Warning),
        vec!["JSONATA_STYLE"]
    );
    let in_jsonpath = with_state(json!({"Type": "Pass", "Result": "{% 1 %}", "Next": "Done"}));
    assert_eq!(
        codes(in_jsonpath, Severity::Warning),
        vec!["JSONATA_IN_JSONPATH"]
    );
}

#[test]
fn variable_names() {
    let pass =
        |assign: Value| with_state(json!({"Type": "Pass", "Assign": assign, "Next": "Done"}));
    trips(
        "INVALID_NAME",
        pass(json!({"states": 1})),
        pass(json!({"total_1": 1, "x.$": "$.x"})),
    );
    assert_eq!(
        codes(pass(json!({"top-level": 1})), Severity::Warning),
        vec!["INVALID_NAME"]
    );
}

#[test]
fn diagnostics_point_at_the_offending_text() {
    let text = "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\n      \"Type\": \"Pass\",\n      \"Next\": \"Missing\"\n    }\n  }\n}";
    let found = validate_text(text, Format::Json, &Options::default());
    let target = found
        .iter()
        .find(|d| d.code == Code::UnknownTarget)
        .unwrap();
    assert_eq!((target.line, target.column), (6, 15));
    assert_eq!(target.pointer, "/States/A/Next");
    assert_eq!(&text[target.span.range()], "\"Missing\"");
}

#[test]
fn yaml_definitions_are_validated_with_positions() {
    let text = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: B\n";
    let found = validate_text(text, Format::Yaml, &Options::default());
    let target = found
        .iter()
        .find(|d| d.code == Code::UnknownTarget)
        .unwrap();
    assert_eq!((target.line, target.column), (5, 11));
}

#[test]
fn expression_syntax() {
    let pass = |parameters: Value| {
        with_state(json!({"Type": "Pass", "Parameters": parameters, "Next": "Done"}))
    };
    trips(
        "INVALID_JSONPATH",
        pass(json!({"a.$": "$.items[?(@.price > ]"})),
        pass(json!({"a.$": "$.items[?(@.price > 10)].name"})),
    );
    trips(
        "INVALID_JSONPATH",
        with_state(json!({"Type": "Pass", "InputPath": "$..", "Next": "Done"})),
        with_state(json!({"Type": "Pass", "InputPath": "$..name", "Next": "Done"})),
    );
    trips(
        "INVALID_REFERENCE_PATH",
        with_state(json!({"Type": "Pass", "ResultPath": "$.items[*]", "Next": "Done"})),
        with_state(json!({"Type": "Pass", "ResultPath": "$.items[0]['name']", "Next": "Done"})),
    );
    trips(
        "INVALID_REFERENCE_PATH",
        with_state(json!({"Type": "Pass", "ResultPath": "$$.Execution.Id", "Next": "Done"})),
        with_state(json!({"Type": "Pass", "ResultPath": "$.result", "Next": "Done"})),
    );
    trips(
        "INVALID_INTRINSIC",
        pass(json!({"a.$": "States.Nope($.x)"})),
        pass(json!({"a.$": "States.ArrayLength($.x)"})),
    );
    trips(
        "INVALID_INTRINSIC",
        pass(json!({"a.$": "States.MathAdd(1)"})),
        pass(json!({"a.$": "States.MathAdd(1, 2)"})),
    );
    trips(
        "INVALID_INTRINSIC",
        pass(json!({"a.$": "States.Format('{}', $.x"})),
        pass(json!({"a.$": "States.Format('{}', $.x)"})),
    );
    let output =
        |expression: &str| jsonata(json!({"Type": "Pass", "Output": expression, "Next": "Done"}));
    trips(
        "INVALID_JSONATA",
        output("{% $sum($states.input.n %}"),
        output("{% $sum($states.input.n) %}"),
    );
    trips(
        "INVALID_JSONATA",
        output("{% 420. %}"),
        output("{% 420.5 %}"),
    );
    // AWS runs JSONata 2.0.6: the 2.1 coalescing operator is a syntax error there.
    trips(
        "INVALID_JSONATA",
        output("{% $states.input.a ?? 1 %}"),
        output("{% $exists($states.input.a) ? $states.input.a : 1 %}"),
    );
}
