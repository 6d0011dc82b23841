//! The Data flow tab: every stage of one state visit of the run, as it stood at the event
//! shown. Which visit: the one chosen here (◀ ▶ between the state's visits, or picked
//! elsewhere in the run view), else the latest visit of the state selected on the canvas, else
//! the latest visit begun. Each stage comes in AWS's order with AWS's name and the field that
//! produced it as written, its data with what changed, the error of the stage it failed in,
//! and, greyed, the stages the run has not reached; then the attempts, how the error was
//! handled, the variables, and where the state went next.
//!
//! The drawing is shared with the inspector's Test state tab (`widgets::stages`); which
//! stages show and what each shows at the cursor is UI-free, in `rows`.

mod rows;

use super::children::DefinitionInfo;
use super::colors::{status_color, status_word};
use super::{RunAction, RunInput, RunView};
use crate::app::theme;
use crate::app::widgets::stages::{self, StageError, StageRow};
use crate::asl::graph_edit::StateRef;
use crate::asl::model::QueryLanguage;
use crate::engine::debug::{DebugRun, RunIndex, Visit, VisitStatus};
use crate::engine::{Scope, Stage, StateVisit};
use egui::{RichText, Ui};
use serde_json::Value;

/// The visit shown, copied out of the run's index so that the index is not held while drawing
/// (a background Continue updates it).
#[derive(Debug, Clone)]
struct Shown {
    /// Index into the index's visits.
    index: usize,
    visit: Visit,
    name: String,
    /// Its place among the state's visits begun by the cursor (from 0), and how many.
    nth: usize,
    count: usize,
    previous: Option<usize>,
    next: Option<usize>,
    /// The state selected on the canvas, when it has not run by the cursor (another visit
    /// is shown instead).
    unvisited: Option<String>,
}

pub(super) fn dataflow_ui(
    view: &mut RunView,
    ui: &mut Ui,
    input: &RunInput<'_>,
    actions: &mut Vec<RunAction>,
) {
    let RunView {
        active,
        children,
        selected_visit,
        ..
    } = view;
    let Some(active) = active.as_ref() else {
        ui.weak("No run yet: Run (F5) or Step (F10), then each state's data flow shows here.");
        return;
    };
    let definition = children.definition(input);
    if let Some(index) = run_ui(&active.run, *selected_visit, definition, ui, input, actions) {
        *selected_visit = Some(index);
    }
}

/// The tab for one run; the visit the user moved to, if they did.
fn run_ui(
    run: &DebugRun,
    selected: Option<usize>,
    definition: &DefinitionInfo,
    ui: &mut Ui,
    input: &RunInput<'_>,
    actions: &mut Vec<RunAction>,
) -> Option<usize> {
    let cursor = run.cursor();
    let shown = {
        let index = run.index();
        pick(&index, selected, input.selection, cursor)
    };
    let Some(shown) = shown else {
        ui.weak("No state has been entered yet at the moment shown.");
        return None;
    };
    let chosen = header_ui(ui, &shown, cursor);
    let Some(execution) = run.execution() else {
        ui.weak("running…");
        return chosen;
    };
    let visits = execution.visits();
    let at = visits.partition_point(|v| v.entered_event < shown.visit.entered);
    let Some(visit) = visits
        .get(at)
        .filter(|v| v.entered_event == shown.visit.entered)
    else {
        ui.weak("No data flow was recorded for this visit.");
        return chosen;
    };
    // The state as the definition writes it (its fields are shown beside the stages).
    let pointer = definition.state_ref(&shown.name).pointer();
    let state = input.definition.and_then(|d| d.pointer(&pointer));
    egui::ScrollArea::vertical()
        .id_salt("run-dataflow")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let moment = moment(visit, &shown.visit, cursor);
            let rows = rows::rows(visit, state, &moment);
            stages::stage_rows_ui(ui, "run-stage", &rows);
            after_stages_ui(ui, visit, &shown, &moment, &rows);
            next_ui(ui, visit, &shown, cursor, definition, actions);
        });
    chosen
}

/// Which visit to show (see the module comment).
fn pick(
    index: &RunIndex,
    selected: Option<usize>,
    selection: Option<&StateRef>,
    cursor: u64,
) -> Option<Shown> {
    let begun = index.visits_at(cursor).len();
    let name_of = |i: usize| {
        let state = index.visits().get(i)?.state;
        index
            .state_names()
            .get(state as usize)
            .map(|n| n.to_string())
    };
    // A visit chosen for another state than the one selected since gives way to it.
    let chosen = selected.filter(|&i| {
        i < begun && selection.is_none_or(|s| name_of(i).is_some_and(|n| n == s.name))
    });
    let of_selection = || {
        let state = index.state_id(&selection?.name)?;
        index.visits_of_state_at(state, cursor).last().copied()
    };
    let at = chosen
        .or_else(of_selection)
        .or_else(|| begun.checked_sub(1))?;
    let visit = index.visits().get(at)?.clone();
    let name = name_of(at)?;
    let siblings = index.visits_of_state_at(visit.state, cursor);
    let nth = siblings.iter().position(|&i| i == at).unwrap_or(0);
    let unvisited = selection.filter(|s| s.name != name).map(|s| s.name.clone());
    Some(Shown {
        index: at,
        nth,
        count: siblings.len().max(1),
        previous: nth.checked_sub(1).and_then(|i| siblings.get(i)).copied(),
        next: siblings.get(nth + 1).copied(),
        visit,
        name,
        unvisited,
    })
}

/// "‘Charge’ — visit 2 of 3 · succeeded", with ◀ ▶ to the state's other visits.
fn header_ui(ui: &mut Ui, shown: &Shown, cursor: u64) -> Option<usize> {
    if let Some(selected) = &shown.unvisited {
        ui.label(
            RichText::new(format!(
                "‘{selected}’ has not run at the moment shown: the latest visit is shown instead."
            ))
            .small()
            .weak(),
        );
    }
    let mut chosen = None;
    let status = shown.visit.status_at(cursor);
    ui.horizontal(|ui| {
        if ui
            .add_enabled(shown.previous.is_some(), egui::Button::new("◀"))
            .on_hover_text(format!("The visit of ‘{}’ before this one", shown.name))
            .clicked()
        {
            chosen = shown.previous;
        }
        if ui
            .add_enabled(shown.next.is_some(), egui::Button::new("▶"))
            .on_hover_text(format!("The next visit of ‘{}’", shown.name))
            .clicked()
        {
            chosen = shown.next;
        }
        ui.label(RichText::new("●").color(status_color(status, ui.visuals().dark_mode)));
        ui.label(
            RichText::new(format!(
                "‘{}’ — visit {} of {} · {}",
                shown.name,
                shown.nth + 1,
                shown.count,
                status_word(status)
            ))
            .strong(),
        );
        let retries = shown.visit.retries_at(cursor);
        if retries > 0 {
            let plural = if retries == 1 { "retry" } else { "retries" };
            ui.label(RichText::new(format!("· {retries} {plural}")).weak());
        }
        ui.label(
            RichText::new(format!("entered at event {}", shown.visit.entered))
                .small()
                .weak(),
        );
    });
    chosen.filter(|&i| i != shown.index)
}

/// Where the visit stood at the cursor: ended or not, and the failure it had reached (with
/// the latest error the run saw, and whether a retry followed it).
fn moment<'a>(visit: &'a StateVisit, indexed: &'a Visit, cursor: u64) -> rows::Moment<'a> {
    let failure = visit
        .failure
        .as_ref()
        .filter(|f| f.at_event <= cursor)
        .map(|f| {
            let mut error = StageError::of(f);
            let mut failed_at = f.at_event;
            if let Some((event, name, cause)) = indexed.failure_at(cursor)
                && *event >= f.at_event
            {
                // A later attempt's error: the stage is the first failure's, the words the last's.
                error.error = name.as_deref().or(error.error);
                error.cause = cause.as_deref().or(error.cause);
                failed_at = *event;
            }
            error.retried = indexed
                .retries
                .iter()
                .any(|&retry| retry > failed_at && retry <= cursor);
            (f.stage, error)
        });
    rows::Moment {
        cursor,
        ended: indexed.ended.is_some_and(|ended| ended <= cursor),
        failure,
    }
}

/// The failure, the attempts, how the error was handled, a Map's settings, the variables.
fn after_stages_ui(
    ui: &mut Ui,
    visit: &StateVisit,
    shown: &Shown,
    moment: &rows::Moment<'_>,
    rows: &[StageRow<'_>],
) {
    let cursor = moment.cursor;
    if let Some(failure) = visit.failure.as_ref().filter(|f| f.at_event <= cursor)
        && moment.failure.as_ref().is_some_and(|(_, e)| !e.retried)
    {
        ui.add_space(4.0);
        stages::failure_line_ui(ui, visit, failure);
    }
    let failures: Vec<_> = shown
        .visit
        .failures
        .iter()
        .filter(|(event, _, _)| *event <= cursor)
        .collect();
    if !failures.is_empty() {
        ui.add_space(6.0);
        theme::heading_ui(ui, "Attempts");
        for (attempt, (event, error, cause)) in failures.iter().enumerate() {
            let error = error.as_deref().unwrap_or("an error");
            let cause = cause
                .as_deref()
                .map(|c| format!(": {c}"))
                .unwrap_or_default();
            ui.add(
                egui::Label::new(format!(
                    "Attempt {} failed with {error}{cause} (event {event})",
                    attempt + 1
                ))
                .wrap(),
            );
        }
        let retries = shown.visit.retries_at(cursor);
        if retries > 0 {
            ui.label(format!("Retried {retries} time{}", plural(retries)));
        }
    }
    if moment.ended || moment.failure.is_some() {
        stages::error_details_ui(ui, &visit.error_details);
    }
    let items_reached = rows.iter().any(|row| {
        row.stage == Stage::AfterItemsPath && matches!(row.data, stages::StageData::Reached { .. })
    });
    if let Some(map) = visit.map.as_ref().filter(|_| items_reached) {
        stages::map_settings_ui(ui, map);
    }
    // JSONata lists Assign among the stages; JSONPath assigns beside the data flow.
    if visit.language == QueryLanguage::JsonPath
        && let Some(Value::Object(assigned)) = latest(visit, Stage::Assigned, cursor)
    {
        stages::variables_ui(ui, "run-assigned", "Assigned by the state", assigned);
    }
    if moment.ended
        && let Some(variables) = &visit.variables
    {
        stages::variables_ui(ui, "run-variables", "Variables after the state", variables);
    }
}

/// Where the state went, once it had ended.
fn next_ui(
    ui: &mut Ui,
    visit: &StateVisit,
    shown: &Shown,
    cursor: u64,
    definition: &DefinitionInfo,
    actions: &mut Vec<RunAction>,
) {
    ui.add_space(6.0);
    let status = shown.visit.status_at(cursor);
    let scope = scope_text(&visit.scope);
    match (status, &visit.next_state) {
        (VisitStatus::InProgress, _) => {
            ui.weak("In progress at the moment shown.");
        }
        (VisitStatus::Succeeded | VisitStatus::Caught, Some(next)) => {
            ui.horizontal(|ui| {
                let how = if status == VisitStatus::Caught {
                    "Caught: went on to"
                } else {
                    "Next state:"
                };
                ui.label(how);
                if ui
                    .link(format!("→ {next}"))
                    .on_hover_text(format!("Select {next}"))
                    .clicked()
                {
                    actions.push(RunAction::Select(definition.state_ref(next)));
                }
            });
        }
        (VisitStatus::Succeeded, None) => {
            ui.weak(format!("The end of {scope}."));
        }
        (VisitStatus::Failed | VisitStatus::Caught, None) => {
            ui.weak(format!("The error ended {scope}."));
        }
        (VisitStatus::Cancelled, _) => {
            ui.weak("Stopped from outside (the execution or a sibling ended it).");
        }
        (VisitStatus::Failed, Some(_)) => {
            ui.weak("The state failed.");
        }
    }
}

/// "the execution", or "iteration 3 of ‘Each’".
fn scope_text(scope: &[Scope]) -> String {
    let mut container = None;
    let mut inner = None;
    for level in scope {
        match level {
            Scope::State(name) => container = Some(name.as_str()),
            Scope::Branch(i) => inner = Some(format!("branch {}", i + 1)),
            Scope::Iteration(i) => inner = Some(format!("iteration {i}")),
        }
    }
    match (inner, container) {
        (Some(inner), Some(container)) => format!("{inner} of ‘{container}’"),
        _ => "the execution".to_string(),
    }
}

/// The data after a stage as recorded by the cursor (the latest attempt's).
fn latest(visit: &StateVisit, stage: Stage, cursor: u64) -> Option<&Value> {
    visit
        .stages
        .iter()
        .rev()
        .find(|r| r.stage == stage && r.at_event <= cursor)
        .map(|r| r.value.as_ref())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
