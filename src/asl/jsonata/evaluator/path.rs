//! Location paths: steps, predicates, and tuple streams for `@`, `#` and `%` bindings.

use std::rc::Rc;

use super::super::ast::{Node, NodeKind, Stage};
use super::super::error::EvalResult;
use super::super::functions;
use super::super::value::{Array, Object, Value, object_insert};
use super::{Env, Evaluator, Frame};

/// Key under which a tuple stores its context item.
const AT: &str = "@";

fn tuple_stream(items: Vec<Value>) -> Value {
    let a = Array::sequence(items);
    a.tuple_stream.set(true);
    Value::Array(Rc::new(a))
}

fn tuple_get(tuple: &Value, key: &str) -> Value {
    tuple.get(key)
}

fn tuple_with(base: &Value, key: &str, value: Value) -> Object {
    let mut t = match base {
        Value::Object(o) => (**o).clone(),
        _ => Object::new(),
    };
    object_insert(&mut t, Rc::from(key), value);
    t
}

impl Evaluator<'_> {
    /// A frame binding every entry of a tuple (jsonata-js `createFrameFromTuple`).
    pub(super) fn frame_from_tuple(&mut self, env: &Env, tuple: &Value) -> Env {
        let frame = Frame::child(env);
        if let Value::Object(o) = tuple {
            for (k, v) in o.iter() {
                self.bind(&frame, k, v.clone());
            }
        }
        frame
    }

    pub(super) fn evaluate_path(
        &mut self,
        expr: &Node,
        input: &Value,
        env: &Env,
    ) -> EvalResult<Value> {
        let NodeKind::Path {
            steps,
            keep_singleton_array,
        } = &expr.kind
        else {
            return Ok(Value::Undefined);
        };
        let first_is_variable =
            matches!(steps.first().map(|s| &s.kind), Some(NodeKind::Variable(_)));
        let mut input_sequence = match input {
            Value::Array(_) if !first_is_variable => input.clone(),
            other => Value::sequence(vec![other.clone()]),
        };
        let mut result_sequence = Value::Undefined;
        let mut is_tuple_stream = false;
        let mut tuple_bindings: Option<Value> = None;
        let last = steps.len().saturating_sub(1);
        for (ii, step) in steps.iter().enumerate() {
            if step.tuple {
                is_tuple_stream = true;
            }
            if ii == 0 && step.cons_array {
                result_sequence = self.evaluate(step, &input_sequence, env)?;
            } else if is_tuple_stream {
                tuple_bindings = Some(self.evaluate_tuple_step(
                    step,
                    &input_sequence,
                    tuple_bindings.as_ref(),
                    env,
                )?);
            } else {
                result_sequence = self.evaluate_step(step, &input_sequence, env, ii == last)?;
            }
            if !is_tuple_stream {
                let empty = match &result_sequence {
                    Value::Undefined => true,
                    Value::Array(a) => a.items.is_empty(),
                    _ => false,
                };
                if empty {
                    break;
                }
            }
            if step.focus.is_none() {
                input_sequence = result_sequence.clone();
            }
        }
        if is_tuple_stream {
            if expr.tuple {
                result_sequence = tuple_bindings.clone().unwrap_or_default();
            } else {
                let tuples = tuple_bindings
                    .as_ref()
                    .map(|t| t.items_or_self())
                    .unwrap_or_default();
                result_sequence =
                    Value::sequence(tuples.iter().map(|t| tuple_get(t, AT)).collect());
            }
        }
        if *keep_singleton_array && let Value::Array(a) = &result_sequence {
            if a.cons.get() && !a.sequence.get() {
                let wrapped = Value::sequence(vec![result_sequence.clone()]);
                result_sequence = wrapped;
            }
            if let Value::Array(a) = &result_sequence {
                a.keep_singleton.set(true);
            }
        }
        if let Some(group) = &expr.group {
            let group_input = if is_tuple_stream {
                tuple_bindings.unwrap_or_default()
            } else {
                result_sequence
            };
            result_sequence = self.evaluate_group(group, &group_input, env)?;
        }
        Ok(result_sequence)
    }

    fn evaluate_step(
        &mut self,
        expr: &Node,
        input: &Value,
        env: &Env,
        last_step: bool,
    ) -> EvalResult<Value> {
        if let NodeKind::Sort { terms } = &expr.kind {
            let mut result = self.evaluate_sort(terms, expr.position, input, env)?;
            if !expr.stages.is_empty() {
                result = self.evaluate_stages(&expr.stages, result, env)?;
            }
            return Ok(result);
        }
        let mut results = Vec::new();
        if let Value::Array(items) = input {
            for item in &items.items {
                let mut res = self.evaluate(expr, item, env)?;
                for stage in &expr.stages {
                    if let Stage::Filter(pred) = stage {
                        res = self.evaluate_filter(pred, res, env)?;
                    }
                }
                if !res.is_undefined() {
                    results.push(res);
                }
            }
        }
        if last_step
            && results.len() == 1
            && matches!(&results[0], Value::Array(a) if !a.sequence.get())
        {
            return Ok(results.pop().unwrap_or_default());
        }
        let mut out = Vec::new();
        for res in results {
            match &res {
                Value::Array(a) if !a.cons.get() => {
                    // each item's result may be the same large array: check before copying
                    self.budget.check_items(out.len() + a.items.len())?;
                    out.extend(a.items.iter().cloned());
                }
                _ => out.push(res),
            }
        }
        self.budget.produce_items(out.len())?;
        Ok(Value::sequence(out))
    }

    fn evaluate_stages(&mut self, stages: &[Stage], input: Value, env: &Env) -> EvalResult<Value> {
        let mut result = input;
        for stage in stages {
            match stage {
                Stage::Filter(pred) => result = self.evaluate_filter(pred, result, env)?,
                Stage::Index(name) => {
                    if let Value::Array(a) = &result {
                        let items = a
                            .items
                            .iter()
                            .enumerate()
                            .map(|(i, t)| {
                                Value::object(tuple_with(t, name, Value::Number(i as f64)))
                            })
                            .collect();
                        let rebuilt = Array::plain(items);
                        rebuilt.sequence.set(a.sequence.get());
                        rebuilt.tuple_stream.set(a.tuple_stream.get());
                        rebuilt.keep_singleton.set(a.keep_singleton.get());
                        result = Value::Array(Rc::new(rebuilt));
                    }
                }
            }
        }
        Ok(result)
    }

    fn evaluate_tuple_step(
        &mut self,
        expr: &Node,
        input: &Value,
        tuple_bindings: Option<&Value>,
        env: &Env,
    ) -> EvalResult<Value> {
        if let NodeKind::Sort { terms } = &expr.kind {
            let mut result = match tuple_bindings {
                Some(tb) => self.evaluate_sort(terms, expr.position, tb, env)?,
                None => {
                    let sorted = self.evaluate_sort(terms, expr.position, input, env)?;
                    let tuples = sorted
                        .items_or_self()
                        .into_iter()
                        .enumerate()
                        .map(|(ss, item)| {
                            let mut t = Object::new();
                            object_insert(&mut t, Rc::from(AT), item);
                            if let Some(index) = &expr.index {
                                object_insert(
                                    &mut t,
                                    Rc::from(index.as_str()),
                                    Value::Number(ss as f64),
                                );
                            }
                            Value::object(t)
                        })
                        .collect();
                    tuple_stream(tuples)
                }
            };
            if !expr.stages.is_empty() {
                result = self.evaluate_stages(&expr.stages, result, env)?;
            }
            return Ok(result);
        }
        let bindings: Vec<Value> = match tuple_bindings {
            Some(tb) => tb.items_or_self(),
            None => input
                .items_or_self()
                .into_iter()
                .map(|item| {
                    let mut t = Object::new();
                    object_insert(&mut t, Rc::from(AT), item);
                    Value::object(t)
                })
                .collect(),
        };
        let mut out = Vec::new();
        for tuple in &bindings {
            let step_env = self.frame_from_tuple(env, tuple);
            let context = tuple_get(tuple, AT);
            let res = self.evaluate(expr, &context, &step_env)?;
            if res.is_undefined() {
                continue;
            }
            let res_is_stream = res.is_tuple_stream();
            let items = res.items_or_self();
            self.budget.check_items(out.len() + items.len())?;
            self.budget.charge(items.len() as u64)?;
            for (bb, item) in items.into_iter().enumerate() {
                let mut t = match tuple {
                    Value::Object(o) => (**o).clone(),
                    _ => Object::new(),
                };
                if res_is_stream {
                    if let Value::Object(extra) = &item {
                        for (k, v) in extra.iter() {
                            object_insert(&mut t, k.clone(), v.clone());
                        }
                    }
                } else {
                    if let Some(focus) = &expr.focus {
                        object_insert(&mut t, Rc::from(focus.as_str()), item);
                        object_insert(&mut t, Rc::from(AT), context.clone());
                    } else {
                        object_insert(&mut t, Rc::from(AT), item);
                    }
                    if let Some(index) = &expr.index {
                        object_insert(&mut t, Rc::from(index.as_str()), Value::Number(bb as f64));
                    }
                    if let Some(label) = &expr.ancestor {
                        object_insert(&mut t, Rc::from(label.as_str()), context.clone());
                    }
                }
                out.push(Value::object(t));
            }
        }
        let mut result = tuple_stream(out);
        if !expr.stages.is_empty() {
            result = self.evaluate_stages(&expr.stages, result, env)?;
        }
        Ok(result)
    }

    /// Apply a predicate: a number selects by index (negative counts from the end),
    /// anything else filters by truthiness.
    pub(super) fn evaluate_filter(
        &mut self,
        predicate: &Node,
        input: Value,
        env: &Env,
    ) -> EvalResult<Value> {
        let is_stream = input.is_tuple_stream();
        // borrowed, not copied: `$big[0]` in a loop must not copy `$big` every time
        let items: &[Value] = match &input {
            Value::Array(a) => &a.items,
            other => std::slice::from_ref(other),
        };
        let make = |out: Vec<Value>| {
            let a = Array::sequence(out);
            a.tuple_stream.set(is_stream);
            Value::Array(Rc::new(a))
        };
        if let NodeKind::Number(n) = predicate.kind {
            let mut index = n.floor();
            if index < 0.0 {
                index += items.len() as f64;
            }
            let item = if index >= 0.0 && index < items.len() as f64 {
                items.get(index as usize).cloned()
            } else {
                None
            };
            return Ok(match item {
                None | Some(Value::Undefined) => make(Vec::new()),
                Some(arr @ Value::Array(_)) => arr,
                Some(v) => make(vec![v]),
            });
        }
        let len = items.len() as f64;
        let mut out = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let (context, item_env) = if is_stream {
                (tuple_get(item, AT), self.frame_from_tuple(env, item))
            } else {
                (item.clone(), env.clone())
            };
            let res = self.evaluate(predicate, &context, &item_env)?;
            let numbers: Option<Vec<f64>> = match &res {
                Value::Number(n) => {
                    functions::check_numeric(*n)?;
                    Some(vec![*n])
                }
                Value::Array(a) if functions::is_array_of_numbers(&res)? => {
                    Some(a.items.iter().filter_map(Value::as_number).collect())
                }
                _ => None,
            };
            match numbers {
                Some(nums) => {
                    for n in nums {
                        let mut ii = n.floor();
                        if ii < 0.0 {
                            ii += len;
                        }
                        if ii == index as f64 {
                            out.push(item.clone());
                        }
                    }
                }
                None => {
                    if functions::boolean(&res)? == Some(true) {
                        out.push(item.clone());
                    }
                }
            }
        }
        Ok(make(out))
    }
}

#[cfg(test)]
mod tests {
    use crate::asl::jsonata::test_eval;
    use serde_json::json;

    #[test]
    fn predicates_index_and_filter() {
        let input = json!({"a": [{"b": 1}, {"b": 2}, {"b": 3}]});
        assert_eq!(test_eval("a[-1].b", input.clone()), Ok(Some(json!(3))));
        assert_eq!(
            test_eval("a[[0, 2]].b", input.clone()),
            Ok(Some(json!([1, 3])))
        );
        assert_eq!(
            test_eval("a[b > 1].b", input.clone()),
            Ok(Some(json!([2, 3])))
        );
        assert_eq!(test_eval("a[0].b[]", input), Ok(Some(json!([1]))));
    }

    #[test]
    fn focus_index_and_parent_bindings() {
        let input =
            json!({"o": [{"id": 1, "p": [{"x": "a"}, {"x": "b"}]}, {"id": 2, "p": [{"x": "c"}]}]});
        assert_eq!(
            test_eval("o#$i.{'i': $i, 'id': id}", input.clone()),
            Ok(Some(json!([{"i": 0, "id": 1}, {"i": 1, "id": 2}])))
        );
        // `@` binds without moving the context: `o` is looked up on the root again
        assert_eq!(
            test_eval(
                "o@$a.o@$b[$a.id < $b.id].{'from': $a.id, 'to': $b.id}",
                input.clone()
            ),
            Ok(Some(json!({"from": 1, "to": 2})))
        );
        assert_eq!(test_eval("o.p.%.id", input), Ok(Some(json!([1, 1, 2]))));
    }
}
