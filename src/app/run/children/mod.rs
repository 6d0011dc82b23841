//! The Map & Parallel tab: pick a container visit (every Map / Parallel visit begun by the
//! moment shown, latest first), see its iterations or branches with their status, input and
//! output, and open one: its path (the visits in its scope, in order) selects a visit for the
//! Data flow tab, moves the time cursor and selects the state on the canvas. A Distributed Map
//! also shows its map run. Lists are virtualised: a Map may have 100,000 iterations.

mod definition;
mod rows;

pub(in crate::app::run) use definition::DefinitionInfo;

use super::events::table::{Cell, ROW_HEIGHT, header_ui, row_ui};
use super::{RunAction, RunInput, RunView, status_color};
use crate::engine::EventKind;
use crate::engine::debug::DebugRun;
use egui::{RichText, Ui};
use rows::{ChildStatus, Container};

/// The container visit and the branch / iteration chosen, and the tables read from the run's
/// visits (extended as the run goes on; a new run starts with a new state).
#[derive(Debug, Default)]
pub(crate) struct ChildrenState {
    definition: DefinitionInfo,
    /// Visits read into the tables below.
    scanned: usize,
    /// Map / Parallel visits (indexes into the run's visits), in the order they began.
    containers: Vec<usize>,
    /// Per scope id: its visits, in order.
    scope_visits: Vec<Vec<usize>>,
    /// The container visit chosen (`None`: the latest one at the moment shown).
    chosen: Option<usize>,
    /// The container whose branch / iteration scopes `slots` holds, and how many were read.
    slots_of: Option<usize>,
    slots_read: usize,
    /// Scope by slot.
    slots: Vec<Option<u32>>,
    /// The branch / iteration opened (its slot).
    slot: Option<usize>,
}

/// What a click in the tab asks for (applied once the run is no longer borrowed).
enum Click {
    /// An iteration or branch: open it, and select its most telling visit.
    Child {
        slot: usize,
        focus: Option<(usize, String)>,
    },
    /// A visit of the open path.
    Visit {
        visit: usize,
        name: String,
        entered: u64,
    },
    /// Show another container (a Map or Parallel of the path, or one picked).
    Open(usize),
}

impl ChildrenState {
    /// The definition as read for this revision (state references, container settings).
    pub(in crate::app::run) fn definition(&mut self, input: &RunInput<'_>) -> &DefinitionInfo {
        self.definition.refresh(input.definition, input.revision);
        &self.definition
    }

    /// Reads the visits that began since the last frame.
    fn sync(&mut self, run: &DebugRun) {
        let index = run.index();
        let visits = index.visits();
        if visits.len() < self.scanned {
            // Not the run these tables were read from.
            *self = ChildrenState {
                definition: std::mem::take(&mut self.definition),
                ..ChildrenState::default()
            };
        }
        for (i, visit) in visits.iter().enumerate().skip(self.scanned) {
            let scope = visit.scope as usize;
            if self.scope_visits.len() <= scope {
                self.scope_visits.resize_with(scope + 1, Vec::new);
            }
            self.scope_visits[scope].push(i);
            if matches!(index.state_type(visit.state), "Map" | "Parallel") {
                self.containers.push(i);
            }
        }
        self.scanned = visits.len();
    }

    /// Reads the scopes of the container's branches / iterations begun since the last frame.
    fn sync_slots(&mut self, run: &DebugRun, container: usize) {
        if self.slots_of != Some(container) {
            self.slots_of = Some(container);
            self.slots_read = 0;
            self.slots.clear();
            self.slot = None;
        }
        let index = run.index();
        let scopes = index.child_scopes(container);
        for &(slot, scope) in scopes.iter().skip(self.slots_read) {
            if self.slots.len() <= slot {
                self.slots.resize(slot + 1, None);
            }
            self.slots[slot] = Some(scope);
        }
        self.slots_read = scopes.len();
    }

    /// The container shown: the one chosen, else the selected state's latest visit if it is a
    /// Map or Parallel, else the latest one.
    fn shown(&self, run: &DebugRun, begun: usize, selected: Option<&str>) -> Option<usize> {
        if let Some(chosen) = self.chosen
            && self.containers[..begun].binary_search(&chosen).is_ok()
        {
            return Some(chosen);
        }
        if let Some(name) = selected {
            let index = run.index();
            let by_name = self.containers[..begun].iter().rev().copied().find(|&i| {
                index.visits().get(i).is_some_and(|v| {
                    index
                        .state_names()
                        .get(v.state as usize)
                        .is_some_and(|n| n.as_ref() == name)
                })
            });
            if by_name.is_some() {
                return by_name;
            }
        }
        self.container_at(begun, 0)
    }
}

pub(super) fn children_ui(
    view: &mut RunView,
    ui: &mut Ui,
    input: &RunInput<'_>,
    actions: &mut Vec<RunAction>,
) {
    let RunView {
        active,
        children: state,
        selected_visit,
        ..
    } = view;
    let Some(active) = active.as_mut() else {
        ui.weak("No run yet.");
        return;
    };
    state.definition.refresh(input.definition, input.revision);
    let run = &active.run;
    state.sync(run);
    let at = run.cursor();
    let begun = state.containers_at(run, at);
    let selected = input.selection.map(|s| s.name.as_str());
    let Some(visit) = state.shown(run, begun, selected) else {
        ui.weak("No Map or Parallel state has begun by this moment.");
        return;
    };
    state.sync_slots(run, visit);
    let Some(container) = state.container(run, visit, at) else {
        return;
    };
    let mut click = picker_ui(state, ui, run, &container, begun, at);
    summary_ui(state, ui, run, &container);
    ui.separator();
    let path = egui::Panel::right("run-children-path")
        .resizable(true)
        .default_size(320.0)
        .size_range(180.0..=700.0)
        .show(ui, |ui| {
            // A panel shrinks to its content: keep the width the person gave it.
            ui.set_min_width(ui.available_width());
            path_ui(state, ui, run, &container, at, *selected_visit)
        })
        .inner;
    click = click.or(path);
    click = click.or(rows_ui(state, ui, run, &container, at));
    match click {
        Some(Click::Child { slot, focus }) => {
            state.chosen = Some(container.visit);
            state.slot = Some(slot);
            if let Some((visit, name)) = focus {
                *selected_visit = Some(visit);
                actions.push(RunAction::Select(state.definition.state_ref(&name)));
            }
        }
        Some(Click::Visit {
            visit,
            name,
            entered,
        }) => {
            state.chosen = Some(container.visit);
            *selected_visit = Some(visit);
            active.run.set_cursor(entered);
            actions.push(RunAction::Select(state.definition.state_ref(&name)));
        }
        Some(Click::Open(visit)) => {
            state.chosen = Some(visit);
            state.slot = None;
        }
        None => {}
    }
}

/// The container picker: every container visit begun by the cursor, latest first.
fn picker_ui(
    state: &ChildrenState,
    ui: &mut Ui,
    run: &DebugRun,
    container: &Container,
    begun: usize,
    at: u64,
) -> Option<Click> {
    let mut picked = None;
    ui.horizontal(|ui| {
        let label = ui.label("Container");
        egui::ComboBox::from_id_salt("run-children-picker")
            .width(ui.available_width().clamp(200.0, 520.0))
            .selected_text(container.title())
            .show_ui(ui, |ui| {
                ui.set_min_width(420.0);
                egui::ScrollArea::vertical().max_height(280.0).show_rows(
                    ui,
                    ROW_HEIGHT,
                    begun,
                    |ui, range| {
                        // Only the visible entries are read.
                        let entries: Vec<(usize, String)> = range
                            .filter_map(|position| {
                                let visit = state.container_at(begun, position)?;
                                Some((visit, state.container(run, visit, at)?.title()))
                            })
                            .collect();
                        for (visit, title) in entries {
                            let chosen = visit == container.visit;
                            let cells = [Cell::new(&title, 0.0)];
                            if row_ui(ui, &cells, chosen, false, &title).clicked() {
                                picked = Some(Click::Open(visit));
                            }
                        }
                    },
                );
            })
            .response
            .labelled_by(label.id);
        ui.weak(format!(
            "{begun} Map / Parallel visit{} by this moment",
            if begun == 1 { "" } else { "s" }
        ));
    });
    picked
}

/// The container's counts; a Distributed Map's map run.
/// (The picker shows the container's title and counts.)
fn summary_ui(state: &ChildrenState, ui: &mut Ui, run: &DebugRun, container: &Container) {
    if !container.is_map {
        return;
    }
    let p = &container.progress;
    let info = state.definition.container(&container.name);
    if !info.is_some_and(|i| i.distributed) {
        ui.weak(format!(
            "{} started · {} succeeded · {} failed · {} aborted",
            p.started, p.succeeded, p.failed, p.aborted
        ));
        return;
    }
    let total = p.total.unwrap_or(0);
    let tolerated = info.and_then(|i| {
        let count = i.tolerated_count.as_ref().map(|c| (c, ""));
        count.or(i.tolerated_percentage.as_ref().map(|c| (c, "%")))
    });
    let tolerance = match tolerated {
        Some((limit, unit)) => {
            let within = limit.parse::<f64>().ok().map(|limit| {
                let failed = p.failed as f64;
                if unit == "%" && total > 0 {
                    failed * 100.0 / total as f64 <= limit
                } else {
                    failed <= limit
                }
            });
            let verdict = match within {
                Some(true) => " (within)",
                Some(false) => " (exceeded)",
                None => "",
            };
            format!("tolerated: {limit}{unit}{verdict}")
        }
        None => "tolerated: 0".to_string(),
    };
    let line = ui.label(format!(
        "Map run: {total} items · {} succeeded · {} failed · {tolerance}",
        p.succeeded, p.failed
    ));
    // The map run's ARN follows MapStateStarted closely.
    let arn =
        (container.entered..container.entered + 8).find_map(|id| match &run.event(id)?.kind {
            EventKind::MapRunStarted { map_run_arn } => Some(map_run_arn.clone()),
            _ => None,
        });
    if let Some(arn) = arn {
        line.on_hover_text(arn);
    }
}

/// The iterations / branches, virtualised.
fn rows_ui(
    state: &ChildrenState,
    ui: &mut Ui,
    run: &DebugRun,
    container: &Container,
    at: u64,
) -> Option<Click> {
    let noun = if container.is_map {
        "Iteration"
    } else {
        "Branch"
    };
    header_ui(
        ui,
        &[
            (noun, 110.0),
            ("Status", 90.0),
            ("Input", 240.0),
            ("Output or error", 0.0),
        ],
    );
    let dark = ui.visuals().dark_mode;
    let mut click = None;
    egui::ScrollArea::vertical()
        .id_salt(("run-children-rows", container.visit))
        .auto_shrink([false, false])
        .show_rows(ui, ROW_HEIGHT, container.rows, |ui, range| {
            for row in state.child_rows(run, range, at) {
                // Iterations by their item index (as the events number them), branches from 1.
                let name = if container.is_map {
                    format!("Iteration {}", row.slot)
                } else {
                    format!("Branch {}", row.slot + 1)
                };
                let color = row.status.visit_status().map(|s| status_color(s, dark));
                let cells = [
                    Cell::new(&name, 110.0),
                    Cell::new(row.status.word(), 90.0).colored(color),
                    Cell::new(&row.input, 240.0),
                    Cell::new(&row.output, 0.0).colored(
                        (row.status == ChildStatus::Failed)
                            .then_some(color)
                            .flatten(),
                    ),
                ];
                let label = format!(
                    "{name} · {} · in: {} · out: {}",
                    row.status.word(),
                    row.input,
                    row.output
                );
                let chosen = state.slot == Some(row.slot);
                let dim = row.status == ChildStatus::NotStarted;
                if row_ui(ui, &cells, chosen, dim, &label).clicked() {
                    click = Some(Click::Child {
                        slot: row.slot,
                        focus: row.focus.clone(),
                    });
                }
            }
        });
    click
}

/// The open iteration's path: its visits in order.
fn path_ui(
    state: &ChildrenState,
    ui: &mut Ui,
    run: &DebugRun,
    container: &Container,
    at: u64,
    selected_visit: Option<usize>,
) -> Option<Click> {
    let Some(slot) = state.slot else {
        ui.weak(if container.is_map {
            "Click an iteration to open it."
        } else {
            "Click a branch to open it."
        });
        return None;
    };
    let title = if container.is_map {
        format!("Iteration {slot}")
    } else {
        format!("Branch {}", slot + 1)
    };
    ui.label(RichText::new(format!("{title} of ‘{}’", container.name)).strong())
        .on_hover_text("Click a visit to see it; double-click a Map or Parallel to open it.");
    let Some(scope) = state.scope_of(slot) else {
        ui.weak("Not started.");
        return None;
    };
    let len = state.path_len(run, scope, at);
    if len == 0 {
        ui.weak("Not started by this moment.");
        return None;
    }
    let history = run.history();
    let dark = ui.visuals().dark_mode;
    let mut click = None;
    egui::ScrollArea::vertical()
        .id_salt(("run-children-path", container.visit, slot))
        .auto_shrink([false, false])
        .show_rows(ui, ROW_HEIGHT, len, |ui, range| {
            let first = range.start;
            for (n, row) in state
                .path_rows(run, scope, range, at)
                .into_iter()
                .enumerate()
            {
                let number = (first + n + 1).to_string();
                let word = super::status_word(row.status);
                let time = rows::time_of(history, row.entered);
                let retries = match row.retries {
                    0 => String::new(),
                    1 => "1 retry".to_string(),
                    r => format!("{r} retries"),
                };
                let cells = [
                    Cell::new(&number, 24.0),
                    Cell::new(&row.name, 130.0),
                    Cell::new(word, 80.0).colored(Some(status_color(row.status, dark))),
                    Cell::new(&time, 72.0),
                    Cell::new(&retries, 0.0),
                ];
                let label = format!("Visit {number} {} · {word}", row.name);
                let selected = selected_visit == Some(row.visit);
                let response = row_ui(ui, &cells, selected, false, &label);
                if response.double_clicked() && row.is_container {
                    click = Some(Click::Open(row.visit));
                } else if response.clicked() {
                    click = Some(Click::Visit {
                        visit: row.visit,
                        name: row.name.clone(),
                        entered: row.entered,
                    });
                }
            }
        });
    click
}
