//! The Amazon States Language: documents, the typed model, validation and the expression
//! languages (JSONPath, intrinsic functions, JSONata). No UI and no I/O here.

pub mod document;
pub mod generate;
pub mod intrinsics;
pub mod model;
pub mod path;
pub mod validate;
