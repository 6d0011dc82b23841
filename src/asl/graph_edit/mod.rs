//! Graph edits: what the Design canvas does to a workflow (insert from the palette, delete,
//! move, duplicate, copy and paste, rename, reconnect), planned as one document [`Edit`] that
//! rewires `Next`/`End`/`StartAt` the way Workflow Studio does and keeps the user's formatting.
//!
//! States are addressed by the graph they live in (the JSON pointer of the object holding
//! `StartAt` and `States`: `""` for the machine, `/States/P/Branches/0` for a Parallel branch,
//! `/States/M/ItemProcessor` for a Map) and their name. Transitions are scope-local in ASL, so
//! every rewiring happens inside one graph.

mod fragment;
mod insert;
mod remove;
mod rename;
mod scan;
#[cfg(test)]
mod tests;
mod wire;

pub use fragment::Fragment;
pub use insert::{duplicate, insert, paste};
pub use remove::{move_state, remove};
pub use rename::{connect, rename, validate_name};
pub use scan::{all_state_names, processor_key, transitions, unique_name};

use super::document::{Document, Edit, EditError, pointer};

/// A state: the graph it belongs to and its name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StateRef {
    /// Pointer of the object holding `StartAt` and `States`.
    pub scope: String,
    pub name: String,
}

impl StateRef {
    pub fn new(scope: impl Into<String>, name: impl Into<String>) -> StateRef {
        StateRef {
            scope: scope.into(),
            name: name.into(),
        }
    }

    /// A state of the top-level machine.
    pub fn top(name: impl Into<String>) -> StateRef {
        StateRef::new("", name)
    }

    /// The state whose object is at `pointer` (`…/States/<name>`), if it is one.
    pub fn from_pointer(pointer: &str) -> Option<StateRef> {
        let (parent, name) = pointer::split_last(pointer)?;
        let scope = parent.strip_suffix("/States")?;
        Some(StateRef::new(scope, name))
    }

    /// The JSON pointer of the state's object.
    pub fn pointer(&self) -> String {
        pointer::join(&states_pointer(&self.scope), &self.name)
    }
}

/// The pointer of a graph's `States` object.
pub fn states_pointer(scope: &str) -> String {
    pointer::join(scope, "States")
}

/// Which transition of a state an edge stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    /// The graph's `StartAt` (the edge from the Start marker).
    Start,
    Next,
    /// A Choice state's `Default`.
    Default,
    /// `Choices[index].Next`.
    Rule(usize),
    /// `Catch[index].Next`.
    Catch(usize),
}

impl std::fmt::Display for Slot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Slot::Start => f.write_str("StartAt"),
            Slot::Next => f.write_str("Next"),
            Slot::Default => f.write_str("Default"),
            Slot::Rule(i) => write!(f, "Choices[{i}].Next"),
            Slot::Catch(i) => write!(f, "Catch[{i}].Next"),
        }
    }
}

/// An edge of the graph, named by where it starts; where it ends is read from the document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EdgeRef {
    pub scope: String,
    /// The state the edge leaves; `None` for the Start marker (with [`Slot::Start`]).
    pub from: Option<String>,
    pub slot: Slot,
}

impl EdgeRef {
    /// The edge from a graph's Start marker.
    pub fn start(scope: impl Into<String>) -> EdgeRef {
        EdgeRef {
            scope: scope.into(),
            from: None,
            slot: Slot::Start,
        }
    }

    pub fn from_state(state: &StateRef, slot: Slot) -> EdgeRef {
        EdgeRef {
            scope: state.scope.clone(),
            from: Some(state.name.clone()),
            slot,
        }
    }
}

/// Where a dropped or pasted state goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DropTarget {
    /// On an edge: the new states go between its two ends.
    Edge(EdgeRef),
    /// Below a state that ends its graph (`End: true`): the new states continue from it.
    After(StateRef),
    /// Into a graph with no states yet (a new Parallel branch or Map item processor).
    Empty { scope: String },
}

impl DropTarget {
    pub fn scope(&self) -> &str {
        match self {
            DropTarget::Edge(edge) => &edge.scope,
            DropTarget::After(state) => &state.scope,
            DropTarget::Empty { scope } => scope,
        }
    }
}

/// A planned change: the edit to apply and the states to select afterwards.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub edit: Edit,
    pub selected: Vec<StateRef>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GraphEditError {
    #[error("there is no state \"{0}\" here")]
    NoSuchState(String),
    #[error("{0} is not a graph of states")]
    NoSuchScope(String),
    #[error("\"{state}\" has no {slot} transition")]
    NoSuchEdge { state: String, slot: Slot },
    #[error("{0}")]
    InvalidName(String),
    #[error("a state named \"{0}\" already exists")]
    NameTaken(String),
    #[error("a {0} state ends the workflow; nothing can follow it")]
    CannotContinue(String),
    #[error("a state cannot be moved into itself")]
    IntoItself,
    #[error("no states to {0}")]
    NothingSelected(&'static str),
    #[error("the copied states must come from one graph")]
    SeveralGraphs,
    #[error("not ASL states: {0}")]
    NotStates(String),
    #[error(transparent)]
    Edit(#[from] EditError),
}

/// Builds a batch of edits against a working copy, so that each edit's pointers are checked
/// against the document as the previous edits left it.
struct Planner {
    doc: Document,
    edits: Vec<Edit>,
}

impl Planner {
    fn new(doc: &Document) -> Planner {
        Planner {
            doc: doc.clone(),
            edits: Vec::new(),
        }
    }

    fn push(&mut self, edit: Edit) -> Result<(), GraphEditError> {
        self.doc.apply(&edit)?;
        self.edits.push(edit);
        Ok(())
    }

    fn finish(self, selected: Vec<StateRef>) -> Planned {
        Planned {
            edit: Edit::Batch(self.edits),
            selected,
        }
    }
}
