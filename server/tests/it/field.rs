//! The field app's sync and photo uploads over HTTP, on a fresh demo database (SQLite, and
//! PostgreSQL when `DATABASE_URL` names one).

use crate::support;

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use store::entities::{demand, enterprise, finding, grid, grid_member, photo, reinspection, visit};
use support::{TestApp, id, statuses};

fn hours_ago(h: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::hours(h)).to_rfc3339()
}

/// An enterprise in grid `code` of the active plan.
async fn enterprise_in(app: &TestApp, code: &str) -> i64 {
    let g = grid::Entity::find().filter(grid::Column::Code.eq(code)).one(&app.db.conn).await.expect("query").expect("grid");
    grid_member::Entity::find().filter(grid_member::Column::GridId.eq(g.id)).one(&app.db.conn).await.expect("query").expect("member").enterprise_id
}

fn visit_record(enterprise: i64) -> Value {
    json!({ "type": "visit", "id": id(), "enterprise_id": enterprise, "started_at": hours_ago(2), "ended_at": hours_ago(1),
            "fix": { "lon": 121.24, "lat": 24.97, "accuracy_m": 12.0 }, "met": "王经理", "notes": "生产正常",
            "demands": [{ "id": id(), "category": "jobs", "description": "招工难，需要对接人社部门" }], "satisfaction": 4 })
}

fn finding_record(enterprise: Option<i64>, lon: f64, lat: f64, photos: Value) -> Value {
    json!({ "type": "finding", "id": id(), "enterprise_id": enterprise, "kind": "safety_hazard", "grade": "general",
            "description": "消防通道堆放杂物", "found_at": hours_ago(1), "fix": { "lon": lon, "lat": lat, "accuracy_m": 8.0 }, "photos": photos })
}

async fn counts(app: &TestApp) -> [u64; 4] {
    let db = &app.db.conn;
    [
        visit::Entity::find().count(db).await.expect("count"),
        demand::Entity::find().count(db).await.expect("count"),
        finding::Entity::find().count(db).await.expect("count"),
        reinspection::Entity::find().count(db).await.expect("count"),
    ]
}

#[tokio::test]
async fn the_same_batch_sent_three_times_is_stored_once() {
    async fn check(app: TestApp) {
        use api::ReceiptStatus::*;
        app.sign_in("worker01").await;
        let (e, lon, lat) = app.my_enterprise().await;
        let f = finding_record(Some(e), lon, lat, json!([]));
        let again = json!({ "type": "reinspection", "id": id(), "finding_id": f["id"], "result": "partly_fixed",
                            "inspected_at": hours_ago(0), "new_deadline": (chrono::Utc::now() + chrono::Duration::days(7)).to_rfc3339() });
        let batch = [visit_record(e), f, again];
        assert_eq!(statuses(&app.sync(&batch).await), [Created, Created, Created]);
        assert_eq!(statuses(&app.sync(&batch).await), [Duplicate, Duplicate, Duplicate]);
        assert_eq!(statuses(&app.sync(&batch).await), [Duplicate, Duplicate, Duplicate]);
        assert_eq!(counts(&app).await, [1, 1, 1, 1], "visits, demands, findings, re-inspections on {}", app.db.engine);
        // The re-inspection (partly fixed) kept the finding open, with the new deadline.
        let data: api::FieldData = app.get("/api/v1/my/field").await.json().await.expect("field data");
        assert_eq!(data.open_findings.len(), 1);
        let visited = data.enterprises.iter().find(|x| x.id == e).expect("the enterprise");
        assert_eq!(visited.visit, api::VisitStatus::Visited);
        assert_eq!(visited.open_findings, 1);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_stored_finding_whose_id_is_damaged_is_left_out_and_the_rest_of_the_field_data_arrives() {
    async fn check(app: TestApp) {
        use sea_orm::sea_query::Expr;
        app.sign_in("worker01").await;
        let (e, lon, lat) = app.my_enterprise().await;
        let (kept, damaged) = (finding_record(Some(e), lon, lat, json!([])), finding_record(Some(e), lon, lat, json!([])));
        let before: api::FieldData = app.get("/api/v1/my/field").await.json().await.expect("field data");
        app.sync(&[kept.clone(), damaged.clone(), visit_record(e)]).await;
        // A row written by hand, or damaged: its id is not a record id.
        finding::Entity::update_many()
            .col_expr(finding::Column::Id, Expr::value("damaged-row"))
            .filter(finding::Column::Id.eq(damaged["id"].as_str().expect("id")))
            .exec(&app.db.conn)
            .await
            .expect("damage the row");
        let data: api::FieldData = app.get("/api/v1/my/field").await.json().await.expect("field data");
        let ids: Vec<&str> = data.open_findings.iter().map(|f| f.id.as_str()).collect();
        assert!(ids.contains(&kept["id"].as_str().expect("id")), "the sound finding is listed on {}", app.db.engine);
        assert_eq!(data.open_findings.len(), before.open_findings.len() + 1, "the damaged one is not");
        assert_eq!(data.recent_visits.len(), before.recent_visits.len() + 1, "the visit arrives");
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn two_concurrent_sends_of_one_batch_store_each_record_once() {
    async fn check(app: TestApp) {
        app.sign_in("worker01").await;
        let (e, lon, lat) = app.my_enterprise().await;
        let batch: Vec<Value> = (0..20).map(|i| if i % 2 == 0 { visit_record(e) } else { finding_record(Some(e), lon, lat, json!([])) }).collect();
        let (a, b) = tokio::join!(app.sync(&batch), app.sync(&batch));
        for (x, y) in a.iter().zip(&b) {
            let created = [x.status, y.status].iter().filter(|s| **s == api::ReceiptStatus::Created).count();
            assert_eq!(created, 1, "record {} created {created} times on {}", x.id, app.db.engine);
        }
        assert_eq!(counts(&app).await, [10, 10, 10, 0]);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_bad_record_among_good_ones_is_rejected_alone_with_its_reason() {
    async fn check(app: TestApp) {
        use api::ReceiptStatus::*;
        app.sign_in("worker01").await;
        let (e, lon, lat) = app.my_enterprise().await;
        let mut malformed = visit_record(e);
        malformed["satisfaction"] = json!("very");
        let mut major = finding_record(Some(e), lon, lat, json!([]));
        major["grade"] = json!("major");
        let receipts = app.sync(&[visit_record(e), malformed, major, finding_record(Some(e), lon, lat, json!([]))]).await;
        assert_eq!(statuses(&receipts), [Created, Rejected, Rejected, Created]);
        assert!(receipts[1].reason.as_deref().unwrap_or_default().contains("not a valid record"), "{:?}", receipts[1]);
        assert_eq!(receipts[2].reason.as_deref(), Some("a major hazard needs a rectification deadline"));
        assert_eq!(counts(&app).await, [1, 1, 1, 0]);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_worker_may_write_only_about_their_own_grid() {
    async fn check(app: TestApp) {
        use api::ReceiptStatus::*;
        app.sign_in("worker01").await;
        let theirs = enterprise_in(&app, "ZL002").await;
        let e = enterprise::Entity::find_by_id(theirs).one(&app.db.conn).await.expect("query").expect("enterprise");
        // A patrol finding far outside the worker's grid, with no enterprise.
        let receipts = app.sync(&[visit_record(theirs), finding_record(None, e.lon, e.lat, json!([]))]).await;
        // Not theirs: not stored, but not final either (an assignment may still be recorded).
        assert_eq!(statuses(&receipts), [Retry, Retry]);
        assert_eq!(receipts[0].rejection, Some(api::Rejection::NotYourGrid { enterprise_id: Some(theirs) }));
        assert_eq!(receipts[1].rejection, Some(api::Rejection::NotYourGrid { enterprise_id: None }));
        assert_eq!(counts(&app).await, [0, 0, 0, 0]);

        // A department cannot record field work at all.
        let dept = support::browser();
        assert_eq!(app.sign_in_with(&dept, "safety", support::PASSWORD).await.status(), StatusCode::OK);
        let r = dept.post(app.url("/api/v1/sync")).json(&json!({ "records": [visit_record(theirs)] })).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    on_every_engine!(check);
}

/// The start of a JPEG (SOI, APP0 "JFIF") and filler: enough for the server's type check.
fn jpeg(len: usize) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01];
    b.resize(len, 0x42);
    b
}

#[tokio::test]
async fn a_photo_uploads_in_chunks_resumes_after_a_wrong_offset_and_must_be_an_image() {
    async fn check(app: TestApp) {
        app.sign_in("worker01").await;
        let (e, lon, lat) = app.my_enterprise().await;
        let bytes = jpeg(250_000);
        let (photo_id, pdf_id) = (id(), id());
        let photos = json!([
            { "id": photo_id, "content_type": "image/jpeg", "size": bytes.len(), "taken_at": hours_ago(1), "fix": { "lon": lon, "lat": lat } },
            { "id": pdf_id, "content_type": "image/jpeg", "size": 1000, "taken_at": hours_ago(1) }
        ]);
        assert_eq!(statuses(&app.sync(&[finding_record(Some(e), lon, lat, photos)]).await), [api::ReceiptStatus::Created]);
        let put = |id: &str, offset: usize, body: Vec<u8>| {
            app.client.put(app.url(&format!("/api/v1/photos/{id}"))).header("Upload-Offset", offset.to_string()).body(body).send()
        };
        let r = put(&photo_id, 0, bytes[..100_000].to_vec()).await.expect("request");
        assert_eq!(r.status(), StatusCode::OK);
        // The phone lost the answer and resends from a wrong place: told where to resume.
        let r = put(&photo_id, 50_000, bytes[50_000..].to_vec()).await.expect("request");
        assert_eq!(r.status(), StatusCode::CONFLICT);
        let head = app.client.head(app.url(&format!("/api/v1/photos/{photo_id}"))).send().await.expect("request");
        assert_eq!(head.headers().get("upload-offset").and_then(|v| v.to_str().ok()), Some("100000"));
        let done: api::PhotoProgress = put(&photo_id, 100_000, bytes[100_000..].to_vec()).await.expect("request").json().await.expect("progress");
        assert!(done.complete && done.received == 250_000, "{done:?}");
        let got = app.get(&format!("/api/v1/photos/{photo_id}")).await;
        assert_eq!(got.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("image/jpeg"));
        assert_eq!(got.bytes().await.expect("bytes").to_vec(), bytes);

        // Not an image: refused, nothing kept.
        let r = put(&pdf_id, 0, b"%PDF-1.7 not a photo at all".to_vec()).await.expect("request");
        assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let held = photo::Entity::find_by_id(pdf_id.clone()).one(&app.db.conn).await.expect("query").expect("photo");
        assert_eq!(held.received, 0);
        // More than announced: refused.
        let r = put(&pdf_id, 0, jpeg(1001)).await.expect("request");
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);

        // A photo announced larger than the limit rejects its record.
        let big = json!([{ "id": id(), "content_type": "image/jpeg", "size": domain::field::MAX_PHOTO_BYTES + 1, "taken_at": hours_ago(1) }]);
        let receipts = app.sync(&[finding_record(Some(e), lon, lat, big)]).await;
        assert_eq!(statuses(&receipts), [api::ReceiptStatus::Rejected]);
        assert!(receipts[0].reason.as_deref().unwrap_or_default().contains("is more than"), "{:?}", receipts[0]);

        // Another worker may not add to this worker's photo.
        let other = support::browser();
        assert_eq!(app.sign_in_with(&other, "worker02", support::PASSWORD).await.status(), StatusCode::OK);
        let r = other.put(app.url(&format!("/api/v1/photos/{pdf_id}"))).body(jpeg(1000)).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_visit_made_before_a_repartition_moved_its_enterprise_is_still_accepted_from_the_worker_then_assigned() {
    async fn check(app: TestApp) {
        use api::ReceiptStatus::*;
        use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
        use store::entities::grid_plan;
        let db = &app.db.conn;
        app.sign_in("worker01").await;
        let (e, _, _) = app.my_enterprise().await;
        // The demo's plan has been active for three days.
        let first = grid_plan::Entity::find().filter(grid_plan::Column::Status.eq("active")).one(db).await.expect("query").expect("active plan");
        let mut am = first.clone().into_active_model();
        am.activated_at = Set(Some(chrono::Utc::now() - chrono::Duration::days(3)));
        am.update(db).await.expect("backdate");
        // A new plan with the same grids, in which the enterprise has moved from ZL001 to ZL002.
        let grids = grid::Entity::find().filter(grid::Column::PlanId.eq(first.id)).all(db).await.expect("grids");
        let new_grids = grids
            .iter()
            .map(|g| store::plans::NewGrid {
                code: domain::GridCode::parse("ZL", &g.code).expect("code"),
                name: g.name.clone(),
                area: domain::geometry::boundary_from_geometry_json(&serde_json::from_str(&g.geometry).expect("json")).expect("area"),
            })
            .collect();
        let second = store::plans::create_draft(db, first.park_id, "moved", new_grids, None).await.expect("draft");
        store::plans::refresh_membership(db, &second).await.expect("membership");
        store::plans::activate(db, second.id, None).await.expect("activates");
        let in_second = |code: &'static str| {
            let plan = second.id;
            async move {
                grid::Entity::find().filter(grid::Column::PlanId.eq(plan)).filter(grid::Column::Code.eq(code)).one(db).await.expect("query").expect("grid").id
            }
        };
        let (to, from) = (in_second("ZL002").await, in_second("ZL001").await);
        grid_member::Entity::delete_many()
            .filter(grid_member::Column::GridId.eq(from))
            .filter(grid_member::Column::EnterpriseId.eq(e))
            .exec(db)
            .await
            .expect("move out");
        grid_member::ActiveModel { grid_id: Set(to), enterprise_id: Set(e) }.insert(db).await.expect("move in");

        // Recorded two hours ago, when it was in worker01's grid: accepted, filed under that grid.
        let before = visit_record(e);
        let mut after = visit_record(e);
        after["started_at"] = json!(hours_ago(0));
        after["ended_at"] = json!(hours_ago(0));
        assert_eq!(statuses(&app.sync(&[before.clone(), after]).await), [Created, Retry]);
        let stored = visit::Entity::find_by_id(before["id"].as_str().unwrap_or_default().to_owned()).one(db).await.expect("query").expect("visit");
        let old = grid::Entity::find_by_id(stored.grid_id).one(db).await.expect("query").expect("grid");
        assert_eq!((old.plan_id, old.code.as_str()), (first.id, "ZL001"));
    }
    on_every_engine!(check);
}
