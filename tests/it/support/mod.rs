//! What the test modules share, one job per file:
//! - `fixture`: the database with its officer 李明 at a fixed clock (`TestDb`, `store_with_officer`);
//! - `bin`: running the real binary with a clean environment;
//! - `pty`: the real binary in a pseudo-terminal;
//! - `tui`: the app in-process on a `TestBackend`, keys in and plain text out;
//! - `batch`: demo databases, exports and dumps for the batch tests.

pub mod batch;
pub mod bin;
pub mod fixture;
pub mod pty;
pub mod tui;
