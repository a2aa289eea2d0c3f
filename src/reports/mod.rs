//! Exports and the printable report of a cycle: one row per indicator (domain, aspect, weight,
//! lead and contributing OPDs, level per stage, justification, evidence) and a summary of the
//! index and predicate per stage. The same rows feed the XLSX file, the CSV file and the A4
//! print page (`/laporan/{cycle}`).

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::dashboard::{Figure, StageSummary};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvidenceLink {
    pub title: String,
    pub version: i64,
    /// A path on this server (`/bukti/…`) or the registered external link.
    pub href: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportRow {
    pub code: String,
    pub name: String,
    pub domain: String,
    pub aspect: String,
    /// Weight in hundredths of a percent (exact).
    pub weight_units: i64,
    /// e.g. `2,5`
    pub weight: String,
    pub lead: String,
    pub contributors: Vec<String>,
    /// Per stage in [`crate::assessment::Stage::ALL`] order: exact (numerator, denominator).
    pub levels: Vec<Option<(i64, i64)>>,
    /// The justification of the Mandiri claim in force.
    pub justification: String,
    pub evidence: Vec<EvidenceLink>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportData {
    pub instansi: String,
    pub cycle_id: i64,
    pub cycle_name: String,
    pub framework_name: String,
    pub regulation: String,
    pub headline: Option<Figure>,
    pub headline_stage: Option<crate::assessment::Stage>,
    pub predicate: Option<String>,
    pub stages: Vec<StageSummary>,
    pub aspects: Vec<crate::dashboard::PartRow>,
    pub rows: Vec<ReportRow>,
    /// Unix seconds.
    pub generated_at: i64,
    /// Who signs the report: the koordinator's name, when there is one.
    pub koordinator: Option<String>,
}

/// A level for a table cell: `4`, `4,5`, `7/6`, or `–`.
pub fn level_text(level: Option<(i64, i64)>) -> String {
    match level.and_then(|(n, d)| crate::scoring::ratio::Ratio::new(n as i128, d as i128)) {
        Some(r) => crate::format::level_id(r),
        None => "–".into(),
    }
}

/// A level as a spreadsheet number (levels with a non-terminating decimal are rounded to 4
/// places; the text form carries the exact fraction).
pub fn level_number(level: (i64, i64)) -> f64 {
    level.0 as f64 / level.1 as f64
}

/// A file name for a cycle's export: `sinergi-spbe-2025.xlsx`.
pub fn file_name(cycle_name: &str, ext: &str) -> String {
    let slug: String = cycle_name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let slug = slug
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!(
        "sinergi-{}.{ext}",
        if slug.is_empty() { "siklus" } else { &slug }
    )
}

/// One CSV field (RFC 4180): quoted when it holds a separator, quote or line break. A leading
/// `=`, `+`, `-` or `@` is prefixed with `'` so a spreadsheet never runs it as a formula.
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The report data of a cycle of the caller's instansi.
#[server(prefix = "/api", endpoint = "laporan")]
pub async fn get_report(cycle: i64) -> Result<ReportData, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::report(&state.db, user.instansi_id, cycle).await
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_read_exactly() {
        assert_eq!(level_text(Some((4, 1))), "4");
        assert_eq!(level_text(Some((9, 2))), "4,5");
        assert_eq!(level_text(Some((7, 6))), "7/6");
        assert_eq!(level_text(None), "–");
        assert_eq!(level_number((9, 2)), 4.5);
    }

    #[test]
    fn file_names_are_plain() {
        assert_eq!(file_name("SPBE 2025", "xlsx"), "sinergi-spbe-2025.xlsx");
        assert_eq!(
            file_name("Pemdi 2026 (uji)", "csv"),
            "sinergi-pemdi-2026-uji.csv"
        );
        assert_eq!(file_name("—", "csv"), "sinergi-siklus.csv");
    }

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        assert_eq!(csv_field("biasa"), "biasa");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("kata \"kutip\""), "\"kata \"\"kutip\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-3"), "-3");
        assert_eq!(csv_field("baris\nbaru"), "\"baris\nbaru\"");
    }
}
