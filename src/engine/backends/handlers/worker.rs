//! Long-lived language workers: each Python or Node handler file runs in worker processes
//! spawned once and reused, speaking JSON lines (see `assets/handlers/`).
//!
//! A pool per (interpreter, file) grows on demand up to `max_workers` processes; each worker
//! process has a driver thread that takes the next queued call, writes it on the worker's
//! stdin and reads the answer from its stdout. One call at a time per process, as Lambda
//! runs one invocation at a time per execution environment, so module globals behave as in
//! a warm Lambda. The watchdog of the process table enforces the deadline by killing the
//! process, which ends the driver's read.

use super::file::{LambdaHandler, Runtime};
use super::lambda::{LambdaCall, MEMORY_LIMIT_IN_MB};
use super::process::{ProcessId, StderrTail, lock, pump_stderr, tail_text};
use super::{HANDLER_CRASHED_ERROR, HANDLER_NOT_STARTED_ERROR, Host, Reply};
use crate::engine::backends::TaskOutcome;
use crate::engine::error_names;
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const PYTHON_WORKER: &str = include_str!("../../../../assets/handlers/python_worker.py");
const NODE_WORKER: &str = include_str!("../../../../assets/handlers/node_worker.js");
/// How many lines of a worker's stderr a crash report quotes.
const STDERR_TAIL_LINES: usize = 20;
/// The protocol's record separator (RFC 7464): what precedes every message from a worker.
const RS: u8 = 0x1e;

/// One call of a Lambda handler, waiting for a worker.
pub struct LambdaJob {
    pub call: LambdaCall,
    pub state_name: String,
    pub timeout: Duration,
    /// Which limit `timeout` is, for the timeout's cause.
    pub timeout_reason: String,
    pub reply: Reply,
}

/// Which worker processes can run a handler: the same interpreter on the same file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct WorkerKey {
    runtime: Runtime,
    interpreter: PathBuf,
    file: PathBuf,
}

/// The pools of one backend.
pub struct Pools {
    host: Arc<Host>,
    pools: Mutex<HashMap<WorkerKey, Arc<Pool>>>,
    max_workers: usize,
}

impl Pools {
    pub fn new(host: Arc<Host>, max_workers: usize) -> Pools {
        Pools {
            host,
            pools: Mutex::new(HashMap::new()),
            max_workers: max_workers.max(1),
        }
    }

    /// Queues a call; never blocks on the worker.
    pub fn submit(&self, handler: &LambdaHandler, job: LambdaJob) {
        let key = WorkerKey {
            runtime: handler.runtime,
            interpreter: handler.interpreter.clone(),
            file: handler.file.clone(),
        };
        let pool = lock(&self.pools)
            .entry(key.clone())
            .or_insert_with(|| {
                Arc::new(Pool {
                    key,
                    host: Arc::clone(&self.host),
                    state: Mutex::new(PoolState::default()),
                    ready: Condvar::new(),
                    max_workers: self.max_workers,
                })
            })
            .clone();
        pool.submit(job, handler.function.clone());
    }

    /// Stops taking calls: queued ones fail, idle drivers end (the processes themselves are
    /// killed by the process table).
    pub fn close(&self) {
        let pools: Vec<Arc<Pool>> = lock(&self.pools).values().cloned().collect();
        for pool in pools {
            let queued = {
                let mut state = lock(&pool.state);
                state.closed = true;
                std::mem::take(&mut state.queue)
            };
            pool.ready.notify_all();
            // Dropping the replies answers their tasks with a failure.
            drop(queued);
        }
    }
}

#[derive(Default)]
struct PoolState {
    queue: VecDeque<(LambdaJob, String)>,
    /// Driver threads (each with at most one process).
    workers: usize,
    /// Drivers running a call.
    busy: usize,
    closed: bool,
}

struct Pool {
    key: WorkerKey,
    host: Arc<Host>,
    state: Mutex<PoolState>,
    ready: Condvar,
    max_workers: usize,
}

impl Pool {
    fn submit(self: &Arc<Self>, job: LambdaJob, function: String) {
        let mut state = lock(&self.state);
        if state.closed {
            return; // the reply, dropped, fails the task
        }
        state.queue.push_back((job, function));
        // A new worker only when every existing one is taken: a sequential workflow keeps
        // talking to one warm process.
        let idle = state.workers - state.busy;
        if state.queue.len() > idle && state.workers < self.max_workers {
            let pool = Arc::clone(self);
            let spawned = std::thread::Builder::new()
                .name("asl-handler-worker".into())
                .spawn(move || pool.drive());
            if spawned.is_ok() {
                state.workers += 1;
            } else if state.workers == 0 {
                // No thread can run it: fail what is queued rather than leave it waiting.
                let queued = std::mem::take(&mut state.queue);
                drop(state);
                for (job, _) in queued {
                    job.reply.send(TaskOutcome::Failed {
                        error: Some(HANDLER_NOT_STARTED_ERROR.into()),
                        cause: Some("could not start a thread for the handler's worker".into()),
                    });
                }
                return;
            }
        }
        drop(state);
        self.ready.notify_one();
    }

    fn next_job(&self) -> Option<(LambdaJob, String)> {
        let mut state = lock(&self.state);
        loop {
            if state.closed {
                return None;
            }
            if let Some(job) = state.queue.pop_front() {
                state.busy += 1;
                return Some(job);
            }
            state = self
                .ready
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }

    /// A driver thread: one worker process, restarted after a crash or a timeout.
    fn drive(self: Arc<Self>) {
        let mut worker: Option<Worker> = None;
        while let Some((job, function)) = self.next_job() {
            let outcome = self.run(&mut worker, &job, &function);
            // Free before answering, so the next call of a sequential run finds this worker.
            lock(&self.state).busy -= 1;
            job.reply.send(outcome);
        }
        if let Some(worker) = worker.take() {
            self.host.table.remove(worker.id);
        }
        lock(&self.state).workers -= 1;
    }

    fn run(&self, slot: &mut Option<Worker>, job: &LambdaJob, function: &str) -> TaskOutcome {
        // The module is imported once per process: an edited handler file gets a new one.
        let modified = modified_time(&self.key.file);
        if let Some(worker) = slot.take_if(|worker| worker.modified != modified) {
            self.host.table.remove(worker.id);
        }
        if slot.is_none() {
            match self.spawn(modified) {
                Ok(worker) => *slot = Some(worker),
                Err(message) => {
                    return TaskOutcome::Failed {
                        error: Some(HANDLER_NOT_STARTED_ERROR.into()),
                        cause: Some(message),
                    };
                }
            }
        }
        let Some(worker) = slot.as_mut() else {
            return TaskOutcome::Failed {
                error: Some(HANDLER_NOT_STARTED_ERROR.into()),
                cause: Some("no worker".into()),
            };
        };
        match worker.call(&self.host, job, function) {
            CallEnd::Result(result) => job.call.succeeded(result),
            CallEnd::Error(error) => job.call.failed(self.key.runtime, &error),
            CallEnd::Died {
                timed_out,
                protocol,
            } => {
                let Some(worker) = slot.take() else {
                    return TaskOutcome::Failed {
                        error: Some(HANDLER_CRASHED_ERROR.into()),
                        cause: None,
                    };
                };
                let status = self.host.table.remove(worker.id);
                if timed_out {
                    return TaskOutcome::TimedOut {
                        error: error_names::TIMEOUT.to_string(),
                        cause: Some(format!(
                            "The handler {}:{function} did not finish within {} ({}); its worker was stopped.",
                            self.key.file.display(),
                            seconds(job.timeout),
                            job.timeout_reason
                        )),
                    };
                }
                let tail = tail_text(&worker.stderr_done, &worker.tail);
                let mut cause = match protocol {
                    Some(garbage) => format!(
                        "The {} worker for {} wrote something that is not its protocol while running {function}: {garbage}",
                        self.key.runtime.name(),
                        self.key.file.display()
                    ),
                    None => format!(
                        "The {} worker for {} stopped while running {function} ({}).",
                        self.key.runtime.name(),
                        self.key.file.display(),
                        status.map_or_else(|| "exit status unknown".into(), |s| s.to_string())
                    ),
                };
                if !tail.is_empty() {
                    cause.push_str("\nLast lines on stderr:\n");
                    cause.push_str(&tail);
                }
                TaskOutcome::Failed {
                    error: Some(HANDLER_CRASHED_ERROR.into()),
                    cause: Some(cause),
                }
            }
        }
    }

    fn spawn(&self, modified: Option<SystemTime>) -> Result<Worker, String> {
        let (flag, script) = match self.key.runtime {
            Runtime::Python => ("-c", PYTHON_WORKER),
            Runtime::Node => ("-e", NODE_WORKER),
        };
        let mut command = Command::new(&self.key.interpreter);
        command
            .arg(flag)
            .arg(script)
            .arg(&self.key.file)
            .current_dir(&self.host.cwd)
            // The user's folders stay as they were (no __pycache__ from our imports).
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env(
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                MEMORY_LIMIT_IN_MB.to_string(),
            )
            .envs(self.host.environment.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().map_err(|error| {
            format!(
                "could not start {} for {}: {error}",
                self.key.interpreter.display(),
                self.key.file.display()
            )
        })?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err("the worker's pipes could not be opened".into());
        };
        let id = self
            .host
            .table
            .add(child)
            .map_err(|closed| closed.to_string())?;
        let state = Arc::new(Mutex::new(String::new()));
        let tail = StderrTail::default();
        let stderr_done = pump_stderr(
            stderr,
            self.host.log.clone(),
            Arc::clone(&state),
            Arc::clone(&tail),
            STDERR_TAIL_LINES,
        );
        Ok(Worker {
            id,
            stdin,
            stdout: BufReader::with_capacity(64 * 1024, stdout),
            state,
            tail,
            stderr_done,
            modified,
            next_id: 0,
            buffer: Vec::new(),
        })
    }
}

/// How a call ended.
enum CallEnd {
    Result(Value),
    Error(Value),
    /// The process is gone (or must go): killed at its deadline, exited, or broke the
    /// protocol (`protocol` holds what it wrote).
    Died {
        timed_out: bool,
        protocol: Option<String>,
    },
}

/// One worker process.
struct Worker {
    id: ProcessId,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    /// The state its stderr lines are logged under.
    state: Arc<Mutex<String>>,
    tail: StderrTail,
    stderr_done: Receiver<()>,
    /// The handler file's modification time when the process started.
    modified: Option<SystemTime>,
    next_id: u64,
    buffer: Vec<u8>,
}

impl Worker {
    fn call(&mut self, host: &Host, job: &LambdaJob, function: &str) -> CallEnd {
        self.next_id += 1;
        let id = self.next_id;
        lock(&self.state).clone_from(&job.state_name);
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        let request = json!({
            "id": id,
            "handler": function,
            "event": job.call.event,
            "context": {
                "function_name": job.call.function_name,
                "function_version": "$LATEST",
                "aws_request_id": job.call.request_id,
                "invoked_function_arn": job.call.invoked_function_arn,
                "memory_limit_in_mb": MEMORY_LIMIT_IN_MB,
                "deadline_ms": now_ms + job.timeout.as_millis() as u64,
            }
        });
        self.buffer.clear();
        if serde_json::to_writer(&mut self.buffer, &request).is_err() {
            return CallEnd::Died {
                timed_out: false,
                protocol: Some("the request could not be written".into()),
            };
        }
        self.buffer.push(b'\n');
        // The deadline is set before writing: a worker that stops reading cannot hang us.
        host.table
            .set_deadline(self.id, Instant::now() + job.timeout);
        let end = self.exchange(host, job, id);
        if host.table.clear_deadline(self.id) {
            return CallEnd::Died {
                timed_out: true,
                protocol: None,
            };
        }
        end
    }

    fn exchange(&mut self, host: &Host, job: &LambdaJob, id: u64) -> CallEnd {
        let died = |protocol: Option<String>| CallEnd::Died {
            timed_out: false,
            protocol,
        };
        if self
            .stdin
            .write_all(&self.buffer)
            .and_then(|()| self.stdin.flush())
            .is_err()
        {
            return died(None);
        }
        let mut line = Vec::new();
        loop {
            line.clear();
            match self.stdout.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => return died(None),
                Ok(_) => {}
            }
            while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                line.pop();
            }
            // Text before the separator escaped the worker's redirection: output, not protocol.
            let (stray, message) = match line.iter().rposition(|b| *b == RS) {
                Some(at) => (&line[..at], Some(&line[at + 1..])),
                None => (&line[..], None),
            };
            if !stray.is_empty() {
                host.log
                    .push(&job.state_name, String::from_utf8_lossy(stray).into_owned());
            }
            let Some(message) = message else { continue };
            let Ok(mut message) = serde_json::from_slice::<Value>(message) else {
                let shown: String = String::from_utf8_lossy(message).chars().take(200).collect();
                return died(Some(shown));
            };
            if let Some(text) = message.get("log").and_then(Value::as_str) {
                host.log.push(&job.state_name, text.to_string());
                continue;
            }
            if message.get("id").and_then(Value::as_u64) != Some(id) {
                continue;
            }
            if let Some(result) = message.get_mut("result") {
                return CallEnd::Result(result.take());
            }
            if let Some(error) = message.get_mut("error") {
                return CallEnd::Error(error.take());
            }
            let shown: String = message.to_string().chars().take(200).collect();
            return died(Some(shown));
        }
    }
}

fn modified_time(file: &std::path::Path) -> Option<SystemTime> {
    std::fs::metadata(file).and_then(|m| m.modified()).ok()
}

fn seconds(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds.fract() == 0.0 {
        format!("{seconds:.0} s")
    } else {
        format!("{seconds:.3} s")
    }
}
