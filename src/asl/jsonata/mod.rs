//! JSONata for ASL Studio: a port of jsonata-js 2.x over `serde_json::Value`.
//!
//! ```text
//! let expr = Expression::parse("$sum(Account.Order.Product.(Price * Quantity))")?;
//! let total = expr.evaluate(Some(&input), &Bindings::new())?;
//! ```
//!
//! Errors carry jsonata-js error codes (`T1006`, `S0201`, ...) and render as
//! `"<code>: <message>"`.  The AWS Step Functions additions (`$partition`, `$range`,
//! `$hash`, seeded `$random`, `$uuid`, `$parse`) are built in.  Nondeterminism (`$now`,
//! `$millis`, `$random`, `$shuffle`, `$uuid`) is controlled through [`EvalOptions`], and
//! evaluation is bounded by a depth limit and optional time/step budgets.

mod ast;
mod error;
mod evaluator;
mod functions;
mod json_out;
mod number;
mod parser;
mod post_process;
mod raw;
mod regex_js;
mod signature;
mod tokenizer;
mod value;

use std::collections::BTreeSet;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use indexmap::IndexMap;
use rand::{RngCore, SeedableRng};

pub use error::JsonataError;

use ast::{Node, NodeKind, Stage};
use error::{ErrorExt, err};
use evaluator::{Evaluator, Frame, Limits};
use value::{Array, ToJsonError, Value, from_json, to_json};

/// Default limit on nested evaluation depth (jsonata-js "stack overflow", U1001).
pub const DEFAULT_MAX_DEPTH: usize = 10_000;

/// Default stack for the evaluation thread.  Measured cost is about 4 KiB per depth level
/// in debug builds (well under 1 KiB in release), so this leaves a wide margin.
pub const DEFAULT_EVAL_STACK: usize = 256 << 20;

/// Stack for the parsing thread (the parser nests at most 500 levels).
const PARSE_STACK: usize = 64 << 20;

/// Stack bytes budgeted per depth level when clamping `max_depth` to the stack size.
const STACK_PER_DEPTH: usize = 16 << 10;

/// Run `f` on a helper thread with a stack of `stack` bytes (inline when `stack` is 0 or
/// no thread can be started), so deep recursion is bounded by our own limits rather than
/// the caller's stack size.
fn on_own_stack<T: Send>(
    stack: usize,
    f: impl FnOnce() -> Result<T, JsonataError> + Send,
) -> Result<T, JsonataError> {
    if stack == 0 {
        return f();
    }
    let job = std::sync::Mutex::new(Some(f));
    let run = || {
        let f = job.lock().ok().and_then(|mut g| g.take());
        match f {
            Some(f) => f(),
            None => Err(internal_error()),
        }
    };
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("jsonata".into())
            .stack_size(stack)
            .spawn_scoped(scope, run);
        match spawned {
            Ok(handle) => handle.join().unwrap_or_else(|_| Err(internal_error())),
            Err(_) => run(),
        }
    })
}

fn internal_error() -> JsonataError {
    JsonataError {
        code: "U1002".into(),
        message: "Internal error in the JSONata evaluator".into(),
        position: None,
        token: None,
    }
}

/// Parse an expression into the evaluator's tree (shared with `$eval`).
pub(crate) fn parse_ast(source: &str) -> Result<Node, error::Error> {
    post_process::Processor::run(parser::Parser::parse(source)?)
}

/// A parsed JSONata expression; cheap to clone and safe to share between threads.
#[derive(Clone, Debug)]
pub struct Expression {
    source: Arc<str>,
    ast: Arc<Node>,
}

/// Variables visible to an expression as `$name`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bindings {
    vars: IndexMap<String, serde_json::Value>,
}

impl Bindings {
    pub fn new() -> Bindings {
        Bindings::default()
    }
    /// Bind `$name` (without the `$`) to a JSON value; replaces an existing binding.
    pub fn insert(&mut self, name: impl Into<String>, value: serde_json::Value) -> &mut Self {
        self.vars.insert(name.into(), value);
        self
    }
    pub fn with(mut self, name: impl Into<String>, value: serde_json::Value) -> Self {
        self.insert(name, value);
        self
    }
    pub fn get(&self, name: &str) -> Option<&serde_json::Value> {
        self.vars.get(name)
    }
    pub fn len(&self) -> usize {
        self.vars.len()
    }
    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = (&str, &serde_json::Value)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl<K: Into<String>> FromIterator<(K, serde_json::Value)> for Bindings {
    fn from_iter<I: IntoIterator<Item = (K, serde_json::Value)>>(iter: I) -> Self {
        let mut b = Bindings::new();
        for (k, v) in iter {
            b.insert(k, v);
        }
        b
    }
}

/// Where `$random`, `$shuffle` and `$uuid` get their randomness.
pub enum RandomSource<'a> {
    /// The thread-local OS-seeded generator.
    Entropy,
    /// A deterministic generator seeded with this value.
    Seed(u64),
    /// A caller-supplied generator.
    Rng(&'a mut (dyn RngCore + Send)),
}

/// Controls for one evaluation.
pub struct EvalOptions<'a> {
    /// The instant `$now()` and `$millis()` report (one per evaluation, as in jsonata-js).
    pub now: DateTime<Utc>,
    pub random: RandomSource<'a>,
    /// Maximum nesting of evaluation steps before `U1001` (stack overflow) is reported.
    pub max_depth: usize,
    /// Wall-clock budget; exceeding it reports `U1001` (timeout).
    pub time_limit: Option<Duration>,
    /// Budget of evaluation steps; exceeding it reports `U1001`.
    pub max_steps: Option<u64>,
    /// Stack size of the thread the evaluation runs on; 0 runs on the calling thread (then
    /// choose `max_depth` to suit that thread's stack).  A non-zero size also caps
    /// `max_depth` at `stack_size / 16 KiB`.
    pub stack_size: usize,
}

impl Default for EvalOptions<'_> {
    fn default() -> Self {
        EvalOptions {
            now: Utc::now(),
            random: RandomSource::Entropy,
            max_depth: DEFAULT_MAX_DEPTH,
            time_limit: None,
            max_steps: None,
            stack_size: DEFAULT_EVAL_STACK,
        }
    }
}

impl Expression {
    /// Parse `source`; syntax errors carry jsonata-js codes (S0xxx) and the position.
    pub fn parse(source: &str) -> Result<Expression, JsonataError> {
        let ast = on_own_stack(PARSE_STACK, || {
            parse_ast(source).map_err(|e| e.into_public())
        })?;
        Ok(Expression {
            source: Arc::from(source),
            ast: Arc::new(ast),
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// Evaluate against `input` (`None` = undefined).  `Ok(None)` means an undefined
    /// result.  Uses the current time and OS randomness; see [`Expression::evaluate_with`].
    pub fn evaluate(
        &self,
        input: Option<&serde_json::Value>,
        bindings: &Bindings,
    ) -> Result<Option<serde_json::Value>, JsonataError> {
        self.evaluate_with(input, bindings, EvalOptions::default())
    }

    /// Evaluate with explicit time, randomness and limits.
    pub fn evaluate_with(
        &self,
        input: Option<&serde_json::Value>,
        bindings: &Bindings,
        mut options: EvalOptions<'_>,
    ) -> Result<Option<serde_json::Value>, JsonataError> {
        let stack = options.stack_size;
        if stack > 0 {
            options.max_depth = options.max_depth.min(stack / STACK_PER_DEPTH);
        }
        on_own_stack(stack, move || self.evaluate_here(input, bindings, options))
    }

    fn evaluate_here(
        &self,
        input: Option<&serde_json::Value>,
        bindings: &Bindings,
        options: EvalOptions<'_>,
    ) -> Result<Option<serde_json::Value>, JsonataError> {
        let mut seeded;
        let mut thread;
        let rng: &mut dyn RngCore = match options.random {
            RandomSource::Entropy => {
                thread = rand::rng();
                &mut thread
            }
            RandomSource::Seed(s) => {
                seeded = rand::rngs::StdRng::seed_from_u64(s);
                &mut seeded
            }
            RandomSource::Rng(r) => r as &mut dyn RngCore,
        };
        let limits = Limits {
            max_depth: options.max_depth,
            deadline: options.time_limit.map(|d| Instant::now() + d),
            max_steps: options.max_steps,
        };
        let now_millis = options.now.timestamp_millis() as f64;
        let mut ev = Evaluator::new(limits, now_millis, rng);
        let root = Frame::root();
        for (name, v) in bindings.iter() {
            ev.bind(&root, name, from_json(v));
        }
        let input = input.map(from_json).unwrap_or_default();
        ev.bind(&root, "$", input.clone());
        let input = match input {
            Value::Array(_) => {
                let wrapped = Array::sequence(vec![input]);
                wrapped.outer_wrapper.set(true);
                Value::Array(Rc::new(wrapped))
            }
            other => other,
        };
        let result = ev
            .evaluate(&self.ast, &input, &root)
            .map_err(|e| e.into_public())?;
        let json = to_json(&result).map_err(|e| match e {
            ToJsonError::NonFiniteNumber(n) => err("D1001")
                .with_value(value::error_insert(&Value::Number(n)))
                .into_public(),
            ToJsonError::TooDeep => err("U1001")
                .with_message(format!(
                    "The result is nested deeper than {} levels",
                    value::MAX_JSON_NESTING
                ))
                .into_public(),
        });
        drop(ev);
        json
    }

    /// Names of the `$variables` this expression reads from its environment (bindings),
    /// excluding built-in functions and variables it binds itself.
    pub fn free_variables(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut scopes: Vec<Vec<String>> = vec![Vec::new()];
        collect_free(&self.ast, &mut scopes, &mut out);
        out
    }
}

/// Parse `source` and list the `$variables` it reads (see [`Expression::free_variables`]).
pub fn extract_free_variables(source: &str) -> Result<BTreeSet<String>, JsonataError> {
    Ok(Expression::parse(source)?.free_variables())
}

/// Names of all built-in functions, without `$` (for editors and validators).
pub fn builtin_function_names() -> Vec<&'static str> {
    functions::builtin_names()
}

fn is_bound(scopes: &[Vec<String>], name: &str) -> bool {
    scopes.iter().any(|s| s.iter().any(|n| n == name))
}

fn collect_free(node: &Node, scopes: &mut Vec<Vec<String>>, out: &mut BTreeSet<String>) {
    let bind = |scopes: &mut Vec<Vec<String>>, name: &str| {
        if let Some(top) = scopes.last_mut() {
            top.push(name.to_string());
        }
    };
    match &node.kind {
        NodeKind::Variable(name) => {
            if !name.is_empty()
                && name != "$"
                && !is_bound(scopes, name)
                && functions::builtin(name).is_undefined()
            {
                out.insert(name.clone());
            }
        }
        NodeKind::Block(exprs) => {
            scopes.push(Vec::new());
            exprs.iter().for_each(|e| collect_free(e, scopes, out));
            scopes.pop();
        }
        NodeKind::Bind { name, rhs } => {
            collect_free(rhs, scopes, out);
            bind(scopes, name);
        }
        NodeKind::Lambda(def) => {
            scopes.push(def.params.clone());
            collect_free(&def.body, scopes, out);
            scopes.pop();
        }
        NodeKind::Path { steps, .. } => {
            scopes.push(Vec::new());
            for step in steps {
                collect_step(step, scopes, out);
                if let Some(f) = &step.focus {
                    bind(scopes, f);
                }
                if let Some(i) = &step.index {
                    bind(scopes, i);
                }
                for s in &step.stages {
                    if let Stage::Index(i) = s {
                        bind(scopes, i);
                    }
                }
            }
            if let Some(g) = &node.group {
                for (k, v) in &g.pairs {
                    collect_free(k, scopes, out);
                    collect_free(v, scopes, out);
                }
            }
            scopes.pop();
            return;
        }
        _ => {
            // visit direct children only; `walk` would also enter nested scopes
            let mut children: Vec<&Node> = Vec::new();
            direct_children(node, &mut children);
            for c in children {
                collect_free(c, scopes, out);
            }
            return;
        }
    }
    for p in &node.predicate {
        collect_free(p, scopes, out);
    }
}

/// A path step: the step itself plus its stages (predicates see the step's bindings).
fn collect_step(step: &Node, scopes: &mut Vec<Vec<String>>, out: &mut BTreeSet<String>) {
    let mut plain = step.clone();
    plain.stages.clear();
    collect_free(&plain, scopes, out);
    if let Some(f) = &step.focus
        && let Some(top) = scopes.last_mut()
    {
        top.push(f.clone());
    }
    for s in &step.stages {
        if let Stage::Filter(p) = s {
            collect_free(p, scopes, out);
        }
    }
}

fn direct_children<'a>(node: &'a Node, out: &mut Vec<&'a Node>) {
    match &node.kind {
        NodeKind::Binary { lhs, rhs, .. }
        | NodeKind::Elvis { lhs, rhs }
        | NodeKind::Coalesce { lhs, rhs }
        | NodeKind::Apply { lhs, rhs } => {
            out.push(lhs);
            out.push(rhs);
        }
        NodeKind::Negate(e) => out.push(e),
        NodeKind::Array(items) => out.extend(items.iter()),
        NodeKind::Object(g) => {
            for (k, v) in &g.pairs {
                out.push(k);
                out.push(v);
            }
        }
        NodeKind::Condition {
            cond,
            then,
            otherwise,
        } => {
            out.push(cond);
            out.push(then);
            if let Some(o) = otherwise {
                out.push(o);
            }
        }
        NodeKind::Function { procedure, args } | NodeKind::Partial { procedure, args } => {
            out.push(procedure);
            out.extend(args.iter());
        }
        NodeKind::Sort { terms } => out.extend(terms.iter().map(|t| &t.expression)),
        NodeKind::Transform(t) => {
            out.push(&t.pattern);
            out.push(&t.update);
            if let Some(d) = &t.delete {
                out.push(d);
            }
        }
        _ => {}
    }
    out.extend(node.predicate.iter());
    for s in &node.stages {
        if let Stage::Filter(p) = s {
            out.push(p);
        }
    }
    if let Some(g) = &node.group {
        for (k, v) in &g.pairs {
            out.push(k);
            out.push(v);
        }
    }
}

#[cfg(test)]
mod tests;
