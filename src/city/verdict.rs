//! The verifier's verdict on a batch the city is ingesting: the laptop's own verifier, run as
//! a receiving laptop runs it, in a thread of its own beside the database's work on the same
//! batch (`ingest`), which commits nothing before the verdict.

use crate::batch::format::RecordKind;
use crate::batch::source::BatchSource;
use crate::batch::verify::{Known, VerifyOptions, VerifyReport, verify_source};
use chrono::NaiveDate;
use std::path::Path;
use std::sync::mpsc;
use std::thread::{Scope, ScopedJoinHandle};

/// Every field by the forms' rules, as a laptop receiving the batch checks it. References
/// outside the batch are checked in SQL against the city's tables (`apply`), all at once
/// rather than one query per reference.
pub(super) fn verify(path: &Path, today: NaiveDate) -> crate::batch::Result<VerifyReport> {
    let mut source = BatchSource::open(path)?;
    let mut checked_in_sql = |_: RecordKind, _: &str| Ok(Known::Yes);
    verify_source(
        &mut source,
        VerifyOptions {
            today,
            references: Some(&mut checked_in_sql),
        },
    )
}

/// The verifier's report, being worked out in its thread or ready.
pub(super) struct Verdict<'scope> {
    /// Dropped to let the verifier start (`start`).
    gate: Option<mpsc::Sender<()>>,
    pending: Option<ScopedJoinHandle<'scope, crate::batch::Result<VerifyReport>>>,
    ready: Option<crate::batch::Result<VerifyReport>>,
}

impl<'scope> Verdict<'scope> {
    /// A verifier thread that waits for `start`: on two cores it would otherwise take the
    /// processor from the stager and the server while the files are `COPY`'d (0.3 s of a
    /// city-sized batch's 1.9 s), and the statements after staging leave it time enough.
    pub(super) fn pending<'env>(
        scope: &'scope Scope<'scope, 'env>,
        path: &'scope Path,
        today: NaiveDate,
    ) -> Self {
        let (gate, opened) = mpsc::channel::<()>();
        let handle = scope.spawn(move || {
            // A message or the sender dropped: either way, go.
            let _ = opened.recv();
            verify(path, today)
        });
        Verdict {
            gate: Some(gate),
            pending: Some(handle),
            ready: None,
        }
    }

    /// Lets the verifier start (the batch is staged, or the verdict is needed now).
    pub(super) fn start(&mut self) {
        self.gate = None;
    }

    pub(super) fn ready(report: crate::batch::Result<VerifyReport>) -> Self {
        Verdict {
            gate: None,
            pending: None,
            ready: Some(report),
        }
    }

    pub(super) fn wait(&mut self) -> &crate::batch::Result<VerifyReport> {
        self.start();
        if let Some(handle) = self.pending.take() {
            let report = handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            self.ready = Some(report);
        }
        self.ready.as_ref().expect("a verdict is pending or ready")
    }

    pub(super) fn is_sound(&mut self) -> bool {
        matches!(self.wait(), Ok(report) if report.is_valid())
    }
}
