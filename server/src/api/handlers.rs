//! The route handlers. Each: authenticate, check the capability, call the store, map.

use super::export::MapQuery;
use super::{ApiError, CurrentUser};
use crate::state::AppState;
use api::{Health, MapView, Me, NewPlan, PlanSummary, SignIn};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use domain::Capability;
use geojson::{Feature, FeatureCollection, Geometry, GeometryValue, JsonObject};

/// Sign in: sets the session cookie.
#[utoipa::path(post, path = "/api/v1/session", request_body = SignIn,
    responses((status = 200, description = "signed in; the response sets the session cookie", body = Me),
              (status = 401, description = "wrong login or password", body = api::ApiError),
              (status = 429, description = "too many failed attempts; see Retry-After", body = api::ApiError)))]
pub async fn sign_in(
    State(state): State<AppState>,
    super::Peer(peer): super::Peer,
    headers: HeaderMap,
    Json(body): Json<SignIn>,
) -> Result<impl IntoResponse, ApiError> {
    let device = app::ssr::device_token(&headers);
    let attempt = store::auth::Attempt {
        login: &body.login,
        password: &body.password,
        address: app::ssr::client_address(&headers, peer, state.ctx.trust_proxy),
        device: device.as_deref(),
    };
    let signed = store::auth::sign_in(&state.ctx.db, attempt).await?;
    let me = store::views::me(&state.ctx.db, &signed.user, app::ssr::chosen_park(&headers).as_deref()).await?;
    let https = state.ctx.cookie.https(&headers);
    let mut res = ([(header::SET_COOKIE, state.ctx.cookie.set(&signed.token, https))], Json(me)).into_response();
    if let Some(d) = &signed.device {
        if let Ok(v) = header::HeaderValue::from_str(&state.ctx.cookie.device(d, https)) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    Ok(res)
}

/// Sign out: ends the session and clears the cookie. Signing out twice is fine.
#[utoipa::path(delete, path = "/api/v1/session", responses((status = 204, description = "signed out")))]
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Result<impl IntoResponse, ApiError> {
    if let Some(token) = app::ssr::session_token(&headers) {
        store::auth::sign_out(&state.ctx.db, &token).await?;
    }
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, state.ctx.cookie.clear(state.ctx.cookie.https(&headers)))]))
}

/// The signed-in user, with their grids.
#[utoipa::path(get, path = "/api/v1/me",
    security(("session" = [])), responses((status = 200, body = Me), (status = 401, body = api::ApiError)))]
pub async fn me(State(state): State<AppState>, who: CurrentUser) -> Result<Json<Me>, ApiError> {
    Ok(Json(store::views::me(&state.ctx.db, &who.user, who.chosen_park.as_deref()).await?))
}

/// The enterprises of the signed-in worker's grids, as a GeoJSON FeatureCollection of points
/// (properties: id, external_id, name, address, industry, grid_code).
#[utoipa::path(get, path = "/api/v1/my/enterprises",
    security(("session" = [])), responses((status = 200, description = "GeoJSON FeatureCollection", content_type = "application/geo+json"),
              (status = 401, body = api::ApiError), (status = 403, body = api::ApiError)))]
pub async fn my_enterprises(State(state): State<AppState>, who: CurrentUser) -> Result<impl IntoResponse, ApiError> {
    who.require(Capability::ViewOwnGrid)?;
    let view = store::views::worker_map(&state.ctx.db, who.user.id).await?;
    let features = view.map(|v| v.enterprises).unwrap_or_default().into_iter().map(feature).collect();
    let fc = FeatureCollection { bbox: None, features, foreign_members: None };
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], fc.to_string()))
}

fn feature(e: api::EnterpriseView) -> Feature {
    let mut props = JsonObject::new();
    props.insert("id".into(), e.id.into());
    props.insert("external_id".into(), e.external_id.into());
    props.insert("name".into(), e.name.into());
    props.insert("address".into(), e.address.into());
    props.insert("industry".into(), e.industry.into());
    props.insert("grid_code".into(), e.grid_code.into());
    Feature { geometry: Some(Geometry::new(GeometryValue::new_point([e.lon, e.lat]))), properties: Some(props), ..Default::default() }
}

/// The park under its active plan: every grid with its workers and every enterprise.
/// Managers, departments and admins; under another plan (`?plan=ID`), managers. The park
/// page's map draws this.
#[utoipa::path(get, path = "/api/v1/park", security(("session" = [])), params(MapQuery),
    responses((status = 200, body = MapView), (status = 401, body = api::ApiError), (status = 403, body = api::ApiError), (status = 404, body = api::ApiError)))]
pub async fn park(State(state): State<AppState>, who: CurrentUser, Query(q): Query<MapQuery>) -> Result<Json<MapView>, ApiError> {
    super::export::map_view(&state, &who, &q).await.map(Json)
}

/// Liveness and database reachability.
#[utoipa::path(get, path = "/health", responses((status = 200, body = Health), (status = 503, body = Health)))]
pub async fn health(State(state): State<AppState>) -> impl IntoResponse {
    let ok = state.ctx.db.ping().await.is_ok();
    let body = Health {
        status: if ok { "ok" } else { "unavailable" }.into(),
        database: store::db::engine(&state.ctx.db).into(),
        version: env!("CARGO_PKG_VERSION").into(),
    };
    (if ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE }, Json(body))
}

/// Readiness, for a load balancer: 200 while the server takes work (its database answers and
/// it is not shutting down), 503 otherwise. `/health` says whether it is alive at all.
#[utoipa::path(get, path = "/ready", responses((status = 200, description = "ready for work"), (status = 503, description = "shutting down, or the database does not answer")))]
pub async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    if state.stopping.is_set() {
        return (StatusCode::SERVICE_UNAVAILABLE, "stopping");
    }
    match state.ctx.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

/// Which park a route is about (`?park=CODE`, one of the user's; without it, the park the
/// pages show, else the user's first).
#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct ParkQuery {
    pub park: Option<String>,
}

/// The park's grid plans, newest first, with the partitioner's figures. Managers.
#[utoipa::path(get, path = "/api/v1/plans", security(("session" = [])), params(ParkQuery),
    responses((status = 200, body = [PlanSummary]), (status = 401, body = api::ApiError), (status = 403, body = api::ApiError)))]
pub async fn list_plans(State(state): State<AppState>, who: CurrentUser, Query(q): Query<ParkQuery>) -> Result<Json<Vec<PlanSummary>>, ApiError> {
    who.require(Capability::ManagePlans)?;
    let park = who.park(&state.ctx.db, q.park.as_deref()).await?;
    Ok(Json(store::plans::list(&state.ctx.db, park.id).await?))
}

/// Computes a draft plan with the partitioner (starting from the active plan, so grids keep
/// their place and codes where they can). Managers.
#[utoipa::path(post, path = "/api/v1/plans", security(("session" = [])), params(ParkQuery), request_body = NewPlan,
    responses((status = 201, body = PlanSummary), (status = 401, body = api::ApiError), (status = 403, body = api::ApiError),
              (status = 422, description = "limits out of range", body = api::ApiError)))]
pub async fn create_plan(
    State(state): State<AppState>,
    who: CurrentUser,
    Query(q): Query<ParkQuery>,
    Json(body): Json<NewPlan>,
) -> Result<impl IntoResponse, ApiError> {
    who.require(Capability::ManagePlans)?;
    let park = who.park(&state.ctx.db, q.park.as_deref()).await?;
    let standard = partition::Limits::default();
    let limits = partition::Limits { min: body.min.unwrap_or(standard.min), max: body.max.unwrap_or(standard.max) };
    if limits.min == 0 || limits.min > limits.max {
        return Err(ApiError::Invalid(format!("min {} and max {}: need 1 ≤ min ≤ max", limits.min, limits.max)));
    }
    let plan = store::plans::compute_draft(&state.ctx.db, park.id, limits, body.name, Some(who.user.id)).await?;
    Ok((StatusCode::CREATED, Json(plan)))
}

/// Makes a draft the park's active plan; the previous one is retired and workers keep the
/// grids whose codes survive. Managers.
#[utoipa::path(post, path = "/api/v1/plans/{id}/activate", security(("session" = [])), params(("id" = i64, Path, description = "plan id")),
    responses((status = 200, body = PlanSummary), (status = 401, body = api::ApiError), (status = 403, body = api::ApiError),
              (status = 404, body = api::ApiError), (status = 409, description = "not a draft", body = api::ApiError)))]
pub async fn activate_plan(State(state): State<AppState>, who: CurrentUser, Path(id): Path<i64>) -> Result<Json<PlanSummary>, ApiError> {
    who.require(Capability::ManagePlans)?;
    who.access.plan(&state.ctx.db, id).await?;
    let plan = store::plans::activate(&state.ctx.db, id, Some(who.user.id)).await?;
    let list = store::plans::list(&state.ctx.db, plan.park_id).await?;
    list.into_iter().find(|p| p.id == id).map(Json).ok_or(ApiError::NotFound("grid plan"))
}

/// Which enterprises change grid (and so worker) from plan `a` to plan `b` of one park.
#[utoipa::path(get, path = "/api/v1/plans/{a}/diff/{b}", security(("session" = [])), params(("a" = i64, Path, description = "the plan to compare from"), ("b" = i64, Path, description = "the plan to compare to")),
    responses((status = 200, body = api::PlanDiff), (status = 401, body = api::ApiError), (status = 403, body = api::ApiError),
              (status = 404, body = api::ApiError), (status = 409, description = "plans of different parks", body = api::ApiError)))]
pub async fn plan_diff(State(state): State<AppState>, who: CurrentUser, Path((a, b)): Path<(i64, i64)>) -> Result<Json<api::PlanDiff>, ApiError> {
    who.require(Capability::ManagePlans)?;
    who.access.plan(&state.ctx.db, a).await?;
    who.access.plan(&state.ctx.db, b).await?;
    Ok(Json(store::plans::diff(&state.ctx.db, a, b).await?))
}
