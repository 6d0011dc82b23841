//! The top of the inspector: the state's badge, type and language, its name (renamed in
//! place), and the diagnostics that no field on the open tab shows.

use super::form::{diagnostic_ui, error_line_ui, field_label_ui};
use super::{InspectorAction, InspectorInput, Tab};
use crate::app::theme;
use crate::asl::document::pointer;
use crate::asl::graph_edit::{StateRef, all_state_names, validate_name};
use crate::asl::model::{QueryLanguage, StateType};
use crate::asl::validate::Diagnostic;
use egui::{RichText, Ui};

/// The name as the user types it; written (as a rename) on Enter or when the field loses focus.
#[derive(Debug, Default)]
pub struct RenameBuffer {
    /// The state the text belongs to.
    basis: Option<StateRef>,
    text: String,
    error: Option<String>,
}

/// Why `name` cannot replace `current`'s name, if it cannot.
pub fn name_problem(input: &InspectorInput<'_>, current: &StateRef, name: &str) -> Option<String> {
    if let Err(problem) = validate_name(name) {
        return Some(problem);
    }
    // Only computed while the user types (names are unique across the whole workflow).
    (name != current.name && all_state_names(input.doc.value()).contains(name))
        .then(|| format!("a state named \"{name}\" already exists"))
}

pub fn header_ui(
    ui: &mut Ui,
    rename: &mut RenameBuffer,
    input: &InspectorInput<'_>,
    state: &StateRef,
    state_type: Option<StateType>,
    language: QueryLanguage,
    actions: &mut Vec<InspectorAction>,
) {
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        theme::state_badge_ui(ui, state_type);
        let type_name = match state_type {
            Some(t) => t.as_str().to_string(),
            None => input
                .doc
                .value()
                .pointer(&pointer::join(&state.pointer(), "Type"))
                .map_or_else(|| "No Type".to_string(), |t| format!("Unknown type {t}")),
        };
        ui.label(
            RichText::new(type_name)
                .strong()
                .color(theme::state_color(state_type)),
        );
        ui.label(RichText::new(language.as_str()).small().weak())
            .on_hover_text("The query language of this state (its own, or the workflow's)");
    });
    if rename.basis.as_ref() != Some(state) {
        *rename = RenameBuffer {
            basis: Some(state.clone()),
            text: state.name.clone(),
            error: None,
        };
    }
    let label = field_label_ui(ui, "State name");
    let response = ui
        .add(
            egui::TextEdit::singleline(&mut rename.text)
                .id_salt("inspector-state-name")
                .desired_width(f32::INFINITY)
                .font(egui::TextStyle::Body),
        )
        .labelled_by(label.id);
    if response.changed() {
        rename.error = name_problem(input, state, &rename.text);
    }
    if response.lost_focus() {
        let cancelled = ui.input(|i| i.key_pressed(egui::Key::Escape));
        if !cancelled && rename.error.is_none() && rename.text != state.name {
            actions.push(InspectorAction::Rename {
                state: state.clone(),
                name: rename.text.clone(),
            });
        } else {
            rename.text = state.name.clone();
            rename.error = None;
        }
    }
    if let Some(error) = &rename.error {
        error_line_ui(ui, &format!("{error} (Esc to keep \"{}\")", state.name));
    }
}

/// Lists diagnostics not shown by a field; returns a tab to open when the user asks to see the
/// field a diagnostic is about.
pub fn top_diagnostics_ui(
    ui: &mut Ui,
    diagnostics: &[&Diagnostic],
    state_pointer: &str,
    tabs: &[(Tab, &str)],
    (open, state_type): (Tab, Option<StateType>),
) -> Option<Tab> {
    if diagnostics.is_empty() {
        return None;
    }
    let mut picked = None;
    ui.add_space(4.0);
    egui::Frame::new()
        .fill(ui.visuals().faint_bg_color)
        .corner_radius(6)
        .inner_margin(egui::Margin::same(6))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            for (index, diagnostic) in diagnostics.iter().enumerate() {
                diagnostic_ui(ui, diagnostic);
                let field = diagnostic
                    .pointer
                    .strip_prefix(state_pointer)
                    .and_then(|rest| pointer::segments(rest).next());
                let Some(field) = field else { continue };
                let tab = Tab::of_field(&field, state_type);
                if tab == open {
                    continue;
                }
                if let Some((tab, title)) = tabs.iter().find(|(t, _)| *t == tab) {
                    let link = ui
                        .push_id(index, |ui| {
                            ui.link(RichText::new(format!("Show in {title}")).small())
                        })
                        .inner;
                    if link.clicked() {
                        picked = Some(*tab);
                    }
                }
            }
        });
    picked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::document::{Document, Format};

    #[test]
    fn names_must_be_valid_and_unique_across_the_workflow() {
        let doc = Document::parse(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true},
                "P": {"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}], "End": true}}}"#,
            Format::Json,
        )
        .unwrap();
        let input = InspectorInput {
            doc: &doc,
            revision: 1,
            state: None,
            diagnostics: &[],
            syntaxes: None,
            last_run_input: None,
        };
        let a = StateRef::top("A");
        assert_eq!(name_problem(&input, &a, "A"), None);
        assert_eq!(name_problem(&input, &a, "C"), None);
        assert!(
            name_problem(&input, &a, "B")
                .unwrap()
                .contains("already exists")
        );
        assert!(name_problem(&input, &a, " ").is_some());
        assert!(name_problem(&input, &a, &"x".repeat(81)).is_some());
    }
}
