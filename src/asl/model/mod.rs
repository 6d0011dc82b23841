//! The typed view of a state machine: every state type and field of the current language.
//!
//! Built leniently from the document's JSON value: a wrongly typed field is left out of the
//! typed part (the validator reports it) and fields we do not know are kept in `extra`, so the
//! designer can show and round-trip anything a user writes.

mod choice;
mod fields;
mod states;

pub use choice::{ChoiceRule, Comparison, ComparisonOperator, ComparisonValue, Condition};
pub use fields::{Catcher, JitterStrategy, NumberField, Retrier};
pub use states::{
    Branch, Credentials, Fail, IntegrationPattern, ItemBatcher, ItemProcessor, Map, MapMode,
    Parallel, Pass, Task, Wait, WaitFor,
};

use crate::asl::document::pointer;
use indexmap::IndexMap;
use serde_json::{Map as JsonMap, Value};

/// `QueryLanguage`: JSONPath (the default) or JSONata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum QueryLanguage {
    #[default]
    JsonPath,
    Jsonata,
}

impl QueryLanguage {
    pub fn parse(text: &str) -> Option<QueryLanguage> {
        match text {
            "JSONPath" => Some(QueryLanguage::JsonPath),
            "JSONata" => Some(QueryLanguage::Jsonata),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            QueryLanguage::JsonPath => "JSONPath",
            QueryLanguage::Jsonata => "JSONata",
        }
    }
}

/// The eight state types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StateType {
    Pass,
    Task,
    Choice,
    Wait,
    Succeed,
    Fail,
    Parallel,
    Map,
}

impl StateType {
    pub const ALL: [StateType; 8] = [
        StateType::Pass,
        StateType::Task,
        StateType::Choice,
        StateType::Wait,
        StateType::Succeed,
        StateType::Fail,
        StateType::Parallel,
        StateType::Map,
    ];

    pub fn parse(text: &str) -> Option<StateType> {
        StateType::ALL.into_iter().find(|t| t.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StateType::Pass => "Pass",
            StateType::Task => "Task",
            StateType::Choice => "Choice",
            StateType::Wait => "Wait",
            StateType::Succeed => "Succeed",
            StateType::Fail => "Fail",
            StateType::Parallel => "Parallel",
            StateType::Map => "Map",
        }
    }

    /// Terminal types end the machine by themselves.
    pub fn is_terminal(self) -> bool {
        matches!(self, StateType::Succeed | StateType::Fail)
    }
}

/// A whole state machine, or a Parallel branch / Map item processor (same shape).
#[derive(Debug, Clone, PartialEq)]
pub struct StateMachine {
    pub comment: Option<String>,
    pub start_at: String,
    pub states: IndexMap<String, State>,
    /// The language declared at this level (top level or branch), None when absent.
    pub query_language: Option<QueryLanguage>,
    pub timeout_seconds: Option<u64>,
    pub version: Option<String>,
    /// JSON pointer of this machine in the document ("" for the top level).
    pub pointer: String,
    pub extra: JsonMap<String, Value>,
}

/// Where a state goes next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    Next(String),
    End,
    /// Choice, Succeed and Fail decide for themselves (or the definition is incomplete).
    None,
}

/// Input/output fields shared by many state types (which ones apply is the validator's job).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DataFlow {
    /// `InputPath`; `Some(None)` is an explicit `null` (the state gets `{}`).
    pub input_path: Option<Option<String>>,
    pub output_path: Option<Option<String>>,
    /// `ResultPath`; `Some(None)` is `null` (discard the result, keep the input).
    pub result_path: Option<Option<String>>,
    pub parameters: Option<Value>,
    pub result_selector: Option<Value>,
    /// JSONata `Arguments` (an object, or a `{% %}` string).
    pub arguments: Option<Value>,
    /// JSONata `Output`.
    pub output: Option<Value>,
    /// `Assign` (both languages).
    pub assign: Option<Value>,
}

/// One state with the fields every type shares and its type-specific part.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub name: String,
    /// JSON pointer of the state object in the document.
    pub pointer: String,
    pub comment: Option<String>,
    pub query_language: Option<QueryLanguage>,
    pub transition: Transition,
    pub data: DataFlow,
    pub kind: StateKind,
    /// Fields that no state type defines (kept for round trips).
    pub extra: JsonMap<String, Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StateKind {
    Pass(Pass),
    Task(Box<Task>),
    Choice(choice::Choice),
    Wait(Wait),
    Succeed,
    Fail(Fail),
    Parallel(Parallel),
    Map(Box<Map>),
    /// A `Type` we do not know (or none): shown, but never run.
    Unknown(Option<String>),
}

pub use choice::Choice;

impl State {
    pub fn state_type(&self) -> Option<StateType> {
        Some(match &self.kind {
            StateKind::Pass(_) => StateType::Pass,
            StateKind::Task(_) => StateType::Task,
            StateKind::Choice(_) => StateType::Choice,
            StateKind::Wait(_) => StateType::Wait,
            StateKind::Succeed => StateType::Succeed,
            StateKind::Fail(_) => StateType::Fail,
            StateKind::Parallel(_) => StateType::Parallel,
            StateKind::Map(_) => StateType::Map,
            StateKind::Unknown(_) => return None,
        })
    }

    /// The effective query language: the state's own, else the machine's.
    pub fn language(&self, machine_default: QueryLanguage) -> QueryLanguage {
        self.query_language.unwrap_or(machine_default)
    }

    /// Retry and Catch, for the types that have them.
    pub fn error_handling(&self) -> (&[Retrier], &[Catcher]) {
        match &self.kind {
            StateKind::Task(t) => (&t.retry, &t.catch),
            StateKind::Parallel(p) => (&p.retry, &p.catch),
            StateKind::Map(m) => (&m.retry, &m.catch),
            _ => (&[], &[]),
        }
    }

    /// Every state this one can transition to, in a stable order (Next, choices, default, catches).
    pub fn successors(&self) -> Vec<&str> {
        let mut out = Vec::new();
        if let Transition::Next(next) = &self.transition {
            out.push(next.as_str());
        }
        if let StateKind::Choice(choice) = &self.kind {
            out.extend(choice.choices.iter().filter_map(|r| r.next.as_deref()));
            out.extend(choice.default.as_deref());
        }
        let (_, catchers) = self.error_handling();
        out.extend(catchers.iter().filter_map(|c| c.next.as_deref()));
        out
    }

    /// Nested machines: Parallel branches and the Map item processor.
    pub fn children(&self) -> Vec<&StateMachine> {
        match &self.kind {
            StateKind::Parallel(p) => p.branches.iter().map(|b| &b.machine).collect(),
            StateKind::Map(m) => m.processor.iter().map(|p| &p.machine).collect(),
            _ => Vec::new(),
        }
    }
}

/// A machine could not even be read as an object with `States`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error("a state machine must be a JSON object")]
    NotAnObject,
    #[error("the state machine has no \"States\" object")]
    NoStates,
}

impl StateMachine {
    /// Reads the top-level machine from the document value.
    pub fn from_value(value: &Value) -> Result<StateMachine, ModelError> {
        StateMachine::at(value, String::new())
    }

    /// Reads a machine (top level, branch or processor) located at `pointer`.
    pub fn at(value: &Value, pointer: String) -> Result<StateMachine, ModelError> {
        let object = value.as_object().ok_or(ModelError::NotAnObject)?;
        let states_value = object
            .get("States")
            .and_then(Value::as_object)
            .ok_or(ModelError::NoStates)?;
        let states_pointer = pointer::join(&pointer, "States");
        let states = states_value
            .iter()
            .map(|(name, state)| {
                let state_pointer = pointer::join(&states_pointer, name);
                (name.clone(), State::from_value(name, state, state_pointer))
            })
            .collect();
        const KNOWN: [&str; 7] = [
            "Comment",
            "StartAt",
            "States",
            "QueryLanguage",
            "TimeoutSeconds",
            "Version",
            "ProcessorConfig",
        ];
        let extra: JsonMap<String, Value> = object
            .iter()
            .filter(|(key, _)| !KNOWN.contains(&key.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Ok(StateMachine {
            comment: fields::string(object, "Comment"),
            start_at: fields::string(object, "StartAt").unwrap_or_default(),
            states,
            query_language: fields::string(object, "QueryLanguage")
                .and_then(|q| QueryLanguage::parse(&q)),
            timeout_seconds: object.get("TimeoutSeconds").and_then(Value::as_u64),
            version: fields::string(object, "Version"),
            pointer,
            extra,
        })
    }

    pub fn language(&self) -> QueryLanguage {
        self.query_language.unwrap_or_default()
    }

    pub fn state(&self, name: &str) -> Option<&State> {
        self.states.get(name)
    }

    /// Every state at every depth, parents before children, with its enclosing machine.
    pub fn walk(&self) -> Vec<(&StateMachine, &State)> {
        let mut out = Vec::new();
        self.walk_into(&mut out);
        out
    }

    fn walk_into<'a>(&'a self, out: &mut Vec<(&'a StateMachine, &'a State)>) {
        for state in self.states.values() {
            out.push((self, state));
            for child in state.children() {
                child.walk_into(out);
            }
        }
    }
}

impl State {
    pub fn from_value(name: &str, value: &Value, pointer: String) -> State {
        let empty = JsonMap::new();
        let object = value.as_object().unwrap_or(&empty);
        let type_name = fields::string(object, "Type");
        let state_type = type_name.as_deref().and_then(StateType::parse);
        let specific: &[&str] = match state_type {
            Some(StateType::Pass) => &["Result"],
            Some(StateType::Task) => &states::TASK_FIELDS,
            Some(StateType::Choice) => &["Choices", "Default"],
            Some(StateType::Wait) => &["Seconds", "SecondsPath", "Timestamp", "TimestampPath"],
            Some(StateType::Fail) => &["Error", "ErrorPath", "Cause", "CausePath"],
            Some(StateType::Parallel) => &["Branches"],
            Some(StateType::Map) => &states::MAP_FIELDS,
            Some(StateType::Succeed) | None => &[],
        };
        let handles_errors = matches!(
            state_type,
            Some(StateType::Task | StateType::Parallel | StateType::Map)
        );
        // Only the unknown fields are copied (most states have none).
        let extra: JsonMap<String, Value> = object
            .iter()
            .filter(|(key, _)| {
                let key = key.as_str();
                let known = fields::COMMON_FIELDS.contains(&key)
                    || specific.contains(&key)
                    || (handles_errors && fields::ERROR_FIELDS.contains(&key));
                !known
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let kind = match state_type {
            Some(StateType::Pass) => StateKind::Pass(Pass::from_object(object)),
            Some(StateType::Task) => StateKind::Task(Box::new(Task::from_object(object, &pointer))),
            Some(StateType::Choice) => StateKind::Choice(choice::Choice::from_object(object)),
            Some(StateType::Wait) => StateKind::Wait(Wait::from_object(object)),
            Some(StateType::Succeed) => StateKind::Succeed,
            Some(StateType::Fail) => StateKind::Fail(Fail::from_object(object)),
            Some(StateType::Parallel) => {
                StateKind::Parallel(Parallel::from_object(object, &pointer))
            }
            Some(StateType::Map) => StateKind::Map(Box::new(Map::from_object(object, &pointer))),
            None => StateKind::Unknown(type_name),
        };
        let transition = match (object.get("Next"), object.get("End")) {
            (Some(Value::String(next)), _) => Transition::Next(next.clone()),
            (_, Some(Value::Bool(true))) => Transition::End,
            _ => Transition::None,
        };
        State {
            name: name.to_string(),
            pointer,
            comment: fields::string(object, "Comment"),
            query_language: fields::string(object, "QueryLanguage")
                .and_then(|q| QueryLanguage::parse(&q)),
            transition,
            data: DataFlow::from_object(object),
            kind,
            extra,
        }
    }
}

impl DataFlow {
    fn from_object(object: &JsonMap<String, Value>) -> DataFlow {
        DataFlow {
            input_path: fields::nullable_string(object, "InputPath"),
            output_path: fields::nullable_string(object, "OutputPath"),
            result_path: fields::nullable_string(object, "ResultPath"),
            parameters: object.get("Parameters").cloned(),
            result_selector: object.get("ResultSelector").cloned(),
            arguments: object.get("Arguments").cloned(),
            output: object.get("Output").cloned(),
            assign: object.get("Assign").cloned(),
        }
    }
}

#[cfg(test)]
mod tests;
