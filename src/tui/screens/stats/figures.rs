//! The figures of the overview and services tabs: text blocks and bar charts drawn from one
//! answer of the statistics query.

use crate::domain::{format_fen, refdata};
use crate::store::Statistics;
use crate::store::stats::MonthCount;
use crate::text::Lang;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::fit;
use crate::tui::widgets::width::right;
use ratatui::Frame;
use ratatui::layout::{Direction, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph};

fn heading(text: String) -> Line<'static> {
    Line::from(Span::styled(
        text,
        Style::default().add_modifier(Modifier::BOLD),
    ))
}

/// Text blocks (workers and reach on the left, health and legal aid on the right) over the
/// registrations per month.
pub(super) fn render_overview(frame: &mut Frame, area: Rect, stats: &Statistics, lang: Lang) {
    let half = area.width / 2;
    let (w, n) = (&stats.workers, &stats.new_workers);
    let row = |label: T, total: i64, new: i64| {
        Line::from(format!(
            "  {}{}{}",
            fit(t(lang, label), 12),
            right(&total.to_string(), 7),
            right(&new.to_string(), 12)
        ))
    };
    let mut left = vec![
        Line::from(vec![
            Span::styled(
                fit(t(lang, T::LblWorkers), 14),
                Style::default().add_modifier(Modifier::BOLD),
            ),
            Span::styled(
                format!(
                    "{}{}",
                    right(t(lang, T::ColTotal), 7),
                    right(t(lang, T::ColNew), 12)
                ),
                Style::default().add_modifier(Modifier::DIM),
            ),
        ]),
        row(T::LblWorkers, w.workers, n.workers),
        row(T::LblMembers, w.members, n.members),
        row(T::LblJoinedHere, w.joined_here, n.joined_here),
        row(T::LblHardship, w.hardship, n.hardship),
        Line::from(""),
        heading(t(lang, T::ReachHeading).to_string()),
    ];
    let per_mille = stats.reach.per_mille();
    left.push(Line::from(format!(
        "  {}",
        tf(
            lang,
            T::ReachLine,
            &[
                &stats.reach.served.to_string(),
                &stats.reach.registered.to_string(),
                &format!("{}.{}%", per_mille / 10, per_mille % 10),
            ],
        )
    )));
    left.push(Line::from(format!(
        "  {}",
        tf(
            lang,
            T::UnservedLine,
            &[&stats.hardship_unserved.total.to_string()]
        )
    )));
    let h = &stats.health;
    let l = &stats.legal;
    let open: Vec<String> = l
        .open_by_category
        .iter()
        .filter(|c| c.cases > 0)
        .map(|c| {
            let label = refdata::legal_aid_category_name(&c.category, lang);
            format!("{label} {}", c.cases)
        })
        .collect();
    let right_width = usize::from(area.width - half).saturating_sub(4);
    let right_lines = vec![
        heading(t(lang, T::HealthHeading).to_string()),
        Line::from(format!(
            "  {}",
            tf(
                lang,
                T::HealthChecksLine,
                &[&h.checks.to_string(), &h.referred.to_string()]
            )
        )),
        Line::from(format!(
            "  {}",
            tf(
                lang,
                T::FollowUpsLine,
                &[
                    &h.follow_ups_due.to_string(),
                    &h.follow_ups_overdue.to_string()
                ]
            )
        )),
        Line::from(""),
        heading(t(lang, T::LegalHeading).to_string()),
        Line::from(format!(
            "  {}",
            tf(lang, T::LegalOpenLine, &[&l.open_cases.to_string()])
        )),
        Line::from(format!(
            "  {}",
            fit(&open.join(" · "), right_width).trim_end()
        )),
        Line::from(format!(
            "  {}",
            tf(lang, T::LegalPeriodLine, &[&l.cases_in_period.to_string()])
        )),
        Line::from(format!(
            "    {}",
            tf(lang, T::ClaimedLine, &[&format_fen(l.claimed_fen)])
        )),
        Line::from(format!(
            "    {}",
            tf(lang, T::RecoveredLine, &[&format_fen(l.recovered_fen)])
        )),
    ];
    let text_height = (left.len().max(right_lines.len()) as u16).min(area.height);
    frame.render_widget(
        Paragraph::new(left),
        Rect::new(area.x + 1, area.y, half.saturating_sub(2), text_height),
    );
    frame.render_widget(
        Paragraph::new(right_lines),
        Rect::new(area.x + half, area.y, area.width - half, text_height),
    );
    let chart_top = text_height + 1;
    if area.height > chart_top + 3 {
        month_chart(
            frame,
            Rect::new(
                area.x,
                area.y + chart_top,
                area.width,
                area.height - chart_top,
            ),
            t(lang, T::RegByMonth),
            &stats.new_workers_by_month,
        );
    }
}

/// Services by kind as two columns of horizontal bars (18 kinds fit 80×24 that way), over
/// the services per month.
pub(super) fn render_services(frame: &mut Frame, area: Rect, stats: &Statistics, lang: Lang) {
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::raw(" "),
            Span::styled(
                tf(lang, T::SvcByKind, &[&stats.services.to_string()]),
                Style::default().add_modifier(Modifier::BOLD),
            ),
        ])),
        Rect::new(area.x, area.y, area.width, 1),
    );
    let kinds = &stats.services_by_kind;
    let per_column = kinds.len().div_ceil(2);
    let rows = (per_column as u16).min(area.height.saturating_sub(1));
    let max = kinds.iter().map(|k| k.count).max().unwrap_or(0).max(1) as u64;
    let half = area.width / 2;
    let name = |kind: &str| {
        refdata::service_kind(kind)
            .map(|x| x.name(lang).to_string())
            .unwrap_or_else(|| kind.to_string())
    };
    // Labels as wide as the longest name ("Warmth (care visit)"), up to half a column, so
    // English names are not cut to "Rights protec…" where there is room.
    let label_width = kinds
        .iter()
        .map(|k| Line::from(name(&k.kind)).width())
        .max()
        .unwrap_or(0)
        .clamp(8, usize::from(half / 2).max(8));
    for (column, chunk) in kinds.chunks(per_column.max(1)).enumerate() {
        let bars: Vec<Bar> = chunk
            .iter()
            .map(|k| {
                Bar::default()
                    .label(Line::from(fit(&name(&k.kind), label_width)))
                    .value(k.count.max(0) as u64)
                    .text_value(k.count.to_string())
            })
            .collect();
        let x = area.x + 1 + column as u16 * half;
        frame.render_widget(
            BarChart::default()
                .direction(Direction::Horizontal)
                .bar_width(1)
                .bar_gap(0)
                .max(max)
                .value_style(Style::default().add_modifier(Modifier::REVERSED))
                .data(BarGroup::default().bars(&bars)),
            Rect::new(x, area.y + 1, half.saturating_sub(2), rows),
        );
    }
    let chart_top = rows + 2;
    if area.height > chart_top + 3 {
        month_chart(
            frame,
            Rect::new(
                area.x,
                area.y + chart_top,
                area.width,
                area.height - chart_top,
            ),
            t(lang, T::SvcByMonth),
            &stats.services_by_month,
        );
    }
}

/// A titled vertical bar chart of the 12 months, labelled "YY-MM".
fn month_chart(frame: &mut Frame, area: Rect, title: &str, months: &[MonthCount]) {
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::raw(" "),
            Span::styled(
                title.to_string(),
                Style::default().add_modifier(Modifier::BOLD),
            ),
        ])),
        Rect::new(area.x, area.y, area.width, 1),
    );
    let bars: Vec<Bar> = months
        .iter()
        .map(|m| {
            Bar::default()
                .label(Line::from(m.month.get(2..).unwrap_or(&m.month).to_string()))
                .value(m.count.max(0) as u64)
                .text_value(m.count.to_string())
        })
        .collect();
    // Bars share the width (12 months fill 200 columns as they fill 80) and stand at most
    // `MONTH_CHART_ROWS` high: one month's bar 30 rows tall said nothing more.
    let room = area.width.saturating_sub(2);
    let slots = (months.len().max(1)) as u16;
    let bar_width = ((room + 1) / slots).saturating_sub(1).clamp(1, 12);
    let height = (area.height - 1).min(MONTH_CHART_ROWS);
    frame.render_widget(
        BarChart::default()
            .bar_width(bar_width)
            .bar_gap(1)
            .value_style(Style::default().add_modifier(Modifier::REVERSED))
            .data(BarGroup::default().bars(&bars)),
        Rect::new(area.x + 1, area.y + 1, room, height),
    );
}

/// Rows a month chart takes at most, however tall the window.
const MONTH_CHART_ROWS: u16 = 14;
