//! The functional departments (职能部门), kept by the administrator.

use api::Department;
use leptos::prelude::*;

/// Every department; anyone signed in may read them (a case is sent to one by name).
#[server(prefix = "/rpc", endpoint = "list_departments", output = crate::serverfns::Reply)]
pub async fn list_departments() -> Result<Vec<Department>, ServerFnError> {
    use crate::ssr::{context, signed_in, store_error};
    signed_in().await?;
    store::departments::list(&context()?.db).await.map_err(store_error)
}

#[server(prefix = "/rpc", endpoint = "create_department", output = crate::serverfns::Reply)]
pub async fn create_department(code: String, name: String) -> Result<(), ServerFnError> {
    use crate::ssr::{context, require, store_error};
    let access = require(domain::Capability::ManageDepartments).await?;
    store::departments::create(&context()?.db, &code, &name, Some(access.user.id)).await.map(|_| ()).map_err(store_error)
}

#[server(prefix = "/rpc", endpoint = "rename_department", output = crate::serverfns::Reply)]
pub async fn rename_department(id: i64, name: String) -> Result<(), ServerFnError> {
    use crate::ssr::{context, require, store_error};
    let access = require(domain::Capability::ManageDepartments).await?;
    store::departments::rename(&context()?.db, id, &name, Some(access.user.id)).await.map_err(store_error)
}

/// A department still holding open work cannot be deactivated (the reason is said).
#[server(prefix = "/rpc", endpoint = "set_department_active", output = crate::serverfns::Reply)]
pub async fn set_department_active(id: i64, active: bool) -> Result<(), ServerFnError> {
    use crate::ssr::{context, require, store_error};
    let access = require(domain::Capability::ManageDepartments).await?;
    store::departments::set_active(&context()?.db, id, active, Some(access.user.id)).await.map_err(store_error)
}
