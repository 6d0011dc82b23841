//! Binary and unary operators.

use super::super::ast::{BinaryOp, Node};
use super::super::error::{Error, ErrorExt, EvalResult, err};
use super::super::functions::{self, check_numeric, js_less_than};
use super::super::value::{Value, deep_equal, error_insert, strict_equal};
use super::{Budget, Env, Evaluator};

/// Largest sequence the range operator may allocate (jsonata-js implementation limit).
const MAX_RANGE: f64 = 1e7;

impl Evaluator<'_> {
    pub(super) fn evaluate_binary(
        &mut self,
        op: BinaryOp,
        lhs: &Node,
        rhs: &Node,
        position: usize,
        input: &Value,
        env: &Env,
    ) -> EvalResult<Value> {
        let annotate = |mut e: Error| {
            e.position = Some(position);
            e.token = Some(op.token().to_string());
            e
        };
        let l = self.evaluate(lhs, input, env)?;
        if matches!(op, BinaryOp::And | BinaryOp::Or) {
            let lb = boolize(&l).map_err(annotate)?;
            let short = if op == BinaryOp::And { !lb } else { lb };
            if short {
                return Ok(Value::Bool(lb));
            }
            let r = self.evaluate(rhs, input, env).map_err(annotate)?;
            return Ok(Value::Bool(boolize(&r).map_err(annotate)?));
        }
        let r = self.evaluate(rhs, input, env)?;
        apply_binary(op, &l, &r, &mut self.budget).map_err(annotate)
    }

    pub(super) fn evaluate_negate(
        &mut self,
        inner: &Node,
        position: usize,
        input: &Value,
        env: &Env,
    ) -> EvalResult<Value> {
        let v = self.evaluate(inner, input, env)?;
        match v {
            Value::Undefined => Ok(Value::Undefined),
            Value::Number(n) if !n.is_nan() => {
                check_numeric(n).map_err(|e| e.at(position).with_token("-"))?;
                Ok(Value::Number(-n))
            }
            other => Err(err("D1002")
                .at(position)
                .with_token("-")
                .with_value(error_insert(&other))),
        }
    }
}

/// Effective boolean value, with undefined treated as false.
fn boolize(v: &Value) -> EvalResult<bool> {
    Ok(functions::boolean(v)?.unwrap_or(false))
}

/// Is `v` a usable number (`isNumeric`)?  Infinity raises D1001 as in jsonata-js.
fn numeric(v: &Value) -> EvalResult<Option<f64>> {
    match v {
        Value::Number(n) if !n.is_nan() => {
            check_numeric(*n)?;
            Ok(Some(*n))
        }
        _ => Ok(None),
    }
}

/// Apply a binary operator to evaluated operands; the work it does (ranges, long
/// concatenations, deep comparisons) pays into `budget`.
pub(crate) fn apply_binary(
    op: BinaryOp,
    l: &Value,
    r: &Value,
    budget: &mut Budget,
) -> EvalResult<Value> {
    match op {
        BinaryOp::Add
        | BinaryOp::Subtract
        | BinaryOp::Multiply
        | BinaryOp::Divide
        | BinaryOp::Modulo => {
            let ln = numeric(l)?;
            if !l.is_undefined() && ln.is_none() {
                return Err(err("T2001").with_value(error_insert(l)));
            }
            let rn = numeric(r)?;
            if !r.is_undefined() && rn.is_none() {
                return Err(err("T2002").with_value(error_insert(r)));
            }
            let (Some(a), Some(b)) = (ln, rn) else {
                return Ok(Value::Undefined);
            };
            Ok(Value::Number(match op {
                BinaryOp::Add => a + b,
                BinaryOp::Subtract => a - b,
                BinaryOp::Multiply => a * b,
                BinaryOp::Divide => a / b,
                _ => a % b,
            }))
        }
        BinaryOp::Equal | BinaryOp::NotEqual => {
            if l.is_undefined() || r.is_undefined() {
                return Ok(Value::Bool(false));
            }
            let eq = deep_equal(l, r, budget)?;
            Ok(Value::Bool(if op == BinaryOp::Equal { eq } else { !eq }))
        }
        BinaryOp::Less | BinaryOp::LessEqual | BinaryOp::Greater | BinaryOp::GreaterEqual => {
            compare(op, l, r)
        }
        BinaryOp::Concat => concat(l, r, budget),
        BinaryOp::Range => range(l, r, budget),
        BinaryOp::In => {
            if l.is_undefined() || r.is_undefined() {
                return Ok(Value::Bool(false));
            }
            let found = match r {
                Value::Array(a) => a.items.iter().any(|x| strict_equal(x, l)),
                other => strict_equal(other, l),
            };
            Ok(Value::Bool(found))
        }
        BinaryOp::And | BinaryOp::Or => {
            let a = boolize(l)?;
            let b = boolize(r)?;
            Ok(Value::Bool(if op == BinaryOp::And {
                a && b
            } else {
                a || b
            }))
        }
    }
}

fn compare(op: BinaryOp, l: &Value, r: &Value) -> EvalResult<Value> {
    let comparable =
        |v: &Value| matches!(v, Value::Undefined | Value::String(_) | Value::Number(_));
    if !comparable(l) || !comparable(r) {
        let bad = if matches!(l, Value::String(_) | Value::Number(_)) {
            r
        } else {
            l
        };
        return Err(err("T2010").with_value(error_insert(bad)));
    }
    if l.is_undefined() || r.is_undefined() {
        return Ok(Value::Undefined);
    }
    if l.js_type() != r.js_type() {
        return Err(err("T2009")
            .with_value(error_insert(l))
            .with_value2(error_insert(r)));
    }
    // NaN compares false in every direction, as in JavaScript.
    if let (Value::Number(a), Value::Number(b)) = (l, r)
        && (a.is_nan() || b.is_nan())
    {
        return Ok(Value::Bool(false));
    }
    let lt = js_less_than(l, r);
    let gt = js_less_than(r, l);
    Ok(Value::Bool(match op {
        BinaryOp::Less => lt,
        BinaryOp::LessEqual => !gt,
        BinaryOp::Greater => gt,
        _ => !lt,
    }))
}

fn is_integer(v: &Value) -> bool {
    matches!(v, Value::Number(n) if n.is_finite() && n.fract() == 0.0)
}

/// `&`, measuring the text before joining it: repeated doubling would otherwise reach
/// gigabytes in a few dozen steps.
fn concat(l: &Value, r: &Value, budget: &mut Budget) -> EvalResult<Value> {
    let mut text_of = |v: &Value| -> EvalResult<String> {
        if v.is_undefined() {
            return Ok(String::new());
        }
        functions::string_of(v, false, budget)
    };
    let (left, right) = (text_of(l)?, text_of(r)?);
    budget.produce_string(left.len().saturating_add(right.len()))?;
    Ok(Value::string(left + &right))
}

fn range(l: &Value, r: &Value, budget: &mut Budget) -> EvalResult<Value> {
    if !l.is_undefined() && !is_integer(l) {
        return Err(err("T2003").with_value(error_insert(l)));
    }
    if !r.is_undefined() && !is_integer(r) {
        return Err(err("T2004").with_value(error_insert(r)));
    }
    let (Value::Number(a), Value::Number(b)) = (l, r) else {
        return Ok(Value::Undefined);
    };
    if a > b {
        return Ok(Value::Undefined);
    }
    let size = b - a + 1.0;
    if size > MAX_RANGE {
        return Err(err("D2014").with_value(error_insert(&Value::Number(size))));
    }
    // jsonata-js's own limit first (AWS reports D2014), then ours, before allocating
    budget.produce_items(size as usize)?;
    let start = *a as i64;
    Ok(Value::sequence(
        (0..size as i64)
            .map(|i| Value::Number((start + i) as f64))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::jsonata::evaluator::Limits;

    fn apply(op: BinaryOp, l: &Value, r: &Value) -> EvalResult<Value> {
        apply_binary(op, l, r, &mut Budget::new(Limits::unlimited()))
    }

    fn code(r: EvalResult<Value>) -> Option<String> {
        r.err().map(|e| e.code.clone())
    }

    #[test]
    fn arithmetic_type_errors() {
        let s = Value::string("a");
        let n = Value::Number(1.0);
        assert_eq!(code(apply(BinaryOp::Add, &s, &n)), Some("T2001".into()));
        assert_eq!(code(apply(BinaryOp::Add, &n, &s)), Some("T2002".into()));
        assert!(apply(BinaryOp::Add, &n, &Value::Undefined).is_ok_and(|v| v.is_undefined()));
    }

    #[test]
    fn comparison_rules() {
        let a = Value::string("a");
        let one = Value::Number(1.0);
        assert_eq!(code(apply(BinaryOp::Less, &a, &one)), Some("T2009".into()));
        assert_eq!(
            code(apply(BinaryOp::Less, &Value::Bool(true), &one)),
            Some("T2010".into())
        );
        assert!(matches!(
            apply(BinaryOp::LessEqual, &one, &one),
            Ok(Value::Bool(true))
        ));
    }

    #[test]
    fn range_limits() {
        let r = apply(BinaryOp::Range, &Value::Number(1.0), &Value::Number(3.0));
        assert!(matches!(r, Ok(Value::Array(a)) if a.items.len() == 3));
        let big = apply(BinaryOp::Range, &Value::Number(0.0), &Value::Number(1e8));
        assert_eq!(code(big), Some("D2014".into()));
        let frac = apply(BinaryOp::Range, &Value::Number(0.5), &Value::Number(1.0));
        assert_eq!(code(frac), Some("T2003".into()));
        // within jsonata-js's 1e7 but above the item limit: ours, before allocating
        let limits = Limits {
            max_items: 5,
            ..Limits::unlimited()
        };
        let over = apply_binary(
            BinaryOp::Range,
            &Value::Number(1.0),
            &Value::Number(6.0),
            &mut Budget::new(limits),
        );
        assert_eq!(
            over.err().and_then(|e| e.limit),
            Some(crate::asl::jsonata::LimitExceeded::Items(5))
        );
    }
}
