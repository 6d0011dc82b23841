//! Files: open, save, export, the unsaved-changes question, a file changed on disk, and the
//! answers of the modal and native dialogs.

use crate::app::action::FileCommand;
use crate::app::files::{self, Opened, RecoveryStore};
use crate::app::modals::{Choice, Modal, Then};
use crate::app::native::{Answer, Purpose};
use crate::app::session::{ExternalChange, Session};
use crate::app::state::AppState;
use crate::asl::document::Format;
use crate::export::{self, DeploymentSettings, ExportOptions};
use crate::templates;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub fn command(state: &mut AppState, ctx: &egui::Context, command: FileCommand) {
    match command {
        FileCommand::New => request(state, ctx, Then::NewFromTemplate),
        FileCommand::Open => request(state, ctx, Then::OpenDialog),
        FileCommand::OpenPath(path) => request(state, ctx, Then::Open(path)),
        FileCommand::Save => {
            save(state, ctx);
        }
        FileCommand::SaveAs => save_as(state, ctx),
        FileCommand::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
    }
}

/// Does `then`, first asking about unsaved changes when it would lose them.
fn request(state: &mut AppState, ctx: &egui::Context, then: Then) {
    if state.doc.session().is_dirty() {
        state.views.show_modal(Modal::Unsaved { then });
    } else {
        proceed(state, ctx, then);
    }
}

fn proceed(state: &mut AppState, ctx: &egui::Context, then: Then) {
    match then {
        Then::Close => {
            state.files.set_allow_close();
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        Then::OpenDialog => state.files.open_dialog(ctx, Purpose::Open, None),
        Then::Open(path) => open_path(state, &path),
        Then::NewFromTemplate => state
            .views
            .show_modal(Modal::NewFromTemplate { selected: 0 }),
    }
}

/// Opens a definition (or lists the machines of a template).
pub fn open_path(state: &mut AppState, path: &Path) {
    match files::open(path) {
        Ok(Opened::Definition {
            text,
            format,
            path,
            settings,
        }) => {
            let mut session = Session::new(text, format, Some(path.clone()));
            if let Some(settings) = settings {
                session.settings = settings;
            }
            state.replace_session(session);
            state.files.remember(&path);
            state.status.set(format!("Opened {}", path.display()));
        }
        Ok(Opened::Template { path, machines }) => {
            state.views.show_modal(Modal::PickMachine {
                path,
                machines,
                selected: 0,
            });
        }
        Err(error) => {
            state.files.forget(path);
            state.views.show_modal(Modal::Message {
                title: "Cannot open the file".into(),
                body: error.to_string(),
            });
        }
    }
}

/// Saves to the document's file, or asks where when it has none. True when written.
pub fn save(state: &mut AppState, ctx: &egui::Context) -> bool {
    match state.doc.session().path().map(Path::to_path_buf) {
        Some(path) => write_to(state, &path),
        None => {
            save_as(state, ctx);
            false
        }
    }
}

pub fn save_as(state: &mut AppState, ctx: &egui::Context) {
    let session = state.doc.session();
    let name = match (session.path(), session.format()) {
        (Some(path), _) => path.file_name().map(|n| n.to_string_lossy().into_owned()),
        (None, Format::Json) => Some("state-machine.asl.json".into()),
        (None, Format::Yaml) => Some("state-machine.asl.yaml".into()),
    };
    state.files.open_dialog(ctx, Purpose::SaveAs, name);
}

/// Writes the document to `path` (atomically) and the settings beside it.
pub fn write_to(state: &mut AppState, path: &Path) -> bool {
    let format = Format::from_path(path);
    let session = state.doc.session_mut();
    if let Err(error) = session.convert_to(format, Instant::now()) {
        state.status.set(format!("Not saved: {error}"));
        return false;
    }
    let sidecar_exists = DeploymentSettings::sidecar_path(path).exists();
    let write_settings = sidecar_exists || session.settings != DeploymentSettings::default();
    match files::save(path, session.text(), &session.settings, write_settings) {
        Ok(()) => {
            session.mark_saved(path.to_path_buf(), format);
            state.files.saved();
            state.files.remember(path);
            state.status.set(format!("Saved {}", path.display()));
            true
        }
        Err(error) => {
            state.views.show_modal(Modal::Message {
                title: "Not saved".into(),
                body: error.to_string(),
            });
            false
        }
    }
}

/// The window's close button: ask first when there are unsaved changes.
pub fn close_requested(state: &mut AppState, ctx: &egui::Context) {
    if !state.files.allow_close() && state.doc.session().is_dirty() {
        ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        state.views.show_modal(Modal::Unsaved { then: Then::Close });
    }
}

pub fn dialog_answer(state: &mut AppState, ctx: &egui::Context, answer: Answer) {
    let (purpose, path) = match answer {
        Answer::Cancelled => return,
        Answer::Unavailable => {
            state.status.set(
                "No file dialog available (is xdg-desktop-portal running?): drop a file on \
                 the window or pass it on the command line",
            );
            return;
        }
        Answer::Chosen(purpose, path) => (purpose, path),
    };
    match purpose {
        Purpose::Open => open_path(state, &path),
        Purpose::SaveAs => {
            if write_to(state, &path) && state.files.take_close_after_save() {
                proceed(state, ctx, Then::Close);
            }
        }
        Purpose::Export(format, options) => export_to(state, &path, format, &options),
    }
}

fn export_to(
    state: &mut AppState,
    path: &Path,
    format: export::ExportFormat,
    options: &ExportOptions,
) {
    let session = state.doc.session();
    let Some(doc) = session.current_doc() else {
        state.status.set("Not exported: the text does not parse");
        return;
    };
    let result = export::export(doc.value(), &session.settings, format, options)
        .map_err(|e| e.to_string())
        .and_then(|text| export::atomic_write(path, text.as_bytes()).map_err(|e| e.to_string()));
    match result {
        Ok(()) => state.status.set(format!("Exported {}", path.display())),
        Err(error) => state.views.show_modal(Modal::Message {
            title: "Export failed".into(),
            body: error,
        }),
    }
}

/// Another program changed the open file: reload, or ask when there are unsaved edits (or
/// later, when another question is open).
pub fn disk_changed(state: &mut AppState, disk: String) {
    match state.views.modal_mut() {
        Some(Modal::Conflict { disk: shown } | Modal::Compare { disk: shown }) => {
            *shown = disk;
            return;
        }
        // Another question is open: ask about this one after it.
        Some(_) => {
            state.files.defer_disk(disk);
            return;
        }
        None => {}
    }
    let session = state.doc.session_mut();
    match session.external_change(&disk, Instant::now()) {
        ExternalChange::Unchanged => {}
        ExternalChange::Reloaded => {
            let title = session.title();
            state
                .status
                .set(format!("Reloaded {title} (changed on disk)"));
        }
        ExternalChange::Conflict => state.views.show_modal(Modal::Conflict { disk }),
    }
}

/// The answer to the modal dialog (which is closed, or replaced by the next question).
pub fn answer(state: &mut AppState, ctx: &egui::Context, choice: Choice) {
    let modal = state.views.take_modal();
    let now = Instant::now();
    match (choice, modal) {
        (Choice::KeepMine, Some(Modal::Conflict { disk } | Modal::Compare { disk })) => {
            state.doc.session_mut().keep_mine(&disk);
            state
                .status
                .set("Kept your version; saving overwrites the file");
        }
        (Choice::TakeTheirs, Some(Modal::Conflict { disk } | Modal::Compare { disk })) => {
            state.doc.session_mut().take_theirs(&disk, now);
            state
                .status
                .set("Loaded the file's version (undo brings yours back)");
        }
        (Choice::ShowBoth, Some(Modal::Conflict { disk })) => {
            state.views.show_modal(Modal::Compare { disk });
        }
        (Choice::Save(then), _) => {
            if state.doc.session().path().is_some() {
                if save(state, ctx) {
                    proceed(state, ctx, then);
                }
            } else {
                state.files.set_close_after_save(then == Then::Close);
                save_as(state, ctx);
            }
        }
        (Choice::Discard(then), _) => {
            state.files.clear_recovery();
            // Leave the dirty document behind without asking again.
            state.doc.discard_changes();
            proceed(state, ctx, then);
        }
        (Choice::Create(id), _) => {
            if let Some(template) = templates::by_id(id) {
                state.replace_session(Session::from_template(template));
                state
                    .status
                    .set(format!("New state machine from “{}”", template.title));
            }
        }
        (Choice::Restore(index), Some(Modal::Recover { copies })) => {
            if let Some(copy) = copies.get(index) {
                restore(state, copy);
                RecoveryStore::discard(copy);
            }
        }
        (Choice::DiscardRecovered, Some(Modal::Recover { copies })) => {
            copies.iter().for_each(RecoveryStore::discard);
        }
        (Choice::Pick(index), Some(Modal::PickMachine { path, machines, .. })) => {
            if let Some(machine) = machines.get(index) {
                match files::picked_definition(&path, machine) {
                    Ok((text, format, file)) => {
                        let mut session = Session::new(text, format, file);
                        session.settings = machine.settings.clone();
                        state.replace_session(session);
                        state.status.set(format!(
                            "Opened {} from {}",
                            machine.logical_id,
                            path.display()
                        ));
                    }
                    Err(error) => state.views.show_modal(Modal::Message {
                        title: "Cannot open the state machine".into(),
                        body: error.to_string(),
                    }),
                }
            }
        }
        _ => {}
    }
}

fn restore(state: &mut AppState, copy: &files::Recovery) {
    let path: Option<PathBuf> = copy.path.clone();
    let on_disk = path.as_deref().and_then(|p| files::read_text(p).ok());
    let session = Session::new(copy.text.clone(), copy.format(), path);
    // Dirty against the file (or always, for an untitled document).
    let baseline = on_disk.unwrap_or_default();
    state.replace_session(session.with_baseline(baseline));
    state.status.set("Restored unsaved work");
}
