//! Local handlers (`engine::backends::handlers`): the user's Python, Node and command code
//! answering Task states, with real processes. The fixtures in `tests/data/handlers/` are
//! copied to a temporary folder per test, so nothing a handler writes lands in the repository.
//! A language's tests are skipped (with a message) when its interpreter is missing.

use asl_studio::asl::model::StateMachine;
use asl_studio::engine::backends::handlers::{
    HANDLER_CRASHED_ERROR, Handler, HandlerBackend, HandlersError, HandlersFile, RunLog,
    wrap_lambda_invoke,
};
use asl_studio::engine::backends::{
    MockBackend, NoBackend, SharedBackend, TaskBackend, TaskInvocation, TaskOutcome, TaskRequest,
    UnmockedPolicy,
};
use asl_studio::engine::{Execution, ExecutionOptions, ExecutionStatus};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/handlers");

fn have(program: &str) -> bool {
    let found = std::process::Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if !found {
        eprintln!("skipped: `{program}` is not installed");
    }
    found
}

/// The fixtures, copied to a fresh folder (kept alive by the returned guard).
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for entry in std::fs::read_dir(FIXTURES).expect("the fixtures") {
        let entry = entry.expect("a fixture");
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copied");
    }
    dir
}

fn handlers(dir: &Path, file: Value) -> HandlersFile {
    let path = dir.join("test.asl.handlers.json");
    std::fs::write(&path, serde_json::to_string_pretty(&file).unwrap()).unwrap();
    HandlersFile::load(&path).unwrap()
}

fn backend(dir: &Path, file: Value) -> (HandlerBackend, RunLog) {
    let log = RunLog::new();
    let fallback: SharedBackend = Arc::new(NoBackend);
    (
        HandlerBackend::new(handlers(dir, file), fallback, log.clone()),
        log,
    )
}

fn request(state: &str, resource: &str, parameters: Value) -> TaskRequest {
    TaskRequest {
        state_name: state.into(),
        resource: resource.into(),
        parameters,
        invocation: 0,
        task_token: None,
        timeout_seconds: None,
        heartbeat_seconds: None,
        credentials: None,
    }
}

const FN_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function";
const INVOKE: &str = "arn:aws:states:::lambda:invoke";

/// Invokes and waits for the outcome (as the engine's `run` does, polling).
fn outcome(backend: &dyn TaskBackend, request: &TaskRequest) -> TaskOutcome {
    let mut invocation = backend.invoke(request);
    loop {
        match invocation {
            TaskInvocation::Done(outcome) | TaskInvocation::After { outcome, .. } => {
                return outcome;
            }
            TaskInvocation::Accepted { then, .. } => invocation = *then,
            TaskInvocation::Pending(mut pending) => {
                let start = Instant::now();
                loop {
                    if let Some(outcome) = pending.poll(Duration::from_millis(50)) {
                        return outcome;
                    }
                    assert!(start.elapsed() < Duration::from_secs(60), "no answer");
                }
            }
        }
    }
}

/// Calls a function through its Lambda ARN (in account 123456789012).
fn call_fn(backend: &dyn TaskBackend, state: &str, function: &str, event: Value) -> TaskOutcome {
    outcome(
        backend,
        &request(state, &format!("{FN_ARN}:{function}"), event),
    )
}

fn succeeded(outcome: TaskOutcome) -> Value {
    match outcome {
        TaskOutcome::Succeeded(value) => value,
        other => panic!("expected a result, got {other:?}"),
    }
}

fn failed(outcome: TaskOutcome) -> (String, String) {
    match outcome {
        TaskOutcome::Failed { error, cause } => {
            (error.unwrap_or_default(), cause.unwrap_or_default())
        }
        other => panic!("expected a failure, got {other:?}"),
    }
}

fn log_texts(log: &RunLog) -> Vec<String> {
    log.lines().into_iter().map(|line| line.text).collect()
}

#[test]
fn python_handler_gets_event_context_and_environment() {
    if !have("python3") {
        return;
    }
    let dir = workspace();
    let (backend, log) = backend(
        dir.path(),
        json!({"Handlers": {"checkInformation": {"Python": "py_handlers.py:echo"}},
               "Environment": {"TABLE_NAME": "registrations"}}),
    );
    let result = succeeded(outcome(
        &backend,
        &request(
            "Check",
            &format!("{FN_ARN}:checkInformation:prod"),
            json!({"user": "ada"}),
        ),
    ));
    assert_eq!(result["event"], json!({"user": "ada"}));
    assert_eq!(result["function_name"], "checkInformation");
    assert_eq!(
        result["invoked_function_arn"],
        format!("{FN_ARN}:checkInformation:prod")
    );
    assert_eq!(result["memory_limit_in_mb"], "128");
    assert_eq!(result["aws_request_id"].as_str().unwrap().len(), 36);
    let remaining = result["remaining"].as_i64().unwrap();
    assert!(remaining > 20_000 && remaining <= 30_000, "{remaining}");
    assert_eq!(result["table"], "registrations");
    // print() went to the log, under the state, and not into the result.
    let lines = log.lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0].state, "Check");
    assert_eq!(lines[0].text, "echo got {'user': 'ada'}");
    assert!(!result.to_string().contains("echo got"));
}

#[test]
fn prints_and_raw_writes_never_reach_the_result() {
    if !have("python3") {
        return;
    }
    let dir = workspace();
    let (backend, log) = backend(
        dir.path(),
        json!({"Handlers": {"noisy": {"Python": "py_handlers.py:noisy"},
               "readsStdin": {"Python": "py_handlers.py:reads_stdin"}}}),
    );
    let result = succeeded(call_fn(&backend, "Noisy", "noisy", json!({})));
    assert_eq!(result, json!({"quiet": true}));
    // Lines written straight to file descriptor 1 reach the log through stderr, a moment later.
    let start = Instant::now();
    while log.len() < 3 && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(10));
    }
    let texts = log_texts(&log);
    for expected in ["to stdout", "to stderr", "raw fd 1"] {
        assert!(texts.iter().any(|t| t == expected), "{texts:?}");
    }
    // Reading stdin (or a child process inheriting it) finds nothing, and the worker goes on.
    let read = succeeded(call_fn(&backend, "Read", "readsStdin", json!({})));
    assert_eq!(read, json!({"stdin": "", "child": ""}));
    let again = succeeded(call_fn(&backend, "Noisy", "noisy", json!({})));
    assert_eq!(again, json!({"quiet": true}));
}

#[test]
fn node_esm_and_commonjs_handlers() {
    if !have("node") {
        return;
    }
    let dir = workspace();
    let (backend, log) = backend(
        dir.path(),
        json!({"Handlers": {
            "esm": {"Node": "node_esm.mjs:handler"},
            "cjs": {"Node": {"Handler": "node_cjs.js:handler", "Interpreter": "node"}},
            "cjsSync": {"Node": "node_cjs.js:sync"}},
            "Environment": {"TABLE_NAME": "registrations"}}),
    );
    let esm = succeeded(call_fn(&backend, "Esm", "esm", json!({"a": 1})));
    assert_eq!(esm["event"], json!({"a": 1}));
    assert_eq!(esm["functionName"], "esm");
    assert_eq!(esm["invokedFunctionArn"], format!("{FN_ARN}:esm"));
    assert_eq!(esm["memoryLimitInMB"], "128");
    assert_eq!(esm["awsRequestId"].as_str().unwrap().len(), 36);
    assert!(esm["remaining"].as_i64().unwrap() > 20_000);
    assert_eq!(esm["table"], "registrations");
    let cjs = succeeded(call_fn(&backend, "Cjs", "cjs", json!({"n": 21})));
    assert_eq!(cjs, json!({"doubled": 42, "functionName": "cjs"}));
    let sync = succeeded(call_fn(&backend, "Sync", "cjsSync", json!(7)));
    assert_eq!(sync, json!({"sync": 7}));
    let texts = log_texts(&log);
    assert!(
        texts.contains(&"esm got {\"a\":1}".to_string()),
        "{texts:?}"
    );
    assert!(texts.contains(&"cjs got 21".to_string()), "{texts:?}");
    assert!(!esm.to_string().contains("esm got"));
}

#[test]
fn command_handler_reads_stdin_and_answers_on_stdout() {
    if !have("python3") {
        return;
    }
    let dir = workspace();
    let (backend, log) = backend(
        dir.path(),
        json!({"Handlers": {
            "arn:aws:states:::aws-sdk:s3:getObject": {"Command": ["python3", "echo_stdin.py", "--fixed"]},
            "arn:aws:states:us-east-1:123456789012:activity:approve": {"Command": ["python3", "echo_stdin.py"]}}}),
    );
    let result = succeeded(outcome(
        &backend,
        &request(
            "Get",
            "arn:aws:states:::aws-sdk:s3:getObject",
            json!({"Bucket": "b", "Key": "k"}),
        ),
    ));
    assert_eq!(
        result,
        json!({"received": {"Bucket": "b", "Key": "k"}, "argv": ["--fixed"]})
    );
    assert!(log_texts(&log).contains(&"echo_stdin ran".to_string()));
    // An activity: taken by the local worker first, then answered.
    let activity = request(
        "Approve",
        "arn:aws:states:us-east-1:123456789012:activity:approve",
        json!({"ok": 1}),
    );
    let TaskInvocation::Accepted { receipt, .. } = backend.invoke(&activity) else {
        panic!("an activity is taken before it is answered");
    };
    assert_eq!(receipt.worker_name.as_deref(), Some("asl-studio:python3"));
    assert_eq!(
        succeeded(outcome(&backend, &activity))["received"],
        json!({"ok": 1})
    );
}

#[test]
fn python_exceptions_are_reported_as_lambda_reports_them() {
    if !have("python3") {
        return;
    }
    let dir = workspace();
    let (backend, _log) = backend(
        dir.path(),
        json!({"Handlers": {"fail": {"Python": "py_handlers.py:fail"},
                            "missing": {"Python": "py_handlers.py:nothing_here"}}}),
    );
    // A function ARN: the runtime's error document as is (json.dumps spacing).
    let (error, cause) = failed(call_fn(&backend, "F", "fail", json!({})));
    assert_eq!(error, "ValueError");
    assert!(
        cause.starts_with(r#"{"errorMessage": "bad", "errorType": "ValueError", "requestId": ""#),
        "{cause}"
    );
    let document: Value = serde_json::from_str(&cause).unwrap();
    let keys: Vec<&String> = document.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["errorMessage", "errorType", "requestId", "stackTrace"]
    );
    let frame = document["stackTrace"][0].as_str().unwrap();
    assert!(
        frame.contains("py_handlers.py\", line")
            && frame.contains("in fail\n    raise ValueError(\"bad\")\n"),
        "{frame}"
    );
    // lambda:invoke: the same document, compact, as Step Functions passes it on.
    let (error, cause) = failed(outcome(
        &backend,
        &request("F", INVOKE, json!({"FunctionName": "fail", "Payload": {}})),
    ));
    assert_eq!(error, "ValueError");
    assert!(
        cause.starts_with(r#"{"errorMessage":"bad","errorType":"ValueError","requestId":""#),
        "{cause}"
    );
    // A missing function: the runtime's own error.
    let (error, cause) = failed(call_fn(&backend, "M", "missing", json!({})));
    assert_eq!(error, "Runtime.HandlerNotFound");
    assert!(cause.contains("nothing_here"), "{cause}");
}

#[test]
fn node_errors_are_reported_as_lambda_reports_them() {
    if !have("node") {
        return;
    }
    let dir = workspace();
    let (backend, _log) = backend(
        dir.path(),
        json!({"Handlers": {"nodeFail": {"Node": "node_esm.mjs:fail"}}}),
    );
    let (error, cause) = failed(call_fn(&backend, "N", "nodeFail", json!({})));
    assert_eq!(error, "TypeError");
    let document: Value = serde_json::from_str(&cause).unwrap();
    assert_eq!(document["errorType"], "TypeError");
    assert_eq!(document["errorMessage"], "not a number");
    let trace = document["trace"].as_array().unwrap();
    assert_eq!(trace[0], "TypeError: not a number");
    assert!(
        trace
            .iter()
            .any(|line| line.as_str().unwrap().contains("node_esm.mjs"))
    );
    assert!(
        !cause.contains("[eval]"),
        "the worker's frames are hidden: {cause}"
    );
}

#[test]
fn command_failures() {
    if !have("python3") {
        return;
    }
    let dir = workspace();
    let (backend, _log) = backend(
        dir.path(),
        json!({"Handlers": {
            "exit3": {"Command": ["python3", "exit3.py"]},
            "errorBody": {"Command": ["python3", "error_body.py"]}}}),
    );
    let (error, cause) = failed(call_fn(&backend, "E", "exit3", json!({})));
    assert_eq!(error, "States.TaskFailed");
    assert_eq!(cause, "the database is gone");
    let (error, cause) = failed(call_fn(&backend, "B", "errorBody", json!({})));
    assert_eq!(error, "Invalid");
    assert_eq!(
        serde_json::from_str::<Value>(&cause).unwrap(),
        json!({"errorType": "Invalid", "errorMessage": "no"})
    );
}

fn run_machine(backend: HandlerBackend, definition: Value, input: Value) -> Execution {
    let machine = StateMachine::from_value(&definition).unwrap();
    let mut execution = Execution::with_backend(
        &machine,
        input,
        ExecutionOptions::default(),
        Arc::new(backend),
    )
    .unwrap();
    execution.run();
    execution
}

fn event_types(execution: &Execution) -> Vec<String> {
    execution
        .history()
        .iter()
        .map(|event| event.kind.type_name())
        .collect()
}

#[test]
fn retry_on_a_python_error_through_the_engine() {
    if !have("python3") {
        return;
    }
    let dir = workspace();
    let (backend, _log) = backend(
        dir.path(),
        json!({"Handlers": {"flaky": {"Python": "py_handlers.py:flaky"}}}),
    );
    let definition = json!({"StartAt": "Call", "States": {"Call": {
        "Type": "Task", "Resource": format!("{FN_ARN}:flaky"),
        "Retry": [{"ErrorEquals": ["ValueError"], "IntervalSeconds": 1, "MaxAttempts": 2}],
        "End": true}}});
    let execution = run_machine(backend, definition, json!({"x": 1}));
    assert_eq!(
        execution.status(),
        ExecutionStatus::Succeeded,
        "{:?}",
        execution.failure()
    );
    assert_eq!(
        execution.output(),
        Some(&json!({"calls": 2, "event": {"x": 1}}))
    );
    let types = event_types(&execution);
    assert_eq!(
        types
            .iter()
            .filter(|t| *t == "LambdaFunctionFailed")
            .count(),
        1
    );
    assert_eq!(
        types
            .iter()
            .filter(|t| *t == "LambdaFunctionSucceeded")
            .count(),
        1
    );
}

#[test]
fn retry_and_catch_through_lambda_invoke() {
    if !have("python3") {
        return;
    }
    let dir = workspace();
    let (backend, _log) = backend(
        dir.path(),
        json!({"Handlers": {"flaky": {"Python": "py_handlers.py:flaky"},
                            "fail": {"Python": "py_handlers.py:fail"}}}),
    );
    let definition = json!({"StartAt": "Flaky", "States": {
        "Flaky": {"Type": "Task", "Resource": INVOKE,
            "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:flaky:live", "Payload.$": "$"},
            "Retry": [{"ErrorEquals": ["ValueError"], "IntervalSeconds": 1}],
            "ResultPath": "$.flaky", "Next": "Fail"},
        "Fail": {"Type": "Task", "Resource": INVOKE,
            "Parameters": {"FunctionName": "123456789012:function:fail", "Payload": {}},
            "Catch": [{"ErrorEquals": ["ValueError"], "ResultPath": "$.error", "Next": "Done"}],
            "End": true},
        "Done": {"Type": "Pass", "End": true}}});
    let execution = run_machine(backend, definition, json!({"order": 7}));
    assert_eq!(
        execution.status(),
        ExecutionStatus::Succeeded,
        "{:?}",
        execution.failure()
    );
    let output = execution.output().unwrap();
    let flaky = &output["flaky"];
    assert_eq!(flaky["Payload"], json!({"calls": 2, "event": {"order": 7}}));
    assert_eq!(flaky["StatusCode"], 200);
    assert_eq!(flaky["ExecutedVersion"], "$LATEST");
    assert_eq!(flaky["SdkHttpMetadata"]["HttpStatusCode"], 200);
    let request_id = flaky["SdkResponseMetadata"]["RequestId"].as_str().unwrap();
    assert_eq!(
        flaky["SdkHttpMetadata"]["HttpHeaders"]["x-amzn-RequestId"],
        request_id
    );
    assert_eq!(output["error"]["Error"], "ValueError");
    let cause: Value = serde_json::from_str(output["error"]["Cause"].as_str().unwrap()).unwrap();
    assert_eq!(cause["errorMessage"], "bad");
    assert_eq!(cause["errorType"], "ValueError");
    let types = event_types(&execution);
    assert_eq!(types.iter().filter(|t| *t == "TaskFailed").count(), 2);
}

#[test]
fn a_map_over_a_handler_keeps_the_order() {
    if !have("python3") {
        return;
    }
    let dir = workspace();
    let log = RunLog::new();
    let backend = HandlerBackend::with_max_workers(
        handlers(
            dir.path(),
            json!({"Handlers": {"identity": {"Python": "py_handlers.py:identity"}}}),
        ),
        Arc::new(NoBackend),
        log,
        3,
    );
    let definition = json!({"StartAt": "Each", "States": {"Each": {"Type": "Map",
        "ItemProcessor": {"StartAt": "Call", "States": {"Call": {
            "Type": "Task", "Resource": format!("{FN_ARN}:identity"), "End": true}}},
        "End": true}}});
    let items: Vec<Value> = (0..200).map(|i| json!({"i": i})).collect();
    let execution = run_machine(backend, definition, Value::Array(items.clone()));
    assert_eq!(
        execution.status(),
        ExecutionStatus::Succeeded,
        "{:?}",
        execution.failure()
    );
    assert_eq!(execution.output(), Some(&Value::Array(items)));
}

#[test]
fn a_slow_handler_times_out_and_the_next_call_works() {
    if !have("python3") {
        return;
    }
    let dir = workspace();
    let (backend, _log) = backend(
        dir.path(),
        json!({"Handlers": {"sleepy": {"Python": "py_handlers.py:sleepy"},
                            "identity": {"Python": "py_handlers.py:identity"}},
               "TimeoutSeconds": 1}),
    );
    let start = Instant::now();
    let slow = call_fn(&backend, "Slow", "sleepy", json!({"seconds": 30}));
    let elapsed = start.elapsed();
    match slow {
        TaskOutcome::TimedOut { error, cause } => {
            assert_eq!(error, "States.Timeout");
            assert!(cause.unwrap_or_default().contains("TimeoutSeconds"));
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(
        elapsed >= Duration::from_millis(950) && elapsed < Duration::from_secs(5),
        "{elapsed:?}"
    );
    // Same file, so the same pool: its worker was restarted.
    let answer = call_fn(&backend, "Next", "identity", json!({"ok": true}));
    assert_eq!(succeeded(answer), json!({"ok": true}));
    // The state's TimeoutSeconds, when shorter than the file's, is the limit.
    let (backend, _log) = backend_with_default_timeout(dir.path());
    let mut state_limited = request("Slow", &format!("{FN_ARN}:sleepy"), json!({"seconds": 30}));
    state_limited.timeout_seconds = Some(1);
    let start = Instant::now();
    assert!(matches!(
        outcome(&backend, &state_limited),
        TaskOutcome::TimedOut { .. }
    ));
    assert!(start.elapsed() < Duration::from_secs(5));
}

fn backend_with_default_timeout(dir: &Path) -> (HandlerBackend, RunLog) {
    backend(
        dir,
        json!({"Handlers": {"sleepy": {"Python": "py_handlers.py:sleepy"}}}),
    )
}

#[test]
fn a_crashed_worker_fails_its_task_clearly_and_is_restarted() {
    if !have("python3") {
        return;
    }
    let dir = workspace();
    let (backend, log) = backend(
        dir.path(),
        json!({"Handlers": {"crash": {"Python": "py_handlers.py:crash"},
                            "identity": {"Python": "py_handlers.py:identity"}}}),
    );
    let (error, cause) = failed(call_fn(&backend, "Crash", "crash", json!({})));
    assert_eq!(error, HANDLER_CRASHED_ERROR);
    assert!(
        cause.contains("py_handlers.py") && cause.contains("exit status: 1"),
        "{cause}"
    );
    assert!(log_texts(&log).contains(&"about to crash".to_string()));
    let answer = call_fn(&backend, "Next", "identity", json!([1, 2]));
    assert_eq!(succeeded(answer), json!([1, 2]));
}

#[test]
fn hostile_input_reaches_a_command_as_plain_data() {
    if !have("python3") {
        return;
    }
    let dir = workspace();
    let (backend, _log) = backend(
        dir.path(),
        json!({"Handlers": {"arn:aws:states:::aws-sdk:sqs:sendMessage": {"Command": ["python3", "echo_stdin.py"]}}}),
    );
    let hostile = "\"; rm -rf / $(touch pwned) `touch pwned2` | && touch pwned3; '";
    let input = json!({"MessageBody": hostile, "QueueUrl": "$(touch pwned4)"});
    let result = succeeded(outcome(
        &backend,
        &request(
            "Send",
            "arn:aws:states:::aws-sdk:sqs:sendMessage",
            input.clone(),
        ),
    ));
    assert_eq!(result, json!({"received": input, "argv": []}));
    for name in ["pwned", "pwned2", "pwned3", "pwned4"] {
        assert!(!dir.path().join(name).exists(), "{name} was created");
        assert!(!Path::new(name).exists(), "{name} was created");
    }
}

#[test]
fn dropping_the_backend_kills_its_workers() {
    if !have("python3") || !Path::new("/proc/self").exists() {
        return;
    }
    let dir = workspace();
    let (backend, _log) = backend(
        dir.path(),
        json!({"Handlers": {"echo": {"Python": "py_handlers.py:echo"}}}),
    );
    let result = succeeded(call_fn(&backend, "E", "echo", json!({})));
    let pid = result["pid"].as_u64().unwrap();
    let proc_dir = PathBuf::from(format!("/proc/{pid}"));
    assert!(proc_dir.exists());
    drop(backend);
    // Killed and reaped: no process, not even a zombie.
    let start = Instant::now();
    while proc_dir.exists() && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(!proc_dir.exists(), "worker {pid} outlived the backend");
}

#[test]
fn an_edited_handler_file_is_reloaded() {
    if !have("python3") {
        return;
    }
    let dir = workspace();
    let script = dir.path().join("version.py");
    std::fs::write(&script, "def handler(event, context):\n    return 1\n").unwrap();
    let (backend, _log) = backend(
        dir.path(),
        json!({"Handlers": {"version": {"Python": "version.py:handler"}}}),
    );
    let call = request("V", &format!("{FN_ARN}:version"), json!({}));
    assert_eq!(succeeded(outcome(&backend, &call)), json!(1));
    // Modification times can be coarse: make sure the new one differs.
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(&script, "def handler(event, context):\n    return 2\n").unwrap();
    let later = std::time::SystemTime::now() + Duration::from_secs(2);
    let _ = std::fs::File::options()
        .write(true)
        .open(&script)
        .and_then(|f| f.set_modified(later));
    assert_eq!(succeeded(outcome(&backend, &call)), json!(2));
}

#[test]
fn tasks_without_a_handler_go_to_the_fallback() {
    let dir = workspace();
    let mocks = MockBackend::from_state_mocks(
        &json!({"Other": {"0": {"Return": {"mocked": true}}}}),
        UnmockedPolicy::Fail,
    )
    .unwrap();
    let backend = HandlerBackend::new(
        handlers(
            dir.path(),
            json!({"Handlers": {"identity": {"Python": "py_handlers.py:identity"}}}),
        ),
        Arc::new(mocks),
        RunLog::new(),
    );
    let answer = call_fn(&backend, "Other", "somethingElse", json!({}));
    assert_eq!(succeeded(answer), json!({"mocked": true}));
}

#[test]
fn lookup_by_name_arn_and_function_name() {
    let dir = workspace();
    let file = handlers(
        dir.path(),
        json!({"Handlers": {
            "checkInformation": {"Python": "py_handlers.py:echo"},
            "checkInformation:prod": {"Python": "py_handlers.py:identity"},
            "arn:aws:lambda:us-east-1:123456789012:function:notify": {"Node": "node_esm.mjs:handler"},
            "arn:aws:states:::aws-sdk:s3:getObject": {"Command": ["python3", "echo_stdin.py"]},
            "arn:aws:states:us-east-1:123456789012:activity:approve": {"Command": ["./exit3.py"]}}}),
    );
    let key = |resource: &str, parameters: Value| {
        file.find_key(&request("S", resource, parameters))
            .map(|(key, _)| key.to_string())
    };
    let notify = format!("{FN_ARN}:notify");
    let activity = "arn:aws:states:us-east-1:123456789012:activity:approve";
    let get_object = "arn:aws:states:::aws-sdk:s3:getObject";
    let none = json!({});
    // (resource, parameters, the key expected to answer)
    #[rustfmt::skip]
    let cases: Vec<(String, Value, Option<&str>)> = vec![
        // A name: the function in any Lambda ARN, with or without a qualifier...
        (format!("{FN_ARN}:checkInformation"), none.clone(), Some("checkInformation")),
        (format!("{FN_ARN}:checkInformation:3"), none.clone(), Some("checkInformation")),
        ("arn:aws:lambda:eu-west-1:999999999999:function:checkInformation".into(), none.clone(), Some("checkInformation")),
        // ...but a qualified key wins for its qualifier.
        (format!("{FN_ARN}:checkInformation:prod"), none.clone(), Some("checkInformation:prod")),
        (INVOKE.into(), json!({"FunctionName": "checkInformation", "Qualifier": "prod"}), Some("checkInformation:prod")),
        // A function ARN key: that function (any qualifier), by name too, not another account's.
        (format!("{notify}:live"), none.clone(), Some(&notify)),
        (INVOKE.into(), json!({"FunctionName": "notify"}), Some(&notify)),
        ("arn:aws:lambda:us-east-1:111111111111:function:notify".into(), none.clone(), None),
        // Full resources match exactly.
        (get_object.into(), none.clone(), Some(get_object)),
        ("arn:aws:states:::aws-sdk:s3:putObject".into(), none.clone(), None),
        (activity.into(), none.clone(), Some(activity)),
        (INVOKE.into(), json!({"FunctionName": "unknown"}), None),
        (INVOKE.into(), none.clone(), None),
    ];
    for (resource, parameters, expected) in cases {
        let found = key(&resource, parameters.clone());
        assert_eq!(found.as_deref(), expected, "{resource} {parameters}");
    }
    // lambda:invoke's FunctionName: name, partial ARN, full ARN, with or without qualifier.
    for name in [
        "checkInformation",
        "checkInformation:$LATEST",
        "123456789012:function:checkInformation",
        "arn:aws:lambda:us-east-1:123456789012:function:checkInformation:7",
    ] {
        for resource in [INVOKE.to_string(), format!("{INVOKE}.waitForTaskToken")] {
            let found = key(&resource, json!({"FunctionName": name}));
            assert_eq!(found.as_deref(), Some("checkInformation"), "{name}");
        }
    }
    // Paths are the file's folder's.
    let Some(Handler::Command(command)) = file.find(&request(
        "S",
        "arn:aws:states:us-east-1:123456789012:activity:approve",
        json!({}),
    )) else {
        panic!("a command");
    };
    assert_eq!(command.program, dir.path().join("./exit3.py"));
    let listed = file.commands_to_run();
    assert_eq!(listed.len(), 4, "{listed:?}");
    assert!(
        listed[0].starts_with("python3 ") && listed[0].contains("py_handlers.py"),
        "{listed:?}"
    );
    assert!(
        listed
            .iter()
            .any(|line| line.starts_with("python3 echo_stdin.py (in ")),
        "{listed:?}"
    );
}

#[test]
fn the_handlers_file_beside_a_definition() {
    let dir = tempfile::tempdir().unwrap();
    let definition = dir.path().join("order.asl.json");
    std::fs::write(&definition, "{}").unwrap();
    assert_eq!(HandlersFile::beside(&definition), None);
    let handlers = dir.path().join("order.asl.handlers.json");
    std::fs::write(&handlers, "{}").unwrap();
    assert_eq!(HandlersFile::beside(&definition), Some(handlers.clone()));
    assert_eq!(
        HandlersFile::beside(&dir.path().join("order.asl.yaml")),
        Some(handlers)
    );
    assert_eq!(
        HandlersFile::beside(&dir.path().join("other.asl.yaml")),
        None
    );
}

#[test]
fn bad_files_say_which_file_and_key() {
    let dir = workspace();
    let path = dir.path().join("bad.json");
    std::fs::write(
        &path,
        r#"{"Handlers": {"checkInformation": {"Python": "nowhere.py:fn"}}}"#,
    )
    .unwrap();
    let error = HandlersFile::load(&path).unwrap_err();
    assert!(matches!(error, HandlersError::BadHandler { .. }));
    let message = error.to_string();
    assert!(
        message.contains("bad.json")
            && message.contains("checkInformation")
            && message.contains("nowhere.py"),
        "{message}"
    );
    std::fs::write(
        &path,
        r#"{"Handlers": {"x": {"Python": "py_handlers.py"}}}"#,
    )
    .unwrap();
    assert!(
        HandlersFile::load(&path)
            .unwrap_err()
            .to_string()
            .contains("<file>:<function>")
    );
    std::fs::write(&path, r#"{"Handler": {}}"#).unwrap();
    assert!(
        HandlersFile::load(&path)
            .unwrap_err()
            .to_string()
            .contains("unknown field \"Handler\"")
    );
    std::fs::write(&path, "{").unwrap();
    assert!(matches!(
        HandlersFile::load(&path),
        Err(HandlersError::Json { .. })
    ));
    assert!(matches!(
        HandlersFile::load(&dir.path().join("none.json")),
        Err(HandlersError::Read { .. })
    ));
    let connections = HandlersFile::from_value(
        &json!({"Connections": {"arn:aws:events:us-east-1:1:connection/api/abc": {"ApiKey": {"Name": "x-api-key", "Value": "local"}}},
                "TimeoutSeconds": 5}),
        dir.path(),
    )
    .unwrap();
    assert_eq!(
        connections
            .connection("arn:aws:events:us-east-1:1:connection/api/abc")
            .unwrap()["ApiKey"]["Value"],
        "local"
    );
    assert_eq!(connections.timeout(), Duration::from_secs(5));
}

#[test]
fn a_callback_task_runs_the_function_and_waits_for_the_fallback() {
    if !have("python3") {
        return;
    }
    let dir = workspace();
    let mocks = MockBackend::from_state_mocks(
        &json!({"Ask": {"0": {"Return": {"approved": true}}}}),
        UnmockedPolicy::Fail,
    )
    .unwrap();
    let log = RunLog::new();
    let backend = HandlerBackend::new(
        handlers(
            dir.path(),
            json!({"Handlers": {"echo": {"Python": "py_handlers.py:echo"}}}),
        ),
        Arc::new(mocks),
        log.clone(),
    );
    let mut callback = request(
        "Ask",
        &format!("{INVOKE}.waitForTaskToken"),
        json!({"FunctionName": "echo", "Payload": {"token": "t-1"}}),
    );
    callback.task_token = Some("t-1".into());
    assert_eq!(
        succeeded(outcome(&backend, &callback)),
        json!({"approved": true})
    );
    // The function itself ran with the payload (its print is in the log).
    let start = Instant::now();
    while log.is_empty() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(log_texts(&log), ["echo got {'token': 't-1'}"]);
}

#[test]
fn the_invoke_envelope() {
    let wrapped = wrap_lambda_invoke(
        json!({"body": "string body"}),
        "5e1b7c2a-9d3f-4a6e-8b0c-000000000001",
    );
    let keys: Vec<&String> = wrapped.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "ExecutedVersion",
            "Payload",
            "SdkHttpMetadata",
            "SdkResponseMetadata",
            "StatusCode"
        ]
    );
    let headers = &wrapped["SdkHttpMetadata"]["HttpHeaders"];
    assert_eq!(headers["Content-Length"], "23");
    assert_eq!(headers["Content-Type"], "application/json");
    assert_eq!(headers["X-Amz-Executed-Version"], "$LATEST");
    assert_eq!(
        wrapped["SdkHttpMetadata"]["AllHttpHeaders"]["Content-Length"],
        json!(["23"])
    );
    assert_eq!(
        wrapped["SdkResponseMetadata"]["RequestId"],
        "5e1b7c2a-9d3f-4a6e-8b0c-000000000001"
    );
    assert_eq!(wrapped["StatusCode"], 200);
}
