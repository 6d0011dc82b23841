//! Choice rules as JSONata `Condition`s. A JSONPath comparison is false when the value has
//! the wrong type, while JSONata's `<` fails on mixed types, so ordering comparisons carry a
//! `$type(...)` guard; equality needs none (`=` is false across types in both).

use serde_json::Value;

use super::doc::{self, Doc};
use super::edit::Edit;
use super::expr::{self, AND, COMPARE, Expr, OR, Ty};
use super::{ConvertError, Cx};
use crate::asl::document::pointer;
use crate::asl::model::{ComparisonOperator as Op, ComparisonValue, Condition};

/// An RFC 3339 timestamp as Step Functions accepts it (`$toMillis` fails on other text).
const TIMESTAMP: &str = r"/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/";

/// Keys of a JSONPath rule that the Condition replaces.
fn is_condition_key(key: &str) -> bool {
    matches!(key, "Variable" | "And" | "Or" | "Not") || Op::parse(key).is_some()
}

/// One top-level rule: `Condition` in place of the comparison, `Assign` over `base`.
pub(super) fn rule(rule: &Value, base: &Doc, cx: &mut Cx, at: &str) -> Result<Value, ConvertError> {
    let object = rule.as_object().ok_or_else(|| ConvertError::InvalidField {
        pointer: at.to_string(),
        message: "a Choice rule must be an object".into(),
    })?;
    let condition = condition(&Condition::from_value(rule), base, cx, at)?;
    let mut edit = Edit::new(object);
    let condition_keys: Vec<&str> = object
        .keys()
        .map(String::as_str)
        .filter(|k| is_condition_key(k))
        .collect();
    edit.remove(&condition_keys);
    edit.set("Condition", expr::embed(&condition), &condition_keys);
    if let Some(assign) = object.get("Assign") {
        let at = pointer::join(at, "Assign");
        edit.replace("Assign", doc::payload(assign, base, cx, &at)?.to_template());
    }
    Ok(Value::Object(edit.finish()))
}

fn condition(
    condition: &Condition,
    base: &Doc,
    cx: &mut Cx,
    at: &str,
) -> Result<Expr, ConvertError> {
    let all = |items: &[Condition], cx: &mut Cx| -> Result<Vec<Expr>, ConvertError> {
        items
            .iter()
            .map(|c| self::condition(c, base, cx, at))
            .collect()
    };
    Ok(match condition {
        Condition::And(items) => join(&all(items, cx)?, "and", AND, "true"),
        Condition::Or(items) => join(&all(items, cx)?, "or", OR, "false"),
        Condition::Not(inner) => {
            let inner = self::condition(inner, base, cx, at)?;
            expr::call("not", &[inner], Ty::Bool)
        }
        Condition::Comparison(comparison) => {
            let variable = read(&comparison.variable, base, cx, at)?;
            let operand = match &comparison.value {
                ComparisonValue::Literal(v) => Operand::Literal(v),
                ComparisonValue::Path(p) => Operand::Path(read(p, base, cx, at)?),
            };
            compare(&variable, comparison.operator, &operand)
        }
        Condition::Jsonata(_) | Condition::Invalid => {
            return Err(ConvertError::InvalidField {
                pointer: at.to_string(),
                message:
                    "a Choice rule needs Variable and one comparison operator, or And, Or or Not"
                        .into(),
            });
        }
    })
}

fn read(text: &str, base: &Doc, cx: &mut Cx, at: &str) -> Result<Expr, ConvertError> {
    let path = doc::parse_path(text, at)?;
    Ok(doc::read(base, &path, cx, at).render())
}

fn join(items: &[Expr], op: &str, prec: u8, empty: &str) -> Expr {
    if let [only] = items {
        return only.clone();
    }
    if items.is_empty() {
        return Expr::atom(empty, Ty::Bool);
    }
    // `and` chains need no parentheses; `and` groups inside `or` read better with them.
    let min = if prec == AND { AND } else { AND + 1 };
    let parts: Vec<String> = items.iter().map(|e| e.operand(min)).collect();
    Expr::new(parts.join(&format!(" {op} ")), prec, Ty::Bool)
}

enum Operand<'a> {
    Literal(&'a Value),
    Path(Expr),
}

fn is_type(value: &Expr, name: &str) -> Expr {
    let ty = expr::call("type", std::slice::from_ref(value), Ty::String);
    expr::binary(&ty, "=", &expr::string(name), COMPARE, Ty::Bool)
}

fn all_of(parts: &[Expr]) -> Expr {
    join(parts, "and", AND, "true")
}

fn never() -> Expr {
    Expr::atom("false", Ty::Bool)
}

fn not(e: Expr) -> Expr {
    expr::call("not", &[e], Ty::Bool)
}

fn compare(x: &Expr, op: Op, operand: &Operand<'_>) -> Expr {
    let name = op.as_str();
    if op.is_type_test() {
        let Operand::Literal(Value::Bool(wanted)) = operand else {
            return never();
        };
        return type_test(x, op, *wanted);
    }
    let symbol = if name.ends_with("GreaterThanEquals") {
        ">="
    } else if name.ends_with("LessThanEquals") {
        "<="
    } else if name.ends_with("GreaterThan") {
        ">"
    } else if name.ends_with("LessThan") {
        "<"
    } else {
        "="
    };
    let ty = if name.starts_with("Numeric") {
        "number"
    } else if name.starts_with("Boolean") {
        "boolean"
    } else {
        "string"
    };
    if op == Op::StringMatches {
        return match operand {
            Operand::Literal(Value::String(pattern)) => matches(x, pattern),
            _ => never(),
        };
    }
    if name.starts_with("Timestamp") {
        return timestamp(x, symbol, operand);
    }
    let y = match operand {
        Operand::Literal(v) => {
            let fits = match ty {
                "number" => v.is_number(),
                "boolean" => v.is_boolean(),
                _ => v.is_string(),
            };
            if !fits {
                // A literal of the wrong type never matches in JSONPath.
                return never();
            }
            let literal = expr::literal(v);
            if symbol == "=" {
                // `=` is false across types, as the typed JSONPath comparison is.
                return expr::binary(x, "=", &literal, COMPARE, Ty::Bool);
            }
            return all_of(&[
                is_type(x, ty),
                expr::binary(x, symbol, &literal, COMPARE, Ty::Bool),
            ]);
        }
        Operand::Path(y) => y,
    };
    let comparison = expr::binary(x, symbol, y, COMPARE, Ty::Bool);
    if symbol == "=" {
        all_of(&[is_type(x, ty), comparison])
    } else {
        all_of(&[is_type(x, ty), is_type(y, ty), comparison])
    }
}

fn type_test(x: &Expr, op: Op, wanted: bool) -> Expr {
    let test = match op {
        Op::IsNull => {
            let symbol = if wanted { "=" } else { "!=" };
            return expr::binary(x, symbol, &Expr::atom("null", Ty::Null), COMPARE, Ty::Bool);
        }
        Op::IsPresent => expr::call("exists", std::slice::from_ref(x), Ty::Bool),
        Op::IsTimestamp => all_of(&[is_type(x, "string"), matches_regex(x, TIMESTAMP)]),
        Op::IsNumeric | Op::IsString | Op::IsBoolean => {
            let ty = match op {
                Op::IsNumeric => "number",
                Op::IsString => "string",
                _ => "boolean",
            };
            if wanted {
                return is_type(x, ty);
            }
            let t = expr::call("type", std::slice::from_ref(x), Ty::String);
            return expr::binary(&t, "!=", &expr::string(ty), COMPARE, Ty::Bool);
        }
        _ => return never(),
    };
    if wanted { test } else { not(test) }
}

fn matches_regex(x: &Expr, regex: &str) -> Expr {
    expr::call(
        "contains",
        &[x.clone(), Expr::atom(regex, Ty::Unknown)],
        Ty::Bool,
    )
}

/// `StringMatches`: `*` is any run of characters, `\*` and `\\` are literal.
fn matches(x: &Expr, pattern: &str) -> Expr {
    let mut tokens: Vec<Option<char>> = Vec::new(); // None = a star
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => tokens.push(Some(chars.next().unwrap_or('\\'))),
            '*' => tokens.push(None),
            c => tokens.push(Some(c)),
        }
    }
    if tokens.iter().all(Option::is_some) {
        let text: String = tokens.iter().flatten().collect();
        return expr::binary(x, "=", &expr::string(&text), COMPARE, Ty::Bool);
    }
    let leading = tokens.first() == Some(&None);
    let trailing = tokens.last() == Some(&None);
    let inner = {
        let start = usize::from(leading);
        let end = tokens
            .len()
            .saturating_sub(usize::from(trailing))
            .max(start);
        tokens.get(start..end).unwrap_or_default()
    };
    let mut regex = String::from("/");
    if !leading {
        regex.push('^');
    }
    for token in inner {
        match token {
            // Any text, newlines included (`.` would stop at a newline).
            None => regex.push_str(r"[\s\S]*"),
            Some(c) => {
                if r"\^$.|?*+()[]{}/".contains(*c) {
                    regex.push('\\');
                }
                match c {
                    '\n' => regex.push_str(r"\n"),
                    '\r' => regex.push_str(r"\r"),
                    '\t' => regex.push_str(r"\t"),
                    c => regex.push(*c),
                }
            }
        }
    }
    if !trailing {
        regex.push('$');
    }
    regex.push('/');
    if inner.is_empty() {
        // Only stars: any string matches.
        return is_type(x, "string");
    }
    all_of(&[is_type(x, "string"), matches_regex(x, &regex)])
}

/// Timestamps compare as instants; text that is not a timestamp never matches.
fn timestamp(x: &Expr, symbol: &str, operand: &Operand<'_>) -> Expr {
    let millis = |e: &Expr| expr::call("toMillis", std::slice::from_ref(e), Ty::Number);
    let valid = |e: &Expr| vec![is_type(e, "string"), matches_regex(e, TIMESTAMP)];
    let mut parts = valid(x);
    let y = match operand {
        Operand::Literal(Value::String(text)) => {
            if chrono::DateTime::parse_from_rfc3339(text).is_err() {
                return never();
            }
            expr::string(text)
        }
        Operand::Literal(_) => return never(),
        Operand::Path(y) => {
            parts.extend(valid(y));
            y.clone()
        }
    };
    parts.push(expr::binary(
        &millis(x),
        symbol,
        &millis(&y),
        COMPARE,
        Ty::Bool,
    ));
    all_of(&parts)
}
