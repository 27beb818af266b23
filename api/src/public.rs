//! The park's public side (issue 15; DB33/T 2320-2021, 4.5 and 5.5.1): what anyone sees at
//! `/public/{park code}` without an account — the grid map with each grid's workers as far as
//! the manager published them, the service list (服务清单), policies and news with their
//! files, the quarterly figures per department when published — and what the managers send
//! to keep it.
//!
//! **Invariant:** the public types hold only what a manager chose to publish. A worker's name
//! and phone are `Option`s filled only when published; nothing here can carry a login, an
//! enterprise or an account.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

pub use domain::case::Mode;
pub use domain::field::DemandCategory;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// A notice's kind (5.5.1: 政策宣传, 园区动态).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// 政策: a policy, usually with its text as a file.
    Policy,
    /// 动态: news of the park.
    News,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 2] = [NoticeKind::Policy, NoticeKind::News];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Policy => "policy",
            NoticeKind::News => "news",
        }
    }

    pub fn parse(s: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// `GET /api/v1/public/{code}`: the park's public page as data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PublicPage {
    pub park_code: String,
    pub park_name: String,
    /// The service center's number, when the manager publishes one.
    pub hotline: Option<String>,
    /// The park's outline (GeoJSON geometry), for the map.
    pub park_boundary: Json,
    /// The active plan's grids, by code (none before a plan is active).
    pub grids: Vec<PublicGrid>,
    /// The service list, in the managers' order.
    pub services: Vec<PublicServiceItem>,
    /// Policies and news, newest first (withdrawn ones never).
    pub notices: Vec<PublicNotice>,
    /// The last complete quarter's figures per department, when the manager publishes them.
    pub figures: Option<Vec<DepartmentFigures>>,
}

/// A grid of the public map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PublicGrid {
    pub code: String,
    /// GeoJSON geometry (Polygon or MultiPolygon), WGS84.
    pub geometry: Json,
    pub enterprise_count: u32,
    /// The grid's active workers, each with what the manager published of them (possibly
    /// nothing: then the grid is reached through the hotline).
    pub workers: Vec<PublicWorker>,
}

/// A grid worker as the public sees them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PublicWorker {
    /// Their name, when the manager published it.
    pub name: Option<String>,
    /// Their work phone, when the manager published one.
    pub phone: Option<String>,
}

/// A line of the service list (服务清单) as the public sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PublicServiceItem {
    pub id: i64,
    pub name: String,
    /// The service area of 8.1/8.2.
    pub category: DemandCategory,
    /// How the center handles it (5.4.3).
    pub mode: Mode,
    /// The promised time limit in working days.
    pub limit_days: Option<u32>,
    /// The department in charge (none: the service center itself).
    pub department: Option<String>,
}

/// A policy or a piece of news.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PublicNotice {
    pub id: i64,
    pub kind: NoticeKind,
    pub title: String,
    pub body: String,
    /// RFC 3339.
    pub published_at: String,
    pub attachments: Vec<PublicAttachment>,
}

/// A file of a notice (`GET /api/v1/public/{code}/notices/{id}/attachments/{attachment}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PublicAttachment {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: u64,
}

/// One department's cases of the quarter (the figures of issue 15, published per department).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DepartmentFigures {
    pub department: String,
    pub cases: u32,
    pub closed: u32,
    /// Share of the closed cases closed within their deadline (0–1).
    pub on_time_rate: Option<f64>,
    /// Share of the rated cases rated satisfied or acceptable (0–1).
    pub satisfaction_rate: Option<f64>,
}

// ---------------------------------------------------------------------------------------
// What the managers keep (the `/publish` page).

/// A line of the service list as the managers keep it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceItem {
    pub id: i64,
    pub name: String,
    pub category: DemandCategory,
    pub mode: Mode,
    pub limit_days: Option<u32>,
    pub department_id: Option<i64>,
    pub department: Option<String>,
}

/// A line of the service list to add or change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceItemDraft {
    pub name: String,
    pub category: DemandCategory,
    pub mode: Mode,
    /// Working days, 1–60.
    pub limit_days: Option<u32>,
    /// None: the service center itself.
    pub department_id: Option<i64>,
}

/// A policy or a piece of news to publish (its files go with it, one per request).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoticeDraft {
    pub kind: NoticeKind,
    pub title: String,
    pub body: String,
}

/// A notice as the managers see it: withdrawn ones too.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoticeRow {
    pub id: i64,
    pub kind: NoticeKind,
    pub title: String,
    /// RFC 3339.
    pub published_at: String,
    /// RFC 3339, when taken down.
    pub withdrawn_at: Option<String>,
    pub attachments: Vec<PublicAttachment>,
}

/// A worker of the park with what is published of them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkerPublish {
    pub user_id: i64,
    pub display_name: String,
    /// The grids they hold in the active plan.
    pub grids: Vec<String>,
    pub publish_name: bool,
    pub public_phone: Option<String>,
}

/// The park's public settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ParkPublic {
    pub code: String,
    pub name: String,
    pub hotline: Option<String>,
    pub publish_figures: bool,
}

/// Everything the `/publish` page shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PublishOverview {
    pub park: ParkPublic,
    pub services: Vec<ServiceItem>,
    pub notices: Vec<NoticeRow>,
    pub workers: Vec<WorkerPublish>,
    /// The active departments (id, name): who may be in charge of a service.
    pub departments: Vec<(i64, String)>,
}
