//! What the Map & Parallel tab copies out of the run's index for one frame: the container
//! visits, and only the visible rows of iterations / branches and of the chosen one's path.
//! Each function takes the index lock once and lets it go before anything is drawn.

use super::ChildrenState;
use crate::app::run::events::text::{DETAIL_CHARS, compact, failure_text};
use crate::engine::debug::{ChildProgress, DebugRun, RunIndex, Visit, VisitStatus, visit_payloads};
use crate::engine::{Execution, HistoryEvent};
use std::ops::Range;

/// A Map or Parallel visit, as of the cursor.
#[derive(Debug, Clone)]
pub(super) struct Container {
    /// Index into the run's visits.
    pub visit: usize,
    pub name: String,
    pub is_map: bool,
    /// Which visit of its state this is (1 for the first).
    pub nth: usize,
    pub entered: u64,
    pub progress: ChildProgress,
    /// Branches (Parallel): how many, how many finished, how many failed.
    pub branches: usize,
    pub branches_done: usize,
    pub branches_failed: usize,
    /// The rows: every item (Map) or branch (Parallel), begun or not.
    pub rows: usize,
}

impl Container {
    /// "Map ‘Process’ (visit 1) — 37/100 items, 2 failed".
    pub(super) fn title(&self) -> String {
        let counts = if self.is_map {
            let p = &self.progress;
            let done = p.succeeded + p.failed + p.aborted;
            let mut text = match p.total {
                Some(total) => format!("{done}/{total} items"),
                None => format!("{done} items"),
            };
            if p.failed > 0 {
                text += &format!(", {} failed", p.failed);
            }
            if p.aborted > 0 {
                text += &format!(", {} aborted", p.aborted);
            }
            text
        } else {
            let mut text = format!("{}/{} branches", self.branches_done, self.branches);
            if self.branches_failed > 0 {
                text += &format!(", {} failed", self.branches_failed);
            }
            text
        };
        format!(
            "{} ‘{}’ (visit {}) — {counts}",
            if self.is_map { "Map" } else { "Parallel" },
            self.name,
            self.nth
        )
    }
}

/// How one iteration or branch stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ChildStatus {
    NotStarted,
    Running,
    Succeeded,
    Failed,
    Aborted,
}

impl ChildStatus {
    pub(super) fn word(self) -> &'static str {
        match self {
            ChildStatus::NotStarted => "not started",
            ChildStatus::Running => "running",
            ChildStatus::Succeeded => "succeeded",
            ChildStatus::Failed => "failed",
            ChildStatus::Aborted => "aborted",
        }
    }

    /// The visit status whose colour it takes (none: not started).
    pub(super) fn visit_status(self) -> Option<VisitStatus> {
        match self {
            ChildStatus::NotStarted => None,
            ChildStatus::Running => Some(VisitStatus::InProgress),
            ChildStatus::Succeeded => Some(VisitStatus::Succeeded),
            ChildStatus::Failed => Some(VisitStatus::Failed),
            ChildStatus::Aborted => Some(VisitStatus::Cancelled),
        }
    }
}

/// One iteration or branch row.
#[derive(Debug, Clone)]
pub(super) struct ChildRow {
    pub slot: usize,
    pub status: ChildStatus,
    pub input: String,
    /// The last output, or the error.
    pub output: String,
    /// The visit a click opens: the failed one, else the latest.
    pub focus: Option<(usize, String)>,
}

/// One visit of the chosen iteration's path.
#[derive(Debug, Clone)]
pub(super) struct PathRow {
    pub visit: usize,
    pub name: String,
    pub status: VisitStatus,
    pub retries: usize,
    pub entered: u64,
    pub is_container: bool,
}

/// The visits of a scope begun by `at` (a prefix: they are in the order they began).
fn begun<'a>(index: &RunIndex, visits: &'a [usize], at: u64) -> &'a [usize] {
    let end = visits.partition_point(|&i| index.visits().get(i).is_some_and(|v| v.entered <= at));
    &visits[..end]
}

fn state_name(index: &RunIndex, visit: &Visit) -> String {
    index
        .state_names()
        .get(visit.state as usize)
        .map(|n| n.to_string())
        .unwrap_or_default()
}

impl ChildrenState {
    /// Container visits begun by `at`.
    pub(super) fn containers_at(&self, run: &DebugRun, at: u64) -> usize {
        let index = run.index();
        self.containers
            .partition_point(|&i| index.visits().get(i).is_some_and(|v| v.entered <= at))
    }

    /// The container visit at `position` in the list shown (latest first).
    pub(super) fn container_at(&self, begun: usize, position: usize) -> Option<usize> {
        let at = begun.checked_sub(position + 1)?;
        self.containers.get(at).copied()
    }

    /// A container visit as of `at`.
    pub(super) fn container(&self, run: &DebugRun, visit: usize, at: u64) -> Option<Container> {
        let head = run.head();
        let index = run.index();
        let v = index.visits().get(visit)?;
        if v.entered > at {
            return None;
        }
        let kind = index.state_type(v.state);
        let is_map = kind == "Map";
        let nth = index
            .visits_of_state_at(v.state, v.entered)
            .binary_search(&visit)
            .map_or(1, |i| i + 1);
        let progress = index.progress_at(visit, at);
        let scopes = index.child_scopes(visit);
        let mut branches_done = 0;
        let mut branches_failed = 0;
        if !is_map {
            for &(_, scope) in scopes {
                match self.status(&index, scope, at) {
                    ChildStatus::Succeeded => branches_done += 1,
                    ChildStatus::Failed | ChildStatus::Aborted => {
                        branches_done += 1;
                        branches_failed += 1;
                    }
                    _ => {}
                }
            }
        }
        // Slots are few for a Parallel; a Map's items are counted by MapStateStarted (at the
        // head: rows do not jump while scrubbing), so its 100,000 scopes are not walked.
        let most_slots = || scopes.iter().map(|(slot, _)| slot + 1).max().unwrap_or(0);
        let (branches, rows) = if is_map {
            let total = index.progress_at(visit, head).total;
            (0, total.unwrap_or_else(most_slots))
        } else {
            let written = self
                .definition
                .container(&state_name(&index, v))
                .map_or(0, |c| c.branches);
            let branches = written.max(most_slots());
            (branches, branches)
        };
        Some(Container {
            visit,
            name: state_name(&index, v),
            is_map,
            nth,
            entered: v.entered,
            progress,
            branches,
            branches_done,
            branches_failed,
            rows,
        })
    }

    /// How the branch / iteration in `scope` stands at `at`.
    fn status(&self, index: &RunIndex, scope: u32, at: u64) -> ChildStatus {
        let visits = self
            .scope_visits
            .get(scope as usize)
            .map_or(&[][..], Vec::as_slice);
        let visits = begun(index, visits, at);
        let Some(last) = visits.last().and_then(|&i| index.visits().get(i)) else {
            return ChildStatus::NotStarted;
        };
        let failed = visits.iter().any(|&i| {
            index
                .visits()
                .get(i)
                .is_some_and(|v| v.status_at(at) == VisitStatus::Failed)
        });
        if failed {
            return ChildStatus::Failed;
        }
        match last.status_at(at) {
            VisitStatus::Failed => ChildStatus::Failed,
            VisitStatus::Cancelled => ChildStatus::Aborted,
            VisitStatus::InProgress => ChildStatus::Running,
            VisitStatus::Succeeded | VisitStatus::Caught if index.scope_done_at(scope, at) => {
                ChildStatus::Succeeded
            }
            VisitStatus::Succeeded | VisitStatus::Caught => ChildStatus::Running,
        }
    }

    /// The scope of a slot of the synced container.
    pub(super) fn scope_of(&self, slot: usize) -> Option<u32> {
        self.slots.get(slot).copied().flatten()
    }

    /// The rows in `range` of the container's iterations / branches, as of `at`.
    pub(super) fn child_rows(&self, run: &DebugRun, range: Range<usize>, at: u64) -> Vec<ChildRow> {
        let history = run.history();
        let execution = run.execution();
        let index = run.index();
        range
            .map(|slot| {
                let Some(scope) = self.scope_of(slot) else {
                    return not_started(slot);
                };
                let visits = self
                    .scope_visits
                    .get(scope as usize)
                    .map_or(&[][..], Vec::as_slice);
                let visits = begun(&index, visits, at);
                let status = self.status(&index, scope, at);
                if status == ChildStatus::NotStarted {
                    return not_started(slot);
                }
                let all = index.visits();
                let input = visits
                    .first()
                    .and_then(|&i| all.get(i))
                    .and_then(|v| visit_payloads(history, v).0)
                    .map_or_else(String::new, |value| compact(&value, DETAIL_CHARS));
                let failed = visits.iter().rev().copied().find(|&i| {
                    all.get(i)
                        .is_some_and(|v| v.status_at(at) == VisitStatus::Failed)
                });
                let output = match failed {
                    Some(i) => all
                        .get(i)
                        .map(|v| {
                            failure_of(v, at, execution).unwrap_or_else(|| {
                                let name = state_name(&index, v);
                                match self.definition.fail(&name) {
                                    Some((error, cause)) => failure_text(error, cause),
                                    None => "failed".to_string(),
                                }
                            })
                        })
                        .unwrap_or_default(),
                    None => visits
                        .iter()
                        .rev()
                        .filter_map(|&i| all.get(i))
                        .find(|v| v.ended.is_some_and(|e| e <= at))
                        .and_then(|v| visit_payloads(history, v).1)
                        .map_or_else(String::new, |value| compact(&value, DETAIL_CHARS)),
                };
                let focus = failed
                    .or_else(|| visits.last().copied())
                    .and_then(|i| all.get(i).map(|v| (i, state_name(&index, v))));
                ChildRow {
                    slot,
                    status,
                    input,
                    output,
                    focus,
                }
            })
            .collect()
    }

    /// Visits in a scope begun by `at`.
    pub(super) fn path_len(&self, run: &DebugRun, scope: u32, at: u64) -> usize {
        let index = run.index();
        let visits = self
            .scope_visits
            .get(scope as usize)
            .map_or(&[][..], Vec::as_slice);
        begun(&index, visits, at).len()
    }

    /// The rows in `range` of a scope's path, as of `at`.
    pub(super) fn path_rows(
        &self,
        run: &DebugRun,
        scope: u32,
        range: Range<usize>,
        at: u64,
    ) -> Vec<PathRow> {
        let index = run.index();
        let visits = self
            .scope_visits
            .get(scope as usize)
            .map_or(&[][..], Vec::as_slice);
        let visits = begun(&index, visits, at);
        visits
            .get(range)
            .unwrap_or_default()
            .iter()
            .filter_map(|&i| {
                let v = index.visits().get(i)?;
                let kind = index.state_type(v.state);
                Some(PathRow {
                    visit: i,
                    name: state_name(&index, v),
                    status: v.status_at(at),
                    retries: v.retries_at(at),
                    entered: v.entered,
                    is_container: kind == "Map" || kind == "Parallel",
                })
            })
            .collect()
    }
}

fn not_started(slot: usize) -> ChildRow {
    ChildRow {
        slot,
        status: ChildStatus::NotStarted,
        input: String::new(),
        output: String::new(),
        focus: None,
    }
}

/// The error of a failed visit: its failure event's, else the one its stages recorded.
fn failure_of(visit: &Visit, at: u64, execution: Option<&Execution>) -> Option<String> {
    if let Some((_, error, cause)) = visit.failure_at(at) {
        return Some(failure_text(error.as_deref(), cause.as_deref()));
    }
    let visits = execution?.visits();
    let i = visits
        .binary_search_by_key(&visit.entered, |v| v.entered_event)
        .ok()?;
    let failure = visits.get(i)?.failure.as_ref()?;
    (failure.at_event <= at)
        .then(|| failure_text(failure.error.as_deref(), failure.cause.as_deref()))
}

/// The time since the start of an event, for a path row.
pub(super) fn time_of(history: &[HistoryEvent], event: u64) -> String {
    let Some(first) = history.first() else {
        return String::new();
    };
    usize::try_from(event.saturating_sub(first.id))
        .ok()
        .and_then(|i| history.get(i))
        .map(|e| crate::app::run::events::text::since_start(e, first))
        .unwrap_or_default()
}
