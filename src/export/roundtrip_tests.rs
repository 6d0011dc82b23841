//! Export → import round trips on every template and on the real-world corpus.

use super::*;
use crate::asl::document::{Document, Format};
use crate::asl::validate::{Options, Severity, validate};
use crate::templates::{self, Template};
use std::collections::BTreeMap;
use std::path::Path;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/workflows");

fn definition_of(template: &Template) -> Value {
    Document::parse(template.text, Format::Json)
        .unwrap_or_else(|e| panic!("{}: {e}", template.id))
        .value()
        .clone()
}

fn full_settings(template: &Template, role: Option<&str>) -> DeploymentSettings {
    DeploymentSettings {
        name: Some(format!("${{AWS::StackName}}-{}", template.id)),
        workflow_type: template.workflow_type,
        role_arn: role.map(str::to_string),
        logging: LoggingSettings {
            level: LogLevel::All,
            include_execution_data: true,
            log_group_arn: None,
        },
        tracing: true,
        tags: BTreeMap::from([
            ("team".to_string(), "platform".to_string()),
            ("stage".to_string(), "${Stage}".to_string()),
            ("cost-center".to_string(), "4711".to_string()),
        ]),
        definition_substitutions: BTreeMap::from([(
            "Unused".to_string(),
            "${Shared.Outputs.Value}".to_string(),
        )]),
        breakpoints: Default::default(),
    }
}

/// Exports, checks the text reads back through the core parser, imports, and returns the one
/// state machine found.
fn export_and_import(
    definition: &Value,
    settings: &DeploymentSettings,
    format: ExportFormat,
    options: &ExportOptions,
    dir: Option<&Path>,
) -> (String, FoundStateMachine) {
    let text = export(definition, settings, format, options).unwrap();
    Document::parse(text.clone(), Format::Yaml).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let mut found = find_state_machines(&text, Format::Yaml, dir).unwrap();
    assert_eq!(found.len(), 1, "{text}");
    let machine = found.remove(0);
    assert_eq!(machine.logical_id, options.logical_id);
    assert!(
        machine.notes.is_empty() || dir.is_none(),
        "{:?}",
        machine.notes
    );
    (text, machine)
}

#[test]
fn every_template_survives_sam_and_cloudformation_round_trips() {
    let mut checked = 0;
    for template in templates::all() {
        let definition = definition_of(template);
        let variants = [
            (DeploymentSettings::default(), false),
            (full_settings(template, None), false),
            (full_settings(template, Some("${WorkflowRole.Arn}")), true),
            (
                full_settings(
                    template,
                    Some("arn:aws:iam::123456789012:role/StepFunctionsRole"),
                ),
                false,
            ),
        ];
        for (settings, parameterize) in variants {
            for format in [ExportFormat::Sam, ExportFormat::CloudFormation] {
                let options = ExportOptions {
                    logical_id: "Workflow".into(),
                    definition_uri: None,
                    parameterize_arns: parameterize,
                };
                let (text, machine) =
                    export_and_import(&definition, &settings, format, &options, None);
                let mut expected_settings = settings.clone();
                let expected_definition = if parameterize {
                    let p = parameterize_arns(&definition, &settings.definition_substitutions);
                    expected_settings
                        .definition_substitutions
                        .extend(p.substitutions);
                    p.definition
                } else {
                    definition.clone()
                };
                assert_eq!(
                    machine.definition.as_ref(),
                    Some(&expected_definition),
                    "{} {format:?}\n{text}",
                    template.id
                );
                assert_eq!(
                    machine.settings, expected_settings,
                    "{} {format:?}\n{text}",
                    template.id
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, templates::all().len() * 8);
}

#[test]
fn parameterized_templates_validate_with_placeholders_only() {
    for template in templates::all() {
        let definition = definition_of(template);
        let options = ExportOptions {
            parameterize_arns: true,
            ..Default::default()
        };
        let text = export(
            &definition,
            &DeploymentSettings::default(),
            ExportFormat::Json,
            &options,
        )
        .unwrap();
        let doc = Document::parse(text, Format::Json).unwrap();
        let diagnostics = validate(
            &doc,
            &Options {
                workflow_type: Some(template.workflow_type),
            },
        );
        assert!(
            diagnostics
                .iter()
                .all(|d| d.severity == Severity::Information),
            "{}: {diagnostics:#?}",
            template.id
        );
    }
}

#[test]
fn definition_files_round_trip_through_definition_uri() {
    let dir = tempfile::tempdir().unwrap();
    for template in templates::all() {
        let definition = definition_of(template);
        let settings = full_settings(template, None);
        let uri = format!("statemachine/{}.asl.json", template.id);
        let options = ExportOptions {
            logical_id: "Workflow".into(),
            definition_uri: Some(uri.clone()),
            parameterize_arns: true,
        };
        let file = export(&definition, &settings, ExportFormat::Json, &options).unwrap();
        let path = dir.path().join(&uri);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        atomic_write(&path, file.as_bytes()).unwrap();
        for format in [ExportFormat::Sam, ExportFormat::CloudFormation] {
            let (text, machine) =
                export_and_import(&definition, &settings, format, &options, Some(dir.path()));
            assert!(!text.contains("\n      Definition:\n"), "{text}");
            let expected = parameterize_arns(&definition, &settings.definition_substitutions);
            assert_eq!(
                machine.definition,
                Some(expected.definition),
                "{}",
                template.id
            );
            assert_eq!(machine.definition_uri.as_deref(), Some(uri.as_str()));
            assert_eq!(machine.definition_path.as_deref(), Some(path.as_path()));
            let mut expected_settings = settings.clone();
            expected_settings
                .definition_substitutions
                .extend(expected.substitutions);
            assert_eq!(machine.settings, expected_settings, "{}", template.id);
        }
    }
}

/// Corpus figures: templates read, state machines found, definitions resolved, round trips.
#[derive(Debug, Default)]
struct CorpusFigures {
    templates: usize,
    machines: usize,
    inline: usize,
    from_files: usize,
    unresolved: Vec<String>,
    round_trips: usize,
}

/// The corpus flattens `<workflow>/statemachine/x.asl.json` into `<workflow>__x.asl.json`;
/// rebuild the folder a template expects so `DefinitionUri` reads real files.
fn rebuild_workflow_folder(corpus: &Path, workflow: &str, uris: &[String], dir: &Path) {
    for uri in uris {
        let uri_path = Path::new(uri);
        let Some(name) = uri_path.file_name() else {
            continue;
        };
        // `statemachine/x` became `W__x`; other folders were kept: `W__folder__x`.
        let flattened = uri.trim_start_matches("./").replace('/', "__");
        let candidates = [
            format!("{workflow}__{}", name.to_string_lossy()),
            format!("{workflow}__{flattened}"),
        ];
        let Some(source) = candidates
            .iter()
            .map(|c| corpus.join(c))
            .find(|p| p.exists())
        else {
            continue;
        };
        let target = dir.join(uri);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&source, &target).unwrap();
    }
}

#[test]
fn imports_the_corpus_templates_and_round_trips_them() {
    let corpus = Path::new(CORPUS);
    if !corpus.is_dir() {
        eprintln!("{CORPUS} is absent: corpus import skipped");
        return;
    }
    let mut entries: Vec<_> = std::fs::read_dir(corpus)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.ends_with("__template.yaml") || name.ends_with("__template.yml")
        })
        .collect();
    entries.sort();
    let mut figures = CorpusFigures::default();
    for path in entries {
        figures.templates += 1;
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let workflow = name.split("__").next().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let first = match find_state_machines(&text, Format::Yaml, None) {
            Ok(found) => found,
            Err(error) => panic!("{name}: {error}"),
        };
        let uris: Vec<String> = first
            .iter()
            .filter_map(|m| m.definition_uri.clone())
            .collect();
        let dir = tempfile::tempdir().unwrap();
        rebuild_workflow_folder(corpus, &workflow, &uris, dir.path());
        let found = find_state_machines(&text, Format::Yaml, Some(dir.path())).unwrap();
        for machine in found {
            figures.machines += 1;
            let Some(definition) = machine.definition.clone() else {
                figures.unresolved.push(format!(
                    "{name} {}: {:?}",
                    machine.logical_id, machine.notes
                ));
                continue;
            };
            if machine.definition_uri.is_some() {
                figures.from_files += 1;
            } else {
                figures.inline += 1;
            }
            round_trip_corpus_machine(&name, &machine, &definition);
            figures.round_trips += 1;
        }
    }
    eprintln!("corpus import: {figures:#?}");
    assert!(figures.templates >= 50, "{figures:#?}");
    assert!(figures.machines >= 60, "{figures:#?}");
    // Unresolved: one S3 DefinitionUri and files the corpus does not include.
    assert!(figures.unresolved.len() <= 4, "{figures:#?}");
    assert_eq!(figures.round_trips, figures.inline + figures.from_files);
}

/// Export the imported machine as SAM and as CloudFormation, import it again: same definition,
/// and the same settings (plus template parameters for placeholders that had no value).
fn round_trip_corpus_machine(name: &str, machine: &FoundStateMachine, definition: &Value) {
    if !definition.is_object() {
        return;
    }
    for format in [ExportFormat::Sam, ExportFormat::CloudFormation] {
        let options = ExportOptions {
            logical_id: machine.logical_id.clone(),
            ..Default::default()
        };
        let (text, again) =
            export_and_import(definition, &machine.settings, format, &options, None);
        assert_eq!(
            again.definition.as_ref(),
            Some(definition),
            "{name}\n{text}"
        );
        let mut expected = machine.settings.clone();
        for (key, value) in &again.settings.definition_substitutions {
            expected
                .definition_substitutions
                .entry(key.clone())
                .or_insert_with(|| {
                    // Only placeholders without a value may appear: as template parameters.
                    assert_eq!(value, &format!("${{{key}}}"), "{name}");
                    value.clone()
                });
        }
        assert_eq!(again.settings, expected, "{name} {format:?}\n{text}");
    }
}
