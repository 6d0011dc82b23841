//! With nothing selected: a short summary of the machine (its own fields are edited in the
//! Config tab, so this stays read-only).

use super::{InspectorAction, InspectorInput};
use crate::asl::graph_edit::StateRef;
use crate::asl::model::{StateMachine, StateType};
use crate::asl::validate::Severity;
use egui::{RichText, Ui};

/// What the summary shows, computed once per document revision.
#[derive(Debug, Default)]
pub struct SummaryCache {
    revision: Option<u64>,
    summary: Option<Summary>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub comment: Option<String>,
    pub start_at: String,
    /// The declared language, None for the JSONPath default.
    pub query_language: Option<&'static str>,
    pub timeout_seconds: Option<u64>,
    pub top_level: usize,
    pub total: usize,
    /// States per type, in [`StateType::ALL`] order, types without states left out.
    pub by_type: Vec<(StateType, usize)>,
}

impl Summary {
    pub fn of(machine: &StateMachine) -> Summary {
        let all = machine.walk();
        let by_type = StateType::ALL
            .iter()
            .map(|t| {
                let count = all
                    .iter()
                    .filter(|(_, s)| s.state_type() == Some(*t))
                    .count();
                (*t, count)
            })
            .filter(|(_, count)| *count > 0)
            .collect();
        Summary {
            comment: machine.comment.clone(),
            start_at: machine.start_at.clone(),
            query_language: machine.query_language.map(|q| q.as_str()),
            timeout_seconds: machine.timeout_seconds,
            top_level: machine.states.len(),
            total: all.len(),
            by_type,
        }
    }
}

pub fn summary_ui(
    ui: &mut Ui,
    cache: &mut SummaryCache,
    input: &InspectorInput<'_>,
    actions: &mut Vec<InspectorAction>,
) {
    if cache.revision != Some(input.revision) {
        cache.revision = Some(input.revision);
        cache.summary = StateMachine::from_value(input.doc.value())
            .ok()
            .map(|m| Summary::of(&m));
    }
    // The panel keeps its width (it shrinks to its content otherwise).
    ui.set_min_width(ui.available_width());
    ui.add_space(4.0);
    crate::app::theme::heading_ui(ui, "State machine");
    let Some(summary) = &cache.summary else {
        ui.label(RichText::new("The definition has no States object yet.").weak());
        return;
    };
    let errors = input
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = input
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    egui::Grid::new("inspector-summary")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let weak = |ui: &mut Ui, text: &str| {
                ui.label(RichText::new(text).weak());
            };
            if let Some(comment) = &summary.comment {
                weak(ui, "Comment");
                ui.add(egui::Label::new(comment).wrap());
                ui.end_row();
            }
            weak(ui, "StartAt");
            if !summary.start_at.is_empty() && ui.link(&summary.start_at).clicked() {
                actions.push(InspectorAction::Select(StateRef::top(
                    summary.start_at.clone(),
                )));
            }
            ui.end_row();
            weak(ui, "QueryLanguage");
            ui.label(summary.query_language.unwrap_or("JSONPath (default)"));
            ui.end_row();
            if let Some(timeout) = summary.timeout_seconds {
                weak(ui, "TimeoutSeconds");
                ui.label(timeout.to_string());
                ui.end_row();
            }
            weak(ui, "States");
            ui.label(format!(
                "{} ({} at the top level)",
                summary.total, summary.top_level
            ));
            ui.end_row();
            weak(ui, "Types");
            let types: Vec<String> = summary
                .by_type
                .iter()
                .map(|(t, n)| format!("{n} {}", t.as_str()))
                .collect();
            ui.add(egui::Label::new(types.join(" · ")).wrap());
            ui.end_row();
            weak(ui, "Problems");
            ui.label(format!("{errors} errors, {warnings} warnings"));
            ui.end_row();
        });
    ui.add_space(8.0);
    ui.label(RichText::new("Select a state to inspect it.").weak());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn counts_states_at_every_depth() {
        let machine = StateMachine::from_value(&json!({
            "StartAt": "P", "TimeoutSeconds": 60,
            "States": {
                "P": {"Type": "Parallel", "Branches": [
                    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}
                ], "Next": "T"},
                "T": {"Type": "Task", "Resource": "x", "End": true}
            }
        }))
        .unwrap();
        let summary = Summary::of(&machine);
        assert_eq!(summary.total, 3);
        assert_eq!(summary.top_level, 2);
        assert_eq!(summary.timeout_seconds, Some(60));
        assert_eq!(
            summary.by_type,
            [
                (StateType::Pass, 1),
                (StateType::Task, 1),
                (StateType::Parallel, 1)
            ]
        );
    }
}
