//! Task states: scheduling, the backend, results, timeouts.

use super::super::backends::{TaskInvocation, TaskOutcome, TaskRequest};
use super::super::compiled::CompiledKind;
use super::super::dataflow::Extras;
use super::super::errors::{Failure, names};
use super::super::execution::Execution;
use super::super::frame::{FrameId, Phase, StateRun, Wake};
use super::super::history::{EventKind, TaskRef, TaskScheduled};
use crate::asl::model::{IntegrationPattern, QueryLanguage};
use serde_json::Value;
use std::sync::Arc;

/// `resourceType` / `resource` of history events for a Task resource ARN.
pub(crate) fn resource_ref(resource: &str) -> TaskRef {
    let parts: Vec<&str> = resource.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", _, "states", _, _, rest] if !rest.starts_with("activity:") => {
            match rest.split_once(':') {
                Some(("aws-sdk", sdk)) => match sdk.split_once(':') {
                    Some((service, action)) => TaskRef {
                        resource_type: format!("aws-sdk:{service}"),
                        resource: action.to_string(),
                    },
                    None => TaskRef {
                        resource_type: "aws-sdk".into(),
                        resource: sdk.to_string(),
                    },
                },
                Some((service, action)) => TaskRef {
                    resource_type: service.to_string(),
                    resource: action.to_string(),
                },
                None => TaskRef {
                    resource_type: "states".into(),
                    resource: rest.to_string(),
                },
            }
        }
        ["arn", _, "states", _, _, rest] => TaskRef {
            resource_type: "activity".into(),
            resource: rest.trim_start_matches("activity:").to_string(),
        },
        ["arn", _, "lambda", _, _, rest] => TaskRef {
            resource_type: "lambda".into(),
            resource: rest.trim_start_matches("function:").to_string(),
        },
        _ => TaskRef {
            resource_type: "task".into(),
            resource: resource.to_string(),
        },
    }
}

impl Execution {
    pub(super) fn process_task(&mut self, id: FrameId, run: &StateRun) -> Result<(), Failure> {
        let CompiledKind::Task {
            resource,
            timeout,
            heartbeat,
            credentials,
        } = &run.state.kind
        else {
            return Ok(());
        };
        let token = (IntegrationPattern::of(resource) == IntegrationPattern::WaitForTaskToken)
            .then(|| self.new_token());
        let extras = Extras {
            task_token: token.as_deref(),
            ..Extras::default()
        };
        let parameters = match run.state.language {
            QueryLanguage::JsonPath => {
                let input = self.apply_input_path(id, &run.state.input_path, &run.raw_input)?;
                match &run.state.parameters {
                    Some(template) => self
                        .eval_path_template(id, template, &input, &extras)
                        .map_err(|e| self.template_failure(id, e))?,
                    None => input,
                }
            }
            QueryLanguage::Jsonata => match &run.state.arguments {
                Some(template) => self
                    .eval_jsonata(id, template, "Arguments", &run.raw_input, &extras)
                    .map_err(|e| self.template_failure(id, e))?,
                None => (*run.raw_input).clone(),
            },
        };
        let credentials = match credentials {
            Some(selector) => {
                let input = self.apply_input_path(id, &run.state.input_path, &run.raw_input)?;
                Some(self.eval_selector(
                    id,
                    selector,
                    "Credentials",
                    &input,
                    &run.raw_input,
                    &extras,
                )?)
            }
            None => None,
        };
        let timeout = self.positive_integer(id, run, timeout.as_ref(), "TimeoutSeconds")?;
        let heartbeat = self.positive_integer(id, run, heartbeat.as_ref(), "HeartbeatSeconds")?;
        let task = resource_ref(resource);
        let region = self.options().region.clone();
        let parameters = Arc::new(parameters);
        if let Some(frame) = self.frame_mut(id) {
            frame.push(EventKind::TaskScheduled(Box::new(TaskScheduled {
                task: task.clone(),
                region,
                parameters: parameters.clone(),
                timeout_seconds: timeout,
                heartbeat_seconds: heartbeat,
                credentials: credentials.clone(),
            })));
            frame.push(EventKind::TaskStarted { task: task.clone() });
            frame.phase = Phase::TaskInvoke { task, parameters };
            if let Some(run) = frame.run.as_mut() {
                run.task_token = token;
                run.task_credentials = credentials;
                run.task_timeout = timeout;
                run.task_heartbeat = heartbeat;
            }
        }
        Ok(())
    }

    pub(super) fn invoke_task(&mut self, id: FrameId, task: TaskRef, parameters: Arc<Value>) {
        let Some(run) = self.frame(id).and_then(|f| f.run.clone()) else {
            return;
        };
        let CompiledKind::Task { resource, .. } = &run.state.kind else {
            return;
        };
        let counter = self
            .invocations
            .entry(run.state.name.to_string())
            .or_insert(0);
        let invocation = *counter;
        *counter += 1;
        let request = TaskRequest {
            state_name: run.state.name.to_string(),
            resource: resource.clone(),
            parameters: (*parameters).clone(),
            invocation,
            task_token: run.task_token.clone(),
            timeout_seconds: run.task_timeout,
            heartbeat_seconds: run.task_heartbeat,
            credentials: run.task_credentials.clone(),
        };
        if let Some(run) = self.frame_mut(id).and_then(|f| f.run.as_mut()) {
            run.task = Some(task);
        }
        match self.backend().clone().invoke(&request) {
            TaskInvocation::Done(outcome) => self.on_task_outcome(id, outcome),
            TaskInvocation::After { seconds, outcome } => {
                self.deliver_later(id, &run, seconds, outcome)
            }
            TaskInvocation::Pending(pending) => {
                self.set_phase(id, Phase::TaskAwait);
                self.add_pending(id, pending);
            }
        }
    }

    /// A task that takes `seconds`: its answer arrives then, unless TimeoutSeconds or
    /// HeartbeatSeconds (no heartbeat is ever sent by a mock) run out first.
    fn deliver_later(&mut self, id: FrameId, run: &StateRun, seconds: f64, outcome: TaskOutcome) {
        let limits = [
            (run.task_timeout, names::TIMEOUT),
            (run.task_heartbeat, names::HEARTBEAT_TIMEOUT),
        ];
        let first_limit = limits
            .into_iter()
            .filter_map(|(limit, error)| limit.map(|l| (l as f64, error)))
            .filter(|(limit, _)| *limit < seconds)
            .min_by(|a, b| a.0.total_cmp(&b.0));
        let (seconds, outcome) = match first_limit {
            Some((limit, error)) => (
                limit,
                TaskOutcome::TimedOut {
                    error: error.to_string(),
                    cause: None,
                },
            ),
            None => (seconds, outcome),
        };
        let due = self.now + chrono::Duration::milliseconds((seconds * 1000.0).round() as i64);
        self.set_phase(id, Phase::TaskDeliver(outcome));
        self.block(id, Wake::Timer(due));
    }

    /// Records the backend's answer: TaskSucceeded / TaskFailed / TaskTimedOut.
    pub(crate) fn on_task_outcome(&mut self, id: FrameId, outcome: TaskOutcome) {
        let Some(frame) = self.frame_mut(id) else {
            return;
        };
        let task = frame
            .run
            .as_mut()
            .and_then(|run| run.task.take())
            .unwrap_or_else(|| TaskRef {
                resource_type: "task".into(),
                resource: String::new(),
            });
        match outcome {
            TaskOutcome::Succeeded(result) => {
                frame.push(EventKind::TaskSucceeded {
                    task,
                    output: Arc::new(result.clone()),
                });
                frame.phase = Phase::TaskResult(result);
            }
            TaskOutcome::Failed { error, cause } => {
                frame.push(EventKind::TaskFailed {
                    task,
                    error: error.clone(),
                    cause: cause.clone(),
                });
                frame.phase = Phase::Failing {
                    failure: Failure {
                        error,
                        cause,
                        evaluation: None,
                    },
                    announced: true,
                };
            }
            TaskOutcome::TimedOut { error, cause } => {
                let error = if error.is_empty() {
                    names::TIMEOUT.to_string()
                } else {
                    error
                };
                frame.push(EventKind::TaskTimedOut {
                    task,
                    error: Some(error.clone()),
                    cause: cause.clone(),
                });
                frame.phase = Phase::Failing {
                    failure: Failure {
                        error: Some(error),
                        cause,
                        evaluation: None,
                    },
                    announced: true,
                };
            }
        }
    }

    pub(super) fn task_result(&mut self, id: FrameId, result: Value) {
        let Some(run) = self.frame(id).and_then(|f| f.run.clone()) else {
            return;
        };
        match self.finish_with_result(id, &run, result) {
            Ok((output, assigned)) => self.exit_state(id, Arc::new(output), assigned, None),
            Err(failure) => self.set_phase(
                id,
                Phase::Failing {
                    failure,
                    announced: false,
                },
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_types_follow_aws() {
        let r = resource_ref("arn:aws:states:::lambda:invoke");
        assert_eq!(
            (r.resource_type.as_str(), r.resource.as_str()),
            ("lambda", "invoke")
        );
        let r = resource_ref("arn:aws:states:::aws-sdk:s3:getObject");
        assert_eq!(
            (r.resource_type.as_str(), r.resource.as_str()),
            ("aws-sdk:s3", "getObject")
        );
        let r = resource_ref("arn:aws:states:::states:startExecution.sync:2");
        assert_eq!(
            (r.resource_type.as_str(), r.resource.as_str()),
            ("states", "startExecution.sync:2")
        );
        let r = resource_ref("arn:aws:lambda:us-east-1:1:function:Hello");
        assert_eq!(
            (r.resource_type.as_str(), r.resource.as_str()),
            ("lambda", "Hello")
        );
        let r = resource_ref("arn:aws:states:us-east-1:1:activity:Approve");
        assert_eq!(
            (r.resource_type.as_str(), r.resource.as_str()),
            ("activity", "Approve")
        );
    }
}
