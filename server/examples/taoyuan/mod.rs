#![allow(dead_code)] // each benchmark uses a part of the city
//! The benchmarks' city: the Taoyuan factories (10,492, real) imported as one park, partitioned
//! into grids of 20–40 and activated, a worker per grid, a manager and a department officer.
//! Shared by `cases_bench` and `figures_bench` (included with `#[path]`).

use sea_orm::{ActiveModelTrait, EntityTrait, Set};

pub struct City {
    pub park: store::entities::park::Model,
    pub grids: Vec<store::entities::grid::Model>,
    pub workers: Vec<store::entities::app_user::Model>,
    pub enterprises: Vec<store::entities::enterprise::Model>,
    pub departments: Vec<api::Department>,
    pub manager: store::entities::app_user::Model,
    pub officer: store::entities::app_user::Model,
}

/// The city's factories, parsed (the first argument, else the shared data folder's file).
pub fn records() -> Vec<domain::EnterpriseRecord> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "../shared/data/taoyuan_factories.geojson".into());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    domain::enterprise::parse_geojson(&text).expect("the city's factories parse")
}

pub async fn user(conn: &sea_orm::DatabaseConnection, login: &str, role: &str, department: Option<i64>, park: i64) -> store::entities::app_user::Model {
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

/// Imports, partitions and staffs the city in `conn`.
pub async fn load(conn: &sea_orm::DatabaseConnection, records: &[domain::EnterpriseRecord]) -> City {
    let sites: Vec<partition::Site> =
        records.iter().map(|r| partition::Site { id: r.external_id.clone(), lon: r.position.lon, lat: r.position.lat, weight: 1.0 }).collect();
    let boundary = domain::Boundary::from_multi_polygon(partition::derive_boundary(&sites, 1000.0, 50.0));
    let n = records.len();
    let import = store::parks::ParkImport {
        code: "TY".into(),
        name: "桃园市".into(),
        boundary,
        enterprises: records.to_vec(),
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
    let enterprises = store::entities::enterprise::Entity::find().all(conn).await.expect("enterprises");
    City { park, grids, workers, enterprises, departments, manager, officer }
}

/// p50 / p95 / max of timings in milliseconds.
pub fn percentiles(mut ms: Vec<f64>) -> String {
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms[((ms.len() as f64 * p).ceil() as usize).saturating_sub(1).min(ms.len() - 1)];
    format!("p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms ({} requests)", at(0.5), at(0.95), at(1.0), ms.len())
}
