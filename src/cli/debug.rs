//! `asl-studio debug CASE.json [--run]`: opens a test case in the designer (its definition,
//! input and mocks), paused before the first state, or run to the end or the first breakpoint.
//! `asl-studio FILE --input JSON --mocks F --run` does the same for a definition.

use super::{EXIT_USAGE, read_input};
use crate::app::run::MockSource;
use crate::app::{DesignerOptions, RunRequest};
use anyhow::{Context, bail};
use clap::Args;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct DebugArgs {
    /// A test-case file (the format `asl-studio test` runs) with a `definitionFile`.
    pub case: PathBuf,
    /// Run to the end or the first breakpoint (else: paused before the first state).
    #[arg(long)]
    pub run: bool,
}

/// The flags of `asl-studio FILE` that prepare a run.
#[derive(Debug, Args, Default)]
pub struct OpenRunArgs {
    /// The execution input as JSON text (opens the run view).
    #[arg(long, conflicts_with = "input_file")]
    pub input: Option<String>,
    /// A file holding the execution input.
    #[arg(long)]
    pub input_file: Option<PathBuf>,
    /// Task answers: per-state mocks, or a MockConfigFile (with --test-case).
    #[arg(long)]
    pub mocks: Option<PathBuf>,
    /// The MockConfigFile test case.
    #[arg(long)]
    pub test_case: Option<String>,
    /// Run to the end or the first breakpoint (else: paused before the first state).
    #[arg(long)]
    pub run: bool,
}

impl OpenRunArgs {
    pub fn wants_run(&self) -> bool {
        self.input.is_some() || self.input_file.is_some() || self.mocks.is_some() || self.run
    }

    /// The run these flags ask for.
    pub fn request(&self) -> anyhow::Result<RunRequest> {
        let input = match (&self.input, &self.input_file) {
            (Some(input), _) => Some(input.clone()),
            (None, Some(file)) => Some(read_input(file)?),
            (None, None) => None,
        };
        if let Some(text) = &input {
            serde_json::from_str::<Value>(text).context("the input is not JSON")?;
        }
        let mocks = match &self.mocks {
            Some(path) => Some(mock_source(path, self.test_case.as_deref())?),
            None => None,
        };
        Ok(RunRequest {
            input,
            mocks,
            run: self.run,
        })
    }
}

/// Per-state mocks, or a MockConfigFile and its test case (the first one when not named).
fn mock_source(path: &Path, test_case: Option<&str>) -> anyhow::Result<MockSource> {
    let text = read_input(path)?;
    let value: Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    if let Some(machines) = value.get("StateMachines").and_then(Value::as_object) {
        let case = match test_case {
            Some(case) => case.to_string(),
            None => machines
                .values()
                .filter_map(|m| m.get("TestCases").and_then(Value::as_object))
                .flat_map(|cases| cases.keys())
                .next()
                .cloned()
                .with_context(|| format!("{} has no test case", path.display()))?,
        };
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        return Ok(MockSource::ConfigFile {
            path: absolute.display().to_string(),
            test_case: case,
        });
    }
    Ok(MockSource::States(
        serde_json::to_string_pretty(&value).unwrap_or(text),
    ))
}

pub fn run(args: &DebugArgs) -> ExitCode {
    match options(args) {
        Ok(options) => open(options),
        Err(error) => {
            eprintln!("asl-studio: {error:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// The designer's options for a test case.
pub fn options(args: &DebugArgs) -> anyhow::Result<DesignerOptions> {
    let text = read_input(&args.case)?;
    let case: Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a JSON test case", args.case.display()))?;
    let Some(relative) = case.get("definitionFile").and_then(Value::as_str) else {
        bail!(
            "{} has no \"definitionFile\": the designer opens a definition file",
            args.case.display()
        );
    };
    let definition = args.case.parent().unwrap_or(Path::new(".")).join(relative);
    if !definition.is_file() {
        bail!("{} does not exist", definition.display());
    }
    let definition = definition.canonicalize().unwrap_or(definition);
    let input = case
        .get("input")
        .map(|i| serde_json::to_string_pretty(i).unwrap_or_default());
    let mocks = case
        .get("mocks")
        .map(|m| MockSource::States(serde_json::to_string_pretty(m).unwrap_or_default()));
    let mut options = DesignerOptions::desktop(Some(definition));
    options.run = Some(RunRequest {
        input,
        mocks,
        run: args.run,
    });
    Ok(options)
}

/// Opens the designer with these options.
pub fn open(options: DesignerOptions) -> ExitCode {
    match crate::app::run_designer_with(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("asl-studio: cannot open the designer: {error:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
