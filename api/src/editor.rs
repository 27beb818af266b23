//! The plan editor: the grids the page holds, an edit, its preview and why an edit is refused.

use crate::{GridMove, PlanDiff, PlanSummary};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

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
