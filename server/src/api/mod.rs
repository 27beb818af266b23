//! The JSON API under `/api/v1`, `/health`, and its OpenAPI description at
//! `/api/openapi.json`. Handlers are thin: they authenticate, call a `store` service and map
//! the result; only `api` types cross the wire.

mod cases;
mod error;
mod export;
mod field;
mod figures;
mod handlers;
pub(crate) mod public;
mod session;

pub use error::ApiError;
pub use session::{CurrentUser, Peer};

use crate::state::AppState;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    modifiers(&SessionScheme),
    info(
        title = "parkgrid API",
        description = "Grid management for industrial parks (DB33/T 2320-2021). Sign in with POST /api/v1/session; the session cookie authenticates the other calls."
    ),
    components(schemas(
        api::SignIn,
        api::cases::CaseSummary,
        api::cases::CaseEvent,
        api::cases::CaseDetail,
        api::cases::CaseAttachment,
        api::cases::CaseTask,
        api::cases::CaseFinding,
        api::cases::CaseList,
        api::cases::BoxCount,
        api::cases::CaseBox,
        api::cases::NewCase,
        api::cases::TransitionRefused,
        api::cases::Stage,
        api::cases::Mode,
        api::cases::Action,
        api::cases::ActionKind,
        api::cases::Satisfaction,
        api::cases::Urgency,
        api::figures::Dashboard,
        api::figures::Scorecards,
        api::figures::ScoreLine,
        api::figures::ScoreOf,
        api::figures::Report,
        api::public::PublicPage,
        api::public::PublicGrid,
        api::public::PublicWorker,
        api::public::PublicServiceItem,
        api::public::PublicNotice,
        api::public::PublicAttachment,
        api::public::NoticeKind,
        api::public::DepartmentFigures,
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
        api::VisitStatus,
        api::RecordStatus,
        api::PlanProblem,
        api::PlanProblemKind
    ))
)]
pub struct ApiDoc;

/// The session cookie as the document's security scheme `session`: every operation that needs
/// a signed-in user says so (`security(("session" = []))`), and a test checks each such route
/// answers 401 without one and each other route does not.
struct SessionScheme;

impl utoipa::Modify for SessionScheme {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme("session", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(app::ssr::COOKIE_NAME))));
    }
}

/// The JSON API and its OpenAPI document, from one registration: a route is served if and
/// only if it is documented (utoipa-axum reads each handler's `#[utoipa::path]`).
pub fn router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(handlers::health))
        .routes(routes!(handlers::ready))
        .routes(routes!(handlers::sign_in, handlers::sign_out))
        .routes(routes!(handlers::me))
        .routes(routes!(handlers::my_enterprises))
        .routes(routes!(export::export))
        .routes(routes!(handlers::park))
        .routes(routes!(handlers::list_plans, handlers::create_plan))
        .routes(routes!(handlers::activate_plan))
        .routes(routes!(handlers::plan_diff))
        .routes(routes!(field::sync))
        .routes(routes!(field::my_field))
        .routes(routes!(field::get_photo, field::put_photo, field::photo_head))
        .routes(routes!(cases::list_cases, cases::open_case))
        .routes(routes!(cases::get_case))
        .routes(routes!(cases::act_on_case))
        .routes(routes!(cases::get_attachment))
        .routes(routes!(figures::dashboard))
        .routes(routes!(figures::scorecards))
        .routes(routes!(figures::csv))
        .routes(routes!(figures::report_xlsx))
        .routes(routes!(public::public_data))
        .routes(routes!(public::public_attachment))
        .routes(routes!(crate::tiles::tile))
        .routes(routes!(crate::tiles::info))
        .split_for_parts()
}

/// The OpenAPI document of [`router`].
pub fn openapi() -> utoipa::openapi::OpenApi {
    router().1
}

/// The API's routes, with `/api/openapi.json` serving their document.
pub fn routes() -> Router<AppState> {
    let (router, doc) = router();
    let doc = std::sync::Arc::new(doc);
    router.route(OPENAPI_PATH, get(move || std::future::ready(Json(doc.as_ref().clone())))).layer(axum::middleware::from_fn(error::rejections_as_json))
}

/// Where the OpenAPI document is served.
pub const OPENAPI_PATH: &str = "/api/openapi.json";
