//! `import receipt FILE...`: the city's signed receipts checked against the city keys set
//! here, and each exported batch marked received (已接收), held, or returned (被退回) with
//! the city's reasons. A receipt that fails any check changes nothing.

use super::args::{Cli, ImportReceiptArgs};
use super::output::shown;
use super::{CmdResult, Failure, open_store};
use crate::batch::receipt_import::{import_one, outcome_lines, refused_line};

pub fn run(cli: &Cli, a: &ImportReceiptArgs) -> CmdResult {
    let lang = cli.lang;
    let mut store = open_store(cli)?;
    let keys = store
        .city_keys()
        .map_err(|e| Failure::from_store(e, lang))?;
    let mut refused = 0;
    for file in &a.files {
        let imported =
            import_one(&mut store, file, &keys, lang).map_err(|e| Failure::from_store(e, lang))?;
        match imported {
            Ok((body, outcome)) => {
                for line in outcome_lines(file, &body, outcome.as_ref(), lang) {
                    println!("{}", shown(&line));
                }
            }
            Err(message) => {
                refused += 1;
                eprintln!("{}", shown(&format!("{}: {message}", file.display())));
            }
        }
    }
    if refused > 0 {
        return Err(Failure::refused(refused_line(refused, lang)));
    }
    Ok(())
}
