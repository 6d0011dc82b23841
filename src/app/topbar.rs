//! The top bar: the File menu, the file name with its unsaved marker, the view tabs, undo and
//! redo, Run and Step (the run view has the other controls), and the problem counts. It reads
//! the session and returns what was clicked as [`AppAction`]s.

use super::action::{AppAction, FileCommand, RunCommand, Tab};
use super::code::problems::counts;
use super::session::Session;
use super::theme;
use crate::asl::validate::Severity;
use egui::{RichText, Ui};
use std::path::PathBuf;

/// What the top bar shows, for one frame.
pub struct TopBarInput<'a> {
    pub session: &'a Session,
    pub tab: Tab,
    pub recent: &'a [PathBuf],
    /// A native file dialog is open (the File menu waits for it).
    pub dialog_open: bool,
}

/// Draws the top bar; returns what the user asked for.
pub fn top_bar_ui(ui: &mut Ui, input: &TopBarInput<'_>) -> Vec<AppAction> {
    let mut actions = Vec::new();
    TopBar {
        input,
        actions: &mut actions,
    }
    .bar_ui(ui);
    actions
}

struct TopBar<'a, 'i> {
    input: &'a TopBarInput<'i>,
    actions: &'a mut Vec<AppAction>,
}

impl TopBar<'_, '_> {
    fn bar_ui(&mut self, ui: &mut Ui) {
        let frame = egui::Frame::new()
            .fill(ui.visuals().panel_fill)
            .inner_margin(egui::Margin::symmetric(10, 6));
        egui::Panel::top("top-bar").frame(frame).show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new("◆").color(theme::ACCENT).size(16.0));
                ui.label(RichText::new("ASL Studio").strong());
                ui.separator();
                self.file_menu_ui(ui);
                ui.separator();
                self.file_name_ui(ui);
                ui.separator();
                self.tabs_ui(ui);
                ui.separator();
                let session = self.input.session;
                let undo = ui
                    .add_enabled(session.can_undo(), egui::Button::new("⟲ Undo"))
                    .on_hover_text("Undo (Ctrl+Z)");
                if undo.clicked() {
                    self.actions.push(AppAction::Undo);
                }
                let redo = ui
                    .add_enabled(session.can_redo(), egui::Button::new("⟳ Redo"))
                    .on_hover_text("Redo (Ctrl+Shift+Z or Ctrl+Y)");
                if redo.clicked() {
                    self.actions.push(AppAction::Redo);
                }
                ui.separator();
                if ui
                    .button("▶ Run")
                    .on_hover_text("Run the workflow, or continue the paused run (F5)")
                    .clicked()
                {
                    self.actions.push(RunCommand::RunOrContinue.into());
                }
                if ui
                    .button("⏭ Step")
                    .on_hover_text("One event (F10); starts a run paused at its first event")
                    .clicked()
                {
                    self.actions.push(RunCommand::Step.into());
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    egui::widgets::global_theme_preference_buttons(ui);
                    self.problem_counts_ui(ui);
                });
            });
        });
    }

    fn file_menu_ui(&mut self, ui: &mut Ui) {
        let dialog_open = self.input.dialog_open;
        ui.menu_button("File", |ui| {
            ui.set_min_width(220.0);
            if dialog_open {
                ui.label(RichText::new("A file dialog is open…").weak());
                return;
            }
            let item = |ui: &mut Ui, text: &str, keys: &str| {
                ui.add(egui::Button::new(text).shortcut_text(keys))
            };
            if item(ui, "New from template…", "Ctrl+N").clicked() {
                self.actions.push(FileCommand::New.into());
                ui.close();
            }
            if item(ui, "Open…", "Ctrl+O").clicked() {
                self.actions.push(FileCommand::Open.into());
                ui.close();
            }
            let recent = self.input.recent;
            ui.add_enabled_ui(!recent.is_empty(), |ui| {
                ui.menu_button("Open recent", |ui| {
                    for path in recent {
                        let name = path.file_name().map_or_else(
                            || path.display().to_string(),
                            |n| n.to_string_lossy().into_owned(),
                        );
                        if ui
                            .button(name)
                            .on_hover_text(path.display().to_string())
                            .clicked()
                        {
                            self.actions
                                .push(FileCommand::OpenPath(path.clone()).into());
                            ui.close();
                        }
                    }
                });
            });
            ui.separator();
            if item(ui, "Save", "Ctrl+S").clicked() {
                self.actions.push(FileCommand::Save.into());
                ui.close();
            }
            if item(ui, "Save as…", "Ctrl+Shift+S").clicked() {
                self.actions.push(FileCommand::SaveAs.into());
                ui.close();
            }
            ui.separator();
            if ui.button("Quit").clicked() {
                self.actions.push(FileCommand::Quit.into());
                ui.close();
            }
        });
    }

    fn file_name_ui(&mut self, ui: &mut Ui) {
        let session = self.input.session;
        let name = session.title();
        let hover = session
            .path()
            .map_or_else(|| "Not saved yet".to_string(), |p| p.display().to_string());
        ui.label(RichText::new(&name).strong()).on_hover_text(hover);
        if session.is_dirty() {
            ui.label(RichText::new("●").color(theme::ACCENT))
                .on_hover_text("Unsaved changes");
        }
    }

    fn tabs_ui(&mut self, ui: &mut Ui) {
        for (tab, label, keys) in [
            (Tab::Design, "Design", "Ctrl+1"),
            (Tab::Code, "Code", "Ctrl+2"),
            (Tab::Config, "Config", "Ctrl+3"),
        ] {
            let selected = self.input.tab == tab;
            let text = if selected {
                RichText::new(label).strong()
            } else {
                RichText::new(label)
            };
            if ui
                .add(egui::Button::selectable(selected, text))
                .on_hover_text(keys)
                .clicked()
            {
                self.actions.push(AppAction::SwitchTab(tab));
            }
        }
    }

    fn problem_counts_ui(&mut self, ui: &mut Ui) {
        let (errors, warnings, _) = counts(self.input.session.diagnostics());
        let response = ui
            .horizontal(|ui| {
                ui.spacing_mut().item_spacing.x = 4.0;
                // Right-to-left: warnings first, so errors read first.
                ui.label(RichText::new(warnings.to_string()).small());
                theme::severity_icon_ui(ui, Severity::Warning);
                ui.add_space(6.0);
                ui.label(RichText::new(errors.to_string()).small());
                theme::severity_icon_ui(ui, Severity::Error);
            })
            .response
            .interact(egui::Sense::click())
            .on_hover_text("Problems: open the Code tab");
        if response.clicked() {
            self.actions.push(AppAction::SwitchTab(Tab::Code));
        }
    }
}
