//! `/plans/:id/edit`: the managers' plan editor (laptop or tablet). The map
//! (`public/js/editor.js`) reports what the manager does; this page sends each edit to the
//! server (`edit_plan`: applied by `partition::edit`, which keeps the exact cover or refuses),
//! shows its consequences (enterprises that change grid, new counts, the validator's
//! problems), keeps the undo/redo history of the session, and saves the draft.

use crate::components::TopBar;
use crate::i18n::*;
use crate::serverfns::editor::{copy_plan, edit_plan, load_plan_editor, save_plan};
use crate::serverfns::plans::activate_plan;
use crate::serverfns::session::whoami;
use api::{EditRefusal, PlanEditor, PlanPreview, PlanStatus};
use leptos::html::Div;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

/// `public/js/editor.js` (also used read-only by the plan comparison page).
#[cfg(feature = "hydrate")]
pub(super) mod js {
    use wasm_bindgen::prelude::*;
    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = parkgridMap, js_name = loadScript)]
        pub fn load_script(src: &str) -> js_sys::Promise;
        #[wasm_bindgen(catch, js_namespace = parkgridEditor, js_name = mount)]
        pub fn mount(el: &web_sys::HtmlElement, park: &str, attribution: &str, texts: &str, on_event: &js_sys::Function) -> Result<(), JsValue>;
        #[wasm_bindgen(catch, js_namespace = parkgridEditor, js_name = update)]
        pub fn update(el: &web_sys::HtmlElement, grids: &str, enterprises: &str, grid_of: &str, moved: &str, flagged: &str) -> Result<(), JsValue>;
        #[wasm_bindgen(catch, js_namespace = parkgridEditor, js_name = setMode)]
        pub fn set_mode(el: &web_sys::HtmlElement, mode: &str) -> Result<(), JsValue>;
        #[wasm_bindgen(catch, js_namespace = parkgridEditor, js_name = select)]
        pub fn select(el: &web_sys::HtmlElement, code: &str) -> Result<(), JsValue>;
        #[wasm_bindgen(catch, js_namespace = parkgridEditor, js_name = finishSplit)]
        pub fn finish_split(el: &web_sys::HtmlElement) -> Result<bool, JsValue>;
        #[wasm_bindgen(catch, js_namespace = parkgridEditor, js_name = ghost)]
        pub fn ghost(el: &web_sys::HtmlElement, grids: &str) -> Result<(), JsValue>;
    }
}

#[component]
pub fn PlanEditorPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0));
    let data = Resource::new(move || id.get(), |id| async move { (whoami().await, load_plan_editor(id).await) });
    super::signed_in_page(data, |editor, user| view! { <Editor editor=editor user=user /> }.into_any())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Corner,
    Redraw,
    Split,
    Merge,
    Rebalance,
    Draw,
}

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
impl Mode {
    fn as_str(self) -> &'static str {
        match self {
            Mode::Corner => "corner",
            Mode::Redraw => "redraw",
            Mode::Split => "split",
            Mode::Merge => "merge",
            Mode::Rebalance => "rebalance",
            Mode::Draw => "draw",
        }
    }
}

fn grids_json(p: &PlanPreview) -> String {
    serde_json::to_string(&p.grids).unwrap_or_else(|_| "[]".into())
}

#[component]
fn Editor(editor: PlanEditor, user: api::Me) -> impl IntoView {
    let i18n = use_i18n();
    let plan = editor.plan.clone();
    let plan_id = plan.id;
    let editable = plan.status == PlanStatus::Draft;
    let title = format!("{} · v{} {}", editor.park_name, plan.version, plan.name);
    let history = RwSignal::new(vec![editor.preview.clone()]);
    let at = RwSignal::new(0usize);
    let saved_at = RwSignal::new(Some(0usize));
    let busy = RwSignal::new(false);
    let refused = RwSignal::new(None::<EditRefusal>);
    let failed = RwSignal::new(None::<String>);
    // A draft that starts empty is filled by drawing grids.
    let mode = RwSignal::new(if editable && editor.preview.grids.is_empty() { Mode::Draw } else { Mode::Corner });
    let chosen = RwSignal::new(Vec::<String>::new());
    let selected = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let current = Memo::new(move |_| history.with(|h| h.get(at.get()).cloned().unwrap_or_else(|| h[0].clone())));
    let dirty = move || saved_at.get() != Some(at.get());
    let node = NodeRef::<Div>::new();
    let preview_box = NodeRef::<leptos::html::Section>::new();
    let enterprises_json = StoredValue::new(serde_json::to_string(&editor.enterprises).unwrap_or_else(|_| "[]".into()));
    let park_json = StoredValue::new(editor.park_boundary.to_string());
    // `mounting`: the editor script is being loaded; `mounted`: the map exists.
    let mounting = StoredValue::new(false);
    let mounted = RwSignal::new(false);

    // Sends one edit (JSON `api::EditOp`) with the current grids; on success it becomes the
    // newest step of the history, on refusal the map is redrawn as it was.
    let send = move |op: String| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        refused.set(None);
        failed.set(None);
        let grids = grids_json(&current.get_untracked());
        leptos::task::spawn_local(async move {
            match edit_plan(plan_id, grids, op).await {
                Ok(p) if p.refused.is_some() => {
                    refused.set(p.refused);
                    // Redraw as before (the drag left the handle where it was dropped).
                    history.update(|_| {});
                }
                Ok(p) => {
                    let next = at.get_untracked() + 1;
                    history.update(|h| {
                        h.truncate(next);
                        h.push(p);
                    });
                    at.set(next);
                    // The consequences may be below the fold of the side panel: bring them up.
                    if let Some(el) = preview_box.get_untracked() {
                        el.scroll_into_view();
                    }
                }
                Err(e) => {
                    failed.set(Some(crate::errors::code(&e).to_owned()));
                    history.update(|_| {});
                }
            }
            busy.set(false);
        });
    };

    // The map: load the editor script, mount, then redraw whenever the current step changes.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(el) = node.get() {
            if mounting.get_value() {
                return;
            }
            mounting.set_value(true);
            use wasm_bindgen::prelude::*;
            let texts = serde_json::json!({
                "membership": t_string!(i18n, membership_follows_geometry).to_string(),
                "no_grid": t_string!(i18n, in_no_grid).to_string(),
            })
            .to_string();
            let attribution = t_string!(i18n, attribution).to_string();
            leptos::task::spawn_local(async move {
                if wasm_bindgen_futures::JsFuture::from(js::load_script("/js/editor.js")).await.is_err() {
                    failed.set(Some("network".into()));
                    return;
                }
                let on_event = Closure::<dyn Fn(String)>::new(move |ev: String| {
                    let v: serde_json::Value = serde_json::from_str(&ev).unwrap_or_default();
                    if v["op"] == "selected" {
                        selected.set(v["grid"].as_str().map(str::to_owned));
                    } else if v["op"] == "selection" {
                        chosen.set(v["grids"].as_array().map(|a| a.iter().filter_map(|c| c.as_str().map(str::to_owned)).collect()).unwrap_or_default());
                    } else if editable {
                        send(ev);
                    } else {
                        notice.set(Some(t_string!(i18n, copy_to_edit).to_string()));
                        history.update(|_| {});
                    }
                });
                let el: &web_sys::HtmlElement = &el;
                match js::mount(el, &park_json.get_value(), &attribution, &texts, on_event.as_ref().unchecked_ref()) {
                    Ok(()) => {
                        let _ = js::set_mode(el, mode.get_untracked().as_str());
                        mounted.set(true)
                    }
                    Err(e) => leptos::logging::error!("editor failed: {e:?}"),
                }
                on_event.forget();
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (node, mounted, mounting, park_json);
    });
    let first_draw = StoredValue::new(true);
    Effect::new(move |_| {
        let p = current.get();
        history.track();
        #[cfg(feature = "hydrate")]
        if let Some(el) = node.get() {
            if !mounted.get() {
                return;
            }
            let enterprises = if first_draw.get_value() { enterprises_json.get_value() } else { String::new() };
            let moved: Vec<i64> = p.moves.iter().map(|m| m.enterprise_id).collect();
            let grid_of = serde_json::to_string(&p.grid_of).unwrap_or_default();
            let flagged: Vec<&String> = p.problems.iter().flat_map(|x| x.grids.iter()).collect();
            let flagged = serde_json::to_string(&flagged).unwrap_or_default();
            if js::update(&el, &grids_json(&p), &enterprises, &grid_of, &serde_json::to_string(&moved).unwrap_or_default(), &flagged).is_ok() {
                first_draw.set_value(false);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (p, first_draw, enterprises_json);
    });
    let set_mode = move |m: Mode| {
        mode.set(m);
        refused.set(None);
        chosen.set(vec![]);
        #[cfg(feature = "hydrate")]
        if let Some(el) = node.get_untracked() {
            let _ = js::set_mode(&el, m.as_str());
        }
    };
    let select = move |code: String| {
        #[cfg(feature = "hydrate")]
        if let Some(el) = node.get_untracked() {
            if !matches!(mode.get_untracked(), Mode::Corner | Mode::Redraw) {
                set_mode(Mode::Corner);
            }
            let _ = js::select(&el, &code);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = code;
    };
    let finish_split = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(el) = node.get_untracked() {
            let _ = js::finish_split(&el);
        }
    };
    let save = move |_| {
        busy.set(true);
        failed.set(None);
        let step = at.get_untracked();
        let grids = grids_json(&current.get_untracked());
        leptos::task::spawn_local(async move {
            match save_plan(plan_id, grids).await {
                Ok(_) => {
                    saved_at.set(Some(step));
                    notice.set(Some(t_string!(i18n, draft_saved).to_string()));
                }
                Err(e) => failed.set(Some(crate::errors::code(&e).to_owned())),
            }
            busy.set(false);
        });
    };
    let navigate = use_navigate();
    let activate = move |_| {
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match activate_plan(plan_id).await {
                Ok(_) => navigate("/park", Default::default()),
                Err(e) => failed.set(Some(crate::errors::code(&e).to_owned())),
            }
            busy.set(false);
        });
    };
    let navigate = use_navigate();
    let copy = move |_| {
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match copy_plan(plan_id).await {
                Ok(p) => navigate(&format!("/plans/{}/edit", p.id), Default::default()),
                Err(e) => failed.set(Some(crate::errors::code(&e).to_owned())),
            }
            busy.set(false);
        });
    };
    let rebalance = move |_| {
        let grids = chosen.get_untracked();
        send(serde_json::json!({ "op": "rebalance", "grids": grids }).to_string());
    };
    let cannot_clip = move || busy.get() || selected.with(Option::is_none);
    let clip = move |_| {
        if let Some(grid) = selected.get_untracked() {
            send(serde_json::json!({ "op": "clip", "grid": grid }).to_string());
        }
    };
    let cannot_rebalance = move || busy.get() || chosen.with(Vec::len) < 2;
    let no_redo = move || busy.get() || at.get() + 1 >= history.with(Vec::len);
    let mode_button = move |m: Mode, label: String, testid: &'static str| {
        view! {
            <button type="button" class="small" class:on=move || mode.get() == m data-testid=testid on:click=move |_| set_mode(m)>{label}</button>
        }
    };
    let hint = move || match mode.get() {
        Mode::Corner => t_string!(i18n, hint_corner).to_string(),
        Mode::Redraw => t_string!(i18n, hint_redraw).to_string(),
        Mode::Split => t_string!(i18n, hint_split).to_string(),
        Mode::Merge => t_string!(i18n, hint_merge).to_string(),
        Mode::Rebalance => t_string!(i18n, hint_rebalance).to_string(),
        Mode::Draw => t_string!(i18n, hint_draw).to_string(),
    };
    let refusal_text = move || {
        refused.get().map(|r| {
            let grids = r.grids.join("、");
            let reason = refusal_reason(i18n, r.kind);
            if grids.is_empty() { reason } else { format!("{reason}（{grids}）") }
        })
    };
    let status_label = crate::components::status_label(i18n, plan.status);
    view! {
        <TopBar title=title user=user />
        <main class="editor-page" data-testid="plan-editor">
            <div class="editor-map map" node_ref=node data-testid="editor-map"></div>
            <aside class="editor-side">
                <div class="editor-head">
                    <span class=format!("badge {}", plan.status.as_str())>{status_label}</span>
                    <a href="/park" class="muted">{t!(i18n, back_to_park)}</a>
                </div>
                {if editable {
                    view! {
                        <div class="toolbar" role="toolbar">
                            {mode_button(Mode::Corner, t_string!(i18n, mode_corner).to_string(), "mode-corner")}
                            {mode_button(Mode::Redraw, t_string!(i18n, mode_redraw).to_string(), "mode-redraw")}
                            {mode_button(Mode::Split, t_string!(i18n, mode_split).to_string(), "mode-split")}
                            {mode_button(Mode::Merge, t_string!(i18n, mode_merge).to_string(), "mode-merge")}
                            {mode_button(Mode::Rebalance, t_string!(i18n, mode_rebalance).to_string(), "mode-rebalance")}
                            {mode_button(Mode::Draw, t_string!(i18n, mode_draw).to_string(), "mode-draw")}
                        </div>
                        <p class="hint" data-testid="hint">{hint}</p>
                        <div class="toolbar">
                            <Show when=move || mode.get() == Mode::Redraw>
                                <button type="button" class="small" data-testid="clip" disabled=cannot_clip on:click=clip>
                                    {move || { let grid = selected.get().unwrap_or_default(); t!(i18n, clip_neighbours, grid = grid) }}
                                </button>
                            </Show>
                            <Show when=move || mode.get() == Mode::Split>
                                <button type="button" class="small" on:click=finish_split data-testid="finish-split">{t!(i18n, finish_split)}</button>
                            </Show>
                            <Show when=move || mode.get() == Mode::Draw>
                                <button type="button" class="small" on:click=finish_split data-testid="finish-draw">{t!(i18n, finish_draw)}</button>
                            </Show>
                            <Show when=move || mode.get() == Mode::Rebalance>
                                <button type="button" class="small" data-testid="rebalance" disabled=cannot_rebalance on:click=rebalance>
                                    {move || { let count = chosen.with(Vec::len); t!(i18n, rebalance_n, count = count) }}
                                </button>
                            </Show>
                            <button type="button" class="small" data-testid="undo" disabled=move || at.get() == 0 || busy.get()
                                on:click=move |_| { refused.set(None); at.update(|a| *a = a.saturating_sub(1)); }>{t!(i18n, undo)}</button>
                            <button type="button" class="small" data-testid="redo" disabled=no_redo
                                on:click=move |_| { refused.set(None); at.update(|a| *a += 1); }>{t!(i18n, redo)}</button>
                            <button type="button" class="primary small" data-testid="save" disabled=move || !dirty() || busy.get() on:click=save>{t!(i18n, save_draft)}</button>
                            <button type="button" class="small" data-testid="activate" disabled=move || dirty() || busy.get() on:click=activate>{t!(i18n, activate)}</button>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <p class="hint">{t!(i18n, copy_to_edit)}</p>
                        <button type="button" class="primary small" data-testid="copy-plan" disabled=move || busy.get() on:click=copy>{t!(i18n, copy_as_draft)}</button>
                    }.into_any()
                }}
                <p class="status-line" aria-live="polite">
                    {move || busy.get().then(|| t_string!(i18n, working).to_string())}
                    {move || (!busy.get()).then(|| notice.get()).flatten()}
                    {move || (editable && dirty()).then(|| view! { <span class="unsaved" data-testid="unsaved">{t!(i18n, unsaved)}</span> })}
                </p>
                {move || refusal_text().map(|t| view! { <p class="error" role="alert" data-testid="refused">{t}</p> })}
                {move || failed.get().map(|code| view! { <crate::components::ErrorNote code=code /> })}
                <section class="preview" data-testid="preview" node_ref=preview_box>
                    <h3>{t!(i18n, this_edit)}</h3>
                    {move || {
                        let p = current.get();
                        if at.get() == 0 {
                            return view! { <p class="muted">{t!(i18n, no_edit_yet)}</p> }.into_any();
                        }
                        view! {
                            <p data-testid="moved-count">{t!(i18n, moves_n, count = p.moves.len())}</p>
                            <ul class="moves" data-testid="moves">
                                {p.moves.iter().map(|m| {
                                    let from = m.from.clone().unwrap_or_else(|| "—".into());
                                    let to = m.to.clone().unwrap_or_else(|| "—".into());
                                    let who = if m.from_workers != m.to_workers {
                                        format!(" · {} → {}", names(&m.from_workers), names(&m.to_workers))
                                    } else { String::new() };
                                    view! { <li><b>{m.name.clone()}</b>" "{from}" → "{to}<span class="muted">{who}</span></li> }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    <p class="muted" data-testid="since-active">{move || { let count = current.with(|p| p.changed_since_active); t!(i18n, since_active_n, count = count) }}</p>
                </section>
                <section class="problems">
                    <h3>{t!(i18n, problems)}</h3>
                    {move || {
                        let p = current.get();
                        if p.problems.is_empty() {
                            return view! { <p class="ok" data-testid="no-problems">{t!(i18n, no_problems)}</p> }.into_any();
                        }
                        view! {
                            <ul class="problem-list" data-testid="problems">
                                {p.problems.iter().filter(|x| x.kind != api::PlanProblemKind::Unassigned).map(|x| view! { <li class=format!("problem {}", x.kind.as_str())>{problem_text(i18n, x)}</li> }).collect_view()}
                                // Enterprises in no grid, on one line (all of them, in a draft that starts empty).
                                {unassigned(&p.problems).map(|(count, names)| view! { <li class="problem unassigned">{t!(i18n, problem_unassigned_n, count = count, names = names)}</li> })}
                            </ul>
                        }.into_any()
                    }}
                </section>
                <table class="grid-table editor-grids" data-testid="editor-grids">
                    <thead><tr>
                        <th>{t!(i18n, grid)}</th>
                        <th class="num">{t!(i18n, enterprises)}</th>
                        <th>{t!(i18n, workers)}</th>
                    </tr></thead>
                    <tbody>
                        {move || current.get().grids.into_iter().map(|g| {
                            let code = g.code.clone();
                            let outside = !u32::try_from(g.enterprise_count).is_ok_and(|n| api::WORKER_LOAD.contains(&n));
                            let workers = if g.workers.is_empty() { t_string!(i18n, unassigned).to_string() } else { g.workers.join("、") };
                            view! {
                                <tr data-code=g.code.clone()>
                                    <td class="code"><button type="button" class="link" on:click=move |_| select(code.clone())>{g.code.clone()}</button></td>
                                    <td class="num" class:bad=outside>{g.enterprise_count}</td>
                                    <td>{workers}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </aside>
        </main>
    }
}

fn names(v: &[String]) -> String {
    if v.is_empty() { "—".into() } else { v.join("、") }
}

/// How many enterprises are in no grid, and the first few of their names.
fn unassigned(problems: &[api::PlanProblem]) -> Option<(usize, String)> {
    let names: Vec<&str> = problems.iter().filter(|x| x.kind == api::PlanProblemKind::Unassigned).map(|x| x.enterprise.as_deref().unwrap_or("?")).collect();
    if names.is_empty() {
        return None;
    }
    let mut shown = names.iter().take(5).copied().collect::<Vec<_>>().join("、");
    if names.len() > 5 {
        shown.push_str("…");
    }
    Some((names.len(), shown))
}

fn problem_text(i18n: leptos_i18n::I18nContext<Locale>, p: &api::PlanProblem) -> AnyView {
    let grids = p.grids.join("、");
    use api::PlanProblemKind as K;
    let (min, max) = (api::WORKER_LOAD.start().to_string(), api::WORKER_LOAD.end().to_string());
    match p.kind {
        K::OutsideLimits => t!(i18n, problem_outside_limits, grids = grids.clone(), min = min.clone(), max = max.clone()).into_any(),
        K::Overlap => t!(i18n, problem_overlap, grids = grids.clone()).into_any(),
        K::Gap => t!(i18n, problem_gap).into_any(),
        K::InPieces => t!(i18n, problem_in_pieces, grids = grids.clone()).into_any(),
        K::OutsidePark => t!(i18n, problem_outside_park, grids = grids.clone()).into_any(),
        K::InSeveral => t!(i18n, problem_in_several, name = p.enterprise.clone().unwrap_or_default(), grids = grids.clone()).into_any(),
        K::Unassigned => t!(i18n, problem_unassigned_n, count = 1usize, names = p.enterprise.clone().unwrap_or_default()).into_any(),
    }
}

/// Why the editor refused an edit, in the user's language: every kind has its text.
fn refusal_reason(i18n: leptos_i18n::I18nContext<Locale>, kind: api::EditRefusalKind) -> String {
    use api::EditRefusalKind as K;
    match kind {
        K::EdgesCross => t_string!(i18n, refused_edges_cross),
        K::Overlap => t_string!(i18n, refused_overlap),
        K::Gap => t_string!(i18n, refused_gap),
        K::OutsidePark => t_string!(i18n, refused_outside_park),
        K::SplitMissed => t_string!(i18n, refused_split_missed),
        K::SplitTooMany => t_string!(i18n, refused_split_too_many),
        K::NotNeighbours | K::SameGrid => t_string!(i18n, refused_not_neighbours),
        K::TooFewToRebalance => t_string!(i18n, refused_too_few),
        K::NothingToRebalance => t_string!(i18n, refused_nothing_to_rebalance),
        K::Partition => t_string!(i18n, refused_partition),
        K::ClipSwallows => t_string!(i18n, refused_clip_swallows),
        K::DrawnTooSmall => t_string!(i18n, refused_drawn_too_small),
        K::NothingToDraw => t_string!(i18n, refused_nothing_to_draw),
        K::NoSuchCorner | K::NoSuchGrid => t_string!(i18n, refused_out_of_date),
        K::CodeTaken => t_string!(i18n, refused_code_taken),
        K::BadGeometry => t_string!(i18n, refused_bad_geometry),
        K::TooManyGrids => t_string!(i18n, refused_too_many_grids),
        K::TooManyPoints => t_string!(i18n, refused_too_many_points),
    }
    .to_string()
}
