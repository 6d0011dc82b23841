//! The text editor of the Code tab: an egui `TextEdit` whose every insertion and deletion is
//! recorded as a [`TextChange`] (for the shared history), drawn with line numbers, highlighted
//! line by line, with diagnostics underlined at their exact spans.

use super::highlight::LineHighlighter;
use super::layout::LineGalleys;
use crate::app::theme;
use crate::asl::document::TextChange;
use crate::asl::validate::{Diagnostic, Severity};
use egui::text::{CCursor, CCursorRange, CharIndex};
use egui::{Color32, Galley, Pos2, Rect, TextBuffer, Ui, Vec2};
use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

/// Time spent per frame re-highlighting after an edit that changes what follows it.
const HIGHLIGHT_BUDGET: Duration = Duration::from_millis(6);

/// A text buffer that records what the `TextEdit` does to it, in byte offsets.
pub struct RecordingBuffer<'a> {
    text: &'a mut String,
    pub changes: Vec<TextChange>,
}

impl<'a> RecordingBuffer<'a> {
    pub fn new(text: &'a mut String) -> Self {
        RecordingBuffer {
            text,
            changes: Vec::new(),
        }
    }

    fn byte(&self, index: CharIndex) -> usize {
        char_to_byte(self.text, index.0)
    }
}

pub fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}

pub fn byte_to_char(text: &str, byte: usize) -> usize {
    let byte = byte.min(text.len());
    let mut boundary = byte;
    while !text.is_char_boundary(boundary) {
        boundary -= 1;
    }
    text.get(..boundary).map_or(0, |s| s.chars().count())
}

impl TextBuffer for RecordingBuffer<'_> {
    fn is_mutable(&self) -> bool {
        true
    }

    fn as_str(&self) -> &str {
        self.text
    }

    fn insert_text(&mut self, text: &str, char_index: CharIndex) -> usize {
        if text.is_empty() {
            return 0;
        }
        let at = self.byte(char_index);
        self.text.insert_str(at, text);
        self.changes.push(TextChange {
            range: at..at,
            replacement: text.to_string(),
        });
        text.chars().count()
    }

    fn delete_char_range(&mut self, char_range: Range<CharIndex>) {
        let start = self.byte(char_range.start);
        let end = self.byte(char_range.end).max(start);
        if start == end {
            return;
        }
        self.text.replace_range(start..end, "");
        self.changes.push(TextChange {
            range: start..end,
            replacement: String::new(),
        });
    }

    fn replace_with(&mut self, text: &str) {
        // Assistive technologies set the whole value: record only what differs.
        let change = TextChange::between(self.text, text);
        if change.range.is_empty() && change.replacement.is_empty() {
            return;
        }
        change.apply_to(self.text);
        self.changes.push(change);
    }

    fn type_id(&self) -> std::any::TypeId {
        std::any::TypeId::of::<RecordingBuffer<'static>>()
    }
}

/// The laid-out text: highlighted line by line when the syntaxes are loaded.
#[derive(Default)]
pub struct GalleyCache {
    lines: LineGalleys,
}

impl GalleyCache {
    /// The layouter for `TextEdit`.
    pub fn layout(
        &mut self,
        ui: &Ui,
        highlighter: Option<&mut LineHighlighter>,
        text: &str,
        wrap_width: f32,
    ) -> Arc<Galley> {
        let Some(highlighter) = highlighter else {
            let font = egui::TextStyle::Monospace.resolve(ui.style());
            let plain = ui.visuals().text_color();
            let job = egui::text::LayoutJob::simple(text.to_string(), font, plain, wrap_width);
            return ui.fonts_mut(|f| f.layout_job(job));
        };
        highlighter.update(text, HIGHLIGHT_BUDGET);
        if !highlighter.is_done() {
            ui.ctx().request_repaint();
        }
        self.lines.galley(ui, highlighter, wrap_width)
    }
}

/// One underline: where, how bad, and the diagnostic it shows on hover.
struct Squiggle {
    from: Pos2,
    to: Pos2,
    severity: Severity,
    index: usize,
}

/// Underline positions for one (text revision, galley) pair.
#[derive(Default)]
pub struct SquiggleCache {
    key: Option<(u64, usize)>,
    squiggles: Vec<Squiggle>,
    /// First line number of each galley row (1-based), for the gutter.
    row_lines: Vec<u32>,
}

/// At most this many underlines are drawn (the problems list shows them all).
const MAX_SQUIGGLES: usize = 2000;

impl SquiggleCache {
    fn update(&mut self, revision: u64, galley: &Arc<Galley>, text: &str, diags: &[Diagnostic]) {
        let key = (revision, Arc::as_ptr(galley) as usize);
        if self.key == Some(key) {
            return;
        }
        self.key = Some(key);
        self.row_lines.clear();
        let mut line = 1u32;
        for row in &galley.rows {
            self.row_lines.push(line);
            if row.ends_with_newline {
                line += 1;
            }
        }
        // Byte offsets to character offsets in one pass over the text.
        let mut order: Vec<(usize, &Diagnostic)> =
            diags.iter().enumerate().take(MAX_SQUIGGLES).collect();
        order.sort_by_key(|(_, d)| d.span.start);
        let mut chars = 0;
        let mut byte = 0;
        self.squiggles.clear();
        for (i, diagnostic) in order {
            let span = diagnostic.span;
            let start = span.start.min(text.len());
            chars += byte_to_char(
                text.get(byte..).unwrap_or_default(),
                start - byte.min(start),
            );
            byte = byte.max(start);
            // Underline up to the end of the span's first line, at least one character wide.
            let line_end = text
                .get(start..)
                .and_then(|s| s.find('\n'))
                .map_or(text.len(), |n| start + n);
            let end = span.end.clamp(start, line_end);
            let width = byte_to_char(text.get(start..end).unwrap_or_default(), end - start).max(1);
            let a = galley.pos_from_cursor(CCursor::new(chars));
            let b = galley.pos_from_cursor(CCursor::new(chars + width));
            let b_x = if (b.min.y - a.min.y).abs() > 1.0 {
                a.max.x + 7.0
            } else {
                b.max.x
            };
            self.squiggles.push(Squiggle {
                from: Pos2::new(a.min.x, a.max.y),
                to: Pos2::new(b_x, a.max.y),
                severity: diagnostic.severity,
                index: i,
            });
        }
    }
}

/// Paints line numbers in the gutter left of the text, for the visible rows only.
pub fn paint_gutter(
    ui: &Ui,
    cache: &SquiggleCache,
    galley: &Galley,
    galley_pos: Pos2,
    gutter: Rect,
    cursor_line: Option<u32>,
) {
    let painter = ui.painter();
    let clip = ui.clip_rect();
    painter.rect_filled(
        Rect::from_x_y_ranges(gutter.x_range(), clip.y_range()),
        0.0,
        ui.visuals().extreme_bg_color,
    );
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    let weak = ui.visuals().weak_text_color().gamma_multiply(0.8);
    let strong = ui.visuals().text_color();
    let top = clip.min.y - galley_pos.y;
    let bottom = clip.max.y - galley_pos.y;
    let first = galley
        .rows
        .partition_point(|r| r.pos.y + r.row.size.y < top);
    let mut previous_line = 0;
    for (index, row) in galley.rows.iter().enumerate().skip(first) {
        if row.pos.y > bottom {
            break;
        }
        let line = cache.row_lines.get(index).copied().unwrap_or(0);
        if line == previous_line {
            continue; // a wrapped continuation row
        }
        previous_line = line;
        let color = if Some(line) == cursor_line {
            strong
        } else {
            weak
        };
        painter.text(
            Pos2::new(gutter.right() - 10.0, galley_pos.y + row.pos.y),
            egui::Align2::RIGHT_TOP,
            line.to_string(),
            font.clone(),
            color,
        );
    }
}

/// Draws the underlines of the visible diagnostics, with their message on hover.
pub fn squiggles_ui(
    ui: &mut Ui,
    cache: &mut SquiggleCache,
    revision: u64,
    galley: &Arc<Galley>,
    galley_pos: Pos2,
    text: &str,
    diagnostics: &[Diagnostic],
) {
    cache.update(revision, galley, text, diagnostics);
    let clip = ui.clip_rect();
    let dark = ui.visuals().dark_mode;
    let offset = galley_pos.to_vec2();
    for squiggle in &cache.squiggles {
        let from = squiggle.from + offset;
        let to = squiggle.to + offset;
        if to.y < clip.min.y - 20.0 || from.y > clip.max.y + 20.0 {
            continue;
        }
        let color = theme::severity_color(squiggle.severity, dark);
        theme::squiggle(ui.painter(), from, to, color);
        let row_height = ui.text_style_height(&egui::TextStyle::Monospace);
        let hover = Rect::from_min_max(from - Vec2::new(0.0, row_height), to + Vec2::new(0.0, 3.0));
        if let Some(diagnostic) = diagnostics.get(squiggle.index)
            && ui.rect_contains_pointer(hover)
        {
            let id = ui.scope_id().with(("squiggle", squiggle.index));
            let response = ui.interact(hover, id, egui::Sense::hover());
            response.on_hover_ui(|ui| {
                ui.horizontal(|ui| {
                    theme::severity_icon_ui(ui, diagnostic.severity);
                    ui.label(
                        egui::RichText::new(diagnostic.code.as_str())
                            .monospace()
                            .color(color),
                    );
                });
                ui.label(&diagnostic.message);
            });
        }
    }
}

/// Selects `range` (char offsets) in the editor (the TextEdit applies it when shown).
pub fn select(ui: &Ui, id: egui::Id, range: Range<usize>) {
    let mut state = egui::TextEdit::load_state(ui.ctx(), id).unwrap_or_default();
    state.cursor.set_char_range(Some(CCursorRange::two(
        CCursor::new(range.start),
        CCursor::new(range.end),
    )));
    egui::TextEdit::store_state(ui.ctx(), id, state);
}

/// The color of the current-line band.
pub fn current_line_fill(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_white_alpha(8)
    } else {
        Color32::from_black_alpha(10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_insertions_and_deletions_in_bytes() {
        let mut text = String::from("é{}");
        let mut buffer = RecordingBuffer::new(&mut text);
        buffer.insert_text("ab", CharIndex(2));
        buffer.delete_char_range(CharIndex(0)..CharIndex(1));
        buffer.replace_with("{ab}");
        buffer.replace_with("{ab}");
        let changes = buffer.changes.clone();
        assert_eq!(text, "{ab}");
        assert_eq!(
            changes,
            vec![
                TextChange {
                    range: 3..3,
                    replacement: "ab".into()
                },
                TextChange {
                    range: 0..2,
                    replacement: String::new()
                },
            ]
        );
    }

    #[test]
    fn converts_between_chars_and_bytes() {
        let text = "aé\nb";
        assert_eq!(char_to_byte(text, 2), 3);
        assert_eq!(byte_to_char(text, 3), 2);
        assert_eq!(byte_to_char(text, 2), 1, "inside a character rounds down");
        assert_eq!(char_to_byte(text, 99), text.len());
    }
}
