//! The park's public page (`/public/{code}`, issue 15): rendered on the server to one HTML
//! string, outside the Leptos router, like [`crate::field_shell`] — the public (an
//! enterprise's phone) never downloads the app's wasm. Text is rendered by `view!`, which
//! escapes it; the map's data travels in a `<script type="application/json">` block (not run:
//! the Content-Security-Policy allows no inline script) with `<`, `>` and `&` escaped as JSON
//! escapes, and `public/js/public.js` draws it with Leaflet.
//!
//! It shows only what [`api::public::PublicPage`] holds, which is only what the managers
//! published (see `store::public`).

use crate::i18n::{self, Locale};
use api::public::{DemandCategory, DepartmentFigures, Mode, NoticeKind, PublicGrid, PublicNotice, PublicPage, PublicServiceItem};
use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;

/// A text of the locale (`pub_…` keys of `locales/*.json`).
macro_rules! tr {
    ($locale:expr, $key:ident) => {
        i18n::td_string!($locale, $key).to_string()
    };
}

fn category(locale: Locale, c: DemandCategory) -> String {
    match c {
        DemandCategory::Policy => tr!(locale, cat_policy),
        DemandCategory::HumanResources => tr!(locale, cat_human_resources),
        DemandCategory::Technology => tr!(locale, cat_technology),
        DemandCategory::ProfessionalServices => tr!(locale, cat_professional_services),
        DemandCategory::Incubation => tr!(locale, cat_incubation),
        DemandCategory::Resources => tr!(locale, cat_resources),
        DemandCategory::SocialSecurity => tr!(locale, cat_social_security),
        DemandCategory::Jobs => tr!(locale, cat_jobs),
        DemandCategory::Culture => tr!(locale, cat_culture),
        DemandCategory::Living => tr!(locale, cat_living),
        DemandCategory::Other => tr!(locale, cat_other),
    }
}

fn mode(locale: Locale, m: Mode) -> String {
    match m {
        Mode::Immediate => tr!(locale, mode_immediate),
        Mode::Promised => tr!(locale, mode_promised),
        Mode::Escalated => tr!(locale, mode_escalated),
        Mode::NotOurs => tr!(locale, mode_not_ours),
        Mode::Proxy => tr!(locale, mode_proxy),
    }
}

fn kind(locale: Locale, k: NoticeKind) -> String {
    match k {
        NoticeKind::Policy => tr!(locale, pub_policy),
        NoticeKind::News => tr!(locale, pub_news),
    }
}

/// A phone number as a `tel:` link target (its digits and `+`).
fn tel(phone: &str) -> String {
    format!("tel:{}", phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect::<String>())
}

/// A path segment percent-encoded (a park code in a link).
fn segment(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// The day of an RFC 3339 time in China Standard Time.
fn day(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| (t.with_timezone(&chrono::Utc) + chrono::Duration::hours(8)).format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 { format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0)) } else { format!("{} KB", bytes.div_ceil(1024)) }
}

fn percent(r: Option<f64>) -> String {
    r.map(|r| format!("{:.1}%", r * 100.0)).unwrap_or_else(|| "—".to_owned())
}

/// JSON for a `<script type="application/json">` block: `<`, `>` and `&` (only ever inside
/// strings in JSON) as `\u` escapes, so no text can close the block or open another.
fn script_json(value: &serde_json::Value) -> String {
    value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// The document around a public page's body.
fn document(locale: Locale, title: String, body: impl IntoView + 'static) -> String {
    use leptos_i18n::Locale as _;
    let lang = locale.as_str();
    let html = view! {
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
                <meta name="theme-color" content="#0f5e9c" />
                <title>{title}</title>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href="/vendor/leaflet/leaflet.css" />
                <link rel="stylesheet" href="/pkg/parkgrid.css" />
                <script src="/vendor/leaflet/leaflet.js" defer></script>
                <script src="/js/public.js" defer></script>
            </head>
            <body class="pub">{body}</body>
        </html>
    };
    format!("<!DOCTYPE html>{}", html.to_html())
}

/// The language switch: a link to the page in the other language (the server keeps the
/// choice in the cookie the other pages share).
fn other_language(locale: Locale) -> impl IntoView {
    let other = if locale == Locale::zh { "en" } else { "zh" };
    view! { <a class="pub-lang" href=format!("?lang={other}") hreflang=other>{tr!(locale, pub_other_lang)}</a> }
}

/// The public page of a park.
pub fn public_page(locale: Locale, page: &PublicPage) -> String {
    let title = format!("{} · {}", page.park_name, tr!(locale, pub_title));
    let map_data = serde_json::json!({
        "boundary": page.park_boundary,
        "grids": page.grids,
        "hotline": page.hotline,
        "texts": {
            "grid": tr!(locale, pub_grid),
            "enterprises": tr!(locale, pub_enterprises),
            "worker": tr!(locale, pub_worker),
            "name_hidden": tr!(locale, pub_name_hidden),
            "no_worker": tr!(locale, pub_no_worker),
            "call_hotline": tr!(locale, pub_call_hotline),
        },
    });
    let code = segment(&page.park_code);
    let hotline = page.hotline.clone();
    let body = view! {
        <header class="pub-head">
            <div>
                <h1>{page.park_name.clone()}</h1>
                <p class="pub-sub">{tr!(locale, pub_subtitle)}</p>
            </div>
            {other_language(locale)}
        </header>
        {hotline.map(|h| view! {
            <p class="pub-hotline">{tr!(locale, pub_hotline)}" "<a href=tel(&h) data-testid="hotline">{h.clone()}</a></p>
        })}
        <nav class="pub-nav">
            <a href="#map">{tr!(locale, pub_map)}</a>
            <a href="#services">{tr!(locale, pub_services)}</a>
            <a href="#notices">{tr!(locale, pub_notices)}</a>
            {page.figures.is_some().then(|| view! { <a href="#figures">{tr!(locale, pub_figures)}</a> })}
        </nav>
        <main class="pub-main">
            <section id="map">
                <h2>{tr!(locale, pub_map)}</h2>
                <div id="pub-map" class="pub-map" role="img" aria-label=tr!(locale, pub_map)></div>
                <p class="muted">{tr!(locale, pub_map_hint)}</p>
                <ul class="pub-grids">{page.grids.iter().map(|g| grid_row(locale, g, page.hotline.is_some())).collect_view()}</ul>
            </section>
            <section id="services">
                <h2>{tr!(locale, pub_services)}</h2>
                {services(locale, &page.services)}
            </section>
            <section id="notices">
                <h2>{tr!(locale, pub_notices)}</h2>
                {notices(locale, &code, &page.notices)}
            </section>
            {page.figures.as_ref().map(|f| view! {
                <section id="figures">
                    <h2>{tr!(locale, pub_figures)}</h2>
                    {figures(locale, f)}
                </section>
            })}
        </main>
        <footer class="pub-foot"><p>{tr!(locale, pub_footer)}</p></footer>
        <script type="application/json" id="pub-data" inner_html=script_json(&map_data)></script>
    };
    document(locale, title, body)
}

/// A grid in the list under the map (the same facts as the map's popup, without script).
fn grid_row(locale: Locale, g: &PublicGrid, hotline: bool) -> impl IntoView + use<> {
    let workers = if g.workers.is_empty() {
        view! { <span class="muted">{tr!(locale, pub_no_worker)}</span> }.into_any()
    } else {
        g.workers
            .iter()
            .map(|w| {
                let name = w.name.clone().unwrap_or_else(|| tr!(locale, pub_name_hidden));
                let contact = match &w.phone {
                    Some(p) => view! { " " <a href=tel(p)>{p.clone()}</a> }.into_any(),
                    None if hotline => view! { " " <span class="muted">{tr!(locale, pub_call_hotline)}</span> }.into_any(),
                    None => ().into_any(),
                };
                view! { <span class="pub-worker">{name}{contact}</span> }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <li data-code=g.code.clone()>
            <b>{g.code.clone()}</b>" "<span class="muted">{g.enterprise_count}" "{tr!(locale, pub_enterprises)}</span>
            <div>{workers}</div>
        </li>
    }
}

fn services(locale: Locale, items: &[PublicServiceItem]) -> AnyView {
    if items.is_empty() {
        return view! { <p class="muted">{tr!(locale, pub_no_services)}</p> }.into_any();
    }
    view! {
        <ol class="pub-services" data-testid="services">
            {items.iter().map(|s| {
                let limit = s.limit_days.map(|d| format!("{d}{}", tr!(locale, pub_days))).unwrap_or_else(|| "—".to_owned());
                let dept = s.department.clone().unwrap_or_else(|| tr!(locale, pub_center));
                view! {
                    <li>
                        <h3>{s.name.clone()}</h3>
                        <dl>
                            <dt>{tr!(locale, pub_category)}</dt><dd>{category(locale, s.category)}</dd>
                            <dt>{tr!(locale, pub_mode)}</dt><dd>{mode(locale, s.mode)}</dd>
                            <dt>{tr!(locale, pub_limit)}</dt><dd>{limit}</dd>
                            <dt>{tr!(locale, pub_department)}</dt><dd>{dept}</dd>
                        </dl>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

fn notices(locale: Locale, code: &str, notices: &[PublicNotice]) -> AnyView {
    if notices.is_empty() {
        return view! { <p class="muted">{tr!(locale, pub_no_notices)}</p> }.into_any();
    }
    notices
        .iter()
        .map(|n| {
            let files = (!n.attachments.is_empty()).then(|| {
                view! {
                    <ul class="pub-files">
                        {n.attachments.iter().map(|a| view! {
                            <li><a href=format!("/api/v1/public/{code}/notices/{}/attachments/{}", n.id, a.id) download=a.name.clone()>{a.name.clone()}</a>
                                " "<span class="muted">{size(a.size)}</span></li>
                        }).collect_view()}
                    </ul>
                }
            });
            view! {
                <article class="pub-notice" data-kind=n.kind.as_str()>
                    <h3><span class="badge">{kind(locale, n.kind)}</span>" "{n.title.clone()}</h3>
                    <p class="muted">{day(&n.published_at)}</p>
                    <p class="pub-body">{n.body.clone()}</p>
                    {files}
                </article>
            }
        })
        .collect_view()
        .into_any()
}

fn figures(locale: Locale, rows: &[DepartmentFigures]) -> AnyView {
    if rows.is_empty() {
        return view! { <p class="muted">{tr!(locale, pub_no_figures)}</p> }.into_any();
    }
    view! {
        <div class="pub-table">
            <table>
                <thead><tr>
                    <th>{tr!(locale, pub_department)}</th>
                    <th class="num">{tr!(locale, pub_fig_cases)}</th>
                    <th class="num">{tr!(locale, pub_fig_closed)}</th>
                    <th class="num">{tr!(locale, pub_fig_on_time)}</th>
                    <th class="num">{tr!(locale, pub_fig_satisfaction)}</th>
                </tr></thead>
                <tbody>
                    {rows.iter().map(|r| view! {
                        <tr>
                            <td>{r.department.clone()}</td>
                            <td class="num">{r.cases}</td>
                            <td class="num">{r.closed}</td>
                            <td class="num">{percent(r.on_time_rate)}</td>
                            <td class="num">{percent(r.satisfaction_rate)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The page for a park code that names no park (answered 404).
pub fn public_not_found(locale: Locale) -> String {
    let body = view! {
        <header class="pub-head"><div><h1>{tr!(locale, pub_title)}</h1></div>{other_language(locale)}</header>
        <main class="pub-main"><p>{tr!(locale, pub_not_found)}</p></main>
    };
    document(locale, tr!(locale, pub_title), body)
}
