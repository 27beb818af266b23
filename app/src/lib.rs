//! parkgrid's Leptos application: the routes and pages (`pages`), reusable pieces
//! (`components`), server functions (`serverfns`), and, on the server only, their context
//! (`ssr`).
//!
//! Compiled twice: with `ssr` into the server, with `hydrate` into the browser's wasm.
//! **Architecture invariant:** server-only dependencies (`store`, sea-orm, axum) are optional
//! and enabled by `ssr` alone; `cargo tree -p frontend --target wasm32-unknown-unknown` never
//! lists them. UI text comes from `locales/*.json` through `leptos_i18n`, never from literals.
// Leptos view types nest deeply (the field page); the default limit of 128 is too low.
#![recursion_limit = "256"]

// The build.rs code generation that replaces this macro pulls ICU data generators into the
// build (minutes on 2 cores); the macro gives the same module. Revisit with leptos_i18n 0.7.
#[allow(deprecated)]
mod i18n_gen {
    leptos_i18n::load_locales!();
}
pub use i18n_gen::i18n;

pub mod components;
pub mod errors;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod public_page;
pub mod serverfns;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::i18n::I18nContextProvider;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, SsrMode, path};

/// The app's code as a page loads it: the JS glue and the wasm, as URLs.
pub struct AppCode {
    pub js: String,
    pub wasm: String,
}

/// The HTML document around the app (server side). A page that is read first
/// ([`ssr::hydrate_later`]) gets the app's code after it has loaded; the others at once.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    ssr::set_page_policy();
    #[cfg(feature = "ssr")]
    let later = ssr::hydrate_later(&options);
    #[cfg(not(feature = "ssr"))]
    let later: Option<AppCode> = None;
    let hydration = match later {
        // A page read first: its code comes after it (`public/js/hydrate-later.js`).
        Some(code) => view! { <script defer src="/js/hydrate-later.js" data-js=code.js data-wasm=code.wasm></script> }.into_any(),
        None => view! { <HydrationScripts options /> }.into_any(),
    };
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
                <meta name="theme-color" content="#0f5e9c" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href="/vendor/leaflet/leaflet.css" />
                <link rel="stylesheet" href="/pkg/parkgrid.css" />
                <script src="/vendor/leaflet/leaflet.js"></script>
                <script src="/js/map.js"></script>
                // The field app's storage: the sign-in page clears the last user's data from it.
                <script src="/vendor/idb/idb.js"></script>
                <script src="/js/field.js"></script>
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                {hydration}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The field app's page (`/field`): a static shell with no personal data, which the service
/// worker keeps for offline use. The field app itself is the `fieldapp` crate, a wasm bundle
/// of its own rendered in the browser: the phone never downloads the managers' pages.
/// `/field` is therefore not one of [`App`]'s routes; links to it leave the router
/// (`rel="external"`).
#[cfg(feature = "ssr")]
pub fn field_shell(locale: i18n::Locale) -> String {
    use leptos_i18n::Locale as _;
    let lang = locale.as_str();
    let title = format!("{} · {}", i18n::td_string!(locale, field_work), i18n::td_string!(locale, app_name));
    let loading = i18n::td_string!(locale, loading);
    format!(
        r##"<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
<meta name="theme-color" content="#0f5e9c" /><title>{title}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml" />
<link rel="stylesheet" href="/vendor/leaflet/leaflet.css" /><link rel="stylesheet" href="/pkg/parkgrid.css" />
<link rel="manifest" href="/manifest.webmanifest" /><link rel="apple-touch-icon" href="/icons/icon-192.png" />
<link rel="modulepreload" href="/pkg/fieldapp.js" />
<link rel="preload" href="/pkg/fieldapp_bg.wasm" as="fetch" type="application/wasm" crossorigin="" />
<script src="/vendor/leaflet/leaflet.js"></script><script src="/js/map.js"></script>
<script src="/vendor/idb/idb.js"></script><script src="/js/field.js"></script>
<script type="module" src="/js/field-start.js"></script>
</head><body><div id="field-root"><p class="loading">{loading}</p></div></body></html>"##
    )
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="parkgrid" />
        // Simplified Chinese unless the user switched (a cookie): the browser's language is
        // deliberately not consulted.
        <I18nContextProvider ssr_lang_header_getter=leptos_use::UseLocalesOptions::default()
            .ssr_lang_header_getter(|| None)>
            <Router>
                <Routes fallback=pages::NotFound>
                    <Route path=path!("/") view=pages::Home ssr=SsrMode::Async />
                    <Route path=path!("/login") view=pages::LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/my-grid") view={Lazy::<pages::MyGridRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/park") view=pages::ParkPage ssr=SsrMode::Async />
                    <Route path=path!("/plans/:id/edit") view={Lazy::<pages::PlanEditorRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/plans/:a/diff/:b") view={Lazy::<pages::PlanDiffRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/workers") view={Lazy::<pages::WorkersRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/registry") view={Lazy::<pages::RegistryRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/account") view={Lazy::<pages::AccountRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/accounts") view={Lazy::<pages::AccountsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/departments") view={Lazy::<pages::DepartmentsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/parks") view={Lazy::<pages::ParksRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/dashboard") view={Lazy::<pages::DashboardRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/scorecards") view={Lazy::<pages::ScorecardsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/report") view={Lazy::<pages::ReportRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/cases") view={Lazy::<pages::CasesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/cases/:id") view={Lazy::<pages::CaseRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/e/:token") view={Lazy::<pages::PortalRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/publish") view={Lazy::<pages::PublishRoute>::new()} ssr=SsrMode::Async />
                </Routes>
            </Router>
        </I18nContextProvider>
    }
}
