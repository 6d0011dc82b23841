//! The bottom panel: the status line (the Executions switch, the status message, the file and
//! its format) and, above it, the run & debug view when it is open.

use super::run::{RunAction, RunInput, RunView};
use super::session::Session;
use super::theme;
use crate::asl::document::Format;
use egui::{RichText, Ui};

/// The bottom panel's own state.
#[derive(Debug, Default)]
pub struct BottomPanel {
    executions_open: bool,
}

/// What the bottom panel shows, for one frame.
pub struct BottomInput<'a> {
    pub session: &'a Session,
    pub status: Option<&'a str>,
}

impl BottomPanel {
    /// Shows the run view (a run started).
    pub fn open(&mut self) {
        self.executions_open = true;
    }

    pub fn is_open(&self) -> bool {
        self.executions_open
    }

    pub fn bottom_ui(
        &mut self,
        ui: &mut Ui,
        input: &BottomInput<'_>,
        run: &mut RunView,
        run_input: &RunInput<'_>,
    ) -> Vec<RunAction> {
        egui::Panel::bottom("status-line")
            .resizable(false)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    let arrow = if self.executions_open { "▾" } else { "▸" };
                    if ui
                        .add(egui::Button::new(format!("{arrow} Executions")).frame(false))
                        .on_hover_text("Run and debug the workflow: input, events, data flow")
                        .clicked()
                    {
                        self.executions_open = !self.executions_open;
                    }
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        let format = match input.session.format() {
                            Format::Json => "JSON",
                            Format::Yaml => "YAML",
                        };
                        ui.label(RichText::new(format).small().weak());
                        if let Some(path) = input.session.path() {
                            ui.label(RichText::new(path.display().to_string()).small().weak());
                        }
                        if let Some(status) = input.status {
                            ui.label(RichText::new(status).small().color(theme::ACCENT));
                        }
                    });
                });
            });
        if !self.executions_open {
            // A background run still needs its result collected.
            run.poll(ui.ctx());
            return Vec::new();
        }
        egui::Panel::bottom("executions")
            .resizable(true)
            .default_size(320.0)
            .size_range(140.0..=900.0)
            .show(ui, |ui| run.panel_ui(ui, run_input))
            .inner
    }
}
