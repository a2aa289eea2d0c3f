//! The continuous-level rule: a level is supported only when every criterion of that level and
//! of all lower levels is checked and rests on evidence the asesor accepted.

use serde::{Deserialize, Serialize};

/// The state of one criterion as the rule needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionState {
    pub level: u8,
    pub checked: bool,
    pub has_evidence: bool,
    pub accepted: bool,
}

impl CriterionState {
    pub fn met(&self) -> bool {
        self.checked && self.has_evidence && self.accepted
    }
}

/// The highest level whose criteria, and those of every lower level, are all met (0: not even
/// level 1). A level with no (active) criteria holds nothing back.
pub fn supported_level(criteria: &[CriterionState]) -> u8 {
    let mut supported = 0;
    for level in 1..=5u8 {
        if criteria
            .iter()
            .filter(|c| c.level == level)
            .all(|c| c.met())
        {
            supported = level;
        } else {
            break;
        }
    }
    supported
}

/// Positions (in `criteria`) of what is still missing for the level above `supported`.
pub fn missing_for_next(criteria: &[CriterionState]) -> Vec<usize> {
    let next = supported_level(criteria) + 1;
    criteria
        .iter()
        .enumerate()
        .filter(|(_, c)| c.level == next && !c.met())
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(level: u8, checked: bool, has_evidence: bool, accepted: bool) -> CriterionState {
        CriterionState {
            level,
            checked,
            has_evidence,
            accepted,
        }
    }
    const MET: (bool, bool, bool) = (true, true, true);

    fn met(level: u8) -> CriterionState {
        c(level, MET.0, MET.1, MET.2)
    }

    #[test]
    fn a_level_needs_every_criterion_of_it_and_below() {
        assert_eq!(supported_level(&[]), 5, "no criteria: nothing to hold back");
        let all = [met(1), met(2), met(3), met(3), met(4), met(5)];
        assert_eq!(supported_level(&all), 5);
        // One unmet criterion of level 3 caps the level at 2, even though 4 and 5 are met.
        let gap = [
            met(1),
            met(2),
            met(3),
            c(3, true, true, false),
            met(4),
            met(5),
        ];
        assert_eq!(supported_level(&gap), 2);
        assert_eq!(missing_for_next(&gap), [3]);
    }

    #[test]
    fn checked_without_evidence_or_acceptance_does_not_count() {
        assert_eq!(supported_level(&[c(1, true, false, false)]), 0);
        assert_eq!(supported_level(&[c(1, true, true, false)]), 0);
        assert_eq!(supported_level(&[c(1, false, true, true)]), 0);
        assert_eq!(supported_level(&[met(1), c(2, true, true, false)]), 1);
        assert_eq!(
            missing_for_next(&[met(1), c(2, false, false, false), met(2)]),
            [1]
        );
    }
}
