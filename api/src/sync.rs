//! The field app's wire: the records a phone syncs, the receipts it gets back, and the field data it loads.

use crate::public;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

pub use domain::field::{
    CaseWork, CaseWorkKind, Demand, DemandCategory, Finding, FindingKind, Fix, HazardGrade, PhotoMeta, RecordId, RecordStatus, RectificationResult, Reinspection,
    Visit, VisitStatus,
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
    UnknownFinding { finding_id: RecordId },
    /// The re-inspection is dated before the finding it inspects: final.
    BeforeFinding { finding_id: RecordId },
    /// The finding was closed already: final.
    FindingClosed { finding_id: RecordId },
    /// A demand or photo id of the record was already used by another record: final.
    IdTaken { id: RecordId },
    /// The server failed to store this record (the others of the batch are unaffected):
    /// retried.
    ServerError,
    /// The case had moved on when this arrived (verified or reopened by someone else, rated
    /// already): final.
    CaseMovedOn { case_id: i64 },
    /// A re-inspection "fixed" by the worker who reported the fix: someone else verifies it
    /// (issue 13): final.
    FixReportedByYou { finding_id: RecordId },
    /// The finding's case is not being rectified (a major hazard waiting for its plan or for
    /// the safety department): final.
    RectificationNotOpen { finding_id: RecordId },
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
    pub id: RecordId,
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
    pub photos: Vec<RecordId>,
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
    pub id: RecordId,
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
    pub id: RecordId,
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
