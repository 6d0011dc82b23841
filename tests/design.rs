//! The Design tab driven like a person (egui_kittest): drag from the States browser onto the
//! canvas, drop into empty branches, select and delete, edit a Choice rule in the inspector,
//! and undo each step back to the original text.

use asl_studio::app::DesignerApp;
use asl_studio::asl::graph_edit::{DropTarget, EdgeRef, Slot, StateRef};
use egui::accesskit::Role;
use egui::{Modifiers, Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use serde_json::{Value, json};

fn start(definition: Value) -> Harness<'static, DesignerApp> {
    let text = serde_json::to_string_pretty(&definition).unwrap() + "\n";
    let mut harness = Harness::builder()
        .with_size(Vec2::new(1400.0, 900.0))
        // Frames a 60th of a second apart, as on screen (a double click needs < 0.3 s).
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(120)
        .build_eframe(move |_cc| DesignerApp::for_test(&text, None));
    harness.run();
    harness
}

fn text(harness: &Harness<'_, DesignerApp>) -> String {
    harness.state().session().text().to_string()
}

fn at(harness: &Harness<'_, DesignerApp>, pointer: &str) -> Value {
    harness
        .state()
        .session()
        .current_doc()
        .and_then(|doc| doc.value().pointer(pointer).cloned())
        .unwrap_or(Value::Null)
}

fn chain() -> Value {
    json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Pass", "Next": "C"},
        "C": {"Type": "Succeed"}
    }})
}

/// A → B → C → D (Succeed).
fn chain_of_four() -> Value {
    json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Pass", "Next": "C"},
        "C": {"Type": "Pass", "Next": "D"},
        "D": {"Type": "Succeed"}
    }})
}

fn state_center(harness: &Harness<'_, DesignerApp>, name: &str) -> Pos2 {
    harness
        .state()
        .design()
        .state_screen_rect(&StateRef::top(name))
        .unwrap_or_else(|| panic!("{name} is on the canvas"))
        .center()
}

fn click_at(harness: &mut Harness<'_, DesignerApp>, pos: Pos2, modifiers: Modifiers) {
    harness.hover_at(pos);
    harness.run();
    // Held keys arrive as their own event, as from a keyboard.
    harness.event(egui::Event::ModifiersChanged(modifiers));
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers,
        });
        harness.run();
    }
    harness.event(egui::Event::ModifiersChanged(Modifiers::NONE));
    harness.run();
}

/// Presses on `from`, moves in steps to wherever `to` says (asked again each time: drop places
/// appear only once a drag is under way), and releases there.
fn drag(
    harness: &mut Harness<'_, DesignerApp>,
    from: Pos2,
    to: impl Fn(&DesignerApp) -> Option<Pos2>,
) {
    harness.hover_at(from);
    harness.run();
    harness.drag_at(from);
    harness.run();
    let mut pointer = from;
    for _ in 0..3 {
        pointer += Vec2::new(12.0, 12.0);
        harness.hover_at(pointer);
        harness.run();
    }
    let target = to(harness.state()).expect("the drop place shows while dragging");
    for step in 1..=4 {
        harness.hover_at(pointer + (target - pointer) * (step as f32 / 4.0));
        harness.run();
    }
    let target = to(harness.state()).expect("the drop place still shows");
    harness.hover_at(target);
    harness.run();
    harness.drop_at(target);
    harness.run();
}

/// Types into the States browser's search box, replacing what was there.
fn search(harness: &mut Harness<'_, DesignerApp>, text: &str) {
    harness.get_by_label("Search").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::A);
    harness.event(egui::Event::Text(text.to_string()));
    harness.run();
}

/// Drags the browser entry `item` onto the drop place `target`.
fn drop_item(harness: &mut Harness<'_, DesignerApp>, item: &str, target: DropTarget) {
    search(harness, item);
    let source = harness
        .get_by_role_and_label(Role::Label, item)
        .rect()
        .center();
    drag(harness, source, |app| app.design().zone_screen_pos(&target));
}

fn undo(harness: &mut Harness<'_, DesignerApp>) {
    // Undo is a window shortcut: make sure no text field has the keyboard.
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run();
}

fn next_edge(from: &str) -> DropTarget {
    DropTarget::Edge(EdgeRef::from_state(&StateRef::top(from), Slot::Next))
}

#[test]
fn a_pass_dropped_on_an_edge_is_wired_in_and_undo_takes_it_out() {
    let mut harness = start(chain());
    let original = text(&harness);
    drop_item(&mut harness, "Pass", next_edge("A"));
    assert_eq!(at(&harness, "/States/A/Next"), "Pass");
    assert_eq!(at(&harness, "/States/Pass/Next"), "B");
    // The new state is selected everywhere: canvas, inspector, code.
    assert_eq!(harness.state().selected(), [StateRef::top("Pass")]);
    assert_eq!(
        harness.state().selection().pointer().as_deref(),
        Some("/States/Pass")
    );
    undo(&mut harness);
    assert_eq!(text(&harness), original);
}

#[test]
fn a_parallel_then_a_task_in_its_empty_branch_and_both_undone() {
    let mut harness = start(chain());
    let original = text(&harness);
    drop_item(&mut harness, "Parallel", next_edge("A"));
    assert_eq!(at(&harness, "/States/A/Next"), "Parallel");
    assert_eq!(at(&harness, "/States/Parallel/Next"), "B");
    let with_parallel = text(&harness);
    let branch = DropTarget::Empty {
        scope: "/States/Parallel/Branches/1".into(),
    };
    drop_item(&mut harness, "Lambda Invoke", branch);
    let inside = "/States/Parallel/Branches/1";
    assert_eq!(at(&harness, &format!("{inside}/StartAt")), "Lambda Invoke");
    assert_eq!(
        at(&harness, &format!("{inside}/States/Lambda Invoke/Resource")),
        "arn:aws:states:::lambda:invoke"
    );
    undo(&mut harness);
    assert_eq!(text(&harness), with_parallel);
    undo(&mut harness);
    assert_eq!(text(&harness), original);
}

#[test]
fn deleting_a_middle_state_reconnects_its_neighbours_until_undone() {
    let mut harness = start(chain());
    let original = text(&harness);
    let b = state_center(&harness, "B");
    click_at(&mut harness, b, Modifiers::NONE);
    assert_eq!(harness.state().selected(), [StateRef::top("B")]);
    harness.key_press(egui::Key::Delete);
    harness.run();
    assert_eq!(at(&harness, "/States/A/Next"), "C");
    assert_eq!(at(&harness, "/States/B"), Value::Null);
    undo(&mut harness);
    assert_eq!(text(&harness), original);
}

#[test]
fn a_choice_operator_changed_in_the_inspector_rewrites_the_rule_until_undone() {
    let mut harness = start(json!({"StartAt": "Pick", "States": {
        "Pick": {"Type": "Choice", "Choices": [
            {"Variable": "$.n", "StringEquals": "42", "Next": "Big"}
        ], "Default": "Small"},
        "Big": {"Type": "Succeed"},
        "Small": {"Type": "Succeed"}
    }}));
    let original = text(&harness);
    let pick = state_center(&harness, "Pick");
    click_at(&mut harness, pick, Modifiers::NONE);
    harness.get_by_label("Operator").click();
    harness.run();
    harness.get_by_label("NumericGreaterThan").scroll_to_me();
    harness.run();
    harness.get_by_label("NumericGreaterThan").click();
    harness.run();
    assert_eq!(
        at(&harness, "/States/Pick/Choices/0"),
        json!({"Variable": "$.n", "NumericGreaterThan": 42, "Next": "Big"})
    );
    undo(&mut harness);
    assert_eq!(text(&harness), original);
}

#[test]
fn a_state_dragged_onto_another_edge_moves_there() {
    let mut harness = start(chain_of_four());
    let b = state_center(&harness, "B");
    let target = next_edge("C");
    drag(&mut harness, b, |app| app.design().zone_screen_pos(&target));
    assert_eq!(at(&harness, "/States/A/Next"), "C");
    assert_eq!(at(&harness, "/States/C/Next"), "B");
    assert_eq!(at(&harness, "/States/B/Next"), "D");
}

#[test]
fn an_edge_end_dragged_onto_another_state_retargets_it() {
    let mut harness = start(chain());
    let a = state_center(&harness, "A");
    click_at(&mut harness, a, Modifiers::NONE);
    let b = harness
        .state()
        .design()
        .state_screen_rect(&StateRef::top("B"))
        .unwrap();
    let c = state_center(&harness, "C");
    // The handle sits on A's edge just above B.
    let handle = Pos2::new(
        b.center().x,
        b.min.y - 6.0 * harness.state().design().zoom(),
    );
    drag(&mut harness, handle, |_| Some(c));
    assert_eq!(at(&harness, "/States/A/Next"), "C");
}

#[test]
fn double_click_renames_in_place_and_references_follow() {
    let mut harness = start(chain());
    let b = state_center(&harness, "B");
    harness.hover_at(b);
    harness.run();
    for pressed in [true, false, true, false] {
        harness.event(egui::Event::PointerButton {
            pos: b,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::A);
    harness.event(egui::Event::Text("Check".into()));
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(at(&harness, "/States/A/Next"), "Check");
    assert_eq!(at(&harness, "/States/Check/Next"), "C");
}

#[test]
fn duplicate_copy_and_paste_work_on_the_selection() {
    let mut harness = start(chain());
    let a = state_center(&harness, "A");
    click_at(&mut harness, a, Modifiers::NONE);
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::D);
    harness.run();
    assert_eq!(at(&harness, "/States/A/Next"), "A (1)");
    assert_eq!(at(&harness, "/States/A (1)/Next"), "B");
    // Copy B, select C's predecessor A (1)… paste after the selection.
    let b = state_center(&harness, "B");
    click_at(&mut harness, b, Modifiers::NONE);
    harness.event(egui::Event::Copy);
    harness.run();
    let copied = harness
        .output()
        .platform_output
        .commands
        .iter()
        .find_map(|c| match c {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        });
    let copied = copied.or_else(|| {
        // The copy happened in an earlier frame of `run`: ask the core for the same text.
        let doc = harness.state().session().current_doc()?;
        asl_studio::asl::graph_edit::Fragment::copy_of(doc, &[StateRef::top("B")])
            .ok()
            .map(|f| f.to_text())
    });
    let copied = copied.expect("the copied ASL");
    assert!(copied.contains("\"StartAt\": \"B\""));
    harness.event(egui::Event::Paste(copied));
    harness.run();
    assert_eq!(at(&harness, "/States/B/Next"), "B (1)");
    assert_eq!(at(&harness, "/States/B (1)/Next"), "C");
}

#[test]
fn shift_click_selects_several_and_delete_removes_them_all() {
    let mut harness = start(chain_of_four());
    let b = state_center(&harness, "B");
    let c = state_center(&harness, "C");
    click_at(&mut harness, b, Modifiers::NONE);
    click_at(&mut harness, c, Modifiers::SHIFT);
    assert_eq!(
        harness.state().selected(),
        [StateRef::top("B"), StateRef::top("C")]
    );
    harness.key_press(egui::Key::Delete);
    harness.run();
    assert_eq!(at(&harness, "/States/A/Next"), "D");
}

#[test]
fn selecting_on_the_canvas_selects_the_state_in_the_code() {
    let mut harness = start(chain());
    let b = state_center(&harness, "B");
    click_at(&mut harness, b, Modifiers::NONE);
    harness.get_by_label("Code").click();
    harness.run();
    // The Code tab shows with the state's name selected, and the outline shows it too.
    assert_eq!(
        harness.state().selection().pointer().as_deref(),
        Some("/States/B")
    );
    harness.get_by_role_and_label(Role::Button, "B");
}

#[test]
fn shift_dragging_a_box_selects_the_states_it_touches() {
    let mut harness = start(chain_of_four());
    let rect = |harness: &Harness<'_, DesignerApp>, name: &str| {
        harness
            .state()
            .design()
            .state_screen_rect(&StateRef::top(name))
            .unwrap_or_else(|| panic!("{name} is on the canvas"))
    };
    let (a, b, c, d) = (
        rect(&harness, "A"),
        rect(&harness, "B"),
        rect(&harness, "C"),
        rect(&harness, "D"),
    );
    // From the empty canvas left of the A→B edge to the right of the C→D edge.
    let from = Pos2::new(b.left() - 40.0, (a.bottom() + b.top()) / 2.0);
    let to = Pos2::new(c.right() + 40.0, (c.bottom() + d.top()) / 2.0);
    harness.hover_at(from);
    harness.run();
    harness.event(egui::Event::ModifiersChanged(Modifiers::SHIFT));
    harness.event(egui::Event::PointerButton {
        pos: from,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::SHIFT,
    });
    harness.run();
    for step in 1..=6 {
        harness.hover_at(from + (to - from) * (step as f32 / 6.0));
        harness.run();
    }
    harness.event(egui::Event::PointerButton {
        pos: to,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::SHIFT,
    });
    harness.run();
    harness.event(egui::Event::ModifiersChanged(Modifiers::NONE));
    harness.run();
    assert_eq!(
        harness.state().selected(),
        [StateRef::top("B"), StateRef::top("C")]
    );
    // The view did not pan while the box was drawn.
    assert_eq!(rect(&harness, "B"), b);
}
