//! `case_event` table: one transition of a case — who, when, what, from which stage to which.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "case_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub at: DateTimeUtc,
    pub actor_id: Option<i64>,
    /// `user`, `enterprise` or `system`.
    pub actor_kind: String,
    /// `register`, or a `domain::case::ActionKind` as text.
    pub action: String,
    pub from_stage: Option<String>,
    pub to_stage: String,
    /// The action as JSON (its reply, reason, department…).
    pub detail: Option<String>,
    /// The field record it came from (the phone's id), for a case worked offline.
    pub record_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
