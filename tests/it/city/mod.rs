//! The city side on a real PostgreSQL (`JINGONG_TEST_PG`, e.g. from `scripts/pg-dev`). Each
//! test makes its own database, so they run in parallel. Without `JINGONG_TEST_PG` they skip
//! with a note, except under `CI=true`, where they fail: CI must run them.
//!
//! Laptop batches are made by the real binary (`demo`, `worker add`, `export`), and ingested
//! by the real binary (`city ingest`, also as a watcher of an inbox).

mod cluster;

mod chains;
mod erasure;
mod needs;
mod receipts;
mod robustness;
mod sealed;
mod staging;
mod stats;
mod watch;
