//! The wire: every type that crosses between the server and a client (the browser app, the
//! field app's sync, third parties) lives here and nowhere else.
//!
//! **Architecture invariant:** these are plain serde types. They never hold database models;
//! the server maps its models into them. A change here is an API change: keep fields additive.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

pub use domain::{PlanStatus, Role};
/// Clause 5.3.1: enterprises per grid worker (and so per grid), for the pages.
pub use domain::grid::WORKER_LOAD;

pub mod cases;
pub mod figures;
pub mod public;
mod refusal;
pub use refusal::{RefusalCode, Refused};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// `POST /api/v1/session` body.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SignIn {
    pub login: String,
    pub password: String,
}

/// A grid, as named to the people who work in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GridRef {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// The signed-in user.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Me {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    /// The grids of the active plan this user is assigned to (workers only).
    pub grids: Vec<GridRef>,
    /// The parks this user works in, by code.
    #[serde(default)]
    pub parks: Vec<ParkRef>,
    /// The park the pages are showing (the park switcher's choice, else the first).
    #[serde(default)]
    pub park: Option<String>,
    /// A department officer's department.
    #[serde(default)]
    pub department: Option<String>,
    /// The password was reset: nothing but choosing a new one is allowed.
    #[serde(default)]
    pub must_change_password: bool,
    /// Cases waiting for this user (the top bar's badge): for the center, new, flagged,
    /// extension requests and overdue; for a department, sent and not taken, or overdue; for a
    /// worker, to verify or to have rated.
    #[serde(default)]
    pub cases_waiting: u64,
}

/// A park, named.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ParkRef {
    pub code: String,
    pub name: String,
}

/// A park at a glance, for the overview of those who work in several: clause 5.3.1's flags
/// (workers outside 20–40 enterprises, grids with nobody) side by side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ParkOverview {
    pub code: String,
    pub name: String,
    pub enterprises: usize,
    pub grids: usize,
    pub workers: usize,
    /// Active workers with a load outside 20–40 enterprises, or no grid.
    pub workers_flagged: usize,
    pub grids_without_worker: usize,
    pub plan_version: Option<i32>,
}

/// A user account as the administrator's accounts page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Account {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    /// Every park (a district administrator).
    pub all_parks: bool,
    /// Park codes.
    pub parks: Vec<String>,
    /// A department officer's department (its name).
    pub department: Option<String>,
    pub must_change_password: bool,
}

/// A new account: for a department officer, `department` (a code); for anyone but an
/// all-parks administrator, at least one park (codes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewAccount {
    pub login: String,
    pub display_name: String,
    pub role: Role,
    #[serde(default)]
    pub parks: Vec<String>,
    #[serde(default)]
    pub all_parks: bool,
    #[serde(default)]
    pub department: Option<String>,
}

/// A functional department (职能部门).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Department {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub active: bool,
    /// Active officers of this department.
    pub officers: usize,
}

/// An error as every API route and server function reports it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApiError {
    /// Stable machine-readable code: `unauthenticated`, `forbidden`, `bad_credentials`,
    /// `throttled`, `not_found`, `invalid_input`, `internal`.
    pub error: String,
    /// A sentence for people.
    pub message: String,
    /// For a refused input (`conflict`, or `invalid_input` for a case's action): why, as a
    /// code to match on, and the part of the input it names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<Refused>,
}

/// One enterprise as the map and the list show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EnterpriseView {
    pub id: i64,
    pub external_id: String,
    pub name: String,
    pub address: Option<String>,
    pub industry: Option<String>,
    pub lon: f64,
    pub lat: f64,
    pub grid_code: String,
    /// Workload weight (1 = an ordinary enterprise).
    #[serde(default = "one")]
    pub weight: f64,
}

/// One grid with its area (a GeoJSON geometry) and figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GridView {
    pub id: i64,
    pub code: String,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub geometry: Json,
    pub enterprise_count: u32,
    /// Display names of the workers assigned to it.
    pub workers: Vec<String>,
}

/// What a map page needs: the park, the grids in view and their enterprises.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MapView {
    pub park_code: String,
    pub park_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub park_boundary: Json,
    pub plan_version: Option<i32>,
    pub grids: Vec<GridView>,
    pub enterprises: Vec<EnterpriseView>,
}

/// `GET /health`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Health {
    pub status: String,
    pub database: String,
    pub version: String,
}

/// `POST /api/v1/plans`: compute a draft plan with the partitioner.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewPlan {
    /// Fewest enterprises per grid (default 20, clause 5.3.1).
    pub min: Option<u32>,
    /// Most enterprises per grid (default 40).
    pub max: Option<u32>,
    pub name: Option<String>,
}

/// The partitioner's quality figures of a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PlanFigures {
    pub grids: usize,
    pub min_count: usize,
    pub max_count: usize,
    pub outside_limits: usize,
    pub workload_cv: f64,
    pub worst_deviation: f64,
    pub compactness_mean: f64,
    pub compactness_min: f64,
    pub pieces: usize,
    /// Overlap between grids, as a share of the park's area.
    pub overlap: f64,
    /// Ground of the park in no grid, as a share of its area.
    pub gap: f64,
    pub coverage_error: f64,
    pub seconds: f64,
    pub warnings: Vec<String>,
}

/// A grid plan of a park.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PlanSummary {
    pub id: i64,
    pub version: i32,
    pub name: String,
    pub status: PlanStatus,
    pub grid_count: usize,
    pub figures: Option<PlanFigures>,
}

pub use domain::field::{
    CaseWork, CaseWorkKind, Demand, DemandCategory, Finding, FindingKind, Fix, HazardGrade, PhotoMeta, RecordStatus, RectificationResult, Reinspection, Visit,
    VisitStatus,
};

/// One record a phone made, as it sends it to `POST /api/v1/sync`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SyncRecord {
    Visit(Visit),
    Finding(Finding),
    Reinspection(Reinspection),
    /// A case verified or rated in the field (issue 13).
    CaseWork(CaseWork),
}

impl SyncRecord {
    /// The one check of a record, by the phone before the record enters its outbox and by
    /// the server before it is stored: the rules of `domain::field` for its kind.
    pub fn check(&self, now: chrono::DateTime<chrono::Utc>) -> Result<(), domain::field::RecordError> {
        match self {
            SyncRecord::Visit(v) => v.check(now),
            SyncRecord::Finding(f) => f.check(now),
            SyncRecord::Reinspection(r) => r.check(now),
            SyncRecord::CaseWork(w) => w.check(now),
        }
    }

    pub fn id(&self) -> &str {
        match self {
            SyncRecord::Visit(v) => &v.id,
            SyncRecord::Finding(f) => &f.id,
            SyncRecord::Reinspection(r) => &r.id,
            SyncRecord::CaseWork(w) => &w.id,
        }
    }
}

/// `POST /api/v1/sync` body: records in the order they were made (a re-inspection after the
/// finding it inspects). Each is judged on its own: one malformed record is rejected, the
/// others are still stored.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SyncBatch {
    /// The user the phone made these records for. When given and not the signed-in user, the
    /// whole batch is refused (409) and nothing is stored: a shared phone never sends one
    /// worker's records as another's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_id: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<SyncRecord>))]
    pub records: Vec<Json>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReceiptStatus {
    /// Stored now.
    Created,
    /// A record with this id was already stored; nothing changed.
    Duplicate,
    /// Not stored, and sending it again will not help (see `rejection`); the phone keeps it,
    /// marked, for the worker to see.
    Rejected,
    /// Not stored now, for a reason that may pass (see `rejection`): send it again later.
    Retry,
}

/// Why a record was not stored. The field app translates each kind; `Receipt::reason` is the
/// same in English, for logs and other clients.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rejection {
    /// Not a record, or one that breaks a rule of the standard (a missing grade, a time in the
    /// future…): final.
    Invalid { detail: String },
    /// When the record was made, the worker held no grid holding its enterprise (or, for a
    /// patrol finding, its position). Retried: a manager may record the assignment.
    NotYourGrid { enterprise_id: Option<i64> },
    /// The finding a re-inspection inspects is not on the server yet (it may come from another
    /// phone): retried.
    UnknownFinding { finding_id: String },
    /// The re-inspection is dated before the finding it inspects: final.
    BeforeFinding { finding_id: String },
    /// The finding was closed already: final.
    FindingClosed { finding_id: String },
    /// A demand or photo id of the record was already used by another record: final.
    IdTaken { id: String },
    /// The server failed to store this record (the others of the batch are unaffected):
    /// retried.
    ServerError,
    /// The case had moved on when this arrived (verified or reopened by someone else, rated
    /// already): final.
    CaseMovedOn { case_id: i64 },
    /// A re-inspection "fixed" by the worker who reported the fix: someone else verifies it
    /// (issue 13): final.
    FixReportedByYou { finding_id: String },
    /// The finding's case is not being rectified (a major hazard waiting for its plan or for
    /// the safety department): final.
    RectificationNotOpen { finding_id: String },
}

impl Rejection {
    /// Whether sending the record again later may succeed.
    pub fn retryable(&self) -> bool {
        match self {
            Rejection::NotYourGrid { .. } | Rejection::UnknownFinding { .. } | Rejection::ServerError => true,
            Rejection::Invalid { .. }
            | Rejection::BeforeFinding { .. }
            | Rejection::FindingClosed { .. }
            | Rejection::IdTaken { .. }
            | Rejection::CaseMovedOn { .. }
            | Rejection::FixReportedByYou { .. }
            | Rejection::RectificationNotOpen { .. } => false,
        }
    }

    /// The reason in English.
    pub fn message(&self) -> String {
        match self {
            Rejection::Invalid { detail } => detail.clone(),
            Rejection::NotYourGrid { enterprise_id: Some(e) } => format!("enterprise {e} was not in a grid of yours at that time"),
            Rejection::NotYourGrid { enterprise_id: None } => "the position was not in a grid of yours at that time".to_owned(),
            Rejection::UnknownFinding { finding_id } => format!("finding {finding_id} is unknown here (send it first)"),
            Rejection::BeforeFinding { finding_id } => format!("the re-inspection is dated before finding {finding_id}"),
            Rejection::FindingClosed { finding_id } => format!("finding {finding_id} is already closed"),
            Rejection::IdTaken { id } => format!("{id} was already used by another record"),
            Rejection::ServerError => "the server could not store it now".to_owned(),
            Rejection::CaseMovedOn { case_id } => format!("case {case_id} had moved on: someone else acted on it first"),
            Rejection::FixReportedByYou { finding_id } => format!("you reported the rectification of finding {finding_id}: someone else verifies it"),
            Rejection::RectificationNotOpen { finding_id } => {
                format!("finding {finding_id} is not being rectified now (its plan or its department is awaited)")
            }
        }
    }
}

/// The server's answer for one record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Receipt {
    /// The record's id (empty when the record had none).
    pub id: String,
    pub status: ReceiptStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection: Option<Rejection>,
}

impl Receipt {
    pub fn created(id: String) -> Receipt {
        Receipt { id, status: ReceiptStatus::Created, reason: None, rejection: None }
    }

    pub fn duplicate(id: String) -> Receipt {
        Receipt { id, status: ReceiptStatus::Duplicate, reason: None, rejection: None }
    }

    /// `Rejected` or `Retry`, as the rejection says.
    pub fn refused(id: String, rejection: Rejection) -> Receipt {
        let status = if rejection.retryable() { ReceiptStatus::Retry } else { ReceiptStatus::Rejected };
        Receipt { id, status, reason: Some(rejection.message()), rejection: Some(rejection) }
    }
}

/// `POST /api/v1/sync` answer: one receipt per record, in the batch's order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SyncReply {
    pub receipts: Vec<Receipt>,
}

/// How much of a photo the server holds (`PUT`/`HEAD /api/v1/photos/{id}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PhotoProgress {
    pub id: String,
    pub received: u64,
    pub size: u64,
    pub complete: bool,
}

/// An open finding, as the field app lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FindingView {
    pub id: String,
    pub enterprise_id: Option<i64>,
    pub grid_code: String,
    pub kind: FindingKind,
    pub grade: Option<HazardGrade>,
    pub description: String,
    pub lon: f64,
    pub lat: f64,
    pub found_at: String,
    pub deadline: String,
    pub overdue: bool,
    /// Ids of its photos whose bytes have all arrived.
    pub photos: Vec<String>,
}

/// An enterprise of the worker's grid with where it stands in the visiting round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FieldEnterprise {
    pub id: i64,
    pub name: String,
    pub address: Option<String>,
    pub lon: f64,
    pub lat: f64,
    pub grid_code: String,
    pub last_visit: Option<String>,
    /// Visits stored for it, all time.
    pub visits: u32,
    pub visit: VisitStatus,
    pub open_findings: u32,
}

/// A visit, as the enterprise page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct VisitView {
    pub id: String,
    pub enterprise_id: i64,
    pub started_at: String,
    pub met: String,
    pub notes: String,
    pub satisfaction: Option<i16>,
}

/// A demand heard on a visit, as the enterprise page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DemandView {
    pub id: String,
    pub enterprise_id: i64,
    pub category: DemandCategory,
    pub description: String,
    pub raised_at: String,
    /// Open until its case is closed.
    pub status: RecordStatus,
}

/// One of the worker's grids, for the field app's map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FieldGrid {
    pub code: String,
    /// GeoJSON geometry, WGS84.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub geometry: Json,
}

/// `GET /api/v1/my/field`: what the field app keeps on the phone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FieldData {
    pub visit_interval_days: i32,
    #[serde(default)]
    pub grids: Vec<FieldGrid>,
    pub enterprises: Vec<FieldEnterprise>,
    pub open_findings: Vec<FindingView>,
    /// Visits of the last 180 days to the worker's enterprises, newest first.
    #[serde(default)]
    pub recent_visits: Vec<VisitView>,
    /// Demands of the worker's enterprises still open, newest first.
    #[serde(default)]
    pub open_demands: Vec<DemandView>,
    /// Cases of the worker's enterprises waiting for them: to verify, or to have rated.
    #[serde(default)]
    pub cases: Vec<FieldCase>,
    /// The park's policies and news (5.5.1), newest first, as on its public page: the field
    /// app keeps them with the rest for offline reading and marks the unread.
    #[serde(default)]
    pub notices: Vec<public::PublicNotice>,
    /// The park's code (for the links to the notices' files).
    #[serde(default)]
    pub park_code: Option<String>,
    /// When the server assembled this (RFC 3339).
    pub as_of: String,
}

/// A case waiting for the worker at an enterprise of their grid (issue 13).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FieldCase {
    pub id: i64,
    pub enterprise_id: i64,
    pub category: String,
    pub description: String,
    /// The handler's answer, to check with the enterprise.
    pub answer: Option<String>,
    /// `true`: to verify (核查); `false`: closed, to have rated by the enterprise.
    pub to_verify: bool,
}

/// One enterprise that lies in different grids under two plans.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GridMove {
    pub enterprise_id: i64,
    pub name: String,
    /// Its grid's code under the first plan (None: in no grid).
    pub from: Option<String>,
    pub to: Option<String>,
    /// The workers assigned to those grids (display names).
    pub from_workers: Vec<String>,
    pub to_workers: Vec<String>,
}

/// `GET /api/v1/plans/{a}/diff/{b}`: which enterprises change grid, and so worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PlanDiff {
    pub from_plan: i64,
    pub to_plan: i64,
    /// Enterprises of the park that stay in a grid with the same code.
    pub unchanged: usize,
    pub moves: Vec<GridMove>,
}

/// One grid of a plan being edited: its code and its GeoJSON geometry (WGS84).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EditGrid {
    pub code: String,
    pub geometry: Json,
}

/// A hand edit of a plan, as the editor sends it. Coordinates are `[lon, lat]`, WGS84.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum EditOp {
    /// Nothing: just the figures of the grids as sent.
    None,
    /// Move the corner at `from` to `to` in every grid that has it.
    MoveVertex { from: [f64; 2], to: [f64; 2] },
    /// Cut the grid that `line` crosses in two.
    Split { line: Vec<[f64; 2]> },
    /// Merge two neighbouring grids.
    Merge { a: String, b: String },
    /// Redistribute the enterprises of these grids within their union.
    Rebalance { grids: Vec<String> },
    /// Redraw one grid freely: move its corner at `from` to `to` in that grid only (the
    /// overlaps and gaps it makes are reported, not refused).
    MoveOwnVertex { grid: String, from: [f64; 2], to: [f64; 2] },
    /// Cut the overlaps of a redrawn grid out of its neighbours (and the grid to the park).
    Clip { grid: String },
    /// Draw a new grid: the ground inside `ring` that is in the park and in no grid yet.
    Draw { ring: Vec<[f64; 2]> },
}

/// Why an edit was refused: `kind` for the page to translate, the `grids` concerned, and
/// `message` in English.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EditRefusal {
    pub kind: EditRefusalKind,
    pub grids: Vec<String>,
    pub message: String,
}

/// The reasons the plan editor refuses an edit (the page must translate every one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EditRefusalKind {
    /// A grid's edges would cross.
    EdgesCross,
    /// Two grids would overlap.
    Overlap,
    /// Ground of the park would be left in no grid.
    Gap,
    /// A grid would reach outside the park.
    OutsidePark,
    /// The line does not cut a grid in two.
    SplitMissed,
    /// The line cuts a grid into more than two pieces.
    SplitTooMany,
    /// The two grids to merge share no edge.
    NotNeighbours,
    /// The same grid was chosen twice.
    SameGrid,
    /// The corner to move is not a corner of any grid (the page is out of date).
    NoSuchCorner,
    /// A grid named by the edit is not in the plan (the page is out of date).
    NoSuchGrid,
    /// The new grid's code is taken.
    CodeTaken,
    /// Fewer than two grids chosen to rebalance.
    TooFewToRebalance,
    /// The grids chosen to rebalance hold no enterprise.
    NothingToRebalance,
    /// The partitioner could not divide the grids chosen.
    Partition,
    /// Clipping would make a neighbour vanish.
    ClipSwallows,
    /// A drawn grid needs at least three corners.
    DrawnTooSmall,
    /// The drawn outline holds no ground that is in no grid yet.
    NothingToDraw,
    /// A grid sent is not a valid polygon.
    BadGeometry,
    /// More grids than a plan may have.
    TooManyGrids,
    /// More points drawn than an edit may have.
    TooManyPoints,
}

/// One grid of a previewed plan with its figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PreviewGrid {
    pub code: String,
    pub geometry: Json,
    pub enterprise_count: usize,
    /// Workers of the active plan's grid with this code (they keep it when the plan is activated).
    pub workers: Vec<String>,
}

/// A problem of a plan found by the validator (gap, overlap, grid in pieces, enterprise in no
/// grid, grid outside 20–40 …), with the grids it concerns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PlanProblem {
    pub kind: PlanProblemKind,
    pub grids: Vec<String>,
    /// The enterprise it concerns (`unassigned`, `in_several`), by name.
    #[serde(default)]
    pub enterprise: Option<String>,
    pub message: String,
}

/// What is wrong with a plan (`partition::Finding`), for the page to translate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlanProblemKind {
    /// Two grids cover the same ground.
    Overlap,
    /// Ground of the park in no grid.
    Gap,
    /// A grid reaching outside the park.
    OutsidePark,
    /// A grid made of several separate polygons.
    InPieces,
    /// An enterprise in no grid.
    Unassigned,
    /// An enterprise on the edge of several grids.
    InSeveral,
    /// A grid whose enterprises are not 20–40 (clause 5.3.1).
    OutsideLimits,
}

impl PlanProblemKind {
    /// As on the wire (the page's CSS class of the problem).
    pub fn as_str(self) -> &'static str {
        match self {
            PlanProblemKind::Overlap => "overlap",
            PlanProblemKind::Gap => "gap",
            PlanProblemKind::OutsidePark => "outside_park",
            PlanProblemKind::InPieces => "in_pieces",
            PlanProblemKind::Unassigned => "unassigned",
            PlanProblemKind::InSeveral => "in_several",
            PlanProblemKind::OutsideLimits => "outside_limits",
        }
    }
}

/// The consequences of an edit (or of a plan as it stands), before anything is saved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PlanPreview {
    /// Set when the edit was refused; then nothing else is filled in.
    pub refused: Option<EditRefusal>,
    pub grids: Vec<PreviewGrid>,
    /// For each enterprise of [`PlanEditor::enterprises`], the index of its grid in `grids`.
    pub grid_of: Vec<Option<u32>>,
    /// Enterprises that this edit moves to another grid.
    pub moves: Vec<GridMove>,
    /// Enterprises in a grid of another code than under the active plan.
    pub changed_since_active: usize,
    pub problems: Vec<PlanProblem>,
}

/// An enterprise as the plan editor shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EditorEnterprise {
    pub id: i64,
    pub name: String,
    pub lon: f64,
    pub lat: f64,
}

/// Everything the plan editor starts from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PlanEditor {
    pub plan: PlanSummary,
    pub park_name: String,
    pub park_boundary: Json,
    pub enterprises: Vec<EditorEnterprise>,
    pub preview: PlanPreview,
}

/// Two plans of a park compared (the `/plans/{a}/diff/{b}` page): which enterprises change
/// grid, and so worker, from `from` to `to`; plan `to` as the editor shows it (its grids
/// with counts and workers, the enterprises and their grids), `from`'s grids to outline under
/// it, and the park's plans to compare others.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PlanComparison {
    pub from: PlanSummary,
    pub from_grids: Vec<EditGrid>,
    pub to: PlanEditor,
    pub diff: PlanDiff,
    pub plans: Vec<PlanSummary>,
}

/// A worker account as the managers' staff page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WorkerRow {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub active: bool,
    /// Codes of the active plan's grids the worker is assigned to.
    pub grids: Vec<String>,
    /// Enterprises in those grids.
    pub enterprise_count: usize,
    /// `no_grid` (active, no grid), `outside_limits` (not 20–40 enterprises, clause 5.3.1), or none.
    pub flag: Option<String>,
}

/// One grid of the active plan with its workers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GridStaff {
    pub code: String,
    pub enterprise_count: usize,
    /// Active workers: (user id, display name).
    pub workers: Vec<(i64, String)>,
}

/// The managers' staff page: workers and the active plan's grids.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Staff {
    pub plan_version: Option<i32>,
    pub workers: Vec<WorkerRow>,
    pub grids: Vec<GridStaff>,
}

pub use domain::coords::Datum;
pub use domain::enterprise::{ColumnMapping, Encoding};

/// One line of an import report: where (`line 3`, `feature 7`, `the file`), the kind of
/// problem (`bad_coordinate`, `not_a_number`, `missing_field`, `duplicate_id`,
/// `outside_boundary`, `missing_column`, `no_such_column`, `csv`, `not_text`, …) and the
/// English sentence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ImportLine {
    pub location: String,
    pub kind: String,
    pub message: String,
}

/// What an enterprise import would do (or did): nothing is written while `problems` is not empty.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ImportReport {
    /// CSV only: the encoding read, the header, the column mapping used.
    pub encoding: Option<String>,
    pub headers: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub mapping: Option<ColumnMapping>,
    pub problems: Vec<ImportLine>,
    pub total: usize,
    /// Enterprises not in the registry yet, and ones whose record would be replaced.
    pub new: usize,
    pub updated: usize,
    pub written: bool,
}

/// An enterprise as the registry lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RegistryEnterprise {
    pub id: i64,
    pub external_id: String,
    pub name: String,
    pub credit_code: Option<String>,
    pub address: Option<String>,
    pub industry: Option<String>,
    /// Workload weight for the automatic partition (1 = an ordinary enterprise).
    pub weight: f64,
    pub lon: f64,
    pub lat: f64,
    pub active: bool,
}

/// A manager's change to an enterprise. The position is in `datum` (WGS84 by default).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EnterpriseEdit {
    pub id: i64,
    pub name: String,
    pub credit_code: Option<String>,
    pub address: Option<String>,
    pub industry: Option<String>,
    /// Workload weight, above 0 and at most 100 (1 when not given).
    #[serde(default = "one")]
    pub weight: f64,
    pub lon: f64,
    pub lat: f64,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub datum: Datum,
    pub active: bool,
}

fn one() -> f64 {
    1.0
}

/// One field of one change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// One entry of an enterprise's history: when, who, what.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ChangeEntry {
    pub at: String,
    pub actor: Option<String>,
    /// `edit`, `deactivate`, `reactivate`, `import`.
    pub action: String,
    pub changes: Vec<FieldChange>,
}
