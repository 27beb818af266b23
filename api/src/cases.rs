//! Cases (issue 13): what the inboxes, the case page and the API show of the service loop.

use serde::{Deserialize, Serialize};

pub use domain::calendar::Urgency;
pub use domain::case::{Action, ActionKind, Mode, RectificationPlan, Satisfaction, Stage};
pub use domain::field::{DemandCategory, HazardGrade};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// One case in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CaseSummary {
    pub id: i64,
    pub park_code: String,
    pub enterprise_id: Option<i64>,
    pub enterprise_name: Option<String>,
    /// `demand` or `finding`.
    pub kind: String,
    /// A demand's service area (`domain::field::DemandCategory`) or a finding's kind.
    pub category: String,
    pub description: String,
    pub stage: Stage,
    pub mode: Option<Mode>,
    pub department_id: Option<i64>,
    pub department: Option<String>,
    /// 首问负责: who took it first.
    pub owner: Option<String>,
    /// RFC 3339.
    pub deadline: Option<String>,
    /// Where the case stands against its deadline (none while the clock is stopped or the
    /// case is done).
    pub urgency: Option<Urgency>,
    /// Waiting for the manager (returned by a department, extension asked, unsatisfied).
    pub flagged: bool,
    /// Working days asked for and not yet decided.
    pub pending_extension: Option<u32>,
    /// The earlier case of the same enterprise and category within 90 days.
    pub repeat_of: Option<i64>,
    pub rating: Option<Satisfaction>,
    /// RFC 3339.
    pub registered_at: String,
    /// A major hazard (重大隐患).
    #[serde(default)]
    pub major: bool,
    /// When the stage it is in must be left by (to be taken on, taken by the department,
    /// verified), RFC 3339; and whether that time has passed.
    #[serde(default)]
    pub stage_deadline: Option<String>,
    #[serde(default)]
    pub stage_late: bool,
}

/// A finding's case: where it was found, its rectification plan, the evidence of the fix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CaseFinding {
    pub grade: Option<HazardGrade>,
    /// Where it was found (WGS84).
    pub lon: f64,
    pub lat: f64,
    /// The photos taken when it was found (ids for `GET /api/v1/photos/{id}`).
    pub photos: Vec<String>,
    /// A major hazard's rectification plan, once recorded.
    pub plan: Option<RectificationPlan>,
    /// The after-photo that shows the rectification, and how far from the finding it was
    /// taken (none when the phone had no fix).
    pub after_photo: Option<String>,
    pub after_distance_m: Option<f64>,
    /// Farther than `domain::field::AFTER_PHOTO_FAR_M`: the verifier should look twice.
    pub far: bool,
}

/// One transition in a case's timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CaseEvent {
    /// RFC 3339.
    pub at: String,
    /// Who: a user's name, or none for the enterprise (its link) and the system.
    pub actor: Option<String>,
    /// `user`, `enterprise` or `system`.
    pub actor_kind: String,
    /// `register`, or an action's name.
    pub action: String,
    pub from_stage: Option<Stage>,
    pub to_stage: Stage,
    /// The action with what it said (reply, reason, department…).
    pub detail: Option<Action>,
}

/// `GET /api/v1/cases/{id}`: a case with its whole timeline, and what the caller may do now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CaseDetail {
    pub case: CaseSummary,
    pub events: Vec<CaseEvent>,
    /// The actions the caller may take in the case's stage.
    pub allowed: Vec<ActionKind>,
    /// A finding's place, plan and evidence (a demand: none).
    #[serde(default)]
    pub finding: Option<CaseFinding>,
    /// 全程代理: the sub-task of each department.
    #[serde(default)]
    pub tasks: Vec<CaseTask>,
    /// Files its handlers attached (`GET /api/v1/cases/{id}/attachments/{attachment}`).
    #[serde(default)]
    pub attachments: Vec<CaseAttachment>,
    /// Whether the caller may attach a file now.
    #[serde(default)]
    pub may_attach: bool,
}

/// A file attached to a case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CaseAttachment {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    pub uploaded_by: Option<String>,
    /// RFC 3339.
    pub uploaded_at: String,
}

/// A 全程代理 case's sub-task for one department.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CaseTask {
    pub department_id: i64,
    pub department: String,
    pub done: bool,
    /// The department's answer, once done.
    pub reply: Option<String>,
    /// RFC 3339.
    pub done_at: Option<String>,
}

/// The inbox's boxes: which cases a list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseBox {
    /// Everything still open that the caller handles.
    #[default]
    Open,
    /// 登记: not yet taken on.
    New,
    /// Due by the end of the next working day.
    DueSoon,
    /// Past the deadline (催办, 督办 included).
    Overdue,
    /// An extension waiting for a decision.
    Extensions,
    /// Returned by a department, or rated unsatisfied: waiting for the manager.
    Flagged,
    /// 挂账.
    Ledger,
    /// Done.
    Closed,
}

impl CaseBox {
    pub const ALL: [CaseBox; 8] =
        [CaseBox::Open, CaseBox::New, CaseBox::DueSoon, CaseBox::Overdue, CaseBox::Extensions, CaseBox::Flagged, CaseBox::Ledger, CaseBox::Closed];
}

/// `GET /api/v1/cases`: one box of the caller's cases, newest first, and the count of every box.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CaseList {
    pub cases: Vec<CaseSummary>,
    /// More cases are in the box than listed.
    pub more: bool,
    pub counts: Vec<BoxCount>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BoxCount {
    pub name: CaseBox,
    pub count: u64,
}

/// `POST /api/v1/cases`: a demand registered at the service hall (a visitor, a phone call).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewCase {
    pub enterprise_id: i64,
    pub category: DemandCategory,
    pub description: String,
}

/// A refused transition (409): the case's stage and what it allows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TransitionRefused {
    /// `not_in_stage`.
    pub error: String,
    pub message: String,
    pub stage: Stage,
    pub allowed: Vec<ActionKind>,
}

/// `/e/{token}`: what an enterprise sees through its own link — its cases and their status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Portal {
    pub enterprise: String,
    pub park: String,
    pub cases: Vec<PortalCase>,
}

/// One of the enterprise's cases, as the enterprise sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PortalCase {
    pub id: i64,
    pub category: String,
    pub description: String,
    pub stage: Stage,
    /// RFC 3339.
    pub registered_at: String,
    /// The last answer given (办理答复, 即时办结, 退回答复).
    pub answer: Option<String>,
    pub rating: Option<Satisfaction>,
    /// Closed and not rated yet.
    pub can_rate: bool,
}

/// An enterprise's link, issued by the center: the address (relative) and its QR code (SVG).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EnterpriseLink {
    pub path: String,
    pub qr_svg: String,
}

/// A row of the time limits table (时限): working days a handling mode allows a kind of case,
/// for one category or for any (`*`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TimeLimitRow {
    /// `demand` or `finding`.
    pub kind: String,
    /// A category, or `*` for any.
    pub category: String,
    pub mode: Mode,
    pub working_days: u32,
    /// A limit in hours (clock time from when the clock starts) instead of working days.
    #[serde(default)]
    pub hours: Option<u32>,
}

/// A stage's limit: the working days a case may wait in it (登记: to be taken on; 派遣: to be
/// taken by its department; 核查: to be verified).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StageLimitRow {
    pub stage: Stage,
    pub working_days: u32,
    /// A limit in hours (clock time from when the case enters the stage) instead of working days.
    #[serde(default)]
    pub hours: Option<u32>,
}

/// Both limits tables: per category and mode (the whole case), per stage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Limits {
    pub modes: Vec<TimeLimitRow>,
    pub stages: Vec<StageLimitRow>,
}

/// A year of the official calendar the database holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CalendarYear {
    pub year: i32,
    /// Where it came from.
    pub source: String,
    /// Holidays (days off on weekdays included).
    pub holidays: u32,
    /// Make-up working days (调休).
    pub workdays: u32,
}
