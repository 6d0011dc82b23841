//! Runs the official JSONata test suite (jsonata-js `test/test-suite`, as shipped with
//! jsonata-rs) against this implementation and reports pass counts per group.
//!
//! * `JSONATA_TESTSUITE` — suite directory (default `tests/data/jsonata-suite`);
//!   the test is skipped when it does not exist.
//! * `JSONATA_FILTER` — only run cases whose `group/file` contains this text.
//! * `JSONATA_VERBOSE=1` — print every failing case with expected and actual outcome.
//!
//! Both `groups/` (cases jsonata-rs passes) and `skip/` (cases it fails) are run.  The test
//! fails only if the overall case pass rate drops below `MIN_PASS_RATE`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use asl_studio::asl::jsonata::{Bindings, EvalOptions, Expression, JsonataError, RandomSource};
use serde_json::Value;

/// Measured: 1598/1602 cases (99.75%); fail if we fall below 99%.
const MIN_PASS_RATE: f64 = 0.99;

const DEFAULT_SUITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jsonata-suite");

/// Hard cap per case so a runaway case cannot hang the suite.
const CASE_WATCHDOG: Duration = Duration::from_secs(60);

#[derive(Debug)]
struct Case {
    label: String,
    group: String,
    file_count_key: String,
    spec: Value,
    expr: Option<String>,
}

fn load_cases(root: &Path) -> Vec<Case> {
    let mut out = Vec::new();
    for top in ["groups", "skip"] {
        let dir = root.join(top);
        let Ok(groups) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut groups: Vec<PathBuf> = groups.filter_map(|e| e.ok().map(|e| e.path())).collect();
        groups.sort();
        for group_dir in groups.into_iter().filter(|p| p.is_dir()) {
            let group_name = group_dir
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let Ok(files) = std::fs::read_dir(&group_dir) else {
                continue;
            };
            let mut files: Vec<PathBuf> = files.filter_map(|e| e.ok().map(|e| e.path())).collect();
            files.sort();
            for file in files
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
            {
                let fname = file
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default();
                let text = std::fs::read_to_string(&file).unwrap_or_default();
                let Ok(json) = serde_json::from_str::<Value>(&text) else {
                    // e.g. lone UTF-16 surrogates, which no Rust string can hold
                    out.push(Case {
                        label: format!("{top}/{group_name}/{fname}"),
                        group: format!("{top}/{group_name}"),
                        file_count_key: format!("{top}/{group_name}/{fname}"),
                        spec: Value::Null,
                        expr: None,
                    });
                    continue;
                };
                let specs = match json {
                    Value::Array(items) => items,
                    other => vec![other],
                };
                let multi = specs.len() > 1;
                for (i, spec) in specs.into_iter().enumerate() {
                    let expr = match spec.get("expr-file").and_then(Value::as_str) {
                        Some(f) => std::fs::read_to_string(group_dir.join(f)).ok(),
                        None => spec.get("expr").and_then(Value::as_str).map(String::from),
                    };
                    let label = if multi {
                        format!("{top}/{group_name}/{fname}[{i}]")
                    } else {
                        format!("{top}/{group_name}/{fname}")
                    };
                    out.push(Case {
                        label,
                        group: format!("{top}/{group_name}"),
                        file_count_key: format!("{top}/{group_name}/{fname}"),
                        spec,
                        expr,
                    });
                }
            }
        }
    }
    out
}

fn load_dataset(root: &Path, name: &str) -> Option<Value> {
    let text = std::fs::read_to_string(root.join("datasets").join(format!("{name}.json"))).ok()?;
    serde_json::from_str(&text).ok()
}

/// chai `deep.equal` on JSON: object key order is irrelevant, numbers compare by value.
fn json_equal(a: &Value, b: &Value, unordered: bool) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return false;
            }
            if unordered {
                let mut used = vec![false; y.len()];
                x.iter().all(|item| {
                    (0..y.len()).any(|j| {
                        if !used[j] && json_equal(item, &y[j], false) {
                            used[j] = true;
                            true
                        } else {
                            false
                        }
                    })
                })
            } else {
                x.iter().zip(y).all(|(p, q)| json_equal(p, q, false))
            }
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w, false)))
        }
        _ => a == b,
    }
}

type Outcome = Result<Option<Value>, JsonataError>;

fn run_case(root: &Path, case: &Case) -> Result<(), String> {
    let spec = &case.spec;
    let Some(expr_src) = case.expr.clone() else {
        return Err("case file is not representable JSON for Rust (lone surrogate)".into());
    };
    let input: Option<Value> = if let Some(d) = spec.get("data") {
        Some(d.clone())
    } else {
        match spec.get("dataset") {
            None | Some(Value::Null) => None,
            Some(Value::String(name)) => match load_dataset(root, name) {
                Some(v) => Some(v),
                None => return Err(format!("missing dataset {name}")),
            },
            Some(other) => return Err(format!("bad dataset {other}")),
        }
    };
    let bindings: Bindings = spec
        .get("bindings")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let timelimit = spec.get("timelimit").and_then(Value::as_u64);
    let depth = spec.get("depth").and_then(Value::as_u64);
    let expected_code = spec
        .get("code")
        .and_then(Value::as_str)
        .or_else(|| spec.pointer("/error/code").and_then(Value::as_str))
        .map(String::from);

    let (tx, rx) = mpsc::channel::<(Result<Expression, JsonataError>, Option<Outcome>)>();
    let thread_input = input.clone();
    let spawn = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let parsed = Expression::parse(&expr_src);
            let outcome = parsed.as_ref().ok().map(|e| {
                // The suite measures the language against jsonata-js, which has no step or
                // size budget: its stress cases run with jsonata-js's own bounds (ranges up to
                // 1e7). Step Functions runs get the product's budget (EvalOptions::default).
                let mut opts = EvalOptions {
                    random: RandomSource::Seed(7),
                    max_steps: None,
                    max_items: 10_000_000,
                    ..EvalOptions::default()
                };
                if let (Some(t), Some(d)) = (timelimit, depth) {
                    opts.time_limit = Some(Duration::from_millis(t));
                    opts.max_depth = d as usize;
                } else {
                    opts.time_limit = Some(Duration::from_secs(30));
                    opts.max_depth = 20_000;
                }
                e.evaluate_with(thread_input.as_ref(), &bindings, opts)
            });
            let _ = tx.send((parsed, outcome));
        });
    if spawn.is_err() {
        return Err("could not spawn thread".into());
    }
    let (parsed, outcome) = match rx.recv_timeout(CASE_WATCHDOG) {
        Ok(r) => r,
        Err(_) => return Err("watchdog timeout".into()),
    };
    let outcome: Outcome = match parsed {
        Err(e) => {
            // compile-time error: code (and token, when given) must match
            return match &expected_code {
                Some(code) if *code == e.code => match spec.get("token").and_then(Value::as_str) {
                    Some(tok) if e.token.as_deref() != Some(tok) => {
                        Err(format!("token mismatch: expected {tok}, got {:?}", e.token))
                    }
                    _ => Ok(()),
                },
                _ => Err(format!("parse error {e} (expected {spec})")),
            };
        }
        Ok(_) => outcome.unwrap_or(Ok(None)),
    };
    if let Some(code) = expected_code {
        return match outcome {
            Err(e) if e.code == code => {
                if let Some(msg) = spec.pointer("/error/message").and_then(Value::as_str)
                    && msg != e.message
                {
                    return Err(format!(
                        "message mismatch: expected {msg:?}, got {:?}",
                        e.message
                    ));
                }
                Ok(())
            }
            Err(e) => Err(format!("expected code {code}, got error {e}")),
            Ok(v) => Err(format!("expected code {code}, got result {v:?}")),
        };
    }
    let actual = outcome.map_err(|e| format!("unexpected error {e}"))?;
    if spec.get("undefinedResult").is_some() {
        return match actual {
            None => Ok(()),
            Some(v) => Err(format!("expected undefined, got {v}")),
        };
    }
    if let Some(pattern) = spec.get("result_re").and_then(Value::as_str) {
        let re = regex::Regex::new(pattern).map_err(|e| e.to_string())?;
        return match actual {
            Some(Value::String(s)) if re.is_match(&s) => Ok(()),
            other => Err(format!("expected match of /{pattern}/, got {other:?}")),
        };
    }
    if let Some(expected) = spec.get("result") {
        let unordered = spec
            .get("unordered")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        return match actual {
            Some(v) if json_equal(&v, expected, unordered) => Ok(()),
            other => Err(format!(
                "expected {expected}, got {}",
                other.map_or("undefined".to_string(), |v| v.to_string())
            )),
        };
    }
    Err("nothing to check".into())
}

#[test]
fn official_test_suite() {
    let root = PathBuf::from(
        std::env::var("JSONATA_TESTSUITE").unwrap_or_else(|_| DEFAULT_SUITE.to_string()),
    );
    if !root.is_dir() {
        eprintln!(
            "JSONata test suite not found at {}; skipping",
            root.display()
        );
        return;
    }
    let filter = std::env::var("JSONATA_FILTER").ok();
    let verbose = std::env::var("JSONATA_VERBOSE").is_ok();
    let cases: Vec<Case> = load_cases(&root)
        .into_iter()
        .filter(|c| filter.as_deref().is_none_or(|f| c.label.contains(f)))
        .collect();
    let mut per_group: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut per_file: BTreeMap<String, bool> = BTreeMap::new();
    let mut failures = Vec::new();
    for case in &cases {
        let result = run_case(&root, case);
        let entry = per_group.entry(case.group.clone()).or_default();
        entry.1 += 1;
        let file_ok = per_file.entry(case.file_count_key.clone()).or_insert(true);
        match result {
            Ok(()) => entry.0 += 1,
            Err(why) => {
                *file_ok = false;
                failures.push(format!("{}: {}", case.label, why));
            }
        }
    }
    println!("{:<45} {:>6} {:>6}", "group", "pass", "total");
    for (group, (pass, total)) in &per_group {
        println!("{group:<45} {pass:>6} {total:>6}");
    }
    let passed: usize = per_group.values().map(|(p, _)| p).sum();
    let total: usize = per_group.values().map(|(_, t)| t).sum();
    let files_passed = per_file.values().filter(|ok| **ok).count();
    println!(
        "cases: {passed}/{total} ({:.1}%), files: {files_passed}/{} ({:.1}%)",
        100.0 * passed as f64 / total.max(1) as f64,
        per_file.len(),
        100.0 * files_passed as f64 / per_file.len().max(1) as f64,
    );
    if verbose {
        for f in &failures {
            println!("FAIL {f}");
        }
    } else {
        for f in failures.iter().take(40) {
            let short: String = f.chars().take(300).collect();
            println!("FAIL {short}");
        }
    }
    let rate = passed as f64 / total.max(1) as f64;
    assert!(
        rate >= MIN_PASS_RATE,
        "pass rate {rate:.3} below threshold {MIN_PASS_RATE}"
    );
}
