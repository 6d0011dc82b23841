//! Execution history in the shapes of GetExecutionHistory.
//!
//! Payloads are shared `Arc<Value>`s: a 100,000-item Map must not copy each item four times.

pub use super::task_events::{TaskFamily, TaskRef, TaskScheduled};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map as JsonMap, Value, json};
use std::sync::Arc;

/// One history event.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEvent {
    pub id: u64,
    pub previous_event_id: u64,
    pub timestamp: DateTime<Utc>,
    pub kind: EventKind,
}

/// The event types and their details.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    ExecutionStarted {
        input: Arc<Value>,
        role_arn: String,
    },
    ExecutionSucceeded {
        output: Arc<Value>,
    },
    ExecutionFailed {
        error: Option<String>,
        cause: Option<String>,
    },
    ExecutionTimedOut {
        error: Option<String>,
        cause: Option<String>,
    },
    ExecutionAborted {
        error: Option<String>,
        cause: Option<String>,
    },
    /// `<Type>StateEntered`.
    StateEntered {
        state_type: &'static str,
        name: Arc<str>,
        input: Arc<Value>,
    },
    /// `<Type>StateExited`, with the variables the state assigned.
    StateExited {
        state_type: &'static str,
        name: Arc<str>,
        output: Arc<Value>,
        assigned: Option<Box<JsonMap<String, Value>>>,
    },
    /// A JSONata (or intrinsic) evaluation failed in a state.
    EvaluationFailed {
        state: Arc<str>,
        error: String,
        cause: String,
        location: Option<String>,
    },
    TaskScheduled(Box<TaskScheduled>),
    TaskStarted {
        task: TaskRef,
        /// The activity worker that took the task (ActivityStarted).
        worker_name: Option<String>,
    },
    TaskSubmitted {
        task: TaskRef,
        output: Arc<Value>,
    },
    TaskSucceeded {
        task: TaskRef,
        output: Arc<Value>,
    },
    TaskFailed {
        task: TaskRef,
        error: Option<String>,
        cause: Option<String>,
    },
    TaskTimedOut {
        task: TaskRef,
        error: Option<String>,
        cause: Option<String>,
    },
    /// A Task state left unfinished because its branch or iteration ended: its own task
    /// failed there, or a sibling's failure stopped it.
    TaskStateAborted {
        name: Arc<str>,
    },
    ParallelStateStarted,
    ParallelStateSucceeded,
    ParallelStateFailed,
    ParallelStateAborted,
    MapStateStarted {
        length: usize,
    },
    MapStateSucceeded,
    MapStateFailed,
    MapStateAborted,
    MapIterationStarted {
        name: Arc<str>,
        index: usize,
    },
    MapIterationSucceeded {
        name: Arc<str>,
        index: usize,
    },
    MapIterationFailed {
        name: Arc<str>,
        index: usize,
    },
    MapIterationAborted {
        name: Arc<str>,
        index: usize,
    },
    MapRunStarted {
        map_run_arn: String,
    },
    MapRunSucceeded,
    MapRunFailed {
        error: Option<String>,
        cause: Option<String>,
    },
}

impl EventKind {
    /// The AWS event type name.
    pub fn type_name(&self) -> String {
        match self {
            EventKind::StateEntered { state_type, .. } => format!("{state_type}StateEntered"),
            EventKind::StateExited { state_type, .. } => format!("{state_type}StateExited"),
            other => other.fixed_name().to_string(),
        }
    }

    fn fixed_name(&self) -> &'static str {
        match self {
            EventKind::ExecutionStarted { .. } => "ExecutionStarted",
            EventKind::ExecutionSucceeded { .. } => "ExecutionSucceeded",
            EventKind::ExecutionFailed { .. } => "ExecutionFailed",
            EventKind::ExecutionTimedOut { .. } => "ExecutionTimedOut",
            EventKind::ExecutionAborted { .. } => "ExecutionAborted",
            EventKind::StateEntered { .. } => "StateEntered",
            EventKind::StateExited { .. } => "StateExited",
            EventKind::EvaluationFailed { .. } => "EvaluationFailed",
            EventKind::TaskScheduled(scheduled) => scheduled.task.family.pick([
                "TaskScheduled",
                "LambdaFunctionScheduled",
                "ActivityScheduled",
            ]),
            EventKind::TaskStarted { task, .. } => {
                task.family
                    .pick(["TaskStarted", "LambdaFunctionStarted", "ActivityStarted"])
            }
            EventKind::TaskSubmitted { .. } => "TaskSubmitted",
            EventKind::TaskSucceeded { task, .. } => task.family.pick([
                "TaskSucceeded",
                "LambdaFunctionSucceeded",
                "ActivitySucceeded",
            ]),
            EventKind::TaskFailed { task, .. } => {
                task.family
                    .pick(["TaskFailed", "LambdaFunctionFailed", "ActivityFailed"])
            }
            EventKind::TaskTimedOut { task, .. } => {
                task.family
                    .pick(["TaskTimedOut", "LambdaFunctionTimedOut", "ActivityTimedOut"])
            }
            EventKind::TaskStateAborted { .. } => "TaskStateAborted",
            EventKind::ParallelStateStarted => "ParallelStateStarted",
            EventKind::ParallelStateSucceeded => "ParallelStateSucceeded",
            EventKind::ParallelStateFailed => "ParallelStateFailed",
            EventKind::ParallelStateAborted => "ParallelStateAborted",
            EventKind::MapStateStarted { .. } => "MapStateStarted",
            EventKind::MapStateSucceeded => "MapStateSucceeded",
            EventKind::MapStateFailed => "MapStateFailed",
            EventKind::MapStateAborted => "MapStateAborted",
            EventKind::MapIterationStarted { .. } => "MapIterationStarted",
            EventKind::MapIterationSucceeded { .. } => "MapIterationSucceeded",
            EventKind::MapIterationFailed { .. } => "MapIterationFailed",
            EventKind::MapIterationAborted { .. } => "MapIterationAborted",
            EventKind::MapRunStarted { .. } => "MapRunStarted",
            EventKind::MapRunSucceeded => "MapRunSucceeded",
            EventKind::MapRunFailed { .. } => "MapRunFailed",
        }
    }

    /// Whether later events of the same scope point back to this one. AWS links the
    /// "succeeded" notices of Map and Parallel (and iteration results) to the last event of
    /// the child instead, and iterations started side by side all to MapStateStarted, as the
    /// recorded histories show.
    pub(crate) fn becomes_previous(&self) -> bool {
        !matches!(
            self,
            EventKind::MapStateSucceeded
                | EventKind::ParallelStateSucceeded
                | EventKind::MapIterationStarted { .. }
                | EventKind::MapIterationFailed { .. }
                | EventKind::MapIterationAborted { .. }
                | EventKind::TaskStateAborted { .. }
        )
    }

    /// The state name an event concerns, when it names one.
    pub fn state_name(&self) -> Option<&str> {
        match self {
            EventKind::StateEntered { name, .. } | EventKind::StateExited { name, .. } => {
                Some(name)
            }
            EventKind::EvaluationFailed { state, .. }
            | EventKind::TaskStateAborted { name: state } => Some(state),
            EventKind::MapIterationStarted { name, .. }
            | EventKind::MapIterationSucceeded { name, .. }
            | EventKind::MapIterationFailed { name, .. }
            | EventKind::MapIterationAborted { name, .. } => Some(name),
            _ => None,
        }
    }

    /// The error and cause of a failure event.
    pub fn failure(&self) -> Option<(Option<&str>, Option<&str>)> {
        match self {
            EventKind::ExecutionFailed { error, cause }
            | EventKind::ExecutionTimedOut { error, cause }
            | EventKind::ExecutionAborted { error, cause }
            | EventKind::TaskFailed { error, cause, .. }
            | EventKind::TaskTimedOut { error, cause, .. }
            | EventKind::MapRunFailed { error, cause } => {
                Some((error.as_deref(), cause.as_deref()))
            }
            EventKind::EvaluationFailed { error, cause, .. } => Some((Some(error), Some(cause))),
            _ => None,
        }
    }
}

/// JSON text of a payload, as AWS puts it in history events (compact, Jackson style).
pub fn payload_text(value: &Value) -> String {
    crate::asl::path::to_json_string(value)
}

pub(super) fn truncated() -> Value {
    json!({"truncated": false})
}

pub(super) fn error_details(error: &Option<String>, cause: &Option<String>) -> Value {
    let mut details = JsonMap::new();
    if let Some(error) = error {
        details.insert("error".into(), Value::String(error.clone()));
    }
    if let Some(cause) = cause {
        details.insert("cause".into(), Value::String(cause.clone()));
    }
    Value::Object(details)
}

pub(super) fn service_details(task: &TaskRef) -> JsonMap<String, Value> {
    let mut details = JsonMap::new();
    details.insert(
        "resourceType".into(),
        Value::String(task.resource_type.clone()),
    );
    details.insert("resource".into(), Value::String(task.resource.clone()));
    details
}

impl HistoryEvent {
    /// The event as GetExecutionHistory returns it (payloads as JSON text).
    pub fn to_aws_json(&self) -> Value {
        let mut event = JsonMap::new();
        event.insert(
            "timestamp".into(),
            Value::String(self.timestamp.to_rfc3339_opts(SecondsFormat::Millis, true)),
        );
        event.insert("type".into(), Value::String(self.kind.type_name()));
        event.insert("id".into(), Value::from(self.id));
        event.insert(
            "previousEventId".into(),
            Value::from(self.previous_event_id),
        );
        if let Some((key, details)) = self.details() {
            event.insert(key.into(), details);
        }
        Value::Object(event)
    }

    fn details(&self) -> Option<(&'static str, Value)> {
        Some(match &self.kind {
            EventKind::ExecutionStarted { input, role_arn } => (
                "executionStartedEventDetails",
                json!({"input": payload_text(input), "inputDetails": truncated(), "roleArn": role_arn}),
            ),
            EventKind::ExecutionSucceeded { output } => (
                "executionSucceededEventDetails",
                json!({"output": payload_text(output), "outputDetails": truncated()}),
            ),
            EventKind::ExecutionFailed { error, cause } => {
                ("executionFailedEventDetails", error_details(error, cause))
            }
            EventKind::ExecutionTimedOut { error, cause } => {
                ("executionTimedOutEventDetails", error_details(error, cause))
            }
            EventKind::ExecutionAborted { error, cause } => {
                ("executionAbortedEventDetails", error_details(error, cause))
            }
            EventKind::StateEntered { name, input, .. } => (
                "stateEnteredEventDetails",
                json!({"name": name, "input": payload_text(input), "inputDetails": truncated()}),
            ),
            EventKind::StateExited {
                name,
                output,
                assigned,
                ..
            } => {
                let mut details = json!({"name": name, "output": payload_text(output), "outputDetails": truncated()});
                if let (Some(assigned), Some(object)) = (assigned, details.as_object_mut()) {
                    let texts: JsonMap<String, Value> = assigned
                        .iter()
                        .map(|(k, v)| (k.clone(), Value::String(payload_text(v))))
                        .collect();
                    object.insert("assignedVariables".into(), Value::Object(texts));
                    object.insert("assignedVariablesDetails".into(), truncated());
                }
                ("stateExitedEventDetails", details)
            }
            EventKind::EvaluationFailed {
                state,
                error,
                cause,
                location,
            } => {
                let mut details = json!({"error": error, "cause": cause, "state": state});
                if let (Some(location), Some(object)) = (location, details.as_object_mut()) {
                    object.insert("location".into(), Value::String(location.clone()));
                }
                ("evaluationFailedEventDetails", details)
            }
            EventKind::TaskScheduled(_)
            | EventKind::TaskStarted { .. }
            | EventKind::TaskSubmitted { .. }
            | EventKind::TaskSucceeded { .. }
            | EventKind::TaskFailed { .. }
            | EventKind::TaskTimedOut { .. } => return self.task_details(),
            EventKind::TaskStateAborted { .. } => return None,
            EventKind::MapStateStarted { length } => {
                ("mapStateStartedEventDetails", json!({"length": length}))
            }
            EventKind::MapIterationStarted { name, index } => (
                "mapIterationStartedEventDetails",
                json!({"name": name, "index": index}),
            ),
            EventKind::MapIterationSucceeded { name, index } => (
                "mapIterationSucceededEventDetails",
                json!({"name": name, "index": index}),
            ),
            EventKind::MapIterationFailed { name, index } => (
                "mapIterationFailedEventDetails",
                json!({"name": name, "index": index}),
            ),
            EventKind::MapIterationAborted { name, index } => (
                "mapIterationAbortedEventDetails",
                json!({"name": name, "index": index}),
            ),
            EventKind::MapRunStarted { map_run_arn } => (
                "mapRunStartedEventDetails",
                json!({"mapRunArn": map_run_arn}),
            ),
            EventKind::MapRunFailed { error, cause } => {
                ("mapRunFailedEventDetails", error_details(error, cause))
            }
            EventKind::ParallelStateStarted
            | EventKind::ParallelStateSucceeded
            | EventKind::ParallelStateFailed
            | EventKind::ParallelStateAborted
            | EventKind::MapStateSucceeded
            | EventKind::MapStateFailed
            | EventKind::MapStateAborted
            | EventKind::MapRunSucceeded => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: EventKind) -> Value {
        HistoryEvent {
            id: 2,
            previous_event_id: 1,
            timestamp: DateTime::UNIX_EPOCH,
            kind,
        }
        .to_aws_json()
    }

    #[test]
    fn state_events_carry_payloads_as_json_text() {
        let entered = event(EventKind::StateEntered {
            state_type: "Pass",
            name: "A".into(),
            input: Arc::new(json!({"a": [1, 2.5]})),
        });
        assert_eq!(entered["type"], "PassStateEntered");
        assert_eq!(
            entered["stateEnteredEventDetails"],
            json!({"name": "A", "input": "{\"a\":[1,2.5]}", "inputDetails": {"truncated": false}})
        );
        assert_eq!(entered["timestamp"], "1970-01-01T00:00:00.000Z");
        let mut assigned = JsonMap::new();
        assigned.insert("x".into(), json!(42));
        let exited = event(EventKind::StateExited {
            state_type: "Pass",
            name: "A".into(),
            output: Arc::new(json!("s")),
            assigned: Some(Box::new(assigned)),
        });
        assert_eq!(
            exited["stateExitedEventDetails"]["assignedVariables"],
            json!({"x": "42"})
        );
        assert_eq!(exited["stateExitedEventDetails"]["output"], "\"s\"");
    }

    #[test]
    fn failures_omit_missing_fields() {
        let failed = event(EventKind::ExecutionFailed {
            error: None,
            cause: None,
        });
        assert_eq!(failed["executionFailedEventDetails"], json!({}));
        let task = event(EventKind::TaskFailed {
            task: TaskRef {
                resource_type: "lambda".into(),
                resource: "invoke".into(),
                family: TaskFamily::Service,
            },
            error: Some("E".into()),
            cause: None,
        });
        assert_eq!(
            task["taskFailedEventDetails"],
            json!({"resourceType": "lambda", "resource": "invoke", "error": "E"})
        );
        assert!(
            event(EventKind::MapStateSucceeded)
                .get("mapStateSucceededEventDetails")
                .is_none()
        );
    }
}
