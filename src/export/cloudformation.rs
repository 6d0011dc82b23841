//! `AWS::StepFunctions::StateMachine` (plain CloudFormation) export.

use super::ExportOptions;
use super::policies::{grants, iam_statements};
use super::settings::{DeploymentSettings, LogLevel, non_empty, workflow_type_name};
use super::template::{
    GENERATED_BY, Prepared, TemplateParts, logging_value, render, substitutions_value, value_of,
};
use serde_json::{Map, Value, json};

pub(super) const RESOURCE_TYPE: &str = "AWS::StepFunctions::StateMachine";

pub(super) fn template(
    prepared: &Prepared,
    settings: &DeploymentSettings,
    options: &ExportOptions,
) -> String {
    let id = &options.logical_id;
    let mut generated = Map::new();
    let mut properties = Map::new();
    if let Some(name) = non_empty(&settings.name) {
        properties.insert("StateMachineName".into(), value_of(name));
    }
    properties.insert(
        "StateMachineType".into(),
        workflow_type_name(settings.workflow_type).into(),
    );
    let role = match non_empty(&settings.role_arn) {
        Some(role) => value_of(role),
        None => {
            // CloudFormation requires a role: generate one from the permission hints.
            let role_id = format!("{id}Role");
            let hints = grants(
                &prepared.original,
                &prepared.substitutions,
                settings.logging.level != LogLevel::Off,
                settings.tracing,
            );
            generated.insert(role_id.clone(), role_resource(id, iam_statements(&hints)));
            json!({"Fn::GetAtt": [role_id, "Arn"]})
        }
    };
    properties.insert("RoleArn".into(), role);
    if let Some(logging) = logging_value(settings, id, &mut generated) {
        properties.insert("LoggingConfiguration".into(), logging);
    }
    if settings.tracing {
        properties.insert("TracingConfiguration".into(), json!({"Enabled": true}));
    }
    if !settings.tags.is_empty() {
        let tags = settings
            .tags
            .iter()
            .map(|(k, v)| json!({"Key": k, "Value": value_of(v)}))
            .collect();
        properties.insert("Tags".into(), Value::Array(tags));
    }
    if !prepared.substitutions.is_empty() {
        properties.insert(
            "DefinitionSubstitutions".into(),
            substitutions_value(&prepared.substitutions),
        );
    }
    match options
        .definition_uri
        .as_deref()
        .filter(|u| !u.trim().is_empty())
    {
        Some(uri) => properties.insert("DefinitionS3Location".into(), s3_location(uri)),
        None => properties.insert("Definition".into(), prepared.definition.clone()),
    };
    let machine = json!({"Type": RESOURCE_TYPE, "Properties": properties});
    render(
        prepared,
        TemplateParts {
            transform: None,
            logical_id: id.clone(),
            machine,
            generated,
        },
    )
}

/// `s3://bucket/key` → `{Bucket, Key}`; anything else stays a path for
/// `aws cloudformation package`, which uploads it and writes the location.
pub(super) fn s3_location(uri: &str) -> Value {
    match uri
        .strip_prefix("s3://")
        .and_then(|rest| rest.split_once('/'))
    {
        Some((bucket, key)) if !bucket.is_empty() && !key.is_empty() => {
            json!({"Bucket": bucket, "Key": key})
        }
        _ => Value::String(uri.to_string()),
    }
}

fn role_resource(logical_id: &str, statements: Vec<Value>) -> Value {
    let mut properties = Map::new();
    properties.insert(
        "AssumeRolePolicyDocument".into(),
        json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {"Service": "states.amazonaws.com"},
                "Action": "sts:AssumeRole"
            }]
        }),
    );
    // IAM rejects a policy without statements.
    if !statements.is_empty() {
        properties.insert(
            "Policies".into(),
            json!([{
                "PolicyName": format!("{logical_id}Policy"),
                "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}
            }]),
        );
    }
    json!({
        "Type": "AWS::IAM::Role",
        "Metadata": {"GeneratedBy": GENERATED_BY},
        "Properties": properties
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_s3_uris() {
        assert_eq!(
            s3_location("s3://bucket/path/flow.asl.json"),
            json!({"Bucket": "bucket", "Key": "path/flow.asl.json"})
        );
        assert_eq!(
            s3_location("statemachine/flow.asl.json"),
            json!("statemachine/flow.asl.json")
        );
        assert_eq!(s3_location("s3://bucket"), json!("s3://bucket"));
    }

    #[test]
    fn a_generated_role_without_statements_has_no_policy() {
        let role = role_resource("M", vec![]);
        assert!(role["Properties"].get("Policies").is_none());
        assert_eq!(role["Metadata"]["GeneratedBy"], GENERATED_BY);
        let role = role_resource("M", vec![json!({"Effect": "Allow"})]);
        assert_eq!(role["Properties"]["Policies"][0]["PolicyName"], "MPolicy");
    }
}
