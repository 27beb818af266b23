//! The park's public side (issue 15; DB33/T 2320-2021, 4.5 and 5.5.1): the page at
//! `/public/{code}` and its data at `/api/v1/public/{code}` show what the managers published —
//! and nothing else: the raw bodies are searched for what was not published. Managers keep
//! the service list and write policies and news; nobody else does. On both engines.

use crate::support;

use api::public::PublicPage;
use base64::Engine;
use reqwest::{Client, StatusCode};
use serde_json::json;
use support::TestApp;

async fn signed_in(app: &TestApp, login: &str) -> Client {
    let c = support::browser();
    assert_eq!(app.sign_in_with(&c, login, support::PASSWORD).await.status(), StatusCode::OK, "{login} signs in");
    c
}

/// Calls a server function as the app's code does: the status and the body.
async fn rpc(app: &TestApp, client: &Client, endpoint: &str, args: &[(&str, &str)]) -> (StatusCode, String) {
    let r = client.post(app.url(&format!("/rpc/{endpoint}"))).header("Accept", "application/json").form(args).send().await.expect("request");
    (r.status(), r.text().await.unwrap_or_default())
}

/// The public page's HTML and its JSON, as raw text, fetched without a session.
async fn public_bodies(app: &TestApp, code: &str) -> (String, String) {
    let anonymous = support::browser();
    let page = anonymous.get(app.url(&format!("/public/{code}"))).header("Accept", "text/html").send().await.expect("request");
    assert_eq!(page.status(), StatusCode::OK, "on {}", app.db.engine);
    let json = anonymous.get(app.url(&format!("/api/v1/public/{code}"))).send().await.expect("request");
    assert_eq!(json.status(), StatusCode::OK, "on {}", app.db.engine);
    (page.text().await.expect("page"), json.text().await.expect("json"))
}

async fn public_data(app: &TestApp) -> PublicPage {
    serde_json::from_str(&public_bodies(app, "ZL").await.1).expect("a public page")
}

async fn user(app: &TestApp, login: &str) -> store::entities::app_user::Model {
    store::users::find_by_login(&app.db.conn, login).await.expect("query").expect("user")
}

/// A small PDF's bytes.
fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
}

#[tokio::test]
async fn a_worker_who_chose_shows_name_and_phone_and_nothing_unpublished_reaches_the_page_or_its_data() {
    async fn check(app: TestApp) {
        use sea_orm::EntityTrait;
        let manager = signed_in(&app, "manager").await;
        let (shown, hidden) = (user(&app, "worker01").await, user(&app, "worker02").await);
        let (ok, _) =
            rpc(&app, &manager, "set_worker_publish", &[("user", &shown.id.to_string()), ("publish_name", "true"), ("phone", "0571-1111 2222")]).await;
        assert_eq!(ok, StatusCode::OK);
        // worker02's name and phone were public once, then taken back.
        let id = hidden.id.to_string();
        assert_eq!(rpc(&app, &manager, "set_worker_publish", &[("user", &id), ("publish_name", "true"), ("phone", "0571-3333 4444")]).await.0, StatusCode::OK);
        assert_eq!(rpc(&app, &manager, "set_worker_publish", &[("user", &id), ("publish_name", "false"), ("phone", "")]).await.0, StatusCode::OK);
        // A notice published and withdrawn, one published and kept.
        let draft = |title: &str| json!({ "kind": "news", "title": title, "body": "正文" }).to_string();
        let (s, body) =
            rpc(&app, &manager, "publish_notice", &[("notice", &draft("撤回的通知甲乙丙")), ("file_name", ""), ("content_type", ""), ("base64", "")]).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let withdrawn: i64 = serde_json::from_str(&body).expect("the notice's id");
        assert_eq!(rpc(&app, &manager, "withdraw_notice", &[("id", &withdrawn.to_string())]).await.0, StatusCode::OK);
        assert_eq!(
            rpc(&app, &manager, "publish_notice", &[("notice", &draft("保留的通知丁戊己")), ("file_name", ""), ("content_type", ""), ("base64", "")]).await.0,
            StatusCode::OK
        );

        let (html, data) = public_bodies(&app, "ZL").await;
        for (what, body) in [("page", &html), ("data", &data)] {
            assert!(body.contains(&shown.display_name) && body.contains("0571-1111 2222"), "the {what} shows worker01's published name and phone");
            assert!(body.contains("保留的通知丁戊己"), "the {what} shows the notice kept");
            for secret in
                [hidden.display_name.as_str(), hidden.login.as_str(), "0571-3333 4444", "3333 4444", "撤回的通知甲乙丙", "worker01", "$argon2", "陈主任"]
            {
                assert!(!body.contains(secret), "the {what} must not contain {secret:?} on {}", app.db.engine);
            }
        }
        // No unpublished worker's name, no login, no enterprise of the registry.
        let everyone = store::entities::app_user::Entity::find().all(&app.db.conn).await.expect("users");
        for u in everyone {
            for body in [&html, &data] {
                assert!(!body.contains(&format!("\"{}\"", u.login)) && !body.contains(&format!(">{}<", u.login)), "login {} on {}", u.login, app.db.engine);
                if !u.publish_name {
                    assert!(!body.contains(&u.display_name), "{}'s name is not published, on {}", u.login, app.db.engine);
                }
            }
        }
        let enterprises = store::entities::enterprise::Entity::find().all(&app.db.conn).await.expect("enterprises");
        assert!(enterprises.len() > 500);
        for e in enterprises.iter().filter(|e| e.name.chars().count() >= 6) {
            assert!(!html.contains(&e.name) && !data.contains(&e.name), "enterprise {} on {}", e.name, app.db.engine);
            if let Some(code) = e.credit_code.as_deref().filter(|c| c.len() >= 8) {
                assert!(!html.contains(code) && !data.contains(code), "credit code {code}");
            }
            if let Some(address) = e.address.as_deref().filter(|a| a.chars().count() >= 8) {
                assert!(!html.contains(address) && !data.contains(address), "address {address}");
            }
        }

        // The data says the same, typed: worker01 named with their phone, worker02 neither.
        let page: PublicPage = serde_json::from_str(&data).expect("a public page");
        let workers: Vec<&api::public::PublicWorker> = page.grids.iter().flat_map(|g| &g.workers).collect();
        assert!(workers.iter().any(|w| w.name.as_deref() == Some(shown.display_name.as_str()) && w.phone.as_deref() == Some("0571-1111 2222")));
        assert!(workers.iter().any(|w| w.name.is_none() && w.phone.is_none()), "a worker who published nothing is there without name or phone");
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn the_public_page_needs_no_session_loads_no_wasm_and_carries_its_map_in_a_json_block() {
    async fn check(app: TestApp) {
        let r = support::browser().get(app.url("/public/ZL")).header("Accept", "text/html").send().await.expect("request");
        assert_eq!(r.status(), StatusCode::OK);
        let csp = r.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let scripts = csp.split(';').find(|d| d.trim().starts_with("script-src")).unwrap_or_default().to_owned();
        assert!(scripts.contains("'self'") && !scripts.contains("'unsafe-inline'") && !scripts.contains("nonce"), "{csp}");
        let html = r.text().await.expect("page");
        assert!(html.starts_with("<!DOCTYPE html>") && html.contains("lang=\"zh\""));
        assert!(!html.contains("/pkg/parkgrid.js") && !html.contains(".wasm"), "no wasm on the public page");
        assert!(html.contains("/vendor/leaflet/leaflet.js") && html.contains("/js/public.js"));
        assert!(html.contains(r#"<script type="application/json" id="pub-data">"#));
        // The only scripts are files and the data block: nothing inline to run.
        let inline_scripts = html.matches("<script").count() - html.matches("<script src=").count();
        assert_eq!(inline_scripts, 1, "only the JSON block");
        assert!(html.contains("服务清单") && html.contains("政策与动态") && html.contains("中壢工業區"));
        // In English when asked (and the choice is kept in the language cookie).
        let r = support::browser().get(app.url("/public/ZL?lang=en")).send().await.expect("request");
        assert!(r.headers().get_all("set-cookie").iter().any(|c| c.to_str().unwrap_or_default().starts_with("i18n_pref_locale=en")));
        let html = r.text().await.expect("page");
        assert!(html.contains("lang=\"en\"") && html.contains("Service list") && html.contains("Policies and news"));
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn an_unknown_park_code_is_not_found_as_page_and_as_data() {
    async fn check(app: TestApp) {
        let r = support::browser().get(app.url("/public/NOPE")).header("Accept", "text/html").send().await.expect("request");
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert!(r.text().await.expect("page").contains("没有找到这个园区"));
        assert_eq!(support::browser().get(app.url("/api/v1/public/NOPE")).send().await.expect("request").status(), StatusCode::NOT_FOUND);
        let r = support::browser().get(app.url("/api/v1/public/NOPE/notices/1/attachments/1")).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn the_demo_park_publishes_a_service_list_two_policies_a_news_item_with_a_pdf_and_about_half_its_workers() {
    async fn check(app: TestApp) {
        let page = public_data(&app).await;
        assert!((8..=10).contains(&page.services.len()), "{}", page.services.len());
        assert!(page.services.iter().any(|s| s.department.is_some()) && page.services.iter().any(|s| s.department.is_none()));
        let kinds: Vec<_> = page.notices.iter().map(|n| n.kind).collect();
        assert_eq!(kinds.iter().filter(|k| **k == api::public::NoticeKind::Policy).count(), 2);
        assert_eq!(kinds.iter().filter(|k| **k == api::public::NoticeKind::News).count(), 1);
        assert!(page.hotline.is_some());
        let workers: Vec<_> = page.grids.iter().flat_map(|g| &g.workers).collect();
        let named = workers.iter().filter(|w| w.name.is_some() && w.phone.is_some()).count();
        assert!(named > 0 && named < workers.len(), "some workers published, not all: {named} of {}", workers.len());
        // The policy's guide is a PDF, served as a download.
        let (n, a) = page.notices.iter().find_map(|n| n.attachments.first().map(|a| (n.id, a.id))).expect("a notice with a file");
        let r = support::browser().get(app.url(&format!("/api/v1/public/ZL/notices/{n}/attachments/{a}"))).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.bytes().await.expect("bytes").starts_with(b"%PDF-"));
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_managers_new_service_and_notice_appear_on_the_public_page_and_in_the_field_app_its_file_downloads_and_a_withdrawn_one_is_gone() {
    async fn check(app: TestApp) {
        let manager = signed_in(&app, "manager").await;
        let market = store::departments::find_by_code(&app.db.conn, "market").await.expect("query").expect("market").id;
        let item = json!({ "name": "工业用地供地咨询", "category": "resources", "mode": "promised", "limit_days": 7, "department_id": market }).to_string();
        let (s, body) = rpc(&app, &manager, "add_service_item", &[("item", &item)]).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let notice = json!({ "kind": "policy", "title": "关于用地指标的说明", "body": "第一行\n第二行 <b>不是标签</b>" }).to_string();
        let b64 = base64::engine::general_purpose::STANDARD.encode(pdf());
        let (s, body) =
            rpc(&app, &manager, "publish_notice", &[("notice", &notice), ("file_name", "用地指南.pdf"), ("content_type", "application/pdf"), ("base64", &b64)])
                .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let id: i64 = serde_json::from_str(&body).expect("the notice's id");

        let (html, _) = public_bodies(&app, "ZL").await;
        assert!(html.contains("工业用地供地咨询") && html.contains("市场监督管理局") && html.contains("关于用地指标的说明"));
        assert!(html.contains("&lt;b&gt;不是标签&lt;/b&gt;") && !html.contains("<b>不是标签</b>"), "a notice's text is escaped");
        let page = public_data(&app).await;
        let s = page.services.iter().find(|s| s.name == "工业用地供地咨询").expect("the new service");
        assert_eq!((s.category, s.mode, s.limit_days), (api::public::DemandCategory::Resources, api::public::Mode::Promised, Some(7)));
        let n = page.notices.first().expect("the newest notice first");
        assert_eq!((n.id, n.title.as_str(), n.attachments.len()), (id, "关于用地指标的说明", 1));
        let a = &n.attachments[0];
        assert_eq!((a.name.as_str(), a.size), ("用地指南.pdf", pdf().len() as u64));
        let path = format!("/api/v1/public/ZL/notices/{id}/attachments/{}", a.id);
        let r = support::browser().get(app.url(&path)).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::OK);
        let header = |name: &str| r.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        assert!(header("content-disposition").starts_with("attachment;"));
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert_eq!(header("content-type"), "application/pdf");
        assert_eq!(r.bytes().await.expect("bytes").to_vec(), pdf());
        // The park's workers get it with their field data (kept on the phone for offline reading).
        let worker = signed_in(&app, "worker03").await;
        let field: api::FieldData = worker.get(app.url("/api/v1/my/field")).send().await.expect("request").json().await.expect("field data");
        assert_eq!((field.notices.first().map(|n| n.id), field.park_code.as_deref()), (Some(id), Some("ZL")), "the newest notice first, with the park's code");
        // Another park's code does not open ZL's file.
        let square = domain::Boundary::from_geojson_str(
            r#"{"type":"Polygon","coordinates":[[[121.30,24.90],[121.32,24.90],[121.32,24.92],[121.30,24.92],[121.30,24.90]]]}"#,
        )
        .expect("a square");
        store::parks::create(&app.db.conn, "TY", "桃园", square, None, None).await.expect("park TY");
        let other = format!("/api/v1/public/TY/notices/{id}/attachments/{}", a.id);
        assert_eq!(support::browser().get(app.url(&other)).send().await.expect("request").status(), StatusCode::NOT_FOUND);

        // Withdrawn: gone from the page, its file not found.
        assert_eq!(rpc(&app, &manager, "withdraw_notice", &[("id", &id.to_string())]).await.0, StatusCode::OK);
        assert_eq!(support::browser().get(app.url(&path)).send().await.expect("request").status(), StatusCode::NOT_FOUND);
        let (html, data) = public_bodies(&app, "ZL").await;
        assert!(!html.contains("关于用地指标的说明") && !data.contains("关于用地指标的说明"));
        let field = worker.get(app.url("/api/v1/my/field")).send().await.expect("request").text().await.expect("field data");
        assert!(!field.contains("关于用地指标的说明"), "a withdrawn notice leaves the field app's data too");

        // The manager changes and deletes the line.
        let sid = s.id.to_string();
        let changed =
            json!({ "name": "工业用地供地咨询（更新）", "category": "resources", "mode": "escalated", "limit_days": null, "department_id": null }).to_string();
        assert_eq!(rpc(&app, &manager, "update_service_item", &[("id", &sid), ("item", &changed)]).await.0, StatusCode::OK);
        let page = public_data(&app).await;
        let s = page.services.iter().find(|s| s.id.to_string() == sid).expect("the line");
        assert_eq!((s.name.as_str(), s.mode, s.limit_days, s.department.as_deref()), ("工业用地供地咨询（更新）", api::public::Mode::Escalated, None, None));
        assert_eq!(rpc(&app, &manager, "delete_service_item", &[("id", &sid)]).await.0, StatusCode::OK);
        assert!(public_data(&app).await.services.iter().all(|s| s.id.to_string() != sid));
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_worker_an_officer_or_the_signed_out_cannot_write_what_the_park_publishes_and_nothing_changes() {
    async fn check(app: TestApp) {
        let before = public_data(&app).await;
        let item = json!({ "name": "不该出现的事项", "category": "policy", "mode": "immediate", "limit_days": null, "department_id": null }).to_string();
        let notice = json!({ "kind": "news", "title": "不该出现的通知", "body": "x" }).to_string();
        let first = before.services[0].id.to_string();
        let worker01 = user(&app, "worker01").await.id.to_string();
        for (login, expected) in [(Some("worker01"), StatusCode::FORBIDDEN), (Some("safety"), StatusCode::FORBIDDEN), (None, StatusCode::UNAUTHORIZED)] {
            let client = match login {
                Some(l) => signed_in(&app, l).await,
                None => support::browser(),
            };
            let calls: [(&str, Vec<(&str, &str)>); 6] = [
                ("add_service_item", vec![("item", &item)]),
                ("delete_service_item", vec![("id", &first)]),
                ("publish_notice", vec![("notice", &notice), ("file_name", ""), ("content_type", ""), ("base64", "")]),
                ("set_worker_publish", vec![("user", &worker01), ("publish_name", "true"), ("phone", "0571-9999 0000")]),
                ("set_park_public", vec![("hotline", "110"), ("publish_figures", "false")]),
                ("load_publish", vec![]),
            ];
            for (endpoint, args) in calls {
                assert_eq!(rpc(&app, &client, endpoint, &args).await.0, expected, "{endpoint} as {login:?} on {}", app.db.engine);
            }
        }
        let after = public_data(&app).await;
        assert_eq!(before, after, "nothing changed");
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn bad_input_is_refused_with_a_reason_naming_the_field_and_changes_nothing() {
    async fn check(app: TestApp) {
        let manager = signed_in(&app, "manager").await;
        let before = public_data(&app).await;
        let worker = user(&app, "worker02").await.id.to_string();
        let empty_title = json!({ "kind": "news", "title": "  ", "body": "有正文" }).to_string();
        let no_name = json!({ "name": "", "category": "policy", "mode": "immediate", "limit_days": null, "department_id": null }).to_string();
        let long_limit = json!({ "name": "限时事项", "category": "policy", "mode": "promised", "limit_days": 0, "department_id": null }).to_string();
        let no_department = json!({ "name": "某事项", "category": "policy", "mode": "promised", "limit_days": 5, "department_id": 999_999 }).to_string();
        let exe = base64::engine::general_purpose::STANDARD.encode(b"MZ\x90\x00 not a pdf");
        let good = json!({ "kind": "news", "title": "带错误附件的通知", "body": "正文" }).to_string();
        let cases: [(&str, Vec<(&str, &str)>, api::RefusalCode); 7] = [
            ("publish_notice", vec![("notice", &empty_title), ("file_name", ""), ("content_type", ""), ("base64", "")], api::RefusalCode::PubTitle),
            (
                "publish_notice",
                vec![("notice", &good), ("file_name", "x.pdf"), ("content_type", "application/pdf"), ("base64", &exe)],
                api::RefusalCode::AttachmentType,
            ),
            ("add_service_item", vec![("item", &no_name)], api::RefusalCode::PubName),
            ("add_service_item", vec![("item", &long_limit)], api::RefusalCode::PubLimit),
            ("add_service_item", vec![("item", &no_department)], api::RefusalCode::PubDepartment),
            ("set_worker_publish", vec![("user", &worker), ("publish_name", "true"), ("phone", "call me <b>now</b>")], api::RefusalCode::PubPhone),
            ("set_park_public", vec![("hotline", "12"), ("publish_figures", "true")], api::RefusalCode::PubHotline),
        ];
        for (endpoint, args, code) in cases {
            let (s, body) = rpc(&app, &manager, endpoint, &args).await;
            assert_eq!(s, StatusCode::CONFLICT, "{endpoint}: {body}");
            assert_eq!(support::refusal_in(&body).map(|r| r.code), Some(code), "{endpoint} answers {body}");
        }
        assert_eq!(before, public_data(&app).await, "nothing changed on {}", app.db.engine);
        // The same refusals through the store say which field in words (the API's message).
        let access = store::access::Access::of(&app.db.conn, user(&app, "manager").await).await.expect("access");
        let zl = store::parks::find_by_code(&app.db.conn, "ZL").await.expect("query").expect("ZL");
        match store::publish::set_worker_publish(&app.db.conn, &access, zl.id, worker.parse().expect("id"), true, "abc").await {
            Err(store::StoreError::Refused(r)) => assert!(r.code == api::RefusalCode::PubPhone && r.message.contains("public_phone"), "{r:?}"),
            other => panic!("a bad phone is refused: {other:?}"),
        }
        let draft = api::public::NoticeDraft { kind: api::public::NoticeKind::News, title: String::new(), body: "x".into() };
        match store::publish::publish_notice(&app.db.conn, &access, zl.id, &draft, &[]).await {
            Err(store::StoreError::Refused(r)) => assert!(r.code == api::RefusalCode::PubTitle && r.message.contains("title"), "{r:?}"),
            other => panic!("an empty title is refused: {other:?}"),
        }
    }
    on_every_engine!(check);
}
