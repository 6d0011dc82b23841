//! Machine-level checks: required fields, transitions, reachability and state names.

use super::{Anchor, Code, Validator};
use crate::asl::document::pointer;
use crate::asl::model::StateType;
use rustc_hash::FxHashMap;
use serde_json::{Map as JsonMap, Value};
use std::collections::VecDeque;

/// Where a machine sits: its allowed fields differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Level {
    Top,
    Branch,
    Processor,
}

const MAX_STATE_NAME: usize = 80;

impl Validator<'_> {
    pub(super) fn check_machine(
        &mut self,
        object: &JsonMap<String, Value>,
        at: &str,
        level: Level,
    ) {
        let (allowed, what): (&[&str], &str) = match level {
            Level::Top => (
                &[
                    "Comment",
                    "StartAt",
                    "States",
                    "Version",
                    "TimeoutSeconds",
                    "QueryLanguage",
                ],
                "a state machine",
            ),
            Level::Branch => (
                &["Comment", "StartAt", "States", "QueryLanguage"],
                "a Parallel branch",
            ),
            Level::Processor => (
                &[
                    "Comment",
                    "StartAt",
                    "States",
                    "ProcessorConfig",
                    "QueryLanguage",
                ],
                "a Map item processor",
            ),
        };
        self.check_known_fields(object, at, allowed, what);
        let missing: Vec<&str> = ["StartAt", "States"]
            .into_iter()
            .filter(|k| !object.contains_key(*k))
            .collect();
        if !missing.is_empty() {
            self.error(
                at,
                Anchor::Value,
                Code::MissingField,
                format!("{what} needs {}", missing.join(" and ")),
            );
        }
        if level == Level::Top {
            self.check_top_level_fields(object);
        }
        if let Some(comment) = object.get("Comment") {
            self.expect_string(comment, &pointer::join(at, "Comment"), "Comment");
        }
        let start_at = match object.get("StartAt") {
            Some(Value::String(s)) => Some(s.as_str()),
            Some(_) => {
                self.error(
                    &pointer::join(at, "StartAt"),
                    Anchor::Value,
                    Code::WrongType,
                    "StartAt must be a string naming a state",
                );
                None
            }
            None => None,
        };
        let states_at = pointer::join(at, "States");
        let states = match object.get("States") {
            Some(Value::Object(states)) => states,
            Some(_) => {
                self.error(
                    &states_at,
                    Anchor::Value,
                    Code::WrongType,
                    "States must be an object of named states",
                );
                return;
            }
            None => return,
        };
        if states.is_empty() {
            self.error(
                &states_at,
                Anchor::Value,
                Code::EmptyStates,
                format!("{what} must have at least one state"),
            );
            return;
        }
        for (name, state) in states {
            let state_at = pointer::join(&states_at, name);
            self.check_state_name(name, &state_at);
            self.check_state(name, state, &state_at);
        }
        if let Some(start) = start_at
            && !states.contains_key(start)
        {
            self.report_missing_target(&pointer::join(at, "StartAt"), start, "StartAt");
        }
        self.check_graph(states, &states_at, start_at);
    }

    fn check_top_level_fields(&mut self, object: &JsonMap<String, Value>) {
        if let Some(version) = object.get("Version") {
            match version.as_str() {
                Some("1.0") => {}
                Some(other) => self.warning(
                    &format!("{}/Version", self.base),
                    Anchor::Value,
                    Code::InvalidValue,
                    format!("the only ASL version is \"1.0\", not \"{other}\""),
                ),
                None => self.error(
                    &format!("{}/Version", self.base),
                    Anchor::Value,
                    Code::WrongType,
                    "Version must be a string such as \"1.0\"",
                ),
            }
        }
        if let Some(timeout) = object.get("TimeoutSeconds") {
            self.expect_integer_in(
                timeout,
                &format!("{}/TimeoutSeconds", self.base),
                "TimeoutSeconds",
                1,
                99_999_999,
            );
        }
        if let Some(language) = object.get("QueryLanguage") {
            self.check_query_language_value(language, &format!("{}/QueryLanguage", self.base));
        }
    }

    pub(super) fn check_query_language_value(&mut self, value: &Value, at: &str) {
        if !matches!(value.as_str(), Some("JSONPath" | "JSONata")) {
            self.error(
                at,
                Anchor::Value,
                Code::InvalidValue,
                "QueryLanguage must be \"JSONPath\" or \"JSONata\"",
            );
        }
    }

    fn check_state_name(&mut self, name: &str, at: &str) {
        let length = name.chars().count();
        if length > MAX_STATE_NAME {
            self.error(
                at,
                Anchor::Key,
                Code::StateNameTooLong,
                format!("state names can have at most {MAX_STATE_NAME} characters; this one has {length}"),
            );
        }
        if name.is_empty() {
            self.error(
                at,
                Anchor::Key,
                Code::InvalidName,
                "a state name cannot be empty",
            );
        } else if name.chars().any(char::is_control) {
            self.error(
                at,
                Anchor::Key,
                Code::InvalidName,
                "a state name cannot contain control characters",
            );
        }
        match self.state_names.get(name) {
            Some(first) => {
                let first_line = self
                    .doc
                    .key_span_of(first)
                    .map(|s| self.doc.position(s.start).line)
                    .unwrap_or_default();
                self.error(
                    at,
                    Anchor::Key,
                    Code::DuplicateStateName,
                    format!(
                        "the state name \"{name}\" is already used at line {first_line}; names must be unique in the whole state machine, including inside Parallel and Map"
                    ),
                );
            }
            None => {
                self.state_names.insert(name.to_string(), at.to_string());
            }
        }
    }

    /// A transition target that is not in this scope (perhaps in another one).
    pub(super) fn report_missing_target(&mut self, at: &str, target: &str, field: &str) {
        let elsewhere = self.root.get("States").is_some() && self.state_exists_anywhere(target);
        if elsewhere {
            self.error(
                at,
                Anchor::Value,
                Code::TargetOutOfScope,
                format!(
                    "{field} \"{target}\" names a state outside this scope; a Parallel branch or Map processor can only move between its own states"
                ),
            );
        } else {
            self.error(
                at,
                Anchor::Value,
                Code::UnknownTarget,
                format!("{field} \"{target}\" is not a state of this state machine"),
            );
        }
    }

    fn state_exists_anywhere(&self, name: &str) -> bool {
        fn search(value: &Value, name: &str, depth: usize) -> bool {
            if depth > 64 {
                return false;
            }
            let Some(states) = value.get("States").and_then(Value::as_object) else {
                return false;
            };
            states.iter().any(|(n, state)| {
                n == name
                    || state
                        .get("Branches")
                        .and_then(Value::as_array)
                        .is_some_and(|b| b.iter().any(|m| search(m, name, depth + 1)))
                    || ["ItemProcessor", "Iterator"]
                        .iter()
                        .filter_map(|k| state.get(*k))
                        .any(|m| search(m, name, depth + 1))
            })
        }
        search(self.root, name, 0)
    }

    /// Transitions, unreachable states and states that can never reach an end.
    fn check_graph(
        &mut self,
        states: &JsonMap<String, Value>,
        states_at: &str,
        start_at: Option<&str>,
    ) {
        let index: FxHashMap<&str, usize> = states
            .keys()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i))
            .collect();
        let mut successors: Vec<Vec<usize>> = vec![Vec::new(); states.len()];
        let mut terminal = vec![false; states.len()];
        for (i, (name, state)) in states.iter().enumerate() {
            for target in transition_targets(state) {
                match index.get(target.name) {
                    Some(&j) => successors[i].push(j),
                    None => {
                        let at = target.pointer(&pointer::join(states_at, name));
                        self.report_missing_target(&at, target.name, target.field);
                        // A dangling transition is already reported; do not also call it endless.
                        terminal[i] = true;
                    }
                }
            }
            let state_type = state
                .get("Type")
                .and_then(Value::as_str)
                .and_then(StateType::parse);
            if state.get("End") == Some(&Value::Bool(true))
                || state_type.is_none_or(StateType::is_terminal)
            {
                terminal[i] = true;
            }
        }
        let Some(&start) = start_at.and_then(|s| index.get(s)) else {
            return;
        };
        let reachable = reach(&successors, [start]);
        let mut predecessors: Vec<Vec<usize>> = vec![Vec::new(); states.len()];
        for (from, targets) in successors.iter().enumerate() {
            for &to in targets {
                predecessors[to].push(from);
            }
        }
        let can_end = reach(&predecessors, (0..states.len()).filter(|&i| terminal[i]));
        let start_name = start_at.unwrap_or_default();
        for (i, name) in states.keys().enumerate() {
            if !reachable[i] {
                self.error(
                    &pointer::join(states_at, name),
                    Anchor::Key,
                    Code::UnreachableState,
                    format!("no transition leads to \"{name}\" from StartAt \"{start_name}\""),
                );
            } else if !can_end[i] {
                self.error(
                    &pointer::join(states_at, name),
                    Anchor::Key,
                    Code::NoPathToEnd,
                    format!("from \"{name}\" no path leads to an end (End: true, Succeed or Fail): the execution would loop forever"),
                );
            }
        }
    }
}

/// One transition a state declares; its pointer is built only when it is reported.
struct Target<'v> {
    name: &'v str,
    field: &'static str,
    /// ("Next") / ("Default") or ("Choices"|"Catch", index, "Next").
    place: (&'static str, Option<usize>),
}

impl Target<'_> {
    fn pointer(&self, state_at: &str) -> String {
        match self.place {
            (field, None) => pointer::join(state_at, field),
            (list, Some(i)) => pointer::join(
                &pointer::join(&pointer::join(state_at, list), &i.to_string()),
                "Next",
            ),
        }
    }
}

fn transition_targets(state: &Value) -> Vec<Target<'_>> {
    let mut out = Vec::new();
    if let Some(Value::String(next)) = state.get("Next") {
        out.push(Target {
            name: next,
            field: "Next",
            place: ("Next", None),
        });
    }
    if let Some(Value::String(default)) = state.get("Default") {
        out.push(Target {
            name: default,
            field: "Default",
            place: ("Default", None),
        });
    }
    for list in ["Choices", "Catch"] {
        if let Some(Value::Array(items)) = state.get(list) {
            for (i, item) in items.iter().enumerate() {
                if let Some(Value::String(next)) = item.get("Next") {
                    out.push(Target {
                        name: next,
                        field: "Next",
                        place: (list, Some(i)),
                    });
                }
            }
        }
    }
    out
}

/// Every node reachable from `from` along `edges`.
fn reach(edges: &[Vec<usize>], from: impl IntoIterator<Item = usize>) -> Vec<bool> {
    let mut seen = vec![false; edges.len()];
    let mut queue: VecDeque<usize> = VecDeque::new();
    for start in from {
        if let Some(flag) = seen.get_mut(start).filter(|f| !**f) {
            *flag = true;
            queue.push_back(start);
        }
    }
    while let Some(node) = queue.pop_front() {
        for &next in edges.get(node).into_iter().flatten() {
            if let Some(flag) = seen.get_mut(next).filter(|f| !**f) {
                *flag = true;
                queue.push_back(next);
            }
        }
    }
    seen
}
