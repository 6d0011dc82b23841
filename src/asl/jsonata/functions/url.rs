//! `$base64encode $base64decode $encodeUrl $encodeUrlComponent $decodeUrl
//! $decodeUrlComponent`, reproducing Node.js `Buffer` "binary" (Latin-1) base64 and the
//! ECMAScript URI functions.

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use super::super::error::{ErrorExt, EvalResult, err};
use super::super::evaluator::Evaluator;
use super::super::value::{Value, error_insert};
use super::{NativeCx, arg};

fn engine() -> GeneralPurpose {
    GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    )
}

pub(super) fn base64_encode(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let Value::String(s) = arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    // Buffer.from(str, 'binary') keeps the low byte of each UTF-16 unit
    let bytes: Vec<u8> = s.encode_utf16().map(|u| (u & 0xFF) as u8).collect();
    Ok(Value::string(engine().encode(bytes)))
}

pub(super) fn base64_decode(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let Value::String(s) = arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    // Node ignores characters outside the alphabet and accepts the URL-safe variants
    let cleaned: String = s
        .chars()
        .filter_map(|c| match c {
            '-' => Some('+'),
            '_' => Some('/'),
            c if c.is_ascii_alphanumeric() || c == '+' || c == '/' => Some(c),
            _ => None,
        })
        .collect();
    // a dangling single character carries no complete byte
    let usable = if cleaned.len() % 4 == 1 {
        &cleaned[..cleaned.len() - 1]
    } else {
        &cleaned[..]
    };
    let bytes = engine().decode(usable).unwrap_or_default();
    Ok(Value::string(
        bytes.iter().map(|&b| char::from(b)).collect::<String>(),
    ))
}

const URI_UNRESERVED_MARKS: &str = "-_.!~*'()";
const URI_RESERVED: &str = ";/?:@&=+$,#";

fn encode(s: &str, keep: &str, name: &str, original: &Value) -> EvalResult<Value> {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || keep.contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    let _ = (name, original);
    Ok(Value::string(out))
}

fn malformed(name: &str, v: &Value) -> super::super::error::Error {
    let mut e = err("D3140").with_value(error_insert(v));
    e.function_name = Some(name.to_string());
    e
}

/// ECMAScript `Decode`: %XX sequences must form valid UTF-8; sequences that decode to a
/// character in `reserved` are left as they were.
fn decode(s: &str, reserved: &str, name: &str, original: &Value) -> EvalResult<Value> {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let hex = |i: usize| -> Option<u8> {
        let h = bytes.get(i + 1..i + 3)?;
        let h = std::str::from_utf8(h).ok()?;
        u8::from_str_radix(h, 16).ok()
    };
    while i < bytes.len() {
        if bytes[i] != b'%' {
            let ch = s[i..].chars().next().unwrap_or('\u{FFFD}');
            out.push(ch);
            i += ch.len_utf8();
            continue;
        }
        let Some(first) = hex(i) else {
            return Err(malformed(name, original));
        };
        let width = match first {
            0x00..=0x7F => 1,
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => return Err(malformed(name, original)),
        };
        let mut seq = vec![first];
        let mut j = i + 3;
        for _ in 1..width {
            if bytes.get(j) != Some(&b'%') {
                return Err(malformed(name, original));
            }
            match hex(j) {
                Some(b) if (0x80..=0xBF).contains(&b) => seq.push(b),
                _ => return Err(malformed(name, original)),
            }
            j += 3;
        }
        let decoded = std::str::from_utf8(&seq).map_err(|_| malformed(name, original))?;
        if width == 1 && decoded.chars().next().is_some_and(|c| reserved.contains(c)) {
            out.push_str(&s[i..j]);
        } else {
            out.push_str(decoded);
        }
        i = j;
    }
    Ok(Value::string(out))
}

pub(super) fn encode_url_component(
    _: &mut Evaluator,
    args: &[Value],
    _: &NativeCx,
) -> EvalResult<Value> {
    match arg(args, 0) {
        Value::String(s) => encode(s, URI_UNRESERVED_MARKS, "encodeUrlComponent", arg(args, 0)),
        _ => Ok(Value::Undefined),
    }
}

pub(super) fn encode_url(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    match arg(args, 0) {
        Value::String(s) => {
            let keep = format!("{URI_UNRESERVED_MARKS}{URI_RESERVED}");
            encode(s, &keep, "encodeUrl", arg(args, 0))
        }
        _ => Ok(Value::Undefined),
    }
}

pub(super) fn decode_url_component(
    _: &mut Evaluator,
    args: &[Value],
    _: &NativeCx,
) -> EvalResult<Value> {
    match arg(args, 0) {
        Value::String(s) => decode(s, "", "decodeUrlComponent", arg(args, 0)),
        _ => Ok(Value::Undefined),
    }
}

pub(super) fn decode_url(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    match arg(args, 0) {
        Value::String(s) => decode(s, URI_RESERVED, "decodeUrl", arg(args, 0)),
        _ => Ok(Value::Undefined),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str, reserved: &str) -> Option<String> {
        decode(s, reserved, "decodeUrl", &Value::Undefined)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
    }

    #[test]
    fn uri_round_trip() {
        let enc = encode("a b/ü?", URI_UNRESERVED_MARKS, "x", &Value::Undefined)
            .ok()
            .and_then(|v| v.as_str().map(String::from));
        assert_eq!(enc.as_deref(), Some("a%20b%2F%C3%BC%3F"));
        assert_eq!(dec("a%20b%2F%C3%BC", "").as_deref(), Some("a b/ü"));
        assert_eq!(dec("%2F%20", URI_RESERVED).as_deref(), Some("%2F "));
        assert_eq!(dec("%E0%A4%A", ""), None);
    }
}
