//! The `asl-studio` command line, run as a process like users and CI run it.

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

const VALID: &str = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}"#;
const INVALID: &str = "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}\n  }\n}\n";

#[test]
fn validate_exits_zero_on_valid_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "ok.asl.json", VALID);
    let out = asl_studio(&["validate", &file]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 definition checked: 1 valid"));
}

#[test]
fn validate_reports_like_a_compiler_and_exits_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "bad.asl.json", INVALID);
    let out = asl_studio(&["validate", &file]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout.trim(),
        format!(
            "{file}:4:35: error[UNKNOWN_TARGET]: Next \"B\" is not a state of this state machine"
        )
    );
}

#[test]
fn validate_json_output_has_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "ok.asl.json", VALID);
    let bad = write(dir.path(), "bad.asl.json", INVALID);
    let out = asl_studio(&["validate", "--format", "json", &good, &bad]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report[0]["file"], good.as_str());
    assert_eq!(report[0]["valid"], true);
    assert_eq!(report[0]["diagnostics"], serde_json::json!([]));
    assert_eq!(report[1]["valid"], false);
    assert_eq!(
        report[1]["diagnostics"][0],
        serde_json::json!({
            "severity": "error", "code": "UNKNOWN_TARGET",
            "message": "Next \"B\" is not a state of this state machine",
            "pointer": "/States/A/Next", "line": 4, "column": 35
        })
    );
}

#[test]
fn validate_reads_yaml_and_reports_syntax_errors() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = write(
        dir.path(),
        "m.asl.yaml",
        "StartAt: A\nStates:\n  A:\n    Type: Succeed\n",
    );
    assert_eq!(asl_studio(&["validate", &yaml]).status.code(), Some(0));
    let broken = write(
        dir.path(),
        "broken.asl.json",
        "{\"StartAt\": \"A\",\n \"States\": {\"A\": {\"Type\": \"Succeed\"}\n",
    );
    let out = asl_studio(&["validate", &broken]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with(&format!(
            "{broken}:2:12: error[SYNTAX]: unterminated object"
        )),
        "{stdout}"
    );
}

#[test]
fn validate_express_rejects_task_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "cb.asl.json",
        r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": true}}}"#,
    );
    assert_eq!(asl_studio(&["validate", &file]).status.code(), Some(0));
    assert_eq!(
        asl_studio(&["validate", "--type", "express", &file])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn usage_and_io_errors_exit_two_without_panicking() {
    let out = asl_studio(&["validate", "/definitely/not/here.asl.json"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot read /definitely/not/here.asl.json"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
    assert_eq!(asl_studio(&["validate"]).status.code(), Some(2));
    assert_eq!(
        asl_studio(&["validate", "--format", "xml", "x"])
            .status
            .code(),
        Some(2)
    );
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("bin.json");
    std::fs::write(&binary, [0xff, 0xfe, 0x00]).unwrap();
    let out = asl_studio(&["validate", &binary.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not UTF-8"));
}

#[test]
fn validate_reads_standard_input() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_asl-studio"))
        .args(["validate", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(INVALID.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("<stdin>:4:35: error[UNKNOWN_TARGET]")
    );
}

#[test]
fn validate_checks_the_state_machines_of_a_sam_template() {
    let dir = tempfile::tempdir().unwrap();
    let template = write(
        dir.path(),
        "template.yaml",
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n        StartAt: Call\n        States:\n          Call:\n            Type: Task\n            Resource: !GetAtt Fn.Arn\n            Next: Missing\n",
    );
    let out = asl_studio(&["validate", &template]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!(
            "{template}:13:19: error[UNKNOWN_TARGET]: [Flow] Next \"Missing\" is not a state"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("info[PLACEHOLDER]"),
        "!GetAtt is a deployment placeholder: {stdout}"
    );
}

const PASS_CHAIN: &str = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"ok": true}, "ResultPath": "$.a", "Next": "B"}, "B": {"Type": "Succeed"}}}"#;

#[test]
fn run_prints_status_output_and_history_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "m.asl.json", PASS_CHAIN);
    let out = asl_studio(&["run", &file, "--input", r#"{"x": 1}"#, "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["status"], "SUCCEEDED");
    assert_eq!(
        report["output"],
        serde_json::json!({"x": 1, "a": {"ok": true}})
    );
    assert_eq!(report["error"], serde_json::Value::Null);
    let types: Vec<&str> = report["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "SucceedStateEntered",
            "SucceedStateExited",
            "ExecutionSucceeded"
        ]
    );
    assert_eq!(
        report["history"][1]["stateEnteredEventDetails"]["input"],
        "{\"x\":1}"
    );
}

#[test]
fn run_json_without_history_keeps_the_report_and_drops_the_events() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "m.asl.json", PASS_CHAIN);
    let out = asl_studio(&[
        "run",
        &file,
        "--input",
        r#"{"x": 1}"#,
        "--format",
        "json",
        "--no-history",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<&str> = report
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["status", "output", "error", "cause"]);
    assert_eq!(
        report["output"],
        serde_json::json!({"x": 1, "a": {"ok": true}})
    );
}

#[test]
fn run_text_output_is_readable() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "m.asl.json", PASS_CHAIN);
    let out = asl_studio(&["run", &file, "--history"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.contains("PassStateEntered") && l.trim_end().ends_with(" A")),
        "{stdout}"
    );
    assert!(stdout.contains("SUCCEEDED after 6 events"), "{stdout}");
    assert!(stdout.contains("\"ok\": true"), "{stdout}");
}

#[test]
fn run_fails_clearly_on_bad_input_and_invalid_definitions() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "m.asl.json", PASS_CHAIN);
    let out = asl_studio(&["run", &file, "--input", "{not json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--input is not valid JSON"));
    let invalid = write(dir.path(), "bad.asl.json", INVALID);
    let out = asl_studio(&["run", &invalid]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the definition is not valid") && stderr.contains("UNKNOWN_TARGET"),
        "{stderr}"
    );
    let out = asl_studio(&["run", "/no/such/definition.json"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn run_stops_endless_loops_at_the_event_cap() {
    let dir = tempfile::tempdir().unwrap();
    let endless = write(
        dir.path(),
        "loop.asl.json",
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "BooleanEquals": true, "Next": "Done"}], "Default": "A"}, "Done": {"Type": "Succeed"}}}"#,
    );
    let out = asl_studio(&[
        "run",
        &endless,
        "--max-events",
        "500",
        "--input",
        r#"{"stop": false}"#,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("FAILED after 500 events"), "{stdout}");
    assert!(stdout.contains("limit of 500 history events"), "{stdout}");
}

#[test]
fn run_uses_mocks_by_state_name() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "t.asl.json",
        r#"{"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 3}], "End": true}}}"#,
    );
    let mocks = write(
        dir.path(),
        "mocks.json",
        r#"{"Call": {"0": {"Throw": {"Error": "Busy"}}, "1": {"Return": {"Payload": 7}}}}"#,
    );
    let out = asl_studio(&["run", &file, "--mocks", &mocks]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("(3s of virtual time)"), "{stdout}");
    let out = asl_studio(&["run", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("AslStudio.NoBackend"));
    let out = asl_studio(&["run", &file, "--unmocked", "echo"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn test_command_reports_failures_and_honours_known_failures() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "good.json",
        r#"{"name": "good", "definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": 1, "End": true}}}, "input": {}, "expected": {"status": "SUCCEEDED", "output": 1}}"#,
    );
    let nested = dir.path().join("more");
    std::fs::create_dir(&nested).unwrap();
    write(
        &nested,
        "bad.json",
        r#"{"name": "bad", "definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": 2, "End": true}}}, "input": {}, "expected": {"status": "SUCCEEDED", "output": 1}}"#,
    );
    let folder = dir.path().to_string_lossy().into_owned();
    let out = asl_studio(&["test", &folder]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("FAIL bad: at output: expected 1, got 2"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().last(), Some("1 passed, 1 failed"));
    let known = write(
        dir.path(),
        "known.txt",
        "# allowed\nbad | the recorded output is deliberately wrong\n",
    );
    let out = asl_studio(&[
        "test",
        &format!("{folder}/good.json"),
        &format!("{folder}/more"),
        "--known-failures",
        &known,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let bad_list = write(dir.path(), "list.txt", "bad\n");
    assert_eq!(
        asl_studio(&["test", &folder, "--known-failures", &bad_list])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn export_writes_sam_and_refuses_invalid_definitions() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "flow.asl.json",
        r#"{"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Work", "End": true}}}"#,
    );
    let out = asl_studio(&["export", &file, "--to", "sam", "--parameterize-arns"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("AWS::Serverless::StateMachine"), "{stdout}");
    assert!(stdout.contains("${WorkFunctionArn}"), "{stdout}");
    let invalid = write(dir.path(), "bad.asl.json", INVALID);
    assert_eq!(
        asl_studio(&["export", &invalid, "--to", "yaml"])
            .status
            .code(),
        Some(1)
    );
}
