//! Drafts an operation's usual answer from its output shape, to prefill the editor of a mocked
//! task result. The draft passes the Strict check of `validate`: every required member is there
//! and every placeholder fits its shape's enum and bounds.

use super::{Kind, Member, Service, Shape};
use serde_json::{Map, Number, Value};

/// Structures nested less deep than this get all their members; deeper ones only their required
/// members, so that a large output (ECS's `RunTask`) stays readable.
const FULL_DEPTH: usize = 3;
/// Past this depth nothing more is built: what makes recursive shapes terminate even when the
/// recursion goes through required members.
pub(super) const MAX_DEPTH: usize = 12;
/// Values built before optional members stop being added, whatever the depth: bounds the draft
/// of a wide output (SageMaker's `Describe...` answers).
const BUDGET: usize = 300;
/// What a timestamp's placeholder says: Step Functions' results carry timestamps as strings.
const TIMESTAMP: &str = "2025-01-01T00:00:00Z";

/// Structures that are unions in the AWS API but that botocore's model doesn't mark as such
/// (service, shape, the member to draft): without this a DynamoDB item's attribute would
/// show all ten of `S`, `N`, `B`, `M`... at once.
const UNMARKED_UNIONS: &[(&str, &str, &str)] = &[("dynamodb", "AttributeValue", "S")];

/// The example answer of the output shape `output` of the service `service_name`. `any_member`
/// is a top-level member that holds the service's own JSON answer (`lambda:invoke`'s
/// `Payload`): an empty object there.
pub(super) fn build(
    service_name: &str,
    service: &Service,
    output: &str,
    any_member: Option<&str>,
) -> Value {
    let Some(shape) = service.shapes.get(output) else {
        return Value::Object(Map::new());
    };
    let unions = UNMARKED_UNIONS
        .iter()
        .filter(|(s, _, _)| *s == service_name)
        .filter_map(|(_, shape, member)| Some((service.shapes.get(*shape)?, *member)))
        .collect();
    let mut builder = Builder {
        service,
        spent: 0,
        unions,
    };
    match shape.kind {
        Kind::Structure => builder.structure(shape, any_member, 0),
        _ => Value::Object(Map::new()),
    }
}

struct Builder<'a> {
    service: &'a Service,
    /// Values built so far.
    spent: usize,
    /// This service's `UNMARKED_UNIONS`: the shape and the member to draft.
    unions: Vec<(&'a Shape, &'static str)>,
}

impl Builder<'_> {
    fn structure(&mut self, shape: &Shape, any_member: Option<&str>, depth: usize) -> Value {
        let mut out = Map::new();
        if shape.document || depth >= MAX_DEPTH {
            return Value::Object(out);
        }
        let unmarked = self.unions.iter().find(|(s, _)| std::ptr::eq(*s, shape));
        let members: Vec<&Member> = match (unmarked, shape.union) {
            (Some((_, name)), _) => shape.member(name).into_iter().collect(),
            (None, true) => self.union_member(shape).into_iter().collect(),
            (None, false) => shape.members.iter().collect(),
        };
        // A union's one member is what makes it whole: drafted whatever the depth.
        let is_union = unmarked.is_some() || shape.union;
        for member in members {
            let required = shape.required.contains(&member.name) || is_union;
            let full = depth < FULL_DEPTH && self.spent < BUDGET;
            if !full && !required {
                continue;
            }
            if any_member == Some(member.name.as_str()) {
                out.insert(member.name.clone(), Value::Object(Map::new()));
                continue;
            }
            match self.value(&member.shape, depth + 1) {
                // An optional member with nothing in it ({}, [{}]) says nothing: left out.
                Some(value) if required || !hollow(&value) => {
                    out.insert(member.name.clone(), value);
                }
                _ => {}
            }
        }
        Value::Object(out)
    }

    /// A union holds one member: a plain string one when there is one, as the most readable.
    fn union_member<'s>(&self, shape: &'s Shape) -> Option<&'s Member> {
        let plain_string = |member: &&Member| {
            self.service
                .shapes
                .get(&member.shape)
                .is_some_and(|s| s.kind == Kind::String && s.enum_values.is_empty())
        };
        shape
            .members
            .iter()
            .find(plain_string)
            .or(shape.members.first())
    }

    fn value(&mut self, shape_name: &str, depth: usize) -> Option<Value> {
        self.spent += 1;
        let shape = self.service.shapes.get(shape_name)?;
        Some(match shape.kind {
            Kind::Structure => self.structure(shape, None, depth),
            Kind::List => {
                let mut items = Vec::new();
                if let Some(element) = shape.element.as_deref().filter(|_| depth < MAX_DEPTH) {
                    for _ in 0..entries(shape) {
                        items.extend(self.value(element, depth + 1));
                    }
                }
                Value::Array(items)
            }
            Kind::Map => {
                let mut out = Map::new();
                if let Some(element) = shape.element.as_deref().filter(|_| depth < MAX_DEPTH) {
                    let key_shape = shape
                        .key
                        .as_deref()
                        .and_then(|k| self.service.shapes.get(k));
                    for index in 0..entries(shape) {
                        if let Some(value) = self.value(element, depth + 1) {
                            out.insert(map_key(key_shape, index), value);
                        }
                    }
                }
                Value::Object(out)
            }
            Kind::String => Value::String(match shape.enum_values.first() {
                Some(first) => first.clone(),
                None => fitted("string", shape),
            }),
            Kind::Blob => Value::String(fitted("string", shape)),
            Kind::Boolean => Value::Bool(false),
            Kind::Integer => Value::from(clamped(shape).round() as i64),
            Kind::Float => Value::Number(Number::from_f64(clamped(shape)).unwrap_or(0.into())),
            Kind::Timestamp => Value::String(TIMESTAMP.to_string()),
            Kind::Other => return None,
        })
    }
}

/// Whether a drafted value holds no scalar at all: `{}`, `[]`, `[{}]`, `{"string": {}}`.
fn hollow(value: &Value) -> bool {
    match value {
        Value::Object(fields) => fields.values().all(hollow),
        Value::Array(items) => items.iter().all(hollow),
        _ => false,
    }
}

/// How many elements a list or entries a map gets: one, or its minimum (within reason).
fn entries(shape: &Shape) -> usize {
    let min = shape.min.unwrap_or(0.0).clamp(1.0, 10.0) as usize;
    match shape.max {
        Some(max) if max < min as f64 => max.max(0.0) as usize,
        _ => min,
    }
}

/// A map's `index`th key: the key shape's enum values in order, else "string", "string2"...
fn map_key(key_shape: Option<&Shape>, index: usize) -> String {
    if let Some(value) = key_shape.and_then(|s| s.enum_values.get(index)) {
        return value.clone();
    }
    let base = match index {
        0 => "string".to_string(),
        _ => format!("string{}", index + 1),
    };
    match key_shape {
        Some(shape) => fitted(&base, shape),
        None => base,
    }
}

/// `text` padded with `x` up to the shape's minimum length, or cut to its maximum.
fn fitted(text: &str, shape: &Shape) -> String {
    let mut out: String = match shape.max {
        Some(max) if max >= 0.0 => text.chars().take(max as usize).collect(),
        _ => text.to_string(),
    };
    let min = shape.min.unwrap_or(0.0).clamp(0.0, 4096.0) as usize;
    let len = out.chars().count();
    if len < min {
        out.extend(std::iter::repeat_n('x', min - len));
    }
    out
}

/// Zero, moved into the shape's bounds.
fn clamped(shape: &Shape) -> f64 {
    let mut number = 0.0;
    if let Some(min) = shape.min.filter(|min| *min > number) {
        number = min;
    }
    if let Some(max) = shape.max.filter(|max| *max < number) {
        number = max;
    }
    number
}
