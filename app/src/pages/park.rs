use crate::components::{ParkMap, PlansPanel, PlansState, TopBar};
use crate::i18n::*;
use crate::serverfns::maps::park_view;
use crate::serverfns::session::whoami;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/park`: every grid of the active plan (or of `?plan=ID`) on the map, with counts and
/// workers; managers also see the plans. The map fetches its own data ([`ParkMap`]).
#[component]
pub fn ParkPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let plan = Memo::new(move |_| query.read().get("plan").and_then(|s| s.parse::<i64>().ok()));
    // Every resource of the page is made here, before the page's `Suspend` (see
    // `signed_in_page`); an activation reloads the map.
    let plans = PlansState::new();
    let data = Resource::new(move || (plan.get(), plans.activations()), |(p, _)| async move { (whoami().await, park_view(p).await) });
    super::signed_in_page(data, move |park, user| {
        let Some(view) = park else {
            return view! {
                <TopBar title=t_string!(i18n, park_map).to_string() user=user />
                <main class="centered"><p>{t!(i18n, no_park)}</p></main>
            }
            .into_any();
        };
        let title = format!("{} · {}", view.park_name, t_string!(i18n, park_map));
        let version = view.plan_version.map(|v| v.to_string()).unwrap_or_default();
        let (grid_count, enterprise_count) = (view.grids.len(), view.enterprise_count);
        let map = view.park_map_url();
        let grids = view.grids;
        view! {
            <TopBar title=title user=user />
            <main class="map-page">
                <section class="summary" data-testid="summary">
                    <span><b data-testid="grid-count">{grid_count}</b>" "{t!(i18n, grid_count)}</span>
                    <span><b data-testid="enterprise-count">{enterprise_count}</b>" "{t!(i18n, enterprise_count)}</span>
                    <span class="muted">{t!(i18n, plan_version)}{version}</span>
                </section>
                <ParkMap src=map />
                <PlansPanel current=plan state=plans />
                <h2>{t!(i18n, grids)}</h2>
                <table class="grid-table" data-testid="grid-table">
                    <thead><tr>
                        <th>{t!(i18n, grid)}</th>
                        <th class="num">{t!(i18n, enterprises)}</th>
                        <th>{t!(i18n, workers)}</th>
                    </tr></thead>
                    <tbody>
                        {grids.into_iter().map(|g| {
                            let workers = if g.workers.is_empty() { t_string!(i18n, unassigned).to_string() } else { g.workers.join("、") };
                            view! {
                                <tr>
                                    <td class="code">{g.code}</td>
                                    <td class="num">{g.enterprise_count}</td>
                                    <td>{workers}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </main>
        }
        .into_any()
    })
}
