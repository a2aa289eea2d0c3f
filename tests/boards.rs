//! Collaboration boards through the real router, on SQLite and on PostgreSQL: who may do what,
//! moves that agree for everyone, conflicts that lose nothing, mentions and reminders, the
//! live feed that lets a client resume, and a finished card that suggests (never makes) a claim.

mod common;

use common::{call, get, login, on_both, router};
use http::StatusCode;
use serde_json::Value;
use sinergi::server::seed::{self, DEMO_PASSWORD};
use sqlx::Row;

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

async fn one(t: &common::TestDb, sql: &'static str, bind: i64) -> i64 {
    sqlx::query(sql)
        .bind(bind)
        .fetch_one(&t.db.pool)
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

async fn opd_id(t: &common::TestDb, code: &str) -> i64 {
    common::opd_id(&t.db, code).await
}

/// The default board of the running cycle (SPBE 2025) and its columns in order.
async fn spbe_board(app: &axum::Router, cookie: &str) -> (i64, Vec<i64>) {
    common::spbe_board(app, cookie).await
}

async fn board_json(app: &axum::Router, cookie: &str, board: i64, filter: &str) -> Value {
    let args = format!("id={board}&opd=&indikator=&petugas=&label=&tenggat={filter}");
    let (status, body) = call(app, "papan", &args, Some(cookie)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    json(&body)
}

fn column_cards(v: &Value, column: i64) -> Vec<i64> {
    v["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == column)
        .unwrap()["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

async fn new_card(
    app: &axum::Router,
    cookie: &str,
    board: i64,
    column: i64,
    title: &str,
    lead: i64,
) -> (StatusCode, String) {
    let args = format!(
        "board={board}&column={column}&title={}&lead={lead}",
        title.replace(' ', "+")
    );
    call(app, "kartu-baru", &args, Some(cookie)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_edit_their_cards_readers_only_read_and_moves_agree() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let app = router(&t.db);
        let opd = login(&app, "opd", DEMO_PASSWORD).await.unwrap();
        let koord = login(&app, "koordinator", DEMO_PASSWORD).await.unwrap();
        let viewer = login(&app, "viewer", DEMO_PASSWORD).await.unwrap();
        let (board, cols) = spbe_board(&app, &opd).await;
        assert_eq!(
            cols.len(),
            4,
            "{}: Usulan, Dikerjakan, Direviu, Selesai",
            t.label
        );
        let dinkes = opd_id(&t, "DINKES").await;
        let bappeda = opd_id(&t, "BAPPEDA").await;

        // A Dinas Kesehatan member starts a card for their own OPD, not for another.
        let (status, body) =
            new_card(&app, &opd, board, cols[0], "Telemedisin puskesmas", dinkes).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", t.label);
        let card: i64 = body.parse().unwrap();
        let (status, _) = new_card(&app, &opd, board, cols[0], "Bukan urusan saya", bappeda).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", t.label);
        let (status, _) = new_card(
            &app,
            &viewer,
            board,
            cols[0],
            "Pembaca tidak menulis",
            dinkes,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", t.label);
        let (status, body) = new_card(&app, &opd, board, cols[0], "  ", dinkes).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{}", t.label);
        assert!(body.contains("Judul kartu wajib diisi"), "{body}");

        // The viewer cannot move it or comment; the pimpinan comments but does not edit.
        let mv =
            |c: i64, col: i64, i: i64| format!("board={board}&card={c}&column={col}&index={i}");
        let (status, _) = call(&app, "kartu-pindah", &mv(card, cols[1], 0), Some(&viewer)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = call(
            &app,
            "kartu-komentar",
            &format!("board={board}&card={card}&body=Saya+setuju"),
            Some(&viewer),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let pimpinan = login(&app, "pimpinan", DEMO_PASSWORD).await.unwrap();
        let (status, _) = call(
            &app,
            "kartu-komentar",
            &format!("board={board}&card={card}&body=Lanjutkan"),
            Some(&pimpinan),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = call(&app, "kartu-pindah", &mv(card, cols[1], 0), Some(&pimpinan)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // Two people move cards into the same column at the same moment: both moves land, and
        // the column has one order with no gaps or duplicates.
        let (_, other) =
            new_card(&app, &koord, board, cols[0], "Satu data kesehatan", dinkes).await;
        let other: i64 = other.parse().unwrap();
        let before = column_cards(&board_json(&app, &koord, board, "").await, cols[1]);
        let (first, second) = (mv(card, cols[1], 0), mv(other, cols[1], 0));
        let (a, b) = tokio::join!(
            call(&app, "kartu-pindah", &first, Some(&opd)),
            call(&app, "kartu-pindah", &second, Some(&koord)),
        );
        assert_eq!(
            (a.0, b.0),
            (StatusCode::OK, StatusCode::OK),
            "{}: {a:?} {b:?}",
            t.label
        );
        let after = column_cards(&board_json(&app, &opd, board, "").await, cols[1]);
        assert_eq!(after.len(), before.len() + 2, "{}", t.label);
        assert!(
            after[..2].contains(&card) && after[..2].contains(&other),
            "{after:?}"
        );
        let positions: Vec<i64> =
            sqlx::query("SELECT position FROM card WHERE column_id = $1 ORDER BY position")
                .bind(cols[1])
                .fetch_all(&t.db.pool)
                .await
                .unwrap()
                .iter()
                .map(|r| r.try_get("position").unwrap())
                .collect();
        assert_eq!(
            positions,
            (0..after.len() as i64).collect::<Vec<_>>(),
            "{}",
            t.label
        );
        // Within a column: to the bottom, and the order is what everyone reads back.
        let (status, _) = call(&app, "kartu-pindah", &mv(card, cols[1], 99), Some(&opd)).await;
        assert_eq!(status, StatusCode::OK);
        let order = column_cards(&board_json(&app, &koord, board, "").await, cols[1]);
        assert_eq!(order.last(), Some(&card), "{}", t.label);
        // A card of another board is not found through this board.
        let (status, _) = call(
            &app,
            "kartu",
            &format!("board={}&card={card}", board + 1000),
            Some(&opd),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_edit_is_a_conflict_and_nothing_is_lost() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let app = router(&t.db);
        let opd = login(&app, "opd", DEMO_PASSWORD).await.unwrap();
        let koord = login(&app, "koordinator", DEMO_PASSWORD).await.unwrap();
        let (board, cols) = spbe_board(&app, &opd).await;
        let dinkes = opd_id(&t, "DINKES").await;
        let (_, card) = new_card(&app, &opd, board, cols[0], "Rekam medis elektronik", dinkes).await;
        let card: i64 = card.parse().unwrap();
        let edit = |version: i64, title: &str, due: &str| {
            format!(
                "board={board}&card={card}&version={version}&title={}&description=**Penting**+%3Cscript%3Ex%3C%2Fscript%3E\
                 &lead={dinkes}&opds=diskominfo,+RSUD&assignees=opd&due={due}&labels=Prioritas,+data",
                title.replace(' ', "+")
            )
        };
        // The koordinator saves first, from version 1, and is told the version now in force.
        let (status, body) = call(&app, "kartu-ubah", &edit(1, "RME terintegrasi", "2026-12-15"), Some(&koord)).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", t.label);
        assert_eq!(body, "2", "{}", t.label);
        // The member, still on version 1, is refused with who changed it; nothing is written.
        let (status, body) = call(&app, "kartu-ubah", &edit(1, "Judul saya", "2026-12-20"), Some(&opd)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{}: {body}", t.label);
        assert!(body.contains("sudah diubah oleh Kepala Diskominfo"), "{body}");
        let (_, body) = call(&app, "kartu", &format!("board={board}&card={card}"), Some(&opd)).await;
        let v = json(&body);
        assert_eq!(v["card"]["title"], "RME terintegrasi", "{}", t.label);
        assert_eq!(v["card"]["version"], 2);
        assert_eq!(v["card"]["opds"], serde_json::json!(["DISKOMINFO", "RSUD"]));
        assert_eq!(v["card"]["labels"], serde_json::json!(["data", "prioritas"]));
        assert_eq!(v["card"]["due_date"], "2026-12-15");
        // Markdown rendered, script defused.
        let html = v["description_html"].as_str().unwrap();
        assert!(html.contains("<strong>Penting</strong>") && !html.contains("<script"), "{html}");
        // Re-applied on the latest version, the member's edit goes in.
        let (status, _) = call(&app, "kartu-ubah", &edit(2, "Judul saya", "2026-12-20"), Some(&opd)).await;
        assert_eq!(status, StatusCode::OK, "{}", t.label);
        let (_, body) = call(&app, "kartu", &format!("board={board}&card={card}"), Some(&koord)).await;
        let v = json(&body);
        assert_eq!(v["card"]["title"], "Judul saya");
        assert_eq!(v["card"]["version"], 3);
        // Both edits are in the card's activity, newest first.
        let acts: Vec<String> = v["activity"].as_array().unwrap().iter().map(|a| a["text"].as_str().unwrap().to_string()).collect();
        assert!(acts[0].contains("Judul saya") && acts[1].contains("RME terintegrasi"), "{acts:?}");
        // A contributor's member may edit, but not hand the lead to an OPD they do not belong to.
        let kominfo = opd_id(&t, "DISKOMINFO").await;
        let (_, other) = new_card(&app, &koord, board, cols[0], "Integrasi data kesehatan", kominfo).await;
        let other: i64 = other.parse().unwrap();
        let hand = |version: i64, lead: i64| {
            format!("board={board}&card={other}&version={version}&title=Integrasi+data+kesehatan&description=&lead={lead}&opds=DINKES&assignees=&due=&labels=")
        };
        let (status, _) = call(&app, "kartu-ubah", &hand(1, kominfo), Some(&koord)).await;
        assert_eq!(status, StatusCode::OK);
        let bappeda = opd_id(&t, "BAPPEDA").await;
        let (status, _) = call(&app, "kartu-ubah", &hand(2, bappeda), Some(&opd)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", t.label);
        let (status, body) = call(&app, "kartu-ubah", &hand(2, kominfo), Some(&opd)).await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "3"), "{}", t.label);
        // The done column cannot be removed while it is the done column.
        let (status, body) = call(&app, "kolom", &format!("board={board}&action=hapus&column={}&name=", cols[3]), Some(&koord)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{}", t.label);
        assert!(body.contains("kolom kartu selesai") || body.contains("masih berisi"), "{body}");
        // Bad input is named.
        let (status, body) = call(&app, "kartu-ubah", &edit(3, "Judul saya", "2026-02-30"), Some(&opd)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("bukan tanggal yang valid"), "{body}");
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mentions_and_assignments_notify_and_the_feed_lets_a_client_resume() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let app = router(&t.db);
        let opd = login(&app, "opd", DEMO_PASSWORD).await.unwrap();
        let koord = login(&app, "koordinator", DEMO_PASSWORD).await.unwrap();
        let (board, cols) = spbe_board(&app, &opd).await;
        let dinkes = opd_id(&t, "DINKES").await;
        let inst = seed::instansi_id(&t.db, seed::DEMO_INSTANSI_CODE).await.unwrap();
        let (_, body) = call(&app, "notifikasi-jumlah", "", Some(&koord)).await;
        let before = json(&body)["count"].as_i64().unwrap();
        // A client that saw everything up to here...
        let seen = sinergi::live::ssr::latest_event(&t.db, inst).await.unwrap();

        let (_, card) = new_card(&app, &opd, board, cols[0], "Sistem rujukan daring", dinkes).await;
        let card: i64 = card.parse().unwrap();
        let (status, _) = call(&app, "kartu-komentar", &format!("board={board}&card={card}&body=Mohon+ditinjau+%40koordinator"), Some(&opd)).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = call(&app, "kartu-cek", &format!("board={board}&card={card}&action=tambah&item=0&body=Uji+coba&done=false"), Some(&opd)).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = call(&app, "kartu-pindah", &format!("board={board}&card={card}&column={}&index=0", cols[1]), Some(&opd)).await;
        assert_eq!(status, StatusCode::OK);

        // ...resumes after its last number and receives every change it missed, in order.
        let missed = sinergi::live::ssr::events_after(&t.db, inst, seen).await.unwrap();
        let kinds: Vec<&str> = missed.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["kartu.dibuat", "notifikasi.baru", "kartu.komentar", "kartu.periksa", "kartu.dipindah"], "{}", t.label);
        assert!(missed.iter().filter(|e| e.kind.starts_with("kartu.")).all(|e| e.subject == format!("papan/{board}/kartu/{card}")));
        assert_eq!(missed[1].subject, format!("pengguna/{}", seed::user_id(&t.db, "koordinator").await.unwrap()));

        // The mention reached the koordinator; reading it clears the counter.
        let (_, body) = call(&app, "notifikasi-jumlah", "", Some(&koord)).await;
        assert_eq!(json(&body)["count"].as_i64().unwrap(), before + 1, "{}", t.label);
        let (_, body) = call(&app, "saya", "", Some(&koord)).await;
        let w = json(&body);
        assert!(w["notifications"][0]["body"].as_str().unwrap().contains("menyebut Anda"), "{w}");
        assert_eq!(w["notifications"][0]["href"], format!("/papan/{board}/kartu/{card}"));
        let (status, _) = call(&app, "notifikasi-baca", "id=0", Some(&koord)).await;
        assert_eq!(status, StatusCode::OK);
        let (_, body) = call(&app, "notifikasi-jumlah", "", Some(&koord)).await;
        assert_eq!(json(&body)["count"], 0);

        // Assigning the member (due tomorrow) notifies them once, and a due-soon reminder follows.
        let tomorrow = sinergi::boards::rules::iso_date(
            sinergi::boards::rules::days_of(&sinergi::boards::rules::today_wib(sinergi::server::db::now())).unwrap() + 1,
        );
        let args = format!("board={board}&card={card}&version=1&title=Sistem+rujukan+daring&description=&lead={dinkes}&opds=&assignees=opd&due={tomorrow}&labels=");
        let (status, body) = call(&app, "kartu-ubah", &args, Some(&koord)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, body) = call(&app, "saya", "", Some(&opd)).await;
        let w = json(&body);
        let kinds: Vec<&str> = w["notifications"].as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds.iter().filter(|k| **k == "penugasan").count(), 1, "{kinds:?}");
        assert!(kinds.contains(&"tenggat"), "{}: {kinds:?}", t.label);
        assert!(w["cards"].as_array().unwrap().iter().any(|c| c["card"]["id"] == card && c["why"] == "ditugaskan"));
        // Asking again writes no second reminder.
        let (_, body) = call(&app, "saya", "", Some(&opd)).await;
        let again = json(&body)["notifications"].as_array().unwrap().len();
        assert_eq!(again, kinds.len(), "{}", t.label);

        // Presence: both have the board open; the member edits this card.
        let (status, _) = call(&app, "kehadiran", &format!("board={board}&card={card}"), Some(&opd)).await;
        assert_eq!(status, StatusCode::OK);
        let (_, body) = call(&app, "kehadiran", &format!("board={board}&card=0"), Some(&koord)).await;
        let here = json(&body);
        let here = here.as_array().unwrap();
        assert_eq!(here.len(), 2, "{here:?}");
        assert!(here.iter().any(|p| p["editing"][0] == card));
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_finished_card_suggests_a_claim_and_filters_keep_matching_cards() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let app = router(&t.db);
        let opd = login(&app, "opd", DEMO_PASSWORD).await.unwrap();
        let (board, cols) = spbe_board(&app, &opd).await;
        let dinkes = opd_id(&t, "DINKES").await;
        let (_, card) = new_card(
            &app,
            &opd,
            board,
            cols[2],
            "Layanan publik sektor kesehatan",
            dinkes,
        )
        .await;
        let card: i64 = card.parse().unwrap();
        let (status, body) = call(
            &app,
            "kartu-indikator",
            &format!("board={board}&card={card}&code=45&target=5&remove=false"),
            Some(&opd),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = call(
            &app,
            "kartu-indikator",
            &format!("board={board}&card={card}&code=99&target=5&remove=false"),
            Some(&opd),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let user = seed::user_id(&t.db, "opd").await.unwrap();
        let before = one(
            &t,
            "SELECT COUNT(*) AS n FROM notification WHERE user_id = $1 AND kind = 'usulan'",
            user,
        )
        .await;
        let entries = one(
            &t,
            "SELECT COUNT(*) AS n FROM level_entry WHERE created_by = $1",
            user,
        )
        .await;
        let (status, _) = call(
            &app,
            "kartu-pindah",
            &format!("board={board}&card={card}&column={}&index=0", cols[3]),
            Some(&opd),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        // A suggestion to the lead OPD's members, and no claim made for them.
        assert_eq!(
            one(
                &t,
                "SELECT COUNT(*) AS n FROM notification WHERE user_id = $1 AND kind = 'usulan'",
                user
            )
            .await,
            before + 1
        );
        assert_eq!(
            one(
                &t,
                "SELECT COUNT(*) AS n FROM level_entry WHERE created_by = $1",
                user
            )
            .await,
            entries
        );
        let (_, body) = call(
            &app,
            "kartu",
            &format!("board={board}&card={card}"),
            Some(&opd),
        )
        .await;
        let v = json(&body);
        assert_eq!(v["card"]["done"], true);
        assert_eq!(v["suggestions"][0]["code"], "45", "{}: {v}", t.label);
        assert_eq!(v["suggestions"][0]["target"], 5);
        assert_eq!(v["suggestions"][0]["can_claim"], true);
        // A card whose target is already reached (Mandiri 4 ≥ 3) suggests nothing.
        let (_, reached) = new_card(
            &app,
            &opd,
            board,
            cols[2],
            "Pemeliharaan layanan kesehatan",
            dinkes,
        )
        .await;
        let reached: i64 = reached.parse().unwrap();
        call(
            &app,
            "kartu-indikator",
            &format!("board={board}&card={reached}&code=45&target=3&remove=false"),
            Some(&opd),
        )
        .await;
        call(
            &app,
            "kartu-pindah",
            &format!("board={board}&card={reached}&column={}&index=0", cols[3]),
            Some(&opd),
        )
        .await;
        assert_eq!(
            one(
                &t,
                "SELECT COUNT(*) AS n FROM notification WHERE user_id = $1 AND kind = 'usulan'",
                user
            )
            .await,
            before + 1,
            "{}",
            t.label
        );
        let (_, body) = call(
            &app,
            "kartu",
            &format!("board={board}&card={reached}"),
            Some(&opd),
        )
        .await;
        assert_eq!(json(&body)["suggestions"], serde_json::json!([]));
        // Moving out and back in does not repeat the suggestion.
        for col in [cols[1], cols[3]] {
            call(
                &app,
                "kartu-pindah",
                &format!("board={board}&card={card}&column={col}&index=0"),
                Some(&opd),
            )
            .await;
        }
        assert_eq!(
            one(
                &t,
                "SELECT COUNT(*) AS n FROM notification WHERE user_id = $1 AND kind = 'usulan'",
                user
            )
            .await,
            before + 1
        );

        // Filters: by OPD (lead or contributor), by indicator, overdue.
        let only = |v: &Value| -> Vec<String> {
            v["columns"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|c| {
                    c["cards"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|k| k["title"].as_str().unwrap().to_string())
                })
                .collect()
        };
        let args = format!("id={board}&opd=rsud&indikator=&petugas=&label=&tenggat=");
        let (_, body) = call(&app, "papan", &args, Some(&opd)).await;
        let v = json(&body);
        assert_eq!(
            only(&v),
            vec!["Layanan kesehatan daring terintegrasi dengan Satu Sehat"],
            "{}",
            t.label
        );
        assert_eq!(v["filtered"], true);
        let args = format!("id={board}&opd=&indikator=45&petugas=&label=&tenggat=");
        let (_, body) = call(&app, "papan", &args, Some(&opd)).await;
        // The demo card and the two made above.
        assert_eq!(only(&json(&body)).len(), 3);
        let overdue = only(&board_json(&app, &opd, board, "lewat").await);
        assert_eq!(
            overdue,
            vec!["Audit keamanan aplikasi layanan publik"],
            "{}",
            t.label
        );

        // The collaboration view counts the shared work.
        let (_, body) = call(&app, "kolaborasi", &format!("board={board}"), Some(&opd)).await;
        let c = json(&body);
        let opds: Vec<&str> = c["data"]["opds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_str().unwrap())
            .collect();
        assert_eq!(opds[0], "DISKOMINFO", "{opds:?}");
        let k = opds.iter().position(|o| *o == "DISKOMINFO").unwrap();
        let d = opds.iter().position(|o| *o == "DINKES").unwrap();
        assert_eq!(c["data"]["pairs"][k][d], 1);

        // Pages render on the server, with the card and its board.
        let res = get(&app, &format!("/papan/{board}/kartu/{card}"), Some(&opd)).await;
        let status = res.status();
        let html = common::body_text(res).await;
        assert_eq!(status, StatusCode::OK, "{}: {html}", t.label);
        assert!(
            html.contains("Layanan publik sektor kesehatan")
                && html.contains("Usulan klaim penilaian mandiri"),
            "{}",
            t.label
        );
        let res = get(&app, "/saya", None).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        t
    })
    .await;
}
