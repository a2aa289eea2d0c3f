//! The rules of the REST API as plain Rust: token scopes and format, pagination, the per-token
//! rate limit. Unit-tested here; the handlers in `v1.rs` only apply them.

use serde::{Deserialize, Serialize};

/// What a personal API token may do. A write token may also read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Read,
    Write,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        match s {
            "read" => Some(Scope::Read),
            "write" => Some(Scope::Write),
            _ => None,
        }
    }

    /// Whether a token of this scope may do what `needed` asks.
    pub fn allows(self, needed: Scope) -> bool {
        self == Scope::Write || needed == Scope::Read
    }

    /// The Indonesian label of the UI.
    pub fn label(self) -> &'static str {
        match self {
            Scope::Read => "Baca saja",
            Scope::Write => "Baca dan tulis",
        }
    }
}

/// Every token starts with this, so a leaked one is recognisable (e.g. by secret scanners).
pub const TOKEN_PREFIX: &str = "sng_";

/// Whether a presented token has the shape of ours (prefix + 64 hex digits); anything else is
/// refused without a database lookup.
pub fn well_formed(token: &str) -> bool {
    token
        .strip_prefix(TOKEN_PREFIX)
        .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A token's name, as the user gave it: 1–80 characters after trimming.
pub fn check_name(name: &str) -> Result<String, String> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > 80 {
        return Err("Nama token harus 1–80 karakter.".into());
    }
    if n.chars().any(|c| c.is_control()) {
        return Err("Nama token tidak boleh memuat karakter kendali.".into());
    }
    Ok(n.to_string())
}

pub const DEFAULT_PER_PAGE: u32 = 50;
pub const MAX_PER_PAGE: u32 = 200;

/// A requested page of a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

/// Reads `page` (from 1) and `per_page` (1–200, default 50); a value out of range is an error
/// that says which and why.
pub fn page_request(page: Option<&str>, per_page: Option<&str>) -> Result<PageRequest, String> {
    let num = |v: Option<&str>, name: &str, default: u32, max: u32| -> Result<u32, String> {
        match v {
            None => Ok(default),
            Some(s) => match s.trim().parse::<u32>() {
                Ok(n) if n >= 1 && n <= max => Ok(n),
                _ => Err(format!("{name} harus bilangan bulat 1–{max}.")),
            },
        }
    };
    Ok(PageRequest {
        page: num(page, "page", 1, 1_000_000)?,
        per_page: num(per_page, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)?,
    })
}

impl PageRequest {
    /// The slice of `items` this page holds (empty past the end).
    pub fn slice<T: Clone>(&self, items: &[T]) -> Vec<T> {
        let start = (self.page as usize - 1).saturating_mul(self.per_page as usize);
        items
            .iter()
            .skip(start)
            .take(self.per_page as usize)
            .cloned()
            .collect()
    }
}

/// Requests a token may make per minute.
pub const RATE_PER_MINUTE: u32 = 120;

/// A fixed one-minute window per token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Window {
    pub minute: i64,
    pub used: u32,
}

/// The outcome of one request against a window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateDecision {
    Allowed {
        remaining: u32,
    },
    /// Refused; try again after this many seconds.
    Limited {
        retry_after: i64,
    },
}

/// Counts one request at `now` (Unix seconds) against `w`, with `limit` per minute.
pub fn take(w: &mut Window, now: i64, limit: u32) -> RateDecision {
    let minute = now.div_euclid(60);
    if w.minute != minute {
        *w = Window { minute, used: 0 };
    }
    if w.used >= limit {
        return RateDecision::Limited {
            retry_after: (minute + 1) * 60 - now,
        };
    }
    w.used += 1;
    RateDecision::Allowed {
        remaining: limit - w.used,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_token_reads_and_a_write_token_does_both() {
        assert!(Scope::Read.allows(Scope::Read));
        assert!(!Scope::Read.allows(Scope::Write));
        assert!(Scope::Write.allows(Scope::Read));
        assert!(Scope::Write.allows(Scope::Write));
        assert_eq!(Scope::parse("write"), Some(Scope::Write));
        assert_eq!(Scope::parse("admin"), None);
        assert_eq!(Scope::parse(Scope::Read.as_str()), Some(Scope::Read));
    }

    #[test]
    fn only_our_token_shape_is_looked_up() {
        let good = format!("sng_{}", "ab12".repeat(16));
        assert!(well_formed(&good));
        assert!(!well_formed(&good[..good.len() - 1]));
        assert!(!well_formed(&format!("sng_{}", "zz".repeat(32))));
        assert!(!well_formed(&good.replace("sng_", "abc_")));
        assert!(!well_formed(""));
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(check_name("  Dasbor Provinsi ").unwrap(), "Dasbor Provinsi");
        assert!(check_name("   ").is_err());
        assert!(check_name(&"x".repeat(81)).is_err());
        assert!(check_name("a\u{0}b").is_err());
    }

    #[test]
    fn pages_are_bounded_and_slice_the_list() {
        assert_eq!(
            page_request(None, None).unwrap(),
            PageRequest {
                page: 1,
                per_page: 50
            }
        );
        assert!(page_request(Some("0"), None).unwrap_err().contains("page"));
        assert!(page_request(None, Some("201"))
            .unwrap_err()
            .contains("per_page"));
        assert!(page_request(Some("-1"), None).is_err());
        assert!(page_request(Some("dua"), None).is_err());
        let items: Vec<u32> = (1..=47).collect();
        let p = page_request(Some("3"), Some("20")).unwrap();
        assert_eq!(p.slice(&items), (41..=47).collect::<Vec<_>>());
        let past = page_request(Some("9"), Some("20")).unwrap();
        assert!(past.slice(&items).is_empty());
    }

    #[test]
    fn the_window_allows_the_limit_then_says_when_to_retry() {
        let mut w = Window::default();
        // 10 s into a minute.
        let t0 = 1_800_000_000 + 10;
        for i in 0..3 {
            assert_eq!(
                take(&mut w, t0, 3),
                RateDecision::Allowed { remaining: 2 - i }
            );
        }
        assert_eq!(
            take(&mut w, t0 + 5, 3),
            RateDecision::Limited { retry_after: 45 }
        );
        // The next minute starts afresh.
        assert_eq!(
            take(&mut w, t0 + 50, 3),
            RateDecision::Allowed { remaining: 2 }
        );
    }
}
