//! `/departments`: the functional departments (职能部门, 6.4) the administrator keeps: add,
//! rename, deactivate (refused, with the reason, while one still holds open work).

use crate::components::TopBar;
use crate::i18n::*;
use crate::serverfns::cases::calendar_years;
use crate::serverfns::departments::{create_department, list_departments, rename_department, set_department_active};
use crate::serverfns::session::whoami;
use api::Department;
use api::cases::CalendarYear;
use leptos::prelude::*;

#[component]
pub fn DepartmentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let data = Resource::new(
        move || version.get(),
        |_| async move {
            let both = match (list_departments().await, calendar_years().await) {
                (Ok(d), Ok(c)) => Ok((d, c)),
                (Err(e), _) | (_, Err(e)) => Err(e),
            };
            (whoami().await, both)
        },
    );
    let failed = RwSignal::new(None::<String>);
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    super::signed_in_page(data, move |(departments, years): (Vec<Department>, Vec<CalendarYear>), user| {
        let admin = user.role == api::Role::Admin;
        let add = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let (c, n) = (code.get_untracked(), name.get_untracked());
            leptos::task::spawn_local(async move {
                match create_department(c, n).await {
                    Ok(()) => {
                        failed.set(None);
                        code.set(String::new());
                        name.set(String::new());
                        version.update(|v| *v += 1);
                    }
                    Err(e) => failed.set(Some(super::reason(i18n, &e))),
                }
            });
        };
        view! {
            <TopBar title=t_string!(i18n, departments_title).to_string() user=user />
            <main class="map-page departments-page" data-testid="departments">
                {move || failed.get().map(|m| view! { <p class="error" role="alert" data-testid="departments-error">{m}</p> })}
                <table class="grid-table" data-testid="department-table">
                    <thead><tr>
                        <th>{t!(i18n, department)}</th>
                        <th class="num">{t!(i18n, officers)}</th>
                        <th></th>
                    </tr></thead>
                    <tbody>
                        {departments.into_iter().map(|d| {
                            let id = d.id;
                            let active = d.active;
                            let new_name = RwSignal::new(d.name.clone());
                            view! {
                                <tr data-code=d.code.clone() class:inactive=!active>
                                    <td>
                                        {if admin {
                                            view! {
                                                <input class="inline" bind:value=new_name data-testid="department-name"
                                                    on:change=move |_| {
                                                        let n = new_name.get_untracked();
                                                        leptos::task::spawn_local(async move {
                                                            match rename_department(id, n).await {
                                                                Ok(()) => version.update(|v| *v += 1),
                                                                Err(e) => failed.set(Some(super::reason(i18n, &e))),
                                                            }
                                                        });
                                                    } />
                                            }.into_any()
                                        } else {
                                            view! { <b>{d.name.clone()}</b> }.into_any()
                                        }}
                                        <br/><span class="muted">{d.code.clone()}</span>
                                        {(!active).then(|| view! { " " <span class="badge retired">{t!(i18n, deactivated)}</span> })}
                                    </td>
                                    <td class="num">{d.officers}</td>
                                    <td class="actions">
                                        {admin.then(|| view! {
                                            <button type="button" class="small" data-testid="toggle-department" on:click=move |_| {
                                                leptos::task::spawn_local(async move {
                                                    match set_department_active(id, !active).await {
                                                        Ok(()) => { failed.set(None); version.update(|v| *v += 1) }
                                                        Err(e) => failed.set(Some(super::reason(i18n, &e))),
                                                    }
                                                });
                                            }>{if active { t_string!(i18n, deactivate) } else { t_string!(i18n, reactivate) }}</button>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <Calendar years=years admin=admin version=version />
                {admin.then(|| view! {
                    <h2>{t!(i18n, new_department)}</h2>
                    <form class="new-worker" on:submit=add data-testid="new-department">
                        <label>{t!(i18n, code)}<input required bind:value=code autocomplete="off" data-testid="department-code" /></label>
                        <label>{t!(i18n, name)}<input required bind:value=name autocomplete="off" data-testid="new-department-name" /></label>
                        <button type="submit" class="primary small">{t!(i18n, add)}</button>
                    </form>
                })}
            </main>
        }
        .into_any()
    })
}

/// The official working-day calendar the deadlines count on: the years held, and for the
/// administrator the upload of a new year's notice.
#[component]
fn Calendar(years: Vec<CalendarYear>, admin: bool, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let failed = RwSignal::new(None::<String>);
    let upload = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            leptos::task::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string()).unwrap_or_default();
                match crate::serverfns::cases::load_calendar(text).await {
                    Ok(_) => {
                        failed.set(None);
                        version.update(|v| *v += 1);
                    }
                    Err(e) => failed.set(Some(super::reason(i18n, &e))),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, version);
    };
    view! {
        <section class="calendar" data-testid="calendar">
            <h2>{t!(i18n, calendar_title)}</h2>
            <p class="muted">{t!(i18n, calendar_hint)}</p>
            {move || failed.get().map(|m| view! { <p class="error" role="alert" data-testid="calendar-error">{m}</p> })}
            <table class="grid-table">
                <thead><tr><th></th><th class="num">{t!(i18n, calendar_holidays)}</th><th class="num">{t!(i18n, calendar_workdays)}</th></tr></thead>
                <tbody>
                    {years.into_iter().map(|y| view! {
                        <tr data-year=y.year title=y.source.clone()>
                            <td>{y.year}</td><td class="num">{y.holidays}</td><td class="num">{y.workdays}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {admin.then(|| view! {
                <label class="upload">{t!(i18n, calendar_load)}
                    <input type="file" accept=".json,application/json" on:change=upload data-testid="calendar-file" />
                </label>
            })}
        </section>
    }
}
