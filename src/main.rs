//! The `ctsearch` binary: parses the flags, runs the command and maps its
//! outcome to an exit status (0 results, 1 none, 2 error).
//!
//! On Unix the binary has its own C `main` instead of Rust's: the start-up
//! that Rust's runtime does before `main` cost 0.09 ms of every process
//! (measured on a hello-world binary, 200 interleaved runs), 2-3 % of a
//! search, mostly in finding the main thread's stack guard, for which glibc
//! reads and parses `/proc/self/maps`. What of it a command needs is done
//! here: standard streams that were closed are opened on `/dev/null` (so a
//! file the command opens can never become its stdout), SIGPIPE is ignored
//! (so a closed pipe is an error the command sees, and ends quietly with
//! status 0, as before), a panic ends the process with status 2, and
//! stdout is flushed before exit. What is left out is the message on a
//! stack overflow (which the query parser's depth limit keeps away): the
//! process still ends, with SIGSEGV.
#![cfg_attr(unix, no_main)]

use std::io::Write;

use clap::Parser;
use ctsearch::cli::{Cli, Outcome, is_broken_pipe};

/// The C entry point; `std::env::args` still works, glibc hands the
/// arguments to Rust's standard library before calling it.
#[cfg(unix)]
#[unsafe(no_mangle)]
extern "C" fn main(_argc: libc::c_int, _argv: *const *const libc::c_char) -> libc::c_int {
    prepare_process();
    let status = std::panic::catch_unwind(run).unwrap_or(2);
    // Rust's runtime flushes stdout at exit; without it, this does.
    let _ = std::io::stdout().flush();
    libc::c_int::from(status)
}

#[cfg(not(unix))]
fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(run())
}

/// The standard streams, and SIGPIPE, as Rust's runtime leaves them.
#[cfg(unix)]
fn prepare_process() {
    for fd in 0..=2 {
        // SAFETY: fcntl(F_GETFD) only queries the descriptor.
        let closed = unsafe { libc::fcntl(fd, libc::F_GETFD) } == -1
            && std::io::Error::last_os_error().raw_os_error() == Some(libc::EBADF);
        // SAFETY: a NUL-terminated path; open takes the lowest free
        // descriptor, which is `fd`.
        if closed && unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDWR) } != fd {
            // As Rust's runtime does: better no run than one whose output
            // could land in a file it writes.
            std::process::abort();
        }
    }
    // SAFETY: setting a signal's disposition to SIG_IGN installs no handler.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
}

fn run() -> u8 {
    ctsearch::trace::start();
    let cli = Cli::parse();
    ctsearch::trace::mark("arguments parsed");
    let outcome = cli.run();
    ctsearch::trace::mark("done");
    match outcome {
        Ok(Outcome::Matched) => 0,
        Ok(Outcome::NoMatch) => 1,
        Err(err) if is_broken_pipe(&err) => 0,
        Err(err) => {
            eprintln!("ctsearch: {err:#}");
            2
        }
    }
}
