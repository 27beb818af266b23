//! The enterprise registry: imports with their report, and edits with their history.

use crate::one;
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

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
