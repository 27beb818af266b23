//! Reusable pieces of the UI.

pub mod charts;
pub mod files;
mod map;
mod plans;
mod topbar;

pub use map::{FigureMap, GridMap};
pub use plans::{PlansPanel, PlansState};
pub use topbar::TopBar;

use crate::i18n::*;
use leptos::prelude::*;

/// Switches between Simplified Chinese and English; the choice is kept in a cookie.
#[component]
pub fn LanguageSwitch(#[prop(optional, into)] class: String) -> impl IntoView {
    let i18n = use_i18n();
    let switch = move |_| {
        let next = if i18n.get_locale() == Locale::zh { Locale::en } else { Locale::zh };
        i18n.set_locale(next);
    };
    view! { <button type="button" class=class on:click=switch>{t!(i18n, switch_language)}</button> }
}

/// Why the server refused an input (`refused:<code>:<detail>`), in the user's language, after
/// "not saved:"; the detail (a login, a position) follows the reason.
pub fn refusal_text(i18n: leptos_i18n::I18nContext<Locale>, e: &ServerFnError) -> Option<String> {
    let (code, detail) = crate::errors::refusal(e)?;
    let reason = match code {
        "login_taken" => t_string!(i18n, refused_login_taken),
        "short_password" => t_string!(i18n, refused_short_password),
        "bad_login" => t_string!(i18n, refused_bad_login),
        "name_needed" => t_string!(i18n, refused_name_needed),
        "not_a_worker" => t_string!(i18n, refused_not_a_worker),
        "deactivated" => t_string!(i18n, refused_deactivated),
        "bad_position" => t_string!(i18n, refused_bad_position),
        "bad_weight" => t_string!(i18n, refused_bad_weight),
        "outside_park" => t_string!(i18n, refused_position_outside_park),
        "department_needed" => t_string!(i18n, refused_department_needed),
        "no_such_department" => t_string!(i18n, refused_no_such_department),
        "department_not_applicable" => t_string!(i18n, refused_department_not_applicable),
        "all_parks_admin_only" => t_string!(i18n, refused_all_parks_admin_only),
        "park_needed" => t_string!(i18n, refused_park_needed),
        "no_such_park" => t_string!(i18n, refused_no_such_park),
        "wrong_password" => t_string!(i18n, refused_wrong_password),
        "same_password" => t_string!(i18n, refused_same_password),
        "not_yourself" => t_string!(i18n, refused_not_yourself),
        "bad_code" => t_string!(i18n, refused_bad_code),
        "code_taken" => t_string!(i18n, refused_code_taken_unit),
        "department_in_use" => t_string!(i18n, refused_department_in_use),
        "not_in_park" => t_string!(i18n, refused_not_in_park),
        "bad_boundary" => t_string!(i18n, refused_bad_boundary),
        "text_needed" => t_string!(i18n, refused_text_needed),
        "text_too_long" => t_string!(i18n, refused_text_too_long),
        "immediate_is_solve_at_once" => t_string!(i18n, refused_immediate_is_solve_at_once),
        "not_ours_is_answer" => t_string!(i18n, refused_not_ours_is_answer),
        "only_escalated_dispatched" => t_string!(i18n, refused_only_escalated_dispatched),
        "escalated_answered_by_department" => t_string!(i18n, refused_escalated_answered_by_department),
        "verifier_is_not_answerer" => t_string!(i18n, refused_verifier_is_not_answerer),
        "extension_range" => t_string!(i18n, refused_extension_range),
        "extension_after_deadline" => t_string!(i18n, refused_extension_after_deadline),
        "extension_pending" => t_string!(i18n, refused_extension_pending),
        "no_extension_pending" => t_string!(i18n, refused_no_extension_pending),
        "bad_action" => t_string!(i18n, refused_bad_action),
        "bad_description" => t_string!(i18n, refused_bad_description),
        "too_many_today" => t_string!(i18n, refused_too_many_today),
        "limit_mode" => t_string!(i18n, refused_limit_mode),
        "limit_category" => t_string!(i18n, refused_limit_category),
        "limit_days" => t_string!(i18n, refused_limit_days),
        "limit_stage" => t_string!(i18n, refused_limit_stage),
        "limit_hours" => t_string!(i18n, refused_limit_hours),
        "attachment_size" => t_string!(i18n, refused_attachment_size),
        "attachment_type" => t_string!(i18n, refused_attachment_type),
        "too_many_attachments" => t_string!(i18n, refused_too_many_attachments),
        "bad_calendar" => t_string!(i18n, refused_bad_calendar),
        "finding_closes_by_verification" => t_string!(i18n, refused_finding_closes_by_verification),
        "plan_needed" => t_string!(i18n, refused_plan_needed),
        "plan_only_for_major_hazard" => t_string!(i18n, refused_plan_only_for_major_hazard),
        "after_photo_needed" => t_string!(i18n, refused_after_photo_needed),
        "plan_deadline" => t_string!(i18n, refused_plan_deadline),
        "no_safety_department" => t_string!(i18n, refused_no_safety_department),
        "rate_limited" => t_string!(i18n, refused_rate_limited),
        "only_proxy_has_tasks" => t_string!(i18n, refused_only_proxy_has_tasks),
        "task_exists" => t_string!(i18n, refused_task_exists),
        "proxy_answered_by_tasks" => t_string!(i18n, refused_proxy_answered_by_tasks),
        "pub_name" => t_string!(i18n, pub_refused_name),
        "pub_title" => t_string!(i18n, pub_refused_title),
        "pub_body" => t_string!(i18n, pub_refused_body),
        "pub_limit" => t_string!(i18n, pub_refused_limit),
        "pub_department" => t_string!(i18n, pub_refused_department),
        "pub_phone" => t_string!(i18n, pub_refused_phone),
        "pub_hotline" => t_string!(i18n, pub_refused_hotline),
        "pub_withdrawn" => t_string!(i18n, pub_refused_withdrawn),
        "pub_too_many_services" => t_string!(i18n, pub_refused_too_many_services),
        _ => t_string!(i18n, err_internal),
    };
    let space = if i18n.get_locale() == Locale::en { " " } else { "" };
    let detail = if detail.is_empty() { String::new() } else { format!("{space}{detail}") };
    Some(format!("{}{reason}{detail}", t_string!(i18n, cannot_save)))
}

/// A role in the user's language.
pub fn role_label(i18n: leptos_i18n::I18nContext<Locale>, role: api::Role) -> String {
    match role {
        api::Role::Admin => t_string!(i18n, role_admin).to_string(),
        api::Role::Manager => t_string!(i18n, role_manager).to_string(),
        api::Role::Department => t_string!(i18n, role_department).to_string(),
        api::Role::Worker => t_string!(i18n, role_worker).to_string(),
    }
}

/// A plan's status (draft, active, retired) in the user's language.
pub fn status_label(i18n: leptos_i18n::I18nContext<Locale>, status: api::PlanStatus) -> String {
    match status {
        api::PlanStatus::Draft => t_string!(i18n, status_draft).to_string(),
        api::PlanStatus::Active => t_string!(i18n, status_active).to_string(),
        api::PlanStatus::Retired => t_string!(i18n, status_retired).to_string(),
    }
}

/// A translated message for a server function error code.
#[component]
pub fn ErrorNote(code: String) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || match code.as_str() {
        crate::errors::BAD_CREDENTIALS => t_string!(i18n, err_bad_credentials),
        crate::errors::THROTTLED => t_string!(i18n, err_throttled),
        crate::errors::FORBIDDEN => t_string!(i18n, err_forbidden),
        crate::errors::PASSWORD_CHANGE_REQUIRED => t_string!(i18n, must_change_password),
        "bad_limits" => t_string!(i18n, bad_limits),
        "network" => t_string!(i18n, err_network),
        _ => t_string!(i18n, err_internal),
    };
    view! { <p class="error" role="alert">{text}</p> }
}
