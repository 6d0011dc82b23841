//! Putting states into a graph: palette drops, paste, duplicate, and the second half of a move.

use super::fragment::{Fragment, set_slot};
use super::scan::{
    all_state_names, member_index, scope_states, state_value, takes_next, transitions,
};
use super::{
    DropTarget, EdgeRef, GraphEditError, Planned, Planner, Slot, StateRef, states_pointer,
};
use crate::asl::document::{Document, Edit};
use serde_json::Value;

/// How a block's own transitions are treated when it is placed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Exits {
    /// New states (palette, paste): every way out of the block leads to what follows.
    Rewire,
    /// A state that keeps its rules and catchers (move, duplicate): only `Next`/`End` change.
    Keep,
}

/// Inserts a block of states at a drop place, wiring it in: what led to the place leads to
/// the block's start, and the block's ways out lead to what followed. Names that are already
/// used anywhere in the workflow get a counter. Selects the block's start state.
pub fn insert(
    doc: &Document,
    target: &DropTarget,
    fragment: Fragment,
) -> Result<Planned, GraphEditError> {
    let mut planner = Planner::new(doc);
    let placed = place(&mut planner, target, fragment, Exits::Rewire)?;
    Ok(planner.finish(placed.into_iter().take(1).collect()))
}

/// Pastes clipboard text (see [`Fragment::from_text`]) at a drop place; selects what was pasted.
pub fn paste(doc: &Document, target: &DropTarget, text: &str) -> Result<Planned, GraphEditError> {
    let fragment = Fragment::from_text(text)?;
    let mut planner = Planner::new(doc);
    let placed = place(&mut planner, target, fragment, Exits::Rewire)?;
    Ok(planner.finish(placed))
}

/// Copies each state (nested states renamed too) right after the original: on its outgoing
/// `Next` edge, or below it when it ends the graph. A Choice, Succeed or Fail copy has no
/// single way in, so it is added unconnected for the user to wire. Selects the copies.
pub fn duplicate(doc: &Document, states: &[StateRef]) -> Result<Planned, GraphEditError> {
    if states.is_empty() {
        return Err(GraphEditError::NothingSelected("duplicate"));
    }
    let mut planner = Planner::new(doc);
    let mut selected = Vec::new();
    for original in states {
        let value = state_value(planner.doc.value(), original)?.clone();
        let fragment = Fragment::single(original.name.clone(), value.clone());
        let target = if value.get("Next").is_some() {
            Some(DropTarget::Edge(EdgeRef::from_state(original, Slot::Next)))
        } else if takes_next(&value) {
            Some(DropTarget::After(original.clone()))
        } else {
            None
        };
        let placed = match target {
            Some(target) => place(&mut planner, &target, fragment, Exits::Keep)?,
            None => add_unconnected(&mut planner, original, fragment)?,
        };
        selected.extend(placed);
    }
    Ok(planner.finish(selected))
}

/// Where a block goes and what it connects to.
struct Place {
    scope: String,
    /// The transition that will lead to the block.
    incoming: Option<(StateRef, Slot)>,
    /// What followed the drop place.
    successor: Option<String>,
    /// Index in `States` for the first new state (`None`: last).
    index: Option<usize>,
}

fn resolve(doc: &Document, target: &DropTarget) -> Result<Place, GraphEditError> {
    let definition = doc.value();
    let scope = target.scope().to_string();
    let states = scope_states(definition, &scope)?;
    let after = |name: &str| member_index(doc, &states_pointer(&scope), name).map(|i| i + 1);
    let start_edge = || Place {
        scope: scope.clone(),
        incoming: Some((StateRef::new(scope.clone(), ""), Slot::Start)),
        successor: definition
            .pointer(&format!("{scope}/StartAt"))
            .and_then(Value::as_str)
            .filter(|start| !start.is_empty())
            .map(str::to_string),
        index: Some(0),
    };
    match target {
        DropTarget::Empty { .. } if states.is_empty() => Ok(Place {
            scope: scope.clone(),
            incoming: Some((StateRef::new(scope.clone(), ""), Slot::Start)),
            successor: None,
            index: None,
        }),
        DropTarget::Empty { .. } => Ok(start_edge()),
        DropTarget::Edge(EdgeRef {
            slot: Slot::Start, ..
        }) => Ok(start_edge()),
        DropTarget::Edge(EdgeRef {
            from: None, slot, ..
        }) => Err(GraphEditError::NoSuchEdge {
            state: "Start".into(),
            slot: *slot,
        }),
        DropTarget::Edge(EdgeRef {
            from: Some(from),
            slot,
            ..
        }) => {
            let from_ref = StateRef::new(scope.clone(), from.clone());
            let state = state_value(definition, &from_ref)?;
            let current = transitions(state)
                .into_iter()
                .find(|(s, _)| s == slot)
                .map(|(_, target)| target);
            match current {
                Some(successor) => Ok(Place {
                    scope: scope.clone(),
                    incoming: Some((from_ref, *slot)),
                    successor: Some(successor),
                    index: after(from),
                }),
                None if *slot == Slot::Next => resolve(doc, &DropTarget::After(from_ref)),
                None => Err(GraphEditError::NoSuchEdge {
                    state: from.clone(),
                    slot: *slot,
                }),
            }
        }
        DropTarget::After(state_ref) => {
            let state = state_value(definition, state_ref)?;
            if !takes_next(state) {
                let kind = state
                    .get("Type")
                    .and_then(Value::as_str)
                    .unwrap_or("Choice");
                return Err(GraphEditError::CannotContinue(kind.to_string()));
            }
            if let Some(next) = state.get("Next").and_then(Value::as_str) {
                return Ok(Place {
                    scope: scope.clone(),
                    incoming: Some((state_ref.clone(), Slot::Next)),
                    successor: Some(next.to_string()),
                    index: after(&state_ref.name),
                });
            }
            Ok(Place {
                scope: scope.clone(),
                incoming: Some((state_ref.clone(), Slot::Next)),
                successor: None,
                index: after(&state_ref.name),
            })
        }
    }
}

/// Inserts `fragment` at `target`; returns the placed states, the entry first.
pub(super) fn place(
    planner: &mut Planner,
    target: &DropTarget,
    mut fragment: Fragment,
    exits: Exits,
) -> Result<Vec<StateRef>, GraphEditError> {
    let place = resolve(&planner.doc, target)?;
    let mut taken = all_state_names(planner.doc.value());
    fragment.make_names_unique(&mut taken);
    match exits {
        Exits::Rewire => fragment.wire_exits(place.successor.as_deref(), &mut taken),
        Exits::Keep => {
            for state in fragment.states.values_mut() {
                if takes_next(state) {
                    set_slot(state, Slot::Next, place.successor.as_deref());
                }
            }
        }
    }
    let placed = add_states(planner, &place.scope, place.index, &fragment)?;
    if let Some((from, slot)) = &place.incoming {
        planner.set_transition(from, *slot, Some(&fragment.start))?;
    }
    Ok(placed)
}

/// Adds the states of a fragment to `States` (from `index` on), entry first in the result.
fn add_states(
    planner: &mut Planner,
    scope: &str,
    index: Option<usize>,
    fragment: &Fragment,
) -> Result<Vec<StateRef>, GraphEditError> {
    let object = states_pointer(scope);
    let mut placed = vec![StateRef::new(scope, fragment.start.clone())];
    for (offset, (name, state)) in fragment.states.iter().enumerate() {
        planner.push(Edit::InsertMember {
            object: object.clone(),
            key: name.clone(),
            value: state.clone(),
            index: index.map(|i| i + offset),
        })?;
        if *name != fragment.start {
            placed.push(StateRef::new(scope, name.clone()));
        }
    }
    Ok(placed)
}

/// Adds a renamed copy right after `original` without wiring anything to it.
fn add_unconnected(
    planner: &mut Planner,
    original: &StateRef,
    mut fragment: Fragment,
) -> Result<Vec<StateRef>, GraphEditError> {
    let mut taken = all_state_names(planner.doc.value());
    fragment.make_names_unique(&mut taken);
    let index = member_index(
        &planner.doc,
        &states_pointer(&original.scope),
        &original.name,
    )
    .map(|i| i + 1);
    add_states(planner, &original.scope, index, &fragment)
}
