//! Function invocation: calls, partial application, `~>`, lambdas and the tail-call
//! trampoline.

use std::rc::Rc;

use super::super::ast::{Node, NodeKind};
use super::super::error::{Error, ErrorExt, EvalResult, err};
use super::super::functions::{Function, Lambda, NativeCx};
use super::super::value::{Value, error_insert};
use super::{Env, Evaluator, Frame};

/// Where a call happens: jsonata-js stamps errors raised inside a function with the
/// caller's position and the function's name.
#[derive(Debug, Clone)]
pub(crate) struct CallSite {
    pub token: Option<String>,
    pub position: usize,
}

fn annotate(mut e: Error, site: &Option<CallSite>) -> Error {
    if let Some(site) = site {
        if e.token.is_none() {
            e.token = site.token.clone();
        }
        e.position = Some(site.position);
    }
    e
}

/// The procedure name jsonata-js reports: first step of a path, or the variable name.
fn procedure_name(procedure: &Node) -> Option<String> {
    match &procedure.kind {
        NodeKind::Path { steps, .. } => match steps.first().map(|s| &s.kind) {
            Some(NodeKind::Name(n)) => Some(n.clone()),
            _ => None,
        },
        NodeKind::Variable(v) => Some(v.clone()),
        _ => None,
    }
}

/// The tail-call thunk a function returned, if any.
fn as_thunk(v: &Value) -> Option<Lambda> {
    match v {
        Value::Function(f) => match &**f {
            Function::Lambda(l) if l.def.thunk => Some(l.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// JavaScript truthiness (used where jsonata-js tests a raw JS value).
pub(crate) fn js_truthy(v: &Value) -> bool {
    match v {
        Value::Undefined | Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => *n != 0.0 && !n.is_nan(),
        Value::String(s) => !s.is_empty(),
        _ => true,
    }
}

impl Evaluator<'_> {
    /// `T1005`/`T1007` hint: the user wrote `sum(...)` but meant `$sum(...)`.
    fn forgot_dollar(&self, procedure: &Node, env: &Env) -> Option<String> {
        if let NodeKind::Path { steps, .. } = &procedure.kind
            && let Some(NodeKind::Name(n)) = steps.first().map(|s| &s.kind)
            && js_truthy(&env.lookup(n))
        {
            return Some(n.clone());
        }
        None
    }

    pub(super) fn evaluate_function(
        &mut self,
        expr: &Node,
        procedure: &Node,
        args: &[Node],
        input: &Value,
        env: &Env,
        apply_to: Option<Value>,
    ) -> EvalResult<Value> {
        let proc = self.evaluate(procedure, input, env)?;
        if proc.is_undefined()
            && let Some(name) = self.forgot_dollar(procedure, env)
        {
            return Err(err("T1005").at(expr.position).with_token(name));
        }
        let mut evaluated = Vec::with_capacity(args.len() + 1);
        if let Some(context) = apply_to {
            evaluated.push(context);
        }
        for arg in args {
            evaluated.push(self.evaluate(arg, input, env)?);
        }
        let name = procedure_name(procedure);
        let site = Some(CallSite {
            token: name.clone(),
            position: expr.position,
        });
        self.apply(&proc, evaluated, input, env, site)
            .map_err(|mut e| {
                if e.position.is_none() {
                    e.position = Some(expr.position);
                }
                if e.token.is_none() {
                    e.token = name;
                }
                e
            })
    }

    pub(super) fn evaluate_partial(
        &mut self,
        expr: &Node,
        procedure: &Node,
        args: &[Node],
        input: &Value,
        env: &Env,
    ) -> EvalResult<Value> {
        let mut evaluated = Vec::with_capacity(args.len());
        for arg in args {
            if matches!(arg.kind, NodeKind::Placeholder) {
                evaluated.push(None);
            } else {
                evaluated.push(Some(self.evaluate(arg, input, env)?));
            }
        }
        let proc = self.evaluate(procedure, input, env)?;
        if proc.is_undefined()
            && let Some(name) = self.forgot_dollar(procedure, env)
        {
            return Err(err("T1007").at(expr.position).with_token(name));
        }
        let Value::Function(f) = &proc else {
            let mut e = err("T1008").at(expr.position);
            e.token = procedure_name(procedure);
            return Err(e);
        };
        Ok(Value::Function(Rc::new(match &**f {
            Function::Lambda(l) => {
                // bind the supplied arguments; `?` slots (and nothing else) stay open
                let frame = Frame::child(&l.env);
                let mut unbound = Vec::new();
                for (i, param) in l.params().iter().enumerate() {
                    match evaluated.get(i) {
                        Some(None) => unbound.push(param.clone()),
                        Some(Some(v)) => self.bind(&frame, param, v.clone()),
                        None => self.bind(&frame, param, Value::Undefined),
                    }
                }
                Function::Lambda(Lambda {
                    def: l.def.clone(),
                    input: l.input.clone(),
                    env: frame,
                    params: Some(Rc::from(unbound)),
                })
            }
            _ => {
                let arity = f.arity().max(evaluated.len());
                let mut slots = evaluated;
                slots.resize(arity, Some(Value::Undefined));
                Function::Partial {
                    target: f.clone(),
                    args: slots,
                }
            }
        })))
    }

    /// `lhs ~> rhs`: call rhs with lhs as first argument, or compose two functions.
    pub(super) fn evaluate_apply(
        &mut self,
        lhs: &Node,
        rhs: &Node,
        position: usize,
        input: &Value,
        env: &Env,
    ) -> EvalResult<Value> {
        let l = self.evaluate(lhs, input, env)?;
        if let NodeKind::Function { procedure, args } = &rhs.kind {
            return self.evaluate_function(rhs, procedure, args, input, env, Some(l));
        }
        let func = self.evaluate(rhs, input, env)?;
        if !func.is_function() {
            return Err(err("T2006").at(position).with_value(error_insert(&func)));
        }
        if l.is_function() {
            return Ok(Value::Function(Rc::new(Function::Chain {
                first: l,
                second: func,
            })));
        }
        self.apply(&func, vec![l], &Value::Null, env, None)
    }

    /// Apply a function value, running the tail-call trampoline.
    pub(crate) fn apply(
        &mut self,
        proc: &Value,
        args: Vec<Value>,
        input: &Value,
        env: &Env,
        site: Option<CallSite>,
    ) -> EvalResult<Value> {
        self.enter_apply()?;
        let result = self.apply_trampoline(proc, args, input, env, site);
        self.exit_apply();
        result
    }

    fn apply_trampoline(
        &mut self,
        proc: &Value,
        args: Vec<Value>,
        input: &Value,
        env: &Env,
        site: Option<CallSite>,
    ) -> EvalResult<Value> {
        let mut result = self.apply_inner(proc, args, input, env, site)?;
        while let Some(thunk) = as_thunk(&result) {
            let NodeKind::Function { procedure, args } = &thunk.def.body.kind else {
                break;
            };
            let next = self.evaluate(procedure, &thunk.input, &thunk.env)?;
            let mut evaluated = Vec::with_capacity(args.len());
            for arg in args {
                evaluated.push(self.evaluate(arg, &thunk.input, &thunk.env)?);
            }
            let site = Some(CallSite {
                token: procedure_name(procedure),
                position: procedure.position,
            });
            result = self.apply_inner(&next, evaluated, input, env, site)?;
        }
        Ok(result)
    }

    fn apply_inner(
        &mut self,
        proc: &Value,
        args: Vec<Value>,
        input: &Value,
        env: &Env,
        site: Option<CallSite>,
    ) -> EvalResult<Value> {
        // every call costs a step, each turn of the tail-call trampoline included
        self.budget.charge(1)?;
        let Value::Function(f) = proc else {
            // jsonata-js only annotates when the procedure exists; the caller adds the rest
            let mut e = err("T1006");
            if let Some(s) = &site {
                e.position = Some(s.position);
                e.token = s.token.clone();
            }
            return Err(e);
        };
        let validated = match f.signature() {
            Some(sig) => sig.validate(&args, input).map_err(|e| annotate(e, &site))?,
            None => args,
        };
        self.invoke(f, validated, input, env)
            .map_err(|e| annotate(e, &site))
    }

    /// Run a function body with already validated arguments.
    fn invoke(
        &mut self,
        f: &Rc<Function>,
        args: Vec<Value>,
        input: &Value,
        env: &Env,
    ) -> EvalResult<Value> {
        match &**f {
            Function::Lambda(l) => {
                let frame = Frame::child(&l.env);
                for (i, param) in l.params().iter().enumerate() {
                    let v = args.get(i).cloned().unwrap_or_default();
                    self.bind(&frame, param, v);
                }
                self.evaluate(&l.def.body, &l.input, &frame)
            }
            Function::Native(def) => {
                let cx = NativeCx {
                    input: input.clone(),
                    env: env.clone(),
                };
                let result = (def.imp)(self, &args, &cx)?;
                // natives build arrays and strings without evaluating a node per item
                self.budget.produce_value(&result)?;
                Ok(result)
            }
            Function::Partial {
                target,
                args: bound,
            } => {
                let mut supplied = args.into_iter();
                let full: Vec<Value> = bound
                    .iter()
                    .map(|slot| match slot {
                        Some(v) => v.clone(),
                        None => supplied.next().unwrap_or_default(),
                    })
                    .collect();
                self.apply(&Value::Function(target.clone()), full, input, env, None)
            }
            Function::Regex { regex, position } => {
                let found = super::super::functions::regex_match_value(
                    regex,
                    *position,
                    args.first().unwrap_or(&Value::Undefined),
                    args.get(1),
                )?;
                self.pay_for_match(&found)?;
                Ok(found)
            }
            Function::RegexNext {
                regex,
                text,
                from,
                from_utf16,
                position,
            } => {
                let found = super::super::functions::regex_next(
                    regex,
                    text,
                    *from,
                    *from_utf16,
                    *position,
                )?;
                self.pay_for_match(&found)?;
                Ok(found)
            }
            Function::Transform {
                def,
                env: t_env,
                position,
            } => {
                let obj = args.first().cloned().unwrap_or_default();
                self.apply_transform(def, t_env, *position, &obj)
            }
            Function::Chain { first, second } => {
                let x = args.first().cloned().unwrap_or_default();
                let intermediate = self.apply(first, vec![x], &Value::Null, env, None)?;
                self.apply(second, vec![intermediate], &Value::Null, env, None)
            }
        }
    }

    /// A regex match is an object of five values (match, start, end, groups, next): it
    /// is paid for as the items it holds, so scanning a long text for many matches runs
    /// out of steps as fast as building the equivalent arrays would.
    fn pay_for_match(&mut self, found: &Value) -> EvalResult<()> {
        if let Value::Object(o) = found {
            self.budget.charge(o.len() as u64)?;
        }
        Ok(())
    }

    /// Call a function value from a native higher-order function (jsonata-js wraps such
    /// arguments in closures that apply with a null context).
    pub(crate) fn call(&mut self, f: &Value, args: Vec<Value>, env: &Env) -> EvalResult<Value> {
        self.apply(f, args, &Value::Null, env, None)
    }
}

#[cfg(test)]
mod tests {
    use super::js_truthy;
    use crate::asl::jsonata::test_eval;
    use crate::asl::jsonata::value::Value;
    use serde_json::json;

    #[test]
    fn javascript_truthiness() {
        assert!(!js_truthy(&Value::Number(0.0)));
        assert!(!js_truthy(&Value::string("")));
        assert!(js_truthy(&Value::array(vec![])));
        assert!(!js_truthy(&Value::Number(f64::NAN)));
    }

    #[test]
    fn partial_application_and_chaining() {
        assert_eq!(
            test_eval(
                "($first3 := $substring(?, 0, 3); $first3('abcdef'))",
                json!(null)
            ),
            Ok(Some(json!("abc")))
        );
        assert_eq!(
            test_eval(
                "($f := function($a, $b){ $a - $b }; $f(?, 1)(10))",
                json!(null)
            ),
            Ok(Some(json!(9)))
        );
        assert_eq!(
            test_eval("('  Hello ' ~> $trim ~> $uppercase)", json!(null)),
            Ok(Some(json!("HELLO")))
        );
        assert_eq!(
            test_eval("($f := $uppercase ~> $length; $f('abc'))", json!(null)),
            Ok(Some(json!(3)))
        );
    }

    #[test]
    fn calling_non_functions() {
        let code = |src: &str| test_eval(src, json!({"x": 1})).err().map(|e| e.code);
        assert_eq!(code("$nothing()"), Some("T1006".into()));
        assert_eq!(code("x ~> 5"), Some("T2006".into()));
        assert_eq!(code("$nothing(?)"), Some("T1008".into()));
    }
}
