//! The Result tab: the status, then the output or the error and cause; the virtual duration,
//! the state transitions and the estimated AWS price; saving the run as a test case, and
//! exporting its history.

use super::{RunAction, RunInput, RunView};
use crate::engine::debug::price;
use crate::engine::testcase::record_case;
use crate::engine::{Execution, ExecutionStatus};
use egui::{RichText, Ui};
use std::path::{Path, PathBuf};

pub(super) fn result_ui(
    view: &mut RunView,
    ui: &mut Ui,
    input: &RunInput<'_>,
    actions: &mut Vec<RunAction>,
) {
    let Some(active) = &view.active else {
        ui.weak("No run yet.");
        return;
    };
    let Some(execution) = active.run.execution() else {
        ui.weak("Running…");
        return;
    };
    let workflow_type = active.workflow_type;
    egui::ScrollArea::vertical()
        .id_salt("run-result")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let status = execution.status();
            ui.label(RichText::new(status.as_str()).strong().size(16.0));
            match status {
                ExecutionStatus::Succeeded => {
                    ui.label(RichText::new("Output").small());
                    let output = execution.output().cloned().unwrap_or_default();
                    ui.label(
                        RichText::new(crate::asl::document::to_json_pretty(&output, "  "))
                            .monospace(),
                    );
                }
                ExecutionStatus::NotStarted | ExecutionStatus::Running => {
                    ui.weak("The execution has not ended.");
                }
                _ => {
                    let failure = execution.failure();
                    ui.label(format!(
                        "Error: {}",
                        failure.and_then(|f| f.error.as_deref()).unwrap_or("—")
                    ));
                    ui.label(format!(
                        "Cause: {}",
                        failure.and_then(|f| f.cause.as_deref()).unwrap_or("—")
                    ));
                }
            }
            ui.add_space(6.0);
            let seconds = duration_seconds(execution);
            let transitions = transitions(view);
            ui.label(format!(
                "Duration (virtual): {}",
                super::toolbar::duration_text(seconds)
            ));
            ui.label(format!("State transitions: {transitions}"));
            let estimate = price::estimate(workflow_type, transitions, seconds);
            ui.label(format!("Estimated AWS price: ${:.8}", estimate.usd))
                .on_hover_text(match workflow_type {
                    crate::engine::WorkflowType::Standard => format!(
                        "Standard: ${} per 1,000 state transitions (us-east-1), retries included; the free tier (4,000 a month) is not counted",
                        price::STANDARD_PER_TRANSITION_USD * 1000.0
                    ),
                    crate::engine::WorkflowType::Express => format!(
                        "Express: ${} per request plus ${} per GB-second, billed in 100 ms steps at {} MB (us-east-1)",
                        price::EXPRESS_PER_REQUEST_USD,
                        price::EXPRESS_PER_GB_SECOND_USD,
                        price::EXPRESS_MEMORY_MB
                    ),
                });
            ui.add_space(8.0);
            save_ui(view, ui, input, actions);
        });
}

fn duration_seconds(execution: &Execution) -> f64 {
    let history = execution.history();
    match (history.first(), history.last()) {
        (Some(first), Some(last)) => {
            (last.timestamp - first.timestamp).num_milliseconds() as f64 / 1000.0
        }
        _ => 0.0,
    }
}

/// State transitions as AWS counts them: every state entered, and every retry.
fn transitions(view: &RunView) -> u64 {
    let Some(run) = view.run() else { return 0 };
    let head = run.head();
    let index = run.index();
    (0..index.state_names().len() as u32)
        .map(|state| {
            let summary = index.summary_at(state, head);
            u64::from(summary.visits) + u64::from(summary.retries)
        })
        .sum()
}

fn save_ui(view: &RunView, ui: &mut Ui, input: &RunInput<'_>, actions: &mut Vec<RunAction>) {
    let Some(path) = input.path else {
        ui.weak("Save the workflow to a file to save its runs as test cases.");
        return;
    };
    let Some(execution) = view.run().and_then(|r| r.execution()) else {
        return;
    };
    ui.horizontal(|ui| {
        let finished = execution.status().is_final();
        if ui
            .add_enabled(finished, egui::Button::new("Save as test case"))
            .on_hover_text("Definition, input, every task answer as mocks, and the result, in tests/ beside the file: `asl-studio test` runs it")
            .on_disabled_hover_text("The run has not ended")
            .clicked()
        {
            actions.push(match save_case(path, execution) {
                Ok(file) => RunAction::Status(format!("Saved the test case {}", file.display())),
                Err(error) => RunAction::Status(format!("Not saved: {error}")),
            });
        }
        if ui
            .button("Export history")
            .on_hover_text("The run as GetExecutionHistory JSON (the shape of `run --format json`), beside the file")
            .clicked()
        {
            actions.push(match export_history(path, execution) {
                Ok(file) => RunAction::Status(format!("Exported {}", file.display())),
                Err(error) => RunAction::Status(format!("Not exported: {error}")),
            });
        }
    });
}

fn stem(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.split('.').next())
        .unwrap_or("workflow")
        .to_string()
}

/// A file name in `dir` that does not exist yet: `<base>.json`, `<base>-2.json`...
fn free_name(dir: &Path, base: &str) -> PathBuf {
    let first = dir.join(format!("{base}.json"));
    if !first.exists() {
        return first;
    }
    (2..10_000)
        .map(|n| dir.join(format!("{base}-{n}.json")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// Writes the test case into `tests/` beside the definition.
pub fn save_case(definition: &Path, execution: &Execution) -> Result<PathBuf, String> {
    let dir = definition.parent().unwrap_or(Path::new(".")).join("tests");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let file_name = definition
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("the file has no name")?;
    let stem = stem(definition);
    let file = free_name(&dir, &format!("{stem}-run"));
    let name = file
        .file_stem()
        .and_then(|n| n.to_str())
        .unwrap_or(&stem)
        .to_string();
    let case = record_case(&name, &format!("../{file_name}"), execution);
    let text = serde_json::to_string_pretty(&case).map_err(|e| e.to_string())?;
    crate::export::atomic_write(&file, format!("{text}\n").as_bytes())
        .map_err(|e| e.to_string())?;
    Ok(file)
}

fn export_history(definition: &Path, execution: &Execution) -> Result<PathBuf, String> {
    let dir = definition.parent().unwrap_or(Path::new("."));
    let file = free_name(dir, &format!("{}.history", stem(definition)));
    let mut bytes = Vec::new();
    crate::engine::write_json_report(execution, true, &mut bytes).map_err(|e| e.to_string())?;
    bytes.push(b'\n');
    crate::export::atomic_write(&file, &bytes).map_err(|e| e.to_string())?;
    Ok(file)
}
