//! The Task events: what they refer to, the three families AWS records them in (service
//! integrations, Lambda functions, activities) and the shape of each family's details.

use super::history::{
    EventKind, HistoryEvent, error_details, payload_text, service_details, truncated,
};
use serde_json::{Map as JsonMap, Value, json};
use std::sync::Arc;

/// Task details shared by the Task* events.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRef {
    /// e.g. "lambda", "aws-sdk:s3", "states", "activity"
    pub resource_type: String,
    /// e.g. "invoke", "getObject", "startExecution.sync:2"; the whole ARN for a Lambda
    /// function or an activity (what their events record).
    pub resource: String,
    pub family: TaskFamily,
}

/// The event family of a Task's resource: AWS names and shapes the events of each differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TaskFamily {
    /// A service integration (`arn:aws:states:::service:action`): Task* events.
    #[default]
    Service,
    /// A Lambda function ARN: LambdaFunctionScheduled / Started / Succeeded / Failed / TimedOut.
    LambdaFunction,
    /// An activity ARN: ActivityScheduled / Started / Succeeded / Failed / TimedOut.
    Activity,
}

impl TaskFamily {
    /// The family of a Task's `Resource`.
    pub fn of(resource: &str) -> TaskFamily {
        let parts: Vec<&str> = resource.splitn(6, ':').collect();
        match parts.as_slice() {
            ["arn", _, "lambda", ..] => TaskFamily::LambdaFunction,
            ["arn", _, "states", _, _, rest] if rest.starts_with("activity:") => {
                TaskFamily::Activity
            }
            _ => TaskFamily::Service,
        }
    }

    /// The event name for this family, from the Service / LambdaFunction / Activity names.
    pub(super) fn pick(self, names: [&'static str; 3]) -> &'static str {
        let [service, lambda, activity] = names;
        match self {
            TaskFamily::Service => service,
            TaskFamily::LambdaFunction => lambda,
            TaskFamily::Activity => activity,
        }
    }
}

/// Details of a TaskScheduled event (boxed: rare and large).
#[derive(Debug, Clone, PartialEq)]
pub struct TaskScheduled {
    pub task: TaskRef,
    pub region: String,
    pub parameters: Arc<Value>,
    pub timeout_seconds: Option<u64>,
    pub heartbeat_seconds: Option<u64>,
    /// `taskCredentials` ({"roleArn": ...}) when the state assumes a role.
    pub credentials: Option<Value>,
}

impl HistoryEvent {
    /// Details of the Task*, LambdaFunction* and Activity* events, in each family's shape.
    pub(super) fn task_details(&self) -> Option<(&'static str, Value)> {
        let family = match &self.kind {
            EventKind::TaskScheduled(scheduled) => scheduled.task.family,
            EventKind::TaskStarted { task, .. }
            | EventKind::TaskSubmitted { task, .. }
            | EventKind::TaskSucceeded { task, .. }
            | EventKind::TaskFailed { task, .. }
            | EventKind::TaskTimedOut { task, .. } => task.family,
            _ => return None,
        };
        let service = family == TaskFamily::Service;
        let named = |names: [&'static str; 3]| family.pick(names);
        Some(match &self.kind {
            EventKind::TaskScheduled(scheduled) => {
                let TaskScheduled {
                    task,
                    region,
                    parameters,
                    timeout_seconds,
                    heartbeat_seconds,
                    credentials,
                } = scheduled.as_ref();
                let mut details = JsonMap::new();
                details.insert("resource".into(), Value::String(task.resource.clone()));
                if service {
                    details.insert(
                        "resourceType".into(),
                        Value::String(task.resource_type.clone()),
                    );
                    details.insert("region".into(), Value::String(region.clone()));
                    details.insert("parameters".into(), Value::String(payload_text(parameters)));
                } else {
                    details.insert("input".into(), Value::String(payload_text(parameters)));
                    details.insert("inputDetails".into(), truncated());
                }
                if let Some(timeout) = timeout_seconds {
                    details.insert("timeoutInSeconds".into(), Value::from(*timeout));
                }
                // Lambda functions have no heartbeat.
                if let (Some(heartbeat), false) =
                    (heartbeat_seconds, family == TaskFamily::LambdaFunction)
                {
                    details.insert("heartbeatInSeconds".into(), Value::from(*heartbeat));
                }
                // Activities run under the worker's credentials.
                if let (Some(role), false) = (
                    credentials.as_ref().and_then(|c| c.get("RoleArn")),
                    family == TaskFamily::Activity,
                ) {
                    details.insert("taskCredentials".into(), json!({"roleArn": role}));
                }
                (
                    named([
                        "taskScheduledEventDetails",
                        "lambdaFunctionScheduledEventDetails",
                        "activityScheduledEventDetails",
                    ]),
                    Value::Object(details),
                )
            }
            EventKind::TaskStarted { task, worker_name } => match family {
                TaskFamily::Service => (
                    "taskStartedEventDetails",
                    Value::Object(service_details(task)),
                ),
                // AWS records LambdaFunctionStarted without details.
                TaskFamily::LambdaFunction => return None,
                TaskFamily::Activity => {
                    let mut details = JsonMap::new();
                    if let Some(worker) = worker_name {
                        details.insert("workerName".into(), Value::String(worker.clone()));
                    }
                    ("activityStartedEventDetails", Value::Object(details))
                }
            },
            EventKind::TaskSubmitted { task, output }
            | EventKind::TaskSucceeded { task, output } => {
                let mut details = if service {
                    service_details(task)
                } else {
                    JsonMap::new()
                };
                details.insert("output".into(), Value::String(payload_text(output)));
                details.insert("outputDetails".into(), truncated());
                let key = if matches!(self.kind, EventKind::TaskSubmitted { .. }) {
                    "taskSubmittedEventDetails"
                } else {
                    named([
                        "taskSucceededEventDetails",
                        "lambdaFunctionSucceededEventDetails",
                        "activitySucceededEventDetails",
                    ])
                };
                (key, Value::Object(details))
            }
            EventKind::TaskFailed { task, error, cause }
            | EventKind::TaskTimedOut { task, error, cause } => {
                let mut details = if service {
                    service_details(task)
                } else {
                    JsonMap::new()
                };
                if let Value::Object(more) = error_details(error, cause) {
                    details.extend(more);
                }
                let key = if matches!(self.kind, EventKind::TaskFailed { .. }) {
                    named([
                        "taskFailedEventDetails",
                        "lambdaFunctionFailedEventDetails",
                        "activityFailedEventDetails",
                    ])
                } else {
                    named([
                        "taskTimedOutEventDetails",
                        "lambdaFunctionTimedOutEventDetails",
                        "activityTimedOutEventDetails",
                    ])
                };
                (key, Value::Object(details))
            }
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

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
    fn lambda_function_and_activity_events_have_their_own_names_and_shapes() {
        let task = |family, resource: &str| TaskRef {
            resource_type: "lambda".into(),
            resource: resource.into(),
            family,
        };
        let arn = "arn:aws:lambda:us-east-1:1:function:F";
        let lambda = task(TaskFamily::LambdaFunction, arn);
        let scheduled = event(EventKind::TaskScheduled(Box::new(TaskScheduled {
            task: lambda.clone(),
            region: "us-east-1".into(),
            parameters: Arc::new(json!({"a": 1})),
            timeout_seconds: Some(5),
            heartbeat_seconds: Some(2),
            credentials: Some(json!({"RoleArn": "r"})),
        })));
        assert_eq!(scheduled["type"], "LambdaFunctionScheduled");
        assert_eq!(
            scheduled["lambdaFunctionScheduledEventDetails"],
            json!({"resource": arn, "input": "{\"a\":1}", "inputDetails": {"truncated": false},
                "timeoutInSeconds": 5, "taskCredentials": {"roleArn": "r"}})
        );
        let started = event(EventKind::TaskStarted {
            task: lambda.clone(),
            worker_name: None,
        });
        assert_eq!(started["type"], "LambdaFunctionStarted");
        assert!(started.get("lambdaFunctionStartedEventDetails").is_none());
        let failed = event(EventKind::TaskFailed {
            task: lambda.clone(),
            error: Some("E".into()),
            cause: None,
        });
        assert_eq!(
            failed["lambdaFunctionFailedEventDetails"],
            json!({"error": "E"})
        );
        let timed_out = event(EventKind::TaskTimedOut {
            task: lambda,
            error: Some("States.Timeout".into()),
            cause: None,
        });
        assert_eq!(timed_out["type"], "LambdaFunctionTimedOut");
        let activity = task(
            TaskFamily::Activity,
            "arn:aws:states:us-east-1:1:activity:A",
        );
        let started = event(EventKind::TaskStarted {
            task: activity.clone(),
            worker_name: Some("worker-1".into()),
        });
        assert_eq!(
            started["activityStartedEventDetails"],
            json!({"workerName": "worker-1"})
        );
        let succeeded = event(EventKind::TaskSucceeded {
            task: activity,
            output: Arc::new(json!(1)),
        });
        assert_eq!(
            succeeded["activitySucceededEventDetails"],
            json!({"output": "1", "outputDetails": {"truncated": false}})
        );
        let aborted = event(EventKind::TaskStateAborted { name: "T".into() });
        assert_eq!(aborted["type"], "TaskStateAborted");
        assert!(aborted.as_object().is_some_and(|e| e.len() == 4));
    }

    #[test]
    fn resources_belong_to_an_event_family() {
        assert_eq!(
            TaskFamily::of("arn:aws:states:::lambda:invoke"),
            TaskFamily::Service
        );
        assert_eq!(
            TaskFamily::of("arn:aws:lambda:us-east-1:1:function:F:prod"),
            TaskFamily::LambdaFunction
        );
        assert_eq!(
            TaskFamily::of("arn:aws:states:us-east-1:1:activity:A"),
            TaskFamily::Activity
        );
    }
}
