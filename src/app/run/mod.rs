//! The run & debug view: runs the current document in the embedded interpreter, in front of
//! the user. The bottom panel holds the controls, the input, the event history, the data flow
//! of the selected state visit, the variables, the Map / Parallel browser and the result; the
//! canvas draws the run ([`RunOverlay`]). The run belongs to the text it started on: after an
//! edit it is marked stale and offers Restart.
//!
//! Like every view, it never edits the document: it returns [`RunAction`]s. The debugger's
//! logic (stepping, breakpoints, time travel, the background Continue) is UI-free, in
//! `engine::debug`.

mod children;
mod colors;
mod dataflow;
mod events;
mod input;
mod overlay;
mod questions;
mod result;
mod toolbar;
mod variables;

pub use colors::{status_color, status_word};
pub use overlay::{RunOverlay, StateRun};

use crate::asl::graph_edit::StateRef;
use crate::asl::model::StateMachine;
use crate::engine::backends::{MockBackend, UnmockedPolicy};
use crate::engine::debug::{Breakpoints, DebugRun, Halt, SharedBreakpoints};
use crate::engine::{ClockMode, ExecutionOptions, WorkflowType};
use egui::Ui;
use egui_extras::syntax_highlighting::SyntectSettings;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What the run view asks the window to do.
#[derive(Debug, Clone, PartialEq)]
pub enum RunAction {
    /// Select a state (a row of the history, a visit, the next state...).
    Select(StateRef),
    /// A message for the status bar.
    Status(String),
    /// The breakpoints changed (the window keeps them in the file's sidecar).
    BreakpointsChanged(Breakpoints),
}

/// The panel's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RunTab {
    #[default]
    Input,
    Events,
    DataFlow,
    Variables,
    Children,
    Result,
}

impl RunTab {
    pub const ALL: [RunTab; 6] = [
        RunTab::Input,
        RunTab::Events,
        RunTab::DataFlow,
        RunTab::Variables,
        RunTab::Children,
        RunTab::Result,
    ];

    pub fn title(self) -> &'static str {
        match self {
            RunTab::Input => "Input",
            RunTab::Events => "Events",
            RunTab::DataFlow => "Data flow",
            RunTab::Variables => "Variables",
            RunTab::Children => "Map & Parallel",
            RunTab::Result => "Result",
        }
    }
}

/// What the run view reads from the window each frame.
pub struct RunInput<'a> {
    /// The last definition that parsed (`None`: the text never parsed).
    pub definition: Option<&'a Value>,
    /// The revision of that definition (a run on another revision is stale).
    pub revision: u64,
    /// The text parses now, without validation errors: a run can start.
    pub runnable: Result<(), String>,
    pub path: Option<&'a Path>,
    /// The execution name and type from Config.
    pub name: Option<&'a str>,
    pub workflow_type: WorkflowType,
    /// The selected state (its visit's data flow is shown).
    pub selection: Option<&'a StateRef>,
    pub syntaxes: Option<&'a SyntectSettings>,
}

/// Where the mocks of a run come from.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum MockSource {
    /// Every task asks.
    #[default]
    None,
    /// Per-state mocks, as JSON text (`{"State": {"0": {"Return": ...}}}`).
    States(String),
    /// A Step Functions Local MockConfigFile and one of its test cases.
    ConfigFile { path: String, test_case: String },
}

/// A run and what it belongs to.
pub(crate) struct ActiveRun {
    pub run: DebugRun,
    /// The definition revision it started on.
    pub revision: u64,
    pub workflow_type: WorkflowType,
    /// The last stop (shown in the toolbar).
    pub halt: Option<Halt>,
}

/// The run view's own state.
pub struct RunView {
    pub(crate) active: Option<ActiveRun>,
    pub(crate) tab: RunTab,
    /// The input typed per file (key: the path, or "" for an untitled document).
    inputs: HashMap<PathBuf, String>,
    pub(crate) mocks: MockSource,
    pub(crate) breakpoints: Breakpoints,
    pub(crate) clock: ClockMode,
    /// The event selected in the history (its JSON is shown).
    pub(crate) selected_event: Option<u64>,
    /// The visit the data-flow tab shows (index into the run's visits), when chosen there.
    pub(crate) selected_visit: Option<usize>,
    #[allow(dead_code)]
    pub(crate) events: events::EventsState,
    pub(crate) children: children::ChildrenState,
    /// What the person is typing for waiting tasks.
    pub(crate) drafts: questions::Drafts,
    /// The overlay of the last frame, and what it was computed for (cursor, head).
    overlay: Option<(u64, u64, std::sync::Arc<RunOverlay>)>,
    /// A problem with the last Run (bad input, invalid definition...).
    pub(crate) problem: Option<String>,
}

impl Default for RunView {
    fn default() -> Self {
        RunView::new()
    }
}

impl RunView {
    pub fn new() -> RunView {
        RunView {
            active: None,
            tab: RunTab::Input,
            inputs: HashMap::new(),
            mocks: MockSource::None,
            breakpoints: Breakpoints::default(),
            clock: ClockMode::Virtual,
            selected_event: None,
            selected_visit: None,
            events: events::EventsState::default(),
            children: children::ChildrenState::default(),
            drafts: questions::Drafts::default(),
            overlay: None,
            problem: None,
        }
    }

    pub fn tab(&self) -> RunTab {
        self.tab
    }

    pub fn set_tab(&mut self, tab: RunTab) {
        self.tab = tab;
    }

    /// The run, when there is one.
    pub fn run(&self) -> Option<&DebugRun> {
        self.active.as_ref().map(|a| &a.run)
    }

    pub fn run_mut(&mut self) -> Option<&mut DebugRun> {
        self.active.as_mut().map(|a| &mut a.run)
    }

    /// The event picked in the history.
    pub fn selected_event(&self) -> Option<u64> {
        self.selected_event
    }

    /// The visit picked for the data flow (an index into the run's visits).
    pub fn selected_visit(&self) -> Option<usize> {
        self.selected_visit
    }

    pub fn breakpoints(&self) -> &Breakpoints {
        &self.breakpoints
    }

    /// Drops the run (another document was opened): a background run is stopped first.
    pub fn forget_run(&mut self) {
        if let Some(active) = &mut self.active {
            active.run.stop();
        }
        self.active = None;
        self.overlay = None;
        self.selected_event = None;
        self.selected_visit = None;
        self.problem = None;
    }

    /// Replaces the breakpoints (opened from the sidecar).
    pub fn set_breakpoints(&mut self, breakpoints: Breakpoints) {
        self.breakpoints = breakpoints;
        self.push_breakpoints();
    }

    /// Adds or removes the breakpoint on a state (F9, the dot on a node, the context menu).
    pub fn toggle_breakpoint(&mut self, state: &str) -> RunAction {
        self.breakpoints.toggle(state);
        self.push_breakpoints();
        RunAction::BreakpointsChanged(self.breakpoints.clone())
    }

    pub(crate) fn push_breakpoints(&self) {
        if let Some(active) = &self.active {
            active.run.breakpoints().set(self.breakpoints.clone());
        }
    }

    /// The input typed for a file.
    pub fn input_text(&mut self, path: Option<&Path>) -> &mut String {
        self.inputs
            .entry(path.map(Path::to_path_buf).unwrap_or_default())
            .or_insert_with(|| "{}".to_string())
    }

    /// Whether the run belongs to another text than the current one.
    pub fn is_stale(&self, revision: u64) -> bool {
        self.active.as_ref().is_some_and(|a| a.revision != revision)
    }

    /// The run on the canvas at the moment shown (`None`: no run); shared, so the canvas
    /// reads it without a copy.
    pub fn overlay(&mut self, revision: u64) -> Option<std::sync::Arc<RunOverlay>> {
        let stale = self.is_stale(revision);
        let active = self.active.as_ref()?;
        let key = (active.run.cursor(), active.run.head());
        let fresh = matches!(&self.overlay, Some((c, h, o)) if (*c, *h) == key && o.stale == stale);
        if !fresh {
            let mut overlay = RunOverlay::of(&active.run);
            overlay.stale = stale;
            self.overlay = Some((key.0, key.1, std::sync::Arc::new(overlay)));
        }
        self.overlay.as_ref().map(|(_, _, o)| o.clone())
    }

    /// Starts a run of the current definition on the typed input (F5 with no run, Restart).
    pub fn start(&mut self, input: &RunInput<'_>) -> Result<(), String> {
        self.problem = None;
        let result = self.try_start(input);
        if let Err(problem) = &result {
            self.problem = Some(problem.clone());
            self.tab = RunTab::Input;
        }
        result
    }

    fn try_start(&mut self, input: &RunInput<'_>) -> Result<(), String> {
        input.runnable.clone()?;
        let definition = input
            .definition
            .ok_or("The text has not parsed yet: nothing to run")?;
        let machine = StateMachine::from_value(definition).map_err(|e| e.to_string())?;
        let text = self.input_text(input.path).clone();
        let value: Value =
            serde_json::from_str(&text).map_err(|e| format!("The input is not JSON: {e}"))?;
        let mocks = self.mock_backend(input.path)?;
        let options = ExecutionOptions {
            name: format!("run-{}", chrono::Utc::now().format("%Y%m%dT%H%M%S")),
            state_machine_name: input
                .name
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .or_else(|| {
                    input
                        .path
                        .and_then(|p| p.file_name())
                        .and_then(|n| n.to_str())
                        .and_then(|n| n.split('.').next())
                        .map(str::to_string)
                })
                .unwrap_or_else(|| "LocalStateMachine".to_string()),
            workflow_type: input.workflow_type,
            start_time: chrono::Utc::now(),
            clock: self.clock,
            ..ExecutionOptions::default()
        };
        let breakpoints = SharedBreakpoints::new(self.breakpoints.clone());
        let run = DebugRun::new(&machine, value, options, mocks, breakpoints)
            .map_err(|e| e.to_string())?;
        self.active = Some(ActiveRun {
            run,
            revision: input.revision,
            workflow_type: input.workflow_type,
            halt: None,
        });
        self.overlay = None;
        self.selected_event = None;
        self.selected_visit = None;
        self.children = children::ChildrenState::default();
        self.events = events::EventsState::default();
        Ok(())
    }

    fn mock_backend(&self, base: Option<&Path>) -> Result<Option<MockBackend>, String> {
        match &self.mocks {
            MockSource::None => Ok(None),
            MockSource::States(text) if text.trim().is_empty() => Ok(None),
            MockSource::States(text) => {
                let value: Value = serde_json::from_str(text)
                    .map_err(|e| format!("The mocks are not JSON: {e}"))?;
                MockBackend::from_state_mocks(&value, UnmockedPolicy::Fail)
                    .map(Some)
                    .map_err(|e| format!("The mocks: {e}"))
            }
            MockSource::ConfigFile { path, test_case } => {
                let path = match base.and_then(Path::parent) {
                    Some(dir) if Path::new(path).is_relative() => dir.join(path),
                    _ => PathBuf::from(path),
                };
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("Cannot read {}: {e}", path.display()))?;
                let config: Value = serde_json::from_str(&text)
                    .map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
                let machine = config
                    .get("StateMachines")
                    .and_then(Value::as_object)
                    .and_then(|machines| {
                        machines
                            .iter()
                            .find(|(_, m)| {
                                m.get("TestCases").and_then(|c| c.get(test_case)).is_some()
                            })
                            .map(|(name, _)| name.clone())
                    })
                    .ok_or_else(|| format!("No test case “{test_case}” in {}", path.display()))?;
                MockBackend::from_mock_config(&config, &machine, test_case, UnmockedPolicy::Fail)
                    .map(Some)
                    .map_err(|e| e.to_string())
            }
        }
    }

    /// Run (F5): starts a run, or continues the paused one.
    pub fn run_or_continue(&mut self, input: &RunInput<'_>) -> Option<RunAction> {
        let stale = self.is_stale(input.revision);
        match &mut self.active {
            Some(active) if !stale && !active.run.status().is_final() => {
                let halt = active.run.resume();
                active.halt = Some(halt);
                if self.tab == RunTab::Input {
                    self.tab = RunTab::Events;
                }
                None
            }
            _ => match self.start(input) {
                Ok(()) => {
                    let active = self.active.as_mut()?;
                    active.halt = Some(active.run.resume());
                    self.tab = RunTab::Events;
                    None
                }
                Err(problem) => Some(RunAction::Status(problem)),
            },
        }
    }

    /// Step (F10): one event; starts a run paused before its first event if there is none.
    pub fn step(&mut self, input: &RunInput<'_>) -> Option<RunAction> {
        if self.active.is_none() || self.is_stale(input.revision) {
            if let Err(problem) = self.start(input) {
                return Some(RunAction::Status(problem));
            }
            self.tab = RunTab::Events;
        }
        let active = self.active.as_mut()?;
        active.halt = Some(active.run.step());
        None
    }

    /// Step to the next state (F11).
    pub fn step_state(&mut self, input: &RunInput<'_>) -> Option<RunAction> {
        if self.active.is_none() || self.is_stale(input.revision) {
            if let Err(problem) = self.start(input) {
                return Some(RunAction::Status(problem));
            }
            self.tab = RunTab::Events;
        }
        let active = self.active.as_mut()?;
        active.halt = Some(active.run.step_state());
        None
    }

    /// Step back (Shift+F10).
    pub fn step_back(&mut self) {
        if let Some(active) = &mut self.active {
            active.run.step_back();
        }
    }

    /// Pause a running Continue.
    pub fn pause(&mut self) {
        if let Some(active) = &self.active {
            active.run.interrupt();
        }
    }

    /// Stop: aborts the execution (ExecutionAborted).
    pub fn stop(&mut self) {
        if let Some(active) = &mut self.active {
            active.run.stop();
            active.halt = Some(Halt::Finished);
        }
    }

    /// Restart (Ctrl+Shift+F5): a new run of the current text on the same input.
    pub fn restart(&mut self, input: &RunInput<'_>) -> Option<RunAction> {
        if let Some(active) = &mut self.active {
            active.run.stop();
        }
        self.active = None;
        self.run_or_continue(input)
    }

    /// Waits and retry delays on the virtual clock, or in real time.
    pub fn set_clock(&mut self, clock: ClockMode) {
        self.clock = clock;
        if let Some(active) = &mut self.active {
            active.run.set_clock(clock);
        }
    }

    /// Waits for a background Continue to stop (tests; the window polls instead).
    pub fn finish_background(&mut self) {
        if let Some(active) = &mut self.active
            && let Some(halt) = active.run.join()
        {
            active.halt = Some(halt);
        }
    }

    /// The last stop of the run.
    pub fn halt(&self) -> Option<&Halt> {
        self.active.as_ref().and_then(|a| a.halt.as_ref())
    }

    pub fn set_mocks(&mut self, mocks: MockSource) {
        self.mocks = mocks;
    }

    /// Takes the run back from a finished background Continue; asks for repaints while it
    /// runs.
    pub fn poll(&mut self, ctx: &egui::Context) {
        let Some(active) = &mut self.active else {
            return;
        };
        if active.run.is_busy() {
            match active.run.poll() {
                Some(halt) => active.halt = Some(halt),
                None => ctx.request_repaint_after(std::time::Duration::from_millis(30)),
            }
        }
        if matches!(
            active.halt,
            Some(Halt::WaitingForTask | Halt::WaitingUntil(_))
        ) {
            // A slow backend or a real-time wait: keep stepping it from here.
            let halt = active.run.resume();
            active.halt = Some(halt);
            ctx.request_repaint_after(std::time::Duration::from_millis(30));
        }
    }

    /// The bottom panel: the toolbar and the open tab.
    pub fn panel_ui(&mut self, ui: &mut Ui, input: &RunInput<'_>) -> Vec<RunAction> {
        let mut actions = Vec::new();
        self.poll(ui.ctx());
        toolbar::toolbar_ui(self, ui, input, &mut actions);
        questions::questions_ui(self, ui, input, &mut actions);
        ui.horizontal(|ui| {
            for tab in RunTab::ALL {
                ui.selectable_value(&mut self.tab, tab, tab.title());
            }
        });
        ui.separator();
        match self.tab {
            RunTab::Input => input::input_ui(self, ui, input, &mut actions),
            RunTab::Events => events::events_ui(self, ui, input, &mut actions),
            RunTab::DataFlow => dataflow::dataflow_ui(self, ui, input, &mut actions),
            RunTab::Variables => variables::variables_ui(self, ui, input, &mut actions),
            RunTab::Children => children::children_ui(self, ui, input, &mut actions),
            RunTab::Result => result::result_ui(self, ui, input, &mut actions),
        }
        actions
    }
}

impl From<&Breakpoints> for crate::export::BreakpointSettings {
    fn from(breakpoints: &Breakpoints) -> Self {
        crate::export::BreakpointSettings {
            states: breakpoints
                .list
                .iter()
                .map(|b| (b.state.clone(), b.condition.clone(), b.enabled))
                .collect(),
            break_on_error: match breakpoints.on_error {
                crate::engine::debug::BreakOnError::Never => "never",
                crate::engine::debug::BreakOnError::Any => "any",
                crate::engine::debug::BreakOnError::Uncaught => "uncaught",
            }
            .to_string(),
        }
    }
}

/// The breakpoints a sidecar keeps.
pub fn breakpoints_of(settings: &crate::export::BreakpointSettings) -> Breakpoints {
    Breakpoints {
        list: settings
            .states
            .iter()
            .map(
                |(state, condition, enabled)| crate::engine::debug::Breakpoint {
                    state: state.clone(),
                    condition: condition.clone(),
                    enabled: *enabled,
                },
            )
            .collect(),
        on_error: match settings.break_on_error.as_str() {
            "any" => crate::engine::debug::BreakOnError::Any,
            "uncaught" => crate::engine::debug::BreakOnError::Uncaught,
            _ => crate::engine::debug::BreakOnError::Never,
        },
    }
}
