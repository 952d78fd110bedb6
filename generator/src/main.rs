//! The `xeberdar` binary: parses the command line and reports errors in plain words.

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// A build creates and drops millions of small template values (serde_json maps and
/// strings) from two rayon threads; with glibc's allocator that bookkeeping took about a
/// third of `xeberdar build` and its per-thread arenas kept freed memory, so peak memory
/// grew too. mimalloc's thread-local free lists do the same work in a fraction of the time
/// (figures in BENCHMARKS.md). Only the binary sets it; the library leaves the choice to
/// whoever links it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
