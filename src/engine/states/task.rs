//! Task states: scheduling, the backend, results, timeouts.

use super::super::backends::{TaskInvocation, TaskOutcome, TaskRequest};
use super::super::compiled::CompiledKind;
use super::super::dataflow::{Extras, payload_size};
use super::super::errors::{Failure, FailureSource, names};
use super::super::execution::Execution;
use super::super::frame::{FrameId, Phase, StateRun};
use super::super::history::{EventKind, TaskFamily, TaskRef, TaskScheduled};
use super::super::stages::Stage;
use crate::asl::model::{IntegrationPattern, QueryLanguage};
use serde_json::Value;
use std::sync::Arc;

/// `resourceType` / `resource` of history events for a Task resource ARN.
pub(crate) fn resource_ref(resource: &str) -> TaskRef {
    let family = TaskFamily::of(resource);
    let service = |resource_type: String, resource: String| TaskRef {
        resource_type,
        resource,
        family,
    };
    // Lambda function and activity events name the whole ARN.
    let whole = |resource_type: &str| TaskRef {
        resource_type: resource_type.into(),
        resource: resource.to_string(),
        family,
    };
    match family {
        TaskFamily::LambdaFunction => return whole("lambda"),
        TaskFamily::Activity => return whole("activity"),
        TaskFamily::Service => {}
    }
    let parts: Vec<&str> = resource.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", _, "states", _, _, rest] => match rest.split_once(':') {
            Some(("aws-sdk", sdk)) => match sdk.split_once(':') {
                Some((name, action)) => service(format!("aws-sdk:{name}"), action.to_string()),
                None => service("aws-sdk".into(), sdk.to_string()),
            },
            Some((name, action)) => service(name.to_string(), action.to_string()),
            None => service("states".into(), rest.to_string()),
        },
        _ => service("task".into(), resource.to_string()),
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
                let input = self.apply_input_path(id, &run.state.input_path, &run.raw_input);
                let input = self.staged(id, Stage::AfterInputPath, input)?;
                let parameters = match &run.state.parameters {
                    Some(template) => self
                        .eval_path_template(id, template, &input, &extras)
                        .map_err(|e| self.template_failure(id, e)),
                    None => Ok(input),
                };
                self.staged(id, Stage::AfterParameters, parameters)?
            }
            QueryLanguage::Jsonata => {
                let arguments = match &run.state.arguments {
                    Some(template) => self
                        .eval_jsonata(id, template, "Arguments", &run.raw_input, &extras)
                        .map_err(|e| self.template_failure(id, e)),
                    None => Ok((*run.raw_input).clone()),
                };
                self.staged(id, Stage::AfterArguments, arguments)?
            }
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
            if let Some(run) = frame.run.as_mut().map(Arc::make_mut) {
                run.task_token = token;
                run.task_credentials = credentials;
                run.task_timeout = timeout;
                run.task_heartbeat = heartbeat;
            }
        }
        // AWS schedules the task of every iteration in flight before any of them starts.
        self.yield_then(id, Phase::TaskInvoke { task, parameters });
        Ok(())
    }

    /// Calls the backend; records TaskStarted (and TaskSubmitted) and, when it is there, the
    /// answer.
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
        let mut answer = self.backend().clone().invoke(&request);
        let mut receipt = None;
        while let TaskInvocation::Accepted { receipt: r, then } = answer {
            receipt.get_or_insert(r);
            answer = *then;
        }
        let worker_name = receipt.as_ref().and_then(|r| r.worker_name.clone());
        // Only the service integrations that wait for a job or a callback were submitted.
        let submitted = match receipt {
            Some(receipt)
                if task.family == TaskFamily::Service
                    && IntegrationPattern::of(resource) != IntegrationPattern::RequestResponse =>
            {
                Some(match receipt.submitted {
                    Some(response) => response,
                    None => self.usual_submit_response(&request, &task),
                })
            }
            _ => None,
        };
        let Some(frame) = self.frame_mut(id) else {
            return;
        };
        frame.push(EventKind::TaskStarted {
            task: task.clone(),
            worker_name,
        });
        if let Some(output) = &submitted {
            frame.push(EventKind::TaskSubmitted {
                task: task.clone(),
                output: Arc::new(output.clone()),
            });
        }
        if let Some(run) = frame.run.as_mut().map(Arc::make_mut) {
            run.task = Some(task);
        }
        match answer {
            // Even an answer at hand comes back in a turn of its own: AWS starts the tasks of
            // every iteration in flight before any result (or callback) arrives.
            TaskInvocation::Done(outcome) => self.yield_then(id, Phase::TaskDeliver(outcome)),
            TaskInvocation::After { seconds, outcome } => {
                self.deliver_later(id, &run, seconds, outcome)
            }
            TaskInvocation::Pending(pending) => {
                self.set_phase(id, Phase::TaskAwait);
                self.add_pending(id, pending);
            }
            // Unwrapped above.
            TaskInvocation::Accepted { .. } => {}
        }
    }

    /// A task that takes `seconds`: its answer arrives then, unless TimeoutSeconds or
    /// HeartbeatSeconds (no heartbeat is ever sent by a mock) run out first. A missed
    /// heartbeat is `States.Timeout` too, as AWS records it.
    fn deliver_later(&mut self, id: FrameId, run: &StateRun, seconds: f64, outcome: TaskOutcome) {
        let first_limit = [run.task_timeout, run.task_heartbeat]
            .into_iter()
            .flatten()
            .map(|limit| limit as f64)
            .filter(|limit| *limit < seconds)
            .min_by(|a, b| a.total_cmp(b));
        let (seconds, outcome) = match first_limit {
            Some(limit) => (
                limit,
                TaskOutcome::TimedOut {
                    error: names::TIMEOUT.to_string(),
                    cause: None,
                },
            ),
            None => (seconds, outcome),
        };
        let due = self.now + chrono::Duration::milliseconds((seconds * 1000.0).round() as i64);
        self.set_phase(
            id,
            Phase::Sleep {
                until: due,
                then: Box::new(Phase::TaskDeliver(outcome)),
            },
        );
    }

    /// Records the backend's answer: TaskSucceeded / TaskFailed / TaskTimedOut (or their
    /// Lambda / activity names). A result over the payload limit fails the task.
    pub(crate) fn on_task_outcome(&mut self, id: FrameId, outcome: TaskOutcome) {
        let limit = self.options().payload_limit;
        let Some(frame) = self.frame_mut(id) else {
            return;
        };
        let task = frame
            .run
            .as_mut()
            .and_then(|run| Arc::make_mut(run).task.take())
            .unwrap_or_else(|| resource_ref(""));
        let next = match outcome {
            TaskOutcome::Succeeded(result)
                if limit.is_some_and(|limit| payload_size(&result) > limit) =>
            {
                // AWS names the service (or the function / activity ARN), not the state.
                let named = match task.family {
                    TaskFamily::Service => &task.resource_type,
                    TaskFamily::LambdaFunction | TaskFamily::Activity => &task.resource,
                };
                let failure = Failure::new(
                    names::DATA_LIMIT,
                    format!(
                        "The state/task '{named}' returned a result with a size exceeding the maximum number of bytes service limit."
                    ),
                )
                .raised_by(FailureSource::TaskResultTooLarge);
                frame.push(EventKind::TaskFailed {
                    task,
                    error: failure.error.clone(),
                    cause: failure.cause.clone(),
                });
                Phase::Failing {
                    failure,
                    announced: true,
                }
            }
            TaskOutcome::Succeeded(result) => {
                frame.push(EventKind::TaskSucceeded {
                    task,
                    output: Arc::new(result.clone()),
                });
                Phase::TaskResult(result)
            }
            TaskOutcome::Failed { error, cause } => {
                frame.push(EventKind::TaskFailed {
                    task,
                    error: error.clone(),
                    cause: cause.clone(),
                });
                Phase::Failing {
                    failure: Failure::from_parts(error, cause).raised_by(FailureSource::Task),
                    announced: true,
                }
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
                Phase::Failing {
                    failure: Failure::from_parts(Some(error), cause)
                        .raised_by(FailureSource::TaskTimeout),
                    announced: true,
                }
            }
        };
        // Answers that arrive at the same instant are all recorded before any is acted on
        // (four Map iterations timing out together: four TaskTimedOut, then the Map fails).
        self.yield_then(id, next);
    }

    pub(super) fn task_result(&mut self, id: FrameId, result: Value) {
        let Some(run) = self.frame(id).and_then(|f| f.run.clone()) else {
            return;
        };
        self.record_stage(id, Stage::Result, &result);
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
        assert_eq!(r.family, TaskFamily::Service);
        let r = resource_ref("arn:aws:lambda:us-east-1:1:function:Hello");
        assert_eq!(
            (r.resource.as_str(), r.family),
            (
                "arn:aws:lambda:us-east-1:1:function:Hello",
                TaskFamily::LambdaFunction
            )
        );
        let r = resource_ref("arn:aws:states:us-east-1:1:activity:Approve");
        assert_eq!(
            (r.resource.as_str(), r.family),
            (
                "arn:aws:states:us-east-1:1:activity:Approve",
                TaskFamily::Activity
            )
        );
    }
}
