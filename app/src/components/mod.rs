//! Reusable pieces of the UI.

pub mod charts;
pub mod files;
mod map;
mod plans;
mod topbar;

pub use map::{FigureMap, GridMap, ParkMap};
pub use plans::{PlansPanel, PlansState};
pub use topbar::TopBar;

use crate::i18n::*;
use leptos::prelude::*;

/// Switches between Simplified Chinese and English; the choice is kept in a cookie
/// (`api::LANG_COOKIE`, a year, the whole site) that the server renders the next pages by.
#[component]
pub fn LanguageSwitch(#[prop(optional, into)] class: String) -> impl IntoView {
    let i18n = use_i18n();
    let switch = move |_| {
        let next = if i18n.get_locale() == Locale::zh { Locale::en } else { Locale::zh };
        i18n.set_locale(next);
        #[cfg(feature = "hydrate")]
        remember_language(next);
    };
    view! { <button type="button" class=class on:click=switch>{t!(i18n, switch_language)}</button> }
}

/// Writes the language cookie (`document.cookie`: web-sys's `HtmlDocument` is not needed for
/// one property).
#[cfg(feature = "hydrate")]
fn remember_language(locale: Locale) {
    let code = if locale == Locale::en { "en" } else { "zh" };
    let cookie = format!("{}={code}; path=/; max-age=31536000; samesite=lax", api::LANG_COOKIE);
    if let Err(e) = js_sys::Reflect::set(&document(), &"cookie".into(), &cookie.into()) {
        leptos::logging::warn!("the language choice could not be kept: {e:?}");
    }
}

/// Why the server refused an input (`api::Refused`), in the user's language, after
/// "not saved:"; the detail (a login, a position) follows the reason.
pub fn refusal_text(i18n: leptos_i18n::I18nContext<Locale>, e: &ServerFnError) -> Option<String> {
    let api::Refused { code, detail } = crate::errors::refusal(e)?;
    use api::RefusalCode;
    let reason = match code {
        RefusalCode::LoginTaken => t_string!(i18n, refused_login_taken),
        RefusalCode::ShortPassword => t_string!(i18n, refused_short_password),
        RefusalCode::BadLogin => t_string!(i18n, refused_bad_login),
        RefusalCode::NameNeeded => t_string!(i18n, refused_name_needed),
        RefusalCode::NotAWorker => t_string!(i18n, refused_not_a_worker),
        RefusalCode::Deactivated => t_string!(i18n, refused_deactivated),
        RefusalCode::BadPosition => t_string!(i18n, refused_bad_position),
        RefusalCode::BadWeight => t_string!(i18n, refused_bad_weight),
        RefusalCode::OutsidePark => t_string!(i18n, refused_position_outside_park),
        RefusalCode::DepartmentNeeded => t_string!(i18n, refused_department_needed),
        RefusalCode::NoSuchDepartment => t_string!(i18n, refused_no_such_department),
        RefusalCode::DepartmentNotApplicable => t_string!(i18n, refused_department_not_applicable),
        RefusalCode::AllParksAdminOnly => t_string!(i18n, refused_all_parks_admin_only),
        RefusalCode::ParkNeeded => t_string!(i18n, refused_park_needed),
        RefusalCode::NoSuchPark => t_string!(i18n, refused_no_such_park),
        RefusalCode::WrongPassword => t_string!(i18n, refused_wrong_password),
        RefusalCode::SamePassword => t_string!(i18n, refused_same_password),
        RefusalCode::NotYourself => t_string!(i18n, refused_not_yourself),
        RefusalCode::BadCode => t_string!(i18n, refused_bad_code),
        RefusalCode::CodeTaken => t_string!(i18n, refused_code_taken_unit),
        RefusalCode::DepartmentInUse => t_string!(i18n, refused_department_in_use),
        RefusalCode::NotInPark => t_string!(i18n, refused_not_in_park),
        RefusalCode::BadBoundary => t_string!(i18n, refused_bad_boundary),
        RefusalCode::TextNeeded => t_string!(i18n, refused_text_needed),
        RefusalCode::TextTooLong => t_string!(i18n, refused_text_too_long),
        RefusalCode::ImmediateIsSolveAtOnce => t_string!(i18n, refused_immediate_is_solve_at_once),
        RefusalCode::NotOursIsAnswer => t_string!(i18n, refused_not_ours_is_answer),
        RefusalCode::OnlyEscalatedDispatched => t_string!(i18n, refused_only_escalated_dispatched),
        RefusalCode::EscalatedAnsweredByDepartment => t_string!(i18n, refused_escalated_answered_by_department),
        RefusalCode::VerifierIsNotAnswerer => t_string!(i18n, refused_verifier_is_not_answerer),
        RefusalCode::ExtensionRange => t_string!(i18n, refused_extension_range),
        RefusalCode::ExtensionAfterDeadline => t_string!(i18n, refused_extension_after_deadline),
        RefusalCode::ExtensionPending => t_string!(i18n, refused_extension_pending),
        RefusalCode::NoExtensionPending => t_string!(i18n, refused_no_extension_pending),
        RefusalCode::BadAction => t_string!(i18n, refused_bad_action),
        RefusalCode::BadDescription => t_string!(i18n, refused_bad_description),
        RefusalCode::TooManyToday => t_string!(i18n, refused_too_many_today),
        RefusalCode::LimitMode => t_string!(i18n, refused_limit_mode),
        RefusalCode::LimitCategory => t_string!(i18n, refused_limit_category),
        RefusalCode::LimitDays => t_string!(i18n, refused_limit_days),
        RefusalCode::LimitStage => t_string!(i18n, refused_limit_stage),
        RefusalCode::LimitHours => t_string!(i18n, refused_limit_hours),
        RefusalCode::AttachmentSize => t_string!(i18n, refused_attachment_size),
        RefusalCode::AttachmentType => t_string!(i18n, refused_attachment_type),
        RefusalCode::TooManyAttachments => t_string!(i18n, refused_too_many_attachments),
        RefusalCode::BadCalendar => t_string!(i18n, refused_bad_calendar),
        RefusalCode::FindingClosesByVerification => t_string!(i18n, refused_finding_closes_by_verification),
        RefusalCode::PlanNeeded => t_string!(i18n, refused_plan_needed),
        RefusalCode::PlanOnlyForMajorHazard => t_string!(i18n, refused_plan_only_for_major_hazard),
        RefusalCode::AfterPhotoNeeded => t_string!(i18n, refused_after_photo_needed),
        RefusalCode::PlanDeadline => t_string!(i18n, refused_plan_deadline),
        RefusalCode::NoSafetyDepartment => t_string!(i18n, refused_no_safety_department),
        RefusalCode::RateLimited => t_string!(i18n, refused_rate_limited),
        RefusalCode::OnlyProxyHasTasks => t_string!(i18n, refused_only_proxy_has_tasks),
        RefusalCode::TaskExists => t_string!(i18n, refused_task_exists),
        RefusalCode::ProxyAnsweredByTasks => t_string!(i18n, refused_proxy_answered_by_tasks),
        RefusalCode::PubName => t_string!(i18n, pub_refused_name),
        RefusalCode::PubTitle => t_string!(i18n, pub_refused_title),
        RefusalCode::PubBody => t_string!(i18n, pub_refused_body),
        RefusalCode::PubLimit => t_string!(i18n, pub_refused_limit),
        RefusalCode::PubDepartment => t_string!(i18n, pub_refused_department),
        RefusalCode::PubPhone => t_string!(i18n, pub_refused_phone),
        RefusalCode::PubHotline => t_string!(i18n, pub_refused_hotline),
        RefusalCode::PubWithdrawn => t_string!(i18n, pub_refused_withdrawn),
        RefusalCode::PubTooManyServices => t_string!(i18n, pub_refused_too_many_services),
        RefusalCode::BadPeriod => t_string!(i18n, refused_bad_period),
        RefusalCode::BadMonth => t_string!(i18n, refused_bad_month),
        RefusalCode::NoSuchWorker => t_string!(i18n, refused_no_such_worker),
        RefusalCode::NoSuchGrid => t_string!(i18n, refused_no_such_grid),
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
