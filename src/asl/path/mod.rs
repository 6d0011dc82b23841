//! JSONPath as AWS Step Functions uses it (Jayway JsonPath semantics).
//!
//! - [`parse`] reads `$...` (state input), `$$...` (context object) and
//!   `$name...` (workflow variable) paths with dot and bracket notation,
//!   negative indexes, slices, wildcards, deep scan, unions, filters and
//!   Jayway path functions. Syntax errors carry a character position.
//! - [`JsonPath::evaluate`]: a definite path yields one value or
//!   [`PathEvalError::NotFound`]; an indefinite path yields an array of its
//!   matches (possibly empty, never an error).
//! - [`ReferencePath`] and [`set`]: the restricted paths of ResultPath,
//!   Choice `Variable`, ItemsPath..., and the ResultPath write.
//! - [`check_path`]: what a validator needs to know about a path string.
//! - [`to_json_string`]: JSON text as Step Functions (Jackson) writes it.

mod ast;
mod bracket;
mod error;
mod eval;
mod filter;
mod filter_eval;
mod functions;
mod json_text;
mod literal;
mod parser;
mod reference;
mod scan;

pub use ast::{FunctionArg, JsonPath, PathFunction, Root, Segment, SegmentKind};
pub use error::{
    PathEvalError, PathSyntaxError, ResultPathError, field_not_found_cause, invalid_path_cause,
};
pub use eval::Documents;
pub use filter::{FilterExpr, Literal, Operand, Pattern, RelOp};
pub use json_text::{java_double_to_string, java_number_string, to_json_string, write_string};
pub use parser::parse;
pub use reference::{RESULT_PATH_ERROR, RefStep, ReferencePath, set};

/// Which document a path reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootKind {
    /// `$`
    Input,
    /// `$$`
    Context,
    /// `$name`
    Variable,
}

/// What [`check_path`] found out about a valid path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathKind {
    pub root: RootKind,
    /// The variable name for `$name` paths.
    pub variable: Option<String>,
    /// Jayway's definiteness (one value rather than a list).
    pub definite: bool,
    /// Whether the path is also a valid reference path (only `.name`,
    /// `['name']` and `[n]` steps).
    pub reference: bool,
}

impl PathKind {
    pub fn is_context(&self) -> bool {
        self.root == RootKind::Context
    }

    pub fn is_variable(&self) -> bool {
        self.root == RootKind::Variable
    }
}

/// Checks that `text` is a valid Step Functions JSONPath and classifies it.
pub fn check_path(text: &str) -> Result<PathKind, PathSyntaxError> {
    let path = parse(text)?;
    let (root, variable) = match path.root() {
        Root::Input | Root::Current => (RootKind::Input, None),
        Root::Context => (RootKind::Context, None),
        Root::Variable(name) => (RootKind::Variable, Some(name.clone())),
    };
    Ok(PathKind {
        root,
        variable,
        definite: path.is_definite(),
        reference: ReferencePath::parse(text).is_ok(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_path_classifies() {
        let k = check_path("$.a.b[0]").unwrap();
        assert_eq!(k.root, RootKind::Input);
        assert!(k.reference && k.definite);
        let k = check_path("$$.Execution.Input").unwrap();
        assert!(k.is_context() && k.reference);
        let k = check_path("$myVar.items[*]").unwrap();
        assert!(k.is_variable());
        assert_eq!(k.variable.as_deref(), Some("myVar"));
        assert!(!k.reference && !k.definite);
        let k = check_path("$.a[0,1]").unwrap();
        assert!(!k.reference);
        assert!(check_path("ipsum").is_err());
        assert!(check_path("$$23").is_err());
        assert!(check_path("23").is_err());
    }
}
