//! Options of an execution and the identities it reports in the context object.

pub use crate::asl::validate::WorkflowType;
use chrono::{DateTime, Utc};

/// How time passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClockMode {
    /// Waits and retry delays advance a simulated clock instantly.
    #[default]
    Virtual,
    /// Waits last as long as they say (the app's "real time" mode); `run` sleeps, `step`
    /// reports how long to wait.
    RealTime,
}

/// AWS's limits, which the interpreter applies the way AWS does.
pub const STANDARD_EVENT_CAP: usize = 25_000;
/// 256 KiB: the largest input, output or result a state may produce.
pub const PAYLOAD_LIMIT: usize = 262_144;

#[derive(Debug, Clone)]
pub struct ExecutionOptions {
    pub name: String,
    pub state_machine_name: String,
    pub region: String,
    pub account: String,
    pub role_arn: String,
    pub start_time: DateTime<Utc>,
    pub workflow_type: WorkflowType,
    pub clock: ClockMode,
    /// Stop after this many events (Standard workflows default to AWS's 25,000; Express to
    /// none). An infinite loop ends with a clear error rather than running forever.
    pub max_events: Option<usize>,
    /// Largest payload in bytes (AWS: 256 KiB); `None` disables the check.
    pub payload_limit: Option<usize>,
    /// Seed of the random numbers (UUIDs, jitter, `States.MathRandom`); fixed for replay.
    pub seed: u64,
    /// Keep every event in `Execution::history`. Off for big runs whose history nobody
    /// reads: only the latest event is kept (`step` still returns each one, ids still count
    /// and the event cap still applies), so memory does not grow with the run.
    pub keep_history: bool,
    /// Record the data after every processing stage of every state visit
    /// ([`super::StateVisit`]): what the debugger and TestState show. Off by default: a run
    /// that records nothing pays nothing for it.
    pub record_stages: bool,
    /// The context object (`$$`, `$states.context`) to use instead of the one built from these
    /// options (TestState's `context`).
    pub context: Option<serde_json::Value>,
    /// The execution ARN to report instead of the one built from these options.
    pub execution_arn: Option<String>,
    /// Run only the first state, as AWS's TestState API does (see `engine::test_state`).
    pub single_state: Option<std::sync::Arc<SingleState>>,
}

/// How a run of one state differs from an execution (AWS's TestState semantics): the state
/// does not transition, a retry is reported instead of performed, and a Map or Parallel state
/// can be answered by a mock instead of running its children.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SingleState {
    /// Retries already made by the retrier that matches the error (`retrierRetryCount`).
    pub retrier_retry_count: u64,
    /// The answer of a Map or Parallel state, instead of running its branches or iterations.
    pub children_mock: Option<ChildrenMock>,
    /// Iterations of a mocked Map that failed (`mapIterationFailureCount`).
    pub map_iteration_failure_count: Option<u64>,
}

/// A mocked answer of a Map or Parallel state.
#[derive(Debug, Clone, PartialEq)]
pub enum ChildrenMock {
    Result(serde_json::Value),
    Error {
        error: Option<String>,
        cause: Option<String>,
    },
}

impl Default for ExecutionOptions {
    fn default() -> Self {
        ExecutionOptions {
            name: "local-execution".to_string(),
            state_machine_name: "LocalStateMachine".to_string(),
            region: "us-east-1".to_string(),
            account: "123456789012".to_string(),
            role_arn: "arn:aws:iam::123456789012:role/StepFunctionsLocalRole".to_string(),
            start_time: DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default(),
            workflow_type: WorkflowType::Standard,
            clock: ClockMode::Virtual,
            max_events: None,
            payload_limit: Some(PAYLOAD_LIMIT),
            seed: 0x5eed,
            keep_history: true,
            record_stages: false,
            context: None,
            execution_arn: None,
            single_state: None,
        }
    }
}

impl ExecutionOptions {
    pub fn state_machine_arn(&self) -> String {
        format!(
            "arn:aws:states:{}:{}:stateMachine:{}",
            self.region, self.account, self.state_machine_name
        )
    }

    pub fn execution_arn(&self) -> String {
        if let Some(arn) = &self.execution_arn {
            return arn.clone();
        }
        match self.workflow_type {
            WorkflowType::Standard => format!(
                "arn:aws:states:{}:{}:execution:{}:{}",
                self.region, self.account, self.state_machine_name, self.name
            ),
            // Express executions carry an extra id, derived here from the seed (reproducible).
            WorkflowType::Express => {
                let mut bytes = [0u8; 16];
                bytes[..8].copy_from_slice(&self.seed.to_le_bytes());
                bytes[8..].copy_from_slice(&self.start_time.timestamp_millis().to_le_bytes());
                let id = uuid::Builder::from_random_bytes(bytes).into_uuid();
                format!(
                    "arn:aws:states:{}:{}:express:{}:{}:{id}",
                    self.region, self.account, self.state_machine_name, self.name
                )
            }
        }
    }

    /// The event cap in force.
    pub fn event_cap(&self) -> Option<usize> {
        self.max_events.or(match self.workflow_type {
            WorkflowType::Standard => Some(STANDARD_EVENT_CAP),
            WorkflowType::Express => None,
        })
    }
}
