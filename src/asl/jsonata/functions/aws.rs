//! Functions AWS Step Functions adds to JSONata: `$partition $range $hash $random $uuid
//! $parse`.  Behaviour follows the Step Functions developer guide; where the guide is
//! silent (exact error texts) the errors use codes D3150-D3155 with explicit messages.

use rand::{Rng, SeedableRng};
use sha1::Digest;

use super::super::error::{ErrorExt, EvalResult, err};
use super::super::evaluator::Evaluator;
use super::super::value::{Value, from_json};
use super::{NativeCx, arg};

/// Largest array `$range` will build (States.ArrayRange's documented limit).
const MAX_RANGE_ITEMS: f64 = 1000.0;

fn is_integer(n: f64) -> bool {
    n.is_finite() && n.fract() == 0.0
}

pub(super) fn partition(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let items = match arg(args, 0) {
        Value::Array(a) => a.items.clone(),
        Value::Undefined => return Ok(Value::Undefined),
        other => vec![other.clone()],
    };
    let size = arg(args, 1).as_number().unwrap_or(f64::NAN);
    if !is_integer(size) || size < 1.0 {
        return Err(err("D3150")
            .with_message("The chunk size argument of $partition must be a positive integer"));
    }
    let chunks = items
        .chunks(size as usize)
        .map(|c| Value::array(c.to_vec()))
        .collect();
    Ok(Value::array(chunks))
}

pub(super) fn range(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let start = arg(args, 0).as_number().unwrap_or(f64::NAN);
    let end = arg(args, 1).as_number().unwrap_or(f64::NAN);
    let step = arg(args, 2).as_number().unwrap_or(f64::NAN);
    if !is_integer(start) || !is_integer(end) || !is_integer(step) {
        return Err(err("D3151").with_message("The arguments of $range must be integers"));
    }
    if step == 0.0 {
        return Err(err("D3151").with_message("The step argument of $range must not be zero"));
    }
    let count = ((end - start) / step).floor() + 1.0;
    if count > MAX_RANGE_ITEMS {
        return Err(err("D3151").with_message(format!(
            "$range would produce {count} items; at most {MAX_RANGE_ITEMS} are allowed"
        )));
    }
    let items = (0..count.max(0.0) as i64)
        .map(|i| Value::Number(start + step * i as f64))
        .collect();
    Ok(Value::array(items))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(super) fn hash(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let Value::String(data) = arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let algorithm = match arg(args, 1) {
        Value::String(a) => a.to_string(),
        Value::Undefined => "SHA-256".to_string(),
        _ => String::new(),
    };
    let bytes = data.as_bytes();
    let digest = match algorithm.as_str() {
        "MD5" => hex(&md5::Md5::digest(bytes)),
        "SHA-1" => hex(&sha1::Sha1::digest(bytes)),
        "SHA-256" => hex(&sha2::Sha256::digest(bytes)),
        "SHA-384" => hex(&sha2::Sha384::digest(bytes)),
        "SHA-512" => hex(&sha2::Sha512::digest(bytes)),
        other => {
            return Err(err("D3152").with_message(format!(
                "Unsupported hash algorithm '{other}'; expected one of MD5, SHA-1, SHA-256, SHA-384, SHA-512"
            )));
        }
    };
    Ok(Value::string(digest))
}

pub(super) fn random(ev: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    match arg(args, 0) {
        Value::Number(seed) => {
            // Same seed, same value (the Step Functions guarantee; not AWS's sequence).
            let seed = if is_integer(*seed) {
                *seed as i64 as u64
            } else {
                seed.to_bits()
            };
            let mut seeded = rand::rngs::StdRng::seed_from_u64(seed);
            Ok(Value::Number(seeded.random::<f64>()))
        }
        _ => Ok(Value::Number(ev.rng.random::<f64>())),
    }
}

pub(super) fn uuid(ev: &mut Evaluator, _: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let mut bytes = [0u8; 16];
    ev.rng.fill_bytes(&mut bytes);
    let id = uuid::Builder::from_random_bytes(bytes).into_uuid();
    Ok(Value::string(id.hyphenated().to_string()))
}

pub(super) fn parse(_: &mut Evaluator, args: &[Value], _: &NativeCx) -> EvalResult<Value> {
    let Value::String(text) = arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(json) => Ok(from_json(&json)),
        Err(e) => {
            Err(err("D3154").with_message(format!("The argument of $parse is not valid JSON: {e}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_match_known_vectors() {
        assert_eq!(
            hex(&md5::Md5::digest(b"abc")),
            "900150983cd24fb0d6963f7d28e17f72"
        );
        assert_eq!(
            hex(&sha2::Sha256::digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
