//! One state's fields, JSONPath → JSONata, following the stages the JSONPath state runs:
//! InputPath → Parameters → (work) → ResultSelector → ResultPath → OutputPath.

use serde_json::{Map as JsonMap, Value};

use super::doc::{self, Doc};
use super::edit::Edit;
use super::expr;
use super::{ConvertError, Cx, choice};
use crate::asl::document::pointer;
use crate::asl::is_jsonata_text;

/// Fields a JSONata state does not have; their meaning moves to Arguments and Output.
const JSONPATH_STAGES: [&str; 6] = [
    "InputPath",
    "Parameters",
    "Result",
    "ResultSelector",
    "ResultPath",
    "OutputPath",
];

/// Where `Output` goes: where the last JSONPath stage was.
const OUTPUT_ANCHORS: [&str; 6] = [
    "OutputPath",
    "ResultPath",
    "ResultSelector",
    "Result",
    "Parameters",
    "InputPath",
];

pub(super) fn convert(
    cx: &mut Cx,
    state: &JsonMap<String, Value>,
    at: &str,
) -> Result<JsonMap<String, Value>, ConvertError> {
    let field = |key: &str| pointer::join(at, key);
    let kind = state
        .get("Type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut edit = Edit::new(state);
    edit.remove(&JSONPATH_STAGES);
    let input = doc::select_input(state.get("InputPath"), cx, &field("InputPath"))?;
    match kind {
        "Pass" => {
            let result = match (state.get("Result"), state.get("Parameters")) {
                (Some(result), _) => Doc::Literal(result.clone()),
                (None, Some(parameters)) => {
                    doc::payload(parameters, &input, cx, &field("Parameters"))?
                }
                (None, None) => input.clone(),
            };
            assign(&mut edit, state, &result, cx, at)?;
            let placed = place(state, Doc::Input, result, cx, at)?;
            output(&mut edit, state, placed, &Doc::Input, cx, at)?;
        }
        "Task" | "Parallel" | "Map" => {
            if kind == "Map" {
                map_fields(&mut edit, state, &input, cx, at)?;
            } else {
                let arguments = match state.get("Parameters") {
                    Some(parameters) => doc::payload(parameters, &input, cx, &field("Parameters"))?,
                    None => input.clone(),
                };
                if arguments != Doc::Input {
                    edit.set(
                        "Arguments",
                        arguments.to_template(),
                        &["Parameters", "InputPath"],
                    );
                }
            }
            if kind == "Task" {
                task_fields(&mut edit, state, &input, cx, at)?;
            }
            let selected = match state.get("ResultSelector") {
                Some(selector) => {
                    doc::payload(selector, &Doc::Result, cx, &field("ResultSelector"))?
                }
                None => Doc::Result,
            };
            assign(&mut edit, state, &selected, cx, at)?;
            let placed = place(state, Doc::Input, selected, cx, at)?;
            output(&mut edit, state, placed, &Doc::Result, cx, at)?;
            catchers(&mut edit, state, cx, at)?;
        }
        "Choice" => {
            if let Some(rules) = state.get("Choices") {
                let at = field("Choices");
                let rules = rules
                    .as_array()
                    .ok_or_else(|| invalid(&at, "Choices must be an array"))?;
                let converted = rules
                    .iter()
                    .enumerate()
                    .map(|(i, rule)| {
                        choice::rule(rule, &input, cx, &pointer::join(&at, &i.to_string()))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                edit.replace("Choices", Value::Array(converted));
            }
            assign(&mut edit, state, &input, cx, at)?;
            output(&mut edit, state, input, &Doc::Input, cx, at)?;
        }
        "Wait" => {
            number_path(&mut edit, state, "Seconds", &input, cx, at)?;
            number_path(&mut edit, state, "Timestamp", &input, cx, at)?;
            escape_text(&mut edit, state, "Timestamp");
            assign(&mut edit, state, &input, cx, at)?;
            output(&mut edit, state, input, &Doc::Input, cx, at)?;
        }
        "Succeed" => output(&mut edit, state, input, &Doc::Input, cx, at)?,
        "Fail" => {
            for name in ["Error", "Cause"] {
                let path_key = format!("{name}Path");
                match state.get(&path_key) {
                    Some(value) => {
                        let here = field(&path_key);
                        let text = value.as_str().ok_or_else(|| {
                            invalid(&here, &format!("{path_key} must be a string"))
                        })?;
                        let found = doc::path_or_intrinsic(text, &Doc::Input, cx, &here)?;
                        edit.remove(&[path_key.as_str()]);
                        edit.set(name, expr::embed(&found.render()), &[path_key.as_str()]);
                    }
                    None => escape_text(&mut edit, state, name),
                }
            }
        }
        other => {
            return Err(invalid(
                &field("Type"),
                &format!("\"{other}\" is not a state type that can be converted"),
            ));
        }
    }
    let mut out = edit.finish();
    convert_nested(cx, state, at, &mut out)?;
    Ok(out)
}

/// Converts the machines nested in a Parallel or Map state into `out`.
pub(super) fn convert_nested(
    cx: &mut Cx,
    state: &JsonMap<String, Value>,
    at: &str,
    out: &mut JsonMap<String, Value>,
) -> Result<(), ConvertError> {
    if let Some(Value::Array(branches)) = state.get("Branches") {
        let at = pointer::join(at, "Branches");
        let converted = branches
            .iter()
            .enumerate()
            .map(|(i, branch)| {
                let here = pointer::join(&at, &i.to_string());
                let branch = branch
                    .as_object()
                    .ok_or_else(|| invalid(&here, "a branch must be an object"))?;
                cx.machine(branch, &here).map(Value::Object)
            })
            .collect::<Result<Vec<_>, _>>()?;
        out.insert("Branches".into(), Value::Array(converted));
    }
    for key in ["ItemProcessor", "Iterator"] {
        if let Some(Value::Object(processor)) = state.get(key) {
            let converted = cx.machine(processor, &pointer::join(at, key))?;
            out.insert(key.into(), Value::Object(converted));
        }
    }
    Ok(())
}

fn invalid(at: &str, message: &str) -> ConvertError {
    ConvertError::InvalidField {
        pointer: at.to_string(),
        message: message.to_string(),
    }
}

/// ResultPath: the result placed into the raw input.
fn place(
    state: &JsonMap<String, Value>,
    input: Doc,
    result: Doc,
    cx: &mut Cx,
    at: &str,
) -> Result<Doc, ConvertError> {
    doc::place(
        input,
        result,
        state.get("ResultPath"),
        cx,
        &pointer::join(at, "ResultPath"),
    )
}

/// OutputPath over `doc`, written as `Output` unless it is what the state outputs anyway.
fn output(
    edit: &mut Edit<'_>,
    state: &JsonMap<String, Value>,
    doc: Doc,
    default: &Doc,
    cx: &mut Cx,
    at: &str,
) -> Result<(), ConvertError> {
    let out = doc::select_output(
        doc,
        state.get("OutputPath"),
        cx,
        &pointer::join(at, "OutputPath"),
    )?;
    if &out != default {
        edit.set("Output", out.to_template(), &OUTPUT_ANCHORS);
    }
    Ok(())
}

/// `Assign` with its paths reading `base` (what `$` is for Assign in this state).
fn assign(
    edit: &mut Edit<'_>,
    state: &JsonMap<String, Value>,
    base: &Doc,
    cx: &mut Cx,
    at: &str,
) -> Result<(), ConvertError> {
    if let Some(assign) = state.get("Assign") {
        let converted = doc::payload(assign, base, cx, &pointer::join(at, "Assign"))?;
        edit.replace("Assign", converted.to_template());
    }
    Ok(())
}

/// A `{name}Path` field as `{name}`: `{% %}` reading `base`.
fn number_path(
    edit: &mut Edit<'_>,
    object: &JsonMap<String, Value>,
    name: &str,
    base: &Doc,
    cx: &mut Cx,
    at: &str,
) -> Result<(), ConvertError> {
    let path_key = format!("{name}Path");
    let Some(value) = object.get(&path_key) else {
        return Ok(());
    };
    let here = pointer::join(at, &path_key);
    let text = value
        .as_str()
        .ok_or_else(|| invalid(&here, &format!("{path_key} must be a string")))?;
    let path = doc::parse_path(text, &here)?;
    let found = doc::read(base, &path, cx, &here);
    edit.remove(&[path_key.as_str()]);
    edit.set(name, expr::embed(&found.render()), &[path_key.as_str()]);
    Ok(())
}

/// A literal text field that JSONata would evaluate if it looked like `{% %}`.
fn escape_text(edit: &mut Edit<'_>, object: &JsonMap<String, Value>, name: &str) {
    if let Some(Value::String(text)) = object.get(name)
        && is_jsonata_text(text)
    {
        edit.replace(name, doc::escape_literal(&Value::String(text.clone())));
    }
}

fn task_fields(
    edit: &mut Edit<'_>,
    state: &JsonMap<String, Value>,
    input: &Doc,
    cx: &mut Cx,
    at: &str,
) -> Result<(), ConvertError> {
    // Like the engine, the ...Path numbers read the raw state input.
    number_path(edit, state, "TimeoutSeconds", &Doc::Input, cx, at)?;
    number_path(edit, state, "HeartbeatSeconds", &Doc::Input, cx, at)?;
    if let Some(credentials) = state.get("Credentials") {
        let converted = doc::payload(credentials, input, cx, &pointer::join(at, "Credentials"))?;
        edit.replace("Credentials", converted.to_template());
    }
    Ok(())
}

fn map_fields(
    edit: &mut Edit<'_>,
    state: &JsonMap<String, Value>,
    input: &Doc,
    cx: &mut Cx,
    at: &str,
) -> Result<(), ConvertError> {
    let field = |key: &str| pointer::join(at, key);
    edit.remove(&["ItemsPath"]);
    if !state.contains_key("ItemReader") {
        let items = match state.get("ItemsPath") {
            Some(Value::String(text)) => {
                let here = field("ItemsPath");
                doc::read(input, &doc::parse_path(text, &here)?, cx, &here)
            }
            _ => input.clone(),
        };
        if items != Doc::Input {
            edit.set("Items", items.to_template(), &["ItemsPath", "InputPath"]);
        }
    }
    let selector = match (state.get("ItemSelector"), state.get("Parameters")) {
        (Some(selector), _) => Some((selector, "ItemSelector")),
        (None, Some(parameters)) => Some((parameters, "Parameters")),
        (None, None) => None,
    };
    if let Some((selector, key)) = selector {
        let converted = doc::payload(selector, input, cx, &field(key))?;
        edit.set(
            "ItemSelector",
            converted.to_template(),
            &["ItemSelector", "Parameters"],
        );
    }
    for name in [
        "MaxConcurrency",
        "ToleratedFailurePercentage",
        "ToleratedFailureCount",
    ] {
        number_path(edit, state, name, &Doc::Input, cx, at)?;
    }
    for key in ["ItemReader", "ResultWriter"] {
        if let Some(Value::Object(resource)) = state.get(key) {
            let converted = resource_fields(resource, input, cx, &field(key))?;
            edit.replace(key, Value::Object(converted));
        }
    }
    if let Some(Value::Object(batcher)) = state.get("ItemBatcher") {
        let here = field("ItemBatcher");
        let mut inner = Edit::new(batcher);
        for name in ["MaxItemsPerBatch", "MaxInputBytesPerBatch"] {
            number_path(&mut inner, batcher, name, &Doc::Input, cx, &here)?;
        }
        if let Some(batch_input) = batcher.get("BatchInput") {
            let converted =
                doc::payload(batch_input, input, cx, &pointer::join(&here, "BatchInput"))?;
            inner.replace("BatchInput", converted.to_template());
        }
        edit.replace("ItemBatcher", Value::Object(inner.finish()));
    }
    Ok(())
}

/// ItemReader / ResultWriter: `Parameters` → `Arguments`, `MaxItemsPath` → `MaxItems`.
fn resource_fields(
    resource: &JsonMap<String, Value>,
    input: &Doc,
    cx: &mut Cx,
    at: &str,
) -> Result<JsonMap<String, Value>, ConvertError> {
    let mut edit = Edit::new(resource);
    if let Some(parameters) = resource.get("Parameters") {
        let converted = doc::payload(parameters, input, cx, &pointer::join(at, "Parameters"))?;
        edit.remove(&["Parameters"]);
        edit.set("Arguments", converted.to_template(), &["Parameters"]);
    }
    if let Some(Value::Object(config)) = resource.get("ReaderConfig") {
        let here = pointer::join(at, "ReaderConfig");
        let mut inner = Edit::new(config);
        number_path(&mut inner, config, "MaxItems", input, cx, &here)?;
        edit.replace("ReaderConfig", Value::Object(inner.finish()));
    }
    Ok(edit.finish())
}

/// Catch: `ResultPath` over `$states.errorOutput` becomes the catcher's `Output`.
fn catchers(
    edit: &mut Edit<'_>,
    state: &JsonMap<String, Value>,
    cx: &mut Cx,
    at: &str,
) -> Result<(), ConvertError> {
    let Some(Value::Array(catchers)) = state.get("Catch") else {
        return Ok(());
    };
    let mut converted = Vec::with_capacity(catchers.len());
    for (i, catcher) in catchers.iter().enumerate() {
        let here = pointer::join(&pointer::join(at, "Catch"), &i.to_string());
        let Value::Object(object) = catcher else {
            return Err(invalid(&here, "a catcher must be an object"));
        };
        let mut inner = Edit::new(object);
        inner.remove(&["ResultPath"]);
        let placed = doc::place(
            Doc::Input,
            Doc::ErrorOutput,
            object.get("ResultPath"),
            cx,
            &pointer::join(&here, "ResultPath"),
        )?;
        if placed != Doc::ErrorOutput {
            inner.set("Output", placed.to_template(), &["ResultPath"]);
        }
        if let Some(assign) = object.get("Assign") {
            let assigned = doc::payload(
                assign,
                &Doc::ErrorOutput,
                cx,
                &pointer::join(&here, "Assign"),
            )?;
            inner.replace("Assign", assigned.to_template());
        }
        converted.push(Value::Object(inner.finish()));
    }
    edit.replace("Catch", Value::Array(converted));
    Ok(())
}
