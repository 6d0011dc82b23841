//! JSON text exactly as Step Functions (Java, Jackson) writes it: compact,
//! doubles in Java's `Double.toString` form (`1.0`, `1.0E20`), control
//! characters escaped as `\u00XX` with upper-case hex, nothing else escaped.

use serde_json::{Number, Value};

/// Serialises `value` the way Jackson's compact writer does. Iterative, so
/// deeply nested values cannot overflow the stack.
pub fn to_json_string(value: &Value) -> String {
    enum Frame<'a> {
        Array(std::slice::Iter<'a, Value>, bool),
        Object(serde_json::map::Iter<'a>, bool),
    }

    let mut out = String::new();
    let mut stack: Vec<Frame<'_>> = Vec::new();
    let mut next: Option<&Value> = Some(value);
    loop {
        if let Some(v) = next.take() {
            match v {
                Value::Array(items) => {
                    out.push('[');
                    stack.push(Frame::Array(items.iter(), true));
                }
                Value::Object(map) => {
                    out.push('{');
                    stack.push(Frame::Object(map.iter(), true));
                }
                scalar => write_scalar(&mut out, scalar),
            }
        }
        let Some(frame) = stack.last_mut() else {
            break;
        };
        match frame {
            Frame::Array(iter, first) => match iter.next() {
                Some(item) => {
                    if !*first {
                        out.push(',');
                    }
                    *first = false;
                    next = Some(item);
                }
                None => {
                    out.push(']');
                    stack.pop();
                }
            },
            Frame::Object(iter, first) => match iter.next() {
                Some((key, item)) => {
                    if !*first {
                        out.push(',');
                    }
                    *first = false;
                    write_string(&mut out, key);
                    out.push(':');
                    next = Some(item);
                }
                None => {
                    out.push('}');
                    stack.pop();
                }
            },
        }
    }
    out
}

fn write_scalar(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&java_number_string(n)),
        Value::String(s) => write_string(out, s),
        Value::Array(_) | Value::Object(_) => {}
    }
}

/// A JSON string literal with Jackson's escaping rules.
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// How Java prints a JSON number: integers as is, doubles with
/// `Double.toString`.
pub fn java_number_string(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        u.to_string()
    } else {
        java_double_to_string(n.as_f64().unwrap_or(0.0))
    }
}

/// Java's `Double.toString`: shortest round-trip digits, plain notation for
/// 1e-3 <= |d| < 1e7 (always with a fraction digit), `d.dddEn` otherwise.
pub fn java_double_to_string(d: f64) -> String {
    if d.is_nan() {
        return "NaN".to_string();
    }
    if d.is_infinite() {
        return if d > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    if d == 0.0 {
        return if d.is_sign_negative() { "-0.0" } else { "0.0" }.to_string();
    }
    let sign = if d < 0.0 { "-" } else { "" };
    // Rust's `{:e}` gives the shortest digits that round-trip.
    let sci = format!("{:e}", d.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let abs = d.abs();
    if (1e-3..1e7).contains(&abs) {
        let point = exp + 1; // digits before the decimal point
        let (int_part, frac_part) = if point <= 0 {
            (
                "0".to_string(),
                format!("{}{}", "0".repeat(point.unsigned_abs() as usize), digits),
            )
        } else {
            let p = point as usize;
            if digits.len() <= p {
                (
                    format!("{}{}", digits, "0".repeat(p - digits.len())),
                    String::new(),
                )
            } else {
                let (int_digits, frac_digits) = digits.split_at(p);
                (int_digits.to_string(), frac_digits.to_string())
            }
        };
        let frac = if frac_part.is_empty() {
            "0".to_string()
        } else {
            frac_part
        };
        format!("{sign}{int_part}.{frac}")
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let rest = if rest.is_empty() { "0" } else { rest };
        format!("{sign}{first}.{rest}E{exp}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn doubles_like_java() {
        let cases = [
            (1.0, "1.0"),
            (1.1, "1.1"),
            (-2.5, "-2.5"),
            (100.0, "100.0"),
            (0.001, "0.001"),
            (0.0001, "1.0E-4"),
            (1234567.0, "1234567.0"),
            (1.0e7, "1.0E7"),
            (1.5e20, "1.5E20"),
            (123456789.123, "1.23456789123E8"),
            (-0.0, "-0.0"),
            (0.1 + 0.2, "0.30000000000000004"),
        ];
        for (value, expected) in cases {
            assert_eq!(java_double_to_string(value), expected, "{value}");
        }
    }

    #[test]
    fn compact_jackson_output() {
        let v = json!({"Arg1": 1, "Arg2": [], "s": "a\"b\\c\n\u{1}é", "f": 1.0, "n": null, "b": [true, false]});
        assert_eq!(
            to_json_string(&v),
            r#"{"Arg1":1,"Arg2":[],"s":"a\"b\\c\n\u0001é","f":1.0,"n":null,"b":[true,false]}"#
        );
        assert_eq!(
            to_json_string(&json!([1, 2, "HelloWorld"])),
            r#"[1,2,"HelloWorld"]"#
        );
        assert_eq!(to_json_string(&json!("x")), r#""x""#);
    }

    #[test]
    fn deep_values_do_not_overflow() {
        let mut v = json!(1);
        for _ in 0..100 {
            v = json!([v]);
        }
        let text = to_json_string(&v);
        assert!(text.starts_with("[[[") && text.ends_with("]]]"));
    }
}
