//! Evaluation of intrinsic function calls.

use rand::RngCore;
use serde_json::Value;
use thiserror::Error;

use super::super::path::{Documents, JsonPath, PathEvalError, Root, to_json_string};
use super::ast::{ArgKind, IntrinsicCall};
use super::signature::signature;
use super::{fn_array, fn_encoding, fn_json, fn_math, fn_text};

/// The error name AWS records when an intrinsic function fails (bad
/// arguments, missing path): executions fail with `States.Runtime`.
pub const INTRINSIC_ERROR: &str = "States.Runtime";

/// An intrinsic function that failed while running: what the execution fails
/// with. The interpreter prefixes the cause with AWS's state prefix ("An
/// error occurred while executing the state '...' (entered at the event id
/// #n). ").
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{error}: {cause}")]
pub struct IntrinsicError {
    pub error: String,
    pub cause: String,
}

/// Why a path argument could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// The path matched nothing. `input` is the JSON text of the document it
    /// was evaluated on (AWS quotes it).
    NotFound { path: String, input: String },
    /// Any other failure, reported as is.
    Failed { error: String, cause: String },
}

/// Turns path arguments into values. The interpreter implements it over the
/// state input, the context object and the variables in scope.
pub trait PathResolver {
    fn resolve(&mut self, path: &JsonPath) -> Result<Value, ResolveError>;
}

/// A [`PathResolver`] over fixed documents, using Step Functions' path
/// semantics (definite paths yield a value, indefinite ones an array).
pub struct DocumentResolver<'a> {
    pub docs: Documents<'a>,
}

impl PathResolver for DocumentResolver<'_> {
    fn resolve(&mut self, path: &JsonPath) -> Result<Value, ResolveError> {
        path.evaluate_in(&self.docs).map_err(|e| match e {
            PathEvalError::NotFound { .. } => {
                let doc = match path.root() {
                    Root::Context => self.docs.context,
                    Root::Variable(name) => self.docs.variables.and_then(|v| v.get(name)),
                    Root::Input | Root::Current => Some(self.docs.input),
                };
                ResolveError::NotFound {
                    path: path.source().to_string(),
                    input: doc.map(to_json_string).unwrap_or_default(),
                }
            }
            other => ResolveError::Failed {
                error: INTRINSIC_ERROR.to_string(),
                cause: other.to_string(),
            },
        })
    }
}

fn failure(call: &IntrinsicCall, detail: &str) -> IntrinsicError {
    IntrinsicError {
        error: INTRINSIC_ERROR.to_string(),
        cause: format!(
            "There was an error while evaluating the intrinsic function: {}. {detail}",
            call.source
        ),
    }
}

/// Evaluates `call`. Path arguments go through `resolver`; `rng` feeds
/// `States.UUID` and unseeded `States.MathRandom`, so runs can be made
/// deterministic.
pub fn evaluate(
    call: &IntrinsicCall,
    resolver: &mut dyn PathResolver,
    rng: &mut dyn RngCore,
) -> Result<Value, IntrinsicError> {
    let mut values = Vec::with_capacity(call.args.len());
    for arg in &call.args {
        let value = match &arg.kind {
            ArgKind::Path(path) => resolver.resolve(path).map_err(|e| match e {
                ResolveError::NotFound { path, input } => failure(
                    call,
                    &format!(
                        "The JsonPath argument for the field '{path}' could not be found in the input '{input}'"
                    ),
                ),
                ResolveError::Failed { error, cause } => IntrinsicError { error, cause },
            })?,
            // Nesting depth is bounded by the parser.
            ArgKind::Call(inner) => evaluate(inner, resolver, rng)?,
            literal => literal.literal_value().unwrap_or(Value::Null),
        };
        values.push(value);
    }
    let Some(sig) = signature(&call.name) else {
        return Err(failure(
            call,
            &format!("The function '{}' is not supported", call.name),
        ));
    };
    let count = values.len();
    if count < sig.min_args() || sig.max_args().is_some_and(|max| count > max) {
        return Err(failure(call, &fn_text::invalid(sig.name)));
    }
    let result = match sig.name {
        "States.Format" => {
            let raw = match call.args.first().map(|a| &a.kind) {
                Some(ArgKind::String(s)) => Some(s.raw.as_str()),
                _ => None,
            };
            fn_text::format(&values, raw)
        }
        "States.StringToJson" => fn_json::string_to_json(&values),
        "States.JsonToString" => fn_json::json_to_string(&values),
        "States.Array" => fn_array::array(&values),
        "States.ArrayPartition" => fn_array::array_partition(&values),
        "States.ArrayContains" => fn_array::array_contains(&values),
        "States.ArrayRange" => fn_array::array_range(&values),
        "States.ArrayGetItem" => fn_array::array_get_item(&values),
        "States.ArrayLength" => fn_array::array_length(&values),
        "States.ArrayUnique" => fn_array::array_unique(&values),
        "States.Base64Encode" => fn_encoding::base64_encode(&values),
        "States.Base64Decode" => fn_encoding::base64_decode(&values),
        "States.Hash" => fn_encoding::hash(&values),
        "States.JsonMerge" => fn_json::json_merge(&values),
        "States.MathRandom" => fn_math::math_random(&values, rng),
        "States.MathAdd" => fn_math::math_add(&values),
        "States.StringSplit" => fn_text::string_split(&values),
        "States.UUID" => fn_math::uuid(rng),
        other => Err(format!("The function '{other}' is not supported")),
    };
    result.map_err(|detail| failure(call, &detail))
}

#[cfg(test)]
mod tests {
    use super::super::parse_intrinsic;
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use serde_json::{Map, json};

    fn run_with(
        text: &str,
        input: Value,
        context: Value,
        vars: Map<String, Value>,
    ) -> Result<Value, IntrinsicError> {
        let call = parse_intrinsic(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let mut resolver = DocumentResolver {
            docs: Documents {
                input: &input,
                context: Some(&context),
                variables: Some(&vars),
            },
        };
        evaluate(&call, &mut resolver, &mut StdRng::seed_from_u64(3))
    }

    fn run(text: &str, input: Value) -> Result<Value, IntrinsicError> {
        run_with(text, input, json!({}), Map::new())
    }

    #[test]
    fn resolves_paths_context_and_variables() {
        let mut vars = Map::new();
        vars.insert("name".into(), json!("John"));
        let out = run_with(
            "States.Format('{} {} {}', $.a, $$.Execution.Name, $name)",
            json!({"a": 1}),
            json!({"Execution": {"Name": "exec-1"}}),
            vars,
        )
        .unwrap();
        assert_eq!(out, json!("1 exec-1 John"));
    }

    #[test]
    fn nested_calls() {
        let out = run(
            "States.ArrayGetItem(States.StringSplit($.s, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($.s, '-')), -1))",
            json!({"s": "a-b-c"}),
        )
        .unwrap();
        assert_eq!(out, json!("c"));
        let out = run(
            "States.JsonMerge(States.StringToJson('{\"k\": \"v\"}'), $.o, false)",
            json!({"o": {"x": 1}}),
        )
        .unwrap();
        assert_eq!(out, json!({"k": "v", "x": 1}));
    }

    #[test]
    fn indefinite_path_arguments_are_arrays() {
        let out = run(
            "States.ArrayLength($.items[*].v)",
            json!({"items": [{"v": 1}, {"v": 2}]}),
        )
        .unwrap();
        assert_eq!(out, json!(2));
    }

    #[test]
    fn missing_paths_fail_like_aws() {
        let err = run("States.Hash($.missing, 'SHA-256')", json!({})).unwrap_err();
        assert_eq!(err.error, "States.Runtime");
        assert_eq!(
            err.cause,
            "There was an error while evaluating the intrinsic function: States.Hash($.missing, 'SHA-256'). The JsonPath argument for the field '$.missing' could not be found in the input '{}'"
        );
    }

    #[test]
    fn invalid_arguments_fail_like_aws() {
        let err = run("States.MathAdd('a', 1)", json!({})).unwrap_err();
        assert_eq!(err.error, "States.Runtime");
        assert!(
            err.cause.ends_with("Invalid arguments in States.MathAdd"),
            "{}",
            err.cause
        );
        let err = run("States.ArrayRange(1, 1001, 1)", json!({})).unwrap_err();
        assert!(err.cause.contains("Invalid arguments in States.ArrayRange"));
        let err = run("States.ArrayGetItem(States.Array(1), 5)", json!({})).unwrap_err();
        assert!(
            err.cause
                .contains("States.ArrayGetItem(States.Array(1), 5)"),
            "{}",
            err.cause
        );
        let err = run("States.Nope(1)", json!({})).unwrap_err();
        assert!(err.cause.contains("not supported"));
        let err = run("States.MathAdd(1)", json!({})).unwrap_err();
        assert!(err.cause.ends_with("Invalid arguments in States.MathAdd"));
    }

    #[test]
    fn format_keeps_escaped_braces() {
        assert_eq!(
            run(r"States.Format('\{\}{}', $.v)", json!({"v": "x"})).unwrap(),
            json!("{}x")
        );
    }

    #[test]
    fn random_functions_use_the_injected_rng() {
        let a = run("States.UUID()", json!({})).unwrap();
        let b = run("States.UUID()", json!({})).unwrap();
        assert_eq!(a, b);
        let r = run("States.MathRandom(1, 10)", json!({})).unwrap();
        assert!((1..10).contains(&r.as_i64().unwrap()));
    }
}
