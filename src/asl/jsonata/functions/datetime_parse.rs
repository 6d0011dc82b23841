//! `$toMillis`: ISO 8601 timestamps and XPath picture-driven parsing (jsonata-js
//! `parseDateTime`).

use regex::Regex;

use super::super::error::{ErrorExt, EvalResult, err};
use super::super::evaluator::Evaluator;
use super::super::value::{Value, error_insert};
use super::calendar::{Fragment, MILLIS_IN_DAY, date_utc, fields, fragment};
use super::datetime::{DAYS, MONTHS, PicturePart, analyse_datetime_picture, parse_int_js};
use super::integer_format::{integer_regex, parse_integer_with};
use super::{NativeCx, arg, q};

/// How the text matched for one picture part turns into a component value.
enum PartParser {
    None,
    Integer(super::integer_format::IntegerFormat),
    Offset { gmt: bool, separator: Option<char> },
    Names(Vec<(String, f64)>),
}

struct MatchPart {
    regex: String,
    component: char,
    parser: PartParser,
}

fn build_parts(picture: &str) -> EvalResult<Vec<MatchPart>> {
    let spec = analyse_datetime_picture(picture)?;
    let mut parts = Vec::new();
    for part in spec {
        match part {
            PicturePart::Literal(l) => parts.push(MatchPart {
                regex: regex::escape(&l),
                component: '\0',
                parser: PartParser::None,
            }),
            PicturePart::Marker(m) if m.component == 'Z' || m.component == 'z' => {
                let separator = m
                    .integer_format
                    .as_ref()
                    .filter(|f| f.regular)
                    .and_then(|f| f.separators.first().map(|s| s.character));
                let mut regex = String::new();
                let gmt = m.component == 'z';
                if gmt {
                    regex.push_str("GMT");
                }
                regex.push_str("[-+][0-9]+");
                if let Some(sep) = separator {
                    regex.push_str(&regex::escape(&sep.to_string()));
                    regex.push_str("[0-9]+");
                }
                parts.push(MatchPart {
                    regex,
                    component: m.component,
                    parser: PartParser::Offset { gmt, separator },
                });
            }
            PicturePart::Marker(m) => match m.integer_format.clone() {
                Some(mut fmt) => {
                    fmt.width = Some(m.n);
                    parts.push(MatchPart {
                        regex: integer_regex(&fmt)?,
                        component: m.component,
                        parser: PartParser::Integer(fmt),
                    });
                }
                None => {
                    let truncate = |name: &str| -> String {
                        match m.width_max {
                            Some(max) if max > 0.0 => name.chars().take(max as usize).collect(),
                            _ => name.to_string(),
                        }
                    };
                    let lookup: Vec<(String, f64)> = match m.component {
                        'M' | 'x' => MONTHS
                            .iter()
                            .enumerate()
                            .map(|(i, n)| (truncate(n), (i + 1) as f64))
                            .collect(),
                        'F' => DAYS
                            .iter()
                            .enumerate()
                            .skip(1)
                            .map(|(i, n)| (truncate(n), i as f64))
                            .collect(),
                        'P' => vec![
                            ("am".into(), 0.0),
                            ("AM".into(), 0.0),
                            ("pm".into(), 1.0),
                            ("PM".into(), 1.0),
                        ],
                        other => return Err(err("D3133").with_value(q(&other.to_string()))),
                    };
                    parts.push(MatchPart {
                        regex: "[a-zA-Z]+".into(),
                        component: m.component,
                        parser: PartParser::Names(lookup),
                    });
                }
            },
        }
    }
    Ok(parts)
}

fn parse_offset(value: &str, gmt: bool, separator: Option<char>) -> f64 {
    let value = if gmt {
        value.get(3..).unwrap_or("")
    } else {
        value
    };
    let (hours, minutes) = match separator.and_then(|sep| value.find(sep).map(|i| (i, sep))) {
        Some((i, sep)) => (
            parse_int_js(&value[..i]),
            parse_int_js(&value[i + sep.len_utf8()..]),
        ),
        None if separator.is_some() => (parse_int_js(value), f64::NAN),
        None => {
            let digits = value.chars().count().saturating_sub(1);
            if digits <= 2 {
                (parse_int_js(value), 0.0)
            } else {
                let head: String = value.chars().take(3).collect();
                let tail: String = value.chars().skip(3).collect();
                (parse_int_js(&head), parse_int_js(&tail))
            }
        }
    };
    hours * 60.0 + minutes
}

/// jsonata-js `parseDateTime`; `None` means the timestamp does not match the picture.
fn parse_datetime(timestamp: &str, picture: &str, now_millis: f64) -> EvalResult<Option<f64>> {
    let parts = build_parts(picture)?;
    let full = format!(
        "(?i)^{}$",
        parts
            .iter()
            .map(|p| format!("({})", p.regex))
            .collect::<String>()
    );
    let Ok(re) = Regex::new(&full) else {
        return Ok(None);
    };
    let Some(caps) = re.captures(timestamp) else {
        return Ok(None);
    };
    let mut comps: std::collections::HashMap<char, f64> = std::collections::HashMap::new();
    for (i, part) in parts.iter().enumerate() {
        let text = caps.get(i + 1).map_or("", |m| m.as_str());
        let value = match &part.parser {
            PartParser::None => continue,
            PartParser::Integer(fmt) => parse_integer_with(text, fmt)?,
            PartParser::Offset { gmt, separator } => parse_offset(text, *gmt, *separator),
            PartParser::Names(lookup) => match lookup.iter().find(|(n, _)| n == text) {
                Some((_, v)) => *v,
                None => continue,
            },
        };
        comps.insert(part.component, value);
    }
    if comps.is_empty() {
        return Ok(None);
    }
    let truthy = |c: char| comps.get(&c).is_some_and(|v| *v != 0.0 && !v.is_nan());
    let mask_of = |letters: &str| {
        letters
            .chars()
            .fold(0u32, |m, c| (m << 1) | u32::from(truthy(c)))
    };
    let is_type = |ty: u32, mask: u32| (!ty & mask) == 0 && (ty & mask) != 0;
    let date_mask = mask_of("YXMxWwdD");
    let date_a = is_type(161, date_mask);
    let date_b = !date_a && is_type(130, date_mask);
    let date_c = is_type(84, date_mask);
    let date_d = !date_c && is_type(72, date_mask);
    let time_mask = mask_of("PHhmsf");
    let time_a = is_type(23, time_mask);
    let time_b = !time_a && is_type(47, time_mask);
    let date_comps = if date_b {
        "YD"
    } else if date_c {
        "XxwF"
    } else if date_d {
        "XWF"
    } else {
        "YMD"
    };
    let time_comps = if time_b { "Phmsf" } else { "Hmsf" };
    let now = fields(now_millis);
    let mut start_specified = false;
    let mut end_specified = false;
    for part in date_comps.chars().chain(time_comps.chars()) {
        match comps.entry(part) {
            std::collections::hash_map::Entry::Occupied(_) => {
                start_specified = true;
                if end_specified {
                    return Err(err("D3136"));
                }
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                if start_specified {
                    slot.insert(if "MDd".contains(part) { 1.0 } else { 0.0 });
                    end_specified = true;
                } else {
                    let v = match now.as_ref().map(|f| fragment(f, part)) {
                        Some(Fragment::Number(n)) => n,
                        _ => f64::NAN,
                    };
                    slot.insert(v);
                }
            }
        }
    }
    let get = |c: char| comps.get(&c).copied().unwrap_or(f64::NAN);
    let mut month = get('M');
    month = if month > 0.0 { month - 1.0 } else { 0.0 };
    let mut day = get('D');
    if date_b {
        let first_jan = date_utc(get('Y'), 0.0, 1.0, 0.0, 0.0, 0.0, 0.0);
        let derived = first_jan + (get('d') - 1.0) * MILLIS_IN_DAY;
        if let Some(f) = fields(derived) {
            month = f.month0 as f64;
            day = f.day as f64;
        }
    }
    if date_c || date_d {
        return Err(err("D3136"));
    }
    let mut hour = get('H');
    if time_b {
        let h = get('h');
        hour = if h == 12.0 { 0.0 } else { h };
        if get('P') == 1.0 {
            hour += 12.0;
        }
    }
    let mut millis = date_utc(get('Y'), month, day, hour, get('m'), get('s'), get('f'));
    let offset = comps
        .get(&'Z')
        .copied()
        .filter(|v| *v != 0.0 && !v.is_nan())
        .or_else(|| comps.get(&'z').copied());
    if let Some(o) = offset
        && o != 0.0
        && !o.is_nan()
    {
        millis -= o * 60_000.0;
    }
    Ok(Some(millis))
}

/// `Date.parse` for the ISO 8601 forms jsonata accepts (treated as UTC).
fn parse_iso(s: &str) -> f64 {
    static ISO: std::sync::OnceLock<Option<Regex>> = std::sync::OnceLock::new();
    let Some(re) = ISO
        .get_or_init(|| {
            Regex::new(
                r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$",
            )
            .ok()
        })
        .as_ref()
    else {
        return f64::NAN;
    };
    let Some(c) = re.captures(s) else {
        return f64::NAN;
    };
    let num = |i: usize, default: f64| -> f64 {
        c.get(i)
            .map_or(default, |m| m.as_str().parse::<f64>().unwrap_or(f64::NAN))
    };
    let year = num(1, f64::NAN);
    let month = num(2, 1.0);
    let day = num(3, 1.0);
    let (h, mi, sec) = (num(4, 0.0), num(5, 0.0), num(6, 0.0));
    let ms = c.get(7).map_or(0.0, |m| {
        let digits: String = m.as_str().chars().chain("000".chars()).take(3).collect();
        digits.parse::<f64>().unwrap_or(0.0)
    });
    if !(1.0..=12.0).contains(&month)
        || !(1.0..=31.0).contains(&day)
        || h > 24.0
        || mi > 59.0
        || sec > 59.0
    {
        return f64::NAN;
    }
    // Date.UTC maps years 0-99 to 1900s; ISO strings do not, so add the days directly.
    let days = super::calendar::days_from_civil(year as i64, month as i64, day as i64) as f64;
    let mut t = days * MILLIS_IN_DAY + h * 3_600_000.0 + mi * 60_000.0 + sec * 1000.0 + ms;
    if let Some(tz) = c.get(8).map(|m| m.as_str())
        && tz != "Z"
    {
        let sign = if tz.starts_with('-') { -1.0 } else { 1.0 };
        let digits: String = tz.chars().filter(char::is_ascii_digit).collect();
        let oh: f64 = digits.get(..2).and_then(|d| d.parse().ok()).unwrap_or(0.0);
        let om: f64 = digits.get(2..4).and_then(|d| d.parse().ok()).unwrap_or(0.0);
        t -= sign * (oh * 60.0 + om) * 60_000.0;
    }
    t
}

/// The loose shape jsonata-js checks before handing a string to `Date.parse`.
fn looks_iso(s: &str) -> bool {
    static LOOSE: std::sync::OnceLock<Option<Regex>> = std::sync::OnceLock::new();
    LOOSE
        .get_or_init(|| {
            Regex::new(
                r"^\d{4}(-[01]\d)*(-[0-3]\d)*(T[0-2]\d:[0-5]\d:[0-5]\d)*(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$",
            )
            .ok()
        })
        .as_ref()
        .is_some_and(|re| re.is_match(s))
}

pub(super) fn to_millis(ev: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let Value::String(ts) = arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    match arg(args, 1) {
        Value::String(picture) => Ok(match parse_datetime(ts, picture, ev.now_millis)? {
            Some(ms) => Value::Number(ms),
            None => Value::Undefined,
        }),
        _ => {
            if !looks_iso(ts) {
                return Err(err("D3110").with_value(error_insert(arg(args, 0))));
            }
            Ok(Value::Number(parse_iso(ts)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_timestamps() {
        assert_eq!(parse_iso("2018-03-23T10:33:36.617Z"), 1_521_801_216_617.0);
        assert_eq!(parse_iso("1970-01-01"), 0.0);
        assert_eq!(parse_iso("2018-03-23T10:33:36+01:00"), 1_521_797_616_000.0);
        assert!(looks_iso("2018"));
        assert!(!looks_iso("March 2018"));
    }

    #[test]
    fn picture_parsing() {
        let now = 1_521_801_216_617.0;
        let p = |ts: &str, pic: &str| parse_datetime(ts, pic, now).ok().flatten();
        assert_eq!(
            p("2018-03-23", "[Y0001]-[M01]-[D01]"),
            Some(1_521_763_200_000.0)
        );
        assert_eq!(
            p("23 March 2018", "[D1] [MNn] [Y0001]"),
            Some(1_521_763_200_000.0)
        );
        assert_eq!(p("nonsense", "[Y0001]"), None);
    }
}
