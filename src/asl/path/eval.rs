//! Path evaluation with Jayway semantics, as Step Functions applies them.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::ast::{JsonPath, Root, SegmentKind, fragment};
use super::error::PathEvalError;
use super::filter_eval::{FilterScope, accepts};
use super::functions::apply_function;
use super::json_text::to_json_string;
use super::scan::scan;

/// The documents a path can start from.
#[derive(Debug, Clone, Copy)]
pub struct Documents<'a> {
    /// What `$` refers to (the state input, or the effective input).
    pub input: &'a Value,
    /// What `$$` refers to.
    pub context: Option<&'a Value>,
    /// Workflow variables, for `$name` paths.
    pub variables: Option<&'a Map<String, Value>>,
}

impl JsonPath {
    /// Evaluates the path on `doc`, whatever its root: the caller passes the
    /// input for `$`, the context object for `$$` or a variable's value for
    /// `$name`.
    ///
    /// A definite path yields its single value or [`PathEvalError::NotFound`];
    /// an indefinite path yields a JSON array of its matches, possibly empty
    /// (Step Functions never fails an indefinite path).
    pub fn evaluate(&self, doc: &Value) -> Result<Value, PathEvalError> {
        let found = select_from(self, doc, doc);
        if self.is_definite() {
            let mut found = found?;
            if found.is_empty() {
                return Err(self.not_found());
            }
            Ok(found.swap_remove(0).into_owned())
        } else {
            let items = found
                .map(|f| f.into_iter().map(Cow::into_owned).collect())
                .unwrap_or_default();
            Ok(Value::Array(items))
        }
    }

    /// Like [`JsonPath::evaluate`], picking the document from the root.
    pub fn evaluate_in(&self, docs: &Documents<'_>) -> Result<Value, PathEvalError> {
        match &self.root {
            Root::Input | Root::Current => self.evaluate(docs.input),
            Root::Context => match docs.context {
                Some(ctx) => self.evaluate(ctx),
                None => Err(PathEvalError::NoContext {
                    path: self.source.clone(),
                }),
            },
            Root::Variable(name) => match docs.variables.and_then(|vars| vars.get(name)) {
                Some(value) => self.evaluate(value),
                None => Err(PathEvalError::UndefinedVariable { name: name.clone() }),
            },
        }
    }

    /// All nodes the path matches, in Jayway's order. Fails only where Jayway
    /// throws for a definite prefix (missing intermediate property, index on
    /// a non-array, path function error).
    pub fn select<'a>(&self, doc: &'a Value) -> Result<Vec<Cow<'a, Value>>, PathEvalError> {
        select_from(self, doc, doc)
    }

    fn not_found(&self) -> PathEvalError {
        let normalized = self.normalized();
        PathEvalError::NotFound {
            path: self.source.clone(),
            message: format!("No results for path: {normalized}"),
            normalized,
        }
    }
}

/// Whether one step selects at most one node (Jayway's `isTokenDefinite`).
fn token_definite(kind: &SegmentKind, leaf: bool) -> bool {
    match kind {
        SegmentKind::Property(names) => names.len() == 1 || leaf,
        SegmentKind::Index(indexes) => indexes.len() == 1,
        SegmentKind::Function(_) | SegmentKind::LengthOffset(_) => true,
        _ => false,
    }
}

/// Everything needed to apply one step.
pub(super) struct StepCtx<'p, 'r> {
    pub(super) path: &'p JsonPath,
    pub(super) index: usize,
    pub(super) leaf: bool,
    pub(super) upstream_definite: bool,
    pub(super) root: &'r Value,
}

impl StepCtx<'_, '_> {
    /// Jayway's `evalPath` of this step, for error messages.
    fn eval_path(&self) -> String {
        self.path.normalized_prefix(self.index + 1)
    }

    fn current_path(&self) -> String {
        self.path.normalized_prefix(self.index)
    }

    fn not_found(&self, message: String) -> PathEvalError {
        PathEvalError::NotFound {
            path: self.path.source.clone(),
            normalized: self.path.normalized(),
            message,
        }
    }
}

/// Evaluates `path` starting at `start`; `root` is what `$` means inside
/// filters.
pub(crate) fn select_from<'a>(
    path: &JsonPath,
    start: &'a Value,
    root: &'a Value,
) -> Result<Vec<Cow<'a, Value>>, PathEvalError> {
    let segments = &path.segments;
    let mut current: Vec<Cow<'a, Value>> = vec![Cow::Borrowed(start)];
    let mut upstream_definite = true;
    let mut i = 0;
    while let Some(seg) = segments.get(i) {
        let mut next = Vec::new();
        if let SegmentKind::DeepScan = seg.kind {
            // The parser guarantees a step after `..`.
            let Some(target) = segments.get(i + 1) else {
                break;
            };
            let ctx = StepCtx {
                path,
                index: i + 1,
                leaf: i + 2 == segments.len(),
                upstream_definite: false,
                root,
            };
            for node in current {
                with_node(node, &mut next, |v, out| scan(v, target, &ctx, out))?;
            }
            upstream_definite = false;
            current = next;
            i += 2;
            continue;
        }
        let ctx = StepCtx {
            path,
            index: i,
            leaf: i + 1 == segments.len(),
            upstream_definite,
            root,
        };
        for node in current {
            with_node(node, &mut next, |v, out| apply(&seg.kind, v, &ctx, out))?;
        }
        upstream_definite = upstream_definite && token_definite(&seg.kind, ctx.leaf);
        current = next;
        i += 1;
    }
    Ok(current)
}

/// Runs `f` on a node, keeping borrowed results borrowed and cloning the
/// results of owned nodes (results of functions or property merges).
fn with_node<'a>(
    node: Cow<'a, Value>,
    out: &mut Vec<Cow<'a, Value>>,
    f: impl for<'b> Fn(&'b Value, &mut Vec<Cow<'b, Value>>) -> Result<(), PathEvalError>,
) -> Result<(), PathEvalError> {
    match node {
        Cow::Borrowed(v) => f(v, out),
        Cow::Owned(v) => {
            let mut local = Vec::new();
            f(&v, &mut local)?;
            out.extend(local.into_iter().map(|c| Cow::Owned(c.into_owned())));
            Ok(())
        }
    }
}

/// Java class names Jayway prints in its messages.
fn java_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "java.lang.Boolean",
        Value::Number(n) if n.is_f64() => "java.lang.Double",
        Value::Number(_) => "java.lang.Integer",
        Value::String(_) => "java.lang.String",
        Value::Array(_) => "net.minidev.json.JSONArray",
        Value::Object(_) => "net.minidev.json.JSONObject",
    }
}

/// Applies one (non-scan) step to one node.
pub(super) fn apply<'b>(
    kind: &SegmentKind,
    node: &'b Value,
    ctx: &StepCtx<'_, '_>,
    out: &mut Vec<Cow<'b, Value>>,
) -> Result<(), PathEvalError> {
    match kind {
        SegmentKind::Property(names) => apply_property(names, node, ctx, out),
        SegmentKind::Index(indexes) => {
            let Some(items) = array_model(node, kind, ctx)? else {
                return Ok(());
            };
            for &idx in indexes {
                push_index(items, idx, out);
            }
            Ok(())
        }
        SegmentKind::Slice { start, end, .. } => {
            let Some(items) = array_model(node, kind, ctx)? else {
                return Ok(());
            };
            slice(items, *start, *end, out);
            Ok(())
        }
        SegmentKind::LengthOffset(n) => {
            let Some(items) = array_model(node, kind, ctx)? else {
                return Ok(());
            };
            push_index(items, -*n, out);
            Ok(())
        }
        SegmentKind::Wildcard => {
            match node {
                Value::Object(map) => out.extend(map.values().map(Cow::Borrowed)),
                Value::Array(items) => out.extend(items.iter().map(Cow::Borrowed)),
                _ => {}
            }
            Ok(())
        }
        SegmentKind::Filter(expr) => {
            let accepted = |current: &Value| {
                accepts(
                    expr,
                    &FilterScope {
                        current,
                        root: ctx.root,
                    },
                )
            };
            match node {
                Value::Object(_) if accepted(node) => out.push(Cow::Borrowed(node)),
                Value::Array(items) => {
                    out.extend(
                        items
                            .iter()
                            .filter(|item| accepted(item))
                            .map(Cow::Borrowed),
                    );
                }
                _ => {}
            }
            Ok(())
        }
        SegmentKind::Function(func) => {
            let value = apply_function(func, node, ctx.root)
                .map_err(|message| PathEvalError::Function { message })?;
            out.push(Cow::Owned(value));
            Ok(())
        }
        SegmentKind::DeepScan => Ok(()),
    }
}

fn apply_property<'b>(
    names: &[String],
    node: &'b Value,
    ctx: &StepCtx<'_, '_>,
    out: &mut Vec<Cow<'b, Value>>,
) -> Result<(), PathEvalError> {
    let Value::Object(map) = node else {
        if ctx.upstream_definite {
            return Err(ctx.not_found(format!(
                "Expected to find an object with property {} in path {} but found '{}'. This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'.",
                fragment(&SegmentKind::Property(names.to_vec())),
                ctx.current_path(),
                java_type(node)
            )));
        }
        return Ok(());
    };
    if names.len() > 1 && ctx.leaf {
        // Jayway merges a leaf property union into one object.
        let mut merged = Map::new();
        for name in names {
            if let Some(v) = map.get(name) {
                merged.insert(name.clone(), v.clone());
            }
        }
        out.push(Cow::Owned(Value::Object(merged)));
        return Ok(());
    }
    for name in names {
        match map.get(name) {
            Some(v) => out.push(Cow::Borrowed(v)),
            None if !ctx.leaf && names.len() == 1 && ctx.upstream_definite => {
                return Err(ctx.not_found(format!("Missing property in path {}", ctx.eval_path())));
            }
            None => {}
        }
    }
    Ok(())
}

/// Jayway's `checkArrayModel`: the node an index or slice applies to.
fn array_model<'b>(
    node: &'b Value,
    kind: &SegmentKind,
    ctx: &StepCtx<'_, '_>,
) -> Result<Option<&'b Vec<Value>>, PathEvalError> {
    match node {
        Value::Array(items) => Ok(Some(items)),
        Value::Null if ctx.upstream_definite => {
            Err(ctx.not_found(format!("The path {} is null", ctx.current_path())))
        }
        other if ctx.upstream_definite => Err(ctx.not_found(format!(
            "Filter: {} can only be applied to arrays. Current context is: {}",
            fragment(kind),
            to_json_string(other)
        ))),
        _ => Ok(None),
    }
}

/// Jayway's `handleArrayIndex`: negative indexes count from the end,
/// out-of-range ones select nothing.
fn push_index<'b>(items: &'b [Value], idx: i64, out: &mut Vec<Cow<'b, Value>>) {
    let len = items.len() as i64;
    let effective = if idx < 0 { len + idx } else { idx };
    if effective >= 0
        && let Some(v) = items.get(effective as usize)
    {
        out.push(Cow::Borrowed(v));
    }
}

/// Jayway's slice operations (`[a:]`, `[a:b]`, `[:b]`), quirks included:
/// a negative end in `[a:b]` selects nothing, and the step is ignored.
fn slice<'b>(
    items: &'b [Value],
    start: Option<i64>,
    end: Option<i64>,
    out: &mut Vec<Cow<'b, Value>>,
) {
    let len = items.len() as i64;
    match (start, end) {
        (Some(from), None) => {
            let from = if from < 0 { len + from } else { from }.max(0);
            for i in from..len {
                push_index(items, i, out);
            }
        }
        (Some(from), Some(to)) => {
            let to = to.min(len);
            if from >= to || len == 0 {
                return;
            }
            for i in from..to {
                push_index(items, i, out);
            }
        }
        (None, Some(to)) => {
            if len == 0 {
                return;
            }
            let to = if to < 0 { len + to } else { to }.min(len);
            for i in 0..to {
                push_index(items, i, out);
            }
        }
        (None, None) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;
    use serde_json::json;

    fn eval(path: &str, doc: &Value) -> Result<Value, PathEvalError> {
        parse(path)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .evaluate(doc)
    }

    fn ok(path: &str, doc: &Value) -> Value {
        eval(path, doc).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn items() -> Value {
        json!({"items": [{"v": 0}, {"v": 1}, {"v": 2}, {"v": 3}, {"v": 4}]})
    }

    #[test]
    fn definite_paths() {
        let doc = json!({"a": {"b": [10, 20, 30]}, "n": null, "delivery-partner": "x"});
        assert_eq!(ok("$", &doc), doc);
        assert_eq!(ok("$.a.b[1]", &doc), json!(20));
        assert_eq!(ok("$.a.b[-1]", &doc), json!(30));
        assert_eq!(ok("$['a']['b'][0]", &doc), json!(10));
        assert_eq!(ok("$.n", &doc), Value::Null);
        assert_eq!(ok("$.delivery-partner", &doc), json!("x"));
        assert_eq!(
            ok("$['a','n']", &doc),
            json!({"a": {"b": [10, 20, 30]}, "n": null})
        );
    }

    #[test]
    fn definite_paths_not_found() {
        let doc = json!({"a": {"b": [10, 20, 30]}, "s": "str", "n": null});
        let message = |p: &str| match eval(p, &doc) {
            Err(PathEvalError::NotFound { message, .. }) => message,
            other => panic!("{p}: {other:?}"),
        };
        assert_eq!(
            message("$.NoSuchInputPath"),
            "No results for path: $['NoSuchInputPath']"
        );
        assert_eq!(message("$.a.b[3]"), "No results for path: $['a']['b'][3]");
        assert_eq!(message("$.a.b[-4]"), "No results for path: $['a']['b'][-4]");
        assert_eq!(message("$.x.y"), "Missing property in path $['x']");
        assert_eq!(message("$.n[0]"), "The path $['n'] is null");
        assert!(
            message("$.s.x")
                .starts_with("Expected to find an object with property ['x'] in path $['s']")
        );
        assert!(message("$.s[0]").starts_with("Filter: [0] can only be applied to arrays"));
    }

    #[test]
    fn indefinite_paths_never_fail() {
        let empty = json!({});
        for p in [
            "$[*]",
            "$.item.items[:1]",
            "$.item.items[1:5]",
            "$.item.items[1:5].itemValue",
            "$.items[*].itemValue",
            "$.items[1:]",
            "$.items[:1].itemValue",
            "$..x",
            "$.a[?(@.b)]",
        ] {
            assert_eq!(ok(p, &empty), json!([]), "{p}");
        }
        assert_eq!(ok("$[*]", &json!("scalar")), json!([]));
        assert_eq!(ok("$.a[0,5]", &json!({"a": [1]})), json!([1]));
    }

    #[test]
    fn slices_follow_jayway() {
        let doc = json!([0, 1, 2, 3, 4]);
        assert_eq!(ok("$[1:3]", &doc), json!([1, 2]));
        assert_eq!(ok("$[2:]", &doc), json!([2, 3, 4]));
        assert_eq!(ok("$[-2:]", &doc), json!([3, 4]));
        assert_eq!(ok("$[:2]", &doc), json!([0, 1]));
        assert_eq!(ok("$[:-2]", &doc), json!([0, 1, 2]));
        assert_eq!(ok("$[1:100]", &doc), json!([1, 2, 3, 4]));
        // Jayway quirks: a negative end in [a:b] is empty, the step is ignored.
        assert_eq!(ok("$[1:-1]", &doc), json!([]));
        assert_eq!(ok("$[0:4:2]", &doc), json!([0, 1, 2, 3]));
        assert_eq!(ok("$[-3:-1]", &doc), json!([2, 3]));
    }

    #[test]
    fn wildcards_and_missing_leaves() {
        let doc = items();
        assert_eq!(ok("$.items[*].v", &doc), json!([0, 1, 2, 3, 4]));
        assert_eq!(ok("$.items[1:3].v", &doc), json!([1, 2]));
        assert_eq!(ok("$.items[0].*", &doc), json!([0]));
        let mixed = json!({"a": [{"x": 1}, {"y": 2}, {"x": 3}]});
        assert_eq!(ok("$.a[*].x", &mixed), json!([1, 3]));
    }

    #[test]
    fn unions_and_wildcards_on_objects() {
        let doc = json!({"a": {"x": 1}, "b": {"x": 2}, "c": {"y": 3}});
        assert_eq!(ok("$['a','b'].x", &doc), json!([1, 2]));
        assert_eq!(ok("$['a','c'].x", &doc), json!([1]));
        assert_eq!(ok("$.*.x", &doc), json!([1, 2]));
        assert_eq!(ok("$['a','zz']", &doc), json!({"a": {"x": 1}}));
        assert_eq!(ok("$..['x','y']", &doc), json!([]));
        assert_eq!(ok("$.c['y']", &doc), json!(3));
    }

    #[test]
    fn unusual_property_names() {
        let doc = json!({"a:b": 1, "café": 2, "x y": 3, "$": 4});
        assert_eq!(ok("$.a:b", &doc), json!(1));
        assert_eq!(ok("$.café", &doc), json!(2));
        assert_eq!(ok("$['x y']", &doc), json!(3));
        assert_eq!(ok("$['$']", &doc), json!(4));
    }

    #[test]
    fn null_and_scalar_inputs() {
        assert_eq!(ok("$", &Value::Null), Value::Null);
        assert_eq!(ok("$[*]", &Value::Null), json!([]));
        assert!(matches!(
            eval("$.a", &Value::Null),
            Err(PathEvalError::NotFound { .. })
        ));
        assert!(matches!(
            eval("$[0]", &json!("s")),
            Err(PathEvalError::NotFound { .. })
        ));
        assert_eq!(ok("$", &json!("s")), json!("s"));
    }

    #[test]
    fn length_offset_extension() {
        assert_eq!(
            ok("$[(@.length-1)].bar", &json!([{"bar": 1}, {"bar": 2}])),
            json!(2)
        );
    }

    #[test]
    fn documents_pick_the_root() {
        let input = json!({"a": 1});
        let ctx = json!({"Execution": {"Name": "exec"}});
        let mut vars = Map::new();
        vars.insert("v".into(), json!({"x": [5]}));
        let docs = Documents {
            input: &input,
            context: Some(&ctx),
            variables: Some(&vars),
        };
        let run = |p: &str| parse(p).unwrap().evaluate_in(&docs);
        assert_eq!(run("$.a").unwrap(), json!(1));
        assert_eq!(run("$$.Execution.Name").unwrap(), json!("exec"));
        assert_eq!(run("$v.x[0]").unwrap(), json!(5));
        assert!(matches!(
            run("$nope"),
            Err(PathEvalError::UndefinedVariable { .. })
        ));
    }
}
