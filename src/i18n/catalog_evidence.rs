//! English for the evidence pages: (Indonesian text as written in the views, English text).

pub const CATALOG: &[(&str, &str)] = &[
    // Evidence library page
    (
        "Satu data dukung dapat mendukung banyak indikator, level dan siklus. Versi lama tidak pernah hilang.",
        "One piece of evidence can support many indicators, levels and cycles. Old versions are never lost.",
    ),
    ("Memuat data dukung…", "Loading evidence…"),
    // Upload and link forms
    ("Unggah berkas", "Upload a file"),
    (
        "PDF, gambar (PNG, JPG) atau dokumen perkantoran, maksimal",
        "PDF, images (PNG, JPG) or office documents, at most",
    ),
    (
        "Berkas yang sama persis dikenali dan tidak disimpan dua kali.",
        "An identical file is recognised and not stored twice.",
    ),
    ("Berkas", "File"),
    ("Berkas terlalu besar", "File too large"),
    ("maksimal", "at most"),
    ("Unggah", "Upload"),
    ("Mengunggah", "Uploading"),
    (
        "Mengunggah dan memeriksa berkas… mohon tunggu.",
        "Uploading and checking the file… please wait.",
    ),
    ("Daftarkan tautan", "Register a link"),
    (
        "Untuk dokumen yang sudah terbit daring, mis. di JDIH atau situs resmi.",
        "For documents already published online, e.g. in the JDIH legal database or on an official website.",
    ),
    ("Alamat tautan", "Link address"),
    ("Daftarkan", "Register"),
    // Metadata fields
    (
        "mis. Perwal Arsitektur SPBE 2024",
        "e.g. Mayor's regulation (Perwal) on the SPBE architecture, 2024",
    ),
    ("Jenis dokumen", "Document type"),
    ("Nomor", "Number"),
    ("OPD penerbit", "Issuing agency"),
    ("Berlaku sampai", "Valid until"),
    // Document types (rules::DOC_TYPES, shown through doc_type_label)
    ("Perwal/Perbup", "Mayor's or regent's regulation (Perwal/Perbup)"),
    ("Keputusan/SK", "Decree (SK)"),
    ("SOP", "SOP"),
    ("Laporan", "Report"),
    ("Notulen", "Minutes"),
    ("Tangkapan layar", "Screenshot"),
    ("Tautan", "Link"),
    ("Lainnya", "Other"),
    // Library list
    ("Pustaka data dukung", "Evidence library"),
    ("Belum ada data dukung.", "No evidence yet."),
    ("No.", "No."),
    ("berlaku s.d.", "valid until"),
    ("Versi", "Version"),
    ("buka tautan", "open link"),
    ("unduh", "download"),
    ("Dipakai oleh", "Used by"),
    ("entri penilaian atau kriteria.", "assessment or criterion entries."),
    ("Belum dipakai entri penilaian.", "Not used by any assessment entry yet."),
    ("Versi baru", "New version"),
    ("Unggah versi baru", "Upload new version"),
    ("Tautan baru", "New link"),
    ("Simpan versi baru", "Save new version"),
    ("Hapus", "Delete"),
];
