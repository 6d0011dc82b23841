//! The evaluation budget: runaway expressions end in a `U1001` error naming the limit,
//! quickly and with the default options; heavy but legitimate ones still succeed.
//!
//! Each runaway case here took seconds, minutes or all memory before the budget existed.
//! None asserts on time (that would be flaky); all finish in a fraction of a second in a
//! debug build because the defaults stop them early.

use serde_json::json;

use super::*;

type Outcome = Result<Option<serde_json::Value>, JsonataError>;

fn eval(expr: &str) -> Outcome {
    eval_with(expr, EvalOptions::default())
}

fn eval_with(expr: &str, options: EvalOptions<'_>) -> Outcome {
    Expression::parse(expr)?.evaluate_with(None, &Bindings::new(), options)
}

/// The limit an evaluation ran into, after checking the error is the `U1001` that says so.
fn limit_of(outcome: Outcome) -> Option<LimitExceeded> {
    let error = outcome.err()?;
    assert_eq!(error.code, "U1001", "{error}");
    assert_eq!(
        error.message,
        error.limit.map(|l| l.message()).unwrap_or_default()
    );
    error.limit
}

const STEPS: Option<LimitExceeded> = Some(LimitExceeded::Steps(DEFAULT_MAX_STEPS));
const ITEMS: Option<LimitExceeded> = Some(LimitExceeded::Items(DEFAULT_MAX_ITEMS));
const STRING: Option<LimitExceeded> = Some(LimitExceeded::StringLength(DEFAULT_MAX_STRING_LENGTH));

#[test]
fn endless_tail_recursion_runs_out_of_steps() {
    // tail calls run in constant depth and memory: only the step count stops this one
    let outcome = eval("( $f := function($n){ $f($n+1) }; $f(0) )");
    assert_eq!(limit_of(outcome), STEPS);
}

#[test]
fn exponential_recursion_runs_out_of_steps() {
    let fib = "( $fib := function($n){ $n < 2 ? $n : $fib($n-1) + $fib($n-2) }; $fib(40) )";
    assert_eq!(limit_of(eval(fib)), STEPS);
}

#[test]
fn quadratic_builtins_pay_for_what_they_build() {
    // a million items cost a million steps before $distinct even starts
    assert_eq!(limit_of(eval("$distinct([1..1000000])")), STEPS);
    // each $append copies the accumulator: the copies add up quadratically
    let append = "$reduce([1..1000000], function($a,$v){ $append($a,$v) }, [])";
    assert_eq!(limit_of(eval(append)), STEPS);
    let append_small = "$reduce([1..20000], function($a,$v){ $append($a,$v) }, [])";
    assert_eq!(limit_of(eval(append_small)), STEPS);
    // so does concatenating onto a growing string, a kilobyte a step
    let concat = "$reduce([1..100000], function($a, $v){ $a & 'x' })";
    assert_eq!(limit_of(eval(concat)), STEPS);
}

#[test]
fn large_arrays_are_refused_before_they_are_built() {
    // ~900 MB before the budget; now refused when the range is asked for
    let map = "$map([1..10000000], function($v){ $v })";
    assert_eq!(limit_of(eval(map)), ITEMS);
    // beyond jsonata-js's own 1e7 limit the jsonata-js error stays (AWS reports it too)
    let huge = eval("$count([1..100000000])").err().map(|e| e.code);
    assert_eq!(huge, Some("D2014".to_string()));
    // a path step that returns the same large array for every item
    let repeated = "( $big := [1..100000]; $count([1..1000].$big) )";
    assert_eq!(limit_of(eval(repeated)), ITEMS);
    let split = "$count($split($pad('', 2000000, 'a'), ''))";
    assert_eq!(limit_of(eval(split)), ITEMS);
}

#[test]
fn deep_recursion_is_an_error_even_on_a_small_stack() {
    // the default test-thread stack is 2 MB: deep recursion must not overflow it
    let run = |options: fn() -> EvalOptions<'static>| {
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let deep = "( $f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000) )";
                limit_of(eval_with(deep, options()))
            })
            .ok()
            .and_then(|handle| handle.join().ok())
    };
    // by default recursive expressions run on a thread with a stack of their own
    assert_eq!(
        run(EvalOptions::default),
        Some(Some(LimitExceeded::Depth(DEFAULT_MAX_DEPTH)))
    );
    // on the caller's own stack (`stack_size: 0`) the caller picks a depth it can hold
    let inline = || EvalOptions {
        stack_size: 0,
        max_depth: 60,
        ..EvalOptions::default()
    };
    assert_eq!(run(inline), Some(Some(LimitExceeded::Depth(60))));
}

#[test]
fn recursion_within_the_depth_limit_still_works() {
    let sum = "( $f := function($n){ $n = 0 ? 0 : $n + $f($n - 1) }; $f(2000) )";
    assert_eq!(eval(sum), Ok(Some(json!(2001000))));
}

#[test]
fn long_strings_are_refused_before_they_are_built() {
    assert_eq!(limit_of(eval("$pad('', 1000000000)")), STRING);
    assert_eq!(limit_of(eval("$pad('', -1e300, 'x')")), STRING);
    let doubling = "( $f := function($s){ $f($s & $s) }; $f('ab') )";
    assert_eq!(limit_of(eval(doubling)), STRING);
    let joined = "( $f := function($s){ $f($join([$s, $s])) }; $f('ab') )";
    assert_eq!(limit_of(eval(joined)), STRING);
    let replaced = "$replace($pad('', 1000000, 'a'), 'a', $pad('', 100, 'b'))";
    assert_eq!(limit_of(eval(replaced)), STRING);
    // a padding within the limit is built in bulk and is fine
    let padded = eval("$length($pad('', 5000000, 'ab'))");
    assert_eq!(padded, Ok(Some(json!(5000000))));
}

#[test]
fn regex_functions_on_long_input() {
    // match offsets used to be recounted from the start of the text for every match
    let many = "$count($match($pad('', 20000, 'a'), /a/))";
    assert_eq!(eval(many), Ok(Some(json!(20000))));
    let parts = "$count($split($pad('', 20000, 'ab'), /b/))";
    assert_eq!(eval(parts), Ok(Some(json!(10001))));
    let replaced = "$length($replace($pad('', 20000, 'é'), /é/, 'e'))";
    assert_eq!(eval(replaced), Ok(Some(json!(20000))));
    // matches are paid for like the values they hold
    let endless = eval_with(
        "$count($match($pad('', 5000000, 'a'), /a/))",
        EvalOptions {
            max_steps: Some(50_000),
            ..EvalOptions::default()
        },
    );
    assert_eq!(limit_of(endless), Some(LimitExceeded::Steps(50_000)));
    // catastrophic backtracking is not possible in the linear engine patterns use
    let backtracking = "$contains($pad('', 100000, 'a') & 'c', /(a|a)*b/)";
    assert_eq!(eval(backtracking), Ok(Some(json!(false))));
}

#[test]
fn shared_structures_cannot_expand_without_bound() {
    // each level refers to the one below twice: 60 steps build 2^60 leaves
    let tree = "( $f := function($x, $n){ $n = 0 ? $x : $f({'a': $x, 'b': $x}, $n - 1) }; ";
    assert_eq!(limit_of(eval(&format!("{tree}$f(1, 60) )"))), ITEMS);
    assert_eq!(limit_of(eval(&format!("{tree}$f(1, 60).** )"))), STEPS);
    let compared = eval(&format!("{tree}$f(1, 60) = $f(1, 60) )"));
    assert_eq!(limit_of(compared), STEPS);
    let smaller_budget = || EvalOptions {
        max_steps: Some(100_000),
        ..EvalOptions::default()
    };
    let text = eval_with(&format!("{tree}$string($f(1, 60)) )"), smaller_budget());
    assert_eq!(limit_of(text), Some(LimitExceeded::Steps(100_000)));
    let copy = eval_with(&format!("{tree}$clone($f(1, 60)) )"), smaller_budget());
    assert_eq!(limit_of(copy), Some(LimitExceeded::Steps(100_000)));
}

#[test]
fn heavy_but_legitimate_expressions_succeed_with_the_defaults() {
    assert_eq!(eval("$sum([1..100000])"), Ok(Some(json!(5000050000u64))));
    let doubled = "$count($map([1..100000], function($v){ $v * 2 }))";
    assert_eq!(eval(doubled), Ok(Some(json!(100000))));
}

#[test]
fn ordinary_work_is_not_mistaken_for_a_runaway() {
    let tail = "( $loop := function($n, $acc){ $n = 0 ? $acc : $loop($n - 1, $acc + 1) }; \
                $loop(20000, 0) )";
    assert_eq!(eval(tail), Ok(Some(json!(20000))));
    let objects = "$count([1..10000].{'id': $, 'name': 'item ' & $, 'tags': ['a', 'b']})";
    assert_eq!(eval(objects), Ok(Some(json!(10000))));
    let distinct = "$count($distinct($map([1..20000], function($v){ $v % 1000 })))";
    assert_eq!(eval(distinct), Ok(Some(json!(1000))));
    let text = "$length($join($map([1..20000], function($v){ $string($v) }), ','))";
    assert_eq!(eval(text), Ok(Some(json!(108893))));
}

#[test]
fn limits_are_configurable() {
    let loop_expr = "( $f := function($n){ $f($n+1) }; $f(0) )";
    let few_steps = EvalOptions {
        max_steps: Some(1000),
        ..EvalOptions::default()
    };
    assert_eq!(
        limit_of(eval_with(loop_expr, few_steps)),
        Some(LimitExceeded::Steps(1000))
    );
    let no_time = EvalOptions {
        max_steps: None,
        time_limit: Some(Duration::ZERO),
        ..EvalOptions::default()
    };
    assert_eq!(
        limit_of(eval_with(loop_expr, no_time)),
        Some(LimitExceeded::Time(Duration::ZERO))
    );
    let big = EvalOptions {
        max_items: 2_000_000,
        max_steps: Some(5_000_000),
        ..EvalOptions::default()
    };
    assert_eq!(
        eval_with("$count([1..2000000])", big),
        Ok(Some(json!(2000000)))
    );
    let short = EvalOptions {
        max_string_length: 5,
        ..EvalOptions::default()
    };
    assert_eq!(
        limit_of(eval_with("'abc' & 'def'", short)),
        Some(LimitExceeded::StringLength(5))
    );
}

#[test]
fn the_error_says_which_limit_was_exceeded() {
    let error = eval("( $f := function($n){ $f($n+1) }; $f(0) )").err();
    assert_eq!(
        error.map(|e| e.to_string()),
        Some(
            "U1001: The JSONata expression exceeded the evaluation limit of 1000000 steps \
             (an endless recursion or loop?)"
                .to_string()
        )
    );
    let messages = [
        (
            LimitExceeded::Depth(10),
            "exceeded the maximum recursion depth of 10",
        ),
        (LimitExceeded::Items(7), "would produce more than 7 items"),
        (
            LimitExceeded::StringLength(9),
            "would produce a string longer than 9 bytes",
        ),
        (
            LimitExceeded::Time(Duration::from_millis(1500)),
            "exceeded the evaluation time limit of 1500 ms",
        ),
    ];
    for (limit, text) in messages {
        assert!(limit.message().contains(text), "{}", limit.message());
    }
}

#[test]
fn a_spent_budget_is_not_hidden_inside_eval() {
    let inner = eval("$eval('( $f := function($n){ $f($n+1) }; $f(0) )')");
    assert_eq!(limit_of(inner), STEPS);
}
