//! Intrinsic functions as JSONata. Where the intrinsic rounds, truncates or splits
//! differently from the obvious JSONata function, the conversion spells that out
//! (`States.MathAdd` rounds half up, `States.StringSplit` splits on any delimiter character
//! and drops empty tokens) so that results stay identical.

use serde_json::Value;

use super::doc::{self, Doc};
use super::expr::{self, ADD, COMPARE, CONDITION, Expr, MUL, Ty};
use super::{ConvertError, Cx};
use crate::asl::intrinsics::{Arg, ArgKind, IntrinsicCall};

/// The JSONata form of `call`, with paths reading `base`.
pub(super) fn convert(
    call: &IntrinsicCall,
    base: &Doc,
    cx: &mut Cx,
    at: &str,
) -> Result<Expr, ConvertError> {
    let args: Vec<Expr> = call
        .args
        .iter()
        .map(|a| argument(a, base, cx, at))
        .collect::<Result<_, _>>()?;
    let arity = |min: usize, max: usize| -> Result<(), ConvertError> {
        if (min..=max).contains(&args.len()) {
            Ok(())
        } else {
            Err(invalid(call, at, "wrong number of arguments"))
        }
    };
    let arg = |i: usize| {
        args.get(i)
            .cloned()
            .ok_or_else(|| invalid(call, at, "missing argument"))
    };
    let one = |name: &str, ty: Ty| -> Result<Expr, ConvertError> {
        arity(1, 1)?;
        Ok(expr::call(name, &[arg(0)?], ty))
    };
    Ok(match call.name.as_str() {
        "States.Format" => {
            arity(1, usize::MAX)?;
            format(call, &args, cx, at)?
        }
        "States.StringToJson" => one("parse", Ty::Unknown)?,
        "States.JsonToString" => one("string", Ty::String)?,
        "States.Array" => expr::array(&args),
        "States.ArrayPartition" => {
            arity(2, 2)?;
            expr::call("partition", &[arg(0)?, arg(1)?], Ty::Array)
        }
        "States.ArrayContains" => {
            arity(2, 2)?;
            contains(&arg(0)?, &arg(1)?)
        }
        "States.ArrayRange" => {
            arity(3, 3)?;
            expr::call("range", &[arg(0)?, arg(1)?, arg(2)?], Ty::Array)
        }
        "States.ArrayGetItem" => {
            arity(2, 2)?;
            let (array, index) = (arg(0)?, arg(1)?);
            Expr::atom(format!("{}[{}]", array.as_base(), index.text), Ty::Unknown)
        }
        "States.ArrayLength" => one("count", Ty::Number)?,
        "States.ArrayUnique" => one("distinct", Ty::Array)?,
        "States.Base64Encode" => one("base64encode", Ty::String)?,
        "States.Base64Decode" => one("base64decode", Ty::String)?,
        "States.Hash" => {
            arity(2, 2)?;
            expr::call("hash", &[arg(0)?, arg(1)?], Ty::String)
        }
        "States.JsonMerge" => {
            arity(3, 3)?;
            if !matches!(
                call.args.get(2).map(|a| &a.kind),
                Some(ArgKind::Bool(false))
            ) {
                cx.note(
                    at,
                    "States.JsonMerge fails unless its third argument is false; $merge always merges shallowly",
                );
            }
            let pair = Expr::atom(format!("[{}, {}]", arg(0)?.text, arg(1)?.text), Ty::Array);
            expr::call("merge", &[pair], Ty::Object)
        }
        "States.MathRandom" => {
            arity(2, 3)?;
            random(&arg(0)?, &arg(1)?, args.get(2))
        }
        "States.MathAdd" => {
            arity(2, 2)?;
            add(&call.args, &args)?
        }
        "States.StringSplit" => {
            arity(2, 2)?;
            split(call, &arg(0)?, &arg(1)?, at)?
        }
        "States.UUID" => {
            arity(0, 0)?;
            expr::call("uuid", &[], Ty::String)
        }
        _ => return Err(invalid(call, at, "unknown intrinsic function")),
    })
}

fn invalid(call: &IntrinsicCall, at: &str, message: &str) -> ConvertError {
    ConvertError::InvalidIntrinsic {
        pointer: at.to_string(),
        text: call.source.clone(),
        message: message.to_string(),
    }
}

fn argument(arg: &Arg, base: &Doc, cx: &mut Cx, at: &str) -> Result<Expr, ConvertError> {
    Ok(match &arg.kind {
        ArgKind::String(s) => expr::string(&s.value),
        ArgKind::Number(n) => expr::literal(&Value::Number(n.clone())),
        ArgKind::Bool(b) => expr::literal(&Value::Bool(*b)),
        ArgKind::Null => expr::literal(&Value::Null),
        ArgKind::Path(path) => doc::read(base, path, cx, at).render(),
        ArgKind::Call(inner) => convert(inner, base, cx, at)?,
    })
}

/// `States.Format`: the template's text and arguments joined with `&` (which writes
/// numbers, booleans and null as `States.Format` does).
fn format(
    call: &IntrinsicCall,
    args: &[Expr],
    cx: &mut Cx,
    at: &str,
) -> Result<Expr, ConvertError> {
    let Some(ArgKind::String(template)) = call.args.first().map(|a| &a.kind) else {
        cx.note(
            at,
            "States.Format with a template read from a path: placeholders are replaced in order, but escaped braces are not recognised",
        );
        let template = args
            .first()
            .cloned()
            .ok_or_else(|| invalid(call, at, "missing template"))?;
        let rest: Vec<Expr> = args.iter().skip(1).cloned().collect();
        let used: Vec<&str> = args.iter().map(|a| a.text.as_str()).collect();
        let (acc, v) = (
            expr::fresh_variable("text", &used),
            expr::fresh_variable("v", &used),
        );
        return Ok(Expr::atom(
            format!(
                "$reduce({}, function({acc}, {v}) {{ $replace({acc}, '{{}}', $string({v}), 1) }}, {})",
                expr::array(&rest).text,
                template.text
            ),
            Ty::String,
        ));
    };
    let pieces = split_template(&template.raw)
        .ok_or_else(|| invalid(call, at, "a brace in the template is not part of {}"))?;
    // Literal arguments join the text around them: `Format('Hi {}', 'you')` is 'Hi you'.
    let mut parts: Vec<Part> = Vec::new();
    let mut next_arg = call.args.iter().zip(args).skip(1);
    for piece in pieces {
        let part = match piece {
            Piece::Text(text) => Part::Text(text),
            Piece::Placeholder => match next_arg.next() {
                Some((
                    Arg {
                        kind: ArgKind::String(s),
                        ..
                    },
                    _,
                )) => Part::Text(s.value.clone()),
                Some((_, arg)) => Part::Value(arg.clone()),
                None => return Err(invalid(call, at, "more placeholders than arguments")),
            },
        };
        match (parts.last_mut(), part) {
            (Some(Part::Text(previous)), Part::Text(text)) => previous.push_str(&text),
            (_, part) => parts.push(part),
        }
    }
    if next_arg.next().is_some() {
        return Err(invalid(call, at, "more arguments than placeholders"));
    }
    let parts: Vec<Expr> = parts
        .into_iter()
        .filter_map(|part| match part {
            Part::Text(text) if text.is_empty() => None,
            Part::Text(text) => Some(expr::string(&text)),
            Part::Value(value) => Some(value),
        })
        .collect();
    Ok(match parts.as_slice() {
        [] => expr::string(""),
        [only] if only.ty == Ty::String => only.clone(),
        [only] => expr::call("string", std::slice::from_ref(only), Ty::String),
        [first, rest @ ..] => rest.iter().fold(first.clone(), |acc, part| {
            expr::binary(&acc, "&", part, ADD, Ty::String)
        }),
    })
}

/// A piece of the formatted text: known text, or a value to write.
enum Part {
    Text(String),
    Value(Expr),
}

enum Piece {
    Text(String),
    Placeholder,
}

/// Splits a Format template (as written, escapes included) at its `{}` placeholders;
/// `None` for a lone brace, which `States.Format` rejects.
fn split_template(raw: &str) -> Option<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(escaped) => text.push(escaped),
                None => text.push('\\'),
            },
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                pieces.push(Piece::Text(std::mem::take(&mut text)));
                pieces.push(Piece::Placeholder);
            }
            '{' | '}' => return None,
            other => text.push(other),
        }
    }
    pieces.push(Piece::Text(text));
    Some(pieces)
}

/// `States.ArrayContains`: `in` for a literal, a deep comparison for anything else (`in`
/// compares arrays and objects by identity).
fn contains(array: &Expr, value: &Expr) -> Expr {
    if value.is_literal() {
        return expr::binary(value, "in", array, COMPARE, Ty::Bool);
    }
    let v = expr::fresh_variable("v", &[&array.text, &value.text]);
    Expr::atom(
        format!(
            "$exists($filter({}, function({v}) {{ {v} = {} }}))",
            array.text,
            value.operand(COMPARE + 1)
        ),
        Ty::Bool,
    )
}

/// `States.MathRandom(start, end[, seed])`: an integer in `[start, end)`.
fn random(start: &Expr, end: &Expr, seed: Option<&Expr>) -> Expr {
    let draw = expr::call(
        "random",
        &seed.cloned().into_iter().collect::<Vec<_>>(),
        Ty::Number,
    );
    let span = match (integer(start), integer(end)) {
        (Some(s), Some(e)) => Expr::atom(e.saturating_sub(s).to_string(), Ty::Number),
        _ => expr::binary(end, "-", start, ADD, Ty::Number),
    };
    let scaled = expr::binary(&draw, "*", &span, MUL, Ty::Number);
    let floor = expr::call("floor", &[scaled], Ty::Number);
    match integer(start) {
        Some(0) => floor,
        Some(s) if s < 0 => expr::binary(
            &floor,
            "-",
            &Expr::atom(s.unsigned_abs().to_string(), Ty::Number),
            ADD,
            Ty::Number,
        ),
        _ => expr::binary(&floor, "+", start, ADD, Ty::Number),
    }
}

fn integer(e: &Expr) -> Option<i64> {
    if e.ty == Ty::Number && e.is_literal() {
        e.text.parse().ok()
    } else {
        None
    }
}

/// `States.MathAdd`: each operand rounded half up (`Math.round`), then added.
fn add(raw: &[Arg], args: &[Expr]) -> Result<Expr, ConvertError> {
    let operand = |i: usize| -> Option<Expr> {
        let arg = args.get(i)?;
        Some(match raw.get(i).map(|a| &a.kind) {
            Some(ArgKind::Number(n)) => {
                let rounded = n
                    .as_i64()
                    .or_else(|| n.as_f64().map(|f| (f + 0.5).floor() as i64))?;
                Expr::atom(rounded.to_string(), Ty::Number)
            }
            _ => {
                let half = Expr::atom("0.5", Ty::Number);
                let shifted = expr::binary(arg, "+", &half, ADD, Ty::Number);
                expr::call("floor", &[shifted], Ty::Number)
            }
        })
    };
    let (Some(left), Some(right)) = (operand(0), operand(1)) else {
        return Ok(Expr::atom("0", Ty::Number));
    };
    Ok(match right.text.strip_prefix('-') {
        Some(positive) if right.is_literal() => expr::binary(
            &left,
            "-",
            &Expr::atom(positive, Ty::Number),
            ADD,
            Ty::Number,
        ),
        _ => expr::binary(&left, "+", &right, ADD, Ty::Number),
    })
}

/// `States.StringSplit` splits on every delimiter character and drops empty tokens (Java's
/// `StringTokenizer`); `$split` splits on the whole separator and keeps them.
fn split(
    call: &IntrinsicCall,
    text: &Expr,
    delimiter: &Expr,
    at: &str,
) -> Result<Expr, ConvertError> {
    let separator = match call.args.get(1).map(|a| &a.kind) {
        Some(ArgKind::String(d)) => {
            let mut chars: Vec<char> = d.value.chars().collect();
            chars.dedup();
            match chars.as_slice() {
                // No delimiter: the whole text is the only token, unless it is empty.
                [] => {
                    return Ok(Expr::new(
                        format!("{} = '' ? [] : [{}]", text.operand(COMPARE + 1), text.text),
                        CONDITION,
                        Ty::ArrayConstructor,
                    ));
                }
                [c] => expr::string(&c.to_string()),
                _ => Expr::atom(regex_class(&chars), Ty::Unknown),
            }
        }
        Some(_) => {
            // Split on each character of the delimiter in turn.
            let used = [text.text.as_str(), delimiter.text.as_str()];
            let (parts, c) = (
                expr::fresh_variable("parts", &used),
                expr::fresh_variable("c", &used),
            );
            return Ok(Expr::atom(
                format!(
                    "[$reduce($split({}, ''), function({parts}, {c}) {{ {parts}.$split($, {c}) }}, {})[$ != '']]",
                    delimiter.text, text.text
                ),
                Ty::ArrayConstructor,
            ));
        }
        None => return Err(invalid(call, at, "missing delimiter")),
    };
    let parts = expr::call("split", &[text.clone(), separator], Ty::Array);
    Ok(Expr::atom(
        format!("[{}[$ != '']]", parts.text),
        Ty::ArrayConstructor,
    ))
}

/// `/[...]/` matching any of `chars`.
fn regex_class(chars: &[char]) -> String {
    let mut class = String::from("/[");
    for c in chars {
        match c {
            '\\' | ']' | '[' | '^' | '-' | '/' => {
                class.push('\\');
                class.push(*c);
            }
            '\n' => class.push_str("\\n"),
            '\r' => class.push_str("\\r"),
            '\t' => class.push_str("\\t"),
            c => class.push(*c),
        }
    }
    class.push_str("]/");
    class
}

#[cfg(test)]
mod tests {
    use super::super::Marking;
    use super::*;
    use crate::asl::intrinsics::parse_intrinsic;

    fn convert_text(text: &str) -> (String, usize) {
        let call = parse_intrinsic(text).unwrap();
        let mut cx = Cx::new(Marking::Inherit);
        let out = convert(&call, &Doc::Input, &mut cx, "").unwrap();
        (out.text, cx.notes.len())
    }

    fn text(source: &str) -> String {
        convert_text(source).0
    }

    #[test]
    fn format_concatenates_text_and_arguments() {
        assert_eq!(
            text("States.Format('Hello {}, you are {}!', $.name, $.age)"),
            "'Hello ' & $states.input.name & ', you are ' & $states.input.age & '!'"
        );
        assert_eq!(text("States.Format('{}', $.n)"), "$string($states.input.n)");
        assert_eq!(text("States.Format('plain')"), "'plain'");
        assert_eq!(text("States.Format('a\\{\\}b {}', 'x')"), "'a{}b x'");
        assert_eq!(
            text("States.Format('{} and {}', 'x', $.y)"),
            "'x and ' & $states.input.y"
        );
        assert_eq!(
            text("States.Format('{}{}', States.MathAdd(1, 2), $.b)"),
            "1 + 2 & $states.input.b"
        );
        let (dynamic, notes) = convert_text("States.Format($.template, $.a)");
        assert_eq!(
            dynamic,
            "$reduce([$states.input.a], function($text, $v) { $replace($text, '{}', $string($v), 1) }, $states.input.template)"
        );
        assert_eq!(notes, 1);
        for bad in [
            "States.Format('{} {}', $.a)",
            "States.Format('{', $.a)",
            "States.Format('x', $.a)",
        ] {
            let call = parse_intrinsic(bad).unwrap();
            let mut cx = Cx::new(Marking::Inherit);
            assert!(convert(&call, &Doc::Input, &mut cx, "").is_err(), "{bad}");
        }
    }

    #[test]
    fn json_and_array_functions() {
        assert_eq!(text("States.StringToJson($.s)"), "$parse($states.input.s)");
        assert_eq!(text("States.JsonToString($.o)"), "$string($states.input.o)");
        assert_eq!(
            text("States.Array($.a, 1, States.StringSplit($.s, ','))"),
            "[$states.input.a, 1, [$split($states.input.s, ',')[$ != '']]]"
        );
        assert_eq!(
            text("States.Array(States.ArrayRange(1, 3, 1))"),
            "[[$range(1, 3, 1)]]"
        );
        assert_eq!(
            text("States.ArrayPartition($.a, 2)"),
            "$partition($states.input.a, 2)"
        );
        assert_eq!(text("States.ArrayContains($.a, 3)"), "3 in $states.input.a");
        assert_eq!(
            text("States.ArrayContains($.a, $.v)"),
            "$exists($filter($states.input.a, function($v) { $v = $states.input.v }))"
        );
        assert_eq!(text("States.ArrayRange(1, 9, 2)"), "$range(1, 9, 2)");
        assert_eq!(text("States.ArrayGetItem($.a, 5)"), "$states.input.a[5]");
        assert_eq!(
            text("States.ArrayGetItem(States.Array(1, 2), $.i)"),
            "[1, 2][$states.input.i]"
        );
        assert_eq!(text("States.ArrayLength($.a)"), "$count($states.input.a)");
        assert_eq!(
            text("States.ArrayUnique($.a)"),
            "$distinct($states.input.a)"
        );
    }

    #[test]
    fn encoding_hash_merge_and_uuid() {
        assert_eq!(
            text("States.Base64Encode($.s)"),
            "$base64encode($states.input.s)"
        );
        assert_eq!(
            text("States.Base64Decode($.s)"),
            "$base64decode($states.input.s)"
        );
        assert_eq!(
            text("States.Hash($.s, 'SHA-256')"),
            "$hash($states.input.s, 'SHA-256')"
        );
        assert_eq!(
            convert_text("States.JsonMerge($.a, $.b, false)"),
            ("$merge([$states.input.a, $states.input.b])".into(), 0)
        );
        assert_eq!(convert_text("States.JsonMerge($.a, $.b, true)").1, 1);
        assert_eq!(text("States.UUID()"), "$uuid()");
    }

    #[test]
    fn math_rounds_like_java() {
        assert_eq!(
            text("States.MathAdd($.n, 1)"),
            "$floor($states.input.n + 0.5) + 1"
        );
        assert_eq!(
            text("States.MathAdd($.n, -1)"),
            "$floor($states.input.n + 0.5) - 1"
        );
        assert_eq!(text("States.MathAdd(1.5, -2.5)"), "2 - 2");
        assert_eq!(
            text("States.MathRandom(1, 100)"),
            "$floor($random() * 99) + 1"
        );
        assert_eq!(
            text("States.MathRandom(-5, 5, 7)"),
            "$floor($random(7) * 10) - 5"
        );
        assert_eq!(
            text("States.MathRandom($.a, $.b)"),
            "$floor($random() * ($states.input.b - $states.input.a)) + $states.input.a"
        );
    }

    #[test]
    fn split_drops_empty_tokens_and_splits_on_each_character() {
        assert_eq!(
            text("States.StringSplit($.s, ',')"),
            "[$split($states.input.s, ',')[$ != '']]"
        );
        assert_eq!(
            text("States.StringSplit($.s, '.+,=')"),
            "[$split($states.input.s, /[.+,=]/)[$ != '']]"
        );
        assert_eq!(
            text("States.StringSplit($.s, '-]')"),
            "[$split($states.input.s, /[\\-\\]]/)[$ != '']]"
        );
        assert_eq!(
            convert_text("States.StringSplit($.s, $.d)"),
            (
                "[$reduce($split($states.input.d, ''), function($parts, $c) { $parts.$split($, $c) }, $states.input.s)[$ != '']]".into(),
                0
            )
        );
        assert_eq!(
            text("States.StringSplit($.s, '')"),
            "$states.input.s = '' ? [] : [$states.input.s]"
        );
    }
}
