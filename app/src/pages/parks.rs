//! `/parks`: the user's parks side by side — enterprises, grids, workers and the flags of
//! 5.3.1 — each a link that switches to it; for the administrator, a park added from its
//! boundary (its enterprises then come with the registry's import).

use crate::components::TopBar;
use crate::i18n::*;
use crate::serverfns::parks::parks_overview;
use crate::serverfns::session::{choose_park, whoami};
use api::ParkOverview;
use leptos::html::Input;
use leptos::prelude::*;

#[component]
pub fn ParksPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| async move { (whoami().await, parks_overview().await) });
    super::signed_in_page(data, move |parks: Vec<ParkOverview>, user| {
        let admin = user.role == api::Role::Admin;
        let current = user.park.clone().unwrap_or_default();
        view! {
            <TopBar title=t_string!(i18n, parks_overview).to_string() user=user />
            <main class="map-page parks-page" data-testid="parks">
                <table class="grid-table" data-testid="park-table">
                    <thead><tr>
                        <th>{t!(i18n, park)}</th>
                        <th class="num">{t!(i18n, enterprises)}</th>
                        <th class="num">{t!(i18n, grids)}</th>
                        <th class="num">{t!(i18n, workers)}</th>
                        <th>{t!(i18n, flags_531)}</th>
                    </tr></thead>
                    <tbody>
                        {parks.into_iter().map(|p| {
                            let code = p.code.clone();
                            let shown = p.code == current;
                            let (flagged, nobody) = (p.workers_flagged, p.grids_without_worker);
                            let any_flag = flagged + nobody > 0;
                            view! {
                                <tr data-code=p.code.clone() class:shown=shown>
                                    <td>
                                        <button type="button" class="link" data-testid="open-park" on:click=move |_| {
                                            let code = code.clone();
                                            leptos::task::spawn_local(async move {
                                                if choose_park(code).await.is_ok() {
                                                    let _ = window().location().set_href("/park");
                                                }
                                            });
                                        }><b>{p.code.clone()}</b>" "{p.name.clone()}</button>
                                        {p.plan_version.map(|v| view! { <br/><span class="muted">{format!("v{v}")}</span> })}
                                    </td>
                                    <td class="num">{p.enterprises}</td>
                                    <td class="num">{p.grids}</td>
                                    <td class="num">{p.workers}</td>
                                    <td class:flag=any_flag>{t!(i18n, workers_flagged, count = flagged, min = api::WORKER_LOAD.start().to_string(), max = api::WORKER_LOAD.end().to_string())}" · "{t!(i18n, grids_without_worker, count = nobody)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                {admin.then(|| view! { <NewPark /> })}
            </main>
        }
        .into_any()
    })
}

/// A park from its code, name and boundary file (GeoJSON); then the registry, to import its
/// enterprises.
#[component]
fn NewPark() -> impl IntoView {
    let i18n = use_i18n();
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let file = NodeRef::<Input>::new();
    let failed = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if let Some(input) = file.get_untracked() {
            let (c, n) = (code.get_untracked(), name.get_untracked());
            busy.set(true);
            leptos::task::spawn_local(async move {
                let text = crate::components::files::text(&input).await.unwrap_or_default();
                match crate::serverfns::parks::add_park(c, n, text).await {
                    Ok(()) => {
                        let _ = window().location().set_href("/registry");
                    }
                    Err(e) => failed.set(Some(super::reason(i18n, &e))),
                }
                busy.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (file, code, name, busy);
    };
    view! {
        <h2>{t!(i18n, new_park)}</h2>
        <p class="hint">{t!(i18n, new_park_hint)}</p>
        <form class="new-worker" on:submit=submit data-testid="new-park">
            <label>{t!(i18n, code)}<input required bind:value=code autocomplete="off" data-testid="park-code" /></label>
            <label>{t!(i18n, name)}<input required bind:value=name autocomplete="off" data-testid="park-name" /></label>
            <label>{t!(i18n, park_boundary_file)}<input required type="file" accept=".geojson,.json" node_ref=file data-testid="park-boundary" /></label>
            <button type="submit" class="primary small" disabled=move || busy.get() data-testid="add-park">{t!(i18n, add_park)}</button>
        </form>
        {move || failed.get().map(|m| view! { <p class="error" role="alert" data-testid="park-error">{m}</p> })}
    }
}
