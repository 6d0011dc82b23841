//! Rewrites an object's fields while keeping the author's key order: a replacement field
//! takes the place of the JSONPath field it comes from.

use serde_json::{Map as JsonMap, Value};

/// Where a new field goes when none of its anchors exists: before these keys.
const TAIL: [&str; 4] = ["Retry", "Catch", "Next", "End"];

/// A field to add: key, value and the keys it may take the place of.
type Added = (String, Value, Vec<String>);

/// Pending changes to one object.
pub(super) struct Edit<'a> {
    original: &'a JsonMap<String, Value>,
    removed: Vec<String>,
    replaced: Vec<(String, Value)>,
    added: Vec<Added>,
}

impl<'a> Edit<'a> {
    pub fn new(original: &'a JsonMap<String, Value>) -> Edit<'a> {
        Edit {
            original,
            removed: Vec::new(),
            replaced: Vec::new(),
            added: Vec::new(),
        }
    }

    /// Drops fields (absent ones are ignored).
    pub fn remove(&mut self, keys: &[&str]) {
        self.removed.extend(keys.iter().map(|k| k.to_string()));
    }

    /// Gives an existing field a new value, in place.
    pub fn replace(&mut self, key: &str, value: Value) {
        self.replaced.push((key.to_string(), value));
    }

    /// Sets `key`: in place if it exists, else where the first existing `anchor` is (the
    /// anchors are usually fields being removed), else before Retry/Catch/Next/End.
    pub fn set(&mut self, key: &str, value: Value, anchors: &[&str]) {
        if self.original.contains_key(key) {
            self.replace(key, value);
        } else {
            self.added.push((
                key.to_string(),
                value,
                anchors.iter().map(|a| a.to_string()).collect(),
            ));
        }
    }

    pub fn finish(self) -> JsonMap<String, Value> {
        let anchor_of = |anchors: &[String]| -> Option<String> {
            anchors
                .iter()
                .find(|a| self.original.contains_key(a.as_str()))
                .cloned()
                .or_else(|| {
                    TAIL.iter()
                        .find(|a| self.original.contains_key(**a))
                        .map(|a| a.to_string())
                })
        };
        let placed: Vec<(Option<String>, &Added)> = self
            .added
            .iter()
            .map(|added| (anchor_of(&added.2), added))
            .collect();
        let mut out = JsonMap::new();
        for (key, value) in self.original {
            for (anchor, (new_key, new_value, _)) in &placed {
                if anchor.as_deref() == Some(key.as_str()) {
                    out.insert(new_key.clone(), new_value.clone());
                }
            }
            if self.removed.iter().any(|r| r == key) {
                continue;
            }
            let value = self
                .replaced
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map_or_else(|| value.clone(), |(_, v)| v.clone());
            out.insert(key.clone(), value);
        }
        for (anchor, (new_key, new_value, _)) in &placed {
            if anchor.is_none() {
                out.insert(new_key.clone(), new_value.clone());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn new_fields_take_the_place_of_the_fields_they_replace() {
        let original = json!({"Type": "Task", "Parameters": {}, "ResultPath": "$.r", "Next": "B"});
        let original = original.as_object().unwrap();
        let mut edit = Edit::new(original);
        edit.remove(&["Parameters", "ResultPath"]);
        edit.set("Arguments", json!({"a": 1}), &["Parameters"]);
        edit.set("Output", json!("{% x %}"), &["OutputPath", "ResultPath"]);
        edit.set("Assign", json!({}), &["Nothing"]);
        let out = Value::Object(edit.finish());
        assert_eq!(
            serde_json::to_string(&out).unwrap(),
            r#"{"Type":"Task","Arguments":{"a":1},"Output":"{% x %}","Assign":{},"Next":"B"}"#
        );
    }

    #[test]
    fn replacements_stay_in_place_and_orphans_go_last() {
        let original = json!({"A": 1, "B": 2});
        let original = original.as_object().unwrap();
        let mut edit = Edit::new(original);
        edit.set("A", json!(10), &[]);
        edit.set("C", json!(3), &[]);
        let out = Value::Object(edit.finish());
        assert_eq!(
            serde_json::to_string(&out).unwrap(),
            r#"{"A":10,"B":2,"C":3}"#
        );
    }
}
