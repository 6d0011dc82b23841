//! The one undo history shared by every view: a list of steps, each a list of text changes.
//!
//! Typing is grouped the way editors do it: consecutive single-character insertions (or
//! deletions) on the same run within a second form one step; a paste, a newline, a selection
//! replaced, or any structural edit is a step of its own. Field edits (Config, inspector) to the
//! same JSON pointer within a second merge too, so typing a Comment is one step.

use crate::asl::document::TextChange;
use std::time::{Duration, Instant};

/// How long a pause ends a group of keystrokes.
pub const GROUP_WINDOW: Duration = Duration::from_secs(1);

/// One change as applied, with the change that undoes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub forward: TextChange,
    pub inverse: TextChange,
}

/// What may be merged into a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupKey {
    /// A run of typed characters; `whitespace` tells whether the last one was a space.
    Insertion { whitespace: bool },
    /// A run of Backspace / Delete presses.
    Deletion,
    /// Edits of one field (JSON pointer) from a form.
    Field(String),
    /// Never merged.
    Sealed,
}

#[derive(Debug, Clone)]
struct Step {
    changes: Vec<Applied>,
    key: GroupKey,
    last: Instant,
}

/// The kind of a text change, for grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keystroke {
    Insert { whitespace: bool },
    Delete,
    Other,
}

fn classify(change: &TextChange, replaced: &str) -> Keystroke {
    let mut chars = change.replacement.chars();
    match (change.range.is_empty(), chars.next(), chars.next()) {
        (true, Some(c), None) if c != '\n' => Keystroke::Insert {
            whitespace: c.is_whitespace(),
        },
        (false, None, _) if replaced.chars().count() == 1 && replaced != "\n" => Keystroke::Delete,
        _ => Keystroke::Other,
    }
}

#[derive(Debug, Default, Clone)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
}

impl History {
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// Records typed changes (already applied, in order). `replaced[i]` is the text change `i`
    /// removed. A frame's changes containing anything but plain keystrokes form one step.
    pub fn record_typing(&mut self, applied: Vec<Applied>, replaced: &[String], now: Instant) {
        let kinds: Vec<Keystroke> = applied
            .iter()
            .zip(
                replaced
                    .iter()
                    .map(String::as_str)
                    .chain(std::iter::repeat("")),
            )
            .map(|(a, r)| classify(&a.forward, r))
            .collect();
        if kinds.contains(&Keystroke::Other) || applied.is_empty() {
            self.push(applied, GroupKey::Sealed, now);
            return;
        }
        for (change, kind) in applied.into_iter().zip(kinds) {
            self.record_keystroke(change, kind, now);
        }
    }

    fn record_keystroke(&mut self, change: Applied, kind: Keystroke, now: Instant) {
        if let Some(top) = self.undo.last_mut()
            && self.redo.is_empty()
            && now.saturating_duration_since(top.last) <= GROUP_WINDOW
            && let Some(previous) = top.changes.last()
        {
            let prev = &previous.forward;
            let merges = match (&top.key, kind) {
                // A word after a space starts a new step, so undo removes one word at a time.
                (
                    GroupKey::Insertion {
                        whitespace: was_space,
                    },
                    Keystroke::Insert { whitespace },
                ) => {
                    change.forward.range.start == prev.range.start + prev.replacement.len()
                        && (whitespace || !*was_space)
                }
                (GroupKey::Deletion, Keystroke::Delete) => {
                    // Backspace moves left; Delete stays in place.
                    change.forward.range.end == prev.range.start
                        || change.forward.range.start == prev.range.start
                }
                _ => false,
            };
            if merges {
                if let Keystroke::Insert { whitespace } = kind {
                    top.key = GroupKey::Insertion { whitespace };
                }
                top.changes.push(change);
                top.last = now;
                return;
            }
        }
        let key = match kind {
            Keystroke::Insert { whitespace } => GroupKey::Insertion { whitespace },
            Keystroke::Delete => GroupKey::Deletion,
            Keystroke::Other => GroupKey::Sealed,
        };
        self.push(vec![change], key, now);
    }

    /// Records a change from a form field (merged with the previous one on the same field).
    pub fn record_field(&mut self, pointer: &str, applied: Applied, now: Instant) {
        if let Some(top) = self.undo.last_mut()
            && self.redo.is_empty()
            && top.key == GroupKey::Field(pointer.to_string())
            && now.saturating_duration_since(top.last) <= GROUP_WINDOW
        {
            top.changes.push(applied);
            top.last = now;
            return;
        }
        self.push(vec![applied], GroupKey::Field(pointer.to_string()), now);
    }

    /// Records a step that nothing merges into (Format, reload, structural edits).
    pub fn record_sealed(&mut self, applied: Vec<Applied>, now: Instant) {
        self.push(applied, GroupKey::Sealed, now);
    }

    fn push(&mut self, changes: Vec<Applied>, key: GroupKey, now: Instant) {
        let changes: Vec<Applied> = changes
            .into_iter()
            .filter(|a| a.forward != a.inverse)
            .collect();
        if changes.is_empty() {
            return;
        }
        self.redo.clear();
        self.undo.push(Step {
            changes,
            key,
            last: now,
        });
    }

    /// Ends the current group: the next change starts a new step.
    pub fn seal(&mut self) {
        if let Some(top) = self.undo.last_mut() {
            top.key = GroupKey::Sealed;
        }
    }

    /// The changes that undo the last step, in the order to apply them.
    pub fn undo(&mut self) -> Option<Vec<TextChange>> {
        let mut step = self.undo.pop()?;
        step.key = GroupKey::Sealed;
        let changes = step
            .changes
            .iter()
            .rev()
            .map(|a| a.inverse.clone())
            .collect();
        self.redo.push(step);
        Some(changes)
    }

    /// The changes that redo the last undone step, in the order to apply them.
    pub fn redo(&mut self) -> Option<Vec<TextChange>> {
        let step = self.redo.pop()?;
        let changes = step.changes.iter().map(|a| a.forward.clone()).collect();
        self.undo.push(step);
        Some(changes)
    }

    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }
}

/// Applies `change` to `text` and returns it with its inverse and the text it replaced.
pub fn apply(text: &mut String, change: TextChange) -> (Applied, String) {
    let end = change.range.end.min(text.len());
    let start = change.range.start.min(end);
    let change = TextChange {
        range: start..end,
        replacement: change.replacement,
    };
    let replaced = text.get(start..end).unwrap_or_default().to_string();
    let inverse = change.inverse(text);
    change.apply_to(text);
    (
        Applied {
            forward: change,
            inverse,
        },
        replaced,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn insert(text: &mut String, at: usize, s: &str) -> (Applied, String) {
        apply(
            text,
            TextChange {
                range: at..at,
                replacement: s.into(),
            },
        )
    }

    fn delete(text: &mut String, range: std::ops::Range<usize>) -> (Applied, String) {
        apply(
            text,
            TextChange {
                range,
                replacement: String::new(),
            },
        )
    }

    fn type_str(h: &mut History, text: &mut String, at: usize, s: &str, t: Instant) {
        for (i, c) in s.chars().enumerate() {
            let (a, r) = insert(text, at + i, &c.to_string());
            h.record_typing(vec![a], &[r], t);
        }
    }

    fn undo(h: &mut History, text: &mut String) -> bool {
        match h.undo() {
            Some(changes) => {
                for c in changes {
                    c.apply_to(text);
                }
                true
            }
            None => false,
        }
    }

    #[test]
    fn a_word_typed_quickly_is_one_step() {
        let t = Instant::now();
        let mut h = History::default();
        let mut text = String::from("{}");
        type_str(&mut h, &mut text, 1, "abc", t);
        assert_eq!(text, "{abc}");
        assert_eq!(h.undo_len(), 1);
        assert!(undo(&mut h, &mut text));
        assert_eq!(text, "{}");
    }

    #[test]
    fn words_pauses_and_jumps_start_new_steps() {
        let t = Instant::now();
        let mut h = History::default();
        let mut text = String::new();
        type_str(&mut h, &mut text, 0, "ab cd", t);
        assert_eq!(h.undo_len(), 2, "\"ab \" and \"cd\"");
        type_str(&mut h, &mut text, 5, "e", t + Duration::from_secs(3));
        assert_eq!(h.undo_len(), 3, "a pause ends the group");
        type_str(&mut h, &mut text, 0, "X", t + Duration::from_secs(3));
        assert_eq!(h.undo_len(), 4, "typing elsewhere is a new step");
        assert_eq!(text, "Xab cde");
        while undo(&mut h, &mut text) {}
        assert_eq!(text, "");
    }

    #[test]
    fn newlines_and_pastes_are_steps_of_their_own() {
        let t = Instant::now();
        let mut h = History::default();
        let mut text = String::new();
        type_str(&mut h, &mut text, 0, "a", t);
        let (a, r) = insert(&mut text, 1, "\n");
        h.record_typing(vec![a], &[r], t);
        type_str(&mut h, &mut text, 2, "b", t);
        let (a, r) = insert(&mut text, 3, "pasted");
        h.record_typing(vec![a], &[r], t);
        type_str(&mut h, &mut text, 9, "c", t);
        assert_eq!(text, "a\nbpastedc");
        assert_eq!(h.undo_len(), 5);
        undo(&mut h, &mut text);
        undo(&mut h, &mut text);
        assert_eq!(text, "a\nb");
    }

    #[test]
    fn backspaces_group_and_undo_restores() {
        let t = Instant::now();
        let mut h = History::default();
        let mut text = String::from("hello");
        for end in (1..=5).rev() {
            let (a, r) = delete(&mut text, end - 1..end);
            h.record_typing(vec![a], &[r], t);
        }
        assert_eq!(text, "");
        assert_eq!(h.undo_len(), 1);
        undo(&mut h, &mut text);
        assert_eq!(text, "hello");
    }

    #[test]
    fn replacing_a_selection_by_typing_is_one_step() {
        let t = Instant::now();
        let mut h = History::default();
        let mut text = String::from("\"Old\"");
        let (a1, r1) = delete(&mut text, 1..4);
        let (a2, r2) = insert(&mut text, 1, "N");
        h.record_typing(vec![a1, a2], &[r1, r2], t);
        type_str(&mut h, &mut text, 2, "ew", t);
        assert_eq!(text, "\"New\"");
        assert_eq!(h.undo_len(), 2);
        undo(&mut h, &mut text);
        assert_eq!(text, "\"N\"");
        undo(&mut h, &mut text);
        assert_eq!(text, "\"Old\"");
    }

    #[test]
    fn redo_replays_and_new_edits_clear_it() {
        let t = Instant::now();
        let mut h = History::default();
        let mut text = String::new();
        type_str(&mut h, &mut text, 0, "ab", t);
        undo(&mut h, &mut text);
        assert!(h.can_redo());
        for c in h.redo().unwrap() {
            c.apply_to(&mut text);
        }
        assert_eq!(text, "ab");
        undo(&mut h, &mut text);
        type_str(&mut h, &mut text, 0, "z", t);
        assert!(!h.can_redo());
    }

    #[test]
    fn field_edits_merge_per_pointer() {
        let t = Instant::now();
        let mut h = History::default();
        let mut text = String::from("x");
        let (a, _) = insert(&mut text, 1, "1");
        h.record_field("/Comment", a, t);
        let (a, _) = insert(&mut text, 2, "2");
        h.record_field("/Comment", a, t);
        let (a, _) = insert(&mut text, 3, "3");
        h.record_field("/Version", a, t);
        assert_eq!(h.undo_len(), 2);
        h.seal();
        let (a, _) = insert(&mut text, 4, "4");
        h.record_field("/Version", a, t);
        assert_eq!(h.undo_len(), 3, "a sealed step takes nothing more");
    }

    #[test]
    fn empty_changes_are_not_recorded() {
        let mut h = History::default();
        let mut text = String::from("a");
        let (a, _) = insert(&mut text, 0, "");
        h.record_sealed(vec![a], Instant::now());
        assert!(!h.can_undo());
    }
}
