//! The dashboard's budget (issue 15): each dashboard request p95 ≤ 300 ms server time on a
//! synthetic year of the Taoyuan city — its 10,492 real factories in grids of 20–40 with a
//! worker each, ~100,000 visits, ~20,000 findings and ~30,000 demands over the last year.
//!   cargo run --release -p server --example figures_bench [-- PATH/taoyuan_factories.geojson]
//! With `DATABASE_URL=postgres://…` set, runs on PostgreSQL as well. Each request is timed as
//! the API answers it: `store::figures` and the JSON the server writes (the map's grid shapes
//! included).

#[path = "../tests/support/mod.rs"]
mod support;
mod taoyuan;

use api::figures::FigureQuery;
use chrono::{Datelike, Duration, Utc};
use sea_orm::{EntityTrait, Set};
use std::time::Instant;

const VISITS: usize = 100_000;
const FINDINGS: usize = 20_000;
const DEMANDS: usize = 30_000;

/// A deterministic spread of `0..n` (a multiplicative hash).
fn spread(i: usize, n: usize) -> usize {
    (i.wrapping_mul(2_654_435_761)) % n.max(1)
}

#[tokio::main]
async fn main() {
    // `RUST_LOG=store::figures=debug` shows where a request's time goes.
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_default_env()).init();
    }
    let records = taoyuan::records();
    for engine in support::engines() {
        let db = support::fresh_db(&engine).await;
        let conn = &db.conn;
        let city = taoyuan::load(conn, &records).await;
        let t = Instant::now();
        let now = Utc::now();
        // Which grid (and so which worker) holds each enterprise.
        let members = store::entities::grid_member::Entity::find().all(conn).await.expect("members");
        let grid_of: std::collections::HashMap<i64, i64> = members.iter().map(|m| (m.enterprise_id, m.grid_id)).collect();
        let worker_of: std::collections::HashMap<i64, i64> = city.grids.iter().zip(&city.workers).map(|(g, w)| (g.id, w.id)).collect();
        let ne = city.enterprises.len();
        let mut visits = Vec::with_capacity(VISITS);
        for i in 0..VISITS {
            let e = &city.enterprises[spread(i, ne)];
            let g = grid_of.get(&e.id).copied().unwrap_or(city.grids[0].id);
            let at = now - Duration::minutes((i as i64 * 525_600) / VISITS as i64);
            visits.push(store::entities::visit::ActiveModel {
                id: Set(format!("00000000-0000-4000-8000-{i:012}")),
                enterprise_id: Set(e.id),
                grid_id: Set(g),
                worker_id: Set(worker_of.get(&g).copied().unwrap_or(city.workers[0].id)),
                started_at: Set(at),
                ended_at: Set(at + Duration::minutes(20)),
                lon: Set(Some(e.lon)),
                lat: Set(Some(e.lat)),
                accuracy_m: Set(Some(10.0)),
                met: Set("负责人".into()),
                notes: Set(String::new()),
                satisfaction: Set(Some(5)),
                received_at: Set(at),
            });
        }
        for chunk in visits.chunks(1000) {
            store::entities::visit::Entity::insert_many(chunk.to_vec()).exec_without_returning(conn).await.expect("visits");
        }
        let categories = ["policy", "jobs", "resources", "living", "technology", "social_security"];
        let kinds = ["safety_hazard", "air", "solid_waste", "wastewater", "noise", "hygiene"];
        let mut cases = Vec::with_capacity(DEMANDS + FINDINGS);
        for i in 0..DEMANDS + FINDINGS {
            let finding = i >= DEMANDS;
            let e = &city.enterprises[spread(i + 7, ne)];
            let at = now - Duration::minutes((i as i64 * 525_600) / (DEMANDS + FINDINGS) as i64);
            let limit = Duration::days(5 + (i % 11) as i64);
            // Nine in ten are closed (one in seven of them late); the rest open, some overdue.
            let closed = (i % 10 != 0).then(|| at + if i % 7 == 0 { limit + Duration::days(3) } else { limit / 2 }).filter(|c| *c < now);
            let rated = closed.filter(|_| i % 5 != 0).map(|c| c + Duration::days(2)).filter(|r| *r < now);
            cases.push(store::entities::service_case::ActiveModel {
                park_id: Set(city.park.id),
                enterprise_id: Set(Some(e.id)),
                source: Set(if finding { "finding" } else { "visit" }.into()),
                source_record: Set(None),
                kind: Set(if finding { "finding" } else { "demand" }.into()),
                category: Set(if finding { kinds[i % kinds.len()] } else { categories[i % categories.len()] }.into()),
                grade: Set((finding && i % 6 == 0).then(|| if i % 60 == 0 { "major" } else { "general" }.into())),
                description: Set(format!("合成事项 {i}")),
                stage: Set(if closed.is_some() { "closed" } else { "in_progress" }.into()),
                mode: Set(Some(if i % 3 == 0 { "escalated" } else { "promised" }.into())),
                department_id: Set((i % 3 == 0).then(|| city.departments[i % city.departments.len()].id)),
                owner_id: Set(None),
                deadline_at: Set(Some(at + limit)),
                paused_at: Set(None),
                pending_extension: Set(None),
                replied_by: Set(None),
                rating: Set(rated.map(|_| if i % 11 == 0 { "unsatisfied" } else { "satisfied" }.into())),
                rated_solved: Set(rated.map(|_| true)),
                flagged: Set(false),
                repeat_of: Set(None),
                registered_at: Set(at),
                updated_at: Set(closed.unwrap_or(at)),
                closed_at: Set(closed),
                rework_count: Set(i32::from(i % 13 == 0)),
                extension_count: Set(i32::from(i % 17 == 0)),
                rated_at: Set(rated),
                ..Default::default()
            });
        }
        for chunk in cases.chunks(1000) {
            store::entities::service_case::Entity::insert_many(chunk.to_vec()).exec_without_returning(conn).await.expect("cases");
        }
        // Each rating as the store keeps it (one row per rating given).
        sea_orm::ConnectionTrait::execute_unprepared(conn, "INSERT INTO case_rating (case_id, at, satisfaction, solved) SELECT id, rated_at, rating, TRUE FROM service_case WHERE rating IS NOT NULL AND rated_at IS NOT NULL").await.expect("ratings");
        println!(
            "{:<8} {} enterprises, {} grids and workers, {VISITS} visits, {FINDINGS} findings and {DEMANDS} demands loaded in {:.1} s",
            db.engine,
            ne,
            city.grids.len(),
            t.elapsed().as_secs_f64()
        );

        let manager = store::access::Access::of(conn, city.manager.clone()).await.expect("access");
        let today = domain::calendar::local_date(now);
        let year_ago = today - Duration::days(364);
        let last_month = today.with_day(1).expect("day").checked_sub_months(chrono::Months::new(1)).expect("month");
        let month = format!("{:04}-{:02}", last_month.year(), last_month.month());
        let queries: Vec<(&str, FigureQuery)> = vec![
            ("this month, the whole city", FigureQuery::default()),
            ("a year, the whole city", FigureQuery { from: Some(year_ago), to: Some(today), ..Default::default() }),
            ("this month, one grid", FigureQuery { grid: Some(city.grids[city.grids.len() / 2].code.clone()), ..Default::default() }),
            ("this month, one worker", FigureQuery { worker: Some(city.workers[3].id), ..Default::default() }),
            ("this month, one department", FigureQuery { department: Some(city.departments[0].id), ..Default::default() }),
            ("this month, one category", FigureQuery { category: Some("policy".into()), ..Default::default() }),
        ];
        let rounds = 20;
        for (name, q) in &queries {
            let mut ms = Vec::new();
            let mut bytes = 0;
            for _ in 0..rounds {
                let t = Instant::now();
                let d = store::figures::dashboard(conn, &manager, q, Utc::now()).await.expect("dashboard");
                bytes = serde_json::to_vec(&d).expect("json").len();
                ms.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            println!("{:<8} dashboard, {name:<28} {} · {} KB of JSON", db.engine, taoyuan::percentiles(ms), bytes / 1024);
        }
        let mut ms = Vec::new();
        for _ in 0..rounds {
            let t = Instant::now();
            let s = store::figures::scorecards(conn, &manager, None, Some(&month), Utc::now()).await.expect("scorecards");
            serde_json::to_vec(&s).expect("json");
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        println!("{:<8} scorecards of {month}:          {}", db.engine, taoyuan::percentiles(ms));
        let mut ms = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            store::figures::report(conn, &manager, None, Some(&month), Utc::now()).await.expect("report");
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        println!("{:<8} the monthly report's data:      {}", db.engine, taoyuan::percentiles(ms));
    }
}
