//! The documents a JSONPath state passes from stage to stage (effective input, Parameters,
//! result, ResultPath), kept symbolic so that a later path into them can be resolved at
//! conversion time: `$.validation.orderId` after `"ResultPath": "$.validation"` is simply
//! the ResultSelector's `orderId` expression.

use serde_json::{Map as JsonMap, Value};

use super::expr::{self, Expr, Ty};
use super::{ConvertError, Cx, intrinsic, path};
use crate::asl::document::pointer;
use crate::asl::intrinsics::{is_intrinsic_call, parse_intrinsic};
use crate::asl::is_jsonata_text;
use crate::asl::path::{JsonPath, Root, SegmentKind};

/// A JSON document as a JSONata state can compute it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Doc {
    /// `$states.input`: the raw state input.
    Input,
    /// `$states.result`: the task, branch or iteration result.
    Result,
    /// `$states.errorOutput`: what a catcher receives.
    ErrorOutput,
    Expr(Expr),
    Literal(Value),
    Object(Vec<(String, Doc)>),
    Array(Vec<Doc>),
    /// `base` with `key` set to `value` (a ResultPath step).
    Merge {
        base: Box<Doc>,
        key: String,
        value: Box<Doc>,
    },
}

impl Doc {
    /// The document as one JSONata expression.
    pub fn render(&self) -> Expr {
        match self {
            Doc::Input => Expr::atom("$states.input", Ty::Unknown),
            Doc::Result => Expr::atom("$states.result", Ty::Unknown),
            Doc::ErrorOutput => Expr::atom("$states.errorOutput", Ty::Object),
            Doc::Expr(e) => e.clone(),
            Doc::Literal(v) => expr::literal(v),
            Doc::Object(members) => {
                let members: Vec<(String, Expr)> = members
                    .iter()
                    .map(|(k, v)| (k.clone(), v.render()))
                    .collect();
                expr::object(&members)
            }
            Doc::Array(items) => {
                let items: Vec<Expr> = items.iter().map(Doc::render).collect();
                expr::array(&items)
            }
            Doc::Merge { base, key, value } => {
                let patch = expr::object(&[(key.clone(), value.render())]);
                Expr::atom(
                    format!("$merge([{}, {}])", base.render().text, patch.text),
                    Ty::Object,
                )
            }
        }
    }

    /// The document as the value of a JSONata field: objects and arrays stay JSON, with a
    /// `{% %}` string for each computed part, so a missing value fails that field as the
    /// JSONPath field did.
    pub fn to_template(&self) -> Value {
        match self {
            Doc::Literal(v) => escape_literal(v),
            Doc::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_template()))
                    .collect(),
            ),
            Doc::Array(items) => Value::Array(items.iter().map(Doc::to_template).collect()),
            other => expr::embed(&other.render()),
        }
    }

    /// The document with `key` set to `value`, folded when the document is known.
    pub fn with_member(self, key: &str, value: Doc) -> Doc {
        match self {
            Doc::Object(mut members) => {
                match members.iter_mut().find(|(k, _)| k == key) {
                    Some(member) => member.1 = value,
                    None => members.push((key.to_string(), value)),
                }
                Doc::Object(members)
            }
            Doc::Literal(Value::Object(map)) => {
                let mut members: Vec<(String, Doc)> =
                    map.into_iter().map(|(k, v)| (k, Doc::Literal(v))).collect();
                match members.iter_mut().find(|(k, _)| k == key) {
                    Some(member) => member.1 = value,
                    None => members.push((key.to_string(), value)),
                }
                Doc::Object(members)
            }
            base => Doc::Merge {
                base: Box::new(base),
                key: key.to_string(),
                value: Box::new(value),
            },
        }
    }

    /// The member `key` when the document says statically what it is.
    fn member(&self, key: &str) -> Option<Doc> {
        match self {
            Doc::Object(members) => members
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone()),
            Doc::Literal(Value::Object(map)) => map.get(key).cloned().map(Doc::Literal),
            Doc::Merge {
                base,
                key: k,
                value,
            } => {
                if k == key {
                    Some((**value).clone())
                } else {
                    base.member(key)
                        .or_else(|| Some(Doc::Expr(expr::property(&base.render(), key))))
                }
            }
            _ => None,
        }
    }

    /// The item `index` (negative: from the end) when the document says what it is.
    fn item(&self, index: i64) -> Option<Doc> {
        let pick = |len: usize| -> Option<usize> {
            let len = i64::try_from(len).ok()?;
            let i = if index < 0 { len + index } else { index };
            usize::try_from(i).ok().filter(|i| (*i as i64) < len)
        };
        match self {
            Doc::Array(items) => items.get(pick(items.len())?).cloned(),
            Doc::Literal(Value::Array(items)) => {
                items.get(pick(items.len())?).cloned().map(Doc::Literal)
            }
            _ => None,
        }
    }
}

/// A literal for a JSONata field: strings that look like `{% %}` would be evaluated there,
/// so they become expressions that produce the same text.
pub(super) fn escape_literal(value: &Value) -> Value {
    match value {
        Value::String(s) if is_jsonata_text(s) => expr::embed(&expr::string(s)),
        Value::Array(items) => Value::Array(items.iter().map(escape_literal).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), escape_literal(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Parses a path field, with the field's pointer in the error.
pub(super) fn parse_path(text: &str, at: &str) -> Result<JsonPath, ConvertError> {
    crate::asl::path::parse(text).map_err(|e| ConvertError::InvalidPath {
        pointer: at.to_string(),
        text: text.to_string(),
        message: e.to_string(),
    })
}

/// The value `path` designates when `$` is `doc`.
pub(super) fn read(doc: &Doc, path: &JsonPath, cx: &mut Cx, at: &str) -> Doc {
    let mut current = match path.root() {
        Root::Input | Root::Current => doc.clone(),
        Root::Context => Doc::Expr(Expr::atom("$states.context", Ty::Object)),
        Root::Variable(name) => Doc::Expr(Expr::atom(format!("${name}"), Ty::Unknown)),
    };
    let segments = path.segments();
    let definite = path.is_definite();
    let mut consumed = 0;
    // Steps into documents known at conversion time resolve now (definite steps only).
    if definite {
        for segment in segments {
            let next = match &segment.kind {
                SegmentKind::Property(names) if names.len() == 1 => {
                    names.first().and_then(|n| current.member(n))
                }
                SegmentKind::Index(indexes) if indexes.len() == 1 => {
                    indexes.first().and_then(|i| current.item(*i))
                }
                _ => None,
            };
            match next {
                Some(next) => {
                    current = next;
                    consumed += 1;
                }
                None => break,
            }
        }
    }
    let rest = segments.get(consumed..).unwrap_or_default();
    if rest.is_empty() {
        return current;
    }
    let root = doc.render();
    let steps = path::steps(current.render(), rest, &root, cx, at);
    if definite || path.is_function_path() {
        Doc::Expr(steps)
    } else {
        // Jayway returns every match of an indefinite path as one array.
        Doc::Expr(Expr::atom(
            format!("[{}]", steps.text),
            Ty::ArrayConstructor,
        ))
    }
}

/// A JSONPath payload template (Parameters, ResultSelector, ItemSelector, Assign...) whose
/// paths read `base`.
pub(super) fn payload(
    value: &Value,
    base: &Doc,
    cx: &mut Cx,
    at: &str,
) -> Result<Doc, ConvertError> {
    Ok(match value {
        Value::Object(map) => {
            if !is_dynamic(value) {
                return Ok(Doc::Literal(value.clone()));
            }
            let mut members = Vec::with_capacity(map.len());
            for (key, inner) in map {
                let here = pointer::join(at, key);
                match key.strip_suffix(".$") {
                    Some(name) => {
                        let text = inner.as_str().ok_or_else(|| ConvertError::InvalidField {
                            pointer: here.clone(),
                            message: format!(
                                "the value of \"{key}\" must be a path or an intrinsic function"
                            ),
                        })?;
                        members.push((name.to_string(), path_or_intrinsic(text, base, cx, &here)?));
                    }
                    None => members.push((key.clone(), payload(inner, base, cx, &here)?)),
                }
            }
            Doc::Object(members)
        }
        Value::Array(items) if is_dynamic(value) => Doc::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| payload(item, base, cx, &pointer::join(at, &i.to_string())))
                .collect::<Result<_, _>>()?,
        ),
        other => Doc::Literal(other.clone()),
    })
}

/// The value of a `.$` field, ErrorPath or CausePath: an intrinsic call or a path.
pub(super) fn path_or_intrinsic(
    text: &str,
    base: &Doc,
    cx: &mut Cx,
    at: &str,
) -> Result<Doc, ConvertError> {
    if is_intrinsic_call(text) || text.starts_with("States.") {
        let call = parse_intrinsic(text).map_err(|e| ConvertError::InvalidIntrinsic {
            pointer: at.to_string(),
            text: text.to_string(),
            message: e.to_string(),
        })?;
        return Ok(Doc::Expr(intrinsic::convert(&call, base, cx, at)?));
    }
    Ok(read(base, &parse_path(text, at)?, cx, at))
}

/// Whether a template holds any `.$` key (at any depth).
fn is_dynamic(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(k, v)| k.ends_with(".$") || is_dynamic(v)),
        Value::Array(items) => items.iter().any(is_dynamic),
        _ => false,
    }
}

/// The document a reference path ResultPath builds: `result` placed into `input`.
pub(super) fn place(
    input: Doc,
    result: Doc,
    result_path: Option<&Value>,
    cx: &mut Cx,
    at: &str,
) -> Result<Doc, ConvertError> {
    let text = match result_path {
        None => return Ok(result),
        Some(Value::Null) => return Ok(input),
        Some(Value::String(text)) => text,
        Some(_) => {
            return Err(ConvertError::InvalidField {
                pointer: at.to_string(),
                message: "ResultPath must be a string or null".into(),
            });
        }
    };
    let path = parse_path(text, at)?;
    if *path.root() != Root::Input {
        return Err(ConvertError::InvalidField {
            pointer: at.to_string(),
            message: format!("ResultPath \"{text}\" must start with $"),
        });
    }
    let mut keys = Vec::new();
    for segment in path.segments() {
        match &segment.kind {
            SegmentKind::Property(names) if names.len() == 1 => {
                keys.extend(names.first().cloned());
            }
            _ => {
                cx.note(
                    at,
                    format!(
                        "ResultPath \"{text}\" has a step that is not an object field; the result replaces the value before that step"
                    ),
                );
                break;
            }
        }
    }
    Ok(set_at(input, &keys, result))
}

fn set_at(doc: Doc, keys: &[String], value: Doc) -> Doc {
    let Some((first, rest)) = keys.split_first() else {
        return value;
    };
    let inner = if rest.is_empty() {
        value
    } else {
        let current = doc
            .member(first)
            .unwrap_or_else(|| Doc::Expr(expr::property(&doc.render(), first)));
        set_at(current, rest, value)
    };
    doc.with_member(first, inner)
}

/// OutputPath applied to `doc`.
pub(super) fn select_output(
    doc: Doc,
    output_path: Option<&Value>,
    cx: &mut Cx,
    at: &str,
) -> Result<Doc, ConvertError> {
    match output_path {
        None => Ok(doc),
        Some(Value::Null) => Ok(Doc::Literal(Value::Object(JsonMap::new()))),
        Some(Value::String(text)) => Ok(read(&doc, &parse_path(text, at)?, cx, at)),
        Some(_) => Err(ConvertError::InvalidField {
            pointer: at.to_string(),
            message: "OutputPath must be a string or null".into(),
        }),
    }
}

/// InputPath applied to the raw input.
pub(super) fn select_input(
    input_path: Option<&Value>,
    cx: &mut Cx,
    at: &str,
) -> Result<Doc, ConvertError> {
    select_output(Doc::Input, input_path, cx, at)
}

#[cfg(test)]
mod tests {
    use super::super::Marking;
    use super::*;
    use serde_json::json;

    fn cx() -> Cx {
        Cx::new(Marking::Inherit)
    }

    fn read_text(doc: &Doc, path: &str) -> String {
        let path = parse_path(path, "").unwrap();
        read(doc, &path, &mut cx(), "").render().text
    }

    #[test]
    fn paths_read_the_input_context_and_variables() {
        assert_eq!(read_text(&Doc::Input, "$"), "$states.input");
        assert_eq!(read_text(&Doc::Input, "$.a.b[0]"), "$states.input.a.b[0]");
        assert_eq!(
            read_text(&Doc::Input, "$$.Execution.Input"),
            "$states.context.Execution.Input"
        );
        assert_eq!(read_text(&Doc::Input, "$count.n"), "$count.n");
        assert_eq!(
            read_text(&Doc::Input, "$.items[*].id"),
            "[$states.input.items.id]"
        );
    }

    #[test]
    fn paths_into_known_documents_resolve_statically() {
        let selected = payload(
            &json!({"id.$": "$.Payload.id", "fixed": {"n": [1, 2]}}),
            &Doc::Result,
            &mut cx(),
            "",
        )
        .unwrap();
        assert_eq!(read_text(&selected, "$.id"), "$states.result.Payload.id");
        assert_eq!(read_text(&selected, "$.fixed.n[-1]"), "2");
        assert_eq!(
            read_text(&selected, "$.missing"),
            "{'id': $states.result.Payload.id, 'fixed': {'n': [1, 2]}}.missing"
        );
    }

    #[test]
    fn payload_templates_keep_json_shape_with_one_expression_per_field() {
        let doc = payload(
            &json!({"static": "$.not-a-path", "a.$": "$.a", "list": [{"b.$": "$$.Map.Item.Value"}], "odd": "{% x %}"}),
            &Doc::Input,
            &mut cx(),
            "",
        )
        .unwrap();
        assert_eq!(
            doc.to_template(),
            json!({
                "static": "$.not-a-path",
                "a": "{% $states.input.a %}",
                "list": [{"b": "{% $states.context.Map.Item.Value %}"}],
                "odd": "{% '{% x %}' %}"
            })
        );
        assert_eq!(
            payload(&json!({"a.$": 1}), &Doc::Input, &mut cx(), "/P").unwrap_err(),
            ConvertError::InvalidField {
                pointer: "/P/a.$".into(),
                message: "the value of \"a.$\" must be a path or an intrinsic function".into()
            }
        );
    }

    #[test]
    fn result_path_merges_the_result_into_the_input() {
        let result = Doc::Result;
        let place_text = |rp: Value| {
            place(Doc::Input, result.clone(), Some(&rp), &mut cx(), "")
                .unwrap()
                .render()
                .text
        };
        assert_eq!(place_text(json!("$")), "$states.result");
        assert_eq!(place_text(json!(null)), "$states.input");
        assert_eq!(
            place_text(json!("$.r")),
            "$merge([$states.input, {'r': $states.result}])"
        );
        assert_eq!(
            place_text(json!("$.a.b")),
            "$merge([$states.input, {'a': $merge([$states.input.a, {'b': $states.result}])}])"
        );
        let mut notes = cx();
        place(
            Doc::Input,
            Doc::Result,
            Some(&json!("$.a[0]")),
            &mut notes,
            "/RP",
        )
        .unwrap();
        assert_eq!(notes.notes.len(), 1);
    }

    #[test]
    fn output_path_reads_through_a_result_path() {
        let mut c = cx();
        let placed = place(Doc::Input, Doc::Result, Some(&json!("$.r")), &mut c, "").unwrap();
        let out = select_output(placed.clone(), Some(&json!("$.r.x")), &mut c, "").unwrap();
        assert_eq!(out.render().text, "$states.result.x");
        let out = select_output(placed, Some(&json!("$.other")), &mut c, "").unwrap();
        assert_eq!(out.render().text, "$states.input.other");
        let out = select_output(Doc::Input, Some(&json!(null)), &mut c, "").unwrap();
        assert_eq!(out.to_template(), json!({}));
    }

    #[test]
    fn a_literal_input_folds_a_result_path() {
        let literal = Doc::Literal(json!({"a": 1}));
        let placed = place(literal, Doc::Result, Some(&json!("$.b")), &mut cx(), "").unwrap();
        assert_eq!(
            placed.to_template(),
            json!({"a": 1, "b": "{% $states.result %}"})
        );
    }
}
