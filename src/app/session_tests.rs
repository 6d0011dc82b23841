use super::*;
use crate::asl::validate::Code;
use serde_json::json;
use std::time::Duration;

const TEXT: &str = "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\"Type\": \"Pass\", \"End\": true}\n  }\n}\n";

fn session() -> Session {
    Session::new(TEXT, Format::Json, None)
}

/// Types `s` at `at` one character per change, like the Code tab reports keystrokes.
fn type_at(session: &mut Session, at: usize, s: &str, now: Instant) {
    let mut offset = at;
    for c in s.chars() {
        session.apply_typing(
            vec![TextChange {
                range: offset..offset,
                replacement: c.to_string(),
            }],
            now,
        );
        offset += c.len_utf8();
    }
}

fn replace(session: &mut Session, find: &str, with: &str, now: Instant) {
    let start = session.text().find(find).unwrap();
    session.apply_typing(
        vec![TextChange {
            range: start..start + find.len(),
            replacement: with.into(),
        }],
        now,
    );
}

fn state_names(session: &Session) -> Vec<String> {
    session.machine().unwrap().states.keys().cloned().collect()
}

#[test]
fn typing_that_parses_updates_the_model() {
    let now = Instant::now();
    let mut s = session();
    assert_eq!(state_names(&s), ["A"]);
    let key = s.text().find("\"A\": {").unwrap() + 2;
    type_at(&mut s, key, "BC", now);
    assert_eq!(state_names(&s), ["ABC"]);
    // StartAt still names "A": the validator says so, at the exact place.
    let unknown: Vec<_> = s
        .diagnostics()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.pointer.as_str(), d.line))
        .collect();
    assert_eq!(unknown, [("/StartAt", 2)]);
    assert!(s.is_dirty());
}

#[test]
fn broken_text_keeps_the_last_good_model() {
    let now = Instant::now();
    let mut s = session();
    let revision = s.revision();
    replace(&mut s, "\"End\": true}", "\"End\": true", now);
    assert!(s.revision() > revision);
    let error = s.parse_error().expect("broken").clone();
    assert_eq!(
        state_names(&s),
        ["A"],
        "the design keeps the last good model"
    );
    assert!(s.current_doc().is_none());
    assert_eq!(s.diagnostics().len(), 1);
    assert_eq!(s.diagnostics()[0].code, Code::Syntax);
    assert_eq!(s.diagnostics()[0].line, error.line);
    // Structural edits wait until the text parses again.
    let refused = s.apply_edit(
        &Edit::Set {
            pointer: "/Comment".into(),
            value: json!("x"),
        },
        None,
        now,
    );
    assert!(matches!(refused, Err(SessionError::DoesNotParse(_))));
}

#[test]
fn one_history_across_typing_and_edits() {
    let t = Instant::now();
    let mut s = session();
    s.apply_edit(
        &Edit::InsertMember {
            object: String::new(),
            key: "Comment".into(),
            value: json!("hi"),
            index: Some(0),
        },
        Some("/Comment"),
        t,
    )
    .unwrap();
    assert_eq!(s.machine().unwrap().comment.as_deref(), Some("hi"));
    let at = s.text().find("\"Pass\"").unwrap() + 1;
    type_at(&mut s, at, "X", t + Duration::from_secs(5));
    assert!(s.text().contains("\"XPass\""));
    s.undo().unwrap();
    assert!(s.text().contains("\"Pass\""));
    assert_eq!(s.machine().unwrap().comment.as_deref(), Some("hi"));
    s.undo().unwrap();
    assert_eq!(s.text(), TEXT);
    assert!(!s.is_dirty(), "back at the opened text");
    assert!(s.undo().is_none());
    s.redo().unwrap();
    assert_eq!(s.machine().unwrap().comment.as_deref(), Some("hi"));
    assert!(s.is_dirty());
}

#[test]
fn field_edits_of_one_field_are_one_step() {
    let t = Instant::now();
    let mut s = session();
    for (i, comment) in ["a", "ab", "abc"].into_iter().enumerate() {
        s.apply_edit(
            &Edit::Set {
                pointer: "/Comment".into(),
                value: json!(comment),
            },
            Some("/Comment"),
            t + Duration::from_millis(100 * i as u64),
        )
        .unwrap();
    }
    assert_eq!(s.machine().unwrap().comment.as_deref(), Some("abc"));
    s.undo().unwrap();
    assert_eq!(s.text(), TEXT);
}

#[test]
fn saving_makes_the_document_clean() {
    let t = Instant::now();
    let mut s = session();
    type_at(&mut s, 1, " ", t);
    assert!(s.is_dirty());
    s.mark_saved(PathBuf::from("/tmp/x.asl.json"), Format::Json);
    assert!(!s.is_dirty());
    assert_eq!(s.title(), "x.asl.json");
    // Undo after a save makes it dirty again (the file holds the saved text).
    s.undo().unwrap();
    assert!(s.is_dirty());
    s.settings_changed();
    s.redo().unwrap();
    assert!(!s.text_dirty());
    assert!(s.is_dirty(), "settings are unsaved");
}

#[test]
fn external_changes_reload_when_clean_and_ask_when_dirty() {
    let t = Instant::now();
    let theirs = TEXT.replace("\"A\"", "\"B\"");
    let mut s = session();
    assert_eq!(s.external_change(TEXT, t), ExternalChange::Unchanged);
    assert_eq!(s.external_change(&theirs, t), ExternalChange::Reloaded);
    assert_eq!(s.text(), theirs);
    assert!(!s.is_dirty());
    assert_eq!(state_names(&s), ["B"]);

    // Dirty: the user chooses.
    let mut s = session();
    type_at(&mut s, 1, " ", t);
    let mine = s.text().to_string();
    assert_eq!(s.external_change(&theirs, t), ExternalChange::Conflict);
    assert_eq!(s.text(), mine, "nothing changes before the user chooses");
    s.keep_mine(&theirs);
    assert!(s.is_dirty(), "mine differs from the file");
    assert_eq!(s.text(), mine);

    s.take_theirs(&theirs, t);
    assert_eq!(s.text(), theirs);
    assert!(!s.is_dirty());
    s.undo().unwrap();
    assert_eq!(s.text(), mine, "taking theirs can be undone");
}

#[test]
fn format_is_one_undoable_step() {
    let t = Instant::now();
    let mut s = Session::new(
        "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Succeed\"}}}",
        Format::Json,
        None,
    );
    assert!(s.format_document(t).unwrap());
    assert!(s.text().starts_with("{\n  \"StartAt\": \"A\","));
    assert!(!s.format_document(t).unwrap(), "already formatted");
    s.undo().unwrap();
    assert!(s.text().starts_with("{\"StartAt\""));
}

#[test]
fn yaml_documents_work_the_same() {
    let t = Instant::now();
    let mut s = Session::new(
        "StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n",
        Format::Yaml,
        None,
    );
    assert_eq!(state_names(&s), ["A"]);
    s.apply_edit(
        &Edit::RenameKey {
            pointer: "/States/A".into(),
            new_key: "B".into(),
        },
        None,
        t,
    )
    .unwrap();
    assert_eq!(state_names(&s), ["B"]);
    s.undo().unwrap();
    assert_eq!(state_names(&s), ["A"]);
}

#[test]
fn an_edit_that_would_break_the_text_is_refused() {
    let mut s = session();
    let before = s.text().to_string();
    let result = s.apply_edit(
        &Edit::Text(TextChange {
            range: 0..1,
            replacement: String::new(),
        }),
        None,
        Instant::now(),
    );
    assert!(matches!(
        result,
        Err(SessionError::Edit(EditError::Produced(_)))
    ));
    assert_eq!(s.text(), before);
    assert!(!s.can_undo());
}
