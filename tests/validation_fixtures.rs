//! The linters' fixtures (`../shared/validation`) and AWS's own verdicts (`conformance/cases/validation`).

mod support;

use asl_studio::asl::document::Format;
use asl_studio::asl::validate::{Options, WorkflowType, validate_text};
use support::{file_name, files, known_list, shared_dir};

fn error_count(path: &std::path::Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    validate_text(&text, Format::from_path(path), &Options::default())
        .iter()
        .filter(|d| d.is_error())
        .count()
}

#[test]
fn linter_fixtures_get_the_expected_verdict() {
    let Some(shared) = shared_dir() else {
        eprintln!("../shared not found: skipped");
        return;
    };
    let known = known_list("validation-misses.txt");
    let mut unexpected = Vec::new();
    let mut stale = Vec::new();
    let mut totals = [(0, 0), (0, 0)];
    for (index, (folder, should_fail)) in [("valid", false), ("invalid", true)]
        .into_iter()
        .enumerate()
    {
        for path in files(&shared.join("validation").join(folder), |n| {
            n.ends_with(".json") || n.ends_with(".yaml")
        }) {
            let name = format!("{folder}/{}", file_name(&path));
            let errors = error_count(&path);
            let as_expected = (errors > 0) == should_fail;
            totals[index].1 += 1;
            if as_expected {
                totals[index].0 += 1;
                if known.contains_key(&name) {
                    stale.push(name);
                }
            } else if !known.contains_key(&name) {
                unexpected.push(format!("{name}: {errors} errors"));
            }
        }
    }
    eprintln!(
        "valid: {}/{} without errors; invalid: {}/{} with errors",
        totals[0].0, totals[0].1, totals[1].0, totals[1].1
    );
    assert!(
        unexpected.is_empty(),
        "verdicts differ and are not listed in tests/known/validation-misses.txt:\n{}",
        unexpected.join("\n")
    );
    assert!(
        stale.is_empty(),
        "listed as misses but now correct (remove them):\n{}",
        stale.join("\n")
    );
}

#[test]
fn aws_validation_cases_get_the_same_verdict() {
    let Some(shared) = shared_dir() else {
        eprintln!("../shared not found: skipped");
        return;
    };
    let dir = shared.join("conformance/cases/validation/api");
    let mut mismatches = Vec::new();
    for path in files(&dir, |n| n.ends_with(".json")) {
        let case: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let definition = case["definition"].as_str().unwrap_or_default();
        let name = file_name(&path);
        let workflow_type = name
            .contains("type_express")
            .then_some(WorkflowType::Express);
        let diagnostics = validate_text(definition, Format::Json, &Options { workflow_type });
        let ok = !diagnostics.iter().any(|d| d.is_error());
        let expected_ok = case["expected"]["result"] == "OK";
        if ok != expected_ok {
            mismatches.push(format!(
                "{name}: expected {}, got {diagnostics:?}",
                case["expected"]["result"]
            ));
        }
        for expected in case["expected"]["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
        {
            if let Some(location) = expected["location"]
                .as_str()
                .filter(|l| l.starts_with('/') && l.len() > 1)
                && !diagnostics.iter().any(|d| d.pointer.starts_with(location))
            {
                mismatches.push(format!(
                    "{name}: no diagnostic at {location}: {diagnostics:?}"
                ));
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
