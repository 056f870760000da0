//! The mutual-aid tab (互助保障): claims recorded in the period by type and status with the
//! amounts claimed and paid; under it the districts on the left and the months (recorded,
//! paid in the month) on the right, as many as fit.

use crate::domain::claims::claim_type_name;
use crate::domain::{format_fen, refdata};
use crate::store::Statistics;
use crate::text::Lang;
use crate::tui::widgets::fit;
use crate::tui::widgets::width::right;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const TYPE_WIDTH: usize = 20;
const STATUS_WIDTH: usize = 7;
const MONEY_WIDTH: usize = 11;

fn bold(text: String) -> Line<'static> {
    Line::from(vec![
        Span::raw(" "),
        Span::styled(text, Style::default().add_modifier(Modifier::BOLD)),
    ])
}

fn dim(text: String) -> Line<'static> {
    Line::from(Span::styled(
        text,
        Style::default().add_modifier(Modifier::DIM),
    ))
}

fn yuan(fen: i64) -> String {
    format!("¥{}", format_fen(fen))
}

pub(super) fn render_claims(frame: &mut Frame, area: Rect, stats: &Statistics, lang: Lang) {
    let c = &stats.claims;
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut lines = vec![
        bold(format!(
            "{} {} · {} {} · {} {}",
            l("期间登记的互助保障申请", "Mutual-aid claims recorded"),
            c.total.claims,
            l("申请", "claimed"),
            yuan(c.total.claimed_fen),
            l("已发放", "paid"),
            yuan(c.total.paid_fen),
        )),
        Line::from(format!(
            "  {} {}",
            l(
                "期间内发放（按发放日期）",
                "Paid in the period (by day paid)"
            ),
            yuan(c.paid_in_period_fen)
        )),
    ];
    // Short status names: the table has seven columns for each.
    let statuses = [
        l("收集中", "Coll."),
        l("已提交", "Subm."),
        l("已审核", "Appr."),
        l("已发放", "Paid"),
        l("未通过", "Rej."),
    ];
    let header: String = statuses
        .iter()
        .map(|s| right(s, STATUS_WIDTH))
        .collect::<String>();
    lines.push(dim(format!(
        "  {}{header}{}{}",
        fit(l("类别", "Type"), TYPE_WIDTH),
        right(l("申请金额", "Claimed"), MONEY_WIDTH),
        right(l("已发放", "Paid"), MONEY_WIDTH),
    )));
    let row = |label: &str, counts: &[i64], claimed: i64, paid: i64| {
        let counts: String = counts
            .iter()
            .map(|n| right(&n.to_string(), STATUS_WIDTH))
            .collect();
        Line::from(format!(
            "  {}{counts}{}{}",
            fit(label, TYPE_WIDTH),
            right(&yuan(claimed), MONEY_WIDTH),
            right(&yuan(paid), MONEY_WIDTH),
        ))
    };
    for t in &c.by_type {
        lines.push(row(
            &claim_type_name(&t.claim_type, lang),
            &t.by_status,
            t.tally.claimed_fen,
            t.tally.paid_fen,
        ));
    }
    let totals: Vec<i64> = c.by_status.iter().map(|s| s.tally.claims).collect();
    lines.push(row(
        l("合计", "Total"),
        &totals,
        c.total.claimed_fen,
        c.total.paid_fen,
    ));
    let table_height = (lines.len() as u16).min(area.height);
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(area.x, area.y, area.width, table_height),
    );
    let top = table_height + 1;
    if area.height <= top + 1 {
        return;
    }
    let room = usize::from(area.height - top).saturating_sub(1);
    let half = area.width / 2;
    let mut left = vec![bold(
        l("各区：登记 / 已发放", "By district: recorded / paid").to_string(),
    )];
    if c.by_district.is_empty() {
        left.push(Line::from(format!("  {}", l("无", "none"))));
    }
    for d in c.by_district.iter().take(room) {
        left.push(Line::from(format!(
            "  {}{}{}",
            fit(&refdata::district_name(&d.district_code, lang), 10),
            right(&d.tally.claims.to_string(), 5),
            right(&yuan(d.tally.paid_fen), 13),
        )));
    }
    let mut right_lines = vec![bold(
        l("每月：登记 / 当月发放", "By month: recorded / paid").to_string(),
    )];
    // The latest months when not all fit.
    let skip = c.by_month.len().saturating_sub(room);
    for m in c.by_month.iter().skip(skip) {
        right_lines.push(Line::from(format!(
            "  {}{}{}",
            fit(&m.month, 8),
            right(&m.claims.to_string(), 5),
            right(&yuan(m.paid_fen), 13),
        )));
    }
    let height = area.height - top;
    frame.render_widget(
        Paragraph::new(left),
        Rect::new(area.x, area.y + top, half, height),
    );
    frame.render_widget(
        Paragraph::new(right_lines),
        Rect::new(area.x + half, area.y + top, area.width - half, height),
    );
}
