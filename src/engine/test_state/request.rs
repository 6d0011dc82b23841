//! A TestState request in the API's JSON shape (`aws stepfunctions test-state
//! --cli-input-json`), and the checks the AWS SDK makes before sending one.

use super::ApiError;
use crate::engine::service_models::FieldValidationMode;
use serde_json::{Map as JsonMap, Value};

/// How much of the data flow the answer reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InspectionLevel {
    /// Status, output, error and next state only.
    #[default]
    Info,
    /// Plus the data after each processing stage.
    Debug,
    /// Plus the raw HTTP request and response of HTTP tasks.
    Trace,
}

impl InspectionLevel {
    pub fn parse(text: &str) -> Option<InspectionLevel> {
        match text {
            "INFO" => Some(InspectionLevel::Info),
            "DEBUG" => Some(InspectionLevel::Debug),
            "TRACE" => Some(InspectionLevel::Trace),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            InspectionLevel::Info => "INFO",
            InspectionLevel::Debug => "DEBUG",
            InspectionLevel::Trace => "TRACE",
        }
    }
}

/// The mocked answer of the state's service.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mock {
    /// The result, as JSON text (parsed when the state runs: bad JSON is an API error).
    pub result: Option<String>,
    pub error_output: Option<MockError>,
    pub field_validation_mode: FieldValidationMode,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct MockError {
    pub error: Option<String>,
    pub cause: Option<String>,
}

/// Where in its life the tested state is (`stateConfiguration`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StateConfiguration {
    pub retrier_retry_count: Option<u64>,
    pub error_caused_by_state: Option<String>,
    pub map_iteration_failure_count: Option<u64>,
    /// What the Map's ItemReader would read, as found in its source (text).
    pub map_item_reader_data: Option<String>,
}

/// One TestState call.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TestStateRequest {
    /// One state, or a whole machine (with `state_name`), as JSON text.
    pub definition: String,
    pub state_name: Option<String>,
    pub role_arn: Option<String>,
    /// The state input as JSON text (`{}` when absent).
    pub input: Option<String>,
    pub inspection_level: InspectionLevel,
    pub reveal_secrets: bool,
    /// Variables in scope, a JSON object as text.
    pub variables: Option<String>,
    pub mock: Option<Mock>,
    /// The context object, as JSON text.
    pub context: Option<String>,
    pub state_configuration: StateConfiguration,
}

const MEMBERS: &[&str] = &[
    "definition",
    "roleArn",
    "input",
    "inspectionLevel",
    "revealSecrets",
    "variables",
    "stateName",
    "mock",
    "context",
    "stateConfiguration",
];

/// The AWS SDK's (botocore's) words for a request it refuses to send.
fn param_error(problem: String) -> ApiError {
    ApiError::param_validation(format!("Parameter validation failed:\n{problem}"))
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "<class 'NoneType'>",
        Value::Bool(_) => "<class 'bool'>",
        Value::Number(n) if n.is_f64() => "<class 'float'>",
        Value::Number(_) => "<class 'int'>",
        Value::String(_) => "<class 'str'>",
        Value::Array(_) => "<class 'list'>",
        Value::Object(_) => "<class 'dict'>",
    }
}

fn wrong_type(name: &str, value: &Value, valid: &str) -> ApiError {
    param_error(format!(
        "Invalid type for parameter {name}, value: {}, type: {}, valid types: {valid}",
        crate::asl::path::to_json_string(value),
        type_name(value)
    ))
}

/// A string member, with the API's length bounds.
fn string(
    object: &JsonMap<String, Value>,
    name: &str,
    shown: &str,
    min: usize,
    max: usize,
) -> Result<Option<String>, ApiError> {
    match object.get(name) {
        None => Ok(None),
        Some(Value::String(text)) => {
            let length = text.chars().count();
            if length < min {
                return Err(param_error(format!(
                    "Invalid length for parameter {shown}, value: {length}, valid min length: {min}"
                )));
            }
            if length > max {
                return Err(ApiError::validation(format!(
                    "1 validation error detected: Value at '{shown}' failed to satisfy constraint: Member must have length less than or equal to {max}"
                )));
            }
            Ok(Some(text.clone()))
        }
        Some(other) => Err(wrong_type(shown, other, "<class 'str'>")),
    }
}

fn count(
    object: &JsonMap<String, Value>,
    name: &str,
    shown: &str,
) -> Result<Option<u64>, ApiError> {
    match object.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(n) => Ok(Some(n)),
            None if n.as_i64().is_some() => Err(param_error(format!(
                "Invalid value for parameter {shown}, value: {n}, valid min value: 0"
            ))),
            None => Err(wrong_type(
                shown,
                &Value::Number(n.clone()),
                "<class 'int'>",
            )),
        },
        Some(other) => Err(wrong_type(shown, other, "<class 'int'>")),
    }
}

fn members(
    value: &Value,
    shown: &str,
    allowed: &[&str],
) -> Result<JsonMap<String, Value>, ApiError> {
    let Value::Object(object) = value else {
        return Err(wrong_type(shown, value, "<class 'dict'>"));
    };
    if let Some(unknown) = object.keys().find(|k| !allowed.contains(&k.as_str())) {
        let place = if shown.is_empty() {
            "input".to_string()
        } else {
            shown.to_string()
        };
        return Err(param_error(format!(
            "Unknown parameter in {place}: \"{unknown}\", must be one of: {}",
            allowed.join(", ")
        )));
    }
    Ok(object.clone())
}

impl TestStateRequest {
    /// A request for one state definition, with the inspection level and nothing else.
    pub fn for_definition(definition: impl Into<String>) -> TestStateRequest {
        TestStateRequest {
            definition: definition.into(),
            ..TestStateRequest::default()
        }
    }

    /// Reads a request in the API's JSON shape, with the checks the AWS SDK makes.
    pub fn from_json(value: &Value) -> Result<TestStateRequest, ApiError> {
        let object = members(value, "", MEMBERS)?;
        let Some(definition) = string(&object, "definition", "definition", 1, 1_048_576)? else {
            return Err(param_error(
                "Missing required parameter in input: \"definition\"".into(),
            ));
        };
        let inspection_level = match object.get("inspectionLevel") {
            None => InspectionLevel::Info,
            Some(Value::String(level)) => InspectionLevel::parse(level).ok_or_else(|| {
                ApiError::validation(format!(
                    "1 validation error detected: Value '{level}' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]"
                ))
            })?,
            Some(other) => return Err(wrong_type("inspectionLevel", other, "<class 'str'>")),
        };
        let reveal_secrets = match object.get("revealSecrets") {
            None => false,
            Some(Value::Bool(reveal)) => *reveal,
            Some(other) => return Err(wrong_type("revealSecrets", other, "<class 'bool'>")),
        };
        let mock = match object.get("mock") {
            None => None,
            Some(mock) => Some(Mock::from_json(mock)?),
        };
        let state_configuration = match object.get("stateConfiguration") {
            None => StateConfiguration::default(),
            Some(config) => StateConfiguration::from_json(config)?,
        };
        Ok(TestStateRequest {
            definition,
            state_name: string(&object, "stateName", "stateName", 1, 80)?,
            role_arn: string(&object, "roleArn", "roleArn", 1, 256)?,
            input: string(&object, "input", "input", 0, 262_144)?,
            inspection_level,
            reveal_secrets,
            variables: string(&object, "variables", "variables", 0, 262_144)?,
            mock,
            context: string(&object, "context", "context", 0, 262_144)?,
            state_configuration,
        })
    }

    /// The request in the API's JSON shape (what `from_json` reads).
    pub fn to_json(&self) -> Value {
        let mut out = JsonMap::new();
        out.insert("definition".into(), Value::String(self.definition.clone()));
        let mut text = |key: &str, value: &Option<String>| {
            if let Some(value) = value {
                out.insert(key.into(), Value::String(value.clone()));
            }
        };
        text("stateName", &self.state_name);
        text("roleArn", &self.role_arn);
        text("input", &self.input);
        text("variables", &self.variables);
        text("context", &self.context);
        out.insert(
            "inspectionLevel".into(),
            Value::String(self.inspection_level.as_str().into()),
        );
        if self.reveal_secrets {
            out.insert("revealSecrets".into(), Value::Bool(true));
        }
        if let Some(mock) = &self.mock {
            let mut m = JsonMap::new();
            if let Some(result) = &mock.result {
                m.insert("result".into(), Value::String(result.clone()));
            }
            if let Some(error) = &mock.error_output {
                let mut e = JsonMap::new();
                if let Some(name) = &error.error {
                    e.insert("error".into(), Value::String(name.clone()));
                }
                if let Some(cause) = &error.cause {
                    e.insert("cause".into(), Value::String(cause.clone()));
                }
                m.insert("errorOutput".into(), Value::Object(e));
            }
            if mock.field_validation_mode != FieldValidationMode::Strict {
                m.insert(
                    "fieldValidationMode".into(),
                    Value::String(mock.field_validation_mode.as_aws().into()),
                );
            }
            out.insert("mock".into(), Value::Object(m));
        }
        let config = &self.state_configuration;
        if *config != StateConfiguration::default() {
            let mut c = JsonMap::new();
            if let Some(n) = config.retrier_retry_count {
                c.insert("retrierRetryCount".into(), Value::from(n));
            }
            if let Some(name) = &config.error_caused_by_state {
                c.insert("errorCausedByState".into(), Value::String(name.clone()));
            }
            if let Some(n) = config.map_iteration_failure_count {
                c.insert("mapIterationFailureCount".into(), Value::from(n));
            }
            if let Some(data) = &config.map_item_reader_data {
                c.insert("mapItemReaderData".into(), Value::String(data.clone()));
            }
            out.insert("stateConfiguration".into(), Value::Object(c));
        }
        Value::Object(out)
    }
}

impl Mock {
    fn from_json(value: &Value) -> Result<Mock, ApiError> {
        let object = members(
            value,
            "mock",
            &["result", "errorOutput", "fieldValidationMode"],
        )?;
        let error_output = match object.get("errorOutput") {
            None => None,
            Some(error) => {
                let error = members(error, "mock.errorOutput", &["error", "cause"])?;
                Some(MockError {
                    error: string(&error, "error", "mock.errorOutput.error", 0, 256)?,
                    cause: string(&error, "cause", "mock.errorOutput.cause", 0, 32_768)?,
                })
            }
        };
        let field_validation_mode = match object.get("fieldValidationMode") {
            None => FieldValidationMode::Strict,
            Some(Value::String(mode)) => FieldValidationMode::from_aws(mode).ok_or_else(|| {
                ApiError::validation(format!(
                    "1 validation error detected: Value '{mode}' at 'mock.fieldValidationMode' failed to satisfy constraint: Member must satisfy enum value set: [STRICT, PRESENT, NONE]"
                ))
            })?,
            Some(other) => {
                return Err(wrong_type(
                    "mock.fieldValidationMode",
                    other,
                    "<class 'str'>",
                ));
            }
        };
        Ok(Mock {
            result: string(&object, "result", "mock.result", 0, 262_144)?,
            error_output,
            field_validation_mode,
        })
    }
}

impl StateConfiguration {
    fn from_json(value: &Value) -> Result<StateConfiguration, ApiError> {
        let object = members(
            value,
            "stateConfiguration",
            &[
                "retrierRetryCount",
                "errorCausedByState",
                "mapIterationFailureCount",
                "mapItemReaderData",
            ],
        )?;
        Ok(StateConfiguration {
            retrier_retry_count: count(
                &object,
                "retrierRetryCount",
                "stateConfiguration.retrierRetryCount",
            )?,
            error_caused_by_state: string(
                &object,
                "errorCausedByState",
                "stateConfiguration.errorCausedByState",
                1,
                80,
            )?,
            map_iteration_failure_count: count(
                &object,
                "mapIterationFailureCount",
                "stateConfiguration.mapIterationFailureCount",
            )?,
            map_item_reader_data: string(
                &object,
                "mapItemReaderData",
                "stateConfiguration.mapItemReaderData",
                0,
                262_144,
            )?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_every_member_and_writes_them_back() {
        let value = json!({
            "definition": "{\"Type\": \"Pass\", \"End\": true}",
            "stateName": "S",
            "roleArn": "arn:aws:iam::1:role/R",
            "input": "{}",
            "inspectionLevel": "TRACE",
            "variables": "{\"x\": 1}",
            "context": "{}",
            "mock": {"errorOutput": {"error": "E", "cause": "C"}, "fieldValidationMode": "NONE"},
            "stateConfiguration": {"retrierRetryCount": 2, "errorCausedByState": "S",
                                    "mapIterationFailureCount": 1, "mapItemReaderData": "[1]"}
        });
        let request = TestStateRequest::from_json(&value).expect("valid request");
        assert_eq!(request.inspection_level, InspectionLevel::Trace);
        assert_eq!(request.state_configuration.retrier_retry_count, Some(2));
        assert_eq!(
            request.mock.as_ref().map(|m| m.field_validation_mode),
            Some(FieldValidationMode::None)
        );
        assert_eq!(TestStateRequest::from_json(&request.to_json()), Ok(request));
    }

    #[test]
    fn refuses_what_the_sdk_refuses() {
        let empty_name = json!({"definition": "{}", "stateName": ""});
        let error = TestStateRequest::from_json(&empty_name).expect_err("empty name");
        assert_eq!(error.code, "ParamValidationError");
        assert_eq!(
            error.message,
            "Parameter validation failed:\nInvalid length for parameter stateName, value: 0, valid min length: 1"
        );
        let unknown = TestStateRequest::from_json(&json!({"definition": "{}", "nope": 1}))
            .expect_err("unknown member");
        assert!(
            unknown
                .message
                .contains("Unknown parameter in input: \"nope\"")
        );
        let missing = TestStateRequest::from_json(&json!({})).expect_err("no definition");
        assert!(missing.message.contains("Missing required parameter"));
        let level =
            TestStateRequest::from_json(&json!({"definition": "{}", "inspectionLevel": "ALL"}))
                .expect_err("bad level");
        assert_eq!(level.code, "ValidationException");
        let negative = TestStateRequest::from_json(
            &json!({"definition": "{}", "stateConfiguration": {"retrierRetryCount": -1}}),
        )
        .expect_err("negative count");
        assert!(negative.message.contains("valid min value: 0"));
        let wrong = TestStateRequest::from_json(&json!({"definition": "{}", "input": {"a": 1}}))
            .expect_err("input must be text");
        assert!(wrong.message.contains("Invalid type for parameter input"));
    }
}
