//! Configuration: environment variables with defaults that run the demo out of the box.
//!
//! | variable | default | what |
//! |---|---|---|
//! | `DATABASE_URL` | `sqlite://var/parkgrid.db` | `sqlite://FILE` or `postgres://USER:PASS@HOST/DB` |
//! | `LEPTOS_SITE_ADDR` | `127.0.0.1:3000` | address to listen on (port 0 picks a free port) |
//! | `LEPTOS_SITE_ROOT` | `target/site` | where the built front end (pkg/, vendor/, …) is |
//! | `RUST_LOG` | `info` | log filter (`tracing_subscriber` syntax) |
//! | `PARKGRID_SECURE_COOKIE` | `false` | mark the session cookie `Secure` (set behind HTTPS) |
//! | `PARKGRID_BASEMAP_PMTILES` | none | a PMTiles archive served at `/tiles/{z}/{x}/{y}` (raster ones are drawn under the grids) |
//! | `PARKGRID_BASEMAP_URL` | none | an XYZ tile URL template drawn under the grids (e.g. a Tianditu or OSM-based server) |
//! | `PARKGRID_BASEMAP_ATTRIBUTION` | none | the attribution the basemap requires |
//! | `PARKGRID_TRUST_PROXY` | `false` | behind a reverse proxy: take the client's address from `X-Forwarded-For` |
//! | `PARKGRID_JOBS_EVERY_SECS` | `60` | how often each server tries the jobs that run once across servers (the deadline sweep); a lease lapses after five of these |

use std::net::SocketAddr;

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    pub site_addr: SocketAddr,
    pub site_root: String,
    pub secure_cookie: bool,
    pub basemap_pmtiles: Option<String>,
    pub basemap_url: Option<String>,
    pub basemap_attribution: Option<String>,
    pub trust_proxy: bool,
    /// How often each server tries the jobs that must run once across all servers (the
    /// deadline sweep, under a lease that lapses after five of these).
    pub jobs_every: std::time::Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("LEPTOS_SITE_ADDR={0:?} is not an address like 127.0.0.1:3000")]
    BadAddr(String),
    #[error("PARKGRID_JOBS_EVERY_SECS={0:?} is not a whole number of seconds from 1 to 3600")]
    BadJobsEvery(String),
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://var/parkgrid.db";

/// How often each server tries the jobs that run once across servers, unless told otherwise.
pub const DEFAULT_JOBS_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let addr = var("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        Ok(Config {
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            site_addr: addr.parse().map_err(|_| ConfigError::BadAddr(addr))?,
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            secure_cookie: var("PARKGRID_SECURE_COOKIE").is_some_and(|v| v == "1" || v == "true"),
            basemap_pmtiles: var("PARKGRID_BASEMAP_PMTILES"),
            basemap_url: var("PARKGRID_BASEMAP_URL"),
            basemap_attribution: var("PARKGRID_BASEMAP_ATTRIBUTION"),
            trust_proxy: var("PARKGRID_TRUST_PROXY").is_some_and(|v| v == "1" || v == "true"),
            jobs_every: match var("PARKGRID_JOBS_EVERY_SECS") {
                None => DEFAULT_JOBS_EVERY,
                Some(v) => match v.trim().parse::<u64>() {
                    Ok(secs @ 1..=3600) => std::time::Duration::from_secs(secs),
                    _ => return Err(ConfigError::BadJobsEvery(v)),
                },
            },
        })
    }
}

/// Makes sure the directory of an SQLite file exists.
pub fn prepare_sqlite_dir(database_url: &str) -> std::io::Result<()> {
    if let Some(path) = database_url.strip_prefix("sqlite://").or_else(|| database_url.strip_prefix("sqlite:")) {
        let path = path.split('?').next().unwrap_or(path);
        if let Some(dir) = std::path::Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
    }
    Ok(())
}
