//! The rules of the boards as plain Rust: who may do what, where a moved card lands, which
//! cards a filter keeps, due dates, labels and @mentions. Compiled for server and browser.

use crate::auth::Role;

/// Who may edit a card: koordinator and admin always; members of its lead or a contributing OPD
/// unless their role only reads (pimpinan, viewer).
pub fn may_edit_card(role: Role, my_opds: &[i64], lead: i64, contributors: &[i64]) -> bool {
    match role {
        Role::Admin | Role::Koordinator => true,
        Role::Pimpinan | Role::Viewer => false,
        Role::Opd | Role::Asesor => {
            my_opds.contains(&lead) || my_opds.iter().any(|o| contributors.contains(o))
        }
    }
}

/// Who may start a card led by `lead`: koordinator and admin for any OPD, a member for their own.
pub fn may_create_card(role: Role, my_opds: &[i64], lead: i64) -> bool {
    may_edit_card(role, my_opds, lead, &[])
}

/// Any signed-in user of the Pemda comments, except the read-only viewer.
pub fn may_comment(role: Role) -> bool {
    role != Role::Viewer
}

/// Boards and their columns are run by the koordinator (and admin).
pub fn may_manage_board(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Koordinator)
}

/// The order of a column after `card` is placed at `index` (clamped to the column's length).
/// The card is first taken out, wherever it was, so a move within a column works the same.
pub fn place(column: &[i64], card: i64, index: usize) -> Vec<i64> {
    let mut out: Vec<i64> = column.iter().copied().filter(|c| *c != card).collect();
    let at = index.min(out.len());
    out.insert(at, card);
    out
}

/// Usernames mentioned as `@name` in a comment, lowercased, once each, in order.
pub fn mentions(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let chars: Vec<char> = body.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i] == '@' && (i == 0 || !is_name_char(chars[i - 1]));
        if starts {
            let mut j = i + 1;
            while j < chars.len() && is_name_char(chars[j]) {
                j += 1;
            }
            let name: String = chars[i + 1..j].iter().collect::<String>();
            let name = name.trim_end_matches(['.', '-']).to_lowercase();
            if !name.is_empty() && !out.contains(&name) {
                out.push(name);
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

/// Labels from a comma-separated field: trimmed, lowercased, once each; each at most 30
/// characters and at most 10 of them.
pub fn parse_labels(text: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for l in text.split(',').map(|l| l.trim().to_lowercase()) {
        if l.is_empty() || out.contains(&l) {
            continue;
        }
        if l.chars().count() > 30 {
            return Err(format!(
                "Label '{l}' terlalu panjang (paling banyak 30 karakter)."
            ));
        }
        out.push(l);
    }
    if out.len() > 10 {
        return Err("Paling banyak 10 label per kartu.".into());
    }
    Ok(out)
}

/// A title: trimmed, 3 to 200 characters.
pub fn check_title(title: &str) -> Result<String, String> {
    let t = title.trim();
    match t.chars().count() {
        0 => Err("Judul kartu wajib diisi.".into()),
        1..=2 => Err("Judul kartu terlalu pendek (paling sedikit 3 karakter).".into()),
        201.. => Err("Judul kartu terlalu panjang (paling banyak 200 karakter).".into()),
        _ => Ok(t.to_string()),
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date, or `None` when it is not a real date.
pub fn days_of(date: &str) -> Option<i64> {
    let mut parts = date.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&m) || d == 0 {
        return None;
    }
    // Howard Hinnant's days_from_civil, the inverse of `format::civil_from_days`.
    let yy = if m <= 2 { y - 1 } else { y };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 } as i64;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    // Reject 31 February and friends: the round trip must give the same date.
    (crate::format::civil_from_days(days) == (y, m, d)).then_some(days)
}

/// `YYYY-MM-DD` of a day number.
pub fn iso_date(days: i64) -> String {
    let (y, m, d) = crate::format::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Today in WIB (UTC+7) as `YYYY-MM-DD`, from Unix seconds.
pub fn today_wib(unix_seconds: i64) -> String {
    iso_date((unix_seconds + 7 * 3600).div_euclid(86_400))
}

/// A due date field: empty for none, otherwise a real `YYYY-MM-DD` date.
pub fn check_due(text: &str) -> Result<Option<String>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    days_of(t)
        .map(|d| Some(iso_date(d)))
        .ok_or_else(|| format!("Tenggat '{t}' bukan tanggal yang valid (format TTTT-BB-HH)."))
}

/// How many days ahead a due date counts as "due soon".
pub const DUE_SOON_DAYS: i64 = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Due {
    /// No due date, or the card is finished.
    None,
    Later,
    /// Due today or within [`DUE_SOON_DAYS`].
    Soon,
    Overdue,
}

pub fn due_state(due: Option<&str>, done: bool, today: &str) -> Due {
    let (Some(due), Some(today)) = (due.and_then(days_of), days_of(today)) else {
        return Due::None;
    };
    if done {
        Due::None
    } else if due < today {
        Due::Overdue
    } else if due - today <= DUE_SOON_DAYS {
        Due::Soon
    } else {
        Due::Later
    }
}

/// What a card must have to stay on the board under a filter (all set fields must match).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Filter {
    /// An OPD code: lead or contributing.
    pub opd: Option<String>,
    pub indicator: Option<String>,
    pub assignee: Option<i64>,
    pub label: Option<String>,
    /// `segera` (due soon) or `lewat` (overdue).
    pub due: Option<String>,
}

impl Filter {
    /// From the query parameters of the board page; empty values mean "any".
    pub fn from_params(
        opd: &str,
        indicator: &str,
        assignee: &str,
        label: &str,
        due: &str,
    ) -> Filter {
        let some = |s: &str| {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_string())
        };
        Filter {
            opd: some(opd).map(|s| s.to_uppercase()),
            indicator: some(indicator),
            assignee: assignee.trim().parse().ok(),
            label: some(label).map(|s| s.to_lowercase()),
            due: some(due).filter(|d| d == "segera" || d == "lewat"),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }
}

/// The parts of a card a filter looks at.
pub struct Facts<'a> {
    pub lead: &'a str,
    pub opds: &'a [String],
    pub indicators: &'a [String],
    pub assignees: &'a [i64],
    pub labels: &'a [String],
    pub due: Due,
}

pub fn keeps(f: &Filter, c: &Facts) -> bool {
    f.opd
        .as_ref()
        .is_none_or(|o| c.lead == o || c.opds.contains(o))
        && f.indicator
            .as_ref()
            .is_none_or(|i| c.indicators.contains(i))
        && f.assignee.is_none_or(|a| c.assignees.contains(&a))
        && f.label.as_ref().is_none_or(|l| c.labels.contains(l))
        && f.due.as_deref().is_none_or(|d| match d {
            "segera" => c.due == Due::Soon,
            "lewat" => c.due == Due::Overdue,
            _ => true,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_of_the_lead_or_a_contributor_edit_readers_never() {
        assert!(may_edit_card(Role::Opd, &[3], 3, &[]));
        assert!(may_edit_card(Role::Opd, &[9], 3, &[4, 9]));
        assert!(!may_edit_card(Role::Opd, &[5], 3, &[4, 9]));
        assert!(may_edit_card(Role::Asesor, &[7], 3, &[7]));
        assert!(may_edit_card(Role::Koordinator, &[], 3, &[]));
        assert!(may_edit_card(Role::Admin, &[], 3, &[]));
        assert!(!may_edit_card(Role::Viewer, &[3], 3, &[]));
        assert!(!may_edit_card(Role::Pimpinan, &[3], 3, &[]));
        assert!(may_create_card(Role::Opd, &[3], 3));
        assert!(!may_create_card(Role::Opd, &[3], 4));
        assert!(may_comment(Role::Pimpinan) && !may_comment(Role::Viewer));
        assert!(may_manage_board(Role::Koordinator) && !may_manage_board(Role::Opd));
    }

    #[test]
    fn a_card_lands_where_it_was_dropped() {
        assert_eq!(place(&[1, 2, 3], 9, 1), vec![1, 9, 2, 3]);
        assert_eq!(place(&[1, 2, 3], 9, 99), vec![1, 2, 3, 9]);
        // Within a column: taken out first, then inserted.
        assert_eq!(place(&[1, 2, 3], 1, 2), vec![2, 3, 1]);
        assert_eq!(place(&[1, 2, 3], 3, 0), vec![3, 1, 2]);
        assert_eq!(place(&[], 4, 3), vec![4]);
    }

    #[test]
    fn mentions_are_usernames_after_an_at_sign() {
        assert_eq!(
            mentions("Mohon dicek @opd dan @Koordinator. Terima kasih @opd"),
            vec!["opd", "koordinator"]
        );
        assert_eq!(mentions("surel a@b.id bukan sebutan"), Vec::<String>::new());
        assert_eq!(mentions("@opd.dinkes, lihat"), vec!["opd.dinkes"]);
        assert_eq!(mentions("@"), Vec::<String>::new());
    }

    #[test]
    fn labels_titles_and_due_dates_are_checked() {
        assert_eq!(
            parse_labels(" Prioritas, data ,prioritas,").unwrap(),
            vec!["prioritas", "data"]
        );
        assert!(parse_labels(&"x".repeat(31)).is_err());
        assert!(
            parse_labels(&(0..11).map(|i| i.to_string()).collect::<Vec<_>>().join(",")).is_err()
        );
        assert_eq!(check_title("  Satu Data  ").unwrap(), "Satu Data");
        assert!(check_title(" ").is_err());
        assert!(check_title("ab").is_err());
        assert!(check_title(&"x".repeat(201)).is_err());
        assert_eq!(check_due("").unwrap(), None);
        assert_eq!(
            check_due("2026-12-01").unwrap().as_deref(),
            Some("2026-12-01")
        );
        assert!(check_due("2026-02-30").is_err());
        assert!(check_due("besok").is_err());
    }

    #[test]
    fn dates_round_trip_and_today_is_in_wib() {
        assert_eq!(days_of("1970-01-01"), Some(0));
        assert_eq!(
            days_of("2024-02-29").map(iso_date).as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(days_of("2023-02-29"), None);
        // 2026-11-29 17:30 UTC is already 30 November in Mojokerto.
        assert_eq!(today_wib(1_795_973_400), "2026-11-30");
        assert_eq!(today_wib(1_795_910_400), "2026-11-29");
    }

    #[test]
    fn due_soon_and_overdue() {
        let t = "2026-11-30";
        assert_eq!(due_state(Some("2026-11-29"), false, t), Due::Overdue);
        assert_eq!(due_state(Some("2026-11-30"), false, t), Due::Soon);
        assert_eq!(due_state(Some("2026-12-03"), false, t), Due::Soon);
        assert_eq!(due_state(Some("2026-12-04"), false, t), Due::Later);
        assert_eq!(due_state(Some("2026-11-01"), true, t), Due::None);
        assert_eq!(due_state(None, false, t), Due::None);
    }

    #[test]
    fn a_filter_keeps_cards_matching_every_field() {
        let opds = vec!["DISKOMINFO".to_string()];
        let inds = vec!["45".to_string()];
        let labels = vec!["prioritas".to_string()];
        let card = Facts {
            lead: "DINKES",
            opds: &opds,
            indicators: &inds,
            assignees: &[7],
            labels: &labels,
            due: Due::Overdue,
        };
        assert!(keeps(&Filter::default(), &card));
        assert!(keeps(
            &Filter::from_params("diskominfo", "", "", "", ""),
            &card
        ));
        assert!(keeps(
            &Filter::from_params("DINKES", "45", "7", "Prioritas", "lewat"),
            &card
        ));
        assert!(!keeps(
            &Filter::from_params("BAPPEDA", "", "", "", ""),
            &card
        ));
        assert!(!keeps(&Filter::from_params("", "1", "", "", ""), &card));
        assert!(!keeps(&Filter::from_params("", "", "8", "", ""), &card));
        assert!(!keeps(
            &Filter::from_params("", "", "", "", "segera"),
            &card
        ));
        // An unknown due value is ignored rather than hiding everything.
        assert!(Filter::from_params("", "", "", "", "kemarin").is_empty());
    }
}
