//! `asl-studio test PATH... [--known-failures FILE]`: run test-case files and compare.

use super::{EXIT_FAILED, EXIT_USAGE};
use crate::engine::testcase::{self, TestCase};
use clap::Args;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Test-case files or folders (searched recursively for *.json).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Cases allowed to fail, one per line: `case name | reason`.
    #[arg(long)]
    pub known_failures: Option<PathBuf>,
    /// Also fail a case whose recorded history differs in its event types.
    #[arg(long)]
    pub strict_history: bool,
}

pub fn run(args: &TestArgs) -> ExitCode {
    let known = match &args.known_failures {
        Some(path) => match read_known(path) {
            Ok(known) => known,
            Err(error) => {
                eprintln!("asl-studio: {error}");
                return ExitCode::from(EXIT_USAGE);
            }
        },
        None => BTreeMap::new(),
    };
    let files = match testcase::collect(&args.paths) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("asl-studio: {error}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let (mut passed, mut failed, mut unexpected) = (0usize, 0usize, 0usize);
    let mut by_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut histories, mut histories_matching, mut linkage_matching) = (0usize, 0usize, 0usize);
    let mut seen = BTreeSet::new();
    for file in &files {
        let case = match TestCase::load(file) {
            Ok(case) => case,
            Err(error) => {
                println!("ERROR {error}");
                failed += 1;
                unexpected += 1;
                continue;
            }
        };
        let outcome = case.run();
        seen.insert(case.name.clone());
        let entry = by_kind.entry(case.kind.clone()).or_default();
        entry.1 += 1;
        if let Some(matches) = outcome.history_matches {
            histories += 1;
            histories_matching += usize::from(matches);
            linkage_matching += usize::from(matches && outcome.linkage_matches == Some(true));
        }
        let history_failure = args.strict_history && outcome.history_matches == Some(false);
        let difference = outcome.difference.clone().or_else(|| {
            history_failure.then(|| {
                format!(
                    "history: {}",
                    outcome.history_difference.clone().unwrap_or_default()
                )
            })
        });
        match difference {
            None => {
                passed += 1;
                entry.0 += 1;
            }
            Some(difference) => {
                failed += 1;
                let label = if known.contains_key(&case.name) {
                    "known"
                } else {
                    unexpected += 1;
                    "FAIL"
                };
                println!("{label} {}: {difference}", case.name);
            }
        }
    }
    for name in known.keys().filter(|k| !seen.contains(*k)) {
        eprintln!("note: known failure \"{name}\" was not among the cases run");
    }
    let kinds: Vec<String> = by_kind
        .iter()
        .map(|(k, (p, t))| format!("{k} {p}/{t}"))
        .collect();
    if !kinds.is_empty() {
        println!("by kind: {}", kinds.join(", "));
    }
    if histories > 0 {
        println!(
            "histories: {histories_matching}/{histories} match event type for event type ({linkage_matching} also in every previousEventId)"
        );
    }
    println!("{passed} passed, {failed} failed");
    if unexpected > 0 {
        ExitCode::from(EXIT_FAILED)
    } else {
        ExitCode::SUCCESS
    }
}

/// `name | reason` lines; `#` comments; every entry needs a reason.
fn read_known(path: &std::path::Path) -> Result<BTreeMap<String, String>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut known = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, reason) = line.rsplit_once(" | ").ok_or_else(|| {
            format!(
                "{}:{}: expected `case name | reason`",
                path.display(),
                number + 1
            )
        })?;
        if reason.trim().is_empty() {
            return Err(format!(
                "{}:{}: the reason is empty",
                path.display(),
                number + 1
            ));
        }
        known.insert(name.trim().to_string(), reason.trim().to_string());
    }
    Ok(known)
}
