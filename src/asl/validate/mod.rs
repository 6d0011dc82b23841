//! Diagnostics for a state machine: what AWS would reject, and what would go wrong at run time.
//!
//! Each diagnostic has a stable code, a message written for the user, the JSON pointer of the
//! offending key or value, and its line and column in the text.

mod choice;
mod codes;
mod expressions;
mod machine;
mod map;
mod resource;
mod rules;
mod schema;
mod states;

pub use codes::Code;

use crate::asl::document::{Document, Format, Span, pointer};
use crate::asl::model::QueryLanguage;
use serde_json::{Map as JsonMap, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Information,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "info",
        }
    }
}

/// Standard or Express: some integrations exist only for Standard workflows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WorkflowType {
    #[default]
    Standard,
    Express,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// When known, integrations that the type does not support are reported.
    pub workflow_type: Option<WorkflowType>,
}

/// One finding, located in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    /// JSON pointer of the key or value concerned ("" for the whole document).
    pub pointer: String,
    pub span: Span,
    /// 1-based line and column of `span.start`.
    pub line: usize,
    pub column: usize,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Validates ASL text; a syntax error is reported as one diagnostic.
pub fn validate_text(text: &str, format: Format, options: &Options) -> Vec<Diagnostic> {
    match Document::parse(text, format) {
        Ok(doc) => validate(&doc, options),
        Err(error) => vec![Diagnostic {
            severity: Severity::Error,
            code: Code::Syntax,
            message: error.message,
            pointer: String::new(),
            span: Span::new(error.offset, error.offset),
            line: error.line,
            column: error.column,
        }],
    }
}

/// Validates a parsed document.
pub fn validate(doc: &Document, options: &Options) -> Vec<Diagnostic> {
    validate_at(doc, "", options)
}

/// Validates the definition found at `base` (a JSON pointer) inside a larger document, such as
/// the inline `Definition` of a SAM or CloudFormation template. Diagnostics carry full pointers
/// and positions in that document.
pub fn validate_at(doc: &Document, base: &str, options: &Options) -> Vec<Diagnostic> {
    validate_embedded(
        doc,
        base,
        doc.value().pointer(base).unwrap_or(&Value::Null),
        options,
    )
}

/// Like [`validate_at`], for a definition that differs from the text only in its values (a
/// template's definition with `!Sub` / `!Ref` turned into `${...}` placeholders).
pub fn validate_embedded(
    doc: &Document,
    base: &str,
    root: &Value,
    options: &Options,
) -> Vec<Diagnostic> {
    let mut validator = Validator {
        doc,
        root,
        base: base.to_string(),
        options,
        diagnostics: Vec::new(),
        top_language: QueryLanguage::JsonPath,
        state_names: rustc_hash::FxHashMap::default(),
        raised_errors: raised_errors(root),
    };
    validator.run();
    let mut diagnostics = validator.diagnostics;
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.severity, a.code.as_str()).cmp(&(
            b.span.start,
            b.severity,
            b.code.as_str(),
        ))
    });
    diagnostics.dedup();
    diagnostics
}

/// Whether the diagnostic refers to a member's key or its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    Key,
    Value,
}

struct Validator<'a> {
    doc: &'a Document,
    /// The definition being checked (the document's root, or the value at `base`).
    root: &'a Value,
    /// Pointer of the definition in the document ("" for a definition file).
    base: String,
    options: &'a Options,
    diagnostics: Vec<Diagnostic>,
    /// The top-level `QueryLanguage`: every state inherits it (not the enclosing state's).
    top_language: QueryLanguage,
    /// Every state name seen anywhere, with the pointer of its first definition.
    state_names: rustc_hash::FxHashMap<String, String>,
    /// Error names that Fail states of this machine raise (custom `States.*` names included).
    raised_errors: std::collections::HashSet<String>,
}

/// The `Error` of every Fail state, at any depth.
fn raised_errors(value: &Value) -> std::collections::HashSet<String> {
    fn walk(value: &Value, out: &mut std::collections::HashSet<String>, depth: usize) {
        if depth > 256 {
            return;
        }
        match value {
            Value::Object(object) => {
                if object.get("Type").and_then(Value::as_str) == Some("Fail")
                    && let Some(error) = object.get("Error").and_then(Value::as_str)
                {
                    out.insert(error.to_string());
                }
                object.values().for_each(|v| walk(v, out, depth + 1));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out, depth + 1)),
            _ => {}
        }
    }
    let mut out = std::collections::HashSet::new();
    walk(value, &mut out, 0);
    out
}

impl Validator<'_> {
    fn run(&mut self) {
        let base = self.base.clone();
        for duplicate in self
            .doc
            .duplicate_keys()
            .iter()
            .filter(|d| d.object.starts_with(&base))
        {
            let position = self.doc.position(duplicate.span.start);
            let first = self.doc.position(duplicate.first.start);
            self.diagnostics.push(Diagnostic {
                severity: Severity::Error,
                code: Code::DuplicateKey,
                message: format!(
                    "\"{}\" appears twice in the same object (first at line {}); AWS rejects duplicate keys",
                    duplicate.key, first.line
                ),
                pointer: pointer::join(&duplicate.object, &duplicate.key),
                span: duplicate.span,
                line: position.line,
                column: position.column,
            });
        }
        let root = self.root;
        let Some(object) = root.as_object() else {
            self.report(
                &base,
                Anchor::Value,
                Severity::Error,
                Code::WrongType,
                "a state machine definition must be a JSON object",
            );
            return;
        };
        if let Some(language) = object
            .get("QueryLanguage")
            .and_then(Value::as_str)
            .and_then(QueryLanguage::parse)
        {
            self.top_language = language;
        }
        self.check_machine(object, &base, machine::Level::Top);
    }

    /// Records a diagnostic at the key or value `pointer` designates.
    fn report(
        &mut self,
        pointer: &str,
        anchor: Anchor,
        severity: Severity,
        code: Code,
        message: impl Into<String>,
    ) {
        let span = match anchor {
            Anchor::Key => self.doc.key_span_of(pointer),
            Anchor::Value => None,
        }
        .or_else(|| self.doc.span_of(pointer))
        .or_else(|| self.nearest_span(pointer))
        .unwrap_or_default();
        let position = self.doc.position(span.start);
        self.diagnostics.push(Diagnostic {
            severity,
            code,
            message: message.into(),
            pointer: pointer.to_string(),
            span,
            line: position.line,
            column: position.column,
        });
    }

    /// For a pointer to something missing, the closest existing ancestor.
    fn nearest_span(&self, pointer: &str) -> Option<Span> {
        let mut current = pointer.to_string();
        while let Some((parent, _)) = pointer::split_last(&current) {
            if let Some(span) = self
                .doc
                .key_span_of(&parent)
                .or_else(|| self.doc.span_of(&parent))
            {
                return Some(span);
            }
            current = parent;
        }
        None
    }

    fn error(&mut self, pointer: &str, anchor: Anchor, code: Code, message: impl Into<String>) {
        self.report(pointer, anchor, Severity::Error, code, message);
    }

    fn warning(&mut self, pointer: &str, anchor: Anchor, code: Code, message: impl Into<String>) {
        self.report(pointer, anchor, Severity::Warning, code, message);
    }

    /// Reports members of `object` that are not in `allowed`, explaining where they belong.
    fn check_known_fields(
        &mut self,
        object: &JsonMap<String, Value>,
        at: &str,
        allowed: &[&str],
        what: &str,
    ) {
        for key in object.keys() {
            if !allowed.contains(&key.as_str()) {
                let field = pointer::join(at, key);
                let hint = schema::suggest(key, allowed)
                    .map(|s| format!(" (did you mean \"{s}\"?)"))
                    .unwrap_or_default();
                self.error(
                    &field,
                    Anchor::Key,
                    Code::UnknownField,
                    format!("\"{key}\" is not a field of {what}{hint}"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests;
