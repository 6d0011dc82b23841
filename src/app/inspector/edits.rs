//! Document edits for form fields, planned the way a person would write them: a new field goes
//! where ASL authors usually put it, an emptied field disappears, and nothing untouched is
//! rewritten.

use crate::asl::document::{Document, Edit, NodeKind, pointer};
use crate::asl::model::IntegrationPattern;
use serde_json::{Map as JsonMap, Value};

/// The usual order of fields in states, retriers, catchers and rules (AWS's examples and
/// Workflow Studio write them so): a new field goes before the first existing field that comes
/// after it here. Keys not listed are skipped over.
const FIELD_ORDER: &[&str] = &[
    "Type",
    "QueryLanguage",
    "Comment",
    "ErrorEquals",
    "Variable",
    "Condition",
    "And",
    "Or",
    "Not",
    "Resource",
    "Credentials",
    "InputPath",
    "ItemsPath",
    "Items",
    "ItemReader",
    "ItemSelector",
    "ItemBatcher",
    "ItemProcessor",
    "Iterator",
    "Parameters",
    "Arguments",
    "Result",
    "Seconds",
    "SecondsPath",
    "Timestamp",
    "TimestampPath",
    "Error",
    "ErrorPath",
    "Cause",
    "CausePath",
    "Choices",
    "Branches",
    "MaxConcurrency",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
    "Label",
    "ResultWriter",
    "TimeoutSeconds",
    "TimeoutSecondsPath",
    "HeartbeatSeconds",
    "HeartbeatSecondsPath",
    "IntervalSeconds",
    "MaxAttempts",
    "BackoffRate",
    "MaxDelaySeconds",
    "JitterStrategy",
    "ResultSelector",
    "ResultPath",
    "OutputPath",
    "Output",
    "Assign",
    "Retry",
    "Catch",
    "Default",
    "Next",
    "End",
];

fn rank(key: &str) -> Option<usize> {
    FIELD_ORDER.iter().position(|k| *k == key)
}

/// Where a new member `key` goes among `members` (None: last).
fn insert_index<'k>(members: impl Iterator<Item = &'k str>, key: &str) -> Option<usize> {
    let new_rank = rank(key)?;
    members
        .enumerate()
        .find(|(_, existing)| rank(existing).is_some_and(|r| r > new_rank))
        .map(|(index, _)| index)
}

/// Sets the value at `pointer`, adds it (with any missing parent objects) where it belongs,
/// or removes it for `None`. Returns None when nothing would change.
pub fn set_field(doc: &Document, at: &str, value: Option<Value>) -> Option<Edit> {
    let current = doc.value().pointer(at);
    match (value, current) {
        (None, None) => None,
        (None, Some(_)) => Some(Edit::Remove {
            pointer: at.to_string(),
        }),
        (Some(value), Some(existing)) if *existing == value => None,
        (Some(value), Some(_)) => Some(Edit::Set {
            pointer: at.to_string(),
            value,
        }),
        (Some(value), None) => insert_missing(doc, at, value),
    }
}

/// Adds a member whose object (or whose ancestors) may be missing: the value is wrapped in
/// objects up to the nearest object that exists.
fn insert_missing(doc: &Document, at: &str, mut value: Value) -> Option<Edit> {
    let mut target = at.to_string();
    loop {
        let (parent, key) = pointer::split_last(&target)?;
        match doc.node(&parent).map(|n| &n.kind) {
            Some(NodeKind::Object(members)) => {
                let index = insert_index(members.iter().map(|m| m.key.as_str()), &key);
                return Some(Edit::InsertMember {
                    object: parent,
                    key,
                    value,
                    index,
                });
            }
            Some(_) => return None,
            None => {
                let mut wrapper = JsonMap::new();
                wrapper.insert(key, value);
                value = Value::Object(wrapper);
                target = parent;
            }
        }
    }
}

/// Renames the member at `at` to `new_key` and gives it `value`, in one step, keeping its
/// place (switching `Seconds` to `SecondsPath`, `StringEquals` to `NumericEquals`…).
pub fn rekey(at: &str, new_key: &str, value: Value) -> Edit {
    let renamed = match pointer::split_last(at) {
        Some((parent, _)) => pointer::join(&parent, new_key),
        None => at.to_string(),
    };
    Edit::Batch(vec![
        Edit::RenameKey {
            pointer: at.to_string(),
            new_key: new_key.to_string(),
        },
        Edit::Set {
            pointer: renamed,
            value,
        },
    ])
}

/// Replaces whichever of `keys` the object at `object` has by `key: value` (at the place of
/// the first one present), removing the others: one of several mutually exclusive forms.
pub fn switch_form(doc: &Document, object: &str, keys: &[&str], key: &str, value: Value) -> Edit {
    let present: Vec<&str> = keys
        .iter()
        .copied()
        .filter(|k| doc.value().pointer(&pointer::join(object, k)).is_some())
        .collect();
    let mut edits = Vec::new();
    match present.first() {
        Some(first) => {
            // Removing the extra forms first keeps the first one's pointer valid.
            for extra in present.iter().skip(1) {
                edits.push(Edit::Remove {
                    pointer: pointer::join(object, extra),
                });
            }
            edits.push(rekey(&pointer::join(object, first), key, value));
        }
        None => {
            if let Some(edit) = set_field(doc, &pointer::join(object, key), Some(value)) {
                edits.push(edit);
            }
        }
    }
    single(edits)
}

/// One edit, or a batch of several.
pub fn single(mut edits: Vec<Edit>) -> Edit {
    if edits.len() == 1
        && let Some(edit) = edits.pop()
    {
        return edit;
    }
    Edit::Batch(edits)
}

/// Points a state at `next` (a sibling's name) or makes it end its graph (`None`), turning
/// `End` into `Next` (and back) in place.
pub fn set_transition(doc: &Document, state: &str, next: Option<&str>) -> Option<Edit> {
    let value = match next {
        Some(name) => Value::String(name.to_string()),
        None => Value::Bool(true),
    };
    let key = if next.is_some() { "Next" } else { "End" };
    let current = doc.value().pointer(&pointer::join(state, key));
    let other = if next.is_some() { "End" } else { "Next" };
    let has_other = doc.value().pointer(&pointer::join(state, other)).is_some();
    if current == Some(&value) && !has_other {
        return None;
    }
    Some(switch_form(doc, state, &["Next", "End"], key, value))
}

/// Inserts `value` into the array at `array` (created where it belongs when missing).
pub fn insert_item(doc: &Document, array: &str, index: usize, value: Value) -> Option<Edit> {
    match doc.value().pointer(array) {
        Some(Value::Array(items)) => Some(Edit::InsertItem {
            array: array.to_string(),
            index: index.min(items.len()),
            value,
        }),
        Some(_) => None,
        None => set_field(doc, array, Some(Value::Array(vec![value]))),
    }
}

/// Removes item `index`; the last item takes its (now empty) field with it.
pub fn remove_item(doc: &Document, array: &str, index: usize) -> Option<Edit> {
    let items = doc.value().pointer(array)?.as_array()?;
    if index >= items.len() {
        return None;
    }
    let at = if items.len() == 1 {
        array.to_string()
    } else {
        pointer::join(array, &index.to_string())
    };
    Some(Edit::Remove { pointer: at })
}

/// Swaps items `index` and `index + 1`.
pub fn move_down(doc: &Document, array: &str, index: usize) -> Option<Edit> {
    let items = doc.value().pointer(array)?.as_array()?;
    let first = items.get(index)?.clone();
    let second = items.get(index + 1)?.clone();
    Some(Edit::Batch(vec![
        Edit::Set {
            pointer: pointer::join(array, &index.to_string()),
            value: second,
        },
        Edit::Set {
            pointer: pointer::join(array, &(index + 1).to_string()),
            value: first,
        },
    ]))
}

/// The resource without its integration pattern suffix (`.sync`, `.sync:2`,
/// `.waitForTaskToken`).
pub fn strip_pattern(resource: &str) -> &str {
    let resource = resource
        .strip_suffix(".waitForTaskToken")
        .unwrap_or(resource);
    let Some(at) = resource.rfind(".sync") else {
        return resource;
    };
    match resource.get(at + ".sync".len()..) {
        Some(rest) if rest.is_empty() || rest.starts_with(':') => {
            resource.get(..at).unwrap_or(resource)
        }
        _ => resource,
    }
}

/// Whether a resource is an optimised service integration (`arn:<partition>:states:::…`),
/// the only kind whose pattern is chosen by a suffix.
pub fn is_service_integration(resource: &str) -> bool {
    let parts: Vec<&str> = resource.splitn(6, ':').collect();
    matches!(parts.as_slice(), [_, _, "states", "", "", rest] if !rest.is_empty())
}

/// Services whose optimised integration can run a job and wait for it (`.sync`).
const SYNC_SERVICES: &[&str] = &[
    "athena",
    "batch",
    "codebuild",
    "ecs",
    "eks",
    "elasticmapreduce",
    "emr-containers",
    "emr-serverless",
    "glue",
    "databrew",
    "mediaconvert",
    "sagemaker",
    "states",
    "bedrock",
];

/// Which patterns a resource can use: (`.sync`, `.waitForTaskToken`).
pub fn supported_patterns(resource: &str) -> (bool, bool) {
    if !is_service_integration(resource) {
        return (false, false);
    }
    let plain = strip_pattern(resource);
    let integration = plain.splitn(6, ':').nth(5).unwrap_or_default();
    let service = integration.split(':').next().unwrap_or_default();
    if service == "aws-sdk" {
        // SDK integrations have no .sync; callbacks work with any of them.
        return (false, true);
    }
    if service == "http" {
        return (false, false);
    }
    (SYNC_SERVICES.contains(&service), true)
}

/// The resource rewritten for another integration pattern. Starting a Step Functions
/// execution waits with `.sync:2` (JSON output), as the console writes it; an existing
/// `.sync:N` is kept.
pub fn with_pattern(resource: &str, pattern: IntegrationPattern) -> String {
    let plain = strip_pattern(resource);
    match pattern {
        IntegrationPattern::RequestResponse => plain.to_string(),
        IntegrationPattern::WaitForTaskToken => format!("{plain}.waitForTaskToken"),
        IntegrationPattern::Sync => {
            let existing = resource.get(plain.len()..).unwrap_or_default();
            if existing.starts_with(".sync") {
                resource.to_string()
            } else if plain.ends_with(":startExecution") {
                format!("{plain}.sync:2")
            } else {
                format!("{plain}.sync")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::document::Format;
    use serde_json::json;

    fn doc(text: &str) -> Document {
        Document::parse(text, Format::Json).unwrap()
    }

    fn applied(text: &str, edit: &Edit) -> String {
        let mut d = doc(text);
        d.apply(edit).unwrap();
        d.text().to_string()
    }

    const TASK: &str = "{\"States\": {\"T\": {\n  \"Type\": \"Task\",\n  \"Resource\": \"arn:aws:states:::lambda:invoke\",\n  \"Next\": \"B\"\n}}}";

    #[test]
    fn a_new_field_goes_where_authors_put_it() {
        let edit = set_field(&doc(TASK), "/States/T/ResultPath", Some(json!("$.r"))).unwrap();
        let text = applied(TASK, &edit);
        let result = text.find("ResultPath").unwrap();
        assert!(text.find("Resource").unwrap() < result);
        assert!(result < text.find("Next").unwrap());
        let edit = set_field(&doc(TASK), "/States/T/Comment", Some(json!("hi"))).unwrap();
        let text = applied(TASK, &edit);
        assert!(text.find("Comment").unwrap() < text.find("Resource").unwrap());
    }

    #[test]
    fn empty_and_unchanged_fields() {
        let d = doc(TASK);
        assert_eq!(set_field(&d, "/States/T/Comment", None), None);
        assert_eq!(
            set_field(
                &d,
                "/States/T/Resource",
                Some(json!("arn:aws:states:::lambda:invoke"))
            ),
            None
        );
        assert_eq!(
            set_field(&d, "/States/T/Next", None),
            Some(Edit::Remove {
                pointer: "/States/T/Next".into()
            })
        );
    }

    #[test]
    fn missing_parents_are_created() {
        let text =
            "{\"States\": {\"M\": {\"Type\": \"Map\", \"ItemProcessor\": {\"StartAt\": \"X\"}}}}";
        let edit = set_field(
            &doc(text),
            "/States/M/ItemProcessor/ProcessorConfig/Mode",
            Some(json!("DISTRIBUTED")),
        )
        .unwrap();
        let mut d = doc(text);
        d.apply(&edit).unwrap();
        assert_eq!(
            d.value().pointer("/States/M/ItemProcessor/ProcessorConfig"),
            Some(&json!({"Mode": "DISTRIBUTED"}))
        );
    }

    #[test]
    fn next_and_end_switch_in_place() {
        let edit = set_transition(&doc(TASK), "/States/T", None).unwrap();
        let text = applied(TASK, &edit);
        assert!(text.contains("\"End\": true\n}"), "{text}");
        assert!(!text.contains("Next"));
        let back = set_transition(&doc(&text), "/States/T", Some("C")).unwrap();
        assert!(applied(&text, &back).contains("\"Next\": \"C\"\n}"));
        assert_eq!(set_transition(&doc(TASK), "/States/T", Some("B")), None);
    }

    #[test]
    fn one_of_several_forms_replaces_all_of_them() {
        let text = r#"{"W": {"Type": "Wait", "Seconds": 5, "Timestamp": "x", "Next": "A"}}"#;
        let edit = switch_form(
            &doc(text),
            "/W",
            &["Seconds", "SecondsPath", "Timestamp", "TimestampPath"],
            "SecondsPath",
            json!("$.s"),
        );
        let mut d = doc(text);
        d.apply(&edit).unwrap();
        assert_eq!(
            d.value(),
            &json!({"W": {"Type": "Wait", "SecondsPath": "$.s", "Next": "A"}})
        );
    }

    #[test]
    fn items_are_added_removed_and_swapped() {
        let text = r#"{"S": {"Type": "Task"}}"#;
        let d = doc(text);
        let edit = insert_item(&d, "/S/Retry", 0, json!({"ErrorEquals": ["States.ALL"]})).unwrap();
        let mut d = doc(text);
        d.apply(&edit).unwrap();
        assert_eq!(
            d.value().pointer("/S/Retry/0/ErrorEquals/0"),
            Some(&json!("States.ALL"))
        );
        let edit = insert_item(&d, "/S/Retry", 9, json!({"ErrorEquals": ["B"]})).unwrap();
        d.apply(&edit).unwrap();
        let edit = move_down(&d, "/S/Retry", 0).unwrap();
        d.apply(&edit).unwrap();
        assert_eq!(
            d.value().pointer("/S/Retry/0/ErrorEquals/0"),
            Some(&json!("B"))
        );
        assert_eq!(move_down(&d, "/S/Retry", 1), None);
        d.apply(&remove_item(&d, "/S/Retry", 0).unwrap()).unwrap();
        d.apply(&remove_item(&d, "/S/Retry", 0).unwrap()).unwrap();
        assert_eq!(d.value(), &json!({"S": {"Type": "Task"}}));
    }

    #[test]
    fn scalars_go_into_yaml_block_lists_whole() {
        let text = "R:\n  - ErrorEquals:\n      - States.ALL\n    MaxAttempts: 2\n";
        let mut d = Document::parse(text, Format::Yaml).unwrap();
        let edit = insert_item(&d, "/R/0/ErrorEquals", 1, json!("States.Timeout")).unwrap();
        d.apply(&edit).unwrap();
        assert_eq!(
            d.text(),
            "R:\n  - ErrorEquals:\n      - States.ALL\n      - States.Timeout\n    MaxAttempts: 2\n"
        );
        // Objects still go in as one inserted item, and move and go as whole items.
        let edit = insert_item(&d, "/R", 1, json!({"ErrorEquals": ["X"]})).unwrap();
        assert!(matches!(edit, Edit::InsertItem { .. }));
        d.apply(&edit).unwrap();
        d.apply(&move_down(&d, "/R", 0).unwrap()).unwrap();
        assert_eq!(
            d.text(),
            "R:\n  - ErrorEquals:\n      - X\n  - ErrorEquals:\n      - States.ALL\n      - States.Timeout\n    MaxAttempts: 2\n"
        );
        d.apply(&remove_item(&d, "/R", 0).unwrap()).unwrap();
        assert_eq!(
            d.value(),
            &json!({"R": [{"ErrorEquals": ["States.ALL", "States.Timeout"], "MaxAttempts": 2}]})
        );
    }

    #[test]
    fn patterns_rewrite_the_suffix() {
        let invoke = "arn:aws:states:::lambda:invoke";
        assert_eq!(
            with_pattern(invoke, IntegrationPattern::WaitForTaskToken),
            "arn:aws:states:::lambda:invoke.waitForTaskToken"
        );
        assert_eq!(
            with_pattern(
                "arn:aws:states:::ecs:runTask.waitForTaskToken",
                IntegrationPattern::Sync
            ),
            "arn:aws:states:::ecs:runTask.sync"
        );
        assert_eq!(
            with_pattern(
                "arn:aws:states:::states:startExecution",
                IntegrationPattern::Sync
            ),
            "arn:aws:states:::states:startExecution.sync:2"
        );
        assert_eq!(
            with_pattern(
                "arn:aws:states:::states:startExecution.sync",
                IntegrationPattern::Sync
            ),
            "arn:aws:states:::states:startExecution.sync"
        );
        assert_eq!(
            with_pattern(
                "arn:aws:states:::glue:startJobRun.sync",
                IntegrationPattern::RequestResponse
            ),
            "arn:aws:states:::glue:startJobRun"
        );
        assert_eq!(
            strip_pattern("arn:aws:states:::x:a.synchronize"),
            "arn:aws:states:::x:a.synchronize"
        );
    }

    #[test]
    fn supported_patterns_depend_on_the_service() {
        assert_eq!(
            supported_patterns("arn:aws:states:::lambda:invoke"),
            (false, true)
        );
        assert_eq!(
            supported_patterns("arn:aws:states:::ecs:runTask.sync"),
            (true, true)
        );
        assert_eq!(
            supported_patterns("arn:aws:states:::aws-sdk:s3:getObject"),
            (false, true)
        );
        assert_eq!(
            supported_patterns("arn:aws:lambda:us-east-1:1:function:f"),
            (false, false)
        );
    }
}
