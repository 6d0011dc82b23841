//! AWS's recorded behaviour (`../shared/conformance/cases`): results and histories.

mod support;

use asl_studio::engine::testcase::{TestCase, collect};
use support::{known_list, shared_dir};

#[test]
fn recorded_executions_behave_as_on_aws() {
    let Some(shared) = shared_dir() else {
        eprintln!("../shared not found: skipped");
        return;
    };
    let known = known_list("conformance-failures.txt");
    let files = collect(&[shared.join("conformance/cases")]).unwrap();
    let mut unexpected = Vec::new();
    let (mut passed, mut histories, mut matching) = (0, 0, 0);
    for file in &files {
        let case = TestCase::load(file).unwrap_or_else(|e| panic!("{e}"));
        let outcome = case.run();
        if outcome.passed() {
            passed += 1;
        } else if !known.contains_key(&case.name) {
            unexpected.push(format!(
                "{}: {}",
                case.name,
                outcome.difference.unwrap_or_default()
            ));
        }
        if let Some(matches) = outcome.history_matches {
            histories += 1;
            if matches {
                matching += 1;
            } else if !known.contains_key(&case.name) {
                unexpected.push(format!(
                    "{} (history): {}",
                    case.name,
                    outcome.history_difference.unwrap_or_default()
                ));
            }
        }
    }
    eprintln!(
        "{passed}/{} cases pass; {matching}/{histories} histories match",
        files.len()
    );
    assert!(
        unexpected.is_empty(),
        "{} unexpected failures:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    assert!(
        files.len() > 600,
        "expected the whole conformance suite, found {} cases",
        files.len()
    );
}

/// AWS's recorded TestState calls (`../shared/conformance/test_state`): status, output, error,
/// cause, next state, inspection data and API errors.
#[test]
fn recorded_test_state_calls_answer_as_aws() {
    let Some(shared) = shared_dir() else {
        eprintln!("../shared not found: skipped");
        return;
    };
    let known = known_list("test-state-failures.txt");
    let files = collect(&[shared.join("conformance/test_state")]).unwrap();
    let mut unexpected = Vec::new();
    let mut passed = 0;
    for file in &files {
        let case = TestCase::load(file).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(case.kind, "test_state", "{}", case.name);
        let outcome = case.run();
        if outcome.passed() {
            passed += 1;
        } else if !known.contains_key(&case.name) {
            unexpected.push(format!(
                "{}: {}",
                case.name,
                outcome.difference.unwrap_or_default()
            ));
        }
    }
    eprintln!("{passed}/{} TestState cases agree with AWS", files.len());
    assert!(
        unexpected.is_empty(),
        "{} unexpected failures:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    assert!(files.len() >= 120, "found only {} cases", files.len());
    assert!(
        passed * 100 >= files.len() * 95,
        "{passed}/{} is under 95%",
        files.len()
    );
}
