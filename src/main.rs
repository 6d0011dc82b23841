use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    asl_studio::cli::run(asl_studio::cli::Cli::parse())
}
