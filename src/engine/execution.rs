//! An execution that advances one history event at a time under a virtual clock.

use super::backends::{NoBackend, PendingTask, SharedBackend, TaskOutcome};
use super::compiled::CompiledMachine;
use super::errors::{Failure, names};
use super::frame::{ChildOf, Frame, FrameId, Outgoing, Phase, Wake};
use super::history::{EventKind, HistoryEvent};
use super::options::{ClockMode, ExecutionOptions};
use crate::asl::model::StateMachine;
use chrono::{DateTime, Duration, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

/// Where an execution stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExecutionStatus {
    NotStarted,
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
}

impl ExecutionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionStatus::NotStarted => "NOT_STARTED",
            ExecutionStatus::Running => "RUNNING",
            ExecutionStatus::Succeeded => "SUCCEEDED",
            ExecutionStatus::Failed => "FAILED",
            ExecutionStatus::TimedOut => "TIMED_OUT",
            ExecutionStatus::Aborted => "ABORTED",
        }
    }

    pub fn is_final(self) -> bool {
        !matches!(self, ExecutionStatus::NotStarted | ExecutionStatus::Running)
    }
}

/// What one call to [`Execution::step`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// One event was added to the history (boxed: events are large, the other answers small).
    Event(Box<HistoryEvent>),
    /// Nothing can happen until a task backend answers (real-time backends).
    WaitingForTask,
    /// In real-time mode: nothing can happen before this instant.
    WaitingUntil(DateTime<Utc>),
    /// The pause policy stopped the execution here; the next step goes on.
    Paused(super::pause::Pause),
    /// The execution has ended.
    Finished,
}

/// The internal answer of one step (the event, if any, is the last of the history).
enum Progress {
    Event,
    WaitingForTask,
    WaitingUntil(DateTime<Utc>),
    Paused,
    Finished,
}

/// Why an execution could not be created.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StartError {
    #[error(
        "the input is {size} bytes, more than the {limit}-byte payload limit of Step Functions"
    )]
    InputTooLarge { size: usize, limit: usize },
}

/// Shared, immutable parts of an execution (cheap to clone the execution).
struct Shared {
    machine: Arc<CompiledMachine>,
    options: ExecutionOptions,
    backend: SharedBackend,
    timeout_seconds: Option<u64>,
}

/// A pending asynchronous task, shared between clones of an execution.
type PendingHandle = Arc<Mutex<Box<dyn PendingTask>>>;

/// A running (or finished) execution. `Clone` gives an independent copy (time travel).
#[derive(Clone)]
pub struct Execution {
    shared: Arc<Shared>,
    input: Arc<Value>,
    /// Every event, or only the latest one when `keep_history` is off.
    pub(crate) history: Vec<HistoryEvent>,
    /// Events emitted so far (the id of the latest one).
    event_count: u64,
    status: ExecutionStatus,
    pub(crate) frames: Vec<Option<Frame>>,
    free_frames: Vec<FrameId>,
    /// Runnable frames; the last one runs first (depth-first, like AWS's recorded order).
    runnable: Vec<FrameId>,
    timers: BTreeSet<(DateTime<Utc>, u64, FrameId)>,
    timer_sequence: u64,
    pub(crate) now: DateTime<Utc>,
    /// Random numbers (UUIDs, jitter, MathRandom); a cell so evaluations can draw while
    /// reading the execution.
    pub(crate) rng: std::cell::RefCell<StdRng>,
    pending: BTreeMap<FrameId, PendingHandle>,
    /// Invocations so far per Task state (for mocks).
    pub(crate) invocations: BTreeMap<String, u64>,
    output: Option<Arc<Value>>,
    failure: Option<Failure>,
    /// The root frame finished: the execution's last event, not yet emitted.
    ending: Option<Result<Arc<Value>, Failure>>,
    /// The data flow of every state visit (`ExecutionOptions::record_stages`).
    pub(crate) visits: Vec<Arc<super::stages::StateVisit>>,
    /// Variables the top level starts with (TestState's `variables`).
    initial_variables: serde_json::Map<String, Value>,
    /// Where each event happened (`ExecutionOptions::record_stages`).
    pub(crate) places: Option<Box<super::places::Places>>,
    /// Where a debugger stops the execution, where it stopped, and the frame that goes on
    /// from there on the next step.
    pub(crate) pause_policy: Option<Arc<dyn super::pause::PausePolicy>>,
    pub(crate) paused: Option<super::pause::Pause>,
    pub(crate) paused_frame: Option<FrameId>,
    pub(crate) resume_frame: Option<FrameId>,
    /// How time passes (the options' choice; the debugger switches it during a run).
    clock: ClockMode,
}

impl std::fmt::Debug for Execution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Execution")
            .field("status", &self.status)
            .field("events", &self.event_count)
            .field("now", &self.now)
            .finish()
    }
}

const ROOT: FrameId = 0;

impl Execution {
    /// Prepares an execution (nothing runs until `step` or `run`).
    pub fn new(
        machine: &StateMachine,
        input: Value,
        options: ExecutionOptions,
    ) -> Result<Execution, StartError> {
        Execution::with_backend(machine, input, options, Arc::new(NoBackend))
    }

    pub fn with_backend(
        machine: &StateMachine,
        input: Value,
        options: ExecutionOptions,
        backend: SharedBackend,
    ) -> Result<Execution, StartError> {
        if let Some(limit) = options.payload_limit {
            let size = super::dataflow::payload_size(&input);
            if size > limit {
                return Err(StartError::InputTooLarge { size, limit });
            }
        }
        let compiled = Arc::new(CompiledMachine::compile(machine, machine.language()));
        let places = options
            .record_stages
            .then(|| Box::new(super::places::Places::new()));
        let now = options.start_time;
        let options_clock = options.clock;
        let rng = std::cell::RefCell::new(StdRng::seed_from_u64(options.seed));
        Ok(Execution {
            shared: Arc::new(Shared {
                machine: compiled,
                timeout_seconds: machine.timeout_seconds,
                options,
                backend,
            }),
            input: Arc::new(input),
            history: Vec::new(),
            event_count: 0,
            status: ExecutionStatus::NotStarted,
            frames: Vec::new(),
            free_frames: Vec::new(),
            runnable: Vec::new(),
            timers: BTreeSet::new(),
            timer_sequence: 0,
            now,
            rng,
            pending: BTreeMap::new(),
            invocations: BTreeMap::new(),
            output: None,
            failure: None,
            ending: None,
            visits: Vec::new(),
            initial_variables: serde_json::Map::new(),
            places,
            pause_policy: None,
            paused: None,
            paused_frame: None,
            resume_frame: None,
            clock: options_clock,
        })
    }

    /// Variables in scope from the start, as if assigned before the first state.
    pub fn with_variables(mut self, variables: serde_json::Map<String, Value>) -> Execution {
        self.initial_variables = variables;
        self
    }

    /// Switches between the virtual clock and real time (waits to come take their time).
    pub fn set_clock(&mut self, clock: ClockMode) {
        self.clock = clock;
    }

    pub fn clock(&self) -> ClockMode {
        self.clock
    }

    pub fn options(&self) -> &ExecutionOptions {
        &self.shared.options
    }

    pub fn input(&self) -> &Value {
        &self.input
    }

    /// The events so far (only the latest one when `ExecutionOptions::keep_history` is off).
    pub fn history(&self) -> &[HistoryEvent] {
        &self.history
    }

    /// How many events the execution has emitted (whether or not they are kept).
    pub fn event_count(&self) -> u64 {
        self.event_count
    }

    /// The id the next event will get.
    pub(crate) fn next_event_id(&self) -> u64 {
        self.event_count + 1
    }

    pub fn status(&self) -> ExecutionStatus {
        self.status
    }

    /// The final output of a successful execution.
    pub fn output(&self) -> Option<&Value> {
        self.output.as_deref()
    }

    /// The error of a failed, timed-out or aborted execution.
    pub fn failure(&self) -> Option<&Failure> {
        self.failure.as_ref()
    }

    /// The current (virtual) time.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    pub(crate) fn backend(&self) -> &SharedBackend {
        &self.shared.backend
    }

    pub(crate) fn execution_arn(&self) -> String {
        self.shared.options.execution_arn()
    }

    /// Runs to the end. Real-time mode sleeps through waits; slow backends are awaited.
    pub fn run(&mut self) -> &Value {
        loop {
            match self.progress() {
                // `run` does not stop at pauses: the next step goes on.
                Progress::Event | Progress::Paused => {}
                Progress::Finished => break,
                Progress::WaitingForTask => self.await_task(std::time::Duration::from_millis(50)),
                Progress::WaitingUntil(instant) => {
                    let wait = (instant - Utc::now()).to_std().unwrap_or_default();
                    std::thread::sleep(wait.min(std::time::Duration::from_millis(200)));
                }
            }
        }
        self.output.as_deref().unwrap_or(&Value::Null)
    }

    /// Stops a running execution as StopExecution does (ExecutionAborted).
    pub fn abort(&mut self, error: Option<String>, cause: Option<String>) -> Option<HistoryEvent> {
        if self.status.is_final() {
            return None;
        }
        self.halt(ExecutionStatus::Aborted, Failure::from_parts(error, cause));
        self.history.last().cloned()
    }

    /// Advances by exactly one history event (or reports why it cannot).
    pub fn step(&mut self) -> Step {
        match self.progress() {
            Progress::Event => match self.history.last() {
                Some(event) => Step::Event(Box::new(event.clone())),
                None => Step::Finished,
            },
            Progress::WaitingForTask => Step::WaitingForTask,
            Progress::WaitingUntil(instant) => Step::WaitingUntil(instant),
            Progress::Paused => match &self.paused {
                Some(pause) => Step::Paused(pause.clone()),
                None => Step::WaitingForTask,
            },
            Progress::Finished => Step::Finished,
        }
    }

    /// One event (appended to the history) or the reason there is none.
    fn progress(&mut self) -> Progress {
        if self.status.is_final() {
            return Progress::Finished;
        }
        if self.status == ExecutionStatus::NotStarted {
            self.start();
            return Progress::Event;
        }
        // Going on from a pause: the paused frame passes that point this time.
        if self.paused.take().is_some() {
            self.resume_frame = self.paused_frame.take();
        }
        loop {
            if self.check_event_cap() {
                return Progress::Event;
            }
            if let Some(ending) = self.ending.take() {
                self.conclude(ending);
                return Progress::Event;
            }
            if let Some(&frame) = self.runnable.last() {
                if self.advance(frame) {
                    return Progress::Event;
                }
                if self.paused.is_some() {
                    return Progress::Paused;
                }
                continue;
            }
            if self.poll_tasks() {
                continue;
            }
            if !self.pending.is_empty() {
                return Progress::WaitingForTask;
            }
            let Some(&(due, sequence, frame)) = self.timers.iter().next() else {
                // Nothing runnable, nothing pending: the machine cannot progress.
                self.fail_execution(Failure::new(
                    names::RUNTIME,
                    "The execution cannot make progress: no state is running or waiting",
                ));
                return Progress::Event;
            };
            if let Some(deadline) = self.deadline()
                && deadline <= due
            {
                self.time_out();
                return Progress::Event;
            }
            if self.clock == ClockMode::RealTime && due > Utc::now() {
                return Progress::WaitingUntil(due);
            }
            self.timers.remove(&(due, sequence, frame));
            self.now = self.now.max(due);
            self.make_runnable(frame);
        }
    }

    fn start(&mut self) {
        self.status = ExecutionStatus::Running;
        self.push_event(
            EventKind::ExecutionStarted {
                input: self.input.clone(),
                role_arn: self.shared.options.role_arn.clone(),
            },
            0,
        );
        self.place_event(None);
        let mut root = Frame::new(
            self.shared.machine.clone(),
            self.input.clone(),
            None,
            None,
            0,
        );
        root.variables = std::mem::take(&mut self.initial_variables);
        self.frames.push(Some(root));
        self.runnable.push(ROOT);
    }

    fn deadline(&self) -> Option<DateTime<Utc>> {
        self.shared.timeout_seconds.map(|s| {
            self.shared.options.start_time
                + Duration::seconds(i64::try_from(s).unwrap_or(i64::MAX / 1_000_000))
        })
    }

    fn time_out(&mut self) {
        self.now = self.deadline().unwrap_or(self.now);
        let failure = Failure::new(
            names::TIMEOUT,
            "The execution timed out: it ran longer than the state machine's TimeoutSeconds",
        );
        self.halt(ExecutionStatus::TimedOut, failure);
    }

    /// Fails the execution when the next event would pass the cap; true when it did.
    fn check_event_cap(&mut self) -> bool {
        let Some(cap) = self.shared.options.event_cap() else {
            return false;
        };
        // Leave room for the failure event itself.
        if self.next_event_id() < cap as u64 {
            return false;
        }
        self.fail_execution(Failure::new(
            names::RUNTIME,
            format!("The execution reached the limit of {cap} history events and was stopped (Standard workflows are limited to 25,000 events; an endless loop?)"),
        ));
        true
    }

    fn fail_execution(&mut self, failure: Failure) {
        self.halt(ExecutionStatus::Failed, failure);
    }

    /// Ends the execution with a failure: stops all work, records the final event.
    fn halt(&mut self, status: ExecutionStatus, failure: Failure) {
        self.runnable.clear();
        self.timers.clear();
        self.pending.clear();
        let (error, cause) = (failure.error.clone(), failure.cause.clone());
        self.emit_execution(match status {
            ExecutionStatus::Aborted => EventKind::ExecutionAborted { error, cause },
            ExecutionStatus::TimedOut => EventKind::ExecutionTimedOut { error, cause },
            _ => EventKind::ExecutionFailed { error, cause },
        });
        self.failure = Some(failure);
        self.status = status;
    }

    /// An execution-level event, linked to the root frame's last event.
    fn emit_execution(&mut self, kind: EventKind) -> u64 {
        let previous = self
            .frames
            .first()
            .and_then(Option::as_ref)
            .map_or(0, |f| f.last_event);
        let id = self.push_event(kind, previous);
        self.place_event(None);
        id
    }

    fn push_event(&mut self, kind: EventKind, previous: u64) -> u64 {
        let id = self.next_event_id();
        self.event_count = id;
        if !self.shared.options.keep_history {
            self.history.clear();
        }
        self.history.push(HistoryEvent {
            id,
            previous_event_id: previous,
            timestamp: self.now,
            kind,
        });
        id
    }

    /// Whether the frame runs the top level of the machine.
    pub(crate) fn is_root(&self, id: FrameId) -> bool {
        self.frame(id).is_some_and(|f| f.parent.is_none())
    }

    pub(crate) fn frame(&self, id: FrameId) -> Option<&Frame> {
        self.frames.get(id).and_then(Option::as_ref)
    }

    pub(crate) fn frame_mut(&mut self, id: FrameId) -> Option<&mut Frame> {
        self.frames.get_mut(id).and_then(Option::as_mut)
    }

    /// Runs one frame until it emits an event (true), blocks or finishes.
    fn advance(&mut self, id: FrameId) -> bool {
        let outgoing = self.frame_mut(id).and_then(|f| f.outbox.pop_front());
        if let Some(outgoing) = outgoing {
            self.emit(id, outgoing);
            return true;
        }
        let Some(frame) = self.frame(id) else {
            self.runnable.retain(|&f| f != id);
            return false;
        };
        if frame.wake != Wake::Runnable {
            self.runnable.retain(|&f| f != id);
            return false;
        }
        // The phase is moved out (a Map's children hold every result: never copy them);
        // each handler sets the next phase. Waiting phases stay as they are.
        let Some(frame) = self.frame_mut(id) else {
            return false;
        };
        let phase = match frame.phase {
            Phase::TaskAwait | Phase::Finished => frame.phase.clone(),
            _ => std::mem::replace(&mut frame.phase, Phase::Finished),
        };
        self.run_phase(id, phase);
        false
    }

    fn emit(&mut self, id: FrameId, outgoing: Outgoing) {
        let previous = outgoing
            .previous
            .unwrap_or_else(|| self.frame(id).map_or(0, |f| f.last_event));
        let links = outgoing.kind.becomes_previous();
        let event = self.push_event(outgoing.kind, previous);
        self.place_event(Some(id));
        if links && let Some(frame) = self.frame_mut(id) {
            frame.last_event = event;
        }
    }

    pub(crate) fn set_phase(&mut self, id: FrameId, phase: Phase) {
        if let Some(frame) = self.frame_mut(id) {
            frame.phase = phase;
        }
    }

    pub(crate) fn block(&mut self, id: FrameId, wake: Wake) {
        if let Some(frame) = self.frame_mut(id) {
            frame.wake = wake;
        }
        if let Wake::Timer(due) = wake {
            self.timer_sequence += 1;
            self.timers.insert((due, self.timer_sequence, id));
        }
        self.runnable.retain(|&f| f != id);
    }

    pub(crate) fn make_runnable(&mut self, id: FrameId) {
        if let Some(frame) = self.frame_mut(id) {
            if frame.wake == Wake::Done {
                return;
            }
            frame.wake = Wake::Runnable;
        }
        self.runnable.retain(|&f| f != id);
        self.runnable.push(id);
    }

    /// Creates a child frame; it runs before its parent continues (depth-first).
    pub(crate) fn spawn(&mut self, frame: Frame) -> FrameId {
        let id = match self.free_frames.pop() {
            Some(id) => {
                self.frames[id] = Some(frame);
                id
            }
            None => {
                self.frames.push(Some(frame));
                self.frames.len() - 1
            }
        };
        self.runnable.push(id);
        id
    }

    /// Removes a frame and its descendants (an aborted branch or iteration).
    pub(crate) fn discard(&mut self, id: FrameId) {
        let children: Vec<FrameId> = self
            .frames
            .iter()
            .enumerate()
            .filter(|(_, f)| {
                f.as_ref()
                    .and_then(|f| f.parent)
                    .is_some_and(|p| p.parent == id)
            })
            .map(|(i, _)| i)
            .collect();
        for child in children {
            self.discard(child);
        }
        self.runnable.retain(|&f| f != id);
        self.timers.retain(|(_, _, f)| *f != id);
        self.pending.remove(&id);
        if id != ROOT
            && let Some(slot) = self.frames.get_mut(id)
        {
            *slot = None;
            self.free_frames.push(id);
        }
    }

    /// A frame reached an end (Succeed, End, Fail or an unhandled error).
    pub(crate) fn finish_frame(&mut self, id: FrameId, result: Result<Arc<Value>, Failure>) {
        let Some(frame) = self.frame_mut(id) else {
            return;
        };
        if !frame.outbox.is_empty() {
            // Queued events (e.g. MapStateFailed) go out before the frame's end.
            frame.phase = Phase::Finish(result);
            return;
        }
        frame.phase = Phase::Finished;
        frame.wake = Wake::Done;
        let parent = frame.parent;
        let last = frame.last_event;
        let scope = frame.scope;
        if let Some(places) = self.places.as_mut()
            && let Some(entry) = places.scopes.get_mut(scope as usize)
            && scope != 0
        {
            entry.ended = Some(last);
        }
        self.runnable.retain(|&f| f != id);
        match parent {
            None => {
                self.runnable.clear();
                self.timers.clear();
                self.ending = Some(result);
            }
            Some(ChildOf { parent, slot }) => self.child_finished(parent, slot, id, last, result),
        }
    }

    /// Emits ExecutionSucceeded / ExecutionFailed for the root frame's result.
    fn conclude(&mut self, result: Result<Arc<Value>, Failure>) {
        match result {
            Ok(output) => {
                self.emit_execution(EventKind::ExecutionSucceeded {
                    output: output.clone(),
                });
                self.output = Some(output);
                self.status = ExecutionStatus::Succeeded;
            }
            Err(failure) => self.fail_execution(failure),
        }
    }

    fn poll_tasks(&mut self) -> bool {
        let mut done = Vec::new();
        for (&frame, handle) in &self.pending {
            if let Ok(mut task) = handle.lock()
                && let Some(outcome) = task.poll(std::time::Duration::ZERO)
            {
                done.push((frame, outcome));
            }
        }
        let progressed = !done.is_empty();
        for (frame, outcome) in done {
            self.pending.remove(&frame);
            self.task_completed(frame, outcome);
        }
        progressed
    }

    fn await_task(&mut self, wait: std::time::Duration) {
        let first = self.pending.iter().next().map(|(f, h)| (*f, h.clone()));
        if let Some((frame, handle)) = first {
            let outcome = handle.lock().ok().and_then(|mut task| task.poll(wait));
            if let Some(outcome) = outcome {
                self.pending.remove(&frame);
                self.task_completed(frame, outcome);
            }
        }
    }

    /// Registers a task a backend is still working on. The frame's `TaskAwait` phase blocks
    /// it once the events it queued (TaskStarted...) are out.
    pub(crate) fn add_pending(&mut self, frame: FrameId, task: Box<dyn PendingTask>) {
        self.pending.insert(frame, Arc::new(Mutex::new(task)));
    }

    fn task_completed(&mut self, frame: FrameId, outcome: TaskOutcome) {
        self.on_task_outcome(frame, outcome);
        self.make_runnable(frame);
    }
}
