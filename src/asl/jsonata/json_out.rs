//! `JSON.stringify` as used by `$string` (with jsonata's number-precision replacer) and for
//! error-message inserts.

use super::DEFAULT_MAX_STRING_LENGTH;
use super::error::{ErrorExt, EvalResult, LimitExceeded, err, limit_exceeded};
use super::evaluator::Budget;
use super::number::{js_number_to_string, to_precision_15};
use super::value::{Value, error_insert};

/// Nesting beyond this is reported instead of recursing further (stack safety).
const MAX_NESTING: usize = 10_000;

/// Plain `JSON.stringify(v)` (or with 2-space indent); never fails.  Used for messages
/// and debug output, so unrepresentable parts degrade to `null`, and text beyond the
/// default string limit is cut off (arrays and objects are shared, not copied, so a small
/// value can stand for an enormous text).
pub(crate) fn stringify(v: &Value, pretty: bool) -> String {
    let mut writer = Writer {
        pretty,
        jsonata: false,
        max_len: DEFAULT_MAX_STRING_LENGTH,
        budget: None,
        out: String::new(),
    };
    let _ = writer.write(v, 0);
    writer.out
}

/// `$string` serialisation: numbers go through `Number(n.toPrecision(15))`, functions
/// become `""`, and a non-finite number raises D1001 as jsonata-js's `isNumeric` does.
/// Every value written costs a step of `budget`, and text longer than its string limit is
/// a [`LimitExceeded::StringLength`] error.
pub(crate) fn stringify_for_string_fn(
    v: &Value,
    pretty: bool,
    budget: &mut Budget,
) -> EvalResult<String> {
    let mut writer = Writer {
        pretty,
        jsonata: true,
        max_len: budget.limits.max_string_length,
        budget: Some(budget),
        out: String::new(),
    };
    writer.write(v, 0)?;
    Ok(writer.out)
}

struct Writer<'b> {
    pretty: bool,
    /// `$string` mode rather than plain `JSON.stringify`.
    jsonata: bool,
    max_len: usize,
    budget: Option<&'b mut Budget>,
    out: String,
}

impl Writer<'_> {
    fn indent(&mut self, depth: usize) {
        self.out.push('\n');
        for _ in 0..depth {
            self.out.push_str("  ");
        }
    }

    fn write_string(&mut self, s: &str) {
        // serde_json escapes exactly what JSON.stringify escapes for well-formed strings.
        self.out
            .push_str(&serde_json::Value::String(s.to_string()).to_string());
    }

    /// Pay for one value and check the length so far: formatting a value costs about as
    /// much as evaluating a node.
    fn account(&mut self) -> EvalResult<()> {
        if let Some(budget) = self.budget.as_deref_mut() {
            budget.charge(1)?;
        }
        if self.out.len() > self.max_len {
            return Err(limit_exceeded(LimitExceeded::StringLength(self.max_len)));
        }
        Ok(())
    }

    /// Writes the JSON text for `v`; returns whether anything was written (undefined and,
    /// outside jsonata mode, functions produce nothing, like JSON.stringify).
    fn write(&mut self, v: &Value, depth: usize) -> EvalResult<bool> {
        if depth > MAX_NESTING {
            return Err(err("U1001").with_message("Value nested too deeply to serialise"));
        }
        match v {
            Value::Undefined => return Ok(false),
            Value::Function(_) => {
                if !self.jsonata {
                    return Ok(false);
                }
                self.out.push_str("\"\"");
            }
            Value::Null => self.out.push_str("null"),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => {
                if n.is_nan() {
                    self.out.push_str("null");
                } else if !n.is_finite() {
                    if self.jsonata {
                        return Err(err("D1001").with_value(error_insert(v)));
                    }
                    self.out.push_str("null");
                } else if self.jsonata {
                    self.out.push_str(&js_number_to_string(to_precision_15(*n)));
                } else {
                    self.out.push_str(&js_number_to_string(*n));
                }
            }
            Value::String(s) => self.write_string(s),
            Value::Array(a) => {
                self.out.push('[');
                for (i, item) in a.items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    if self.pretty {
                        self.indent(depth + 1);
                    }
                    if !self.write(item, depth + 1)? {
                        self.out.push_str("null");
                    }
                }
                if self.pretty && !a.items.is_empty() {
                    self.indent(depth);
                }
                self.out.push(']');
            }
            Value::Object(o) => {
                self.out.push('{');
                let mut first = true;
                for (k, item) in o.iter() {
                    if matches!(item, Value::Undefined) || (!self.jsonata && item.is_function()) {
                        continue;
                    }
                    if !first {
                        self.out.push(',');
                    }
                    first = false;
                    if self.pretty {
                        self.indent(depth + 1);
                    }
                    self.write_string(k);
                    self.out.push(':');
                    if self.pretty {
                        self.out.push(' ');
                    }
                    self.write(item, depth + 1)?;
                }
                if self.pretty && !first {
                    self.indent(depth);
                }
                self.out.push('}');
            }
        }
        self.account()?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::jsonata::evaluator::Limits;
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
        let mut budget = Budget::new(Limits::default());
        assert_eq!(
            stringify_for_string_fn(&v, false, &mut budget)
                .ok()
                .as_deref(),
            Some("0.3")
        );
        assert_eq!(stringify(&v, false), "0.30000000000000004");
        let inf = Value::Number(f64::INFINITY);
        assert!(stringify_for_string_fn(&inf, false, &mut budget).is_err());
    }

    #[test]
    fn each_value_costs_a_step_and_the_text_is_bounded() {
        let v = from_json(&serde_json::json!([1, 2, 3]));
        let limits = |max_len| Limits {
            max_string_length: max_len,
            ..Limits::default()
        };
        let mut budget = Budget::new(limits(7));
        assert!(stringify_for_string_fn(&v, false, &mut budget).is_ok());
        assert_eq!(budget.spent(), 4);
        let long = stringify_for_string_fn(&v, false, &mut Budget::new(limits(6)));
        assert_eq!(
            long.err().and_then(|e| e.limit),
            Some(LimitExceeded::StringLength(6))
        );
    }
}
