//! Java number conversions AWS applies to intrinsic arguments, and Java's
//! `java.util.Random` so seeded `States.MathRandom` is reproducible.

use serde_json::Number;

/// Java's `(int)` conversion as Jackson's `asInt()` applies it: doubles are
/// truncated toward zero and saturate, longs wrap. AWS truncates fractional
/// arguments of ArrayRange, ArrayPartition, ArrayGetItem and MathRandom.
pub(crate) fn java_int(n: &Number) -> i64 {
    if let Some(i) = n.as_i64() {
        return i64::from(i as i32);
    }
    if let Some(u) = n.as_u64() {
        return i64::from(u as i32);
    }
    n.as_f64().map(|f| i64::from(f as i32)).unwrap_or(0)
}

/// Java's `Math.round`: to the nearest integer, halves rounded up
/// (`-2.5` → `-2`). `None` for values a `long` cannot hold.
pub(crate) fn java_round(n: &Number) -> Option<i64> {
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    if n.as_u64().is_some() {
        return None;
    }
    let f = n.as_f64()?;
    if !f.is_finite() {
        return None;
    }
    let floor = f.floor();
    let rounded = if f - floor >= 0.5 { floor + 1.0 } else { floor };
    if !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&rounded) {
        return None;
    }
    Some(rounded as i64)
}

/// A port of `java.util.Random` (48-bit linear congruential generator).
pub(crate) struct JavaRandom {
    seed: i64,
}

const MULTIPLIER: i64 = 0x5_DEEC_E66D;
const ADDEND: i64 = 0xB;
const MASK: i64 = (1 << 48) - 1;

impl JavaRandom {
    pub(crate) fn new(seed: i64) -> Self {
        Self {
            seed: (seed ^ MULTIPLIER) & MASK,
        }
    }

    fn next(&mut self, bits: u32) -> i32 {
        self.seed = (self.seed.wrapping_mul(MULTIPLIER).wrapping_add(ADDEND)) & MASK;
        (self.seed >> (48 - bits)) as i32
    }

    /// `nextInt()`.
    #[cfg(test)]
    pub(crate) fn next_int(&mut self) -> i32 {
        self.next(32)
    }

    /// `nextInt(bound)`; `bound` must be positive.
    pub(crate) fn next_int_bounded(&mut self, bound: i32) -> i32 {
        if bound <= 0 {
            return 0;
        }
        if bound & bound.wrapping_neg() == bound {
            return ((i64::from(bound) * i64::from(self.next(31))) >> 31) as i32;
        }
        loop {
            let bits = self.next(31);
            let val = bits % bound;
            if bits.wrapping_sub(val).wrapping_add(bound - 1) >= 0 {
                return val;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn num(v: serde_json::Value) -> Number {
        match v {
            serde_json::Value::Number(n) => n,
            other => panic!("{other}"),
        }
    }

    #[test]
    fn truncation_like_java_int_casts() {
        assert_eq!(java_int(&num(json!(2.6))), 2);
        assert_eq!(java_int(&num(json!(-0.6))), 0);
        assert_eq!(java_int(&num(json!(-2.4))), -2);
        assert_eq!(java_int(&num(json!(1e20))), i64::from(i32::MAX));
        assert_eq!(java_int(&num(json!(7))), 7);
    }

    #[test]
    fn rounding_like_math_round() {
        let cases = [
            (json!(1.5), 2),
            (json!(2.5), 3),
            (json!(-1.5), -1),
            (json!(-2.5), -2),
            (json!(-1.51), -2),
            (json!(1.49), 1),
            (json!(0.49999999999999994), 0),
            (json!(-7), -7),
        ];
        for (value, expected) in cases {
            assert_eq!(java_round(&num(value.clone())), Some(expected), "{value}");
        }
    }

    #[test]
    fn java_random_sequence() {
        // Values of `new java.util.Random(42)`.
        let mut r = JavaRandom::new(42);
        assert_eq!(r.next_int(), -1170105035);
        assert_eq!(r.next_int(), 234785527);
        assert_eq!(JavaRandom::new(42).next_int_bounded(10), 0);
        assert_eq!(JavaRandom::new(0).next_int(), -1155484576);
        let mut r = JavaRandom::new(7);
        for _ in 0..100 {
            let v = r.next_int_bounded(16);
            assert!((0..16).contains(&v));
        }
    }
}
