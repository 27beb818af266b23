//! `/cases`: the inbox of cases (事项, issue 13) — the center's triage (new, due soon,
//! overdue, extension requests, returned or unsatisfied), a department's cases, a worker's to
//! verify — each box with its count, overdue in red; and, for the center, a demand registered
//! at the service hall.

use super::case_labels::{box_label, category_label, stage_label, urgency_chip};
use crate::components::TopBar;
use crate::i18n::*;
use crate::serverfns::cases::{case_inbox, case_limits, hall_enterprises, open_hall_case, set_case_limit, set_stage_limit};
use crate::serverfns::session::whoami;
use api::cases::{CaseBox, CaseList, CaseSummary, DemandCategory, Mode, TimeLimitRow};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// The boxes a role works from, in order.
fn boxes(role: api::Role) -> &'static [CaseBox] {
    match role {
        api::Role::Admin | api::Role::Manager => {
            &[CaseBox::New, CaseBox::Flagged, CaseBox::Extensions, CaseBox::Overdue, CaseBox::DueSoon, CaseBox::Open, CaseBox::Ledger, CaseBox::Closed]
        }
        api::Role::Department => &[CaseBox::Open, CaseBox::Overdue, CaseBox::DueSoon, CaseBox::Extensions, CaseBox::Closed],
        api::Role::Worker => &[CaseBox::Open, CaseBox::Closed],
    }
}

#[component]
pub fn CasesPage() -> impl IntoView {
    let which = RwSignal::new(None::<CaseBox>);
    let data = Resource::new(
        move || which.get(),
        |which| async move {
            let me = whoami().await;
            // Each role starts from its first box.
            let first = match &me {
                Ok(Some(me)) => boxes(me.role)[0],
                _ => CaseBox::Open,
            };
            let shown = which.unwrap_or(first);
            let list = match (case_inbox(shown).await, hall_enterprises().await, case_limits().await) {
                (Ok(l), Ok(e), Ok(t)) => Ok((shown, l, e, t)),
                (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => Err(e),
            };
            (me, list)
        },
    );
    super::signed_in_page(data, move |(shown, list, enterprises, limits): (CaseBox, CaseList, Vec<(i64, String)>, api::cases::Limits), user| {
        view! { <Inbox shown=shown list=list user=user which=which enterprises=enterprises limits=limits /> }.into_any()
    })
}

#[component]
fn Inbox(
    shown: CaseBox,
    list: CaseList,
    user: api::Me,
    which: RwSignal<Option<CaseBox>>,
    enterprises: Vec<(i64, String)>,
    limits: api::cases::Limits,
) -> impl IntoView {
    let i18n = use_i18n();
    let center = matches!(user.role, api::Role::Admin | api::Role::Manager);
    let count = |b: CaseBox| list.counts.iter().find(|c| c.name == b).map_or(0, |c| c.count);
    let tabs = boxes(user.role)
        .iter()
        .map(|b| {
            let b = *b;
            let n = count(b);
            let urgent = matches!(b, CaseBox::Overdue | CaseBox::Flagged) && n > 0;
            view! {
                <button type="button" class="box-tab" class:current=b == shown class:urgent=urgent data-testid=format!("box-{}", box_key(b))
                    on:click=move |_| which.set(Some(b))>
                    {box_label(i18n, b)} <span class="count">{n}</span>
                </button>
            }
        })
        .collect_view();
    let cases = list.cases;
    let empty = cases.is_empty();
    view! {
        <TopBar title=t_string!(i18n, cases_title).to_string() user=user />
        <main class="map-page cases-page" data-testid="cases">
            <nav class="box-tabs" data-testid="case-boxes">{tabs}</nav>
            {empty.then(|| view! { <p class="muted" data-testid="no-cases">{t!(i18n, no_cases)}</p> })}
            <ul class="case-list" data-testid="case-list">
                {cases.into_iter().map(|c| view! { <CaseCard c=c /> }).collect_view()}
            </ul>
            {list.more.then(|| view! { <p class="muted">"…"</p> })}
            {center.then(|| view! { <HallForm enterprises=enterprises /> <Limits rows=limits.modes stages=limits.stages /> })}
        </main>
    }
}

fn box_key(b: CaseBox) -> &'static str {
    match b {
        CaseBox::Open => "open",
        CaseBox::New => "new",
        CaseBox::DueSoon => "due_soon",
        CaseBox::Overdue => "overdue",
        CaseBox::Extensions => "extensions",
        CaseBox::Flagged => "flagged",
        CaseBox::Ledger => "ledger",
        CaseBox::Closed => "closed",
    }
}

#[component]
fn CaseCard(c: CaseSummary) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/cases/{}", c.id);
    let late = c.urgency.is_some_and(|u| u >= api::cases::Urgency::Overdue) || c.stage_late;
    let deadline = c.deadline.as_deref().map(super::case_labels::local_time);
    view! {
        <li class="case-card" class:late=late data-testid="case-card" data-case=c.id>
            <a href=href>
                <div class="case-head">
                    <b class="case-enterprise">{c.enterprise_name.clone().unwrap_or_default()}</b>
                    <span class=format!("chip stage {}", c.stage.as_str())>{stage_label(i18n, c.stage)}</span>
                </div>
                <p class="case-text">{c.description.clone()}</p>
                <div class="case-meta muted">
                    <span>{category_label(i18n, &c.category)}</span>
                    {c.department.clone().map(|d| view! { <span>"· " {d}</span> })}
                    {deadline.map(|d| view! { <span>"· " {t!(i18n, case_deadline)} " " {d}</span> })}
                    {c.urgency.map(|u| urgency_chip(i18n, u))}
                    {c.stage_late.then(|| view! { <span class="chip overdue" data-testid="stage-late">{t!(i18n, stage_late)}</span> })}
                    {c.major.then(|| view! { <span class="chip overdue">{t!(i18n, grade_major)}</span> })}
                    {c.flagged.then(|| view! { <span class="chip overdue">{t!(i18n, case_flagged)}</span> })}
                    {c.repeat_of.map(|_| view! { <span class="chip due">{t!(i18n, case_repeat)}</span> })}
                    {c.pending_extension.map(|d| view! { <span class="chip due">{t!(i18n, box_extensions)} " " {d}</span> })}
                </div>
            </a>
        </li>
    }
}

/// A demand registered at the service hall: the enterprise by name, the category, the text.
#[component]
fn HallForm(enterprises: Vec<(i64, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let enterprise = RwSignal::new(String::new());
    let category = RwSignal::new(DemandCategory::Policy.as_str().to_owned());
    let text = RwSignal::new(String::new());
    let failed = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // "name #id" as the list offers it.
        let id = enterprise.get_untracked().rsplit_once('#').and_then(|(_, id)| id.trim().parse::<i64>().ok());
        let Some(id) = id else {
            failed.set(Some(t_string!(i18n, err_not_found).to_string()));
            return;
        };
        let cat = DemandCategory::parse(&category.get_untracked()).unwrap_or(DemandCategory::Other);
        let t = text.get_untracked();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match open_hall_case(id, cat, t).await {
                Ok(case) => navigate(&format!("/cases/{case}"), Default::default()),
                Err(e) => failed.set(Some(super::reason(i18n, &e))),
            }
        });
    };
    view! {
        <section class="hall" data-testid="hall">
            <h2>{t!(i18n, hall_title)}</h2>
            {move || failed.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <form on:submit=submit>
                <label>{t!(i18n, hall_enterprise)}
                    <input required bind:value=enterprise list="hall-enterprises" autocomplete="off" data-testid="hall-enterprise" />
                    <datalist id="hall-enterprises">
                        {enterprises.into_iter().map(|(id, name)| view! { <option value=format!("{name} #{id}")></option> }).collect_view()}
                    </datalist>
                </label>
                <label>{t!(i18n, category)}
                    <select bind:value=category data-testid="hall-category">
                        {DemandCategory::ALL.iter().map(|c| view! { <option value=c.as_str()>{category_label(i18n, c.as_str())}</option> }).collect_view()}
                    </select>
                </label>
                <label>{t!(i18n, demand_content)}
                    <textarea required bind:value=text rows="3" data-testid="hall-text"></textarea>
                </label>
                <button type="submit" class="primary small" data-testid="hall-submit">{t!(i18n, register_case)}</button>
            </form>
        </section>
    }
}

/// The time limits table (时限), which the center edits: a row per category and mode, the
/// "all categories" rows for the rest.
#[component]
fn Limits(rows: Vec<TimeLimitRow>, stages: Vec<api::cases::StageLimitRow>) -> impl IntoView {
    let i18n = use_i18n();
    let failed = RwSignal::new(None::<String>);
    let stage_saved = RwSignal::new(None::<api::cases::Stage>);
    let save_stage = move |stage: api::cases::Stage, value: String, unit: String| {
        let Ok(n) = value.trim().parse::<u32>() else {
            failed.set(Some(t_string!(i18n, refused_limit_days).to_string()));
            return;
        };
        let row = if unit == "hours" {
            api::cases::StageLimitRow { stage, working_days: 0, hours: Some(n) }
        } else {
            api::cases::StageLimitRow { stage, working_days: n, hours: None }
        };
        let Ok(json) = serde_json::to_string(&row) else { return };
        leptos::task::spawn_local(async move {
            match set_stage_limit(json).await {
                Ok(()) => {
                    failed.set(None);
                    stage_saved.set(Some(stage));
                }
                Err(e) => failed.set(Some(super::reason(i18n, &e))),
            }
        });
    };
    let saved = RwSignal::new(rows);
    let category = RwSignal::new("*".to_owned());
    let mode = RwSignal::new(Mode::Escalated.as_str().to_owned());
    let days = RwSignal::new("10".to_owned());
    let unit = RwSignal::new("days".to_owned());
    let save = move |row: TimeLimitRow| {
        let Ok(json) = serde_json::to_string(&row) else { return };
        leptos::task::spawn_local(async move {
            match set_case_limit(json).await {
                Ok(()) => {
                    failed.set(None);
                    saved.update(|rows| match rows.iter_mut().find(|r| r.category == row.category && r.mode == row.mode) {
                        Some(r) => {
                            r.working_days = row.working_days;
                            r.hours = row.hours;
                        }
                        None => rows.push(row),
                    });
                }
                Err(e) => failed.set(Some(super::reason(i18n, &e))),
            }
        });
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let row = TimeLimitRow {
            kind: "demand".into(),
            category: category.get_untracked(),
            mode: Mode::parse(&mode.get_untracked()).unwrap_or(Mode::Escalated),
            working_days: days.get_untracked().trim().parse().unwrap_or(0),
            hours: None,
        };
        let row = if unit.get_untracked() == "hours" { TimeLimitRow { hours: Some(row.working_days), working_days: 0, ..row } } else { row };
        save(row);
    };
    let label = move |c: &str| if c == "*" { t_string!(i18n, all_categories).to_string() } else { category_label(i18n, c) };
    let amount = move |days: u32, hours: Option<u32>| match hours {
        Some(h) => format!("{h} {}", t_string!(i18n, unit_hours)),
        None => format!("{days} {}", t_string!(i18n, unit_working_days)),
    };
    let unit_choice = move |value: RwSignal<String>, testid: String| {
        view! {
            <select bind:value=value class="unit" data-testid=testid>
                <option value="days">{t!(i18n, unit_working_days)}</option>
                <option value="hours">{t!(i18n, unit_hours)}</option>
            </select>
        }
    };
    view! {
        <section class="hall case-limits" data-testid="limits">
            <h2>{t!(i18n, limits_title)}</h2>
            <p class="muted">{t!(i18n, limits_hint)}</p>
            {move || failed.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <table class="grid-table">
                <tbody>
                    {move || saved.get().into_iter().map(|r| view! {
                        <tr data-category=r.category.clone() data-mode=r.mode.as_str()>
                            <td>{label(&r.category)}</td>
                            <td>{super::case_labels::mode_label(i18n, r.mode)}</td>
                            <td class="num">{amount(r.working_days, r.hours)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <form on:submit=add data-testid="limit-form">
                <label>{t!(i18n, category)}
                    <select bind:value=category data-testid="limit-category">
                        <option value="*">{t!(i18n, all_categories)}</option>
                        {DemandCategory::ALL.iter().map(|c| view! { <option value=c.as_str()>{category_label(i18n, c.as_str())}</option> }).collect_view()}
                    </select>
                </label>
                <label>{t!(i18n, case_mode)}
                    <select bind:value=mode data-testid="limit-mode">
                        <option value="escalated">{t!(i18n, mode_escalated)}</option>
                        <option value="promised">{t!(i18n, mode_promised)}</option>
                        <option value="proxy">{t!(i18n, mode_proxy)}</option>
                    </select>
                </label>
                <label>{t!(i18n, limits_title)}<input type="number" min="1" max="720" bind:value=days data-testid="limit-days" /></label>
                {unit_choice(unit, "limit-unit".to_owned())}
                <button type="submit" class="small" data-testid="limit-save">{t!(i18n, add_limit)}</button>
            </form>
            <h3>{t!(i18n, stage_limits_title)}</h3>
            <p class="muted">{t!(i18n, stage_limits_hint)}</p>
            <table class="grid-table" data-testid="stage-limits">
                <tbody>
                    {stages.into_iter().map(|r| {
                        let value = RwSignal::new(r.hours.unwrap_or(r.working_days).to_string());
                        let stage_unit = RwSignal::new(if r.hours.is_some() { "hours" } else { "days" }.to_owned());
                        let stage = r.stage;
                        view! {
                            <tr data-stage=stage.as_str()>
                                <td>{super::case_labels::stage_label(i18n, stage)}</td>
                                <td>
                                    <input type="number" min="1" max="720" class="days" bind:value=value data-testid=format!("stage-limit-{}", stage.as_str()) />
                                    " " {unit_choice(stage_unit, format!("stage-unit-{}", stage.as_str()))}
                                </td>
                                <td>
                                    <button type="button" class="small" on:click=move |_| save_stage(stage, value.get_untracked(), stage_unit.get_untracked())>{t!(i18n, save)}</button>
                                    {move || (stage_saved.get() == Some(stage)).then(|| view! { " " <span class="muted">"✓"</span> })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
