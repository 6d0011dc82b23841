//! Replacing account-specific literals in a definition with `${Name}` placeholders that
//! `DefinitionSubstitutions` fill in at deployment.
//!
//! What is replaced (whole strings only):
//! - a Task `Resource` that is a Lambda function ARN or an activity ARN;
//! - inside `Parameters`, `Arguments`, `Credentials`, `ItemReader`, `ResultWriter` and
//!   `ItemSelector` (any depth, keys ending in `.$` skipped): every literal ARN of a resource
//!   owned by an account (12-digit account field, or an S3 bucket / object ARN), and SQS queue
//!   URLs (`https://sqs.<region>.amazonaws.com/<account>/<name>`).
//!
//! Never replaced: service integrations (`arn:aws:states:::...`, also with region and account
//! filled in), AWS-owned ARNs (empty or `aws` account: foundation models, managed policies),
//! plain names (`TableName: Orders`, `Bucket: my-bucket`: they are not ARNs, and names are
//! usually the same in every stage), strings that are paths or JSONata / intrinsic expressions.
//!
//! Placeholder names come from the ARN: `…:function:ProcessPayment` → `ProcessPaymentFunctionArn`,
//! `…:sns:…:OrderEvents` → `OrderEventsTopicArn`, `…:table/Orders` → `OrdersTableArn`, a queue
//! URL → `<Name>QueueUrl`. The same literal always gets the same name; a substitution that
//! already holds the literal is reused; clashes get a number (`…Arn2`).

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Nested Parallel / Map processors deeper than this are left as they are.
const MAX_MACHINE_DEPTH: usize = 64;
/// Payload objects deeper than this are left as they are.
const MAX_PAYLOAD_DEPTH: usize = 128;

/// The fields of a state whose values are walked for ARNs.
const PAYLOAD_FIELDS: &[&str] = &[
    "Parameters",
    "Arguments",
    "Credentials",
    "ItemReader",
    "ResultWriter",
    "ItemSelector",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Parameterized {
    /// The definition with `${Name}` placeholders.
    pub definition: Value,
    /// Placeholder name → the literal it replaced (only the ones this call introduced or reused).
    pub substitutions: BTreeMap<String, String>,
}

/// Replaces literal ARNs (see the module documentation); `existing` are the settings'
/// substitutions, whose names are reused or avoided.
pub fn parameterize_arns(definition: &Value, existing: &BTreeMap<String, String>) -> Parameterized {
    let mut namer = Namer {
        existing,
        assigned: BTreeMap::new(),
    };
    let mut definition = definition.clone();
    if let Value::Object(machine) = &mut definition {
        walk_machine(machine, &mut namer, 0);
    }
    Parameterized {
        definition,
        substitutions: namer
            .assigned
            .into_iter()
            .map(|(literal, name)| (name, literal))
            .collect(),
    }
}

struct Namer<'a> {
    existing: &'a BTreeMap<String, String>,
    /// literal → placeholder name.
    assigned: BTreeMap<String, String>,
}

impl Namer<'_> {
    fn placeholder(&mut self, literal: &str, base: String) -> String {
        if let Some(name) = self.assigned.get(literal) {
            return format!("${{{name}}}");
        }
        let reused = self
            .existing
            .iter()
            .find(|(_, value)| value.as_str() == literal)
            .map(|(name, _)| name.clone());
        let name = reused.unwrap_or_else(|| {
            let taken = |name: &str| {
                self.existing.contains_key(name) || self.assigned.values().any(|n| n == name)
            };
            let mut candidate = base.clone();
            let mut n = 2;
            while taken(&candidate) {
                candidate = format!("{base}{n}");
                n += 1;
            }
            candidate
        });
        self.assigned.insert(literal.to_string(), name.clone());
        format!("${{{name}}}")
    }
}

fn walk_machine(machine: &mut Map<String, Value>, namer: &mut Namer, depth: usize) {
    if depth > MAX_MACHINE_DEPTH {
        return;
    }
    let Some(Value::Object(states)) = machine.get_mut("States") else {
        return;
    };
    for state in states.values_mut() {
        if let Value::Object(state) = state {
            walk_state(state, namer, depth);
        }
    }
}

fn walk_state(state: &mut Map<String, Value>, namer: &mut Namer, depth: usize) {
    let is_task = state.get("Type").and_then(Value::as_str) == Some("Task");
    if is_task
        && let Some(Value::String(resource)) = state.get_mut("Resource")
        && is_parameterizable_resource(resource)
        && let Some(base) = name_for_arn(resource)
    {
        *resource = namer.placeholder(resource, base);
    }
    for field in PAYLOAD_FIELDS {
        if let Some(value) = state.get_mut(*field) {
            walk_payload(value, namer, 0);
        }
    }
    if let Some(Value::Array(branches)) = state.get_mut("Branches") {
        for branch in branches {
            if let Value::Object(branch) = branch {
                walk_machine(branch, namer, depth + 1);
            }
        }
    }
    for processor in ["ItemProcessor", "Iterator"] {
        if let Some(Value::Object(processor)) = state.get_mut(processor) {
            walk_machine(processor, namer, depth + 1);
        }
    }
}

fn walk_payload(value: &mut Value, namer: &mut Namer, depth: usize) {
    if depth > MAX_PAYLOAD_DEPTH {
        return;
    }
    match value {
        Value::String(text) => {
            if let Some(base) = literal_name(text) {
                *text = namer.placeholder(text, base);
            }
        }
        Value::Array(items) => {
            for item in items {
                walk_payload(item, namer, depth + 1);
            }
        }
        Value::Object(object) => {
            for (key, member) in object.iter_mut() {
                if !key.ends_with(".$") {
                    walk_payload(member, namer, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// The placeholder base name of a string worth parameterizing inside a payload.
fn literal_name(text: &str) -> Option<String> {
    if let Some(name) = sqs_queue_name(text) {
        return Some(format!("{}QueueUrl", pascal(name)));
    }
    let arn = Arn::parse(text)?;
    let owned = is_account_id(arn.account) || arn.service == "s3";
    let integration = arn.service == "states" && !is_states_resource(arn.resource);
    (owned && !integration)
        .then(|| name_for_arn(text))
        .flatten()
}

/// Lambda function and activity ARNs (not integrations).
fn is_parameterizable_resource(resource: &str) -> bool {
    Arn::parse(resource).is_some_and(|arn| {
        (arn.service == "lambda" && arn.resource.starts_with("function:"))
            || (arn.service == "states" && arn.resource.starts_with("activity:"))
    })
}

/// Resources of Step Functions itself (as opposed to `service:action` integrations).
fn is_states_resource(resource: &str) -> bool {
    ["activity:", "stateMachine:", "execution:", "express:"]
        .iter()
        .any(|prefix| resource.starts_with(prefix))
}

fn is_account_id(account: &str) -> bool {
    account.len() == 12 && account.chars().all(|c| c.is_ascii_digit())
}

/// The parts of `arn:partition:service:region:account:resource`.
struct Arn<'a> {
    service: &'a str,
    account: &'a str,
    resource: &'a str,
}

impl<'a> Arn<'a> {
    fn parse(text: &'a str) -> Option<Arn<'a>> {
        if text.contains("${") || text.chars().any(char::is_whitespace) {
            return None;
        }
        let parts: Vec<&str> = text.splitn(6, ':').collect();
        let [arn, partition, service, _region, account, resource] = parts.as_slice() else {
            return None;
        };
        let well_formed = *arn == "arn"
            && partition.starts_with("aws")
            && !service.is_empty()
            && !resource.is_empty();
        well_formed.then_some(Arn {
            service,
            account,
            resource,
        })
    }
}

/// `https://sqs.us-east-1.amazonaws.com/123456789012/orders` → `orders`.
fn sqs_queue_name(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("https://sqs.")?;
    let (host, path) = rest.split_once('/')?;
    let (account, name) = path.split_once('/')?;
    let host_ok = host.ends_with(".amazonaws.com") || host.ends_with(".amazonaws.com.cn");
    let name_ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    (host_ok && is_account_id(account) && name_ok).then_some(name)
}

/// The placeholder name for an ARN, e.g. `ProcessPaymentFunctionArn`; None if it is not an ARN.
pub fn name_for_arn(arn: &str) -> Option<String> {
    let parsed = Arn::parse(arn)?;
    let resource = parsed.resource;
    let segments: Vec<&str> = resource
        .split([':', '/'])
        .filter(|s| !s.is_empty())
        .collect();
    let last = segments.last().copied().unwrap_or(resource);
    let (name, kind) = match parsed.service {
        "lambda" => match segments.as_slice() {
            ["function", name, qualifier] => (format!("{name}-{qualifier}"), "Function"),
            ["function", name, ..] => (name.to_string(), "Function"),
            _ => (last.to_string(), "Lambda"),
        },
        "states" => match segments.as_slice() {
            ["activity", name, ..] => (name.to_string(), "Activity"),
            ["stateMachine", name, ..] => (name.to_string(), "StateMachine"),
            ["execution" | "express", machine, ..] => (machine.to_string(), "Execution"),
            _ => (last.to_string(), "States"),
        },
        "sns" => (
            segments.first().copied().unwrap_or(last).to_string(),
            "Topic",
        ),
        "sqs" => (last.to_string(), "Queue"),
        "s3" => match resource.split_once('/') {
            Some((bucket, _)) => (bucket.to_string(), "Object"),
            None => (resource.to_string(), "Bucket"),
        },
        "dynamodb" => match segments.as_slice() {
            ["table", name, "stream", ..] => (name.to_string(), "Stream"),
            ["table", name, "index", ..] => (name.to_string(), "Index"),
            ["table", name, ..] => (name.to_string(), "Table"),
            _ => (last.to_string(), "DynamoDb"),
        },
        "iam" => match segments.first() {
            Some(&"role") => (last.to_string(), "Role"),
            Some(&"user") => (last.to_string(), "User"),
            Some(&"policy") => (last.to_string(), "Policy"),
            _ => (last.to_string(), "Iam"),
        },
        service => {
            let kind = if segments.len() > 1 {
                segments.first().copied().unwrap_or(service)
            } else {
                service
            };
            return Some(finish(last, &pascal(kind)));
        }
    };
    Some(finish(&name, kind))
}

/// `name` + `kind` (unless the name already ends with it) + `Arn`, as a valid parameter name
/// (letters and digits, a letter first).
fn finish(name: &str, kind: &str) -> String {
    let mut name = pascal(name);
    if !name.ends_with(kind) {
        name.push_str(kind);
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert_str(0, "Resource");
    }
    name.truncate(200);
    name.push_str("Arn");
    name
}

/// `order-events_v2` → `OrderEventsV2`.
pub(super) fn pascal(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const FN: &str = "arn:aws:lambda:us-east-1:123456789012:function:ProcessPayment";

    #[test]
    fn names_placeholders_after_the_arn() {
        let cases = [
            (FN, "ProcessPaymentFunctionArn"),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:ship-order:prod",
                "ShipOrderProdFunctionArn",
            ),
            (
                "arn:aws:sns:us-east-1:123456789012:order-events",
                "OrderEventsTopicArn",
            ),
            ("arn:aws:sqs:us-east-1:123456789012:jobs", "JobsQueueArn"),
            (
                "arn:aws:dynamodb:us-east-1:123456789012:table/Orders",
                "OrdersTableArn",
            ),
            ("arn:aws:s3:::my-bucket", "MyBucketArn"),
            ("arn:aws:s3:::my-bucket/in/*", "MyBucketObjectArn"),
            (
                "arn:aws:iam::123456789012:role/service/StepRole",
                "StepRoleArn",
            ),
            (
                "arn:aws:states:us-east-1:123456789012:activity:Approve",
                "ApproveActivityArn",
            ),
            (
                "arn:aws:states:us-east-1:123456789012:stateMachine:Child",
                "ChildStateMachineArn",
            ),
            (
                "arn:aws:events:us-east-1:123456789012:event-bus/orders",
                "OrdersEventBusArn",
            ),
            (
                "arn:aws:ecs:us-east-1:123456789012:cluster/1st",
                "Resource1stClusterArn",
            ),
            ("arn:aws:kms:us-east-1:123456789012:key", "KeyKmsArn"),
        ];
        for (arn, expected) in cases {
            assert_eq!(name_for_arn(arn).as_deref(), Some(expected), "{arn}");
        }
        assert_eq!(name_for_arn("not an arn"), None);
        assert_eq!(pascal("order-events_v2"), "OrderEventsV2");
    }

    #[test]
    fn replaces_resources_and_payload_arns() {
        let definition = json!({
            "StartAt": "Charge",
            "States": {
                "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {"FunctionName": FN, "Payload.$": "$"}, "Next": "Direct"},
                "Direct": {"Type": "Task", "Resource": FN, "Next": "Notify"},
                "Notify": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
                    "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:OrderEvents",
                        "Message.$": "arn:aws:sns:us-east-1:123456789012:NotAPath"}, "Next": "Queue"},
                "Queue": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                    "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/jobs",
                        "MessageBody": {"model": "arn:aws:bedrock:us-east-1::foundation-model/x"}}, "Next": "Fan"},
                "Fan": {"Type": "Parallel", "Branches": [{"StartAt": "Inner", "States": {
                    "Inner": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:Approve", "End": true}}}],
                    "End": true}
            }
        });
        let result = parameterize_arns(&definition, &BTreeMap::new());
        let d = &result.definition;
        assert_eq!(
            d["States"]["Charge"]["Resource"],
            "arn:aws:states:::lambda:invoke"
        );
        assert_eq!(
            d["States"]["Charge"]["Parameters"]["FunctionName"],
            "${ProcessPaymentFunctionArn}"
        );
        assert_eq!(
            d["States"]["Direct"]["Resource"],
            "${ProcessPaymentFunctionArn}"
        );
        assert_eq!(
            d["States"]["Notify"]["Parameters"]["TopicArn"],
            "${OrderEventsTopicArn}"
        );
        assert_eq!(
            d["States"]["Notify"]["Parameters"]["Message.$"],
            "arn:aws:sns:us-east-1:123456789012:NotAPath"
        );
        assert_eq!(
            d["States"]["Queue"]["Parameters"]["QueueUrl"],
            "${JobsQueueUrl}"
        );
        assert_eq!(
            d["States"]["Queue"]["Parameters"]["MessageBody"]["model"],
            "arn:aws:bedrock:us-east-1::foundation-model/x"
        );
        assert_eq!(
            d["States"]["Fan"]["Branches"][0]["States"]["Inner"]["Resource"],
            "${ApproveActivityArn}"
        );
        assert_eq!(result.substitutions.len(), 4);
        assert_eq!(result.substitutions["ProcessPaymentFunctionArn"], FN);
        assert_eq!(
            result.substitutions["JobsQueueUrl"],
            "https://sqs.us-east-1.amazonaws.com/123456789012/jobs"
        );
    }

    #[test]
    fn reuses_and_avoids_existing_names() {
        let other = "arn:aws:lambda:us-west-2:123456789012:function:ProcessPayment";
        let definition = json!({"StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": FN, "Next": "B"},
            "B": {"Type": "Task", "Resource": other, "Next": "C"},
            "C": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Ship", "End": true}
        }});
        let existing = BTreeMap::from([
            (
                "ProcessPaymentFunctionArn".to_string(),
                "something else".to_string(),
            ),
            (
                "ShipFn".to_string(),
                "arn:aws:lambda:us-east-1:123456789012:function:Ship".to_string(),
            ),
        ]);
        let result = parameterize_arns(&definition, &existing);
        assert_eq!(
            result.definition["States"]["A"]["Resource"],
            "${ProcessPaymentFunctionArn2}"
        );
        assert_eq!(
            result.definition["States"]["B"]["Resource"],
            "${ProcessPaymentFunctionArn3}"
        );
        assert_eq!(result.definition["States"]["C"]["Resource"], "${ShipFn}");
        assert_eq!(result.substitutions["ProcessPaymentFunctionArn3"], other);
    }

    #[test]
    fn leaves_integrations_placeholders_and_names_alone() {
        let definition = json!({"StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:lambda:invoke",
                "Parameters": {"FunctionName": "${Existing}", "TableName": "Orders",
                    "StateMachineArn": "arn:aws:states:::states:startExecution"}, "End": true}
        }});
        let result = parameterize_arns(&definition, &BTreeMap::new());
        assert_eq!(result.definition, definition);
        assert!(result.substitutions.is_empty());
        assert_eq!(
            parameterize_arns(&json!([1]), &BTreeMap::new()).definition,
            json!([1])
        );
    }
}
