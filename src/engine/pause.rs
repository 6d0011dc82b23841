//! Where a debugger may stop an execution: before a state is entered (breakpoints), and when a
//! state fails (break on error). The execution asks its [`PausePolicy`] at each such point;
//! when it says stop, `step` answers `Step::Paused` and the next `step` goes on from there.

use super::errors::Failure;
use super::execution::Execution;
use super::frame::FrameId;
use serde_json::Value;

/// A point where the execution may stop.
#[derive(Debug, Clone, Copy)]
pub enum PausePoint<'a> {
    /// The state is about to be entered with this input (nothing of it has run).
    Entry { state: &'a str, input: &'a Value },
    /// The state failed; `handled` when a retrier with attempts left or a catcher takes it.
    Error {
        state: &'a str,
        failure: &'a Failure,
        handled: bool,
    },
}

/// Why an execution stopped.
#[derive(Debug, Clone, PartialEq)]
pub enum Pause {
    Entry {
        state: String,
        input: Value,
    },
    Error {
        state: String,
        failure: Failure,
        handled: bool,
    },
}

impl Pause {
    pub fn state(&self) -> &str {
        match self {
            Pause::Entry { state, .. } | Pause::Error { state, .. } => state,
        }
    }
}

/// Decides where to stop (a debugger's breakpoints).
pub trait PausePolicy: Send + Sync {
    fn should_pause(&self, point: &PausePoint<'_>) -> bool;
}

impl Execution {
    /// Stops at the points `policy` chooses (`None`: never).
    pub fn set_pause_policy(&mut self, policy: Option<std::sync::Arc<dyn PausePolicy>>) {
        self.pause_policy = policy;
    }

    /// Where the execution is stopped, if it is.
    pub fn paused(&self) -> Option<&Pause> {
        self.paused.as_ref()
    }

    /// True when the frame must stop at `point` (the policy says so, and the execution is not
    /// resuming from this very point).
    pub(crate) fn pauses_at(&mut self, frame: FrameId, point: PausePoint<'_>) -> bool {
        if self.resume_frame == Some(frame) {
            self.resume_frame = None;
            return false;
        }
        let Some(policy) = &self.pause_policy else {
            return false;
        };
        if !policy.should_pause(&point) {
            return false;
        }
        self.paused = Some(match point {
            PausePoint::Entry { state, input } => Pause::Entry {
                state: state.to_string(),
                input: input.clone(),
            },
            PausePoint::Error {
                state,
                failure,
                handled,
            } => Pause::Error {
                state: state.to_string(),
                failure: failure.clone(),
                handled,
            },
        });
        self.paused_frame = Some(frame);
        true
    }
}
