//! Expressions inside fields: JSONPath paths, payload templates, intrinsic functions, JSONata.

use super::{Anchor, Code, Validator};
use crate::asl::document::pointer;
use crate::asl::model::QueryLanguage;
use serde_json::Value;

/// What a path field accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PathKind {
    /// Any JSONPath on the input, the context object (`$$`) or a variable (`$name`).
    Path,
    /// A reference path: one definite node (no wildcards, filters, slices or unions).
    Reference,
    /// `ResultPath`: a reference path into the state's input only.
    ResultPath,
    /// `ErrorPath` / `CausePath`: a path or an intrinsic function.
    PathOrIntrinsic,
}

pub(crate) use crate::asl::is_jsonata_text as is_jsonata;

/// Nesting bound for walking user JSON (templates can be arbitrarily deep).
const MAX_DEPTH: usize = 128;

impl Validator<'_> {
    pub(super) fn expect_path(&mut self, value: &Value, at: &str, field: &str, kind: PathKind) {
        match value {
            Value::String(path) => self.check_path(path, at, field, kind),
            _ => self.error(
                at,
                Anchor::Value,
                Code::WrongType,
                format!("{field} must be a path string such as \"$.field\""),
            ),
        }
    }

    pub(super) fn check_path(&mut self, path: &str, at: &str, field: &str, kind: PathKind) {
        if kind == PathKind::PathOrIntrinsic && path.starts_with("States.") {
            if let Some(problem) = syntax::intrinsic_problem(path) {
                self.error(
                    at,
                    Anchor::Value,
                    Code::InvalidIntrinsic,
                    format!("{field}: {problem}"),
                );
            }
            return;
        }
        match syntax::path_problem(path, kind) {
            None => {}
            Some((code, problem)) => {
                self.error(at, Anchor::Value, code, format!("{field}: {problem}"))
            }
        }
    }

    /// `Parameters`, `ResultSelector`, `ItemSelector`, JSONPath `Assign`...: keys ending in `.$`
    /// take a path or an intrinsic function; `key` and `key.$` cannot both be present.
    pub(super) fn check_payload_template(
        &mut self,
        template: &Value,
        at: &str,
        language: QueryLanguage,
    ) {
        self.walk_template(template, at, language, 0);
    }

    fn walk_template(&mut self, value: &Value, at: &str, language: QueryLanguage, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match value {
            Value::Object(object) => {
                for (key, inner) in object {
                    let inner_at = pointer::join(at, key);
                    match key.strip_suffix(".$") {
                        Some(plain) => {
                            if object.contains_key(plain) {
                                self.error(
                                    &inner_at,
                                    Anchor::Key,
                                    Code::PayloadKeyConflict,
                                    format!("\"{key}\" and \"{plain}\" would both produce the field \"{plain}\""),
                                );
                            }
                            self.check_dynamic_value(key, inner, &inner_at);
                        }
                        None => self.walk_template(inner, &inner_at, language, depth + 1),
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.walk_template(
                        item,
                        &pointer::join(at, &i.to_string()),
                        language,
                        depth + 1,
                    );
                }
            }
            Value::String(text) => self.check_string_for_language(text, at, language),
            _ => {}
        }
    }

    fn check_dynamic_value(&mut self, key: &str, value: &Value, at: &str) {
        let Some(text) = value.as_str() else {
            self.error(
                at,
                Anchor::Value,
                Code::PayloadTemplate,
                format!("\"{key}\" ends in .$, so its value must be a path or an intrinsic function string"),
            );
            return;
        };
        let trimmed = text.trim_start();
        if trimmed.starts_with("States.") || (trimmed != text && trimmed.starts_with("States")) {
            if trimmed != text {
                self.error(
                    at,
                    Anchor::Value,
                    Code::InvalidIntrinsic,
                    format!("\"{key}\": an intrinsic function cannot start with spaces"),
                );
            } else if let Some(problem) = syntax::intrinsic_problem(text) {
                self.error(
                    at,
                    Anchor::Value,
                    Code::InvalidIntrinsic,
                    format!("\"{key}\": {problem}"),
                );
            }
            return;
        }
        if !text.starts_with('$') {
            self.error(
                at,
                Anchor::Value,
                Code::PayloadTemplate,
                format!("\"{key}\" ends in .$, so \"{text}\" must be a path ($.field, $$.Context, $variable) or an intrinsic function (States.Format(...))"),
            );
            return;
        }
        if let Some((code, problem)) = syntax::path_problem(text, PathKind::Path) {
            self.error(at, Anchor::Value, code, format!("\"{key}\": {problem}"));
        }
    }

    /// Every string value under `value` that is (or looks like) JSONata.
    pub(super) fn check_expressions(&mut self, value: &Value, at: &str, language: QueryLanguage) {
        self.walk_strings(value, at, language, 0);
    }

    /// `Result` is a literal: only misplaced JSONata is worth a remark.
    pub(super) fn check_literal_strings(
        &mut self,
        value: &Value,
        at: &str,
        language: QueryLanguage,
    ) {
        self.walk_strings(value, at, language, 0);
    }

    fn walk_strings(&mut self, value: &Value, at: &str, language: QueryLanguage, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match value {
            Value::String(text) => self.check_string_for_language(text, at, language),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.walk_strings(
                        item,
                        &pointer::join(at, &i.to_string()),
                        language,
                        depth + 1,
                    );
                }
            }
            Value::Object(object) => {
                for (key, item) in object {
                    self.walk_strings(item, &pointer::join(at, key), language, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn check_string_for_language(&mut self, text: &str, at: &str, language: QueryLanguage) {
        let opens = text.starts_with("{%");
        let closes = text.ends_with("%}");
        if !opens && !closes {
            return;
        }
        if language == QueryLanguage::JsonPath {
            if opens && closes {
                self.warning(
                    at,
                    Anchor::Value,
                    Code::JsonataInJsonPath,
                    "this state uses JSONPath, so this {% %} expression is a plain string; set \"QueryLanguage\": \"JSONata\" to evaluate it",
                );
            }
            return;
        }
        if !(opens && closes && text.len() >= 4) {
            self.error(
                at,
                Anchor::Value,
                Code::JsonataDelimiters,
                "a JSONata expression must start with \"{%\" and end with \"%}\", like \"{% $states.input %}\"",
            );
            return;
        }
        let body = &text[2..text.len() - 2];
        if !body.starts_with(' ') || !body.ends_with(' ') || body.trim() != body.trim_matches(' ') {
            self.warning(
                at,
                Anchor::Value,
                Code::JsonataStyle,
                "AWS documents JSONata as \"{% expression %}\" with one space inside each delimiter",
            );
        }
        if body.trim().is_empty() {
            self.error(
                at,
                Anchor::Value,
                Code::InvalidJsonata,
                "the JSONata expression is empty",
            );
            return;
        }
        if let Some(problem) = syntax::jsonata_problem(body) {
            self.error(at, Anchor::Value, Code::InvalidJsonata, problem);
        }
    }
}

/// The bridge to the expression languages' parsers.
mod syntax {
    use super::{Code, PathKind};
    use crate::asl::intrinsics::check_intrinsic;
    use crate::asl::path::{RootKind, check_path};

    pub(super) fn path_problem(path: &str, kind: PathKind) -> Option<(Code, String)> {
        let found = match check_path(path) {
            Ok(found) => found,
            Err(error) => {
                return Some((
                    Code::InvalidJsonPath,
                    format!("\"{path}\" is not a valid JSONPath: {error}"),
                ));
            }
        };
        let reference =
            "a reference path (one node, written with .field, ['field'] and [index] only)";
        match kind {
            PathKind::Path | PathKind::PathOrIntrinsic => None,
            PathKind::Reference if !found.reference => Some((
                Code::InvalidReferencePath,
                format!("\"{path}\" must be {reference}"),
            )),
            PathKind::Reference => None,
            PathKind::ResultPath if found.root != RootKind::Input => Some((
                Code::InvalidReferencePath,
                format!(
                    "\"{path}\" cannot be a ResultPath: the result is written into the state's input, so it must start with $ (not $$ or a $variable)"
                ),
            )),
            PathKind::ResultPath if !found.reference => Some((
                Code::InvalidReferencePath,
                format!("\"{path}\" must be {reference}"),
            )),
            PathKind::ResultPath => None,
        }
    }

    pub(super) fn intrinsic_problem(text: &str) -> Option<String> {
        match check_intrinsic(text) {
            Err(error) => Some(format!(
                "{} (at character {})",
                error.message, error.position
            )),
            Ok((_, problems)) => {
                let messages: Vec<String> = problems.into_iter().map(|p| p.message).collect();
                (!messages.is_empty()).then(|| messages.join("; "))
            }
        }
    }

    pub(super) fn jsonata_problem(body: &str) -> Option<String> {
        crate::asl::jsonata::Expression::parse_dialect(
            body.trim(),
            crate::asl::jsonata::Dialect::StepFunctions,
        )
        .err()
        .map(|error| format!("invalid JSONata expression: {error}"))
    }
}
