//! `/accounts`: the administrator's accounts of every role — who works in which park and
//! department; create (a temporary password, shown once, to be changed at first sign-in),
//! deactivate, reset.

use crate::components::TopBar;
use crate::i18n::*;
use crate::serverfns::accounts::{create_account, list_accounts, reset_account_password, set_account_active};
use crate::serverfns::departments::list_departments;
use crate::serverfns::session::whoami;
use api::{Account, Department, Role};
use leptos::prelude::*;

/// The page's data: the accounts and the departments (for an officer's).
type Data = (Vec<Account>, Vec<Department>);

#[component]
pub fn AccountsPage() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let data = Resource::new(
        move || version.get(),
        |_| async move {
            let me = whoami().await;
            let data = match (list_accounts().await, list_departments().await) {
                (Ok(a), Ok(d)) => Ok((a, d)),
                (Err(e), _) | (_, Err(e)) => Err(e),
            };
            (me, data)
        },
    );
    let notice = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<String>);
    super::signed_in_page(data, move |(accounts, departments): Data, user| {
        view! {
            <TopBar title=t_string!(i18n, accounts_title).to_string() user=user.clone() />
            <main class="map-page accounts-page" data-testid="accounts">
                {move || notice.get().map(|n| view! { <p class="notice" role="status" data-testid="notice">{n}</p> })}
                {move || failed.get().map(|m| view! { <p class="error" role="alert" data-testid="accounts-error">{m}</p> })}
                // The form first: the temporary password it gets shows right above it.
                <NewAccountForm user=user departments=departments version=version notice=notice failed=failed />
                <h2>{t!(i18n, accounts_title)}</h2>
                <AccountTable accounts=accounts version=version notice=notice failed=failed />
            </main>
        }
        .into_any()
    })
}

#[component]
fn AccountTable(accounts: Vec<Account>, version: RwSignal<u32>, notice: RwSignal<Option<String>>, failed: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="grid-table" data-testid="account-table">
            <thead><tr>
                <th>{t!(i18n, name)}</th>
                <th>{t!(i18n, role)}</th>
                <th>{t!(i18n, parks)}</th>
                <th></th>
            </tr></thead>
            <tbody>
                {accounts.into_iter().map(|a| {
                    let id = a.id;
                    let active = a.active;
                    let parks = if a.all_parks { t_string!(i18n, all_parks).to_string() } else { a.parks.join("、") };
                    view! {
                        <tr data-login=a.login.clone() class:inactive=!active>
                            <td><b>{a.display_name.clone()}</b><br/><span class="muted">{a.login.clone()}</span>
                                {(!active).then(|| view! { " " <span class="badge retired">{t!(i18n, deactivated)}</span> })}
                                {a.must_change_password.then(|| view! { " " <span class="badge draft">{t!(i18n, must_change_badge)}</span> })}</td>
                            <td>{crate::components::role_label(i18n, a.role)}{a.department.clone().map(|d| view! { <br/><span class="muted">{d}</span> })}</td>
                            <td>{parks}</td>
                            <td class="actions">
                                <button type="button" class="small" data-testid="toggle-active" on:click=move |_| {
                                    leptos::task::spawn_local(async move {
                                        match set_account_active(id, !active).await {
                                            Ok(()) => version.update(|v| *v += 1),
                                            Err(e) => failed.set(Some(super::reason(i18n, &e))),
                                        }
                                    });
                                }>{if active { t_string!(i18n, deactivate) } else { t_string!(i18n, reactivate) }}</button>
                                <button type="button" class="small" data-testid="reset-password" on:click=move |_| {
                                    leptos::task::spawn_local(async move {
                                        match reset_account_password(id).await {
                                            Ok(p) => notice.set(Some(format!("{}{p}", t_string!(i18n, new_password)))),
                                            Err(e) => failed.set(Some(super::reason(i18n, &e))),
                                        }
                                    });
                                }>{t!(i18n, reset_password)}</button>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn NewAccountForm(
    user: api::Me,
    departments: Vec<Department>,
    version: RwSignal<u32>,
    notice: RwSignal<Option<String>>,
    failed: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let login = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Manager);
    let parks = RwSignal::new(user.park.clone().into_iter().collect::<Vec<String>>());
    let all_parks = RwSignal::new(false);
    let department = RwSignal::new(departments.iter().find(|d| d.active).map(|d| d.code.clone()).unwrap_or_default());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let r = role.get_untracked();
        let new = api::NewAccount {
            login: login.get_untracked(),
            display_name: name.get_untracked(),
            role: r,
            parks: if all_parks.get_untracked() { vec![] } else { parks.get_untracked() },
            all_parks: all_parks.get_untracked() && r == Role::Admin,
            department: (r == Role::Department).then(|| department.get_untracked()),
        };
        let json = serde_json::to_string(&new).unwrap_or_default();
        leptos::task::spawn_local(async move {
            match create_account(json).await {
                Ok(temporary) => {
                    failed.set(None);
                    notice.set(Some(format!("{}{} · {}{temporary}", t_string!(i18n, account_created), new.login, t_string!(i18n, temporary_password))));
                    login.set(String::new());
                    name.set(String::new());
                    version.update(|v| *v += 1);
                }
                Err(e) => failed.set(Some(super::reason(i18n, &e))),
            }
        });
    };
    let role_options = [Role::Manager, Role::Department, Role::Worker, Role::Admin];
    view! {
        <h2>{t!(i18n, new_account)}</h2>
        <form class="new-worker new-account" on:submit=submit data-testid="new-account">
            <label>{t!(i18n, login)}<input required bind:value=login autocomplete="off" data-testid="account-login" /></label>
            <label>{t!(i18n, name)}<input required bind:value=name autocomplete="off" data-testid="account-name" /></label>
            <label>{t!(i18n, role)}
                <select data-testid="account-role" on:change=move |ev| {
                    if let Ok(r) = event_target_value(&ev).parse::<Role>() { role.set(r) }
                }>
                    {role_options.into_iter().map(|r| view! { <option value=r.as_str() selected=r == Role::Manager>{crate::components::role_label(i18n, r)}</option> }).collect_view()}
                </select>
            </label>
            {move || (role.get() == Role::Department).then(|| view! {
                <label>{t!(i18n, department)}
                    <select data-testid="account-department" on:change=move |ev| department.set(event_target_value(&ev))>
                        {departments.iter().filter(|d| d.active).map(|d| view! { <option value=d.code.clone() selected=d.code == department.get_untracked()>{d.name.clone()}</option> }).collect_view()}
                    </select>
                </label>
            })}
            {move || (role.get() == Role::Admin).then(|| view! {
                <label class="check"><input type="checkbox" bind:checked=all_parks data-testid="account-all-parks" />{t!(i18n, all_parks)}</label>
            })}
            <fieldset class="park-choices" data-testid="account-parks">
                <legend>{t!(i18n, parks)}</legend>
                {user.parks.iter().map(|p| {
                    let code = p.code.clone();
                    let checked = parks.get_untracked().contains(&code);
                    view! {
                        <label class="check">
                            <input type="checkbox" checked=checked data-park=code.clone() on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                let code = code.clone();
                                parks.update(|ps| { ps.retain(|c| *c != code); if on { ps.push(code) } });
                            } />
                            {format!("{} {}", p.code, p.name)}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <button type="submit" class="primary small" data-testid="create-account">{t!(i18n, create_account)}</button>
        </form>
    }
}
