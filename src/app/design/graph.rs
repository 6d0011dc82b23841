//! The laid-out graph of the current definition, with what the canvas needs to draw and
//! address each node and edge. Rebuilt only when the document changes.

use super::labels::{rule_summary, state_subtitle};
use super::paint::smooth;
use crate::asl::document::pointer;
use crate::asl::graph_edit::{DropTarget, EdgeRef, Slot, StateRef, processor_key, states_pointer};
use crate::asl::model::StateType;
use crate::catalog::{TaskService, task_service};
use crate::layout::{self, EdgeKind, Endpoint, Layout, LayoutOptions, Measure, PathStep, Size};
use egui::{FontId, Pos2};
use rustc_hash::FxHashMap;
use serde_json::Value;

/// Fonts of the node texts; the measure and the painter must agree.
pub const TITLE_FONT: f32 = 13.0;
pub const SUBTITLE_FONT: f32 = 11.0;
pub const LABEL_FONT: f32 = 11.0;
/// Leaf boxes: icon on the left, name over a subtitle.
pub const LEAF_HEIGHT: f32 = 46.0;
pub const TERMINAL_HEIGHT: f32 = 34.0;
pub const HEADER_HEIGHT: f32 = 34.0;
pub const ICON_ROOM: f32 = 40.0;
const MIN_WIDTH: f32 = 150.0;
const MAX_WIDTH: f32 = 300.0;
/// Longest edge label before it is cut with an ellipsis.
const MAX_LABEL_CHARS: usize = 36;

/// What the canvas knows of one placed state.
#[derive(Debug, Clone)]
pub struct NodeInfo {
    pub state: StateRef,
    pub kind: Option<StateType>,
    /// The name and the subtitle as drawn: cut with an ellipsis to the box.
    pub title: String,
    pub subtitle: String,
    /// For Task states: the service of the resource.
    pub service: Option<TaskService>,
    /// Whether a state may follow it (`Next`/`End` types that are not Succeed/Fail/Choice).
    pub takes_next: bool,
    /// `End: true` (a drop place below it).
    pub ends: bool,
}

/// What one routed edge stands for.
#[derive(Debug, Clone)]
pub enum EdgeRole {
    /// A transition (or the Start marker's edge), which can be dropped on and re-targeted.
    Transition(EdgeRef),
    /// From an ending state to an End marker: dropping there continues after the state.
    End(StateRef),
}

/// The laid-out definition.
pub struct Graph {
    pub revision: u64,
    pub layout: Layout,
    pub nodes: Vec<NodeInfo>,
    /// The scope pointer of each graph level, parallel to `layout.graphs`.
    pub scopes: Vec<String>,
    pub edges: Vec<Option<EdgeRole>>,
    /// Each edge's drawn path (curves sampled) and its bounds, parallel to `layout.edges`.
    pub paths: Vec<Vec<Pos2>>,
    pub path_bounds: Vec<egui::Rect>,
    /// State pointer → node index.
    pub by_pointer: FxHashMap<String, usize>,
    /// State name → node index (the first one: names are unique across a valid machine). A
    /// run names its states without their scope.
    pub by_name: FxHashMap<String, usize>,
}

/// Text widths measured for earlier layouts: after an edit most names and subtitles are the
/// same, and measuring them again was a good part of the frame that re-lays out.
#[derive(Default)]
pub struct TextWidths {
    widths: std::cell::RefCell<FxHashMap<(u32, String), f32>>,
    /// Widths depend on the scale glyphs are laid out at.
    pixels_per_point: f32,
}

impl TextWidths {
    /// Past this many entries the cache starts over (names come and go while editing).
    const MAX_ENTRIES: usize = 20_000;

    fn prepare(&mut self, ctx: &egui::Context) {
        let pixels_per_point = ctx.pixels_per_point();
        let widths = self.widths.get_mut();
        if self.pixels_per_point != pixels_per_point || widths.len() > Self::MAX_ENTRIES {
            widths.clear();
            self.pixels_per_point = pixels_per_point;
        }
    }
}

/// Measures text with the UI's fonts so the layout reserves the room the painter uses.
struct TextMeasure<'a> {
    ctx: &'a egui::Context,
    cache: &'a TextWidths,
}

impl TextMeasure<'_> {
    fn width(&self, text: &str, size: f32) -> f32 {
        let key = (size.to_bits(), text.to_string());
        if let Some(width) = self.cache.widths.borrow().get(&key) {
            return *width;
        }
        let width = self.ctx.fonts_mut(|fonts| {
            fonts
                .layout_no_wrap(
                    text.to_string(),
                    FontId::proportional(size),
                    egui::Color32::WHITE,
                )
                .size()
                .x
        });
        self.cache.widths.borrow_mut().insert(key, width);
        width
    }
}

impl TextMeasure<'_> {
    /// The text, cut with an ellipsis when wider than `max_width`.
    fn fit(&self, text: &str, size: f32, max_width: f32) -> String {
        if self.width(text, size) <= max_width {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        let (mut low, mut high) = (0, chars.len());
        while low < high {
            let mid = (low + high).div_ceil(2);
            let candidate: String = chars[..mid].iter().collect::<String>() + "…";
            if self.width(&candidate, size) <= max_width {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        chars[..low].iter().collect::<String>() + "…"
    }
}

/// The width left for a node's texts beside its icon.
fn node_text_room(layout: &Layout, index: usize) -> f32 {
    let Some(placed) = layout.nodes.get(index) else {
        return 0.0;
    };
    let area = match placed.container.and_then(|c| layout.containers.get(c)) {
        Some(container) => container.header,
        None => placed.rect,
    };
    (area.width() - ICON_ROOM - 12.0).max(0.0)
}

impl Measure for TextMeasure<'_> {
    fn state_size(&self, name: &str, state: &Value) -> Size {
        let kind = state
            .get("Type")
            .and_then(Value::as_str)
            .and_then(StateType::parse);
        let title = self.width(name, TITLE_FONT);
        let subtitle = self.width(&state_subtitle(state), SUBTITLE_FONT);
        let width = (title.max(subtitle) + ICON_ROOM + 22.0).clamp(MIN_WIDTH, MAX_WIDTH);
        let height = match kind {
            Some(StateType::Succeed | StateType::Fail) => TERMINAL_HEIGHT,
            Some(StateType::Parallel | StateType::Map) => HEADER_HEIGHT,
            _ => LEAF_HEIGHT,
        };
        Size::new(width, height)
    }

    fn label_size(&self, text: &str) -> Size {
        Size::new(self.width(text, LABEL_FONT) + 12.0, 18.0)
    }

    fn choice_rule_label(&self, _index: usize, rule: &Value) -> String {
        shorten(&rule_summary(rule), MAX_LABEL_CHARS)
    }

    fn catch_label(&self, index: usize, catcher: &Value) -> String {
        let names: Vec<&str> = catcher
            .get("ErrorEquals")
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        match names.is_empty() {
            true => format!("Catch #{}", index + 1),
            false => shorten(&format!("Catch: {}", names.join(", ")), MAX_LABEL_CHARS),
        }
    }
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Why the canvas has nothing to draw.
pub type GraphError = String;

impl Graph {
    pub fn build(
        ctx: &egui::Context,
        widths: &mut TextWidths,
        definition: &Value,
        revision: u64,
    ) -> Result<Graph, GraphError> {
        widths.prepare(ctx);
        let measure = TextMeasure { ctx, cache: widths };
        let input =
            layout::input_from_definition(definition, &measure).map_err(|e| e.to_string())?;
        let layout =
            layout::layout(&input, &LayoutOptions::default()).map_err(|e| e.to_string())?;
        let scopes: Vec<String> = layout
            .graphs
            .iter()
            .map(|g| scope_pointer(definition, &g.path))
            .collect();
        let mut nodes = Vec::with_capacity(layout.nodes.len());
        let mut by_pointer = FxHashMap::default();
        let mut by_name = FxHashMap::default();
        for (index, placed) in layout.nodes.iter().enumerate() {
            let scope = scopes.get(placed.graph).cloned().unwrap_or_default();
            let name = match placed.path.last() {
                Some(PathStep::State(name)) => name.clone(),
                _ => String::new(),
            };
            let state = StateRef::new(scope, name);
            let value = definition.pointer(&state.pointer()).unwrap_or(&Value::Null);
            let kind = value
                .get("Type")
                .and_then(Value::as_str)
                .and_then(StateType::parse);
            let service = match kind {
                Some(StateType::Task) => value
                    .get("Resource")
                    .and_then(Value::as_str)
                    .map(task_service),
                _ => None,
            };
            by_pointer.insert(state.pointer(), index);
            by_name.entry(state.name.clone()).or_insert(index);
            let text_room = node_text_room(&layout, index);
            nodes.push(NodeInfo {
                title: measure.fit(&state.name, TITLE_FONT, text_room),
                subtitle: measure.fit(&state_subtitle(value), SUBTITLE_FONT, text_room),
                takes_next: !matches!(
                    kind,
                    Some(StateType::Choice | StateType::Succeed | StateType::Fail)
                ),
                ends: value.get("End").and_then(Value::as_bool) == Some(true),
                state,
                kind,
                service,
            });
        }
        let edges = layout
            .edges
            .iter()
            .map(|edge| {
                let scope = scopes.get(edge.graph)?.clone();
                let from = match edge.from {
                    Endpoint::Node(i) => Some(nodes.get(i)?.state.clone()),
                    Endpoint::Marker(_) => None,
                };
                let slot = match edge.kind {
                    EdgeKind::Start => return Some(EdgeRole::Transition(EdgeRef::start(scope))),
                    EdgeKind::End => return from.map(EdgeRole::End),
                    EdgeKind::Next => Slot::Next,
                    EdgeKind::ChoiceRule { index } => Slot::Rule(index),
                    EdgeKind::ChoiceDefault => Slot::Default,
                    EdgeKind::Catch { index } => Slot::Catch(index),
                };
                Some(EdgeRole::Transition(EdgeRef::from_state(&from?, slot)))
            })
            .collect();
        let paths: Vec<Vec<Pos2>> = layout
            .edges
            .iter()
            .map(|edge| smooth(&edge.points.iter().map(|p| pos(*p)).collect::<Vec<_>>()))
            .collect();
        let path_bounds = paths
            .iter()
            .map(|path| egui::Rect::from_points(path))
            .collect();
        Ok(Graph {
            revision,
            layout,
            nodes,
            scopes,
            edges,
            paths,
            path_bounds,
            by_pointer,
            by_name,
        })
    }

    /// The node of the innermost state containing a JSON pointer (a diagnostic's).
    pub fn node_of_pointer(&self, pointer: &str) -> Option<usize> {
        let mut current = pointer;
        loop {
            if let Some(index) = self.by_pointer.get(current) {
                return Some(*index);
            }
            current = &current[..current.rfind('/')?];
        }
    }

    /// The clickable box of a node: the whole box of a leaf, the header of a container.
    pub fn node_area(&self, index: usize) -> Option<egui::Rect> {
        let placed = self.layout.nodes.get(index)?;
        Some(
            match placed.container.and_then(|c| self.layout.containers.get(c)) {
                Some(container) => rect(container.header),
                None => rect(placed.rect),
            },
        )
    }

    pub fn node_of_state(&self, state: &StateRef) -> Option<usize> {
        self.by_pointer.get(&state.pointer()).copied()
    }

    /// The drop target of an edge, unless it is the End edge of a state nothing may follow.
    pub fn drop_target(&self, edge: usize) -> Option<DropTarget> {
        match self.edges.get(edge)?.as_ref()? {
            EdgeRole::Transition(edge) => Some(DropTarget::Edge(edge.clone())),
            EdgeRole::End(state) => {
                let node = self.node_of_state(state)?;
                self.nodes[node]
                    .takes_next
                    .then(|| DropTarget::After(state.clone()))
            }
        }
    }
}

/// The scope pointer of a graph level: `""`, `/States/P/Branches/0`, `/States/M/ItemProcessor`.
fn scope_pointer(definition: &Value, path: &[PathStep]) -> String {
    let mut scope = String::new();
    let mut state_pointer = String::new();
    for step in path {
        match step {
            PathStep::State(name) => {
                state_pointer = pointer::join(&states_pointer(&scope), name);
            }
            PathStep::Branch(index) => {
                scope = format!("{state_pointer}/Branches/{index}");
            }
            PathStep::Processor => {
                let key = definition
                    .pointer(&state_pointer)
                    .and_then(processor_key)
                    .unwrap_or("ItemProcessor");
                scope = pointer::join(&state_pointer, key);
            }
        }
    }
    scope
}

/// egui position of a layout point.
pub fn pos(point: layout::Point) -> Pos2 {
    Pos2::new(point.x, point.y)
}

pub fn rect(rect: layout::Rect) -> egui::Rect {
    egui::Rect::from_min_max(pos(rect.min), pos(rect.max))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Runs `f` inside a pass, where the fonts are loaded.
    fn in_pass(mut f: impl FnMut(&egui::Context)) {
        let ctx = egui::Context::default();
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| f(ui.ctx()));
        // No renderer takes the font atlas here.
        output.textures_delta.clear();
    }

    #[test]
    fn remembered_widths_give_the_same_graph_as_fresh_ones() {
        let long = "A state whose name is far too long to fit in the widest box of the canvas";
        let definition = json!({"StartAt": "Short", "States": {
            "Short": {"Type": "Pass", "Next": long},
            long: {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}
        }});
        in_pass(|ctx| {
            let mut widths = TextWidths::default();
            let fresh = Graph::build(ctx, &mut widths, &definition, 1).unwrap();
            let remembered = widths.widths.borrow().len();
            assert!(remembered > 0, "the widths are kept for the next build");
            let again = Graph::build(ctx, &mut widths, &definition, 2).unwrap();
            assert_eq!(
                widths.widths.borrow().len(),
                remembered,
                "nothing new to measure"
            );
            let titles = |g: &Graph| g.nodes.iter().map(|n| n.title.clone()).collect::<Vec<_>>();
            assert_eq!(titles(&fresh), titles(&again));
            assert!(titles(&again)[1].ends_with('…'), "{:?}", titles(&again));
            let rects = |g: &Graph| g.layout.nodes.iter().map(|n| n.rect).collect::<Vec<_>>();
            assert_eq!(rects(&fresh), rects(&again));
        });
    }

    #[test]
    fn a_new_scale_measures_again() {
        in_pass(|ctx| {
            let mut widths = TextWidths::default();
            let definition = json!({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}});
            Graph::build(ctx, &mut widths, &definition, 1).unwrap();
            widths.pixels_per_point = ctx.pixels_per_point() * 2.0;
            widths.widths.borrow_mut().insert((0, "stale".into()), 1.0);
            widths.prepare(ctx);
            assert!(widths.widths.borrow().is_empty());
        });
    }
}
