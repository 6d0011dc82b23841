//! What each phase of a state does: entering, processing per type, exiting, failing.

mod children;
mod choice;
mod distributed;
mod simple;
mod single;
mod submitted;
mod task;

use super::compiled::{CompiledKind, CompiledState};
use super::dataflow::Extras;
use super::errors::{self, Failure, names};
use super::execution::Execution;
use super::frame::{FrameId, Phase, StateRun, Wake};
use super::history::EventKind;
use super::stages::Stage;
use chrono::Duration;
use serde_json::{Map as JsonMap, Value};
use std::sync::Arc;

impl Execution {
    pub(crate) fn run_phase(&mut self, id: FrameId, phase: Phase) {
        match phase {
            Phase::Enter { name, input } => self.enter_state(id, &name, input),
            Phase::Process => self.process(id),
            Phase::AfterWait { output, assigned } => self.exit_state(id, output, assigned, None),
            Phase::TaskInvoke { task, parameters } => self.invoke_task(id, task, parameters),
            Phase::TaskAwait => self.block(id, Wake::Task),
            Phase::TaskDeliver(outcome) => self.on_task_outcome(id, outcome),
            Phase::Sleep { until, then } => {
                self.set_phase(id, *then);
                self.block(id, Wake::Timer(until));
            }
            Phase::TaskResult(result) => self.task_result(id, result),
            Phase::Children(children) => self.children_phase(id, *children),
            Phase::Transition { next, output } => match next {
                // TestState runs one state: it reports where the state goes, and stops.
                Some(_) if self.options().single_state.is_some() && self.is_root(id) => {
                    self.finish_frame(id, Ok(output))
                }
                Some(next) => {
                    let enter = Phase::Enter {
                        name: next,
                        input: output,
                    };
                    self.enter_next(id, enter);
                }
                None => self.finish_frame(id, Ok(output)),
            },
            Phase::Failing { failure, announced } => self.handle_failure(id, failure, announced),
            Phase::Retry => self.set_phase(id, Phase::Process),
            Phase::Finish(result) => self.finish_frame(id, result),
            Phase::Finished => self.block(id, Wake::Done),
        }
    }

    /// Lets the other frames busy at this instant (Parallel branches, Map iterations) take
    /// their turn, then goes on with `then`.
    pub(crate) fn yield_then(&mut self, id: FrameId, then: Phase) {
        let until = self.now;
        self.set_phase(
            id,
            Phase::Sleep {
                until,
                then: Box::new(then),
            },
        );
    }

    /// Sets the phase that enters a state. A Task state waits for its turn: AWS starts every
    /// iteration in flight (and enters their tasks) before any task runs, while iterations
    /// of Pass and Choice states run one after the other.
    pub(crate) fn enter_next(&mut self, id: FrameId, enter: Phase) {
        let is_task = match (&enter, self.frame(id)) {
            (Phase::Enter { name, .. }, Some(frame)) => frame
                .machine
                .state(name)
                .is_some_and(|state| matches!(state.kind, CompiledKind::Task { .. })),
            _ => false,
        };
        if is_task {
            self.yield_then(id, enter);
        } else {
            self.set_phase(id, enter);
        }
    }

    fn enter_state(&mut self, id: FrameId, name: &str, input: Arc<Value>) {
        if self.pauses_at(
            id,
            super::pause::PausePoint::Entry {
                state: name,
                input: &input,
            },
        ) {
            // Stopped before the state: it is entered when the execution goes on.
            self.set_phase(
                id,
                Phase::Enter {
                    name: name.to_string(),
                    input,
                },
            );
            return;
        }
        let Some(frame) = self.frame(id) else { return };
        let Some(state) = frame.machine.state(name).cloned() else {
            let failure = Failure::new(
                names::RUNTIME,
                format!("The state '{name}' does not exist in this scope"),
            );
            self.finish_frame(id, Err(failure));
            return;
        };
        let previous = frame.last_event;
        let entered_event = self.next_event_id();
        let now = self.now;
        let retries = vec![0; state.retry.len()];
        let compile_error = state.error.clone();
        let Some(frame) = self.frame_mut(id) else {
            return;
        };
        frame.push(EventKind::StateEntered {
            state_type: state.type_name,
            name: state.name.clone(),
            input: input.clone(),
        });
        frame.run = Some(Arc::new(StateRun {
            state,
            raw_input: input.clone(),
            entered_event,
            entered_previous: previous,
            entered_time: now,
            retries,
            retry_count: 0,
            task: None,
            task_token: None,
            task_credentials: None,
            task_timeout: None,
            task_heartbeat: None,
            visit: None,
        }));
        let phase = match compile_error {
            // Only reachable for definitions that skipped validation.
            Some(message) => Phase::Failing {
                failure: Failure::runtime(name, entered_event, message),
                announced: true,
            },
            None => Phase::Process,
        };
        frame.phase = phase;
        let visit = self.begin_visit(id, &input);
        if let Some(run) = self
            .frame_mut(id)
            .and_then(|f| f.run.as_mut().map(Arc::make_mut))
        {
            run.visit = visit;
        }
    }

    fn process(&mut self, id: FrameId) {
        let Some(run) = self.frame(id).and_then(|f| f.run.clone()) else {
            return;
        };
        let outcome = match &run.state.kind {
            CompiledKind::Pass { result } => self.process_pass(id, &run, result.as_ref()),
            CompiledKind::Choice { rules, default } => {
                self.process_choice(id, &run, rules, default.as_deref())
            }
            CompiledKind::Wait(wait) => self.process_wait(id, &run, wait.as_ref()),
            CompiledKind::Succeed => self.process_succeed(id, &run),
            CompiledKind::Fail { error, cause } => {
                let failure = self.fail_state_failure(id, &run, error.as_ref(), cause.as_ref());
                self.finish_frame(id, Err(failure));
                return;
            }
            CompiledKind::Task { .. } => self.process_task(id, &run),
            CompiledKind::Parallel { branches } => self.process_parallel(id, &run, branches.len()),
            CompiledKind::Map(map) => self.process_map(id, &run, map),
        };
        if let Err(failure) = outcome {
            self.set_phase(
                id,
                Phase::Failing {
                    failure,
                    announced: false,
                },
            );
        }
    }

    /// Queues the Exited event, applies the assigned variables and moves on.
    pub(crate) fn exit_state(
        &mut self,
        id: FrameId,
        output: Arc<Value>,
        assigned: Option<JsonMap<String, Value>>,
        next: Option<Option<String>>,
    ) {
        let Some(run) = self.frame(id).and_then(|f| f.run.clone()) else {
            return;
        };
        if let Err(failure) = self.check_payload(&run.state, &output) {
            self.set_phase(
                id,
                Phase::Failing {
                    failure,
                    announced: true,
                },
            );
            return;
        }
        let next = next.unwrap_or_else(|| run.state.next.clone());
        if let Some(assigned) = &assigned
            && self.is_recording(id)
        {
            self.record_stage(id, Stage::Assigned, &Value::Object(assigned.clone()));
        }
        let Some(frame) = self.frame_mut(id) else {
            return;
        };
        if let Some(assigned) = &assigned {
            for (name, value) in assigned {
                frame.variables.insert(name.clone(), value.clone());
            }
        }
        frame.push(EventKind::StateExited {
            state_type: run.state.type_name,
            name: run.state.name.clone(),
            output: output.clone(),
            assigned: assigned.map(Box::new),
        });
        frame.phase = Phase::Transition {
            next: next.clone(),
            output: output.clone(),
        };
        self.end_visit(id, Some(&output), next.as_deref());
    }

    /// Error handling of a state: EvaluationFailed, Retry, the state's Failed event, Catch.
    fn handle_failure(&mut self, id: FrameId, failure: Failure, announced: bool) {
        let Some(run) = self.frame(id).and_then(|f| f.run.clone()) else {
            self.finish_frame(id, Err(failure));
            return;
        };
        if !announced && failure.evaluation.is_some() {
            let event = EventKind::EvaluationFailed {
                state: run.state.name.clone(),
                error: failure.error.clone().unwrap_or_default(),
                cause: failure.cause.clone().unwrap_or_default(),
                location: failure.evaluation.as_ref().and_then(|e| e.location.clone()),
            };
            let after_entered = failure.evaluation.as_ref().is_some_and(|e| e.after_entered);
            let previous = if after_entered {
                run.entered_event
            } else {
                run.entered_previous
            };
            if let Some(frame) = self.frame_mut(id) {
                frame.push_linked(event, previous);
                frame.phase = Phase::Failing {
                    failure,
                    announced: true,
                };
            }
            return;
        }
        self.record_state_failure(id, &failure);
        if self.pause_policy.is_some() {
            let handled = self.is_handled(&run, &failure);
            let point = super::pause::PausePoint::Error {
                state: &run.state.name,
                failure: &failure,
                handled,
            };
            if self.pauses_at(id, point) {
                self.set_phase(
                    id,
                    Phase::Failing {
                        failure,
                        announced: true,
                    },
                );
                return;
            }
        }
        // States.Runtime ends the execution: no retry, no catch, no state-level event.
        if failure.error_name() == names::RUNTIME {
            self.end_visit(id, None, None);
            self.finish_frame(id, Err(failure));
            return;
        }
        if let Some((index, retrier)) = errors::find_retrier(&run.state.retry, &failure) {
            let single_state = self.options().single_state.clone();
            let attempts = match &single_state {
                Some(single) => single.retrier_retry_count,
                None => run.retries.get(index).copied().unwrap_or_default(),
            };
            self.record_error_details(id, |details| details.retry_index = Some(index));
            if attempts < retrier.max_attempts && single_state.is_some() {
                // TestState reports the retry it would make instead of making it.
                let delay = errors::retry_delay(retrier, attempts, self.random_unit());
                self.record_error_details(id, |details| {
                    details.retry_backoff_interval_seconds = Some(delay.round() as u64)
                });
                self.end_visit(id, None, None);
                self.finish_frame(id, Err(failure));
                return;
            }
            if attempts < retrier.max_attempts {
                let delay = errors::retry_delay(retrier, attempts, self.random_unit());
                let due = self.now + Duration::milliseconds((delay * 1000.0).round() as i64);
                if let Some(run) = self
                    .frame_mut(id)
                    .and_then(|f| f.run.as_mut().map(Arc::make_mut))
                {
                    if let Some(count) = run.retries.get_mut(index) {
                        *count += 1;
                    }
                    run.retry_count += 1;
                }
                self.set_phase(id, Phase::Retry);
                if due > self.now {
                    self.block(id, Wake::Timer(due));
                }
                return;
            }
        }
        let failed_events = match &run.state.kind {
            CompiledKind::Map(map) if map.distributed => vec![
                EventKind::MapRunFailed {
                    error: failure.error.clone(),
                    cause: failure.cause.clone(),
                },
                EventKind::MapStateFailed,
            ],
            CompiledKind::Map(_) => vec![EventKind::MapStateFailed],
            CompiledKind::Parallel { .. } => vec![EventKind::ParallelStateFailed],
            _ => Vec::new(),
        };
        if let Some(frame) = self.frame_mut(id) {
            for event in failed_events {
                frame.push(event);
            }
        }
        match run
            .state
            .catch
            .iter()
            .position(|c| failure.is_matched_by(&c.error_equals))
        {
            Some(index) => {
                self.record_error_details(id, |details| details.catch_index = Some(index));
                self.catch(id, &run, index, &failure)
            }
            None => {
                self.end_visit(id, None, None);
                self.finish_frame(id, Err(failure))
            }
        }
    }

    /// Whether a retrier with attempts left or a catcher takes the failure.
    fn is_handled(&self, run: &StateRun, failure: &Failure) -> bool {
        if failure.error_name() == names::RUNTIME {
            return false;
        }
        let retried = errors::find_retrier(&run.state.retry, failure).is_some_and(|(index, r)| {
            let attempts = match &self.options().single_state {
                Some(single) => single.retrier_retry_count,
                None => run.retries.get(index).copied().unwrap_or_default(),
            };
            attempts < r.max_attempts
        });
        retried
            || run
                .state
                .catch
                .iter()
                .any(|c| failure.is_matched_by(&c.error_equals))
    }

    fn catch(&mut self, id: FrameId, run: &StateRun, index: usize, failure: &Failure) {
        let Some(catcher) = run.state.catch.get(index).cloned() else {
            return;
        };
        let error_output = failure.error_output();
        let extras = Extras {
            error_output: Some(&error_output),
            ..Extras::default()
        };
        let outcome = (|| -> Result<(Value, Option<JsonMap<String, Value>>), Failure> {
            let output = match &catcher.output {
                Some(template) => self
                    .eval_jsonata(id, template, "Output", &run.raw_input, &extras)
                    .map_err(|e| self.template_failure(id, e))?,
                None => self.apply_result_path(
                    id,
                    &catcher.result_path,
                    &run.raw_input,
                    error_output.clone(),
                )?,
            };
            let assigned = match &catcher.assign {
                Some(assign) => {
                    Some(self.eval_assign(id, assign, &error_output, &run.raw_input, &extras)?)
                }
                None => None,
            };
            Ok((output, assigned))
        })();
        match outcome {
            Ok((output, assigned)) => {
                self.exit_state(id, Arc::new(output), assigned, Some(Some(catcher.next)))
            }
            Err(error) => self.finish_frame(id, Err(error)),
        }
    }

    /// Input → InputPath → (Parameters) for JSONPath states.
    pub(crate) fn effective_input(
        &mut self,
        id: FrameId,
        state: &CompiledState,
        raw: &Value,
    ) -> Result<Value, Failure> {
        let input = self.apply_input_path(id, &state.input_path, raw);
        let input = self.staged(id, Stage::AfterInputPath, input)?;
        let parameters = match &state.parameters {
            Some(template) => self
                .eval_path_template(id, template, &input, &Extras::default())
                .map_err(|e| self.template_failure(id, e)),
            None => Ok(input),
        };
        self.staged(id, Stage::AfterParameters, parameters)
    }

    /// Result → ResultSelector → Assign → ResultPath → OutputPath (JSONPath), or
    /// Output and Assign over `$states.result` (JSONata).
    pub(crate) fn finish_with_result(
        &mut self,
        id: FrameId,
        run: &StateRun,
        result: Value,
    ) -> Result<(Value, Option<JsonMap<String, Value>>), Failure> {
        let state = &run.state;
        match state.language {
            crate::asl::model::QueryLanguage::JsonPath => {
                let selected = match &state.result_selector {
                    Some(template) => self
                        .eval_path_template(id, template, &result, &Extras::default())
                        .map_err(|e| self.template_failure(id, e)),
                    None => Ok(result),
                };
                let selected = self.staged(id, Stage::AfterResultSelector, selected)?;
                let assigned = match &state.assign {
                    Some(assign) => Some(self.eval_assign(
                        id,
                        assign,
                        &selected,
                        &run.raw_input,
                        &Extras::default(),
                    )?),
                    None => None,
                };
                let placed =
                    self.apply_result_path(id, &state.result_path, &run.raw_input, selected);
                let placed = self.staged(id, Stage::AfterResultPath, placed)?;
                let output = self.apply_output_path(id, &state.output_path, placed);
                let output = self.staged_output(id, output)?;
                Ok((output, assigned))
            }
            crate::asl::model::QueryLanguage::Jsonata => {
                let extras = Extras {
                    result: Some(&result),
                    ..Extras::default()
                };
                let output = match &state.output {
                    Some(template) => self
                        .eval_jsonata(id, template, "Output", &run.raw_input, &extras)
                        .map_err(|e| self.template_failure(id, e)),
                    None => Ok(result.clone()),
                };
                let output = self.staged_output(id, output)?;
                let assigned = match &state.assign {
                    Some(assign) => {
                        Some(self.eval_assign(id, assign, &result, &run.raw_input, &extras)?)
                    }
                    None => None,
                };
                Ok((output, assigned))
            }
        }
    }
}
