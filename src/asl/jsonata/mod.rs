//! JSONata for ASL Studio: a port of jsonata-js 2.x over `serde_json::Value`.
//!
//! ```text
//! let expr = Expression::parse("$sum(Account.Order.Product.(Price * Quantity))")?;
//! let total = expr.evaluate(Some(&input), &Bindings::new())?;   // Ok(None) = undefined
//! ```
//!
//! * Errors carry jsonata-js error codes (`T1006`, `S0201`, ...) and display as
//!   `"<code>: <message>"`, the text Step Functions puts after "threw an error during
//!   evaluation.".
//! * The Step Functions additions (`$partition`, `$range`, `$hash`, seeded `$random`,
//!   `$uuid`, `$parse`) are built in; [`Dialect::StepFunctions`] rejects the jsonata 2.1
//!   operators `?:`/`??` that AWS's jsonata 2.0.6 does not know.
//! * Nondeterminism (`$now`, `$millis`, `$random`, `$shuffle`, `$uuid`) is controlled by
//!   [`EvalOptions`].
//! * Evaluation is bounded (see [`EvalOptions`]): by default a runaway expression (an
//!   endless recursion, a quadratic `$reduce`, a billion-character `$pad`) ends within a
//!   fraction of a second with a `U1001` error naming the limit ([`LimitExceeded`]).
//! * Stack safety: expressions that can recurse (lambdas, transforms, `$eval`) are
//!   evaluated on a helper thread with a large stack ([`EvalOptions::stack_size`]); all
//!   others, and every expression with `stack_size: 0`, run on the calling thread.
//!   Parsing runs on a helper thread.

mod ast;
mod error;
mod evaluator;
mod free_vars;
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
use std::time::Duration;

use chrono::{DateTime, Utc};
use indexmap::IndexMap;
use rand::{RngCore, SeedableRng};

pub use error::{JsonataError, LimitExceeded};

use ast::Node;
use error::{ErrorExt, err, limit_exceeded};
use evaluator::{Evaluator, Frame, Limits};
use value::{Array, ToJsonError, Value, to_json};

// Evaluation limits.  AWS documents none for JSONata evaluation: the Step Functions
// JSONata page (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html)
// names the version (2.0.6) and the functions only, and the service quotas
// (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html) bound what goes
// in and out of an expression: a state's input and output are at most 256 KiB (262,144
// bytes of UTF-8).  jsonata-js has no limits of its own either (its test suite wraps
// evaluation in `timeboxExpression(expr, timeout, depth)`, with 300-500 levels and 1 s for
// its runaway-recursion cases; its range operator refuses more than 1e7 items, D2014).  So
// the defaults below are ours: far above anything a 256 KiB payload needs, low enough that
// a runaway expression stops within a fraction of a second even in a debug build (the
// designer evaluates on its UI thread).

/// Default limit on nested evaluation depth and on nested function calls (U1001).  A
/// non-tail-recursive function can recurse about 3,000 levels deep (each level nests a few
/// evaluations); tail calls do not nest.
pub const DEFAULT_MAX_DEPTH: usize = 10_000;

/// Default budget of evaluation steps: one per node evaluated, one per function call, one
/// per array item produced, one per KiB of string produced.  `$map([1..100000],
/// function($v){ $v * 2 })` takes about 700,000; an endless loop spends the budget in
/// about half a second in a debug build and a few tens of milliseconds in a release build.
pub const DEFAULT_MAX_STEPS: u64 = 1_000_000;

/// Default limit on the items of one array or sequence, and on the values in the result:
/// a million is 8x what a 256 KiB payload can hold even as `[0,0,...]`, and matches the
/// limit jsonata-js's D2014 message states (it enforces 1e7).
pub const DEFAULT_MAX_ITEMS: usize = 1_000_000;

/// Default limit on the length of one string, in bytes (UTF-8): 10 MB, 40x the largest
/// payload a state can pass on.
pub const DEFAULT_MAX_STRING_LENGTH: usize = 10_000_000;

/// Default wall-clock limit, a backstop behind the step budget: work a built-in function
/// does on its arguments (`$sum` over a large input inside a loop, say) is not counted in
/// steps, since counting it would turn down ordinary quadratic expressions AWS runs.  An
/// expression within the step budget takes well under 100 ms in a release build, so only
/// an expression that would otherwise hang the designer meets this limit.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(3);

/// Default stack for the evaluation thread (virtual memory; pages are touched on use).
/// Measured debug-build cost is 3-16 KiB per depth level (the high end for recursion
/// through `$map`/`$sort`/`$replace` callbacks), release builds well under 2 KiB.
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
        limit: None,
    }
}

/// Parse an expression into the evaluator's tree (shared with `$eval`).
pub(crate) fn parse_ast(source: &str) -> Result<Node, error::Error> {
    parse_ast_dialect(source, Dialect::Jsonata21)
}

fn parse_ast_dialect(source: &str, dialect: Dialect) -> Result<Node, error::Error> {
    let raw = parser::Parser::parse_dialect(source, dialect == Dialect::Jsonata21)?;
    post_process::Processor::run(raw)
}

/// Which JSONata syntax to accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// jsonata-js 2.1: includes the `?:` (default) and `??` (coalescing) operators.
    #[default]
    Jsonata21,
    /// The jsonata 2.0.6 syntax AWS Step Functions runs: `?:` and `??` are syntax errors
    /// (S0211), exactly as Step Functions reports them.
    StepFunctions,
}

/// A parsed JSONata expression; cheap to clone and safe to share between threads.
#[derive(Clone, Debug)]
pub struct Expression {
    source: Arc<str>,
    ast: Arc<Node>,
    shape: free_vars::Shape,
}

/// Trees at most this deep, with no way to recurse, evaluate on the caller's stack.
const INLINE_MAX_TREE_DEPTH: usize = 48;

/// Depth limit for inline evaluation (generous for such trees; keeps the stack bounded).
const INLINE_MAX_DEPTH: usize = 600;

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
    /// Maximum nesting of evaluation (and, separately, of function calls) before `U1001`
    /// ([`LimitExceeded::Depth`]) is reported.  Default [`DEFAULT_MAX_DEPTH`].
    pub max_depth: usize,
    /// Wall-clock budget, read every 1024 steps; exceeding it reports `U1001`
    /// ([`LimitExceeded::Time`]).  Default [`DEFAULT_TIME_LIMIT`], a backstop; `None`
    /// makes every outcome independent of the machine's speed.
    pub time_limit: Option<Duration>,
    /// Budget of evaluation steps (see [`DEFAULT_MAX_STEPS`] for what costs a step);
    /// exceeding it reports `U1001` ([`LimitExceeded::Steps`]).  `None` = unlimited.
    pub max_steps: Option<u64>,
    /// Most items one array or sequence, or the whole result, may hold; more reports
    /// `U1001` ([`LimitExceeded::Items`]).  Default [`DEFAULT_MAX_ITEMS`].
    pub max_items: usize,
    /// Longest string, in bytes, an expression may produce; longer reports `U1001`
    /// ([`LimitExceeded::StringLength`]).  Default [`DEFAULT_MAX_STRING_LENGTH`].
    pub max_string_length: usize,
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
            time_limit: Some(DEFAULT_TIME_LIMIT),
            max_steps: Some(DEFAULT_MAX_STEPS),
            max_items: DEFAULT_MAX_ITEMS,
            max_string_length: DEFAULT_MAX_STRING_LENGTH,
            stack_size: DEFAULT_EVAL_STACK,
        }
    }
}

impl Expression {
    /// Parse `source`; syntax errors carry jsonata-js codes (S0xxx) and the position.
    pub fn parse(source: &str) -> Result<Expression, JsonataError> {
        Expression::parse_dialect(source, Dialect::default())
    }

    /// Parse with an explicit syntax dialect (see [`Dialect`]).
    pub fn parse_dialect(source: &str, dialect: Dialect) -> Result<Expression, JsonataError> {
        let (ast, shape) = on_own_stack(PARSE_STACK, || {
            let ast = parse_ast_dialect(source, dialect).map_err(|e| e.into_public())?;
            let shape = free_vars::shape(&ast);
            Ok((ast, shape))
        })?;
        Ok(Expression {
            source: Arc::from(source),
            ast: Arc::new(ast),
            shape,
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
        let mut stack = options.stack_size;
        if stack > 0 && !self.shape.may_recurse && self.shape.depth <= INLINE_MAX_TREE_DEPTH {
            // cannot recurse and the tree is shallow: the caller's stack is plenty, and
            // starting a thread would dominate the cost of evaluating
            stack = 0;
            options.max_depth = options.max_depth.min(INLINE_MAX_DEPTH);
        }
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
            time_limit: options.time_limit,
            max_steps: options.max_steps,
            max_items: options.max_items,
            max_string_length: options.max_string_length,
        };
        let now_millis = options.now.timestamp_millis() as f64;
        let mut ev = Evaluator::new(limits, now_millis, rng);
        let root = Frame::root();
        let convert = |v: &serde_json::Value| {
            value::from_json_limited(v, value::MAX_JSON_NESTING).ok_or_else(|| {
                err("U1001")
                    .with_message(format!(
                        "Input JSON is nested deeper than {} levels",
                        value::MAX_JSON_NESTING
                    ))
                    .into_public()
            })
        };
        for (name, v) in bindings.iter() {
            ev.bind(&root, name, convert(v)?);
        }
        let input = match input {
            Some(v) => convert(v)?,
            None => Value::Undefined,
        };
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
        let json = to_json(&result, options.max_items).map_err(|e| match e {
            ToJsonError::NonFiniteNumber(n) => err("D1001")
                .with_value(value::error_insert(&Value::Number(n)))
                .into_public(),
            ToJsonError::TooDeep => err("U1001")
                .with_message(format!(
                    "The result is nested deeper than {} levels",
                    value::MAX_JSON_NESTING
                ))
                .into_public(),
            ToJsonError::TooLarge(max) => limit_exceeded(LimitExceeded::Items(max)).into_public(),
        });
        drop(ev);
        json
    }

    /// Names of the `$variables` this expression reads from its environment (bindings),
    /// excluding built-in functions and variables it binds itself.
    pub fn free_variables(&self) -> BTreeSet<String> {
        free_vars::free_variables(&self.ast)
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

/// Evaluate `src` against `input` with a fixed clock and seed (unit-test helper).
#[cfg(test)]
pub(crate) fn test_eval(
    src: &str,
    input: serde_json::Value,
) -> Result<Option<serde_json::Value>, JsonataError> {
    let options = EvalOptions {
        random: RandomSource::Seed(1),
        now: DateTime::<Utc>::from_timestamp_millis(1_521_801_216_617).unwrap_or_default(),
        ..EvalOptions::default()
    };
    Expression::parse(src)?.evaluate_with(Some(&input), &Bindings::new(), options)
}

#[cfg(test)]
mod limit_tests;
#[cfg(test)]
mod tests;
