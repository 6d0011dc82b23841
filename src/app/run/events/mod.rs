//! The Events tab: the execution history as a virtualised table (id, type, state, time since
//! the start, short details), filtered by type or group, state, errors and free text; the
//! events after the time cursor (the future, when travelling back) dimmed. A click selects the
//! event, moves the cursor there and selects its state; the event's GetExecutionHistory JSON
//! shows beside the table. "Copy history JSON" copies the whole history.

mod filter;
pub(in crate::app::run) mod table;
pub(in crate::app::run) mod text;

use super::{RunAction, RunInput, RunView};
use crate::engine::HistoryEvent;
use crate::engine::debug::DebugRun;
use egui::{RichText, Ui};
use filter::{Filter, Group, Rows, Scan, TypeFilter};
use table::{Cell, ROW_HEIGHT, header_ui, row_ui};

/// The most of an event's JSON the side pane shows (Copy copies all of it).
const JSON_CHARS: usize = 100_000;

/// The table's filters, what it read of the history, and its scroll.
#[derive(Debug, Default)]
pub(crate) struct EventsState {
    filter: Filter,
    scan: Scan,
    rows: Rows,
    /// The cursor when last drawn: the table follows it when it moves (steps, the scrubber).
    last_cursor: Option<u64>,
    /// The scroll offset and height of the table last frame.
    view: (f32, f32),
    /// The selected event's JSON, pretty (written once per selection), and where the part
    /// shown ends.
    json: Option<(u64, String, usize)>,
}

/// The columns: title and width (the last one takes the rest).
const COLUMNS: [(&str, f32); 5] = [
    ("#", 52.0),
    ("Type", 190.0),
    ("State", 150.0),
    ("Time", 84.0),
    ("Details", 0.0),
];

pub(super) fn events_ui(
    view: &mut RunView,
    ui: &mut Ui,
    input: &RunInput<'_>,
    actions: &mut Vec<RunAction>,
) {
    let RunView {
        active,
        events: state,
        children,
        selected_event,
        selected_visit,
        ..
    } = view;
    let Some(active) = active.as_mut() else {
        ui.weak("No run yet: F5 runs, F10 steps.");
        return;
    };
    let run = &active.run;
    let history = run.history();
    state
        .scan
        .extend(history, run.execution().and_then(|e| e.places()));
    filter_bar_ui(state, ui, history, actions);
    state.rows.update(&state.filter, &state.scan, history);
    if run.is_busy() {
        ui.weak("Running… the table shows the events up to the last pause.");
    }
    egui::Panel::right("run-event-json")
        .resizable(true)
        .default_size(380.0)
        .size_range(200.0..=900.0)
        .show(ui, |ui| {
            // A panel shrinks to its content: keep the width the person gave it.
            ui.set_min_width(ui.available_width());
            json_ui(state, ui, run, *selected_event)
        });
    let Some(position) = table_ui(state, ui, run, *selected_event) else {
        return;
    };
    let Some(event) = history.get(position) else {
        return;
    };
    let id = event.id;
    let name = state.scan.state(position).cloned();
    *selected_event = Some(id);
    *selected_visit = name.as_ref().and_then(|name| visit_of(run, id, name));
    active.run.set_cursor(id);
    // The table does not jump to the row just clicked.
    state.last_cursor = Some(active.run.cursor());
    if let Some(name) = name {
        actions.push(RunAction::Select(
            children.definition(input).state_ref(&name),
        ));
    }
}

/// The visit an event belongs to: of its state, in its scope, begun by it and not ended
/// before it.
fn visit_of(run: &DebugRun, id: u64, name: &str) -> Option<usize> {
    let scope = run.execution()?.places()?.of(id)?.scope;
    let index = run.index();
    let state = index.state_id(name)?;
    index
        .visits_of_state_at(state, id)
        .iter()
        .rev()
        .copied()
        .find(|&i| {
            index
                .visits()
                .get(i)
                .is_some_and(|v| v.scope == scope && v.ended.is_none_or(|e| e >= id))
        })
}

fn filter_bar_ui(
    state: &mut EventsState,
    ui: &mut Ui,
    history: &[HistoryEvent],
    actions: &mut Vec<RunAction>,
) {
    let filter = &mut state.filter;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Type");
        egui::ComboBox::from_id_salt("run-events-type")
            .selected_text(filter.kind.title())
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut filter.kind, TypeFilter::All, "All types");
                for group in Group::ALL {
                    ui.selectable_value(&mut filter.kind, TypeFilter::Group(group), group.title());
                }
                ui.separator();
                for name in state.scan.types() {
                    let exact = TypeFilter::Exact(name.to_string());
                    ui.selectable_value(&mut filter.kind, exact, name);
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text("Event type, or a group of types");
        let label = ui.label("State");
        egui::ComboBox::from_id_salt("run-events-state")
            .selected_text(filter.state.as_deref().unwrap_or("All states"))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut filter.state, None, "All states");
                for name in state.scan.names() {
                    ui.selectable_value(&mut filter.state, Some(name.to_string()), name);
                }
            })
            .response
            .labelled_by(label.id);
        ui.checkbox(&mut filter.errors_only, "Errors only");
        let label = ui.label("Filter");
        ui.add(
            egui::TextEdit::singleline(&mut filter.text)
                .hint_text("type, state, details")
                .desired_width(180.0),
        )
        .labelled_by(label.id);
        if *filter != Filter::default() && ui.small_button("Clear").clicked() {
            *filter = Filter::default();
        }
        ui.weak(format!(
            "{} of {} events",
            state.rows.positions().len(),
            history.len()
        ));
        if ui
            .button("Copy history JSON")
            .on_hover_text(
                "The whole history as GetExecutionHistory returns it ({\"events\": […]})",
            )
            .clicked()
        {
            ui.ctx().copy_text(history_json(history));
            actions.push(RunAction::Status(format!(
                "Copied {} events as GetExecutionHistory JSON",
                history.len()
            )));
        }
    });
}

/// The history as GetExecutionHistory returns it.
pub(in crate::app::run) fn history_json(history: &[HistoryEvent]) -> String {
    let events: Vec<serde_json::Value> = history.iter().map(HistoryEvent::to_aws_json).collect();
    let value = serde_json::json!({ "events": events });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// The table; returns the position (in the history) of a clicked row.
fn table_ui(
    state: &mut EventsState,
    ui: &mut Ui,
    run: &DebugRun,
    selected: Option<u64>,
) -> Option<usize> {
    let history = run.history();
    let cursor = run.cursor();
    let positions = state.rows.positions();
    header_ui(ui, &COLUMNS);
    if positions.is_empty() {
        ui.weak(if history.is_empty() {
            "No events yet."
        } else {
            "No event matches the filters."
        });
        return None;
    }
    // Follow the cursor when it moved since the last frame (a step, the scrubber).
    let mut scroll = egui::ScrollArea::vertical()
        .id_salt("run-events-table")
        .auto_shrink([false, false]);
    if state.last_cursor != Some(cursor) {
        let row = positions
            .partition_point(|&p| history.get(p as usize).is_some_and(|e| e.id <= cursor))
            .saturating_sub(1);
        let (offset, height) = state.view;
        if let Some(offset) = table::offset_to_show(ui, row, offset, height) {
            scroll = scroll.vertical_scroll_offset(offset);
        }
        state.last_cursor = Some(cursor);
    }
    let first = history.first();
    let dark = ui.visuals().dark_mode;
    let error_color = super::status_color(crate::engine::debug::VisitStatus::Failed, dark);
    let mut clicked = None;
    let output = scroll.show_rows(ui, ROW_HEIGHT, positions.len(), |ui, range| {
        for &position in positions.get(range).unwrap_or_default() {
            let position = position as usize;
            let (Some(event), Some(first)) = (history.get(position), first) else {
                continue;
            };
            let id = event.id.to_string();
            let kind = state.scan.type_name(position).unwrap_or_default();
            let name = state.scan.state(position).map_or("", |n| n.as_ref());
            let time = text::since_start(event, first);
            let details = text::details(event);
            let error = state.scan.is_error(position);
            let color = error.then_some(error_color);
            let cells = [
                Cell::new(&id, COLUMNS[0].1),
                Cell::new(kind, COLUMNS[1].1).colored(color),
                Cell::new(name, COLUMNS[2].1),
                Cell::new(&time, COLUMNS[3].1),
                Cell::new(&details, 0.0).colored(color),
            ];
            let label = format!("Event #{id} {kind} {name} {time} {details}");
            let future = event.id > cursor;
            if row_ui(ui, &cells, selected == Some(event.id), future, &label).clicked() {
                clicked = Some(position);
            }
        }
    });
    state.view = (output.state.clamped_offset().y, output.inner_rect.height());
    clicked
}

/// The selected event's JSON (GetExecutionHistory's shape).
fn json_ui(state: &mut EventsState, ui: &mut Ui, run: &DebugRun, selected: Option<u64>) {
    let Some(event) = selected.and_then(|id| run.event(id)) else {
        ui.weak("Click an event to see its JSON.");
        return;
    };
    let id = event.id;
    if state.json.as_ref().is_none_or(|(shown, _, _)| *shown != id) {
        let json = serde_json::to_string_pretty(&event.to_aws_json()).unwrap_or_default();
        // A large payload is cut for the screen (a label lays out all of its text).
        let end = json
            .char_indices()
            .nth(JSON_CHARS)
            .map_or(json.len(), |(i, _)| i);
        state.json = Some((id, json, end));
    }
    let Some((_, json, end)) = state.json.as_ref() else {
        return;
    };
    ui.horizontal(|ui| {
        ui.label(RichText::new(format!("Event {id} · {}", event.kind.type_name())).strong());
        if ui.small_button("Copy").clicked() {
            ui.ctx().copy_text(json.clone());
        }
    });
    egui::ScrollArea::both()
        .id_salt("run-event-json-text")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let shown = json.get(..*end).unwrap_or_default();
            ui.add(
                egui::Label::new(RichText::new(shown).monospace())
                    .wrap_mode(egui::TextWrapMode::Extend),
            );
            if *end < json.len() {
                ui.weak(format!(
                    "… {} more bytes (Copy copies the whole event)",
                    json.len() - end
                ));
            }
        });
}
