//! Parsed form of an intrinsic function call.

use serde_json::{Number, Value};
use thiserror::Error;

use super::super::path::JsonPath;

/// A range of character indexes (`start..end`) in the parsed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// A call such as `States.Format('Hello {}', $.name)`.
#[derive(Debug, Clone)]
pub struct IntrinsicCall {
    /// Full name, e.g. `States.Format`.
    pub name: String,
    pub args: Vec<Arg>,
    /// Where the call (name to closing parenthesis) is in the parsed text.
    pub span: Span,
    /// The call's own text; AWS quotes it in error causes.
    pub source: String,
}

/// One argument with its position.
#[derive(Debug, Clone)]
pub struct Arg {
    pub kind: ArgKind,
    pub span: Span,
}

/// What an argument is.
#[derive(Debug, Clone)]
pub enum ArgKind {
    String(StringLiteral),
    Number(Number),
    Bool(bool),
    Null,
    Path(JsonPath),
    Call(Box<IntrinsicCall>),
}

/// A single-quoted string literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringLiteral {
    /// The value with the escapes `\'`, `\{`, `\}`, `\\` resolved.
    pub value: String,
    /// The text between the quotes as written; `States.Format` needs it to
    /// tell an escaped `\{` from a placeholder brace.
    pub raw: String,
}

impl ArgKind {
    /// The literal's JSON value, `None` for paths and calls.
    pub fn literal_value(&self) -> Option<Value> {
        match self {
            ArgKind::String(s) => Some(Value::String(s.value.clone())),
            ArgKind::Number(n) => Some(Value::Number(n.clone())),
            ArgKind::Bool(b) => Some(Value::Bool(*b)),
            ArgKind::Null => Some(Value::Null),
            ArgKind::Path(_) | ArgKind::Call(_) => None,
        }
    }
}

/// A call that could not be parsed; `position` is a character index.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message} (at character {position})")]
pub struct IntrinsicSyntaxError {
    pub message: String,
    pub position: usize,
}

impl IntrinsicSyntaxError {
    pub fn new(message: impl Into<String>, position: usize) -> Self {
        Self {
            message: message.into(),
            position,
        }
    }
}
