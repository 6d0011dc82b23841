//! Date/time formatting: `$fromMillis`, `$now`, `$millis` and XPath picture strings
//! (jsonata-js `analyseDateTimePicture` / `formatDateTime`).

use super::super::error::{ErrorExt, EvalResult, err};
use super::super::evaluator::Evaluator;
use super::super::value::Value;
use super::calendar::{Fields, Fragment, fields, fragment};
use super::integer_format::{Case, IntegerFormat, analyse_integer_picture, format_integer_with};
use super::{NativeCx, arg, q};

#[cfg(test)]
use super::calendar::{civil_from_days, date_utc, days_from_civil};

pub(crate) const DAYS: [&str; 8] = [
    "",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
pub(crate) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[derive(Debug, Clone)]
pub(crate) struct Marker {
    pub component: char,
    pub width_max: Option<f64>,
    pub presentation2: Option<char>,
    pub names: Option<Case>,
    pub integer_format: Option<IntegerFormat>,
    /// Digits kept for Y/M/D (`n` in jsonata-js; -1 = unrestricted).
    pub n: i64,
}

#[derive(Debug, Clone)]
pub(crate) enum PicturePart {
    Literal(String),
    Marker(Marker),
}

fn default_presentation(component: char) -> Option<&'static str> {
    Some(match component {
        'Y' | 'M' | 'D' | 'd' | 'W' | 'w' | 'X' | 'x' | 'H' | 'h' | 'f' => "1",
        'F' | 'P' | 'C' | 'E' => "n",
        'm' | 's' => "01",
        'Z' | 'z' => "01:01",
        _ => return None,
    })
}

fn parse_width(w: Option<&str>) -> Option<f64> {
    match w {
        None | Some("*") => None,
        Some(s) => {
            let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
            Some(digits.parse::<f64>().unwrap_or(f64::NAN))
        }
    }
}

pub(crate) fn analyse_datetime_picture(picture: &str) -> EvalResult<Vec<PicturePart>> {
    let chars: Vec<char> = picture.chars().collect();
    let mut spec = Vec::new();
    let add_literal = |spec: &mut Vec<PicturePart>, start: usize, end: usize| {
        if end > start {
            let lit: String = chars[start..end].iter().collect();
            spec.push(PicturePart::Literal(lit.replace("]]", "]")));
        }
    };
    let mut start = 0;
    let mut pos = 0;
    while pos < chars.len() {
        if chars[pos] == '[' {
            if chars.get(pos + 1) == Some(&'[') {
                add_literal(&mut spec, start, pos);
                spec.push(PicturePart::Literal("[".into()));
                pos += 2;
                start = pos;
                continue;
            }
            add_literal(&mut spec, start, pos);
            start = pos;
            let Some(close) = chars[start..].iter().position(|&c| c == ']') else {
                return Err(err("D3135"));
            };
            pos = start + close;
            let marker: String = chars[start + 1..pos]
                .iter()
                .filter(|c| !c.is_whitespace())
                .collect();
            spec.push(PicturePart::Marker(analyse_marker(&marker)?));
            start = pos + 1;
        }
        pos += 1;
    }
    add_literal(&mut spec, start, chars.len());
    Ok(spec)
}

fn analyse_marker(marker: &str) -> EvalResult<Marker> {
    let mchars: Vec<char> = marker.chars().collect();
    let component = mchars.first().copied().unwrap_or('\0');
    let mut width_min = None;
    let mut width_max = None;
    let mut has_width = false;
    let pres_mod: String = match mchars.iter().rposition(|&c| c == ',') {
        Some(comma) => {
            has_width = true;
            let width_mod: String = mchars[comma + 1..].iter().collect();
            match width_mod.find('-') {
                None => width_min = parse_width(Some(&width_mod)),
                Some(dash) => {
                    width_min = parse_width(Some(&width_mod[..dash]));
                    width_max = parse_width(Some(&width_mod[dash + 1..]));
                }
            }
            mchars[1.min(comma)..comma].iter().collect()
        }
        None => mchars.iter().skip(1).collect(),
    };
    let pchars: Vec<char> = pres_mod.chars().collect();
    let mut presentation2 = None;
    let presentation1: String = if pchars.len() == 1 {
        pres_mod.clone()
    } else if pchars.len() > 1 {
        let last = pchars[pchars.len() - 1];
        if "atco".contains(last) {
            presentation2 = Some(last);
            pchars[..pchars.len() - 1].iter().collect()
        } else {
            pres_mod.clone()
        }
    } else {
        match default_presentation(component) {
            Some(p) => p.to_string(),
            None => {
                return Err(err("D3132").with_value(q(&component.to_string())));
            }
        }
    };
    let ordinal = presentation2 == Some('o');
    let mut def = Marker {
        component,
        width_max,
        presentation2,
        names: None,
        integer_format: None,
        n: -1,
    };
    let mut p1 = presentation1.chars();
    match p1.next() {
        Some('n') => def.names = Some(Case::Lower),
        Some('N') => {
            def.names = Some(if p1.next() == Some('n') {
                Case::Title
            } else {
                Case::Upper
            })
        }
        _ if "YMDdFWwXxHhmsf".contains(component) || component == '\0' => {
            let mut pattern = presentation1.clone();
            if let Some(p2) = presentation2 {
                pattern.push(';');
                pattern.push(p2);
            }
            let mut fmt = analyse_integer_picture(&pattern)?;
            fmt.ordinal = fmt.ordinal || ordinal;
            if has_width
                && let Some(min) = width_min
                && (fmt.mandatory_digits as f64) < min
            {
                fmt.mandatory_digits = min as usize;
            }
            if "YMD".contains(component) {
                def.n = -1;
                if let Some(max) = width_max {
                    def.n = if max.is_nan() { -1 } else { max as i64 };
                    fmt.mandatory_digits = def.n.max(0) as usize;
                } else {
                    let w = fmt.mandatory_digits + fmt.optional_digits;
                    if w >= 2 {
                        def.n = w as i64;
                    }
                }
            }
            def.integer_format = Some(fmt);
        }
        _ => {}
    }
    if component == 'Z' || component == 'z' {
        def.integer_format = Some(analyse_integer_picture(&presentation1)?);
    }
    Ok(def)
}

fn format_component(
    f: &Fields,
    m: &Marker,
    offset_hours: f64,
    offset_minutes: f64,
) -> EvalResult<String> {
    let frag = fragment(f, m.component);
    if "YMDdFWwXxHhms".contains(m.component) {
        let mut value = match frag {
            Fragment::Number(n) => n,
            _ => f64::NAN,
        };
        if m.component == 'Y' && m.n != -1 {
            value %= 10f64.powi(m.n as i32);
        }
        if let Some(names) = m.names {
            let name = match m.component {
                'M' | 'x' => MONTHS.get((value as usize).wrapping_sub(1)).copied(),
                'F' => DAYS.get(value as usize).copied(),
                other => return Err(err("D3133").with_value(q(&other.to_string()))),
            };
            let mut name = name.unwrap_or("undefined").to_string();
            name = match names {
                Case::Upper => name.to_uppercase(),
                Case::Lower => name.to_lowercase(),
                Case::Title => name,
            };
            if let Some(max) = m.width_max
                && (name.chars().count() as f64) > max
            {
                name = name.chars().take(max as usize).collect();
            }
            return Ok(name);
        }
        return match &m.integer_format {
            Some(fmt) => format_integer_with(value, fmt),
            None => Ok(String::new()),
        };
    }
    match m.component {
        'f' => match (&m.integer_format, frag) {
            (Some(fmt), Fragment::Number(n)) => format_integer_with(n, fmt),
            _ => Ok(String::new()),
        },
        'Z' | 'z' => {
            let offset = offset_hours * 100.0 + offset_minutes;
            let Some(fmt) = &m.integer_format else {
                return Ok(String::new());
            };
            let mut s = if fmt.regular {
                format_integer_with(offset, fmt)?
            } else {
                match fmt.mandatory_digits {
                    1 | 2 => {
                        let mut s = format_integer_with(offset_hours, fmt)?;
                        if offset_minutes != 0.0 {
                            let two = analyse_integer_picture("00")?;
                            s.push(':');
                            s.push_str(&format_integer_with(offset_minutes.floor(), &two)?);
                        }
                        s
                    }
                    3 | 4 => format_integer_with(offset, fmt)?,
                    n => {
                        return Err(err("D3134").with_value(n.to_string()));
                    }
                }
            };
            if offset >= 0.0 {
                s.insert(0, '+');
            }
            if m.component == 'z' {
                s.insert_str(0, "GMT");
            }
            if offset == 0.0 && m.presentation2 == Some('t') {
                s = "Z".to_string();
            }
            Ok(s)
        }
        'P' => Ok(match frag {
            Fragment::Text(t) if m.names == Some(Case::Upper) => t.to_uppercase(),
            Fragment::Text(t) => t.to_string(),
            _ => String::new(),
        }),
        _ => Ok(match frag {
            Fragment::Text(t) => t.to_string(),
            Fragment::Number(n) => super::super::number::js_number_to_string(n),
            Fragment::None => "undefined".to_string(),
        }),
    }
}

const ISO_PICTURE: &str = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";

/// jsonata-js `formatDateTime`.
pub(crate) fn format_datetime(
    millis: f64,
    picture: Option<&str>,
    timezone: Option<&str>,
) -> EvalResult<String> {
    let (mut offset_hours, mut offset_minutes) = (0.0, 0.0);
    if let Some(tz) = timezone {
        let offset = parse_int_js(tz);
        offset_hours = (offset / 100.0).floor();
        offset_minutes = offset % 100.0;
    }
    let spec = analyse_datetime_picture(picture.unwrap_or(ISO_PICTURE))?;
    let offset_millis = (60.0 * offset_hours + offset_minutes) * 60_000.0;
    let Some(f) = fields(millis + offset_millis) else {
        return Err(err("D3110").with_value(super::super::number::js_number_to_string(millis)));
    };
    let mut out = String::new();
    for part in &spec {
        match part {
            PicturePart::Literal(l) => out.push_str(l),
            PicturePart::Marker(m) => {
                out.push_str(&format_component(&f, m, offset_hours, offset_minutes)?)
            }
        }
    }
    Ok(out)
}

/// `parseInt(s)`: optional sign and leading decimal digits, NaN otherwise.
pub(crate) fn parse_int_js(s: &str) -> f64 {
    let t = s.trim();
    let (sign, rest) = match t.strip_prefix('-') {
        Some(r) => (-1.0, r),
        None => (1.0, t.strip_prefix('+').unwrap_or(t)),
    };
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    if end == 0 {
        return f64::NAN;
    }
    rest[..end].parse::<f64>().map_or(f64::NAN, |n| sign * n)
}

pub(super) fn from_millis(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let Value::Number(millis) = arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let picture = arg(args, 1).as_str();
    let tz = arg(args, 2).as_str();
    Ok(Value::string(format_datetime(*millis, picture, tz)?))
}

pub(super) fn now(ev: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let picture = arg(args, 0).as_str();
    let tz = arg(args, 1).as_str();
    Ok(Value::string(format_datetime(ev.now_millis, picture, tz)?))
}

pub(super) fn millis(ev: &mut Evaluator, _: &[Value], _: &NativeCx) -> EvalResult<Value> {
    Ok(Value::Number(ev.now_millis))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_conversions_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
        assert_eq!(
            date_utc(2018.0, 12.0, 1.0, 0.0, 0.0, 0.0, 0.0),
            date_utc(2019.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0)
        );
    }

    #[test]
    fn iso_default_picture() {
        let s = format_datetime(1_521_801_216_617.0, None, None).unwrap_or_default();
        assert_eq!(s, "2018-03-23T10:33:36.617Z");
    }

    #[test]
    fn named_components_and_timezones() {
        let t = 1_521_801_216_617.0;
        let s = format_datetime(
            t,
            Some("[FNn], [D1o] [MNn] [Y] [h]:[m01][P] [z]"),
            Some("-0500"),
        )
        .unwrap_or_default();
        assert_eq!(s, "Friday, 23rd March 2018 5:33am GMT-05:00");
    }
}
