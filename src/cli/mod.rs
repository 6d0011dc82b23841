//! The command line: the same core as the designer, for scripts and CI.

mod export;
mod run;
mod test;
mod test_state;
mod validate;

use clap::{Parser, Subcommand, ValueEnum};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "asl-studio",
    version,
    about = "Design, validate, run and test AWS Step Functions state machines (Amazon States Language)",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Without a command: the definition (or SAM / CloudFormation template) to open in the
    /// designer; none opens it on a starter workflow.
    pub file: Option<std::path::PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check definitions (*.asl.json, *.asl.yaml) and report problems like a compiler.
    Validate(validate::ValidateArgs),
    /// Run a definition on an input with the interpreter (mocked tasks) and print the result.
    Run(run::RunArgs),
    /// Run test-case files (the conformance format) and compare with their expectations.
    Test(test::TestArgs),
    /// Test one state as AWS's TestState API does: status, next state and every data-flow stage.
    TestState(test_state::TestStateArgs),
    /// Write the definition as JSON, YAML, or a SAM / CloudFormation template.
    Export(export::ExportArgs),
}

/// Output style shared by the subcommands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    #[default]
    Text,
    Json,
}

/// Exit codes: 0 success, 1 the check failed, 2 usage or I/O error.
pub const EXIT_FAILED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Some(Command::Validate(args)) => validate::run(&args),
        Some(Command::Run(args)) => run::run(&args),
        Some(Command::Test(args)) => test::run(&args),
        Some(Command::TestState(args)) => test_state::run(&args),
        Some(Command::Export(args)) => export::run(&args),
        None => match crate::app::run_designer(cli.file) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("asl-studio: cannot open the designer: {error:#}");
                ExitCode::from(EXIT_USAGE)
            }
        },
    }
}

/// Reads a file, or standard input for "-".
pub(crate) fn read_input(path: &std::path::Path) -> anyhow::Result<String> {
    use anyhow::Context;
    use std::io::Read;
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read standard input")?;
        return Ok(text);
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8 text", path.display()))
}

pub(crate) fn display_path(path: &std::path::Path) -> String {
    if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}
