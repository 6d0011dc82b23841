//! Where Task states get their results: mocks here; local commands and HTTP elsewhere.

pub mod handlers;
mod mock;

pub use handlers::{HandlerBackend, HandlersFile, LogLine, RunLog, wrap_lambda_invoke};
pub use mock::{Answer, MockBackend, MockError, MockedResponse, UnmockedPolicy};

use super::history::TaskFamily;
use crate::asl::model::IntegrationPattern;
use serde_json::Value;
use std::fmt;
use std::sync::Arc;

/// One invocation of a Task state.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRequest {
    pub state_name: String,
    pub resource: String,
    /// The effective parameters (JSONPath) or arguments (JSONata).
    pub parameters: Value,
    /// 0 for the first attempt, then 1, 2... per state (retries and loops included).
    pub invocation: u64,
    /// The task token of a `.waitForTaskToken` integration.
    pub task_token: Option<String>,
    pub timeout_seconds: Option<u64>,
    pub heartbeat_seconds: Option<u64>,
    /// The evaluated `Credentials` (the role to assume), when the state has them.
    pub credentials: Option<Value>,
}

/// What a task produced.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskOutcome {
    Succeeded(Value),
    Failed {
        error: Option<String>,
        cause: Option<String>,
    },
    /// The task ran past its TimeoutSeconds (or missed a heartbeat).
    TimedOut {
        error: String,
        cause: Option<String>,
    },
}

/// A backend answers at once or later (slow backends run off the calling thread).
pub enum TaskInvocation {
    Done(TaskOutcome),
    /// The answer after this many (virtual) seconds: timeouts and heartbeats apply.
    After {
        seconds: f64,
        outcome: TaskOutcome,
    },
    /// Poll until it yields an outcome; `None` means still running.
    Pending(Box<dyn PendingTask>),
    /// The service took the task before finishing it, then `then` gives the outcome. AWS
    /// records this for activities (ActivityStarted names the worker) and for `.sync` and
    /// `.waitForTaskToken` integrations (TaskSubmitted holds the submitting call's answer).
    Accepted {
        receipt: Receipt,
        then: Box<TaskInvocation>,
    },
}

/// What the service said when it took a task.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Receipt {
    /// The activity worker's name (ActivityStarted `workerName`).
    pub worker_name: Option<String>,
    /// The answer to the submitting call of a `.sync` / `.waitForTaskToken` integration
    /// (TaskSubmitted `output`); `None`: what that service usually answers.
    pub submitted: Option<Value>,
}

impl fmt::Debug for TaskInvocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TaskInvocation::Done(outcome) => f.debug_tuple("Done").field(outcome).finish(),
            TaskInvocation::After { seconds, outcome } => f
                .debug_struct("After")
                .field("seconds", seconds)
                .field("outcome", outcome)
                .finish(),
            TaskInvocation::Pending(_) => f.write_str("Pending"),
            TaskInvocation::Accepted { receipt, then } => f
                .debug_struct("Accepted")
                .field("receipt", receipt)
                .field("then", then)
                .finish(),
        }
    }
}

pub trait PendingTask: Send {
    /// Returns the outcome when the task has finished; waits up to `wait` for it.
    fn poll(&mut self, wait: std::time::Duration) -> Option<TaskOutcome>;
}

/// Runs Task states.
pub trait TaskBackend: Send + Sync {
    fn invoke(&self, request: &TaskRequest) -> TaskInvocation;
}

/// Whether AWS records the service taking a task of this resource before its outcome:
/// ActivityStarted (with the worker) for activities, TaskSubmitted for `.sync` and
/// `.waitForTaskToken` integrations.
pub fn is_accepted_first(resource: &str) -> bool {
    TaskFamily::of(resource) == TaskFamily::Activity
        || IntegrationPattern::of(resource) != IntegrationPattern::RequestResponse
}

/// A backend for definitions without tasks: every task fails, saying why.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoBackend;

impl TaskBackend for NoBackend {
    fn invoke(&self, request: &TaskRequest) -> TaskInvocation {
        TaskInvocation::Done(TaskOutcome::Failed {
            error: Some(NO_BACKEND_ERROR.to_string()),
            cause: Some(format!(
                "No mock or local handler is configured for the Task state '{}' (resource {})",
                request.state_name, request.resource
            )),
        })
    }
}

/// The error of a task that nothing can run locally.
pub const NO_BACKEND_ERROR: &str = "AslStudio.NoBackend";

pub type SharedBackend = Arc<dyn TaskBackend>;
