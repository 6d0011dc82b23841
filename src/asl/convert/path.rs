//! JSONPath steps as JSONata path steps. Definite steps (`.name`, `[n]`) translate exactly;
//! slices exactly through index lists or `$filter`; filters, deep scans, unions and path
//! functions as closely as JSONata allows, each with a note.

use serde_json::Value;

use super::Cx;
use super::expr::{self, ADD, AND, COMPARE, Expr, OR, Ty};
use crate::asl::path::{
    FilterExpr, JsonPath, Literal, Operand, PathFunction, RelOp, Root, Segment, SegmentKind,
};

/// `base` followed by `segments`. `root` is what `$` means inside a filter.
pub(super) fn steps(base: Expr, segments: &[Segment], root: &Expr, cx: &mut Cx, at: &str) -> Expr {
    let mut current = base;
    let mut i = 0;
    while let Some(segment) = segments.get(i) {
        i += 1;
        current = match &segment.kind {
            SegmentKind::Property(names) => match names.as_slice() {
                [name] => property(&current, name),
                _ => {
                    cx.note(
                        at,
                        "a property union ['a','b'] became an object constructor; Jayway merges the properties the same way only as the last step",
                    );
                    let members: Vec<(String, Expr)> = names
                        .iter()
                        .map(|n| (n.clone(), property(&Expr::atom("$", Ty::Unknown), n)))
                        .collect();
                    Expr::atom(
                        format!("{}.{}", current.as_base(), expr::object(&members).text),
                        Ty::Object,
                    )
                }
            },
            SegmentKind::Index(indexes) => match indexes.as_slice() {
                [index] => predicate(&current, &index.to_string()),
                _ => {
                    cx.note(
                        at,
                        "an index union [a,b] selects the items in array order in JSONata, in the order written in Jayway",
                    );
                    let list: Vec<String> = indexes.iter().map(i64::to_string).collect();
                    predicate(&current, &format!("[{}]", list.join(", ")))
                }
            },
            SegmentKind::Slice { start, end, .. } => slice(&current, *start, *end),
            // `[*]` over an array: JSONata steps map over arrays by themselves.
            SegmentKind::Wildcard => current,
            SegmentKind::DeepScan => {
                cx.note(
                    at,
                    "a deep scan (..) became JSONata's descendant operator **, which may list matches in a different order",
                );
                let descendants = Expr::atom(format!("{}.**", current.as_base()), Ty::Unknown);
                match segments.get(i).map(|s| &s.kind) {
                    Some(SegmentKind::Property(names)) if names.len() == 1 => {
                        i += 1;
                        names
                            .first()
                            .map_or(descendants.clone(), |n| property(&descendants, n))
                    }
                    _ => descendants,
                }
            }
            SegmentKind::Filter(filter) => {
                cx.note(
                    at,
                    "a filter expression became a JSONata predicate: comparisons of mismatched types may fail instead of not matching",
                );
                let condition = filter_expr(filter, root, cx, at);
                predicate(&current, &condition.text)
            }
            SegmentKind::Function(function) => path_function(&current, function, cx, at),
            // i128: negating i64::MIN must not overflow.
            SegmentKind::LengthOffset(n) => predicate(&current, &(-i128::from(*n)).to_string()),
        };
    }
    current
}

/// `.name` on `base`; on the context item `$` the bare name reads better.
fn property(base: &Expr, name: &str) -> Expr {
    if base.text == "$"
        && let Some(step) = expr::field_name(name)
    {
        return Expr::atom(step, Ty::Unknown);
    }
    expr::property(base, name)
}

fn predicate(base: &Expr, inside: &str) -> Expr {
    Expr::atom(format!("{}[{inside}]", base.as_base()), Ty::Unknown)
}

/// `[start:end]` as JSONata: an index list for plain bounds, `$filter` when a bound counts
/// from the end (Jayway clamps bounds to the array, as both forms do).
fn slice(base: &Expr, start: Option<i64>, end: Option<i64>) -> Expr {
    let from = start.unwrap_or(0);
    match end {
        Some(end) if from >= 0 && end >= 0 => {
            if end <= from {
                // An empty slice: select nothing.
                predicate(base, "false")
            } else if end - 1 == from {
                predicate(base, &from.to_string())
            } else {
                predicate(base, &format!("[{from}..{}]", end - 1))
            }
        }
        None if from >= 0 => {
            let i = expr::fresh_variable("i", &[&base.text]);
            Expr::atom(
                format!("{}#{i}[{i} >= {from}]", base.as_base()),
                Ty::Unknown,
            )
        }
        _ => {
            let (v, i, a) = (
                expr::fresh_variable("v", &[&base.text]),
                expr::fresh_variable("i", &[&base.text]),
                expr::fresh_variable("a", &[&base.text]),
            );
            let bound = |n: i64| {
                if n < 0 {
                    format!("$count({a}) - {}", n.unsigned_abs())
                } else {
                    n.to_string()
                }
            };
            let mut tests = vec![format!("{i} >= {}", bound(from))];
            if let Some(end) = end {
                tests.push(format!("{i} < {}", bound(end)));
            }
            Expr::atom(
                format!(
                    "$filter({}, function({v}, {i}, {a}) {{ {} }})",
                    base.text,
                    tests.join(" and ")
                ),
                Ty::Unknown,
            )
        }
    }
}

/// Jayway path functions (`.length()`, `.sum()`...) as JSONata functions.
fn path_function(base: &Expr, function: &PathFunction, cx: &mut Cx, at: &str) -> Expr {
    let one = |name: &str| expr::call(name, std::slice::from_ref(base), Ty::Unknown);
    let converted = match function.name.as_str() {
        "length" | "size" => one("count"),
        "min" => one("min"),
        "max" => one("max"),
        "avg" => one("average"),
        "sum" => one("sum"),
        "keys" => one("keys"),
        "first" => predicate(base, "0"),
        "last" => predicate(base, "-1"),
        "stddev" => {
            let (v, mean) = (
                expr::fresh_variable("v", &[&base.text]),
                format!("$average({})", base.text),
            );
            Expr::atom(
                format!(
                    "$sqrt($average($map({}, function({v}) {{ ({v} - {mean}) * ({v} - {mean}) }})))",
                    base.text
                ),
                Ty::Number,
            )
        }
        _ => {
            cx.note(
                at,
                format!(
                    "the path function {}() has no JSONata equivalent here; the value before it is used",
                    function.name
                ),
            );
            return base.clone();
        }
    };
    cx.note(
        at,
        format!(
            "the path function {}() became a JSONata function, which treats strings and objects differently",
            function.name
        ),
    );
    converted
}

/// A filter expression as a JSONata predicate (`@` is the item, `$` the root document).
fn filter_expr(filter: &FilterExpr, root: &Expr, cx: &mut Cx, at: &str) -> Expr {
    match filter {
        FilterExpr::Or(items) => join(items, "or", OR, root, cx, at),
        FilterExpr::And(items) => join(items, "and", AND, root, cx, at),
        FilterExpr::Not(inner) => {
            let inner = filter_expr(inner, root, cx, at);
            expr::call("not", &[inner], Ty::Bool)
        }
        FilterExpr::Exists { path, negated } => {
            let exists = expr::call("exists", &[filter_path(path, root, cx, at)], Ty::Bool);
            if *negated {
                expr::call("not", &[exists], Ty::Bool)
            } else {
                exists
            }
        }
        FilterExpr::Compare { left, op, right } => {
            let l = operand(left, root, cx, at);
            let r = operand(right, root, cx, at);
            compare(&l, *op, &r)
        }
    }
}

fn join(items: &[FilterExpr], op: &str, prec: u8, root: &Expr, cx: &mut Cx, at: &str) -> Expr {
    let parts: Vec<String> = items
        .iter()
        .map(|item| {
            let min = if prec == AND { AND } else { AND + 1 };
            filter_expr(item, root, cx, at).operand(min)
        })
        .collect();
    Expr::new(parts.join(&format!(" {op} ")), prec, Ty::Bool)
}

fn operand(operand: &Operand, root: &Expr, cx: &mut Cx, at: &str) -> Expr {
    match operand {
        Operand::Path(path) => filter_path(path, root, cx, at),
        Operand::Literal(Literal::String(s)) => expr::string(s),
        Operand::Literal(Literal::Number(n, _)) => expr::literal(n),
        Operand::Literal(Literal::Bool(b)) => expr::literal(&Value::Bool(*b)),
        Operand::Literal(Literal::Null) => expr::literal(&Value::Null),
        Operand::Literal(Literal::Json(v)) => expr::literal(v),
        Operand::Literal(Literal::Pattern(p)) => Expr::atom(js_regex(&p.source), Ty::Unknown),
    }
}

/// `/body/flags` (matched against the whole string in Java) as an anchored JS regex.
fn js_regex(source: &str) -> String {
    let (body, flags) = match source.rfind('/') {
        Some(end) if end > 0 => (
            source.get(1..end).unwrap_or_default(),
            source.get(end + 1..).unwrap_or_default(),
        ),
        _ => (source, ""),
    };
    let flags: String = flags.chars().filter(|c| matches!(c, 'i' | 'm')).collect();
    format!("/^(?:{body})$/{flags}")
}

/// A path inside a filter: `@...` reads the current item, `$...` the root document.
fn filter_path(path: &JsonPath, root: &Expr, cx: &mut Cx, at: &str) -> Expr {
    let base = match path.root() {
        Root::Current => Expr::atom("$", Ty::Unknown),
        Root::Input => root.clone(),
        Root::Context => Expr::atom("$states.context", Ty::Object),
        Root::Variable(name) => Expr::atom(format!("${name}"), Ty::Unknown),
    };
    steps(base, path.segments(), root, cx, at)
}

fn compare(l: &Expr, op: RelOp, r: &Expr) -> Expr {
    let binary = |sym: &str| expr::binary(l, sym, r, COMPARE, Ty::Bool);
    let any = |collection: &Expr, test: &dyn Fn(&str) -> String| {
        let v = expr::fresh_variable("v", &[&l.text, &r.text]);
        Expr::atom(
            format!(
                "$exists($filter({}, function({v}) {{ {} }}))",
                collection.text,
                test(&v)
            ),
            Ty::Bool,
        )
    };
    let not = |e: Expr| expr::call("not", &[e], Ty::Bool);
    match op {
        RelOp::Eq | RelOp::TypeSafeEq => binary("="),
        RelOp::Ne | RelOp::TypeSafeNe => binary("!="),
        RelOp::Lt => binary("<"),
        RelOp::Le => binary("<="),
        RelOp::Gt => binary(">"),
        RelOp::Ge => binary(">="),
        RelOp::Regex => expr::call("contains", &[l.clone(), r.clone()], Ty::Bool),
        RelOp::In => binary("in"),
        RelOp::Nin => not(binary("in")),
        RelOp::Contains => match r.ty {
            Ty::String => expr::call("contains", &[l.clone(), r.clone()], Ty::Bool),
            _ => expr::binary(r, "in", l, COMPARE, Ty::Bool),
        },
        RelOp::Size => {
            let count = expr::call("count", std::slice::from_ref(l), Ty::Number);
            expr::binary(&count, "=", r, COMPARE, Ty::Bool)
        }
        RelOp::Empty => {
            let count = expr::call("count", std::slice::from_ref(l), Ty::Number);
            let zero = Expr::atom("0", Ty::Number);
            let empty = expr::binary(&count, "=", &zero, COMPARE, Ty::Bool);
            expr::binary(&empty, "=", r, COMPARE, Ty::Bool)
        }
        RelOp::AnyOf => any(l, &|v| format!("{v} in {}", r.operand(ADD))),
        RelOp::NoneOf => not(any(l, &|v| format!("{v} in {}", r.operand(ADD)))),
        RelOp::SubsetOf => not(any(l, &|v| format!("$not({v} in {})", r.operand(ADD)))),
        RelOp::All => not(any(r, &|v| format!("$not({v} in {})", l.operand(ADD)))),
        RelOp::Exists => {
            let exists = expr::call("exists", std::slice::from_ref(l), Ty::Bool);
            expr::binary(&exists, "=", r, COMPARE, Ty::Bool)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Marking;
    use super::super::doc::{Doc, parse_path, read};
    use super::*;

    fn convert(path: &str) -> (String, usize) {
        let mut cx = Cx::new(Marking::Inherit);
        let parsed = parse_path(path, "").unwrap();
        let text = read(&Doc::Input, &parsed, &mut cx, "").render().text;
        (text, cx.notes.len())
    }

    #[test]
    fn definite_paths_are_exact() {
        assert_eq!(
            convert("$.a['b c'][2]"),
            ("$states.input.a.`b c`[2]".into(), 0)
        );
        assert_eq!(convert("$.a[-1]"), ("$states.input.a[-1]".into(), 0));
        assert_eq!(
            convert("$.a[(@.length-2)]"),
            ("$states.input.a[-2]".into(), 0)
        );
    }

    #[test]
    fn slices_become_index_lists_or_filters() {
        assert_eq!(convert("$.a[1:5]").0, "[$states.input.a[[1..4]]]");
        assert_eq!(convert("$.a[:1]").0, "[$states.input.a[0]]");
        assert_eq!(convert("$.a[2:]").0, "[$states.input.a#$i[$i >= 2]]");
        assert_eq!(
            convert("$.a[-2:]").0,
            "[$filter($states.input.a, function($v, $i, $a) { $i >= $count($a) - 2 })]"
        );
        assert_eq!(convert("$.a[3:1]").0, "[$states.input.a[false]]");
        assert_eq!(convert("$.a[1:5].v").1, 0);
    }

    #[test]
    fn filters_deep_scans_and_functions_are_noted() {
        assert_eq!(
            convert("$.items[?(@.price < 10 && @.tag == 'x')].id"),
            (
                "[$states.input.items[price < 10 and tag = 'x'].id]".into(),
                1
            )
        );
        assert_eq!(
            convert("$.items[?(!(@.n > $.min))]").0,
            "[$states.input.items[$not(n > $states.input.min)]]"
        );
        assert_eq!(
            convert("$.items[?(@.name =~ /a.*/i)]").0,
            "[$states.input.items[$contains(name, /^(?:a.*)$/i)]]"
        );
        assert_eq!(convert("$..id"), ("[$states.input.**.id]".into(), 1));
        assert_eq!(
            convert("$.a.length()"),
            ("$count($states.input.a)".into(), 1)
        );
        assert_eq!(convert("$.a[*].n.sum()").0, "$sum($states.input.a.n)");
        assert_eq!(
            convert("$['a','b']"),
            ("$states.input.{'a': a, 'b': b}".into(), 1)
        );
    }

    #[test]
    fn filter_set_operators_use_filter_functions() {
        assert_eq!(
            convert("$.a[?(@.tags anyof ['x'])]").0,
            "[$states.input.a[$exists($filter(tags, function($v) { $v in ['x'] }))]]"
        );
        assert_eq!(
            convert("$.a[?(@.n in [1, 2])]").0,
            "[$states.input.a[n in [1, 2]]]"
        );
        assert_eq!(
            convert("$.a[?(@.s contains 'x')]").0,
            "[$states.input.a[$contains(s, 'x')]]"
        );
    }
}
