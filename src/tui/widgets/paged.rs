//! A list read a window of rows at a time around its selection, so a long list (an event's
//! thousands of attendees) never sits in memory whole. Moving near a window's edge reads the
//! window around the new selection.

/// Rows read at a time, and how close the selection may come to a window's edge before the
/// next one is read.
const WINDOW: usize = 100;
const MARGIN: usize = 20;

pub struct Paged<T> {
    total: usize,
    selected: usize,
    start: usize,
    rows: Vec<T>,
}

impl<T> Default for Paged<T> {
    fn default() -> Self {
        Paged {
            total: 0,
            selected: 0,
            start: 0,
            rows: Vec::new(),
        }
    }
}

impl<T> Paged<T> {
    pub fn total(&self) -> usize {
        self.total
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    /// Row `index` of the whole list, if it is in the window read.
    pub fn get(&self, index: usize) -> Option<&T> {
        index.checked_sub(self.start).and_then(|i| self.rows.get(i))
    }

    pub fn selected_row(&self) -> Option<&T> {
        self.get(self.selected)
    }

    /// The list now holds `total` rows: keeps the selection inside it and reads the window
    /// around it with `fetch(offset, limit)`.
    pub fn reset<E>(
        &mut self,
        total: usize,
        fetch: impl FnOnce(usize, usize) -> Result<Vec<T>, E>,
    ) -> Result<(), E> {
        self.total = total;
        self.selected = self.selected.min(total.saturating_sub(1));
        self.read_around_selection(fetch)
    }

    /// Selects row `target` (clamped to the list), reading another window when it comes near
    /// the edge of the one read.
    pub fn move_to<E>(
        &mut self,
        target: isize,
        fetch: impl FnOnce(usize, usize) -> Result<Vec<T>, E>,
    ) -> Result<(), E> {
        let last = self.total.saturating_sub(1) as isize;
        self.selected = target.clamp(0, last.max(0)) as usize;
        let loaded_end = self.start + self.rows.len();
        let near_start = self.start > 0 && self.selected < self.start + MARGIN;
        let near_end = loaded_end < self.total && self.selected + MARGIN >= loaded_end;
        if near_start || near_end {
            self.read_around_selection(fetch)?;
        }
        Ok(())
    }

    fn read_around_selection<E>(
        &mut self,
        fetch: impl FnOnce(usize, usize) -> Result<Vec<T>, E>,
    ) -> Result<(), E> {
        let start = self.selected.saturating_sub(WINDOW / 2);
        self.rows = fetch(start, WINDOW)?;
        self.start = start;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Paged;

    /// A list of `n` numbers read through `fetch`, counting the reads.
    fn numbers(
        n: usize,
        reads: &mut usize,
    ) -> impl FnMut(usize, usize) -> Result<Vec<usize>, ()> + '_ {
        move |offset, limit| {
            *reads += 1;
            Ok((offset..(offset + limit).min(n)).collect())
        }
    }

    #[test]
    fn reads_a_window_and_another_only_near_its_edge() {
        let mut reads = 0;
        let mut list = Paged::default();
        list.reset(1000, numbers(1000, &mut reads)).unwrap();
        assert_eq!((list.selected_row(), reads), (Some(&0), 1));
        list.move_to(50, numbers(1000, &mut reads)).unwrap();
        assert_eq!(
            (list.selected_row(), reads),
            (Some(&50), 1),
            "inside the window"
        );
        list.move_to(90, numbers(1000, &mut reads)).unwrap();
        assert_eq!((list.selected_row(), reads), (Some(&90), 2), "near its end");
        list.move_to(5000, numbers(1000, &mut reads)).unwrap();
        assert_eq!(list.selected_row(), Some(&999));
        assert_eq!(list.get(10), None, "outside the window read");
        list.move_to(-3, numbers(1000, &mut reads)).unwrap();
        assert_eq!(list.selected_row(), Some(&0));
    }

    #[test]
    fn a_shorter_list_keeps_the_selection_inside() {
        let mut reads = 0;
        let mut list = Paged::default();
        list.reset(10, numbers(10, &mut reads)).unwrap();
        list.move_to(9, numbers(10, &mut reads)).unwrap();
        list.reset(4, numbers(4, &mut reads)).unwrap();
        assert_eq!((list.selected(), list.total()), (3, 4));
        list.reset(0, numbers(0, &mut reads)).unwrap();
        assert_eq!(list.selected_row(), None);
    }
}
