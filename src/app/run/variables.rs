//! The Variables tab: the variables in scope at the moment shown, grouped by the scope that
//! holds them (the top level, a Map iteration, a Parallel branch; inner ones hide outer ones of
//! the same name), each with the state that assigned it and its value (compact, expandable).
//!
//! The scope: the selected visit's (Data flow, Map & Parallel), else the scope of the state
//! selected on the canvas (its latest visit by the cursor), else the top level.

use super::events::text::{compact, shorten};
use super::{RunAction, RunInput, RunView};
use crate::engine::debug::RunIndex;
use egui::{RichText, Ui};
use serde_json::Value;

/// The most of a value the expanded view shows.
const VALUE_CHARS: usize = 50_000;

/// One variable, copied out of the index.
struct Variable {
    name: String,
    state: String,
    event: u64,
    value: Value,
}

/// The variables of one scope.
struct Group {
    title: String,
    variables: Vec<Variable>,
}

/// What the tab shows, read under one short lock of the index.
struct Shown {
    scope_title: String,
    why: &'static str,
    groups: Vec<Group>,
}

pub(super) fn variables_ui(
    view: &mut RunView,
    ui: &mut Ui,
    input: &RunInput<'_>,
    actions: &mut Vec<RunAction>,
) {
    let RunView {
        active,
        children,
        selected_visit,
        ..
    } = view;
    let Some(active) = active.as_ref() else {
        ui.weak("No run yet.");
        return;
    };
    let run = &active.run;
    let at = run.cursor();
    let selected = input.selection.map(|s| s.name.as_str());
    let shown = {
        let index = run.index();
        read(&index, at, *selected_visit, selected)
    };
    ui.horizontal(|ui| {
        ui.label(RichText::new(&shown.scope_title).strong());
        ui.weak(format!("({}) at event {at}", shown.why));
    });
    ui.separator();
    if shown.groups.iter().all(|g| g.variables.is_empty()) {
        ui.weak("No variables in scope at this moment.");
        return;
    }
    let mut select = None;
    egui::ScrollArea::vertical()
        .id_salt("run-variables")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for group in shown.groups.iter().filter(|g| !g.variables.is_empty()) {
                ui.label(RichText::new(&group.title).small().weak());
                for variable in &group.variables {
                    if let Some(state) = variable_ui(ui, &group.title, variable) {
                        select = Some(state);
                    }
                }
                ui.add_space(4.0);
            }
        });
    if let Some(state) = select {
        actions.push(RunAction::Select(
            children.definition(input).state_ref(&state),
        ));
    }
}

/// One variable: a line that opens onto its whole value. Returns a state to select.
fn variable_ui(ui: &mut Ui, group: &str, variable: &Variable) -> Option<String> {
    let header = format!(
        "${} = {}   ← {}",
        variable.name,
        compact(&variable.value, 100),
        variable.state
    );
    let mut select = None;
    egui::CollapsingHeader::new(RichText::new(header).monospace())
        .id_salt(("run-variable", group, &variable.name))
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.weak(format!(
                    "Assigned by ‘{}’ at event {}",
                    variable.state, variable.event
                ));
                if ui.small_button("Select state").clicked() {
                    select = Some(variable.state.clone());
                }
                if ui.small_button("Copy").clicked() {
                    let text = serde_json::to_string_pretty(&variable.value).unwrap_or_default();
                    ui.ctx().copy_text(text);
                }
            });
            let text = serde_json::to_string_pretty(&variable.value).unwrap_or_default();
            ui.add(
                egui::Label::new(RichText::new(shorten(&text, VALUE_CHARS)).monospace())
                    .wrap_mode(egui::TextWrapMode::Extend),
            );
        });
    select
}

/// The scope to show, why, and its variables (and its enclosing scopes').
fn read(index: &RunIndex, at: u64, visit: Option<usize>, selected: Option<&str>) -> Shown {
    let (scope, why) = if let Some(v) = visit.and_then(|i| index.visits().get(i)) {
        (v.scope, "the selected visit")
    } else if let Some(v) = selected
        .and_then(|name| index.state_id(name))
        .and_then(|state| index.visits_of_state_at(state, at).last().copied())
        .and_then(|i| index.visits().get(i))
    {
        (v.scope, "the selected state's latest visit")
    } else {
        (0, "no visit selected")
    };
    let mut chain = vec![scope];
    while let Some(&last) = chain.last()
        && last != 0
        && chain.len() < 10_000
    {
        match index.scope_parent(last) {
            Some((parent, _)) => chain.push(parent),
            None => break,
        }
    }
    let variables = index.variables_at(scope, at);
    let names = index.state_names();
    let groups = chain
        .iter()
        .map(|&s| Group {
            title: scope_title(index, s),
            variables: variables
                .iter()
                .filter(|(holder, _)| *holder == s)
                .map(|(_, a)| Variable {
                    name: a.name.clone(),
                    state: names
                        .get(a.state as usize)
                        .map(|n| n.to_string())
                        .unwrap_or_default(),
                    event: a.event,
                    value: a.value.clone(),
                })
                .collect(),
        })
        .collect();
    Shown {
        scope_title: scope_title(index, scope),
        why,
        groups,
    }
}

/// "Top level", "Map ‘X’ iteration 3", "Parallel ‘P’ branch 2".
fn scope_title(index: &RunIndex, scope: u32) -> String {
    if scope == 0 {
        return "Top level".to_string();
    }
    let Some((_, Some(container))) = index.scope_parent(scope) else {
        return format!("Scope {scope}");
    };
    let Some(visit) = index.visits().get(container) else {
        return format!("Scope {scope}");
    };
    let name = index
        .state_names()
        .get(visit.state as usize)
        .map(|n| n.to_string())
        .unwrap_or_default();
    let slot = index
        .child_scopes(container)
        .iter()
        .find(|(_, s)| *s == scope)
        .map(|(slot, _)| *slot);
    match (index.state_type(visit.state), slot) {
        ("Map", Some(slot)) => format!("Map ‘{name}’ iteration {slot}"),
        (_, Some(slot)) => format!("Parallel ‘{name}’ branch {}", slot + 1),
        _ => format!("‘{name}’"),
    }
}
