//! Nothing lost, nobody let in: the faults found in review (issue 14), each shown fixed on a
//! fresh demo database, on SQLite and on PostgreSQL.

use crate::support;

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use store::entities::{enterprise, grid, grid_assignment, grid_plan, photo_chunk, session, visit};
use support::{TestApp, id, statuses};

fn minutes_ago(m: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::minutes(m)).to_rfc3339()
}

fn visit_record(enterprise: i64, notes: &str) -> Value {
    json!({ "type": "visit", "id": id(), "enterprise_id": enterprise, "started_at": minutes_ago(90), "ended_at": minutes_ago(80),
            "met": "王经理", "notes": notes, "demands": [] })
}

fn finding_record(enterprise: i64, lon: f64, lat: f64, found_minutes_ago: i64) -> Value {
    json!({ "type": "finding", "id": id(), "enterprise_id": enterprise, "kind": "safety_hazard", "grade": "general",
            "description": "消防通道堆放杂物", "found_at": minutes_ago(found_minutes_ago), "fix": { "lon": lon, "lat": lat }, "photos": [] })
}

fn fixed(finding: &Value, inspected_minutes_ago: i64) -> Value {
    json!({ "type": "reinspection", "id": id(), "finding_id": finding["id"], "result": "fixed", "inspected_at": minutes_ago(inspected_minutes_ago) })
}

async fn active_plan(app: &TestApp) -> grid_plan::Model {
    grid_plan::Entity::find().filter(grid_plan::Column::Status.eq("active")).one(&app.db.conn).await.expect("query").expect("an active plan")
}

/// (grids, current assignments) of a plan.
async fn grids_and_assignments(app: &TestApp, plan_id: i64) -> (usize, usize) {
    let db = &app.db.conn;
    let ids: Vec<i64> = grid::Entity::find().filter(grid::Column::PlanId.eq(plan_id)).all(db).await.expect("grids").into_iter().map(|g| g.id).collect();
    let assigned = grid_assignment::Entity::find_current().filter(grid_assignment::Column::GridId.is_in(ids.clone())).count(db).await.expect("count");
    (ids.len(), assigned as usize)
}

#[tokio::test]
async fn saving_a_draft_while_it_is_activated_never_takes_the_grids_or_the_workers_of_the_active_plan() {
    async fn check(app: TestApp) {
        let db = &app.db.conn;
        let before = grids_and_assignments(&app, active_plan(&app).await.id).await;
        assert_eq!(before.0, before.1, "one worker per demo grid");
        // Race a save of a draft against its activation, the save started at several delays.
        for delay_ms in [0u64, 5, 20, 50] {
            let current = active_plan(&app).await;
            let draft = store::editor::copy(db, current.id, None).await.expect("copy");
            let editor = store::editor::load(db, &Default::default(), draft.id).await.expect("load");
            let grids: Vec<api::EditGrid> = editor.preview.grids.iter().map(|g| api::EditGrid { code: g.code.clone(), geometry: g.geometry.clone() }).collect();
            let save = async {
                tokio::time::sleep(std::time::Duration::from_millis(delay_ms)).await;
                store::editor::save(db, draft.id, grids, None).await
            };
            let (saved, activated) = tokio::join!(save, store::plans::activate(db, draft.id, None));
            let activated = activated.unwrap_or_else(|e| panic!("the activation fails after {delay_ms} ms on {}: {e}", app.db.engine));
            match saved {
                Ok(_) => {}
                Err(store::StoreError::Conflict(m)) => assert!(m.contains("only a draft"), "{m}"),
                Err(e) => panic!("the save fails after {delay_ms} ms on {}: {e}", app.db.engine),
            }
            let after = grids_and_assignments(&app, activated.id).await;
            assert_eq!(after, before, "grids and assigned workers of the active plan after a save {delay_ms} ms into its activation, on {}", app.db.engine);
        }
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_grid_or_an_enterprise_with_field_records_cannot_be_deleted_and_takes_no_record_with_it() {
    async fn check(app: TestApp) {
        let db = &app.db.conn;
        app.sign_in("worker01").await;
        let (e, _, _) = app.my_enterprise().await;
        let v = visit_record(e, "巡查");
        assert_eq!(statuses(&app.sync(&[v.clone()]).await), [api::ReceiptStatus::Created]);
        let stored = visit::Entity::find_by_id(v["id"].as_str().unwrap_or_default().to_owned()).one(db).await.expect("query").expect("visit");
        assert!(grid::Entity::delete_by_id(stored.grid_id).exec(db).await.is_err(), "deleting a grid with visits fails on {}", app.db.engine);
        assert!(enterprise::Entity::delete_by_id(e).exec(db).await.is_err(), "deleting a visited enterprise fails on {}", app.db.engine);
        assert_eq!(visit::Entity::find().count(db).await.expect("count"), 1);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_worker_taken_off_a_grid_cannot_close_its_findings_afterwards_nor_before_they_were_found() {
    async fn check(app: TestApp) {
        use api::ReceiptStatus::*;
        let db = &app.db.conn;
        app.sign_in("worker01").await;
        let (e, lon, lat) = app.my_enterprise().await;
        let f = finding_record(e, lon, lat, 60);
        assert_eq!(statuses(&app.sync(&[f.clone()]).await), [Created]);
        // Dated before the finding: never.
        let early = app.sync(&[fixed(&f, 120)]).await;
        assert_eq!(early[0].status, Rejected);
        assert!(matches!(early[0].rejection, Some(api::Rejection::BeforeFinding { .. })), "{early:?}");
        // The manager takes worker01 off the grid.
        let me: api::Me = app.get("/api/v1/me").await.json().await.expect("me");
        let park = store::parks::pick(db, None).await.expect("park").expect("a park");
        store::staff::unassign(db, park.id, &me.grids[0].code, me.id, None).await.expect("unassign");
        // A re-inspection made now, or dated an hour ahead of the finding… not theirs any more.
        let now = app.sync(&[fixed(&f, 0)]).await;
        assert_eq!(now[0].status, Retry);
        assert_eq!(now[0].rejection, Some(api::Rejection::NotYourGrid { enterprise_id: Some(e) }));
        // …while one they made while they held the grid (a phone that was offline) is theirs.
        assert_eq!(statuses(&app.sync(&[fixed(&f, 30)]).await), [Created]);
        // The history is kept: the assignment ended, it was not deleted.
        let rows = grid_assignment::Entity::find().filter(grid_assignment::Column::UserId.eq(me.id)).all(db).await.expect("rows");
        assert!(rows.iter().any(|a| a.ended_at.is_some()), "{rows:?}");
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn one_record_the_database_fails_on_becomes_its_own_retry_receipt_and_the_batch_goes_on() {
    async fn check(app: TestApp) {
        use api::ReceiptStatus::*;
        let db = &app.db.conn;
        // The database refuses one visit (as it would a value its column cannot hold).
        let trigger = match app.db.engine {
            "sqlite" => vec!["CREATE TRIGGER boom BEFORE INSERT ON visit WHEN NEW.notes = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END"],
            _ => vec![
                "CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN IF NEW.notes = 'boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER boom BEFORE INSERT ON visit FOR EACH ROW EXECUTE FUNCTION boom()",
            ],
        };
        for sql in trigger {
            db.execute_unprepared(sql).await.expect("trigger");
        }
        app.sign_in("worker01").await;
        let (e, lon, lat) = app.my_enterprise().await;
        let mut long_visit = finding_record(e, lon, lat, 10);
        long_visit["visit_id"] = json!("x".repeat(100));
        let receipts = app.sync(&[visit_record(e, "ok"), visit_record(e, "boom"), long_visit, visit_record(e, "ok")]).await;
        assert_eq!(statuses(&receipts), [Created, Retry, Rejected, Created], "{receipts:?} on {}", app.db.engine);
        assert_eq!(receipts[1].rejection, Some(api::Rejection::ServerError));
        assert_eq!(visit::Entity::find().count(db).await.expect("count"), 2);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn records_a_phone_made_for_another_worker_are_refused_whole() {
    async fn check(app: TestApp) {
        app.sign_in("worker01").await;
        let (e, _, _) = app.my_enterprise().await;
        let me: api::Me = app.get("/api/v1/me").await.json().await.expect("me");
        let body = json!({ "author_id": me.id + 1, "records": [visit_record(e, "不是我的")] });
        let r = app.client.post(app.url("/api/v1/sync")).json(&body).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert_eq!(visit::Entity::find().count(&app.db.conn).await.expect("count"), 0);
        let body = json!({ "author_id": me.id, "records": [visit_record(e, "我的")] });
        let r = app.client.post(app.url("/api/v1/sync")).json(&body).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::OK);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_photo_is_stored_as_the_chunks_it_arrived_in_never_rewritten() {
    async fn check(app: TestApp) {
        app.sign_in("worker01").await;
        let (e, lon, lat) = app.my_enterprise().await;
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
        bytes.resize(300_000, 7);
        let photo_id = id();
        let mut f = finding_record(e, lon, lat, 10);
        f["photos"] = json!([{ "id": photo_id, "content_type": "image/jpeg", "size": bytes.len(), "taken_at": minutes_ago(10) }]);
        assert_eq!(statuses(&app.sync(&[f]).await), [api::ReceiptStatus::Created]);
        for (i, chunk) in bytes.chunks(100_000).enumerate() {
            let r = app
                .client
                .put(app.url(&format!("/api/v1/photos/{photo_id}")))
                .header("Upload-Offset", (i * 100_000).to_string())
                .body(chunk.to_vec())
                .send()
                .await
                .expect("request");
            assert_eq!(r.status(), StatusCode::OK);
        }
        let chunks = photo_chunk::Entity::find().filter(photo_chunk::Column::PhotoId.eq(photo_id.clone())).all(&app.db.conn).await.expect("chunks");
        assert_eq!(chunks.iter().map(|c| (c.byte_offset, c.data.len())).collect::<Vec<_>>(), [(0, 100_000), (100_000, 100_000), (200_000, 100_000)]);
        let got = app.get(&format!("/api/v1/photos/{photo_id}")).await;
        assert_eq!(got.headers().get("x-content-type-options").and_then(|v| v.to_str().ok()), Some("nosniff"));
        assert!(got.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).is_some_and(|p| p.contains("sandbox")));
        assert_eq!(got.bytes().await.expect("bytes").to_vec(), bytes);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_request_from_another_site_cannot_sign_in_nor_change_anything() {
    async fn check(app: TestApp) {
        let evil = support::browser();
        // A form another site posts to the sign-in server function.
        let r = evil
            .post(app.url("/rpc/login"))
            .header("Origin", "https://evil.example")
            .form(&[("login", "manager"), ("password", support::PASSWORD)])
            .send()
            .await
            .expect("request");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert!(r.headers().get("set-cookie").is_none());
        let r = evil
            .post(app.url("/api/v1/session"))
            .header("Sec-Fetch-Site", "cross-site")
            .json(&json!({ "login": "manager", "password": support::PASSWORD }))
            .send()
            .await
            .expect("request");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        // Signed in, the victim's browser is made to post cross-site: refused, nothing written.
        app.sign_in("worker01").await;
        let (e, _, _) = app.my_enterprise().await;
        let r = app
            .client
            .post(app.url("/api/v1/sync"))
            .header("Sec-Fetch-Site", "cross-site")
            .json(&json!({ "records": [visit_record(e, "伪造")] }))
            .send()
            .await
            .expect("request");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert_eq!(visit::Entity::find().count(&app.db.conn).await.expect("count"), 0);
        // The same request from the site itself passes.
        let r = app
            .client
            .post(app.url("/api/v1/sync"))
            .header("Sec-Fetch-Site", "same-origin")
            .json(&json!({ "records": [visit_record(e, "本人")] }))
            .send()
            .await
            .expect("request");
        assert_eq!(r.status(), StatusCode::OK);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn pages_carry_a_content_security_policy_whose_nonce_is_on_their_inline_scripts_and_are_never_framed() {
    async fn check(app: TestApp) {
        let r = app.page("/login").await;
        let header = |name: &str| r.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"));
        assert_eq!(header("x-frame-options").as_deref(), Some("DENY"));
        assert_eq!(header("referrer-policy").as_deref(), Some("same-origin"));
        assert_eq!(header("cache-control").as_deref(), Some("no-store"));
        let csp = header("content-security-policy").expect("a policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce").to_owned();
        let html = r.text().await.expect("html");
        let inline = html.matches("<script").filter(|tag| !tag.is_empty()).count();
        assert!(inline > 0);
        for script in html.split("<script").skip(1) {
            let (tag, rest) = script.split_once('>').unwrap_or_default();
            let empty = rest.starts_with("</script>");
            assert!(
                tag.contains("src=") || empty || tag.contains(&format!("nonce=\"{nonce}\"")),
                "an inline script without the nonce: <script{tag}>{}",
                rest.get(..60).unwrap_or(rest)
            );
        }
        // The field app's shell has no inline script at all.
        app.sign_in("worker01").await;
        let field = app.page("/field").await;
        assert!(field.headers().get("content-security-policy").is_some());
        let html = field.text().await.expect("html");
        for script in html.split("<script").skip(1) {
            assert!(script.split('>').next().unwrap_or_default().contains("src="), "an inline script in /field");
        }
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn an_export_opened_in_a_spreadsheet_runs_no_formula_from_an_imported_name() {
    async fn check(app: TestApp) {
        use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
        let db = &app.db.conn;
        let e = enterprise::Entity::find().one(db).await.expect("query").expect("an enterprise");
        let mut am = e.clone().into_active_model();
        am.name = Set("=HYPERLINK(\"http://evil.example\",\"点我\")".to_owned());
        am.update(db).await.expect("rename");
        app.sign_in("manager").await;
        let csv = app.get("/api/v1/export/enterprises.csv").await.text().await.expect("csv");
        assert!(csv.contains("'=HYPERLINK("), "{}", csv.lines().find(|l| l.contains("HYPERLINK")).unwrap_or_default());
        assert!(!csv.contains(",=HYPERLINK(") && !csv.contains(",\"=HYPERLINK("));
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_session_left_unused_for_its_idle_time_is_over() {
    async fn check(app: TestApp) {
        use sea_orm::sea_query::Expr;
        app.sign_in("worker01").await;
        assert_eq!(app.get("/api/v1/me").await.status(), StatusCode::OK);
        let idle = chrono::Utc::now() - chrono::Duration::hours(store::auth::IDLE_HOURS + 1);
        session::Entity::update_many().col_expr(session::Column::LastSeenAt, Expr::value(idle)).exec(&app.db.conn).await.expect("age the session");
        assert_eq!(app.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_plan_too_large_to_check_is_refused_with_the_reason_before_any_work() {
    async fn check(app: TestApp) {
        let db = &app.db.conn;
        let draft = store::editor::copy(db, active_plan(&app).await.id, None).await.expect("copy");
        let n = domain::geometry::MAX_POSITIONS + 1;
        let ring: Vec<[f64; 2]> = (0..n)
            .map(|i| {
                let a = i as f64 / (n - 1) as f64 * std::f64::consts::TAU;
                [121.2 + 0.01 * a.cos(), 24.95 + 0.01 * a.sin()]
            })
            .collect();
        let huge = api::EditGrid { code: "ZL001".into(), geometry: json!({ "type": "Polygon", "coordinates": [ring] }) };
        let err = store::editor::save(db, draft.id, vec![huge], None).await.expect_err("refused");
        // Refused on counting the positions (the message says so), not after checking them.
        assert!(err.to_string().contains(&format!("{n} positions; at most")), "{err}");
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn three_servers_starting_at_once_on_an_empty_database_all_start_and_migrate_it_once() {
    for engine in support::engines() {
        // An empty database, as a new cluster's is: each server migrates it as it starts.
        let db = support::empty_db(&engine).await;
        let starts = (0..3).map(|_| async {
            let peer = support::start_peer(&db.url, server::config::DEFAULT_JOBS_EVERY).await;
            let ready = reqwest::get(format!("{}/ready", peer.base)).await.expect("ready").status();
            peer.stop.send(()).ok();
            peer.served.await.expect("stops").expect("served");
            ready
        });
        let answers = futures::future::join_all(starts).await;
        assert_eq!(answers, [StatusCode::OK; 3], "on {}", db.engine);
        use migrations::MigratorTrait;
        let applied = migrations::Migrator::get_applied_migrations(&db.conn).await.expect("applied");
        assert_eq!(applied.len(), migrations::Migrator::migrations().len(), "every migration applied once on {}", db.engine);
    }
}

#[tokio::test]
async fn a_server_told_to_stop_finishes_the_sync_under_way_and_stops_taking_work() {
    for engine in support::engines() {
        let db = support::fresh_db(&engine).await;
        support::load_demo(&db.conn).await;
        let support::Peer { base, stop, served: running } = support::start_peer(&db.url, server::config::DEFAULT_JOBS_EVERY).await;
        let client = support::browser();
        let r =
            client.post(format!("{base}/api/v1/session")).json(&json!({ "login": "worker01", "password": support::PASSWORD })).send().await.expect("sign in");
        assert_eq!(r.status(), StatusCode::OK);
        let field: api::FieldData = client.get(format!("{base}/api/v1/my/field")).send().await.expect("request").json().await.expect("field");
        let e = field.enterprises[0].id;
        let records: Vec<Value> = (0..800).map(|i| visit_record(e, &format!("停机前 {i}"))).collect();
        // A big sync is sent; the stop comes while it is being stored.
        let sending = tokio::spawn({
            let client = client.clone();
            let url = format!("{base}/api/v1/sync");
            async move { client.post(url).json(&json!({ "records": records })).send().await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        let _ = stop.send(());
        let reply = sending.await.expect("task").expect("the sync under way is answered");
        assert_eq!(reply.status(), StatusCode::OK, "on {}", db.engine);
        let receipts: api::SyncReply = reply.json().await.expect("receipts");
        assert!(receipts.receipts.iter().all(|r| r.status == api::ReceiptStatus::Created));
        running.await.expect("task").expect("the server stops cleanly");
        assert_eq!(visit::Entity::find().count(&db.conn).await.expect("count"), 800, "on {}", db.engine);
        // Stopped: no new work is taken.
        assert!(client.get(format!("{base}/ready")).send().await.is_err());
    }
}

#[tokio::test]
async fn every_limit_is_answered_with_a_clear_error_naming_it() {
    async fn check(app: TestApp) {
        app.sign_in("worker01").await;
        let (e, _, _) = app.my_enterprise().await;
        // More records than one sync takes.
        let many: Vec<Value> = (0..1001).map(|_| visit_record(e, "")).collect();
        let r = app.client.post(app.url("/api/v1/sync")).json(&json!({ "records": many })).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: api::ApiError = r.json().await.expect("json error");
        assert!(body.message.contains("1001 records") && body.message.contains("at most 1000"), "{}", body.message);
        // A body over the limit.
        let big = json!({ "records": [visit_record(e, &"长".repeat(800_000))] });
        let r = app.client.post(app.url("/api/v1/sync")).json(&big).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let body: api::ApiError = r.json().await.expect("json error");
        assert!(body.message.contains("2 MB"), "{}", body.message);
        // A photo announced over its limit rejects its record, saying so.
        let mut f = finding_record(e, 121.2, 24.9, 10);
        f["photos"] = json!([{ "id": id(), "content_type": "image/jpeg", "size": domain::field::MAX_PHOTO_BYTES + 1, "taken_at": minutes_ago(10) }]);
        let receipts = app.sync(&[f]).await;
        assert_eq!(receipts[0].status, api::ReceiptStatus::Rejected);
        assert!(receipts[0].reason.as_deref().unwrap_or_default().contains("is more than"), "{:?}", receipts[0]);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_draft_saved_in_the_editor_has_its_workloads_weighed_as_the_partitioner_weighs_them() {
    async fn check(app: TestApp) {
        use sea_orm::sea_query::Expr;
        let db = &app.db.conn;
        // Every site weighs 1, or one of them 10.
        let app = &app;
        let figures_after_save = |heavy: f64| async move {
            enterprise::Entity::update_many().col_expr(enterprise::Column::WorkloadWeight, Expr::value(1.0)).exec(db).await.expect("weights");
            let first = enterprise::Entity::find().one(db).await.expect("query").expect("an enterprise");
            enterprise::Entity::update_many()
                .col_expr(enterprise::Column::WorkloadWeight, Expr::value(heavy))
                .filter(enterprise::Column::Id.eq(first.id))
                .exec(db)
                .await
                .expect("one site's weight");
            let draft = store::editor::copy(db, active_plan(app).await.id, None).await.expect("copy");
            let editor = store::editor::load(db, &Default::default(), draft.id).await.expect("load");
            let grids: Vec<api::EditGrid> = editor.preview.grids.iter().map(|g| api::EditGrid { code: g.code.clone(), geometry: g.geometry.clone() }).collect();
            store::editor::save(db, draft.id, grids, None).await.expect("save").figures.expect("figures")
        };
        let plain = figures_after_save(1.0).await;
        let heavy = figures_after_save(10.0).await;
        // The counts are the same; the workloads are not, and the figures say so.
        assert_eq!((plain.min_count, plain.max_count), (heavy.min_count, heavy.max_count));
        assert!(heavy.workload_cv > plain.workload_cv, "CV with a site weighing 10: {} against {}", heavy.workload_cv, plain.workload_cv);
    }
    on_every_engine!(check);
}
