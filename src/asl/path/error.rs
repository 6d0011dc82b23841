//! Error values of the JSONPath module.

use thiserror::Error;

/// A path that could not be parsed. `position` is a character index into the
/// text that was parsed (0-based), so editors can underline the spot.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message} (at character {position})")]
pub struct PathSyntaxError {
    pub message: String,
    pub position: usize,
}

impl PathSyntaxError {
    pub fn new(message: impl Into<String>, position: usize) -> Self {
        Self {
            message: message.into(),
            position,
        }
    }

    /// The same error, moved by `offset` characters (used when a path is
    /// embedded in a larger text such as an intrinsic function call).
    pub fn shifted(mut self, offset: usize) -> Self {
        self.position += offset;
        self
    }
}

/// Why evaluating a path failed. Only definite paths fail: an indefinite path
/// that matches nothing yields an empty array, as Step Functions does.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PathEvalError {
    /// Nothing matched. `message` is Jayway's own wording (for example
    /// `No results for path: $['a']`), which AWS repeats in some causes.
    #[error("{message}")]
    NotFound {
        /// The path as written by the user.
        path: String,
        /// Jayway's normalised form of the path, e.g. `$['a'][0]`.
        normalized: String,
        message: String,
    },
    /// A `$name` path refers to a variable that is not defined.
    #[error("The variable '{name}' is not defined")]
    UndefinedVariable { name: String },
    /// A `$$` path was evaluated without a context object.
    #[error("No context object is available for path '{path}'")]
    NoContext { path: String },
    /// A Jayway path function (`length()`, `avg()`...) could not be applied.
    #[error("{message}")]
    Function { message: String },
}

/// A ResultPath (or any reference-path write) that cannot be applied to the
/// input. `error` and `cause` are what the execution fails with.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{error}: {cause}")]
pub struct ResultPathError {
    pub error: String,
    pub cause: String,
}

/// AWS's cause (after the state prefix) when the path of a `.$` payload
/// field matches nothing:
/// `The JSONPath '$.x' specified for the field 'value.$' could not be found in the input '{"a":1}'`.
pub fn field_not_found_cause(path: &str, field: &str, input: &serde_json::Value) -> String {
    format!(
        "The JSONPath '{path}' specified for the field '{field}' could not be found in the input '{}'",
        super::json_text::to_json_string(input)
    )
}

/// AWS's cause (after the state prefix) when InputPath cannot be applied:
/// `Invalid path '$.x' : No results for path: $['x']`.
pub fn invalid_path_cause(path: &str, error: &PathEvalError) -> String {
    format!("Invalid path '{path}' : {error}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn causes_use_aws_wording() {
        assert_eq!(
            field_not_found_cause("$.no_such_jsonpath", "value.$", &json!({"int-literal": 0})),
            r#"The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"int-literal":0}'"#
        );
        let err = super::super::parse("$.NoSuchInputPath")
            .unwrap()
            .evaluate(&json!({"int-literal": 0}))
            .unwrap_err();
        assert_eq!(
            invalid_path_cause("$.NoSuchInputPath", &err),
            "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']"
        );
        let e = PathSyntaxError::new("bad", 3).shifted(10);
        assert_eq!(e.position, 13);
    }
}
