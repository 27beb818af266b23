//! sea-orm entities, one per table of `migrations`. Plain rows: no relations are declared;
//! queries join explicitly in the service modules.
//!
//! **Architecture invariant:** entities never leave the `store` crate's services as API
//! values and never compile to wasm; the services map them into `api` types.

pub mod app_user;
pub mod audit_event;
pub mod calendar_day;
pub mod calendar_year;
pub mod case_attachment;
pub mod case_event;
pub mod case_rating;
pub mod case_stage_limit;
pub mod case_task;
pub mod case_time_limit;
pub mod demand;
pub mod department;
pub mod enterprise;
pub mod enterprise_link;
pub mod finding;
pub mod grid;
pub mod grid_assignment;
pub mod grid_member;
pub mod grid_plan;
pub mod job_lease;
pub mod known_device;
pub mod login_throttle;
pub mod notice;
pub mod notice_attachment;
pub mod park;
pub mod photo;
pub mod photo_chunk;
pub mod rate_window;
pub mod reinspection;
pub mod service_case;
pub mod service_item;
pub mod session;
pub mod user_park;
pub mod visit;
