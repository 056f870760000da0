//! The real binary in a pseudo-terminal, its screen read through a terminal emulator.

use super::fixture::NOW;

pub struct Pty {
    parser: std::sync::Arc<std::sync::Mutex<vt100::Parser>>,
    writer: Box<dyn std::io::Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Pty {
    /// Starts `jingong ARGS` in a 30x100 terminal with `env` (other JINGONG_ variables
    /// removed so a developer's own settings cannot leak in).
    pub fn spawn(args: &[&std::ffi::OsStr], env: &[(&str, &std::ffi::OsStr)]) -> Pty {
        use portable_pty::{CommandBuilder, PtySize, native_pty_system};
        use std::io::Read;
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_jingong"));
        cmd.args(args);
        for name in [
            "JINGONG_DB",
            "JINGONG_LANG",
            "JINGONG_KEY",
            "JINGONG_NEW_KEY",
        ] {
            cmd.env_remove(name);
        }
        cmd.env("JINGONG_NOW", NOW);
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        for (name, value) in env {
            cmd.env(name, value);
        }
        let child = pty.slave.spawn_command(cmd).expect("spawn jingong");
        drop(pty.slave);
        let parser = std::sync::Arc::new(std::sync::Mutex::new(vt100::Parser::new(
            std::num::NonZero::new(30).unwrap(),
            std::num::NonZero::new(100).unwrap(),
            0,
        )));
        let mut reader = pty.master.try_clone_reader().expect("pty reader");
        let feed = std::sync::Arc::clone(&parser);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().unwrap().process(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().expect("pty writer");
        // The master must outlive the child, or the child sees its terminal hang up.
        std::mem::forget(pty.master);
        Pty {
            parser,
            writer,
            child,
        }
    }

    pub fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until `needle` shows, or fails with what the screen shows.
    pub fn wait_for(&self, needle: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while std::time::Instant::now() < deadline {
            if self.text().contains(needle) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(30));
        }
        panic!("'{needle}' never showed; the screen:\n{}", self.text());
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(60));
    }

    /// The exit code, waiting up to 30 s.
    pub fn wait_exit(&mut self) -> u32 {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            assert!(
                std::time::Instant::now() < deadline,
                "jingong did not end; the screen:\n{}",
                self.text()
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}
