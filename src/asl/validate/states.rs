//! State-level checks: type, fields per type and language, transitions, type-specific rules.

use super::machine::Level;
use super::schema::{self, FieldStatus, Lang};
use super::{Anchor, Code, Validator};
use crate::asl::document::pointer;
use crate::asl::model::{QueryLanguage, StateType};
use serde_json::{Map as JsonMap, Value};

impl Validator<'_> {
    pub(super) fn check_state(&mut self, name: &str, state: &Value, at: &str) {
        let Some(object) = state.as_object() else {
            self.error(
                at,
                Anchor::Value,
                Code::WrongType,
                format!("the state \"{name}\" must be a JSON object"),
            );
            return;
        };
        let state_type = match object.get("Type") {
            None => {
                self.error(
                    at,
                    Anchor::Key,
                    Code::MissingField,
                    format!("the state \"{name}\" has no Type"),
                );
                return;
            }
            Some(Value::String(t)) => match StateType::parse(t) {
                Some(state_type) => state_type,
                None => {
                    self.error(
                        &pointer::join(at, "Type"),
                        Anchor::Value,
                        Code::UnknownStateType,
                        format!("\"{t}\" is not a state type (Pass, Task, Choice, Wait, Succeed, Fail, Parallel or Map)"),
                    );
                    return;
                }
            },
            Some(_) => {
                self.error(
                    &pointer::join(at, "Type"),
                    Anchor::Value,
                    Code::WrongType,
                    "Type must be a string",
                );
                return;
            }
        };
        let language = self.state_language(object, at);
        self.check_state_fields(object, at, state_type, language);
        self.check_transition(object, at, state_type);
        if let Some(comment) = object.get("Comment") {
            self.expect_string(comment, &pointer::join(at, "Comment"), "Comment");
        }
        self.check_data_flow(object, at, language);
        match state_type {
            StateType::Pass | StateType::Succeed => {}
            StateType::Task => self.check_task(object, at, language),
            StateType::Choice => self.check_choice(object, at, language),
            StateType::Wait => self.check_wait(object, at, language),
            StateType::Fail => self.check_fail(object, at, language),
            StateType::Parallel => self.check_parallel(object, at),
            StateType::Map => self.check_map(object, at, language),
        }
        if matches!(
            state_type,
            StateType::Task | StateType::Parallel | StateType::Map
        ) {
            self.check_retry_and_catch(object, at, language);
        }
    }

    /// The state's own language, else the top level's (nested states do not inherit from their
    /// Map or Parallel: AWS accepts a JSONPath state inside a JSONata Map of a JSONPath machine).
    fn state_language(&mut self, object: &JsonMap<String, Value>, at: &str) -> QueryLanguage {
        let Some(declared) = object.get("QueryLanguage") else {
            return self.top_language;
        };
        let field = pointer::join(at, "QueryLanguage");
        self.check_query_language_value(declared, &field);
        match declared.as_str().and_then(QueryLanguage::parse) {
            Some(QueryLanguage::JsonPath) if self.top_language == QueryLanguage::Jsonata => {
                self.error(
                    &field,
                    Anchor::Value,
                    Code::QueryLanguageDowngrade,
                    "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
                );
                QueryLanguage::JsonPath
            }
            Some(language) => language,
            None => self.top_language,
        }
    }

    fn check_state_fields(
        &mut self,
        object: &JsonMap<String, Value>,
        at: &str,
        state_type: StateType,
        language: QueryLanguage,
    ) {
        let type_name = state_type.as_str();
        for key in object.keys() {
            let field = pointer::join(at, key);
            match schema::field_status(key, state_type, language) {
                FieldStatus::Allowed => {}
                FieldStatus::Unknown => {
                    let hint = schema::suggest(key, &schema::all_state_fields())
                        .map(|s| format!(" (did you mean \"{s}\"?)"))
                        .unwrap_or_default();
                    self.error(
                        &field,
                        Anchor::Key,
                        Code::UnknownField,
                        format!("\"{key}\" is not a field of a {type_name} state{hint}"),
                    );
                }
                FieldStatus::WrongStateType => {
                    let why = match key.as_str() {
                        "Next" | "End" => format!(
                            "a {type_name} state decides where the execution goes itself; it cannot have \"{key}\""
                        ),
                        _ => format!("\"{key}\" is not allowed in a {type_name} state"),
                    };
                    self.error(&field, Anchor::Key, Code::FieldNotAllowed, why);
                }
                FieldStatus::WrongLanguage(Lang::JsonPathOnly) => {
                    let instead = schema::jsonata_equivalent(key)
                        .map(|s| format!("; use \"{s}\" with a {{% %}} expression instead"))
                        .unwrap_or_default();
                    self.error(
                        &field,
                        Anchor::Key,
                        Code::FieldNotAllowed,
                        format!(
                            "\"{key}\" is a JSONPath field, but this state uses JSONata{instead}"
                        ),
                    );
                }
                FieldStatus::WrongLanguage(_) => {
                    self.error(
                        &field,
                        Anchor::Key,
                        Code::FieldNotAllowed,
                        format!("\"{key}\" is a JSONata field; set \"QueryLanguage\": \"JSONata\" on the state or the state machine to use it"),
                    );
                }
            }
        }
    }

    fn check_transition(
        &mut self,
        object: &JsonMap<String, Value>,
        at: &str,
        state_type: StateType,
    ) {
        let flows = matches!(
            state_type,
            StateType::Pass
                | StateType::Task
                | StateType::Wait
                | StateType::Parallel
                | StateType::Map
        );
        if !flows {
            return;
        }
        let next = object.get("Next");
        let end = object.get("End");
        if let Some(next) = next
            && !next.is_string()
        {
            self.error(
                &pointer::join(at, "Next"),
                Anchor::Value,
                Code::WrongType,
                "Next must be the name of a state",
            );
        }
        match end {
            Some(Value::Bool(true)) | None => {}
            Some(Value::Bool(false)) => {
                if next.is_none() {
                    self.error(
                        &pointer::join(at, "End"),
                        Anchor::Value,
                        Code::MissingTransition,
                        "\"End\": false does not end the state; give it a Next, or set End to true",
                    );
                    return;
                }
            }
            Some(_) => self.error(
                &pointer::join(at, "End"),
                Anchor::Value,
                Code::WrongType,
                "End must be true",
            ),
        }
        match (next, end) {
            (Some(_), Some(Value::Bool(true))) => self.error(
                &pointer::join(at, "End"),
                Anchor::Key,
                Code::NextAndEnd,
                "a state cannot have both Next and End",
            ),
            (None, None) => self.error(
                at,
                Anchor::Key,
                Code::MissingTransition,
                format!(
                    "a {} state needs either \"Next\" or \"End\": true",
                    state_type.as_str()
                ),
            ),
            _ => {}
        }
    }

    /// InputPath / OutputPath / ResultPath / Parameters / ResultSelector / Result / Arguments / Output / Assign.
    fn check_data_flow(
        &mut self,
        object: &JsonMap<String, Value>,
        at: &str,
        language: QueryLanguage,
    ) {
        for (field, kind) in [
            ("InputPath", super::expressions::PathKind::Path),
            ("OutputPath", super::expressions::PathKind::Path),
            ("ResultPath", super::expressions::PathKind::ResultPath),
        ] {
            match object.get(field) {
                Some(Value::Null) | None => {}
                Some(Value::String(path)) => {
                    self.check_path(path, &pointer::join(at, field), field, kind)
                }
                Some(_) => self.error(
                    &pointer::join(at, field),
                    Anchor::Value,
                    Code::WrongType,
                    format!("{field} must be a path string or null"),
                ),
            }
        }
        for field in ["Parameters", "ResultSelector"] {
            if let Some(template) = object.get(field) {
                self.check_payload_template(template, &pointer::join(at, field), language);
            }
        }
        for field in ["Arguments", "Output"] {
            if let Some(value) = object.get(field) {
                self.check_expressions(value, &pointer::join(at, field), language);
            }
        }
        if let Some(value) = object.get("Result") {
            self.check_literal_strings(value, &pointer::join(at, "Result"), language);
        }
        if let Some(assign) = object.get("Assign") {
            self.check_assign(assign, &pointer::join(at, "Assign"), language);
        }
    }

    fn check_task(&mut self, object: &JsonMap<String, Value>, at: &str, language: QueryLanguage) {
        match object.get("Resource") {
            None => self.error(
                at,
                Anchor::Key,
                Code::MissingField,
                "a Task state needs a Resource",
            ),
            Some(Value::String(resource)) => {
                self.check_resource(resource, &pointer::join(at, "Resource"))
            }
            Some(_) => self.error(
                &pointer::join(at, "Resource"),
                Anchor::Value,
                Code::WrongType,
                "Resource must be a string (an ARN)",
            ),
        }
        self.check_static_or_path(object, at, "TimeoutSeconds", language, 1, 99_999_999);
        self.check_static_or_path(object, at, "HeartbeatSeconds", language, 1, 99_999_999);
        if let (Some(timeout), Some(heartbeat)) = (
            object.get("TimeoutSeconds").and_then(Value::as_u64),
            object.get("HeartbeatSeconds").and_then(Value::as_u64),
        ) && heartbeat >= timeout
        {
            self.error(
                &pointer::join(at, "HeartbeatSeconds"),
                Anchor::Value,
                Code::OutOfRange,
                format!(
                    "HeartbeatSeconds ({heartbeat}) must be smaller than TimeoutSeconds ({timeout})"
                ),
            );
        }
        if let Some(credentials) = object.get("Credentials") {
            self.check_credentials(credentials, &pointer::join(at, "Credentials"), language);
        }
    }

    fn check_credentials(&mut self, credentials: &Value, at: &str, language: QueryLanguage) {
        let Some(object) = credentials.as_object() else {
            self.error(
                at,
                Anchor::Value,
                Code::WrongType,
                "Credentials must be an object with RoleArn",
            );
            return;
        };
        let allowed: &[&str] = match language {
            QueryLanguage::JsonPath => &["RoleArn", "RoleArn.$"],
            QueryLanguage::Jsonata => &["RoleArn"],
        };
        // AWS documents only RoleArn; linters accept any template, so other keys are warnings.
        for key in object.keys().filter(|k| !allowed.contains(&k.as_str())) {
            self.warning(
                &pointer::join(at, key),
                Anchor::Key,
                Code::UnknownField,
                format!("Credentials takes RoleArn; \"{key}\" is not used by Step Functions"),
            );
        }
        if !allowed.iter().any(|k| object.contains_key(*k)) {
            self.warning(
                at,
                Anchor::Value,
                Code::MissingField,
                "Credentials needs a RoleArn to assume a role",
            );
        }
        match language {
            QueryLanguage::JsonPath => self.check_payload_template(credentials, at, language),
            QueryLanguage::Jsonata => self.check_expressions(credentials, at, language),
        }
    }

    fn check_wait(&mut self, object: &JsonMap<String, Value>, at: &str, language: QueryLanguage) {
        let forms: Vec<&str> = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"]
            .into_iter()
            .filter(|k| object.contains_key(*k))
            .collect();
        match forms.as_slice() {
            [] => self.error(at, Anchor::Key, Code::MissingField, "a Wait state needs exactly one of Seconds, SecondsPath, Timestamp or TimestampPath"),
            [_] => {}
            [_, second, ..] => self.error(
                &pointer::join(at, second),
                Anchor::Key,
                Code::MutuallyExclusive,
                format!("a Wait state takes exactly one of Seconds, SecondsPath, Timestamp or TimestampPath; found {}", forms.join(" and ")),
            ),
        }
        self.check_static_or_path(object, at, "Seconds", language, 0, 99_999_999);
        if let Some(timestamp) = object.get("Timestamp") {
            let field = pointer::join(at, "Timestamp");
            match timestamp {
                Value::String(s)
                    if language == QueryLanguage::Jsonata && super::expressions::is_jsonata(s) =>
                {
                    self.check_expressions(timestamp, &field, language);
                }
                Value::String(s) => self.check_timestamp(s, &field),
                _ => self.error(
                    &field,
                    Anchor::Value,
                    Code::WrongType,
                    "Timestamp must be an ISO-8601 string",
                ),
            }
        }
        if let Some(path) = object.get("TimestampPath") {
            self.expect_path(
                path,
                &pointer::join(at, "TimestampPath"),
                "TimestampPath",
                super::expressions::PathKind::Path,
            );
        }
    }

    fn check_fail(&mut self, object: &JsonMap<String, Value>, at: &str, language: QueryLanguage) {
        for (field, path_field) in [("Error", "ErrorPath"), ("Cause", "CausePath")] {
            if object.contains_key(field) && object.contains_key(path_field) {
                self.error(
                    &pointer::join(at, path_field),
                    Anchor::Key,
                    Code::MutuallyExclusive,
                    format!("a Fail state takes {field} or {path_field}, not both"),
                );
            }
            if let Some(value) = object.get(field) {
                let field_at = pointer::join(at, field);
                match value {
                    Value::String(_) => self.check_expressions(value, &field_at, language),
                    _ => self.error(
                        &field_at,
                        Anchor::Value,
                        Code::WrongType,
                        format!("{field} must be a string"),
                    ),
                }
            }
            if let Some(value) = object.get(path_field) {
                self.expect_path(
                    value,
                    &pointer::join(at, path_field),
                    path_field,
                    super::expressions::PathKind::PathOrIntrinsic,
                );
            }
        }
    }

    fn check_parallel(&mut self, object: &JsonMap<String, Value>, at: &str) {
        let branches_at = pointer::join(at, "Branches");
        match object.get("Branches") {
            None => self.error(
                at,
                Anchor::Key,
                Code::MissingField,
                "a Parallel state needs Branches",
            ),
            Some(Value::Array(branches)) if branches.is_empty() => {
                self.error(
                    &branches_at,
                    Anchor::Value,
                    Code::EmptyStates,
                    "a Parallel state needs at least one branch",
                );
            }
            Some(Value::Array(branches)) => {
                for (i, branch) in branches.iter().enumerate() {
                    let branch_at = pointer::join(&branches_at, &i.to_string());
                    match branch.as_object() {
                        Some(branch) => self.check_machine(branch, &branch_at, Level::Branch),
                        None => self.error(
                            &branch_at,
                            Anchor::Value,
                            Code::WrongType,
                            "a branch must be an object with StartAt and States",
                        ),
                    }
                }
            }
            Some(_) => self.error(
                &branches_at,
                Anchor::Value,
                Code::WrongType,
                "Branches must be an array of state machines",
            ),
        }
    }
}
