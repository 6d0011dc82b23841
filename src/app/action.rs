//! What the views ask for. Every view reads the state and returns its own actions; the window
//! wraps them (and what the keyboard shortcuts, the native dialogs and the file watcher report)
//! in one [`AppAction`] type and hands them to the dispatcher (`dispatch`), the one place that
//! changes the state.

use super::code::CodeAction;
use super::config::ConfigAction;
use super::design::DesignAction;
use super::inspector::InspectorAction;
use super::modals::Choice;
use super::native::Answer;
use super::run::RunAction;
use crate::asl::graph_edit::StateRef;
use std::ops::Range;
use std::path::PathBuf;

/// The central view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Design,
    Code,
    Config,
}

/// What the left panel shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftPanel {
    /// The States browser: Actions, Flow, Patterns to drag onto the canvas.
    Browser,
    /// The workflow's own states, as a list.
    Outline,
}

/// A File menu command (or its shortcut).
#[derive(Debug, Clone, PartialEq)]
pub enum FileCommand {
    /// Pick a template for a new document (asking about unsaved changes first).
    New,
    /// Ask for a file to open (idem).
    Open,
    /// Open this file (idem): a recent file, a file dropped on the window.
    OpenPath(PathBuf),
    Save,
    SaveAs,
    /// Close the window (which asks about unsaved changes).
    Quit,
}

/// Everything the window hands to the dispatcher.
#[derive(Debug, Clone, PartialEq)]
pub enum AppAction {
    /// From the canvas (or a double-click in the States browser).
    Design(DesignAction),
    Inspector(InspectorAction),
    /// From the Code tab: typing, Format, the cursor.
    Code(CodeAction),
    Config(ConfigAction),
    /// Select these states everywhere, the first one the primary (its name is revealed in
    /// the Code tab).
    Select(Vec<StateRef>),
    /// Show the Code tab with this byte range of the text selected.
    ShowInCode(Range<usize>),
    Status(String),
    File(FileCommand),
    SwitchTab(Tab),
    /// Focus the search box of the left panel (Ctrl+F).
    FocusFilter,
    Undo,
    Redo,
    /// The answer to the open modal dialog.
    Modal(Choice),
    /// A native file dialog closed.
    Dialog(Answer),
    /// The window's close button was pressed.
    CloseRequested,
    /// Another program changed the open file: its text now.
    DiskChanged(String),
    /// A run control (the toolbar, the top bar, F5 / F10 / F11 / Shift+F10 / F9...).
    RunCommand(RunCommand),
    /// What the run view asked for.
    Run(RunAction),
}

/// A run control.
#[derive(Debug, Clone, PartialEq)]
pub enum RunCommand {
    /// Run, or Continue a paused run (F5).
    RunOrContinue,
    /// One event (F10).
    Step,
    /// To the next state entered (F11).
    StepState,
    /// One event back (Shift+F10).
    StepBack,
    /// Abort the execution (Shift+F5).
    Stop,
    /// A new run of the current text (Ctrl+Shift+F5).
    Restart,
    /// Toggle the breakpoint of a state (F9 on the selection, the node's dot, its menu).
    ToggleBreakpoint(String),
}

impl From<DesignAction> for AppAction {
    fn from(action: DesignAction) -> Self {
        AppAction::Design(action)
    }
}

impl From<InspectorAction> for AppAction {
    fn from(action: InspectorAction) -> Self {
        AppAction::Inspector(action)
    }
}

impl From<CodeAction> for AppAction {
    fn from(action: CodeAction) -> Self {
        AppAction::Code(action)
    }
}

impl From<ConfigAction> for AppAction {
    fn from(action: ConfigAction) -> Self {
        AppAction::Config(action)
    }
}

impl From<RunCommand> for AppAction {
    fn from(command: RunCommand) -> Self {
        AppAction::RunCommand(command)
    }
}

impl From<RunAction> for AppAction {
    fn from(action: RunAction) -> Self {
        AppAction::Run(action)
    }
}

impl From<FileCommand> for AppAction {
    fn from(command: FileCommand) -> Self {
        AppAction::File(command)
    }
}
