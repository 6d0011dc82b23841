//! How CloudFormation values become settings text and back.
//!
//! Settings hold strings, but templates hold intrinsic functions (`!Ref`, `!GetAtt`, `!Sub`...).
//! The convention: **a settings string is `Fn::Sub` text**.
//!
//! | template value                       | settings text               |
//! |--------------------------------------|-----------------------------|
//! | `plain`                              | `plain`                     |
//! | `!Ref Orders`                        | `${Orders}`                 |
//! | `!GetAtt Fn.Arn`                     | `${Fn.Arn}`                 |
//! | `!Sub "arn:${AWS::Partition}:x"`     | `arn:${AWS::Partition}:x`   |
//! | `!Sub ["${A}-x", {A: !Ref B}]`       | `${B}-x`                    |
//! | `!Join ["-", [a, !Ref B]]`           | `a-${B}`                    |
//! | a literal `"${x}"` (not in a `!Sub`) | `${!x}` (Sub's escape)      |
//! | anything else (`!ImportValue`, `!If`)| its compact JSON: `{"Fn::ImportValue":"Shared"}` |
//!
//! Exporting reverses it: exactly `${X}` → `!Ref X`, exactly `${A.B}` → `!GetAtt A.B`, other text
//! with `${` → `!Sub`, JSON text of one intrinsic function → that function, the rest plain.

use serde_json::{Map, Value};

/// `{"Ref": ...}` or `{"Fn::...": ...}`: one member whose key names an intrinsic function.
pub fn is_intrinsic(value: &Value) -> bool {
    match value {
        Value::Object(object) if object.len() == 1 => object
            .keys()
            .next()
            .is_some_and(|key| key == "Ref" || key.starts_with("Fn::")),
        _ => false,
    }
}

/// Template value → settings text (see the module table).
pub fn setting_text(value: &Value) -> String {
    sub_text(value).unwrap_or_else(|| value.to_string())
}

/// Settings text → template value (see the module table).
pub fn template_value(text: &str) -> Value {
    if text.trim_start().starts_with('{')
        && let Ok(value) = serde_json::from_str::<Value>(text)
        && is_intrinsic(&value)
    {
        return value;
    }
    if !text.contains("${") {
        return Value::String(text.to_string());
    }
    if let Some(name) = whole_placeholder(text) {
        let mut object = Map::new();
        match name.split_once('.') {
            Some((resource, attribute)) if !name.contains("::") => {
                object.insert(
                    "Fn::GetAtt".into(),
                    Value::Array(vec![resource.into(), attribute.into()]),
                );
            }
            _ => {
                object.insert("Ref".into(), Value::String(name.to_string()));
            }
        }
        return Value::Object(object);
    }
    let mut object = Map::new();
    object.insert("Fn::Sub".into(), Value::String(text.to_string()));
    Value::Object(object)
}

/// The names of the `${Name}` placeholders in `text`, in order; `${!Literal}` escapes are skipped.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if !name.is_empty() && !name.starts_with('!') && !name.contains("${") {
            names.push(name.to_string());
        }
        rest = &after[end + 1..];
    }
    names
}

/// `X` when `text` is exactly `${X}`.
fn whole_placeholder(text: &str) -> Option<&str> {
    let name = text.strip_prefix("${")?.strip_suffix('}')?;
    let simple = !name.is_empty() && !name.starts_with('!') && !name.contains(['{', '}', '$', ' ']);
    simple.then_some(name)
}

/// Sub's escape for a literal `${`.
fn escape_literal(text: &str) -> String {
    text.replace("${", "${!")
}

/// The value as `Fn::Sub` text, when it can be written that way.
fn sub_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(escape_literal(s)),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        Value::Array(_) => None,
        Value::Object(object) => {
            if !is_intrinsic(value) {
                return None;
            }
            let (function, argument) = object.iter().next()?;
            match function.as_str() {
                "Ref" => argument.as_str().map(|name| format!("${{{name}}}")),
                "Fn::GetAtt" => get_att_text(argument),
                "Fn::Sub" => sub_with_variables(argument),
                "Fn::Join" => join_text(argument),
                _ => None,
            }
        }
    }
}

fn get_att_text(argument: &Value) -> Option<String> {
    match argument {
        Value::String(s) if s.contains('.') => Some(format!("${{{s}}}")),
        Value::Array(parts) => match parts.as_slice() {
            [Value::String(resource), Value::String(attribute)] => {
                Some(format!("${{{resource}.{attribute}}}"))
            }
            _ => None,
        },
        _ => None,
    }
}

/// `!Sub text` as is; `!Sub [text, {var: value}]` with each variable written into the text.
fn sub_with_variables(argument: &Value) -> Option<String> {
    match argument {
        Value::String(s) => Some(s.clone()),
        Value::Array(parts) => match parts.as_slice() {
            [Value::String(text)] => Some(text.clone()),
            [Value::String(text), Value::Object(variables)] => {
                let mut out = text.clone();
                for (name, value) in variables {
                    let replacement = sub_text(value)?;
                    out = out.replace(&format!("${{{name}}}"), &replacement);
                }
                Some(out)
            }
            _ => None,
        },
        _ => None,
    }
}

fn join_text(argument: &Value) -> Option<String> {
    let [Value::String(delimiter), Value::Array(items)] = argument.as_array()?.as_slice() else {
        return None;
    };
    let parts = items.iter().map(sub_text).collect::<Option<Vec<_>>>()?;
    Some(parts.join(&escape_literal(delimiter)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_template_values_as_sub_text() {
        assert_eq!(setting_text(&json!("plain")), "plain");
        assert_eq!(setting_text(&json!({"Ref": "Orders"})), "${Orders}");
        assert_eq!(
            setting_text(&json!({"Fn::GetAtt": ["Fn", "Arn"]})),
            "${Fn.Arn}"
        );
        assert_eq!(setting_text(&json!({"Fn::GetAtt": "Fn.Arn"})), "${Fn.Arn}");
        assert_eq!(
            setting_text(&json!({"Fn::Sub": "arn:${AWS::Partition}:x"})),
            "arn:${AWS::Partition}:x"
        );
        assert_eq!(
            setting_text(&json!({"Fn::Sub": ["${A}-x", {"A": {"Ref": "B"}}]})),
            "${B}-x"
        );
        assert_eq!(
            setting_text(&json!({"Fn::Join": ["-", ["a", {"Ref": "B"}]]})),
            "a-${B}"
        );
        assert_eq!(setting_text(&json!("${x}")), "${!x}");
        assert_eq!(setting_text(&json!(5)), "5");
        assert_eq!(
            setting_text(&json!({"Fn::ImportValue": "Shared"})),
            r#"{"Fn::ImportValue":"Shared"}"#
        );
        assert_eq!(
            setting_text(&json!({"Fn::Join": ["-", [{"Fn::If": ["C", "a", "b"]}]]})),
            r#"{"Fn::Join":["-",[{"Fn::If":["C","a","b"]}]]}"#
        );
    }

    #[test]
    fn writes_settings_text_as_template_values() {
        assert_eq!(template_value("plain"), json!("plain"));
        assert_eq!(template_value("${Orders}"), json!({"Ref": "Orders"}));
        assert_eq!(
            template_value("${AWS::Region}"),
            json!({"Ref": "AWS::Region"})
        );
        assert_eq!(
            template_value("${Fn.Arn}"),
            json!({"Fn::GetAtt": ["Fn", "Arn"]})
        );
        assert_eq!(template_value("a-${B}"), json!({"Fn::Sub": "a-${B}"}));
        assert_eq!(template_value("${!x}"), json!({"Fn::Sub": "${!x}"}));
        assert_eq!(
            template_value(r#"{"Fn::ImportValue":"Shared"}"#),
            json!({"Fn::ImportValue": "Shared"})
        );
        assert_eq!(template_value(r#"{"a":1}"#), json!(r#"{"a":1}"#));
    }

    #[test]
    fn text_survives_a_round_trip() {
        for text in [
            "plain",
            "${X}",
            "${A.B}",
            "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:F",
            r#"{"Fn::ImportValue":"x"}"#,
            "${!literal}",
            "",
        ] {
            assert_eq!(setting_text(&template_value(text)), text, "{text}");
        }
    }

    #[test]
    fn lists_placeholders() {
        assert_eq!(
            placeholders("arn:${AWS::Partition}:x:${Fn}:${!Lit}:${}:${Open"),
            vec!["AWS::Partition", "Fn"]
        );
        assert!(placeholders("no placeholders").is_empty());
        assert!(is_intrinsic(&json!({"Fn::Sub": "x"})));
        assert!(!is_intrinsic(&json!({"Ref": "x", "b": 1})));
        assert!(!is_intrinsic(&json!({"Other": "x"})));
    }
}
