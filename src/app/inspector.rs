//! The inspector (right panel): the selected state's name, type, comment and transition, and
//! its JSON (read-only until the full inspector lands). With nothing selected: the machine.

use super::browser::type_name;
use super::code::Syntaxes;
use super::code::problems::counts;
use super::session::Session;
use super::{selection, theme};
use crate::asl::document::to_json_pretty;
use crate::asl::model::{StateMachine, Transition};
use egui::{RichText, Ui};

/// Shows the inspector; returns a state pointer when the user follows a transition.
pub fn inspector_ui(
    ui: &mut Ui,
    session: &Session,
    selected: Option<&str>,
    syntaxes: &Syntaxes,
) -> Option<String> {
    ui.add_space(4.0);
    theme::heading_ui(ui, "Inspector");
    ui.add_space(2.0);
    let Some(machine) = session.machine() else {
        ui.label(RichText::new("Nothing to inspect: the definition has no states yet.").weak());
        return None;
    };
    let state = selected.and_then(|p| selection::state_at(machine, p));
    let Some(state) = state else {
        machine_summary_ui(ui, session, machine);
        return None;
    };
    let mut follow = None;
    ui.horizontal(|ui| {
        theme::state_badge_ui(ui, state.state_type());
        ui.label(RichText::new(&state.name).strong().size(16.0));
    });
    ui.add_space(4.0);
    // A label column, and values that wrap within the panel instead of widening it.
    field_ui(ui, "Name", |ui| {
        ui.add(egui::Label::new(&state.name).wrap());
    });
    field_ui(ui, "Type", |ui| {
        ui.label(RichText::new(type_name(state)).color(theme::state_color(state.state_type())));
    });
    field_ui(ui, "Comment", |ui| {
        match &state.comment {
            Some(comment) => ui.add(egui::Label::new(comment).wrap()),
            None => ui.label(RichText::new("—").weak()),
        };
    });
    match &state.transition {
        Transition::Next(next) => field_ui(ui, "Next", |ui| {
            let target = selection::sibling_pointer(machine, state, next);
            let link = ui
                .add_enabled(target.is_some(), egui::Link::new(format!("→ {next}")))
                .on_hover_text("Select it")
                .on_disabled_hover_text("No state of this name in the same scope");
            if link.clicked() {
                follow = target;
            }
        }),
        Transition::End => field_ui(ui, "End", |ui| {
            ui.label("true");
        }),
        Transition::None => field_ui(ui, "Next", |ui| {
            ui.label(RichText::new("decided by the state").weak());
        }),
    }
    ui.add_space(8.0);
    theme::heading_ui(ui, "Definition");
    let json = session
        .parsed()
        .and_then(|p| p.doc.value().pointer(&state.pointer))
        .map(|v| to_json_pretty(v, "  "))
        .unwrap_or_default();
    egui::Frame::new()
        .fill(ui.visuals().code_bg_color)
        .corner_radius(6)
        .inner_margin(egui::Margin::same(8))
        .show(ui, |ui| {
            egui::ScrollArea::both()
                .id_salt("inspector-json")
                .auto_shrink([false, true])
                .max_height(ui.available_height().max(120.0))
                .show(ui, |ui| json_ui(ui, &json, syntaxes));
        });
    ui.label(
        RichText::new("Read-only here; edit it in the Code tab.")
            .small()
            .weak(),
    );
    follow
}

fn field_label_ui(ui: &mut Ui, text: &str) {
    ui.label(RichText::new(text).weak());
}

/// One "label  value" line of the inspector.
fn field_ui(ui: &mut Ui, label: &str, value: impl FnOnce(&mut Ui)) {
    ui.horizontal_top(|ui| {
        let width = 72.0;
        ui.allocate_ui_with_layout(
            egui::vec2(width, 0.0),
            egui::Layout::top_down(egui::Align::Min),
            |ui| {
                ui.set_min_width(width);
                field_label_ui(ui, label);
            },
        );
        ui.vertical(|ui| {
            ui.set_max_width(ui.available_width());
            value(ui);
        });
    });
    ui.add_space(2.0);
}

fn json_ui(ui: &mut Ui, json: &str, syntaxes: &Syntaxes) {
    let Some(settings) = syntaxes.get() else {
        ui.label(RichText::new(json).monospace());
        return;
    };
    let theme = egui_extras::syntax_highlighting::CodeTheme::from_style(ui.style());
    let job = egui_extras::syntax_highlighting::highlight_with(
        ui.ctx(),
        ui.style(),
        &theme,
        json,
        "json",
        settings,
    );
    ui.add(egui::Label::new(job).selectable(true).extend());
}

fn machine_summary_ui(ui: &mut Ui, session: &Session, machine: &StateMachine) {
    egui::Grid::new("machine-grid")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            field_label_ui(ui, "StartAt");
            ui.label(&machine.start_at);
            ui.end_row();
            field_label_ui(ui, "States");
            ui.label(machine.walk().len().to_string());
            ui.end_row();
            field_label_ui(ui, "QueryLanguage");
            ui.label(machine.language().as_str());
            ui.end_row();
            if let Some(timeout) = machine.timeout_seconds {
                field_label_ui(ui, "TimeoutSeconds");
                ui.label(timeout.to_string());
                ui.end_row();
            }
            let (errors, warnings, _) = counts(session.diagnostics());
            field_label_ui(ui, "Problems");
            ui.label(format!("{errors} errors, {warnings} warnings"));
            ui.end_row();
        });
    ui.add_space(10.0);
    ui.label(RichText::new("Select a state to inspect it.").weak());
}
