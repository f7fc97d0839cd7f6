//! The `covenant` command-line tool: solvers for normal-form and coalitional games, voting
//! power, and collective-security checks of treaty models. See the README for the JSON output
//! contract of every subcommand.
#![deny(unsafe_code)]

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("covenant: error: {e}");
            ExitCode::FAILURE
        }
    }
}
