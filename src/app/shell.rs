//! The window: top bar, States browser, the Design / Code / Config views, the inspector and
//! the executions bar, around one [`Session`].

use super::browser::Browser;
use super::canvas::CanvasDiagnostics;
use super::code::{CodeView, Syntaxes};
use super::config::{ConfigAction, ConfigView};
use super::design::DesignView;
use super::design::palette::PaletteView;
use super::files::{RecentFiles, RecoveryStore};
use super::inspector::{InspectorAction, InspectorInput, InspectorView};
use super::modals::Modal;
use super::native::{NativeDialogs, Purpose};
use super::session::Session;
use super::watcher::FileWatcher;
use super::{DesignerOptions, selection, session_from_template, theme};
use crate::asl::graph_edit::{self, StateRef};
use egui::{RichText, Ui};
use std::time::{Duration, Instant};

/// What the left panel shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftPanel {
    /// The States browser: Actions, Flow, Patterns to drag onto the canvas.
    Browser,
    /// The workflow's own states, as a list.
    Outline,
}

/// The central view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Design,
    Code,
    Config,
}

pub(super) const RECENT_KEY: &str = "recent_files";
/// Present once the dark default was applied (later the user's own choice is kept).
const THEME_KEY: &str = "theme_initialized";

/// The designer window's state.
pub struct DesignerApp {
    pub(super) session: Session,
    pub(super) tab: Tab,
    /// JSON pointer of the selected state (the first one, when several are).
    pub(super) selection: Option<String>,
    /// Every selected state (the canvas selects several with Shift or a box).
    pub(super) selected: Vec<StateRef>,
    pub(super) browser: Browser,
    pub(super) palette: PaletteView,
    pub(super) inspector: InspectorView,
    pub(super) design: DesignView,
    pub(super) canvas_diagnostics: CanvasDiagnostics,
    pub(super) left: LeftPanel,
    /// The central tab of the last frame (a change picks the left panel that suits it).
    last_tab: Tab,
    pub(super) code: CodeView,
    pub(super) config: ConfigView,
    pub(super) syntaxes: Syntaxes,
    pub(super) modal: Option<Modal>,
    pub(super) dialogs: NativeDialogs,
    pub(super) watcher: Option<FileWatcher>,
    pub(super) recent: RecentFiles,
    pub(super) recovery: Option<RecoveryStore>,
    /// The revision last written to the recovery copy.
    pub(super) recovery_revision: Option<u64>,
    pub(super) recovery_at: Instant,
    /// The user confirmed closing with unsaved changes (or saved them).
    pub(super) allow_close: bool,
    /// Close once the Save As dialog has written the file.
    pub(super) close_after_save: bool,
    /// The file's text from disk, changed while another dialog was open.
    pub(super) deferred_disk: Option<String>,
    pub(super) status: Option<(String, Instant)>,
    pub(super) options: DesignerOptions,
    pub(super) executions_open: bool,
    /// Set up on the first frame (theme, background loads, watcher).
    started: bool,
    /// First start: use the dark theme (afterwards the user's choice persists).
    dark_by_default: bool,
    pub(super) title: String,
}

impl DesignerApp {
    /// The app eframe creates (recent files come from eframe's storage).
    pub fn new(cc: &eframe::CreationContext<'_>, options: DesignerOptions) -> Self {
        let recent = cc
            .storage
            .and_then(|s| eframe::get_value(s, RECENT_KEY))
            .unwrap_or_default();
        let mut app = Self::with_options(options);
        app.recent = recent;
        app.dark_by_default = cc
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
        let recovery = options
            .recovery_dir
            .clone()
            .map(|dir| RecoveryStore::new(dir, 0));
        let mut app = DesignerApp {
            session: session_from_template(crate::templates::starter()),
            tab: Tab::Design,
            selection: None,
            selected: Vec::new(),
            browser: Browser::default(),
            palette: PaletteView::default(),
            inspector: InspectorView::new(),
            design: DesignView::new(),
            canvas_diagnostics: CanvasDiagnostics::default(),
            left: LeftPanel::Browser,
            last_tab: Tab::Design,
            code: CodeView::default(),
            config: ConfigView::default(),
            syntaxes,
            modal: None,
            dialogs: NativeDialogs::default(),
            watcher: None,
            recent: RecentFiles::default(),
            recovery,
            recovery_revision: None,
            recovery_at: Instant::now(),
            allow_close: false,
            close_after_save: false,
            deferred_disk: None,
            status: None,
            options: options.clone(),
            executions_open: false,
            started: false,
            dark_by_default: true,
            title: String::new(),
        };
        if let Some(path) = &options.file {
            app.open_path(path);
        }
        if options.offer_recovery
            && let Some(store) = &app.recovery
        {
            let copies = store.orphans();
            if !copies.is_empty() {
                app.modal = Some(Modal::Recover { copies });
            }
        }
        app
    }

    /// A designer on `text` (JSON or YAML by the path's extension), for tests.
    pub fn for_test(text: &str, path: Option<std::path::PathBuf>) -> Self {
        let format = path
            .as_deref()
            .map_or(Default::default(), crate::asl::document::Format::from_path);
        let mut app = Self::with_options(DesignerOptions::headless(None));
        app.replace_session(Session::new(text, format, path));
        app
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn tab(&self) -> Tab {
        self.tab
    }

    pub fn selection(&self) -> Option<&str> {
        self.selection.as_deref()
    }

    /// Every selected state (the first is [`Self::selection`]).
    pub fn selected(&self) -> &[StateRef] {
        &self.selected
    }

    /// The Design canvas (where things are on screen, for tests).
    pub fn design(&self) -> &DesignView {
        &self.design
    }

    /// The canvas, to zoom or fit it from outside (benchmarks).
    pub fn design_mut(&mut self) -> &mut DesignView {
        &mut self.design
    }

    pub fn left_panel(&self) -> LeftPanel {
        self.left
    }

    pub fn recent_files(&self) -> &RecentFiles {
        &self.recent
    }

    /// The message in the status bar, if any.
    pub fn status(&self) -> Option<&str> {
        self.status.as_ref().map(|(s, _)| s.as_str())
    }

    pub(super) fn set_status(&mut self, text: impl Into<String>) {
        self.status = Some((text.into(), Instant::now()));
    }

    pub(super) fn replace_session(&mut self, session: Session) {
        self.session = session;
        self.selection = None;
        self.selected.clear();
        self.design = DesignView::new();
        self.code = CodeView::default();
        self.watcher = None;
        self.deferred_disk = None;
        self.recovery_revision = None;
        if let Some(store) = &self.recovery {
            store.clear();
        }
    }

    /// Selects a state everywhere: browser, Design list, inspector and the Code cursor.
    pub(super) fn select(&mut self, pointer: String) {
        if let Some(doc) = self.session.current_doc()
            && let Some(range) = selection::name_range(doc, &pointer)
        {
            self.code.reveal(range);
        }
        self.selected = StateRef::from_pointer(&pointer).into_iter().collect();
        self.selection = Some(pointer);
    }

    fn start(&mut self, ctx: &egui::Context) {
        self.started = true;
        theme::install(ctx);
        if self.dark_by_default {
            ctx.set_theme(egui::ThemePreference::Dark);
        }
        if self.syntaxes.get().is_none() {
            self.syntaxes = Syntaxes::load_in_background(ctx);
        }
    }

    /// One frame of the whole window.
    pub fn frame_ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if !self.started {
            self.start(&ctx);
        }
        let now = Instant::now();
        self.handle_close_request(&ctx);
        self.poll_dialogs(&ctx);
        self.poll_watcher(&ctx, now);
        self.handle_dropped_files(&ctx);
        if self.modal.is_none() {
            self.handle_shortcuts(&ctx);
        }
        self.top_bar_ui(ui);
        self.status_bar_ui(ui);
        if self.tab != self.last_tab {
            self.last_tab = self.tab;
            self.left = match self.tab {
                Tab::Design => LeftPanel::Browser,
                Tab::Code | Tab::Config => LeftPanel::Outline,
            };
        }
        egui::Panel::left("states-browser")
            .resizable(true)
            .default_size(240.0)
            .size_range(160.0..=480.0)
            .show(ui, |ui| self.left_panel_ui(ui));
        egui::Panel::right("inspector")
            .resizable(true)
            .default_size(340.0)
            .size_range(240.0..=640.0)
            .show(ui, |ui| self.inspector_panel_ui(ui));
        egui::CentralPanel::default().show(ui, |ui| self.central_ui(ui, now));
        self.modal_ui(&ctx);
        self.keep_recovery_copy(now);
        if self.recovery.is_some()
            && self.session.is_dirty()
            && self.recovery_revision != Some(self.session.revision())
        {
            // Come back when the copy is due, even if the user does nothing meanwhile.
            ctx.request_repaint_after(super::actions::RECOVERY_INTERVAL);
        }
        self.update_title(&ctx);
        if let Some((_, at)) = &self.status
            && at.elapsed() > Duration::from_secs(6)
        {
            self.status = None;
        }
    }

    fn inspector_panel_ui(&mut self, ui: &mut Ui) {
        let Some(doc) = self.session.current_doc() else {
            ui.weak("Nothing to inspect: the text has never parsed.");
            return;
        };
        let input = InspectorInput {
            doc,
            revision: self.session.revision(),
            state: self.selected.first(),
            diagnostics: self.session.diagnostics(),
            syntaxes: self.syntaxes.get().map(|s| s.as_ref()),
        };
        let actions = self.inspector.ui(ui, &input);
        for action in actions {
            self.apply_inspector_action(action);
        }
    }

    fn apply_inspector_action(&mut self, action: InspectorAction) {
        let now = Instant::now();
        let result = match action {
            InspectorAction::Edit { edit, field } => self
                .session
                .apply_edit(&edit, field.as_deref(), now)
                .map(|_| ())
                .map_err(|e| e.to_string()),
            InspectorAction::Rename { state, name } => {
                let planned = match self.session.current_doc() {
                    Some(doc) => graph_edit::rename(doc, &state, &name).map_err(|e| e.to_string()),
                    None => Err("the text does not parse".to_string()),
                };
                planned.and_then(|planned| {
                    self.session
                        .apply_edit(&planned.edit, None, now)
                        .map_err(|e| e.to_string())?;
                    self.set_selected(planned.selected);
                    Ok(())
                })
            }
            InspectorAction::Select(state) => {
                self.set_selected(vec![state]);
                Ok(())
            }
        };
        if let Err(error) = result {
            self.set_status(error);
        }
    }

    fn left_panel_ui(&mut self, ui: &mut Ui) {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.left, LeftPanel::Browser, "States")
                .on_hover_text("Actions, flow states and patterns to drag onto the canvas");
            ui.selectable_value(&mut self.left, LeftPanel::Outline, "Outline")
                .on_hover_text("The states of this workflow");
        });
        ui.separator();
        match self.left {
            LeftPanel::Browser => self.palette_ui(ui),
            LeftPanel::Outline => {
                let clicked = self.browser.browser_ui(
                    ui,
                    self.session.machine(),
                    self.session.revision(),
                    self.selection.as_deref(),
                );
                if let Some(pointer) = clicked {
                    self.select(pointer);
                }
            }
        }
    }

    fn central_ui(&mut self, ui: &mut Ui, now: Instant) {
        if self.tab != Tab::Code
            && let Some(error) = self.session.parse_error().cloned()
            && super::code::problems::parse_error_banner_ui(ui, &error, true)
        {
            self.tab = Tab::Code;
            self.code.reveal(error.offset..error.offset);
        }
        match self.tab {
            Tab::Design => self.design_tab_ui(ui),
            Tab::Code => {
                let output = self.code.code_ui(ui, &mut self.session, &self.syntaxes);
                if let Some(offset) = output.cursor
                    && let (Some(doc), Some(machine)) =
                        (self.session.current_doc(), self.session.machine())
                {
                    self.selection = selection::state_at_offset(doc, machine, offset);
                    self.selected = self
                        .selection
                        .as_deref()
                        .and_then(StateRef::from_pointer)
                        .into_iter()
                        .collect();
                }
                if let Some(status) = output.status {
                    self.set_status(status);
                }
            }
            Tab::Config => match self.config.config_ui(ui, &mut self.session) {
                Some(ConfigAction::Status(text)) => self.set_status(text),
                Some(ConfigAction::ExportToFile(format)) => {
                    let ctx = ui.ctx().clone();
                    let name = format!(
                        "{}.template.yaml",
                        super::config::logical_id(self.session.settings.name.as_deref())
                    );
                    self.dialogs.open(&ctx, Purpose::Export(format), Some(name));
                }
                None => {}
            },
        }
        let _ = now;
    }

    fn status_bar_ui(&mut self, ui: &mut Ui) {
        egui::Panel::bottom("executions")
            .resizable(false)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    let arrow = if self.executions_open { "▾" } else { "▸" };
                    if ui
                        .add(egui::Button::new(format!("{arrow} Executions")).frame(false))
                        .on_hover_text(
                            "Runs and their event history (comes with the interpreter view)",
                        )
                        .clicked()
                    {
                        self.executions_open = !self.executions_open;
                    }
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        let format = match self.session.format() {
                            crate::asl::document::Format::Json => "JSON",
                            crate::asl::document::Format::Yaml => "YAML",
                        };
                        ui.label(RichText::new(format).small().weak());
                        if let Some(path) = self.session.path() {
                            ui.label(RichText::new(path.display().to_string()).small().weak());
                        }
                        if let Some((status, _)) = &self.status {
                            ui.label(RichText::new(status).small().color(theme::ACCENT));
                        }
                    });
                });
                if self.executions_open {
                    ui.add_space(6.0);
                    ui.label(
                        RichText::new(
                            "No executions yet. Running workflows, stepping through events and \
                             inspecting each state's data flow come with the interpreter view.",
                        )
                        .weak(),
                    );
                    ui.add_space(40.0);
                }
            });
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let marker = if self.session.is_dirty() { "● " } else { "" };
        let title = format!("{marker}{} — ASL Studio", self.session.title());
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }
}

impl eframe::App for DesignerApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, RECENT_KEY, &self.recent);
        eframe::set_value(storage, THEME_KEY, &true);
    }

    fn on_exit(&mut self) {
        // A clean exit leaves no recovery copy behind (unsaved work was confirmed lost).
        if let Some(store) = &self.recovery {
            store.clear();
        }
    }
}
