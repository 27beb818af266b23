//! `/account`: the signed-in user changes their own password (the current one is needed; their
//! other sessions end). After a reset every page sends them here until they have.

use crate::components::TopBar;
use crate::i18n::*;
use crate::serverfns::session::{change_password, whoami};
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let me = Resource::new(|| (), |_| whoami());
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(me)) => view! { <Account me=me /> }.into_any(),
                    Ok(None) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => super::failure(&e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Account(me: api::Me) -> impl IntoView {
    let i18n = use_i18n();
    let forced = me.must_change_password;
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let done = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if new.get_untracked() != again.get_untracked() {
            message.set(Some((false, t_string!(i18n, passwords_differ).to_string())));
            return;
        }
        let (c, n) = (current.get_untracked(), new.get_untracked());
        leptos::task::spawn_local(async move {
            match change_password(c, n).await {
                Ok(()) => {
                    message.set(Some((true, t_string!(i18n, password_changed).to_string())));
                    done.set(true);
                }
                Err(e) => {
                    let text = crate::components::refusal_text(i18n, &e).unwrap_or_else(|| t_string!(i18n, err_internal).to_string());
                    message.set(Some((false, text)));
                }
            }
        });
    };
    let roles = crate::components::role_label(i18n, me.role);
    let parks = me.parks.iter().map(|p| p.name.clone()).collect::<Vec<_>>().join("、");
    let department = me.department.clone();
    view! {
        <TopBar title=t_string!(i18n, my_account).to_string() user=me.clone() />
        <main class="map-page account-page" data-testid="account">
            {forced.then(|| view! { <p class="notice" role="alert" data-testid="must-change">{t!(i18n, must_change_password)}</p> })}
            <dl class="facts">
                <dt>{t!(i18n, login)}</dt><dd>{me.login.clone()}</dd>
                <dt>{t!(i18n, role)}</dt><dd>{roles}</dd>
                {(!parks.is_empty()).then(|| view! { <dt>{t!(i18n, parks)}</dt><dd>{parks}</dd> })}
                {department.map(|d| view! { <dt>{t!(i18n, department)}</dt><dd>{d}</dd> })}
            </dl>
            <h2>{t!(i18n, change_password)}</h2>
            <form class="password-form" on:submit=submit data-testid="password-form">
                <label>{t!(i18n, current_password)}<input type="password" required bind:value=current autocomplete="current-password" data-testid="current-password" /></label>
                <label>{t!(i18n, new_password_label)}<input type="password" required minlength="8" bind:value=new autocomplete="new-password" data-testid="new-password" /></label>
                <label>{t!(i18n, repeat_password)}<input type="password" required minlength="8" bind:value=again autocomplete="new-password" data-testid="repeat-password" /></label>
                <button type="submit" class="primary" data-testid="change-password">{t!(i18n, change_password)}</button>
            </form>
            {move || message.get().map(|(ok, m)| view! { <p class=if ok { "notice" } else { "error" } role="status" data-testid="password-message">{m}</p> })}
            {move || done.get().then(|| view! { <a href="/" class="primary-link" data-testid="continue">{t!(i18n, continue_to_home)}</a> })}
        </main>
    }
}
