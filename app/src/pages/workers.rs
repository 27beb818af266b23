//! `/workers`: the managers' staff page. Who is on which grid of the active plan (a grid may
//! have several workers), flags for workers outside 20–40 enterprises (clause 5.3.1), with no
//! grid, and grids with nobody; worker accounts: create, deactivate/reactivate, reset the
//! password.

use crate::components::TopBar;
use crate::i18n::*;
use crate::serverfns::session::whoami;
use crate::serverfns::staff::{assign_worker, create_worker, reset_worker_password, set_worker_active, staff_overview, unassign_worker};
use api::Staff;
use leptos::prelude::*;

#[component]
pub fn WorkersPage() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let data = Resource::new(move || version.get(), |_| async move { (whoami().await, staff_overview().await) });
    let notice = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<String>);
    super::signed_in_page(data, move |s: Staff, user| {
        view! {
            <TopBar title=t_string!(i18n, staff_title).to_string() user=user />
            <main class="map-page staff-page" data-testid="staff">
                <a href="/park" class="muted">{t!(i18n, back_to_park)}</a>
                {move || notice.get().map(|n| view! { <p class="notice" role="status" data-testid="notice">{n}</p> })}
                {move || failed.get().map(|m| view! { <p class="error" role="alert" data-testid="staff-error">{m}</p> })}
                <Assignments staff=s.clone() version=version failed=failed />
                <Accounts staff=s version=version notice=notice failed=failed />
            </main>
        }
        .into_any()
    })
}

#[component]
fn Assignments(staff: Staff, version: RwSignal<u32>, failed: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let active: Vec<(i64, String)> = staff.workers.iter().filter(|w| w.active).map(|w| (w.id, w.display_name.clone())).collect();
    let unstaffed = staff.grids.iter().filter(|g| g.workers.is_empty()).count();
    let plan = staff.plan_version.map(|v| format!("v{v}")).unwrap_or_default();
    view! {
        <h2>{t!(i18n, assignments)}" "<span class="muted">{plan}</span></h2>
        {(unstaffed > 0).then(|| view! { <p class="error" data-testid="unstaffed">{t!(i18n, grids_without_worker, count = unstaffed)}</p> })}
        <table class="grid-table" data-testid="assignments">
            <thead><tr>
                <th>{t!(i18n, grid)}</th>
                <th class="num">{t!(i18n, enterprises)}</th>
                <th>{t!(i18n, workers)}</th>
            </tr></thead>
            <tbody>
                {staff.grids.into_iter().map(|g| {
                    let code = g.code.clone();
                    let nobody = g.workers.is_empty();
                    let here: Vec<i64> = g.workers.iter().map(|w| w.0).collect();
                    let choices: Vec<(i64, String)> = active.iter().filter(|w| !here.contains(&w.0)).cloned().collect();
                    let add_code = code.clone();
                    view! {
                        <tr data-code=code.clone() class:unstaffed=nobody>
                            <td class="code">{code.clone()}</td>
                            <td class="num">{g.enterprise_count}</td>
                            <td class="chips">
                                {nobody.then(|| view! { <span class="flag">{t!(i18n, nobody)}</span> })}
                                {g.workers.into_iter().map(|(id, name)| {
                                    let code = code.clone();
                                    view! {
                                        <span class="chip">{name.clone()}
                                            <button type="button" class="chip-x" title=t_string!(i18n, unassign).to_string()
                                                on:click=move |_| {
                                                    let code = code.clone();
                                                    leptos::task::spawn_local(async move {
                                                        match unassign_worker(code, id).await {
                                                            Ok(()) => version.update(|v| *v += 1),
                                                            Err(e) => failed.set(Some(super::reason(i18n, &e))),
                                                        }
                                                    });
                                                }>"×"</button>
                                        </span>
                                    }
                                }).collect_view()}
                                <select class="add-worker" data-testid=format!("add-worker-{}", add_code)
                                    on:change=move |ev| {
                                        let Ok(user) = event_target_value(&ev).parse::<i64>() else { return };
                                        // Back to the prompt: the row is redrawn in place and would keep the choice.
                                        event_target::<web_sys::HtmlSelectElement>(&ev).set_value("");
                                        let code = add_code.clone();
                                        leptos::task::spawn_local(async move {
                                            match assign_worker(code, user).await {
                                                Ok(()) => version.update(|v| *v += 1),
                                                Err(e) => failed.set(Some(super::reason(i18n, &e))),
                                            }
                                        });
                                    }>
                                    <option value="" selected>{t!(i18n, add_worker)}</option>
                                    {choices.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                                </select>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn Accounts(staff: Staff, version: RwSignal<u32>, notice: RwSignal<Option<String>>, failed: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let login = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (l, n, p) = (login.get_untracked(), name.get_untracked(), password.get_untracked());
        leptos::task::spawn_local(async move {
            match create_worker(l.clone(), n, p).await {
                Ok(()) => {
                    failed.set(None);
                    notice.set(Some(format!("{}{l}", t_string!(i18n, worker_created))));
                    login.set(String::new());
                    name.set(String::new());
                    password.set(String::new());
                    version.update(|v| *v += 1);
                }
                Err(e) => failed.set(Some(super::reason(i18n, &e))),
            }
        });
    };
    view! {
        <h2>{t!(i18n, worker_accounts)}</h2>
        <table class="grid-table" data-testid="workers">
            <thead><tr>
                <th>{t!(i18n, name)}</th>
                <th>{t!(i18n, grids)}</th>
                <th class="num">{t!(i18n, enterprises)}</th>
                <th></th>
            </tr></thead>
            <tbody>
                {staff.workers.into_iter().map(|w| {
                    let id = w.id;
                    let flag = match w.flag.as_deref() {
                        Some("no_grid") => Some(t!(i18n, flag_no_grid).into_any()),
                        Some("outside_limits") => {
                            let (min, max) = (api::WORKER_LOAD.start().to_string(), api::WORKER_LOAD.end().to_string());
                            Some(t!(i18n, flag_outside_limits, min = min.clone(), max = max.clone()).into_any())
                        }
                        _ => None,
                    };
                    let active = w.active;
                    view! {
                        <tr data-login=w.login.clone() class:inactive=!active>
                            <td><b>{w.display_name.clone()}</b><br/><span class="muted">{w.login.clone()}</span>
                                {(!active).then(|| view! { " " <span class="badge retired">{t!(i18n, deactivated)}</span> })}</td>
                            <td>{w.grids.join("、")}</td>
                            <td class="num">{w.enterprise_count}{flag.map(|f| view! { <br/><span class="flag" data-testid="flag">{f}</span> })}</td>
                            <td class="actions">
                                <button type="button" class="small" data-testid="toggle-active"
                                    on:click=move |_| {
                                        leptos::task::spawn_local(async move {
                                            match set_worker_active(id, !active).await {
                                                Ok(()) => version.update(|v| *v += 1),
                                                Err(e) => failed.set(Some(super::reason(i18n, &e))),
                                            }
                                        });
                                    }>
                                    {if active { t_string!(i18n, deactivate) } else { t_string!(i18n, reactivate) }}
                                </button>
                                <button type="button" class="small" data-testid="reset-password"
                                    on:click=move |_| {
                                        leptos::task::spawn_local(async move {
                                            match reset_worker_password(id).await {
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
        <h3>{t!(i18n, new_worker)}</h3>
        <form class="new-worker" on:submit=create data-testid="new-worker">
            <label>{t!(i18n, login)}<input required bind:value=login autocomplete="off" /></label>
            <label>{t!(i18n, name)}<input required bind:value=name autocomplete="off" /></label>
            <label>{t!(i18n, password)}<input required type="password" minlength="8" bind:value=password autocomplete="new-password" /></label>
            <button type="submit" class="primary small">{t!(i18n, create_worker)}</button>
        </form>
    }
}
