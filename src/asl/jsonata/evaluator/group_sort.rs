//! Object construction / grouping, order-by, and the transform operator.

use std::collections::HashMap;
use std::rc::Rc;

use indexmap::IndexMap;

use super::super::ast::{GroupSpec, SortTerm, TransformDef};
use super::super::error::{ErrorExt, EvalResult, err};
use super::super::functions::{self, append, js_less_than};
use super::super::value::{Object, Value, error_insert, object_insert};
use super::{Env, Evaluator};

struct GroupEntry {
    data: Value,
    expr_index: usize,
}

/// Insert into an ordered map with JavaScript property order (see `object_insert`).
fn group_insert(groups: &mut IndexMap<Rc<str>, GroupEntry>, key: Rc<str>, entry: GroupEntry) {
    let mut probe = Object::new();
    for k in groups.keys() {
        probe.insert(k.clone(), Value::Undefined);
    }
    object_insert(&mut probe, key.clone(), Value::Undefined);
    let pos = probe.get_index_of(&key).unwrap_or(groups.len());
    groups.shift_insert(pos, key, entry);
}

/// jsonata-js `reduceTupleStream`: merge a group's tuples, appending binding values.
fn reduce_tuple_stream(stream: &Value) -> Object {
    match stream {
        Value::Array(a) => {
            let mut result = match a.items.first() {
                Some(Value::Object(o)) => (**o).clone(),
                _ => Object::new(),
            };
            for tuple in a.items.iter().skip(1) {
                if let Value::Object(o) = tuple {
                    for (k, v) in o.iter() {
                        let prev = result.get(k).cloned().unwrap_or_default();
                        object_insert(&mut result, k.clone(), append(prev, v.clone()));
                    }
                }
            }
            result
        }
        Value::Object(o) => (**o).clone(),
        _ => Object::new(),
    }
}

impl Evaluator<'_> {
    pub(super) fn evaluate_group(
        &mut self,
        spec: &GroupSpec,
        input: &Value,
        env: &Env,
    ) -> EvalResult<Value> {
        let reduce = input.is_tuple_stream();
        let mut items = input.items_or_self();
        if items.is_empty() {
            items.push(Value::Undefined);
        }
        let mut groups: IndexMap<Rc<str>, GroupEntry> = IndexMap::new();
        for item in &items {
            let item_env = if reduce {
                self.frame_from_tuple(env, item)
            } else {
                env.clone()
            };
            let context = if reduce { item.get("@") } else { item.clone() };
            for (pair_index, (key_expr, _)) in spec.pairs.iter().enumerate() {
                let key = self.evaluate(key_expr, &context, &item_env)?;
                let key: Rc<str> = match key {
                    Value::String(s) => s,
                    Value::Undefined => continue,
                    other => {
                        return Err(err("T1003")
                            .at(spec.position)
                            .with_value(error_insert(&other)));
                    }
                };
                match groups.get_mut(&key) {
                    Some(entry) => {
                        if entry.expr_index != pair_index {
                            return Err(err("D1009")
                                .at(spec.position)
                                .with_value(error_insert(&Value::String(key))));
                        }
                        entry.data = append(std::mem::take(&mut entry.data), item.clone());
                    }
                    None => group_insert(
                        &mut groups,
                        key,
                        GroupEntry {
                            data: item.clone(),
                            expr_index: pair_index,
                        },
                    ),
                }
            }
        }
        let mut result = Object::new();
        for (key, entry) in groups {
            let (context, value_env) = if reduce {
                let mut tuple = reduce_tuple_stream(&entry.data);
                let context = tuple.shift_remove("@").unwrap_or_default();
                let frame = self.frame_from_tuple(env, &Value::object(tuple));
                (context, frame)
            } else {
                (entry.data, env.clone())
            };
            let Some((_, value_expr)) = spec.pairs.get(entry.expr_index) else {
                continue;
            };
            let value = self.evaluate(value_expr, &context, &value_env)?;
            if !value.is_undefined() {
                object_insert(&mut result, key, value);
            }
        }
        Ok(Value::object(result))
    }

    /// Order-by (`^(...)`): stable merge sort; undefined keys sort last.
    pub(super) fn evaluate_sort(
        &mut self,
        terms: &[SortTerm],
        position: usize,
        input: &Value,
        env: &Env,
    ) -> EvalResult<Value> {
        let Value::Array(arr) = input else {
            return Ok(input.clone());
        };
        if arr.items.len() <= 1 {
            return Ok(input.clone());
        }
        let is_tuple = arr.tuple_stream.get();
        // Sort keys are evaluated at most once per item and term.
        let mut keys: Vec<Vec<Option<Value>>> = vec![vec![None; terms.len()]; arr.items.len()];
        let items = &arr.items;
        let mut key_of = |ev: &mut Self, idx: usize, t: usize| -> EvalResult<Value> {
            if let Some(v) = &keys[idx][t] {
                return Ok(v.clone());
            }
            let item = &items[idx];
            let (context, term_env) = if is_tuple {
                (item.get("@"), ev.frame_from_tuple(env, item))
            } else {
                (item.clone(), env.clone())
            };
            let v = ev.evaluate(&terms[t].expression, &context, &term_env)?;
            keys[idx][t] = Some(v.clone());
            Ok(v)
        };
        let mut swap = |ev: &mut Self, a: usize, b: usize| -> EvalResult<bool> {
            let mut comp = 0i8;
            for (t, term) in terms.iter().enumerate() {
                let aa = key_of(ev, a, t)?;
                let bb = key_of(ev, b, t)?;
                if aa.is_undefined() {
                    comp = if bb.is_undefined() { 0 } else { 1 };
                    if comp != 0 {
                        break;
                    }
                    continue;
                }
                if bb.is_undefined() {
                    comp = -1;
                    break;
                }
                let comparable = |v: &Value| matches!(v, Value::String(_) | Value::Number(_));
                if !comparable(&aa) || !comparable(&bb) {
                    let bad = if comparable(&aa) { &bb } else { &aa };
                    return Err(err("T2008").at(position).with_value(error_insert(bad)));
                }
                if aa.js_type() != bb.js_type() {
                    return Err(err("T2007")
                        .at(position)
                        .with_value(error_insert(&aa))
                        .with_value2(error_insert(&bb)));
                }
                if functions::strict_eq_primitive(&aa, &bb) {
                    continue;
                }
                comp = if js_less_than(&aa, &bb) { -1 } else { 1 };
                if term.descending {
                    comp = -comp;
                }
                break;
            }
            Ok(comp == 1)
        };
        let order: Vec<usize> = (0..arr.items.len()).collect();
        let sorted = merge_sort(self, order, &mut swap)?;
        Ok(Value::array(
            sorted.into_iter().map(|i| arr.items[i].clone()).collect(),
        ))
    }

    /// The function a transform expression evaluates to, applied to `obj`.
    pub(crate) fn apply_transform(
        &mut self,
        def: &TransformDef,
        env: &Env,
        position: usize,
        obj: &Value,
    ) -> EvalResult<Value> {
        if obj.is_undefined() {
            return Ok(Value::Undefined);
        }
        let clone_fn = env.lookup("clone");
        if !clone_fn.is_function() {
            return Err(err("T2013").at(position));
        }
        let result = self.apply(&clone_fn, vec![obj.clone()], &Value::Null, env, None)?;
        let matches = self.evaluate(&def.pattern, &result, env)?;
        if matches.is_undefined() {
            return Ok(result);
        }
        // jsonata-js mutates the matched objects in place; we record the new content of
        // each matched object (by identity) and rebuild the clone afterwards.
        let mut edits: HashMap<usize, Object> = HashMap::new();
        for m in matches.items_or_self() {
            let Value::Object(original) = &m else {
                // updates only apply to objects; evaluate for errors all the same
                self.transform_non_object(def, &m, env)?;
                continue;
            };
            let id = Rc::as_ptr(original) as usize;
            let current = edits
                .get(&id)
                .cloned()
                .unwrap_or_else(|| (**original).clone());
            let current_value = Value::object(current.clone());
            let mut updated = current;
            let update = self.evaluate(&def.update, &current_value, env)?;
            match &update {
                Value::Undefined => {}
                Value::Object(u) => {
                    for (k, v) in u.iter() {
                        object_insert(&mut updated, k.clone(), v.clone());
                    }
                }
                other => {
                    return Err(err("T2011")
                        .at(def.update.position)
                        .with_value(error_insert(other)));
                }
            }
            if let Some(delete) = &def.delete {
                let deletions = self.evaluate(delete, &Value::object(updated.clone()), env)?;
                if !deletions.is_undefined() {
                    let names = deletions.items_or_self();
                    if !names.iter().all(|n| matches!(n, Value::String(_))) {
                        return Err(err("T2012")
                            .at(delete.position)
                            .with_value(error_insert(&deletions)));
                    }
                    for n in names {
                        if let Value::String(s) = n {
                            updated.shift_remove(&*s);
                        }
                    }
                }
            }
            edits.insert(id, updated);
        }
        Ok(rebuild(&result, &edits, 0))
    }

    fn transform_non_object(&mut self, def: &TransformDef, m: &Value, env: &Env) -> EvalResult<()> {
        let update = self.evaluate(&def.update, m, env)?;
        if !update.is_undefined() && !matches!(update, Value::Object(_)) {
            return Err(err("T2011")
                .at(def.update.position)
                .with_value(error_insert(&update)));
        }
        if let Some(delete) = &def.delete {
            let deletions = self.evaluate(delete, m, env)?;
            if !deletions.is_undefined()
                && !deletions
                    .items_or_self()
                    .iter()
                    .all(|n| matches!(n, Value::String(_)))
            {
                return Err(err("T2012")
                    .at(delete.position)
                    .with_value(error_insert(&deletions)));
            }
        }
        Ok(())
    }
}

/// Rebuild a cloned tree, substituting edited objects (matched by identity).
fn rebuild(v: &Value, edits: &HashMap<usize, Object>, depth: usize) -> Value {
    if edits.is_empty() || depth > 10_000 {
        return v.clone();
    }
    match v {
        Value::Object(o) => {
            let id = Rc::as_ptr(o) as usize;
            let source = edits.get(&id).unwrap_or(o);
            let mut out = Object::with_capacity(source.len());
            for (k, item) in source.iter() {
                out.insert(k.clone(), rebuild(item, edits, depth + 1));
            }
            Value::object(out)
        }
        Value::Array(a) => Value::array(
            a.items
                .iter()
                .map(|item| rebuild(item, edits, depth + 1))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// jsonata-js's top-down merge sort, driven by a "should swap" comparator.
pub(crate) fn merge_sort<E>(
    ev: &mut E,
    items: Vec<usize>,
    swap: &mut dyn FnMut(&mut E, usize, usize) -> EvalResult<bool>,
) -> EvalResult<Vec<usize>> {
    if items.len() <= 1 {
        return Ok(items);
    }
    let middle = items.len() / 2;
    let right_half = items[middle..].to_vec();
    let mut left_half = items;
    left_half.truncate(middle);
    let left = merge_sort(ev, left_half, swap)?;
    let right = merge_sort(ev, right_half, swap)?;
    let mut merged = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if swap(ev, left[i], right[j])? {
            merged.push(right[j]);
            j += 1;
        } else {
            merged.push(left[i]);
            i += 1;
        }
    }
    merged.extend_from_slice(&left[i..]);
    merged.extend_from_slice(&right[j..]);
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::merge_sort;
    use crate::asl::jsonata::test_eval;
    use serde_json::json;

    #[test]
    fn merge_sort_is_stable() {
        let keys = [2, 1, 2, 1];
        let mut unit = ();
        let mut swap = |_: &mut (), a: usize, b: usize| Ok(keys[a] > keys[b]);
        let order = merge_sort(&mut unit, vec![0, 1, 2, 3], &mut swap).unwrap_or_default();
        assert_eq!(order, [1, 3, 0, 2]);
    }

    #[test]
    fn order_by_grouping_and_transform() {
        let input = json!([{"n": "b", "v": 2}, {"n": "a", "v": 1}, {"n": "b", "v": 3}]);
        assert_eq!(
            test_eval("$^(>v).n", input.clone()),
            Ok(Some(json!(["b", "b", "a"])))
        );
        assert_eq!(
            test_eval("${n: $sum(v)}", input.clone()),
            Ok(Some(json!({"b": 5, "a": 1})))
        );
        assert_eq!(
            test_eval("$.{n: v}", input.clone()).map(|v| v.is_some()),
            Ok(true)
        );
        assert_eq!(
            test_eval("{'k': 1, 'k': 2}", json!(null))
                .err()
                .map(|e| e.code),
            Some("D1009".into())
        );
        assert_eq!(test_eval("$^(n, >v).v", input), Ok(Some(json!([1, 3, 2]))));
    }
}
