//! Reading a workflow's graph: transitions, names, nested graphs.

use super::{GraphEditError, Slot, StateRef, states_pointer};
use crate::asl::document::{Document, NodeKind, pointer};
use rustc_hash::FxHashSet;
use serde_json::{Map, Value};

/// The longest state name AWS accepts.
pub const MAX_NAME_CHARS: usize = 80;

/// Every transition of a state, in the order they appear in ASL.
pub fn transitions(state: &Value) -> Vec<(Slot, String)> {
    let mut out = Vec::new();
    if let Some(next) = state.get("Next").and_then(Value::as_str) {
        out.push((Slot::Next, next.to_string()));
    }
    if let Some(rules) = state.get("Choices").and_then(Value::as_array) {
        for (index, rule) in rules.iter().enumerate() {
            if let Some(next) = rule.get("Next").and_then(Value::as_str) {
                out.push((Slot::Rule(index), next.to_string()));
            }
        }
    }
    if let Some(default) = state.get("Default").and_then(Value::as_str) {
        out.push((Slot::Default, default.to_string()));
    }
    if let Some(catchers) = state.get("Catch").and_then(Value::as_array) {
        for (index, catcher) in catchers.iter().enumerate() {
            if let Some(next) = catcher.get("Next").and_then(Value::as_str) {
                out.push((Slot::Catch(index), next.to_string()));
            }
        }
    }
    out
}

/// The state a flow continues to when this one is taken out of it: its `Next`, or for a
/// Choice its `Default` (else its first rule's target).
pub(super) fn primary_successor(state: &Value) -> Option<String> {
    if let Some(next) = state.get("Next").and_then(Value::as_str) {
        return Some(next.to_string());
    }
    if state_type(state) != "Choice" {
        return None;
    }
    state
        .get("Default")
        .and_then(Value::as_str)
        .or_else(|| {
            state
                .get("Choices")
                .and_then(Value::as_array)
                .and_then(|rules| rules.iter().find_map(|r| r.get("Next")?.as_str()))
        })
        .map(str::to_string)
}

pub(super) fn state_type(state: &Value) -> &str {
    state.get("Type").and_then(Value::as_str).unwrap_or("")
}

/// Whether a state of this type may have `Next`/`End` (all but Choice, Succeed and Fail).
pub(super) fn takes_next(state: &Value) -> bool {
    !matches!(state_type(state), "Choice" | "Succeed" | "Fail")
}

/// The key of a Map state's item processor (`ItemProcessor`, or the older `Iterator`).
pub fn processor_key(map_state: &Value) -> Option<&'static str> {
    if map_state.get("ItemProcessor").is_some() {
        Some("ItemProcessor")
    } else if map_state.get("Iterator").is_some() {
        Some("Iterator")
    } else {
        None
    }
}

/// The nested graphs of a state (Parallel branches, a Map's processor) as relative pointers.
pub(super) fn child_scopes(state: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(branches) = state.get("Branches").and_then(Value::as_array) {
        out.extend((0..branches.len()).map(|i| format!("/Branches/{i}")));
    }
    if let Some(key) = processor_key(state) {
        out.push(format!("/{key}"));
    }
    out
}

/// Every state name in a definition, nested graphs included (ASL wants them all distinct).
pub fn all_state_names(definition: &Value) -> FxHashSet<String> {
    let mut names = FxHashSet::default();
    collect_names(definition, &mut names, 0);
    names
}

fn collect_names(graph: &Value, names: &mut FxHashSet<String>, depth: usize) {
    // Nesting deeper than this is refused by the validator anyway; stop rather than recurse.
    if depth > 256 {
        return;
    }
    let Some(states) = graph.get("States").and_then(Value::as_object) else {
        return;
    };
    for (name, state) in states {
        names.insert(name.clone());
        for child in child_scopes(state) {
            if let Some(graph) = state.pointer(&child) {
                collect_names(graph, names, depth + 1);
            }
        }
    }
}

/// `base`, or `base (1)`, `base (2)`… — the first name nobody uses (at most 80 characters).
pub fn unique_name(taken: &FxHashSet<String>, base: &str) -> String {
    let base = match base.trim() {
        "" => "State",
        trimmed => trimmed,
    };
    let first = truncate_chars(base, MAX_NAME_CHARS);
    if !taken.contains(&first) {
        return first;
    }
    let stem = strip_counter(base);
    (1..)
        .map(|n| {
            let suffix = format!(" ({n})");
            let room = MAX_NAME_CHARS.saturating_sub(suffix.chars().count());
            format!("{}{suffix}", truncate_chars(stem, room))
        })
        .find(|name| !taken.contains(name))
        .unwrap_or_default()
}

/// "Pass (3)" → "Pass", so duplicating a copy counts on instead of nesting counters.
fn strip_counter(name: &str) -> &str {
    let Some(open) = name.strip_suffix(')').and_then(|rest| rest.rfind(" (")) else {
        return name;
    };
    let digits = &name[open + 2..name.len() - 1];
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        &name[..open]
    } else {
        name
    }
}

fn truncate_chars(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// The `States` object of a graph.
pub(super) fn scope_states<'v>(
    definition: &'v Value,
    scope: &str,
) -> Result<&'v Map<String, Value>, GraphEditError> {
    definition
        .pointer(&states_pointer(scope))
        .and_then(Value::as_object)
        .ok_or_else(|| GraphEditError::NoSuchScope(display_scope(scope)))
}

pub(super) fn display_scope(scope: &str) -> String {
    if scope.is_empty() {
        "the workflow".to_string()
    } else {
        scope.to_string()
    }
}

/// A state's value.
pub(super) fn state_value<'v>(
    definition: &'v Value,
    state: &StateRef,
) -> Result<&'v Value, GraphEditError> {
    scope_states(definition, &state.scope)?
        .get(&state.name)
        .ok_or_else(|| GraphEditError::NoSuchState(state.name.clone()))
}

/// The position of a member in the text order of an object.
pub(super) fn member_index(doc: &Document, object: &str, key: &str) -> Option<usize> {
    match &doc.node(object)?.kind {
        NodeKind::Object(members) => members.iter().rposition(|m| m.key == key),
        _ => None,
    }
}

/// Whether `inner` is `outer` or lies inside it.
pub(super) fn is_within(inner: &str, outer: &str) -> bool {
    inner == outer
        || inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The pointer of a transition slot of a state.
pub(super) fn slot_pointer(state: &StateRef, slot: Slot) -> String {
    let base = state.pointer();
    match slot {
        Slot::Start => pointer::join(&state.scope, "StartAt"),
        Slot::Next => pointer::join(&base, "Next"),
        Slot::Default => pointer::join(&base, "Default"),
        Slot::Rule(i) => format!("{base}/Choices/{i}/Next"),
        Slot::Catch(i) => format!("{base}/Catch/{i}/Next"),
    }
}
