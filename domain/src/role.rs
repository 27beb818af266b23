//! Who may do what: the roles of the standard's actors and the capabilities they hold.
//!
//! The server checks a capability (never a role name) before every server function and API
//! route, so adding a role or moving a capability is a change to [`Role::permits`] alone.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The actors of REQUIREMENTS.md that sign in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the deployment: everything a manager can, plus accounts.
    Admin,
    /// Staff of the park's service center (园区管理服务中心).
    Manager,
    /// Grid worker (网格员): sees and serves their own grid only.
    Worker,
    /// Officer of a functional department (职能部门): answers escalated cases.
    Department,
}

/// Something a signed-in user may be allowed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Capability {
    /// See one's own grid(s) and their enterprises.
    ViewOwnGrid,
    /// See every grid and enterprise of the park, with workers.
    ViewPark,
    /// Create, edit and activate grid plans; assign workers.
    ManagePlans,
    /// Import and edit the enterprise registry.
    ManageEnterprises,
    /// Create and deactivate accounts of every role.
    ManageUsers,
    /// Create, deactivate and reset the passwords of grid workers' accounts; assign them to grids.
    ManageWorkers,
    /// Record visits, demands, findings and re-inspections in one's own grid(s).
    RecordFieldWork,
    /// Add parks (the administrator).
    ManageParks,
    /// Keep the functional departments (the administrator).
    ManageDepartments,
    /// Take cases on, dispatch them, grant extensions, 督办, set the time limits (the service
    /// center).
    TriageCases,
    /// Load the official calendar of a new year (the administrator).
    ManageCalendar,
    /// See the park's figures: the dashboard, the scorecards, the monthly report (5.5.3, 6.5;
    /// the service center, which is judged on them).
    ViewFigures,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Manager, Role::Worker, Role::Department];

    /// The authorization matrix. Keep it total: every (role, capability) pair is decided here.
    pub fn permits(self, capability: Capability) -> bool {
        use Capability::*;
        match self {
            Role::Admin => true,
            Role::Manager => matches!(capability, ViewPark | ManagePlans | ManageEnterprises | ManageWorkers | TriageCases | ViewFigures),
            Role::Worker => matches!(capability, ViewOwnGrid | RecordFieldWork),
            Role::Department => matches!(capability, ViewPark),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Worker => "worker",
            Role::Department => "department",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown role {0:?}: expected one of admin, manager, worker, department")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_may_see_only_their_own_grid() {
        assert!(Role::Worker.permits(Capability::ViewOwnGrid));
        assert!(!Role::Worker.permits(Capability::ViewPark));
        assert!(!Role::Worker.permits(Capability::ManagePlans));
        assert!(Role::Worker.permits(Capability::RecordFieldWork));
        assert!(!Role::Department.permits(Capability::RecordFieldWork));
    }

    #[test]
    fn a_manager_manages_plans_but_not_accounts() {
        assert!(Role::Manager.permits(Capability::ManagePlans));
        assert!(Role::Manager.permits(Capability::ViewFigures));
        assert!(!Role::Department.permits(Capability::ViewFigures));
        assert!(!Role::Worker.permits(Capability::ViewFigures));
        assert!(!Role::Manager.permits(Capability::ManageUsers));
        assert!(Role::Manager.permits(Capability::ManageWorkers));
        assert!(!Role::Worker.permits(Capability::ManageWorkers));
        assert!(!Role::Department.permits(Capability::ManageWorkers));
    }

    #[test]
    fn role_names_round_trip_and_unknown_names_are_refused() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert_eq!("boss".parse::<Role>(), Err(UnknownRole("boss".into())));
    }
}
