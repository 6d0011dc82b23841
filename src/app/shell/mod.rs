//! The window: lays out the top bar, the left panel (States browser or Outline), the inspector,
//! the central Design / Code / Config view and the bottom panel; gives each view what it reads
//! of the state, and hands the actions it returns (and those of the shortcuts, the dialogs and
//! the file watcher, see `events`) to the dispatcher, panel by panel, so that the next panel
//! drawn already shows their effect.

mod events;

use super::action::{AppAction, LeftPanel, RunCommand, Tab};
use super::bottom::BottomInput;
use super::code::Syntaxes;
use super::design::{DesignAction, DesignInput, DesignView};
use super::dispatch::{self, dispatch};
use super::files::RecentFiles;
use super::inspector::InspectorInput;
use super::modals::{self, Modal};
use super::options::DesignerOptions;
use super::selection::Selection;
use super::session::Session;
use super::state::{AppState, DiskEvent, RECOVERY_INTERVAL};
use super::theme;
use super::topbar::{self, TopBarInput};
use crate::asl::graph_edit::{DropTarget, StateRef};
use crate::asl::validate::Severity;
use egui::Ui;
use std::path::Path;
use std::time::Instant;

const RECENT_KEY: &str = "recent_files";
/// Present once the dark default was applied (later the user's own choice is kept).
const THEME_KEY: &str = "theme_initialized";

/// The designer window.
pub struct DesignerApp {
    state: AppState,
    window: Window,
}

/// What the window keeps for itself: resources the views share and what it last drew.
struct Window {
    syntaxes: Syntaxes,
    canvas_diagnostics: CanvasDiagnostics,
    /// Set up on the first frame (theme, background loads).
    started: bool,
    /// First start: use the dark theme (afterwards the user's choice persists).
    dark_by_default: bool,
    title: String,
}

/// Diagnostics by pointer for the canvas, rebuilt when the document changes.
#[derive(Default)]
struct CanvasDiagnostics {
    revision: u64,
    items: Vec<(String, Severity)>,
}

impl CanvasDiagnostics {
    fn of(&mut self, session: &Session) -> &[(String, Severity)] {
        let revision = session.revision();
        if self.revision != revision {
            self.revision = revision;
            self.items = session
                .diagnostics()
                .iter()
                .map(|d| (d.pointer.clone(), d.severity))
                .collect();
        }
        &self.items
    }
}

impl DesignerApp {
    /// The app eframe creates (recent files come from eframe's storage).
    pub fn new(cc: &eframe::CreationContext<'_>, options: DesignerOptions) -> Self {
        let recent: RecentFiles = cc
            .storage
            .and_then(|s| eframe::get_value(s, RECENT_KEY))
            .unwrap_or_default();
        let mut app = Self::with_options(options);
        app.state.files.set_recent(recent);
        app.window.dark_by_default = cc
            .storage
            .and_then(|s| eframe::get_value::<bool>(s, THEME_KEY))
            .is_none();
        app
    }

    /// The app without eframe (egui_kittest harnesses, benchmarks).
    pub fn with_options(options: DesignerOptions) -> Self {
        let syntaxes = if options.load_syntaxes_now {
            Syntaxes::load_now()
        } else {
            Syntaxes::default()
        };
        let session = Session::from_template(crate::templates::starter());
        let mut app = DesignerApp {
            state: AppState::new(session, &options),
            window: Window {
                syntaxes,
                canvas_diagnostics: CanvasDiagnostics::default(),
                started: false,
                dark_by_default: true,
                title: String::new(),
            },
        };
        if let Some(path) = &options.file {
            dispatch::open_path(&mut app.state, path);
        }
        if let Some(request) = &options.run {
            app.prepare_run(request);
        }
        if options.offer_recovery {
            let copies = app.state.files.recovery_orphans();
            if !copies.is_empty() {
                app.state.views.show_modal(Modal::Recover { copies });
            }
        }
        app
    }

    /// Sets the input and mocks of a run and starts it: paused before the first state, or run
    /// to the end or the first breakpoint.
    pub fn prepare_run(&mut self, request: &super::options::RunRequest) {
        let path = self.state.doc.session().path().map(Path::to_path_buf);
        let run = self.state.views.run_mut();
        if let Some(input) = &request.input {
            *run.input_text(path.as_deref()) = input.clone();
        }
        if let Some(mocks) = &request.mocks {
            run.mocks = mocks.clone();
        }
        let command = if request.run {
            RunCommand::RunOrContinue
        } else {
            // ExecutionStarted: the next step enters the first state.
            RunCommand::Step
        };
        // The window shows the run's progress from its first frame.
        let ctx = egui::Context::default();
        self.run(&ctx, [AppAction::RunCommand(command)]);
    }

    /// A designer on `text` (JSON or YAML by the path's extension), for tests.
    pub fn for_test(text: &str, path: Option<std::path::PathBuf>) -> Self {
        let format = path
            .as_deref()
            .map_or(Default::default(), crate::asl::document::Format::from_path);
        let mut app = Self::with_options(DesignerOptions::headless(None));
        app.state.replace_session(Session::new(text, format, path));
        app
    }

    /// Changes the deployment settings, as the Config tab does (benchmarks, tests).
    pub fn set_settings(&mut self, settings: crate::export::DeploymentSettings) {
        let session = self.state.doc.session_mut();
        session.settings = settings;
        session.settings_changed();
    }

    /// Whether the Executions panel (the run view) is open.
    pub fn executions_open(&self) -> bool {
        self.state.views.bottom().is_open()
    }

    /// The run & debug view (tests).
    pub fn run_view(&self) -> &crate::app::run::RunView {
        self.state.views.run()
    }

    pub fn run_view_mut(&mut self) -> &mut crate::app::run::RunView {
        self.state.views.run_mut()
    }

    pub fn session(&self) -> &Session {
        self.state.doc.session()
    }

    pub fn tab(&self) -> Tab {
        self.state.views.tab()
    }

    /// The selected states (the primary one is the inspector's).
    pub fn selection(&self) -> &Selection {
        self.state.doc.selection()
    }

    /// Every selected state, the primary one first.
    pub fn selected(&self) -> &[StateRef] {
        self.state.doc.selection().states()
    }

    /// The Design canvas (where things are on screen, for tests).
    pub fn design(&self) -> &DesignView {
        self.state.views.design()
    }

    /// The canvas, to zoom or fit it from outside (benchmarks).
    pub fn design_mut(&mut self) -> &mut DesignView {
        self.state.views.design_mut()
    }

    pub fn left_panel(&self) -> LeftPanel {
        self.state.views.left()
    }

    pub fn recent_files(&self) -> &RecentFiles {
        self.state.files.recent()
    }

    /// The message in the status bar, if any.
    pub fn status(&self) -> Option<&str> {
        self.state.status.text()
    }

    pub fn undo(&mut self) {
        dispatch::undo(&mut self.state);
    }

    pub fn redo(&mut self) {
        dispatch::redo(&mut self.state);
    }

    pub fn set_tab(&mut self, tab: Tab) {
        self.state.views.set_tab(tab);
    }

    /// Selects the state at a JSON pointer, as a click in the outline does.
    pub fn select_state(&mut self, pointer: &str) {
        let states = StateRef::from_pointer(pointer).into_iter().collect();
        dispatch::select(&mut self.state, states);
    }

    /// Puts the Code tab's cursor at a byte offset of the text (applied on its next frame).
    pub fn place_cursor(&mut self, offset: usize) {
        self.state.views.code_mut().place_cursor(offset);
    }

    /// Opens a definition (or lists the machines of a template).
    pub fn open_path(&mut self, path: &Path) {
        dispatch::open_path(&mut self.state, path);
    }

    /// Saves to the document's file, or asks where when it has none. True when written.
    pub fn save(&mut self, ctx: &egui::Context) -> bool {
        dispatch::save(&mut self.state, ctx)
    }

    pub fn save_as(&mut self, ctx: &egui::Context) {
        dispatch::save_as(&mut self.state, ctx);
    }

    /// Writes the document to `path` (atomically) and the settings beside it.
    pub fn write_to(&mut self, path: &Path) -> bool {
        dispatch::write_to(&mut self.state, path)
    }

    /// Writes the recovery copy now (tests; a periodic timer does it otherwise).
    pub fn write_recovery_copy(&mut self) {
        self.state
            .files
            .write_recovery_copy(self.state.doc.session());
    }

    /// Does what the canvas asks, as if it had asked in a frame (benchmarks).
    pub fn apply_design_action(&mut self, ctx: &egui::Context, action: DesignAction) {
        dispatch(&mut self.state, ctx, AppAction::Design(action));
    }

    /// Where a double-clicked browser entry goes.
    pub fn insert_target(&self) -> Option<DropTarget> {
        self.design().insert_target(self.selection())
    }

    fn run(&mut self, ctx: &egui::Context, actions: impl IntoIterator<Item = AppAction>) {
        for action in actions {
            dispatch(&mut self.state, ctx, action);
        }
    }

    fn start(&mut self, ctx: &egui::Context) {
        self.window.started = true;
        theme::install(ctx);
        if self.window.dark_by_default {
            ctx.set_theme(egui::ThemePreference::Dark);
        }
        if self.window.syntaxes.get().is_none() {
            self.window.syntaxes = Syntaxes::load_in_background(ctx);
        }
    }

    /// One frame of the whole window.
    pub fn frame_ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if !self.window.started {
            self.start(&ctx);
        }
        let now = Instant::now();
        self.run(&ctx, events::close_request(&ctx));
        let answer = self.state.files.poll_dialog();
        self.run(&ctx, answer.map(AppAction::Dialog));
        self.poll_watcher(&ctx, now);
        self.run(&ctx, events::dropped_file(&ctx));
        if !self.state.views.has_modal() {
            self.run(&ctx, events::shortcuts(&ctx));
            let selected = self.state.doc.selection().primary().map(|s| s.name.clone());
            self.run(&ctx, events::breakpoint_key(&ctx, selected.as_deref()));
        }
        let state = &self.state;
        let input = TopBarInput {
            session: state.doc.session(),
            tab: state.views.tab(),
            recent: &state.files.recent().paths,
            dialog_open: state.files.dialog_open(),
        };
        let actions = topbar::top_bar_ui(ui, &input);
        self.run(&ctx, actions);
        let actions = self.bottom_ui(ui);
        self.run(&ctx, actions);
        self.state.views.follow_tab();
        let actions = egui::Panel::left("states-browser")
            .resizable(true)
            .default_size(240.0)
            .size_range(160.0..=480.0)
            .show(ui, |ui| self.left_panel_ui(ui))
            .inner;
        self.run(&ctx, actions);
        let actions = egui::Panel::right("inspector")
            .resizable(true)
            .default_size(340.0)
            .size_range(240.0..=640.0)
            .show(ui, |ui| self.inspector_panel_ui(ui))
            .inner;
        self.run(&ctx, actions);
        let actions = egui::CentralPanel::default()
            .show(ui, |ui| self.central_ui(ui))
            .inner;
        self.run(&ctx, actions);
        let choice = self.modal_ui(&ctx);
        self.run(&ctx, choice);
        let session = self.state.doc.session();
        self.state.files.keep_recovery_copy(session, now);
        if self.state.files.recovery_due(session) {
            // Come back when the copy is due, even if the user does nothing meanwhile.
            ctx.request_repaint_after(RECOVERY_INTERVAL);
        }
        self.update_title(&ctx);
        self.state.status.expire();
    }

    /// The status line and the run view.
    fn bottom_ui(&mut self, ui: &mut Ui) -> Vec<AppAction> {
        let session = self.state.doc.session();
        let input = BottomInput {
            session,
            status: self.state.status.text(),
        };
        let mut run_input =
            super::dispatch::run_input(session, self.state.doc.selection().primary());
        run_input.syntaxes = self.window.syntaxes.get().map(|s| s.as_ref());
        let (bottom, run) = self.state.views.bottom_and_run_mut();
        bottom
            .bottom_ui(ui, &input, run, &run_input)
            .into_iter()
            .map(AppAction::from)
            .collect()
    }

    /// Reloads or asks when another program changed the open file.
    fn poll_watcher(&mut self, ctx: &egui::Context, now: Instant) {
        let path = self.state.doc.session().path();
        let dialog_shown = self.state.views.has_modal();
        let action = match self.state.files.poll_watcher(ctx, path, dialog_shown, now) {
            Some(DiskEvent::Changed(disk)) => AppAction::DiskChanged(disk),
            Some(DiskEvent::Unreadable(path)) => {
                AppAction::Status(format!("{} is gone or unreadable", path.display()))
            }
            None => return,
        };
        self.run(ctx, [action]);
    }

    fn left_panel_ui(&mut self, ui: &mut Ui) -> Vec<AppAction> {
        ui.add_space(4.0);
        let views = &mut self.state.views;
        ui.horizontal(|ui| {
            ui.selectable_value(views.left_mut(), LeftPanel::Browser, "States")
                .on_hover_text("Actions, flow states and patterns to drag onto the canvas");
            ui.selectable_value(views.left_mut(), LeftPanel::Outline, "Outline")
                .on_hover_text("The states of this workflow");
        });
        ui.separator();
        let doc = &self.state.doc;
        match views.left() {
            // A double-click adds the entry after the selection.
            LeftPanel::Browser => views
                .palette_mut()
                .ui(ui)
                .and_then(|request| {
                    let target = views.design().insert_target(doc.selection())?;
                    Some(DesignAction::Insert {
                        item: request.item,
                        target,
                    })
                })
                .map(AppAction::Design)
                .into_iter()
                .collect(),
            LeftPanel::Outline => {
                let session = doc.session();
                views
                    .outline_mut()
                    .browser_ui(ui, session.machine(), session.revision(), doc.selection())
                    .map(|state| AppAction::Select(vec![state]))
                    .into_iter()
                    .collect()
            }
        }
    }

    fn inspector_panel_ui(&mut self, ui: &mut Ui) -> Vec<AppAction> {
        let session = self.state.doc.session();
        let Some(doc) = session.current_doc() else {
            ui.weak("Nothing to inspect: the text has never parsed.");
            return Vec::new();
        };
        let input = InspectorInput {
            doc,
            revision: session.revision(),
            state: self.state.doc.selection().primary(),
            diagnostics: session.diagnostics(),
            syntaxes: self.window.syntaxes.get().map(|s| s.as_ref()),
            last_run_input: self
                .state
                .views
                .run()
                .run()
                .zip(self.state.doc.selection().primary())
                .and_then(|(run, state)| super::inspector::last_run_input(run, &state.name)),
        };
        let actions = self.state.views.inspector_mut().ui(ui, &input);
        actions.into_iter().map(AppAction::from).collect()
    }

    fn central_ui(&mut self, ui: &mut Ui) -> Vec<AppAction> {
        let banner_clicked = if self.state.views.tab() != Tab::Code
            && let Some(error) = self.state.doc.session().parse_error()
            && super::code::problems::parse_error_banner_ui(ui, error, true)
        {
            Some(error.offset)
        } else {
            None
        };
        if let Some(offset) = banner_clicked {
            // At once: this frame already shows the Code tab.
            let ctx = ui.ctx().clone();
            self.run(&ctx, [AppAction::ShowInCode(offset..offset)]);
        }
        let session = self.state.doc.session();
        let views = &mut self.state.views;
        match views.tab() {
            Tab::Design => {
                let Some(parsed) = session.parsed() else {
                    ui.weak("Nothing to draw: the text has never parsed. Fix it in the Code tab.");
                    return Vec::new();
                };
                let keyboard = !views.has_modal();
                let breakpoints: Vec<String> = views
                    .run()
                    .breakpoints()
                    .list
                    .iter()
                    .filter(|b| b.enabled)
                    .map(|b| b.state.clone())
                    .collect();
                let overlay = views.run_mut().overlay(session.parsed_revision());
                let input = DesignInput {
                    definition: parsed.doc.value(),
                    revision: session.parsed_revision(),
                    selection: self.state.doc.selection(),
                    diagnostics: self.window.canvas_diagnostics.of(session),
                    keyboard,
                    run: overlay.as_deref(),
                    breakpoints: &breakpoints,
                };
                let actions = views.design_mut().ui(ui, &input);
                actions.into_iter().map(AppAction::from).collect()
            }
            Tab::Code => {
                let actions = views.code_mut().code_ui(ui, session, &self.window.syntaxes);
                actions.into_iter().map(AppAction::from).collect()
            }
            Tab::Config => {
                let actions = views.config_mut().config_ui(ui, session);
                actions.into_iter().map(AppAction::from).collect()
            }
        }
    }

    fn modal_ui(&mut self, ctx: &egui::Context) -> Option<AppAction> {
        let session = self.state.doc.session();
        let modal = self.state.views.modal_mut()?;
        let title = session.title();
        modals::modal_ui(ctx, modal, &title, session.text()).map(AppAction::Modal)
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let session = self.state.doc.session();
        let marker = if session.is_dirty() { "● " } else { "" };
        let title = format!("{marker}{} — ASL Studio", session.title());
        if title != self.window.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window.title = title;
        }
    }
}

impl eframe::App for DesignerApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, RECENT_KEY, self.state.files.recent());
        eframe::set_value(storage, THEME_KEY, &true);
    }

    fn on_exit(&mut self) {
        // A clean exit leaves no recovery copy behind (unsaved work was confirmed lost).
        self.state.files.clear_recovery();
    }
}
