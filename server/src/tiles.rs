//! The basemap (issue 5): nothing needs online tiles. Optionally, a configurable XYZ tile URL
//! (`PARKGRID_BASEMAP_URL`, e.g. a Tianditu or OSM-based server; off by default), and a local
//! PMTiles archive (`PARKGRID_BASEMAP_PMTILES`) served at plain tile URLs,
//! `GET /tiles/{z}/{x}/{y}`, so that browsers and the service worker can cache them like any
//! other file. `GET /api/v1/basemap` tells the map what there is.

use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use pmtiles::{AsyncPmTilesReader, Compression, MmapBackend, TileCoord, TileType};
use std::sync::Arc;

/// What the map may draw under the grids.
#[derive(Clone, Default)]
pub struct Basemap {
    pub archive: Option<Arc<AsyncPmTilesReader<MmapBackend>>>,
    pub url: Option<String>,
    pub attribution: Option<String>,
}

impl Basemap {
    /// Opens the archive at `path`, if one is configured; a bad archive stops the server
    /// starting, with the reason.
    pub async fn open(path: Option<&str>, url: Option<String>, attribution: Option<String>) -> anyhow::Result<Basemap> {
        let archive = match path {
            Some(p) => Some(Arc::new(AsyncPmTilesReader::new_with_path(p).await.map_err(|e| anyhow::anyhow!("PARKGRID_BASEMAP_PMTILES={p}: {e}"))?)),
            None => None,
        };
        Ok(Basemap { archive, url, attribution })
    }
}

fn mime(t: TileType) -> &'static str {
    match t {
        TileType::Mvt => "application/vnd.mapbox-vector-tile",
        TileType::Png => "image/png",
        TileType::Jpeg => "image/jpeg",
        TileType::Webp => "image/webp",
        _ => "application/octet-stream",
    }
}

fn kind(t: TileType) -> &'static str {
    match t {
        TileType::Mvt => "vector",
        TileType::Png | TileType::Jpeg | TileType::Webp => "raster",
        _ => "unknown",
    }
}

/// `GET /tiles/{z}/{x}/{y}` (a `.ext` after `y` is allowed): the tile's bytes as stored, with
/// their `Content-Encoding`; 404 outside the archive or without one.
#[utoipa::path(get, path = "/tiles/{z}/{x}/{y}",
    params(("z" = u8, Path, description = "zoom"), ("x" = u32, Path, description = "column"), ("y" = String, Path, description = "row, optionally with an extension")),
    responses((status = 200, description = "the tile, as stored in the PMTiles archive (public, cacheable)"), (status = 404, description = "no such tile, or no archive")))]
pub async fn tile(State(state): State<AppState>, Path((z, x, y)): Path<(u8, u32, String)>) -> Response {
    let Some(archive) = state.basemap.archive.as_ref() else { return StatusCode::NOT_FOUND.into_response() };
    let Ok(y) = y.split('.').next().unwrap_or("").parse::<u32>() else { return StatusCode::NOT_FOUND.into_response() };
    let Ok(coord) = TileCoord::new(z, x, y) else { return StatusCode::NOT_FOUND.into_response() };
    match archive.get_tile(coord).await {
        Ok(Some(bytes)) => {
            let h = archive.get_header();
            let mut r = ([(header::CONTENT_TYPE, mime(h.tile_type)), (header::CACHE_CONTROL, "public, max-age=604800")], bytes).into_response();
            let enc = match h.tile_compression {
                Compression::Gzip => Some("gzip"),
                Compression::Brotli => Some("br"),
                Compression::Zstd => Some("zstd"),
                _ => None,
            };
            if let Some(enc) = enc {
                r.headers_mut().insert(header::CONTENT_ENCODING, header::HeaderValue::from_static(enc));
            }
            r
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "reading a tile failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `GET /api/v1/basemap`: `{ "url": … | null, "attribution": … | null, "local": { "url", "kind",
/// "min_zoom", "max_zoom", "bounds" } | null }`.
/// Public: the sign-in page may show a map one day, and it says nothing about the park.
#[utoipa::path(get, path = "/api/v1/basemap", responses((status = 200, description = "the basemap the maps draw under the grids, if any")))]
pub async fn info(State(state): State<AppState>) -> impl IntoResponse {
    let local = state.basemap.archive.as_ref().map(|a| {
        let h = a.get_header();
        serde_json::json!({
            "url": "/tiles/{z}/{x}/{y}",
            "kind": kind(h.tile_type),
            "min_zoom": h.min_zoom,
            "max_zoom": h.max_zoom,
            "bounds": [h.min_longitude, h.min_latitude, h.max_longitude, h.max_latitude],
        })
    });
    axum::Json(serde_json::json!({ "url": state.basemap.url, "attribution": state.basemap.attribution, "local": local }))
}
