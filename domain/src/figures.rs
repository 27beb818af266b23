//! The figures a service center is judged on (5.5.3 analyse the data, 6.5 evaluate workers and
//! departments by results and satisfaction): visit coverage, findings and their rectification,
//! cases and their rates, and the monthly scorecards with their ranking.
//!
//! Every figure is a pure function of facts the store gathers (one row per enterprise, one per
//! case) over a [`Window`]; nothing here reads a clock or a database, so each definition is
//! tested on a fixture worked out by hand (`tests` below) and the pages show the same
//! definitions in words ([`Figure::definition_zh`]).
//!
//! # Definitions
//! A window is `[start, end)`; its figures are taken **as of** `min(end, now)` (a month still
//! running is measured up to now).
//! - **Visit coverage** = active enterprises visited within the park's interval before the
//!   as-of time ÷ active enterprises.
//! - **Visits due** = active enterprises whose next visit fell due before the window's end (no
//!   visit in the interval before it; never visited counts as due); **done** = those of them
//!   visited within the window. **Overdue visits** = active enterprises not covered.
//! - A case is **closed in the window** when its closing time is in it; **closed on time** when
//!   it also is no later than its deadline (or it has none). It is **open** at the as-of time
//!   when registered before it and not closed by then, and **overdue** when also past its
//!   deadline — except on the ledger (挂账, reviewed, not late) or waiting for material (补办,
//!   the clock stopped).
//! - **按期办结率** = closed on time ÷ (closed + open and overdue): the plain "closed on time ÷
//!   closed" would show 100% while cases sit overdue.
//! - **办结率** = closed ÷ (closed + open).
//! - **返工率** = closed cases that were sent back at least once ÷ closed.
//! - **延期率** = cases closed or open with an extension granted ÷ (closed + open).
//! - **满意率** = ratings given in the window that are 满意 or 基本满意 ÷ ratings given in the
//!   window — every rating counts in its month, also one of a case reopened since.
//!
//! Limits of what is kept: a case's closing time, deadline and stage are its latest (a case
//! reopened after a closing no longer counts that closing; its new deadline is the one
//! measured), and a grid's worker is the one assigned now — past months are measured with
//! today's assignment.
//! - **Overdue rectifications** = open findings past their deadline (the same rule as cases).
//!
//! A rate with nothing to divide by is *not applicable* (shown as "—"), never 0% or 100%.
//!
//! # Scores (6.5)
//! A grid's (and its worker's) score is `100 × Σ wᵢ·rᵢ / Σ wᵢ` over its applicable rates:
//! coverage (w = 0.4), 按期办结率 (0.3), 满意率 (0.2) and 1 − 返工率 (0.1); a department's
//! over 按期办结率 (0.6), 满意率 (0.3) and 1 − 返工率 (0.1). A rate that does not apply leaves
//! the others' weights to share; with none, there is no score and no rank. Ranking: higher
//! score first, then more cases closed, then the name. The best is the first; the bottom three
//! (后三名) are the last three ranked, never the best (with fewer than four ranked, the bottom
//! are those after the best).

use crate::case::{Satisfaction, Stage};
use crate::field::HazardGrade;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The span figures are taken over: `[start, end)`, measured as of `as_of` (≤ `end`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub as_of: DateTime<Utc>,
}

impl Window {
    /// The window `[start, end)` seen at `now`: measured up to now while it runs.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>, now: DateTime<Utc>) -> Window {
        Window { start, end, as_of: end.min(now).max(start) }
    }
}

/// A share: `num` of `den`. Not applicable when `den` is 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rate {
    pub num: u32,
    pub den: u32,
}

impl Rate {
    pub fn of(num: u32, den: u32) -> Rate {
        Rate { num, den }
    }

    /// The share in 0..=1, none when nothing is counted.
    pub fn value(self) -> Option<f64> {
        (self.den > 0).then(|| f64::from(self.num) / f64::from(self.den))
    }

    /// As a percentage with one decimal ("87.5%"), or "—".
    pub fn percent(self) -> String {
        self.value().map_or_else(|| "—".to_owned(), |v| format!("{:.1}%", v * 100.0))
    }
}

/// The visit windows of one figures window, for a park that visits every `interval_days`:
/// the store counts each enterprise's visits in each (they are the rules of "due" and
/// "covered" above, stated as time spans so that a database can count them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VisitWindows {
    /// A visit in here means the enterprise was not yet due in the window: `[end − interval, start)`.
    pub not_due_if_any_in: (DateTime<Utc>, DateTime<Utc>),
    /// Visits done: `[start, as_of)`.
    pub done_in: (DateTime<Utc>, DateTime<Utc>),
    /// A visit in here covers the enterprise: `[as_of − interval, as_of)`.
    pub covered_if_any_in: (DateTime<Utc>, DateTime<Utc>),
}

pub fn visit_windows(w: Window, interval_days: i64) -> VisitWindows {
    let interval = Duration::days(interval_days.max(1));
    VisitWindows {
        not_due_if_any_in: ((w.end - interval).min(w.start), w.start),
        done_in: (w.start, w.as_of),
        covered_if_any_in: (w.as_of - interval, w.as_of),
    }
}

/// One enterprise's visits counted in the windows of [`visit_windows`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VisitFacts {
    pub active: bool,
    /// Visits in `not_due_if_any_in`.
    pub before: u32,
    /// Visits in `done_in`.
    pub done: u32,
    /// Visits in `covered_if_any_in`.
    pub covering: u32,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitFigures {
    pub active: u32,
    pub coverage: Rate,
    /// Enterprises due a visit in the window.
    pub due: u32,
    /// Of those, visited in the window.
    pub due_done: u32,
    /// Every visit recorded in the window.
    pub visits: u32,
    /// Active enterprises not visited within the interval.
    pub overdue: u32,
}

pub fn visit_figures<'a>(facts: impl IntoIterator<Item = &'a VisitFacts>) -> VisitFigures {
    let mut f = VisitFigures::default();
    let mut covered = 0;
    for e in facts.into_iter().filter(|e| e.active) {
        f.active += 1;
        f.visits += e.done;
        if e.covering > 0 {
            covered += 1;
        } else {
            f.overdue += 1;
        }
        if e.before == 0 {
            f.due += 1;
            if e.done > 0 {
                f.due_done += 1;
            }
        }
    }
    f.coverage = Rate::of(covered, f.active);
    f
}

/// A case as the figures see it.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseFacts {
    pub finding: bool,
    /// The demand's service area or the finding's kind, as stored.
    pub category: String,
    pub grade: Option<HazardGrade>,
    pub department: Option<i64>,
    pub stage: Stage,
    pub registered_at: DateTime<Utc>,
    pub deadline: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub reworked: bool,
    pub extended: bool,
    /// Every rating the enterprise gave, when (a reopened case keeps its past ratings).
    pub ratings: Vec<(Satisfaction, DateTime<Utc>)>,
}

impl CaseFacts {
    fn closed_in(&self, w: &Window) -> bool {
        self.closed_at.is_some_and(|t| t >= w.start && t < w.end)
    }

    fn open_at(&self, at: DateTime<Utc>) -> bool {
        self.registered_at < at && self.closed_at.is_none_or(|t| t >= at)
    }

    /// Open at `at` and past its deadline (not on the ledger, not waiting for material).
    pub fn overdue_at(&self, at: DateTime<Utc>) -> bool {
        self.open_at(at) && !matches!(self.stage, Stage::OnLedger | Stage::AwaitingMaterial) && self.deadline.is_some_and(|d| d < at)
    }

    fn on_time(&self) -> bool {
        match (self.closed_at, self.deadline) {
            (Some(c), Some(d)) => c <= d,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseFigures {
    /// Registered in the window.
    pub registered: u32,
    pub closed: u32,
    pub closed_on_time: u32,
    /// Open at the as-of time.
    pub open: u32,
    pub open_overdue: u32,
    /// 按期办结率.
    pub on_time: Rate,
    /// 办结率.
    pub close: Rate,
    /// 返工率.
    pub rework: Rate,
    /// 延期率.
    pub extension: Rate,
    /// 满意率.
    pub satisfaction: Rate,
}

pub fn case_figures<'a>(cases: impl IntoIterator<Item = &'a CaseFacts>, w: &Window) -> CaseFigures {
    let mut f = CaseFigures::default();
    let (mut reworked, mut extended, mut rated, mut pleased) = (0, 0, 0, 0);
    for c in cases {
        if c.registered_at >= w.start && c.registered_at < w.end {
            f.registered += 1;
        }
        let closed = c.closed_in(w);
        let open = c.open_at(w.as_of);
        if closed {
            f.closed += 1;
            f.closed_on_time += u32::from(c.on_time());
            reworked += u32::from(c.reworked);
        }
        if open {
            f.open += 1;
            f.open_overdue += u32::from(c.overdue_at(w.as_of));
        }
        if (closed || open) && c.extended {
            extended += 1;
        }
        for (s, _) in c.ratings.iter().filter(|(_, t)| *t >= w.start && *t < w.end) {
            rated += 1;
            pleased += u32::from(matches!(s, Satisfaction::Satisfied | Satisfaction::Acceptable));
        }
    }
    f.on_time = Rate::of(f.closed_on_time, f.closed + f.open_overdue);
    f.close = Rate::of(f.closed, f.closed + f.open);
    f.rework = Rate::of(reworked, f.closed);
    f.extension = Rate::of(extended, f.closed + f.open);
    f.satisfaction = Rate::of(pleased, rated);
    f
}

/// Open findings by kind and grade, and how many are past their rectification deadline.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FindingFigures {
    /// (kind, grade or "" for findings without one) → open findings.
    pub open: BTreeMap<String, u32>,
    pub open_total: u32,
    pub overdue: u32,
}

/// The key of a finding's kind and grade in [`FindingFigures::open`]: `safety_hazard/major`,
/// `noise`.
pub fn finding_key(kind: &str, grade: Option<HazardGrade>) -> String {
    match grade {
        Some(g) => format!("{kind}/{}", g.as_str()),
        None => kind.to_owned(),
    }
}

pub fn finding_figures<'a>(cases: impl IntoIterator<Item = &'a CaseFacts>, w: &Window) -> FindingFigures {
    let mut f = FindingFigures::default();
    for c in cases.into_iter().filter(|c| c.finding && c.open_at(w.as_of)) {
        *f.open.entry(finding_key(&c.category, c.grade)).or_default() += 1;
        f.open_total += 1;
        f.overdue += u32::from(c.overdue_at(w.as_of));
    }
    f
}

/// Cases registered in the window, counted by a key of theirs (stage, category, department).
pub fn count_by<'a, K: Ord>(cases: impl IntoIterator<Item = &'a CaseFacts>, w: &Window, key: impl Fn(&CaseFacts) -> K) -> BTreeMap<K, u32> {
    let mut out = BTreeMap::new();
    for c in cases.into_iter().filter(|c| c.registered_at >= w.start && c.registered_at < w.end) {
        *out.entry(key(c)).or_default() += 1;
    }
    out
}

/// Where a worker's load stands against 5.3.1 (one worker per 20–40 enterprises).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Load {
    Under,
    Within,
    Over,
}

pub use crate::grid::WORKER_LOAD;

pub fn load_of(enterprises: u32) -> Load {
    if enterprises < *WORKER_LOAD.start() {
        Load::Under
    } else if enterprises > *WORKER_LOAD.end() {
        Load::Over
    } else {
        Load::Within
    }
}

/// Whose score: a grid (and its worker) or a department — they weigh differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scored {
    Grid,
    Department,
}

/// The score of 6.5 (see the module doc), none when no rate applies.
pub fn score(of: Scored, coverage: Rate, cases: &CaseFigures) -> Option<f64> {
    let no_rework = cases.rework.value().map(|r| 1.0 - r);
    let parts: Vec<(f64, Option<f64>)> = match of {
        Scored::Grid => vec![(0.4, coverage.value()), (0.3, cases.on_time.value()), (0.2, cases.satisfaction.value()), (0.1, no_rework)],
        Scored::Department => vec![(0.6, cases.on_time.value()), (0.3, cases.satisfaction.value()), (0.1, no_rework)],
    };
    let (sum, weight) = parts.iter().filter_map(|(w, r)| r.map(|r| (w * r, *w))).fold((0.0, 0.0), |(s, t), (x, w)| (s + x, t + w));
    (weight > 0.0).then(|| 100.0 * sum / weight)
}

/// One line of a ranking: who, their score, and how many cases they closed (the tie-break).
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked<T> {
    pub who: T,
    pub name: String,
    pub score: Option<f64>,
    pub closed: u32,
}

/// Where a line stands: its rank (1 = best), and whether it is the best or among the bottom three.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Standing {
    pub rank: Option<u32>,
    pub best: bool,
    pub bottom: bool,
}

/// Ranks the lines (see the module doc): returns them in order with their standing; lines
/// without a score come last, unranked.
pub fn rank<T>(mut lines: Vec<Ranked<T>>) -> Vec<(Ranked<T>, Standing)> {
    lines.sort_by(|a, b| match (a.score, b.score) {
        (Some(x), Some(y)) => y.total_cmp(&x).then(b.closed.cmp(&a.closed)).then_with(|| a.name.cmp(&b.name)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.name.cmp(&b.name),
    });
    let ranked = lines.iter().filter(|l| l.score.is_some()).count();
    let bottom_from = if ranked >= 4 { ranked - 3 } else { 1 };
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let standing = match l.score {
                Some(_) => Standing { rank: u32::try_from(i + 1).ok(), best: i == 0, bottom: i >= bottom_from && i < ranked },
                None => Standing { rank: None, best: false, bottom: false },
            };
            (l, standing)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    //! The fixture, worked out by hand: a park visited every 30 days, the window is November
    //! 2026 (`[11-01, 12-01)`), seen on 11-20 (so measured as of 11-20).
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        format!("{s}T00:00:00Z").parse().expect("a date")
    }

    fn november() -> Window {
        Window::new(t("2026-11-01"), t("2026-12-01"), t("2026-11-20"))
    }

    #[test]
    fn a_running_month_is_measured_up_to_now_and_a_past_one_to_its_end() {
        assert_eq!(november().as_of, t("2026-11-20"));
        assert_eq!(Window::new(t("2026-10-01"), t("2026-11-01"), t("2026-11-20")).as_of, t("2026-11-01"));
    }

    #[test]
    fn visit_windows_follow_the_interval() {
        let v = visit_windows(november(), 30);
        // Not due in November only if visited in [12-01 − 30 d, 11-01): empty — with a 30-day
        // interval every enterprise is due every month.
        assert_eq!(v.not_due_if_any_in, (t("2026-11-01"), t("2026-11-01")));
        assert_eq!(v.done_in, (t("2026-11-01"), t("2026-11-20")));
        assert_eq!(v.covered_if_any_in, (t("2026-10-21"), t("2026-11-20")));
        // A 90-day interval: a visit from 09-02 on means not due before 12-01.
        assert_eq!(visit_windows(november(), 90).not_due_if_any_in, (t("2026-09-02"), t("2026-11-01")));
    }

    #[test]
    fn visit_coverage_counts_active_enterprises_visited_within_the_interval() {
        // Five enterprises: A visited on 11-05 (covering, due and done), B visited on 10-25
        // only (covering, due, not done), C never (due, overdue), D visited twice in November,
        // E inactive (visited, ignored).
        let facts = [
            VisitFacts { active: true, before: 0, done: 1, covering: 1 },
            VisitFacts { active: true, before: 0, done: 0, covering: 1 },
            VisitFacts { active: true, before: 0, done: 0, covering: 0 },
            VisitFacts { active: true, before: 0, done: 2, covering: 2 },
            VisitFacts { active: false, before: 0, done: 1, covering: 1 },
        ];
        let f = visit_figures(&facts);
        assert_eq!(f.active, 4);
        assert_eq!(f.coverage, Rate::of(3, 4));
        assert_eq!(f.coverage.percent(), "75.0%");
        assert_eq!((f.due, f.due_done, f.visits, f.overdue), (4, 2, 3, 1));
    }

    fn case(registered: &str, deadline: Option<&str>, closed: Option<&str>) -> CaseFacts {
        CaseFacts {
            finding: false,
            category: "policy".into(),
            grade: None,
            department: None,
            stage: if closed.is_some() { Stage::Closed } else { Stage::InProgress },
            registered_at: t(registered),
            deadline: deadline.map(t),
            closed_at: closed.map(t),
            reworked: false,
            extended: false,
            ratings: Vec::new(),
        }
    }

    /// Eight cases of November's fixture:
    /// 1 closed 11-05, due 11-10 (on time), rated satisfied on 11-06;
    /// 2 closed 11-12, due 11-10 (late), reworked once, rated unsatisfied on 11-13;
    /// 3 closed 11-15, no deadline (on time), extended, rated acceptable on 11-16;
    /// 4 open, due 11-15 (overdue on 11-20);
    /// 5 open, due 11-30 (not overdue), extended;
    /// 6 open on the ledger, due 11-01 (not overdue: on the ledger);
    /// 7 closed 10-20 (before the window), rated satisfied on 11-02 (the rating counts);
    /// 8 registered 11-25 (after the as-of time: not open yet; registered in the window).
    fn fixture() -> Vec<CaseFacts> {
        let mut c1 = case("2026-11-01", Some("2026-11-10"), Some("2026-11-05"));
        c1.ratings = vec![(Satisfaction::Satisfied, t("2026-11-06"))];
        let mut c2 = case("2026-10-28", Some("2026-11-10"), Some("2026-11-12"));
        c2.reworked = true;
        c2.ratings = vec![(Satisfaction::Unsatisfied, t("2026-11-13"))];
        let mut c3 = case("2026-11-02", None, Some("2026-11-15"));
        c3.extended = true;
        c3.ratings = vec![(Satisfaction::Acceptable, t("2026-11-16"))];
        let c4 = case("2026-11-03", Some("2026-11-15"), None);
        let mut c5 = case("2026-11-04", Some("2026-11-30"), None);
        c5.extended = true;
        let mut c6 = case("2026-10-01", Some("2026-11-01"), None);
        c6.stage = Stage::OnLedger;
        let mut c7 = case("2026-10-01", Some("2026-10-30"), Some("2026-10-20"));
        c7.ratings = vec![(Satisfaction::Satisfied, t("2026-11-02"))];
        let c8 = case("2026-11-25", Some("2026-12-10"), None);
        vec![c1, c2, c3, c4, c5, c6, c7, c8]
    }

    #[test]
    fn the_case_rates_of_the_fixture_are_those_worked_out_by_hand() {
        let f = case_figures(&fixture(), &november());
        // Registered in November: 1, 3, 4, 5, 8.
        assert_eq!(f.registered, 5);
        // Closed in November: 1, 2, 3; on time: 1, 3.
        assert_eq!((f.closed, f.closed_on_time), (3, 2));
        // Open on 11-20: 4, 5, 6 (8 is registered later); overdue: 4 only.
        assert_eq!((f.open, f.open_overdue), (3, 1));
        // 按期办结率 = 2 / (3 + 1) = 50%, not 2 / 3.
        assert_eq!(f.on_time, Rate::of(2, 4));
        assert_eq!(f.on_time.percent(), "50.0%");
        // 办结率 = 3 / (3 + 3).
        assert_eq!(f.close, Rate::of(3, 6));
        // 返工率 = 1 / 3 (case 2).
        assert_eq!(f.rework, Rate::of(1, 3));
        // 延期率 = 2 / 6 (cases 3 and 5).
        assert_eq!(f.extension, Rate::of(2, 6));
        // 满意率 = (1 satisfied + 3 acceptable + 7 satisfied) / 4 ratings in November = 3 / 4.
        assert_eq!(f.satisfaction, Rate::of(3, 4));
    }

    #[test]
    fn a_rating_counts_in_its_month_even_when_the_case_was_reopened_and_rated_again_later() {
        let mut c = case("2026-10-01", Some("2026-10-10"), None);
        c.ratings = vec![(Satisfaction::Unsatisfied, t("2026-11-03")), (Satisfaction::Satisfied, t("2026-12-02"))];
        assert_eq!(case_figures(std::slice::from_ref(&c), &november()).satisfaction, Rate::of(0, 1));
        let december = Window::new(t("2026-12-01"), t("2027-01-01"), t("2027-01-05"));
        assert_eq!(case_figures(&[c], &december).satisfaction, Rate::of(1, 1));
    }

    #[test]
    fn on_time_rate_counts_overdue_open_cases_against_the_center() {
        // All closed cases on time, but one sits overdue: not 100%.
        let cases = [case("2026-11-01", Some("2026-11-10"), Some("2026-11-05")), case("2026-11-01", Some("2026-11-10"), None)];
        let f = case_figures(&cases, &november());
        assert_eq!(f.on_time, Rate::of(1, 2));
    }

    #[test]
    fn a_rate_with_nothing_to_count_is_not_applicable() {
        let f = case_figures(&[], &november());
        assert_eq!(f.on_time.value(), None);
        assert_eq!(f.satisfaction.percent(), "—");
    }

    #[test]
    fn open_findings_are_counted_by_kind_and_grade_with_the_overdue_rectifications() {
        let mut a = case("2026-11-01", Some("2026-11-10"), None);
        a.finding = true;
        a.category = "safety_hazard".into();
        a.grade = Some(HazardGrade::Major);
        let mut b = a.clone();
        b.grade = Some(HazardGrade::General);
        b.deadline = Some(t("2026-11-30"));
        let mut c = case("2026-11-02", Some("2026-11-12"), Some("2026-11-11"));
        c.finding = true;
        c.category = "noise".into();
        let mut d = case("2026-11-03", Some("2026-11-12"), None);
        d.finding = true;
        d.category = "noise".into();
        let f = finding_figures(&[a, b, c, d, case("2026-11-01", Some("2026-11-02"), None)], &november());
        assert_eq!(f.open_total, 3);
        assert_eq!(f.open.get("safety_hazard/major"), Some(&1));
        assert_eq!(f.open.get("safety_hazard/general"), Some(&1));
        assert_eq!(f.open.get("noise"), Some(&1));
        // The major hazard (due 11-10) and the noise finding (due 11-12) are past their deadline.
        assert_eq!(f.overdue, 2);
    }

    #[test]
    fn cases_are_counted_by_stage_of_those_registered_in_the_window() {
        let by = count_by(&fixture(), &november(), |c| c.stage);
        assert_eq!(by.get(&Stage::Closed), Some(&2));
        assert_eq!(by.get(&Stage::InProgress), Some(&3));
        assert_eq!(by.get(&Stage::OnLedger), None);
    }

    #[test]
    fn a_worker_serves_twenty_to_forty_enterprises() {
        assert_eq!(load_of(19), Load::Under);
        assert_eq!(load_of(20), Load::Within);
        assert_eq!(load_of(40), Load::Within);
        assert_eq!(load_of(41), Load::Over);
    }

    #[test]
    fn the_score_weighs_the_applicable_rates_as_documented() {
        let f = case_figures(&fixture(), &november());
        // Grid: 0.4 × 0.75 + 0.3 × 0.5 + 0.2 × 0.75 + 0.1 × (1 − 1/3) = 0.3 + 0.15 + 0.15 + 0.0667 = 0.6667.
        let s = score(Scored::Grid, Rate::of(3, 4), &f).expect("a score");
        assert!((s - 66.666_666).abs() < 1e-3, "{s}");
        // Department: (0.6 × 0.5 + 0.3 × 0.75 + 0.1 × 2/3) / 1.0 = 0.5917.
        let d = score(Scored::Department, Rate::default(), &f).expect("a score");
        assert!((d - 59.166_666).abs() < 1e-3, "{d}");
        // Only coverage applies (no cases): the score is the coverage.
        let none = case_figures(&[], &november());
        assert_eq!(score(Scored::Grid, Rate::of(1, 2), &none), Some(50.0));
        assert_eq!(score(Scored::Department, Rate::default(), &none), None);
    }

    #[test]
    fn the_ranking_names_the_best_and_the_bottom_three() {
        let line = |name: &str, score: Option<f64>, closed: u32| Ranked { who: name.to_owned(), name: name.to_owned(), score, closed };
        let ranked = rank(vec![
            line("e", Some(70.0), 1),
            line("a", Some(90.0), 2),
            line("b", Some(80.0), 5),
            line("c", Some(80.0), 9),
            line("x", None, 0),
            line("d", Some(60.0), 0),
        ]);
        let order: Vec<&str> = ranked.iter().map(|(l, _)| l.name.as_str()).collect();
        // c before b: the same score, more cases closed; x has no score: last, unranked.
        assert_eq!(order, ["a", "c", "b", "e", "d", "x"]);
        let best: Vec<&str> = ranked.iter().filter(|(_, s)| s.best).map(|(l, _)| l.name.as_str()).collect();
        let bottom: Vec<&str> = ranked.iter().filter(|(_, s)| s.bottom).map(|(l, _)| l.name.as_str()).collect();
        assert_eq!(best, ["a"]);
        assert_eq!(bottom, ["b", "e", "d"]);
        assert_eq!(ranked[5].1.rank, None);
        // Two ranked: the best and the bottom one.
        let two = rank(vec![line("a", Some(1.0), 0), line("b", Some(2.0), 0)]);
        assert!(two[0].1.best && !two[0].1.bottom && two[1].1.bottom);
    }
}
