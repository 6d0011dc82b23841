//! What the canvas draws of a run at the moment shown: each state's status, visit count,
//! retries and (for Map / Parallel) progress; the transitions taken; the states in progress;
//! the state a paused run is about to enter. Computed from the run's index, only when the
//! moment or the run changes.

use crate::engine::debug::{DebugRun, VisitStatus};
use std::collections::{HashMap, HashSet};

/// One state, as the run left it at the moment shown.
#[derive(Debug, Clone, PartialEq)]
pub struct StateRun {
    pub status: VisitStatus,
    pub visits: u32,
    pub retries: u32,
    pub failed: u32,
    /// "37/100 items, 2 failed" for a Map, "1/2 branches" for a Parallel.
    pub progress: Option<String>,
}

/// The run on the canvas.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunOverlay {
    /// By state name.
    pub states: HashMap<String, StateRun>,
    /// Transitions taken (from, to).
    pub taken: HashSet<(String, String)>,
    /// States in progress.
    pub current: HashSet<String>,
    /// The state a paused run enters next.
    pub entering: Option<String>,
    /// The run belongs to another text: nothing is coloured (the states may have changed).
    pub stale: bool,
}

impl RunOverlay {
    /// The run at its cursor.
    pub fn of(run: &DebugRun) -> RunOverlay {
        let at = run.cursor();
        let entering = run.entry_ahead().map(|(state, _)| state);
        let Some(places) = run.execution().and_then(|e| e.places()).cloned() else {
            // The background thread has the execution: the index alone tells enough.
            return RunOverlay::from_index(run, at, None, entering);
        };
        RunOverlay::from_index(run, at, Some(&places.state_names), entering)
    }

    fn from_index(
        run: &DebugRun,
        at: u64,
        names: Option<&[std::sync::Arc<str>]>,
        entering: Option<String>,
    ) -> RunOverlay {
        let index = run.index();
        let names = names
            .map(<[_]>::to_vec)
            .unwrap_or_else(|| index.state_names().to_vec());
        let mut overlay = RunOverlay {
            entering,
            ..RunOverlay::default()
        };
        for (id, name) in names.iter().enumerate() {
            let id = id as u32;
            let summary = index.summary_at(id, at);
            let Some(status) = summary.status() else {
                continue;
            };
            if status == VisitStatus::InProgress {
                overlay.current.insert(name.to_string());
            }
            let progress = index.visits_of_state_at(id, at).last().and_then(|&visit| {
                let p = index.progress_at(visit, at);
                let kind = index.state_type(id);
                match kind {
                    "Map" => Some(
                        match p.total {
                            Some(total) => format!("{}/{total} items", p.succeeded + p.failed),
                            None => format!("{} items", p.succeeded + p.failed),
                        } + &failed_suffix(p.failed),
                    ),
                    "Parallel" => {
                        let branches = index.child_scopes(visit).len();
                        let done = index
                            .child_scopes(visit)
                            .iter()
                            .filter(|(_, scope)| index.scope_done_at(*scope, at))
                            .count();
                        Some(format!("{done}/{branches} branches"))
                    }
                    _ => None,
                }
            });
            overlay.states.insert(
                name.to_string(),
                StateRun {
                    status,
                    visits: summary.visits,
                    retries: summary.retries,
                    failed: summary.failed,
                    progress,
                },
            );
        }
        for transition in index.transitions_at(at) {
            if let (Some(from), Some(to)) = (
                names.get(transition.from as usize),
                names.get(transition.to as usize),
            ) {
                overlay.taken.insert((from.to_string(), to.to_string()));
            }
        }
        overlay
    }
}

fn failed_suffix(failed: usize) -> String {
    if failed == 0 {
        String::new()
    } else {
        format!(", {failed} failed")
    }
}
