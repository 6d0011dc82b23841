//! The Design tab until the canvas lands: every state as a card with its type and where it
//! goes next, nested for Parallel branches and Map processors. Selecting a card selects the
//! state everywhere.

use super::browser::type_name;
use super::theme;
use crate::asl::model::{State, StateKind, StateMachine, Transition};
use egui::{Color32, RichText, Ui};

/// Shows the list; returns the pointer of a state the user clicked.
pub fn design_ui(
    ui: &mut Ui,
    machine: Option<&StateMachine>,
    selection: Option<&str>,
) -> Option<String> {
    let Some(machine) = machine else {
        ui.centered_and_justified(|ui| {
            ui.label(RichText::new("The definition has no \"States\" object yet.").weak());
        });
        return None;
    };
    let mut clicked = None;
    egui::ScrollArea::vertical()
        .id_salt("design-scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.add_space(8.0);
            ui.set_max_width(ui.available_width().min(860.0));
            machine_ui(ui, machine, selection, &mut clicked);
            ui.add_space(16.0);
        });
    clicked
}

fn machine_ui(
    ui: &mut Ui,
    machine: &StateMachine,
    selection: Option<&str>,
    clicked: &mut Option<String>,
) {
    ui.horizontal(|ui| {
        ui.label(RichText::new("Start").small().weak());
        let exists = machine.state(&machine.start_at).is_some();
        ui.label(target_text(ui, &machine.start_at, exists));
    });
    for state in machine.states.values() {
        card_ui(ui, machine, state, selection, clicked);
        let children = state.children();
        let count = children.len();
        for (index, child) in children.into_iter().enumerate() {
            let title = match (&state.kind, count) {
                (StateKind::Map(_), _) => "Item processor".to_string(),
                (_, 1) => "Branch".to_string(),
                _ => format!("Branch {}", index + 1),
            };
            ui.horizontal(|ui| {
                ui.add_space(22.0);
                egui::Frame::new()
                    .stroke(egui::Stroke::new(
                        1.0,
                        theme::state_color(state.state_type()).gamma_multiply(0.5),
                    ))
                    .corner_radius(8)
                    .inner_margin(egui::Margin::same(10))
                    .show(ui, |ui| {
                        ui.label(
                            RichText::new(title)
                                .small()
                                .strong()
                                .color(theme::state_color(state.state_type())),
                        );
                        machine_ui(ui, child, selection, clicked);
                    });
            });
        }
    }
}

fn card_ui(
    ui: &mut Ui,
    scope: &StateMachine,
    state: &State,
    selection: Option<&str>,
    clicked: &mut Option<String>,
) {
    let selected = selection == Some(state.pointer.as_str());
    let visuals = ui.visuals().clone();
    let color = theme::state_color(state.state_type());
    let fill = if selected {
        visuals.selection.bg_fill.gamma_multiply(0.55)
    } else {
        visuals.faint_bg_color
    };
    let stroke = if selected {
        visuals.selection.stroke
    } else {
        visuals.widgets.noninteractive.bg_stroke
    };
    let inner = egui::Frame::new()
        .fill(fill)
        .stroke(stroke)
        .corner_radius(8)
        .inner_margin(egui::Margin {
            left: 12,
            right: 12,
            top: 8,
            bottom: 8,
        })
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                // The stripe of the type colour on the left edge.
                let (stripe, _) =
                    ui.allocate_exact_size(egui::vec2(3.0, 34.0), egui::Sense::hover());
                ui.painter().rect_filled(stripe, 2.0, color);
                theme::state_badge_ui(ui, state.state_type());
                ui.vertical(|ui| {
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(&state.name).strong().size(14.0));
                        ui.label(RichText::new(type_name(state)).small().color(color));
                    });
                    ui.horizontal_wrapped(|ui| transitions_ui(ui, scope, state));
                });
            });
        });
    let response = ui
        .interact(
            inner.response.rect,
            ui.scope_id().with(("card", &state.pointer)),
            egui::Sense::click(),
        )
        .on_hover_cursor(egui::CursorIcon::PointingHand);
    response.widget_info(|| {
        egui::WidgetInfo::selected(
            egui::accesskit::Role::Button,
            true,
            selected,
            format!("{} ({})", state.name, type_name(state)),
        )
    });
    if response.clicked() {
        *clicked = Some(state.pointer.clone());
    }
    ui.add_space(2.0);
}

fn target_text(ui: &Ui, name: &str, exists: bool) -> RichText {
    let text = RichText::new(format!("→ {name}"));
    if exists {
        text
    } else {
        text.color(theme::severity_color(
            crate::asl::validate::Severity::Error,
            ui.visuals().dark_mode,
        ))
        .underline()
    }
}

fn transitions_ui(ui: &mut Ui, scope: &StateMachine, state: &State) {
    ui.spacing_mut().item_spacing.x = 10.0;
    let weak = |text: &str| RichText::new(text).size(12.0).weak();
    let target = |ui: &mut Ui, name: &str| {
        let text = target_text(ui, name, scope.state(name).is_some());
        ui.label(text.size(12.0));
    };
    match &state.kind {
        StateKind::Succeed => {
            ui.label(
                RichText::new("✔ ends the execution successfully")
                    .size(12.0)
                    .color(Color32::from_rgb(0x22, 0xc5, 0x5e)),
            );
        }
        StateKind::Fail(fail) => {
            let error = fail.error.as_deref().unwrap_or("");
            ui.label(
                RichText::new(format!("✖ fails {error}"))
                    .size(12.0)
                    .color(theme::state_color(state.state_type())),
            );
        }
        StateKind::Choice(choice) => {
            ui.label(weak(&format!(
                "{} rule{}",
                choice.choices.len(),
                if choice.choices.len() == 1 { "" } else { "s" }
            )));
            for rule in &choice.choices {
                if let Some(next) = &rule.next {
                    target(ui, next);
                }
            }
            if let Some(default) = &choice.default {
                ui.label(weak("default"));
                target(ui, default);
            }
        }
        _ => {}
    }
    match &state.transition {
        Transition::Next(next) => target(ui, next),
        Transition::End => {
            ui.label(RichText::new("■ End").size(12.0).weak());
        }
        Transition::None => {}
    }
    let (retries, catchers) = state.error_handling();
    if !retries.is_empty() {
        ui.label(weak(&format!(
            "⟳ {} retr{}",
            retries.len(),
            if retries.len() == 1 { "y" } else { "ies" }
        )));
    }
    for catcher in catchers {
        if let Some(next) = &catcher.next {
            ui.label(weak("on error"));
            target(ui, next);
        }
    }
}
