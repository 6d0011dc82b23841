//! The user's own code as Task backends: Lambda handlers (Python, Node) in long-lived local
//! workers and commands run once per task, mapped to tasks by a handlers file. Tasks without
//! a handler go to a fallback backend (the mocks, or the debugger asking the person).
//!
//! Nothing here blocks the caller: an invocation is queued and answered through a
//! [`PendingTask`] the engine (or the debugger) polls.

mod command;
mod file;
mod lambda;
mod process;
mod worker;

pub use file::{
    CommandHandler, DEFAULT_TIMEOUT_SECONDS, Handler, HandlersError, HandlersFile, LambdaHandler,
    Runtime,
};
pub use lambda::{FunctionRef, LambdaForm, python_json, wrap_lambda_invoke};

use super::{
    PendingTask, Receipt, SharedBackend, TaskBackend, TaskInvocation, TaskOutcome, TaskRequest,
    is_accepted_first,
};
use crate::engine::TaskFamily;
use chrono::{DateTime, Utc};
use lambda::LambdaCall;
use process::{ProcessTable, lock};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// The error of a task whose handler's worker died (exited, or broke the protocol).
pub const HANDLER_CRASHED_ERROR: &str = "AslStudio.HandlerCrashed";
/// The error of a task whose handler could not be started (interpreter or program missing).
pub const HANDLER_NOT_STARTED_ERROR: &str = "AslStudio.HandlerNotStarted";
/// Lines kept in a run's log; later ones are counted, not kept.
const MAX_LOG_LINES: usize = 200_000;

/// One line a handler printed.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    /// The Task state whose invocation printed it.
    pub state: String,
    pub text: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Default)]
struct LogState {
    lines: Vec<LogLine>,
    dropped: usize,
}

/// What the handlers of a run printed (`print`, `console.log`, stderr), in order. Clones
/// share the lines: the app keeps one and reads it while the run goes on.
#[derive(Debug, Clone, Default)]
pub struct RunLog {
    state: Arc<Mutex<LogState>>,
}

impl RunLog {
    pub fn new() -> RunLog {
        RunLog::default()
    }

    pub fn push(&self, state: &str, text: impl Into<String>) {
        let mut log = lock(&self.state);
        if log.lines.len() >= MAX_LOG_LINES {
            log.dropped += 1;
            return;
        }
        log.lines.push(LogLine {
            state: state.to_string(),
            text: text.into(),
            at: Utc::now(),
        });
    }

    /// Every line so far.
    pub fn lines(&self) -> Vec<LogLine> {
        lock(&self.state).lines.clone()
    }

    /// The lines from index `from` on (for a view that reads as the run goes).
    pub fn lines_since(&self, from: usize) -> Vec<LogLine> {
        lock(&self.state)
            .lines
            .get(from..)
            .map(<[LogLine]>::to_vec)
            .unwrap_or_default()
    }

    pub fn len(&self) -> usize {
        lock(&self.state).lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Lines not kept once the log was full.
    pub fn dropped(&self) -> usize {
        lock(&self.state).dropped
    }

    pub fn clear(&self) {
        *lock(&self.state) = LogState::default();
    }
}

/// What workers and commands share: where they run and log, and the process table.
struct Host {
    log: RunLog,
    table: Arc<ProcessTable>,
    environment: Vec<(String, String)>,
    cwd: PathBuf,
}

/// Rung whenever any task of the backend finishes, so that waiting on one pending task also
/// wakes for the others (the engine waits on one and then polls them all).
#[derive(Default)]
struct Signal {
    epoch: Mutex<u64>,
    changed: Condvar,
}

type Slot = Arc<Mutex<Option<TaskOutcome>>>;

/// Where a finished call's outcome goes. Dropped without an answer (the backend shut down,
/// a thread died), it answers with a failure, so no task waits forever.
struct Reply {
    target: ReplyTarget,
    sent: bool,
}

enum ReplyTarget {
    Task {
        slot: Slot,
        signal: Arc<Signal>,
    },
    /// Nobody waits for the outcome (a `.waitForTaskToken` invocation): failures are logged.
    Log {
        log: RunLog,
        state: String,
    },
}

impl Reply {
    fn send(mut self, outcome: TaskOutcome) {
        self.deliver(outcome);
    }

    fn deliver(&mut self, outcome: TaskOutcome) {
        self.sent = true;
        match &self.target {
            ReplyTarget::Task { slot, signal } => {
                *lock(slot) = Some(outcome);
                *lock(&signal.epoch) += 1;
                signal.changed.notify_all();
            }
            ReplyTarget::Log { log, state } => match outcome {
                TaskOutcome::Succeeded(_) => {}
                TaskOutcome::Failed { error, cause } => log.push(
                    state,
                    format!(
                        "The handler failed: {} {}",
                        error.unwrap_or_default(),
                        cause.unwrap_or_default()
                    ),
                ),
                TaskOutcome::TimedOut { error, .. } => {
                    log.push(state, format!("The handler timed out: {error}"))
                }
            },
        }
    }
}

impl Drop for Reply {
    fn drop(&mut self) {
        if !self.sent {
            self.deliver(TaskOutcome::Failed {
                error: Some(HANDLER_CRASHED_ERROR.into()),
                cause: Some("The local handler stopped before the task finished.".into()),
            });
        }
    }
}

/// A task a handler is running, as the engine polls it.
struct Waiting {
    slot: Slot,
    signal: Arc<Signal>,
}

impl PendingTask for Waiting {
    /// The outcome stays in the slot (cloned out): clones of an execution share the pending
    /// task, and each must see the answer.
    fn poll(&mut self, wait: Duration) -> Option<TaskOutcome> {
        if let Some(outcome) = lock(&self.slot).as_ref() {
            return Some(outcome.clone());
        }
        if wait.is_zero() {
            return None;
        }
        let epoch = lock(&self.signal.epoch);
        let seen = *epoch;
        // Checked again under the signal's lock: an answer delivered since is either seen
        // here or rings after the wait has begun.
        if let Some(outcome) = lock(&self.slot).as_ref() {
            return Some(outcome.clone());
        }
        let _ = self
            .signal
            .changed
            .wait_timeout_while(epoch, wait, |epoch| *epoch == seen);
        // `None` after another task's answer: the caller polls them all.
        lock(&self.slot).clone()
    }
}

/// Runs the tasks a handlers file maps to local code; every other task goes to `fallback`.
pub struct HandlerBackend {
    file: Arc<HandlersFile>,
    fallback: SharedBackend,
    log: RunLog,
    host: Arc<Host>,
    signal: Arc<Signal>,
    pools: worker::Pools,
}

impl HandlerBackend {
    /// Up to one worker process per CPU for each handler file (at least 2, so that a slow
    /// call does not hold up a Map's other iterations; at most 8, to bound memory: one
    /// process already answers about 10,000 trivial calls a second).
    pub fn new(file: HandlersFile, fallback: SharedBackend, log: RunLog) -> HandlerBackend {
        let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
        HandlerBackend::with_max_workers(file, fallback, log, cpus.clamp(2, 8))
    }

    /// At most `max_workers` processes per handler file (a sequential workflow uses one; a
    /// Map spreads over more).
    pub fn with_max_workers(
        file: HandlersFile,
        fallback: SharedBackend,
        log: RunLog,
        max_workers: usize,
    ) -> HandlerBackend {
        let host = Arc::new(Host {
            log: log.clone(),
            table: Arc::new(ProcessTable::default()),
            environment: file.environment().to_vec(),
            cwd: file.base_dir().to_path_buf(),
        });
        HandlerBackend {
            pools: worker::Pools::new(Arc::clone(&host), max_workers),
            file: Arc::new(file),
            fallback,
            log,
            host,
            signal: Arc::new(Signal::default()),
        }
    }

    pub fn file(&self) -> &HandlersFile {
        &self.file
    }

    pub fn log(&self) -> &RunLog {
        &self.log
    }

    pub fn fallback(&self) -> &SharedBackend {
        &self.fallback
    }

    /// The limit a call runs under: the file's TimeoutSeconds, or the state's TimeoutSeconds
    /// or HeartbeatSeconds when shorter (no heartbeat is ever sent by local code, so a
    /// heartbeat interval bounds the call too).
    fn limit(&self, request: &TaskRequest) -> (Duration, String) {
        let mut limit = (
            self.file.timeout(),
            "the handlers file's TimeoutSeconds".into(),
        );
        for (seconds, what) in [
            (request.timeout_seconds, "the state's TimeoutSeconds"),
            (request.heartbeat_seconds, "the state's HeartbeatSeconds"),
        ] {
            if let Some(seconds) = seconds.filter(|s| *s > 0)
                && Duration::from_secs(seconds) < limit.0
            {
                limit = (Duration::from_secs(seconds), what.to_string());
            }
        }
        limit
    }

    fn waiting(&self) -> (Reply, Box<dyn PendingTask>) {
        let slot = Slot::default();
        let reply = Reply {
            target: ReplyTarget::Task {
                slot: Arc::clone(&slot),
                signal: Arc::clone(&self.signal),
            },
            sent: false,
        };
        let waiting = Waiting {
            slot,
            signal: Arc::clone(&self.signal),
        };
        (reply, Box::new(waiting))
    }

    /// The worker name ActivityStarted records for a local handler.
    fn worker_name(handler: &Handler) -> String {
        let path = match handler {
            Handler::Lambda(lambda) => &lambda.file,
            Handler::Command(command) => &command.program,
        };
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into(),
        );
        format!("asl-studio:{name}")
    }
}

impl TaskBackend for HandlerBackend {
    fn invoke(&self, request: &TaskRequest) -> TaskInvocation {
        let Some(handler) = self.file.find(request) else {
            return self.fallback.invoke(request);
        };
        let (timeout, timeout_reason) = self.limit(request);
        let call = LambdaCall::of_request(request);
        let invocation = match handler {
            Handler::Lambda(lambda) => {
                // With `.waitForTaskToken` the function runs (its code sees the event and the
                // token, its output lands in the log), but the task's answer is a callback's:
                // asked of the fallback.
                let callback = call.form == Some(LambdaForm::InvokeCallback);
                let (reply, pending) = if callback {
                    let reply = Reply {
                        target: ReplyTarget::Log {
                            log: self.log.clone(),
                            state: request.state_name.clone(),
                        },
                        sent: false,
                    };
                    (reply, None)
                } else {
                    let (reply, pending) = self.waiting();
                    (reply, Some(pending))
                };
                let job = worker::LambdaJob {
                    call,
                    state_name: request.state_name.clone(),
                    timeout,
                    timeout_reason,
                    reply,
                };
                self.pools.submit(lambda, job);
                match pending {
                    Some(pending) => TaskInvocation::Pending(pending),
                    None => return self.fallback.invoke(request),
                }
            }
            Handler::Command(spec) => {
                let (reply, pending) = self.waiting();
                // A command standing for a Lambda function gets the function's event and
                // answers as the function would; for anything else, the parameters.
                let (input, call) = match call.form {
                    Some(_) => (call.event.clone(), Some(call)),
                    None => (request.parameters.clone(), None),
                };
                command::start(
                    Arc::clone(&self.host),
                    command::CommandJob {
                        program: spec.program.clone(),
                        args: spec.args.clone(),
                        input,
                        call,
                        state_name: request.state_name.clone(),
                        timeout,
                        timeout_reason,
                        reply,
                    },
                );
                TaskInvocation::Pending(pending)
            }
        };
        // As with mocks: an activity is taken by a worker (the local handler), a `.sync` or
        // callback integration submitted, before the outcome.
        if is_accepted_first(&request.resource) {
            let worker_name = (TaskFamily::of(&request.resource) == TaskFamily::Activity)
                .then(|| HandlerBackend::worker_name(handler));
            TaskInvocation::Accepted {
                receipt: Receipt {
                    worker_name,
                    submitted: None,
                },
                then: Box::new(invocation),
            }
        } else {
            invocation
        }
    }
}

impl Drop for HandlerBackend {
    /// Every process the handlers started dies with the backend.
    fn drop(&mut self) {
        self.pools.close();
        self.host.table.close();
    }
}
