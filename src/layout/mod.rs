//! Layered (Sugiyama-style) layout of ASL state machines with nested Parallel/Map containers,
//! drawn top to bottom like Workflow Studio. No UI: logical points, origin top-left, y down.
//!
//! ```text
//! let input = input_from_definition(&definition, &|name: &str, state: &Value| measure(name, state))?;
//! let placed = layout(&input, &LayoutOptions::default())?;
//! for edge in &placed.edges { /* polyline edge.points, styled by edge.kind */ }
//! ```
//!
//! Pipeline per graph level, innermost containers first (a container is sized by its
//! contents): cycle breaking and longest-path layering (`layering`); dummy lanes for long
//! edges, labels and loops back (`graph`); crossing reduction (`order`); Brandes–Köpf x
//! coordinates (`position`); bands, ports and polyline routes (`route`); `level` sizes
//! containers and `flatten` assembles everything into one [`Layout`]. [`check_layout`] verifies the
//! result (no overlaps, no edge through a state, containment).

mod check;
mod flatten;
mod geometry;
mod graph;
mod input;
mod layering;
mod level;
mod order;
mod position;
mod route;
mod types;

pub use check::{Defect, check_layout};
pub use geometry::{MAX_LENGTH, Point, Rect, Size};
pub use input::{InputError, MAX_INPUT_DEPTH, Measure, input_from_definition};
pub use level::layout;
pub use types::*;
