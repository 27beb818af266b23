//! parkgrid's domain: the rules of DB33/T 2320-2021 that can be stated without a database,
//! a network or a browser.
//!
//! **Architecture invariant:** nothing in this crate does IO or async. Callers hand it bytes
//! or parsed values and get values or precise errors back. Both the server and the tests reach
//! it directly, and it compiles to wasm.
//!
//! # Error policy
//! Every fallible function returns a specific error enum of its module (never `anyhow`, never
//! a bare string). Errors about user input say *where* the problem is (the GeoJSON feature
//! index, the CSV line) and *what* is wrong, in words an operator can act on. Input problems
//! are collected, not thrown one at a time: an import reports every bad feature at once, and
//! the caller writes nothing unless the whole input is valid.

pub mod calendar;
pub mod case;
pub mod coords;
pub mod enterprise;
pub mod field;
pub mod figures;
pub mod geometry;
pub mod grid;
pub mod role;

pub use enterprise::{EnterpriseRecord, ImportProblem, Position};
pub use geometry::{Boundary, GeometryError};
pub use grid::{GridCode, PlanStatus};
pub use role::{Capability, Role};
