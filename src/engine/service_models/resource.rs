//! Which service operation a Task `Resource` ARN calls, in botocore's names.

use super::{Integration, Models, OperationRef, Service};

/// The operation `resource` calls, when the models know it (see `operation_for_resource`).
pub(super) fn operation(models: &'static Models, resource: &str) -> Option<OperationRef> {
    // arn:<partition>:states:<region>:<account>:<integration>; integrations leave region and
    // account empty, but that is the state machine validator's business, not ours.
    let parts: Vec<&str> = resource.splitn(6, ':').collect();
    let ["arn", _, "states", _, _, integration] = parts.as_slice() else {
        return None;
    };
    let (integration, service, action) = match integration.split_once(':')? {
        ("aws-sdk", rest) => {
            let (service, action) = rest.split_once(':')?;
            (Integration::AwsSdk, sdk_service(service), action)
        }
        (service, action) => {
            let service = optimized_service(service, action)?;
            (Integration::Optimized, service, action)
        }
    };
    // `.sync`, `.sync:2` and `.waitForTaskToken` return the job's description or the callback's
    // payload rather than the API's answer: no model describes those.
    if action.is_empty() || !action.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let (service_name, service) = find_service(models, service, integration)?;
    let operation = find_operation(service, action)?;
    Some(OperationRef {
        service: service_name,
        operation,
        integration,
    })
}

/// botocore's name of an optimized integration's service. `None` for the integrations that call
/// no AWS API with a model (`http:invoke`, `apigateway:invoke`, activities).
fn optimized_service(service: &str, action: &str) -> Option<&'static str> {
    Some(match service {
        "states" => "stepfunctions",
        "elasticmapreduce" => "emr",
        // Step Functions names the runtime's InvokeModel under `bedrock`; the control plane's
        // jobs (createModelCustomizationJob) are `bedrock` in botocore too.
        "bedrock" if action.starts_with("invokeModel") => "bedrock-runtime",
        "glue-databrew" => "databrew",
        "athena" => "athena",
        "batch" => "batch",
        "bedrock" => "bedrock",
        "codebuild" => "codebuild",
        "databrew" => "databrew",
        "dynamodb" => "dynamodb",
        "ecs" => "ecs",
        "eks" => "eks",
        "emr-containers" => "emr-containers",
        "emr-serverless" => "emr-serverless",
        "events" => "events",
        "glue" => "glue",
        "lambda" => "lambda",
        "mediaconvert" => "mediaconvert",
        "sagemaker" => "sagemaker",
        "sns" => "sns",
        "sqs" => "sqs",
        _ => return None,
    })
}

/// botocore's name of an AWS SDK integration's service, where it differs from the AWS SDK for
/// Java v2's name Step Functions uses. Names that differ only by botocore's hyphens
/// (`emrcontainers`, `bedrockruntime`) are matched by `find_service`.
fn sdk_service(service: &str) -> &str {
    match service {
        "sfn" => "stepfunctions",
        "eventbridge" | "cloudwatchevents" => "events",
        "cloudwatchlogs" => "logs",
        "elasticmapreduce" => "emr",
        "glue-databrew" => "databrew",
        other => other,
    }
}

fn find_service(
    models: &'static Models,
    name: &str,
    integration: Integration,
) -> Option<(&'static str, &'static Service)> {
    if let Some((key, service)) = models.services.get_key_value(name) {
        return Some((key.as_str(), service));
    }
    if integration != Integration::AwsSdk {
        return None;
    }
    let mut matches = models
        .services
        .iter()
        .filter(|(key, _)| key.replace('-', "") == name);
    match (matches.next(), matches.next()) {
        (Some((key, service)), None) => Some((key.as_str(), service)),
        _ => None,
    }
}

/// botocore's spelling of a Step Functions action: `startExecution` → `StartExecution`. Falls
/// back to a case-insensitive match (`listObjectsV2`-style capitalisation differences) when
/// exactly one operation matches.
fn find_operation(service: &'static Service, action: &str) -> Option<&'static str> {
    let pascal = super::capitalised(action);
    if let Some((key, _)) = service.operations.get_key_value(&pascal) {
        return Some(key.as_str());
    }
    let mut matches = service
        .operations
        .keys()
        .filter(|key| key.eq_ignore_ascii_case(action));
    match (matches.next(), matches.next()) {
        (Some(key), None) => Some(key.as_str()),
        _ => None,
    }
}
