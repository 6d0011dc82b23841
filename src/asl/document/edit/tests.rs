use super::super::{Document, Format};
use super::*;
use serde_json::json;

const PRETTY: &str = r#"{
    "Comment": "kept as written",
    "StartAt": "A",
    "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {
            "Type": "Succeed"
        }
    }
}
"#;

fn applied(text: &str, format: Format, edit: Edit) -> Document {
    let mut doc = Document::parse(text, format).unwrap();
    doc.apply(&edit).unwrap_or_else(|e| panic!("{e}"));
    doc
}

#[test]
fn set_replaces_only_the_value_text() {
    let doc = applied(
        PRETTY,
        Format::Json,
        Edit::Set {
            pointer: "/States/A/Next".into(),
            value: json!("C"),
        },
    );
    assert_eq!(
        doc.text(),
        PRETTY.replace(r#""Next": "B""#, r#""Next": "C""#)
    );
}

#[test]
fn set_adds_a_missing_member_in_the_surrounding_style() {
    let doc = applied(
        PRETTY,
        Format::Json,
        Edit::Set {
            pointer: "/States/B/Comment".into(),
            value: json!({"x": [1]}),
        },
    );
    assert!(
        doc.text().contains(
            "            \"Type\": \"Succeed\",\n            \"Comment\": {\n                \"x\": [\n                    1\n                ]\n            }\n        }"
        ),
        "{}",
        doc.text()
    );
    let inline = applied(
        PRETTY,
        Format::Json,
        Edit::Set {
            pointer: "/States/A/Comment".into(),
            value: json!({"x": [1, 2]}),
        },
    );
    assert!(
        inline
            .text()
            .contains(r#""A": {"Type": "Pass", "Next": "B", "Comment": {"x": [1, 2]}},"#),
        "{}",
        inline.text()
    );
}

#[test]
fn insert_member_at_an_index_and_into_empty_objects() {
    let doc = applied(
        PRETTY,
        Format::Json,
        Edit::InsertMember {
            object: "/States".into(),
            key: "New".into(),
            value: json!({"Type": "Pass", "End": true}),
            index: Some(1),
        },
    );
    let keys: Vec<_> = doc.value()["States"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(keys, vec!["A", "New", "B"]);
    assert!(doc.text().contains("        \"New\": {\n            \"Type\": \"Pass\",\n            \"End\": true\n        },\n        \"B\""), "{}", doc.text());

    let empty = applied(
        "{\n  \"States\": {}\n}",
        Format::Json,
        Edit::InsertMember {
            object: "/States".into(),
            key: "A".into(),
            value: json!(1),
            index: None,
        },
    );
    assert_eq!(empty.text(), "{\n  \"States\": {\n    \"A\": 1\n  }\n}");
}

#[test]
fn insert_refuses_existing_keys() {
    let doc = Document::parse(PRETTY, Format::Json).unwrap();
    let err = doc
        .plan(&Edit::InsertMember {
            object: "/States".into(),
            key: "A".into(),
            value: json!(1),
            index: None,
        })
        .unwrap_err();
    assert!(matches!(err, EditError::KeyExists { .. }));
}

#[test]
fn remove_members_first_middle_last_and_only() {
    for (pointer, gone) in [
        ("/Comment", "Comment"),
        ("/StartAt", "StartAt"),
        ("/States", "States"),
    ] {
        let doc = applied(
            PRETTY,
            Format::Json,
            Edit::Remove {
                pointer: pointer.into(),
            },
        );
        assert!(doc.value().get(gone).is_none());
        assert_eq!(doc.value().as_object().unwrap().len(), 2);
    }
    let last = applied(
        PRETTY,
        Format::Json,
        Edit::Remove {
            pointer: "/States".into(),
        },
    );
    assert!(
        last.text().ends_with("\"StartAt\": \"A\"\n}\n"),
        "{}",
        last.text()
    );
    let only = applied(
        r#"{"a": {"b": 1}}"#,
        Format::Json,
        Edit::Remove {
            pointer: "/a/b".into(),
        },
    );
    assert_eq!(only.text(), r#"{"a": {}}"#);
}

#[test]
fn array_items_insert_and_remove() {
    let text = "{\n  \"L\": [\n    1,\n    2\n  ],\n  \"I\": [1, 2]\n}";
    let doc = applied(
        text,
        Format::Json,
        Edit::InsertItem {
            array: "/L".into(),
            index: 1,
            value: json!({"a": 1}),
        },
    );
    assert_eq!(doc.value()["L"], json!([1, {"a": 1}, 2]));
    assert!(
        doc.text()
            .contains("    1,\n    {\n      \"a\": 1\n    },\n    2"),
        "{}",
        doc.text()
    );
    let inline = applied(
        text,
        Format::Json,
        Edit::InsertItem {
            array: "/I".into(),
            index: 2,
            value: json!(3),
        },
    );
    assert!(inline.text().contains("\"I\": [1, 2, 3]"));
    let removed = applied(
        text,
        Format::Json,
        Edit::Remove {
            pointer: "/I/0".into(),
        },
    );
    assert!(removed.text().contains("\"I\": [2]"));
    let bad = Document::parse(text, Format::Json).unwrap();
    assert!(
        bad.plan(&Edit::InsertItem {
            array: "/I".into(),
            index: 5,
            value: json!(0)
        })
        .is_err()
    );
}

#[test]
fn rename_keeps_position() {
    let doc = applied(
        PRETTY,
        Format::Json,
        Edit::RenameKey {
            pointer: "/States/A".into(),
            new_key: "Start \"here\"".into(),
        },
    );
    let keys: Vec<_> = doc.value()["States"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(keys, vec!["Start \"here\"", "B"]);
    assert!(doc.text().contains(r#""Start \"here\"": {"Type""#));
}

#[test]
fn batch_is_one_minimal_change_and_inverse_restores() {
    let doc = Document::parse(PRETTY, Format::Json).unwrap();
    let edit = Edit::Batch(vec![
        Edit::Set {
            pointer: "/States/A/Next".into(),
            value: json!("C"),
        },
        Edit::RenameKey {
            pointer: "/States/B".into(),
            new_key: "C".into(),
        },
    ]);
    let change = doc.plan(&edit).unwrap();
    let mut text = PRETTY.to_string();
    change.apply_to(&mut text);
    assert!(text.contains("\"Next\": \"C\"") && text.contains("\"C\": {"));
    change.inverse(PRETTY).apply_to(&mut text);
    assert_eq!(text, PRETTY);
}

#[test]
fn text_change_between_is_minimal() {
    let c = TextChange::between("abcXdef", "abcYYdef");
    assert_eq!(
        c,
        TextChange {
            range: 3..4,
            replacement: "YY".into()
        }
    );
    let c = TextChange::between("aaa", "aa");
    let mut t = "aaa".to_string();
    c.apply_to(&mut t);
    assert_eq!(t, "aa");
    let c = TextChange::between("é", "è");
    let mut t = "é".to_string();
    c.apply_to(&mut t);
    assert_eq!(t, "è");
}

const YAML: &str = "# a comment that must survive\nStartAt: A\nStates:\n  A:\n    Type: Pass   # inline comment\n    Next: B\n  B:\n    Type: Succeed\n";

#[test]
fn yaml_scalar_set_keeps_comments() {
    let doc = applied(
        YAML,
        Format::Yaml,
        Edit::Set {
            pointer: "/States/A/Next".into(),
            value: json!("C"),
        },
    );
    assert_eq!(doc.text(), YAML.replace("Next: B", "Next: C"));
}

#[test]
fn yaml_block_edits() {
    let doc = applied(
        YAML,
        Format::Yaml,
        Edit::Set {
            pointer: "/States/A/Parameters".into(),
            value: json!({"a.$": "$.x", "l": [1, {"k": "v"}]}),
        },
    );
    assert_eq!(
        doc.value()["States"]["A"]["Parameters"],
        json!({"a.$": "$.x", "l": [1, {"k": "v"}]})
    );
    assert!(doc.text().starts_with("# a comment that must survive\n"));
    assert!(doc.text().contains("# inline comment"));

    let inserted = applied(
        YAML,
        Format::Yaml,
        Edit::InsertMember {
            object: "/States".into(),
            key: "M".into(),
            value: json!({"Type": "Pass", "End": true}),
            index: Some(1),
        },
    );
    let keys: Vec<_> = inserted.value()["States"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(keys, vec!["A", "M", "B"]);

    let removed = applied(
        YAML,
        Format::Yaml,
        Edit::Remove {
            pointer: "/States/A/Next".into(),
        },
    );
    assert!(removed.value()["States"]["A"].get("Next").is_none());
    assert!(removed.text().contains("# inline comment"));

    let replaced = applied(
        YAML,
        Format::Yaml,
        Edit::Set {
            pointer: "/States/B".into(),
            value: json!({"Type": "Fail", "Error": "E"}),
        },
    );
    assert_eq!(
        replaced.value()["States"]["B"],
        json!({"Type": "Fail", "Error": "E"})
    );

    let renamed = applied(
        YAML,
        Format::Yaml,
        Edit::RenameKey {
            pointer: "/States/B".into(),
            new_key: "Done".into(),
        },
    );
    assert!(renamed.value()["States"].get("Done").is_some());
}

#[test]
fn yaml_sequence_items() {
    let text = "L:\n  - a\n  - b\n";
    let doc = applied(
        text,
        Format::Yaml,
        Edit::InsertItem {
            array: "/L".into(),
            index: 1,
            value: json!({"k": 1, "j": 2}),
        },
    );
    assert_eq!(doc.value()["L"], json!(["a", {"k": 1, "j": 2}, "b"]));
    let doc = applied(
        text,
        Format::Yaml,
        Edit::Remove {
            pointer: "/L/0".into(),
        },
    );
    assert_eq!(doc.value()["L"], json!(["b"]));
    let doc = applied(
        text,
        Format::Yaml,
        Edit::InsertItem {
            array: "/L".into(),
            index: 2,
            value: json!("c"),
        },
    );
    assert_eq!(doc.value()["L"], json!(["a", "b", "c"]));
    // Scalars longer than the indentation, and empty containers, are written whole.
    for value in [
        json!("States.Timeout"),
        json!({}),
        json!([]),
        json!(12345678),
    ] {
        let doc = applied(
            text,
            Format::Yaml,
            Edit::InsertItem {
                array: "/L".into(),
                index: 1,
                value: value.clone(),
            },
        );
        assert_eq!(doc.value()["L"], json!(["a", value, "b"]));
    }
}

#[test]
fn yaml_appends_after_block_scalars_and_comments() {
    let text = "A:\n  P: >-\n    folded\n    text\n  Q: 1  # note\nB: 2\n";
    let doc = applied(
        text,
        Format::Yaml,
        Edit::InsertMember {
            object: "".into(),
            key: "C".into(),
            value: json!(3),
            index: None,
        },
    );
    assert_eq!(doc.value()["C"], json!(3));
    let doc = applied(
        text,
        Format::Yaml,
        Edit::InsertMember {
            object: "/A".into(),
            key: "R".into(),
            value: json!(true),
            index: None,
        },
    );
    assert_eq!(
        doc.value()["A"],
        json!({"P": "folded text", "Q": 1, "R": true})
    );
    assert!(
        doc.text().contains("  Q: 1  # note\n  R: true\nB: 2"),
        "{}",
        doc.text()
    );
    let text = "A:\n  P: >-\n    folded\n  Q: 1\n";
    let doc = applied(
        text,
        Format::Yaml,
        Edit::InsertMember {
            object: "/A".into(),
            key: "R".into(),
            value: json!(1),
            index: Some(1),
        },
    );
    assert_eq!(doc.value()["A"], json!({"P": "folded", "R": 1, "Q": 1}));
    let text = "A:\n  Q: 1\n  P: >-\n    folded\nB: 1\n";
    let doc = applied(
        text,
        Format::Yaml,
        Edit::Remove {
            pointer: "/A/P".into(),
        },
    );
    assert_eq!(doc.value(), &json!({"A": {"Q": 1}, "B": 1}));
}
