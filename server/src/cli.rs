//! The `parkgrid` command line: one program for operators.
//!
//! Exit codes: 0 success, 1 failure (logged), 2 bad input (the report names each problem).

use crate::config::{self, Config};
use crate::startup::Application;
use clap::{Parser, Subcommand};
use domain::Boundary;
use domain::coords::Datum;
use domain::enterprise::{ImportProblem, Location, parse_csv, parse_geojson};
use std::path::{Path, PathBuf};
use store::parks::{ImportError, ParkImport};

#[derive(Parser)]
#[command(name = "parkgrid", version, about = "Grid management for industrial parks (DB33/T 2320-2021)")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the web app and API (the default). Migrates the database first.
    Serve,
    /// Apply pending database migrations.
    Migrate,
    /// Import (or update) a park: its boundary and its enterprises. All or nothing.
    Import {
        /// Park code, used as the prefix of grid codes (e.g. ZL).
        #[arg(long)]
        code: String,
        /// Park name.
        #[arg(long)]
        name: String,
        /// GeoJSON with the park's Polygon/MultiPolygon boundary (WGS84).
        #[arg(long)]
        boundary: PathBuf,
        /// Enterprises: a GeoJSON FeatureCollection of points, or a CSV (UTF-8, with a header
        /// naming id, name, lon, lat and optionally credit_code/tax_id, address, industry).
        #[arg(long)]
        enterprises: PathBuf,
        /// The coordinate system of the enterprises' positions: `wgs84` (GPS, OpenStreetMap,
        /// Tianditu) or `gcj02` (AMap, Tencent, Chinese geocoders: converted to WGS84).
        #[arg(long, default_value = "wgs84", value_parser = parse_datum)]
        datum: Datum,
    },
    /// Partition enterprises into grids: writes a GeoJSON FeatureCollection of grids and prints
    /// the quality figures as one JSON object.
    Partition {
        /// Enterprises: a GeoJSON FeatureCollection of points.
        #[arg(long)]
        enterprises: PathBuf,
        /// The park boundary (Polygon/MultiPolygon); derived from the enterprises without it.
        #[arg(long)]
        boundary: Option<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
        /// A numeric property holding each enterprise's workload weight (default: 1 each).
        #[arg(long)]
        weight_property: Option<String>,
        /// A previous plan (grids with a `code` property): grids stay where they were and keep
        /// their codes where they survive.
        #[arg(long)]
        previous: Option<PathBuf>,
        /// Roads, rivers and the like (GeoJSON LineStrings/MultiLineStrings): no grid spans a
        /// piece of the park they cut off, and grid edges follow them.
        #[arg(long)]
        barriers: Option<PathBuf>,
        /// Prefix of the grid codes.
        #[arg(long, default_value = "G")]
        code: String,
        /// Where to write the grids.
        #[arg(long)]
        out: PathBuf,
    },
    /// Check a plan of grids: overlaps, gaps, grids in pieces or outside the park, enterprises in
    /// no grid or in several, counts outside the limits. Prints the findings as JSON; exits 1
    /// when there is any.
    Validate {
        /// Grids: a GeoJSON FeatureCollection of (Multi)Polygons with a `code` property.
        #[arg(long)]
        grids: PathBuf,
        /// Enterprises: a GeoJSON FeatureCollection of points.
        #[arg(long)]
        enterprises: PathBuf,
        /// The park boundary; without it, gaps and "outside the park" are not checked.
        #[arg(long)]
        boundary: Option<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Copy the whole database to a file, while the server runs: SQLite's online backup
    /// (`VACUUM INTO`, a consistent snapshot) or, for PostgreSQL, `pg_dump --format=custom`.
    Backup {
        /// The file to write (must not exist).
        #[arg(long)]
        out: PathBuf,
    },
    /// Replace the database with a backup made by `parkgrid backup`. Stop the server first.
    /// SQLite: the file is checked, then put in place of the database (the old one is kept
    /// as `<file>.before-restore`); PostgreSQL: `pg_restore --clean` in one transaction.
    Restore {
        /// The backup file.
        #[arg(long)]
        from: PathBuf,
    },
    /// Accounts: `user add` makes one (the first administrator of a new installation, say),
    /// `user passwd` sets a password. Passwords are read from the terminal (not echoed) or
    /// from standard input, never from the command line.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Load the demo park (once) and print the demo sign-ins.
    Demo {
        /// Folder with the demo park's two GeoJSON files.
        #[arg(long, default_value = "data/demo")]
        data: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create an account.
    Add {
        #[arg(long)]
        login: String,
        /// The name shown in the pages (default: the login).
        #[arg(long)]
        name: Option<String>,
        /// admin, manager, department or worker.
        #[arg(long, value_parser = parse_role)]
        role: domain::Role,
        /// A park the account works in (its code); repeat for several.
        #[arg(long = "park")]
        parks: Vec<String>,
        /// Every park, present and future (an administrator; the default for one given no park).
        #[arg(long)]
        all_parks: bool,
        /// A department officer's department (its code, e.g. safety).
        #[arg(long)]
        department: Option<String>,
    },
    /// Set an account's password (its sessions end).
    Passwd { login: String },
}

fn parse_role(s: &str) -> Result<domain::Role, String> {
    s.parse().map_err(|e: domain::role::UnknownRole| e.to_string())
}

/// A password from the terminal (typed twice, not echoed) or the first line of standard input.
fn read_password() -> anyhow::Result<String> {
    use std::io::{BufRead, IsTerminal};
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("password: ")?;
        let again = rpassword::prompt_password("again: ")?;
        if first != again {
            return Err(BadInput(vec!["the two passwords differ".into()]).into());
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// A refused input from the store as the command line reports it (exit code 2).
fn refused(e: store::StoreError) -> anyhow::Error {
    match e {
        store::StoreError::Refused(r) => BadInput(vec![r.message]).into(),
        store::StoreError::NotFound(what) => BadInput(vec![format!("no such {what}")]).into(),
        other => other.into(),
    }
}

/// Enterprises per grid (clause 5.3.1: one worker per 20–40 enterprises).
#[derive(clap::Args)]
pub struct LimitArgs {
    /// Fewest enterprises per grid.
    #[arg(long, default_value_t = *domain::grid::WORKER_LOAD.start())]
    min: u32,
    /// Most enterprises per grid.
    #[arg(long, default_value_t = *domain::grid::WORKER_LOAD.end())]
    max: u32,
}

impl LimitArgs {
    fn limits(&self) -> partition::Limits {
        partition::Limits { min: self.min, max: self.max }
    }
}

/// `validate` found problems (exit code 1; the findings are on stdout).
#[derive(Debug, thiserror::Error)]
#[error("{0} finding(s)")]
pub struct Findings(pub usize);

/// A failure that the command line reports as bad input (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.join("\n"))]
pub struct BadInput(pub Vec<String>);

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).map_err(|e| BadInput(vec![format!("{}: {e}", path.display())]).into())
}

fn report(path: &Path, problems: &[ImportProblem]) -> BadInput {
    BadInput(problems.iter().map(|p| format!("{}: {p}", path.display())).collect())
}

fn parse_datum(s: &str) -> Result<Datum, String> {
    Datum::parse(s).ok_or_else(|| format!("{s:?}: expected wgs84 or gcj02"))
}

/// Reads and validates a park; every problem is listed, with the file and place. Enterprise
/// positions in `datum` are converted to WGS84 first.
pub fn read_park(code: &str, name: &str, boundary: &Path, enterprises: &Path, datum: Datum) -> anyhow::Result<ParkImport> {
    let area = Boundary::from_geojson_str(&read(boundary)?).map_err(|e| BadInput(vec![format!("{}: {e}", boundary.display())]))?;
    let is_csv = enterprises.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let records = if is_csv {
        let bytes = std::fs::read(enterprises).map_err(|e| BadInput(vec![format!("{}: {e}", enterprises.display())]))?;
        parse_csv(&bytes)
    } else {
        parse_geojson(&read(enterprises)?)
    }
    .map_err(|problems| report(enterprises, &problems))?;
    let mut records = records;
    for r in &mut records {
        (r.position.lon, r.position.lat) = datum.to_wgs84(r.position.lon, r.position.lat);
    }
    // CSV line numbers are not kept per record after parsing; features are indexed in order.
    let locations = (0..records.len()).map(|i| if is_csv { Location::Line(i as u64 + 2) } else { Location::Feature(i) }).collect();
    Ok(ParkImport { code: code.trim().to_owned(), name: name.trim().to_owned(), boundary: area, enterprises: records, locations })
}

async fn connect(config: &Config) -> anyhow::Result<store::DatabaseConnection> {
    config::prepare_sqlite_dir(&config.database_url)?;
    let db = store::db::connect(&config.database_url).await?;
    store::db::migrate(&db).await?;
    Ok(db)
}

pub async fn run(cli: Cli, config: Config) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(config).await?;
            tracing::info!("parkgrid listening on http://{}", app.addr());
            println!("parkgrid listening on http://{}", app.addr());
            app.run().await?;
        }
        Command::Migrate => {
            connect(&config).await?;
            println!("database is up to date");
        }
        Command::Import { code, name, boundary, enterprises, datum } => {
            let input = read_park(&code, &name, &boundary, &enterprises, datum)?;
            let db = connect(&config).await?;
            match store::parks::import(&db, input, None).await {
                Ok(s) => println!(
                    "park {code}: {} ({} enterprises created, {} updated)",
                    if s.park_created { "created" } else { "updated" },
                    s.enterprises_created,
                    s.enterprises_updated
                ),
                Err(ImportError::Invalid(problems)) => {
                    return Err(report(&enterprises, &problems).into());
                }
                Err(ImportError::Store(e)) => return Err(e.into()),
            }
        }
        Command::Partition { enterprises, boundary, limits, weight_property, previous, barriers, code, out } => {
            let files = crate::partition_cmd::Files {
                enterprises: &enterprises,
                boundary: boundary.as_deref(),
                previous: previous.as_deref(),
                barriers: barriers.as_deref(),
                out: &out,
            };
            crate::partition_cmd::run(&files, limits.limits(), weight_property.as_deref(), &code)?;
        }
        Command::Validate { grids, enterprises, boundary, limits } => {
            let findings = crate::partition_cmd::validate(&grids, &enterprises, boundary.as_deref(), limits.limits())?;
            if findings > 0 {
                return Err(Findings(findings).into());
            }
        }
        Command::Backup { out } => {
            let db = connect(&config).await?;
            crate::backup::backup(&db, &config.database_url, &out).await?;
            println!("backup written to {}", out.display());
        }
        Command::Restore { from } => {
            crate::backup::restore(&config.database_url, &from).await?;
            println!("database restored from {}", from.display());
        }
        Command::User { command: UserCommand::Add { login, name, role, parks, all_parks, department } } => {
            let db = connect(&config).await?;
            let mut park_ids = Vec::new();
            for code in &parks {
                park_ids.push(store::parks::find_by_code(&db, code).await?.ok_or_else(|| BadInput(vec![format!("no park {code:?}")]))?.id);
            }
            let department = match department {
                Some(code) => Some(store::departments::find_by_code(&db, &code).await?.ok_or_else(|| BadInput(vec![format!("no department {code:?}")]))?.id),
                None => None,
            };
            // An administrator given no park works in every park.
            let all_parks = all_parks || (role == domain::Role::Admin && park_ids.is_empty());
            let password = read_password()?;
            let spec = store::users::AccountSpec {
                login: &login,
                display_name: name.as_deref().unwrap_or(&login),
                role,
                parks: park_ids,
                all_parks,
                department,
                password: Some(&password),
            };
            let (user, _) = store::users::create_account(&db, spec, None).await.map_err(refused)?;
            println!("account {} created ({}{})", user.login, user.role, if all_parks { ", every park" } else { "" });
        }
        Command::User { command: UserCommand::Passwd { login } } => {
            let db = connect(&config).await?;
            let password = read_password()?;
            store::users::set_password(&db, &login, &password).await.map_err(refused)?;
            println!("password of {login} set; its sessions have ended");
        }
        Command::Demo { data } => {
            let input = read_park(
                store::demo::PARK_CODE,
                store::demo::PARK_NAME,
                &data.join("park_zhongli_industrial_area_boundary_derived.geojson"),
                &data.join("park_zhongli_industrial_area_factories.geojson"),
                Datum::Wgs84,
            )?;
            let db = connect(&config).await?;
            let loaded = store::demo::load(&db, input.boundary, input.enterprises).await;
            let cases = if loaded.is_ok() { store::demo::load_cases(&db).await? } else { 0 };
            if cases > 0 {
                println!("demo cases loaded: {cases} demands at every stage of the service loop");
                let (visits, past) = store::demo_history::load(&db).await?;
                println!("demo history loaded: {visits} visits and {past} demands of the last three months (synthetic)");
            }
            let grids = match loaded {
                Ok(store::demo::Outcome::Loaded { enterprises, grids }) => {
                    println!("demo park loaded: {enterprises} enterprises in {grids} grids");
                    grids
                }
                Ok(store::demo::Outcome::AlreadyLoaded) => {
                    println!("demo park already loaded; data kept");
                    store::views::park_map(&db, Some(store::demo::PARK_CODE)).await?.map_or(0, |v| v.grids.len())
                }
                Err(ImportError::Invalid(problems)) => return Err(report(&data, &problems).into()),
                Err(ImportError::Store(e)) => return Err(e.into()),
            };
            print_logins(grids);
        }
    }
    Ok(())
}

fn print_logins(grids: usize) {
    println!("\nDemo sign-ins (password for all: {}):", store::demo::PASSWORD);
    let accounts = store::demo::accounts(grids);
    for (login, name, role) in accounts.iter().take(5) {
        println!("  {login:<10} {role:<10} {name}");
    }
    if accounts.len() > 5 {
        println!("  … worker03 to worker{:02}, one per grid", grids);
    }
}
