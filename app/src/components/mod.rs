//! Reusable pieces of the UI.

mod map;
mod plans;
mod topbar;

pub use map::GridMap;
pub use plans::PlansPanel;
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

/// A translated message for a server function error code.
#[component]
pub fn ErrorNote(code: String) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || match code.as_str() {
        crate::errors::BAD_CREDENTIALS => t_string!(i18n, err_bad_credentials),
        crate::errors::THROTTLED => t_string!(i18n, err_throttled),
        crate::errors::FORBIDDEN => t_string!(i18n, err_forbidden),
        "bad_limits" => t_string!(i18n, bad_limits),
        "network" => t_string!(i18n, err_network),
        _ => t_string!(i18n, err_internal),
    };
    view! { <p class="error" role="alert">{text}</p> }
}
