use crate::i18n::*;
use crate::serverfns::session::Logout;
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The bar on every signed-in page: title, who is signed in, language switch, sign-out.
#[component]
pub fn TopBar(#[prop(into)] title: String, #[prop(into)] user: String) -> impl IntoView {
    let i18n = use_i18n();
    let logout = ServerAction::<Logout>::new();
    view! {
        <header class="topbar">
            <div class="brand">
                <span class="app-name">{t!(i18n, app_name)}</span>
                <h1>{title}</h1>
            </div>
            <div class="actions">
                <span class="user" data-testid="user-name">{user}</span>
                <super::LanguageSwitch class="lang" />
                <ActionForm action=logout>
                    <button type="submit" class="signout">{t!(i18n, sign_out)}</button>
                </ActionForm>
            </div>
        </header>
    }
}
