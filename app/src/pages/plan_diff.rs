//! `/plans/:a/diff/:b`: two plans of the park compared — which enterprises change grid, and so
//! worker, from plan `a` to plan `b`, as a list and on the map (plan `b`'s grids; `a`'s
//! boundaries dashed under them; the enterprises that change grid ringed). Either plan can be
//! swapped for another of the park's plans.

use crate::components::TopBar;
use crate::i18n::*;
use crate::serverfns::editor::compare_plans;
use crate::serverfns::session::whoami;
use api::{PlanComparison, PlanSummary};
use leptos::html::Div;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

#[cfg(feature = "hydrate")]
use super::plan_editor::js;

#[component]
pub fn PlanDiffPage() -> impl IntoView {
    let params = use_params_map();
    let ids = Memo::new(move |_| {
        let p = params.read();
        let id = |k: &str| p.get(k).and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
        (id("a"), id("b"))
    });
    let data = Resource::new(move || ids.get(), |(a, b)| async move { (whoami().await, compare_plans(a, b).await) });
    super::signed_in_page(data, |c, user| view! { <Comparison c=c user=user /> }.into_any())
}

fn plan_label(i18n: leptos_i18n::I18nContext<Locale>, p: &PlanSummary) -> String {
    let status = crate::components::status_label(i18n, p.status);
    format!("v{} {} · {}", p.version, p.name, status)
}

#[component]
fn Comparison(c: PlanComparison, user: api::Me) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let node = NodeRef::<Div>::new();
    let (a, b) = (c.from.id, c.to.plan.id);
    let go = move |a: i64, b: i64| navigate(&format!("/plans/{a}/diff/{b}"), Default::default());
    let go2 = go.clone();
    let options = move |chosen: i64| {
        c.plans.iter().map(|p| view! { <option value=p.id.to_string() selected=p.id == chosen>{plan_label(i18n, p)}</option> }).collect_view()
    };
    let from_options = options.clone()(a);
    let to_options = options(b);
    let moves = c.diff.moves.clone();
    let moved_count = moves.len();
    let unchanged = c.diff.unchanged;

    // The map: plan b's grids as the editor draws them (read-only), a's boundaries dashed.
    #[cfg(feature = "hydrate")]
    {
        let park = serde_json::to_string(&c.to.park_boundary).unwrap_or_default();
        let from_grids = serde_json::to_string(&c.from_grids).unwrap_or_default();
        let grids = serde_json::to_string(&c.to.preview.grids).unwrap_or_default();
        let enterprises = serde_json::to_string(&c.to.enterprises).unwrap_or_default();
        let grid_of = serde_json::to_string(&c.to.preview.grid_of).unwrap_or_default();
        let moved = serde_json::to_string(&c.diff.moves.iter().map(|m| m.enterprise_id).collect::<Vec<_>>()).unwrap_or_default();
        let texts = serde_json::json!({
            "membership": t_string!(i18n, membership_follows_geometry).to_string(),
            "no_grid": t_string!(i18n, in_no_grid).to_string(),
        })
        .to_string();
        let attribution = t_string!(i18n, attribution).to_string();
        Effect::new(move |_| {
            use wasm_bindgen::JsCast;
            let Some(el) = node.get() else { return };
            let (park, from_grids, grids, enterprises, grid_of, moved, texts, attribution) =
                (park.clone(), from_grids.clone(), grids.clone(), enterprises.clone(), grid_of.clone(), moved.clone(), texts.clone(), attribution.clone());
            leptos::task::spawn_local(async move {
                if wasm_bindgen_futures::JsFuture::from(js::load_script("/js/editor.js")).await.is_err() {
                    return;
                }
                let el: &web_sys::HtmlElement = &el;
                let nothing = wasm_bindgen::closure::Closure::<dyn Fn(String)>::new(|_: String| {});
                let drawn = js::mount(el, &park, &attribution, &texts, nothing.as_ref().unchecked_ref())
                    .and_then(|_| js::set_mode(el, "view"))
                    .and_then(|_| js::ghost(el, &from_grids))
                    .and_then(|_| js::update(el, &grids, &enterprises, &grid_of, &moved, "[]"));
                if let Err(e) = drawn {
                    leptos::logging::error!("map failed: {e:?}");
                }
                nothing.forget();
            });
        });
    }

    let title = t_string!(i18n, compare_plans).to_string();
    view! {
        <TopBar title=title user=user />
        <main class="editor-page" data-testid="plan-diff">
            <div class="editor-map map" node_ref=node data-testid="diff-map"></div>
            <aside class="editor-side">
                <div class="editor-head">
                    <a href="/park" class="muted">{t!(i18n, back_to_park)}</a>
                </div>
                <label class="pick">{t!(i18n, compare_from)}
                    <select data-testid="diff-from" on:change=move |ev| {
                        if let Ok(x) = event_target_value(&ev).parse::<i64>() { go(x, b) }
                    }>{from_options}</select>
                </label>
                <label class="pick">{t!(i18n, compare_to)}
                    <select data-testid="diff-to" on:change=move |ev| {
                        if let Ok(x) = event_target_value(&ev).parse::<i64>() { go2(a, x) }
                    }>{to_options}</select>
                </label>
                <p class="hint">{t!(i18n, compare_legend)}</p>
                <section class="preview">
                    <p data-testid="diff-count"><b>{t!(i18n, moves_n, count = moved_count)}</b>" · "{t!(i18n, unchanged_n, count = unchanged)}</p>
                    {if moves.is_empty() {
                        view! { <p class="muted">{t!(i18n, no_moves)}</p> }.into_any()
                    } else {
                        view! {
                            <table class="grid-table moves-table" data-testid="diff-moves">
                                <thead><tr><th>{t!(i18n, enterprise)}</th><th>{t!(i18n, grid)}</th><th>{t!(i18n, workers)}</th></tr></thead>
                                <tbody>
                                    {moves.into_iter().map(|m| {
                                        let from = m.from.clone().unwrap_or_else(|| "—".into());
                                        let to = m.to.clone().unwrap_or_else(|| "—".into());
                                        let same = m.from_workers == m.to_workers;
                                        let who = format!("{} → {}", names(&m.from_workers), names(&m.to_workers));
                                        view! {
                                            <tr>
                                                <td>{m.name}</td>
                                                <td class="nowrap">{from}" → "{to}</td>
                                                <td class:muted=same>{who}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }}
                </section>
            </aside>
        </main>
    }
}

fn names(v: &[String]) -> String {
    if v.is_empty() { "—".into() } else { v.join("、") }
}
