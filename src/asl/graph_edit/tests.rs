use super::*;
use crate::asl::document::{Format, to_json_pretty};
use crate::asl::validate::{Options, Severity, validate};
use serde_json::{Value, json};

fn doc(value: Value) -> Document {
    Document::parse(to_json_pretty(&value, "  "), Format::Json).expect("test document parses")
}

fn apply(doc: &Document, planned: &Planned) -> Document {
    let mut doc = doc.clone();
    doc.apply(&planned.edit).expect("the planned edit applies");
    doc
}

fn errors(doc: &Document) -> Vec<String> {
    validate(doc, &Options::default())
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{} {}", d.pointer, d.message))
        .collect()
}

fn chain(names: &[&str]) -> Document {
    let mut states = serde_json::Map::new();
    for (i, name) in names.iter().enumerate() {
        let state = match names.get(i + 1) {
            Some(next) => json!({"Type": "Pass", "Next": next}),
            None => json!({"Type": "Pass", "End": true}),
        };
        states.insert((*name).to_string(), state);
    }
    doc(json!({"StartAt": names[0], "States": states}))
}

fn keys(doc: &Document, scope: &str) -> Vec<String> {
    doc.value()
        .pointer(&states_pointer(scope))
        .and_then(Value::as_object)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default()
}

fn at<'d>(doc: &'d Document, pointer: &str) -> &'d Value {
    doc.value().pointer(pointer).unwrap_or(&Value::Null)
}

fn pass() -> Fragment {
    Fragment::single("Pass", json!({"Type": "Pass"}))
}

fn next_edge(from: &str) -> DropTarget {
    DropTarget::Edge(EdgeRef::from_state(&StateRef::top(from), Slot::Next))
}

#[test]
fn a_state_dropped_on_an_edge_goes_between_its_ends() {
    let before = chain(&["A", "B"]);
    let planned = insert(&before, &next_edge("A"), pass()).unwrap();
    let after = apply(&before, &planned);
    assert_eq!(at(&after, "/States/A/Next"), "Pass");
    assert_eq!(at(&after, "/States/Pass/Next"), "B");
    assert_eq!(keys(&after, ""), ["A", "Pass", "B"]);
    assert_eq!(planned.selected, [StateRef::top("Pass")]);
    assert!(errors(&after).is_empty(), "{:?}", errors(&after));
    // Only the new state's lines and A's Next changed: B is byte-for-byte where it was.
    assert!(
        after
            .text()
            .ends_with(before.text().split("\"B\": {").nth(1).unwrap())
    );
}

#[test]
fn dropping_on_the_start_edge_makes_a_new_start_and_names_stay_unique() {
    let before = chain(&["Pass", "B"]);
    let after = apply(
        &before,
        &insert(&before, &DropTarget::Edge(EdgeRef::start("")), pass()).unwrap(),
    );
    assert_eq!(at(&after, "/StartAt"), "Pass (1)");
    assert_eq!(at(&after, "/States/Pass (1)/Next"), "Pass");
    assert_eq!(keys(&after, "")[0], "Pass (1)");
    assert!(errors(&after).is_empty());
}

#[test]
fn dropping_below_an_end_state_continues_the_flow() {
    let before = chain(&["A"]);
    let target = DropTarget::After(StateRef::top("A"));
    let after = apply(&before, &insert(&before, &target, pass()).unwrap());
    assert_eq!(at(&after, "/States/A/Next"), "Pass");
    assert_eq!(at(&after, "/States/A/End"), &Value::Null);
    assert_eq!(at(&after, "/States/Pass/End"), true);
    // `Next` took `End`'s place in the key order.
    let a_keys: Vec<&String> = at(&after, "/States/A")
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(a_keys, ["Type", "Next"]);
    let fail = doc(json!({"StartAt": "F", "States": {"F": {"Type": "Fail"}}}));
    let err = insert(&fail, &DropTarget::After(StateRef::top("F")), pass()).unwrap_err();
    assert_eq!(err, GraphEditError::CannotContinue("Fail".into()));
}

#[test]
fn a_parallel_gets_empty_branches_that_take_a_task() {
    let before = chain(&["A", "B"]);
    let parallel = json!({"Type": "Parallel", "Branches": [
        {"StartAt": "", "States": {}}, {"StartAt": "", "States": {}}
    ]});
    let after = apply(
        &before,
        &insert(
            &before,
            &next_edge("A"),
            Fragment::single("Parallel", parallel),
        )
        .unwrap(),
    );
    assert_eq!(at(&after, "/States/Parallel/Next"), "B");
    let branch = DropTarget::Empty {
        scope: "/States/Parallel/Branches/1".into(),
    };
    let task = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Arguments": {"FunctionName": "f", "Payload": "{% $states.input %}"}, "QueryLanguage": "JSONata"});
    let planned = insert(&after, &branch, Fragment::single("Lambda Invoke", task)).unwrap();
    let filled = apply(&after, &planned);
    assert_eq!(
        at(&filled, "/States/Parallel/Branches/1/StartAt"),
        "Lambda Invoke"
    );
    assert_eq!(
        at(
            &filled,
            "/States/Parallel/Branches/1/States/Lambda Invoke/End"
        ),
        true
    );
    assert_eq!(
        planned.selected,
        [StateRef::new(
            "/States/Parallel/Branches/1",
            "Lambda Invoke"
        )]
    );
    // A second drop on the now non-empty branch's place goes in front of its start.
    let again = apply(&filled, &insert(&filled, &branch, pass()).unwrap());
    assert_eq!(at(&again, "/States/Parallel/Branches/1/StartAt"), "Pass");
    assert_eq!(
        at(&again, "/States/Parallel/Branches/1/States/Pass/Next"),
        "Lambda Invoke"
    );
}

#[test]
fn a_new_choice_leads_on_to_what_followed_or_to_a_new_succeed() {
    let choice = json!({"Type": "Choice", "Choices": [
        {"Variable": "$.ok", "BooleanEquals": true, "Next": ""}
    ], "Default": ""});
    let before = chain(&["A", "B"]);
    let after = apply(
        &before,
        &insert(
            &before,
            &next_edge("A"),
            Fragment::single("Choice", choice.clone()),
        )
        .unwrap(),
    );
    assert_eq!(at(&after, "/States/Choice/Choices/0/Next"), "B");
    assert_eq!(at(&after, "/States/Choice/Default"), "B");
    assert!(errors(&after).is_empty(), "{:?}", errors(&after));

    let end = chain(&["A"]);
    let target = DropTarget::After(StateRef::top("A"));
    let after = apply(
        &end,
        &insert(&end, &target, Fragment::single("Choice", choice)).unwrap(),
    );
    assert_eq!(at(&after, "/States/Choice/Choices/0/Next"), "Success");
    assert_eq!(at(&after, "/States/Choice/Default"), &Value::Null);
    assert_eq!(at(&after, "/States/Success/Type"), "Succeed");
    assert!(errors(&after).is_empty(), "{:?}", errors(&after));
}

#[test]
fn a_pattern_continues_where_its_succeed_state_was() {
    let pattern: Value = serde_json::from_str(include_str!(
        "../../../templates/pattern-job-poller.asl.json"
    ))
    .unwrap();
    let before = chain(&["Wait", "B"]);
    let fragment = Fragment::from_definition(&pattern).unwrap();
    let after = apply(
        &before,
        &insert(&before, &next_edge("Wait"), fragment).unwrap(),
    );
    assert_eq!(at(&after, "/States/Wait/Next"), "Start job");
    // The pattern's own "Wait" was renamed, and its references followed.
    assert_eq!(at(&after, "/States/Start job/Next"), "Wait (1)");
    assert_eq!(at(&after, "/States/Job done?/Default"), "Wait (1)");
    assert_eq!(at(&after, "/States/Job done?/Choices/0/Next"), "B");
    assert_eq!(at(&after, "/States/Job succeeded"), &Value::Null);
    assert!(errors(&after).is_empty(), "{:?}", errors(&after));
}

#[test]
fn deleting_a_middle_state_reconnects_its_neighbours() {
    let before = chain(&["A", "B", "C"]);
    let after = apply(&before, &remove(&before, &[StateRef::top("B")]).unwrap());
    assert_eq!(at(&after, "/States/A/Next"), "C");
    assert_eq!(keys(&after, ""), ["A", "C"]);
    assert!(errors(&after).is_empty());
}

#[test]
fn deleting_the_end_or_the_start_moves_them() {
    let before = chain(&["A", "B", "C"]);
    let after = apply(&before, &remove(&before, &[StateRef::top("C")]).unwrap());
    assert_eq!(at(&after, "/States/B/End"), true);
    assert_eq!(at(&after, "/States/B/Next"), &Value::Null);
    let after = apply(&before, &remove(&before, &[StateRef::top("A")]).unwrap());
    assert_eq!(at(&after, "/StartAt"), "B");
    let all = [StateRef::top("A"), StateRef::top("B"), StateRef::top("C")];
    let after = apply(&before, &remove(&before, &all).unwrap());
    assert_eq!(at(&after, "/StartAt"), "");
    assert!(keys(&after, "").is_empty());
}

#[test]
fn deleting_consecutive_states_skips_over_all_of_them() {
    let before = chain(&["A", "B", "C", "D"]);
    let doomed = [StateRef::top("C"), StateRef::top("B")];
    let after = apply(&before, &remove(&before, &doomed).unwrap());
    assert_eq!(at(&after, "/States/A/Next"), "D");
}

#[test]
fn deleting_a_choice_target_rewires_rules_and_drops_a_default_with_nowhere_to_go() {
    let before = doc(json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "X"}], "Default": "Y"},
        "X": {"Type": "Pass", "Next": "Z"},
        "Y": {"Type": "Succeed"},
        "Z": {"Type": "Succeed"}
    }}));
    let after = apply(
        &before,
        &remove(&before, &[StateRef::top("X"), StateRef::top("Y")]).unwrap(),
    );
    assert_eq!(at(&after, "/States/C/Choices/0/Next"), "Z");
    assert_eq!(at(&after, "/States/C/Default"), &Value::Null);
    assert!(errors(&after).is_empty(), "{:?}", errors(&after));
}

#[test]
fn deleting_a_container_takes_its_nested_states() {
    let before = doc(json!({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Branches": [{"StartAt": "In", "States": {"In": {"Type": "Pass", "End": true}}}], "Next": "B"},
        "B": {"Type": "Succeed"}
    }}));
    let selection = [
        StateRef::new("/States/P/Branches/0", "In"),
        StateRef::top("P"),
    ];
    let after = apply(&before, &remove(&before, &selection).unwrap());
    assert_eq!(at(&after, "/StartAt"), "B");
    assert_eq!(keys(&after, ""), ["B"]);
}

#[test]
fn moving_a_state_takes_it_out_of_its_flow_and_into_the_new_one() {
    let before = chain(&["A", "B", "C", "D"]);
    let planned = move_state(&before, &StateRef::top("B"), &next_edge("C")).unwrap();
    let after = apply(&before, &planned);
    assert_eq!(at(&after, "/States/A/Next"), "C");
    assert_eq!(at(&after, "/States/C/Next"), "B");
    assert_eq!(at(&after, "/States/B/Next"), "D");
    assert!(errors(&after).is_empty());
    // To the very end.
    let planned = move_state(
        &before,
        &StateRef::top("A"),
        &DropTarget::After(StateRef::top("D")),
    );
    let after = apply(&before, &planned.unwrap());
    assert_eq!(at(&after, "/StartAt"), "B");
    assert_eq!(at(&after, "/States/D/Next"), "A");
    assert_eq!(at(&after, "/States/A/End"), true);
    assert!(errors(&after).is_empty());
}

#[test]
fn a_move_next_to_itself_changes_nothing_and_into_itself_is_refused() {
    let before = chain(&["A", "B", "C"]);
    for target in [
        next_edge("A"),
        next_edge("B"),
        DropTarget::After(StateRef::top("B")),
    ] {
        let planned = move_state(&before, &StateRef::top("B"), &target).unwrap();
        assert_eq!(planned.edit, Edit::Batch(Vec::new()), "{target:?}");
    }
    let nested = doc(json!({"StartAt": "M", "States": {
        "M": {"Type": "Map", "ItemProcessor": {"StartAt": "In", "States": {"In": {"Type": "Pass", "End": true}}}, "End": true}
    }}));
    let inside = DropTarget::Edge(EdgeRef::start("/States/M/ItemProcessor"));
    let err = move_state(&nested, &StateRef::top("M"), &inside).unwrap_err();
    assert_eq!(err, GraphEditError::IntoItself);
}

#[test]
fn moving_into_a_map_processor_crosses_graphs() {
    let before = doc(json!({"StartAt": "M", "States": {
        "M": {"Type": "Map", "ItemProcessor": {"StartAt": "In", "States": {"In": {"Type": "Pass", "End": true}}}, "Next": "X"},
        "X": {"Type": "Pass", "End": true}
    }}));
    let into = DropTarget::After(StateRef::new("/States/M/ItemProcessor", "In"));
    let after = apply(
        &before,
        &move_state(&before, &StateRef::top("X"), &into).unwrap(),
    );
    assert_eq!(at(&after, "/States/M/End"), true);
    assert_eq!(at(&after, "/States/M/ItemProcessor/States/In/Next"), "X");
    assert_eq!(at(&after, "/States/M/ItemProcessor/States/X/End"), true);
    assert!(errors(&after).is_empty(), "{:?}", errors(&after));
}

#[test]
fn duplicating_inserts_a_renamed_copy_after_the_original() {
    let before = doc(json!({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Branches": [{"StartAt": "In", "States": {"In": {"Type": "Pass", "End": true}}}], "Next": "B"},
        "B": {"Type": "Pass", "End": true}
    }}));
    let planned = duplicate(&before, &[StateRef::top("P"), StateRef::top("B")]).unwrap();
    let after = apply(&before, &planned);
    assert_eq!(at(&after, "/States/P/Next"), "P (1)");
    assert_eq!(at(&after, "/States/P (1)/Next"), "B");
    assert_eq!(at(&after, "/States/P (1)/Branches/0/StartAt"), "In (1)");
    assert_eq!(at(&after, "/States/B/Next"), "B (1)");
    assert_eq!(at(&after, "/States/B (1)/End"), true);
    assert_eq!(
        planned.selected,
        [StateRef::top("P (1)"), StateRef::top("B (1)")]
    );
    assert!(errors(&after).is_empty(), "{:?}", errors(&after));
    let again = apply(
        &after,
        &duplicate(&after, &[StateRef::top("B (1)")]).unwrap(),
    );
    assert_eq!(at(&again, "/States/B (1)/Next"), "B (2)");
}

#[test]
fn copied_states_paste_into_another_flow_with_their_exit_rewired() {
    let source = chain(&["A", "B", "C", "D"]);
    let copied = Fragment::copy_of(&source, &[StateRef::top("C"), StateRef::top("B")]).unwrap();
    assert_eq!(copied.start, "B");
    let text = copied.to_text();
    let target = chain(&["X", "Y"]);
    let planned = paste(&target, &next_edge("X"), &text).unwrap();
    let after = apply(&target, &planned);
    assert_eq!(at(&after, "/States/X/Next"), "B");
    assert_eq!(at(&after, "/States/B/Next"), "C");
    // C led to D, which is not here: the block's way out leads to Y.
    assert_eq!(at(&after, "/States/C/Next"), "Y");
    assert_eq!(planned.selected.len(), 2);
    assert!(errors(&after).is_empty());
    // Pasting the same text twice renames the second copy.
    let twice = apply(&after, &paste(&after, &next_edge("C"), &text).unwrap());
    assert_eq!(at(&twice, "/States/C/Next"), "B (1)");
    assert_eq!(at(&twice, "/States/B (1)/Next"), "C (1)");
    assert_eq!(at(&twice, "/States/C (1)/Next"), "Y");
}

#[test]
fn clipboard_text_may_be_a_state_a_map_of_states_or_yaml() {
    let one = Fragment::from_text(r#"{"Type": "Wait", "Seconds": 5}"#).unwrap();
    assert_eq!(one.start, "Wait");
    let map =
        Fragment::from_text(r#"{"S": {"Type": "Succeed"}, "P": {"Type": "Pass", "Next": "S"}}"#)
            .unwrap();
    assert_eq!(map.start, "P");
    let yaml = Fragment::from_text(
        "StartAt: W\nStates:\n  W:\n    Type: Wait\n    Seconds: 1\n    End: true\n",
    )
    .unwrap();
    assert_eq!(yaml.start, "W");
    assert!(matches!(
        Fragment::from_text("hello"),
        Err(GraphEditError::NotStates(_))
    ));
    assert!(matches!(
        Fragment::from_text(r#"{"a": 1}"#),
        Err(GraphEditError::NotStates(_))
    ));
}

#[test]
fn renaming_follows_every_reference() {
    let before = doc(json!({"StartAt": "A", "States": {
        "A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "A"}], "Default": "B"},
        "B": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"},
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "A"}], "End": true}
    }}));
    let planned = rename(&before, &StateRef::top("A"), "Decide").unwrap();
    let after = apply(&before, &planned);
    assert_eq!(at(&after, "/StartAt"), "Decide");
    assert_eq!(at(&after, "/States/Decide/Choices/0/Next"), "Decide");
    assert_eq!(at(&after, "/States/B/Catch/0/Next"), "Decide");
    assert_eq!(keys(&after, ""), ["Decide", "B"]);
    assert!(errors(&after).is_empty(), "{:?}", errors(&after));
    assert_eq!(
        rename(&before, &StateRef::top("A"), "B").unwrap_err(),
        GraphEditError::NameTaken("B".into())
    );
    assert!(matches!(
        rename(&before, &StateRef::top("A"), &"x".repeat(81)),
        Err(GraphEditError::InvalidName(_))
    ));
    assert!(matches!(
        rename(&before, &StateRef::top("A"), "  "),
        Err(GraphEditError::InvalidName(_))
    ));
}

#[test]
fn connecting_an_edge_points_it_elsewhere() {
    let before = chain(&["A", "B", "C"]);
    let planned = connect(
        &before,
        &EdgeRef::from_state(&StateRef::top("A"), Slot::Next),
        "C",
    );
    let after = apply(&before, &planned.unwrap());
    assert_eq!(at(&after, "/States/A/Next"), "C");
    // An end state's (absent) Next edge can be drawn too.
    let after = apply(
        &before,
        &connect(
            &before,
            &EdgeRef::from_state(&StateRef::top("C"), Slot::Next),
            "A",
        )
        .unwrap(),
    );
    assert_eq!(at(&after, "/States/C/Next"), "A");
    assert_eq!(at(&after, "/States/C/End"), &Value::Null);
    let after = apply(
        &before,
        &connect(&before, &EdgeRef::start(""), "B").unwrap(),
    );
    assert_eq!(at(&after, "/StartAt"), "B");
    assert!(matches!(
        connect(&before, &EdgeRef::start(""), "Nope"),
        Err(GraphEditError::NoSuchState(_))
    ));
}

#[test]
fn unique_names_count_on_and_stay_within_80_characters() {
    let taken: rustc_hash::FxHashSet<String> =
        ["Pass", "Pass (1)"].iter().map(|s| s.to_string()).collect();
    assert_eq!(unique_name(&taken, "Pass"), "Pass (2)");
    assert_eq!(unique_name(&taken, "Pass (1)"), "Pass (2)");
    assert_eq!(unique_name(&taken, "Wait"), "Wait");
    assert_eq!(unique_name(&taken, "  "), "State");
    let long = "x".repeat(90);
    let taken: rustc_hash::FxHashSet<String> = ["x".repeat(80)].into_iter().collect();
    let name = unique_name(&taken, &long);
    assert_eq!(name.chars().count(), 80);
    assert!(name.ends_with(" (1)"));
}

#[test]
fn yaml_documents_are_edited_in_place() {
    let text = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: B\n  B:\n    Type: Pass\n    End: true\n";
    let before = Document::parse(text, Format::Yaml).unwrap();
    let after = apply(&before, &insert(&before, &next_edge("A"), pass()).unwrap());
    assert_eq!(at(&after, "/States/A/Next"), "Pass");
    assert_eq!(at(&after, "/States/Pass/Next"), "B");
    assert!(
        after
            .text()
            .starts_with("StartAt: A\nStates:\n  A:\n    Type: Pass\n")
    );
    assert!(errors(&after).is_empty(), "{:?}", errors(&after));
}

#[test]
fn state_refs_round_trip_through_pointers() {
    for state in [
        StateRef::top("A/B"),
        StateRef::new("/States/P/Branches/1", "In~side"),
        StateRef::new("/States/M/ItemProcessor", "Item"),
    ] {
        assert_eq!(StateRef::from_pointer(&state.pointer()), Some(state));
    }
    assert_eq!(StateRef::from_pointer("/States"), None);
    assert_eq!(StateRef::from_pointer("/Comment"), None);
}
