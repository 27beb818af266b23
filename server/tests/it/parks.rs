//! A real park, and several (issue 12): accounts for every role, parks scoped, passwords that
//! must be changed, sign-in that cannot be used to lock people out. On both engines.

use crate::support;

use reqwest::{Client, StatusCode};
use serde_json::json;
use support::TestApp;

/// A square boundary near the demo park, for a second park.
const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[121.30,24.90],[121.32,24.90],[121.32,24.92],[121.30,24.92],[121.30,24.90]]]}"#;

/// Calls a server function as the app's code does; the status and the JSON body.
async fn rpc(app: &TestApp, client: &Client, endpoint: &str, args: &[(&str, &str)]) -> (StatusCode, serde_json::Value) {
    let r = client.post(app.url(&format!("/rpc/{endpoint}"))).header("Accept", "application/json").form(args).send().await.expect("request");
    let status = r.status();
    // A success is JSON; a server function's error is its code as text.
    let text = r.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)))
}

async fn signed_in(app: &TestApp, login: &str, password: &str) -> Client {
    let c = support::browser();
    let r = app.sign_in_with(&c, login, password).await;
    assert_eq!(r.status(), StatusCode::OK, "{login} signs in");
    c
}

#[tokio::test]
async fn an_administrator_adds_a_park_and_its_manager_who_works_in_that_park_alone() {
    async fn check(app: TestApp) {
        let admin = signed_in(&app, "admin", support::PASSWORD).await;
        let (s, _) = rpc(&app, &admin, "add_park", &[("code", "TY"), ("name", "桃园测试园区"), ("boundary", SQUARE)]).await;
        assert_eq!(s, StatusCode::OK);
        // A taken code, and a boundary that is not one: refused with the reason, nothing added.
        let (s, e) = rpc(&app, &admin, "add_park", &[("code", "TY"), ("name", "again"), ("boundary", SQUARE)]).await;
        assert_eq!(s, StatusCode::CONFLICT, "{e}");
        let (s, _) = rpc(&app, &admin, "add_park", &[("code", "XX"), ("name", "x"), ("boundary", "{\"type\":\"Point\",\"coordinates\":[1,2]}")]).await;
        assert_eq!(s, StatusCode::CONFLICT);
        let account = json!({ "login": "ty-chief", "display_name": "桃园主任", "role": "manager", "parks": ["TY"] }).to_string();
        let (s, temporary) = rpc(&app, &admin, "create_account", &[("account", &account)]).await;
        assert_eq!(s, StatusCode::OK);
        let temporary = temporary.as_str().expect("a temporary password").to_owned();
        // A taken login and a park that does not exist: refused.
        let (s, _) = rpc(&app, &admin, "create_account", &[("account", &account)]).await;
        assert_eq!(s, StatusCode::CONFLICT);
        let nowhere = json!({ "login": "nowhere", "display_name": "x", "role": "manager", "parks": ["NOPE"] }).to_string();
        assert_eq!(rpc(&app, &admin, "create_account", &[("account", &nowhere)]).await.0, StatusCode::NOT_FOUND);

        // The new manager must choose a password before anything else.
        let chief = signed_in(&app, "ty-chief", &temporary).await;
        let r = chief.get(app.url("/api/v1/park")).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert_eq!(r.json::<api::ApiError>().await.expect("error").error, "password_change_required");
        assert_eq!(rpc(&app, &chief, "change_password", &[("current", &temporary), ("new", "short")]).await.0, StatusCode::CONFLICT);
        assert_eq!(rpc(&app, &chief, "change_password", &[("current", &temporary), ("new", "taoyuan-2026")]).await.0, StatusCode::OK);

        // …then works in TY, and in TY alone: pages, API and server functions.
        let me: api::Me = chief.get(app.url("/api/v1/me")).send().await.expect("request").json().await.expect("me");
        assert_eq!(me.parks.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(), ["TY"]);
        let park: api::MapView = chief.get(app.url("/api/v1/park")).send().await.expect("request").json().await.expect("park");
        assert_eq!(park.park_code, "TY");
        for path in ["/api/v1/park?park=ZL", "/api/v1/plans?park=ZL"] {
            assert_eq!(chief.get(app.url(path)).send().await.expect("request").status(), StatusCode::FORBIDDEN, "{path}");
        }
        let zl_plans: Vec<api::PlanSummary> = admin.get(app.url("/api/v1/plans?park=ZL")).send().await.expect("request").json().await.expect("plans");
        let zl_plan = zl_plans[0].id.to_string();
        assert_eq!(chief.post(app.url(&format!("/api/v1/plans/{zl_plan}/activate"))).send().await.expect("request").status(), StatusCode::FORBIDDEN);
        assert_eq!(rpc(&app, &chief, "load_plan_editor", &[("id", &zl_plan)]).await.0, StatusCode::FORBIDDEN);
        assert_eq!(rpc(&app, &chief, "choose_park", &[("code", "ZL")]).await.0, StatusCode::FORBIDDEN);
        let (s, view) = rpc(&app, &chief, "park_view", &[]).await;
        assert_eq!((s, view["park_code"].as_str()), (StatusCode::OK, Some("TY")));
        let (_, staff) = rpc(&app, &chief, "staff_overview", &[]).await;
        assert_eq!(staff["workers"].as_array().map(Vec::len), Some(0), "ZL's workers are not TY's");
        let worker = app.db.conn.clone();
        let w = store::users::find_by_login(&worker, "worker01").await.expect("query").expect("worker01");
        assert_eq!(rpc(&app, &chief, "reset_worker_password", &[("user", &w.id.to_string())]).await.0, StatusCode::FORBIDDEN);
        // ZL's manager cannot reach TY either.
        let zl = signed_in(&app, "manager", support::PASSWORD).await;
        assert_eq!(zl.get(app.url("/api/v1/park?park=TY")).send().await.expect("request").status(), StatusCode::FORBIDDEN);
        // The administrator, in every park, sees both side by side.
        let (_, overview) = rpc(&app, &admin, "parks_overview", &[]).await;
        let codes: Vec<&str> = overview.as_array().expect("parks").iter().filter_map(|p| p["code"].as_str()).collect();
        assert_eq!(codes, ["TY", "ZL"]);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn changing_ones_password_ends_the_other_sessions_and_a_reset_one_must_be_changed() {
    async fn check(app: TestApp) {
        let phone = signed_in(&app, "worker01", support::PASSWORD).await;
        let laptop = signed_in(&app, "worker01", support::PASSWORD).await;
        assert_eq!(rpc(&app, &laptop, "change_password", &[("current", "not it"), ("new", "another-one-1")]).await.0, StatusCode::CONFLICT);
        assert_eq!(rpc(&app, &laptop, "change_password", &[("current", support::PASSWORD), ("new", "another-one-1")]).await.0, StatusCode::OK);
        assert_eq!(phone.get(app.url("/api/v1/me")).send().await.expect("request").status(), StatusCode::UNAUTHORIZED, "the other session ended");
        assert_eq!(laptop.get(app.url("/api/v1/me")).send().await.expect("request").status(), StatusCode::OK, "this one goes on");
        // The manager resets it: a temporary password that opens nothing but the password change.
        let manager = signed_in(&app, "manager", support::PASSWORD).await;
        let w = store::users::find_by_login(&app.db.conn, "worker01").await.expect("query").expect("worker01");
        let (s, temporary) = rpc(&app, &manager, "reset_worker_password", &[("user", &w.id.to_string())]).await;
        assert_eq!(s, StatusCode::OK);
        let again = signed_in(&app, "worker01", temporary.as_str().expect("password")).await;
        assert_eq!(again.get(app.url("/api/v1/my/field")).send().await.expect("request").status(), StatusCode::FORBIDDEN);
        let me: api::Me = again.get(app.url("/api/v1/me")).send().await.expect("request").json().await.expect("me");
        assert!(me.must_change_password);
        assert_eq!(
            rpc(&app, &again, "change_password", &[("current", temporary.as_str().unwrap_or_default()), ("new", "my-own-pass")]).await.0,
            StatusCode::OK
        );
        assert_eq!(again.get(app.url("/api/v1/my/field")).send().await.expect("request").status(), StatusCode::OK);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_burst_of_wrong_passwords_checks_only_a_few_and_locks_no_owner_out_of_a_known_device() {
    for engine in support::engines() {
        let db = support::fresh_db(&engine).await;
        support::load_demo(&db.conn).await;
        // Behind a proxy, so that attacker and owner come from different addresses.
        let base = support::start_server_behind_proxy(&db.url).await;
        let url = |p: &str| format!("{base}{p}");
        let sign_in = |client: Client, from: &'static str, password: &'static str| {
            let url = url("/api/v1/session");
            async move {
                client
                    .post(url)
                    .header("X-Forwarded-For", from)
                    .json(&json!({ "login": "manager", "password": password }))
                    .send()
                    .await
                    .expect("request")
                    .status()
            }
        };
        // The owner signed in on this laptop before: it is a known device.
        let laptop = support::browser();
        assert_eq!(sign_in(laptop.clone(), "10.0.0.7", support::PASSWORD).await, StatusCode::OK);
        // Forty wrong guesses at once from elsewhere: counted before they are checked, so only
        // the first few are checked at all.
        let attacker = support::browser();
        let guesses = futures::future::join_all((0..40).map(|_| sign_in(attacker.clone(), "10.0.0.66", "guess"))).await;
        let checked = guesses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
        let throttled = guesses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
        assert!(checked <= store::auth::FREE_ATTEMPTS as usize, "{checked} guesses checked on {}", db.engine);
        assert_eq!(checked + throttled, 40);
        // The right password from a new browser waits like everyone…
        assert_eq!(sign_in(support::browser(), "10.0.0.8", support::PASSWORD).await, StatusCode::TOO_MANY_REQUESTS);
        // …but the owner on their known device signs in at once.
        assert_eq!(sign_in(laptop.clone(), "10.0.0.7", support::PASSWORD).await, StatusCode::OK, "on {}", db.engine);
        // The attacker's address is held back on any login now.
        let other = support::browser();
        let r = other
            .post(url("/api/v1/session"))
            .header("X-Forwarded-For", "10.0.0.66")
            .json(&json!({ "login": "worker05", "password": support::PASSWORD }))
            .send()
            .await
            .expect("request");
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    }
}

#[tokio::test]
async fn wrong_passwords_now_and_then_never_keep_an_account_locked() {
    async fn check(app: TestApp) {
        use sea_orm::EntityTrait;
        use sea_orm::sea_query::Expr;
        use store::entities::login_throttle;
        for _ in 0..store::auth::FREE_ATTEMPTS + 2 {
            app.sign_in_with(&support::browser(), "worker03", "wrong").await;
        }
        assert_eq!(app.sign_in_with(&support::browser(), "worker03", support::PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
        // A quarter of an hour later the failures are forgotten.
        let then = chrono::Utc::now() - chrono::Duration::minutes(store::auth::FORGET_AFTER_MINUTES + 1);
        login_throttle::Entity::update_many().col_expr(login_throttle::Column::LastFailureAt, Expr::value(then)).exec(&app.db.conn).await.expect("age");
        assert_eq!(app.sign_in_with(&support::browser(), "worker03", support::PASSWORD).await.status(), StatusCode::OK);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn departments_are_kept_by_the_administrator_and_one_with_officers_is_not_removed() {
    async fn check(app: TestApp) {
        let admin = signed_in(&app, "admin", support::PASSWORD).await;
        let (_, list) = rpc(&app, &admin, "list_departments", &[]).await;
        let safety = list.as_array().expect("list").iter().find(|d| d["code"] == "safety").expect("the safety department").clone();
        assert_eq!(safety["officers"], 1, "the demo's officer");
        let (s, e) = rpc(&app, &admin, "set_department_active", &[("id", &safety["id"].to_string()), ("active", "false")]).await;
        assert_eq!(s, StatusCode::CONFLICT, "{e}");
        assert!(e.to_string().contains("department_in_use"), "{e}");
        assert_eq!(rpc(&app, &admin, "create_department", &[("code", "water"), ("name", "水利局")]).await.0, StatusCode::OK);
        assert_eq!(rpc(&app, &admin, "create_department", &[("code", "water"), ("name", "again")]).await.0, StatusCode::CONFLICT);
        // An officer needs a department; another role may not have one.
        let officer =
            json!({ "login": "env-officer", "display_name": "环保 王科员", "role": "department", "parks": ["ZL"], "department": "environment" }).to_string();
        assert_eq!(rpc(&app, &admin, "create_account", &[("account", &officer)]).await.0, StatusCode::OK);
        let bare = json!({ "login": "no-dept", "display_name": "x", "role": "department", "parks": ["ZL"] }).to_string();
        assert_eq!(rpc(&app, &admin, "create_account", &[("account", &bare)]).await.0, StatusCode::CONFLICT);
        // A department officer keeps no department.
        let safety_officer = signed_in(&app, "safety", support::PASSWORD).await;
        assert_eq!(rpc(&app, &safety_officer, "create_department", &[("code", "x"), ("name", "x")]).await.0, StatusCode::FORBIDDEN);
        assert_eq!(rpc(&app, &safety_officer, "rename_department", &[("id", &safety["id"].to_string()), ("name", "mine")]).await.0, StatusCode::FORBIDDEN);
    }
    on_every_engine!(check);
}
