//! Which stages a visit shows, in AWS's order, and what each shows at the moment the run view
//! is at: the data recorded by then, the field's expression from the definition, the error of
//! the stage the state failed in, or why a stage has not run. UI-free, unit-tested.

use crate::app::widgets::json_tree::Diff;
use crate::app::widgets::stages::{
    Expression, StageData, StageError, StageRow, compared_with, flows_on,
};
use crate::asl::model::QueryLanguage;
use crate::engine::{Stage, StateVisit};
use serde_json::Value;

/// A stage the cursor has not reached.
pub const NOT_REACHED: &str = "not reached yet";
/// A stage after the one the state failed in.
const AFTER_FAILURE: &str = "not run: the state failed before it";
/// A stage a visit that ended never ran (stopped from outside, or nothing to do).
const NOT_RUN: &str = "not run";

/// The visit as the run view shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Moment<'a> {
    /// The event shown: stages recorded later have not happened yet.
    pub cursor: u64,
    /// The visit had ended by the cursor.
    pub ended: bool,
    /// The stage the state failed in and its error, once the cursor has reached the failure.
    pub failure: Option<(Stage, StageError<'a>)>,
}

/// The stages a state of this type goes through, in AWS's order (a Pass state's `Result`
/// and a JSONata state's `Assign` only when the state has the field). JSONPath's `Assign`
/// is not among them: it is shown below the stages, with the variables.
pub fn stages_of(state_type: &str, language: QueryLanguage, state: Option<&Value>) -> Vec<Stage> {
    use Stage::*;
    let has = |field: &str| state.and_then(|s| s.get(field)).is_some();
    let mut list = vec![Input];
    match language {
        QueryLanguage::JsonPath => {
            if state_type != "Fail" {
                list.push(AfterInputPath);
            }
            match state_type {
                "Task" | "Parallel" => list.extend([
                    AfterParameters,
                    Result,
                    AfterResultSelector,
                    AfterResultPath,
                ]),
                "Pass" => {
                    list.push(AfterParameters);
                    if has("Result") {
                        list.push(Result);
                    }
                    list.push(AfterResultPath);
                }
                // ItemSelector applies to each item, in the iterations.
                "Map" => {
                    list.extend([AfterItemsPath, Result, AfterResultSelector, AfterResultPath])
                }
                _ => {}
            }
            if state_type != "Fail" {
                list.push(Output);
            }
        }
        QueryLanguage::Jsonata => {
            match state_type {
                "Task" | "Parallel" => list.extend([AfterArguments, Result]),
                "Map" => list.extend([AfterItemsPath, Result]),
                _ => {}
            }
            if state_type != "Fail" {
                list.push(Output);
            }
            if has("Assign") {
                list.push(Assigned);
            }
        }
    }
    list
}

/// Where a stage comes in AWS's order (a Map takes its items before ItemSelector).
fn rank(stage: Stage) -> u8 {
    match stage {
        Stage::Input => 0,
        Stage::AfterInputPath => 1,
        Stage::AfterItemsPath => 2,
        Stage::AfterParameters | Stage::AfterArguments => 3,
        Stage::Result => 4,
        Stage::AfterResultSelector => 5,
        Stage::AfterResultPath => 6,
        Stage::Output => 7,
        Stage::Assigned => 8,
    }
}

/// The field behind a stage as the definition writes it, compact (`InputPath: "$.order"`), or
/// what applies when it is not written (`ResultPath: "$" (default)`).
pub fn expression(
    stage: Stage,
    language: QueryLanguage,
    state_type: &str,
    state: Option<&Value>,
) -> Option<Expression> {
    let field = stage.field(language, state_type)?;
    // A Map's or Parallel's children are drawn on the canvas, not repeated here.
    if matches!(field, "ItemProcessor" | "Branches") {
        return None;
    }
    let written = state.and_then(|s| {
        s.get(field).or_else(|| {
            // Older Map states call their ItemSelector Parameters.
            (field == "ItemSelector")
                .then(|| s.get("Parameters"))
                .flatten()
        })
    });
    if let Some(value) = written {
        let text = serde_json::to_string(value).unwrap_or_default();
        return Some(Expression {
            text: format!("{field}: {text}"),
            written: true,
        });
    }
    let absent = match (language, field) {
        (QueryLanguage::JsonPath, "InputPath" | "ResultPath" | "OutputPath") => {
            format!("{field}: \"$\" (default)")
        }
        (QueryLanguage::JsonPath, "ItemsPath") => "ItemsPath: \"$\" (default)".to_string(),
        (QueryLanguage::Jsonata, "Output") => {
            "Output: not set (the result, else the input)".to_string()
        }
        (QueryLanguage::Jsonata, "Items") => "Items: not set (the input)".to_string(),
        _ => format!("{field}: not set (the data passes on)"),
    };
    Some(Expression {
        text: absent,
        written: false,
    })
}

/// Every stage of the visit, in AWS's order, as it stood at `moment`: each compared with the
/// data stage before it, the failed one with its error, the others greyed with why they have
/// not run. Stages the state recorded besides its usual ones (a Map's ItemSelector...) are
/// slotted in where AWS applies them.
pub fn rows<'a>(
    visit: &'a StateVisit,
    state: Option<&Value>,
    moment: &Moment<'a>,
) -> Vec<StageRow<'a>> {
    let (language, state_type) = (visit.language, visit.state_type);
    let latest = |stage: Stage| {
        visit
            .stages
            .iter()
            .rev()
            .find(|r| r.stage == stage && r.at_event <= moment.cursor)
            .map(|r| r.value.as_ref())
    };
    let mut stages = stages_of(state_type, language, state);
    let recorded = visit
        .stages
        .iter()
        .filter(|r| r.at_event <= moment.cursor)
        .map(|r| r.stage)
        .chain(moment.failure.as_ref().map(|(stage, _)| *stage));
    for stage in recorded {
        let beside = language == QueryLanguage::JsonPath && stage == Stage::Assigned;
        if !beside && !stages.contains(&stage) {
            stages.push(stage);
        }
    }
    // Stable: the usual stages keep their order among equals.
    stages.sort_by_key(|stage| rank(*stage));
    let stopped_at = moment
        .failure
        .as_ref()
        .filter(|(_, error)| !error.retried)
        .map(|(stage, _)| rank(*stage));
    let mut previous: Option<&Value> = None;
    stages
        .into_iter()
        .map(|stage| {
            let failure = moment
                .failure
                .as_ref()
                .filter(|(failed, _)| *failed == stage)
                .map(|(_, error)| error.clone());
            let data = match latest(stage) {
                Some(value) => {
                    let diff = if flows_on(stage) {
                        let before = compared_with(stage, previous, latest(Stage::Input));
                        let diff = before.map(|before| Diff::between(before, value));
                        previous = Some(value);
                        diff
                    } else {
                        None
                    };
                    StageData::Reached { value, diff }
                }
                None if stopped_at.is_some_and(|at| rank(stage) > at) => {
                    StageData::NotReached(AFTER_FAILURE)
                }
                None if moment.ended => StageData::NotReached(NOT_RUN),
                None => StageData::NotReached(NOT_REACHED),
            };
            let mut row = StageRow::new(stage, language, state_type, data);
            row.expression = expression(stage, language, state_type, state);
            row.failure = failure;
            row
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{ErrorDetails, StageRecord};
    use serde_json::json;
    use std::sync::Arc;

    fn visit(stages: &[(Stage, Value, u64)]) -> StateVisit {
        StateVisit {
            name: "Charge".into(),
            state_type: "Task",
            language: QueryLanguage::JsonPath,
            scope: Vec::new(),
            entered_event: 2,
            stages: stages
                .iter()
                .map(|(stage, value, at_event)| StageRecord {
                    stage: *stage,
                    value: Arc::new(value.clone()),
                    at_event: *at_event,
                })
                .collect(),
            failure: None,
            error_details: ErrorDetails::default(),
            map: None,
            variables: None,
            next_state: None,
            ended: false,
        }
    }

    fn titles(rows: &[StageRow<'_>]) -> Vec<&'static str> {
        rows.iter().map(|r| r.title).collect()
    }

    #[test]
    fn a_task_shows_awss_stages_in_order_with_its_fields() {
        let state = json!({"Type": "Task", "InputPath": "$.order",
                           "ResultSelector": {"total.$": "$.Payload.amount"}});
        let visit = visit(&[
            (Stage::Input, json!({"order": {"id": 1}}), 2),
            (Stage::AfterInputPath, json!({"id": 1}), 2),
            (Stage::AfterParameters, json!({"id": 1}), 2),
            (Stage::Result, json!({"Payload": {"amount": 5}}), 5),
        ]);
        let moment = Moment {
            cursor: 4,
            ended: false,
            failure: None,
        };
        let rows = rows(&visit, Some(&state), &moment);
        assert_eq!(
            titles(&rows),
            [
                "Input",
                "InputPath",
                "Parameters",
                "Result",
                "ResultSelector",
                "ResultPath",
                "OutputPath"
            ]
        );
        let text = |i: usize| rows[i].expression.as_ref().map(|e| e.text.as_str());
        assert_eq!(text(0), None);
        assert_eq!(text(1), Some("InputPath: \"$.order\""));
        assert_eq!(
            text(4),
            Some("ResultSelector: {\"total.$\":\"$.Payload.amount\"}")
        );
        assert_eq!(text(5), Some("ResultPath: \"$\" (default)"));
        assert!(!rows[5].expression.as_ref().is_some_and(|e| e.written));
        // InputPath changed the input; Parameters (not written) passed it on.
        let diff = |i: usize| match &rows[i].data {
            StageData::Reached { diff, .. } => diff.as_ref().map(Diff::is_empty),
            StageData::NotReached(why) => panic!("{} not reached: {why}", rows[i].title),
        };
        assert_eq!((diff(0), diff(1), diff(2)), (None, Some(false), Some(true)));
        // The result is recorded at event 5: at event 4 it has not come yet.
        assert_eq!(rows[3].data, StageData::NotReached(NOT_REACHED));
    }

    #[test]
    fn the_failed_stage_carries_the_error_and_later_ones_did_not_run() {
        let visit = visit(&[
            (Stage::Input, json!({}), 2),
            (Stage::AfterInputPath, json!({}), 2),
            (Stage::AfterParameters, json!({}), 2),
            (Stage::Result, json!({"a": 1}), 4),
        ]);
        let error = StageError {
            error: Some("States.Runtime"),
            cause: Some("no such path"),
            retried: false,
        };
        let moment = Moment {
            cursor: 9,
            ended: true,
            failure: Some((Stage::AfterResultSelector, error.clone())),
        };
        let rows = rows(&visit, None, &moment);
        assert_eq!(rows[4].title, "ResultSelector");
        assert_eq!(rows[4].failure, Some(error));
        assert_eq!(rows[5].data, StageData::NotReached(AFTER_FAILURE));
        assert!(rows.iter().filter(|r| r.failure.is_some()).count() == 1);
    }

    #[test]
    fn jsonata_stages_and_extra_recorded_ones() {
        let state = json!({"Type": "Task", "Arguments": "{% $states.input %}",
                           "Assign": {"x": 1}});
        let list = stages_of("Task", QueryLanguage::Jsonata, Some(&state));
        assert_eq!(
            list,
            [
                Stage::Input,
                Stage::AfterArguments,
                Stage::Result,
                Stage::Output,
                Stage::Assigned
            ]
        );
        let output = expression(Stage::Output, QueryLanguage::Jsonata, "Task", Some(&state));
        assert_eq!(
            output.map(|e| e.written),
            Some(false),
            "no Output field: what applies instead"
        );
        let arguments = expression(
            Stage::AfterArguments,
            QueryLanguage::Jsonata,
            "Task",
            Some(&state),
        );
        assert_eq!(
            arguments.map(|e| e.text),
            Some("Arguments: \"{% $states.input %}\"".to_string())
        );
        // A Map's ItemSelector, when recorded, comes after its items.
        let mut map = visit(&[
            (Stage::Input, json!([1]), 2),
            (Stage::AfterParameters, json!({}), 3),
            (Stage::AfterItemsPath, json!([1]), 3),
        ]);
        map.state_type = "Map";
        let moment = Moment {
            cursor: 3,
            ended: false,
            failure: None,
        };
        let shown = titles(&rows(&map, None, &moment));
        assert_eq!(
            shown[..4],
            ["Input", "InputPath", "ItemsPath", "ItemSelector"]
        );
    }
}
