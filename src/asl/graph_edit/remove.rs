//! Taking states out of a graph (delete) and moving them elsewhere.

use super::fragment::Fragment;
use super::insert::{Exits, place};
use super::scan::{is_within, primary_successor, scope_states, state_value, transitions};
use super::{DropTarget, EdgeRef, GraphEditError, Planned, Planner, Slot, StateRef};
use crate::asl::document::{Document, Edit};
use rustc_hash::FxHashSet;
use serde_json::Value;

/// Deletes states and reconnects their neighbours: whatever led to a deleted state leads to
/// what followed it (its `Next`, or a Choice's `Default`); when nothing followed, a `Next`
/// becomes `End: true` and a `Default` goes. States inside a deleted container go with it.
pub fn remove(doc: &Document, states: &[StateRef]) -> Result<Planned, GraphEditError> {
    if states.is_empty() {
        return Err(GraphEditError::NothingSelected("delete"));
    }
    let mut planner = Planner::new(doc);
    remove_into(&mut planner, states)?;
    Ok(planner.finish(Vec::new()))
}

/// Moves a state to a drop place: out of its flow (neighbours reconnected) and into the
/// new one. Its rules and catchers stay as they are; only `Next`/`End` follow the move.
/// Dropping a state next to itself changes nothing (an empty batch).
pub fn move_state(
    doc: &Document,
    state: &StateRef,
    target: &DropTarget,
) -> Result<Planned, GraphEditError> {
    let value = state_value(doc.value(), state)?.clone();
    if is_within(target.scope(), &state.pointer()) {
        return Err(GraphEditError::IntoItself);
    }
    if stays_in_place(doc.value(), state, target) {
        return Ok(Planned {
            edit: Edit::Batch(Vec::new()),
            selected: vec![state.clone()],
        });
    }
    let mut planner = Planner::new(doc);
    remove_into(&mut planner, std::slice::from_ref(state))?;
    let fragment = Fragment::single(state.name.clone(), value);
    let placed = place(&mut planner, target, fragment, Exits::Keep)?;
    Ok(planner.finish(placed))
}

/// Whether dropping `state` on `target` would put it back where it is.
fn stays_in_place(definition: &Value, state: &StateRef, target: &DropTarget) -> bool {
    match target {
        DropTarget::After(other) => other == state,
        DropTarget::Empty { .. } => false,
        DropTarget::Edge(EdgeRef { scope, from, slot }) => {
            if *scope != state.scope {
                return false;
            }
            if from.as_deref() == Some(state.name.as_str()) {
                return true;
            }
            let into = match (from, slot) {
                (None, _) => definition
                    .pointer(&format!("{scope}/StartAt"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
                (Some(from), slot) => scope_states(definition, scope)
                    .ok()
                    .and_then(|states| states.get(from))
                    .and_then(|from| {
                        transitions(from)
                            .into_iter()
                            .find(|(s, _)| s == slot)
                            .map(|(_, target)| target)
                    }),
            };
            // Dropped on its own way in: only a plain `Next` edge is the same place (a rule
            // or catcher edge would put it behind another edge).
            into.as_deref() == Some(state.name.as_str()) && matches!(slot, Slot::Next | Slot::Start)
        }
    }
}

pub(super) fn remove_into(
    planner: &mut Planner,
    states: &[StateRef],
) -> Result<(), GraphEditError> {
    // A state inside another deleted state goes with its container.
    let pointers: Vec<String> = states.iter().map(StateRef::pointer).collect();
    let kept: Vec<&StateRef> = states
        .iter()
        .zip(&pointers)
        .filter(|(_, p)| {
            !pointers
                .iter()
                .any(|other| other != *p && is_within(p, other))
        })
        .map(|(state, _)| state)
        .collect();
    let mut scopes: Vec<&str> = Vec::new();
    for state in &kept {
        if !scopes.contains(&state.scope.as_str()) {
            scopes.push(&state.scope);
        }
    }
    for scope in scopes {
        let doomed: FxHashSet<&str> = kept
            .iter()
            .filter(|s| s.scope == scope)
            .map(|s| s.name.as_str())
            .collect();
        remove_from_scope(planner, scope, &doomed)?;
    }
    Ok(())
}

fn remove_from_scope(
    planner: &mut Planner,
    scope: &str,
    doomed: &FxHashSet<&str>,
) -> Result<(), GraphEditError> {
    let definition = planner.doc.value();
    let states = scope_states(definition, scope)?;
    for name in doomed {
        if !states.contains_key(*name) {
            return Err(GraphEditError::NoSuchState((*name).to_string()));
        }
    }
    // What follows a deleted state, skipping other deleted states.
    let follow = |name: &str| -> Option<String> {
        let mut current = name.to_string();
        for _ in 0..=doomed.len() {
            let next = primary_successor(states.get(&current)?)?;
            if !doomed.contains(next.as_str()) {
                return Some(next);
            }
            current = next;
        }
        None
    };
    let mut rewires: Vec<(StateRef, Slot, Option<String>)> = Vec::new();
    if let Some(start) = definition
        .pointer(&format!("{scope}/StartAt"))
        .and_then(Value::as_str)
        .filter(|start| doomed.contains(start))
    {
        rewires.push((StateRef::new(scope, ""), Slot::Start, follow(start)));
    }
    for (name, state) in states {
        if doomed.contains(name.as_str()) {
            continue;
        }
        for (slot, target) in transitions(state) {
            if doomed.contains(target.as_str()) {
                rewires.push((StateRef::new(scope, name.clone()), slot, follow(&target)));
            }
        }
    }
    let removals: Vec<StateRef> = states
        .keys()
        .filter(|name| doomed.contains(name.as_str()))
        .map(|name| StateRef::new(scope, name.clone()))
        .collect();
    for (state, slot, target) in rewires {
        planner.set_transition(&state, slot, target.as_deref())?;
    }
    for state in removals {
        planner.push(Edit::Remove {
            pointer: state.pointer(),
        })?;
    }
    Ok(())
}
