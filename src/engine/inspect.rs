//! What an execution is doing between two steps: the states it is in, their variables, and the
//! work it waits for. The debugger reads this; nothing here changes the execution.

use super::execution::Execution;
use super::frame::{FrameId, Phase, Wake};
use chrono::{DateTime, Utc};
use serde_json::{Map as JsonMap, Value};
use std::sync::Arc;

/// One level of nesting on the way to a state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Inside this Parallel or Map state...
    State(String),
    /// ...in this branch...
    Branch(usize),
    /// ...or in this iteration.
    Iteration(usize),
}

/// What a state in progress is doing.
#[derive(Debug, Clone, PartialEq)]
pub enum Activity {
    /// About to run its logic (or to emit its next event).
    Running,
    /// A Wait state, or a retry delay, until this instant.
    WaitingUntil { until: DateTime<Utc>, retry: bool },
    /// A task backend has not answered yet.
    WaitingForTask,
    /// A Parallel or Map state waiting for its branches / iterations.
    WaitingForChildren {
        running: usize,
        finished: usize,
        total: usize,
    },
    /// Handling an error (retry, catch or failing).
    Failing { error: Option<String> },
}

/// A state an execution is in.
#[derive(Debug, Clone, PartialEq)]
pub struct ActiveState {
    /// Enclosing Parallel / Map states, branches and iterations, outermost first.
    pub scope: Vec<Scope>,
    pub name: String,
    pub state_type: &'static str,
    pub input: Arc<Value>,
    pub entered: DateTime<Utc>,
    /// Retries made so far in this visit.
    pub retries: u64,
    pub activity: Activity,
}

impl Execution {
    /// Every state the execution is in, outermost first (the top level, then each branch or
    /// iteration in progress).
    pub fn active_states(&self) -> Vec<ActiveState> {
        let mut out = Vec::new();
        for (id, frame) in self.frames.iter().enumerate() {
            let Some(frame) = frame else { continue };
            let Some(run) = &frame.run else { continue };
            if frame.wake == Wake::Done {
                continue;
            }
            let activity = match (&frame.phase, frame.wake) {
                // A frame that yielded its turn at this instant is not waiting for anything.
                (_, Wake::Timer(until)) if until <= self.now => Activity::Running,
                (_, Wake::Timer(until)) => Activity::WaitingUntil {
                    until,
                    retry: matches!(frame.phase, Phase::Retry),
                },
                (_, Wake::Task) => Activity::WaitingForTask,
                (Phase::Children(children), _) => Activity::WaitingForChildren {
                    running: children.running.len(),
                    finished: children.finished,
                    total: children.results.len(),
                },
                (Phase::Failing { failure, .. }, _) => Activity::Failing {
                    error: failure.error.clone(),
                },
                _ => Activity::Running,
            };
            out.push(ActiveState {
                scope: self.scope_of(id),
                name: run.state.name.to_string(),
                state_type: run.state.type_name,
                input: run.raw_input.clone(),
                entered: run.entered_time,
                retries: run.retry_count,
                activity,
            });
        }
        out.sort_by_key(|a| a.scope.len());
        out
    }

    /// The enclosing states, branches and iterations of a frame.
    pub(crate) fn scope_of(&self, id: FrameId) -> Vec<Scope> {
        let mut scope = Vec::new();
        let mut current = self.frame(id).and_then(|f| f.parent);
        let mut guard = 0;
        while let Some(link) = current {
            let Some(parent) = self.frame(link.parent) else {
                break;
            };
            let is_map = matches!(&parent.phase, Phase::Children(c) if c.is_map)
                || parent
                    .run
                    .as_ref()
                    .is_some_and(|r| r.state.type_name == "Map");
            scope.push(if is_map {
                Scope::Iteration(link.slot)
            } else {
                Scope::Branch(link.slot)
            });
            if let Some(run) = &parent.run {
                scope.push(Scope::State(run.state.name.to_string()));
            }
            current = parent.parent;
            guard += 1;
            if guard > 10_000 {
                break;
            }
        }
        scope.reverse();
        scope
    }

    /// The workflow variables of the top level.
    pub fn variables(&self) -> JsonMap<String, Value> {
        self.frame(0)
            .map(|f| f.variables.clone())
            .unwrap_or_default()
    }

    /// Variables of every scope in progress (the top level first), for a debugger's view.
    pub fn scoped_variables(&self) -> Vec<(Vec<Scope>, JsonMap<String, Value>)> {
        let mut out: Vec<(Vec<Scope>, JsonMap<String, Value>)> = self
            .frames
            .iter()
            .enumerate()
            .filter_map(|(id, f)| {
                f.as_ref()
                    .filter(|f| f.wake != Wake::Done)
                    .map(|f| (self.scope_of(id), f.variables.clone()))
            })
            .collect();
        out.sort_by_key(|a| a.0.len());
        out
    }

    /// When the next timer (Wait, retry delay, execution timeout aside) is due.
    pub fn next_timer(&self) -> Option<DateTime<Utc>> {
        self.frames
            .iter()
            .flatten()
            .filter_map(|f| match f.wake {
                Wake::Timer(t) => Some(t),
                _ => None,
            })
            .min()
    }

    /// How many tasks wait for a (real, asynchronous) backend.
    pub fn pending_tasks(&self) -> usize {
        self.frames
            .iter()
            .flatten()
            .filter(|f| f.wake == Wake::Task)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::model::StateMachine;
    use crate::engine::{ExecutionOptions, Step};
    use serde_json::json;

    #[test]
    fn shows_states_inside_maps_and_their_waits() {
        let machine = StateMachine::from_value(&json!({"StartAt": "Set", "States": {
            "Set": {"Type": "Pass", "Assign": {"n": 1}, "Next": "M"},
            "M": {"Type": "Map", "MaxConcurrency": 1, "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": true}}}, "End": true}}}))
        .unwrap();
        let options = ExecutionOptions {
            clock: crate::engine::ClockMode::RealTime,
            start_time: Utc::now(),
            ..ExecutionOptions::default()
        };
        let mut execution = Execution::new(&machine, json!([1, 2]), options).unwrap();
        // Until the first Wait is entered: started, Set in/out, M entered, map started, iteration 0, W entered.
        for _ in 0..7 {
            assert!(matches!(execution.step(), Step::Event(_)));
        }
        let active = execution.active_states();
        assert_eq!(active[0].name, "M");
        assert!(matches!(
            active[0].activity,
            Activity::Running | Activity::WaitingForChildren { .. }
        ));
        let inner = active.iter().find(|s| s.name == "W").unwrap();
        assert_eq!(
            inner.scope,
            vec![Scope::State("M".into()), Scope::Iteration(0)]
        );
        assert_eq!(execution.variables().get("n"), Some(&json!(1)));
        // In real time the Wait is observable: the step reports when it can go on.
        assert!(matches!(execution.step(), Step::WaitingUntil(_)));
        let waiting = execution
            .active_states()
            .into_iter()
            .find(|s| s.name == "W")
            .unwrap();
        assert!(
            matches!(
                waiting.activity,
                Activity::WaitingUntil { retry: false, .. }
            ),
            "{waiting:?}"
        );
        assert!(execution.next_timer().is_some());
    }
}
