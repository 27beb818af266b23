//! `/e/:token`: the enterprise's own page, opened from its link or QR code, with no account —
//! its cases and where they stand, the answers given, a rating for each closed case (满意 /
//! 基本满意 / 不满意, solved or not, a comment), and a demand of its own.

use super::case_labels::{category_label, local_time, satisfaction_label, stage_label};
use crate::components::{ErrorNote, LanguageSwitch};
use crate::i18n::*;
use crate::serverfns::cases::{portal_rate, portal_submit, portal_view};
use api::cases::{DemandCategory, Portal, PortalCase, Satisfaction};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PortalPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    let version = RwSignal::new(0u32);
    let data = Resource::new(move || (token.get(), version.get()), |(t, _)| portal_view(t));
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <PortalBody p=p token=token.get_untracked() version=version /> }.into_any(),
                    Err(e) => view! { <main class="centered"><ErrorNote code=crate::errors::code(&e).to_owned() /></main> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PortalBody(p: Portal, token: String, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let empty = p.cases.is_empty();
    let t2 = token.clone();
    view! {
        <header class="topbar">
            <div class="brand">
                <span class="app-name">{p.park.clone()} " · " {t!(i18n, portal_title)}</span>
                <h1 data-testid="portal-enterprise">{p.enterprise.clone()}</h1>
            </div>
            <div class="actions"><LanguageSwitch class="lang" /></div>
        </header>
        <main class="map-page portal" data-testid="portal">
            <p class="muted">{t!(i18n, portal_intro)}</p>
            <h2>{t!(i18n, portal_cases)}</h2>
            {empty.then(|| view! { <p class="muted">{t!(i18n, no_cases)}</p> })}
            <ul class="case-list">
                {p.cases.into_iter().map(|c| view! { <PortalCard c=c token=token.clone() version=version /> }).collect_view()}
            </ul>
            <SubmitDemand token=t2 version=version />
        </main>
    }
}

#[component]
fn PortalCard(c: PortalCase, token: String, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let satisfaction = RwSignal::new("satisfied".to_owned());
    let solved = RwSignal::new(true);
    let comment = RwSignal::new(String::new());
    let failed = RwSignal::new(None::<String>);
    let id = c.id;
    let rate = move |_| {
        let token = token.clone();
        let s = Satisfaction::parse(&satisfaction.get_untracked()).unwrap_or(Satisfaction::Satisfied);
        let (ok, text) = (solved.get_untracked(), comment.get_untracked());
        leptos::task::spawn_local(async move {
            match portal_rate(token, id, s, ok, text).await {
                Ok(()) => version.update(|v| *v += 1),
                Err(e) => failed.set(Some(super::reason(i18n, &e))),
            }
        });
    };
    view! {
        <li class="case-card" data-testid="portal-case" data-case=c.id data-stage=c.stage.as_str()>
            <div class="portal-case">
                <div class="case-head">
                    <span class="muted">{category_label(i18n, &c.category)} " · " {local_time(&c.registered_at)}</span>
                    <span class=format!("chip stage {}", c.stage.as_str())>{stage_label(i18n, c.stage)}</span>
                </div>
                <p class="case-text">{c.description.clone()}</p>
                {c.answer.clone().map(|a| view! { <p class="said"><b>{t!(i18n, portal_answer)}</b> " " {a}</p> })}
                {c.rating.map(|r| view! { <p class="muted" data-testid="portal-rating">{t!(i18n, case_rating)} ": " {satisfaction_label(i18n, r)}</p> })}
                {c.can_rate.then(|| view! {
                    <div class="rate" data-testid="portal-rate">
                        {move || failed.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                        <select bind:value=satisfaction data-testid="portal-satisfaction">
                            {[Satisfaction::Satisfied, Satisfaction::Acceptable, Satisfaction::Unsatisfied].into_iter().map(|s| view! {
                                <option value=s.as_str()>{satisfaction_label(i18n, s)}</option>
                            }).collect_view()}
                        </select>
                        <label class="check"><input type="checkbox" bind:checked=solved />{t!(i18n, solved)}</label>
                        <input bind:value=comment placeholder=move || t_string!(i18n, portal_comment).to_string() data-testid="portal-comment" />
                        <button type="button" class="primary small" on:click=rate data-testid="portal-rate-button">{t!(i18n, portal_send_rating)}</button>
                    </div>
                })}
            </div>
        </li>
    }
}

#[component]
fn SubmitDemand(token: String, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let category = RwSignal::new(DemandCategory::Policy.as_str().to_owned());
    let text = RwSignal::new(String::new());
    let failed = RwSignal::new(None::<String>);
    let sent = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let token = token.clone();
        let cat = DemandCategory::parse(&category.get_untracked()).unwrap_or(DemandCategory::Other);
        let t = text.get_untracked();
        leptos::task::spawn_local(async move {
            match portal_submit(token, cat, t).await {
                Ok(_) => {
                    failed.set(None);
                    text.set(String::new());
                    sent.set(true);
                    version.update(|v| *v += 1);
                }
                Err(e) => failed.set(Some(super::reason(i18n, &e))),
            }
        });
    };
    view! {
        <section class="hall" data-testid="portal-submit">
            <h2>{t!(i18n, portal_new_demand)}</h2>
            {move || failed.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            {move || sent.get().then(|| view! { <p class="ok">{t!(i18n, portal_sent)}</p> })}
            <form on:submit=submit>
                <label>{t!(i18n, category)}
                    <select bind:value=category>
                        {DemandCategory::ALL.iter().map(|c| view! { <option value=c.as_str()>{category_label(i18n, c.as_str())}</option> }).collect_view()}
                    </select>
                </label>
                <label>{t!(i18n, demand_content)}
                    <textarea required rows="3" bind:value=text data-testid="portal-text"></textarea>
                </label>
                <button type="submit" class="primary small" data-testid="portal-send">{t!(i18n, portal_send)}</button>
            </form>
        </section>
    }
}
