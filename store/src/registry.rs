//! The enterprise registry (clause 5.5.2, a dynamic enterprise database): import reports and
//! imports from the browser into an existing park (CSV in UTF-8 or GBK with a column mapping,
//! or GeoJSON; WGS84 or GCJ-02). Nothing is written unless the whole file is clean.

use crate::entities::{enterprise, park};
use crate::parks::{ImportError, ParkImport};
use crate::{StoreError, audit};
use api::{ImportLine, ImportReport};
use domain::Boundary;
use domain::coords::Datum;
use domain::enterprise::{ColumnMapping, Encoding, EnterpriseRecord, ImportProblem, Location, ProblemKind};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::HashSet;

/// A file the manager chose.
pub struct Upload {
    /// `.csv` or `.geojson`/`.json`, by the file's name.
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// CSV: None detects (UTF-8 if valid, else GBK).
    pub encoding: Option<Encoding>,
    /// CSV: None guesses from the header.
    pub mapping: Option<ColumnMapping>,
    pub datum: Datum,
}

fn kind_of(k: &ProblemKind) -> &'static str {
    match k {
        ProblemKind::NotGeoJson(_) => "not_geojson",
        ProblemKind::NotFeatureCollection => "not_feature_collection",
        ProblemKind::Csv(_) => "csv",
        ProblemKind::MissingColumn(_) => "missing_column",
        ProblemKind::MissingGeometry => "missing_geometry",
        ProblemKind::NotAPoint(_) => "not_a_point",
        ProblemKind::BadCoordinate { .. } => "bad_coordinate",
        ProblemKind::NotANumber(_) => "not_a_number",
        ProblemKind::MissingField(_) => "missing_field",
        ProblemKind::DuplicateId { .. } => "duplicate_id",
        ProblemKind::OutsideBoundary { .. } => "outside_boundary",
        ProblemKind::NoSuchColumn(_) => "no_such_column",
        ProblemKind::NotText(_) => "not_text",
        ProblemKind::BadWeight(_) => "bad_weight",
    }
}

fn line(p: &ImportProblem) -> ImportLine {
    ImportLine { location: p.location.to_string(), kind: kind_of(&p.kind).to_owned(), message: p.kind.to_string() }
}

fn empty_report() -> ImportReport {
    ImportReport { encoding: None, headers: vec![], mapping: None, problems: vec![], total: 0, new: 0, updated: 0, written: false }
}

/// Parses the upload into records (in WGS84) with their locations, or the report of what is wrong.
fn read(upload: &Upload) -> (ImportReport, Vec<(Location, EnterpriseRecord)>) {
    let mut report = empty_report();
    let name = upload.file_name.to_ascii_lowercase();
    let parsed: Result<Vec<(Location, EnterpriseRecord)>, Vec<ImportProblem>> = if name.ends_with(".csv") || name.ends_with(".txt") {
        match domain::enterprise::decode(&upload.bytes, upload.encoding) {
            Err(p) => Err(vec![p]),
            Ok((text, encoding)) => {
                report.encoding = Some(match encoding {
                    Encoding::Utf8 => "utf8".into(),
                    Encoding::Gbk => "gbk".into(),
                });
                match domain::enterprise::csv_headers(&text) {
                    Err(p) => Err(vec![p]),
                    Ok(headers) => {
                        let mapping = upload.mapping.clone().unwrap_or_else(|| domain::enterprise::guess_mapping(&headers));
                        report.headers = headers;
                        report.mapping = Some(mapping.clone());
                        // Line numbers: one record per line after the header (as the command line assumes).
                        domain::enterprise::parse_csv_mapped(&text, &mapping)
                            .map(|r| r.into_iter().enumerate().map(|(i, r)| (Location::Line(i as u64 + 2), r)).collect())
                    }
                }
            }
        }
    } else {
        match std::str::from_utf8(&upload.bytes) {
            Err(_) => Err(vec![ImportProblem { location: Location::Document, kind: ProblemKind::NotText("UTF-8") }]),
            Ok(text) => domain::enterprise::parse_geojson(text).map(|r| r.into_iter().enumerate().map(|(i, r)| (Location::Feature(i), r)).collect()),
        }
    };
    match parsed {
        Err(problems) => {
            report.problems = problems.iter().map(line).collect();
            (report, vec![])
        }
        Ok(mut records) => {
            for (_, r) in &mut records {
                (r.position.lon, r.position.lat) = upload.datum.to_wgs84(r.position.lon, r.position.lat);
            }
            report.total = records.len();
            (report, records)
        }
    }
}

async fn park_and_known(db: &DatabaseConnection, park_id: i64) -> Result<(park::Model, Boundary, HashSet<String>), StoreError> {
    let park = park::Entity::find_by_id(park_id).one(db).await?.ok_or(StoreError::NotFound("park"))?;
    let boundary = Boundary::from_geojson_str(&park.boundary).map_err(|e| StoreError::Conflict(format!("the park's stored boundary is invalid: {e}")))?;
    let known = enterprise::Entity::find().filter(enterprise::Column::ParkId.eq(park_id)).all(db).await?.into_iter().map(|e| e.external_id).collect();
    Ok((park, boundary, known))
}

/// What importing `upload` into the park would do, and every problem with its line or
/// feature. Writes nothing.
pub async fn check(db: &DatabaseConnection, park_id: i64, upload: &Upload) -> Result<ImportReport, StoreError> {
    Ok(checked(db, park_id, upload).await?.0)
}

async fn checked(
    db: &DatabaseConnection,
    park_id: i64,
    upload: &Upload,
) -> Result<(ImportReport, Vec<(Location, EnterpriseRecord)>, park::Model, Boundary), StoreError> {
    let (mut report, records) = read(upload);
    let (park, boundary, known) = park_and_known(db, park_id).await?;
    if report.problems.is_empty() {
        let rs: Vec<EnterpriseRecord> = records.iter().map(|(_, r)| r.clone()).collect();
        let outside = domain::enterprise::check_inside(&boundary, &rs, |i| records[i].0);
        report.problems = outside.iter().map(line).collect();
        report.updated = rs.iter().filter(|r| known.contains(&r.external_id)).count();
        report.new = rs.len() - report.updated;
    }
    Ok((report, records, park, boundary))
}

/// Imports `upload` into the park when it is clean (upsert by id; the active plan's membership
/// is refreshed), else returns the report with `written: false`.
pub async fn import(db: &DatabaseConnection, park_id: i64, upload: &Upload, actor: Option<i64>) -> Result<ImportReport, StoreError> {
    let (mut report, records, park, boundary) = checked(db, park_id, upload).await?;
    if !report.problems.is_empty() || records.is_empty() {
        return Ok(report);
    }
    let (locations, enterprises) = records.into_iter().unzip();
    let input = ParkImport { code: park.code, name: park.name, boundary, enterprises, locations };
    match crate::parks::import(db, input, actor).await {
        Ok(_) => {
            report.written = true;
            Ok(report)
        }
        Err(ImportError::Invalid(problems)) => {
            report.problems = problems.iter().map(line).collect();
            Ok(report)
        }
        Err(ImportError::Store(e)) => Err(e),
    }
}

/// The fields of an enterprise a manager may change by hand.
fn fields(e: &enterprise::Model) -> serde_json::Value {
    serde_json::json!({
        "name": e.name, "credit_code": e.credit_code, "address": e.address, "industry": e.industry,
        "lon": e.lon, "lat": e.lat, "active": e.active, "weight": e.workload_weight,
    })
}

/// The park's enterprises (active and not), by name, for the registry's list.
pub async fn list(db: &DatabaseConnection, park_id: i64) -> Result<Vec<api::RegistryEnterprise>, StoreError> {
    Ok(enterprise::Entity::find()
        .filter(enterprise::Column::ParkId.eq(park_id))
        .order_by_asc(enterprise::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|e| api::RegistryEnterprise {
            id: e.id,
            external_id: e.external_id,
            name: e.name,
            credit_code: e.credit_code,
            address: e.address,
            industry: e.industry,
            weight: e.workload_weight,
            lon: e.lon,
            lat: e.lat,
            active: e.active,
        })
        .collect())
}

/// Changes an enterprise (name, codes, address, industry, workload weight, position, active) and records who
/// changed what in the audit log; the active plan's membership follows a new position or a
/// (de)activation. A position outside the park is refused.
pub async fn update(db: &DatabaseConnection, park_id: i64, edit: api::EnterpriseEdit, actor: Option<i64>) -> Result<(), StoreError> {
    let e = enterprise::Entity::find_by_id(edit.id).one(db).await?.filter(|e| e.park_id == park_id).ok_or(StoreError::NotFound("enterprise"))?;
    let name = edit.name.trim();
    if name.is_empty() {
        return Err(StoreError::refused(api::RefusalCode::NameNeeded, "", "an enterprise needs a name"));
    }
    let (lon, lat) = edit.datum.to_wgs84(edit.lon, edit.lat);
    if domain::enterprise::Position::new(lon, lat).is_none() {
        return Err(StoreError::refused(api::RefusalCode::BadPosition, format!("({lon}, {lat})"), format!("({lon}, {lat}) is not a WGS84 longitude/latitude")));
    }
    let weight = domain::enterprise::parse_weight(&edit.weight.to_string()).map_err(|_| {
        StoreError::refused(api::RefusalCode::BadWeight, edit.weight.to_string(), format!("{} is not a workload weight (above 0, at most 100)", edit.weight))
    })?;
    let park = park::Entity::find_by_id(park_id).one(db).await?.ok_or(StoreError::NotFound("park"))?;
    let boundary = Boundary::from_geojson_str(&park.boundary).map_err(|e| StoreError::Conflict(format!("the park's stored boundary is invalid: {e}")))?;
    if !boundary.covers(lon, lat) {
        return Err(StoreError::refused(
            api::RefusalCode::OutsidePark,
            format!("({lon:.6}, {lat:.6})"),
            format!("({lon:.6}, {lat:.6}) lies outside the park boundary"),
        ));
    }
    let before = fields(&e);
    let moved = e.lon != lon || e.lat != lat || e.active != edit.active;
    let opt = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let txn = crate::db::write(db).await?;
    let mut am: enterprise::ActiveModel = e.into();
    am.name = Set(name.to_owned());
    am.credit_code = Set(opt(edit.credit_code));
    am.address = Set(opt(edit.address));
    am.industry = Set(opt(edit.industry));
    am.workload_weight = Set(weight);
    am.lon = Set(lon);
    am.lat = Set(lat);
    am.active = Set(edit.active);
    am.updated_at = Set(crate::now());
    let e = am.update(&txn).await?;
    let after = fields(&e);
    // Only what changed, both ways.
    let (mut b, mut a) = (serde_json::Map::new(), serde_json::Map::new());
    if let (Some(bo), Some(ao)) = (before.as_object(), after.as_object()) {
        for (k, v) in ao {
            if bo.get(k) != Some(v) {
                b.insert(k.clone(), bo.get(k).cloned().unwrap_or_default());
                a.insert(k.clone(), v.clone());
            }
        }
    }
    if !a.is_empty() {
        let action = match (before["active"].as_bool(), edit.active) {
            (Some(true), false) => "deactivate",
            (Some(false), true) => "reactivate",
            _ => "edit",
        };
        audit::record(
            &txn,
            audit::Event { actor, action, entity: "enterprise", entity_id: Some(e.id.to_string()), before: Some(b.into()), after: Some(a.into()) },
        )
        .await?;
    }
    if moved {
        if let Some(active) = crate::plans::active_plan(&txn, park_id).await? {
            crate::plans::refresh_membership(&txn, &active).await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// Who changed what of an enterprise, and when, newest first.
pub async fn history(db: &DatabaseConnection, park_id: i64, id: i64) -> Result<Vec<api::ChangeEntry>, StoreError> {
    use crate::entities::audit_event;
    enterprise::Entity::find_by_id(id).one(db).await?.filter(|e| e.park_id == park_id).ok_or(StoreError::NotFound("enterprise"))?;
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Entity.eq("enterprise"))
        .filter(audit_event::Column::EntityId.eq(id.to_string()))
        .order_by_desc(audit_event::Column::At)
        .order_by_desc(audit_event::Column::Id)
        .all(db)
        .await?;
    let names = crate::users::display_names(db, events.iter().filter_map(|e| e.actor_id)).await?;
    Ok(events
        .into_iter()
        .map(|ev| {
            let parse = |s: &Option<String>| s.as_deref().and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok()).unwrap_or_default();
            let (before, after) = (parse(&ev.before), parse(&ev.after));
            let mut changes: Vec<api::FieldChange> = after
                .as_object()
                .map(|o| o.iter().map(|(k, v)| api::FieldChange { field: k.clone(), before: show(&before[k]), after: show(v) }).collect())
                .unwrap_or_default();
            changes.sort_by(|a, b| a.field.cmp(&b.field));
            api::ChangeEntry { at: ev.at.to_rfc3339(), actor: ev.actor_id.and_then(|a| names.get(&a).cloned()), action: ev.action, changes }
        })
        .collect())
}

fn show(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
