//! The audit log: who did what, when, with the state before and after.

use crate::entities::audit_event;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde::Serialize;

/// One change, as it will be written.
pub struct Event<'a> {
    pub actor: Option<i64>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Serialises a value for the log.
pub fn snapshot(value: &impl Serialize) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}

/// Writes an event within the caller's transaction, so the log and the change land together.
pub async fn record<C: ConnectionTrait>(db: &C, event: Event<'_>) -> Result<(), sea_orm::DbErr> {
    audit_event::ActiveModel {
        at: Set(crate::now()),
        actor_id: Set(event.actor),
        action: Set(event.action.to_owned()),
        entity: Set(event.entity.to_owned()),
        entity_id: Set(event.entity_id),
        before: Set(event.before.map(|v| v.to_string())),
        after: Set(event.after.map(|v| v.to_string())),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
