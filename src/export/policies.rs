//! Permission hints: what the state machine's role needs for the integrations it calls.
//!
//! SAM gets policy templates where one fits (`LambdaInvokePolicy`, `DynamoDBCrudPolicy`,
//! `SNSPublishMessagePolicy`...) plus one inline `Statement` list for the rest; the CloudFormation
//! export puts the same grants as IAM statements into a generated role. They are hints computed
//! from literal names and ARNs; a dynamic target (`FunctionName.$`) gets a wildcard resource.

use super::intrinsic::{placeholders, template_value};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

const MAX_DEPTH: usize = 64;
const ARN_PREFIX: &str = "arn:${AWS::Partition}";
const REGIONAL: &str = "${AWS::Region}:${AWS::AccountId}";

/// Actions on resources, and the SAM policy template that grants the same, when there is one.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Grant {
    pub sam: Option<(&'static str, &'static str, Value)>,
    pub actions: Vec<String>,
    pub resources: Vec<Value>,
}

impl Grant {
    fn new(actions: &[&str], resources: Vec<Value>) -> Grant {
        Grant {
            sam: None,
            actions: actions.iter().map(|a| a.to_string()).collect(),
            resources,
        }
    }

    fn with_sam(mut self, template: &'static str, key: &'static str, value: &str) -> Grant {
        self.sam = Some((template, key, Value::String(value.to_string())));
        self
    }

    /// A SAM policy template whose parameter is a template expression (`!Ref Table`).
    fn with_sam_expression(
        mut self,
        template: &'static str,
        key: &'static str,
        text: &str,
    ) -> Grant {
        self.sam = Some((template, key, sub(text.to_string())));
        self
    }
}

/// What a Task parameter names.
enum Target {
    Literal(String),
    /// `Fn::Sub` text (a placeholder resolved through DefinitionSubstitutions).
    Expression(String),
    Dynamic,
}

/// The grants the definition needs, plus logging and tracing ones.
pub(super) fn grants(
    definition: &Value,
    substitutions: &BTreeMap<String, String>,
    logging: bool,
    tracing: bool,
) -> Vec<Grant> {
    let mut out = Vec::new();
    if let Some(machine) = definition.as_object() {
        walk_machine(machine, substitutions, &mut out, 0);
    }
    if logging {
        out.push(Grant::new(
            &[
                "logs:CreateLogDelivery",
                "logs:GetLogDelivery",
                "logs:UpdateLogDelivery",
                "logs:DeleteLogDelivery",
                "logs:ListLogDeliveries",
                "logs:PutResourcePolicy",
                "logs:DescribeResourcePolicies",
                "logs:DescribeLogGroups",
            ],
            vec![json!("*")],
        ));
    }
    if tracing {
        out.push(Grant::new(
            &[
                "xray:PutTraceSegments",
                "xray:PutTelemetryRecords",
                "xray:GetSamplingRules",
                "xray:GetSamplingTargets",
            ],
            vec![json!("*")],
        ));
    }
    out
}

/// SAM `Policies`: policy templates (deduplicated), then one inline statement list.
pub(super) fn sam_policies(grants: &[Grant]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let mut rest = Vec::new();
    for grant in grants {
        match &grant.sam {
            Some((template, key, value)) => {
                let policy = json!({ *template: { *key: value } });
                if !out.contains(&policy) {
                    out.push(policy);
                }
            }
            None => rest.push(grant.clone()),
        }
    }
    let statements = iam_statements(&rest);
    if !statements.is_empty() {
        out.push(json!({ "Statement": statements }));
    }
    out
}

/// IAM statements, one per distinct resource list, actions sorted and deduplicated.
pub(super) fn iam_statements(grants: &[Grant]) -> Vec<Value> {
    let mut grouped: Vec<(Vec<Value>, Vec<String>)> = Vec::new();
    for grant in grants {
        match grouped.iter_mut().find(|(r, _)| *r == grant.resources) {
            Some((_, actions)) => actions.extend(grant.actions.iter().cloned()),
            None => grouped.push((grant.resources.clone(), grant.actions.clone())),
        }
    }
    grouped
        .into_iter()
        .map(|(resources, mut actions)| {
            actions.sort();
            actions.dedup();
            let resource = match resources.as_slice() {
                [one] => one.clone(),
                _ => Value::Array(resources),
            };
            json!({"Effect": "Allow", "Action": actions, "Resource": resource})
        })
        .collect()
}

fn walk_machine(
    machine: &Map<String, Value>,
    subs: &BTreeMap<String, String>,
    out: &mut Vec<Grant>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let Some(states) = machine.get("States").and_then(Value::as_object) else {
        return;
    };
    for state in states.values().filter_map(Value::as_object) {
        match state.get("Type").and_then(Value::as_str) {
            Some("Task") => {
                if let Some(resource) = state.get("Resource").and_then(Value::as_str) {
                    let args = state
                        .get("Parameters")
                        .or_else(|| state.get("Arguments"))
                        .and_then(Value::as_object);
                    if let Some(grant) = task_grant(resource, args, subs) {
                        out.push(grant);
                    }
                }
            }
            Some("Parallel") => {
                for branch in state
                    .get("Branches")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_object)
                {
                    walk_machine(branch, subs, out, depth + 1);
                }
            }
            Some("Map") => map_grants(state, subs, out, depth),
            _ => {}
        }
    }
}

fn map_grants(
    state: &Map<String, Value>,
    subs: &BTreeMap<String, String>,
    out: &mut Vec<Grant>,
    depth: usize,
) {
    let processor = state
        .get("ItemProcessor")
        .or_else(|| state.get("Iterator"))
        .and_then(Value::as_object);
    let distributed = processor
        .and_then(|p| p.get("ProcessorConfig"))
        .and_then(|c| c.get("Mode"))
        .and_then(Value::as_str)
        == Some("DISTRIBUTED");
    if distributed {
        // A Distributed Map starts child executions of this very state machine.
        out.push(Grant::new(
            &[
                "states:StartExecution",
                "states:DescribeExecution",
                "states:StopExecution",
            ],
            vec![json!("*")],
        ));
    }
    for (field, write) in [("ItemReader", false), ("ResultWriter", true)] {
        let args = state
            .get(field)
            .and_then(|r| r.get("Parameters").or_else(|| r.get("Arguments")))
            .and_then(Value::as_object);
        if let Some(args) = args {
            out.push(s3_grant(target(Some(args), "Bucket", subs), write));
        }
    }
    if let Some(processor) = processor {
        walk_machine(processor, subs, out, depth + 1);
    }
}

/// The grant for one Task resource, None for activities.
fn task_grant(
    resource: &str,
    args: Option<&Map<String, Value>>,
    subs: &BTreeMap<String, String>,
) -> Option<Grant> {
    let resolved = resolve(resource, subs);
    let resource = match &resolved {
        Target::Literal(text) | Target::Expression(text) => text.as_str(),
        Target::Dynamic => return None,
    };
    if resource.contains(":lambda:") && resource.contains(":function:") {
        return Some(lambda_grant(resolved));
    }
    let integration = resource.split_once(":states:::").map(|(_, rest)| rest)?;
    let (service, action) = integration.split_once(':')?;
    let action = action
        .split(".sync")
        .next()
        .unwrap_or(action)
        .trim_end_matches(".waitForTaskToken");
    let target = |key: &str| target(args, key, subs);
    Some(match (service, action) {
        ("lambda", "invoke") => lambda_grant(target("FunctionName")),
        ("dynamodb", action) => dynamodb_grant(target("TableName"), action),
        ("aws-sdk", sdk) if sdk.starts_with("dynamodb:") => {
            dynamodb_grant(target("TableName"), sdk.trim_start_matches("dynamodb:"))
        }
        ("sns", "publish") => sns_grant(target("TopicArn")),
        ("sqs", "sendMessage") => sqs_grant(target("QueueUrl")),
        ("states", "startExecution") => execution_grant(target("StateMachineArn")),
        ("events", "putEvents") => events_grant(args),
        ("aws-sdk", sdk) if sdk.starts_with("s3:") => {
            let write = ["s3:put", "s3:delete", "s3:copy"]
                .iter()
                .any(|p| sdk.starts_with(p));
            s3_grant(target("Bucket"), write)
        }
        ("aws-sdk", sdk) => {
            let (sdk_service, sdk_action) = sdk.split_once(':')?;
            Grant::new(&[&iam_action(sdk_service, sdk_action)], vec![json!("*")])
        }
        ("apigateway", _) => Grant::new(&["execute-api:Invoke"], vec![json!("*")]),
        ("http", _) => Grant::new(
            &[
                "states:InvokeHTTPEndpoint",
                "events:RetrieveConnectionCredentials",
                "secretsmanager:GetSecretValue",
                "secretsmanager:DescribeSecret",
            ],
            vec![json!("*")],
        ),
        (service, action) => Grant::new(&[&iam_action(service, action)], vec![json!("*")]),
    })
}

/// A Task parameter: a literal, a substitution, or something computed at run time.
fn target(args: Option<&Map<String, Value>>, key: &str, subs: &BTreeMap<String, String>) -> Target {
    match args.and_then(|a| a.get(key)) {
        Some(Value::String(text)) => resolve(text, subs),
        _ => Target::Dynamic,
    }
}

/// Writes the DefinitionSubstitutions into `text`; JSONata is dynamic.
fn resolve(text: &str, subs: &BTreeMap<String, String>) -> Target {
    if text.starts_with("{%") {
        return Target::Dynamic;
    }
    if !text.contains("${") {
        return Target::Literal(text.to_string());
    }
    let mut out = text.to_string();
    for name in placeholders(text) {
        if let Some(value) = subs.get(&name) {
            out = out.replace(&format!("${{{name}}}"), value);
        }
    }
    if out.contains("${") {
        Target::Expression(out)
    } else {
        Target::Literal(out)
    }
}

fn sub(text: String) -> Value {
    template_value(&text)
}

fn regional_arn(service: &str, resource: &str) -> Value {
    sub(format!("{ARN_PREFIX}:{service}:{REGIONAL}:{resource}"))
}

/// The part after `marker` in an ARN (`…:function:Name` → `Name`), when `text` is an ARN.
fn arn_name<'a>(text: &'a str, marker: &str) -> Option<&'a str> {
    if !text.starts_with("arn:") {
        return None;
    }
    let (_, rest) = text.split_once(marker)?;
    rest.split([':', '/']).next().filter(|n| !n.is_empty())
}

fn lambda_grant(target: Target) -> Grant {
    let actions = &["lambda:InvokeFunction"];
    match target {
        Target::Literal(text) => {
            let (name, arn) = match arn_name(&text, ":function:") {
                Some(name) => (name.to_string(), text.clone()),
                None => (
                    text.clone(),
                    format!("{ARN_PREFIX}:lambda:{REGIONAL}:function:{text}"),
                ),
            };
            Grant::new(actions, vec![sub(arn.clone()), sub(format!("{arn}:*"))]).with_sam(
                "LambdaInvokePolicy",
                "FunctionName",
                &name,
            )
        }
        Target::Expression(text) => {
            Grant::new(actions, vec![sub(text.clone()), sub(format!("{text}:*"))])
        }
        Target::Dynamic => Grant::new(actions, vec![regional_arn("lambda", "function:*")]),
    }
}

fn dynamodb_grant(target: Target, action: &str) -> Grant {
    let iam = iam_action("dynamodb", action);
    let read = ["getItem", "query", "scan", "batchGetItem", "describeTable"]
        .iter()
        .any(|a| a.eq_ignore_ascii_case(action));
    let template = if read {
        "DynamoDBReadPolicy"
    } else {
        "DynamoDBCrudPolicy"
    };
    match target {
        Target::Literal(text) => {
            let (name, arn) = match arn_name(&text, ":table/") {
                Some(name) => (name.to_string(), text.clone()),
                None => (
                    text.clone(),
                    format!("{ARN_PREFIX}:dynamodb:{REGIONAL}:table/{text}"),
                ),
            };
            Grant::new(
                &[&iam],
                vec![sub(arn.clone()), sub(format!("{arn}/index/*"))],
            )
            .with_sam(template, "TableName", &name)
        }
        // A name (`!Ref Table`) fits the SAM template; an ARN expression does not.
        Target::Expression(text) if text.starts_with("arn:") => {
            Grant::new(&[&iam], vec![sub(text)])
        }
        Target::Expression(text) => {
            let arn = format!("{ARN_PREFIX}:dynamodb:{REGIONAL}:table/{text}");
            Grant::new(
                &[&iam],
                vec![sub(arn.clone()), sub(format!("{arn}/index/*"))],
            )
            .with_sam_expression(template, "TableName", &text)
        }
        Target::Dynamic => Grant::new(&[&iam], vec![regional_arn("dynamodb", "table/*")]),
    }
}

fn sns_grant(target: Target) -> Grant {
    let actions = &["sns:Publish"];
    match target {
        Target::Literal(arn) if arn.starts_with("arn:") => {
            let name = arn.rsplit(':').next().unwrap_or_default().to_string();
            Grant::new(actions, vec![sub(arn)]).with_sam(
                "SNSPublishMessagePolicy",
                "TopicName",
                &name,
            )
        }
        Target::Expression(text) => Grant::new(actions, vec![sub(text)]),
        _ => Grant::new(actions, vec![json!("*")]),
    }
}

fn sqs_grant(target: Target) -> Grant {
    let actions = &["sqs:SendMessage"];
    let Target::Literal(url) = target else {
        return Grant::new(actions, vec![json!("*")]);
    };
    // https://sqs.<region>.amazonaws.com/<account>/<name>
    let parts: Option<(&str, &str, &str)> = url
        .strip_prefix("https://sqs.")
        .and_then(|rest| rest.split_once('/'))
        .and_then(|(host, path)| {
            let region = host.split('.').next()?;
            let (account, name) = path.split_once('/')?;
            Some((region, account, name))
        });
    match parts {
        Some((region, account, name)) => Grant::new(
            actions,
            vec![sub(format!("{ARN_PREFIX}:sqs:{region}:{account}:{name}"))],
        )
        .with_sam("SQSSendMessagePolicy", "QueueName", name),
        None => Grant::new(actions, vec![json!("*")]),
    }
}

fn execution_grant(target: Target) -> Grant {
    let actions = &[
        "states:StartExecution",
        "states:DescribeExecution",
        "states:StopExecution",
    ];
    match target {
        Target::Literal(arn) if arn.starts_with("arn:") => {
            let name = arn_name(&arn, ":stateMachine:")
                .unwrap_or_default()
                .to_string();
            Grant::new(actions, vec![sub(arn)]).with_sam(
                "StepFunctionsExecutionPolicy",
                "StateMachineName",
                &name,
            )
        }
        Target::Expression(text) => Grant::new(actions, vec![sub(text)]),
        _ => Grant::new(actions, vec![json!("*")]),
    }
}

fn events_grant(args: Option<&Map<String, Value>>) -> Grant {
    let bus = args
        .and_then(|a| a.get("Entries"))
        .and_then(Value::as_array)
        .and_then(|entries| entries.first())
        .and_then(|entry| entry.get("EventBusName"))
        .and_then(Value::as_str)
        .filter(|bus| !bus.starts_with("{%") && !bus.contains("${"))
        .unwrap_or("default");
    let name = arn_name(bus, ":event-bus/").unwrap_or(bus).to_string();
    Grant::new(
        &["events:PutEvents"],
        vec![regional_arn("events", &format!("event-bus/{name}"))],
    )
    .with_sam("EventBridgePutEventsPolicy", "EventBusName", &name)
}

fn s3_grant(target: Target, write: bool) -> Grant {
    let actions: &[&str] = if write {
        &[
            "s3:PutObject",
            "s3:AbortMultipartUpload",
            "s3:ListMultipartUploadParts",
        ]
    } else {
        &["s3:GetObject", "s3:ListBucket"]
    };
    match target {
        Target::Literal(bucket) => {
            let bucket = bucket.trim_start_matches("arn:aws:s3:::").to_string();
            let template = if write {
                "S3WritePolicy"
            } else {
                "S3ReadPolicy"
            };
            Grant::new(
                actions,
                vec![
                    sub(format!("{ARN_PREFIX}:s3:::{bucket}")),
                    sub(format!("{ARN_PREFIX}:s3:::{bucket}/*")),
                ],
            )
            .with_sam(template, "BucketName", &bucket)
        }
        Target::Expression(text) => Grant::new(
            actions,
            vec![
                sub(format!("{ARN_PREFIX}:s3:::{text}")),
                sub(format!("{ARN_PREFIX}:s3:::{text}/*")),
            ],
        )
        .with_sam_expression(
            if write {
                "S3WritePolicy"
            } else {
                "S3ReadPolicy"
            },
            "BucketName",
            &text,
        ),
        Target::Dynamic => Grant::new(actions, vec![json!("*")]),
    }
}

/// `("sesv2", "sendEmail")` → `ses:SendEmail`.
fn iam_action(service: &str, action: &str) -> String {
    let prefix = match service {
        "sfn" => "states",
        "sesv2" => "ses",
        "cloudwatchlogs" => "logs",
        "elasticloadbalancingv2" => "elasticloadbalancing",
        other => other,
    };
    let mut chars = action.chars();
    let action = chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default();
    format!("{prefix}:{action}")
}

#[cfg(test)]
#[path = "policies_tests.rs"]
mod tests;
