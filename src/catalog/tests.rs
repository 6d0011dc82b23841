use super::*;
use crate::asl::document::{Document, Format, to_json_pretty};
use crate::asl::graph_edit::{DropTarget, EdgeRef, Slot, StateRef, insert};
use crate::asl::model::StateMachine;
use crate::asl::validate::{Diagnostic, Options, Severity, validate};
use crate::engine::backends::{MockBackend, UnmockedPolicy};
use crate::engine::{Execution, ExecutionOptions, ExecutionStatus};
use serde_json::json;
use std::sync::Arc;

/// `Start → [dropped item] → Done` (a Succeed or Fail: `Start → [item]`), in the given
/// query language.
fn dropped(item: &PaletteItem, language: QueryLanguage) -> Document {
    let mut machine = json!({"StartAt": "Start", "States": {
        "Start": {"Type": "Pass", "Next": "Done"},
        "Done": {"Type": "Succeed"}
    }});
    // A Succeed or Fail ends the flow: it goes below an end, not between two states.
    let terminal = matches!(item.id, "Succeed" | "Fail");
    if terminal {
        machine = json!({"StartAt": "Start", "States": {"Start": {"Type": "Pass", "End": true}}});
    }
    if language == QueryLanguage::Jsonata {
        machine["QueryLanguage"] = json!("JSONata");
    }
    let doc = Document::parse(to_json_pretty(&machine, "  "), Format::Json).unwrap();
    let fragment = item.fragment(language).unwrap();
    let target = match terminal {
        true => DropTarget::After(StateRef::top("Start")),
        false => DropTarget::Edge(EdgeRef::from_state(&StateRef::top("Start"), Slot::Next)),
    };
    let planned = insert(&doc, &target, fragment).unwrap();
    let mut doc = doc;
    doc.apply(&planned.edit).unwrap();
    doc
}

fn problems(doc: &Document) -> Vec<Diagnostic> {
    validate(doc, &Options::default())
        .into_iter()
        .filter(|d| d.severity != Severity::Information)
        // A fresh Parallel or Map has empty graphs for the user to drop states into.
        .filter(|d| !d.pointer.contains("/Branches/") && !d.pointer.contains("/ItemProcessor"))
        .collect()
}

#[test]
fn the_browser_offers_twenty_actions_seven_flow_states_and_five_patterns() {
    assert!(items(Group::Actions).len() >= 20);
    assert_eq!(items(Group::Flow).len(), 7);
    assert!(items(Group::Patterns).len() >= 5);
    let mut ids: Vec<&str> = search("").iter().map(|i| i.id).collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "ids are unique");
}

#[test]
fn every_item_dropped_into_a_jsonpath_workflow_is_valid() {
    for item in search("") {
        let doc = dropped(item, QueryLanguage::JsonPath);
        let problems = problems(&doc);
        assert!(
            problems.is_empty(),
            "{}: {problems:#?}\n{}",
            item.id,
            doc.text()
        );
    }
}

#[test]
fn every_item_dropped_into_a_jsonata_workflow_is_valid() {
    for item in search("") {
        let doc = dropped(item, QueryLanguage::Jsonata);
        let problems = problems(&doc);
        assert!(
            problems.is_empty(),
            "{}: {problems:#?}\n{}",
            item.id,
            doc.text()
        );
        assert!(
            !doc.text().contains(".$\""),
            "{}: no JSONPath left",
            item.id
        );
    }
}

#[test]
fn every_action_runs_against_mocks() {
    for item in items(Group::Actions) {
        for language in [QueryLanguage::JsonPath, QueryLanguage::Jsonata] {
            let doc = dropped(item, language);
            let machine = StateMachine::from_value(doc.value()).unwrap();
            let mocks = json!({item.title: {"0": {"Return": {"Payload": {"ok": true}, "Body": {"content": [{"text": "hi"}]}}}}});
            let backend = MockBackend::from_state_mocks(&mocks, UnmockedPolicy::Fail).unwrap();
            let input = json!({"id": "42", "key": "a.txt", "status": "NEW", "prompt": "Hello"});
            let mut execution = Execution::with_backend(
                &machine,
                input,
                ExecutionOptions::default(),
                Arc::new(backend),
            )
            .unwrap();
            execution.run();
            assert_eq!(
                execution.status(),
                ExecutionStatus::Succeeded,
                "{} ({language:?}): {:?}",
                item.id,
                execution.failure()
            );
        }
    }
}

#[test]
fn actions_show_the_service_they_call() {
    for item in items(Group::Actions) {
        let Source::State(state) = item.source else {
            panic!("{} is not a state", item.id);
        };
        let resource = state()["Resource"].as_str().unwrap_or_default().to_string();
        assert_eq!(task_service(&resource).key, item.icon, "{}", item.id);
    }
}

#[test]
fn search_matches_every_word_anywhere() {
    let ids = |query: &str| -> Vec<&str> { search(query).iter().map(|i| i.id).collect() };
    assert_eq!(
        ids("dynamo"),
        [
            "dynamodb-get",
            "dynamodb-put",
            "dynamodb-update",
            "dynamodb-delete"
        ]
    );
    assert_eq!(ids("QUEUE callback"), ["sqs-send-callback"]);
    assert!(ids("poll").contains(&"pattern-job-poller"));
    assert!(ids("loop").contains(&"Map"));
    assert!(ids("no such thing").is_empty());
    assert_eq!(by_id("Wait").map(|i| i.group), Some(Group::Flow));
}
