//! `/cases/:id`: one case (事项) — what, whose, where it stands against its deadline — the
//! actions the user may take now, and its whole timeline (who did what, when, with what they
//! said).

use super::case_labels::{category_label, event_label, local_time, mode_label, satisfaction_label, stage_label, urgency_chip};
use crate::components::TopBar;
use crate::i18n::*;
use crate::serverfns::cases::{attach_to_case, case_act, issue_enterprise_link, load_case};
use crate::serverfns::departments::list_departments;
use crate::serverfns::session::whoami;
use api::Department;
use api::cases::{Action, ActionKind, CaseDetail, CaseFinding, HazardGrade, Mode, RectificationPlan, Satisfaction};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0));
    let version = RwSignal::new(0u32);
    let data = Resource::new(
        move || (id.get(), version.get()),
        |(id, _)| async move {
            let detail = match (load_case(id).await, list_departments().await) {
                (Ok(c), Ok(d)) => Ok((c, d)),
                (Err(e), _) | (_, Err(e)) => Err(e),
            };
            (whoami().await, detail)
        },
    );
    super::signed_in_page(data, move |(c, departments): (CaseDetail, Vec<Department>), user| {
        view! { <Case c=c departments=departments user=user version=version /> }.into_any()
    })
}

#[component]
fn Case(c: CaseDetail, departments: Vec<Department>, user: api::Me, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let s = c.case.clone();
    let title = format!("{} #{}", t_string!(i18n, cases_title), s.id);
    let deadline = s.deadline.as_deref().map(local_time);
    let late = s.urgency.is_some_and(|u| u >= api::cases::Urgency::Overdue);
    let paused = s.stage == api::cases::Stage::AwaitingMaterial;
    let center = matches!(user.role, api::Role::Admin | api::Role::Manager);
    view! {
        <TopBar title=title user=user />
        <main class="map-page case-page" data-testid="case" data-stage=s.stage.as_str()>
            <a href="/cases" class="small-link">"← " {t!(i18n, all_cases)}</a>
            <header class="case-title">
                <h2>{s.enterprise_name.clone().unwrap_or_default()}</h2>
                <span class=format!("chip stage {}", s.stage.as_str()) data-testid="case-stage">{stage_label(i18n, s.stage)}</span>
            </header>
            <p class="case-text" data-testid="case-description">{s.description.clone()}</p>
            <dl class="facts">
                <dt>{t!(i18n, category)}</dt><dd>{category_label(i18n, &s.category)}</dd>
                {s.mode.map(|m| view! { <dt>{t!(i18n, case_mode)}</dt><dd>{mode_label(i18n, m)}</dd> })}
                {s.owner.clone().map(|o| view! { <dt>{t!(i18n, case_owner)}</dt><dd>{o}</dd> })}
                {s.department.clone().map(|d| view! { <dt>{t!(i18n, case_department)}</dt><dd data-testid="case-department">{d}</dd> })}
                {deadline.map(|d| view! {
                    <dt>{t!(i18n, case_deadline)}</dt>
                    <dd class:late=late data-testid="case-deadline">{d} " " {s.urgency.map(|u| urgency_chip(i18n, u))}
                        {paused.then(|| view! { <span class="muted">" " {t!(i18n, stopped_clock)}</span> })}</dd>
                })}
                {s.stage_deadline.as_deref().map(local_time).map(|d| view! {
                    <dt>{t!(i18n, stage_deadline)}</dt>
                    <dd class:late=s.stage_late data-testid="case-stage-deadline">{d}
                        {s.stage_late.then(|| view! { " " <span class="chip overdue">{t!(i18n, stage_late)}</span> })}</dd>
                })}
                {s.pending_extension.map(|d| view! { <dt>{t!(i18n, box_extensions)}</dt><dd>{t!(i18n, case_pending_extension)} " " {d}</dd> })}
                {s.rating.map(|r| view! { <dt>{t!(i18n, case_rating)}</dt><dd data-testid="case-rating">{satisfaction_label(i18n, r)}</dd> })}
                {s.repeat_of.map(|r| view! { <dt>{t!(i18n, case_repeat)}</dt><dd>{t!(i18n, case_repeat_of)} <a href=format!("/cases/{r}")>{format!("#{r}")}</a></dd> })}
            </dl>
            {c.finding.clone().map(|f| view! { <Finding f=f /> })}
            {(!c.tasks.is_empty()).then(|| view! {
                <section class="case-tasks" data-testid="case-tasks">
                    <h3>{t!(i18n, tasks_title)}</h3>
                    <ul class="tasks">
                        {c.tasks.iter().map(|t| view! {
                            <li data-done=t.done.to_string()>
                                <b>{t.department.clone()}</b> " "
                                {if t.done {
                                    view! { <span class="chip visited">{t!(i18n, task_done)}</span> }.into_any()
                                } else {
                                    view! { <span class="chip due">{t!(i18n, task_open)}</span> }.into_any()
                                }}
                                {t.reply.clone().map(|r| view! { <p class="said">{r}</p> })}
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
            {c.allowed.contains(&ActionKind::SubmitPlan).then(|| view! { <PlanForm id=s.id version=version /> })}
            <Actions id=s.id allowed=c.allowed.iter().copied().filter(|k| *k != ActionKind::SubmitPlan).collect() departments=departments version=version />
            {(!c.attachments.is_empty() || c.may_attach).then(|| view! {
                <Attachments id=s.id files=c.attachments.clone() may_attach=c.may_attach version=version />
            })}
            {(center && s.enterprise_id.is_some()).then(|| view! { <LinkIssuer enterprise=s.enterprise_id.unwrap_or_default() /> })}
            <h3>{t!(i18n, case_timeline)}</h3>
            <ol class="timeline" data-testid="timeline">
                {c.events.into_iter().map(|e| {
                    let said = e.detail.as_ref().and_then(said);
                    view! {
                        <li data-action=e.action.clone()>
                            <span class="when">{local_time(&e.at)}</span>
                            <b>{event_label(i18n, &e.action)}</b>
                            " " <span class="muted">{e.actor.clone().unwrap_or_else(|| match e.actor_kind.as_str() {
                                "enterprise" => t_string!(i18n, enterprise).to_string(),
                                "system" => t_string!(i18n, system_actor).to_string(),
                                _ => String::new(),
                            })}</span>
                            " → " <span>{stage_label(i18n, e.to_stage)}</span>
                            {said.map(|t| view! { <p class="said">{t}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </main>
    }
}

/// A finding's case: its grade, where it was found, the photos then, its plan, and the
/// after-photo that verifies the rectification with its distance from the spot.
#[component]
fn Finding(f: CaseFinding) -> impl IntoView {
    let i18n = use_i18n();
    let photo = |id: &String| {
        let src = format!("/api/v1/photos/{id}");
        let href = src.clone();
        view! { <a href=href rel="external" target="_blank"><img class="thumb" src=src alt="" loading="lazy" /></a> }
    };
    let grade = f.grade.map(|g| match g {
        HazardGrade::Major => view! { <span class="chip overdue" data-testid="grade-major">{t!(i18n, grade_major)}</span> }.into_any(),
        HazardGrade::General => view! { <span class="chip">{t!(i18n, grade_general)}</span> }.into_any(),
    });
    let distance = f.after_distance_m.map(|d| format!("{d:.0} m"));
    view! {
        <section class="finding-facts" data-testid="case-finding">
            <h3>{t!(i18n, finding_title)} " " {grade}</h3>
            <dl class="facts">
                <dt>{t!(i18n, found_at_place)}</dt><dd>{format!("{:.5}, {:.5}", f.lat, f.lon)}</dd>
            </dl>
            {(!f.photos.is_empty()).then(|| view! {
                <p class="muted">{t!(i18n, photos_before)}</p>
                <div class="thumbs">{f.photos.iter().map(photo).collect_view()}</div>
            })}
            {f.plan.clone().map(|p| view! {
                <h4>{t!(i18n, plan_title)}</h4>
                <dl class="facts" data-testid="case-plan">
                    <dt>{t!(i18n, plan_measures)}</dt><dd>{p.measures}</dd>
                    <dt>{t!(i18n, plan_responsible)}</dt><dd>{p.responsible}</dd>
                    <dt>{t!(i18n, plan_funds)}</dt><dd>{p.funds_yuan.to_string()}</dd>
                    <dt>{t!(i18n, plan_deadline)}</dt><dd>{p.deadline.to_string()}</dd>
                    <dt>{t!(i18n, plan_interim)}</dt><dd>{p.interim}</dd>
                </dl>
            })}
            <h4>{t!(i18n, after_photo)}</h4>
            {match f.after_photo.clone() {
                Some(id) => view! {
                    <div class="thumbs">{photo(&id)}</div>
                    <p data-testid="after-distance" class:late=f.far>
                        {t!(i18n, after_distance)} " " {distance.unwrap_or_else(|| "—".to_owned())}
                        {f.far.then(|| view! { " " <span class="chip overdue" data-testid="after-far">{t!(i18n, after_far)}</span> })}
                    </p>
                }.into_any(),
                None => view! { <p class="muted" data-testid="no-after-photo">{t!(i18n, no_after_photo)}</p> }.into_any(),
            }}
        </section>
    }
}

/// A major hazard's rectification plan, as the enterprise handed it in: recorded, the case
/// goes to the safety department, due on the plan's deadline.
#[component]
fn PlanForm(id: i64, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let measures = RwSignal::new(String::new());
    let responsible = RwSignal::new(String::new());
    let funds = RwSignal::new(String::new());
    let deadline = RwSignal::new(String::new());
    let interim = RwSignal::new(String::new());
    let failed = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(day) = chrono::NaiveDate::parse_from_str(deadline.get_untracked().trim(), "%Y-%m-%d") else {
            failed.set(Some(t_string!(i18n, plan_deadline_needed).to_string()));
            return;
        };
        let Ok(funds_yuan) = funds.get_untracked().trim().parse::<u64>() else {
            failed.set(Some(t_string!(i18n, plan_funds_needed).to_string()));
            return;
        };
        let plan = RectificationPlan {
            measures: measures.get_untracked(),
            responsible: responsible.get_untracked(),
            funds_yuan,
            deadline: day,
            interim: interim.get_untracked(),
        };
        let Ok(json) = serde_json::to_string(&Action::SubmitPlan { plan }) else { return };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match case_act(id, json).await {
                Ok(_) => {
                    failed.set(None);
                    version.update(|v| *v += 1);
                }
                Err(e) => failed.set(Some(super::reason(i18n, &e))),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="case-actions plan-form" data-testid="plan-form" on:submit=submit>
            <h3>{t!(i18n, plan_title)}</h3>
            <p class="muted">{t!(i18n, major_needs_plan)}</p>
            {move || failed.get().map(|m| view! { <p class="error" role="alert" data-testid="plan-error">{m}</p> })}
            <label class="wide">{t!(i18n, plan_measures)}<textarea rows="3" bind:value=measures data-testid="plan-measures"></textarea></label>
            <label>{t!(i18n, plan_responsible)}<input bind:value=responsible data-testid="plan-responsible" /></label>
            <label>{t!(i18n, plan_funds)}<input type="number" min="0" inputmode="numeric" bind:value=funds data-testid="plan-funds" /></label>
            <label>{t!(i18n, plan_deadline)}<input type="date" bind:value=deadline data-testid="plan-deadline" /></label>
            <label class="wide">{t!(i18n, plan_interim)}<textarea rows="2" bind:value=interim data-testid="plan-interim"></textarea></label>
            <div class="buttons"><button type="submit" class="primary small" disabled=move || busy.get() data-testid="act-submit-plan">{t!(i18n, act_submit_plan)}</button></div>
        </form>
    }
}

/// The case's files (a department's documents, photos), and a picker for whoever handles it.
#[component]
fn Attachments(id: i64, files: Vec<api::cases::CaseAttachment>, may_attach: bool, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let input = NodeRef::<leptos::html::Input>::new();
    let failed = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let upload = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(el) = input.get_untracked() {
            let Some(file) = el.files().and_then(|f| f.get(0)) else {
                failed.set(Some(t_string!(i18n, attachment_choose).to_string()));
                return;
            };
            let (name, content_type) = (file.name(), file.type_());
            busy.set(true);
            leptos::task::spawn_local(async move {
                match crate::components::files::base64(&el).await {
                    Some(b64) => match attach_to_case(id, name, content_type, b64).await {
                        Ok(()) => {
                            failed.set(None);
                            version.update(|v| *v += 1);
                        }
                        Err(e) => failed.set(Some(super::reason(i18n, &e))),
                    },
                    None => failed.set(Some(t_string!(i18n, attachment_choose).to_string())),
                }
                busy.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (input, id, version, attach_to_case);
    };
    view! {
        <section class="case-files" data-testid="case-files">
            <h3>{t!(i18n, attachments_title)}</h3>
            <ul class="files">
                {files.into_iter().map(|f| {
                    let href = format!("/api/v1/cases/{id}/attachments/{}", f.id);
                    let kb = f.size.div_ceil(1024);
                    view! {
                        <li data-testid="case-file">
                            <a href=href rel="external" download=f.name.clone()>{f.name.clone()}</a>
                            " " <span class="muted">{format!("{kb} KB · ")}{f.uploaded_by.clone().unwrap_or_default()}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {may_attach.then(|| view! {
                {move || failed.get().map(|m| view! { <p class="error" role="alert" data-testid="attach-error">{m}</p> })}
                <div class="attach">
                    <input type="file" accept="application/pdf,image/jpeg,image/png,image/webp" node_ref=input data-testid="attach-input" />
                    <button type="button" class="small" disabled=move || busy.get() on:click=upload data-testid="attach-upload">{t!(i18n, attachment_upload)}</button>
                </div>
                <p class="muted small">{t!(i18n, attachment_hint)}</p>
            })}
        </section>
    }
}

/// What an action said, for the timeline.
fn said(a: &Action) -> Option<String> {
    match a {
        Action::SolveAtOnce { reply } | Action::AnswerNotOurs { reply } | Action::Reply { reply } | Action::FinishTask { reply } => Some(reply.clone()),
        Action::Return { reason } | Action::Reopen { reason } => Some(reason.clone()),
        Action::RequestMaterial { missing } => Some(missing.clone()),
        Action::Verify { note, .. } | Action::Supervise { note } => Some(note.clone()).filter(|n| !n.is_empty()),
        Action::AskExtension { days, reason } => Some(format!("+{days} · {reason}")),
        Action::PutOnLedger { explanation } => Some(explanation.clone()),
        Action::Rate { comment, .. } => Some(comment.clone()).filter(|c| !c.is_empty()),
        Action::SubmitPlan { plan } => Some(plan.measures.clone()),
        Action::Accept { .. } | Action::Dispatch { .. } | Action::AddTask { .. } | Action::Take | Action::MaterialArrived | Action::DecideExtension { .. } => {
            None
        }
    }
}

/// The actions the user may take now: one text for whatever needs words, and a button each.
#[component]
fn Actions(id: i64, allowed: Vec<ActionKind>, departments: Vec<Department>, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let department = RwSignal::new(departments.iter().find(|d| d.active).map(|d| d.id.to_string()).unwrap_or_default());
    let days = RwSignal::new("3".to_owned());
    let satisfaction = RwSignal::new("satisfied".to_owned());
    let solved = RwSignal::new(true);
    let failed = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    if allowed.is_empty() {
        return view! { <p class="muted" data-testid="nothing-to-do">{t!(i18n, case_nothing_to_do)}</p> }.into_any();
    }
    let send = move |make: fn(String, i64, u32, &str, bool) -> Action| {
        let t = text.get_untracked();
        let d = department.get_untracked().parse::<i64>().unwrap_or(0);
        let n = days.get_untracked().trim().parse::<u32>().unwrap_or(0);
        let sat = satisfaction.get_untracked();
        let action = make(t, d, n, &sat, solved.get_untracked());
        let Ok(json) = serde_json::to_string(&action) else { return };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match case_act(id, json).await {
                Ok(_) => {
                    failed.set(None);
                    text.set(String::new());
                    version.update(|v| *v += 1);
                }
                Err(e) => {
                    let m = if crate::errors::code(&e) == crate::errors::NOT_IN_STAGE {
                        t_string!(i18n, err_not_in_stage).to_string()
                    } else {
                        super::reason(i18n, &e)
                    };
                    failed.set(Some(m));
                    if crate::errors::code(&e) == crate::errors::NOT_IN_STAGE {
                        version.update(|v| *v += 1);
                    }
                }
            }
            busy.set(false);
        });
    };
    let has = |k: ActionKind| allowed.contains(&k);
    let needs_text = allowed.iter().any(|k| {
        matches!(
            k,
            ActionKind::SolveAtOnce
                | ActionKind::AnswerNotOurs
                | ActionKind::Return
                | ActionKind::RequestMaterial
                | ActionKind::Reply
                | ActionKind::FinishTask
                | ActionKind::Verify
                | ActionKind::AskExtension
                | ActionKind::PutOnLedger
                | ActionKind::Reopen
                | ActionKind::Supervise
                | ActionKind::Rate
        )
    });
    let button = move |label: String, testid: &'static str, primary: bool, make: fn(String, i64, u32, &str, bool) -> Action| {
        view! {
            <button type="button" class:primary=primary class="small" data-testid=testid disabled=move || busy.get() on:click=move |_| send(make)>{label}</button>
        }
    };
    view! {
        <section class="case-actions" data-testid="case-actions">
            <h3>{t!(i18n, case_act_title)}</h3>
            {move || failed.get().map(|m| view! { <p class="error" role="alert" data-testid="case-error">{m}</p> })}
            {needs_text.then(|| view! {
                <label class="wide">{t!(i18n, case_text)}
                    <textarea rows="3" bind:value=text data-testid="case-text"></textarea>
                </label>
            })}
            {(has(ActionKind::Dispatch) || has(ActionKind::AddTask)).then(|| view! {
                <label>{t!(i18n, case_department)}
                    <select bind:value=department data-testid="case-department-choice">
                        {departments.iter().filter(|d| d.active).map(|d| view! { <option value=d.id.to_string()>{d.name.clone()}</option> }).collect_view()}
                    </select>
                </label>
            })}
            {has(ActionKind::AskExtension).then(|| view! {
                <label>{t!(i18n, extension_days)}<input type="number" min="1" max="30" bind:value=days data-testid="case-days" /></label>
            })}
            {has(ActionKind::Rate).then(|| view! {
                <div class="rate">
                    <select bind:value=satisfaction data-testid="case-satisfaction">
                        {[Satisfaction::Satisfied, Satisfaction::Acceptable, Satisfaction::Unsatisfied].into_iter().map(|s| view! {
                            <option value=s.as_str()>{satisfaction_label(i18n, s)}</option>
                        }).collect_view()}
                    </select>
                    <label class="check"><input type="checkbox" bind:checked=solved data-testid="case-solved" />{t!(i18n, solved)}</label>
                </div>
            })}
            <div class="buttons">
                {has(ActionKind::Accept).then(|| view! {
                    {button(t_string!(i18n, act_accept_escalated).to_string(), "act-accept-escalated", true, |_, _, _, _, _| Action::Accept { mode: Mode::Escalated })}
                    {button(t_string!(i18n, act_accept_promised).to_string(), "act-accept-promised", false, |_, _, _, _, _| Action::Accept { mode: Mode::Promised })}
                    {button(t_string!(i18n, act_accept_proxy).to_string(), "act-accept-proxy", false, |_, _, _, _, _| Action::Accept { mode: Mode::Proxy })}
                })}
                {has(ActionKind::SolveAtOnce).then(|| button(t_string!(i18n, act_solve_at_once).to_string(), "act-solve", false, |t, _, _, _, _| Action::SolveAtOnce { reply: t }))}
                {has(ActionKind::AnswerNotOurs).then(|| button(t_string!(i18n, act_answer_not_ours).to_string(), "act-not-ours", false, |t, _, _, _, _| Action::AnswerNotOurs { reply: t }))}
                {has(ActionKind::Dispatch).then(|| button(t_string!(i18n, act_dispatch).to_string(), "act-dispatch", true, |_, d, _, _, _| Action::Dispatch { department: d }))}
                {has(ActionKind::AddTask).then(|| button(t_string!(i18n, act_add_task).to_string(), "act-add-task", true, |_, d, _, _, _| Action::AddTask { department: d }))}
                {has(ActionKind::FinishTask).then(|| button(t_string!(i18n, act_finish_task).to_string(), "act-finish-task", true, |t, _, _, _, _| Action::FinishTask { reply: t }))}
                {has(ActionKind::Take).then(|| button(t_string!(i18n, act_take).to_string(), "act-take", true, |_, _, _, _, _| Action::Take))}
                {has(ActionKind::Reply).then(|| button(t_string!(i18n, act_reply).to_string(), "act-reply", true, |t, _, _, _, _| Action::Reply { reply: t }))}
                {has(ActionKind::Return).then(|| button(t_string!(i18n, act_return).to_string(), "act-return", false, |t, _, _, _, _| Action::Return { reason: t }))}
                {has(ActionKind::RequestMaterial).then(|| button(t_string!(i18n, act_request_material).to_string(), "act-material", false, |t, _, _, _, _| Action::RequestMaterial { missing: t }))}
                {has(ActionKind::MaterialArrived).then(|| button(t_string!(i18n, act_material_arrived).to_string(), "act-material-arrived", true, |_, _, _, _, _| Action::MaterialArrived))}
                {has(ActionKind::Verify).then(|| view! {
                    {button(t_string!(i18n, act_verify_ok).to_string(), "act-verify-ok", true, |t, _, _, _, _| Action::Verify { solved: true, note: t })}
                    {button(t_string!(i18n, act_verify_fail).to_string(), "act-verify-fail", false, |t, _, _, _, _| Action::Verify { solved: false, note: t })}
                })}
                {has(ActionKind::AskExtension).then(|| button(t_string!(i18n, act_ask_extension).to_string(), "act-ask-extension", false, |t, _, n, _, _| Action::AskExtension { days: n, reason: t }))}
                {has(ActionKind::DecideExtension).then(|| view! {
                    {button(t_string!(i18n, act_grant_extension).to_string(), "act-grant", false, |_, _, _, _, _| Action::DecideExtension { grant: true })}
                    {button(t_string!(i18n, act_refuse_extension).to_string(), "act-refuse", false, |_, _, _, _, _| Action::DecideExtension { grant: false })}
                })}
                {has(ActionKind::PutOnLedger).then(|| button(t_string!(i18n, act_put_on_ledger).to_string(), "act-ledger", false, |t, _, _, _, _| Action::PutOnLedger { explanation: t }))}
                {has(ActionKind::Reopen).then(|| button(t_string!(i18n, act_reopen).to_string(), "act-reopen", false, |t, _, _, _, _| Action::Reopen { reason: t }))}
                {has(ActionKind::Supervise).then(|| button(t_string!(i18n, act_supervise).to_string(), "act-supervise", false, |t, _, _, _, _| Action::Supervise { note: t }))}
                {has(ActionKind::Rate).then(|| button(t_string!(i18n, act_rate).to_string(), "act-rate", true, |t, _, _, s, solved| Action::Rate {
                    satisfaction: Satisfaction::parse(s).unwrap_or(Satisfaction::Satisfied), solved, comment: t }))}
            </div>
        </section>
    }
    .into_any()
}

/// The enterprise's own link and QR code, issued on demand (a new one revokes the old).
#[component]
fn LinkIssuer(enterprise: i64) -> impl IntoView {
    let i18n = use_i18n();
    let link = RwSignal::new(None::<api::cases::EnterpriseLink>);
    let failed = RwSignal::new(None::<String>);
    let issue = move |_| {
        leptos::task::spawn_local(async move {
            match issue_enterprise_link(enterprise).await {
                Ok(l) => link.set(Some(l)),
                Err(e) => failed.set(Some(super::reason(i18n, &e))),
            }
        });
    };
    view! {
        <details class="enterprise-link" data-testid="enterprise-link">
            <summary>{t!(i18n, enterprise_link)}</summary>
            <p class="muted">{t!(i18n, link_hint)}</p>
            {move || failed.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <button type="button" class="small" on:click=issue data-testid="issue-link">{t!(i18n, issue_link)}</button>
            {move || link.get().map(|l| {
                let href = l.path.clone();
                let shown = l.path.clone();
                view! {
                    <p><a href=href data-testid="portal-link" rel="external">{move || {
                        let origin = window().location().origin().unwrap_or_default();
                        format!("{origin}{shown}")
                    }}</a></p>
                    <div class="qr" inner_html=l.qr_svg></div>
                }
            })}
        </details>
    }
}
