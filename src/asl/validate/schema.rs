//! Which fields each state type accepts, in which query language.

use crate::asl::model::{QueryLanguage, StateType};

/// The query languages a field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lang {
    Both,
    JsonPathOnly,
    JsonataOnly,
}

const PASS: u8 = 1;
const TASK: u8 = 1 << 1;
const CHOICE: u8 = 1 << 2;
const WAIT: u8 = 1 << 3;
const SUCCEED: u8 = 1 << 4;
const FAIL: u8 = 1 << 5;
const PARALLEL: u8 = 1 << 6;
const MAP: u8 = 1 << 7;
const ALL: u8 = u8::MAX;
const FLOWING: u8 = PASS | TASK | WAIT | PARALLEL | MAP;
const WORKING: u8 = TASK | PARALLEL | MAP;

fn bit(state_type: StateType) -> u8 {
    match state_type {
        StateType::Pass => PASS,
        StateType::Task => TASK,
        StateType::Choice => CHOICE,
        StateType::Wait => WAIT,
        StateType::Succeed => SUCCEED,
        StateType::Fail => FAIL,
        StateType::Parallel => PARALLEL,
        StateType::Map => MAP,
    }
}

/// (field, state types that have it, languages it belongs to)
const STATE_FIELDS: &[(&str, u8, Lang)] = &[
    ("Type", ALL, Lang::Both),
    ("Comment", ALL, Lang::Both),
    ("QueryLanguage", ALL, Lang::Both),
    ("Next", FLOWING, Lang::Both),
    ("End", FLOWING, Lang::Both),
    ("InputPath", ALL & !FAIL, Lang::JsonPathOnly),
    ("OutputPath", ALL & !FAIL, Lang::JsonPathOnly),
    (
        "Parameters",
        PASS | TASK | PARALLEL | MAP,
        Lang::JsonPathOnly,
    ),
    ("ResultSelector", WORKING, Lang::JsonPathOnly),
    ("ResultPath", PASS | WORKING, Lang::JsonPathOnly),
    ("Result", PASS, Lang::JsonPathOnly),
    ("Arguments", TASK | PARALLEL, Lang::JsonataOnly),
    ("Output", ALL & !FAIL, Lang::JsonataOnly),
    ("Assign", ALL & !(SUCCEED | FAIL), Lang::Both),
    ("Retry", WORKING, Lang::Both),
    ("Catch", WORKING, Lang::Both),
    ("Resource", TASK, Lang::Both),
    ("TimeoutSeconds", TASK, Lang::Both),
    ("TimeoutSecondsPath", TASK, Lang::JsonPathOnly),
    ("HeartbeatSeconds", TASK, Lang::Both),
    ("HeartbeatSecondsPath", TASK, Lang::JsonPathOnly),
    ("Credentials", TASK, Lang::Both),
    ("Choices", CHOICE, Lang::Both),
    ("Default", CHOICE, Lang::Both),
    ("Seconds", WAIT, Lang::Both),
    ("SecondsPath", WAIT, Lang::JsonPathOnly),
    ("Timestamp", WAIT, Lang::Both),
    ("TimestampPath", WAIT, Lang::JsonPathOnly),
    ("Error", FAIL, Lang::Both),
    ("ErrorPath", FAIL, Lang::JsonPathOnly),
    ("Cause", FAIL, Lang::Both),
    ("CausePath", FAIL, Lang::JsonPathOnly),
    ("Branches", PARALLEL, Lang::Both),
    ("ItemProcessor", MAP, Lang::Both),
    ("Iterator", MAP, Lang::Both),
    ("ItemsPath", MAP, Lang::JsonPathOnly),
    ("Items", MAP, Lang::JsonataOnly),
    ("ItemSelector", MAP, Lang::Both),
    ("ItemReader", MAP, Lang::Both),
    ("ItemBatcher", MAP, Lang::Both),
    ("ResultWriter", MAP, Lang::Both),
    ("MaxConcurrency", MAP, Lang::Both),
    ("MaxConcurrencyPath", MAP, Lang::JsonPathOnly),
    ("ToleratedFailurePercentage", MAP, Lang::Both),
    ("ToleratedFailurePercentagePath", MAP, Lang::JsonPathOnly),
    ("ToleratedFailureCount", MAP, Lang::Both),
    ("ToleratedFailureCountPath", MAP, Lang::JsonPathOnly),
    ("Label", MAP, Lang::Both),
];

/// What a field is to a state of `state_type` in `language`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FieldStatus {
    Allowed,
    /// Known, but not for this state type.
    WrongStateType,
    /// Known for this type, but only in the other query language.
    WrongLanguage(Lang),
    Unknown,
}

pub(super) fn field_status(
    field: &str,
    state_type: StateType,
    language: QueryLanguage,
) -> FieldStatus {
    let Some(&(_, types, lang)) = STATE_FIELDS.iter().find(|(name, _, _)| *name == field) else {
        return FieldStatus::Unknown;
    };
    if types & bit(state_type) == 0 {
        return FieldStatus::WrongStateType;
    }
    match (lang, language) {
        (Lang::JsonPathOnly, QueryLanguage::Jsonata)
        | (Lang::JsonataOnly, QueryLanguage::JsonPath) => FieldStatus::WrongLanguage(lang),
        _ => FieldStatus::Allowed,
    }
}

/// The JSONata replacement of a JSONPath-only field, to point users the right way.
pub(super) fn jsonata_equivalent(field: &str) -> Option<&'static str> {
    Some(match field {
        "Parameters" => "Arguments",
        "InputPath" | "OutputPath" | "ResultSelector" | "ResultPath" | "Result" => "Output",
        "ItemsPath" => "Items",
        "TimeoutSecondsPath" => "TimeoutSeconds",
        "HeartbeatSecondsPath" => "HeartbeatSeconds",
        "SecondsPath" => "Seconds",
        "TimestampPath" => "Timestamp",
        "ErrorPath" => "Error",
        "CausePath" => "Cause",
        "MaxConcurrencyPath" => "MaxConcurrency",
        "ToleratedFailurePercentagePath" => "ToleratedFailurePercentage",
        "ToleratedFailureCountPath" => "ToleratedFailureCount",
        _ => return None,
    })
}

/// Every field name a state may have (for suggestions).
pub(super) fn all_state_fields() -> Vec<&'static str> {
    STATE_FIELDS.iter().map(|(name, _, _)| *name).collect()
}

/// A likely intended field for a misspelt one.
pub(super) fn suggest<'a>(key: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = key.to_ascii_lowercase();
    candidates
        .iter()
        .copied()
        .find(|c| c.to_ascii_lowercase() == lower)
        .or_else(|| {
            candidates
                .iter()
                .copied()
                .filter(|c| c.len() >= 4 && key.contains(*c))
                .max_by_key(|c| c.len())
        })
        .or_else(|| {
            candidates
                .iter()
                .copied()
                .map(|c| (edit_distance(&lower, &c.to_ascii_lowercase()), c))
                .filter(|(d, c)| *d <= 2 && *d < c.len() / 2)
                .min_by_key(|(d, _)| *d)
                .map(|(_, c)| c)
        })
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_depend_on_type_and_language() {
        use FieldStatus::*;
        assert_eq!(
            field_status("Parameters", StateType::Task, QueryLanguage::JsonPath),
            Allowed
        );
        assert_eq!(
            field_status("Parameters", StateType::Task, QueryLanguage::Jsonata),
            WrongLanguage(Lang::JsonPathOnly)
        );
        assert_eq!(
            field_status("Parameters", StateType::Choice, QueryLanguage::JsonPath),
            WrongStateType
        );
        assert_eq!(
            field_status("Output", StateType::Fail, QueryLanguage::Jsonata),
            WrongStateType
        );
        assert_eq!(
            field_status("Assign", StateType::Choice, QueryLanguage::JsonPath),
            Allowed
        );
        assert_eq!(
            field_status("bugInputPath", StateType::Pass, QueryLanguage::JsonPath),
            Unknown
        );
    }

    #[test]
    fn suggests_close_names() {
        let fields = all_state_fields();
        assert_eq!(suggest("bugInputPath", &fields), Some("InputPath"));
        assert_eq!(suggest("ressource", &fields), Some("Resource"));
        assert_eq!(suggest("next", &fields), Some("Next"));
        assert_eq!(suggest("Zzzzzzzzz", &fields), None);
    }
}
