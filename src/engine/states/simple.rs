//! Pass, Wait, Succeed and Fail.

use super::super::compiled::{CompiledNumber, CompiledText, CompiledWait};
use super::super::dataflow::Extras;
use super::super::errors::Failure;
use super::super::execution::Execution;
use super::super::frame::{FrameId, Phase, StateRun, Wake};
use super::super::stages::Stage;
use super::super::template::PathFailure;
use crate::asl::model::QueryLanguage;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map as JsonMap, Value};
use std::sync::Arc;

/// The longest Wait AWS accepts: one year.
const MAX_WAIT_SECONDS: i64 = 31_536_000 * 68;

impl Execution {
    pub(super) fn process_pass(
        &mut self,
        id: FrameId,
        run: &StateRun,
        result: Option<&Value>,
    ) -> Result<(), Failure> {
        let state = &run.state;
        let (output, assigned) = match state.language {
            QueryLanguage::JsonPath => {
                let effective = self.effective_input(id, state, &run.raw_input)?;
                let result = match result {
                    Some(result) => {
                        self.record_stage(id, Stage::Result, result);
                        result.clone()
                    }
                    None => effective,
                };
                let assigned = match &state.assign {
                    Some(assign) => Some(self.eval_assign(
                        id,
                        assign,
                        &result,
                        &run.raw_input,
                        &Extras::default(),
                    )?),
                    None => None,
                };
                let placed = self.apply_result_path(id, &state.result_path, &run.raw_input, result);
                let placed = self.staged(id, Stage::AfterResultPath, placed)?;
                let output = self.apply_output_path(id, &state.output_path, placed);
                (self.staged_output(id, output)?, assigned)
            }
            QueryLanguage::Jsonata => self.jsonata_output_and_assign(id, run)?,
        };
        self.exit_state(id, Arc::new(output), assigned, None);
        Ok(())
    }

    /// JSONata states without a result: Output (default: the input) and Assign.
    pub(super) fn jsonata_output_and_assign(
        &mut self,
        id: FrameId,
        run: &StateRun,
    ) -> Result<(Value, Option<JsonMap<String, Value>>), Failure> {
        let state = &run.state;
        let output = match &state.output {
            Some(template) => self
                .eval_jsonata(id, template, "Output", &run.raw_input, &Extras::default())
                .map_err(|e| self.template_failure(id, e)),
            None => Ok((*run.raw_input).clone()),
        };
        let output = self.staged_output(id, output)?;
        let assigned = match &state.assign {
            Some(assign) => Some(self.eval_assign(
                id,
                assign,
                &run.raw_input,
                &run.raw_input,
                &Extras::default(),
            )?),
            None => None,
        };
        Ok((output, assigned))
    }

    pub(super) fn process_succeed(&mut self, id: FrameId, run: &StateRun) -> Result<(), Failure> {
        let output = match run.state.language {
            QueryLanguage::JsonPath => {
                let input = self.apply_input_path(id, &run.state.input_path, &run.raw_input);
                let input = self.staged(id, Stage::AfterInputPath, input)?;
                let output = self.apply_output_path(id, &run.state.output_path, input);
                self.staged_output(id, output)?
            }
            QueryLanguage::Jsonata => self.jsonata_output_and_assign(id, run)?.0,
        };
        self.exit_state(id, Arc::new(output), None, Some(None));
        Ok(())
    }

    pub(super) fn fail_state_failure(
        &mut self,
        id: FrameId,
        run: &StateRun,
        error: Option<&CompiledText>,
        cause: Option<&CompiledText>,
    ) -> Failure {
        let mut resolve =
            |text: Option<&CompiledText>, field: &str| -> Result<Option<String>, Failure> {
                let Some(text) = text else { return Ok(None) };
                let value = match text {
                    CompiledText::Literal(s) => return Ok(Some(s.clone())),
                    CompiledText::Path(template) => {
                        self.eval_path_template(id, template, &run.raw_input, &Extras::default())
                    }
                    CompiledText::Jsonata(template) => {
                        self.eval_jsonata(id, template, field, &run.raw_input, &Extras::default())
                    }
                }
                .map_err(|e| self.template_failure(id, e))?;
                Ok(Some(match value {
                    Value::String(s) => s,
                    other => crate::asl::path::to_json_string(&other),
                }))
            };
        let error = match resolve(error, "Error") {
            Ok(error) => error,
            Err(failure) => return failure,
        };
        match resolve(cause, "Cause") {
            Ok(cause) => Failure::from_parts(error, cause),
            Err(failure) => failure,
        }
    }

    pub(super) fn process_wait(
        &mut self,
        id: FrameId,
        run: &StateRun,
        wait: Option<&CompiledWait>,
    ) -> Result<(), Failure> {
        let (name, entered) = (run.state.name.to_string(), run.entered_event);
        let (effective, output, assigned) = match run.state.language {
            QueryLanguage::JsonPath => {
                let effective = self.apply_input_path(id, &run.state.input_path, &run.raw_input);
                let effective = self.staged(id, Stage::AfterInputPath, effective)?;
                let assigned = match &run.state.assign {
                    Some(assign) => Some(self.eval_assign(
                        id,
                        assign,
                        &effective,
                        &run.raw_input,
                        &Extras::default(),
                    )?),
                    None => None,
                };
                let output = self.apply_output_path(id, &run.state.output_path, effective.clone());
                let output = self.staged_output(id, output)?;
                (effective, output, assigned)
            }
            QueryLanguage::Jsonata => {
                let (output, assigned) = self.jsonata_output_and_assign(id, run)?;
                ((*run.raw_input).clone(), output, assigned)
            }
        };
        let due = match wait {
            None => self.now,
            Some(CompiledWait::Seconds(seconds)) => {
                let seconds = self.wait_seconds(id, run, seconds, &effective)?;
                if seconds > MAX_WAIT_SECONDS {
                    return Err(Failure::runtime(&name, entered, "Wait state delay is too long."));
                }
                self.now + Duration::seconds(seconds)
            }
            Some(CompiledWait::Timestamp(text)) => parse_timestamp(text).ok_or_else(|| {
                Failure::runtime(&name, entered, format!("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {text}"))
            })?,
            Some(CompiledWait::TimestampJsonata(template)) => {
                let value = self
                    .eval_jsonata(id, template, "Timestamp", &run.raw_input, &Extras::default())
                    .map_err(|e| self.template_failure(id, e))?;
                let text = value.as_str().unwrap_or_default().to_string();
                parse_timestamp(&text).ok_or_else(|| {
                    let mut failure = Failure::query_evaluation(&name, entered, None, format!("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {text}"));
                    if let Some(site) = failure.evaluation.as_mut() {
                        site.after_entered = true;
                    }
                    failure
                })?
            }
            Some(CompiledWait::TimestampPath(path)) => {
                let value = self.read_path(id, path, &effective).map_err(|_| {
                    Failure::runtime(&name, entered, format!("The TimestampPath parameter does not reference an input value: {}", path.source()))
                })?;
                let text = match &value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                parse_timestamp(&text).ok_or_else(|| {
                    Failure::runtime(
                        &name,
                        entered,
                        format!("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {} == {text}", path.source()),
                    )
                })?
            }
        };
        if (due - self.now).num_seconds() > MAX_WAIT_SECONDS {
            return Err(Failure::runtime(
                &name,
                entered,
                "Wait state delay is too long.",
            ));
        }
        let output = Arc::new(output);
        if due > self.now {
            self.set_phase(id, Phase::AfterWait { output, assigned });
            self.block(id, Wake::Timer(due));
        } else {
            self.exit_state(id, output, assigned, None);
        }
        Ok(())
    }

    fn wait_seconds(
        &mut self,
        id: FrameId,
        run: &StateRun,
        seconds: &CompiledNumber,
        effective: &Value,
    ) -> Result<i64, Failure> {
        let (name, entered) = (run.state.name.to_string(), run.entered_event);
        match seconds {
            CompiledNumber::Literal(n) => Ok(*n as i64),
            CompiledNumber::Path { path, .. } => {
                let value = self.read_path(id, path, effective).map_err(|failure| match failure {
                    PathFailure::NotFound { .. } | PathFailure::UndefinedVariable(_) => {
                        Failure::runtime(&name, entered, format!("The SecondsPath parameter does not reference an input value: {}", path.source()))
                    }
                })?;
                let text = crate::asl::path::to_json_string(&value);
                match value.as_i64() {
                    Some(n) if n < 0 => Err(Failure::runtime(
                        &name,
                        entered,
                        format!(
                            "The SecondsPath parameter references a negative value: {} == {text}",
                            path.source()
                        ),
                    )),
                    Some(n) => Ok(n),
                    None => Err(Failure::runtime(
                        &name,
                        entered,
                        format!(
                            "The SecondsPath parameter cannot be parsed as a long value: {} == {text}",
                            path.source()
                        ),
                    )),
                }
            }
            CompiledNumber::Jsonata { field, template } => {
                let value = self
                    .eval_jsonata(id, template, field, &run.raw_input, &Extras::default())
                    .map_err(|e| self.template_failure(id, e))?;
                match value.as_f64() {
                    Some(n) if n >= 0.0 && n.fract() == 0.0 => Ok(n as i64),
                    _ => Err(Failure::query_evaluation(
                        &name,
                        entered,
                        Some(field.clone()),
                        format!(
                            "The Seconds field must be a non-negative integer, not {}",
                            crate::asl::path::to_json_string(&value)
                        ),
                    )),
                }
            }
        }
    }
}

/// ISO-8601 with an offset (RFC 3339), as Step Functions requires.
pub(crate) fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}
