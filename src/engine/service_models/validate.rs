//! Holds a mocked result to an operation's output shape, with TestState's messages.
//!
//! Recorded against real AWS (the wording is exact): `Required field 'X' is missing`, `Field 'X'
//! must be a string` / `a number` / `an array`, `Field 'X' is not an expected value`, `Field 'X'
//! is smaller than the minimum length`, `Field 'X' is less than the minimum value`, `Field 'X'
//! exceeds the maximum value`; a message names the member only, never a path; fields the model
//! doesn't have are always allowed (Step Functions itself adds `SdkHttpMetadata`); a timestamp
//! must be a string but its format isn't checked.
//!
//! Guessed, not recorded (AWS's wording and order may differ):
//! - a structure or map given something else: `Field 'X' must be an object`; a boolean:
//!   `Field 'X' must be a boolean`;
//! - a string, blob, list or map over its maximum: `Field 'X' exceeds the maximum length`, under
//!   its minimum: `Field 'X' is smaller than the minimum length` (the recorded blob wording,
//!   reused); lengths count Unicode code points, as Smithy's length trait does, and a blob's
//!   length is that of the string given, not of the bytes it encodes;
//! - an integer or long given a fraction (1.5) is accepted: AWS says "must be a number" alike
//!   for integers and doubles, which suggests a number is a number; bounds still apply;
//! - an element of a list or a value of a map that is wrong is reported under the list's or
//!   map's field name (a structure inside reports its own member, as recorded); map keys are not
//!   checked;
//! - `null` is the same as absent, for members, list elements and map values alike;
//! - a union is checked like a structure (no "exactly one member" rule); a document accepts
//!   anything;
//! - with several faults, the first one is reported, in the mock's document order, depth first;
//!   a structure's required members are checked after its present members, in the model's
//!   order; a list's or map's size before its elements;
//! - a top-level result that isn't an object (an array, a scalar, `null`): `The mock result
//!   must be a JSON object`;
//! - below `MAX_DEPTH` levels nothing more is checked.

use super::{Kind, Service, Shape};
use serde_json::{Map, Value};

/// How deep into the mock the check goes. AWS's outputs nest a dozen levels at most; the bound
/// keeps a hostile, thousands-deep mock (through a recursive shape such as DynamoDB's
/// `AttributeValue`) from exhausting the stack.
const MAX_DEPTH: usize = 64;

/// Checks `result` against the output shape `output` of `service`. `any_member` is a top-level
/// member that may hold any JSON (see `any_json_member`).
pub(super) fn check(
    service: &Service,
    output: &str,
    result: &Value,
    strict: bool,
    any_member: Option<&str>,
) -> Result<(), String> {
    let Some(shape) = service.shapes.get(output) else {
        return Ok(());
    };
    if shape.kind != Kind::Structure || shape.document {
        return Ok(());
    }
    let Value::Object(fields) = result else {
        return Err("The mock result must be a JSON object".to_string());
    };
    Checker { service, strict }.structure(shape, fields, any_member, 0)
}

struct Checker<'a> {
    service: &'a Service,
    strict: bool,
}

impl Checker<'_> {
    fn structure(
        &self,
        shape: &Shape,
        fields: &Map<String, Value>,
        any_member: Option<&str>,
        depth: usize,
    ) -> Result<(), String> {
        for (name, value) in fields {
            if value.is_null() || any_member == Some(name.as_str()) {
                continue;
            }
            if let Some(member) = shape.member(name) {
                self.value(&member.shape, &member.name, value, depth + 1)?;
            }
        }
        if self.strict {
            for name in &shape.required {
                if fields.get(name).is_none_or(Value::is_null) {
                    return Err(format!("Required field '{name}' is missing"));
                }
            }
        }
        Ok(())
    }

    /// Checks the value of the field `field`, whose shape is `shape_name`.
    fn value(
        &self,
        shape_name: &str,
        field: &str,
        value: &Value,
        depth: usize,
    ) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Ok(());
        }
        let Some(shape) = self.service.shapes.get(shape_name) else {
            return Ok(());
        };
        let wrong = |what: &str| Err(format!("Field '{field}' {what}"));
        match shape.kind {
            Kind::Structure if shape.document => Ok(()),
            Kind::Structure => match value {
                Value::Object(fields) => self.structure(shape, fields, None, depth),
                _ => wrong("must be an object"),
            },
            Kind::List => {
                let Value::Array(items) = value else {
                    return wrong("must be an array");
                };
                length(shape, field, items.len())?;
                self.elements(shape, field, items.iter(), depth)
            }
            Kind::Map => {
                let Value::Object(entries) = value else {
                    return wrong("must be an object");
                };
                length(shape, field, entries.len())?;
                self.elements(shape, field, entries.values(), depth)
            }
            Kind::String => {
                let Value::String(text) = value else {
                    return wrong("must be a string");
                };
                if !shape.enum_values.is_empty() && !shape.enum_values.contains(text) {
                    return wrong("is not an expected value");
                }
                length(shape, field, text.chars().count())
            }
            Kind::Blob => match value {
                Value::String(text) => length(shape, field, text.chars().count()),
                _ => wrong("must be a string"),
            },
            Kind::Timestamp => match value {
                Value::String(_) => Ok(()),
                _ => wrong("must be a string"),
            },
            Kind::Boolean => match value {
                Value::Bool(_) => Ok(()),
                _ => wrong("must be a boolean"),
            },
            Kind::Integer | Kind::Float => match value.as_f64() {
                Some(number) => range(shape, field, number),
                None => wrong("must be a number"),
            },
            Kind::Other => Ok(()),
        }
    }

    /// The elements of a list or the values of a map, reported under the collection's name.
    fn elements<'v>(
        &self,
        shape: &Shape,
        field: &str,
        items: impl Iterator<Item = &'v Value>,
        depth: usize,
    ) -> Result<(), String> {
        let Some(element) = &shape.element else {
            return Ok(());
        };
        for item in items.filter(|item| !item.is_null()) {
            self.value(element, field, item, depth + 1)?;
        }
        Ok(())
    }
}

/// The length bounds of a string or blob (characters) or a list or map (entries).
fn length(shape: &Shape, field: &str, len: usize) -> Result<(), String> {
    let len = len as f64;
    if shape.min.is_some_and(|min| len < min) {
        return Err(format!(
            "Field '{field}' is smaller than the minimum length"
        ));
    }
    if shape.max.is_some_and(|max| len > max) {
        return Err(format!("Field '{field}' exceeds the maximum length"));
    }
    Ok(())
}

/// The value bounds of a number.
fn range(shape: &Shape, field: &str, number: f64) -> Result<(), String> {
    if shape.min.is_some_and(|min| number < min) {
        return Err(format!("Field '{field}' is less than the minimum value"));
    }
    if shape.max.is_some_and(|max| number > max) {
        return Err(format!("Field '{field}' exceeds the maximum value"));
    }
    Ok(())
}
