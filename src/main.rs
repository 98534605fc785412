use std::process::ExitCode;

use clap::Parser;
use ctsearch::cli::{Cli, Outcome, is_broken_pipe};

fn main() -> ExitCode {
    ctsearch::trace::start();
    let cli = Cli::parse();
    ctsearch::trace::mark("arguments parsed");
    let outcome = cli.run();
    ctsearch::trace::mark("done");
    match outcome {
        Ok(Outcome::Matched) => ExitCode::from(0),
        Ok(Outcome::NoMatch) => ExitCode::from(1),
        Err(err) if is_broken_pipe(&err) => ExitCode::from(0),
        Err(err) => {
            eprintln!("ctsearch: {err:#}");
            ExitCode::from(2)
        }
    }
}
