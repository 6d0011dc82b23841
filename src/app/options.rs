//! How the designer starts.

use std::path::PathBuf;

/// The app's id (window class, storage folder).
pub const APP_ID: &str = "asl-studio";

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
    /// A run to prepare once the file is open (`asl-studio debug CASE`, `FILE --run`).
    pub run: Option<RunRequest>,
}

/// A run the designer prepares at start: its input and mocks, paused before the first state
/// or run to the end (or the first breakpoint).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunRequest {
    /// The execution input as JSON text.
    pub input: Option<String>,
    pub mocks: Option<crate::app::run::MockSource>,
    /// Run to the end or the first breakpoint (else: paused before the first state).
    pub run: bool,
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
            run: None,
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
            run: None,
        }
    }
}
