//! The grid worker's field app (`/field`), offline first.
//!
//! The server renders only a shell with no personal data, so that the service worker
//! (`public/sw.js`) can replay it with the network off. Everything shown comes from the
//! phone: `public/js/field.js` keeps the worker's grid data and an outbox of records in
//! IndexedDB, syncs them, and reports its state as JSON ([`FieldState`]); this page renders that
//! state and turns the forms into records (`api::SyncRecord` JSON) for the outbox.

use crate::LanguageSwitch;
use crate::i18n::*;
use api::{FieldData, FieldEnterprise, FindingView, VisitStatus};
use leptos::prelude::*;
use serde::Deserialize;

mod form;
use form::RecordForm;

/// What `parkgridField.state()` reports.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct FieldState {
    pub data: Option<FieldData>,
    pub outbox: Vec<OutboxItem>,
    pub pending: usize,
    /// Unsent records of another user of this phone (counted, never shown).
    #[serde(default)]
    pub others_pending: usize,
    pub online: bool,
    pub syncing: bool,
    /// `Some(false)` when the server said the session is gone.
    pub auth: Option<bool>,
    pub error: Option<String>,
    pub last_sync: Option<String>,
    /// The notices this user has opened on this phone.
    #[serde(default)]
    pub read_notices: Vec<i64>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct OutboxItem {
    pub id: String,
    pub kind: String,
    pub title: String,
    /// `pending`, `synced` or `rejected`.
    pub status: String,
    pub reason: Option<String>,
    /// Why the server did not take it (final when `status` is `rejected`; a `pending` record
    /// with one waits to be sent again).
    #[serde(default)]
    pub rejection: Option<api::Rejection>,
    /// When it was made, phone's local time (`YYYY-MM-DD HH:MM`).
    pub created_at: String,
    pub photos: u32,
    pub photos_uploaded: u32,
    /// The case a case record is about.
    #[serde(default)]
    pub case_id: Option<i64>,
}

mod js {
    use wasm_bindgen::prelude::*;
    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(catch, js_namespace = parkgridField, js_name = init)]
        pub fn init() -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch, js_namespace = parkgridField, js_name = state)]
        pub fn state() -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch, js_namespace = parkgridField, js_name = photos)]
        pub fn photos(inputs: &js_sys::Array) -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch, js_namespace = parkgridField, js_name = add)]
        pub fn add(record: &str, title: &str) -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch, js_namespace = parkgridField, js_name = sync)]
        pub fn sync() -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch, js_namespace = parkgridField, js_name = signOut)]
        pub fn sign_out() -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch, js_namespace = parkgridField, js_name = markRead)]
        pub fn mark_read(id: f64) -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch, js_namespace = parkgridField, js_name = fix)]
        pub fn fix() -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(js_namespace = parkgridField, js_name = uuid7)]
        pub fn uuid7() -> String;
        #[wasm_bindgen(js_namespace = parkgridField, js_name = now)]
        pub fn now() -> String;
        #[wasm_bindgen(catch, js_namespace = parkgridMap, js_name = renderField)]
        pub fn render_map(el: &web_sys::HtmlElement, data: &str, attribution: &str) -> Result<(), JsValue>;
    }

    /// Awaits a promise that resolves to a JSON string (or null).
    pub async fn json(p: Result<js_sys::Promise, JsValue>) -> Option<String> {
        let v = wasm_bindgen_futures::JsFuture::from(p.ok()?).await.ok()?;
        v.as_string()
    }
}

/// Which form is open.
#[derive(Clone, Debug, PartialEq)]
enum Form {
    Visit {
        enterprise: i64,
        name: String,
        started_at: String,
    },
    Finding {
        enterprise: Option<(i64, String)>,
    },
    Reinspect {
        finding: api::RecordId,
        description: String,
    },
    /// A case to verify (核查) or to have rated by the enterprise (issue 13).
    Case {
        case: i64,
        description: String,
        to_verify: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Tab {
    Enterprises,
    Findings,
    Cases,
    News,
    Outbox,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Sort {
    Overdue,
    Distance,
}

/// Days overdue for sorting: overdue first (most first), then due, never visited, visited.
fn urgency(e: &FieldEnterprise) -> i64 {
    match e.visit {
        VisitStatus::Overdue { days } => 10_000 + days,
        VisitStatus::NeverVisited => 5_000,
        VisitStatus::Due => 1_000,
        VisitStatus::Visited => 0,
    }
}

/// Metres between two WGS84 points (haversine).
fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, la2) = (a.1.to_radians(), b.1.to_radians());
    let (dla, dlo) = ((b.1 - a.1).to_radians(), (b.0 - a.0).to_radians());
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * 6_371_000.0 * h.sqrt().asin()
}

/// Reloads the state from the phone's storage.
fn reload(state: RwSignal<Option<FieldState>>) {
    leptos::task::spawn_local(async move {
        if let Some(s) = js::json(js::state()).await.and_then(|t| serde_json::from_str(&t).ok()) {
            state.set(Some(s));
        }
    });
}

#[component]
pub fn FieldPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = RwSignal::new(None::<FieldState>);
    let tab = RwSignal::new(Tab::Enterprises);
    let form = RwSignal::new(None::<Form>);
    let query = RwSignal::new(String::new());
    let sort = RwSignal::new(Sort::Overdue);
    let here = RwSignal::new(None::<(f64, f64)>);
    let detail = RwSignal::new(None::<i64>);

    Effect::new(move |_| {
        use wasm_bindgen::prelude::*;
        leptos::task::spawn_local(async move {
            if let Some(s) = js::json(js::init()).await.and_then(|t| serde_json::from_str(&t).ok()) {
                state.set(Some(s));
            }
        });
        let listener = Closure::<dyn Fn()>::new(move || reload(state));
        let _ = window().add_event_listener_with_callback("parkgrid-field", listener.as_ref().unchecked_ref());
        listener.forget();
    });

    let sync_now = move |_| {
        leptos::task::spawn_local(async move {
            let _ = js::json(js::sync()).await;
            reload(state);
        });
    };
    let locate = move |_| {
        leptos::task::spawn_local(async move {
            if let Some(f) = js::json(js::fix()).await.and_then(|t| serde_json::from_str::<api::Fix>(&t).ok()) {
                here.set(Some((f.lon, f.lat)));
                sort.set(Sort::Distance);
            }
        });
    };

    let status_line = move || {
        let Some(s) = state.get() else { return view! { <span>{t!(i18n, loading)}</span> }.into_any() };
        let net = if s.online { t_string!(i18n, online) } else { t_string!(i18n, offline) };
        view! {
            <span class=if s.online { "net online" } else { "net offline" } data-testid="network">{net}</span>
            <span class="pending" data-testid="pending">{t!(i18n, pending_count, count = s.pending)}</span>
            {s.syncing.then(|| view! { <span class="syncing">{t!(i18n, syncing)}</span> })}
            {s.error.clone().map(|e| view! { <span class="sync-error">{t!(i18n, sync_failed)}" "{e}</span> })}
            {(s.others_pending > 0).then(|| view! { <p class="note" data-testid="others-pending">{t!(i18n, others_pending, count = s.others_pending)}</p> })}
        }
        .into_any()
    };

    let enterprises = move || {
        let s = state.get().unwrap_or_default();
        let Some(data) = s.data else {
            return if s.auth == Some(false) {
                view! { <p class="note">{t!(i18n, session_lost)}" "<a href="/login">{t!(i18n, sign_in)}</a></p> }.into_any()
            } else {
                view! { <p class="note">{t!(i18n, no_field_data)}</p> }.into_any()
            };
        };
        // ASCII folding is all the names need (Latin letters in Chinese names); Unicode's tables
        // would cost the bundle kilobytes.
        let q = query.get().to_ascii_lowercase();
        let mut rows: Vec<FieldEnterprise> = data
            .enterprises
            .into_iter()
            .filter(|e| q.is_empty() || e.name.to_ascii_lowercase().contains(&q) || e.address.as_deref().unwrap_or("").contains(&q))
            .collect();
        match (sort.get(), here.get()) {
            (Sort::Distance, Some(p)) => rows.sort_by(|a, b| distance_m(p, (a.lon, a.lat)).total_cmp(&distance_m(p, (b.lon, b.lat)))),
            _ => rows.sort_by_key(|e| std::cmp::Reverse(urgency(e))),
        }
        let pos = here.get();
        view! {
            <ul class="field-list" data-testid="field-enterprises">
                {rows.into_iter().map(|e| {
                    let (chip_class, chip) = match e.visit {
                        VisitStatus::NeverVisited => ("chip never", t_string!(i18n, visit_never).to_string()),
                        VisitStatus::Visited => ("chip visited", t_string!(i18n, visit_done).to_string()),
                        VisitStatus::Due => ("chip due", t_string!(i18n, visit_due).to_string()),
                        VisitStatus::Overdue { days } => ("chip overdue", format!("{} {days}", t_string!(i18n, visit_overdue))),
                    };
                    let (id, name, name2) = (e.id, e.name.clone(), e.name.clone());
                    let dist = pos.map(|p| format!("{} m", distance_m(p, (e.lon, e.lat)).round() as i64));
                    view! {
                        <li data-testid="field-enterprise">
                            <div class="row-head">
                                <button type="button" class="name as-link" data-testid="enterprise-name" on:click=move |_| detail.set(Some(id))>{e.name.clone()}</button>
                                <span class=chip_class>{chip}</span>
                            </div>
                            <div class="meta">
                                {e.address.clone().unwrap_or_default()}
                                {dist.map(|d| view! { <span class="dist">" · "{d}</span> })}
                                {(e.open_findings > 0).then(|| view! { <span class="open-findings">" · "{t!(i18n, open_findings_n, count = e.open_findings)}</span> })}
                            </div>
                            <div class="row-actions">
                                <button type="button" class="primary" on:click=move |_| {
                                    let started_at = js::now();
                                    form.set(Some(Form::Visit { enterprise: id, name: name.clone(), started_at }));
                                }>{t!(i18n, record_visit)}</button>
                                <button type="button" on:click=move |_| form.set(Some(Form::Finding { enterprise: Some((id, name2.clone())) }))>
                                    {t!(i18n, report_finding)}
                                </button>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };

    let findings = move || {
        let data = state.get().and_then(|s| s.data);
        let rows: Vec<FindingView> = data.as_ref().map(|d| d.open_findings.clone()).unwrap_or_default();
        let name_of = move |id: Option<i64>| {
            id.and_then(|id| data.as_ref().and_then(|d| d.enterprises.iter().find(|e| e.id == id).map(|e| e.name.clone())))
                .unwrap_or_else(|| t_string!(i18n, public_area).to_string())
        };
        view! {
            <button type="button" class="wide" on:click=move |_| form.set(Some(Form::Finding { enterprise: None }))>{t!(i18n, patrol_finding)}</button>
            <ul class="field-list" data-testid="open-findings">
                {rows.into_iter().map(|f| {
                    let (fid, desc) = (f.id.clone(), f.description.clone());
                    view! {
                        <li class:overdue=f.overdue data-testid="open-finding">
                            <div class="row-head">
                                <span class="name">{name_of(f.enterprise_id)}</span>
                                <span class=if f.overdue { "chip overdue" } else { "chip due" }>{kind_label(i18n, f.kind)}</span>
                            </div>
                            <div class="meta">{f.description.clone()}</div>
                            <div class="meta">{t!(i18n, deadline)}": "{f.deadline.chars().take(10).collect::<String>()}
                                {f.overdue.then(|| view! { <b class="late">" "{t!(i18n, overdue)}</b> })}
                                {(!f.photos.is_empty()).then(|| view! { <span>" · "{t!(i18n, photos)}" "{f.photos.len()}</span> })}
                            </div>
                            <div class="row-actions">
                                <button type="button" on:click=move |_| form.set(Some(Form::Reinspect { finding: fid.clone(), description: desc.clone() }))>{t!(i18n, reinspect)}</button>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    };

    // The cases waiting for the worker, less those already recorded on this phone.
    let open_cases = move || {
        let Some(s) = state.get() else { return Vec::new() };
        let done: Vec<i64> = s.outbox.iter().filter(|r| r.status != "rejected").filter_map(|r| r.case_id).collect();
        let names: std::collections::HashMap<i64, String> =
            s.data.as_ref().map(|d| d.enterprises.iter().map(|e| (e.id, e.name.clone())).collect()).unwrap_or_default();
        s.data
            .map(|d| d.cases)
            .unwrap_or_default()
            .into_iter()
            .filter(|c| !done.contains(&c.id))
            .map(|c| (names.get(&c.enterprise_id).cloned().unwrap_or_default(), c))
            .collect::<Vec<_>>()
    };
    let cases = move || {
        view! {
            <ul class="field-list" data-testid="field-cases">
                {open_cases().into_iter().map(|(name, c)| {
                    let (id, desc, verify) = (c.id, c.description.clone(), c.to_verify);
                    view! {
                        <li data-testid="field-case" data-case=c.id>
                            <div class="row-head">
                                <span class="name">{name}</span>
                                <span class="chip due">{if verify { t_string!(i18n, stage_verifying) } else { t_string!(i18n, stage_closed) }}</span>
                            </div>
                            <div class="meta">{c.description.clone()}</div>
                            {c.answer.clone().map(|a| view! { <div class="meta"><b>{t!(i18n, portal_answer)}</b>" "{a}</div> })}
                            <div class="row-actions">
                                <button type="button" data-testid="field-case-act" on:click=move |_| form.set(Some(Form::Case { case: id, description: desc.clone(), to_verify: verify }))>
                                    {if verify { t_string!(i18n, act_verify) } else { t_string!(i18n, act_rate) }}
                                </button>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    };

    // The park's policies and news, kept on the phone with the grid data: unread ones marked;
    // opening one (a native <details>) shows its text and marks it read.
    let opened = RwSignal::new(None::<i64>);
    let unread = move || state.get().map_or(0, |s| s.data.map_or(0, |d| d.notices.iter().filter(|n| !s.read_notices.contains(&n.id)).count()));
    let news = move || {
        let s = state.get().unwrap_or_default();
        let code = s.data.as_ref().and_then(|d| d.park_code.clone()).unwrap_or_default();
        view! {
            <ul class="field-list" data-testid="field-notices">
                {s.data.map(|d| d.notices).unwrap_or_default().into_iter().map(|n| {
                    let id = n.id;
                    let is_unread = !s.read_notices.contains(&id);
                    let kind = if n.kind == api::public::NoticeKind::Policy { t_string!(i18n, pub_policy) } else { t_string!(i18n, pub_news) };
                    let files = n.attachments.iter().map(|a| (format!("/api/v1/public/{code}/notices/{id}/attachments/{}", a.id), a.name.clone()));
                    view! {
                        <li class:unread=is_unread data-testid="field-notice" data-unread=is_unread.to_string()>
                            <details open=opened.get_untracked() == Some(id) on:toggle=move |ev| {
                                // Fired on closing too: only an opened notice is kept open and read.
                                let open = ev.target().and_then(|t| js_sys::Reflect::get(&t, &"open".into()).ok()).and_then(|v| v.as_bool()).unwrap_or(false);
                                if open {
                                    opened.set(Some(id));
                                } else if opened.get_untracked() == Some(id) {
                                    opened.set(None);
                                }
                                if open && is_unread {
                                    leptos::task::spawn_local(async move {
                                        let _ = js::json(js::mark_read(id as f64)).await;
                                        reload(state);
                                    });
                                }
                            }>
                                <summary class="name" data-testid="notice-title">{n.title}</summary>
                                <div class="notice-body" data-testid="notice-body">{n.body}</div>
                                {files.map(|(href, name)| view! { <a class="file" href=href target="_blank">{name}</a> }).collect_view()}
                            </details>
                            <div class="meta">{is_unread.then(|| view! { <b class="unread-mark">{t_string!(i18n, field_unread)}</b>" " })}{kind}" "{n.published_at.get(..10).unwrap_or_default().to_owned()}</div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    };

    let outbox = move || {
        let items = state.get().map(|s| s.outbox).unwrap_or_default();
        view! {
            <ul class="field-list" data-testid="outbox">
                {items.into_iter().map(|r| {
                    let label = match (r.status.as_str(), &r.rejection) {
                        ("synced", _) => t_string!(i18n, status_synced).to_string(),
                        ("rejected", _) => t_string!(i18n, status_rejected).to_string(),
                        (_, Some(_)) => t_string!(i18n, status_waiting).to_string(),
                        _ => t_string!(i18n, status_pending).to_string(),
                    };
                    let why = r.rejection.as_ref().map(|j| rejection_text(i18n, j)).or_else(|| r.reason.clone());
                    view! {
                        <li data-testid="outbox-item" data-status=r.status.clone()>
                            <div class="row-head">
                                <span class="name">{r.title.clone()}</span>
                                <span class=format!("chip {}", r.status)>{label}</span>
                            </div>
                            <div class="meta">{r.created_at.clone()}
                                {(r.photos > 0).then(|| view! { <span class="photos">" · "{t!(i18n, photos)}" "{r.photos_uploaded}"/"{r.photos}</span> })}
                            </div>
                            {why.map(|why| view! { <div class="reason" data-testid="outbox-reason">{why}</div> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    };

    view! {
        <header class="topbar">
            <div class="brand">
                <span class="app-name">{t!(i18n, app_name)}</span>
                <h1>{t!(i18n, field_work)}</h1>
            </div>
            <div class="actions">
                <a href="/my-grid" class="link">{t!(i18n, my_grid)}</a>
                <LanguageSwitch />
                <button type="button" class="signout" data-testid="sign-out" on:click=move |_| {
                    leptos::task::spawn_local(async move {
                        let _ = js::json(js::sign_out()).await;
                    });
                }>{t!(i18n, sign_out)}</button>
            </div>
        </header>
        <main class="field">
            <section class="field-status" data-testid="field-status">
                {status_line}
                <button type="button" class="sync" data-testid="sync" on:click=sync_now>{t!(i18n, sync_now)}</button>
            </section>
            {move || form.get().map(|f| view! { <RecordForm form=f close=form state=state here=here /> })}
            {move || detail.get().map(|id| view! { <EnterpriseDetail id=id state=state close=detail form=form /> })}
            <nav class="tabs">
                <button type="button" class:active=move || tab.get() == Tab::Enterprises on:click=move |_| tab.set(Tab::Enterprises)>{t!(i18n, enterprises)}</button>
                <button type="button" class:active=move || tab.get() == Tab::Findings on:click=move |_| tab.set(Tab::Findings) data-testid="tab-findings">{t!(i18n, findings)}</button>
                <button type="button" class:active=move || tab.get() == Tab::Cases on:click=move |_| tab.set(Tab::Cases) data-testid="tab-cases">
                    {t!(i18n, cases_title)}{move || { let n = open_cases().len(); (n > 0).then(|| format!(" {n}")) }}
                </button>
                <button type="button" class:active=move || tab.get() == Tab::News on:click=move |_| tab.set(Tab::News) data-testid="tab-news">
                    {t!(i18n, field_news)}{move || { let n = unread(); (n > 0).then(|| view! { " " <span class="count" data-testid="news-unread">{n}</span> }) }}
                </button>
                <button type="button" class:active=move || tab.get() == Tab::Outbox on:click=move |_| tab.set(Tab::Outbox) data-testid="tab-outbox">{t!(i18n, records)}</button>
            </nav>
            {move || match tab.get() {
                Tab::Enterprises => view! {
                    <FieldMap state=state />
                    <div class="list-tools">
                        <input type="search" placeholder=move || t_string!(i18n, search_name) prop:value=query
                            on:input=move |ev| query.set(event_target_value(&ev)) data-testid="search" />
                        <button type="button" on:click=locate>{t!(i18n, sort_distance)}</button>
                        <button type="button" on:click=move |_| sort.set(Sort::Overdue)>{t!(i18n, sort_overdue)}</button>
                    </div>
                    {enterprises}
                }.into_any(),
                Tab::Findings => findings().into_any(),
                Tab::Cases => cases().into_any(),
                Tab::News => news().into_any(),
                Tab::Outbox => outbox().into_any(),
            }}
        </main>
    }
}

/// The worker's grid with its enterprises coloured by visit status (`parkgridMap.renderField`).
#[component]
fn FieldMap(state: RwSignal<Option<FieldState>>) -> impl IntoView {
    let i18n = use_i18n();
    let node = NodeRef::<leptos::html::Div>::new();
    let attribution = t_string!(i18n, attribution).to_string();
    // Redrawn only when the data changes (not on every outbox change).
    let data = Memo::new(move |_| state.with(|s| s.as_ref().and_then(|s| s.data.clone())));
    Effect::new(move |_| {
        let Some(d) = data.get() else { return };
        if let Some(el) = node.get() {
            if let Err(e) = js::render_map(&el, &serde_json::to_string(&d).unwrap_or_default(), &attribution) {
                leptos::logging::error!("map failed: {e:?}");
            }
        }
    });
    view! {
        <div class="map field-map" node_ref=node data-testid="field-map"></div>
        <div class="legend">
            <span><i class="dot never"></i>{t!(i18n, visit_never)}</span>
            <span><i class="dot due"></i>{t!(i18n, visit_due)}</span>
            <span><i class="dot overdue"></i>{t!(i18n, overdue)}</span>
            <span><i class="dot visited"></i>{t!(i18n, visit_done)}</span>
            <span><i class="ring"></i>{t!(i18n, findings)}</span>
        </div>
    }
}

/// The enterprise page: details, visit history, open findings and demands, from the phone's
/// copy of the grid data.
#[component]
fn EnterpriseDetail(id: i64, state: RwSignal<Option<FieldState>>, close: RwSignal<Option<i64>>, form: RwSignal<Option<Form>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let Some(data) = state.get().and_then(|s| s.data) else { return ().into_any() };
        let Some(e) = data.enterprises.iter().find(|e| e.id == id).cloned() else { return ().into_any() };
        let visits: Vec<api::VisitView> = data.recent_visits.iter().filter(|v| v.enterprise_id == id).cloned().collect();
        let findings: Vec<FindingView> = data.open_findings.iter().filter(|f| f.enterprise_id == Some(id)).cloned().collect();
        let demands: Vec<api::DemandView> = data.open_demands.iter().filter(|d| d.enterprise_id == id).cloned().collect();
        let name = e.name.clone();
        view! {
            <section class="record-form detail" data-testid="enterprise-detail">
                <h2>{e.name.clone()}</h2>
                <p class="meta">{e.address.clone().unwrap_or_default()}" · "{e.grid_code.clone()}</p>
                <p class="meta">{t!(i18n, visits_total, count = e.visits)}
                    {e.last_visit.clone().map(|t| view! { " · "{t!(i18n, last_visit)}" "{t.chars().take(10).collect::<String>()} })}
                </p>
                <h3>{t!(i18n, visit_history)}</h3>
                <ul class="detail-list" data-testid="visit-history">
                    {if visits.is_empty() { view! { <li class="meta">{t!(i18n, none_yet)}</li> }.into_any() } else {
                        visits.into_iter().map(|v| view! {
                            <li>
                                <b>{v.started_at.chars().take(10).collect::<String>()}</b>" "{v.met.clone()}
                                {v.satisfaction.map(|s| view! { <span class="stars">" "{"★".repeat(s.clamp(0, 5) as usize)}</span> })}
                                <div class="meta">{v.notes.clone()}</div>
                            </li>
                        }).collect_view().into_any()
                    }}
                </ul>
                <h3>{t!(i18n, findings)}</h3>
                <ul class="detail-list">
                    {if findings.is_empty() { view! { <li class="meta">{t!(i18n, none_yet)}</li> }.into_any() } else {
                        findings.into_iter().map(|f| view! {
                            <li class:overdue=f.overdue>
                                <b>{kind_label(i18n, f.kind)}</b>" "{f.description.clone()}
                                <div class="meta">{t!(i18n, deadline)}": "{f.deadline.chars().take(10).collect::<String>()}
                                    {f.overdue.then(|| view! { <b class="late">" "{t!(i18n, overdue)}</b> })}</div>
                            </li>
                        }).collect_view().into_any()
                    }}
                </ul>
                <h3>{t!(i18n, demands)}</h3>
                <ul class="detail-list" data-testid="open-demands">
                    {if demands.is_empty() { view! { <li class="meta">{t!(i18n, none_yet)}</li> }.into_any() } else {
                        demands.into_iter().map(|d| view! {
                            <li>
                                <b>{category_name(i18n, d.category)}</b>" "{d.description.clone()}
                                <div class="meta">{d.raised_at.chars().take(10).collect::<String>()}</div>
                            </li>
                        }).collect_view().into_any()
                    }}
                </ul>
                <div class="form-actions">
                    <button type="button" class="primary" on:click=move |_| {
                        let started_at = js::now();
                        close.set(None);
                        form.set(Some(Form::Visit { enterprise: id, name: name.clone(), started_at }));
                    }>{t!(i18n, record_visit)}</button>
                    <button type="button" on:click=move |_| close.set(None)>{t!(i18n, close)}</button>
                </div>
            </section>
        }
        .into_any()
    }
}

fn category_name(i18n: leptos_i18n::I18nContext<Locale>, c: api::DemandCategory) -> String {
    use api::DemandCategory::*;
    match c {
        Policy => t_string!(i18n, cat_policy),
        HumanResources => t_string!(i18n, cat_human_resources),
        Technology => t_string!(i18n, cat_technology),
        ProfessionalServices => t_string!(i18n, cat_professional_services),
        Incubation => t_string!(i18n, cat_incubation),
        Resources => t_string!(i18n, cat_resources),
        SocialSecurity => t_string!(i18n, cat_social_security),
        Jobs => t_string!(i18n, cat_jobs),
        Culture => t_string!(i18n, cat_culture),
        Living => t_string!(i18n, cat_living),
        Other => t_string!(i18n, cat_other),
    }
    .to_string()
}

fn kind_label(i18n: leptos_i18n::I18nContext<Locale>, kind: api::FindingKind) -> String {
    use api::FindingKind::*;
    match kind {
        SafetyHazard => t_string!(i18n, kind_safety_hazard),
        Air => t_string!(i18n, kind_air),
        SolidWaste => t_string!(i18n, kind_solid_waste),
        Wastewater => t_string!(i18n, kind_wastewater),
        Noise => t_string!(i18n, kind_noise),
        Hygiene => t_string!(i18n, kind_hygiene),
        PublicOrder => t_string!(i18n, kind_public_order),
    }
    .to_string()
}

/// Why the server did not take a record, in the worker's language.
fn rejection_text(i18n: leptos_i18n::I18nContext<Locale>, r: &api::Rejection) -> String {
    use api::Rejection::*;
    match r {
        Invalid { detail } => format!("{}（{detail}）", t_string!(i18n, rej_invalid)),
        NotYourGrid { .. } => t_string!(i18n, rej_not_your_grid).to_string(),
        UnknownFinding { .. } => t_string!(i18n, rej_unknown_finding).to_string(),
        BeforeFinding { .. } => t_string!(i18n, rej_before_finding).to_string(),
        FindingClosed { .. } => t_string!(i18n, rej_finding_closed).to_string(),
        IdTaken { .. } => t_string!(i18n, rej_id_taken).to_string(),
        ServerError => t_string!(i18n, rej_server_error).to_string(),
        CaseMovedOn { .. } => t_string!(i18n, rej_case_moved_on).to_string(),
        FixReportedByYou { .. } => t_string!(i18n, rej_fix_reported_by_you).to_string(),
        RectificationNotOpen { .. } => t_string!(i18n, rej_rectification_not_open).to_string(),
    }
}
