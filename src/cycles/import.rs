//! Reading an official evaluation result (CSV, or the cells of an XLSX sheet): indicator code,
//! level, optional note. Every problem row is named; nothing here writes anything.

use crate::scoring::ratio::Ratio;
use crate::scoring::Framework;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportRow {
    /// The line (CSV) or row (sheet) number, 1-based, as the person sees it in their file.
    pub line: usize,
    pub code: String,
    pub level: Option<Ratio>,
    pub note: String,
    /// What is wrong with this row, in Indonesian; `None` when it can be applied.
    pub problem: Option<String>,
}

/// Splits CSV text into rows of cells. Accepts `,` or `;` (what Indonesian spreadsheet
/// programs write), quoted cells with `""` escapes, CRLF or LF, and a UTF-8 BOM.
pub fn parse_csv(text: &str) -> Vec<(usize, Vec<String>)> {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or("");
    let sep = if first.matches(';').count() > first.matches(',').count() {
        ';'
    } else {
        ','
    };
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut row_line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => row.push(std::mem::take(&mut cell)),
            '\r' if !quoted => {}
            '\n' if !quoted => {
                row.push(std::mem::take(&mut cell));
                rows.push((row_line, std::mem::take(&mut row)));
                line += 1;
                row_line = line;
            }
            '\n' => {
                cell.push(c);
                line += 1;
            }
            c => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push((row_line, row));
    }
    rows.into_iter()
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .collect()
}

fn is_header(cells: &[String]) -> bool {
    let first = cells
        .first()
        .map(|c| c.trim().to_lowercase())
        .unwrap_or_default();
    ["kode", "indikator", "no", "nomor", "code"]
        .iter()
        .any(|h| first.starts_with(h))
        && cells
            .get(1)
            .is_some_and(|c| Ratio::parse(&c.trim().replace(',', ".")).is_err())
}

/// Checks the rows of a result file against a framework: unknown codes, levels that are not a
/// number or outside 1–5, and duplicate codes are named per row. A first row that looks like a
/// header (`kode;level;catatan`) is skipped.
pub fn check_rows(f: &Framework, rows: &[(usize, Vec<String>)]) -> Vec<ImportRow> {
    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, (line, cells)) in rows.iter().enumerate() {
        if i == 0 && is_header(cells) {
            continue;
        }
        let cell = |k: usize| {
            cells
                .get(k)
                .map(|c| c.trim().to_string())
                .unwrap_or_default()
        };
        let code = cell(0);
        // "I7" and "i7", "07" and "7" are the same code.
        let code = f
            .indicators
            .iter()
            .find(|ind| {
                ind.code.eq_ignore_ascii_case(&code)
                    || code.trim_start_matches('0') == ind.code && !code.is_empty()
            })
            .map(|ind| ind.code.clone())
            .unwrap_or(code);
        let level_text = cell(1);
        let mut row = ImportRow {
            line: *line,
            code: code.clone(),
            level: None,
            note: cell(2),
            problem: None,
        };
        if code.is_empty() {
            row.problem = Some("Kode indikator kosong.".into());
        } else if f.indicator_position(&code).is_none() {
            row.problem = Some(format!(
                "Kode indikator '{code}' tidak ada pada kerangka {}.",
                f.name
            ));
        } else {
            match Ratio::parse(&level_text.replace(',', ".")) {
                Err(_) if level_text.is_empty() => {
                    row.problem = Some("Level kosong.".into());
                }
                Err(_) => row.problem = Some(format!("Level '{level_text}' bukan angka.")),
                Ok(l) if l < Ratio::from_int(1) || l > Ratio::from_int(5) => {
                    row.problem = Some(format!("Level '{level_text}' di luar rentang 1 sampai 5."));
                }
                // The same cap as a level typed in the app: exact, but not absurdly precise.
                Ok(l) if l.denom() > 1_000_000 => {
                    row.problem = Some(format!(
                        "Level '{level_text}' terlalu presisi; gunakan paling banyak enam desimal."
                    ));
                }
                Ok(l) => row.level = Some(l),
            }
            if let Some(first) = seen.get(&code) {
                row.problem = Some(format!(
                    "Indikator '{code}' sudah ada di baris {first}; satu indikator satu baris."
                ));
            } else {
                seen.insert(code.clone(), *line);
            }
        }
        out.push(row);
    }
    out
}

/// The indicators of the framework no row speaks of.
pub fn missing_codes(f: &Framework, rows: &[ImportRow]) -> Vec<String> {
    f.indicators
        .iter()
        .filter(|i| !rows.iter().any(|r| r.code == i.code))
        .map(|i| i.code.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::BUILTIN_PACKS;

    fn pemdi() -> Framework {
        Framework::from_json(BUILTIN_PACKS[1]).unwrap()
    }

    #[test]
    fn csv_with_semicolons_quotes_and_a_bom_is_read() {
        let text = "\u{feff}kode;level;catatan\r\nI1;4;\"Catatan; dengan titik koma\"\r\nI2;3,5;\"kata \"\"kutip\"\"\"\r\n\r\n";
        let rows = parse_csv(text);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].1, ["I1", "4", "Catatan; dengan titik koma"]);
        assert_eq!(rows[2].0, 3);
        assert_eq!(rows[2].1[2], "kata \"kutip\"");
        let checked = check_rows(&pemdi(), &rows);
        assert_eq!(checked.len(), 2, "the header is skipped");
        assert_eq!(checked[1].level, Some(Ratio::new(7, 2).unwrap()));
        assert!(checked.iter().all(|r| r.problem.is_none()));
    }

    #[test]
    fn every_problem_row_is_named_with_its_line() {
        let text = "I1,4\nI99,3\nI2,enam\nI3,6\ni1,5\n,3\nI4,\nI5,3.3333333333333333\n";
        let rows = check_rows(&pemdi(), &parse_csv(text));
        let problems: Vec<(usize, &str)> = rows
            .iter()
            .map(|r| (r.line, r.problem.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(problems[0], (1, ""));
        assert!(problems[1].1.contains("'I99'") && problems[1].0 == 2);
        assert!(problems[2].1.contains("bukan angka"));
        assert!(problems[3].1.contains("di luar rentang"));
        assert!(
            problems[4].1.contains("baris 1"),
            "i1 is I1 again: {:?}",
            problems[4]
        );
        assert!(problems[5].1.contains("kosong"));
        assert!(problems[6].1.contains("Level kosong"));
        assert!(
            problems[7].1.contains("terlalu presisi"),
            "{:?}",
            problems[7]
        );
        let missing = missing_codes(&pemdi(), &rows);
        assert_eq!(missing.len(), 20 - 5);
    }

    #[test]
    fn a_multiline_quoted_note_keeps_the_row_number_of_its_start() {
        let rows = parse_csv("I1,4,\"baris satu\nbaris dua\"\nI2,3\n");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].1[2], "baris satu\nbaris dua");
        assert_eq!(rows[1].0, 3);
    }
}
