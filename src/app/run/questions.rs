//! Tasks waiting for the person at the debugger: a task with no mock (Return with the
//! integration's usual answer prefilled, or Throw an error and cause), a `.waitForTaskToken`
//! callback (its token with Send success, Send failure and Heartbeat), an activity.

use super::{RunAction, RunInput, RunView};
use crate::engine::debug::{AskKind, Question, Reply};
use egui::{RichText, Ui};
use serde_json::Value;
use std::collections::HashMap;

/// What the person is typing for each waiting task.
#[derive(Debug, Default)]
pub(crate) struct Drafts {
    answers: HashMap<u64, String>,
    errors: HashMap<u64, (String, String)>,
}

pub(super) fn questions_ui(
    view: &mut RunView,
    ui: &mut Ui,
    _input: &RunInput<'_>,
    actions: &mut Vec<RunAction>,
) {
    let Some(active) = &view.active else {
        return;
    };
    let waiting = active.run.questions().waiting();
    if waiting.is_empty() {
        return;
    }
    let questions = active.run.questions().clone();
    let mut answered = false;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        for question in &waiting {
            ui.push_id(("question", question.id), |ui| {
                if question_ui(&mut view.drafts, ui, question, &questions, actions) {
                    answered = true;
                }
            });
        }
    });
    if answered {
        // The run goes on by itself after an answer, as it would on AWS.
        if let Some(active) = &mut view.active {
            active.halt = Some(active.run.resume());
        }
    }
}

/// One waiting task; true once answered.
fn question_ui(
    drafts: &mut Drafts,
    ui: &mut Ui,
    question: &Question,
    questions: &crate::engine::debug::Questions,
    actions: &mut Vec<RunAction>,
) -> bool {
    let title = match question.kind {
        AskKind::Answer => format!("“{}” waits for its answer", question.state),
        AskKind::Callback => format!("“{}” waits for its task token", question.state),
        AskKind::Activity => format!("Activity “{}” waits for a worker", question.state),
    };
    ui.label(RichText::new(title).strong());
    ui.label(RichText::new(&question.resource).small().monospace().weak());
    if let Some(token) = &question.token {
        ui.horizontal(|ui| {
            ui.label(RichText::new("Task token").small());
            ui.label(RichText::new(token).small().monospace());
            if ui.small_button("Copy").clicked() {
                ui.ctx().copy_text(token.clone());
            }
        });
    }
    egui::CollapsingHeader::new("What the task was sent")
        .id_salt(("sent", question.id))
        .default_open(false)
        .show(ui, |ui| {
            ui.label(
                RichText::new(crate::asl::document::to_json_pretty(
                    &question.parameters,
                    "  ",
                ))
                .monospace()
                .small(),
            );
        });
    let answer = drafts
        .answers
        .entry(question.id)
        .or_insert_with(|| crate::asl::document::to_json_pretty(&question.suggested, "  "));
    let (success, failure) = match question.kind {
        AskKind::Callback => ("Send success", "Send failure"),
        AskKind::Answer | AskKind::Activity => ("Return", "Throw"),
    };
    let result_label = ui.label(RichText::new("Result").small());
    ui.add(
        egui::TextEdit::multiline(answer)
            .id_salt(("answer", question.id))
            .code_editor()
            .desired_rows(3)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(result_label.id);
    let parsed: Result<Value, _> = serde_json::from_str(answer);
    let (error, cause) = drafts.errors.entry(question.id).or_default();
    let mut done = false;
    ui.horizontal(|ui| {
        if ui
            .add_enabled(parsed.is_ok(), egui::Button::new(success))
            .on_disabled_hover_text("The result is not valid JSON")
            .clicked()
            && let Ok(value) = &parsed
        {
            done = questions.answer(question.id, Reply::Return(value.clone()));
        }
        ui.separator();
        let error_label = ui.label("Error");
        ui.add(
            egui::TextEdit::singleline(error)
                .id_salt(("error", question.id))
                .desired_width(140.0)
                .hint_text("States.TaskFailed"),
        )
        .labelled_by(error_label.id);
        let cause_label = ui.label("Cause");
        ui.add(
            egui::TextEdit::singleline(cause)
                .id_salt(("cause", question.id))
                .desired_width(200.0),
        )
        .labelled_by(cause_label.id);
        if ui.button(failure).clicked() {
            let reply = Reply::Throw {
                error: (!error.is_empty()).then(|| error.clone()),
                cause: (!cause.is_empty()).then(|| cause.clone()),
            };
            done = questions.answer(question.id, reply);
        }
        if question.kind == AskKind::Callback
            && ui
                .button("Heartbeat")
                .on_hover_text("SendTaskHeartbeat: the work goes on (no history event)")
                .clicked()
            && questions.heartbeat(question.id)
        {
            actions.push(RunAction::Status(format!(
                "Heartbeat sent for “{}”",
                question.state
            )));
        }
        if question.heartbeats > 0 {
            ui.weak(format!("{} heartbeat(s)", question.heartbeats));
        }
    });
    ui.add_space(4.0);
    done
}
