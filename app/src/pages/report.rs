//! `/scorecards` (6.5: each worker, grid and department of a month, ranked, the best and the
//! bottom three named) and `/report` (the month's report to send the district: the figures
//! with their definitions, the charts, the grids and the scorecards, styled for print — the
//! browser's "save as PDF" makes the PDF — and the same as an Excel workbook).

use super::case_labels::{category_label, stage_label};
use crate::components::TopBar;
use crate::components::charts::{BarChart, LineChart};
use crate::i18n::*;
use crate::serverfns::figures::{load_report, load_scorecards};
use crate::serverfns::session::whoami;
use api::figures::{Load, Report, ScoreLine, Scorecards};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::use_query_map;

fn month_param() -> Memo<Option<String>> {
    let params = use_query_map();
    Memo::new(move |_| params.get().get("month").filter(|m| !m.trim().is_empty()))
}

#[component]
pub fn ScorecardsPage() -> impl IntoView {
    let month = month_param();
    let data = Resource::new(move || month.get(), |m| async move { (whoami().await, load_scorecards(m).await) });
    super::signed_in_page(data, move |s: Scorecards, user| {
        let i18n = use_i18n();
        view! {
            <TopBar title=t_string!(i18n, dash_scorecards).to_string() user=user />
            <main class="scorecards">
                <MonthPicker month=s.month.clone() path="/scorecards" />
                <ScoreTables s=s />
            </main>
        }
        .into_any()
    })
}

#[component]
fn MonthPicker(month: String, path: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form class="dash-filter" method="get" action=path>
            <label>{t!(i18n, dash_month)}<input type="month" name="month" value=month data-testid="month" /></label>
            <button type="submit">{t!(i18n, dash_apply)}</button>
        </form>
    }
}

fn load_label(i18n: I18nContext<Locale>, l: Load) -> AnyView {
    let (min, max) = (api::WORKER_LOAD.start().to_string(), api::WORKER_LOAD.end().to_string());
    match l {
        Load::Under => t!(i18n, fig_load_under).into_any(),
        Load::Within => t!(i18n, fig_load_within, min = min.clone(), max = max.clone()).into_any(),
        Load::Over => t!(i18n, fig_load_over).into_any(),
    }
}

fn score_table(i18n: I18nContext<Locale>, lines: Vec<ScoreLine>, with_load: bool, id: &'static str) -> impl IntoView {
    let rows = lines
        .into_iter()
        .map(|l| {
            let standing = if l.standing.best { Some(view! { <span class="chip visited">{t!(i18n, fig_best)}</span> }) } else { None };
            let bottom = l.standing.bottom.then(|| view! { <span class="chip overdue">{t!(i18n, fig_bottom)}</span> });
            let outside = l.load.is_some_and(|x| x != Load::Within);
            let load = l.load.map(|x| load_label(i18n, x));
            view! {
                <tr class:best=l.standing.best class:bottom=l.standing.bottom>
                    <td class="num">{l.standing.rank.map_or_else(|| "—".to_owned(), |r| r.to_string())}</td>
                    <td>{l.name.clone()} " " {standing} {bottom}</td>
                    {with_load.then(|| view! {
                        <td>{l.grids.join("、")}</td>
                        <td class="num">{l.enterprises.unwrap_or(0)}</td>
                        <td class:overdue=outside>{load}</td>
                        <td class="num">{l.coverage.unwrap_or_default().percent()}</td>
                    })}
                    <td class="num">{l.cases.on_time.percent()}</td>
                    <td class="num">{l.cases.satisfaction.percent()}</td>
                    <td class="num">{l.cases.rework.percent()}</td>
                    <td class="num">{l.cases.closed}</td>
                    <td class="num" class:overdue={l.cases.open_overdue + l.overdue_findings > 0}>{l.cases.open_overdue + l.overdue_findings}</td>
                    <td class="num score">{l.score.map_or_else(|| "—".to_owned(), |s| format!("{s:.1}"))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="score-table" data-testid=format!("scores-{id}")>
                <thead><tr>
                    <th>{t!(i18n, fig_rank)}</th><th>{t!(i18n, fig_name)}</th>
                    {with_load.then(|| view! { <th>{t!(i18n, fig_grids)}</th><th>{t!(i18n, fig_enterprises)}</th><th>{t!(i18n, fig_load)}</th><th>{t!(i18n, fig_coverage)}</th> })}
                    <th>{t!(i18n, fig_on_time)}</th><th>{t!(i18n, fig_satisfaction)}</th><th>{t!(i18n, fig_rework)}</th><th>{t!(i18n, fig_closed)}</th>
                    <th>{t!(i18n, fig_open_overdue)}</th><th>{t!(i18n, fig_score)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
fn ScoreTables(s: Scorecards) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="hint score-def">{t!(i18n, dash_score_def)}</p>
        <h3>{t!(i18n, fig_sheet_workers)}</h3>
        {score_table(i18n, s.workers, true, "workers")}
        <h3>{t!(i18n, fig_sheet_grid_scores)}</h3>
        {score_table(i18n, s.grids, true, "grids")}
        <h3>{t!(i18n, fig_sheet_department_scores)}</h3>
        {score_table(i18n, s.departments, false, "departments")}
    }
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let month = month_param();
    let data = Resource::new(move || month.get(), |m| async move { (whoami().await, load_report(m).await) });
    super::signed_in_page(data, move |r: Report, user| view! { <ReportView r=r user=user /> }.into_any())
}

#[component]
fn ReportView(r: Report, user: api::Me) -> impl IntoView {
    let i18n = use_i18n();
    let d = r.dashboard;
    let month = r.scorecards.month.clone();
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        let _ = window().print();
    };
    let c = d.cases;
    let mut rows: Vec<(String, String, String)> = Vec::new();
    if let Some(v) = &d.visits {
        rows.push((t_string!(i18n, fig_coverage).to_string(), v.coverage.percent(), t_string!(i18n, fig_coverage_def).to_string()));
        rows.push((t_string!(i18n, fig_due).to_string(), format!("{} / {}", v.due_done, v.due), t_string!(i18n, fig_due_def).to_string()));
        rows.push((t_string!(i18n, fig_visits).to_string(), v.visits.to_string(), String::new()));
        rows.push((t_string!(i18n, fig_visits_overdue).to_string(), v.overdue.to_string(), t_string!(i18n, fig_visits_overdue_def).to_string()));
    }
    rows.push((
        t_string!(i18n, fig_findings_overdue).to_string(),
        format!("{} / {}", d.findings.overdue, d.findings.open_total),
        t_string!(i18n, fig_findings_overdue_def).to_string(),
    ));
    rows.push((t_string!(i18n, fig_registered).to_string(), c.registered.to_string(), String::new()));
    rows.push((t_string!(i18n, fig_closed).to_string(), c.closed.to_string(), String::new()));
    rows.push((t_string!(i18n, fig_open_overdue).to_string(), format!("{} / {}", c.open_overdue, c.open), String::new()));
    rows.push((t_string!(i18n, fig_on_time).to_string(), c.on_time.percent(), t_string!(i18n, fig_on_time_def).to_string()));
    rows.push((t_string!(i18n, fig_close).to_string(), c.close.percent(), t_string!(i18n, fig_close_def).to_string()));
    rows.push((t_string!(i18n, fig_rework).to_string(), c.rework.percent(), t_string!(i18n, fig_rework_def).to_string()));
    rows.push((t_string!(i18n, fig_extension).to_string(), c.extension.percent(), t_string!(i18n, fig_extension_def).to_string()));
    rows.push((t_string!(i18n, fig_satisfaction).to_string(), c.satisfaction.percent(), t_string!(i18n, fig_satisfaction_def).to_string()));
    let summary = rows.into_iter().map(|(k, v, def)| view! { <tr><th>{k}</th><td class="num">{v}</td><td class="def">{def}</td></tr> }).collect_view();
    let months: Vec<String> = d.trend.iter().map(|m| m.month.clone()).collect();
    let series = vec![
        (t_string!(i18n, fig_coverage).to_string(), "#0f5e9c", d.trend.iter().map(|m| m.coverage.value()).collect::<Vec<_>>()),
        (t_string!(i18n, fig_on_time).to_string(), "#e67700", d.trend.iter().map(|m| m.cases.on_time.value()).collect()),
        (t_string!(i18n, fig_satisfaction).to_string(), "#2b8a3e", d.trend.iter().map(|m| m.cases.satisfaction.value()).collect()),
    ];
    let stages: Vec<(String, u32)> =
        d.by_stage.iter().map(|c| (api::cases::Stage::parse(&c.key).map_or_else(|| c.key.clone(), |s| stage_label(i18n, s)), c.count)).collect();
    let categories: Vec<(String, u32)> = d.by_category.iter().map(|c| (category_label(i18n, &c.key), c.count)).collect();
    let grid_rows = d
        .grids
        .iter()
        .map(|g| {
            view! {
                <tr><td>{g.code.clone()}</td><td>{g.worker.clone().unwrap_or_default()}</td><td class="num">{g.enterprises}</td>
                    <td class="num">{g.visits.coverage.percent()}</td><td class="num">{g.cases.on_time.percent()}</td>
                    <td class="num">{g.cases.satisfaction.percent()}</td><td class="num">{g.overdue_findings}</td><td class="num">{g.cases.open_overdue}</td></tr>
            }
        })
        .collect_view();
    view! {
        <div class="no-print"><TopBar title=t_string!(i18n, dash_report).to_string() user=user /></div>
        <main class="report" data-testid="report">
            <div class="no-print report-actions">
                <MonthPicker month=month.clone() path="/report" />
                <button type="button" on:click=print data-testid="print">{t!(i18n, dash_print)}</button>
                <a class="button" href=format!("/api/v1/figures/report.xlsx?month={month}") download="" data-testid="excel">{t!(i18n, dash_excel)}</a>
            </div>
            <h2>{d.park_name.clone()} " · " {month.clone()} " " {t!(i18n, dash_report_title)}</h2>
            <p class="hint">{t!(i18n, fig_period)} " " {d.from.to_string()} " – " {d.to.to_string()}</p>
            <table class="report-summary" data-testid="report-summary">
                <thead><tr><th>{t!(i18n, fig_figure)}</th><th>{t!(i18n, fig_value)}</th><th>{t!(i18n, fig_definition)}</th></tr></thead>
                <tbody>{summary}</tbody>
            </table>
            <h3>{t!(i18n, dash_trend)}</h3>
            <LineChart months=months series=series label=t_string!(i18n, dash_trend).to_string() />
            <div class="report-charts">
                <section><h3>{t!(i18n, dash_by_stage)}</h3><BarChart rows=stages label=t_string!(i18n, dash_by_stage).to_string() /></section>
                <section><h3>{t!(i18n, dash_by_category)}</h3><BarChart rows=categories label=t_string!(i18n, dash_by_category).to_string() /></section>
            </div>
            <h3>{t!(i18n, fig_sheet_grids)}</h3>
            <div class="table-scroll">
                <table class="score-table">
                    <thead><tr><th>{t!(i18n, dash_grid)}</th><th>{t!(i18n, fig_worker)}</th><th>{t!(i18n, fig_enterprises)}</th><th>{t!(i18n, fig_coverage)}</th>
                        <th>{t!(i18n, fig_on_time)}</th><th>{t!(i18n, fig_satisfaction)}</th><th>{t!(i18n, fig_findings_overdue)}</th><th>{t!(i18n, fig_open_overdue)}</th></tr></thead>
                    <tbody>{grid_rows}</tbody>
                </table>
            </div>
            <ScoreTables s=r.scorecards />
        </main>
    }
}
