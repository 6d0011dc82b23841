//! A run under the debugger: step one event, step to the next state, continue to a
//! breakpoint on a background thread, pause, stop, and travel back and forth through what
//! happened. UI-free: the designer's run view drives it.
//!
//! Time travel does not re-run anything: the view shows the run "as it was at event N"
//! (`cursor`), read from the [`RunIndex`] and the recorded stages. Stepping forward from a past
//! event moves the cursor along what was recorded; at the newest event it runs the engine.

use super::breakpoints::{SharedBreakpoints, stops_at_entry};
use super::index::RunIndex;
use super::interactive::{AskingBackend, Questions};
use crate::asl::model::StateMachine;
use crate::engine::backends::MockBackend;
use crate::engine::{
    ClockMode, EventKind, Execution, ExecutionOptions, ExecutionStatus, HistoryEvent, Pause,
    StartError, Step,
};
use serde_json::Value;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Instant;

/// Why the run stopped moving (for now).
#[derive(Debug, Clone, PartialEq)]
pub enum Halt {
    /// One event happened (or, travelling through the past, the cursor moved by one).
    Event,
    /// Stopped at a breakpoint or an error (live), or before a breakpointed state's recorded
    /// entry (travelling through the past).
    Paused(Pause),
    /// A task waits for the person at the debugger (see `questions`).
    WaitingForAnswer,
    /// A task backend is still working (real time, slow backends).
    WaitingForTask,
    /// Real time: nothing happens before this instant.
    WaitingUntil(chrono::DateTime<chrono::Utc>),
    /// The person asked to pause a Continue.
    Interrupted,
    /// The execution has ended.
    Finished,
    /// The run is on the background thread (Continue).
    Busy,
}

/// How far a Continue on the background thread got.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    pub events: u64,
    pub seconds: f64,
    pub events_per_second: f64,
}

struct Worker {
    handle: JoinHandle<(Execution, Halt)>,
    interrupt: Arc<AtomicBool>,
    events: Arc<AtomicU64>,
    started: Instant,
    events_at_start: u64,
}

/// One execution under the debugger.
pub struct DebugRun {
    /// `None` while the background thread runs it.
    execution: Option<Execution>,
    index: Arc<Mutex<RunIndex>>,
    /// The newest event indexed (read without locking the index).
    head: Arc<AtomicU64>,
    /// The event shown (time travel); the newest one when following the run.
    cursor: u64,
    breakpoints: SharedBreakpoints,
    questions: Questions,
    worker: Option<Worker>,
    /// A copy of the events, for reading while the worker runs (refreshed when it stops).
    history: Arc<Vec<HistoryEvent>>,
}

impl DebugRun {
    /// Prepares a run (nothing happens before the first step). Stages and places are always
    /// recorded: the debugger shows them.
    pub fn new(
        machine: &StateMachine,
        input: Value,
        mut options: ExecutionOptions,
        mocks: Option<MockBackend>,
        breakpoints: SharedBreakpoints,
    ) -> Result<DebugRun, StartError> {
        options.record_stages = true;
        options.keep_history = true;
        let questions = Questions::default();
        let backend = Arc::new(AskingBackend::new(mocks, questions.clone()));
        let mut execution = Execution::with_backend(machine, input, options, backend)?;
        execution.set_pause_policy(Some(Arc::new(breakpoints.clone())));
        Ok(DebugRun {
            execution: Some(execution),
            index: Arc::new(Mutex::new(RunIndex::new())),
            head: Arc::new(AtomicU64::new(0)),
            cursor: 0,
            breakpoints,
            questions,
            worker: None,
            history: Arc::new(Vec::new()),
        })
    }

    /// The execution, unless the background thread has it.
    pub fn execution(&self) -> Option<&Execution> {
        self.execution.as_ref()
    }

    /// The events so far (as of the last stop, while running in the background).
    pub fn history(&self) -> &[HistoryEvent] {
        match &self.execution {
            Some(execution) => execution.history(),
            None => &self.history,
        }
    }

    /// One event by id.
    pub fn event(&self, id: u64) -> Option<&HistoryEvent> {
        let history = self.history();
        let first = history.first()?.id;
        history.get(usize::try_from(id.checked_sub(first)?).ok()?)
    }

    /// The run's index. Hold the guard briefly: the background Continue updates it.
    pub fn index(&self) -> MutexGuard<'_, RunIndex> {
        self.index
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn questions(&self) -> &Questions {
        &self.questions
    }

    pub fn breakpoints(&self) -> &SharedBreakpoints {
        &self.breakpoints
    }

    /// The newest event.
    pub fn head(&self) -> u64 {
        self.head.load(Ordering::Relaxed)
    }

    /// The event shown.
    pub fn cursor(&self) -> u64 {
        self.cursor
    }

    pub fn is_busy(&self) -> bool {
        self.worker.is_some()
    }

    /// Shows the run as it was at `event` (clamped to what happened).
    pub fn set_cursor(&mut self, event: u64) {
        self.cursor = event.min(self.head());
    }

    pub fn status(&self) -> ExecutionStatus {
        match &self.execution {
            Some(execution) => execution.status(),
            None => ExecutionStatus::Running,
        }
    }

    /// Where the run stands still before a state: live (the execution paused at its entry),
    /// or in the past (the next recorded event enters it).
    pub fn entry_ahead(&self) -> Option<(String, Value)> {
        if self.cursor < self.head() {
            let next = self.event(self.cursor + 1)?;
            return match &next.kind {
                EventKind::StateEntered { name, input, .. } => {
                    Some((name.to_string(), (**input).clone()))
                }
                _ => None,
            };
        }
        match self.execution.as_ref()?.paused()? {
            Pause::Entry { state, input } => Some((state.clone(), input.clone())),
            Pause::Error { .. } => None,
        }
    }

    /// Waits and retry delays pass at once (virtual) or take their time (real).
    pub fn set_clock(&mut self, clock: ClockMode) {
        if let Some(execution) = &mut self.execution {
            execution.set_clock(clock);
        }
    }

    /// One event forward (F10).
    pub fn step(&mut self) -> Halt {
        if self.worker.is_some() {
            return Halt::Busy;
        }
        if self.cursor < self.head() {
            self.cursor += 1;
            return Halt::Event;
        }
        let Some(execution) = self.execution.as_mut() else {
            return Halt::Busy;
        };
        let halt = halt_of(execution.step(), &self.questions);
        sync_index(&self.index, &self.head, execution);
        self.cursor = self.head();
        halt
    }

    /// Forward to the next state entered (F11), or to any other stop.
    pub fn step_state(&mut self) -> Halt {
        loop {
            let halt = self.step();
            if halt != Halt::Event {
                return halt;
            }
            let entered = self
                .event(self.cursor)
                .is_some_and(|e| matches!(e.kind, EventKind::StateEntered { .. }));
            if entered {
                return Halt::Event;
            }
        }
    }

    /// One event back (Shift+F10).
    pub fn step_back(&mut self) -> bool {
        if self.cursor == 0 || self.worker.is_some() {
            return false;
        }
        self.cursor -= 1;
        true
    }

    /// Runs to the end, a breakpoint, or a question (F5): first through the recorded past,
    /// then on the background thread.
    pub fn resume(&mut self) -> Halt {
        if self.worker.is_some() {
            return Halt::Busy;
        }
        let breakpoints = self.breakpoints.get();
        // Going on from where it stands: a breakpoint right ahead is the one it stopped at.
        let mut first = true;
        while self.cursor < self.head() {
            let skip = std::mem::take(&mut first);
            let next = self.event(self.cursor + 1).cloned();
            if let Some(HistoryEvent {
                kind: EventKind::StateEntered { name, input, .. },
                ..
            }) = next
                && !skip
                && stops_at_entry(&breakpoints, &name, &input).unwrap_or(true)
            {
                return Halt::Paused(Pause::Entry {
                    state: name.to_string(),
                    input: (*input).clone(),
                });
            }
            self.cursor += 1;
        }
        let Some(mut execution) = self.execution.take() else {
            return Halt::Busy;
        };
        if execution.status().is_final() {
            self.execution = Some(execution);
            return Halt::Finished;
        }
        self.history = Arc::new(execution.history().to_vec());
        let interrupt = Arc::new(AtomicBool::new(false));
        let events = Arc::new(AtomicU64::new(execution.event_count()));
        let (index, head, questions) = (
            self.index.clone(),
            self.head.clone(),
            self.questions.clone(),
        );
        let (stop, count) = (interrupt.clone(), events.clone());
        let events_at_start = execution.event_count();
        let handle = std::thread::spawn(move || {
            let shared = Shared {
                index: &index,
                head: &head,
                questions: &questions,
                interrupt: &stop,
                events: &count,
            };
            let halt = run_until_stop(&mut execution, &shared);
            (execution, halt)
        });
        self.worker = Some(Worker {
            handle,
            interrupt,
            events,
            started: Instant::now(),
            events_at_start,
        });
        Halt::Busy
    }

    /// How a background Continue is doing.
    pub fn progress(&self) -> Option<Progress> {
        let worker = self.worker.as_ref()?;
        let events = worker.events.load(Ordering::Relaxed);
        let seconds = worker.started.elapsed().as_secs_f64();
        let done = events.saturating_sub(worker.events_at_start) as f64;
        Some(Progress {
            events,
            seconds,
            events_per_second: if seconds > 0.0 { done / seconds } else { 0.0 },
        })
    }

    /// Asks a background Continue to stop after its current event (Pause).
    pub fn interrupt(&self) {
        if let Some(worker) = &self.worker {
            worker.interrupt.store(true, Ordering::Relaxed);
        }
    }

    /// Takes the run back from the background thread once it stopped; `None` while it runs.
    pub fn poll(&mut self) -> Option<Halt> {
        if !self.worker.as_ref()?.handle.is_finished() {
            return None;
        }
        self.join()
    }

    /// Waits for the background thread (tests, and Stop).
    pub fn join(&mut self) -> Option<Halt> {
        let worker = self.worker.take()?;
        match worker.handle.join() {
            Ok((execution, halt)) => {
                self.execution = Some(execution);
                self.history = Arc::new(Vec::new());
                self.cursor = self.head();
                Some(halt)
            }
            // The run thread panicked: nothing to resume (the engine never panics on data).
            Err(_) => Some(Halt::Finished),
        }
    }

    /// Stops the execution as StopExecution does (ExecutionAborted).
    pub fn stop(&mut self) {
        self.interrupt();
        self.join();
        if let Some(execution) = &mut self.execution {
            execution.abort(None, None);
            sync_index(&self.index, &self.head, execution);
        }
        self.cursor = self.head();
    }
}

fn halt_of(step: Step, questions: &Questions) -> Halt {
    match step {
        Step::Event(_) => Halt::Event,
        Step::Paused(pause) => Halt::Paused(pause),
        Step::WaitingForTask if !questions.waiting().is_empty() => Halt::WaitingForAnswer,
        Step::WaitingForTask => Halt::WaitingForTask,
        Step::WaitingUntil(at) => Halt::WaitingUntil(at),
        Step::Finished => Halt::Finished,
    }
}

fn sync_index(index: &Mutex<RunIndex>, head: &AtomicU64, execution: &Execution) {
    if let Ok(mut index) = index.lock() {
        index.sync(execution);
        head.store(index.events_indexed(), Ordering::Relaxed);
    }
}

/// What the background Continue shares with the window.
struct Shared<'a> {
    index: &'a Mutex<RunIndex>,
    head: &'a AtomicU64,
    questions: &'a Questions,
    interrupt: &'a AtomicBool,
    events: &'a AtomicU64,
}

/// The background Continue: steps until a stop, keeping the index current.
fn run_until_stop(execution: &mut Execution, shared: &Shared<'_>) -> Halt {
    let sync = |execution: &Execution| sync_index(shared.index, shared.head, execution);
    let mut last_sync = Instant::now();
    loop {
        if shared.interrupt.load(Ordering::Relaxed) {
            sync(execution);
            return Halt::Interrupted;
        }
        match halt_of(execution.step(), shared.questions) {
            Halt::Event => {
                shared
                    .events
                    .store(execution.event_count(), Ordering::Relaxed);
                // The index follows in batches: the window reads it while this runs.
                if last_sync.elapsed().as_millis() >= 20 {
                    sync(execution);
                    last_sync = Instant::now();
                }
            }
            Halt::WaitingForTask => std::thread::sleep(std::time::Duration::from_millis(2)),
            Halt::WaitingUntil(at) => {
                let wait = (at - chrono::Utc::now()).to_std().unwrap_or_default();
                std::thread::sleep(wait.min(std::time::Duration::from_millis(50)));
            }
            other => {
                sync(execution);
                return other;
            }
        }
    }
}
