//! What the run panel reads of the definition: where each state is (a history names states,
//! the canvas selects `StateRef`s, and a state inside a branch or a Map has a scope of its
//! own), and the settings of each Map / Parallel (distributed, tolerated failures, branches).
//! Read once per revision: a large definition is not parsed every frame.

use crate::asl::graph_edit::StateRef;
use crate::asl::model::{MapMode, NumberField, StateKind, StateMachine};
use serde_json::Value;
use std::collections::HashMap;

/// A Map or Parallel state's settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub(in crate::app::run) struct ContainerInfo {
    pub distributed: bool,
    /// Branches (Parallel).
    pub branches: usize,
    /// `ToleratedFailureCount` / `…Percentage` as written (a number, a path, an expression).
    pub tolerated_count: Option<String>,
    pub tolerated_percentage: Option<String>,
}

/// The definition as the run panel reads it; see the module comment.
#[derive(Debug, Default)]
pub(in crate::app::run) struct DefinitionInfo {
    revision: Option<u64>,
    refs: HashMap<String, StateRef>,
    containers: HashMap<String, ContainerInfo>,
    /// Fail states' error and cause as written (their visits record no failure event).
    fails: HashMap<String, (Option<String>, Option<String>)>,
}

impl DefinitionInfo {
    /// Reads `definition` unless this revision was read already.
    pub(in crate::app::run) fn refresh(&mut self, definition: Option<&Value>, revision: u64) {
        if self.revision == Some(revision) {
            return;
        }
        self.revision = Some(revision);
        self.refs.clear();
        self.containers.clear();
        self.fails.clear();
        let Some(machine) = definition.and_then(|d| StateMachine::from_value(d).ok()) else {
            return;
        };
        for (_, state) in machine.walk() {
            if let Some(reference) = StateRef::from_pointer(&state.pointer) {
                self.refs.insert(state.name.clone(), reference);
            }
            let info =
                match &state.kind {
                    StateKind::Parallel(parallel) => ContainerInfo {
                        branches: parallel.branches.len(),
                        ..ContainerInfo::default()
                    },
                    StateKind::Map(map) => ContainerInfo {
                        distributed: map
                            .processor
                            .as_ref()
                            .is_some_and(|p| p.mode == MapMode::Distributed),
                        branches: 0,
                        tolerated_count: map.tolerated_failure_count.as_ref().map(number_text),
                        tolerated_percentage: map
                            .tolerated_failure_percentage
                            .as_ref()
                            .map(number_text),
                    },
                    StateKind::Fail(fail) => {
                        let error = fail.error.clone().or_else(|| {
                            fail.error_path.as_ref().map(|p| format!("(ErrorPath {p})"))
                        });
                        let cause = fail.cause.clone().or_else(|| {
                            fail.cause_path.as_ref().map(|p| format!("(CausePath {p})"))
                        });
                        self.fails.insert(state.name.clone(), (error, cause));
                        continue;
                    }
                    _ => continue,
                };
            self.containers.insert(state.name.clone(), info);
        }
    }

    /// The state of this name (names are unique in a machine, branches and Maps included); a
    /// top-level reference when the text no longer has it.
    pub(in crate::app::run) fn state_ref(&self, name: &str) -> StateRef {
        self.refs
            .get(name)
            .cloned()
            .unwrap_or_else(|| StateRef::top(name))
    }

    pub(in crate::app::run) fn container(&self, name: &str) -> Option<&ContainerInfo> {
        self.containers.get(name)
    }

    /// A Fail state's error and cause, as written.
    pub(in crate::app::run) fn fail(&self, name: &str) -> Option<(Option<&str>, Option<&str>)> {
        self.fails
            .get(name)
            .map(|(error, cause)| (error.as_deref(), cause.as_deref()))
    }
}

fn number_text(field: &NumberField) -> String {
    match field {
        NumberField::Number(number) => number.to_string(),
        NumberField::Path(path) => format!("from {path}"),
        NumberField::Jsonata(expression) => expression.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn states_in_a_map_get_the_processor_scope() {
        let definition = json!({"StartAt": "M", "States": {
            "M": {"Type": "Map", "ToleratedFailureCount": 2,
                "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"},
                    "StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": true}}},
                "End": true}}});
        let mut info = DefinitionInfo::default();
        info.refresh(Some(&definition), 1);
        assert_eq!(info.state_ref("Work").scope, "/States/M/ItemProcessor");
        assert_eq!(info.state_ref("M"), StateRef::top("M"));
        let map = info.container("M").cloned().unwrap_or_default();
        assert!(map.distributed);
        assert_eq!(map.tolerated_count.as_deref(), Some("2"));
    }
}
