use crate::i18n::*;
use crate::serverfns::session::{Logout, choose_park};
use api::{Me, Role};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// How long after hydrating a page starts loading the pages opened next: the page's own
/// requests (the map's layers, a first click) go first.
#[cfg(feature = "hydrate")]
const PRELOAD_AFTER_MS: u64 = 1_500;

/// The bar on every signed-in page: title, who is signed in, language switch, sign-out; under
/// it the park switcher (for whoever works in several parks) and the pages of their role.
#[component]
pub fn TopBar(#[prop(into)] title: String, user: Me) -> impl IntoView {
    let i18n = use_i18n();
    let logout = ServerAction::<Logout>::new();
    let several = user.parks.len() > 1;
    let current = user.park.clone().unwrap_or_default();
    let parks = user.parks.clone();
    let switch = move |ev: leptos::ev::Event| {
        let code = event_target_value(&ev);
        leptos::task::spawn_local(async move {
            if choose_park(code).await.is_ok() {
                // Every part of the page is about the park: load it again.
                let _ = window().location().reload();
            }
        });
    };
    let admin = user.role == Role::Admin;
    // The service center keeps what the park publishes (issue 15).
    let center = matches!(user.role, Role::Admin | Role::Manager);
    let sees_park = matches!(user.role, Role::Admin | Role::Manager | Role::Department);
    // Once the page has hydrated and settled, the pages opened next from here load in the
    // background (not while offline: the loader would only wait and try again — it never lets a
    // chunk fail for want of a network, which would stop the app: `scripts/pack-chunks.mjs`).
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        set_timeout(
            move || {
                if window().navigator().on_line() {
                    leptos::task::spawn_local(crate::pages::preload_next(center));
                }
            },
            std::time::Duration::from_millis(PRELOAD_AFTER_MS),
        );
    });
    view! {
        <header class="topbar">
            <div class="brand">
                <span class="app-name">{t!(i18n, app_name)}</span>
                <h1>{title}</h1>
            </div>
            <div class="actions">
                {matches!(user.role, Role::Admin | Role::Manager).then(|| view! {
                    <a href="/dashboard" class="link" data-testid="dashboard-link">{t!(i18n, nav_dashboard)}</a>
                })}
                {sees_park.then(|| view! { <a href="/park" class="link" data-testid="park-link">{t!(i18n, park_map)}</a> })}
                <a href="/cases" class="link cases-link" data-testid="cases-link">{t!(i18n, cases_link)}
                    {(user.cases_waiting > 0).then(|| view! { " " <span class="count" data-testid="cases-waiting">{user.cases_waiting}</span> })}
                </a>
                {center.then(|| view! { <a href="/publish" class="link" data-testid="publish-link">{t!(i18n, pub_link)}</a> })}
                <a href="/account" class="user" data-testid="user-name" title=move || t_string!(i18n, my_account).to_string()>{user.display_name.clone()}</a>
                <super::LanguageSwitch class="lang" />
                <ActionForm action=logout>
                    <button type="submit" class="signout">{t!(i18n, sign_out)}</button>
                </ActionForm>
            </div>
        </header>
        {(several || admin || (sees_park && several)).then(|| view! {
            <nav class="subbar" data-testid="subbar">
                {several.then(|| view! {
                    <label class="park-switch">{t!(i18n, park)}
                        <select on:change=switch data-testid="park-switch">
                            {parks.iter().map(|p| {
                                let selected = p.code == current;
                                view! { <option value=p.code.clone() selected=selected>{format!("{} {}", p.code, p.name)}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                })}
                {(several || admin).then(|| view! { <a href="/parks" data-testid="parks-link">{t!(i18n, parks_overview)}</a> })}
                {admin.then(|| view! {
                    <a href="/accounts" data-testid="accounts-link">{t!(i18n, accounts_title)}</a>
                    <a href="/departments" data-testid="departments-link">{t!(i18n, departments_title)}</a>
                })}
            </nav>
        })}
    }
}
