//! The run panel's Events, Variables and Map & Parallel tabs driven like a person
//! (egui_kittest): open a Map iteration, filter and pick events, read the variables, and scroll
//! a 25,000-event history.

use asl_studio::app::DesignerApp;
use asl_studio::app::run::RunTab;
use asl_studio::asl::graph_edit::StateRef;
use asl_studio::engine::ExecutionStatus;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn start(app: DesignerApp) -> Harness<'static, DesignerApp> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 1000.0))
        .with_max_steps(200)
        .build_eframe(move |_cc| app);
    harness.run();
    harness
}

/// A designer on `definition`, saved in `dir`, with `input` typed for the run.
fn open(dir: &Path, definition: &Value, input: &str) -> Harness<'static, DesignerApp> {
    let text = serde_json::to_string_pretty(definition).unwrap() + "\n";
    let path: PathBuf = dir.join("flow.asl.json");
    std::fs::write(&path, &text).unwrap();
    let mut app = DesignerApp::for_test(&text, Some(path.clone()));
    *app.run_view_mut().input_text(Some(&path)) = input.to_string();
    start(app)
}

fn click(harness: &mut Harness<'_, DesignerApp>, label: &str) {
    harness.get_by_label(label).click();
    harness.run();
}

/// Runs frames until the background Continue stops.
fn settle(harness: &mut Harness<'_, DesignerApp>) {
    let deadline = Instant::now() + Duration::from_secs(120);
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

/// F5, as a person runs the workflow, then waits for the end.
fn run_to_end(harness: &mut Harness<'_, DesignerApp>) -> ExecutionStatus {
    harness.key_press(egui::Key::F5);
    harness.run();
    settle(harness);
    let status = harness.state().run_view().run().map(|r| r.status());
    status.expect("a run")
}

/// The history rows laid out this frame (each is one accessible node "Event #<id> …").
fn event_rows(harness: &Harness<'_, DesignerApp>) -> Vec<String> {
    harness
        .query_all_by(|node| node.label().is_some_and(|l| l.starts_with("Event #")))
        .filter_map(|node| node.accesskit_node().label())
        .collect()
}

/// The whole label of the node whose label contains `text`.
fn label_containing(harness: &Harness<'_, DesignerApp>, text: &str) -> String {
    let node = harness.get_by_label_contains(text);
    let node = node.accesskit_node();
    node.label().or_else(|| node.value()).unwrap_or_default()
}

/// The text shown in the combo box whose text contains `text`.
fn combo_text(harness: &Harness<'_, DesignerApp>, text: &str) -> String {
    let node = harness
        .get_by(|n| n.role() == Role::ComboBox && n.value().is_some_and(|v| v.contains(text)));
    node.accesskit_node().value().unwrap_or_default()
}

fn row_id(label: &str) -> u64 {
    label
        .trim_start_matches("Event #")
        .split(' ')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or(0)
}

/// A Distributed Map over the input's items; item 2 fails (one failure is tolerated).
fn map_flow() -> Value {
    json!({"StartAt": "Process", "States": {
        "Process": {"Type": "Map", "ItemsPath": "$.items", "ToleratedFailureCount": 1,
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                "StartAt": "Check", "States": {
                    "Check": {"Type": "Choice",
                        "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "Boom"}],
                        "Default": "Work"},
                    "Boom": {"Type": "Fail", "Error": "Bad.Item", "Cause": "item two"},
                    "Work": {"Type": "Pass", "End": true}}},
            "End": true}}})
}

const PROCESSOR: &str = "/States/Process/ItemProcessor";

#[test]
fn a_map_iteration_opens_from_the_map_and_parallel_tab() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path(), &map_flow(), r#"{"items": [0, 1, 2, 3, 4]}"#);
    assert_eq!(run_to_end(&mut harness), ExecutionStatus::Succeeded);

    click(&mut harness, "Map & Parallel");
    assert_eq!(harness.state().run_view().tab(), RunTab::Children);
    let summary = combo_text(&harness, "5/5 items");
    assert!(summary.contains("1 failed"), "{summary}");
    // The distributed map's run, with its tolerance.
    let map_run = label_containing(&harness, "Map run:");
    assert!(map_run.contains("4 succeeded"), "{map_run}");
    assert!(map_run.contains("tolerated: 1 (within)"), "{map_run}");
    let failed = label_containing(&harness, "Iteration 2 ·");
    assert!(
        failed.contains("failed") && failed.contains("Bad.Item"),
        "{failed}"
    );

    // Open iteration 3: its last visit is picked for the data flow, its state on the canvas.
    harness.get_by_label_contains("Iteration 3 ·").click();
    harness.run();
    let view = harness.state().run_view();
    let visit = view.selected_visit().expect("a visit is selected");
    let run = view.run().expect("the run");
    {
        let index = run.index();
        let picked = index.visits()[visit].clone();
        assert_eq!(&*index.state_names()[picked.state as usize], "Work");
        let map_visit = index
            .visits()
            .iter()
            .position(|v| index.state_type(v.state) == "Map")
            .expect("the Map's visit");
        assert!(index.child_scopes(map_visit).contains(&(3, picked.scope)));
    }
    assert_eq!(
        harness.state().selected(),
        &[StateRef::new(PROCESSOR, "Work")]
    );

    // Its path: Check then Work. Clicking Check moves the time cursor to its entry.
    harness.get_by_label("Visit 2 Work · succeeded");
    harness.get_by_label("Visit 1 Check · succeeded").click();
    harness.run();
    let view = harness.state().run_view();
    let visit = view.selected_visit().expect("a visit is selected");
    let run = view.run().expect("the run");
    let entered = run.index().visits()[visit].entered;
    assert_eq!(run.cursor(), entered);
    assert_eq!(
        harness.state().selected(),
        &[StateRef::new(PROCESSOR, "Check")]
    );
}

#[test]
fn the_events_tab_filters_and_moves_the_cursor() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path(), &map_flow(), r#"{"items": [0, 1, 2, 3, 4]}"#);
    run_to_end(&mut harness);
    click(&mut harness, "Events");
    let all = event_rows(&harness);
    assert!(!all.is_empty());

    harness
        .get_by_role_and_label(Role::TextInput, "Filter")
        .click();
    harness.run();
    harness.event(egui::Event::Text("Failed".to_string()));
    harness.run();
    let failed = event_rows(&harness);
    assert!(!failed.is_empty() && failed.len() < all.len(), "{failed:?}");
    assert!(
        failed.iter().all(|l| l.to_lowercase().contains("failed")),
        "{failed:?}"
    );

    // A click on the MapIterationFailed row: the cursor goes there, the Map is selected.
    let row = failed
        .iter()
        .find(|l| l.contains("MapIterationFailed"))
        .cloned()
        .expect("the failed iteration's event");
    harness.get_by_label(&row).click();
    harness.run();
    let view = harness.state().run_view();
    let id = row_id(&row);
    assert_eq!(view.selected_event(), Some(id));
    assert_eq!(view.run().map(|r| r.cursor()), Some(id));
    assert_eq!(harness.state().selected(), &[StateRef::top("Process")]);
    // The event's JSON shows beside the table.
    harness.get_by_label_contains("\"mapIterationFailedEventDetails\"");

    // Errors only, with the text cleared: the failure events alone.
    click(&mut harness, "Clear");
    harness.get_by_label("Errors only").click();
    harness.run();
    let errors = event_rows(&harness);
    assert!(
        errors.iter().any(|l| l.contains("MapIterationFailed")),
        "{errors:?}"
    );
    assert!(
        errors.iter().all(|l| !l.contains("StateEntered")),
        "{errors:?}"
    );
}

#[test]
fn variables_show_with_the_state_that_assigned_them() {
    let flow = json!({"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Assign": {"count": 1, "who": "{% $states.input.name %}"},
            "Next": "Bump"},
        "Bump": {"Type": "Pass", "Assign": {"count": "{% $count + 1 %}"}, "End": true}}});
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path(), &flow, r#"{"name": "Ada"}"#);
    assert_eq!(run_to_end(&mut harness), ExecutionStatus::Succeeded);
    harness
        .state_mut()
        .run_view_mut()
        .set_tab(RunTab::Variables);
    harness.run();
    let count = label_containing(&harness, "$count = 2");
    assert!(count.contains("← Bump"), "{count}");
    let who = label_containing(&harness, "$who = ");
    assert!(who.contains("\"Ada\"") && who.contains("← Init"), "{who}");
    assert!(harness.get_all_by_label_contains("Top level").count() > 0);

    // Back in time, after Init: count was 1.
    let init_exited = {
        let run = harness.state().run_view().run().expect("the run");
        run.history()
            .iter()
            .find(|e| e.kind.type_name() == "PassStateExited")
            .map(|e| e.id)
            .expect("Init exited")
    };
    harness
        .state_mut()
        .run_view_mut()
        .run_mut()
        .expect("the run")
        .set_cursor(init_exited);
    harness.run();
    let count = label_containing(&harness, "$count = 1");
    assert!(count.contains("← Init"), "{count}");

    // Expanding a variable shows its assigning state's button, which selects it.
    harness.get_by_label_contains("$who = ").click();
    harness.run();
    click(&mut harness, "Select state");
    assert_eq!(harness.state().selected(), &[StateRef::top("Init")]);
}

#[test]
fn a_25000_event_history_scrolls_with_only_the_visible_rows_laid_out() {
    // An endless loop: a Standard run stops at AWS's 25,000-event cap.
    let flow = json!({"StartAt": "Ping", "States": {
        "Ping": {"Type": "Pass", "Next": "Again"},
        "Again": {"Type": "Choice",
            "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "Done"}],
            "Default": "Ping"},
        "Done": {"Type": "Succeed"}}});
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path(), &flow, "{}");
    assert_eq!(run_to_end(&mut harness), ExecutionStatus::Failed);
    let head = harness.state().run_view().run().map_or(0, |r| r.head());
    assert!(head >= 25_000, "{head}");
    click(&mut harness, "Events");

    // The table follows the cursor: the newest events show, and only a screenful of rows.
    let rows = event_rows(&harness);
    assert!(!rows.is_empty() && rows.len() < 100, "{} rows", rows.len());
    assert!(rows.iter().any(|l| row_id(l) == head), "{rows:?}");

    // Scroll up with the wheel, frame by frame.
    let mut first = rows.iter().map(|l| row_id(l)).min().unwrap_or(0);
    for _ in 0..20 {
        // A row in the middle (the first and last may be partly scrolled out).
        let rows = event_rows(&harness);
        let pos = harness.get_by_label(&rows[rows.len() / 2]).rect().center();
        harness.hover_at(pos);
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, 4000.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
            modifiers: egui::Modifiers::NONE,
        });
        harness.run();
        let rows = event_rows(&harness);
        assert!(!rows.is_empty() && rows.len() < 100, "{} rows", rows.len());
        let top = rows.iter().map(|l| row_id(l)).min().unwrap_or(0);
        assert!(top <= first, "scrolling up shows earlier events");
        first = top;
    }
    assert!(first < head - 1_000, "the wheel scrolled far: {first}");

    // A filter over all 25,000 events, then frames that reuse it.
    harness
        .get_by_role_and_label(Role::TextInput, "Filter")
        .click();
    harness.run();
    harness.event(egui::Event::Text("ExecutionFailed".to_string()));
    harness.run();
    for _ in 0..3 {
        harness.step();
    }
    let rows = event_rows(&harness);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].contains("States.Runtime") || rows[0].contains("ExecutionFailed"));
}

#[test]
fn a_parallel_branch_opens_and_its_variables_show_by_scope() {
    let flow = json!({"QueryLanguage": "JSONata", "StartAt": "Setup", "States": {
        "Setup": {"Type": "Pass", "Assign": {"region": "eu"}, "Next": "Both"},
        "Both": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": true}}},
            {"StartAt": "Right", "States": {
                "Right": {"Type": "Pass", "Assign": {"side": "right"}, "Next": "Last"},
                "Last": {"Type": "Pass", "End": true}}}]}}});
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path(), &flow, "{}");
    assert_eq!(run_to_end(&mut harness), ExecutionStatus::Succeeded);
    harness.state_mut().run_view_mut().set_tab(RunTab::Children);
    harness.run();
    let summary = combo_text(&harness, "Parallel ‘Both’ (visit 1)");
    assert!(summary.contains("2/2 branches"), "{summary}");
    harness
        .get_by_label_contains("Branch 2 · succeeded")
        .click();
    harness.run();
    assert_eq!(
        harness.state().selected(),
        &[StateRef::new("/States/Both/Branches/1", "Last")]
    );

    // The branch's variables, then the top level's it can see.
    harness
        .state_mut()
        .run_view_mut()
        .set_tab(RunTab::Variables);
    harness.run();
    assert!(
        harness
            .get_all_by_label_contains("Parallel ‘Both’ branch 2")
            .count()
            > 0
    );
    let side = label_containing(&harness, "$side = ");
    assert!(side.contains("← Right"), "{side}");
    let region = label_containing(&harness, "$region = ");
    assert!(region.contains("← Setup"), "{region}");
}
