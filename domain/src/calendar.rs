//! Working days in China, for the time limits of cases (clause 5.4.3: 承诺办理 promises a
//! deadline; departments answer within one).
//!
//! A working day is Monday–Friday unless the State Council's yearly notice makes it a holiday,
//! and a Saturday or Sunday that the notice makes a make-up working day (调休) is one too:
//! counting weekdays alone is wrong by up to a week around 春节 and 国庆. The notices are data
//! ([`WorkCalendar::from_holiday_cn`] reads the holiday-cn project's yearly files, shipped
//! under `data/calendar/`); the arithmetic is here.
//!
//! # Deadlines
//! Days are counted in China Standard Time (UTC+8, no daylight saving). A limit of *n*
//! working days from an instant ends at the end (24:00 CST) of the *n*-th working day after
//! the instant's day: a case registered on Friday afternoon with one working day is due at the
//! end of Monday, or of the first working day after a holiday. A limit in hours counts clock
//! hours. A pause (补办告知: the clock stops until the missing material arrives) keeps the
//! working days that were left and counts them again from the day the material arrived.
//!
//! A year the calendar does not cover is counted as plain weeks, and
//! [`WorkCalendar::covers`] says so, so that the administrator can be told to load the next
//! notice (it usually comes out in November).

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc, Weekday};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// What the notice makes of a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayKind {
    /// A day off, even on a weekday (法定节假日 and the days joined to it).
    Holiday,
    /// A working day, even on a Saturday or Sunday (调休上班).
    MakeUpWorkday,
}

/// One date of a notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecialDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// The holiday it belongs to (春节, 国庆节…).
    pub name: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CalendarError {
    #[error("the calendar file is not holiday-cn JSON: {0}")]
    Json(String),
    #[error("day {index} of the calendar file: {date:?} is not a date (YYYY-MM-DD)")]
    BadDate { index: usize, date: String },
    #[error("day {index} of the calendar file: {date} is not in the file's year {year}")]
    WrongYear { index: usize, date: NaiveDate, year: i32 },
    #[error("day {index} of the calendar file: {date} appears twice")]
    Repeated { index: usize, date: NaiveDate },
}

/// China Standard Time.
pub fn cst() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The official calendar: the notices' special days, by date, and the years they cover.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    days: BTreeMap<NaiveDate, SpecialDay>,
    years: BTreeSet<i32>,
}

#[derive(Deserialize)]
struct HolidayCnFile {
    year: i32,
    days: Vec<HolidayCnDay>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HolidayCnDay {
    name: String,
    date: String,
    is_off_day: bool,
}

impl WorkCalendar {
    /// A calendar of the given special days, covering `years`.
    pub fn new(days: impl IntoIterator<Item = SpecialDay>, years: impl IntoIterator<Item = i32>) -> Self {
        WorkCalendar { days: days.into_iter().map(|d| (d.date, d)).collect(), years: years.into_iter().collect() }
    }

    /// Reads one year's file of the holiday-cn project (`{"year": 2026, "days": [{"name",
    /// "date", "isOffDay"}]}`). Every problem names the day's index.
    pub fn from_holiday_cn(json: &str) -> Result<Self, CalendarError> {
        let file: HolidayCnFile = serde_json::from_str(json).map_err(|e| CalendarError::Json(e.to_string()))?;
        let mut days = BTreeMap::new();
        for (index, d) in file.days.into_iter().enumerate() {
            let date = NaiveDate::parse_from_str(&d.date, "%Y-%m-%d").map_err(|_| CalendarError::BadDate { index, date: d.date.clone() })?;
            if date.year() != file.year {
                return Err(CalendarError::WrongYear { index, date, year: file.year });
            }
            let kind = if d.is_off_day { DayKind::Holiday } else { DayKind::MakeUpWorkday };
            if days.insert(date, SpecialDay { date, kind, name: d.name }).is_some() {
                return Err(CalendarError::Repeated { index, date });
            }
        }
        Ok(WorkCalendar { days, years: BTreeSet::from([file.year]) })
    }

    /// This calendar with `other`'s years added (a year in both is taken from `other`).
    pub fn merged(mut self, other: WorkCalendar) -> Self {
        for y in &other.years {
            self.days.retain(|d, _| d.year() != *y);
        }
        self.days.extend(other.days);
        self.years.extend(other.years);
        self
    }

    /// Whether the notice for `year` is known.
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }

    pub fn special_days(&self) -> impl Iterator<Item = &SpecialDay> {
        self.days.values()
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.days.get(&date).map(|d| d.kind) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::MakeUpWorkday) => true,
            None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The `n`-th working day after `date` (`date` itself not counted; `n = 0` gives `date`).
    pub fn working_day_after(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut d = date;
        let mut left = n;
        while left > 0 {
            d = d.succ_opt().unwrap_or(d);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days after `from`'s day up to and including `to`'s day (0 when `to` is not
    /// after `from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            d = d.succ_opt().unwrap_or(to);
            if self.is_working_day(d) {
                n += 1;
            }
        }
        n
    }

    /// The deadline of a limit counted from `start`.
    pub fn deadline(&self, start: DateTime<Utc>, limit: TimeLimit) -> DateTime<Utc> {
        match limit {
            TimeLimit::Hours(h) => start + Duration::hours(i64::from(h)),
            TimeLimit::WorkingDays(n) => end_of_day(self.working_day_after(local_date(start), n)),
        }
    }

    /// The working days a deadline still had at `at` (the day of `at` not counted): what a
    /// pause keeps.
    pub fn working_days_left(&self, at: DateTime<Utc>, deadline: DateTime<Utc>) -> u32 {
        self.working_days_between(local_date(at), local_date(deadline - Duration::seconds(1)))
    }

    /// The deadline after a pause from `paused` to `resumed`: the working days left at the
    /// pause, counted again from the day the clock restarted.
    pub fn resumed_deadline(&self, deadline: DateTime<Utc>, paused: DateTime<Utc>, resumed: DateTime<Utc>) -> DateTime<Utc> {
        if deadline <= paused {
            // Already overdue when paused: it stays overdue by as much.
            return deadline + (resumed - paused);
        }
        let left = self.working_days_left(paused, deadline);
        end_of_day(self.working_day_after(local_date(resumed), left))
    }

    /// A deadline extended by `n` working days (延期).
    pub fn extended(&self, deadline: DateTime<Utc>, n: u32) -> DateTime<Utc> {
        end_of_day(self.working_day_after(local_date(deadline - Duration::seconds(1)), n))
    }

    /// How a deadline stands at `now`: due soon within one working day, 催办 from the day after
    /// it passed, 督办 `supervise_after` working days later.
    pub fn urgency(&self, deadline: DateTime<Utc>, now: DateTime<Utc>, supervise_after: u32) -> Urgency {
        if now < deadline {
            let due = local_date(deadline - Duration::seconds(1));
            return if self.working_days_between(local_date(now), due) <= 1 { Urgency::DueSoon } else { Urgency::OnTime };
        }
        let due = local_date(deadline - Duration::seconds(1));
        let late = self.working_days_between(due, local_date(now));
        if late == 0 {
            Urgency::Overdue
        } else if late < supervise_after {
            Urgency::Urged
        } else {
            Urgency::Supervised
        }
    }
}

/// Where a case stands against its deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    OnTime,
    /// Due by the end of the next working day: a reminder.
    DueSoon,
    /// Past the deadline today.
    Overdue,
    /// 催办: overdue since a working day or more.
    Urged,
    /// 督办: overdue long enough to go to the center's head.
    Supervised,
}

/// A time limit (时限).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TimeLimit {
    WorkingDays(u32),
    Hours(u32),
}

/// The day of an instant in China.
pub fn local_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&cst()).date_naive()
}

/// The end of a day in China (24:00 CST) as an instant.
pub fn end_of_day(d: NaiveDate) -> DateTime<Utc> {
    let next = d.succ_opt().unwrap_or(d);
    let midnight = next.and_hms_opt(0, 0, 0).expect("midnight exists");
    cst().from_local_datetime(&midnight).single().expect("CST has no gaps").with_timezone(&Utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    const Y2025: &str = include_str!("../../data/calendar/cn-2025.json");
    const Y2026: &str = include_str!("../../data/calendar/cn-2026.json");

    fn official() -> WorkCalendar {
        WorkCalendar::from_holiday_cn(Y2025).expect("2025").merged(WorkCalendar::from_holiday_cn(Y2026).expect("2026"))
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    /// An instant given in China Standard Time.
    fn at(s: &str) -> DateTime<Utc> {
        cst().from_local_datetime(&chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time")).single().expect("one").with_timezone(&Utc)
    }

    #[test]
    fn the_national_day_week_is_off_and_the_saturday_after_it_is_a_working_day() {
        let c = official();
        for d in ["2025-10-01", "2025-10-03", "2025-10-08"] {
            assert!(!c.is_working_day(day(d)), "{d} is a holiday");
        }
        assert!(c.is_working_day(day("2025-09-28")), "Sunday 28 September 2025 is a make-up working day");
        assert!(c.is_working_day(day("2025-10-11")), "Saturday 11 October 2025 is a make-up working day");
        assert!(!c.is_working_day(day("2025-10-12")), "an ordinary Sunday");
    }

    #[test]
    fn three_working_days_from_the_eve_of_national_day_end_after_the_holiday() {
        let c = official();
        // Tuesday 30 September 2025, afternoon: 1–8 October are off; 9, 10 and 11 (a
        // Saturday made a working day) count.
        assert_eq!(c.deadline(at("2025-09-30 15:00"), TimeLimit::WorkingDays(3)), end_of_day(day("2025-10-11")));
        // Counting weekdays alone would have said Friday 3 October, a holiday.
        assert_ne!(c.deadline(at("2025-09-30 15:00"), TimeLimit::WorkingDays(3)), end_of_day(day("2025-10-03")));
    }

    #[test]
    fn a_make_up_sunday_counts_and_an_ordinary_weekend_does_not() {
        let c = official();
        // Friday 26 September 2025 + 1 working day: Sunday 28 September (调休).
        assert_eq!(c.working_day_after(day("2025-09-26"), 1), day("2025-09-28"));
        // Friday 14 November 2025 + 1: Monday 17.
        assert_eq!(c.working_day_after(day("2025-11-14"), 1), day("2025-11-17"));
    }

    #[test]
    fn a_deadline_in_hours_counts_clock_hours() {
        let c = official();
        assert_eq!(c.deadline(at("2025-10-01 09:00"), TimeLimit::Hours(24)), at("2025-10-02 09:00"));
    }

    #[test]
    fn a_deadline_ends_at_midnight_in_china_whatever_the_server_clock() {
        let c = official();
        // 23:30 CST on Monday 17 November 2025 is 15:30 UTC the same day: one working day is
        // the end of Tuesday 18 in China, 16:00 UTC.
        let d = c.deadline(at("2025-11-17 23:30"), TimeLimit::WorkingDays(1));
        assert_eq!(d, Utc.with_ymd_and_hms(2025, 11, 18, 16, 0, 0).single().expect("instant"));
    }

    #[test]
    fn a_pause_for_missing_material_keeps_the_working_days_that_were_left() {
        let c = official();
        // Registered Monday 3 November 2025 with 5 working days: due end of Monday 10.
        let deadline = c.deadline(at("2025-11-03 10:00"), TimeLimit::WorkingDays(5));
        assert_eq!(deadline, end_of_day(day("2025-11-10")));
        // Paused on Wednesday 5 (3 working days left: 6, 7, 10), the material arrives on
        // Wednesday 12: due the third working day after, Monday 17.
        assert_eq!(c.working_days_left(at("2025-11-05 16:00"), deadline), 3);
        assert_eq!(c.resumed_deadline(deadline, at("2025-11-05 16:00"), at("2025-11-12 09:00")), end_of_day(day("2025-11-17")));
        // Resumed the same day: nothing changes.
        assert_eq!(c.resumed_deadline(deadline, at("2025-11-05 16:00"), at("2025-11-05 17:00")), deadline);
    }

    #[test]
    fn an_extension_adds_working_days_to_the_deadline_across_a_holiday() {
        let c = official();
        // Due end of Tuesday 30 September 2025, extended by 2 working days: 9 and 10 October.
        assert_eq!(c.extended(end_of_day(day("2025-09-30")), 2), end_of_day(day("2025-10-10")));
    }

    #[test]
    fn urgency_goes_from_on_time_to_due_soon_to_urged_to_supervised() {
        let c = official();
        let deadline = end_of_day(day("2025-11-14")); // a Friday
        assert_eq!(c.urgency(deadline, at("2025-11-11 09:00"), 3), Urgency::OnTime);
        assert_eq!(c.urgency(deadline, at("2025-11-13 09:00"), 3), Urgency::DueSoon);
        assert_eq!(c.urgency(deadline, at("2025-11-15 09:00"), 3), Urgency::Overdue, "Saturday: not a working day late yet");
        assert_eq!(c.urgency(deadline, at("2025-11-17 09:00"), 3), Urgency::Urged, "催办 the working day after");
        assert_eq!(c.urgency(deadline, at("2025-11-19 09:00"), 3), Urgency::Supervised, "督办 three working days late");
    }

    #[test]
    fn a_year_without_its_notice_is_not_covered_and_counts_plain_weeks() {
        let c = official();
        assert!(c.covers(2026) && !c.covers(2027));
        assert_eq!(c.working_day_after(day("2027-01-01"), 1), day("2027-01-04"));
    }

    #[test]
    fn a_broken_calendar_file_names_the_day() {
        let bad = r#"{"year": 2026, "days": [{"name":"元旦","date":"2026-01-01","isOffDay":true},{"name":"x","date":"2025-12-31","isOffDay":true}]}"#;
        assert_eq!(WorkCalendar::from_holiday_cn(bad), Err(CalendarError::WrongYear { index: 1, date: day("2025-12-31"), year: 2026 }));
        let bad = r#"{"year": 2026, "days": [{"name":"x","date":"01/01/2026","isOffDay":true}]}"#;
        assert!(matches!(WorkCalendar::from_holiday_cn(bad), Err(CalendarError::BadDate { index: 0, .. })));
        assert!(matches!(WorkCalendar::from_holiday_cn("[]"), Err(CalendarError::Json(_))));
    }

    #[test]
    fn a_year_loaded_again_replaces_the_old_notice() {
        let c = official().merged(WorkCalendar::from_holiday_cn(r#"{"year": 2026, "days": []}"#).expect("empty 2026"));
        assert!(c.is_working_day(day("2026-01-02")), "the 2026 holidays were replaced");
        assert!(!c.is_working_day(day("2025-10-01")), "2025 kept");
    }
}
