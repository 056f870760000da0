//! Reporting periods: this month, this quarter, this year, or any range of days.

use chrono::{Datelike, Months, NaiveDate};

/// The kind of period an officer picks; `range` turns it into dates for a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Month,
    Quarter,
    Year,
    Custom { from: NaiveDate, to: NaiveDate },
}

impl Period {
    /// First and last day (both included) of the period that contains `today`. Whole calendar
    /// periods run to their last day, not to today, so that follow-ups booked later in the
    /// period count as due in it.
    pub fn range(self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        match self {
            Period::Month => {
                let first = first_of_month(today);
                (first, last_day(first, 1))
            }
            Period::Quarter => {
                let first_month = (today.month0() / 3) * 3 + 1;
                let first = NaiveDate::from_ymd_opt(today.year(), first_month, 1)
                    .expect("the first of a month exists");
                (first, last_day(first, 3))
            }
            Period::Year => {
                let first = NaiveDate::from_ymd_opt(today.year(), 1, 1).expect("1 January exists");
                (first, last_day(first, 12))
            }
            Period::Custom { from, to } => (from, to),
        }
    }
}

pub fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).expect("every month has a first day")
}

/// The last day of the `months` months starting at `first`.
fn last_day(first: NaiveDate, months: u32) -> NaiveDate {
    (first + Months::new(months))
        .pred_opt()
        .expect("a day before any first of a month exists")
}

/// `count` consecutive month starts ending with the month of `day`, oldest first.
pub fn months_ending(day: NaiveDate, count: u32) -> Vec<NaiveDate> {
    let last = first_of_month(day);
    (0..count)
        .rev()
        .map(|back| last - Months::new(back))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn calendar_periods_cover_whole_months() {
        let today = d("2026-11-29");
        assert_eq!(
            Period::Month.range(today),
            (d("2026-11-01"), d("2026-11-30"))
        );
        assert_eq!(
            Period::Quarter.range(today),
            (d("2026-10-01"), d("2026-12-31"))
        );
        assert_eq!(
            Period::Year.range(today),
            (d("2026-01-01"), d("2026-12-31"))
        );
        assert_eq!(
            Period::Quarter.range(d("2024-02-29")),
            (d("2024-01-01"), d("2024-03-31"))
        );
        assert_eq!(Period::Month.range(d("2024-02-10")).1, d("2024-02-29"));
        let custom = Period::Custom {
            from: d("2026-03-05"),
            to: d("2026-04-07"),
        };
        assert_eq!(custom.range(today), (d("2026-03-05"), d("2026-04-07")));
    }

    #[test]
    fn twelve_months_end_with_the_current_one() {
        let months = months_ending(d("2026-02-15"), 12);
        assert_eq!(months.len(), 12);
        assert_eq!(months[0], d("2025-03-01"));
        assert_eq!(months[11], d("2026-02-01"));
    }
}
