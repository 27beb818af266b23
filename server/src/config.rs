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
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("LEPTOS_SITE_ADDR={0:?} is not an address like 127.0.0.1:3000")]
    BadAddr(String),
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://var/parkgrid.db";

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
