//! The money tab: amounts handed out by kind and legal-aid amounts on the left, the months and
//! the events held in the period (most money first) on the right, as many as fit.

use crate::domain::{format_fen, refdata};
use crate::store::Statistics;
use crate::text::Lang;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::fit;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

fn heading(text: String, width: usize) -> Line<'static> {
    Line::from(vec![
        Span::raw(" "),
        Span::styled(
            fit(&text, width).trim_end().to_string(),
            Style::default().add_modifier(Modifier::BOLD),
        ),
    ])
}

/// A plain line cut to `width` columns.
fn plain(text: String, width: usize) -> Line<'static> {
    Line::from(fit(&text, width).trim_end().to_string())
}

fn yuan(fen: i64) -> String {
    format!("¥{}", format_fen(fen))
}

pub(super) fn render_money(frame: &mut Frame, area: Rect, stats: &Statistics, lang: Lang) {
    let money = &stats.money;
    let half = area.width / 2;
    let left_width = usize::from(half).saturating_sub(3);
    let right_width = usize::from(area.width - half).saturating_sub(3);
    let mut left = vec![heading(
        tf(lang, T::MoneyByKind, &[&format_fen(money.total_fen)]),
        left_width,
    )];
    if money.by_kind.is_empty() {
        left.push(plain(format!("  {}", t(lang, T::MoneyNone)), left_width));
    }
    for k in &money.by_kind {
        let label = refdata::service_kind(&k.kind)
            .map(|x| x.name(lang).to_string())
            .unwrap_or_else(|| k.kind.clone());
        let line = format!("  {} {:>13}", fit(&label, 16), yuan(k.amount_fen));
        left.push(plain(line, left_width));
    }
    let l = &stats.legal;
    left.push(Line::from(""));
    left.push(heading(t(lang, T::MoneyLegal).to_string(), left_width));
    for (key, fen) in [
        (T::ClaimedLine, l.claimed_fen),
        (T::RecoveredLine, l.recovered_fen),
    ] {
        left.push(plain(
            format!("  {}", tf(lang, key, &[&format_fen(fen)])),
            left_width,
        ));
    }

    let mut right = vec![heading(t(lang, T::MoneyByMonth).to_string(), right_width)];
    // Two columns of six "YY-MM" months: the year fits in seven lines.
    let months = &money.by_month;
    let rows = months.len().div_ceil(2);
    let column = right_width / 2;
    for row in 0..rows {
        let cell = |i: usize| {
            months
                .get(i)
                .map(|m| {
                    let short = m.month.get(2..).unwrap_or(&m.month);
                    format!("{short} {:>10}", yuan(m.amount_fen))
                })
                .unwrap_or_default()
        };
        right.push(plain(
            format!("  {}{}", fit(&cell(row), column), cell(row + rows)),
            right_width,
        ));
    }
    right.push(Line::from(""));
    right.push(heading(
        tf(
            lang,
            T::MoneyEvents,
            &[
                &money.events.to_string(),
                &money.event_services.to_string(),
                &format_fen(money.event_amount_fen),
            ],
        ),
        right_width,
    ));
    let room = usize::from(area.height).saturating_sub(right.len());
    let listed = money.top_events.len();
    let more = usize::try_from(money.events)
        .unwrap_or(0)
        .saturating_sub(listed);
    // Keep the last line for "… N more" when not every event fits.
    let fits = if listed + usize::from(more > 0) > room {
        room.saturating_sub(1)
    } else {
        listed
    };
    for e in money.top_events.iter().take(fits) {
        let figures = tf(
            lang,
            T::MoneyEventLine,
            &[&e.services.to_string(), &format_fen(e.amount_fen)],
        );
        let day = e.held_on.get(5..).unwrap_or(&e.held_on);
        let name_width = right_width.saturating_sub(figures.width() + 9);
        right.push(plain(
            format!("  {day} {} {figures}", fit(&e.name, name_width)),
            right_width,
        ));
    }
    let hidden = money.events - fits as i64;
    if hidden > 0 {
        right.push(plain(
            format!("  {}", tf(lang, T::MoneyMoreEvents, &[&hidden.to_string()])),
            right_width,
        ));
    }
    frame.render_widget(
        Paragraph::new(left),
        Rect::new(area.x + 1, area.y, half.saturating_sub(1), area.height),
    );
    frame.render_widget(
        Paragraph::new(right),
        Rect::new(area.x + half, area.y, area.width - half, area.height),
    );
}
