//! Deep scan (`..`), with Jayway's traversal order and quirks.

use std::borrow::Cow;

use serde_json::Value;

use super::ast::{Segment, SegmentKind};
use super::error::PathEvalError;
use super::eval::{StepCtx, apply};
use super::filter_eval::{FilterScope, accepts};

/// Deep scan (`..target`): visits the node and its descendants in document
/// order and applies `target` where Jayway's scan predicate matches.
pub(super) fn scan<'b>(
    start: &'b Value,
    target: &Segment,
    ctx: &StepCtx<'_, '_>,
    out: &mut Vec<Cow<'b, Value>>,
) -> Result<(), PathEvalError> {
    let mut stack: Vec<&'b Value> = vec![start];
    while let Some(node) = stack.pop() {
        // Like Jayway's walk, scalars are never scan candidates.
        if !(node.is_object() || node.is_array()) {
            continue;
        }
        if scan_matches(&target.kind, node, ctx) {
            match node {
                // Jayway applies the step after the target directly to the
                // elements of a matching array (the target itself is skipped).
                Value::Array(items) if !ctx.leaf => out.extend(items.iter().map(Cow::Borrowed)),
                _ => apply(&target.kind, node, ctx, out)?,
            }
        }
        match node {
            Value::Object(map) => stack.extend(map.values().rev()),
            Value::Array(items) => stack.extend(items.iter().rev()),
            _ => {}
        }
    }
    Ok(())
}

fn scan_matches(kind: &SegmentKind, node: &Value, ctx: &StepCtx<'_, '_>) -> bool {
    match kind {
        SegmentKind::Property(names) => match node {
            Value::Object(map) => {
                (names.len() > 1 && !ctx.leaf) || names.iter().all(|n| map.contains_key(n))
            }
            _ => false,
        },
        SegmentKind::Index(_) | SegmentKind::Slice { .. } | SegmentKind::LengthOffset(_) => {
            node.is_array()
        }
        SegmentKind::Wildcard => true,
        SegmentKind::Filter(expr) => accepts(
            expr,
            &FilterScope {
                current: node,
                root: ctx.root,
            },
        ),
        SegmentKind::Function(_) | SegmentKind::DeepScan => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use serde_json::{Value, json};

    fn ok(path: &str, doc: &Value) -> Value {
        parse(path)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .evaluate(doc)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn deep_scan_order_and_targets() {
        let doc = json!({"a": {"x": 1, "b": {"x": 2}}, "c": [{"x": 3}, {"y": {"x": 4}}], "x": 0});
        assert_eq!(ok("$..x", &doc), json!([0, 1, 2, 3, 4]));
        assert_eq!(ok("$..[?(@.x > 1)].x", &doc), json!([2, 3, 4]));
        assert_eq!(ok("$..*", &json!({"a": {"b": 1}})), json!([{"b": 1}, 1]));
        assert_eq!(
            ok("$..[0]", &json!({"a": [1, 2], "b": {"c": [3]}})),
            json!([1, 3])
        );
    }

    #[test]
    fn scan_skips_the_target_on_matching_arrays() {
        // Jayway quirk: for `..[0].x` a matching array hands *all* its
        // elements to `.x`, not only element 0.
        let doc = json!({"a": [{"x": 1}, {"x": 2}]});
        assert_eq!(ok("$..[0].x", &doc), json!([1, 2]));
    }
}
