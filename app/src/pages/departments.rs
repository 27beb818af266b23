//! `/departments`: the functional departments (职能部门, 6.4) the administrator keeps: add,
//! rename, deactivate (refused, with the reason, while one still holds open work).

use crate::components::TopBar;
use crate::i18n::*;
use crate::serverfns::departments::{create_department, list_departments, rename_department, set_department_active};
use crate::serverfns::session::whoami;
use api::Department;
use leptos::prelude::*;

#[component]
pub fn DepartmentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let data = Resource::new(move || version.get(), |_| async move { (whoami().await, list_departments().await) });
    let failed = RwSignal::new(None::<String>);
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    super::signed_in_page(data, move |departments: Vec<Department>, user| {
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
