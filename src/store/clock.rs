//! Time in China Standard Time (UTC+8, no daylight saving), the zone every record is dated in.
//! `JINGONG_NOW` fixes the clock, so tests and snapshots see the same ages and dates.

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, Utc};

#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    fixed: Option<DateTime<FixedOffset>>,
}

pub fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset")
}

impl Clock {
    pub fn system() -> Clock {
        Clock { fixed: None }
    }

    pub fn fixed(at: DateTime<FixedOffset>) -> Clock {
        Clock { fixed: Some(at) }
    }

    /// The system clock unless `JINGONG_NOW` holds an RFC 3339 time.
    pub fn from_env() -> Clock {
        std::env::var("JINGONG_NOW")
            .ok()
            .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
            .map(Clock::fixed)
            .unwrap_or_default()
    }

    pub fn now(&self) -> DateTime<FixedOffset> {
        self.fixed
            .unwrap_or_else(|| Utc::now().with_timezone(&china()))
            .with_timezone(&china())
    }

    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// RFC 3339 with +08:00, to the millisecond.
    pub fn stamp(&self) -> String {
        self.now().to_rfc3339_opts(SecondsFormat::Millis, false)
    }
}
