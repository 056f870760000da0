// Unsafe code is refused everywhere but the one libc call below (the library forbids it).
#![deny(unsafe_code)]

fn main() {
    sigpipe::restore_default();
    std::process::exit(jingong::cli::main());
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`jingong search 王 | head`) would
/// panic; like other command-line tools, end quietly instead. Setting a signal's action has no
/// safe wrapper in the standard library, hence the one allowed `unsafe` of the program.
#[allow(unsafe_code)]
mod sigpipe {
    #[cfg(unix)]
    pub fn restore_default() {
        // SAFETY: called first thing in main, before any thread exists; SIG_DFL is always valid.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }

    #[cfg(not(unix))]
    pub fn restore_default() {}
}
