//! JSONPath → JSONata conversion (`asl::convert`): converted templates validate cleanly and
//! run like the originals; on AWS's recorded conformance cases (`../shared`), converted
//! definitions are run beside the originals and their results compared.

mod support;

use asl_studio::asl::convert::{self, Conversion, Marking};
use asl_studio::asl::document::{Document, Format, to_json_pretty};
use asl_studio::asl::validate::{Options, validate};
use asl_studio::engine::testcase::{Definition, Matcher, TestCase, collect};
use asl_studio::engine::{Execution, ExecutionStatus};
use asl_studio::templates::{self, TemplateCategory};
use serde_json::{Value, json};
use std::path::Path;
use support::shared_dir;

fn is_jsonata(definition: &Value) -> bool {
    definition.get("QueryLanguage").and_then(Value::as_str) == Some("JSONata")
}

fn parse(text: &str) -> Value {
    Document::parse(text, Format::Json)
        .unwrap_or_else(|e| panic!("{e}"))
        .value()
        .clone()
}

/// Every diagnostic of a definition, as text.
fn diagnostics(definition: &Value, options: &Options) -> Vec<String> {
    let text = to_json_pretty(definition, "  ");
    let doc = Document::parse(text, Format::Json).unwrap_or_else(|e| panic!("{e}"));
    validate(&doc, options)
        .iter()
        .map(|d| format!("{} {} {}", d.pointer, d.code.as_str(), d.message))
        .collect()
}

/// Status, output and error of a finished execution.
fn outcome(execution: &Execution) -> (ExecutionStatus, Value, Option<String>) {
    (
        execution.status(),
        execution.output().cloned().unwrap_or(Value::Null),
        execution.failure().and_then(|f| f.error.clone()),
    )
}

/// How a converted run differed from the original.
#[derive(Debug, PartialEq)]
enum Difference {
    /// Another status or output.
    Behaviour(String),
    /// Both failed, with different error names (JSONata states raise
    /// States.QueryEvaluationError where JSONPath ones raise States.Runtime).
    ErrorName(String),
}

/// Runs `case` as written and with `definition` instead; the difference, if any.
fn run_both(case: &TestCase, definition: &Value) -> Result<Option<Difference>, String> {
    let original = case.execute()?;
    let mut converted_case = case.clone();
    converted_case.definition = Definition::Value(definition.clone());
    let converted = converted_case.execute()?;
    let (status, output, error) = outcome(&original);
    let (status2, output2, error2) = outcome(&converted);
    if status != status2 {
        return Ok(Some(Difference::Behaviour(format!(
            "status {} became {} ({})",
            status.as_str(),
            status2.as_str(),
            converted
                .failure()
                .map(|f| format!(
                    "{}: {}",
                    f.error.as_deref().unwrap_or("-"),
                    f.cause.as_deref().unwrap_or("-")
                ))
                .unwrap_or_default()
        ))));
    }
    if status == ExecutionStatus::Succeeded {
        let matcher = Matcher::new(&case.placeholders);
        if let Some(difference) = matcher.difference(&output, &output2, "output") {
            // Random values differ between the two runs; AWS's recording has placeholders.
            let expected = case.expected.get("output");
            if expected.is_none_or(|e| matcher.difference(e, &output2, "output").is_some()) {
                return Ok(Some(Difference::Behaviour(difference)));
            }
        }
    } else if error != error2 {
        return Ok(Some(Difference::ErrorName(format!(
            "error {} became {}",
            error.unwrap_or_default(),
            error2.unwrap_or_default()
        ))));
    }
    Ok(None)
}

fn template_case(id: &str) -> Option<TestCase> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("templates/tests")
        .join(format!("{id}.test.json"));
    file.exists()
        .then(|| TestCase::load(&file).unwrap_or_else(|e| panic!("{e}")))
}

/// Inputs and mocks for the palette patterns, which have no test case of their own.
fn pattern_scenarios(id: &str) -> Vec<(Value, Value)> {
    let lambda = |payload: Value| json!({"Return": {"StatusCode": 200, "Payload": payload}});
    match id {
        "pattern-job-poller" => ["SUCCEEDED", "FAILED"]
            .iter()
            .map(|end| {
                (
                    json!({"report": "monthly"}),
                    json!({
                        "Start job": {"0": lambda(json!({"jobId": "j-1"}))},
                        "Check job status": {
                            "0": lambda(json!({"jobId": "j-1", "status": "RUNNING"})),
                            "1": lambda(json!({"jobId": "j-1", "status": end}))
                        }
                    }),
                )
            })
            .collect(),
        "pattern-retry-fallback" => vec![
            (
                json!({"order": 7}),
                json!({"Call service": {"0": lambda(json!({"ok": true}))}}),
            ),
            (
                json!({"order": 7}),
                json!({
                    "Call service": {"0": {"Throw": {"Error": "Service.Down", "Cause": "no"}}},
                    "Call fallback": {"0": lambda(json!({"ok": "fallback"}))}
                }),
            ),
        ],
        "pattern-s3-distributed-map" => vec![(
            json!({}),
            json!({
                "Process S3 objects": {"0": {"Return": {"Contents": [
                    {"Key": "incoming/a.json", "Size": 10},
                    {"Key": "incoming/b.json", "Size": 20}
                ]}}},
                "Process object": {"0-1": lambda(json!({"key": "k", "status": "done"}))}
            }),
        )],
        "pattern-csv-distributed-map" => vec![(
            json!({}),
            json!({
                "Process CSV rows": {"0": {"Return": "name,email\nAda,ada@example.com\nBob,bob@example.com\n"}},
                "Import rows": {"0": lambda(json!({"imported": 2}))}
            }),
        )],
        "pattern-task-token-approval" => vec![
            (
                json!({"amount": 5}),
                json!({"Wait for approval": {"0": {"Return": {"approved": true}}}}),
            ),
            (
                json!({"amount": 5}),
                json!({"Wait for approval": {"0": {"Return": {"approved": false}}}}),
            ),
            (
                json!({"amount": 5}),
                json!({"Wait for approval": {"0": {"Throw": {"Error": "States.Timeout", "Cause": "late"}}}}),
            ),
        ],
        _ => Vec::new(),
    }
}

fn scenario_case(definition: &Value, input: Value, mocks: Value) -> TestCase {
    TestCase {
        name: "scenario".into(),
        file: Default::default(),
        kind: "executions".into(),
        definition: Definition::Value(definition.clone()),
        input,
        expected: Value::Null,
        history: None,
        placeholders: Vec::new(),
        mocks: Some(mocks),
        context: None,
        state_machine_name: None,
        request: None,
    }
}

#[test]
fn every_jsonpath_template_converts_validates_and_runs_the_same() {
    let mut converted_count = 0;
    let mut runs = 0;
    for template in templates::all() {
        let definition = parse(template.text);
        if is_jsonata(&definition) {
            continue;
        }
        converted_count += 1;
        let Conversion { value, notes } = convert::machine_to_jsonata(&definition)
            .unwrap_or_else(|e| panic!("{}: {e}", template.id));
        assert!(notes.is_empty(), "{}: {notes:#?}", template.id);
        assert!(is_jsonata(&value), "{}", template.id);
        let options = Options {
            workflow_type: Some(template.workflow_type),
        };
        let found = diagnostics(&value, &options);
        assert!(
            found.is_empty(),
            "{}: {found:#?}\n{}",
            template.id,
            to_json_pretty(&value, "  ")
        );
        let mut cases: Vec<TestCase> = template_case(template.id).into_iter().collect();
        cases.extend(
            pattern_scenarios(template.id)
                .into_iter()
                .map(|(input, mocks)| scenario_case(&definition, input, mocks)),
        );
        if template.category == TemplateCategory::Pattern {
            assert!(!cases.is_empty(), "{}: no scenario", template.id);
        }
        for case in &cases {
            runs += 1;
            let difference = run_both(case, &value).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(difference, None, "{}", template.id);
        }
    }
    assert!(
        converted_count >= 10,
        "only {converted_count} JSONPath templates"
    );
    assert!(runs >= 15, "only {runs} runs");
}

#[test]
fn a_pattern_block_pastes_into_a_jsonata_machine() {
    let template = templates::by_id("pattern-job-poller").expect("the job poller pattern");
    let definition = parse(template.text);
    let states = definition.get("States").cloned().unwrap_or(Value::Null);
    let block = convert::block_to_jsonata(&states, Marking::Inherit).unwrap();
    let machine = json!({
        "QueryLanguage": "JSONata",
        "StartAt": definition["StartAt"],
        "States": block.value
    });
    assert_eq!(
        diagnostics(&machine, &Options::default()),
        Vec::<String>::new()
    );
    // Marked explicitly, the same states also fit a JSONPath machine.
    let marked = convert::block_to_jsonata(&states, Marking::Explicit).unwrap();
    let mixed = json!({"StartAt": definition["StartAt"], "States": marked.value});
    assert_eq!(
        diagnostics(&mixed, &Options::default()),
        Vec::<String>::new()
    );
    let case = scenario_case(
        &definition,
        json!({"report": "monthly"}),
        pattern_scenarios("pattern-job-poller")
            .into_iter()
            .next()
            .map(|(_, m)| m)
            .unwrap_or_default(),
    );
    assert_eq!(run_both(&case, &machine).unwrap(), None);
    assert_eq!(run_both(&case, &mixed).unwrap(), None);
}

/// Tally of the differential run on the conformance cases.
#[derive(Default)]
struct Tally {
    cases: usize,
    failed_to_convert: Vec<String>,
    exact: usize,
    /// Exact conversions with the same status and output.
    exact_agree: usize,
    /// ... and, when failing, the same error name too.
    exact_same_error: usize,
    noted: usize,
    noted_agree: usize,
    disagreements: Vec<String>,
    error_names: Vec<String>,
    invalid: Vec<String>,
}

#[test]
fn converted_conformance_cases_behave_like_the_originals() {
    let Some(shared) = shared_dir() else {
        eprintln!("../shared not found: skipped");
        return;
    };
    let dirs = [
        shared.join("conformance/cases/executions"),
        shared.join("conformance/cases/choice"),
    ];
    let files = collect(&dirs).unwrap();
    let mut tally = Tally::default();
    for file in &files {
        let case = TestCase::load(file).unwrap_or_else(|e| panic!("{e}"));
        let Definition::Value(definition) = &case.definition else {
            continue;
        };
        if is_jsonata(definition) {
            continue;
        }
        tally.cases += 1;
        let conversion = match convert::machine_to_jsonata(definition) {
            Ok(conversion) => conversion,
            Err(error) => {
                tally
                    .failed_to_convert
                    .push(format!("{}: {error}", case.name));
                continue;
            }
        };
        let before = diagnostics(definition, &Options::default());
        let after = diagnostics(&conversion.value, &Options::default());
        let errors = |list: &[String]| list.iter().filter(|d| !d.contains(" warning")).count();
        if before.is_empty() && !after.is_empty() && errors(&after) > 0 {
            tally.invalid.push(format!("{}: {after:?}", case.name));
        }
        let difference = match run_both(&case, &conversion.value) {
            Ok(difference) => difference,
            Err(error) => Some(Difference::Behaviour(format!("could not run: {error}"))),
        };
        let agree = !matches!(difference, Some(Difference::Behaviour(_)));
        let marker = if conversion.is_exact() {
            ""
        } else {
            " (noted)"
        };
        if conversion.is_exact() {
            tally.exact += 1;
            tally.exact_agree += usize::from(agree);
            tally.exact_same_error += usize::from(difference.is_none());
        } else {
            tally.noted += 1;
            tally.noted_agree += usize::from(agree);
        }
        match difference {
            Some(Difference::Behaviour(text)) => tally
                .disagreements
                .push(format!("{}{marker}: {text}", case.name)),
            Some(Difference::ErrorName(text)) => tally
                .error_names
                .push(format!("{}{marker}: {text}", case.name)),
            None => {}
        }
    }
    eprintln!(
        "{} JSONPath cases, {} not converted. Same status and output: exact conversions {}/{}, noted ones {}/{}. Same error name too: {}/{} exact.",
        tally.cases,
        tally.failed_to_convert.len(),
        tally.exact_agree,
        tally.exact,
        tally.noted_agree,
        tally.noted,
        tally.exact_same_error,
        tally.exact,
    );
    for (title, lines) in [
        ("not converted", &tally.failed_to_convert),
        ("different status or output", &tally.disagreements),
        ("different error name", &tally.error_names),
        ("converted definition invalid", &tally.invalid),
    ] {
        if !lines.is_empty() {
            eprintln!("{title}:");
        }
        for line in lines {
            eprintln!("  {line}");
        }
    }
    assert!(tally.cases > 400, "only {} JSONPath cases", tally.cases);
    assert!(
        tally.exact_agree * 100 >= tally.exact * 95,
        "{}/{} exact conversions agree",
        tally.exact_agree,
        tally.exact
    );
}

// ------------------------------------------------------------------ behaviour, field by field

/// Runs `definition` and its conversion on every input; the behaviour differences (a
/// different error name alone is not one: JSONata states fail with their own error).
fn behaviour_differences(definition: &Value, inputs: &[Value], mocks: &Value) -> Vec<String> {
    let conversion = convert::machine_to_jsonata(definition).unwrap_or_else(|e| panic!("{e}"));
    let found = diagnostics(&conversion.value, &Options::default());
    assert!(
        found.iter().all(|d| !d.contains(" error")),
        "{found:#?}\n{}",
        to_json_pretty(&conversion.value, "  ")
    );
    inputs
        .iter()
        .filter_map(|input| {
            let case = scenario_case(definition, input.clone(), mocks.clone());
            match run_both(&case, &conversion.value) {
                Ok(Some(Difference::Behaviour(d))) => Some(format!("input {input}: {d}")),
                Ok(_) => None,
                Err(e) => Some(format!("input {input}: {e}")),
            }
        })
        .collect()
}

/// Each rule in a branch of its own: the output lists which rules matched.
fn choice_machine(rules: &[Value]) -> Value {
    let branches: Vec<Value> = rules
        .iter()
        .map(|rule| {
            let mut rule = rule.clone();
            rule["Next"] = json!("Yes");
            json!({"StartAt": "C", "States": {
                "C": {"Type": "Choice", "Choices": [rule], "Default": "No"},
                "Yes": {"Type": "Pass", "Result": true, "End": true},
                "No": {"Type": "Pass", "Result": false, "End": true}
            }})
        })
        .collect();
    json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": branches, "End": true}}})
}

fn sample_values() -> Vec<Value> {
    json!([null, true, false, 0, 1, 2.5, -3, "a", "b", "", "a*b", "2016-03-14T01:59:00Z",
        "2016-03-14T02:59:00+01:00", "2016-03-14T01:59:00.5Z", "2016-03-14", "not a date",
        "line\nbreak", [], [1, "a"], {}, {"a": 1}])
    .as_array()
    .cloned()
    .unwrap_or_default()
}

#[test]
fn choice_operators_decide_the_same_on_values_of_every_type() {
    use asl_studio::asl::model::ComparisonOperator;
    let mut rules = Vec::new();
    for op in ComparisonOperator::ALL {
        let name = op.as_str();
        let operands: Vec<Value> = if op.is_type_test() {
            vec![json!(true), json!(false)]
        } else if name == "StringMatches" {
            json!(["a*", "*", "*b", "a\\*b", "*2016*", "", "line*", "x"])
                .as_array()
                .cloned()
                .unwrap_or_default()
        } else if name.starts_with("Numeric") {
            vec![json!(0), json!(1), json!(2.5), json!(-3)]
        } else if name.starts_with("Boolean") {
            vec![json!(true), json!(false)]
        } else if name.starts_with("Timestamp") {
            vec![
                json!("2016-03-14T01:59:00Z"),
                json!("2016-03-14T01:59:00.5Z"),
            ]
        } else {
            vec![json!("a"), json!("b"), json!("")]
        };
        for operand in operands {
            rules.push(json!({"Variable": "$.v", name: operand}));
        }
    }
    rules.push(json!({"And": [{"Variable": "$.v", "IsNumeric": true}, {"Not": {"Variable": "$.v", "NumericEquals": 0}}]}));
    rules.push(
        json!({"Or": [{"Variable": "$.v", "IsString": true}, {"Variable": "$.v", "IsNull": true}]}),
    );
    let machine = choice_machine(&rules);
    // A missing Variable fails a JSONPath Choice but is just false in JSONata: not compared.
    let inputs: Vec<Value> = sample_values()
        .into_iter()
        .map(|v| json!({"v": v}))
        .collect();
    let differences = behaviour_differences(&machine, &inputs, &json!({}));
    assert!(differences.is_empty(), "{differences:#?}");

    let path_rules: Vec<Value> = ComparisonOperator::ALL
        .iter()
        .filter(|op| op.has_path_form())
        .map(|op| json!({"Variable": "$.v", format!("{}Path", op.as_str()): "$.w"}))
        .collect();
    let machine = choice_machine(&path_rules);
    let few = json!([
        null,
        true,
        1,
        2.5,
        "a",
        "b",
        "2016-03-14T01:59:00Z",
        "2016-03-14T02:59:00+01:00",
        {}
    ]);
    let few = few.as_array().cloned().unwrap_or_default();
    let pairs: Vec<Value> = few
        .iter()
        .flat_map(|v| few.iter().map(move |w| json!({"v": v, "w": w})))
        .collect();
    let differences = behaviour_differences(&machine, &pairs, &json!({}));
    assert!(differences.is_empty(), "{differences:#?}");
}

/// A Pass state computing `{"r.$": call}` for each input.
fn intrinsic_machine(call: &str) -> Value {
    json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"r.$": call}, "End": true}}})
}

#[test]
fn intrinsic_functions_compute_the_same() {
    let cases: Vec<(&str, Value)> = vec![
        (
            "States.Format('x={} y={}', $.a, $.b)",
            json!([{"a": "s", "b": 1}, {"a": 2.5, "b": null}, {"a": true, "b": -4}]),
        ),
        (
            "States.StringToJson($.a)",
            json!([{"a": "{\"k\": [1, 2]}"}, {"a": "3"}, {"a": "\"t\""}, {"a": "nope"}]),
        ),
        (
            "States.JsonToString($.a)",
            json!([{"a": {"k": [1, "x"]}}, {"a": [1, 2]}, {"a": 3}, {"a": null}]),
        ),
        (
            "States.Array($.a, 'x', 2, States.Array(1))",
            json!([{"a": 1}, {"a": {"k": 1}}, {"a": "s"}]),
        ),
        (
            "States.ArrayPartition($.a, $.n)",
            json!([{"a": [1, 2, 3, 4, 5], "n": 2}, {"a": [], "n": 3}, {"a": [1], "n": 4}, {"a": [1, 2], "n": 0}]),
        ),
        (
            "States.ArrayContains($.a, $.v)",
            json!([{"a": [1, 2], "v": 2}, {"a": [[1], {"k": 1}], "v": {"k": 1}}, {"a": [[1], 2], "v": [1]}, {"a": ["x"], "v": "y"}]),
        ),
        (
            "States.ArrayContains($.a, 'x')",
            json!([{"a": ["x"]}, {"a": ["y"]}, {"a": []}]),
        ),
        (
            "States.ArrayRange($.a, $.b, $.c)",
            json!([{"a": 1, "b": 9, "c": 2}, {"a": 5, "b": 1, "c": -2}, {"a": 1, "b": 1, "c": 1}, {"a": 3, "b": 1, "c": 1}]),
        ),
        (
            "States.ArrayGetItem($.a, $.i)",
            json!([{"a": [1, 2, 3], "i": 1}, {"a": [[1, 2], 3], "i": 0}, {"a": ["x"], "i": 0}]),
        ),
        (
            "States.ArrayLength($.a)",
            json!([{"a": [1, 2, 3]}, {"a": []}, {"a": [[1, 2]]}]),
        ),
        (
            "States.ArrayUnique($.a)",
            json!([{"a": [1, 2, 2, 1, "1"]}, {"a": []}, {"a": [{"k": 1}, {"k": 1}]}]),
        ),
        // Non-ASCII text differs: $base64encode encodes Latin-1 (as jsonata-js), the intrinsic UTF-8.
        (
            "States.Base64Encode($.a)",
            json!([{"a": "Data to encode"}, {"a": ""}]),
        ),
        (
            "States.Base64Decode($.a)",
            json!([{"a": "RGF0YSB0byBlbmNvZGU="}, {"a": ""}]),
        ),
        (
            "States.Hash($.a, $.alg)",
            json!([{"a": "input data", "alg": "MD5"}, {"a": "x", "alg": "SHA-1"}, {"a": "x", "alg": "SHA-256"}, {"a": "x", "alg": "SHA-384"}, {"a": "x", "alg": "SHA-512"}]),
        ),
        (
            "States.JsonMerge($.a, $.b, false)",
            json!([{"a": {"x": 1, "y": {"z": 1}}, "b": {"y": 2}}, {"a": {}, "b": {}}]),
        ),
        (
            "States.MathAdd($.a, $.b)",
            json!([{"a": 1, "b": 2}, {"a": 1.49, "b": 1.5}, {"a": -1.5, "b": -2.5}, {"a": 2.5, "b": 0}, {"a": "1", "b": 2}]),
        ),
        ("States.MathAdd($.a, -1)", json!([{"a": 10}, {"a": 0.5}])),
        (
            "States.StringSplit($.a, $.d)",
            json!([{"a": "a,b,,c", "d": ","}, {"a": "This.is+a,test=string", "d": ".+,="}, {"a": ",,,", "d": ","}, {"a": "abc", "d": ""}, {"a": "", "d": ","}]),
        ),
        (
            "States.StringSplit($.a, ', ')",
            json!([{"a": "a, b,c , d"}, {"a": "x"}]),
        ),
        (
            "States.StringSplit($.a, '')",
            json!([{"a": "a b"}, {"a": ""}]),
        ),
        (
            "States.ArrayGetItem(States.StringSplit($.a, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($.a, '-')), -1))",
            json!([{"a": "x-y-z"}]),
        ),
    ];
    let mut differences = Vec::new();
    for (call, inputs) in cases {
        let inputs = inputs.as_array().cloned().unwrap_or_default();
        for d in behaviour_differences(&intrinsic_machine(call), &inputs, &json!({})) {
            differences.push(format!("{call}: {d}"));
        }
    }
    assert!(differences.is_empty(), "{differences:#?}");
}

#[test]
fn data_flow_fields_compute_the_same() {
    let lambda = |payload: Value| json!({"Return": {"StatusCode": 200, "Payload": payload}});
    let task = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "InputPath": "$.job",
              "Parameters": {"FunctionName": "f", "Payload": {"id.$": "$.id", "all.$": "$", "run.$": "$$.Execution.Name"}},
              "TimeoutSecondsPath": "$.timeout", "HeartbeatSecondsPath": "$.timeout",
              "Credentials": {"RoleArn.$": "States.Format('arn:aws:iam::123456789012:role/{}', $.id)"},
              "ResultSelector": {"status.$": "$.Payload.status", "echo.$": "$.Payload"},
              "ResultPath": "$.job.result",
              "Assign": {"last.$": "$.status"},
              "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Assign": {"why.$": "$.Cause"}, "Next": "Caught"}],
              "Next": "Read"},
        "Read": {"Type": "Pass", "Parameters": {"last.$": "$last", "out.$": "$.job"}, "OutputPath": "$.out", "End": true},
        "Caught": {"Type": "Pass", "Parameters": {"why.$": "$why", "error.$": "$.error.Error"}, "End": true}
    }});
    let ok = json!({"T": {"0": lambda(json!({"status": "DONE", "n": 1}))}});
    let thrown = json!({"T": {"0": {"Throw": {"Error": "Boom", "Cause": "bad"}}}});
    let inputs = [
        json!({"job": {"id": 7}, "timeout": 30}),
        json!({"job": {"id": "x", "result": {"old": 1}}, "timeout": 5}),
    ];
    assert_eq!(
        behaviour_differences(&task, &inputs, &ok),
        Vec::<String>::new()
    );
    assert_eq!(
        behaviour_differences(&task, &inputs, &thrown),
        Vec::<String>::new()
    );

    let pass = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "InputPath": "$.in", "Parameters": {"list.$": "$.items[*].v", "first.$": "$.items[0]", "tail.$": "$.items[1:]", "head.$": "$.items[:2]", "last2.$": "$.items[-2:]", "mid.$": "$.items[1:3]", "n": 1}, "ResultPath": "$.in.out.deep", "Next": "B"},
        "B": {"Type": "Pass", "OutputPath": "$.in.out", "Next": "C"},
        "C": {"Type": "Wait", "SecondsPath": "$.deep.n", "Next": "D"},
        "D": {"Type": "Pass", "Result": {"fixed": [1, {"k": "{% no %}"}]}, "ResultPath": "$.fixed", "Next": "E"},
        "E": {"Type": "Succeed", "InputPath": "$.deep"}
    }});
    let inputs = [
        json!({"in": {"items": [{"v": 1}, {"v": 2}, {"v": 3}, {"w": 4}]}}),
        json!({"in": {"items": [{"v": "x"}], "out": {"keep": true}}}),
        // (An empty list would fail `$.items[0]` in JSONPath; in the merged ResultPath the
        // missing value only drops its key.)
    ];
    assert_eq!(
        behaviour_differences(&pass, &inputs, &json!({})),
        Vec::<String>::new()
    );

    let map = json!({"StartAt": "M", "States": {
        "M": {"Type": "Map", "InputPath": "$.order", "ItemsPath": "$.lines", "MaxConcurrencyPath": "$.limit",
              "ItemSelector": {"line.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index", "cur.$": "$.currency"},
              "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"total.$": "States.MathAdd($.line.qty, $.index)", "cur.$": "$.cur"}, "End": true}}},
              "ResultSelector": {"lines.$": "$", "count.$": "States.ArrayLength($)"},
              "ResultPath": "$.order.priced", "Next": "F"},
        "F": {"Type": "Fail", "ErrorPath": "States.Format('{} lines', $.order.priced.count)", "CausePath": "$.order.currency"}
    }});
    let inputs =
        [json!({"order": {"lines": [{"qty": 1}, {"qty": 2}], "currency": "EUR"}, "limit": 2})];
    assert_eq!(
        behaviour_differences(&map, &inputs, &json!({})),
        Vec::<String>::new()
    );

    let parallel = json!({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Parameters": {"x.$": "$.x", "at.$": "$.at"},
              "Branches": [
                  {"StartAt": "A", "States": {"A": {"Type": "Wait", "TimestampPath": "$.at", "OutputPath": "$.x", "End": true}}},
                  {"StartAt": "B", "States": {"B": {"Type": "Choice", "InputPath": "$.x",
                      "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Assign": {"big.$": "$.n"}, "Next": "Big"}],
                      "Default": "Small", "OutputPath": "$.n"},
                      "Big": {"Type": "Pass", "Parameters": {"big.$": "$big"}, "End": true},
                      "Small": {"Type": "Succeed"}}}
              ],
              "ResultSelector": {"first.$": "$[0]", "second.$": "$[1]"}, "OutputPath": "$.second", "End": true}
    }});
    let inputs = [
        json!({"x": {"n": 2}, "at": "2016-03-14T01:59:00Z"}),
        json!({"x": {"n": 1}, "at": "2016-03-14T01:59:00+01:00"}),
    ];
    assert_eq!(
        behaviour_differences(&parallel, &inputs, &json!({})),
        Vec::<String>::new()
    );
}
