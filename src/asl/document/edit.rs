//! Structural edits turned into minimal text changes that keep the user's formatting.
//!
//! Every view (Design, Config, inspector) edits the document through these, so key order,
//! indentation and untouched text stay exactly as the user wrote them.

use super::format::{json_fragment, yaml_block, yaml_inline, yaml_member, yaml_member_value};
use super::{Document, Format, Node, NodeKind, ParseError, Span, pointer};
use serde_json::Value;
use std::ops::Range;

/// One change to the document, addressed by JSON pointers.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Replace the value at `pointer`; when the parent is an object without that key, add it.
    Set { pointer: String, value: Value },
    /// Insert a member into the object at `object`, before the member at `index` (None: last).
    InsertMember {
        object: String,
        key: String,
        value: Value,
        index: Option<usize>,
    },
    /// Insert an item into the array at `array` (an index equal to the length appends).
    InsertItem {
        array: String,
        index: usize,
        value: Value,
    },
    /// Remove an object member or an array item.
    Remove { pointer: String },
    /// Rename the key of the member at `pointer`, keeping its place.
    RenameKey { pointer: String, new_key: String },
    /// Replace a byte range of the text (typing in the Code tab).
    Text(TextChange),
    /// Several edits applied in order, as one change.
    Batch(Vec<Edit>),
}

/// Replace `range` of the old text with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextChange {
    pub range: Range<usize>,
    pub replacement: String,
}

impl TextChange {
    pub fn apply_to(&self, text: &mut String) {
        let end = self.range.end.min(text.len());
        let start = self.range.start.min(end);
        text.replace_range(start..end, &self.replacement);
    }

    /// The change that undoes this one, given the text it was applied to.
    pub fn inverse(&self, original: &str) -> TextChange {
        TextChange {
            range: self.range.start..self.range.start + self.replacement.len(),
            replacement: original
                .get(self.range.clone())
                .unwrap_or_default()
                .to_string(),
        }
    }

    /// The smallest change turning `old` into `new` (common prefix and suffix kept).
    pub fn between(old: &str, new: &str) -> TextChange {
        let prefix = old
            .char_indices()
            .zip(new.chars())
            .find(|((_, a), b)| a != b)
            .map_or(old.len().min(new.len()), |((i, _), _)| i);
        let max_suffix = old.len().min(new.len()) - prefix;
        let suffix = old
            .chars()
            .rev()
            .zip(new.chars().rev())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a.len_utf8())
            .scan(0, |acc, len| {
                *acc += len;
                Some(*acc)
            })
            .take_while(|&len| len <= max_suffix)
            .last()
            .unwrap_or(0);
        TextChange {
            range: prefix..old.len() - suffix,
            replacement: new
                .get(prefix..new.len() - suffix)
                .unwrap_or_default()
                .to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EditError {
    #[error("nothing at {0} to edit")]
    NotFound(String),
    #[error("{0} is not an object")]
    NotAnObject(String),
    #[error("{0} is not an array")]
    NotAnArray(String),
    #[error("the key \"{key}\" already exists in {object}")]
    KeyExists { object: String, key: String },
    #[error("index {index} is outside the array {array}")]
    IndexOutOfRange { array: String, index: usize },
    #[error("the root of the document cannot be removed or renamed")]
    Root,
    #[error("the edit produced text that does not parse: {0}")]
    Produced(ParseError),
}

pub(super) fn plan(doc: &Document, edit: &Edit) -> Result<TextChange, EditError> {
    match edit {
        Edit::Text(change) => Ok(change.clone()),
        Edit::Batch(edits) => {
            let mut current = doc.clone();
            for edit in edits {
                current.apply(edit)?;
            }
            Ok(TextChange::between(doc.text(), current.text()))
        }
        Edit::Set { pointer, value } => set(doc, pointer, value),
        Edit::InsertMember {
            object,
            key,
            value,
            index,
        } => insert_member(doc, object, key, value, *index),
        Edit::InsertItem {
            array,
            index,
            value,
        } => insert_item(doc, array, *index, value),
        Edit::Remove { pointer } => remove(doc, pointer),
        Edit::RenameKey { pointer, new_key } => rename(doc, pointer, new_key),
    }
}

fn node<'d>(doc: &'d Document, pointer: &str) -> Result<&'d Node, EditError> {
    doc.node(pointer)
        .ok_or_else(|| EditError::NotFound(pointer.to_string()))
}

fn change(range: Range<usize>, replacement: impl Into<String>) -> TextChange {
    TextChange {
        range,
        replacement: replacement.into(),
    }
}

/// Leading whitespace of the line holding `offset`.
fn line_indent(text: &str, offset: usize) -> &str {
    let line_start = text
        .get(..offset)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line = text.get(line_start..).unwrap_or_default();
    let width = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[..width]
}

/// Where text can be appended after a YAML value ending at `end`: after its last visible
/// character and any comment on that line (block scalars end on a later line).
fn yaml_append_point(text: &str, end: usize) -> usize {
    let mut point = end.min(text.len());
    while point > 0
        && text
            .as_bytes()
            .get(point - 1)
            .is_some_and(u8::is_ascii_whitespace)
    {
        point -= 1;
    }
    let line_end = text
        .get(point..)
        .and_then(|s| s.find('\n'))
        .map_or(text.len(), |i| point + i);
    let rest = text.get(point..line_end).unwrap_or_default().trim();
    if rest.is_empty() || rest.starts_with('#') {
        line_end
    } else {
        point
    }
}

fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// The document's indent unit: the first indentation step found, else two spaces.
fn indent_unit(text: &str) -> String {
    text.lines()
        .map(|line| &line[..line.len() - line.trim_start_matches([' ', '\t']).len()])
        .find(|indent| !indent.is_empty())
        .map_or_else(|| "  ".to_string(), str::to_string)
}

fn is_multiline(text: &str, span: Span) -> bool {
    text.get(span.range()).is_some_and(|s| s.contains('\n'))
}

/// JSON on one line, with the spacing people write by hand: `{"a": 1, "b": [1, 2]}`.
fn json_inline(value: &Value) -> String {
    match value {
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(json_inline).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Object(map) => {
            let inner: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", Value::String(k.clone()), json_inline(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
        scalar => scalar.to_string(),
    }
}

/// A JSON value for a place whose line starts with `indent`, pretty or inline like its context.
fn json_value_text(doc: &Document, value: &Value, context: Span, at: usize) -> String {
    if is_multiline(doc.text(), context) || context == doc.root().span {
        json_fragment(value, &indent_unit(doc.text()), line_indent(doc.text(), at))
    } else {
        json_inline(value)
    }
}

fn parent_span(doc: &Document, pointer: &str) -> Span {
    pointer::split_last(pointer)
        .and_then(|(parent, _)| doc.span_of(&parent))
        .unwrap_or(doc.root().span)
}

fn set(doc: &Document, pointer: &str, value: &Value) -> Result<TextChange, EditError> {
    let Some(existing) = doc.node(pointer) else {
        let (parent, key) =
            pointer::split_last(pointer).ok_or_else(|| EditError::NotFound(pointer.to_string()))?;
        return insert_member(doc, &parent, &key, value, None);
    };
    if pointer.is_empty() {
        let text = match doc.format() {
            Format::Json => format!("{}\n", json_fragment(value, &indent_unit(doc.text()), "")),
            Format::Yaml => super::to_yaml(value),
        };
        return Ok(change(0..doc.text().len(), text));
    }
    match doc.format() {
        Format::Json => {
            let context = parent_span(doc, pointer);
            let text = json_value_text(doc, value, context, existing.span.start);
            Ok(change(existing.span.range(), text))
        }
        Format::Yaml => yaml_set(doc, pointer, existing, value),
    }
}

fn is_flow(doc: &Document, node: &Node) -> bool {
    doc.text()
        .get(node.span.range())
        .is_some_and(|s| s.starts_with('{') || s.starts_with('['))
}

fn yaml_set(
    doc: &Document,
    pointer: &str,
    existing: &Node,
    value: &Value,
) -> Result<TextChange, EditError> {
    let text = doc.text();
    let simple = !matches!(value, Value::Object(m) if !m.is_empty())
        && !matches!(value, Value::Array(a) if !a.is_empty());
    let parent = pointer::split_last(pointer).and_then(|(p, _)| doc.node(&p).cloned());
    let parent_is_flow = parent.as_ref().is_some_and(|p| is_flow(doc, p));
    let existing_is_block_collection =
        matches!(existing.kind, NodeKind::Object(_) | NodeKind::Array(_))
            && !is_flow(doc, existing);
    if parent_is_flow || (simple && !existing_is_block_collection) {
        return Ok(change(existing.span.range(), yaml_inline(value)));
    }
    let Some(parent) = parent else {
        return Err(EditError::NotFound(pointer.to_string()));
    };
    match &parent.kind {
        NodeKind::Object(_) => {
            let key_span = doc
                .key_span_of(pointer)
                .ok_or_else(|| EditError::NotFound(pointer.to_string()))?;
            let colon = text
                .get(key_span.end..)
                .and_then(|s| s.find(':'))
                .map_or(key_span.end, |i| key_span.end + i + 1);
            let indent = key_span.start - line_start(text, key_span.start);
            let rendered = yaml_member_value(value, indent);
            Ok(change(
                colon..existing.span.end,
                rendered.trim_end_matches('\n'),
            ))
        }
        _ => {
            // A block sequence item: "- " then the value, continuing at the item's column.
            let column = existing.span.start - line_start(text, existing.span.start);
            let rendered = yaml_block(value, column);
            Ok(change(
                existing.span.range(),
                rendered.get(column..).unwrap_or(&rendered).to_string(),
            ))
        }
    }
}

/// YAML fallback: rewrite the whole container with the change made on its value.
fn rewrite_container(
    doc: &Document,
    container: &str,
    update: impl FnOnce(&mut Value),
) -> Result<TextChange, EditError> {
    let mut value = node(doc, container)?.to_value();
    update(&mut value);
    set(doc, container, &value)
}

fn insert_member(
    doc: &Document,
    object: &str,
    key: &str,
    value: &Value,
    index: Option<usize>,
) -> Result<TextChange, EditError> {
    let target = node(doc, object)?;
    let NodeKind::Object(members) = &target.kind else {
        return Err(EditError::NotAnObject(object.to_string()));
    };
    if members.iter().any(|m| m.key == key) {
        return Err(EditError::KeyExists {
            object: object.to_string(),
            key: key.to_string(),
        });
    }
    let index = index.unwrap_or(members.len()).min(members.len());
    let text = doc.text();
    match doc.format() {
        Format::Json => {
            let key_text = Value::String(key.to_string()).to_string();
            if members.is_empty() {
                let multiline = object.is_empty() || is_multiline(text, parent_span(doc, object));
                let inner = target.span.start + 1..target.span.end.saturating_sub(1);
                if multiline {
                    let outer = line_indent(text, target.span.start);
                    let member_indent = format!("{outer}{}", indent_unit(text));
                    let body = json_fragment(value, &indent_unit(text), &member_indent);
                    return Ok(change(
                        inner,
                        format!("\n{member_indent}{key_text}: {body}\n{outer}"),
                    ));
                }
                return Ok(change(inner, format!("{key_text}: {}", json_inline(value))));
            }
            let first = &members[0];
            let multiline = text
                .get(target.span.start..first.key_span.start)
                .is_some_and(|s| s.contains('\n'));
            if multiline {
                let member_indent = line_indent(text, first.key_span.start);
                let body = json_fragment(value, &indent_unit(text), member_indent);
                if let Some(next) = members.get(index) {
                    let at = next.key_span.start;
                    Ok(change(
                        at..at,
                        format!("{key_text}: {body},\n{member_indent}"),
                    ))
                } else {
                    let at = members[members.len() - 1].value.span.end;
                    Ok(change(
                        at..at,
                        format!(",\n{member_indent}{key_text}: {body}"),
                    ))
                }
            } else if let Some(next) = members.get(index) {
                let at = next.key_span.start;
                Ok(change(
                    at..at,
                    format!("{key_text}: {}, ", json_inline(value)),
                ))
            } else {
                let at = members[members.len() - 1].value.span.end;
                Ok(change(
                    at..at,
                    format!(", {key_text}: {}", json_inline(value)),
                ))
            }
        }
        Format::Yaml => {
            if members.is_empty() || is_flow(doc, target) {
                let key = key.to_string();
                let value = value.clone();
                return rewrite_container(doc, object, |v| {
                    if let Value::Object(map) = v {
                        map.shift_insert(index, key, value);
                    }
                });
            }
            let indent = members[0].key_span.start - line_start(text, members[0].key_span.start);
            let rendered = yaml_member(key, value, indent);
            if let Some(next) = members.get(index) {
                let at = line_start(text, next.key_span.start);
                Ok(change(at..at, rendered))
            } else {
                let at = yaml_append_point(text, members[members.len() - 1].value.span.end);
                Ok(change(
                    at..at,
                    format!("\n{}", rendered.trim_end_matches('\n')),
                ))
            }
        }
    }
}

fn insert_item(
    doc: &Document,
    array: &str,
    index: usize,
    value: &Value,
) -> Result<TextChange, EditError> {
    let target = node(doc, array)?;
    let NodeKind::Array(items) = &target.kind else {
        return Err(EditError::NotAnArray(array.to_string()));
    };
    if index > items.len() {
        return Err(EditError::IndexOutOfRange {
            array: array.to_string(),
            index,
        });
    }
    let text = doc.text();
    if doc.format() == Format::Yaml && (items.is_empty() || is_flow(doc, target)) {
        let value = value.clone();
        return rewrite_container(doc, array, |v| {
            if let Value::Array(list) = v {
                list.insert(index.min(list.len()), value);
            }
        });
    }
    if doc.format() == Format::Yaml {
        let column = items[0].span.start - line_start(text, items[0].span.start);
        let dash_indent = column.saturating_sub(2);
        let body = yaml_block(value, column);
        // A block mapping or sequence comes indented to `column` (its first line shares the
        // dash's line); a scalar or an empty container comes as one unindented line.
        let is_block = match value {
            Value::Object(map) => !map.is_empty(),
            Value::Array(list) => !list.is_empty(),
            _ => false,
        };
        let first_line = if is_block {
            body.get(column..).unwrap_or(&body)
        } else {
            &body
        };
        let item = format!("{}- {first_line}", " ".repeat(dash_indent));
        return Ok(if let Some(next) = items.get(index) {
            let at = line_start(text, next.span.start);
            change(at..at, format!("{item}\n"))
        } else {
            let at = yaml_append_point(text, items[items.len() - 1].span.end);
            change(at..at, format!("\n{item}"))
        });
    }
    if items.is_empty() {
        let inner = target.span.start + 1..target.span.end.saturating_sub(1);
        if is_multiline(text, parent_span(doc, array)) {
            let outer = line_indent(text, target.span.start);
            let item_indent = format!("{outer}{}", indent_unit(text));
            let body = json_fragment(value, &indent_unit(text), &item_indent);
            return Ok(change(inner, format!("\n{item_indent}{body}\n{outer}")));
        }
        return Ok(change(inner, json_inline(value)));
    }
    let multiline = text
        .get(target.span.start..items[0].span.start)
        .is_some_and(|s| s.contains('\n'));
    if multiline {
        let item_indent = line_indent(text, items[0].span.start);
        let body = json_fragment(value, &indent_unit(text), item_indent);
        Ok(if let Some(next) = items.get(index) {
            let at = next.span.start;
            change(at..at, format!("{body},\n{item_indent}"))
        } else {
            let at = items[items.len() - 1].span.end;
            change(at..at, format!(",\n{item_indent}{body}"))
        })
    } else {
        Ok(if let Some(next) = items.get(index) {
            let at = next.span.start;
            change(at..at, format!("{}, ", json_inline(value)))
        } else {
            let at = items[items.len() - 1].span.end;
            change(at..at, format!(", {}", json_inline(value)))
        })
    }
}

fn remove(doc: &Document, pointer: &str) -> Result<TextChange, EditError> {
    let (parent_pointer, last) = pointer::split_last(pointer).ok_or(EditError::Root)?;
    let parent = node(doc, &parent_pointer)?;
    // (start of the entry, end of its value) for every entry of the container.
    let entries: Vec<(usize, usize)> = match &parent.kind {
        NodeKind::Object(members) => members
            .iter()
            .map(|m| (m.key_span.start, m.value.span.end))
            .collect(),
        NodeKind::Array(items) => items.iter().map(|n| (n.span.start, n.span.end)).collect(),
        _ => return Err(EditError::NotFound(pointer.to_string())),
    };
    let index = match &parent.kind {
        NodeKind::Object(members) => members.iter().rposition(|m| m.key == last),
        _ => pointer::array_index(&last).filter(|&i| i < entries.len()),
    }
    .ok_or_else(|| EditError::NotFound(pointer.to_string()))?;
    let text = doc.text();
    if doc.format() == Format::Yaml && !is_flow(doc, parent) {
        if entries.len() == 1 {
            let empty = if matches!(parent.kind, NodeKind::Object(_)) {
                Value::Object(serde_json::Map::new())
            } else {
                Value::Array(Vec::new())
            };
            return set(doc, &parent_pointer, &empty);
        }
        // Whole lines: from this entry's line to the next entry's line.
        let start = line_start(text, entries[index].0);
        let end = match entries.get(index + 1) {
            Some(next) => line_start(text, next.0),
            None => {
                let line_end = yaml_append_point(text, entries[index].1);
                if text.get(line_end..).is_some_and(|s| s.starts_with('\n')) {
                    line_end + 1
                } else {
                    line_end
                }
            }
        };
        return Ok(change(start..end, ""));
    }
    if entries.len() == 1 {
        return Ok(change(
            parent.span.start + 1..parent.span.end.saturating_sub(1),
            "",
        ));
    }
    Ok(match entries.get(index + 1) {
        Some(next) => change(entries[index].0..next.0, ""),
        None => change(entries[index - 1].1..entries[index].1, ""),
    })
}

fn rename(doc: &Document, pointer: &str, new_key: &str) -> Result<TextChange, EditError> {
    let (parent, old_key) = pointer::split_last(pointer).ok_or(EditError::Root)?;
    if old_key == new_key {
        return Ok(change(0..0, ""));
    }
    let parent_node = node(doc, &parent)?;
    if parent_node.member(new_key).is_some() {
        return Err(EditError::KeyExists {
            object: parent,
            key: new_key.to_string(),
        });
    }
    let span = doc
        .key_span_of(pointer)
        .filter(|_| matches!(parent_node.kind, NodeKind::Object(_)))
        .ok_or_else(|| EditError::NotFound(pointer.to_string()))?;
    let text = match doc.format() {
        Format::Json => Value::String(new_key.to_string()).to_string(),
        Format::Yaml => yaml_inline(&Value::String(new_key.to_string())),
    };
    Ok(change(span.range(), text))
}

#[cfg(test)]
mod tests;
