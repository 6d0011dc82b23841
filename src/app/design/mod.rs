//! The Design canvas: the auto-laid-out graph on an `egui::Scene` (pan, zoom, fit, centre),
//! selection, drag and drop from the States browser and of existing states, edge
//! re-targeting, rename in place, and the editing shortcuts; the run shown by the run view
//! (`run_paint`: status colours, counts, transitions taken, the next state, a legend) and the
//! breakpoints (a dot on each node, its context menu: `node_menu`).
//!
//! The canvas never edits the document itself: it reports [`DesignAction`]s, which the
//! dispatcher turns into graph edits (`asl::graph_edit`) of the one document, so the Code tab
//! follows and undo works.

mod graph;
mod interact;
mod labels;
mod node_menu;
mod paint;
pub mod palette;
mod run_paint;
mod style;
mod view;
mod zones;

pub use graph::Graph;
pub use labels::{rule_summary, state_subtitle};
pub use style::{Icon, service_icon};

use super::selection::Selection;
use crate::asl::graph_edit::{DropTarget, EdgeRef, StateRef};
use crate::asl::validate::Severity;
use egui::emath::TSTransform;
use egui::{Pos2, Rect, Ui};
use serde_json::Value;

/// What is being dragged over the canvas.
#[derive(Debug, Clone, PartialEq)]
pub enum CanvasDrag {
    /// A States browser entry (its id).
    Palette(&'static str),
    /// A state of the graph.
    State(StateRef),
}

/// What the user asked for on the canvas.
#[derive(Debug, Clone, PartialEq)]
pub enum DesignAction {
    /// Replace the selection (empty: select nothing).
    Select(Vec<StateRef>),
    /// Insert a States browser entry at a drop place.
    Insert {
        item: &'static str,
        target: DropTarget,
    },
    Move {
        state: StateRef,
        target: DropTarget,
    },
    /// Point an edge at another state.
    Connect {
        edge: EdgeRef,
        to: String,
    },
    Rename {
        state: StateRef,
        name: String,
    },
    Delete(Vec<StateRef>),
    Duplicate(Vec<StateRef>),
    /// Copy the states to the clipboard as ASL text.
    Copy(Vec<StateRef>),
    Cut(Vec<StateRef>),
    /// Paste clipboard text at a place (after the selection, or at the end).
    Paste {
        text: String,
        target: DropTarget,
    },
    /// Add or remove the breakpoint of a state (its dot, or its context menu).
    ToggleBreakpoint(StateRef),
}

/// What the canvas shows this frame.
pub struct DesignInput<'a> {
    /// The last definition that parsed.
    pub definition: &'a Value,
    /// Changes whenever the document does (the layout is recomputed only then).
    pub revision: u64,
    pub selection: &'a Selection,
    /// Diagnostics by JSON pointer: each marks the innermost state containing it.
    pub diagnostics: &'a [(String, Severity)],
    /// Whether the canvas takes keyboard shortcuts (its tab is shown).
    pub keyboard: bool,
    /// The run at the moment shown: state colours, badges, transitions taken (`None`: no run).
    pub run: Option<&'a crate::app::run::RunOverlay>,
    /// The states with a breakpoint (a dot on their node).
    pub breakpoints: &'a [String],
}

/// The canvas's own state between frames.
pub struct DesignView {
    graph: Option<Graph>,
    graph_error: Option<String>,
    /// The part of the scene in view (pan and zoom).
    scene_rect: Rect,
    fit_pending: bool,
    rename: Option<interact::Rename>,
    edge_drag: Option<interact::EdgeDrag>,
    box_start: Option<Pos2>,
    /// Scene → screen of the last frame, and the drop zones then shown (tests and hit tests).
    to_screen: TSTransform,
    zones: Vec<zones::Zone>,
    text_widths: graph::TextWidths,
    /// The colour of each edge the run shown took, and scratch space to find them: kept
    /// between frames so that drawing a run allocates nothing.
    run_edges: Vec<Option<egui::Color32>>,
    run_pairs: rustc_hash::FxHashSet<(usize, usize)>,
    /// The node whose context menu is open.
    menu_node: Option<egui::Id>,
}

impl Default for DesignView {
    fn default() -> Self {
        DesignView::new()
    }
}

impl DesignView {
    pub fn new() -> DesignView {
        DesignView {
            graph: None,
            graph_error: None,
            scene_rect: Rect::NOTHING,
            fit_pending: true,
            rename: None,
            edge_drag: None,
            box_start: None,
            to_screen: TSTransform::IDENTITY,
            zones: Vec::new(),
            text_widths: graph::TextWidths::default(),
            run_edges: Vec::new(),
            run_pairs: rustc_hash::FxHashSet::default(),
            menu_node: None,
        }
    }

    /// Fit the whole graph in view on the next frame (a new document was opened).
    pub fn fit_on_next_frame(&mut self) {
        self.fit_pending = true;
    }

    pub fn graph(&self) -> Option<&Graph> {
        self.graph.as_ref()
    }

    /// Where a state is on screen (last frame), for tests and tooltips.
    pub fn state_screen_rect(&self, state: &StateRef) -> Option<Rect> {
        let graph = self.graph.as_ref()?;
        let index = graph.node_of_state(state)?;
        let area = graph.node_area(index)?;
        Some(self.to_screen * area)
    }

    /// Where a state's breakpoint dot is on screen (last frame), for tests: the accessibility
    /// tree has the scene's own coordinates, not the screen's.
    pub fn breakpoint_dot_screen_pos(&self, state: &StateRef) -> Option<Pos2> {
        let area = self.state_screen_rect(state)?;
        Some(run_paint::dot_center(area))
    }

    /// Where a drop place was shown on screen (last frame, while dragging).
    pub fn zone_screen_pos(&self, target: &DropTarget) -> Option<Pos2> {
        self.zones
            .iter()
            .find(|z| z.target == *target)
            .map(|z| self.to_screen * z.at)
    }

    /// The state being renamed in place, if any.
    pub fn renaming(&self) -> Option<&StateRef> {
        self.rename.as_ref().map(interact::Rename::state)
    }

    /// The current zoom (1.0 = 100 %).
    pub fn zoom(&self) -> f32 {
        self.to_screen.scaling
    }

    /// Draws the canvas and returns what the user asked for.
    pub fn ui(&mut self, ui: &mut Ui, input: &DesignInput<'_>) -> Vec<DesignAction> {
        let mut actions = Vec::new();
        self.refresh(ui.ctx(), input);
        self.toolbar_ui(ui, input);
        if let Some(error) = &self.graph_error {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!("Cannot draw this workflow: {error}"),
            );
            return actions;
        }
        self.scene_ui(ui, input, &mut actions);
        if input.keyboard {
            self.shortcuts(ui, input, &mut actions);
        }
        actions
    }

    fn refresh(&mut self, ctx: &egui::Context, input: &DesignInput<'_>) {
        if self
            .graph
            .as_ref()
            .is_some_and(|g| g.revision == input.revision)
        {
            return;
        }
        match Graph::build(ctx, &mut self.text_widths, input.definition, input.revision) {
            Ok(graph) => {
                self.graph = Some(graph);
                self.graph_error = None;
            }
            Err(error) => {
                self.graph = None;
                self.graph_error = Some(error);
            }
        }
    }
}
