//! Carrying a cycle forward: the levels of an earlier cycle become Target proposals of a new
//! one, through a crosswalk when the framework changed (SPBE 2020 → Pemdi 2026).

use crate::scoring::ratio::Ratio;
use crate::scoring::Framework;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A sensible starting crosswalk SPBE 2020 → Pemdi 2026: which SPBE indicators feed each Pemdi
/// indicator (by subject). Pemdi indicators with no SPBE counterpart (geospatial information,
/// statistics, personal-data protection, cryptography, user satisfaction) are left unmapped on
/// purpose: carrying a level there would be a guess.
pub const SPBE_TO_PEMDI: &[(&str, &[&str])] = &[
    ("I1", &["1", "2", "11", "12", "13"]),
    ("I2", &["28"]),
    ("I3", &["25"]),
    ("I4", &["10", "19", "20"]),
    ("I5", &["3", "23"]),
    ("I9", &["9", "29", "30", "31"]),
    ("I10", &["8", "22"]),
    ("I12", &["21"]),
    ("I13", &["4", "15"]),
    ("I14", &["5", "6", "16", "17"]),
    ("I15", &["14"]),
    ("I16", &["7", "18"]),
    ("I17", &["42", "43", "44", "45", "46", "47"]),
    ("I18", &["43"]),
    ("I19", &["42"]),
];

/// A Target proposal for one indicator of the new cycle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    pub code: String,
    /// The exact mean of the source levels.
    pub level: Ratio,
    /// The source indicators that had a level.
    pub sources: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CarryPlan {
    pub proposals: Vec<Proposal>,
    /// Indicators of the new framework with no mapped source level.
    pub unmapped: Vec<String>,
}

/// Plans the carry-forward. `levels` are the source cycle's levels (the most authoritative
/// stage per indicator); `map` lists, per target indicator, its source indicators. With the
/// same framework on both sides every indicator maps to itself and `map` is ignored.
pub fn plan(
    from: &Framework,
    to: &Framework,
    levels: &HashMap<String, Ratio>,
    map: &HashMap<String, Vec<String>>,
) -> CarryPlan {
    let same = from.code == to.code;
    let mut proposals = Vec::new();
    let mut unmapped = Vec::new();
    for ind in &to.indicators {
        let sources: Vec<String> = if same {
            vec![ind.code.clone()]
        } else {
            map.get(&ind.code).cloned().unwrap_or_default()
        };
        let with_level: Vec<(String, Ratio)> = sources
            .iter()
            .filter_map(|s| levels.get(s).map(|l| (s.clone(), *l)))
            .collect();
        if with_level.is_empty() {
            unmapped.push(ind.code.clone());
            continue;
        }
        let sum = with_level
            .iter()
            .try_fold(Ratio::ZERO, |acc, (_, l)| acc.plus(*l));
        match sum.and_then(|s| s.div_int(with_level.len() as i128)) {
            Some(level) => proposals.push(Proposal {
                code: ind.code.clone(),
                level,
                sources: with_level.into_iter().map(|(s, _)| s).collect(),
            }),
            None => unmapped.push(ind.code.clone()),
        }
    }
    CarryPlan {
        proposals,
        unmapped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::BUILTIN_PACKS;

    fn spbe() -> Framework {
        Framework::from_json(BUILTIN_PACKS[0]).unwrap()
    }
    fn pemdi() -> Framework {
        Framework::from_json(BUILTIN_PACKS[1]).unwrap()
    }
    fn seed_map() -> HashMap<String, Vec<String>> {
        SPBE_TO_PEMDI
            .iter()
            .map(|(to, from)| (to.to_string(), from.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    #[test]
    fn the_seed_crosswalk_names_only_real_indicators() {
        let (s, p) = (spbe(), pemdi());
        for (to, from) in SPBE_TO_PEMDI {
            assert!(p.indicator_position(to).is_some(), "{to}");
            for f in *from {
                assert!(s.indicator_position(f).is_some(), "{f}");
            }
        }
    }

    #[test]
    fn spbe_levels_become_exact_pemdi_means_and_the_rest_is_named() {
        let (s, p) = (spbe(), pemdi());
        let mut levels: HashMap<String, Ratio> = HashMap::new();
        for i in 1..=47 {
            levels.insert(i.to_string(), Ratio::from_int(4));
        }
        levels.insert("1".into(), Ratio::from_int(5));
        levels.insert("2".into(), Ratio::from_int(5));
        let plan = plan(&s, &p, &levels, &seed_map());
        let i1 = plan.proposals.iter().find(|x| x.code == "I1").unwrap();
        // (5 + 5 + 4 + 4 + 4) / 5 = 22/5 = 4,4 exactly.
        assert_eq!(i1.level, Ratio::new(22, 5).unwrap());
        assert_eq!(i1.sources.len(), 5);
        assert_eq!(plan.unmapped, ["I6", "I7", "I8", "I11", "I20"]);
        assert_eq!(plan.proposals.len(), 15);
    }

    #[test]
    fn the_same_framework_carries_indicator_by_indicator_and_names_gaps() {
        let s = spbe();
        let mut levels = HashMap::new();
        levels.insert("7".to_string(), Ratio::from_int(3));
        let plan = plan(&s, &s, &levels, &HashMap::new());
        assert_eq!(plan.proposals.len(), 1);
        assert_eq!(plan.proposals[0].code, "7");
        assert_eq!(plan.proposals[0].level, Ratio::from_int(3));
        assert_eq!(plan.unmapped.len(), 46);
    }
}
