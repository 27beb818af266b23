//! The park's figures (issue 15): the dashboard, the monthly scorecards and the report. The
//! definitions are those of `domain::figures`; the pages show them in words next to each
//! figure.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use domain::figures::{CaseFigures, FindingFigures, Load, Rate, Standing, VisitFigures};

#[cfg(feature = "openapi")]
use utoipa::{IntoParams, ToSchema};

/// What the dashboard is asked for: a period of whole days (China Standard Time, both ends
/// included; this month so far by default) and at most one filter.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema, IntoParams))]
pub struct FigureQuery {
    /// The park's code; the one the pages show by default.
    pub park: Option<String>,
    /// First day (YYYY-MM-DD).
    pub from: Option<NaiveDate>,
    /// Last day (YYYY-MM-DD), included.
    pub to: Option<NaiveDate>,
    /// One grid (its code).
    pub grid: Option<String>,
    /// One worker (user id): the grids they hold.
    pub worker: Option<i64>,
    /// One department (id): the cases it handles.
    pub department: Option<i64>,
    /// One category: a demand's service area or a finding's kind.
    pub category: Option<String>,
}

/// A count under a key (a stage, a category, a department's name).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Count {
    pub key: String,
    pub count: u32,
}

/// One month of the trend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MonthFigures {
    /// YYYY-MM.
    pub month: String,
    pub coverage: Rate,
    pub visits: u32,
    pub cases: CaseFigures,
}

/// One grid's figures over the period: the map's colours and its table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GridFigures {
    pub code: String,
    pub worker: Option<String>,
    pub enterprises: u32,
    pub visits: VisitFigures,
    pub open_findings: u32,
    pub overdue_findings: u32,
    pub cases: CaseFigures,
}

/// A grid's area: its GeoJSON geometry as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GridShape {
    pub code: String,
    pub geometry: String,
}

/// The dashboard map's shapes (loaded once per page, not with every figure).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MapShapes {
    /// The park boundary (GeoJSON geometry text).
    pub park_boundary: String,
    /// The active plan's grids.
    pub grids: Vec<GridShape>,
}

/// A choice of the dashboard's filter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Choice {
    pub id: String,
    pub name: String,
}

/// `GET /api/v1/figures`: the dashboard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Dashboard {
    pub park_code: String,
    pub park_name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// RFC 3339: the figures are taken as of this time (the period's end, or now).
    pub as_of: String,
    pub visit_interval_days: i32,
    /// The filter applied, echoed.
    pub query: FigureQuery,
    /// Visits are per enterprise: a department or category filter leaves them out.
    pub visits: Option<VisitFigures>,
    pub findings: FindingFigures,
    pub cases: CaseFigures,
    /// Cases registered in the period by their stage now, by category, by department.
    pub by_stage: Vec<Count>,
    pub by_category: Vec<Count>,
    pub by_department: Vec<Count>,
    /// The twelve months up to the period's last.
    pub trend: Vec<MonthFigures>,
    pub grids: Vec<GridFigures>,
    pub choices_grid: Vec<Choice>,
    pub choices_worker: Vec<Choice>,
    pub choices_department: Vec<Choice>,
}

/// Whose line a scorecard is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ScoreOf {
    Worker,
    Grid,
    Department,
}

/// One line of a scorecard (6.5).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ScoreLine {
    pub name: String,
    /// The grids (a worker's, or the grid itself).
    pub grids: Vec<String>,
    /// Enterprises served, and where that stands against 20–40 (5.3.1): workers and grids.
    pub enterprises: Option<u32>,
    pub load: Option<Load>,
    pub coverage: Option<Rate>,
    pub cases: CaseFigures,
    pub open_findings: u32,
    pub overdue_findings: u32,
    /// 0–100, none when no figure applies.
    pub score: Option<f64>,
    pub standing: Standing,
}

/// `GET /api/v1/figures/scorecards`: a month's scorecards.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Scorecards {
    pub park_code: String,
    pub park_name: String,
    /// YYYY-MM.
    pub month: String,
    pub workers: Vec<ScoreLine>,
    pub grids: Vec<ScoreLine>,
    pub departments: Vec<ScoreLine>,
}

/// A month (YYYY-MM) of a park, for the scorecards and the report.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema, IntoParams))]
pub struct MonthQuery {
    pub park: Option<String>,
    /// YYYY-MM; the last complete month by default.
    pub month: Option<String>,
}

/// The monthly report: the month's dashboard and its scorecards.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Report {
    pub dashboard: Dashboard,
    pub scorecards: Scorecards,
}
