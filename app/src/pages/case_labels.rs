//! Cases in the user's language: stages, boxes, actions, categories, urgency, times (China
//! Standard Time, as deadlines are counted). Exhaustive matches: a new stage or action does
//! not compile until it is named here.

use crate::i18n::*;
use api::cases::{ActionKind, CaseBox, Satisfaction, Stage, Urgency};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

pub fn stage_label(i18n: I18nContext<Locale>, s: Stage) -> String {
    match s {
        Stage::Registered => t_string!(i18n, stage_registered),
        Stage::Accepted => t_string!(i18n, stage_accepted),
        Stage::Dispatched => t_string!(i18n, stage_dispatched),
        Stage::InProgress => t_string!(i18n, stage_in_progress),
        Stage::AwaitingMaterial => t_string!(i18n, stage_awaiting_material),
        Stage::Verifying => t_string!(i18n, stage_verifying),
        Stage::Closed => t_string!(i18n, stage_closed),
        Stage::OnLedger => t_string!(i18n, stage_on_ledger),
    }
    .to_string()
}

pub fn box_label(i18n: I18nContext<Locale>, b: CaseBox) -> String {
    match b {
        CaseBox::Open => t_string!(i18n, box_open),
        CaseBox::New => t_string!(i18n, box_new),
        CaseBox::DueSoon => t_string!(i18n, box_due_soon),
        CaseBox::Overdue => t_string!(i18n, box_overdue),
        CaseBox::Extensions => t_string!(i18n, box_extensions),
        CaseBox::Flagged => t_string!(i18n, box_flagged),
        CaseBox::Ledger => t_string!(i18n, box_ledger),
        CaseBox::Closed => t_string!(i18n, box_closed),
    }
    .to_string()
}

pub fn mode_label(i18n: I18nContext<Locale>, m: api::cases::Mode) -> String {
    use api::cases::Mode;
    match m {
        Mode::Immediate => t_string!(i18n, mode_immediate),
        Mode::Promised => t_string!(i18n, mode_promised),
        Mode::Escalated => t_string!(i18n, mode_escalated),
        Mode::NotOurs => t_string!(i18n, mode_not_ours),
        Mode::Proxy => t_string!(i18n, mode_proxy),
    }
    .to_string()
}

pub fn satisfaction_label(i18n: I18nContext<Locale>, s: Satisfaction) -> String {
    match s {
        Satisfaction::Satisfied => t_string!(i18n, sat_satisfied),
        Satisfaction::Acceptable => t_string!(i18n, sat_acceptable),
        Satisfaction::Unsatisfied => t_string!(i18n, sat_unsatisfied),
    }
    .to_string()
}

/// An event of the timeline: `register` or an action's name.
pub fn event_label(i18n: I18nContext<Locale>, action: &str) -> String {
    // The deadline sweep's and the field's events that are no action of the rule book.
    match action {
        "remind" => return t_string!(i18n, act_remind).to_string(),
        "urge" => return t_string!(i18n, act_urge).to_string(),
        "reinspect" => return t_string!(i18n, act_reinspect).to_string(),
        "attach" => return t_string!(i18n, act_attach).to_string(),
        _ => {}
    }
    let kind = ActionKind::ALL.into_iter().find(|k| k.as_str() == action);
    match kind {
        None => t_string!(i18n, act_register),
        Some(ActionKind::SubmitPlan) => t_string!(i18n, act_submit_plan),
        Some(ActionKind::SolveAtOnce) => t_string!(i18n, act_solve_at_once),
        Some(ActionKind::Accept) => t_string!(i18n, act_accept),
        Some(ActionKind::AnswerNotOurs) => t_string!(i18n, act_answer_not_ours),
        Some(ActionKind::Dispatch) => t_string!(i18n, act_dispatch),
        Some(ActionKind::AddTask) => t_string!(i18n, act_add_task),
        Some(ActionKind::FinishTask) => t_string!(i18n, act_finish_task),
        Some(ActionKind::Take) => t_string!(i18n, act_take),
        Some(ActionKind::Return) => t_string!(i18n, act_return),
        Some(ActionKind::RequestMaterial) => t_string!(i18n, act_request_material),
        Some(ActionKind::MaterialArrived) => t_string!(i18n, act_material_arrived),
        Some(ActionKind::Reply) => t_string!(i18n, act_reply),
        Some(ActionKind::Verify) => t_string!(i18n, act_verify),
        Some(ActionKind::AskExtension) => t_string!(i18n, act_ask_extension),
        Some(ActionKind::DecideExtension) => t_string!(i18n, act_decide_extension),
        Some(ActionKind::PutOnLedger) => t_string!(i18n, act_put_on_ledger),
        Some(ActionKind::Reopen) => t_string!(i18n, act_reopen),
        Some(ActionKind::Supervise) => t_string!(i18n, act_supervise),
        Some(ActionKind::Rate) => t_string!(i18n, act_rate),
    }
    .to_string()
}

/// A demand's service area or a finding's kind.
pub fn category_label(i18n: I18nContext<Locale>, category: &str) -> String {
    match category {
        "policy" => t_string!(i18n, cat_policy),
        "human_resources" => t_string!(i18n, cat_human_resources),
        "technology" => t_string!(i18n, cat_technology),
        "professional_services" => t_string!(i18n, cat_professional_services),
        "incubation" => t_string!(i18n, cat_incubation),
        "resources" => t_string!(i18n, cat_resources),
        "social_security" => t_string!(i18n, cat_social_security),
        "jobs" => t_string!(i18n, cat_jobs),
        "culture" => t_string!(i18n, cat_culture),
        "living" => t_string!(i18n, cat_living),
        "safety_hazard" => t_string!(i18n, kind_safety_hazard),
        "air" => t_string!(i18n, kind_air),
        "solid_waste" => t_string!(i18n, kind_solid_waste),
        "wastewater" => t_string!(i18n, kind_wastewater),
        "noise" => t_string!(i18n, kind_noise),
        "hygiene" => t_string!(i18n, kind_hygiene),
        "public_order" => t_string!(i18n, kind_public_order),
        _ => t_string!(i18n, cat_other),
    }
    .to_string()
}

/// The deadline's urgency as a chip: red once overdue.
pub fn urgency_chip(i18n: I18nContext<Locale>, u: Urgency) -> AnyView {
    let (class, text) = match u {
        Urgency::OnTime => ("chip visited", t_string!(i18n, urgency_on_time)),
        Urgency::DueSoon => ("chip due", t_string!(i18n, urgency_due_soon)),
        Urgency::Overdue => ("chip overdue", t_string!(i18n, urgency_overdue)),
        Urgency::Urged => ("chip overdue", t_string!(i18n, urgency_urged)),
        Urgency::Supervised => ("chip overdue", t_string!(i18n, urgency_supervised)),
    };
    view! { <span class=class data-testid="urgency">{text.to_string()}</span> }.into_any()
}

/// An instant (RFC 3339) in China Standard Time, `MM-DD HH:MM`; a deadline (24:00 of its last
/// day) shows as that day at 24:00.
pub fn local_time(rfc3339: &str) -> String {
    let Ok(t) = chrono::DateTime::parse_from_rfc3339(rfc3339) else {
        return rfc3339.to_owned();
    };
    let Some(cst) = chrono::FixedOffset::east_opt(8 * 3600) else {
        return rfc3339.to_owned();
    };
    let local = t.with_timezone(&cst);
    if local.format("%H:%M:%S").to_string() == "00:00:00" {
        let day = local - chrono::Duration::seconds(1);
        return format!("{} 24:00", day.format("%m-%d"));
    }
    local.format("%m-%d %H:%M").to_string()
}
