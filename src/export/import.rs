//! Reading state machines out of SAM and CloudFormation templates.
//!
//! Definitions come from an inline `Definition`, a `DefinitionString` (plain, `!Sub`, `!Join`),
//! or a `DefinitionUri` / `DefinitionS3Location` file read relative to the template's folder.
//! Settings strings follow the `intrinsic` convention (`!GetAtt Fn.Arn` → `${Fn.Arn}`).
//! CloudFormation expressions inside a definition become `${Name}` placeholders with a
//! DefinitionSubstitutions entry holding the expression, so the definition is plain ASL and the
//! exported template deploys the same thing.

use super::ExportError;
use super::intrinsic::{is_intrinsic, placeholders, setting_text};
use super::parameterize::pascal;
use super::settings::{DeploymentSettings, LogLevel, LoggingSettings, parse_workflow_type};
use super::template::GENERATED_BY;
use super::{cloudformation, sam};
use crate::asl::document::{Document, Format};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const MAX_DEPTH: usize = 256;

/// Which resource type declared the state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateMachineKind {
    /// `AWS::Serverless::StateMachine`
    Sam,
    /// `AWS::StepFunctions::StateMachine`
    CloudFormation,
}

/// One state machine of a template.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundStateMachine {
    pub logical_id: String,
    /// None when it could not be read (see `notes`).
    pub definition: Option<Value>,
    /// `DefinitionUri` / `DefinitionS3Location` as written (`s3://bucket/key` for an S3 object),
    /// also when the file was found and read.
    pub definition_uri: Option<String>,
    pub settings: DeploymentSettings,
    pub kind: StateMachineKind,
    /// The local file the definition was read from.
    pub definition_path: Option<PathBuf>,
    /// Why the definition is missing, and what was converted.
    pub notes: Vec<String>,
}

/// Every state machine of a SAM or CloudFormation template, in template order.
pub fn find_state_machines(
    template_text: &str,
    format: Format,
    template_dir: Option<&Path>,
) -> Result<Vec<FoundStateMachine>, ExportError> {
    let document =
        Document::parse(template_text, format).map_err(|source| ExportError::TemplateSyntax {
            format: match format {
                Format::Json => "JSON",
                Format::Yaml => "YAML",
            },
            source,
        })?;
    let Some(root) = document.value().as_object() else {
        return Err(ExportError::NotATemplate(
            "the top level is not a mapping".into(),
        ));
    };
    let resources = match root.get("Resources") {
        Some(Value::Object(resources)) => resources,
        // A skeleton template (`Resources:` with nothing under it) has no state machine.
        Some(Value::Null) => return Ok(Vec::new()),
        Some(_) => {
            return Err(ExportError::NotATemplate(
                "Resources is not a mapping".into(),
            ));
        }
        None => {
            let hint = if root.contains_key("States") {
                "this is a state machine definition, not a template"
            } else {
                "there is no Resources section"
            };
            return Err(ExportError::NotATemplate(hint.into()));
        }
    };
    let mut found = Vec::new();
    for (logical_id, resource) in resources {
        let kind = match resource.get("Type").and_then(Value::as_str) {
            Some(sam::RESOURCE_TYPE) => StateMachineKind::Sam,
            Some(cloudformation::RESOURCE_TYPE) => StateMachineKind::CloudFormation,
            _ => continue,
        };
        let empty = Map::new();
        let properties = resource
            .get("Properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let mut reader = Reader {
            resources,
            properties,
            kind,
            notes: Vec::new(),
            extra_substitutions: BTreeMap::new(),
        };
        let settings = reader.settings();
        let mut machine = FoundStateMachine {
            logical_id: logical_id.clone(),
            definition: None,
            definition_uri: None,
            settings,
            kind,
            definition_path: None,
            notes: Vec::new(),
        };
        reader.definition(&mut machine, template_dir);
        for (name, value) in std::mem::take(&mut reader.extra_substitutions) {
            machine
                .settings
                .definition_substitutions
                .entry(name)
                .or_insert(value);
        }
        machine.notes = reader.notes;
        found.push(machine);
    }
    Ok(found)
}

struct Reader<'a> {
    resources: &'a Map<String, Value>,
    properties: &'a Map<String, Value>,
    kind: StateMachineKind,
    notes: Vec<String>,
    /// Substitutions made up for expressions found in the definition.
    extra_substitutions: BTreeMap<String, String>,
}

impl<'a> Reader<'a> {
    /// The property under its SAM or its CloudFormation name.
    fn property(&self, sam_name: &str, cfn_name: &str) -> Option<&'a Value> {
        match self.kind {
            StateMachineKind::Sam => self.properties.get(sam_name),
            StateMachineKind::CloudFormation => self.properties.get(cfn_name),
        }
    }

    fn settings(&mut self) -> DeploymentSettings {
        let mut settings = DeploymentSettings {
            name: self.property("Name", "StateMachineName").map(setting_text),
            role_arn: self
                .property("Role", "RoleArn")
                .and_then(|role| self.unless_generated(role)),
            ..Default::default()
        };
        if let Some(value) = self.property("Type", "StateMachineType") {
            match value.as_str().and_then(parse_workflow_type) {
                Some(workflow_type) => settings.workflow_type = workflow_type,
                None => self.notes.push(format!(
                    "the workflow type {} is not STANDARD or EXPRESS; STANDARD assumed",
                    setting_text(value)
                )),
            }
        }
        if let Some(logging) = self
            .property("Logging", "LoggingConfiguration")
            .and_then(Value::as_object)
        {
            settings.logging = self.logging(logging);
        }
        settings.tracing = self
            .property("Tracing", "TracingConfiguration")
            .and_then(|t| t.get("Enabled"))
            .is_some_and(is_true);
        settings.tags = match self.property("Tags", "Tags") {
            Some(Value::Object(tags)) => tags
                .iter()
                .map(|(k, v)| (k.clone(), setting_text(v)))
                .collect(),
            Some(Value::Array(tags)) => tags
                .iter()
                .filter_map(|tag| {
                    let key = tag.get("Key")?.as_str()?;
                    Some((key.to_string(), setting_text(tag.get("Value")?)))
                })
                .collect(),
            _ => BTreeMap::new(),
        };
        if let Some(Value::Object(subs)) = self.properties.get("DefinitionSubstitutions") {
            settings.definition_substitutions = subs
                .iter()
                .map(|(k, v)| (k.clone(), setting_text(v)))
                .collect();
        }
        settings
    }

    fn logging(&mut self, logging: &Map<String, Value>) -> LoggingSettings {
        let mut out = LoggingSettings::default();
        if let Some(level) = logging.get("Level") {
            match level.as_str().and_then(LogLevel::parse) {
                Some(parsed) => out.level = parsed,
                None => self.notes.push(format!(
                    "the log level {} is not OFF, ALL, ERROR or FATAL; OFF assumed",
                    setting_text(level)
                )),
            }
        }
        out.include_execution_data = logging.get("IncludeExecutionData").is_some_and(is_true);
        out.log_group_arn = logging
            .get("Destinations")
            .and_then(Value::as_array)
            .and_then(|d| d.first())
            .and_then(|d| d.get("CloudWatchLogsLogGroup"))
            .and_then(|g| g.get("LogGroupArn"))
            .and_then(|arn| self.unless_generated(arn));
        out
    }

    /// The settings text of a reference, or None when it points at a resource the export
    /// generated (the settings then ask for that resource again).
    fn unless_generated(&self, value: &Value) -> Option<String> {
        let text = setting_text(value);
        let target = text
            .strip_prefix("${")
            .and_then(|rest| rest.strip_suffix(".Arn}"));
        let generated = target
            .and_then(|id| self.resources.get(id))
            .and_then(|r| r.get("Metadata"))
            .and_then(|m| m.get("GeneratedBy"))
            .and_then(Value::as_str)
            == Some(GENERATED_BY);
        (!generated).then_some(text)
    }

    fn definition(&mut self, machine: &mut FoundStateMachine, template_dir: Option<&Path>) {
        if let Some(inline) = self.properties.get("Definition") {
            let mut definition = inline.clone();
            self.replace_expressions(&mut definition, "Value", 0);
            machine.definition = Some(definition);
            return;
        }
        if self.kind == StateMachineKind::CloudFormation
            && let Some(string) = self.properties.get("DefinitionString")
        {
            machine.definition = self.definition_string(string);
            return;
        }
        let Some(location) = self.property("DefinitionUri", "DefinitionS3Location") else {
            self.notes
                .push("the state machine has no definition".into());
            return;
        };
        let uri = match location {
            Value::String(uri) => uri.clone(),
            Value::Object(object) if !is_intrinsic(location) => {
                let part = |key: &str| object.get(key).map(setting_text).unwrap_or_default();
                format!("s3://{}/{}", part("Bucket"), part("Key"))
            }
            other => setting_text(other),
        };
        machine.definition_uri = Some(uri.clone());
        if uri.starts_with("s3://") || uri.contains("${") || uri.starts_with('{') {
            self.notes.push(format!(
                "the definition is in {uri}, which is not a local file"
            ));
            return;
        }
        let Some(dir) = template_dir else {
            self.notes.push(format!(
                "the definition is in {uri}; give the template's folder to read it"
            ));
            return;
        };
        let path = dir.join(&uri);
        match std::fs::read_to_string(&path) {
            Ok(text) => match Document::parse(text, Format::from_path(&path)) {
                Ok(document) => {
                    machine.definition = Some(document.value().clone());
                    machine.definition_path = Some(path);
                }
                Err(error) => self
                    .notes
                    .push(format!("{} cannot be read: {error}", path.display())),
            },
            Err(error) => self
                .notes
                .push(format!("{} cannot be read: {error}", path.display())),
        }
    }

    /// `DefinitionString`: JSON text, possibly built by `!Sub` or `!Join`.
    fn definition_string(&mut self, value: &Value) -> Option<Value> {
        let text = match value {
            Value::String(text) => text.clone(),
            Value::Object(object) if is_intrinsic(value) => {
                let (function, argument) = object.iter().next()?;
                match function.as_str() {
                    "Fn::Sub" => self.sub_text(argument)?,
                    "Fn::Join" => self.join_text(argument)?,
                    other => {
                        self.notes.push(format!(
                            "DefinitionString is built with {other}, which ASL Studio cannot read"
                        ));
                        return None;
                    }
                }
            }
            _ => {
                self.notes
                    .push("DefinitionString is not a string".to_string());
                return None;
            }
        };
        match Document::parse(text, Format::Json) {
            Ok(document) => Some(document.value().clone()),
            Err(error) => {
                self.notes.push(format!(
                    "DefinitionString is not JSON (before deployment substitutes it): {error}"
                ));
                None
            }
        }
    }

    /// The text of a `!Sub`, its variables and template references turned into placeholders
    /// with substitutions.
    fn sub_text(&mut self, argument: &Value) -> Option<String> {
        let (text, variables) = match argument {
            Value::String(text) => (text.clone(), None),
            Value::Array(parts) => match parts.as_slice() {
                [Value::String(text)] => (text.clone(), None),
                [Value::String(text), Value::Object(variables)] => (text.clone(), Some(variables)),
                _ => {
                    self.notes
                        .push("DefinitionString has a malformed Fn::Sub".to_string());
                    return None;
                }
            },
            _ => {
                self.notes
                    .push("DefinitionString has a malformed Fn::Sub".to_string());
                return None;
            }
        };
        let mut out = text.clone();
        for name in placeholders(&text) {
            let value = match variables.and_then(|v| v.get(&name)) {
                Some(variable) => setting_text(variable),
                None => format!("${{{name}}}"),
            };
            let placeholder = self.placeholder_for(&name, value);
            out = out.replace(&format!("${{{name}}}"), &placeholder);
        }
        // `${!Literal}` deploys as `${Literal}`.
        Some(out.replace("${!", "${"))
    }

    fn join_text(&mut self, argument: &Value) -> Option<String> {
        let parts = argument.as_array().map(Vec::as_slice);
        let Some([Value::String(delimiter), Value::Array(items)]) = parts else {
            self.notes
                .push("DefinitionString has a malformed Fn::Join".to_string());
            return None;
        };
        let mut pieces = Vec::new();
        for item in items {
            match item {
                Value::String(text) => pieces.push(text.clone()),
                other => {
                    let mut value = other.clone();
                    self.replace_expressions(&mut value, "Value", 0);
                    match value {
                        Value::String(text) => pieces.push(text),
                        _ => pieces.push(value.to_string()),
                    }
                }
            }
        }
        Some(pieces.join(delimiter))
    }

    /// Replaces every CloudFormation expression inside a definition by a `${Name}` placeholder.
    fn replace_expressions(&mut self, value: &mut Value, key: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        if is_intrinsic(value) {
            let text = setting_text(value);
            let base = reference_name(value).unwrap_or_else(|| pascal(key.trim_end_matches(".$")));
            let base = if base.is_empty() {
                "Value".to_string()
            } else {
                base
            };
            self.notes.push(format!(
                "{key}: the template expression {text} became a placeholder"
            ));
            *value = Value::String(self.placeholder_for(&base, text));
            return;
        }
        match value {
            Value::Array(items) => items
                .iter_mut()
                .for_each(|item| self.replace_expressions(item, key, depth + 1)),
            Value::Object(object) => {
                for (member_key, member) in object.iter_mut() {
                    self.replace_expressions(member, member_key, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// `${Name}` for a substitution holding `value`: reuses a substitution with that value,
    /// keeps `wanted` when it is a valid unused name, otherwise a variant of it.
    fn placeholder_for(&mut self, wanted: &str, value: String) -> String {
        let declared = match self.properties.get("DefinitionSubstitutions") {
            Some(Value::Object(subs)) => subs.clone(),
            _ => Map::new(),
        };
        let same_value = declared
            .iter()
            .map(|(k, v)| (k.clone(), setting_text(v)))
            .chain(self.extra_substitutions.clone())
            .find(|(_, v)| *v == value)
            .map(|(k, _)| k);
        if let Some(name) = same_value {
            return format!("${{{name}}}");
        }
        let base = if wanted.chars().all(|c| c.is_ascii_alphanumeric()) && !wanted.is_empty() {
            wanted.to_string()
        } else {
            pascal(wanted)
        };
        let mut name = base.clone();
        let mut n = 2;
        while declared.contains_key(&name) || self.extra_substitutions.contains_key(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.extra_substitutions.insert(name.clone(), value);
        format!("${{{name}}}")
    }
}

/// `!Ref Orders` → `Orders`, `!GetAtt Fn.Arn` → `FnArn`.
fn reference_name(value: &Value) -> Option<String> {
    let (function, argument) = value.as_object()?.iter().next()?;
    match (function.as_str(), argument) {
        ("Ref", Value::String(name)) => Some(pascal(name)),
        ("Fn::GetAtt", Value::Array(parts)) => {
            let words: Vec<&str> = parts.iter().filter_map(Value::as_str).collect();
            Some(pascal(&words.join(" ")))
        }
        ("Fn::GetAtt", Value::String(path)) => Some(pascal(path)),
        _ => None,
    }
}

/// `true`, or the string "true" (templates sometimes quote booleans).
fn is_true(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::String(s) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

#[cfg(test)]
#[path = "import_tests.rs"]
mod tests;
