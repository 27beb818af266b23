//! `/publish`: what the service center publishes on the park's public page (issue 15; 4.5,
//! 5.5.1) — the service list (服务清单), policies and news with their files, which workers'
//! names and work phones are shown, the hotline and whether the quarterly figures per
//! department are; with a link to the public page itself.

use super::case_labels::{category_label, local_time, mode_label};
use crate::components::TopBar;
use crate::i18n::*;
use crate::serverfns::publish::{
    add_service_item, attach_to_notice, delete_service_item, load_publish, move_service_item, publish_notice, set_park_public, set_worker_publish,
    update_service_item, withdraw_notice,
};
use crate::serverfns::session::whoami;
use api::public::{DemandCategory, Mode, NoticeDraft, NoticeKind, NoticeRow, ParkPublic, PublishOverview, ServiceItem, ServiceItemDraft, WorkerPublish};
use leptos::prelude::*;

/// The page's signals for what happened: a note, a failure, and the data's version.
#[derive(Clone, Copy)]
struct Status {
    version: RwSignal<u32>,
    notice: RwSignal<Option<String>>,
    failed: RwSignal<Option<String>>,
}

impl Status {
    /// Reports a server function's answer: the note and a reload, or the reason.
    fn done<T>(self, i18n: leptos_i18n::I18nContext<Locale>, r: Result<T, ServerFnError>, note: String) -> bool {
        match r {
            Ok(_) => {
                self.failed.set(None);
                self.notice.set(Some(note).filter(|n| !n.is_empty()));
                self.version.update(|v| *v += 1);
                true
            }
            Err(e) => {
                self.notice.set(None);
                self.failed.set(Some(super::reason(i18n, &e)));
                false
            }
        }
    }
}

#[component]
pub fn PublishPage() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let data = Resource::new(move || version.get(), |_| async move { (whoami().await, load_publish().await) });
    let status = Status { version, notice: RwSignal::new(None), failed: RwSignal::new(None) };
    super::signed_in_page(data, move |o: PublishOverview, user| {
        let public = format!("/public/{}", o.park.code);
        view! {
            <TopBar title=t_string!(i18n, pub_page_title).to_string() user=user />
            <main class="publish-page" data-testid="publish">
                <p><a href=public rel="external" target="_blank" data-testid="public-link">{t!(i18n, pub_open_public)}</a></p>
                {move || status.notice.get().map(|n| view! { <p class="notice" role="status" data-testid="notice">{n}</p> })}
                {move || status.failed.get().map(|m| view! { <p class="error" role="alert" data-testid="publish-error">{m}</p> })}
                <Services items=o.services departments=o.departments status=status />
                <Notices notices=o.notices status=status />
                <Workers workers=o.workers status=status />
                <ParkSettings park=o.park status=status />
            </main>
        }
        .into_any()
    })
}

/// The service list: a table, and a form that adds a line or changes the one being edited.
#[component]
fn Services(items: Vec<ServiceItem>, departments: Vec<(i64, String)>, status: Status) -> impl IntoView {
    let i18n = use_i18n();
    let editing = RwSignal::new(None::<i64>);
    let name = RwSignal::new(String::new());
    let category = RwSignal::new(DemandCategory::Policy.as_str().to_owned());
    let mode = RwSignal::new(Mode::Promised.as_str().to_owned());
    let limit = RwSignal::new(String::new());
    let department = RwSignal::new(String::new());
    let clear = move || {
        editing.set(None);
        name.set(String::new());
        limit.set(String::new());
        department.set(String::new());
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = ServiceItemDraft {
            name: name.get_untracked(),
            category: DemandCategory::parse(&category.get_untracked()).unwrap_or(DemandCategory::Other),
            mode: Mode::parse(&mode.get_untracked()).unwrap_or(Mode::Promised),
            // Not a number (or 0): refused by the server as a limit of 0 days.
            limit_days: Some(limit.get_untracked()).filter(|l| !l.trim().is_empty()).map(|l| l.trim().parse().unwrap_or(0)),
            department_id: department.get_untracked().parse().ok(),
        };
        let json = serde_json::to_string(&draft).unwrap_or_default();
        let id = editing.get_untracked();
        leptos::task::spawn_local(async move {
            let r = match id {
                Some(id) => update_service_item(id, json).await,
                None => add_service_item(json).await.map(|_| ()),
            };
            if status.done(i18n, r, t_string!(i18n, pub_saved).to_string()) {
                clear();
            }
        });
    };
    let modes = [Mode::Immediate, Mode::Promised, Mode::Escalated, Mode::Proxy];
    let last = items.len().saturating_sub(1);
    view! {
        <section class="publish-section" id="services">
            <h2>{t!(i18n, pub_services)}</h2>
            <div class="table-scroll">
            <table class="grid-table" data-testid="service-items">
                <thead><tr>
                    <th>{t!(i18n, pub_service)}</th><th>{t!(i18n, pub_category)}</th><th>{t!(i18n, pub_mode)}</th>
                    <th>{t!(i18n, pub_limit)}</th><th>{t!(i18n, pub_department)}</th><th></th>
                </tr></thead>
                <tbody>
                    {items.into_iter().enumerate().map(|(i, s)| {
                        let id = s.id;
                        let edit = s.clone();
                        view! {
                            <tr data-id=id.to_string()>
                                <td>{s.name.clone()}</td>
                                <td>{category_label(i18n, s.category.as_str())}</td>
                                <td>{mode_label(i18n, s.mode)}</td>
                                <td>{s.limit_days.map(|d| format!("{d}{}", t_string!(i18n, pub_days))).unwrap_or_else(|| "—".to_owned())}</td>
                                <td>{s.department.clone().unwrap_or_else(|| t_string!(i18n, pub_center).to_string())}</td>
                                <td class="actions">
                                    <button type="button" class="small" on:click=move |_| {
                                        editing.set(Some(edit.id));
                                        name.set(edit.name.clone());
                                        category.set(edit.category.as_str().to_owned());
                                        mode.set(edit.mode.as_str().to_owned());
                                        limit.set(edit.limit_days.map(|d| d.to_string()).unwrap_or_default());
                                        department.set(edit.department_id.map(|d| d.to_string()).unwrap_or_default());
                                    }>{t!(i18n, pub_edit)}</button>
                                    <button type="button" class="small" disabled=i == 0 title=t_string!(i18n, pub_up).to_string() on:click=move |_| {
                                        leptos::task::spawn_local(async move { status.done(i18n, move_service_item(id, true).await, String::new()); });
                                    }>"↑"</button>
                                    <button type="button" class="small" disabled=i == last title=t_string!(i18n, pub_down).to_string() on:click=move |_| {
                                        leptos::task::spawn_local(async move { status.done(i18n, move_service_item(id, false).await, String::new()); });
                                    }>"↓"</button>
                                    <button type="button" class="small" data-testid="delete-service" on:click=move |_| {
                                        leptos::task::spawn_local(async move {
                                            status.done(i18n, delete_service_item(id).await, t_string!(i18n, pub_saved).to_string());
                                        });
                                    }>{t!(i18n, pub_delete)}</button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
            <h3>{move || if editing.get().is_some() { t_string!(i18n, pub_edit) } else { t_string!(i18n, pub_add_service) }}</h3>
            <form class="publish-form" on:submit=save data-testid="service-form">
                <label>{t!(i18n, pub_service_name)}<input required maxlength="200" bind:value=name /></label>
                <label>{t!(i18n, pub_category)}
                    <select prop:value=move || category.get() on:change=move |ev| category.set(event_target_value(&ev))>
                        {DemandCategory::ALL.iter().map(|c| view! {
                            <option value=c.as_str() selected=move || category.get() == c.as_str()>{category_label(i18n, c.as_str())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>{t!(i18n, pub_mode)}
                    <select prop:value=move || mode.get() on:change=move |ev| mode.set(event_target_value(&ev))>
                        {modes.into_iter().map(|m| view! {
                            <option value=m.as_str() selected=move || mode.get() == m.as_str()>{mode_label(i18n, m)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>{t!(i18n, pub_limit_days)}<input inputmode="numeric" bind:value=limit /></label>
                <label>{t!(i18n, pub_department)}
                    <select prop:value=move || department.get() on:change=move |ev| department.set(event_target_value(&ev))>
                        <option value="">{t!(i18n, pub_center)}</option>
                        {departments.into_iter().map(|(id, n)| {
                            let v = id.to_string();
                            let sel = v.clone();
                            view! { <option value=v selected=move || department.get() == sel>{n}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <div class="buttons">
                    <button type="submit" class="primary small">{t!(i18n, pub_save)}</button>
                    {move || editing.get().is_some().then(|| view! {
                        <button type="button" class="small" on:click=move |_| clear()>{t!(i18n, pub_cancel)}</button>
                    })}
                </div>
            </form>
        </section>
    }
}

fn kind_label(i18n: leptos_i18n::I18nContext<Locale>, k: NoticeKind) -> String {
    match k {
        NoticeKind::Policy => t_string!(i18n, pub_policy).to_string(),
        NoticeKind::News => t_string!(i18n, pub_news).to_string(),
    }
}

/// The file chosen in `input` as (name, type, base64), or `None` when none is chosen. The
/// bytes are read in the browser only.
#[allow(unused_variables)]
async fn chosen_file(input: NodeRef<leptos::html::Input>) -> Option<(String, String, String)> {
    #[cfg(feature = "hydrate")]
    {
        let el = input.get_untracked()?;
        let file = el.files().and_then(|f| f.get(0))?;
        let b64 = crate::components::files::base64(&el).await?;
        return Some((file.name(), file.type_(), b64));
    }
    #[allow(unreachable_code)]
    None
}

/// Policies and news: the list (withdraw, add a file), and a form to publish one.
#[component]
fn Notices(notices: Vec<NoticeRow>, status: Status) -> impl IntoView {
    let i18n = use_i18n();
    let title = RwSignal::new(String::new());
    let kind = RwSignal::new(NoticeKind::Policy.as_str().to_owned());
    let body = RwSignal::new(String::new());
    let file = NodeRef::<leptos::html::Input>::new();
    let busy = RwSignal::new(false);
    let publish = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = NoticeDraft {
            kind: NoticeKind::parse(&kind.get_untracked()).unwrap_or(NoticeKind::News),
            title: title.get_untracked(),
            body: body.get_untracked(),
        };
        let json = serde_json::to_string(&draft).unwrap_or_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let (name, content_type, b64) = chosen_file(file).await.unwrap_or_default();
            let r = publish_notice(json, name, content_type, b64).await;
            if status.done(i18n, r, t_string!(i18n, pub_published).to_string()) {
                title.set(String::new());
                body.set(String::new());
            }
            busy.set(false);
        });
    };
    view! {
        <section class="publish-section" id="notices">
            <h2>{t!(i18n, pub_notices)}</h2>
            <ul class="publish-notices" data-testid="notices">
                {notices.into_iter().map(|n| view! { <NoticeLine n=n status=status /> }).collect_view()}
            </ul>
            <h3>{t!(i18n, pub_new_notice)}</h3>
            <form class="publish-form" on:submit=publish data-testid="notice-form">
                <label>{t!(i18n, pub_notice_title)}<input required maxlength="200" bind:value=title /></label>
                <label>{t!(i18n, pub_notice_kind)}
                    <select prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                        {NoticeKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{kind_label(i18n, k)}</option> }).collect_view()}
                    </select>
                </label>
                <label class="wide">{t!(i18n, pub_notice_body)}<textarea required rows="6" bind:value=body></textarea></label>
                <label class="wide">{t!(i18n, pub_notice_file)}
                    <input type="file" accept="application/pdf,image/jpeg,image/png,image/webp" node_ref=file />
                </label>
                <div class="buttons"><button type="submit" class="primary small" disabled=move || busy.get()>{t!(i18n, pub_publish)}</button></div>
            </form>
        </section>
    }
}

/// One notice in the managers' list.
#[component]
fn NoticeLine(n: NoticeRow, status: Status) -> impl IntoView {
    let i18n = use_i18n();
    let id = n.id;
    let file = NodeRef::<leptos::html::Input>::new();
    let withdrawn = n.withdrawn_at.is_some();
    let add_file = move |_| {
        leptos::task::spawn_local(async move {
            match chosen_file(file).await {
                Some((name, content_type, b64)) => {
                    status.done(i18n, attach_to_notice(id, name, content_type, b64).await, t_string!(i18n, pub_saved).to_string());
                }
                None => status.failed.set(Some(t_string!(i18n, attachment_choose).to_string())),
            }
        });
    };
    view! {
        <li class:withdrawn=withdrawn data-id=id.to_string()>
            <div>
                <span class="badge">{kind_label(i18n, n.kind)}</span>" "<b>{n.title.clone()}</b>" "
                <span class="muted">{local_time(&n.published_at)}</span>
                {withdrawn.then(|| view! { " " <span class="badge retired">{t!(i18n, pub_withdrawn)}</span> })}
            </div>
            <ul class="files">
                {n.attachments.iter().map(|a| view! { <li>{a.name.clone()}" "<span class="muted">{format!("{} KB", a.size.div_ceil(1024))}</span></li> }).collect_view()}
            </ul>
            {(!withdrawn).then(|| view! {
                <div class="attach">
                    <input type="file" accept="application/pdf,image/jpeg,image/png,image/webp" node_ref=file />
                    <button type="button" class="small" on:click=add_file>{t!(i18n, pub_add_file)}</button>
                    <button type="button" class="small danger" data-testid="withdraw" on:click=move |_| {
                        leptos::task::spawn_local(async move {
                            status.done(i18n, withdraw_notice(id).await, t_string!(i18n, pub_saved).to_string());
                        });
                    }>{t!(i18n, pub_withdraw)}</button>
                </div>
            })}
        </li>
    }
}

/// Each worker of the park: name published or not, a public work phone or none.
#[component]
fn Workers(workers: Vec<WorkerPublish>, status: Status) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="publish-section" id="workers">
            <h2>{t!(i18n, pub_workers)}</h2>
            <p class="muted">{t!(i18n, pub_workers_hint)}</p>
            <div class="table-scroll">
            <table class="grid-table" data-testid="worker-publish">
                <thead><tr>
                    <th>{t!(i18n, pub_worker)}</th><th>{t!(i18n, pub_grid)}</th><th>{t!(i18n, pub_publish_name)}</th><th>{t!(i18n, pub_public_phone)}</th><th></th>
                </tr></thead>
                <tbody>
                    {workers.into_iter().map(|w| {
                        let id = w.user_id;
                        let named = RwSignal::new(w.publish_name);
                        let phone = RwSignal::new(w.public_phone.clone().unwrap_or_default());
                        view! {
                            <tr data-id=id.to_string()>
                                <td>{w.display_name.clone()}</td>
                                <td>{w.grids.join("、")}</td>
                                <td><input type="checkbox" bind:checked=named /></td>
                                <td><input type="tel" maxlength="20" bind:value=phone /></td>
                                <td><button type="button" class="small" on:click=move |_| {
                                    let (n, p) = (named.get_untracked(), phone.get_untracked());
                                    leptos::task::spawn_local(async move {
                                        status.done(i18n, set_worker_publish(id, n, p).await, t_string!(i18n, pub_saved).to_string());
                                    });
                                }>{t!(i18n, pub_save)}</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </section>
    }
}

/// The park's hotline and whether its quarterly figures are published.
#[component]
fn ParkSettings(park: ParkPublic, status: Status) -> impl IntoView {
    let i18n = use_i18n();
    let hotline = RwSignal::new(park.hotline.clone().unwrap_or_default());
    let figures = RwSignal::new(park.publish_figures);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (h, f) = (hotline.get_untracked(), figures.get_untracked());
        leptos::task::spawn_local(async move {
            status.done(i18n, set_park_public(h, f).await, t_string!(i18n, pub_saved).to_string());
        });
    };
    view! {
        <section class="publish-section" id="park">
            <h2>{t!(i18n, pub_park)}" "<span class="muted">{format!("{} {}", park.code, park.name)}</span></h2>
            <form class="publish-form" on:submit=save data-testid="park-form">
                <label>{t!(i18n, pub_hotline)}<input type="tel" maxlength="20" bind:value=hotline /></label>
                <label class="check"><input type="checkbox" bind:checked=figures />{t!(i18n, pub_publish_figures)}</label>
                <div class="buttons"><button type="submit" class="primary small">{t!(i18n, pub_save)}</button></div>
            </form>
        </section>
    }
}
