//! Breakpoints: stop before a state is entered (optionally only when a JSONata condition over
//! the state's input holds), and break on errors (any, or only those nothing handles).

use crate::asl::jsonata::{Bindings, EvalOptions, Expression, RandomSource};
use crate::engine::{PausePoint, PausePolicy};
use serde_json::{Map as JsonMap, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One breakpoint, on a state (by name: names are unique in a machine).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Breakpoint {
    pub state: String,
    /// A JSONata condition over `$states.input` (written `{% ... %}` or bare); none: always.
    pub condition: Option<String>,
    pub enabled: bool,
}

impl Breakpoint {
    pub fn on(state: impl Into<String>) -> Breakpoint {
        Breakpoint {
            state: state.into(),
            condition: None,
            enabled: true,
        }
    }

    pub fn when(mut self, condition: impl Into<String>) -> Breakpoint {
        self.condition = Some(condition.into());
        self
    }
}

/// Which errors stop the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BreakOnError {
    #[default]
    Never,
    /// Every error a state raises, even one a retrier or catcher then handles.
    Any,
    /// Only errors no retrier or catcher handles.
    Uncaught,
}

/// The breakpoints of a run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Breakpoints {
    pub list: Vec<Breakpoint>,
    pub on_error: BreakOnError,
}

impl Breakpoints {
    pub fn get(&self, state: &str) -> Option<&Breakpoint> {
        self.list.iter().find(|b| b.state == state)
    }

    pub fn has(&self, state: &str) -> bool {
        self.get(state).is_some_and(|b| b.enabled)
    }

    /// Adds a breakpoint on the state, or removes the one there (F9).
    pub fn toggle(&mut self, state: &str) {
        match self.list.iter().position(|b| b.state == state) {
            Some(index) => {
                self.list.remove(index);
            }
            None => self.list.push(Breakpoint::on(state)),
        }
    }

    /// A state was renamed: its breakpoint follows.
    pub fn rename(&mut self, from: &str, to: &str) {
        for breakpoint in &mut self.list {
            if breakpoint.state == from {
                breakpoint.state = to.to_string();
            }
        }
    }
}

/// Whether a breakpoint stops before entering `state` with `input`. A condition that cannot
/// be evaluated stops too, and says why (a debugger should not skip a breakpoint silently).
pub fn stops_at_entry(
    breakpoints: &Breakpoints,
    state: &str,
    input: &Value,
) -> Result<bool, String> {
    let Some(breakpoint) = breakpoints.get(state).filter(|b| b.enabled) else {
        return Ok(false);
    };
    let Some(condition) = breakpoint
        .condition
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    else {
        return Ok(true);
    };
    let source = condition
        .strip_prefix("{%")
        .and_then(|c| c.strip_suffix("%}"))
        .unwrap_or(condition);
    let expression = Expression::parse(source).map_err(|e| e.to_string())?;
    let mut states = JsonMap::new();
    states.insert("input".into(), input.clone());
    let bindings = Bindings::new().with("states", Value::Object(states));
    let options = EvalOptions {
        random: RandomSource::Seed(0),
        // A condition is a small question; an endless one must not hang the run.
        time_limit: Some(Duration::from_millis(200)),
        max_steps: Some(1_000_000),
        ..EvalOptions::default()
    };
    let value = expression
        .evaluate_with(Some(input), &bindings, options)
        .map_err(|e| e.to_string())?;
    Ok(value.as_ref().is_some_and(truthy))
}

/// Why a condition does not parse (`None`: it does, or there is none).
pub fn condition_error(condition: &str) -> Option<String> {
    let condition = condition.trim();
    if condition.is_empty() {
        return None;
    }
    let source = condition
        .strip_prefix("{%")
        .and_then(|c| c.strip_suffix("%}"))
        .unwrap_or(condition);
    Expression::parse(source).err().map(|e| e.to_string())
}

/// JSONata's boolean cast (`$boolean`).
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => items.iter().any(truthy),
        Value::Object(map) => !map.is_empty(),
    }
}

/// The breakpoints as the execution's pause policy. Shared with the debugger, which edits
/// them while the run is paused (or running: the next check sees the change).
#[derive(Debug, Default, Clone)]
pub struct SharedBreakpoints {
    inner: Arc<Mutex<Breakpoints>>,
    /// The last condition that could not be evaluated (state, message).
    condition_error: Arc<Mutex<Option<(String, String)>>>,
}

impl SharedBreakpoints {
    pub fn new(breakpoints: Breakpoints) -> SharedBreakpoints {
        SharedBreakpoints {
            inner: Arc::new(Mutex::new(breakpoints)),
            condition_error: Arc::default(),
        }
    }

    pub fn get(&self) -> Breakpoints {
        self.inner.lock().map(|b| b.clone()).unwrap_or_default()
    }

    pub fn set(&self, breakpoints: Breakpoints) {
        if let Ok(mut inner) = self.inner.lock() {
            *inner = breakpoints;
        }
    }

    /// The condition that failed at the last stop, if one did.
    pub fn take_condition_error(&self) -> Option<(String, String)> {
        self.condition_error.lock().ok().and_then(|mut e| e.take())
    }
}

impl PausePolicy for SharedBreakpoints {
    fn should_pause(&self, point: &PausePoint<'_>) -> bool {
        let Ok(breakpoints) = self.inner.lock() else {
            return false;
        };
        match point {
            PausePoint::Entry { state, input } => {
                match stops_at_entry(&breakpoints, state, input) {
                    Ok(stop) => stop,
                    Err(message) => {
                        if let Ok(mut slot) = self.condition_error.lock() {
                            *slot = Some((state.to_string(), message));
                        }
                        true
                    }
                }
            }
            PausePoint::Error { handled, .. } => match breakpoints.on_error {
                BreakOnError::Never => false,
                BreakOnError::Any => true,
                BreakOnError::Uncaught => !handled,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn conditions_are_jsonata_over_the_input() {
        let mut breakpoints = Breakpoints::default();
        breakpoints
            .list
            .push(Breakpoint::on("Charge").when("{% $states.input.amount > 100 %}"));
        assert_eq!(
            stops_at_entry(&breakpoints, "Charge", &json!({"amount": 150})),
            Ok(true)
        );
        assert_eq!(
            stops_at_entry(&breakpoints, "Charge", &json!({"amount": 50})),
            Ok(false)
        );
        assert_eq!(
            stops_at_entry(&breakpoints, "Other", &json!({"amount": 150})),
            Ok(false)
        );
        breakpoints.list[0].condition = Some("$states.input.amount >".into());
        assert!(stops_at_entry(&breakpoints, "Charge", &json!({})).is_err());
    }

    #[test]
    fn toggling_and_renaming() {
        let mut breakpoints = Breakpoints::default();
        breakpoints.toggle("A");
        assert!(breakpoints.has("A"));
        breakpoints.rename("A", "B");
        assert!(breakpoints.has("B") && !breakpoints.has("A"));
        breakpoints.toggle("B");
        assert!(breakpoints.list.is_empty());
    }
}
