//! The Amazon States Language: documents, the typed model, validation and the expression
//! languages (JSONPath, intrinsic functions, JSONata). No UI and no I/O here.

pub mod convert;
pub mod document;
pub mod generate;
pub mod graph_edit;
pub mod intrinsics;
pub mod jsonata;
pub mod model;
pub mod path;
pub mod validate;

/// A `{% ... %}` string: a JSONata expression in a JSONata state (a plain string elsewhere).
pub fn is_jsonata_text(text: &str) -> bool {
    text.len() >= 4 && text.starts_with("{%") && text.ends_with("%}")
}
