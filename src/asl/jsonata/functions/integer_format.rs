//! `$formatInteger` / `$parseInteger` (XPath F&O integer pictures): decimal digit
//! families with grouping, letters, roman numerals, words, ordinals.

use super::super::error::{ErrorExt, EvalResult, err};
use super::super::evaluator::Evaluator;
use super::super::number::js_number_to_string;
use super::super::value::Value;
use super::numerals::{
    all_number_words, decimal_to_letters, decimal_to_roman, letters_to_decimal, number_to_words,
    roman_to_decimal, words_to_number,
};
use super::{NativeCx, arg, q};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Primary {
    Decimal,
    Letters,
    Roman,
    Words,
    Sequence,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    Upper,
    Lower,
    Title,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Separator {
    pub position: usize,
    pub character: char,
}

#[derive(Debug, Clone)]
pub(crate) struct IntegerFormat {
    pub primary: Primary,
    pub case: Case,
    pub ordinal: bool,
    pub zero_code: u32,
    pub mandatory_digits: usize,
    pub optional_digits: usize,
    pub regular: bool,
    /// With `regular`, a single entry giving the repeat interval.
    pub separators: Vec<Separator>,
    pub token: String,
    /// Fixed width used when parsing date components (`n` in jsonata-js).
    pub width: Option<i64>,
}

/// Zero code points of the Unicode decimal digit families jsonata-js recognises.
const DECIMAL_GROUPS: [u32; 37] = [
    48, 1632, 1776, 1984, 2406, 2534, 2662, 2790, 2918, 3046, 3174, 3302, 3430, 3558, 3664, 3792,
    3872, 4160, 4240, 6112, 6160, 6470, 6608, 6784, 6800, 6992, 7088, 7232, 7248, 42528, 43216,
    43264, 43472, 43504, 43600, 44016, 65296,
];

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

pub(crate) fn analyse_integer_picture(picture: &str) -> EvalResult<IntegerFormat> {
    let mut format = IntegerFormat {
        primary: Primary::Decimal,
        case: Case::Lower,
        ordinal: false,
        zero_code: 48,
        mandatory_digits: 0,
        optional_digits: 0,
        regular: false,
        separators: Vec::new(),
        token: String::new(),
        width: None,
    };
    let primary_format = match picture.rfind(';') {
        None => picture,
        Some(semi) => {
            if picture[semi + 1..].starts_with('o') {
                format.ordinal = true;
            }
            &picture[..semi]
        }
    };
    match primary_format {
        "A" => {
            format.case = Case::Upper;
            format.primary = Primary::Letters;
        }
        "a" => format.primary = Primary::Letters,
        "I" => {
            format.case = Case::Upper;
            format.primary = Primary::Roman;
        }
        "i" => format.primary = Primary::Roman,
        "W" => {
            format.case = Case::Upper;
            format.primary = Primary::Words;
        }
        "Ww" => {
            format.case = Case::Title;
            format.primary = Primary::Words;
        }
        "w" => format.primary = Primary::Words,
        _ => {
            let mut zero_code: Option<u32> = None;
            let mut mandatory = 0;
            let mut optional = 0;
            let mut separators = Vec::new();
            let mut separator_position = 0;
            for c in primary_format.chars().rev() {
                let cp = c as u32;
                match DECIMAL_GROUPS.iter().find(|&&g| cp >= g && cp <= g + 9) {
                    Some(&group) => {
                        mandatory += 1;
                        separator_position += 1;
                        match zero_code {
                            None => zero_code = Some(group),
                            Some(z) if z != group => return Err(err("D3131")),
                            _ => {}
                        }
                    }
                    None if c == '#' => {
                        separator_position += 1;
                        optional += 1;
                    }
                    None => separators.push(Separator {
                        position: separator_position,
                        character: c,
                    }),
                }
            }
            if mandatory > 0 {
                format.primary = Primary::Decimal;
                format.zero_code = zero_code.unwrap_or(48);
                format.mandatory_digits = mandatory;
                format.optional_digits = optional;
                let regular = regular_repeat(&separators);
                if regular > 0 {
                    format.regular = true;
                    format.separators = vec![Separator {
                        position: regular,
                        character: separators.first().map_or(',', |s| s.character),
                    }];
                } else {
                    format.separators = separators;
                }
            } else {
                format.primary = Primary::Sequence;
                format.token = primary_format.to_string();
            }
        }
    }
    Ok(format)
}

fn regular_repeat(separators: &[Separator]) -> usize {
    let Some(first) = separators.first() else {
        return 0;
    };
    if separators.iter().any(|s| s.character != first.character) {
        return 0;
    }
    let positions: Vec<usize> = separators.iter().map(|s| s.position).collect();
    let factor = positions.iter().copied().reduce(gcd).unwrap_or(0);
    if factor == 0 {
        return 0;
    }
    for index in 1..=positions.len() {
        if !positions.contains(&(index * factor)) {
            return 0;
        }
    }
    factor
}

pub(crate) fn format_integer_with(value: f64, format: &IntegerFormat) -> EvalResult<String> {
    if value.is_infinite() {
        // jsonata-js recurses without end here; report the number as out of range
        return Err(err("D1001").with_value(js_number_to_string(value)));
    }
    let negative = value < 0.0;
    let value = value.abs();
    let mut formatted = match format.primary {
        Primary::Letters => {
            decimal_to_letters(value, if format.case == Case::Upper { 'A' } else { 'a' })
        }
        Primary::Roman => {
            let r = decimal_to_roman(value);
            if format.case == Case::Upper {
                r.to_uppercase()
            } else {
                r
            }
        }
        Primary::Words => {
            let w = number_to_words(value, false, format.ordinal);
            match format.case {
                Case::Upper => w.to_uppercase(),
                Case::Lower => w.to_lowercase(),
                Case::Title => w,
            }
        }
        Primary::Decimal => {
            let mut digits: Vec<char> = js_number_to_string(value).chars().collect();
            if digits.len() < format.mandatory_digits {
                let pad = format.mandatory_digits - digits.len();
                let mut padded = vec!['0'; pad];
                padded.extend(digits);
                digits = padded;
            }
            if format.zero_code != 48 {
                digits = digits
                    .into_iter()
                    .map(|c| char::from_u32(c as u32 + format.zero_code - 48).unwrap_or(c))
                    .collect();
            }
            if format.regular {
                if let Some(sep) = format.separators.first()
                    && sep.position > 0
                {
                    let n = digits.len().saturating_sub(1) / sep.position;
                    for ii in (1..=n).rev() {
                        let pos = digits.len().saturating_sub(ii * sep.position);
                        digits.insert(pos, sep.character);
                    }
                }
            } else {
                for sep in format.separators.iter().rev() {
                    let pos = digits.len().saturating_sub(sep.position);
                    digits.insert(pos, sep.character);
                }
            }
            let mut s: String = digits.iter().collect();
            if format.ordinal {
                let last = digits.last().copied();
                let second_last = if digits.len() > 1 {
                    digits.get(digits.len() - 2).copied()
                } else {
                    None
                };
                let suffix = match last {
                    Some('1') => "st",
                    Some('2') => "nd",
                    Some('3') => "rd",
                    _ => "th",
                };
                let suffix = if second_last == Some('1') {
                    "th"
                } else {
                    suffix
                };
                s.push_str(suffix);
            }
            s
        }
        Primary::Sequence => return Err(err("D3130").with_value(q(&format.token))),
    };
    if negative {
        formatted.insert(0, '-');
    }
    Ok(formatted)
}

/// jsonata-js `parseInt` on a digit string (leading digits only; NaN when none).
fn parse_int(s: &str) -> f64 {
    let t = s.trim_start();
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

/// Value of a matched integer component (`generateRegex(...).parse`).
pub(crate) fn parse_integer_with(value: &str, format: &IntegerFormat) -> EvalResult<f64> {
    Ok(match format.primary {
        Primary::Letters => {
            letters_to_decimal(value, if format.case == Case::Upper { 'A' } else { 'a' })
        }
        Primary::Roman => roman_to_decimal(&if format.case == Case::Upper {
            value.to_string()
        } else {
            value.to_uppercase()
        }),
        Primary::Words => words_to_number(&value.to_lowercase()),
        Primary::Decimal => {
            let mut digits: String = value.to_string();
            if format.ordinal {
                let n = digits.chars().count();
                digits = digits.chars().take(n.saturating_sub(2)).collect();
            }
            if format.regular {
                digits = digits.replace(',', "");
            } else {
                for sep in &format.separators {
                    digits = digits.replace(sep.character, "");
                }
            }
            if format.zero_code != 48 {
                digits = digits
                    .chars()
                    .map(|c| {
                        char::from_u32((c as u32).wrapping_sub(format.zero_code) + 48).unwrap_or(c)
                    })
                    .collect();
            }
            parse_int(&digits)
        }
        Primary::Sequence => return Err(err("D3130").with_value(q(&format.token))),
    })
}

/// Regex (source text) matching one formatted integer component.
pub(crate) fn integer_regex(format: &IntegerFormat) -> EvalResult<String> {
    let occurrences = match format.width {
        Some(n) if n > 0 => {
            if format.optional_digits == 0 {
                format!("{{{n}}}")
            } else {
                format!("{{{},{}}}", n - format.optional_digits as i64, n)
            }
        }
        _ => "+".to_string(),
    };
    let upper = format.case == Case::Upper;
    Ok(match format.primary {
        Primary::Letters => if upper { "[A-Z]+" } else { "[a-z]+" }.to_string(),
        Primary::Roman => if upper { "[MDCLXVI]+" } else { "[mdclxvi]+" }.to_string(),
        Primary::Words => {
            let mut alts = all_number_words();
            alts.push("and".into());
            alts.push("[\\-, ]".into());
            format!("(?:{})+", alts.join("|"))
        }
        Primary::Decimal => {
            let mut r = format!("[0-9]{occurrences}");
            if format.ordinal {
                r.push_str("(?:th|st|nd|rd)");
            }
            r
        }
        Primary::Sequence => return Err(err("D3130").with_value(q(&format.token))),
    })
}

pub(super) fn format_integer(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let Value::Number(n) = arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let picture = arg(args, 1).as_str().unwrap_or("");
    let format = analyse_integer_picture(picture)?;
    Ok(Value::string(format_integer_with(n.floor(), &format)?))
}

pub(super) fn parse_integer(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let Value::String(s) = arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let picture = arg(args, 1).as_str().unwrap_or("");
    let format = analyse_integer_picture(picture)?;
    Ok(Value::Number(parse_integer_with(s, &format)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(v: f64, pic: &str) -> String {
        analyse_integer_picture(pic)
            .and_then(|f| format_integer_with(v, &f))
            .unwrap_or_else(|e| format!("ERR {}", e.code))
    }

    #[test]
    fn decimal_pictures() {
        assert_eq!(fmt(1234567.0, "#,##0"), "1,234,567");
        assert_eq!(fmt(7.0, "000"), "007");
        assert_eq!(fmt(22.0, "0;o"), "22nd");
        assert_eq!(fmt(12.0, "0;o"), "12th");
        assert_eq!(fmt(-5.0, "0"), "-5");
        assert_eq!(fmt(1.0, "١"), "١");
        assert_eq!(fmt(1.0, "a0"), "1");
    }

    #[test]
    fn words_letters_roman() {
        assert_eq!(fmt(123.0, "w"), "one hundred and twenty-three");
        assert_eq!(fmt(21.0, "Ww;o"), "Twenty-First");
        assert_eq!(fmt(1999.0, "I"), "MCMXCIX");
        assert_eq!(fmt(28.0, "A"), "AB");
        assert_eq!(words_to_number("one hundred and twenty-three"), 123.0);
        assert_eq!(roman_to_decimal("MCMXCIX"), 1999.0);
        assert_eq!(letters_to_decimal("AB", 'A'), 28.0);
    }

    #[test]
    fn unsupported_sequences() {
        assert_eq!(fmt(1.0, "β"), "ERR D3130");
    }
}
