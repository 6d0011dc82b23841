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
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 file checked: 1 valid"));
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
