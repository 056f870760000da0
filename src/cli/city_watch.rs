//! `city ingest --inbox DIR --watch`: the long-running ingester an office leaves on (e.g. as a
//! systemd service). One log line per batch, with no personal data: the batch's file name, its
//! uid and device, and counts; the refused records' reasons go into the receipt, not the log.

use super::city_cmd::{Answer, fail, ingest_and_answer};
use super::output::shown;
use super::{CmdResult, Failure};
use crate::city::ingest::{Outcome, Report};
use crate::city::watch::{
    EVERY_DEFAULT_SECONDS, EVERY_MAX_SECONDS, EVERY_MIN_SECONDS, Inbox, stop_on_signals,
    wait_or_stop,
};
use crate::text::Lang;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// `--every`: whole seconds within the bounds.
pub(super) fn every_seconds(raw: Option<&str>, lang: Lang) -> Result<Duration, Failure> {
    let Some(raw) = raw else {
        return Ok(Duration::from_secs(EVERY_DEFAULT_SECONDS));
    };
    match raw.trim().parse::<u64>() {
        Ok(n) if (EVERY_MIN_SECONDS..=EVERY_MAX_SECONDS).contains(&n) => Ok(Duration::from_secs(n)),
        _ => Err(Failure::invalid(match lang {
            Lang::Zh => format!(
                "--every：检查收件夹的间隔应为 {EVERY_MIN_SECONDS} 到 {EVERY_MAX_SECONDS} 之间的整数秒，收到“{}”",
                shown(raw)
            ),
            Lang::En => format!(
                "--every: the time between looks at the inbox is a whole number of seconds from {EVERY_MIN_SECONDS} to {EVERY_MAX_SECONDS}; got “{}”",
                shown(raw)
            ),
        })),
    }
}

/// Polls the inbox until SIGTERM / SIGINT, which end it between batches (exit 0). A batch in
/// hand is one transaction: it finishes, or a second signal ends the process and it rolls
/// back. A database or inbox error ends the watcher with that error, for the service manager
/// to restart it.
pub(super) fn watch_inbox(
    client: &mut postgres::Client,
    dir: &Path,
    every: Duration,
    answer: &Answer,
    lang: Lang,
) -> CmdResult {
    let stop = stop_on_signals().map_err(|e| fail(e, lang))?;
    let mut inbox = Inbox::new(dir);
    // The first look fails at once on a missing inbox, before anything is announced.
    let mut ready = inbox.poll().map_err(|e| fail(e, lang))?;
    log(&match lang {
        Lang::Zh => format!(
            "开始监视收件夹 {}，每 {} 秒检查一次；收到 SIGTERM 或 Ctrl-C 后在两个批次之间停止",
            shown(&dir.display().to_string()),
            every.as_secs()
        ),
        Lang::En => format!(
            "watching the inbox {} every {} s; SIGTERM or Ctrl-C stops it between batches",
            shown(&dir.display().to_string()),
            every.as_secs()
        ),
    });
    'watch: loop {
        for path in ready {
            if stop.load(Ordering::SeqCst) {
                break 'watch;
            }
            for report in ingest_and_answer(client, &[path], answer, lang)? {
                log(&report_line(&report, lang));
            }
        }
        if wait_or_stop(&stop, every) {
            break;
        }
        ready = inbox.poll().map_err(|e| fail(e, lang))?;
    }
    log(lang.pick("已停止监视收件夹", "stopped watching the inbox"));
    Ok(())
}

fn log(line: &str) {
    let at = crate::store::Clock::from_env()
        .now()
        .format("%Y-%m-%d %H:%M:%S");
    println!("{at} {}", shown(line));
}

/// One line for one batch: its file name, uid and device, and counts only.
fn report_line(r: &Report, lang: Lang) -> String {
    let name = r
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let released = if r.released {
        lang.pick(
            "（前一批已到，自动处理）",
            " (released: its previous batch arrived)",
        )
    } else {
        ""
    };
    match (&r.outcome, lang) {
        (
            Outcome::Applied {
                batch_uid,
                device_id,
                tally,
            },
            _,
        ) => {
            let [w, e, s, needs, claims] = tally.applied;
            let unchanged: i64 = tally.unchanged.iter().sum();
            match lang {
                Lang::Zh => format!(
                    "{name}：已入库{released} 批次 {batch_uid} 设备 {device_id}：职工 {w}，活动 {e}，服务 {s}，诉求 {needs}，互助保障申请 {claims}；未变 {unchanged}；冲突 {}",
                    tally.conflicts
                ),
                Lang::En => format!(
                    "{name}: applied{released} batch {batch_uid} device {device_id}: {w} workers, {e} events, {s} services, {needs} needs, {claims} claims; unchanged {unchanged}; conflicts {}",
                    tally.conflicts
                ),
            }
        }
        (
            Outcome::Held {
                batch_uid,
                device_id,
                waiting_for,
            },
            _,
        ) => match lang {
            Lang::Zh => {
                format!("{name}：暂存 批次 {batch_uid} 设备 {device_id}，等待前一批 {waiting_for}")
            }
            Lang::En => format!(
                "{name}: held batch {batch_uid} device {device_id}, waiting for {waiting_for}"
            ),
        },
        (
            Outcome::Duplicate {
                batch_uid,
                device_id,
            },
            _,
        ) => match lang {
            Lang::Zh => format!("{name}：批次 {batch_uid} 设备 {device_id} 已收到过，未作任何改动"),
            Lang::En => format!(
                "{name}: batch {batch_uid} device {device_id} received before; nothing changed"
            ),
        },
        (
            Outcome::Refused {
                batch_uid,
                device_id,
                problems,
            },
            _,
        ) => {
            let batch_uid = batch_uid.as_deref().unwrap_or("-");
            let device_id = device_id.as_deref().unwrap_or("-");
            let n = problems.len();
            match lang {
                Lang::Zh => format!(
                    "{name}：整批拒收{released} 批次 {batch_uid} 设备 {device_id}，{n} 个问题（原因记录在该批次及其回执中），未写入任何记录"
                ),
                Lang::En => format!(
                    "{name}: refused whole{released} batch {batch_uid} device {device_id} with {n} problem(s) (reasons kept with the batch and in its receipt); nothing applied"
                ),
            }
        }
        (Outcome::Unreadable { zh, en }, _) => match lang {
            Lang::Zh => format!("{name}：无法读取：{zh}"),
            Lang::En => format!("{name}: unreadable: {en}"),
        },
    }
}
