//! Writing values as text: JSON formatted like the AWS console, and block-style YAML.

use serde::Serialize;
use serde_json::Value;

/// Pretty JSON with the given indent unit ("  " like the AWS console), ending without newline.
pub fn to_json_pretty(value: &Value, indent: &str) -> String {
    json_fragment(value, indent, "")
}

/// Pretty JSON whose continuation lines start with `base_indent` (to splice into existing text).
pub(super) fn json_fragment(value: &Value, indent: &str, base_indent: &str) -> String {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(indent.as_bytes());
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    // Serializing a Value into memory cannot fail.
    if value.serialize(&mut serializer).is_err() {
        return value.to_string();
    }
    let text = String::from_utf8_lossy(&out).into_owned();
    if base_indent.is_empty() {
        text
    } else {
        text.replace('\n', &format!("\n{base_indent}"))
    }
}

/// The whole value as a YAML document (block style, two-space indent, trailing newline).
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_mapping(&mut out, map, 0),
        Value::Array(items) if !items.is_empty() => write_sequence(&mut out, items, 0),
        scalar => {
            out.push_str(&yaml_inline(scalar));
            out.push('\n');
        }
    }
    out
}

/// The text that follows `key:` for `value` at a member indented by `indent` spaces:
/// either ` scalar` on the same line, or a newline and a nested block.
pub(super) fn yaml_member_value(value: &Value, indent: usize) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_mapping(&mut out, map, indent + 2);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_sequence(&mut out, items, indent + 2);
        }
        scalar => {
            out.push(' ');
            out.push_str(&yaml_inline(scalar));
            out.push('\n');
        }
    }
    out
}

/// `key: value` lines for one member at `indent` spaces, newline-terminated.
pub(super) fn yaml_member(key: &str, value: &Value, indent: usize) -> String {
    format!(
        "{}{}:{}",
        " ".repeat(indent),
        yaml_string(key),
        yaml_member_value(value, indent)
    )
}

/// A block collection written at `indent` spaces (no trailing newline), or an inline scalar.
pub(super) fn yaml_block(value: &Value, indent: usize) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_mapping(&mut out, map, indent),
        Value::Array(items) if !items.is_empty() => write_sequence(&mut out, items, indent),
        scalar => out.push_str(&yaml_inline(scalar)),
    }
    while out.ends_with('\n') {
        out.pop();
    }
    out
}

fn write_mapping(out: &mut String, map: &serde_json::Map<String, Value>, indent: usize) {
    for (key, value) in map {
        out.push_str(&yaml_member(key, value, indent));
    }
}

fn write_sequence(out: &mut String, items: &[Value], indent: usize) {
    let pad = " ".repeat(indent);
    for item in items {
        out.push_str(&pad);
        out.push('-');
        match item {
            Value::Object(map) if !map.is_empty() => {
                // The first member shares the dash's line: "- Key: value".
                let mut nested = String::new();
                write_mapping(&mut nested, map, indent + 2);
                out.push(' ');
                out.push_str(nested.get(indent + 2..).unwrap_or_default());
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                write_sequence(out, inner, indent + 2);
            }
            scalar => {
                out.push(' ');
                out.push_str(&yaml_inline(scalar));
                out.push('\n');
            }
        }
    }
}

/// A value on one line: scalars, `[]`, `{}`, or flow collections.
pub(super) fn yaml_inline(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => yaml_string(s),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(yaml_inline).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Object(map) => {
            let inner: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", yaml_string(k), yaml_inline(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

/// A string plain when YAML would read it back as the same string, double-quoted otherwise.
fn yaml_string(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_string()
    } else {
        // A JSON string literal is a valid YAML double-quoted scalar.
        Value::String(s.to_string()).to_string()
    }
}

fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let reserved_start = "-?:,[]{}#&*!|>'\"%@`".contains(first);
    let looks_typed = matches!(
        s,
        "null" | "Null" | "NULL" | "~" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    ) || looks_numeric(s);
    !reserved_start
        && !looks_typed
        && !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && s.chars().all(|c| !c.is_control())
        // "{%" cannot start a plain scalar anyway; the test above covers it.
        && !s.contains('\t')
}

fn looks_numeric(s: &str) -> bool {
    let body = s.trim_start_matches(['+', '-']);
    body.starts_with("0x")
        || body.starts_with("0o")
        || matches!(body, ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN")
        || (body.chars().any(|c| c.is_ascii_digit())
            && body
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+' | '_')))
}

#[cfg(test)]
mod tests {
    use super::super::{Document, Format};
    use super::*;
    use serde_json::json;

    #[test]
    fn json_uses_the_console_style() {
        let v = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}, "L": [], "O": {}});
        assert_eq!(
            to_json_pretty(&v, "  "),
            "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\n      \"Type\": \"Pass\",\n      \"End\": true\n    }\n  },\n  \"L\": [],\n  \"O\": {}\n}"
        );
    }

    #[test]
    fn yaml_round_trips_through_the_parser() {
        let v = json!({
            "Comment": "a: colon # and hash",
            "StartAt": "A",
            "States": {"A": {"Type": "Pass", "Result": {"n": 1, "s": "1", "b": "true", "e": "", "nl": "x\ny", "j": "{% $x %}", "list": [1, {"k": "v", "k2": [true, null]}, [2, 3]], "empty": [], "eo": {}}, "End": true}}
        });
        let text = to_yaml(&v);
        let doc =
            Document::parse(text.clone(), Format::Yaml).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(doc.value(), &v, "{text}");
    }

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(yaml_string("Hello"), "Hello");
        assert_eq!(
            yaml_string("arn:aws:states:::lambda:invoke"),
            "arn:aws:states:::lambda:invoke"
        );
        assert_eq!(yaml_string("$.x"), "$.x");
        assert_eq!(yaml_string("123"), "\"123\"");
        assert_eq!(yaml_string("- x"), "\"- x\"");
        assert_eq!(yaml_string("${Fn}"), "${Fn}");
    }
}
