//! Number names, roman numerals and alphabetic numbering used by `$formatInteger`,
//! `$parseInteger` and date/time pictures (ports of the jsonata-js helpers).

const FEW: [&str; 20] = [
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
];
const ORDINALS: [&str; 20] = [
    "Zeroth",
    "First",
    "Second",
    "Third",
    "Fourth",
    "Fifth",
    "Sixth",
    "Seventh",
    "Eighth",
    "Ninth",
    "Tenth",
    "Eleventh",
    "Twelfth",
    "Thirteenth",
    "Fourteenth",
    "Fifteenth",
    "Sixteenth",
    "Seventeenth",
    "Eighteenth",
    "Nineteenth",
];
const DECADES: [&str; 9] = [
    "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred",
];
const MAGNITUDES: [&str; 4] = ["Thousand", "Million", "Billion", "Trillion"];

pub(crate) fn number_to_words(num: f64, prev: bool, ord: bool) -> String {
    let mut words;
    if num <= 19.0 {
        let idx = num.max(0.0) as usize;
        words = String::from(if prev { " and " } else { "" });
        words.push_str(if ord {
            ORDINALS[idx.min(19)]
        } else {
            FEW[idx.min(19)]
        });
    } else if num < 100.0 {
        let tens = (num / 10.0).floor() as usize;
        let rem = num % 10.0;
        words = String::from(if prev { " and " } else { "" });
        words.push_str(DECADES[tens.saturating_sub(2).min(8)]);
        if rem > 0.0 {
            words.push('-');
            words.push_str(&number_to_words(rem, false, ord));
        } else if ord {
            words.pop();
            words.push_str("ieth");
        }
    } else if num < 1000.0 {
        let hundreds = (num / 100.0).floor() as usize;
        let rem = num % 100.0;
        words = String::from(if prev { ", " } else { "" });
        words.push_str(FEW[hundreds.min(19)]);
        words.push_str(" Hundred");
        if rem > 0.0 {
            words.push_str(&number_to_words(rem, true, ord));
        } else if ord {
            words.push_str("th");
        }
    } else {
        let mut mag = (num.log10() / 3.0).floor() as usize;
        if mag > MAGNITUDES.len() {
            mag = MAGNITUDES.len();
        }
        let factor = 10f64.powi((mag * 3) as i32);
        let mant = (num / factor).floor();
        let rem = num - mant * factor;
        words = String::from(if prev { ", " } else { "" });
        words.push_str(&number_to_words(mant, false, false));
        words.push(' ');
        words.push_str(MAGNITUDES[mag.saturating_sub(1)]);
        if rem > 0.0 {
            words.push_str(&number_to_words(rem, true, ord));
        } else if ord {
            words.push_str("th");
        }
    }
    words
}

fn word_value(word: &str) -> Option<f64> {
    for (i, w) in FEW.iter().enumerate() {
        if w.to_lowercase() == word {
            return Some(i as f64);
        }
    }
    for (i, w) in ORDINALS.iter().enumerate() {
        if w.to_lowercase() == word {
            return Some(i as f64);
        }
    }
    for (i, w) in DECADES.iter().enumerate() {
        let lw = w.to_lowercase();
        let ieth = format!("{}ieth", &lw[..lw.len() - 1]);
        if lw == word || ieth == word {
            return Some(((i + 2) * 10) as f64);
        }
    }
    if word == "hundredth" {
        return Some(100.0);
    }
    for (i, w) in MAGNITUDES.iter().enumerate() {
        let lw = w.to_lowercase();
        if lw == word || format!("{lw}th") == word {
            return Some(10f64.powi(((i + 1) * 3) as i32));
        }
    }
    None
}

/// All words `$parseInteger` understands (for the date/time parsing regex).
pub(crate) fn all_number_words() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    out.extend(FEW.iter().map(|w| w.to_lowercase()));
    out.extend(ORDINALS.iter().map(|w| w.to_lowercase()));
    for w in DECADES {
        let lw = w.to_lowercase();
        out.push(format!("{}ieth", &lw[..lw.len() - 1]));
        out.push(lw);
    }
    out.push("hundredth".into());
    for w in MAGNITUDES {
        let lw = w.to_lowercase();
        out.push(format!("{lw}th"));
        out.push(lw);
    }
    out
}

pub(crate) fn words_to_number(text: &str) -> f64 {
    // jsonata-js: text.split(/,\s|\sand\s|[\s\\-]/)
    static SPLITTER: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let parts: Vec<&str> =
        match SPLITTER.get_or_init(|| regex::Regex::new(r",\s|\sand\s|[\s\\-]").ok()) {
            Some(re) => re.split(text).collect(),
            None => vec![text],
        };
    let mut segs: Vec<f64> = vec![0.0];
    for part in parts {
        match word_value(part) {
            Some(v) if v < 100.0 => {
                let mut top = segs.pop().unwrap_or(0.0);
                if top >= 1000.0 {
                    segs.push(top);
                    top = 0.0;
                }
                segs.push(top + v);
            }
            Some(v) => {
                let top = segs.pop().unwrap_or(0.0);
                segs.push(top * v);
            }
            None => {
                let top = segs.pop().unwrap_or(0.0);
                segs.push(top * f64::NAN);
            }
        }
    }
    segs.iter().sum()
}

const ROMAN: [(f64, &str); 13] = [
    (1000.0, "m"),
    (900.0, "cm"),
    (500.0, "d"),
    (400.0, "cd"),
    (100.0, "c"),
    (90.0, "xc"),
    (50.0, "l"),
    (40.0, "xl"),
    (10.0, "x"),
    (9.0, "ix"),
    (5.0, "v"),
    (4.0, "iv"),
    (1.0, "i"),
];

pub(crate) fn decimal_to_roman(mut value: f64) -> String {
    let mut out = String::new();
    // cap the output size: one 'm' per thousand would otherwise be unbounded
    if value > 1e7 {
        return String::new();
    }
    for (n, s) in ROMAN {
        while value >= n {
            out.push_str(s);
            value -= n;
        }
    }
    out
}

pub(crate) fn roman_to_decimal(roman: &str) -> f64 {
    let mut decimal = 0.0;
    let mut max = 1.0;
    for c in roman.chars().rev() {
        let value = match c {
            'M' => 1000.0,
            'D' => 500.0,
            'C' => 100.0,
            'L' => 50.0,
            'X' => 10.0,
            'V' => 5.0,
            'I' => 1.0,
            _ => return f64::NAN,
        };
        if value < max {
            decimal -= value;
        } else {
            max = value;
            decimal += value;
        }
    }
    decimal
}

pub(crate) fn decimal_to_letters(mut value: f64, a: char) -> String {
    let mut letters: Vec<char> = Vec::new();
    let base = a as u32;
    while value > 0.0 && letters.len() < 64 {
        let off = ((value - 1.0) % 26.0) as u32;
        letters.push(char::from_u32(base + off).unwrap_or('?'));
        value = ((value - 1.0) / 26.0).floor();
    }
    letters.iter().rev().collect()
}

pub(crate) fn letters_to_decimal(letters: &str, a: char) -> f64 {
    let units: Vec<u16> = letters.encode_utf16().collect();
    let mut decimal = 0.0;
    for (i, u) in units.iter().rev().enumerate() {
        decimal += (f64::from(*u) - f64::from(a as u32) + 1.0) * 26f64.powi(i as i32);
    }
    decimal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_back() {
        assert_eq!(
            number_to_words(1_000_001.0, false, false),
            "One Million and One"
        );
        assert_eq!(number_to_words(12.0, false, true), "Twelfth");
        assert_eq!(words_to_number("one million and one"), 1_000_001.0);
        assert_eq!(words_to_number("twelfth"), 12.0);
        assert!(words_to_number("zillion").is_nan());
    }

    #[test]
    fn roman_and_letters() {
        assert_eq!(decimal_to_roman(2024.0), "mmxxiv");
        assert_eq!(roman_to_decimal("MMXXIV"), 2024.0);
        assert!(roman_to_decimal("MQ").is_nan());
        assert_eq!(decimal_to_letters(27.0, 'a'), "aa");
        assert_eq!(letters_to_decimal("aa", 'a'), 27.0);
        assert!(all_number_words().iter().any(|w| w == "thousandth"));
    }
}
