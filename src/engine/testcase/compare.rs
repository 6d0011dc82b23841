//! Comparing results with recorded expectations, honouring the recording's placeholders.

use super::super::history::HistoryEvent;
use serde_json::Value;
use std::collections::BTreeMap;

/// Placeholders that stand for a whole value.
const WHOLE_VALUE: &[&str] = &[
    "date",
    "uuid",
    "timestamp",
    "datetime",
    "json-input",
    "snf_role_arn",
    "sfn_role_arn",
    "111111111111",
];
/// Placeholders that may also appear inside a string.
const INSIDE_STRINGS: &[&str] = &["snf_role_arn", "sfn_role_arn", "111111111111"];

/// Compares values: placeholders match anything, numbers by value, objects by keys.
pub struct Matcher {
    extra: Vec<String>,
}

/// The first `<Name>` placeholder (<region>, <ArnPart_0idx>, <json-input:1>...) in a text.
fn angle_token(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut start = 0;
    while let Some(offset) = text.get(start..).and_then(|t| t.find('<')) {
        let open = start + offset;
        let mut end = open + 1;
        if bytes.get(end).is_some_and(u8::is_ascii_alphabetic) {
            while bytes
                .get(end)
                .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'-'))
            {
                end += 1;
            }
            if bytes.get(end) == Some(&b'>') {
                return Some((open, end + 1));
            }
        }
        start = open + 1;
    }
    None
}

impl Matcher {
    pub fn new(extra: &[String]) -> Matcher {
        Matcher {
            extra: extra.to_vec(),
        }
    }

    fn is_placeholder(&self, text: &str) -> bool {
        WHOLE_VALUE.contains(&text)
            || self.extra.iter().any(|p| p == text)
            || angle_token(text) == Some((0, text.len()))
    }

    /// The first difference between `expected` and `actual`, as "at <path>: ...".
    pub fn difference(&self, expected: &Value, actual: &Value, at: &str) -> Option<String> {
        match (expected, actual) {
            (Value::String(text), _) if self.is_placeholder(text) => None,
            (Value::String(e), Value::String(a)) => (!self.strings_match(e, a))
                .then(|| format!("at {at}: expected \"{e}\", got \"{a}\"")),
            (Value::Number(e), Value::Number(a)) => {
                let same = match (e.as_f64(), a.as_f64()) {
                    (Some(x), Some(y)) => {
                        x == y || (x - y).abs() <= f64::EPSILON * x.abs().max(y.abs())
                    }
                    _ => e == a,
                };
                (!same).then(|| format!("at {at}: expected {e}, got {a}"))
            }
            (Value::Array(e), Value::Array(a)) => {
                if e.len() != a.len() {
                    return Some(format!(
                        "at {at}: expected {} items, got {}",
                        e.len(),
                        a.len()
                    ));
                }
                e.iter()
                    .zip(a)
                    .enumerate()
                    .find_map(|(i, (x, y))| self.difference(x, y, &format!("{at}[{i}]")))
            }
            (Value::Object(e), Value::Object(a)) => {
                if let Some(missing) = e.keys().find(|k| !a.contains_key(*k)) {
                    return Some(format!("at {at}: missing key \"{missing}\""));
                }
                if let Some(extra) = a.keys().find(|k| !e.contains_key(*k)) {
                    return Some(format!("at {at}: unexpected key \"{extra}\""));
                }
                e.iter().find_map(|(k, x)| {
                    a.get(k)
                        .and_then(|y| self.difference(x, y, &format!("{at}.{k}")))
                })
            }
            (e, a) if e == a => None,
            (e, a) => Some(format!("at {at}: expected {}, got {}", short(e), short(a))),
        }
    }

    /// Literal parts must match; placeholders inside the text match any characters.
    fn strings_match(&self, expected: &str, actual: &str) -> bool {
        if expected == actual {
            return true;
        }
        let mut literals = Vec::new();
        let mut rest = expected;
        while let Some((start, end)) = self.next_placeholder(rest) {
            literals.push(&rest[..start]);
            rest = &rest[end..];
        }
        if literals.is_empty() {
            return false;
        }
        literals.push(rest);
        wildcard_match(&literals, actual)
    }

    fn next_placeholder(&self, text: &str) -> Option<(usize, usize)> {
        let mut best = angle_token(text);
        for token in INSIDE_STRINGS
            .iter()
            .copied()
            .chain(self.extra.iter().map(String::as_str))
        {
            if token.is_empty() {
                continue;
            }
            if let Some(start) = text.find(token)
                && best.is_none_or(|(b, _)| start < b)
            {
                best = Some((start, start + token.len()));
            }
        }
        best
    }
}

/// `literals` joined by "anything" must equal `text` (first literal a prefix, last a suffix).
fn wildcard_match(literals: &[&str], text: &str) -> bool {
    let (Some(first), Some(last)) = (literals.first(), literals.last()) else {
        return false;
    };
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut position = first.len();
    let end = text.len() - last.len();
    for middle in &literals[1..literals.len() - 1] {
        match text.get(position..end).and_then(|t| t.find(middle)) {
            Some(found) => position += found + middle.len(),
            None => return false,
        }
    }
    position <= end
}

fn short(value: &Value) -> String {
    let text = crate::asl::path::to_json_string(value);
    if text.chars().count() > 120 {
        format!("{}…", text.chars().take(120).collect::<String>())
    } else {
        text
    }
}

/// Compares event types position by position, aligning on recorded ids. Events recorded with
/// the id `[0]` (branch events whose order AWS does not fix) form an unordered group, and
/// ids the recording skipped are skipped in ours.
pub fn history_difference(expected: &[Value], actual: &[HistoryEvent]) -> Option<String> {
    let actual_types: BTreeMap<u64, String> =
        actual.iter().map(|e| (e.id, e.kind.type_name())).collect();
    let mut next_id = 1u64;
    let mut index = 0;
    while index < expected.len() {
        let event = &expected[index];
        match event.get("id").and_then(Value::as_u64) {
            Some(id) => {
                next_id = id + 1;
                let want = event
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                match actual_types.get(&id) {
                    Some(got) if got == want => {}
                    Some(got) => return Some(format!("event {id}: expected {want}, got {got}")),
                    None => return Some(format!("event {id}: expected {want}, got no event")),
                }
                index += 1;
            }
            None => {
                // An unordered group: compare as multisets over the ids it covers.
                let mut group: Vec<&str> = Vec::new();
                while let Some(e) = expected
                    .get(index)
                    .filter(|e| e.get("id").and_then(Value::as_u64).is_none())
                {
                    group.push(e.get("type").and_then(Value::as_str).unwrap_or_default());
                    index += 1;
                }
                let mut got: Vec<&str> = (next_id..next_id + group.len() as u64)
                    .filter_map(|id| actual_types.get(&id).map(String::as_str))
                    .collect();
                group.sort_unstable();
                got.sort_unstable();
                if group != got {
                    return Some(format!(
                        "events {next_id}..{}: expected {group:?}, got {got:?}",
                        next_id + group.len() as u64 - 1
                    ));
                }
                next_id += group.len() as u64;
            }
        }
    }
    let last_expected = expected
        .iter()
        .rev()
        .find_map(|e| e.get("id").and_then(Value::as_u64))
        .unwrap_or(0)
        .max(next_id - 1);
    match actual.last() {
        Some(last) if last.id > last_expected => Some(format!(
            "{} more events than recorded (first: {})",
            last.id - last_expected,
            actual_types
                .get(&(last_expected + 1))
                .cloned()
                .unwrap_or_default()
        )),
        _ => None,
    }
}

/// Compares previousEventId of every event the recording numbered.
pub fn linkage_difference(expected: &[Value], actual: &[HistoryEvent]) -> Option<String> {
    let previous: BTreeMap<u64, u64> = actual.iter().map(|e| (e.id, e.previous_event_id)).collect();
    expected.iter().find_map(|event| {
        let id = event.get("id").and_then(Value::as_u64)?;
        let want = event.get("previousEventId").and_then(Value::as_u64)?;
        let got = previous.get(&id).copied();
        (got != Some(want))
            .then(|| format!("event {id}: expected previousEventId {want}, got {got:?}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn placeholders_match_values_and_parts_of_strings() {
        let m = Matcher::new(&["<ArnPart_0idx>".to_string()]);
        assert!(
            m.difference(
                &json!({"t": "date", "n": 3}),
                &json!({"t": "2024-01-01", "n": 3.0}),
                "$"
            )
            .is_none()
        );
        assert!(
            m.difference(
                &json!("arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>"),
                &json!("arn:aws:states:us-east-1:123456789012:execution:M:run-1"),
                "$"
            )
            .is_none()
        );
        assert!(
            m.difference(&json!("update"), &json!("upXXX"), "$")
                .is_some()
        );
        assert_eq!(
            m.difference(&json!({"a": [1, 2]}), &json!({"a": [1, 3]}), "$")
                .as_deref(),
            Some("at $.a[1]: expected 2, got 3")
        );
        assert!(
            m.difference(&json!({"a": 1}), &json!({"a": 1, "b": 2}), "$")
                .is_some()
        );
    }
}
