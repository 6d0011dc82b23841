//! The Test state tab, as Workflow Studio has it: AWS's TestState API, run offline on the
//! selected state with an input, a mock of its service or children, and where the state is in
//! its life (which retry, which Map iterations failed...). The answer (`result`) shows the
//! status, the next state and every stage of the data flow.
//!
//! What the user types is kept per state for as long as the app runs, whatever the document
//! does; the answer is dropped as soon as the document changes, since it described another
//! text. Until the user types a state input of their own, it follows the state's input in the
//! latest visit of the run view's run, when there is one.

mod result;

use super::form::{choose_ui, error_line_ui, field_label_ui};
use super::{InspectorAction, InspectorInput, Tab, json_field};
use crate::asl::document::to_json_pretty;
use crate::asl::graph_edit::StateRef;
use crate::asl::model::{QueryLanguage, StateType};
use crate::engine::EventKind;
use crate::engine::debug::DebugRun;
use crate::engine::service_models::FieldValidationMode;
use crate::engine::test_state::{
    ApiError, InspectionLevel, Mock, MockError, StateConfiguration, TestStateOptions,
    TestStateRequest, TestStateResponse, test_state,
};
use egui::{RichText, Ui};
use egui_extras::syntax_highlighting::SyntectSettings;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// What stands in for the state's service (Task) or its children (Map, Parallel).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MockKind {
    None,
    Result,
    Error,
}

impl MockKind {
    const ALL: [MockKind; 3] = [MockKind::None, MockKind::Result, MockKind::Error];
    const TITLES: [&'static str; 3] = ["None", "Result", "Error"];
}

const LEVELS: [InspectionLevel; 3] = [
    InspectionLevel::Info,
    InspectionLevel::Debug,
    InspectionLevel::Trace,
];
const LEVEL_TITLES: [&str; 3] = ["INFO", "DEBUG", "TRACE"];

const VALIDATIONS: [FieldValidationMode; 3] = [
    FieldValidationMode::Strict,
    FieldValidationMode::Present,
    FieldValidationMode::None,
];
const VALIDATION_TITLES: [&str; 3] = ["STRICT", "PRESENT", "NONE"];

/// The input of the latest visit of `state` in a run, from its StateEntered event (or the
/// visit's recorded input): what the state's Test starts from.
pub fn last_run_input(run: &DebugRun, state: &str) -> Option<Arc<Value>> {
    let entered = {
        // Held briefly: a background Continue updates the index.
        let index = run.index();
        let id = index.state_id(state)?;
        let latest = *index.visits_of_state_at(id, run.head()).last()?;
        index.visits().get(latest)?.entered
    };
    if let Some(EventKind::StateEntered { input, .. }) = run.event(entered).map(|e| &e.kind) {
        return Some(input.clone());
    }
    let visits = run.execution()?.visits();
    let visit = visits.iter().rev().find(|v| v.entered_event == entered)?;
    visit.stages.first().map(|record| record.value.clone())
}

/// What the user typed for one state, as text (checked, not parsed, until Test).
#[derive(Debug, Clone)]
struct Inputs {
    input: String,
    /// The user typed the state input (it no longer follows the last run's).
    input_typed: bool,
    mock: MockKind,
    mock_result: String,
    mock_error: String,
    mock_cause: String,
    validation: FieldValidationMode,
    role_arn: String,
    retry_count: String,
    error_caused_by_state: Option<String>,
    map_failure_count: String,
    item_reader_data: String,
    variables: String,
    level: InspectionLevel,
}

impl Inputs {
    fn new(shape: &Shape) -> Inputs {
        Inputs {
            input: "{}".into(),
            input_typed: false,
            // Offline there is no service to call: a mocked result runs at once, where no mock
            // would fail (Task) or be refused (Map, Parallel).
            mock: MockKind::Result,
            mock_result: shape.default_mock_result(),
            mock_error: String::new(),
            mock_cause: String::new(),
            validation: FieldValidationMode::Strict,
            role_arn: String::new(),
            retry_count: String::new(),
            error_caused_by_state: None,
            map_failure_count: String::new(),
            item_reader_data: String::new(),
            variables: String::new(),
            level: InspectionLevel::Debug,
        }
    }
}

/// One Test and the document it ran on.
#[derive(Debug, Clone)]
pub struct Run {
    /// The document revision the answer is about.
    revision: u64,
    /// The level asked for (the inputs may have changed since).
    pub level: InspectionLevel,
    pub outcome: Result<TestStateResponse, ApiError>,
}

#[derive(Debug, Clone)]
struct StateTest {
    inputs: Inputs,
    /// The run input the state input was last filled from (a new run brings another).
    prefilled: Option<Arc<Value>>,
    run: Option<Run>,
    /// The last answer was dropped because the document changed.
    stale: bool,
}

/// The tab's own state: the inputs and last answer of every state tested or edited.
#[derive(Debug, Default)]
pub struct TestTab {
    states: HashMap<StateRef, StateTest>,
}

/// The selected state, as the tab needs it.
pub struct Target<'a> {
    pub input: &'a InspectorInput<'a>,
    pub state: &'a StateRef,
    pub value: &'a Value,
    pub state_type: Option<StateType>,
    pub language: QueryLanguage,
}

/// Which inputs apply to a state.
#[derive(Debug, Clone, PartialEq)]
struct Shape {
    state_type: Option<StateType>,
    /// Task, Map and Parallel states take a mock.
    mockable: bool,
    has_retry: bool,
    /// Map and Parallel: the states inside (one may be named as the error's source).
    children: Vec<String>,
    branches: usize,
}

impl Shape {
    fn of(value: &Value, state_type: Option<StateType>) -> Shape {
        let container = matches!(state_type, Some(StateType::Map | StateType::Parallel));
        let mut children = Vec::new();
        if container {
            nested_state_names(value, &mut children);
        }
        Shape {
            state_type,
            mockable: matches!(
                state_type,
                Some(StateType::Task | StateType::Map | StateType::Parallel)
            ),
            has_retry: value
                .get("Retry")
                .and_then(Value::as_array)
                .is_some_and(|r| !r.is_empty()),
            children,
            branches: value
                .get("Branches")
                .and_then(Value::as_array)
                .map_or(0, Vec::len),
        }
    }

    fn is(&self, state_type: StateType) -> bool {
        self.state_type == Some(state_type)
    }

    fn container(&self) -> bool {
        self.is(StateType::Map) || self.is(StateType::Parallel)
    }

    /// A result of the right shape: one per branch for a Parallel state, a list for a Map.
    fn default_mock_result(&self) -> String {
        match self.state_type {
            Some(StateType::Map) => "[]".into(),
            Some(StateType::Parallel) => format!("[{}]", vec!["{}"; self.branches].join(", ")),
            _ => "{}".into(),
        }
    }
}

/// The names of the states inside a Map or Parallel state, at any depth.
fn nested_state_names(state: &Value, out: &mut Vec<String>) {
    let graphs = state
        .get("Branches")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .chain(state.get("ItemProcessor"))
        .chain(state.get("Iterator"));
    for graph in graphs {
        if let Some(states) = graph.get("States").and_then(Value::as_object) {
            for (name, inner) in states {
                out.push(name.clone());
                nested_state_names(inner, out);
            }
        }
    }
}

/// Why a JSON field's text cannot be sent (empty is fine when the field is optional).
fn json_problem(text: &str, optional: bool) -> Option<String> {
    if optional && text.trim().is_empty() {
        return None;
    }
    serde_json::from_str::<Value>(text)
        .err()
        .map(|e| format!("Not valid JSON: {e} — Test is disabled until it parses"))
}

/// A count typed as text: empty is none.
fn count(text: &str) -> Result<Option<u64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<u64>()
        .map(Some)
        .map_err(|_| "expected a whole number (0 or more)".to_string())
}

fn non_empty(text: &str) -> Option<String> {
    (!text.trim().is_empty()).then(|| text.to_string())
}

/// The TestState call the inputs stand for (only the inputs that apply to the state).
fn request(inputs: &Inputs, shape: &Shape, definition: String, name: &str) -> TestStateRequest {
    let mock = match (shape.mockable, inputs.mock) {
        (false, _) | (true, MockKind::None) => None,
        (true, MockKind::Result) => Some(Mock {
            result: Some(inputs.mock_result.clone()),
            error_output: None,
            field_validation_mode: inputs.validation,
        }),
        (true, MockKind::Error) => Some(Mock {
            result: None,
            error_output: Some(MockError {
                error: non_empty(&inputs.mock_error),
                cause: non_empty(&inputs.mock_cause),
            }),
            field_validation_mode: inputs.validation,
        }),
    };
    let is_map = shape.is(StateType::Map);
    TestStateRequest {
        definition,
        state_name: Some(name.to_string()),
        role_arn: (shape.is(StateType::Task) && mock.is_none())
            .then(|| non_empty(&inputs.role_arn))
            .flatten(),
        input: non_empty(&inputs.input),
        inspection_level: inputs.level,
        reveal_secrets: false,
        variables: non_empty(&inputs.variables),
        mock,
        context: None,
        state_configuration: StateConfiguration {
            retrier_retry_count: (shape.mockable && shape.has_retry)
                .then(|| count(&inputs.retry_count).ok().flatten())
                .flatten(),
            error_caused_by_state: shape
                .container()
                .then(|| inputs.error_caused_by_state.clone())
                .flatten()
                .filter(|name| shape.children.contains(name)),
            map_iteration_failure_count: is_map
                .then(|| count(&inputs.map_failure_count).ok().flatten())
                .flatten(),
            map_item_reader_data: is_map
                .then(|| non_empty(&inputs.item_reader_data))
                .flatten(),
        },
    }
}

impl TestTab {
    /// Shows the tab; returns the tab to open when the user asks to see a field.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        target: &Target<'_>,
        actions: &mut Vec<InspectorAction>,
    ) -> Option<Tab> {
        let shape = Shape::of(target.value, target.state_type);
        let entry = self
            .states
            .entry(target.state.clone())
            .or_insert_with(|| StateTest {
                inputs: Inputs::new(&shape),
                prefilled: None,
                run: None,
                stale: false,
            });
        if !entry.inputs.input_typed
            && let Some(last) = &target.input.last_run_input
            && entry
                .prefilled
                .as_ref()
                .is_none_or(|before| !Arc::ptr_eq(before, last))
        {
            entry.inputs.input = to_json_pretty(last, "  ");
            entry.prefilled = Some(last.clone());
        }
        if entry
            .run
            .as_ref()
            .is_some_and(|run| run.revision != target.input.revision)
        {
            entry.run = None;
            entry.stale = true;
        }
        ui.label(
            RichText::new(
                "Runs this state alone, as AWS's TestState API does: offline, on the mock below.",
            )
            .small()
            .weak(),
        );
        let from_run = entry.prefilled.is_some() && !entry.inputs.input_typed;
        let ready = inputs_ui(
            ui,
            &mut entry.inputs,
            &shape,
            target.input.syntaxes,
            from_run,
        );
        ui.add_space(6.0);
        let test = ui
            .add_enabled(ready, egui::Button::new("Test"))
            .on_hover_text("Run the state on this input")
            .on_disabled_hover_text("Fix the fields marked in red first");
        if test.clicked() {
            let request = request(
                &entry.inputs,
                &shape,
                target.input.doc.value().to_string(),
                &target.state.name,
            );
            // On the UI thread: TestState calls no backend here (the default options have
            // none, mocks answer at once) and runs one state with a bounded event budget, so
            // it returns within the frame.
            let outcome = test_state(&request, &TestStateOptions::default());
            entry.run = Some(Run {
                revision: target.input.revision,
                level: request.inspection_level,
                outcome,
            });
            entry.stale = false;
        }
        if entry.stale {
            ui.label(RichText::new("The definition changed: test again.").weak());
        }
        let run = entry.run.as_ref()?;
        ui.add_space(6.0);
        ui.separator();
        let clicked = result::result_ui(ui, run, target.state_type, target.language);
        if let Some(name) = clicked.next_state {
            actions.push(InspectorAction::Select(StateRef::new(
                target.state.scope.clone(),
                name,
            )));
        }
        clicked.tab
    }
}

/// The inputs of the test; whether they can be sent.
fn inputs_ui(
    ui: &mut Ui,
    inputs: &mut Inputs,
    shape: &Shape,
    syntaxes: Option<&SyntectSettings>,
    from_run: bool,
) -> bool {
    let mut ready = true;
    let mut problem_ui = |ui: &mut Ui, problem: Option<String>| {
        if let Some(problem) = problem {
            error_line_ui(ui, &problem);
            ready = false;
        }
    };
    let label = field_label_ui(ui, "State input");
    let editor = json_field::editor_ui(ui, "test-state-input", &mut inputs.input, "{}", syntaxes)
        .labelled_by(label.id);
    if editor.changed() {
        inputs.input_typed = true;
    }
    if from_run {
        note_ui(ui, "The state's input in the last run.");
    }
    problem_ui(ui, json_problem(&inputs.input, true));

    if shape.mockable {
        let current = MockKind::ALL.iter().position(|k| *k == inputs.mock);
        if let Some(index) = choose_ui(ui, "Mock", "test-state-mock", current, &MockKind::TITLES)
            && let Some(kind) = MockKind::ALL.get(index)
        {
            inputs.mock = *kind;
        }
        match inputs.mock {
            MockKind::None => {
                let note = if shape.is(StateType::Task) {
                    "Without a mock the task calls its service: offline there is none, so it \
                     fails with AslStudio.NoBackend (AWS needs a role to call it)."
                } else {
                    "TestState runs a Map or Parallel state only with a mock of its children."
                };
                note_ui(ui, note);
                if shape.is(StateType::Task) {
                    single_line_ui(
                        ui,
                        "Role ARN",
                        "test-state-role",
                        &mut inputs.role_arn,
                        "arn:aws:iam::123456789012:role/…",
                    );
                }
            }
            MockKind::Result => {
                let label = field_label_ui(ui, "Mock result");
                json_field::editor_ui(
                    ui,
                    "test-state-mock-result",
                    &mut inputs.mock_result,
                    &shape.default_mock_result(),
                    syntaxes,
                )
                .labelled_by(label.id);
                problem_ui(ui, json_problem(&inputs.mock_result, false));
                if shape.is(StateType::Task) {
                    let current = VALIDATIONS.iter().position(|v| *v == inputs.validation);
                    if let Some(index) = choose_ui(
                        ui,
                        "Field validation",
                        "test-state-validation",
                        current,
                        &VALIDATION_TITLES,
                    ) && let Some(mode) = VALIDATIONS.get(index)
                    {
                        inputs.validation = *mode;
                    }
                    note_ui(
                        ui,
                        "How the result is checked against the service's API: every field \
                         (STRICT), the fields present (PRESENT), or not at all (NONE).",
                    );
                }
            }
            MockKind::Error => {
                single_line_ui(
                    ui,
                    "Mock error",
                    "test-state-mock-error",
                    &mut inputs.mock_error,
                    "States.TaskFailed",
                );
                let label = field_label_ui(ui, "Mock cause");
                ui.add(
                    egui::TextEdit::multiline(&mut inputs.mock_cause)
                        .id_salt("test-state-mock-cause")
                        .hint_text("What went wrong")
                        .desired_rows(1)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            }
        }
    }

    if shape.mockable && shape.has_retry {
        single_line_ui(
            ui,
            "Retry count",
            "test-state-retry-count",
            &mut inputs.retry_count,
            "0",
        );
        problem_ui(ui, count(&inputs.retry_count).err());
        note_ui(
            ui,
            "Retries already made by the retrier that matches the error.",
        );
    }
    if shape.container() {
        let mut choices = vec!["(none)"];
        choices.extend(shape.children.iter().map(String::as_str));
        let current = match &inputs.error_caused_by_state {
            Some(name) => shape.children.iter().position(|c| c == name).map(|i| i + 1),
            None => Some(0),
        };
        if let Some(index) = choose_ui(
            ui,
            "Error caused by state",
            "test-state-error-source",
            current,
            &choices,
        ) {
            inputs.error_caused_by_state = index
                .checked_sub(1)
                .and_then(|i| shape.children.get(i))
                .cloned();
        }
    }
    if shape.is(StateType::Map) {
        single_line_ui(
            ui,
            "Map iteration failure count",
            "test-state-map-failures",
            &mut inputs.map_failure_count,
            "0",
        );
        problem_ui(ui, count(&inputs.map_failure_count).err());
        let label = field_label_ui(ui, "Item reader data");
        ui.add(
            egui::TextEdit::multiline(&mut inputs.item_reader_data)
                .id_salt("test-state-item-reader")
                .code_editor()
                .hint_text("What the ItemReader reads (CSV or JSON text)")
                .desired_rows(1)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    }

    // "Variables" alone would read like the Variables tab's title.
    let label = field_label_ui(ui, "Variables in scope");
    json_field::editor_ui(
        ui,
        "test-state-variables",
        &mut inputs.variables,
        "{\"name\": \"value\"}",
        syntaxes,
    )
    .labelled_by(label.id);
    let variables_problem = json_problem(&inputs.variables, true).or_else(|| {
        let value = serde_json::from_str::<Value>(&inputs.variables).ok()?;
        (!value.is_object()).then(|| "Variables must be a JSON object".to_string())
    });
    problem_ui(ui, variables_problem);

    let current = LEVELS.iter().position(|l| *l == inputs.level);
    if let Some(index) = choose_ui(
        ui,
        "Inspection level",
        "test-state-level",
        current,
        &LEVEL_TITLES,
    ) && let Some(level) = LEVELS.get(index)
    {
        inputs.level = *level;
    }
    ready
}

fn single_line_ui(ui: &mut Ui, label: &str, id: &str, text: &mut String, hint: &str) {
    let label = field_label_ui(ui, label);
    ui.add(
        egui::TextEdit::singleline(text)
            .id_salt(id)
            .hint_text(hint)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
}

fn note_ui(ui: &mut Ui, text: &str) {
    ui.label(RichText::new(text).small().weak());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn containers_list_their_states_and_shape_their_mock() {
        let parallel = json!({"Type": "Parallel", "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Map", "ItemProcessor":
                {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}, "End": true}}},
            {"StartAt": "C", "States": {"C": {"Type": "Succeed"}}}
        ], "End": true});
        let shape = Shape::of(&parallel, Some(StateType::Parallel));
        assert_eq!(shape.children, ["A", "B", "C"]);
        assert_eq!(shape.default_mock_result(), "[{}, {}]");
        assert!(shape.mockable && !shape.has_retry);
        let pass = Shape::of(&json!({"Type": "Pass"}), Some(StateType::Pass));
        assert!(!pass.mockable && pass.children.is_empty());
    }

    #[test]
    fn only_the_inputs_that_apply_are_sent() {
        let task = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                          "Retry": [{"ErrorEquals": ["Boom"]}], "End": true});
        let shape = Shape::of(&task, Some(StateType::Task));
        let mut inputs = Inputs::new(&shape);
        inputs.mock = MockKind::Error;
        inputs.mock_error = "Boom".into();
        inputs.retry_count = " 2 ".into();
        inputs.map_failure_count = "3".into();
        inputs.error_caused_by_state = Some("X".into());
        let sent = request(&inputs, &shape, "{}".into(), "T");
        assert_eq!(sent.state_name.as_deref(), Some("T"));
        assert_eq!(sent.state_configuration.retrier_retry_count, Some(2));
        assert_eq!(sent.state_configuration.map_iteration_failure_count, None);
        assert_eq!(sent.state_configuration.error_caused_by_state, None);
        let mock = sent.mock.expect("a mock");
        assert_eq!(mock.result, None);
        assert_eq!(
            mock.error_output.and_then(|e| e.error).as_deref(),
            Some("Boom")
        );
        assert_eq!(sent.inspection_level, InspectionLevel::Debug);
        // A Pass state takes no mock, whatever was chosen before.
        let pass = Shape::of(&json!({"Type": "Pass"}), Some(StateType::Pass));
        assert_eq!(request(&inputs, &pass, "{}".into(), "P").mock, None);
    }

    #[test]
    fn typed_text_is_checked() {
        assert_eq!(json_problem("  ", true), None);
        assert!(json_problem("  ", false).is_some());
        assert!(json_problem("{\"a\": ", true).is_some_and(|p| p.contains("Not valid JSON")));
        assert_eq!(count(""), Ok(None));
        assert_eq!(count("4"), Ok(Some(4)));
        assert!(count("-1").is_err());
    }
}
