//! What a service usually answers to the submitting call of a `.sync` or `.waitForTaskToken`
//! task (the TaskSubmitted output), for backends that do not say.
//!
//! The shapes are those AWS recorded: the optimized integrations pass the SDK response on with
//! its `SdkHttpMetadata` and `SdkResponseMetadata`.

use super::super::backends::TaskRequest;
use super::super::execution::Execution;
use super::super::history::TaskRef;
use md5::{Digest, Md5};
use serde_json::{Value, json};

impl Execution {
    /// The TaskSubmitted output of a task whose backend did not give one.
    pub(super) fn usual_submit_response(&mut self, request: &TaskRequest, task: &TaskRef) -> Value {
        let action = task.resource.split('.').next().unwrap_or_default();
        match (task.resource_type.as_str(), action) {
            ("sqs", "sendMessage") => {
                let body = match request.parameters.get("MessageBody") {
                    Some(Value::String(text)) => text.clone(),
                    Some(other) => crate::asl::path::to_json_string(other),
                    None => String::new(),
                };
                let digest: String = Md5::digest(body.as_bytes())
                    .iter()
                    .map(|byte| format!("{byte:02x}"))
                    .collect();
                let message_id = self.new_token();
                let answer = json!({"MD5OfMessageBody": digest, "MessageId": message_id});
                let length = crate::asl::path::to_json_string(&answer).len();
                self.with_sdk_metadata(answer, "application/x-amz-json-1.0", length)
            }
            ("sns", "publish") => {
                let message_id = self.new_token();
                // SNS answers in XML; its length is fixed by the two UUIDs it holds.
                self.with_sdk_metadata(json!({"MessageId": message_id}), "text/xml", 294)
            }
            ("states", "startExecution") => {
                let name = match request.parameters.get("Name").and_then(Value::as_str) {
                    Some(name) => name.to_string(),
                    None => self.new_token(),
                };
                let options = self.options();
                let machine = request
                    .parameters
                    .get("StateMachineArn")
                    .and_then(Value::as_str)
                    .map_or_else(
                        || {
                            format!(
                                "arn:aws:states:{}:{}:stateMachine:{}",
                                options.region, options.account, options.state_machine_name
                            )
                        },
                        str::to_string,
                    );
                let execution_arn = format!(
                    "{}:{name}",
                    machine.replacen(":stateMachine:", ":execution:", 1)
                );
                let start = self.now.timestamp_millis();
                let length = format!(
                    "{{\"executionArn\":\"{execution_arn}\",\"startDate\":{}.{:03}}}",
                    start.div_euclid(1000),
                    start.rem_euclid(1000)
                )
                .len();
                let answer = json!({"ExecutionArn": execution_arn, "StartDate": start});
                self.with_sdk_metadata(answer, "application/x-amz-json-1.0", length)
            }
            // The SDK integrations hand on the service's answer alone; other optimized
            // integrations at least carry the SDK metadata.
            (resource_type, _) if resource_type.starts_with("aws-sdk") => json!({}),
            _ => self.with_sdk_metadata(json!({}), "application/x-amz-json-1.1", 2),
        }
    }

    /// Adds `SdkHttpMetadata` and `SdkResponseMetadata` (a 200 answer now) to an SDK answer.
    fn with_sdk_metadata(&mut self, answer: Value, content_type: &str, length: usize) -> Value {
        let request_id = self.new_token();
        let date = self.now.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        let length = length.to_string();
        let metadata = json!({
            "SdkHttpMetadata": {
                "AllHttpHeaders": {
                    "x-amzn-RequestId": [request_id],
                    "connection": ["keep-alive"],
                    "Content-Length": [length],
                    "Date": [date],
                    "Content-Type": [content_type]
                },
                "HttpHeaders": {
                    "connection": "keep-alive",
                    "Content-Length": length,
                    "Content-Type": content_type,
                    "Date": date,
                    "x-amzn-RequestId": request_id
                },
                "HttpStatusCode": 200
            },
            "SdkResponseMetadata": {"RequestId": request_id}
        });
        let mut answer = match answer {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        if let Value::Object(metadata) = metadata {
            answer.extend(metadata);
        }
        // AWS lists the keys in alphabetical order.
        answer.sort_keys();
        Value::Object(answer)
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::options::ExecutionOptions;
    use super::*;
    use crate::asl::model::StateMachine;

    fn submit(resource: &str, parameters: Value) -> Value {
        let machine = StateMachine::from_value(
            &json!({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}),
        )
        .unwrap();
        let mut execution =
            Execution::new(&machine, json!({}), ExecutionOptions::default()).unwrap();
        let request = TaskRequest {
            state_name: "T".into(),
            resource: resource.into(),
            parameters,
            invocation: 0,
            task_token: None,
            timeout_seconds: None,
            heartbeat_seconds: None,
            credentials: None,
        };
        let task = super::super::task::resource_ref(resource);
        execution.usual_submit_response(&request, &task)
    }

    #[test]
    fn sqs_answers_with_the_body_digest_and_a_message_id() {
        let answer = submit(
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            json!({"QueueUrl": "q", "MessageBody": "hello"}),
        );
        assert_eq!(
            answer["MD5OfMessageBody"],
            "5d41402abc4b2a76b9719d911017c592"
        );
        assert_eq!(answer["MessageId"].as_str().map(str::len), Some(36));
        // 106 bytes, as AWS recorded for the same answer.
        assert_eq!(
            answer["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"],
            "106"
        );
        assert_eq!(
            answer["SdkResponseMetadata"]["RequestId"],
            answer["SdkHttpMetadata"]["HttpHeaders"]["x-amzn-RequestId"]
        );
        let keys: Vec<&String> = answer.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "MD5OfMessageBody",
                "MessageId",
                "SdkHttpMetadata",
                "SdkResponseMetadata"
            ]
        );
    }

    #[test]
    fn start_execution_answers_with_the_new_execution() {
        let answer = submit(
            "arn:aws:states:::states:startExecution.sync:2",
            json!({"StateMachineArn": "arn:aws:states:us-east-1:1:stateMachine:Child", "Name": "run-1"}),
        );
        assert_eq!(
            answer["ExecutionArn"],
            "arn:aws:states:us-east-1:1:execution:Child:run-1"
        );
        assert!(answer["StartDate"].is_i64());
        assert_eq!(
            submit(
                "arn:aws:states:::aws-sdk:sfn:startExecution.waitForTaskToken",
                json!({})
            ),
            json!({})
        );
    }
}
