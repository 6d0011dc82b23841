//! `$formatNumber` (XPath F&O `fn:format-number` pictures), ported from jsonata-js.

use super::super::error::{EvalResult, err};
use super::super::evaluator::Evaluator;
use super::super::number::to_fixed;
use super::super::value::Value;
use super::numeric::round_half_even;
use super::{NativeCx, arg};

struct Props {
    decimal: char,
    grouping: char,
    exponent: char,
    minus: String,
    percent: char,
    per_mille: char,
    zero: char,
    digit: char,
    pattern: char,
}

struct Parts {
    prefix: Vec<char>,
    suffix: Vec<char>,
    active: Vec<char>,
    mantissa: Vec<char>,
    exponent: Option<Vec<char>>,
    integer: Vec<char>,
    fractional: Vec<char>,
    sub: Vec<char>,
}

struct Analysed {
    integer_grouping: Vec<usize>,
    regular_grouping: usize,
    min_integer: usize,
    scaling: usize,
    prefix: Vec<char>,
    fractional_grouping: Vec<usize>,
    min_fraction: usize,
    max_fraction: usize,
    min_exponent: usize,
    suffix: Vec<char>,
    picture: Vec<char>,
}

fn index_of(hay: &[char], needle: char, from: usize) -> Option<usize> {
    hay.iter()
        .skip(from)
        .position(|&c| c == needle)
        .map(|p| p + from)
}
fn last_index_of(hay: &[char], needle: char) -> Option<usize> {
    hay.iter().rposition(|&c| c == needle)
}
fn count_in(hay: &[char], pred: impl Fn(char) -> bool) -> usize {
    hay.iter().filter(|&&c| pred(c)).count()
}

impl Props {
    fn digits(&self) -> Vec<char> {
        (0..10)
            .filter_map(|i| char::from_u32(self.zero as u32 + i))
            .collect()
    }
    fn is_digit(&self, c: char) -> bool {
        let z = self.zero as u32;
        (z..z + 10).contains(&(c as u32))
    }
    fn is_active(&self, c: char) -> bool {
        self.is_digit(c)
            || c == self.decimal
            || c == self.exponent
            || c == self.grouping
            || c == self.digit
            || c == self.pattern
    }
}

fn split_parts(p: &Props, sub: &[char]) -> Parts {
    let is_active = |c: char| p.is_active(c) && c != p.exponent;
    let prefix_len = sub.iter().position(|&c| is_active(c)).unwrap_or(sub.len());
    let suffix_start = sub
        .iter()
        .rposition(|&c| is_active(c))
        .map_or(sub.len(), |i| i + 1);
    let prefix = sub[..prefix_len].to_vec();
    let suffix = sub[suffix_start.max(prefix_len)..].to_vec();
    let active = sub[prefix_len..sub.len() - suffix.len()].to_vec();
    let exp_pos = index_of(sub, p.exponent, prefix_len);
    let (mantissa, exponent) = match exp_pos {
        // jsonata-js slices the active part with the picture-relative position
        Some(e) if e <= sub.len() - suffix.len() => (
            active[..e.min(active.len())].to_vec(),
            Some(
                active
                    .get(e + 1..)
                    .map(<[char]>::to_vec)
                    .unwrap_or_default(),
            ),
        ),
        _ => (active.clone(), None),
    };
    let (integer, fractional) = match index_of(&mantissa, p.decimal, 0) {
        None => (mantissa.clone(), suffix.clone()),
        Some(d) => (mantissa[..d].to_vec(), mantissa[d + 1..].to_vec()),
    };
    Parts {
        prefix,
        suffix,
        active,
        mantissa,
        exponent,
        integer,
        fractional,
        sub: sub.to_vec(),
    }
}

fn validate(p: &Props, parts: &Parts) -> EvalResult<()> {
    let mut error: Option<&str> = None;
    let sub = &parts.sub;
    let decimal_pos = index_of(sub, p.decimal, 0);
    if decimal_pos != last_index_of(sub, p.decimal) {
        error = Some("D3081");
    }
    if index_of(sub, p.percent, 0) != last_index_of(sub, p.percent) {
        error = Some("D3082");
    }
    if index_of(sub, p.per_mille, 0) != last_index_of(sub, p.per_mille) {
        error = Some("D3083");
    }
    if index_of(sub, p.percent, 0).is_some() && index_of(sub, p.per_mille, 0).is_some() {
        error = Some("D3084");
    }
    if !parts
        .mantissa
        .iter()
        .any(|&c| p.is_digit(c) || c == p.digit)
    {
        error = Some("D3085");
    }
    if parts.active.iter().any(|&c| !p.is_active(c)) {
        error = Some("D3086");
    }
    match decimal_pos {
        Some(d) => {
            let before = d.checked_sub(1).and_then(|i| sub.get(i));
            if before == Some(&p.grouping) || sub.get(d + 1) == Some(&p.grouping) {
                error = Some("D3087");
            }
        }
        None => {
            if parts.integer.last() == Some(&p.grouping) {
                error = Some("D3088");
            }
        }
    }
    if sub
        .windows(2)
        .any(|w| w[0] == p.grouping && w[1] == p.grouping)
    {
        error = Some("D3089");
    }
    if let Some(opt) = index_of(&parts.integer, p.digit, 0)
        && parts.integer[..opt].iter().any(|&c| p.is_digit(c))
    {
        error = Some("D3090");
    }
    if let Some(opt) = last_index_of(&parts.fractional, p.digit)
        && parts.fractional[opt..].iter().any(|&c| p.is_digit(c))
    {
        error = Some("D3091");
    }
    if let Some(exp) = &parts.exponent {
        if !exp.is_empty()
            && (index_of(sub, p.percent, 0).is_some() || index_of(sub, p.per_mille, 0).is_some())
        {
            error = Some("D3092");
        }
        if exp.is_empty() || exp.iter().any(|&c| !p.is_digit(c)) {
            error = Some("D3093");
        }
    }
    match error {
        Some(code) => Err(err(code)),
        None => Ok(()),
    }
}

fn grouping_positions(p: &Props, part: &[char], integer: &[char], to_left: bool) -> Vec<usize> {
    let mut positions = Vec::new();
    let mut pos = index_of(part, p.grouping, 0);
    while let Some(g) = pos {
        // the follow-up search runs over the integer part (a jsonata-js quirk), so the
        // index may exceed this part: clamp like String.prototype.substring
        let g = g.min(part.len());
        let slice = if to_left { &part[..g] } else { &part[g..] };
        positions.push(count_in(slice, |c| p.is_digit(c) || c == p.digit));
        // jsonata-js searches the *integer* part for subsequent separators
        pos = index_of(integer, p.grouping, g + 1);
    }
    positions
}

fn regular(indexes: &[usize]) -> usize {
    if indexes.is_empty() {
        return 0;
    }
    fn gcd(a: usize, b: usize) -> usize {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    let factor = indexes.iter().copied().reduce(gcd).unwrap_or(0);
    if factor == 0 {
        return 0;
    }
    for i in 1..=indexes.len() {
        if !indexes.contains(&(i * factor)) {
            return 0;
        }
    }
    factor
}

fn analyse(p: &Props, parts: &Parts) -> Analysed {
    let integer_grouping = grouping_positions(p, &parts.integer, &parts.integer, false);
    let regular_grouping = regular(&integer_grouping);
    let fractional_grouping = grouping_positions(p, &parts.fractional, &parts.integer, true);
    let mut min_integer = count_in(&parts.integer, |c| p.is_digit(c));
    let scaling = min_integer;
    let mut min_fraction = count_in(&parts.fractional, |c| p.is_digit(c));
    let mut max_fraction = count_in(&parts.fractional, |c| p.is_digit(c) || c == p.digit);
    let exponent_present = parts.exponent.is_some();
    if min_integer == 0 && max_fraction == 0 {
        if exponent_present {
            min_fraction = 1;
            max_fraction = 1;
        } else {
            min_integer = 1;
        }
    }
    if exponent_present && min_integer == 0 && parts.integer.contains(&p.digit) {
        min_integer = 1;
    }
    if min_integer == 0 && min_fraction == 0 {
        min_fraction = 1;
    }
    let min_exponent = parts
        .exponent
        .as_ref()
        .map_or(0, |e| count_in(e, |c| p.is_digit(c)));
    Analysed {
        integer_grouping,
        regular_grouping,
        min_integer,
        scaling,
        prefix: parts.prefix.clone(),
        fractional_grouping,
        min_fraction,
        max_fraction,
        min_exponent,
        suffix: parts.suffix.clone(),
        picture: parts.sub.clone(),
    }
}

fn option_char(opts: &Value, key: &str, default: char) -> char {
    match opts.get(key) {
        Value::String(s) => s.chars().next().unwrap_or(default),
        _ => default,
    }
}

pub(super) fn format_number(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let Value::Number(value) = arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let value = *value;
    let picture: Vec<char> = arg(args, 1).as_str().unwrap_or("").chars().collect();
    let opts = arg(args, 2);
    let p = Props {
        decimal: option_char(opts, "decimal-separator", '.'),
        grouping: option_char(opts, "grouping-separator", ','),
        exponent: option_char(opts, "exponent-separator", 'e'),
        minus: match opts.get("minus-sign") {
            Value::String(s) => s.to_string(),
            _ => "-".into(),
        },
        percent: option_char(opts, "percent", '%'),
        per_mille: option_char(opts, "per-mille", '\u{2030}'),
        zero: option_char(opts, "zero-digit", '0'),
        digit: option_char(opts, "digit", '#'),
        pattern: option_char(opts, "pattern-separator", ';'),
    };
    let subpictures: Vec<&[char]> = picture.split(|&c| c == p.pattern).collect();
    if subpictures.len() > 2 {
        return Err(err("D3080"));
    }
    let parts: Vec<Parts> = subpictures.iter().map(|s| split_parts(&p, s)).collect();
    for part in &parts {
        validate(&p, part)?;
    }
    let mut variables: Vec<Analysed> = parts.iter().map(|pt| analyse(&p, pt)).collect();
    if variables.len() == 1 {
        let first = &variables[0];
        let mut neg = Analysed {
            integer_grouping: first.integer_grouping.clone(),
            regular_grouping: first.regular_grouping,
            min_integer: first.min_integer,
            scaling: first.scaling,
            prefix: first.prefix.clone(),
            fractional_grouping: first.fractional_grouping.clone(),
            min_fraction: first.min_fraction,
            max_fraction: first.max_fraction,
            min_exponent: first.min_exponent,
            suffix: first.suffix.clone(),
            picture: first.picture.clone(),
        };
        let mut prefix: Vec<char> = p.minus.chars().collect();
        prefix.extend(neg.prefix.iter());
        neg.prefix = prefix;
        variables.push(neg);
    }
    let pic = if value >= 0.0 {
        &variables[0]
    } else {
        &variables[1]
    };
    let adjusted = if pic.picture.contains(&p.percent) {
        value * 100.0
    } else if pic.picture.contains(&p.per_mille) {
        value * 1000.0
    } else {
        value
    };
    let (mantissa, exponent) = if pic.min_exponent == 0 {
        (adjusted, None)
    } else {
        let max_m = 10f64.powi(pic.scaling as i32);
        let min_m = 10f64.powi(pic.scaling as i32 - 1);
        let mut m = adjusted;
        let mut e: i32 = 0;
        // bounded loops: a zero or non-finite mantissa would never normalise
        while m < min_m && m != 0.0 && m.is_finite() && e > -400 {
            m *= 10.0;
            e -= 1;
        }
        while m > max_m && m.is_finite() && e < 400 {
            m /= 10.0;
            e += 1;
        }
        (m, Some(e))
    };
    let rounded = round_half_even(mantissa, Some(pic.max_fraction as f64));
    let digits = p.digits();
    let make_string = |v: f64, dp: usize| -> Vec<char> {
        to_fixed(v.abs(), dp)
            .chars()
            .map(|c| {
                if c.is_ascii_digit() && p.zero != '0' {
                    digits[(c as u8 - b'0') as usize]
                } else {
                    c
                }
            })
            .collect()
    };
    let mut s = make_string(rounded, pic.max_fraction);
    match s.iter().position(|&c| c == '.') {
        None => s.push(p.decimal),
        Some(i) => s[i] = p.decimal,
    }
    while s.first() == Some(&p.zero) {
        s.remove(0);
    }
    while s.last() == Some(&p.zero) {
        s.pop();
    }
    let decimal_pos = index_of(&s, p.decimal, 0).unwrap_or(s.len());
    let pad_left = pic.min_integer as i64 - decimal_pos as i64;
    let pad_right = pic.min_fraction as i64 - (s.len() as i64 - decimal_pos as i64 - 1);
    if pad_left > 0 {
        let mut padded = vec![p.zero; pad_left as usize];
        padded.extend(s);
        s = padded;
    }
    if pad_right > 0 {
        s.extend(std::iter::repeat_n(p.zero, pad_right as usize));
    }
    let mut decimal_pos = index_of(&s, p.decimal, 0).unwrap_or(s.len());
    if let Some(group_count) = decimal_pos
        .saturating_sub(1)
        .checked_div(pic.regular_grouping)
    {
        for group in 1..=group_count {
            let at = decimal_pos.saturating_sub(group * pic.regular_grouping);
            s.insert(at, p.grouping);
        }
    } else {
        for &pos in &pic.integer_grouping {
            let at = decimal_pos.saturating_sub(pos);
            s.insert(at, p.grouping);
            decimal_pos += 1;
        }
    }
    let decimal_pos = index_of(&s, p.decimal, 0).unwrap_or(s.len());
    for &pos in &pic.fractional_grouping {
        let at = (pos + decimal_pos + 1).min(s.len());
        s.insert(at, p.grouping);
    }
    let decimal_pos = index_of(&s, p.decimal, 0);
    if !pic.picture.contains(&p.decimal) || decimal_pos == Some(s.len().saturating_sub(1)) {
        s.pop();
    }
    let mut out: String = pic.prefix.iter().collect();
    out.extend(s.iter());
    if let Some(e) = exponent {
        let mut exp_digits = make_string(f64::from(e), 0);
        let pad = pic.min_exponent as i64 - exp_digits.len() as i64;
        if pad > 0 {
            let mut padded = vec![p.zero; pad as usize];
            padded.extend(exp_digits);
            exp_digits = padded;
        }
        out.push(p.exponent);
        if e < 0 {
            out.push_str(&p.minus);
        }
        out.extend(exp_digits.iter());
    }
    out.extend(pic.suffix.iter());
    Ok(Value::string(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::jsonata::evaluator::{Evaluator, Frame, Limits};
    use crate::asl::jsonata::functions::NativeCx;

    fn fmt(v: f64, pic: &str) -> String {
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(0);
        let mut ev = Evaluator::new(
            Limits {
                max_depth: 100,
                ..Limits::default()
            },
            0.0,
            &mut rng,
        );
        let cx = NativeCx {
            input: Value::Undefined,
            env: Frame::root(),
        };
        match format_number(&mut ev, &[Value::Number(v), Value::string(pic)], &cx) {
            Ok(Value::String(s)) => s.to_string(),
            Ok(_) => "?".into(),
            Err(e) => format!("ERR {}", e.code),
        }
    }

    #[test]
    fn common_pictures() {
        assert_eq!(fmt(12345.6, "#,###.00"), "12,345.60");
        assert_eq!(fmt(0.14, "01%"), "14%");
        assert_eq!(fmt(1234.5678, "00.000e0"), "12.346e2");
        assert_eq!(fmt(-6.0, "000"), "-006");
        assert_eq!(fmt(1.0, "#.#.#"), "ERR D3081");
    }
}
