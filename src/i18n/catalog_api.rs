//! English for the API token, API reference and national roll-up pages: (Indonesian text as
//! written in the views, English text).

pub const CATALOG: &[(&str, &str)] = &[
    ("Token API", "API tokens"),
    ("Dokumentasi API", "API reference"),
    (
        "Token pribadi membuka API Sinergi untuk sistem lain (mis. dasbor provinsi), dengan hak yang sama seperti akun Anda. Token hanya ditampilkan sekali; simpan di tempat aman dan cabut bila tidak dipakai lagi.",
        "A personal token opens the Sinergi API to another system (e.g. a provincial dashboard), with the same rights as your account. A token is shown only once; keep it somewhere safe and revoke it when it is no longer used.",
    ),
    ("Token baru", "New token"),
    ("Nama token", "Token name"),
    ("mis. Dasbor provinsi", "e.g. Provincial dashboard"),
    ("Cakupan", "Scope"),
    ("Baca saja", "Read only"),
    ("Baca dan tulis", "Read and write"),
    ("Buat token", "Create token"),
    (
        "Token dibuat. Salin sekarang: token ini tidak akan ditampilkan lagi.",
        "Token created. Copy it now: it will not be shown again.",
    ),
    ("Token Anda", "Your tokens"),
    ("Belum ada token.", "No tokens yet."),
    ("Terakhir dipakai", "Last used"),
    (
        "API REST Sinergi untuk integrasi: membaca siklus, indikator, level per tahap, skor, papan dan kartu; menulis klaim level, kartu dan komentar, dengan hak yang sama seperti aplikasi.",
        "The Sinergi REST API for integration: read cycles, indicators, levels per stage, scores, boards and cards; write level claims, cards and comments, with the same rights as in the app.",
    ),
    (
        "Autentikasi: header Authorization: Bearer sng_… dengan token pribadi dari halaman Token API.",
        "Authentication: the header Authorization: Bearer sng_… with a personal token from the API tokens page.",
    ),
    (
        "Galat berupa JSON dengan kode yang tetap (error.code) dan pesan (error.message).",
        "Errors are JSON with a stable code (error.code) and a message (error.message).",
    ),
    (
        "Daftar berhalaman: page (mulai 1) dan per_page (1–200, bawaan 50).",
        "Lists are paginated: page (from 1) and per_page (1–200, default 50).",
    ),
    (
        "Batas: 120 permintaan per menit per token (X-RateLimit-Remaining, Retry-After).",
        "Limit: 120 requests a minute per token (X-RateLimit-Remaining, Retry-After).",
    ),
    ("Dokumen OpenAPI 3.1:", "The OpenAPI 3.1 document:"),
    ("publik", "public"),
    ("token", "token"),
    ("Parameter", "Parameter"),
    ("Letak", "In"),
    ("Jenis", "Type"),
    ("Badan permintaan (JSON):", "Request body (JSON):"),
    // The national roll-up
    ("Rekap nasional", "National roll-up"),
    (
        "Indeks siklus berjalan setiap instansi di penyelenggaraan ini, hanya-baca. Hanya angka rekap yang terlihat; isi tiap instansi tetap tertutup.",
        "The index of every instansi's current cycle in this deployment, read-only. Only the summary figures are visible; each instansi's own content stays closed.",
    ),
    ("Instansi", "Instansi"),
    ("Dengan indeks lengkap", "With a complete index"),
    ("Rata-rata indeks", "Mean index"),
    ("Per predikat", "By predicate"),
    ("Terisi", "Filled"),
];
