//! Exports of the registry and the grids (issue 5): `GET /api/v1/export/{file}` where `file`
//! is `enterprises.geojson`, `enterprises.csv`, `grids.geojson` or `grids.csv`, under the
//! active plan or, for managers, `?plan=ID`. Coordinates are WGS84.

use super::{ApiError, CurrentUser};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use domain::Capability;
use geojson::{Feature, FeatureCollection, Geometry, GeometryValue, JsonObject};

/// Which map a route is about: the park's under its active plan, or another plan's.
#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct MapQuery {
    /// A plan other than the active one (managers only); `park` is then not read.
    pub plan: Option<i64>,
    /// The park (one of the user's), for the active plan; without it, the park the pages show.
    pub park: Option<String>,
}

/// The map `q` names, if `who` may see it: a park's (the park-viewing capability) or a plan's
/// (plan management, and the plan's park one of theirs).
pub(super) async fn map_view(state: &AppState, who: &CurrentUser, q: &MapQuery) -> Result<api::MapView, ApiError> {
    who.require(Capability::ViewPark)?;
    let view = match q.plan {
        Some(id) => {
            who.require(Capability::ManagePlans)?;
            who.access.plan(&state.ctx.db, id).await?;
            store::views::plan_map(&state.ctx.db, id).await?
        }
        None => {
            let park = who.park(&state.ctx.db, q.park.as_deref()).await?;
            store::views::park_map(&state.ctx.db, Some(&park.code)).await?
        }
    };
    view.ok_or(ApiError::NotFound("park"))
}

#[utoipa::path(get, path = "/api/v1/export/{file}",
    security(("session" = [])), params(("file" = String, Path, description = "enterprises.geojson | enterprises.csv | grids.geojson | grids.csv"), MapQuery),
    responses((status = 200, description = "the file"), (status = 401, body = api::ApiError), (status = 403, body = api::ApiError), (status = 404, body = api::ApiError)))]
pub async fn export(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(file): Path<String>,
    Query(q): Query<MapQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let view = map_view(&state, &who, &q).await?;
    let version = view.plan_version.map(|v| format!("-v{v}")).unwrap_or_default();
    let (body, mime) = match file.as_str() {
        "enterprises.geojson" => (enterprises_geojson(&view), "application/geo+json"),
        "enterprises.csv" => (enterprises_csv(&view)?, "text/csv; charset=utf-8"),
        "grids.geojson" => (grids_geojson(&view), "application/geo+json"),
        "grids.csv" => (grids_csv(&view)?, "text/csv; charset=utf-8"),
        _ => return Err(ApiError::NotFound("export")),
    };
    let (stem, ext) = file.split_once('.').unwrap_or((&file, ""));
    let disposition = format!("attachment; filename=\"{}-{stem}{version}.{ext}\"", view.park_code);
    Ok(([(header::CONTENT_TYPE, mime.to_owned()), (header::CONTENT_DISPOSITION, disposition)], body))
}

fn enterprises_geojson(view: &api::MapView) -> String {
    let features = view
        .enterprises
        .iter()
        .map(|e| {
            let mut p = JsonObject::new();
            p.insert("id".into(), e.external_id.clone().into());
            p.insert("name".into(), e.name.clone().into());
            p.insert("address".into(), e.address.clone().into());
            p.insert("industry".into(), e.industry.clone().into());
            p.insert("grid_code".into(), e.grid_code.clone().into());
            p.insert("weight".into(), e.weight.into());
            Feature { geometry: Some(Geometry::new(GeometryValue::new_point([e.lon, e.lat]))), properties: Some(p), ..Default::default() }
        })
        .collect();
    FeatureCollection { bbox: None, features, foreign_members: None }.to_string()
}

fn grids_geojson(view: &api::MapView) -> String {
    let features = view
        .grids
        .iter()
        .map(|g| {
            let mut p = JsonObject::new();
            p.insert("code".into(), g.code.clone().into());
            p.insert("name".into(), g.name.clone().into());
            p.insert("enterprise_count".into(), g.enterprise_count.into());
            p.insert("workers".into(), g.workers.join("、").into());
            let geometry = serde_json::from_value::<Geometry>(g.geometry.clone()).ok();
            Feature { geometry, properties: Some(p), ..Default::default() }
        })
        .collect();
    FeatureCollection { bbox: None, features, foreign_members: None }.to_string()
}

/// A CSV cell: text (written so that a spreadsheet never runs it as a formula) or a number
/// (written as it is: a negative longitude must stay a number).
pub(super) enum Cell {
    Text(String),
    Number(String),
}

impl Cell {
    pub(super) fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub(super) fn number(n: impl ToString) -> Cell {
        Cell::Number(n.to_string())
    }

    /// Text starting with `=`, `+`, `-`, `@`, a tab or a carriage return is what Excel and
    /// LibreOffice take for a formula (`=HYPERLINK(…)` in an imported name): it gets a leading
    /// `'`, which they show as text. `domain::enterprise` drops that `'` again on import.
    fn written(self) -> String {
        match self {
            Cell::Text(t) if domain::enterprise::looks_like_formula(&t) => format!("'{t}"),
            Cell::Text(t) | Cell::Number(t) => t,
        }
    }
}

/// UTF-8 with a byte-order mark, so that Excel on a Chinese Windows reads it right.
pub(super) fn csv_text(header: &[&str], rows: impl Iterator<Item = Vec<Cell>>) -> Result<String, ApiError> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let fail = |e: csv::Error| ApiError::Internal(e.into());
    w.write_record(header).map_err(fail)?;
    for r in rows {
        w.write_record(r.into_iter().map(Cell::written)).map_err(fail)?;
    }
    let bytes = w.into_inner().map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))?;
    String::from_utf8(bytes).map_err(|e| ApiError::Internal(e.into()))
}

fn enterprises_csv(view: &api::MapView) -> Result<String, ApiError> {
    csv_text(
        &["id", "name", "address", "industry", "lon", "lat", "grid_code", "weight"],
        view.enterprises.iter().map(|e| {
            vec![
                Cell::text(e.external_id.clone()),
                Cell::text(e.name.clone()),
                Cell::text(e.address.clone().unwrap_or_default()),
                Cell::text(e.industry.clone().unwrap_or_default()),
                Cell::number(e.lon),
                Cell::number(e.lat),
                Cell::text(e.grid_code.clone()),
                Cell::number(e.weight),
            ]
        }),
    )
}

fn grids_csv(view: &api::MapView) -> Result<String, ApiError> {
    csv_text(
        &["code", "name", "enterprise_count", "workers", "geometry"],
        view.grids.iter().map(|g| {
            vec![
                Cell::text(g.code.clone()),
                Cell::text(g.name.clone()),
                Cell::number(g.enterprise_count),
                Cell::text(g.workers.join("、")),
                Cell::text(g.geometry.to_string()),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_cell_that_a_spreadsheet_would_run_is_written_as_text_and_numbers_stay_numbers() {
        assert_eq!(Cell::text("=HYPERLINK(\"http://x\",\"点我\")").written(), "'=HYPERLINK(\"http://x\",\"点我\")");
        for bad in ["+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"] {
            assert!(Cell::text(bad).written().starts_with('\''), "{bad:?}");
        }
        assert_eq!(Cell::text("中壢工業區 A 厂").written(), "中壢工業區 A 厂");
        assert_eq!(Cell::number(-121.5).written(), "-121.5");
    }
}
