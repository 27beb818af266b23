//! The park's figures (issue 15): the dashboard as JSON and as CSV tables, a month's
//! scorecards, and the monthly report as an Excel workbook. Managers and the administrator
//! (`ViewPark`); `store::figures` gathers, `domain::figures` defines. The workbook and the CSV
//! files speak Simplified Chinese (their labels come from the pages' own `zh.json`).

use super::export::{Cell, csv_text};
use super::{ApiError, CurrentUser};
use crate::state::AppState;
use api::figures::{CaseFigures, Dashboard, FigureQuery, MonthQuery, Rate, Report, ScoreLine, Scorecards};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use domain::Capability;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The pages' Chinese texts, by key: one source for the labels of stages, categories, figures.
fn zh(key: &str) -> String {
    static TEXTS: OnceLock<HashMap<String, String>> = OnceLock::new();
    let texts = TEXTS.get_or_init(|| serde_json::from_str(include_str!("../../../app/locales/zh.json")).unwrap_or_default());
    texts.get(key).cloned().unwrap_or_else(|| key.to_owned())
}

/// A case category (a demand's service area or a finding's kind) in Chinese.
fn category_zh(c: &str) -> String {
    let key = if domain::field::DemandCategory::parse(c).is_some() { format!("cat_{c}") } else { format!("kind_{c}") };
    let s = zh(&key);
    if s == key { zh("cat_other") } else { s }
}

/// A finding key of `domain::figures::finding_key` (`safety_hazard/major`) in Chinese.
fn finding_zh(k: &str) -> String {
    match k.split_once('/') {
        Some((kind, grade)) => format!("{}（{}）", category_zh(kind), zh(&format!("grade_{grade}"))),
        None => category_zh(k),
    }
}

/// The dashboard: a period (this month so far by default) and at most one filter (a grid, a
/// worker, a department, a category).
#[utoipa::path(get, path = "/api/v1/figures", security(("session" = [])), params(FigureQuery),
    responses((status = 200, body = Dashboard), (status = 401, body = api::ApiError), (status = 403, body = api::ApiError), (status = 409, description = "a bad period, month or filter", body = api::ApiError)))]
pub async fn dashboard(State(state): State<AppState>, who: CurrentUser, Query(q): Query<FigureQuery>) -> Result<Json<Dashboard>, ApiError> {
    who.require(Capability::ViewFigures)?;
    Ok(Json(store::figures::dashboard(&state.ctx.db, &who.access, &q, chrono::Utc::now()).await?))
}

/// A month's scorecards (6.5): workers, grids and departments ranked, the best and the bottom
/// three marked. The last complete month by default.
#[utoipa::path(get, path = "/api/v1/figures/scorecards", security(("session" = [])), params(MonthQuery),
    responses((status = 200, body = Scorecards), (status = 401, body = api::ApiError), (status = 403, body = api::ApiError), (status = 409, description = "a bad period, month or filter", body = api::ApiError)))]
pub async fn scorecards(State(state): State<AppState>, who: CurrentUser, Query(q): Query<MonthQuery>) -> Result<Json<Scorecards>, ApiError> {
    who.require(Capability::ViewFigures)?;
    Ok(Json(store::figures::scorecards(&state.ctx.db, &who.access, q.park.as_deref(), q.month.as_deref(), chrono::Utc::now()).await?))
}

/// One of the dashboard's tables as CSV (UTF-8 with a byte-order mark, Chinese headers):
/// `summary`, `trend`, `grids`, `stages`, `categories`, `departments`, `findings`.
#[utoipa::path(get, path = "/api/v1/figures/csv/{table}", security(("session" = [])), params(("table" = String, Path, description = "summary | trend | grids | stages | categories | departments | findings"), FigureQuery),
    responses((status = 200, description = "the CSV file"), (status = 401, body = api::ApiError), (status = 403, body = api::ApiError), (status = 404, body = api::ApiError)))]
pub async fn csv(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(table): Path<String>,
    Query(q): Query<FigureQuery>,
) -> Result<impl IntoResponse, ApiError> {
    who.require(Capability::ViewFigures)?;
    let d = store::figures::dashboard(&state.ctx.db, &who.access, &q, chrono::Utc::now()).await?;
    let t = table_of(&d, &table).ok_or(ApiError::NotFound("table"))?;
    let header: Vec<&str> = t.header.iter().map(String::as_str).collect();
    let body = csv_text(&header, t.rows.into_iter().map(|r| r.into_iter().map(|v| v.cell()).collect()))?;
    let disposition = format!("attachment; filename=\"{}-{}-{}-{table}.csv\"", d.park_code, d.from, d.to);
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)], body))
}

/// The month's report as an Excel workbook: the figures with their definitions, the trend, the
/// grids, the cases by stage, category and department, and the three scorecards.
#[utoipa::path(get, path = "/api/v1/figures/report.xlsx", security(("session" = [])), params(MonthQuery),
    responses((status = 200, description = "the workbook"), (status = 401, body = api::ApiError), (status = 403, body = api::ApiError), (status = 409, description = "a bad period, month or filter", body = api::ApiError)))]
pub async fn report_xlsx(State(state): State<AppState>, who: CurrentUser, Query(q): Query<MonthQuery>) -> Result<impl IntoResponse, ApiError> {
    who.require(Capability::ViewFigures)?;
    let r = store::figures::report(&state.ctx.db, &who.access, q.park.as_deref(), q.month.as_deref(), chrono::Utc::now()).await?;
    let bytes = workbook(&r).map_err(|e| ApiError::Internal(anyhow::anyhow!("the workbook could not be written: {e}")))?;
    let disposition = format!("attachment; filename=\"{}-{}-report.xlsx\"", r.dashboard.park_code, r.scorecards.month);
    Ok((
        [(header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        bytes,
    ))
}

/// A value of a table: text, a count, or a rate (a share, shown as a percentage).
enum V {
    T(String),
    N(f64),
    R(Rate),
}

impl V {
    fn cell(self) -> Cell {
        match self {
            V::T(t) => Cell::text(t),
            V::N(n) => Cell::number(n),
            V::R(r) => r.value().map_or_else(|| Cell::text("—"), |v| Cell::number(format!("{:.1}%", v * 100.0))),
        }
    }
}

fn n(x: u32) -> V {
    V::N(f64::from(x))
}

struct Table {
    header: Vec<String>,
    rows: Vec<Vec<V>>,
}

/// The case figures' columns and their values.
fn case_header() -> Vec<String> {
    [
        "fig_registered",
        "fig_closed",
        "fig_closed_on_time",
        "fig_open",
        "fig_open_overdue",
        "fig_on_time",
        "fig_close",
        "fig_rework",
        "fig_extension",
        "fig_satisfaction",
    ]
    .iter()
    .map(|k| zh(k))
    .collect()
}

fn case_values(c: &CaseFigures) -> Vec<V> {
    vec![
        n(c.registered),
        n(c.closed),
        n(c.closed_on_time),
        n(c.open),
        n(c.open_overdue),
        V::R(c.on_time),
        V::R(c.close),
        V::R(c.rework),
        V::R(c.extension),
        V::R(c.satisfaction),
    ]
}

fn table_of(d: &Dashboard, name: &str) -> Option<Table> {
    let counts = |key: &str, rows: &[api::figures::Count], label: &dyn Fn(&str) -> String| Table {
        header: vec![zh(key), zh("fig_count")],
        rows: rows.iter().map(|c| vec![V::T(label(&c.key)), n(c.count)]).collect(),
    };
    Some(match name {
        "summary" => {
            let mut rows = Vec::new();
            if let Some(v) = &d.visits {
                rows.push(vec![V::T(zh("fig_coverage")), V::R(v.coverage), V::T(zh("fig_coverage_def"))]);
                rows.push(vec![V::T(zh("fig_active")), n(v.active), V::T(String::new())]);
                rows.push(vec![V::T(zh("fig_due")), n(v.due), V::T(zh("fig_due_def"))]);
                rows.push(vec![V::T(zh("fig_due_done")), n(v.due_done), V::T(String::new())]);
                rows.push(vec![V::T(zh("fig_visits")), n(v.visits), V::T(String::new())]);
                rows.push(vec![V::T(zh("fig_visits_overdue")), n(v.overdue), V::T(zh("fig_visits_overdue_def"))]);
            }
            rows.push(vec![V::T(zh("fig_findings_open")), n(d.findings.open_total), V::T(String::new())]);
            rows.push(vec![V::T(zh("fig_findings_overdue")), n(d.findings.overdue), V::T(zh("fig_findings_overdue_def"))]);
            let c = &d.cases;
            for (key, v, def) in [
                ("fig_registered", n(c.registered), ""),
                ("fig_closed", n(c.closed), ""),
                ("fig_open", n(c.open), ""),
                ("fig_open_overdue", n(c.open_overdue), ""),
                ("fig_on_time", V::R(c.on_time), "fig_on_time_def"),
                ("fig_close", V::R(c.close), "fig_close_def"),
                ("fig_rework", V::R(c.rework), "fig_rework_def"),
                ("fig_extension", V::R(c.extension), "fig_extension_def"),
                ("fig_satisfaction", V::R(c.satisfaction), "fig_satisfaction_def"),
            ] {
                rows.push(vec![V::T(zh(key)), v, V::T(if def.is_empty() { String::new() } else { zh(def) })]);
            }
            Table { header: vec![zh("fig_figure"), zh("fig_value"), zh("fig_definition")], rows }
        }
        "trend" => {
            let mut header = vec![zh("fig_month"), zh("fig_coverage"), zh("fig_visits")];
            header.extend(case_header());
            let rows = d
                .trend
                .iter()
                .map(|m| {
                    let mut r = vec![V::T(m.month.clone()), V::R(m.coverage), n(m.visits)];
                    r.extend(case_values(&m.cases));
                    r
                })
                .collect();
            Table { header, rows }
        }
        "grids" => {
            let mut header = vec![
                zh("grid"),
                zh("fig_worker"),
                zh("fig_enterprises"),
                zh("fig_coverage"),
                zh("fig_visits"),
                zh("fig_findings_open"),
                zh("fig_findings_overdue"),
            ];
            header.extend(case_header());
            let rows = d
                .grids
                .iter()
                .map(|g| {
                    let mut r = vec![
                        V::T(g.code.clone()),
                        V::T(g.worker.clone().unwrap_or_default()),
                        n(g.enterprises),
                        V::R(g.visits.coverage),
                        n(g.visits.visits),
                        n(g.open_findings),
                        n(g.overdue_findings),
                    ];
                    r.extend(case_values(&g.cases));
                    r
                })
                .collect();
            Table { header, rows }
        }
        "stages" => counts("fig_stage", &d.by_stage, &|k| zh(&format!("stage_{k}"))),
        "categories" => counts("fig_category", &d.by_category, &category_zh),
        "departments" => counts("fig_department", &d.by_department, &|k| if k.is_empty() { zh("fig_center") } else { k.to_owned() }),
        "findings" => {
            Table { header: vec![zh("finding_kind"), zh("fig_count")], rows: d.findings.open.iter().map(|(k, c)| vec![V::T(finding_zh(k)), n(*c)]).collect() }
        }
        _ => return None,
    })
}

fn score_table(lines: &[ScoreLine], with_load: bool) -> Table {
    let mut header = vec![zh("fig_rank"), zh("fig_name"), zh("fig_standing")];
    if with_load {
        header.extend([zh("fig_grids"), zh("fig_enterprises"), zh("fig_load"), zh("fig_coverage")]);
    }
    header.extend([
        zh("fig_on_time"),
        zh("fig_satisfaction"),
        zh("fig_rework"),
        zh("fig_closed"),
        zh("fig_open_overdue"),
        zh("fig_findings_overdue"),
        zh("fig_score"),
    ]);
    let rows = lines
        .iter()
        .map(|l| {
            let standing = if l.standing.best {
                zh("fig_best")
            } else if l.standing.bottom {
                zh("fig_bottom")
            } else {
                String::new()
            };
            let mut r = vec![l.standing.rank.map_or(V::T("—".into()), n), V::T(l.name.clone()), V::T(standing)];
            if with_load {
                let load =
                    l.load.map(|x| zh(&format!("fig_load_{}", serde_json::to_value(x).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default())));
                r.extend([
                    V::T(l.grids.join("、")),
                    l.enterprises.map_or(V::T(String::new()), n),
                    V::T(load.unwrap_or_default()),
                    V::R(l.coverage.unwrap_or_default()),
                ]);
            }
            r.extend([
                V::R(l.cases.on_time),
                V::R(l.cases.satisfaction),
                V::R(l.cases.rework),
                n(l.cases.closed),
                n(l.cases.open_overdue),
                n(l.overdue_findings),
                l.score.map_or(V::T("—".into()), |s| V::N((s * 10.0).round() / 10.0)),
            ]);
            r
        })
        .collect();
    Table { header, rows }
}

/// The workbook: one sheet per table, Chinese headers, widths set for Chinese text.
fn workbook(r: &Report) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, FormatAlign, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold().set_background_color("#DDE7F0").set_text_wrap().set_align(FormatAlign::Center);
    let percent = Format::new().set_num_format("0.0%");
    let wrap = Format::new().set_text_wrap();
    let title = Format::new().set_bold().set_font_size(14);
    let d = &r.dashboard;
    let mut sheets: Vec<(String, Table)> = Vec::new();
    for (name, key) in [
        ("fig_sheet_summary", "summary"),
        ("fig_sheet_trend", "trend"),
        ("fig_sheet_grids", "grids"),
        ("fig_sheet_findings", "findings"),
        ("fig_sheet_stages", "stages"),
        ("fig_sheet_categories", "categories"),
        ("fig_sheet_departments", "departments"),
    ] {
        if let Some(t) = table_of(d, key) {
            sheets.push((zh(name), t));
        }
    }
    sheets.push((zh("fig_sheet_workers"), score_table(&r.scorecards.workers, true)));
    sheets.push((zh("fig_sheet_grid_scores"), score_table(&r.scorecards.grids, true)));
    sheets.push((zh("fig_sheet_department_scores"), score_table(&r.scorecards.departments, false)));
    for (i, (name, t)) in sheets.into_iter().enumerate() {
        let sheet = book.add_worksheet();
        sheet.set_name(&name)?;
        // The title line: the park and the month.
        sheet.write_string_with_format(0, 0, format!("{} · {} · {}", d.park_name, r.scorecards.month, name), &title)?;
        if i == 0 {
            sheet.write_string(1, 0, format!("{} {} – {}", zh("fig_period"), d.from, d.to))?;
        }
        let top = 2u32;
        let mut widths: Vec<usize> = t.header.iter().map(|h| display_width(h)).collect();
        for (c, h) in t.header.iter().enumerate() {
            sheet.write_string_with_format(top, col(c), h, &bold)?;
        }
        for (ri, row) in t.rows.iter().enumerate() {
            let at = top + 1 + u32::try_from(ri).unwrap_or(u32::MAX - top - 1);
            for (c, v) in row.iter().enumerate() {
                match v {
                    V::T(s) => {
                        if display_width(s) > 60 {
                            sheet.write_string_with_format(at, col(c), s, &wrap)?;
                        } else {
                            sheet.write_string(at, col(c), s)?;
                        }
                        if let Some(w) = widths.get_mut(c) {
                            *w = (*w).max(display_width(s).min(60));
                        }
                    }
                    V::N(x) => {
                        sheet.write_number(at, col(c), *x)?;
                    }
                    V::R(rate) => match rate.value() {
                        Some(x) => {
                            sheet.write_number_with_format(at, col(c), x, &percent)?;
                        }
                        None => {
                            sheet.write_string(at, col(c), "—")?;
                        }
                    },
                }
            }
        }
        // Column widths in characters: a Chinese character is two.
        for (c, w) in widths.iter().enumerate() {
            sheet.set_column_width(col(c), (*w as f64 + 2.0).clamp(8.0, 62.0))?;
        }
        sheet.set_freeze_panes(top + 1, 0)?;
    }
    book.save_to_buffer()
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// Width in character cells: CJK characters take two.
fn display_width(s: &str) -> usize {
    s.chars().map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 }).sum()
}
