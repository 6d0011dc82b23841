//! Whole-state conversions: every field of every state type, checked as JSON.

use super::*;
use serde_json::json;

fn state(value: Value) -> Value {
    let conversion = state_to_jsonata(&value, Marking::Inherit).unwrap();
    assert!(conversion.is_exact(), "{:#?}", conversion.notes);
    conversion.value
}

#[test]
fn pass_parameters_result_path_and_output_path_make_one_output() {
    assert_eq!(
        state(json!({
            "Type": "Pass", "InputPath": "$.order",
            "Parameters": {"id.$": "$.id", "kind": "order", "who.$": "$name"},
            "ResultPath": "$.summary", "OutputPath": "$.summary", "Next": "B"
        })),
        json!({
            "Type": "Pass",
            "Output": {"id": "{% $states.input.order.id %}", "kind": "order", "who": "{% $name %}"},
            "Next": "B"
        })
    );
    assert_eq!(
        state(json!({"Type": "Pass", "Result": {"a": 1}, "ResultPath": "$.r", "End": true})),
        json!({"Type": "Pass", "Output": "{% $merge([$states.input, {'r': {'a': 1}}]) %}", "End": true})
    );
    assert_eq!(
        state(json!({"Type": "Pass", "Result": "{% not me %}", "End": true})),
        json!({"Type": "Pass", "Output": "{% '{% not me %}' %}", "End": true})
    );
    // Nothing to do: the JSONata default output is the input.
    assert_eq!(
        state(json!({"Type": "Pass", "ResultPath": "$", "OutputPath": "$", "End": true})),
        json!({"Type": "Pass", "End": true})
    );
    assert_eq!(
        state(json!({"Type": "Pass", "InputPath": null, "End": true})),
        json!({"Type": "Pass", "Output": {}, "End": true})
    );
}

#[test]
fn task_fields_become_arguments_output_and_expressions() {
    assert_eq!(
        state(json!({
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "InputPath": "$.job",
            "Parameters": {"FunctionName": "f", "Payload.$": "$", "Token.$": "$$.Task.Token"},
            "TimeoutSecondsPath": "$.limits.timeout", "HeartbeatSecondsPath": "$.limits.beat",
            "Credentials": {"RoleArn.$": "$.role"},
            "ResultSelector": {"status.$": "$.Payload.status"},
            "ResultPath": "$.job.result",
            "Assign": {"lastStatus.$": "$.status"},
            "Next": "B"
        })),
        json!({
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Arguments": {
                "FunctionName": "f",
                "Payload": "{% $states.input.job %}",
                "Token": "{% $states.context.Task.Token %}"
            },
            "TimeoutSeconds": "{% $states.input.limits.timeout %}",
            "HeartbeatSeconds": "{% $states.input.limits.beat %}",
            "Credentials": {"RoleArn": "{% $states.input.job.role %}"},
            "Output": "{% $merge([$states.input, {'job': $merge([$states.input.job, {'result': {'status': $states.result.Payload.status}}])}]) %}",
            "Assign": {"lastStatus": "{% $states.result.Payload.status %}"},
            "Next": "B"
        })
    );
    assert_eq!(
        state(
            json!({"Type": "Task", "Resource": "r", "InputPath": "$.a", "ResultPath": null, "End": true})
        ),
        json!({"Type": "Task", "Resource": "r", "Arguments": "{% $states.input.a %}", "Output": "{% $states.input %}", "End": true})
    );
}

#[test]
fn catchers_place_the_error_output() {
    let converted = state(json!({
        "Type": "Task", "Resource": "r",
        "Catch": [
            {"ErrorEquals": ["A"], "ResultPath": "$.error", "Next": "X"},
            {"ErrorEquals": ["B"], "ResultPath": null, "Next": "X"},
            {"ErrorEquals": ["States.ALL"], "Assign": {"cause.$": "$.Cause"}, "Next": "X"}
        ],
        "End": true
    }));
    assert_eq!(
        converted["Catch"],
        json!([
            {"ErrorEquals": ["A"], "Output": "{% $merge([$states.input, {'error': $states.errorOutput}]) %}", "Next": "X"},
            {"ErrorEquals": ["B"], "Output": "{% $states.input %}", "Next": "X"},
            {"ErrorEquals": ["States.ALL"], "Assign": {"cause": "{% $states.errorOutput.Cause %}"}, "Next": "X"}
        ])
    );
}

#[test]
fn map_fields_read_the_effective_input() {
    assert_eq!(
        state(json!({
            "Type": "Map", "InputPath": "$.order", "ItemsPath": "$.lines",
            "Parameters": {"line.$": "$$.Map.Item.Value", "currency.$": "$.currency"},
            "MaxConcurrencyPath": "$.limit",
            "ToleratedFailurePercentagePath": "$.pct",
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.line", "End": true}}},
            "ResultPath": "$.priced",
            "End": true
        })),
        json!({
            "Type": "Map",
            "Items": "{% $states.input.order.lines %}",
            "ItemSelector": {"line": "{% $states.context.Map.Item.Value %}", "currency": "{% $states.input.order.currency %}"},
            "MaxConcurrency": "{% $states.input.limit %}",
            "ToleratedFailurePercentage": "{% $states.input.pct %}",
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Output": "{% $states.input.line %}", "End": true}}},
            "Output": "{% $merge([$states.input, {'priced': $states.result}]) %}",
            "End": true
        })
    );
}

#[test]
fn distributed_map_readers_writers_and_batchers() {
    let converted = state(json!({
        "Type": "Map",
        "ItemReader": {
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "JSON", "MaxItemsPath": "$.max"},
            "Parameters": {"Bucket.$": "$.bucket", "Key": "k"}
        },
        "ItemBatcher": {"MaxItemsPerBatchPath": "$.batch", "BatchInput": {"run.$": "$$.Execution.Name"}},
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b", "Prefix.$": "$.prefix"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "P", "States": {"P": {"Type": "Succeed"}}},
        "End": true
    }));
    assert_eq!(
        converted["ItemReader"],
        json!({
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "JSON", "MaxItems": "{% $states.input.max %}"},
            "Arguments": {"Bucket": "{% $states.input.bucket %}", "Key": "k"}
        })
    );
    assert_eq!(
        converted["ItemBatcher"],
        json!({"MaxItemsPerBatch": "{% $states.input.batch %}", "BatchInput": {"run": "{% $states.context.Execution.Name %}"}})
    );
    assert_eq!(
        converted["ResultWriter"]["Arguments"],
        json!({"Bucket": "b", "Prefix": "{% $states.input.prefix %}"})
    );
    assert!(converted.get("Items").is_none());
}

#[test]
fn parallel_arguments_and_branches() {
    let converted = state(json!({
        "Type": "Parallel",
        "Parameters": {"x.$": "$.x"},
        "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Pass", "OutputPath": "$.x", "End": true}}}],
        "ResultSelector": {"first.$": "$[0]"},
        "End": true
    }));
    assert_eq!(
        converted["Arguments"],
        json!({"x": "{% $states.input.x %}"})
    );
    assert_eq!(
        converted["Output"],
        json!({"first": "{% $states.result[0] %}"})
    );
    assert_eq!(
        converted["Branches"][0]["States"]["A"],
        json!({"Type": "Pass", "Output": "{% $states.input.x %}", "End": true})
    );
}

#[test]
fn wait_succeed_and_fail_fields() {
    assert_eq!(
        state(
            json!({"Type": "Wait", "InputPath": "$.w", "SecondsPath": "$.s", "OutputPath": "$.o", "Next": "B"})
        ),
        json!({"Type": "Wait", "Seconds": "{% $states.input.w.s %}", "Output": "{% $states.input.w.o %}", "Next": "B"})
    );
    assert_eq!(
        state(
            json!({"Type": "Wait", "TimestampPath": "$.at", "Assign": {"t.$": "$.at"}, "End": true})
        ),
        json!({"Type": "Wait", "Timestamp": "{% $states.input.at %}", "Assign": {"t": "{% $states.input.at %}"}, "End": true})
    );
    assert_eq!(
        state(json!({"Type": "Succeed", "InputPath": "$.a", "OutputPath": "$.b"})),
        json!({"Type": "Succeed", "Output": "{% $states.input.a.b %}"})
    );
    assert_eq!(
        state(
            json!({"Type": "Fail", "ErrorPath": "$.e", "CausePath": "States.Format('bad {}', $.c)"})
        ),
        json!({"Type": "Fail", "Error": "{% $states.input.e %}", "Cause": "{% 'bad ' & $states.input.c %}"})
    );
    assert_eq!(
        state(json!({"Type": "Fail", "Error": "E", "Cause": "{% literal %}"})),
        json!({"Type": "Fail", "Error": "E", "Cause": "{% '{% literal %}' %}"})
    );
}

#[test]
fn choice_rules_become_conditions() {
    let converted = state(json!({
        "Type": "Choice", "InputPath": "$.job",
        "Choices": [
            {"Variable": "$.status", "StringEquals": "DONE", "Next": "A", "Assign": {"s.$": "$.status"}},
            {"And": [
                {"Variable": "$.n", "NumericGreaterThanPath": "$.min"},
                {"Not": {"Variable": "$.flag", "BooleanEquals": true}}
            ], "Next": "B"},
            {"Or": [
                {"Variable": "$.name", "StringMatches": "log-*.txt"},
                {"Variable": "$.at", "TimestampLessThan": "2024-01-01T00:00:00Z"},
                {"Variable": "$.x", "IsPresent": false},
                {"Variable": "$.x", "IsNull": true}
            ], "Next": "C"}
        ],
        "Default": "D", "OutputPath": "$.status"
    }));
    assert_eq!(
        converted,
        json!({
            "Type": "Choice",
            "Choices": [
                {"Condition": "{% $states.input.job.status = 'DONE' %}", "Next": "A", "Assign": {"s": "{% $states.input.job.status %}"}},
                {"Condition": "{% $type($states.input.job.n) = 'number' and $type($states.input.job.min) = 'number' and $states.input.job.n > $states.input.job.min and $not($states.input.job.flag = true) %}", "Next": "B"},
                {"Condition": "{% ($type($states.input.job.name) = 'string' and $contains($states.input.job.name, /^log-[\\s\\S]*\\.txt$/)) or ($type($states.input.job.at) = 'string' and $contains($states.input.job.at, /^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$/) and $toMillis($states.input.job.at) < $toMillis('2024-01-01T00:00:00Z')) or $not($exists($states.input.job.x)) or $states.input.job.x = null %}", "Next": "C"}
            ],
            "Default": "D",
            "Output": "{% $states.input.job.status %}"
        })
    );
}

#[test]
fn marking_and_nested_states() {
    let map = json!({
        "Type": "Map", "QueryLanguage": "JSONPath",
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
        "End": true
    });
    let marked = state_to_jsonata(&map, Marking::Explicit).unwrap().value;
    assert_eq!(marked["QueryLanguage"], json!("JSONata"));
    assert_eq!(
        marked["ItemProcessor"]["States"]["P"],
        json!({"Type": "Pass", "QueryLanguage": "JSONata", "End": true})
    );
    let inherited = state_to_jsonata(&map, Marking::Inherit).unwrap().value;
    assert!(inherited.get("QueryLanguage").is_none());
}

#[test]
fn machines_get_the_language_at_the_top() {
    let machine = json!({
        "Comment": "c", "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% 1 %}", "Next": "B"},
            "B": {"Type": "Pass", "ResultPath": null, "End": true}
        }
    });
    let converted = machine_to_jsonata(&machine).unwrap().value;
    assert_eq!(
        serde_json::to_string(&converted).unwrap(),
        r#"{"Comment":"c","QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Output":"{% 1 %}","Next":"B"},"B":{"Type":"Pass","End":true}}}"#
    );
    let jsonata = json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {}});
    assert_eq!(machine_to_jsonata(&jsonata).unwrap().value, jsonata);
}

#[test]
fn notes_carry_the_pointer_of_the_inexact_field() {
    let conversion = state_to_jsonata(
        &json!({"Type": "Pass", "Parameters": {"cheap.$": "$.items[?(@.price < 10)]"}, "End": true}),
        Marking::Inherit,
    )
    .unwrap();
    assert_eq!(conversion.notes.len(), 1);
    assert_eq!(conversion.notes[0].pointer, "/Parameters/cheap.$");
    assert_eq!(
        conversion.value["Output"]["cheap"],
        json!("{% [$states.input.items[price < 10]] %}")
    );
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    assert_eq!(
        machine_to_jsonata(&json!([])),
        Err(ConvertError::NotAMachine)
    );
    assert!(matches!(
        machine_to_jsonata(&json!({"StartAt": "A", "States": {"A": 1}})),
        Err(ConvertError::NotAState { .. })
    ));
    assert!(matches!(
        state_to_jsonata(
            &json!({"Type": "Pass", "InputPath": "$$$", "End": true}),
            Marking::Inherit
        ),
        Err(ConvertError::InvalidPath { .. })
    ));
    assert!(matches!(
        state_to_jsonata(
            &json!({"Type": "Pass", "Parameters": {"a.$": "States.Nope(1)"}, "End": true}),
            Marking::Inherit
        ),
        Err(ConvertError::InvalidIntrinsic { .. })
    ));
    assert!(matches!(
        state_to_jsonata(
            &json!({"Type": "Choice", "Choices": [{"Next": "A"}]}),
            Marking::Inherit
        ),
        Err(ConvertError::InvalidField { .. })
    ));
    let mut deep = json!(1);
    for _ in 0..(MAX_DEPTH + 5) {
        deep = json!({"a": deep});
    }
    assert_eq!(
        state_to_jsonata(&json!({"Type": "Pass", "Result": deep}), Marking::Inherit),
        Err(ConvertError::TooDeep)
    );
}
