//! Reference paths (ResultPath, Choice `Variable`, ItemsPath, `*Path`
//! fields): paths limited to `.name`, `['name']` and `[n]`, so they always
//! identify a single node, and the ResultPath write.

use serde_json::{Map, Value};

use super::ast::{JsonPath, Root, SegmentKind};
use super::error::{PathEvalError, PathSyntaxError, ResultPathError};
use super::json_text::to_json_string;
use super::parser::parse;

/// The error AWS reports when a ResultPath cannot be applied to the input
/// (a step through a non-object, or through a missing/short array).
pub const RESULT_PATH_ERROR: &str = "States.ReferencePathConflict";

/// One step of a reference path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefStep {
    Field(String),
    Index(usize),
}

/// A parsed reference path.
#[derive(Debug, Clone)]
pub struct ReferencePath {
    path: JsonPath,
    steps: Vec<RefStep>,
}

impl ReferencePath {
    /// Parses a reference path, rejecting every operator that could select
    /// several nodes (or none reliably) with a message naming it.
    pub fn parse(text: &str) -> Result<Self, PathSyntaxError> {
        let path = parse(text)?;
        let mut steps = Vec::with_capacity(path.segments.len());
        for seg in &path.segments {
            let forbidden = |what: &str| {
                PathSyntaxError::new(
                    format!(
                        "A reference path cannot use {what}; only .name, ['name'] and [n] are allowed"
                    ),
                    seg.position,
                )
            };
            let step = match &seg.kind {
                SegmentKind::Property(names) => match names.as_slice() {
                    [name] => RefStep::Field(name.clone()),
                    _ => return Err(forbidden("a property union ['a','b']")),
                },
                SegmentKind::Index(indexes) => match indexes.as_slice() {
                    [i] => match usize::try_from(*i) {
                        Ok(i) => RefStep::Index(i),
                        Err(_) => return Err(forbidden("a negative index")),
                    },
                    _ => return Err(forbidden("an index union [a,b]")),
                },
                SegmentKind::Slice { .. } => return Err(forbidden("a slice [a:b]")),
                SegmentKind::Wildcard => return Err(forbidden("the wildcard '*'")),
                SegmentKind::DeepScan => return Err(forbidden("the deep scan '..'")),
                SegmentKind::Filter(_) => return Err(forbidden("a filter [?(...)]")),
                SegmentKind::Function(_) => return Err(forbidden("a function call")),
                SegmentKind::LengthOffset(_) => return Err(forbidden("a script expression")),
            };
            steps.push(step);
        }
        Ok(Self { path, steps })
    }

    pub fn root(&self) -> &Root {
        self.path.root()
    }

    pub fn steps(&self) -> &[RefStep] {
        &self.steps
    }

    pub fn source(&self) -> &str {
        self.path.source()
    }

    /// The same path as a general [`JsonPath`].
    pub fn as_json_path(&self) -> &JsonPath {
        &self.path
    }

    /// The node the path identifies in `doc`, if any.
    pub fn get<'a>(&self, doc: &'a Value) -> Option<&'a Value> {
        let mut cur = doc;
        for step in &self.steps {
            cur = match (step, cur) {
                (RefStep::Field(name), Value::Object(map)) => map.get(name)?,
                (RefStep::Index(i), Value::Array(items)) => items.get(*i)?,
                _ => return None,
            };
        }
        Some(cur)
    }

    /// Evaluates like a definite [`JsonPath`], with Jayway's messages.
    pub fn evaluate(&self, doc: &Value) -> Result<Value, PathEvalError> {
        self.path.evaluate(doc)
    }
}

impl std::fmt::Display for ReferencePath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.source())
    }
}

fn step_text(step: &RefStep) -> String {
    match step {
        RefStep::Field(name) => name.clone(),
        RefStep::Index(i) => i.to_string(),
    }
}

/// Applies a ResultPath: writes `value` into `target` at `path`.
///
/// `$` replaces the whole target. Missing intermediate fields become empty
/// objects; an existing array element can be replaced, but arrays are never
/// created or extended. A step that meets a non-object (or a missing array
/// element) fails with [`RESULT_PATH_ERROR`] and a cause naming the step and
/// the input, and `target` is left unchanged.
pub fn set(target: &mut Value, path: &ReferencePath, value: Value) -> Result<(), ResultPathError> {
    if *path.root() != Root::Input {
        return Err(ResultPathError {
            error: RESULT_PATH_ERROR.to_string(),
            cause: format!(
                "The ResultPath '{}' must start with '$' (the state input)",
                path.source()
            ),
        });
    }
    if let Some(step) = first_failing_step(target, path.steps()) {
        return Err(ResultPathError {
            error: RESULT_PATH_ERROR.to_string(),
            cause: format!(
                "Unable to apply step \"{}\" to input {}",
                step_text(step),
                to_json_string(target)
            ),
        });
    }
    let mut cur = target;
    for step in path.steps() {
        cur = match (step, cur) {
            (RefStep::Field(name), Value::Object(map)) => map
                .entry(name.clone())
                .or_insert_with(|| Value::Object(Map::new())),
            (RefStep::Index(i), Value::Array(items)) => match items.get_mut(*i) {
                Some(item) => item,
                // Unreachable after the dry run; keep the input unchanged.
                None => return Ok(()),
            },
            // Unreachable after the dry run.
            _ => return Ok(()),
        };
    }
    *cur = value;
    Ok(())
}

/// The first step that cannot be applied, found without modifying anything.
fn first_failing_step<'p>(target: &Value, steps: &'p [RefStep]) -> Option<&'p RefStep> {
    let mut cur = Some(target);
    for step in steps {
        match (step, cur) {
            // Inside objects created on the way, fields are fine.
            (RefStep::Field(_), None) => {}
            (RefStep::Field(name), Some(Value::Object(map))) => cur = map.get(name),
            (RefStep::Index(i), Some(Value::Array(items))) if *i < items.len() => {
                cur = items.get(*i);
            }
            _ => return Some(step),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rp(text: &str) -> ReferencePath {
        ReferencePath::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn accepts_simple_steps_only() {
        assert_eq!(
            rp("$.a['b'][2]").steps(),
            &[
                RefStep::Field("a".into()),
                RefStep::Field("b".into()),
                RefStep::Index(2)
            ]
        );
        assert_eq!(rp("$$.Execution.Input").root(), &Root::Context);
        assert_eq!(rp("$var.x").root(), &Root::Variable("var".into()));
        for (text, position) in [
            ("$.a[*]", 3),
            ("$..a", 1),
            ("$.a[0:2]", 3),
            ("$.a[?(@.b)]", 3),
            ("$['a','b']", 1),
            ("$.a[0,1]", 3),
            ("$.a[-1]", 3),
            ("$.a.length()", 4),
        ] {
            match ReferencePath::parse(text) {
                Ok(_) => panic!("{text} should be rejected"),
                Err(e) => {
                    assert_eq!(e.position, position, "{text}: {e}");
                    assert!(e.message.contains("reference path"), "{e}");
                }
            }
        }
        assert!(ReferencePath::parse(".guid").is_err());
        assert!(ReferencePath::parse("$...").is_err());
        assert!(ReferencePath::parse("()").is_err());
    }

    #[test]
    fn get_reads_single_nodes() {
        let doc = json!({"a": {"b": [1, 2]}});
        assert_eq!(rp("$.a.b[1]").get(&doc), Some(&json!(2)));
        assert_eq!(rp("$.a.c").get(&doc), None);
        assert_eq!(rp("$").get(&doc), Some(&doc));
    }

    #[test]
    fn set_replaces_and_creates() {
        let mut doc = json!({"a": 1});
        set(&mut doc, &rp("$.b.c"), json!("x")).unwrap();
        assert_eq!(doc, json!({"a": 1, "b": {"c": "x"}}));
        set(&mut doc, &rp("$.a"), json!(2)).unwrap();
        assert_eq!(doc, json!({"a": 2, "b": {"c": "x"}}));
        set(&mut doc, &rp("$"), json!([1])).unwrap();
        assert_eq!(doc, json!([1]));
        let mut doc = json!({"list": [{"v": 0}, {"v": 1}]});
        set(&mut doc, &rp("$.list[1].v"), json!(9)).unwrap();
        assert_eq!(doc, json!({"list": [{"v": 0}, {"v": 9}]}));
    }

    #[test]
    fn set_failures_name_the_step_and_keep_the_input() {
        let cases = [
            (
                json!("hello"),
                "$.x",
                r#"Unable to apply step "x" to input "hello""#,
            ),
            (
                json!([1, 2]),
                "$.x",
                r#"Unable to apply step "x" to input [1,2]"#,
            ),
            (
                json!({"a": "s"}),
                "$.a.b",
                r#"Unable to apply step "b" to input {"a":"s"}"#,
            ),
            (
                json!({"a": [1]}),
                "$.a[3]",
                r#"Unable to apply step "3" to input {"a":[1]}"#,
            ),
            (
                json!({}),
                "$.a[0]",
                r#"Unable to apply step "0" to input {}"#,
            ),
        ];
        for (input, path, cause) in cases {
            let mut doc = input.clone();
            let err = set(&mut doc, &rp(path), json!(1)).unwrap_err();
            assert_eq!(err.error, RESULT_PATH_ERROR);
            assert_eq!(err.cause, cause);
            assert_eq!(doc, input);
        }
    }
}
