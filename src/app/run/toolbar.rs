//! The run controls: Run / Continue, Step, Step to the next state, Step back, Pause, Stop,
//! Restart; the clock (virtual or real time) and the execution's time; the progress of a
//! background Continue; the stale warning; and the scrubber over the events.

use super::{RunAction, RunInput, RunView};
use crate::app::theme;
use crate::engine::debug::{Halt, VisitStatus};
use crate::engine::{ClockMode, ExecutionStatus, Pause};
use egui::{RichText, Ui};

pub(super) fn toolbar_ui(
    view: &mut RunView,
    ui: &mut Ui,
    input: &RunInput<'_>,
    actions: &mut Vec<RunAction>,
) {
    let stale = view.is_stale(input.revision);
    let busy = view.run().is_some_and(|r| r.is_busy());
    let running = view.run().is_some_and(|r| !r.status().is_final() && !stale);
    ui.horizontal(|ui| {
        let run_label = if running { "▶ Continue" } else { "▶ Run" };
        if ui
            .add_enabled(!busy, egui::Button::new(run_label))
            .on_hover_text("Run to the end or the next breakpoint (F5)")
            .clicked()
        {
            actions.extend(view.run_or_continue(input));
        }
        if ui
            .add_enabled(!busy, egui::Button::new("⏭ Step"))
            .on_hover_text("One event (F10)")
            .clicked()
        {
            actions.extend(view.step(input));
        }
        if ui
            .add_enabled(!busy, egui::Button::new("⏩ Next state"))
            .on_hover_text("To the next state entered (F11)")
            .clicked()
        {
            actions.extend(view.step_state(input));
        }
        let can_back = !busy && view.run().is_some_and(|r| r.cursor() > 0);
        if ui
            .add_enabled(can_back, egui::Button::new("⏮ Step back"))
            .on_hover_text("One event back in time (Shift+F10)")
            .clicked()
        {
            view.step_back();
        }
        if ui
            .add_enabled(busy, egui::Button::new("⏸ Pause"))
            .on_hover_text("Pause the run")
            .clicked()
        {
            view.pause();
        }
        if ui
            .add_enabled(running, egui::Button::new("■ Stop"))
            .on_hover_text("Abort the execution (ExecutionAborted)")
            .clicked()
        {
            view.stop();
        }
        if ui
            .add_enabled(
                view.run().is_some() && !busy,
                egui::Button::new("⟲ Restart"),
            )
            .on_hover_text("A new run of the current text (Ctrl+Shift+F5)")
            .clicked()
        {
            actions.extend(view.restart(input));
        }
        ui.separator();
        let mut real_time = view.clock == ClockMode::RealTime;
        if ui
            .checkbox(&mut real_time, "Real time")
            .on_hover_text("Waits and retry delays take their time instead of passing at once")
            .changed()
        {
            view.set_clock(if real_time {
                ClockMode::RealTime
            } else {
                ClockMode::Virtual
            });
        }
        clock_ui(view, ui);
        ui.separator();
        status_ui(view, ui, stale);
    });
    if stale {
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(
                    "The definition changed since this run started: the run shows the old text. \
                     Restart to run the new one.",
                )
                .color(theme::severity_color(
                    crate::asl::validate::Severity::Warning,
                    ui.visuals().dark_mode,
                )),
            );
            if ui.button("Restart").clicked() {
                actions.extend(view.restart(input));
            }
        });
    }
    if let Some(progress) = view.run().and_then(|r| r.progress()) {
        ui.horizontal(|ui| {
            ui.add(
                egui::ProgressBar::new(0.0)
                    .animate(true)
                    .desired_width(160.0)
                    .text(format!("{} events", progress.events)),
            );
            ui.label(format!("{:.0} events/s", progress.events_per_second));
            if ui.button("Cancel").clicked() {
                view.pause();
            }
        });
    }
    scrubber_ui(view, ui);
}

/// The execution's time since its start, at the moment shown.
fn clock_ui(view: &RunView, ui: &mut Ui) {
    let Some(run) = view.run() else {
        return;
    };
    let (Some(first), Some(at)) = (run.event(1), run.event(run.cursor().max(1))) else {
        return;
    };
    let elapsed = at.timestamp - first.timestamp;
    let seconds = elapsed.num_milliseconds() as f64 / 1000.0;
    ui.label(RichText::new(format!("⏱ {}", duration_text(seconds))).monospace())
        .on_hover_text(format!(
            "The execution's clock at this event: {}",
            at.timestamp.to_rfc3339()
        ));
}

/// "1.5 s", "2 min 5 s", "3 h 2 min".
pub(crate) fn duration_text(seconds: f64) -> String {
    if seconds < 60.0 {
        format!("{seconds:.1} s")
    } else if seconds < 3600.0 {
        format!(
            "{} min {} s",
            (seconds / 60.0) as u64,
            (seconds % 60.0) as u64
        )
    } else {
        format!(
            "{} h {} min",
            (seconds / 3600.0) as u64,
            ((seconds % 3600.0) / 60.0) as u64
        )
    }
}

fn status_ui(view: &RunView, ui: &mut Ui, stale: bool) {
    let Some(active) = &view.active else {
        if let Some(problem) = &view.problem {
            ui.label(RichText::new(problem).color(theme::severity_color(
                crate::asl::validate::Severity::Error,
                ui.visuals().dark_mode,
            )));
        } else {
            ui.weak("No run yet: F5 runs, F10 steps");
        }
        return;
    };
    let run = &active.run;
    let text = match (&active.halt, run.status()) {
        (_, _) if run.is_busy() => "Running…".to_string(),
        (Some(Halt::Paused(Pause::Entry { state, .. })), _) => {
            format!("Paused before “{state}”")
        }
        (Some(Halt::Paused(Pause::Error { state, failure, .. })), _) => format!(
            "Paused on an error in “{state}”: {}",
            failure.error.as_deref().unwrap_or("error")
        ),
        (Some(Halt::WaitingForAnswer), _) => "Waiting for your answer".to_string(),
        (Some(Halt::Interrupted), _) => "Paused".to_string(),
        (_, ExecutionStatus::NotStarted) => "Ready".to_string(),
        (_, status) => status.as_str().to_string(),
    };
    let status = match run.status() {
        ExecutionStatus::Succeeded => VisitStatus::Succeeded,
        ExecutionStatus::Failed | ExecutionStatus::TimedOut => VisitStatus::Failed,
        ExecutionStatus::Aborted => VisitStatus::Cancelled,
        _ => VisitStatus::InProgress,
    };
    let color = super::colors::status_color(status, ui.visuals().dark_mode);
    let text = if stale {
        format!("{text} (stale)")
    } else {
        text
    };
    ui.label(RichText::new(text).strong().color(color));
    ui.label(
        RichText::new(format!("event {} of {}", run.cursor(), run.head()))
            .small()
            .weak(),
    );
}

/// The scrubber: any moment of the run, both ways, instantly.
fn scrubber_ui(view: &mut RunView, ui: &mut Ui) {
    let Some(run) = view.run_mut() else {
        return;
    };
    let head = run.head();
    if head == 0 || run.is_busy() {
        return;
    }
    let mut at = run.cursor();
    ui.horizontal(|ui| {
        ui.label(RichText::new("Time").small().weak());
        let width = ui.available_width() - 20.0;
        ui.spacing_mut().slider_width = width.max(80.0);
        let slider = egui::Slider::new(&mut at, 0..=head)
            .show_value(false)
            .text("");
        if ui
            .add(slider)
            .on_hover_text("Drag to see the run as it was at any event")
            .changed()
        {
            run.set_cursor(at);
        }
    });
}
