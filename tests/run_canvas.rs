//! The run drawn on the Design canvas, driven like a person (egui_kittest): per-state mocks
//! typed into the run view, F5, and the canvas read as a screen reader reads it (each state
//! says what the run did there); breakpoints set with a node's dot and its context menu; a
//! run made stale by an edit colours nothing.

use asl_studio::app::DesignerApp;
use asl_studio::app::design::DesignAction;
use asl_studio::asl::graph_edit::StateRef;
use asl_studio::engine::debug::VisitStatus;
use egui::accesskit::{Role, Toggled};
use egui::{Key, Modifiers, PointerButton, Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use serde_json::json;
use std::time::{Duration, Instant};

/// Prepare (Pass) → Charge (Task) → Done (Succeed).
fn start() -> Harness<'static, DesignerApp> {
    let definition = json!({"StartAt": "Prepare", "States": {
        "Prepare": {"Type": "Pass", "Result": {"amount": 12}, "Next": "Charge"},
        "Charge": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
            "Next": "Done"
        },
        "Done": {"Type": "Succeed"}
    }});
    let text = serde_json::to_string_pretty(&definition).unwrap() + "\n";
    let mut harness = Harness::builder()
        .with_size(Vec2::new(1400.0, 1000.0))
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(200)
        .build_eframe(move |_cc| DesignerApp::for_test(&text, None));
    harness.run();
    harness
}

fn click(harness: &mut Harness<'_, DesignerApp>, label: &str) {
    harness.get_by_label(label).click();
    harness.run();
}

fn press(harness: &mut Harness<'_, DesignerApp>, key: Key) {
    harness.key_press(key);
    harness.run();
}

/// Opens the run view and types per-state mocks into its Input tab.
fn type_mocks(harness: &mut Harness<'_, DesignerApp>, mocks: &serde_json::Value) {
    click(harness, "▸ Executions");
    click(harness, "Mocks per state");
    // The mocks' editor is the lowest multi-line field of the Input tab (the input is above).
    harness
        .get_all_by_role(Role::MultilineTextInput)
        .max_by(|a, b| a.rect().min.y.total_cmp(&b.rect().min.y))
        .expect("the mocks editor")
        .click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.event(egui::Event::Text(mocks.to_string()));
    harness.run();
    // Leave the field, so that the keys reach the window.
    press(harness, Key::Escape);
}

/// Runs frames until a background Continue stops.
fn settle(harness: &mut Harness<'_, DesignerApp>) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while harness
        .state()
        .run_view()
        .run()
        .is_some_and(|r| r.is_busy())
    {
        assert!(Instant::now() < deadline, "the run did not stop");
        std::thread::sleep(Duration::from_millis(10));
        harness.step();
    }
    harness.run();
}

/// A person's run: the task's answer typed as a mock, then F5.
fn run_with_mocks(harness: &mut Harness<'_, DesignerApp>) {
    type_mocks(
        harness,
        &json!({"Charge": {"0": {"Return": {"Payload": {"charged": true}}}}}),
    );
    press(harness, Key::F5);
    settle(harness);
}

/// The canvas node of a state, as announced: "Charge" or "Charge, succeeded".
fn node_says(harness: &Harness<'_, DesignerApp>, label: &str) -> bool {
    harness
        .query_by_role_and_label(Role::Button, label)
        .is_some()
}

fn state_center(harness: &Harness<'_, DesignerApp>, name: &str) -> Pos2 {
    harness
        .state()
        .design()
        .state_screen_rect(&StateRef::top(name))
        .unwrap_or_else(|| panic!("{name} is on the canvas"))
        .center()
}

/// A click where the pointer is (the canvas's accessibility rectangles are in scene units).
fn click_at(harness: &mut Harness<'_, DesignerApp>, pos: Pos2, button: PointerButton) {
    harness.hover_at(pos);
    harness.run();
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button,
            pressed,
            modifiers: Modifiers::NONE,
        });
        harness.run();
    }
}

fn has_breakpoint(harness: &Harness<'_, DesignerApp>, state: &str) -> bool {
    harness.state().run_view().breakpoints().has(state)
}

#[test]
fn a_finished_run_colours_every_state_it_passed() {
    let mut harness = start();
    assert!(node_says(&harness, "Charge"), "no run: the plain name");
    run_with_mocks(&mut harness);
    let revision = harness.state().session().parsed_revision();
    let overlay = harness
        .state_mut()
        .run_view_mut()
        .overlay(revision)
        .expect("a run");
    assert!(!overlay.stale);
    for state in ["Prepare", "Charge", "Done"] {
        assert_eq!(
            overlay.states.get(state).map(|s| s.status),
            Some(VisitStatus::Succeeded),
            "{state}"
        );
    }
    assert!(
        overlay
            .taken
            .contains(&("Prepare".to_string(), "Charge".to_string()))
    );
    // What the screen shows: each state says it succeeded, and the legend explains colours.
    for state in ["Prepare", "Charge", "Done"] {
        assert!(
            node_says(&harness, &format!("{state}, succeeded")),
            "{state} reads as succeeded"
        );
    }
    assert!(
        harness.query_by_label("caught an error").is_some(),
        "legend"
    );
    // Hovering a coloured state tells what happened there.
    let charge = state_center(&harness, "Charge");
    harness.hover_at(charge);
    for _ in 0..60 {
        harness.step();
    }
    harness.run();
    assert!(
        harness.query_by_label("succeeded · 1 visit").is_some(),
        "the tooltip"
    );
}

#[test]
fn the_dot_and_the_context_menu_toggle_a_breakpoint() {
    let mut harness = start();
    let label = "Breakpoint: Charge";
    let toggled =
        |harness: &Harness<'_, DesignerApp>| harness.get_by_label(label).accesskit_node().toggled();
    assert_eq!(toggled(&harness), Some(Toggled::False));
    let dot = harness
        .state()
        .design()
        .breakpoint_dot_screen_pos(&StateRef::top("Charge"))
        .expect("Charge is on the canvas");
    click_at(&mut harness, dot, PointerButton::Primary);
    assert!(has_breakpoint(&harness, "Charge"), "the dot sets it");
    assert_eq!(toggled(&harness), Some(Toggled::True));
    assert!(
        harness.state().selected().is_empty(),
        "the dot is not the node"
    );
    click_at(&mut harness, dot, PointerButton::Primary);
    assert!(!has_breakpoint(&harness, "Charge"), "and clears it");

    let charge = state_center(&harness, "Charge");
    click_at(&mut harness, charge, PointerButton::Secondary);
    assert_eq!(harness.state().selected(), [StateRef::top("Charge")]);
    harness.get_by_label_contains("Toggle breakpoint").click();
    harness.run();
    assert!(has_breakpoint(&harness, "Charge"), "the menu sets it");
    assert!(
        harness
            .query_by_label_contains("Toggle breakpoint")
            .is_none(),
        "the menu closed"
    );

    // The run stops before Charge: Prepare is done and Charge is next.
    press(&mut harness, Key::F5);
    settle(&mut harness);
    assert!(node_says(&harness, "Prepare, succeeded"));
    assert!(node_says(&harness, "Charge, next"));
}

#[test]
fn an_edit_after_the_run_leaves_the_canvas_uncoloured() {
    let mut harness = start();
    run_with_mocks(&mut harness);
    assert!(node_says(&harness, "Charge, succeeded"));
    let ctx = harness.ctx.clone();
    harness.state_mut().apply_design_action(
        &ctx,
        DesignAction::Rename {
            state: StateRef::top("Prepare"),
            name: "Get ready".into(),
        },
    );
    harness.run();
    let coloured = harness
        .query_all_by(|node| {
            node.role() == Role::Button
                && node
                    .label()
                    .is_some_and(|label| label.contains(", succeeded"))
        })
        .count();
    assert_eq!(coloured, 0, "no state reads as succeeded");
    assert!(node_says(&harness, "Charge"));
    assert!(harness.query_by_label_contains("Run is stale").is_some());
}
