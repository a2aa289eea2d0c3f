//! The war room, kiosk links, the joint commitment and the exports, through the real router on
//! SQLite and PostgreSQL.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::{body_text, call, get, login, on_both, router};
use http::{header, StatusCode};
use serde_json::Value;
use sinergi::server::seed::{self, DEMO_PASSWORD, SPBE_2025_MANDIRI};
use sqlx::Row;

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

async fn cycles(t: &common::TestDb) -> (i64, i64) {
    let inst = seed::instansi_id(&t.db, seed::DEMO_INSTANSI_CODE)
        .await
        .unwrap();
    (
        seed::cycle_id(&t.db, inst, "SPBE 2025").await.unwrap(),
        seed::cycle_id(&t.db, inst, "Pemdi 2026").await.unwrap(),
    )
}

async fn opd_id(t: &common::TestDb, code: &str) -> i64 {
    common::opd_id(&t.db, code).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_war_room_reads_the_same_numbers_as_the_database() {
    on_both(|t| async move {
        seed::seed_demo(&t.db).await.unwrap();
        let app = router(&t.db);
        let koord = login(&app, "koordinator", DEMO_PASSWORD).await.unwrap();
        let (status, body) = call(&app, "pimpinan", "", Some(&koord)).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", t.label);
        let d = json(&body);
        let (_, dash) = call(&app, "dasbor", "", Some(&koord)).await;
        let dash = json(&dash);
        assert_eq!(d["headline"], dash["headline"], "{}", t.label);
        // Every indicator is in exactly one status; 30 are verified by the seed.
        let counts = d["status_counts"].as_array().unwrap();
        let total: u64 = counts.iter().map(|c| c[1].as_u64().unwrap()).sum();
        assert_eq!(total, 47, "{}", t.label);
        let verified = counts.iter().find(|c| c[0] == "Diverifikasi").unwrap()[1]
            .as_u64()
            .unwrap();
        assert_eq!(verified, 30, "{}", t.label);
        // The map has a cell for each lead and contributor of each indicator.
        let n: i64 = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM cycle_indicator WHERE cycle_id = $1 AND lead_opd_id IS NOT NULL) \
             + (SELECT COUNT(*) FROM indicator_contributor WHERE cycle_id = $1) AS n",
        )
        .bind(d["cycle_id"].as_i64().unwrap())
        .fetch_one(&t.db.pool)
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
        assert_eq!(d["heat"]["cells"].as_array().unwrap().len() as i64, n, "{}", t.label);
        // The seeded schedule: the document review is 14 days away.
        assert_eq!(d["milestone"]["days_left"], 14, "{}", t.label);
        assert_eq!(d["milestone"]["label"], "Penilaian dokumen");
        assert_eq!(d["commitment"]["signed"], 1);
        let opds: i64 = sqlx::query("SELECT COUNT(*) AS n FROM opd")
            .fetch_one(&t.db.pool)
            .await
            .unwrap()
            .try_get("n")
            .unwrap();
        assert_eq!(d["commitment"]["total"].as_i64(), Some(opds));
        assert_eq!(d["steps"].as_array().unwrap().len(), 5, "{}", t.label);
        assert!(d["kiosk_links"].is_array(), "the koordinator manages kiosk links");
        // The mayor reads the same, without the kiosk links.
        let mayor = login(&app, "pimpinan", DEMO_PASSWORD).await.unwrap();
        let (status, body) = call(&app, "pimpinan", "", Some(&mayor)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(json(&body)["kiosk_links"].is_null());
        // Anonymous: refused; the page itself redirects to sign-in.
        let (status, _) = call(&app, "pimpinan", "", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let res = get(&app, "/pimpinan", None).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        // The page is server-rendered with its numbers.
        let html = body_text(get(&app, "/pimpinan", Some(&koord)).await).await;
        let headline = d["headline"]["text"].as_str().unwrap();
        assert!(html.contains(headline), "{}: the index is in the HTML", t.label);
        assert!(html.contains("Peta OPD × indikator"));
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_link_shows_the_war_room_without_sign_in_until_it_is_revoked() {
    on_both(|t| async move {
        seed::seed_demo(&t.db).await.unwrap();
        let app = router(&t.db);
        let koord = login(&app, "koordinator", DEMO_PASSWORD).await.unwrap();
        let opd = login(&app, "opd", DEMO_PASSWORD).await.unwrap();
        let (status, _) = call(&app, "kios-baru", "label=Ruang+rapat", Some(&opd)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", t.label);
        let (status, body) = call(&app, "kios-baru", "label=+", Some(&koord)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{}: {body}", t.label);
        let (status, body) = call(
            &app,
            "kios-baru",
            "label=Ruang+rapat+wali+kota",
            Some(&koord),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", t.label);
        let token: String = serde_json::from_str(&body).unwrap();
        assert!(token.len() >= 32);
        // Only a hash is stored.
        let stored: String = sqlx::query("SELECT token_hash FROM kiosk_link")
            .fetch_one(&t.db.pool)
            .await
            .unwrap()
            .try_get("token_hash")
            .unwrap();
        assert_ne!(stored, token);

        let (status, body) = call(&app, "kios", &format!("token={token}"), None).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", t.label);
        let d = json(&body);
        assert_eq!(d["instansi"], "Pemerintah Kota Mojokerto");
        assert_eq!(d["drill"], false);
        assert!(d["kiosk_links"].is_null());
        let res = get(&app, &format!("/kios/{token}"), None).await;
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "the kiosk page needs no session"
        );
        let html = body_text(res).await;
        assert!(html.contains(d["headline"]["text"].as_str().unwrap()));
        let res = get(&app, &format!("/api/peristiwa?kios={token}"), None).await;
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "the kiosk follows the live feed"
        );
        assert_eq!(
            res.headers().get(header::CONTENT_TYPE).unwrap(),
            "text/event-stream"
        );
        drop(res);
        let (status, _) = call(&app, "kios", "token=bukan-token", None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        let (_, body) = call(&app, "pimpinan", "", Some(&koord)).await;
        let id = json(&body)["kiosk_links"][0]["id"].as_i64().unwrap();
        let (status, _) = call(&app, "kios-cabut", &format!("id={id}"), Some(&opd)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = call(&app, "kios-cabut", &format!("id={id}"), Some(&koord)).await;
        assert_eq!(status, StatusCode::OK, "{}", t.label);
        let (status, _) = call(&app, "kios", &format!("token={token}"), None).await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "{}: a revoked link stops",
            t.label
        );
        let res = get(&app, &format!("/api/peristiwa?kios={token}"), None).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        let (status, _) = call(&app, "kios-cabut", &format!("id={id}"), Some(&koord)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "revoking twice says so");
        let kinds: Vec<String> =
            sqlx::query("SELECT kind FROM event WHERE kind LIKE 'kios.%' ORDER BY id")
                .fetch_all(&t.db.pool)
                .await
                .unwrap()
                .iter()
                .map(|r| r.try_get("kind").unwrap())
                .collect();
        assert_eq!(kinds, ["kios.dibuat", "kios.dicabut"]);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_opd_head_signs_the_commitment_once_and_the_count_rises() {
    on_both(|t| async move {
        seed::seed_demo(&t.db).await.unwrap();
        let app = router(&t.db);
        let (spbe, pemdi) = cycles(&t).await;
        let dinkes = opd_id(&t, "DINKES").await;
        let kominfo = opd_id(&t, "DISKOMINFO").await;
        let koord = login(&app, "koordinator", DEMO_PASSWORD).await.unwrap();
        let head = login(&app, "kadinkes", DEMO_PASSWORD).await.unwrap();
        let staff = login(&app, "opd", DEMO_PASSWORD).await.unwrap();

        let (_, body) = call(&app, "komitmen", &format!("cycle={spbe}"), Some(&head)).await;
        let v = json(&body);
        assert_eq!(v["signed"], 1, "{}", t.label);
        let row = v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["opd"]["code"] == "DINKES")
            .unwrap()
            .clone();
        assert_eq!(row["can_sign"], true);
        // A staff member of the OPD is not its head; a head signs only for their own OPD.
        let (status, _) = call(
            &app,
            "komitmen-tanda-tangan",
            &format!("cycle={spbe}&opd={dinkes}"),
            Some(&staff),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = call(
            &app,
            "komitmen-tanda-tangan",
            &format!("cycle={spbe}&opd={kominfo}"),
            Some(&head),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = call(
            &app,
            "komitmen-tanda-tangan",
            &format!("cycle={spbe}&opd={dinkes}"),
            Some(&head),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", t.label);
        let (status, body) = call(
            &app,
            "komitmen-tanda-tangan",
            &format!("cycle={spbe}&opd={dinkes}"),
            Some(&head),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{}", t.label);
        assert!(body.contains("Kepala Dinas Kesehatan"), "{body}");
        let (_, body) = call(&app, "pimpinan", "", Some(&koord)).await;
        assert_eq!(
            json(&body)["commitment"]["signed"],
            2,
            "{}: leadership sees the count",
            t.label
        );
        let (_, body) = call(&app, "komitmen", &format!("cycle={spbe}"), Some(&koord)).await;
        let v = json(&body);
        let row = v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["opd"]["code"] == "DINKES")
            .unwrap()
            .clone();
        assert_eq!(row["signed_by"], "Kepala Dinas Kesehatan");
        assert_eq!(v["can_publish"], false, "signed text is fixed");
        let (status, _) = call(
            &app,
            "komitmen-terbit",
            &format!("cycle={spbe}&title=Baru&body=Isi"),
            Some(&koord),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);

        // A cycle without a commitment: nothing to sign until the koordinator publishes.
        let (status, _) = call(
            &app,
            "komitmen-tanda-tangan",
            &format!("cycle={pemdi}&opd={dinkes}"),
            Some(&head),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = call(
            &app,
            "komitmen-terbit",
            &format!("cycle={pemdi}&title=Komitmen&body=Isi"),
            Some(&staff),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = call(
            &app,
            "komitmen-terbit",
            &format!("cycle={pemdi}&title=+&body=Isi"),
            Some(&koord),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, _) = call(
            &app,
            "komitmen-terbit",
            &format!("cycle={pemdi}&title=Komitmen+2026&body=Kami+berkomitmen"),
            Some(&koord),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}", t.label);
        let (status, _) = call(
            &app,
            "komitmen-terbit",
            &format!("cycle={pemdi}&title=Komitmen+Pemdi+2026&body=Kami+berkomitmen"),
            Some(&koord),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "rewritten while unsigned");
        let (_, body) = call(&app, "komitmen", &format!("cycle={pemdi}"), Some(&head)).await;
        assert_eq!(json(&body)["title"], "Komitmen Pemdi 2026");
        // The admin makes the staff member a head; now they may sign.
        let admin = login(&app, "admin", DEMO_PASSWORD).await.unwrap();
        let (status, _) = call(
            &app,
            "kepala-opd",
            "username=opd&opd=DINKES&head=true",
            Some(&staff),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = call(
            &app,
            "kepala-opd",
            "username=opd&opd=BAPPEDA&head=true",
            Some(&admin),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "not a member of that OPD");
        let (status, _) = call(
            &app,
            "kepala-opd",
            "username=opd&opd=DINKES&head=true",
            Some(&admin),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        // Both heads of DINKES sign at once: exactly one signature lands, the other is told.
        let args = format!("cycle={pemdi}&opd={dinkes}");
        let (a, b) = tokio::join!(
            call(&app, "komitmen-tanda-tangan", &args, Some(&staff)),
            call(&app, "komitmen-tanda-tangan", &args, Some(&head)),
        );
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::CONFLICT],
            "{}: one signature per OPD ({} / {})",
            t.label,
            a.1,
            b.1
        );
        let n: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM commitment_signature s JOIN commitment c \
             ON c.id = s.commitment_id WHERE c.cycle_id = $1",
        )
        .bind(pemdi)
        .fetch_one(&t.db.pool)
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
        assert_eq!(n, 1, "{}", t.label);
        // The printable page lists the signatories.
        let html = body_text(get(&app, &format!("/komitmen/{spbe}"), Some(&koord)).await).await;
        assert!(
            html.contains("Kepala Dinas Kesehatan") && html.contains("2 "),
            "{}",
            t.label
        );
        t
    })
    .await;
}

fn cell_f64(d: &Data) -> Option<f64> {
    match d {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_xlsx_export_reads_back_and_matches_the_database() {
    on_both(|t| async move {
        seed::seed_demo(&t.db).await.unwrap();
        let app = router(&t.db);
        let (spbe, _) = cycles(&t).await;
        let koord = login(&app, "koordinator", DEMO_PASSWORD).await.unwrap();
        let res = get(&app, &format!("/ekspor/{spbe}/xlsx"), Some(&koord)).await;
        assert_eq!(res.status(), StatusCode::OK, "{}", t.label);
        assert_eq!(
            res.headers().get(header::CONTENT_TYPE).unwrap(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert!(res
            .headers()
            .get(header::CONTENT_DISPOSITION)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("sinergi-spbe-2025.xlsx"));
        let bytes = axum::body::to_bytes(res.into_body(), 16 << 20)
            .await
            .unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        assert_eq!(
            book.sheet_names(),
            ["Ringkasan", "Indikator", "Data dukung"]
        );

        let rows = book.worksheet_range("Indikator").unwrap();
        assert_eq!(rows.height(), 48, "{}: a header and 47 indicators", t.label);
        let header: Vec<String> = rows
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(header[0], "Kode");
        assert_eq!(header[8], "Penilaian Mandiri");
        let mut weight = 0.0;
        for (i, r) in rows.rows().skip(1).enumerate() {
            assert_eq!(r[0].to_string(), (i + 1).to_string());
            assert_eq!(
                cell_f64(&r[8]),
                Some(SPBE_2025_MANDIRI[i] as f64),
                "{}: row {i}",
                t.label
            );
            weight += cell_f64(&r[4]).unwrap();
            assert!(
                !r[5].to_string().is_empty(),
                "every indicator has a lead OPD"
            );
        }
        assert!(
            (weight - 100.0).abs() < 1e-9,
            "weights sum to 100 %: {weight}"
        );
        // The level in the file is the level in the ledger, for a changed indicator too.
        let level: i64 = sqlx::query(
            "SELECT level_num FROM level_entry WHERE cycle_id = $1 AND indicator_code = '3' \
             AND stage = 'verifikasi' ORDER BY id DESC LIMIT 1",
        )
        .bind(spbe)
        .fetch_one(&t.db.pool)
        .await
        .unwrap()
        .try_get("level_num")
        .unwrap();
        let row3: Vec<Data> = rows.rows().nth(3).unwrap().to_vec();
        assert_eq!(cell_f64(&row3[9]), Some(level as f64));

        let summary = book.worksheet_range("Ringkasan").unwrap();
        let (_, dash) = call(&app, "dasbor", "", Some(&koord)).await;
        let dash = json(&dash);
        let mandiri = dash["stages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["stage"] == "mandiri")
            .unwrap()
            .clone();
        let srow: Vec<Data> = summary
            .rows()
            .find(|r| r[0] == "Penilaian Mandiri")
            .unwrap()
            .to_vec();
        assert_eq!(
            cell_f64(&srow[3]),
            mandiri["index"]["value"].as_f64(),
            "{}",
            t.label
        );
        assert_eq!(srow[4].to_string(), mandiri["predicate"].as_str().unwrap());
        assert_eq!(cell_f64(&srow[1]), Some(47.0));

        // CSV: the same table.
        let res = get(&app, &format!("/ekspor/{spbe}/csv"), Some(&koord)).await;
        assert_eq!(res.status(), StatusCode::OK);
        let text = body_text(res).await;
        let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
        assert_eq!(lines.len(), 48, "{}", t.label);
        assert!(lines[0].starts_with('\u{feff}'));
        assert!(lines[1].starts_with("1,"));

        // Only for a signed-in member of the instansi, only its own cycles.
        let res = get(&app, &format!("/ekspor/{spbe}/xlsx"), None).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let res = get(&app, "/ekspor/999999/xlsx", Some(&koord)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let res = get(&app, "/ekspor/abc/csv", Some(&koord)).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        let res = get(&app, &format!("/ekspor/{spbe}/pdf"), Some(&koord)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert!(body_text(res).await.contains("xlsx atau csv"));
        // The print page renders the same index.
        let html = body_text(get(&app, &format!("/laporan/{spbe}"), Some(&koord)).await).await;
        assert!(html.contains(dash["headline"]["text"].as_str().unwrap()));
        assert!(html.contains("Sekretaris Daerah"));
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_follows_the_user_and_the_page() {
    on_both(|t| async move {
        seed::seed_demo(&t.db).await.unwrap();
        let app = router(&t.db);
        let koord = login(&app, "koordinator", DEMO_PASSWORD).await.unwrap();
        let html = body_text(get(&app, "/pimpinan", Some(&koord)).await).await;
        assert!(html.contains("<html lang=\"id\""), "Indonesian by default");
        assert!(html.contains("Ruang pimpinan"));
        let (status, loc) = common::post_form(
            &app,
            "/bahasa",
            "bahasa=en&lanjut=%2Fpimpinan",
            Some(&koord),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(loc, "/pimpinan");
        let lang: String = sqlx::query("SELECT lang FROM users WHERE username = 'koordinator'")
            .fetch_one(&t.db.pool)
            .await
            .unwrap()
            .try_get("lang")
            .unwrap();
        assert_eq!(lang, "en", "{}", t.label);
        // The next sign-in sets the language cookie from the saved choice.
        let res = app.clone().oneshot_login("koordinator").await;
        let cookies: Vec<String> = res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect();
        assert!(
            cookies.iter().any(|c| c.starts_with("sinergi_bahasa=en")),
            "{cookies:?}"
        );
        let cookie = format!("{koord}; sinergi_bahasa=en");
        let html = body_text(get(&app, "/pimpinan", Some(&cookie)).await).await;
        assert!(html.contains("<html lang=\"en\""));
        assert!(html.contains("Leadership war room"), "{}", t.label);
        // Numbers read the English way: a decimal point.
        let (_, body) = call(&app, "pimpinan", "", Some(&koord)).await;
        let text = json(&body)["headline"]["text"]
            .as_str()
            .unwrap()
            .replace(',', ".");
        assert!(html.contains(&text), "{text}");
        t
    })
    .await;
}

trait LoginExt {
    async fn oneshot_login(self, user: &str) -> http::Response<axum::body::Body>;
}

impl LoginExt for axum::Router {
    async fn oneshot_login(self, user: &str) -> http::Response<axum::body::Body> {
        use tower::ServiceExt;
        self.oneshot(
            http::Request::post("/masuk")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(axum::body::Body::from(format!(
                    "username={user}&password={DEMO_PASSWORD}&lanjut=%2Fdasbor"
                )))
                .unwrap(),
        )
        .await
        .unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_aspects_compare_with_the_previous_cycles_final_result_once_it_is_complete() {
    use sinergi::assessment::ssr::{record_level, LevelClaim};
    use sinergi::assessment::Stage;
    on_both(|t| async move {
        seed::seed_demo(&t.db).await.unwrap();
        let inst = seed::instansi_id(&t.db, seed::DEMO_INSTANSI_CODE)
            .await
            .unwrap();
        let (spbe, _) = cycles(&t).await;
        let pack: i64 = sqlx::query("SELECT pack_id FROM cycle WHERE id = $1")
            .bind(spbe)
            .fetch_one(&t.db.pool)
            .await
            .unwrap()
            .try_get("pack_id")
            .unwrap();
        let prev: i64 = sqlx::query(
            "INSERT INTO cycle (instansi_id, pack_id, name, year, is_current, created_at) \
             VALUES ($1, $2, 'SPBE 2024', 2024, 0, 0) RETURNING id",
        )
        .bind(inst)
        .bind(pack)
        .fetch_one(&t.db.pool)
        .await
        .unwrap()
        .try_get("id")
        .unwrap();
        let app = router(&t.db);
        let koord = login(&app, "koordinator", DEMO_PASSWORD).await.unwrap();
        let war = || async {
            let (status, body) =
                call(&app, "pimpinan", &format!("cycle={spbe}"), Some(&koord)).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            json(&body)
        };
        for i in 1..=47 {
            let code = i.to_string();
            record_level(
                &t.db,
                inst,
                LevelClaim {
                    cycle_id: prev,
                    indicator: &code,
                    stage: Stage::Akhir,
                    level: "4",
                    justification: "Hasil resmi 2024",
                    actor_id: None,
                },
            )
            .await
            .unwrap();
            if i == 46 {
                // One indicator short: no comparison yet.
                let d = war().await;
                assert!(d["last_year"].is_null(), "{}", t.label);
                assert!(d["aspects"][0]["last_akhir"].is_null());
            }
        }
        let d = war().await;
        assert_eq!(d["last_year"], "SPBE 2024", "{}", t.label);
        for a in d["aspects"].as_array().unwrap() {
            assert_eq!(a["last_akhir"]["text"], "4,00", "{}: {a}", t.label);
            assert!(a["mandiri"]["text"].is_string());
        }
        t
    })
    .await;
}
