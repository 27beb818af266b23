//! The record forms: a visit with its demands, a finding, a re-inspection, a case's work —
//! each turned into an `api::SyncRecord`, checked by the same rules as the server's, with its
//! photos prepared, before it enters the outbox.

use super::*;

/// The value of a form field, trimmed.
fn field(data: &web_sys::FormData, name: &str) -> String {
    data.get(name).as_string().unwrap_or_default().trim().to_owned()
}

/// A date input's day (YYYY-MM-DD) as the end of that day in China (UTC+8).
fn end_of_day(day: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    if day.len() != 10 {
        return None;
    }
    instant(&format!("{day}T23:59:59+08:00")).ok()
}

/// An RFC 3339 time (the phone's clock, a date input) as UTC.
fn instant(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(text).map(|t| t.to_utc()).map_err(|e| format!("{text}: {e}"))
}

/// A new record's id, made by the phone (a version 7 UUID).
fn new_id() -> Result<api::RecordId, String> {
    record_id(&js::uuid7())
}

fn record_id(id: &str) -> Result<api::RecordId, String> {
    api::RecordId::parse(id).map_err(|e| e.to_string())
}

/// One of a form's fixed choices (a `<select>`'s value) as its wire enum.
fn choice<T: serde::de::DeserializeOwned>(value: &str) -> Result<T, String> {
    use serde::de::IntoDeserializer;
    T::deserialize(IntoDeserializer::<serde::de::value::Error>::into_deserializer(value)).map_err(|e| e.to_string())
}

#[component]
pub(super) fn RecordForm(form: Form, close: RwSignal<Option<Form>>, state: RwSignal<Option<FieldState>>, here: RwSignal<Option<(f64, f64)>>) -> impl IntoView {
    let i18n = use_i18n();
    let node = NodeRef::<leptos::html::Form>::new();
    let demands = RwSignal::new(1usize);
    let error = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let kind = RwSignal::new("safety_hazard".to_owned());
    let title = match &form {
        Form::Visit { name, .. } => format!("{} · {}", t_string!(i18n, record_visit), name),
        Form::Finding { enterprise: Some((_, name)) } => format!("{} · {}", t_string!(i18n, report_finding), name),
        Form::Finding { enterprise: None } => t_string!(i18n, patrol_finding).to_string(),
        Form::Reinspect { description, .. } => format!("{} · {}", t_string!(i18n, reinspect), description),
        Form::Case { description, to_verify: true, .. } => format!("{} · {}", t_string!(i18n, act_verify), description),
        Form::Case { description, .. } => format!("{} · {}", t_string!(i18n, act_rate), description),
    };
    let heading = title.clone();
    let which = form.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        {
            use wasm_bindgen::JsCast;
            let Some(el) = node.get() else { return };
            let Ok(data) = web_sys::FormData::new_with_form(&el) else { return };
            let form = which.clone();
            let title = title.clone();
            saving.set(true);
            leptos::task::spawn_local(async move {
                let position: Option<api::Fix> = js::json(js::fix()).await.and_then(|t| serde_json::from_str(&t).ok());
                if let Some(p) = &position {
                    here.set(Some((p.lon, p.lat)));
                }
                let now = js::now();
                // Typed records, checked with the same rules as the server's before anything is
                // stored (building them as JSON and parsing that back costs ~10 KB of wasm).
                let built = match &form {
                    Form::Visit { enterprise, started_at, .. } => {
                        let cats = data.get_all("demand_category");
                        let texts = data.get_all("demand_text");
                        let demands: Result<Vec<api::Demand>, String> = (0..texts.length())
                            .filter_map(|i| {
                                let text = texts.get(i).as_string().unwrap_or_default();
                                (!text.trim().is_empty()).then(|| {
                                    let category = cats.get(i).as_string().unwrap_or_else(|| "other".into());
                                    Ok(api::Demand { id: new_id()?, category: choice(&category)?, description: text.trim().to_owned() })
                                })
                            })
                            .collect();
                        (|| {
                            Ok(api::SyncRecord::Visit(api::Visit {
                                id: new_id()?,
                                enterprise_id: *enterprise,
                                started_at: instant(started_at)?,
                                ended_at: instant(&now)?,
                                fix: position,
                                met: field(&data, "met"),
                                notes: field(&data, "notes"),
                                demands: demands?,
                                satisfaction: field(&data, "satisfaction").parse::<u8>().ok(),
                            }))
                        })()
                    }
                    Form::Finding { enterprise } => {
                        let Some(fix) = position else {
                            error.set(Some(t_string!(i18n, need_position).to_string()));
                            saving.set(false);
                            return;
                        };
                        (|| {
                            let kind: api::FindingKind = choice(&field(&data, "kind"))?;
                            let grade = if kind == api::FindingKind::SafetyHazard { Some(choice(&field(&data, "grade"))?) } else { None };
                            Ok(api::SyncRecord::Finding(api::Finding {
                                id: new_id()?,
                                enterprise_id: enterprise.as_ref().map(|e| e.0),
                                visit_id: None,
                                kind,
                                grade,
                                description: field(&data, "description"),
                                found_at: instant(&now)?,
                                fix,
                                deadline: end_of_day(&field(&data, "deadline")),
                                photos: Vec::new(),
                            }))
                        })()
                    }
                    Form::Case { case, to_verify, .. } => (|| {
                        let work = if *to_verify {
                            api::CaseWorkKind::Verify { solved: field(&data, "solved") == "yes", note: field(&data, "note") }
                        } else {
                            api::CaseWorkKind::Rate {
                                satisfaction: choice(&field(&data, "satisfaction"))?,
                                solved: field(&data, "solved") == "yes",
                                comment: field(&data, "note"),
                            }
                        };
                        Ok(api::SyncRecord::CaseWork(api::CaseWork { id: new_id()?, case_id: *case, work, at: instant(&now)? }))
                    })(),
                    Form::Reinspect { finding, .. } => (|| {
                        Ok(api::SyncRecord::Reinspection(api::Reinspection {
                            id: new_id()?,
                            finding_id: finding.clone(),
                            result: choice(&field(&data, "result"))?,
                            inspected_at: instant(&now)?,
                            notes: field(&data, "notes"),
                            new_deadline: end_of_day(&field(&data, "new_deadline")),
                            fix: position,
                            photos: Vec::new(),
                        }))
                    })(),
                };
                // The photos, made small on the phone, join the record before its check: a photo
                // the server would refuse never enters the outbox.
                let inputs = js_sys::Array::new();
                if let Ok(list) = el.query_selector_all("input[type=file]") {
                    for i in 0..list.length() {
                        if let Some(n) = list.item(i) {
                            inputs.push(n.unchecked_ref());
                        }
                    }
                }
                // One line per photo, `id TAB bytes TAB taken-at` (plain text: parsing JSON into
                // `PhotoMeta` here would cost the bundle ~8 KB).
                let shots: Result<Vec<api::PhotoMeta>, String> = match js::json(js::photos(&inputs)).await {
                    Some(t) => t
                        .lines()
                        .map(|line| {
                            let mut f = line.split('\t');
                            let (id, size, taken) = (f.next().unwrap_or_default(), f.next().unwrap_or_default(), f.next().unwrap_or_default());
                            Ok(api::PhotoMeta {
                                id: record_id(id)?,
                                content_type: "image/jpeg".to_owned(),
                                size: size.parse().map_err(|_| format!("photo {id}: size {size:?}"))?,
                                taken_at: instant(taken)?,
                                fix: None,
                            })
                        })
                        .collect(),
                    None => Err(t_string!(i18n, save_failed).to_string()),
                };
                let checked = built.and_then(|mut r: api::SyncRecord| {
                    let shots = shots?;
                    match &mut r {
                        api::SyncRecord::Finding(f) => f.photos = shots.into_iter().map(|p| api::PhotoMeta { fix: Some(f.fix.clone()), ..p }).collect(),
                        api::SyncRecord::Reinspection(x) => x.photos = shots.into_iter().map(|p| api::PhotoMeta { fix: x.fix.clone(), ..p }).collect(),
                        _ => {}
                    }
                    r.check(instant(&js::now())?).map_err(|e| e.to_string())?;
                    serde_json::to_string(&r).map_err(|e| e.to_string())
                });
                let record = match checked {
                    Ok(record) => record,
                    Err(e) => {
                        error.set(Some(e));
                        saving.set(false);
                        return;
                    }
                };
                let stored = js::json(js::add(&record, &title)).await;
                saving.set(false);
                if let Some(s) = stored.and_then(|t| serde_json::from_str(&t).ok()) {
                    state.set(Some(s));
                    close.set(None);
                } else {
                    error.set(Some(t_string!(i18n, save_failed).to_string()));
                }
            });
        }
    };

    let body = match form {
        Form::Visit { .. } => view! {
            <label>{t!(i18n, met_person)}<input name="met" data-testid="visit-met" /></label>
            <label>{t!(i18n, notes)}<textarea name="notes" rows="3" data-testid="visit-notes"></textarea></label>
            <fieldset>
                <legend>{t!(i18n, demands)}</legend>
                {move || (0..demands.get()).map(|_| view! {
                    <div class="demand">
                        <select name="demand_category" data-testid="demand-category">
                            {api::DemandCategory::ALL.iter().map(|c| view! { <option value=c.as_str()>{category_name(i18n, *c)}</option> }).collect_view()}
                        </select>
                        <input name="demand_text" placeholder=move || t_string!(i18n, demand_text) data-testid="demand-text" />
                    </div>
                }).collect_view()}
                <button type="button" on:click=move |_| demands.update(|n| *n += 1)>{t!(i18n, add_demand)}</button>
            </fieldset>
            <label>{t!(i18n, satisfaction)}
                <select name="satisfaction" data-testid="visit-satisfaction">
                    <option value="">"—"</option>
                    {(1..=5).rev().map(|n| view! { <option value=n.to_string()>{"★".repeat(n)}</option> }).collect_view()}
                </select>
            </label>
        }
        .into_any(),
        Form::Finding { .. } => view! {
            <label>{t!(i18n, finding_kind)}
                <select name="kind" data-testid="finding-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                    {api::FindingKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{kind_label(i18n, *k)}</option> }).collect_view()}
                </select>
            </label>
            <Show when=move || kind.get() == "safety_hazard">
                <label>{t!(i18n, hazard_grade)}
                    <select name="grade" data-testid="finding-grade">
                        <option value="general">{t!(i18n, grade_general)}</option>
                        <option value="major">{t!(i18n, grade_major)}</option>
                    </select>
                </label>
            </Show>
            <label>{t!(i18n, description)}<textarea name="description" rows="3" required data-testid="finding-description"></textarea></label>
            <label>{t!(i18n, deadline)}<input type="date" name="deadline" data-testid="finding-deadline" /><small>{t!(i18n, deadline_default)}</small></label>
            <label>{t!(i18n, photos)}<input type="file" name="photos" accept="image/*" capture="environment" multiple data-testid="finding-photo" /></label>
        }
        .into_any(),
        Form::Case { to_verify, .. } => view! {
            {(!to_verify).then(|| view! {
                <label>{t!(i18n, case_rating)}
                    <select name="satisfaction" data-testid="case-satisfaction">
                        <option value="satisfied">{t!(i18n, sat_satisfied)}</option>
                        <option value="acceptable">{t!(i18n, sat_acceptable)}</option>
                        <option value="unsatisfied">{t!(i18n, sat_unsatisfied)}</option>
                    </select>
                </label>
            })}
            <label>{t!(i18n, result)}
                <select name="solved" data-testid="case-solved">
                    <option value="yes">{t!(i18n, solved)}</option>
                    <option value="no">{t!(i18n, not_solved)}</option>
                </select>
            </label>
            <label>{t!(i18n, notes)}<textarea name="note" rows="2" data-testid="case-note"></textarea></label>
        }
        .into_any(),
        Form::Reinspect { .. } => view! {
            <label>{t!(i18n, result)}
                <select name="result" data-testid="reinspect-result">
                    <option value="fixed">{t!(i18n, result_fixed)}</option>
                    <option value="partly_fixed">{t!(i18n, result_partly)}</option>
                    <option value="not_fixed">{t!(i18n, result_not)}</option>
                </select>
            </label>
            <label>{t!(i18n, new_deadline)}<input type="date" name="new_deadline" /></label>
            <label>{t!(i18n, notes)}<textarea name="notes" rows="2"></textarea></label>
            <label>{t!(i18n, after_photo)}<input type="file" name="photos" accept="image/*" capture="environment" /></label>
        }
        .into_any(),
    };

    view! {
        <section class="record-form" data-testid="record-form">
            <h2>{heading}</h2>
            <form node_ref=node on:submit=submit>
                {body}
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || saving.get() data-testid="save-record">{t!(i18n, save)}</button>
                    <button type="button" on:click=move |_| close.set(None)>{t!(i18n, cancel)}</button>
                </div>
                <p class="hint">{t!(i18n, saved_offline_hint)}</p>
            </form>
        </section>
    }
}
