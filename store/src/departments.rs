//! Functional departments (职能部门, 6.4): the units the park's service center sends what it
//! cannot solve to, kept by the administrator. A department officer belongs to one.

use crate::entities::{app_user, department};
use crate::{StoreError, audit, now};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};

/// Every department, active first, by name, with its active officers counted.
pub async fn list<C: ConnectionTrait>(db: &C) -> Result<Vec<api::Department>, StoreError> {
    let mut out = Vec::new();
    for d in department::Entity::find().order_by_desc(department::Column::Active).order_by_asc(department::Column::Code).all(db).await? {
        let officers =
            app_user::Entity::find().filter(app_user::Column::DepartmentId.eq(d.id)).filter(app_user::Column::Active.eq(true)).count(db).await? as usize;
        out.push(api::Department { id: d.id, code: d.code, name: d.name, active: d.active, officers });
    }
    Ok(out)
}

pub async fn find_by_code<C: ConnectionTrait>(db: &C, code: &str) -> Result<Option<department::Model>, StoreError> {
    Ok(department::Entity::find().filter(department::Column::Code.eq(code.trim())).one(db).await?)
}

/// A department code: a short word of letters, digits, `-` or `_`.
fn checked_code(code: &str) -> Result<&str, StoreError> {
    let code = code.trim();
    if code.is_empty() || code.len() > 32 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(StoreError::refused(api::RefusalCode::BadCode, code, "a code is a short word of letters, digits, - or _"));
    }
    Ok(code)
}

/// Adds a department; a taken code or an empty name is refused.
pub async fn create<C: ConnectionTrait>(db: &C, code: &str, name: &str, actor: Option<i64>) -> Result<department::Model, StoreError> {
    let code = checked_code(code)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::refused(api::RefusalCode::NameNeeded, "", "a department needs a name"));
    }
    if find_by_code(db, code).await?.is_some() {
        return Err(StoreError::refused(api::RefusalCode::CodeTaken, code, format!("department code {code:?} is taken")));
    }
    let d = department::ActiveModel { code: Set(code.to_owned()), name: Set(name.to_owned()), active: Set(true), created_at: Set(now()), ..Default::default() }
        .insert(db)
        .await?;
    audit::record(
        db,
        audit::Event {
            actor,
            action: "create",
            entity: "department",
            entity_id: Some(d.id.to_string()),
            before: None,
            after: Some(serde_json::json!({ "code": d.code, "name": d.name })),
        },
    )
    .await?;
    Ok(d)
}

/// Renames a department.
pub async fn rename<C: ConnectionTrait>(db: &C, id: i64, name: &str, actor: Option<i64>) -> Result<(), StoreError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::refused(api::RefusalCode::NameNeeded, "", "a department needs a name"));
    }
    let d = department::Entity::find_by_id(id).one(db).await?.ok_or(StoreError::NotFound("department"))?;
    let before = d.name.clone();
    let mut am: department::ActiveModel = d.into();
    am.name = Set(name.to_owned());
    am.update(db).await?;
    audit::record(
        db,
        audit::Event {
            actor,
            action: "rename",
            entity: "department",
            entity_id: Some(id.to_string()),
            before: Some(serde_json::json!({ "name": before })),
            after: Some(serde_json::json!({ "name": name })),
        },
    )
    .await?;
    Ok(())
}

/// Deactivates (or reactivates) a department. A department that still holds open work — today
/// its active officers; the cases sent to it once the service loop has them — is refused:
/// its work must go somewhere first.
pub async fn set_active<C: ConnectionTrait>(db: &C, id: i64, active: bool, actor: Option<i64>) -> Result<(), StoreError> {
    let d = department::Entity::find_by_id(id).one(db).await?.ok_or(StoreError::NotFound("department"))?;
    if !active {
        let officers = app_user::Entity::find().filter(app_user::Column::DepartmentId.eq(id)).filter(app_user::Column::Active.eq(true)).count(db).await?;
        if officers > 0 {
            return Err(StoreError::refused(api::RefusalCode::DepartmentInUse, d.name.clone(), format!("{} still has {officers} active officer(s)", d.name)));
        }
    }
    let mut am: department::ActiveModel = d.into();
    am.active = Set(active);
    am.update(db).await?;
    audit::record(
        db,
        audit::Event {
            actor,
            action: if active { "reactivate" } else { "deactivate" },
            entity: "department",
            entity_id: Some(id.to_string()),
            before: None,
            after: Some(serde_json::json!({ "active": active })),
        },
    )
    .await?;
    Ok(())
}
