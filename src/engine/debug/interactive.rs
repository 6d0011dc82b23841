//! Tasks the person at the debugger answers: a task with no mock ("ask me"), a
//! `.waitForTaskToken` callback (Send success / Send failure / Heartbeat on its token), an
//! activity. The run waits (`Step::WaitingForTask`) until the answer is given.

use crate::asl::model::IntegrationPattern;
use crate::engine::TaskFamily;
use crate::engine::backends::{
    MockBackend, PendingTask, Receipt, SharedBackend, TaskBackend, TaskInvocation, TaskOutcome,
    TaskRequest,
};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

/// What kind of answer a waiting task wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskKind {
    /// A service call with no mock: return a result or throw an error.
    Answer,
    /// A callback: the task token waits for SendTaskSuccess / SendTaskFailure.
    Callback,
    /// An activity: a worker takes the input and returns an output or an error.
    Activity,
}

/// A task waiting for the person at the debugger.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: u64,
    pub state: String,
    pub resource: String,
    pub parameters: Value,
    pub token: Option<String>,
    pub kind: AskKind,
    /// A prefilled answer in the integration's usual response shape.
    pub suggested: Value,
    pub heartbeats: u32,
}

/// How the person answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// The task's result (SendTaskSuccess's output for a callback).
    Return(Value),
    /// The task's error (SendTaskFailure for a callback).
    Throw {
        error: Option<String>,
        cause: Option<String>,
    },
}

#[derive(Debug, Default)]
struct Desk {
    next_id: u64,
    waiting: Vec<Question>,
    replies: Vec<(u64, Reply)>,
}

/// The questions of a run and their answers, shared by the backend (run thread) and the view.
#[derive(Debug, Clone, Default)]
pub struct Questions {
    desk: Arc<Mutex<Desk>>,
}

impl Questions {
    /// The tasks waiting for an answer, oldest first.
    pub fn waiting(&self) -> Vec<Question> {
        self.desk
            .lock()
            .map(|d| d.waiting.clone())
            .unwrap_or_default()
    }

    /// Answers a waiting task; false when it is not waiting (answered already, or unknown).
    pub fn answer(&self, id: u64, reply: Reply) -> bool {
        let Ok(mut desk) = self.desk.lock() else {
            return false;
        };
        let Some(index) = desk.waiting.iter().position(|q| q.id == id) else {
            return false;
        };
        desk.waiting.remove(index);
        desk.replies.push((id, reply));
        true
    }

    /// Answers the task that holds `token` (a callback).
    pub fn answer_token(&self, token: &str, reply: Reply) -> bool {
        let id = self.desk.lock().ok().and_then(|d| {
            d.waiting
                .iter()
                .find(|q| q.token.as_deref() == Some(token))
                .map(|q| q.id)
        });
        id.is_some_and(|id| self.answer(id, reply))
    }

    /// SendTaskHeartbeat: the task is still being worked on. Step Functions records no event
    /// for it; the count is shown.
    pub fn heartbeat(&self, id: u64) -> bool {
        let Ok(mut desk) = self.desk.lock() else {
            return false;
        };
        match desk.waiting.iter_mut().find(|q| q.id == id) {
            Some(question) => {
                question.heartbeats += 1;
                true
            }
            None => false,
        }
    }

    fn ask(&self, mut question: Question) -> u64 {
        let Ok(mut desk) = self.desk.lock() else {
            return 0;
        };
        desk.next_id += 1;
        question.id = desk.next_id;
        desk.waiting.push(question);
        desk.next_id
    }

    fn take_reply(&self, id: u64) -> Option<Reply> {
        let mut desk = self.desk.lock().ok()?;
        let index = desk.replies.iter().position(|(i, _)| *i == id)?;
        Some(desk.replies.remove(index).1)
    }
}

/// Answers tasks with their mocks, and asks the person for the others.
pub struct AskingBackend {
    mocks: Option<MockBackend>,
    /// Answers before asking (local handlers, later); `None`: ask.
    first: Option<SharedBackend>,
    questions: Questions,
}

impl AskingBackend {
    pub fn new(mocks: Option<MockBackend>, questions: Questions) -> AskingBackend {
        AskingBackend {
            mocks,
            first: None,
            questions,
        }
    }
}

impl TaskBackend for AskingBackend {
    fn invoke(&self, request: &TaskRequest) -> TaskInvocation {
        if let Some(first) = &self.first {
            return first.invoke(request);
        }
        if let Some(mocks) = &self.mocks
            && mocks.handles(&request.state_name)
        {
            return mocks.invoke(request);
        }
        let family = TaskFamily::of(&request.resource);
        let pattern = IntegrationPattern::of(&request.resource);
        let kind = match (family, pattern) {
            (TaskFamily::Activity, _) => AskKind::Activity,
            (_, IntegrationPattern::WaitForTaskToken) => AskKind::Callback,
            _ => AskKind::Answer,
        };
        let id = self.questions.ask(Question {
            id: 0,
            state: request.state_name.clone(),
            resource: request.resource.clone(),
            parameters: request.parameters.clone(),
            token: request.task_token.clone(),
            kind,
            suggested: usual_answer(&request.resource, &request.parameters, kind),
            heartbeats: 0,
        });
        let pending = TaskInvocation::Pending(Box::new(WaitingReply {
            id,
            questions: self.questions.clone(),
        }));
        match kind {
            AskKind::Answer if pattern == IntegrationPattern::RequestResponse => pending,
            // The service took the task (TaskSubmitted / ActivityStarted) before its answer.
            _ => TaskInvocation::Accepted {
                receipt: Receipt {
                    worker_name: (kind == AskKind::Activity).then(|| "asl-studio".to_string()),
                    submitted: None,
                },
                then: Box::new(pending),
            },
        }
    }
}

struct WaitingReply {
    id: u64,
    questions: Questions,
}

impl PendingTask for WaitingReply {
    fn poll(&mut self, wait: std::time::Duration) -> Option<TaskOutcome> {
        let deadline = std::time::Instant::now() + wait;
        loop {
            if let Some(reply) = self.questions.take_reply(self.id) {
                return Some(match reply {
                    Reply::Return(value) => TaskOutcome::Succeeded(value),
                    Reply::Throw { error, cause } => TaskOutcome::Failed { error, cause },
                });
            }
            let now = std::time::Instant::now();
            if now >= deadline {
                return None;
            }
            std::thread::sleep((deadline - now).min(std::time::Duration::from_millis(10)));
        }
    }
}

/// What the integration usually answers: Lambda's invoke envelope, the service's output shape
/// (from the AWS service models), a callback's or activity's free-form output.
pub fn usual_answer(resource: &str, parameters: &Value, kind: AskKind) -> Value {
    if kind != AskKind::Answer {
        return json!({});
    }
    match TaskFamily::of(resource) {
        // A Lambda function ARN answers with the function's own result.
        TaskFamily::LambdaFunction => return json!({}),
        TaskFamily::Activity => return json!({}),
        TaskFamily::Service => {}
    }
    if resource.contains(":lambda:invoke") {
        return json!({
            "ExecutedVersion": "$LATEST",
            "Payload": {},
            "SdkHttpMetadata": {"HttpStatusCode": 200},
            "StatusCode": 200
        });
    }
    if resource.contains(":http:invoke") {
        return json!({
            "ResponseBody": {},
            "StatusCode": "200",
            "StatusText": "OK",
            "Headers": {}
        });
    }
    crate::engine::service_models::example_output(resource).unwrap_or_else(|| {
        // Nothing known about the service: start from what was sent.
        let _ = parameters;
        json!({})
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(state: &str, resource: &str, token: Option<&str>) -> TaskRequest {
        TaskRequest {
            state_name: state.into(),
            resource: resource.into(),
            parameters: json!({"p": 1}),
            invocation: 0,
            task_token: token.map(str::to_string),
            timeout_seconds: None,
            heartbeat_seconds: None,
            credentials: None,
        }
    }

    fn pending(invocation: TaskInvocation) -> Box<dyn PendingTask> {
        match invocation {
            TaskInvocation::Pending(p) => p,
            TaskInvocation::Accepted { then, .. } => pending(*then),
            other => panic!("expected a question, got {other:?}"),
        }
    }

    #[test]
    fn an_unmocked_task_waits_for_the_answer() {
        let questions = Questions::default();
        let backend = AskingBackend::new(None, questions.clone());
        let mut task =
            pending(backend.invoke(&request("Charge", "arn:aws:states:::lambda:invoke", None)));
        assert_eq!(task.poll(std::time::Duration::ZERO), None);
        let waiting = questions.waiting();
        assert_eq!(waiting.len(), 1);
        assert_eq!(waiting[0].kind, AskKind::Answer);
        assert_eq!(waiting[0].suggested["StatusCode"], json!(200));
        assert!(questions.answer(waiting[0].id, Reply::Return(json!({"ok": true}))));
        assert!(!questions.answer(waiting[0].id, Reply::Return(json!(1))));
        assert_eq!(
            task.poll(std::time::Duration::ZERO),
            Some(TaskOutcome::Succeeded(json!({"ok": true})))
        );
        assert!(questions.waiting().is_empty());
    }

    #[test]
    fn callbacks_are_answered_by_token_and_mocks_come_first() {
        let questions = Questions::default();
        let mocks = MockBackend::from_state_mocks(
            &json!({"Mocked": {"0": {"Return": {"m": 1}}}}),
            crate::engine::backends::UnmockedPolicy::Fail,
        )
        .ok();
        let backend = AskingBackend::new(mocks, questions.clone());
        assert!(matches!(
            backend.invoke(&request("Mocked", "arn:aws:states:::lambda:invoke", None)),
            TaskInvocation::Done(TaskOutcome::Succeeded(_))
        ));
        let invocation = backend.invoke(&request(
            "Approve",
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            Some("tok-1"),
        ));
        assert!(matches!(invocation, TaskInvocation::Accepted { .. }));
        let mut task = pending(invocation);
        let waiting = questions.waiting();
        assert_eq!(waiting[0].kind, AskKind::Callback);
        assert!(questions.heartbeat(waiting[0].id));
        assert_eq!(questions.waiting()[0].heartbeats, 1);
        assert!(questions.answer_token(
            "tok-1",
            Reply::Throw {
                error: Some("Rejected".into()),
                cause: None
            }
        ));
        assert_eq!(
            task.poll(std::time::Duration::ZERO),
            Some(TaskOutcome::Failed {
                error: Some("Rejected".into()),
                cause: None
            })
        );
    }
}
