//! The data flow of every state visit, stage by stage, as AWS's TestState API reports it
//! ("inspection data"): what the debugger's data-flow panel and `test-state` show.
//!
//! Recording is opt-in (`ExecutionOptions::record_stages`). When it is off every hook below
//! returns after one check, and nothing is cloned.

use super::errors::Failure;
use super::execution::Execution;
use super::frame::FrameId;
use super::inspect::Scope;
use crate::asl::model::QueryLanguage;
use serde_json::{Map as JsonMap, Value};
use std::sync::Arc;

/// A processing stage of a state, in the order Step Functions applies them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// The raw state input.
    Input,
    AfterInputPath,
    AfterParameters,
    AfterArguments,
    /// The items a Map iterates over (ItemsPath, Items or ItemReader).
    AfterItemsPath,
    /// The task's answer, a Pass state's `Result`, or a Parallel / Map state's results.
    Result,
    AfterResultSelector,
    AfterResultPath,
    /// What the state passes on (after OutputPath, or `Output`).
    Output,
    /// What `Assign` assigned.
    Assigned,
}

impl Stage {
    /// Every stage, in the order Step Functions applies them.
    pub const ALL: [Stage; 10] = [
        Stage::Input,
        Stage::AfterInputPath,
        Stage::AfterParameters,
        Stage::AfterArguments,
        Stage::AfterItemsPath,
        Stage::Result,
        Stage::AfterResultSelector,
        Stage::AfterResultPath,
        Stage::Output,
        Stage::Assigned,
    ];

    /// The stage of an `inspectionData` member, if it is one.
    pub fn from_api_name(name: &str) -> Option<Stage> {
        Stage::ALL
            .into_iter()
            .find(|stage| stage.api_name() == name)
    }

    /// The name AWS's TestState API gives the stage in `inspectionData`.
    pub fn api_name(self) -> &'static str {
        match self {
            Stage::Input => "input",
            Stage::AfterInputPath => "afterInputPath",
            Stage::AfterParameters => "afterParameters",
            Stage::AfterArguments => "afterArguments",
            Stage::AfterItemsPath => "afterItemsPath",
            Stage::Result => "result",
            Stage::AfterResultSelector => "afterResultSelector",
            Stage::AfterResultPath => "afterResultPath",
            Stage::Output => "output",
            Stage::Assigned => "assigned",
        }
    }

    /// A label for people ("InputPath", "Parameters"...).
    pub fn title(self, language: QueryLanguage, state_type: &str) -> &'static str {
        match (self, language) {
            (Stage::Input, _) => "Input",
            (Stage::AfterInputPath, _) => "InputPath",
            (Stage::AfterParameters, _) => "Parameters",
            (Stage::AfterArguments, _) => "Arguments",
            (Stage::AfterItemsPath, QueryLanguage::Jsonata) => "Items",
            (Stage::AfterItemsPath, QueryLanguage::JsonPath) => "ItemsPath",
            (Stage::Result, _) => match state_type {
                "Task" => "Result",
                "Pass" => "Result",
                _ => "Results",
            },
            (Stage::AfterResultSelector, _) => "ResultSelector",
            (Stage::AfterResultPath, _) => "ResultPath",
            (Stage::Output, QueryLanguage::JsonPath) => "OutputPath",
            (Stage::Output, QueryLanguage::Jsonata) => "Output",
            (Stage::Assigned, _) => "Assign",
        }
    }

    /// The field of the state that produces this stage, when there is one.
    pub fn field(self, language: QueryLanguage, state_type: &str) -> Option<&'static str> {
        match (self, language) {
            (Stage::Input, _) => None,
            (Stage::AfterInputPath, _) => Some("InputPath"),
            (Stage::AfterParameters, _) => Some(if state_type == "Map" {
                "ItemSelector"
            } else {
                "Parameters"
            }),
            (Stage::AfterArguments, _) => Some("Arguments"),
            (Stage::AfterItemsPath, QueryLanguage::Jsonata) => Some("Items"),
            (Stage::AfterItemsPath, QueryLanguage::JsonPath) => Some("ItemsPath"),
            (Stage::Result, _) => match state_type {
                "Task" => Some("Resource"),
                "Pass" => Some("Result"),
                "Parallel" => Some("Branches"),
                "Map" => Some("ItemProcessor"),
                _ => None,
            },
            (Stage::AfterResultSelector, _) => Some("ResultSelector"),
            (Stage::AfterResultPath, _) => Some("ResultPath"),
            (Stage::Output, QueryLanguage::JsonPath) => Some("OutputPath"),
            (Stage::Output, QueryLanguage::Jsonata) => Some("Output"),
            (Stage::Assigned, _) => Some("Assign"),
        }
    }
}

/// The data after one stage.
#[derive(Debug, Clone, PartialEq)]
pub struct StageRecord {
    pub stage: Stage,
    pub value: Arc<Value>,
    /// The id of the last history event when the stage ran (time travel shows the stages
    /// recorded up to the chosen event).
    pub at_event: u64,
}

/// The stage a state failed in.
#[derive(Debug, Clone, PartialEq)]
pub struct StageFailure {
    pub stage: Stage,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub at_event: u64,
}

/// How the state's error was handled (TestState's `errorDetails`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ErrorDetails {
    /// The retrier (index in `Retry`) whose `ErrorEquals` matched.
    pub retry_index: Option<usize>,
    /// Seconds before the retry, when the retrier had attempts left.
    pub retry_backoff_interval_seconds: Option<u64>,
    /// The catcher (index in `Catch`) that caught the error.
    pub catch_index: Option<usize>,
}

impl ErrorDetails {
    pub fn is_empty(&self) -> bool {
        *self == ErrorDetails::default()
    }
}

/// The settings a Map state resolved (they may come from paths or expressions).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MapSettings {
    pub max_concurrency: u64,
    pub tolerated_failure_count: Option<u64>,
    pub tolerated_failure_percentage: Option<f64>,
}

/// One visit of one state: its stages in the order they ran.
#[derive(Debug, Clone, PartialEq)]
pub struct StateVisit {
    pub name: String,
    pub state_type: &'static str,
    pub language: QueryLanguage,
    /// Enclosing Parallel / Map states, branches and iterations, outermost first.
    pub scope: Vec<Scope>,
    /// The id of the state's Entered event.
    pub entered_event: u64,
    pub stages: Vec<StageRecord>,
    pub failure: Option<StageFailure>,
    pub error_details: ErrorDetails,
    pub map: Option<MapSettings>,
    /// The variables visible after the state (set when the state ends, if any are).
    pub variables: Option<JsonMap<String, Value>>,
    /// Where the state went (`None`: the end of its scope, or it failed).
    pub next_state: Option<String>,
    /// The visit has ended (the state exited, or failed).
    pub ended: bool,
}

impl StateVisit {
    /// The value after a stage, if the state reached it.
    pub fn stage(&self, stage: Stage) -> Option<&Value> {
        self.stages
            .iter()
            .rev()
            .find(|record| record.stage == stage)
            .map(|record| record.value.as_ref())
    }

    pub fn output(&self) -> Option<&Value> {
        self.stage(Stage::Output)
    }
}

impl Execution {
    /// Every state visit so far, in the order they began (empty unless
    /// `ExecutionOptions::record_stages`).
    pub fn visits(&self) -> &[Arc<StateVisit>] {
        &self.visits
    }

    /// Whether the frame's current state visit is being recorded.
    pub(crate) fn is_recording(&self, id: FrameId) -> bool {
        self.visit_index(id).is_some()
    }

    fn visit_index(&self, id: FrameId) -> Option<usize> {
        self.frame(id)?.run.as_ref()?.visit
    }

    fn visit_mut(&mut self, id: FrameId) -> Option<&mut StateVisit> {
        let index = self.visit_index(id)?;
        self.visits.get_mut(index).map(Arc::make_mut)
    }

    /// Starts the record of the state the frame just entered; the index for its `StateRun`.
    pub(crate) fn begin_visit(&mut self, id: FrameId, input: &Arc<Value>) -> Option<usize> {
        if !self.options().record_stages {
            return None;
        }
        let run = self.frame(id)?.run.as_ref()?;
        let visit = StateVisit {
            name: run.state.name.to_string(),
            state_type: run.state.type_name,
            language: run.state.language,
            scope: self.scope_of(id),
            entered_event: run.entered_event,
            stages: vec![StageRecord {
                stage: Stage::Input,
                value: input.clone(),
                at_event: run.entered_event,
            }],
            failure: None,
            error_details: ErrorDetails::default(),
            map: None,
            variables: None,
            next_state: None,
            ended: false,
        };
        self.visits.push(Arc::new(visit));
        Some(self.visits.len() - 1)
    }

    /// Records the data after a stage (cloned only when recording).
    pub(crate) fn record_stage(&mut self, id: FrameId, stage: Stage, value: &Value) {
        let at_event = self.event_count();
        if let Some(visit) = self.visit_mut(id) {
            visit.stages.push(StageRecord {
                stage,
                value: Arc::new(value.clone()),
                at_event,
            });
        }
    }

    /// Records a stage's outcome: its data, or the failure it raised there.
    pub(crate) fn staged(
        &mut self,
        id: FrameId,
        stage: Stage,
        outcome: Result<Value, Failure>,
    ) -> Result<Value, Failure> {
        if self.visit_index(id).is_none() {
            return outcome;
        }
        match &outcome {
            Ok(value) => self.record_stage(id, stage, value),
            Err(failure) => self.record_failure(id, stage, failure),
        }
        outcome
    }

    /// The output stage: only its failure is recorded here, the value when the state exits.
    pub(crate) fn staged_output(
        &mut self,
        id: FrameId,
        outcome: Result<Value, Failure>,
    ) -> Result<Value, Failure> {
        if let Err(failure) = &outcome {
            self.record_failure(id, Stage::Output, failure);
        }
        outcome
    }

    pub(crate) fn record_failure(&mut self, id: FrameId, stage: Stage, failure: &Failure) {
        let at_event = self.event_count();
        if let Some(visit) = self.visit_mut(id)
            && visit.failure.is_none()
        {
            visit.failure = Some(StageFailure {
                stage,
                error: failure.error.clone(),
                cause: failure.cause.clone(),
                at_event,
            });
        }
    }

    /// Records a failure raised where no stage names it (a task's error, a Fail state): at
    /// the stage after the last one recorded.
    pub(crate) fn record_state_failure(&mut self, id: FrameId, failure: &Failure) {
        let Some(visit) = self.visit_index(id).and_then(|i| self.visits.get(i)) else {
            return;
        };
        if visit.failure.is_some() {
            return;
        }
        let stage = match visit.stages.last().map(|r| r.stage) {
            Some(Stage::AfterParameters | Stage::AfterArguments) if visit.state_type == "Task" => {
                Stage::Result
            }
            Some(Stage::AfterItemsPath) => Stage::Result,
            Some(Stage::Input) if visit.state_type == "Fail" => Stage::Output,
            Some(last) => last,
            None => Stage::Input,
        };
        self.record_failure(id, stage, failure);
    }

    pub(crate) fn record_error_details(
        &mut self,
        id: FrameId,
        edit: impl FnOnce(&mut ErrorDetails),
    ) {
        if let Some(visit) = self.visit_mut(id) {
            edit(&mut visit.error_details);
        }
    }

    pub(crate) fn record_map_settings(&mut self, id: FrameId, settings: MapSettings) {
        if let Some(visit) = self.visit_mut(id) {
            visit.map = Some(settings);
        }
    }

    /// Closes the visit: its output, the variables after it, where it went.
    pub(crate) fn end_visit(&mut self, id: FrameId, output: Option<&Value>, next: Option<&str>) {
        if self.visit_index(id).is_none() {
            return;
        }
        if let Some(output) = output {
            self.record_stage(id, Stage::Output, output);
        }
        let variables = self.visible_variables(id);
        if let Some(visit) = self.visit_mut(id) {
            visit.variables = (!variables.is_empty()).then_some(variables);
            visit.next_state = next.map(str::to_string);
            visit.ended = true;
        }
    }
}
