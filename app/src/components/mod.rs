//! Reusable pieces of the UI.

mod map;
mod topbar;

pub use map::GridMap;
pub use topbar::TopBar;

use crate::i18n::*;
use leptos::prelude::*;

/// A translated message for a server function error code.
#[component]
pub fn ErrorNote(code: String) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || match code.as_str() {
        crate::errors::BAD_CREDENTIALS => t_string!(i18n, err_bad_credentials),
        crate::errors::THROTTLED => t_string!(i18n, err_throttled),
        crate::errors::FORBIDDEN => t_string!(i18n, err_forbidden),
        "network" => t_string!(i18n, err_network),
        _ => t_string!(i18n, err_internal),
    };
    view! { <p class="error" role="alert">{text}</p> }
}
