//! One module per page.

mod home;
mod login;
mod my_grid;
mod park;
mod plan_diff;
mod plan_editor;
mod registry;
mod workers;

pub use home::Home;
pub use login::LoginPage;
pub use my_grid::MyGridPage;
pub use park::ParkPage;
pub use plan_diff::PlanDiffPage;
pub use plan_editor::PlanEditorPage;
pub use registry::RegistryPage;
pub use workers::WorkersPage;

use crate::components::ErrorNote;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::{A, Redirect};

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="centered">
            <p>{t!(i18n, not_found)}</p>
            <A href="/">{t!(i18n, back_home)}</A>
        </main>
    }
}

/// The display name of the signed-in user, or what the page shows instead (sign-in, error).
pub(crate) fn signed_in(me: Result<Option<api::Me>, ServerFnError>) -> Result<String, AnyView> {
    match me {
        Ok(Some(me)) => Ok(me.display_name),
        Ok(None) => Err(failure(&ServerFnError::new(crate::errors::UNAUTHENTICATED))),
        Err(e) => Err(failure(&e)),
    }
}

/// What a page shows when its data failed: the sign-in page for a lost session, else a note.
pub(crate) fn failure(e: &ServerFnError) -> AnyView {
    match crate::errors::code(e) {
        crate::errors::UNAUTHENTICATED => view! { <Redirect path="/login" /> }.into_any(),
        code => view! { <main class="centered"><ErrorNote code=code.to_owned() /></main> }.into_any(),
    }
}
