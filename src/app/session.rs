//! The open document, UI-free: the ASL text (the one source of truth), the last version that
//! parsed with its model and diagnostics, the shared undo history, the dirty flag and the path.
//!
//! Every change of the text goes through this type (the dispatcher applies the views' actions
//! here): typing hands over text changes, forms hand over structural [`Edit`]s, and both
//! become undoable steps of one [`History`].

use super::history::{self, History};
use crate::asl::document::{Document, Edit, EditError, Format, ParseError, Span, TextChange};
use crate::asl::model::{ModelError, StateMachine};
use crate::asl::validate::{self, Code, Diagnostic, Options, Severity};
use crate::export::DeploymentSettings;
use crate::templates::Template;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The last text that parsed, with everything the views read from it.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub doc: Document,
    pub machine: Result<StateMachine, ModelError>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SessionError {
    #[error("the text does not parse ({0}); fix it in the Code tab first")]
    DoesNotParse(ParseError),
    #[error(transparent)]
    Edit(#[from] EditError),
}

/// What an external change to the open file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternalChange {
    /// The file holds what we have (e.g. our own save).
    Unchanged,
    /// No unsaved edits: the new text was taken (as an undoable step).
    Reloaded,
    /// There are unsaved edits: the user must choose.
    Conflict,
}

#[derive(Debug)]
pub struct Session {
    text: String,
    format: Format,
    path: Option<PathBuf>,
    parsed: Option<Parsed>,
    /// The syntax error of the current text; `parsed` then holds an older text.
    parse_error: Option<ParseError>,
    diagnostics: Vec<Diagnostic>,
    history: History,
    /// The text as last opened or saved: the document is dirty when it differs.
    baseline: String,
    dirty: bool,
    /// Changes with every change of the text, unique across sessions (views cache by it).
    revision: u64,
    /// The revision of the text that last parsed (what the Design canvas shows).
    parsed_revision: u64,
    pub settings: DeploymentSettings,
    settings_dirty: bool,
}

/// Revisions are unique in the process, so a cache keyed by one never mistakes a new
/// document for the one it replaced.
fn next_revision() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Frees a replaced parse on another thread: taking a big syntax tree apart costs about as
/// much as building it, and a keystroke should not wait for that.
fn drop_elsewhere(parsed: Parsed) {
    use std::sync::mpsc::{Sender, channel};
    use std::sync::{Mutex, OnceLock};
    static DROPPER: OnceLock<Option<Mutex<Sender<Parsed>>>> = OnceLock::new();
    let sender = DROPPER.get_or_init(|| {
        let (sender, receiver) = channel::<Parsed>();
        std::thread::Builder::new()
            .name("drop-parsed".into())
            .spawn(move || receiver.into_iter().for_each(drop))
            .ok()
            .map(|_| Mutex::new(sender))
    });
    let unsent = match sender.as_ref().map(|s| s.lock()) {
        Some(Ok(sender)) => sender.send(parsed).err().map(|e| e.0),
        _ => Some(parsed),
    };
    // Without the thread, drop it here.
    drop(unsent);
}

impl Session {
    pub fn new(text: impl Into<String>, format: Format, path: Option<PathBuf>) -> Session {
        let text = text.into();
        let mut session = Session {
            baseline: text.clone(),
            text,
            format,
            path,
            parsed: None,
            parse_error: None,
            diagnostics: Vec::new(),
            history: History::default(),
            dirty: false,
            revision: next_revision(),
            parsed_revision: 0,
            settings: DeploymentSettings::default(),
            settings_dirty: false,
        };
        session.refresh();
        session
    }

    /// A new, untitled document from a template (with the template's workflow type).
    pub fn from_template(template: &Template) -> Session {
        let mut session = Session::new(template.text, Format::Json, None);
        session.settings.workflow_type = template.workflow_type;
        session
    }

    /// A document whose clean state is `baseline` (e.g. work recovered after a crash, against
    /// the file on disk): dirty when the two differ.
    pub fn with_baseline(mut self, baseline: String) -> Session {
        self.dirty = self.text != baseline;
        self.baseline = baseline;
        self
    }

    /// Converts the text to another format (Save As with another extension), as one step.
    pub fn convert_to(&mut self, format: Format, now: Instant) -> Result<(), SessionError> {
        if format == self.format {
            return Ok(());
        }
        let value = self.editable_doc()?.value().clone();
        let text = match format {
            Format::Json => crate::asl::document::to_json_pretty(&value, "  ") + "\n",
            Format::Yaml => crate::asl::document::to_yaml(&value),
        };
        self.format = format;
        self.replace_all(&text, now);
        Ok(())
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn format(&self) -> Format {
        self.format
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The file name to show ("Untitled" before the first save).
    pub fn title(&self) -> String {
        self.path.as_deref().and_then(Path::file_name).map_or_else(
            || "Untitled".to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The last text that parsed (None when nothing ever did).
    /// Changes exactly when the last parsed version changes.
    pub fn parsed_revision(&self) -> u64 {
        self.parsed_revision
    }

    pub fn parsed(&self) -> Option<&Parsed> {
        self.parsed.as_ref()
    }

    /// The document, when it is the current text (not an older one that parsed).
    pub fn current_doc(&self) -> Option<&Document> {
        match (&self.parse_error, &self.parsed) {
            (None, Some(parsed)) => Some(&parsed.doc),
            _ => None,
        }
    }

    /// The model of the last text that parsed.
    pub fn machine(&self) -> Option<&StateMachine> {
        self.parsed.as_ref().and_then(|p| p.machine.as_ref().ok())
    }

    pub fn parse_error(&self) -> Option<&ParseError> {
        self.parse_error.as_ref()
    }

    /// Diagnostics of the current text (spans index into [`Self::text`]).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    pub fn is_dirty(&self) -> bool {
        self.dirty || self.settings_dirty
    }

    /// Unsaved changes to the ASL text itself (what a reload would lose).
    pub fn text_dirty(&self) -> bool {
        self.dirty
    }

    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    pub fn validate_options(&self) -> Options {
        Options {
            workflow_type: Some(self.settings.workflow_type),
        }
    }

    /// Records that the deployment settings changed (they are saved with the document).
    pub fn settings_changed(&mut self) {
        self.settings_dirty = true;
        // Express-only rules depend on the workflow type.
        self.refresh_diagnostics();
    }

    /// Typed changes from the Code tab, already in the order they were made.
    pub fn apply_typing(&mut self, changes: Vec<TextChange>, now: Instant) {
        if changes.is_empty() {
            return;
        }
        let mut applied = Vec::with_capacity(changes.len());
        let mut replaced = Vec::with_capacity(changes.len());
        for change in changes {
            let (a, r) = history::apply(&mut self.text, change);
            applied.push(a);
            replaced.push(r);
        }
        self.history.record_typing(applied, &replaced, now);
        self.changed();
    }

    /// A structural edit from a view; `field` groups repeated edits of one form field.
    /// Returns the offset just after the change (where a cursor would go).
    pub fn apply_edit(
        &mut self,
        edit: &Edit,
        field: Option<&str>,
        now: Instant,
    ) -> Result<usize, SessionError> {
        let doc = self.editable_doc()?;
        let change = doc.plan(edit)?;
        // Check that the result parses before touching the text (an edit must not break it).
        let mut probe = self.text.clone();
        change.apply_to(&mut probe);
        Document::parse(probe, self.format).map_err(EditError::Produced)?;
        let (applied, _) = history::apply(&mut self.text, change);
        let end = applied.forward.range.start + applied.forward.replacement.len();
        match field {
            Some(pointer) => self.history.record_field(pointer, applied, now),
            None => self.history.record_sealed(vec![applied], now),
        }
        self.changed();
        Ok(end)
    }

    /// Re-renders the text in the format's canonical style, as one undoable step.
    pub fn format_document(&mut self, now: Instant) -> Result<bool, SessionError> {
        let doc = self.editable_doc()?;
        let mut formatted = doc.formatted();
        if self.format == Format::Json && self.text.ends_with('\n') && !formatted.ends_with('\n') {
            formatted.push('\n');
        }
        Ok(self.replace_all(&formatted, now))
    }

    /// Replaces the whole text as one undoable step (reload, "take theirs"); false if equal.
    pub fn replace_all(&mut self, new_text: &str, now: Instant) -> bool {
        if new_text == self.text {
            return false;
        }
        let change = TextChange::between(&self.text, new_text);
        let (applied, _) = history::apply(&mut self.text, change);
        self.history.record_sealed(vec![applied], now);
        self.changed();
        true
    }

    /// Undoes the last step; returns where the cursor should go.
    pub fn undo(&mut self) -> Option<usize> {
        let changes = self.history.undo()?;
        Some(self.replay(changes))
    }

    pub fn redo(&mut self) -> Option<usize> {
        let changes = self.history.redo()?;
        Some(self.replay(changes))
    }

    /// Ends the current typing group (e.g. the cursor moved elsewhere).
    pub fn seal_history(&mut self) {
        self.history.seal();
    }

    fn replay(&mut self, changes: Vec<TextChange>) -> usize {
        let mut cursor = 0;
        for change in changes {
            cursor = change.range.start + change.replacement.len();
            change.apply_to(&mut self.text);
        }
        self.changed();
        cursor.min(self.text.len())
    }

    /// The text was written to `path`: it becomes the clean baseline.
    pub fn mark_saved(&mut self, path: PathBuf, format: Format) {
        self.path = Some(path);
        self.baseline = self.text.clone();
        self.dirty = false;
        self.settings_dirty = false;
        self.history.seal();
        if format != self.format {
            self.format = format;
            self.changed();
        }
    }

    /// Another program changed the open file to `disk_text`.
    pub fn external_change(&mut self, disk_text: &str, now: Instant) -> ExternalChange {
        if disk_text == self.text {
            // Our own save, or the same edit made twice: nothing to do but agree on the baseline.
            self.baseline = disk_text.to_string();
            self.dirty = false;
            return ExternalChange::Unchanged;
        }
        if self.dirty {
            return ExternalChange::Conflict;
        }
        self.take_theirs(disk_text, now);
        ExternalChange::Reloaded
    }

    /// Conflict resolved by taking the file's text (undoable).
    pub fn take_theirs(&mut self, disk_text: &str, now: Instant) {
        self.replace_all(disk_text, now);
        self.baseline = disk_text.to_string();
        self.dirty = false;
    }

    /// Conflict resolved by keeping our text: the file's text becomes the baseline, so the
    /// document stays dirty until saved over it.
    pub fn keep_mine(&mut self, disk_text: &str) {
        self.baseline = disk_text.to_string();
        self.dirty = self.text != self.baseline;
    }

    fn editable_doc(&self) -> Result<&Document, SessionError> {
        if let Some(error) = &self.parse_error {
            return Err(SessionError::DoesNotParse(error.clone()));
        }
        self.parsed
            .as_ref()
            .map(|p| &p.doc)
            .ok_or_else(|| SessionError::DoesNotParse(self.empty_parse_error()))
    }

    fn empty_parse_error(&self) -> ParseError {
        Document::parse(self.text.clone(), self.format)
            .err()
            .unwrap_or(ParseError {
                message: "nothing parsed yet".into(),
                offset: 0,
                line: 1,
                column: 1,
            })
    }

    fn changed(&mut self) {
        self.revision = next_revision();
        self.dirty = self.text != self.baseline;
        self.refresh();
    }

    /// Re-parses the text; on success the model and diagnostics follow, otherwise the last
    /// good model stays and the syntax error is the only diagnostic.
    fn refresh(&mut self) {
        match Document::parse(self.text.clone(), self.format) {
            Ok(doc) => {
                let machine = StateMachine::from_value(doc.value());
                if let Some(old) = self.parsed.replace(Parsed { doc, machine }) {
                    drop_elsewhere(old);
                }
                self.parse_error = None;
                self.parsed_revision = self.revision;
            }
            Err(error) => self.parse_error = Some(error),
        }
        self.refresh_diagnostics();
    }

    fn refresh_diagnostics(&mut self) {
        self.diagnostics = match (&self.parse_error, &self.parsed) {
            (Some(error), _) => vec![Diagnostic {
                severity: Severity::Error,
                code: Code::Syntax,
                message: error.message.clone(),
                pointer: String::new(),
                span: Span::new(error.offset, error.offset),
                line: error.line,
                column: error.column,
            }],
            (None, Some(parsed)) => validate::validate(&parsed.doc, &self.validate_options()),
            (None, None) => Vec::new(),
        };
    }
}

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
