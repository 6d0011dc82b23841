//! One-line texts of events and payloads for the run panel's tables. Payloads can be large
//! (256 KB at AWS's limit, more locally), so the compact JSON stops writing at a bound instead
//! of serialising the whole value for one short line.

use crate::engine::{EventKind, HistoryEvent};
use serde_json::Value;

/// The longest detail a table row shows.
pub(in crate::app::run) const DETAIL_CHARS: usize = 160;

/// Compact JSON of a value, cut after about `limit` bytes (with "…").
pub(in crate::app::run) fn compact(value: &Value, limit: usize) -> String {
    let mut writer = Bounded {
        bytes: Vec::new(),
        limit,
    };
    let whole = serde_json::to_writer(&mut writer, value).is_ok();
    let mut text = match String::from_utf8(writer.bytes) {
        Ok(text) => text,
        // Cut inside a character: keep what is whole.
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let mut bytes = error.into_bytes();
            bytes.truncate(valid);
            String::from_utf8(bytes).unwrap_or_default()
        }
    };
    if !whole {
        text.push('…');
    }
    text
}

/// A writer that refuses more than `limit` bytes (serde_json then stops).
struct Bounded {
    bytes: Vec<u8>,
    limit: usize,
}

impl std::io::Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let room = self.limit.saturating_sub(self.bytes.len());
        if room < buf.len() {
            self.bytes.extend_from_slice(&buf[..room]);
            return Err(std::io::Error::other("long enough"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A text cut after `limit` characters (with "…").
pub(in crate::app::run) fn shorten(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// "Error: cause" of a failure, on one line.
pub(in crate::app::run) fn failure_text(error: Option<&str>, cause: Option<&str>) -> String {
    let error = error.unwrap_or("(no error)");
    match cause {
        Some(cause) if !cause.is_empty() => {
            let cause = cause.replace(['\n', '\r'], " ");
            shorten(&format!("{error}: {cause}"), DETAIL_CHARS)
        }
        _ => error.to_string(),
    }
}

/// The short details of an event: its error, or its payload on one line.
pub(in crate::app::run) fn details(event: &HistoryEvent) -> String {
    if let Some((error, cause)) = event.kind.failure() {
        return failure_text(error, cause);
    }
    let payload = |label: &str, value: &Value| format!("{label}: {}", compact(value, DETAIL_CHARS));
    match &event.kind {
        EventKind::ExecutionStarted { input, .. } | EventKind::StateEntered { input, .. } => {
            payload("input", input)
        }
        EventKind::ExecutionSucceeded { output }
        | EventKind::TaskSucceeded { output, .. }
        | EventKind::TaskSubmitted { output, .. } => payload("output", output),
        EventKind::StateExited {
            output, assigned, ..
        } => {
            let mut text = payload("output", output);
            if let Some(assigned) = assigned.as_ref().filter(|a| !a.is_empty()) {
                let names: Vec<&str> = assigned.keys().map(String::as_str).collect();
                text = format!("assigned {} · {text}", names.join(", "));
            }
            text
        }
        EventKind::TaskScheduled(scheduled) => format!(
            "{} · {}",
            scheduled.task.resource,
            compact(&scheduled.parameters, DETAIL_CHARS)
        ),
        EventKind::TaskStarted { task, worker_name } => match worker_name {
            Some(worker) => format!("{} · worker {worker}", task.resource),
            None => task.resource.clone(),
        },
        EventKind::MapStateStarted { length } => format!("{length} items"),
        EventKind::MapIterationStarted { index, .. }
        | EventKind::MapIterationSucceeded { index, .. }
        | EventKind::MapIterationFailed { index, .. }
        | EventKind::MapIterationAborted { index, .. } => format!("iteration {index}"),
        EventKind::MapRunStarted { map_run_arn } => map_run_arn.clone(),
        _ => String::new(),
    }
}

/// "+1.250 s": the time since the execution started.
pub(in crate::app::run) fn since_start(event: &HistoryEvent, first: &HistoryEvent) -> String {
    let millis = (event.timestamp - first.timestamp).num_milliseconds();
    format!("+{:.3} s", millis as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn compact_json_stops_at_its_bound() {
        assert_eq!(compact(&json!({"a": [1, 2]}), 100), r#"{"a":[1,2]}"#);
        let long = json!({"items": vec!["é"; 10_000]});
        let text = compact(&long, 40);
        assert!(text.ends_with('…'));
        assert!(text.len() <= 44);
    }

    #[test]
    fn shorten_counts_characters() {
        assert_eq!(shorten("ééé", 2), "éé…");
        assert_eq!(shorten("ab", 2), "ab");
    }
}
