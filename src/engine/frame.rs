//! A frame runs one machine: the top level, a Parallel branch, or a Map iteration.

use super::compiled::{CompiledMachine, CompiledState};
use super::errors::Failure;
use super::history::{EventKind, TaskRef};
use chrono::{DateTime, Utc};
use serde_json::{Map as JsonMap, Value};
use std::collections::VecDeque;
use std::sync::Arc;

pub(crate) type FrameId = usize;

/// Why a frame is not runnable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wake {
    Runnable,
    /// Waiting for the virtual (or real) clock.
    Timer(DateTime<Utc>),
    /// Waiting for an asynchronous task backend.
    Task,
    /// Waiting for child frames (Parallel branches, Map iterations).
    Children,
    Done,
}

/// The state a frame is in and how far it got.
#[derive(Debug, Clone)]
pub(crate) struct StateRun {
    pub state: Arc<CompiledState>,
    pub raw_input: Arc<Value>,
    pub entered_event: u64,
    /// previousEventId of the Entered event (EvaluationFailed points there, as AWS does).
    pub entered_previous: u64,
    pub entered_time: DateTime<Utc>,
    /// Attempts made per retrier (index as in Retry).
    pub retries: Vec<u64>,
    /// Total retries of this state visit ($$.State.RetryCount).
    pub retry_count: u64,
    /// The task being run (for its TaskSucceeded / TaskFailed events).
    pub task: Option<TaskRef>,
    /// The token of a `.waitForTaskToken` task.
    pub task_token: Option<String>,
    pub task_credentials: Option<Value>,
    pub task_timeout: Option<u64>,
    pub task_heartbeat: Option<u64>,
    /// This visit's record in `Execution::visits` (when recording stages).
    pub visit: Option<usize>,
}

/// Where a frame's results go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ChildOf {
    pub parent: FrameId,
    /// Branch index or item index.
    pub slot: usize,
}

/// Progress of a Parallel or Map state waiting for its children.
#[derive(Debug, Clone)]
pub(crate) struct Children {
    pub is_map: bool,
    /// Effective input (Map: items source scope for ItemSelector).
    pub input: Arc<Value>,
    /// Map items (empty for Parallel).
    pub items: Arc<Vec<Value>>,
    /// Shared until the state collects them: by then the iterations' events, which hold the
    /// same values, are usually gone, so collecting moves them rather than copying.
    pub results: Vec<Option<Arc<Value>>>,
    pub next_to_start: usize,
    pub running: Vec<(usize, FrameId)>,
    pub finished: usize,
    pub max_concurrency: usize,
    pub failures: usize,
    /// ToleratedFailureCount / Percentage of a distributed Map.
    pub tolerated_count: Option<u64>,
    pub tolerated_percentage: Option<f64>,
    /// The first failure that was not tolerated.
    pub failure: Option<Failure>,
    /// Completed children waiting to be announced.
    pub announcements: VecDeque<Announcement>,
    /// The last event of the most recently finished child (the next iteration links to it).
    pub last_child_event: Option<u64>,
    /// Items already went through ItemSelector (batched Distributed Map).
    pub preselected: bool,
    /// The map run of a Distributed Map.
    pub map_run_arn: Option<String>,
    /// A child whose start event is queued: it is created once that event is out.
    pub to_spawn: Option<(usize, Box<Frame>)>,
}

/// A finished branch or iteration, to be announced by its parent.
#[derive(Debug, Clone)]
pub(crate) struct Announcement {
    pub slot: usize,
    pub succeeded: bool,
    /// The Task state the child failed in (it gets a TaskStateAborted event).
    pub aborted_task: Option<Arc<str>>,
}

/// What a frame does when its outbox is empty.
#[derive(Debug, Clone)]
pub(crate) enum Phase {
    /// Enter the named state with this input.
    Enter { name: String, input: Arc<Value> },
    /// Run the current state's logic.
    Process,
    /// After a Wait's delay: exit with this output.
    AfterWait {
        output: Arc<Value>,
        assigned: Option<JsonMap<String, Value>>,
    },
    /// Hand the task to the backend.
    TaskInvoke {
        task: TaskRef,
        parameters: Arc<Value>,
    },
    /// The backend is working on it (pending id).
    TaskAwait,
    /// The task's answer (or its timeout) to record now.
    TaskDeliver(super::backends::TaskOutcome),
    /// Block until `until`, then go on with `then`. Blocking when the outbox is empty, not
    /// at once, lets the events already queued go out first. With `until` = now this lets
    /// the other frames busy at this instant take their turn (see `Execution::yield_then`).
    Sleep {
        until: DateTime<Utc>,
        then: Box<Phase>,
    },
    /// The task returned this result.
    TaskResult(Value),
    /// Spawn the next child or collect finished ones.
    Children(Box<Children>),
    /// Leave the state: go to `next` (or end the frame) with this output.
    Transition {
        next: Option<String>,
        output: Arc<Value>,
    },
    /// Handle an error: evaluation event, retry, catch, or fail the frame.
    Failing { failure: Failure, announced: bool },
    /// A retry's delay elapsed: run the state again.
    Retry,
    /// End the frame with this result once the queued events are out.
    Finish(Result<Arc<Value>, Failure>),
    /// The frame has finished.
    Finished,
}

/// An event waiting to be emitted, with an explicit previousEventId when AWS links it oddly.
#[derive(Debug, Clone)]
pub(crate) struct Outgoing {
    pub kind: EventKind,
    pub previous: Option<u64>,
}

#[derive(Debug, Clone)]
pub(crate) struct Frame {
    pub machine: Arc<CompiledMachine>,
    pub parent: Option<ChildOf>,
    /// Frame whose variables this one can read (outer scope).
    pub scope_parent: Option<FrameId>,
    pub variables: JsonMap<String, Value>,
    /// The event later events of this frame point back to.
    pub last_event: u64,
    pub outbox: VecDeque<Outgoing>,
    pub phase: Phase,
    /// Shared so that reading it for a step is cheap; changed through `Arc::make_mut`.
    pub run: Option<Arc<StateRun>>,
    pub wake: Wake,
    /// Its scope instance in `Execution::places` (0: the top level, or not recording).
    pub scope: u32,
}

impl Frame {
    pub fn new(
        machine: Arc<CompiledMachine>,
        input: Arc<Value>,
        parent: Option<ChildOf>,
        scope_parent: Option<FrameId>,
        last_event: u64,
    ) -> Frame {
        let start = machine.start_at.clone();
        Frame {
            machine,
            parent,
            scope_parent,
            variables: JsonMap::new(),
            last_event,
            outbox: VecDeque::new(),
            phase: Phase::Enter { name: start, input },
            run: None,
            wake: Wake::Runnable,
            scope: 0,
        }
    }

    pub fn push(&mut self, kind: EventKind) {
        self.outbox.push_back(Outgoing {
            kind,
            previous: None,
        });
    }

    pub fn push_linked(&mut self, kind: EventKind, previous: u64) {
        self.outbox.push_back(Outgoing {
            kind,
            previous: Some(previous),
        });
    }
}
