//! Choice states: every comparison operator, And / Or / Not, and JSONata conditions.

use super::super::compiled::{CompiledCondition, CompiledOperand, CompiledRule};
use super::super::dataflow::{Extras, json_type_name};
use super::super::errors::{Failure, names};
use super::super::execution::Execution;
use super::super::frame::{FrameId, StateRun};
use super::simple::parse_timestamp;
use crate::asl::model::{ComparisonOperator as Op, QueryLanguage};
use serde_json::Value;
use std::cmp::Ordering;
use std::sync::Arc;

impl Execution {
    pub(super) fn process_choice(
        &mut self,
        id: FrameId,
        run: &StateRun,
        rules: &[CompiledRule],
        default: Option<&str>,
    ) -> Result<(), Failure> {
        let state = &run.state;
        let effective = match state.language {
            QueryLanguage::JsonPath => {
                let input = self.apply_input_path(id, &state.input_path, &run.raw_input);
                self.staged(id, super::super::stages::Stage::AfterInputPath, input)?
            }
            QueryLanguage::Jsonata => (*run.raw_input).clone(),
        };
        let mut matched = None;
        for rule in rules {
            if self.condition_holds(id, run, &rule.condition, &effective, 0)? {
                matched = Some(rule);
                break;
            }
        }
        let next = match (matched, default) {
            (Some(rule), _) => rule.next.clone(),
            (None, Some(default)) => Some(default.to_string()),
            (None, None) => {
                return Err(Failure::new(
                    names::NO_CHOICE_MATCHED,
                    super::super::errors::in_state(
                        &state.name,
                        run.entered_event,
                        "No Choice rule matched and there is no Default",
                    ),
                ));
            }
        };
        // A matching rule's Assign / Output replace the state's; Default uses the state's.
        let assign = matched.map_or(state.assign.as_ref(), |rule| {
            rule.assign.as_ref().or(state.assign.as_ref())
        });
        let assigned = match assign {
            Some(assign) => Some(self.eval_assign(
                id,
                assign,
                &effective,
                &run.raw_input,
                &Extras::default(),
            )?),
            None => None,
        };
        let output = match state.language {
            QueryLanguage::JsonPath => self.apply_output_path(id, &state.output_path, effective)?,
            QueryLanguage::Jsonata => match matched
                .and_then(|r| r.output.as_ref())
                .or(state.output.as_ref())
            {
                Some(template) => self
                    .eval_jsonata(id, template, "Output", &run.raw_input, &Extras::default())
                    .map_err(|e| self.template_failure(id, e))?,
                None => effective,
            },
        };
        self.exit_state(id, Arc::new(output), assigned, Some(next));
        Ok(())
    }

    fn condition_holds(
        &mut self,
        id: FrameId,
        run: &StateRun,
        condition: &CompiledCondition,
        input: &Value,
        depth: usize,
    ) -> Result<bool, Failure> {
        if depth > 256 {
            return Err(Failure::runtime(
                &run.state.name,
                run.entered_event,
                "The Choice rule is nested too deeply",
            ));
        }
        match condition {
            CompiledCondition::And(items) => {
                for item in items {
                    if !self.condition_holds(id, run, item, input, depth + 1)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            CompiledCondition::Or(items) => {
                for item in items {
                    if self.condition_holds(id, run, item, input, depth + 1)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            CompiledCondition::Not(inner) => {
                Ok(!self.condition_holds(id, run, inner, input, depth + 1)?)
            }
            CompiledCondition::Jsonata(template) => {
                let value = self
                    .eval_jsonata(
                        id,
                        template,
                        "Condition",
                        &run.raw_input,
                        &Extras::default(),
                    )
                    .map_err(|e| self.template_failure(id, e))?;
                match value {
                    Value::Bool(b) => Ok(b),
                    other => Err(Failure::query_evaluation(
                        &run.state.name,
                        run.entered_event,
                        Some("Condition".into()),
                        format!(
                            "The JSONata expression specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '{}' for value: {}",
                            json_type_name(&other),
                            crate::asl::path::to_json_string(&other)
                        ),
                    )),
                }
            }
            CompiledCondition::Comparison {
                variable,
                operator,
                value,
            } => {
                let actual = self.read_path(id, variable, input).ok();
                if *operator == Op::IsPresent {
                    let expected = value_bool(value);
                    return Ok(actual.is_some() == expected);
                }
                let Some(actual) = actual else {
                    return Err(Failure::runtime(
                        &run.state.name,
                        run.entered_event,
                        format!(
                            "Invalid path '{}': The choice state's condition path references an invalid value.",
                            variable.source()
                        ),
                    ));
                };
                let operand = match value {
                    CompiledOperand::Literal(v) => v.clone(),
                    CompiledOperand::Path(path) => match self.read_path(id, path, input) {
                        Ok(v) => v,
                        Err(_) => {
                            return Err(Failure::runtime(
                                &run.state.name,
                                run.entered_event,
                                format!(
                                    "Invalid path '{}': The choice state's condition path references an invalid value.",
                                    path.source()
                                ),
                            ));
                        }
                    },
                };
                Ok(compare(*operator, &actual, &operand))
            }
        }
    }
}

fn value_bool(operand: &CompiledOperand) -> bool {
    matches!(operand, CompiledOperand::Literal(Value::Bool(true)))
}

/// One comparison; a value of the wrong type never matches.
pub(crate) fn compare(operator: Op, actual: &Value, operand: &Value) -> bool {
    let expect = |b: bool| operand.as_bool() == Some(b);
    match operator {
        Op::IsNull => expect(actual.is_null()),
        Op::IsPresent => expect(true),
        Op::IsNumeric => expect(actual.is_number()),
        Op::IsString => expect(actual.is_string()),
        Op::IsBoolean => expect(actual.is_boolean()),
        Op::IsTimestamp => expect(actual.as_str().and_then(parse_timestamp).is_some()),
        Op::StringMatches => match (actual.as_str(), operand.as_str()) {
            (Some(text), Some(pattern)) => glob_matches(pattern, text),
            _ => false,
        },
        Op::StringEquals => ordered(actual.as_str(), operand.as_str(), |o| o == Ordering::Equal),
        Op::StringLessThan => ordered(actual.as_str(), operand.as_str(), |o| o == Ordering::Less),
        Op::StringGreaterThan => ordered(actual.as_str(), operand.as_str(), |o| {
            o == Ordering::Greater
        }),
        Op::StringLessThanEquals => ordered(actual.as_str(), operand.as_str(), |o| {
            o != Ordering::Greater
        }),
        Op::StringGreaterThanEquals => {
            ordered(actual.as_str(), operand.as_str(), |o| o != Ordering::Less)
        }
        Op::NumericEquals => numeric(actual, operand, |o| o == Ordering::Equal),
        Op::NumericLessThan => numeric(actual, operand, |o| o == Ordering::Less),
        Op::NumericGreaterThan => numeric(actual, operand, |o| o == Ordering::Greater),
        Op::NumericLessThanEquals => numeric(actual, operand, |o| o != Ordering::Greater),
        Op::NumericGreaterThanEquals => numeric(actual, operand, |o| o != Ordering::Less),
        Op::BooleanEquals => {
            matches!((actual.as_bool(), operand.as_bool()), (Some(a), Some(b)) if a == b)
        }
        Op::TimestampEquals => timestamps(actual, operand, |o| o == Ordering::Equal),
        Op::TimestampLessThan => timestamps(actual, operand, |o| o == Ordering::Less),
        Op::TimestampGreaterThan => timestamps(actual, operand, |o| o == Ordering::Greater),
        Op::TimestampLessThanEquals => timestamps(actual, operand, |o| o != Ordering::Greater),
        Op::TimestampGreaterThanEquals => timestamps(actual, operand, |o| o != Ordering::Less),
    }
}

fn ordered(a: Option<&str>, b: Option<&str>, test: impl Fn(Ordering) -> bool) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => test(a.cmp(b)),
        _ => false,
    }
}

fn numeric(a: &Value, b: &Value, test: impl Fn(Ordering) -> bool) -> bool {
    let (Value::Number(a), Value::Number(b)) = (a, b) else {
        return false;
    };
    let ordering = match (a.as_i64(), b.as_i64()) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => match x.partial_cmp(&y) {
                Some(o) => o,
                None => return false,
            },
            _ => return false,
        },
    };
    test(ordering)
}

fn timestamps(a: &Value, b: &Value, test: impl Fn(Ordering) -> bool) -> bool {
    match (
        a.as_str().and_then(parse_timestamp),
        b.as_str().and_then(parse_timestamp),
    ) {
        (Some(x), Some(y)) => test(x.cmp(&y)),
        _ => false,
    }
}

/// `StringMatches`: `*` matches any run of characters; `\*` and `\\` are literal.
pub(crate) fn glob_matches(pattern: &str, text: &str) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum Token {
        Star,
        Char(char),
    }
    let mut tokens = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(escaped) => tokens.push(Token::Char(escaped)),
                None => tokens.push(Token::Char('\\')),
            },
            '*' => tokens.push(Token::Star),
            other => tokens.push(Token::Char(other)),
        }
    }
    let text: Vec<char> = text.chars().collect();
    // Iterative wildcard matching with backtracking to the last star.
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match tokens.get(p) {
            Some(Token::Char(c)) if *c == text[t] => {
                t += 1;
                p += 1;
            }
            Some(Token::Star) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((star_p, star_t)) => {
                    p = star_p + 1;
                    t = star_t + 1;
                    star = Some((star_p, star_t + 1));
                }
                None => return false,
            },
        }
    }
    tokens[p.min(tokens.len())..]
        .iter()
        .all(|token| *token == Token::Star)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn globs_match_like_aws() {
        assert!(glob_matches("log-*.txt", "log-2024.txt"));
        assert!(glob_matches("*", ""));
        assert!(glob_matches("a*b*c", "axxbyyc"));
        assert!(!glob_matches("a*b", "ac"));
        assert!(glob_matches("a\\*b", "a*b"));
        assert!(!glob_matches("a\\*b", "axb"));
        assert!(glob_matches("\\\\*", "\\anything"));
    }

    #[test]
    fn comparisons_require_matching_types() {
        assert!(compare(Op::NumericEquals, &json!(1), &json!(1.0)));
        assert!(!compare(Op::NumericEquals, &json!("1"), &json!(1)));
        assert!(compare(Op::StringLessThan, &json!("a"), &json!("b")));
        assert!(!compare(Op::StringEquals, &json!(null), &json!("null")));
        assert!(compare(Op::BooleanEquals, &json!(false), &json!(false)));
        assert!(compare(
            Op::TimestampLessThan,
            &json!("2020-01-01T00:00:00Z"),
            &json!("2020-01-01T00:00:01+00:00")
        ));
        assert!(compare(Op::IsNull, &json!(null), &json!(true)));
        assert!(compare(Op::IsString, &json!(1), &json!(false)));
        assert!(compare(
            Op::IsTimestamp,
            &json!("2020-01-01T00:00:00Z"),
            &json!(true)
        ));
    }
}
