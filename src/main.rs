//! The `ctsearch` binary: parses the flags, runs the command and maps its
//! outcome to an exit status (0 results, 1 none, 2 error, 130 interrupted).

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(ctsearch::cli::main())
}
