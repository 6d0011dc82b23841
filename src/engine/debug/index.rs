//! What a run looks like at any event: every state visit with its outcome, each state's
//! summary (visits, in progress, retries, failures) as a timeline, the transitions taken, Map
//! and Parallel progress, and the variables assigned. Built incrementally from the events and
//! their places; every question "as it was at event N" is a binary search, so scrubbing a long
//! history is instant.

use crate::engine::{EventKind, EventPlace, Execution, HistoryEvent};
use rustc_hash::FxHashMap;
use serde_json::Value;
use std::sync::Arc;

/// How a state visit stands (or ended).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitStatus {
    InProgress,
    Succeeded,
    /// It failed and a catcher took the error.
    Caught,
    Failed,
    /// Stopped from outside: the execution was aborted or timed out, or a sibling branch or
    /// iteration failed.
    Cancelled,
}

/// One visit of one state.
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    /// The state (an index into the execution's `Places::state_names`).
    pub state: u32,
    pub scope: u32,
    pub entered: u64,
    pub ended: Option<u64>,
    /// The outcome once ended.
    pub outcome: VisitStatus,
    /// Retries made, with the event of each.
    pub retries: Vec<u64>,
    /// The failure events seen (event id, error, cause).
    pub failures: Vec<(u64, Option<String>, Option<String>)>,
}

impl Visit {
    /// The visit as it stood at event `at`.
    pub fn status_at(&self, at: u64) -> VisitStatus {
        match self.ended {
            Some(ended) if ended <= at => self.outcome,
            _ => VisitStatus::InProgress,
        }
    }

    pub fn retries_at(&self, at: u64) -> usize {
        self.retries.iter().take_while(|&&e| e <= at).count()
    }

    /// The last failure seen by event `at`.
    pub fn failure_at(&self, at: u64) -> Option<&(u64, Option<String>, Option<String>)> {
        self.failures.iter().rev().find(|(e, _, _)| *e <= at)
    }
}

/// A state's visits added up, as of one event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StateSummary {
    pub visits: u32,
    pub in_progress: u32,
    pub succeeded: u32,
    pub caught: u32,
    pub failed: u32,
    pub cancelled: u32,
    pub retries: u32,
    /// How the most recent visit that ended, ended.
    pub last: Option<VisitStatus>,
}

impl StateSummary {
    /// The colour a canvas gives the state: in progress first, then how it last ended.
    pub fn status(&self) -> Option<VisitStatus> {
        if self.in_progress > 0 {
            Some(VisitStatus::InProgress)
        } else {
            self.last
        }
    }
}

/// A transition taken: `from` exited and `to` was entered next in the same scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub event: u64,
    pub from: u32,
    pub to: u32,
    pub scope: u32,
    /// Taken by a catcher (the state failed, then exited to its handler).
    pub caught: bool,
}

/// Progress of the branches or iterations of one Parallel / Map visit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChildProgress {
    /// Items (Map) or branches (Parallel), when known.
    pub total: Option<usize>,
    pub started: usize,
    pub succeeded: usize,
    pub failed: usize,
    pub aborted: usize,
}

/// A variable assigned by a state.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub event: u64,
    pub scope: u32,
    pub state: u32,
    pub name: String,
    pub value: Value,
}

/// The run's index; see the module comment.
#[derive(Debug, Clone, Default)]
pub struct RunIndex {
    /// Events consumed so far.
    synced: usize,
    visits: Vec<Visit>,
    /// The visit in progress in each scope (a scope runs one state at a time).
    open: FxHashMap<u32, usize>,
    /// The last state that exited in each scope, with the event, and whether it had failed.
    last_exit: FxHashMap<u32, (u32, bool)>,
    /// Per state id: (event, summary after it).
    timelines: Vec<Vec<(u64, StateSummary)>>,
    transitions: Vec<Transition>,
    /// Per container visit (index into `visits`): (event, progress after it).
    progress: FxHashMap<usize, Vec<(u64, ChildProgress)>>,
    /// Per container visit: its branch / iteration scopes by slot.
    children: FxHashMap<usize, Vec<(usize, u32)>>,
    /// Per scope: its parent scope and the container visit that started it.
    scope_parent: Vec<(u32, Option<usize>)>,
    assignments: Vec<Assignment>,
    /// Visit by its Entered event.
    by_entered: FxHashMap<u64, usize>,
    /// Per state id: its visits, in order.
    visits_by_state: Vec<Vec<usize>>,
    /// The state names (as in `Places::state_names`).
    names: Vec<Arc<str>>,
    /// When each branch / iteration scope finished (its last event).
    scope_ended: FxHashMap<u32, u64>,
    /// Scopes not finished yet (checked again at each sync).
    scopes_running: Vec<u32>,
    state_types: Vec<&'static str>,
}

impl RunIndex {
    pub fn new() -> RunIndex {
        RunIndex {
            scope_parent: vec![(0, None)],
            ..RunIndex::default()
        }
    }

    /// Takes in the events the execution emitted since the last call (it must record places:
    /// `ExecutionOptions::record_stages`).
    pub fn sync(&mut self, execution: &Execution) {
        let Some(places) = execution.places() else {
            return;
        };
        let history = execution.history();
        let first_id = history.first().map_or(1, |e| e.id);
        loop {
            self.sync_scopes(execution);
            let next = self.synced as u64 + 1;
            // A history that keeps only its latest event cannot be indexed in full: skip to
            // what is there.
            let Some(offset) = next.checked_sub(first_id) else {
                self.synced = (first_id - 1) as usize;
                continue;
            };
            let Some(event) = usize::try_from(offset).ok().and_then(|o| history.get(o)) else {
                break;
            };
            let place = places.of(event.id).unwrap_or_default();
            self.consume(event, place, execution);
            self.synced = event.id as usize;
        }
        self.sync_scopes(execution);
        if self.names.len() < places.state_names.len() {
            self.names
                .extend(places.state_names[self.names.len()..].iter().cloned());
        }
        let synced = self.synced as u64;
        self.scopes_running
            .retain(|&scope| match places.scope(scope).and_then(|s| s.ended) {
                Some(ended) if ended <= synced => {
                    self.scope_ended.insert(scope, ended);
                    false
                }
                _ => true,
            });
    }

    /// The state names (ids index them).
    pub fn state_names(&self) -> &[Arc<str>] {
        &self.names
    }

    /// The id of a state that has run.
    pub fn state_id(&self, name: &str) -> Option<u32> {
        self.names
            .iter()
            .position(|n| n.as_ref() == name)
            .map(|i| i as u32)
    }

    /// The type of a state that has run ("Task", "Map"...).
    pub fn state_type(&self, state: u32) -> &'static str {
        self.state_types.get(state as usize).copied().unwrap_or("")
    }

    /// Whether a branch / iteration had finished by event `at`.
    pub fn scope_done_at(&self, scope: u32, at: u64) -> bool {
        self.scope_ended.get(&scope).is_some_and(|&e| e <= at)
    }

    /// Takes in the new branch / iteration scopes whose container visit is known.
    fn sync_scopes(&mut self, execution: &Execution) {
        let Some(places) = execution.places() else {
            return;
        };
        while let Some(scope) = places.scopes.get(self.scope_parent.len()) {
            if scope.container_entered > self.synced as u64 {
                // Its container's Entered event is not indexed yet.
                return;
            }
            let container = self.by_entered.get(&scope.container_entered).copied();
            let id = self.scope_parent.len() as u32;
            self.scope_parent.push((scope.parent, container));
            self.scopes_running.push(id);
            if let Some(container) = container {
                self.children
                    .entry(container)
                    .or_default()
                    .push((scope.slot, id));
            }
        }
    }

    pub fn events_indexed(&self) -> u64 {
        self.synced as u64
    }

    pub fn visits(&self) -> &[Visit] {
        &self.visits
    }

    /// The visits begun by event `at` (a prefix: visits are in the order they began).
    pub fn visits_at(&self, at: u64) -> &[Visit] {
        let end = self.visits.partition_point(|v| v.entered <= at);
        &self.visits[..end]
    }

    /// The state's visits begun by event `at` (indexes into `visits`), in order.
    pub fn visits_of_state_at(&self, state: u32, at: u64) -> &[usize] {
        let Some(list) = self.visits_by_state.get(state as usize) else {
            return &[];
        };
        let end = list.partition_point(|&i| self.visits.get(i).is_some_and(|v| v.entered <= at));
        &list[..end]
    }

    /// The visit whose Entered event is `entered`.
    pub fn visit_entered_at(&self, entered: u64) -> Option<usize> {
        self.by_entered.get(&entered).copied()
    }

    /// A state's summary as of event `at` (`state` as in `Places::state_names`).
    pub fn summary_at(&self, state: u32, at: u64) -> StateSummary {
        let Some(timeline) = self.timelines.get(state as usize) else {
            return StateSummary::default();
        };
        let end = timeline.partition_point(|(e, _)| *e <= at);
        end.checked_sub(1)
            .and_then(|i| timeline.get(i))
            .map(|(_, s)| *s)
            .unwrap_or_default()
    }

    /// The transitions taken by event `at`.
    pub fn transitions_at(&self, at: u64) -> &[Transition] {
        let end = self.transitions.partition_point(|t| t.event <= at);
        &self.transitions[..end]
    }

    /// The branches / iterations of a Parallel or Map visit, as of event `at`.
    pub fn progress_at(&self, container: usize, at: u64) -> ChildProgress {
        let Some(timeline) = self.progress.get(&container) else {
            return ChildProgress::default();
        };
        let end = timeline.partition_point(|(e, _)| *e <= at);
        end.checked_sub(1)
            .and_then(|i| timeline.get(i))
            .map(|(_, p)| *p)
            .unwrap_or_default()
    }

    /// The scopes of a container visit's branches or iterations, by slot.
    pub fn child_scopes(&self, container: usize) -> &[(usize, u32)] {
        self.children.get(&container).map_or(&[], Vec::as_slice)
    }

    /// The scope's parent and the container visit it belongs to.
    pub fn scope_parent(&self, scope: u32) -> Option<(u32, Option<usize>)> {
        self.scope_parent.get(scope as usize).copied()
    }

    /// The visits in progress at event `at` (the current states).
    pub fn active_at(&self, at: u64) -> impl Iterator<Item = (usize, &Visit)> {
        self.visits_at(at)
            .iter()
            .enumerate()
            .filter(move |(_, v)| v.status_at(at) == VisitStatus::InProgress)
    }

    /// The variables visible in `scope` at event `at`, with the state that assigned each:
    /// the scope's own and its enclosing scopes' (inner ones win).
    pub fn variables_at(&self, scope: u32, at: u64) -> Vec<(u32, &Assignment)> {
        let mut chain = vec![scope];
        let mut current = scope;
        while current != 0 {
            let Some((parent, _)) = self.scope_parent(current) else {
                break;
            };
            chain.push(parent);
            current = parent;
            if chain.len() > 10_000 {
                break;
            }
        }
        let end = self.assignments.partition_point(|a| a.event <= at);
        let mut latest: FxHashMap<&str, (usize, &Assignment)> = FxHashMap::default();
        for assignment in &self.assignments[..end] {
            let Some(depth) = chain.iter().position(|s| *s == assignment.scope) else {
                continue;
            };
            match latest.get(assignment.name.as_str()) {
                Some((known, _)) if *known < depth => {}
                _ => {
                    latest.insert(assignment.name.as_str(), (depth, assignment));
                }
            }
        }
        let mut out: Vec<(u32, &Assignment)> = latest
            .into_values()
            .map(|(depth, a)| (chain.get(depth).copied().unwrap_or(0), a))
            .collect();
        out.sort_by(|a, b| a.1.name.cmp(&b.1.name));
        out
    }

    fn summary_mut(&mut self, state: u32, event: u64) -> &mut StateSummary {
        let index = state as usize;
        if self.timelines.len() <= index {
            self.timelines.resize_with(index + 1, Vec::new);
        }
        let timeline = &mut self.timelines[index];
        let last = timeline.last().map(|(_, s)| *s).unwrap_or_default();
        if timeline.last().is_none_or(|(e, _)| *e != event) {
            timeline.push((event, last));
        }
        let end = timeline.len() - 1;
        &mut timeline[end].1
    }

    fn progress_mut(&mut self, container: usize, event: u64) -> &mut ChildProgress {
        let timeline = self.progress.entry(container).or_default();
        let last = timeline.last().map(|(_, p)| *p).unwrap_or_default();
        if timeline.last().is_none_or(|(e, _)| *e != event) {
            timeline.push((event, last));
        }
        let end = timeline.len() - 1;
        &mut timeline[end].1
    }

    fn consume(&mut self, event: &HistoryEvent, place: EventPlace, execution: &Execution) {
        let id = event.id;
        let open = self.open.get(&place.scope).copied();
        match &event.kind {
            EventKind::StateEntered { state_type, .. } => {
                let Some(state) = place.state else { return };
                if let Some(previous) = open {
                    // Never left without an event; keep the books straight.
                    self.end_visit(previous, id, VisitStatus::Cancelled);
                }
                if let Some((from, caught)) = self.last_exit.remove(&place.scope) {
                    self.transitions.push(Transition {
                        event: id,
                        from,
                        to: state,
                        scope: place.scope,
                        caught,
                    });
                }
                let index = self.visits.len();
                self.visits.push(Visit {
                    state,
                    scope: place.scope,
                    entered: id,
                    ended: None,
                    outcome: VisitStatus::InProgress,
                    retries: Vec::new(),
                    failures: Vec::new(),
                });
                if self.state_types.len() <= state as usize {
                    self.state_types.resize(state as usize + 1, "");
                }
                self.state_types[state as usize] = state_type;
                self.by_entered.insert(id, index);
                self.open.insert(place.scope, index);
                if self.visits_by_state.len() <= state as usize {
                    self.visits_by_state
                        .resize_with(state as usize + 1, Vec::new);
                }
                self.visits_by_state[state as usize].push(index);
                let summary = self.summary_mut(state, id);
                summary.visits += 1;
                summary.in_progress += 1;
            }
            EventKind::StateExited { assigned, .. } => {
                let Some(index) = open else { return };
                let failed = self
                    .visits
                    .get(index)
                    .is_some_and(|v| !v.failures.is_empty())
                    && self.visits.get(index).is_some_and(|v| {
                        // A failure after the last retry, not one that a retry recovered from.
                        let last_failure = v.failures.last().map_or(0, |f| f.0);
                        v.retries.last().is_none_or(|r| *r < last_failure)
                    });
                let outcome = if failed {
                    VisitStatus::Caught
                } else {
                    VisitStatus::Succeeded
                };
                self.end_visit(index, id, outcome);
                if let Some(visit) = self.visits.get(index) {
                    self.last_exit
                        .insert(place.scope, (visit.state, outcome == VisitStatus::Caught));
                    let state = visit.state;
                    if let Some(assigned) = assigned {
                        for (name, value) in assigned.iter() {
                            self.assignments.push(Assignment {
                                event: id,
                                scope: place.scope,
                                state,
                                name: name.clone(),
                                value: value.clone(),
                            });
                        }
                    }
                }
            }
            EventKind::TaskScheduled(_)
            | EventKind::MapStateStarted { .. }
            | EventKind::ParallelStateStarted => {
                let Some(index) = open else { return };
                // Scheduled again after a failure: a retry.
                let retry = self.visits.get(index).is_some_and(|v| {
                    v.failures
                        .last()
                        .is_some_and(|f| v.retries.last().is_none_or(|r| *r < f.0))
                });
                if retry && let Some(visit) = self.visits.get_mut(index) {
                    visit.retries.push(id);
                    let state = visit.state;
                    self.summary_mut(state, id).retries += 1;
                }
                match &event.kind {
                    EventKind::MapStateStarted { length } => {
                        let progress = self.progress_mut(index, id);
                        *progress = ChildProgress {
                            total: Some(*length),
                            ..ChildProgress::default()
                        };
                    }
                    EventKind::ParallelStateStarted => {
                        *self.progress_mut(index, id) = ChildProgress::default();
                    }
                    _ => {}
                }
            }
            EventKind::TaskFailed { error, cause, .. }
            | EventKind::TaskTimedOut { error, cause, .. } => {
                self.visit_failed(open, id, error.clone(), cause.clone());
            }
            EventKind::EvaluationFailed { error, cause, .. } => {
                self.visit_failed(open, id, Some(error.clone()), Some(cause.clone()));
            }
            EventKind::MapStateFailed | EventKind::ParallelStateFailed => {
                if let Some(index) = open {
                    self.close_children(index, id, execution);
                }
                self.visit_failed(open, id, None, None);
            }
            EventKind::MapStateAborted | EventKind::ParallelStateAborted => {
                if let Some(index) = open {
                    self.close_children(index, id, execution);
                }
            }
            EventKind::MapIterationStarted { .. } => {
                if let Some(index) = open {
                    self.progress_mut(index, id).started += 1;
                }
            }
            EventKind::MapIterationSucceeded { .. } => {
                if let Some(index) = open {
                    self.progress_mut(index, id).succeeded += 1;
                }
            }
            EventKind::MapIterationFailed { index: slot, .. }
            | EventKind::MapIterationAborted { index: slot, .. } => {
                let failed = matches!(event.kind, EventKind::MapIterationFailed { .. });
                if let Some(index) = open {
                    let progress = self.progress_mut(index, id);
                    if failed {
                        progress.failed += 1;
                    } else {
                        progress.aborted += 1;
                    }
                    let scopes: Vec<u32> = self
                        .child_scopes(index)
                        .iter()
                        .filter(|(s, _)| s == slot)
                        .map(|(_, scope)| *scope)
                        .collect();
                    for scope in scopes {
                        self.close_scope(scope, id, failed, execution);
                    }
                }
            }
            EventKind::ParallelStateSucceeded | EventKind::MapStateSucceeded => {}
            EventKind::ExecutionFailed { .. } => self.close_all(id, true, execution),
            EventKind::ExecutionTimedOut { .. } | EventKind::ExecutionAborted { .. } => {
                self.close_all(id, false, execution)
            }
            _ => {}
        }
    }

    fn visit_failed(
        &mut self,
        open: Option<usize>,
        event: u64,
        error: Option<String>,
        cause: Option<String>,
    ) {
        if let Some(visit) = open.and_then(|i| self.visits.get_mut(i)) {
            visit.failures.push((event, error, cause));
        }
    }

    fn end_visit(&mut self, index: usize, event: u64, outcome: VisitStatus) {
        let Some(visit) = self.visits.get_mut(index) else {
            return;
        };
        if visit.ended.is_some() {
            return;
        }
        visit.ended = Some(event);
        visit.outcome = outcome;
        let (state, scope) = (visit.state, visit.scope);
        if self.open.get(&scope) == Some(&index) {
            self.open.remove(&scope);
        }
        let summary = self.summary_mut(state, event);
        summary.in_progress = summary.in_progress.saturating_sub(1);
        match outcome {
            VisitStatus::Succeeded => summary.succeeded += 1,
            VisitStatus::Caught => summary.caught += 1,
            VisitStatus::Failed => summary.failed += 1,
            VisitStatus::Cancelled => summary.cancelled += 1,
            VisitStatus::InProgress => {}
        }
        summary.last = Some(outcome);
    }

    /// How a visit that a failure ended, ended: failed when it raised the failure, cancelled
    /// when a sibling's failure stopped it.
    fn outcome_of_stopped(&self, index: usize, execution: &Execution) -> VisitStatus {
        let Some(visit) = self.visits.get(index) else {
            return VisitStatus::Cancelled;
        };
        let raised = !visit.failures.is_empty()
            || self.state_types.get(visit.state as usize) == Some(&"Fail")
            || execution
                .visits()
                .binary_search_by_key(&visit.entered, |v| v.entered_event)
                .ok()
                .and_then(|i| execution.visits().get(i))
                .is_some_and(|v| v.failure.is_some());
        if raised {
            VisitStatus::Failed
        } else {
            VisitStatus::Cancelled
        }
    }

    /// Ends the visits still open in a scope and the scopes below it.
    fn close_scope(&mut self, scope: u32, event: u64, failure: bool, execution: &Execution) {
        if let Some(index) = self.open.get(&scope).copied() {
            self.close_children(index, event, execution);
            let outcome = if failure {
                self.outcome_of_stopped(index, execution)
            } else {
                VisitStatus::Cancelled
            };
            self.end_visit(index, event, outcome);
        }
    }

    /// Ends the visits in the branches / iterations of a container visit.
    fn close_children(&mut self, container: usize, event: u64, execution: &Execution) {
        let scopes: Vec<u32> = self
            .child_scopes(container)
            .iter()
            .map(|(_, s)| *s)
            .collect();
        for scope in scopes {
            self.close_scope(scope, event, true, execution);
        }
    }

    fn close_all(&mut self, event: u64, failure: bool, execution: &Execution) {
        let open: Vec<usize> = self.open.values().copied().collect();
        for index in open {
            let outcome = if failure {
                self.outcome_of_stopped(index, execution)
            } else {
                VisitStatus::Cancelled
            };
            self.end_visit(index, event, outcome);
        }
    }
}

/// The payloads of a visit from its events: the input (Entered) and the output (Exited).
pub fn visit_payloads(
    history: &[HistoryEvent],
    visit: &Visit,
) -> (Option<Arc<Value>>, Option<Arc<Value>>) {
    let find = |id: u64| {
        let first = history.first().map_or(1, |e| e.id);
        history.get(usize::try_from(id.checked_sub(first)?).ok()?)
    };
    let input = find(visit.entered).and_then(|e| match &e.kind {
        EventKind::StateEntered { input, .. } => Some(input.clone()),
        _ => None,
    });
    let output = visit.ended.and_then(find).and_then(|e| match &e.kind {
        EventKind::StateExited { output, .. } => Some(output.clone()),
        _ => None,
    });
    (input, output)
}
