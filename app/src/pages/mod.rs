//! One module per page.

mod account;
mod accounts;
mod case;
mod case_labels;
mod cases;
mod dashboard;
mod departments;
mod home;
mod login;
mod my_grid;
mod park;
mod parks;
mod plan_diff;
mod plan_editor;
mod portal;
mod publish;
mod registry;
mod report;
mod workers;

pub use account::AccountPage;
pub use case::CasePage;
pub use cases::CasesPage;
pub use home::Home;
pub use login::LoginPage;
pub use park::ParkPage;
pub use report::{ReportPage, ScorecardsPage};
pub use workers::WorkersPage;

/// A route whose page the browser loads on demand: in a `--split` build the page's code (and
/// whatever only it reaches) is a wasm chunk of its own, and code that several pages share is
/// in chunks of its own too; they are fetched when the page is first shown — on a first load
/// the server names them in `<link rel="preload">`, so they download beside the main bundle,
/// and the router hydrates the page once they are there. The page's resources are still
/// created at the top of its component (the [`signed_in_page`] rule), in the same order on
/// both sides.
///
/// Each lazy page's chunks arrive in one file (`scripts/pack-chunks.mjs` packs them at build
/// time and teaches wasm-split's loader to read them), not in dozens of requests.
///
/// The park map, the sign-in page and `/` are in the main bundle; every other page is lazy,
/// and the ones opened next from the top bar (the dashboard, cases, a case, workers, report,
/// scorecards) are loaded in the background once the first page has hydrated
/// ([`preload_next`]). Measured (ARCHITECTURE.md, "Sizes"): with every page lazy the park
/// page needed 144 wasm files and hydrated slower than with no split; with the dashboard lazy
/// and no packs, the landing page hydrated later (29 requests); with cases, workers, report,
/// scorecards and account lazy, the park page and the dashboard hydrate ~1 s sooner on slow
/// 4G.
macro_rules! lazy_page {
    ($($route:ident => $page:path;)*) => {$(
        #[doc = concat!("The lazily loaded route of [`", stringify!($page), "`].")]
        pub struct $route;

        #[leptos_router::lazy_route]
        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page /> }.into_any()
            }
        }
    )*};
}

lazy_page! {
    AccountsRoute => accounts::AccountsPage;
    DepartmentsRoute => departments::DepartmentsPage;
    MyGridRoute => my_grid::MyGridPage;
    ParksRoute => parks::ParksPage;
    PlanDiffRoute => plan_diff::PlanDiffPage;
    PlanEditorRoute => plan_editor::PlanEditorPage;
    PortalRoute => portal::PortalPage;
    PublishRoute => publish::PublishPage;
    RegistryRoute => registry::RegistryPage;
    CasesRoute => cases::CasesPage;
    CaseRoute => case::CasePage;
    WorkersRoute => workers::WorkersPage;
    ScorecardsRoute => report::ScorecardsPage;
    ReportRoute => report::ReportPage;
    AccountRoute => account::AccountPage;
    DashboardRoute => dashboard::DashboardPage;
}

/// Loads the code of the pages a signed-in user is likely to open next, one after the other,
/// so that following a link to them does not wait for their code. Called once the page has
/// hydrated and settled (`components::TopBar`); `center`: the service center's roles, who
/// also open the dashboard, workers, report and scorecards.
#[cfg(feature = "hydrate")]
pub async fn preload_next(center: bool) {
    use leptos_router::LazyRoute;
    if center {
        DashboardRoute::preload().await;
    }
    CasesRoute::preload().await;
    CaseRoute::preload().await;
    if center {
        WorkersRoute::preload().await;
        ReportRoute::preload().await;
        ScorecardsRoute::preload().await;
    }
}

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

/// Who is signed in, and a page's own data, loaded together.
pub(crate) type PageData<T> = Resource<(Result<Option<api::Me>, ServerFnError>, Result<T, ServerFnError>)>;

/// A page for a signed-in user: "loading…" while `data` loads, then sign-in for the signed
/// out, the error note for a failure, else `body(data, the user)`.
///
/// **Rule: `body` creates no `Resource`** (nor does any component it renders on the server);
/// every resource of a page is made at the top of the page's component, before this call,
/// and passed down. Why: a resource's serialized value is found in the browser by a number
/// the shared context hands out in creation order. On the server, `Suspense` runs its
/// children again to discover late resource reads (leptos `dry_resolve`, PR #4444), and how
/// often it does depends on when the data arrive; each run of `body` would take new numbers.
/// The browser runs `body` once: a resource made inside it would get another number than on
/// the server, find no value, start pending, and its `Suspend` would hydrate as the fallback
/// where the server sent the content — the "unreachable" hydration panic of one load in ten.
pub(crate) fn signed_in_page<T, F>(data: PageData<T>, body: F) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(T, api::Me) -> AnyView + Clone + Send + Sync + 'static,
{
    let i18n = use_i18n();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || {
                let body = body.clone();
                Suspend::new(async move {
                    let (me, data) = data.await;
                    let user = match signed_in(me) {
                        Ok(name) => name,
                        Err(page) => return page,
                    };
                    match data {
                        Ok(d) => body(d, user),
                        Err(e) => failure(&e),
                    }
                })
            }}
        </Suspense>
    }
}

/// The signed-in user, or what the page shows instead: sign-in, the error note, or — while
/// their password must be changed after a reset — the page where they change it.
pub(crate) fn signed_in(me: Result<Option<api::Me>, ServerFnError>) -> Result<api::Me, AnyView> {
    match me {
        Ok(Some(me)) if me.must_change_password => Err(view! { <Redirect path="/account" /> }.into_any()),
        Ok(Some(me)) => Ok(me),
        Ok(None) => Err(failure(&ServerFnError::new(crate::errors::UNAUTHENTICATED))),
        Err(e) => Err(failure(&e)),
    }
}

/// What a page shows when its data failed: the sign-in page for a lost session, else a note.
pub(crate) fn failure(e: &ServerFnError) -> AnyView {
    match crate::errors::code(e) {
        crate::errors::UNAUTHENTICATED => view! { <Redirect path="/login" /> }.into_any(),
        crate::errors::PASSWORD_CHANGE_REQUIRED => view! { <Redirect path="/account" /> }.into_any(),
        code => view! { <main class="centered"><ErrorNote code=code.to_owned() /></main> }.into_any(),
    }
}

/// The text of a failed action: the store's reason for a refused input, else the error note's.
pub(crate) fn reason(i18n: leptos_i18n::I18nContext<Locale>, e: &ServerFnError) -> String {
    if let Some(text) = crate::components::refusal_text(i18n, e) {
        return text;
    }
    match crate::errors::code(e) {
        crate::errors::FORBIDDEN => t_string!(i18n, err_forbidden).to_string(),
        crate::errors::NOT_IN_STAGE => t_string!(i18n, err_not_in_stage).to_string(),
        "not_found" => t_string!(i18n, err_not_found).to_string(),
        "network" => t_string!(i18n, err_network).to_string(),
        _ => t_string!(i18n, err_internal).to_string(),
    }
}
