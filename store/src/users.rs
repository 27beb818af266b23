//! Accounts: creating them for every role, deactivating, resetting and changing passwords,
//! and listing them.
//!
//! Passwords are never shown twice: an account made or reset by someone else gets a
//! temporary password, returned once to hand over, and must choose their own at next sign-in
//! (`must_change_password`; `app::ssr::require` lets nothing else through). Changing one's own
//! password needs the current one and ends every other session of the account.

use crate::entities::{app_user, department, park, session, user_park};
use crate::{StoreError, audit, auth, now};
use domain::Role;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;

/// The fewest characters a password may have.
pub const MIN_PASSWORD: usize = 8;

pub struct NewUser<'a> {
    pub login: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub role: Role,
}

/// Creates an account with no park (the caller adds them). A login that is taken is refused
/// (`login_taken`).
pub async fn create<C: ConnectionTrait>(db: &C, new: NewUser<'_>) -> Result<app_user::Model, StoreError> {
    let login = checked_login(new.login)?;
    if find_by_login(db, login).await?.is_some() {
        return Err(StoreError::refused(api::RefusalCode::LoginTaken, login, format!("login {login:?} is taken")));
    }
    let hash = auth::hash_password_blocking(new.password.to_owned()).await;
    Ok(app_user::ActiveModel {
        login: Set(login.to_owned()),
        display_name: Set(new.display_name.to_owned()),
        password_hash: Set(hash),
        role: Set(new.role.as_str().to_owned()),
        active: Set(true),
        created_at: Set(now()),
        department_id: Set(None),
        must_change_password: Set(false),
        all_parks: Set(false),
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

/// A login: one word, no spaces, at most 64 characters.
pub fn checked_login(login: &str) -> Result<&str, StoreError> {
    let login = login.trim();
    if login.is_empty() || login.chars().any(char::is_whitespace) || login.chars().count() > 64 {
        return Err(StoreError::refused(api::RefusalCode::BadLogin, login, "a login is one word, without spaces, of at most 64 characters"));
    }
    Ok(login)
}

/// A password of at least [`MIN_PASSWORD`] characters.
pub fn checked_password(password: &str) -> Result<&str, StoreError> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(StoreError::refused(api::RefusalCode::ShortPassword, "", format!("a password needs at least {MIN_PASSWORD} characters")));
    }
    Ok(password)
}

/// A temporary password to read out over the phone: no 0/O, 1/l/I.
pub fn temporary_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..10).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}

/// What an account is made with.
pub struct AccountSpec<'a> {
    pub login: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    /// Park ids (ignored with `all_parks`).
    pub parks: Vec<i64>,
    pub all_parks: bool,
    /// A department officer's department (id).
    pub department: Option<i64>,
    /// The password; `None`: a temporary one, to be changed at first sign-in.
    pub password: Option<&'a str>,
}

/// Creates an account for any role. Refused with the reason, nothing written: a bad or taken
/// login, no name, a short password, an officer without an active department (or a
/// department given to another role), no park for anyone but an all-parks administrator, a
/// park that does not exist. Returns the account and, when it made one, the temporary
/// password (shown once).
pub async fn create_account<C: ConnectionTrait>(db: &C, spec: AccountSpec<'_>, actor: Option<i64>) -> Result<(app_user::Model, Option<String>), StoreError> {
    let login = checked_login(spec.login)?;
    let name = spec.display_name.trim();
    if name.is_empty() {
        return Err(StoreError::refused(api::RefusalCode::NameNeeded, "", "an account needs a name"));
    }
    if let Some(p) = spec.password {
        checked_password(p)?;
    }
    match (spec.role, spec.department) {
        (Role::Department, None) => return Err(StoreError::refused(api::RefusalCode::DepartmentNeeded, login, "a department officer needs a department")),
        (Role::Department, Some(d)) => {
            let dept = department::Entity::find_by_id(d)
                .one(db)
                .await?
                .ok_or_else(|| StoreError::refused(api::RefusalCode::NoSuchDepartment, d.to_string(), "no such department"))?;
            if !dept.active {
                return Err(StoreError::refused(api::RefusalCode::NoSuchDepartment, dept.code, "the department is deactivated"));
            }
        }
        (_, Some(_)) => return Err(StoreError::refused(api::RefusalCode::DepartmentNotApplicable, login, "only a department officer belongs to a department")),
        (_, None) => {}
    }
    let all_parks = spec.all_parks && spec.role == Role::Admin;
    if spec.all_parks && !all_parks {
        return Err(StoreError::refused(api::RefusalCode::AllParksAdminOnly, login, "only an administrator may work in every park"));
    }
    if !all_parks && spec.parks.is_empty() {
        return Err(StoreError::refused(api::RefusalCode::ParkNeeded, login, "an account needs at least one park"));
    }
    let known: Vec<i64> = park::Entity::find().filter(park::Column::Id.is_in(spec.parks.clone())).all(db).await?.into_iter().map(|p| p.id).collect();
    if let Some(missing) = spec.parks.iter().find(|p| !known.contains(p)) {
        return Err(StoreError::refused(api::RefusalCode::NoSuchPark, missing.to_string(), format!("no park {missing}")));
    }
    let temporary = spec.password.is_none().then(temporary_password);
    let password = spec.password.map(str::to_owned).or_else(|| temporary.clone()).unwrap_or_default();
    let user = create(db, NewUser { login, display_name: name, password: &password, role: spec.role }).await?;
    let mut am: app_user::ActiveModel = user.into();
    am.all_parks = Set(all_parks);
    am.department_id = Set(spec.department);
    am.must_change_password = Set(temporary.is_some());
    let user = am.update(db).await?;
    if !all_parks {
        set_parks(db, user.id, &known).await?;
    }
    audit::record(
        db,
        audit::Event {
            actor,
            action: "create",
            entity: "app_user",
            entity_id: Some(user.id.to_string()),
            before: None,
            after: Some(serde_json::json!({ "login": user.login, "role": user.role, "parks": known, "all_parks": all_parks, "department": spec.department })),
        },
    )
    .await?;
    Ok((user, temporary))
}

/// Puts `user_id` in exactly these parks.
pub async fn set_parks<C: ConnectionTrait>(db: &C, user_id: i64, parks: &[i64]) -> Result<(), StoreError> {
    user_park::Entity::delete_many().filter(user_park::Column::UserId.eq(user_id)).exec(db).await?;
    for &park_id in parks {
        user_park::ActiveModel { user_id: Set(user_id), park_id: Set(park_id) }.insert(db).await?;
    }
    Ok(())
}

/// Deactivates (ending their sessions at once) or reactivates an account.
pub async fn set_active<C: ConnectionTrait>(db: &C, user_id: i64, active: bool, actor: Option<i64>) -> Result<(), StoreError> {
    let u = app_user::Entity::find_by_id(user_id).one(db).await?.ok_or(StoreError::NotFound("user"))?;
    if actor == Some(user_id) && !active {
        return Err(StoreError::refused(api::RefusalCode::NotYourself, u.login, "you cannot deactivate your own account"));
    }
    let login = u.login.clone();
    let mut am: app_user::ActiveModel = u.into();
    am.active = Set(active);
    am.update(db).await?;
    if !active {
        session::Entity::delete_many().filter(session::Column::UserId.eq(user_id)).exec(db).await?;
    }
    audit::record(
        db,
        audit::Event {
            actor,
            action: if active { "reactivate" } else { "deactivate" },
            entity: "app_user",
            entity_id: Some(user_id.to_string()),
            before: None,
            after: Some(serde_json::json!({ "login": login, "active": active })),
        },
    )
    .await?;
    Ok(())
}

/// Gives an account a temporary password (returned once, to hand over), which must be changed
/// at the next sign-in, and ends its sessions.
pub async fn reset_password<C: ConnectionTrait>(db: &C, user_id: i64, actor: Option<i64>) -> Result<String, StoreError> {
    let u = app_user::Entity::find_by_id(user_id).one(db).await?.ok_or(StoreError::NotFound("user"))?;
    let password = temporary_password();
    let hash = auth::hash_password_blocking(password.clone()).await;
    let login = u.login.clone();
    let mut am: app_user::ActiveModel = u.into();
    am.password_hash = Set(hash);
    am.must_change_password = Set(true);
    am.update(db).await?;
    session::Entity::delete_many().filter(session::Column::UserId.eq(user_id)).exec(db).await?;
    audit::record(
        db,
        audit::Event {
            actor,
            action: "reset_password",
            entity: "app_user",
            entity_id: Some(user_id.to_string()),
            before: None,
            after: Some(serde_json::json!({ "login": login })),
        },
    )
    .await?;
    Ok(password)
}

/// Sets a password without asking for the current one (the command line's `user passwd`, run
/// by whoever runs the server). Ends the account's sessions.
pub async fn set_password<C: ConnectionTrait>(db: &C, login: &str, password: &str) -> Result<(), StoreError> {
    let u = find_by_login(db, login).await?.ok_or(StoreError::NotFound("user"))?;
    let hash = auth::hash_password_blocking(checked_password(password)?.to_owned()).await;
    let id = u.id;
    let mut am: app_user::ActiveModel = u.into();
    am.password_hash = Set(hash);
    am.must_change_password = Set(false);
    am.update(db).await?;
    session::Entity::delete_many().filter(session::Column::UserId.eq(id)).exec(db).await?;
    Ok(())
}

/// A user changes their own password: the current one must be right, the new one long enough
/// and different. Every other session of the account ends (`keep`: the token hash of the one
/// the change was made in).
pub async fn change_own_password<C: ConnectionTrait>(db: &C, user_id: i64, current: &str, new: &str, keep: Option<&str>) -> Result<(), StoreError> {
    let u = app_user::Entity::find_by_id(user_id).one(db).await?.ok_or(StoreError::NotFound("user"))?;
    if !auth::verify_blocking(u.password_hash.clone(), current.to_owned()).await {
        return Err(StoreError::refused(api::RefusalCode::WrongPassword, "", "the current password is wrong"));
    }
    checked_password(new)?;
    if new == current {
        return Err(StoreError::refused(api::RefusalCode::SamePassword, "", "choose a password other than the current one"));
    }
    let hash = auth::hash_password_blocking(new.to_owned()).await;
    let login = u.login.clone();
    let mut am: app_user::ActiveModel = u.into();
    am.password_hash = Set(hash);
    am.must_change_password = Set(false);
    am.update(db).await?;
    let mut others = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(keep) = keep {
        others = others.filter(session::Column::TokenHash.ne(keep));
    }
    others.exec(db).await?;
    audit::record(
        db,
        audit::Event {
            actor: Some(user_id),
            action: "change_password",
            entity: "app_user",
            entity_id: Some(user_id.to_string()),
            before: None,
            after: Some(serde_json::json!({ "login": login })),
        },
    )
    .await?;
    Ok(())
}

/// The accounts `access` may see (every account for an all-parks administrator; else those
/// sharing a park), by role then name.
pub async fn list<C: ConnectionTrait>(db: &C, access: &crate::access::Access) -> Result<Vec<api::Account>, StoreError> {
    let users = app_user::Entity::find().order_by_asc(app_user::Column::Role).order_by_asc(app_user::Column::DisplayName).all(db).await?;
    let memberships = user_park::Entity::find().all(db).await?;
    let codes: HashMap<i64, String> = park::Entity::find().all(db).await?.into_iter().map(|p| (p.id, p.code)).collect();
    let departments: HashMap<i64, String> = department::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d.name)).collect();
    let mut out = Vec::new();
    for u in users {
        let parks: Vec<i64> = memberships.iter().filter(|m| m.user_id == u.id).map(|m| m.park_id).collect();
        let visible = match &access.parks {
            crate::access::Parks::All => true,
            crate::access::Parks::Only(mine) => !u.all_parks && parks.iter().any(|p| mine.contains(p)),
        };
        if !visible {
            continue;
        }
        let Some(role) = role_of(&u) else { continue };
        let mut park_codes: Vec<String> = parks.iter().filter_map(|p| codes.get(p).cloned()).collect();
        park_codes.sort();
        out.push(api::Account {
            id: u.id,
            login: u.login,
            display_name: u.display_name,
            role,
            active: u.active,
            all_parks: u.all_parks,
            parks: park_codes,
            department: u.department_id.and_then(|d| departments.get(&d).cloned()),
            must_change_password: u.must_change_password,
        });
    }
    Ok(out)
}

/// The display names of the users `ids`, by id (unknown ids are left out).
pub async fn display_names<C: ConnectionTrait>(db: &C, ids: impl IntoIterator<Item = i64>) -> Result<std::collections::HashMap<i64, String>, StoreError> {
    let ids: Vec<i64> = ids.into_iter().collect();
    Ok(app_user::Entity::find().filter(app_user::Column::Id.is_in(ids)).all(db).await?.into_iter().map(|u| (u.id, u.display_name)).collect())
}
