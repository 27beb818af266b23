use crate::components::{GridMap, TopBar};
use crate::i18n::*;
use crate::serverfns::maps::my_grid;
use crate::serverfns::session::whoami;
use leptos::prelude::*;

/// `/my-grid`: the worker's grid on the map and its enterprises as a list.
#[component]
pub fn MyGridPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| async { (whoami().await, my_grid().await) });
    super::signed_in_page(data, move |grid, user| {
        let Some(view) = grid else {
            return view! {
                <TopBar title=t_string!(i18n, my_grid).to_string() user=user />
                <main class="centered"><p>{t!(i18n, no_grid)}</p></main>
            }
            .into_any();
        };
        let codes = view.grids.iter().map(|g| g.code.clone()).collect::<Vec<_>>().join(" · ");
        let count = view.enterprises.len();
        let rows = view.enterprises.clone();
        view! {
            <TopBar title=t_string!(i18n, my_grid).to_string() user=user />
            <main class="map-page">
                <section class="summary" data-testid="summary">
                    <strong class="grid-code">{codes}</strong>
                    <span><b data-testid="enterprise-count">{count}</b>" "{t!(i18n, enterprise_count)}</span>
                </section>
                <a class="field-entry" href="/field" rel="external" data-testid="field-entry">{t!(i18n, open_field_app)}</a>
                <GridMap view=view attribution=t_string!(i18n, attribution).to_string() />
                <h2>{t!(i18n, enterprises)}</h2>
                <ul class="enterprise-list" data-testid="enterprise-list">
                    {rows.into_iter().map(|e| view! {
                        <li>
                            <span class="name">{e.name}</span>
                            <span class="meta">{e.address.unwrap_or_default()}</span>
                        </li>
                    }).collect_view()}
                </ul>
            </main>
        }
        .into_any()
    })
}
