//! The park's figures (issue 15): the facts `domain::figures` computes from, gathered in a few
//! queries per request — one row per enterprise with its visits counted in every window the
//! request needs (one `GROUP BY`, whatever the number of windows), one slim row per case —,
//! then grouped by grid, worker or department in memory. The definitions live in
//! `domain::figures`; nothing here decides what a figure means.
//!
//! A case's grid is its enterprise's grid in the park's active plan (a case without an
//! enterprise counts only for the whole park); a grid's worker is the one assigned now.

use crate::access::Access;
use crate::entities::{app_user, case_rating, department, enterprise, grid, grid_assignment, grid_member, park, visit};
use crate::{StoreError, plans};
use api::figures::{Choice, Count, Dashboard, FigureQuery, GridFigures, GridShape, MapShapes, MonthFigures, ScoreLine, Scorecards};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use domain::calendar::{cst, local_date};
use domain::case::{Satisfaction, Stage};
use domain::figures::{self as fig, CaseFacts, Rate, Ranked, Scored, VisitFacts, Window};
use domain::{Capability, field::HazardGrade};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Seconds since 1970 of an instant column of `row` at `i`, read the cheap way for the engine:
/// PostgreSQL sends a binary timestamp; SQLite stores RFC 3339 text, which [`rfc3339_secs`]
/// reads without the general parser (most of a request's time on 150,000 rows otherwise).
fn secs_at(row: &sea_orm::QueryResult, i: usize, backend: sea_orm::DatabaseBackend) -> Result<Option<i64>, sea_orm::DbErr> {
    match backend {
        sea_orm::DatabaseBackend::Postgres => Ok(row.try_get_by_index::<Option<DateTime<Utc>>>(i)?.map(|t| t.timestamp())),
        _ => Ok(row.try_get_by_index::<Option<String>>(i)?.and_then(|t| {
            rfc3339_secs(&t).or_else(|| DateTime::parse_from_rfc3339(&t).ok().map(|d| d.timestamp()))
        })),
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` (as the driver writes instants) into seconds
/// since 1970; none for anything else (the caller falls back to the general parser).
fn rfc3339_secs(t: &str) -> Option<i64> {
    let b = t.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        b.get(r)?.iter().try_fold(0i64, |n, c| c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0')))
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut k = 19;
    if b.get(k) == Some(&b'.') {
        k += 1;
        while b.get(k).is_some_and(u8::is_ascii_digit) {
            k += 1;
        }
    }
    let offset = match b.get(k)? {
        b'Z' => 0,
        c @ (b'+' | b'-') => {
            let o = num(k + 1..k + 3)? * 3600 + num(k + 4..k + 6)? * 60;
            if *c == b'+' { o } else { -o }
        }
        _ => return None,
    };
    // Days from the civil date (H. Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hh * 3600 + mm * 60 + ss - offset)
}

fn instant(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

/// The instant a day starts in China.
fn day_start(d: NaiveDate) -> DateTime<Utc> {
    let midnight = d.and_hms_opt(0, 0, 0).expect("midnight exists");
    cst().from_local_datetime(&midnight).single().expect("CST has no gaps").with_timezone(&Utc)
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("every month has a first day")
}

fn next_month(d: NaiveDate) -> NaiveDate {
    month_start(d).checked_add_months(chrono::Months::new(1)).expect("a month within the calendar")
}

fn months_back(d: NaiveDate, n: u32) -> NaiveDate {
    month_start(d).checked_sub_months(chrono::Months::new(n)).expect("a month within the calendar")
}

/// `YYYY-MM` into its first day, refused with the reason otherwise.
pub fn parse_month(s: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(&format!("{}-01", s.trim()), "%Y-%m-%d")
        .map_err(|_| StoreError::refused("bad_month", s, "a month is written YYYY-MM, e.g. 2026-11"))
}

/// The park asked for, if the user may see its figures.
async fn figures_park<C: ConnectionTrait>(db: &C, access: &Access, code: Option<&str>) -> Result<park::Model, StoreError> {
    if !access.role.is_some_and(|r| r.permits(Capability::ViewFigures)) {
        return Err(StoreError::Forbidden("park's figures"));
    }
    access.park(db, code).await
}

/// A grid of the active plan with its worker.
struct GridFacts {
    code: String,
    worker: Option<(i64, String)>,
    /// Its enterprises in the active plan.
    enterprises: u32,
}

/// Everything a request computes from, but the visits.
struct ParkFacts {
    park: park::Model,
    grids: Vec<GridFacts>,
    /// Enterprise id → index into `grids`.
    grid_of: HashMap<i64, usize>,
    /// (id, active), every enterprise of the park.
    enterprises: Vec<(i64, bool)>,
    /// Each case with its enterprise.
    cases: Vec<(Option<i64>, CaseFacts)>,
    departments: Vec<department::Model>,
}

/// The park's grids, enterprises and the cases that matter from `since` (registered before
/// `until` and not closed before `since`, or rated since).
async fn park_facts<C: ConnectionTrait>(db: &C, park: park::Model, since: DateTime<Utc>, until: DateTime<Utc>) -> Result<ParkFacts, StoreError> {
    use crate::entities::service_case::Column as C_;
    let clock = std::time::Instant::now();
    let mut grids = Vec::new();
    let mut grid_of = HashMap::new();
    if let Some(plan) = plans::active_plan(db, park.id).await? {
        let mut rows: Vec<(i64, String)> = grid::Entity::find()
            .select_only()
            .column(grid::Column::Id)
            .column(grid::Column::Code)
            .filter(grid::Column::PlanId.eq(plan.id))
            .into_tuple()
            .all(db)
            .await?;
        let ids: Vec<i64> = rows.iter().map(|g| g.0).collect();
        let mut workers: HashMap<i64, (i64, String)> = HashMap::new();
        let assignments = grid_assignment::Entity::find()
            .filter(grid_assignment::Column::GridId.is_in(ids.clone()))
            .filter(grid_assignment::Column::EndedAt.is_null())
            .all(db)
            .await?;
        let users: HashMap<i64, String> = app_user::Entity::find()
            .select_only()
            .column(app_user::Column::Id)
            .column(app_user::Column::DisplayName)
            .filter(app_user::Column::Id.is_in(assignments.iter().map(|a| a.user_id).collect::<Vec<_>>()))
            .into_tuple::<(i64, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        for a in assignments {
            if let Some(name) = users.get(&a.user_id) {
                workers.insert(a.grid_id, (a.user_id, name.clone()));
            }
        }
        rows.sort_by(|a, b| a.1.cmp(&b.1));
        let index: HashMap<i64, usize> = rows.iter().enumerate().map(|(i, g)| (g.0, i)).collect();
        let members: Vec<(i64, i64)> = grid_member::Entity::find()
            .select_only()
            .column(grid_member::Column::GridId)
            .column(grid_member::Column::EnterpriseId)
            .filter(grid_member::Column::GridId.is_in(ids))
            .into_tuple()
            .all(db)
            .await?;
        let mut counts = vec![0u32; rows.len()];
        for (g, e) in members {
            if let Some(&i) = index.get(&g) {
                if let std::collections::hash_map::Entry::Vacant(v) = grid_of.entry(e) {
                    v.insert(i);
                    counts[i] += 1;
                }
            }
        }
        grids = rows.into_iter().zip(counts).map(|((id, code), enterprises)| GridFacts { worker: workers.get(&id).cloned(), code, enterprises }).collect();
    }
    let enterprises: Vec<(i64, bool)> = enterprise::Entity::find()
        .select_only()
        .column(enterprise::Column::Id)
        .column(enterprise::Column::Active)
        .filter(enterprise::Column::ParkId.eq(park.id))
        .into_tuple()
        .all(db)
        .await?;
    let grids_ms = clock.elapsed().as_secs_f64() * 1000.0;
    let backend = db.get_database_backend();
    let select = sea_orm::sea_query::Query::select()
        .columns([C_::Id, C_::EnterpriseId, C_::Kind, C_::Category, C_::Grade, C_::DepartmentId, C_::Stage])
        .columns([C_::RegisteredAt, C_::DeadlineAt, C_::ClosedAt, C_::ReworkCount, C_::ExtensionCount])
        .from(crate::entities::service_case::Entity)
        .and_where(C_::ParkId.eq(park.id))
        .and_where(C_::RegisteredAt.lt(until))
        .cond_where(sea_orm::Condition::any().add(C_::ClosedAt.is_null()).add(C_::ClosedAt.gte(since)).add(C_::RatedAt.gte(since)))
        .to_owned();
    let rows = db.query_all_raw(backend.build(&select)).await?;
    let cases_ms = clock.elapsed().as_secs_f64() * 1000.0 - grids_ms;
    // Every rating given since `since`, by case (a reopened case keeps its past ones).
    let mut ratings: HashMap<i64, Vec<(Satisfaction, DateTime<Utc>)>> = HashMap::new();
    let park_cases = sea_orm::sea_query::Query::select().column(C_::Id).from(crate::entities::service_case::Entity).and_where(C_::ParkId.eq(park.id)).to_owned();
    let select = sea_orm::sea_query::Query::select()
        .columns([case_rating::Column::CaseId, case_rating::Column::Satisfaction, case_rating::Column::At])
        .from(case_rating::Entity)
        .and_where(case_rating::Column::At.gte(since))
        .and_where(case_rating::Column::At.lt(until))
        .and_where(case_rating::Column::CaseId.in_subquery(park_cases))
        .to_owned();
    for r in db.query_all_raw(backend.build(&select)).await? {
        let (case, s): (i64, String) = (r.try_get_by_index(0)?, r.try_get_by_index(1)?);
        if let (Some(s), Some(t)) = (Satisfaction::parse(&s), secs_at(&r, 2, backend)?) {
            ratings.entry(case).or_default().push((s, instant(t)));
        }
    }
    let mut cases: Vec<(Option<i64>, CaseFacts)> = Vec::with_capacity(rows.len());
    for r in rows {
        let id: i64 = r.try_get_by_index(0)?;
        let kind: String = r.try_get_by_index(2)?;
        let grade: Option<String> = r.try_get_by_index(4)?;
        let stage: String = r.try_get_by_index(6)?;
        let (rework, extension): (i32, i32) = (r.try_get_by_index(10)?, r.try_get_by_index(11)?);
        let facts = CaseFacts {
            finding: kind == "finding",
            category: r.try_get_by_index(3)?,
            grade: grade.as_deref().and_then(HazardGrade::parse),
            department: r.try_get_by_index(5)?,
            stage: Stage::parse(&stage).unwrap_or(Stage::Registered),
            registered_at: instant(secs_at(&r, 7, backend)?.unwrap_or(0)),
            deadline: secs_at(&r, 8, backend)?.map(instant),
            closed_at: secs_at(&r, 9, backend)?.map(instant),
            reworked: rework > 0,
            extended: extension > 0,
            ratings: ratings.remove(&id).unwrap_or_default(),
        };
        cases.push((r.try_get_by_index(1)?, facts));
    }
    let departments = department::Entity::find().all(db).await?;
    tracing::debug!(grids_ms, cases_ms, total_ms = clock.elapsed().as_secs_f64() * 1000.0, cases = cases.len(), "figures: park facts");
    Ok(ParkFacts { park, grids, grid_of, enterprises, cases, departments })
}

/// Each enterprise's visits counted in each of `windows` (`[start, end)`). One query reads the
/// visit times of the span the windows cover (two columns a visit); the counting is a binary
/// search per enterprise and window, so twelve months of trend cost no more queries than one.
/// (Measured: `SUM(CASE …)` per window in SQL took most of a request on SQLite.)
async fn visit_counts<C: ConnectionTrait>(db: &C, park_id: i64, windows: &[(DateTime<Utc>, DateTime<Utc>)]) -> Result<HashMap<i64, Vec<u32>>, StoreError> {
    let lo = windows.iter().map(|w| w.0).min().unwrap_or_else(Utc::now);
    let hi = windows.iter().map(|w| w.1).max().unwrap_or_else(Utc::now);
    let park_enterprises = sea_orm::sea_query::Query::select().column(enterprise::Column::Id).from(enterprise::Entity).and_where(enterprise::Column::ParkId.eq(park_id)).to_owned();
    let backend = db.get_database_backend();
    let select = sea_orm::sea_query::Query::select()
        .columns([visit::Column::EnterpriseId, visit::Column::StartedAt])
        .from(visit::Entity)
        .and_where(visit::Column::StartedAt.gte(lo))
        .and_where(visit::Column::StartedAt.lt(hi))
        .and_where(visit::Column::EnterpriseId.in_subquery(park_enterprises))
        .to_owned();
    let mut rows = Vec::new();
    for r in db.query_all_raw(backend.build(&select)).await? {
        if let Some(t) = secs_at(&r, 1, backend)? {
            rows.push((r.try_get_by_index::<i64>(0)?, t));
        }
    }
    let mut times: HashMap<i64, Vec<i64>> = HashMap::new();
    for (e, t) in rows {
        times.entry(e).or_default().push(t);
    }
    Ok(times
        .into_iter()
        .map(|(e, mut ts)| {
            ts.sort_unstable();
            let counts = windows
                .iter()
                .map(|(a, b)| {
                    let (a, b) = (a.timestamp(), b.timestamp());
                    u32::try_from(ts.partition_point(|t| *t < b).saturating_sub(ts.partition_point(|t| *t < a))).unwrap_or(u32::MAX)
                })
                .collect();
            (e, counts)
        })
        .collect())
}

/// Each grid's share of the facts: its enterprises' visits and its cases.
struct GridShare<'a> {
    visits: Vec<VisitFacts>,
    cases: Vec<&'a CaseFacts>,
}

/// Groups visits (by enterprise) and cases (by their enterprise) by the grid that holds them.
fn by_grid<'a>(f: &ParkFacts, visits: impl Iterator<Item = (i64, VisitFacts)>, cases: impl Iterator<Item = &'a (Option<i64>, CaseFacts)>) -> Vec<GridShare<'a>> {
    let mut out: Vec<GridShare> = (0..f.grids.len()).map(|_| GridShare { visits: Vec::new(), cases: Vec::new() }).collect();
    for (e, v) in visits {
        if let Some(&g) = f.grid_of.get(&e) {
            out[g].visits.push(v);
        }
    }
    for (e, c) in cases {
        if let Some(&g) = e.and_then(|e| f.grid_of.get(&e)) {
            out[g].cases.push(c);
        }
    }
    out
}

/// The period of a query: its days (this month so far by default) as a window.
fn period(q: &FigureQuery, now: DateTime<Utc>) -> Result<(NaiveDate, NaiveDate, Window), StoreError> {
    let today = local_date(now);
    let from = q.from.unwrap_or_else(|| month_start(today));
    let to = q.to.unwrap_or(today);
    if to < from {
        return Err(StoreError::refused("bad_period", format!("{from} – {to}"), "the period's last day comes before its first"));
    }
    if (to - from).num_days() > 366 * 3 {
        return Err(StoreError::refused("bad_period", format!("{from} – {to}"), "a period of at most three years"));
    }
    let w = Window::new(day_start(from), day_start(to + chrono::Days::new(1)), now);
    Ok((from, to, w))
}

/// Which enterprises and cases a filter keeps.
struct Scope {
    /// None: every grid (indices into `ParkFacts::grids`).
    grids: Option<HashSet<usize>>,
    /// None: every enterprise.
    enterprises: Option<HashSet<i64>>,
    department: Option<i64>,
    category: Option<String>,
}

impl Scope {
    fn keeps_case(&self, enterprise: Option<i64>, c: &CaseFacts) -> bool {
        self.enterprises.as_ref().is_none_or(|set| enterprise.is_some_and(|e| set.contains(&e)))
            && self.department.is_none_or(|d| c.department == Some(d))
            && self.category.as_ref().is_none_or(|k| &c.category == k)
    }

    fn keeps_enterprise(&self, e: i64) -> bool {
        self.enterprises.as_ref().is_none_or(|set| set.contains(&e))
    }
}

fn scope_of(f: &ParkFacts, q: &FigureQuery) -> Result<Scope, StoreError> {
    let grids: Option<HashSet<usize>> = if let Some(code) = q.grid.as_deref().filter(|c| !c.is_empty()) {
        let i = f.grids.iter().position(|g| g.code == code).ok_or_else(|| StoreError::refused("no_such_grid", code, "no grid with this code in the active plan"))?;
        Some(HashSet::from([i]))
    } else if let Some(w) = q.worker {
        let held: HashSet<usize> = f.grids.iter().enumerate().filter(|(_, g)| g.worker.as_ref().is_some_and(|(id, _)| *id == w)).map(|(i, _)| i).collect();
        if held.is_empty() {
            return Err(StoreError::refused("no_such_worker", w.to_string(), "no worker of this park's grids has this id"));
        }
        Some(held)
    } else {
        None
    };
    let enterprises = grids.as_ref().map(|gs| f.grid_of.iter().filter(|(_, g)| gs.contains(g)).map(|(e, _)| *e).collect());
    Ok(Scope { grids, enterprises, department: q.department, category: q.category.clone().filter(|c| !c.is_empty()) })
}

/// The dashboard of a park for a period and a filter.
pub async fn dashboard<C: ConnectionTrait>(db: &C, access: &Access, q: &FigureQuery, now: DateTime<Utc>) -> Result<Dashboard, StoreError> {
    let park = figures_park(db, access, q.park.as_deref()).await?;
    let (from, to, w) = period(q, now)?;
    // The trend: the twelve months up to the period's last.
    let first_month = months_back(to, 11);
    let months: Vec<(NaiveDate, Window)> = (0..12)
        .map(|k| {
            let m = months_back(to, 11 - k);
            (m, Window::new(day_start(m), day_start(next_month(m)), now))
        })
        .collect();
    let since = day_start(first_month).min(w.start);
    let f = park_facts(db, park, since, w.end.max(now)).await?;
    let scope = scope_of(&f, q)?;
    let interval = i64::from(f.park.visit_interval_days);
    let vw = fig::visit_windows(w, interval);
    let mut windows = vec![vw.not_due_if_any_in, vw.done_in, vw.covered_if_any_in];
    for (_, m) in &months {
        let v = fig::visit_windows(*m, interval);
        windows.push(v.done_in);
        windows.push(v.covered_if_any_in);
    }
    let clock = std::time::Instant::now();
    let counts = visit_counts(db, f.park.id, &windows).await?;
    tracing::debug!(visits_ms = clock.elapsed().as_secs_f64() * 1000.0, "figures: visit counts");
    let none = vec![0; windows.len()];
    let facts_at = |e: i64, active: bool, k: Option<usize>| {
        let c = counts.get(&e).unwrap_or(&none);
        match k {
            None => VisitFacts { active, before: c[0], done: c[1], covering: c[2] },
            Some(k) => VisitFacts { active, before: 0, done: c[3 + 2 * k], covering: c[4 + 2 * k] },
        }
    };
    let visits_apply = scope.department.is_none() && scope.category.is_none();
    let kept: Vec<(i64, bool)> = f.enterprises.iter().copied().filter(|(e, _)| scope.keeps_enterprise(*e)).collect();
    let cases: Vec<&(Option<i64>, CaseFacts)> = f.cases.iter().filter(|(e, c)| scope.keeps_case(*e, c)).collect();
    let case_list: Vec<&CaseFacts> = cases.iter().map(|(_, c)| c).collect();

    let visits = visits_apply.then(|| fig::visit_figures(kept.iter().map(|(e, a)| facts_at(*e, *a, None)).collect::<Vec<_>>().iter()));
    let findings = fig::finding_figures(case_list.iter().copied(), &w);
    let case_figures = fig::case_figures(case_list.iter().copied(), &w);
    let counted = |by: BTreeMap<String, u32>| by.into_iter().map(|(key, count)| Count { key, count }).collect::<Vec<_>>();
    let by_stage = counted(fig::count_by(case_list.iter().copied(), &w, |c| c.stage).into_iter().map(|(s, n)| (s.as_str().to_owned(), n)).collect());
    let by_category = counted(fig::count_by(case_list.iter().copied(), &w, |c| c.category.clone()));
    let dept_name: HashMap<i64, &str> = f.departments.iter().map(|d| (d.id, d.name.as_str())).collect();
    let by_department = counted(fig::count_by(case_list.iter().copied(), &w, |c| {
        c.department.and_then(|d| dept_name.get(&d).map(|n| (*n).to_owned())).unwrap_or_default()
    }));
    let trend = months
        .iter()
        .enumerate()
        .map(|(k, (m, mw))| {
            let v = fig::visit_figures(kept.iter().map(|(e, a)| facts_at(*e, *a, Some(k))).collect::<Vec<_>>().iter());
            MonthFigures {
                month: format!("{:04}-{:02}", m.year(), m.month()),
                coverage: if visits_apply { v.coverage } else { Rate::default() },
                visits: if visits_apply { v.visits } else { 0 },
                cases: fig::case_figures(case_list.iter().copied(), mw),
            }
        })
        .collect();

    // Per grid: its enterprises' visits (where they apply), its cases.
    let visits_kept = kept.iter().filter(|_| visits_apply).map(|(e, active)| (*e, facts_at(*e, *active, None)));
    let shares = by_grid(&f, visits_kept, cases.iter().copied());
    let grids = f
        .grids
        .iter()
        .zip(&shares)
        .enumerate()
        .filter(|(i, _)| scope.grids.as_ref().is_none_or(|gs| gs.contains(i)))
        .map(|(_, (g, share))| {
            let findings = fig::finding_figures(share.cases.iter().copied(), &w);
            GridFigures {
                code: g.code.clone(),
                worker: g.worker.as_ref().map(|(_, n)| n.clone()),
                enterprises: g.enterprises,
                visits: fig::visit_figures(share.visits.iter()),
                open_findings: findings.open_total,
                overdue_findings: findings.overdue,
                cases: fig::case_figures(share.cases.iter().copied(), &w),
            }
        })
        .collect();
    let mut workers: Vec<Choice> = f.grids.iter().filter_map(|g| g.worker.as_ref()).map(|(id, n)| Choice { id: id.to_string(), name: n.clone() }).collect();
    workers.sort_by(|a, b| a.name.cmp(&b.name));
    workers.dedup();
    Ok(Dashboard {
        park_code: f.park.code.clone(),
        park_name: f.park.name.clone(),
        from,
        to,
        as_of: w.as_of.with_timezone(&cst()).to_rfc3339(),
        visit_interval_days: f.park.visit_interval_days,
        query: FigureQuery { park: Some(f.park.code.clone()), from: Some(from), to: Some(to), ..q.clone() },
        visits,
        findings,
        cases: case_figures,
        by_stage,
        by_category,
        by_department,
        trend,
        grids,
        choices_grid: f
            .grids
            .iter()
            .map(|g| Choice { id: g.code.clone(), name: g.worker.as_ref().map_or_else(|| g.code.clone(), |(_, n)| format!("{} · {n}", g.code)) })
            .collect(),
        choices_worker: workers,
        choices_department: f.departments.iter().filter(|d| d.active).map(|d| Choice { id: d.id.to_string(), name: d.name.clone() }).collect(),
    })
}

/// The dashboard map's shapes: the park boundary and the active plan's grids.
pub async fn shapes<C: ConnectionTrait>(db: &C, access: &Access, park: Option<&str>) -> Result<MapShapes, StoreError> {
    let park = figures_park(db, access, park).await?;
    let grids = match plans::active_plan(db, park.id).await? {
        Some(plan) => grid::Entity::find()
            .filter(grid::Column::PlanId.eq(plan.id))
            .all(db)
            .await?
            .into_iter()
            .map(|g| GridShape { code: g.code, geometry: g.geometry })
            .collect(),
        None => Vec::new(),
    };
    Ok(MapShapes { park_boundary: park.boundary, grids })
}

/// The month asked for (YYYY-MM), else the last complete one.
fn month_of(month: Option<&str>, now: DateTime<Utc>) -> Result<NaiveDate, StoreError> {
    match month.filter(|m| !m.trim().is_empty()) {
        Some(m) => parse_month(m),
        None => Ok(months_back(local_date(now), 1)),
    }
}

/// A month's scorecards (6.5): every worker, grid and department with its figures, score and
/// standing (the best, the bottom three).
pub async fn scorecards<C: ConnectionTrait>(db: &C, access: &Access, park: Option<&str>, month: Option<&str>, now: DateTime<Utc>) -> Result<Scorecards, StoreError> {
    let park = figures_park(db, access, park).await?;
    let m = month_of(month, now)?;
    let w = Window::new(day_start(m), day_start(next_month(m)), now);
    let f = park_facts(db, park, w.start, w.end).await?;
    let vw = fig::visit_windows(w, i64::from(f.park.visit_interval_days));
    let counts = visit_counts(db, f.park.id, &[vw.not_due_if_any_in, vw.done_in, vw.covered_if_any_in]).await?;
    let visit = |e: i64, active: bool| {
        let c = counts.get(&e).map_or([0, 0, 0], |c| [c[0], c[1], c[2]]);
        VisitFacts { active, before: c[0], done: c[1], covering: c[2] }
    };
    let per_grid = by_grid(&f, f.enterprises.iter().map(|(e, active)| (*e, visit(*e, *active))), f.cases.iter());
    let line = |name: String, grids: Vec<String>, v: &[VisitFacts], c: &[&CaseFacts], enterprises: u32| {
        let visits = fig::visit_figures(v);
        let cases = fig::case_figures(c.iter().copied(), &w);
        let findings = fig::finding_figures(c.iter().copied(), &w);
        let score = fig::score(Scored::Grid, visits.coverage, &cases);
        ScoreLine {
            name,
            grids,
            enterprises: Some(enterprises),
            load: Some(fig::load_of(enterprises)),
            coverage: Some(visits.coverage),
            open_findings: findings.open_total,
            overdue_findings: findings.overdue,
            cases,
            score,
            standing: fig::Standing { rank: None, best: false, bottom: false },
        }
    };
    let grid_lines: Vec<ScoreLine> = f
        .grids
        .iter()
        .zip(&per_grid)
        .map(|(g, share)| line(g.code.clone(), vec![g.code.clone()], &share.visits, &share.cases, g.enterprises))
        .collect();
    // A worker's line: every grid they hold.
    let mut held: BTreeMap<(String, i64), Vec<usize>> = BTreeMap::new();
    for (i, g) in f.grids.iter().enumerate() {
        if let Some((id, name)) = &g.worker {
            held.entry((name.clone(), *id)).or_default().push(i);
        }
    }
    let worker_lines: Vec<ScoreLine> = held
        .into_iter()
        .map(|((name, _), gs)| {
            let v: Vec<VisitFacts> = gs.iter().flat_map(|&i| per_grid[i].visits.iter().copied()).collect();
            let c: Vec<&CaseFacts> = gs.iter().flat_map(|&i| per_grid[i].cases.iter().copied()).collect();
            let n = gs.iter().map(|&i| f.grids[i].enterprises).sum();
            line(name, gs.iter().map(|&i| f.grids[i].code.clone()).collect(), &v, &c, n)
        })
        .collect();
    let department_lines: Vec<ScoreLine> = f
        .departments
        .iter()
        .filter(|d| d.active)
        .map(|d| {
            let c: Vec<&CaseFacts> = f.cases.iter().map(|(_, c)| c).filter(|c| c.department == Some(d.id)).collect();
            let cases = fig::case_figures(c.iter().copied(), &w);
            let findings = fig::finding_figures(c.iter().copied(), &w);
            ScoreLine {
                name: d.name.clone(),
                grids: Vec::new(),
                enterprises: None,
                load: None,
                coverage: None,
                open_findings: findings.open_total,
                overdue_findings: findings.overdue,
                score: fig::score(Scored::Department, Rate::default(), &cases),
                cases,
                standing: fig::Standing { rank: None, best: false, bottom: false },
            }
        })
        .collect();
    Ok(Scorecards {
        park_code: f.park.code.clone(),
        park_name: f.park.name.clone(),
        month: format!("{:04}-{:02}", m.year(), m.month()),
        workers: ranked(worker_lines),
        grids: ranked(grid_lines),
        departments: ranked(department_lines),
    })
}

/// The lines in the order of `domain::figures::rank`, each with its standing.
fn ranked(lines: Vec<ScoreLine>) -> Vec<ScoreLine> {
    let lines = lines.into_iter().map(|l| Ranked { name: l.name.clone(), score: l.score, closed: l.cases.closed, who: l }).collect();
    fig::rank(lines).into_iter().map(|(r, standing)| ScoreLine { standing, ..r.who }).collect()
}

/// The month's report: its dashboard (the whole month) and its scorecards.
pub async fn report<C: ConnectionTrait>(db: &C, access: &Access, park: Option<&str>, month: Option<&str>, now: DateTime<Utc>) -> Result<api::figures::Report, StoreError> {
    let m = month_of(month, now)?;
    let last = next_month(m).pred_opt().unwrap_or(m);
    let q = FigureQuery { park: park.map(str::to_owned), from: Some(m), to: Some(last), ..Default::default() };
    let dashboard = dashboard(db, access, &q, now).await?;
    let scorecards = scorecards(db, access, Some(&dashboard.park_code), Some(&format!("{:04}-{:02}", m.year(), m.month())), now).await?;
    Ok(api::figures::Report { dashboard, scorecards })
}

/// The public page's figures, computed at most once an hour per park and quarter in each
/// server process: anyone may load the page, and a closed quarter's figures barely move.
/// Keyed by the park's id and creation time (a park of another database is another key).
type QuarterKey = (i64, i64, NaiveDate);
static QUARTERS: std::sync::Mutex<Option<HashMap<QuarterKey, (DateTime<Utc>, Vec<api::public::DepartmentFigures>)>>> = std::sync::Mutex::new(None);

/// The last complete quarter's figures per active department, for the public page when the
/// manager publishes them (4.5): cases handled, closed, 按期办结率 and 满意率 as defined in
/// `domain::figures`. No personal data: departments only. Cached (see [`QUARTERS`]).
pub async fn public_department_figures<C: ConnectionTrait>(db: &C, park_id: i64, now: DateTime<Utc>) -> Result<Vec<api::public::DepartmentFigures>, StoreError> {
    let park = park::Entity::find_by_id(park_id).one(db).await?.ok_or(StoreError::NotFound("park"))?;
    let key = (park.id, park.created_at.timestamp_micros(), last_quarter(local_date(now)).0);
    if let Ok(cache) = QUARTERS.lock() {
        if let Some((at, figures)) = cache.as_ref().and_then(|c| c.get(&key)) {
            if now - *at < chrono::Duration::hours(1) {
                return Ok(figures.clone());
            }
        }
    }
    let figures = department_figures_of_quarter(db, park, now).await?;
    if let Ok(mut cache) = QUARTERS.lock() {
        cache.get_or_insert_with(HashMap::new).insert(key, (now, figures.clone()));
    }
    Ok(figures)
}

async fn department_figures_of_quarter<C: ConnectionTrait>(db: &C, park: park::Model, now: DateTime<Utc>) -> Result<Vec<api::public::DepartmentFigures>, StoreError> {
    let (start, end) = last_quarter(local_date(now));
    let w = Window::new(day_start(start), day_start(end), now);
    let f = park_facts(db, park, w.start, w.end).await?;
    Ok(f.departments
        .iter()
        .filter(|d| d.active)
        .map(|d| {
            let cases: Vec<&CaseFacts> = f.cases.iter().map(|(_, c)| c).filter(|c| c.department == Some(d.id)).collect();
            let figures = fig::case_figures(cases.iter().copied(), &w);
            api::public::DepartmentFigures {
                department: d.name.clone(),
                cases: figures.closed + figures.open,
                closed: figures.closed,
                on_time_rate: figures.on_time.value(),
                satisfaction_rate: figures.satisfaction.value(),
            }
        })
        .filter(|l| l.cases > 0)
        .collect())
}

/// The last complete quarter before `today`: its first day and the day after its last.
fn last_quarter(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let this = NaiveDate::from_ymd_opt(today.year(), (today.month0() / 3) * 3 + 1, 1).expect("a quarter's first day");
    (months_back(this, 3), this)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_written_by_the_driver_are_read_to_the_second() {
        for t in ["2026-11-09T13:58:12.139156091+00:00", "2026-11-09T21:58:12+08:00", "2026-11-09 13:58:12Z", "1999-02-28T23:59:59.5-05:30", "2028-02-29T00:00:00Z"] {
            assert_eq!(rfc3339_secs(t), DateTime::parse_from_rfc3339(&t.replace(' ', "T")).ok().map(|d| d.timestamp()), "{t}");
        }
        assert_eq!(rfc3339_secs("2026-11-09"), None);
        assert_eq!(rfc3339_secs("2026-11-09T13:58:12.1+0000"), None);
    }

    #[test]
    fn the_last_complete_quarter_is_the_one_before_today_s() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date");
        assert_eq!(last_quarter(d("2026-11-29")), (d("2026-07-01"), d("2026-10-01")));
        assert_eq!(last_quarter(d("2026-01-05")), (d("2025-10-01"), d("2026-01-01")));
        assert_eq!(last_quarter(d("2026-04-01")), (d("2026-01-01"), d("2026-04-01")));
    }
}
