//! Builds the nested [`LayoutInput`] from an ASL definition (`StartAt` + `States`).
//!
//! Tolerant by design: the designer lays out whatever the user is typing, so transitions to
//! missing states, malformed branches and non-object states are skipped or drawn as plain
//! boxes instead of failing.

use rustc_hash::FxHashMap as HashMap;

use serde_json::Value;

use super::geometry::Size;
use super::types::{EdgeKind, EdgeLabel, InEdge, InNode, InNodeKind, LayoutInput, Termination};

/// Deepest Parallel/Map nesting accepted by [`input_from_definition`].
pub const MAX_INPUT_DEPTH: usize = 64;

/// Sizes and label texts supplied by the canvas (which measures text).
///
/// Any `Fn(&str, &Value) -> Size` closure is a `Measure` that sizes states and keeps the
/// default label texts and label size estimate.
pub trait Measure {
    /// Box of a leaf state, or header of a Parallel/Map container.
    fn state_size(&self, name: &str, state: &Value) -> Size;

    /// Room for an edge label.
    fn label_size(&self, text: &str) -> Size {
        // Rough 7-point glyphs; the canvas should override with real text metrics.
        Size::new(text.chars().count() as f32 * 7.0 + 10.0, 18.0)
    }

    /// Label of the edge of `Choices[index]`.
    fn choice_rule_label(&self, index: usize, _rule: &Value) -> String {
        format!("Rule #{}", index + 1)
    }

    /// Label of the edge of `Catch[index]`: its error names.
    fn catch_label(&self, index: usize, catcher: &Value) -> String {
        let names: Vec<&str> = catcher
            .get("ErrorEquals")
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if names.is_empty() {
            format!("Catch #{}", index + 1)
        } else {
            names.join(", ")
        }
    }
}

impl<F> Measure for F
where
    F: Fn(&str, &Value) -> Size,
{
    fn state_size(&self, name: &str, state: &Value) -> Size {
        self(name, state)
    }
}

/// Why a definition could not be turned into a layout input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("the state machine definition is not a JSON object")]
    NotAnObject,
    #[error("Parallel/Map states are nested more than {limit} levels deep")]
    TooDeep { limit: usize },
}

/// Builds the layout input of a whole state machine, nested containers included.
pub fn input_from_definition(
    def: &Value,
    measure: &dyn Measure,
) -> Result<LayoutInput, InputError> {
    if !def.is_object() {
        return Err(InputError::NotAnObject);
    }
    graph_from(def, measure, 0)
}

fn graph_from(def: &Value, measure: &dyn Measure, depth: usize) -> Result<LayoutInput, InputError> {
    if depth > MAX_INPUT_DEPTH {
        return Err(InputError::TooDeep {
            limit: MAX_INPUT_DEPTH,
        });
    }
    let Some(states) = def.get("States").and_then(Value::as_object) else {
        return Ok(LayoutInput::default());
    };
    let positions: HashMap<&str, usize> = states
        .keys()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let index_of = |name: &str| positions.get(name).copied();

    let mut input = LayoutInput {
        start: def
            .get("StartAt")
            .and_then(Value::as_str)
            .and_then(index_of),
        ..LayoutInput::default()
    };
    for (name, state) in states {
        input.nodes.push(InNode {
            id: name.clone(),
            size: measure.state_size(name, state).sanitized(),
            kind: kind_of(state, measure, depth)?,
            termination: termination_of(state),
        });
    }
    for (from, state) in states.values().enumerate() {
        collect_edges(from, state, measure, &index_of, &mut input.edges);
    }
    Ok(input)
}

fn kind_of(state: &Value, measure: &dyn Measure, depth: usize) -> Result<InNodeKind, InputError> {
    match state.get("Type").and_then(Value::as_str) {
        Some("Parallel") => {
            let mut branches = Vec::new();
            for branch in state
                .get("Branches")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                branches.push(graph_from(branch, measure, depth + 1)?);
            }
            Ok(InNodeKind::Parallel { branches })
        }
        Some("Map") => {
            let processor = state
                .get("ItemProcessor")
                .or_else(|| state.get("Iterator"))
                .map(|p| graph_from(p, measure, depth + 1))
                .transpose()?
                .unwrap_or_default();
            Ok(InNodeKind::Map { processor })
        }
        _ => Ok(InNodeKind::Leaf),
    }
}

fn termination_of(state: &Value) -> Termination {
    match state.get("Type").and_then(Value::as_str) {
        Some("Succeed") => Termination::End,
        Some("Fail") => Termination::Fail,
        _ if state.get("End").and_then(Value::as_bool) == Some(true) => Termination::End,
        _ => Termination::None,
    }
}

fn collect_edges(
    from: usize,
    state: &Value,
    measure: &dyn Measure,
    index_of: &dyn Fn(&str) -> Option<usize>,
    edges: &mut Vec<InEdge>,
) {
    let target = |v: &Value| v.get("Next").and_then(Value::as_str).and_then(index_of);
    let labelled = |text: String| {
        let size = measure.label_size(&text).sanitized();
        Some(EdgeLabel { text, size })
    };

    if let Some(to) = target(state) {
        edges.push(InEdge {
            from,
            to,
            kind: EdgeKind::Next,
            label: None,
        });
    }
    let choices = state.get("Choices").and_then(Value::as_array);
    for (index, rule) in choices.into_iter().flatten().enumerate() {
        if let Some(to) = target(rule) {
            edges.push(InEdge {
                from,
                to,
                kind: EdgeKind::ChoiceRule { index },
                label: labelled(measure.choice_rule_label(index, rule)),
            });
        }
    }
    if let Some(to) = state
        .get("Default")
        .and_then(Value::as_str)
        .and_then(index_of)
    {
        edges.push(InEdge {
            from,
            to,
            kind: EdgeKind::ChoiceDefault,
            label: labelled("Default".to_string()),
        });
    }
    let catchers = state.get("Catch").and_then(Value::as_array);
    for (index, catcher) in catchers.into_iter().flatten().enumerate() {
        if let Some(to) = target(catcher) {
            edges.push(InEdge {
                from,
                to,
                kind: EdgeKind::Catch { index },
                label: labelled(measure.catch_label(index, catcher)),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fixed(_: &str, _: &Value) -> Size {
        Size::new(100.0, 40.0)
    }

    #[test]
    fn builds_edges_of_every_kind_with_labels() {
        let def = json!({
            "StartAt": "A",
            "States": {
                "A": {"Type": "Task", "Next": "B",
                      "Catch": [{"ErrorEquals": ["States.Timeout", "States.TaskFailed"], "Next": "F"}]},
                "B": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "A"}],
                      "Default": "S"},
                "S": {"Type": "Succeed"},
                "F": {"Type": "Fail"}
            }
        });
        let input = input_from_definition(&def, &fixed).unwrap();
        assert_eq!(input.start, Some(0));
        assert_eq!(input.nodes.len(), 4);
        let kinds: Vec<(usize, usize, EdgeKind)> =
            input.edges.iter().map(|e| (e.from, e.to, e.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                (0, 1, EdgeKind::Next),
                (0, 3, EdgeKind::Catch { index: 0 }),
                (1, 0, EdgeKind::ChoiceRule { index: 0 }),
                (1, 2, EdgeKind::ChoiceDefault),
            ]
        );
        let label = |i: usize| input.edges[i].label.as_ref().map(|l| l.text.clone());
        assert_eq!(
            label(1).as_deref(),
            Some("States.Timeout, States.TaskFailed")
        );
        assert_eq!(label(2).as_deref(), Some("Rule #1"));
        assert_eq!(label(3).as_deref(), Some("Default"));
        assert_eq!(input.nodes[2].termination, Termination::End);
        assert_eq!(input.nodes[3].termination, Termination::Fail);
    }

    #[test]
    fn nests_parallel_branches_and_map_processors() {
        let def = json!({
            "StartAt": "P",
            "States": {
                "P": {"Type": "Parallel", "End": true, "Branches": [
                    {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}}},
                    {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
                        "Iterator": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}}}}
                ]}
            }
        });
        let input = input_from_definition(&def, &fixed).unwrap();
        let InNodeKind::Parallel { branches } = &input.nodes[0].kind else {
            panic!("expected a Parallel");
        };
        assert_eq!(branches.len(), 2);
        let InNodeKind::Map { processor } = &branches[1].nodes[0].kind else {
            panic!("expected a Map");
        };
        assert_eq!(processor.nodes[0].id, "I");
        assert_eq!(processor.start, Some(0));
    }

    #[test]
    fn broken_definitions_are_tolerated() {
        let def = json!({
            "StartAt": "Nowhere",
            "States": {
                "A": {"Type": "Task", "Next": "Missing", "Catch": "oops",
                      "Choices": [1, {"Next": 3}]},
                "B": "not an object",
                "P": {"Type": "Parallel", "Branches": [{"States": 5}, "x"]},
                "M": {"Type": "Map"}
            }
        });
        let input = input_from_definition(&def, &fixed).unwrap();
        assert_eq!(input.start, None);
        assert!(input.edges.is_empty());
        assert_eq!(input.nodes.len(), 4);
        assert!(
            matches!(&input.nodes[2].kind, InNodeKind::Parallel { branches } if branches.len() == 2)
        );
        assert!(input_from_definition(&json!([1, 2]), &fixed).is_err());
    }

    #[test]
    fn nesting_depth_is_bounded() {
        let mut def = json!({"StartAt": "L", "States": {"L": {"Type": "Pass", "End": true}}});
        for _ in 0..(MAX_INPUT_DEPTH + 2) {
            def = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemProcessor": def}}});
        }
        assert_eq!(
            input_from_definition(&def, &fixed),
            Err(InputError::TooDeep {
                limit: MAX_INPUT_DEPTH
            })
        );
    }

    #[test]
    fn bad_sizes_are_sanitized() {
        let def = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}});
        let nan = |_: &str, _: &Value| Size::new(f32::NAN, -1.0);
        let input = input_from_definition(&def, &nan).unwrap();
        assert_eq!(input.nodes[0].size, Size::new(0.0, 0.0));
    }
}
