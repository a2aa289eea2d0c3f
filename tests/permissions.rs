//! The permission matrix (issue 7): every server fn, every REST API route and every plain route
//! (the forms, files and the live stream of `sinergi::server::app`) × every demo role and an
//! anonymous caller, each answer compared with the rule README.md "Who may do what" states, on
//! SQLite and PostgreSQL; and the same calls made by the admin of a second instansi with the demo
//! instansi's ids (`another_instansi_gets_nothing_of_ours`).
//!
//! Completeness is checked, not claimed: the server fns registered in the binary and the routes of
//! `sinergi::api::v1::routes()` must each have a row below, so a new endpoint without a row
//! fails this test; the cross-tenant test must try every one of them and every plain route that
//! takes an id. (The plain routes are listed by hand in `PLAIN_ROUTES`: axum cannot list a
//! router's routes.)
//!
//! Allowed is 2xx/3xx. Refused is 401 for the anonymous caller (everywhere but the public
//! endpoints) and 403 or 404 for a signed-in one; the plain routes answer as pages do (see
//! `PLAIN_ROUTES`), and a refused plain-route call must leave the demo instansi's rows as they
//! were. Each call gets valid arguments from the seeded demo (and a fresh object where a call
//! changes or uses one up), so a refusal is the permission check and nothing else.

mod common;

use axum::Router;
use common::{api_request, call, login, on_both, post_form, post_multipart, router, TestDb};
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
    /// Every signed-in role but pimpinan and viewer (adding evidence).
    Contributor,
    /// Deleting an evidence item added by this account and issued by this OPD: its uploader,
    /// members of the issuing OPD and managers, never pimpinan or viewer.
    EvidenceDeleter(&'static str, &'static str),
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

/// The plain axum routes, neither server fns nor API routes (`sinergi::server::app`): (method,
/// path, case, rule). Their answers differ from the server fns': the evidence forms and the import
/// upload always redirect (303) back to their page, with `ok=` or `galat=` (the refusal), and
/// redirect an anonymous caller to `/masuk`; the GET routes under `/bukti` and `/ekspor` send an
/// anonymous caller to `/masuk` too (the page guard) and answer 404 for a signed-in one they
/// refuse; the live stream answers 401 without a session or kiosk link. `POST /keluar` ends the
/// caller's session, so it is the last row.
const PLAIN_ROUTES: &[(&str, &str, &str, Rule)] = &[
    ("post", "/bukti/unggah", "", Contributor),
    ("post", "/bukti/tautan", "", Contributor),
    (
        "post",
        "/bukti/{id}/hapus",
        "koordinator's, issued by BAPPEDA",
        EvidenceDeleter("koordinator", "BAPPEDA"),
    ),
    (
        "post",
        "/bukti/{id}/hapus",
        "asesor's, issued by DINKES",
        EvidenceDeleter("asesor", "DINKES"),
    ),
    ("get", "/bukti/versi/{id}/unduh", "a stored file", SignedIn),
    ("post", "/siklus/{id}/impor", "", Managers),
    ("get", "/ekspor/{cycle}/xlsx", "", SignedIn),
    ("get", "/ekspor/{cycle}/csv", "", SignedIn),
    ("get", "/ekspor/{cycle}/pdf", "no such format: 404", Nobody),
    ("get", "/api/peristiwa", "", SignedIn),
    ("get", "/api/peristiwa", "with a kiosk link", Public),
    ("post", "/bahasa", "", Public),
    ("post", "/keluar", "", Public),
];

/// How a plain route answered, read from its exact status and redirect target.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Verdict {
    Allowed,
    /// A signed-in caller refused: 403/404, or a redirect back with `galat=`.
    Refused,
    /// An anonymous caller refused: a redirect to `/masuk` (forms and pages), 401 (the stream).
    SignInFirst,
    Other,
}

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
        Contributor => !matches!(role, Role::Viewer | Role::Pimpinan),
        EvidenceDeleter(uploader, issuer) => {
            !matches!(role, Role::Viewer | Role::Pimpinan)
                && (manager || c.name == uploader || c.opds.contains(&issuer))
        }
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
    /// The demo's instansi, a stored file version and a link version of its evidence.
    inst: i64,
    file_version: i64,
    link_version: i64,
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

    /// Every row of the demo's instansi and every row that refers to one of its objects, counted
    /// (and a few sums that any edit moves): equal before and after a call means it changed
    /// nothing of the instansi, wherever the caller came from.
    async fn fingerprint(&self) -> Vec<(&'static str, i64)> {
        fingerprint(&self.db, self.inst).await
    }

    /// One plain-route row for one caller: (status, verdict, whether the demo's instansi changed
    /// during the request, detail).
    async fn plain(
        &self,
        path: &str,
        case: &str,
        who: &Caller,
    ) -> (StatusCode, Verdict, bool, String) {
        let app = &self.app;
        let cookie = self.cookie(who.name);
        let name = who.name;
        let cycle = self.cycle;
        // Evidence forms redirect back to /bukti with ok= or galat=, anonymous callers to
        // /masuk?lanjut=/bukti.
        let evidence_form = |status: StatusCode, loc: &str| match status {
            StatusCode::SEE_OTHER if loc.starts_with("ok=") => Verdict::Allowed,
            StatusCode::SEE_OTHER if loc.starts_with("galat=") => Verdict::Refused,
            StatusCode::SEE_OTHER if loc == "lanjut=/bukti" => Verdict::SignInFirst,
            _ => Verdict::Other,
        };
        let page = |res: &http::Response<axum::body::Body>| {
            let to_sign_in = res
                .headers()
                .get(http::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|l| l.starts_with("/masuk?lanjut="));
            match res.status() {
                StatusCode::OK => Verdict::Allowed,
                StatusCode::FORBIDDEN | StatusCode::NOT_FOUND => Verdict::Refused,
                StatusCode::SEE_OTHER if to_sign_in => Verdict::SignInFirst,
                _ => Verdict::Other,
            }
        };
        // A fresh object where the call uses one up.
        let delete_target = match case {
            "koordinator's, issued by BAPPEDA" => Some(("koordinator", self.bappeda)),
            "asesor's, issued by DINKES" => Some(("asesor", self.dinkes)),
            _ => None,
        };
        let mut target = 0;
        if let Some((uploader, issuer)) = delete_target {
            let (_, msg) = post_form(
                app,
                "/bukti/tautan",
                &format!(
                    "url=https%3A%2F%2Fhapus.example.go.id%2F{name}%2F{issuer}&judul=Hapus+{name}\
                     &jenis=tautan&opd={issuer}"
                ),
                self.cookie(uploader),
            )
            .await;
            assert!(msg.starts_with("ok="), "{msg}");
            target = self
                .max_id(
                    "SELECT MAX(id) AS id FROM evidence WHERE instansi_id = $1",
                    self.inst,
                )
                .await;
        }
        let before = self.fingerprint().await;
        let (status, verdict, detail) = match path {
            "/bukti/unggah" => {
                let bytes = format!("%PDF-1.7\n{name}\n%%EOF\n");
                let (status, loc) = post_multipart(
                    app,
                    path,
                    &[("judul", &format!("Unggahan {name}")), ("jenis", "laporan")],
                    Some(("berkas", &format!("{name}.pdf"), bytes.as_bytes())),
                    cookie,
                )
                .await;
                (status, evidence_form(status, &loc), loc)
            }
            "/bukti/tautan" => {
                let body = format!(
                    "url=https%3A%2F%2Ftautan.example.go.id%2F{name}&judul=Tautan+{name}&jenis=tautan"
                );
                let (status, loc) = post_form(app, path, &body, cookie).await;
                (status, evidence_form(status, &loc), loc)
            }
            "/bukti/{id}/hapus" => {
                let (status, loc) =
                    post_form(app, &format!("/bukti/{target}/hapus"), "", cookie).await;
                (status, evidence_form(status, &loc), loc)
            }
            "/bukti/versi/{id}/unduh" => {
                let res = common::get(
                    app,
                    &format!("/bukti/versi/{}/unduh", self.file_version),
                    cookie,
                )
                .await;
                (res.status(), page(&res), String::new())
            }
            "/siklus/{id}/impor" => {
                let (status, loc) = post_multipart(
                    app,
                    &format!("/siklus/{cycle}/impor"),
                    &[("tahap", "akhir")],
                    Some(("berkas", "hasil.csv", &b"kode;level;catatan\n1;4;\n"[..])),
                    cookie,
                )
                .await;
                let verdict = match status {
                    StatusCode::SEE_OTHER
                        if loc.starts_with(&format!("/siklus/{cycle}/impor/")) =>
                    {
                        Verdict::Allowed
                    }
                    StatusCode::SEE_OTHER if loc.starts_with("galat=") => Verdict::Refused,
                    StatusCode::SEE_OTHER if loc == "/masuk" => Verdict::SignInFirst,
                    _ => Verdict::Other,
                };
                (status, verdict, loc)
            }
            p if p.starts_with("/ekspor/{cycle}/") => {
                let format = p.rsplit('/').next().unwrap();
                let res = common::get(app, &format!("/ekspor/{cycle}/{format}"), cookie).await;
                (res.status(), page(&res), String::new())
            }
            "/api/peristiwa" => {
                let uri = if case.is_empty() {
                    "/api/peristiwa".to_string()
                } else {
                    format!("/api/peristiwa?kios={}", self.kiosk)
                };
                // The stream never ends: only its status and headers are read.
                let res = common::get(app, &uri, cookie).await;
                let stream = res
                    .headers()
                    .get(http::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.starts_with("text/event-stream"));
                let verdict = match res.status() {
                    StatusCode::OK if stream => Verdict::Allowed,
                    StatusCode::UNAUTHORIZED => Verdict::SignInFirst,
                    StatusCode::FORBIDDEN | StatusCode::NOT_FOUND => Verdict::Refused,
                    _ => Verdict::Other,
                };
                (res.status(), verdict, String::new())
            }
            "/bahasa" => {
                let (status, loc) =
                    post_form(app, path, "bahasa=id&lanjut=%2Fdasbor", cookie).await;
                let verdict = if status == StatusCode::SEE_OTHER && loc == "/dasbor" {
                    Verdict::Allowed
                } else {
                    Verdict::Other
                };
                (status, verdict, loc)
            }
            "/keluar" => {
                let (status, loc) = post_form(app, path, "", cookie).await;
                // Signing out ends the session on the server: the cookie opens nothing after.
                let ended = match cookie {
                    Some(c) => call(app, "dasbor", "", Some(c)).await.0 == StatusCode::UNAUTHORIZED,
                    None => true,
                };
                let verdict = if status == StatusCode::SEE_OTHER && loc == "keluar=1" && ended {
                    Verdict::Allowed
                } else {
                    Verdict::Other
                };
                (status, verdict, loc)
            }
            p => panic!("no request for the plain route {p}"),
        };
        let changed = before != self.fingerprint().await;
        (status, verdict, changed, detail.chars().take(200).collect())
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

/// The counts and sums [`Ctx::fingerprint`] compares, of instansi `i`'s rows and of every row
/// that refers to one of its objects (whichever instansi wrote it).
async fn fingerprint(db: &Db, i: i64) -> Vec<(&'static str, i64)> {
    let c = format!("(SELECT id FROM cycle WHERE instansi_id = {i})");
    let b = format!("(SELECT id FROM board WHERE instansi_id = {i} OR cycle_id IN {c})");
    let k = format!("(SELECT id FROM card WHERE instansi_id = {i} OR board_id IN {b})");
    let u = format!("(SELECT id FROM users WHERE instansi_id = {i})");
    let o = format!("(SELECT id FROM opd WHERE instansi_id = {i})");
    let e = format!("(SELECT id FROM evidence WHERE instansi_id = {i})");
    let v =
        format!("(SELECT id FROM evidence_version WHERE instansi_id = {i} OR evidence_id IN {e})");
    let l = format!("(SELECT id FROM level_entry WHERE instansi_id = {i} OR cycle_id IN {c})");
    let sum = |x: &str| format!("CAST(COALESCE(SUM({x}), 0) AS BIGINT)");
    let parts: Vec<(&'static str, String)> = vec![
        (
            "event",
            format!("SELECT COUNT(*) FROM event WHERE instansi_id = {i}"),
        ),
        (
            "users",
            format!("SELECT COUNT(*) FROM users WHERE instansi_id = {i}"),
        ),
        (
            "users_state",
            format!(
                "SELECT {} FROM users WHERE instansi_id = {i}",
                sum("is_active + is_national + LENGTH(lang) + LENGTH(role) + LENGTH(display_name)")
            ),
        ),
        (
            "user_opd",
            format!("SELECT COUNT(*) FROM user_opd WHERE user_id IN {u} OR opd_id IN {o}"),
        ),
        (
            "heads",
            format!(
                "SELECT {} FROM user_opd WHERE user_id IN {u} OR opd_id IN {o}",
                sum("is_head")
            ),
        ),
        (
            "sessions",
            format!("SELECT COUNT(*) FROM sessions WHERE user_id IN {u}"),
        ),
        (
            "opd",
            format!("SELECT COUNT(*) FROM opd WHERE instansi_id = {i}"),
        ),
        (
            "cycle",
            format!("SELECT COUNT(*) FROM cycle WHERE instansi_id = {i}"),
        ),
        (
            "cycle_state",
            format!(
                "SELECT {} FROM cycle WHERE instansi_id = {i}",
                sum("is_current + year + LENGTH(name)")
            ),
        ),
        (
            "milestone",
            format!("SELECT COUNT(*) FROM milestone WHERE cycle_id IN {c}"),
        ),
        (
            "level_entry",
            format!("SELECT COUNT(*) FROM level_entry WHERE id IN {l}"),
        ),
        (
            "level_entry_evidence",
            format!(
                "SELECT COUNT(*) FROM level_entry_evidence WHERE entry_id IN {l} \
                 OR version_id IN {v}"
            ),
        ),
        (
            "review",
            format!("SELECT COUNT(*) FROM review WHERE cycle_id IN {c} OR entry_id IN {l}"),
        ),
        (
            "cycle_indicator",
            format!(
                "SELECT {} FROM cycle_indicator WHERE cycle_id IN {c} OR lead_opd_id IN {o}",
                sum("1 + effort + COALESCE(lead_opd_id, 0)")
            ),
        ),
        (
            "indicator_contributor",
            format!(
                "SELECT COUNT(*) FROM indicator_contributor WHERE cycle_id IN {c} \
                 OR opd_id IN {o}"
            ),
        ),
        (
            "evidence",
            format!("SELECT COUNT(*) FROM evidence WHERE id IN {e} OR opd_id IN {o}"),
        ),
        (
            "evidence_version",
            format!("SELECT COUNT(*) FROM evidence_version WHERE id IN {v}"),
        ),
        (
            "comment",
            format!("SELECT COUNT(*) FROM comment WHERE cycle_id IN {c}"),
        ),
        (
            "criterion",
            format!(
                "SELECT {} FROM criterion WHERE cycle_id IN {c}",
                sum("1 + is_active")
            ),
        ),
        (
            "criterion_mark",
            format!(
                "SELECT {} FROM criterion_mark WHERE evidence_version_id IN {v} OR criterion_id \
                 IN (SELECT id FROM criterion WHERE cycle_id IN {c})",
                sum("1 + checked + accepted")
            ),
        ),
        (
            "snapshot",
            format!("SELECT COUNT(*) FROM snapshot WHERE instansi_id = {i} OR cycle_id IN {c}"),
        ),
        (
            "import_batch",
            format!(
                "SELECT {} FROM import_batch WHERE instansi_id = {i} OR cycle_id IN {c}",
                sum("1 + LENGTH(status)")
            ),
        ),
        (
            "crosswalk",
            format!("SELECT COUNT(*) FROM crosswalk WHERE instansi_id = {i}"),
        ),
        (
            "board",
            format!(
                "SELECT {} FROM board WHERE id IN {b}",
                sum("1 + revision + LENGTH(name)")
            ),
        ),
        (
            "board_column",
            format!(
                "SELECT {} FROM board_column WHERE board_id IN {b}",
                sum("1 + position + is_done + LENGTH(name)")
            ),
        ),
        (
            "card",
            format!(
                "SELECT {} FROM card WHERE id IN {k} OR lead_opd_id IN {o} OR column_id IN \
                 (SELECT id FROM board_column WHERE board_id IN {b})",
                sum("1 + version + position + column_id + lead_opd_id + LENGTH(title)")
            ),
        ),
        (
            "card_done",
            format!("SELECT COUNT(done_at) FROM card WHERE id IN {k}"),
        ),
        (
            "card_opd",
            format!("SELECT COUNT(*) FROM card_opd WHERE card_id IN {k} OR opd_id IN {o}"),
        ),
        (
            "card_indicator",
            format!(
                "SELECT {} FROM card_indicator WHERE card_id IN {k}",
                sum("1 + target_level")
            ),
        ),
        (
            "card_assignee",
            format!("SELECT COUNT(*) FROM card_assignee WHERE card_id IN {k} OR user_id IN {u}"),
        ),
        (
            "card_label",
            format!("SELECT COUNT(*) FROM card_label WHERE card_id IN {k}"),
        ),
        (
            "card_check",
            format!(
                "SELECT {} FROM card_check WHERE card_id IN {k}",
                sum("1 + done + position")
            ),
        ),
        (
            "card_attachment",
            format!(
                "SELECT COUNT(*) FROM card_attachment WHERE card_id IN {k} OR evidence_id IN {e}"
            ),
        ),
        (
            "card_comment",
            format!("SELECT COUNT(*) FROM card_comment WHERE card_id IN {k}"),
        ),
        (
            "notification",
            format!(
                "SELECT COUNT(*) FROM notification WHERE instansi_id = {i} OR user_id IN {u} \
                 OR card_id IN {k}"
            ),
        ),
        (
            "notification_read",
            format!(
                "SELECT COUNT(read_at) FROM notification WHERE instansi_id = {i} \
                 OR user_id IN {u} OR card_id IN {k}"
            ),
        ),
        (
            "presence",
            format!("SELECT COUNT(*) FROM presence WHERE board_id IN {b} OR user_id IN {u}"),
        ),
        (
            "kiosk_link",
            format!(
                "SELECT {} FROM kiosk_link WHERE instansi_id = {i}",
                sum("CASE WHEN revoked_at IS NULL THEN 1 ELSE 2 END")
            ),
        ),
        (
            "commitment",
            format!(
                "SELECT {} FROM commitment WHERE instansi_id = {i} OR cycle_id IN {c}",
                sum("1 + LENGTH(title) + LENGTH(body)")
            ),
        ),
        (
            "commitment_signature",
            format!(
                "SELECT COUNT(*) FROM commitment_signature WHERE opd_id IN {o} OR user_id IN {u} \
                 OR commitment_id IN (SELECT id FROM commitment WHERE instansi_id = {i})"
            ),
        ),
        (
            "api_token",
            format!(
                "SELECT {} FROM api_token WHERE instansi_id = {i} OR user_id IN {u}",
                sum("CASE WHEN revoked_at IS NULL THEN 1 ELSE 2 END")
            ),
        ),
    ];
    let sql = format!(
        "SELECT {}",
        parts
            .iter()
            .map(|(name, q)| format!("({q}) AS {name}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_one(&db.pool)
        .await
        .expect("fingerprint");
    parts
        .iter()
        .map(|(name, _)| (*name, row.try_get::<i64, _>(*name).expect(name)))
        .collect()
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

/// Seeds the demo and makes the shared objects the rows use (each account signs in once: argon2
/// is slow on purpose).
async fn demo(t: &TestDb, callers: &[Caller]) -> Ctx {
    assert!(seed::seed_demo(&t.db).await.unwrap());
    let app = router(&t.db);
    let inst = seed::instansi_id(&t.db, seed::DEMO_INSTANSI_CODE)
        .await
        .unwrap();
    let cycle = seed::cycle_id(&t.db, inst, "SPBE 2025").await.unwrap();
    let pemdi = seed::cycle_id(&t.db, inst, "Pemdi 2026").await.unwrap();
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
        inst,
        file_version: 0,
        link_version: 0,
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
    ctx.link_version = ctx
        .max_id(
            "SELECT MAX(id) AS id FROM evidence_version WHERE evidence_id = $1",
            ctx.evidence,
        )
        .await;
    // A stored file of DINKES, for the download.
    let (_, msg) = post_multipart(
        &app,
        "/bukti/unggah",
        &[("judul", "Notulen matriks"), ("jenis", "notulen")],
        Some(("berkas", "notulen.pdf", &b"%PDF-1.7\nmatriks\n%%EOF\n"[..])),
        ctx.cookie("opd"),
    )
    .await;
    assert!(msg.starts_with("ok="), "{msg}");
    ctx.file_version = ctx
        .max_id(
            "SELECT MAX(id) AS id FROM evidence_version WHERE instansi_id = $1 \
                 AND sha256 IS NOT NULL",
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

    ctx
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_gets_exactly_what_the_rules_say() {
    on_both(|t| async move {
        let started = std::time::Instant::now();
        let callers = callers();
        let ctx = demo(&t, &callers).await;
        let app = ctx.app.clone();
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
        // The plain routes (forms, files, the live stream); `POST /keluar` comes last as it ends
        // each caller's session.
        for &(method, path, case, rule) in PLAIN_ROUTES {
            let label = if case.is_empty() {
                format!("{} {path}", method.to_uppercase())
            } else {
                format!("{} {path} ({case})", method.to_uppercase())
            };
            let mut line = format!("{label:<68}");
            for who in &callers {
                let (status, verdict, changed, detail) = ctx.plain(path, case, who).await;
                let expected = allowed(rule, who, &ctx.responsible);
                let want = if expected {
                    Verdict::Allowed
                } else if who.role.is_none() {
                    Verdict::SignInFirst
                } else {
                    Verdict::Refused
                };
                if verdict != want || (!expected && changed) {
                    failures.push(format!(
                        "{label}: {} expected {want:?}, got {status} {verdict:?}{}: {detail}",
                        who.name,
                        if changed { " and a change" } else { "" }
                    ));
                }
                let tag = match verdict {
                    Verdict::Allowed => "ok",
                    Verdict::Refused => "refused",
                    Verdict::SignInFirst => "sign-in",
                    Verdict::Other => "?",
                };
                line.push_str(&format!("{:>12}", format!("{} {tag}", status.as_u16())));
            }
            grid.push(line);
        }
        eprintln!(
            "{}: permission matrix ({} server-fn rows, {} API rows, {} plain-route rows × {} \
             callers, {:.1} s)\n{}",
            t.label,
            SERVER_FNS.len(),
            API_ROUTES.len(),
            PLAIN_ROUTES.len(),
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

/// The password of the second instansi's admin.
const FOREIGN_PASSWORD: &str = "kabupaten-lain-aman-2026";

/// What a call of the second instansi's admin with our ids may answer.
enum Expect {
    /// 403 or 404 (a redirect back with `galat=` for the forms).
    Refused,
    /// Anything but 401 or a server error, with only the caller's own data in it: the call takes
    /// no id of ours.
    OwnOnly,
    /// Exactly the answer to this twin call, which names an id that exists nowhere instead of
    /// ours: its own object paired with one of ours (a lead OPD, an evidence item, an account)
    /// is checked as a form input, and ours must be as unknown as a missing one (the answers
    /// equal once the missing id, or the missing account `tak.ada`, reads as ours: the second
    /// field).
    AsMissing(Probe, String),
}

impl Expect {
    fn name(&self) -> &'static str {
        match self {
            Expect::Refused => "refused (403/404)",
            Expect::OwnOnly => "its own data only",
            Expect::AsMissing(..) => "the answer to a missing id",
        }
    }
}

/// An id that exists in no table.
const MISSING: i64 = 999_999_999;

/// One call of the second instansi's admin.
enum Probe {
    /// A server fn and its arguments.
    Fn(&'static str, String),
    /// An API route (method, the route as `sinergi::api::v1::routes()` names it, URL, body).
    Api(&'static str, &'static str, String, Option<String>),
    /// A URL-encoded form post (path, body).
    Form(String, String),
    /// A multipart post (path, text fields, file name, file bytes; the file field is `berkas`).
    Upload(String, Vec<(&'static str, String)>, &'static str, Vec<u8>),
    /// A GET of a plain route.
    Get(String),
}

impl Probe {
    fn label(&self) -> String {
        match self {
            Probe::Fn(e, a) => format!("{e} {a}"),
            Probe::Api(m, _, u, _) => format!("{} {u}", m.to_uppercase()),
            Probe::Form(p, b) => format!("POST {p} {b}"),
            Probe::Upload(p, f, n, _) => {
                let fields: Vec<String> = f.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!("POST {p} {} +{n}", fields.join("&"))
            }
            Probe::Get(p) => format!("GET {p}"),
        }
    }

    /// The plain route this probe calls, as `PLAIN_ROUTES` names it.
    fn plain_route(&self) -> Option<String> {
        let path = match self {
            Probe::Form(p, _) | Probe::Upload(p, ..) | Probe::Get(p) => p,
            _ => return None,
        };
        let parts: Vec<&str> = path.split('/').collect();
        Some(match parts.as_slice() {
            ["", "bukti", "versi", _, "unduh"] => "/bukti/versi/{id}/unduh".into(),
            ["", "bukti", _, "hapus"] => "/bukti/{id}/hapus".into(),
            ["", "siklus", _, "impor"] => "/siklus/{id}/impor".into(),
            ["", "ekspor", _, f] => format!("/ekspor/{{cycle}}/{f}"),
            _ => path.clone(),
        })
    }

    async fn run(&self, app: &Router, cookie: &str, token: &str) -> (StatusCode, String) {
        match self {
            Probe::Fn(e, a) => call(app, e, a, Some(cookie)).await,
            Probe::Api(m, _, u, b) => api_request(app, m, u, Some(token), b.as_deref()).await,
            Probe::Form(p, b) => post_form(app, p, b, Some(cookie)).await,
            Probe::Upload(p, f, n, bytes) => {
                let fields: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                post_multipart(app, p, &fields, Some(("berkas", n, bytes)), Some(cookie)).await
            }
            Probe::Get(p) => {
                let res = common::get(app, p, Some(cookie)).await;
                let status = res.status();
                (status, common::body_text(res).await)
            }
        }
    }
}

/// A server fn call that must succeed; returns the body.
async fn must(app: &Router, endpoint: &str, args: &str, cookie: &str) -> String {
    let (status, body) = call(app, endpoint, args, Some(cookie)).await;
    assert!(status.is_success(), "{endpoint} {args}: {status} {body}");
    body
}

/// Cross-tenant: the admin of a second instansi (the most powerful role there) calls every server
/// fn, API route and plain route that takes an id with the demo instansi's ids (a cycle, claim,
/// criterion, board, column, card, checklist item, evidence item and version, import batch,
/// snapshot, kiosk link, API token, commitment, notification, OPD, account), alone and paired
/// with its own objects. Each is refused (403/404, or `galat=`) or answers with its own data
/// only; none answers with ours, and the demo instansi's rows (and every row referring to one of
/// them) are exactly as before every call.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_instansi_gets_nothing_of_ours() {
    on_both(|t| async move {
        let started = std::time::Instant::now();
        let callers = callers();
        let ctx = demo(&t, &callers).await;
        let app = ctx.app.clone();
        let (cycle, pemdi, board, card) = (ctx.cycle, ctx.pemdi, ctx.board, ctx.card);
        let (col, col2, dinkes, ev) = (ctx.columns[0], ctx.columns[1], ctx.dinkes, ctx.evidence);
        let (crit, snap, batch) = (ctx.criterion, ctx.snapshot, ctx.batch);
        // More of ours to aim at.
        let entry = ctx.new_claim_by_opd().await;
        let token = ctx.new_token("koordinator", "read").await.0;
        let kiosk = ctx
            .max_id(
                "SELECT MAX(id) AS id FROM kiosk_link WHERE instansi_id = $1",
                ctx.inst,
            )
            .await;
        ctx.ok(
            "kartu-cek",
            &format!("board={board}&card={card}&action=tambah&item=0&body=Butir+kami&done=false"),
            "koordinator",
        )
        .await;
        let item = ctx
            .max_id(
                "SELECT MAX(id) AS id FROM card_check WHERE card_id = $1",
                card,
            )
            .await;
        let v = ctx.card_version(card).await;
        ctx.ok(
            "kartu-ubah",
            &format!(
                "board={board}&card={card}&version={v}&title=Kartu+matriks&description=\
                 &lead={dinkes}&opds=&assignees=opd&due=&labels="
            ),
            "koordinator",
        )
        .await;
        let notification = ctx
            .max_id(
                "SELECT MAX(id) AS id FROM notification WHERE instansi_id = $1",
                ctx.inst,
            )
            .await;
        let file_item = ctx
            .max_id(
                "SELECT evidence_id AS id FROM evidence_version WHERE id = $1",
                ctx.file_version,
            )
            .await;
        let card_version = ctx.card_version(card).await;

        // The second instansi, its admin, and its own cycle, board, card, criterion and
        // commitment to pair with ours.
        let (foreign, fdinkes) = common::foreign_instansi(
            &t.db,
            "kab-lain",
            "Kabupaten Lain",
            "admin.lain",
            FOREIGN_PASSWORD,
        )
        .await;
        let fc = login(&app, "admin.lain", FOREIGN_PASSWORD).await.unwrap();
        let created = must(
            &app,
            "siklus-baru",
            "name=Siklus+Lain&year=2026&pack=spbe-2020&from=0",
            &fc,
        )
        .await;
        let fcycle = serde_json::from_str::<serde_json::Value>(&created).unwrap()["id"]
            .as_i64()
            .expect("cycle id");
        let list: serde_json::Value =
            serde_json::from_str(&must(&app, "papan-daftar", "", &fc).await).unwrap();
        let boards = list["boards"].as_array().expect("boards");
        assert_eq!(boards.len(), 1, "only its own board: {list}");
        let fboard = boards[0]["id"].as_i64().expect("board id");
        let view: serde_json::Value = serde_json::from_str(
            &must(
                &app,
                "papan",
                &format!("id={fboard}&opd=&indikator=&petugas=&label=&tenggat="),
                &fc,
            )
            .await,
        )
        .unwrap();
        let fcol = view["columns"][0]["id"].as_i64().expect("column");
        must(
            &app,
            "tanggung-jawab",
            &format!("cycle={fcycle}&code=45&lead=DINKES&contributors=&effort=2"),
            &fc,
        )
        .await;
        let fcard: i64 = must(
            &app,
            "kartu-baru",
            &format!("board={fboard}&column={fcol}&title=Kartu+lain&lead={fdinkes}"),
            &fc,
        )
        .await
        .trim()
        .parse()
        .expect("card id");
        let fcard_version = 1;
        must(
            &app,
            "kriteria-ubah",
            &format!("cycle={fcycle}&code=45&level=1&body=Kriteria+lain&retire=0"),
            &fc,
        )
        .await;
        let fview: serde_json::Value = serde_json::from_str(
            &must(&app, "indikator", &format!("cycle={fcycle}&code=45"), &fc).await,
        )
        .unwrap();
        let fcrit = fview["criteria"][0]["id"].as_i64().expect("its criterion");
        sqlx::query("UPDATE user_opd SET is_head = 1 WHERE opd_id = $1")
            .bind(fdinkes)
            .execute(&t.db.pool)
            .await
            .unwrap();
        must(
            &app,
            "komitmen-terbit",
            &format!("cycle={fcycle}&title=Komitmen+lain&body=Isi+lain"),
            &fc,
        )
        .await;
        let ftoken = common::api_token(&app, &fc, "write").await;

        // Our names, none of which may appear in an answer to the other instansi.
        let markers: Vec<String> = sqlx::query(
            "SELECT name AS m FROM instansi WHERE id = $1 \
             UNION SELECT name FROM cycle WHERE instansi_id = $1 \
             UNION SELECT name FROM opd WHERE instansi_id = $1 \
             UNION SELECT display_name FROM users WHERE instansi_id = $1 \
             UNION SELECT title FROM card WHERE instansi_id = $1 \
             UNION SELECT title FROM evidence WHERE instansi_id = $1 \
             UNION SELECT label FROM kiosk_link WHERE instansi_id = $1",
        )
        .bind(ctx.inst)
        .fetch_all(&t.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<String, _>("m").unwrap())
        .filter(|m| m.chars().count() >= 8)
        .collect();
        assert!(markers.iter().any(|m| m == "SPBE 2025"), "{markers:?}");

        let f = |e: &'static str, a: String| Probe::Fn(e, a);
        let card_args = |b: i64, c: i64| format!("board={b}&card={c}");
        let edit = |b: i64, c: i64, v: i64, lead: i64, assignees: &str| {
            format!(
                "board={b}&card={c}&version={v}&title=Diambil&description=Diambil&lead={lead}\
                 &opds=&assignees={assignees}&due=&labels="
            )
        };
        use Expect::{AsMissing, OwnOnly, Refused};
        let mut probes: Vec<(Expect, Probe)> = vec![
            // Accounts, tokens and what takes no id: its own only.
            (OwnOnly, f("pengguna-saya", String::new())),
            (OwnOnly, f("daftar-pengguna", String::new())),
            (
                Refused,
                f("kepala-opd", "username=opd&opd=DINKES&head=true".into()),
            ),
            (
                Refused,
                f(
                    "kepala-opd",
                    "username=kadinkes&opd=DINKES&head=false".into(),
                ),
            ),
            (OwnOnly, f("token-daftar", String::new())),
            (OwnOnly, f("token-buat", "name=Lain&scope=read".into())),
            (Refused, f("token-cabut", format!("id={token}"))),
            (OwnOnly, f("dokumentasi-api", String::new())),
            (Refused, f("nasional", String::new())),
            // Assessment.
            (OwnOnly, f("siklus", String::new())),
            (Refused, f("siklus-detail", format!("id={cycle}"))),
            (Refused, f("indikator", format!("cycle={cycle}&code=45"))),
            (
                Refused,
                f(
                    "klaim-level",
                    format!("cycle={cycle}&code=45&level=4&justification=Asing&evidence="),
                ),
            ),
            (
                AsMissing(
                    f(
                        "klaim-level",
                        format!(
                            "cycle={fcycle}&code=45&level=4&justification=Asing&evidence={MISSING}"
                        ),
                    ),
                    ev.to_string(),
                ),
                f(
                    "klaim-level",
                    format!("cycle={fcycle}&code=45&level=4&justification=Asing&evidence={ev}"),
                ),
            ),
            (
                Refused,
                f(
                    "verifikasi",
                    format!("cycle={cycle}&code=45&entry={entry}&decision=terima&reason="),
                ),
            ),
            (
                Refused,
                f(
                    "level-resmi",
                    format!("cycle={cycle}&code=45&stage=akhir&level=5&justification=Asing"),
                ),
            ),
            (
                Refused,
                f(
                    "tanggung-jawab",
                    format!("cycle={cycle}&code=1&lead=DINKES&contributors=&effort=5"),
                ),
            ),
            (
                Refused,
                f(
                    "kriteria",
                    format!(
                        "cycle={cycle}&code=45&criterion={crit}&action=centang&evidence=&seen=0"
                    ),
                ),
            ),
            (
                Refused,
                f(
                    "kriteria",
                    format!(
                        "cycle={fcycle}&code=45&criterion={crit}&action=centang&evidence=&seen=0"
                    ),
                ),
            ),
            (
                AsMissing(
                    f(
                        "kriteria",
                        format!(
                            "cycle={fcycle}&code=45&criterion={fcrit}&action=centang\
                         &evidence={MISSING}&seen=0"
                        ),
                    ),
                    ev.to_string(),
                ),
                f(
                    "kriteria",
                    format!(
                        "cycle={fcycle}&code=45&criterion={fcrit}&action=centang&evidence={ev}\
                         &seen=0"
                    ),
                ),
            ),
            (
                Refused,
                f(
                    "kriteria-ubah",
                    format!("cycle={cycle}&code=45&level=1&body=Asing&retire=0"),
                ),
            ),
            (
                OwnOnly,
                f(
                    "kriteria-ubah",
                    format!("cycle={fcycle}&code=45&level=1&body=&retire={crit}"),
                ),
            ),
            (
                Refused,
                f("diskusi", format!("cycle={cycle}&code=45&body=Asing")),
            ),
            // Cycles.
            (OwnOnly, f("siklus-pilihan", String::new())),
            (OwnOnly, f("padanan", String::new())),
            (
                OwnOnly,
                f("padanan-ubah", "to=I20&from=42&action=tambah".into()),
            ),
            (Refused, f("siklus-meta", format!("id={cycle}"))),
            (
                OwnOnly,
                f(
                    "siklus-baru",
                    format!("name=Salinan&year=2027&pack=spbe-2020&from={cycle}"),
                ),
            ),
            (
                Refused,
                f(
                    "siklus-ubah",
                    format!(
                        "cycle={cycle}&name=Diambil&current=ya&mandiri=&dokumen=&wawancara=\
                         &visitasi=&hasil="
                    ),
                ),
            ),
            (
                Refused,
                f(
                    "kirim-tahap",
                    format!("cycle={cycle}&stage=mandiri&note=Asing"),
                ),
            ),
            (Refused, f("beku", format!("cycle={cycle}&id={snap}"))),
            (Refused, f("beku", format!("cycle={fcycle}&id={snap}"))),
            (Refused, f("impor", format!("cycle={cycle}&id={batch}"))),
            (Refused, f("impor", format!("cycle={fcycle}&id={batch}"))),
            (
                Refused,
                f(
                    "impor-putuskan",
                    format!("cycle={cycle}&id={batch}&decision=terapkan"),
                ),
            ),
            (
                Refused,
                f(
                    "impor-putuskan",
                    format!("cycle={fcycle}&id={batch}&decision=batal"),
                ),
            ),
            (Refused, f("kalibrasi", format!("cycle={cycle}"))),
            // Leadership and commitment.
            (Refused, f("pimpinan", format!("cycle={cycle}"))),
            (OwnOnly, f("kios-baru", "label=Layar+lain".into())),
            (Refused, f("kios-cabut", format!("id={kiosk}"))),
            (Refused, f("komitmen", format!("cycle={cycle}"))),
            (
                Refused,
                f(
                    "komitmen-terbit",
                    format!("cycle={pemdi}&title=Asing&body=Asing"),
                ),
            ),
            (
                Refused,
                f(
                    "komitmen-terbit",
                    format!("cycle={cycle}&title=Asing&body=Asing"),
                ),
            ),
            (
                Refused,
                f(
                    "komitmen-tanda-tangan",
                    format!("cycle={cycle}&opd={fdinkes}"),
                ),
            ),
            (
                Refused,
                f(
                    "komitmen-tanda-tangan",
                    format!("cycle={fcycle}&opd={dinkes}"),
                ),
            ),
            // Boards.
            (OwnOnly, f("papan-daftar", String::new())),
            (
                Refused,
                f("papan-baru", format!("cycle={cycle}&name=Asing")),
            ),
            (
                Refused,
                f(
                    "papan",
                    format!("id={board}&opd=&indikator=&petugas=&label=&tenggat="),
                ),
            ),
            (
                Refused,
                f(
                    "kolom",
                    format!("board={board}&action=tambah&column=0&name=Asing"),
                ),
            ),
            (
                Refused,
                f(
                    "kolom",
                    format!("board={board}&action=ubah&column={col}&name=Asing"),
                ),
            ),
            (
                Refused,
                f(
                    "kolom",
                    format!("board={fboard}&action=ubah&column={col}&name=Asing"),
                ),
            ),
            (
                Refused,
                f(
                    "kolom",
                    format!("board={fboard}&action=selesai&column={col2}&name="),
                ),
            ),
            (
                Refused,
                f(
                    "kartu-baru",
                    format!("board={board}&column={col}&title=Asing&lead={fdinkes}"),
                ),
            ),
            (
                Refused,
                f(
                    "kartu-baru",
                    format!("board={fboard}&column={col}&title=Asing&lead={fdinkes}"),
                ),
            ),
            (
                AsMissing(
                    f(
                        "kartu-baru",
                        format!("board={fboard}&column={fcol}&title=Asing&lead={MISSING}"),
                    ),
                    dinkes.to_string(),
                ),
                f(
                    "kartu-baru",
                    format!("board={fboard}&column={fcol}&title=Asing&lead={dinkes}"),
                ),
            ),
            (Refused, f("kartu", card_args(board, card))),
            (Refused, f("kartu", card_args(fboard, card))),
            (
                Refused,
                f("kartu-ubah", edit(board, card, card_version, dinkes, "")),
            ),
            (
                Refused,
                f("kartu-ubah", edit(fboard, card, card_version, fdinkes, "")),
            ),
            (
                AsMissing(
                    f(
                        "kartu-ubah",
                        edit(fboard, fcard, fcard_version, MISSING, ""),
                    ),
                    dinkes.to_string(),
                ),
                f("kartu-ubah", edit(fboard, fcard, fcard_version, dinkes, "")),
            ),
            (
                AsMissing(
                    f(
                        "kartu-ubah",
                        edit(fboard, fcard, fcard_version, fdinkes, "tak.ada"),
                    ),
                    "opd".to_string(),
                ),
                f(
                    "kartu-ubah",
                    edit(fboard, fcard, fcard_version, fdinkes, "opd"),
                ),
            ),
            (
                Refused,
                f(
                    "kartu-pindah",
                    format!("board={board}&card={card}&column={col2}&index=0"),
                ),
            ),
            (
                Refused,
                f(
                    "kartu-pindah",
                    format!("board={fboard}&card={card}&column={fcol}&index=0"),
                ),
            ),
            (
                Refused,
                f(
                    "kartu-pindah",
                    format!("board={fboard}&card={fcard}&column={col2}&index=0"),
                ),
            ),
            (
                Refused,
                f(
                    "kartu-indikator",
                    format!("{}&code=45&target=5&remove=true", card_args(board, card)),
                ),
            ),
            (
                Refused,
                f(
                    "kartu-indikator",
                    format!("{}&code=45&target=5&remove=false", card_args(fboard, card)),
                ),
            ),
            (
                Refused,
                f(
                    "kartu-cek",
                    format!(
                        "{}&action=centang&item={item}&body=&done=true",
                        card_args(board, card)
                    ),
                ),
            ),
            (
                Refused,
                f(
                    "kartu-cek",
                    format!(
                        "{}&action=centang&item={item}&body=&done=true",
                        card_args(fboard, fcard)
                    ),
                ),
            ),
            (
                Refused,
                f(
                    "kartu-cek",
                    format!(
                        "{}&action=hapus&item={item}&body=&done=false",
                        card_args(fboard, fcard)
                    ),
                ),
            ),
            (
                Refused,
                f(
                    "kartu-lampiran",
                    format!("{}&evidence={ev}&remove=true", card_args(board, card)),
                ),
            ),
            (
                Refused,
                f(
                    "kartu-lampiran",
                    format!("{}&evidence={ev}&remove=false", card_args(fboard, fcard)),
                ),
            ),
            (
                Refused,
                f(
                    "kartu-komentar",
                    format!("{}&body=Asing", card_args(board, card)),
                ),
            ),
            (
                Refused,
                f(
                    "kartu-komentar",
                    format!("{}&body=Asing", card_args(fboard, card)),
                ),
            ),
            (
                AsMissing(
                    f(
                        "kartu-komentar",
                        format!("{}&body=%40tak.ada+lihat", card_args(fboard, fcard)),
                    ),
                    "opd".to_string(),
                ),
                f(
                    "kartu-komentar",
                    format!(
                        "{}&body=%40opd+%40koordinator+lihat",
                        card_args(fboard, fcard)
                    ),
                ),
            ),
            (Refused, f("kehadiran", card_args(board, card))),
            (Refused, f("kehadiran", card_args(fboard, card))),
            (OwnOnly, f("saya", String::new())),
            (OwnOnly, f("notifikasi-jumlah", String::new())),
            (OwnOnly, f("notifikasi-baca", format!("id={notification}"))),
            (Refused, f("kolaborasi", format!("board={board}"))),
            // Reports, dashboard, evidence.
            (Refused, f("laporan", format!("cycle={cycle}"))),
            (Refused, f("dasbor", format!("cycle={cycle}"))),
            (OwnOnly, f("bukti", String::new())),
        ];
        // The REST API with its own write token.
        let api = |m: &'static str, route: &'static str, url: String, body: Option<&str>| {
            Probe::Api(m, route, url, body.map(str::to_string))
        };
        let claim = Some(r#"{"level": 4, "justification": "Asing"}"#);
        let comment = Some(r#"{"body": "Asing"}"#);
        probes.extend([
            (
                OwnOnly,
                api(
                    "get",
                    "/api/v1/openapi.json",
                    "/api/v1/openapi.json".into(),
                    None,
                ),
            ),
            (
                OwnOnly,
                api("get", "/api/v1/cycles", "/api/v1/cycles".into(), None),
            ),
            (
                Refused,
                api(
                    "get",
                    "/api/v1/cycles/{cycle}/indicators",
                    format!("/api/v1/cycles/{cycle}/indicators"),
                    None,
                ),
            ),
            (
                Refused,
                api(
                    "get",
                    "/api/v1/cycles/{cycle}/scores",
                    format!("/api/v1/cycles/{cycle}/scores"),
                    None,
                ),
            ),
            (
                Refused,
                api(
                    "post",
                    "/api/v1/cycles/{cycle}/indicators/{code}/claims",
                    format!("/api/v1/cycles/{cycle}/indicators/45/claims"),
                    claim,
                ),
            ),
            (
                OwnOnly,
                api("get", "/api/v1/boards", "/api/v1/boards".into(), None),
            ),
            (
                Refused,
                api(
                    "get",
                    "/api/v1/boards/{board}/cards",
                    format!("/api/v1/boards/{board}/cards"),
                    None,
                ),
            ),
            (
                Refused,
                api(
                    "post",
                    "/api/v1/boards/{board}/cards",
                    format!("/api/v1/boards/{board}/cards"),
                    Some(r#"{"title": "Asing", "lead_opd": "DINKES"}"#),
                ),
            ),
            (
                Refused,
                api(
                    "post",
                    "/api/v1/boards/{board}/cards/{card}/comments",
                    format!("/api/v1/boards/{board}/cards/{card}/comments"),
                    comment,
                ),
            ),
            (
                Refused,
                api(
                    "post",
                    "/api/v1/boards/{board}/cards/{card}/comments",
                    format!("/api/v1/boards/{fboard}/cards/{card}/comments"),
                    comment,
                ),
            ),
        ]);
        // The plain routes.
        let link = |extra: String| {
            format!("url=https%3A%2F%2Fasing.example.go.id%2Fx&judul=Asing&jenis=tautan{extra}")
        };
        let pdf = b"%PDF-1.7\nasing\n%%EOF\n".to_vec();
        probes.extend([
            (
                Refused,
                Probe::Form("/bukti/tautan".into(), link(format!("&bukti={ev}"))),
            ),
            (
                Refused,
                Probe::Form("/bukti/tautan".into(), link(format!("&opd={dinkes}"))),
            ),
            (
                Refused,
                Probe::Upload(
                    "/bukti/unggah".into(),
                    vec![("bukti", ev.to_string())],
                    "asing.pdf",
                    pdf.clone(),
                ),
            ),
            (
                Refused,
                Probe::Upload(
                    "/bukti/unggah".into(),
                    vec![("judul", "Asing".into()), ("opd", dinkes.to_string())],
                    "asing.pdf",
                    pdf,
                ),
            ),
            (
                Refused,
                Probe::Form(format!("/bukti/{ev}/hapus"), String::new()),
            ),
            (
                Refused,
                Probe::Form(format!("/bukti/{file_item}/hapus"), String::new()),
            ),
            (
                Refused,
                Probe::Get(format!("/bukti/versi/{}/unduh", ctx.file_version)),
            ),
            (
                Refused,
                Probe::Get(format!("/bukti/versi/{}/unduh", ctx.link_version)),
            ),
            (
                Refused,
                Probe::Upload(
                    format!("/siklus/{cycle}/impor"),
                    vec![("tahap", "akhir".into())],
                    "hasil.csv",
                    b"kode;level;catatan\n1;4;\n".to_vec(),
                ),
            ),
            (Refused, Probe::Get(format!("/ekspor/{cycle}/xlsx"))),
            (Refused, Probe::Get(format!("/ekspor/{cycle}/csv"))),
            (Refused, Probe::Get(format!("/ekspor/{cycle}/pdf"))),
        ]);

        // Every server fn (but `kios`, public to whoever holds the link), API route and plain
        // route that can name an id is tried.
        let tried: BTreeSet<String> = probes
            .iter()
            .filter_map(|(_, p)| match p {
                Probe::Fn(e, _) => Some(e.to_string()),
                Probe::Api(m, r, ..) => Some(format!("{m} {r}")),
                p => p.plain_route(),
            })
            .collect();
        let untried: Vec<String> = SERVER_FNS
            .iter()
            .map(|r| r.0.to_string())
            .filter(|e| e != "kios")
            .chain(API_ROUTES.iter().map(|r| format!("{} {}", r.0, r.1)))
            .chain(
                PLAIN_ROUTES
                    .iter()
                    .map(|r| r.1.to_string())
                    .filter(|p| !["/keluar", "/bahasa", "/api/peristiwa"].contains(&p.as_str())),
            )
            .filter(|e| !tried.contains(e))
            .collect();
        assert!(untried.is_empty(), "not tried across instansi: {untried:?}");

        let mut baseline = fingerprint(&t.db, ctx.inst).await;
        let mut failures = Vec::new();
        let mut grid = Vec::new();
        for (expect, probe) in &probes {
            let (status, body) = probe.run(&app, &fc, &ftoken).await;
            let refused = match probe {
                Probe::Form(..) | Probe::Upload(..) => {
                    status == StatusCode::SEE_OTHER && body.starts_with("galat=")
                }
                _ => matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            };
            let good = match expect {
                Expect::Refused => refused,
                Expect::OwnOnly => status != StatusCode::UNAUTHORIZED && !status.is_server_error(),
                Expect::AsMissing(twin, ours) => {
                    let (s, b) = twin.run(&app, &fc, &ftoken).await;
                    let b = b
                        .replace(&MISSING.to_string(), ours)
                        .replace("tak.ada", ours);
                    // A success (its own comment) differs in its new id only.
                    s == status && (status.is_success() || b == body)
                }
            };
            let leaked: Vec<&String> = markers
                .iter()
                .filter(|m| body.contains(m.as_str()))
                .collect();
            let now = fingerprint(&t.db, ctx.inst).await;
            let changed: Vec<&str> = baseline
                .iter()
                .zip(&now)
                .filter(|(a, b)| a != b)
                .map(|(a, _)| a.0)
                .collect();
            let label = probe.label();
            if !good || !leaked.is_empty() || !changed.is_empty() {
                let short: String = body.chars().take(200).collect();
                failures.push(format!(
                    "{label}: expected {}, got {status}; our names in it: {leaked:?}; \
                     our rows changed: {changed:?}: {short}",
                    expect.name()
                ));
                baseline = now;
            }
            grid.push(format!(
                "{:<100}{:>5} {}",
                label.chars().take(99).collect::<String>(),
                status.as_u16(),
                match (expect, refused) {
                    (_, true) => "refused",
                    (Expect::AsMissing(..), _) => "as if missing",
                    _ => "own",
                }
            ));
        }
        // The live stream of its session carries its own events only, even with our kiosk link.
        let theirs: Vec<i64> =
            sqlx::query("SELECT id FROM event WHERE instansi_id = $1 ORDER BY id")
                .bind(foreign)
                .fetch_all(&t.db.pool)
                .await
                .unwrap()
                .iter()
                .map(|r| r.try_get("id").unwrap())
                .collect();
        let res = tower::ServiceExt::oneshot(
            app.clone(),
            http::Request::get(format!("/api/peristiwa?setelah=0&kios={}", ctx.kiosk))
                .header(http::header::COOKIE, &fc)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let mut stream = res.into_body().into_data_stream();
        let seen = common::live::read_events(
            &mut stream,
            theirs.len() + 1,
            std::time::Duration::from_millis(1500),
        )
        .await;
        let seen: Vec<i64> = seen.iter().map(|e| e.0).collect();
        if seen != theirs {
            failures.push(format!(
                "GET /api/peristiwa?setelah=0&kios=<ours>: events {seen:?}, its own are {theirs:?}"
            ));
        }
        grid.push(format!(
            "{:<100}{:>5} {} events, all its own",
            "GET /api/peristiwa?setelah=0&kios=<ours>",
            200,
            seen.len()
        ));
        eprintln!(
            "{}: cross-tenant ({} calls of the other instansi's admin, {:.1} s)\n{}",
            t.label,
            probes.len() + 1,
            started.elapsed().as_secs_f64(),
            grid.join("\n")
        );
        assert!(
            failures.is_empty(),
            "{}: {} calls of another instansi reached ours:\n{}",
            t.label,
            failures.len(),
            failures.join("\n")
        );
        t
    })
    .await;
}
