//! The JSON API over HTTP, against the real server and a fresh database (SQLite, and
//! PostgreSQL when `DATABASE_URL` names one).

use crate::support;

use reqwest::StatusCode;
use reqwest::header::{RETRY_AFTER, SET_COOKIE};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use std::collections::BTreeSet;
use store::entities::{enterprise, grid_member};
use support::TestApp;

#[tokio::test]
async fn signing_in_sets_an_http_only_session_cookie_and_me_names_the_user_and_grid() {
    async fn check(app: TestApp) {
        let r = app.sign_in_with(&app.client, "worker01", support::PASSWORD).await;
        assert_eq!(r.status(), StatusCode::OK);
        let cookie = r.headers().get(SET_COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        assert!(cookie.starts_with("parkgrid_session="), "{cookie}");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        let me: api::Me = app.get("/api/v1/me").await.json().await.expect("me");
        assert_eq!(me.login, "worker01");
        assert_eq!(me.role, api::Role::Worker);
        assert_eq!(me.grids.iter().map(|g| g.code.as_str()).collect::<Vec<_>>(), vec!["ZL001"]);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_login_get_the_same_answer() {
    async fn check(app: TestApp) {
        let wrong = app.sign_in_with(&app.client, "worker01", "nope").await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        let wrong: Value = wrong.json().await.expect("json");
        let unknown = app.sign_in_with(&app.client, "nobody", "nope").await;
        assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
        let unknown: Value = unknown.json().await.expect("json");
        assert_eq!(wrong, unknown);
        assert_eq!(wrong["error"], "bad_credentials");
        assert_eq!(app.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED, "no session was made");
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn repeated_failures_are_slowed_down_even_for_the_right_password() {
    async fn check(app: TestApp) {
        for _ in 0..store::auth::FREE_ATTEMPTS {
            let r = app.sign_in_with(&app.client, "manager", "guess").await;
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        }
        let r = app.sign_in_with(&app.client, "manager", support::PASSWORD).await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        let wait: i64 = r.headers().get(RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()).expect("Retry-After");
        assert!((1..=store::auth::MAX_DELAY_SECS).contains(&wait));
        // Other logins are not affected.
        app.sign_in("worker02").await;
    }
    on_every_engine!(check);
}

/// Every operation of the OpenAPI document, with its path's parameters filled in.
fn documented_operations(doc: &Value) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("operations") {
            let secured = op["security"].as_array().is_some_and(|s| s.iter().any(|r| r.get("session").is_some()));
            // Values each parameter accepts in form (no such record needs to exist).
            let concrete = path
                .replace("{id}", if path.contains("photos") { "0190f0e0-0000-7000-8000-000000000000" } else { "1" })
                .replace("{a}", "1")
                .replace("{b}", "2")
                .replace("{attachment}", "1")
                .replace("{file}", "enterprises.csv")
                .replace("{table}", "summary")
                .replace("{code}", "ZL")
                .replace("{z}", "1")
                .replace("{x}", "1")
                .replace("{y}", "1.png");
            out.push((method.to_uppercase(), concrete, secured));
        }
    }
    out
}

#[tokio::test]
async fn without_a_session_every_api_route_the_document_says_needs_one_answers_401_and_the_others_do_not() {
    async fn check(app: TestApp) {
        let doc: Value = app.get("/api/openapi.json").await.json().await.expect("openapi");
        let operations = documented_operations(&doc);
        assert!(operations.len() >= 30, "{} operations documented", operations.len());
        let mut open = Vec::new();
        for (method, path, secured) in &operations {
            let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
            let r =
                support::browser().request(method.clone(), app.url(path)).header("Content-Type", "application/json").body("{}").send().await.expect("request");
            let status = r.status();
            // Served by the route itself, not by the pages' fallback or a wrong method.
            let html = r.headers().get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"));
            assert!(!html && status != StatusCode::METHOD_NOT_ALLOWED, "{method} {path}: {status}, not served by the API");
            if *secured {
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path} needs a session");
                if method != reqwest::Method::HEAD {
                    let body: api::ApiError = r.json().await.expect("error body");
                    assert_eq!(body.error, "unauthenticated", "{method} {path}");
                }
            } else {
                assert_ne!(status, StatusCode::UNAUTHORIZED, "{method} {path} is documented as open");
                open.push(format!("{method} {path}"));
            }
        }
        open.sort();
        assert_eq!(
            open,
            [
                "DELETE /api/v1/session",
                "GET /api/v1/basemap",
                "GET /api/v1/public/ZL",
                "GET /api/v1/public/ZL/notices/1/attachments/1",
                "GET /health",
                "GET /ready",
                "GET /tiles/1/1/1.png",
                "POST /api/v1/session"
            ],
            "the routes open without a session"
        );
        let forged = app.client.get(app.url("/api/v1/me")).header("Cookie", "parkgrid_session=forged").send().await.expect("request");
        assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_worker_is_refused_the_park_view_that_a_manager_gets() {
    async fn check(app: TestApp) {
        app.sign_in("worker03").await;
        let r = app.get("/api/v1/park").await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        // The same rule holds for the server function behind the park page.
        let r = app.client.post(app.url("/rpc/park_view")).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);

        let manager = support::browser();
        assert_eq!(app.sign_in_with(&manager, "manager", support::PASSWORD).await.status(), StatusCode::OK);
        let park: api::MapView = manager.get(app.url("/api/v1/park")).send().await.expect("request").json().await.expect("map view");
        assert_eq!(park.park_code, "ZL");
        assert_eq!(park.enterprises.len(), 556);
        assert_eq!(park.grids.len(), support::demo_grids());
        assert!(park.grids.iter().all(|g| g.workers.len() == 1), "every demo grid has its worker");
        assert_eq!(park.grids.iter().map(|g| g.enterprise_count).sum::<u32>(), 556);
        // A manager has no "own grid": the worker route refuses nobody but returns nothing.
        let r = manager.get(app.url("/api/v1/my/enterprises")).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn my_enterprises_are_exactly_the_enterprises_of_the_assigned_grid() {
    async fn check(app: TestApp) {
        app.sign_in("worker05").await;
        let r = app.get("/api/v1/my/enterprises").await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "application/geo+json");
        let fc: geojson::FeatureCollection = r.text().await.expect("body").parse().expect("a FeatureCollection");
        let got: BTreeSet<String> = fc.features.iter().map(|f| f.property("external_id").and_then(Value::as_str).unwrap_or("").to_owned()).collect();
        assert!(fc.features.iter().all(|f| f.property("grid_code") == Some(&Value::from("ZL005"))));

        let me: api::Me = app.get("/api/v1/me").await.json().await.expect("me");
        let grid_id = me.grids[0].id;
        let member_ids: Vec<i64> = grid_member::Entity::find()
            .filter(grid_member::Column::GridId.eq(grid_id))
            .all(&app.db.conn)
            .await
            .expect("members")
            .into_iter()
            .map(|m| m.enterprise_id)
            .collect();
        let expected: BTreeSet<String> = enterprise::Entity::find()
            .filter(enterprise::Column::Id.is_in(member_ids))
            .all(&app.db.conn)
            .await
            .expect("enterprises")
            .into_iter()
            .map(|e| e.external_id)
            .collect();
        assert!((20..=40).contains(&expected.len()), "a demo grid holds {} enterprises", expected.len());
        assert_eq!(got, expected);
        assert_eq!(fc.features.len(), expected.len(), "no enterprise twice");
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn signing_out_ends_the_session_on_every_server_process() {
    async fn check(app: TestApp) {
        // A second server process on the same database honours the same session.
        let other = support::start_server(&app.db.url).await;
        app.sign_in("worker02").await;
        assert_eq!(app.client.get(format!("{other}/api/v1/me")).send().await.expect("request").status(), StatusCode::OK);

        let r = app.client.delete(app.url("/api/v1/session")).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
        assert!(r.headers()[SET_COOKIE].to_str().unwrap_or("").contains("Max-Age=0"));
        assert_eq!(app.client.get(format!("{other}/api/v1/me")).send().await.expect("request").status(), StatusCode::UNAUTHORIZED);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn health_names_the_database_engine() {
    async fn check(app: TestApp) {
        let h: api::Health = app.get("/health").await.json().await.expect("health");
        assert_eq!(h.status, "ok");
        assert_eq!(h.database, app.db.engine);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    async fn check(app: TestApp) {
        let doc: Value = app.get("/api/openapi.json").await.json().await.expect("openapi");
        assert!(doc["openapi"].as_str().unwrap_or("").starts_with("3."));
        // The router and the document come from the same registrations (`server::api::router`,
        // utoipa-axum); that every documented operation is served is checked by the 401 test,
        // which calls each one.
        let ops = |d: &Value| {
            let mut v: Vec<String> = documented_operations(d).into_iter().map(|(m, p, _)| format!("{m} {p}")).collect();
            v.sort();
            v
        };
        // Including the routes the field app, the photos and the basemap use.
        for op in [
            "POST /api/v1/sync",
            "GET /api/v1/my/field",
            "PUT /api/v1/photos/0190f0e0-0000-7000-8000-000000000000",
            "HEAD /api/v1/photos/0190f0e0-0000-7000-8000-000000000000",
            "GET /tiles/1/1/1.png",
            "GET /api/v1/basemap",
            "POST /api/v1/cases/1/actions",
        ] {
            assert!(ops(&doc).iter().any(|o| o == op), "{op} is documented");
        }
        // Each operation's 2xx answer is described.
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("operations") {
                let ok = op["responses"].as_object().is_some_and(|r| r.keys().any(|k| k.starts_with('2')));
                assert!(ok, "{method} {path} documents its answer");
            }
        }
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn pages_need_a_session_and_send_each_role_home() {
    async fn check(app: TestApp) {
        let r = app.page("/").await;
        assert_eq!(r.status(), StatusCode::FOUND, "signed out, / redirects");
        assert_eq!(r.headers()["location"], "/login");
        let r = app.page("/my-grid").await;
        assert_eq!(r.headers()["location"], "/login", "signed out, a worker page redirects too");
        app.sign_in("worker01").await;
        let r = app.page("/").await;
        assert_eq!(r.status(), StatusCode::FOUND);
        assert_eq!(r.headers()["location"], "/my-grid");
        let page = app.page("/my-grid").await.text().await.expect("page");
        assert!(page.contains("ZL001"), "the worker's page names their grid");
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_manager_computes_a_draft_activates_it_and_workers_keep_their_grids() {
    async fn check(app: TestApp) {
        app.sign_in("manager").await;
        let r = app.client.post(app.url("/api/v1/plans")).json(&serde_json::json!({})).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::CREATED);
        let draft: api::PlanSummary = r.json().await.expect("plan");
        assert_eq!((draft.version, draft.status), (2, api::PlanStatus::Draft));
        let figures = draft.figures.clone().expect("figures");
        assert_eq!((figures.pieces, figures.outside_limits), (0, 0));
        assert!(figures.coverage_error < 1e-9);

        let plans: Vec<api::PlanSummary> = app.get("/api/v1/plans").await.json().await.expect("plans");
        assert_eq!(plans.iter().map(|p| (p.version, p.status)).collect::<Vec<_>>(), vec![(2, api::PlanStatus::Draft), (1, api::PlanStatus::Active)]);

        let r = app.client.post(app.url(&format!("/api/v1/plans/{}/activate", draft.id))).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::OK);
        let active: api::PlanSummary = r.json().await.expect("plan");
        assert_eq!(active.status, api::PlanStatus::Active);
        let again = app.client.post(app.url(&format!("/api/v1/plans/{}/activate", draft.id))).send().await.expect("request");
        assert_eq!(again.status(), StatusCode::CONFLICT);

        // The draft started from the active plan: the same codes, so worker01 still has ZL001.
        let worker = support::browser();
        assert_eq!(app.sign_in_with(&worker, "worker01", support::PASSWORD).await.status(), StatusCode::OK);
        let me: api::Me = worker.get(app.url("/api/v1/me")).send().await.expect("request").json().await.expect("me");
        assert_eq!(me.grids.iter().map(|g| g.code.as_str()).collect::<Vec<_>>(), vec!["ZL001"]);
        let park: api::MapView = app.get("/api/v1/park").await.json().await.expect("park");
        assert_eq!(park.plan_version, Some(2));
        assert_eq!(park.enterprises.len(), 556);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_worker_may_not_compute_or_activate_plans_and_bad_limits_are_refused() {
    async fn check(app: TestApp) {
        app.sign_in("worker01").await;
        for r in [
            app.client.get(app.url("/api/v1/plans")).send().await.expect("request"),
            app.client.post(app.url("/api/v1/plans")).json(&serde_json::json!({})).send().await.expect("request"),
            app.client.post(app.url("/api/v1/plans/1/activate")).send().await.expect("request"),
        ] {
            assert_eq!(r.status(), StatusCode::FORBIDDEN);
        }
        let manager = support::browser();
        assert_eq!(app.sign_in_with(&manager, "manager", support::PASSWORD).await.status(), StatusCode::OK);
        let r = manager.post(app.url("/api/v1/plans")).json(&serde_json::json!({ "min": 50, "max": 40 })).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: api::ApiError = r.json().await.expect("error");
        assert_eq!(body.message, "min 50 and max 40: need 1 ≤ min ≤ max");
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn the_diff_of_two_plans_lists_the_enterprises_that_change_grid_and_worker() {
    async fn check(app: TestApp) {
        app.sign_in("manager").await;
        // Smaller grids: a different partition.
        let r = app.client.post(app.url("/api/v1/plans")).json(&serde_json::json!({ "min": 15, "max": 25 })).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::CREATED);
        let draft: api::PlanSummary = r.json().await.expect("plan");
        let plans: Vec<api::PlanSummary> = app.get("/api/v1/plans").await.json().await.expect("plans");
        let active = plans.iter().find(|p| p.status == api::PlanStatus::Active).expect("the active plan");
        let diff: api::PlanDiff = app.get(&format!("/api/v1/plans/{}/diff/{}", active.id, draft.id)).await.json().await.expect("diff");
        assert_eq!(diff.unchanged + diff.moves.len(), 556);
        assert!(!diff.moves.is_empty(), "a different partition moves enterprises");
        // Every grid of the active plan has its worker. A draft's grid shows the worker that
        // activation would give it: the active grid's of the same code; a new code has nobody.
        let park: api::MapView = app.get("/api/v1/park").await.json().await.expect("park");
        let active_codes: std::collections::HashSet<&str> = park.grids.iter().map(|g| g.code.as_str()).collect();
        let mut new_codes = 0;
        for m in &diff.moves {
            assert_ne!(m.from, m.to);
            assert!(m.from.is_some() && m.to.is_some(), "{m:?}");
            assert_eq!(m.from_workers.len(), 1, "{m:?}");
            let kept = active_codes.contains(m.to.as_deref().unwrap_or(""));
            assert_eq!(m.to_workers.len(), usize::from(kept), "{m:?}");
            new_codes += usize::from(!kept);
        }
        assert!(new_codes > 0, "smaller grids need new codes");
        // A plan compared with itself: nothing moves.
        let same: api::PlanDiff = app.get(&format!("/api/v1/plans/{0}/diff/{0}", draft.id)).await.json().await.expect("diff");
        assert_eq!((same.unchanged, same.moves.len()), (556, 0));
        // Workers may not see it.
        let worker = support::browser();
        assert_eq!(app.sign_in_with(&worker, "worker01", support::PASSWORD).await.status(), StatusCode::OK);
        let r = worker.get(app.url(&format!("/api/v1/plans/{}/diff/{}", active.id, draft.id))).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn the_field_page_loads_only_the_field_apps_bundle_and_holds_nothing_personal() {
    async fn check(app: TestApp) {
        app.sign_in("worker01").await;
        let r = app.page("/field").await;
        assert_eq!(r.status(), StatusCode::OK);
        let page = r.text().await.expect("page");
        assert!(page.contains("/pkg/fieldapp.js") && page.contains("/pkg/fieldapp_bg.wasm"), "the field app's bundle: {page}");
        assert!(!page.contains("/pkg/parkgrid.js") && !page.contains("/pkg/parkgrid.wasm"), "not the managers' bundle");
        assert!(!page.contains("ZL001") && !page.contains("worker01"), "the shell is the same for everyone: the service worker replays it");
        assert!(page.contains(r#"<html lang="zh">"#) && page.contains("外勤"), "Simplified Chinese by default");
        // A client of its own: the shared one would replace this Cookie header with its store's.
        let plain = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        let signed = app.sign_in_with(&plain, "worker01", support::PASSWORD).await;
        let session = signed.headers().get("set-cookie").and_then(|v| v.to_str().ok()).and_then(|c| c.split(';').next()).expect("a session cookie").to_owned();
        let english = plain.get(app.url("/field")).header("Cookie", format!("{session}; i18n_pref_locale=en")).send().await.expect("request");
        let english = english.text().await.expect("page");
        assert!(english.contains(r#"<html lang="en">"#) && english.contains("Field work"), "the chosen language: {english}");
        // Online, whoever may not record field work is sent elsewhere: to sign in, or home.
        let anonymous = plain.get(app.url("/field")).send().await.expect("request");
        assert_eq!((anonymous.status(), anonymous.headers().get("location").and_then(|v| v.to_str().ok())), (StatusCode::SEE_OTHER, Some("/login")));
        let manager = support::browser();
        app.sign_in_with(&manager, "manager", support::PASSWORD).await;
        let r = manager.get(app.url("/field")).send().await.expect("request");
        assert_eq!(r.headers().get("location").and_then(|v| v.to_str().ok()), Some("/"));
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn the_park_page_carries_a_row_per_grid_and_its_map_fetched_apart_is_the_plan_it_shows() {
    async fn check(app: TestApp) {
        let manager = support::browser();
        assert_eq!(app.sign_in_with(&manager, "manager", support::PASSWORD).await.status(), StatusCode::OK);
        let draft: api::PlanSummary = manager
            .post(app.url("/api/v1/plans"))
            .json(&serde_json::json!({ "min": 15, "max": 25 }))
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("a draft");
        assert_ne!(draft.grid_count, support::demo_grids(), "the draft differs from the active plan");
        // An enterprise closed behind the plans' back (still a member of both): a grid counts
        // its members, the park its active ones — the page as its map.
        let closed = grid_member::Entity::find().one(&app.db.conn).await.expect("query").expect("a member").enterprise_id;
        enterprise::Entity::update_many()
            .col_expr(enterprise::Column::Active, sea_orm::sea_query::Expr::value(false))
            .filter(enterprise::Column::Id.eq(closed))
            .exec(&app.db.conn)
            .await
            .expect("closed");
        // The page's own data: the park, the plan, a row per grid; not the enterprises.
        let page = |plan: Option<i64>| {
            let manager = manager.clone();
            let form: Vec<(&str, String)> = plan.map(|p| ("plan", p.to_string())).into_iter().collect();
            let url = app.url("/rpc/park_view");
            async move { manager.post(url).form(&form).send().await.expect("request").json::<serde_json::Value>().await.expect("json") }
        };
        let active = page(None).await;
        assert_eq!(active["grids"].as_array().map(Vec::len), Some(support::demo_grids()));
        assert_eq!((active["enterprise_count"].as_u64(), active.get("enterprises")), (Some(555), None));
        let shown = page(Some(draft.id)).await;
        assert_eq!(shown["grids"].as_array().map(Vec::len), Some(draft.grid_count));
        // The map of each: the active plan's for the park, the draft's for `?plan=`.
        let map = |path: String| {
            let manager = manager.clone();
            let url = app.url(&path);
            async move { manager.get(url).send().await.expect("request").json::<api::MapView>().await.expect("a map") }
        };
        let park = map("/api/v1/park?park=ZL".into()).await;
        assert_eq!((park.grids.len(), park.enterprises.len()), (support::demo_grids(), 555));
        let plan = map(format!("/api/v1/park?plan={}", draft.id)).await;
        assert_eq!((plan.grids.len(), plan.enterprises.len()), (draft.grid_count, 555));
        // The page's rows say what its map shows: each grid's code, enterprises and workers.
        let rows = |page: &serde_json::Value| serde_json::from_value::<api::ParkPage>(page.clone()).expect("a park page");
        let drawn = |m: &api::MapView| m.grids.iter().map(|g| (g.code.clone(), g.enterprise_count, g.workers.clone())).collect::<Vec<_>>();
        let listed = |p: &api::ParkPage| p.grids.iter().map(|g| (g.code.clone(), g.enterprise_count, g.workers.clone())).collect::<Vec<_>>();
        let (active, shown) = (rows(&active), rows(&shown));
        assert_eq!(listed(&active), drawn(&park));
        assert_eq!(listed(&shown), drawn(&plan));
        assert!(active.grids.iter().any(|g| !g.workers.is_empty()), "the demo's grids have workers");
        assert_eq!((active.plan_version, shown.plan_id), (park.plan_version, Some(draft.id)));
        assert_eq!((active.enterprise_count, shown.enterprise_count), (555, 555));
        assert_eq!(active.grids.iter().map(|g| g.enterprise_count).sum::<u32>(), 556, "the closed one still counted in its grid");
        // An officer sees the park, not the managers' drafts.
        let officer = support::browser();
        assert_eq!(app.sign_in_with(&officer, "safety", support::PASSWORD).await.status(), StatusCode::OK);
        let r = officer.get(app.url(&format!("/api/v1/park?plan={}", draft.id))).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    on_every_engine!(check);
}
