//! The desktop designer: the only module that uses egui.
//!
//! [`session::Session`] holds the document (UI-free, unit-tested); the views (browser, Design,
//! Code, Config, inspector) read it and hand their changes back to it, so the text stays the
//! one source of truth and every change is a step of one undo history.

mod actions;
mod browser;
mod canvas;
pub mod code;
mod config;
pub mod design;
pub mod files;
pub mod history;
pub mod inspector;
mod modals;
mod native;
pub mod selection;
pub mod session;
mod shell;
pub mod theme;
mod topbar;
pub mod watcher;

use crate::asl::document::Format;
use crate::templates;
use std::path::PathBuf;

pub use shell::{DesignerApp, LeftPanel, Tab};

/// How the designer starts.
#[derive(Debug, Clone)]
pub struct DesignerOptions {
    /// The file to open (None: the starter template).
    pub file: Option<PathBuf>,
    /// Where copies of unsaved work are written (None: nowhere).
    pub recovery_dir: Option<PathBuf>,
    /// Offer the copies that a crashed session left behind.
    pub offer_recovery: bool,
    /// Notice when another program changes the open file.
    pub watch_files: bool,
    /// Load the syntax definitions before the first frame (tests and benchmarks want
    /// deterministic frames; the desktop app loads them in the background).
    pub load_syntaxes_now: bool,
}

impl DesignerOptions {
    /// The desktop defaults: recovery copies in the app's data folder, file watching on.
    pub fn desktop(file: Option<PathBuf>) -> Self {
        DesignerOptions {
            file,
            recovery_dir: eframe::storage_dir(APP_ID).map(|d| d.join("recovery")),
            offer_recovery: true,
            watch_files: true,
            load_syntaxes_now: false,
        }
    }

    /// For tests: nothing written outside what the test chooses.
    pub fn headless(file: Option<PathBuf>) -> Self {
        DesignerOptions {
            file,
            recovery_dir: None,
            offer_recovery: false,
            watch_files: true,
            load_syntaxes_now: true,
        }
    }
}

pub const APP_ID: &str = "asl-studio";

/// Opens the designer window on `file` (or the starter workflow) and runs until it closes.
pub fn run_designer(file: Option<PathBuf>) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("ASL Studio")
            .with_app_id(APP_ID)
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([760.0, 480.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    let designer = DesignerOptions::desktop(file);
    eframe::run_native(
        "ASL Studio",
        options,
        Box::new(move |cc| Ok(Box::new(DesignerApp::new(cc, designer)))),
    )
    .map_err(|e| anyhow::anyhow!("the designer window failed: {e}"))
}

/// A new, untitled document from a template (with the template's workflow type).
fn session_from_template(template: &templates::Template) -> session::Session {
    let mut session = session::Session::new(template.text, Format::Json, None);
    session.settings.workflow_type = template.workflow_type;
    session
}
