//! Parallel branches and Map iterations: child frames, concurrency, failures, results.

use super::super::compiled::{CompiledKind, CompiledMap, CompiledNumber};
use super::super::dataflow::{Extras, json_type_name};
use super::super::errors::{Failure, names};
use super::super::execution::Execution;
use super::super::frame::{Announcement, ChildOf, Children, Frame, FrameId, Phase, StateRun, Wake};
use super::super::history::EventKind;
use super::super::stages::{MapSettings, Stage};
use crate::asl::model::QueryLanguage;
use serde_json::Value;
use std::collections::VecDeque;
use std::sync::Arc;

/// Iterations of an inline Map in flight at once (AWS's limit).
const INLINE_MAP_CONCURRENCY: usize = 40;
/// Child workflows of a distributed Map in flight at once (AWS's limit).
const DISTRIBUTED_MAP_CONCURRENCY: usize = 10_000;

impl Execution {
    pub(super) fn process_parallel(
        &mut self,
        id: FrameId,
        run: &StateRun,
        branches: usize,
    ) -> Result<(), Failure> {
        let input = match run.state.language {
            QueryLanguage::JsonPath => self.effective_input(id, &run.state, &run.raw_input)?,
            QueryLanguage::Jsonata => {
                let arguments = match &run.state.arguments {
                    Some(template) => self
                        .eval_jsonata(
                            id,
                            template,
                            "Arguments",
                            &run.raw_input,
                            &Extras::default(),
                        )
                        .map_err(|e| self.template_failure(id, e)),
                    None => Ok((*run.raw_input).clone()),
                };
                self.staged(id, Stage::AfterArguments, arguments)?
            }
        };
        if self.answer_with_children_mock(id, run, branches, None)? {
            return Ok(());
        }
        let children = Children {
            is_map: false,
            input: Arc::new(input),
            items: Arc::new(Vec::new()),
            results: vec![None; branches],
            next_to_start: 0,
            running: Vec::new(),
            finished: 0,
            max_concurrency: 0,
            failures: 0,
            tolerated_count: None,
            tolerated_percentage: None,
            failure: None,
            announcements: VecDeque::new(),
            last_child_event: None,
            to_spawn: None,
            preselected: false,
            map_run_arn: None,
        };
        if let Some(frame) = self.frame_mut(id) {
            frame.push(EventKind::ParallelStateStarted);
            frame.phase = Phase::Children(Box::new(children));
        }
        Ok(())
    }

    pub(super) fn process_map(
        &mut self,
        id: FrameId,
        run: &StateRun,
        map: &CompiledMap,
    ) -> Result<(), Failure> {
        let (name, entered) = (run.state.name.to_string(), run.entered_event);
        let (input, items) = match run.state.language {
            QueryLanguage::JsonPath => {
                let input = self.apply_input_path(id, &run.state.input_path, &run.raw_input);
                let input = self.staged(id, Stage::AfterInputPath, input)?;
                let items = match &map.items_path {
                    Some(path) => self.read_path(id, path, &input).map_err(|_| {
                        Failure::runtime(&name, entered, format!("Invalid path '{}' : The ItemsPath does not reference a value in the input", path.source()))
                    }),
                    None => Ok(input.clone()),
                };
                let items = items.inspect_err(|failure| {
                    self.record_failure(id, Stage::AfterItemsPath, failure)
                })?;
                (input, items)
            }
            QueryLanguage::Jsonata => {
                let items = match &map.items {
                    Some(template) => {
                        let value = self
                            .eval_jsonata(id, template, "Items", &run.raw_input, &Extras::default())
                            .map_err(|e| self.template_failure(id, e))?;
                        if !value.is_array() {
                            let source = match template {
                                super::super::template::JsonataTemplate::Expr {
                                    source, ..
                                } => source.clone(),
                                _ => crate::asl::path::to_json_string(&value),
                            };
                            return Err(Failure::query_evaluation(
                                &name,
                                entered,
                                Some("Items".into()),
                                format!(
                                    "The JSONata expression '{source}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '{}' for value: {}",
                                    json_type_name(&value),
                                    crate::asl::path::to_json_string(&value)
                                ),
                            ));
                        }
                        value
                    }
                    None => (*run.raw_input).clone(),
                };
                ((*run.raw_input).clone(), items)
            }
        };
        let items = match &map.reader {
            Some(reader) => Value::Array(self.read_items(id, run, reader, &input)?),
            None => items,
        };
        let Value::Array(items) = items else {
            if let (Some(_), Some(path), QueryLanguage::JsonPath) = (
                &self.options().single_state,
                &map.items_path,
                run.state.language,
            ) {
                let failure = super::single::items_not_an_array(path.source());
                self.record_failure(id, Stage::AfterItemsPath, &failure);
                return Err(failure);
            }
            let message = format!(
                "Map state input must be an array but was: {}",
                crate::asl::path::to_json_string(&items)
            );
            let failure = match run.state.language {
                QueryLanguage::Jsonata => Failure::query_evaluation(&name, entered, None, message),
                QueryLanguage::JsonPath => Failure::runtime(&name, entered, message),
            };
            self.record_failure(id, Stage::AfterItemsPath, &failure);
            return Err(failure);
        };
        if self.is_recording(id) {
            self.record_stage(id, Stage::AfterItemsPath, &Value::Array(items.clone()));
        }
        let max_concurrency = match &map.max_concurrency {
            None => 0,
            Some(number) => self.map_integer(id, run, number, "MaxConcurrency")?.max(0) as usize,
        };
        if self.options().single_state.is_some() {
            // TestState reports the settings as resolved, and answers with the mock.
            let tolerance = self.map_tolerance(id, run, map)?;
            let (tolerated_failure_count, tolerated_failure_percentage) = tolerance;
            self.record_map_settings(
                id,
                MapSettings {
                    max_concurrency: max_concurrency as u64,
                    tolerated_failure_count,
                    tolerated_failure_percentage,
                },
            );
            if self.answer_with_children_mock(id, run, items.len(), Some(tolerance))? {
                return Ok(());
            }
        }
        let batching =
            map.distributed && (map.batch_max_items.is_some() || map.batch_max_bytes.is_some());
        let items = if batching {
            let selected = self.select_items(id, run, map, &input, items)?;
            self.batch_items(id, run, map, &input, selected)?
        } else {
            items
        };
        let length = items.len();
        let map_run_arn = map.distributed.then(|| self.map_run_arn(run, map));
        if let Some(frame) = self.frame_mut(id) {
            frame.push(EventKind::MapStateStarted { length });
        }
        // Tolerated failures are read after MapStateStarted, as AWS reports their errors.
        let tolerated = self.map_tolerance(id, run, map);
        let (tolerated_count, tolerated_percentage) = match tolerated {
            Ok(t) => t,
            Err(failure) => {
                self.set_phase(
                    id,
                    Phase::Failing {
                        failure,
                        announced: true,
                    },
                );
                return Ok(());
            }
        };
        // The map run starts once its settings are known to be valid.
        if let (Some(arn), Some(frame)) = (&map_run_arn, self.frame_mut(id)) {
            frame.push(EventKind::MapRunStarted {
                map_run_arn: arn.clone(),
            });
        }
        let children = Children {
            is_map: true,
            input: Arc::new(input),
            items: Arc::new(items),
            results: vec![None; length],
            next_to_start: 0,
            running: Vec::new(),
            finished: 0,
            max_concurrency,
            failures: 0,
            tolerated_count,
            tolerated_percentage,
            failure: None,
            announcements: VecDeque::new(),
            last_child_event: None,
            to_spawn: None,
            preselected: batching,
            map_run_arn,
        };
        self.set_phase(id, Phase::Children(Box::new(children)));
        Ok(())
    }

    /// ItemSelector applied to every item at once (before batching).
    fn select_items(
        &mut self,
        id: FrameId,
        run: &StateRun,
        map: &CompiledMap,
        input: &Value,
        items: Vec<Value>,
    ) -> Result<Vec<Value>, Failure> {
        let Some(selector) = &map.item_selector else {
            return Ok(items);
        };
        items
            .iter()
            .enumerate()
            .map(|(index, item)| {
                let extras = Extras {
                    map_item: Some((index, item)),
                    ..Extras::default()
                };
                self.eval_selector(id, selector, "ItemSelector", input, &run.raw_input, &extras)
            })
            .collect()
    }

    fn map_integer(
        &mut self,
        id: FrameId,
        run: &StateRun,
        number: &CompiledNumber,
        field: &str,
    ) -> Result<i64, Failure> {
        let value = self.resolve_number(id, run, number)?;
        match as_number(&value) {
            Some(n) if n.fract() == 0.0 => Ok(n as i64),
            _ => Err(self.not_a_number(run, number, field, &value, "integer")),
        }
    }

    fn not_a_number(
        &self,
        run: &StateRun,
        number: &CompiledNumber,
        field: &str,
        value: &Value,
        kind: &str,
    ) -> Failure {
        let text = match value {
            Value::String(s) => s.clone(),
            other => crate::asl::path::to_json_string(other),
        };
        match number {
            CompiledNumber::Path { path, field } => Failure::runtime(
                &run.state.name,
                run.entered_event,
                format!(
                    "The {field} field refers to value \"{text}\" which is not a valid {kind}: {}",
                    path.source()
                ),
            ),
            _ => Failure::runtime(
                &run.state.name,
                run.entered_event,
                format!("{field} must be a valid {kind}, not {text}"),
            ),
        }
    }

    fn map_tolerance(
        &mut self,
        id: FrameId,
        run: &StateRun,
        map: &CompiledMap,
    ) -> Result<(Option<u64>, Option<f64>), Failure> {
        let count = match &map.tolerated_count {
            None => None,
            Some(number) => {
                let value = self.resolve_number(id, run, number)?;
                match as_number(&value) {
                    Some(n) if n.fract() == 0.0 && n >= 0.0 => Some(n as u64),
                    _ => {
                        return Err(self.not_a_number(
                            run,
                            number,
                            "ToleratedFailureCount",
                            &value,
                            "integer",
                        ));
                    }
                }
            }
        };
        let percentage = match &map.tolerated_percentage {
            None => None,
            Some(number) => {
                let value = self.resolve_number(id, run, number)?;
                match as_number(&value) {
                    Some(p) if (0.0..=100.0).contains(&p) => Some(p),
                    Some(_) => {
                        return Err(Failure::runtime(
                            &run.state.name,
                            run.entered_event,
                            "ToleratedFailurePercentage must be between 0 and 100.",
                        ));
                    }
                    None => {
                        return Err(self.not_a_number(
                            run,
                            number,
                            "ToleratedFailurePercentage",
                            &value,
                            "float",
                        ));
                    }
                }
            }
        };
        Ok((count, percentage))
    }

    /// One step of a Parallel or Map waiting on children.
    pub(super) fn children_phase(&mut self, id: FrameId, mut children: Children) {
        let Some(run) = self.frame(id).and_then(|f| f.run.clone()) else {
            return;
        };
        if let Some((slot, frame)) = children.to_spawn.take() {
            // Its start event is out: the child runs now, ahead of its parent (a child that
            // starts with a Task state waits for its turn, as any Task entry does).
            let enter = frame.phase.clone();
            let child = self.spawn(*frame);
            self.enter_next(child, enter);
            children.running.push((slot, child));
            self.set_phase(id, Phase::Children(Box::new(children)));
            return;
        }
        if let Some(announcement) = children.announcements.pop_front() {
            let Announcement {
                slot,
                succeeded,
                aborted_task,
            } = announcement;
            if let Some(frame) = self.frame_mut(id) {
                if children.is_map {
                    let name = run.state.name.clone();
                    frame.push(if succeeded {
                        EventKind::MapIterationSucceeded { name, index: slot }
                    } else {
                        EventKind::MapIterationFailed { name, index: slot }
                    });
                }
                if let Some(name) = aborted_task {
                    frame.push(EventKind::TaskStateAborted { name });
                }
            }
            self.set_phase(id, Phase::Children(Box::new(children)));
            return;
        }
        if let Some(failure) = children.failure.take() {
            for (slot, child) in std::mem::take(&mut children.running) {
                let aborted_task = self.task_in_progress(child);
                self.discard(child);
                let Some(frame) = self.frame_mut(id) else {
                    continue;
                };
                if children.is_map {
                    frame.push(EventKind::MapIterationAborted {
                        name: run.state.name.clone(),
                        index: slot,
                    });
                }
                if let Some(name) = aborted_task {
                    frame.push(EventKind::TaskStateAborted { name });
                }
            }
            self.set_phase(
                id,
                Phase::Failing {
                    failure,
                    announced: true,
                },
            );
            return;
        }
        let total = children.results.len();
        // AWS runs at most 40 iterations of an inline Map and 10,000 child workflows of a
        // distributed one at a time, whatever MaxConcurrency asks.
        let cap = match (children.is_map, children.map_run_arn.is_some()) {
            (false, _) => usize::MAX,
            (true, false) => INLINE_MAP_CONCURRENCY,
            (true, true) => DISTRIBUTED_MAP_CONCURRENCY,
        };
        let limit = match children.max_concurrency {
            0 => cap,
            asked => asked.min(cap),
        };
        if children.next_to_start < total && children.running.len() < limit {
            match self.start_child(id, &run, &mut children) {
                Ok(()) => self.set_phase(id, Phase::Children(Box::new(children))),
                Err(failure) => self.set_phase(
                    id,
                    Phase::Failing {
                        failure,
                        announced: false,
                    },
                ),
            }
            return;
        }
        if children.finished == total {
            let results: Vec<Value> = children
                .results
                .into_iter()
                .map(|result| {
                    result
                        .map(super::super::dataflow::unshare)
                        .unwrap_or_default()
                })
                .collect();
            if let Some(frame) = self.frame_mut(id) {
                if children.map_run_arn.is_some() {
                    frame.push(EventKind::MapRunSucceeded);
                }
                frame.push(if children.is_map {
                    EventKind::MapStateSucceeded
                } else {
                    EventKind::ParallelStateSucceeded
                });
            }
            let writer = match &run.state.kind {
                CompiledKind::Map(map) => map.writer.clone(),
                _ => None,
            };
            let result = match (writer, &children.map_run_arn) {
                (Some(writer), Some(arn)) => {
                    let input = children.input.clone();
                    self.written_results(id, &run, &writer, arn, &input)
                }
                _ => Ok(Value::Array(results)),
            };
            let result = self.staged(id, Stage::Result, result);
            match result.and_then(|result| self.finish_with_result(id, &run, result)) {
                Ok((output, assigned)) => self.exit_state(id, Arc::new(output), assigned, None),
                Err(failure) => self.set_phase(
                    id,
                    Phase::Failing {
                        failure,
                        announced: false,
                    },
                ),
            }
            return;
        }
        self.set_phase(id, Phase::Children(Box::new(children)));
        self.block(id, Wake::Children);
    }

    /// Starts the next branch or iteration: its event first, the frame right after.
    fn start_child(
        &mut self,
        id: FrameId,
        run: &StateRun,
        children: &mut Children,
    ) -> Result<(), Failure> {
        let slot = children.next_to_start;
        let (machine, input) = match &run.state.kind {
            CompiledKind::Parallel { branches } => {
                let Some(machine) = branches.get(slot).cloned() else {
                    return Ok(());
                };
                (machine, children.input.clone())
            }
            CompiledKind::Map(map) => {
                let item = children.items.get(slot).cloned().unwrap_or_default();
                let input = match &map.item_selector {
                    Some(_) if children.preselected => item,
                    Some(selector) => {
                        let extras = Extras {
                            map_item: Some((slot, &item)),
                            ..Extras::default()
                        };
                        let path_input = children.input.clone();
                        self.eval_selector(
                            id,
                            selector,
                            "ItemSelector",
                            &path_input,
                            &run.raw_input,
                            &extras,
                        )?
                    }
                    None => item,
                };
                (map.processor.clone(), Arc::new(input))
            }
            _ => return Ok(()),
        };
        let last_event = if children.is_map {
            // The iteration's first state points back to MapIterationStarted.
            self.next_event_id()
        } else {
            self.frame(id).map_or(0, |f| f.last_event)
        };
        if children.is_map {
            let previous = children.last_child_event;
            if let Some(frame) = self.frame_mut(id) {
                let started = EventKind::MapIterationStarted {
                    name: run.state.name.clone(),
                    index: slot,
                };
                match previous {
                    Some(previous) => frame.push_linked(started, previous),
                    None => frame.push(started),
                }
            }
        }
        let mut frame = Frame::new(
            machine,
            input,
            Some(ChildOf { parent: id, slot }),
            Some(id),
            last_event,
        );
        frame.scope = self.child_scope(id, slot, children.is_map);
        children.next_to_start += 1;
        children.to_spawn = Some((slot, Box::new(frame)));
        Ok(())
    }

    /// A child frame ended; the parent announces it and moves on.
    pub(crate) fn child_finished(
        &mut self,
        parent: FrameId,
        slot: usize,
        child: FrameId,
        child_last: u64,
        result: Result<Arc<Value>, Failure>,
    ) {
        // A child that failed in a Task state leaves that state unfinished (AWS: TaskStateAborted;
        // not for a Fail state).
        let aborted_task = match &result {
            Err(_) => self
                .frame(child)
                .and_then(|f| f.run.as_ref())
                .filter(|run| matches!(run.state.kind, CompiledKind::Task { .. }))
                .map(|run| run.state.name.clone()),
            Ok(_) => None,
        };
        self.discard(child);
        let Some(frame) = self.frame_mut(parent) else {
            return;
        };
        frame.last_event = child_last;
        let Phase::Children(children) = &mut frame.phase else {
            return;
        };
        children.last_child_event = Some(child_last);
        children.running.retain(|(s, _)| *s != slot);
        children.finished += 1;
        match result {
            Ok(output) => {
                if let Some(entry) = children.results.get_mut(slot) {
                    *entry = Some(output);
                }
                children.announcements.push_back(Announcement {
                    slot,
                    succeeded: true,
                    aborted_task: None,
                });
            }
            Err(failure) => {
                children.failures += 1;
                children.announcements.push_back(Announcement {
                    slot,
                    succeeded: false,
                    aborted_task,
                });
                let tolerated = failure.error_name() != names::RUNTIME
                    && !super::single::exceeds_tolerance(
                        children.failures as u64,
                        children.results.len(),
                        children.tolerated_count,
                        children.tolerated_percentage,
                    );
                if !tolerated && children.failure.is_none() {
                    let exceeded = children.tolerated_count.is_some()
                        || children.tolerated_percentage.is_some();
                    children.failure = Some(if exceeded {
                        super::single::tolerance_exceeded()
                    } else {
                        failure
                    });
                }
            }
        }
        self.make_runnable(parent);
    }

    /// The Task state a running child is in (entered, not yet left), if any.
    fn task_in_progress(&self, child: FrameId) -> Option<Arc<str>> {
        let frame = self.frame(child)?;
        let between_states = |phase: &Phase| {
            matches!(
                phase,
                Phase::Enter { .. } | Phase::Transition { .. } | Phase::Finish(_) | Phase::Finished
            )
        };
        let leaving = match &frame.phase {
            Phase::Sleep { then, .. } => between_states(then),
            phase => between_states(phase),
        };
        let run = frame.run.as_ref()?;
        (matches!(run.state.kind, CompiledKind::Task { .. }) && !leaving)
            .then(|| run.state.name.clone())
    }
}

/// A number, or a string holding one (AWS reads "1" from a path as 1).
fn as_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
        _ => None,
    }
}
