//! The demo park: the real Zhongli industrial area (556 factories), partitioned into balanced
//! grids by the partitioner, with a manager, a department officer, an administrator and one
//! worker per grid.
//!
//! Idempotent: when the park is already there, nothing changes.

use crate::entities::{app_user, grid_assignment, grid_plan};
use crate::parks::{self, ImportError, ParkImport};
use crate::plans::{self, NewGrid};
use crate::users::{self, NewUser};
use crate::{StoreError, now};
use domain::enterprise::Location;
use domain::{Boundary, EnterpriseRecord, GridCode, Role};
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};

pub const PARK_CODE: &str = "ZL";
pub const PARK_NAME: &str = "中壢工業區";
/// How long the demo park has been run with its plan and workers, in days.
pub const RUNNING_DAYS: i64 = 90;
/// Every demo account's password.
pub const PASSWORD: &str = "parkgrid-demo";

const WORKER_NAMES: [&str; 24] = [
    "王芳", "李娜", "张伟", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周婷", "吴强", "徐丽", "孙杰", "马超", "朱琳", "胡斌", "郭倩", "何涛", "高燕", "林峰",
    "罗欣", "郑浩", "梁雪", "谢鹏", "宋佳",
];

/// The accounts the demo creates: (login, display name, role).
pub fn accounts(grids: usize) -> Vec<(String, String, Role)> {
    let mut out = vec![
        ("admin".to_owned(), "系统管理员".to_owned(), Role::Admin),
        ("manager".to_owned(), "陈主任".to_owned(), Role::Manager),
        ("safety".to_owned(), "应急管理局 刘科长".to_owned(), Role::Department),
    ];
    for i in 0..grids {
        let name = WORKER_NAMES.get(i).map_or_else(|| format!("网格员{:02}", i + 1), |n| n.to_string());
        out.push((format!("worker{:02}", i + 1), name, Role::Worker));
    }
    out
}

#[derive(Debug)]
pub enum Outcome {
    AlreadyLoaded,
    Loaded { enterprises: usize, grids: usize },
}

/// Loads the demo park from its boundary and enterprises (parsed by the caller), in one
/// transaction: an interrupted load leaves nothing behind.
pub async fn load(db: &DatabaseConnection, boundary: Boundary, enterprises: Vec<EnterpriseRecord>) -> Result<Outcome, ImportError> {
    if parks::find_by_code(db, PARK_CODE).await?.is_some() {
        return Ok(Outcome::AlreadyLoaded);
    }
    let txn = crate::db::write(db).await?;
    let db = &txn;
    let sites: Vec<partition::Site> = enterprises
        .iter()
        .map(|r| partition::Site { id: r.external_id.clone(), lon: r.position.lon, lat: r.position.lat, weight: r.weight.unwrap_or(1.0) })
        .collect();
    let n = enterprises.len();
    let locations = (0..n).map(Location::Feature).collect();
    let summary =
        parks::import(db, ParkImport { code: PARK_CODE.into(), name: PARK_NAME.into(), boundary: boundary.clone(), enterprises, locations }, None).await?;
    let plan = partition::partition(boundary.multi_polygon(), &sites, partition::Limits::default(), PARK_CODE)
        .map_err(|e| StoreError::Conflict(format!("the demo park cannot be partitioned: {e}")))?;
    let grids: Vec<NewGrid> = plan
        .grids
        .into_iter()
        .enumerate()
        .map(|(i, g)| NewGrid { code: GridCode::new(PARK_CODE, i as u32 + 1), name: format!("第{}网格", i + 1), area: Boundary::from_multi_polygon(g.area) })
        .collect();
    let grid_count = grids.len();
    let plan = plans::create_draft(db, summary.park_id, "初始网格划分", grids, None).await?;
    let plan = plans::activate(db, plan.id, None).await?;
    // The demo park has been run this way for a while: its plan and its workers' assignments
    // date from `RUNNING_DAYS` ago, so records of the last weeks are theirs to sync.
    let since = now() - chrono::Duration::days(RUNNING_DAYS);
    let mut am: grid_plan::ActiveModel = plan.into();
    am.activated_at = Set(Some(since));
    am.update(db).await.map_err(StoreError::from)?;
    let grid_rows = crate::views::park_map(db, Some(PARK_CODE)).await?.map(|v| v.grids).unwrap_or_default();
    let mut unassigned = grid_rows.iter();
    for (login, name, role) in accounts(grid_count) {
        let user = users::create(db, NewUser { login: &login, display_name: &name, password: PASSWORD, role }).await?;
        // The administrator works in every park; everyone else in the demo park; the officer
        // in the safety department.
        let mut am: app_user::ActiveModel = user.clone().into();
        am.all_parks = Set(role == Role::Admin);
        if role == Role::Department {
            am.department_id = Set(crate::departments::find_by_code(db, "safety").await?.map(|d| d.id));
        }
        am.update(db).await.map_err(StoreError::from)?;
        if role != Role::Admin {
            users::set_parks(db, user.id, &[summary.park_id]).await?;
        }
        if role == Role::Worker {
            let grid = unassigned.next().ok_or(StoreError::NotFound("grid"))?;
            grid_assignment::ActiveModel { grid_id: Set(grid.id), user_id: Set(user.id), assigned_at: Set(since), ..Default::default() }
                .insert(db)
                .await
                .map_err(StoreError::from)?;
        }
    }
    txn.commit().await?;
    Ok(Outcome::Loaded { enterprises: n, grids: grid_count })
}
