//! Failures, and AWS's Retry and Catch matching rules.

use crate::asl::model::{JitterStrategy, Retrier};
use serde_json::{Map as JsonMap, Value};

/// An error raised by a state (`Error` and `Cause` may each be absent, as in a bare Fail state).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub error: Option<String>,
    pub cause: Option<String>,
    /// Raised while evaluating JSONata (history gets an `EvaluationFailed` event first).
    pub evaluation: Option<EvaluationSite>,
    /// What raised it: the error output and the `States.ALL` match depend on it.
    pub source: FailureSource,
}

/// What raised a failure: AWS shapes the error output, and matches `States.ALL`, by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailureSource {
    /// The state itself (a Fail state, a path or template error, a state output too large).
    #[default]
    State,
    /// The task's service answered with an error (TaskFailed): the error output always has
    /// `Error` and `Cause`, `null` when the answer had none (as SendTaskFailure without them).
    Task,
    /// The task ran out of time (TaskTimedOut): AWS writes `"Cause": ""` when there is none.
    TaskTimeout,
    /// The task's result was over the payload limit. Unlike a state's output that is too large,
    /// AWS reports it as a task failure that `States.ALL` catches (as recorded).
    TaskResultTooLarge,
}

/// Where an evaluation error happened, for the `EvaluationFailed` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationSite {
    pub location: Option<String>,
    /// AWS links most EvaluationFailed events to the event before StateEntered, but a Wait's
    /// unparseable Timestamp to StateEntered itself (as recorded).
    pub after_entered: bool,
}

/// Error names of Step Functions itself.
pub mod names {
    pub const ALL: &str = "States.ALL";
    pub const RUNTIME: &str = "States.Runtime";
    pub const TIMEOUT: &str = "States.Timeout";
    pub const TASK_FAILED: &str = "States.TaskFailed";
    pub const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";
    pub const QUERY_EVALUATION: &str = "States.QueryEvaluationError";
    pub const DATA_LIMIT: &str = "States.DataLimitExceeded";
    pub const NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
    pub const PARAMETER_PATH: &str = "States.ParameterPathFailure";
    pub const EXCEED_TOLERATED: &str = "States.ExceedToleratedFailureThreshold";
    pub const BRANCH_FAILED: &str = "States.BranchFailed";
    pub const PERMISSIONS: &str = "States.Permissions";
}

impl Failure {
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Failure {
        Failure::from_parts(Some(error.into()), Some(cause.into()))
    }

    /// A state's failure whose error and cause may each be absent.
    pub fn from_parts(error: Option<String>, cause: Option<String>) -> Failure {
        Failure {
            error,
            cause,
            evaluation: None,
            source: FailureSource::State,
        }
    }

    /// The same failure, raised by `source`.
    pub fn raised_by(self, source: FailureSource) -> Failure {
        Failure { source, ..self }
    }

    /// `States.Runtime`, with AWS's "An error occurred while executing the state" preamble.
    pub fn runtime(state: &str, entered_event: u64, message: impl std::fmt::Display) -> Failure {
        Failure::new(names::RUNTIME, in_state(state, entered_event, message))
    }

    /// `States.QueryEvaluationError` (reported in an `EvaluationFailed` event).
    pub fn query_evaluation(
        state: &str,
        entered_event: u64,
        location: Option<String>,
        message: impl std::fmt::Display,
    ) -> Failure {
        Failure {
            error: Some(names::QUERY_EVALUATION.to_string()),
            cause: Some(in_state(state, entered_event, message)),
            evaluation: Some(EvaluationSite {
                location,
                after_entered: false,
            }),
            source: FailureSource::State,
        }
    }

    pub fn error_name(&self) -> &str {
        self.error.as_deref().unwrap_or_default()
    }

    /// The error output a Catch hands on: `{"Error": ..., "Cause": ...}`. A state's failure
    /// leaves out what it lacks; a task's has both keys (see [`FailureSource`]).
    pub fn error_output(&self) -> Value {
        // What stands for a missing part.
        let (no_error, no_cause) = match self.source {
            FailureSource::State => (None, None),
            FailureSource::Task | FailureSource::TaskResultTooLarge => {
                (Some(Value::Null), Some(Value::Null))
            }
            FailureSource::TaskTimeout => (Some(Value::Null), Some(Value::String(String::new()))),
        };
        let mut output = JsonMap::new();
        for (key, part, missing) in [
            ("Error", &self.error, no_error),
            ("Cause", &self.cause, no_cause),
        ] {
            if let Some(value) = part.clone().map(Value::String).or(missing) {
                output.insert(key.into(), value);
            }
        }
        Value::Object(output)
    }

    /// Whether an `ErrorEquals` list (of a Retry or a Catch) handles this failure.
    pub fn is_matched_by(&self, error_equals: &[String]) -> bool {
        let all = || error_equals.iter().any(|name| name == names::ALL);
        matches(error_equals, self.error_name())
            || (self.source == FailureSource::TaskResultTooLarge && all())
    }
}

/// "An error occurred while executing the state 'X' (entered at the event id #N). message"
pub fn in_state(state: &str, entered_event: u64, message: impl std::fmt::Display) -> String {
    format!(
        "An error occurred while executing the state '{state}' (entered at the event id #{entered_event}). {message}"
    )
}

/// Whether an `ErrorEquals` list matches an error. `States.ALL` matches everything except
/// the terminal `States.Runtime` and `States.DataLimitExceeded` (AWS: "a retry or catch on
/// States.ALL won't catch" them); `States.TaskFailed` matches any task error but timeouts.
pub fn matches(error_equals: &[String], error: &str) -> bool {
    error_equals.iter().any(|name| match name.as_str() {
        names::ALL => !matches!(error, names::RUNTIME | names::DATA_LIMIT),
        names::TASK_FAILED => !matches!(error, names::TIMEOUT | names::RUNTIME | names::DATA_LIMIT),
        other => other == error,
    })
}

/// The first retrier whose ErrorEquals matches, with its index.
pub fn find_retrier<'a>(
    retriers: &'a [Retrier],
    failure: &Failure,
) -> Option<(usize, &'a Retrier)> {
    retriers
        .iter()
        .enumerate()
        .find(|(_, r)| failure.is_matched_by(&r.error_equals))
}

/// Seconds to wait before retry number `attempt` (0-based): IntervalSeconds × BackoffRate^attempt,
/// capped by MaxDelaySeconds; FULL jitter picks uniformly in [0, delay) using `jitter` ∈ [0, 1).
pub fn retry_delay(retrier: &Retrier, attempt: u64, jitter: f64) -> f64 {
    let exponent = i32::try_from(attempt).unwrap_or(i32::MAX);
    let mut delay = retrier.interval_seconds as f64 * retrier.backoff_rate.powi(exponent);
    if let Some(max) = retrier.max_delay_seconds {
        delay = delay.min(max as f64);
    }
    // A year is the longest any execution can run; bound the arithmetic.
    delay = delay.clamp(0.0, 31_622_400.0);
    match retrier.jitter_strategy {
        JitterStrategy::Full => delay * jitter.clamp(0.0, 1.0),
        JitterStrategy::None => delay,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn list(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn states_all_does_not_catch_terminal_errors() {
        assert!(matches(&list(&["States.ALL"]), "MyError"));
        assert!(matches(&list(&["States.ALL"]), "States.Timeout"));
        assert!(!matches(&list(&["States.ALL"]), "States.Runtime"));
        assert!(!matches(&list(&["States.ALL"]), "States.DataLimitExceeded"));
        assert!(matches(
            &list(&["States.DataLimitExceeded"]),
            "States.DataLimitExceeded"
        ));
    }

    #[test]
    fn task_failed_matches_task_errors_but_not_timeouts() {
        assert!(matches(
            &list(&["States.TaskFailed"]),
            "Lambda.ServiceException"
        ));
        assert!(matches(&list(&["States.TaskFailed"]), "States.TaskFailed"));
        assert!(!matches(&list(&["States.TaskFailed"]), "States.Timeout"));
        assert!(!matches(&list(&["State.ALL"]), "Anything"));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let retrier = Retrier::from_value(
            &json!({"ErrorEquals": ["X"], "IntervalSeconds": 2, "BackoffRate": 3.0, "MaxDelaySeconds": 30}),
        );
        assert_eq!(retry_delay(&retrier, 0, 0.5), 2.0);
        assert_eq!(retry_delay(&retrier, 1, 0.5), 6.0);
        assert_eq!(retry_delay(&retrier, 2, 0.5), 18.0);
        assert_eq!(retry_delay(&retrier, 3, 0.5), 30.0);
        let jittered = Retrier::from_value(
            &json!({"ErrorEquals": ["X"], "IntervalSeconds": 4, "JitterStrategy": "FULL"}),
        );
        assert_eq!(retry_delay(&jittered, 0, 0.25), 1.0);
    }

    #[test]
    fn error_output_has_error_and_cause() {
        assert_eq!(
            Failure::new("E", "C").error_output(),
            json!({"Error": "E", "Cause": "C"})
        );
        let bare = Failure::from_parts(None, None);
        assert_eq!(bare.error_output(), json!({}));
        assert_eq!(
            Failure::runtime("S", 2, "bad").cause.as_deref(),
            Some(
                "An error occurred while executing the state 'S' (entered at the event id #2). bad"
            )
        );
    }

    #[test]
    fn task_error_outputs_always_have_error_and_cause() {
        // SendTaskFailure without error or cause, as recorded.
        let bare = Failure::from_parts(None, None).raised_by(FailureSource::Task);
        assert_eq!(bare.error_output(), json!({"Error": null, "Cause": null}));
        // A timeout without cause.
        let timeout = Failure::from_parts(Some(names::TIMEOUT.into()), None)
            .raised_by(FailureSource::TaskTimeout);
        assert_eq!(
            timeout.error_output(),
            json!({"Error": "States.Timeout", "Cause": ""})
        );
        let full = Failure::new("E", "C").raised_by(FailureSource::Task);
        assert_eq!(full.error_output(), json!({"Error": "E", "Cause": "C"}));
    }

    #[test]
    fn states_all_catches_an_oversized_task_result_only() {
        let all = list(&["States.ALL"]);
        let output = Failure::new(names::DATA_LIMIT, "state output");
        assert!(!output.is_matched_by(&all));
        let result = output.clone().raised_by(FailureSource::TaskResultTooLarge);
        assert!(result.is_matched_by(&all));
        assert!(result.is_matched_by(&list(&["States.DataLimitExceeded"])));
        assert!(!result.is_matched_by(&list(&["States.TaskFailed"])));
    }
}
