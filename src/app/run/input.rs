//! The Input tab: the execution input (checked as you type, remembered per file), the inputs
//! of the file's test cases one click away, and where task answers come from (none: every
//! task asks; per-state mocks; a MockConfigFile and one of its test cases).

use super::{MockSource, RunAction, RunInput, RunView};
use crate::app::theme;
use crate::asl::validate::Severity;
use crate::engine::debug::BreakOnError;
use egui::{RichText, Ui};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A test case that runs this file.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseInput {
    pub name: String,
    pub file: PathBuf,
    pub input: Value,
    /// Its per-state mocks, if it has some.
    pub mocks: Option<Value>,
}

/// The test cases beside the file (its folder and a `tests/` folder in it) whose
/// `definitionFile` is this file.
pub fn cases_for(definition: &Path) -> Vec<CaseInput> {
    let Some(dir) = definition.parent() else {
        return Vec::new();
    };
    let target = definition.canonicalize().ok();
    let mut out = Vec::new();
    for folder in [dir.to_path_buf(), dir.join("tests")] {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json") && p.is_file())
            .collect();
        files.sort();
        for file in files.into_iter().take(200) {
            // Test cases are small; a big JSON file here is something else.
            if std::fs::metadata(&file).is_ok_and(|m| m.len() > 1_000_000) {
                continue;
            }
            let Some(case) = std::fs::read_to_string(&file)
                .ok()
                .and_then(|t| serde_json::from_str::<Value>(&t).ok())
            else {
                continue;
            };
            let Some(relative) = case.get("definitionFile").and_then(Value::as_str) else {
                continue;
            };
            let resolved = folder.join(relative).canonicalize().ok();
            if resolved.is_none() || resolved != target {
                continue;
            }
            out.push(CaseInput {
                name: case
                    .get("name")
                    .and_then(Value::as_str)
                    .map_or_else(|| file.display().to_string(), str::to_string),
                input: case.get("input").cloned().unwrap_or(Value::Null),
                mocks: case.get("mocks").cloned(),
                file,
            });
        }
    }
    out
}

pub(super) fn input_ui(
    view: &mut RunView,
    ui: &mut Ui,
    input: &RunInput<'_>,
    actions: &mut Vec<RunAction>,
) {
    egui::ScrollArea::vertical()
        .id_salt("run-input")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let label = ui.label(RichText::new("Execution input").strong());
            let text = view.input_text(input.path);
            ui.add(
                egui::TextEdit::multiline(text)
                    .id_salt("run-input-text")
                    .code_editor()
                    .desired_rows(5)
                    .desired_width(f32::INFINITY)
                    .hint_text("{}"),
            )
            .labelled_by(label.id)
            .on_hover_text("The execution input, as JSON");
            let parsed = serde_json::from_str::<Value>(view.input_text(input.path));
            if let Err(error) = &parsed {
                problem_ui(ui, &format!("Not valid JSON: {error}"));
            }
            if let Some(problem) = &view.problem {
                problem_ui(ui, problem);
            }
            if let Some(path) = input.path {
                let cases = cases_for(path);
                if !cases.is_empty() {
                    ui.add_space(6.0);
                    ui.label(RichText::new("Inputs of this file's test cases").strong());
                    for case in cases {
                        let label = format!("Use “{}”", case.name);
                        if ui
                            .button(label)
                            .on_hover_text(format!(
                                "Its input (and its mocks, if it has some) from {}",
                                case.file.display()
                            ))
                            .clicked()
                        {
                            *view.input_text(input.path) =
                                serde_json::to_string_pretty(&case.input).unwrap_or_default();
                            if let Some(mocks) = &case.mocks {
                                view.mocks = MockSource::States(
                                    serde_json::to_string_pretty(mocks).unwrap_or_default(),
                                );
                            }
                        }
                    }
                }
            }
            ui.add_space(8.0);
            mocks_ui(view, ui);
            ui.add_space(8.0);
            if breakpoints_ui(view, ui) {
                view.push_breakpoints();
                actions.push(RunAction::BreakpointsChanged(view.breakpoints.clone()));
            }
        });
}

fn mocks_ui(view: &mut RunView, ui: &mut Ui) {
    let answers_label = ui.label(RichText::new("Task answers").strong());
    ui.horizontal(|ui| {
        let kind = match view.mocks {
            MockSource::None => 0,
            MockSource::States(_) => 1,
            MockSource::ConfigFile { .. } => 2,
        };
        let mut chosen = kind;
        ui.radio_value(&mut chosen, 0, "Ask me")
            .on_hover_text("Every task pauses the run and asks you for its answer");
        ui.radio_value(&mut chosen, 1, "Mocks per state")
            .on_hover_text("{\"State\": {\"0\": {\"Return\": ...}, \"1\": {\"Throw\": ...}}}");
        ui.radio_value(&mut chosen, 2, "MockConfigFile")
            .on_hover_text("A Step Functions Local MockConfigFile and one of its test cases");
        if chosen != kind {
            view.mocks = match chosen {
                1 => MockSource::States("{}".into()),
                2 => MockSource::ConfigFile {
                    path: String::new(),
                    test_case: String::new(),
                },
                _ => MockSource::None,
            };
        }
    });
    match &mut view.mocks {
        MockSource::None => {
            ui.weak("Tasks with no mock ask you: answer them when the run pauses.");
        }
        MockSource::States(text) => {
            ui.add(
                egui::TextEdit::multiline(text)
                    .id_salt("run-mocks-text")
                    .code_editor()
                    .desired_rows(4)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(answers_label.id)
            .on_hover_text("Mocks per state; a task without one asks you");
            if let Err(error) = serde_json::from_str::<Value>(text) {
                problem_ui(ui, &format!("Not valid JSON: {error}"));
            }
        }
        MockSource::ConfigFile { path, test_case } => {
            ui.horizontal(|ui| {
                let file_label = ui.label("File");
                ui.add(egui::TextEdit::singleline(path).hint_text("MockConfigFile.json"))
                    .labelled_by(file_label.id)
                    .on_hover_text("Relative to the workflow's folder");
                let case_label = ui.label("Test case");
                ui.add(egui::TextEdit::singleline(test_case).hint_text("HappyPath"))
                    .labelled_by(case_label.id);
            });
        }
    }
}

fn problem_ui(ui: &mut Ui, text: &str) {
    ui.label(RichText::new(text).small().color(theme::severity_color(
        Severity::Error,
        ui.visuals().dark_mode,
    )));
}

/// The breakpoints: each one's condition and switch, and which errors stop the run. True when
/// something changed.
fn breakpoints_ui(view: &mut RunView, ui: &mut Ui) -> bool {
    let mut changed = false;
    ui.label(RichText::new("Breakpoints").strong());
    if view.breakpoints.list.is_empty() {
        ui.weak("None: F9 on a state, its dot on the canvas, or its menu adds one.");
    }
    let mut remove = None;
    for (index, breakpoint) in view.breakpoints.list.iter_mut().enumerate() {
        ui.push_id(("breakpoint", index), |ui| {
            ui.horizontal(|ui| {
                changed |= ui
                    .checkbox(&mut breakpoint.enabled, breakpoint.state.as_str())
                    .on_hover_text("Stop before this state is entered")
                    .changed();
                let label = ui.label("when");
                let condition = breakpoint.condition.get_or_insert_with(String::new);
                changed |= ui
                    .add(
                        egui::TextEdit::singleline(condition)
                            .desired_width(320.0)
                            .hint_text("{% $states.input.amount > 100 %}"),
                    )
                    .labelled_by(label.id)
                    .on_hover_text("A JSONata condition over the state's input; empty: always")
                    .changed();
                if breakpoint.condition.as_deref().is_some_and(str::is_empty) {
                    breakpoint.condition = None;
                }
                if ui.small_button("Remove").clicked() {
                    remove = Some(index);
                }
            });
            if let Some(error) = breakpoint
                .condition
                .as_deref()
                .and_then(crate::engine::debug::condition_error)
            {
                problem_ui(ui, &format!("The condition does not parse: {error}"));
            }
        });
    }
    if let Some(index) = remove {
        view.breakpoints.list.remove(index);
        changed = true;
    }
    let current = view.breakpoints.on_error;
    egui::ComboBox::from_label("Break on error")
        .selected_text(break_on_error_title(current))
        .show_ui(ui, |ui| {
            for choice in [
                BreakOnError::Never,
                BreakOnError::Any,
                BreakOnError::Uncaught,
            ] {
                changed |= ui
                    .selectable_value(
                        &mut view.breakpoints.on_error,
                        choice,
                        break_on_error_title(choice),
                    )
                    .changed();
            }
        });
    changed
}

fn break_on_error_title(choice: BreakOnError) -> &'static str {
    match choice {
        BreakOnError::Never => "Never",
        BreakOnError::Any => "Any error",
        BreakOnError::Uncaught => "Uncaught errors only",
    }
}
