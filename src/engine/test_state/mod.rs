//! AWS's TestState API, offline: one state (or one state of a machine) run on an input, with
//! an optional mock of its service and the state's configuration (which retry this is, how
//! many Map iterations failed...). The answer is AWS's: the status, the next state, the
//! output or error, and the data after every processing stage ("inspection data").
//!
//! The state runs in the engine like any other (`ExecutionOptions::single_state`), recording
//! its stages; `response` shapes them the way the API reports them.

mod context;
mod request;
mod response;

pub use request::{InspectionLevel, Mock, MockError, StateConfiguration, TestStateRequest};
pub use response::{TestStateResponse, TestStatus};

use super::backends::{
    NoBackend, SharedBackend, TaskBackend, TaskInvocation, TaskOutcome, TaskRequest,
};
use super::execution::Execution;
use super::options::{ChildrenMock, ExecutionOptions, SingleState, WorkflowType};
use super::service_models::{self, FieldValidationMode};
use crate::asl::document::{Document, Format};
use crate::asl::model::{QueryLanguage, StateMachine};
use crate::asl::validate::{self, Code, Diagnostic};
use serde_json::{Map as JsonMap, Value, json};
use std::sync::Arc;

/// The name AWS gives the tested state (its context object and its errors say so).
pub const TESTED_STATE_NAME: &str = "StateName";

/// An error of the API itself: the request was refused, nothing ran.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    /// `ValidationException`, `InvalidDefinition`, `InvalidExecutionInput`, or
    /// `ParamValidationError` (refused by the AWS SDK before sending, as the CLI does).
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn validation(message: impl Into<String>) -> ApiError {
        ApiError {
            code: "ValidationException",
            message: message.into(),
        }
    }

    pub fn invalid_definition(message: impl Into<String>) -> ApiError {
        ApiError {
            code: "InvalidDefinition",
            message: message.into(),
        }
    }

    pub fn invalid_input(message: impl Into<String>) -> ApiError {
        ApiError {
            code: "InvalidExecutionInput",
            message: message.into(),
        }
    }

    pub fn param_validation(message: impl Into<String>) -> ApiError {
        ApiError {
            code: "ParamValidationError",
            message: message.into(),
        }
    }

    /// `{"exception": {"code", "message"}}`, as `asl-studio test-state` prints it.
    pub fn to_json(&self) -> Value {
        json!({"exception": {"code": self.code, "message": self.message}})
    }
}

/// What a TestState call may use beyond the request.
#[derive(Clone, Default)]
pub struct TestStateOptions {
    /// Answers a Task state that has no mock (AWS would call the real service). Without one,
    /// such a task fails with `AslStudio.NoBackend`, saying why.
    pub backend: Option<SharedBackend>,
}

/// The state under test, cut out of its definition.
struct Tested {
    /// The state's definition, with its effective query language written in.
    state: Value,
    state_type: String,
    language: QueryLanguage,
}

/// Runs one TestState call.
pub fn test_state(
    request: &TestStateRequest,
    options: &TestStateOptions,
) -> Result<TestStateResponse, ApiError> {
    let mock = request.mock.as_ref();
    if let Some(mock) = mock
        && mock.result.is_some()
        && mock.error_output.is_some()
    {
        return Err(ApiError::validation(
            "A test mock should have only one of the following fields: [result, errorOutput].",
        ));
    }
    let tested = tested_state(request)?;
    check_state_type(request, &tested)?;
    let mock_result = match mock.and_then(|m| m.result.as_deref()) {
        Some(text) => Some(
            serde_json::from_str::<Value>(text)
                .map_err(|_| ApiError::validation("Mocked result must be valid JSON"))?,
        ),
        None => None,
    };
    if let (Some(result), Some(mock)) = (&mock_result, mock) {
        check_mock_result(&tested, result, mock.field_validation_mode)?;
    }
    let input = match &request.input {
        Some(text) => serde_json::from_str::<Value>(text).map_err(|e| {
            ApiError::invalid_input(format!("Invalid State Machine Execution Input: {e}"))
        })?,
        None => Value::Object(JsonMap::new()),
    };
    let variables = match &request.variables {
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => map,
            _ => {
                return Err(ApiError::validation(
                    "Invalid variables provided: variables must be a JSON object",
                ));
            }
        },
        None => JsonMap::new(),
    };
    let context = match &request.context {
        Some(text) => Some(context::parse(text, &tested)?),
        None => None,
    };
    check_error_caused_by_state(request, &tested)?;
    let machine_value =
        json!({"StartAt": TESTED_STATE_NAME, "States": {TESTED_STATE_NAME: tested.state}});
    let machine = StateMachine::from_value(&machine_value).map_err(|e| {
        ApiError::invalid_definition(format!("Invalid State Machine Definition: '{e}'"))
    })?;
    let execution_options = execution_options(request, &tested, mock, mock_result.clone(), context);
    let backend: SharedBackend = match (mock, tested.state_type.as_str()) {
        (Some(mock), "Task") => Arc::new(MockedService::new(mock, mock_result)),
        (_, "Map") => Arc::new(ItemReaderData(
            request.state_configuration.map_item_reader_data.clone(),
        )),
        _ => options
            .backend
            .clone()
            .unwrap_or_else(|| Arc::new(NoBackend)),
    };
    let mut execution = Execution::with_backend(&machine, input, execution_options, backend)
        .map_err(|e| ApiError::invalid_input(e.to_string()))?
        .with_variables(variables);
    execution.run();
    Ok(response::respond(
        &execution,
        request.inspection_level,
        &tested,
    ))
}

/// The state to test: the definition itself, or the named state of a machine (at any depth).
fn tested_state(request: &TestStateRequest) -> Result<Tested, ApiError> {
    let definition: Value = serde_json::from_str(&request.definition).map_err(|e| {
        ApiError::invalid_definition(format!(
            "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: {e}'"
        ))
    })?;
    let (state, machine_language) = match &request.state_name {
        Some(name) => {
            let machine = StateMachine::from_value(&definition).map_err(|_| {
                ApiError::invalid_definition(
                    "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States, StartAt] at /'",
                )
            })?;
            let found = machine
                .walk()
                .into_iter()
                .find(|(_, state)| state.name == *name)
                .and_then(|(_, state)| definition.pointer(&state.pointer).cloned())
                .ok_or_else(|| ApiError::validation("State not found in definition"))?;
            check_definition(&definition, false)?;
            (found, machine.language())
        }
        None => {
            let wrapped =
                json!({"StartAt": TESTED_STATE_NAME, "States": {TESTED_STATE_NAME: definition}});
            check_definition(&wrapped, true)?;
            (definition, QueryLanguage::JsonPath)
        }
    };
    let Value::Object(mut object) = state else {
        return Err(ApiError::invalid_definition(
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object'",
        ));
    };
    let language = object
        .get("QueryLanguage")
        .and_then(Value::as_str)
        .and_then(QueryLanguage::parse)
        .unwrap_or(machine_language);
    if language == QueryLanguage::Jsonata {
        object.insert("QueryLanguage".into(), Value::String("JSONata".into()));
    }
    let state_type = object
        .get("Type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    Ok(Tested {
        state: Value::Object(object),
        state_type,
        language,
    })
}

/// AWS's validation of the definition. A single state's transitions lead out of the
/// definition, so they are not checked.
fn check_definition(machine: &Value, single_state: bool) -> Result<(), ApiError> {
    let text = machine.to_string();
    let Ok(doc) = Document::parse(text, Format::Json) else {
        return Ok(());
    };
    let diagnostics = validate::validate(&doc, &validate::Options::default());
    let transitions = [
        Code::UnknownTarget,
        Code::TargetOutOfScope,
        Code::UnreachableState,
        Code::NoPathToEnd,
        Code::MissingTransition,
    ];
    let first = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .find(|d| !(single_state && transitions.contains(&d.code)));
    match first {
        Some(diagnostic) => Err(ApiError::invalid_definition(format!(
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: {} at {}'",
            aws_wording(diagnostic),
            if diagnostic.pointer.is_empty() {
                "/"
            } else {
                &diagnostic.pointer
            }
        ))),
        None => Ok(()),
    }
}

/// AWS's words for the problems whose wording the recordings show; ours for the others.
fn aws_wording(diagnostic: &Diagnostic) -> String {
    match diagnostic.code {
        Code::UnknownStateType => {
            "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]".into()
        }
        Code::EmptyStates if diagnostic.pointer.ends_with("/Branches") => {
            "Value cannot be empty".into()
        }
        _ => diagnostic.message.clone(),
    }
}

/// Which state types take a mock, and which need one.
fn check_state_type(request: &TestStateRequest, tested: &Tested) -> Result<(), ApiError> {
    let has_mock = request.mock.is_some();
    let config = &request.state_configuration;
    if !has_mock && config.map_iteration_failure_count.is_some() {
        return Err(ApiError::validation(
            "TestState does not support MapIterationFailureCount when a mock is not specified.",
        ));
    }
    match tested.state_type.as_str() {
        "Map" | "Parallel" if !has_mock => Err(ApiError::invalid_definition(
            "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]",
        )),
        "Pass" | "Wait" | "Choice" | "Succeed" | "Fail" if has_mock => {
            Err(ApiError::validation(format!(
                "State type '{}' is not supported when a mock is specified",
                tested.state_type
            )))
        }
        "Task" if !has_mock && request.role_arn.is_none() => Err(ApiError::validation(
            "RoleArn must be specified when testing a Task state",
        )),
        _ => Ok(()),
    }
}

/// The mocked result must have the shape of the state's answer.
fn check_mock_result(
    tested: &Tested,
    result: &Value,
    mode: FieldValidationMode,
) -> Result<(), ApiError> {
    match tested.state_type.as_str() {
        "Parallel" => {
            let Value::Array(results) = result else {
                return Err(ApiError::validation("Mocked result must be an array."));
            };
            let branches = tested
                .state
                .get("Branches")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            if results.len() != branches {
                return Err(ApiError::validation(
                    "Mocked result must contain the same number of items as number of Parallel branches.",
                ));
            }
            Ok(())
        }
        "Map" if tested.state.get("ResultWriter").is_some() => match result {
            Value::Object(_) => Ok(()),
            _ => Err(ApiError::validation("Mocked result must be a JSON object.")),
        },
        // Guess (not recorded): a Map without ResultWriter answers with its results.
        "Map" => match result {
            Value::Array(_) => Ok(()),
            _ => Err(ApiError::validation("Mocked result must be an array.")),
        },
        "Task" => {
            let resource = tested
                .state
                .get("Resource")
                .and_then(Value::as_str)
                .unwrap_or_default();
            service_models::validate_mock_result(resource, result, mode).map_err(|message| {
                ApiError::validation(format!("Mock result schema validation error: {message}"))
            })
        }
        _ => Ok(()),
    }
}

/// `errorCausedByState` names a state inside the tested Map or Parallel state (a guess: AWS's
/// answer for another name is not recorded).
fn check_error_caused_by_state(
    request: &TestStateRequest,
    tested: &Tested,
) -> Result<(), ApiError> {
    let Some(name) = &request.state_configuration.error_caused_by_state else {
        return Ok(());
    };
    let machine_value =
        json!({"StartAt": TESTED_STATE_NAME, "States": {TESTED_STATE_NAME: tested.state}});
    let inside = StateMachine::from_value(&machine_value)
        .map(|machine| {
            machine
                .walk()
                .iter()
                .any(|(_, state)| state.name == *name && state.name != TESTED_STATE_NAME)
        })
        .unwrap_or(false);
    if inside {
        Ok(())
    } else {
        Err(ApiError::validation(format!(
            "errorCausedByState '{name}' is not a state of the tested Map or Parallel state"
        )))
    }
}

fn execution_options(
    request: &TestStateRequest,
    tested: &Tested,
    mock: Option<&Mock>,
    mock_result: Option<Value>,
    context: Option<Value>,
) -> ExecutionOptions {
    let defaults = ExecutionOptions::default();
    // TestState runs as an Express execution of a machine made for the call.
    let state_machine_name = uuid::Uuid::new_v4().to_string();
    let name = uuid::Uuid::new_v4().to_string();
    let execution_arn = format!(
        "arn:aws:states:{}:{}:express:{state_machine_name}:{name}",
        defaults.region, defaults.account
    );
    let config = &request.state_configuration;
    let children_mock = match (tested.state_type.as_str(), mock) {
        ("Map" | "Parallel", Some(mock)) => Some(match (&mock_result, &mock.error_output) {
            (Some(result), _) => ChildrenMock::Result(result.clone()),
            (None, Some(error)) => ChildrenMock::Error {
                error: error.error.clone(),
                cause: error.cause.clone(),
            },
            (None, None) => ChildrenMock::Result(Value::Null),
        }),
        _ => None,
    };
    ExecutionOptions {
        name,
        state_machine_name,
        role_arn: request.role_arn.clone().unwrap_or_default(),
        start_time: chrono::Utc::now(),
        workflow_type: WorkflowType::Express,
        // One state never needs many events; a runaway one stops here.
        max_events: Some(10_000),
        record_stages: true,
        context,
        execution_arn: Some(execution_arn),
        single_state: Some(Arc::new(SingleState {
            retrier_retry_count: config.retrier_retry_count.unwrap_or(0),
            children_mock,
            map_iteration_failure_count: config.map_iteration_failure_count,
        })),
        seed: rand::random(),
        ..defaults
    }
}

/// The mocked service of a Task state: every call gets the mock.
struct MockedService {
    outcome: TaskOutcome,
}

impl MockedService {
    fn new(mock: &Mock, result: Option<Value>) -> MockedService {
        let outcome = match (result, &mock.error_output) {
            (Some(result), _) => TaskOutcome::Succeeded(result),
            (None, Some(error)) => TaskOutcome::Failed {
                error: error.error.clone(),
                cause: error.cause.clone(),
            },
            (None, None) => TaskOutcome::Succeeded(Value::Null),
        };
        MockedService { outcome }
    }
}

impl TaskBackend for MockedService {
    fn invoke(&self, _request: &TaskRequest) -> TaskInvocation {
        TaskInvocation::Done(self.outcome.clone())
    }
}

/// A Map's ItemReader reads `mapItemReaderData` (its source's text, parsed when it is JSON).
struct ItemReaderData(Option<String>);

impl TaskBackend for ItemReaderData {
    fn invoke(&self, request: &TaskRequest) -> TaskInvocation {
        TaskInvocation::Done(match &self.0 {
            Some(text) => TaskOutcome::Succeeded(
                serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone())),
            ),
            None => TaskOutcome::Failed {
                error: Some(super::backends::NO_BACKEND_ERROR.into()),
                cause: Some(format!(
                    "The ItemReader of the tested Map reads {}; give what it reads as stateConfiguration.mapItemReaderData",
                    request.resource
                )),
            },
        })
    }
}

#[cfg(test)]
mod tests;
