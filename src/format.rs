//! Display formatting at the edge, for Indonesian readers: 4,32 and 29 November 2026.

use crate::scoring::ratio::format_scaled;

/// A published index (scaled by `10^decimals`) with a decimal comma.
pub fn index_id(scaled: i128, decimals: u32) -> String {
    format_scaled(scaled, decimals, ',')
}

const MONTHS: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm), so no date crate is
/// needed in the browser bundle.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A Unix timestamp in seconds as an Indonesian date, e.g. `29 November 2026` (UTC+7, WIB).
pub fn date_id(unix_seconds: i64) -> String {
    let days = (unix_seconds + 7 * 3600).div_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!("{d} {} {y}", MONTHS[(m - 1) as usize])
}

/// A Unix timestamp with the time of day in WIB, e.g. `29 November 2026 07.05 WIB`.
pub fn datetime_id(unix_seconds: i64) -> String {
    let secs = (unix_seconds + 7 * 3600).rem_euclid(86_400);
    format!(
        "{} {:02}.{:02} WIB",
        date_id(unix_seconds),
        secs / 3600,
        (secs % 3600) / 60
    )
}

/// A level for display: `4`, `4,5`, or an exact fraction such as `7/6`.
pub fn level_id(level: crate::scoring::ratio::Ratio) -> String {
    let s = level.to_exact_string();
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    s.replace('.', ",")
}

/// A byte count for people: `512 B`, `12,3 KB`, `4,0 MB`.
pub fn bytes_id(n: i64) -> String {
    if n < 1024 {
        return format!("{n} B");
    }
    let (v, unit) = if n < 1024 * 1024 {
        (n as f64 / 1024.0, "KB")
    } else {
        (n as f64 / (1024.0 * 1024.0), "MB")
    };
    format!("{v:.1} {unit}").replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_levels_and_sizes_read_the_indonesian_way() {
        // 2026-11-29 00:05 UTC is 07.05 WIB the same day.
        assert_eq!(datetime_id(1_795_910_700), "29 November 2026 07.05 WIB");
        let r = crate::scoring::ratio::Ratio::new(9, 2).unwrap();
        assert_eq!(level_id(r), "4,5");
        assert_eq!(bytes_id(512), "512 B");
        assert_eq!(bytes_id(20 * 1024 * 1024), "20,0 MB");
    }

    #[test]
    fn an_index_uses_a_decimal_comma() {
        assert_eq!(index_id(432, 2), "4,32");
        assert_eq!(index_id(100, 2), "1,00");
    }

    #[test]
    fn dates_are_written_the_indonesian_way() {
        // 2026-11-29T00:00:00Z
        assert_eq!(date_id(1_795_910_400), "29 November 2026");
        assert_eq!(date_id(0), "1 Januari 1970");
        // 23:30 UTC on 31 December is already 1 January in WIB.
        assert_eq!(date_id(1_798_759_800), "1 Januari 2027");
    }
}
