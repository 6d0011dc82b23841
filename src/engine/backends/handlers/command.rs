//! Command handlers: a program run once per task, without a shell. The task's input goes to
//! its stdin as JSON and its stdout is the result; nothing from the execution ever reaches
//! its command line.

use super::lambda::LambdaCall;
use super::process::{StderrTail, pump_stderr, tail_text};
use super::{HANDLER_NOT_STARTED_ERROR, Host, Reply};
use crate::engine::backends::TaskOutcome;
use crate::engine::error_names;
use serde_json::Value;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How many lines of stderr a failed command's cause quotes (all of them go to the log).
const STDERR_CAUSE_LINES: usize = 200;
/// The most of a failed command's stdout shown in a cause.
const SHOWN_OUTPUT: usize = 300;

/// One run of a command.
pub struct CommandJob {
    pub program: PathBuf,
    pub args: Vec<String>,
    /// What goes to stdin.
    pub input: Value,
    /// When the command stands for a Lambda function: how its result and errors are shaped.
    pub call: Option<LambdaCall>,
    pub state_name: String,
    pub timeout: Duration,
    pub timeout_reason: String,
    pub reply: Reply,
}

/// Runs the command on a thread of its own; the reply carries the outcome.
pub fn start(host: Arc<Host>, job: CommandJob) {
    let (sender, receiver) = mpsc::channel::<CommandJob>();
    let started = std::thread::Builder::new()
        .name("asl-handler-command".into())
        .spawn(move || {
            if let Ok(job) = receiver.recv() {
                let outcome = run(&host, &job);
                job.reply.send(outcome);
            }
        });
    match started {
        Ok(_) => {
            let _ = sender.send(job);
        }
        Err(error) => job.reply.send(TaskOutcome::Failed {
            error: Some(HANDLER_NOT_STARTED_ERROR.into()),
            cause: Some(format!("could not start a thread for the command: {error}")),
        }),
    }
}

fn run(host: &Host, job: &CommandJob) -> TaskOutcome {
    let program = job.program.display().to_string();
    let mut command = Command::new(&job.program);
    command
        .args(&job.args)
        .current_dir(&host.cwd)
        .envs(host.environment.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(error) => {
            return TaskOutcome::Failed {
                error: Some(HANDLER_NOT_STARTED_ERROR.into()),
                cause: Some(format!("could not start {program}: {error}")),
            };
        }
    };
    let (Some(mut stdin), Some(mut stdout), Some(stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        let _ = child.kill();
        let _ = child.wait();
        return not_started(&program, "its pipes could not be opened".into());
    };
    let id = match host.table.add(child) {
        Ok(id) => id,
        Err(closed) => return not_started(&program, closed.to_string()),
    };
    let deadline = Instant::now() + job.timeout;
    // The input goes in from a thread of its own: a command that writes a lot before
    // reading its input must not deadlock against us.
    let input = serde_json::to_vec(&job.input).unwrap_or_default();
    let _ = std::thread::Builder::new()
        .name("asl-handler-stdin".into())
        .spawn(move || {
            let _ = stdin.write_all(&input);
            // Dropping stdin closes it: the command sees the end of its input.
        });
    let (sender, output) = mpsc::channel::<Vec<u8>>();
    let _ = std::thread::Builder::new()
        .name("asl-handler-stdout".into())
        .spawn(move || {
            let mut bytes = Vec::new();
            let _ = stdout.read_to_end(&mut bytes);
            let _ = sender.send(bytes);
        });
    let tail = StderrTail::default();
    let stderr_done = pump_stderr(
        stderr,
        host.log.clone(),
        Arc::new(Mutex::new(job.state_name.clone())),
        Arc::clone(&tail),
        STDERR_CAUSE_LINES,
    );
    let timed_out = || {
        host.table.remove(id);
        TaskOutcome::TimedOut {
            error: error_names::TIMEOUT.to_string(),
            cause: Some(format!(
                "The command {program} did not finish within {:.3} s ({}); it was stopped.",
                job.timeout.as_secs_f64(),
                job.timeout_reason
            )),
        }
    };
    let stdout = match output.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        Ok(bytes) => bytes,
        Err(RecvTimeoutError::Timeout) => return timed_out(),
        Err(RecvTimeoutError::Disconnected) => Vec::new(),
    };
    // Its stdout is closed; it has exited or is about to.
    let mut pause = Duration::from_micros(200);
    let status = loop {
        if let Some(status) = host.table.try_wait(id) {
            break status;
        }
        if Instant::now() >= deadline {
            return timed_out();
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(20));
    };
    host.table.remove(id);
    if !status.success() {
        let stderr = tail_text(&stderr_done, &tail);
        let cause = if stderr.trim().is_empty() {
            format!("{program} ended with {status}")
        } else {
            stderr.trim_end().to_string()
        };
        return TaskOutcome::Failed {
            error: Some(error_names::TASK_FAILED.into()),
            cause: Some(cause),
        };
    }
    let text = String::from_utf8_lossy(&stdout);
    let text = text.trim();
    let result = if text.is_empty() {
        Value::Null
    } else {
        match serde_json::from_str::<Value>(text) {
            Ok(value) => value,
            Err(error) => {
                let shown: String = text.chars().take(SHOWN_OUTPUT).collect();
                return TaskOutcome::Failed {
                    error: Some(error_names::TASK_FAILED.into()),
                    cause: Some(format!(
                        "The output of {program} is not JSON ({error}): {shown}"
                    )),
                };
            }
        }
    };
    // An error document, as a Lambda function returns one: its type is the error.
    if let Some(error_type) = result.get("errorType").and_then(Value::as_str)
        && result.get("errorMessage").is_some()
        && !error_type.is_empty()
    {
        return TaskOutcome::Failed {
            error: Some(error_type.to_string()),
            cause: Some(text.to_string()),
        };
    }
    match &job.call {
        Some(call) => call.succeeded(result),
        None => TaskOutcome::Succeeded(result),
    }
}

fn not_started(program: &str, why: String) -> TaskOutcome {
    TaskOutcome::Failed {
        error: Some(HANDLER_NOT_STARTED_ERROR.into()),
        cause: Some(format!("could not run {program}: {why}")),
    }
}
