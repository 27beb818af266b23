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

/// The demo's service loop (issue 13): demands its workers heard over the last weeks, taken
/// through the stages by the demo's manager and safety officer — new ones, dispatched ones, one
/// returned, one overdue, closed and rated ones — so that every inbox has something in it.
/// Synthetic (the real park's demands are not public). Done once: a park with cases keeps them.
pub async fn load_cases(db: &DatabaseConnection) -> Result<usize, StoreError> {
    use crate::cases::{self, NewDemand, Source};
    use crate::entities::service_case;
    use domain::case::{Action, Mode, Satisfaction};
    use domain::field::DemandCategory;
    use sea_orm::{EntityTrait, PaginatorTrait};
    if service_case::Entity::find().count(db).await? > 0 {
        return Ok(0);
    }
    let access = |login: &'static str| async move {
        let user = users::find_by_login(db, login).await?.ok_or(StoreError::NotFound("demo account"))?;
        crate::access::Access::of(db, user).await
    };
    let manager = access("manager").await?;
    let officer = access("safety").await?;
    let safety = crate::departments::find_by_code(db, "safety").await?.ok_or(StoreError::NotFound("department"))?.id;
    let demands: [(DemandCategory, &str); 10] = [
        (DemandCategory::Jobs, "旺季临近，需要招聘 30 名普工，希望对接人社部门的招聘会"),
        (DemandCategory::Policy, "想了解今年技术改造补贴的申报条件和截止时间"),
        (DemandCategory::Resources, "新生产线投产，需要办理用电增容"),
        (DemandCategory::Living, "园区夜班员工反映食堂晚上九点后无餐"),
        (DemandCategory::ProfessionalServices, "出口订单需要知识产权侵权风险评估"),
        (DemandCategory::Technology, "希望对接高校做产品检测"),
        (DemandCategory::SocialSecurity, "外地员工社保转移接续手续不清楚"),
        (DemandCategory::Resources, "厂区门口道路积水，货车进出困难"),
        (DemandCategory::Jobs, "技术工人流失，希望了解技能培训补贴"),
        (DemandCategory::Policy, "危化品仓库改造需要安全评估指导"),
    ];
    let mut made = Vec::new();
    for (i, (category, text)) in demands.iter().enumerate() {
        let worker = users::find_by_login(db, &format!("worker{:02}", i % 6 + 1)).await?.ok_or(StoreError::NotFound("demo worker"))?;
        let enterprises = cases_enterprises(db, worker.id).await?;
        let Some(&enterprise) = enterprises.get(i % enterprises.len().max(1)) else { continue };
        let at = now() - chrono::Duration::days(20 - 2 * i as i64);
        let txn = crate::db::write(db).await?;
        let case = cases::register(&txn, NewDemand { enterprise_id: enterprise, category: *category, description: text, source: Source::Visit, record: None, owner: Some(worker.id), at }).await?;
        txn.commit().await?;
        if let Some(c) = case {
            made.push(c.id);
        }
    }
    let act = |who: &crate::access::Access, id: usize, action: Action| {
        let who = who.clone();
        let case = made.get(id).copied();
        async move {
            match case {
                Some(c) => cases::act(db, &who, c, &action).await.map(|_| ()),
                None => Ok(()),
            }
        }
    };
    let text = |s: &str| s.to_owned();
    // The tenth: escalated, taken and answered by the safety department, closed, rated satisfied.
    act(&manager, 9, Action::Accept { mode: Mode::Escalated }).await?;
    act(&manager, 9, Action::Dispatch { department: safety }).await?;
    act(&officer, 9, Action::Take).await?;
    act(&officer, 9, Action::Reply { reply: text("已安排安全评价机构上门指导，并出具整改建议") }).await?;
    act(&manager, 9, Action::Verify { solved: true, note: text("") }).await?;
    // …rated by the enterprise at the worker's next visit (the tenth demand was worker04's).
    let worker = access("worker04").await?;
    act(&worker, 9, Action::Rate { satisfaction: Satisfaction::Satisfied, solved: true, comment: text("响应很快") }).await?;
    // The second: promised by the center, answered, waiting for verification.
    act(&manager, 1, Action::Accept { mode: Mode::Promised }).await?;
    act(&manager, 1, Action::Reply { reply: text("已发送申报指南，并约定下周三上门辅导") }).await?;
    // The third: escalated to safety, not taken yet (in the officer's inbox).
    act(&manager, 2, Action::Accept { mode: Mode::Escalated }).await?;
    act(&manager, 2, Action::Dispatch { department: safety }).await?;
    // The eighth: escalated, returned by the department: waiting for the manager.
    act(&manager, 7, Action::Accept { mode: Mode::Escalated }).await?;
    act(&manager, 7, Action::Dispatch { department: safety }).await?;
    act(&officer, 7, Action::Return { reason: text("道路积水属住建部门职责，请转交") }).await?;
    // The seventh: solved at first contact.
    act(&manager, 6, Action::SolveAtOnce { reply: text("现场讲解了社保转移流程，并提供办事指南") }).await?;
    // The first: promised and late: its deadline set back, so it shows overdue.
    act(&manager, 0, Action::Accept { mode: Mode::Promised }).await?;
    if let Some(&late) = made.first() {
        use sea_orm::ActiveModelTrait;
        if let Some(row) = service_case::Entity::find_by_id(late).one(db).await? {
            let mut am: service_case::ActiveModel = row.into();
            am.deadline_at = Set(Some(now() - chrono::Duration::days(5)));
            am.update(db).await?;
        }
    }
    Ok(made.len())
}

/// The enterprises of a demo worker's grid.
async fn cases_enterprises(db: &DatabaseConnection, worker: i64) -> Result<Vec<i64>, StoreError> {
    let data = crate::field::field_data(db, worker).await?;
    Ok(data.enterprises.into_iter().map(|e| e.id).collect())
}
