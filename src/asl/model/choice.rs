//! Choice states: rules, boolean combinations and every comparison operator.

use super::fields::string;
use serde_json::{Map as JsonMap, Value};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Choice {
    pub choices: Vec<ChoiceRule>,
    pub default: Option<String>,
}

/// A top-level rule: a condition and where it leads.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceRule {
    pub condition: Condition,
    pub next: Option<String>,
    pub comment: Option<String>,
    pub assign: Option<Value>,
    pub output: Option<Value>,
}

/// A boolean expression of a Choice rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Comparison(Comparison),
    And(Vec<Condition>),
    Or(Vec<Condition>),
    Not(Box<Condition>),
    /// JSONata `Condition` (a `{% %}` string, or a literal boolean).
    Jsonata(Value),
    /// No recognisable operator (the validator explains why).
    Invalid,
}

/// `Variable` compared by one operator with a literal or with another path's value.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub variable: String,
    pub operator: ComparisonOperator,
    pub value: ComparisonValue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ComparisonValue {
    Literal(Value),
    /// The `...Path` form: compare with the value at this path.
    Path(String),
}

macro_rules! operators {
    ($($name:ident),* $(,)?) => {
        /// Every comparison operator (each `*Path` form is the same operator with a path value).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ComparisonOperator { $($name),* }

        impl ComparisonOperator {
            pub const ALL: &'static [ComparisonOperator] = &[$(ComparisonOperator::$name),*];

            pub fn as_str(self) -> &'static str {
                match self { $(ComparisonOperator::$name => stringify!($name)),* }
            }
        }
    };
}

operators!(
    StringEquals,
    StringLessThan,
    StringGreaterThan,
    StringLessThanEquals,
    StringGreaterThanEquals,
    StringMatches,
    NumericEquals,
    NumericLessThan,
    NumericGreaterThan,
    NumericLessThanEquals,
    NumericGreaterThanEquals,
    BooleanEquals,
    TimestampEquals,
    TimestampLessThan,
    TimestampGreaterThan,
    TimestampLessThanEquals,
    TimestampGreaterThanEquals,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
);

impl ComparisonOperator {
    /// Reads an operator key; the flag says whether it is the `...Path` form.
    pub fn parse(key: &str) -> Option<(ComparisonOperator, bool)> {
        if let Some(op) = Self::ALL.iter().find(|op| op.as_str() == key) {
            return Some((*op, false));
        }
        let base = key.strip_suffix("Path")?;
        Self::ALL
            .iter()
            .find(|op| op.as_str() == base && op.has_path_form())
            .map(|op| (*op, true))
    }

    /// `Is*` tests and `StringMatches` have no `...Path` variant.
    pub fn has_path_form(self) -> bool {
        !self.is_type_test() && self != ComparisonOperator::StringMatches
    }

    pub fn is_type_test(self) -> bool {
        matches!(
            self,
            ComparisonOperator::IsNull
                | ComparisonOperator::IsPresent
                | ComparisonOperator::IsNumeric
                | ComparisonOperator::IsString
                | ComparisonOperator::IsBoolean
                | ComparisonOperator::IsTimestamp
        )
    }

    /// The JSON type the literal operand must have ("string", "number", "boolean").
    pub fn operand_type(self) -> &'static str {
        let name = self.as_str();
        if name.starts_with("Numeric") {
            "number"
        } else if name.starts_with("Boolean") || self.is_type_test() {
            "boolean"
        } else {
            "string"
        }
    }
}

impl Choice {
    pub(super) fn from_object(object: &JsonMap<String, Value>) -> Choice {
        Choice {
            choices: object
                .get("Choices")
                .and_then(Value::as_array)
                .map(|rules| rules.iter().map(ChoiceRule::from_value).collect())
                .unwrap_or_default(),
            default: string(object, "Default"),
        }
    }
}

impl ChoiceRule {
    pub fn from_value(value: &Value) -> ChoiceRule {
        let empty = JsonMap::new();
        let object = value.as_object().unwrap_or(&empty);
        ChoiceRule {
            condition: Condition::from_object(object),
            next: string(object, "Next"),
            comment: string(object, "Comment"),
            assign: object.get("Assign").cloned(),
            output: object.get("Output").cloned(),
        }
    }
}

impl Condition {
    pub fn from_value(value: &Value) -> Condition {
        value
            .as_object()
            .map_or(Condition::Invalid, Condition::from_object)
    }

    fn from_object(object: &JsonMap<String, Value>) -> Condition {
        if let Some(condition) = object.get("Condition") {
            return Condition::Jsonata(condition.clone());
        }
        let list = |key: &str| -> Option<Vec<Condition>> {
            object
                .get(key)
                .and_then(Value::as_array)
                .map(|items| items.iter().map(Condition::from_value).collect())
        };
        if let Some(items) = list("And") {
            return Condition::And(items);
        }
        if let Some(items) = list("Or") {
            return Condition::Or(items);
        }
        if let Some(inner) = object.get("Not") {
            return Condition::Not(Box::new(Condition::from_value(inner)));
        }
        let Some(variable) = string(object, "Variable") else {
            return Condition::Invalid;
        };
        object
            .iter()
            .find_map(|(key, operand)| {
                let (operator, is_path) = ComparisonOperator::parse(key)?;
                let value = if is_path {
                    ComparisonValue::Path(operand.as_str()?.to_string())
                } else {
                    ComparisonValue::Literal(operand.clone())
                };
                Some(Condition::Comparison(Comparison {
                    variable: variable.clone(),
                    operator,
                    value,
                }))
            })
            .unwrap_or(Condition::Invalid)
    }
}
