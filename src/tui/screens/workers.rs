//! Home: the workers list with its search box. Queries run on the search thread; the list
//! holds only a window of about a hundred rows around the selection and asks for another
//! window as the selection moves, so a million workers scroll like ten.

use super::{Ctx, Effect, Screen, View};
use crate::domain::idcard::age_on;
use crate::domain::{mask_id_number, mask_phone};
use crate::store::{SearchHit, SearchPage};
use crate::text::Lang;
use crate::tui::action::{Action, Input};
use crate::tui::jobs::AppMsg;
use crate::tui::keymap::Context;
use crate::tui::routes::Route;
use crate::tui::search::Reply;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::fit;
use crate::tui::widgets::table::{ListTable, unread_row};
use crate::tui::widgets::text_field::TextField;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row};

/// Rows asked for at a time.
const WINDOW: usize = 100;
/// Ask for the next window when the selection comes this close to the edge of the loaded one.
const MARGIN: usize = 20;

pub struct WorkersScreen {
    search: TextField,
    /// Query of the rows shown.
    query: String,
    /// The request whose reply is awaited; older replies are dropped.
    awaited: Option<u64>,
    total: usize,
    more: bool,
    /// Index (in the whole result) of `rows[0]`.
    window_start: usize,
    rows: Vec<SearchHit>,
    selected: usize,
    today: NaiveDate,
    answered: bool,
    table: ListTable,
    /// Unsaved drafts waiting: announced above the list so half-typed work is not forgotten.
    drafts: i64,
}

impl WorkersScreen {
    pub fn new(ctx: &mut Ctx) -> WorkersScreen {
        let mut screen = WorkersScreen {
            search: TextField::default(),
            query: String::new(),
            awaited: None,
            total: 0,
            more: false,
            window_start: 0,
            rows: Vec::new(),
            selected: 0,
            today: ctx.store.clock().today(),
            answered: false,
            table: ListTable::new(20),
            drafts: ctx.store.draft_count().unwrap_or(0),
        };
        screen.request(ctx, 0);
        screen
    }

    /// Asks for the window starting at `start` of the current query.
    fn request(&mut self, ctx: &mut Ctx, start: usize) {
        self.request_counting(ctx, start, false);
    }

    /// `recount` when records may have changed since the count was taken.
    fn request_counting(&mut self, ctx: &mut Ctx, start: usize, recount: bool) {
        let query = self.search.value().to_string();
        // Moving within the same results: the count is known, only rows are needed.
        let known_total =
            (!recount && self.answered && query == self.query && start > 0).then_some(self.total);
        self.awaited = Some(ctx.search.search(&query, start, WINDOW, known_total));
    }

    fn accept(&mut self, query: &str, start: usize, result: Result<SearchPage, String>) {
        self.answered = true;
        match result {
            Ok(page) => {
                if query != self.query {
                    self.selected = 0;
                }
                self.query = query.to_string();
                self.total = page.total;
                self.more = page.more;
                self.window_start = start;
                self.rows = page.hits;
                self.selected = self.selected.min(self.total.saturating_sub(1));
            }
            Err(message) => tracing::warn!(len = message.len(), "search failed"),
        }
    }

    /// After the selection moved: fetch another window when it nears the loaded one's edge.
    fn follow_selection(&mut self, ctx: &mut Ctx) {
        let loaded_end = self.window_start + self.rows.len();
        let near_start = self.window_start > 0 && self.selected < self.window_start + MARGIN;
        let near_end = loaded_end < self.total && self.selected + MARGIN >= loaded_end;
        if near_start || near_end {
            let start = self.selected.saturating_sub(WINDOW / 2);
            self.request(ctx, start);
        }
    }

    fn hit(&self, index: usize) -> Option<&SearchHit> {
        index
            .checked_sub(self.window_start)
            .and_then(|i| self.rows.get(i))
    }

    fn move_to(&mut self, target: isize, ctx: &mut Ctx) {
        let last = self.total.saturating_sub(1) as isize;
        self.selected = target.clamp(0, last.max(0)) as usize;
        self.follow_selection(ctx);
    }

    fn count_label(&self, lang: Lang) -> String {
        if !self.answered {
            return t(lang, T::Loading).to_string();
        }
        if self.more {
            tf(lang, T::CountMore, &[&self.total.to_string()])
        } else {
            tf(lang, T::Count, &[&self.total.to_string()])
        }
    }

    fn row(&self, hit: &SearchHit, lang: Lang, widths: &[usize; 6]) -> Row<'static> {
        let sex = match hit.gender.as_str() {
            "female" => t(lang, T::Female),
            _ => t(lang, T::Male),
        };
        let age = age_on(hit.birth_date, self.today).to_string();
        let last = hit
            .last_served_on
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| "—".into());
        Row::new([
            fit(&hit.name, widths[0]),
            fit(&mask_id_number(&hit.id_number), widths[1]),
            fit(&tf(lang, T::SexAge, &[sex, &age]), widths[2]),
            fit(&mask_phone(&hit.phone), widths[3]),
            fit(&last, widths[4]),
            fit(&hit.employer, widths[5]),
        ])
    }
}

impl Screen for WorkersScreen {
    fn context(&self) -> Context {
        Context::List
    }

    fn title(&self, lang: Lang) -> String {
        t(lang, T::WorkersTitle).to_string()
    }

    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Effect {
        if let Input::Action(action) = &input
            && let Some(target) = self.table.target(action, self.selected, self.total)
        {
            self.move_to(target, ctx);
            return Effect::None;
        }
        match input {
            Input::Action(Action::Confirm) => {
                if let Some(hit) = self.hit(self.selected) {
                    return Effect::Push(Route::WorkerDetail(hit.uid.clone()));
                }
            }
            Input::Action(Action::NewWorker) => {
                return Effect::Push(Route::NewWorker);
            }
            Input::Action(Action::Statistics) => {
                return Effect::Push(Route::Statistics);
            }
            Input::Action(Action::Batches) => {
                return Effect::Push(Route::Batches);
            }
            Input::Action(Action::Events) => {
                return Effect::Push(Route::Events);
            }
            Input::Action(Action::Drafts) => {
                return Effect::Push(Route::Drafts);
            }
            Input::Action(Action::Settings) => {
                return Effect::Push(Route::Settings);
            }
            Input::Action(Action::ClearSearch) => {
                if !self.search.value().is_empty() {
                    self.search.set_value("");
                    self.selected = 0;
                    self.request(ctx, 0);
                }
            }
            Input::Action(_) => {}
            Input::Text(edit) => {
                if self.search.apply(&edit) {
                    self.selected = 0;
                    self.request(ctx, 0);
                }
            }
        }
        Effect::None
    }

    fn resume(&mut self, ctx: &mut Ctx) {
        self.today = ctx.store.clock().today();
        self.drafts = ctx.store.draft_count().unwrap_or(0);
        let start = self.selected.saturating_sub(WINDOW / 2);
        self.request_counting(ctx, start, true);
    }

    fn on_msg(&mut self, msg: &mut AppMsg, _ctx: &mut Ctx) -> Option<Effect> {
        let AppMsg::Search(reply) = msg else {
            return None;
        };
        if let Reply::Search {
            request, result, ..
        } = reply
            && Some(request.seq) == self.awaited
        {
            self.awaited = None;
            self.accept(&request.query, request.offset, result.clone());
            return Some(Effect::None);
        }
        None
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        if area.height < 4 {
            return;
        }
        let lang = view.lang;
        // Search line: label, field, match count on the right.
        let label = format!(" {}: ", view.t(T::SearchLabel));
        let label_w = Line::from(label.as_str()).width() as u16;
        let count = self.count_label(lang);
        let count_w = Line::from(count.as_str()).width() as u16 + 1;
        frame.render_widget(
            Paragraph::new(Span::styled(
                label,
                Style::default().add_modifier(Modifier::BOLD),
            )),
            Rect::new(area.x, area.y, label_w, 1),
        );
        let field_w = area.width.saturating_sub(label_w + count_w + 1);
        let field_area = Rect::new(area.x + label_w, area.y, field_w, 1);
        frame.render_widget(
            Paragraph::new("").style(Style::default().add_modifier(Modifier::UNDERLINED)),
            field_area,
        );
        if self.search.value().is_empty() {
            frame.render_widget(
                Paragraph::new(view.t(T::SearchHint))
                    .style(Style::default().add_modifier(Modifier::DIM | Modifier::UNDERLINED)),
                field_area,
            );
        }
        let caret = self.search.render(
            field_area,
            frame.buffer_mut(),
            Style::default().add_modifier(Modifier::UNDERLINED),
        );
        frame.set_cursor_position(caret);
        frame.render_widget(
            Paragraph::new(count),
            Rect::new(area.right().saturating_sub(count_w), area.y, count_w, 1),
        );

        if self.drafts > 0 {
            let key = view.key(Context::List, Action::Drafts);
            let text = match self.drafts {
                1 => tf(lang, T::DraftWaiting, &[&key]),
                n => tf(lang, T::DraftsWaiting, &[&n.to_string(), &key]),
            };
            frame.render_widget(
                Paragraph::new(format!(" {text}"))
                    .style(Style::default().add_modifier(Modifier::BOLD)),
                Rect::new(area.x, area.y + 1, area.width, 1),
            );
        }

        // Columns: name, ID, sex/age, phone, last service, employer (takes the rest).
        let fixed = [14usize, 18, 8, 11, 12];
        let used: usize = fixed.iter().sum::<usize>() + fixed.len() + 2;
        let employer_w = usize::from(area.width).saturating_sub(used).max(4);
        let widths = [fixed[0], fixed[1], fixed[2], fixed[3], fixed[4], employer_w];
        let header = Row::new([
            fit(view.t(T::ColName), widths[0]),
            fit(view.t(T::ColIdNumber), widths[1]),
            fit(view.t(T::ColSexAge), widths[2]),
            fit(view.t(T::ColPhone), widths[3]),
            fit(view.t(T::ColLastService), widths[4]),
            fit(view.t(T::ColEmployer), widths[5]),
        ]);
        let list = Rect::new(area.x, area.y + 2, area.width, area.height - 2);
        let empty = self.answered && self.total == 0;
        self.table.render(
            frame,
            list,
            Some(header),
            &widths,
            (self.selected, if empty { 0 } else { self.total }),
            |index| match self.hit(index) {
                Some(hit) => self.row(hit, lang, &widths),
                None => unread_row(),
            },
        );
        if empty {
            let key = view.key(Context::List, Action::NewWorker);
            let message = if self.search.value().trim().is_empty() {
                tf(lang, T::NoWorkersYet, &[&key])
            } else {
                tf(lang, T::NoMatches, &[&key])
            };
            frame.render_widget(
                Paragraph::new(format!("  {message}")),
                Rect::new(list.x, list.y + 2, list.width, 1),
            );
        }
    }

    fn footer(&self) -> Vec<Action> {
        // Where the rest of the program is, for an officer who has not opened F1 yet; the
        // footer is cut at the right on a narrow terminal, so what matters most comes first.
        let mut actions = vec![
            Action::NewWorker,
            Action::Events,
            Action::Batches,
            Action::Statistics,
            Action::Help,
            Action::Quit,
            Action::Settings,
            Action::Confirm,
        ];
        if self.drafts > 0 {
            actions.insert(4, Action::Drafts);
        }
        actions
    }
}
