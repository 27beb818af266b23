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

use api::cases::CaseBox;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use std::time::Instant;

fn percentiles(mut ms: Vec<f64>) -> String {
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms[((ms.len() as f64 * p).ceil() as usize).saturating_sub(1).min(ms.len() - 1)];
    format!("p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms ({} queries)", at(0.5), at(0.95), at(1.0), ms.len())
}

async fn user(conn: &sea_orm::DatabaseConnection, login: &str, role: &str, department: Option<i64>, park: i64) -> store::entities::app_user::Model {
    let u = store::entities::app_user::ActiveModel {
        login: Set(login.into()),
        display_name: Set(login.into()),
        password_hash: Set(String::new()),
        role: Set(role.into()),
        active: Set(true),
        created_at: Set(chrono::Utc::now()),
        department_id: Set(department),
        ..Default::default()
    }
    .insert(conn)
    .await
    .expect("user");
    store::users::set_parks(conn, u.id, &[park]).await.expect("park");
    u
}

#[tokio::main]
async fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "../shared/data/taoyuan_factories.geojson".into());
    let total: usize = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(30_000);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let records = domain::enterprise::parse_geojson(&text).expect("the city's factories parse");
    let sites: Vec<partition::Site> =
        records.iter().map(|r| partition::Site { id: r.external_id.clone(), lon: r.position.lon, lat: r.position.lat, weight: 1.0 }).collect();
    let boundary = domain::Boundary::from_multi_polygon(partition::derive_boundary(&sites, 1000.0, 50.0));
    for engine in support::engines() {
        let db = support::fresh_db(&engine).await;
        let conn = &db.conn;
        let n = records.len();
        let import = store::parks::ParkImport {
            code: "TY".into(),
            name: "桃园市".into(),
            boundary: boundary.clone(),
            enterprises: records.clone(),
            locations: (0..n).map(domain::enterprise::Location::Feature).collect(),
        };
        store::parks::import(conn, import, None).await.expect("imports");
        let park = store::parks::pick(conn, Some("TY")).await.expect("query").expect("park");
        let plan = store::plans::compute_draft(conn, park.id, partition::Limits::default(), None, None).await.expect("partitions");
        store::plans::activate(conn, plan.id, None).await.expect("activates");
        let grids: Vec<_> = store::entities::grid::Entity::find().all(conn).await.expect("grids").into_iter().filter(|g| g.plan_id == plan.id).collect();
        let mut workers = Vec::new();
        for g in &grids {
            let u = user(conn, &format!("w{}", g.code), "worker", None, park.id).await;
            store::entities::grid_assignment::ActiveModel { grid_id: Set(g.id), user_id: Set(u.id), assigned_at: Set(chrono::Utc::now()), ..Default::default() }
                .insert(conn)
                .await
                .expect("assignment");
            workers.push(u);
        }
        let departments = store::departments::list(conn).await.expect("departments");
        let manager = user(conn, "bench-manager", "manager", None, park.id).await;
        let officer = user(conn, "bench-safety", "department", Some(departments[0].id), park.id).await;

        // A year of cases: registered over the last 365 days, at every stage.
        let enterprises: Vec<i64> = store::entities::enterprise::Entity::find().all(conn).await.expect("enterprises").into_iter().map(|e| e.id).collect();
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
        println!("{:<8} manager's boxes:      {}", db.engine, percentiles(center));
        println!("{:<8} a department's open:  {}", db.engine, percentiles(department));
        println!("{:<8} a worker's open:      {}", db.engine, percentiles(field));
        println!("{:<8} a case and timeline:  {}", db.engine, percentiles(detail));
    }
}
