//! `AWS::Serverless::StateMachine` (SAM) export.

use super::ExportOptions;
use super::policies::{grants, sam_policies};
use super::settings::{DeploymentSettings, LogLevel, non_empty, workflow_type_name};
use super::template::{
    Prepared, TemplateParts, logging_value, render, substitutions_value, value_of,
};
use serde_json::{Map, Value, json};

pub(super) const TRANSFORM: &str = "AWS::Serverless-2016-10-31";
pub(super) const RESOURCE_TYPE: &str = "AWS::Serverless::StateMachine";

pub(super) fn template(
    prepared: &Prepared,
    settings: &DeploymentSettings,
    options: &ExportOptions,
) -> String {
    let mut generated = Map::new();
    let mut properties = Map::new();
    if let Some(name) = non_empty(&settings.name) {
        properties.insert("Name".into(), value_of(name));
    }
    properties.insert(
        "Type".into(),
        workflow_type_name(settings.workflow_type).into(),
    );
    match non_empty(&settings.role_arn) {
        Some(role) => {
            properties.insert("Role".into(), value_of(role));
        }
        None => {
            // Without a Role, SAM creates one from these policies.
            let hints = grants(
                &prepared.original,
                &prepared.substitutions,
                settings.logging.level != LogLevel::Off,
                settings.tracing,
            );
            let policies = sam_policies(&hints);
            if !policies.is_empty() {
                properties.insert("Policies".into(), Value::Array(policies));
            }
        }
    }
    if let Some(logging) = logging_value(settings, &options.logical_id, &mut generated) {
        properties.insert("Logging".into(), logging);
    }
    if settings.tracing {
        properties.insert("Tracing".into(), json!({"Enabled": true}));
    }
    if !settings.tags.is_empty() {
        let tags = settings
            .tags
            .iter()
            .map(|(k, v)| (k.clone(), value_of(v)))
            .collect();
        properties.insert("Tags".into(), Value::Object(tags));
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
        Some(uri) => properties.insert("DefinitionUri".into(), uri.into()),
        None => properties.insert("Definition".into(), prepared.definition.clone()),
    };
    let machine = json!({"Type": RESOURCE_TYPE, "Properties": properties});
    render(
        prepared,
        TemplateParts {
            transform: Some(TRANSFORM),
            logical_id: options.logical_id.clone(),
            machine,
            generated,
        },
    )
}
