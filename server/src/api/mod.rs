//! The JSON API under `/api/v1`, `/health`, and its OpenAPI description at
//! `/api/openapi.json`. Handlers are thin: they authenticate, call a `store` service and map
//! the result; only `api` types cross the wire.

mod error;
mod export;
mod field;
mod handlers;
mod session;

pub use error::ApiError;
pub use session::CurrentUser;

use crate::startup::AppState;
use axum::routing::{get, post};
use axum::{Json, Router};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "parkgrid API",
        description = "Grid management for industrial parks (DB33/T 2320-2021). Sign in with POST /api/v1/session; the session cookie authenticates the other calls."
    ),
    paths(
        handlers::sign_in,
        handlers::sign_out,
        handlers::me,
        handlers::my_enterprises,
        handlers::park,
        handlers::health,
        handlers::ready,
        handlers::list_plans,
        handlers::create_plan,
        handlers::activate_plan,
        handlers::plan_diff,
        field::sync,
        field::put_photo,
        field::photo_head,
        field::get_photo,
        field::my_field,
        export::export
    ),
    components(schemas(
        api::SignIn,
        api::Me,
        api::GridRef,
        api::ApiError,
        api::MapView,
        api::GridView,
        api::EnterpriseView,
        api::Health,
        api::Role,
        api::NewPlan,
        api::PlanSummary,
        api::PlanFigures,
        api::PlanStatus,
        api::PlanDiff,
        api::GridMove,
        api::SyncBatch,
        api::SyncRecord,
        api::SyncReply,
        api::Receipt,
        api::Rejection,
        api::ReceiptStatus,
        api::PhotoProgress,
        api::FieldData,
        api::FieldEnterprise,
        api::FieldGrid,
        api::VisitView,
        api::DemandView,
        api::FindingView,
        api::Visit,
        api::Finding,
        api::Reinspection,
        api::Demand,
        api::DemandCategory,
        api::FindingKind,
        api::HazardGrade,
        api::RectificationResult,
        api::Fix,
        api::PhotoMeta,
        api::VisitStatus
    ))
)]
pub struct ApiDoc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/health", get(handlers::health))
        .route("/ready", get(handlers::ready))
        .route("/api/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
        .route("/api/v1/session", post(handlers::sign_in).delete(handlers::sign_out))
        .route("/api/v1/me", get(handlers::me))
        .route("/api/v1/my/enterprises", get(handlers::my_enterprises))
        .route("/api/v1/export/{file}", get(export::export))
        .route("/api/v1/park", get(handlers::park))
        .route("/api/v1/plans", get(handlers::list_plans).post(handlers::create_plan))
        .route("/api/v1/plans/{id}/activate", post(handlers::activate_plan))
        .route("/api/v1/plans/{a}/diff/{b}", get(handlers::plan_diff))
        .route("/api/v1/sync", post(field::sync))
        .route("/api/v1/my/field", get(field::my_field))
        .route("/api/v1/photos/{id}", get(field::get_photo).put(field::put_photo).head(field::photo_head))
}
