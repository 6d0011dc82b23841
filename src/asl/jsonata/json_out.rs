//! `JSON.stringify` as used by `$string` (with jsonata's number-precision replacer) and for
//! error-message inserts.

use super::error::{ErrorExt, EvalResult, err};
use super::number::{js_number_to_string, to_precision_15};
use super::value::{Value, error_insert};

/// Nesting beyond this is reported instead of recursing further (stack safety).
const MAX_NESTING: usize = 10_000;

/// Plain `JSON.stringify(v)` (or with 2-space indent); never fails.  Used for messages
/// and debug output, so unrepresentable parts degrade to `null`.
pub(crate) fn stringify(v: &Value, pretty: bool) -> String {
    let mut out = String::new();
    let _ = write_value(v, pretty, false, 0, &mut out);
    out
}

/// `$string` serialisation: numbers go through `Number(n.toPrecision(15))`, functions
/// become `""`, and a non-finite number raises D1001 as jsonata-js's `isNumeric` does.
pub(crate) fn stringify_for_string_fn(v: &Value, pretty: bool) -> EvalResult<String> {
    let mut out = String::new();
    write_value(v, pretty, true, 0, &mut out)?;
    Ok(out)
}

fn indent(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn write_string(s: &str, out: &mut String) {
    // serde_json escapes exactly what JSON.stringify escapes for well-formed strings.
    out.push_str(&serde_json::Value::String(s.to_string()).to_string());
}

/// Writes the JSON text for `v`; returns whether anything was written (undefined and,
/// outside jsonata mode, functions produce nothing, like JSON.stringify).
fn write_value(
    v: &Value,
    pretty: bool,
    jsonata: bool,
    depth: usize,
    out: &mut String,
) -> EvalResult<bool> {
    if depth > MAX_NESTING {
        return Err(err("U1001").with_message("Value nested too deeply to serialise"));
    }
    match v {
        Value::Undefined => return Ok(false),
        Value::Function(_) => {
            if !jsonata {
                return Ok(false);
            }
            out.push_str("\"\"");
        }
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if n.is_nan() {
                out.push_str("null");
            } else if !n.is_finite() {
                if jsonata {
                    return Err(err("D1001").with_value(error_insert(v)));
                }
                out.push_str("null");
            } else if jsonata {
                out.push_str(&js_number_to_string(to_precision_15(*n)));
            } else {
                out.push_str(&js_number_to_string(*n));
            }
        }
        Value::String(s) => write_string(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, item) in a.items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if pretty {
                    indent(out, depth + 1);
                }
                if !write_value(item, pretty, jsonata, depth + 1, out)? {
                    out.push_str("null");
                }
            }
            if pretty && !a.items.is_empty() {
                indent(out, depth);
            }
            out.push(']');
        }
        Value::Object(o) => {
            out.push('{');
            let mut first = true;
            for (k, item) in o.iter() {
                if matches!(item, Value::Undefined) || (!jsonata && item.is_function()) {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                if pretty {
                    indent(out, depth + 1);
                }
                write_string(k, out);
                out.push(':');
                if pretty {
                    out.push(' ');
                }
                write_value(item, pretty, jsonata, depth + 1, out)?;
            }
            if pretty && !first {
                indent(out, depth);
            }
            out.push('}');
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::jsonata::value::from_json;

    #[test]
    fn compact_and_pretty_match_json_stringify() {
        let v = from_json(&serde_json::json!({"a": [1, 2.5, "x"], "b": {}, "c": []}));
        assert_eq!(stringify(&v, false), r#"{"a":[1,2.5,"x"],"b":{},"c":[]}"#);
        assert_eq!(
            stringify(&v, true),
            "{\n  \"a\": [\n    1,\n    2.5,\n    \"x\"\n  ],\n  \"b\": {},\n  \"c\": []\n}"
        );
    }

    #[test]
    fn jsonata_mode_applies_precision_15() {
        let v = Value::Number(0.1 + 0.2);
        assert_eq!(
            stringify_for_string_fn(&v, false).ok().as_deref(),
            Some("0.3")
        );
        assert_eq!(stringify(&v, false), "0.30000000000000004");
        let inf = Value::Number(f64::INFINITY);
        assert!(stringify_for_string_fn(&inf, false).is_err());
    }
}
