//! What the window does besides drawing: files (open, save, recent, drag and drop), the
//! watcher, recovery copies, shortcuts, undo/redo and the answers of the modal dialogs.

use super::files::{self, Opened, RecoveryStore};
use super::modals::{self, Choice, Modal, Then};
use super::native::{Answer, Purpose};
use super::session::{ExternalChange, Session};
use super::shell::{DesignerApp, Tab};
use super::watcher::FileWatcher;
use crate::asl::document::Format;
use crate::export::{self, DeploymentSettings};
use crate::templates;
use egui::{Key, KeyboardShortcut, Modifiers};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How often unsaved work is copied to the recovery folder.
pub const RECOVERY_INTERVAL: Duration = Duration::from_secs(5);

const fn shortcut(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

const COMMAND_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);

impl DesignerApp {
    pub fn undo(&mut self) {
        match self.session.undo() {
            Some(cursor) => self.code.place_cursor(cursor),
            None => self.set_status("Nothing to undo"),
        }
    }

    pub fn redo(&mut self) {
        match self.session.redo() {
            Some(cursor) => self.code.place_cursor(cursor),
            None => self.set_status("Nothing to redo"),
        }
    }

    pub fn set_tab(&mut self, tab: Tab) {
        self.tab = tab;
    }

    /// Selects the state at a JSON pointer, as a click in the browser does.
    pub fn select_state(&mut self, pointer: &str) {
        self.select(pointer.to_string());
    }

    /// Puts the Code tab's cursor at a byte offset of the text (applied on its next frame).
    pub fn place_cursor(&mut self, offset: usize) {
        self.code.place_cursor(offset);
    }

    /// Shortcuts as in DESIGN.md; the most specific ones first, and consumed so that a
    /// focused text field does not also act on them (its own undo would bypass the history).
    pub(super) fn handle_shortcuts(&mut self, ctx: &egui::Context) {
        let pressed = |s: KeyboardShortcut| ctx.input_mut(|i| i.consume_shortcut(&s));
        if pressed(shortcut(COMMAND_SHIFT, Key::Z)) || pressed(shortcut(Modifiers::COMMAND, Key::Y))
        {
            self.redo();
        }
        if pressed(shortcut(Modifiers::COMMAND, Key::Z)) {
            self.undo();
        }
        if pressed(shortcut(COMMAND_SHIFT, Key::S)) {
            self.save_as(ctx);
        }
        if pressed(shortcut(Modifiers::COMMAND, Key::S)) {
            self.save(ctx);
        }
        if pressed(shortcut(Modifiers::COMMAND, Key::O)) {
            self.request(ctx, Then::OpenDialog);
        }
        if pressed(shortcut(Modifiers::COMMAND, Key::N)) {
            self.request(ctx, Then::NewFromTemplate);
        }
        if pressed(shortcut(Modifiers::COMMAND, Key::F)) {
            match self.left {
                super::shell::LeftPanel::Browser => self.palette.focus_filter = true,
                super::shell::LeftPanel::Outline => self.browser.focus_filter = true,
            }
        }
        for (key, tab) in [
            (Key::Num1, Tab::Design),
            (Key::Num2, Tab::Code),
            (Key::Num3, Tab::Config),
        ] {
            if pressed(shortcut(Modifiers::COMMAND, key)) {
                self.tab = tab;
            }
        }
        if pressed(shortcut(Modifiers::NONE, Key::F5)) {
            self.set_status("Running workflows comes with the interpreter view");
        }
    }

    /// Does `then`, first asking about unsaved changes when it would lose them.
    pub(super) fn request(&mut self, ctx: &egui::Context, then: Then) {
        if self.session.is_dirty() {
            self.modal = Some(Modal::Unsaved { then });
        } else {
            self.proceed(ctx, then);
        }
    }

    fn proceed(&mut self, ctx: &egui::Context, then: Then) {
        match then {
            Then::Close => {
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Then::OpenDialog => self.dialogs.open(ctx, Purpose::Open, None),
            Then::Open(path) => self.open_path(&path),
            Then::NewFromTemplate => self.modal = Some(Modal::NewFromTemplate { selected: 0 }),
        }
    }

    /// Opens a definition (or lists the machines of a template).
    pub fn open_path(&mut self, path: &Path) {
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
                self.replace_session(session);
                self.recent.push(&path);
                self.set_status(format!("Opened {}", path.display()));
            }
            Ok(Opened::Template { path, machines }) => {
                self.modal = Some(Modal::PickMachine {
                    path,
                    machines,
                    selected: 0,
                });
            }
            Err(error) => {
                self.recent.remove(path);
                self.modal = Some(Modal::Message {
                    title: "Cannot open the file".into(),
                    body: error.to_string(),
                });
            }
        }
    }

    /// Saves to the document's file, or asks where when it has none. True when written.
    pub fn save(&mut self, ctx: &egui::Context) -> bool {
        match self.session.path().map(Path::to_path_buf) {
            Some(path) => self.write_to(&path),
            None => {
                self.save_as(ctx);
                false
            }
        }
    }

    pub fn save_as(&mut self, ctx: &egui::Context) {
        let name = match (self.session.path(), self.session.format()) {
            (Some(path), _) => path.file_name().map(|n| n.to_string_lossy().into_owned()),
            (None, Format::Json) => Some("state-machine.asl.json".into()),
            (None, Format::Yaml) => Some("state-machine.asl.yaml".into()),
        };
        self.dialogs.open(ctx, Purpose::SaveAs, name);
    }

    /// Writes the document to `path` (atomically) and the settings beside it.
    pub fn write_to(&mut self, path: &Path) -> bool {
        let format = Format::from_path(path);
        if let Err(error) = self.session.convert_to(format, Instant::now()) {
            self.set_status(format!("Not saved: {error}"));
            return false;
        }
        let sidecar_exists = DeploymentSettings::sidecar_path(path).exists();
        let write_settings =
            sidecar_exists || self.session.settings != DeploymentSettings::default();
        match files::save(
            path,
            self.session.text(),
            &self.session.settings,
            write_settings,
        ) {
            Ok(()) => {
                self.session.mark_saved(path.to_path_buf(), format);
                if let Some(watcher) = &mut self.watcher {
                    watcher.remember_current();
                }
                if let Some(store) = &self.recovery {
                    store.clear();
                }
                self.recovery_revision = None;
                self.recent.push(path);
                self.set_status(format!("Saved {}", path.display()));
                true
            }
            Err(error) => {
                self.modal = Some(Modal::Message {
                    title: "Not saved".into(),
                    body: error.to_string(),
                });
                false
            }
        }
    }

    pub(super) fn handle_close_request(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested())
            && !self.allow_close
            && self.session.is_dirty()
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.modal = Some(Modal::Unsaved { then: Then::Close });
        }
    }

    pub(super) fn poll_dialogs(&mut self, ctx: &egui::Context) {
        let (purpose, path) = match self.dialogs.poll() {
            None | Some(Answer::Cancelled) => return,
            Some(Answer::Unavailable) => {
                self.set_status(
                    "No file dialog available (is xdg-desktop-portal running?): drop a file on \
                     the window or pass it on the command line",
                );
                return;
            }
            Some(Answer::Chosen(purpose, path)) => (purpose, path),
        };
        match purpose {
            Purpose::Open => self.open_path(&path),
            Purpose::SaveAs => {
                if self.write_to(&path) && std::mem::take(&mut self.close_after_save) {
                    self.proceed(ctx, Then::Close);
                }
            }
            Purpose::Export(format) => self.export_to(&path, format),
        }
    }

    fn export_to(&mut self, path: &Path, format: export::ExportFormat) {
        let Some(doc) = self.session.current_doc() else {
            self.set_status("Not exported: the text does not parse");
            return;
        };
        let options = self.config.export_options(&self.session);
        let result = export::export(doc.value(), &self.session.settings, format, &options)
            .map_err(|e| e.to_string())
            .and_then(|text| {
                export::atomic_write(path, text.as_bytes()).map_err(|e| e.to_string())
            });
        match result {
            Ok(()) => self.set_status(format!("Exported {}", path.display())),
            Err(error) => {
                self.modal = Some(Modal::Message {
                    title: "Export failed".into(),
                    body: error,
                })
            }
        }
    }

    /// Reloads or asks when another program changed the open file.
    pub(super) fn poll_watcher(&mut self, ctx: &egui::Context, now: Instant) {
        if !self.options.watch_files {
            return;
        }
        let path = self.session.path().map(Path::to_path_buf);
        if self.watcher.as_ref().map(|w| w.path()) != path.as_deref() {
            self.watcher = path.as_deref().map(|p| {
                let ctx = ctx.clone();
                FileWatcher::new(p, move || ctx.request_repaint())
            });
        }
        let (Some(watcher), Some(path)) = (&mut self.watcher, path) else {
            return;
        };
        ctx.request_repaint_after(Duration::from_secs(1));
        let disk = if watcher.poll(now) {
            match files::read_text(&path) {
                Ok(disk) => disk,
                Err(_) => {
                    self.set_status(format!("{} is gone or unreadable", path.display()));
                    return;
                }
            }
        } else if self.modal.is_none()
            && let Some(disk) = self.deferred_disk.take()
        {
            disk
        } else {
            return;
        };
        match &mut self.modal {
            Some(Modal::Conflict { disk: shown } | Modal::Compare { disk: shown }) => {
                *shown = disk;
                return;
            }
            // Another question is open: ask about this one after it.
            Some(_) => {
                self.deferred_disk = Some(disk);
                return;
            }
            None => {}
        }
        match self.session.external_change(&disk, now) {
            ExternalChange::Unchanged => {}
            ExternalChange::Reloaded => self.set_status(format!(
                "Reloaded {} (changed on disk)",
                self.session.title()
            )),
            ExternalChange::Conflict => self.modal = Some(Modal::Conflict { disk }),
        }
    }

    pub(super) fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .find(|p| !p.as_os_str().is_empty())
        });
        if let Some(path) = dropped {
            self.request(ctx, Then::Open(path));
        }
    }

    /// Copies unsaved work to the recovery folder every few seconds; removes it when clean.
    pub(super) fn keep_recovery_copy(&mut self, now: Instant) {
        let Some(store) = &self.recovery else { return };
        if !self.session.is_dirty() {
            if self.recovery_revision.take().is_some() {
                store.clear();
            }
            return;
        }
        if self.recovery_revision == Some(self.session.revision())
            || now.saturating_duration_since(self.recovery_at) < RECOVERY_INTERVAL
        {
            return;
        }
        self.recovery_at = now;
        if store
            .write(
                self.session.path(),
                self.session.format(),
                self.session.text(),
            )
            .is_ok()
        {
            self.recovery_revision = Some(self.session.revision());
        }
    }

    /// Writes the recovery copy now (tests; a periodic timer does it otherwise).
    pub fn write_recovery_copy(&mut self) {
        self.recovery_at = Instant::now() - RECOVERY_INTERVAL;
        self.keep_recovery_copy(Instant::now());
    }

    pub(super) fn modal_ui(&mut self, ctx: &egui::Context) {
        let Some(modal) = &mut self.modal else { return };
        let title = self.session.title();
        let Some(choice) = modals::modal_ui(ctx, modal, &title, self.session.text()) else {
            return;
        };
        let modal = self.modal.take();
        let now = Instant::now();
        match (choice, modal) {
            (Choice::KeepMine, Some(Modal::Conflict { disk } | Modal::Compare { disk })) => {
                self.session.keep_mine(&disk);
                self.set_status("Kept your version; saving overwrites the file");
            }
            (Choice::TakeTheirs, Some(Modal::Conflict { disk } | Modal::Compare { disk })) => {
                self.session.take_theirs(&disk, now);
                self.set_status("Loaded the file's version (undo brings yours back)");
            }
            (Choice::ShowBoth, Some(Modal::Conflict { disk })) => {
                self.modal = Some(Modal::Compare { disk });
            }
            (Choice::Save(then), _) => {
                if self.session.path().is_some() {
                    if self.save(ctx) {
                        self.proceed(ctx, then);
                    }
                } else {
                    self.close_after_save = then == Then::Close;
                    self.save_as(ctx);
                }
            }
            (Choice::Discard(then), _) => {
                if let Some(store) = &self.recovery {
                    store.clear();
                }
                // Leave the dirty document behind without asking again.
                self.session = self.session_for_discard();
                self.proceed(ctx, then);
            }
            (Choice::Create(id), _) => {
                if let Some(template) = templates::by_id(id) {
                    self.replace_session(super::session_from_template(template));
                    self.set_status(format!("New state machine from “{}”", template.title));
                }
            }
            (Choice::Restore(index), Some(Modal::Recover { copies })) => {
                if let Some(copy) = copies.get(index) {
                    self.restore(copy);
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
                            self.replace_session(session);
                            self.set_status(format!(
                                "Opened {} from {}",
                                machine.logical_id,
                                path.display()
                            ));
                        }
                        Err(error) => {
                            self.modal = Some(Modal::Message {
                                title: "Cannot open the state machine".into(),
                                body: error.to_string(),
                            })
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// The same document, marked clean (its edits are being thrown away).
    fn session_for_discard(&mut self) -> Session {
        let placeholder = Session::new(String::new(), self.session.format(), None);
        let session = std::mem::replace(&mut self.session, placeholder);
        let text = session.text().to_string();
        session.with_baseline(text)
    }

    fn restore(&mut self, copy: &files::Recovery) {
        let path: Option<PathBuf> = copy.path.clone();
        let on_disk = path.as_deref().and_then(|p| files::read_text(p).ok());
        let session = Session::new(copy.text.clone(), copy.format(), path);
        // Dirty against the file (or always, for an untitled document).
        let baseline = on_disk.unwrap_or_default();
        self.replace_session(session.with_baseline(baseline));
        self.set_status("Restored unsaved work");
    }
}
