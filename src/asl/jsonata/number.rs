//! JavaScript number formatting: `Number.prototype.toString`, `toPrecision`, `toFixed`,
//! `toString(radix)` and `Math.round`, reproduced for f64 so results print exactly as in
//! jsonata-js (e.g. `1e+21`, `0.3333333333333333`, `1e-7`).

/// Shortest round-trip decimal digits and decimal exponent: `value = 0.d1d2.. × 10^point`.
fn shortest_digits(v: f64) -> (String, i32) {
    // `{:e}` prints the shortest representation that round-trips, e.g. "1.2345e2".
    let s = format!("{:e}", v.abs());
    let (mantissa, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let digits = digits.trim_end_matches('0').to_string();
    let digits = if digits.is_empty() {
        "0".to_string()
    } else {
        digits
    };
    (digits, exp + 1)
}

/// `Number.prototype.toString()` (radix 10).
pub(crate) fn js_number_to_string(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if v == 0.0 {
        return "0".into();
    }
    let sign = if v < 0.0 { "-" } else { "" };
    let (digits, n) = shortest_digits(v);
    let k = digits.len() as i32;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(n as usize);
        format!("{int}.{frac}")
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let e = n - 1;
        let exp = if e >= 0 {
            format!("e+{e}")
        } else {
            format!("e-{}", -e)
        };
        let (first, rest) = digits.split_at(1);
        if rest.is_empty() {
            format!("{first}{exp}")
        } else {
            format!("{first}.{rest}{exp}")
        }
    };
    format!("{sign}{body}")
}

/// `Number(v.toPrecision(15))`: the value jsonata-js prints inside `$string`.
pub(crate) fn to_precision_15(v: f64) -> f64 {
    if !v.is_finite() || v == 0.0 {
        return v;
    }
    format!("{v:.14e}").parse().unwrap_or(v)
}

/// Parse a JavaScript numeric string the way unary `+` would for our own outputs.
pub(crate) fn parse_js_number(s: &str) -> Option<f64> {
    let t = s.trim();
    match t {
        "Infinity" | "+Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => t.parse::<f64>().ok(),
    }
}

/// `Number.prototype.toFixed(dp)` for non-negative magnitudes below 1e21; ties round away
/// from zero as the ECMAScript algorithm picks "the larger n".
pub(crate) fn to_fixed(v: f64, dp: usize) -> String {
    if !v.is_finite() || v.abs() >= 1e21 {
        return js_number_to_string(v);
    }
    let dp = dp.min(100);
    let negative = v < 0.0;
    let mag = v.abs();
    // Rust rounds the exact binary value half-to-even; an exact tie shows up as a 5
    // followed only by zeros in a longer expansion (a tie terminates at dp + 1 digits).
    let long = format!("{:.*}", dp + 30, mag);
    let cut = long.len() - 30;
    let tail = &long[cut..];
    let mut out = if tail.starts_with('5') && tail[1..].bytes().all(|b| b == b'0') {
        round_up_decimal(&long[..cut])
    } else {
        format!("{:.*}", dp, mag)
    };
    if out.ends_with('.') {
        out.pop();
    }
    let is_zero = out.bytes().all(|b| b == b'0' || b == b'.');
    if negative && !is_zero {
        format!("-{out}")
    } else {
        out
    }
}

/// Add one unit in the last place of a plain decimal string like "12.34" -> "12.35".
fn round_up_decimal(s: &str) -> String {
    let mut bytes: Vec<u8> = s.as_bytes().to_vec();
    let mut i = bytes.len();
    loop {
        if i == 0 {
            bytes.insert(0, b'1');
            break;
        }
        i -= 1;
        match bytes[i] {
            b'.' => continue,
            b'9' => bytes[i] = b'0',
            d => {
                bytes[i] = d + 1;
                break;
            }
        }
    }
    String::from_utf8(bytes).unwrap_or_default()
}

/// `Math.round`: nearest integer, ties toward +Infinity.
pub(crate) fn js_math_round(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let f = x.floor();
    let r = if x - f >= 0.5 { f + 1.0 } else { f };
    // Math.round(-0.3) is -0 in JavaScript; keep the sign for faithfulness.
    if r == 0.0 && x < 0.0 { -0.0 } else { r }
}

/// `Number.prototype.toString(radix)` for integral values (what `$formatBase` needs).
pub(crate) fn to_radix_string(v: f64, radix: u32) -> String {
    if !v.is_finite() {
        return js_number_to_string(v);
    }
    if radix == 10 {
        return js_number_to_string(v);
    }
    let negative = v < 0.0;
    let mut mag = v.abs().trunc();
    let mut digits: Vec<u8> = Vec::new();
    if mag < 1.8e19 {
        let mut n = mag as u64;
        if n == 0 {
            digits.push(b'0');
        }
        while n > 0 {
            digits.push(digit_char((n % u64::from(radix)) as u32));
            n /= u64::from(radix);
        }
    } else {
        // Beyond u64 the value is an exact multiple of a power of two; long division on
        // the float keeps this exact because each step divides an integral f64.
        while mag >= 1.0 {
            let q = (mag / f64::from(radix)).floor();
            let r = mag - q * f64::from(radix);
            digits.push(digit_char(r.clamp(0.0, f64::from(radix - 1)) as u32));
            mag = q;
        }
    }
    digits.reverse();
    let s = String::from_utf8(digits).unwrap_or_default();
    if negative && s != "0" {
        format!("-{s}")
    } else {
        s
    }
}

fn digit_char(d: u32) -> u8 {
    if d < 10 {
        b'0' + d as u8
    } else {
        b'a' + (d - 10) as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_string_matches_javascript() {
        assert_eq!(js_number_to_string(1.0 / 3.0), "0.3333333333333333");
        assert_eq!(js_number_to_string(1e21), "1e+21");
        assert_eq!(js_number_to_string(1e20), "100000000000000000000");
        assert_eq!(js_number_to_string(123.456), "123.456");
        assert_eq!(js_number_to_string(-0.000001), "-0.000001");
        assert_eq!(js_number_to_string(1e-7), "1e-7");
        assert_eq!(js_number_to_string(1.5e-10), "1.5e-10");
        assert_eq!(js_number_to_string(-0.0), "0");
        assert_eq!(js_number_to_string(3.0), "3");
        assert_eq!(
            js_number_to_string(9.33262154439441e155),
            "9.33262154439441e+155"
        );
    }

    #[test]
    fn precision_15_trims_binary_noise() {
        assert_eq!(to_precision_15(0.1 + 0.2), 0.3);
        assert_eq!(to_precision_15(1.0 / 3.0), 0.333333333333333);
    }

    #[test]
    fn to_fixed_rounds_ties_up_and_keeps_binary_reality() {
        assert_eq!(to_fixed(0.5, 0), "1");
        assert_eq!(to_fixed(2.5, 0), "3");
        assert_eq!(to_fixed(1.005, 2), "1.00");
        assert_eq!(to_fixed(1.25, 1), "1.3");
        assert_eq!(to_fixed(12345.6789, 2), "12345.68");
        assert_eq!(to_fixed(-1.5, 0), "-2");
        assert_eq!(to_fixed(9.995, 2), "9.99");
    }

    #[test]
    fn math_round_and_radix() {
        assert_eq!(js_math_round(2.5), 3.0);
        assert_eq!(js_math_round(-2.5), -2.0);
        assert_eq!(js_math_round(0.49999999999999994), 0.0);
        assert_eq!(to_radix_string(255.0, 16), "ff");
        assert_eq!(to_radix_string(-8.0, 2), "-1000");
        assert_eq!(to_radix_string(0.0, 36), "0");
    }
}
