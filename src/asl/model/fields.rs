//! Field readers and the error-handling types (Retry, Catch) shared by several states.

use serde_json::{Map as JsonMap, Number, Value};

/// Fields any state may carry (the validator decides which are allowed where).
pub(super) const COMMON_FIELDS: [&str; 13] = [
    "Type",
    "Comment",
    "QueryLanguage",
    "Next",
    "End",
    "InputPath",
    "OutputPath",
    "ResultPath",
    "Parameters",
    "ResultSelector",
    "Arguments",
    "Output",
    "Assign",
];

pub(super) const ERROR_FIELDS: [&str; 2] = ["Retry", "Catch"];

pub(super) fn string(object: &JsonMap<String, Value>, key: &str) -> Option<String> {
    object.get(key).and_then(Value::as_str).map(str::to_string)
}

/// Absent → None; `null` → Some(None); a string → Some(Some(s)).
pub(super) fn nullable_string(
    object: &JsonMap<String, Value>,
    key: &str,
) -> Option<Option<String>> {
    match object.get(key)? {
        Value::Null => Some(None),
        Value::String(s) => Some(Some(s.clone())),
        _ => None,
    }
}

pub(super) fn string_list(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// A number that may instead come from a JSONPath (`...Path` field) or a JSONata expression.
#[derive(Debug, Clone, PartialEq)]
pub enum NumberField {
    Number(Number),
    /// From the `<Field>Path` variant (a reference path into the input).
    Path(String),
    /// A `{% %}` string in the field itself (JSONata states).
    Jsonata(String),
}

/// Reads `field` / `field_path` (e.g. `TimeoutSeconds` / `TimeoutSecondsPath`).
pub(super) fn number_field(
    object: &JsonMap<String, Value>,
    field: &str,
    path_field: &str,
) -> Option<NumberField> {
    match object.get(field) {
        Some(Value::Number(n)) => return Some(NumberField::Number(n.clone())),
        Some(Value::String(s)) => return Some(NumberField::Jsonata(s.clone())),
        _ => {}
    }
    string(object, path_field).map(NumberField::Path)
}

/// `JitterStrategy` of a retrier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JitterStrategy {
    #[default]
    None,
    Full,
}

/// One `Retry` entry, with AWS's defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Retrier {
    pub error_equals: Vec<String>,
    pub interval_seconds: u64,
    pub max_attempts: u64,
    pub backoff_rate: f64,
    pub max_delay_seconds: Option<u64>,
    pub jitter_strategy: JitterStrategy,
    pub comment: Option<String>,
}

impl Retrier {
    pub fn from_value(value: &Value) -> Retrier {
        let empty = JsonMap::new();
        let object = value.as_object().unwrap_or(&empty);
        Retrier {
            error_equals: string_list(object.get("ErrorEquals")),
            interval_seconds: object
                .get("IntervalSeconds")
                .and_then(Value::as_u64)
                .unwrap_or(1),
            max_attempts: object
                .get("MaxAttempts")
                .and_then(Value::as_u64)
                .unwrap_or(3),
            backoff_rate: object
                .get("BackoffRate")
                .and_then(Value::as_f64)
                .unwrap_or(2.0),
            max_delay_seconds: object.get("MaxDelaySeconds").and_then(Value::as_u64),
            jitter_strategy: match object.get("JitterStrategy").and_then(Value::as_str) {
                Some("FULL") => JitterStrategy::Full,
                _ => JitterStrategy::None,
            },
            comment: string(object, "Comment"),
        }
    }
}

/// One `Catch` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Catcher {
    pub error_equals: Vec<String>,
    pub next: Option<String>,
    /// `Some(None)` is `ResultPath: null`.
    pub result_path: Option<Option<String>>,
    pub output: Option<Value>,
    pub assign: Option<Value>,
    pub comment: Option<String>,
}

impl Catcher {
    pub fn from_value(value: &Value) -> Catcher {
        let empty = JsonMap::new();
        let object = value.as_object().unwrap_or(&empty);
        Catcher {
            error_equals: string_list(object.get("ErrorEquals")),
            next: string(object, "Next"),
            result_path: nullable_string(object, "ResultPath"),
            output: object.get("Output").cloned(),
            assign: object.get("Assign").cloned(),
            comment: string(object, "Comment"),
        }
    }
}

pub(super) fn retriers(object: &JsonMap<String, Value>) -> Vec<Retrier> {
    object
        .get("Retry")
        .and_then(Value::as_array)
        .map(|items| items.iter().map(Retrier::from_value).collect())
        .unwrap_or_default()
}

pub(super) fn catchers(object: &JsonMap<String, Value>) -> Vec<Catcher> {
    object
        .get("Catch")
        .and_then(Value::as_array)
        .map(|items| items.iter().map(Catcher::from_value).collect())
        .unwrap_or_default()
}
