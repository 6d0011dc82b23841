//! The Outline (left panel): every state of the machine, nested like the definition, with a
//! filter. Clicking one returns it, for the dispatcher to select it everywhere. Only the
//! visible rows are built, so a machine of hundreds of states costs no more per frame than a
//! small one.

use super::selection::Selection;
use super::theme;
use crate::asl::graph_edit::StateRef;
use crate::asl::model::{State, StateKind, StateMachine, StateType};
use egui::{RichText, Ui};

/// One row of the browser.
#[derive(Debug, Clone, PartialEq)]
enum Row {
    State {
        depth: usize,
        pointer: String,
        name: String,
        kind: Option<StateType>,
        type_name: String,
    },
    /// "Branch 2" above the states of one Parallel branch.
    Branch { depth: usize, label: String },
}

/// The browser's own state: the filter text and the rows for the current model.
#[derive(Default)]
pub struct Browser {
    pub filter: String,
    /// Set by Ctrl+F: focus the filter field on the next frame.
    pub focus_filter: bool,
    /// Rows for (session revision, filter).
    rows: Option<(u64, String, Vec<Row>)>,
}

impl Browser {
    /// Shows the browser; returns the state the user clicked.
    pub fn browser_ui(
        &mut self,
        ui: &mut Ui,
        machine: Option<&StateMachine>,
        revision: u64,
        selection: &Selection,
    ) -> Option<StateRef> {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            theme::heading_ui(ui, "States");
            if let Some((_, _, rows)) = &self.rows {
                let count = rows
                    .iter()
                    .filter(|r| matches!(r, Row::State { .. }))
                    .count();
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.label(RichText::new(count.to_string()).small().weak());
                });
            }
        });
        let filter = ui.add(
            egui::TextEdit::singleline(&mut self.filter)
                .hint_text("🔍 Filter states  (Ctrl+F)")
                .desired_width(f32::INFINITY),
        );
        if std::mem::take(&mut self.focus_filter) {
            filter.request_focus();
        }
        ui.add_space(4.0);
        let Some(machine) = machine else {
            self.rows = None;
            ui.label(
                RichText::new("No state machine: the definition has no \"States\" object.").weak(),
            );
            return None;
        };
        let filter = self.filter.trim().to_lowercase();
        let stale = self
            .rows
            .as_ref()
            .is_none_or(|(r, f, _)| *r != revision || *f != filter);
        if stale {
            self.rows = Some((revision, filter.clone(), rows_of(machine, &filter)));
        }
        let Some((_, _, rows)) = &self.rows else {
            return None;
        };
        if rows.is_empty() {
            ui.label(RichText::new("No state matches.").weak());
            return None;
        }
        let mut clicked = None;
        let selection = selection.pointer();
        let selection = selection.as_deref();
        let row_height = ui.spacing().interact_size.y + 2.0;
        egui::ScrollArea::vertical()
            .id_salt("browser-scroll")
            .auto_shrink([false, false])
            .show_rows(ui, row_height, rows.len(), |ui, range| {
                for row in rows.get(range).unwrap_or_default() {
                    if let Some(pointer) = row_ui(ui, row, row_height, selection) {
                        clicked = Some(pointer);
                    }
                }
            });
        clicked.and_then(|pointer: String| StateRef::from_pointer(&pointer))
    }
}

/// The rows of the whole tree, or the states whose name contains `filter` (flat).
fn rows_of(machine: &StateMachine, filter: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    if filter.is_empty() {
        tree_rows(machine, 0, &mut rows);
    } else {
        for (_, state) in machine.walk() {
            if state.name.to_lowercase().contains(filter) {
                rows.push(state_row(state, 0));
            }
        }
    }
    rows
}

fn state_row(state: &State, depth: usize) -> Row {
    Row::State {
        depth,
        pointer: state.pointer.clone(),
        name: state.name.clone(),
        kind: state.state_type(),
        type_name: type_name(state),
    }
}

fn tree_rows(machine: &StateMachine, depth: usize, rows: &mut Vec<Row>) {
    for state in machine.states.values() {
        rows.push(state_row(state, depth));
        let children = state.children();
        let many = children.len() > 1;
        for (index, child) in children.into_iter().enumerate() {
            if many {
                rows.push(Row::Branch {
                    depth: depth + 1,
                    label: format!("Branch {}", index + 1),
                });
            }
            tree_rows(child, depth + 1, rows);
        }
    }
}

fn row_ui(ui: &mut Ui, row: &Row, height: f32, selection: Option<&str>) -> Option<String> {
    ui.horizontal(|ui| {
        ui.set_height(height);
        ui.spacing_mut().item_spacing.x = 6.0;
        match row {
            Row::Branch { depth, label } => {
                ui.add_space(18.0 * *depth as f32 + 4.0);
                ui.label(RichText::new(label).small().weak());
                None
            }
            Row::State {
                depth,
                pointer,
                name,
                kind,
                type_name,
            } => {
                ui.add_space(18.0 * *depth as f32);
                theme::state_badge_ui(ui, *kind);
                let selected = selection == Some(pointer.as_str());
                let response = ui
                    .add(egui::Button::selectable(selected, name.as_str()).truncate())
                    .on_hover_text(type_name);
                response.clicked().then(|| pointer.clone())
            }
        }
    })
    .inner
}

/// "Task", "Choice", ... or what an unknown `Type` says.
pub fn type_name(state: &State) -> String {
    match &state.kind {
        StateKind::Unknown(Some(name)) => format!("{name} (unknown type)"),
        StateKind::Unknown(None) => "no Type".to_string(),
        _ => state
            .state_type()
            .map_or_else(String::new, |t| t.as_str().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattens_the_tree_and_filters_by_name() {
        let value = serde_json::json!({"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                {"StartAt": "B", "States": {"B": {"Type": "Wait", "Seconds": 1, "End": true}}}
            ], "Next": "Done"},
            "Done": {"Type": "Succeed"}
        }});
        let machine = StateMachine::from_value(&value).unwrap();
        let shape: Vec<String> = rows_of(&machine, "")
            .iter()
            .map(|r| match r {
                Row::State { depth, name, .. } => format!("{depth}:{name}"),
                Row::Branch { depth, label } => format!("{depth}:[{label}]"),
            })
            .collect();
        assert_eq!(
            shape,
            [
                "0:P",
                "1:[Branch 1]",
                "1:A",
                "1:[Branch 2]",
                "1:B",
                "0:Done"
            ]
        );
        let found = rows_of(&machine, "b");
        assert_eq!(found.len(), 1);
        assert!(
            matches!(&found[0], Row::State { pointer, .. } if pointer == "/States/P/Branches/1/States/B")
        );
    }
}
