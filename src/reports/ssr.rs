//! Assembly of the report rows, and the XLSX and CSV files built from them.

use super::{csv_field, file_name, level_number, level_text, EvidenceLink, ReportData, ReportRow};
use crate::assessment::ssr::{assignments, evidence_by_entry};
use crate::assessment::Stage;
use crate::dashboard::ssr::{dashboard_parts, DashboardParts};
use crate::error::AppError;
use crate::scoring::weight_percent;
use crate::server::db::{now, Db};
use crate::server::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Url, Workbook, XlsxError};
use sqlx::Row;
use std::collections::HashMap;

pub async fn report(db: &Db, instansi_id: i64, cycle: i64) -> Result<ReportData, AppError> {
    let name = crate::leadership::ssr::instansi_name(db, instansi_id).await?;
    let DashboardParts {
        data: d,
        cycle: info,
        levels,
    } = dashboard_parts(db, instansi_id, &name, Some(cycle)).await?;
    let f = &info.framework;
    let assign = assignments(db, info.id).await?;
    // The Mandiri entry in force per indicator: its justification and evidence.
    let entries = sqlx::query(
        "SELECT le.id, le.indicator_code, le.justification FROM level_entry le \
         WHERE le.cycle_id = $1 AND le.stage = 'mandiri' AND le.id = (SELECT MAX(x.id) \
           FROM level_entry x WHERE x.cycle_id = le.cycle_id AND x.stage = 'mandiri' \
             AND x.indicator_code = le.indicator_code)",
    )
    .bind(info.id)
    .fetch_all(&db.pool)
    .await?;
    let mut entry_of: HashMap<String, (i64, String)> = HashMap::new();
    for r in entries {
        entry_of.insert(
            r.try_get("indicator_code")?,
            (r.try_get("id")?, r.try_get("justification")?),
        );
    }
    let mut evidence = evidence_by_entry(db, info.id).await?;
    let rows = f
        .indicators
        .iter()
        .map(|ind| {
            let aspect = &f.aspects[ind.aspect];
            let a = assign.get(&ind.code);
            let (entry, justification) = entry_of
                .get(&ind.code)
                .cloned()
                .map(|(id, j)| (Some(id), j))
                .unwrap_or((None, String::new()));
            ReportRow {
                code: ind.code.clone(),
                name: ind.name.clone(),
                domain: aspect
                    .domain
                    .map(|d| format!("{} {}", f.domains[d].code, f.domains[d].name))
                    .unwrap_or_default(),
                aspect: format!("{} {}", aspect.code, aspect.name),
                weight_units: ind.weight,
                weight: weight_percent(ind.weight).replace('.', ","),
                lead: a
                    .and_then(|a| a.lead.as_ref().map(|o| o.code.clone()))
                    .unwrap_or_default(),
                contributors: a
                    .map(|a| a.contributors.iter().map(|o| o.code.clone()).collect())
                    .unwrap_or_default(),
                levels: Stage::ALL
                    .iter()
                    .map(|s| {
                        levels
                            .get(s)
                            .and_then(|m| m.get(&ind.code))
                            .map(|r| (r.numer() as i64, r.denom() as i64))
                    })
                    .collect(),
                justification,
                evidence: entry
                    .and_then(|e| evidence.remove(&e))
                    .unwrap_or_default()
                    .into_iter()
                    .map(|e| EvidenceLink {
                        title: e.title,
                        version: e.version,
                        href: e.href,
                    })
                    .collect(),
            }
        })
        .collect();
    let koordinator = sqlx::query(
        "SELECT display_name FROM users WHERE instansi_id = $1 AND role = 'koordinator' \
         AND is_active = 1 ORDER BY id LIMIT 1",
    )
    .bind(instansi_id)
    .fetch_optional(&db.pool)
    .await?
    .map(|r| r.try_get("display_name"))
    .transpose()?;
    Ok(ReportData {
        instansi: d.instansi,
        cycle_id: d.cycle_id,
        cycle_name: d.cycle_name,
        framework_name: d.framework_name,
        regulation: d.regulation,
        headline: d.headline,
        headline_stage: d.headline_stage,
        predicate: d.predicate,
        stages: d.stages,
        aspects: d.aspects,
        rows,
        generated_at: now(),
        koordinator,
    })
}

/// An evidence link as an absolute address (a path on this server gets `base` in front).
fn absolute(base: &str, href: &str) -> String {
    if href.starts_with('/') {
        format!("{}{href}", base.trim_end_matches('/'))
    } else {
        href.to_string()
    }
}

pub const STAGE_HEADERS: [&str; 5] = [
    "Target",
    "Penilaian Mandiri",
    "Verifikasi Internal",
    "Penilaian Eksternal",
    "Nilai Akhir",
];

pub const COLUMNS: [&str; 15] = [
    "Kode",
    "Indikator",
    "Domain",
    "Aspek",
    "Bobot (%)",
    "OPD pengampu",
    "OPD kontributor",
    "Target",
    "Penilaian Mandiri",
    "Verifikasi Internal",
    "Penilaian Eksternal",
    "Nilai Akhir",
    "Penjelasan (mandiri)",
    "Data dukung",
    "Tautan data dukung",
];

fn evidence_text(e: &[EvidenceLink]) -> String {
    e.iter()
        .map(|e| format!("{} (v{})", e.title, e.version))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The workbook: `Ringkasan` (index and predicate per stage), `Indikator` (one row per
/// indicator) and `Data dukung` (one row per evidence link).
pub fn xlsx(d: &ReportData, base: &str) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let index_fmt = Format::new().set_num_format("0.00");
    let level_fmt = Format::new().set_num_format("0.####");
    let wrap = Format::new().set_text_wrap();

    let s = wb.add_worksheet();
    s.set_name("Ringkasan")?;
    s.write_string_with_format(0, 0, format!("Laporan kesiapan {}", d.cycle_name), &title)?;
    s.write_string(1, 0, &d.instansi)?;
    s.write_string(2, 0, format!("{} · {}", d.framework_name, d.regulation))?;
    s.write_string(
        3,
        0,
        format!("Dibuat {}", crate::format::datetime_id(d.generated_at)),
    )?;
    for (c, h) in [
        "Tahap",
        "Indikator terisi",
        "Jumlah indikator",
        "Indeks",
        "Predikat",
    ]
    .iter()
    .enumerate()
    {
        s.write_string_with_format(5, c as u16, *h, &bold)?;
    }
    for (i, st) in d.stages.iter().enumerate() {
        let r = 6 + i as u32;
        s.write_string(r, 0, &st.label)?;
        s.write_number(r, 1, st.filled as f64)?;
        s.write_number(r, 2, st.total as f64)?;
        if let Some(ix) = &st.index {
            s.write_number_with_format(r, 3, ix.value, &index_fmt)?;
        }
        s.write_string(r, 4, st.predicate.clone().unwrap_or_default())?;
    }
    s.set_column_width(0, 24)?;
    s.set_column_width(1, 16)?;
    s.set_column_width(2, 16)?;
    s.set_column_width(4, 14)?;

    let w = wb.add_worksheet();
    w.set_name("Indikator")?;
    for (c, h) in COLUMNS.iter().enumerate() {
        w.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, row) in d.rows.iter().enumerate() {
        let r = 1 + i as u32;
        w.write_string(r, 0, &row.code)?;
        w.write_string(r, 1, &row.name)?;
        w.write_string(r, 2, &row.domain)?;
        w.write_string(r, 3, &row.aspect)?;
        w.write_number(r, 4, row.weight_units as f64 / 100.0)?;
        w.write_string(r, 5, &row.lead)?;
        w.write_string(r, 6, row.contributors.join(", "))?;
        for (k, l) in row.levels.iter().enumerate() {
            if let Some(l) = l {
                w.write_number_with_format(r, 7 + k as u16, level_number(*l), &level_fmt)?;
            }
        }
        w.write_string_with_format(r, 12, &row.justification, &wrap)?;
        w.write_string(r, 13, evidence_text(&row.evidence))?;
        if let Some(first) = row.evidence.first() {
            let url = absolute(base, &first.href);
            if url.starts_with("http://") || url.starts_with("https://") {
                w.write_url_with_text(r, 14, Url::new(url.as_str()), &url)?;
            } else {
                w.write_string(r, 14, &url)?;
            }
        }
    }
    w.set_freeze_panes(1, 2)?;
    w.autofilter(0, 0, d.rows.len() as u32, (COLUMNS.len() - 1) as u16)?;
    for (c, width) in [8, 48, 28, 28, 10, 16, 24, 8, 10, 10, 10, 10, 40, 40, 40]
        .iter()
        .enumerate()
    {
        w.set_column_width(c as u16, *width)?;
    }

    let e = wb.add_worksheet();
    e.set_name("Data dukung")?;
    for (c, h) in ["Kode", "Indikator", "Data dukung", "Versi", "Tautan"]
        .iter()
        .enumerate()
    {
        e.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    let mut r = 1u32;
    for row in &d.rows {
        for ev in &row.evidence {
            e.write_string(r, 0, &row.code)?;
            e.write_string(r, 1, &row.name)?;
            e.write_string(r, 2, &ev.title)?;
            e.write_number(r, 3, ev.version as f64)?;
            let url = absolute(base, &ev.href);
            if url.starts_with("http://") || url.starts_with("https://") {
                e.write_url_with_text(r, 4, Url::new(url.as_str()), &url)?;
            } else {
                e.write_string(r, 4, &url)?;
            }
            r += 1;
        }
    }
    e.set_column_width(1, 48)?;
    e.set_column_width(2, 40)?;
    e.set_column_width(4, 60)?;
    wb.save_to_buffer()
}

/// The indicator table as CSV (UTF-8 with a byte-order mark so Excel reads the accents; comma
/// separated; levels with a decimal point).
pub fn csv(d: &ReportData, base: &str) -> String {
    let mut out = String::from('\u{feff}');
    out.push_str(
        &COLUMNS
            .iter()
            .map(|c| csv_field(c))
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push_str("\r\n");
    for row in &d.rows {
        let mut fields = vec![
            row.code.clone(),
            row.name.clone(),
            row.domain.clone(),
            row.aspect.clone(),
            crate::scoring::weight_percent(row.weight_units),
            row.lead.clone(),
            row.contributors.join(" "),
        ];
        for l in &row.levels {
            fields.push(
                l.map(|l| level_text(Some(l)).replace(',', "."))
                    .unwrap_or_default(),
            );
        }
        fields.push(row.justification.clone());
        fields.push(evidence_text(&row.evidence));
        fields.push(
            row.evidence
                .iter()
                .map(|e| absolute(base, &e.href))
                .collect::<Vec<_>>()
                .join(" "),
        );
        out.push_str(
            &fields
                .iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

/// `http://host` of the request, for absolute evidence links in the files.
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .filter(|p| *p == "https")
        .unwrap_or("http");
    format!("{scheme}://{host}")
}

async fn report_for_request(
    state: &AppState,
    headers: &HeaderMap,
    cycle: &str,
) -> Result<ReportData, Response> {
    let refuse = |s: StatusCode, m: &str| (s, m.to_string()).into_response();
    let Some(token) = crate::auth::ssr::session_token(headers) else {
        return Err(refuse(
            StatusCode::UNAUTHORIZED,
            "Silakan masuk terlebih dahulu.",
        ));
    };
    let user = match crate::auth::ssr::user_for_token(&state.db, &token).await {
        Ok(Some(u)) => u,
        Ok(None) => {
            return Err(refuse(
                StatusCode::UNAUTHORIZED,
                "Silakan masuk terlebih dahulu.",
            ))
        }
        Err(_) => {
            return Err(refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Terjadi kesalahan.",
            ))
        }
    };
    let Ok(cycle) = cycle.parse::<i64>() else {
        return Err(refuse(StatusCode::BAD_REQUEST, "Nomor siklus tidak sah."));
    };
    report(&state.db, user.instansi_id, cycle)
        .await
        .map_err(|e| {
            refuse(
                StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                &e.to_string(),
            )
        })
}

fn attachment(content_type: &str, name: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// `GET /ekspor/{cycle}/xlsx` (the workbook) and `GET /ekspor/{cycle}/csv` (the indicator table)
/// of a cycle of the caller's instansi. The file is built on a blocking thread, so a large export
/// never holds up the server's other requests.
pub async fn export_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((cycle, format)): Path<(String, String)>,
) -> Response {
    if format != "xlsx" && format != "csv" {
        return (
            StatusCode::NOT_FOUND,
            "Format ekspor tidak dikenal; pilih xlsx atau csv.",
        )
            .into_response();
    }
    let d = match report_for_request(&state, &headers, &cycle).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let base = base_url(&headers);
    let name = file_name(&d.cycle_name, &format);
    let built = tokio::task::spawn_blocking(move || match format.as_str() {
        "xlsx" => xlsx(&d, &base).map(|bytes| {
            (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                bytes,
            )
        }),
        _ => Ok(("text/csv; charset=utf-8", csv(&d, &base).into_bytes())),
    })
    .await;
    match built {
        Ok(Ok((content_type, bytes))) => attachment(content_type, &name, bytes),
        other => {
            tracing::error!(?other, "export failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Berkas ekspor gagal dibuat. Silakan coba lagi.",
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_paths_become_absolute_links() {
        assert_eq!(
            absolute("http://sinergi.local", "/bukti/unduh/3"),
            "http://sinergi.local/bukti/unduh/3"
        );
        assert_eq!(
            absolute("http://x", "https://jdih.example/p.pdf"),
            "https://jdih.example/p.pdf"
        );
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "sinergi.mojokertokota.go.id".parse().unwrap());
        assert_eq!(base_url(&h), "http://sinergi.mojokertokota.go.id");
        h.insert(header::HOST, "evil\"host".parse().unwrap());
        assert_eq!(base_url(&h), "http://localhost");
    }
}
