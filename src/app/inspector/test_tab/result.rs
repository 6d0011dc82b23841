//! The answer of a Test: the status as a coloured badge, the error and cause, the next state
//! (a link), the stage the state failed in (a link to its field), then every recorded stage of
//! the data flow in the order it ran, each marked with what it changed, and the error details,
//! Map settings and variables after the state.

use super::Run;
use crate::app::inspector::Tab;
use crate::app::theme;
use crate::asl::document::to_json_pretty;
use crate::asl::model::{QueryLanguage, StateType};
use crate::engine::test_state::{ApiError, InspectionLevel, TestStateResponse, TestStatus};
use crate::engine::{Stage, StateVisit};
use egui::collapsing_header::CollapsingState;
use egui::{Color32, RichText, Ui};
use serde_json::{Map as JsonMap, Value};

/// Children shown per object or array before "… more" (a huge result stays responsive).
const MAX_CHILDREN: usize = 200;
/// Characters of a string shown before it is cut (the rest is on hover).
const MAX_STRING: usize = 300;

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
        TestStatus::Failed => Color32::from_rgb(0xdc, 0x26, 0x26),
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
    let mut previous: Option<&Value> = None;
    for (index, record) in visit.stages.iter().enumerate() {
        let value = record.value.as_ref();
        let diff = previous.map(|before| Diff::between(before, value));
        ui.push_id(("test-stage", index), |ui| {
            stage_ui(ui, visit, record.stage, value, diff.as_ref());
        });
        previous = Some(value);
    }
    if let Some(failure) = &visit.failure {
        let title = failure.stage.title(visit.language, visit.state_type);
        let error = failure.error.as_deref().unwrap_or("an error");
        ui.label(
            RichText::new(format!("✖ {title} failed with {error}"))
                .color(status_color(TestStatus::Failed)),
        );
    }
    let details = visit.error_details;
    if !details.is_empty() {
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
    if let Some(map) = &visit.map {
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
    if let Some(variables) = &visit.variables {
        ui.add_space(6.0);
        let value = Value::Object(variables.clone());
        section_ui(
            ui,
            "test-variables",
            "Variables after the state",
            true,
            |ui| {
                json_tree_ui(ui, &value, &Diff::default());
            },
        );
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

/// One stage: its title and field, whether it changed the data, and the data (collapsible).
fn stage_ui(ui: &mut Ui, visit: &StateVisit, stage: Stage, value: &Value, diff: Option<&Diff>) {
    let title = stage.title(visit.language, visit.state_type);
    let field = stage.field(visit.language, visit.state_type);
    let id = ui.make_persistent_id("stage");
    // An unchanged stage repeats the one before: folded, so the changes stand out.
    let open = diff.is_none_or(|d| !d.is_empty());
    CollapsingState::load_with_default_open(ui.ctx(), id, open)
        .show_header(ui, |ui| {
            ui.label(RichText::new(title).strong());
            let mut names = Vec::new();
            if let Some(field) = field.filter(|f| *f != title) {
                names.push(field);
            }
            names.push(stage.api_name());
            ui.label(RichText::new(names.join(" · ")).small().weak());
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
            if ui
                .small_button("Copy")
                .on_hover_text(format!("Copy the data after {title} as JSON"))
                .clicked()
            {
                ui.ctx().copy_text(to_json_pretty(value, "  "));
            }
        })
        .body(|ui| {
            if let Some(diff) = diff.filter(|d| !d.is_empty()) {
                ui.label(RichText::new(diff.describe()).small());
            }
            json_tree_ui(ui, value, diff.unwrap_or(&Diff::default()));
        });
}

/// A titled, collapsible block.
fn section_ui(ui: &mut Ui, id: &str, title: &str, open: bool, body: impl FnOnce(&mut Ui)) {
    let id = ui.make_persistent_id(id);
    CollapsingState::load_with_default_open(ui.ctx(), id, open)
        .show_header(ui, |ui| {
            theme::heading_ui(ui, title);
        })
        .body(body);
}

/// What one stage did to the data of the stage before it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diff {
    /// Top-level keys (both are objects).
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    /// Another kind of value, or a change not described by keys (arrays, scalars).
    pub replaced: bool,
}

impl Diff {
    pub fn between(before: &Value, after: &Value) -> Diff {
        if before == after {
            return Diff::default();
        }
        let (Value::Object(before), Value::Object(after)) = (before, after) else {
            return Diff {
                replaced: true,
                ..Diff::default()
            };
        };
        let mut diff = Diff::default();
        for (key, value) in after {
            match before.get(key) {
                None => diff.added.push(key.clone()),
                Some(old) if old != value => diff.changed.push(key.clone()),
                Some(_) => {}
            }
        }
        diff.removed = before
            .keys()
            .filter(|key| !after.contains_key(*key))
            .cloned()
            .collect();
        diff
    }

    pub fn is_empty(&self) -> bool {
        *self == Diff::default()
    }

    /// "added: a, b · changed: c · removed: d", or "replaced".
    pub fn describe(&self) -> String {
        if self.replaced {
            return "replaced: a different value".into();
        }
        [
            ("added", &self.added),
            ("changed", &self.changed),
            ("removed", &self.removed),
        ]
        .iter()
        .filter(|(_, keys)| !keys.is_empty())
        .map(|(what, keys)| format!("{what}: {}", keys.join(", ")))
        .collect::<Vec<_>>()
        .join(" · ")
    }

    fn mark(&self, key: &str) -> Option<&'static str> {
        if self.added.iter().any(|k| k == key) {
            Some("added")
        } else if self.changed.iter().any(|k| k == key) {
            Some("changed")
        } else {
            None
        }
    }
}

/// A JSON value as a tree: objects and arrays fold, values are coloured by type, and the
/// top-level keys `diff` added or changed are highlighted.
fn json_tree_ui(ui: &mut Ui, value: &Value, diff: &Diff) {
    // Denser than the form's rows: a tree has many.
    let spacing = ui.spacing_mut();
    spacing.item_spacing.y = 1.0;
    spacing.interact_size.y = 16.0;
    spacing.indent = 14.0;
    match value {
        Value::Object(map) if !map.is_empty() => {
            children_ui(
                ui,
                map.iter().map(|(k, v)| (k.clone(), v)),
                map.len(),
                0,
                diff,
            );
        }
        Value::Array(items) if !items.is_empty() => {
            let entries = items.iter().enumerate().map(|(i, v)| (i.to_string(), v));
            children_ui(ui, entries, items.len(), 0, diff);
        }
        scalar => {
            scalar_ui(ui, scalar);
        }
    }
}

fn children_ui<'v>(
    ui: &mut Ui,
    entries: impl Iterator<Item = (String, &'v Value)>,
    len: usize,
    depth: usize,
    diff: &Diff,
) {
    for (index, (key, value)) in entries.take(MAX_CHILDREN).enumerate() {
        // Only the top level is compared with the stage before.
        let mark = if depth == 0 { diff.mark(&key) } else { None };
        ui.push_id(index, |ui| entry_ui(ui, &key, value, depth, mark));
    }
    if len > MAX_CHILDREN {
        ui.label(
            RichText::new(format!("… {} more", len - MAX_CHILDREN))
                .small()
                .weak(),
        );
    }
}

fn entry_ui(ui: &mut Ui, key: &str, value: &Value, depth: usize, mark: Option<&'static str>) {
    let highlight = ui.visuals().selection.bg_fill.gamma_multiply(0.45);
    let header = |ui: &mut Ui, summary: Option<String>| {
        let frame = match mark {
            Some(_) => egui::Frame::new().fill(highlight).corner_radius(3),
            None => egui::Frame::new(),
        };
        frame.show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(format!("{key}:"))
                        .monospace()
                        .color(key_color(ui)),
                );
                match summary {
                    Some(summary) => {
                        ui.label(RichText::new(summary).monospace().weak());
                    }
                    None => scalar_ui(ui, value),
                }
                if let Some(mark) = mark {
                    ui.label(RichText::new(mark).small().strong());
                }
            });
        });
    };
    let (len, summary) = match value {
        Value::Object(map) if !map.is_empty() => (map.len(), format!("{{{}}}", map.len())),
        Value::Array(items) if !items.is_empty() => (items.len(), format!("[{}]", items.len())),
        _ => {
            header(ui, None);
            return;
        }
    };
    let id = ui.make_persistent_id(key);
    // Small values start open; big or deep ones folded, so a stage fits on the screen.
    let open = depth < 2 && len <= 12;
    CollapsingState::load_with_default_open(ui.ctx(), id, open)
        .show_header(ui, |ui| header(ui, Some(summary)))
        .body(|ui| match value {
            Value::Object(map) => {
                children_ui(
                    ui,
                    map.iter().map(|(k, v)| (k.clone(), v)),
                    len,
                    depth + 1,
                    &Diff::default(),
                );
            }
            Value::Array(items) => {
                let entries = items.iter().enumerate().map(|(i, v)| (i.to_string(), v));
                children_ui(ui, entries, len, depth + 1, &Diff::default());
            }
            _ => {}
        });
}

fn scalar_ui(ui: &mut Ui, value: &Value) {
    let dark = ui.visuals().dark_mode;
    let rgb = |dark_rgb: [u8; 3], light_rgb: [u8; 3]| {
        let [r, g, b] = if dark { dark_rgb } else { light_rgb };
        Color32::from_rgb(r, g, b)
    };
    let (text, color) = match value {
        Value::String(_) => (
            cut(&crate::asl::path::to_json_string(value)),
            rgb([0x9a, 0xd1, 0x7e], [0x1d, 0x7a, 0x2e]),
        ),
        Value::Number(n) => (n.to_string(), rgb([0x7c, 0xb7, 0xff], [0x1a, 0x5f, 0xc8])),
        Value::Bool(_) | Value::Null => (
            value.to_string(),
            rgb([0xd1, 0x9a, 0xf5], [0x8a, 0x3f, 0xb8]),
        ),
        Value::Object(_) => ("{}".into(), ui.visuals().weak_text_color()),
        Value::Array(_) => ("[]".into(), ui.visuals().weak_text_color()),
    };
    let response = ui.add(egui::Label::new(RichText::new(text).monospace().color(color)).wrap());
    if let Value::String(s) = value
        && s.chars().count() > MAX_STRING
    {
        response.on_hover_text(s.as_str());
    }
}

/// A long string's first characters (the whole string is shown on hover).
fn cut(text: &str) -> String {
    if text.chars().count() <= MAX_STRING {
        return text.to_string();
    }
    let short: String = text.chars().take(MAX_STRING).collect();
    format!("{short}…")
}

fn key_color(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(0xe0, 0xc0, 0x8a)
    } else {
        Color32::from_rgb(0x8a, 0x4b, 0x08)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_diff_names_the_keys_a_stage_touched() {
        let before = json!({"a": 1, "b": 2, "c": 3});
        let after = json!({"a": 1, "b": 20, "d": 4});
        let diff = Diff::between(&before, &after);
        assert_eq!(diff.added, ["d"]);
        assert_eq!(diff.changed, ["b"]);
        assert_eq!(diff.removed, ["c"]);
        assert_eq!(diff.describe(), "added: d · changed: b · removed: c");
        assert_eq!(diff.mark("d"), Some("added"));
        assert_eq!(diff.mark("a"), None);
        assert!(Diff::between(&before, &before).is_empty());
        let replaced = Diff::between(&json!([1]), &json!({"a": 1}));
        assert!(replaced.replaced && !replaced.is_empty());
    }
}
