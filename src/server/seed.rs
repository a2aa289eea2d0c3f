//! Demo data for Kota Mojokerto: its OPDs (FRAMEWORKS.md §4), one account per role, an SPBE 2025
//! cycle whose self-assessment continues the city's published history, and a Pemdi 2026 cycle.
//! Demo users are named by role, never after real people.

use super::db::{now, record_event, Db};
use super::{load_builtin_packs, pack_id};
use crate::auth::ssr::{insert_user, NewUser};
use crate::auth::Role;
use crate::dashboard::Stage;
use crate::error::AppError;
use sqlx::Row;

pub const DEMO_INSTANSI_CODE: &str = "kota-mojokerto";
pub const DEMO_PASSWORD: &str = "sinergi-demo";

/// (code, name, kind)
pub const OPDS: &[(&str, &str, &str)] = &[
    ("SETDA", "Sekretariat Daerah", "sekretariat"),
    ("BAG-ORG", "Bagian Organisasi", "bagian"),
    ("BAG-HUKUM", "Bagian Hukum", "bagian"),
    ("BAG-UMUM", "Bagian Umum", "bagian"),
    ("BAG-PK", "Bagian Perencanaan dan Keuangan", "bagian"),
    ("BAG-PBJ", "Bagian Pengadaan Barang/Jasa", "bagian"),
    ("INSPEKTORAT", "Inspektorat", "inspektorat"),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "badan"),
    (
        "BPKPD",
        "Badan Pendapatan, Pengelolaan Keuangan dan Aset Daerah",
        "badan",
    ),
    (
        "BKPSDM",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "badan",
    ),
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas"),
    (
        "DISPENDUKCAPIL",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "dinas",
    ),
    (
        "DPMPTSP",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "dinas",
    ),
    ("DINKES", "Dinas Kesehatan", "dinas"),
    ("DISDIK", "Dinas Pendidikan", "dinas"),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "dinas"),
    ("DISHUB", "Dinas Perhubungan", "dinas"),
    ("DINSOS", "Dinas Sosial", "dinas"),
    ("DLH", "Dinas Lingkungan Hidup", "dinas"),
    ("SATPOLPP", "Satuan Polisi Pamong Praja", "lainnya"),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", "badan"),
    ("DISPERPUSIP", "Dinas Perpustakaan dan Kearsipan", "dinas"),
    ("RSUD", "Rumah Sakit Umum Daerah", "lainnya"),
    ("KEC-PRAJURITKULON", "Kecamatan Prajurit Kulon", "kecamatan"),
    ("KEC-MAGERSARI", "Kecamatan Magersari", "kecamatan"),
    ("KEC-KRANGGAN", "Kecamatan Kranggan", "kecamatan"),
];

/// (username, display name, role, OPDs)
pub const DEMO_USERS: &[(&str, &str, Role, &[&str])] = &[
    ("admin", "Admin Sistem", Role::Admin, &["DISKOMINFO"]),
    (
        "koordinator",
        "Kepala Diskominfo (Koordinator SPBE)",
        Role::Koordinator,
        &["DISKOMINFO"],
    ),
    ("opd", "Staf Dinas Kesehatan", Role::Opd, &["DINKES"]),
    ("kadinkes", "Kepala Dinas Kesehatan", Role::Opd, &["DINKES"]),
    (
        "asesor",
        "Auditor Inspektorat",
        Role::Asesor,
        &["INSPEKTORAT"],
    ),
    ("pimpinan", "Wali Kota", Role::Pimpinan, &[]),
    ("viewer", "Evaluator Eksternal", Role::Viewer, &[]),
];

/// (username, OPD): the heads who sign the joint commitment for their OPD.
/// The demo account that is also the deployment's super-admin (the national roll-up).
pub const DEMO_NATIONAL: &str = "admin";

pub const DEMO_HEADS: &[(&str, &str)] = &[("koordinator", "DISKOMINFO"), ("kadinkes", "DINKES")];

/// The schedule of the current cycle, in days from the day the demo is seeded (so the war
/// room always has a countdown).
pub const DEMO_MILESTONE_DAYS: [(&str, i64); 5] = [
    ("mandiri", -10),
    ("dokumen", 14),
    ("wawancara", 35),
    ("visitasi", 49),
    ("hasil", 84),
];

/// SPBE 2025 self-assessment, indicators 1..47 (index 4,38: continuing 4,26 in 2023 and 4,32 in
/// 2024).
pub const SPBE_2025_MANDIRI: [i64; 47] = [
    5, 5, 4, 5, 4, 5, 4, 5, 4, 5, // A1
    4, 5, 4, 4, // A2
    5, 4, 5, 4, // A3
    4, 4, // A4
    4, 4, 4, 4, 4, 4, 4, 4, // A5
    4, 4, 4, // A6
    5, 5, 4, 5, 4, 5, 4, 4, 5, 4, // A7
    5, 4, 5, 4, 5, 4, // A8
];

/// Internal verification has reached the first 30 indicators; two claims were lowered.
pub const SPBE_2025_VERIFIED: usize = 30;
pub const SPBE_2025_LOWERED: [usize; 2] = [3, 24];

pub const PEMDI_2026_MANDIRI: [i64; 20] =
    [4, 4, 4, 3, 4, 3, 3, 3, 3, 4, 3, 3, 4, 4, 4, 4, 4, 3, 4, 4];

pub const HISTORY: [(i64, i64, &str); 4] = [
    (2021, 292, "Baik"),
    (2022, 332, "Baik"),
    (2023, 426, "Memuaskan"),
    (2024, 432, "Memuaskan"),
];

pub const NATIONAL_AVERAGE: [(i64, i64); 7] = [
    (2018, 198),
    (2019, 218),
    (2020, 226),
    (2021, 224),
    (2022, 234),
    (2023, 279),
    (2024, 312),
];

/// Lead and contributing OPDs of SPBE indicator `i` (1–47): policies are drafted with the
/// legal bureau, services sit with the OPD that runs them.
pub fn spbe_responsibility(i: usize) -> (&'static str, &'static [&'static str]) {
    match i {
        1..=8 | 10 => ("DISKOMINFO", &["BAG-HUKUM"]),
        9 => ("INSPEKTORAT", &["DISKOMINFO", "BAG-HUKUM"]),
        11 | 12 | 19 | 20 => ("DISKOMINFO", &["BAPPEDA"]),
        13 => ("BAPPEDA", &["DISKOMINFO", "BPKPD"]),
        14 | 26 | 27 => ("BAG-ORG", &["DISKOMINFO"]),
        15..=18 | 22 | 23 | 28 => ("DISKOMINFO", &[]),
        21 => ("DISKOMINFO", &["INSPEKTORAT"]),
        24 => ("BPKPD", &["DISKOMINFO"]),
        25 => ("BKPSDM", &["DISKOMINFO"]),
        29..=31 => ("INSPEKTORAT", &["DISKOMINFO"]),
        32 => ("BAPPEDA", &[]),
        33 | 34 | 38 => ("BPKPD", &[]),
        35 => ("BAG-PBJ", &[]),
        36 | 41 => ("BKPSDM", &[]),
        37 => ("DISPERPUSIP", &[]),
        39 => ("INSPEKTORAT", &[]),
        40 => ("BAG-ORG", &["BAPPEDA"]),
        42 => ("DISKOMINFO", &["DINKES", "DISPENDUKCAPIL", "DPMPTSP"]),
        43 => ("DISKOMINFO", &["BAPPEDA"]),
        44 => ("BAG-HUKUM", &["DISKOMINFO"]),
        45 => ("DINKES", &["DISKOMINFO", "RSUD"]),
        46 => ("DPMPTSP", &["DISKOMINFO"]),
        _ => ("DISPENDUKCAPIL", &["DISKOMINFO"]),
    }
}

/// Lead and contributing OPDs of Pemdi indicator `I{i}` (1–20).
pub fn pemdi_responsibility(i: usize) -> (&'static str, &'static [&'static str]) {
    match i {
        3 => ("BKPSDM", &["DISKOMINFO"]),
        4 => ("BAPPEDA", &["DISKOMINFO"]),
        6 => ("DPUPR", &["BAPPEDA", "DISKOMINFO"]),
        9 => ("INSPEKTORAT", &["DISKOMINFO"]),
        15 | 20 => ("BAG-ORG", &["DISKOMINFO", "DINKES", "DISPENDUKCAPIL"]),
        17 | 19 => ("DPMPTSP", &["DISKOMINFO", "DINKES"]),
        _ => ("DISKOMINFO", &[]),
    }
}

/// A demo effort estimate per level (1 light … 5 heavy); the koordinator's own estimate
/// replaces it in real use.
pub fn effort_estimate(i: usize) -> i64 {
    (i as i64 * 7 % 5) + 1
}

/// Whether any instansi exists yet (first start).
pub async fn is_empty(db: &Db) -> Result<bool, AppError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM instansi")
        .fetch_one(&db.pool)
        .await?;
    Ok(row.try_get::<i64, _>("n")? == 0)
}

/// Seeds the demo; does nothing when the demo instansi already exists.
pub async fn seed_demo(db: &Db) -> Result<bool, AppError> {
    load_builtin_packs(db).await?;
    let exists = sqlx::query("SELECT id FROM instansi WHERE code = $1")
        .bind(DEMO_INSTANSI_CODE)
        .fetch_optional(&db.pool)
        .await?;
    if exists.is_some() {
        return Ok(false);
    }
    let spbe = pack_id(db, "spbe-2020").await?;
    let pemdi = pack_id(db, "pemdi-2026").await?;
    // Hash first (slow, off the executor), then write everything in one transaction.
    // The demo accounts share one password, so one argon2 hash (computed once per process) serves
    // them all: seeding a test database costs one hash, not one per account.
    // A plain `OnceLock`, filled on a blocking thread, rather than an async cell: parallel tests
    // each run their own Tokio runtime, and a CI run once saw a test wait two minutes at its
    // start while they shared one `tokio::sync::OnceCell` here (not reproduced since). Now the
    // runtimes share no async primitive; two that race both hash, and one result is kept.
    static DEMO_HASH: std::sync::OnceLock<crate::auth::ssr::PasswordHash> =
        std::sync::OnceLock::new();
    let hash = tokio::task::spawn_blocking(|| match DEMO_HASH.get() {
        Some(h) => Ok(h.clone()),
        None => crate::auth::ssr::hash_password_blocking(DEMO_PASSWORD)
            .map(|h| DEMO_HASH.get_or_init(|| h).clone()),
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "hashing task failed");
        AppError::Internal
    })??;
    let mut users = Vec::new();
    for (username, display, role, opds) in DEMO_USERS {
        let opds: Vec<String> = opds.iter().map(|s| s.to_string()).collect();
        users.push(NewUser::with_hash(
            username,
            display,
            DEMO_PASSWORD,
            *role,
            &opds,
            hash.clone(),
        )?);
    }
    let t = now();
    let mut tx = db.begin().await?;
    let instansi_id: i64 = sqlx::query(
        "INSERT INTO instansi (code, name, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(DEMO_INSTANSI_CODE)
    .bind("Pemerintah Kota Mojokerto")
    .bind(t)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    for (code, name, kind) in OPDS {
        sqlx::query("INSERT INTO opd (instansi_id, code, name, kind) VALUES ($1, $2, $3, $4)")
            .bind(instansi_id)
            .bind(*code)
            .bind(*name)
            .bind(*kind)
            .execute(&mut *tx)
            .await?;
    }
    let cycle = |name: &'static str, year: i64, pack: i64, current: i64| {
        sqlx::query(
            "INSERT INTO cycle (instansi_id, pack_id, name, year, is_current, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(instansi_id)
        .bind(pack)
        .bind(name)
        .bind(year)
        .bind(current)
        .bind(t)
    };
    let spbe_cycle: i64 = cycle("SPBE 2025", 2025, spbe, 1)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
    let pemdi_cycle: i64 = cycle("Pemdi 2026", 2026, pemdi, 0)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;

    let mut entries: Vec<(i64, String, Stage, i64, &str)> = Vec::new();
    for (i, &level) in SPBE_2025_MANDIRI.iter().enumerate() {
        let code = (i + 1).to_string();
        // The plan raises every other indicator still below 5 by one level.
        let target = if i % 2 == 0 {
            (level + 1).min(5)
        } else {
            level
        };
        entries.push((
            spbe_cycle,
            code.clone(),
            Stage::Target,
            target,
            "Target Rencana Aksi SPBE 2025",
        ));
        entries.push((
            spbe_cycle,
            code.clone(),
            Stage::Mandiri,
            level,
            "Penilaian mandiri tim koordinasi SPBE",
        ));
        if i < SPBE_2025_VERIFIED {
            let verified = if SPBE_2025_LOWERED.contains(&(i + 1)) {
                level - 1
            } else {
                level
            };
            entries.push((
                spbe_cycle,
                code,
                Stage::Verifikasi,
                verified,
                "Hasil verifikasi Inspektorat",
            ));
        }
    }
    for (i, &level) in PEMDI_2026_MANDIRI.iter().enumerate() {
        let code = format!("I{}", i + 1);
        entries.push((
            pemdi_cycle,
            code.clone(),
            Stage::Target,
            (level + 1).min(5),
            "Target Pemdi 2026",
        ));
        entries.push((
            pemdi_cycle,
            code,
            Stage::Mandiri,
            level,
            "Penilaian mandiri awal",
        ));
    }
    for (cycle_id, code, stage, level, why) in &entries {
        sqlx::query(
            "INSERT INTO level_entry (instansi_id, cycle_id, indicator_code, stage, level_num, \
             level_den, justification, created_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $7)",
        )
        .bind(instansi_id)
        .bind(*cycle_id)
        .bind(code)
        .bind(stage.as_str())
        .bind(*level)
        .bind(*why)
        .bind(t)
        .execute(&mut *tx)
        .await?;
    }
    // Level criteria from the packs' level descriptions.
    for (cycle_id, pack) in [(spbe_cycle, 0), (pemdi_cycle, 1)] {
        let f = crate::scoring::Framework::from_json(crate::scoring::BUILTIN_PACKS[pack])
            .map_err(|_| AppError::Internal)?;
        crate::assessment::ssr::seed_criteria(&mut tx, cycle_id, &f, None).await?;
    }
    // The responsibility matrix: a lead OPD per indicator, contributors, an effort estimate.
    let opd_ids: std::collections::HashMap<String, i64> =
        sqlx::query("SELECT id, code FROM opd WHERE instansi_id = $1")
            .bind(instansi_id)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|r| Ok((r.try_get("code")?, r.try_get("id")?)))
            .collect::<Result<_, sqlx::Error>>()?;
    let mut matrix: Vec<(i64, String, &str, &[&str], i64)> = Vec::new();
    for i in 1..=SPBE_2025_MANDIRI.len() {
        let (lead, contributors) = spbe_responsibility(i);
        matrix.push((
            spbe_cycle,
            i.to_string(),
            lead,
            contributors,
            effort_estimate(i),
        ));
    }
    for i in 1..=PEMDI_2026_MANDIRI.len() {
        let (lead, contributors) = pemdi_responsibility(i);
        matrix.push((
            pemdi_cycle,
            format!("I{i}"),
            lead,
            contributors,
            effort_estimate(i),
        ));
    }
    for (cycle_id, code, lead, contributors, effort) in &matrix {
        sqlx::query(
            "INSERT INTO cycle_indicator (cycle_id, indicator_code, lead_opd_id, effort) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(*cycle_id)
        .bind(code)
        .bind(opd_ids.get(*lead).copied())
        .bind(*effort)
        .execute(&mut *tx)
        .await?;
        for c in contributors.iter() {
            sqlx::query(
                "INSERT INTO indicator_contributor (cycle_id, indicator_code, opd_id) \
                 VALUES ($1, $2, $3)",
            )
            .bind(*cycle_id)
            .bind(code)
            .bind(opd_ids.get(*c).copied())
            .execute(&mut *tx)
            .await?;
        }
    }
    for (year, idx, predicate) in HISTORY {
        sqlx::query(
            "INSERT INTO index_history (instansi_id, year, framework_code, index_hundredths, predicate) \
             VALUES ($1, $2, 'spbe-2020', $3, $4)",
        )
        .bind(instansi_id)
        .bind(year)
        .bind(idx)
        .bind(predicate)
        .execute(&mut *tx)
        .await?;
    }
    for (year, idx) in NATIONAL_AVERAGE {
        let exists = sqlx::query("SELECT year FROM national_average WHERE year = $1")
            .bind(year)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            sqlx::query(
                "INSERT INTO national_average (year, framework_code, index_hundredths) \
                 VALUES ($1, 'spbe-2020', $2)",
            )
            .bind(year)
            .bind(idx)
            .execute(&mut *tx)
            .await?;
        }
    }
    for user in &users {
        insert_user(&mut tx, instansi_id, user).await?;
    }
    // The demo's system admin is also the deployment's super-admin: it reads the national
    // roll-up (one row in the demo; `sinergi synthesize` adds hundreds of instansi).
    sqlx::query("UPDATE users SET is_national = 1 WHERE username = $1")
        .bind(DEMO_NATIONAL)
        .execute(&mut *tx)
        .await?;
    for (username, opd) in DEMO_HEADS {
        sqlx::query(
            "UPDATE user_opd SET is_head = 1 WHERE user_id = (SELECT id FROM users WHERE username = $1) \
             AND opd_id = (SELECT id FROM opd WHERE code = $2 AND instansi_id = $3)",
        )
        .bind(*username)
        .bind(*opd)
        .bind(instansi_id)
        .execute(&mut *tx)
        .await?;
    }
    let today = crate::boards::rules::days_of(&crate::boards::rules::today_wib(t)).unwrap_or(0);
    for (kind, offset) in DEMO_MILESTONE_DAYS {
        sqlx::query("INSERT INTO milestone (cycle_id, kind, due_on) VALUES ($1, $2, $3)")
            .bind(spbe_cycle)
            .bind(kind)
            .bind(crate::boards::rules::iso_date(today + offset))
            .execute(&mut *tx)
            .await?;
    }
    // The joint commitment of the current cycle, published and signed by the koordinator's OPD.
    let commitment: i64 = sqlx::query(
        "INSERT INTO commitment (instansi_id, cycle_id, title, body, published_by, published_at) \
         VALUES ($1, $2, $3, $4, (SELECT id FROM users WHERE username = 'koordinator'), $5) \
         RETURNING id",
    )
    .bind(instansi_id)
    .bind(spbe_cycle)
    .bind("Komitmen Bersama Percepatan SPBE Kota Mojokerto 2025")
    .bind(
        "Kami, kepala perangkat daerah di lingkungan Pemerintah Kota Mojokerto, berkomitmen \
         untuk menuntaskan penilaian mandiri setiap indikator yang menjadi tanggung jawab kami \
         beserta data dukungnya sebelum tenggat.\n\nKami bekerja lintas perangkat daerah tanpa \
         ego sektoral: berbagi data, layanan dan infrastruktur digital.\n\nKami menindaklanjuti \
         setiap catatan verifikasi dengan rencana aksi yang terukur.",
    )
    .bind(t)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    sqlx::query(
        "INSERT INTO commitment_signature (commitment_id, opd_id, user_id, signed_at) \
         SELECT $1, o.id, u.id, $2 FROM opd o, users u \
         WHERE o.code = 'DISKOMINFO' AND o.instansi_id = $3 AND u.username = 'koordinator'",
    )
    .bind(commitment)
    .bind(t)
    .bind(instansi_id)
    .execute(&mut *tx)
    .await?;
    crate::cycles::ssr::ensure_crosswalk(&mut tx, instansi_id).await?;
    crate::boards::ssr::seed_demo_boards(
        &mut tx,
        instansi_id,
        &[(spbe_cycle, true), (pemdi_cycle, false)],
    )
    .await?;
    record_event(
        &mut tx,
        instansi_id,
        "demo.disemai",
        &format!("instansi/{instansi_id}"),
        &serde_json::json!({"opd": OPDS.len(), "entri_level": entries.len()}),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The id of an instansi by code.
pub async fn instansi_id(db: &Db, code: &str) -> Result<i64, AppError> {
    let row = sqlx::query("SELECT id FROM instansi WHERE code = $1")
        .bind(code)
        .fetch_optional(&db.pool)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Instansi '{code}'")))?;
    Ok(row.try_get("id")?)
}

/// A cycle of an instansi by id or by name.
pub async fn cycle_id(db: &Db, instansi_id: i64, id_or_name: &str) -> Result<i64, AppError> {
    let by_id = id_or_name.trim().parse::<i64>().ok();
    let row = sqlx::query("SELECT id FROM cycle WHERE instansi_id = $1 AND (id = $2 OR name = $3)")
        .bind(instansi_id)
        .bind(by_id.unwrap_or(-1))
        .bind(id_or_name.trim())
        .fetch_optional(&db.pool)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Siklus '{id_or_name}'")))?;
    Ok(row.try_get("id")?)
}

/// A user id by username.
pub async fn user_id(db: &Db, username: &str) -> Result<i64, AppError> {
    let row = sqlx::query("SELECT id FROM users WHERE username = $1")
        .bind(username.trim().to_lowercase())
        .fetch_optional(&db.pool)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Pengguna '{username}'")))?;
    Ok(row.try_get("id")?)
}

/// The demo accounts, printed at start-up and in the README.
pub fn demo_accounts_text() -> String {
    let mut s = String::from("Akun demo (kata sandi semuanya: ");
    s.push_str(DEMO_PASSWORD);
    s.push_str(")\n");
    for (u, d, r, _) in DEMO_USERS {
        s.push_str(&format!("  {u:<12} {:<18} {d}\n", r.label()));
    }
    s
}
