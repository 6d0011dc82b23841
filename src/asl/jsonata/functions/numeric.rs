//! Numeric functions: `$sum $max $min $average $number $floor $ceil $round $abs $sqrt
//! $power $formatBase`.

use super::super::error::{ErrorExt, EvalResult, err};
use super::super::evaluator::Evaluator;
use super::super::number::{js_math_round, js_number_to_string, parse_js_number, to_radix_string};
use super::super::value::{Value, error_insert};
use super::{NativeCx, arg};

fn numbers(v: &Value) -> Option<Vec<f64>> {
    match v {
        Value::Undefined => None,
        Value::Array(a) => Some(a.items.iter().filter_map(Value::as_number).collect()),
        Value::Number(n) => Some(vec![*n]),
        _ => Some(Vec::new()),
    }
}

pub(super) fn sum(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    Ok(match numbers(arg(args, 0)) {
        None => Value::Undefined,
        Some(ns) => Value::Number(ns.iter().sum()),
    })
}

pub(super) fn max(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    Ok(match numbers(arg(args, 0)) {
        Some(ns) if !ns.is_empty() => {
            Value::Number(ns.iter().copied().fold(f64::NEG_INFINITY, js_max))
        }
        _ => Value::Undefined,
    })
}

pub(super) fn min(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    Ok(match numbers(arg(args, 0)) {
        Some(ns) if !ns.is_empty() => Value::Number(ns.iter().copied().fold(f64::INFINITY, js_min)),
        _ => Value::Undefined,
    })
}

/// `Math.max` semantics: NaN is contagious.
fn js_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.max(b)
    }
}
fn js_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.min(b)
    }
}

pub(super) fn average(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    Ok(match numbers(arg(args, 0)) {
        Some(ns) if !ns.is_empty() => Value::Number(ns.iter().sum::<f64>() / ns.len() as f64),
        _ => Value::Undefined,
    })
}

fn is_decimal_literal(s: &str) -> bool {
    // ^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$
    let b = s.as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

/// `Number("0x1F")` etc. for the prefixed integer literals `$number` accepts.
fn prefixed_integer(s: &str) -> Option<f64> {
    let lower = s.get(..2).map(str::to_ascii_lowercase)?;
    let radix = match lower.as_str() {
        "0x" => 16,
        "0o" => 8,
        "0b" => 2,
        _ => return None,
    };
    let body = &s[2..];
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return Some(f64::NAN);
    }
    Some(
        body.chars()
            .filter_map(|c| c.to_digit(radix))
            .fold(0.0, |acc, d| acc * f64::from(radix) + f64::from(d)),
    )
}

/// jsonata-js's (mis-anchored) test `/^(0[xX]..)|(0[oO]..)|(0[bB]..)$/`.
fn looks_prefixed(s: &str) -> bool {
    let is = |c: char, radix: u32| c.is_digit(radix);
    let starts = |p: &[char], radix: u32| {
        let mut ch = s.chars();
        ch.next() == Some('0')
            && ch.next().is_some_and(|c| p.contains(&c))
            && ch.next().is_some_and(|c| is(c, radix))
    };
    if starts(&['x', 'X'], 16) {
        return true;
    }
    let contains = |p: &[char], radix: u32| {
        let chars: Vec<char> = s.chars().collect();
        chars
            .windows(3)
            .any(|w| w[0] == '0' && p.contains(&w[1]) && is(w[2], radix))
    };
    if contains(&['o', 'O'], 8) {
        return true;
    }
    // (0[bB][0-1]+)$
    let chars: Vec<char> = s.chars().collect();
    let mut i = chars.len();
    while i > 0 && matches!(chars[i - 1], '0' | '1') {
        i -= 1;
    }
    i < chars.len() && i >= 2 && matches!(chars[i - 1], 'b' | 'B') && chars[i - 2] == '0'
}

pub(super) fn number(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let a = arg(args, 0);
    Ok(match a {
        Value::Undefined => Value::Undefined,
        Value::Number(n) => Value::Number(*n),
        Value::Bool(b) => Value::Number(if *b { 1.0 } else { 0.0 }),
        Value::String(s) if is_decimal_literal(s) => match s.parse::<f64>() {
            Ok(n) if n.is_finite() => Value::Number(n),
            _ => return Err(err("D3030").with_value(error_insert(a)).with_index(1)),
        },
        Value::String(s) if looks_prefixed(s) => {
            Value::Number(prefixed_integer(s).unwrap_or(f64::NAN))
        }
        other => return Err(err("D3030").with_value(error_insert(other)).with_index(1)),
    })
}

fn unary(args: &[Value], f: fn(f64) -> f64) -> Value {
    match arg(args, 0) {
        Value::Number(n) => Value::Number(f(*n)),
        _ => Value::Undefined,
    }
}

pub(super) fn floor(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    Ok(unary(args, f64::floor))
}
pub(super) fn ceil(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    Ok(unary(args, f64::ceil))
}
pub(super) fn abs(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    Ok(unary(args, f64::abs))
}

pub(super) fn sqrt(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    match arg(args, 0) {
        Value::Number(n) if *n < 0.0 => Err(err("D3060")
            .with_value(error_insert(&Value::Number(*n)))
            .with_index(1)),
        Value::Number(n) => Ok(Value::Number(n.sqrt())),
        _ => Ok(Value::Undefined),
    }
}

pub(super) fn power(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let Value::Number(base) = arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let exp = arg(args, 1).as_number().unwrap_or(f64::NAN);
    let result = js_pow(*base, exp);
    if !result.is_finite() {
        let mut e = err("D3061")
            .with_value(error_insert(&Value::Number(*base)))
            .with_index(1);
        e.exp = Some(error_insert(&Value::Number(exp)));
        return Err(e);
    }
    Ok(Value::Number(result))
}

/// `Math.pow`: differs from `powf` for NaN exponents and ±1 bases.
fn js_pow(base: f64, exp: f64) -> f64 {
    if exp.is_nan() {
        return f64::NAN;
    }
    if exp == 0.0 {
        return 1.0;
    }
    if (base == 1.0 || base == -1.0) && exp.is_infinite() {
        return f64::NAN;
    }
    base.powf(exp)
}

/// jsonata's `$round`: half-to-even at `precision` decimal places, shifting the decimal
/// point textually (as jsonata-js does) to avoid binary scaling error.
pub(crate) fn round_half_even(value: f64, precision: Option<f64>) -> f64 {
    let precision = precision.filter(|p| *p != 0.0 && !p.is_nan());
    let shift = |v: f64, by: f64| -> f64 {
        let s = js_number_to_string(v);
        let (mantissa, exp) = match s.split_once('e') {
            Some((m, e)) => (m.to_string(), parse_js_number(e).unwrap_or(0.0)),
            None => (s, 0.0),
        };
        let new_exp = exp + by;
        parse_js_number(&format!("{mantissa}e{}", js_number_to_string(new_exp))).unwrap_or(f64::NAN)
    };
    let mut arg = value;
    if let Some(p) = precision {
        arg = shift(arg, p);
    }
    let mut result = js_math_round(arg);
    let diff = result - arg;
    if diff.abs() == 0.5 && (result % 2.0).abs() == 1.0 {
        result -= 1.0;
    }
    if let Some(p) = precision {
        result = shift(result, -p);
    }
    if result == 0.0 { 0.0 } else { result }
}

pub(super) fn round(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let Value::Number(n) = arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    Ok(Value::Number(round_half_even(*n, arg(args, 1).as_number())))
}

pub(super) fn format_base(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let Value::Number(n) = arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let value = round_half_even(*n, None);
    let radix = match arg(args, 1) {
        Value::Number(r) => round_half_even(*r, None),
        _ => 10.0,
    };
    if !(2.0..=36.0).contains(&radix) {
        return Err(err("D3100").with_value(error_insert(&Value::Number(radix))));
    }
    Ok(Value::string(to_radix_string(value, radix as u32)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_is_bankers_rounding_at_precision() {
        assert_eq!(round_half_even(2.5, None), 2.0);
        assert_eq!(round_half_even(3.5, None), 4.0);
        assert_eq!(round_half_even(-0.5, None), 0.0);
        assert_eq!(round_half_even(2.675, Some(2.0)), 2.68);
        assert_eq!(round_half_even(12345.0, Some(-2.0)), 12300.0);
        assert_eq!(round_half_even(0.125, Some(2.0)), 0.12);
    }

    #[test]
    fn decimal_literal_recognition() {
        assert!(is_decimal_literal("-12.5e3"));
        assert!(is_decimal_literal("007"));
        assert!(!is_decimal_literal("1."));
        assert!(!is_decimal_literal(" 1"));
        assert!(looks_prefixed("0x1F"));
        assert!(looks_prefixed("0b101"));
        assert!(!looks_prefixed("12"));
        assert_eq!(prefixed_integer("0x1F"), Some(31.0));
    }

    #[test]
    fn pow_edge_cases() {
        assert!(js_pow(1.0, f64::INFINITY).is_nan());
        assert_eq!(js_pow(f64::NAN, 0.0), 1.0);
        assert_eq!(js_pow(2.0, 10.0), 1024.0);
    }
}
