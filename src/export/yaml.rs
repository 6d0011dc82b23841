//! Block YAML for SAM / CloudFormation templates, with the short intrinsic tags people write
//! (`!Ref X`, `!GetAtt X.Arn`, `!Sub "..."`) instead of `Fn::` mappings.
//!
//! Scalars are quoted by the core's YAML writer, so everything reads back through the core's
//! YAML parser (which turns the tags back into `Fn::` mappings).

use super::intrinsic::is_intrinsic;
use crate::asl::document::to_yaml;
use serde_json::{Map, Value};

/// Past this indentation, values are written as one line of JSON (valid YAML flow syntax), so
/// the writer's recursion stays bounded however deep the value is.
const MAX_BLOCK_INDENT: usize = 400;

/// The template as YAML: `comments` first (each as a `# ` line), then the members of `root`, a
/// blank line before every top-level section that is a block mapping.
pub(super) fn template_yaml(root: &Map<String, Value>, comments: &[String]) -> String {
    let mut out = String::new();
    for comment in comments {
        for line in comment.lines() {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
    }
    for (index, (key, value)) in root.iter().enumerate() {
        let is_section = matches!(value, Value::Object(m) if !m.is_empty() && !is_intrinsic(value));
        if index > 0 && is_section {
            out.push('\n');
        }
        write_member(&mut out, key, value, 0);
    }
    out
}

/// One scalar on one line, quoted only when YAML would misread it.
fn scalar(value: &Value) -> String {
    match value {
        Value::Object(m) if m.is_empty() => "{}".to_string(),
        Value::Array(a) if a.is_empty() => "[]".to_string(),
        _ => to_yaml(value).trim_end_matches('\n').to_string(),
    }
}

fn is_block(value: &Value) -> bool {
    match value {
        Value::Object(m) => !m.is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => false,
    }
}

fn write_member(out: &mut String, key: &str, value: &Value, indent: usize) {
    out.push_str(&" ".repeat(indent));
    out.push_str(&scalar(&Value::String(key.to_string())));
    out.push(':');
    write_value(out, value, indent);
}

/// What follows `key:` or `-`: ` scalar\n`, ` !Tag scalar\n`, or a newline and a nested block.
fn write_value(out: &mut String, value: &Value, indent: usize) {
    if indent > MAX_BLOCK_INDENT && is_block(value) {
        out.push(' ');
        out.push_str(&value.to_string());
        out.push('\n');
        return;
    }
    if let Some((tag, argument)) = short_tag(value) {
        out.push(' ');
        out.push_str(&tag);
        match argument {
            TagArgument::Inline(text) => {
                out.push(' ');
                out.push_str(&text);
                out.push('\n');
            }
            TagArgument::Block(inner) => {
                out.push('\n');
                write_block(out, inner, indent + 2);
            }
        }
        return;
    }
    if is_block(value) {
        out.push('\n');
        write_block(out, value, indent + 2);
    } else {
        out.push(' ');
        out.push_str(&scalar(value));
        out.push('\n');
    }
}

fn write_block(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Object(map) => {
            for (key, member) in map {
                write_member(out, key, member, indent);
            }
        }
        Value::Array(items) => {
            for item in items {
                write_item(out, item, indent);
            }
        }
        scalar_value => {
            out.push_str(&" ".repeat(indent));
            out.push_str(&scalar(scalar_value));
            out.push('\n');
        }
    }
}

fn write_item(out: &mut String, item: &Value, indent: usize) {
    let pad = " ".repeat(indent);
    match item {
        _ if indent > MAX_BLOCK_INDENT => {
            out.push_str(&pad);
            out.push('-');
            write_value(out, item, indent);
        }
        Value::Object(map) if !map.is_empty() && !is_intrinsic(item) => {
            // The first member shares the dash's line: "- Key: value".
            let mut nested = String::new();
            write_block(&mut nested, item, indent + 2);
            out.push_str(&pad);
            out.push_str("- ");
            out.push_str(nested.get(indent + 2..).unwrap_or_default());
        }
        Value::Array(inner) if !inner.is_empty() => {
            out.push_str(&pad);
            out.push_str("-\n");
            write_block(out, item, indent + 2);
        }
        _ => {
            out.push_str(&pad);
            out.push('-');
            write_value(out, item, indent);
        }
    }
}

enum TagArgument<'a> {
    Inline(String),
    Block(&'a Value),
}

/// `{"Fn::GetAtt": ["A", "B"]}` → `!GetAtt` + `A.B`; `{"Ref": "X"}` → `!Ref` + `X`; ...
fn short_tag(value: &Value) -> Option<(String, TagArgument<'_>)> {
    if !is_intrinsic(value) {
        return None;
    }
    let (function, argument) = value.as_object()?.iter().next()?;
    let name = if function == "Ref" {
        "Ref"
    } else {
        function.strip_prefix("Fn::")?
    };
    let tag = format!("!{name}");
    if name == "GetAtt"
        && let [Value::String(resource), Value::String(attribute)] =
            argument.as_array().map(Vec::as_slice).unwrap_or_default()
        && !resource.contains('.')
    {
        let text = scalar(&Value::String(format!("{resource}.{attribute}")));
        return Some((tag, TagArgument::Inline(text)));
    }
    if is_block(argument) {
        Some((tag, TagArgument::Block(argument)))
    } else {
        Some((tag, TagArgument::Inline(scalar(argument))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::document::{Document, Format};
    use serde_json::json;

    fn round_trip(value: &Value) -> String {
        let text = template_yaml(value.as_object().unwrap(), &["made by a test".into()]);
        let doc =
            Document::parse(text.clone(), Format::Yaml).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(doc.value(), value, "{text}");
        text
    }

    #[test]
    fn writes_short_tags() {
        let value = json!({
            "Role": {"Fn::GetAtt": ["OrderRole", "Arn"]},
            "Name": {"Ref": "Name"},
            "Sub": {"Fn::Sub": "arn:${AWS::Partition}:s3:::b"},
            "Join": {"Fn::Join": ["", ["a", {"Ref": "B"}, {"Fn::Sub": "${C}"}]]},
            "SubVars": {"Fn::Sub": ["${A}-x", {"A": {"Ref": "B"}}]},
            "List": [{"Ref": "A"}, {"Fn::GetAtt": ["B", "Arn"]}, {"Fn::Select": [0, ["x"]]}]
        });
        let text = round_trip(&value);
        assert!(text.starts_with("# made by a test\n"), "{text}");
        assert!(text.contains("Role: !GetAtt OrderRole.Arn\n"), "{text}");
        assert!(text.contains("Name: !Ref Name\n"), "{text}");
        assert!(
            text.contains("Sub: !Sub arn:${AWS::Partition}:s3:::b\n"),
            "{text}"
        );
        assert!(
            text.contains("Join: !Join\n  - \"\"\n  -\n    - a\n    - !Ref B\n"),
            "{text}"
        );
        assert!(text.contains("  - !GetAtt B.Arn\n"), "{text}");
    }

    #[test]
    fn writes_deep_values_as_flow_json() {
        let mut deep = json!({"leaf": [1, "two", {"k": null}]});
        for i in 0..400 {
            deep = if i % 2 == 0 {
                json!([deep])
            } else {
                json!({"n": deep})
            };
        }
        let text = round_trip(&json!({"Deep": deep}));
        let deepest = text.lines().map(|l| l.len() - l.trim_start().len()).max();
        assert!(deepest <= Some(MAX_BLOCK_INDENT + 4), "{deepest:?}");
        assert!(text.contains("{\"leaf\":[1,\"two\",{\"k\":null}]}"));
    }

    #[test]
    fn writes_nested_blocks_and_sections() {
        let value = json!({
            "AWSTemplateFormatVersion": "2010-09-09",
            "Resources": {
                "M": {"Type": "AWS::Serverless::StateMachine", "Properties": {
                    "Definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"n": 1.5, "e": {}, "l": [], "s": "1", "nested": [[1, 2], {"k": [true, null]}]}, "End": true}}},
                    "Tags": {"team": "payments: core"},
                    "Policies": [{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}]}]
                }}
            },
            "Outputs": {"Arn": {"Value": {"Ref": "M"}}}
        });
        let text = round_trip(&value);
        assert!(
            text.contains("AWSTemplateFormatVersion: \"2010-09-09\"\n\nResources:\n"),
            "{text}"
        );
        assert!(
            text.contains("\n\nOutputs:\n  Arn:\n    Value: !Ref M\n"),
            "{text}"
        );
        assert!(
            text.contains("Tags:\n        team: \"payments: core\"\n"),
            "{text}"
        );
    }
}
