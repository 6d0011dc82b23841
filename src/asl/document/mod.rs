//! The ASL text as a tree that remembers where every key and value is.
//!
//! The text is the single source of truth: views read the tree, and every change is an [`Edit`]
//! turned into a text change (see `edit.rs`) so the user's formatting and key order survive.

mod edit;
mod format;
mod json;
mod lenient;
pub mod pointer;
mod yaml;

pub use edit::{Edit, EditError, TextChange};
pub use format::{to_json_pretty, to_yaml};

use serde_json::{Number, Value};
use std::ops::Range;

/// A byte range in the document text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }

    pub fn contains(self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }
}

/// A 1-based line and column (columns count characters, as editors show them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// The syntax of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    #[default]
    Json,
    Yaml,
}

impl Format {
    /// `*.yaml` / `*.yml` are YAML; everything else is read as JSON.
    pub fn from_path(path: &std::path::Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml") => {
                Format::Yaml
            }
            _ => Format::Json,
        }
    }
}

/// A parsed value with the span of its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Node>),
    /// Members in text order, duplicates included (the validator reports them).
    Object(Vec<Member>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    fn string(text: &str, span: Span) -> Node {
        Node {
            span,
            kind: NodeKind::String(text.to_string()),
        }
    }

    /// The JSON value; of duplicate keys the last one wins, as most JSON readers do.
    pub fn to_value(&self) -> Value {
        match &self.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Number(n) => Value::Number(n.clone()),
            NodeKind::String(s) => Value::String(s.clone()),
            NodeKind::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            NodeKind::Object(members) => {
                let mut map = serde_json::Map::with_capacity(members.len());
                for member in members {
                    map.insert(member.key.clone(), member.value.to_value());
                }
                Value::Object(map)
            }
        }
    }

    /// The member called `key` (the last one when the key is duplicated).
    pub fn member(&self, key: &str) -> Option<&Member> {
        match &self.kind {
            NodeKind::Object(members) => members.iter().rev().find(|m| m.key == key),
            _ => None,
        }
    }

    fn child(&self, segment: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Object(_) => self.member(segment).map(|m| &m.value),
            NodeKind::Array(items) => pointer::array_index(segment).and_then(|i| items.get(i)),
            _ => None,
        }
    }

    fn count_nodes(&self) -> usize {
        1 + match &self.kind {
            NodeKind::Array(items) => items.iter().map(Node::count_nodes).sum(),
            NodeKind::Object(members) => members.iter().map(|m| m.value.count_nodes()).sum(),
            _ => 0,
        }
    }
}

/// A syntax error at an exact place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct ParseError {
    pub message: String,
    pub offset: usize,
    pub line: usize,
    pub column: usize,
}

impl ParseError {
    fn at(text: &str, offset: usize, message: impl Into<String>) -> Self {
        let offset = offset.min(text.len());
        let position = LineIndex::new(text).position(text, offset);
        ParseError {
            message: message.into(),
            offset,
            line: position.line,
            column: position.column,
        }
    }
}

/// A key that appears twice in one object (AWS rejects the definition).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// Pointer of the object holding the duplicates.
    pub object: String,
    pub key: String,
    /// Span of the repeated (second and later) key.
    pub span: Span,
    /// Span of the first occurrence.
    pub first: Span,
}

/// Start offsets of lines, for offset ⇄ line/column.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1) - 1;
        let line_start = self.starts.get(line).copied().unwrap_or(0);
        let column = text
            .get(line_start..offset)
            .map_or(offset - line_start, |s| s.chars().count());
        Position {
            line: line + 1,
            column: column + 1,
        }
    }

    fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&line_start) = self.starts.get(position.line.saturating_sub(1)) else {
            return text.len();
        };
        let line_end = self
            .starts
            .get(position.line)
            .map_or(text.len(), |next| next.saturating_sub(1));
        let line = text.get(line_start..line_end).unwrap_or_default();
        let column = position.column.saturating_sub(1);
        line_start
            + line
                .char_indices()
                .nth(column)
                .map_or(line.len(), |(i, _)| i)
    }
}

/// The ASL text and its spanned tree.
#[derive(Debug, Clone)]
pub struct Document {
    text: String,
    format: Format,
    root: Node,
    value: Value,
    lines: LineIndex,
    duplicates: Vec<DuplicateKey>,
    /// False for YAML only libyaml could read: spans are approximate, edits rewrite the text.
    exact: bool,
}

impl Document {
    pub fn parse(text: impl Into<String>, format: Format) -> Result<Document, ParseError> {
        let text = text.into();
        let mut exact = true;
        let root = match format {
            Format::Json => json::parse(&text)?,
            Format::Yaml => match yaml::parse(&text) {
                Ok(root) => root,
                Err(strict) => match lenient::parse(&text) {
                    Ok(root) => {
                        exact = false;
                        root
                    }
                    Err(_) => return Err(strict),
                },
            },
        };
        let value = root.to_value();
        let mut duplicates = Vec::new();
        collect_duplicates(&root, &mut String::new(), &mut duplicates);
        Ok(Document {
            lines: LineIndex::new(&text),
            text,
            format,
            root,
            value,
            duplicates,
            exact,
        })
    }

    /// Whether every key and value has its exact span (false after a lenient YAML read).
    pub fn has_exact_positions(&self) -> bool {
        self.exact
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn into_text(self) -> String {
        self.text
    }

    pub fn format(&self) -> Format {
        self.format
    }

    pub fn root(&self) -> &Node {
        &self.root
    }

    /// The document as a JSON value (key order kept).
    pub fn value(&self) -> &Value {
        &self.value
    }

    pub fn duplicate_keys(&self) -> &[DuplicateKey] {
        &self.duplicates
    }

    /// The node a JSON pointer (RFC 6901) designates.
    pub fn node(&self, pointer: &str) -> Option<&Node> {
        let mut node = &self.root;
        for segment in pointer::segments(pointer) {
            node = node.child(&segment)?;
        }
        Some(node)
    }

    /// Span of the value at `pointer`.
    pub fn span_of(&self, pointer: &str) -> Option<Span> {
        self.node(pointer).map(|n| n.span)
    }

    /// Span of the key of the member at `pointer` (falls back to the value for array items).
    pub fn key_span_of(&self, pointer: &str) -> Option<Span> {
        let (parent, last) = pointer::split_last(pointer)?;
        let parent = self.node(&parent)?;
        match &parent.kind {
            NodeKind::Object(_) => parent.member(&last).map(|m| m.key_span),
            _ => parent.child(&last).map(|n| n.span),
        }
    }

    /// The innermost pointer whose key or value contains `offset`.
    pub fn pointer_at(&self, offset: usize) -> String {
        let mut pointer = String::new();
        let mut node = &self.root;
        'descend: loop {
            match &node.kind {
                NodeKind::Object(members) => {
                    for member in members {
                        let whole = Span::new(member.key_span.start, member.value.span.end);
                        if whole.contains(offset) || member.value.span.contains(offset) {
                            pointer::push(&mut pointer, &member.key);
                            node = &member.value;
                            continue 'descend;
                        }
                    }
                }
                NodeKind::Array(items) => {
                    for (index, item) in items.iter().enumerate() {
                        if item.span.contains(offset) {
                            pointer::push(&mut pointer, &index.to_string());
                            node = item;
                            continue 'descend;
                        }
                    }
                }
                _ => {}
            }
            return pointer;
        }
    }

    pub fn position(&self, offset: usize) -> Position {
        self.lines.position(&self.text, offset)
    }

    pub fn offset(&self, position: Position) -> usize {
        self.lines.offset(&self.text, position)
    }

    /// The text that applying `edit` would produce, without changing the document.
    pub fn plan(&self, edit: &Edit) -> Result<TextChange, EditError> {
        if self.exact || matches!(edit, Edit::Text(_)) {
            return edit::plan(self, edit);
        }
        // Without exact spans, apply the edit to the value and write the document anew.
        let mut value = self.value.clone();
        lenient::edit_value(&mut value, edit)?;
        Ok(TextChange {
            range: 0..self.text.len(),
            replacement: to_yaml(&value),
        })
    }

    /// Applies an edit, re-parses, and returns the text change (for undo history).
    pub fn apply(&mut self, edit: &Edit) -> Result<TextChange, EditError> {
        let change = self.plan(edit)?;
        let mut text = self.text.clone();
        change.apply_to(&mut text);
        *self = Document::parse(text, self.format).map_err(EditError::Produced)?;
        Ok(change)
    }

    /// Re-renders the whole document in the canonical style of its format.
    pub fn formatted(&self) -> String {
        match self.format {
            Format::Json => to_json_pretty(&self.value, "  "),
            Format::Yaml => to_yaml(&self.value),
        }
    }
}

fn collect_duplicates(node: &Node, pointer: &mut String, out: &mut Vec<DuplicateKey>) {
    match &node.kind {
        NodeKind::Object(members) => {
            let mut seen: rustc_hash::FxHashMap<&str, Span> = rustc_hash::FxHashMap::default();
            for member in members {
                match seen.get(member.key.as_str()) {
                    Some(&first) => out.push(DuplicateKey {
                        object: pointer.clone(),
                        key: member.key.clone(),
                        span: member.key_span,
                        first,
                    }),
                    None => {
                        seen.insert(&member.key, member.key_span);
                    }
                }
                let len = pointer.len();
                pointer::push(pointer, &member.key);
                collect_duplicates(&member.value, pointer, out);
                pointer.truncate(len);
            }
        }
        NodeKind::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let len = pointer.len();
                pointer::push(pointer, &index.to_string());
                collect_duplicates(item, pointer, out);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A/B\": {\"Type\": \"Pass\", \"End\": true}\n  }\n}\n";

    #[test]
    fn looks_up_spans_by_pointer() {
        let doc = Document::parse(SAMPLE, Format::Json).unwrap();
        let span = doc.span_of("/States/A~1B/Type").unwrap();
        assert_eq!(&SAMPLE[span.range()], "\"Pass\"");
        let key = doc.key_span_of("/States/A~1B").unwrap();
        assert_eq!(&SAMPLE[key.range()], "\"A/B\"");
        assert_eq!(
            doc.position(span.start),
            Position {
                line: 4,
                column: 21
            }
        );
        assert!(doc.span_of("/States/Nope").is_none());
    }

    #[test]
    fn finds_the_innermost_pointer_at_an_offset() {
        let doc = Document::parse(SAMPLE, Format::Json).unwrap();
        let offset = SAMPLE.find("Pass").unwrap();
        assert_eq!(doc.pointer_at(offset), "/States/A~1B/Type");
        let key_offset = SAMPLE.find("StartAt").unwrap();
        assert_eq!(doc.pointer_at(key_offset), "/StartAt");
        assert_eq!(doc.pointer_at(0), "");
    }

    #[test]
    fn converts_positions_both_ways() {
        let text = "{\"é\": 1,\n \"b\": 2}";
        let doc = Document::parse(text, Format::Json).unwrap();
        let offset = text.find("\"b\"").unwrap();
        let position = doc.position(offset);
        assert_eq!(position, Position { line: 2, column: 2 });
        assert_eq!(doc.offset(position), offset);
        let after_accent = text.find(':').unwrap();
        assert_eq!(doc.position(after_accent).column, 5);
        assert_eq!(doc.offset(Position { line: 9, column: 1 }), text.len());
    }

    #[test]
    fn detects_duplicate_keys_anywhere() {
        let doc = Document::parse(r#"{"a": {"x": 1, "x": 2}, "a": 3}"#, Format::Json).unwrap();
        let found: Vec<_> = doc
            .duplicate_keys()
            .iter()
            .map(|d| (d.object.as_str(), d.key.as_str()))
            .collect();
        assert_eq!(found, vec![("/a", "x"), ("", "a")]);
        assert_eq!(doc.value()["a"], serde_json::json!(3));
    }

    #[test]
    fn keeps_the_text_unchanged() {
        let doc = Document::parse(SAMPLE, Format::Json).unwrap();
        assert_eq!(doc.text(), SAMPLE);
    }

    #[test]
    fn yaml_documents_share_the_lookups() {
        let text = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n";
        let doc = Document::parse(text, Format::Yaml).unwrap();
        let span = doc.span_of("/States/A/Type").unwrap();
        assert_eq!(&text[span.range()], "Pass");
        assert_eq!(doc.pointer_at(span.start), "/States/A/Type");
    }
}
