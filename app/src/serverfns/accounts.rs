//! Accounts of every role, for the administrator (clause 4.2: who works in which park and
//! department); each manager keeps the workers of their parks on the staff page (`staff`).

use api::Account;
use leptos::prelude::*;

#[server(prefix = "/rpc", endpoint = "list_accounts", output = crate::serverfns::Reply)]
pub async fn list_accounts() -> Result<Vec<Account>, ServerFnError> {
    use crate::ssr::{context, require, store_error};
    let access = require(domain::Capability::ManageUsers).await?;
    store::users::list(&context()?.db, &access).await.map_err(store_error)
}

/// `account`: JSON `api::NewAccount`. The temporary password, shown once: the new user
/// chooses their own at first sign-in.
#[server(prefix = "/rpc", endpoint = "create_account", output = crate::serverfns::Reply)]
pub async fn create_account(account: String) -> Result<String, ServerFnError> {
    use crate::ssr::{context, fail, require, store_error};
    let db = context()?.db;
    let access = require(domain::Capability::ManageUsers).await?;
    let new: api::NewAccount = serde_json::from_str(&account).map_err(|_| fail("bad_request", axum::http::StatusCode::BAD_REQUEST))?;
    let mut parks = Vec::new();
    for code in &new.parks {
        parks.push(access.park(&db, Some(code)).await.map_err(store_error)?.id);
    }
    if new.all_parks && access.parks != store::access::Parks::All {
        return Err(fail(crate::errors::FORBIDDEN, axum::http::StatusCode::FORBIDDEN));
    }
    let department = match new.department.as_deref().filter(|d| !d.is_empty()) {
        Some(code) => Some(
            store::departments::find_by_code(&db, code).await.map_err(store_error)?.ok_or_else(|| store_error(store::StoreError::NotFound("department")))?.id,
        ),
        None => None,
    };
    let spec = store::users::AccountSpec {
        login: &new.login,
        display_name: &new.display_name,
        role: new.role,
        parks,
        all_parks: new.all_parks,
        department,
        password: None,
    };
    let (_, temporary) = store::users::create_account(&db, spec, Some(access.user.id)).await.map_err(store_error)?;
    Ok(temporary.unwrap_or_default())
}

#[server(prefix = "/rpc", endpoint = "set_account_active", output = crate::serverfns::Reply)]
pub async fn set_account_active(user: i64, active: bool) -> Result<(), ServerFnError> {
    use crate::ssr::{context, require, store_error};
    let db = context()?.db;
    let access = require(domain::Capability::ManageUsers).await?;
    access.account(&db, user).await.map_err(store_error)?;
    store::users::set_active(&db, user, active, Some(access.user.id)).await.map_err(store_error)
}

/// A temporary password, shown once; the user must change it at their next sign-in.
#[server(prefix = "/rpc", endpoint = "reset_account_password", output = crate::serverfns::Reply)]
pub async fn reset_account_password(user: i64) -> Result<String, ServerFnError> {
    use crate::ssr::{context, require, store_error};
    let db = context()?.db;
    let access = require(domain::Capability::ManageUsers).await?;
    access.account(&db, user).await.map_err(store_error)?;
    store::users::reset_password(&db, user, Some(access.user.id)).await.map_err(store_error)
}
