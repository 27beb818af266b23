//! How long activating a plan takes for a city (issue 5): the Taoyuan factories (10,492), a
//! derived boundary, the partitioner's plan activated, then a second plan (from the first, so
//! that workers carry over) with open findings that must follow their enterprises.
//!   cargo run --release -p server --example activation_bench [-- PATH/taoyuan_factories.geojson]
//! With `DATABASE_URL=postgres://…` set, runs on PostgreSQL as well. Also times the plan
//! editor's load and one preview on that plan.

#[path = "../tests/support/mod.rs"]
mod support;

use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use std::time::Instant;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "../shared/data/taoyuan_factories.geojson".into());
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
        let t = Instant::now();
        store::parks::import(conn, import, None).await.expect("imports");
        let import_ms = ms(t);
        let park = store::parks::pick(conn, Some("TY")).await.expect("query").expect("park");
        let t = Instant::now();
        let first = store::plans::compute_draft(conn, park.id, partition::Limits::default(), None, None).await.expect("partitions");
        let compute_ms = ms(t);
        let t = Instant::now();
        store::plans::activate(conn, first.id, None).await.expect("activates");
        let first_activation_ms = ms(t);
        // A worker per grid, and an open finding at every 10th enterprise.
        let grids = store::entities::grid::Entity::find().all(conn).await.expect("grids");
        let hash = store::auth::hash_password("bench-password");
        for g in grids.iter().filter(|g| g.plan_id == first.id) {
            let u = store::entities::app_user::ActiveModel {
                login: Set(format!("w{}", g.code)),
                display_name: Set(g.code.clone()),
                password_hash: Set(hash.clone()),
                role: Set("worker".into()),
                active: Set(true),
                created_at: Set(chrono::Utc::now()),
                ..Default::default()
            }
            .insert(conn)
            .await
            .expect("user");
            store::entities::grid_assignment::ActiveModel {
                grid_id: Set(g.id),
                user_id: Set(u.id),
                assigned_at: Set(chrono::Utc::now()),
                ..Default::default()
            }
            .insert(conn)
            .await
            .expect("assignment");
        }
        let members = store::entities::grid_member::Entity::find().all(conn).await.expect("members");
        let enterprises = store::entities::enterprise::Entity::find().all(conn).await.expect("enterprises");
        let at: std::collections::HashMap<i64, (f64, f64)> = enterprises.iter().map(|e| (e.id, (e.lon, e.lat))).collect();
        let mut findings = 0;
        for m in members.iter().step_by(10) {
            let (lon, lat) = at[&m.enterprise_id];
            store::entities::finding::ActiveModel {
                id: Set(uuid::Uuid::now_v7().to_string()),
                grid_id: Set(m.grid_id),
                enterprise_id: Set(Some(m.enterprise_id)),
                visit_id: Set(None),
                worker_id: Set(1),
                kind: Set("safety_hazard".into()),
                grade: Set(Some("general".into())),
                description: Set("bench".into()),
                lon: Set(lon),
                lat: Set(lat),
                accuracy_m: Set(None),
                found_at: Set(chrono::Utc::now()),
                deadline: Set(chrono::Utc::now() + chrono::Duration::days(30)),
                status: Set("open".into()),
                closed_at: Set(None),
                received_at: Set(chrono::Utc::now()),
            }
            .insert(conn)
            .await
            .expect("finding");
            findings += 1;
        }
        let second = store::plans::compute_draft(conn, park.id, partition::Limits { min: 15, max: 25 }, None, None).await.expect("partitions again");
        let t = Instant::now();
        store::plans::activate(conn, second.id, None).await.expect("activates again");
        let second_activation_ms = ms(t);
        let t = Instant::now();
        let kept = store::editor::Contexts::default();
        let editor = store::editor::load(conn, &kept, second.id).await.expect("editor loads");
        let load_ms = ms(t);
        let t = Instant::now();
        let preview = store::editor::preview(
            conn,
            &kept,
            second.id,
            editor.preview.grids.iter().map(|g| api::EditGrid { code: g.code.clone(), geometry: g.geometry.clone() }).collect(),
            api::EditOp::None,
        )
        .await
        .expect("preview");
        let preview_ms = ms(t);
        println!(
            "{:<8} {n} enterprises, {} → {} grids: import {import_ms:.0} ms, partition+draft {compute_ms:.0} ms, \
             activation {first_activation_ms:.0} ms (first), {second_activation_ms:.0} ms (with {} workers and {findings} open findings moved); \
             editor load {load_ms:.0} ms, preview {preview_ms:.0} ms",
            db.engine, first.grid_count, second.grid_count, first.grid_count,
        );
        assert!(preview.refused.is_none());
    }
}
