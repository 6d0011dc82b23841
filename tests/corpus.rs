//! Real, deployed workflows (`../shared/corpus/workflows`): no false errors, exact round trips.

mod support;

use asl_studio::asl::document::{Document, Edit, Format};
use asl_studio::asl::validate::{Options, validate_text};
use support::{file_name, files, known_list, shared_dir};

fn definitions() -> Option<Vec<std::path::PathBuf>> {
    let shared = shared_dir()?;
    Some(files(&shared.join("corpus/workflows"), |n| {
        n.ends_with(".asl.json") || n.ends_with(".asl.yaml") || n.ends_with(".asl.yml")
    }))
}

#[test]
fn deployed_workflows_have_no_false_errors() {
    let Some(paths) = definitions() else {
        eprintln!("../shared not found: skipped");
        return;
    };
    let broken = known_list("corpus-broken.txt");
    let mut unexpected = Vec::new();
    let mut stale = Vec::new();
    for path in &paths {
        let name = file_name(path);
        let text = std::fs::read_to_string(path).unwrap();
        let errors: Vec<String> =
            validate_text(&text, Format::from_path(path), &Options::default())
                .into_iter()
                .filter(|d| d.is_error())
                .map(|d| {
                    format!(
                        "{}:{}: [{}] {}",
                        d.line,
                        d.column,
                        d.code.as_str(),
                        d.message
                    )
                })
                .collect();
        match (errors.is_empty(), broken.contains_key(&name)) {
            (true, true) => stale.push(name),
            (false, false) => unexpected.push(format!("{name}:\n  {}", errors.join("\n  "))),
            _ => {}
        }
    }
    eprintln!(
        "{} definitions, {} listed as broken",
        paths.len(),
        broken.len()
    );
    assert!(
        unexpected.is_empty(),
        "errors on deployed workflows (false alarms?):\n{}",
        unexpected.join("\n")
    );
    assert!(
        stale.is_empty(),
        "listed as broken but valid now:\n{}",
        stale.join("\n")
    );
}

#[test]
fn every_parseable_definition_round_trips_byte_for_byte() {
    let Some(paths) = definitions() else {
        eprintln!("../shared not found: skipped");
        return;
    };
    let mut parsed = 0;
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let Ok(mut doc) = Document::parse(text.clone(), Format::from_path(path)) else {
            continue;
        };
        parsed += 1;
        // An edit that changes nothing must leave every byte where it was.
        let first_state = doc.value()["States"]
            .as_object()
            .and_then(|s| s.keys().next().cloned());
        if let Some(state) = first_state {
            let pointer = format!("/States/{}", state.replace('~', "~0").replace('/', "~1"));
            if let Some(value) = doc
                .value()
                .pointer(&pointer)
                .and_then(|s| s.get("Type"))
                .cloned()
            {
                let pointer = format!("{pointer}/Type");
                doc.apply(&Edit::Set { pointer, value }).unwrap();
            }
        }
        assert_eq!(doc.text(), text, "{}", file_name(path));
    }
    eprintln!(
        "{parsed} of {} definitions parsed and round-tripped",
        paths.len()
    );
    assert!(
        parsed + 1 >= paths.len() || paths.is_empty(),
        "too many unparseable definitions"
    );
}

#[test]
fn edits_keep_the_rest_of_real_files_intact() {
    let Some(paths) = definitions() else {
        eprintln!("../shared not found: skipped");
        return;
    };
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let Ok(mut doc) = Document::parse(text.clone(), Format::from_path(path)) else {
            continue;
        };
        let Some(state) = doc.value()["States"].as_object().and_then(|s| {
            s.iter()
                .find(|(_, v)| v.is_object())
                .map(|(k, _)| k.clone())
        }) else {
            continue;
        };
        let state_pointer = format!("/States/{}", state.replace('~', "~0").replace('/', "~1"));
        let comment = format!("{state_pointer}/Comment");
        let edit = if doc.node(&comment).is_some() {
            Edit::Set {
                pointer: comment.clone(),
                value: "edited".into(),
            }
        } else {
            Edit::InsertMember {
                object: state_pointer.clone(),
                key: "Comment".into(),
                value: "edited".into(),
                index: None,
            }
        };
        let change = doc
            .apply(&edit)
            .unwrap_or_else(|e| panic!("{}: {e}", file_name(path)));
        assert_eq!(
            doc.value().pointer(&comment),
            Some(&serde_json::Value::from("edited")),
            "{}",
            file_name(path)
        );
        // Everything outside the changed range is untouched.
        assert_eq!(
            &doc.text()[..change.range.start],
            &text[..change.range.start]
        );
        let tail = text.len() - change.range.end;
        assert_eq!(
            &doc.text()[doc.text().len() - tail..],
            &text[change.range.end..]
        );
    }
}
