//! JSONata text built from parts: literals, field names, operators with the parentheses their
//! precedence needs, and a rough static type so later steps can avoid JSONata's array flattening.

use serde_json::Value;

/// Binding powers of jsonata-js (higher binds tighter); `ATOM` for paths, calls, literals,
/// constructors and parenthesised expressions.
pub(super) const ATOM: u8 = 100;
pub(super) const ADD: u8 = 50;
pub(super) const MUL: u8 = 60;
pub(super) const COMPARE: u8 = 40;
pub(super) const AND: u8 = 30;
pub(super) const OR: u8 = 25;
/// The conditional `a ? b : c`.
pub(super) const CONDITION: u8 = 20;

/// What an expression is known to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ty {
    Unknown,
    String,
    Number,
    Bool,
    Null,
    Object,
    /// An array value (a function result): JSONata flattens it into an enclosing `[...]`.
    Array,
    /// An array constructor `[...]` written in the text: JSONata keeps it nested.
    ArrayConstructor,
}

/// A piece of JSONata text with its precedence and static type.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Expr {
    pub text: String,
    pub prec: u8,
    pub ty: Ty,
}

impl Expr {
    pub fn atom(text: impl Into<String>, ty: Ty) -> Expr {
        Expr {
            text: text.into(),
            prec: ATOM,
            ty,
        }
    }

    pub fn new(text: impl Into<String>, prec: u8, ty: Ty) -> Expr {
        Expr {
            text: text.into(),
            prec,
            ty,
        }
    }

    /// The text, parenthesised when it binds looser than `min`.
    pub fn operand(&self, min: u8) -> String {
        if self.prec >= min {
            self.text.clone()
        } else {
            format!("({})", self.text)
        }
    }

    /// The text as the start of a path or the target of a predicate.
    pub fn as_base(&self) -> String {
        self.operand(ATOM)
    }

    /// A literal (number, string, boolean, null) as opposed to a computed value.
    pub fn is_literal(&self) -> bool {
        self.prec == ATOM
            && matches!(self.ty, Ty::String | Ty::Number | Ty::Bool | Ty::Null)
            && !self.text.starts_with(['$', '(', '['])
    }
}

/// `left op right` for a left-associative operator of precedence `prec`.
pub(super) fn binary(left: &Expr, op: &str, right: &Expr, prec: u8, ty: Ty) -> Expr {
    Expr::new(
        format!("{} {op} {}", left.operand(prec), right.operand(prec + 1)),
        prec,
        ty,
    )
}

/// `$name(args...)`.
pub(super) fn call(name: &str, args: &[Expr], ty: Ty) -> Expr {
    let args: Vec<&str> = args.iter().map(|a| a.text.as_str()).collect();
    Expr::atom(format!("${name}({})", args.join(", ")), ty)
}

/// A JSONata string literal: single quotes read best inside JSON text; double quotes when
/// the value holds a single quote (JSONata has no `\'` escape).
pub(super) fn quote(text: &str) -> String {
    let quote = if text.contains('\'') { '"' } else { '\'' };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

pub(super) fn string(text: &str) -> Expr {
    Expr::atom(quote(text), Ty::String)
}

/// Words JSONata reads as operators or literals, so a field of that name needs backquotes.
const RESERVED: [&str; 7] = ["and", "or", "in", "true", "false", "null", "function"];

/// A field name as a path step: bare when JSONata reads it as a name, else in backquotes.
/// `None` when neither works (a name holding a backquote).
pub(super) fn field_name(name: &str) -> Option<String> {
    let mut chars = name.chars();
    let plain = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.contains(&name);
    if plain {
        Some(name.to_string())
    } else if name.contains('`') {
        None
    } else {
        Some(format!("`{name}`"))
    }
}

/// `base.name`, or `$lookup(base, 'name')` for names a path cannot spell.
pub(super) fn property(base: &Expr, name: &str) -> Expr {
    match field_name(name) {
        Some(step) => Expr::atom(format!("{}.{step}", base.as_base()), Ty::Unknown),
        None => call("lookup", &[base.clone(), string(name)], Ty::Unknown),
    }
}

/// A JSON value written as a JSONata literal (JSON syntax, JSONata string quoting).
pub(super) fn literal(value: &Value) -> Expr {
    let ty = match value {
        Value::Null => Ty::Null,
        Value::Bool(_) => Ty::Bool,
        Value::Number(_) => Ty::Number,
        Value::String(_) => Ty::String,
        Value::Array(_) => Ty::ArrayConstructor,
        Value::Object(_) => Ty::Object,
    };
    let mut text = String::new();
    write_literal(value, &mut text);
    Expr::atom(text, ty)
}

fn write_literal(value: &Value, out: &mut String) {
    match value {
        Value::Null | Value::Bool(_) | Value::Number(_) => out.push_str(&value.to_string()),
        Value::String(s) => out.push_str(&quote(s)),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                // A nested array stays nested: `[[1, 2]]` is written as a constructor.
                write_literal(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&quote(key));
                out.push_str(": ");
                write_literal(item, out);
            }
            out.push('}');
        }
    }
}

/// An object constructor `{'k': v, ...}`.
pub(super) fn object(members: &[(String, Expr)]) -> Expr {
    let parts: Vec<String> = members
        .iter()
        .map(|(k, v)| format!("{}: {}", quote(k), v.text))
        .collect();
    Expr::atom(format!("{{{}}}", parts.join(", ")), Ty::Object)
}

/// An array constructor whose items each stay one element, as a JSON array's would:
/// items known to be array values are wrapped so JSONata does not splice them in.
pub(super) fn array(items: &[Expr]) -> Expr {
    let parts: Vec<String> = items
        .iter()
        .map(|item| match item.ty {
            Ty::Array => format!("[{}]", item.text),
            _ => item.text.clone(),
        })
        .collect();
    Expr::atom(format!("[{}]", parts.join(", ")), Ty::ArrayConstructor)
}

/// A `$name` for a lambda parameter that no text in `used` mentions.
pub(super) fn fresh_variable(base: &str, used: &[&str]) -> String {
    let taken = |name: &str| {
        used.iter().any(|text| {
            text.match_indices(name).any(|(at, _)| {
                !text[at + name.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            })
        })
    };
    let mut candidate = format!("${base}");
    let mut n = 1;
    while taken(&candidate) {
        candidate = format!("${base}{n}");
        n += 1;
    }
    candidate
}

/// A `{% expr %}` string: a JSONata expression in a JSONata state's field.
pub(super) fn embed(expr: &Expr) -> Value {
    Value::String(format!("{{% {} %}}", expr.text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_are_quoted_for_jsonata() {
        assert_eq!(quote("plain"), "'plain'");
        assert_eq!(quote("it's"), "\"it's\"");
        assert_eq!(quote("say \"hi\" it's"), "\"say \\\"hi\\\" it's\"");
        assert_eq!(quote("a\\b\nc"), "'a\\\\b\\nc'");
        assert_eq!(quote("\u{1}"), "'\\u0001'");
    }

    #[test]
    fn field_names_get_backquotes_when_needed() {
        assert_eq!(field_name("orderId").as_deref(), Some("orderId"));
        assert_eq!(field_name("_x1").as_deref(), Some("_x1"));
        assert_eq!(
            field_name("input-values").as_deref(),
            Some("`input-values`")
        );
        assert_eq!(field_name("1st").as_deref(), Some("`1st`"));
        assert_eq!(field_name("and").as_deref(), Some("`and`"));
        assert_eq!(field_name("a b").as_deref(), Some("`a b`"));
        assert_eq!(field_name("a`b"), None);
        let base = Expr::atom("$states.input", Ty::Object);
        assert_eq!(property(&base, "a`b").text, "$lookup($states.input, 'a`b')");
    }

    #[test]
    fn precedence_adds_parentheses_only_where_needed() {
        let a = Expr::atom("$a", Ty::Number);
        let sum = binary(&a, "+", &a, ADD, Ty::Number);
        assert_eq!(sum.text, "$a + $a");
        let product = binary(&sum, "*", &a, MUL, Ty::Number);
        assert_eq!(product.text, "($a + $a) * $a");
        let difference = binary(&a, "-", &sum, ADD, Ty::Number);
        assert_eq!(difference.text, "$a - ($a + $a)");
        assert_eq!(sum.as_base(), "($a + $a)");
    }

    #[test]
    fn literals_keep_nesting_and_arrays_wrap_array_values() {
        let value = json!({"a": [1, [2, "x"]], "b": null, "c's": true});
        assert_eq!(
            literal(&value).text,
            "{'a': [1, [2, 'x']], 'b': null, \"c's\": true}"
        );
        let items = [
            Expr::atom("$split($s, ',')", Ty::Array),
            Expr::atom("[1]", Ty::ArrayConstructor),
            Expr::atom("$x", Ty::Unknown),
        ];
        assert_eq!(array(&items).text, "[[$split($s, ',')], [1], $x]");
    }

    #[test]
    fn only_plain_values_count_as_literals() {
        assert!(literal(&json!("x")).is_literal());
        assert!(literal(&json!(-3)).is_literal());
        assert!(!literal(&json!([1])).is_literal());
        assert!(!Expr::atom("$x", Ty::String).is_literal());
        let concat = binary(
            &string("a"),
            "&",
            &Expr::atom("$x", Ty::Unknown),
            ADD,
            Ty::String,
        );
        assert!(!concat.is_literal());
    }

    #[test]
    fn fresh_variables_avoid_names_in_use() {
        assert_eq!(fresh_variable("v", &["$states.input"]), "$v");
        assert_eq!(fresh_variable("v", &["$v = 1"]), "$v1");
        assert_eq!(fresh_variable("v", &["$value"]), "$v");
        assert_eq!(fresh_variable("v", &["$v", "$v1"]), "$v2");
    }

    #[test]
    fn embedded_expressions_use_the_documented_spacing() {
        assert_eq!(
            embed(&Expr::atom("$states.input", Ty::Unknown)),
            json!("{% $states.input %}")
        );
    }
}
