//! Which states are selected: one [`Selection`] read by the outline, the canvas, the
//! inspector and the Code tab's cursor, and the lookups between states, JSON pointers and
//! text offsets they need.

use crate::asl::document::{Document, Format, Span};
use crate::asl::graph_edit::StateRef;
use crate::asl::model::{State, StateMachine};

/// The selected states in order, the primary one first (the one the inspector shows, the
/// outline highlights and the Code tab reveals). The canvas selects several with Shift or a
/// box; every other view selects one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    states: Vec<StateRef>,
}

impl Selection {
    /// The primary state, if any.
    pub fn primary(&self) -> Option<&StateRef> {
        self.states.first()
    }

    /// Every selected state, the primary one first.
    pub fn states(&self) -> &[StateRef] {
        &self.states
    }

    /// The JSON pointer of the primary state.
    pub fn pointer(&self) -> Option<String> {
        self.primary().map(StateRef::pointer)
    }

    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }

    pub fn len(&self) -> usize {
        self.states.len()
    }

    pub fn contains(&self, state: &StateRef) -> bool {
        self.states.contains(state)
    }

    /// Selects these states (the first becomes the primary one).
    pub fn set(&mut self, states: Vec<StateRef>) {
        self.states = states;
    }

    /// Selects the state whose object is at `pointer` (nothing, when it is not a state's).
    pub fn set_pointer(&mut self, pointer: &str) {
        self.states = StateRef::from_pointer(pointer).into_iter().collect();
    }

    pub fn clear(&mut self) {
        self.states.clear();
    }

    /// The states selected after clicking `state`: only it, or with `toggle` (Shift / Ctrl)
    /// the selection with `state` added, or removed when it was in it.
    pub fn toggled(&self, state: &StateRef, toggle: bool) -> Vec<StateRef> {
        if !toggle {
            return vec![state.clone()];
        }
        let mut next: Vec<StateRef> = self
            .states
            .iter()
            .filter(|s| *s != state)
            .cloned()
            .collect();
        if next.len() == self.states.len() {
            next.push(state.clone());
        }
        next
    }
}

/// The state whose object holds `pointer` (the deepest one, for nested branches).
pub fn state_containing<'m>(machine: &'m StateMachine, pointer: &str) -> Option<&'m State> {
    machine
        .walk()
        .into_iter()
        .map(|(_, state)| state)
        .filter(|state| {
            pointer == state.pointer
                || pointer
                    .strip_prefix(state.pointer.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .max_by_key(|state| state.pointer.len())
}

/// The state at a JSON pointer.
pub fn state_at<'m>(machine: &'m StateMachine, pointer: &str) -> Option<&'m State> {
    machine
        .walk()
        .into_iter()
        .map(|(_, state)| state)
        .find(|state| state.pointer == pointer)
}

/// The state a text offset lies in (for the Code tab's cursor).
pub fn state_at_offset(doc: &Document, machine: &StateMachine, offset: usize) -> Option<String> {
    let pointer = doc.pointer_at(offset);
    state_containing(machine, &pointer).map(|s| s.pointer.clone())
}

/// The part of the text to select for a state: its name, without the quotes.
pub fn name_range(doc: &Document, pointer: &str) -> Option<std::ops::Range<usize>> {
    let Span { start, end } = doc.key_span_of(pointer)?;
    let text = doc.text().get(start..end)?;
    let quoted = text.len() >= 2
        && ((text.starts_with('"') && text.ends_with('"'))
            || (doc.format() == Format::Yaml && text.starts_with('\'') && text.ends_with('\'')));
    Some(if quoted {
        start + 1..end - 1
    } else {
        start..end
    })
}

/// The state that a state name resolves to from `from`'s scope (its enclosing machine).
pub fn sibling_pointer(machine: &StateMachine, from: &State, name: &str) -> Option<String> {
    machine
        .walk()
        .into_iter()
        .find(|(_, s)| s.pointer == from.pointer)
        .and_then(|(scope, _)| scope.state(name))
        .map(|s| s.pointer.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"{"StartAt": "P", "States": {
  "P": {"Type": "Parallel", "Branches": [{"StartAt": "In", "States": {"In": {"Type": "Pass", "End": true}}}], "Next": "Done"},
  "Done": {"Type": "Succeed"}
}}"#;

    fn parse() -> (Document, StateMachine) {
        let doc = Document::parse(TEXT, Format::Json).unwrap();
        let machine = StateMachine::from_value(doc.value()).unwrap();
        (doc, machine)
    }

    #[test]
    fn finds_the_innermost_state_of_a_pointer_or_offset() {
        let (doc, machine) = parse();
        let inner = "/States/P/Branches/0/States/In";
        assert_eq!(
            state_containing(&machine, &format!("{inner}/Type"))
                .unwrap()
                .pointer,
            inner
        );
        assert_eq!(
            state_containing(&machine, "/States/P/Next").unwrap().name,
            "P"
        );
        assert!(state_containing(&machine, "/StartAt").is_none());
        let offset = TEXT.find("\"Pass\"").unwrap();
        assert_eq!(
            state_at_offset(&doc, &machine, offset).as_deref(),
            Some(inner)
        );
        assert_eq!(state_at(&machine, "/States/Done").unwrap().name, "Done");
    }

    #[test]
    fn one_selection_with_a_primary_state() {
        let (a, b) = (
            StateRef::top("A"),
            StateRef::new("/States/P/Branches/0", "In"),
        );
        let mut selection = Selection::default();
        assert!(selection.is_empty() && selection.primary().is_none());
        assert_eq!(selection.pointer(), None);
        selection.set(vec![b.clone(), a.clone()]);
        assert_eq!(selection.primary(), Some(&b));
        assert_eq!(
            selection.pointer().as_deref(),
            Some("/States/P/Branches/0/States/In")
        );
        assert!(selection.contains(&a) && selection.len() == 2);
        assert_eq!(selection.toggled(&a, true), std::slice::from_ref(&b));
        assert_eq!(selection.toggled(&StateRef::top("C"), true).len(), 3);
        assert_eq!(selection.toggled(&a, false), std::slice::from_ref(&a));
        selection.set_pointer("/States/Done");
        assert_eq!(selection.states(), [StateRef::top("Done")]);
        selection.set_pointer("/StartAt");
        assert!(selection.is_empty(), "not a state's pointer");
        selection.set(vec![a]);
        selection.clear();
        assert!(selection.is_empty());
    }

    #[test]
    fn selects_a_state_name_without_quotes() {
        let (doc, machine) = parse();
        let range = name_range(&doc, "/States/Done").unwrap();
        assert_eq!(&TEXT[range], "Done");
        let inner = state_at(&machine, "/States/P/Branches/0/States/In").unwrap();
        assert_eq!(
            sibling_pointer(&machine, inner, "In").as_deref(),
            Some(inner.pointer.as_str())
        );
        let p = state_at(&machine, "/States/P").unwrap();
        assert_eq!(
            sibling_pointer(&machine, p, "Done").as_deref(),
            Some("/States/Done")
        );
        assert!(
            sibling_pointer(&machine, p, "In").is_none(),
            "not in P's scope"
        );
    }
}
