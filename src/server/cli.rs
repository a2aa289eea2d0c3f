//! The command line of the one binary: serve (default), migrate, seed-demo, create-user, score.

use super::db::Db;
use super::AppState;
use crate::auth::Role;
use crate::scoring::Framework;
use clap::{Parser, Subcommand};
use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "sinergi",
    version,
    about = "Sinergi: persiapan evaluasi SPBE / Pemdi bersama seluruh OPD"
)]
pub struct Cli {
    /// Database URL: sqlite://path/to/file.db or postgres://user@host/db.
    /// Default: an SQLite file in the data directory.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Where the default SQLite database and the evidence files (`bukti/`) live.
    #[arg(long, env = "SINERGI_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,
    /// The largest evidence file accepted, in megabytes.
    #[arg(long, env = "SINERGI_MAX_UPLOAD_MB", default_value_t = super::DEFAULT_MAX_UPLOAD_MB, global = true)]
    pub max_upload_mb: u64,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the web application (the default).
    Serve {
        /// Address to listen on (default from Cargo.toml/LEPTOS_SITE_ADDR: 127.0.0.1:3000).
        #[arg(long, env = "SINERGI_ADDR")]
        addr: Option<SocketAddr>,
        /// Do not seed the demo on an empty database.
        #[arg(long, env = "SINERGI_NO_SEED")]
        no_seed: bool,
    },
    /// Create or update the database schema.
    Migrate,
    /// Load the built-in framework packs and the Kota Mojokerto demo data.
    SeedDemo,
    /// Create an account.
    CreateUser {
        #[arg(long)]
        username: String,
        #[arg(long, env = "SINERGI_NEW_PASSWORD", hide_env_values = true)]
        password: String,
        /// admin, koordinator, opd, asesor, pimpinan or viewer.
        #[arg(long)]
        role: String,
        /// OPD code (repeatable), e.g. --opd DINKES --opd DISKOMINFO.
        #[arg(long)]
        opd: Vec<String>,
        #[arg(long, default_value = "")]
        display_name: String,
        /// Code of the instansi (tenant).
        #[arg(long, default_value = super::seed::DEMO_INSTANSI_CODE)]
        instansi: String,
        /// Also a super-admin of the deployment: reads the national roll-up (/nasional).
        #[arg(long)]
        nasional: bool,
    },
    /// Add a synthetic national-scale dataset for measuring: N instansi, each with an SPBE
    /// cycle per year and a level for every indicator in every stage (600 × 8 × 47 × 5 =
    /// 1,128,000 ledger entries by default). Deterministic; a re-run adds what is missing.
    Synthesize {
        #[arg(long, default_value_t = 600)]
        instansi: usize,
        #[arg(long, default_value_t = 8)]
        years: usize,
        /// The year of the newest (current) cycle.
        #[arg(long, default_value_t = 2025)]
        last_year: i64,
    },
    /// Validate a framework pack (JSON) and load it as a new version; nothing is written when
    /// the pack has a problem, which is named.
    ImportPack {
        /// The pack document, as in src/scoring/packs/.
        file: PathBuf,
    },
    /// Append a level to the ledger of a cycle (with its event, so open dashboards update).
    RecordLevel {
        /// Cycle id or name, e.g. "SPBE 2025".
        #[arg(long)]
        cycle: String,
        /// Indicator code, e.g. 32 or I13.
        #[arg(long)]
        indicator: String,
        /// target, mandiri, verifikasi, eksternal or akhir.
        #[arg(long)]
        stage: String,
        /// 1 to 5; a decimal or a fraction such as 7/6 is kept exact.
        #[arg(long)]
        level: String,
        #[arg(long, default_value = "")]
        justification: String,
        /// Username of the person the entry is recorded for.
        #[arg(long)]
        by: Option<String>,
        #[arg(long, default_value = super::seed::DEMO_INSTANSI_CODE)]
        instansi: String,
    },
    /// Copy the database and the evidence files, consistently, into a new folder while the
    /// server runs (SQLite: VACUUM INTO; PostgreSQL: pg_dump, which must be installed).
    Backup {
        /// The folder to create, e.g. cadangan/2026-11-30.
        dir: PathBuf,
    },
    /// Put a backup folder back (stop the server first). On SQLite the database it replaces is
    /// kept beside it; on PostgreSQL pg_restore replaces the contents in one transaction.
    Restore {
        /// A folder written by `sinergi backup`.
        dir: PathBuf,
    },
    /// Score a level vector: JSON {"<code>": level} from FILE or standard input.
    Score {
        /// spbe-2020 or pemdi-2026.
        #[arg(long)]
        framework: String,
        /// A JSON file, or - (the default) for standard input.
        file: Option<PathBuf>,
    },
}

impl Cli {
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("sinergi.db").display()))
    }
}

/// Runs the CLI; the returned error is printed and turns into a non-zero exit.
pub async fn run(cli: Cli) -> Result<(), String> {
    let command = cli.command.as_ref().unwrap_or(&Command::Serve {
        addr: None,
        no_seed: false,
    });
    match command {
        Command::Score { framework, file } => score(framework, file.as_ref()),
        Command::Synthesize {
            instansi,
            years,
            last_year,
        } => {
            let db = open(&cli).await?;
            let started = std::time::Instant::now();
            let added =
                super::synthetic::synthesize(&db, *instansi, *years, *last_year, |n, of| {
                    if n % 10 == 0 || n == of {
                        use std::io::Write;
                        print!("\rInstansi sintetis: {n}/{of}");
                        let _ = std::io::stdout().flush();
                    }
                })
                .await
                .map_err(|e| e.to_string())?;
            println!();
            println!(
                "{added} instansi ditambahkan ({} entri level) dalam {:.1} s.",
                added * years * 47 * 5,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Backup { dir } => {
            let m = super::backup::backup(&cli.database_url(), &cli.data_dir.join("bukti"), dir)
                .await?;
            let rows: i64 = m.tables.values().sum();
            println!(
                "Cadangan {} ditulis di {}: {} tabel, {rows} baris, {} berkas data dukung.",
                m.backend,
                dir.display(),
                m.tables.len(),
                m.files
            );
            Ok(())
        }
        Command::Restore { dir } => {
            let (m, kept) =
                super::backup::restore(&cli.database_url(), &cli.data_dir.join("bukti"), dir)
                    .await?;
            let rows: i64 = m.tables.values().sum();
            println!(
                "Cadangan dipulihkan ke {}: {rows} baris, {} berkas data dukung.",
                redact(&cli.database_url()),
                m.files
            );
            if let Some(k) = kept {
                println!("Basis data sebelumnya disimpan sebagai {}.", k.display());
            }
            Ok(())
        }
        Command::Migrate => {
            let db = open(&cli).await?;
            println!("Basis data siap: {}", redact(&cli.database_url()));
            drop(db);
            Ok(())
        }
        Command::SeedDemo => {
            let db = open(&cli).await?;
            let seeded = super::seed::seed_demo(&db)
                .await
                .map_err(|e| e.to_string())?;
            if seeded {
                println!("Data demo Kota Mojokerto dimuat.");
            } else {
                println!("Data demo sudah ada; tidak ada yang diubah.");
            }
            print!("{}", super::seed::demo_accounts_text());
            Ok(())
        }
        Command::CreateUser {
            username,
            password,
            role,
            opd,
            display_name,
            instansi,
            nasional,
        } => {
            let role = Role::parse(role).ok_or_else(|| {
                format!("unknown role '{role}': use admin, koordinator, opd, asesor, pimpinan or viewer")
            })?;
            let db = open(&cli).await?;
            super::load_builtin_packs(&db)
                .await
                .map_err(|e| e.to_string())?;
            let instansi_id = super::seed::instansi_id(&db, instansi)
                .await
                .map_err(|e| e.to_string())?;
            crate::auth::ssr::create_user(
                &db,
                instansi_id,
                username,
                display_name,
                password,
                role,
                opd,
            )
            .await
            .map_err(|e| e.to_string())?;
            if *nasional {
                sqlx::query("UPDATE users SET is_national = 1 WHERE username = $1")
                    .bind(username.trim().to_lowercase())
                    .execute(&db.pool)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            println!("Pengguna '{username}' dibuat ({}).", role.label());
            Ok(())
        }
        Command::ImportPack { file } => {
            let text = std::fs::read_to_string(file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let db = open(&cli).await?;
            let f = super::import_pack(&db, &text).await?;
            println!(
                "Kerangka '{}' versi {} dimuat: {} aspek, {} indikator.",
                f.code,
                f.version,
                f.aspects.len(),
                f.indicators.len()
            );
            Ok(())
        }
        Command::RecordLevel {
            cycle,
            indicator,
            stage,
            level,
            justification,
            by,
            instansi,
        } => {
            let stage = crate::assessment::Stage::parse(stage).ok_or_else(|| {
                format!(
                    "unknown stage '{stage}': use target, mandiri, verifikasi, eksternal or akhir"
                )
            })?;
            let db = open(&cli).await?;
            let instansi_id = super::seed::instansi_id(&db, instansi)
                .await
                .map_err(|e| e.to_string())?;
            let cycle_id = super::seed::cycle_id(&db, instansi_id, cycle)
                .await
                .map_err(|e| e.to_string())?;
            let actor_id = match by {
                Some(u) => Some(
                    super::seed::user_id(&db, u)
                        .await
                        .map_err(|e| e.to_string())?,
                ),
                None => None,
            };
            let claim = crate::assessment::ssr::LevelClaim {
                cycle_id,
                indicator,
                stage,
                level,
                justification,
                actor_id,
            };
            let event = crate::assessment::ssr::record_level(&db, instansi_id, claim)
                .await
                .map_err(|e| e.to_string())?;
            println!("Level dicatat (peristiwa #{event}).");
            Ok(())
        }
        Command::Serve { addr, no_seed } => serve(&cli, *addr, *no_seed).await,
    }
}

fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(a)) if a > s => format!("{}://…{}", &url[..s], &url[a..]),
        _ => url.to_string(),
    }
}

async fn open(cli: &Cli) -> Result<Db, String> {
    let db = Db::connect(&cli.database_url())
        .await
        .map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    Ok(db)
}

fn score(framework: &str, file: Option<&PathBuf>) -> Result<(), String> {
    let packs = Framework::builtin();
    let f = packs.iter().find(|f| f.code == framework).ok_or_else(|| {
        let known: Vec<&str> = packs.iter().map(|f| f.code.as_str()).collect();
        format!(
            "unknown framework '{framework}': use one of {}",
            known.join(", ")
        )
    })?;
    let mut text = String::new();
    match file {
        Some(p) if p.as_os_str() != "-" => {
            text = std::fs::read_to_string(p)
                .map_err(|e| format!("cannot read {}: {e}", p.display()))?;
        }
        _ => {
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
        }
    }
    let out = crate::scoring::json::score_document(f, &text)?;
    println!(
        "{}",
        serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
    );
    Ok(())
}

fn leptos_options() -> leptos::config::LeptosOptions {
    // Under cargo-leptos the LEPTOS_* variables are set; run from the repository, the
    // [package.metadata.leptos] table of Cargo.toml is read; anywhere else, the same defaults.
    let source = if std::env::var_os("LEPTOS_OUTPUT_NAME").is_some() {
        None
    } else if std::path::Path::new("Cargo.toml").exists() {
        Some("Cargo.toml")
    } else {
        return leptos::config::LeptosOptions::builder()
            .output_name("sinergi")
            .site_root("target/site")
            .site_pkg_dir("pkg")
            .build();
    };
    match leptos::config::get_configuration(source) {
        Ok(conf) => conf.leptos_options,
        Err(e) => {
            tracing::warn!(error = %e, "no Leptos configuration; using defaults");
            leptos::config::LeptosOptions::builder()
                .output_name("sinergi")
                .site_root("target/site")
                .site_pkg_dir("pkg")
                .build()
        }
    }
}

async fn serve(cli: &Cli, addr: Option<SocketAddr>, no_seed: bool) -> Result<(), String> {
    let mut options = leptos_options();
    if let Some(addr) = addr {
        options.site_addr = addr;
    }
    let addr = options.site_addr;
    let url = cli.database_url();
    let db = open(cli).await?;
    super::load_builtin_packs(&db)
        .await
        .map_err(|e| e.to_string())?;
    if !no_seed
        && super::seed::is_empty(&db)
            .await
            .map_err(|e| e.to_string())?
    {
        super::seed::seed_demo(&db)
            .await
            .map_err(|e| e.to_string())?;
        println!("Basis data baru: data demo Kota Mojokerto dimuat.");
    }
    let files = cli.data_dir.join("bukti");
    std::fs::create_dir_all(&files)
        .map_err(|e| format!("cannot create {}: {e}", files.display()))?;
    // With PostgreSQL, several instances may share the database: each follows the others'
    // commits through LISTEN/NOTIFY, and polls only as a safety net.
    let live = if db.backend == super::db::Backend::Postgres {
        crate::live::ssr::LiveHub::listening(&url, std::time::Duration::from_secs(5))
    } else {
        Default::default()
    };
    let store = crate::evidence::store::FileStore::from_env(files.clone())?;
    tracing::info!(store = %store.describe(), "evidence files");
    let state = AppState {
        leptos_options: options,
        db,
        store,
        files,
        max_upload: cli.max_upload_mb.saturating_mul(1024 * 1024),
        live,
    };
    let app = super::app(state);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    println!();
    println!(
        "Sinergi berjalan di http://{addr}  (basis data: {})",
        redact(&url)
    );
    print!("{}", super::seed::demo_accounts_text());
    println!();
    axum::serve(listener, app.into_make_service())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}
