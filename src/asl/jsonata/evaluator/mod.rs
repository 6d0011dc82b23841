//! Tree-walking evaluator, a port of jsonata-js `evaluate()` and friends.
//!
//! Evaluation is recursive like the original.  Every `evaluate` call counts towards a depth
//! limit (jsonata-js's test-suite `depth` guard reports U1001 the same way) and optional
//! time/step budgets, so runaway recursion ends in an error instead of a stack overflow.

mod apply;
mod group_sort;
mod operators;
mod path;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};
use std::time::Instant;

use rand::RngCore;

use super::ast::{Node, NodeKind};
use super::error::{ErrorExt, EvalResult, err};
use super::functions::{self, Function, Lambda};
use super::value::{Array, Value};

pub(crate) use apply::js_truthy;
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

/// Limits that keep evaluation bounded.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub max_depth: usize,
    pub deadline: Option<Instant>,
    pub max_steps: Option<u64>,
}

pub(crate) struct Evaluator<'r> {
    depth: usize,
    /// Nesting of function applications.  Tail calls and natives calling back into
    /// functions (`$map`, `$sort`, ...) can recurse without nesting `evaluate`, so this is
    /// bounded separately (by the same limit).
    apply_depth: usize,
    steps: u64,
    limits: Limits,
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
            steps: 0,
            limits,
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

    pub(crate) fn enter_apply(&mut self) -> EvalResult<()> {
        self.apply_depth += 1;
        if self.apply_depth > self.limits.max_depth {
            self.apply_depth -= 1;
            return Err(Self::stack_overflow());
        }
        Ok(())
    }

    pub(crate) fn exit_apply(&mut self) {
        self.apply_depth = self.apply_depth.saturating_sub(1);
    }

    fn stack_overflow() -> super::error::Error {
        err("U1001").with_message(
            "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive.",
        )
    }

    /// Budget checks shared by evaluate entry/exit (jsonata-js test-suite `timeboxExpression`).
    fn check_budget(&mut self) -> EvalResult<()> {
        self.steps += 1;
        if let Some(max) = self.limits.max_steps
            && self.steps > max
        {
            return Err(err("U1001").with_message(
                "Expression evaluation exceeded its step budget: Check for infinite loop",
            ));
        }
        if let Some(deadline) = self.limits.deadline
            && self.steps.is_multiple_of(64)
            && Instant::now() > deadline
        {
            return Err(
                err("U1001").with_message("Expression evaluation timeout: Check for infinite loop")
            );
        }
        Ok(())
    }

    pub fn evaluate(&mut self, expr: &Node, input: &Value, env: &Env) -> EvalResult<Value> {
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            self.depth -= 1;
            return Err(Self::stack_overflow());
        }
        let result = self
            .check_budget()
            .and_then(|_| self.evaluate_node(expr, input, env));
        self.depth -= 1;
        let result = result?;
        self.check_budget()?;
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
            NodeKind::Name(name) => lookup_field(input, name),
            NodeKind::Str(s) => Value::string(s.as_str()),
            NodeKind::Number(n) => Value::Number(*n),
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Null => Value::Null,
            NodeKind::Wildcard => evaluate_wildcard(input),
            NodeKind::Descendant => evaluate_descendants(input),
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
                    Value::Array(a) => out.extend(a.items.iter().cloned()),
                    v => out.push(v),
                }
            }
        }
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
pub(crate) fn lookup_field(input: &Value, key: &str) -> Value {
    match input {
        Value::Array(a) => {
            let mut out = Vec::new();
            for item in &a.items {
                match lookup_field(item, key) {
                    Value::Undefined => {}
                    Value::Array(inner) => out.extend(inner.items.iter().cloned()),
                    v => out.push(v),
                }
            }
            Value::sequence(out)
        }
        Value::Object(o) => o.get(key).cloned().unwrap_or_default(),
        _ => Value::Undefined,
    }
}

/// `*`: values of all fields, arrays flattened.
fn evaluate_wildcard(input: &Value) -> Value {
    let input = match input {
        Value::Array(a) if a.outer_wrapper.get() && !a.items.is_empty() => a.items[0].clone(),
        other => other.clone(),
    };
    let mut out = Vec::new();
    let push_value = |v: &Value, out: &mut Vec<Value>| match v {
        Value::Array(_) => flatten_into(v, out),
        other => out.push(other.clone()),
    };
    match &input {
        Value::Object(o) => o.values().for_each(|v| push_value(v, &mut out)),
        // Object.keys() of an array enumerates its elements
        Value::Array(a) => a.items.iter().for_each(|v| push_value(v, &mut out)),
        _ => {}
    }
    Value::sequence(out)
}

fn flatten_into(v: &Value, out: &mut Vec<Value>) {
    let mut stack = vec![v.clone()];
    while let Some(item) = stack.pop() {
        match item {
            Value::Array(a) => stack.extend(a.items.iter().rev().cloned()),
            other => out.push(other),
        }
    }
}

/// `**`: the input and every value below it, depth first.
fn evaluate_descendants(input: &Value) -> Value {
    if input.is_undefined() {
        return Value::Undefined;
    }
    let mut out = Vec::new();
    let mut stack = vec![input.clone()];
    while let Some(item) = stack.pop() {
        match &item {
            Value::Array(a) => stack.extend(a.items.iter().rev().cloned()),
            Value::Object(o) => {
                out.push(item.clone());
                stack.extend(o.values().rev().cloned());
            }
            _ => out.push(item),
        }
    }
    if out.len() == 1 {
        out.pop().unwrap_or_default()
    } else {
        Value::sequence(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::jsonata::value::from_json;

    #[test]
    fn lookup_maps_and_flattens() {
        let v = from_json(&serde_json::json!([{"a": [1, 2]}, {"a": 3}, {"b": 4}]));
        let r = lookup_field(&v, "a");
        assert_eq!(
            crate::asl::jsonata::json_out::stringify(&r, false),
            "[1,2,3]"
        );
    }

    #[test]
    fn descendants_are_depth_first() {
        let v = from_json(&serde_json::json!({"a": {"b": 1}, "c": [2, 3]}));
        let r = evaluate_descendants(&v);
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
