//! The starter templates: every one runs its test case (mocked tasks) to the expected result.

use asl_studio::engine::testcase::{TestCase, collect};
use std::path::Path;

#[test]
fn every_template_test_case_passes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/tests");
    let files = collect(&[dir]).unwrap();
    assert!(files.len() >= 12, "a test case per starter template");
    let failures: Vec<String> = files
        .iter()
        .map(|f| TestCase::load(f).unwrap_or_else(|e| panic!("{e}")).run())
        .filter(|outcome| !outcome.passed())
        .map(|outcome| {
            format!(
                "{}: {}",
                outcome.name,
                outcome.difference.unwrap_or_default()
            )
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
