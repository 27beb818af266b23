//! Grid workers' accounts and assignments over HTTP (the staff page's server functions), on a
//! fresh demo database (SQLite, and PostgreSQL when `DATABASE_URL` names one).

use crate::support;

use reqwest::StatusCode;
use support::TestApp;

async fn call(app: &TestApp, client: &reqwest::Client, name: &str, form: &[(&str, String)]) -> reqwest::Response {
    client.post(app.url(&format!("/rpc/{name}"))).form(form).send().await.expect("request")
}

async fn overview(app: &TestApp) -> api::Staff {
    let r = call(app, &app.client, "staff_overview", &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.expect("staff")
}

fn worker<'a>(s: &'a api::Staff, login: &str) -> &'a api::WorkerRow {
    s.workers.iter().find(|w| w.login == login).expect("worker")
}

fn grid<'a>(s: &'a api::Staff, code: &str) -> &'a api::GridStaff {
    s.grids.iter().find(|g| g.code == code).expect("grid")
}

#[tokio::test]
async fn a_manager_creates_assigns_and_deactivates_workers_and_the_flags_follow() {
    async fn check(app: TestApp) {
        app.sign_in("manager").await;
        let s = overview(&app).await;
        assert_eq!(s.grids.len(), support::demo_grids());
        assert!(s.grids.iter().all(|g| g.workers.len() == 1), "the demo gives every grid its worker");
        assert!(s.workers.iter().all(|w| w.flag.is_none()), "{:?}", s.workers);

        // A new worker has no grid yet: flagged.
        let r = call(&app, &app.client, "create_worker", &[("login", "wang".into()), ("name", "王新".into()), ("password", "short".into())]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT, "a short password is refused");
        // With a code the page translates (not an English sentence).
        let refused = support::refusal_in(&r.text().await.expect("body"));
        assert_eq!(refused.map(|r| r.code), Some(api::RefusalCode::ShortPassword));
        let r = call(&app, &app.client, "create_worker", &[("login", "wang".into()), ("name", "王新".into()), ("password", "long-enough-1".into())]).await;
        assert_eq!(r.status(), StatusCode::OK);
        let r = call(&app, &app.client, "create_worker", &[("login", "wang".into()), ("name", "王二".into()), ("password", "long-enough-2".into())]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT, "a taken login is refused");
        let refused = support::refusal_in(&r.text().await.expect("body"));
        assert_eq!(refused, Some(api::Refused { code: api::RefusalCode::LoginTaken, detail: "wang".into() }), "naming the login");
        let s = overview(&app).await;
        let wang = worker(&s, "wang").clone();
        assert_eq!(wang.flag.as_deref(), Some("no_grid"));

        // Two workers on one grid; one worker on two grids is over 40 enterprises.
        assert_eq!(call(&app, &app.client, "assign_worker", &[("grid", "ZL001".into()), ("user", wang.id.to_string())]).await.status(), StatusCode::OK);
        let s = overview(&app).await;
        assert_eq!(grid(&s, "ZL001").workers.len(), 2);
        assert_eq!(worker(&s, "wang").flag, None);
        assert_eq!(call(&app, &app.client, "assign_worker", &[("grid", "ZL002".into()), ("user", wang.id.to_string())]).await.status(), StatusCode::OK);
        let s = overview(&app).await;
        assert_eq!(worker(&s, "wang").grids, vec!["ZL001", "ZL002"]);
        assert_eq!(worker(&s, "wang").flag.as_deref(), Some("outside_limits"));
        assert_eq!(call(&app, &app.client, "unassign_worker", &[("grid", "ZL002".into()), ("user", wang.id.to_string())]).await.status(), StatusCode::OK);

        // Deactivating worker01 ends their session at once; ZL001 keeps wang; without wang it has nobody.
        let w1 = support::browser();
        assert_eq!(app.sign_in_with(&w1, "worker01", support::PASSWORD).await.status(), StatusCode::OK);
        let id1 = worker(&overview(&app).await, "worker01").id;
        assert_eq!(call(&app, &app.client, "set_worker_active", &[("user", id1.to_string()), ("active", "false".into())]).await.status(), StatusCode::OK);
        assert_eq!(w1.get(app.url("/api/v1/me")).send().await.expect("request").status(), StatusCode::UNAUTHORIZED);
        assert_eq!(app.sign_in_with(&w1, "worker01", support::PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
        let s = overview(&app).await;
        assert_eq!(grid(&s, "ZL001").workers.iter().map(|w| w.1.as_str()).collect::<Vec<_>>(), vec!["王新"]);
        assert_eq!(call(&app, &app.client, "set_worker_active", &[("user", wang.id.to_string()), ("active", "false".into())]).await.status(), StatusCode::OK);
        let park: api::MapView = app.get("/api/v1/park").await.json().await.expect("park");
        assert!(park.grids.iter().find(|g| g.code == "ZL001").expect("ZL001").workers.is_empty(), "a deactivated worker's grid shows as unassigned");
        assert!(grid(&overview(&app).await, "ZL001").workers.is_empty());

        // A reset password replaces the old one.
        let id2 = worker(&overview(&app).await, "worker02").id;
        let r = call(&app, &app.client, "reset_worker_password", &[("user", id2.to_string())]).await;
        assert_eq!(r.status(), StatusCode::OK);
        let new_password: String = r.json().await.expect("password");
        assert_eq!(new_password.len(), 10);
        let w2 = support::browser();
        assert_eq!(app.sign_in_with(&w2, "worker02", support::PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(app.sign_in_with(&w2, "worker02", &new_password).await.status(), StatusCode::OK);

        // Workers may do none of this; nor may a manager touch a non-worker account.
        for r in [
            call(&app, &w2, "staff_overview", &[]).await,
            call(&app, &w2, "assign_worker", &[("grid", "ZL003".into()), ("user", id2.to_string())]).await,
            call(&app, &w2, "reset_worker_password", &[("user", id1.to_string())]).await,
        ] {
            assert_eq!(r.status(), StatusCode::FORBIDDEN);
        }
        // The administrator's account is not the manager's to touch (it works in every park).
        let admin_id = 1.to_string();
        assert_eq!(call(&app, &app.client, "reset_worker_password", &[("user", admin_id)]).await.status(), StatusCode::FORBIDDEN);
        // Nor is another manager's, nor an officer's: only workers are reset here.
        let safety = store::users::find_by_login(&app.db.conn, "safety").await.expect("query").expect("safety").id.to_string();
        assert_eq!(call(&app, &app.client, "reset_worker_password", &[("user", safety)]).await.status(), StatusCode::CONFLICT);
    }
    on_every_engine!(check);
}
