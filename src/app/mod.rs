//! The desktop designer: the only module that uses egui.
//!
//! The app's state (`state`: the document and its one selection, the views' own states, the
//! files, the status) is changed in one place, the dispatcher (`dispatch`). The views
//! (outline, States browser, Design canvas, Code, Config, inspector, top bar, bottom panel,
//! modal dialogs) only read the state they are given and return actions; the window (`shell`)
//! lays them out, collects their actions as `AppAction`s and hands them to the
//! dispatcher. [`session::Session`] holds the document (UI-free, unit-tested): the text stays
//! the one source of truth and every change is a step of one undo history.
//!
//! Dependencies run one way: `shell` → `dispatch` → `state` → the views' state types and the
//! UI-free `session`, `selection`, `files`; `action` wraps the views' own action types.

mod action;
mod bottom;
mod browser;
pub mod code;
mod config;
pub mod design;
mod dispatch;
pub mod files;
pub mod history;
pub mod inspector;
mod modals;
mod native;
mod options;
pub mod run;
pub mod selection;
pub mod session;
mod shell;
mod state;
pub mod theme;
mod topbar;
pub mod watcher;
pub mod widgets;

use std::path::PathBuf;

pub use action::{LeftPanel, Tab};
pub use options::{APP_ID, DesignerOptions, RunRequest};
pub use shell::DesignerApp;

/// Opens the designer window on `file` (or the starter workflow) and runs until it closes.
pub fn run_designer(file: Option<PathBuf>) -> anyhow::Result<()> {
    run_designer_with(DesignerOptions::desktop(file))
}

/// Opens the designer window with these options and runs until it closes.
pub fn run_designer_with(designer: DesignerOptions) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("ASL Studio")
            .with_app_id(APP_ID)
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([760.0, 480.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "ASL Studio",
        options,
        Box::new(move |cc| Ok(Box::new(DesignerApp::new(cc, designer)))),
    )
    .map_err(|e| anyhow::anyhow!("the designer window failed: {e}"))
}
