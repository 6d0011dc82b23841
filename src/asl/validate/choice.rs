//! Choice rules: comparisons, And / Or / Not, JSONata conditions.

use super::expressions::{PathKind, is_jsonata};
use super::{Anchor, Code, Validator};
use crate::asl::document::pointer;
use crate::asl::model::{ComparisonOperator, QueryLanguage};
use serde_json::{Map as JsonMap, Value};

impl Validator<'_> {
    pub(super) fn check_choice(
        &mut self,
        object: &JsonMap<String, Value>,
        at: &str,
        language: QueryLanguage,
    ) {
        let choices_at = pointer::join(at, "Choices");
        match object.get("Choices") {
            None => self.error(
                at,
                Anchor::Key,
                Code::MissingField,
                "a Choice state needs Choices",
            ),
            Some(Value::Array(rules)) if rules.is_empty() => {
                self.error(
                    &choices_at,
                    Anchor::Value,
                    Code::ChoiceRule,
                    "Choices must have at least one rule",
                );
            }
            Some(Value::Array(rules)) => {
                for (i, rule) in rules.iter().enumerate() {
                    self.check_choice_rule(
                        rule,
                        &pointer::join(&choices_at, &i.to_string()),
                        language,
                        true,
                        0,
                    );
                }
            }
            Some(_) => self.error(
                &choices_at,
                Anchor::Value,
                Code::WrongType,
                "Choices must be an array of rules",
            ),
        }
        if let Some(default) = object.get("Default")
            && !default.is_string()
        {
            self.error(
                &pointer::join(at, "Default"),
                Anchor::Value,
                Code::WrongType,
                "Default must be the name of a state",
            );
        }
    }

    fn check_choice_rule(
        &mut self,
        rule: &Value,
        at: &str,
        language: QueryLanguage,
        top: bool,
        depth: usize,
    ) {
        if depth > 64 {
            self.error(
                at,
                Anchor::Value,
                Code::ChoiceRule,
                "Choice rules are nested too deeply",
            );
            return;
        }
        let Some(object) = rule.as_object() else {
            self.error(
                at,
                Anchor::Value,
                Code::WrongType,
                "a Choice rule must be an object",
            );
            return;
        };
        if top {
            match object.get("Next") {
                None => self.error(
                    at,
                    Anchor::Value,
                    Code::ChoiceRule,
                    "each rule in Choices needs Next",
                ),
                Some(Value::String(_)) => {}
                Some(_) => self.error(
                    &pointer::join(at, "Next"),
                    Anchor::Value,
                    Code::WrongType,
                    "Next must be the name of a state",
                ),
            }
            if let Some(assign) = object.get("Assign") {
                self.check_assign(assign, &pointer::join(at, "Assign"), language);
            }
        } else if object.contains_key("Next") {
            self.error(
                &pointer::join(at, "Next"),
                Anchor::Key,
                Code::ChoiceRule,
                "only top-level Choice rules have Next; a rule inside And, Or or Not cannot",
            );
        }
        if language == QueryLanguage::Jsonata {
            let allowed: &[&str] = if top {
                &["Condition", "Next", "Assign", "Output", "Comment"]
            } else {
                &["Condition", "Comment"]
            };
            self.check_known_fields(object, at, allowed, "a JSONata Choice rule");
            match object.get("Condition") {
                None => self.error(
                    at,
                    Anchor::Value,
                    Code::ChoiceRule,
                    "a JSONata Choice rule needs a Condition",
                ),
                Some(Value::Bool(_)) => {}
                Some(Value::String(s)) if is_jsonata(s) => self.check_expressions(
                    &Value::String(s.clone()),
                    &pointer::join(at, "Condition"),
                    language,
                ),
                Some(_) => self.error(
                    &pointer::join(at, "Condition"),
                    Anchor::Value,
                    Code::WrongType,
                    "Condition must be a {% %} JSONata expression or a boolean",
                ),
            }
            if let Some(output) = object.get("Output") {
                self.check_expressions(output, &pointer::join(at, "Output"), language);
            }
            return;
        }
        let mut kinds: Vec<&str> = Vec::new();
        for key in object.keys() {
            let key_at = pointer::join(at, key);
            match key.as_str() {
                "Next" | "Comment" | "Variable" => {}
                "Assign" if top => {}
                "And" | "Or" => {
                    kinds.push(key);
                    match object.get(key.as_str()).and_then(Value::as_array) {
                        Some(items) if !items.is_empty() => {
                            for (i, item) in items.iter().enumerate() {
                                self.check_choice_rule(
                                    item,
                                    &pointer::join(&key_at, &i.to_string()),
                                    language,
                                    false,
                                    depth + 1,
                                );
                            }
                        }
                        _ => self.error(
                            &key_at,
                            Anchor::Value,
                            Code::ChoiceRule,
                            format!("{key} must be a non-empty array of rules"),
                        ),
                    }
                }
                "Not" => {
                    kinds.push(key);
                    if let Some(inner) = object.get("Not") {
                        self.check_choice_rule(inner, &key_at, language, false, depth + 1);
                    }
                }
                "Condition" | "Output" => self.error(
                    &key_at,
                    Anchor::Key,
                    Code::FieldNotAllowed,
                    format!("\"{key}\" is a JSONata field; this Choice state uses JSONPath"),
                ),
                other => match ComparisonOperator::parse(other) {
                    Some((operator, is_path)) => {
                        kinds.push(key);
                        if let Some(operand) = object.get(other) {
                            self.check_operand(operator, is_path, operand, &key_at);
                        }
                    }
                    None => self.error(
                        &key_at,
                        Anchor::Key,
                        Code::UnknownField,
                        format!("\"{other}\" is not a Choice rule field or comparison operator"),
                    ),
                },
            }
        }
        let is_comparison = kinds.iter().any(|k| !matches!(*k, "And" | "Or" | "Not"));
        match kinds.len() {
            0 => self.error(at, Anchor::Value, Code::ChoiceRule, "this rule has no comparison: add an operator such as StringEquals, or And / Or / Not"),
            1 => {}
            _ => self.error(at, Anchor::Value, Code::ChoiceRule, format!("a rule takes exactly one comparison; this one has {}", kinds.join(", "))),
        }
        match object.get("Variable") {
            Some(Value::String(variable)) => {
                if !is_comparison {
                    self.error(
                        &pointer::join(at, "Variable"),
                        Anchor::Key,
                        Code::ChoiceRule,
                        "Variable goes with a comparison operator, not with And / Or / Not",
                    );
                }
                self.check_path(
                    variable,
                    &pointer::join(at, "Variable"),
                    "Variable",
                    PathKind::Path,
                );
            }
            Some(_) => self.error(
                &pointer::join(at, "Variable"),
                Anchor::Value,
                Code::WrongType,
                "Variable must be a path string",
            ),
            None if is_comparison => self.error(
                at,
                Anchor::Value,
                Code::ChoiceRule,
                "a comparison needs a Variable",
            ),
            None => {}
        }
    }

    fn check_operand(
        &mut self,
        operator: ComparisonOperator,
        is_path: bool,
        operand: &Value,
        at: &str,
    ) {
        let name = operator.as_str();
        if is_path {
            self.expect_path(operand, at, &format!("{name}Path"), PathKind::Path);
            return;
        }
        let expected = operator.operand_type();
        let matches = match expected {
            "number" => operand.is_number(),
            "boolean" => operand.is_boolean(),
            _ => operand.is_string(),
        };
        if !matches {
            self.error(
                at,
                Anchor::Value,
                Code::WrongType,
                format!("{name} compares with a {expected}"),
            );
            return;
        }
        if name.starts_with("Timestamp")
            && let Some(s) = operand.as_str()
        {
            self.check_timestamp(s, at);
        }
    }
}
