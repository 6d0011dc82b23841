//! What reaches the window besides the views' clicks, as actions: the keyboard shortcuts, the
//! window's close button and files dropped on it.

use crate::app::action::{AppAction, FileCommand, RunCommand, Tab};
use egui::{Key, KeyboardShortcut, Modifiers};

const fn shortcut(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

const COMMAND_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);

/// Shortcuts as in DESIGN.md; the most specific ones first, and consumed so that a focused
/// text field does not also act on them (its own undo would bypass the history).
pub fn shortcuts(ctx: &egui::Context) -> Vec<AppAction> {
    let pressed = |s: KeyboardShortcut| ctx.input_mut(|i| i.consume_shortcut(&s));
    let mut actions = Vec::new();
    if pressed(shortcut(COMMAND_SHIFT, Key::Z)) || pressed(shortcut(Modifiers::COMMAND, Key::Y)) {
        actions.push(AppAction::Redo);
    }
    if pressed(shortcut(Modifiers::COMMAND, Key::Z)) {
        actions.push(AppAction::Undo);
    }
    if pressed(shortcut(COMMAND_SHIFT, Key::S)) {
        actions.push(FileCommand::SaveAs.into());
    }
    if pressed(shortcut(Modifiers::COMMAND, Key::S)) {
        actions.push(FileCommand::Save.into());
    }
    if pressed(shortcut(Modifiers::COMMAND, Key::O)) {
        actions.push(FileCommand::Open.into());
    }
    if pressed(shortcut(Modifiers::COMMAND, Key::N)) {
        actions.push(FileCommand::New.into());
    }
    if pressed(shortcut(Modifiers::COMMAND, Key::F)) {
        actions.push(AppAction::FocusFilter);
    }
    for (key, tab) in [
        (Key::Num1, Tab::Design),
        (Key::Num2, Tab::Code),
        (Key::Num3, Tab::Config),
    ] {
        if pressed(shortcut(Modifiers::COMMAND, key)) {
            actions.push(AppAction::SwitchTab(tab));
        }
    }
    // The debugger's keys, as in Visual Studio and VS Code.
    for (modifiers, key, command) in [
        (COMMAND_SHIFT, Key::F5, RunCommand::Restart),
        (Modifiers::SHIFT, Key::F5, RunCommand::Stop),
        (Modifiers::NONE, Key::F5, RunCommand::RunOrContinue),
        (Modifiers::SHIFT, Key::F10, RunCommand::StepBack),
        (Modifiers::NONE, Key::F10, RunCommand::Step),
        (Modifiers::NONE, Key::F11, RunCommand::StepState),
    ] {
        if pressed(shortcut(modifiers, key)) {
            actions.push(command.into());
        }
    }
    actions
}

/// F9: the breakpoint of the selected state.
pub fn breakpoint_key(ctx: &egui::Context, selected: Option<&str>) -> Option<AppAction> {
    let pressed = ctx.input_mut(|i| i.consume_shortcut(&shortcut(Modifiers::NONE, Key::F9)));
    (pressed)
        .then(|| selected.map(|name| RunCommand::ToggleBreakpoint(name.to_string()).into()))
        .flatten()
}

/// The window's close button.
pub fn close_request(ctx: &egui::Context) -> Option<AppAction> {
    ctx.input(|i| i.viewport().close_requested())
        .then_some(AppAction::CloseRequested)
}

/// A file dropped on the window: open it (asking about unsaved changes first).
pub fn dropped_file(ctx: &egui::Context) -> Option<AppAction> {
    ctx.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| f.path().to_path_buf())
            .find(|p| !p.as_os_str().is_empty())
    })
    .map(|path| FileCommand::OpenPath(path).into())
}
