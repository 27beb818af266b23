//! The park's figures (issue 15) through the API, on a fixture whose figures were worked out
//! by hand: a month two months back (complete, so measured to its end) in the demo park, with
//! nine cases and two visits. On both engines.

use crate::support;

use api::figures::{Dashboard, Rate, Scorecards};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use reqwest::{Client, StatusCode};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use store::entities::{app_user, enterprise, grid, grid_assignment, grid_member, service_case, visit};
use support::TestApp;

/// The fixture's month: its first day, and the instant `day` days after its start (noon CST).
struct Month {
    first: NaiveDate,
    last: NaiveDate,
}

impl Month {
    fn two_back() -> Month {
        let today = domain::calendar::local_date(Utc::now());
        let first = today.with_day(1).expect("a first day").checked_sub_months(chrono::Months::new(2)).expect("a month");
        let next = first.checked_add_months(chrono::Months::new(1)).expect("a month");
        Month { first, last: next.pred_opt().expect("a day") }
    }

    /// Noon CST of the month's day `day` (0 = the first; negative: before the month; past its
    /// length: after it).
    fn at(&self, day: i64) -> DateTime<Utc> {
        let d = self.first + chrono::Duration::days(day);
        domain::calendar::cst().from_local_datetime(&d.and_hms_opt(12, 0, 0).expect("noon")).single().expect("CST").with_timezone(&Utc)
    }

    fn query(&self) -> String {
        format!("from={}&to={}", self.first, self.last)
    }
}

struct Case {
    enterprise: i64,
    registered: i64,
    deadline: Option<i64>,
    closed: Option<i64>,
    stage: &'static str,
    rework: i32,
    extension: i32,
    rating: Option<(&'static str, i64)>,
    finding: bool,
    department: Option<i64>,
}

async fn insert(app: &TestApp, park: i64, m: &Month, c: Case) {
    service_case::ActiveModel {
        park_id: Set(park),
        enterprise_id: Set(Some(c.enterprise)),
        source: Set(if c.finding { "finding" } else { "hall" }.into()),
        source_record: Set(None),
        kind: Set(if c.finding { "finding" } else { "demand" }.into()),
        category: Set(if c.finding { "safety_hazard" } else { "policy" }.into()),
        grade: Set(c.finding.then(|| "major".into())),
        description: Set("fixture".into()),
        stage: Set(c.stage.into()),
        mode: Set(Some("promised".into())),
        department_id: Set(c.department),
        owner_id: Set(None),
        deadline_at: Set(c.deadline.map(|d| m.at(d))),
        paused_at: Set(None),
        pending_extension: Set(None),
        replied_by: Set(None),
        rating: Set(c.rating.map(|r| r.0.into())),
        rated_solved: Set(c.rating.map(|_| true)),
        flagged: Set(false),
        repeat_of: Set(None),
        registered_at: Set(m.at(c.registered)),
        updated_at: Set(m.at(c.registered)),
        closed_at: Set(c.closed.map(|d| m.at(d))),
        rework_count: Set(c.rework),
        extension_count: Set(c.extension),
        rated_at: Set(c.rating.map(|r| m.at(r.1))),
        ..Default::default()
    }
    .insert(&app.db.conn)
    .await
    .expect("a fixture case");
}

/// worker01's grid (its code, an enterprise of it) and another grid's enterprise.
async fn places(app: &TestApp) -> (String, i64, i64, i64) {
    let conn = &app.db.conn;
    let w = app_user::Entity::find().filter(app_user::Column::Login.eq("worker01")).one(conn).await.expect("q").expect("worker01");
    let g = grid_assignment::Entity::find().filter(grid_assignment::Column::UserId.eq(w.id)).one(conn).await.expect("q").expect("a grid").grid_id;
    let code = grid::Entity::find_by_id(g).one(conn).await.expect("q").expect("grid").code;
    let mine = grid_member::Entity::find().filter(grid_member::Column::GridId.eq(g)).one(conn).await.expect("q").expect("a member").enterprise_id;
    let other = grid_member::Entity::find().filter(grid_member::Column::GridId.ne(g)).one(conn).await.expect("q").expect("a member").enterprise_id;
    (code, mine, other, w.id)
}

/// The fixture: cases 1–9 as worked out below, visits to E1 (in the month) and E2 (before it).
async fn fixture(app: &TestApp) -> (Month, String, i64) {
    let m = Month::two_back();
    let (code, e1, e2, worker) = places(app).await;
    let park = enterprise::Entity::find_by_id(e1).one(&app.db.conn).await.expect("q").expect("E1").park_id;
    let safety = store::departments::find_by_code(&app.db.conn, "safety").await.expect("q").map(|d| d.id);
    let base = Case {
        enterprise: e1,
        registered: 0,
        deadline: None,
        closed: None,
        stage: "in_progress",
        rework: 0,
        extension: 0,
        rating: None,
        finding: false,
        department: None,
    };
    let end = (m.last - m.first).num_days() + 1;
    let cases = [
        // 1: E1, closed on day 4, due day 9: on time; rated satisfied on day 5.
        Case { registered: 0, deadline: Some(9), closed: Some(4), stage: "closed", rating: Some(("satisfied", 5)), ..base },
        // 2: E1, registered before the month, closed day 11, due day 9: late; sent back once; unsatisfied on day 12.
        Case { registered: -3, deadline: Some(9), closed: Some(11), stage: "closed", rework: 1, rating: Some(("unsatisfied", 12)), ..base },
        // 3: E2, no deadline, closed day 14 (on time); extended; acceptable on day 15.
        Case { enterprise: e2, registered: 1, closed: Some(14), stage: "closed", extension: 1, rating: Some(("acceptable", 15)), ..base },
        // 4: E2, open, due day 14: overdue at the month's end; with the safety department.
        Case { enterprise: e2, registered: 2, deadline: Some(14), department: safety, ..base },
        // 5: E1, open, due after the month: not overdue; extended.
        Case { registered: 3, deadline: Some(end + 5), extension: 1, ..base },
        // 6: E2, from before, on the ledger, due day 0: not overdue.
        Case { enterprise: e2, registered: -20, deadline: Some(0), stage: "on_ledger", ..base },
        // 7: E1, closed before the month, rated satisfied on day 1: the rating counts.
        Case { registered: -40, deadline: Some(-10), closed: Some(-12), stage: "closed", rating: Some(("satisfied", 1)), ..base },
        // 8: E1, registered after the month: nowhere in it.
        Case { registered: end + 2, deadline: Some(end + 12), ..base },
        // 9: E2, a major hazard found on day 4, due day 7, open: an overdue rectification.
        Case { enterprise: e2, registered: 4, deadline: Some(7), finding: true, department: safety, ..base },
    ];
    for c in cases {
        insert(app, park, &m, c).await;
    }
    // Each rating as the store keeps it (one row per rating given).
    sea_orm::ConnectionTrait::execute_unprepared(&app.db.conn, "INSERT INTO case_rating (case_id, at, satisfaction, solved) SELECT id, rated_at, rating, TRUE FROM service_case WHERE rating IS NOT NULL AND rated_at IS NOT NULL").await.expect("ratings");
    for (e, day) in [(e1, 19), (e2, -5)] {
        let g = grid_member::Entity::find().filter(grid_member::Column::EnterpriseId.eq(e)).one(&app.db.conn).await.expect("q").expect("member").grid_id;
        visit::ActiveModel {
            id: Set(support::id()),
            enterprise_id: Set(e),
            grid_id: Set(g),
            worker_id: Set(worker),
            started_at: Set(m.at(day)),
            ended_at: Set(m.at(day)),
            lon: Set(None),
            lat: Set(None),
            accuracy_m: Set(None),
            met: Set("王经理".into()),
            notes: Set(String::new()),
            satisfaction: Set(None),
            received_at: Set(m.at(day)),
        }
        .insert(&app.db.conn)
        .await
        .expect("a visit");
    }
    (m, code, park)
}

async fn manager(app: &TestApp) -> Client {
    let c = support::browser();
    assert_eq!(app.sign_in_with(&c, "manager", support::PASSWORD).await.status(), StatusCode::OK);
    c
}

async fn dashboard(app: &TestApp, c: &Client, query: &str) -> Dashboard {
    let r = c.get(app.url(&format!("/api/v1/figures?{query}"))).send().await.expect("request");
    assert_eq!(r.status(), StatusCode::OK, "{query}");
    r.json().await.expect("a dashboard")
}

#[tokio::test]
async fn the_dashboard_through_the_api_shows_the_figures_worked_out_by_hand_for_the_fixture() {
    async fn check(app: TestApp) {
        let (m, code, _) = fixture(&app).await;
        let c = manager(&app).await;
        let d = dashboard(&app, &c, &m.query()).await;
        let active = enterprise::Entity::find().filter(enterprise::Column::Active.eq(true)).all(&app.db.conn).await.expect("q").len() as u32;
        let v = d.visits.expect("visits apply without a department or category filter");
        // Every active enterprise is due each month with a 30-day interval; E1 visited (covers);
        // E2's visit was before the month's interval.
        assert_eq!(v.active, active);
        assert_eq!(v.coverage, Rate::of(1, active));
        assert_eq!((v.due, v.due_done, v.visits, v.overdue), (active, 1, 1, active - 1));
        // Registered in the month: 1, 3, 4, 5, 9. Closed: 1, 2, 3, on time 1 and 3. Open at
        // the end: 4, 5, 6, 9; overdue: 4 and 9 (6 is on the ledger, 5 not due yet).
        let f = d.cases;
        assert_eq!(f.registered, 5);
        assert_eq!((f.closed, f.closed_on_time, f.open, f.open_overdue), (3, 2, 4, 2));
        assert_eq!(f.on_time, Rate::of(2, 5), "按期办结率 = 2 / (3 + 2)");
        assert_eq!(f.close, Rate::of(3, 7));
        assert_eq!(f.rework, Rate::of(1, 3));
        assert_eq!(f.extension, Rate::of(2, 7));
        assert_eq!(f.satisfaction, Rate::of(3, 4), "satisfied, unsatisfied, acceptable, satisfied");
        assert_eq!((d.findings.open_total, d.findings.overdue), (1, 1));
        assert_eq!(d.findings.open.get("safety_hazard/major"), Some(&1));
        let stage = |k: &str| d.by_stage.iter().find(|c| c.key == k).map_or(0, |c| c.count);
        assert_eq!((stage("closed"), stage("in_progress")), (2, 3));
        // The month is the last of the trend, with the same figures.
        let last = d.trend.last().expect("a trend");
        assert_eq!(last.month, format!("{:04}-{:02}", m.first.year(), m.first.month()));
        assert_eq!(last.cases, f);
        assert_eq!(d.trend.len(), 12);

        // worker01's grid: cases 1, 2, 5, 7 and E1's visit.
        let g = dashboard(&app, &c, &format!("{}&grid={code}", m.query())).await;
        assert_eq!(g.cases.registered, 2);
        assert_eq!((g.cases.closed, g.cases.closed_on_time, g.cases.open, g.cases.open_overdue), (2, 1, 1, 0));
        assert_eq!(g.cases.on_time, Rate::of(1, 2));
        assert_eq!(g.cases.satisfaction, Rate::of(2, 3));
        assert_eq!(g.visits.expect("visits").coverage.num, 1);
        assert_eq!(g.grids.len(), 1);
        // The same grid's line of the whole park's dashboard agrees.
        let line = d.grids.iter().find(|l| l.code == code).expect("the grid's line");
        assert_eq!(line.cases, g.cases);

        // The safety department: cases 4 and 9, both open and overdue; no visit figures.
        let safety = store::departments::find_by_code(&app.db.conn, "safety").await.expect("q").expect("safety").id;
        let s = dashboard(&app, &c, &format!("{}&department={safety}", m.query())).await;
        assert!(s.visits.is_none());
        assert_eq!((s.cases.open, s.cases.open_overdue, s.cases.on_time), (2, 2, Rate::of(0, 2)));
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn the_scorecards_rank_every_grid_and_name_the_best_and_the_bottom_three() {
    async fn check(app: TestApp) {
        let (m, code, _) = fixture(&app).await;
        let c = manager(&app).await;
        let month = format!("{:04}-{:02}", m.first.year(), m.first.month());
        let r = c.get(app.url(&format!("/api/v1/figures/scorecards?month={month}"))).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::OK);
        let s: Scorecards = r.json().await.expect("scorecards");
        assert_eq!(s.month, month);
        let grids = s.grids.len();
        assert!(grids >= 4, "the demo has {grids} grids");
        // E2's grid: coverage 0, on time 1/3 (case 3 of 3 + the overdue 4 and 9), satisfaction
        // 1/1, no rework: 100 × (0 + 0.3/3 + 0.2 + 0.1) = 40.0 — the best. worker01's grid:
        // coverage 1/n, on time 1/2, satisfaction 2/3, rework 1/2: 100 × (0.4/n + 0.15 + 0.1333 +
        // 0.05) — second. Every other grid: coverage 0 and nothing else, 0.
        let e2_grid = s.grids.iter().find(|l| l.cases.open_overdue == 2).expect("E2's grid");
        let best = s.grids.iter().find(|l| l.standing.best).expect("a best grid");
        assert_eq!(best.name, e2_grid.name);
        assert!((best.score.expect("a score") - 40.0).abs() < 1e-9);
        let mine = s.grids.iter().find(|l| l.name == code).expect("worker01's grid");
        let n = f64::from(mine.enterprises.expect("its enterprises"));
        assert_eq!(mine.standing.rank, Some(2));
        assert!((mine.score.expect("a score") - 100.0 * (0.4 / n + 0.15 + 0.2 * 2.0 / 3.0 + 0.05)).abs() < 1e-6, "{:?}", mine.score);
        assert_eq!(s.grids.iter().filter(|l| l.standing.bottom).count(), 3);
        assert!(s.grids.iter().rev().take(3).all(|l| l.standing.bottom), "the bottom three are the last three");
        for l in &s.grids {
            let n = l.enterprises.expect("a grid's enterprises");
            assert_eq!(l.load, Some(domain::figures::load_of(n)));
        }
        assert_eq!(s.workers.len(), grids, "one worker per demo grid");
        let safety = s.departments.iter().find(|l| l.cases.open == 2).expect("the safety department's line");
        assert_eq!(safety.cases.on_time, Rate::of(0, 2));
        assert_eq!(safety.score, Some(0.0));
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn the_monthly_report_is_an_excel_workbook_with_chinese_sheets_and_the_month_s_figures() {
    use std::io::Read;
    async fn check(app: TestApp) {
        let (m, _, _) = fixture(&app).await;
        let c = manager(&app).await;
        let month = format!("{:04}-{:02}", m.first.year(), m.first.month());
        let r = c.get(app.url(&format!("/api/v1/figures/report.xlsx?month={month}"))).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.headers()["content-disposition"].to_str().expect("ascii").contains(&format!("ZL-{month}-report.xlsx")));
        let bytes = r.bytes().await.expect("bytes");
        let mut book = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx is a zip");
        let mut xml = String::new();
        book.by_name("xl/workbook.xml").expect("a workbook").read_to_string(&mut xml).expect("utf-8");
        for sheet in ["概览", "月度趋势", "各网格", "网格员考核", "网格考核", "部门考核"] {
            assert!(xml.contains(sheet), "sheet {sheet} in {xml}");
        }
        let mut strings = String::new();
        book.by_name("xl/sharedStrings.xml").expect("strings").read_to_string(&mut strings).expect("utf-8");
        assert!(strings.contains("按期办结率") && strings.contains("满意率"), "Chinese headers");
        let mut summary = String::new();
        book.by_name("xl/worksheets/sheet1.xml").expect("the first sheet").read_to_string(&mut summary).expect("utf-8");
        // 按期办结率 2/5 = 0.4 as a number formatted as a percentage; widths set.
        assert!(summary.contains("<v>0.4</v>"), "{summary}");
        assert!(summary.contains("<col "), "column widths");

        // A CSV table of the same month: UTF-8 with a byte-order mark, Chinese headers.
        let r = c.get(app.url(&format!("/api/v1/figures/csv/summary?{}", m.query()))).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::OK);
        let text = r.text().await.expect("text");
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("按期办结率,40.0%"), "{text}");
        let r = c.get(app.url(&format!("/api/v1/figures/csv/nonsense?{}", m.query()))).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn only_the_center_sees_the_figures_and_a_bad_period_is_refused_with_the_reason() {
    async fn check(app: TestApp) {
        for login in ["worker01", "safety"] {
            let c = support::browser();
            assert_eq!(app.sign_in_with(&c, login, support::PASSWORD).await.status(), StatusCode::OK, "{login} signs in");
            let r = c.get(app.url("/api/v1/figures")).send().await.expect("request");
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{login}");
        }
        let anonymous = support::browser();
        assert_eq!(anonymous.get(app.url("/api/v1/figures")).send().await.expect("request").status(), StatusCode::UNAUTHORIZED);
        let c = manager(&app).await;
        let r = c.get(app.url("/api/v1/figures?from=2026-11-10&to=2026-11-01")).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.expect("text").contains("before its first"));
        let r = c.get(app.url("/api/v1/figures?grid=NOPE")).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::CONFLICT);
        let r = c.get(app.url("/api/v1/figures/scorecards?month=2026-13")).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::CONFLICT);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_case_closed_rated_and_reopened_keeps_its_rating_in_the_month_it_was_given_and_is_open_again() {
    use api::cases::{Action, DemandCategory, NewCase, Satisfaction};
    async fn check(app: TestApp) {
        let conn = &app.db.conn;
        let access = |login: &'static str| async move {
            let u = app_user::Entity::find().filter(app_user::Column::Login.eq(login)).one(conn).await.expect("q").expect("account");
            store::access::Access::of(conn, u).await.expect("access")
        };
        let (center, worker) = (access("manager").await, access("worker01").await);
        let (_, e1, _, _) = places(&app).await;
        let new = NewCase { enterprise_id: e1, category: DemandCategory::Policy, description: "来电咨询补贴".into() };
        let id = store::cases::open_at_hall(conn, &center, &new).await.expect("registered").case.id;
        store::cases::act(conn, &center, id, &Action::SolveAtOnce { reply: "当场解答".into() }).await.expect("solved at once");
        let row = service_case::Entity::find_by_id(id).one(conn).await.expect("q").expect("case");
        assert!(row.closed_at.is_some(), "closing sets closed_at");
        store::cases::act(conn, &worker, id, &Action::Rate { satisfaction: Satisfaction::Unsatisfied, solved: false, comment: "没解决".into() })
            .await
            .expect("rated at the next visit");
        let row = service_case::Entity::find_by_id(id).one(conn).await.expect("q").expect("case");
        assert!(row.rated_at.is_some());
        let c = manager(&app).await;
        let before = dashboard(&app, &c, "").await.cases;
        store::cases::act(conn, &center, id, &Action::Reopen { reason: "企业不满意，重新办理".into() }).await.expect("reopened");
        let row = service_case::Entity::find_by_id(id).one(conn).await.expect("q").expect("case");
        assert_eq!((row.closed_at, row.rated_at, row.rating), (None, None, None), "open again, its current rating gone");
        let after = dashboard(&app, &c, "").await.cases;
        // The unsatisfied rating still counts this month; the closing no longer does.
        assert_eq!(after.satisfaction, before.satisfaction);
        assert_eq!(after.closed + 1, before.closed);
        assert_eq!(after.open, before.open + 1);
    }
    on_every_engine!(check);
}
