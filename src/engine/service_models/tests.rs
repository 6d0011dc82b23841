//! The recorded TestState cases (messages exact, as AWS answered them) and the guards.

use super::*;
use FieldValidationMode::{None as NoCheck, Present, Strict};
use serde_json::{Map, json};

fn check(resource: &str, mock: Value, mode: FieldValidationMode) -> Result<(), String> {
    validate_mock_result(resource, &mock, mode)
}

fn err(message: &str) -> Result<(), String> {
    Err(message.to_string())
}

const ENCRYPT: &str = "arn:aws:states:::aws-sdk:kms:encrypt";
const GET_OBJECT: &str = "arn:aws:states:::aws-sdk:s3:getObject";
const PUT_ITEM: &str = "arn:aws:states:::dynamodb:putItem";
const PUT_EVENTS: &str = "arn:aws:states:::events:putEvents";
const START_EXECUTION: &str = "arn:aws:states:::states:startExecution";
const INVOKE: &str = "arn:aws:states:::lambda:invoke";
const GET_FUNCTION: &str = "arn:aws:states:::aws-sdk:lambda:getFunction";

#[test]
fn the_embedded_models_parse() {
    assert!(models().is_some());
    assert!(models_version().is_some_and(|v| v.starts_with("1.")));
}

#[test]
fn blobs_are_strings_with_a_minimum_length() {
    let short = json!({"CiphertextBlob": ""});
    assert_eq!(
        check(ENCRYPT, short, Strict),
        err("Field 'CiphertextBlob' is smaller than the minimum length")
    );
    let number = json!({"CiphertextBlob": 123});
    assert_eq!(
        check(ENCRYPT, number, Strict),
        err("Field 'CiphertextBlob' must be a string")
    );
}

#[test]
fn enums_and_longs() {
    let papyrus = json!({"StorageClass": "Papyrus"});
    assert_eq!(
        check(GET_OBJECT, papyrus, Strict),
        err("Field 'StorageClass' is not an expected value")
    );
    let text = json!({"ContentLength": "9000"});
    assert_eq!(
        check(GET_OBJECT, text, Strict),
        err("Field 'ContentLength' must be a number")
    );
    let fine = json!({"StorageClass": "STANDARD", "ContentLength": 9000});
    assert_eq!(check(GET_OBJECT, fine, Strict), Ok(()));
}

#[test]
fn nested_doubles_and_step_functions_own_fields() {
    let text = json!({"ConsumedCapacity": {"CapacityUnits": "123.45"}});
    assert_eq!(
        check(PUT_ITEM, text, Strict),
        err("Field 'CapacityUnits' must be a number")
    );
    let metadata = json!({"SdkHttpMetadata": {"HttpStatusCode": 200}});
    assert_eq!(check(PUT_ITEM, metadata, Strict), Ok(()));
}

#[test]
fn lists_and_their_structures() {
    let second = json!({"Entries": [{"EventId": "ok"}, {"EventId": ["x"]}]});
    assert_eq!(
        check(PUT_EVENTS, second, Strict),
        err("Field 'EventId' must be a string")
    );
    let text = json!({"Entries": "text"});
    assert_eq!(
        check(PUT_EVENTS, text, Strict),
        err("Field 'Entries' must be an array")
    );
    assert_eq!(check(PUT_EVENTS, json!({}), Strict), Ok(()));
    assert_eq!(
        check(PUT_EVENTS, json!({"random": "json"}), Present),
        Ok(())
    );
}

#[test]
fn members_are_matched_capitalised_and_modes_differ() {
    let camel = json!({"executionArn": "a", "startDate": "b"});
    assert_eq!(
        check(START_EXECUTION, camel, Strict),
        err("Required field 'ExecutionArn' is missing")
    );
    let epoch = json!({"ExecutionArn": "a", "StartDate": 1764103483});
    assert_eq!(
        check(START_EXECUTION, epoch, Strict),
        err("Field 'StartDate' must be a string")
    );
    assert_eq!(check(START_EXECUTION, json!({}), Present), Ok(()));
    assert_eq!(check(START_EXECUTION, json!({}), NoCheck), Ok(()));
    let boolean = json!({"StartDate": true});
    assert_eq!(
        check(START_EXECUTION, boolean, Present),
        err("Field 'StartDate' must be a string")
    );
    let garbage = json!({"StartDate": true, "ExecutionArn": 1});
    assert_eq!(check(START_EXECUTION, garbage, NoCheck), Ok(()));
    // Guessed: null is absent.
    let nulls = json!({"ExecutionArn": null, "StartDate": "2025-01-01"});
    assert_eq!(check(START_EXECUTION, nulls.clone(), Present), Ok(()));
    assert_eq!(
        check(START_EXECUTION, nulls, Strict),
        err("Required field 'ExecutionArn' is missing")
    );
}

#[test]
fn lambda_invoke_payload_is_any_json() {
    let text = json!({"StatusCode": "200"});
    assert_eq!(
        check(INVOKE, text, Present),
        err("Field 'StatusCode' must be a number")
    );
    let answer = json!({"Payload": {"any": "json"}, "StatusCode": 200});
    assert_eq!(check(INVOKE, answer, Strict), Ok(()));
    // Through the AWS SDK integration the payload is the model's blob: a string.
    let sdk = json!({"Payload": {"any": "json"}});
    assert_eq!(
        check("arn:aws:states:::aws-sdk:lambda:invoke", sdk, Strict),
        err("Field 'Payload' must be a string")
    );
}

#[test]
fn integer_bounds() {
    let low = json!({"Configuration": {"MemorySize": 127}});
    assert_eq!(
        check(GET_FUNCTION, low, Strict),
        err("Field 'MemorySize' is less than the minimum value")
    );
    // Recorded: 10241 "exceeds the maximum value" against AWS's model of November 2025 (max
    // 10240). botocore's current model allows 32768 (Lambda Managed Instances), so the message
    // is checked one over the embedded model's maximum.
    let high = json!({"Configuration": {"MemorySize": 32769}});
    assert_eq!(
        check(GET_FUNCTION, high, Strict),
        err("Field 'MemorySize' exceeds the maximum value")
    );
    let fine = json!({"Configuration": {"MemorySize": 128}});
    assert_eq!(check(GET_FUNCTION, fine, Strict), Ok(()));
}

#[test]
fn guessed_messages() {
    let not_object = json!({"ConsumedCapacity": "x"});
    assert_eq!(
        check(PUT_ITEM, not_object, Strict),
        err("Field 'ConsumedCapacity' must be an object")
    );
    let not_bool = json!({"DeleteMarker": "true"});
    assert_eq!(
        check(GET_OBJECT, not_bool, Strict),
        err("Field 'DeleteMarker' must be a boolean")
    );
    assert_eq!(
        check(PUT_EVENTS, json!([1]), Strict),
        err("The mock result must be a JSON object")
    );
    // A fraction is a number; bounds still apply.
    let fraction = json!({"Configuration": {"MemorySize": 128.5}});
    assert_eq!(check(GET_FUNCTION, fraction, Strict), Ok(()));
    // Present members first, in document order, then the required ones.
    let both = json!({"StartDate": 1});
    assert_eq!(
        check(START_EXECUTION, both, Strict),
        err("Field 'StartDate' must be a string")
    );
}

#[test]
fn resources_without_a_model_are_not_checked() {
    let bad = json!({"StatusCode": "200"});
    for resource in [
        "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "arn:aws:states:::states:startExecution.sync",
        "arn:aws:states:::states:startExecution.sync:2",
        "arn:aws:states:::aws-sdk:s3:getObject.waitForTaskToken",
        "arn:aws:lambda:us-east-1:123456789012:function:Echo",
        "arn:aws:states:us-east-1:123456789012:activity:Worker",
        "arn:aws:states:::http:invoke",
        "arn:aws:states:::apigateway:invoke",
        "arn:aws:states:::aws-sdk:nosuchservice:doThing",
        "arn:aws:states:::lambda:noSuchAction",
        "arn:aws:states:::aws-sdk:s3",
        "",
        "not an arn",
    ] {
        assert_eq!(operation_for_resource(resource), Option::None, "{resource}");
        assert_eq!(check(resource, bad.clone(), Strict), Ok(()), "{resource}");
        assert_eq!(example_output(resource), Option::None, "{resource}");
    }
}

#[test]
fn resources_map_to_botocore_operations() {
    let op = |resource: &str| operation_for_resource(resource).map(|o| (o.service, o.operation));
    assert_eq!(
        op(START_EXECUTION),
        Some(("stepfunctions", "StartExecution"))
    );
    assert_eq!(op(PUT_ITEM), Some(("dynamodb", "PutItem")));
    assert_eq!(op(INVOKE), Some(("lambda", "Invoke")));
    assert_eq!(op(GET_OBJECT), Some(("s3", "GetObject")));
    let sdk = [
        ("sfn:startExecution", ("stepfunctions", "StartExecution")),
        ("eventbridge:putEvents", ("events", "PutEvents")),
        ("cloudwatchlogs:putLogEvents", ("logs", "PutLogEvents")),
        (
            "emrcontainers:startJobRun",
            ("emr-containers", "StartJobRun"),
        ),
        ("bedrockruntime:converse", ("bedrock-runtime", "Converse")),
        ("s3:listObjectsV2", ("s3", "ListObjectsV2")),
        ("sesv2:sendEmail", ("sesv2", "SendEmail")),
    ];
    for (tail, expected) in sdk {
        let resource = format!("arn:aws:states:::aws-sdk:{tail}");
        assert_eq!(op(&resource), Some(expected), "{resource}");
    }
    let optimized = [
        ("bedrock:invokeModel", ("bedrock-runtime", "InvokeModel")),
        (
            "emr-serverless:startJobRun",
            ("emr-serverless", "StartJobRun"),
        ),
        ("ecs:runTask", ("ecs", "RunTask")),
        ("sns:publish", ("sns", "Publish")),
        ("sqs:sendMessage", ("sqs", "SendMessage")),
    ];
    for (tail, expected) in optimized {
        let resource = format!("arn:aws:states:::{tail}");
        assert_eq!(op(&resource), Some(expected), "{resource}");
    }
    let china = operation_for_resource("arn:aws-cn:states:::dynamodb:getItem");
    assert_eq!(china.map(|o| o.integration), Some(Integration::Optimized));
    let sdk = operation_for_resource(GET_OBJECT).map(|o| o.integration);
    assert_eq!(sdk, Some(Integration::AwsSdk));
}

#[test]
fn examples_fill_the_output_shape() {
    let start = example_output(START_EXECUTION).unwrap_or_default();
    assert!(start["ExecutionArn"].is_string(), "{start}");
    assert!(start["StartDate"].is_string(), "{start}");
    assert!(example_output(GET_OBJECT).is_some_and(|v| v.is_object()));
    let invoke = example_output(INVOKE).unwrap_or_default();
    assert_eq!(invoke["Payload"], json!({}));
    assert_eq!(invoke["StatusCode"], json!(0));
    let events = example_output(PUT_EVENTS).unwrap_or_default();
    assert_eq!(events["Entries"].as_array().map(Vec::len), Some(1));
}

#[test]
fn every_example_is_bounded_and_passes_the_strict_check() {
    let Some(models) = models() else {
        panic!("the embedded models don't parse");
    };
    let mut checked = 0;
    for (name, service) in &models.services {
        for output in service.operations.values().flatten() {
            let example = example::build(name, service, output, Option::None);
            let size = example.to_string().len();
            assert!(size < 200_000, "{output}: {size} bytes");
            let verdict = validate::check(service, output, &example, true, Option::None);
            assert_eq!(verdict, Ok(()), "{output}: {example}");
            checked += 1;
        }
    }
    assert!(checked > 1000, "{checked}");
}

/// A made-up model with a structure that requires itself: no real answer can satisfy it, but
/// drafting an example must still end.
#[test]
fn a_recursive_shape_terminates() {
    let text = r#"{"botocore_version": "0", "services": {"loop": {
        "operations": {"Spin": "Node", "Quiet": null},
        "shapes": {"Node": {"type": "structure", "members": {"child": "Node", "list": "Nodes"},
                            "required": ["child"]},
                   "Nodes": {"type": "list", "member": "Node"}}}}}"#;
    let Some(models) = Models::parse(text) else {
        panic!("the test model doesn't parse");
    };
    let Some(service) = models.services.get("loop") else {
        panic!("no service");
    };
    let example = example::build("loop", service, "Node", Option::None);
    let mut depth = 0;
    let mut node = &example;
    while let Some(child) = node.get("Child") {
        node = child;
        depth += 1;
    }
    assert!((5..=example::MAX_DEPTH).contains(&depth), "{depth}");
}

#[test]
fn an_unparsable_asset_means_no_model() {
    assert!(Models::parse("").is_none());
    assert!(Models::parse("{\"services\": 1}").is_none());
    assert!(Models::parse("[]").is_none());
}

#[test]
fn a_hostile_depth_does_not_crash() {
    // 10,000 levels through DynamoDB's recursive AttributeValue, the last one wrong.
    // Built by hand: `json!` would copy the value at every level, recursively.
    let object =
        |key: &str, value: Value| Value::Object(Map::from_iter([(key.to_string(), value)]));
    let mut value = json!({"S": 1});
    for _ in 0..10_000 {
        value = object("M", object("a", value));
    }
    let mock = object("Item", object("a", value));
    for mode in [Strict, Present] {
        let verdict = validate_mock_result("arn:aws:states:::dynamodb:getItem", &mock, mode);
        assert_eq!(verdict, Ok(()));
    }
    // A shallow version of the same mistake is found.
    let shallow = json!({"Item": {"a": {"M": {"a": {"S": 1}}}}});
    assert_eq!(
        check("arn:aws:states:::dynamodb:getItem", shallow, Strict),
        err("Field 'S' must be a string")
    );
    // Deep JSON under a field the model doesn't know is never walked.
    let mut unknown = json!(1);
    for _ in 0..10_000 {
        unknown = Value::Array(vec![unknown]);
    }
    let mock2 = object("Unknown", unknown);
    assert_eq!(validate_mock_result(PUT_ITEM, &mock2, Strict), Ok(()));
    drop_deep(mock);
    drop_deep(mock2);
}

/// serde_json drops a value recursively: take a deep one apart by hand.
fn drop_deep(value: Value) {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => stack.extend(map.into_iter().map(|(_, v)| v)),
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
}
