//! Field values compiled once per definition: JSONPath payload templates (`.$` keys, paths,
//! intrinsic functions) and JSONata templates (`{% %}` strings anywhere in a value).

use crate::asl::intrinsics::{self, IntrinsicCall, PathResolver, ResolveError};
use crate::asl::is_jsonata_text;
use crate::asl::jsonata::{Bindings, Dialect, EvalOptions, Expression, RandomSource};
use crate::asl::path::{self, JsonPath, PathEvalError, Root};
use serde_json::{Map as JsonMap, Value};

/// Nesting bound when compiling user JSON.
const MAX_DEPTH: usize = 256;

/// What paths and expressions read: the input, the context object, the variables.
pub(crate) struct Env<'a> {
    pub input: &'a Value,
    pub context: &'a dyn Fn() -> Value,
    pub variable: &'a dyn Fn(&str) -> Option<Value>,
    pub rng: &'a mut (dyn rand::RngCore + Send),
}

/// Why a path could not be read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PathFailure {
    /// Nothing at the path; `document` is the JSON it was evaluated on.
    NotFound {
        message: String,
        document: Value,
    },
    UndefinedVariable(String),
}

impl Env<'_> {
    /// Evaluates a path on the document its root designates.
    pub fn read(&mut self, path: &JsonPath) -> Result<Value, PathFailure> {
        let owned;
        let document = match path.root() {
            Root::Input | Root::Current => self.input,
            Root::Context => {
                owned = (self.context)();
                &owned
            }
            Root::Variable(name) => {
                owned = (self.variable)(name)
                    .ok_or_else(|| PathFailure::UndefinedVariable(name.clone()))?;
                &owned
            }
        };
        path.evaluate(document)
            .map_err(|error| PathFailure::NotFound {
                message: match &error {
                    PathEvalError::NotFound { message, .. } => message.clone(),
                    other => other.to_string(),
                },
                document: document.clone(),
            })
    }
}

/// A failure while evaluating a template, before the state name is known.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TemplateError {
    /// `States.Runtime` with this message.
    Runtime(String),
    /// `States.IntrinsicFailure`-style errors from intrinsics: error name and cause.
    Intrinsic { error: String, cause: String },
    /// `States.QueryEvaluationError`: the location (e.g. `Output/a`) and the message.
    Query { location: String, message: String },
}

// ---------------------------------------------------------------- JSONPath payload templates

/// A payload template of a JSONPath state (Parameters, ResultSelector, ItemSelector, Assign...).
#[derive(Debug, Clone)]
pub(crate) enum PathTemplate {
    Static(Value),
    Object(Vec<(String, PathTemplate)>),
    Array(Vec<PathTemplate>),
    Path { field: String, path: JsonPath },
    Intrinsic(IntrinsicCall),
}

impl PathTemplate {
    pub fn compile(value: &Value) -> Result<PathTemplate, String> {
        compile_path_template(value, 0)
    }

    pub fn evaluate(&self, env: &mut Env<'_>) -> Result<Value, TemplateError> {
        match self {
            PathTemplate::Static(value) => Ok(value.clone()),
            PathTemplate::Object(members) => {
                let mut out = JsonMap::with_capacity(members.len());
                for (key, template) in members {
                    out.insert(key.clone(), template.evaluate(env)?);
                }
                Ok(Value::Object(out))
            }
            PathTemplate::Array(items) => items.iter().map(|t| t.evaluate(env)).collect::<Result<_, _>>().map(Value::Array),
            PathTemplate::Path { field, path } => env.read(path).map_err(|failure| match failure {
                PathFailure::NotFound { document, .. } => {
                    TemplateError::Runtime(path::field_not_found_cause(path.source(), field, &document))
                }
                PathFailure::UndefinedVariable(name) => TemplateError::Runtime(format!(
                    "The JSONPath '{}' specified for the field '{field}' refers to the variable '{name}', which is not defined",
                    path.source()
                )),
            }),
            PathTemplate::Intrinsic(call) => evaluate_intrinsic(call, env),
        }
    }

    /// A template that is a single path (InputPath-like use of a `.$` string).
    pub fn is_static(&self) -> bool {
        matches!(self, PathTemplate::Static(_))
    }
}

fn compile_path_template(value: &Value, depth: usize) -> Result<PathTemplate, String> {
    if depth > MAX_DEPTH {
        return Err("the payload template is nested too deeply".into());
    }
    Ok(match value {
        Value::Object(object) => {
            let mut members = Vec::with_capacity(object.len());
            let mut dynamic = false;
            for (key, inner) in object {
                match key.strip_suffix(".$") {
                    Some(name) => {
                        dynamic = true;
                        let Some(text) = inner.as_str() else {
                            return Err(format!(
                                "the value of \"{key}\" must be a path or an intrinsic function"
                            ));
                        };
                        members.push((name.to_string(), compile_dynamic(key, text)?));
                    }
                    None => {
                        let compiled = compile_path_template(inner, depth + 1)?;
                        dynamic |= !compiled.is_static();
                        members.push((key.clone(), compiled));
                    }
                }
            }
            if dynamic {
                PathTemplate::Object(members)
            } else {
                PathTemplate::Static(value.clone())
            }
        }
        Value::Array(items) => {
            let compiled: Vec<PathTemplate> = items
                .iter()
                .map(|i| compile_path_template(i, depth + 1))
                .collect::<Result<_, _>>()?;
            if compiled.iter().all(PathTemplate::is_static) {
                PathTemplate::Static(value.clone())
            } else {
                PathTemplate::Array(compiled)
            }
        }
        other => PathTemplate::Static(other.clone()),
    })
}

/// The value of a `key.$` member: an intrinsic function call or a path.
fn compile_dynamic(key: &str, text: &str) -> Result<PathTemplate, String> {
    if text.starts_with("States.") {
        let call =
            intrinsics::parse_intrinsic(text).map_err(|e| format!("\"{key}\": {}", e.message))?;
        return Ok(PathTemplate::Intrinsic(call));
    }
    let path = path::parse(text).map_err(|e| format!("\"{key}\": {e}"))?;
    Ok(PathTemplate::Path {
        field: key.to_string(),
        path,
    })
}

/// An optional path field (InputPath...) or intrinsic (ErrorPath...) compiled once.
pub(crate) fn compile_path(text: &str) -> Result<JsonPath, String> {
    path::parse(text).map_err(|e| e.to_string())
}

pub(crate) fn compile_path_or_intrinsic(field: &str, text: &str) -> Result<PathTemplate, String> {
    compile_dynamic(field, text)
}

struct EnvResolver<'e, 'a> {
    env: &'e mut Env<'a>,
}

impl PathResolver for EnvResolver<'_, '_> {
    fn resolve(&mut self, path: &JsonPath) -> Result<Value, ResolveError> {
        self.env.read(path).map_err(|failure| match failure {
            PathFailure::NotFound { document, .. } => ResolveError::NotFound {
                path: path.source().to_string(),
                input: path::to_json_string(&document),
            },
            PathFailure::UndefinedVariable(name) => ResolveError::Failed {
                error: "States.Runtime".into(),
                cause: format!("The variable '{name}' is not defined"),
            },
        })
    }
}

fn evaluate_intrinsic(call: &IntrinsicCall, env: &mut Env<'_>) -> Result<Value, TemplateError> {
    // The resolver borrows the env; intrinsics get their own generator seeded from it.
    let mut local = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(env.rng.next_u64());
    let mut resolver = EnvResolver { env };
    intrinsics::evaluate(call, &mut resolver, &mut local).map_err(|e| TemplateError::Intrinsic {
        error: e.error,
        cause: e.cause,
    })
}

// ---------------------------------------------------------------- JSONata templates

/// A JSONata-state field: strings `{% expr %}` anywhere in the value are evaluated.
#[derive(Debug, Clone)]
pub(crate) enum JsonataTemplate {
    Static(Value),
    Expr {
        source: String,
        expression: Expression,
    },
    Object(Vec<(String, JsonataTemplate)>),
    Array(Vec<JsonataTemplate>),
}

/// Inputs of a JSONata evaluation: `$states` and the variables.
pub(crate) struct JsonataEnv<'a> {
    pub bindings: &'a Bindings,
    pub now: chrono::DateTime<chrono::Utc>,
    pub seed: u64,
}

impl JsonataTemplate {
    pub fn compile(value: &Value) -> Result<JsonataTemplate, String> {
        compile_jsonata(value, 0)
    }

    pub fn is_static(&self) -> bool {
        matches!(self, JsonataTemplate::Static(_))
    }

    /// Evaluates; `location` names the field for error messages (`Output`, `Arguments/a`...).
    pub fn evaluate(&self, location: &str, env: &JsonataEnv<'_>) -> Result<Value, TemplateError> {
        match self {
            JsonataTemplate::Static(value) => Ok(value.clone()),
            JsonataTemplate::Expr { source, expression } => {
                let options = EvalOptions {
                    now: env.now,
                    random: RandomSource::Seed(env.seed),
                    ..EvalOptions::default()
                };
                match expression.evaluate_with(None, env.bindings, options) {
                    Ok(Some(value)) => Ok(value),
                    Ok(None) => Err(TemplateError::Query {
                        location: location.to_string(),
                        message: format!(
                            "The JSONata expression '{source}' specified for the field '{location}' returned nothing (undefined)."
                        ),
                    }),
                    Err(error) => Err(TemplateError::Query {
                        location: location.to_string(),
                        message: format!(
                            "The JSONata expression '{source}' specified for the field '{location}' threw an error during evaluation. {error}"
                        ),
                    }),
                }
            }
            JsonataTemplate::Object(members) => {
                let mut out = JsonMap::with_capacity(members.len());
                for (key, template) in members {
                    out.insert(
                        key.clone(),
                        template.evaluate(&format!("{location}/{key}"), env)?,
                    );
                }
                Ok(Value::Object(out))
            }
            JsonataTemplate::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, t)| t.evaluate(&format!("{location}[{i}]"), env))
                .collect::<Result<_, _>>()
                .map(Value::Array),
        }
    }
}

fn compile_jsonata(value: &Value, depth: usize) -> Result<JsonataTemplate, String> {
    if depth > MAX_DEPTH {
        return Err("the value is nested too deeply".into());
    }
    Ok(match value {
        Value::String(text) if is_jsonata_text(text) => {
            let source = text[2..text.len() - 2].trim().to_string();
            let expression = Expression::parse_dialect(&source, Dialect::StepFunctions)
                .map_err(|e| format!("'{source}': {e}"))?;
            JsonataTemplate::Expr { source, expression }
        }
        Value::Object(object) => {
            let members: Vec<(String, JsonataTemplate)> = object
                .iter()
                .map(|(k, v)| compile_jsonata(v, depth + 1).map(|t| (k.clone(), t)))
                .collect::<Result<_, _>>()?;
            if members.iter().all(|(_, t)| t.is_static()) {
                JsonataTemplate::Static(value.clone())
            } else {
                JsonataTemplate::Object(members)
            }
        }
        Value::Array(items) => {
            let compiled: Vec<JsonataTemplate> = items
                .iter()
                .map(|i| compile_jsonata(i, depth + 1))
                .collect::<Result<_, _>>()?;
            if compiled.iter().all(JsonataTemplate::is_static) {
                JsonataTemplate::Static(value.clone())
            } else {
                JsonataTemplate::Array(compiled)
            }
        }
        other => JsonataTemplate::Static(other.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn env_eval(template: &PathTemplate, input: &Value) -> Result<Value, TemplateError> {
        let context = || json!({"Execution": {"Id": "arn:x"}});
        let variable = |name: &str| (name == "x").then(|| json!(42));
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(1);
        let mut env = Env {
            input,
            context: &context,
            variable: &variable,
            rng: &mut rng,
        };
        template.evaluate(&mut env)
    }

    #[test]
    fn payload_templates_resolve_paths_context_variables_and_intrinsics() {
        let template = PathTemplate::compile(&json!({
            "static": "$.not-a-path", "a.$": "$.a", "ctx.$": "$$.Execution.Id", "v.$": "$x",
            "f.$": "States.Format('{}-{}', $.a, $x)", "nested": [{"b.$": "$.b[1]"}]
        }))
        .unwrap();
        let out = env_eval(&template, &json!({"a": "A", "b": [1, 2]})).unwrap();
        assert_eq!(
            out,
            json!({"static": "$.not-a-path", "a": "A", "ctx": "arn:x", "v": 42, "f": "A-42", "nested": [{"b": 2}]})
        );
    }

    #[test]
    fn missing_paths_fail_with_aws_wording() {
        let template = PathTemplate::compile(&json!({"value.$": "$.no_such_jsonpath"})).unwrap();
        let error = env_eval(&template, &json!({"int-literal": 0})).unwrap_err();
        assert_eq!(
            error,
            TemplateError::Runtime("The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{\"int-literal\":0}'".into())
        );
    }

    #[test]
    fn static_templates_are_kept_as_values() {
        assert!(
            PathTemplate::compile(&json!({"a": [1, {"b": "c"}]}))
                .unwrap()
                .is_static()
        );
        assert!(
            JsonataTemplate::compile(&json!({"a": [1, "{ %x% }"]}))
                .unwrap()
                .is_static()
        );
        assert!(PathTemplate::compile(&json!({"a.$": 3})).is_err());
    }

    #[test]
    fn jsonata_templates_evaluate_nested_expressions() {
        let template = JsonataTemplate::compile(
            &json!({"sum": "{% $sum($states.input.n) %}", "list": [1, "{% $v %}"]}),
        )
        .unwrap();
        let bindings = Bindings::new()
            .with("states", json!({"input": {"n": [1, 2]}}))
            .with("v", json!("x"));
        let env = JsonataEnv {
            bindings: &bindings,
            now: chrono::Utc::now(),
            seed: 1,
        };
        assert_eq!(
            template.evaluate("Output", &env).unwrap(),
            json!({"sum": 3, "list": [1, "x"]})
        );
        let undefined = JsonataTemplate::compile(&json!("{% $nothing %}")).unwrap();
        match undefined.evaluate("Output", &env) {
            Err(TemplateError::Query { location, message }) => {
                assert_eq!(location, "Output");
                assert_eq!(
                    message,
                    "The JSONata expression '$nothing' specified for the field 'Output' returned nothing (undefined)."
                );
            }
            other => panic!("{other:?}"),
        }
    }
}
