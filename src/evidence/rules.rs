//! What the evidence library accepts: file names, file types (by extension *and* content),
//! sizes, links and metadata. Plain functions, unit-tested; the upload handler applies them
//! before anything is kept.

/// One accepted file type: extensions, the media type served back, and the leading bytes the
/// content must start with (so a renamed executable is not accepted as a PDF).
struct Kind {
    extensions: &'static [&'static str],
    media_type: &'static str,
    magic: &'static [&'static [u8]],
}

const ZIP: &[u8] = b"PK\x03\x04";
const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

const KINDS: &[Kind] = &[
    Kind {
        extensions: &["pdf"],
        media_type: "application/pdf",
        magic: &[b"%PDF-"],
    },
    Kind {
        extensions: &["png"],
        media_type: "image/png",
        magic: &[b"\x89PNG\r\n\x1a\n"],
    },
    Kind {
        extensions: &["jpg", "jpeg"],
        media_type: "image/jpeg",
        magic: &[b"\xFF\xD8\xFF"],
    },
    Kind {
        extensions: &["docx"],
        media_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        magic: &[ZIP],
    },
    Kind {
        extensions: &["xlsx"],
        media_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        magic: &[ZIP],
    },
    Kind {
        extensions: &["pptx"],
        media_type: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        magic: &[ZIP],
    },
    Kind {
        extensions: &["odt"],
        media_type: "application/vnd.oasis.opendocument.text",
        magic: &[ZIP],
    },
    Kind {
        extensions: &["ods"],
        media_type: "application/vnd.oasis.opendocument.spreadsheet",
        magic: &[ZIP],
    },
    Kind {
        extensions: &["doc"],
        media_type: "application/msword",
        magic: &[OLE],
    },
    Kind {
        extensions: &["xls"],
        media_type: "application/vnd.ms-excel",
        magic: &[OLE],
    },
    Kind {
        extensions: &["ppt"],
        media_type: "application/vnd.ms-powerpoint",
        magic: &[OLE],
    },
];

/// The extensions accepted, for the form's `accept` attribute and the messages.
pub const ACCEPT: &str = ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.pptx,.odt,.ods,.doc,.xls,.ppt";

/// A file name is kept only for display and download: it must be a plain name, no path.
pub fn check_file_name(name: &str) -> Result<String, String> {
    let n = name.trim();
    if n.is_empty() {
        return Err("Nama berkas kosong.".into());
    }
    if n.chars().count() > 200 {
        return Err("Nama berkas terlalu panjang (maksimal 200 karakter).".into());
    }
    if n.contains('/') || n.contains('\\') || n.contains("..") || n.starts_with('.') {
        return Err(format!(
            "Nama berkas '{n}' tidak diterima: nama tidak boleh berisi jalur (/, \\, ..) atau \
             diawali titik."
        ));
    }
    if n.chars().any(|c| c.is_control()) {
        return Err("Nama berkas berisi karakter yang tidak diizinkan.".into());
    }
    Ok(n.to_string())
}

/// The media type of an accepted file, judged by its extension and its first bytes.
pub fn media_type(name: &str, head: &[u8]) -> Result<&'static str, String> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let kind = KINDS
        .iter()
        .find(|k| k.extensions.contains(&ext.as_str()))
        .ok_or_else(|| {
            format!(
                "Jenis berkas '.{ext}' tidak diterima. Yang diterima: PDF, gambar (PNG, JPG) dan \
                 dokumen perkantoran (DOCX, XLSX, PPTX, ODT, ODS, DOC, XLS, PPT)."
            )
        })?;
    if !kind.magic.iter().any(|m| head.starts_with(m)) {
        return Err(format!(
            "Isi berkas tidak sesuai dengan jenisnya (.{ext}); berkas mungkin rusak atau \
             berganti nama."
        ));
    }
    Ok(kind.media_type)
}

/// A registered link: http or https, a host, no spaces.
pub fn check_url(url: &str) -> Result<String, String> {
    let u = url.trim();
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .ok_or_else(|| "Tautan harus diawali http:// atau https://.".to_string())?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || !host.contains('.') && !host.starts_with("localhost") {
        return Err("Tautan tidak memiliki alamat situs yang valid.".into());
    }
    if u.chars().any(|c| c.is_whitespace() || c.is_control()) || u.len() > 2000 {
        return Err("Tautan berisi spasi atau terlalu panjang.".into());
    }
    Ok(u.to_string())
}

/// Document types (stored code, Indonesian label).
pub const DOC_TYPES: &[(&str, &str)] = &[
    ("perwal", "Perwal/Perbup"),
    ("keputusan", "Keputusan/SK"),
    ("sop", "SOP"),
    ("laporan", "Laporan"),
    ("notulen", "Notulen"),
    ("tangkapan_layar", "Tangkapan layar"),
    ("tautan", "Tautan"),
    ("lainnya", "Lainnya"),
];

pub fn check_doc_type(code: &str) -> Result<&'static str, String> {
    DOC_TYPES
        .iter()
        .find(|(c, _)| *c == code.trim())
        .map(|(c, _)| *c)
        .ok_or_else(|| format!("Jenis dokumen '{code}' tidak dikenal."))
}

/// An optional year: empty, or 1945 to 2100.
pub fn check_year(text: &str) -> Result<Option<i64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i64>() {
        Ok(y) if (1945..=2100).contains(&y) => Ok(Some(y)),
        _ => Err(format!("Tahun '{t}' tidak valid (1945–2100).")),
    }
}

/// An optional ISO date `YYYY-MM-DD` (what `<input type=date>` sends).
pub fn check_date(text: &str) -> Result<Option<String>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let parts: Vec<&str> = t.split('-').collect();
    let ok = parts.len() == 3
        && parts[0].len() == 4
        && parts[1].len() == 2
        && parts[2].len() == 2
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
        && (1..=12).contains(&parts[1].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&parts[2].parse::<u32>().unwrap_or(0));
    if ok {
        Ok(Some(t.to_string()))
    } else {
        Err(format!(
            "Tanggal berlaku '{t}' tidak valid (format TTTT-BB-HH)."
        ))
    }
}

pub fn check_title(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("Judul data dukung wajib diisi.".into());
    }
    if t.chars().count() > 300 {
        return Err("Judul terlalu panjang (maksimal 300 karakter).".into());
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_path_tricks_are_refused() {
        for bad in [
            "../etc/passwd",
            "a/b.pdf",
            "a\\b.pdf",
            ".htaccess",
            "",
            "  ",
            "x\u{0}.pdf",
            "nama..pdf",
        ] {
            assert!(check_file_name(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            check_file_name(" Perwal 12 2024.pdf ").unwrap(),
            "Perwal 12 2024.pdf"
        );
        assert!(check_file_name(&"a".repeat(201)).is_err());
    }

    #[test]
    fn the_type_is_judged_by_extension_and_content() {
        assert_eq!(
            media_type("perwal.PDF", b"%PDF-1.7\n...").unwrap(),
            "application/pdf"
        );
        assert_eq!(
            media_type("foto.jpg", b"\xFF\xD8\xFF\xE0").unwrap(),
            "image/jpeg"
        );
        assert!(media_type("laporan.docx", b"PK\x03\x04rest").is_ok());
        assert!(media_type("lama.xls", OLE).is_ok());
        // A renamed program, a script and a file without extension are refused, by name.
        let e = media_type("perwal.pdf", b"MZ\x90\x00").unwrap_err();
        assert!(e.contains("tidak sesuai"), "{e}");
        let e = media_type("skrip.exe", b"MZ").unwrap_err();
        assert!(e.contains(".exe"), "{e}");
        assert!(media_type("tanpa-ekstensi", b"%PDF-").is_err());
        assert!(media_type("kosong.pdf", b"").is_err());
    }

    #[test]
    fn links_dates_years_and_types_are_checked() {
        assert!(check_url("https://jdih.mojokertokota.go.id/perwal/12").is_ok());
        assert!(check_url("http://localhost:8080/x").is_ok());
        for bad in [
            "javascript:alert(1)",
            "ftp://x.go.id",
            "https://",
            "https://bukan situs",
            "mojokertokota.go.id",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
        assert_eq!(
            check_date("2027-12-31").unwrap().as_deref(),
            Some("2027-12-31")
        );
        assert_eq!(check_date("").unwrap(), None);
        assert!(check_date("31-12-2027").is_err());
        assert!(check_date("2027-13-01").is_err());
        assert_eq!(check_year("2024").unwrap(), Some(2024));
        assert!(check_year("24").is_err());
        assert_eq!(check_doc_type("sop").unwrap(), "sop");
        assert!(check_doc_type("rahasia").is_err());
        assert!(check_title(" ").is_err());
    }
}
