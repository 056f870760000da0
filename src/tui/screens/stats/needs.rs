//! The needs tab (诉求): needs raised in the period by kind, where they stand, beside the
//! services of the kinds that answer them, with a bar of the open ones on each kind's row;
//! under it the hardship workers' needs open longest, a list paged in as the selection moves
//! (ID numbers masked; Enter opens the worker).

use super::paged::Paged;
use crate::domain::mask_id_number;
use crate::domain::needs::need_kind_name;
use crate::domain::refdata;
use crate::store::Statistics;
use crate::store::stats::OpenNeedRow;
use crate::text::Lang;
use crate::tui::widgets::fit;
use crate::tui::widgets::table::{ListTable, unread_row};
use crate::tui::widgets::width::right;
use ratatui::Frame;
use ratatui::layout::{Direction, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph, Row};

const KIND_WIDTH: usize = 16;
const NUMBER_WIDTH: usize = 9;
const SERVICES_WIDTH: usize = 10;
/// Kind, four counts and the answering services, with the two columns of margin.
const TABLE_WIDTH: usize = 2 + KIND_WIDTH + 4 * NUMBER_WIDTH + SERVICES_WIDTH;

fn bold(text: String) -> Line<'static> {
    Line::from(vec![
        Span::raw(" "),
        Span::styled(text, Style::default().add_modifier(Modifier::BOLD)),
    ])
}

fn numbers(values: &[i64]) -> String {
    values
        .iter()
        .map(|n| right(&n.to_string(), NUMBER_WIDTH))
        .collect()
}

/// The rows of the hardship list loaded so far with the selection, and the table that draws
/// them.
pub(super) type OpenNeedsList<'a> = (&'a Paged<OpenNeedRow>, &'a ListTable);

pub(super) fn render_needs(
    frame: &mut Frame,
    area: Rect,
    stats: &Statistics,
    list: OpenNeedsList,
    lang: Lang,
) {
    let needs = &stats.needs;
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let total = &needs.total;
    let mut lines = vec![bold(format!(
        "{} {} · {} {} · {} {} · {} {}",
        l("期间提出诉求", "Needs raised"),
        total.raised,
        l("未解决", "open"),
        total.open,
        l("已回应", "answered"),
        total.answered,
        l("已关闭", "closed"),
        total.closed
    ))];
    lines.push(Line::from(Span::styled(
        format!(
            "  {}{}{}{}{}{}",
            fit(l("诉求", "Need"), KIND_WIDTH),
            right(l("提出", "Raised"), NUMBER_WIDTH),
            right(l("未解决", "Open"), NUMBER_WIDTH),
            right(l("已回应", "Answered"), NUMBER_WIDTH),
            right(l("已关闭", "Closed"), NUMBER_WIDTH),
            right(l("对应服务", "Services"), SERVICES_WIDTH),
        ),
        Style::default().add_modifier(Modifier::DIM),
    )));
    let first_row = lines.len() as u16;
    for k in &needs.by_kind {
        let t = &k.tally;
        lines.push(Line::from(format!(
            "  {}{}{}",
            fit(&need_kind_name(&k.kind, lang), KIND_WIDTH),
            numbers(&[t.raised, t.open, t.answered, t.closed]),
            right(&k.answering_services.to_string(), SERVICES_WIDTH),
        )));
    }
    lines.push(Line::from(format!(
        "  {}{}",
        fit(l("合计", "Total"), KIND_WIDTH),
        numbers(&[total.raised, total.open, total.answered, total.closed]),
    )));
    let table_height = (lines.len() as u16).min(area.height);
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(area.x, area.y, area.width, table_height),
    );
    open_bars(frame, area, first_row, stats, lang);
    let list_top = table_height + 1;
    if area.height > list_top + 2 {
        hardship_list(
            frame,
            Rect::new(
                area.x,
                area.y + list_top,
                area.width,
                area.height - list_top,
            ),
            stats,
            list,
            lang,
        );
    }
}

/// A bar of open needs on each kind's row, right of the table, when the window is wide
/// enough for one.
fn open_bars(frame: &mut Frame, area: Rect, first_row: u16, stats: &Statistics, lang: Lang) {
    let left = TABLE_WIDTH as u16 + 2;
    if area.width < left + 8 || area.height <= first_row {
        return;
    }
    let width = area.width - left - 1;
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            fit(lang.pick("▇ 未解决", "▇ open"), usize::from(width)),
            Style::default().add_modifier(Modifier::DIM),
        ))),
        Rect::new(area.x + left, area.y + first_row - 1, width, 1),
    );
    let kinds = &stats.needs.by_kind;
    let max = kinds.iter().map(|k| k.tally.open).max().unwrap_or(0).max(1) as u64;
    let bars: Vec<Bar> = kinds
        .iter()
        .map(|k| {
            Bar::default()
                .value(k.tally.open.max(0) as u64)
                .text_value(k.tally.open.to_string())
        })
        .collect();
    let rows = (kinds.len() as u16).min(area.height - first_row);
    frame.render_widget(
        BarChart::default()
            .direction(Direction::Horizontal)
            .bar_width(1)
            .bar_gap(0)
            .max(max)
            .value_style(Style::default().add_modifier(Modifier::REVERSED))
            .data(BarGroup::default().bars(&bars)),
        Rect::new(area.x + left, area.y + first_row, width, rows),
    );
}

fn hardship_list(
    frame: &mut Frame,
    area: Rect,
    stats: &Statistics,
    (paged, table): OpenNeedsList,
    lang: Lang,
) {
    let total = stats.needs.hardship_open.total.max(0) as usize;
    frame.render_widget(
        Paragraph::new(bold(format!(
            "{} {}",
            lang.pick(
                "困难职工未解决的诉求（等待最久在前）：",
                "Hardship workers' open needs, longest waiting first:"
            ),
            total
        ))),
        Rect::new(area.x, area.y, area.width, 1),
    );
    if total == 0 {
        return;
    }
    // Name, ID number, district, need, day raised, days open.
    let widths = [8usize, 18, 8, 12, 10, 8];
    let rows = Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height.saturating_sub(1),
    );
    table.render(
        frame,
        rows,
        None,
        &widths,
        (paged.selected, total),
        |index| match paged.rows.get(index) {
            Some(r) => Row::new([
                fit(&r.name, widths[0]),
                fit(&mask_id_number(&r.id_number), widths[1]),
                fit(&refdata::district_name(&r.district_code, lang), widths[2]),
                fit(&need_kind_name(&r.kind, lang), widths[3]),
                fit(&r.raised_on.to_string(), widths[4]),
                right(
                    &format!("{} {}", r.days_open, lang.pick("天", "days")),
                    widths[5],
                ),
            ]),
            None => unread_row(),
        },
    );
}
