//! Tree-walking evaluator, a port of jsonata-js `evaluate()` and friends.
//!
//! Evaluation is recursive like the original.  Every `evaluate` call counts towards a depth
//! limit (jsonata-js's test-suite `depth` guard reports U1001 the same way), so runaway
//! recursion ends in an error instead of a stack overflow, and pays into the [`Budget`]
//! of steps, time and value sizes, so runaway loops and blow-ups end in an error too.

mod apply;
mod budget;
mod group_sort;
mod operators;
mod path;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use rand::RngCore;

use super::ast::{Node, NodeKind};
use super::error::{EvalResult, LimitExceeded, limit_exceeded};
use super::functions::{self, Function, Lambda};
use super::value::{Array, Value};

pub(crate) use apply::js_truthy;
pub(crate) use budget::{Budget, Limits};
pub(crate) use group_sort::merge_sort;

/// A scope of variable bindings (jsonata-js `createFrame`).
pub(crate) struct Frame {
    vars: RefCell<HashMap<Rc<str>, Value>>,
    parent: Option<Env>,
}

pub(crate) type Env = Rc<Frame>;

impl Frame {
    pub fn root() -> Env {
        Rc::new(Frame {
            vars: RefCell::new(HashMap::new()),
            parent: None,
        })
    }
    pub fn child(parent: &Env) -> Env {
        Rc::new(Frame {
            vars: RefCell::new(HashMap::new()),
            parent: Some(parent.clone()),
        })
    }
    /// Look a name up through enclosing frames, then among the built-in functions.
    /// A name bound to `undefined` still shadows outer bindings, as in jsonata-js.
    pub fn lookup(&self, name: &str) -> Value {
        if let Some(v) = self.vars.borrow().get(name) {
            return v.clone();
        }
        let mut frame = self.parent.clone();
        while let Some(f) = frame {
            if let Some(v) = f.vars.borrow().get(name) {
                return v.clone();
            }
            frame = f.parent.clone();
        }
        functions::builtin(name)
    }
}

pub(crate) struct Evaluator<'r> {
    depth: usize,
    /// Nesting of function applications.  Tail calls and natives calling back into
    /// functions (`$map`, `$sort`, ...) can recurse without nesting `evaluate`, so this is
    /// bounded separately (by the same limit).
    apply_depth: usize,
    /// Steps, time and size limits; natives pay into it for the work they do.
    pub budget: Budget,
    /// The single instant `$now()` / `$millis()` report during this evaluation.
    pub now_millis: f64,
    pub rng: &'r mut dyn RngCore,
    /// Frames that received a function value; cleared at the end to break Rc cycles
    /// (a closure stored in the frame it captured).
    closure_frames: Vec<Weak<Frame>>,
}

impl Drop for Evaluator<'_> {
    fn drop(&mut self) {
        for weak in self.closure_frames.drain(..) {
            if let Some(frame) = weak.upgrade() {
                frame.vars.borrow_mut().clear();
            }
        }
    }
}

impl<'r> Evaluator<'r> {
    pub fn new(limits: Limits, now_millis: f64, rng: &'r mut dyn RngCore) -> Evaluator<'r> {
        Evaluator {
            depth: 0,
            apply_depth: 0,
            budget: Budget::new(limits),
            now_millis,
            rng,
            closure_frames: Vec::new(),
        }
    }

    pub fn bind(&mut self, env: &Env, name: &str, value: Value) {
        if value.is_function() {
            self.closure_frames.push(Rc::downgrade(env));
        }
        env.vars.borrow_mut().insert(Rc::from(name), value);
    }

    /// Enter a function application: nested applications are bounded like nested
    /// evaluation (tail calls and natives calling back into functions, `$map`, `$sort`...,
    /// can nest without nesting `evaluate`).
    pub(crate) fn enter_apply(&mut self) -> EvalResult<()> {
        if self.apply_depth >= self.budget.limits.max_depth {
            return Err(self.too_deep());
        }
        self.apply_depth += 1;
        Ok(())
    }

    pub(crate) fn exit_apply(&mut self) {
        self.apply_depth = self.apply_depth.saturating_sub(1);
    }

    fn too_deep(&self) -> super::error::Error {
        limit_exceeded(LimitExceeded::Depth(self.budget.limits.max_depth))
    }

    pub fn evaluate(&mut self, expr: &Node, input: &Value, env: &Env) -> EvalResult<Value> {
        if self.depth >= self.budget.limits.max_depth {
            return Err(self.too_deep());
        }
        self.budget.charge(1)?;
        self.depth += 1;
        let result = self.evaluate_node(expr, input, env);
        self.depth -= 1;
        let result = result?;
        // whatever made the value, nothing larger than the limits travels further
        self.budget.check_size(&result)?;
        Ok(normalize_sequence(result, expr.keep_array))
    }

    fn evaluate_node(&mut self, expr: &Node, input: &Value, env: &Env) -> EvalResult<Value> {
        let mut result = match &expr.kind {
            NodeKind::Path { .. } => self.evaluate_path(expr, input, env)?,
            NodeKind::Binary { op, lhs, rhs } => {
                self.evaluate_binary(*op, lhs, rhs, expr.position, input, env)?
            }
            NodeKind::Negate(inner) => self.evaluate_negate(inner, expr.position, input, env)?,
            NodeKind::Array(items) => self.evaluate_array(items, expr.cons_array, input, env)?,
            NodeKind::Object(spec) => self.evaluate_group(spec, input, env)?,
            NodeKind::Name(name) => lookup_field(input, name, &mut self.budget)?,
            NodeKind::Str(s) => Value::string(s.as_str()),
            NodeKind::Number(n) => Value::Number(*n),
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Null => Value::Null,
            NodeKind::Wildcard => evaluate_wildcard(input, &mut self.budget)?,
            NodeKind::Descendant => evaluate_descendants(input, &mut self.budget)?,
            NodeKind::Parent { label, .. } => env.lookup(label),
            NodeKind::Condition {
                cond,
                then,
                otherwise,
            } => {
                let c = self.evaluate(cond, input, env)?;
                if functions::boolean(&c)? == Some(true) {
                    self.evaluate(then, input, env)?
                } else if let Some(o) = otherwise {
                    self.evaluate(o, input, env)?
                } else {
                    Value::Undefined
                }
            }
            NodeKind::Elvis { lhs, rhs } => {
                let l = self.evaluate(lhs, input, env)?;
                if functions::boolean(&l)? == Some(true) {
                    l
                } else {
                    self.evaluate(rhs, input, env)?
                }
            }
            NodeKind::Coalesce { lhs, rhs } => {
                let l = self.evaluate(lhs, input, env)?;
                if l.is_undefined() {
                    self.evaluate(rhs, input, env)?
                } else {
                    l
                }
            }
            NodeKind::Block(exprs) => {
                let frame = Frame::child(env);
                let mut result = Value::Undefined;
                for e in exprs {
                    result = self.evaluate(e, input, &frame)?;
                }
                result
            }
            NodeKind::Bind { name, rhs } => {
                let value = self.evaluate(rhs, input, env)?;
                self.bind(env, name, value.clone());
                value
            }
            NodeKind::Regex(re) => Value::Function(Rc::new(Function::Regex {
                regex: re.clone(),
                position: expr.position,
            })),
            NodeKind::Function { procedure, args } => {
                self.evaluate_function(expr, procedure, args, input, env, None)?
            }
            NodeKind::Partial { procedure, args } => {
                self.evaluate_partial(expr, procedure, args, input, env)?
            }
            NodeKind::Placeholder | NodeKind::Sort { .. } => Value::Undefined,
            NodeKind::Variable(name) => {
                if name.is_empty() {
                    match input {
                        Value::Array(a) if a.outer_wrapper.get() => {
                            a.items.first().cloned().unwrap_or_default()
                        }
                        other => other.clone(),
                    }
                } else {
                    env.lookup(name)
                }
            }
            NodeKind::Lambda(def) => Value::Function(Rc::new(Function::Lambda(Lambda {
                def: def.clone(),
                input: input.clone(),
                env: env.clone(),
                params: None,
            }))),
            NodeKind::Apply { lhs, rhs } => {
                self.evaluate_apply(lhs, rhs, expr.position, input, env)?
            }
            NodeKind::Transform(def) => Value::Function(Rc::new(Function::Transform {
                def: def.clone(),
                env: env.clone(),
                position: expr.position,
            })),
        };
        for predicate in &expr.predicate {
            result = self.evaluate_filter(predicate, result, env)?;
        }
        if !matches!(expr.kind, NodeKind::Path { .. })
            && let Some(group) = &expr.group
        {
            result = self.evaluate_group(group, &result, env)?;
        }
        Ok(result)
    }

    /// Array constructor: nested constructors stay nested, everything else is appended.
    fn evaluate_array(
        &mut self,
        items: &[Node],
        cons: bool,
        input: &Value,
        env: &Env,
    ) -> EvalResult<Value> {
        let mut out = Vec::new();
        for item in items {
            let value = self.evaluate(item, input, env)?;
            if value.is_undefined() {
                continue;
            }
            if matches!(item.kind, NodeKind::Array(_)) {
                out.push(value);
            } else {
                match value {
                    Value::Array(a) => {
                        self.budget.check_items(out.len() + a.items.len())?;
                        out.extend(a.items.iter().cloned());
                    }
                    v => out.push(v),
                }
            }
        }
        self.budget.produce_items(out.len())?;
        let arr = Array::plain(out);
        arr.cons.set(cons);
        Ok(Value::Array(Rc::new(arr)))
    }
}

/// jsonata-js collapses sequences on the way out of `evaluate`: empty → undefined, a
/// singleton → its item (unless the sequence was asked to keep singletons).
fn normalize_sequence(result: Value, keep_array: bool) -> Value {
    match &result {
        Value::Array(a) if a.sequence.get() && !a.tuple_stream.get() => {
            if keep_array {
                a.keep_singleton.set(true);
            }
            match a.items.len() {
                0 => Value::Undefined,
                1 if !a.keep_singleton.get() => a.items[0].clone(),
                _ => result,
            }
        }
        _ => result,
    }
}

/// jsonata-js `fn.lookup`: field access that maps over arrays and flattens one level.
/// Copied items are paid for: an array holding the same large array many times would
/// otherwise flatten into a huge one for free.
pub(crate) fn lookup_field(input: &Value, key: &str, budget: &mut Budget) -> EvalResult<Value> {
    Ok(match input {
        Value::Array(a) => {
            let mut out = Vec::new();
            for item in &a.items {
                match lookup_field(item, key, budget)? {
                    Value::Undefined => {}
                    Value::Array(inner) => {
                        budget.check_items(out.len() + inner.items.len())?;
                        budget.charge(inner.items.len() as u64)?;
                        out.extend(inner.items.iter().cloned());
                    }
                    v => out.push(v),
                }
            }
            budget.produce_items(out.len())?;
            Value::sequence(out)
        }
        Value::Object(o) => o.get(key).cloned().unwrap_or_default(),
        _ => Value::Undefined,
    })
}

/// `*`: values of all fields, arrays flattened.
fn evaluate_wildcard(input: &Value, budget: &mut Budget) -> EvalResult<Value> {
    let input = match input {
        Value::Array(a) if a.outer_wrapper.get() && !a.items.is_empty() => a.items[0].clone(),
        other => other.clone(),
    };
    let mut out = Vec::new();
    match &input {
        Value::Object(o) => o
            .values()
            .try_for_each(|v| flatten_into(v, &mut out, budget))?,
        // Object.keys() of an array enumerates its elements
        Value::Array(a) => a
            .items
            .iter()
            .try_for_each(|v| flatten_into(v, &mut out, budget))?,
        _ => {}
    }
    Ok(Value::sequence(out))
}

/// Append `v`, or the leaves of `v` when it is an array.  Every value visited costs a
/// step, arrays included: nested shared arrays could otherwise stand for billions of
/// values without producing any.
fn flatten_into(v: &Value, out: &mut Vec<Value>, budget: &mut Budget) -> EvalResult<()> {
    let mut stack = vec![v.clone()];
    while let Some(item) = stack.pop() {
        budget.charge(1)?;
        match item {
            Value::Array(a) => stack.extend(a.items.iter().rev().cloned()),
            other => {
                out.push(other);
                budget.check_items(out.len())?;
            }
        }
    }
    Ok(())
}

/// `**`: the input and every value below it, depth first (each visit costs a step, as in
/// [`flatten_into`]).
fn evaluate_descendants(input: &Value, budget: &mut Budget) -> EvalResult<Value> {
    if input.is_undefined() {
        return Ok(Value::Undefined);
    }
    let mut out = Vec::new();
    let mut stack = vec![input.clone()];
    while let Some(item) = stack.pop() {
        budget.charge(1)?;
        match &item {
            Value::Array(a) => stack.extend(a.items.iter().rev().cloned()),
            Value::Object(o) => {
                out.push(item.clone());
                stack.extend(o.values().rev().cloned());
            }
            _ => out.push(item),
        }
        budget.check_items(out.len())?;
    }
    Ok(if out.len() == 1 {
        out.pop().unwrap_or_default()
    } else {
        Value::sequence(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::jsonata::value::from_json;

    #[test]
    fn lookup_maps_and_flattens() {
        let v = from_json(&serde_json::json!([{"a": [1, 2]}, {"a": 3}, {"b": 4}]));
        let mut budget = Budget::new(Limits::unlimited());
        let r = lookup_field(&v, "a", &mut budget).unwrap_or_default();
        assert_eq!(
            crate::asl::jsonata::json_out::stringify(&r, false),
            "[1,2,3]"
        );
        let mut small = Budget::new(Limits {
            max_items: 2,
            ..Limits::unlimited()
        });
        let too_many = lookup_field(&v, "a", &mut small)
            .err()
            .and_then(|e| e.limit);
        assert_eq!(too_many, Some(LimitExceeded::Items(2)));
    }

    #[test]
    fn descendants_are_depth_first() {
        let v = from_json(&serde_json::json!({"a": {"b": 1}, "c": [2, 3]}));
        let r = evaluate_descendants(&v, &mut Budget::new(Limits::unlimited())).unwrap_or_default();
        assert_eq!(
            crate::asl::jsonata::json_out::stringify(&r, false),
            r#"[{"a":{"b":1},"c":[2,3]},{"b":1},1,2,3]"#
        );
    }

    #[test]
    fn sequences_collapse_on_exit() {
        assert!(normalize_sequence(Value::sequence(vec![]), false).is_undefined());
        let one = normalize_sequence(Value::sequence(vec![Value::Number(1.0)]), false);
        assert!(matches!(one, Value::Number(n) if n == 1.0));
        let kept = normalize_sequence(Value::sequence(vec![Value::Number(1.0)]), true);
        assert!(kept.is_array());
    }
}
