//! The Code tab's laid-out text, built line by line.
//!
//! egui can split a big layout job into paragraphs and cache them, but it still hashes, splits
//! and copies the whole job on every change. Here every line's galley is kept under the
//! line's version (which changes only when its text or colours do), so a keystroke lays out
//! one line and only joins the rows of the others.

use super::highlight::{LineHighlighter, LineView};
use egui::text::{ByteIndex, LayoutJob, LayoutSection, TextFormat};
use egui::{Color32, FontId, Galley, Ui};
use std::sync::Arc;

/// What every line's layout depends on besides its own text and colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Style {
    wrap: u32,
    font_size: u32,
    plain: Color32,
    pixels_per_point: u32,
}

#[derive(Default)]
pub struct LineGalleys {
    style: Option<Style>,
    /// Line galleys in line order, with (line version, whether the paragraph keeps its newline).
    lines: Vec<((u64, bool), Arc<Galley>)>,
    /// The highest line version laid out so far: a higher one is a new or changed line.
    max_version: u64,
    /// The joined galley for (highlighter generation, style).
    joined: Option<(u64, Style, Arc<Galley>)>,
}

fn section(range: std::ops::Range<usize>, format: TextFormat) -> LayoutSection {
    LayoutSection {
        leading_space: 0.0,
        byte_range: ByteIndex(range.start)..ByteIndex(range.end),
        format,
    }
}

/// The job of one paragraph: the line's text (with its newline only when it is the last
/// paragraph of a text ending in one, as egui's own paragraph split does).
fn line_job(
    line: &LineView<'_>,
    keep_newline: bool,
    font: &FontId,
    plain: Color32,
    wrap: f32,
) -> LayoutJob {
    let text = if keep_newline {
        line.text
    } else {
        line.text.strip_suffix('\n').unwrap_or(line.text)
    };
    let mut job = LayoutJob {
        text: text.to_string(),
        ..Default::default()
    };
    job.wrap.max_width = wrap;
    let format = |color| TextFormat::simple(font.clone(), color);
    let end = text.len();
    let mut at = 0;
    for &(a, b, color) in line.runs {
        let (a, b) = ((a as usize).min(end), (b as usize).min(end));
        if a > at {
            job.sections.push(section(at..a, format(plain)));
        }
        if b > a.max(at) {
            job.sections.push(section(a.max(at)..b, format(color)));
            at = b;
        }
    }
    if end > at || job.sections.is_empty() {
        job.sections.push(section(at..end, format(plain)));
    }
    job
}

impl LineGalleys {
    /// The galley of the highlighter's text, for a `TextEdit` layouter.
    pub fn galley(
        &mut self,
        ui: &Ui,
        highlighter: &LineHighlighter,
        wrap_width: f32,
    ) -> Arc<Galley> {
        let font = egui::TextStyle::Monospace.resolve(ui.style());
        let plain = ui.visuals().text_color();
        // egui rounds wrap widths the same way, so cached and fresh layouts agree.
        let wrap = if wrap_width.is_finite() {
            wrap_width.round()
        } else {
            wrap_width
        };
        let pixels_per_point = ui.ctx().pixels_per_point();
        let style = Style {
            wrap: wrap.to_bits(),
            font_size: font.size.to_bits(),
            plain,
            pixels_per_point: pixels_per_point.to_bits(),
        };
        if let Some((generation, cached_style, galley)) = &self.joined
            && *generation == highlighter.generation()
            && *cached_style == style
        {
            return Arc::clone(galley);
        }
        if self.style != Some(style) {
            self.lines.clear();
            self.style = Some(style);
        }
        let text = highlighter.text();
        let galley = if text.is_empty() {
            let job = LayoutJob::simple(String::new(), font, plain, wrap);
            ui.fonts_mut(|f| f.layout_job(job))
        } else {
            let lines: Vec<LineView<'_>> = highlighter.lines().collect();
            // The empty line after a final newline is not a paragraph of its own.
            let count = if text.ends_with('\n') {
                lines.len() - 1
            } else {
                lines.len()
            };
            let mut parts = Vec::with_capacity(count);
            let mut next = Vec::with_capacity(count);
            // Unchanged lines keep their order, so one forward scan over the old galleys finds
            // them; deleted lines are skipped, new and changed ones are laid out.
            let old = std::mem::take(&mut self.lines);
            let mut old_at = 0;
            let max_version = self.max_version;
            ui.fonts_mut(|fonts| {
                for (index, line) in lines.iter().take(count).enumerate() {
                    let keep_newline = index + 1 == count && text.ends_with('\n');
                    let key = (line.version, keep_newline);
                    let found = if line.version <= max_version {
                        old.get(old_at..)
                            .and_then(|rest| rest.iter().position(|(k, _)| *k == key))
                            .map(|offset| old_at + offset)
                    } else {
                        None
                    };
                    let galley = match found.and_then(|i| old.get(i)) {
                        Some((_, galley)) => {
                            old_at = found.map_or(old_at, |i| i + 1);
                            Arc::clone(galley)
                        }
                        None => fonts.layout_job(line_job(line, keep_newline, &font, plain, wrap)),
                    };
                    self.max_version = self.max_version.max(line.version);
                    parts.push(Arc::clone(&galley));
                    next.push((key, galley));
                }
            });
            self.lines = next;
            let mut job = LayoutJob::simple(text.to_string(), font, plain, wrap);
            job.wrap.max_width = wrap;
            Arc::new(Galley::concat(Arc::new(job), &parts, pixels_per_point))
        };
        self.joined = Some((highlighter.generation(), style, Arc::clone(&galley)));
        galley
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_extras::syntax_highlighting::SyntectSettings;
    use std::time::Duration;

    /// Runs `check` inside a frame (fonts need one).
    fn in_frame(check: impl FnMut(&mut Ui)) {
        let ctx = egui::Context::default();
        let mut check = check;
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| check(ui));
        output.textures_delta.clear();
    }

    #[test]
    fn joins_line_galleys_like_egui_lays_out_the_whole_text() {
        let settings = Arc::new(SyntectSettings::default());
        in_frame(|ui| {
            for text in [
                "{\n  \"a\": 1,\n  \"b\": [true]\n}\n",
                "{\"x\": 1}",
                "\n",
                "a\n\nb",
            ] {
                let mut highlighter = LineHighlighter::new(Arc::clone(&settings), "json", true);
                highlighter.update(text, Duration::from_secs(5));
                let mut lines = LineGalleys::default();
                let joined = lines.galley(ui, &highlighter, f32::INFINITY);
                let font = egui::TextStyle::Monospace.resolve(ui.style());
                let whole = ui.fonts_mut(|f| {
                    f.layout_job(LayoutJob::simple(
                        text.to_string(),
                        font,
                        Color32::WHITE,
                        f32::INFINITY,
                    ))
                });
                assert_eq!(joined.text(), text);
                assert_eq!(joined.rows.len(), whole.rows.len(), "{text:?}");
                for (a, b) in joined.rows.iter().zip(&whole.rows) {
                    assert_eq!(a.pos, b.pos, "{text:?}");
                    assert_eq!(a.ends_with_newline, b.ends_with_newline, "{text:?}");
                }
            }
        });
    }

    #[test]
    fn a_keystroke_lays_out_only_its_line() {
        let settings = Arc::new(SyntectSettings::default());
        in_frame(|ui| {
            let mut text: String = (0..300).map(|i| format!("  \"k{i}\": {i},\n")).collect();
            let mut highlighter = LineHighlighter::new(Arc::clone(&settings), "json", true);
            highlighter.update(&text, Duration::from_secs(30));
            let mut lines = LineGalleys::default();
            let before = lines.galley(ui, &highlighter, f32::INFINITY);
            let kept: Vec<Arc<Galley>> = lines.lines.iter().map(|(_, g)| Arc::clone(g)).collect();
            text.insert(text.find("k150").unwrap(), 'x');
            highlighter.update(&text, Duration::from_secs(30));
            let after = lines.galley(ui, &highlighter, f32::INFINITY);
            assert_eq!(after.rows.len(), before.rows.len());
            let reused = lines
                .lines
                .iter()
                .filter(|(_, g)| kept.iter().any(|k| Arc::ptr_eq(k, g)))
                .count();
            assert_eq!(reused, lines.lines.len() - 1, "only the edited line is new");
        });
    }
}
