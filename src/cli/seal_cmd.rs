//! Sealed batches on the command line: making a receiver's identity (`seal-key`), choosing
//! whether `export` seals, and giving `verify` / `import batch` the identity that opens one.

use super::args::{Cli, ExportArgs, SealKeyArgs};
use super::{CmdResult, Failure};
use crate::batch::seal;
use crate::store::Store;
use crate::text::Lang;
use std::path::Path;

/// `seal-key --out FILE`: a new identity for a receiving office, owner-only; prints the
/// public key the senders' laptops set with `officer set --seal-to`.
pub fn seal_key(cli: &Cli, a: &SealKeyArgs) -> CmdResult {
    let lang = cli.lang;
    let recipient =
        seal::generate_identity(&a.out).map_err(|e| Failure::refused(e.message(lang)))?;
    eprintln!(
        "{}{}",
        lang.pick(
            "已写入接收方私钥（仅本人可读，请妥善保管）：",
            "receiver identity written (owner-only; keep it secret): "
        ),
        a.out.display()
    );
    println!("{recipient}");
    Ok(())
}

/// Checks every `--seal-to` before anything is written; returns them canonical.
pub fn checked_recipients(given: &[String], lang: Lang) -> Result<Vec<String>, Failure> {
    given
        .iter()
        .map(|r| seal::parse_recipient(r).map_err(|e| Failure::invalid(e.message(lang))))
        .collect()
}

/// The receivers `export` seals to: those set on the laptop unless `--no-seal`; `--seal`
/// with none set is refused rather than writing a batch in the clear.
pub fn export_recipients(
    store: &Store,
    a: &ExportArgs,
    lang: Lang,
) -> Result<Vec<String>, Failure> {
    let set = store
        .seal_recipients()
        .map_err(|e| Failure::from_store(e, lang))?;
    if a.no_seal {
        if !set.is_empty() {
            eprintln!(
                "{}",
                lang.pick(
                    "注意：按 --no-seal 要求，本批次未加密（文件中的身份证号等可直接读取）",
                    "note: --no-seal: this batch is not sealed (its ID numbers can be read by anyone holding the file)"
                )
            );
        }
        return Ok(Vec::new());
    }
    if a.seal && set.is_empty() {
        return Err(Failure::invalid(lang.pick(
            "--seal：尚未设置接收方公钥，请先运行 officer set --seal-to age1…；未写入任何文件",
            "--seal: no receivers are set; run `officer set --seal-to age1…` first; no files written",
        )));
    }
    Ok(set)
}

/// Makes the identity file (when given) the one sealed batches open with in this run.
pub fn use_identity(identity: Option<&Path>, lang: Lang) -> Result<(), Failure> {
    if let Some(path) = identity {
        let identities =
            seal::read_identities(path).map_err(|e| Failure::invalid(e.message(lang)))?;
        seal::use_identities(identities);
    }
    Ok(())
}
