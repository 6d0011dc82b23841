//! The data flow of one state visit, stage by stage: each stage's title (AWS's names), the
//! field that produced it as written, its data as a JSON tree with what it changed from the
//! stage before, and the error of the stage a state failed in; then how the error was handled,
//! a Map state's settings and the variables after the state. Shared by the Test state tab
//! (one TestState answer) and the run view's Data flow tab (a visit of a real run, at the
//! moment shown).

use super::json_tree::{Diff, cut, json_tree_ui, section_ui};
use crate::app::theme;
use crate::asl::document::to_json_pretty;
use crate::asl::model::QueryLanguage;
use crate::engine::{ErrorDetails, MapSettings, Stage, StageFailure, StateVisit};
use egui::collapsing_header::CollapsingState;
use egui::{Color32, RichText, Ui};
use serde_json::{Map as JsonMap, Value};

/// The colour of a failure (the FAILED badge, the stage a state failed in).
pub const FAILED: Color32 = Color32::from_rgb(0xdc, 0x26, 0x26);

/// Characters of a field's expression shown beside a stage title (the rest is on hover).
const MAX_EXPRESSION: usize = 120;

/// Whether a stage's data is the state's data flowing on. `Assign`'s is the variables it set,
/// beside the flow: the stage after it is compared with the one before it.
pub fn flows_on(stage: Stage) -> bool {
    stage != Stage::Assigned
}

/// The data a stage is compared with: the stage before it in the flow, except ResultPath,
/// which places the result into the state's input (compared with the input, it shows where
/// the result went).
pub fn compared_with<'v>(
    stage: Stage,
    previous: Option<&'v Value>,
    input: Option<&'v Value>,
) -> Option<&'v Value> {
    match stage {
        Stage::AfterResultPath => input.or(previous),
        _ => previous,
    }
}

/// What a stage row shows of the data.
#[derive(Debug, Clone, PartialEq)]
pub enum StageData<'a> {
    /// The data after the stage; what it did to the data of the stage before (`None`: nothing
    /// to compare with, e.g. the input).
    Reached {
        value: &'a Value,
        diff: Option<Diff>,
    },
    /// The stage has not run: why ("not reached yet"), shown greyed.
    NotReached(&'a str),
}

/// The state's field behind a stage, as written in the definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Expression {
    /// `InputPath: "$.order"`, `Parameters: {"id.$":"$.id"}`, `ResultPath: "$" (default)`.
    pub text: String,
    /// The field is in the definition (otherwise `text` says what applies instead).
    pub written: bool,
}

/// The error a state raised in a stage.
#[derive(Debug, Clone, PartialEq)]
pub struct StageError<'a> {
    pub error: Option<&'a str>,
    pub cause: Option<&'a str>,
    /// An earlier attempt failed here and a retrier ran the state again.
    pub retried: bool,
}

impl<'a> StageError<'a> {
    pub fn of(failure: &'a StageFailure) -> StageError<'a> {
        StageError {
            error: failure.error.as_deref(),
            cause: failure.cause.as_deref(),
            retried: false,
        }
    }
}

/// One stage as a row of the data flow.
#[derive(Debug, Clone, PartialEq)]
pub struct StageRow<'a> {
    pub stage: Stage,
    /// AWS's name for the stage ("InputPath", "Parameters", "Result"...).
    pub title: &'static str,
    /// The state's field producing it, when it has one ("Resource" for a task's result).
    pub field: Option<&'static str>,
    pub data: StageData<'a>,
    pub expression: Option<Expression>,
    pub failure: Option<StageError<'a>>,
}

impl<'a> StageRow<'a> {
    pub fn new(
        stage: Stage,
        language: QueryLanguage,
        state_type: &str,
        data: StageData<'a>,
    ) -> StageRow<'a> {
        let title = match (stage, state_type) {
            // A Map state's Parameters are its ItemSelector (the newer name).
            (Stage::AfterParameters, "Map") => "ItemSelector",
            _ => stage.title(language, state_type),
        };
        StageRow {
            stage,
            title,
            field: stage.field(language, state_type),
            data,
            expression: None,
            failure: None,
        }
    }
}

/// The stages a visit recorded, in the order they ran, each compared with the data stage
/// before it (a retried state records its stages again: each attempt shows).
pub fn recorded_rows(visit: &StateVisit) -> Vec<StageRow<'_>> {
    let input = visit.stage(Stage::Input);
    let mut previous: Option<&Value> = None;
    visit
        .stages
        .iter()
        .map(|record| {
            let value = record.value.as_ref();
            let diff = if flows_on(record.stage) {
                let before = compared_with(record.stage, previous, input);
                let diff = before.map(|before| Diff::between(before, value));
                previous = Some(value);
                diff
            } else {
                None
            };
            StageRow::new(
                record.stage,
                visit.language,
                visit.state_type,
                StageData::Reached { value, diff },
            )
        })
        .collect()
}

/// Every row, one under the other; `salt` keeps the rows of two lists apart.
pub fn stage_rows_ui(ui: &mut Ui, salt: &str, rows: &[StageRow<'_>]) {
    for (index, row) in rows.iter().enumerate() {
        ui.push_id((salt, index), |ui| stage_ui(ui, row));
    }
}

/// One stage: its title, field and expression, whether it changed the data, and the data
/// (collapsible); or its error; or, greyed, why it has not run.
pub fn stage_ui(ui: &mut Ui, row: &StageRow<'_>) {
    let value = match (&row.data, &row.failure) {
        (StageData::Reached { value, diff }, _) => Some((*value, diff.as_ref())),
        (StageData::NotReached(_), Some(_)) => None,
        (StageData::NotReached(why), None) => {
            not_reached_ui(ui, row, why);
            return;
        }
    };
    let id = ui.make_persistent_id("stage");
    // An unchanged stage repeats the one before: folded, so the changes stand out.
    let open = match value {
        Some((_, diff)) => diff.is_none_or(|d| !d.is_empty()),
        None => true,
    };
    CollapsingState::load_with_default_open(ui.ctx(), id, open)
        .show_header(ui, |ui| {
            ui.label(RichText::new(row.title).strong());
            names_ui(ui, row);
            if let Some(failure) = row.failure.as_ref().filter(|f| !f.retried) {
                let error = failure.error.unwrap_or("an error");
                ui.label(
                    RichText::new(format!("✖ failed: {error}"))
                        .strong()
                        .color(FAILED),
                );
            }
            if let Some((value, diff)) = value {
                diff_tag_ui(ui, diff);
                if ui
                    .small_button("Copy")
                    .on_hover_text(format!("Copy the data after {} as JSON", row.title))
                    .clicked()
                {
                    ui.ctx().copy_text(to_json_pretty(value, "  "));
                }
            }
        })
        .body(|ui| {
            if let Some(failure) = &row.failure {
                let error = failure.error.unwrap_or("an error");
                let text = if failure.retried {
                    format!("An earlier attempt failed here with {error}; a retrier ran it again")
                } else {
                    format!("The state failed here with {error}")
                };
                ui.label(RichText::new(text).small().color(FAILED));
                if let Some(cause) = failure.cause {
                    ui.add(
                        egui::Label::new(RichText::new(format!("Cause: {cause}")).small()).wrap(),
                    );
                }
            }
            if let Some((value, diff)) = value {
                if let Some(diff) = diff.filter(|d| !d.is_empty()) {
                    ui.label(RichText::new(diff.describe()).small());
                }
                json_tree_ui(ui, value, diff.unwrap_or(&Diff::default()));
            }
        });
}

/// A stage that has not run: one greyed line, lined up with the titles of the others.
fn not_reached_ui(ui: &mut Ui, row: &StageRow<'_>, why: &str) {
    ui.horizontal(|ui| {
        ui.add_space(ui.spacing().indent);
        ui.label(RichText::new(row.title).strong().weak());
        names_ui(ui, row);
        ui.label(RichText::new(why).small().italics().weak());
    });
}

/// The field's expression (or the field and AWS's name for the stage) beside the title.
fn names_ui(ui: &mut Ui, row: &StageRow<'_>) {
    match &row.expression {
        Some(expression) => {
            let text = RichText::new(cut(&expression.text, MAX_EXPRESSION))
                .monospace()
                .small();
            let text = if expression.written {
                text
            } else {
                text.weak()
            };
            let label = ui.add(egui::Label::new(text).truncate());
            if expression.text.chars().count() > MAX_EXPRESSION {
                label.on_hover_text(&expression.text);
            }
            ui.label(RichText::new(row.stage.api_name()).small().weak());
        }
        None => {
            let mut names = Vec::new();
            if let Some(field) = row.field.filter(|f| *f != row.title) {
                names.push(field);
            }
            names.push(row.stage.api_name());
            ui.label(RichText::new(names.join(" · ")).small().weak());
        }
    }
}

fn diff_tag_ui(ui: &mut Ui, diff: Option<&Diff>) {
    match diff {
        Some(diff) if diff.is_empty() => {
            ui.label(RichText::new("unchanged").small().weak());
        }
        Some(_) => {
            ui.label(
                RichText::new("changed")
                    .small()
                    .strong()
                    .color(ui.visuals().selection.stroke.color),
            );
        }
        None => {}
    }
}

/// "✖ Parameters failed with States.Runtime", under the stages.
pub fn failure_line_ui(ui: &mut Ui, visit: &StateVisit, failure: &StageFailure) {
    let title = failure.stage.title(visit.language, visit.state_type);
    let error = failure.error.as_deref().unwrap_or("an error");
    ui.label(RichText::new(format!("✖ {title} failed with {error}")).color(FAILED));
}

/// Which retrier or catcher took the error (nothing when none did).
pub fn error_details_ui(ui: &mut Ui, details: &ErrorDetails) {
    if details.is_empty() {
        return;
    }
    ui.add_space(6.0);
    theme::heading_ui(ui, "Error details");
    match (details.retry_index, details.retry_backoff_interval_seconds) {
        (Some(index), Some(seconds)) => {
            ui.label(format!("Retrier: Retry[{index}] matched the error"));
            ui.label(format!(
                "Retry backoff: {seconds} s before the next attempt"
            ));
        }
        (Some(index), None) => {
            ui.label(format!(
                "Retrier: Retry[{index}] matched the error, with no attempts left"
            ));
        }
        (None, Some(seconds)) => {
            ui.label(format!("Retry backoff: {seconds} s"));
        }
        (None, None) => {}
    }
    if let Some(index) = details.catch_index {
        ui.label(format!("Catcher: Catch[{index}] caught the error"));
    }
}

/// The concurrency and failure tolerance a Map state resolved.
pub fn map_settings_ui(ui: &mut Ui, map: &MapSettings) {
    ui.add_space(6.0);
    theme::heading_ui(ui, "Map settings");
    let concurrency = match map.max_concurrency {
        0 => "0 (no limit)".to_string(),
        n => n.to_string(),
    };
    ui.label(format!("Max concurrency: {concurrency}"));
    if let Some(count) = map.tolerated_failure_count {
        ui.label(format!("Tolerated failure count: {count}"));
    }
    if let Some(percentage) = map.tolerated_failure_percentage {
        ui.label(format!("Tolerated failure percentage: {percentage} %"));
    }
}

/// Variables (after the state, or assigned by it) as a collapsible tree.
pub fn variables_ui(ui: &mut Ui, id: &str, title: &str, variables: &JsonMap<String, Value>) {
    ui.add_space(6.0);
    let value = Value::Object(variables.clone());
    section_ui(ui, id, title, true, |ui| {
        json_tree_ui(ui, &value, &Diff::default());
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::StageRecord;
    use serde_json::json;
    use std::sync::Arc;

    fn record(stage: Stage, value: Value) -> StageRecord {
        StageRecord {
            stage,
            value: Arc::new(value),
            at_event: 1,
        }
    }

    #[test]
    fn assigned_variables_stand_beside_the_flow() {
        let visit = StateVisit {
            name: "P".into(),
            state_type: "Pass",
            language: QueryLanguage::JsonPath,
            scope: Vec::new(),
            entered_event: 1,
            stages: vec![
                record(Stage::Input, json!({"a": 1})),
                record(Stage::Assigned, json!({"x": 1})),
                record(Stage::AfterResultPath, json!({"a": 1})),
                record(Stage::Output, json!({"a": 2})),
            ],
            failure: None,
            error_details: ErrorDetails::default(),
            map: None,
            variables: None,
            next_state: None,
            ended: true,
        };
        let rows = recorded_rows(&visit);
        let diffs: Vec<Option<bool>> = rows
            .iter()
            .map(|row| match &row.data {
                StageData::Reached { diff, .. } => diff.as_ref().map(Diff::is_empty),
                StageData::NotReached(_) => None,
            })
            .collect();
        // ResultPath is compared with the input, not with the variables Assign set.
        assert_eq!(diffs, [None, None, Some(true), Some(false)]);
        assert_eq!(rows[3].title, "OutputPath");
        assert_eq!(rows[1].title, "Assign");
    }
}
