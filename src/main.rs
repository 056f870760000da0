fn main() {
    restore_default_sigpipe();
    std::process::exit(jingong::cli::main());
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`jingong search 王 | head`) would
/// panic; like other command-line tools, end quietly instead.
#[cfg(unix)]
fn restore_default_sigpipe() {
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is always valid.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn restore_default_sigpipe() {}
