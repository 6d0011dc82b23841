//! A second YAML reader for files the strict parser refuses but YAML tools accept.
//!
//! Published SAM templates sometimes continue a quoted or flow value on a line indented less
//! than its key; libyaml (PyYAML, the AWS CLI) reads them, saphyr does not. Such a document has
//! no exact positions, so it is edited by re-writing the whole text (see `edit_value`).

use super::{Member, Node, NodeKind, ParseError, Span};
use serde_json::{Map as JsonMap, Number, Value};

const MAX_DEPTH: usize = 512;

/// Parses with libyaml; spans all cover the whole text.
pub(super) fn parse(text: &str) -> Result<Node, ParseError> {
    let value: serde_norway::Value = serde_norway::from_str(text).map_err(|e| {
        let offset = e.location().map_or(0, |l| l.index());
        ParseError::at(text, offset, format!("invalid YAML: {e}"))
    })?;
    let whole = Span::new(0, text.len());
    convert(&value, whole, 0).ok_or_else(|| {
        ParseError::at(
            text,
            0,
            "the YAML is nested too deeply or uses complex keys",
        )
    })
}

fn convert(value: &serde_norway::Value, span: Span, depth: usize) -> Option<Node> {
    if depth > MAX_DEPTH {
        return None;
    }
    use serde_norway::Value as Y;
    let kind = match value {
        Y::Null => NodeKind::Null,
        Y::Bool(b) => NodeKind::Bool(*b),
        Y::Number(n) => NodeKind::Number(number(n)?),
        Y::String(s) => NodeKind::String(s.clone()),
        Y::Sequence(items) => NodeKind::Array(
            items
                .iter()
                .map(|i| convert(i, span, depth + 1))
                .collect::<Option<_>>()?,
        ),
        Y::Mapping(map) => NodeKind::Object(
            map.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s.clone(),
                        Y::Number(n) => n.to_string(),
                        Y::Bool(b) => b.to_string(),
                        _ => return None,
                    };
                    Some(Member {
                        key,
                        key_span: span,
                        value: convert(v, span, depth + 1)?,
                    })
                })
                .collect::<Option<_>>()?,
        ),
        Y::Tagged(tagged) => {
            // CloudFormation short forms, as the strict reader converts them.
            let inner = convert(&tagged.value, span, depth + 1)?;
            let tag = tagged.tag.to_string();
            let name = tag.trim_start_matches('!');
            let (key, inner) = match (name, &inner.kind) {
                ("Ref" | "Condition", _) => (name.to_string(), inner),
                ("GetAtt", NodeKind::String(s)) => match s.split_once('.') {
                    Some((resource, attribute)) => (
                        "Fn::GetAtt".to_string(),
                        Node {
                            span,
                            kind: NodeKind::Array(vec![
                                Node::string(resource, span),
                                Node::string(attribute, span),
                            ]),
                        },
                    ),
                    None => ("Fn::GetAtt".to_string(), inner),
                },
                _ => (format!("Fn::{name}"), inner),
            };
            NodeKind::Object(vec![Member {
                key,
                key_span: span,
                value: inner,
            }])
        }
    };
    Some(Node { span, kind })
}

fn number(n: &serde_norway::Number) -> Option<Number> {
    if let Some(i) = n.as_i64() {
        return Some(Number::from(i));
    }
    if let Some(u) = n.as_u64() {
        return Some(Number::from(u));
    }
    n.as_f64().and_then(Number::from_f64)
}

/// Applies an edit to a JSON value (for documents edited by re-writing them whole).
pub(super) fn edit_value(value: &mut Value, edit: &super::Edit) -> Result<(), super::EditError> {
    use super::{Edit, EditError, pointer};
    let parent_of = |_: &mut Value, at: &str| -> Result<(String, String), EditError> {
        pointer::split_last(at).ok_or(EditError::Root)
    };
    match edit {
        Edit::Text(_) => Ok(()),
        Edit::Batch(edits) => edits.iter().try_for_each(|e| edit_value(value, e)),
        Edit::Set {
            pointer: at,
            value: new,
        } => {
            if at.is_empty() {
                *value = new.clone();
                return Ok(());
            }
            let (parent, key) = parent_of(value, at)?;
            match value.pointer_mut(&parent) {
                Some(Value::Object(map)) => {
                    map.insert(key, new.clone());
                    Ok(())
                }
                Some(Value::Array(items)) => {
                    let slot = pointer::array_index(&key)
                        .and_then(|i| items.get_mut(i))
                        .ok_or_else(|| EditError::NotFound(at.clone()))?;
                    *slot = new.clone();
                    Ok(())
                }
                _ => Err(EditError::NotFound(at.clone())),
            }
        }
        Edit::InsertMember {
            object,
            key,
            value: new,
            index,
        } => match value.pointer_mut(object) {
            Some(Value::Object(map)) if map.contains_key(key) => Err(EditError::KeyExists {
                object: object.clone(),
                key: key.clone(),
            }),
            Some(Value::Object(map)) => {
                let at = index.unwrap_or(map.len()).min(map.len());
                map.shift_insert(at, key.clone(), new.clone());
                Ok(())
            }
            _ => Err(EditError::NotAnObject(object.clone())),
        },
        Edit::InsertItem {
            array,
            index,
            value: new,
        } => match value.pointer_mut(array) {
            Some(Value::Array(items)) if *index <= items.len() => {
                items.insert(*index, new.clone());
                Ok(())
            }
            Some(Value::Array(_)) => Err(EditError::IndexOutOfRange {
                array: array.clone(),
                index: *index,
            }),
            _ => Err(EditError::NotAnArray(array.clone())),
        },
        Edit::Remove { pointer: at } => {
            let (parent, key) = parent_of(value, at)?;
            match value.pointer_mut(&parent) {
                Some(Value::Object(map)) => map
                    .shift_remove(&key)
                    .map(|_| ())
                    .ok_or_else(|| EditError::NotFound(at.clone())),
                Some(Value::Array(items)) => {
                    match pointer::array_index(&key).filter(|&i| i < items.len()) {
                        Some(i) => {
                            items.remove(i);
                            Ok(())
                        }
                        None => Err(EditError::NotFound(at.clone())),
                    }
                }
                _ => Err(EditError::NotFound(at.clone())),
            }
        }
        Edit::RenameKey {
            pointer: at,
            new_key,
        } => {
            let (parent, key) = parent_of(value, at)?;
            let Some(Value::Object(map)) = value.pointer_mut(&parent) else {
                return Err(EditError::NotFound(at.clone()));
            };
            if map.contains_key(new_key) && key != *new_key {
                return Err(EditError::KeyExists {
                    object: parent,
                    key: new_key.clone(),
                });
            }
            let position = map
                .keys()
                .position(|k| *k == key)
                .ok_or_else(|| EditError::NotFound(at.clone()))?;
            let renamed: JsonMap<String, Value> = std::mem::take(map)
                .into_iter()
                .enumerate()
                .map(|(i, (k, v))| {
                    if i == position {
                        (new_key.clone(), v)
                    } else {
                        (k, v)
                    }
                })
                .collect();
            *map = renamed;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Document, Edit, Format};
    use serde_json::json;

    const LOOSE: &str = "Outputs:\n  Sample:\n    Value: \"{\n      \\\"a\\\": 1\n    }\"\n  Policy:\n    Doc: {\n    \"k\": !Ref Bucket\n  }\n";

    #[test]
    fn reads_what_libyaml_reads() {
        let doc = Document::parse(LOOSE, Format::Yaml).unwrap();
        assert!(!doc.has_exact_positions());
        assert_eq!(
            doc.value()["Outputs"]["Policy"]["Doc"],
            json!({"k": {"Ref": "Bucket"}})
        );
        assert_eq!(
            doc.value()["Outputs"]["Sample"]["Value"],
            json!("{ \"a\": 1 }")
        );
    }

    #[test]
    fn edits_rewrite_the_whole_document() {
        let mut doc = Document::parse(LOOSE, Format::Yaml).unwrap();
        doc.apply(&Edit::Set {
            pointer: "/Outputs/Sample/Value".into(),
            value: json!("x"),
        })
        .unwrap();
        assert!(
            doc.has_exact_positions(),
            "the rewritten text is strict YAML"
        );
        assert_eq!(doc.value()["Outputs"]["Sample"]["Value"], json!("x"));
        doc.apply(&Edit::RenameKey {
            pointer: "/Outputs/Policy".into(),
            new_key: "P".into(),
        })
        .unwrap();
        let keys: Vec<_> = doc.value()["Outputs"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(keys, vec!["Sample", "P"]);
    }
}
