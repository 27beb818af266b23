//! `app_user` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "app_user")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub login: String,
    pub display_name: String,
    /// PHC string of an argon2id hash.
    pub password_hash: String,
    /// `domain::Role` as text.
    pub role: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    /// A department officer's department.
    pub department_id: Option<i64>,
    /// Set by a reset (or an account made for someone): nothing but a password change is
    /// allowed until they choose their own.
    pub must_change_password: bool,
    /// Every park, present and future (a district administrator); else the `user_park` rows.
    pub all_parks: bool,
    /// A grid worker's name on the public page (4.5): shown only when the manager chose it.
    pub publish_name: bool,
    /// The work phone the manager chose to publish for this worker, if any.
    pub public_phone: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
