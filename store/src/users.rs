//! Accounts.

use crate::entities::app_user;
use crate::{StoreError, auth, now};
use domain::Role;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

pub struct NewUser<'a> {
    pub login: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub role: Role,
}

/// Creates an account. A login that is taken is refused (`login_taken`).
pub async fn create<C: ConnectionTrait>(db: &C, new: NewUser<'_>) -> Result<app_user::Model, StoreError> {
    let login = new.login.trim();
    if find_by_login(db, login).await?.is_some() {
        return Err(StoreError::refused("login_taken", login, format!("login {login:?} is taken")));
    }
    let hash = auth::hash_password_blocking(new.password.to_owned()).await;
    Ok(app_user::ActiveModel {
        login: Set(login.to_owned()),
        display_name: Set(new.display_name.to_owned()),
        password_hash: Set(hash),
        role: Set(new.role.as_str().to_owned()),
        active: Set(true),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn find_by_login<C: ConnectionTrait>(db: &C, login: &str) -> Result<Option<app_user::Model>, StoreError> {
    Ok(app_user::Entity::find().filter(app_user::Column::Login.eq(login.trim())).one(db).await?)
}

/// The role of a stored user. A row with an unknown role string (written by hand, or by a
/// newer version) gets no capabilities rather than an error.
pub fn role_of(user: &app_user::Model) -> Option<Role> {
    user.role.parse().ok()
}
