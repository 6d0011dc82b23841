//! The designer driven like a person, through AccessKit labels (egui_kittest).

use asl_studio::app::{DesignerApp, DesignerOptions, Tab};
use asl_studio::asl::graph_edit::StateRef;
use asl_studio::templates;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn start(app: DesignerApp) -> Harness<'static, DesignerApp> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_max_steps(200)
        .build_eframe(move |_cc| app);
    harness.run();
    harness
}

fn open(path: &Path) -> Harness<'static, DesignerApp> {
    start(DesignerApp::with_options(DesignerOptions::headless(Some(
        path.to_path_buf(),
    ))))
}

fn click(harness: &mut Harness<'_, DesignerApp>, label: &str) {
    harness.get_by_label(label).click();
    harness.run();
}

fn press_command(harness: &mut Harness<'_, DesignerApp>, key: egui::Key, shift: bool) {
    let modifiers = if shift {
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT
    } else {
        egui::Modifiers::COMMAND
    };
    harness.key_press_modifiers(modifiers, key);
    harness.run();
}

fn type_text(harness: &mut Harness<'_, DesignerApp>, text: &str) {
    harness.event(egui::Event::Text(text.to_string()));
    harness.run();
}

fn state_names(harness: &Harness<'_, DesignerApp>) -> Vec<String> {
    harness
        .state()
        .session()
        .machine()
        .map(|m| m.states.keys().cloned().collect())
        .unwrap_or_default()
}

/// Selects a state in the browser while the Code tab shows: its name gets selected in the text.
fn select_in_browser(harness: &mut Harness<'_, DesignerApp>, name: &str) {
    // The browser's entry is the only plain button with exactly the state's name.
    harness.get_by_role_and_label(Role::Button, name).click();
    harness.run();
}

fn temp_file(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("flow.asl.json");
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs frames until `done` holds (the watcher works on its own thread and a 1 s poll).
fn wait_until(harness: &mut Harness<'_, DesignerApp>, done: impl Fn(&DesignerApp) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done(harness.state()) {
        assert!(Instant::now() < deadline, "timed out waiting");
        std::thread::sleep(Duration::from_millis(50));
        harness.step();
    }
    harness.run();
}

#[test]
fn template_tabs_rename_broken_text_and_undo_to_the_start() {
    let mut harness = start(DesignerApp::with_options(DesignerOptions::headless(None)));
    // New from a template, through the File menu and the dialog.
    let template = &templates::all()[1];
    click(&mut harness, "File");
    harness.get_by_label_contains("New from template").click();
    harness.run();
    click(&mut harness, template.title);
    click(&mut harness, "Create");
    assert_eq!(harness.state().session().text(), template.text);
    let original = template.text.to_string();
    let first = state_names(&harness)[0].clone();
    let start_at = harness
        .state()
        .session()
        .machine()
        .unwrap()
        .start_at
        .clone();
    assert_eq!(first, start_at, "the template starts at its first state");

    // Switch tabs.
    click(&mut harness, "Config");
    assert_eq!(harness.state().tab(), Tab::Config);
    harness.get_by_role_and_label(Role::TextInput, "Comment");
    click(&mut harness, "Design");
    assert_eq!(harness.state().tab(), Tab::Design);
    click(&mut harness, "Code");
    assert_eq!(harness.state().tab(), Tab::Code);

    // Rename the first state by typing over its key (selected from the browser)...
    select_in_browser(&mut harness, &first);
    type_text(&mut harness, "Renamed");
    assert_eq!(state_names(&harness)[0], "Renamed");
    harness.get_by_role_and_label(Role::Button, "Renamed");
    assert!(
        harness
            .query_by_role_and_label(Role::Button, &first)
            .is_none()
    );
    // ... which leaves StartAt dangling: the problems list says so; clicking the problem
    // selects the StartAt value, and typing fixes it.
    let problem = harness
        .state()
        .session()
        .diagnostics()
        .iter()
        .find(|d| d.pointer == "/StartAt")
        .map(|d| format!("{}  {}:{}", d.message, d.line, d.column))
        .expect("StartAt names a missing state");
    click(&mut harness, &problem);
    type_text(&mut harness, "\"Renamed\"");
    let session = harness.state().session();
    assert_eq!(session.machine().unwrap().start_at, "Renamed");
    assert!(
        session.diagnostics().iter().all(|d| !d.is_error()),
        "{:?}",
        session.diagnostics()
    );

    // Broken JSON: the diagnostic shows, the design keeps the last good model.
    type_text(&mut harness, "}}");
    let session = harness.state().session();
    assert!(session.parse_error().is_some());
    harness.get_by_label_contains("The text does not parse at line");
    assert_eq!(state_names(&harness)[0], "Renamed");
    harness.get_by_role_and_label(Role::Button, "Renamed");
    click(&mut harness, "Design");
    harness.get_by_label_contains("The design shows the last version that parsed.");
    // The canvas draws the last good version: its first state is the renamed one.
    harness.get_by_role_and_label(Role::Button, "Renamed");
    assert!(
        harness
            .state()
            .design()
            .state_screen_rect(&StateRef::top("Renamed"))
            .is_some()
    );

    // Undo everything, from any tab: back to the template's text exactly.
    for _ in 0..20 {
        if !harness.state().session().can_undo() {
            break;
        }
        press_command(&mut harness, egui::Key::Z, false);
    }
    assert_eq!(harness.state().session().text(), original);
    assert!(!harness.state().session().is_dirty());
    // And redo comes back through the button.
    click(&mut harness, "⟳ Redo");
    assert_eq!(state_names(&harness)[0], "Renamed");
}

#[test]
fn config_fields_edit_the_document_and_share_the_history() {
    let mut harness = start(DesignerApp::for_test(templates::starter().text, None));
    click(&mut harness, "Config");
    let comment = harness.get_by_role_and_label(Role::TextInput, "Comment");
    comment.focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    type_text(&mut harness, "Greets people");
    assert_eq!(
        harness
            .state()
            .session()
            .machine()
            .unwrap()
            .comment
            .as_deref(),
        Some("Greets people")
    );
    assert!(
        harness
            .state()
            .session()
            .text()
            .contains("\"Comment\": \"Greets people\"")
    );
    click(&mut harness, "⟲ Undo");
    assert_eq!(harness.state().session().text(), templates::starter().text);
}

#[test]
fn save_writes_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(dir.path(), templates::starter().text);
    let mut harness = open(&path);
    click(&mut harness, "Code");
    let first = state_names(&harness)[0].clone();
    select_in_browser(&mut harness, &first);
    type_text(&mut harness, "Saved state");
    assert!(harness.state().session().is_dirty());
    harness.get_by_label("●");
    press_command(&mut harness, egui::Key::S, false);
    let on_disk = std::fs::read_to_string(&path).unwrap();
    assert_eq!(on_disk, harness.state().session().text());
    assert!(on_disk.contains("\"Saved state\": {"));
    assert!(!harness.state().session().is_dirty());
    assert!(harness.query_by_label("●").is_none());
    assert!(harness.state().recent_files().paths[0].ends_with("flow.asl.json"));

    // Deployment settings go to the sidecar with the next save.
    click(&mut harness, "Config");
    click(&mut harness, "AWS X-Ray tracing");
    harness.get_by_label("●");
    press_command(&mut harness, egui::Key::S, false);
    let settings = asl_studio::export::DeploymentSettings::load(&path)
        .unwrap()
        .expect("a sidecar");
    assert!(settings.tracing);
    assert!(!harness.state().session().is_dirty());
}

#[test]
fn an_external_change_reloads_a_clean_document() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(dir.path(), templates::starter().text);
    let mut harness = open(&path);
    let first = state_names(&harness)[0].clone();
    let theirs = templates::starter()
        .text
        .replace(&format!("\"{first}\""), "\"From disk\"");
    std::fs::write(&path, &theirs).unwrap();
    wait_until(&mut harness, |app| app.session().text() == theirs);
    harness.get_by_role_and_label(Role::Button, "From disk");
    assert!(!harness.state().session().is_dirty());
}

/// Opens a file, makes an unsaved edit, changes the file on disk: the dialog appears.
fn conflict(dir: &Path) -> (Harness<'static, DesignerApp>, String, String) {
    let path = temp_file(dir, templates::starter().text);
    let mut harness = open(&path);
    click(&mut harness, "Code");
    let first = state_names(&harness)[0].clone();
    select_in_browser(&mut harness, &first);
    type_text(&mut harness, "Mine");
    let mine = harness.state().session().text().to_string();
    let theirs = templates::starter()
        .text
        .replace(&format!("\"{first}\""), "\"Theirs\"");
    std::fs::write(&path, &theirs).unwrap();
    (harness, mine, theirs)
}

fn wait_for_dialog(harness: &mut Harness<'_, DesignerApp>) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while harness.query_by_label("Keep mine").is_none() {
        assert!(
            Instant::now() < deadline,
            "the conflict dialog did not appear"
        );
        std::thread::sleep(Duration::from_millis(50));
        harness.step();
    }
    harness.get_by_label_contains("changed on disk");
}

#[test]
fn an_external_change_to_a_dirty_document_asks_keep_mine() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, mine, _) = conflict(dir.path());
    wait_for_dialog(&mut harness);
    click(&mut harness, "Keep mine");
    assert!(harness.query_by_label("Keep mine").is_none());
    assert_eq!(harness.state().session().text(), mine);
    assert!(harness.state().session().is_dirty());
}

#[test]
fn an_external_change_to_a_dirty_document_asks_take_theirs() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, mine, theirs) = conflict(dir.path());
    wait_for_dialog(&mut harness);
    click(&mut harness, "Take theirs");
    assert_eq!(harness.state().session().text(), theirs);
    assert!(!harness.state().session().is_dirty());
    harness.get_by_role_and_label(Role::Button, "Theirs");
    // Taking theirs is one undoable step: mine comes back.
    press_command(&mut harness, egui::Key::Z, false);
    assert_eq!(harness.state().session().text(), mine);
}

#[test]
fn an_external_change_to_a_dirty_document_asks_show_both() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, mine, theirs) = conflict(dir.path());
    wait_for_dialog(&mut harness);
    click(&mut harness, "Show both");
    harness.get_by_label("Mine (unsaved)");
    harness.get_by_label("Theirs (on disk)");
    // The differing line is shown on both sides.
    let changed = |text: &str, needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .map(|i| format!("{:>5}  {}", i + 1, text.lines().nth(i).unwrap_or("")))
            .unwrap()
    };
    harness.get_by_label(&changed(&mine, "\"Mine"));
    harness.get_by_label(&changed(&theirs, "\"Theirs\""));
    click(&mut harness, "Take theirs");
    assert_eq!(harness.state().session().text(), theirs);
}

#[test]
fn closing_with_unsaved_changes_asks_first() {
    let mut harness = start(DesignerApp::for_test(templates::starter().text, None));
    click(&mut harness, "Config");
    harness.get_by_label("Version").focus();
    harness.run();
    type_text(&mut harness, "1.0");
    assert!(harness.state().session().is_dirty());
    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    harness.run();
    harness.get_by_label_contains("Save changes to");
    click(&mut harness, "Cancel");
    assert!(harness.query_by_label_contains("Save changes to").is_none());
    assert!(harness.state().session().is_dirty(), "nothing was lost");
}

#[test]
fn unsaved_work_is_copied_and_offered_after_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let recovery = dir.path().join("recovery");
    let path = temp_file(dir.path(), templates::starter().text);
    let mut options = DesignerOptions::headless(Some(path.clone()));
    options.recovery_dir = Some(recovery.clone());
    let mut harness = start(DesignerApp::with_options(options.clone()));
    click(&mut harness, "Code");
    let first = state_names(&harness)[0].clone();
    select_in_browser(&mut harness, &first);
    type_text(&mut harness, "Unsaved");
    harness.state_mut().write_recovery_copy();
    let copies: Vec<PathBuf> = std::fs::read_dir(&recovery)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(copies.len(), 1);
    let copy = std::fs::read_to_string(&copies[0]).unwrap();
    assert!(copy.contains("Unsaved"));

    // The process "crashes": its copy now belongs to a process that is gone.
    let crashed = copy.replace(
        &format!("\"pid\":{}", std::process::id()),
        &format!("\"pid\":{}", u32::MAX),
    );
    drop(harness);
    std::fs::remove_file(&copies[0]).unwrap();
    std::fs::write(recovery.join("recovery-crashed-0.json"), crashed).unwrap();
    options.offer_recovery = true;
    let mut harness = start(DesignerApp::with_options(options));
    harness.get_by_label("Recover unsaved work?");
    click(&mut harness, "Restore");
    let session = harness.state().session();
    assert!(session.text().contains("\"Unsaved\": {"));
    assert!(
        session.is_dirty(),
        "the file on disk still has the old text"
    );
    assert_eq!(session.path(), Some(path.as_path()));
    // Saving cleanly removes every copy.
    press_command(&mut harness, egui::Key::S, false);
    assert!(!harness.state().session().is_dirty());
    assert_eq!(std::fs::read_dir(&recovery).unwrap().count(), 0);
}

#[test]
fn a_sam_template_lists_its_state_machines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("template.yaml");
    std::fs::write(
        &path,
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  OrderFlow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n        StartAt: Only\n        States:\n          Only:\n            Type: Succeed\n",
    )
    .unwrap();
    let mut harness = open(&path);
    harness.get_by_label("Which state machine?");
    click(&mut harness, "OrderFlow");
    click(&mut harness, "Open");
    assert_eq!(state_names(&harness), ["Only"]);
    assert!(
        harness.state().session().path().is_none(),
        "saved elsewhere, not into the template"
    );
}

/// The whole window rendered headless through wgpu (lavapipe on CI): every glyph available,
/// and the picture is not blank.
#[test]
fn renders_headless_with_wgpu() {
    let mut harness = start(DesignerApp::with_options(DesignerOptions::headless(None)));
    click(&mut harness, "Code");
    let image = harness
        .render()
        .expect("a wgpu adapter (mesa-vulkan-drivers)");
    assert_eq!((image.width(), image.height()), (1400, 900));
    let first = image.get_pixel(0, 0);
    let differing = image.pixels().filter(|p| *p != first).count();
    assert!(
        differing > 10_000,
        "{differing} pixels differ from the corner"
    );
    if let Ok(dir) = std::env::var("ASL_STUDIO_SNAPSHOT_DIR") {
        image
            .save(Path::new(&dir).join("kittest-code.png"))
            .unwrap();
    }
}
