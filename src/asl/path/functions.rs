//! Jayway path functions: `length()`, `size()`, `min()`, `max()`, `avg()`,
//! `stddev()`, `sum()`, `concat()`, `append()`, `keys()`, `first()`,
//! `last()`, `index(n)`.

use serde_json::{Number, Value};

use super::ast::{FunctionArg, JsonPath, PathFunction, Root};
use super::eval::select_from;

/// Names Jayway knows; anything else is rejected when the path is parsed.
pub(crate) const FUNCTION_NAMES: [&str; 13] = [
    "length", "size", "min", "max", "avg", "stddev", "sum", "concat", "append", "keys", "first",
    "last", "index",
];

/// Applies `func` to `model` (the node the function is called on).
pub(crate) fn apply_function(
    func: &PathFunction,
    model: &Value,
    root: &Value,
) -> Result<Value, String> {
    let args = resolve_args(&func.args, model, root);
    match func.name.as_str() {
        "length" | "size" => Ok(match model {
            Value::Array(items) => Value::from(items.len()),
            Value::Object(map) => Value::from(map.len()),
            _ => Value::Null,
        }),
        "min" | "max" | "avg" | "stddev" | "sum" => aggregate(&func.name, model, &args),
        "concat" => {
            let mut text = String::new();
            if let Value::Array(items) = model {
                for item in items {
                    if let Value::String(s) = item {
                        text.push_str(s);
                    }
                }
            }
            for arg in flatten(&args) {
                match arg {
                    Value::String(s) => text.push_str(s),
                    Value::Number(n) => text.push_str(&n.to_string()),
                    Value::Bool(b) => text.push_str(&b.to_string()),
                    _ => {}
                }
            }
            Ok(Value::String(text))
        }
        "append" => match model {
            Value::Array(items) => {
                let mut items = items.clone();
                items.extend(args.iter().cloned());
                Ok(Value::Array(items))
            }
            other => Ok(other.clone()),
        },
        "keys" => Ok(match model {
            Value::Object(map) => Value::Array(map.keys().cloned().map(Value::String).collect()),
            _ => Value::Null,
        }),
        "first" => Ok(match model {
            Value::Array(items) => items.first().cloned().unwrap_or(Value::Null),
            _ => Value::Null,
        }),
        "last" => Ok(match model {
            Value::Array(items) => items.last().cloned().unwrap_or(Value::Null),
            _ => Value::Null,
        }),
        "index" => {
            let idx = args
                .first()
                .and_then(Value::as_f64)
                .map(|f| f.trunc() as i64)
                .ok_or_else(|| "Function index() requires a numeric argument".to_string())?;
            Ok(match model {
                Value::Array(items) => {
                    let len = items.len() as i64;
                    let effective = if idx < 0 { len + idx } else { idx };
                    usize::try_from(effective)
                        .ok()
                        .and_then(|i| items.get(i))
                        .cloned()
                        .unwrap_or(Value::Null)
                }
                _ => Value::Null,
            })
        }
        other => Err(format!("Function with name: {other} does not exist.")),
    }
}

fn resolve_args(args: &[FunctionArg], model: &Value, root: &Value) -> Vec<Value> {
    args.iter()
        .map(|arg| match arg {
            FunctionArg::Literal(v) => v.clone(),
            FunctionArg::Path(path) => resolve_path_arg(path, model, root),
        })
        .collect()
}

fn resolve_path_arg(path: &JsonPath, model: &Value, root: &Value) -> Value {
    let doc = match path.root() {
        Root::Current => model,
        _ => root,
    };
    let found = select_from(path, doc, root).unwrap_or_default();
    if path.is_definite() {
        found
            .into_iter()
            .next()
            .map(|v| v.into_owned())
            .unwrap_or(Value::Null)
    } else {
        Value::Array(found.into_iter().map(|v| v.into_owned()).collect())
    }
}

/// Arguments with arrays spread out (path arguments may yield arrays).
fn flatten(args: &[Value]) -> Vec<&Value> {
    let mut out = Vec::new();
    for arg in args {
        match arg {
            Value::Array(items) => out.extend(items.iter()),
            other => out.push(other),
        }
    }
    out
}

/// Numeric aggregations; Jayway computes them as doubles and fails on an
/// empty set of numbers.
fn aggregate(name: &str, model: &Value, args: &[Value]) -> Result<Value, String> {
    let mut numbers: Vec<f64> = Vec::new();
    if let Value::Array(items) = model {
        numbers.extend(items.iter().filter_map(|v| match v {
            Value::Number(n) => n.as_f64(),
            _ => None,
        }));
    }
    numbers.extend(flatten(args).into_iter().filter_map(Value::as_f64));
    if numbers.is_empty() {
        return Err("Aggregation function attempted to calculate value using empty array".into());
    }
    let count = numbers.len() as f64;
    let sum: f64 = numbers.iter().sum();
    let result = match name {
        "sum" => sum,
        "avg" => sum / count,
        "min" => numbers.iter().copied().fold(f64::INFINITY, f64::min),
        "max" => numbers.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        _ => {
            let mean = sum / count;
            let sum_sq: f64 = numbers.iter().map(|x| x * x).sum();
            (sum_sq / count - mean * mean).max(0.0).sqrt()
        }
    };
    Number::from_f64(result)
        .map(Value::Number)
        .ok_or_else(|| format!("Function {name}() produced a non-finite number"))
}

#[cfg(test)]
mod tests {
    use super::super::{PathEvalError, parse};
    use serde_json::{Value, json};

    fn eval(path: &str, doc: &Value) -> Result<Value, PathEvalError> {
        parse(path)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .evaluate(doc)
    }

    #[test]
    fn functions_on_arrays_and_objects() {
        let doc = json!({"n": [1, 2, 3, 4], "o": {"a": 1, "b": 2}, "s": ["a", "b"], "e": []});
        assert_eq!(eval("$.n.length()", &doc).unwrap(), json!(4));
        assert_eq!(eval("$.o.size()", &doc).unwrap(), json!(2));
        assert_eq!(eval("$.n.sum()", &doc).unwrap(), json!(10.0));
        assert_eq!(eval("$.n.avg()", &doc).unwrap(), json!(2.5));
        assert_eq!(eval("$.n.min()", &doc).unwrap(), json!(1.0));
        assert_eq!(eval("$.n.max()", &doc).unwrap(), json!(4.0));
        assert_eq!(
            eval("$.n.stddev()", &doc).unwrap(),
            json!(1.118033988749895)
        );
        assert_eq!(eval("$.n.sum(10)", &doc).unwrap(), json!(20.0));
        assert_eq!(eval("$.s.concat('c')", &doc).unwrap(), json!("abc"));
        assert_eq!(eval("$.n.append(5)", &doc).unwrap(), json!([1, 2, 3, 4, 5]));
        assert_eq!(eval("$.o.keys()", &doc).unwrap(), json!(["a", "b"]));
        assert_eq!(eval("$.n.first()", &doc).unwrap(), json!(1));
        assert_eq!(eval("$.n.last()", &doc).unwrap(), json!(4));
        assert_eq!(eval("$.n.index(-2)", &doc).unwrap(), json!(3));
        assert_eq!(eval("$.n.sum($.n[0])", &doc).unwrap(), json!(11.0));
    }

    #[test]
    fn aggregation_of_nothing_fails() {
        assert!(matches!(
            eval("$.e.avg()", &json!({"e": []})),
            Err(PathEvalError::Function { .. })
        ));
    }

    #[test]
    fn unknown_functions_are_syntax_errors() {
        assert!(parse("$.a.nope()").is_err());
    }
}
