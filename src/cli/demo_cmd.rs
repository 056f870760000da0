//! `jingong demo`: fill the database with synthetic data, with a progress bar on a terminal.

use super::args::{Cli, DemoArgs};
use super::{CmdResult, Failure, open_store};
use crate::demo::{DemoOptions, fill};
use std::io::IsTerminal;

pub fn run(cli: &Cli, a: &DemoArgs) -> CmdResult {
    let lang = cli.lang;
    let mut store = open_store(cli)?;
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(a.workers);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} {eta}")
                .expect("static template"),
        );
        bar
    });
    let started = std::time::Instant::now();
    let summary = fill(
        &mut store,
        DemoOptions {
            workers: a.workers,
            services_per_worker: a.services_per_worker,
            seed: a.seed,
        },
        |done| {
            if let Some(bar) = &bar {
                bar.set_position(done);
            }
        },
    )
    .map_err(|e| Failure::from_store(e, lang))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    println!(
        "{} {} {}, {} {}, {} {}, {} {}, {} {} ({:.1} s)",
        lang.pick("已生成", "created"),
        summary.workers,
        lang.pick("名职工", "workers"),
        summary.services,
        lang.pick("条服务记录", "services"),
        summary.events,
        lang.pick("场活动", "events"),
        summary.needs,
        lang.pick("条诉求", "needs"),
        summary.claims,
        lang.pick("件互助保障申请", "mutual-aid claims"),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
