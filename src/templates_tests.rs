use super::*;
use crate::asl::document::{Document, Format, to_json_pretty};
use crate::asl::validate::{Options, validate_text};
use serde_json::Value;
use std::collections::HashSet;

fn parse(text: &str) -> Value {
    Document::parse(text, Format::Json)
        .unwrap_or_else(|e| panic!("{e}"))
        .value()
        .clone()
}

#[test]
fn has_the_required_templates() {
    assert!(of_category(TemplateCategory::Starter).count() >= 12);
    assert!(of_category(TemplateCategory::Pattern).count() >= 5);
    let mut ids = HashSet::new();
    for template in all() {
        assert!(ids.insert(template.id), "duplicate id {}", template.id);
        assert!(!template.title.is_empty() && !template.description.is_empty());
        assert_eq!(by_id(template.id), Some(template));
        assert_eq!(
            template.test_case.is_some(),
            template.category == TemplateCategory::Starter,
            "{}",
            template.id
        );
    }
    assert_eq!(starter().id, "order-processing");
    assert_eq!(by_id("nope"), None);
}

#[test]
fn every_template_validates_without_any_diagnostic() {
    for template in all() {
        let options = Options {
            workflow_type: Some(template.workflow_type),
        };
        let diagnostics = validate_text(template.text, Format::Json, &options);
        assert!(
            diagnostics.is_empty(),
            "{}: {:#?}",
            template.id,
            diagnostics
                .iter()
                .map(|d| format!("{}:{} {} {}", d.line, d.column, d.code.as_str(), d.message))
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn templates_are_written_like_the_console() {
    for template in all() {
        let value = parse(template.text);
        assert_eq!(
            format!("{}\n", to_json_pretty(&value, "  ")),
            template.text,
            "{} is not in two-space console style",
            template.id
        );
        assert!(
            value.get("Comment").and_then(Value::as_str).is_some(),
            "{}",
            template.id
        );
    }
}

/// Lambda ARNs use the documented example account and region.
#[test]
fn arns_use_the_example_account() {
    fn walk(value: &Value, id: &str) {
        match value {
            Value::String(s)
                if s.starts_with("arn:aws:") && !s.starts_with("arn:aws:states:::") =>
            {
                assert!(
                    s.contains(":us-east-1:123456789012:") || s.starts_with("arn:aws:s3:::"),
                    "{id}: {s}"
                );
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, id)),
            Value::Object(map) => map.values().for_each(|v| walk(v, id)),
            _ => {}
        }
    }
    for template in all() {
        walk(&parse(template.text), template.id);
    }
}

/// Every state name of a machine, at any depth, with its type.
fn states(machine: &Value, out: &mut Vec<(String, String, Value)>) {
    let Some(states) = machine.get("States").and_then(Value::as_object) else {
        return;
    };
    for (name, state) in states {
        let kind = state["Type"].as_str().unwrap_or_default().to_string();
        out.push((name.clone(), kind, state.clone()));
        for branch in state
            .get("Branches")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self::states(branch, out);
        }
        if let Some(processor) = state.get("ItemProcessor") {
            self::states(processor, out);
        }
    }
}

fn is_invocation_key(key: &str) -> bool {
    let number = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    match key.split_once('-') {
        Some((from, to)) => {
            number(from) && number(to) && from.parse::<u32>().ok() <= to.parse::<u32>().ok()
        }
        None => number(key),
    }
}

#[test]
fn starter_test_cases_are_well_formed() {
    for template in of_category(TemplateCategory::Starter) {
        let Some(text) = template.test_case else {
            panic!("{} has no test case", template.id)
        };
        let case = parse(text);
        assert_eq!(
            format!("{}\n", to_json_pretty(&case, "  ")),
            text,
            "{} test case style",
            template.id
        );
        assert!(case["name"].as_str().is_some_and(|n| !n.is_empty()));
        assert_eq!(
            case["definitionFile"],
            format!("../{}.asl.json", template.id),
            "{}",
            template.id
        );
        assert!(case["input"].is_object(), "{}", template.id);
        let status = case["expected"]["status"].as_str().unwrap_or_default();
        assert!(["SUCCEEDED", "FAILED"].contains(&status), "{}", template.id);
        if status == "SUCCEEDED" {
            assert!(
                case["expected"].get("output").is_some(),
                "{}: the expected output",
                template.id
            );
        }
        let mut names = Vec::new();
        states(&parse(template.text), &mut names);
        let mocks = case["mocks"].as_object().expect("mocks object");
        assert!(!mocks.is_empty(), "{}", template.id);
        for (state, responses) in mocks {
            let Some((_, kind, body)) = names.iter().find(|(n, _, _)| n == state) else {
                panic!("{}: mock for unknown state {state}", template.id)
            };
            // A Distributed Map's mock is what its ItemReader returns.
            let mockable = kind == "Task" || (kind == "Map" && body.get("ItemReader").is_some());
            assert!(mockable, "{}: {state} is a {kind}", template.id);
            for (key, response) in responses.as_object().expect("responses object") {
                assert!(is_invocation_key(key), "{}: {state} key {key}", template.id);
                let response = response.as_object().expect("response object");
                assert_eq!(response.len(), 1, "{}: {state}", template.id);
                if let Some(thrown) = response.get("Throw") {
                    assert!(thrown["Error"].is_string() && thrown["Cause"].is_string());
                } else {
                    assert!(response.contains_key("Return"), "{}: {state}", template.id);
                }
            }
        }
    }
}

#[test]
fn only_the_iot_template_is_express() {
    for template in all() {
        let express = template.workflow_type == WorkflowType::Express;
        assert_eq!(
            express,
            template.id == "express-iot-ingestion",
            "{}",
            template.id
        );
    }
    assert!(is_invocation_key("1-2") && is_invocation_key("0") && !is_invocation_key("2-1"));
}
