//! Where each history event happened: in which scope (the top level, a Parallel branch, a Map
//! iteration) and in which state. AWS's events do not say (a debugger reconstructs it from the
//! `previousEventId` links); the engine knows, and records it when asked
//! (`ExecutionOptions::record_stages`), one small entry per event.

use super::execution::Execution;
use super::frame::FrameId;
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// A scope instance: the top level (id 0), or one branch / iteration of one visit of a
/// Parallel / Map state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeEntry {
    /// The enclosing scope (the top level is its own parent).
    pub parent: u32,
    /// The Parallel or Map state (an index into [`Places::state_names`]).
    pub container: u32,
    /// The Entered event of the container's visit that started this scope.
    pub container_entered: u64,
    /// The branch index (Parallel) or the item index (Map).
    pub slot: usize,
    pub iteration: bool,
    /// The last event of the branch or iteration, once it has finished.
    pub ended: Option<u64>,
}

/// The scope and state of one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EventPlace {
    pub scope: u32,
    /// The state the event belongs to (an index into [`Places::state_names`]); `None` for the
    /// execution's own events.
    pub state: Option<u32>,
}

/// The places of an execution's events and the tables they refer to.
#[derive(Debug, Clone, Default)]
pub struct Places {
    /// One per event, in event order (`events[i]` is event id `i + 1`).
    pub events: Vec<EventPlace>,
    /// Scope 0 is the top level.
    pub scopes: Vec<ScopeEntry>,
    pub state_names: Vec<Arc<str>>,
    state_ids: FxHashMap<Arc<str>, u32>,
}

impl Places {
    pub(crate) fn new() -> Places {
        Places {
            events: Vec::new(),
            scopes: vec![ScopeEntry {
                parent: 0,
                container: 0,
                container_entered: 0,
                slot: 0,
                iteration: false,
                ended: None,
            }],
            state_names: Vec::new(),
            state_ids: FxHashMap::default(),
        }
    }

    pub(crate) fn state_id(&mut self, name: &Arc<str>) -> u32 {
        if let Some(&id) = self.state_ids.get(name) {
            return id;
        }
        let id = self.state_names.len() as u32;
        self.state_names.push(name.clone());
        self.state_ids.insert(name.clone(), id);
        id
    }

    /// The id of a state, once an event of it happened.
    pub fn id_of(&self, name: &str) -> Option<u32> {
        self.state_ids.get(name).copied()
    }

    /// The place of an event id.
    pub fn of(&self, event: u64) -> Option<EventPlace> {
        let index = usize::try_from(event.checked_sub(1)?).ok()?;
        self.events.get(index).copied()
    }

    pub fn state_name(&self, state: u32) -> Option<&str> {
        self.state_names.get(state as usize).map(|n| n.as_ref())
    }

    pub fn scope(&self, scope: u32) -> Option<&ScopeEntry> {
        self.scopes.get(scope as usize)
    }
}

impl Execution {
    /// Where each event happened (`None` unless `ExecutionOptions::record_stages`).
    pub fn places(&self) -> Option<&Places> {
        self.places.as_deref()
    }

    /// Records the place of the event just pushed, emitted by `frame` (`None`: the
    /// execution's own events).
    pub(crate) fn place_event(&mut self, frame: Option<FrameId>) {
        let Some(mut places) = self.places.take() else {
            return;
        };
        let place = match frame.and_then(|id| self.frame(id)) {
            Some(frame) => EventPlace {
                scope: frame.scope,
                state: frame
                    .run
                    .as_ref()
                    .map(|run| places.state_id(&run.state.name)),
            },
            None => EventPlace::default(),
        };
        if !self.options().keep_history {
            places.events.clear();
        }
        places.events.push(place);
        self.places = Some(places);
    }

    /// The scope of a new child frame of `parent` (a branch or iteration of its state).
    pub(crate) fn child_scope(&mut self, parent: FrameId, slot: usize, iteration: bool) -> u32 {
        let Some(mut places) = self.places.take() else {
            return 0;
        };
        let scope = match self.frame(parent) {
            Some(frame) => {
                let (container, container_entered) = match &frame.run {
                    Some(run) => (places.state_id(&run.state.name), run.entered_event),
                    None => (0, 0),
                };
                places.scopes.push(ScopeEntry {
                    parent: frame.scope,
                    container,
                    container_entered,
                    slot,
                    iteration,
                    ended: None,
                });
                (places.scopes.len() - 1) as u32
            }
            None => 0,
        };
        self.places = Some(places);
        scope
    }
}
