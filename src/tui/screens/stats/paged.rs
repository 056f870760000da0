//! A list on a statistics tab whose rows come a page at a time from the background thread
//! (the hardship workers not served, the hardship workers' open needs): the rows loaded so
//! far, the one selected, and when to ask for the next page.

use crate::store::stats::FIRST_PAGE;
use crate::tui::action::Action;
use crate::tui::widgets::table::ListTable;

pub(super) struct Paged<R> {
    pub rows: Vec<R>,
    pub selected: usize,
}

impl<R> Default for Paged<R> {
    fn default() -> Self {
        Paged {
            rows: Vec::new(),
            selected: 0,
        }
    }
}

impl<R: Clone> Paged<R> {
    /// The first page the figures brought; the selection stays where it can.
    pub fn first_page(&mut self, rows: &[R], total: usize) {
        self.rows = rows.to_vec();
        self.selected = self.selected.min(total.saturating_sub(1));
    }

    /// Moves the selection as `action` says in `table`; returns the offset of the next page
    /// to ask for when the selection nears the end of what is loaded (`None` while one is
    /// awaited).
    pub fn step(
        &mut self,
        table: &ListTable,
        action: &Action,
        total: usize,
        awaiting: bool,
    ) -> Option<usize> {
        let target = table.target(action, self.selected, total)?;
        self.move_to(target, total, awaiting)
    }

    fn move_to(&mut self, target: isize, total: usize, awaiting: bool) -> Option<usize> {
        let last = total.saturating_sub(1) as isize;
        self.selected = target.clamp(0, last.max(0)) as usize;
        let loaded = self.rows.len();
        (self.selected + FIRST_PAGE / 2 >= loaded && loaded < total && !awaiting).then_some(loaded)
    }

    /// A further page: kept when it follows what is loaded (an answer to an older question
    /// is dropped).
    pub fn more(&mut self, offset: usize, rows: &[R]) {
        if offset == self.rows.len() {
            self.rows.extend(rows.iter().cloned());
        }
    }

    pub fn get_selected(&self) -> Option<&R> {
        self.rows.get(self.selected)
    }
}
