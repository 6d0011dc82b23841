//! What running one state differs in (AWS's TestState semantics, `ExecutionOptions::single_state`):
//! a Map or Parallel state answered by a mock instead of its branches or iterations.

use super::super::errors::{Failure, names};
use super::super::execution::Execution;
use super::super::frame::{FrameId, StateRun};
use super::super::options::ChildrenMock;
use super::super::stages::Stage;
use std::sync::Arc;

/// Whether `failures` of `total` children are more than a Map tolerates. Without a tolerance
/// no failure is tolerated.
pub(crate) fn exceeds_tolerance(
    failures: u64,
    total: usize,
    count: Option<u64>,
    percentage: Option<f64>,
) -> bool {
    let within_count = count.is_some_and(|c| failures <= c);
    let within_percentage =
        percentage.is_some_and(|p| (failures as f64 / total.max(1) as f64) * 100.0 <= p);
    !(within_count || within_percentage)
}

/// The failure of a Map whose failed iterations exceed its tolerance.
pub(crate) fn tolerance_exceeded() -> Failure {
    Failure::new(
        names::EXCEED_TOLERATED,
        "The specified tolerated failure threshold was exceeded",
    )
}

impl Execution {
    /// In a run of one state, answers a Parallel or Map state with the mock instead of running
    /// its children; true when it did. A Map's `mapIterationFailureCount` counts against its
    /// tolerance, when it has one (AWS ignores it otherwise, as recorded).
    pub(super) fn answer_with_children_mock(
        &mut self,
        id: FrameId,
        run: &StateRun,
        children: usize,
        tolerance: Option<(Option<u64>, Option<f64>)>,
    ) -> Result<bool, Failure> {
        let Some(single) = self.options().single_state.clone() else {
            return Ok(false);
        };
        let Some(mock) = &single.children_mock else {
            return Ok(false);
        };
        if !self.is_root(id) {
            return Ok(false);
        }
        let result = match mock {
            ChildrenMock::Error { error, cause } => {
                return Err(Failure::from_parts(error.clone(), cause.clone()));
            }
            ChildrenMock::Result(result) => result,
        };
        if let (Some((count, percentage)), Some(failures)) =
            (tolerance, single.map_iteration_failure_count)
            && (count.is_some() || percentage.is_some())
            && exceeds_tolerance(failures, children, count, percentage)
        {
            return Err(tolerance_exceeded());
        }
        let result = result.clone();
        self.record_stage(id, Stage::Result, &result);
        let (output, assigned) = self.finish_with_result(id, run, result)?;
        self.exit_state(id, Arc::new(output), assigned, None);
        Ok(true)
    }
}

/// TestState's words for a Map's items that are not an array: the reference path as it
/// evaluates it, with the context object's `$$` written `$` (as recorded).
pub(crate) fn items_not_an_array(path: &str) -> Failure {
    let shown = path
        .strip_prefix('$')
        .filter(|p| p.starts_with('$'))
        .unwrap_or(path);
    Failure::new(
        names::RUNTIME,
        format!("Reference path \"{shown}\" must point to array."),
    )
}
