//! Higher-order functions: `$map $filter $single $reduce $sift $each $sort`.

use super::super::error::{ErrorExt, EvalResult, err};
use super::super::evaluator::{Evaluator, js_truthy, merge_sort};
use super::super::value::{Object, Value, object_insert};
use super::{
    NativeCx, arg, boolean, hof_args, is_array_of_numbers, is_array_of_strings, js_less_than,
};

fn items(v: &Value) -> Vec<Value> {
    v.items_or_self()
}

pub(super) fn map(ev: &mut Evaluator, args: &[Value], cx: &NativeCx) -> EvalResult<Value> {
    let arr = arg(args, 0);
    if arr.is_undefined() {
        return Ok(Value::Undefined);
    }
    let func = arg(args, 1);
    let mut out = Vec::new();
    for (i, item) in items(arr).into_iter().enumerate() {
        let call_args = hof_args(func, item, Value::Number(i as f64), arr);
        let res = ev.call(func, call_args, &cx.env)?;
        if !res.is_undefined() {
            out.push(res);
        }
    }
    Ok(Value::sequence(out))
}

pub(super) fn filter(ev: &mut Evaluator, args: &[Value], cx: &NativeCx) -> EvalResult<Value> {
    let arr = arg(args, 0);
    if arr.is_undefined() {
        return Ok(Value::Undefined);
    }
    let func = arg(args, 1);
    let mut out = Vec::new();
    for (i, item) in items(arr).into_iter().enumerate() {
        let call_args = hof_args(func, item.clone(), Value::Number(i as f64), arr);
        let res = ev.call(func, call_args, &cx.env)?;
        if boolean(&res)? == Some(true) {
            out.push(item);
        }
    }
    Ok(Value::sequence(out))
}

pub(super) fn single(ev: &mut Evaluator, args: &[Value], cx: &NativeCx) -> EvalResult<Value> {
    let arr = arg(args, 0);
    if arr.is_undefined() {
        return Ok(Value::Undefined);
    }
    let func = arg(args, 1);
    let mut found: Option<Value> = None;
    for (i, item) in items(arr).into_iter().enumerate() {
        let positive = if func.is_undefined() {
            true
        } else {
            let call_args = hof_args(func, item.clone(), Value::Number(i as f64), arr);
            let res = ev.call(func, call_args, &cx.env)?;
            boolean(&res)? == Some(true)
        };
        if positive {
            if found.is_some() {
                return Err(err("D3138").with_index(i));
            }
            found = Some(item);
        }
    }
    found.ok_or_else(|| err("D3139"))
}

pub(super) fn reduce(ev: &mut Evaluator, args: &[Value], cx: &NativeCx) -> EvalResult<Value> {
    let seq = arg(args, 0);
    if seq.is_undefined() {
        return Ok(Value::Undefined);
    }
    let func = arg(args, 1);
    let arity = match func {
        Value::Function(f) => f.arity(),
        _ => 0,
    };
    if arity < 2 {
        return Err(err("D3050").with_index(1));
    }
    let list = items(seq);
    let init = arg(args, 2);
    let (mut result, mut index) = if init.is_undefined() && !list.is_empty() {
        (list[0].clone(), 1)
    } else {
        (init.clone(), 0)
    };
    while index < list.len() {
        let mut call_args = vec![result, list[index].clone()];
        if arity >= 3 {
            call_args.push(Value::Number(index as f64));
        }
        if arity >= 4 {
            call_args.push(seq.clone());
        }
        result = ev.call(func, call_args, &cx.env)?;
        index += 1;
    }
    Ok(result)
}

pub(super) fn sift(ev: &mut Evaluator, args: &[Value], cx: &NativeCx) -> EvalResult<Value> {
    let obj = arg(args, 0);
    let func = arg(args, 1);
    let Value::Object(o) = obj else {
        return Ok(Value::Undefined);
    };
    if !func.is_function() {
        return Err(err("T1006"));
    }
    let mut result = Object::new();
    for (k, v) in o.iter() {
        let call_args = hof_args(func, v.clone(), Value::String(k.clone()), obj);
        let res = ev.call(func, call_args, &cx.env)?;
        if boolean(&res)? == Some(true) {
            object_insert(&mut result, k.clone(), v.clone());
        }
    }
    Ok(if result.is_empty() {
        Value::Undefined
    } else {
        Value::object(result)
    })
}

pub(super) fn each(ev: &mut Evaluator, args: &[Value], cx: &NativeCx) -> EvalResult<Value> {
    let obj = arg(args, 0);
    let func = arg(args, 1);
    let mut out = Vec::new();
    if let Value::Object(o) = obj {
        for (k, v) in o.iter() {
            let call_args = hof_args(func, v.clone(), Value::String(k.clone()), obj);
            let res = ev.call(func, call_args, &cx.env)?;
            if !res.is_undefined() {
                out.push(res);
            }
        }
    }
    Ok(Value::sequence(out))
}

pub(super) fn sort(ev: &mut Evaluator, args: &[Value], cx: &NativeCx) -> EvalResult<Value> {
    let arr = arg(args, 0);
    let Value::Array(a) = arr else {
        return Ok(arr.clone());
    };
    if a.items.len() <= 1 {
        return Ok(arr.clone());
    }
    let comparator = arg(args, 1).clone();
    if comparator.is_undefined() && !is_array_of_numbers(arr)? && !is_array_of_strings(arr) {
        return Err(err("D3070").with_index(1));
    }
    let list = a.items.clone();
    let env = cx.env.clone();
    let mut swap = |ev: &mut Evaluator, i: usize, j: usize| -> EvalResult<bool> {
        if comparator.is_undefined() {
            Ok(js_less_than(&list[j], &list[i]))
        } else {
            let res = ev.call(&comparator, vec![list[i].clone(), list[j].clone()], &env)?;
            Ok(js_truthy(&res))
        }
    };
    let order = merge_sort(ev, (0..list.len()).collect(), &mut swap)?;
    Ok(Value::array(
        order.into_iter().map(|i| list[i].clone()).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use crate::asl::jsonata::test_eval;
    use serde_json::json;

    #[test]
    fn higher_order_functions() {
        let t = |src: &str| test_eval(src, json!(null));
        assert_eq!(
            t("$map([1,2,3], function($v, $i){ $v * $i })"),
            Ok(Some(json!([0, 2, 6])))
        );
        assert_eq!(
            t("$filter([1,2,3,4], function($v){ $v % 2 = 0 })"),
            Ok(Some(json!([2, 4])))
        );
        assert_eq!(
            t("$reduce([1,2,3,4], function($a, $b){ $a + $b }, 10)"),
            Ok(Some(json!(20)))
        );
        assert_eq!(
            t("$single([1,2,3], function($v){ $v = 2 })"),
            Ok(Some(json!(2)))
        );
        assert_eq!(
            t("$single([1,2,3], function($v){ $v > 1 })")
                .err()
                .map(|e| e.code),
            Some("D3138".into())
        );
        assert_eq!(
            t("$sift({'a':1,'b':2}, function($v, $k){ $k = 'b' })"),
            Ok(Some(json!({"b": 2})))
        );
        assert_eq!(
            t("$each({'a':1,'b':2}, function($v, $k){ $k & $v })"),
            Ok(Some(json!(["a1", "b2"])))
        );
        assert_eq!(
            t("$sort([3,1,2], function($a, $b){ $a < $b })"),
            Ok(Some(json!([3, 2, 1])))
        );
        assert_eq!(
            t("$sort([1, 'a'])").err().map(|e| e.code),
            Some("D3070".into())
        );
        assert_eq!(
            t("$reduce([1], function($a){ $a })").err().map(|e| e.code),
            Some("D3050".into())
        );
    }
}
