//! Array functions: `$count $append $reverse $shuffle $distinct $zip`.

use std::collections::HashSet;
use std::rc::Rc;

use rand::Rng;

use super::super::error::EvalResult;
use super::super::evaluator::Evaluator;
use super::super::value::{Value, deep_equal};
use super::{NativeCx, append, arg};

pub(super) fn count(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    Ok(Value::Number(match arg(args, 0) {
        Value::Undefined => 0.0,
        Value::Array(a) => a.items.len() as f64,
        _ => 1.0,
    }))
}

pub(super) fn append_fn(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    Ok(append(arg(args, 0).clone(), arg(args, 1).clone()))
}

pub(super) fn reverse(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    Ok(match arg(args, 0) {
        Value::Array(a) if a.items.len() > 1 => {
            Value::array(a.items.iter().rev().cloned().collect())
        }
        other => other.clone(),
    })
}

pub(super) fn shuffle(ev: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let Value::Array(a) = arg(args, 0) else {
        return Ok(arg(args, 0).clone());
    };
    if a.items.len() <= 1 {
        return Ok(arg(args, 0).clone());
    }
    // inside-out Fisher-Yates, as in jsonata-js
    let mut result: Vec<Value> = vec![Value::Undefined; a.items.len()];
    for (i, item) in a.items.iter().enumerate() {
        let j = ev.rng.random_range(0..=i);
        if i != j {
            result[i] = result[j].clone();
        }
        result[j] = item.clone();
    }
    Ok(Value::array(result))
}

/// A scalar `$distinct` can look up in a hash set instead of comparing it with every
/// value kept so far; equal keys are exactly the `deep_equal` scalars.
#[derive(PartialEq, Eq, Hash)]
enum ScalarKey {
    Null,
    Bool(bool),
    /// Bits of the number, with -0 folded into 0 (they compare equal); NaN has no key.
    Number(u64),
    String(Rc<str>),
}

fn scalar_key(v: &Value) -> Option<ScalarKey> {
    Some(match v {
        Value::Null => ScalarKey::Null,
        Value::Bool(b) => ScalarKey::Bool(*b),
        Value::Number(n) if n.is_nan() => return None,
        Value::Number(n) => ScalarKey::Number(if *n == 0.0 { 0 } else { n.to_bits() }),
        Value::String(s) => ScalarKey::String(s.clone()),
        _ => return None,
    })
}

pub(super) fn distinct(ev: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let v = arg(args, 0);
    let Value::Array(a) = v else {
        return Ok(v.clone());
    };
    if a.items.len() <= 1 {
        return Ok(v.clone());
    }
    // jsonata-js compares every item with every kept one; scalars (the usual case) go
    // through a hash set instead, so only arrays, objects and the like are compared
    // pairwise, each comparison paying into the budget
    let mut out: Vec<Value> = Vec::new();
    let mut seen: HashSet<ScalarKey> = HashSet::new();
    let mut kept_structures: Vec<Value> = Vec::new();
    for item in &a.items {
        let is_new = match scalar_key(item) {
            Some(key) => seen.insert(key),
            None => {
                let mut new = true;
                for kept in &kept_structures {
                    if deep_equal(item, kept, &mut ev.budget)? {
                        new = false;
                        break;
                    }
                }
                if new {
                    kept_structures.push(item.clone());
                }
                new
            }
        };
        if is_new {
            out.push(item.clone());
        }
    }
    Ok(if a.sequence.get() {
        Value::sequence(out)
    } else {
        Value::array(out)
    })
}

pub(super) fn zip(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let len = args
        .iter()
        .map(|a| match a {
            Value::Array(arr) => arr.items.len(),
            _ => 0,
        })
        .min()
        .unwrap_or(0);
    let rows = (0..len)
        .map(|i| {
            Value::array(
                args.iter()
                    .map(|a| match a {
                        Value::Array(arr) => arr.items.get(i).cloned().unwrap_or_default(),
                        _ => Value::Undefined,
                    })
                    .collect(),
            )
        })
        .collect();
    Ok(Value::array(rows))
}

#[cfg(test)]
mod tests {
    use crate::asl::jsonata::test_eval;
    use serde_json::json;

    #[test]
    fn array_functions() {
        let t = |src: &str| test_eval(src, json!(null));
        assert_eq!(t("$count([1,2,3])"), Ok(Some(json!(3))));
        assert_eq!(t("$count(nothing)"), Ok(Some(json!(0))));
        assert_eq!(t("$append([1], 2)"), Ok(Some(json!([1, 2]))));
        assert_eq!(t("$reverse([1,2,3])"), Ok(Some(json!([3, 2, 1]))));
        assert_eq!(
            t("$distinct([1,{'a':1},1,{'a':1}])"),
            Ok(Some(json!([1, {"a": 1}])))
        );
        assert_eq!(
            t("$distinct([0, -0, 'a', 'a', null, true, null, [1], [1], false, true])"),
            Ok(Some(json!([0, "a", null, true, [1], false])))
        );
        assert_eq!(t("$zip([1,2],[3,4,5])"), Ok(Some(json!([[1, 3], [2, 4]]))));
        let shuffled = t("$sort($shuffle([1,2,3,4,5]))");
        assert_eq!(shuffled, Ok(Some(json!([1, 2, 3, 4, 5]))));
    }
}
