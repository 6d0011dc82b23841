//! Object and misc functions: `$boolean $not $exists $keys $lookup $spread $merge $error
//! $assert $type $eval $clone`.

use std::rc::Rc;

use super::super::error::{ErrorExt, EvalResult, err};
use super::super::evaluator::{Evaluator, lookup_field};
use super::super::json_out::stringify_for_string_fn;
use super::super::parse_ast;
use super::super::value::{Array, Object, Value, from_json, object_insert};
use super::{NativeCx, arg, boolean, check_numeric};

pub(super) fn boolean_fn(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    Ok(match arg(args, 0) {
        Value::Undefined => Value::Undefined,
        // jsonata-js passes function arguments as JS closures, which cast to false
        Value::Function(_) => Value::Bool(false),
        v => Value::Bool(boolean(v)?.unwrap_or(false)),
    })
}

pub(super) fn not(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    Ok(match arg(args, 0) {
        Value::Undefined => Value::Undefined,
        Value::Function(_) => Value::Bool(true),
        v => Value::Bool(!boolean(v)?.unwrap_or(false)),
    })
}

pub(super) fn exists(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    Ok(Value::Bool(!arg(args, 0).is_undefined()))
}

fn keys_of(v: &Value, out: &mut Object) {
    match v {
        Value::Array(a) => a.items.iter().for_each(|item| keys_of(item, out)),
        Value::Object(o) => {
            for k in o.keys() {
                object_insert(out, k.clone(), Value::Bool(true));
            }
        }
        _ => {}
    }
}

pub(super) fn keys(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let mut merged = Object::new();
    keys_of(arg(args, 0), &mut merged);
    Ok(Value::sequence(
        merged.keys().map(|k| Value::String(k.clone())).collect(),
    ))
}

pub(super) fn lookup(ev: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let key = arg(args, 1).as_str().unwrap_or("undefined");
    lookup_field(arg(args, 0), key, &mut ev.budget)
}

pub(super) fn spread(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    Ok(spread_value(arg(args, 0)))
}

fn spread_value(v: &Value) -> Value {
    match v {
        Value::Array(a) => {
            let mut out = Vec::new();
            for item in &a.items {
                match spread_value(item) {
                    Value::Undefined => {}
                    Value::Array(inner) => out.extend(inner.items.iter().cloned()),
                    other => out.push(other),
                }
            }
            Value::sequence(out)
        }
        Value::Object(o) => Value::sequence(
            o.iter()
                .map(|(k, val)| {
                    let mut single = Object::new();
                    object_insert(&mut single, k.clone(), val.clone());
                    Value::object(single)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

pub(super) fn merge(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let Value::Array(a) = arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let mut result = Object::new();
    for item in &a.items {
        if let Value::Object(o) = item {
            for (k, v) in o.iter() {
                object_insert(&mut result, k.clone(), v.clone());
            }
        }
    }
    Ok(Value::object(result))
}

pub(super) fn error(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let message = match arg(args, 0) {
        Value::String(s) if !s.is_empty() => s.to_string(),
        _ => "$error() function evaluated".to_string(),
    };
    Err(err("D3137").with_message(message))
}

pub(super) fn assert(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    if matches!(arg(args, 0), Value::Bool(true)) {
        return Ok(Value::Undefined);
    }
    let message = match arg(args, 1) {
        Value::String(s) if !s.is_empty() => s.to_string(),
        _ => "$assert() statement failed".to_string(),
    };
    Err(err("D3141").with_message(message))
}

pub(super) fn type_fn(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    Ok(match arg(args, 0) {
        Value::Undefined => Value::Undefined,
        Value::Null => Value::string("null"),
        Value::Number(n) if !n.is_nan() => {
            check_numeric(*n)?;
            Value::string("number")
        }
        Value::String(_) => Value::string("string"),
        Value::Bool(_) => Value::string("boolean"),
        Value::Array(_) => Value::string("array"),
        Value::Function(_) => Value::string("function"),
        // NaN (not numeric) and objects
        _ => Value::string("object"),
    })
}

/// `$eval(expr [, context])`: parse and evaluate in the caller's environment.
pub(super) fn eval(ev: &mut Evaluator, args: &[Value], cx: &NativeCx) -> EvalResult<Value> {
    let Value::String(src) = arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let input = match arg(args, 1) {
        Value::Undefined => cx.input.clone(),
        Value::Array(a) if !a.sequence.get() => {
            let wrapped = Array::sequence(vec![arg(args, 1).clone()]);
            wrapped.outer_wrapper.set(true);
            Value::Array(Rc::new(wrapped))
        }
        other => other.clone(),
    };
    let ast = parse_ast(src).map_err(|e| err("D3120").with_value(super::q(&capped_message(&e))))?;
    ev.evaluate(&ast, &input, &cx.env).map_err(|e| {
        // a spent budget ends the whole evaluation, not just the inner expression
        if e.limit.is_some() {
            return e;
        }
        err("D3121").with_value(super::q(&capped_message(&e)))
    })
}

/// Nested `$eval` failures quote the inner message (escaping it again at every level);
/// capping keeps recursive `$eval` errors from growing exponentially.
fn capped_message(e: &super::super::error::ErrorDetail) -> String {
    const MAX: usize = 1000;
    let text = e.message_text();
    if text.chars().count() <= MAX {
        text
    } else {
        let mut t: String = text.chars().take(MAX).collect();
        t.push('…');
        t
    }
}

/// `$clone`: deep copy through `$string`/`JSON.parse`, as jsonata-js does.
pub(super) fn clone(ev: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let v = arg(args, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    let text = stringify_for_string_fn(v, false, &mut ev.budget)?;
    Ok(serde_json::from_str::<serde_json::Value>(&text)
        .map(|json| from_json(&json))
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use crate::asl::jsonata::test_eval;
    use serde_json::json;

    #[test]
    fn object_functions() {
        let t = |src: &str| test_eval(src, json!({"a": 1, "b": {"c": [1, 2]}}));
        assert_eq!(t("$keys($)"), Ok(Some(json!(["a", "b"]))));
        assert_eq!(t("$lookup($, 'a')"), Ok(Some(json!(1))));
        assert_eq!(
            t("$spread({'x':1,'y':2})"),
            Ok(Some(json!([{"x": 1}, {"y": 2}])))
        );
        assert_eq!(
            t("$merge([{'x':1},{'x':2,'y':3}])"),
            Ok(Some(json!({"x": 2, "y": 3})))
        );
        assert_eq!(t("$type(b.c)"), Ok(Some(json!("array"))));
        assert_eq!(t("$exists(zzz)"), Ok(Some(json!(false))));
        assert_eq!(t("$not(0)"), Ok(Some(json!(true))));
        assert_eq!(t("$sum = $sum"), Ok(Some(json!(true))));
        assert_eq!(t("$eval('a + 1')"), Ok(Some(json!(2))));
        assert_eq!(
            t("$eval('[1,')").err().map(|e| e.code),
            Some("D3120".into())
        );
        assert_eq!(t("$clone(b)"), Ok(Some(json!({"c": [1, 2]}))));
        let e = t("$error('boom')").err();
        assert_eq!(e.map(|e| e.to_string()), Some("D3137: boom".into()));
        assert_eq!(t("$assert(a = 1, 'no')"), Ok(None));
        assert_eq!(
            t("$assert(a = 2, 'no')").err().map(|e| e.code),
            Some("D3141".into())
        );
    }
}
