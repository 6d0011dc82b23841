//! Values rendered the way Java's `toString` renders the objects Jackson
//! produces (`States.Format` prints `{Arg1=1, Arg2=[]}` for an object).

use serde_json::Value;

use super::super::path::java_number_string;

/// Java `String.valueOf` of a JSON value: strings unquoted, `null`, lists as
/// `[a, b]`, maps as `{k=v, k2=v2}`, doubles as `Double.toString`.
/// Iterative, so deeply nested values cannot overflow the stack.
pub(crate) fn java_to_string(value: &Value) -> String {
    enum Frame<'a> {
        Array(std::slice::Iter<'a, Value>, bool),
        Object(serde_json::map::Iter<'a>, bool),
    }

    let mut out = String::new();
    let mut stack: Vec<Frame<'_>> = Vec::new();
    let mut next = Some(value);
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
                Value::Null => out.push_str("null"),
                Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                Value::Number(n) => out.push_str(&java_number_string(n)),
                Value::String(s) => out.push_str(s),
            }
        }
        let Some(frame) = stack.last_mut() else {
            break;
        };
        match frame {
            Frame::Array(iter, first) => match iter.next() {
                Some(item) => {
                    if !*first {
                        out.push_str(", ");
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
                        out.push_str(", ");
                    }
                    *first = false;
                    out.push_str(key);
                    out.push('=');
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

/// Length of a string in UTF-16 code units, as Java counts characters.
pub(crate) fn java_length(s: &str) -> usize {
    s.encode_utf16().count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_like_java_collections() {
        assert_eq!(
            java_to_string(&json!({"Arg1": 1, "Arg2": []})),
            "{Arg1=1, Arg2=[]}"
        );
        assert_eq!(
            java_to_string(&json!([1, "a", null, true, 1.5])),
            "[1, a, null, true, 1.5]"
        );
        assert_eq!(java_to_string(&json!("plain")), "plain");
        assert_eq!(java_to_string(&json!(null)), "null");
        assert_eq!(java_to_string(&json!(1.0)), "1.0");
        assert_eq!(
            java_to_string(&json!({"a": {"b": [1, {"c": "d"}]}})),
            "{a={b=[1, {c=d}]}}"
        );
    }

    #[test]
    fn java_lengths_count_utf16_units() {
        assert_eq!(java_length("abc"), 3);
        assert_eq!(java_length("🚀"), 2);
    }
}
