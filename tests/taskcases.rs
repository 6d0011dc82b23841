//! Task states as AWS ran them (`tests/data/taskcases`: executions recorded by LocalStack's
//! test suite, replayed with mocks): results, and histories event for event, previousEventId
//! included.

mod support;

use asl_studio::engine::testcase::{TestCase, collect};
use std::collections::BTreeSet;
use std::path::Path;
use support::known_list;

#[test]
fn recorded_task_executions_behave_as_on_aws() {
    let known = known_list("taskcase-failures.txt");
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/taskcases/cases");
    let files = collect(&[cases]).unwrap();
    let mut unexpected = Vec::new();
    let mut failing = BTreeSet::new();
    for file in &files {
        let case = TestCase::load(file).unwrap_or_else(|e| panic!("{e}"));
        let outcome = case.run();
        let difference = outcome
            .difference
            .clone()
            .or_else(|| {
                outcome
                    .history_difference
                    .clone()
                    .map(|d| format!("history: {d}"))
            })
            .or_else(|| {
                outcome
                    .linkage_difference
                    .clone()
                    .map(|d| format!("history: {d}"))
            });
        if outcome.history_matches.is_none() {
            unexpected.push(format!("{}: the case has no recorded history", case.name));
        }
        if let Some(difference) = difference {
            failing.insert(case.name.clone());
            if !known.contains_key(&case.name) {
                unexpected.push(format!("{}: {difference}", case.name));
            }
        }
    }
    for name in known.keys().filter(|name| !failing.contains(*name)) {
        unexpected.push(format!(
            "{name}: listed in tests/known/taskcase-failures.txt but passes (or is gone): remove it"
        ));
    }
    eprintln!(
        "{}/{} task cases match AWS (result, event types and previousEventId)",
        files.len() - failing.len(),
        files.len()
    );
    assert!(
        unexpected.is_empty(),
        "{} unexpected results:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    assert_eq!(files.len(), 90, "the vendored task cases are all there");
}
