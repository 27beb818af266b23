//! Parks and the enterprise registry: import of a boundary and enterprises, all or nothing.

use crate::entities::{enterprise, grid_plan, park};
use crate::{StoreError, audit, now, plans};
use domain::enterprise::{ImportProblem, Location, check_inside};
use domain::{Boundary, EnterpriseRecord, PlanStatus};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set, TransactionTrait};
use std::collections::HashMap;

/// A park and its enterprises, parsed and validated by `domain`.
pub struct ParkImport {
    pub code: String,
    pub name: String,
    pub boundary: Boundary,
    pub enterprises: Vec<EnterpriseRecord>,
    /// Where each enterprise came from, for the report.
    pub locations: Vec<Location>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{} problem(s) in the input; nothing was imported", .0.len())]
    Invalid(Vec<ImportProblem>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for ImportError {
    fn from(e: sea_orm::DbErr) -> Self {
        ImportError::Store(StoreError::Db(e))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub park_id: i64,
    pub park_created: bool,
    pub enterprises_created: usize,
    pub enterprises_updated: usize,
}

/// The park `code`, or the first park when no code is given.
pub async fn pick<C: ConnectionTrait>(db: &C, code: Option<&str>) -> Result<Option<park::Model>, StoreError> {
    use sea_orm::QueryOrder;
    match code {
        Some(c) => find_by_code(db, c).await,
        None => Ok(park::Entity::find().order_by_asc(park::Column::Id).one(db).await?),
    }
}

/// Adds a park from its code, name and boundary, with no enterprise yet (they come with the
/// registry's import). A taken code is refused. `member`: a user who works in it from now on
/// (the one who added it, unless they work in every park already).
pub async fn create<D>(db: &D, code: &str, name: &str, boundary: Boundary, member: Option<i64>, actor: Option<i64>) -> Result<park::Model, StoreError>
where
    D: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    let code = code.trim();
    if code.is_empty() || code.len() > 16 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(StoreError::refused(api::RefusalCode::BadCode, code, "a park code is a short word of letters and digits (the prefix of its grid codes)"));
    }
    if name.trim().is_empty() {
        return Err(StoreError::refused(api::RefusalCode::NameNeeded, "", "a park needs a name"));
    }
    let txn = crate::db::write(db).await?;
    if find_by_code(&txn, code).await?.is_some() {
        return Err(StoreError::refused(api::RefusalCode::CodeTaken, code, format!("park code {code:?} is taken")));
    }
    let p = park::ActiveModel {
        code: Set(code.to_owned()),
        name: Set(name.trim().to_owned()),
        boundary: Set(boundary.to_geojson().to_string()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if let Some(user) = member {
        crate::entities::user_park::ActiveModel { user_id: Set(user), park_id: Set(p.id) }.insert(&txn).await?;
    }
    crate::audit::record(
        &txn,
        crate::audit::Event {
            actor,
            action: "create",
            entity: "park",
            entity_id: Some(p.id.to_string()),
            before: None,
            after: Some(serde_json::json!({ "code": p.code, "name": p.name })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(p)
}

/// Each of `access`'s parks at a glance: enterprises, grids, workers and the flags of 5.3.1.
pub async fn overview<C: ConnectionTrait>(db: &C, access: &crate::access::Access) -> Result<Vec<api::ParkOverview>, StoreError> {
    use sea_orm::PaginatorTrait;
    let mut out = Vec::new();
    for p in access.parks(db).await? {
        let staff = crate::staff::overview(db, p.id).await?;
        let enterprises =
            enterprise::Entity::find().filter(enterprise::Column::ParkId.eq(p.id)).filter(enterprise::Column::Active.eq(true)).count(db).await? as usize;
        out.push(api::ParkOverview {
            code: p.code,
            name: p.name,
            enterprises,
            grids: staff.grids.len(),
            workers: staff.workers.iter().filter(|w| w.active).count(),
            workers_flagged: staff.workers.iter().filter(|w| w.flag.is_some()).count(),
            grids_without_worker: staff.grids.iter().filter(|g| g.workers.is_empty()).count(),
            plan_version: staff.plan_version,
        });
    }
    Ok(out)
}

pub async fn find_by_code<C: ConnectionTrait>(db: &C, code: &str) -> Result<Option<park::Model>, StoreError> {
    Ok(park::Entity::find().filter(park::Column::Code.eq(code)).one(db).await?)
}

/// Creates or updates the park `code` and upserts its enterprises by `external_id`.
/// Enterprises already stored but absent from the input are left as they are.
///
/// Nothing is written unless every enterprise lies inside the boundary; the membership of the
/// park's active plan is refreshed in the same transaction.
pub async fn import<D>(db: &D, input: ParkImport, actor: Option<i64>) -> Result<ImportSummary, ImportError>
where
    D: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    let outside = check_inside(&input.boundary, &input.enterprises, |i| input.locations.get(i).copied().unwrap_or(Location::Feature(i)));
    if !outside.is_empty() {
        return Err(ImportError::Invalid(outside));
    }
    let boundary_json = input.boundary.to_geojson().to_string();
    let txn = crate::db::write(db).await?;
    let now = now();
    let existing = find_by_code(&txn, &input.code).await?;
    let park_created = existing.is_none();
    let park = match existing {
        Some(p) => {
            let mut am: park::ActiveModel = p.into();
            am.name = Set(input.name.clone());
            am.boundary = Set(boundary_json);
            am.update(&txn).await?
        }
        None => {
            park::ActiveModel {
                code: Set(input.code.clone()),
                name: Set(input.name.clone()),
                boundary: Set(boundary_json),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    let known: HashMap<String, enterprise::Model> =
        enterprise::Entity::find().filter(enterprise::Column::ParkId.eq(park.id)).all(&txn).await?.into_iter().map(|e| (e.external_id.clone(), e)).collect();
    let updated = input.enterprises.iter().filter(|r| known.contains_key(&r.external_id)).count();
    // An optional column the file does not have (or leaves empty throughout) does not clear what
    // the registry knows. A file with weights sets every row's weight (an empty cell is 1); a
    // file without leaves existing weights alone (new enterprises get the column's default, 1).
    let has = Columns {
        credit_code: input.enterprises.iter().any(|r| r.credit_code.is_some()),
        address: input.enterprises.iter().any(|r| r.address.is_some()),
        industry: input.enterprises.iter().any(|r| r.industry.is_some()),
        weight: input.enterprises.iter().any(|r| r.weight.is_some()),
    };
    let rows: Vec<enterprise::ActiveModel> = input
        .enterprises
        .iter()
        .map(|r| enterprise::ActiveModel {
            park_id: Set(park.id),
            external_id: Set(r.external_id.clone()),
            name: Set(r.name.clone()),
            credit_code: Set(r.credit_code.clone()),
            address: Set(r.address.clone()),
            lon: Set(r.position.lon),
            lat: Set(r.position.lat),
            industry: Set(r.industry.clone()),
            workload_weight: if has.weight { Set(r.weight.unwrap_or(1.0)) } else { sea_orm::ActiveValue::NotSet },
            attributes: Set(serde_json::Value::Object(r.attributes.clone()).to_string()),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    let mut updated_columns = vec![
        enterprise::Column::Name,
        enterprise::Column::Lon,
        enterprise::Column::Lat,
        enterprise::Column::Attributes,
        enterprise::Column::Active,
        enterprise::Column::UpdatedAt,
    ];
    for (present, column) in [
        (has.credit_code, enterprise::Column::CreditCode),
        (has.address, enterprise::Column::Address),
        (has.industry, enterprise::Column::Industry),
        (has.weight, enterprise::Column::WorkloadWeight),
    ] {
        if present {
            updated_columns.push(column);
        }
    }
    // Chunks keep each statement under SQLite's bound-parameter limit.
    for chunk in rows.chunks(500) {
        enterprise::Entity::insert_many(chunk.to_vec())
            .on_conflict(OnConflict::columns([enterprise::Column::ParkId, enterprise::Column::ExternalId]).update_columns(updated_columns.clone()).to_owned())
            .exec_without_returning(&txn)
            .await?;
    }
    if let Some(active) = grid_plan::Entity::find()
        .filter(grid_plan::Column::ParkId.eq(park.id))
        .filter(grid_plan::Column::Status.eq(PlanStatus::Active.as_str()))
        .one(&txn)
        .await?
    {
        plans::refresh_membership(&txn, &active).await?;
    }
    // Each enterprise the file changed gets an event of its own, so that its history says who
    // changed what by import, as it does for hand edits.
    for r in &input.enterprises {
        let Some(e) = known.get(&r.external_id) else { continue };
        if let Some((before, after)) = import_changes(e, r, has) {
            audit::record(
                &txn,
                audit::Event { actor, action: "import", entity: "enterprise", entity_id: Some(e.id.to_string()), before: Some(before), after: Some(after) },
            )
            .await?;
        }
    }
    let summary = ImportSummary { park_id: park.id, park_created, enterprises_created: input.enterprises.len() - updated, enterprises_updated: updated };
    audit::record(
        &txn,
        audit::Event {
            actor,
            action: "import",
            entity: "park",
            entity_id: Some(park.id.to_string()),
            before: None,
            after: Some(serde_json::json!({
                "code": input.code,
                "enterprises_created": summary.enterprises_created,
                "enterprises_updated": summary.enterprises_updated,
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(summary)
}

/// Which optional columns an import file has (with a value somewhere): only those are written.
#[derive(Clone, Copy, Debug)]
struct Columns {
    credit_code: bool,
    address: bool,
    industry: bool,
    weight: bool,
}

/// The fields an import changes on an existing enterprise, before and after (the same names as
/// a hand edit's history), or `None` when it changes nothing.
fn import_changes(e: &enterprise::Model, r: &EnterpriseRecord, has: Columns) -> Option<(serde_json::Value, serde_json::Value)> {
    use serde_json::{Map, Value, json};
    let mut pairs: Vec<(&str, Value, Value)> = vec![
        ("name", json!(e.name), json!(r.name)),
        ("lon", json!(e.lon), json!(r.position.lon)),
        ("lat", json!(e.lat), json!(r.position.lat)),
        ("active", json!(e.active), json!(true)),
    ];
    if has.credit_code {
        pairs.push(("credit_code", json!(e.credit_code), json!(r.credit_code)));
    }
    if has.address {
        pairs.push(("address", json!(e.address), json!(r.address)));
    }
    if has.industry {
        pairs.push(("industry", json!(e.industry), json!(r.industry)));
    }
    if has.weight {
        pairs.push(("weight", json!(e.workload_weight), json!(r.weight.unwrap_or(1.0))));
    }
    let (mut before, mut after) = (Map::new(), Map::new());
    for (k, b, a) in pairs {
        if b != a {
            before.insert(k.to_owned(), b);
            after.insert(k.to_owned(), a);
        }
    }
    (!after.is_empty()).then(|| (Value::Object(before), Value::Object(after)))
}
