//! Which events the table shows. Each event's type, state and whether it reports an error are
//! read once (`Scan`, extended as the history grows); the ids that pass the filters are cached
//! (`Rows`) and only extended with the new events while the filter stays the same, so a
//! 25,000-event history is not filtered again every frame.

use super::text::details;
use crate::engine::{EventKind, HistoryEvent, Places};
use std::collections::HashMap;
use std::sync::Arc;

/// Groups of event types, as people look for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Group {
    State,
    Task,
    Map,
    Parallel,
    Execution,
    Errors,
}

impl Group {
    pub(super) const ALL: [Group; 6] = [
        Group::State,
        Group::Task,
        Group::Map,
        Group::Parallel,
        Group::Execution,
        Group::Errors,
    ];

    pub(super) fn title(self) -> &'static str {
        match self {
            Group::State => "State (entered / exited)",
            Group::Task => "Task",
            Group::Map => "Map",
            Group::Parallel => "Parallel",
            Group::Execution => "Execution",
            Group::Errors => "Errors",
        }
    }

    /// Whether a type belongs to the group (errors are told by the event, not its type name).
    fn has(self, type_name: &str, error: bool) -> bool {
        match self {
            Group::State => {
                type_name.ends_with("StateEntered") || type_name.ends_with("StateExited")
            }
            Group::Task => {
                type_name.starts_with("Task")
                    || type_name.starts_with("LambdaFunction")
                    || type_name.starts_with("Activity")
            }
            Group::Map => type_name.starts_with("Map"),
            Group::Parallel => type_name.starts_with("Parallel"),
            Group::Execution => type_name.starts_with("Execution"),
            Group::Errors => error,
        }
    }
}

/// The type filter: every type, a group, or one type present in the history.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) enum TypeFilter {
    #[default]
    All,
    Group(Group),
    Exact(String),
}

impl TypeFilter {
    pub(super) fn title(&self) -> String {
        match self {
            TypeFilter::All => "All types".to_string(),
            TypeFilter::Group(group) => group.title().to_string(),
            TypeFilter::Exact(name) => name.clone(),
        }
    }
}

/// Everything the table filters on.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Filter {
    pub kind: TypeFilter,
    /// Only the events of this state.
    pub state: Option<String>,
    pub errors_only: bool,
    /// Matched, case-insensitively, against the type, the state and the details.
    pub text: String,
}

/// What the table needs of one event to filter it (the history keeps the rest).
#[derive(Debug, Clone, Copy)]
struct Meta {
    kind: u16,
    state: Option<u32>,
    error: bool,
}

/// The events read so far.
#[derive(Debug, Default)]
pub(super) struct Scan {
    metas: Vec<Meta>,
    /// Type names present, in the order first seen (`Meta::kind` indexes them).
    types: Vec<String>,
    type_ids: HashMap<String, u16>,
    /// State names present (`Meta::state` indexes them).
    names: Vec<Arc<str>>,
    name_ids: HashMap<Arc<str>, u32>,
}

impl Scan {
    /// Reads the events not read yet. The places say which state each event belongs to;
    /// without them (a background run holds the execution) nothing new is read.
    pub(super) fn extend(&mut self, history: &[HistoryEvent], places: Option<&Places>) {
        let Some(places) = places else { return };
        if history.len() < self.metas.len() {
            // Another run: start over.
            *self = Scan::default();
        }
        for event in history.iter().skip(self.metas.len()) {
            let type_name = event.kind.type_name();
            let kind = match self.type_ids.get(&type_name) {
                Some(&id) => id,
                None => {
                    let id = u16::try_from(self.types.len()).unwrap_or(u16::MAX);
                    self.types.push(type_name.clone());
                    self.type_ids.insert(type_name, id);
                    id
                }
            };
            let state = places
                .of(event.id)
                .and_then(|p| p.state)
                .and_then(|s| places.state_name(s))
                .or_else(|| event.kind.state_name())
                .map(|name| self.name_id(name));
            self.metas.push(Meta {
                kind,
                state,
                error: is_error(&event.kind),
            });
        }
    }

    fn name_id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.name_ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        let name: Arc<str> = Arc::from(name);
        self.names.push(name.clone());
        self.name_ids.insert(name, id);
        id
    }

    /// Events read.
    pub(super) fn len(&self) -> usize {
        self.metas.len()
    }

    /// The type names present, sorted.
    pub(super) fn types(&self) -> Vec<&str> {
        let mut types: Vec<&str> = self.types.iter().map(String::as_str).collect();
        types.sort_unstable();
        types
    }

    /// The state names present, sorted.
    pub(super) fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.names.iter().map(|n| n.as_ref()).collect();
        names.sort_unstable();
        names
    }

    /// The type name of the event at `position` in the history.
    pub(super) fn type_name(&self, position: usize) -> Option<&str> {
        let meta = self.metas.get(position)?;
        self.types.get(usize::from(meta.kind)).map(String::as_str)
    }

    /// The state of the event at `position`.
    pub(super) fn state(&self, position: usize) -> Option<&Arc<str>> {
        let meta = self.metas.get(position)?;
        self.names.get(meta.state? as usize)
    }

    pub(super) fn is_error(&self, position: usize) -> bool {
        self.metas.get(position).is_some_and(|m| m.error)
    }
}

/// Whether an event reports a failure (failed, timed out, aborted).
pub(super) fn is_error(kind: &EventKind) -> bool {
    kind.failure().is_some()
        || matches!(
            kind,
            EventKind::MapStateFailed
                | EventKind::MapStateAborted
                | EventKind::ParallelStateFailed
                | EventKind::ParallelStateAborted
                | EventKind::MapIterationFailed { .. }
                | EventKind::MapIterationAborted { .. }
                | EventKind::TaskStateAborted { .. }
        )
}

/// The positions (in the history) of the events that pass a filter.
#[derive(Debug, Default)]
pub(super) struct Rows {
    filter: Filter,
    /// Events of the scan already filtered.
    filtered: usize,
    positions: Vec<u32>,
}

impl Rows {
    /// The rows for `filter`, filtering only what changed since the last call.
    pub(super) fn update(&mut self, filter: &Filter, scan: &Scan, history: &[HistoryEvent]) {
        if scan.len() < self.filtered {
            self.filtered = 0;
            self.positions.clear();
        }
        if *filter != self.filter {
            if narrows(&self.filter, filter) {
                // Typing more of the text: only the rows that passed can pass again.
                let test = Test::new(filter, scan);
                self.positions
                    .retain(|&p| test.passes(scan, history, p as usize));
            } else {
                self.filtered = 0;
                self.positions.clear();
            }
            self.filter = filter.clone();
        }
        if self.filtered >= scan.len() {
            return;
        }
        let test = Test::new(filter, scan);
        for position in self.filtered..scan.len() {
            if test.passes(scan, history, position) {
                self.positions.push(position as u32);
            }
        }
        self.filtered = scan.len();
    }

    pub(super) fn positions(&self) -> &[u32] {
        &self.positions
    }
}

/// Whether `new` only adds text to `old`'s (every row `new` passes, `old` passed).
fn narrows(old: &Filter, new: &Filter) -> bool {
    let (old_text, new_text) = (
        old.text.trim().to_lowercase(),
        new.text.trim().to_lowercase(),
    );
    old.kind == new.kind
        && old.state == new.state
        && old.errors_only == new.errors_only
        && new_text.contains(&old_text)
}

/// A filter resolved against the scan's tables, for one pass over the events.
struct Test {
    /// Per type id: whether it passes the type filter.
    types: Vec<bool>,
    state: Option<Option<u32>>,
    errors_only: bool,
    needle: String,
    /// Per type id and per state id: whether the name alone matches the text.
    type_matches: Vec<bool>,
    name_matches: Vec<bool>,
}

impl Test {
    fn new(filter: &Filter, scan: &Scan) -> Test {
        let needle = filter.text.trim().to_lowercase();
        let types = scan
            .types
            .iter()
            .map(|name| match &filter.kind {
                TypeFilter::All => true,
                TypeFilter::Group(Group::Errors) => true,
                TypeFilter::Group(group) => group.has(name, false),
                TypeFilter::Exact(exact) => exact == name,
            })
            .collect();
        Test {
            types,
            // A state that never ran has no id: nothing passes.
            state: filter
                .state
                .as_ref()
                .map(|name| scan.name_ids.get(name.as_str()).copied()),
            errors_only: filter.errors_only || filter.kind == TypeFilter::Group(Group::Errors),
            type_matches: scan
                .types
                .iter()
                .map(|t| t.to_lowercase().contains(&needle))
                .collect(),
            name_matches: scan
                .names
                .iter()
                .map(|n| n.to_lowercase().contains(&needle))
                .collect(),
            needle,
        }
    }

    fn passes(&self, scan: &Scan, history: &[HistoryEvent], position: usize) -> bool {
        let Some(meta) = scan.metas.get(position) else {
            return false;
        };
        if !self
            .types
            .get(usize::from(meta.kind))
            .copied()
            .unwrap_or(false)
        {
            return false;
        }
        if self.errors_only && !meta.error {
            return false;
        }
        if let Some(state) = self.state
            && (state.is_none() || meta.state != state)
        {
            return false;
        }
        if self.needle.is_empty() {
            return true;
        }
        let by_name = self
            .type_matches
            .get(usize::from(meta.kind))
            .copied()
            .unwrap_or(false)
            || meta
                .state
                .and_then(|s| self.name_matches.get(s as usize).copied())
                .unwrap_or(false);
        // The details are written only for the events the names did not match.
        by_name
            || history
                .get(position)
                .is_some_and(|event| details(event).to_lowercase().contains(&self.needle))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_text_narrows_the_rows_already_found() {
        let text = |t: &str| Filter {
            text: t.to_string(),
            ..Filter::default()
        };
        assert!(narrows(&text("Fail"), &text("failed")));
        assert!(!narrows(&text("failed"), &text("fail")));
        let errors = Filter {
            errors_only: true,
            ..text("fail")
        };
        assert!(!narrows(&text("fail"), &errors));
    }

    #[test]
    fn groups_sort_the_aws_type_names() {
        assert!(Group::State.has("TaskStateEntered", false));
        assert!(Group::Task.has("LambdaFunctionFailed", false));
        assert!(Group::Map.has("MapIterationStarted", false));
        assert!(!Group::Parallel.has("MapStateStarted", false));
        assert!(Group::Execution.has("ExecutionFailed", false));
        assert!(Group::Errors.has("Anything", true));
    }
}
