//! The debugger's core, without UI: breakpoints, the questions a run asks the person (tasks
//! with no mock, callbacks, activities), a run's index for time travel, the run controller
//! (step, continue on a background thread, pause, stop), and the price of a run.

mod breakpoints;
mod index;
mod interactive;
pub mod price;
mod session;

pub use breakpoints::{
    BreakOnError, Breakpoint, Breakpoints, SharedBreakpoints, condition_error, stops_at_entry,
};
pub use index::{
    Assignment, ChildProgress, RunIndex, StateSummary, Transition, Visit, VisitStatus,
    visit_payloads,
};
pub use interactive::{AskKind, AskingBackend, Question, Questions, Reply, usual_answer};
pub use session::{DebugRun, Halt, Progress};
