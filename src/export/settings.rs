//! Deployment settings that are not part of the ASL (the Config tab), and their JSON sidecar.
//!
//! The sidecar sits beside the definition: `order.asl.json` → `order.asl.studio.json` (the file
//! name without its last extension, then `.studio.json`), so `order.asl.json` and
//! `order.asl.yaml` share one. Reading is lenient: unknown fields are ignored (and kept on save),
//! missing fields take their defaults, enum values are case-insensitive, empty strings mean "not
//! set". Writing is stable: console-style JSON, fixed key order, trailing newline.

use super::ExportError;
use super::atomic::atomic_write;
use crate::asl::document::to_json_pretty;
use crate::asl::validate::WorkflowType;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What follows the definition's name (minus its last extension) in the sidecar's file name.
pub const SIDECAR_SUFFIX: &str = ".studio.json";

/// The top-level keys this version writes; others found in an existing sidecar are kept.
const KNOWN_KEYS: &[&str] = &[
    "name",
    "type",
    "roleArn",
    "logging",
    "tracing",
    "tags",
    "definitionSubstitutions",
    "debug",
];

/// CloudWatch Logs level of a state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LogLevel {
    #[default]
    Off,
    All,
    Error,
    Fatal,
}

impl LogLevel {
    pub const ALL: [LogLevel; 4] = [
        LogLevel::Off,
        LogLevel::All,
        LogLevel::Error,
        LogLevel::Fatal,
    ];

    /// The CloudFormation spelling: OFF, ALL, ERROR, FATAL.
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Off => "OFF",
            LogLevel::All => "ALL",
            LogLevel::Error => "ERROR",
            LogLevel::Fatal => "FATAL",
        }
    }

    /// Case-insensitive.
    pub fn parse(text: &str) -> Option<LogLevel> {
        LogLevel::ALL
            .into_iter()
            .find(|level| level.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LoggingSettings {
    pub level: LogLevel,
    pub include_execution_data: bool,
    /// None: the SAM / CloudFormation export creates a log group when the level is not Off.
    pub log_group_arn: Option<String>,
}

/// Everything the Config tab edits. String values may be CloudFormation expressions written as
/// `Fn::Sub` text (`${MyFunction.Arn}`); see `export::intrinsic` for the convention.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeploymentSettings {
    pub name: Option<String>,
    pub workflow_type: WorkflowType,
    pub role_arn: Option<String>,
    pub logging: LoggingSettings,
    /// AWS X-Ray tracing.
    pub tracing: bool,
    pub tags: BTreeMap<String, String>,
    pub definition_substitutions: BTreeMap<String, String>,
    /// The debugger's breakpoints on this file (not deployed; kept with the file).
    pub breakpoints: BreakpointSettings,
}

/// The breakpoints of a file, as its sidecar keeps them (`"debug"`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BreakpointSettings {
    /// (state, condition, enabled)
    pub states: Vec<(String, Option<String>, bool)>,
    /// "never", "any" or "uncaught".
    pub break_on_error: String,
}

impl BreakpointSettings {
    pub fn is_empty(&self) -> bool {
        self.states.is_empty() && matches!(self.break_on_error.as_str(), "" | "never")
    }

    fn read(value: &Value) -> BreakpointSettings {
        let states = value
            .get("breakpoints")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|b| {
                        let state = b.get("state")?.as_str()?.to_string();
                        let condition = b
                            .get("condition")
                            .and_then(Value::as_str)
                            .filter(|c| !c.trim().is_empty())
                            .map(str::to_string);
                        let enabled = b.get("enabled").and_then(Value::as_bool).unwrap_or(true);
                        Some((state, condition, enabled))
                    })
                    .collect()
            })
            .unwrap_or_default();
        BreakpointSettings {
            states,
            break_on_error: value
                .get("breakOnError")
                .and_then(Value::as_str)
                .unwrap_or("never")
                .to_string(),
        }
    }

    fn write(&self) -> Value {
        let list = self
            .states
            .iter()
            .map(|(state, condition, enabled)| {
                let mut b = Map::new();
                b.insert("state".into(), state.clone().into());
                if let Some(condition) = condition {
                    b.insert("condition".into(), condition.clone().into());
                }
                b.insert("enabled".into(), (*enabled).into());
                Value::Object(b)
            })
            .collect();
        let mut out = Map::new();
        out.insert("breakpoints".into(), Value::Array(list));
        let on_error = if self.break_on_error.is_empty() {
            "never"
        } else {
            &self.break_on_error
        };
        out.insert("breakOnError".into(), on_error.into());
        Value::Object(out)
    }
}

/// Why settings text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("not valid JSON: {0}")]
    Syntax(String),
    #[error("the settings must be a JSON object")]
    NotAnObject,
    #[error("\"{field}\": {message}")]
    Field { field: String, message: String },
}

/// STANDARD or EXPRESS, as CloudFormation spells them.
pub fn workflow_type_name(workflow_type: WorkflowType) -> &'static str {
    match workflow_type {
        WorkflowType::Standard => "STANDARD",
        WorkflowType::Express => "EXPRESS",
    }
}

/// Case-insensitive STANDARD / EXPRESS.
pub fn parse_workflow_type(text: &str) -> Option<WorkflowType> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("STANDARD") {
        Some(WorkflowType::Standard)
    } else if text.eq_ignore_ascii_case("EXPRESS") {
        Some(WorkflowType::Express)
    } else {
        None
    }
}

impl DeploymentSettings {
    /// `dir/order.asl.json` → `dir/order.asl.studio.json`; `flow.yaml` → `flow.studio.json`.
    pub fn sidecar_path(definition: &Path) -> PathBuf {
        let stem = definition
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        definition.with_file_name(format!("{stem}{SIDECAR_SUFFIX}"))
    }

    /// The sidecar of `definition`, or None when there is none.
    pub fn load(definition: &Path) -> Result<Option<Self>, ExportError> {
        let path = Self::sidecar_path(definition);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(ExportError::Io { path, source }),
        };
        Self::from_json(&text)
            .map(Some)
            .map_err(|source| ExportError::Settings { path, source })
    }

    /// Writes the sidecar atomically, keeping fields of an existing sidecar that this version
    /// does not know (a newer ASL Studio may have written them).
    pub fn save(&self, definition: &Path) -> Result<(), ExportError> {
        let path = Self::sidecar_path(definition);
        let previous = std::fs::read_to_string(&path)
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok());
        let text = self.to_json_keeping(previous.as_ref());
        atomic_write(&path, text.as_bytes()).map_err(|source| ExportError::Io { path, source })
    }

    /// Reads sidecar text leniently (see the module documentation).
    pub fn from_json(text: &str) -> Result<Self, SettingsError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| SettingsError::Syntax(e.to_string()))?;
        let Value::Object(object) = value else {
            return Err(SettingsError::NotAnObject);
        };
        let mut settings = DeploymentSettings {
            name: optional_string(&object, "name")?,
            role_arn: optional_string(&object, "roleArn")?,
            tags: string_map(&object, "tags")?,
            definition_substitutions: string_map(&object, "definitionSubstitutions")?,
            ..Default::default()
        };
        if let Some(text) = optional_string(&object, "type")? {
            settings.workflow_type = parse_workflow_type(&text).ok_or_else(|| {
                field_error("type", format!("\"{text}\" is not STANDARD or EXPRESS"))
            })?;
        }
        settings.tracing = optional_bool(&object, "tracing")?.unwrap_or(false);
        if let Some(debug) = object.get("debug") {
            settings.breakpoints = BreakpointSettings::read(debug);
        }
        match object.get("logging") {
            None | Some(Value::Null) => {}
            Some(Value::Object(logging)) => settings.logging = read_logging(logging)?,
            Some(_) => return Err(field_error("logging", "must be an object")),
        }
        Ok(settings)
    }

    /// The sidecar text: console-style JSON with a fixed key order and a trailing newline.
    pub fn to_json(&self) -> String {
        self.to_json_keeping(None)
    }

    fn to_json_keeping(&self, previous: Option<&Value>) -> String {
        let mut out = Map::new();
        if let Some(name) = non_empty(&self.name) {
            out.insert("name".into(), name.into());
        }
        out.insert("type".into(), workflow_type_name(self.workflow_type).into());
        if let Some(role) = non_empty(&self.role_arn) {
            out.insert("roleArn".into(), role.into());
        }
        let mut logging = Map::new();
        logging.insert("level".into(), self.logging.level.as_str().into());
        logging.insert(
            "includeExecutionData".into(),
            self.logging.include_execution_data.into(),
        );
        if let Some(group) = non_empty(&self.logging.log_group_arn) {
            logging.insert("logGroupArn".into(), group.into());
        }
        out.insert("logging".into(), Value::Object(logging));
        out.insert("tracing".into(), self.tracing.into());
        out.insert("tags".into(), map_value(&self.tags));
        out.insert(
            "definitionSubstitutions".into(),
            map_value(&self.definition_substitutions),
        );
        if !self.breakpoints.is_empty() {
            out.insert("debug".into(), self.breakpoints.write());
        }
        if let Some(Value::Object(previous)) = previous {
            for (key, value) in previous {
                if !KNOWN_KEYS.contains(&key.as_str()) {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        let mut text = to_json_pretty(&Value::Object(out), "  ");
        text.push('\n');
        text
    }
}

/// The value when it is set to something other than blanks.
pub(super) fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|s| !s.trim().is_empty())
}

fn field_error(field: &str, message: impl Into<String>) -> SettingsError {
    SettingsError::Field {
        field: field.to_string(),
        message: message.into(),
    }
}

fn read_logging(logging: &Map<String, Value>) -> Result<LoggingSettings, SettingsError> {
    let mut out = LoggingSettings::default();
    if let Some(text) = optional_string(logging, "level")? {
        out.level = LogLevel::parse(&text).ok_or_else(|| {
            field_error(
                "logging.level",
                format!("\"{text}\" is not OFF, ALL, ERROR or FATAL"),
            )
        })?;
    }
    out.include_execution_data = optional_bool(logging, "includeExecutionData")?.unwrap_or(false);
    out.log_group_arn = optional_string(logging, "logGroupArn")?;
    Ok(out)
}

/// A string field; absent, null and blank are None.
fn optional_string(
    object: &Map<String, Value>,
    key: &str,
) -> Result<Option<String>, SettingsError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(field_error(key, "must be a string")),
    }
}

fn optional_bool(object: &Map<String, Value>, key: &str) -> Result<Option<bool>, SettingsError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(field_error(key, "must be true or false")),
    }
}

/// An object of strings; numbers and booleans are accepted and kept as their text.
fn string_map(
    object: &Map<String, Value>,
    key: &str,
) -> Result<BTreeMap<String, String>, SettingsError> {
    let entries = match object.get(key) {
        None | Some(Value::Null) => return Ok(BTreeMap::new()),
        Some(Value::Object(entries)) => entries,
        Some(_) => return Err(field_error(key, "must be an object of strings")),
    };
    entries
        .iter()
        .map(|(name, value)| {
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => {
                    return Err(field_error(&format!("{key}.{name}"), "must be a string"));
                }
            };
            Ok((name.clone(), text))
        })
        .collect()
}

fn map_value(map: &BTreeMap<String, String>) -> Value {
    Value::Object(
        map.iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> DeploymentSettings {
        DeploymentSettings {
            name: Some("OrderProcessing".into()),
            workflow_type: WorkflowType::Express,
            role_arn: Some("${OrderRole.Arn}".into()),
            logging: LoggingSettings {
                level: LogLevel::Error,
                include_execution_data: true,
                log_group_arn: Some(
                    "arn:aws:logs:us-east-1:123456789012:log-group:orders:*".into(),
                ),
            },
            tracing: true,
            tags: BTreeMap::from([("team".into(), "payments".into())]),
            definition_substitutions: BTreeMap::from([("TableName".into(), "Orders".into())]),
            breakpoints: Default::default(),
        }
    }

    #[test]
    fn names_the_sidecar_after_the_definition() {
        assert_eq!(
            DeploymentSettings::sidecar_path(Path::new("/w/order.asl.json")),
            PathBuf::from("/w/order.asl.studio.json")
        );
        assert_eq!(
            DeploymentSettings::sidecar_path(Path::new("/w/order.asl.yaml")),
            PathBuf::from("/w/order.asl.studio.json")
        );
        assert_eq!(
            DeploymentSettings::sidecar_path(Path::new("flow.json")),
            PathBuf::from("flow.studio.json")
        );
    }

    #[test]
    fn writes_a_stable_pretty_text_and_reads_it_back() {
        let settings = sample();
        let text = settings.to_json();
        assert!(text.starts_with("{\n  \"name\": \"OrderProcessing\",\n  \"type\": \"EXPRESS\","));
        assert!(text.ends_with("}\n"));
        assert_eq!(DeploymentSettings::from_json(&text).unwrap(), settings);
        assert_eq!(
            DeploymentSettings::from_json(&text).unwrap().to_json(),
            text
        );
        let defaults = DeploymentSettings::default().to_json();
        assert_eq!(
            defaults,
            "{\n  \"type\": \"STANDARD\",\n  \"logging\": {\n    \"level\": \"OFF\",\n    \"includeExecutionData\": false\n  },\n  \"tracing\": false,\n  \"tags\": {},\n  \"definitionSubstitutions\": {}\n}\n"
        );
    }

    #[test]
    fn reads_leniently() {
        let settings = DeploymentSettings::from_json(
            r#"{"type": "express", "future": 1, "name": "", "tags": {"n": 3, "b": true},
                "logging": {"level": "all"}, "roleArn": null}"#,
        )
        .unwrap();
        assert_eq!(settings.workflow_type, WorkflowType::Express);
        assert_eq!(settings.name, None);
        assert_eq!(settings.role_arn, None);
        assert_eq!(settings.logging.level, LogLevel::All);
        assert_eq!(settings.tags["n"], "3");
        assert_eq!(settings.tags["b"], "true");
        assert_eq!(
            DeploymentSettings::from_json("{}").unwrap(),
            DeploymentSettings::default()
        );
    }

    #[test]
    fn reports_clear_errors() {
        let syntax = DeploymentSettings::from_json("{\"type\": ").unwrap_err();
        assert!(
            matches!(syntax, SettingsError::Syntax(ref m) if m.contains("line 1")),
            "{syntax}"
        );
        assert_eq!(
            DeploymentSettings::from_json("[]").unwrap_err(),
            SettingsError::NotAnObject
        );
        let bad_type = DeploymentSettings::from_json(r#"{"type": "FAST"}"#).unwrap_err();
        assert_eq!(
            bad_type.to_string(),
            "\"type\": \"FAST\" is not STANDARD or EXPRESS"
        );
        let bad_level =
            DeploymentSettings::from_json(r#"{"logging": {"level": "LOUD"}}"#).unwrap_err();
        assert!(bad_level.to_string().starts_with("\"logging.level\""));
        let bad_tag = DeploymentSettings::from_json(r#"{"tags": {"a": [1]}}"#).unwrap_err();
        assert_eq!(bad_tag.to_string(), "\"tags.a\": must be a string");
        assert!(DeploymentSettings::from_json(r#"{"tracing": "yes"}"#).is_err());
    }

    #[test]
    fn saves_and_loads_beside_the_definition_keeping_unknown_fields() {
        let dir = tempfile::tempdir().unwrap();
        let definition = dir.path().join("order.asl.json");
        assert_eq!(DeploymentSettings::load(&definition).unwrap(), None);
        let sidecar = DeploymentSettings::sidecar_path(&definition);
        std::fs::write(&sidecar, r#"{"type": "STANDARD", "futureField": {"x": 1}}"#).unwrap();
        let settings = sample();
        settings.save(&definition).unwrap();
        assert_eq!(
            DeploymentSettings::load(&definition).unwrap(),
            Some(settings)
        );
        let saved: Value =
            serde_json::from_str(&std::fs::read_to_string(&sidecar).unwrap()).unwrap();
        assert_eq!(saved["futureField"], serde_json::json!({"x": 1}));
    }

    #[test]
    fn load_names_the_file_in_errors() {
        let dir = tempfile::tempdir().unwrap();
        let definition = dir.path().join("bad.asl.json");
        std::fs::write(DeploymentSettings::sidecar_path(&definition), "{oops").unwrap();
        let error = DeploymentSettings::load(&definition).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("bad.asl.studio.json"), "{message}");
        assert!(message.contains("not valid JSON"), "{message}");
    }

    #[test]
    fn parses_enum_spellings() {
        assert_eq!(LogLevel::parse(" fatal "), Some(LogLevel::Fatal));
        assert_eq!(LogLevel::parse("verbose"), None);
        assert_eq!(
            parse_workflow_type("Standard"),
            Some(WorkflowType::Standard)
        );
        assert_eq!(parse_workflow_type("x"), None);
        assert_eq!(workflow_type_name(WorkflowType::Express), "EXPRESS");
    }

    #[test]
    fn breakpoints_are_kept_in_the_sidecar() {
        let mut settings = DeploymentSettings::default();
        assert!(
            !settings.to_json().contains("debug"),
            "nothing written when there are none"
        );
        settings.breakpoints = BreakpointSettings {
            states: vec![
                (
                    "Charge".into(),
                    Some("{% $states.input.amount > 100 %}".into()),
                    true,
                ),
                ("Ship".into(), None, false),
            ],
            break_on_error: "uncaught".into(),
        };
        let text = settings.to_json();
        assert_eq!(DeploymentSettings::from_json(&text), Ok(settings));
    }
}
