//! The park's figures (issue 15): the facts `domain::figures` computes from, gathered in a few
//! queries per request — each answering one packed row (`packed`): the visit times, the cases,
//! their ratings, the grids' members —, then counted in every window the request
//! needs and grouped by grid, worker or department in memory. The definitions live in
//! `domain::figures`; nothing here decides what a figure means.
//!
//! A case's grid is its enterprise's grid in the park's active plan (a case without an
//! enterprise counts only for the whole park); a grid's worker is the one assigned now.

use crate::access::Access;
use crate::entities::{app_user, department, grid, grid_assignment, park};
use crate::{StoreError, plans};
use api::figures::{Choice, Count, Dashboard, FigureQuery, GridFigures, GridShape, MapShapes, MonthFigures, ScoreLine, Scorecards};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use domain::Capability;
use domain::calendar::{cst, local_date};
use domain::figures::{self as fig, CaseFacts, Ranked, Rate, Scored, VisitFacts, Window};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeMap, HashMap, HashSet};

mod packed;

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
        .map_err(|_| StoreError::refused(api::RefusalCode::BadMonth, s, "a month is written YYYY-MM, e.g. 2026-11"))
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
        let members = packed::members(db, plan.id).await?;
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
    let enterprises = packed::enterprises(db, park.id).await?;
    let grids_ms = clock.elapsed().as_secs_f64() * 1000.0;
    let cases = packed::cases(db, park.id, since, until).await?;
    let cases_ms = clock.elapsed().as_secs_f64() * 1000.0 - grids_ms;
    let departments = department::Entity::find().all(db).await?;
    tracing::debug!(grids_ms, cases_ms, total_ms = clock.elapsed().as_secs_f64() * 1000.0, cases = cases.len(), "figures: park facts");
    Ok(ParkFacts { park, grids, grid_of, enterprises, cases, departments })
}

/// Each enterprise's visits counted in each of `windows` (`[start, end)`). One query reads the
/// visit times of the span the windows cover (packed, a row per enterprise); the counting is a
/// binary search per enterprise and window, so twelve months of trend cost no more queries.
/// (Measured: `SUM(CASE …)` per window in SQL took most of a request on SQLite.)
async fn visit_counts<C: ConnectionTrait>(db: &C, park_id: i64, windows: &[(DateTime<Utc>, DateTime<Utc>)]) -> Result<HashMap<i64, Vec<u32>>, StoreError> {
    let lo = windows.iter().map(|w| w.0).min().unwrap_or_else(Utc::now);
    let hi = windows.iter().map(|w| w.1).max().unwrap_or_else(Utc::now);
    let times = packed::visit_times(db, park_id, lo, hi).await?;
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
fn by_grid<'a>(
    f: &ParkFacts,
    visits: impl Iterator<Item = (i64, VisitFacts)>,
    cases: impl Iterator<Item = &'a (Option<i64>, CaseFacts)>,
) -> Vec<GridShare<'a>> {
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
        return Err(StoreError::refused(api::RefusalCode::BadPeriod, format!("{from} – {to}"), "the period's last day comes before its first"));
    }
    if (to - from).num_days() > 366 * 3 {
        return Err(StoreError::refused(api::RefusalCode::BadPeriod, format!("{from} – {to}"), "a period of at most three years"));
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
        let i = f
            .grids
            .iter()
            .position(|g| g.code == code)
            .ok_or_else(|| StoreError::refused(api::RefusalCode::NoSuchGrid, code, "no grid with this code in the active plan"))?;
        Some(HashSet::from([i]))
    } else if let Some(w) = q.worker {
        let held: HashSet<usize> = f.grids.iter().enumerate().filter(|(_, g)| g.worker.as_ref().is_some_and(|(id, _)| *id == w)).map(|(i, _)| i).collect();
        if held.is_empty() {
            return Err(StoreError::refused(api::RefusalCode::NoSuchWorker, w.to_string(), "no worker of this park's grids has this id"));
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
    let by_department =
        counted(fig::count_by(case_list.iter().copied(), &w, |c| c.department.and_then(|d| dept_name.get(&d).map(|n| (*n).to_owned())).unwrap_or_default()));
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
pub async fn scorecards<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    park: Option<&str>,
    month: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Scorecards, StoreError> {
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
    let grid_lines: Vec<ScoreLine> =
        f.grids.iter().zip(&per_grid).map(|(g, share)| line(g.code.clone(), vec![g.code.clone()], &share.visits, &share.cases, g.enterprises)).collect();
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
pub async fn report<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    park: Option<&str>,
    month: Option<&str>,
    now: DateTime<Utc>,
) -> Result<api::figures::Report, StoreError> {
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
pub async fn public_department_figures<C: ConnectionTrait>(
    db: &C,
    park_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<api::public::DepartmentFigures>, StoreError> {
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

async fn department_figures_of_quarter<C: ConnectionTrait>(
    db: &C,
    park: park::Model,
    now: DateTime<Utc>,
) -> Result<Vec<api::public::DepartmentFigures>, StoreError> {
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
    fn the_last_complete_quarter_is_the_one_before_today_s() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date");
        assert_eq!(last_quarter(d("2026-11-29")), (d("2026-07-01"), d("2026-10-01")));
        assert_eq!(last_quarter(d("2026-01-05")), (d("2025-10-01"), d("2026-01-01")));
        assert_eq!(last_quarter(d("2026-04-01")), (d("2026-01-01"), d("2026-04-01")));
    }
}
