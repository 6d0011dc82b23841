//! Value checks shared by states, Retry / Catch, and Choice rules.

use super::expressions::{PathKind, is_jsonata};
use super::{Anchor, Code, Validator};
use crate::asl::document::pointer;
use crate::asl::model::QueryLanguage;
use serde_json::{Map as JsonMap, Value};

/// Error names Step Functions itself raises (`States.*`).
const STATES_ERRORS: &[&str] = &[
    "States.ALL",
    "States.DataLimitExceeded",
    "States.ExceedToleratedFailureThreshold",
    "States.HeartbeatTimeout",
    "States.Http.Socket",
    "States.IntrinsicFailure",
    "States.ItemReaderFailed",
    "States.NoChoiceMatched",
    "States.ParameterPathFailure",
    "States.Permissions",
    "States.QueryEvaluationError",
    "States.ResultPathMatchFailure",
    "States.ResultWriterFailed",
    "States.Runtime",
    "States.TaskFailed",
    "States.Timeout",
    "States.BranchFailed",
];

impl Validator<'_> {
    pub(super) fn expect_string(&mut self, value: &Value, at: &str, field: &str) {
        if !value.is_string() {
            self.error(
                at,
                Anchor::Value,
                Code::WrongType,
                format!("{field} must be a string"),
            );
        }
    }

    pub(super) fn expect_integer_in(
        &mut self,
        value: &Value,
        at: &str,
        field: &str,
        min: i64,
        max: i64,
    ) {
        if let Some(placeholder) = value.as_str().filter(|s| is_placeholder(s)) {
            self.report(
                at,
                Anchor::Value,
                super::Severity::Information,
                Code::Placeholder,
                format!(
                    "{field} is {placeholder}, filled in at deployment from DefinitionSubstitutions"
                ),
            );
            return;
        }
        let number = value.as_f64();
        let integer = value.as_i64().or_else(|| {
            number
                .filter(|n| n.fract() == 0.0 && n.abs() < 9.0e15)
                .map(|n| n as i64)
        });
        match integer {
            Some(n) if (min..=max).contains(&n) => {}
            Some(n) => self.error(
                at,
                Anchor::Value,
                Code::OutOfRange,
                format!("{field} must be between {min} and {max}, not {n}"),
            ),
            None if number.is_some() => self.error(
                at,
                Anchor::Value,
                Code::WrongType,
                format!("{field} must be a whole number"),
            ),
            None => self.error(
                at,
                Anchor::Value,
                Code::WrongType,
                format!("{field} must be a number"),
            ),
        }
    }

    /// `Field` (a number, or JSONata in JSONata states) and its `FieldPath` variant: at most one.
    pub(super) fn check_static_or_path(
        &mut self,
        object: &JsonMap<String, Value>,
        at: &str,
        field: &str,
        language: QueryLanguage,
        min: i64,
        max: i64,
    ) {
        let path_field = format!("{field}Path");
        if object.contains_key(field) && object.contains_key(&path_field) {
            self.error(
                &pointer::join(at, &path_field),
                Anchor::Key,
                Code::MutuallyExclusive,
                format!("use {field} or {path_field}, not both"),
            );
        }
        if let Some(value) = object.get(field) {
            self.check_number_or_expression(
                value,
                &pointer::join(at, field),
                field,
                language,
                min,
                max,
            );
        }
        if let Some(path) = object.get(&path_field) {
            self.expect_path(
                path,
                &pointer::join(at, &path_field),
                &path_field,
                PathKind::Reference,
            );
        }
    }

    pub(super) fn check_number_or_expression(
        &mut self,
        value: &Value,
        at: &str,
        field: &str,
        language: QueryLanguage,
        min: i64,
        max: i64,
    ) {
        match value {
            Value::String(s) if language == QueryLanguage::Jsonata && is_jsonata(s) => {
                self.check_expressions(value, at, language);
            }
            Value::String(s) if language == QueryLanguage::Jsonata && !is_placeholder(s) => self
                .error(
                    at,
                    Anchor::Value,
                    Code::WrongType,
                    format!("{field} must be a number or a {{% %}} JSONata expression"),
                ),
            _ => self.expect_integer_in(value, at, field, min, max),
        }
    }

    pub(super) fn check_retry_and_catch(
        &mut self,
        object: &JsonMap<String, Value>,
        at: &str,
        language: QueryLanguage,
    ) {
        for (list, is_catch) in [("Retry", false), ("Catch", true)] {
            let list_at = pointer::join(at, list);
            let Some(value) = object.get(list) else {
                continue;
            };
            let Some(entries) = value.as_array() else {
                self.error(
                    &list_at,
                    Anchor::Value,
                    Code::WrongType,
                    format!("{list} must be an array"),
                );
                continue;
            };
            for (i, entry) in entries.iter().enumerate() {
                let entry_at = pointer::join(&list_at, &i.to_string());
                let Some(entry) = entry.as_object() else {
                    self.error(
                        &entry_at,
                        Anchor::Value,
                        Code::WrongType,
                        format!("each {list} entry must be an object"),
                    );
                    continue;
                };
                self.check_error_equals(entry, &entry_at, i + 1 == entries.len(), list);
                if is_catch {
                    self.check_catcher(entry, &entry_at, language);
                } else {
                    self.check_retrier(entry, &entry_at);
                }
            }
        }
    }

    fn check_error_equals(
        &mut self,
        entry: &JsonMap<String, Value>,
        at: &str,
        is_last: bool,
        list: &str,
    ) {
        let field = pointer::join(at, "ErrorEquals");
        let Some(value) = entry.get("ErrorEquals") else {
            self.error(
                at,
                Anchor::Value,
                Code::MissingField,
                format!("each {list} entry needs ErrorEquals"),
            );
            return;
        };
        let Some(names) = value.as_array() else {
            self.error(
                &field,
                Anchor::Value,
                Code::WrongType,
                "ErrorEquals must be an array of error names",
            );
            return;
        };
        if names.is_empty() {
            self.error(
                &field,
                Anchor::Value,
                Code::ErrorEquals,
                "ErrorEquals must name at least one error",
            );
        }
        for (i, name) in names.iter().enumerate() {
            let name_at = pointer::join(&field, &i.to_string());
            let Some(name) = name.as_str() else {
                self.error(
                    &name_at,
                    Anchor::Value,
                    Code::WrongType,
                    "error names must be strings",
                );
                continue;
            };
            if name == "States.ALL" {
                if names.len() > 1 {
                    self.error(
                        &name_at,
                        Anchor::Value,
                        Code::ErrorEquals,
                        "States.ALL must be the only error name in its ErrorEquals",
                    );
                }
                if !is_last {
                    self.error(&name_at, Anchor::Value, Code::ErrorEquals, format!("a {list} entry with States.ALL must be the last one: the entries after it can never match"));
                }
            } else if name.starts_with("States.")
                && !STATES_ERRORS.contains(&name)
                && !self.raised_errors.contains(name)
            {
                self.warning(&name_at, Anchor::Value, Code::UnknownErrorName, format!("neither Step Functions nor a Fail state of this machine raises \"{name}\"; predefined errors are States.ALL, States.TaskFailed, States.Timeout, ..."));
            }
        }
    }

    fn check_retrier(&mut self, entry: &JsonMap<String, Value>, at: &str) {
        self.check_known_fields(
            entry,
            at,
            &[
                "ErrorEquals",
                "IntervalSeconds",
                "MaxAttempts",
                "BackoffRate",
                "MaxDelaySeconds",
                "JitterStrategy",
                "Comment",
            ],
            "a Retry entry",
        );
        if let Some(v) = entry.get("IntervalSeconds") {
            self.expect_integer_in(
                v,
                &pointer::join(at, "IntervalSeconds"),
                "IntervalSeconds",
                1,
                99_999_999,
            );
        }
        if let Some(v) = entry.get("MaxAttempts") {
            self.expect_integer_in(
                v,
                &pointer::join(at, "MaxAttempts"),
                "MaxAttempts",
                0,
                99_999_999,
            );
        }
        if let Some(v) = entry.get("MaxDelaySeconds") {
            self.expect_integer_in(
                v,
                &pointer::join(at, "MaxDelaySeconds"),
                "MaxDelaySeconds",
                1,
                31_622_400,
            );
        }
        if let Some(v) = entry.get("BackoffRate") {
            match v.as_f64() {
                Some(rate) if rate >= 1.0 => {}
                Some(rate) => self.error(
                    &pointer::join(at, "BackoffRate"),
                    Anchor::Value,
                    Code::OutOfRange,
                    format!("BackoffRate must be at least 1.0, not {rate}"),
                ),
                None => self.error(
                    &pointer::join(at, "BackoffRate"),
                    Anchor::Value,
                    Code::WrongType,
                    "BackoffRate must be a number",
                ),
            }
        }
        if let Some(v) = entry.get("JitterStrategy")
            && !matches!(v.as_str(), Some("FULL" | "NONE"))
        {
            self.error(
                &pointer::join(at, "JitterStrategy"),
                Anchor::Value,
                Code::InvalidValue,
                "JitterStrategy must be \"FULL\" or \"NONE\"",
            );
        }
        if let Some(v) = entry.get("Comment") {
            self.expect_string(v, &pointer::join(at, "Comment"), "Comment");
        }
    }

    fn check_catcher(&mut self, entry: &JsonMap<String, Value>, at: &str, language: QueryLanguage) {
        let allowed: &[&str] = match language {
            QueryLanguage::JsonPath => &["ErrorEquals", "Next", "ResultPath", "Assign", "Comment"],
            QueryLanguage::Jsonata => &["ErrorEquals", "Next", "Output", "Assign", "Comment"],
        };
        for key in entry.keys() {
            if !allowed.contains(&key.as_str()) && matches!(key.as_str(), "ResultPath" | "Output") {
                let message = if key == "ResultPath" {
                    "\"ResultPath\" is a JSONPath field, but this state uses JSONata; use \"Output\" with $states.errorOutput"
                } else {
                    "\"Output\" is a JSONata field; this state uses JSONPath (use ResultPath)"
                };
                self.error(
                    &pointer::join(at, key),
                    Anchor::Key,
                    Code::FieldNotAllowed,
                    message,
                );
            }
        }
        let known: Vec<&str> = allowed
            .iter()
            .copied()
            .chain(["ResultPath", "Output"])
            .collect();
        self.check_known_fields(entry, at, &known, "a Catch entry");
        match entry.get("Next") {
            None => self.error(
                at,
                Anchor::Value,
                Code::MissingField,
                "each Catch entry needs Next",
            ),
            Some(Value::String(_)) => {}
            Some(_) => self.error(
                &pointer::join(at, "Next"),
                Anchor::Value,
                Code::WrongType,
                "Next must be the name of a state",
            ),
        }
        match entry.get("ResultPath") {
            Some(Value::String(path)) => self.check_path(
                path,
                &pointer::join(at, "ResultPath"),
                "ResultPath",
                PathKind::ResultPath,
            ),
            Some(Value::Null) | None => {}
            Some(_) => self.error(
                &pointer::join(at, "ResultPath"),
                Anchor::Value,
                Code::WrongType,
                "ResultPath must be a path string or null",
            ),
        }
        if let Some(output) = entry.get("Output") {
            self.check_expressions(output, &pointer::join(at, "Output"), language);
        }
        if let Some(assign) = entry.get("Assign") {
            self.check_assign(assign, &pointer::join(at, "Assign"), language);
        }
    }

    pub(super) fn check_timestamp(&mut self, text: &str, at: &str) {
        if chrono::DateTime::parse_from_rfc3339(text).is_err() {
            self.error(
                at,
                Anchor::Value,
                Code::InvalidTimestamp,
                format!("\"{text}\" is not an ISO-8601 timestamp such as 2024-03-14T01:59:00Z"),
            );
        }
    }

    pub(super) fn check_assign(&mut self, assign: &Value, at: &str, language: QueryLanguage) {
        let Some(object) = assign.as_object() else {
            self.error(
                at,
                Anchor::Value,
                Code::WrongType,
                "Assign must be an object of variable names and values",
            );
            return;
        };
        for key in object.keys() {
            let name = match language {
                QueryLanguage::JsonPath => key.strip_suffix(".$").unwrap_or(key),
                QueryLanguage::Jsonata => key.as_str(),
            };
            if !is_variable_name(name) {
                self.warning(
                    &pointer::join(at, key),
                    Anchor::Key,
                    Code::InvalidName,
                    format!("\"{name}\" cannot be read back as $variable: use letters, digits and _, starting with a letter or _"),
                );
            } else if name == "states" {
                self.error(
                    &pointer::join(at, key),
                    Anchor::Key,
                    Code::InvalidName,
                    "\"states\" is reserved for $states",
                );
            }
        }
        match language {
            QueryLanguage::JsonPath => self.check_payload_template(assign, at, language),
            QueryLanguage::Jsonata => self.check_expressions(assign, at, language),
        }
    }
}

/// A whole-string SAM/CloudFormation substitution such as `${ReminderTimeout}`.
pub(super) fn is_placeholder(text: &str) -> bool {
    text.strip_prefix("${")
        .and_then(|rest| rest.strip_suffix('}'))
        .is_some_and(|name| !name.is_empty() && !name.contains(['{', '}']))
}

/// Variable names: a letter or underscore, then letters, digits or underscores.
pub(super) fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}
