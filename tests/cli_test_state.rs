//! `asl-studio test-state`, run as a process: the API's request and response shapes, the
//! flags for people, exit codes.

use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Output};

fn asl_studio(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_asl-studio"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

const MACHINE: &str = r#"{"StartAt": "Charge", "States": {
  "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
    "Parameters": {"FunctionName": "charge", "Payload.$": "$.order"},
    "ResultSelector": {"receipt.$": "$.Payload"}, "ResultPath": "$.charged",
    "Retry": [{"ErrorEquals": ["Card.Declined"], "IntervalSeconds": 5, "MaxAttempts": 2}],
    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Refund"}],
    "Next": "Ship"},
  "Ship": {"Type": "Succeed"},
  "Refund": {"Type": "Fail"}}}"#;

#[test]
fn a_request_file_gets_the_api_response_with_data_as_json_text() {
    let dir = tempfile::tempdir().unwrap();
    let request = json!({
        "definition": MACHINE,
        "stateName": "Charge",
        "input": "{\"order\": {\"id\": 1}}",
        "inspectionLevel": "DEBUG",
        "mock": {"result": "{\"Payload\": {\"ok\": true}, \"StatusCode\": 200}"}
    });
    let file = write(dir.path(), "request.json", &request.to_string());
    let out = asl_studio(&["test-state", "--request", &file]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let response: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(response["status"], "SUCCEEDED");
    assert_eq!(response["nextState"], "Ship");
    let output: Value = serde_json::from_str(response["output"].as_str().unwrap()).unwrap();
    assert_eq!(
        output,
        json!({"order": {"id": 1}, "charged": {"receipt": {"ok": true}}})
    );
    let selected = response["inspectionData"]["afterResultSelector"]
        .as_str()
        .expect("stages are JSON text, as the API sends them");
    assert_eq!(
        serde_json::from_str::<Value>(selected).unwrap(),
        json!({"receipt": {"ok": true}})
    );
}

#[test]
fn an_api_error_prints_the_exception_and_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    let request = json!({
        "definition": "{\"Type\": \"Pass\", \"End\": true}",
        "mock": {"result": "{}"}
    });
    let file = write(dir.path(), "request.json", &request.to_string());
    let out = asl_studio(&["test-state", "--request", &file]);
    assert_eq!(out.status.code(), Some(2));
    let error: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        error,
        json!({"exception": {"code": "ValidationException",
            "message": "State type 'Pass' is not supported when a mock is specified"}})
    );
}

#[test]
fn flags_test_a_state_of_a_machine_and_list_the_stages() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "order.asl.json", MACHINE);
    let out = asl_studio(&[
        "test-state",
        &file,
        "--state",
        "Charge",
        "--input",
        r#"{"order": {"id": 1}}"#,
        "--mock-error",
        "Card.Declined",
        "--mock-cause",
        "insufficient funds",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a retriable error is not a success"
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("status      RETRIABLE\n"), "{text}");
    assert!(text.contains("cause       insufficient funds"), "{text}");
    let input = text.find("input (Input)").expect("the input stage");
    let parameters = text
        .find("afterParameters (Parameters)")
        .expect("Parameters");
    assert!(input < parameters, "stages are listed in order:\n{text}");
    assert!(text.contains("\"retryBackoffIntervalSeconds\":5"), "{text}");

    let caught = asl_studio(&[
        "test-state",
        &file,
        "--state",
        "Charge",
        "--input",
        r#"{"order": {"id": 2}}"#,
        "--mock-error",
        "Card.Declined",
        "--retry-count",
        "2",
        "--format",
        "json",
    ]);
    assert_eq!(caught.status.code(), Some(0));
    let response: Value = serde_json::from_slice(&caught.stdout).unwrap();
    assert_eq!(response["status"], "CAUGHT_ERROR");
    assert_eq!(response["nextState"], "Refund");
    assert_eq!(
        response["inspectionData"]["errorDetails"],
        json!({"catchIndex": 0, "retryIndex": 0})
    );
}

#[test]
fn a_whole_machine_needs_a_state_name() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "order.asl.json", MACHINE);
    let out = asl_studio(&["test-state", &file]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--state"));
}

#[test]
fn yaml_definitions_and_inspection_levels() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "pass.asl.yaml",
        "Type: Pass\nParameters:\n  doubled.$: States.MathAdd($.n, $.n)\nEnd: true\n",
    );
    let out = asl_studio(&[
        "test-state",
        &file,
        "--input",
        r#"{"n": 21}"#,
        "--inspection-level",
        "INFO",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let response: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(response["output"], "{\"doubled\":42}");
    assert!(response.get("inspectionData").is_none());
}
