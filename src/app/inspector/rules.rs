//! Choice rules read straight from their JSON (the form needs the exact keys, which the typed
//! model does not keep) and the edits that change them: operator, literal or path operand,
//! and the `And` / `Or` / `Not` combinators.

use super::edits::{rekey, set_field};
use crate::asl::document::{Document, Edit, pointer};
use crate::asl::model::{ComparisonOperator, QueryLanguage};
use serde_json::{Map as JsonMap, Number, Value, json};

/// The deepest nesting the form shows; deeper conditions are edited in the Code tab.
pub const MAX_DEPTH: usize = 24;

/// What a JSONPath condition is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Combinator {
    Comparison,
    And,
    Or,
    Not,
}

impl Combinator {
    pub const ALL: [Combinator; 4] = [
        Combinator::Comparison,
        Combinator::And,
        Combinator::Or,
        Combinator::Not,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Combinator::Comparison => "Comparison",
            Combinator::And => "And (all of)",
            Combinator::Or => "Or (any of)",
            Combinator::Not => "Not",
        }
    }

    fn key(self) -> Option<&'static str> {
        match self {
            Combinator::Comparison => None,
            Combinator::And => Some("And"),
            Combinator::Or => Some("Or"),
            Combinator::Not => Some("Not"),
        }
    }
}

/// Whether a key of a rule object belongs to its condition (the others are the rule's own:
/// `Next`, `Comment`, `Assign`, `Output`).
pub fn is_condition_key(key: &str) -> bool {
    matches!(key, "Variable" | "And" | "Or" | "Not" | "Condition")
        || ComparisonOperator::parse(key).is_some()
}

/// The combinator of a JSONPath condition (None for a JSONata `Condition` or a non-object).
pub fn combinator_of(condition: &Value) -> Option<Combinator> {
    let object = condition.as_object()?;
    if object.contains_key("Condition") {
        return None;
    }
    Some(if object.contains_key("And") {
        Combinator::And
    } else if object.contains_key("Or") {
        Combinator::Or
    } else if object.contains_key("Not") {
        Combinator::Not
    } else {
        Combinator::Comparison
    })
}

/// The operator member of a comparison: its key, operator and whether it is the `…Path` form.
#[derive(Debug, Clone, PartialEq)]
pub struct OperatorKey {
    pub key: String,
    pub operator: ComparisonOperator,
    pub path: bool,
    pub value: Value,
}

/// The first operator member of a comparison, in text order.
pub fn operator_of(condition: &Value) -> Option<OperatorKey> {
    condition.as_object()?.iter().find_map(|(key, value)| {
        let (operator, path) = ComparisonOperator::parse(key)?;
        Some(OperatorKey {
            key: key.clone(),
            operator,
            path,
            value: value.clone(),
        })
    })
}

/// The key an operator is written with.
pub fn operator_key(operator: ComparisonOperator, path: bool) -> String {
    if path && operator.has_path_form() {
        format!("{}Path", operator.as_str())
    } else {
        operator.as_str().to_string()
    }
}

/// A literal operand for `operator`, converted from the previous one where it means the same
/// (`"42"` → `42`, `true` → `"true"`), else the type's neutral value.
pub fn convert_operand(previous: &Value, operator: ComparisonOperator) -> Value {
    match operator.operand_type() {
        "number" => match previous {
            Value::Number(_) => previous.clone(),
            Value::String(text) => parse_number(text.trim()).unwrap_or_else(|| json!(0)),
            _ => json!(0),
        },
        "boolean" => match previous {
            Value::Bool(_) => previous.clone(),
            Value::String(text) if text.trim() == "false" => json!(false),
            _ => json!(true),
        },
        _ => match previous {
            Value::String(_) => previous.clone(),
            Value::Number(n) => Value::String(n.to_string()),
            Value::Bool(b) => Value::String(b.to_string()),
            _ => json!(""),
        },
    }
}

fn parse_number(text: &str) -> Option<Value> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Number(n)) => Some(Value::Number(n)),
        _ => text
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number),
    }
}

/// The path a new `…Path` operand starts with.
const DEFAULT_PATH: &str = "$.value";

/// The edit giving the comparison at `at` another operator or operand form (`…Path`), keeping
/// the operator's place and converting its operand. None when nothing changes.
pub fn change_operator(
    doc: &Document,
    at: &str,
    operator: ComparisonOperator,
    path: bool,
) -> Option<Edit> {
    let condition = doc.value().pointer(at)?;
    let path = path && operator.has_path_form();
    let key = operator_key(operator, path);
    let Some(current) = operator_of(condition) else {
        let value = if path {
            json!(DEFAULT_PATH)
        } else {
            convert_operand(&Value::Null, operator)
        };
        return set_field(doc, &pointer::join(at, &key), Some(value));
    };
    let value = match (path, current.path) {
        (true, true) => current.value.clone(),
        (true, false) => match &current.value {
            Value::String(s) if s.starts_with('$') => current.value.clone(),
            _ => json!(DEFAULT_PATH),
        },
        (false, true) => convert_operand(&Value::Null, operator),
        (false, false) => convert_operand(&current.value, operator),
    };
    if key == current.key && value == current.value {
        return None;
    }
    Some(rekey(&pointer::join(at, &current.key), &key, value))
}

/// A comparison to start from.
pub fn default_comparison() -> Value {
    json!({"Variable": DEFAULT_PATH, "StringEquals": ""})
}

/// The condition part of a rule (or of a nested condition): its condition keys only.
pub fn condition_part(rule: &Value) -> Value {
    let object: JsonMap<String, Value> = rule
        .as_object()
        .map(|o| {
            o.iter()
                .filter(|(k, _)| is_condition_key(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    Value::Object(object)
}

/// The first comparison in a condition, depth first (bounded).
fn first_comparison(condition: &Value, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    match combinator_of(condition)? {
        Combinator::Comparison => Some(condition_part(condition)),
        Combinator::Not => first_comparison(condition.get("Not")?, depth + 1),
        Combinator::And | Combinator::Or => condition
            .get(if condition.get("And").is_some() {
                "And"
            } else {
                "Or"
            })?
            .as_array()?
            .iter()
            .find_map(|c| first_comparison(c, depth + 1)),
    }
}

/// The condition rewritten with another combinator, keeping what it had: a comparison becomes
/// the first of an `And`/`Or` (with a second one to fill in) or the operand of `Not`; `And`
/// becomes `Or` with the same list; leaving a combinator keeps its first comparison.
pub fn with_combinator(condition: &Value, to: Combinator) -> Value {
    let part = condition_part(condition);
    let from = combinator_of(condition);
    if from == Some(to) {
        return part;
    }
    let children: Vec<Value> = match from {
        Some(Combinator::And) => list(condition, "And"),
        Some(Combinator::Or) => list(condition, "Or"),
        Some(Combinator::Not) => condition.get("Not").cloned().into_iter().collect(),
        Some(Combinator::Comparison) => vec![part.clone()],
        None => Vec::new(),
    };
    match to {
        Combinator::Comparison => first_comparison(condition, 0).unwrap_or_else(default_comparison),
        Combinator::And | Combinator::Or => {
            let mut items = children;
            if from == Some(Combinator::Comparison) || items.is_empty() {
                items.push(default_comparison());
            }
            let key = to.key().unwrap_or("And");
            json!({ key: items })
        }
        Combinator::Not => {
            let inner = children
                .into_iter()
                .next()
                .unwrap_or_else(default_comparison);
            json!({ "Not": inner })
        }
    }
}

fn list(condition: &Value, key: &str) -> Vec<Value> {
    condition
        .get(key)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// A rule with its condition replaced; the rule's own fields stay where they were and the new
/// condition takes the place of the old one (first, when there was none).
pub fn replace_condition(rule: &Value, condition: &Value) -> Value {
    let empty = JsonMap::new();
    let rule = rule.as_object().unwrap_or(&empty);
    let new_part = condition.as_object().unwrap_or(&empty);
    let mut out = JsonMap::new();
    let mut placed = false;
    if !rule.keys().any(|k| is_condition_key(k)) {
        out.extend(new_part.iter().map(|(k, v)| (k.clone(), v.clone())));
        placed = true;
    }
    for (key, value) in rule {
        if is_condition_key(key) {
            if !placed {
                out.extend(new_part.iter().map(|(k, v)| (k.clone(), v.clone())));
                placed = true;
            }
        } else {
            out.insert(key.clone(), value.clone());
        }
    }
    Value::Object(out)
}

/// The edit giving the condition at `at` a new shape: a top-level rule keeps its own fields,
/// a nested condition is replaced whole.
pub fn set_condition(doc: &Document, at: &str, top_level: bool, condition: Value) -> Option<Edit> {
    let current = doc.value().pointer(at)?;
    let value = if top_level {
        replace_condition(current, &condition)
    } else {
        condition
    };
    (value != *current).then(|| Edit::Set {
        pointer: at.to_string(),
        value,
    })
}

/// A condition in a few words (`$.n > 10 and not $.s == "x"`), for a folded rule.
pub fn describe(condition: &Value) -> String {
    let mut out = String::new();
    describe_into(condition, 0, &mut out);
    out
}

fn describe_into(condition: &Value, depth: usize, out: &mut String) {
    if depth > MAX_DEPTH {
        out.push('…');
        return;
    }
    if let Some(expression) = condition.get("Condition") {
        let text = expression
            .as_str()
            .map_or_else(|| expression.to_string(), str::to_string);
        let inner = text
            .trim()
            .trim_start_matches("{%")
            .trim_end_matches("%}")
            .trim();
        out.push_str(inner);
        return;
    }
    match combinator_of(condition) {
        Some(Combinator::And | Combinator::Or) => {
            let (key, word) = if condition.get("And").is_some() {
                ("And", " and ")
            } else {
                ("Or", " or ")
            };
            let items = list(condition, key);
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(word);
                }
                let nested = matches!(combinator_of(item), Some(Combinator::And | Combinator::Or));
                if nested {
                    out.push('(');
                }
                describe_into(item, depth + 1, out);
                if nested {
                    out.push(')');
                }
            }
            if items.is_empty() {
                out.push_str(if key == "And" {
                    "(all of nothing)"
                } else {
                    "(any of nothing)"
                });
            }
        }
        Some(Combinator::Not) => {
            out.push_str("not ");
            match condition.get("Not") {
                Some(inner) => describe_into(inner, depth + 1, out),
                None => out.push('?'),
            }
        }
        Some(Combinator::Comparison) => {
            let variable = condition
                .get("Variable")
                .and_then(Value::as_str)
                .unwrap_or("?");
            out.push_str(variable);
            match operator_of(condition) {
                Some(op) => {
                    out.push(' ');
                    out.push_str(&symbol(op.operator, &op.value));
                    if !op.operator.is_type_test() {
                        out.push(' ');
                        out.push_str(&op.value.to_string());
                    }
                }
                None => out.push_str(" ?"),
            }
        }
        None => out.push('?'),
    }
}

/// How an operator reads in a summary.
fn symbol(operator: ComparisonOperator, value: &Value) -> String {
    use ComparisonOperator as Op;
    let negated = *value == Value::Bool(false);
    let test = |what: &str| {
        if negated {
            format!("is not {what}")
        } else {
            format!("is {what}")
        }
    };
    match operator {
        Op::IsNull => test("null"),
        Op::IsPresent => test("present"),
        Op::IsNumeric => test("numeric"),
        Op::IsString => test("a string"),
        Op::IsBoolean => test("a boolean"),
        Op::IsTimestamp => test("a timestamp"),
        Op::StringMatches => "matches".into(),
        other => {
            let name = other.as_str();
            let relation = [
                "LessThanEquals",
                "GreaterThanEquals",
                "LessThan",
                "GreaterThan",
                "Equals",
            ]
            .iter()
            .find(|suffix| name.ends_with(*suffix))
            .map_or("?", |suffix| match *suffix {
                "LessThanEquals" => "<=",
                "GreaterThanEquals" => ">=",
                "LessThan" => "<",
                "GreaterThan" => ">",
                _ => "==",
            });
            relation.to_string()
        }
    }
}

/// A new rule in the state's language, leading to `next`.
pub fn new_rule(language: QueryLanguage, next: &str) -> Value {
    match language {
        QueryLanguage::JsonPath => {
            let mut rule = default_comparison();
            if let Some(object) = rule.as_object_mut() {
                object.insert("Next".into(), json!(next));
            }
            rule
        }
        QueryLanguage::Jsonata => json!({"Condition": "{% true %}", "Next": next}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::document::Format;
    use ComparisonOperator as Op;

    fn doc(value: Value) -> Document {
        Document::parse(serde_json::to_string_pretty(&value).unwrap(), Format::Json).unwrap()
    }

    fn apply(d: &mut Document, edit: Option<Edit>) -> Value {
        d.apply(&edit.expect("an edit")).unwrap();
        d.value().clone()
    }

    #[test]
    fn an_operator_change_renames_the_key_and_converts_the_operand() {
        let mut d = doc(json!({"R": {"Variable": "$.n", "StringEquals": "42", "Next": "A"}}));
        let edit = change_operator(&d, "/R", Op::NumericGreaterThan, false);
        assert_eq!(
            apply(&mut d, edit),
            json!({"R": {"Variable": "$.n", "NumericGreaterThan": 42, "Next": "A"}})
        );
        let edit = change_operator(&d, "/R", Op::StringEquals, false);
        assert_eq!(apply(&mut d, edit)["R"]["StringEquals"], json!("42"));
        let edit = change_operator(&d, "/R", Op::BooleanEquals, false);
        assert_eq!(apply(&mut d, edit)["R"]["BooleanEquals"], json!(true));
        assert_eq!(change_operator(&d, "/R", Op::BooleanEquals, false), None);
    }

    #[test]
    fn the_path_form_switches_both_ways_where_it_exists() {
        let mut d = doc(json!({"R": {"Variable": "$.n", "NumericEquals": 3}}));
        let edit = change_operator(&d, "/R", Op::NumericEquals, true);
        assert_eq!(
            apply(&mut d, edit)["R"],
            json!({"Variable": "$.n", "NumericEqualsPath": "$.value"})
        );
        let edit = change_operator(&d, "/R", Op::NumericLessThan, true);
        assert_eq!(
            apply(&mut d, edit)["R"]["NumericLessThanPath"],
            json!("$.value")
        );
        // Type tests have no path form: the flag is ignored.
        let edit = change_operator(&d, "/R", Op::IsPresent, true);
        assert_eq!(
            apply(&mut d, edit)["R"],
            json!({"Variable": "$.n", "IsPresent": true})
        );
    }

    #[test]
    fn a_comparison_without_operator_gets_one() {
        let mut d = doc(json!({"R": {"Variable": "$.n", "Next": "A"}}));
        let edit = change_operator(&d, "/R", Op::IsNull, false);
        assert_eq!(apply(&mut d, edit)["R"]["IsNull"], json!(true));
    }

    #[test]
    fn combinators_keep_what_the_condition_had() {
        let cmp = json!({"Variable": "$.a", "StringEquals": "x"});
        let and = with_combinator(&cmp, Combinator::And);
        assert_eq!(and, json!({"And": [cmp.clone(), default_comparison()]}));
        let or = with_combinator(&and, Combinator::Or);
        assert_eq!(or["Or"], and["And"]);
        assert_eq!(with_combinator(&or, Combinator::Comparison), cmp);
        assert_eq!(
            with_combinator(&cmp, Combinator::Not),
            json!({"Not": cmp.clone()})
        );
        assert_eq!(
            with_combinator(&json!({"Not": cmp.clone()}), Combinator::And),
            json!({"And": [cmp.clone()]})
        );
        assert_eq!(
            with_combinator(&json!({"And": []}), Combinator::Comparison),
            default_comparison()
        );
    }

    #[test]
    fn a_rule_keeps_its_own_fields_where_they_were() {
        let rule = json!({"Comment": "c", "Variable": "$.a", "StringEquals": "x", "Next": "A"});
        let new = with_combinator(&rule, Combinator::And);
        let replaced = replace_condition(&rule, &new);
        let keys: Vec<&String> = replaced.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["Comment", "And", "Next"]);
        assert_eq!(
            replaced["And"][0],
            json!({"Variable": "$.a", "StringEquals": "x"})
        );
        let bare = replace_condition(&json!({"Next": "A"}), &default_comparison());
        let keys: Vec<&String> = bare.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["Variable", "StringEquals", "Next"]);
    }

    #[test]
    fn set_condition_edits_rules_and_nested_conditions() {
        let mut d = doc(json!({"C": [{"Not": {"Variable": "$.a", "IsNull": true}, "Next": "A"}]}));
        let nested = with_combinator(&d.value()["C"][0]["Not"], Combinator::Or);
        let edit = set_condition(&d, "/C/0/Not", false, nested);
        let v = apply(&mut d, edit);
        assert_eq!(v["C"][0]["Not"]["Or"][1], default_comparison());
        assert_eq!(v["C"][0]["Next"], json!("A"));
        let top = with_combinator(&v["C"][0], Combinator::Comparison);
        let edit = set_condition(&d, "/C/0", true, top);
        assert_eq!(
            apply(&mut d, edit)["C"][0],
            json!({"Variable": "$.a", "IsNull": true, "Next": "A"})
        );
    }

    #[test]
    fn conditions_read_in_a_few_words() {
        let rule = json!({"And": [
            {"Variable": "$.n", "NumericGreaterThanEqualsPath": "$.min"},
            {"Not": {"Variable": "$.s", "StringEquals": "x"}},
            {"Or": [{"Variable": "$.a", "IsNull": false}, {"Variable": "$.b", "StringMatches": "*.log"}]}
        ], "Next": "A"});
        assert_eq!(
            describe(&rule),
            "$.n >= \"$.min\" and not $.s == \"x\" and ($.a is not null or $.b matches \"*.log\")"
        );
        assert_eq!(describe(&json!({"Condition": "{% $x > 1 %}"})), "$x > 1");
    }

    #[test]
    fn deep_conditions_do_not_recurse_without_bound() {
        let mut deep = json!({"Variable": "$.a", "IsNull": true});
        for _ in 0..(MAX_DEPTH + 10) {
            deep = json!({"Not": deep});
        }
        assert_eq!(
            with_combinator(&deep, Combinator::Comparison),
            default_comparison()
        );
        assert!(describe(&deep).ends_with('…'));
    }
}
