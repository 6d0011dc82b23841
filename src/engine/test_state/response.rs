//! The TestState answer: status, output or error, next state, and the inspection data shaped
//! the way AWS reports it for each state type and query language.

use super::{InspectionLevel, Tested};
use crate::asl::model::QueryLanguage;
use crate::asl::path::to_json_string;
use crate::engine::execution::{Execution, ExecutionStatus};
use crate::engine::stages::{Stage, StateVisit};
use serde_json::{Map as JsonMap, Value};

/// How the state ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestStatus {
    Succeeded,
    Failed,
    /// It failed, and a retrier with attempts left matched the error.
    Retriable,
    /// It failed, and a catcher caught the error.
    CaughtError,
}

impl TestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TestStatus::Succeeded => "SUCCEEDED",
            TestStatus::Failed => "FAILED",
            TestStatus::Retriable => "RETRIABLE",
            TestStatus::CaughtError => "CAUGHT_ERROR",
        }
    }
}

/// The answer of one TestState call.
#[derive(Debug, Clone, PartialEq)]
pub struct TestStateResponse {
    pub status: TestStatus,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub next_state: Option<String>,
    /// The stages AWS reports at the requested level, in the order they ran (`None` at INFO).
    pub inspection_data: Option<JsonMap<String, Value>>,
    /// Everything the run recorded of the state, whatever the level (the app shows it).
    pub visit: Option<StateVisit>,
}

/// The inspection data members whose value the API sends as JSON text.
const JSON_TEXT_MEMBERS: &[&str] = &[
    "input",
    "afterInputPath",
    "afterParameters",
    "afterArguments",
    "afterItemsPath",
    "afterItemSelector",
    "result",
    "afterResultSelector",
    "afterResultPath",
    "variables",
];

impl TestStateResponse {
    /// The response as the API sends it: `output` and data members as JSON text.
    pub fn to_api_json(&self) -> Value {
        self.to_json_with(|value| Value::String(to_json_string(value)))
    }

    /// The same with every value parsed (easier to read and compare).
    pub fn to_json(&self) -> Value {
        self.to_json_with(Value::clone)
    }

    fn to_json_with(&self, data: impl Fn(&Value) -> Value) -> Value {
        let mut out = JsonMap::new();
        out.insert("status".into(), Value::String(self.status.as_str().into()));
        if let Some(output) = &self.output {
            out.insert("output".into(), data(output));
        }
        for (key, value) in [
            ("error", &self.error),
            ("cause", &self.cause),
            ("nextState", &self.next_state),
        ] {
            if let Some(value) = value {
                out.insert(key.into(), Value::String(value.clone()));
            }
        }
        if let Some(inspection) = &self.inspection_data {
            let members = inspection
                .iter()
                .map(|(key, value)| {
                    let value = if JSON_TEXT_MEMBERS.contains(&key.as_str()) {
                        data(value)
                    } else {
                        value.clone()
                    };
                    (key.clone(), value)
                })
                .collect();
            out.insert("inspectionData".into(), Value::Object(members));
        }
        Value::Object(out)
    }
}

/// Reads the answer off the finished run of the tested state.
pub(super) fn respond(
    execution: &Execution,
    level: InspectionLevel,
    tested: &Tested,
) -> TestStateResponse {
    let visit = execution.visits().first().map(|v| (**v).clone());
    let details = visit.as_ref().map(|v| v.error_details).unwrap_or_default();
    let caught = visit.as_ref().and_then(|v| v.failure.as_ref());
    let (status, output, error, cause) = match execution.status() {
        ExecutionStatus::Succeeded if details.catch_index.is_some() => (
            TestStatus::CaughtError,
            execution.output().cloned(),
            caught.and_then(|f| f.error.clone()),
            caught.and_then(|f| f.cause.clone()),
        ),
        ExecutionStatus::Succeeded => (
            TestStatus::Succeeded,
            execution.output().cloned(),
            None,
            None,
        ),
        _ => {
            let failure = execution.failure();
            let status = if details.retry_backoff_interval_seconds.is_some() {
                TestStatus::Retriable
            } else {
                TestStatus::Failed
            };
            (
                status,
                None,
                failure.and_then(|f| f.error.clone()),
                failure.and_then(|f| f.cause.clone()),
            )
        }
    };
    let inspection_data = match (level, &visit) {
        (InspectionLevel::Info, _) | (_, None) => None,
        (_, Some(visit)) => Some(inspection_data(visit, tested)),
    };
    TestStateResponse {
        status,
        output,
        error,
        cause,
        next_state: visit.as_ref().and_then(|v| v.next_state.clone()),
        inspection_data,
        visit,
    }
}

/// The stages AWS reports for a state of this type and query language (as recorded): not
/// every stage a state has. A JSONPath Pass with `Result` skips InputPath and Parameters; a
/// Parallel state reports only its result's path; JSONata states report their input,
/// a Task its arguments and result.
fn reported_stages(
    state_type: &str,
    language: QueryLanguage,
    has_result: bool,
) -> &'static [Stage] {
    use Stage::*;
    match (language, state_type) {
        (QueryLanguage::JsonPath, "Pass") if has_result => {
            &[Input, Result, AfterResultSelector, AfterResultPath]
        }
        (QueryLanguage::JsonPath, "Pass") => &[
            Input,
            AfterInputPath,
            AfterParameters,
            AfterResultSelector,
            AfterResultPath,
        ],
        (QueryLanguage::JsonPath, "Task") => &[
            Input,
            AfterInputPath,
            AfterParameters,
            Result,
            AfterResultSelector,
            AfterResultPath,
        ],
        (QueryLanguage::JsonPath, "Parallel") => &[Input, AfterResultSelector, AfterResultPath],
        // The JSONPath Map's result stages are not recorded; reported as Parallel's (a guess).
        (QueryLanguage::JsonPath, "Map") => &[
            Input,
            AfterInputPath,
            AfterItemsPath,
            AfterResultSelector,
            AfterResultPath,
        ],
        (QueryLanguage::JsonPath, _) => &[Input, AfterInputPath],
        (QueryLanguage::Jsonata, "Task") => &[Input, AfterArguments, Result],
        (QueryLanguage::Jsonata, _) => &[Input],
    }
}

fn inspection_data(visit: &StateVisit, tested: &Tested) -> JsonMap<String, Value> {
    let has_result = tested.state.get("Result").is_some();
    let mut out = JsonMap::new();
    for &stage in reported_stages(&tested.state_type, tested.language, has_result) {
        let value = match stage {
            // Stages a state has no field for pass the data on unchanged.
            Stage::AfterResultSelector if tested.state_type == "Pass" => visit
                .stage(Stage::Result)
                .or_else(|| visit.stage(Stage::AfterParameters)),
            Stage::AfterInputPath if tested.state_type == "Fail" => visit.stage(Stage::Input),
            _ => visit.stage(stage),
        };
        if let Some(value) = value {
            out.insert(stage.api_name().into(), value.clone());
        }
    }
    if let Some(map) = &visit.map {
        out.insert("maxConcurrency".into(), Value::from(map.max_concurrency));
        if let Some(count) = map.tolerated_failure_count {
            out.insert("toleratedFailureCount".into(), Value::from(count));
        }
        if let Some(percentage) = map.tolerated_failure_percentage {
            out.insert("toleratedFailurePercentage".into(), Value::from(percentage));
        }
    }
    if let Some(variables) = &visit.variables {
        out.insert("variables".into(), Value::Object(variables.clone()));
    }
    let details = visit.error_details;
    if !details.is_empty() {
        let mut object = JsonMap::new();
        if let Some(index) = details.catch_index {
            object.insert("catchIndex".into(), Value::from(index));
        }
        if let Some(index) = details.retry_index {
            object.insert("retryIndex".into(), Value::from(index));
        }
        if let Some(seconds) = details.retry_backoff_interval_seconds {
            object.insert("retryBackoffIntervalSeconds".into(), Value::from(seconds));
        }
        out.insert("errorDetails".into(), Value::Object(object));
    }
    out
}
