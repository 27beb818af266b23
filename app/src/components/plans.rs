//! The managers' list of grid plans: compute a draft with the partitioner, look at any plan on
//! the map, activate a draft.

use crate::i18n::*;
use crate::serverfns::plans::{ActivatePlan, ComputePlan, NewEmptyPlan, plans_panel};
use api::{PlanStatus, PlanSummary};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// The plans panel's actions and list. A page creates it at its top, outside any `Suspend`
/// body (see `pages::signed_in_page` for why a resource must never be created inside one).
#[derive(Clone, Copy)]
pub struct PlansState {
    compute: ServerAction<ComputePlan>,
    activate: ServerAction<ActivatePlan>,
    empty: ServerAction<NewEmptyPlan>,
    plans: Resource<Result<Option<Vec<PlanSummary>>, ServerFnError>>,
}

impl PlansState {
    pub fn new() -> PlansState {
        let compute = ServerAction::<ComputePlan>::new();
        let activate = ServerAction::<ActivatePlan>::new();
        let empty = ServerAction::<NewEmptyPlan>::new();
        let plans = Resource::new(move || (compute.version().get(), activate.version().get()), |_| plans_panel());
        // Where each action leads: a computed draft is shown on the map, an empty one opens in
        // the editor, an activation shows the park's new active plan.
        let navigate = use_navigate();
        Effect::new(move |_| {
            if let Some(Ok(p)) = compute.value().get() {
                navigate(&format!("/park?plan={}", p.id), Default::default());
            }
        });
        let navigate = use_navigate();
        Effect::new(move |_| {
            if let Some(Ok(p)) = empty.value().get() {
                navigate(&format!("/plans/{}/edit", p.id), Default::default());
            }
        });
        let navigate = use_navigate();
        Effect::new(move |_| {
            if let Some(Ok(_)) = activate.value().get() {
                navigate("/park", Default::default());
            }
        });
        PlansState { compute, activate, empty, plans }
    }

    /// Grows by one with each activation: pages showing the active plan reload on it.
    pub fn activations(&self) -> usize {
        self.activate.version().get()
    }
}

#[component]
pub fn PlansPanel(#[prop(into)] current: Signal<Option<i64>>, state: PlansState) -> impl IntoView {
    let i18n = use_i18n();
    let PlansState { compute, activate, empty, plans } = state;
    // Enterprises per grid for the next automatic partition (clause 5.3.1: 20–40).
    let min = RwSignal::new(*api::WORKER_LOAD.start());
    let max = RwSignal::new(*api::WORKER_LOAD.end());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                // Not a manager: no panel at all.
                let Ok(Some(list)) = plans.await else { return ().into_any() };
                let active = list.iter().find(|p| p.status == PlanStatus::Active).map(|p| p.id);
                view! {
                    <section class="plans" data-testid="plans">
                        <div class="plans-head">
                            <h2>{t!(i18n, plans)}</h2>
                            <a href="/workers" class="small-link" data-testid="staff-link">{t!(i18n, staff_link)}</a>
                            <a href="/registry" class="small-link" data-testid="registry-link">{t!(i18n, registry_link)}</a>
                            <button type="button" class="primary small" data-testid="compute-plan"
                                disabled=move || compute.pending().get()
                                on:click=move |_| { compute.dispatch(ComputePlan { min: Some(min.get_untracked()), max: Some(max.get_untracked()) }); }>
                                {move || if compute.pending().get() { t_string!(i18n, computing) } else { t_string!(i18n, compute_plan) }}
                            </button>
                            <button type="button" class="small" data-testid="new-empty-plan"
                                disabled=move || empty.pending().get()
                                on:click=move |_| { empty.dispatch(NewEmptyPlan {}); }>
                                {t!(i18n, new_empty_plan)}
                            </button>
                        </div>
                        <div class="limits">
                            <label>{t!(i18n, per_grid_min)}
                                <input type="number" min="1" max="500" data-testid="limit-min" value=min.get_untracked().to_string() prop:value=move || min.get().to_string()
                                    on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse() { min.set(v) } } />
                            </label>
                            <label>{t!(i18n, per_grid_max)}
                                <input type="number" min="1" max="500" data-testid="limit-max" value=max.get_untracked().to_string() prop:value=move || max.get().to_string()
                                    on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse() { max.set(v) } } />
                            </label>
                            {move || (min.get() == 0 || min.get() > max.get()).then(|| view! { <span class="flag">{t!(i18n, bad_limits)}</span> })}
                        </div>
                        <p class="hint" data-testid="weights-note">{t!(i18n, weights_note)}</p>
                        {move || compute.value().get().and_then(|r| r.err()).map(|e| view! { <crate::components::ErrorNote code=crate::errors::code(&e).to_owned() /> })}
                        <ul class="plan-list">
                            {list.into_iter().map(|p| view! { <PlanRow plan=p current=current activate=activate active=active /> }).collect_view()}
                        </ul>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn PlanRow(plan: PlanSummary, current: Signal<Option<i64>>, activate: ServerAction<ActivatePlan>, active: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let id = plan.id;
    let status = plan.status;
    let shown = move || current.get() == Some(id) || (current.get().is_none() && status == PlanStatus::Active);
    let badge = move || super::status_label(i18n, status);
    let figures = plan.figures.clone().map(|f| {
        format!(
            "{}–{} {} · {} {:.1}% · {} {:.2} · {} {}",
            f.min_count,
            f.max_count,
            t_string!(i18n, per_grid),
            t_string!(i18n, workload_cv),
            f.workload_cv * 100.0,
            t_string!(i18n, compactness),
            f.compactness_mean,
            t_string!(i18n, pieces),
            f.pieces
        )
    });
    let href = if status == PlanStatus::Active { "/park".to_owned() } else { format!("/park?plan={id}") };
    view! {
        <li class="plan" class:shown=shown data-testid=format!("plan-v{}", plan.version)>
            <a href=href class="plan-title">
                <b>"v"{plan.version}</b>" "{plan.name}" · "{plan.grid_count}" "{t!(i18n, grid_count)}
            </a>
            <span class=format!("badge {}", status.as_str())>{badge}</span>
            <a href=format!("/plans/{id}/edit") class="small-link" data-testid="open-editor">{t!(i18n, open_editor)}</a>
            {active.filter(|&a| a != id).map(|a| view! {
                <a href=format!("/plans/{a}/diff/{id}") class="small-link" data-testid="compare-with-active">{t!(i18n, compare_with_active)}</a>
            })}
            {figures.map(|f| view! { <div class="figures">{f}</div> })}
            {(status == PlanStatus::Draft).then(|| view! {
                <button type="button" class="small" data-testid="activate-plan"
                    disabled=move || activate.pending().get()
                    on:click=move |_| { activate.dispatch(ActivatePlan { id }); }>
                    {t!(i18n, activate)}
                </button>
            })}
        </li>
    }
}
