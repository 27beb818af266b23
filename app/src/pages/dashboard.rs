//! `/dashboard`: what a center's head looks at every morning (issue 15) — for a period and at
//! most one grid, worker, department or category: visit coverage, visits due and done,
//! findings and overdue rectifications, cases and their rates (按期办结率, 办结率, 返工率,
//! 延期率, 满意率), the trend by month, and the map coloured by a figure per grid. Each figure
//! has its definition next to it; each chart its table and a CSV file.

use super::case_labels::{category_label, stage_label};
use crate::components::TopBar;
use crate::components::charts::{BarChart, LineChart};
use crate::i18n::*;
use crate::serverfns::figures::{figure_shapes, load_dashboard};
use crate::serverfns::session::whoami;
use api::figures::{Count, Dashboard, FigureQuery, Rate};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::use_query_map;

/// The query of the page's address (`?from=…&to=…&grid=…`).
fn query_of(params: &leptos_router::params::ParamsMap) -> FigureQuery {
    let text = |k: &str| params.get(k).filter(|v| !v.trim().is_empty());
    FigureQuery {
        park: None,
        from: text("from").and_then(|v| v.parse().ok()),
        to: text("to").and_then(|v| v.parse().ok()),
        grid: text("grid"),
        worker: text("worker").and_then(|v| v.parse().ok()),
        department: text("department").and_then(|v| v.parse().ok()),
        category: text("category"),
    }
}

/// The same query as an address's query string, for the CSV links.
pub(crate) fn query_string(q: &FigureQuery) -> String {
    let mut parts = Vec::new();
    let mut add = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            parts.push(format!("{k}={}", js_encode(&v)));
        }
    };
    add("park", q.park.clone());
    add("from", q.from.map(|d| d.to_string()));
    add("to", q.to.map(|d| d.to_string()));
    add("grid", q.grid.clone());
    add("worker", q.worker.map(|w| w.to_string()));
    add("department", q.department.map(|d| d.to_string()));
    add("category", q.category.clone());
    parts.join("&")
}

/// Percent-encodes a query value (codes, dates and ids are plain; anything else is escaped).
fn js_encode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let params = use_query_map();
    let data = Resource::new(move || query_of(&params.get()), |q| async move { (whoami().await, load_dashboard(q).await) });
    super::signed_in_page(data, move |d: Dashboard, user| view! { <DashboardView d=d user=user /> }.into_any())
}

/// A figure's card: its name, its value, its definition.
fn card(label: String, value: String, def: Option<String>, bad: bool, id: &'static str) -> impl IntoView {
    view! {
        <div class="kpi" class:bad=bad data-testid=format!("kpi-{id}")>
            <span class="kpi-label">{label}</span>
            <strong class="kpi-value">{value}</strong>
            {def.map(|d| view! { <small class="kpi-def">{d}</small> })}
        </div>
    }
}

/// A rate's value and whether it is poor (below 80%).
fn rate(r: Rate) -> (String, bool) {
    (r.percent(), r.value().is_some_and(|v| v < 0.8))
}

/// The table and chart of counts, with its CSV link.
fn counts_block(title: String, rows: Vec<(String, u32)>, csv: String, id: &'static str, i18n: I18nContext<Locale>) -> impl IntoView {
    let table = rows.iter().map(|(k, n)| view! { <tr><td>{k.clone()}</td><td class="num">{*n}</td></tr> }).collect_view();
    view! {
        <section class="dash-block" data-testid=format!("block-{id}")>
            <h3>{title.clone()}</h3>
            <BarChart rows=rows label=title />
            <details class="dash-table">
                <summary>{t!(i18n, dash_table)}</summary>
                <table><tbody>{table}</tbody></table>
            </details>
            <a class="csv" href=csv download="" data-testid=format!("csv-{id}")>{t!(i18n, dash_csv)}</a>
        </section>
    }
}

fn labelled(rows: &[Count], label: impl Fn(&str) -> String) -> Vec<(String, u32)> {
    rows.iter().map(|c| (label(&c.key), c.count)).collect()
}

/// Which figure colours the map.
#[derive(Clone, Copy, PartialEq)]
enum MapFigure {
    Coverage,
    OnTime,
    Satisfaction,
    Rework,
}

#[component]
fn DashboardView(d: Dashboard, user: api::Me) -> impl IntoView {
    let i18n = use_i18n();
    // The map's shapes, asked for only once the figures came (a refused user asks nothing).
    let shapes = LocalResource::new(figure_shapes);
    let q = d.query.clone();
    let qs = query_string(&q);
    let csv = move |t: &str| format!("/api/v1/figures/csv/{t}?{qs}");
    let c = d.cases;
    let as_of = d.as_of.get(..16).unwrap_or(&d.as_of).replace('T', " ");

    // The cards.
    let mut cards = Vec::new();
    match &d.visits {
        Some(v) => {
            let (val, bad) = rate(v.coverage);
            cards.push(card(t_string!(i18n, fig_coverage).to_string(), val, Some(t_string!(i18n, fig_coverage_def).to_string()), bad, "coverage").into_any());
            cards.push(
                card(
                    t_string!(i18n, fig_due).to_string(),
                    format!("{} / {}", v.due_done, v.due),
                    Some(t_string!(i18n, fig_due_def).to_string()),
                    v.due_done < v.due,
                    "due",
                )
                .into_any(),
            );
            cards.push(
                card(
                    t_string!(i18n, fig_visits_overdue).to_string(),
                    v.overdue.to_string(),
                    Some(t_string!(i18n, fig_visits_overdue_def).to_string()),
                    v.overdue > 0,
                    "visits-overdue",
                )
                .into_any(),
            );
        }
        None => cards.push(view! { <p class="hint">{t!(i18n, dash_visits_na)}</p> }.into_any()),
    }
    for (key, r, def, id) in [
        (t_string!(i18n, fig_on_time).to_string(), c.on_time, t_string!(i18n, fig_on_time_def).to_string(), "on-time"),
        (t_string!(i18n, fig_close).to_string(), c.close, t_string!(i18n, fig_close_def).to_string(), "close"),
        (t_string!(i18n, fig_satisfaction).to_string(), c.satisfaction, t_string!(i18n, fig_satisfaction_def).to_string(), "satisfaction"),
    ] {
        let (val, bad) = rate(r);
        cards.push(card(key, val, Some(def), bad, id).into_any());
    }
    for (key, r, def, id) in [
        (t_string!(i18n, fig_rework).to_string(), c.rework, t_string!(i18n, fig_rework_def).to_string(), "rework"),
        (t_string!(i18n, fig_extension).to_string(), c.extension, t_string!(i18n, fig_extension_def).to_string(), "extension"),
    ] {
        cards.push(card(key, r.percent(), Some(def), r.value().is_some_and(|v| v > 0.2), id).into_any());
    }
    cards.push(
        card(t_string!(i18n, fig_open_overdue).to_string(), format!("{} / {}", c.open_overdue, c.open), None, c.open_overdue > 0, "open-overdue").into_any(),
    );
    cards.push(
        card(
            t_string!(i18n, fig_findings_overdue).to_string(),
            format!("{} / {}", d.findings.overdue, d.findings.open_total),
            Some(t_string!(i18n, fig_findings_overdue_def).to_string()),
            d.findings.overdue > 0,
            "findings-overdue",
        )
        .into_any(),
    );
    cards.push(card(t_string!(i18n, fig_registered).to_string(), c.registered.to_string(), None, false, "registered").into_any());

    // The trend.
    let months: Vec<String> = d.trend.iter().map(|m| m.month.clone()).collect();
    let series = vec![
        (t_string!(i18n, fig_coverage).to_string(), "#0f5e9c", d.trend.iter().map(|m| m.coverage.value()).collect::<Vec<_>>()),
        (t_string!(i18n, fig_on_time).to_string(), "#e67700", d.trend.iter().map(|m| m.cases.on_time.value()).collect()),
        (t_string!(i18n, fig_satisfaction).to_string(), "#2b8a3e", d.trend.iter().map(|m| m.cases.satisfaction.value()).collect()),
    ];
    let trend_rows = d
        .trend
        .iter()
        .map(|m| {
            view! {
                <tr>
                    <td>{m.month.clone()}</td><td class="num">{m.coverage.percent()}</td><td class="num">{m.visits}</td>
                    <td class="num">{m.cases.registered}</td><td class="num">{m.cases.closed}</td>
                    <td class="num">{m.cases.on_time.percent()}</td><td class="num">{m.cases.satisfaction.percent()}</td>
                </tr>
            }
        })
        .collect_view();

    // Counts.
    let stages = labelled(&d.by_stage, |k| api::cases::Stage::parse(k).map_or_else(|| k.to_owned(), |s| stage_label(i18n, s)));
    let categories = labelled(&d.by_category, |k| category_label(i18n, k));
    let center = t_string!(i18n, fig_center).to_string();
    let departments = labelled(&d.by_department, |k| if k.is_empty() { center.clone() } else { k.to_owned() });
    let findings: Vec<(String, u32)> = d
        .findings
        .open
        .iter()
        .map(|(k, n)| {
            let label = match k.split_once('/') {
                Some((kind, "major")) => format!("{}·{}", category_label(i18n, kind), t_string!(i18n, grade_major)),
                Some((kind, _)) => format!("{}·{}", category_label(i18n, kind), t_string!(i18n, grade_general)),
                None => category_label(i18n, k),
            };
            (label, *n)
        })
        .collect();

    // The map, coloured by the chosen figure.
    let figure = RwSignal::new(MapFigure::Coverage);
    let grids = d.grids.clone();
    let map_data = Signal::derive(move || {
        let f = figure.get();
        let Some(Ok(shapes)) = shapes.get() else { return String::new() };
        let boundary = shapes.park_boundary.clone();
        let shapes = shapes.grids;
        let l = |k: &str| -> String {
            match k {
                "worker" => t_string!(i18n, fig_worker),
                "enterprises" => t_string!(i18n, fig_enterprises),
                "coverage" => t_string!(i18n, fig_coverage),
                "on_time" => t_string!(i18n, fig_on_time),
                "satisfaction" => t_string!(i18n, fig_satisfaction),
                "rework" => t_string!(i18n, fig_rework),
                "findings" => t_string!(i18n, fig_findings_overdue),
                _ => t_string!(i18n, fig_open_overdue),
            }
            .to_string()
        };
        let list: Vec<serde_json::Value> = shapes
            .iter()
            .filter_map(|s| {
                let g = grids.iter().find(|g| g.code == s.code)?;
                let value = match f {
                    MapFigure::Coverage => g.visits.coverage.value(),
                    MapFigure::OnTime => g.cases.on_time.value(),
                    MapFigure::Satisfaction => g.cases.satisfaction.value(),
                    MapFigure::Rework => g.cases.rework.value().map(|r| 1.0 - r),
                };
                let lines = vec![
                    (l("worker"), g.worker.clone().unwrap_or_else(|| "—".into())),
                    (l("enterprises"), g.enterprises.to_string()),
                    (l("coverage"), g.visits.coverage.percent()),
                    (l("on_time"), g.cases.on_time.percent()),
                    (l("satisfaction"), g.cases.satisfaction.percent()),
                    (l("rework"), g.cases.rework.percent()),
                    (l("findings"), format!("{} / {}", g.overdue_findings, g.open_findings)),
                    (l("open"), format!("{} / {}", g.cases.open_overdue, g.cases.open)),
                ];
                Some(serde_json::json!({ "code": s.code, "geometry": s.geometry, "value": value, "lines": lines }))
            })
            .collect();
        serde_json::json!({ "park_boundary": boundary, "grids": list }).to_string()
    });
    let grid_rows = d
        .grids
        .iter()
        .map(|g| {
            view! {
                <tr data-code=g.code.clone()>
                    <td>{g.code.clone()}</td><td>{g.worker.clone().unwrap_or_default()}</td><td class="num">{g.enterprises}</td>
                    <td class="num">{g.visits.coverage.percent()}</td><td class="num">{g.cases.on_time.percent()}</td>
                    <td class="num">{g.cases.satisfaction.percent()}</td>
                    <td class="num" class:overdue={g.overdue_findings > 0}>{g.overdue_findings}</td>
                    <td class="num" class:overdue={g.cases.open_overdue > 0}>{g.cases.open_overdue}</td>
                </tr>
            }
        })
        .collect_view();

    // The filter.
    let option = |id: String, name: String, chosen: bool| view! { <option value=id selected=chosen>{name}</option> };
    let grid_options = d.choices_grid.iter().map(|c| option(c.id.clone(), c.name.clone(), q.grid.as_deref() == Some(c.id.as_str()))).collect_view();
    let worker_options =
        d.choices_worker.iter().map(|c| option(c.id.clone(), c.name.clone(), q.worker.map(|w| w.to_string()).as_deref() == Some(c.id.as_str()))).collect_view();
    let dept_options = d
        .choices_department
        .iter()
        .map(|c| option(c.id.clone(), c.name.clone(), q.department.map(|w| w.to_string()).as_deref() == Some(c.id.as_str())))
        .collect_view();
    let category_options = api::DemandCategory::ALL
        .iter()
        .map(|c| c.as_str())
        .chain(api::FindingKind::ALL.iter().map(|k| k.as_str()))
        .map(|k| option(k.to_owned(), category_label(i18n, k), q.category.as_deref() == Some(k)))
        .collect_view();
    let from = d.from.to_string();
    let to = d.to.to_string();
    let month = format!("{}", d.to.format("%Y-%m"));

    view! {
        <TopBar title=t_string!(i18n, dash_title).to_string() user=user />
        <main class="dashboard">
            <form class="dash-filter" method="get" action="/dashboard" data-testid="dash-filter">
                <label>{t!(i18n, dash_from)}<input type="date" name="from" value=from /></label>
                <label>{t!(i18n, dash_to)}<input type="date" name="to" value=to /></label>
                <label>{t!(i18n, dash_grid)}<select name="grid" data-testid="filter-grid"><option value="">{t!(i18n, dash_all)}</option>{grid_options}</select></label>
                <label>{t!(i18n, dash_worker)}<select name="worker" data-testid="filter-worker"><option value="">{t!(i18n, dash_all)}</option>{worker_options}</select></label>
                <label>{t!(i18n, dash_department)}<select name="department" data-testid="filter-department"><option value="">{t!(i18n, dash_all)}</option>{dept_options}</select></label>
                <label>{t!(i18n, dash_category)}<select name="category" data-testid="filter-category"><option value="">{t!(i18n, dash_all)}</option>{category_options}</select></label>
                <button type="submit" data-testid="dash-apply">{t!(i18n, dash_apply)}</button>
            </form>
            <p class="as-of">{d.park_name.clone()} " · " {t!(i18n, dash_as_of)} " " {as_of}
                " · " <a href=format!("/scorecards?month={month}") data-testid="scorecards-link">{t!(i18n, dash_scorecards)}</a>
                " · " <a href=format!("/report?month={month}") data-testid="report-link">{t!(i18n, dash_report)}</a></p>
            <section class="kpis" data-testid="kpis">{cards}</section>
            <a class="csv" href=csv("summary") download="" data-testid="csv-summary">{t!(i18n, dash_csv)}</a>

            <section class="dash-block wide" data-testid="block-trend">
                <h3>{t!(i18n, dash_trend)}</h3>
                <LineChart months=months series=series label=t_string!(i18n, dash_trend).to_string() />
                <details class="dash-table">
                    <summary>{t!(i18n, dash_table)}</summary>
                    <table>
                        <thead><tr><th>{t!(i18n, fig_month)}</th><th>{t!(i18n, fig_coverage)}</th><th>{t!(i18n, fig_visits)}</th>
                            <th>{t!(i18n, fig_registered)}</th><th>{t!(i18n, fig_closed)}</th><th>{t!(i18n, fig_on_time)}</th><th>{t!(i18n, fig_satisfaction)}</th></tr></thead>
                        <tbody>{trend_rows}</tbody>
                    </table>
                </details>
                <a class="csv" href=csv("trend") download="" data-testid="csv-trend">{t!(i18n, dash_csv)}</a>
            </section>

            <div class="dash-grid">
                {counts_block(t_string!(i18n, dash_by_stage).to_string(), stages, csv("stages"), "stages", i18n)}
                {counts_block(t_string!(i18n, dash_by_category).to_string(), categories, csv("categories"), "categories", i18n)}
                {counts_block(t_string!(i18n, dash_by_department).to_string(), departments, csv("departments"), "departments", i18n)}
                {counts_block(t_string!(i18n, dash_findings).to_string(), findings, csv("findings"), "findings", i18n)}
            </div>

            <section class="dash-block wide" data-testid="block-map">
                <h3>{t!(i18n, dash_map_by)} " "
                    <select data-testid="map-figure" on:change=move |ev| figure.set(match event_target_value(&ev).as_str() {
                        "on_time" => MapFigure::OnTime,
                        "satisfaction" => MapFigure::Satisfaction,
                        "rework" => MapFigure::Rework,
                        _ => MapFigure::Coverage,
                    })>
                        <option value="coverage">{t!(i18n, fig_coverage)}</option>
                        <option value="on_time">{t!(i18n, fig_on_time)}</option>
                        <option value="satisfaction">{t!(i18n, fig_satisfaction)}</option>
                        <option value="rework">{t!(i18n, fig_rework)}</option>
                    </select>
                </h3>
                <p class="hint">{t!(i18n, dash_map_hint)}</p>
                <crate::components::FigureMap data=map_data />
                <details class="dash-table" open>
                    <summary>{t!(i18n, dash_table)}</summary>
                    <table data-testid="grid-table">
                        <thead><tr><th>{t!(i18n, dash_grid)}</th><th>{t!(i18n, fig_worker)}</th><th>{t!(i18n, fig_enterprises)}</th><th>{t!(i18n, fig_coverage)}</th>
                            <th>{t!(i18n, fig_on_time)}</th><th>{t!(i18n, fig_satisfaction)}</th><th>{t!(i18n, fig_findings_overdue)}</th><th>{t!(i18n, fig_open_overdue)}</th></tr></thead>
                        <tbody>{grid_rows}</tbody>
                    </table>
                </details>
                <a class="csv" href=csv("grids") download="" data-testid="csv-grids">{t!(i18n, dash_csv)}</a>
            </section>
        </main>
    }
}
