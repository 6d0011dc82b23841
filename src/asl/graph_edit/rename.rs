//! Renaming a state and reconnecting an edge.

use super::scan::{MAX_NAME_CHARS, all_state_names, scope_states, state_value, transitions};
use super::{EdgeRef, GraphEditError, Planned, Planner, Slot, StateRef};
use crate::asl::document::{Document, Edit};
use serde_json::Value;

/// Why a name cannot name a state, if it cannot (AWS: 1 to 80 characters, and no control
/// characters, which the console cannot show either).
pub fn validate_name(name: &str) -> Result<(), String> {
    let chars = name.chars().count();
    if name.trim().is_empty() {
        return Err("a state needs a name".into());
    }
    if chars > MAX_NAME_CHARS {
        return Err(format!(
            "state names can have at most {MAX_NAME_CHARS} characters; this one has {chars}"
        ));
    }
    if name.chars().any(char::is_control) {
        return Err("state names cannot contain control characters".into());
    }
    Ok(())
}

/// Renames a state and every transition that names it (`StartAt`, `Next`, `Default`, rules,
/// catchers), keeping its place in `States`. Names are unique across the whole workflow.
pub fn rename(doc: &Document, state: &StateRef, new_name: &str) -> Result<Planned, GraphEditError> {
    validate_name(new_name).map_err(GraphEditError::InvalidName)?;
    let definition = doc.value();
    state_value(definition, state)?;
    let renamed = StateRef::new(state.scope.clone(), new_name);
    if new_name == state.name {
        return Ok(Planned {
            edit: Edit::Batch(Vec::new()),
            selected: vec![renamed],
        });
    }
    if all_state_names(definition).contains(new_name) {
        return Err(GraphEditError::NameTaken(new_name.to_string()));
    }
    let mut rewires = Vec::new();
    let start = definition
        .pointer(&format!("{}/StartAt", state.scope))
        .and_then(Value::as_str);
    if start == Some(state.name.as_str()) {
        rewires.push((StateRef::new(state.scope.clone(), ""), Slot::Start));
    }
    for (name, value) in scope_states(definition, &state.scope)? {
        for (slot, target) in transitions(value) {
            if target == state.name {
                rewires.push((StateRef::new(state.scope.clone(), name.clone()), slot));
            }
        }
    }
    let mut planner = Planner::new(doc);
    for (from, slot) in rewires {
        planner.set_transition(&from, slot, Some(new_name))?;
    }
    planner.push(Edit::RenameKey {
        pointer: state.pointer(),
        new_key: new_name.to_string(),
    })?;
    Ok(planner.finish(vec![renamed]))
}

/// Points an edge at another state of the same graph (dragging an edge's end onto a
/// state). A state that ended its graph continues to `to` instead.
pub fn connect(doc: &Document, edge: &EdgeRef, to: &str) -> Result<Planned, GraphEditError> {
    let definition = doc.value();
    let states = scope_states(definition, &edge.scope)?;
    if !states.contains_key(to) {
        return Err(GraphEditError::NoSuchState(to.to_string()));
    }
    let from = match (&edge.from, edge.slot) {
        (_, Slot::Start) => StateRef::new(edge.scope.clone(), ""),
        (Some(from), slot) => {
            let from_ref = StateRef::new(edge.scope.clone(), from.clone());
            let value = state_value(definition, &from_ref)?;
            let exists = transitions(value).iter().any(|(s, _)| *s == slot);
            let may_end = slot == Slot::Next && value.get("End").is_some();
            if !exists && !may_end && slot != Slot::Default {
                return Err(GraphEditError::NoSuchEdge {
                    state: from.clone(),
                    slot,
                });
            }
            from_ref
        }
        (None, slot) => {
            return Err(GraphEditError::NoSuchEdge {
                state: "Start".into(),
                slot,
            });
        }
    };
    let mut planner = Planner::new(doc);
    planner.set_transition(&from, edge.slot, Some(to))?;
    let selected = match &edge.from {
        Some(_) => vec![from],
        None => Vec::new(),
    };
    Ok(planner.finish(selected))
}
