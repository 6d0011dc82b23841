//! The JSON report of a run: `{"status", "output", "error", "cause", "history"}` with the events
//! in GetExecutionHistory's shapes. What `asl-studio run --format json` prints and the
//! debugger exports.

use super::execution::Execution;
use serde_json::Value;

/// The report, borrowing the output so a large one is written without a copy.
#[derive(serde::Serialize)]
struct JsonReport<'a> {
    status: &'a str,
    output: Option<&'a Value>,
    error: Option<&'a str>,
    cause: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    history: Option<Vec<Value>>,
}

/// Writes the report of `execution` (pretty JSON, no trailing newline).
pub fn write_json_report(
    execution: &Execution,
    with_history: bool,
    out: impl std::io::Write,
) -> serde_json::Result<()> {
    let failure = execution.failure();
    let report = JsonReport {
        status: execution.status().as_str(),
        output: execution.output(),
        error: failure.and_then(|f| f.error.as_deref()),
        cause: failure.and_then(|f| f.cause.as_deref()),
        history: with_history.then(|| {
            execution
                .history()
                .iter()
                .map(|e| e.to_aws_json())
                .collect()
        }),
    };
    serde_json::to_writer_pretty(out, &report)
}
