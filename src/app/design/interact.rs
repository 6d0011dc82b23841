//! Inside the scene: painting, clicking and dragging states, dropping, edge handles,
//! renaming in place; and the canvas's keyboard shortcuts.

use super::graph::{EdgeRole, Graph, pos};
use super::paint::{self, Detail, EdgeRun, NodeLook, Palette};
use super::run_paint::{self, DotHover, RunLook};
use super::zones::{self, nearest};
use super::{CanvasDrag, DesignAction, DesignInput, DesignView};
use crate::app::run::RunOverlay;
use crate::app::selection::Selection;
use crate::app::theme::ACCENT;
use crate::asl::graph_edit::{DropTarget, EdgeRef, Slot, StateRef};
use crate::asl::validate::Severity;
use egui::{
    Align2, Color32, CornerRadius, DragAndDrop, Event, FontId, Key, Modifiers, Pos2, Rect, Sense,
    Shape, Stroke, StrokeKind, TextEdit, Ui, Vec2, WidgetInfo,
};
use rustc_hash::FxHashMap;

/// How close (in screen points) a drop must be to a "+" to land there.
const DROP_REACH: f32 = 48.0;

/// What the nodes are drawn with this frame.
struct NodesView<'a> {
    colors: &'a Palette,
    visible: Rect,
    selected: &'a [usize],
    severities: &'a FxHashMap<usize, Severity>,
    detail: Detail,
    /// The run shown (`None`: none, or it belongs to an older text).
    run: Option<&'a RunOverlay>,
}

/// A state being renamed in place.
pub struct Rename {
    state: StateRef,
    text: String,
    focused: bool,
}

impl Rename {
    pub fn state(&self) -> &StateRef {
        &self.state
    }
}

/// An edge end being dragged to another state.
pub struct EdgeDrag {
    edge: EdgeRef,
    from: Pos2,
}

impl DesignView {
    pub(super) fn contents_ui(
        &mut self,
        ui: &mut Ui,
        input: &DesignInput<'_>,
        actions: &mut Vec<DesignAction>,
    ) {
        let Some(graph) = self.graph.take() else {
            return;
        };
        self.to_screen = ui
            .ctx()
            .layer_transform_to_global(ui.layer_id())
            .unwrap_or_default();
        let visible = ui.clip_rect();
        let colors = Palette::new(ui.visuals());
        let detail = Detail::for_zoom(self.to_screen.scaling);
        let selected: Vec<usize> = input
            .selection
            .states()
            .iter()
            .filter_map(|s| graph.node_of_state(s))
            .collect();
        let highlighted: Vec<usize> = graph
            .layout
            .edges
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                matches!(e.from, crate::layout::Endpoint::Node(i) if selected.contains(&i))
                    || matches!(e.to, crate::layout::Endpoint::Node(i) if selected.contains(&i))
            })
            .map(|(i, _)| i)
            .collect();
        // A stale run colours nothing: its states may not be these any more.
        let run = input.run.filter(|r| !r.stale);
        let edge_run = match run {
            Some(run) => {
                run_paint::edge_colors(
                    &mut self.run_edges,
                    &mut self.run_pairs,
                    &graph,
                    run,
                    colors.dark,
                );
                EdgeRun {
                    taken: &self.run_edges,
                    dim_others: true,
                }
            }
            None => EdgeRun::default(),
        };
        {
            let painter = ui.painter();
            paint::containers(painter, &graph, &colors, visible);
            paint::edges(
                painter,
                &graph,
                &colors,
                visible,
                &highlighted,
                detail,
                edge_run,
            );
            paint::markers(painter, &graph, &colors, visible);
        }
        let severities = severities(&graph, input.diagnostics);
        let view = NodesView {
            colors: &colors,
            visible,
            selected: &selected,
            severities: &severities,
            detail,
            run,
        };
        self.nodes_ui(ui, &graph, &view, input, actions);
        self.drop_ui(ui, &graph, &colors, actions);
        if let [only] = selected.as_slice() {
            self.edge_handles_ui(ui, &graph, *only, actions);
        }
        self.rename_ui(ui, &graph, actions);
        self.graph = Some(graph);
    }

    fn nodes_ui(
        &mut self,
        ui: &mut Ui,
        graph: &Graph,
        view: &NodesView<'_>,
        input: &DesignInput<'_>,
        actions: &mut Vec<DesignAction>,
    ) {
        let NodesView {
            colors,
            visible,
            selected,
            severities,
            detail,
            run,
        } = *view;
        let dragging_state = match DragAndDrop::payload::<CanvasDrag>(ui.ctx()).as_deref() {
            Some(CanvasDrag::State(state)) => Some(state.clone()),
            _ => None,
        };
        for (index, info) in graph.nodes.iter().enumerate() {
            let Some(area) = graph.node_area(index) else {
                continue;
            };
            if !area.intersects(visible) {
                continue;
            }
            let id = ui.scope_id().with(("state", info.state.pointer()));
            let response = ui.interact(area, id, Sense::click_and_drag());
            // One lookup per drawn node; the texts below are made only when asked for.
            let state_run = run.and_then(|r| r.states.get(info.state.name.as_str()));
            let entering = run.is_some_and(|r| r.entering.as_deref() == Some(&info.state.name));
            response.widget_info(|| {
                WidgetInfo::labeled(
                    egui::accesskit::Role::Button,
                    true,
                    run_paint::spoken(&info.state.name, state_run, entering),
                )
            });
            let breakpoint = input.breakpoints.contains(&info.state.name);
            // The dot's zone is too small to hit (and the dot to see) when zoomed out.
            let dot = (detail == Detail::Full)
                .then(|| self.breakpoint_dot_ui(ui, area, &info.state, breakpoint, actions));
            let dot_hover = match &dot {
                Some(dot) if dot.hovered() => DotHover::Dot,
                Some(_) if response.hovered() => DotHover::Node,
                _ => DotHover::None,
            };
            let look = NodeLook {
                selected: selected.contains(&index),
                hovered: response.hovered(),
                dimmed: dragging_state.as_ref() == Some(&info.state),
                severity: severities.get(&index).copied(),
                run: RunLook {
                    state: state_run,
                    shown: run.is_some(),
                    entering,
                    breakpoint,
                    dot: dot_hover,
                },
            };
            paint::node(ui.painter(), graph, index, colors, look, detail);
            self.node_menu_ui(&response, &info.state, input, actions);
            // Asking about a tooltip costs; only the hovered node can have one.
            let response = match state_run {
                Some(state) if response.hovered() => response.on_hover_ui(|ui| {
                    ui.label(run_paint::summary(state));
                }),
                _ => response,
            };
            if response.clicked() {
                let toggle = ui.input(|i| i.modifiers.shift || i.modifiers.command);
                actions.push(DesignAction::Select(
                    input.selection.toggled(&info.state, toggle),
                ));
            }
            if response.double_clicked() {
                self.start_rename(info.state.clone());
            }
            if response.drag_started() {
                DragAndDrop::set_payload(ui.ctx(), CanvasDrag::State(info.state.clone()));
                if !look.selected {
                    actions.push(DesignAction::Select(vec![info.state.clone()]));
                }
            }
        }
    }

    pub(super) fn start_rename(&mut self, state: StateRef) {
        self.rename = Some(Rename {
            text: state.name.clone(),
            state,
            focused: false,
        });
    }

    /// Drop places while something is dragged; the drop itself on release.
    fn drop_ui(
        &mut self,
        ui: &mut Ui,
        graph: &Graph,
        colors: &Palette,
        actions: &mut Vec<DesignAction>,
    ) {
        let Some(payload) = DragAndDrop::payload::<CanvasDrag>(ui.ctx()) else {
            self.zones.clear();
            return;
        };
        let dragged = match payload.as_ref() {
            CanvasDrag::State(state) => Some(state),
            CanvasDrag::Palette(_) => None,
        };
        self.zones = zones::zones(graph, dragged);
        let to_scene = self.to_screen.inverse();
        let pointer = ui
            .ctx()
            .pointer_latest_pos()
            .filter(|p| ui.clip_rect().contains(to_scene * *p))
            .map(|p| to_scene * p);
        let reach = DROP_REACH / self.to_screen.scaling.max(0.01);
        let active = pointer.and_then(|p| nearest(&self.zones, p, reach));
        let painter = ui.painter();
        for (index, zone) in self.zones.iter().enumerate() {
            match zone.area {
                Some(area) => paint::empty_graph(painter, area, active == Some(index), colors),
                None => paint::drop_zone(painter, zone.at, active == Some(index), colors),
            }
        }
        if let (Some(pointer), CanvasDrag::State(state)) = (pointer, payload.as_ref()) {
            ghost(painter, pointer, &state.name, colors);
        }
        if !ui.input(|i| i.pointer.any_released()) {
            return;
        }
        if let Some(zone) = active.and_then(|i| self.zones.get(i)) {
            let target = zone.target.clone();
            actions.push(match payload.as_ref() {
                CanvasDrag::Palette(item) => DesignAction::Insert { item, target },
                CanvasDrag::State(state) => DesignAction::Move {
                    state: state.clone(),
                    target,
                },
            });
            DragAndDrop::clear_payload(ui.ctx());
        }
    }

    /// Handles at the ends of the selected state's edges (and below an end state): drag one
    /// onto another state to change where the edge goes.
    fn edge_handles_ui(
        &mut self,
        ui: &mut Ui,
        graph: &Graph,
        node: usize,
        actions: &mut Vec<DesignAction>,
    ) {
        let Some(info) = graph.nodes.get(node) else {
            return;
        };
        for (index, edge) in graph.layout.edges.iter().enumerate() {
            let reference = match graph.edges.get(index).and_then(Option::as_ref) {
                Some(EdgeRole::Transition(e))
                    if e.from.as_deref() == Some(info.state.name.as_str())
                        && e.scope == info.state.scope =>
                {
                    e.clone()
                }
                Some(EdgeRole::End(state)) if *state == info.state && info.takes_next => {
                    EdgeRef::from_state(state, Slot::Next)
                }
                _ => continue,
            };
            let (Some(first), Some(tip)) = (edge.points.first(), edge.points.last()) else {
                continue;
            };
            let handle = pos(*tip) - Vec2::new(0.0, 6.0);
            let id = ui.scope_id().with(("edge-handle", index));
            let response = ui
                .interact(
                    Rect::from_center_size(handle, Vec2::splat(12.0)),
                    id,
                    Sense::drag(),
                )
                .on_hover_text("Drag onto a state to send this edge there");
            let hot = response.hovered() || response.dragged();
            ui.painter().circle(
                handle,
                if hot { 6.0 } else { 4.5 },
                if hot { ACCENT } else { Color32::WHITE },
                Stroke::new(1.5, ACCENT),
            );
            if response.drag_started() {
                self.edge_drag = Some(EdgeDrag {
                    edge: reference.clone(),
                    from: pos(*first),
                });
            }
            if response.drag_stopped()
                && let Some(drag) = self.edge_drag.take()
                && let Some(target) = self.target_under_pointer(ui, graph, &drag.edge.scope)
            {
                actions.push(DesignAction::Connect {
                    edge: drag.edge,
                    to: target,
                });
            }
        }
        if let Some(drag) = &self.edge_drag
            && let Some(pointer) = ui.ctx().pointer_latest_pos()
        {
            let end = self.to_screen.inverse() * pointer;
            ui.painter().extend(Shape::dashed_line(
                &[drag.from, end],
                Stroke::new(1.5, ACCENT),
                6.0,
                4.0,
            ));
            if let Some(target) = self
                .target_under_pointer(ui, graph, &drag.edge.scope)
                .and_then(|name| graph.node_of_state(&StateRef::new(drag.edge.scope.clone(), name)))
                .and_then(|i| graph.node_area(i))
            {
                ui.painter().rect_stroke(
                    target.expand(3.0),
                    8.0,
                    Stroke::new(2.0, ACCENT),
                    StrokeKind::Outside,
                );
            }
        }
        if !ui.input(|i| i.pointer.primary_down()) {
            self.edge_drag = None;
        }
    }

    /// The name of the state under the pointer, if it is in `scope`.
    fn target_under_pointer(&self, ui: &Ui, graph: &Graph, scope: &str) -> Option<String> {
        let pointer = self.to_screen.inverse() * ui.ctx().pointer_latest_pos()?;
        let index = graph
            .layout
            .node_at(crate::layout::Point::new(pointer.x, pointer.y))?;
        let info = graph.nodes.get(index)?;
        (info.state.scope == scope).then(|| info.state.name.clone())
    }

    fn rename_ui(&mut self, ui: &mut Ui, graph: &Graph, actions: &mut Vec<DesignAction>) {
        let Some(rename) = &mut self.rename else {
            return;
        };
        let Some(area) = graph
            .node_of_state(&rename.state)
            .and_then(|i| graph.node_area(i))
        else {
            self.rename = None;
            return;
        };
        let id = ui.scope_id().with("rename");
        let field = Rect::from_min_max(
            Pos2::new(area.min.x + super::graph::ICON_ROOM, area.min.y + 4.0),
            Pos2::new(area.max.x - 6.0, area.min.y + 26.0),
        );
        let response = ui.put(
            field,
            TextEdit::singleline(&mut rename.text)
                .id(id)
                .hint_text("State name")
                .font(FontId::proportional(13.0)),
        );
        if !rename.focused {
            response.request_focus();
            rename.focused = true;
            return;
        }
        if response.lost_focus() {
            let cancelled = ui.input(|i| i.key_pressed(Key::Escape));
            if let Some(rename) = self.rename.take()
                && !cancelled
                && rename.text != rename.state.name
            {
                actions.push(DesignAction::Rename {
                    state: rename.state,
                    name: rename.text,
                });
            }
        }
    }

    pub(super) fn shortcuts(
        &mut self,
        ui: &Ui,
        input: &DesignInput<'_>,
        actions: &mut Vec<DesignAction>,
    ) {
        if ui.ctx().egui_wants_keyboard_input() || self.rename.is_some() {
            return;
        }
        let selection = input.selection.states().to_vec();
        let pressed =
            |modifiers: Modifiers, key: Key| ui.input_mut(|i| i.consume_key(modifiers, key));
        let any = !selection.is_empty();
        if any
            && (pressed(Modifiers::NONE, Key::Delete) || pressed(Modifiers::NONE, Key::Backspace))
        {
            actions.push(DesignAction::Delete(selection.clone()));
        }
        if any && pressed(Modifiers::COMMAND, Key::D) {
            actions.push(DesignAction::Duplicate(selection.clone()));
        }
        if let Some(first) = selection.first()
            && pressed(Modifiers::NONE, Key::F2)
        {
            self.start_rename(first.clone());
        }
        if pressed(Modifiers::ALT, Key::C) {
            self.centre(input);
        }
        if any && pressed(Modifiers::NONE, Key::Escape) {
            actions.push(DesignAction::Select(Vec::new()));
        }
        if pressed(Modifiers::COMMAND, Key::A)
            && let Some(graph) = &self.graph
        {
            actions.push(DesignAction::Select(
                graph.nodes.iter().map(|n| n.state.clone()).collect(),
            ));
        }
        let events = ui.input(|i| i.events.clone());
        for event in events {
            match event {
                Event::Copy if any => actions.push(DesignAction::Copy(selection.clone())),
                Event::Cut if any => actions.push(DesignAction::Cut(selection.clone())),
                Event::Paste(text) => {
                    if let Some(target) = self.insert_target(input.selection) {
                        actions.push(DesignAction::Paste { text, target });
                    }
                }
                _ => {}
            }
        }
    }

    /// Where pasted or double-clicked states go: after the (first) selected state, else at
    /// the end of the workflow (below its first end state), else at its start.
    pub fn insert_target(&self, selection: &Selection) -> Option<DropTarget> {
        let graph = self.graph.as_ref()?;
        let after = |state: &StateRef| -> Option<DropTarget> {
            let index = graph.node_of_state(state)?;
            let info = graph.nodes.get(index)?;
            if !info.takes_next {
                return None;
            }
            Some(if info.ends {
                DropTarget::After(state.clone())
            } else {
                DropTarget::Edge(EdgeRef::from_state(state, Slot::Next))
            })
        };
        if let Some(target) = selection.primary().and_then(after) {
            return Some(target);
        }
        let scope = selection
            .primary()
            .map(|s| s.scope.clone())
            .unwrap_or_default();
        graph
            .nodes
            .iter()
            .filter(|n| n.state.scope == scope && n.ends && n.takes_next)
            .map(|n| DropTarget::After(n.state.clone()))
            .next()
            .or(Some(DropTarget::Edge(EdgeRef::start(scope))))
    }
}

/// The worst diagnostic of each node.
fn severities(graph: &Graph, diagnostics: &[(String, Severity)]) -> FxHashMap<usize, Severity> {
    let rank = |s: Severity| match s {
        Severity::Error => 2,
        Severity::Warning => 1,
        Severity::Information => 0,
    };
    let mut out: FxHashMap<usize, Severity> = FxHashMap::default();
    for (pointer, severity) in diagnostics {
        if *severity == Severity::Information {
            continue;
        }
        if let Some(node) = graph.node_of_pointer(pointer) {
            let entry = out.entry(node).or_insert(*severity);
            if rank(*severity) > rank(*entry) {
                *entry = *severity;
            }
        }
    }
    out
}

/// A translucent box with the dragged state's name under the pointer.
fn ghost(painter: &egui::Painter, at: Pos2, name: &str, colors: &Palette) {
    let area = Rect::from_min_size(at + Vec2::new(10.0, 10.0), Vec2::new(160.0, 30.0));
    painter.rect(
        area,
        CornerRadius::same(6),
        colors.node_fill.gamma_multiply(0.85),
        Stroke::new(1.5, ACCENT),
        StrokeKind::Inside,
    );
    painter.text(
        area.center(),
        Align2::CENTER_CENTER,
        name,
        FontId::proportional(12.0),
        colors.text,
    );
}
