//! The intrinsic functions' signatures and the static checks a validator
//! can make without running anything.

use serde_json::Number;

use super::ast::{Arg, ArgKind, IntrinsicCall, Span};
use super::fn_text::parse_template;
use super::java_text::java_length;
use super::numbers::{java_int, java_round};

/// Kinds of values a parameter takes or a function returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgType {
    Any,
    String,
    Number,
    Bool,
    Array,
    Object,
}

impl ArgType {
    fn describe(self) -> &'static str {
        match self {
            ArgType::Any => "any value",
            ArgType::String => "a string",
            ArgType::Number => "a number",
            ArgType::Bool => "a boolean",
            ArgType::Array => "an array",
            ArgType::Object => "a JSON object",
        }
    }
}

/// One intrinsic function's signature.
#[derive(Debug, Clone, Copy)]
pub struct Signature {
    pub name: &'static str,
    pub params: &'static [ArgType],
    /// How many trailing parameters may be left out.
    pub optional: usize,
    /// Type of any further arguments (`States.Format`, `States.Array`).
    pub variadic: Option<ArgType>,
    pub returns: ArgType,
}

impl Signature {
    pub fn min_args(&self) -> usize {
        self.params.len() - self.optional
    }

    /// `None` when the function takes any number of arguments.
    pub fn max_args(&self) -> Option<usize> {
        match self.variadic {
            Some(_) => None,
            None => Some(self.params.len()),
        }
    }

    fn param(&self, index: usize) -> ArgType {
        self.params
            .get(index)
            .copied()
            .or(self.variadic)
            .unwrap_or(ArgType::Any)
    }
}

const fn sig(
    name: &'static str,
    params: &'static [ArgType],
    optional: usize,
    variadic: Option<ArgType>,
    returns: ArgType,
) -> Signature {
    Signature {
        name,
        params,
        optional,
        variadic,
        returns,
    }
}

use ArgType::{Any, Array, Number as Num, Object, String as Str};

/// Every intrinsic function Step Functions offers.
pub const SIGNATURES: [Signature; 18] = [
    sig("States.Format", &[Str], 0, Some(Any), Str),
    sig("States.StringToJson", &[Str], 0, None, Any),
    sig("States.JsonToString", &[Any], 0, None, Str),
    sig("States.Array", &[], 0, Some(Any), Array),
    sig("States.ArrayPartition", &[Array, Num], 0, None, Array),
    sig(
        "States.ArrayContains",
        &[Array, Any],
        0,
        None,
        ArgType::Bool,
    ),
    sig("States.ArrayRange", &[Num, Num, Num], 0, None, Array),
    sig("States.ArrayGetItem", &[Array, Num], 0, None, Any),
    sig("States.ArrayLength", &[Array], 0, None, Num),
    sig("States.ArrayUnique", &[Array], 0, None, Array),
    sig("States.Base64Encode", &[Str], 0, None, Str),
    sig("States.Base64Decode", &[Str], 0, None, Str),
    sig("States.Hash", &[Any, Str], 0, None, Str),
    sig("States.JsonMerge", &[Object, Object, Any], 0, None, Object),
    sig("States.MathRandom", &[Num, Num, Num], 1, None, Num),
    sig("States.MathAdd", &[Num, Num], 0, None, Num),
    sig("States.StringSplit", &[Str, Str], 0, None, Array),
    sig("States.UUID", &[], 0, None, Str),
];

/// The signature of `name` (e.g. `States.Format`), if it is a known function.
pub fn signature(name: &str) -> Option<&'static Signature> {
    SIGNATURES.iter().find(|s| s.name == name)
}

/// Deepest nesting of intrinsic calls AWS accepts in one field.
pub const MAX_NESTING: usize = 10;

/// Hash algorithms `States.Hash` accepts, spelled exactly so.
pub const HASH_ALGORITHMS: [&str; 5] = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"];

/// Longest input of `States.Base64Encode`, `States.Base64Decode` and
/// `States.Hash`, in characters.
pub const MAX_INPUT_CHARS: usize = 10_000;

/// Most items `States.ArrayRange` may produce.
pub const MAX_RANGE_ITEMS: i64 = 1000;

/// A problem found by [`validate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntrinsicProblem {
    pub message: String,
    /// The call or argument concerned, in characters of the parsed text.
    pub span: Span,
}

/// Static checks of a parsed call and its nested calls: known names, arity,
/// literal argument types and values, nesting depth.
pub fn validate(call: &IntrinsicCall) -> Vec<IntrinsicProblem> {
    let mut problems = Vec::new();
    check_call(call, 1, &mut problems);
    problems
}

fn problem(problems: &mut Vec<IntrinsicProblem>, span: Span, message: String) {
    problems.push(IntrinsicProblem { message, span });
}

fn check_call(call: &IntrinsicCall, depth: usize, problems: &mut Vec<IntrinsicProblem>) {
    if depth == MAX_NESTING + 1 {
        problem(
            problems,
            call.span,
            format!("Intrinsic functions can be nested at most {MAX_NESTING} deep in one field"),
        );
    }
    for arg in &call.args {
        if let ArgKind::Call(inner) = &arg.kind {
            check_call(inner, depth + 1, problems);
        }
    }
    let Some(sig) = signature(&call.name) else {
        let known: Vec<&str> = SIGNATURES.iter().map(|s| s.name).collect();
        problem(
            problems,
            call.span,
            format!(
                "Unknown intrinsic function '{}'. Known functions: {}",
                call.name,
                known.join(", ")
            ),
        );
        return;
    };
    let count = call.args.len();
    let arity_ok = count >= sig.min_args() && sig.max_args().is_none_or(|max| count <= max);
    if !arity_ok {
        let expected = match sig.max_args() {
            None => format!("at least {}", sig.min_args()),
            Some(max) if max == sig.min_args() => max.to_string(),
            Some(max) => format!("{} to {}", sig.min_args(), max),
        };
        problem(
            problems,
            call.span,
            format!(
                "{} takes {expected} argument{} but {count} {} given",
                sig.name,
                if sig.max_args().unwrap_or(sig.min_args()) == 1 {
                    ""
                } else {
                    "s"
                },
                if count == 1 { "was" } else { "were" }
            ),
        );
    }
    for (i, arg) in call.args.iter().enumerate() {
        let expected = sig.param(i);
        if let Some(found) = known_type(arg) {
            let compatible = expected == ArgType::Any || Some(expected) == found;
            if !compatible {
                problem(
                    problems,
                    arg.span,
                    format!(
                        "Argument {} of {} must be {}, but it is {}",
                        i + 1,
                        sig.name,
                        expected.describe(),
                        describe_arg(arg)
                    ),
                );
            }
        }
    }
    check_values(call, problems);
}

/// The type of an argument when it can be known before running; the outer
/// `None` means unknown (a path, or a call returning any value), the inner
/// `None` is `null`.
fn known_type(arg: &Arg) -> Option<Option<ArgType>> {
    match &arg.kind {
        ArgKind::String(_) => Some(Some(ArgType::String)),
        ArgKind::Number(_) => Some(Some(ArgType::Number)),
        ArgKind::Bool(_) => Some(Some(ArgType::Bool)),
        ArgKind::Null => Some(None),
        ArgKind::Path(_) => None,
        ArgKind::Call(inner) => match signature(&inner.name).map(|s| s.returns) {
            Some(ArgType::Any) | None => None,
            Some(t) => Some(Some(t)),
        },
    }
}

fn describe_arg(arg: &Arg) -> String {
    match &arg.kind {
        ArgKind::String(_) => "a string literal".to_string(),
        ArgKind::Number(_) => "a number".to_string(),
        ArgKind::Bool(_) => "a boolean".to_string(),
        ArgKind::Null => "null".to_string(),
        ArgKind::Path(_) => "a path".to_string(),
        ArgKind::Call(inner) => match signature(&inner.name) {
            Some(s) => format!("the result of {} ({})", inner.name, s.returns.describe()),
            None => format!("the result of {}", inner.name),
        },
    }
}

fn literal_number(arg: Option<&Arg>) -> Option<&Number> {
    match arg.map(|a| &a.kind) {
        Some(ArgKind::Number(n)) => Some(n),
        _ => None,
    }
}

fn literal_string(arg: Option<&Arg>) -> Option<&str> {
    match arg.map(|a| &a.kind) {
        Some(ArgKind::String(s)) => Some(s.value.as_str()),
        _ => None,
    }
}

/// Checks of literal values that would fail at run time.
fn check_values(call: &IntrinsicCall, problems: &mut Vec<IntrinsicProblem>) {
    let args = &call.args;
    let span_of = |i: usize| args.get(i).map(|a| a.span).unwrap_or(call.span);
    match call.name.as_str() {
        "States.Format" => {
            if let Some(ArgKind::String(template)) = args.first().map(|a| &a.kind) {
                match parse_template(&template.raw) {
                    Ok(pieces) => {
                        let holes = pieces.iter().filter(|p| p.is_none()).count();
                        if holes != args.len() - 1 {
                            problem(
                                problems,
                                call.span,
                                format!(
                                    "States.Format has {holes} '{{}}' placeholder{} but {} value argument{}",
                                    if holes == 1 { "" } else { "s" },
                                    args.len() - 1,
                                    if args.len() == 2 { "" } else { "s" }
                                ),
                            );
                        }
                    }
                    Err(message) => problem(problems, span_of(0), message),
                }
            }
        }
        "States.Hash" => {
            if let Some(algorithm) = literal_string(args.get(1))
                && !HASH_ALGORITHMS.contains(&algorithm)
            {
                problem(
                    problems,
                    span_of(1),
                    format!(
                        "Unsupported hash algorithm '{algorithm}'; use one of {}",
                        HASH_ALGORITHMS.join(", ")
                    ),
                );
            }
            check_length(args.first(), call, problems);
        }
        "States.Base64Encode" | "States.Base64Decode" => check_length(args.first(), call, problems),
        "States.JsonMerge" => {
            if let Some(ArgKind::Bool(true)) = args.get(2).map(|a| &a.kind) {
                problem(
                    problems,
                    span_of(2),
                    "States.JsonMerge only supports shallow merges: the third argument must be false"
                        .to_string(),
                );
            }
        }
        "States.ArrayPartition" => {
            if let Some(n) = literal_number(args.get(1))
                && java_int(n) < 1
            {
                problem(
                    problems,
                    span_of(1),
                    "The chunk size of States.ArrayPartition must be a positive integer"
                        .to_string(),
                );
            }
        }
        "States.ArrayGetItem" => {
            if let Some(n) = literal_number(args.get(1))
                && java_int(n) < 0
            {
                problem(
                    problems,
                    span_of(1),
                    "The index of States.ArrayGetItem must not be negative".to_string(),
                );
            }
        }
        "States.ArrayRange" => {
            let step = literal_number(args.get(2)).map(java_int);
            if step == Some(0) {
                problem(
                    problems,
                    span_of(2),
                    "The step of States.ArrayRange must not be zero".to_string(),
                );
            }
            if let (Some(start), Some(end), Some(step)) = (
                literal_number(args.first()).map(java_int),
                literal_number(args.get(1)).map(java_int),
                step,
            ) && super::fn_array::range_len(start, end, step) > MAX_RANGE_ITEMS
            {
                problem(
                    problems,
                    call.span,
                    format!("States.ArrayRange would produce more than {MAX_RANGE_ITEMS} items"),
                );
            }
        }
        "States.MathRandom" => {
            if let (Some(start), Some(end)) = (
                literal_number(args.first()).map(java_int),
                literal_number(args.get(1)).map(java_int),
            ) && start >= end
            {
                problem(
                    problems,
                    call.span,
                    "The start of States.MathRandom must be less than its end".to_string(),
                );
            }
        }
        "States.MathAdd" => {
            for i in 0..2 {
                if let Some(n) = literal_number(args.get(i))
                    && java_round(n).is_none_or(|v| i32::try_from(v).is_err())
                {
                    problem(
                        problems,
                        span_of(i),
                        "States.MathAdd only accepts integers between -2147483648 and 2147483647"
                            .to_string(),
                    );
                }
            }
        }
        _ => {}
    }
}

fn check_length(arg: Option<&Arg>, call: &IntrinsicCall, problems: &mut Vec<IntrinsicProblem>) {
    if let Some(ArgKind::String(s)) = arg.map(|a| &a.kind)
        && java_length(&s.value) > MAX_INPUT_CHARS
    {
        problem(
            problems,
            arg.map(|a| a.span).unwrap_or(call.span),
            format!(
                "The input of {} must not exceed {MAX_INPUT_CHARS} characters",
                call.name
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_intrinsic;
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        let call = parse_intrinsic(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        validate(&call).into_iter().map(|p| p.message).collect()
    }

    #[test]
    fn valid_calls_have_no_problems() {
        for text in [
            "States.Format('Hello {}, welcome to {}!', $.name, $.place)",
            "States.Format('no placeholders')",
            "States.Format($.template, $.name)",
            "States.Array()",
            "States.Array('Foo', 2020, $.someJson, null)",
            "States.ArrayPartition($.inputArray,4)",
            "States.ArrayRange(1, 9, 2)",
            "States.Hash($.Data, 'SHA-256')",
            "States.JsonMerge($.json1, $.json2, false)",
            "States.MathRandom($.start, $.end)",
            "States.MathRandom(1, 999, 42)",
            "States.MathAdd($.value1, -1)",
            "States.UUID()",
            "States.StringToJson(States.JsonToString($.x))",
            "States.ArrayGetItem(States.StringSplit($.s, ','), 0)",
        ] {
            assert!(problems(text).is_empty(), "{text}: {:?}", problems(text));
        }
    }

    #[test]
    fn unknown_names_and_arity() {
        assert!(
            problems("States.Xyz($.result)")[0]
                .starts_with("Unknown intrinsic function 'States.Xyz'")
        );
        assert_eq!(
            problems("States.MathAdd(1)"),
            ["States.MathAdd takes 2 arguments but 1 was given"]
        );
        assert_eq!(
            problems("States.UUID(1)"),
            ["States.UUID takes 0 arguments but 1 was given"]
        );
        assert_eq!(
            problems("States.Format()"),
            ["States.Format takes at least 1 argument but 0 were given"]
        );
        assert_eq!(
            problems("States.MathRandom(1, 2, 3, 4)"),
            ["States.MathRandom takes 2 to 3 arguments but 4 were given"]
        );
    }

    #[test]
    fn literal_types() {
        assert_eq!(
            problems("States.MathAdd('a', 1)"),
            ["Argument 1 of States.MathAdd must be a number, but it is a string literal"]
        );
        assert_eq!(
            problems("States.ArrayLength(States.Format('x'))"),
            [
                "Argument 1 of States.ArrayLength must be an array, but it is the result of States.Format (a string)"
            ]
        );
        assert_eq!(
            problems("States.StringSplit(null, ',')"),
            ["Argument 1 of States.StringSplit must be a string, but it is null"]
        );
    }

    #[test]
    fn literal_values() {
        assert_eq!(problems("States.Format('{} {}', $.a)").len(), 1);
        assert_eq!(problems("States.Format('{}', $.a, $.b)").len(), 1);
        assert_eq!(problems("States.Format('Hello {', $.a)").len(), 1);
        assert!(problems(r"States.Format('\{literal\} {}', $.a)").is_empty());
        assert_eq!(problems("States.Hash($.a, 'sha-256')").len(), 1);
        assert_eq!(problems("States.JsonMerge($.a, $.b, true)").len(), 1);
        assert_eq!(problems("States.ArrayPartition($.a, 0)").len(), 1);
        assert_eq!(problems("States.ArrayGetItem($.a, -1)").len(), 1);
        assert_eq!(problems("States.ArrayRange(1, 10, 0)").len(), 1);
        assert_eq!(problems("States.ArrayRange(1, 1001, 1)").len(), 1);
        assert!(problems("States.ArrayRange(1, 1000, 1)").is_empty());
        assert_eq!(problems("States.MathRandom(5, 5)").len(), 1);
        assert_eq!(problems("States.MathAdd(3000000000, 1)").len(), 1);
        let long = format!("States.Base64Encode('{}')", "a".repeat(10_001));
        assert_eq!(problems(&long).len(), 1);
    }

    #[test]
    fn nesting_limit() {
        let ok = "States.Array(".repeat(10) + &")".repeat(10);
        assert!(problems(&ok).is_empty());
        let too_deep = "States.Array(".repeat(11) + &")".repeat(11);
        assert_eq!(problems(&too_deep).len(), 1);
    }
}
