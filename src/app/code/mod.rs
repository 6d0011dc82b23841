//! The Code tab: the ASL text with highlighting, line numbers, underlined diagnostics, a
//! problems list and a Format action. The tab only reads the session: every keystroke is
//! returned as a [`CodeAction::Typed`] text change, which the dispatcher records in the undo
//! history.

pub mod editor;
pub mod highlight;
mod layout;
pub mod problems;

use super::session::Session;
use crate::asl::document::{Format, TextChange};
use editor::{GalleyCache, RecordingBuffer, SquiggleCache, byte_to_char};
use egui::text::CCursor;
use egui::{Event, Key, Modifiers, Ui};
use egui_extras::syntax_highlighting::SyntectSettings;
use highlight::LineHighlighter;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// The syntax definitions, loaded on a background thread at start (they take a moment).
#[derive(Clone, Default)]
pub struct Syntaxes(Arc<OnceLock<Arc<SyntectSettings>>>);

impl Syntaxes {
    pub fn load_in_background(ctx: &egui::Context) -> Syntaxes {
        let syntaxes = Syntaxes::default();
        let cell = Arc::clone(&syntaxes.0);
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let _ = cell.set(Arc::new(SyntectSettings::default()));
            ctx.request_repaint();
        });
        syntaxes
    }

    /// Loads them now (tests and benchmarks want deterministic frames).
    pub fn load_now() -> Syntaxes {
        let syntaxes = Syntaxes::default();
        let _ = syntaxes.0.set(Arc::new(SyntectSettings::default()));
        syntaxes
    }

    pub fn get(&self) -> Option<&Arc<SyntectSettings>> {
        self.0.get()
    }
}

/// What the Code tab asks for, in the order it happened.
#[derive(Debug, Clone, PartialEq)]
pub enum CodeAction {
    /// Text typed into the editor: changes (in byte offsets, in the order made) of the text
    /// at `revision`. The dispatcher records them as keystrokes (grouped into undo steps),
    /// then tells the view with [`CodeView::typed`] that its buffer is the session's text.
    Typed {
        revision: u64,
        changes: Vec<TextChange>,
    },
    /// Re-render the text in the canonical style, as one undoable step.
    Format,
    /// The cursor moved to this byte offset (select the state there).
    Cursor(usize),
}

#[derive(Default)]
pub struct CodeView {
    /// The editor's copy of the text (the session's text after every frame).
    buffer: String,
    buffer_revision: Option<u64>,
    highlighter: Option<LineHighlighter>,
    galleys: GalleyCache,
    squiggles: SquiggleCache,
    /// A byte range to select and scroll to on the next frame.
    pending: Option<Range<usize>>,
    scroll_to: Option<usize>,
    last_cursor: Option<usize>,
    cursor_line: Option<u32>,
    /// (revision, number of lines) for the gutter's width.
    line_count: (Option<u64>, usize),
    /// The TextEdit's own undo is replaced by the shared history: keep its snapshots minimal.
    undoer_trimmed: bool,
}

pub fn editor_id() -> egui::Id {
    egui::Id::unique("asl-code-editor")
}

impl CodeView {
    /// Selects a byte range of the text (and scrolls to it) the next time the tab is shown.
    pub fn reveal(&mut self, range: Range<usize>) {
        self.pending = Some(range);
    }

    /// Puts the cursor at a byte offset (after undo/redo).
    pub fn place_cursor(&mut self, offset: usize) {
        self.pending = Some(offset..offset);
    }

    /// The typing of [`CodeAction::Typed`] on `from` became revision `to` of the session: the
    /// editor's buffer already holds that text (no copy of it on the next frame).
    pub fn typed(&mut self, from: u64, to: u64) {
        if self.buffer_revision == Some(from) {
            self.buffer_revision = Some(to);
        }
    }

    pub fn code_ui(
        &mut self,
        ui: &mut Ui,
        session: &Session,
        syntaxes: &Syntaxes,
    ) -> Vec<CodeAction> {
        let mut actions = Vec::new();
        if self.buffer_revision != Some(session.revision()) {
            self.buffer.clear();
            self.buffer.push_str(session.text());
            self.buffer_revision = Some(session.revision());
        }
        if let Some(error) = session.parse_error().cloned()
            && problems::parse_error_banner_ui(ui, &error, session.parsed().is_some())
        {
            self.pending = Some(error.offset..error.offset);
        }
        let label = ui
            .horizontal(|ui| {
                let format = match session.format() {
                    Format::Json => "ASL definition (JSON)",
                    Format::Yaml => "ASL definition (YAML)",
                };
                let label = ui.label(egui::RichText::new(format).small().weak());
                let button = ui
                    .add_enabled(session.current_doc().is_some(), egui::Button::new("Format"))
                    .on_hover_text(
                        "Re-render in the canonical style (two-space indent), as one undoable step",
                    )
                    .on_disabled_hover_text("Fix the syntax error first");
                if button.clicked() {
                    actions.push(CodeAction::Format);
                }
                label.id
            })
            .inner;
        egui::Panel::bottom("problems-panel")
            .resizable(true)
            .default_size(150.0)
            .size_range(60.0..=600.0)
            .show(ui, |ui| {
                if let Some(index) = problems::problems_ui(ui, session.diagnostics())
                    && let Some(d) = session.diagnostics().get(index)
                {
                    self.pending = Some(d.span.start..d.span.end);
                }
            });
        egui::CentralPanel::no_frame().show(ui, |ui| {
            self.editor_ui(ui, session, syntaxes, label, &mut actions);
        });
        actions
    }

    fn editor_ui(
        &mut self,
        ui: &mut Ui,
        session: &Session,
        syntaxes: &Syntaxes,
        label: egui::Id,
        actions: &mut Vec<CodeAction>,
    ) {
        let id = editor_id();
        let dark = ui.visuals().dark_mode;
        let language = match session.format() {
            Format::Json => "json",
            Format::Yaml => "yaml",
        };
        if let Some(settings) = syntaxes.get()
            && self
                .highlighter
                .as_ref()
                .is_none_or(|h| !h.matches(language, dark))
        {
            self.highlighter = Some(LineHighlighter::new(Arc::clone(settings), language, dark));
        }
        // A click this frame (on the browser, a problem) would take the focus away again.
        let clicking = ui.input(|i| i.pointer.any_pressed() || i.pointer.any_released());
        if clicking && self.pending.is_some() {
            ui.ctx().request_repaint();
        } else if let Some(range) = self.pending.take() {
            let start = byte_to_char(&self.buffer, range.start);
            let end = byte_to_char(&self.buffer, range.end);
            editor::select(ui, id, start..end);
            ui.memory_mut(|m| m.request_focus(id));
            self.scroll_to = Some(end);
        }
        if !self.undoer_trimmed {
            // It would otherwise keep up to a hundred copies of the whole text.
            let mut state = egui::TextEdit::load_state(ui.ctx(), id).unwrap_or_default();
            state.set_undoer(egui::util::undoer::Undoer::with_settings(
                egui::util::undoer::Settings {
                    max_undos: 1,
                    ..Default::default()
                },
            ));
            egui::TextEdit::store_state(ui.ctx(), id, state);
            self.undoer_trimmed = true;
        }
        if ui.memory(|m| m.has_focus(id)) {
            editor_keys(ui, id, &self.buffer);
        }
        if self.line_count.0 != self.buffer_revision {
            self.line_count = (self.buffer_revision, self.buffer.matches('\n').count() + 1);
        }
        let digits = self.line_count.1.to_string().len().max(3) as f32;
        let char_width =
            ui.fonts_mut(|f| f.glyph_width(&egui::TextStyle::Monospace.resolve(ui.style()), '0'));
        let gutter_width = (digits * char_width + 24.0).round();
        let code_bg = ui.visuals().code_bg_color;
        egui::ScrollArea::vertical()
            .id_salt("code-scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let background = ui.painter().add(egui::Shape::Noop);
                let band = ui.painter().add(egui::Shape::Noop);
                let CodeView {
                    buffer,
                    highlighter,
                    galleys,
                    ..
                } = self;
                let mut layouter = |ui: &Ui, text: &dyn egui::TextBuffer, wrap: f32| {
                    galleys.layout(ui, highlighter.as_mut(), text.as_str(), wrap)
                };
                let mut recorder = RecordingBuffer::new(buffer);
                let shown = egui::TextEdit::multiline(&mut recorder)
                    .id(id)
                    .code_editor()
                    .lock_focus(true)
                    .frame(egui::Frame::NONE.inner_margin(egui::Margin {
                        left: gutter_width.min(120.0) as i8,
                        right: 8,
                        top: 6,
                        bottom: 6,
                    }))
                    .desired_width(f32::INFINITY)
                    .min_size(ui.available_size())
                    .layouter(&mut layouter)
                    .show(ui);
                shown.response.response.clone().labelled_by(label);
                let changes = std::mem::take(&mut recorder.changes);
                if !changes.is_empty() {
                    // Until the dispatcher applies them, the underlines below are the last
                    // text's (the next frame, which input always brings, has the new ones).
                    actions.push(CodeAction::Typed {
                        revision: session.revision(),
                        changes,
                    });
                }
                let rect = shown.response.response.rect;
                ui.painter().set(
                    background,
                    egui::Shape::rect_filled(rect.expand(1.0), 0.0, code_bg),
                );
                let galley = &shown.galley;
                let cursor = shown.cursor_range.map(|r| r.primary.index.0);
                if let Some(char_index) = cursor {
                    let row = galley.pos_from_cursor(CCursor::new(char_index));
                    let y = shown.galley_pos.y;
                    let band_rect = egui::Rect::from_x_y_ranges(
                        rect.left() + gutter_width..=rect.right(),
                        y + row.min.y..=y + row.max.y,
                    );
                    ui.painter().set(
                        band,
                        egui::Shape::rect_filled(band_rect, 0.0, editor::current_line_fill(ui)),
                    );
                    if cursor != self.last_cursor {
                        self.last_cursor = cursor;
                        let byte = editor::char_to_byte(&self.buffer, char_index);
                        self.cursor_line = Some(
                            self.buffer
                                .get(..byte)
                                .map_or(0, |s| s.matches('\n').count() as u32)
                                + 1,
                        );
                        actions.push(CodeAction::Cursor(byte));
                    }
                    if let Some(target) = self.scroll_to.take() {
                        let at = galley.pos_from_cursor(CCursor::new(target));
                        ui.scroll_to_rect(
                            at.translate(shown.galley_pos.to_vec2()).expand(24.0),
                            Some(egui::Align::Center),
                        );
                    }
                }
                let gutter = egui::Rect::from_min_max(
                    rect.min,
                    egui::pos2(rect.left() + gutter_width - 8.0, rect.bottom()),
                );
                editor::squiggles_ui(
                    ui,
                    &mut self.squiggles,
                    session.revision(),
                    galley,
                    shown.galley_pos,
                    &self.buffer,
                    session.diagnostics(),
                );
                editor::paint_gutter(
                    ui,
                    &self.squiggles,
                    galley,
                    shown.galley_pos,
                    gutter,
                    self.cursor_line,
                );
            });
    }
}

/// Editor keys the TextEdit does not do itself: Tab indents with two spaces, Enter keeps
/// the indentation of the current line.
fn editor_keys(ui: &Ui, id: egui::Id, buffer: &str) {
    let wanted = ui.input(|i| {
        i.events.iter().any(|e| {
            matches!(e, Event::Key { key: Key::Tab | Key::Enter, pressed: true, modifiers, .. }
                if *modifiers == Modifiers::NONE)
        })
    });
    if !wanted {
        return;
    }
    let cursor = egui::TextEdit::load_state(ui.ctx(), id)
        .and_then(|s| s.cursor.char_range())
        .map(|r| r.primary.index.0);
    let indent = cursor.map_or(String::new(), |c| {
        let byte = editor::char_to_byte(buffer, c);
        let line_start = buffer
            .get(..byte)
            .and_then(|s| s.rfind('\n'))
            .map_or(0, |i| i + 1);
        let line = buffer.get(line_start..byte).unwrap_or_default();
        line.chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect()
    });
    ui.input_mut(|input| {
        for event in &mut input.events {
            if let Event::Key {
                key,
                pressed: true,
                modifiers,
                ..
            } = event
                && *modifiers == Modifiers::NONE
            {
                match key {
                    Key::Tab => *event = Event::Text("  ".into()),
                    Key::Enter => *event = Event::Text(format!("\n{indent}")),
                    _ => {}
                }
            }
        }
    });
}

/// The colour of the Code tab's problem count in the top bar.
pub fn worst_severity(session: &Session) -> Option<crate::asl::validate::Severity> {
    session.diagnostics().iter().map(|d| d.severity).min()
}
