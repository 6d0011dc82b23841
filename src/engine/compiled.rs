//! The definition prepared for running: every path, template and expression parsed once.
//!
//! Parsing per state entry would dominate a 100,000-item Map; here it happens once per
//! definition, and an execution shares the result (`Arc`) with its clones.

use super::template::{JsonataTemplate, PathTemplate, compile_path, compile_path_or_intrinsic};
use crate::asl::model::{
    self, ChoiceRule, Condition, NumberField, QueryLanguage, State, StateKind, StateMachine,
    Transition, WaitFor,
};
use crate::asl::path::{JsonPath, ReferencePath};
use indexmap::IndexMap;
use serde_json::Value;
use std::sync::Arc;

/// `InputPath` / `OutputPath`: absent (`$`), `null` (`{}` / discard), or a path.
#[derive(Debug, Clone)]
pub(crate) enum PathField {
    Identity,
    Null,
    Path(JsonPath),
}

/// `ResultPath`: absent (`$`: the result replaces the input), `null` (keep the input), a path.
#[derive(Debug, Clone)]
pub(crate) enum ResultPathField {
    Replace,
    Discard,
    Path(ReferencePath),
}

/// A number that is literal, read from a path, or computed by JSONata.
#[derive(Debug, Clone)]
pub(crate) enum CompiledNumber {
    Literal(f64),
    Path {
        field: String,
        path: JsonPath,
    },
    Jsonata {
        field: String,
        template: JsonataTemplate,
    },
}

#[derive(Debug, Clone)]
pub(crate) enum CompiledCondition {
    Comparison {
        variable: JsonPath,
        operator: model::ComparisonOperator,
        value: CompiledOperand,
    },
    And(Vec<CompiledCondition>),
    Or(Vec<CompiledCondition>),
    Not(Box<CompiledCondition>),
    Jsonata(JsonataTemplate),
}

#[derive(Debug, Clone)]
pub(crate) enum CompiledOperand {
    Literal(Value),
    Path(JsonPath),
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledRule {
    pub condition: CompiledCondition,
    pub next: Option<String>,
    pub assign: Option<Assign>,
    pub output: Option<JsonataTemplate>,
}

/// `Assign` in either language.
#[derive(Debug, Clone)]
pub(crate) enum Assign {
    Path(PathTemplate),
    Jsonata(JsonataTemplate),
}

#[derive(Debug, Clone)]
pub(crate) enum CompiledWait {
    Seconds(CompiledNumber),
    Timestamp(String),
    TimestampJsonata(JsonataTemplate),
    TimestampPath(JsonPath),
}

#[derive(Debug, Clone)]
pub(crate) enum CompiledText {
    Literal(String),
    Path(PathTemplate),
    Jsonata(JsonataTemplate),
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledMap {
    pub processor: Arc<CompiledMachine>,
    pub items_path: Option<JsonPath>,
    pub items: Option<JsonataTemplate>,
    pub item_selector: Option<Selector>,
    pub max_concurrency: Option<CompiledNumber>,
    pub tolerated_percentage: Option<CompiledNumber>,
    pub tolerated_count: Option<CompiledNumber>,
    pub distributed: bool,
    pub label: Option<String>,
    pub batch_max_items: Option<CompiledNumber>,
    pub batch_max_bytes: Option<CompiledNumber>,
    pub batch_input: Option<Selector>,
    pub reader: Option<CompiledResource>,
    pub writer: Option<CompiledResource>,
}

/// ItemReader / ResultWriter: a resource, its parameters and its configuration.
#[derive(Debug, Clone)]
pub(crate) struct CompiledResource {
    pub resource: String,
    pub parameters: Option<Selector>,
    pub config: Value,
}

/// A template in the state's language (ItemSelector, BatchInput...).
#[derive(Debug, Clone)]
pub(crate) enum Selector {
    Path(PathTemplate),
    Jsonata(JsonataTemplate),
}

#[derive(Debug, Clone)]
pub(crate) enum CompiledKind {
    Pass {
        result: Option<Value>,
    },
    Task {
        resource: String,
        timeout: Option<CompiledNumber>,
        heartbeat: Option<CompiledNumber>,
        credentials: Option<Selector>,
    },
    Choice {
        rules: Vec<CompiledRule>,
        default: Option<String>,
    },
    Wait(Option<CompiledWait>),
    Succeed,
    Fail {
        error: Option<CompiledText>,
        cause: Option<CompiledText>,
    },
    Parallel {
        branches: Vec<Arc<CompiledMachine>>,
    },
    Map(Box<CompiledMap>),
}

/// One state, ready to run.
#[derive(Debug, Clone)]
pub(crate) struct CompiledState {
    pub name: Arc<str>,
    pub type_name: &'static str,
    pub language: QueryLanguage,
    pub next: Option<String>,
    pub input_path: PathField,
    pub output_path: PathField,
    pub result_path: ResultPathField,
    pub parameters: Option<PathTemplate>,
    pub result_selector: Option<PathTemplate>,
    pub output: Option<JsonataTemplate>,
    /// JSONata `Arguments` of a Task or Parallel.
    pub arguments: Option<JsonataTemplate>,
    pub assign: Option<Assign>,
    pub retry: Vec<model::Retrier>,
    pub catch: Vec<CompiledCatcher>,
    pub kind: CompiledKind,
    /// A field that could not be compiled (only for definitions that skipped validation).
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledCatcher {
    pub error_equals: Vec<String>,
    pub next: String,
    pub result_path: ResultPathField,
    pub output: Option<JsonataTemplate>,
    pub assign: Option<Assign>,
}

/// A machine, branch or item processor.
#[derive(Debug, Clone)]
pub(crate) struct CompiledMachine {
    pub start_at: String,
    pub states: IndexMap<String, Arc<CompiledState>>,
}

impl CompiledMachine {
    /// Compiles `machine`; states inherit `top_language` unless they set their own.
    pub fn compile(machine: &StateMachine, top_language: QueryLanguage) -> CompiledMachine {
        CompiledMachine {
            start_at: machine.start_at.clone(),
            states: machine
                .states
                .iter()
                .map(|(name, state)| (name.clone(), Arc::new(compile_state(state, top_language))))
                .collect(),
        }
    }

    pub fn state(&self, name: &str) -> Option<&Arc<CompiledState>> {
        self.states.get(name)
    }
}

/// Collects compile errors instead of failing: the first one is kept on the state.
struct Errors(Option<String>);

impl Errors {
    fn take<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.0.get_or_insert_with(|| format!("{field}: {message}"));
                None
            }
        }
    }
}

fn compile_state(state: &State, top_language: QueryLanguage) -> CompiledState {
    let language = state.language(top_language);
    let mut errors = Errors(None);
    let data = &state.data;
    let path_field = |errors: &mut Errors, field: &str, value: &Option<Option<String>>| match value
    {
        None => PathField::Identity,
        Some(None) => PathField::Null,
        Some(Some(text)) => errors
            .take(field, compile_path(text))
            .map_or(PathField::Identity, PathField::Path),
    };
    let input_path = path_field(&mut errors, "InputPath", &data.input_path);
    let output_path = path_field(&mut errors, "OutputPath", &data.output_path);
    let result_path = compile_result_path(&mut errors, &data.result_path);
    let template = |errors: &mut Errors, field: &str, value: &Option<Value>| {
        value
            .as_ref()
            .and_then(|v| errors.take(field, PathTemplate::compile(v)))
    };
    let jsonata = |errors: &mut Errors, field: &str, value: &Option<Value>| {
        value
            .as_ref()
            .and_then(|v| errors.take(field, JsonataTemplate::compile(v)))
    };
    let (parameters, result_selector, output, arguments) = match language {
        QueryLanguage::JsonPath => (
            if matches!(state.kind, StateKind::Map(_)) {
                None
            } else {
                template(&mut errors, "Parameters", &data.parameters)
            },
            template(&mut errors, "ResultSelector", &data.result_selector),
            None,
            None,
        ),
        QueryLanguage::Jsonata => (
            None,
            None,
            jsonata(&mut errors, "Output", &data.output),
            jsonata(&mut errors, "Arguments", &data.arguments),
        ),
    };
    let assign = compile_assign(&mut errors, language, &data.assign);
    let (retry, catch) = state.error_handling();
    let catch = catch
        .iter()
        .map(|c| CompiledCatcher {
            error_equals: c.error_equals.clone(),
            next: c.next.clone().unwrap_or_default(),
            result_path: compile_result_path(&mut errors, &c.result_path),
            output: jsonata(&mut errors, "Catch Output", &c.output),
            assign: compile_assign(&mut errors, language, &c.assign),
        })
        .collect();
    let kind = compile_kind(state, language, top_language, &mut errors);
    let next = match &state.transition {
        Transition::Next(next) => Some(next.clone()),
        Transition::End | Transition::None => None,
    };
    CompiledState {
        name: Arc::from(state.name.as_str()),
        type_name: state.state_type().map_or("Unknown", |t| t.as_str()),
        language,
        next,
        input_path,
        output_path,
        result_path,
        parameters,
        result_selector,
        output,
        arguments,
        assign,
        retry: retry.to_vec(),
        catch,
        kind,
        error: errors.0,
    }
}

fn compile_result_path(errors: &mut Errors, value: &Option<Option<String>>) -> ResultPathField {
    match value {
        None => ResultPathField::Replace,
        Some(None) => ResultPathField::Discard,
        Some(Some(text)) => errors
            .take(
                "ResultPath",
                ReferencePath::parse(text).map_err(|e| e.to_string()),
            )
            .map_or(ResultPathField::Replace, ResultPathField::Path),
    }
}

fn compile_assign(
    errors: &mut Errors,
    language: QueryLanguage,
    value: &Option<Value>,
) -> Option<Assign> {
    let value = value.as_ref()?;
    match language {
        QueryLanguage::JsonPath => errors
            .take("Assign", PathTemplate::compile(value))
            .map(Assign::Path),
        QueryLanguage::Jsonata => errors
            .take("Assign", JsonataTemplate::compile(value))
            .map(Assign::Jsonata),
    }
}

fn compile_selector(
    errors: &mut Errors,
    field: &str,
    language: QueryLanguage,
    value: &Option<Value>,
) -> Option<Selector> {
    let value = value.as_ref()?;
    match language {
        QueryLanguage::JsonPath => errors
            .take(field, PathTemplate::compile(value))
            .map(Selector::Path),
        QueryLanguage::Jsonata => errors
            .take(field, JsonataTemplate::compile(value))
            .map(Selector::Jsonata),
    }
}

fn compile_number(
    errors: &mut Errors,
    field: &str,
    value: &Option<NumberField>,
) -> Option<CompiledNumber> {
    match value.as_ref()? {
        NumberField::Number(n) => Some(CompiledNumber::Literal(n.as_f64().unwrap_or_default())),
        NumberField::Path(text) => {
            errors
                .take(field, compile_path(text))
                .map(|path| CompiledNumber::Path {
                    field: format!("{field}Path"),
                    path,
                })
        }
        NumberField::Jsonata(text) => errors
            .take(
                field,
                JsonataTemplate::compile(&Value::String(text.clone())),
            )
            .map(|template| CompiledNumber::Jsonata {
                field: field.to_string(),
                template,
            }),
    }
}

fn compile_text(
    errors: &mut Errors,
    field: &str,
    language: QueryLanguage,
    literal: &Option<String>,
    path: &Option<String>,
) -> Option<CompiledText> {
    if let Some(path) = path {
        return errors
            .take(
                field,
                compile_path_or_intrinsic(&format!("{field}Path"), path),
            )
            .map(CompiledText::Path);
    }
    let literal = literal.as_ref()?;
    if language == QueryLanguage::Jsonata && crate::asl::is_jsonata_text(literal) {
        return errors
            .take(
                field,
                JsonataTemplate::compile(&Value::String(literal.clone())),
            )
            .map(CompiledText::Jsonata);
    }
    Some(CompiledText::Literal(literal.clone()))
}

fn compile_kind(
    state: &State,
    language: QueryLanguage,
    top_language: QueryLanguage,
    errors: &mut Errors,
) -> CompiledKind {
    match &state.kind {
        StateKind::Pass(pass) => CompiledKind::Pass {
            result: pass.result.clone(),
        },
        StateKind::Task(task) => CompiledKind::Task {
            resource: task.resource.clone(),
            timeout: compile_number(errors, "TimeoutSeconds", &task.timeout),
            heartbeat: compile_number(errors, "HeartbeatSeconds", &task.heartbeat),
            credentials: compile_selector(
                errors,
                "Credentials",
                language,
                &task.credentials.as_ref().map(|c| c.0.clone()),
            ),
        },
        StateKind::Choice(choice) => CompiledKind::Choice {
            rules: choice
                .choices
                .iter()
                .map(|rule| compile_rule(rule, language, errors))
                .collect(),
            default: choice.default.clone(),
        },
        StateKind::Wait(wait) => CompiledKind::Wait(wait.wait_for.as_ref().and_then(|w| {
            match w {
                WaitFor::Seconds(n) => {
                    compile_number(errors, "Seconds", &Some(n.clone())).map(CompiledWait::Seconds)
                }
                WaitFor::Timestamp(t)
                    if language == QueryLanguage::Jsonata && crate::asl::is_jsonata_text(t) =>
                {
                    errors
                        .take(
                            "Timestamp",
                            JsonataTemplate::compile(&Value::String(t.clone())),
                        )
                        .map(CompiledWait::TimestampJsonata)
                }
                WaitFor::Timestamp(t) => Some(CompiledWait::Timestamp(t.clone())),
                WaitFor::TimestampPath(p) => errors
                    .take("TimestampPath", compile_path(p))
                    .map(CompiledWait::TimestampPath),
            }
        })),
        StateKind::Succeed => CompiledKind::Succeed,
        StateKind::Fail(fail) => CompiledKind::Fail {
            error: compile_text(errors, "Error", language, &fail.error, &fail.error_path),
            cause: compile_text(errors, "Cause", language, &fail.cause, &fail.cause_path),
        },
        StateKind::Parallel(parallel) => CompiledKind::Parallel {
            branches: parallel
                .branches
                .iter()
                .map(|b| Arc::new(CompiledMachine::compile(&b.machine, top_language)))
                .collect(),
        },
        StateKind::Map(map) => {
            let processor = map
                .processor
                .as_ref()
                .map(|p| Arc::new(CompiledMachine::compile(&p.machine, top_language)))
                .unwrap_or_else(|| {
                    Arc::new(CompiledMachine {
                        start_at: String::new(),
                        states: IndexMap::new(),
                    })
                });
            let items_path = match &map.items_path {
                Some(Some(text)) => errors.take("ItemsPath", compile_path(text)),
                _ => None,
            };
            CompiledKind::Map(Box::new(CompiledMap {
                processor,
                items_path,
                items: map
                    .items
                    .as_ref()
                    .and_then(|v| errors.take("Items", JsonataTemplate::compile(v))),
                item_selector: compile_selector(
                    errors,
                    "ItemSelector",
                    language,
                    &map.item_selector,
                ),
                max_concurrency: compile_number(errors, "MaxConcurrency", &map.max_concurrency),
                tolerated_percentage: compile_number(
                    errors,
                    "ToleratedFailurePercentage",
                    &map.tolerated_failure_percentage,
                ),
                tolerated_count: compile_number(
                    errors,
                    "ToleratedFailureCount",
                    &map.tolerated_failure_count,
                ),
                distributed: map.mode() == model::MapMode::Distributed,
                label: map.label.clone(),
                batch_max_items: map.item_batcher.as_ref().and_then(|b| {
                    compile_number(errors, "MaxItemsPerBatch", &b.max_items_per_batch)
                }),
                batch_max_bytes: map.item_batcher.as_ref().and_then(|b| {
                    compile_number(
                        errors,
                        "MaxInputBytesPerBatch",
                        &b.max_input_bytes_per_batch,
                    )
                }),
                batch_input: map
                    .item_batcher
                    .as_ref()
                    .and_then(|b| compile_selector(errors, "BatchInput", language, &b.batch_input)),
                reader: compile_resource(
                    errors,
                    "ItemReader",
                    "ReaderConfig",
                    language,
                    &map.item_reader,
                ),
                writer: compile_resource(
                    errors,
                    "ResultWriter",
                    "WriterConfig",
                    language,
                    &map.result_writer,
                ),
            }))
        }
        StateKind::Unknown(_) => CompiledKind::Succeed,
    }
}

fn compile_resource(
    errors: &mut Errors,
    field: &str,
    config_field: &str,
    language: QueryLanguage,
    value: &Option<Value>,
) -> Option<CompiledResource> {
    let object = value.as_ref()?.as_object()?;
    let parameters_field = match language {
        QueryLanguage::JsonPath => "Parameters",
        QueryLanguage::Jsonata => "Arguments",
    };
    Some(CompiledResource {
        resource: object
            .get("Resource")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        parameters: compile_selector(
            errors,
            field,
            language,
            &object.get(parameters_field).cloned(),
        ),
        config: object.get(config_field).cloned().unwrap_or(Value::Null),
    })
}

fn compile_rule(rule: &ChoiceRule, language: QueryLanguage, errors: &mut Errors) -> CompiledRule {
    CompiledRule {
        condition: compile_condition(&rule.condition, errors, 0),
        next: rule.next.clone(),
        assign: compile_assign(errors, language, &rule.assign),
        output: rule
            .output
            .as_ref()
            .and_then(|v| errors.take("Output", JsonataTemplate::compile(v))),
    }
}

fn compile_condition(
    condition: &Condition,
    errors: &mut Errors,
    depth: usize,
) -> CompiledCondition {
    let never = || CompiledCondition::Or(Vec::new());
    if depth > 128 {
        errors.take::<()>("Choices", Err("the rule is nested too deeply".into()));
        return never();
    }
    match condition {
        Condition::Comparison(c) => {
            let Some(variable) = errors.take("Variable", compile_path(&c.variable)) else {
                return never();
            };
            let value = match &c.value {
                model::ComparisonValue::Literal(v) => CompiledOperand::Literal(v.clone()),
                model::ComparisonValue::Path(p) => {
                    match errors.take(c.operator.as_str(), compile_path(p)) {
                        Some(path) => CompiledOperand::Path(path),
                        None => return never(),
                    }
                }
            };
            CompiledCondition::Comparison {
                variable,
                operator: c.operator,
                value,
            }
        }
        Condition::And(items) => CompiledCondition::And(
            items
                .iter()
                .map(|c| compile_condition(c, errors, depth + 1))
                .collect(),
        ),
        Condition::Or(items) => CompiledCondition::Or(
            items
                .iter()
                .map(|c| compile_condition(c, errors, depth + 1))
                .collect(),
        ),
        Condition::Not(inner) => {
            CompiledCondition::Not(Box::new(compile_condition(inner, errors, depth + 1)))
        }
        Condition::Jsonata(value) => {
            match errors.take("Condition", JsonataTemplate::compile(value)) {
                Some(template) => CompiledCondition::Jsonata(template),
                None => never(),
            }
        }
        Condition::Invalid => {
            errors.take::<()>("Choices", Err("a rule has no comparison operator".into()));
            never()
        }
    }
}
