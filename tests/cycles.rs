//! Cycles through the real router, on SQLite and PostgreSQL: creation with carry-forward (same
//! framework and through the SPBE → Pemdi crosswalk), milestones, submit-and-freeze with its diff,
//! importing the official result (CSV and XLSX, preview, all or nothing), calibration.

mod common;

use common::{call, login, on_both, post_multipart, router_with_files};
use http::StatusCode;
use serde_json::Value;
use sinergi::server::seed::{self, DEMO_PASSWORD, SPBE_2025_MANDIRI};
use sqlx::Row;
use std::io::Write;

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

async fn spbe_cycle(t: &common::TestDb) -> i64 {
    let inst = seed::instansi_id(&t.db, seed::DEMO_INSTANSI_CODE)
        .await
        .unwrap();
    seed::cycle_id(&t.db, inst, "SPBE 2025").await.unwrap()
}

async fn cycle_id_of(t: &common::TestDb, name: &str) -> i64 {
    let inst = seed::instansi_id(&t.db, seed::DEMO_INSTANSI_CODE)
        .await
        .unwrap();
    seed::cycle_id(&t.db, inst, name).await.unwrap()
}

async fn entries(t: &common::TestDb) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM level_entry")
        .fetch_one(&t.db.pool)
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

/// The level text of a stage of an indicator, as the indicator page shows it.
async fn stage_level(
    app: &axum::Router,
    cookie: &str,
    cycle: i64,
    code: &str,
    stage: usize,
) -> Value {
    let (status, body) = call(
        app,
        "indikator",
        &format!("cycle={cycle}&code={code}"),
        Some(cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    json(&body)["stages"][stage]["level"].clone()
}

/// A minimal XLSX workbook with one sheet of inline-string and number cells.
fn xlsx(rows: &[(&str, &str, &str)]) -> Vec<u8> {
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (i, (code, level, note)) in rows.iter().enumerate() {
        let r = i + 1;
        let level_cell = if level.parse::<f64>().is_ok() {
            format!(r#"<c r="B{r}"><v>{level}</v></c>"#)
        } else {
            format!(r#"<c r="B{r}" t="inlineStr"><is><t>{level}</t></is></c>"#)
        };
        sheet.push_str(&format!(
            r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{code}</t></is></c>{level_cell}<c r="C{r}" t="inlineStr"><is><t>{note}</t></is></c></row>"#
        ));
    }
    sheet.push_str("</sheetData></worksheet>");
    let files: [(&str, String); 5] = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Hasil" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, body) in files {
            zip.start_file(name, options).unwrap();
            zip.write_all(body.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
    }
    out.into_inner()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_cycle_carries_levels_evidence_and_responsibility_forward() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let (app, _) = router_with_files(&t.db);
        let from = spbe_cycle(&t).await;
        let koordinator = login(&app, "koordinator", DEMO_PASSWORD).await.unwrap();
        let opd = login(&app, "opd", DEMO_PASSWORD).await.unwrap();

        let (status, _) = call(
            &app,
            "siklus-baru",
            &format!("name=SPBE+2026&year=2026&pack=spbe-2020&from={from}"),
            Some(&opd),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        for (args, needle) in [
            (
                "name=SPBE+2025&year=2026&pack=spbe-2020&from=0".to_string(),
                "sudah dipakai",
            ),
            (
                "name=Baru&year=dua&pack=spbe-2020&from=0".to_string(),
                "Tahun",
            ),
            (
                "name=Baru&year=2026&pack=tidak-ada&from=0".to_string(),
                "tidak-ada",
            ),
            (
                "name=+&year=2026&pack=spbe-2020&from=0".to_string(),
                "Nama siklus",
            ),
        ] {
            let (status, body) = call(&app, "siklus-baru", &args, Some(&koordinator)).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
            assert!(body.contains(needle), "{body}");
        }

        // Same framework: every indicator gets a Target proposal from the best level known.
        let (status, body) = call(
            &app,
            "siklus-baru",
            &format!("name=SPBE+2026&year=2026&pack=spbe-2020&from={from}"),
            Some(&koordinator),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", t.label);
        let created = json(&body);
        assert_eq!(created["carried"], 47);
        assert_eq!(created["unmapped"].as_array().unwrap().len(), 0);
        let new_id = created["id"].as_i64().unwrap();
        // Indicator 3 was lowered by verification (4 → 3): the verified level is carried.
        assert_eq!(stage_level(&app, &opd, new_id, "3", 0).await, "3");
        // Indicator 45 had no verification: its Mandiri level is carried.
        assert_eq!(
            stage_level(&app, &opd, new_id, "45", 0).await,
            SPBE_2025_MANDIRI[44].to_string()
        );
        let (_, body) = call(
            &app,
            "indikator",
            &format!("cycle={new_id}&code=45"),
            Some(&opd),
        )
        .await;
        let view = json(&body);
        assert_eq!(view["lead"]["code"], "DINKES");
        // What changed since the previous cycle: its most authoritative level is shown.
        assert_eq!(
            view["previous"],
            serde_json::json!(["SPBE 2025", "mandiri", "4"])
        );
        assert_eq!(view["can_claim"], true);

        // SPBE → Pemdi through the crosswalk: exact means, unmapped indicators named.
        let (status, body) = call(
            &app,
            "siklus-baru",
            &format!("name=Pemdi+2027&year=2027&pack=pemdi-2026&from={from}"),
            Some(&koordinator),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", t.label);
        let created = json(&body);
        assert_eq!(created["carried"], 15);
        assert_eq!(
            created["unmapped"],
            serde_json::json!(["I6", "I7", "I8", "I11", "I20"])
        );
        let pemdi = created["id"].as_i64().unwrap();
        // I1 ← 1, 2, 11, 12, 13 (verified 5, 5, 4, 5, 4): 23/5 = 4,6 exactly.
        assert_eq!(stage_level(&app, &opd, pemdi, "I1", 0).await, "4,6");
        assert_eq!(stage_level(&app, &opd, pemdi, "I20", 0).await, Value::Null);
        let (_, body) = call(&app, "siklus", "", Some(&opd)).await;
        assert_eq!(json(&body).as_array().unwrap().len(), 4, "{}", t.label);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn milestones_are_kept_and_a_frozen_stage_is_diffed_against_the_live_ledger() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let (app, _) = router_with_files(&t.db);
        let cycle = spbe_cycle(&t).await;
        let koordinator = login(&app, "koordinator", DEMO_PASSWORD).await.unwrap();
        let opd = login(&app, "opd", DEMO_PASSWORD).await.unwrap();

        let dates = |m: &str| format!("cycle={cycle}&name=SPBE+2025&current=ya&mandiri={m}&dokumen=2026-05-10&wawancara=&visitasi=2026-07-01&hasil=");
        let (status, body) = call(&app, "siklus-ubah", &dates("2026-04-30"), Some(&opd)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, body) = call(&app, "siklus-ubah", &dates("30-04-2026"), Some(&koordinator)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("Batas penilaian mandiri"), "{body}");
        let (status, _) = call(&app, "siklus-ubah", &dates("2026-04-30"), Some(&koordinator)).await;
        assert_eq!(status, StatusCode::OK);
        // Renaming onto another cycle's name is refused; making Pemdi 2026 the running cycle
        // moves the dashboard to it.
        let pemdi: i64 = cycle_id_of(&t, "Pemdi 2026").await;
        let (status, body) = call(&app, "siklus-ubah", &format!("cycle={pemdi}&name=SPBE+2025&current=ya&mandiri=&dokumen=&wawancara=&visitasi=&hasil="), Some(&koordinator)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("sudah dipakai"), "{body}");
        let (status, _) = call(&app, "siklus-ubah", &format!("cycle={pemdi}&name=Pemdi+2026+(uji)&current=ya&mandiri=&dokumen=&wawancara=&visitasi=&hasil="), Some(&koordinator)).await;
        assert_eq!(status, StatusCode::OK);
        let (_, body) = call(&app, "dasbor", "", Some(&opd)).await;
        assert_eq!(json(&body)["cycle_name"], "Pemdi 2026 (uji)", "{}", t.label);
        let (_, body) = call(&app, "siklus-meta", &format!("id={cycle}"), Some(&opd)).await;
        assert_eq!(json(&body)["is_current"], false);
        let (_, body) = call(&app, "siklus-meta", &format!("id={cycle}"), Some(&opd)).await;
        let meta = json(&body);
        assert_eq!(meta["milestones"][0]["due_on"], "2026-04-30");
        assert_eq!(meta["milestones"][2]["due_on"], Value::Null);
        assert_eq!(meta["can_manage"], false);

        // Freeze Mandiri, then the DINKES member changes indicator 45.
        let (status, _) = call(&app, "kirim-tahap", &format!("cycle={cycle}&stage=mandiri&note=Dikirim"), Some(&opd)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = call(&app, "kirim-tahap", &format!("cycle={cycle}&stage=eksternal&note="), Some(&koordinator)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "nothing to freeze: {body}");
        let (status, body) = call(&app, "kirim-tahap", &format!("cycle={cycle}&stage=mandiri&note=Dikirim+ke+KemenPANRB"), Some(&koordinator)).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", t.label);
        let snapshot: i64 = body.trim().parse().unwrap();
        let before = entries(&t).await;
        let (status, _) = call(&app, "klaim-level", &format!("cycle={cycle}&code=45&level=5&justification=Naik&evidence="), Some(&opd)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(entries(&t).await, before + 1);

        let (status, body) = call(&app, "beku", &format!("cycle={cycle}&id={snapshot}"), Some(&opd)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let view = json(&body);
        assert_eq!(view["changed"], 1, "{}", t.label);
        let row = view["rows"].as_array().unwrap().iter().find(|r| r["code"] == "45").unwrap();
        assert_eq!(row["frozen"], SPBE_2025_MANDIRI[44].to_string());
        assert_eq!(row["live"], "5");
        assert_eq!(view["frozen_index"]["text"], "4,38");
        assert_eq!(view["live_index"]["text"], "4,41");
        // Another cycle's id does not open it.
        let (status, _) = call(&app, "beku", &format!("cycle={}&id={snapshot}", cycle + 1), Some(&opd)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_official_result_is_previewed_with_its_problems_and_applied_all_or_nothing() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let (app, _) = router_with_files(&t.db);
        let cycle = spbe_cycle(&t).await;
        let koordinator = login(&app, "koordinator", DEMO_PASSWORD).await.unwrap();
        let path = format!("/siklus/{cycle}/impor");

        // A CSV with problems: previewed, named per row, cannot be applied.
        let bad = "kode;level;catatan\n1;4;\n99;3;\n2;enam;\n1;5;duplikat\n";
        let (status, loc) = post_multipart(
            &app,
            &path,
            &[("tahap", "akhir")],
            Some(("berkas", "hasil.csv", bad.as_bytes())),
            Some(&koordinator),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(loc.starts_with(&format!("/siklus/{cycle}/impor/")), "{loc}");
        let batch: i64 = loc.rsplit('/').next().unwrap().parse().unwrap();
        let (_, body) = call(
            &app,
            "impor",
            &format!("cycle={cycle}&id={batch}"),
            Some(&koordinator),
        )
        .await;
        let view = json(&body);
        assert_eq!(view["problems"], 3);
        assert_eq!(view["can_confirm"], false);
        assert!(view["rows"][1]["problem"]
            .as_str()
            .unwrap()
            .contains("'99'"));
        assert!(view["rows"][3]["problem"]
            .as_str()
            .unwrap()
            .contains("baris 2"));
        let before = entries(&t).await;
        let (status, body) = call(
            &app,
            "impor-putuskan",
            &format!("cycle={cycle}&id={batch}&decision=terapkan"),
            Some(&koordinator),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(entries(&t).await, before, "nothing written ({})", t.label);
        let (status, _) = call(
            &app,
            "impor-putuskan",
            &format!("cycle={cycle}&id={batch}&decision=batal"),
            Some(&koordinator),
        )
        .await;
        assert_eq!(status, StatusCode::OK);

        // Bad uploads go back to the cycle with the reason.
        let (_, loc) = post_multipart(
            &app,
            &path,
            &[("tahap", "mandiri")],
            Some(("berkas", "hasil.csv", b"1;4\n")),
            Some(&koordinator),
        )
        .await;
        assert!(loc.contains("galat=") && loc.contains("Eksternal"), "{loc}");
        let (_, loc) = post_multipart(
            &app,
            &path,
            &[("tahap", "akhir")],
            Some(("berkas", "hasil.pdf", b"%PDF-")),
            Some(&koordinator),
        )
        .await;
        assert!(loc.contains(".pdf"), "{loc}");
        let opd = login(&app, "opd", DEMO_PASSWORD).await.unwrap();
        let (_, loc) = post_multipart(
            &app,
            &path,
            &[("tahap", "akhir")],
            Some(("berkas", "hasil.csv", b"1;4\n")),
            Some(&opd),
        )
        .await;
        assert!(loc.contains("galat="), "{loc}");

        // A valid but partial preview that will go stale.
        let (_, loc) = post_multipart(
            &app,
            &path,
            &[("tahap", "akhir")],
            Some(("berkas", "lama.csv", b"1;3\n")),
            Some(&koordinator),
        )
        .await;
        let stale: i64 = loc
            .rsplit('/')
            .next()
            .unwrap()
            .parse()
            .unwrap_or_else(|_| panic!("{loc}"));
        // A complete XLSX result (every indicator at its Mandiri level, 32 one lower).
        let mut rows: Vec<(String, String, String)> =
            vec![("Kode".into(), "Level".into(), "Catatan".into())];
        for (i, l) in SPBE_2025_MANDIRI.iter().enumerate() {
            let level = if i == 31 { l - 1 } else { *l };
            rows.push(((i + 1).to_string(), level.to_string(), String::new()));
        }
        let rows_ref: Vec<(&str, &str, &str)> = rows
            .iter()
            .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
            .collect();
        let (status, loc) = post_multipart(
            &app,
            &path,
            &[("tahap", "akhir")],
            Some(("berkas", "hasil-2025.xlsx", &xlsx(&rows_ref))),
            Some(&koordinator),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let batch: i64 = loc
            .rsplit('/')
            .next()
            .unwrap()
            .parse()
            .unwrap_or_else(|_| panic!("{}: {loc}", t.label));
        let (_, body) = call(
            &app,
            "impor",
            &format!("cycle={cycle}&id={batch}"),
            Some(&koordinator),
        )
        .await;
        let view = json(&body);
        assert_eq!(view["problems"], 0, "{body}");
        assert_eq!(view["rows"].as_array().unwrap().len(), 47);
        // 4,3805 − 0,0275 = 4,353 → 4,35.
        assert_eq!(view["index_after"]["text"], "4,35");
        assert_eq!(view["can_confirm"], true);
        let before = entries(&t).await;
        let (status, body) = call(
            &app,
            "impor-putuskan",
            &format!("cycle={cycle}&id={batch}&decision=terapkan"),
            Some(&koordinator),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", t.label);
        assert_eq!(entries(&t).await, before + 47);
        let (status, _) = call(
            &app,
            "impor-putuskan",
            &format!("cycle={cycle}&id={batch}&decision=terapkan"),
            Some(&koordinator),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "applied once only");
        // The older preview can no longer be applied over the newer result.
        let (status, body) = call(
            &app,
            "impor-putuskan",
            &format!("cycle={cycle}&id={stale}&decision=terapkan"),
            Some(&koordinator),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(entries(&t).await, before + 47);
        // The dashboard's headline is now the official result.
        let (_, body) = call(
            &app,
            "dasbor",
            &format!("cycle={cycle}"),
            Some(&koordinator),
        )
        .await;
        let d = json(&body);
        assert_eq!(d["headline_stage"], "akhir");
        assert_eq!(d["headline"]["text"], "4,35");

        // Calibration: indicators 3 and 24 were over-claimed against verification; against the
        // official result only 32 differs (Mandiri 5, Akhir 4).
        let (_, body) = call(&app, "kalibrasi", &format!("cycle={cycle}"), Some(&opd)).await;
        let cal = json(&body);
        let c = &cal["cycles"][0];
        assert_eq!(c["over"], 1, "{}", t.label);
        assert_eq!(c["equal"], 46);
        assert_eq!(c["rows"][31]["gap"], "+1");
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calibration_against_verification_counts_over_claims() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let (app, _) = router_with_files(&t.db);
        let cycle = spbe_cycle(&t).await;
        let viewer = login(&app, "viewer", DEMO_PASSWORD).await.unwrap();
        let (status, body) =
            call(&app, "kalibrasi", &format!("cycle={cycle}"), Some(&viewer)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let c = &json(&body)["cycles"][0];
        // 30 verified, two of them lowered by one level (SPBE_2025_LOWERED).
        assert_eq!(c["over"], 2);
        assert_eq!(c["equal"], 28);
        assert_eq!(c["under"], 0);
        assert_eq!(c["rows"][2]["gap"], "+1");
        assert_eq!(c["rows"][40]["gap"], Value::Null);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_crosswalk_is_the_instansi_own_and_the_koordinator_edits_it() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let (app, _) = router_with_files(&t.db);
        let from = spbe_cycle(&t).await;
        let koordinator = login(&app, "koordinator", DEMO_PASSWORD).await.unwrap();
        let opd = login(&app, "opd", DEMO_PASSWORD).await.unwrap();
        let (_, body) = call(&app, "padanan", "", Some(&opd)).await;
        let view = json(&body);
        assert_eq!(view["rows"][0]["code"], "I1");
        assert_eq!(view["rows"][0]["sources"].as_array().unwrap().len(), 5);
        assert_eq!(
            view["rows"][19]["sources"].as_array().unwrap().len(),
            0,
            "I20 unmapped"
        );
        let (status, _) = call(
            &app,
            "padanan-ubah",
            "to=I20&from=42&action=tambah",
            Some(&opd),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        for (args, needle) in [
            ("to=I99&from=42&action=tambah", "I99"),
            ("to=I20&from=48&action=tambah", "'48'"),
        ] {
            let (status, body) = call(&app, "padanan-ubah", args, Some(&koordinator)).await;
            assert_eq!(status, StatusCode::BAD_REQUEST);
            assert!(body.contains(needle), "{body}");
        }
        let (status, _) = call(
            &app,
            "padanan-ubah",
            "to=I20&from=42&action=tambah",
            Some(&koordinator),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}", t.label);
        let (status, _) = call(
            &app,
            "padanan-ubah",
            "to=I1&from=13&action=hapus",
            Some(&koordinator),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        // Carrying forward now follows the edited crosswalk.
        let (_, body) = call(
            &app,
            "siklus-baru",
            &format!("name=Pemdi+2027&year=2027&pack=pemdi-2026&from={from}"),
            Some(&koordinator),
        )
        .await;
        let created = json(&body);
        assert_eq!(
            created["unmapped"],
            serde_json::json!(["I6", "I7", "I8", "I11"]),
            "{}",
            t.label
        );
        let pemdi = created["id"].as_i64().unwrap();
        // I1 ← 1, 2, 11, 12 (5, 5, 4, 5): 19/4 = 4,75. I20 ← 42 (5).
        assert_eq!(stage_level(&app, &opd, pemdi, "I1", 0).await, "4,75");
        assert_eq!(stage_level(&app, &opd, pemdi, "I20", 0).await, "5");
        t
    })
    .await;
}
