//! Runtime values: a JavaScript-like data model over JSON.
//!
//! jsonata-js leans on JavaScript semantics that `serde_json::Value` cannot express:
//! `undefined`, functions as values, and arrays carrying hidden flags (`sequence`,
//! `keepSingleton`, `cons`, `outerWrapper`, `tupleStream`).  Values are reference-counted
//! so that passing the context item around stays cheap; flags live in `Cell`s because
//! jsonata-js sets them on arrays after creation.

use std::cell::Cell;
use std::rc::Rc;

use indexmap::IndexMap;

use super::error::EvalResult;
use super::evaluator::Budget;
use super::functions::Function;
use super::number::js_number_to_string;

pub(crate) type Object = IndexMap<Rc<str>, Value>;

#[derive(Clone, Default)]
pub(crate) enum Value {
    #[default]
    Undefined,
    Null,
    Bool(bool),
    Number(f64),
    String(Rc<str>),
    Array(Rc<Array>),
    Object(Rc<Object>),
    Function(Rc<Function>),
}

/// Array plus the hidden properties jsonata-js attaches to JavaScript arrays.
#[derive(Default)]
pub(crate) struct Array {
    pub items: Vec<Value>,
    pub sequence: Cell<bool>,
    pub keep_singleton: Cell<bool>,
    pub cons: Cell<bool>,
    pub outer_wrapper: Cell<bool>,
    pub tuple_stream: Cell<bool>,
}

impl Array {
    pub fn plain(items: Vec<Value>) -> Array {
        Array {
            items,
            ..Array::default()
        }
    }
    pub fn sequence(items: Vec<Value>) -> Array {
        let a = Array::plain(items);
        a.sequence.set(true);
        a
    }
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Undefined => write!(f, "undefined"),
            Value::Function(_) => write!(f, "<function>"),
            other => write!(f, "{}", super::json_out::stringify(other, false)),
        }
    }
}

impl Value {
    pub fn string(s: impl Into<Rc<str>>) -> Value {
        Value::String(s.into())
    }
    /// A plain (non-sequence) JavaScript array.
    pub fn array(items: Vec<Value>) -> Value {
        Value::Array(Rc::new(Array::plain(items)))
    }
    /// jsonata-js `createSequence(...)`.
    pub fn sequence(items: Vec<Value>) -> Value {
        Value::Array(Rc::new(Array::sequence(items)))
    }
    pub fn object(map: Object) -> Value {
        Value::Object(Rc::new(map))
    }

    pub fn is_undefined(&self) -> bool {
        matches!(self, Value::Undefined)
    }
    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }
    pub fn is_tuple_stream(&self) -> bool {
        matches!(self, Value::Array(a) if a.tuple_stream.get())
    }
    pub fn is_function(&self) -> bool {
        matches!(self, Value::Function(_))
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// Items when this is an array, otherwise the value as a one-element slice view.
    /// Mirrors the ubiquitous `if(!Array.isArray(x)) x = [x]` of jsonata-js.
    pub fn items_or_self(&self) -> Vec<Value> {
        match self {
            Value::Array(a) => a.items.clone(),
            other => vec![other.clone()],
        }
    }

    /// JavaScript `typeof` equivalent used by comparison and signature code.
    pub fn js_type(&self) -> &'static str {
        match self {
            Value::Undefined => "undefined",
            Value::Null | Value::Array(_) | Value::Object(_) => "object",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Function(_) => "function",
        }
    }

    /// Member lookup on an object (`obj[key]`); anything else yields undefined.
    pub fn get(&self, key: &str) -> Value {
        match self {
            Value::Object(o) => o.get(key).cloned().unwrap_or_default(),
            _ => Value::Undefined,
        }
    }
}

/// True when `key` is a canonical array index ("0", "17", not "01"), which JavaScript
/// enumerates before all other keys, in ascending numeric order.
fn array_index(key: &str) -> Option<u32> {
    if key.is_empty() || key.len() > 10 || !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if key.len() > 1 && key.starts_with('0') {
        return None;
    }
    key.parse::<u64>()
        .ok()
        .filter(|n| *n < u64::from(u32::MAX))
        .map(|n| n as u32)
}

/// Insert preserving JavaScript property order: integer-like keys first (ascending), then
/// other keys in insertion order; assigning an existing key keeps its position.
pub(crate) fn object_insert(map: &mut Object, key: Rc<str>, value: Value) {
    if let Some(slot) = map.get_mut(&key) {
        *slot = value;
        return;
    }
    match array_index(&key) {
        None => {
            map.insert(key, value);
        }
        Some(idx) => {
            let pos = map
                .keys()
                .position(|k| array_index(k).is_none_or(|other| other > idx))
                .unwrap_or(map.len());
            map.shift_insert(pos, key, value);
        }
    }
}

/// JavaScript strict equality (`===`) as used by the `in` operator.
pub(crate) fn strict_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Undefined, Value::Undefined) | (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => Rc::ptr_eq(x, y),
        (Value::Object(x), Value::Object(y)) => Rc::ptr_eq(x, y),
        (Value::Function(x), Value::Function(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

/// jsonata-js `isDeepEqual`.  Each pair of values compared costs a step of `budget`:
/// arrays and objects are shared, not copied, so two small-looking values can take
/// billions of comparisons.
pub(crate) fn deep_equal(a: &Value, b: &Value, budget: &mut Budget) -> EvalResult<bool> {
    budget.charge(1)?;
    if strict_equal(a, b) {
        return Ok(true);
    }
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            if x.items.len() != y.items.len() {
                return Ok(false);
            }
            for (p, q) in x.items.iter().zip(y.items.iter()) {
                if !deep_equal(p, q, budget)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() {
                return Ok(false);
            }
            for (k, v) in x.iter() {
                match y.get(k) {
                    Some(w) if deep_equal(v, w, budget)? => {}
                    _ => return Ok(false),
                }
            }
            Ok(true)
        }
        // An array and an object never compare equal; functions only by identity.
        _ => Ok(false),
    }
}

/// Render a value for an error-message insert, like `JSON.stringify` would.
pub(crate) fn error_insert(v: &Value) -> String {
    match v {
        Value::Undefined | Value::Function(_) => "undefined".to_string(),
        Value::Number(n) if !n.is_finite() => "null".to_string(),
        Value::Number(n) => js_number_to_string(*n),
        other => super::json_out::stringify(other, false),
    }
}

/// Convert an input JSON document into a runtime value.
pub(crate) fn from_json(v: &serde_json::Value) -> Value {
    from_json_limited(v, usize::MAX).unwrap_or_default()
}

/// As [`from_json`], failing (with `None`) on documents nested deeper than `max_depth`, so
/// conversion cannot exhaust the stack.
pub(crate) fn from_json_limited(v: &serde_json::Value, max_depth: usize) -> Option<Value> {
    if max_depth == 0 {
        return None;
    }
    Some(match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Value::string(s.as_str()),
        serde_json::Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(from_json_limited(item, max_depth - 1)?);
            }
            Value::array(out)
        }
        serde_json::Value::Object(map) => {
            let mut obj = Object::with_capacity(map.len());
            for (k, v) in map {
                object_insert(
                    &mut obj,
                    Rc::from(k.as_str()),
                    from_json_limited(v, max_depth - 1)?,
                );
            }
            Value::object(obj)
        }
    })
}

/// Why a runtime value has no JSON form.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ToJsonError {
    /// NaN or ±Infinity (jsonata-js would report D1001 when it next used the number).
    NonFiniteNumber(f64),
    /// Nesting deeper than `MAX_JSON_NESTING`: a caller dropping such a `serde_json::Value`
    /// would recurse that deep on its own stack.
    TooDeep,
    /// More values than the limit given: arrays and objects are shared, not copied, so a
    /// few steps can build a value whose JSON form has billions of values.
    TooLarge(usize),
}

/// Deepest result nesting handed back to callers.
pub(crate) const MAX_JSON_NESTING: usize = 2_000;

/// Convert a result to JSON the way `JSON.stringify` treats it: functions and undefined
/// inside objects are dropped, inside arrays become `null`; integral numbers print as
/// integers.  A top-level undefined or function maps to `None`.  At most `max_values`
/// values (array items and object members, nested ones included) are produced.
pub(crate) fn to_json(
    v: &Value,
    max_values: usize,
) -> Result<Option<serde_json::Value>, ToJsonError> {
    // counting first is far cheaper than building JSON only to throw it away
    if !has_at_most(v, max_values) {
        return Err(ToJsonError::TooLarge(max_values));
    }
    let mut values_left = max_values;
    to_json_at(v, 0, &mut values_left).map_err(|e| match e {
        ToJsonError::TooLarge(_) => ToJsonError::TooLarge(max_values),
        other => other,
    })
}

/// Whether `v` holds at most `max_values` values, itself included (shared parts counted
/// every time they occur, as JSON writes them out).
fn has_at_most(v: &Value, max_values: usize) -> bool {
    let mut pending = vec![v];
    let mut count = 0usize;
    while let Some(item) = pending.pop() {
        count += 1;
        if count > max_values {
            return false;
        }
        match item {
            Value::Array(a) => pending.extend(a.items.iter()),
            Value::Object(o) => pending.extend(o.values()),
            _ => {}
        }
    }
    true
}

fn to_json_at(
    v: &Value,
    depth: usize,
    values_left: &mut usize,
) -> Result<Option<serde_json::Value>, ToJsonError> {
    if depth > MAX_JSON_NESTING {
        return Err(ToJsonError::TooDeep);
    }
    match values_left.checked_sub(1) {
        Some(left) => *values_left = left,
        None => return Err(ToJsonError::TooLarge(0)),
    }
    Ok(Some(match v {
        Value::Undefined | Value::Function(_) => return Ok(None),
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => number_to_json(*n)?,
        Value::String(s) => serde_json::Value::String(s.to_string()),
        Value::Array(a) => {
            let mut out = Vec::with_capacity(a.items.len());
            for item in &a.items {
                let json = to_json_at(item, depth + 1, values_left)?;
                out.push(json.unwrap_or(serde_json::Value::Null));
            }
            serde_json::Value::Array(out)
        }
        Value::Object(o) => {
            let mut out = serde_json::Map::with_capacity(o.len());
            for (k, item) in o.iter() {
                if let Some(j) = to_json_at(item, depth + 1, values_left)? {
                    out.insert(k.to_string(), j);
                }
            }
            serde_json::Value::Object(out)
        }
    }))
}

pub(crate) fn number_to_json(n: f64) -> Result<serde_json::Value, ToJsonError> {
    if !n.is_finite() {
        return Err(ToJsonError::NonFiniteNumber(n));
    }
    // Integral values within the exactly-representable range print without ".0", as
    // JavaScript's JSON.stringify does; -0 serialises as 0.
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        return Ok(serde_json::Value::from(n as i64));
    }
    Ok(serde_json::Number::from_f64(n)
        .map(serde_json::Value::Number)
        .unwrap_or(serde_json::Value::Null))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::jsonata::evaluator::Limits;

    #[test]
    fn integer_like_keys_are_ordered_first_like_javascript() {
        let mut obj = Object::new();
        object_insert(&mut obj, "b".into(), Value::Null);
        object_insert(&mut obj, "10".into(), Value::Null);
        object_insert(&mut obj, "a".into(), Value::Null);
        object_insert(&mut obj, "2".into(), Value::Null);
        object_insert(&mut obj, "01".into(), Value::Null);
        object_insert(&mut obj, "b".into(), Value::Bool(true));
        let keys: Vec<&str> = obj.keys().map(|k| &**k).collect();
        assert_eq!(keys, ["2", "10", "b", "a", "01"]);
        assert!(matches!(obj.get("b"), Some(Value::Bool(true))));
    }

    #[test]
    fn json_round_trip_prints_integers_without_fraction() {
        let v = from_json(&serde_json::json!({"a": [1.0, 2.5, null, "x"], "b": true}));
        let back = to_json(&v, 100).unwrap_or_default();
        assert_eq!(
            back,
            Some(serde_json::json!({"a": [1, 2.5, null, "x"], "b": true}))
        );
        assert_eq!(
            to_json(&Value::Number(f64::INFINITY), 1),
            Err(ToJsonError::NonFiniteNumber(f64::INFINITY))
        );
        assert_eq!(
            to_json(&Value::Number(-0.0), 1),
            Ok(Some(serde_json::json!(0)))
        );
        // the root counts too: `{"a": [...4 items], "b"}` is 7 values
        assert_eq!(to_json(&v, 7).map(|j| j.is_some()), Ok(true));
        assert_eq!(to_json(&v, 6), Err(ToJsonError::TooLarge(6)));
    }

    #[test]
    fn deep_equality_ignores_key_order_but_not_array_order() {
        let a = from_json(&serde_json::json!({"x": 1, "y": [1, 2]}));
        let b = from_json(&serde_json::json!({"y": [1, 2], "x": 1}));
        let c = from_json(&serde_json::json!({"y": [2, 1], "x": 1}));
        let mut budget = Budget::new(Limits::unlimited());
        assert_eq!(deep_equal(&a, &b, &mut budget), Ok(true));
        assert_eq!(deep_equal(&a, &c, &mut budget), Ok(false));
        let mut small = Budget::new(Limits {
            max_steps: Some(3),
            ..Limits::unlimited()
        });
        let spent = deep_equal(&a, &b, &mut small).err().and_then(|e| e.limit);
        assert_eq!(spent, Some(crate::asl::jsonata::LimitExceeded::Steps(3)));
        assert!(!strict_equal(&a, &b));
    }
}
