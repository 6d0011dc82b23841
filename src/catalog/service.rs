//! Which AWS service a Task's `Resource` calls, for the node's label and icon.

use crate::asl::model::IntegrationPattern;

/// A Task resource, read the way Workflow Studio labels its nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskService {
    /// A stable key for the icon and colour: `lambda`, `sns`, `dynamodb`, `http`, `activity`,
    /// `sdk` (any other AWS SDK service), `placeholder` (a `${...}` substitution), `other`.
    pub key: &'static str,
    /// The service as people name it: "Lambda", "DynamoDB", "S3 (SDK)".
    pub label: String,
    /// The API action: "Invoke", "PutItem", "getObject"; empty when there is none.
    pub action: String,
    pub pattern: IntegrationPattern,
}

/// Reads a Task's `Resource` (service integration, AWS SDK integration, Lambda function or
/// activity ARN, or a SAM `${...}` placeholder).
pub fn task_service(resource: &str) -> TaskService {
    let pattern = IntegrationPattern::of(resource);
    let plain = strip_pattern(resource);
    let make = |key: &'static str, label: String, action: &str| TaskService {
        key,
        label,
        action: action.to_string(),
        pattern,
    };
    if resource.starts_with("${") && !resource.contains(":::") {
        let name = resource.trim_start_matches("${").trim_end_matches('}');
        let lambda = name.to_ascii_lowercase().contains("function");
        return match lambda {
            true => make("lambda", "Lambda".into(), ""),
            false => make("placeholder", format!("${{{name}}}"), ""),
        };
    }
    let parts: Vec<&str> = plain.splitn(6, ':').collect();
    match parts.as_slice() {
        [_, _, "states", _, _, rest] if rest.starts_with("activity:") => {
            make("activity", "Activity".into(), "")
        }
        [_, _, "lambda", _, _, _] => make("lambda", "Lambda".into(), "Invoke"),
        [_, _, "states", "", "", integration] => match integration.split_once(':') {
            Some(("aws-sdk", sdk)) => {
                let (service, action) = sdk.split_once(':').unwrap_or((sdk, ""));
                let (key, name) = known_service(service);
                let key = if key == "other" { "sdk" } else { key };
                make(key, format!("{name} (SDK)"), &capitalised(action))
            }
            Some((service, action)) => {
                let (key, name) = known_service(service);
                make(key, name.to_string(), &capitalised(action))
            }
            None => make("other", integration.to_string(), ""),
        },
        _ => make("other", "Task".into(), ""),
    }
}

/// The resource without `.sync`, `.sync:2` or `.waitForTaskToken`.
fn strip_pattern(resource: &str) -> &str {
    let resource = resource.trim_end_matches(".waitForTaskToken");
    match resource.find(".sync") {
        Some(at) => &resource[..at],
        None => resource,
    }
}

fn capitalised(action: &str) -> String {
    let mut chars = action.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Icon key and display name of a service's integration prefix.
fn known_service(service: &str) -> (&'static str, &str) {
    match service {
        "lambda" => ("lambda", "Lambda"),
        "sns" => ("sns", "SNS"),
        "sqs" => ("sqs", "SQS"),
        "dynamodb" => ("dynamodb", "DynamoDB"),
        "events" | "eventbridge" => ("events", "EventBridge"),
        "states" | "sfn" => ("states", "Step Functions"),
        "batch" => ("batch", "Batch"),
        "ecs" => ("ecs", "ECS"),
        "eks" => ("eks", "EKS"),
        "glue" => ("glue", "Glue"),
        "sagemaker" => ("sagemaker", "SageMaker"),
        "bedrock" | "bedrockruntime" => ("bedrock", "Bedrock"),
        "athena" => ("athena", "Athena"),
        "s3" => ("s3", "S3"),
        "http" => ("http", "HTTP"),
        "apigateway" => ("apigateway", "API Gateway"),
        "ses" | "sesv2" => ("ses", "SES"),
        "elasticmapreduce" | "emr-serverless" | "emr-containers" => ("emr", "EMR"),
        "codebuild" => ("codebuild", "CodeBuild"),
        "glue-databrew" | "databrew" => ("glue", "DataBrew"),
        "mediaconvert" => ("other", "MediaConvert"),
        "kinesis" | "firehose" => ("kinesis", "Kinesis"),
        "ec2" => ("ec2", "EC2"),
        "secretsmanager" => ("secrets", "Secrets Manager"),
        "ssm" => ("ssm", "Systems Manager"),
        "cloudwatch" | "cloudwatchlogs" => ("cloudwatch", "CloudWatch"),
        "textract" => ("ai", "Textract"),
        "comprehend" => ("ai", "Comprehend"),
        "rekognition" => ("ai", "Rekognition"),
        "translate" => ("ai", "Translate"),
        other => ("other", other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_integrations_name_their_service_action_and_pattern() {
        let lambda = task_service("arn:aws:states:::lambda:invoke.waitForTaskToken");
        assert_eq!((lambda.key, lambda.label.as_str()), ("lambda", "Lambda"));
        assert_eq!(lambda.action, "Invoke");
        assert_eq!(lambda.pattern, IntegrationPattern::WaitForTaskToken);
        let sync = task_service("arn:aws:states:::states:startExecution.sync:2");
        assert_eq!(
            (sync.key, sync.action.as_str()),
            ("states", "StartExecution")
        );
        assert_eq!(sync.pattern, IntegrationPattern::Sync);
        let ddb = task_service("arn:aws:states:::dynamodb:putItem");
        assert_eq!(
            (ddb.label.as_str(), ddb.action.as_str()),
            ("DynamoDB", "PutItem")
        );
        assert_eq!(task_service("arn:aws:states:::http:invoke").key, "http");
    }

    #[test]
    fn sdk_integrations_functions_activities_and_placeholders() {
        let s3 = task_service("arn:aws:states:::aws-sdk:s3:getObject");
        assert_eq!(
            (s3.key, s3.label.as_str(), s3.action.as_str()),
            ("s3", "S3 (SDK)", "GetObject")
        );
        let odd = task_service("arn:aws:states:::aws-sdk:iot:listThings");
        assert_eq!((odd.key, odd.label.as_str()), ("sdk", "iot (SDK)"));
        let function = task_service("arn:aws:lambda:us-east-1:123456789012:function:Charge");
        assert_eq!(function.key, "lambda");
        let activity = task_service("arn:aws:states:us-east-1:123456789012:activity:Review");
        assert_eq!(activity.key, "activity");
        assert_eq!(task_service("${ChargeFunctionArn}").key, "lambda");
        assert_eq!(task_service("${Thing}").label, "${Thing}");
        assert_eq!(task_service("nonsense").key, "other");
    }
}
