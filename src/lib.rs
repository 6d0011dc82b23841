//! ASL Studio: a designer, simulator and debugger for Amazon States Language.
//!
//! The core (`asl`, `engine`, `layout`, `export`) never touches the UI; only `app` does.

pub mod app;
pub mod asl;
pub mod catalog;
pub mod cli;
pub mod engine;
pub mod export;
pub mod layout;
pub mod templates;
