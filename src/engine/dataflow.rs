//! Data flow of a state: the JSONPath stages (InputPath, Parameters, ResultSelector,
//! ResultPath, OutputPath), JSONata `$states`, Assign, the context object and payload limits.

use super::compiled::{
    Assign, CompiledNumber, CompiledState, PathField, ResultPathField, Selector,
};
use super::errors::{Failure, names};
use super::execution::Execution;
use super::frame::{FrameId, StateRun};
use super::template::{Env, JsonataEnv, JsonataTemplate, PathFailure, PathTemplate, TemplateError};
use crate::asl::jsonata::Bindings;
use crate::asl::path::{self, JsonPath};
use chrono::SecondsFormat;
use rand::RngCore;
use serde_json::{Map as JsonMap, Value, json};
use std::sync::Arc;

/// Size of a payload as JSON text, counted without building the text.
pub fn payload_size(value: &Value) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    match serde_json::to_writer(&mut counter, value) {
        Ok(()) => counter.0,
        Err(_) => usize::MAX,
    }
}

/// Extra `$states` / context members available while evaluating one field.
#[derive(Debug, Clone, Default)]
pub(crate) struct Extras<'a> {
    pub result: Option<&'a Value>,
    pub error_output: Option<&'a Value>,
    /// `$$.Map.Item` (index, value) while evaluating an ItemSelector.
    pub map_item: Option<(usize, &'a Value)>,
    pub task_token: Option<&'a str>,
}

impl Execution {
    /// A variable as seen from a frame: its own scope first, then the enclosing ones.
    pub(crate) fn lookup_variable(&self, frame: FrameId, name: &str) -> Option<Value> {
        let mut current = Some(frame);
        let mut guard = 0;
        while let Some(id) = current {
            let scope = self.frame(id)?;
            if let Some(value) = scope.variables.get(name) {
                return Some(value.clone());
            }
            current = scope.scope_parent;
            guard += 1;
            if guard > 10_000 {
                return None;
            }
        }
        None
    }

    /// Every variable visible from a frame (inner scopes win).
    pub(crate) fn visible_variables(&self, frame: FrameId) -> JsonMap<String, Value> {
        let mut chain = Vec::new();
        let mut current = Some(frame);
        while let Some(id) = current {
            let Some(scope) = self.frame(id) else { break };
            chain.push(id);
            current = scope.scope_parent;
            if chain.len() > 10_000 {
                break;
            }
        }
        let mut out = JsonMap::new();
        for id in chain.into_iter().rev() {
            if let Some(scope) = self.frame(id) {
                for (k, v) in &scope.variables {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
        out
    }

    /// The context object (`$$`) for the frame's current state.
    pub(crate) fn context_object(&self, frame: FrameId, extras: &Extras<'_>) -> Value {
        let options = self.options();
        if let Some(context) = &options.context {
            return context.clone();
        }
        let millis =
            |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(SecondsFormat::Millis, true);
        let mut state = JsonMap::new();
        if let Some(run) = self.frame(frame).and_then(|f| f.run.as_ref()) {
            state.insert(
                "EnteredTime".into(),
                Value::String(millis(run.entered_time)),
            );
            state.insert("Name".into(), Value::String(run.state.name.to_string()));
            if matches!(run.state.type_name, "Task" | "Parallel" | "Map") {
                state.insert("RetryCount".into(), Value::from(run.retry_count));
            }
        }
        let mut context = json!({
            "Execution": {
                "Id": self.execution_arn(),
                "Input": self.input(),
                "StartTime": millis(options.start_time),
                "Name": options.name,
                // An empty role is none (TestState without `roleArn`).
                "RoleArn": (!options.role_arn.is_empty()).then_some(&options.role_arn),
            },
            "StateMachine": {"Id": options.state_machine_arn(), "Name": options.state_machine_name},
            "State": state,
        });
        if let Some(object) = context.as_object_mut() {
            // Express executions cannot be redriven, and have no RedriveCount.
            if options.workflow_type == super::options::WorkflowType::Standard
                && let Some(execution) = object.get_mut("Execution").and_then(Value::as_object_mut)
            {
                execution.insert("RedriveCount".into(), Value::from(0));
            }
            if let Some(token) = extras.task_token {
                object.insert("Task".into(), json!({"Token": token}));
            }
            if let Some((index, value)) = extras.map_item {
                object.insert(
                    "Map".into(),
                    json!({"Item": {"Index": index, "Value": value}}),
                );
            }
        }
        context
    }

    /// Evaluates a JSONPath payload template with `$` = `input`.
    pub(crate) fn eval_path_template(
        &mut self,
        frame: FrameId,
        template: &PathTemplate,
        input: &Value,
        extras: &Extras<'_>,
    ) -> Result<Value, TemplateError> {
        let context = || self.context_object(frame, extras);
        let variable = |name: &str| self.lookup_variable(frame, name);
        let mut rng = self.rng.borrow_mut();
        let mut env = Env {
            input,
            context: &context,
            variable: &variable,
            rng: &mut *rng,
        };
        template.evaluate(&mut env)
    }

    /// Reads one path with `$` = `input`.
    pub(crate) fn read_path(
        &mut self,
        frame: FrameId,
        path: &JsonPath,
        input: &Value,
    ) -> Result<Value, PathFailure> {
        let context = || self.context_object(frame, &Extras::default());
        let variable = |name: &str| self.lookup_variable(frame, name);
        let mut rng = self.rng.borrow_mut();
        let mut env = Env {
            input,
            context: &context,
            variable: &variable,
            rng: &mut *rng,
        };
        env.read(path)
    }

    /// `$states` and the visible variables, for JSONata.
    pub(crate) fn jsonata_bindings(
        &self,
        frame: FrameId,
        raw_input: &Value,
        extras: &Extras<'_>,
    ) -> Bindings {
        let mut states = JsonMap::new();
        states.insert("input".into(), raw_input.clone());
        states.insert("context".into(), self.context_object(frame, extras));
        if let Some(result) = extras.result {
            states.insert("result".into(), result.clone());
        }
        if let Some(error_output) = extras.error_output {
            states.insert("errorOutput".into(), error_output.clone());
        }
        let mut bindings: Bindings = self.visible_variables(frame).into_iter().collect();
        bindings.insert("states", Value::Object(states));
        bindings
    }

    pub(crate) fn eval_jsonata(
        &mut self,
        frame: FrameId,
        template: &JsonataTemplate,
        location: &str,
        raw_input: &Value,
        extras: &Extras<'_>,
    ) -> Result<Value, TemplateError> {
        if let JsonataTemplate::Static(value) = template {
            return Ok(value.clone());
        }
        let bindings = self.jsonata_bindings(frame, raw_input, extras);
        let env = JsonataEnv {
            bindings: &bindings,
            now: self.now,
            seed: self.rng.get_mut().next_u64(),
        };
        template.evaluate(location, &env)
    }

    /// Turns a template error into the state's failure.
    pub(crate) fn template_failure(&self, frame: FrameId, error: TemplateError) -> Failure {
        let (name, entered) = self.state_identity(frame);
        match error {
            TemplateError::Runtime(message) => Failure::runtime(&name, entered, message),
            TemplateError::Intrinsic { error, cause } => {
                Failure::new(error, super::errors::in_state(&name, entered, cause))
            }
            TemplateError::Query { location, message } => {
                Failure::query_evaluation(&name, entered, Some(location), message)
            }
        }
    }

    pub(crate) fn state_identity(&self, frame: FrameId) -> (String, u64) {
        self.frame(frame)
            .and_then(|f| f.run.as_ref())
            .map(|run| (run.state.name.to_string(), run.entered_event))
            .unwrap_or_default()
    }

    /// InputPath: the part of the raw input the state works on.
    pub(crate) fn apply_input_path(
        &mut self,
        frame: FrameId,
        field: &PathField,
        raw: &Value,
    ) -> Result<Value, Failure> {
        match field {
            PathField::Identity => Ok(raw.clone()),
            PathField::Null => Ok(Value::Object(JsonMap::new())),
            PathField::Path(path) => self
                .read_path(frame, path, raw)
                .map_err(|failure| self.invalid_path(frame, path, failure)),
        }
    }

    /// OutputPath: what the state passes on.
    pub(crate) fn apply_output_path(
        &mut self,
        frame: FrameId,
        field: &PathField,
        output: Value,
    ) -> Result<Value, Failure> {
        match field {
            PathField::Identity => Ok(output),
            PathField::Null => Ok(Value::Object(JsonMap::new())),
            PathField::Path(path) => self
                .read_path(frame, path, &output)
                .map_err(|failure| self.invalid_path(frame, path, failure)),
        }
    }

    fn invalid_path(&self, frame: FrameId, path: &JsonPath, failure: PathFailure) -> Failure {
        let (name, entered) = self.state_identity(frame);
        let message = match failure {
            PathFailure::NotFound { message, .. } => {
                format!("Invalid path '{}' : {message}", path.source())
            }
            PathFailure::UndefinedVariable(variable) => format!(
                "Invalid path '{}' : the variable '{variable}' is not defined",
                path.source()
            ),
        };
        Failure::runtime(&name, entered, message)
    }

    /// ResultPath: where the result goes in the raw input.
    pub(crate) fn apply_result_path(
        &self,
        frame: FrameId,
        field: &ResultPathField,
        raw: &Value,
        result: Value,
    ) -> Result<Value, Failure> {
        match field {
            ResultPathField::Replace => Ok(result),
            ResultPathField::Discard => Ok(raw.clone()),
            ResultPathField::Path(reference) => {
                let mut target = raw.clone();
                path::set(&mut target, reference, result).map_err(|e| {
                    let (name, entered) = self.state_identity(frame);
                    Failure::new(e.error, super::errors::in_state(&name, entered, e.cause))
                })?;
                Ok(target)
            }
        }
    }

    /// Evaluates `Assign`; `$` (JSONPath) or `$states` (JSONata) as the state defines.
    pub(crate) fn eval_assign(
        &mut self,
        frame: FrameId,
        assign: &Assign,
        path_input: &Value,
        raw_input: &Value,
        extras: &Extras<'_>,
    ) -> Result<JsonMap<String, Value>, Failure> {
        let value = match assign {
            Assign::Path(template) => self.eval_path_template(frame, template, path_input, extras),
            Assign::Jsonata(template) => {
                self.eval_jsonata(frame, template, "Assign", raw_input, extras)
            }
        }
        .map_err(|e| self.template_failure(frame, e))?;
        Ok(match value {
            Value::Object(map) => map,
            _ => JsonMap::new(),
        })
    }

    /// A template in the state's language (ItemSelector, Arguments...).
    pub(crate) fn eval_selector(
        &mut self,
        frame: FrameId,
        selector: &Selector,
        location: &str,
        path_input: &Value,
        raw_input: &Value,
        extras: &Extras<'_>,
    ) -> Result<Value, Failure> {
        match selector {
            Selector::Path(template) => {
                self.eval_path_template(frame, template, path_input, extras)
            }
            Selector::Jsonata(template) => {
                self.eval_jsonata(frame, template, location, raw_input, extras)
            }
        }
        .map_err(|e| self.template_failure(frame, e))
    }

    /// Fails with States.DataLimitExceeded when a state's output is too large.
    pub(crate) fn check_payload(
        &self,
        state: &CompiledState,
        output: &Value,
    ) -> Result<(), Failure> {
        let Some(limit) = self.options().payload_limit else {
            return Ok(());
        };
        if payload_size(output) > limit {
            return Err(Failure::new(
                names::DATA_LIMIT,
                format!(
                    "The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.",
                    state.name
                ),
            ));
        }
        Ok(())
    }

    /// A number field's value: the literal, the value at its `...Path` (in the state input), or
    /// its JSONata result. The caller checks the kind of number it needs.
    pub(crate) fn resolve_number(
        &mut self,
        id: FrameId,
        run: &StateRun,
        number: &CompiledNumber,
    ) -> Result<Value, Failure> {
        match number {
            CompiledNumber::Literal(n) => Ok(Value::from(*n)),
            CompiledNumber::Path { path, field } => {
                let input = (*run.raw_input).clone();
                self.read_path(id, path, &input).map_err(|_| {
                    Failure::runtime(
                        &run.state.name,
                        run.entered_event,
                        format!(
                            "The {field} field references a path that does not exist: {}",
                            path.source()
                        ),
                    )
                })
            }
            CompiledNumber::Jsonata { field, template } => self
                .eval_jsonata(id, template, field, &run.raw_input, &Extras::default())
                .map_err(|e| self.template_failure(id, e)),
        }
    }

    /// A number field that must be a positive integer (timeouts, batch limits).
    pub(crate) fn positive_integer(
        &mut self,
        id: FrameId,
        run: &StateRun,
        number: Option<&CompiledNumber>,
        what: &str,
    ) -> Result<Option<u64>, Failure> {
        let Some(number) = number else {
            return Ok(None);
        };
        let value = self.resolve_number(id, run, number)?;
        match value.as_f64() {
            Some(n) if n >= 1.0 && n.fract() == 0.0 => Ok(Some(n as u64)),
            _ => Err(Failure::runtime(
                &run.state.name,
                run.entered_event,
                format!(
                    "{what} must be a positive integer, not {}",
                    crate::asl::path::to_json_string(&value)
                ),
            )),
        }
    }

    /// Draws a fresh value in [0, 1) for jitter.
    pub(crate) fn random_unit(&mut self) -> f64 {
        (self.rng.get_mut().next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub(crate) fn new_token(&mut self) -> String {
        let mut bytes = [0u8; 16];
        self.rng.get_mut().fill_bytes(&mut bytes);
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .to_string()
    }
}

/// The JSON type name AWS uses in messages ("string", "array"...).
pub(crate) fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Shares a value without copying when it is the only owner.
pub(crate) fn unshare(value: Arc<Value>) -> Value {
    Arc::try_unwrap(value).unwrap_or_else(|shared| (*shared).clone())
}
