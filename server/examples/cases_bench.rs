//! The inboxes' budget (issue 13): inbox and case-list queries p95 ≤ 100 ms on a synthetic year
//! of the Taoyuan city — its 10,492 real factories partitioned into grids, a worker per grid,
//! and some 30,000 cases over the year at every stage, sent to the six departments.
//!   cargo run --release -p server --example cases_bench [-- PATH/taoyuan_factories.geojson [CASES]]
//! With `DATABASE_URL=postgres://…` set, runs on PostgreSQL as well. Prints, per engine, p50 /
//! p95 / max of: the manager's boxes (all eight, each with every count), a department's open
//! box, a worker's open box, and a case with its timeline — all through `store::cases`, as the
//! API and the pages call it.

#[path = "../tests/support/mod.rs"]
mod support;
mod taoyuan;

use api::cases::CaseBox;
use sea_orm::{EntityTrait, Set};
use std::time::Instant;

#[tokio::main]
async fn main() {
    let total: usize = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(30_000);
    let records = taoyuan::records();
    for engine in support::engines() {
        let db = support::fresh_db(&engine).await;
        let conn = &db.conn;
        let n = records.len();
        let taoyuan::City { park, grids, workers, departments, manager, officer, enterprises, .. } = taoyuan::load(conn, &records).await;
        let enterprises: Vec<i64> = enterprises.into_iter().map(|e| e.id).collect();

        // A year of cases: registered over the last 365 days, at every stage.
        let now = chrono::Utc::now();
        let stages = ["registered", "accepted", "dispatched", "in_progress", "awaiting_material", "verifying", "closed", "closed", "closed", "on_ledger"];
        let categories = ["policy", "jobs", "resources", "living", "technology", "social_security"];
        let t = Instant::now();
        let mut rows = Vec::with_capacity(total);
        for i in 0..total {
            let at = now - chrono::Duration::minutes((i as i64 * 525_600) / total as i64);
            let stage = stages[i % stages.len()];
            let escalated = i % 3 != 0;
            let dept = (escalated && !matches!(stage, "registered" | "accepted")).then(|| departments[i % departments.len()].id);
            rows.push(store::entities::service_case::ActiveModel {
                park_id: Set(park.id),
                enterprise_id: Set(Some(enterprises[(i * 7919) % enterprises.len()])),
                source: Set("visit".into()),
                source_record: Set(None),
                kind: Set("demand".into()),
                category: Set(categories[i % categories.len()].into()),
                description: Set(format!("合成诉求 {i}")),
                stage: Set(stage.into()),
                mode: Set((stage != "registered").then(|| if escalated { "escalated" } else { "promised" }.into())),
                department_id: Set(dept),
                owner_id: Set(Some(workers[i % workers.len()].id)),
                deadline_at: Set((stage != "registered").then(|| at + chrono::Duration::days(14))),
                paused_at: Set((stage == "awaiting_material").then_some(at)),
                pending_extension: Set((i % 97 == 0).then_some(3)),
                replied_by: Set(None),
                rating: Set((stage == "closed" && i % 2 == 0).then(|| "satisfied".into())),
                rated_solved: Set(None),
                flagged: Set(i % 53 == 0),
                repeat_of: Set(None),
                registered_at: Set(at),
                updated_at: Set(at),
                ..Default::default()
            });
        }
        for chunk in rows.chunks(1000) {
            store::entities::service_case::Entity::insert_many(chunk.to_vec()).exec_without_returning(conn).await.expect("cases");
        }
        // Every case's registration event, and a few more for one case to read.
        let ids: Vec<i64> = store::entities::service_case::Entity::find().all(conn).await.expect("cases").into_iter().map(|c| c.id).collect();
        for chunk in ids.chunks(1000) {
            let events = chunk.iter().map(|id| store::entities::case_event::ActiveModel {
                case_id: Set(*id),
                at: Set(now),
                actor_id: Set(None),
                actor_kind: Set("user".into()),
                action: Set("register".into()),
                from_stage: Set(None),
                to_stage: Set("registered".into()),
                detail: Set(None),
                ..Default::default()
            });
            store::entities::case_event::Entity::insert_many(events).exec_without_returning(conn).await.expect("events");
        }
        println!("{:<8} {} enterprises, {} grids and workers, {} cases loaded in {:.1} s", db.engine, n, grids.len(), ids.len(), t.elapsed().as_secs_f64());

        let manager = store::access::Access::of(conn, manager).await.expect("access");
        let officer = store::access::Access::of(conn, officer).await.expect("access");
        let worker = store::access::Access::of(conn, workers[0].clone()).await.expect("access");
        let (mut center, mut department, mut field, mut detail) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for round in 0..20 {
            for b in CaseBox::ALL {
                let t = Instant::now();
                let list = store::cases::list(conn, &manager, Some(park.id), b).await.expect("list");
                center.push(t.elapsed().as_secs_f64() * 1000.0);
                assert!(list.cases.len() <= store::cases::PAGE as usize);
            }
            let t = Instant::now();
            store::cases::list(conn, &officer, None, CaseBox::Open).await.expect("list");
            department.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            store::cases::list(conn, &worker, None, CaseBox::Open).await.expect("list");
            field.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            store::cases::detail(conn, &manager, ids[(round * 1499) % ids.len()]).await.expect("detail");
            detail.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        println!("{:<8} manager's boxes:      {}", db.engine, taoyuan::percentiles(center));
        println!("{:<8} a department's open:  {}", db.engine, taoyuan::percentiles(department));
        println!("{:<8} a worker's open:      {}", db.engine, taoyuan::percentiles(field));
        println!("{:<8} a case and timeline:  {}", db.engine, taoyuan::percentiles(detail));
    }
}
