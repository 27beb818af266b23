//! The grid worker's field app (`/field`), built as a wasm bundle of its own.
//!
//! The phone downloads only this: the server sends a static shell (`app::field_shell`) with
//! no personal data, the service worker keeps it and this bundle for offline use, and
//! [`start`] renders the app in the browser (client-side rendering: there is nothing to
//! hydrate, every figure comes from the phone's IndexedDB through `public/js/field.js`).
//! Keeping the managers' pages out of this bundle is what keeps the first load small
//! (`scripts/sizes.sh`).
// Leptos view types nest deeply (the field page); the default limit of 128 is too low.
#![recursion_limit = "256"]

#[allow(deprecated)]
mod i18n_gen {
    leptos_i18n::load_locales!();
}
pub use i18n_gen::i18n;

mod page;

use i18n::*;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::wasm_bindgen;

/// The cookie the chosen language is kept in, which the server-rendered pages read too.
///
/// The field app reads and writes it itself: `leptos_i18n`'s own cookie support pulls the
/// `cookie` and `time` crates into the bundle (~28 KB brotli), and without a cookie a
/// client-rendered `leptos_i18n` follows the browser's language, which the product
/// deliberately does not (Simplified Chinese unless the user switched).
use api::LANG_COOKIE;

fn html_document() -> Option<web_sys::HtmlDocument> {
    document().dyn_into::<web_sys::HtmlDocument>().ok()
}

/// The language chosen on this device, Simplified Chinese by default.
fn chosen_locale() -> Locale {
    let cookies = html_document().and_then(|d| d.cookie().ok()).unwrap_or_default();
    let chosen = cookies.split(';').find_map(|c| c.trim().strip_prefix(LANG_COOKIE)?.strip_prefix('=').map(str::to_owned));
    match chosen.as_deref() {
        Some("en") => Locale::en,
        _ => Locale::zh,
    }
}

fn use_locale(i18n: leptos_i18n::I18nContext<Locale>, locale: Locale) {
    i18n.set_locale(locale);
    let code = if locale == Locale::en { "en" } else { "zh" };
    if let Some(doc) = html_document() {
        let _ = doc.set_cookie(&format!("{LANG_COOKIE}={code}; path=/; max-age=31536000; samesite=lax"));
        if let Some(html) = doc.document_element() {
            let _ = html.set_attribute("lang", code);
        }
    }
}

/// Switches between Simplified Chinese and English; the choice is kept in the cookie the
/// server-rendered pages read too.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let switch = move |_| use_locale(i18n, if i18n.get_locale() == Locale::zh { Locale::en } else { Locale::zh });
    view! { <button type="button" class="lang" on:click=switch>{t!(i18n, switch_language)}</button> }
}

/// Inside the i18n context: puts the chosen language in place. An effect, so that it runs
/// after the context's own first effect (which sets the browser's language).
#[component]
fn Root(locale: Locale) -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| use_locale(i18n, locale));
    // Tests wait for this attribute: it is set once the app runs in the browser.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! { <page::FieldPage /> }
}

/// Renders the field app into `#field-root` (called once the module is loaded).
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    let locale = chosen_locale();
    let Some(root) = document().get_element_by_id("field-root") else { return };
    let Ok(root) = root.dyn_into::<web_sys::HtmlElement>() else { return };
    root.set_inner_html("");
    let handle = leptos::mount::mount_to(root, move || {
        view! {
            <I18nContextProvider>
                <Root locale />
            </I18nContextProvider>
        }
    });
    handle.forget();
}
