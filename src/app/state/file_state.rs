//! The window's files: the native dialog in flight, the watcher on the open file, the recent
//! files, the recovery copies of unsaved work, and what closing the window waits for.

use crate::app::files::{self, RecentFiles, Recovery, RecoveryStore};
use crate::app::native::{Answer, NativeDialogs, Purpose};
use crate::app::options::DesignerOptions;
use crate::app::session::Session;
use crate::app::watcher::FileWatcher;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How often unsaved work is copied to the recovery folder.
pub const RECOVERY_INTERVAL: Duration = Duration::from_secs(5);

/// What the watcher saw of the open file.
#[derive(Debug, Clone, PartialEq)]
pub enum DiskEvent {
    /// Its text now (changed, or held back while another dialog was open).
    Changed(String),
    /// It cannot be read any more.
    Unreadable(PathBuf),
}

pub struct FileState {
    dialogs: NativeDialogs,
    /// Notice when another program changes the open file.
    watch: bool,
    watcher: Option<FileWatcher>,
    /// The file's text from disk, changed while another dialog was open.
    deferred_disk: Option<String>,
    recent: RecentFiles,
    recovery: Option<RecoveryStore>,
    /// The revision last written to the recovery copy.
    recovery_revision: Option<u64>,
    recovery_at: Instant,
    /// The user confirmed closing with unsaved changes (or saved them).
    allow_close: bool,
    /// Close once the Save As dialog has written the file.
    close_after_save: bool,
}

impl FileState {
    pub fn new(options: &DesignerOptions) -> FileState {
        FileState {
            dialogs: NativeDialogs::default(),
            watch: options.watch_files,
            watcher: None,
            deferred_disk: None,
            recent: RecentFiles::default(),
            recovery: options
                .recovery_dir
                .clone()
                .map(|dir| RecoveryStore::new(dir, 0)),
            recovery_revision: None,
            recovery_at: Instant::now(),
            allow_close: false,
            close_after_save: false,
        }
    }

    pub fn dialog_open(&self) -> bool {
        self.dialogs.is_open()
    }

    /// Opens a native dialog (one at a time); `suggested` is the name a save dialog proposes.
    pub fn open_dialog(
        &mut self,
        ctx: &egui::Context,
        purpose: Purpose,
        suggested: Option<String>,
    ) {
        self.dialogs.open(ctx, purpose, suggested);
    }

    /// The answer of the open dialog, once there is one.
    pub fn poll_dialog(&mut self) -> Option<Answer> {
        self.dialogs.poll()
    }

    pub fn recent(&self) -> &RecentFiles {
        &self.recent
    }

    pub fn set_recent(&mut self, recent: RecentFiles) {
        self.recent = recent;
    }

    /// Puts `path` first in the recent files.
    pub fn remember(&mut self, path: &Path) {
        self.recent.push(path);
    }

    /// Takes `path` out of the recent files (it could not be opened).
    pub fn forget(&mut self, path: &Path) {
        self.recent.remove(path);
    }

    pub fn allow_close(&self) -> bool {
        self.allow_close
    }

    pub fn set_allow_close(&mut self) {
        self.allow_close = true;
    }

    pub fn set_close_after_save(&mut self, close: bool) {
        self.close_after_save = close;
    }

    /// Whether a Save As was meant to close the window (asked once).
    pub fn take_close_after_save(&mut self) -> bool {
        std::mem::take(&mut self.close_after_save)
    }

    /// Copies that a crashed session left behind.
    pub fn recovery_orphans(&self) -> Vec<Recovery> {
        self.recovery
            .as_ref()
            .map(RecoveryStore::orphans)
            .unwrap_or_default()
    }

    /// Removes this session's recovery copy (the work was saved or given up).
    pub fn clear_recovery(&self) {
        if let Some(store) = &self.recovery {
            store.clear();
        }
    }

    /// Another document replaces the open one.
    pub fn forget_document(&mut self) {
        self.watcher = None;
        self.deferred_disk = None;
        self.recovery_revision = None;
        self.clear_recovery();
    }

    /// The document was written to its file: that is no external change, and no recovery
    /// copy is needed.
    pub fn saved(&mut self) {
        if let Some(watcher) = &mut self.watcher {
            watcher.remember_current();
        }
        self.clear_recovery();
        self.recovery_revision = None;
    }

    /// Copies unsaved work to the recovery folder every few seconds; removes it when clean.
    pub fn keep_recovery_copy(&mut self, session: &Session, now: Instant) {
        let Some(store) = &self.recovery else { return };
        if !session.is_dirty() {
            if self.recovery_revision.take().is_some() {
                store.clear();
            }
            return;
        }
        if self.recovery_revision == Some(session.revision())
            || now.saturating_duration_since(self.recovery_at) < RECOVERY_INTERVAL
        {
            return;
        }
        self.recovery_at = now;
        if store
            .write(session.path(), session.format(), session.text())
            .is_ok()
        {
            self.recovery_revision = Some(session.revision());
        }
    }

    /// Writes the recovery copy now (tests; a periodic timer does it otherwise).
    pub fn write_recovery_copy(&mut self, session: &Session) {
        self.recovery_at = Instant::now() - RECOVERY_INTERVAL;
        self.keep_recovery_copy(session, Instant::now());
    }

    /// Whether a recovery copy of `session` is still to be written.
    pub fn recovery_due(&self, session: &Session) -> bool {
        self.recovery.is_some()
            && session.is_dirty()
            && self.recovery_revision != Some(session.revision())
    }

    /// Watches the open file at `path`; reports a change of it (or, once no dialog is open,
    /// one that came while another was).
    pub fn poll_watcher(
        &mut self,
        ctx: &egui::Context,
        path: Option<&Path>,
        dialog_shown: bool,
        now: Instant,
    ) -> Option<DiskEvent> {
        if !self.watch {
            return None;
        }
        if self.watcher.as_ref().map(|w| w.path()) != path {
            self.watcher = path.map(|p| {
                let ctx = ctx.clone();
                FileWatcher::new(p, move || ctx.request_repaint())
            });
        }
        let (Some(watcher), Some(path)) = (&mut self.watcher, path) else {
            return None;
        };
        ctx.request_repaint_after(Duration::from_secs(1));
        if watcher.poll(now) {
            return Some(match files::read_text(path) {
                Ok(disk) => DiskEvent::Changed(disk),
                Err(_) => DiskEvent::Unreadable(path.to_path_buf()),
            });
        }
        if dialog_shown {
            return None;
        }
        self.deferred_disk.take().map(DiskEvent::Changed)
    }

    /// Holds the file's new text back until the open dialog is answered.
    pub fn defer_disk(&mut self, disk: String) {
        self.deferred_disk = Some(disk);
    }
}
