use crate::components::{ErrorNote, LanguageSwitch};
use crate::i18n::*;
use crate::serverfns::session::Login;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[cfg(feature = "hydrate")]
mod js {
    use wasm_bindgen::prelude::*;
    #[wasm_bindgen]
    extern "C" {
        /// `parkgridField.forget()` from `public/js/field.js`, which every page loads.
        #[wasm_bindgen(js_namespace = parkgridField, js_name = forget)]
        pub fn forget() -> js_sys::Promise;
    }
}

/// `/login`: username and password. Works without JavaScript too (a plain form post).
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let login = ServerAction::<Login>::new();
    // A session ends here (sign-out, expiry): what the field app kept of the last user on this
    // phone goes — their grid data, their records already on the server — while records not
    // yet sent stay for their author (public/js/field.js `forget`).
    Effect::new(|_| {
        #[cfg(feature = "hydrate")]
        let _ = js::forget();
    });
    let error = move || login.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorNote code=crate::errors::code(&e).to_owned() /> });
    view! {
        <main class="login">
            <div class="login-card">
                <img src="/favicon.svg" alt="" class="logo" width="56" height="56" />
                <h1>{t!(i18n, app_name)}</h1>
                <p class="tagline">{t!(i18n, tagline)}</p>
                <ActionForm action=login attr:class="login-form">
                    <label>
                        <span>{t!(i18n, login)}</span>
                        <input type="text" name="login" autocomplete="username" autocapitalize="none" required />
                    </label>
                    <label>
                        <span>{t!(i18n, password)}</span>
                        <input type="password" name="password" autocomplete="current-password" required />
                    </label>
                    {error}
                    <button type="submit" class="primary" disabled=move || login.pending().get()>
                        {move || if login.pending().get() { t_string!(i18n, signing_in) } else { t_string!(i18n, sign_in) }}
                    </button>
                </ActionForm>
                <LanguageSwitch class="link lang" />
            </div>
        </main>
    }
}
