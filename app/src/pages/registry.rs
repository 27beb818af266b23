//! `/registry`: the enterprise registry for managers (clause 5.5.2). Import enterprises from
//! CSV (UTF-8 or GBK, with a column mapping step) or GeoJSON, in WGS84 or GCJ-02: the server
//! first answers with a report (every bad line or feature with its reason, how many are new
//! and how many replace a stored record) and writes only when the file is clean. Export the
//! registry and the grids as GeoJSON and CSV.

use crate::components::TopBar;
use crate::i18n::*;
use crate::serverfns::registry::{enterprise_history, registry_check, registry_import, registry_list, update_enterprise};
use crate::serverfns::session::whoami;
use api::{ColumnMapping, ImportReport};
use leptos::html::Input;
use leptos::prelude::*;

#[component]
pub fn RegistryPage() -> impl IntoView {
    let i18n = use_i18n();
    // Every resource of the page is made here, before its `Suspend` (see `signed_in_page`).
    let me = Resource::new(|| (), |_| whoami());
    let version = RwSignal::new(0u32);
    let list = Resource::new(move || version.get(), |_| registry_list());
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let user = match super::signed_in(me.await) {
                    Ok(name) => name,
                    Err(page) => return page,
                };
                view! {
                    <TopBar title=t_string!(i18n, registry_title).to_string() user=user />
                    <main class="map-page registry-page" data-testid="registry">
                        <a href="/park" class="muted">{t!(i18n, back_to_park)}</a>
                        <Import />
                        <Enterprises list=list version=version />
                        <h2>{t!(i18n, export)}</h2>
                        <p class="exports">
                            <a href="/api/v1/export/enterprises.csv" download data-testid="export-enterprises-csv">{t!(i18n, export_enterprises)}" CSV"</a>
                            <a href="/api/v1/export/enterprises.geojson" download>{t!(i18n, export_enterprises)}" GeoJSON"</a>
                            <a href="/api/v1/export/grids.csv" download>{t!(i18n, export_grids)}" CSV"</a>
                            <a href="/api/v1/export/grids.geojson" download>{t!(i18n, export_grids)}" GeoJSON"</a>
                        </p>
                    </main>
                }.into_any()
            })}
        </Suspense>
    }
}

/// The mapping's fields, in the order the form shows them: (key, required).
const FIELDS: [(&str, bool); 8] =
    [("id", true), ("name", true), ("lon", true), ("lat", true), ("address", false), ("credit_code", false), ("industry", false), ("weight", false)];

fn get(m: &ColumnMapping, key: &str) -> Option<String> {
    match key {
        "id" => m.id.clone(),
        "name" => m.name.clone(),
        "lon" => m.lon.clone(),
        "lat" => m.lat.clone(),
        "address" => m.address.clone(),
        "credit_code" => m.credit_code.clone(),
        "weight" => m.weight.clone(),
        _ => m.industry.clone(),
    }
}

fn set(m: &mut ColumnMapping, key: &str, v: Option<String>) {
    match key {
        "id" => m.id = v,
        "name" => m.name = v,
        "lon" => m.lon = v,
        "lat" => m.lat = v,
        "address" => m.address = v,
        "credit_code" => m.credit_code = v,
        "weight" => m.weight = v,
        _ => m.industry = v,
    }
}

#[component]
fn Import() -> impl IntoView {
    let i18n = use_i18n();
    let input = NodeRef::<Input>::new();
    let file = RwSignal::new(None::<(String, String)>);
    let encoding = RwSignal::new("auto".to_owned());
    let datum = RwSignal::new("wgs84".to_owned());
    let mapping = RwSignal::new(None::<ColumnMapping>);
    let report = RwSignal::new(None::<ImportReport>);
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);
    let run = move |write: bool| {
        let Some((name, data)) = file.get_untracked() else { return };
        let m = mapping.get_untracked().map(|m| serde_json::to_string(&m).unwrap_or_default()).unwrap_or_default();
        let (e, d) = (encoding.get_untracked(), datum.get_untracked());
        busy.set(true);
        failed.set(None);
        leptos::task::spawn_local(async move {
            let r = if write { registry_import(name, data, e, d, m).await } else { registry_check(name, data, e, d, m).await };
            match r {
                Ok(r) => {
                    if mapping.get_untracked().is_none() {
                        mapping.set(r.mapping.clone());
                    }
                    report.set(Some(r));
                }
                Err(e) => failed.set(Some(crate::errors::code(&e).to_owned())),
            }
            busy.set(false);
        });
    };
    let choose = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(el) = input.get_untracked() {
            let name = el.files().and_then(|f| f.get(0)).map(|f| f.name()).unwrap_or_default();
            leptos::task::spawn_local(async move {
                if let Some(b64) = crate::components::files::base64(&el).await {
                    file.set(Some((name, b64)));
                    mapping.set(None);
                    report.set(None);
                    run(false);
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = input;
    };
    let label = move |key: &str| match key {
        "id" => t_string!(i18n, col_id).to_string(),
        "name" => t_string!(i18n, col_name).to_string(),
        "lon" => t_string!(i18n, col_lon).to_string(),
        "lat" => t_string!(i18n, col_lat).to_string(),
        "address" => t_string!(i18n, col_address).to_string(),
        "credit_code" => t_string!(i18n, col_credit_code).to_string(),
        "weight" => t_string!(i18n, col_weight).to_string(),
        _ => t_string!(i18n, col_industry).to_string(),
    };
    let problem = move |l: &api::ImportLine| {
        let reason = match l.kind.as_str() {
            "bad_coordinate" => t_string!(i18n, imp_bad_coordinate).to_string(),
            "not_a_number" => t_string!(i18n, imp_not_a_number).to_string(),
            "missing_field" => t_string!(i18n, imp_missing_field).to_string(),
            "duplicate_id" => t_string!(i18n, imp_duplicate_id).to_string(),
            "outside_boundary" => t_string!(i18n, imp_outside_boundary).to_string(),
            "missing_column" | "no_such_column" => t_string!(i18n, imp_missing_column).to_string(),
            "not_text" => t_string!(i18n, imp_not_text).to_string(),
            "bad_weight" => t_string!(i18n, imp_bad_weight).to_string(),
            _ => t_string!(i18n, imp_other).to_string(),
        };
        let place = match l.location.split_once(' ') {
            Some(("line", n)) => format!("{}{n}{}", t_string!(i18n, loc_line_before), t_string!(i18n, loc_line_after)),
            Some(("feature", n)) => format!("{}{n}{}", t_string!(i18n, loc_feature_before), t_string!(i18n, loc_feature_after)),
            _ => t_string!(i18n, loc_file).to_string(),
        };
        format!("{place} · {reason}（{}）", l.message)
    };
    view! {
        <h2>{t!(i18n, import_enterprises)}</h2>
        <div class="import-form">
            <label>{t!(i18n, import_file)}
                <input type="file" accept=".csv,.txt,.geojson,.json" node_ref=input on:change=choose data-testid="import-file" />
            </label>
            <label>{t!(i18n, import_encoding)}
                <select on:change=move |ev| { encoding.set(event_target_value(&ev)); run(false); } data-testid="import-encoding">
                    <option value="auto" selected>{t!(i18n, encoding_auto)}</option>
                    <option value="utf8">"UTF-8"</option>
                    <option value="gbk">"GBK"</option>
                </select>
            </label>
            <label>{t!(i18n, import_datum)}
                <select on:change=move |ev| { datum.set(event_target_value(&ev)); run(false); } data-testid="import-datum">
                    <option value="wgs84" selected>{t!(i18n, datum_wgs84)}</option>
                    <option value="gcj02">{t!(i18n, datum_gcj02)}</option>
                </select>
            </label>
        </div>
        {move || busy.get().then(|| view! { <p class="muted">{t!(i18n, working)}</p> })}
        {move || failed.get().map(|code| view! { <crate::components::ErrorNote code=code /> })}
        {move || report.get().map(|r| {
            let headers = r.headers.clone();
            let mapping_form = (!headers.is_empty()).then(|| view! {
                <h3>{t!(i18n, column_mapping)}</h3>
                <div class="mapping" data-testid="mapping">
                    {FIELDS.iter().map(|(key, required)| {
                        let key = *key;
                        let chosen = mapping.get_untracked().and_then(|m| get(&m, key));
                        let headers = headers.clone();
                        view! {
                            <label>{label(key)}{required.then_some(" *")}
                                <select data-testid=format!("map-{key}") on:change=move |ev| {
                                    let v = event_target_value(&ev);
                                    mapping.update(|m| {
                                        let m = m.get_or_insert_with(ColumnMapping::default);
                                        set(m, key, (!v.is_empty()).then_some(v));
                                    });
                                    run(false);
                                }>
                                    <option value="" selected=chosen.is_none()>{t!(i18n, none_column)}</option>
                                    {headers.into_iter().map(|h| {
                                        let sel = chosen.as_deref() == Some(h.as_str());
                                        view! { <option value=h.clone() selected=sel>{h.clone()}</option> }
                                    }).collect_view()}
                                </select>
                            </label>
                        }
                    }).collect_view()}
                </div>
            });
            let clean = r.problems.is_empty() && r.total > 0;
            view! {
                {mapping_form}
                <section class="report" data-testid="import-report">
                    <h3>{t!(i18n, import_report)}</h3>
                    <p>
                        {r.encoding.clone().map(|e| format!("{} {} · ", t_string!(i18n, import_encoding), e.to_uppercase()))}
                        {t!(i18n, import_counts, total = r.total, new = r.new, updated = r.updated)}
                    </p>
                    {if r.written {
                        view! { <p class="notice" data-testid="import-done">{t!(i18n, import_done, count = r.total)}</p> }.into_any()
                    } else if r.problems.is_empty() {
                        view! { <p class="ok">{t!(i18n, import_clean)}</p> }.into_any()
                    } else {
                        view! {
                            <p class="error" data-testid="import-problem-count">{t!(i18n, import_problems, count = r.problems.len())}</p>
                            <ul class="problem-list" data-testid="import-problems">
                                {r.problems.iter().map(|l| view! { <li>{problem(l)}</li> }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    {(!r.written).then(|| view! {
                        <button type="button" class="primary small" data-testid="import-go" disabled=move || !clean || busy.get() on:click=move |_| run(true)>
                            {t!(i18n, import_go)}
                        </button>
                    })}
                </section>
            }
        })}
    }
}

/// The registry itself: search, edit (name, codes, address, industry, workload weight, position, active) and
/// the history of changes of one enterprise.
#[component]
fn Enterprises(list: Resource<Result<Vec<api::RegistryEnterprise>, ServerFnError>>, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(String::new());
    let open = RwSignal::new(None::<i64>);
    view! {
        <h2>{t!(i18n, registry_list)}</h2>
        <input class="search" type="search" placeholder=move || t_string!(i18n, search_enterprise).to_string()
            bind:value=query data-testid="registry-search" />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(all) = list.await else { return ().into_any() };
                let q = query.get().trim().to_lowercase();
                let total = all.len();
                let shown: Vec<api::RegistryEnterprise> = all
                    .into_iter()
                    .filter(|e| q.is_empty() || e.name.to_lowercase().contains(&q) || e.external_id.to_lowercase().contains(&q))
                    .take(30)
                    .collect();
                view! {
                    <p class="muted">{t!(i18n, registry_total, count = total)}</p>
                    <ul class="enterprise-list registry-list" data-testid="registry-list">
                        {shown.into_iter().map(|e| {
                            let id = e.id;
                            let active = e.active;
                            view! {
                                <li class:inactive=!active>
                                    <button type="button" class="link" on:click=move |_| open.set(Some(id))>
                                        <span class="name">{e.name.clone()}</span>
                                    </button>
                                    <span class="muted">{e.external_id.clone()}" · "{e.address.clone().unwrap_or_default()}
                                        {(e.weight != 1.0).then(|| view! { " · " {t!(i18n, col_weight)}" "{e.weight} })}
                                        {(!active).then(|| view! { " · " <b>{t!(i18n, deactivated)}</b> })}</span>
                                    {move || (open.get() == Some(id)).then(|| view! { <EnterpriseEditor e=e.clone() version=version /> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn EnterpriseEditor(e: api::RegistryEnterprise, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let id = e.id;
    let name = RwSignal::new(e.name.clone());
    let credit = RwSignal::new(e.credit_code.clone().unwrap_or_default());
    let address = RwSignal::new(e.address.clone().unwrap_or_default());
    let industry = RwSignal::new(e.industry.clone().unwrap_or_default());
    let weight = RwSignal::new(e.weight.to_string());
    let lon = RwSignal::new(e.lon.to_string());
    let lat = RwSignal::new(e.lat.to_string());
    let active = RwSignal::new(e.active);
    let saved = RwSignal::new(0u32);
    // Opened by a click, so only ever in the browser: a local resource, never serialized.
    let history = LocalResource::new(move || {
        saved.track();
        enterprise_history(id)
    });
    let message = RwSignal::new(None::<(bool, String)>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Ok(x), Ok(y), Ok(w)) =
            (lon.get_untracked().trim().parse::<f64>(), lat.get_untracked().trim().parse::<f64>(), weight.get_untracked().trim().parse::<f64>())
        else {
            message.set(Some((false, t_string!(i18n, imp_not_a_number).to_string())));
            return;
        };
        let some = |s: String| (!s.trim().is_empty()).then_some(s);
        let edit = api::EnterpriseEdit {
            id,
            name: name.get_untracked(),
            credit_code: some(credit.get_untracked()),
            address: some(address.get_untracked()),
            industry: some(industry.get_untracked()),
            weight: w,
            lon: x,
            lat: y,
            datum: api::Datum::Wgs84,
            active: active.get_untracked(),
        };
        let json = serde_json::to_string(&edit).unwrap_or_default();
        leptos::task::spawn_local(async move {
            match update_enterprise(json).await {
                Ok(()) => {
                    message.set(Some((true, t_string!(i18n, enterprise_saved).to_string())));
                    saved.update(|v| *v += 1);
                    version.update(|v| *v += 1);
                }
                Err(e) => {
                    let text = crate::components::refusal_text(i18n, &e).unwrap_or_else(|| t_string!(i18n, err_internal).to_string());
                    message.set(Some((false, text)));
                }
            }
        });
    };
    view! {
        <form class="enterprise-edit" on:submit=save data-testid="enterprise-edit">
            <label>{t!(i18n, col_name)}<input required bind:value=name /></label>
            <label>{t!(i18n, col_credit_code)}<input bind:value=credit /></label>
            <label>{t!(i18n, col_address)}<input bind:value=address /></label>
            <label>{t!(i18n, col_industry)}<input bind:value=industry /></label>
            <label>{t!(i18n, col_weight)}<input inputmode="decimal" bind:value=weight data-testid="enterprise-weight" /></label>
            <label>{t!(i18n, col_lon)}" (WGS84)"<input inputmode="decimal" bind:value=lon /></label>
            <label>{t!(i18n, col_lat)}" (WGS84)"<input inputmode="decimal" bind:value=lat /></label>
            <label class="check"><input type="checkbox" bind:checked=active />{t!(i18n, enterprise_active)}</label>
            <button type="submit" class="primary small" data-testid="enterprise-save">{t!(i18n, save)}</button>
            {move || message.get().map(|(ok, m)| view! { <p class=if ok { "notice" } else { "error" } role="status">{m}</p> })}
        </form>
        <h4>{t!(i18n, change_history)}</h4>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let entries = history.await.unwrap_or_default();
                if entries.is_empty() {
                    return view! { <p class="muted">{t!(i18n, no_changes)}</p> }.into_any();
                }
                view! {
                    <ul class="history" data-testid="history">
                        {entries.into_iter().map(|h| {
                            let when = h.at.get(..16).unwrap_or(&h.at).replace('T', " ");
                            let changes = h.changes.iter().map(|c| format!("{}: {} → {}", field_label(i18n, &c.field), if c.before.is_empty() { "—" } else { &c.before }, if c.after.is_empty() { "—" } else { &c.after })).collect::<Vec<_>>().join("；");
                            view! { <li><b>{when}</b>" "{h.actor.unwrap_or_default()}" · "{action_label(i18n, &h.action)}<br/><span class="muted">{changes}</span></li> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </Suspense>
    }
}

/// A changed field's name as the history shows it.
fn field_label(i18n: leptos_i18n::I18nContext<Locale>, field: &str) -> String {
    match field {
        "name" => t_string!(i18n, col_name).to_string(),
        "credit_code" => t_string!(i18n, col_credit_code).to_string(),
        "address" => t_string!(i18n, col_address).to_string(),
        "industry" => t_string!(i18n, col_industry).to_string(),
        "lon" => t_string!(i18n, col_lon).to_string(),
        "lat" => t_string!(i18n, col_lat).to_string(),
        "active" => t_string!(i18n, enterprise_active).to_string(),
        "weight" => t_string!(i18n, col_weight).to_string(),
        other => other.to_owned(),
    }
}

/// What a history entry did, as the history shows it.
fn action_label(i18n: leptos_i18n::I18nContext<Locale>, action: &str) -> String {
    match action {
        "edit" => t_string!(i18n, action_edit).to_string(),
        "deactivate" => t_string!(i18n, action_deactivate).to_string(),
        "reactivate" => t_string!(i18n, action_reactivate).to_string(),
        "import" => t_string!(i18n, action_import).to_string(),
        other => other.to_owned(),
    }
}
