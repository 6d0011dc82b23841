//! The bottom panel: the status line (the Executions switch, the status message, the file and
//! its format) and the Executions panel, a placeholder until the run view takes its place.

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
    pub fn bottom_ui(&mut self, ui: &mut Ui, input: &BottomInput<'_>) {
        egui::Panel::bottom("executions")
            .resizable(false)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    let arrow = if self.executions_open { "▾" } else { "▸" };
                    if ui
                        .add(egui::Button::new(format!("{arrow} Executions")).frame(false))
                        .on_hover_text(
                            "Runs and their event history (comes with the interpreter view)",
                        )
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
                if self.executions_open {
                    ui.add_space(6.0);
                    ui.label(
                        RichText::new(
                            "No executions yet. Running workflows, stepping through events and \
                             inspecting each state's data flow come with the interpreter view.",
                        )
                        .weak(),
                    );
                    ui.add_space(40.0);
                }
            });
    }
}
