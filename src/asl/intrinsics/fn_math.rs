//! `States.MathAdd`, `States.MathRandom` and `States.UUID`.

use rand::{Rng, RngCore};
use serde_json::Value;

use super::fn_text::{FnResult, invalid};
use super::numbers::{JavaRandom, java_int, java_round};

/// Adds two integers. Fractions are rounded first (`Math.round`, so
/// `-1.5` → `-1`); operands and sum must fit a 32-bit integer.
pub(crate) fn math_add(args: &[Value]) -> FnResult {
    let name = "States.MathAdd";
    let operand = |i: usize| -> Result<i64, String> {
        match args.get(i) {
            Some(Value::Number(n)) => java_round(n)
                .filter(|v| i32::try_from(*v).is_ok())
                .ok_or_else(|| invalid(name)),
            _ => Err(invalid(name)),
        }
    };
    let sum = operand(0)? + operand(1)?;
    if i32::try_from(sum).is_err() {
        return Err(invalid(name));
    }
    Ok(Value::from(sum))
}

/// A random integer in `[start, end)`. Bounds are truncated to integers.
/// With a seed the result is what `new java.util.Random(seed)
/// .nextInt(end - start) + start` gives, so it is reproducible; without one
/// it comes from `rng`.
pub(crate) fn math_random(args: &[Value], rng: &mut dyn RngCore) -> FnResult {
    let name = "States.MathRandom";
    let bound = |i: usize| -> Result<i64, String> {
        match args.get(i) {
            Some(Value::Number(n)) => Ok(java_int(n)),
            _ => Err(invalid(name)),
        }
    };
    let start = bound(0)?;
    let end = bound(1)?;
    if start >= end {
        return Err(invalid(name));
    }
    let span = i32::try_from(end - start).map_err(|_| invalid(name))?;
    match args.get(2) {
        None => Ok(Value::from(rng.random_range(start..end))),
        Some(Value::Number(seed)) => {
            let seed = seed
                .as_i64()
                .or_else(|| seed.as_f64().map(|f| f as i64))
                .ok_or_else(|| invalid(name))?;
            let mut random = JavaRandom::new(seed);
            Ok(Value::from(
                start + i64::from(random.next_int_bounded(span)),
            ))
        }
        Some(_) => Err(invalid(name)),
    }
}

/// A version 4 UUID drawn from `rng`.
pub(crate) fn uuid(rng: &mut dyn RngCore) -> FnResult {
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes);
    let id = uuid::Builder::from_random_bytes(bytes).into_uuid();
    Ok(Value::String(id.hyphenated().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use serde_json::json;

    #[test]
    fn math_add_examples_and_rounding() {
        let add = |a: Value, b: Value| math_add(&[a, b]);
        assert_eq!(add(json!(111), json!(-1)).unwrap(), json!(110));
        assert_eq!(add(json!(1.49), json!(1.5)).unwrap(), json!(3));
        assert_eq!(add(json!(-1.5), json!(0)).unwrap(), json!(-1));
        assert_eq!(add(json!(-2.5), json!(0)).unwrap(), json!(-2));
        assert_eq!(add(json!(1.5), json!(1.51)).unwrap(), json!(4));
        assert_eq!(add(json!(-1.49), json!(-1.5)).unwrap(), json!(-2));
        assert_eq!(add(json!(2147483646), json!(1)).unwrap(), json!(2147483647));
        assert!(add(json!(2147483647), json!(1)).is_err());
        assert!(add(json!(-2147483648), json!(-1)).is_err());
        assert!(add(json!(3000000000u64), json!(1)).is_err());
        assert!(add(json!("1"), json!(2)).is_err());
        assert!(add(json!(null), json!(2)).is_err());
        assert!(add(json!(true), json!(2)).is_err());
    }

    #[test]
    fn math_random_ranges_and_seeds() {
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..200 {
            let v = math_random(&[json!(1), json!(999)], &mut rng).unwrap();
            let v = v.as_i64().unwrap();
            assert!((1..999).contains(&v));
        }
        let seeded = math_random(&[json!(-5), json!(5), json!(42)], &mut rng).unwrap();
        assert_eq!(seeded, json!(-5));
        let again = math_random(&[json!(-5), json!(5), json!(42)], &mut rng).unwrap();
        assert_eq!(seeded, again);
        assert_eq!(
            math_random(&[json!(1.6), json!(2.4)], &mut rng).unwrap(),
            json!(1)
        );
        assert!(math_random(&[json!(1.4), json!(1.6)], &mut rng).is_err());
        assert!(math_random(&[json!(10), json!(5)], &mut rng).is_err());
        assert!(math_random(&[json!("a"), json!(10)], &mut rng).is_err());
        assert!(math_random(&[json!(1), json!(10), json!(null)], &mut rng).is_err());
        assert!(math_random(&[json!(1), json!(10), json!("seed")], &mut rng).is_err());
    }

    #[test]
    fn uuid_is_version_4_and_reproducible_with_a_seeded_rng() {
        let a = uuid(&mut StdRng::seed_from_u64(7)).unwrap();
        let b = uuid(&mut StdRng::seed_from_u64(7)).unwrap();
        assert_eq!(a, b);
        let text = a.as_str().unwrap();
        assert_eq!(text.len(), 36);
        assert_eq!(text.as_bytes()[14], b'4');
        assert!(matches!(text.as_bytes()[19], b'8' | b'9' | b'a' | b'b'));
    }
}
