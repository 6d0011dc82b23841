//! The modal dialogs: unsaved changes, a file changed on disk (keep mine / take theirs /
//! show both), new from a template, recovered work, and picking a machine from a template.

use super::files::Recovery;
use crate::export::FoundStateMachine;
use crate::templates::{self, TemplateCategory};
use egui::{RichText, Ui};
use std::path::PathBuf;

/// What to do once unsaved changes are dealt with.
#[derive(Debug, Clone, PartialEq)]
pub enum Then {
    Close,
    OpenDialog,
    Open(PathBuf),
    NewFromTemplate,
}

pub enum Modal {
    /// The open file changed on disk while we have unsaved edits.
    Conflict {
        disk: String,
    },
    /// Both versions side by side.
    Compare {
        disk: String,
    },
    Unsaved {
        then: Then,
    },
    NewFromTemplate {
        selected: usize,
    },
    Recover {
        copies: Vec<Recovery>,
    },
    PickMachine {
        path: PathBuf,
        machines: Vec<FoundStateMachine>,
        selected: usize,
    },
    Message {
        title: String,
        body: String,
    },
}

/// The user's answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    KeepMine,
    TakeTheirs,
    ShowBoth,
    Save(Then),
    Discard(Then),
    Create(&'static str),
    Restore(usize),
    DiscardRecovered,
    Pick(usize),
    Dismiss,
}

fn title_ui(ui: &mut Ui, title: &str) {
    ui.label(RichText::new(title).strong().size(16.0));
    ui.add_space(6.0);
}

/// Shows the modal; returns the user's choice (the caller closes or replaces the modal).
pub fn modal_ui(
    ctx: &egui::Context,
    modal: &mut Modal,
    file_name: &str,
    mine: &str,
) -> Option<Choice> {
    let mut choice = None;
    let id = egui::Id::unique("designer-modal");
    let response = egui::Modal::new(id).show(ctx, |ui| {
        if matches!(modal, Modal::Compare { .. }) {
            ui.set_width((ctx.content_rect().width() * 0.85).min(1200.0));
        } else {
            ui.set_max_width(520.0);
        }
        match modal {
            Modal::Conflict { .. } => {
                title_ui(ui, &format!("{file_name} changed on disk"));
                ui.label("Another program changed the file, and you have unsaved edits here.");
                ui.add_space(10.0);
                ui.horizontal(|ui| {
                    if ui
                        .button("Keep mine")
                        .on_hover_text("Keep editing your version; saving overwrites the file")
                        .clicked()
                    {
                        choice = Some(Choice::KeepMine);
                    }
                    if ui
                        .button("Take theirs")
                        .on_hover_text("Load the file's version (your edits stay in undo)")
                        .clicked()
                    {
                        choice = Some(Choice::TakeTheirs);
                    }
                    if ui
                        .button("Show both")
                        .on_hover_text("Compare the two versions side by side")
                        .clicked()
                    {
                        choice = Some(Choice::ShowBoth);
                    }
                });
            }
            Modal::Compare { disk } => {
                title_ui(ui, &format!("{file_name}: your version and the file's"));
                compare_ui(ui, mine, disk);
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Keep mine").clicked() {
                        choice = Some(Choice::KeepMine);
                    }
                    if ui.button("Take theirs").clicked() {
                        choice = Some(Choice::TakeTheirs);
                    }
                });
            }
            Modal::Unsaved { then } => {
                title_ui(ui, &format!("Save changes to {file_name}?"));
                ui.label("Your changes are lost if you don't save them.");
                ui.add_space(10.0);
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        choice = Some(Choice::Save(then.clone()));
                    }
                    if ui.button("Don't save").clicked() {
                        choice = Some(Choice::Discard(then.clone()));
                    }
                    if ui.button("Cancel").clicked() {
                        choice = Some(Choice::Dismiss);
                    }
                });
            }
            Modal::NewFromTemplate { selected } => {
                title_ui(ui, "New state machine");
                let height = (ctx.content_rect().height() * 0.6).max(200.0);
                // A fixed size, so the dialog does not move while its list lays out.
                let size = egui::vec2(ui.available_width().max(460.0), height);
                ui.allocate_ui(size, |ui| {
                    ui.set_min_size(size);
                    egui::ScrollArea::vertical()
                        .id_salt("templates")
                        .auto_shrink([false, false])
                        .show(ui, |ui| {
                            for category in [TemplateCategory::Starter, TemplateCategory::Pattern] {
                                ui.label(
                                    RichText::new(match category {
                                        TemplateCategory::Starter => "STARTERS",
                                        TemplateCategory::Pattern => "PATTERNS",
                                    })
                                    .small()
                                    .strong()
                                    .weak(),
                                );
                                for (index, template) in templates::all()
                                    .iter()
                                    .enumerate()
                                    .filter(|(_, t)| t.category == category)
                                {
                                    let response = ui.add(
                                        egui::Button::selectable(
                                            *selected == index,
                                            RichText::new(template.title).strong(),
                                        )
                                        .min_size(egui::vec2(ui.available_width(), 0.0)),
                                    );
                                    ui.label(RichText::new(template.description).small().weak());
                                    if response.clicked() {
                                        *selected = index;
                                    }
                                    if response.double_clicked() {
                                        choice = Some(Choice::Create(template.id));
                                    }
                                    ui.add_space(2.0);
                                }
                                ui.add_space(6.0);
                            }
                        });
                });
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    if ui.button("Create").clicked()
                        && let Some(template) = templates::all().get(*selected)
                    {
                        choice = Some(Choice::Create(template.id));
                    }
                    if ui.button("Cancel").clicked() {
                        choice = Some(Choice::Dismiss);
                    }
                });
            }
            Modal::Recover { copies } => {
                title_ui(ui, "Recover unsaved work?");
                ui.label("ASL Studio did not close cleanly. These unsaved versions were kept:");
                ui.add_space(6.0);
                for (index, copy) in copies.iter().enumerate() {
                    let name = copy
                        .path
                        .as_ref()
                        .map_or("Untitled".to_string(), |p| p.display().to_string());
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(name).monospace());
                        ui.label(RichText::new(ago(copy.written_at)).small().weak());
                        if ui.button("Restore").clicked() {
                            choice = Some(Choice::Restore(index));
                        }
                    });
                }
                ui.add_space(8.0);
                if ui.button("Discard all").clicked() {
                    choice = Some(Choice::DiscardRecovered);
                }
            }
            Modal::PickMachine {
                path,
                machines,
                selected,
            } => {
                title_ui(ui, "Which state machine?");
                ui.label(format!(
                    "{} defines {} state machines:",
                    path.display(),
                    machines.len()
                ));
                ui.add_space(6.0);
                for (index, machine) in machines.iter().enumerate() {
                    let detail = match (&machine.definition, &machine.definition_uri) {
                        (Some(_), _) => "inline Definition".to_string(),
                        (None, Some(uri)) => format!("DefinitionUri: {uri}"),
                        (None, None) => "no definition".to_string(),
                    };
                    let response = ui.add(egui::Button::selectable(
                        *selected == index,
                        machine.logical_id.as_str(),
                    ));
                    ui.label(RichText::new(detail).small().weak());
                    if response.clicked() {
                        *selected = index;
                    }
                }
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    if ui.button("Open").clicked() {
                        choice = Some(Choice::Pick(*selected));
                    }
                    if ui.button("Cancel").clicked() {
                        choice = Some(Choice::Dismiss);
                    }
                });
            }
            Modal::Message { title, body } => {
                title_ui(ui, title);
                ui.label(body.as_str());
                ui.add_space(8.0);
                if ui.button("OK").clicked() {
                    choice = Some(Choice::Dismiss);
                }
            }
        }
    });
    // Escape or a click outside dismisses, except where a decision is needed.
    if choice.is_none()
        && response.should_close()
        && matches!(
            modal,
            Modal::NewFromTemplate { .. }
                | Modal::PickMachine { .. }
                | Modal::Message { .. }
                | Modal::Unsaved { .. }
        )
    {
        choice = Some(Choice::Dismiss);
    }
    choice
}

fn ago(written_at: u64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let minutes = now.saturating_sub(written_at) / 60;
    match minutes {
        0 => "just now".into(),
        1..=59 => format!("{minutes} min ago"),
        _ => format!("{} h ago", minutes / 60),
    }
}

/// The changed block of lines between two texts: (first line, lines in a, lines in b).
pub fn changed_block(a: &str, b: &str) -> (usize, usize, usize) {
    let a: Vec<&str> = a.lines().collect();
    let b: Vec<&str> = b.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let max_suffix = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    (prefix, a.len() - prefix - suffix, b.len() - prefix - suffix)
}

/// Both texts side by side, the changed lines tinted.
fn compare_ui(ui: &mut Ui, mine: &str, theirs: &str) {
    let (first, mine_count, theirs_count) = changed_block(mine, theirs);
    let height = (ui.ctx().content_rect().height() * 0.55).max(200.0);
    ui.columns(2, |columns| {
        for (ui, (title, text, count)) in columns.iter_mut().zip([
            ("Mine (unsaved)", mine, mine_count),
            ("Theirs (on disk)", theirs, theirs_count),
        ]) {
            ui.label(RichText::new(title).strong());
            let lines: Vec<&str> = text.lines().collect();
            let tint = if title.starts_with("Mine") {
                egui::Color32::from_rgba_unmultiplied(0x3b, 0x82, 0xf6, 40)
            } else {
                egui::Color32::from_rgba_unmultiplied(0xf5, 0x9e, 0x0b, 40)
            };
            egui::Frame::new()
                .fill(ui.visuals().code_bg_color)
                .corner_radius(6)
                .inner_margin(egui::Margin::same(6))
                .show(ui, |ui| {
                    let row = ui.text_style_height(&egui::TextStyle::Monospace);
                    // A fixed size: a modal that grows with its content moves its buttons.
                    let size = egui::vec2(ui.available_width(), height);
                    ui.allocate_ui(size, |ui| {
                        ui.set_min_size(size);
                        egui::ScrollArea::both()
                            .id_salt(title)
                            .auto_shrink([false, false])
                            .show_rows(ui, row, lines.len(), |ui, rows| {
                                for index in rows {
                                    let changed = index >= first && index < first + count;
                                    let line = lines.get(index).copied().unwrap_or("");
                                    let text = RichText::new(format!("{:>5}  {line}", index + 1))
                                        .monospace();
                                    let text = if changed {
                                        text.background_color(tint)
                                    } else {
                                        text
                                    };
                                    ui.add(egui::Label::new(text).extend());
                                }
                            });
                    });
                });
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_changed_block_of_lines() {
        assert_eq!(changed_block("a\nb\nc\nd", "a\nX\nY\nc\nd"), (1, 1, 2));
        assert_eq!(changed_block("a\nb", "a\nb"), (2, 0, 0));
        assert_eq!(changed_block("", "x"), (0, 0, 1));
    }
}
