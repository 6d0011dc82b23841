//! The answer of a Test: the status as a coloured badge, the error and cause, the next state
//! (a link), the stage the state failed in (a link to its field), then every recorded stage of
//! the data flow in the order it ran, each marked with what it changed, and the error details,
//! Map settings and variables after the state.

use super::Run;
use crate::app::inspector::Tab;
use crate::app::theme;
use crate::app::widgets::json_tree::{Diff, json_tree_ui, section_ui};
use crate::app::widgets::stages;
use crate::asl::model::{QueryLanguage, StateType};
use crate::engine::test_state::{ApiError, InspectionLevel, TestStateResponse, TestStatus};
use crate::engine::{Stage, StateVisit};
use egui::{Color32, RichText, Ui};
use serde_json::{Map as JsonMap, Value};

/// What the user clicked in the answer.
#[derive(Debug, Default)]
pub struct Clicked {
    /// The next state (to select, in the tested state's graph).
    pub next_state: Option<String>,
    /// The tab showing the field the state failed in.
    pub tab: Option<Tab>,
}

pub fn status_color(status: TestStatus) -> Color32 {
    match status {
        TestStatus::Succeeded => Color32::from_rgb(0x16, 0xa3, 0x4a),
        TestStatus::Failed => stages::FAILED,
        TestStatus::Retriable => Color32::from_rgb(0xd9, 0x9a, 0x06),
        TestStatus::CaughtError => Color32::from_rgb(0xea, 0x58, 0x0c),
    }
}

pub fn result_ui(
    ui: &mut Ui,
    run: &Run,
    state_type: Option<StateType>,
    language: QueryLanguage,
) -> Clicked {
    let mut clicked = Clicked::default();
    match &run.outcome {
        Err(error) => api_error_ui(ui, error),
        Ok(response) => {
            summary_ui(ui, response, (state_type, language), &mut clicked);
            if run.level == InspectionLevel::Info {
                ui.label(
                    RichText::new("Inspection level INFO: no data flow (DEBUG shows each stage).")
                        .small()
                        .weak(),
                );
            } else if let Some(visit) = &response.visit {
                details_ui(ui, response, visit);
            }
        }
    }
    clicked
}

/// A request the API refused: nothing ran.
fn api_error_ui(ui: &mut Ui, error: &ApiError) {
    let red = status_color(TestStatus::Failed);
    egui::Frame::new()
        .stroke(egui::Stroke::new(1.0, red))
        .corner_radius(6)
        .inner_margin(egui::Margin::same(6))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(error.code).strong().color(red));
            ui.add(egui::Label::new(&error.message).wrap());
            ui.label(
                RichText::new("The API refused the request: the state did not run.")
                    .small()
                    .weak(),
            );
        });
}

fn badge_ui(ui: &mut Ui, status: TestStatus) {
    egui::Frame::new()
        .fill(status_color(status))
        .corner_radius(4)
        .inner_margin(egui::Margin::symmetric(6, 2))
        .show(ui, |ui| {
            ui.label(
                RichText::new(status.as_str())
                    .strong()
                    .color(Color32::WHITE),
            );
        });
}

/// Status, error, cause, where the state failed, the next state and the output.
fn summary_ui(
    ui: &mut Ui,
    response: &TestStateResponse,
    (state_type, language): (Option<StateType>, QueryLanguage),
    clicked: &mut Clicked,
) {
    ui.horizontal(|ui| {
        badge_ui(ui, response.status);
        let meaning = match response.status {
            TestStatus::Succeeded => "the state succeeded",
            TestStatus::Failed => "the state failed",
            TestStatus::Retriable => "it failed; a retrier would run it again",
            TestStatus::CaughtError => "it failed; a catcher caught the error",
        };
        ui.label(RichText::new(meaning).small().weak());
    });
    if let Some(error) = &response.error {
        ui.add(egui::Label::new(RichText::new(format!("Error: {error}")).strong()).wrap());
    }
    if let Some(cause) = &response.cause {
        ui.add(egui::Label::new(format!("Cause: {cause}")).wrap());
    }
    if let Some(failure) = response.visit.as_ref().and_then(|v| v.failure.as_ref())
        && let Some(visit) = &response.visit
    {
        let title = failure.stage.title(visit.language, visit.state_type);
        let error = failure.error.as_deref().unwrap_or("an error");
        let text = format!("Failed at {title}: {error}");
        match failure.stage.field(visit.language, visit.state_type) {
            Some(field) => {
                let tab = Tab::of_field(field, state_type);
                let link = ui
                    .link(RichText::new(text).color(status_color(TestStatus::Failed)))
                    .on_hover_text(format!(
                        "Show {field} in {}",
                        tab.title(language, state_type)
                    ));
                if link.clicked() {
                    clicked.tab = Some(tab);
                }
            }
            None => {
                ui.label(RichText::new(text).color(status_color(TestStatus::Failed)));
            }
        }
    }
    if let Some(next) = &response.next_state {
        ui.horizontal(|ui| {
            ui.label("Next state:");
            if ui
                .link(format!("→ {next}"))
                .on_hover_text(format!("Select {next}"))
                .clicked()
            {
                clicked.next_state = Some(next.clone());
            }
        });
    }
    if let Some(output) = &response.output {
        section_ui(ui, "test-output", "State output", true, |ui| {
            json_tree_ui(ui, output, &Diff::default());
        });
    }
}

/// The stages in the order they ran, then what AWS reports besides them.
fn details_ui(ui: &mut Ui, response: &TestStateResponse, visit: &StateVisit) {
    ui.add_space(6.0);
    theme::heading_ui(ui, "Data flow");
    stages::stage_rows_ui(ui, "test-stage", &stages::recorded_rows(visit));
    if let Some(failure) = &visit.failure {
        stages::failure_line_ui(ui, visit, failure);
    }
    stages::error_details_ui(ui, &visit.error_details);
    if let Some(map) = &visit.map {
        stages::map_settings_ui(ui, map);
    }
    if let Some(variables) = &visit.variables {
        stages::variables_ui(ui, "test-variables", "Variables after the state", variables);
    }
    other_inspection_data_ui(ui, response);
}

/// Inspection data the sections above do not show (e.g. TRACE's HTTP request and response).
fn other_inspection_data_ui(ui: &mut Ui, response: &TestStateResponse) {
    const SHOWN: &[&str] = &[
        "maxConcurrency",
        "toleratedFailureCount",
        "toleratedFailurePercentage",
        "variables",
        "errorDetails",
    ];
    let Some(data) = &response.inspection_data else {
        return;
    };
    let other: JsonMap<String, Value> = data
        .iter()
        .filter(|(key, _)| !SHOWN.contains(&key.as_str()) && Stage::from_api_name(key).is_none())
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    if other.is_empty() {
        return;
    }
    ui.add_space(6.0);
    section_ui(ui, "test-other", "Other inspection data", true, |ui| {
        json_tree_ui(ui, &Value::Object(other), &Diff::default());
    });
}
