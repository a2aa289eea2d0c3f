//! The permission matrix (issue 7): every server fn and every REST API route × every demo role
//! and an anonymous caller, each answer compared with the rule README.md "Who may do what"
//! states, on SQLite and PostgreSQL.
//!
//! Completeness is checked, not claimed: the server fns registered in the binary and the routes of
//! `sinergi::api::v1::routes()` must each have a row below, so a new endpoint without a row
//! fails this test.
//!
//! Allowed is 2xx/3xx. Refused is 401 for the anonymous caller (everywhere but the public
//! endpoints) and 403 or 404 for a signed-in one. Each call gets valid arguments from the seeded
//! demo (and a fresh object where a call changes or uses one up), so a refusal is the permission
//! check and nothing else.

mod common;

use axum::Router;
use common::{api_request, call, login, on_both, post_form, post_multipart, router};
use http::StatusCode;
use sinergi::auth::Role;
use sinergi::server::db::Db;
use sinergi::server::seed::{self, DEMO_PASSWORD};
use sqlx::Row;
use std::collections::{BTreeSet, HashMap};

/// Who may call an operation, as README.md "Who may do what" states it.
#[derive(Clone, Copy, Debug)]
enum Rule {
    /// Anyone, without a session too.
    Public,
    /// Every signed-in role.
    SignedIn,
    /// Every signed-in role but the viewer.
    NotViewer,
    /// Admin and koordinator.
    Managers,
    /// The deployment's super-admin.
    National,
    /// Members of the lead or a contributing OPD of indicator 45, never pimpinan or viewer.
    ClaimRight,
    /// The asesor (never of their own claim or mark; here the claim is `opd`'s).
    Asesor,
    /// Admin and koordinator, and opd/asesor members of one of these OPDs (the card's lead and
    /// contributors).
    CardEditor(&'static [&'static str]),
    /// The head of this OPD.
    Head(&'static str),
    /// This one account only (its own things).
    Only(&'static str),
    /// Nobody (e.g. writing with a read token).
    Nobody,
}

use Rule::*;

/// Every server fn (endpoint, case, rule). One endpoint may have several cases.
const SERVER_FNS: &[(&str, &str, Rule)] = &[
    // Accounts.
    ("pengguna-saya", "", Public),
    ("daftar-pengguna", "", Managers),
    ("kepala-opd", "", Managers),
    // API tokens: one's own.
    ("token-daftar", "", SignedIn),
    ("token-buat", "", SignedIn),
    ("token-cabut", "own token", SignedIn),
    ("token-cabut", "koordinator's token", Only("koordinator")),
    ("dokumentasi-api", "", Public),
    ("nasional", "", National),
    // Assessment.
    ("siklus", "", SignedIn),
    ("siklus-detail", "", SignedIn),
    ("indikator", "", SignedIn),
    ("klaim-level", "indicator 45", ClaimRight),
    ("verifikasi", "opd's claim", Asesor),
    ("level-resmi", "", Managers),
    ("tanggung-jawab", "", Managers),
    ("kriteria", "centang", ClaimRight),
    ("kriteria", "terima opd's mark", Asesor),
    ("kriteria-ubah", "", Managers),
    ("diskusi", "", NotViewer),
    // Cycles.
    ("siklus-pilihan", "", SignedIn),
    ("padanan", "", SignedIn),
    ("padanan-ubah", "", Managers),
    ("siklus-meta", "", SignedIn),
    ("siklus-baru", "", Managers),
    ("siklus-ubah", "", Managers),
    ("kirim-tahap", "", Managers),
    ("beku", "", SignedIn),
    ("impor", "", SignedIn),
    ("impor-putuskan", "", Managers),
    ("kalibrasi", "", SignedIn),
    // Leadership and commitment.
    ("pimpinan", "", SignedIn),
    ("kios", "valid link", Public),
    ("kios-baru", "", Managers),
    ("kios-cabut", "", Managers),
    ("komitmen", "", SignedIn),
    ("komitmen-terbit", "", Managers),
    ("komitmen-tanda-tangan", "for DINKES", Head("DINKES")),
    // Boards.
    ("papan-daftar", "", SignedIn),
    ("papan-baru", "", Managers),
    ("papan", "", SignedIn),
    ("kolom", "", Managers),
    ("kartu-baru", "led by DINKES", CardEditor(&["DINKES"])),
    ("kartu-baru", "led by BAPPEDA", CardEditor(&["BAPPEDA"])),
    ("kartu", "", SignedIn),
    ("kartu-ubah", "led by DINKES", CardEditor(&["DINKES"])),
    (
        "kartu-ubah",
        "BAPPEDA's, DINKES contributes",
        CardEditor(&["BAPPEDA", "DINKES"]),
    ),
    ("kartu-ubah", "led by BAPPEDA", CardEditor(&["BAPPEDA"])),
    ("kartu-pindah", "led by DINKES", CardEditor(&["DINKES"])),
    ("kartu-pindah", "led by BAPPEDA", CardEditor(&["BAPPEDA"])),
    ("kartu-indikator", "led by DINKES", CardEditor(&["DINKES"])),
    ("kartu-cek", "led by DINKES", CardEditor(&["DINKES"])),
    ("kartu-cek", "led by BAPPEDA", CardEditor(&["BAPPEDA"])),
    ("kartu-lampiran", "led by DINKES", CardEditor(&["DINKES"])),
    ("kartu-komentar", "", NotViewer),
    ("kehadiran", "", SignedIn),
    ("saya", "", SignedIn),
    ("notifikasi-jumlah", "", Public),
    ("notifikasi-baca", "", SignedIn),
    ("kolaborasi", "", SignedIn),
    // Reports, dashboard, evidence.
    ("laporan", "", SignedIn),
    ("dasbor", "", SignedIn),
    ("bukti", "", SignedIn),
];

/// Every REST API route (method, path, case, rule); the token is the caller's own write token
/// unless the case says "read token". Anonymous: no token.
const API_ROUTES: &[(&str, &str, &str, Rule)] = &[
    ("get", "/api/v1/openapi.json", "", Public),
    ("get", "/api/v1/cycles", "", SignedIn),
    ("get", "/api/v1/cycles/{cycle}/indicators", "", SignedIn),
    ("get", "/api/v1/cycles/{cycle}/scores", "", SignedIn),
    (
        "post",
        "/api/v1/cycles/{cycle}/indicators/{code}/claims",
        "",
        ClaimRight,
    ),
    (
        "post",
        "/api/v1/cycles/{cycle}/indicators/{code}/claims",
        "read token",
        Nobody,
    ),
    ("get", "/api/v1/boards", "", SignedIn),
    ("get", "/api/v1/boards/{board}/cards", "", SignedIn),
    (
        "post",
        "/api/v1/boards/{board}/cards",
        "led by DINKES",
        CardEditor(&["DINKES"]),
    ),
    (
        "post",
        "/api/v1/boards/{board}/cards",
        "led by BAPPEDA",
        CardEditor(&["BAPPEDA"]),
    ),
    ("post", "/api/v1/boards/{board}/cards", "read token", Nobody),
    (
        "post",
        "/api/v1/boards/{board}/cards/{card}/comments",
        "",
        NotViewer,
    ),
    (
        "post",
        "/api/v1/boards/{board}/cards/{card}/comments",
        "read token",
        Nobody,
    ),
];

/// One caller: a demo account, or the anonymous visitor (`role: None`).
struct Caller {
    name: &'static str,
    role: Option<Role>,
    opds: &'static [&'static str],
    heads: Vec<&'static str>,
    national: bool,
}

/// The anonymous caller, then the demo accounts (README.md "Demo accounts").
fn callers() -> Vec<Caller> {
    let mut out = vec![Caller {
        name: "anonim",
        role: None,
        opds: &[],
        heads: vec![],
        national: false,
    }];
    for (name, _, role, opds) in seed::DEMO_USERS {
        out.push(Caller {
            name,
            role: Some(*role),
            opds,
            heads: seed::DEMO_HEADS
                .iter()
                .filter(|(u, _)| u == name)
                .map(|(_, o)| *o)
                .collect(),
            national: *name == seed::DEMO_NATIONAL,
        });
    }
    out
}

/// The rule applied to a caller. `responsible`: the OPDs answering for indicator 45.
fn allowed(rule: Rule, c: &Caller, responsible: &[String]) -> bool {
    let Some(role) = c.role else {
        return matches!(rule, Public);
    };
    let manager = matches!(role, Role::Admin | Role::Koordinator);
    match rule {
        Public | SignedIn => true,
        NotViewer => role != Role::Viewer,
        Managers => manager,
        National => c.national,
        ClaimRight => {
            !matches!(role, Role::Viewer | Role::Pimpinan)
                && c.opds.iter().any(|o| responsible.iter().any(|r| r == o))
        }
        Asesor => role == Role::Asesor,
        CardEditor(opds) => {
            manager
                || (matches!(role, Role::Opd | Role::Asesor)
                    && c.opds.iter().any(|o| opds.contains(o)))
        }
        Head(opd) => c.heads.contains(&opd),
        Only(name) => c.name == name,
        Nobody => false,
    }
}

/// The seeded demo as the rows use it.
struct Ctx {
    app: Router,
    db: Db,
    cycle: i64,
    pemdi: i64,
    board: i64,
    columns: Vec<i64>,
    dinkes: i64,
    bappeda: i64,
    /// A card led by DINKES and one led by BAPPEDA, shared by the rows that only add to them.
    card: i64,
    bappeda_card: i64,
    evidence: i64,
    /// The level-1 criterion of indicator 45.
    criterion: i64,
    snapshot: i64,
    batch: i64,
    kiosk: String,
    responsible: Vec<String>,
    cookies: HashMap<&'static str, String>,
    read_tokens: HashMap<&'static str, String>,
    write_tokens: HashMap<&'static str, String>,
}

impl Ctx {
    fn cookie(&self, who: &str) -> Option<&str> {
        self.cookies.get(who).map(String::as_str)
    }

    fn koord(&self) -> Option<&str> {
        self.cookie("koordinator")
    }

    /// A server fn call that must succeed (setting up a row); returns the body.
    async fn ok(&self, endpoint: &str, args: &str, who: &str) -> String {
        let (status, body) = call(&self.app, endpoint, args, self.cookie(who)).await;
        assert!(
            status.is_success() || status.is_redirection(),
            "setup {endpoint} as {who}: {status} {body}"
        );
        body
    }

    async fn max_id(&self, sql: &'static str, bind: i64) -> i64 {
        sqlx::query(sql)
            .bind(bind)
            .fetch_one(&self.db.pool)
            .await
            .expect("query")
            .try_get::<Option<i64>, _>("id")
            .expect("id")
            .expect("a row")
    }

    /// A fresh card on the default board, made by the koordinator.
    async fn new_card(&self, title: &str, lead: i64) -> i64 {
        let args = format!(
            "board={}&column={}&title={title}&lead={lead}",
            self.board, self.columns[0]
        );
        self.ok("kartu-baru", &args, "koordinator")
            .await
            .trim()
            .parse()
            .expect("card id")
    }

    async fn card_version(&self, card: i64) -> i64 {
        sqlx::query("SELECT version FROM card WHERE id = $1")
            .bind(card)
            .fetch_one(&self.db.pool)
            .await
            .expect("card")
            .try_get("version")
            .expect("version")
    }

    /// A new token of `who` (`scope`): (id, secret).
    async fn new_token(&self, who: &str, scope: &str) -> (i64, String) {
        let body = self
            .ok("token-buat", &format!("name=Matriks&scope={scope}"), who)
            .await;
        let v: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        (
            v["id"].as_i64().expect("id"),
            v["token"].as_str().expect("token").to_string(),
        )
    }

    /// An import preview of the official result (one valid row), made by the koordinator.
    async fn new_batch(&self) -> i64 {
        let (status, loc) = post_multipart(
            &self.app,
            &format!("/siklus/{}/impor", self.cycle),
            &[("tahap", "akhir")],
            Some(("berkas", "hasil.csv", &b"kode;level;catatan\n1;4;\n"[..])),
            self.koord(),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{loc}");
        loc.rsplit('/').next().unwrap().parse().expect("batch id")
    }

    /// A fresh Mandiri claim of indicator 45 by `opd`: its entry id.
    async fn new_claim_by_opd(&self) -> i64 {
        let args = format!(
            "cycle={}&code=45&level=4&justification=Untuk+diverifikasi&evidence=",
            self.cycle
        );
        self.ok("klaim-level", &args, "opd").await;
        self.max_id(
            "SELECT MAX(id) AS id FROM level_entry WHERE cycle_id = $1 \
             AND indicator_code = '45' AND stage = 'mandiri'",
            self.cycle,
        )
        .await
    }

    /// The arguments of one server-fn row for one caller, with whatever fresh object it needs.
    async fn args(&self, endpoint: &str, case: &str, who: &Caller) -> String {
        let (cycle, board, card) = (self.cycle, self.board, self.card);
        let (dinkes, bappeda) = (self.dinkes, self.bappeda);
        let user = who.name;
        match (endpoint, case) {
            (
                "pengguna-saya" | "daftar-pengguna" | "token-daftar" | "dokumentasi-api"
                | "nasional" | "siklus" | "siklus-pilihan" | "padanan" | "papan-daftar" | "saya"
                | "notifikasi-jumlah" | "bukti",
                _,
            ) => String::new(),
            ("dasbor" | "pimpinan", _) => format!("cycle={cycle}"),
            ("kepala-opd", _) => "username=opd&opd=DINKES&head=false".into(),
            ("token-buat", _) => "name=Matriks&scope=read".into(),
            ("token-cabut", "own token") => {
                let id = match who.role {
                    Some(_) => self.new_token(user, "read").await.0,
                    None => 1,
                };
                format!("id={id}")
            }
            ("token-cabut", "koordinator's token") => {
                format!("id={}", self.new_token("koordinator", "read").await.0)
            }
            ("siklus-detail" | "siklus-meta", _) => format!("id={cycle}"),
            ("indikator", _) => format!("cycle={cycle}&code=45"),
            ("klaim-level", _) => {
                format!("cycle={cycle}&code=45&level=4&justification=Matriks+{user}&evidence=")
            }
            ("verifikasi", _) => {
                let entry = self.new_claim_by_opd().await;
                format!("cycle={cycle}&code=45&entry={entry}&decision=revisi&reason=Lengkapi+bukti")
            }
            ("level-resmi", _) => {
                format!("cycle={cycle}&code=45&stage=target&level=5&justification=Matriks")
            }
            ("tanggung-jawab", _) => {
                format!("cycle={cycle}&code=1&lead=DISKOMINFO&contributors=&effort=2")
            }
            ("kriteria", "centang") => format!(
                "cycle={cycle}&code=45&criterion={}&action=centang&evidence={}&seen=0",
                self.criterion, self.evidence
            ),
            ("kriteria", "terima opd's mark") => {
                let mark = format!(
                    "cycle={cycle}&code=45&criterion={}&action=centang&evidence={}&seen=0",
                    self.criterion, self.evidence
                );
                self.ok("kriteria", &mark, "opd").await;
                let seen = self
                    .max_id(
                        "SELECT MAX(id) AS id FROM criterion_mark WHERE criterion_id = $1",
                        self.criterion,
                    )
                    .await;
                format!(
                    "cycle={cycle}&code=45&criterion={}&action=terima&evidence=&seen={seen}",
                    self.criterion
                )
            }
            ("kriteria-ubah", _) => {
                format!("cycle={cycle}&code=45&level=1&body=Kriteria+{user}&retire=0")
            }
            ("diskusi", _) => format!("cycle={cycle}&code=45&body=Catatan+{user}"),
            ("padanan-ubah", _) => "to=I20&from=42&action=tambah".into(),
            ("siklus-baru", _) => {
                format!("name=Matriks+{user}&year=2030&pack=spbe-2020&from=0")
            }
            ("siklus-ubah", _) => format!(
                "cycle={cycle}&name=SPBE+2025&current=ya&mandiri=&dokumen=&wawancara=\
                 &visitasi=&hasil="
            ),
            ("kirim-tahap", _) => format!("cycle={cycle}&stage=mandiri&note=Matriks"),
            ("beku", _) => format!("cycle={cycle}&id={}", self.snapshot),
            ("impor", _) => format!("cycle={cycle}&id={}", self.batch),
            ("impor-putuskan", _) => {
                format!("cycle={cycle}&id={}&decision=batal", self.new_batch().await)
            }
            ("kalibrasi" | "laporan" | "komitmen", _) => format!("cycle={cycle}"),
            ("kios", _) => format!("token={}", self.kiosk),
            ("kios-baru", _) => format!("label=Layar+{user}"),
            ("kios-cabut", _) => {
                self.ok("kios-baru", "label=Untuk+dicabut", "koordinator")
                    .await;
                let id = self
                    .max_id("SELECT MAX(id) AS id FROM kiosk_link WHERE id > $1", 0)
                    .await;
                format!("id={id}")
            }
            ("komitmen-terbit", _) => {
                format!("cycle={}&title=Komitmen+Pemdi&body=Isi+{user}", self.pemdi)
            }
            ("komitmen-tanda-tangan", _) => format!("cycle={cycle}&opd={dinkes}"),
            ("papan-baru", _) => format!("cycle={cycle}&name=Papan+{user}"),
            ("papan", _) => format!("id={board}&opd=&indikator=&petugas=&label=&tenggat="),
            ("kolom", _) => format!("board={board}&action=tambah&column=0&name=Kolom+{user}"),
            ("kartu-baru", c) => {
                let lead = if c.contains("BAPPEDA") {
                    bappeda
                } else {
                    dinkes
                };
                format!(
                    "board={board}&column={}&title=Kartu+{user}&lead={lead}",
                    self.columns[0]
                )
            }
            ("kartu" | "kehadiran", _) => format!("board={board}&card={card}"),
            ("kartu-ubah", c) => {
                let (lead, opds) = match c {
                    "led by DINKES" => (dinkes, ""),
                    "led by BAPPEDA" => (bappeda, ""),
                    _ => (bappeda, "DINKES"),
                };
                let fresh = self.new_card("Kartu+ubah", lead).await;
                if !opds.is_empty() {
                    let v = self.card_version(fresh).await;
                    let edit = format!(
                        "board={board}&card={fresh}&version={v}&title=Kartu+ubah&description=\
                         &lead={lead}&opds={opds}&assignees=&due=&labels="
                    );
                    self.ok("kartu-ubah", &edit, "koordinator").await;
                }
                let v = self.card_version(fresh).await;
                format!(
                    "board={board}&card={fresh}&version={v}&title=Kartu+{user}&description=\
                     Diubah&lead={lead}&opds={opds}&assignees=&due=&labels="
                )
            }
            ("kartu-pindah", c) => {
                let card = if c.contains("BAPPEDA") {
                    self.bappeda_card
                } else {
                    card
                };
                format!(
                    "board={board}&card={card}&column={}&index=0",
                    self.columns[1]
                )
            }
            ("kartu-indikator", _) => {
                format!("board={board}&card={card}&code=45&target=5&remove=false")
            }
            ("kartu-cek", c) => {
                let card = if c.contains("BAPPEDA") {
                    self.bappeda_card
                } else {
                    card
                };
                format!(
                    "board={board}&card={card}&action=tambah&item=0&body=Butir+{user}&done=false"
                )
            }
            ("kartu-lampiran", _) => format!(
                "board={board}&card={card}&evidence={}&remove=false",
                self.evidence
            ),
            ("kartu-komentar", _) => format!("board={board}&card={card}&body=Catatan+{user}"),
            ("notifikasi-baca", _) => "id=0".into(),
            ("kolaborasi", _) => format!("board={board}"),
            (e, c) => panic!("no arguments for the server fn {e} ({c})"),
        }
    }

    /// One API row for one caller: (token to use, concrete path, body).
    fn api_call(
        &self,
        method: &str,
        path: &str,
        case: &str,
        who: &Caller,
    ) -> (Option<String>, String, Option<String>) {
        let tokens = if case == "read token" {
            &self.read_tokens
        } else {
            &self.write_tokens
        };
        let token = tokens.get(who.name).cloned();
        let url = path
            .replace("{cycle}", &self.cycle.to_string())
            .replace("{code}", "45")
            .replace("{board}", &self.board.to_string())
            .replace("{card}", &self.card.to_string());
        let body = match (method, path) {
            ("get", _) => None,
            (_, p) if p.ends_with("/claims") => Some(format!(
                r#"{{"level": 4, "justification": "Matriks API {}"}}"#,
                who.name
            )),
            (_, p) if p.ends_with("/comments") => {
                Some(format!(r#"{{"body": "Catatan API {}"}}"#, who.name))
            }
            (_, p) if p.ends_with("/cards") => {
                let lead = if case.contains("BAPPEDA") {
                    "BAPPEDA"
                } else {
                    "DINKES"
                };
                Some(format!(
                    r#"{{"title": "Kartu API {}", "lead_opd": "{lead}"}}"#,
                    who.name
                ))
            }
            (m, p) => panic!("no body for the API route {m} {p}"),
        };
        (token, url, body)
    }
}

/// Compares one answer with the rule; a mismatch is returned as a line of the failure report.
fn judge(
    label: &str,
    who: &Caller,
    expected: bool,
    status: StatusCode,
    body: &str,
) -> Option<String> {
    let good = if expected {
        status.is_success() || status.is_redirection()
    } else if who.role.is_none() {
        status == StatusCode::UNAUTHORIZED
    } else {
        matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
    };
    (!good).then(|| {
        let body: String = body.chars().take(200).collect();
        format!(
            "{label}: {} expected {}, got {status}: {body}",
            who.name,
            if expected {
                "allowed (2xx/3xx)"
            } else if who.role.is_none() {
                "refused (401)"
            } else {
                "refused (403/404)"
            }
        )
    })
}

#[test]
fn every_registered_server_fn_and_api_route_has_a_row() {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    let rows: BTreeSet<String> = SERVER_FNS.iter().map(|r| r.0.to_string()).collect();
    let missing: Vec<_> = registered.difference(&rows).collect();
    let stale: Vec<_> = rows.difference(&registered).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "server fns without a row in tests/permissions.rs: {missing:?}; rows of no server fn: \
         {stale:?}"
    );
    assert!(registered.len() >= 56, "{registered:?}");

    let routes: BTreeSet<(String, String)> = sinergi::api::v1::routes()
        .iter()
        .map(|r| (r.method.to_lowercase(), r.path.to_string()))
        .collect();
    let rows: BTreeSet<(String, String)> = API_ROUTES
        .iter()
        .map(|r| (r.0.to_string(), r.1.to_string()))
        .collect();
    let missing: Vec<_> = routes.difference(&rows).collect();
    let stale: Vec<_> = rows.difference(&routes).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "API routes without a row in tests/permissions.rs: {missing:?}; rows of no route: \
         {stale:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_gets_exactly_what_the_rules_say() {
    on_both(|t| async move {
        let started = std::time::Instant::now();
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let app = router(&t.db);
        let inst = seed::instansi_id(&t.db, seed::DEMO_INSTANSI_CODE)
            .await
            .unwrap();
        let cycle = seed::cycle_id(&t.db, inst, "SPBE 2025").await.unwrap();
        let pemdi = seed::cycle_id(&t.db, inst, "Pemdi 2026").await.unwrap();
        let callers = callers();
        // Each account signs in once (argon2 is slow on purpose).
        let mut cookies = HashMap::new();
        for c in callers.iter().filter(|c| c.role.is_some()) {
            cookies.insert(c.name, login(&app, c.name, DEMO_PASSWORD).await.unwrap());
        }
        let (board, columns) = common::spbe_board(&app, &cookies["koordinator"]).await;
        // Who is responsible for indicator 45 (lead and contributors), as the claim rule reads it.
        let responsible: Vec<String> = sqlx::query(
            "SELECT o.code FROM cycle_indicator ci JOIN opd o ON o.id = ci.lead_opd_id \
             WHERE ci.cycle_id = $1 AND ci.indicator_code = '45' \
             UNION SELECT o.code FROM indicator_contributor ic JOIN opd o ON o.id = ic.opd_id \
             WHERE ic.cycle_id = $1 AND ic.indicator_code = '45'",
        )
        .bind(cycle)
        .fetch_all(&t.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get("code").unwrap())
        .collect();
        assert!(
            responsible.contains(&"DINKES".to_string()),
            "{responsible:?}"
        );
        let mut ctx = Ctx {
            app: app.clone(),
            db: t.db.clone(),
            cycle,
            pemdi,
            board,
            columns,
            dinkes: common::opd_id(&t.db, "DINKES").await,
            bappeda: common::opd_id(&t.db, "BAPPEDA").await,
            card: 0,
            bappeda_card: 0,
            evidence: 0,
            criterion: 0,
            snapshot: 0,
            batch: 0,
            kiosk: String::new(),
            responsible,
            cookies,
            read_tokens: HashMap::new(),
            write_tokens: HashMap::new(),
        };
        ctx.card = ctx.new_card("Kartu+matriks", ctx.dinkes).await;
        ctx.bappeda_card = ctx.new_card("Kartu+Bappeda", ctx.bappeda).await;
        // An evidence link of DINKES, for attachments and criterion marks.
        let (_, msg) = post_form(
            &app,
            "/bukti/tautan",
            "url=https%3A%2F%2Fjdih.mojokertokota.go.id%2Fperwal%2F12&judul=Perwal&jenis=tautan",
            ctx.cookie("opd"),
        )
        .await;
        assert!(msg.starts_with("ok="), "{msg}");
        ctx.evidence = ctx
            .max_id(
                "SELECT MAX(id) AS id FROM evidence WHERE instansi_id = $1",
                inst,
            )
            .await;
        let view = ctx
            .ok("indikator", &format!("cycle={cycle}&code=45"), "opd")
            .await;
        let view: serde_json::Value = serde_json::from_str(&view).expect("JSON");
        ctx.criterion = view["criteria"][0]["id"].as_i64().expect("a criterion");
        ctx.snapshot = ctx
            .ok(
                "kirim-tahap",
                &format!("cycle={cycle}&stage=mandiri&note=Awal"),
                "koordinator",
            )
            .await
            .trim()
            .parse()
            .expect("snapshot id");
        ctx.batch = ctx.new_batch().await;
        let kiosk = ctx.ok("kios-baru", "label=Layar+uji", "koordinator").await;
        ctx.kiosk = serde_json::from_str(&kiosk).expect("the token");
        for c in callers.iter().filter(|c| c.role.is_some()) {
            let read = ctx.new_token(c.name, "read").await.1;
            let write = ctx.new_token(c.name, "write").await.1;
            ctx.read_tokens.insert(c.name, read);
            ctx.write_tokens.insert(c.name, write);
        }

        let mut grid = vec![format!(
            "{:<68}{}",
            "operation",
            callers
                .iter()
                .map(|c| format!("{:>12}", c.name))
                .collect::<String>()
        )];
        let mut failures = Vec::new();
        for &(endpoint, case, rule) in SERVER_FNS {
            let label = if case.is_empty() {
                endpoint.to_string()
            } else {
                format!("{endpoint} ({case})")
            };
            let mut line = format!("{label:<68}");
            for who in &callers {
                let args = ctx.args(endpoint, case, who).await;
                let (status, body) = call(&app, endpoint, &args, ctx.cookie(who.name)).await;
                let expected = allowed(rule, who, &ctx.responsible);
                failures.extend(judge(&label, who, expected, status, &body));
                line.push_str(&format!("{:>12}", status.as_u16()));
            }
            grid.push(line);
        }
        for &(method, path, case, rule) in API_ROUTES {
            let label = if case.is_empty() {
                format!("{} {path}", method.to_uppercase())
            } else {
                format!("{} {path} ({case})", method.to_uppercase())
            };
            let mut line = format!("{label:<68}");
            for who in &callers {
                let (token, url, body) = ctx.api_call(method, path, case, who);
                let (status, answer) =
                    api_request(&app, method, &url, token.as_deref(), body.as_deref()).await;
                let expected = allowed(rule, who, &ctx.responsible);
                failures.extend(judge(&label, who, expected, status, &answer));
                line.push_str(&format!("{:>12}", status.as_u16()));
            }
            grid.push(line);
        }
        // Not a server fn but the same rule: the exports, to every signed-in member (anonymous
        // visitors are sent to the sign-in page).
        let mut line = format!("{:<68}", "GET /ekspor/{cycle}/xlsx");
        for who in &callers {
            let res =
                common::get(&app, &format!("/ekspor/{cycle}/xlsx"), ctx.cookie(who.name)).await;
            let status = res.status();
            let to_sign_in = res
                .headers()
                .get(http::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|l| l.starts_with("/masuk"));
            let good = match who.role {
                Some(_) => status.is_success(),
                None => status.is_redirection() && to_sign_in,
            };
            if !good {
                failures.push(format!(
                    "GET /ekspor/{cycle}/xlsx: {} got {status}",
                    who.name
                ));
            }
            line.push_str(&format!("{:>12}", status.as_u16()));
        }
        grid.push(line);
        eprintln!(
            "{}: permission matrix ({} server-fn rows, {} API rows × {} callers, {:.1} s)\n{}",
            t.label,
            SERVER_FNS.len(),
            API_ROUTES.len(),
            callers.len(),
            started.elapsed().as_secs_f64(),
            grid.join("\n")
        );
        assert!(
            failures.is_empty(),
            "{}: {} answers differ from README.md \"Who may do what\":\n{}",
            t.label,
            failures.len(),
            failures.join("\n")
        );
        t
    })
    .await;
}
