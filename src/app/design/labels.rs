//! Short texts on the canvas: a node's subtitle and a Choice rule's condition.

use crate::asl::model::{ComparisonOperator, ComparisonValue, Condition};
use crate::catalog::task_service;
use serde_json::Value;

/// The line under a state's name: the service and action of a Task, the wait of a Wait…
pub fn state_subtitle(state: &Value) -> String {
    let kind = state.get("Type").and_then(Value::as_str).unwrap_or("?");
    match kind {
        "Task" => {
            let resource = state.get("Resource").and_then(Value::as_str).unwrap_or("");
            let service = task_service(resource);
            let pattern = match service.pattern {
                crate::asl::model::IntegrationPattern::RequestResponse => "",
                crate::asl::model::IntegrationPattern::Sync => " (wait)",
                crate::asl::model::IntegrationPattern::WaitForTaskToken => " (callback)",
            };
            match service.action.is_empty() {
                true => format!("{}{pattern}", service.label),
                false => format!("{}: {}{pattern}", service.label, service.action),
            }
        }
        "Wait" => wait_subtitle(state),
        "Map" => {
            let processor = state.get("ItemProcessor").or_else(|| state.get("Iterator"));
            let mode = processor
                .and_then(|p| p.pointer("/ProcessorConfig/Mode"))
                .and_then(Value::as_str);
            match mode {
                Some("DISTRIBUTED") => "Distributed Map".into(),
                _ => "Map".into(),
            }
        }
        "Fail" => state
            .get("Error")
            .and_then(Value::as_str)
            .map_or_else(|| "Fail".into(), |e| format!("Fail: {e}")),
        other => other.to_string(),
    }
}

fn wait_subtitle(state: &Value) -> String {
    if let Some(seconds) = state.get("Seconds") {
        return match seconds {
            Value::Number(n) => format!("Wait {n} s"),
            other => format!("Wait {}", plain(other)),
        };
    }
    if let Some(path) = state.get("SecondsPath").and_then(Value::as_str) {
        return format!("Wait {path} s");
    }
    if let Some(at) = state.get("Timestamp").and_then(Value::as_str) {
        return format!("Wait until {at}");
    }
    if let Some(path) = state.get("TimestampPath").and_then(Value::as_str) {
        return format!("Wait until {path}");
    }
    "Wait".into()
}

/// A Choice rule as a readable condition: `$.status == "DONE"`, `not $.x is present`.
pub fn rule_summary(rule: &Value) -> String {
    condition_text(&Condition::from_value(rule), 0)
}

fn condition_text(condition: &Condition, depth: usize) -> String {
    if depth > 3 {
        return "…".into();
    }
    let group = |items: &[Condition], word: &str| {
        let parts: Vec<String> = items.iter().map(|c| condition_text(c, depth + 1)).collect();
        let joined = parts.join(&format!(" {word} "));
        if depth > 0 {
            format!("({joined})")
        } else {
            joined
        }
    };
    match condition {
        Condition::Comparison(c) => {
            let operand = match &c.value {
                ComparisonValue::Literal(value) => value.to_string(),
                ComparisonValue::Path(path) => path.clone(),
            };
            match operator_text(c.operator) {
                OperatorText::Infix(symbol) => format!("{} {symbol} {operand}", c.variable),
                OperatorText::Test(what) => match operand.as_str() {
                    "false" => format!("{} is not {what}", c.variable),
                    _ => format!("{} is {what}", c.variable),
                },
            }
        }
        Condition::And(items) => group(items, "and"),
        Condition::Or(items) => group(items, "or"),
        Condition::Not(inner) => format!("not {}", condition_text(inner, depth + 1)),
        Condition::Jsonata(value) => plain(value),
        Condition::Invalid => "(incomplete rule)".into(),
    }
}

enum OperatorText {
    Infix(&'static str),
    Test(&'static str),
}

fn operator_text(operator: ComparisonOperator) -> OperatorText {
    use ComparisonOperator as Op;
    match operator {
        Op::StringEquals | Op::NumericEquals | Op::BooleanEquals | Op::TimestampEquals => {
            OperatorText::Infix("==")
        }
        Op::StringLessThan | Op::NumericLessThan | Op::TimestampLessThan => {
            OperatorText::Infix("<")
        }
        Op::StringGreaterThan | Op::NumericGreaterThan | Op::TimestampGreaterThan => {
            OperatorText::Infix(">")
        }
        Op::StringLessThanEquals | Op::NumericLessThanEquals | Op::TimestampLessThanEquals => {
            OperatorText::Infix("<=")
        }
        Op::StringGreaterThanEquals
        | Op::NumericGreaterThanEquals
        | Op::TimestampGreaterThanEquals => OperatorText::Infix(">="),
        Op::StringMatches => OperatorText::Infix("matches"),
        Op::IsNull => OperatorText::Test("null"),
        Op::IsPresent => OperatorText::Test("present"),
        Op::IsNumeric => OperatorText::Test("numeric"),
        Op::IsString => OperatorText::Test("a string"),
        Op::IsBoolean => OperatorText::Test("a boolean"),
        Op::IsTimestamp => OperatorText::Test("a timestamp"),
    }
}

/// A JSONata `{% … %}` string without its braces, other values as JSON.
fn plain(value: &Value) -> String {
    match value.as_str() {
        Some(text) => text
            .strip_prefix("{%")
            .and_then(|t| t.strip_suffix("%}"))
            .map_or_else(|| text.to_string(), |t| t.trim().to_string()),
        None => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rules_read_as_conditions() {
        let rule = json!({"Variable": "$.status", "StringEquals": "DONE", "Next": "X"});
        assert_eq!(rule_summary(&rule), "$.status == \"DONE\"");
        let rule = json!({"And": [
            {"Variable": "$.n", "NumericGreaterThanPath": "$.min"},
            {"Not": {"Variable": "$.x", "IsPresent": true}}
        ], "Next": "X"});
        assert_eq!(rule_summary(&rule), "$.n > $.min and not $.x is present");
        let rule = json!({"Condition": "{% $states.input.ok %}", "Next": "X"});
        assert_eq!(rule_summary(&rule), "$states.input.ok");
        assert_eq!(rule_summary(&json!({"Next": "X"})), "(incomplete rule)");
    }

    #[test]
    fn subtitles_name_the_service_and_the_wait() {
        let task = json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken"});
        assert_eq!(state_subtitle(&task), "SQS: SendMessage (callback)");
        assert_eq!(
            state_subtitle(&json!({"Type": "Wait", "Seconds": 10})),
            "Wait 10 s"
        );
        let map =
            json!({"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}}});
        assert_eq!(state_subtitle(&map), "Distributed Map");
        assert_eq!(state_subtitle(&json!({"Type": "Pass"})), "Pass");
    }
}
