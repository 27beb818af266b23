//! The service loop (issue 13) through the API: a demand heard on a visit becomes a case that
//! the center dispatches, a department handles (returning it once), a worker verifies and the
//! enterprise's word closes; every role acts only where the rules and its scope allow. On both
//! engines.

use crate::support;

use api::cases::{ActionKind, CaseBox, CaseDetail, CaseList, Stage, TransitionRefused};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use support::{TestApp, id};

async fn signed_in(app: &TestApp, login: &str) -> Client {
    let c = support::browser();
    assert_eq!(app.sign_in_with(&c, login, support::PASSWORD).await.status(), StatusCode::OK, "{login} signs in");
    c
}

fn demand_visit(enterprise: i64, category: &str, description: &str) -> Value {
    let t = (chrono::Utc::now() - chrono::Duration::hours(2)).to_rfc3339();
    json!({ "type": "visit", "id": id(), "enterprise_id": enterprise, "started_at": t, "ended_at": t, "met": "王经理", "notes": "",
            "demands": [{ "id": id(), "category": category, "description": description }] })
}

async fn boxed(app: &TestApp, client: &Client, which: &str) -> CaseList {
    let r = client.get(app.url(&format!("/api/v1/cases?box={which}"))).send().await.expect("request");
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.expect("case list")
}

async fn act(app: &TestApp, client: &Client, case: i64, action: Value) -> (StatusCode, Value) {
    let r = client.post(app.url(&format!("/api/v1/cases/{case}/actions"))).json(&action).send().await.expect("request");
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

async fn ok(app: &TestApp, client: &Client, case: i64, action: Value) -> CaseDetail {
    let (s, body) = act(app, client, case, action.clone()).await;
    assert_eq!(s, StatusCode::OK, "{action} → {body}");
    serde_json::from_value(body).expect("case detail")
}

/// worker01 hears a demand on a visit, synced: its enterprise, the manager's client, the new
/// case's id.
async fn heard(app: &TestApp, category: &str, text: &str) -> (i64, Client, i64) {
    app.sign_in("worker01").await;
    let (enterprise, _, _) = app.my_enterprise().await;
    assert_eq!(support::statuses(&app.sync(&[demand_visit(enterprise, category, text)]).await), [api::ReceiptStatus::Created]);
    let manager = signed_in(app, "manager").await;
    let id = boxed(app, &manager, "new").await.cases[0].id;
    (enterprise, manager, id)
}

/// A department's id by code.
async fn department(app: &TestApp, code: &str) -> i64 {
    store::departments::find_by_code(&app.db.conn, code).await.expect("query").expect("department").id
}

/// An officer of another department than the demo's (safety).
async fn tax_officer(app: &TestApp) -> Client {
    let zl = store::parks::find_by_code(&app.db.conn, "ZL").await.expect("query").expect("ZL");
    let tax = department(app, "tax").await;
    let spec = store::users::AccountSpec {
        login: "tax-officer",
        display_name: "税务 李科员",
        role: domain::Role::Department,
        parks: vec![zl.id],
        all_parks: false,
        department: Some(tax),
        password: Some(support::PASSWORD),
    };
    store::users::create_account(&app.db.conn, spec, None).await.expect("tax officer");
    signed_in(app, "tax-officer").await
}

#[tokio::test]
async fn a_demand_heard_on_a_visit_is_dispatched_returned_answered_verified_and_rated_with_its_whole_timeline() {
    async fn check(app: TestApp) {
        app.sign_in("worker01").await;
        let (enterprise, _, _) = app.my_enterprise().await;
        let receipts = app.sync(&[demand_visit(enterprise, "jobs", "招工难，需要对接人社部门")]).await;
        assert_eq!(support::statuses(&receipts), [api::ReceiptStatus::Created]);
        let worker = app.client.clone();

        // The manager finds it among the new cases, owned by the worker who heard it.
        let manager = signed_in(&app, "manager").await;
        let new = boxed(&app, &manager, "new").await;
        assert_eq!(new.cases.len(), 1, "on {}", app.db.engine);
        let case = &new.cases[0];
        assert_eq!((case.stage, case.enterprise_id, case.category.as_str()), (Stage::Registered, Some(enterprise), "jobs"));
        assert_eq!(case.owner.as_deref(), Some("王芳"), "首问负责: the worker who heard it");
        let id = case.id;

        // Escalated to the safety department (the demo's officer) — by mistake.
        let accepted = ok(&app, &manager, id, json!({ "action": "accept", "mode": "escalated" })).await;
        assert!(accepted.case.deadline.is_some(), "the clock starts on acceptance");
        let safety = department(&app, "safety").await;
        ok(&app, &manager, id, json!({ "action": "dispatch", "department": safety })).await;
        let officer = signed_in(&app, "safety").await;
        assert_eq!(boxed(&app, &officer, "open").await.cases.iter().map(|c| c.id).collect::<Vec<_>>(), [id], "in the safety inbox");
        // The officer returns it with the reason; it waits for the manager, flagged.
        let (s, e) = act(&app, &officer, id, json!({ "action": "return", "reason": "" })).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "a return needs its reason: {e}");
        ok(&app, &officer, id, json!({ "action": "return", "reason": "招工事项属人社局" })).await;
        assert_eq!(boxed(&app, &manager, "flagged").await.cases.iter().map(|c| c.id).collect::<Vec<_>>(), [id]);
        assert!(boxed(&app, &officer, "open").await.cases.is_empty(), "no longer the department's");

        // Re-dispatched to human resources; its officer takes it and answers.
        let hrss = department(&app, "hrss").await;
        ok(&app, &manager, id, json!({ "action": "dispatch", "department": hrss })).await;
        assert!(boxed(&app, &manager, "flagged").await.cases.is_empty(), "the manager dealt with it");
        let spec = store::users::AccountSpec {
            login: "hr-officer",
            display_name: "人社 张科员",
            role: domain::Role::Department,
            parks: vec![store::parks::find_by_code(&app.db.conn, "ZL").await.expect("q").expect("ZL").id],
            all_parks: false,
            department: Some(hrss),
            password: Some(support::PASSWORD),
        };
        store::users::create_account(&app.db.conn, spec, None).await.expect("hr officer");
        let hr = signed_in(&app, "hr-officer").await;
        ok(&app, &hr, id, json!({ "action": "take" })).await;
        ok(&app, &hr, id, json!({ "action": "reply", "reply": "已对接人社局招聘会，推荐 12 名求职者" })).await;

        // The worker checks with the enterprise, then records its rating at the visit.
        let verified = ok(&app, &worker, id, json!({ "action": "verify", "solved": true, "note": "" })).await;
        assert_eq!(verified.case.stage, Stage::Closed);
        assert_eq!(verified.allowed, [ActionKind::Rate], "the worker may record the enterprise's rating");
        let rated = ok(&app, &worker, id, json!({ "action": "rate", "satisfaction": "satisfied", "solved": true, "comment": "很及时" })).await;
        assert_eq!(rated.case.rating, Some(api::cases::Satisfaction::Satisfied));

        // The whole timeline, in order, with who.
        let actions: Vec<&str> = rated.events.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["register", "accept", "dispatch", "return", "dispatch", "take", "reply", "verify", "rate"]);
        let who: Vec<Option<&str>> = rated.events.iter().map(|e| e.actor.as_deref()).collect();
        assert_eq!(who[3], Some("应急管理局 刘科长"), "{who:?}");
        assert_eq!(who[6], Some("人社 张科员"));
        let stages: Vec<Stage> = rated.events.iter().map(|e| e.to_stage).collect();
        assert_eq!(stages.last(), Some(&Stage::Closed));
        // Every transition is in the audit log.
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        let audited = store::entities::audit_event::Entity::find()
            .filter(store::entities::audit_event::Column::Entity.eq("case"))
            .filter(store::entities::audit_event::Column::EntityId.eq(id.to_string()))
            .count(&app.db.conn)
            .await
            .expect("count");
        assert_eq!(audited, 8, "eight transitions after registration");
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn an_action_the_stage_does_not_allow_is_409_naming_the_stage_and_what_it_allows() {
    async fn check(app: TestApp) {
        let (_, manager, id) = heard(&app, "policy", "想了解技改补贴政策").await;
        let (s, body) = act(&app, &manager, id, json!({ "action": "verify", "solved": true, "note": "" })).await;
        assert_eq!(s, StatusCode::CONFLICT);
        let refused: TransitionRefused = serde_json::from_value(body).expect("a refusal naming the stage");
        assert_eq!(refused.error, "not_in_stage");
        assert_eq!(refused.stage, Stage::Registered);
        assert_eq!(refused.allowed, [ActionKind::SolveAtOnce, ActionKind::Accept, ActionKind::AnswerNotOurs, ActionKind::Supervise]);
        // Nothing changed.
        let detail: CaseDetail = manager.get(app.url(&format!("/api/v1/cases/{id}"))).send().await.expect("request").json().await.expect("detail");
        assert_eq!((detail.case.stage, detail.events.len()), (Stage::Registered, 1));
        // An action the API does not know, and a department that does not exist.
        assert_eq!(act(&app, &manager, id, json!({ "action": "burn" })).await.0, StatusCode::UNPROCESSABLE_ENTITY);
        ok(&app, &manager, id, json!({ "action": "accept", "mode": "escalated" })).await;
        let (s, e) = act(&app, &manager, id, json!({ "action": "dispatch", "department": 999_999 })).await;
        assert_eq!(s, StatusCode::CONFLICT, "{e}");
        assert!(e["message"].as_str().is_some_and(|m| m.contains("department")), "{e}");
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn each_role_sees_and_acts_on_a_case_only_within_its_park_grid_and_department() {
    async fn check(app: TestApp) {
        let (enterprise, manager, id) = heard(&app, "resources", "用电增容").await;
        ok(&app, &manager, id, json!({ "action": "accept", "mode": "escalated" })).await;
        ok(&app, &manager, id, json!({ "action": "dispatch", "department": department(&app, "safety").await })).await;
        let path = format!("/api/v1/cases/{id}");

        // Another grid's worker and another department's officer neither see nor act on it.
        let worker02 = signed_in(&app, "worker02").await;
        let tax = tax_officer(&app).await;
        for (who, client) in [("worker02", &worker02), ("the tax officer", &tax)] {
            assert_eq!(client.get(app.url(&path)).send().await.expect("request").status(), StatusCode::FORBIDDEN, "{who} on {}", app.db.engine);
            assert_eq!(act(&app, client, id, json!({ "action": "take" })).await.0, StatusCode::FORBIDDEN, "{who}");
            assert!(boxed(&app, client, "open").await.cases.is_empty(), "{who}'s inbox");
        }
        // The worker of the grid sees it but may not take it for the department.
        assert_eq!(app.get(&path).await.status(), StatusCode::OK);
        assert_eq!(act(&app, &app.client, id, json!({ "action": "take" })).await.0, StatusCode::FORBIDDEN);
        // Only the center registers at the hall.
        let hall = json!({ "enterprise_id": enterprise, "category": "policy", "description": "来电咨询" });
        assert_eq!(app.client.post(app.url("/api/v1/cases")).json(&hall).send().await.expect("request").status(), StatusCode::FORBIDDEN);
        let r = manager.post(app.url("/api/v1/cases")).json(&hall).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::CREATED);
        // Another park's manager: 403 on ZL's case, and none of ZL's in the inbox.
        let square = domain::Boundary::from_geojson_str(
            r#"{"type":"Polygon","coordinates":[[[121.30,24.90],[121.32,24.90],[121.32,24.92],[121.30,24.92],[121.30,24.90]]]}"#,
        )
        .expect("square");
        let ty = store::parks::create(&app.db.conn, "TY", "桃园", square, None, None).await.expect("TY");
        let spec = store::users::AccountSpec {
            login: "ty-manager",
            display_name: "桃园主任",
            role: domain::Role::Manager,
            parks: vec![ty.id],
            all_parks: false,
            department: None,
            password: Some(support::PASSWORD),
        };
        store::users::create_account(&app.db.conn, spec, None).await.expect("TY manager");
        let ty_manager = signed_in(&app, "ty-manager").await;
        assert_eq!(ty_manager.get(app.url(&path)).send().await.expect("request").status(), StatusCode::FORBIDDEN);
        assert_eq!(act(&app, &ty_manager, id, json!({ "action": "supervise", "note": "x" })).await.0, StatusCode::FORBIDDEN);
        assert!(boxed(&app, &ty_manager, "open").await.cases.is_empty());
        assert_eq!(ty_manager.post(app.url("/api/v1/cases")).json(&hall).send().await.expect("request").status(), StatusCode::FORBIDDEN);
        assert_eq!(support::browser().get(app.url("/api/v1/cases")).send().await.expect("request").status(), StatusCode::UNAUTHORIZED);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_resent_visit_registers_its_demand_once_and_the_same_request_within_90_days_is_a_repeat() {
    async fn check(app: TestApp) {
        app.sign_in("worker01").await;
        let (enterprise, _, _) = app.my_enterprise().await;
        let visit = demand_visit(enterprise, "jobs", "招工难");
        app.sync(std::slice::from_ref(&visit)).await;
        app.sync(std::slice::from_ref(&visit)).await;
        app.sync(&[demand_visit(enterprise, "jobs", "还是招工难")]).await;
        app.sync(&[demand_visit(enterprise, "living", "食堂")]).await;
        let manager = signed_in(&app, "manager").await;
        let new = boxed(&app, &manager, "new").await;
        assert_eq!(new.cases.len(), 3, "the resent visit registered nothing on {}", app.db.engine);
        let jobs: Vec<_> = new.cases.iter().filter(|c| c.category == "jobs").collect();
        // Newest first: the second jobs case repeats the first.
        assert_eq!(jobs[0].repeat_of, Some(jobs[1].id));
        assert_eq!(jobs[1].repeat_of, None);
        assert_eq!(new.cases.iter().find(|c| c.category == "living").and_then(|c| c.repeat_of), None);
        let count = |b: CaseBox| new.counts.iter().find(|c| c.name == b).map(|c| c.count);
        assert_eq!((count(CaseBox::New), count(CaseBox::Open), count(CaseBox::Closed)), (Some(3), Some(3), Some(0)));
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn an_extension_asked_before_the_deadline_and_granted_moves_it_by_working_days_and_missing_material_stops_the_clock() {
    async fn check(app: TestApp) {
        use sea_orm::{ActiveModelTrait, EntityTrait, Set};
        let (_, manager, id) = heard(&app, "policy", "申报高新技术企业").await;
        ok(&app, &manager, id, json!({ "action": "accept", "mode": "escalated" })).await;
        ok(&app, &manager, id, json!({ "action": "dispatch", "department": department(&app, "safety").await })).await;
        let officer = signed_in(&app, "safety").await;
        ok(&app, &officer, id, json!({ "action": "take" })).await;
        let cal = store::calendar::load(&app.db.conn).await.expect("calendar");
        let row = store::entities::service_case::Entity::find_by_id(id).one(&app.db.conn).await.expect("q").expect("case");
        let mut row: store::entities::service_case::ActiveModel = row.into();
        // Far in the future, so that the extension is asked before the deadline.
        let future = chrono::Utc::now() + chrono::Duration::days(3650);
        row.deadline_at = Set(Some(future));
        row.update(&app.db.conn).await.expect("set the deadline");
        let asked = ok(&app, &officer, id, json!({ "action": "ask_extension", "days": 3, "reason": "需现场复核" })).await;
        assert_eq!(asked.case.pending_extension, Some(3));
        assert_eq!(boxed(&app, &manager, "extensions").await.cases.len(), 1);
        let granted = ok(&app, &manager, id, json!({ "action": "decide_extension", "grant": true })).await;
        let expected = cal.extended(future, 3);
        assert_eq!(granted.case.deadline.as_deref(), Some(expected.to_rfc3339().as_str()), "three working days later on {}", app.db.engine);
        assert!(expected > future + chrono::Duration::days(2));
        // 补办: the clock stops (no urgency shown), and runs again when the material arrives.
        let waiting = ok(&app, &officer, id, json!({ "action": "request_material", "missing": "营业执照复印件" })).await;
        assert_eq!((waiting.case.stage, waiting.case.urgency), (Stage::AwaitingMaterial, None));
        let back = ok(&app, &officer, id, json!({ "action": "material_arrived" })).await;
        assert_eq!(back.case.stage, Stage::InProgress);
        assert_eq!(back.case.deadline.as_deref(), Some(expected.to_rfc3339().as_str()), "resumed the same day: the same deadline");
        // Late now: the case shows overdue, and no extension may be asked any more.
        let row = store::entities::service_case::Entity::find_by_id(id).one(&app.db.conn).await.expect("q").expect("case");
        let mut row: store::entities::service_case::ActiveModel = row.into();
        row.deadline_at = Set(Some(chrono::Utc::now() - chrono::Duration::days(10)));
        row.update(&app.db.conn).await.expect("set the deadline");
        let overdue = boxed(&app, &manager, "overdue").await;
        assert_eq!(overdue.cases.iter().map(|c| c.id).collect::<Vec<_>>(), [id]);
        assert!(overdue.cases[0].urgency >= Some(api::cases::Urgency::Urged), "{:?}", overdue.cases[0].urgency);
        let (s, e) = act(&app, &officer, id, json!({ "action": "ask_extension", "days": 3, "reason": "x" })).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_worker_verifies_and_has_a_case_rated_offline_and_a_resent_or_late_record_counts_once() {
    async fn check(app: TestApp) {
        let (_, manager, id) = heard(&app, "technology", "希望对接高校做产品检测").await;
        ok(&app, &manager, id, json!({ "action": "accept", "mode": "promised" })).await;
        ok(&app, &manager, id, json!({ "action": "reply", "reply": "已联系市检测中心" })).await;

        // The phone's field data lists it to verify, with the answer to check.
        let data: api::FieldData = app.get("/api/v1/my/field").await.json().await.expect("field data");
        let waiting = data.cases.iter().find(|c| c.id == id).expect("the case to verify");
        assert!(waiting.to_verify);
        assert_eq!(waiting.answer.as_deref(), Some("已联系市检测中心"));

        // Verified offline, sent twice: one transition.
        let t = (chrono::Utc::now() - chrono::Duration::minutes(10)).to_rfc3339();
        let verify =
            json!({ "type": "case_work", "id": support::id(), "case_id": id, "work": { "kind": "verify", "solved": true, "note": "企业确认" }, "at": t });
        assert_eq!(support::statuses(&app.sync(std::slice::from_ref(&verify)).await), [api::ReceiptStatus::Created], "on {}", app.db.engine);
        assert_eq!(support::statuses(&app.sync(std::slice::from_ref(&verify)).await), [api::ReceiptStatus::Duplicate]);
        // Another phone's verification of the same case arrives late: the case moved on.
        let late = json!({ "type": "case_work", "id": support::id(), "case_id": id, "work": { "kind": "verify", "solved": false, "note": "x" }, "at": t });
        let receipts = app.sync(&[late]).await;
        assert_eq!(receipts[0].rejection, Some(api::Rejection::CaseMovedOn { case_id: id }));
        // Another grid's worker may not rate it; the worker of the grid records the rating.
        let rate = json!({ "type": "case_work", "id": support::id(), "case_id": id, "work": { "kind": "rate", "satisfaction": "unsatisfied", "solved": false, "comment": "检测费太贵" }, "at": t });
        let other = signed_in(&app, "worker02").await;
        let r: api::SyncReply =
            other.post(app.url("/api/v1/sync")).json(&json!({ "records": [rate.clone()] })).send().await.expect("request").json().await.expect("reply");
        assert!(matches!(r.receipts[0].rejection, Some(api::Rejection::NotYourGrid { .. })), "{:?}", r.receipts[0]);
        assert_eq!(support::statuses(&app.sync(&[rate]).await), [api::ReceiptStatus::Created]);
        let detail: CaseDetail = manager.get(app.url(&format!("/api/v1/cases/{id}"))).send().await.expect("request").json().await.expect("detail");
        assert_eq!((detail.case.stage, detail.case.rating, detail.case.flagged), (Stage::Closed, Some(api::cases::Satisfaction::Unsatisfied), true));
        assert_eq!(detail.events.iter().filter(|e| e.action == "verify").count(), 1);
        // Nothing is left for the phone.
        let data: api::FieldData = app.get("/api/v1/my/field").await.json().await.expect("field data");
        assert!(data.cases.iter().all(|c| c.id != id));
    }
    on_every_engine!(check);
}

/// Calls a server function as the app's code does: the status and the body.
async fn rpc(app: &TestApp, client: &Client, endpoint: &str, args: &[(&str, &str)]) -> (StatusCode, String) {
    let r = client.post(app.url(&format!("/rpc/{endpoint}"))).header("Accept", "application/json").form(args).send().await.expect("request");
    (r.status(), r.text().await.unwrap_or_default())
}

#[tokio::test]
async fn a_category_s_own_limit_sets_the_deadline_and_the_administrator_loads_next_year_s_calendar() {
    async fn check(app: TestApp) {
        app.sign_in("worker01").await;
        let (enterprise, _, _) = app.my_enterprise().await;
        app.sync(&[demand_visit(enterprise, "living", "食堂夜间无餐")]).await;
        let manager = signed_in(&app, "manager").await;
        // Living-service cases escalated get 2 working days, not the 10 of every category.
        let row = json!({ "kind": "demand", "category": "living", "mode": "escalated", "working_days": 2 }).to_string();
        assert_eq!(rpc(&app, &manager, "set_case_limit", &[("row", &row)]).await.0, StatusCode::OK);
        let bad = json!({ "kind": "demand", "category": "living", "mode": "immediate", "working_days": 2 }).to_string();
        assert_eq!(rpc(&app, &manager, "set_case_limit", &[("row", &bad)]).await.0, StatusCode::CONFLICT);
        let worker = signed_in(&app, "worker01").await;
        assert_eq!(rpc(&app, &worker, "set_case_limit", &[("row", &row)]).await.0, StatusCode::FORBIDDEN);
        let id = boxed(&app, &manager, "new").await.cases[0].id;
        let accepted = ok(&app, &manager, id, json!({ "action": "accept", "mode": "escalated" })).await;
        let cal = store::calendar::load(&app.db.conn).await.expect("calendar");
        let deadline =
            chrono::DateTime::parse_from_rfc3339(accepted.case.deadline.as_deref().expect("a deadline")).expect("rfc3339").with_timezone(&chrono::Utc);
        // Two working days from the day it was accepted (today in China).
        let expected = cal.deadline(chrono::Utc::now(), domain::calendar::TimeLimit::WorkingDays(2));
        assert!((deadline - expected).num_seconds().abs() < 5, "{deadline} against {expected} on {}", app.db.engine);

        // The administrator loads the notice of 2027 when it comes out; a broken one is refused
        // naming the day, and changes nothing.
        let admin = signed_in(&app, "admin").await;
        let notice = json!({ "year": 2027, "days": [{ "name": "元旦", "date": "2027-01-01", "isOffDay": true }, { "name": "春节", "date": "2027-02-06", "isOffDay": false }] }).to_string();
        let broken = json!({ "year": 2027, "days": [{ "name": "x", "date": "2026-12-31", "isOffDay": true }] }).to_string();
        let (s, e) = rpc(&app, &admin, "load_calendar", &[("json", &broken)]).await;
        assert_eq!(s, StatusCode::CONFLICT, "{e}");
        assert!(!store::calendar::load(&app.db.conn).await.expect("calendar").covers(2027));
        assert_eq!(rpc(&app, &manager, "load_calendar", &[("json", &notice)]).await.0, StatusCode::FORBIDDEN);
        assert_eq!(rpc(&app, &admin, "load_calendar", &[("json", &notice)]).await.0, StatusCode::OK);
        let cal = store::calendar::load(&app.db.conn).await.expect("calendar");
        assert!(cal.covers(2027));
        assert!(cal.is_working_day(chrono::NaiveDate::from_ymd_opt(2027, 2, 6).expect("date")), "a Saturday made a working day");
        assert!(!cal.is_working_day(chrono::NaiveDate::from_ymd_opt(2027, 1, 1).expect("date")));
    }
    on_every_engine!(check);
}

fn hours_ago(h: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::hours(h)).to_rfc3339()
}

/// A finding at `(lon, lat)` as the phone sends it.
fn finding_at(enterprise: i64, grade: &str, lon: f64, lat: f64) -> Value {
    let deadline = (chrono::Utc::now() + chrono::Duration::days(20)).to_rfc3339();
    json!({ "type": "finding", "id": id(), "enterprise_id": enterprise, "kind": "safety_hazard", "grade": grade,
            "description": "配电房电缆老化裸露", "found_at": hours_ago(3), "fix": { "lon": lon, "lat": lat, "accuracy_m": 8.0 },
            "deadline": deadline, "photos": [] })
}

/// A re-inspection of `finding` with one photo taken at `(lon, lat)`.
fn reinspection_at(finding: &Value, result: &str, lon: f64, lat: f64) -> Value {
    let photo =
        json!({ "id": id(), "content_type": "image/jpeg", "size": 1000, "taken_at": hours_ago(1), "fix": { "lon": lon, "lat": lat, "accuracy_m": 6.0 } });
    let mut r = json!({ "type": "reinspection", "id": id(), "finding_id": finding["id"], "result": result, "inspected_at": hours_ago(1),
                        "notes": "", "photos": [photo] });
    if result != "fixed" {
        r["new_deadline"] = json!((chrono::Utc::now() + chrono::Duration::days(5)).to_rfc3339());
        r["notes"] = json!("电缆仍有一段裸露");
    }
    r
}

async fn detail(app: &TestApp, client: &Client, id: i64) -> CaseDetail {
    client.get(app.url(&format!("/api/v1/cases/{id}"))).send().await.expect("request").json().await.expect("case detail")
}

async fn finding_status(app: &TestApp, finding: &Value) -> String {
    use sea_orm::EntityTrait;
    let id = finding["id"].as_str().expect("an id").to_owned();
    store::entities::finding::Entity::find_by_id(id).one(&app.db.conn).await.expect("query").expect("the finding").status
}

#[tokio::test]
async fn a_finding_is_rectified_reported_by_its_worker_verified_by_someone_else_with_the_after_photo_s_distance_and_not_fixed_reopens_it() {
    async fn check(app: TestApp) {
        app.sign_in("worker01").await;
        let (enterprise, lon, lat) = app.my_enterprise().await;
        let f = finding_at(enterprise, "general", lon, lat);
        assert_eq!(support::statuses(&app.sync(std::slice::from_ref(&f)).await), [api::ReceiptStatus::Created]);
        // A case being rectified from the start, due on the worker's deadline.
        let manager = signed_in(&app, "manager").await;
        let open = boxed(&app, &manager, "open").await;
        let case = open.cases.iter().find(|c| c.kind == "finding").expect("the finding's case");
        assert_eq!((case.stage, case.category.as_str(), case.major), (Stage::InProgress, "safety_hazard", false), "on {}", app.db.engine);
        assert!(case.deadline.is_some());
        let id = case.id;

        // The worker finds it fixed, photographs it ~48 m from the spot: a report, not a close.
        let report = reinspection_at(&f, "fixed", lon + 0.0005, lat);
        assert_eq!(support::statuses(&app.sync(&[report]).await), [api::ReceiptStatus::Created]);
        let d = detail(&app, &manager, id).await;
        assert_eq!(d.case.stage, Stage::Verifying);
        let facts = d.finding.clone().expect("the finding's facts");
        let metres = facts.after_distance_m.expect("a distance");
        assert!((40.0..55.0).contains(&metres) && !facts.far, "{metres} m");
        assert_eq!(finding_status(&app, &f).await, "open");
        // The same worker's "fixed" again is not a verification of their own report.
        let again = app.sync(&[reinspection_at(&f, "fixed", lon, lat)]).await;
        assert!(matches!(&again[0].rejection, Some(api::Rejection::FixReportedByYou { .. })), "{:?}", again[0]);

        // The manager looks, finds it not done: back to rectification (返工), the finding reopened.
        let back = ok(&app, &manager, id, json!({ "action": "verify", "solved": false, "note": "照片显示仍有裸露电缆" })).await;
        assert_eq!(back.case.stage, Stage::InProgress);
        // Reported again, the photo taken ~220 m away: flagged as far.
        assert_eq!(support::statuses(&app.sync(&[reinspection_at(&f, "fixed", lon, lat + 0.002)]).await), [api::ReceiptStatus::Created]);
        let d = detail(&app, &manager, id).await;
        assert!(d.finding.as_ref().is_some_and(|f| f.far), "{:?}", d.finding);
        let closed = ok(&app, &manager, id, json!({ "action": "verify", "solved": true, "note": "已电话核实" })).await;
        assert_eq!(closed.case.stage, Stage::Closed);
        assert_eq!(finding_status(&app, &f).await, "closed");
        let actions: Vec<&str> = closed.events.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["register", "reply", "verify", "reply", "verify"]);
        // Closed: the phone no longer lists it among open findings.
        let data: api::FieldData = app.get("/api/v1/my/field").await.json().await.expect("field data");
        assert!(data.open_findings.iter().all(|o| o.id.as_str() != f["id"].as_str().unwrap_or_default()));
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_major_hazard_waits_for_its_plan_then_goes_to_the_safety_department_due_on_the_plan_s_deadline_and_closes_on_the_worker_s_check() {
    async fn check(app: TestApp) {
        app.sign_in("worker01").await;
        let (enterprise, lon, lat) = app.my_enterprise().await;
        let f = finding_at(enterprise, "major", lon, lat);
        assert_eq!(support::statuses(&app.sync(std::slice::from_ref(&f)).await), [api::ReceiptStatus::Created]);
        let manager = signed_in(&app, "manager").await;
        let new = boxed(&app, &manager, "new").await;
        let case = new.cases.iter().find(|c| c.major).expect("the major hazard among the new cases");
        assert!(case.flagged, "for the center's attention");
        let id = case.id;
        assert!(detail(&app, &manager, id).await.allowed.contains(&ActionKind::SubmitPlan));
        let (s, e) = act(&app, &manager, id, json!({ "action": "accept", "mode": "escalated" })).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert!(e["message"].as_str().is_some_and(|m| m.contains("rectification plan")), "{e}");
        // Why, as a code a client matches on (the same the pages translate).
        let why: api::Refused = serde_json::from_value(e["refused"].clone()).expect("the refusal's code");
        assert_eq!(why.code, api::RefusalCode::PlanNeeded, "{e}");
        let today = chrono::Utc::now().date_naive();
        let plan = |deadline: chrono::NaiveDate| {
            json!({ "action": "submit_plan", "plan": { "measures": "更换全部老化电缆，加装漏电保护器", "responsible": "周厂长", "funds_yuan": 80000,
                    "deadline": deadline.to_string(), "interim": "配电房停用，设警戒线，专人值守" } })
        };
        let (s, e) = act(&app, &manager, id, plan(today - chrono::Days::new(3))).await;
        assert_eq!(s, StatusCode::CONFLICT, "a deadline in the past: {e}");
        let due = today + chrono::Days::new(30);
        let sent = ok(&app, &app.client, id, plan(due)).await;
        assert_eq!((sent.case.stage, sent.case.department.as_deref()), (Stage::Dispatched, Some("应急管理局（安全生产）")), "on {}", app.db.engine);
        assert_eq!(sent.case.deadline, Some(domain::calendar::end_of_day(due).to_rfc3339()));
        assert_eq!(sent.finding.as_ref().and_then(|f| f.plan.as_ref()).map(|p| p.funds_yuan), Some(80000));
        // In the safety department's inbox: taken, answered; the worker's check closes it.
        let officer = signed_in(&app, "safety").await;
        assert!(boxed(&app, &officer, "open").await.cases.iter().any(|c| c.id == id));
        ok(&app, &officer, id, json!({ "action": "take" })).await;
        ok(&app, &officer, id, json!({ "action": "reply", "reply": "企业已按方案整改，申请核查" })).await;
        assert_eq!(support::statuses(&app.sync(&[reinspection_at(&f, "fixed", lon, lat)]).await), [api::ReceiptStatus::Created]);
        let d = detail(&app, &manager, id).await;
        assert_eq!(d.case.stage, Stage::Closed);
        assert_eq!(d.finding.and_then(|f| f.after_distance_m).map(|m| m < 1.0), Some(true));
        assert_eq!(finding_status(&app, &f).await, "closed");
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn of_two_servers_on_one_database_one_sweeps_the_deadlines_and_the_other_takes_over_when_it_stops() {
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
    use store::entities::{case_event, service_case};
    for engine in support::engines() {
        let db = support::fresh_db(&engine).await;
        support::load_demo(&db.conn).await;
        let every = std::time::Duration::from_secs(1);
        let conn = db.conn.clone();
        let holder = || store::deadlines::holder(&conn, "deadlines");
        // Waits up to `secs` for `done` to hold.
        async fn until<F: AsyncFn() -> bool>(secs: u64, done: F) -> bool {
            for _ in 0..secs * 10 {
                if done().await {
                    return true;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            false
        }
        let a = support::start_peer(&db.url, every).await;
        assert!(until(5, async || holder().await.expect("lease").is_some()).await, "the first server takes the lease");
        let first = holder().await.expect("lease").expect("a holder");
        let b = support::start_peer(&db.url, every).await;
        // A case due by the end of the next working day, recorded through the first server.
        let app = TestApp { base: a.base.clone(), db, client: support::browser() };
        let (_, manager, id) = heard(&app, "policy", "申报专精特新").await;
        ok(&app, &manager, id, json!({ "action": "accept", "mode": "promised" })).await;
        let cal = store::calendar::load(&app.db.conn).await.expect("calendar");
        let set_deadline = |d: chrono::DateTime<chrono::Utc>| {
            let db = app.db.conn.clone();
            async move {
                let row = service_case::Entity::find_by_id(id).one(&db).await.expect("q").expect("case");
                let mut row: service_case::ActiveModel = row.into();
                row.deadline_at = Set(Some(d));
                row.update(&db).await.expect("deadline");
            }
        };
        let system = || {
            let db = app.db.conn.clone();
            async move {
                let events = case_event::Entity::find()
                    .filter(case_event::Column::CaseId.eq(id))
                    .filter(case_event::Column::ActorKind.eq("system"))
                    .order_by_asc(case_event::Column::Id)
                    .all(&db)
                    .await
                    .expect("events");
                events.into_iter().map(|e| e.action).collect::<Vec<_>>()
            }
        };
        set_deadline(domain::calendar::end_of_day(cal.working_day_after(domain::calendar::local_date(chrono::Utc::now()), 1))).await;
        assert!(until(10, async || !system().await.is_empty()).await, "a server sweeps within seconds on {}", app.db.engine);
        // Both keep trying every second: still one reminder, still the first server's lease.
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        assert_eq!(system().await, ["remind"], "on {}", app.db.engine);
        assert_eq!(holder().await.expect("lease").as_deref(), Some(first.as_str()), "the second server never took the lease while the first held it");

        // The first server stops: it gives the lease up, and the second takes it at its next try
        // (well before the lease would lapse, five seconds after the first's last renewal).
        a.stop.send(()).ok();
        a.served.await.expect("the first server stops").expect("served");
        assert!(
            until(3, async || holder().await.expect("lease").is_some_and(|h| h != first)).await,
            "the second server takes the lease over on {}",
            app.db.engine
        );
        // Ten days late now: 催办 and 督办 come from the second server, once each.
        set_deadline(chrono::Utc::now() - chrono::Duration::days(10)).await;
        assert!(until(10, async || system().await.len() == 3).await, "the survivor sweeps on {}: {:?}", app.db.engine, system().await);
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        assert_eq!(system().await, ["remind", "urge", "supervise"], "on {}", app.db.engine);
        b.stop.send(()).ok();
        b.served.await.expect("the second server stops").expect("served");
    }
}

#[tokio::test]
async fn the_deadline_sweep_reminds_urges_and_supervises_each_case_once_even_when_two_servers_sweep_at_once() {
    async fn check(app: TestApp) {
        use sea_orm::{ActiveModelTrait, EntityTrait, Set};
        let (_, manager, id) = heard(&app, "policy", "申报专精特新").await;
        ok(&app, &manager, id, json!({ "action": "accept", "mode": "promised" })).await;
        let cal = store::calendar::load(&app.db.conn).await.expect("calendar");
        // The sweeps below run a month ahead, and every deadline is set from there: the test
        // server's own sweeper (the real clock, every minute) never finds this case due, so it
        // cannot remind before the two sweeps race (it did, one run in eight on PostgreSQL).
        let now = chrono::Utc::now() + chrono::Duration::days(30);
        let set_deadline = |d: chrono::DateTime<chrono::Utc>| {
            let db = app.db.conn.clone();
            async move {
                let row = store::entities::service_case::Entity::find_by_id(id).one(&db).await.expect("q").expect("case");
                let mut row: store::entities::service_case::ActiveModel = row.into();
                row.deadline_at = Set(Some(d));
                row.update(&db).await.expect("deadline");
            }
        };
        // Due by the end of the next working day: a reminder, once, however many servers sweep.
        set_deadline(domain::calendar::end_of_day(cal.working_day_after(domain::calendar::local_date(now), 1))).await;
        let (a, b) = tokio::join!(store::deadlines::sweep(&app.db.conn, now), store::deadlines::sweep(&app.db.conn, now));
        let (a, b) = (a.expect("sweep"), b.expect("sweep"));
        assert_eq!(a.reminded + b.reminded, 1, "on {}", app.db.engine);
        assert_eq!(store::deadlines::sweep(&app.db.conn, now).await.expect("sweep"), store::deadlines::Swept::default());
        // Ten days late: 催办 and 督办, once each; the case waits for the center.
        set_deadline(now - chrono::Duration::days(10)).await;
        let (a, b) = tokio::join!(store::deadlines::sweep(&app.db.conn, now), store::deadlines::sweep(&app.db.conn, now));
        let (a, b) = (a.expect("sweep"), b.expect("sweep"));
        assert_eq!((a.urged + b.urged, a.supervised + b.supervised), (1, 1));
        let d = detail(&app, &manager, id).await;
        let system: Vec<&str> = d.events.iter().filter(|e| e.actor_kind == "system").map(|e| e.action.as_str()).collect();
        assert_eq!(system, ["remind", "urge", "supervise"]);
        assert!(d.case.flagged);
        // One server holds a lease at a time; a lapsed lease passes to another. (The test
        // server holds the sweep's own lease, "deadlines", already.)
        let ttl = chrono::Duration::minutes(5);
        assert!(store::deadlines::lease(&app.db.conn, "test-job", "server-a", now, ttl).await.expect("lease"));
        assert!(!store::deadlines::lease(&app.db.conn, "test-job", "server-b", now, ttl).await.expect("lease"));
        assert!(store::deadlines::lease(&app.db.conn, "test-job", "server-a", now + chrono::Duration::minutes(1), ttl).await.expect("renewed"));
        assert!(store::deadlines::lease(&app.db.conn, "test-job", "server-b", now + chrono::Duration::minutes(7), ttl).await.expect("taken over"));
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn the_enterprise_link_answers_one_address_at_most_120_times_in_ten_minutes_whatever_the_token() {
    async fn check(app: TestApp) {
        let visitor = support::browser();
        let wrong = "ab".repeat(32);
        // A scan of tokens: each wrong one counts against the address…
        for i in 0..120 {
            let (s, body) = rpc(&app, &visitor, "portal_view", &[("token", &wrong)]).await;
            assert!(!body.contains("rate_limited"), "request {i} on {}: {s} {body}", app.db.engine);
        }
        let (_, body) = rpc(&app, &visitor, "portal_view", &[("token", &wrong)]).await;
        assert!(body.contains("rate_limited"), "the 121st: {body}");
        // …and a window later the address is served again.
        let key = "portal:view:127.0.0.1";
        let later = chrono::Utc::now() + chrono::Duration::minutes(11);
        store::rate::hit(&app.db.conn, key, store::portal::views(), later).await.expect("a new window");
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_proxy_case_goes_to_each_department_as_a_sub_task_and_to_verification_when_the_last_is_done() {
    async fn check(app: TestApp) {
        let (_, manager, id) = heard(&app, "policy", "新建厂房：安全评价和税务登记变更都要办，请中心代办").await;
        let accepted = ok(&app, &manager, id, json!({ "action": "accept", "mode": "proxy" })).await;
        assert!(accepted.case.deadline.is_some(), "全程代理 has its limit (15 working days by default)");
        let (safety, tax) = (department(&app, "safety").await, department(&app, "tax").await);
        ok(&app, &manager, id, json!({ "action": "add_task", "department": safety })).await;
        let both = ok(&app, &manager, id, json!({ "action": "add_task", "department": tax })).await;
        assert_eq!((both.case.stage, both.tasks.len()), (Stage::InProgress, 2), "on {}", app.db.engine);
        assert_eq!(
            act(&app, &manager, id, json!({ "action": "add_task", "department": tax })).await.0,
            StatusCode::UNPROCESSABLE_ENTITY,
            "one task per department"
        );
        // Each department sees the case in its inbox and finishes its own part only.
        let tax_officer = tax_officer(&app).await;
        assert!(boxed(&app, &tax_officer, "open").await.cases.iter().any(|c| c.id == id), "in the tax inbox");
        let done = ok(&app, &tax_officer, id, json!({ "action": "finish_task", "reply": "税务登记已变更" })).await;
        assert_eq!(done.case.stage, Stage::InProgress, "safety's part is still open");
        assert_eq!(act(&app, &tax_officer, id, json!({ "action": "finish_task", "reply": "again" })).await.0, StatusCode::FORBIDDEN);
        let officer = signed_in(&app, "safety").await;
        let all = ok(&app, &officer, id, json!({ "action": "finish_task", "reply": "安全评价已备案" })).await;
        assert_eq!(all.case.stage, Stage::Verifying);
        assert!(all.tasks.iter().all(|t| t.done && t.reply.is_some()));
        // The worker checks with the enterprise: done.
        let closed = ok(&app, &app.client, id, json!({ "action": "verify", "solved": true, "note": "" })).await;
        assert_eq!(closed.case.stage, Stage::Closed);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_case_left_too_long_in_a_stage_shows_overdue_until_it_moves_on_and_the_stage_limits_are_the_center_s_to_set() {
    async fn check(app: TestApp) {
        use sea_orm::{ActiveModelTrait, EntityTrait, Set};
        app.sign_in("worker01").await;
        let (enterprise, _, _) = app.my_enterprise().await;
        app.sync(&[demand_visit(enterprise, "resources", "厂区路灯损坏")]).await;
        let manager = signed_in(&app, "manager").await;
        let new = boxed(&app, &manager, "new").await;
        let case = &new.cases[0];
        assert!(case.stage_deadline.is_some() && !case.stage_late, "to be taken on within a working day, on {}", app.db.engine);
        let id = case.id;
        // Not taken on in time: among the overdue, marked late in its stage.
        let row = store::entities::service_case::Entity::find_by_id(id).one(&app.db.conn).await.expect("q").expect("case");
        let mut row: store::entities::service_case::ActiveModel = row.into();
        row.stage_deadline_at = Set(Some(chrono::Utc::now() - chrono::Duration::hours(1)));
        row.update(&app.db.conn).await.expect("stage deadline");
        let overdue = boxed(&app, &manager, "overdue").await;
        assert_eq!(overdue.cases.iter().map(|c| (c.id, c.stage_late)).collect::<Vec<_>>(), [(id, true)]);
        // The center gives departments two working days to take a case; dispatched, it has them.
        let admin = manager.clone();
        let two = json!({ "stage": "dispatched", "working_days": 2 }).to_string();
        assert_eq!(rpc(&app, &admin, "set_stage_limit", &[("row", &two)]).await.0, StatusCode::OK);
        let (s, body) = rpc(&app, &admin, "set_stage_limit", &[("row", &json!({ "stage": "closed", "working_days": 2 }).to_string())]).await;
        assert!(s.is_client_error() && body.contains("limit_stage"), "{s} {body}");
        let (s, _) = rpc(&app, &app.client, "set_stage_limit", &[("row", &two)]).await;
        assert!(s.is_client_error(), "a worker does not set limits: {s}");
        ok(&app, &manager, id, json!({ "action": "accept", "mode": "escalated" })).await;
        let sent = ok(&app, &manager, id, json!({ "action": "dispatch", "department": department(&app, "safety").await })).await;
        let cal = store::calendar::load(&app.db.conn).await.expect("calendar");
        let expected = cal.deadline(chrono::Utc::now(), domain::calendar::TimeLimit::WorkingDays(2));
        assert_eq!(sent.case.stage_deadline, Some(expected.to_rfc3339()));
        assert!(!sent.case.stage_late);
        assert!(boxed(&app, &manager, "overdue").await.cases.is_empty(), "moved on: no longer late");

        // Limits in hours: a new case to be taken on within 4 hours; a promised one done in 48.
        let four = json!({ "stage": "registered", "working_days": 0, "hours": 4 }).to_string();
        assert_eq!(rpc(&app, &admin, "set_stage_limit", &[("row", &four)]).await.0, StatusCode::OK);
        let promised = json!({ "kind": "demand", "category": "*", "mode": "promised", "working_days": 0, "hours": 48 }).to_string();
        assert_eq!(rpc(&app, &admin, "set_case_limit", &[("row", &promised)]).await.0, StatusCode::OK);
        let (s, body) = rpc(
            &app,
            &admin,
            "set_case_limit",
            &[("row", &json!({ "kind": "demand", "category": "*", "mode": "promised", "working_days": 0, "hours": 721 }).to_string())],
        )
        .await;
        assert!(s.is_client_error() && body.contains("limit_hours"), "{s} {body}");
        app.sync(&[demand_visit(enterprise, "culture", "职工书屋需要图书")]).await;
        let fresh = boxed(&app, &manager, "new").await.cases.into_iter().find(|c| c.category == "culture").expect("the new case");
        let registered = chrono::DateTime::parse_from_rfc3339(&fresh.registered_at).expect("a time");
        let due = chrono::DateTime::parse_from_rfc3339(fresh.stage_deadline.as_deref().expect("a stage deadline")).expect("a time");
        assert_eq!(due - registered, chrono::Duration::hours(4));
        let before = chrono::Utc::now();
        let taken = ok(&app, &manager, fresh.id, json!({ "action": "accept", "mode": "promised" })).await;
        let deadline = chrono::DateTime::parse_from_rfc3339(taken.case.deadline.as_deref().expect("a deadline")).expect("a time");
        let hours = (deadline.with_timezone(&chrono::Utc) - before).num_minutes();
        assert!((48 * 60 - 1..=48 * 60 + 1).contains(&hours), "{hours} minutes");
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_department_replies_with_a_document_attached_that_only_those_who_see_the_case_can_download() {
    async fn check(app: TestApp) {
        use base64::Engine;
        let (_, manager, id) = heard(&app, "policy", "危化品仓库改造需要安全评估指导").await;
        ok(&app, &manager, id, json!({ "action": "accept", "mode": "escalated" })).await;
        ok(&app, &manager, id, json!({ "action": "dispatch", "department": department(&app, "safety").await })).await;
        let officer = signed_in(&app, "safety").await;
        ok(&app, &officer, id, json!({ "action": "take" })).await;
        let pdf = b"%PDF-1.4\n% parkgrid test\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
        let b64 = base64::engine::general_purpose::STANDARD.encode(&pdf);
        let attach = |client: &Client, name: &str, content_type: &str, data: &str| {
            let (client, name, content_type, data) = (client.clone(), name.to_owned(), content_type.to_owned(), data.to_owned());
            let app = &app;
            async move { rpc(app, &client, "attach_to_case", &[("id", &id.to_string()), ("name", &name), ("content_type", &content_type), ("base64", &data)]).await }
        };
        assert_eq!(attach(&officer, "../../安全评估指导意见.pdf", "application/pdf", &b64).await.0, StatusCode::OK, "on {}", app.db.engine);
        // A picture that is not one, and another department: refused.
        let (s, body) = attach(&officer, "photo.jpg", "image/jpeg", &b64).await;
        assert!(s.is_client_error() && body.contains("attachment_type"), "{s} {body}");
        let tax = tax_officer(&app).await;
        assert_eq!(attach(&tax, "x.pdf", "application/pdf", &b64).await.0, StatusCode::FORBIDDEN);
        ok(&app, &officer, id, json!({ "action": "reply", "reply": "指导意见见附件" })).await;

        let d = detail(&app, &manager, id).await;
        assert_eq!(d.attachments.len(), 1);
        let file = &d.attachments[0];
        assert_eq!((file.name.as_str(), file.size, file.uploaded_by.as_deref()), ("安全评估指导意见.pdf", pdf.len() as u64, Some("应急管理局 刘科长")));
        assert!(d.events.iter().any(|e| e.action == "attach"));
        let path = format!("/api/v1/cases/{id}/attachments/{}", file.id);
        let r = manager.get(app.url(&path)).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert!(r.headers()["content-disposition"].to_str().unwrap_or_default().starts_with("attachment;"));
        assert_eq!(r.bytes().await.expect("bytes").to_vec(), pdf);
        assert_eq!(tax.get(app.url(&path)).send().await.expect("request").status(), StatusCode::FORBIDDEN);
        assert_eq!(support::browser().get(app.url(&path)).send().await.expect("request").status(), StatusCode::UNAUTHORIZED);
        // Done: no more files.
        ok(&app, &app.client, id, json!({ "action": "verify", "solved": true, "note": "" })).await;
        assert_eq!(attach(&manager, "late.pdf", "application/pdf", &b64).await.0, StatusCode::FORBIDDEN);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn findings_recorded_before_the_service_loop_become_cases_when_the_database_is_migrated() {
    use migrations::MigratorTrait;
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
    use store::entities::{case_event, enterprise, finding, grid, grid_assignment, grid_member, grid_plan, service_case};
    for engine in support::engines() {
        // A database as the release before left it (up to m0007) with a park, a worker in a
        // grid with an enterprise, and three findings: a general one open, a major one open, one
        // closed. The park and the user are written as that release's columns were (m0009 adds
        // columns to both, so today's entities cannot write them); the other tables have not
        // changed since.
        let db = support::empty_db(&engine).await;
        migrations::Migrator::up(&db.conn, Some(7)).await.expect("up to m0007");
        let backend = db.conn.get_database_backend();
        let now = chrono::Utc::now();
        let insert = |table: &str, columns: &[&str], values: Vec<sea_orm::Value>| {
            let mut q = Query::insert();
            q.into_table(Alias::new(table)).columns(columns.iter().map(|c| Alias::new(*c)));
            q.values_panic(values.into_iter().map(Into::into));
            backend.build(&q)
        };
        let id_of = |table: &str, column: &str, value: &str| {
            let q = Query::select().column(Alias::new("id")).from(Alias::new(table)).and_where(Expr::col(Alias::new(column)).eq(value)).to_owned();
            backend.build(&q)
        };
        let square = r#"{"type":"Polygon","coordinates":[[[121.2,24.9],[121.3,24.9],[121.3,25.0],[121.2,25.0],[121.2,24.9]]]}"#;
        db.conn
            .execute_raw(insert("park", &["code", "name", "boundary", "created_at"], vec!["ZL".into(), "中壢".into(), square.into(), now.into()]))
            .await
            .expect("a park of m0007");
        let park: i64 = db.conn.query_one_raw(id_of("park", "code", "ZL")).await.expect("q").expect("the park").try_get_by_index(0).expect("id");
        db.conn
            .execute_raw(insert(
                "app_user",
                &["login", "display_name", "password_hash", "role", "created_at"],
                vec!["worker01".into(), "王芳".into(), "x".into(), "worker".into(), now.into()],
            ))
            .await
            .expect("a worker of m0007");
        let worker: i64 = db.conn.query_one_raw(id_of("app_user", "login", "worker01")).await.expect("q").expect("the worker").try_get_by_index(0).expect("id");
        let plan = grid_plan::ActiveModel {
            park_id: Set(park),
            version: Set(1),
            name: Set("v1".into()),
            status: Set("active".into()),
            created_by: Set(None),
            created_at: Set(now),
            activated_at: Set(Some(now)),
            retired_at: Set(None),
            figures: Set(None),
            ..Default::default()
        }
        .insert(&db.conn)
        .await
        .expect("a plan")
        .id;
        let grid =
            grid::ActiveModel { plan_id: Set(plan), code: Set("ZL001".into()), name: Set("ZL001".into()), geometry: Set(square.into()), ..Default::default() }
                .insert(&db.conn)
                .await
                .expect("a grid")
                .id;
        let enterprise = enterprise::ActiveModel {
            park_id: Set(park),
            external_id: Set("e1".into()),
            name: Set("一家工厂".into()),
            credit_code: Set(None),
            address: Set(None),
            lon: Set(121.24),
            lat: Set(24.98),
            industry: Set(None),
            workload_weight: Set(1.0),
            attributes: Set("{}".into()),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&db.conn)
        .await
        .expect("an enterprise")
        .id;
        grid_member::ActiveModel { grid_id: Set(grid), enterprise_id: Set(enterprise) }.insert(&db.conn).await.expect("a member");
        grid_assignment::ActiveModel { grid_id: Set(grid), user_id: Set(worker), assigned_at: Set(now), ended_at: Set(None), ..Default::default() }
            .insert(&db.conn)
            .await
            .expect("an assignment");
        let deadline = now + chrono::Duration::days(10);
        for (grade, status) in [("general", "open"), ("major", "open"), ("general", "closed")] {
            finding::ActiveModel {
                id: Set(id()),
                enterprise_id: Set(Some(enterprise)),
                visit_id: Set(None),
                grid_id: Set(grid),
                worker_id: Set(worker),
                kind: Set("safety_hazard".into()),
                grade: Set(Some(grade.into())),
                description: Set(format!("{grade} {status}")),
                lon: Set(121.24),
                lat: Set(24.98),
                accuracy_m: Set(None),
                found_at: Set(now - chrono::Duration::days(3)),
                deadline: Set(deadline),
                status: Set(status.into()),
                closed_at: Set((status == "closed").then_some(now)),
                received_at: Set(now - chrono::Duration::days(3)),
            }
            .insert(&db.conn)
            .await
            .expect("a finding of the old release");
        }
        store::db::migrate(&db.conn).await.expect("the rest of the migrations");
        let cases = service_case::Entity::find().filter(service_case::Column::Kind.eq("finding")).all(&db.conn).await.expect("cases");
        let mut seen: Vec<(String, String, bool, Option<String>)> =
            cases.iter().map(|c| (c.description.clone(), c.stage.clone(), c.flagged, c.mode.clone())).collect();
        seen.sort();
        assert_eq!(
            seen,
            [
                ("general closed".into(), "closed".into(), false, Some("promised".into())),
                ("general open".into(), "in_progress".into(), false, Some("promised".into())),
                ("major open".into(), "registered".into(), true, None),
            ],
            "on {}",
            db.engine
        );
        assert!(cases.iter().all(|c| c.owner_id == Some(worker) && c.spot_lon == Some(121.24) && c.deadline_at.is_some()));
        let events = case_event::Entity::find().filter(case_event::Column::CaseId.is_in(cases.iter().map(|c| c.id))).all(&db.conn).await.expect("events");
        assert_eq!(events.len(), 3, "one registration each");
    }
}
