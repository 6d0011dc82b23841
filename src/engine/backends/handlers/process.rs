//! Every process the handlers start, in one table: deadlines enforced by a watchdog thread,
//! and everything killed when the backend goes away (no orphans).

use super::RunLog;
use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ExitStatus};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The longest the watchdog sleeps while a deadline is set: how late a timeout may fire.
const WATCHDOG_TICK: Duration = Duration::from_millis(25);

pub type ProcessId = u64;

/// Locks, going on with the data of a thread that panicked while holding the lock (the
/// table's invariants hold between statements).
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

struct Entry {
    child: Child,
    deadline: Option<Instant>,
    timed_out: bool,
}

#[derive(Default)]
struct TableState {
    next_id: ProcessId,
    entries: HashMap<ProcessId, Entry>,
    closed: bool,
    watchdog_started: bool,
    watchdog_parked: bool,
}

/// The processes of one backend.
#[derive(Default)]
pub struct ProcessTable {
    state: Mutex<TableState>,
    wake: Condvar,
}

/// Why a process could not join the table.
#[derive(Debug, thiserror::Error)]
#[error("the handler backend has shut down")]
pub struct Closed;

impl ProcessTable {
    /// Takes charge of a process (killed at once when the backend has shut down).
    pub fn add(&self, mut child: Child) -> Result<ProcessId, Closed> {
        let mut state = lock(&self.state);
        if state.closed {
            drop(state);
            let _ = child.kill();
            let _ = child.wait();
            return Err(Closed);
        }
        state.next_id += 1;
        let id = state.next_id;
        state.entries.insert(
            id,
            Entry {
                child,
                deadline: None,
                timed_out: false,
            },
        );
        Ok(id)
    }

    /// The process is killed if it is still running at `deadline`.
    pub fn set_deadline(self: &Arc<Self>, id: ProcessId, deadline: Instant) {
        let mut state = lock(&self.state);
        if let Some(entry) = state.entries.get_mut(&id) {
            entry.deadline = Some(deadline);
            entry.timed_out = false;
        }
        if !state.watchdog_started {
            state.watchdog_started = true;
            let table = Arc::clone(self);
            let started = std::thread::Builder::new()
                .name("asl-handlers-watchdog".into())
                .spawn(move || table.watch());
            if started.is_err() {
                // Without a watchdog, timeouts cannot fire; the next call tries again.
                state.watchdog_started = false;
            }
        } else if state.watchdog_parked {
            // Woken only from its idle sleep: while it ticks, a new deadline costs nothing.
            self.wake.notify_all();
        }
    }

    /// Clears the deadline; whether the watchdog killed the process for missing it.
    pub fn clear_deadline(&self, id: ProcessId) -> bool {
        let mut state = lock(&self.state);
        match state.entries.get_mut(&id) {
            Some(entry) => {
                entry.deadline = None;
                std::mem::take(&mut entry.timed_out)
            }
            None => false,
        }
    }

    /// The exit status, if the process has ended.
    pub fn try_wait(&self, id: ProcessId) -> Option<ExitStatus> {
        let mut state = lock(&self.state);
        let entry = state.entries.get_mut(&id)?;
        entry.child.try_wait().ok().flatten()
    }

    /// Kills the process (if it still runs) and reaps it; its exit status.
    pub fn remove(&self, id: ProcessId) -> Option<ExitStatus> {
        let entry = lock(&self.state).entries.remove(&id);
        // Outside the lock: reaping a killed process can take a moment.
        let mut child = entry?.child;
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        let _ = child.kill();
        child.wait().ok()
    }

    /// Kills every process; no new one is accepted.
    pub fn close(&self) {
        let entries: Vec<Entry> = {
            let mut state = lock(&self.state);
            state.closed = true;
            state.entries.drain().map(|(_, entry)| entry).collect()
        };
        self.wake.notify_all();
        let mut children: Vec<Child> = entries.into_iter().map(|entry| entry.child).collect();
        // Killed first, reaped after: they die in parallel, and a killed process is reaped
        // at once (no zombies left behind).
        for child in &mut children {
            let _ = child.kill();
        }
        for child in &mut children {
            let _ = child.wait();
        }
    }

    /// The watchdog: kills processes past their deadline. Ticks while some deadline is set,
    /// sleeps on the condition variable otherwise.
    fn watch(&self) {
        let mut state = lock(&self.state);
        loop {
            if state.closed {
                return;
            }
            let now = Instant::now();
            let mut next: Option<Instant> = None;
            for entry in state.entries.values_mut() {
                match entry.deadline {
                    Some(deadline) if deadline <= now => {
                        let _ = entry.child.kill();
                        entry.timed_out = true;
                        entry.deadline = None;
                    }
                    Some(deadline) => next = Some(next.map_or(deadline, |n| n.min(deadline))),
                    None => {}
                }
            }
            match next {
                Some(next) => {
                    state.watchdog_parked = false;
                    drop(state);
                    let pause = next.saturating_duration_since(now).min(WATCHDOG_TICK);
                    std::thread::sleep(pause.max(Duration::from_millis(1)));
                    state = lock(&self.state);
                }
                None => {
                    state.watchdog_parked = true;
                    state = self
                        .wake
                        .wait(state)
                        .unwrap_or_else(|poisoned| poisoned.into_inner());
                }
            }
        }
    }
}

/// The last lines a process wrote to stderr.
pub type StderrTail = Arc<Mutex<VecDeque<String>>>;

/// Reads a process's stderr on a thread of its own: each line goes to the run's log (under
/// the state `state` names at that moment) and the last `keep` are kept for error reports.
/// The receiver disconnects when stderr closes.
pub fn pump_stderr(
    stderr: impl Read + Send + 'static,
    log: RunLog,
    state: Arc<Mutex<String>>,
    tail: StderrTail,
    keep: usize,
) -> Receiver<()> {
    let (done, finished) = mpsc::channel::<()>();
    let _ = std::thread::Builder::new()
        .name("asl-handler-stderr".into())
        .spawn(move || {
            let _done = done;
            let mut reader = BufReader::new(stderr);
            let mut line = Vec::new();
            loop {
                line.clear();
                match reader.read_until(b'\n', &mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        let text = String::from_utf8_lossy(&line);
                        let text = text.trim_end_matches(['\n', '\r']).to_string();
                        {
                            let mut tail = lock(&tail);
                            if tail.len() >= keep {
                                tail.pop_front();
                            }
                            tail.push_back(text.clone());
                        }
                        let state = lock(&state).clone();
                        log.push(&state, text);
                    }
                }
            }
        });
    finished
}

/// The tail as text, once stderr has closed (or after a short wait for it).
pub fn tail_text(finished: &Receiver<()>, tail: &StderrTail) -> String {
    let _ = finished.recv_timeout(Duration::from_millis(500));
    lock(tail).iter().cloned().collect::<Vec<_>>().join("\n")
}
