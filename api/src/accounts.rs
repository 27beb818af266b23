//! Accounts, sessions, parks and departments: who signs in, what they reach.

use crate::Role;
use serde::{Deserialize, Serialize};
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
