//! TestState's `context`: the context object the state sees instead of the one AWS builds,
//! checked as AWS checks it.

use super::{ApiError, Tested};
use crate::asl::model::IntegrationPattern;
use serde_json::Value;

/// The fields a context object may hold, per object (AWS: "Field 'x' is not allowed").
const EXECUTION: &[&str] = &[
    "Id",
    "Input",
    "Name",
    "RoleArn",
    "StartTime",
    "RedriveCount",
    "RedriveTime",
];
const STATE: &[&str] = &["EnteredTime", "Name", "RetryCount"];
const STATE_MACHINE: &[&str] = &["Id", "Name"];
const TASK: &[&str] = &["Token"];
const MAP: &[&str] = &["Item"];
/// Members that must be strings (AWS: "Execution.Id must be a string").
const STRINGS: &[(&str, &str)] = &[
    ("Execution", "Id"),
    ("Execution", "Name"),
    ("Execution", "RoleArn"),
    ("Execution", "StartTime"),
    ("Execution", "RedriveTime"),
    ("State", "EnteredTime"),
    ("State", "Name"),
    ("StateMachine", "Id"),
    ("StateMachine", "Name"),
    ("Task", "Token"),
];
const INTEGERS: &[(&str, &str)] = &[("Execution", "RedriveCount"), ("State", "RetryCount")];

fn invalid(message: impl std::fmt::Display) -> ApiError {
    ApiError::validation(format!("Invalid Context object provided: {message}"))
}

/// Reads and checks the context object of a request.
pub(super) fn parse(text: &str, tested: &Tested) -> Result<Value, ApiError> {
    let context: Value =
        serde_json::from_str(text).map_err(|e| invalid(format!("the context is not JSON: {e}")))?;
    let Value::Object(object) = &context else {
        return Err(invalid("the context must be a JSON object"));
    };
    for (key, value) in object {
        let allowed = match key.as_str() {
            "Execution" => EXECUTION,
            "State" => STATE,
            "StateMachine" => STATE_MACHINE,
            "Task" => TASK,
            "Map" => MAP,
            _ => return Err(invalid(format!("Field '{key}' is not allowed"))),
        };
        let Value::Object(members) = value else {
            return Err(invalid(format!("{key} must be an object")));
        };
        if let Some(unknown) = members.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(invalid(format!("Field '{unknown}' is not allowed")));
        }
        for (name, member) in members {
            let path = (key.as_str(), name.as_str());
            if STRINGS.contains(&path) && !member.is_string() {
                return Err(invalid(format!("{key}.{name} must be a string")));
            }
            if INTEGERS.contains(&path) && member.as_u64().is_none() {
                return Err(invalid(format!("{key}.{name} must be an integer")));
            }
        }
    }
    if object.contains_key("Task") && !takes_task_token(tested) {
        return Err(invalid(
            "Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern",
        ));
    }
    Ok(context)
}

/// Only a Task state that waits (`.sync`, `.waitForTaskToken`) has `$$.Task`.
fn takes_task_token(tested: &Tested) -> bool {
    tested.state_type == "Task"
        && tested
            .state
            .get("Resource")
            .and_then(Value::as_str)
            .is_some_and(|r| IntegrationPattern::of(r) != IntegrationPattern::RequestResponse)
}
