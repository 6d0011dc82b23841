//! Test-case files (the format of `conformance/cases`): run a definition on an input, with
//! mocks, and compare status, output, error, cause and history with the expectation.

mod compare;
mod record;

pub use compare::{Matcher, history_difference, linkage_difference};
pub use record::{mocks_from_history, record_case};

use super::backends::{MockBackend, UnmockedPolicy};
use super::execution::{Execution, ExecutionStatus};
use super::options::{ExecutionOptions, WorkflowType};
use super::test_state::{TestStateOptions, TestStateRequest, test_state};
use crate::asl::document::{Document, Format};
use crate::asl::model::StateMachine;
use crate::asl::validate::{self, Options as ValidateOptions};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A test case as read from its file.
#[derive(Debug, Clone)]
pub struct TestCase {
    pub name: String,
    pub file: PathBuf,
    pub kind: String,
    /// The definition as a value, or the raw text of a `validation` case.
    pub definition: Definition,
    pub input: Value,
    pub expected: Value,
    pub history: Option<Vec<Value>>,
    pub placeholders: Vec<String>,
    pub mocks: Option<Value>,
    pub context: Option<Value>,
    /// The state machine's name: the stem of `definitionFile` (as `asl-studio run` names it).
    pub state_machine_name: Option<String>,
    /// The TestState request of a `test_state` case.
    pub request: Option<Value>,
}

#[derive(Debug, Clone)]
pub enum Definition {
    Value(Value),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TestCaseError {
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

/// The outcome of one case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseOutcome {
    pub name: String,
    pub file: PathBuf,
    /// The first difference, or None when the case passed.
    pub difference: Option<String>,
    /// Whether the recorded history matched event type for event type (None: no history).
    pub history_matches: Option<bool>,
    pub history_difference: Option<String>,
    /// Whether previousEventId also matched for every numbered recorded event.
    pub linkage_matches: Option<bool>,
    /// The first previousEventId that differs.
    pub linkage_difference: Option<String>,
}

impl CaseOutcome {
    pub fn passed(&self) -> bool {
        self.difference.is_none()
    }
}

impl TestCase {
    pub fn load(file: &Path) -> Result<TestCase, TestCaseError> {
        let invalid = |message: String| TestCaseError::Invalid {
            file: file.display().to_string(),
            message,
        };
        let text =
            std::fs::read_to_string(file).map_err(|e| invalid(format!("cannot read: {e}")))?;
        let value: Value = serde_json::from_str(&text)
            .map_err(|e| invalid(format!("not a JSON test case: {e}")))?;
        let object = value
            .as_object()
            .ok_or_else(|| invalid("a test case must be a JSON object".into()))?;
        let mut state_machine_name = None;
        let definition = match (
            object.get("definition"),
            object.get("definitionFile").and_then(Value::as_str),
        ) {
            (Some(Value::String(text)), _) => Definition::Text(text.clone()),
            (Some(definition), _) => Definition::Value(definition.clone()),
            (None, Some(relative)) => {
                let path = file.parent().unwrap_or(Path::new(".")).join(relative);
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| invalid(format!("cannot read {}: {e}", path.display())))?;
                let doc = Document::parse(text, Format::from_path(&path))
                    .map_err(|e| invalid(format!("{}: {e}", path.display())))?;
                state_machine_name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .and_then(|n| n.split('.').next())
                    .map(str::to_string);
                Definition::Value(doc.value().clone())
            }
            (None, None) if object.get("request").is_some() => Definition::Value(Value::Null),
            (None, None) => return Err(invalid("no \"definition\" or \"definitionFile\"".into())),
        };
        Ok(TestCase {
            name: object
                .get("name")
                .and_then(Value::as_str)
                .map_or_else(|| file.display().to_string(), str::to_string),
            file: file.to_path_buf(),
            kind: object
                .get("kind")
                .and_then(Value::as_str)
                .unwrap_or("executions")
                .to_string(),
            definition,
            input: object
                .get("input")
                .cloned()
                .unwrap_or_else(|| Value::Object(Default::default())),
            expected: object.get("expected").cloned().unwrap_or(Value::Null),
            history: object.get("history").and_then(Value::as_array).cloned(),
            placeholders: object
                .get("placeholders")
                .and_then(Value::as_array)
                .map(|p| {
                    p.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            mocks: object.get("mocks").cloned(),
            context: object.get("context").cloned(),
            state_machine_name,
            request: object.get("request").cloned(),
        })
    }

    /// Runs the case and compares.
    pub fn run(&self) -> CaseOutcome {
        let mut outcome = CaseOutcome {
            name: self.name.clone(),
            file: self.file.clone(),
            difference: None,
            history_matches: None,
            history_difference: None,
            linkage_matches: None,
            linkage_difference: None,
        };
        if self.kind == "validation" {
            outcome.difference = self.check_validation();
            return outcome;
        }
        if let Some(request) = &self.request {
            outcome.difference = self.check_test_state(request);
            return outcome;
        }
        let execution = match self.execute() {
            Ok(execution) => execution,
            Err(message) => {
                outcome.difference = Some(message);
                return outcome;
            }
        };
        let matcher = Matcher::new(&self.placeholders);
        outcome.difference = self.compare_result(&execution, &matcher);
        if let Some(history) = &self.history {
            let difference = history_difference(history, execution.history());
            outcome.history_matches = Some(difference.is_none());
            outcome.history_difference = difference;
            let linkage = linkage_difference(history, execution.history());
            outcome.linkage_matches = Some(linkage.is_none());
            outcome.linkage_difference = linkage;
        }
        outcome
    }

    fn check_validation(&self) -> Option<String> {
        let text = match &self.definition {
            Definition::Text(text) => text.clone(),
            Definition::Value(value) => value.to_string(),
        };
        let express = self.name.contains("express");
        let options = ValidateOptions {
            workflow_type: express.then_some(WorkflowType::Express),
        };
        let diagnostics = validate::validate_text(&text, Format::Json, &options);
        let ok = !diagnostics.iter().any(|d| d.is_error());
        let expected_ok = self.expected.get("result").and_then(Value::as_str) == Some("OK");
        (ok != expected_ok).then(|| {
            let first = diagnostics
                .iter()
                .find(|d| d.is_error())
                .map(|d| format!(": {} {}", d.code.as_str(), d.message))
                .unwrap_or_default();
            format!(
                "expected {}, got {}{first}",
                if expected_ok { "OK" } else { "FAIL" },
                if ok { "OK" } else { "FAIL" }
            )
        })
    }

    /// Runs a TestState call and compares its response (or API error) with the expected one.
    fn check_test_state(&self, request: &Value) -> Option<String> {
        let actual = match TestStateRequest::from_json(request)
            .and_then(|request| test_state(&request, &TestStateOptions::default()))
        {
            Ok(response) => response.to_json(),
            Err(error) => error.to_json(),
        };
        Matcher::new(&self.placeholders).difference(&self.expected, &actual, "response")
    }

    /// Runs the definition to the end (bounded: a runaway loop stops at the event cap).
    pub fn execute(&self) -> Result<Execution, String> {
        let definition = match &self.definition {
            Definition::Value(value) => value.clone(),
            Definition::Text(text) => serde_json::from_str(text)
                .map_err(|e| format!("the definition is not JSON: {e}"))?,
        };
        let machine = StateMachine::from_value(&definition).map_err(|e| e.to_string())?;
        let mut options = ExecutionOptions {
            workflow_type: if self.kind == "express" {
                WorkflowType::Express
            } else {
                WorkflowType::Standard
            },
            max_events: Some(100_000),
            ..ExecutionOptions::default()
        };
        if let Some(name) = &self.state_machine_name {
            options.state_machine_name = name.clone();
        }
        self.apply_context(&mut options);
        let backend = match &self.mocks {
            Some(mocks) => MockBackend::from_state_mocks(mocks, UnmockedPolicy::Fail)
                .map_err(|e| e.to_string())?,
            None => MockBackend::new(UnmockedPolicy::Fail),
        };
        let mut execution =
            Execution::with_backend(&machine, self.input.clone(), options, Arc::new(backend))
                .map_err(|e| e.to_string())?;
        execution.run();
        Ok(execution)
    }

    fn apply_context(&self, options: &mut ExecutionOptions) {
        let Some(context) = &self.context else { return };
        let text = |pointer: &str| {
            context
                .pointer(pointer)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        if let Some(name) = text("/Execution/Name") {
            options.name = name;
        }
        if let Some(role) = text("/Execution/RoleArn") {
            options.role_arn = role;
        }
        if let Some(start) =
            text("/Execution/StartTime").and_then(|s| chrono::DateTime::parse_from_rfc3339(&s).ok())
        {
            options.start_time = start.with_timezone(&chrono::Utc);
        }
        if let Some(name) = text("/StateMachine/Name") {
            options.state_machine_name = name;
        }
    }

    fn compare_result(&self, execution: &Execution, matcher: &Matcher) -> Option<String> {
        let expected_status = self
            .expected
            .get("status")
            .and_then(Value::as_str)
            .unwrap_or("SUCCEEDED");
        let status = execution.status();
        if status.as_str() != expected_status {
            let why = execution
                .failure()
                .map(|f| {
                    format!(
                        " ({}: {})",
                        f.error.as_deref().unwrap_or("-"),
                        f.cause.as_deref().unwrap_or("-")
                    )
                })
                .unwrap_or_default();
            return Some(format!(
                "status: expected {expected_status}, got {}{why}",
                status.as_str()
            ));
        }
        if status == ExecutionStatus::Succeeded {
            if let Some(expected) = self.expected.get("output") {
                let actual = execution.output().cloned().unwrap_or(Value::Null);
                return matcher.difference(expected, &actual, "output");
            }
            return None;
        }
        let failure = execution.failure();
        for (key, actual) in [
            ("error", failure.and_then(|f| f.error.clone())),
            ("cause", failure.and_then(|f| f.cause.clone())),
        ] {
            let actual = actual.map_or(Value::Null, Value::String);
            let expected = self.expected.get(key).cloned().unwrap_or(Value::Null);
            if let Some(difference) = matcher.difference(&expected, &actual, key) {
                return Some(difference);
            }
        }
        None
    }
}

/// Every `*.json` test case under the given files and folders (recursively), sorted.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for path in paths {
        collect_into(path, &mut out, 0)?;
    }
    out.sort();
    Ok(out)
}

fn collect_into(path: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<(), String> {
    if depth > 64 {
        return Ok(());
    }
    let metadata = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if metadata.is_dir() {
        let entries = std::fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))?;
        for entry in entries.flatten() {
            let child = entry.path();
            let is_case = child.extension().is_some_and(|e| e == "json");
            if child.is_dir() || is_case {
                collect_into(&child, out, depth + 1)?;
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
    Ok(())
}
