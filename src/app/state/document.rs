//! The open document and what is selected in it.

use crate::app::selection::Selection;
use crate::app::session::Session;
use crate::asl::graph_edit::StateRef;

/// The session (the text, its parse, the undo history) and the one selection.
pub struct DocState {
    session: Session,
    selection: Selection,
}

impl DocState {
    pub fn new(session: Session) -> DocState {
        DocState {
            session,
            selection: Selection::default(),
        }
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    /// To change the document: the session's own methods record every change of the text in
    /// the undo history.
    pub fn session_mut(&mut self) -> &mut Session {
        &mut self.session
    }

    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    pub fn select(&mut self, states: Vec<StateRef>) {
        self.selection.set(states);
    }

    /// Selects the state whose object is at `pointer` (nothing, when none is).
    pub fn select_pointer(&mut self, pointer: Option<&str>) {
        match pointer {
            Some(pointer) => self.selection.set_pointer(pointer),
            None => self.selection.clear(),
        }
    }

    /// Keeps the text and the selection but marks the document clean: its edits are being
    /// thrown away (the window closes or another document comes).
    pub fn discard_changes(&mut self) {
        let placeholder = Session::new(String::new(), self.session.format(), None);
        let session = std::mem::replace(&mut self.session, placeholder);
        let text = session.text().to_string();
        self.session = session.with_baseline(text);
    }

    /// Another document, with nothing selected.
    pub fn replace(&mut self, session: Session) {
        self.selection.clear();
        self.session = session;
    }
}
