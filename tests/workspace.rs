//! The assessment workspace and the evidence library through the real router, on SQLite and
//! on PostgreSQL: the claim → revision → accept loop, who may do what, and every refusal of a
//! bad file leaving nothing behind.

mod common;

use common::{call, get, login, on_both, post_form, post_multipart, router_with_files};
use http::StatusCode;
use serde_json::Value;
use sinergi::auth::Role;
use sinergi::server::seed::{self, DEMO_PASSWORD};
use sqlx::Row;

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

async fn count(t: &common::TestDb, sql: &'static str) -> i64 {
    sqlx::query(sql)
        .fetch_one(&t.db.pool)
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

/// Files in the evidence store (not counting the empty temporary folder).
fn stored_files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
                .count()
        })
        .unwrap_or(0)
        + std::fs::read_dir(dir.join("tmp"))
            .map(|d| d.count())
            .unwrap_or(0)
}

async fn spbe_cycle(t: &common::TestDb) -> i64 {
    let inst = seed::instansi_id(&t.db, seed::DEMO_INSTANSI_CODE)
        .await
        .unwrap();
    seed::cycle_id(&t.db, inst, "SPBE 2025").await.unwrap()
}

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

fn verifikasi_filled(dashboard: &Value) -> u64 {
    dashboard["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == "verifikasi")
        .unwrap()["filled"]
        .as_u64()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_is_revised_then_accepted_and_moves_the_verifikasi_stage() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let (app, _files) = router_with_files(&t.db);
        let cycle = spbe_cycle(&t).await;
        let opd = login(&app, "opd", DEMO_PASSWORD).await.unwrap();
        let asesor = login(&app, "asesor", DEMO_PASSWORD).await.unwrap();
        let viewer = login(&app, "viewer", DEMO_PASSWORD).await.unwrap();

        // The Dinas Kesehatan member uploads the evidence.
        let (status, msg) = post_multipart(
            &app,
            "/bukti/unggah",
            &[("judul", "SOP Layanan Kesehatan Daring"), ("jenis", "sop"), ("tahun", "2025")],
            Some(("berkas", "sop-layanan.pdf", PDF)),
            Some(&opd),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", t.label);
        assert!(msg.starts_with("ok="), "{}: {msg}", t.label);
        let (_, body) = call(&app, "bukti", "", Some(&opd)).await;
        let lib = json(&body);
        let evidence = lib["items"][0]["id"].as_i64().unwrap();

        let (_, before) = call(&app, "dasbor", &format!("cycle={cycle}"), Some(&opd)).await;
        let before = verifikasi_filled(&json(&before));

        // Indicator 45 is led by DINKES: the member claims level 5 on that evidence.
        let claim = |level: &str| {
            format!("cycle={cycle}&code=45&level={level}&justification=Layanan+daring+berjalan&evidence={evidence}")
        };
        let (status, body) = call(&app, "klaim-level", &claim("5"), Some(&opd)).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", t.label);

        // Neither a viewer nor a member of an unrelated OPD may claim.
        let (status, _) = call(&app, "klaim-level", &claim("5"), Some(&viewer)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", t.label);
        let other = format!("cycle={cycle}&code=1&level=5&justification=x&evidence=");
        let (status, _) = call(&app, "klaim-level", &other, Some(&opd)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", t.label);
        // A claim without justification is refused by name.
        let (status, body) = call(
            &app,
            "klaim-level",
            &format!("cycle={cycle}&code=45&level=5&justification=&evidence="),
            Some(&opd),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("Penjelasan wajib diisi"), "{body}");

        let read = |who: String| {
            let app = app.clone();
            async move {
                let (status, body) =
                    call(&app, "indikator", &format!("cycle={cycle}&code=45"), Some(&who)).await;
                assert_eq!(status, StatusCode::OK, "{body}");
                json(&body)
            }
        };
        let view = read(asesor.clone()).await;
        assert_eq!(view["status"], "Menunggu");
        assert_eq!(view["can_verify"], true);
        assert_eq!(view["history"][0]["evidence"][0]["evidence_id"], evidence);
        let first = view["claim_entry"].as_i64().unwrap();

        // Only an asesor decides; a revision needs a reason.
        let decide = |entry: i64, decision: &str, reason: &str| {
            format!("cycle={cycle}&code=45&entry={entry}&decision={decision}&reason={reason}")
        };
        let (status, _) = call(&app, "verifikasi", &decide(first, "terima", ""), Some(&opd)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = call(&app, "verifikasi", &decide(first, "revisi", ""), Some(&asesor)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("Alasan revisi wajib diisi"), "{body}");
        let (status, body) = call(
            &app,
            "verifikasi",
            &decide(first, "revisi", "Bukti+integrasi+belum+ada"),
            Some(&asesor),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", t.label);
        let view = read(opd.clone()).await;
        assert_eq!(view["status"], "Revisi");
        assert_eq!(view["history"][0]["reviews"][0]["reason"], "Bukti integrasi belum ada");
        // A decided claim is not decided twice.
        let (status, _) = call(&app, "verifikasi", &decide(first, "terima", ""), Some(&asesor)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        // The member revises to level 4; the stale claim can no longer be accepted.
        let (status, _) = call(&app, "klaim-level", &claim("4"), Some(&opd)).await;
        assert_eq!(status, StatusCode::OK);
        let view = read(asesor.clone()).await;
        assert_eq!(view["status"], "Menunggu");
        let second = view["claim_entry"].as_i64().unwrap();
        assert_ne!(first, second);
        let (status, _) = call(&app, "verifikasi", &decide(first, "terima", ""), Some(&asesor)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, body) = call(&app, "verifikasi", &decide(second, "terima", ""), Some(&asesor)).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", t.label);

        let view = read(opd.clone()).await;
        assert_eq!(view["status"], "Diterima");
        let verifikasi = &view["stages"].as_array().unwrap()[2];
        assert_eq!(verifikasi["stage"], "verifikasi");
        assert_eq!(verifikasi["level"], "4");
        // Nothing is overwritten: both claims, the decision and the verified level are kept.
        // Seeded Target and Mandiri, then two claims and the verified level.
        assert_eq!(view["history"].as_array().unwrap().len(), 2 + 3);
        let (_, after) = call(&app, "dasbor", &format!("cycle={cycle}"), Some(&opd)).await;
        assert_eq!(verifikasi_filled(&json(&after)), before + 1, "{}", t.label);

        // The evidence now carries a ledger entry: it cannot be deleted.
        let (_, msg) = post_form(&app, &format!("/bukti/{evidence}/hapus"), "", Some(&opd)).await;
        assert!(msg.starts_with("galat=") && msg.contains("dipakai"), "{msg}");
        assert_eq!(count(&t, "SELECT COUNT(*) AS n FROM evidence").await, 1);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_asesor_cannot_verify_their_own_claim() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let (app, _) = router_with_files(&t.db);
        let cycle = spbe_cycle(&t).await;
        // The demo asesor belongs to the Inspektorat, which leads indicator 9.
        let asesor = login(&app, "asesor", DEMO_PASSWORD).await.unwrap();
        let (status, _) = call(
            &app,
            "klaim-level",
            &format!("cycle={cycle}&code=9&level=4&justification=Perwal+audit+TIK&evidence="),
            Some(&asesor),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}", t.label);
        let (_, body) = call(
            &app,
            "indikator",
            &format!("cycle={cycle}&code=9"),
            Some(&asesor),
        )
        .await;
        let view = json(&body);
        assert_eq!(view["can_verify"], false);
        let entry = view["claim_entry"].as_i64().unwrap();
        let (status, _) = call(
            &app,
            "verifikasi",
            &format!("cycle={cycle}&code=9&entry={entry}&decision=terima&reason="),
            Some(&asesor),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", t.label);
        // A second asesor may.
        let inst = seed::instansi_id(&t.db, seed::DEMO_INSTANSI_CODE)
            .await
            .unwrap();
        sinergi::auth::ssr::create_user(
            &t.db,
            inst,
            "asesor2",
            "Auditor Kedua",
            "rahasia-panjang",
            Role::Asesor,
            &["INSPEKTORAT".into()],
        )
        .await
        .unwrap();
        let other = login(&app, "asesor2", "rahasia-panjang").await.unwrap();
        let (status, _) = call(
            &app,
            "verifikasi",
            &format!("cycle={cycle}&code=9&entry={entry}&decision=terima&reason="),
            Some(&other),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}", t.label);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn official_levels_are_for_the_koordinator_and_only_for_their_stages() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let (app, _) = router_with_files(&t.db);
        let cycle = spbe_cycle(&t).await;
        let koordinator = login(&app, "koordinator", DEMO_PASSWORD).await.unwrap();
        let opd = login(&app, "opd", DEMO_PASSWORD).await.unwrap();
        let args =
            |stage: &str| format!("cycle={cycle}&code=45&stage={stage}&level=5&justification=");
        let (status, _) = call(&app, "level-resmi", &args("akhir"), Some(&opd)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) =
            call(&app, "level-resmi", &args("verifikasi"), Some(&koordinator)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let (status, body) = call(&app, "level-resmi", &args("akhir"), Some(&koordinator)).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", t.label);
        let (_, body) = call(
            &app,
            "indikator",
            &format!("cycle={cycle}&code=45"),
            Some(&opd),
        )
        .await;
        assert_eq!(json(&body)["stages"][4]["level"], "5");
        // The cycle list and the cycle view agree with the ledger.
        let (_, body) = call(&app, "siklus", "", Some(&opd)).await;
        let cycles = json(&body);
        assert_eq!(cycles[0]["name"], "Pemdi 2026");
        assert_eq!(cycles[1]["mandiri"]["text"], "4,38");
        let (_, body) = call(&app, "siklus-detail", &format!("id={cycle}"), Some(&opd)).await;
        let view = json(&body);
        let row = view["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == "45")
            .unwrap();
        assert_eq!(row["lead"], "DINKES");
        assert_eq!(row["levels"][4], serde_json::json!([5, 1]));
        // Another instansi's cycle is not there.
        let (status, _) = call(
            &app,
            "siklus-detail",
            &format!("id={}", cycle + 100),
            Some(&opd),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_files_are_refused_by_name_and_leave_nothing_behind() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let (app, files) = router_with_files(&t.db);
        let opd = login(&app, "opd", DEMO_PASSWORD).await.unwrap();
        let meta = [("judul", "Laporan"), ("jenis", "laporan")];
        let too_big = {
            let mut v = PDF.to_vec();
            v.resize(1024 * 1024 + 1, b' ');
            v
        };
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("besar.pdf", too_big, "terlalu besar"),
            ("program.exe", b"MZ\x90\x00".to_vec(), ".exe"),
            ("palsu.pdf", b"MZ\x90\x00".to_vec(), "tidak sesuai"),
            ("kosong.pdf", Vec::new(), "kosong"),
            ("../../etc/passwd.pdf", PDF.to_vec(), "jalur"),
            (".tersembunyi.pdf", PDF.to_vec(), "titik"),
        ];
        for (name, bytes, needle) in cases {
            let (status, msg) = post_multipart(
                &app,
                "/bukti/unggah",
                &meta,
                Some(("berkas", name, &bytes)),
                Some(&opd),
            )
            .await;
            assert_eq!(status, StatusCode::SEE_OTHER);
            assert!(
                msg.starts_with("galat=") && msg.contains(needle),
                "{} {name}: {msg}",
                t.label
            );
        }
        // No file chosen, no title, a bad year: named too.
        let (_, msg) = post_multipart(&app, "/bukti/unggah", &meta, None, Some(&opd)).await;
        assert!(msg.contains("Pilih berkas"), "{msg}");
        let (_, msg) = post_multipart(
            &app,
            "/bukti/unggah",
            &[("judul", " ")],
            Some(("berkas", "a.pdf", PDF)),
            Some(&opd),
        )
        .await;
        assert!(msg.contains("Judul"), "{msg}");
        let (_, msg) = post_multipart(
            &app,
            "/bukti/unggah",
            &[("judul", "A"), ("tahun", "20x4")],
            Some(("berkas", "a.pdf", PDF)),
            Some(&opd),
        )
        .await;
        assert!(msg.contains("Tahun"), "{msg}");
        assert_eq!(
            count(&t, "SELECT COUNT(*) AS n FROM evidence").await,
            0,
            "{}",
            t.label
        );
        assert_eq!(
            count(&t, "SELECT COUNT(*) AS n FROM evidence_version").await,
            0
        );
        assert_eq!(stored_files(&files), 0, "{}: nothing left on disk", t.label);

        // Read-only roles cannot add evidence.
        let viewer = login(&app, "viewer", DEMO_PASSWORD).await.unwrap();
        let (_, msg) = post_multipart(
            &app,
            "/bukti/unggah",
            &meta,
            Some(("berkas", "a.pdf", PDF)),
            Some(&viewer),
        )
        .await;
        assert!(msg.starts_with("galat="), "{msg}");
        let (_, msg) = post_form(
            &app,
            "/bukti/tautan",
            "url=https%3A%2F%2Fjdih.go.id&judul=x",
            Some(&viewer),
        )
        .await;
        assert!(msg.starts_with("galat="), "{msg}");
        assert_eq!(stored_files(&files), 0);
        assert_eq!(count(&t, "SELECT COUNT(*) AS n FROM evidence").await, 0);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_content_is_recognised_versions_are_kept_and_downloads_check_the_caller() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let (app, files) = router_with_files(&t.db);
        let opd = login(&app, "opd", DEMO_PASSWORD).await.unwrap();
        let meta = [("judul", "Perwal Arsitektur SPBE"), ("jenis", "perwal"), ("nomor", "12"), ("tahun", "2024")];
        let (_, msg) = post_multipart(&app, "/bukti/unggah", &meta, Some(("berkas", "perwal.pdf", PDF)), Some(&opd)).await;
        assert!(msg.starts_with("ok="), "{msg}");
        let (_, msg) = post_multipart(&app, "/bukti/unggah", &[("judul", "Salinan")], Some(("berkas", "salinan.pdf", PDF)), Some(&opd)).await;
        assert!(msg.starts_with("ok=") && msg.contains("sudah ada"), "{msg}");
        assert_eq!(count(&t, "SELECT COUNT(*) AS n FROM evidence_version").await, 1);
        let id: i64 = count(&t, "SELECT MAX(id) AS n FROM evidence").await;

        // A new version keeps the old one.
        let v2 = b"%PDF-1.7\nversi kedua\n%%EOF\n";
        let (_, msg) = post_multipart(&app, "/bukti/unggah", &[("bukti", &id.to_string())], Some(("berkas", "perwal-rev.pdf", v2)), Some(&opd)).await;
        assert!(msg.contains("versi 2"), "{msg}");
        assert_eq!(stored_files(&files), 2);
        // A link item, and a link refused by name.
        let (_, msg) = post_form(&app, "/bukti/tautan", "url=https%3A%2F%2Fjdih.mojokertokota.go.id%2Fperwal%2F12&judul=Perwal+di+JDIH&jenis=tautan", Some(&opd)).await;
        assert!(msg.starts_with("ok="), "{msg}");
        let (_, msg) = post_form(&app, "/bukti/tautan", "url=javascript%3Aalert(1)&judul=x", Some(&opd)).await;
        assert!(msg.starts_with("galat=") && msg.contains("http"), "{msg}");

        let (_, body) = call(&app, "bukti", "", Some(&opd)).await;
        let lib = json(&body);
        let item = lib["items"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap();
        assert_eq!(item["versions"].as_array().unwrap().len(), 2);
        let v1 = item["versions"][1]["id"].as_i64().unwrap();

        // Any signed-in user of the instansi downloads the exact bytes of an old version.
        let viewer = login(&app, "viewer", DEMO_PASSWORD).await.unwrap();
        let res = get(&app, &format!("/bukti/versi/{v1}/unduh"), Some(&viewer)).await;
        assert_eq!(res.status(), StatusCode::OK, "{}", t.label);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        assert!(res.headers()["content-disposition"].to_str().unwrap().contains("perwal.pdf"));
        assert_eq!(common::body_text(res).await.as_bytes(), PDF);
        // Anonymous: no file. Another instansi: not found.
        let res = get(&app, &format!("/bukti/versi/{v1}/unduh"), None).await;
        // (A browser is sent to sign in first, then back to the download.)
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert!(res.headers()["location"].to_str().unwrap().starts_with("/masuk?lanjut="));
        sqlx::query("INSERT INTO instansi (code, name, created_at) VALUES ('kab-lain', 'Kabupaten Lain', 0)")
            .execute(&t.db.pool)
            .await
            .unwrap();
        let other = seed::instansi_id(&t.db, "kab-lain").await.unwrap();
        sinergi::auth::ssr::create_user(&t.db, other, "tamu.lain", "Tamu", "rahasia-panjang", Role::Viewer, &[])
            .await
            .unwrap();
        let stranger = login(&app, "tamu.lain", "rahasia-panjang").await.unwrap();
        let res = get(&app, &format!("/bukti/versi/{v1}/unduh"), Some(&stranger)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{}", t.label);
        let (_, body) = call(&app, "bukti", "", Some(&stranger)).await;
        assert_eq!(json(&body)["items"].as_array().unwrap().len(), 0);

        // An unused item can be deleted; its files go with it.
        let (_, msg) = post_form(&app, &format!("/bukti/{id}/hapus"), "", Some(&opd)).await;
        assert!(msg.starts_with("ok="), "{msg}");
        assert_eq!(stored_files(&files), 0);
        let events = count(&t, "SELECT COUNT(*) AS n FROM event WHERE kind LIKE 'bukti.%'").await;
        assert_eq!(events, 4, "upload, new version, link, delete ({})", t.label);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_koordinator_assigns_responsibility_and_it_decides_who_may_claim() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let (app, _) = router_with_files(&t.db);
        let cycle = spbe_cycle(&t).await;
        let koordinator = login(&app, "koordinator", DEMO_PASSWORD).await.unwrap();
        let opd = login(&app, "opd", DEMO_PASSWORD).await.unwrap();
        let claim1 = format!("cycle={cycle}&code=1&level=3&justification=Draf+Perwal&evidence=");
        let (status, _) = call(&app, "klaim-level", &claim1, Some(&opd)).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "DINKES has no part in indicator 1 yet"
        );
        let set = |lead: &str, contributors: &str, effort: &str| {
            format!("cycle={cycle}&code=1&lead={lead}&contributors={contributors}&effort={effort}")
        };
        let (status, _) = call(&app, "tanggung-jawab", &set("DINKES", "", "2"), Some(&opd)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        for (args, needle) in [
            (set("DINKES", "TIDAKADA", "2"), "TIDAKADA"),
            (set("NGAWUR", "", "2"), "NGAWUR"),
            (set("DINKES", "", "9"), "upaya"),
        ] {
            let (status, body) = call(&app, "tanggung-jawab", &args, Some(&koordinator)).await;
            assert_eq!(status, StatusCode::BAD_REQUEST);
            assert!(body.contains(needle), "{body}");
        }
        let (status, body) = call(
            &app,
            "tanggung-jawab",
            &set("DISKOMINFO", "dinkes%2C+BAG-HUKUM", "2"),
            Some(&koordinator),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", t.label);
        let (status, _) = call(&app, "klaim-level", &claim1, Some(&opd)).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "a contributor may claim ({})",
            t.label
        );
        let (_, body) = call(&app, "siklus-detail", &format!("id={cycle}"), Some(&opd)).await;
        let view = json(&body);
        let row = &view["rows"][0];
        assert_eq!(row["lead"], "DISKOMINFO");
        assert_eq!(
            row["contributors"],
            serde_json::json!(["BAG-HUKUM", "DINKES"])
        );
        assert_eq!(row["effort"], 2);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_discussion_is_kept_per_indicator_and_the_viewer_only_reads() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let (app, _) = router_with_files(&t.db);
        let cycle = spbe_cycle(&t).await;
        let opd = login(&app, "opd", DEMO_PASSWORD).await.unwrap();
        let pimpinan = login(&app, "pimpinan", DEMO_PASSWORD).await.unwrap();
        let viewer = login(&app, "viewer", DEMO_PASSWORD).await.unwrap();
        let post = |body: &str| format!("cycle={cycle}&code=45&body={body}");
        let (status, _) = call(&app, "diskusi", &post("Mohon+percepat"), Some(&pimpinan)).await;
        assert_eq!(status, StatusCode::OK, "{}", t.label);
        let (status, _) = call(&app, "diskusi", &post("Siap"), Some(&opd)).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = call(&app, "diskusi", &post("Boleh%3F"), Some(&viewer)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = call(&app, "diskusi", &post("+"), Some(&opd)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (_, body) = call(
            &app,
            "indikator",
            &format!("cycle={cycle}&code=45"),
            Some(&viewer),
        )
        .await;
        let view = json(&body);
        let comments = view["comments"].as_array().unwrap();
        assert_eq!(comments.len(), 2);
        assert_eq!(comments[0]["body"], "Mohon percepat");
        assert_eq!(comments[0]["by"], "Wali Kota");
        assert_eq!(view["can_comment"], false);
        // No earlier SPBE cycle in the demo: nothing to compare with.
        assert_eq!(view["previous"], Value::Null);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn criteria_support_a_level_only_when_checked_with_accepted_evidence() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let (app, _) = router_with_files(&t.db);
        let cycle = spbe_cycle(&t).await;
        let opd = login(&app, "opd", DEMO_PASSWORD).await.unwrap();
        let asesor = login(&app, "asesor", DEMO_PASSWORD).await.unwrap();
        let koordinator = login(&app, "koordinator", DEMO_PASSWORD).await.unwrap();
        let viewer = login(&app, "viewer", DEMO_PASSWORD).await.unwrap();
        let (_, msg) = post_multipart(
            &app,
            "/bukti/unggah",
            &[("judul", "Laporan Rintisan"), ("jenis", "laporan")],
            Some(("berkas", "rintisan.pdf", PDF)),
            Some(&opd),
        )
        .await;
        assert!(msg.starts_with("ok="), "{msg}");
        let (_, body) = call(&app, "bukti", "", Some(&opd)).await;
        let evidence = json(&body)["items"][0]["id"].as_i64().unwrap();
        let view = |who: String, code: &'static str| {
            let app = app.clone();
            async move {
                let (status, body) = call(
                    &app,
                    "indikator",
                    &format!("cycle={cycle}&code={code}"),
                    Some(&who),
                )
                .await;
                assert_eq!(status, StatusCode::OK, "{body}");
                json(&body)
            }
        };
        let v = view(opd.clone(), "45").await;
        let criteria = v["criteria"].as_array().unwrap();
        assert_eq!(
            criteria.len(),
            5,
            "one per level, from the pack ({})",
            t.label
        );
        assert!(
            criteria[0]["body"]
                .as_str()
                .unwrap()
                .starts_with("Informasi"),
            "{}",
            criteria[0]["body"]
        );
        assert_eq!(v["supported_level"], 0);
        let level1 = criteria[0]["id"].as_i64().unwrap();
        let mark = |id: i64, action: &str, ev: &str| {
            format!("cycle={cycle}&code=45&criterion={id}&action={action}&evidence={ev}&seen=0")
        };

        let (status, _) = call(
            &app,
            "kriteria",
            &mark(level1, "centang", &evidence.to_string()),
            Some(&viewer),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) =
            call(&app, "kriteria", &mark(level1, "terima", ""), Some(&asesor)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "not checked yet: {body}");
        let (status, _) = call(
            &app,
            "kriteria",
            &mark(level1, "centang", &evidence.to_string()),
            Some(&opd),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}", t.label);
        let v = view(opd.clone(), "45").await;
        assert_eq!(v["supported_level"], 0, "checked, not yet accepted");
        assert_eq!(v["criteria"][0]["evidence"]["evidence_id"], evidence);
        let (status, _) = call(&app, "kriteria", &mark(level1, "terima", ""), Some(&opd)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "only an asesor accepts");
        let v = view(asesor.clone(), "45").await;
        assert_eq!(v["criteria"][0]["can_accept"], true);
        // Accepting a mark other than the one in force (it changed meanwhile) is refused.
        let (status, _) = call(&app, "kriteria", &mark(level1, "terima", ""), Some(&asesor)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let seen = v["criteria"][0]["mark"].as_i64().unwrap();
        let accept = mark(level1, "terima", "").replace("seen=0", &format!("seen={seen}"));
        let (status, _) = call(&app, "kriteria", &accept, Some(&asesor)).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = call(&app, "kriteria", &accept, Some(&asesor)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "accepted once");
        let v = view(opd.clone(), "45").await;
        assert_eq!(v["supported_level"], 1, "{}", t.label);
        assert_eq!(v["missing_next"].as_array().unwrap().len(), 1);

        // A new level-1 criterion holds the level back until it is met; retired, it no longer does.
        let add = format!("cycle={cycle}&code=45&level=1&body=Ada+notulen+rapat&retire=0");
        let (status, _) = call(&app, "kriteria-ubah", &add, Some(&opd)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = call(&app, "kriteria-ubah", &add, Some(&koordinator)).await;
        assert_eq!(status, StatusCode::OK);
        let v = view(opd.clone(), "45").await;
        assert_eq!(v["supported_level"], 0);
        assert_eq!(v["missing_next"], serde_json::json!(["Ada notulen rapat"]));
        let added = v["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["body"] == "Ada notulen rapat")
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let (status, _) = call(
            &app,
            "kriteria-ubah",
            &format!("cycle={cycle}&code=45&level=&body=&retire={added}"),
            Some(&koordinator),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(view(opd.clone(), "45").await["supported_level"], 1);

        // An asesor does not accept evidence they attached themselves (indicator 9: Inspektorat).
        let v = view(asesor.clone(), "9").await;
        let c9 = v["criteria"][0]["id"].as_i64().unwrap();
        let mark9 = |action: &str, ev: &str| {
            format!("cycle={cycle}&code=9&criterion={c9}&action={action}&evidence={ev}&seen=0")
        };
        let (status, _) = call(
            &app,
            "kriteria",
            &mark9("centang", &evidence.to_string()),
            Some(&asesor),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let seen9 = view(asesor.clone(), "9").await["criteria"][0]["mark"]
            .as_i64()
            .unwrap();
        let accept9 = mark9("terima", "").replace("seen=0", &format!("seen={seen9}"));
        let (status, _) = call(&app, "kriteria", &accept9, Some(&asesor)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", t.label);

        // Evidence a criterion rests on cannot be deleted.
        let (_, msg) = post_form(&app, &format!("/bukti/{evidence}/hapus"), "", Some(&opd)).await;
        assert!(msg.starts_with("galat="), "{msg}");
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn versions_and_deletion_follow_who_owns_the_evidence() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let (app, files) = router_with_files(&t.db);
        let opd = login(&app, "opd", DEMO_PASSWORD).await.unwrap();
        let inst = seed::instansi_id(&t.db, seed::DEMO_INSTANSI_CODE)
            .await
            .unwrap();
        sinergi::auth::ssr::create_user(
            &t.db,
            inst,
            "opd.disdik",
            "Staf Disdik",
            "rahasia-panjang",
            Role::Opd,
            &["DISDIK".into()],
        )
        .await
        .unwrap();
        let other = login(&app, "opd.disdik", "rahasia-panjang").await.unwrap();
        let other_pdf = b"%PDF-1.7\nlain\n%%EOF\n";
        // Two items; the second one's new version has the first one's content: kept as a version.
        let (_, msg) = post_multipart(
            &app,
            "/bukti/unggah",
            &[("judul", "A")],
            Some(("berkas", "a.pdf", PDF)),
            Some(&opd),
        )
        .await;
        assert!(msg.starts_with("ok="), "{msg}");
        let (_, msg) = post_multipart(
            &app,
            "/bukti/unggah",
            &[("judul", "B")],
            Some(("berkas", "b.pdf", other_pdf)),
            Some(&opd),
        )
        .await;
        assert!(msg.starts_with("ok="), "{msg}");
        let b = count(&t, "SELECT MAX(id) AS n FROM evidence").await;
        let (_, msg) = post_multipart(
            &app,
            "/bukti/unggah",
            &[("bukti", &b.to_string())],
            Some(("berkas", "b2.pdf", PDF)),
            Some(&opd),
        )
        .await;
        assert!(msg.contains("versi 2"), "{}: {msg}", t.label);
        // The same content as the newest version again: nothing new.
        let (_, msg) = post_multipart(
            &app,
            "/bukti/unggah",
            &[("bukti", &b.to_string())],
            Some(("berkas", "b3.pdf", PDF)),
            Some(&opd),
        )
        .await;
        assert!(msg.contains("tidak ada versi baru"), "{msg}");
        assert_eq!(
            count(&t, "SELECT COUNT(*) AS n FROM evidence_version").await,
            3
        );
        assert_eq!(stored_files(&files), 2, "content is stored once");
        // Another OPD's member may not delete it; its uploader may, and shared content stays.
        let (_, msg) = post_form(&app, &format!("/bukti/{b}/hapus"), "", Some(&other)).await;
        assert!(
            msg.starts_with("galat=") && msg.contains("pengunggahnya"),
            "{msg}"
        );
        let (_, msg) = post_form(&app, &format!("/bukti/{b}/hapus"), "", Some(&opd)).await;
        assert!(msg.starts_with("ok="), "{msg}");
        assert_eq!(
            stored_files(&files),
            1,
            "{}: item A still holds its file",
            t.label
        );
        t
    })
    .await;
}
