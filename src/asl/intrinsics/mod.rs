//! Step Functions intrinsic functions (`States.Format`, `States.Array`, ...)
//! for JSONPath states.
//!
//! - [`parse_intrinsic`] parses a call such as
//!   `States.Format('Hello {}', $.name)`; syntax errors carry a position.
//! - [`validate`] reports what a validator can know statically: unknown
//!   names, arity, literal argument types and values, nesting depth.
//! - [`evaluate`] runs a call. Path arguments go through a [`PathResolver`]
//!   and randomness through an injected `RngCore`. Failures are
//!   [`IntrinsicError`]s with AWS's error name and cause.

mod ast;
mod eval;
mod fn_array;
mod fn_encoding;
mod fn_json;
mod fn_math;
mod fn_text;
mod java_text;
mod numbers;
mod parser;
mod signature;

pub use ast::{Arg, ArgKind, IntrinsicCall, IntrinsicSyntaxError, Span, StringLiteral};
pub use eval::{
    DocumentResolver, INTRINSIC_ERROR, IntrinsicError, PathResolver, ResolveError, evaluate,
};
pub use parser::parse_intrinsic;
pub use signature::{
    ArgType, HASH_ALGORITHMS, IntrinsicProblem, MAX_INPUT_CHARS, MAX_NESTING, MAX_RANGE_ITEMS,
    SIGNATURES, Signature, signature, validate,
};

/// Whether a `.$` value looks like an intrinsic function call rather than a
/// path: it starts with `States.` and ends with `)`. Use [`parse_intrinsic`]
/// to know whether it is a valid one.
pub fn is_intrinsic_call(text: &str) -> bool {
    text.starts_with("States.") && text.contains('(') && text.ends_with(')')
}

/// Parses and statically checks a call in one step: the syntax error, or
/// the call with its problems (empty when it is fine).
pub fn check_intrinsic(
    text: &str,
) -> Result<(IntrinsicCall, Vec<IntrinsicProblem>), IntrinsicSyntaxError> {
    let call = parse_intrinsic(text)?;
    let problems = validate(&call);
    Ok((call, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_intrinsic_calls() {
        assert!(is_intrinsic_call("States.Format('{}', $.a)"));
        assert!(is_intrinsic_call("States.UUID()"));
        assert!(!is_intrinsic_call("$.a"));
        assert!(!is_intrinsic_call(" States.Array()"));
        assert!(!is_intrinsic_call("States.Array"));
    }

    #[test]
    fn check_intrinsic_combines_parse_and_validate() {
        let (_, problems) = check_intrinsic("States.MathAdd(1, 2)").unwrap();
        assert!(problems.is_empty());
        let (_, problems) = check_intrinsic("States.Xyz($.result)").unwrap();
        assert_eq!(problems.len(), 1);
        assert!(check_intrinsic("States.Array(").is_err());
    }
}
