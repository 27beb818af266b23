//! Who may do what: every route and every server function, tried by every kind of caller, on
//! both engines. One table; its rows must be exactly the routes the server answers
//! (`server::startup::route_inventory`), so a new route without a row fails this test.
//!
//! The callers: anonymous, worker A (worker01, grid ZL001), worker B (worker02), the manager,
//! a department officer, the administrator (all of park ZL, the administrator of every park),
//! and the manager of another park (TY) who asks for ZL on every request (`?park=ZL` and the
//! park switcher's cookie): routes about a park answer 403, ZL's plans and photos 403, and
//! what is not about a park (their own session, the departments) or falls back to their own
//! park (the server functions and pages, which follow the switcher only to a park of the
//! user's) is served. What each gets:
//! - `ok`: served (any answer but 401/403 and a redirect to sign-in: a 404 for a made-up id is
//!   the route working);
//! - `401`, `403`: refused;
//! - `login`: a page that sends the signed-out to sign in; `home`: one that sends them home;
//! - `denied`: wrong credentials refused (401, or 429 once the throttle holds).
//!
//! Permitted callers get inputs that are refused after the check (an unknown id, limits of 0)
//! wherever the route would otherwise change the park, so the table can run in any order.

use crate::support;

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use support::TestApp;

const N: usize = 7;
const CALLERS: [&str; N] = ["anonymous", "worker A", "worker B", "manager", "department", "admin", "TY's manager"];
const LOGINS: [Option<&str>; N] = [None, Some("worker01"), Some("worker02"), Some("manager"), Some("safety"), Some("admin"), Some("ty-manager")];
/// The caller who asks for another park than theirs.
const OTHER_PARK: usize = 6;

enum Body {
    None,
    Json(Value),
    Form(Vec<(&'static str, String)>),
    Bytes(Vec<u8>),
}

struct Row {
    method: Method,
    /// The route as the router knows it.
    template: &'static str,
    /// The address requested.
    path: String,
    body: Body,
    expect: [&'static str; N],
    /// The request ends the caller's session: it gets a session of its own.
    own_session: bool,
    /// What the other park's manager sends instead: the same route naming ZL's own objects
    /// (refused before anything changes, so real ids are safe here).
    other: Option<(String, Body)>,
}

fn row(method: Method, template: &'static str, path: impl Into<String>, body: Body, expect: [&'static str; N]) -> Row {
    Row { method, template, path: path.into(), body, expect, own_session: false, other: None }
}

impl Row {
    /// The other park's manager sends these arguments, naming ZL's objects, and is refused.
    fn zl_args(mut self, args: &[(&'static str, String)]) -> Row {
        self.other = Some((self.path.clone(), Body::Form(args.to_vec())));
        self.expect[OTHER_PARK] = "403";
        self
    }

    /// The other park's manager sends this JSON body, naming ZL's objects, and is refused.
    fn zl_json(mut self, body: Value) -> Row {
        self.other = Some((self.path.clone(), Body::Json(body)));
        self.expect[OTHER_PARK] = "403";
        self
    }

    /// The other park's manager asks for this address, naming ZL's objects, and is refused.
    fn zl_path(mut self, path: String) -> Row {
        let body = match &self.body {
            Body::Json(v) => Body::Json(v.clone()),
            _ => Body::None,
        };
        self.other = Some((path, body));
        self.expect[OTHER_PARK] = "403";
        self
    }
}

/// ZL's own objects, for the other park's manager to name.
struct Zl {
    enterprise: i64,
    worker: i64,
    /// A case of worker A's grid, just registered.
    case: i64,
    /// The link of that case's enterprise.
    token: String,
    /// A line of the demo's service list and a notice with a file (issue 15).
    service_item: i64,
    notice: i64,
}

fn rpc(endpoint: &'static str, args: &[(&'static str, &str)], expect: [&'static str; N]) -> Row {
    let template: &'static str = Box::leak(format!("/rpc/{endpoint}").into_boxed_str());
    let form = args.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    row(Method::POST, template, template, Body::Form(form), expect)
}

/// A server function called with arguments made at run time.
fn rpc_owned(endpoint: &'static str, args: Vec<(&'static str, String)>, expect: [&'static str; N]) -> Row {
    let template: &'static str = Box::leak(format!("/rpc/{endpoint}").into_boxed_str());
    row(Method::POST, template, template, Body::Form(args), expect)
}

fn page(template: &'static str, path: impl Into<String>, expect: [&'static str; N]) -> Row {
    row(Method::GET, template, path, Body::None, expect)
}

const PUBLIC: [&str; N] = ["ok"; N];
const SIGNED_IN: [&str; N] = ["401", "ok", "ok", "ok", "ok", "ok", "ok"];
const FIELD_WORK: [&str; N] = ["401", "ok", "ok", "403", "403", "ok", "403"];
const OWN_GRID: [&str; N] = ["401", "ok", "ok", "403", "403", "ok", "403"];
/// A route that takes `?park=`: the other park's manager is refused ZL.
const VIEW_PARK: [&str; N] = ["401", "403", "403", "ok", "ok", "ok", "403"];
const MANAGE: [&str; N] = ["401", "403", "403", "ok", "403", "ok", "403"];
/// A server function or page on the user's current park: the other park's manager gets their own.
const VIEW_OWN_PARK: [&str; N] = ["401", "403", "403", "ok", "ok", "ok", "ok"];
const MANAGE_OWN_PARK: [&str; N] = ["401", "403", "403", "ok", "403", "ok", "ok"];
/// A route about one object, named by its id: the object says which park (an unknown id is
/// not found, whoever asks).
const MANAGE_BY_ID: [&str; N] = MANAGE_OWN_PARK;
const ADMIN: [&str; N] = ["401", "403", "403", "403", "403", "ok", "403"];

/// A valid line of a service list (for the routes that name one).
const SERVICE_ITEM: &str = r#"{"name":"x","category":"policy","mode":"immediate","limit_days":null,"department_id":null}"#;

fn jpeg(len: usize) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01];
    b.resize(len, 1);
    b
}

/// The table. `photo`: a photo worker A announced; `plans`: two plan ids.
fn table(photo: &str, plans: (i64, i64), zl: &Zl) -> Vec<Row> {
    let unknown = "999999";
    let (a, b) = plans;
    let mut sign_out = row(Method::DELETE, "/api/v1/session", "/api/v1/session", Body::None, PUBLIC);
    sign_out.own_session = true;
    let mut logout = rpc("logout", &[], PUBLIC);
    logout.own_session = true;
    vec![
        // The JSON API.
        row(Method::GET, "/health", "/health", Body::None, PUBLIC),
        row(Method::GET, "/ready", "/ready", Body::None, PUBLIC),
        row(Method::GET, "/api/openapi.json", "/api/openapi.json", Body::None, PUBLIC),
        // A wrong password is refused whoever asks.
        row(Method::POST, "/api/v1/session", "/api/v1/session", Body::Json(json!({ "login": "nobody", "password": "wrong" })), ["denied"; N]),
        sign_out,
        row(Method::GET, "/api/v1/me", "/api/v1/me", Body::None, SIGNED_IN),
        row(Method::GET, "/api/v1/my/enterprises", "/api/v1/my/enterprises", Body::None, OWN_GRID),
        row(Method::GET, "/api/v1/my/field", "/api/v1/my/field", Body::None, FIELD_WORK),
        row(Method::POST, "/api/v1/sync", "/api/v1/sync", Body::Json(json!({ "records": [] })), FIELD_WORK),
        // Worker A's photo: only A adds to it (the administrator too is refused: not theirs).
        row(Method::HEAD, "/api/v1/photos/{id}", format!("/api/v1/photos/{photo}"), Body::None, ["401", "ok", "403", "403", "403", "403", "403"]),
        row(Method::PUT, "/api/v1/photos/{id}", format!("/api/v1/photos/{photo}"), Body::Bytes(jpeg(2000)), ["401", "ok", "403", "403", "403", "403", "403"]),
        // …and A and whoever may see the park see it; another worker does not.
        row(Method::GET, "/api/v1/photos/{id}", format!("/api/v1/photos/{photo}"), Body::None, ["401", "ok", "403", "ok", "ok", "ok", "403"]),
        row(Method::GET, "/api/v1/park", "/api/v1/park", Body::None, VIEW_PARK),
        // The park page's map under another plan than the active one: the managers' business.
        row(Method::GET, "/api/v1/park", format!("/api/v1/park?plan={a}"), Body::None, MANAGE),
        row(Method::GET, "/api/v1/export/{file}", "/api/v1/export/enterprises.csv", Body::None, VIEW_PARK),
        row(Method::GET, "/api/v1/plans", "/api/v1/plans", Body::None, MANAGE),
        row(Method::POST, "/api/v1/plans", "/api/v1/plans", Body::Json(json!({ "min": 0, "max": 0 })), MANAGE),
        row(Method::POST, "/api/v1/plans/{id}/activate", format!("/api/v1/plans/{unknown}/activate"), Body::None, MANAGE_BY_ID)
            .zl_path(format!("/api/v1/plans/{b}/activate")),
        row(Method::GET, "/api/v1/plans/{a}/diff/{b}", format!("/api/v1/plans/{a}/diff/{b}"), Body::None, MANAGE),
        // Cases: everyone signed in has an inbox (scoped); the center registers at the hall; a
        // case is seen by those whose park, grid or department it is in (a refused action on
        // it — `take` in 登记 — is 409 for them, 403 for the others, and changes nothing).
        row(Method::GET, "/api/v1/cases", "/api/v1/cases", Body::None, ["401", "ok", "ok", "ok", "ok", "ok", "403"]),
        row(Method::GET, "/api/v1/figures", "/api/v1/figures", Body::None, MANAGE),
        row(Method::GET, "/api/v1/figures/scorecards", "/api/v1/figures/scorecards", Body::None, MANAGE),
        row(Method::GET, "/api/v1/figures/csv/{table}", "/api/v1/figures/csv/summary", Body::None, MANAGE),
        row(Method::GET, "/api/v1/figures/report.xlsx", "/api/v1/figures/report.xlsx", Body::None, MANAGE),
        row(
            Method::POST,
            "/api/v1/cases",
            "/api/v1/cases",
            Body::Json(json!({ "enterprise_id": 999_999, "category": "policy", "description": "x" })),
            MANAGE_BY_ID,
        )
        .zl_json(json!({ "enterprise_id": zl.enterprise, "category": "policy", "description": "x" })),
        row(Method::GET, "/api/v1/cases/{id}", format!("/api/v1/cases/{}", zl.case), Body::None, ["401", "ok", "403", "ok", "403", "ok", "403"]),
        row(
            Method::POST,
            "/api/v1/cases/{id}/actions",
            format!("/api/v1/cases/{}/actions", zl.case),
            Body::Json(json!({ "action": "take" })),
            ["401", "ok", "403", "ok", "403", "ok", "403"],
        ),
        // A file of the case (none with that id: found only by those who see the case).
        row(
            Method::GET,
            "/api/v1/cases/{id}/attachments/{attachment}",
            format!("/api/v1/cases/{}/attachments/999999", zl.case),
            Body::None,
            ["401", "ok", "403", "ok", "403", "ok", "403"],
        ),
        row(Method::GET, "/tiles/{z}/{x}/{y}", "/tiles/14/13700/7000", Body::None, PUBLIC),
        row(Method::GET, "/api/v1/basemap", "/api/v1/basemap", Body::None, PUBLIC),
        // Server functions.
        rpc("login", &[("login", "nobody"), ("password", "wrong")], ["denied"; N]),
        logout,
        rpc("whoami", &[], PUBLIC),
        rpc("change_password", &[("current", "wrong"), ("new", "long enough")], SIGNED_IN),
        rpc("choose_park", &[("code", "ZL")], ["401", "ok", "ok", "ok", "ok", "ok", "403"]),
        rpc("list_accounts", &[], ADMIN),
        rpc("create_account", &[("account", "{}")], ADMIN),
        rpc("set_account_active", &[("user", unknown), ("active", "false")], ADMIN),
        rpc("reset_account_password", &[("user", unknown)], ADMIN),
        rpc("list_departments", &[], SIGNED_IN),
        rpc("create_department", &[("code", ""), ("name", "")], ADMIN),
        rpc("rename_department", &[("id", unknown), ("name", "x")], ADMIN),
        rpc("set_department_active", &[("id", unknown), ("active", "false")], ADMIN),
        rpc("parks_overview", &[], VIEW_OWN_PARK),
        rpc("add_park", &[("code", ""), ("name", ""), ("boundary", "")], ADMIN),
        // Cases for the pages: an inbox for everyone signed in; a case for whoever's park,
        // grid or department it is in (a `take` in 登记 is 409 for them: refused after the
        // check); hall registration and its list of enterprises for the center.
        rpc("case_inbox", &[("which", "open")], SIGNED_IN),
        rpc_owned("load_case", vec![("id", zl.case.to_string())], ["401", "ok", "403", "ok", "403", "ok", "403"]),
        rpc_owned("case_act", vec![("id", zl.case.to_string()), ("action", r#"{"action":"take"}"#.into())], ["401", "ok", "403", "ok", "403", "ok", "403"]),
        rpc("open_hall_case", &[("enterprise_id", unknown), ("category", "policy"), ("description", "x")], MANAGE_BY_ID).zl_args(&[
            ("enterprise_id", zl.enterprise.to_string()),
            ("category", "policy".into()),
            ("description", "x".into()),
        ]),
        rpc_owned(
            "attach_to_case",
            vec![("id", zl.case.to_string()), ("name", "x.pdf".into()), ("content_type", "application/pdf".into()), ("base64", "JVBERi0xLjQK".into())],
            ["401", "ok", "403", "ok", "403", "ok", "403"],
        ),
        rpc("hall_enterprises", &[], SIGNED_IN),
        rpc("issue_enterprise_link", &[("enterprise_id", unknown)], MANAGE_BY_ID).zl_args(&[("enterprise_id", zl.enterprise.to_string())]),
        // The enterprise's own link: no account, the token is the key (a made-up one opens
        // nothing: 404 for everyone).
        rpc_owned("portal_view", vec![("token", zl.token.clone())], PUBLIC),
        rpc("portal_rate", &[("token", &"0".repeat(64)), ("case", unknown), ("satisfaction", "satisfied"), ("solved", "true"), ("comment", "")], PUBLIC),
        rpc("portal_submit", &[("token", &"0".repeat(64)), ("category", "policy"), ("description", "x")], PUBLIC),
        rpc("case_limits", &[], SIGNED_IN),
        rpc("set_case_limit", &[("row", "{}")], MANAGE_OWN_PARK),
        rpc("set_stage_limit", &[("row", "{}")], MANAGE_OWN_PARK),
        rpc("calendar_years", &[], SIGNED_IN),
        rpc("load_calendar", &[("json", "{}")], ADMIN),
        // What the park publishes (issue 15): the service center keeps it; the page and its
        // data need no session (a made-up file is not found, whoever asks).
        row(Method::GET, "/public/{code}", "/public/ZL", Body::None, PUBLIC),
        row(Method::GET, "/api/v1/public/{code}", "/api/v1/public/ZL", Body::None, PUBLIC),
        row(
            Method::GET,
            "/api/v1/public/{code}/notices/{id}/attachments/{attachment}",
            format!("/api/v1/public/ZL/notices/{}/attachments/{unknown}", zl.notice),
            Body::None,
            PUBLIC,
        ),
        rpc("load_publish", &[], MANAGE_OWN_PARK),
        rpc("add_service_item", &[("item", "{}")], MANAGE_OWN_PARK),
        rpc("update_service_item", &[("id", unknown), ("item", SERVICE_ITEM)], MANAGE_BY_ID)
            .zl_args(&[("id", zl.service_item.to_string()), ("item", SERVICE_ITEM.into())]),
        rpc("delete_service_item", &[("id", unknown)], MANAGE_BY_ID).zl_args(&[("id", zl.service_item.to_string())]),
        rpc("move_service_item", &[("id", unknown), ("up", "false")], MANAGE_BY_ID).zl_args(&[("id", zl.service_item.to_string()), ("up", "false".into())]),
        rpc(
            "publish_notice",
            &[("notice", r#"{"kind":"news","title":"","body":"x"}"#), ("file_name", ""), ("content_type", ""), ("base64", "")],
            MANAGE_OWN_PARK,
        ),
        rpc("attach_to_notice", &[("id", unknown), ("name", "x.pdf"), ("content_type", "application/pdf"), ("base64", "JVBERi0xLjQK")], MANAGE_BY_ID)
            .zl_args(&[("id", zl.notice.to_string()), ("name", "x.pdf".into()), ("content_type", "application/pdf".into()), ("base64", "JVBERi0xLjQK".into())]),
        rpc("withdraw_notice", &[("id", unknown)], MANAGE_BY_ID).zl_args(&[("id", zl.notice.to_string())]),
        rpc("set_worker_publish", &[("user", unknown), ("publish_name", "false"), ("phone", "")], MANAGE_BY_ID).zl_args(&[
            ("user", zl.worker.to_string()),
            ("publish_name", "false".into()),
            ("phone", "".into()),
        ]),
        rpc("set_park_public", &[("hotline", "12"), ("publish_figures", "false")], MANAGE_OWN_PARK),
        row(Method::POST, "/rpc/load_dashboard", "/rpc/load_dashboard", Body::Json(json!({ "query": {} })), MANAGE_OWN_PARK),
        rpc("load_scorecards", &[], MANAGE_OWN_PARK),
        rpc("load_report", &[], MANAGE_OWN_PARK),
        rpc("figure_shapes", &[], MANAGE_OWN_PARK),
        rpc("my_grid", &[], OWN_GRID),
        rpc("park_view", &[], VIEW_OWN_PARK),
        rpc("plans_panel", &[], SIGNED_IN),
        rpc("compute_plan", &[("min", "0"), ("max", "0")], MANAGE_OWN_PARK),
        rpc("new_empty_plan", &[], MANAGE_OWN_PARK),
        rpc("activate_plan", &[("id", unknown)], MANAGE_BY_ID).zl_args(&[("id", b.to_string())]),
        rpc("load_plan_editor", &[("id", unknown)], MANAGE_BY_ID).zl_args(&[("id", a.to_string())]),
        rpc("edit_plan", &[("id", unknown), ("grids", "[]"), ("op", r#"{"op":"none"}"#)], MANAGE_BY_ID).zl_args(&[
            ("id", b.to_string()),
            ("grids", "[]".into()),
            ("op", r#"{"op":"none"}"#.into()),
        ]),
        rpc("save_plan", &[("id", unknown), ("grids", "[]")], MANAGE_BY_ID).zl_args(&[("id", b.to_string()), ("grids", "[]".into())]),
        rpc("compare_plans", &[("a", unknown), ("b", unknown)], MANAGE_BY_ID).zl_args(&[("a", a.to_string()), ("b", b.to_string())]),
        rpc("copy_plan", &[("id", unknown)], MANAGE_BY_ID).zl_args(&[("id", a.to_string())]),
        rpc("registry_check", &[("file_name", "x.csv"), ("data", ""), ("encoding", "auto"), ("datum", "wgs84"), ("mapping", "")], MANAGE_OWN_PARK),
        rpc("registry_import", &[("file_name", "x.csv"), ("data", ""), ("encoding", "auto"), ("datum", "wgs84"), ("mapping", "")], MANAGE_OWN_PARK),
        rpc("registry_list", &[], MANAGE_OWN_PARK),
        rpc("update_enterprise", &[("edit", "{}")], MANAGE_OWN_PARK),
        rpc("enterprise_history", &[("id", unknown)], MANAGE_BY_ID).zl_args(&[("id", zl.enterprise.to_string())]),
        rpc("staff_overview", &[], MANAGE_OWN_PARK),
        rpc("assign_worker", &[("grid", "ZL999"), ("user", unknown)], MANAGE_BY_ID).zl_args(&[("grid", "ZL002".into()), ("user", zl.worker.to_string())]),
        rpc("unassign_worker", &[("grid", "ZL999"), ("user", unknown)], MANAGE_BY_ID).zl_args(&[("grid", "ZL001".into()), ("user", zl.worker.to_string())]),
        rpc("create_worker", &[("login", ""), ("name", ""), ("password", "")], MANAGE_OWN_PARK),
        rpc("set_worker_active", &[("user", unknown), ("active", "false")], MANAGE_BY_ID)
            .zl_args(&[("user", zl.worker.to_string()), ("active", "false".into())]),
        rpc("reset_worker_password", &[("user", unknown)], MANAGE_BY_ID).zl_args(&[("user", zl.worker.to_string())]),
        // Pages: the signed-out are sent to sign in; a role without the page's capability is
        // refused.
        page("/", "/", ["login", "home", "home", "home", "home", "home", "home"]),
        page("/login", "/login", PUBLIC),
        page("/my-grid", "/my-grid", ["login", "ok", "ok", "403", "403", "ok", "403"]),
        page("/park", "/park", ["login", "403", "403", "ok", "ok", "ok", "ok"]),
        page("/plans/{id}/edit", format!("/plans/{a}/edit"), ["login", "403", "403", "ok", "403", "ok", "403"]),
        page("/plans/{a}/diff/{b}", format!("/plans/{a}/diff/{b}"), ["login", "403", "403", "ok", "403", "ok", "403"]),
        page("/workers", "/workers", ["login", "403", "403", "ok", "403", "ok", "ok"]),
        page("/registry", "/registry", ["login", "403", "403", "ok", "403", "ok", "ok"]),
        page("/field", "/field", ["login", "ok", "ok", "home", "home", "ok", "home"]),
        page("/account", "/account", ["login", "ok", "ok", "ok", "ok", "ok", "ok"]),
        page("/accounts", "/accounts", ["login", "403", "403", "403", "403", "ok", "403"]),
        page("/departments", "/departments", ["login", "ok", "ok", "ok", "ok", "ok", "ok"]),
        page("/cases", "/cases", ["login", "ok", "ok", "ok", "ok", "ok", "ok"]),
        page("/cases/{id}", format!("/cases/{}", zl.case), ["login", "ok", "403", "ok", "403", "ok", "403"]),
        page("/e/{token}", format!("/e/{}", zl.token), PUBLIC),
        page("/parks", "/parks", ["login", "403", "403", "ok", "ok", "ok", "ok"]),
        page("/publish", "/publish", ["login", "403", "403", "ok", "403", "ok", "ok"]),
        page("/dashboard", "/dashboard", ["login", "403", "403", "ok", "403", "ok", "ok"]),
        page("/scorecards", "/scorecards", ["login", "403", "403", "ok", "403", "ok", "ok"]),
        page("/report", "/report", ["login", "403", "403", "ok", "403", "ok", "ok"]),
    ]
}

/// What a caller got, in the table's words.
fn outcome(status: StatusCode, location: Option<&str>) -> &'static str {
    match (status.as_u16(), location) {
        (401, _) => "401",
        (429, _) => "throttled",
        (403, _) => "403",
        (300..=399, Some("/login")) => "login",
        (300..=399, Some(_)) if status != StatusCode::NOT_MODIFIED => "home",
        _ => "ok",
    }
}

async fn signed_in(app: &TestApp, login: Option<&str>) -> Client {
    let c = support::browser();
    if let Some(login) = login {
        assert_eq!(app.sign_in_with(&c, login, support::PASSWORD).await.status(), StatusCode::OK, "{login} signs in");
    }
    c
}

async fn send(app: &TestApp, client: &Client, r: &Row, caller: usize) -> reqwest::Response {
    // A page is asked for as a browser does; a server function as the app's code calls it.
    let accept = if r.template.starts_with("/rpc/") || r.template.starts_with("/api/") { "application/json" } else { "text/html" };
    let (mut path, body) = match (&r.other, caller == OTHER_PARK) {
        (Some((path, body)), true) => (path.clone(), body),
        _ => (r.path.clone(), &r.body),
    };
    if caller == OTHER_PARK {
        path.push(if path.contains('?') { '&' } else { '?' });
        path.push_str("park=ZL");
    }
    let mut req = client.request(r.method.clone(), app.url(&path)).header("Accept", accept);

    req = match body {
        Body::None => req,
        Body::Json(v) => req.json(v),
        Body::Form(f) => req.form(f),
        Body::Bytes(b) => req.header("Upload-Offset", "0").body(b.clone()),
    };
    req.send().await.expect("request")
}

#[tokio::test]
async fn every_route_answers_each_kind_of_caller_as_the_table_says_and_the_table_has_every_route() {
    async fn check(app: TestApp) {
        // Worker A announces a photo with a finding.
        let a = signed_in(&app, Some("worker01")).await;
        let field: api::FieldData = a.get(app.url("/api/v1/my/field")).send().await.expect("request").json().await.expect("field data");
        let e = &field.enterprises[0];
        let photo = uuid::Uuid::now_v7().to_string();
        let t = (chrono::Utc::now() - chrono::Duration::minutes(5)).to_rfc3339();
        let finding = json!({ "type": "finding", "id": uuid::Uuid::now_v7().to_string(), "enterprise_id": e.id, "kind": "noise", "description": "噪声",
            "found_at": t, "fix": { "lon": e.lon, "lat": e.lat }, "photos": [{ "id": photo, "content_type": "image/jpeg", "size": 2000, "taken_at": t }] });
        let r = a.post(app.url("/api/v1/sync")).json(&json!({ "records": [finding] })).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::OK);
        let manager = signed_in(&app, Some("manager")).await;
        let plans: Vec<api::PlanSummary> = manager.get(app.url("/api/v1/plans")).send().await.expect("request").json().await.expect("plans");
        let draft = store::editor::copy(&app.db.conn, plans[0].id, None).await.expect("a second plan");
        let worker01 = store::users::find_by_login(&app.db.conn, "worker01").await.expect("query").expect("worker01");
        // …and a demand on a visit: a case of A's grid.
        let visit = json!({ "type": "visit", "id": uuid::Uuid::now_v7().to_string(), "enterprise_id": e.id, "started_at": t, "ended_at": t,
            "demands": [{ "id": uuid::Uuid::now_v7().to_string(), "category": "jobs", "description": "招工难" }] });
        assert_eq!(a.post(app.url("/api/v1/sync")).json(&json!({ "records": [visit] })).send().await.expect("request").status(), StatusCode::OK);
        let case: api::cases::CaseList = manager.get(app.url("/api/v1/cases?box=new")).send().await.expect("request").json().await.expect("cases");
        let manager_user = store::users::find_by_login(&app.db.conn, "manager").await.expect("query").expect("manager");
        let access = store::access::Access::of(&app.db.conn, manager_user).await.expect("access");
        let token = store::portal::issue(&app.db.conn, &access, e.id).await.expect("a link");
        let public = store::public::page(&app.db.conn, "ZL").await.expect("query").expect("ZL's public page");
        let notice = public.notices.iter().find(|n| !n.attachments.is_empty()).expect("a notice with a file").id;
        let service_item = public.services[0].id;
        let zl = Zl { enterprise: e.id, worker: worker01.id, case: case.cases[0].id, token, service_item, notice };
        let rows = table(&photo, (plans[0].id, draft.id), &zl);

        // The table has a row for every route the server answers, and no other.
        let mut listed: Vec<(String, String)> = rows.iter().map(|r| (r.method.to_string(), r.template.to_owned())).collect();
        listed.sort();
        listed.dedup();
        let mut served: Vec<(String, String)> = server::startup::route_inventory().into_iter().map(|(m, p)| (m.to_string(), p)).collect();
        served.sort();
        assert_eq!(listed, served, "the table's routes (left) against the server's (right)");

        // Another park, TY, and its manager.
        let square = domain::Boundary::from_geojson_str(
            r#"{"type":"Polygon","coordinates":[[[121.30,24.90],[121.32,24.90],[121.32,24.92],[121.30,24.92],[121.30,24.90]]]}"#,
        )
        .expect("a square");
        let ty = store::parks::create(&app.db.conn, "TY", "桃园", square, None, None).await.expect("park TY");
        let spec = store::users::AccountSpec {
            login: "ty-manager",
            display_name: "桃园主任",
            role: domain::Role::Manager,
            parks: vec![ty.id],
            all_parks: false,
            department: None,
            password: Some(support::PASSWORD),
        };
        store::users::create_account(&app.db.conn, spec, None).await.expect("TY's manager");

        let mut clients = Vec::new();
        for login in LOGINS {
            clients.push(signed_in(&app, login).await);
        }
        // TY's manager has the switcher's cookie set to ZL, as if by hand.
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        jar.add_cookie_str("parkgrid_park=ZL; Path=/", &app.url("/").parse().expect("url"));
        let other = Client::builder().cookie_provider(jar).redirect(reqwest::redirect::Policy::none()).build().expect("client");
        assert_eq!(app.sign_in_with(&other, "ty-manager", support::PASSWORD).await.status(), StatusCode::OK);
        clients[OTHER_PARK] = other;
        let mut wrong = Vec::new();
        for r in &rows {
            for (i, caller) in CALLERS.iter().enumerate() {
                let own;
                let client = if r.own_session {
                    own = signed_in(&app, LOGINS[i]).await;
                    &own
                } else {
                    &clients[i]
                };
                let res = send(&app, client, r, i).await;
                let location = res.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_owned);
                let status = res.status();
                let got = outcome(status, location.as_deref());
                // Wrong credentials are refused, at once or after a wait: either way, denied.
                let got = if r.expect[i] == "denied" && matches!(got, "401" | "throttled") { "denied" } else { got };
                // A route the router does not know falls through to the not-found page.
                let routed = !(status == StatusCode::NOT_FOUND
                    && res.headers().get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"))
                    && r.template != "/plans/{id}/edit");
                if got != r.expect[i] || !routed {
                    wrong.push(format!(
                        "{} {} as {caller}: expected {}, got {status}{}",
                        r.method,
                        r.path,
                        r.expect[i],
                        location.map(|l| format!(" → {l}")).unwrap_or_default()
                    ));
                }
            }
        }
        assert!(wrong.is_empty(), "on {}:\n{}", app.db.engine, wrong.join("\n"));
    }
    on_every_engine!(check);
}
