//! YAML (`*.asl.yaml`, SAM templates) into the same spanned tree as JSON.
//!
//! Scalars are resolved with the YAML 1.2 core schema. CloudFormation short-form tags
//! (`!Sub`, `!Ref`, `!GetAtt`...) become their long JSON form so templates can be read.

use super::{Member, Node, NodeKind, ParseError, Span};
use saphyr_parser::{Event, Parser, ScalarStyle, Span as YamlSpan, Tag};
use serde_json::Number;
use std::collections::HashMap;
use std::str::FromStr;

const MAX_DEPTH: usize = 512;
/// Aliases may expand exponentially ("billion laughs"); cap the nodes an alias may copy.
const MAX_ALIAS_NODES: usize = 100_000;

pub(super) fn parse(text: &str) -> Result<Node, ParseError> {
    let offsets = CharOffsets::new(text);
    let mut loader = Loader {
        text,
        offsets,
        parser: Parser::new_from_str(text),
        anchors: HashMap::new(),
        alias_budget: MAX_ALIAS_NODES,
    };
    loader.document()
}

/// saphyr reports character indexes; the rest of the document works in byte offsets.
struct CharOffsets {
    /// Byte offset of every char index that is not ASCII-aligned; empty when the text is ASCII.
    table: Vec<usize>,
    len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> Self {
        let table = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices().map(|(i, _)| i).collect()
        };
        CharOffsets {
            table,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.table.is_empty() {
            char_index.min(self.len)
        } else {
            self.table.get(char_index).copied().unwrap_or(self.len)
        }
    }
}

struct Loader<'a> {
    text: &'a str,
    offsets: CharOffsets,
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    anchors: HashMap<usize, Node>,
    alias_budget: usize,
}

impl<'a> Loader<'a> {
    fn next(&mut self) -> Result<(Event<'a>, Span), ParseError> {
        match self.parser.next_event() {
            Some(Ok((event, span))) => Ok((event, self.span(span))),
            Some(Err(error)) => {
                let offset = self.offsets.byte(error.marker().index());
                Err(ParseError::at(
                    self.text,
                    offset,
                    yaml_message(error.info()),
                ))
            }
            None => Err(ParseError::at(
                self.text,
                self.text.len(),
                "unexpected end of the YAML stream",
            )),
        }
    }

    fn span(&self, span: YamlSpan) -> Span {
        Span::new(
            self.offsets.byte(span.start.index()),
            self.offsets.byte(span.end.index()),
        )
    }

    fn document(&mut self) -> Result<Node, ParseError> {
        let mut root = None;
        loop {
            let (event, span) = self.next()?;
            match event {
                Event::StreamEnd => break,
                Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
                Event::DocumentStart(_) => {
                    if root.is_some() {
                        return Err(ParseError::at(
                            self.text,
                            span.start,
                            "only one YAML document is allowed in a state machine file",
                        ));
                    }
                    root = Some(self.node(0)?);
                }
                _ => {
                    return Err(ParseError::at(
                        self.text,
                        span.start,
                        "unexpected YAML content",
                    ));
                }
            }
        }
        root.ok_or_else(|| {
            ParseError::at(
                self.text,
                0,
                "the document is empty: expected a YAML mapping",
            )
        })
    }

    fn node(&mut self, depth: usize) -> Result<Node, ParseError> {
        let (event, span) = self.next()?;
        self.node_from(event, span, depth)
    }

    fn node_from(
        &mut self,
        event: Event<'a>,
        span: Span,
        depth: usize,
    ) -> Result<Node, ParseError> {
        if depth > MAX_DEPTH {
            return Err(ParseError::at(
                self.text,
                span.start,
                "the document is nested too deeply",
            ));
        }
        let (node, anchor, tag) = match event {
            Event::Scalar(value, style, anchor, tag) => {
                let kind = scalar(&value, style, tag.as_deref())
                    .map_err(|message| ParseError::at(self.text, span.start, message))?;
                (Node { span, kind }, anchor, tag)
            }
            Event::SequenceStart(anchor, tag) => (self.sequence(span, depth)?, anchor, tag),
            Event::MappingStart(anchor, tag) => (self.mapping(span, depth)?, anchor, tag),
            Event::Alias(id) => {
                let Some(target) = self.anchors.get(&id) else {
                    return Err(ParseError::at(self.text, span.start, "unknown YAML alias"));
                };
                let size = target.count_nodes();
                if size > self.alias_budget {
                    return Err(ParseError::at(
                        self.text,
                        span.start,
                        "YAML aliases expand to too many nodes",
                    ));
                }
                self.alias_budget -= size;
                let mut copy = target.clone();
                copy.span = span;
                return Ok(copy);
            }
            _ => {
                return Err(ParseError::at(
                    self.text,
                    span.start,
                    "unexpected YAML event",
                ));
            }
        };
        let node = apply_cloudformation_tag(node, tag.as_deref(), self.text)?;
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        Ok(node)
    }

    fn sequence(&mut self, start: Span, depth: usize) -> Result<Node, ParseError> {
        let mut items = Vec::new();
        loop {
            let (event, span) = self.next()?;
            if matches!(event, Event::SequenceEnd) {
                let end =
                    self.collection_end(start, span, ']', items.last().map(|n: &Node| n.span.end));
                return Ok(Node {
                    span: Span::new(start.start, end),
                    kind: NodeKind::Array(items),
                });
            }
            items.push(self.node_from(event, span, depth + 1)?);
        }
    }

    fn mapping(&mut self, start: Span, depth: usize) -> Result<Node, ParseError> {
        let mut members: Vec<Member> = Vec::new();
        loop {
            let (event, key_span) = self.next()?;
            let key = match event {
                Event::MappingEnd => {
                    let last = members.last().map(|m| m.value.span.end);
                    let end = self.collection_end(start, key_span, '}', last);
                    return Ok(Node {
                        span: Span::new(start.start, end),
                        kind: NodeKind::Object(members),
                    });
                }
                Event::Scalar(value, _, _, _) => value.into_owned(),
                _ => {
                    return Err(ParseError::at(
                        self.text,
                        key_span.start,
                        "mapping keys must be plain text (complex YAML keys are not supported)",
                    ));
                }
            };
            let value = self.node(depth + 1)?;
            members.push(Member {
                key,
                key_span,
                value,
            });
        }
    }

    /// Flow collections end at their bracket; block ones at their last child (the parser's end
    /// marker lies at the next token, possibly several lines further).
    fn collection_end(
        &self,
        start: Span,
        end_event: Span,
        bracket: char,
        last_child: Option<usize>,
    ) -> usize {
        let is_flow = self
            .text
            .get(end_event.start..end_event.end)
            .is_some_and(|s| s.starts_with(bracket));
        if is_flow {
            end_event.end
        } else {
            last_child.unwrap_or(start.end).max(start.end)
        }
    }
}

fn yaml_message(info: &str) -> String {
    format!("invalid YAML: {info}")
}

/// Resolves a scalar with the YAML 1.2 core schema (quoted scalars are always strings).
fn scalar(value: &str, style: ScalarStyle, tag: Option<&Tag>) -> Result<NodeKind, String> {
    if let Some(tag) = tag.filter(|t| t.handle == "tag:yaml.org,2002:" || t.handle == "!!") {
        return match tag.suffix.as_str() {
            "str" => Ok(NodeKind::String(value.to_string())),
            "int" | "float" => plain_number(value)
                .map(NodeKind::Number)
                .ok_or_else(|| format!("'{value}' is not a number")),
            "bool" => plain_bool(value)
                .map(NodeKind::Bool)
                .ok_or_else(|| format!("'{value}' is not a boolean")),
            "null" => Ok(NodeKind::Null),
            _ => Ok(NodeKind::String(value.to_string())),
        };
    }
    if style != ScalarStyle::Plain {
        return Ok(NodeKind::String(value.to_string()));
    }
    let text = value;
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return Ok(NodeKind::Null);
    }
    if let Some(b) = plain_bool(text) {
        return Ok(NodeKind::Bool(b));
    }
    if let Some(n) = plain_number(text) {
        return Ok(NodeKind::Number(n));
    }
    Ok(NodeKind::String(text.to_string()))
}

fn plain_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn plain_number(text: &str) -> Option<Number> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if let Some(hex) = digits.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(Number::from);
    }
    if let Some(oct) = digits.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok().map(Number::from);
    }
    let is_int = !digits.is_empty()
        && digits
            .strip_prefix('-')
            .unwrap_or(digits)
            .chars()
            .all(|c| c.is_ascii_digit());
    if is_int {
        return Number::from_str(digits)
            .ok()
            .or_else(|| digits.parse::<f64>().ok().and_then(Number::from_f64));
    }
    let looks_float = digits.chars().any(|c| c.is_ascii_digit())
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'));
    if looks_float {
        // YAML allows "1." and ".5"; JSON numbers do not, so go through f64 for those.
        return Number::from_str(digits)
            .ok()
            .or_else(|| digits.parse::<f64>().ok().and_then(Number::from_f64));
    }
    None
}

/// `!Ref X` → `{"Ref": "X"}`, `!GetAtt a.b` → `{"Fn::GetAtt": ["a", "b"]}`, `!Sub s` → `{"Fn::Sub": s}`.
fn apply_cloudformation_tag(node: Node, tag: Option<&Tag>, text: &str) -> Result<Node, ParseError> {
    let Some(tag) = tag.filter(|t| t.handle == "!") else {
        return Ok(node);
    };
    let span = node.span;
    let name = tag.suffix.as_str();
    let (key, value) = match name {
        "Ref" => ("Ref".to_string(), node),
        "Condition" => ("Condition".to_string(), node),
        "GetAtt" => {
            let value = match &node.kind {
                NodeKind::String(s) => {
                    let (resource, attribute) = s.split_once('.').ok_or_else(|| {
                        ParseError::at(text, span.start, "!GetAtt expects 'Resource.Attribute'")
                    })?;
                    Node {
                        span,
                        kind: NodeKind::Array(vec![
                            Node::string(resource, span),
                            Node::string(attribute, span),
                        ]),
                    }
                }
                _ => node,
            };
            ("Fn::GetAtt".to_string(), value)
        }
        other => (format!("Fn::{other}"), node),
    };
    Ok(Node {
        span,
        kind: NodeKind::Object(vec![Member {
            key,
            key_span: Span::new(span.start, span.start),
            value,
        }]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> serde_json::Value {
        parse(text).unwrap().to_value()
    }

    #[test]
    fn resolves_core_schema_scalars() {
        let v = value("a: 1\nb: 1.5\nc: true\nd: ~\ne: '1'\nf: hello\ng: -3\nh: 0x1F\ni: .5\n");
        assert_eq!(
            v,
            serde_json::json!({"a": 1, "b": 1.5, "c": true, "d": null, "e": "1", "f": "hello", "g": -3, "h": 31, "i": 0.5})
        );
    }

    #[test]
    fn keeps_key_order_and_spans() {
        let text = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n";
        let root = parse(text).unwrap();
        let NodeKind::Object(members) = &root.kind else {
            panic!("mapping expected")
        };
        assert_eq!(members[0].key, "StartAt");
        assert_eq!(&text[members[0].value.span.range()], "A");
        let states = &members[1].value;
        assert_eq!(
            &text[states.span.range()],
            "A:\n    Type: Pass\n    End: true"
        );
    }

    #[test]
    fn quoted_scalar_spans_include_the_quotes() {
        let text = "a: \"x é\"\nb: [1, 'two']\n";
        let root = parse(text).unwrap();
        let NodeKind::Object(members) = &root.kind else {
            panic!("mapping expected")
        };
        assert_eq!(&text[members[0].value.span.range()], "\"x é\"");
        assert_eq!(&text[members[1].value.span.range()], "[1, 'two']");
    }

    #[test]
    fn converts_cloudformation_short_tags() {
        let v = value("a: !Ref Bucket\nb: !GetAtt Fn.Arn\nc: !Sub '${X}'\n");
        assert_eq!(
            v,
            serde_json::json!({"a": {"Ref": "Bucket"}, "b": {"Fn::GetAtt": ["Fn", "Arn"]}, "c": {"Fn::Sub": "${X}"}})
        );
    }

    #[test]
    fn resolves_aliases() {
        let v = value("a: &x {q: 1}\nb: *x\n");
        assert_eq!(v, serde_json::json!({"a": {"q": 1}, "b": {"q": 1}}));
    }

    #[test]
    fn reports_errors_with_position() {
        let e = parse("a: 1\n b: 2").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.starts_with("invalid YAML"), "{}", e.message);
        assert!(parse("").unwrap_err().message.contains("empty"));
        assert!(
            parse("a: 1\n---\nb: 2\n")
                .unwrap_err()
                .message
                .contains("one YAML document")
        );
    }

    #[test]
    fn bounds_alias_expansion() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..8 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        assert!(parse(&text).unwrap_err().message.contains("too many"));
    }
}
