//! End-to-end tests of the public API.

use std::time::Duration;

use chrono::TimeZone;
use serde_json::json;

use super::*;

fn eval(expr: &str, input: serde_json::Value) -> Result<Option<serde_json::Value>, JsonataError> {
    Expression::parse(expr)?.evaluate(Some(&input), &Bindings::new())
}

fn eval_opts(
    expr: &str,
    options: EvalOptions<'_>,
) -> Result<Option<serde_json::Value>, JsonataError> {
    Expression::parse(expr)?.evaluate_with(None, &Bindings::new(), options)
}

fn code_of(r: Result<Option<serde_json::Value>, JsonataError>) -> Option<String> {
    r.err().map(|e| e.code)
}

#[test]
fn paths_predicates_and_aggregation() {
    let input = json!({"Account": {"Order": [
        {"Product": [{"Price": 10, "Quantity": 2}, {"Price": 5, "Quantity": 1}]},
        {"Product": [{"Price": 1.5, "Quantity": 4}]}
    ]}});
    assert_eq!(
        eval(
            "$sum(Account.Order.Product.(Price * Quantity))",
            input.clone()
        ),
        Ok(Some(json!(31)))
    );
    assert_eq!(
        eval(
            "Account.Order[0].Product[Price > 6].Quantity",
            input.clone()
        ),
        Ok(Some(json!(2)))
    );
    assert_eq!(eval("Account.Missing", input), Ok(None));
}

#[test]
fn undefined_input_and_bindings() {
    let e = Expression::parse("$states.input.name & ' ' & $suffix")
        .unwrap_or_else(|e| panic!("parse: {e}"));
    let b = Bindings::new()
        .with("states", json!({"input": {"name": "Ada"}}))
        .with("suffix", json!("L."));
    assert_eq!(e.evaluate(None, &b), Ok(Some(json!("Ada L."))));
    let from_iter: Bindings = vec![("x", json!(1))].into_iter().collect();
    assert_eq!(from_iter.get("x"), Some(&json!(1)));
}

#[test]
fn errors_render_like_jsonata_js() {
    let err = eval("$randomSeeded(1)", json!(null)).err();
    assert_eq!(
        err.map(|e| e.to_string()),
        Some("T1006: Attempted to invoke a non-function".to_string())
    );
    let parse = Expression::parse("(1 + ").err();
    assert_eq!(parse.as_ref().map(|e| e.code.as_str()), Some("S0203"));
    assert_eq!(parse.as_ref().and_then(|e| e.position), Some(5));
    let forgot = eval("sum([1])", json!({})).err();
    assert_eq!(
        forgot.map(|e| e.to_string()),
        Some("T1005: Attempted to invoke a non-function. Did you mean $sum?".to_string())
    );
}

#[test]
fn numbers_print_like_javascript() {
    // $string applies jsonata-js's toPrecision(15) replacer; raw numbers keep all digits
    assert_eq!(
        eval("$string(1/3)", json!(null)),
        Ok(Some(json!("0.333333333333333")))
    );
    assert_eq!(eval("1/3", json!(null)), Ok(Some(json!(1.0 / 3.0))));
    assert_eq!(
        eval("'' & (0.1 + 0.2)", json!(null)),
        Ok(Some(json!("0.3")))
    );
    assert_eq!(eval("3.0", json!(null)), Ok(Some(json!(3))));
    assert_eq!(eval("$string(1e21)", json!(null)), Ok(Some(json!("1e+21"))));
    assert_eq!(
        eval("$round(2.5) & $round(3.5)", json!(null)),
        Ok(Some(json!("24")))
    );
    assert_eq!(code_of(eval("1/0", json!(null))), Some("D1001".into()));
}

#[test]
fn fixed_clock_for_now_and_millis() {
    let now = Utc
        .with_ymd_and_hms(2024, 5, 6, 7, 8, 9)
        .single()
        .unwrap_or_default();
    let opts = || EvalOptions {
        now,
        ..EvalOptions::default()
    };
    assert_eq!(
        eval_opts("$now()", opts()),
        Ok(Some(json!("2024-05-06T07:08:09.000Z")))
    );
    assert_eq!(
        eval_opts("$millis() = $toMillis($now())", opts()),
        Ok(Some(json!(true)))
    );
    assert_eq!(
        eval_opts("$now('[H01]:[m01]', '+0130')", opts()),
        Ok(Some(json!("08:38")))
    );
}

#[test]
fn seeded_randomness_is_reproducible() {
    let run = |expr: &str, seed: u64| {
        eval_opts(
            expr,
            EvalOptions {
                random: RandomSource::Seed(seed),
                ..EvalOptions::default()
            },
        )
    };
    let a = run("[$random(), $uuid(), $shuffle([1,2,3,4,5,6])]", 42);
    assert!(a.is_ok());
    assert_eq!(a, run("[$random(), $uuid(), $shuffle([1,2,3,4,5,6])]", 42));
    assert_ne!(a, run("[$random(), $uuid(), $shuffle([1,2,3,4,5,6])]", 43));
    let uuid = run("$uuid()", 1).ok().flatten();
    let uuid = uuid
        .as_ref()
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string();
    assert_eq!(uuid.len(), 36);
    assert_eq!(uuid.chars().nth(14), Some('4'));
    let mut rng = <rand::rngs::StdRng as SeedableRng>::seed_from_u64(9);
    let external = eval_opts(
        "$random()",
        EvalOptions {
            random: RandomSource::Rng(&mut rng),
            ..EvalOptions::default()
        },
    );
    assert!(matches!(external, Ok(Some(v)) if v.as_f64().is_some_and(|f| (0.0..1.0).contains(&f))));
}

#[test]
fn step_functions_additions() {
    assert_eq!(
        eval("$partition([1,2,3,4,5], 2)", json!(null)),
        Ok(Some(json!([[1, 2], [3, 4], [5]])))
    );
    assert_eq!(
        eval("$range(0, 10, 5)", json!(null)),
        Ok(Some(json!([0, 5, 10])))
    );
    assert_eq!(
        eval("$range(3, 1, -1)", json!(null)),
        Ok(Some(json!([3, 2, 1])))
    );
    assert_eq!(
        eval("$hash('abc', 'SHA-1')", json!(null)),
        Ok(Some(json!("a9993e364706816aba3e25717850c26c9cd0d89d")))
    );
    assert_eq!(
        code_of(eval("$hash('abc', 'SHA-3')", json!(null))),
        Some("D3152".into())
    );
    assert_eq!(
        eval("$random(7) = $random(7)", json!(null)),
        Ok(Some(json!(true)))
    );
    assert_eq!(
        eval("$parse('{\"a\":[1,true]}').a[1]", json!(null)),
        Ok(Some(json!(true)))
    );
    assert_eq!(
        code_of(eval("$parse('{')", json!(null))),
        Some("D3154".into())
    );
    assert_eq!(
        code_of(eval("$partition([1], 0)", json!(null))),
        Some("D3150".into())
    );
}

#[test]
fn runaway_recursion_is_an_error_not_a_crash() {
    let deep = eval("($f := function($n){ 1 + $f($n + 1) }; $f(0))", json!(null));
    assert_eq!(code_of(deep), Some("U1001".into()));
    let looping = eval_opts(
        "($f := function(){ $f() }; $f())",
        EvalOptions {
            time_limit: Some(Duration::from_millis(200)),
            ..EvalOptions::default()
        },
    );
    assert_eq!(code_of(looping), Some("U1001".into()));
    let budget = eval_opts(
        "$sum([1..100000].($ * 2))",
        EvalOptions {
            max_steps: Some(1000),
            ..EvalOptions::default()
        },
    );
    assert_eq!(code_of(budget), Some("U1001".into()));
    // tail calls run in constant depth
    let tail = eval(
        "($loop := function($n, $acc){ $n = 0 ? $acc : $loop($n - 1, $acc + 1) }; $loop(20000, 0))",
        json!(null),
    );
    assert_eq!(tail, Ok(Some(json!(20000))));
}

#[test]
fn inline_evaluation_with_small_depth() {
    let r = eval_opts(
        "($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(10))",
        EvalOptions {
            stack_size: 0,
            max_depth: 200,
            ..EvalOptions::default()
        },
    );
    assert_eq!(r, Ok(Some(json!(10))));
}

#[test]
fn default_and_coalescing_operators() {
    assert_eq!(
        eval("a ?: 'fallback'", json!({"a": 0})),
        Ok(Some(json!("fallback")))
    );
    assert_eq!(eval("a ?: 'fallback'", json!({"a": 5})), Ok(Some(json!(5))));
    assert_eq!(eval("a ?? 'fallback'", json!({"a": 0})), Ok(Some(json!(0))));
    assert_eq!(
        eval("b ?? 'fallback'", json!({"a": 0})),
        Ok(Some(json!("fallback")))
    );
    assert_eq!(eval("a ? 1 : 2", json!({"a": true})), Ok(Some(json!(1))));
}

#[test]
fn step_functions_dialect_rejects_2_1_operators() {
    let code = |src: &str| {
        Expression::parse_dialect(src, Dialect::StepFunctions)
            .err()
            .map(|e| e.code)
    };
    assert_eq!(code("a ?? b"), Some("S0211".into()));
    assert_eq!(code("a ?: b"), Some("S0211".into()));
    assert_eq!(code("a ? b : c"), None);
    assert!(Expression::parse("a ?? b").is_ok());
}

#[test]
fn free_variables_exclude_locals_and_builtins() {
    let vars = extract_free_variables(
        "($total := $sum($states.input.items.price); $f := function($x){ $x * $rate }; \
         $map($states.input.items, $f) ~> $append($total) ; $later)",
    );
    let vars: Vec<String> = vars.unwrap_or_default().into_iter().collect();
    assert_eq!(vars, ["later", "rate", "states"]);
    let focus = extract_free_variables("Account.Order@$o.Product.{'id': $o.OrderID, 'x': $y}");
    let focus: Vec<String> = focus.unwrap_or_default().into_iter().collect();
    assert_eq!(focus, ["y"]);
}

#[test]
fn transform_operator_updates_a_copy() {
    let input = json!({"items": [{"id": 1, "tmp": true}, {"id": 2, "tmp": true}]});
    assert_eq!(
        eval("$ ~> |items|{'ok': true}, ['tmp']|", input),
        Ok(Some(
            json!({"items": [{"id": 1, "ok": true}, {"id": 2, "ok": true}]})
        ))
    );
}

#[test]
fn expression_is_shareable_between_threads() {
    fn assert_send_sync<T: Send + Sync + Clone + std::fmt::Debug>() {}
    assert_send_sync::<Expression>();
    let e = Expression::parse("$ * 2").unwrap_or_else(|e| panic!("parse: {e}"));
    let handle = std::thread::spawn(move || e.evaluate(Some(&json!(21)), &Bindings::new()));
    let r = handle.join().ok();
    assert_eq!(r, Some(Ok(Some(json!(42)))));
}

#[test]
fn builtin_names_include_aws_additions() {
    let names = builtin_function_names();
    for n in [
        "partition",
        "range",
        "hash",
        "random",
        "uuid",
        "parse",
        "sum",
        "now",
    ] {
        assert!(names.contains(&n), "missing ${n}");
    }
    assert!(!names.contains(&"randomSeeded"));
}
