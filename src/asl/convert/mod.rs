//! JSONPath → JSONata: rewrites a state machine, a state or a block of states the way an
//! expert would by hand, so that the converted workflow behaves the same.
//!
//! ```text
//! let conversion = convert::machine_to_jsonata(&definition)?;   // whole machine
//! conversion.value   // the JSONata definition ("QueryLanguage": "JSONata" at the top)
//! conversion.notes   // what could not be converted exactly, with JSON pointers
//! ```
//!
//! * [`machine_to_jsonata`] sets the top-level `"QueryLanguage": "JSONata"`, converts every
//!   JSONPath state at any depth and drops the per-state `QueryLanguage` fields.
//! * [`state_to_jsonata`] converts one state (and the states nested in it);
//!   [`block_to_jsonata`] a `States` object, e.g. a palette pattern about to be pasted.
//!   [`Marking`] says whether converted states carry `"QueryLanguage": "JSONata"`
//!   (`Explicit`: the destination is a JSONPath machine) or inherit it (`Inherit`: the
//!   destination is a JSONata machine).
//! * [`Conversion::notes`] lists the fields converted only approximately (filter
//!   expressions, deep scans, path functions, unions, ResultPath into arrays, a Format
//!   template read from a path, a deep JsonMerge), each with its JSON pointer.
//!
//! The JSONPath stages become the two JSONata fields: InputPath and Parameters make
//! `Arguments` (or `Items`/`ItemSelector` for a Map); Result, ResultSelector, ResultPath
//! and OutputPath make one `Output`, with ResultPath written as `$merge` into
//! `$states.input`; Catch `ResultPath` becomes a catcher `Output` over
//! `$states.errorOutput`; `...Path` fields become `{% %}` expressions; Choice rules become
//! `Condition`s that keep JSONPath's "a value of the wrong type never matches"; intrinsic
//! functions become JSONata functions (see `intrinsic.rs`). Each `.$` field stays a field of
//! its own, so a missing value still fails the state (JSONata reports an undefined field).
//!
//! Known differences that are not noted per field, because they only show on unusual data
//! (measured on AWS's recorded cases and field by field in `tests/convert.rs`):
//! - failures raise `States.QueryEvaluationError` (what a JSONata state raises) where
//!   JSONPath raises `States.Runtime`; a missing value inside a `$merge`d ResultPath drops
//!   its key instead of failing; a Choice rule on a missing `Variable` is false instead of
//!   failing the execution;
//! - `States.Format` writes objects and arrays as JSON, not as Java maps and lists;
//!   `States.JsonToString` of a string gives the string itself (`$string`);
//!   `States.StringToJson` of blank text fails (`$parse`) instead of giving null;
//! - an array passed to `States.Array` by a path is spliced into the result (JSONata
//!   flattens arrays in `[...]`); `States.ArrayContains` compares values, not their text;
//!   `States.ArrayGetItem` on an empty array fails instead of giving null;
//! - `$base64encode`/`$base64decode` work on Latin-1 text as jsonata-js does, the
//!   intrinsics on UTF-8, so non-ASCII text encodes differently;
//! - `[*]` over an object does not list its values; an indefinite path whose matches are
//!   themselves arrays may be flattened; timestamps compare to the millisecond.

mod choice;
mod doc;
mod edit;
mod expr;
mod intrinsic;
mod path;
mod states;

use serde_json::{Map as JsonMap, Value};
use thiserror::Error;

use super::document::pointer;

/// Deepest JSON nesting converted (bounds every recursion of the converter).
pub const MAX_DEPTH: usize = 256;

/// A converted value and what could not be converted exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct Conversion {
    pub value: Value,
    pub notes: Vec<ConversionNote>,
}

impl Conversion {
    /// Whether the conversion is believed exact (no notes).
    pub fn is_exact(&self) -> bool {
        self.notes.is_empty()
    }
}

/// A field whose JSONata form only approximates the JSONPath one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversionNote {
    /// JSON pointer of the field in the input (relative to the value passed in).
    pub pointer: String,
    pub message: String,
}

/// Why a value could not be converted at all.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConvertError {
    #[error("a state machine must be a JSON object with a \"States\" object")]
    NotAMachine,
    #[error("{pointer}: a state must be a JSON object")]
    NotAState { pointer: String },
    #[error("{pointer}: \"{text}\" is not a valid JSONPath: {message}")]
    InvalidPath {
        pointer: String,
        text: String,
        message: String,
    },
    #[error("{pointer}: \"{text}\" is not a valid intrinsic function call: {message}")]
    InvalidIntrinsic {
        pointer: String,
        text: String,
        message: String,
    },
    #[error("{pointer}: {message}")]
    InvalidField { pointer: String, message: String },
    #[error("the value is nested more than {MAX_DEPTH} levels deep")]
    TooDeep,
}

/// Whether converted states say `"QueryLanguage": "JSONata"` themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marking {
    /// No per-state field: the states go into a JSONata machine.
    Inherit,
    /// Every converted state (nested ones included, since nested states inherit the
    /// machine's language, not their parent's) gets `"QueryLanguage": "JSONata"`.
    Explicit,
}

/// Converts a whole definition; a JSONata definition comes back unchanged.
pub fn machine_to_jsonata(definition: &Value) -> Result<Conversion, ConvertError> {
    check_depth(definition)?;
    let object = definition.as_object().ok_or(ConvertError::NotAMachine)?;
    if !object.get("States").is_some_and(Value::is_object) {
        return Err(ConvertError::NotAMachine);
    }
    if language_of(object) == Some(Language::Jsonata) {
        return Ok(Conversion {
            value: definition.clone(),
            notes: Vec::new(),
        });
    }
    let mut cx = Cx::new(Marking::Inherit);
    let converted = cx.machine(object, "")?;
    let mut out = JsonMap::new();
    let mut placed = false;
    for (key, value) in converted {
        // The language goes first, or right after the Comment, as the AWS console writes it.
        if !placed && key != "Comment" {
            out.insert("QueryLanguage".into(), Value::String("JSONata".into()));
            placed = true;
        }
        if key != "QueryLanguage" {
            out.insert(key, value);
        }
    }
    if !placed {
        out.insert("QueryLanguage".into(), Value::String("JSONata".into()));
    }
    Ok(cx.finish(Value::Object(out)))
}

/// Converts one state and the states nested in it. A JSONata state comes back unchanged
/// (its nested JSONPath states converted).
pub fn state_to_jsonata(state: &Value, marking: Marking) -> Result<Conversion, ConvertError> {
    check_depth(state)?;
    let mut cx = Cx::new(marking);
    let value = cx.state(state, "")?;
    Ok(cx.finish(value))
}

/// Converts every state of a `States` object (a block of states, such as a pattern's).
pub fn block_to_jsonata(states: &Value, marking: Marking) -> Result<Conversion, ConvertError> {
    check_depth(states)?;
    let object = states.as_object().ok_or(ConvertError::NotAMachine)?;
    let mut cx = Cx::new(marking);
    let value = cx.states(object, "")?;
    Ok(cx.finish(Value::Object(value)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Language {
    JsonPath,
    Jsonata,
}

fn language_of(object: &JsonMap<String, Value>) -> Option<Language> {
    match object.get("QueryLanguage").and_then(Value::as_str) {
        Some("JSONata") => Some(Language::Jsonata),
        Some("JSONPath") => Some(Language::JsonPath),
        _ => None,
    }
}

/// Rejects values nested deeper than [`MAX_DEPTH`], without recursing.
fn check_depth(value: &Value) -> Result<(), ConvertError> {
    let mut stack = vec![(value, 0usize)];
    while let Some((value, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Err(ConvertError::TooDeep);
        }
        match value {
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, depth + 1))),
            Value::Object(map) => stack.extend(map.values().map(|v| (v, depth + 1))),
            _ => {}
        }
    }
    Ok(())
}

/// State of one conversion: the notes so far and how states are marked.
pub(super) struct Cx {
    notes: Vec<ConversionNote>,
    marking: Marking,
}

impl Cx {
    fn new(marking: Marking) -> Cx {
        Cx {
            notes: Vec::new(),
            marking,
        }
    }

    pub(super) fn note(&mut self, pointer: &str, message: impl Into<String>) {
        let note = ConversionNote {
            pointer: pointer.to_string(),
            message: message.into(),
        };
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    fn finish(self, value: Value) -> Conversion {
        Conversion {
            value,
            notes: self.notes,
        }
    }

    /// A machine object (top level, branch or item processor) with its `States` converted.
    pub(super) fn machine(
        &mut self,
        object: &JsonMap<String, Value>,
        at: &str,
    ) -> Result<JsonMap<String, Value>, ConvertError> {
        let mut out = object.clone();
        if let Some(states) = object.get("States") {
            let at = pointer::join(at, "States");
            let states = states
                .as_object()
                .ok_or_else(|| ConvertError::InvalidField {
                    pointer: at.clone(),
                    message: "\"States\" must be an object".into(),
                })?;
            out.insert("States".into(), Value::Object(self.states(states, &at)?));
        }
        Ok(out)
    }

    fn states(
        &mut self,
        states: &JsonMap<String, Value>,
        at: &str,
    ) -> Result<JsonMap<String, Value>, ConvertError> {
        states
            .iter()
            .map(|(name, state)| {
                let value = self.state(state, &pointer::join(at, name))?;
                Ok((name.clone(), value))
            })
            .collect()
    }

    fn state(&mut self, state: &Value, at: &str) -> Result<Value, ConvertError> {
        let object = state.as_object().ok_or_else(|| ConvertError::NotAState {
            pointer: at.to_string(),
        })?;
        let converted = match language_of(object) {
            Some(Language::Jsonata) => self.nested_only(object, at)?,
            _ => states::convert(self, object, at)?,
        };
        Ok(Value::Object(self.mark(converted)))
    }

    /// A JSONata state in a JSONPath machine: its nested states are still JSONPath.
    fn nested_only(
        &mut self,
        object: &JsonMap<String, Value>,
        at: &str,
    ) -> Result<JsonMap<String, Value>, ConvertError> {
        let mut out = object.clone();
        states::convert_nested(self, object, at, &mut out)?;
        Ok(out)
    }

    fn mark(&self, object: JsonMap<String, Value>) -> JsonMap<String, Value> {
        let mut out = JsonMap::new();
        for (key, value) in object {
            if key == "QueryLanguage" {
                continue;
            }
            let is_type = key == "Type";
            out.insert(key, value);
            if is_type && self.marking == Marking::Explicit {
                out.insert("QueryLanguage".into(), Value::String("JSONata".into()));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
