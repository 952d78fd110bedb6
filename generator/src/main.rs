//! The `xeberdar` binary: parses the command line and reports errors in plain words.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli.run() {
        Ok(code) => code,
        Err(err) => {
            // `{:#}` prints the whole chain ("could not build: config.toml:3:1: …") on one line.
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
