//! Mocked task results in the AWS Step Functions Local `MockConfigFile` format.
//!
//! `{"StateMachines": {"<name>": {"TestCases": {"<case>": {"<state>": "<mock>"}}}},
//!   "MockedResponses": {"<mock>": {"0": {"Return": {...}}, "1-2": {"Throw": {"Error": "...", "Cause": "..."}}}}}`
//!
//! ASL Studio's extensions of an answer: `"DelaySeconds"` (the answer comes that much later on
//! the virtual clock), `"Submitted"` (the TaskSubmitted output of a `.sync` /
//! `.waitForTaskToken` task; without it, the service's usual answer) and `"WorkerName"` (the
//! activity worker in ActivityStarted).

use super::{Receipt, TaskBackend, TaskInvocation, TaskOutcome, TaskRequest, is_accepted_first};
use serde_json::Value;
use std::collections::HashMap;

/// What to do with a Task that has no mock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnmockedPolicy {
    /// Fail the task with `AslStudio.NoBackend` (strict: tests).
    #[default]
    Fail,
    /// Succeed with the task's parameters as its result (quick runs of new designs).
    Echo,
}

/// One mocked response: the answers of successive invocations.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MockedResponse {
    /// (first invocation, last invocation, answer)
    answers: Vec<(u64, u64, Answer)>,
}

/// A mocked answer, after an optional (virtual) delay — ASL Studio's extension
/// `"DelaySeconds"`, so that task timeouts and heartbeats can be tested.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub outcome: TaskOutcome,
    pub delay_seconds: f64,
    /// `"Submitted"` and `"WorkerName"`: what the service said when it took the task.
    pub receipt: Receipt,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MockError {
    #[error("the mock configuration must be a JSON object")]
    NotAnObject,
    #[error("the mocked response \"{0}\" must be an object of invocation numbers")]
    BadResponse(String),
    #[error(
        "\"{key}\" in mocked response \"{mock}\" is not an invocation number or range (\"0\", \"1-3\")"
    )]
    BadInvocationKey { mock: String, key: String },
    #[error("invocation \"{key}\" of mocked response \"{mock}\" needs either Return or Throw")]
    BadAnswer { mock: String, key: String },
    #[error(
        "the state machine \"{machine}\" has no test case \"{case}\" in the mock configuration"
    )]
    UnknownTestCase { machine: String, case: String },
    #[error("the test case maps state \"{state}\" to \"{mock}\", which is not in MockedResponses")]
    UnknownMock { state: String, mock: String },
}

impl MockedResponse {
    /// Reads `{"0": {"Return": ...}, "1-2": {"Throw": {...}}}`.
    pub fn from_value(name: &str, value: &Value) -> Result<MockedResponse, MockError> {
        let object = value
            .as_object()
            .ok_or_else(|| MockError::BadResponse(name.to_string()))?;
        let mut answers = Vec::new();
        for (key, answer) in object {
            let bad_key = || MockError::BadInvocationKey {
                mock: name.to_string(),
                key: key.clone(),
            };
            let (first, last) = match key.split_once('-') {
                Some((a, b)) => (
                    a.trim().parse().map_err(|_| bad_key())?,
                    b.trim().parse().map_err(|_| bad_key())?,
                ),
                None => {
                    let n = key.trim().parse().map_err(|_| bad_key())?;
                    (n, n)
                }
            };
            let outcome = if let Some(result) = answer.get("Return") {
                TaskOutcome::Succeeded(result.clone())
            } else if let Some(thrown) = answer.get("Throw") {
                TaskOutcome::Failed {
                    error: thrown
                        .get("Error")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    cause: thrown
                        .get("Cause")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                }
            } else {
                return Err(MockError::BadAnswer {
                    mock: name.to_string(),
                    key: key.clone(),
                });
            };
            let delay_seconds = answer
                .get("DelaySeconds")
                .and_then(Value::as_f64)
                .unwrap_or(0.0)
                .max(0.0);
            let receipt = Receipt {
                worker_name: answer
                    .get("WorkerName")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                submitted: answer.get("Submitted").cloned(),
            };
            answers.push((
                first,
                last,
                Answer {
                    outcome,
                    delay_seconds,
                    receipt,
                },
            ));
        }
        answers.sort_by_key(|(first, _, _)| *first);
        Ok(MockedResponse { answers })
    }

    /// The answer for an invocation; past the last one, the last answer repeats
    /// (as Step Functions Local does).
    pub fn answer(&self, invocation: u64) -> Option<&Answer> {
        self.answers
            .iter()
            .find(|(first, last, _)| (*first..=*last).contains(&invocation))
            .or_else(|| self.answers.last())
            .map(|(_, _, answer)| answer)
    }
}

/// Answers Task states from mocks keyed by state name.
#[derive(Debug, Clone, Default)]
pub struct MockBackend {
    by_state: HashMap<String, MockedResponse>,
    unmocked: UnmockedPolicy,
}

impl MockBackend {
    pub fn new(unmocked: UnmockedPolicy) -> MockBackend {
        MockBackend {
            by_state: HashMap::new(),
            unmocked,
        }
    }

    /// Mocks given directly per state (the `"mocks"` of a test-case file).
    pub fn from_state_mocks(
        mocks: &Value,
        unmocked: UnmockedPolicy,
    ) -> Result<MockBackend, MockError> {
        let object = mocks.as_object().ok_or(MockError::NotAnObject)?;
        let mut backend = MockBackend::new(unmocked);
        for (state, response) in object {
            backend
                .by_state
                .insert(state.clone(), MockedResponse::from_value(state, response)?);
        }
        Ok(backend)
    }

    /// One test case of a Step Functions Local `MockConfigFile`.
    pub fn from_mock_config(
        config: &Value,
        state_machine: &str,
        test_case: &str,
        unmocked: UnmockedPolicy,
    ) -> Result<MockBackend, MockError> {
        let config = config.as_object().ok_or(MockError::NotAnObject)?;
        let case = config
            .get("StateMachines")
            .and_then(|m| m.get(state_machine))
            .and_then(|m| m.get("TestCases"))
            .and_then(|c| c.get(test_case))
            .and_then(Value::as_object)
            .ok_or_else(|| MockError::UnknownTestCase {
                machine: state_machine.to_string(),
                case: test_case.to_string(),
            })?;
        let responses = config.get("MockedResponses");
        let mut backend = MockBackend::new(unmocked);
        for (state, mock) in case {
            let mock_name = mock.as_str().unwrap_or_default();
            let response =
                responses
                    .and_then(|r| r.get(mock_name))
                    .ok_or_else(|| MockError::UnknownMock {
                        state: state.clone(),
                        mock: mock_name.to_string(),
                    })?;
            backend.by_state.insert(
                state.clone(),
                MockedResponse::from_value(mock_name, response)?,
            );
        }
        Ok(backend)
    }

    /// Whether a mock answers the state.
    pub fn handles(&self, state: &str) -> bool {
        self.by_state.contains_key(state)
    }

    pub fn insert(&mut self, state: impl Into<String>, response: MockedResponse) {
        self.by_state.insert(state.into(), response);
    }
}

impl TaskBackend for MockBackend {
    fn invoke(&self, request: &TaskRequest) -> TaskInvocation {
        let (invocation, receipt) = match self
            .by_state
            .get(&request.state_name)
            .and_then(|m| m.answer(request.invocation))
        {
            Some(answer) if answer.delay_seconds > 0.0 => (
                TaskInvocation::After {
                    seconds: answer.delay_seconds,
                    outcome: answer.outcome.clone(),
                },
                answer.receipt.clone(),
            ),
            Some(answer) => (
                TaskInvocation::Done(answer.outcome.clone()),
                answer.receipt.clone(),
            ),
            None => match self.unmocked {
                UnmockedPolicy::Echo => (
                    TaskInvocation::Done(TaskOutcome::Succeeded(request.parameters.clone())),
                    Receipt::default(),
                ),
                // Nothing took the task: no receipt.
                UnmockedPolicy::Fail => return super::NoBackend.invoke(request),
            },
        };
        // A mock stands for the whole exchange, so a callback or `.sync` task is submitted
        // (and an activity taken) before its answer.
        if is_accepted_first(&request.resource) {
            TaskInvocation::Accepted {
                receipt,
                then: Box::new(invocation),
            }
        } else {
            invocation
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(state: &str, invocation: u64) -> TaskRequest {
        TaskRequest {
            state_name: state.into(),
            resource: "arn:aws:states:::lambda:invoke".into(),
            parameters: json!({"p": 1}),
            invocation,
            task_token: None,
            timeout_seconds: None,
            heartbeat_seconds: None,
            credentials: None,
        }
    }

    fn outcome(backend: &MockBackend, state: &str, invocation: u64) -> TaskOutcome {
        outcome_of(backend.invoke(&request(state, invocation)))
    }

    fn outcome_of(invocation: TaskInvocation) -> TaskOutcome {
        match invocation {
            TaskInvocation::Done(outcome) => outcome,
            TaskInvocation::After { outcome, .. } => outcome,
            TaskInvocation::Accepted { then, .. } => outcome_of(*then),
            TaskInvocation::Pending(_) => panic!("mocks answer at once"),
        }
    }

    #[test]
    fn answers_by_invocation_number_and_range() {
        let backend = MockBackend::from_state_mocks(
            &json!({"Charge": {"0": {"Throw": {"Error": "Busy", "Cause": "try later"}}, "1-2": {"Return": {"ok": true}}}}),
            UnmockedPolicy::Fail,
        )
        .unwrap();
        assert_eq!(
            outcome(&backend, "Charge", 0),
            TaskOutcome::Failed {
                error: Some("Busy".into()),
                cause: Some("try later".into())
            }
        );
        assert_eq!(
            outcome(&backend, "Charge", 2),
            TaskOutcome::Succeeded(json!({"ok": true}))
        );
        assert_eq!(
            outcome(&backend, "Charge", 7),
            TaskOutcome::Succeeded(json!({"ok": true}))
        );
        assert!(
            matches!(outcome(&backend, "Other", 0), TaskOutcome::Failed { error: Some(e), .. } if e == super::super::NO_BACKEND_ERROR)
        );
    }

    #[test]
    fn echo_policy_returns_the_parameters() {
        let backend = MockBackend::new(UnmockedPolicy::Echo);
        assert_eq!(
            outcome(&backend, "Any", 0),
            TaskOutcome::Succeeded(json!({"p": 1}))
        );
    }

    #[test]
    fn reads_the_step_functions_local_format() {
        let config = json!({
            "StateMachines": {"Order": {"TestCases": {"HappyPath": {"Charge": "ChargeOk"}}}},
            "MockedResponses": {"ChargeOk": {"0": {"Return": {"charged": 10}}}}
        });
        let backend =
            MockBackend::from_mock_config(&config, "Order", "HappyPath", UnmockedPolicy::Fail)
                .unwrap();
        assert_eq!(
            outcome(&backend, "Charge", 0),
            TaskOutcome::Succeeded(json!({"charged": 10}))
        );
        assert!(matches!(
            MockBackend::from_mock_config(&config, "Order", "Nope", UnmockedPolicy::Fail),
            Err(MockError::UnknownTestCase { .. })
        ));
        let bad = json!({"StateMachines": {"Order": {"TestCases": {"C": {"Charge": "Missing"}}}}, "MockedResponses": {}});
        assert!(matches!(
            MockBackend::from_mock_config(&bad, "Order", "C", UnmockedPolicy::Fail),
            Err(MockError::UnknownMock { .. })
        ));
        assert!(MockedResponse::from_value("m", &json!({"x": {"Return": 1}})).is_err());
        assert!(MockedResponse::from_value("m", &json!({"0": {"Nothing": 1}})).is_err());
    }

    #[test]
    fn callback_and_activity_answers_come_with_a_receipt() {
        let backend = MockBackend::from_state_mocks(
            &json!({"T": {"0": {"Return": 1, "Submitted": {"MessageId": "m-1"}, "WorkerName": "w", "DelaySeconds": 3}}}),
            UnmockedPolicy::Fail,
        )
        .unwrap();
        let mut callback = request("T", 0);
        callback.resource = "arn:aws:states:::sqs:sendMessage.waitForTaskToken".into();
        let TaskInvocation::Accepted { receipt, then } = backend.invoke(&callback) else {
            panic!("a callback task is submitted first");
        };
        assert_eq!(receipt.submitted, Some(json!({"MessageId": "m-1"})));
        assert_eq!(receipt.worker_name.as_deref(), Some("w"));
        assert!(matches!(*then, TaskInvocation::After { seconds, .. } if seconds == 3.0));
        // A plain request-response task answers directly.
        assert!(matches!(
            backend.invoke(&request("T", 0)),
            TaskInvocation::After { .. }
        ));
        // Nothing takes an unmocked task.
        let mut activity = request("Other", 0);
        activity.resource = "arn:aws:states:us-east-1:1:activity:A".into();
        assert!(matches!(
            backend.invoke(&activity),
            TaskInvocation::Done(TaskOutcome::Failed { .. })
        ));
    }
}
