//! Matcher-based string functions: `$match $contains $replace $split`, plus the regex
//! matcher protocol (`{match, start, end, groups, next}` objects, offsets in UTF-16 units).

use std::rc::Rc;
use std::sync::Arc;

use super::super::error::{ErrorExt, EvalResult, err};
use super::super::evaluator::Evaluator;
use super::super::number::js_number_to_string;
use super::super::regex_js::{JsRegex, Utf16Cursor, utf16_len};
use super::super::value::{Value, error_insert};
use super::{Function, NativeCx, arg, object_from, to_byte, to_utf16};

/// JavaScript `String(v)` for the odd non-string inputs a matcher may receive.
fn js_to_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Undefined => "undefined".into(),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => js_number_to_string(*n),
        other => super::super::json_out::stringify(other, false),
    }
}

/// Result object of a regex match starting at byte offset `from` (UTF-16 index
/// `from_utf16`), or undefined.
fn match_at(
    regex: &Arc<JsRegex>,
    text: &Rc<str>,
    from: usize,
    from_utf16: usize,
    position: usize,
) -> Value {
    let Some(m) = regex.exec(text, from) else {
        return Value::Undefined;
    };
    // count on from the search start: a scan through many matches stays linear
    let start16 = match text.get(from..m.start) {
        Some(skipped) => from_utf16 + utf16_len(skipped),
        None => to_utf16(text, m.start),
    };
    let end16 = start16 + utf16_len(text.get(m.start..m.end).unwrap_or(""));
    let groups = m
        .groups
        .iter()
        .map(|g| match g {
            Some((s, e)) => Value::string(&text[*s..*e]),
            None => Value::Undefined,
        })
        .collect();
    object_from(vec![
        ("match", Value::string(&text[m.start..m.end])),
        ("start", Value::Number(start16 as f64)),
        ("end", Value::Number(end16 as f64)),
        ("groups", Value::array(groups)),
        (
            "next",
            Value::Function(Rc::new(Function::RegexNext {
                regex: regex.clone(),
                text: text.clone(),
                from: m.end,
                from_utf16: end16,
                position,
            })),
        ),
    ])
}

/// Calling a regex literal: `(str, fromIndex?)` → first match at or after fromIndex.
pub(crate) fn regex_match_value(
    regex: &Arc<JsRegex>,
    position: usize,
    text: &Value,
    from_index: Option<&Value>,
) -> EvalResult<Value> {
    let text: Rc<str> = match text {
        Value::String(s) => s.clone(),
        other => Rc::from(js_to_string(other)),
    };
    let from = match from_index {
        Some(Value::Number(n)) if *n > 0.0 => to_byte(&text, *n as usize),
        _ => 0,
    };
    let from_utf16 = to_utf16(&text, from);
    Ok(match_at(regex, &text, from, from_utf16, position))
}

/// The `next()` of a regex match; a further empty match would never progress (D1004).
pub(crate) fn regex_next(
    regex: &Arc<JsRegex>,
    text: &Rc<str>,
    from: usize,
    from_utf16: usize,
    position: usize,
) -> EvalResult<Value> {
    if from >= text.len() {
        return Ok(Value::Undefined);
    }
    let next = match_at(regex, text, from, from_utf16, position);
    if let Value::Object(o) = &next
        && matches!(o.get("match"), Some(Value::String(s)) if s.is_empty())
    {
        return Err(err("D1004")
            .at(position)
            .with_value(super::q(&regex.source)));
    }
    Ok(next)
}

/// jsonata-js `evaluateMatcher`: call the matcher and check the result's shape.
fn evaluate_matcher(
    ev: &mut Evaluator,
    matcher: &Value,
    text: Value,
    cx: &NativeCx,
) -> EvalResult<Value> {
    let result = ev.call(matcher, vec![text], &cx.env)?;
    if super::super::evaluator::js_truthy(&result) {
        let ok = matches!(result.get("start"), Value::Number(_))
            || result.get("groups").is_array()
            || result.get("next").is_function();
        if !ok {
            return Err(err("T1010"));
        }
    }
    Ok(result)
}

fn limit_of(v: &Value) -> Option<f64> {
    v.as_number()
}

pub(super) fn match_fn(ev: &mut Evaluator, args: &[Value], cx: &NativeCx) -> EvalResult<Value> {
    let Value::String(s) = arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let limit = limit_of(arg(args, 2));
    if let Some(l) = limit
        && l < 0.0
    {
        return Err(err("D3040")
            .with_value(error_insert(&Value::Number(l)))
            .with_index(3));
    }
    let mut out = Vec::new();
    if limit.is_none_or(|l| l > 0.0) {
        let mut count = 0.0;
        let mut matches = evaluate_matcher(ev, arg(args, 1), Value::String(s.clone()), cx)?;
        while !matches.is_undefined() && limit.is_none_or(|l| count < l) {
            ev.budget.check_items(out.len() + 1)?;
            out.push(object_from(vec![
                ("match", matches.get("match")),
                ("index", matches.get("start")),
                ("groups", matches.get("groups")),
            ]));
            matches = evaluate_matcher(ev, &matches.get("next"), Value::Undefined, cx)?;
            count += 1.0;
        }
    }
    Ok(Value::sequence(out))
}

pub(super) fn contains(ev: &mut Evaluator, args: &[Value], cx: &NativeCx) -> EvalResult<Value> {
    let Value::String(s) = arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    Ok(Value::Bool(match arg(args, 1) {
        Value::String(token) => s.contains(&**token),
        matcher => !evaluate_matcher(ev, matcher, Value::String(s.clone()), cx)?.is_undefined(),
    }))
}

/// JavaScript `parseInt(s, 10)` on a prefix of digits (with optional sign).
fn parse_int_prefix(s: &str) -> Option<i64> {
    let t = s.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let (sign, digits) = match t.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, t.strip_prefix('+').unwrap_or(t)),
    };
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse::<i64>().ok().map(|n| sign * n)
}

/// Expand `$0`, `$1`... in a replacement string (jsonata's rules, not JavaScript's).
fn substitute(replacement: &str, matched: &str, groups: &[Value]) -> String {
    let mut out = String::new();
    let mut position = 0;
    while let Some(rel) = replacement.get(position..).and_then(|r| r.find('$')) {
        let index = position + rel;
        out.push_str(replacement.get(position..index).unwrap_or(""));
        position = index + 1;
        let dollar_val = replacement.get(position..).and_then(|r| r.chars().next());
        if dollar_val == Some('$') {
            out.push('$');
            position += 1;
        } else if dollar_val == Some('0') {
            out.push_str(matched);
            position += 1;
        } else {
            let max_digits = if groups.is_empty() {
                1
            } else {
                (groups.len() as f64).log10().floor() as usize + 1
            };
            let take = |n: usize| -> &str {
                let rest = replacement.get(position..).unwrap_or("");
                let end = rest.char_indices().nth(n).map_or(rest.len(), |(b, _)| b);
                rest.get(..end).unwrap_or("")
            };
            let mut idx = parse_int_prefix(take(max_digits));
            if max_digits > 1
                && let Some(i) = idx
                && i > groups.len() as i64
            {
                idx = parse_int_prefix(take(max_digits - 1));
            }
            match idx {
                Some(i) => {
                    if !groups.is_empty()
                        && i >= 1
                        && let Some(Value::String(g)) = groups.get((i - 1) as usize)
                    {
                        out.push_str(g);
                    }
                    position += i.to_string().len();
                }
                None => out.push('$'),
            }
        }
        if position > replacement.len() {
            position = replacement.len();
        }
    }
    out.push_str(replacement.get(position..).unwrap_or(""));
    out
}

/// `str.substring(a, b)` with UTF-16 indices, `len16` being the text's UTF-16 length.
/// The cursor makes a left-to-right series of calls linear in the text's length.
fn substring16<'a>(cursor: &mut Utf16Cursor<'a>, len16: usize, a: f64, b: Option<f64>) -> &'a str {
    let len = len16 as f64;
    let clamp = |x: f64| if x.is_nan() { 0.0 } else { x.clamp(0.0, len) };
    let mut from = clamp(a);
    let mut to = b.map_or(len, clamp);
    if from > to {
        std::mem::swap(&mut from, &mut to);
    }
    let fb = cursor.byte_at(from as usize);
    let tb = cursor.byte_at(to as usize);
    cursor.text().get(fb..tb.max(fb)).unwrap_or("")
}

pub(super) fn replace(ev: &mut Evaluator, args: &[Value], cx: &NativeCx) -> EvalResult<Value> {
    let Value::String(s) = arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let pattern = arg(args, 1);
    let replacement = arg(args, 2);
    if matches!(pattern, Value::String(p) if p.is_empty()) {
        return Err(err("D3010").with_value("\"\"").with_index(2));
    }
    let limit = limit_of(arg(args, 3));
    if let Some(l) = limit
        && l < 0.0
    {
        return Err(err("D3011")
            .with_value(error_insert(&Value::Number(l)))
            .with_index(4));
    }
    if limit.is_some_and(|l| l <= 0.0) {
        return Ok(Value::String(s.clone()));
    }
    let mut count = 0.0;
    if let Value::String(p) = pattern {
        let rep = match replacement {
            Value::String(r) => r.to_string(),
            other => super::super::json_out::stringify(other, false),
        };
        let mut out = String::new();
        let mut position = 0;
        while let Some(rel) = s[position..].find(&**p) {
            if limit.is_some_and(|l| count >= l) {
                break;
            }
            let index = position + rel;
            // a long replacement for every match multiplies the text: measure as it grows
            ev.budget
                .check_string(out.len() + (index - position) + rep.len())?;
            out.push_str(&s[position..index]);
            out.push_str(&rep);
            position = index + p.len();
            count += 1.0;
        }
        out.push_str(&s[position..]);
        return Ok(Value::string(out));
    }
    let mut matches = evaluate_matcher(ev, pattern, Value::String(s.clone()), cx)?;
    if matches.is_undefined() {
        return Ok(Value::String(s.clone()));
    }
    let mut out = String::new();
    let mut position = 0.0;
    let mut cursor = Utf16Cursor::new(s);
    let len16 = utf16_len(s);
    while !matches.is_undefined() && limit.is_none_or(|l| count < l) {
        let start = matches.get("start").as_number().unwrap_or(f64::NAN);
        out.push_str(substring16(&mut cursor, len16, position, Some(start)));
        let matched = match matches.get("match") {
            Value::String(m) => m.to_string(),
            _ => String::new(),
        };
        let replaced = match replacement {
            Value::String(r) => {
                let groups = matches.get("groups").items_or_self();
                Value::string(substitute(r, &matched, &groups))
            }
            f => ev.call(f, vec![matches.clone()], &cx.env)?,
        };
        match replaced {
            Value::String(r) => {
                ev.budget.check_string(out.len() + r.len())?;
                out.push_str(&r);
            }
            other => return Err(err("D3012").with_value(error_insert(&other))),
        }
        position = start + matched.encode_utf16().count() as f64;
        count += 1.0;
        matches = evaluate_matcher(ev, &matches.get("next"), Value::Undefined, cx)?;
    }
    out.push_str(substring16(&mut cursor, len16, position, None));
    Ok(Value::string(out))
}

pub(super) fn split(ev: &mut Evaluator, args: &[Value], cx: &NativeCx) -> EvalResult<Value> {
    let Value::String(s) = arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let limit = limit_of(arg(args, 2));
    if let Some(l) = limit
        && l < 0.0
    {
        return Err(err("D3020")
            .with_value(error_insert(&Value::Number(l)))
            .with_index(3));
    }
    let mut out: Vec<Value> = Vec::new();
    if limit.is_some_and(|l| l <= 0.0) {
        return Ok(Value::array(out));
    }
    match arg(args, 1) {
        Value::String(sep) => {
            // String.prototype.split with a ToUint32 limit; one part past the item limit
            // is enough to know it is exceeded
            let max = limit.map_or(usize::MAX, |l| l as u32 as usize);
            let take = max.min(ev.budget.limits.max_items.saturating_add(1));
            if sep.is_empty() {
                out = s
                    .chars()
                    .take(take)
                    .map(|c| Value::string(c.to_string()))
                    .collect();
            } else {
                out = s.split(&**sep).take(take).map(Value::string).collect();
            }
            ev.budget.check_items(out.len())?;
        }
        matcher => {
            let mut count = 0.0;
            let mut matches = evaluate_matcher(ev, matcher, Value::String(s.clone()), cx)?;
            if matches.is_undefined() {
                out.push(Value::String(s.clone()));
            } else {
                let mut start = 0.0;
                let mut cursor = Utf16Cursor::new(s);
                let len16 = utf16_len(s);
                while !matches.is_undefined() && limit.is_none_or(|l| count < l) {
                    ev.budget.check_items(out.len() + 1)?;
                    let m_start = matches.get("start").as_number().unwrap_or(f64::NAN);
                    let part = substring16(&mut cursor, len16, start, Some(m_start));
                    out.push(Value::string(part));
                    start = matches.get("end").as_number().unwrap_or(f64::NAN);
                    matches = evaluate_matcher(ev, &matches.get("next"), Value::Undefined, cx)?;
                    count += 1.0;
                }
                if limit.is_none_or(|l| count < l) {
                    out.push(Value::string(substring16(&mut cursor, len16, start, None)));
                }
            }
        }
    }
    Ok(Value::array(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollar_substitution_rules() {
        let groups = vec![Value::string("a"), Value::string("b")];
        assert_eq!(substitute("$2-$1", "ab", &groups), "b-a");
        assert_eq!(substitute("$$ $0", "ab", &groups), "$ ab");
        assert_eq!(substitute("$x", "ab", &groups), "$x");
        assert_eq!(substitute("$10", "ab", &[Value::string("q")]), "q0");
        assert_eq!(substitute("$3", "ab", &groups), "");
    }

    #[test]
    fn utf16_substring() {
        let sub = |s: &str, a: f64, b: Option<f64>| {
            substring16(&mut Utf16Cursor::new(s), utf16_len(s), a, b).to_string()
        };
        assert_eq!(sub("😀abc", 2.0, Some(4.0)), "ab");
        assert_eq!(sub("abc", 2.0, Some(1.0)), "b");
        assert_eq!(sub("abc", f64::NAN, None), "abc");
        assert_eq!(sub("a😀b", 1.0, Some(99.0)), "😀b");
    }
}
