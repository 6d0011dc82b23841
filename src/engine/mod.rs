//! The interpreter: runs a state machine exactly as AWS Step Functions does, one history event
//! at a time, under a virtual clock. No UI here.

pub mod backends;
mod compiled;
mod dataflow;
pub mod debug;
mod errors;
mod execution;
mod frame;
mod history;
mod inspect;
mod options;
mod pause;
mod places;
mod report;
pub mod service_models;
mod stages;
mod states;
mod task_events;
mod template;
pub mod test_state;
pub mod testcase;

pub use dataflow::payload_size;
pub use errors::{Failure, FailureSource, matches as error_matches, names as error_names};
pub use execution::{Execution, ExecutionStatus, StartError, Step};
pub use history::{EventKind, HistoryEvent, TaskFamily, TaskRef, payload_text};
pub use inspect::{ActiveState, Activity, Scope};
pub use options::{
    ChildrenMock, ClockMode, ExecutionOptions, PAYLOAD_LIMIT, STANDARD_EVENT_CAP, SingleState,
    WorkflowType,
};
pub use pause::{Pause, PausePoint, PausePolicy};
pub use places::{EventPlace, Places, ScopeEntry};
pub use report::write_json_report;
pub use stages::{ErrorDetails, MapSettings, Stage, StageFailure, StageRecord, StateVisit};
