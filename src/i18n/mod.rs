//! Interface language: Bahasa Indonesia first, English selectable per user.
//!
//! Strings are written in Indonesian in the views and looked up with [`t`]: the Indonesian text is
//! its own key (gettext style), so a page reads naturally in the source and English comes from
//! [`catalog::CATALOG`]. A unit test reads every `t(l, "…")` in `src/` and fails on a text the
//! catalogue lacks, on an empty or duplicate entry, and on an entry nothing uses.
//!
//! The language travels in the `sinergi_bahasa` cookie (set at sign-in from the user's saved
//! choice, and by the switch in the footer). The server renders `<html lang="…">` from it and the
//! browser reads that attribute back when it hydrates, so both sides render the same words.

pub mod catalog;
pub mod catalog_api;
pub mod catalog_assessment;
pub mod catalog_boards;
pub mod catalog_cycles;
pub mod catalog_evidence;

/// Every part of the English catalogue (one per feature area, so they can grow independently).
pub const PARTS: &[&[(&str, &str)]] = &[
    catalog::CATALOG,
    catalog_api::CATALOG,
    catalog_assessment::CATALOG,
    catalog_boards::CATALOG,
    catalog_cycles::CATALOG,
    catalog_evidence::CATALOG,
];

fn entries() -> impl Iterator<Item = (&'static str, &'static str)> {
    PARTS.iter().flat_map(|p| p.iter().copied())
}

use serde::{Deserialize, Serialize};

pub const LANG_COOKIE: &str = "sinergi_bahasa";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    /// `en…` is English; anything else is Indonesian, the default.
    pub fn parse(s: &str) -> Lang {
        if s.trim().to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Id
        }
    }

    /// The name of the language in itself, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Id => "Bahasa Indonesia",
            Lang::En => "English",
        }
    }
}

fn english() -> &'static std::collections::HashMap<&'static str, &'static str> {
    static MAP: std::sync::OnceLock<std::collections::HashMap<&'static str, &'static str>> =
        std::sync::OnceLock::new();
    MAP.get_or_init(|| entries().collect())
}

/// The text `id` (Indonesian, the key) in language `l`. A text missing from the catalogue shows in
/// Indonesian (and fails the catalogue test).
pub fn t(l: Lang, id: &'static str) -> &'static str {
    match l {
        Lang::Id => id,
        Lang::En => english().get(id).copied().unwrap_or(id),
    }
}

/// A number as the server formats it for Indonesian readers (`4,32`, `1.234`) in language `l`
/// (`4.32`, `1,234`): the decimal and grouping marks trade places.
pub fn num(l: Lang, id_text: &str) -> String {
    match l {
        Lang::Id => id_text.to_string(),
        Lang::En => id_text
            .chars()
            .map(|c| match c {
                ',' => '.',
                '.' => ',',
                c => c,
            })
            .collect(),
    }
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A Unix time as a date in WIB: `29 November 2026` in Indonesian, `29 November 2026` with
/// English month names in English.
pub fn date(l: Lang, unix_seconds: i64) -> String {
    match l {
        Lang::Id => crate::format::date_id(unix_seconds),
        Lang::En => {
            let days = (unix_seconds + 7 * 3600).div_euclid(86_400);
            let (y, m, d) = crate::format::civil_from_days(days);
            format!("{d} {} {y}", MONTHS_EN[(m - 1) as usize])
        }
    }
}

/// A Unix time with the time of day in WIB (`29 November 2026 07.05 WIB` / `… 07:05 WIB`).
pub fn datetime(l: Lang, unix_seconds: i64) -> String {
    let secs = (unix_seconds + 7 * 3600).rem_euclid(86_400);
    let sep = if l == Lang::Id { '.' } else { ':' };
    format!(
        "{} {:02}{sep}{:02} WIB",
        date(l, unix_seconds),
        secs / 3600,
        (secs % 3600) / 60
    )
}

/// An ISO date (`2026-12-15`) as words, or the text unchanged when it is not one.
pub fn iso_date(l: Lang, iso: &str) -> String {
    match crate::boards::rules::days_of(iso) {
        Some(days) => date(l, days * 86_400),
        None => iso.to_string(),
    }
}

/// The language of the page being rendered: from the cookie on the server, from `<html lang>`
/// in the browser (which the server wrote from the same cookie).
pub fn current() -> Lang {
    #[cfg(feature = "ssr")]
    {
        if let Some(parts) = leptos::prelude::use_context::<http::request::Parts>() {
            return from_headers(&parts.headers);
        }
        Lang::Id
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        {
            let lang = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
                .and_then(|e| e.get_attribute("lang"));
            if let Some(lang) = lang {
                return Lang::parse(&lang);
            }
        }
        Lang::Id
    }
}

/// The language cookie of a request.
#[cfg(feature = "ssr")]
pub fn from_headers(headers: &http::HeaderMap) -> Lang {
    crate::auth::ssr::cookie_value(headers, LANG_COOKIE)
        .map(|v| Lang::parse(&v))
        .unwrap_or_default()
}

/// `Set-Cookie` for the language (a year; not secret, so readable by scripts is harmless).
#[cfg(feature = "ssr")]
pub fn cookie(l: Lang) -> String {
    format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        l.code()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_follow_the_language() {
        assert_eq!(num(Lang::Id, "4,32"), "4,32");
        assert_eq!(num(Lang::En, "4,32"), "4.32");
        assert_eq!(num(Lang::En, "1.234,5"), "1,234.5");
        // 2026-11-29T00:00:00Z
        assert_eq!(date(Lang::Id, 1_795_910_400), "29 November 2026");
        assert_eq!(date(Lang::En, 1_795_910_400), "29 November 2026");
        // 2026-03-01 (days since epoch 20513)
        assert_eq!(date(Lang::Id, 20_513 * 86_400), "1 Maret 2026");
        assert_eq!(date(Lang::En, 20_513 * 86_400), "1 March 2026");
        assert_eq!(
            datetime(Lang::En, 1_795_910_700),
            "29 November 2026 07:05 WIB"
        );
        assert_eq!(
            datetime(Lang::Id, 1_795_910_700),
            "29 November 2026 07.05 WIB"
        );
        assert_eq!(iso_date(Lang::Id, "2026-12-15"), "15 Desember 2026");
        assert_eq!(iso_date(Lang::En, "bukan tanggal"), "bukan tanggal");
    }

    #[test]
    fn a_known_text_is_translated_and_an_unknown_one_stays_indonesian() {
        assert_eq!(t(Lang::Id, "Dasbor"), "Dasbor");
        assert_eq!(t(Lang::En, "Dasbor"), "Dashboard");
        assert_eq!(Lang::parse("en-US"), Lang::En);
        assert_eq!(Lang::parse("id"), Lang::Id);
        assert_eq!(Lang::parse(""), Lang::Id);
    }

    /// Every `t(l, "…")` in the source: the Indonesian texts the views ask for.
    fn used_texts() -> Vec<(String, String)> {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push(p);
                }
            }
        }
        let mut files = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let mut used = Vec::new();
        for f in files {
            if f.parent().is_some_and(|d| d.ends_with("i18n")) {
                continue;
            }
            let text = std::fs::read_to_string(&f).unwrap();
            // `t(l, "…")`, also when rustfmt breaks it over lines: `t(\n    l,\n    "…")`.
            let bytes = text.as_bytes();
            let mut i = 0;
            let mut calls = Vec::new();
            while let Some(off) = text[i..].find("t(") {
                let at = i + off;
                i = at + 2;
                // `t(` must start a call, not end a longer name such as `part(`.
                if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
                    continue;
                }
                let rest = text[i..].trim_start();
                let Some(rest) = rest.strip_prefix('l') else {
                    continue;
                };
                let Some(rest) = rest.trim_start().strip_prefix(',') else {
                    continue;
                };
                let Some(rest) = rest.trim_start().strip_prefix('"') else {
                    continue;
                };
                calls.push(rest);
            }
            for rest in calls {
                let mut s = String::new();
                let mut chars = rest.chars();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some(n) = chars.next() {
                                s.push(match n {
                                    'n' => '\n',
                                    other => other,
                                });
                            }
                        }
                        '"' => break,
                        c => s.push(c),
                    }
                }
                used.push((s, f.display().to_string()));
            }
        }
        used
    }

    /// Texts the views translate from a variable: labels of stages, statuses, milestones, roles,
    /// document types.
    fn dynamic_texts() -> Vec<&'static str> {
        let mut v: Vec<&'static str> = Vec::new();
        v.extend(crate::assessment::Stage::ALL.iter().map(|s| s.label()));
        v.extend(crate::leadership::WorkStatus::ALL.iter().map(|s| s.label()));
        v.extend(crate::cycles::MILESTONES.iter().map(|(_, l)| *l));
        v.push("Tenggat");
        v.extend(crate::auth::Role::ALL.iter().map(|r| r.label()));
        v.extend(crate::evidence::rules::DOC_TYPES.iter().map(|(_, l)| *l));
        v.extend(
            [
                crate::api::rules::Scope::Read,
                crate::api::rules::Scope::Write,
            ]
            .map(|s| s.label()),
        );
        v
    }

    #[test]
    fn every_text_the_views_use_has_an_english_translation() {
        let mut used = used_texts();
        used.extend(
            dynamic_texts()
                .into_iter()
                .map(|s| (s.to_string(), "label".to_string())),
        );
        assert!(
            used.len() > 100,
            "the scan found too few texts: {}",
            used.len()
        );
        let missing: Vec<_> = used
            .iter()
            .filter(|(s, _)| !english().contains_key(s.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "texts without an English translation: {missing:#?}"
        );
    }

    #[test]
    fn the_catalogue_has_no_empty_duplicate_or_unused_entries() {
        // A text may appear in two parts only with the same English.
        let mut seen = std::collections::HashMap::new();
        for (id, en) in entries() {
            assert!(
                !id.trim().is_empty() && !en.trim().is_empty(),
                "empty entry {id:?}"
            );
            if let Some(other) = seen.insert(id, en) {
                assert_eq!(other, en, "{id:?} has two translations");
            }
        }
        let mut used: std::collections::HashSet<String> =
            used_texts().into_iter().map(|(s, _)| s).collect();
        used.extend(dynamic_texts().into_iter().map(String::from));
        let unused: Vec<_> = entries().filter(|(id, _)| !used.contains(*id)).collect();
        assert!(
            unused.is_empty(),
            "catalogue entries nothing uses: {unused:#?}"
        );
    }
}
