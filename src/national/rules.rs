//! Summarising the national roll-up: plain Rust, unit-tested.

use serde::{Deserialize, Serialize};

/// Counts and the mean over the instansi with a headline index.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub instansi: usize,
    /// Instansi whose current cycle has a complete stage (so a headline index).
    pub scored: usize,
    /// The mean headline index in hundredths, rounded half up (exact integer arithmetic).
    pub mean_hundredths: Option<i64>,
    /// (predicate, how many instansi), in the order given.
    pub by_predicate: Vec<(String, usize)>,
}

/// Summarises (headline in hundredths, predicate) per instansi; `predicates` fixes the order
/// of the counts (best first), and a predicate outside it is counted after them.
pub fn summarise(rows: &[(Option<i64>, Option<String>)], predicates: &[&str]) -> Summary {
    let scored: Vec<i64> = rows.iter().filter_map(|r| r.0).collect();
    let mean_hundredths = (!scored.is_empty()).then(|| {
        let sum: i128 = scored.iter().map(|v| *v as i128).sum();
        let n = scored.len() as i128;
        // Half up for a non-negative mean: (2·sum + n) div (2·n).
        ((2 * sum + n) / (2 * n)) as i64
    });
    let mut by_predicate: Vec<(String, usize)> =
        predicates.iter().map(|p| (p.to_string(), 0)).collect();
    for p in rows.iter().filter_map(|r| r.1.as_ref()) {
        match by_predicate.iter_mut().find(|(name, _)| name == p) {
            Some(entry) => entry.1 += 1,
            None => by_predicate.push((p.clone(), 1)),
        }
    }
    Summary {
        instansi: rows.len(),
        scored: scored.len(),
        mean_hundredths,
        by_predicate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mean_is_exact_and_rounds_half_up() {
        let rows = vec![
            (Some(432), Some("Memuaskan".to_string())),
            (Some(292), Some("Baik".to_string())),
            (Some(351), Some("Sangat Baik".to_string())),
            (None, None),
        ];
        let s = summarise(
            &rows,
            &["Memuaskan", "Sangat Baik", "Baik", "Cukup", "Kurang"],
        );
        assert_eq!((s.instansi, s.scored), (4, 3));
        // (432 + 292 + 351) / 3 = 358.33… → 358
        assert_eq!(s.mean_hundredths, Some(358));
        assert_eq!(s.by_predicate[0], ("Memuaskan".to_string(), 1));
        assert_eq!(s.by_predicate[3], ("Cukup".to_string(), 0));
        let half = summarise(&[(Some(1), None), (Some(2), None)], &[]);
        assert_eq!(half.mean_hundredths, Some(2), "1.5 rounds up");
        assert_eq!(summarise(&[], &[]).mean_hundredths, None);
        let odd = summarise(&[(Some(300), Some("Istimewa".into()))], &["Baik"]);
        assert_eq!(
            odd.by_predicate,
            vec![("Baik".into(), 0), ("Istimewa".into(), 1)]
        );
    }
}
