//! What a signed-in user may reach: the parks they work in (every park for a district
//! administrator), and for a department officer their department.
//!
//! Every service a page or an API route calls on behalf of a user goes through an [`Access`]:
//! the park a request is about is one of the user's ([`Access::park`]), and anything named by
//! an id — a plan, an enterprise, a worker — is looked up through it ([`Access::plan`],
//! [`Access::enterprise`], [`Access::worker`]), which refuses ([`StoreError::Forbidden`]) what
//! lies in another park. The capability check (`domain::Role::permits`) stays with the caller;
//! this is the *where*.

use crate::entities::{app_user, enterprise, grid_plan, park, user_park};
use crate::{StoreError, users};
use domain::Role;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// The parks a user works in.
#[derive(Clone, Debug, PartialEq)]
pub enum Parks {
    /// Every park, present and future.
    All,
    /// These parks (ids).
    Only(Vec<i64>),
}

/// A signed-in user with what they may reach.
#[derive(Clone, Debug)]
pub struct Access {
    pub user: app_user::Model,
    pub role: Option<Role>,
    pub parks: Parks,
}

impl Access {
    pub async fn of<C: ConnectionTrait>(db: &C, user: app_user::Model) -> Result<Access, StoreError> {
        let parks = if user.all_parks {
            Parks::All
        } else {
            Parks::Only(user_park::Entity::find().filter(user_park::Column::UserId.eq(user.id)).all(db).await?.into_iter().map(|r| r.park_id).collect())
        };
        let role = users::role_of(&user);
        Ok(Access { user, role, parks })
    }

    /// Whether park `park_id` is one of the user's.
    pub fn reaches(&self, park_id: i64) -> bool {
        match &self.parks {
            Parks::All => true,
            Parks::Only(ids) => ids.contains(&park_id),
        }
    }

    /// The user's parks, by code.
    pub async fn parks<C: ConnectionTrait>(&self, db: &C) -> Result<Vec<park::Model>, StoreError> {
        let mut q = park::Entity::find().order_by_asc(park::Column::Code);
        if let Parks::Only(ids) = &self.parks {
            q = q.filter(park::Column::Id.is_in(ids.clone()));
        }
        Ok(q.all(db).await?)
    }

    /// The park a request is about: `code` when it is one of the user's (another park's code is
    /// refused, never silently replaced), else the first of theirs by code.
    pub async fn park<C: ConnectionTrait>(&self, db: &C, code: Option<&str>) -> Result<park::Model, StoreError> {
        match code.map(str::trim).filter(|c| !c.is_empty()) {
            Some(code) => {
                let p = crate::parks::find_by_code(db, code).await?.ok_or(StoreError::NotFound("park"))?;
                if self.reaches(p.id) { Ok(p) } else { Err(StoreError::Forbidden("park")) }
            }
            None => self.parks(db).await?.into_iter().next().ok_or(StoreError::NotFound("park")),
        }
    }

    /// The park a request is about, preferring `chosen` (the park switcher's cookie) when it is
    /// one of the user's, and falling back to their first park when it is not (a cookie left
    /// from another account on the same browser must not lock anyone out).
    pub async fn current_park<C: ConnectionTrait>(&self, db: &C, chosen: Option<&str>) -> Result<park::Model, StoreError> {
        match self.park(db, chosen).await {
            Err(StoreError::Forbidden(_) | StoreError::NotFound(_)) if chosen.is_some() => self.park(db, None).await,
            other => other,
        }
    }

    /// Refuses a park that is not one of the user's.
    pub fn check_park(&self, park_id: i64) -> Result<(), StoreError> {
        if self.reaches(park_id) { Ok(()) } else { Err(StoreError::Forbidden("park")) }
    }

    /// Plan `plan_id`, if it belongs to one of the user's parks.
    pub async fn plan<C: ConnectionTrait>(&self, db: &C, plan_id: i64) -> Result<grid_plan::Model, StoreError> {
        let plan = grid_plan::Entity::find_by_id(plan_id).one(db).await?.ok_or(StoreError::NotFound("grid plan"))?;
        self.check_park(plan.park_id)?;
        Ok(plan)
    }

    /// Enterprise `id`, if it is in one of the user's parks.
    pub async fn enterprise<C: ConnectionTrait>(&self, db: &C, id: i64) -> Result<enterprise::Model, StoreError> {
        let e = enterprise::Entity::find_by_id(id).one(db).await?.ok_or(StoreError::NotFound("enterprise"))?;
        self.check_park(e.park_id)?;
        Ok(e)
    }

    /// Account `user_id`, if it belongs to one of the user's parks (an administrator of every
    /// park reaches every account).
    pub async fn account<C: ConnectionTrait>(&self, db: &C, user_id: i64) -> Result<app_user::Model, StoreError> {
        let u = app_user::Entity::find_by_id(user_id).one(db).await?.ok_or(StoreError::NotFound("user"))?;
        if self.parks == Parks::All {
            return Ok(u);
        }
        let theirs = Access::of(db, u.clone()).await?;
        let shared = match (&self.parks, &theirs.parks) {
            (Parks::Only(mine), Parks::Only(other)) => mine.iter().any(|p| other.contains(p)),
            // An account of every park is only an all-parks administrator's business.
            (Parks::Only(_), Parks::All) => false,
            (Parks::All, _) => true,
        };
        if shared { Ok(u) } else { Err(StoreError::Forbidden("user")) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(parks: Parks) -> Access {
        let user = app_user::Model {
            id: 1,
            login: "m".into(),
            display_name: "m".into(),
            password_hash: String::new(),
            role: "manager".into(),
            active: true,
            created_at: chrono::Utc::now(),
            department_id: None,
            must_change_password: false,
            all_parks: false,
            publish_name: false,
            public_phone: None,
        };
        Access { user, role: Some(Role::Manager), parks }
    }

    #[test]
    fn a_user_reaches_their_parks_only_and_a_district_administrator_every_park() {
        let a = access(Parks::Only(vec![2, 5]));
        assert!(a.reaches(2) && a.reaches(5) && !a.reaches(3));
        assert!(matches!(a.check_park(3), Err(StoreError::Forbidden("park"))));
        assert!(access(Parks::All).reaches(99));
    }
}
