//! Exact non-negative rational numbers for weights, levels and indices.
//!
//! Why not `f64`: 4.765 is 4.7649999… in binary floating point and rounds the wrong way, and the
//! official results round half-up on the exact value (FRAMEWORKS.md §1). Every quantity the
//! regulation counts is a ratio of small integers, so `i128` numerators and denominators are
//! exact and far from overflow (weights are at most 10 000 units, levels at most 5).

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;

/// An exact rational `num / den`, always reduced, `den > 0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RatioWire", into = "RatioWire")]
pub struct Ratio {
    num: i128,
    den: i128,
}

/// Wire form: `[num, den]`, validated on the way in.
#[derive(Serialize, Deserialize)]
struct RatioWire(i128, i128);

impl TryFrom<RatioWire> for Ratio {
    type Error = String;
    fn try_from(w: RatioWire) -> Result<Self, Self::Error> {
        Ratio::new(w.0, w.1).ok_or_else(|| "penyebut nol".to_string())
    }
}

impl From<Ratio> for RatioWire {
    fn from(r: Ratio) -> Self {
        RatioWire(r.num, r.den)
    }
}

/// Greatest common divisor (non-negative).
pub fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

/// Why a text could not be read as an exact number.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("'{0}' is not a number")]
    NotANumber(String),
    #[error("'{0}' has more than {1} decimals")]
    TooManyDecimals(String, u32),
    #[error("'{0}' has a zero denominator")]
    ZeroDenominator(String),
}

impl Ratio {
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };

    /// `num / den`, reduced; `None` for a zero denominator.
    pub fn new(num: i128, den: i128) -> Option<Ratio> {
        if den == 0 {
            return None;
        }
        let (num, den) = if den < 0 { (-num, -den) } else { (num, den) };
        let g = gcd(num, den).max(1);
        Some(Ratio {
            num: num / g,
            den: den / g,
        })
    }

    pub fn from_int(n: i128) -> Ratio {
        Ratio { num: n, den: 1 }
    }

    pub fn numer(&self) -> i128 {
        self.num
    }

    pub fn denom(&self) -> i128 {
        self.den
    }

    pub fn is_integer(&self) -> bool {
        self.den == 1
    }

    /// Reads a plain decimal (`3`, `3.5`, `0.125`) with at most `max_decimals` decimals.
    pub fn parse_decimal(text: &str, max_decimals: u32) -> Result<Ratio, NumberError> {
        let t = text.trim();
        let bad = || NumberError::NotANumber(text.to_string());
        let (neg, body) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(bad());
        }
        if !int_part.chars().all(|c| c.is_ascii_digit())
            || !frac_part.chars().all(|c| c.is_ascii_digit())
            || (body.contains('.') && frac_part.is_empty())
            || int_part.len() > 18
        {
            return Err(bad());
        }
        let frac_trimmed = frac_part.trim_end_matches('0');
        if frac_trimmed.len() as u32 > max_decimals {
            return Err(NumberError::TooManyDecimals(text.to_string(), max_decimals));
        }
        let scale = 10i128.pow(frac_trimmed.len() as u32);
        let ip: i128 = if int_part.is_empty() {
            0
        } else {
            int_part.parse().map_err(|_| bad())?
        };
        let fp: i128 = if frac_trimmed.is_empty() {
            0
        } else {
            frac_trimmed.parse().map_err(|_| bad())?
        };
        let num = ip * scale + fp;
        Ratio::new(if neg { -num } else { num }, scale).ok_or_else(bad)
    }

    /// Reads a decimal (`3.5`, up to 18 decimals, e.g. a printed float) or a fraction (`7/6`).
    pub fn parse(text: &str) -> Result<Ratio, NumberError> {
        match text.split_once('/') {
            Some((n, d)) => {
                let bad = || NumberError::NotANumber(text.to_string());
                let n = n.trim();
                let d = d.trim();
                let ok = |s: &str| {
                    !s.is_empty() && s.len() <= 18 && s.chars().all(|c| c.is_ascii_digit())
                };
                if !ok(n) || !ok(d) {
                    return Err(bad());
                }
                let n: i128 = n.parse().map_err(|_| bad())?;
                let d: i128 = d.parse().map_err(|_| bad())?;
                Ratio::new(n, d).ok_or_else(|| NumberError::ZeroDenominator(text.to_string()))
            }
            None => Ratio::parse_decimal(text, 18),
        }
    }

    /// Exact sum; `None` if the common denominator would overflow (absurdly precise inputs).
    pub fn plus(self, other: Ratio) -> Option<Ratio> {
        let g = gcd(self.den, other.den).max(1);
        let den = (self.den / g).checked_mul(other.den)?;
        let a = self.num.checked_mul(den / self.den)?;
        let b = other.num.checked_mul(den / other.den)?;
        Ratio::new(a.checked_add(b)?, den)
    }

    /// Exact product with an integer (a weight); `None` on overflow.
    pub fn mul_int(self, k: i128) -> Option<Ratio> {
        Ratio::new(self.num.checked_mul(k)?, self.den)
    }

    /// Exact quotient by a non-zero integer (a weight); `None` for zero or on overflow.
    pub fn div_int(self, k: i128) -> Option<Ratio> {
        Ratio::new(self.num, self.den.checked_mul(k)?)
    }

    /// `self * 10^decimals`, rounded half-up (half away from zero) to an integer.
    pub fn round_half_up(self, decimals: u32) -> i128 {
        let scaled_num = self.num * 10i128.pow(decimals);
        let (q, r) = (
            scaled_num.div_euclid(self.den),
            scaled_num.rem_euclid(self.den),
        );
        if self.num >= 0 {
            if 2 * r >= self.den {
                q + 1
            } else {
                q
            }
        } else if 2 * r > self.den {
            q + 1
        } else {
            q
        }
    }

    /// `self * 10^decimals`, rounded half to even (banker's rounding).
    pub fn round_half_even(self, decimals: u32) -> i128 {
        let scaled_num = self.num * 10i128.pow(decimals);
        let (q, r) = (
            scaled_num.div_euclid(self.den),
            scaled_num.rem_euclid(self.den),
        );
        match (2 * r).cmp(&self.den) {
            Ordering::Less => q,
            Ordering::Greater => q + 1,
            Ordering::Equal => {
                if q % 2 == 0 {
                    q
                } else {
                    q + 1
                }
            }
        }
    }

    /// The exact value as a terminating decimal (at least two decimals), or `p/q` when the
    /// decimal expansion does not terminate.
    pub fn to_exact_string(self) -> String {
        let mut d = self.den;
        let mut decimals = 0u32;
        while d % 10 == 0 {
            d /= 10;
            decimals += 1;
        }
        let mut twos = 0u32;
        while d % 2 == 0 {
            d /= 2;
            twos += 1;
        }
        let mut fives = 0u32;
        while d % 5 == 0 {
            d /= 5;
            fives += 1;
        }
        if d != 1 {
            return format!("{}/{}", self.num, self.den);
        }
        let total = (decimals + twos.max(fives)).max(2);
        let scaled = self.num * 10i128.pow(total) / self.den;
        let mut s = format_scaled(scaled, total, '.');
        // Trim zeros beyond the second decimal.
        while s.ends_with('0') && s.len() - s.find('.').unwrap_or(0) > 3 {
            s.pop();
        }
        s
    }
}

/// Formats an integer holding `value * 10^decimals` with the given decimal separator.
pub fn format_scaled(scaled: i128, decimals: u32, sep: char) -> String {
    let neg = scaled < 0;
    let abs = scaled.unsigned_abs();
    let p = 10u128.pow(decimals);
    let int = abs / p;
    let frac = abs % p;
    let sign = if neg { "-" } else { "" };
    if decimals == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}{sep}{frac:0width$}", width = decimals as usize)
    }
}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ratio {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.num * other.den).cmp(&(other.num * self.den))
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_exact_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i128, d: i128) -> Ratio {
        Ratio::new(n, d).unwrap()
    }

    #[test]
    fn fractions_are_kept_reduced() {
        assert_eq!(r(10, 20), r(1, 2));
        assert_eq!(r(-3, -6), r(1, 2));
        assert_eq!(r(3, -6).numer(), -1);
    }

    #[test]
    fn decimals_parse_exactly() {
        assert_eq!(Ratio::parse_decimal("1.30", 2).unwrap(), r(13, 10));
        assert_eq!(Ratio::parse_decimal("16.5", 2).unwrap(), r(33, 2));
        assert_eq!(Ratio::parse_decimal("4.765", 4).unwrap(), r(4765, 1000));
        assert_eq!(Ratio::parse_decimal(".5", 2).unwrap(), r(1, 2));
    }

    #[test]
    fn malformed_numbers_are_refused() {
        for bad in ["", "abc", "1.2.3", "1.", "1e3", "--1", " . "] {
            assert!(Ratio::parse_decimal(bad, 4).is_err(), "{bad}");
        }
        assert!(matches!(
            Ratio::parse_decimal("1.234", 2),
            Err(NumberError::TooManyDecimals(_, 2))
        ));
        assert!(matches!(
            Ratio::parse("7/0"),
            Err(NumberError::ZeroDenominator(_))
        ));
        assert!(Ratio::parse("7/-6").is_err());
    }

    #[test]
    fn fractions_parse() {
        assert_eq!(Ratio::parse("7/6").unwrap(), r(7, 6));
        assert_eq!(Ratio::parse("2").unwrap(), r(2, 1));
    }

    #[test]
    fn half_up_rounds_ties_upward_where_binary_floats_would_not() {
        assert_eq!(r(4765, 1000).round_half_up(2), 477);
        assert_eq!(r(34985, 10000).round_half_up(2), 350);
        assert_eq!(r(34984, 10000).round_half_up(2), 350);
        assert_eq!(r(34949, 10000).round_half_up(2), 349);
        assert_eq!(r(7, 6).round_half_up(2), 117);
    }

    #[test]
    fn half_even_rounds_ties_to_even() {
        assert_eq!(r(4765, 1000).round_half_even(2), 476);
        assert_eq!(r(4775, 1000).round_half_even(2), 478);
    }

    #[test]
    fn exact_strings_terminate_or_show_a_fraction() {
        assert_eq!(r(34985, 10000).to_exact_string(), "3.4985");
        assert_eq!(r(4, 1).to_exact_string(), "4.00");
        assert_eq!(r(1, 2).to_exact_string(), "0.50");
        assert_eq!(r(7, 6).to_exact_string(), "7/6");
    }

    #[test]
    fn ordering_is_exact() {
        assert!(r(1, 3) < r(34, 100));
        assert!(r(42, 10) == r(21, 5));
        assert_eq!(r(1, 6).plus(r(1, 3)), Some(r(1, 2)));
        assert_eq!(r(1, i128::MAX).plus(r(1, i128::MAX - 1)), None);
    }

    #[test]
    fn scaled_integers_format_with_a_comma_for_indonesian() {
        assert_eq!(format_scaled(432, 2, ','), "4,32");
        assert_eq!(format_scaled(5, 2, '.'), "0.05");
    }
}
