//! A JSON value as a folding tree, and what one value changed from another ([`Diff`]): how
//! the Test state tab and the run view's Data flow tab show the data after each stage.

use egui::collapsing_header::CollapsingState;
use egui::{Color32, RichText, Ui};
use serde_json::Value;

/// Children shown per object or array before "… more" (a huge result stays responsive).
const MAX_CHILDREN: usize = 200;
/// Characters of a string shown before it is cut (the rest is on hover).
const MAX_STRING: usize = 300;

/// What one stage did to the data of the stage before it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diff {
    /// Top-level keys (both are objects).
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    /// Another kind of value, or a change not described by keys (arrays, scalars).
    pub replaced: bool,
}

impl Diff {
    pub fn between(before: &Value, after: &Value) -> Diff {
        if before == after {
            return Diff::default();
        }
        let (Value::Object(before), Value::Object(after)) = (before, after) else {
            return Diff {
                replaced: true,
                ..Diff::default()
            };
        };
        let mut diff = Diff::default();
        for (key, value) in after {
            match before.get(key) {
                None => diff.added.push(key.clone()),
                Some(old) if old != value => diff.changed.push(key.clone()),
                Some(_) => {}
            }
        }
        diff.removed = before
            .keys()
            .filter(|key| !after.contains_key(*key))
            .cloned()
            .collect();
        diff
    }

    pub fn is_empty(&self) -> bool {
        *self == Diff::default()
    }

    /// "added: a, b · changed: c · removed: d", or "replaced".
    pub fn describe(&self) -> String {
        if self.replaced {
            return "replaced: a different value".into();
        }
        [
            ("added", &self.added),
            ("changed", &self.changed),
            ("removed", &self.removed),
        ]
        .iter()
        .filter(|(_, keys)| !keys.is_empty())
        .map(|(what, keys)| format!("{what}: {}", keys.join(", ")))
        .collect::<Vec<_>>()
        .join(" · ")
    }

    /// How a top-level key fared ("added", "changed"), if it is new or different.
    pub fn mark(&self, key: &str) -> Option<&'static str> {
        if self.added.iter().any(|k| k == key) {
            Some("added")
        } else if self.changed.iter().any(|k| k == key) {
            Some("changed")
        } else {
            None
        }
    }
}

/// A titled, collapsible block.
pub fn section_ui(ui: &mut Ui, id: &str, title: &str, open: bool, body: impl FnOnce(&mut Ui)) {
    let id = ui.make_persistent_id(id);
    CollapsingState::load_with_default_open(ui.ctx(), id, open)
        .show_header(ui, |ui| {
            crate::app::theme::heading_ui(ui, title);
        })
        .body(body);
}

/// A JSON value as a tree: objects and arrays fold, values are coloured by type, and the
/// top-level keys `diff` added or changed are highlighted.
pub fn json_tree_ui(ui: &mut Ui, value: &Value, diff: &Diff) {
    // Denser than the form's rows: a tree has many.
    let spacing = ui.spacing_mut();
    spacing.item_spacing.y = 1.0;
    spacing.interact_size.y = 16.0;
    spacing.indent = 14.0;
    match value {
        Value::Object(map) if !map.is_empty() => {
            children_ui(
                ui,
                map.iter().map(|(k, v)| (k.clone(), v)),
                map.len(),
                0,
                diff,
            );
        }
        Value::Array(items) if !items.is_empty() => {
            let entries = items.iter().enumerate().map(|(i, v)| (i.to_string(), v));
            children_ui(ui, entries, items.len(), 0, diff);
        }
        scalar => {
            scalar_ui(ui, scalar);
        }
    }
}

fn children_ui<'v>(
    ui: &mut Ui,
    entries: impl Iterator<Item = (String, &'v Value)>,
    len: usize,
    depth: usize,
    diff: &Diff,
) {
    for (index, (key, value)) in entries.take(MAX_CHILDREN).enumerate() {
        // Only the top level is compared with the stage before.
        let mark = if depth == 0 { diff.mark(&key) } else { None };
        ui.push_id(index, |ui| entry_ui(ui, &key, value, depth, mark));
    }
    if len > MAX_CHILDREN {
        ui.label(
            RichText::new(format!("… {} more", len - MAX_CHILDREN))
                .small()
                .weak(),
        );
    }
}

fn entry_ui(ui: &mut Ui, key: &str, value: &Value, depth: usize, mark: Option<&'static str>) {
    let highlight = ui.visuals().selection.bg_fill.gamma_multiply(0.45);
    let header = |ui: &mut Ui, summary: Option<String>| {
        let frame = match mark {
            Some(_) => egui::Frame::new().fill(highlight).corner_radius(3),
            None => egui::Frame::new(),
        };
        frame.show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(format!("{key}:"))
                        .monospace()
                        .color(key_color(ui)),
                );
                match summary {
                    Some(summary) => {
                        ui.label(RichText::new(summary).monospace().weak());
                    }
                    None => scalar_ui(ui, value),
                }
                if let Some(mark) = mark {
                    ui.label(RichText::new(mark).small().strong());
                }
            });
        });
    };
    let (len, summary) = match value {
        Value::Object(map) if !map.is_empty() => (map.len(), format!("{{{}}}", map.len())),
        Value::Array(items) if !items.is_empty() => (items.len(), format!("[{}]", items.len())),
        _ => {
            header(ui, None);
            return;
        }
    };
    let id = ui.make_persistent_id(key);
    // Small values start open; big or deep ones folded, so a stage fits on the screen.
    let open = depth < 2 && len <= 12;
    CollapsingState::load_with_default_open(ui.ctx(), id, open)
        .show_header(ui, |ui| header(ui, Some(summary)))
        .body(|ui| match value {
            Value::Object(map) => {
                children_ui(
                    ui,
                    map.iter().map(|(k, v)| (k.clone(), v)),
                    len,
                    depth + 1,
                    &Diff::default(),
                );
            }
            Value::Array(items) => {
                let entries = items.iter().enumerate().map(|(i, v)| (i.to_string(), v));
                children_ui(ui, entries, len, depth + 1, &Diff::default());
            }
            _ => {}
        });
}

fn scalar_ui(ui: &mut Ui, value: &Value) {
    let dark = ui.visuals().dark_mode;
    let rgb = |dark_rgb: [u8; 3], light_rgb: [u8; 3]| {
        let [r, g, b] = if dark { dark_rgb } else { light_rgb };
        Color32::from_rgb(r, g, b)
    };
    let (text, color) = match value {
        Value::String(_) => (
            cut(&crate::asl::path::to_json_string(value), MAX_STRING),
            rgb([0x9a, 0xd1, 0x7e], [0x1d, 0x7a, 0x2e]),
        ),
        Value::Number(n) => (n.to_string(), rgb([0x7c, 0xb7, 0xff], [0x1a, 0x5f, 0xc8])),
        Value::Bool(_) | Value::Null => (
            value.to_string(),
            rgb([0xd1, 0x9a, 0xf5], [0x8a, 0x3f, 0xb8]),
        ),
        Value::Object(_) => ("{}".into(), ui.visuals().weak_text_color()),
        Value::Array(_) => ("[]".into(), ui.visuals().weak_text_color()),
    };
    let response = ui.add(egui::Label::new(RichText::new(text).monospace().color(color)).wrap());
    if let Value::String(s) = value
        && s.chars().count() > MAX_STRING
    {
        response.on_hover_text(s.as_str());
    }
}

/// A long text's first `max` characters and "…" (callers show the whole text on hover).
pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let short: String = text.chars().take(max).collect();
    format!("{short}…")
}

fn key_color(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(0xe0, 0xc0, 0x8a)
    } else {
        Color32::from_rgb(0x8a, 0x4b, 0x08)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_diff_names_the_keys_a_stage_touched() {
        let before = json!({"a": 1, "b": 2, "c": 3});
        let after = json!({"a": 1, "b": 20, "d": 4});
        let diff = Diff::between(&before, &after);
        assert_eq!(diff.added, ["d"]);
        assert_eq!(diff.changed, ["b"]);
        assert_eq!(diff.removed, ["c"]);
        assert_eq!(diff.describe(), "added: d · changed: b · removed: c");
        assert_eq!(diff.mark("d"), Some("added"));
        assert_eq!(diff.mark("a"), None);
        assert!(Diff::between(&before, &before).is_empty());
        let replaced = Diff::between(&json!([1]), &json!({"a": 1}));
        assert!(replaced.replaced && !replaced.is_empty());
    }

    #[test]
    fn long_text_is_cut_on_a_character_boundary() {
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(cut("ééééé", 2), "éé…");
    }
}
