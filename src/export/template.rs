//! What the SAM and CloudFormation exports share: substitutions, template parameters for
//! unfilled placeholders, generated log group, the document skeleton and its YAML text.

use super::intrinsic::{placeholders, template_value};
use super::parameterize::parameterize_arns;
use super::settings::{DeploymentSettings, LogLevel, non_empty};
use super::yaml::template_yaml;
use super::{ExportError, ExportOptions};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// `Metadata.GeneratedBy` of resources the export creates (the import recognizes them).
pub const GENERATED_BY: &str = "ASL Studio";
/// AWS limits a template description to 1024 bytes.
const MAX_DESCRIPTION: usize = 1024;
const MAX_DEPTH: usize = 256;

/// The definition and substitutions, ready to be put into a template.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Prepared {
    /// The definition as exported (parameterized when asked).
    pub definition: Value,
    /// The definition as given, for the permission hints (literal ARNs are more precise).
    pub original: Value,
    /// DefinitionSubstitutions as settings text.
    pub substitutions: BTreeMap<String, String>,
    /// Placeholders without a value: declared as template parameters.
    pub parameters: Vec<String>,
    /// Remarks written as comments at the top of the template.
    pub notes: Vec<String>,
}

pub(super) fn prepare(
    definition: &Value,
    settings: &DeploymentSettings,
    options: &ExportOptions,
) -> Prepared {
    let mut substitutions = settings.definition_substitutions.clone();
    let exported = if options.parameterize_arns {
        let result = parameterize_arns(definition, &substitutions);
        substitutions.extend(result.substitutions);
        result.definition
    } else {
        definition.clone()
    };
    let mut used = Vec::new();
    collect_placeholders(&exported, &mut used, 0);
    let mut parameters = Vec::new();
    let mut notes = Vec::new();
    for name in used {
        if substitutions.contains_key(&name) {
            continue;
        }
        if is_parameter_name(&name) {
            notes.push(format!(
                "${{{name}}} has no value in the deployment settings: it is the template parameter {name}."
            ));
            substitutions.insert(name.clone(), format!("${{{name}}}"));
            parameters.push(name);
        } else {
            notes.push(format!(
                "${{{name}}} cannot be filled by DefinitionSubstitutions (keys are letters and digits); rename it."
            ));
        }
    }
    Prepared {
        definition: exported,
        original: definition.clone(),
        substitutions,
        parameters,
        notes,
    }
}

/// Letters and digits, as CloudFormation parameter names and logical IDs must be.
pub(super) fn is_parameter_name(name: &str) -> bool {
    (1..=255).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric())
}

pub(super) fn check_logical_id(id: &str) -> Result<(), ExportError> {
    if is_parameter_name(id) {
        Ok(())
    } else {
        Err(ExportError::InvalidLogicalId(id.to_string()))
    }
}

/// Every distinct `${Name}` in the string values of the definition, in document order.
fn collect_placeholders(value: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::String(text) => {
            for name in placeholders(text) {
                if !out.contains(&name) {
                    out.push(name);
                }
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| collect_placeholders(item, out, depth + 1)),
        Value::Object(object) => object
            .values()
            .for_each(|item| collect_placeholders(item, out, depth + 1)),
        _ => {}
    }
}

/// A settings string as a template value (`${X}` → `!Ref X`, see `intrinsic`).
pub(super) fn value_of(text: &str) -> Value {
    template_value(text)
}

/// `DefinitionSubstitutions` as template values.
pub(super) fn substitutions_value(substitutions: &BTreeMap<String, String>) -> Value {
    Value::Object(
        substitutions
            .iter()
            .map(|(k, v)| (k.clone(), value_of(v)))
            .collect(),
    )
}

/// `Logging` (SAM) / `LoggingConfiguration` (CloudFormation): the same shape. None when the
/// settings are the defaults; a log group is generated when logging is on without one.
pub(super) fn logging_value(
    settings: &DeploymentSettings,
    logical_id: &str,
    resources: &mut Map<String, Value>,
) -> Option<Value> {
    let logging = &settings.logging;
    let group = non_empty(&logging.log_group_arn);
    if logging.level == LogLevel::Off && !logging.include_execution_data && group.is_none() {
        return None;
    }
    let mut out = Map::new();
    out.insert("Level".into(), logging.level.as_str().into());
    out.insert(
        "IncludeExecutionData".into(),
        logging.include_execution_data.into(),
    );
    let group_arn = match group {
        Some(arn) => Some(value_of(arn)),
        None if logging.level != LogLevel::Off => {
            let id = format!("{logical_id}LogGroup");
            resources.insert(id.clone(), log_group_resource(logical_id));
            Some(json!({"Fn::GetAtt": [id, "Arn"]}))
        }
        None => None,
    };
    if let Some(arn) = group_arn {
        out.insert(
            "Destinations".into(),
            json!([{"CloudWatchLogsLogGroup": {"LogGroupArn": arn}}]),
        );
    }
    Some(Value::Object(out))
}

fn log_group_resource(logical_id: &str) -> Value {
    json!({
        "Type": "AWS::Logs::LogGroup",
        "Metadata": {"GeneratedBy": GENERATED_BY},
        "Properties": {
            // The vended-logs prefix keeps the log resource policy small (AWS recommendation).
            "LogGroupName": {"Fn::Sub": format!("/aws/vendedlogs/states/${{AWS::StackName}}-{logical_id}")},
            "RetentionInDays": 30
        }
    })
}

/// The state machine resource and what was generated for it, as one template.
pub(super) struct TemplateParts {
    pub transform: Option<&'static str>,
    pub logical_id: String,
    pub machine: Value,
    /// Generated resources (log group, role), in order.
    pub generated: Map<String, Value>,
}

pub(super) fn render(prepared: &Prepared, parts: TemplateParts) -> String {
    let mut root = Map::new();
    root.insert("AWSTemplateFormatVersion".into(), "2010-09-09".into());
    if let Some(transform) = parts.transform {
        root.insert("Transform".into(), transform.into());
    }
    root.insert(
        "Description".into(),
        description(prepared, &parts.logical_id).into(),
    );
    if !prepared.parameters.is_empty() {
        let parameters = prepared
            .parameters
            .iter()
            .map(|name| {
                let parameter = json!({
                    "Type": "String",
                    "Description": format!("Value of ${{{name}}} in the state machine definition")
                });
                (name.clone(), parameter)
            })
            .collect();
        root.insert("Parameters".into(), Value::Object(parameters));
    }
    let mut resources = Map::new();
    resources.insert(parts.logical_id.clone(), parts.machine);
    resources.extend(parts.generated);
    root.insert("Resources".into(), Value::Object(resources));
    let output = json!({
        "Description": "ARN of the state machine",
        "Value": {"Ref": parts.logical_id}
    });
    let mut outputs = Map::new();
    outputs.insert(format!("{}Arn", parts.logical_id), output);
    root.insert("Outputs".into(), Value::Object(outputs));
    let mut comments = vec!["Exported by ASL Studio.".to_string()];
    comments.extend(prepared.notes.iter().cloned());
    template_yaml(&root, &comments)
}

/// The definition's Comment (one line, at most 1024 bytes), or a generic description.
fn description(prepared: &Prepared, logical_id: &str) -> String {
    let comment = prepared
        .definition
        .get("Comment")
        .and_then(Value::as_str)
        .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|c| !c.is_empty());
    let mut text = comment.unwrap_or_else(|| format!("{logical_id} state machine"));
    if text.len() > MAX_DESCRIPTION {
        let mut cut = MAX_DESCRIPTION;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::settings::LoggingSettings;

    #[test]
    fn declares_parameters_for_unfilled_placeholders() {
        let definition = json!({"StartAt": "A", "States": {"A": {"Type": "Task",
            "Resource": "${WorkerArn}", "Parameters": {"Region": "${AWS::Region}", "T": "${Table}"}, "End": true}}});
        let settings = DeploymentSettings {
            definition_substitutions: BTreeMap::from([("Table".into(), "Orders".into())]),
            ..Default::default()
        };
        let prepared = prepare(&definition, &settings, &ExportOptions::default());
        assert_eq!(prepared.parameters, vec!["WorkerArn"]);
        assert_eq!(prepared.substitutions["WorkerArn"], "${WorkerArn}");
        assert_eq!(prepared.substitutions["Table"], "Orders");
        assert_eq!(prepared.notes.len(), 2);
        assert!(prepared.notes[1].contains("${AWS::Region} cannot be filled"));
    }

    #[test]
    fn parameterizes_when_asked() {
        let arn = "arn:aws:lambda:us-east-1:123456789012:function:Work";
        let definition = json!({"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": arn, "End": true}}});
        let options = ExportOptions {
            parameterize_arns: true,
            ..Default::default()
        };
        let prepared = prepare(&definition, &DeploymentSettings::default(), &options);
        assert_eq!(
            prepared.definition["States"]["A"]["Resource"],
            "${WorkFunctionArn}"
        );
        assert_eq!(prepared.original, definition);
        assert_eq!(prepared.substitutions["WorkFunctionArn"], arn);
        assert!(prepared.parameters.is_empty());
    }

    #[test]
    fn logging_generates_a_log_group_only_when_needed() {
        let mut settings = DeploymentSettings::default();
        let mut resources = Map::new();
        assert_eq!(logging_value(&settings, "M", &mut resources), None);
        settings.logging = LoggingSettings {
            level: LogLevel::Error,
            include_execution_data: false,
            log_group_arn: None,
        };
        let value = logging_value(&settings, "M", &mut resources).unwrap();
        assert_eq!(
            value["Destinations"][0]["CloudWatchLogsLogGroup"]["LogGroupArn"],
            json!({"Fn::GetAtt": ["MLogGroup", "Arn"]})
        );
        assert_eq!(
            resources["MLogGroup"]["Metadata"]["GeneratedBy"],
            GENERATED_BY
        );
        settings.logging.log_group_arn = Some("${Logs.Arn}".into());
        let mut none = Map::new();
        let value = logging_value(&settings, "M", &mut none).unwrap();
        assert!(none.is_empty());
        assert_eq!(
            value["Destinations"][0]["CloudWatchLogsLogGroup"]["LogGroupArn"],
            json!({"Fn::GetAtt": ["Logs", "Arn"]})
        );
    }

    #[test]
    fn checks_logical_ids_and_descriptions() {
        assert!(check_logical_id("OrderProcessing1").is_ok());
        assert!(check_logical_id("Order-Processing").is_err());
        assert!(check_logical_id("").is_err());
        let long = "é".repeat(700);
        let prepared = Prepared {
            definition: json!({"Comment": long}),
            original: json!({}),
            substitutions: BTreeMap::new(),
            parameters: vec![],
            notes: vec![],
        };
        let text = description(&prepared, "M");
        assert!(text.len() <= MAX_DESCRIPTION && text.len() >= MAX_DESCRIPTION - 1);
    }
}
