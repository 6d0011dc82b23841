//! `States.Base64Encode`, `States.Base64Decode` and `States.Hash`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use md5::Md5;
use serde_json::Value;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};

use super::fn_text::{FnResult, invalid};
use super::java_text::{java_length, java_to_string};
use super::signature::{HASH_ALGORITHMS, MAX_INPUT_CHARS};

/// A string argument of at most 10,000 characters.
fn bounded_string<'a>(args: &'a [Value], name: &str) -> Result<&'a str, String> {
    match args.first() {
        Some(Value::String(s)) if java_length(s) <= MAX_INPUT_CHARS => Ok(s),
        _ => Err(invalid(name)),
    }
}

pub(crate) fn base64_encode(args: &[Value]) -> FnResult {
    let text = bounded_string(args, "States.Base64Encode")?;
    Ok(Value::String(STANDARD.encode(text.as_bytes())))
}

/// Decodes leniently, like the decoder AWS uses: characters outside the
/// Base64 alphabet are skipped, decoding stops at the first `=`, a trailing
/// partial group is decoded as far as it goes, and the bytes are read as
/// UTF-8 (invalid sequences become U+FFFD).
pub(crate) fn base64_decode(args: &[Value]) -> FnResult {
    let text = bounded_string(args, "States.Base64Decode")?;
    let mut bytes = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut count = 0u8;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(v);
        count += 1;
        if count == 4 {
            bytes.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
            acc = 0;
            count = 0;
        }
    }
    match count {
        2 => bytes.push((acc >> 4) as u8),
        3 => bytes.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
        _ => {}
    }
    Ok(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
}

/// `States.Hash(data, algorithm)`: lower-case hex digest of the UTF-8 data.
/// AWS also hashes non-string data by its string form.
pub(crate) fn hash(args: &[Value]) -> FnResult {
    let data = match args.first() {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => return Err(invalid("States.Hash")),
        Some(other) => java_to_string(other),
    };
    if java_length(&data) > MAX_INPUT_CHARS {
        return Err(invalid("States.Hash"));
    }
    let Some(Value::String(algorithm)) = args.get(1) else {
        return Err(invalid("States.Hash"));
    };
    let bytes = data.as_bytes();
    let digest: Vec<u8> = match algorithm.as_str() {
        "MD5" => Md5::digest(bytes).to_vec(),
        "SHA-1" => Sha1::digest(bytes).to_vec(),
        "SHA-256" => Sha256::digest(bytes).to_vec(),
        "SHA-384" => Sha384::digest(bytes).to_vec(),
        "SHA-512" => Sha512::digest(bytes).to_vec(),
        _ => {
            return Err(format!(
                "Invalid arguments in States.Hash: the algorithm must be one of {}",
                HASH_ALGORITHMS.join(", ")
            ));
        }
    };
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok(Value::String(hex))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn base64_from_the_developer_guide() {
        assert_eq!(
            base64_encode(&[json!("Data to encode")]).unwrap(),
            json!("RGF0YSB0byBlbmNvZGU=")
        );
        assert_eq!(
            base64_decode(&[json!("RGF0YSB0byBlbmNvZGU=")]).unwrap(),
            json!("Data to encode")
        );
        assert_eq!(base64_encode(&[json!("")]).unwrap(), json!(""));
        assert_eq!(base64_encode(&[json!("🚀")]).unwrap(), json!("8J+agA=="));
        assert_eq!(
            base64_decode(&[json!("44GT44KT44Gr44Gh44Gv")]).unwrap(),
            json!("こんにちは")
        );
    }

    #[test]
    fn base64_decoding_is_lenient() {
        assert_eq!(
            base64_decode(&[json!(" YWJjZA== ")]).unwrap(),
            json!("abcd")
        );
        assert_eq!(base64_decode(&[json!("YWJjZA")]).unwrap(), json!("abcd"));
        assert_eq!(base64_decode(&[json!("ab==cd")]).unwrap(), json!("i"));
        assert!(base64_decode(&[json!("!!!invalid!!!")]).is_ok());
    }

    #[test]
    fn base64_limits_and_types() {
        let ok = "a".repeat(10_000);
        let too_long = "a".repeat(10_001);
        assert!(base64_encode(&[json!(ok)]).is_ok());
        assert_eq!(
            base64_encode(&[json!(too_long)]).unwrap_err(),
            "Invalid arguments in States.Base64Encode"
        );
        assert!(base64_encode(&[json!(123)]).is_err());
        assert!(base64_decode(&[json!({})]).is_err());
    }

    #[test]
    fn hashes_from_the_developer_guide_and_recordings() {
        let h = |data: &str, alg: &str| hash(&[json!(data), json!(alg)]).unwrap();
        assert_eq!(
            h("input data", "MD5"),
            json!("812f45842bc6d66ee14572ce20db8e86")
        );
        assert_eq!(
            h("input data", "SHA-1"),
            json!("aaff4a450a104cd177d28d18d74485e8cae074b7")
        );
        assert_eq!(
            h("input data", "SHA-384"),
            json!(
                "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562"
            )
        );
        assert_eq!(
            h("hello", "SHA-256"),
            json!("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        );
        assert_eq!(
            h("hello", "SHA-512"),
            json!(
                "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043"
            )
        );
    }

    #[test]
    fn hash_rejects_bad_arguments() {
        assert!(hash(&[json!("data"), json!("sha-256")]).is_err());
        assert!(hash(&[json!("data"), json!("SHA256")]).is_err());
        assert!(hash(&[json!("data"), json!(123)]).is_err());
        assert!(hash(&[json!("a".repeat(10_001)), json!("MD5")]).is_err());
        assert!(hash(&[json!("a".repeat(10_000)), json!("MD5")]).is_ok());
        assert!(hash(&[json!(123), json!("MD5")]).is_ok());
    }
}
