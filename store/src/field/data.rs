//! What a worker's phone keeps: their grids' enterprises and where each stands in the visiting
//! round, open findings, recent visits, open demands and the cases waiting for them.

use super::*;

/// What a worker's phone keeps: their grids' enterprises with where each stands in the visiting
/// round, and the open findings of their grids.
pub async fn field_data<C: ConnectionTrait>(db: &C, user_id: i64) -> Result<FieldData, StoreError> {
    let at = now();
    let grids = views::assigned_grids(db, user_id).await?;
    let code_of: HashMap<i64, String> = grids.iter().map(|g| (g.id, g.code.clone())).collect();
    let grid_ids: Vec<i64> = grids.iter().map(|g| g.id).collect();
    let members = grid_member::Entity::find().filter(grid_member::Column::GridId.is_in(grid_ids.clone())).all(db).await?;
    let grid_of: HashMap<i64, i64> = members.iter().map(|m| (m.enterprise_id, m.grid_id)).collect();
    let ids: Vec<i64> = members.iter().map(|m| m.enterprise_id).collect();
    let enterprises = enterprise::Entity::find()
        .filter(enterprise::Column::Id.is_in(ids.clone()))
        .filter(enterprise::Column::Active.eq(true))
        .order_by_asc(enterprise::Column::Name)
        .all(db)
        .await?;
    // The park of the worker's grids; without a grid, the first park they work in.
    let park_id = match grids.first() {
        Some(g) => grid_plan::Entity::find_by_id(g.plan_id).one(db).await?.map(|p| p.park_id),
        None => {
            user_park::Entity::find().filter(user_park::Column::UserId.eq(user_id)).order_by_asc(user_park::Column::ParkId).one(db).await?.map(|l| l.park_id)
        }
    };
    let park = match park_id {
        Some(id) => park::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let interval = park.as_ref().map_or(30, |p| p.visit_interval_days);
    let notices = match &park {
        Some(p) => crate::public::notices(db, p.id).await?,
        None => Vec::new(),
    };
    let mut last: HashMap<i64, DateTime<Utc>> = HashMap::new();
    let mut visits: HashMap<i64, u32> = HashMap::new();
    let mut recent: Vec<visit::Model> = Vec::new();
    let since = at - chrono::Duration::days(180);
    for v in visit::Entity::find().filter(visit::Column::EnterpriseId.is_in(ids.clone())).all(db).await? {
        let e = last.entry(v.enterprise_id).or_insert(v.started_at);
        *e = (*e).max(v.started_at);
        *visits.entry(v.enterprise_id).or_default() += 1;
        if v.started_at >= since {
            recent.push(v);
        }
    }
    recent.sort_by(|a, b| b.started_at.cmp(&a.started_at));
    let demands = demand::Entity::find()
        .filter(demand::Column::EnterpriseId.is_in(ids.clone()))
        .filter(demand::Column::Status.eq(RecordStatus::Open.as_str()))
        .order_by_desc(demand::Column::RaisedAt)
        .all(db)
        .await?;
    let open = finding::Entity::find()
        .filter(finding::Column::Status.eq(RecordStatus::Open.as_str()))
        .filter(sea_orm::Condition::any().add(finding::Column::GridId.is_in(grid_ids)).add(finding::Column::EnterpriseId.is_in(ids)))
        .order_by_asc(finding::Column::Deadline)
        .all(db)
        .await?;
    // (photo id, record id) only: the bytes stay where they are.
    let photos: Vec<(String, String)> = photo::Entity::find()
        .select_only()
        .column(photo::Column::Id)
        .column(photo::Column::RecordId)
        .filter(photo::Column::RecordId.is_in(open.iter().map(|f| f.id.clone()).collect::<Vec<_>>()))
        .filter(photo::Column::CompletedAt.is_not_null())
        .order_by_asc(photo::Column::TakenAt)
        .into_tuple()
        .all(db)
        .await?;
    let mut open_count: HashMap<i64, u32> = HashMap::new();
    for f in &open {
        if let Some(e) = f.enterprise_id {
            *open_count.entry(e).or_default() += 1;
        }
    }
    let field_grid_code = |f: &finding::Model| {
        code_of.get(&f.grid_id).cloned().or_else(|| f.enterprise_id.and_then(|e| grid_of.get(&e)).and_then(|g| code_of.get(g)).cloned()).unwrap_or_default()
    };
    Ok(FieldData {
        visit_interval_days: interval,
        grids: grids.iter().map(|g| api::FieldGrid { code: g.code.clone(), geometry: serde_json::from_str(&g.geometry).unwrap_or(Json::Null) }).collect(),
        enterprises: enterprises
            .into_iter()
            .map(|e| FieldEnterprise {
                grid_code: grid_of.get(&e.id).and_then(|g| code_of.get(g)).cloned().unwrap_or_default(),
                last_visit: last.get(&e.id).map(|t| t.to_rfc3339()),
                visits: visits.get(&e.id).copied().unwrap_or(0),
                visit: field::visit_status(last.get(&e.id).copied(), at, i64::from(interval)),
                open_findings: open_count.get(&e.id).copied().unwrap_or(0),
                id: e.id,
                name: e.name,
                address: e.address,
                lon: e.lon,
                lat: e.lat,
            })
            .collect(),
        open_findings: open
            .iter()
            .filter_map(|f| Some(FindingView {
                id: stored_id("finding", &f.id)?,
                enterprise_id: f.enterprise_id,
                grid_code: field_grid_code(f),
                kind: FindingKind::parse(&f.kind).unwrap_or(FindingKind::SafetyHazard),
                grade: f.grade.as_deref().and_then(HazardGrade::parse),
                description: f.description.clone(),
                lon: f.lon,
                lat: f.lat,
                found_at: f.found_at.to_rfc3339(),
                deadline: f.deadline.to_rfc3339(),
                overdue: f.deadline < at,
                photos: photos.iter().filter(|(_, record)| *record == f.id).filter_map(|(id, _)| stored_id("photo", id)).collect(),
            }))
            .collect(),
        recent_visits: recent
            .into_iter()
            .filter_map(|v| Some(api::VisitView {
                id: stored_id("visit", &v.id)?,
                enterprise_id: v.enterprise_id,
                started_at: v.started_at.to_rfc3339(),
                met: v.met,
                notes: v.notes,
                satisfaction: v.satisfaction,
            }))
            .collect(),
        open_demands: demands
            .into_iter()
            .filter_map(|d| Some(api::DemandView {
                id: stored_id("demand", &d.id)?,
                enterprise_id: d.enterprise_id,
                category: field::DemandCategory::parse(&d.category).unwrap_or(field::DemandCategory::Other),
                description: d.description,
                raised_at: d.raised_at.to_rfc3339(),
                // Written only as `RecordStatus::as_str` (here and by `cases`).
                status: RecordStatus::parse(&d.status).unwrap_or(RecordStatus::Open),
            }))
            .collect(),
        cases: crate::cases::field_cases(db, user_id).await?,
        notices,
        park_code: park.map(|p| p.code),
        as_of: at.to_rfc3339(),
    })
}

/// A stored record's id as the wire type. Records are stored only after their id parsed (the
/// sync) or with a canonical one (the demo's history), so a malformed id is a damaged row: it is
/// left out of what the phone receives, and logged.
fn stored_id(what: &str, id: &str) -> Option<field::RecordId> {
    field::RecordId::parse(id).inspect_err(|e| tracing::warn!(what, id, "a stored record's id is malformed: {e}")).ok()
}
