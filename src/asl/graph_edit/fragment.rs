//! A block of states on its way into a workflow: a palette item, a pattern, the clipboard.

use super::scan::{child_scopes, scope_states, takes_next, transitions, unique_name};
use super::{GraphEditError, StateRef};
use super::{Slot, scan::state_type};
use crate::asl::document::{Document, Format, to_json_pretty};
use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::{Map, Value, json};

/// States with the one they start at; their transitions may name states outside the block
/// (the block's exits, wired to whatever follows the place it is dropped on).
#[derive(Debug, Clone, PartialEq)]
pub struct Fragment {
    pub start: String,
    pub states: Map<String, Value>,
}

impl Fragment {
    /// One state.
    pub fn single(name: impl Into<String>, state: Value) -> Fragment {
        let name = name.into();
        let mut states = Map::new();
        states.insert(name.clone(), state);
        Fragment {
            start: name,
            states,
        }
    }

    /// The states of a whole definition (`StartAt` + `States`), e.g. a palette pattern.
    pub fn from_definition(definition: &Value) -> Result<Fragment, GraphEditError> {
        let states = definition
            .get("States")
            .and_then(Value::as_object)
            .filter(|states| !states.is_empty())
            .ok_or_else(|| GraphEditError::NotStates("no \"States\" to insert".into()))?;
        let start = definition
            .get("StartAt")
            .and_then(Value::as_str)
            .filter(|start| states.contains_key(*start))
            .map(str::to_string)
            .unwrap_or_else(|| entry_of(states));
        Ok(Fragment {
            start,
            states: states.clone(),
        })
    }

    /// Clipboard text: a definition (`StartAt` + `States`), one state (an object with a
    /// `Type`), or an object of named states; JSON or YAML.
    pub fn from_text(text: &str) -> Result<Fragment, GraphEditError> {
        let value = Document::parse(text, Format::Json)
            .or_else(|_| Document::parse(text, Format::Yaml))
            .map(|doc| doc.value().clone())
            .map_err(|e| GraphEditError::NotStates(e.to_string()))?;
        if value.get("States").is_some() {
            return Fragment::from_definition(&value);
        }
        if let Some(kind) = value.get("Type").and_then(Value::as_str) {
            return Ok(Fragment::single(kind, value.clone()));
        }
        match value.as_object() {
            Some(states)
                if !states.is_empty()
                    && states
                        .values()
                        .all(|s| s.get("Type").is_some_and(Value::is_string)) =>
            {
                Ok(Fragment {
                    start: entry_of(states),
                    states: states.clone(),
                })
            }
            _ => Err(GraphEditError::NotStates(
                "expected a state, an object of states or a definition with \"States\"".into(),
            )),
        }
    }

    /// The selected states of one graph as a block for the clipboard, in `States` order; it
    /// starts at the selected state no other selected state leads to.
    pub fn copy_of(doc: &Document, states: &[StateRef]) -> Result<Fragment, GraphEditError> {
        let scope = match states.first() {
            Some(first) => &first.scope,
            None => return Err(GraphEditError::NothingSelected("copy")),
        };
        if states.iter().any(|s| s.scope != *scope) {
            return Err(GraphEditError::SeveralGraphs);
        }
        let all = scope_states(doc.value(), scope)?;
        for state in states {
            if !all.contains_key(&state.name) {
                return Err(GraphEditError::NoSuchState(state.name.clone()));
            }
        }
        let chosen: Map<String, Value> = all
            .iter()
            .filter(|(name, _)| states.iter().any(|s| s.name == **name))
            .map(|(name, state)| (name.clone(), state.clone()))
            .collect();
        Ok(Fragment {
            start: entry_of(&chosen),
            states: chosen,
        })
    }

    /// The clipboard form: a definition any ASL tool (or another window) can read.
    pub fn to_text(&self) -> String {
        let definition = json!({"StartAt": self.start, "States": self.states});
        to_json_pretty(&definition, "  ")
    }

    /// Renames every state (nested ones included) whose name is in `taken`, updating the
    /// transitions that name it; all final names are added to `taken`.
    pub(super) fn make_names_unique(&mut self, taken: &mut FxHashSet<String>) {
        rename_graph(&mut self.start, &mut self.states, taken, 0);
    }

    /// Connects the block's ways out to `successor` (the state after the drop place), or ends
    /// the graph there when nothing follows. Rules and catchers cannot end a graph, so when
    /// one leads out and nothing follows, a Succeed state is added for them.
    pub(super) fn wire_exits(&mut self, successor: Option<&str>, taken: &mut FxHashSet<String>) {
        let mut redirect: FxHashMap<String, String> = FxHashMap::default();
        if let Some(successor) = successor {
            // A Succeed inside the block would stop the whole workflow mid-way: its callers
            // continue to the successor instead.
            let succeeds: Vec<String> = self
                .states
                .iter()
                .filter(|(name, state)| state_type(state) == "Succeed" && **name != self.start)
                .map(|(name, _)| name.clone())
                .collect();
            for name in succeeds {
                self.states.remove(&name);
                redirect.insert(name, successor.to_string());
            }
        }
        let names: FxHashSet<String> = self.states.keys().cloned().collect();
        let mut needs_end = false;
        for state in self.states.values_mut() {
            for (slot, target) in transitions(state) {
                let target = redirect.get(&target).cloned().unwrap_or(target);
                if names.contains(&target) {
                    set_slot(state, slot, Some(&target));
                    continue;
                }
                match (successor, slot) {
                    (Some(successor), _) => set_slot(state, slot, Some(successor)),
                    (None, Slot::Next | Slot::Default) => set_slot(state, slot, None),
                    (None, _) => needs_end = true,
                }
            }
            if takes_next(state) && state.get("Next").is_none() {
                match successor {
                    Some(successor) => set_slot(state, Slot::Next, Some(successor)),
                    None => set_slot(state, Slot::Next, None),
                }
            }
        }
        if needs_end {
            let end = unique_name(taken, "Success");
            taken.insert(end.clone());
            for state in self.states.values_mut() {
                for (slot, target) in transitions(state) {
                    if !names.contains(&target) {
                        set_slot(state, slot, Some(&end));
                    }
                }
            }
            self.states.insert(end, json!({"Type": "Succeed"}));
        }
    }
}

/// The state no other state of the block leads to (the first such), else the first one.
fn entry_of(states: &Map<String, Value>) -> String {
    let targeted: FxHashSet<String> = states
        .values()
        .flat_map(|s| transitions(s).into_iter().map(|(_, target)| target))
        .collect();
    states
        .keys()
        .find(|name| !targeted.contains(*name))
        .or_else(|| states.keys().next())
        .cloned()
        .unwrap_or_default()
}

/// Points a transition of a state value at `target`; `None` ends the graph (`End: true` for
/// `Next`, no `Default`). `End` and `Next` swap places so the key order stays as written.
pub(super) fn set_slot(state: &mut Value, slot: Slot, target: Option<&str>) {
    let Some(object) = state.as_object_mut() else {
        return;
    };
    match (slot, target) {
        (Slot::Next, Some(target)) => {
            replace_key(object, "End", "Next", Value::from(target));
        }
        (Slot::Next, None) => replace_key(object, "Next", "End", Value::Bool(true)),
        (Slot::Default, Some(target)) => {
            object.insert("Default".into(), Value::from(target));
        }
        (Slot::Default, None) => {
            object.shift_remove("Default");
        }
        (Slot::Rule(i), Some(target)) => set_nested_next(object, "Choices", i, target),
        (Slot::Catch(i), Some(target)) => set_nested_next(object, "Catch", i, target),
        (Slot::Start | Slot::Rule(_) | Slot::Catch(_), _) => {}
    }
}

fn set_nested_next(object: &mut Map<String, Value>, list: &str, index: usize, target: &str) {
    if let Some(item) = object
        .get_mut(list)
        .and_then(Value::as_array_mut)
        .and_then(|items| items.get_mut(index))
        .and_then(Value::as_object_mut)
    {
        item.insert("Next".into(), Value::from(target));
    }
}

/// Sets `new_key`, taking the place of `old_key` when that exists (and removing it).
fn replace_key(object: &mut Map<String, Value>, old_key: &str, new_key: &str, value: Value) {
    if object.contains_key(new_key) {
        object.insert(new_key.to_string(), value);
        object.shift_remove(old_key);
        return;
    }
    match object.keys().position(|key| key == old_key) {
        Some(index) => {
            object.shift_remove(old_key);
            object.shift_insert(index, new_key.to_string(), value);
        }
        None => {
            object.insert(new_key.to_string(), value);
        }
    }
}

fn rename_graph(
    start: &mut String,
    states: &mut Map<String, Value>,
    taken: &mut FxHashSet<String>,
    depth: usize,
) {
    let mut renamed: FxHashMap<String, String> = FxHashMap::default();
    let mut result = Map::with_capacity(states.len());
    for (name, mut state) in std::mem::take(states) {
        let fresh = if taken.contains(&name) {
            unique_name(taken, &name)
        } else {
            name.clone()
        };
        taken.insert(fresh.clone());
        if fresh != name {
            renamed.insert(name, fresh.clone());
        }
        if depth < 256 {
            for child in child_scopes(&state) {
                if let Some(graph) = state.pointer_mut(&child) {
                    rename_nested(graph, taken, depth + 1);
                }
            }
        }
        result.insert(fresh, state);
    }
    if !renamed.is_empty() {
        for state in result.values_mut() {
            for (slot, target) in transitions(state) {
                if let Some(fresh) = renamed.get(&target) {
                    set_slot(state, slot, Some(fresh));
                }
            }
        }
        if let Some(fresh) = renamed.get(start.as_str()) {
            *start = fresh.clone();
        }
    }
    *states = result;
}

fn rename_nested(graph: &mut Value, taken: &mut FxHashSet<String>, depth: usize) {
    let Some(object) = graph.as_object_mut() else {
        return;
    };
    let mut start = object
        .get("StartAt")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let Some(states) = object.get_mut("States").and_then(Value::as_object_mut) else {
        return;
    };
    rename_graph(&mut start, states, taken, depth);
    if object.contains_key("StartAt") {
        object.insert("StartAt".into(), Value::from(start));
    }
}
