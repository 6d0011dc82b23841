//! Evaluation of filter expressions with Jayway's value-node semantics.

use std::borrow::Cow;
use std::cmp::Ordering;

use serde_json::{Number, Value};

use super::ast::{JsonPath, Root};
use super::eval::select_from;
use super::filter::{FilterExpr, Literal, Operand, Pattern, RelOp};
use super::json_text::java_number_string;

/// Jayway's `ValueNode` kinds, as far as filters can observe them.
#[derive(Debug, Clone)]
enum Node<'a> {
    Str(Cow<'a, str>),
    /// A number and its Java text (used when compared with a string).
    Num(Number, String),
    Bool(bool),
    Null,
    /// An array or object.
    Json(Cow<'a, Value>),
    Pattern(&'a Pattern),
    Undefined,
}

impl<'a> Node<'a> {
    fn from_value(value: Cow<'a, Value>) -> Self {
        match value {
            Cow::Borrowed(v) => match v {
                Value::Null => Node::Null,
                Value::Bool(b) => Node::Bool(*b),
                Value::Number(n) => Node::Num(n.clone(), java_number_string(n)),
                Value::String(s) => Node::Str(Cow::Borrowed(s.as_str())),
                Value::Array(_) | Value::Object(_) => Node::Json(Cow::Borrowed(v)),
            },
            Cow::Owned(v) => match v {
                Value::Null => Node::Null,
                Value::Bool(b) => Node::Bool(b),
                Value::Number(n) => {
                    let text = java_number_string(&n);
                    Node::Num(n, text)
                }
                Value::String(s) => Node::Str(Cow::Owned(s)),
                other => Node::Json(Cow::Owned(other)),
            },
        }
    }

    fn same_kind(&self, other: &Node<'_>) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }

    /// Elements of a JSON array node (Jayway's `asValueListNode`).
    fn list(&self) -> Option<Vec<Node<'_>>> {
        match self {
            Node::Json(v) => match v.as_ref() {
                Value::Array(items) => Some(
                    items
                        .iter()
                        .map(|item| Node::from_value(Cow::Borrowed(item)))
                        .collect(),
                ),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Context for evaluating a filter: the node under test (`@`) and the
/// document root (`$`).
pub(crate) struct FilterScope<'a> {
    pub current: &'a Value,
    pub root: &'a Value,
}

/// Whether `expr` accepts the node in `scope`.
pub(crate) fn accepts(expr: &FilterExpr, scope: &FilterScope<'_>) -> bool {
    match expr {
        FilterExpr::Or(items) => items.iter().any(|e| accepts(e, scope)),
        FilterExpr::And(items) => items.iter().all(|e| accepts(e, scope)),
        FilterExpr::Not(inner) => !accepts(inner, scope),
        FilterExpr::Exists { path, negated } => exists(path, scope) != *negated,
        FilterExpr::Compare { left, op, right } => {
            let l = operand(left, scope);
            let r = operand(right, scope);
            compare(&l, *op, &r)
        }
    }
}

fn path_document<'a>(path: &JsonPath, scope: &FilterScope<'a>) -> Option<&'a Value> {
    match path.root() {
        Root::Current => Some(scope.current),
        Root::Input => Some(scope.root),
        // Filters only see the document being filtered.
        Root::Context | Root::Variable(_) => None,
    }
}

fn exists(path: &JsonPath, scope: &FilterScope<'_>) -> bool {
    let Some(doc) = path_document(path, scope) else {
        return false;
    };
    match select_from(path, doc, scope.root) {
        Ok(found) => !found.is_empty(),
        Err(_) => false,
    }
}

fn operand<'a>(op: &'a Operand, scope: &FilterScope<'a>) -> Node<'a> {
    match op {
        Operand::Literal(lit) => match lit {
            Literal::String(s) => Node::Str(Cow::Borrowed(s.as_str())),
            Literal::Number(Value::Number(n), text) => Node::Num(n.clone(), text.clone()),
            Literal::Number(_, _) => Node::Undefined,
            Literal::Bool(b) => Node::Bool(*b),
            Literal::Null => Node::Null,
            Literal::Json(v) => Node::Json(Cow::Borrowed(v)),
            Literal::Pattern(p) => Node::Pattern(p),
        },
        Operand::Path(path) => {
            let Some(doc) = path_document(path, scope) else {
                return Node::Undefined;
            };
            match select_from(path, doc, scope.root) {
                Ok(mut found) => {
                    if path.is_definite() {
                        if found.is_empty() {
                            Node::Undefined
                        } else {
                            Node::from_value(found.swap_remove(0))
                        }
                    } else {
                        let items: Vec<Value> = found.into_iter().map(Cow::into_owned).collect();
                        Node::Json(Cow::Owned(Value::Array(items)))
                    }
                }
                Err(_) => Node::Undefined,
            }
        }
    }
}

fn num_cmp(a: &Number, b: &Number) -> Option<Ordering> {
    if let (Some(x), Some(y)) = (as_i128(a), as_i128(b)) {
        return Some(x.cmp(&y));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

fn as_i128(n: &Number) -> Option<i128> {
    n.as_i64()
        .map(i128::from)
        .or_else(|| n.as_u64().map(i128::from))
}

fn parse_num(text: &str) -> Option<Number> {
    match super::literal::parse_number(text.trim())? {
        Value::Number(n) => Some(n),
        _ => None,
    }
}

/// Jayway's `left.equals(right)`; asymmetric between numbers and strings.
fn node_equals(left: &Node<'_>, right: &Node<'_>) -> bool {
    match (left, right) {
        (Node::Json(a), Node::Json(b)) => a.as_ref() == b.as_ref(),
        (Node::Str(a), Node::Str(b)) => a == b,
        (Node::Str(a), Node::Num(_, text)) => a.as_ref() == text.as_str(),
        (Node::Num(a, _), Node::Num(b, _)) => num_cmp(a, b) == Some(Ordering::Equal),
        (Node::Num(a, _), Node::Str(b)) => {
            parse_num(b).is_some_and(|b| num_cmp(a, &b) == Some(Ordering::Equal))
        }
        (Node::Bool(a), Node::Bool(b)) => a == b,
        (Node::Null, Node::Null) => true,
        (Node::Pattern(a), Node::Pattern(b)) => a.source == b.source,
        _ => false,
    }
}

fn ordering(left: &Node<'_>, right: &Node<'_>) -> Option<Ordering> {
    match (left, right) {
        (Node::Num(a, _), Node::Num(b, _)) => num_cmp(a, b),
        // Java compares strings by UTF-16 code units.
        (Node::Str(a), Node::Str(b)) => Some(a.encode_utf16().cmp(b.encode_utf16())),
        _ => None,
    }
}

fn regex_input(node: &Node<'_>) -> String {
    match node {
        Node::Str(s) => s.to_string(),
        Node::Num(_, text) => text.clone(),
        Node::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

fn compare(left: &Node<'_>, op: RelOp, right: &Node<'_>) -> bool {
    match op {
        RelOp::Eq => node_equals(left, right),
        RelOp::Ne => !node_equals(left, right),
        RelOp::TypeSafeEq => left.same_kind(right) && node_equals(left, right),
        RelOp::TypeSafeNe => !(left.same_kind(right) && node_equals(left, right)),
        RelOp::Lt => ordering(left, right) == Some(Ordering::Less),
        RelOp::Le => matches!(
            ordering(left, right),
            Some(Ordering::Less | Ordering::Equal)
        ),
        RelOp::Gt => ordering(left, right) == Some(Ordering::Greater),
        RelOp::Ge => matches!(
            ordering(left, right),
            Some(Ordering::Greater | Ordering::Equal)
        ),
        RelOp::Regex => match (left, right) {
            (Node::Pattern(p), other) | (other, Node::Pattern(p))
                if !matches!(other, Node::Pattern(_)) =>
            {
                p.regex.is_match(&regex_input(other)).unwrap_or(false)
            }
            _ => false,
        },
        RelOp::In => right
            .list()
            .is_some_and(|items| items.iter().any(|item| node_equals(left, item))),
        RelOp::Nin => !right
            .list()
            .is_some_and(|items| items.iter().any(|item| node_equals(left, item))),
        RelOp::Contains => match (left, right) {
            (Node::Str(a), Node::Str(b)) => a.contains(b.as_ref()),
            _ => left
                .list()
                .is_some_and(|items| items.iter().any(|item| node_equals(right, item))),
        },
        RelOp::All => match (left.list(), right.list()) {
            (Some(have), Some(need)) => need.iter().all(|n| have.iter().any(|h| node_equals(n, h))),
            _ => false,
        },
        RelOp::Size => {
            let Node::Num(n, _) = right else {
                return false;
            };
            let expected = n.as_f64().map(|f| f.trunc() as i64);
            let actual = match left {
                Node::Str(s) => Some(s.encode_utf16().count() as i64),
                Node::Json(v) => match v.as_ref() {
                    Value::Array(a) => Some(a.len() as i64),
                    Value::Object(o) => Some(o.len() as i64),
                    _ => None,
                },
                _ => None,
            };
            actual.is_some() && actual == expected
        }
        RelOp::Empty => {
            let Node::Bool(want) = right else {
                return false;
            };
            match left {
                Node::Str(s) => s.is_empty() == *want,
                Node::Json(v) => match v.as_ref() {
                    Value::Array(a) => a.is_empty() == *want,
                    Value::Object(o) => o.is_empty() == *want,
                    _ => false,
                },
                _ => false,
            }
        }
        RelOp::SubsetOf => match (left.list(), right.list()) {
            (Some(l), Some(r)) => l.iter().all(|x| r.iter().any(|y| node_equals(x, y))),
            _ => false,
        },
        RelOp::AnyOf => match (left.list(), right.list()) {
            (Some(l), Some(r)) => l.iter().any(|x| r.iter().any(|y| node_equals(x, y))),
            _ => false,
        },
        RelOp::NoneOf => match (left.list(), right.list()) {
            (Some(l), Some(r)) => !l.iter().any(|x| r.iter().any(|y| node_equals(x, y))),
            _ => false,
        },
        RelOp::Exists => match right {
            Node::Bool(want) => !matches!(left, Node::Undefined) == *want,
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use serde_json::{Value, json};

    fn run(path: &str, doc: Value) -> Value {
        parse(path)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .evaluate(&doc)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn books() -> Value {
        json!({"store": {"book": [
            {"title": "A", "price": 8.95, "category": "reference", "tags": ["x", "y"]},
            {"title": "B", "price": 12.99, "category": "fiction", "isbn": "0-553"},
            {"title": "C", "price": 8, "category": "fiction", "tags": []},
            {"title": "D", "price": 22.99, "category": "Fiction", "isbn": null}
        ]}, "limit": 10})
    }

    fn titles(path: &str) -> Vec<String> {
        match run(path, books()) {
            Value::Array(items) => items
                .iter()
                .filter_map(|b| b.get("title").and_then(Value::as_str).map(String::from))
                .collect(),
            other => panic!("{path}: {other}"),
        }
    }

    #[test]
    fn comparisons() {
        assert_eq!(titles("$.store.book[?(@.price < 10)]"), ["A", "C"]);
        assert_eq!(titles("$.store.book[?(@.price >= 12.99)]"), ["B", "D"]);
        assert_eq!(titles("$.store.book[?(@.price <= $.limit)]"), ["A", "C"]);
        assert_eq!(
            titles("$.store.book[?(@.category == 'fiction')]"),
            ["B", "C"]
        );
        assert_eq!(
            titles("$.store.book[?(@.category != 'fiction')]"),
            ["A", "D"]
        );
        assert_eq!(titles("$.store.book[?(@.price == '8')]"), ["C"]);
        assert_eq!(titles("$.store.book[?(@.price === 8)]"), ["C"]);
    }

    #[test]
    fn logic_and_existence() {
        assert_eq!(titles("$.store.book[?(@.isbn)]"), ["B", "D"]);
        assert_eq!(titles("$.store.book[?(!@.isbn)]"), ["A", "C"]);
        assert_eq!(
            titles("$.store.book[?(@.price < 10 && @.category == 'fiction')]"),
            ["C"]
        );
        assert_eq!(
            titles("$.store.book[?(@.price > 20 || @.title == 'A')]"),
            ["A", "D"]
        );
        assert_eq!(titles("$.store.book[?(!(@.price < 10))]"), ["B", "D"]);
    }

    #[test]
    fn regex_and_collections() {
        assert_eq!(titles("$.store.book[?(@.category =~ /fic.*/)]"), ["B", "C"]);
        assert_eq!(
            titles("$.store.book[?(@.category =~ /FICTION/i)]"),
            ["B", "C", "D"]
        );
        assert_eq!(titles("$.store.book[?(@.title in ['A', 'C'])]"), ["A", "C"]);
        assert_eq!(
            titles("$.store.book[?(@.title nin ['A', 'C'])]"),
            ["B", "D"]
        );
        assert_eq!(titles("$.store.book[?(@.tags size 2)]"), ["A"]);
        assert_eq!(titles("$.store.book[?(@.tags empty true)]"), ["C"]);
        assert_eq!(titles("$.store.book[?(@.tags anyof ['y', 'z'])]"), ["A"]);
        assert_eq!(titles("$.store.book[?(@.tags noneof ['y'])]"), ["C"]);
        assert_eq!(
            titles("$.store.book[?(@.tags subsetof ['x', 'y', 'z'])]"),
            ["A", "C"]
        );
        assert_eq!(titles("$.store.book[?(@.tags contains 'x')]"), ["A"]);
        assert_eq!(
            titles("$.store.book[?(@.title size 1)]"),
            ["A", "B", "C", "D"]
        );
    }

    #[test]
    fn functions_inside_filters() {
        assert_eq!(titles("$.store.book[?(@.tags.length() == 2)]"), ["A"]);
    }

    #[test]
    fn filter_on_object_tests_the_object_itself() {
        assert_eq!(
            run("$.store[?(@.book)]", books()).as_array().map(Vec::len),
            Some(1)
        );
        assert_eq!(run("$.store[?(@.nope)]", books()), json!([]));
    }
}
