//! The app's state, in parts with their own invariants: the document (session and selection),
//! the views' own states, the files (dialogs, watcher, recent files, recovery copies) and the
//! status message. The dispatcher changes it; the window reads it to call the views.

mod document;
mod file_state;
mod views;

pub use document::DocState;
pub use file_state::{DiskEvent, FileState, RECOVERY_INTERVAL};
pub use views::Views;

use super::options::DesignerOptions;
use super::session::Session;
use std::time::{Duration, Instant};

/// How long a status message stays.
const STATUS_FOR: Duration = Duration::from_secs(6);

/// Everything the dispatcher may change. The parts are public so that one action can borrow
/// two of them at once (e.g. the document and the Code view); each keeps its own fields
/// private.
pub struct AppState {
    pub doc: DocState,
    pub views: Views,
    pub files: FileState,
    pub status: Status,
}

impl AppState {
    pub fn new(session: Session, options: &DesignerOptions) -> AppState {
        AppState {
            doc: DocState::new(session),
            views: Views::default(),
            files: FileState::new(options),
            status: Status::default(),
        }
    }

    /// Another document: nothing selected, fresh canvas and editor, no watcher or recovery
    /// copy of the old one.
    pub fn replace_session(&mut self, session: Session) {
        // A run belongs to its document; the new one brings its own breakpoints (sidecar).
        let breakpoints = crate::app::run::breakpoints_of(&session.settings.breakpoints);
        self.doc.replace(session);
        self.views.reset_document_views();
        self.views.run_mut().forget_run();
        self.views.run_mut().set_breakpoints(breakpoints);
        self.files.forget_document();
    }
}

/// The message in the status bar, for a few seconds.
#[derive(Debug, Default)]
pub struct Status {
    message: Option<(String, Instant)>,
}

impl Status {
    pub fn set(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), Instant::now()));
    }

    pub fn text(&self) -> Option<&str> {
        self.message.as_ref().map(|(text, _)| text.as_str())
    }

    /// Forgets the message once it has been shown long enough.
    pub fn expire(&mut self) {
        if self
            .message
            .as_ref()
            .is_some_and(|(_, at)| at.elapsed() > STATUS_FOR)
        {
            self.message = None;
        }
    }
}
