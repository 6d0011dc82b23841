//! String functions: `$string $substring $substringBefore $substringAfter $lowercase
//! $uppercase $length $trim $pad $join`.
//!
//! jsonata-js counts characters by code point (`Array.from`) for `$length`,
//! `$substring` and `$pad`, which is what Rust `chars()` gives us.

use super::super::error::EvalResult;
use super::super::evaluator::Evaluator;
use super::super::value::Value;
use super::{NativeCx, arg, string_of};

pub(super) fn string(ev: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let v = arg(args, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    let pretty = matches!(arg(args, 1), Value::Bool(true));
    Ok(Value::string(string_of(v, pretty, &mut ev.budget)?))
}

/// `Array.prototype.slice` index normalisation.
pub(crate) fn slice_bounds(len: usize, start: f64, end: Option<f64>) -> (usize, usize) {
    let norm = |x: f64| -> usize {
        let x = if x.is_nan() { 0.0 } else { x.trunc() };
        if x < 0.0 {
            (len as f64 + x).max(0.0) as usize
        } else {
            x.min(len as f64) as usize
        }
    };
    let from = norm(start);
    let to = end.map_or(len, norm);
    (from, to.max(from))
}

pub(crate) fn substring_chars(s: &str, start: f64, length: Option<f64>) -> String {
    let chars: Vec<char> = s.chars().collect();
    let len = chars.len();
    let mut start = start;
    if len as f64 + start < 0.0 {
        start = 0.0;
    }
    let (from, to) = match length {
        Some(l) => {
            if l <= 0.0 || l.is_nan() {
                return String::new();
            }
            let end = if start >= 0.0 {
                start + l
            } else {
                len as f64 + start + l
            };
            slice_bounds(len, start, Some(end))
        }
        None => slice_bounds(len, start, None),
    };
    chars[from..to].iter().collect()
}

pub(super) fn substring(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let Value::String(s) = arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let start = arg(args, 1).as_number().unwrap_or(f64::NAN);
    let length = match arg(args, 2) {
        Value::Undefined => None,
        v => Some(v.as_number().unwrap_or(f64::NAN)),
    };
    Ok(Value::string(substring_chars(s, start, length)))
}

pub(super) fn substring_before(
    _: &mut Evaluator,
    args: &[Value],
    _: &NativeCx,
) -> EvalResult<Value> {
    let Value::String(s) = arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let chars = arg(args, 1).as_str().unwrap_or("undefined");
    Ok(match s.find(chars) {
        Some(pos) => Value::string(&s[..pos]),
        None => Value::String(s.clone()),
    })
}

pub(super) fn substring_after(
    _: &mut Evaluator,
    args: &[Value],
    _: &NativeCx,
) -> EvalResult<Value> {
    let Value::String(s) = arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let chars = arg(args, 1).as_str().unwrap_or("undefined");
    Ok(match s.find(chars) {
        Some(pos) => Value::string(&s[pos + chars.len()..]),
        None => Value::String(s.clone()),
    })
}

pub(super) fn lowercase(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    Ok(match arg(args, 0) {
        Value::String(s) => Value::string(s.to_lowercase()),
        _ => Value::Undefined,
    })
}

pub(super) fn uppercase(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    Ok(match arg(args, 0) {
        Value::String(s) => Value::string(s.to_uppercase()),
        _ => Value::Undefined,
    })
}

pub(super) fn length(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    Ok(match arg(args, 0) {
        Value::String(s) => Value::Number(s.chars().count() as f64),
        _ => Value::Undefined,
    })
}

/// Collapse runs of space/tab/CR/LF to one space, then drop one leading and one trailing
/// space (jsonata's `$trim`, which differs from `str::trim`).
pub(crate) fn jsonata_trim(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_ws = false;
    for c in s.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            if !in_ws {
                out.push(' ');
            }
            in_ws = true;
        } else {
            out.push(c);
            in_ws = false;
        }
    }
    if out.starts_with(' ') {
        out.remove(0);
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

pub(super) fn trim(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    Ok(match arg(args, 0) {
        Value::String(s) => Value::string(jsonata_trim(s)),
        _ => Value::Undefined,
    })
}

pub(super) fn pad(ev: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let Value::String(s) = arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let width = arg(args, 1).as_number().unwrap_or(0.0).trunc();
    let pad_char = match arg(args, 2) {
        Value::String(c) if !c.is_empty() => c.to_string(),
        _ => " ".to_string(),
    };
    let pad_len = width.abs() - s.chars().count() as f64;
    if pad_len <= 0.0 || pad_len.is_nan() {
        return Ok(Value::String(s.clone()));
    }
    // every padding character takes at least a byte: refuse absurd widths before
    // allocating (the width is a double, 1e300 included)
    let at_least = s.len() as f64 + pad_len;
    ev.budget
        .check_string(at_least.min(usize::MAX as f64) as usize)?;
    let padding = repeat_chars(&pad_char, pad_len as usize);
    Ok(Value::string(if width > 0.0 {
        format!("{s}{padding}")
    } else {
        format!("{padding}{s}")
    }))
}

/// The first `count` characters of `unit` repeated (`str::repeat` copies in bulk, which
/// matters for megabyte paddings in debug builds).
fn repeat_chars(unit: &str, count: usize) -> String {
    let unit_chars = unit.chars().count().max(1);
    let mut out = unit.repeat(count / unit_chars);
    out.extend(unit.chars().take(count % unit_chars));
    out
}

pub(super) fn join(ev: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let Value::Array(a) = arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let sep = arg(args, 1).as_str().unwrap_or("");
    let parts: Vec<&str> = a.items.iter().filter_map(Value::as_str).collect();
    // the parts may all be the same long string: measure before joining
    let total = parts
        .iter()
        .fold(0usize, |sum, p| sum.saturating_add(p.len()))
        .saturating_add(sep.len().saturating_mul(parts.len().saturating_sub(1)));
    ev.budget.check_string(total)?;
    Ok(Value::string(parts.join(sep)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substring_follows_javascript_slice() {
        assert_eq!(substring_chars("hello world", 3.0, Some(5.0)), "lo wo");
        assert_eq!(substring_chars("hello world", -5.0, Some(2.0)), "wo");
        assert_eq!(substring_chars("hello", -10.0, None), "hello");
        assert_eq!(substring_chars("hello", 1.0, Some(0.0)), "");
        assert_eq!(substring_chars("😀ab", 1.0, None), "ab");
    }

    #[test]
    fn padding_repeats_whole_and_partial_units() {
        assert_eq!(repeat_chars("ab", 5), "ababa");
        assert_eq!(repeat_chars("é", 3), "ééé");
        assert_eq!(repeat_chars("xyz", 0), "");
    }

    #[test]
    fn trim_normalises_inner_whitespace() {
        assert_eq!(jsonata_trim("  a \t\n b  "), "a b");
        assert_eq!(jsonata_trim(""), "");
    }
}
