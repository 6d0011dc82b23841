//! The views' own states between frames (what each shows, what is being typed), and which
//! of them the window shows.

use crate::app::action::{LeftPanel, Tab};
use crate::app::bottom::BottomPanel;
use crate::app::browser::Browser;
use crate::app::code::CodeView;
use crate::app::config::ConfigView;
use crate::app::design::DesignView;
use crate::app::design::palette::PaletteView;
use crate::app::inspector::InspectorView;
use crate::app::modals::Modal;
use crate::app::run::RunView;

pub struct Views {
    tab: Tab,
    /// The central tab of the last frame (a change picks the left panel that suits it).
    last_tab: Tab,
    left: LeftPanel,
    outline: Browser,
    palette: PaletteView,
    design: DesignView,
    inspector: InspectorView,
    code: CodeView,
    config: ConfigView,
    bottom: BottomPanel,
    run: RunView,
    modal: Option<Modal>,
}

impl Default for Views {
    fn default() -> Self {
        Views {
            tab: Tab::Design,
            last_tab: Tab::Design,
            left: LeftPanel::Browser,
            outline: Browser::default(),
            palette: PaletteView::default(),
            design: DesignView::new(),
            inspector: InspectorView::new(),
            code: CodeView::default(),
            config: ConfigView::default(),
            bottom: BottomPanel::default(),
            run: RunView::new(),
            modal: None,
        }
    }
}

impl Views {
    pub fn tab(&self) -> Tab {
        self.tab
    }

    pub fn set_tab(&mut self, tab: Tab) {
        self.tab = tab;
    }

    pub fn left(&self) -> LeftPanel {
        self.left
    }

    /// The left panel, for its switch.
    pub fn left_mut(&mut self) -> &mut LeftPanel {
        &mut self.left
    }

    /// Once a frame: when the central tab changed, show the left panel that suits it (the
    /// browser to drag from for Design, the outline for the text views).
    pub fn follow_tab(&mut self) {
        if self.tab != self.last_tab {
            self.last_tab = self.tab;
            self.left = match self.tab {
                Tab::Design => LeftPanel::Browser,
                Tab::Code | Tab::Config => LeftPanel::Outline,
            };
        }
    }

    /// Focuses the search box of the left panel on the next frame.
    pub fn focus_filter(&mut self) {
        match self.left {
            LeftPanel::Browser => self.palette.focus_filter = true,
            LeftPanel::Outline => self.outline.focus_filter = true,
        }
    }

    /// A new document: the canvas fits it, the editor starts on its text.
    pub fn reset_document_views(&mut self) {
        self.design = DesignView::new();
        self.code = CodeView::default();
    }

    pub fn outline_mut(&mut self) -> &mut Browser {
        &mut self.outline
    }

    pub fn palette_mut(&mut self) -> &mut PaletteView {
        &mut self.palette
    }

    pub fn design(&self) -> &DesignView {
        &self.design
    }

    pub fn design_mut(&mut self) -> &mut DesignView {
        &mut self.design
    }

    pub fn inspector_mut(&mut self) -> &mut InspectorView {
        &mut self.inspector
    }

    pub fn code_mut(&mut self) -> &mut CodeView {
        &mut self.code
    }

    pub fn config_mut(&mut self) -> &mut ConfigView {
        &mut self.config
    }

    pub fn bottom(&self) -> &BottomPanel {
        &self.bottom
    }

    pub fn bottom_mut(&mut self) -> &mut BottomPanel {
        &mut self.bottom
    }

    pub fn run(&self) -> &RunView {
        &self.run
    }

    pub fn run_mut(&mut self) -> &mut RunView {
        &mut self.run
    }

    /// The bottom panel and the run view it shows, together.
    pub fn bottom_and_run_mut(&mut self) -> (&mut BottomPanel, &mut RunView) {
        (&mut self.bottom, &mut self.run)
    }

    pub fn modal_mut(&mut self) -> Option<&mut Modal> {
        self.modal.as_mut()
    }

    pub fn has_modal(&self) -> bool {
        self.modal.is_some()
    }

    pub fn show_modal(&mut self, modal: Modal) {
        self.modal = Some(modal);
    }

    pub fn take_modal(&mut self) -> Option<Modal> {
        self.modal.take()
    }
}
