//! Incremental syntax highlighting of the Code tab (syntect, the engine egui_extras uses).
//!
//! The parser state at the start of every line is kept. After an edit, lines are highlighted
//! again from the first changed one until the state at a line start equals the one cached for
//! it: usually one or two lines, so a keystroke in a 15k-line definition costs microseconds.
//! When an edit changes everything after it (an opened string), the rest is redone within a
//! time budget per frame; until then those lines keep their previous colours.

use egui::Color32;
use egui_extras::syntax_highlighting::SyntectSettings;
use std::sync::Arc;
use std::time::{Duration, Instant};
use syntect::highlighting::{HighlightState, Highlighter, RangedHighlightIterator};
use syntect::parsing::{ParseState, ScopeStack};

/// Colour runs of one line: (start, end) relative to the line start, and a colour.
pub type Runs = Vec<(u32, u32, Color32)>;

#[derive(Clone)]
struct Line {
    /// Parser state before the line (None: not computed yet).
    state: Option<(ParseState, HighlightState)>,
    runs: Runs,
    /// Changes whenever the line's text or colours change (the layout caches by it).
    version: u64,
}

/// One line as the layout needs it.
pub struct LineView<'a> {
    /// The line's text, with its newline.
    pub text: &'a str,
    pub runs: &'a Runs,
    pub version: u64,
}

/// Per-line highlighting of one text in one language and theme.
pub struct LineHighlighter {
    settings: Arc<SyntectSettings>,
    language: &'static str,
    theme_name: &'static str,
    text: String,
    starts: Vec<usize>,
    lines: Vec<Line>,
    /// First line whose state is not known to be right (None: all done).
    pending: Option<usize>,
    /// Bumped whenever colours change (the layout cache follows it).
    generation: u64,
    /// Highlighting may not stop (converge) before this line: edited lines lie up to here.
    must_reach: usize,
    next_version: u64,
}

fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    starts
}

impl LineHighlighter {
    pub fn new(settings: Arc<SyntectSettings>, language: &'static str, dark: bool) -> Self {
        LineHighlighter {
            settings,
            language,
            theme_name: if dark {
                "base16-ocean.dark"
            } else {
                "InspiredGitHub"
            },
            text: String::new(),
            starts: vec![0],
            lines: vec![Line {
                state: None,
                runs: Vec::new(),
                version: 0,
            }],
            pending: Some(0),
            generation: 0,
            must_reach: 0,
            next_version: 1,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The lines (the last one is empty when the text ends with a newline).
    pub fn lines(&self) -> impl Iterator<Item = LineView<'_>> {
        self.lines
            .iter()
            .zip(&self.starts)
            .enumerate()
            .map(|(index, (line, &start))| {
                let end = self
                    .starts
                    .get(index + 1)
                    .copied()
                    .unwrap_or(self.text.len());
                LineView {
                    text: self.text.get(start..end).unwrap_or_default(),
                    runs: &line.runs,
                    version: line.version,
                }
            })
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn is_done(&self) -> bool {
        self.pending.is_none()
    }

    pub fn matches(&self, language: &str, dark: bool) -> bool {
        self.language == language && (self.theme_name == "base16-ocean.dark") == dark
    }

    /// Brings the highlighting up to `text`, spending at most `budget` on lines after the edit.
    pub fn update(&mut self, text: &str, budget: Duration) {
        if text != self.text {
            self.apply_edit(text);
        }
        if self.pending.is_some() {
            self.work(budget);
        }
    }

    /// Maps old lines onto the new text: unchanged lines before and after the edit keep
    /// their states and colours; the edited lines are marked for highlighting.
    fn apply_edit(&mut self, text: &str) {
        let old = std::mem::take(&mut self.text);
        let prefix = common_prefix(old.as_bytes(), text.as_bytes());
        let max_suffix = old.len().min(text.len()) - prefix;
        let suffix = common_suffix(
            old.as_bytes().get(prefix..).unwrap_or_default(),
            text.as_bytes().get(prefix..).unwrap_or_default(),
        )
        .min(max_suffix);
        let new_starts = line_starts(text);
        // Lines before the one holding the first changed byte are untouched.
        let first = self
            .starts
            .partition_point(|&s| s <= prefix)
            .saturating_sub(1);
        // A line starting strictly inside the unchanged suffix is the same line, shifted.
        let old_tail_first = self.starts.partition_point(|&s| s <= old.len() - suffix);
        let new_tail_first = new_starts.partition_point(|&s| s <= text.len() - suffix);
        let mut version = self.next_version;
        let mut fresh = || {
            version += 1;
            Line {
                state: None,
                runs: Vec::new(),
                version,
            }
        };
        let mut old_lines = std::mem::take(&mut self.lines);
        // The state before the first changed line is still right: lines above it did not change.
        let first_state = old_lines.get(first).and_then(|l| l.state.clone());
        let tail = old_lines.split_off(old_tail_first.min(old_lines.len()));
        old_lines.truncate(first);
        let mut lines = old_lines;
        lines.extend((first..new_tail_first).map(|_| fresh()));
        if let Some(line) = lines.get_mut(first) {
            line.state = first_state;
        }
        lines.extend(tail);
        lines.resize_with(new_starts.len(), &mut fresh);
        self.next_version = version + 1;
        let delta = new_starts.len() as isize - self.starts.len() as isize;
        // Edited lines further down that are still waiting must be reached before stopping.
        let shifted = if self.must_reach > first {
            self.must_reach.saturating_add_signed(delta)
        } else {
            self.must_reach
        };
        self.must_reach = shifted.max(new_tail_first);
        self.lines = lines;
        self.starts = new_starts;
        self.text = text.to_string();
        self.pending = Some(self.pending.map_or(first, |p| p.min(first)));
        self.generation += 1;
    }

    /// Highlights from the first pending line until states converge or the budget runs out.
    fn work(&mut self, budget: Duration) {
        let Some(from) = self.pending else { return };
        let settings = Arc::clone(&self.settings);
        let syntax = settings
            .ps
            .find_syntax_by_name(self.language)
            .or_else(|| settings.ps.find_syntax_by_extension(self.language));
        let (Some(syntax), Some(theme)) = (syntax, settings.ts.themes.get(self.theme_name)) else {
            self.finish();
            return;
        };
        let highlighter = Highlighter::new(theme);
        let deadline = Instant::now() + budget;
        let mut line = from;
        let (mut parse, mut style) = match self.lines.get(line).and_then(|l| l.state.clone()) {
            Some(state) => state,
            None if line == 0 => (
                ParseState::new(syntax),
                HighlightState::new(&highlighter, ScopeStack::new()),
            ),
            None => {
                // Restart from the last line with a known state.
                let known = self
                    .lines
                    .get(..line)
                    .and_then(|before| before.iter().rposition(|l| l.state.is_some()))
                    .unwrap_or(0);
                line = known;
                self.lines
                    .get(known)
                    .and_then(|l| l.state.clone())
                    .unwrap_or_else(|| {
                        (
                            ParseState::new(syntax),
                            HighlightState::new(&highlighter, ScopeStack::new()),
                        )
                    })
            }
        };
        while let Some(&start) = self.starts.get(line) {
            let end = self
                .starts
                .get(line + 1)
                .copied()
                .unwrap_or(self.text.len());
            let text = self.text.get(start..end).unwrap_or_default();
            let Some(current) = self.lines.get_mut(line) else {
                break;
            };
            current.state = Some((parse.clone(), style.clone()));
            let ops = parse.parse_line(text, &settings.ps).unwrap_or_default();
            let mut runs: Runs = Vec::new();
            for (s, _, range) in RangedHighlightIterator::new(&mut style, &ops, text, &highlighter)
            {
                let color = Color32::from_rgb(s.foreground.r, s.foreground.g, s.foreground.b);
                let (a, b) = (range.start as u32, range.end as u32);
                match runs.last_mut() {
                    Some(last) if last.2 == color && last.1 == a => last.1 = b,
                    _ => runs.push((a, b, color)),
                }
            }
            if self.language == "json" {
                runs = recolor_keys(text, runs, key_color(self.theme_name));
            }
            if let Some(current) = self.lines.get_mut(line)
                && current.runs != runs
            {
                current.runs = runs;
                current.version = self.next_version;
                self.next_version += 1;
            }
            line += 1;
            // Converged: the next line starts in the state it had before the edit.
            if line >= self.must_reach
                && let Some(next) = self.lines.get(line)
                && !next.runs.is_empty()
                && next.state.as_ref() == Some(&(parse.clone(), style.clone()))
            {
                self.finish();
                return;
            }
            if line % 64 == 0 && Instant::now() >= deadline {
                self.pending = Some(line);
                self.generation += 1;
                return;
            }
        }
        self.finish();
    }

    fn finish(&mut self) {
        self.pending = None;
        self.must_reach = 0;
        self.generation += 1;
    }
}

/// Length of the common prefix, compared a block at a time (memcmp) before byte by byte.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let len = a.len().min(b.len());
    let mut at = 0;
    while at + BLOCK <= len && a.get(at..at + BLOCK) == b.get(at..at + BLOCK) {
        at += BLOCK;
    }
    at + a
        .get(at..len)
        .unwrap_or_default()
        .iter()
        .zip(b.get(at..len).unwrap_or_default())
        .take_while(|(x, y)| x == y)
        .count()
}

/// Length of the common suffix, the same way from the end.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let len = a.len().min(b.len());
    let mut n = 0;
    while n + BLOCK <= len
        && a.get(a.len() - n - BLOCK..a.len() - n) == b.get(b.len() - n - BLOCK..b.len() - n)
    {
        n += BLOCK;
    }
    let rest_a = a.get(..a.len() - n).unwrap_or_default();
    let rest_b = b.get(..b.len() - n).unwrap_or_default();
    n + rest_a
        .iter()
        .rev()
        .zip(rest_b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// The colour of object keys: the bundled themes show keys like any string, but in ASL the
/// keys are the structure (state names, field names), so they get a colour of their own.
fn key_color(theme_name: &str) -> Color32 {
    if theme_name == "InspiredGitHub" {
        Color32::from_rgb(0x00, 0x6a, 0x8e)
    } else {
        Color32::from_rgb(0x8f, 0xa1, 0xb3)
    }
}

/// Byte ranges of the JSON strings in `line` that are followed by a colon (object keys).
fn key_ranges(line: &str) -> Vec<(u32, u32)> {
    let bytes = line.as_bytes();
    let mut ranges = Vec::new();
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte != b'"' {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while let Some(&inner) = bytes.get(i) {
            if inner == b'"' {
                break;
            }
            i += if inner == b'\\' { 2 } else { 1 };
        }
        let end = (i + 1).min(bytes.len());
        let after = line.get(end..).unwrap_or_default().trim_start();
        if after.starts_with(':') {
            ranges.push((start as u32, end as u32));
        }
        i = end;
    }
    ranges
}

/// Splits the runs at key boundaries and gives the keys `color`.
fn recolor_keys(line: &str, runs: Runs, color: Color32) -> Runs {
    let keys = key_ranges(line);
    if keys.is_empty() {
        return runs;
    }
    let mut out: Runs = Vec::with_capacity(runs.len() + keys.len() * 2);
    for (a, b, run_color) in runs {
        let mut at = a;
        for &(ka, kb) in keys.iter().filter(|(ka, kb)| *ka < b && *kb > a) {
            let (ka, kb) = (ka.max(at), kb.min(b));
            if ka > at {
                out.push((at, ka, run_color));
            }
            out.push((ka, kb, color));
            at = kb;
        }
        if b > at {
            out.push((at, b, run_color));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Arc<SyntectSettings> {
        Arc::new(SyntectSettings::default())
    }

    /// The colour at the first byte of `needle`.
    fn colours_of(h: &LineHighlighter, needle: &str) -> Color32 {
        let at = h.text.find(needle).unwrap();
        let line = h.starts.partition_point(|&s| s <= at) - 1;
        let offset = (at - h.starts[line]) as u32;
        h.lines[line]
            .runs
            .iter()
            .find(|(a, b, _)| *a <= offset && offset < *b)
            .map(|r| r.2)
            .unwrap()
    }

    #[test]
    fn highlights_and_covers_the_whole_text() {
        let mut h = LineHighlighter::new(settings(), "json", true);
        let text = "{\n  \"a\": 1,\n  \"b\": \"x\"\n}\n";
        h.update(text, Duration::from_secs(5));
        assert!(h.is_done());
        for line in h.lines() {
            let covered: u32 = line.runs.iter().map(|(a, b, _)| b - a).sum();
            assert_eq!(covered as usize, line.text.len(), "{:?}", line.text);
        }
        assert_ne!(colours_of(&h, "\"a\""), colours_of(&h, "1,"));
    }

    #[test]
    fn an_edit_rehighlights_only_until_states_converge() {
        let mut h = LineHighlighter::new(settings(), "json", true);
        let mut text = String::from("{\n");
        for i in 0..2000 {
            text.push_str(&format!("  \"k{i}\": {i},\n"));
        }
        text.push_str("  \"end\": true\n}\n");
        h.update(&text, Duration::from_secs(30));
        assert!(h.is_done());
        let key = colours_of(&h, "\"k1500\"");
        // A keystroke in line 10 leaves line 1500's cached state and colours alone.
        let at = text.find("\"k9\"").unwrap() + 2;
        text.insert(at, 'x');
        h.update(&text, Duration::ZERO);
        assert!(h.is_done(), "converged within the first line or two");
        assert_eq!(colours_of(&h, "\"k1500\""), key);
        assert_eq!(colours_of(&h, "\"kx9\""), key);
        // Opening a string changes what follows; it is redone within the budget.
        let at = text.find("\"k20\"").unwrap();
        text.insert(at, '"');
        h.update(&text, Duration::from_secs(30));
        assert!(h.is_done());
        // Deleting lines keeps the rest aligned.
        let from = text.find("  \"k30\"").unwrap();
        let to = text.find("  \"k40\"").unwrap();
        text.replace_range(from..to, "");
        text.remove(text.find("\"\"k20").unwrap());
        h.update(&text, Duration::from_secs(30));
        assert_eq!(h.starts.len(), h.lines.len());
        assert_eq!(colours_of(&h, "\"k1999\""), key);
    }

    #[test]
    fn finds_common_prefixes_and_suffixes_across_blocks() {
        let a: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
        let mut b = a.clone();
        b[700] = 255;
        assert_eq!(common_prefix(&a, &b), 700);
        assert_eq!(common_suffix(&a, &b), 299);
        assert_eq!(common_prefix(&a, &a[..10]), 10);
        assert_eq!(common_suffix(b"abc", b"xbc"), 2);
        assert_eq!(common_suffix(b"", b"x"), 0);
    }

    #[test]
    fn json_keys_have_their_own_colour() {
        assert_eq!(key_ranges(r#"  "a\"b": "x", "c" : 1"#), [(2, 8), (15, 18)]);
        let mut h = LineHighlighter::new(settings(), "json", true);
        h.update("{\"key\": \"value\"}\n", Duration::from_secs(5));
        assert_eq!(colours_of(&h, "\"key\""), key_color("base16-ocean.dark"));
        assert_ne!(colours_of(&h, "\"value\""), key_color("base16-ocean.dark"));
    }

    #[test]
    fn yaml_is_highlighted_too() {
        let mut h = LineHighlighter::new(settings(), "yaml", false);
        h.update(
            "StartAt: A\nStates:\n  A:\n    Type: Pass\n",
            Duration::from_secs(5),
        );
        assert_ne!(colours_of(&h, "StartAt"), colours_of(&h, "A\n"));
    }
}
