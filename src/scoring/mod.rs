//! The scoring engine: framework packs as data, validated once, and exact index computation.
//!
//! Pure Rust with no I/O, compiled for the server and the browser alike, so the server stays the
//! authority while the browser can reuse the same code for what-if simulation.
//!
//! Units: weights are integers in hundredths of a percent (`1.30 %` = 130, the whole index =
//! 10 000). Levels and indices are exact [`Ratio`]s. Rounding to the published figure and the
//! basis of the predicate (exact or rounded value) are properties of the pack, not of the code.

pub mod json;
pub mod ratio;

use ratio::{format_scaled, NumberError, Ratio};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The whole index, in weight units.
pub const TOTAL_WEIGHT: i64 = 10_000;

/// The built-in packs, as shipped in the binary. Their numbers equal `shared/reference`.
pub const BUILTIN_PACKS: [&str; 2] = [
    include_str!("packs/spbe-2020.json"),
    include_str!("packs/pemdi-2026.json"),
];

// ---------------------------------------------------------------------------------------------
// The pack document: what a pack file holds, before validation.
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PackDoc {
    pub code: String,
    pub version: u32,
    pub name: String,
    #[serde(default)]
    pub regulation: String,
    pub rounding: RoundingDoc,
    pub predicate_basis: PredicateBasis,
    pub scales: Vec<ScaleDoc>,
    pub predicates: Vec<PredicateDoc>,
    #[serde(default)]
    pub domains: Vec<GroupDoc>,
    pub aspects: Vec<AspectDoc>,
    pub indicators: Vec<IndicatorDoc>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct RoundingDoc {
    pub decimals: u32,
    pub mode: RoundingMode,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// Half away from zero: what the official SPBE results apply.
    HalfUp,
    /// Banker's rounding, for packs whose regulation says so.
    HalfEven,
}

/// Whether the predicate is read off the exact index or the published (rounded) one.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PredicateBasis {
    Exact,
    Rounded,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ScaleDoc {
    pub code: String,
    pub name: String,
    pub levels: Vec<LevelDoc>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct LevelDoc {
    pub level: u8,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PredicateDoc {
    pub name: String,
    pub min: String,
    pub max: String,
    pub min_inclusive: bool,
    pub max_inclusive: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct GroupDoc {
    pub code: String,
    pub name: String,
    pub weight: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct AspectDoc {
    pub code: String,
    #[serde(default)]
    pub domain: Option<String>,
    pub name: String,
    pub weight: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct IndicatorDoc {
    pub code: String,
    pub aspect: String,
    pub name: String,
    pub weight: String,
    pub scale: String,
}

// ---------------------------------------------------------------------------------------------
// The validated framework.
// ---------------------------------------------------------------------------------------------

/// A problem in a pack, naming what is wrong so the author can fix it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PackError {
    #[error("the pack is not valid JSON: {0}")]
    Json(String),
    #[error("the pack needs a code, a name and a version of at least 1")]
    MissingIdentity,
    #[error("weight of {what} '{code}': {source}")]
    BadWeight {
        what: &'static str,
        code: String,
        source: NumberError,
    },
    #[error("weight of {what} '{code}' must be greater than zero")]
    ZeroWeight { what: &'static str, code: String },
    #[error("duplicate {what} code '{code}'")]
    DuplicateCode { what: &'static str, code: String },
    #[error("{what} '{code}' refers to unknown {target} '{target_code}'")]
    UnknownReference {
        what: &'static str,
        code: String,
        target: &'static str,
        target_code: String,
    },
    #[error("{what} weights sum to {sum} instead of 100")]
    WeightsNotHundred { what: &'static str, sum: String },
    #[error("{what} '{code}' has weight {declared} but its parts sum to {sum}")]
    PartsMismatch {
        what: &'static str,
        code: String,
        declared: String,
        sum: String,
    },
    #[error("the pack has no {0}")]
    Empty(&'static str),
    #[error("level scale '{0}' must have exactly the levels 1, 2, 3, 4 and 5")]
    BadScale(String),
    #[error("aspect '{0}' has no indicators")]
    EmptyAspect(String),
    #[error("domain '{0}' has no aspects")]
    EmptyDomain(String),
    #[error("aspects must either all belong to a domain or none; '{0}' differs")]
    MixedDomains(String),
    #[error("predicate '{name}': {problem}")]
    BadPredicate { name: String, problem: String },
    #[error("predicate bands '{first}' and '{second}' overlap")]
    PredicatesOverlap { first: String, second: String },
    #[error("predicate bands leave a gap between '{first}' and '{second}'")]
    PredicatesGap { first: String, second: String },
    #[error("predicate bands must cover every index from 1 to 5")]
    PredicatesDoNotCover,
    #[error("rounding to {0} decimals is not supported (0 to 4)")]
    BadRounding(u32),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Level {
    pub level: u8,
    pub name: String,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scale {
    pub code: String,
    pub name: String,
    /// Exactly five, levels 1..=5 in order.
    pub levels: Vec<Level>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Predicate {
    pub name: String,
    pub min: Ratio,
    pub max: Ratio,
    pub min_inclusive: bool,
    pub max_inclusive: bool,
}

impl Predicate {
    pub fn contains(&self, v: Ratio) -> bool {
        let above = if self.min_inclusive {
            v >= self.min
        } else {
            v > self.min
        };
        let below = if self.max_inclusive {
            v <= self.max
        } else {
            v < self.max
        };
        above && below
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub code: String,
    pub name: String,
    /// Hundredths of a percent.
    pub weight: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Aspect {
    pub code: String,
    pub name: String,
    pub weight: i64,
    /// Index into [`Framework::domains`].
    pub domain: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    pub weight: i64,
    /// Index into [`Framework::aspects`].
    pub aspect: usize,
    /// Index into [`Framework::scales`].
    pub scale: usize,
}

/// A validated framework pack: every weight adds up, every reference resolves, every level
/// scale has five levels and the predicate bands tile the index range exactly once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Framework {
    pub code: String,
    pub version: u32,
    pub name: String,
    pub regulation: String,
    pub decimals: u32,
    pub rounding: RoundingMode,
    pub predicate_basis: PredicateBasis,
    pub scales: Vec<Scale>,
    /// Sorted from the lowest band up.
    pub predicates: Vec<Predicate>,
    pub domains: Vec<Group>,
    pub aspects: Vec<Aspect>,
    pub indicators: Vec<Indicator>,
}

fn weight(text: &str, what: &'static str, code: &str) -> Result<i64, PackError> {
    let r = Ratio::parse_decimal(text, 2).map_err(|source| PackError::BadWeight {
        what,
        code: code.to_string(),
        source,
    })?;
    let units = r.mul_int(100).unwrap_or(Ratio::ZERO);
    if units <= Ratio::ZERO {
        return Err(PackError::ZeroWeight {
            what,
            code: code.to_string(),
        });
    }
    // At most two decimals were accepted, so this is an integer.
    Ok(units.numer() as i64)
}

/// Weight units as a percentage text, e.g. 1650 → "16.5".
pub fn weight_percent(units: i64) -> String {
    let s = format_scaled(units as i128, 2, '.');
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

fn unique<'a>(codes: impl Iterator<Item = &'a str>, what: &'static str) -> Result<(), PackError> {
    let mut seen = HashSet::new();
    for c in codes {
        if c.trim().is_empty() {
            return Err(PackError::Empty(what));
        }
        if !seen.insert(c) {
            return Err(PackError::DuplicateCode {
                what,
                code: c.to_string(),
            });
        }
    }
    Ok(())
}

impl Framework {
    /// Parses and validates a pack file.
    pub fn from_json(text: &str) -> Result<Framework, PackError> {
        let doc: PackDoc =
            serde_json::from_str(text).map_err(|e| PackError::Json(e.to_string()))?;
        Framework::from_doc(doc)
    }

    /// The built-in packs, validated. They are tested, so a failure here is a build defect.
    pub fn builtin() -> Vec<Framework> {
        BUILTIN_PACKS
            .iter()
            .filter_map(|t| Framework::from_json(t).ok())
            .collect()
    }

    pub fn from_doc(doc: PackDoc) -> Result<Framework, PackError> {
        if doc.code.trim().is_empty() || doc.name.trim().is_empty() || doc.version == 0 {
            return Err(PackError::MissingIdentity);
        }
        if doc.rounding.decimals > 4 {
            return Err(PackError::BadRounding(doc.rounding.decimals));
        }
        if doc.indicators.is_empty() {
            return Err(PackError::Empty("indicators"));
        }
        if doc.aspects.is_empty() {
            return Err(PackError::Empty("aspects"));
        }
        if doc.scales.is_empty() {
            return Err(PackError::Empty("level scales"));
        }
        if doc.predicates.is_empty() {
            return Err(PackError::Empty("predicates"));
        }
        unique(doc.domains.iter().map(|d| d.code.as_str()), "domain")?;
        unique(doc.aspects.iter().map(|a| a.code.as_str()), "aspect")?;
        unique(doc.indicators.iter().map(|i| i.code.as_str()), "indicator")?;
        unique(doc.scales.iter().map(|s| s.code.as_str()), "level scale")?;
        unique(doc.predicates.iter().map(|p| p.name.as_str()), "predicate")?;

        // Level scales: exactly 1..=5.
        let mut scales = Vec::new();
        for s in &doc.scales {
            let mut levels: Vec<&LevelDoc> = s.levels.iter().collect();
            levels.sort_by_key(|l| l.level);
            let numbers: Vec<u8> = levels.iter().map(|l| l.level).collect();
            if numbers != [1, 2, 3, 4, 5] || levels.iter().any(|l| l.name.trim().is_empty()) {
                return Err(PackError::BadScale(s.code.clone()));
            }
            scales.push(Scale {
                code: s.code.clone(),
                name: s.name.clone(),
                levels: levels
                    .into_iter()
                    .map(|l| Level {
                        level: l.level,
                        name: l.name.clone(),
                        description: l.description.clone(),
                    })
                    .collect(),
            });
        }

        // Domains (optional level).
        let mut domains = Vec::new();
        for d in &doc.domains {
            domains.push(Group {
                code: d.code.clone(),
                name: d.name.clone(),
                weight: weight(&d.weight, "domain", &d.code)?,
            });
        }
        let domain_index: HashMap<&str, usize> = doc
            .domains
            .iter()
            .enumerate()
            .map(|(i, d)| (d.code.as_str(), i))
            .collect();

        let mut aspects = Vec::new();
        for a in &doc.aspects {
            let domain = match (&a.domain, domains.is_empty()) {
                (None, true) => None,
                (Some(code), false) => Some(*domain_index.get(code.as_str()).ok_or_else(|| {
                    PackError::UnknownReference {
                        what: "aspect",
                        code: a.code.clone(),
                        target: "domain",
                        target_code: code.clone(),
                    }
                })?),
                (Some(code), true) => {
                    return Err(PackError::UnknownReference {
                        what: "aspect",
                        code: a.code.clone(),
                        target: "domain",
                        target_code: code.clone(),
                    })
                }
                (None, false) => return Err(PackError::MixedDomains(a.code.clone())),
            };
            aspects.push(Aspect {
                code: a.code.clone(),
                name: a.name.clone(),
                weight: weight(&a.weight, "aspect", &a.code)?,
                domain,
            });
        }
        let aspect_index: HashMap<&str, usize> = doc
            .aspects
            .iter()
            .enumerate()
            .map(|(i, a)| (a.code.as_str(), i))
            .collect();
        let scale_index: HashMap<&str, usize> = doc
            .scales
            .iter()
            .enumerate()
            .map(|(i, s)| (s.code.as_str(), i))
            .collect();

        let mut indicators = Vec::new();
        for i in &doc.indicators {
            let aspect = *aspect_index.get(i.aspect.as_str()).ok_or_else(|| {
                PackError::UnknownReference {
                    what: "indicator",
                    code: i.code.clone(),
                    target: "aspect",
                    target_code: i.aspect.clone(),
                }
            })?;
            let scale =
                *scale_index
                    .get(i.scale.as_str())
                    .ok_or_else(|| PackError::UnknownReference {
                        what: "indicator",
                        code: i.code.clone(),
                        target: "level scale",
                        target_code: i.scale.clone(),
                    })?;
            indicators.push(Indicator {
                code: i.code.clone(),
                name: i.name.clone(),
                weight: weight(&i.weight, "indicator", &i.code)?,
                aspect,
                scale,
            });
        }

        // Weights: every level sums to 100 and every part equals the sum of its children.
        let total: i64 = indicators.iter().map(|i| i.weight).sum();
        if total != TOTAL_WEIGHT {
            return Err(PackError::WeightsNotHundred {
                what: "indicator",
                sum: weight_percent(total),
            });
        }
        let aspect_total: i64 = aspects.iter().map(|a| a.weight).sum();
        if aspect_total != TOTAL_WEIGHT {
            return Err(PackError::WeightsNotHundred {
                what: "aspect",
                sum: weight_percent(aspect_total),
            });
        }
        for (ai, a) in aspects.iter().enumerate() {
            let parts: Vec<i64> = indicators
                .iter()
                .filter(|i| i.aspect == ai)
                .map(|i| i.weight)
                .collect();
            if parts.is_empty() {
                return Err(PackError::EmptyAspect(a.code.clone()));
            }
            let sum: i64 = parts.iter().sum();
            if sum != a.weight {
                return Err(PackError::PartsMismatch {
                    what: "aspect",
                    code: a.code.clone(),
                    declared: weight_percent(a.weight),
                    sum: weight_percent(sum),
                });
            }
        }
        if !domains.is_empty() {
            let domain_total: i64 = domains.iter().map(|d| d.weight).sum();
            if domain_total != TOTAL_WEIGHT {
                return Err(PackError::WeightsNotHundred {
                    what: "domain",
                    sum: weight_percent(domain_total),
                });
            }
            for (di, d) in domains.iter().enumerate() {
                let parts: Vec<i64> = aspects
                    .iter()
                    .filter(|a| a.domain == Some(di))
                    .map(|a| a.weight)
                    .collect();
                if parts.is_empty() {
                    return Err(PackError::EmptyDomain(d.code.clone()));
                }
                let sum: i64 = parts.iter().sum();
                if sum != d.weight {
                    return Err(PackError::PartsMismatch {
                        what: "domain",
                        code: d.code.clone(),
                        declared: weight_percent(d.weight),
                        sum: weight_percent(sum),
                    });
                }
            }
        }

        let predicates = validate_predicates(&doc.predicates)?;

        Ok(Framework {
            code: doc.code,
            version: doc.version,
            name: doc.name,
            regulation: doc.regulation,
            decimals: doc.rounding.decimals,
            rounding: doc.rounding.mode,
            predicate_basis: doc.predicate_basis,
            scales,
            predicates,
            domains,
            aspects,
            indicators,
        })
    }
}

fn validate_predicates(docs: &[PredicateDoc]) -> Result<Vec<Predicate>, PackError> {
    let mut bands = Vec::new();
    for p in docs {
        let bad = |problem: String| PackError::BadPredicate {
            name: p.name.clone(),
            problem,
        };
        let min = Ratio::parse_decimal(&p.min, 4).map_err(|e| bad(e.to_string()))?;
        let max = Ratio::parse_decimal(&p.max, 4).map_err(|e| bad(e.to_string()))?;
        if min >= max {
            return Err(bad("its minimum is not below its maximum".into()));
        }
        bands.push(Predicate {
            name: p.name.clone(),
            min,
            max,
            min_inclusive: p.min_inclusive,
            max_inclusive: p.max_inclusive,
        });
    }
    bands.sort_by_key(|b| b.min);
    for pair in bands.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let overlap = a.max > b.min || (a.max == b.min && a.max_inclusive && b.min_inclusive);
        if overlap {
            return Err(PackError::PredicatesOverlap {
                first: a.name.clone(),
                second: b.name.clone(),
            });
        }
        let gap = a.max < b.min || (a.max == b.min && !a.max_inclusive && !b.min_inclusive);
        if gap {
            return Err(PackError::PredicatesGap {
                first: a.name.clone(),
                second: b.name.clone(),
            });
        }
    }
    let one = Ratio::from_int(1);
    let five = Ratio::from_int(5);
    let (first, last) = (&bands[0], &bands[bands.len() - 1]);
    if !first.contains(one) || !last.contains(five) {
        return Err(PackError::PredicatesDoNotCover);
    }
    Ok(bands)
}

// ---------------------------------------------------------------------------------------------
// Scoring.
// ---------------------------------------------------------------------------------------------

/// Why a level vector cannot be scored.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ScoreError {
    #[error("indicator '{0}' has no level")]
    Missing(String),
    #[error("'{0}' is not an indicator of this framework")]
    Unknown(String),
    #[error("the level of indicator '{code}' is {level}, outside 1 to 5")]
    OutOfRange { code: String, level: String },
    #[error("the level of indicator '{0}' is too precise to compute exactly; use fewer digits")]
    TooPrecise(String),
}

/// The score of one aspect or domain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartScore {
    pub code: String,
    pub name: String,
    pub weight: i64,
    pub exact: Ratio,
    /// The published figure: `exact` rounded per the pack, times `10^decimals`.
    pub published: i128,
}

/// The score of a whole level vector.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub framework: String,
    pub decimals: u32,
    pub exact: Ratio,
    pub published: i128,
    pub predicate: String,
    pub aspects: Vec<PartScore>,
    pub domains: Vec<PartScore>,
}

impl Score {
    /// The published index as text, e.g. `4.32` (`sep = '.'`) or `4,32` (`sep = ','`).
    pub fn index_text(&self, sep: char) -> String {
        format_scaled(self.published, self.decimals, sep)
    }
}

impl PartScore {
    pub fn text(&self, decimals: u32, sep: char) -> String {
        format_scaled(self.published, decimals, sep)
    }
}

impl Framework {
    pub fn round(&self, v: Ratio) -> i128 {
        match self.rounding {
            RoundingMode::HalfUp => v.round_half_up(self.decimals),
            RoundingMode::HalfEven => v.round_half_even(self.decimals),
        }
    }

    /// The predicate for an exact index, honouring the pack's basis.
    pub fn predicate_for(&self, exact: Ratio) -> &str {
        let v = match self.predicate_basis {
            PredicateBasis::Exact => exact,
            PredicateBasis::Rounded => {
                Ratio::new(self.round(exact), 10i128.pow(self.decimals)).unwrap_or(exact)
            }
        };
        self.predicates
            .iter()
            .find(|p| p.contains(v))
            .map(|p| p.name.as_str())
            .unwrap_or("-")
    }

    pub fn indicator_position(&self, code: &str) -> Option<usize> {
        self.indicators.iter().position(|i| i.code == code)
    }

    /// Scores a complete vector of levels in indicator order (as [`Framework::indicators`]).
    pub fn score_vec(&self, levels: &[Ratio]) -> Result<Score, ScoreError> {
        if levels.len() != self.indicators.len() {
            let missing = self
                .indicators
                .get(levels.len())
                .map(|i| i.code.clone())
                .unwrap_or_default();
            return Err(ScoreError::Missing(missing));
        }
        let one = Ratio::from_int(1);
        let five = Ratio::from_int(5);
        // Put every level over one common denominator (1 for whole levels), so the sums below
        // are plain checked integer additions: one reduction per figure instead of one per term.
        let mut common: i128 = 1;
        for (ind, &level) in self.indicators.iter().zip(levels) {
            if level < one || level > five {
                return Err(ScoreError::OutOfRange {
                    code: ind.code.clone(),
                    level: level.to_exact_string(),
                });
            }
            if common % level.denom() != 0 {
                common = (common / ratio::gcd(common, level.denom()))
                    .checked_mul(level.denom())
                    .ok_or_else(|| ScoreError::TooPrecise(ind.code.clone()))?;
            }
        }
        let mut total: i128 = 0;
        let mut aspect_sums = vec![0i128; self.aspects.len()];
        let mut domain_sums = vec![0i128; self.domains.len()];
        for (ind, &level) in self.indicators.iter().zip(levels) {
            let too_precise = || ScoreError::TooPrecise(ind.code.clone());
            let contribution = level
                .numer()
                .checked_mul(common / level.denom())
                .and_then(|n| n.checked_mul(ind.weight as i128))
                .ok_or_else(too_precise)?;
            total = total.checked_add(contribution).ok_or_else(too_precise)?;
            // Every term is non-negative and the total did not overflow, so no part sum can.
            aspect_sums[ind.aspect] += contribution;
            if let Some(d) = self.aspects[ind.aspect].domain {
                domain_sums[d] += contribution;
            }
        }
        let over = |sum: i128, weight: i64| {
            common
                .checked_mul(weight as i128)
                .and_then(|den| Ratio::new(sum, den))
        };
        // Far beyond any real input, but it keeps rounding and comparisons inside i128.
        let limit = 10i128.pow(30);
        let exact = over(total, TOTAL_WEIGHT)
            .filter(|e| e.denom() < limit)
            .ok_or_else(|| ScoreError::TooPrecise("*".into()))?;
        let part =
            |code: &str, name: &str, weight: i64, sum: i128| -> Result<PartScore, ScoreError> {
                let exact = over(sum, weight)
                    .filter(|e| e.denom() < limit)
                    .ok_or_else(|| ScoreError::TooPrecise(code.to_string()))?;
                Ok(PartScore {
                    code: code.to_string(),
                    name: name.to_string(),
                    weight,
                    exact,
                    published: self.round(exact),
                })
            };
        Ok(Score {
            framework: self.code.clone(),
            decimals: self.decimals,
            exact,
            published: self.round(exact),
            predicate: self.predicate_for(exact).to_string(),
            aspects: self
                .aspects
                .iter()
                .zip(&aspect_sums)
                .map(|(a, s)| part(&a.code, &a.name, a.weight, *s))
                .collect::<Result<_, _>>()?,
            domains: self
                .domains
                .iter()
                .zip(&domain_sums)
                .map(|(d, s)| part(&d.code, &d.name, d.weight, *s))
                .collect::<Result<_, _>>()?,
        })
    }

    /// Scores a map from indicator code to level: every indicator present, none unknown.
    pub fn score(&self, levels: &BTreeMap<String, Ratio>) -> Result<Score, ScoreError> {
        if let Some(unknown) = levels.keys().find(|c| self.indicator_position(c).is_none()) {
            return Err(ScoreError::Unknown(unknown.clone()));
        }
        let mut vec = Vec::with_capacity(self.indicators.len());
        for ind in &self.indicators {
            match levels.get(&ind.code) {
                Some(l) => vec.push(*l),
                None => return Err(ScoreError::Missing(ind.code.clone())),
            }
        }
        self.score_vec(&vec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spbe() -> Framework {
        Framework::from_json(BUILTIN_PACKS[0]).expect("spbe pack valid")
    }
    fn pemdi() -> Framework {
        Framework::from_json(BUILTIN_PACKS[1]).expect("pemdi pack valid")
    }
    fn all(f: &Framework, level: i128) -> Vec<Ratio> {
        vec![Ratio::from_int(level); f.indicators.len()]
    }
    fn doc(i: usize) -> PackDoc {
        serde_json::from_str(BUILTIN_PACKS[i]).unwrap()
    }

    /// A tiny deterministic generator so the property tests need no extra crate.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 33
        }
        fn level(&mut self) -> i128 {
            (self.next() % 5 + 1) as i128
        }
    }

    #[test]
    fn the_builtin_packs_have_the_reference_shape() {
        let s = spbe();
        assert_eq!(
            (s.domains.len(), s.aspects.len(), s.indicators.len()),
            (4, 8, 47)
        );
        assert_eq!(s.scales.len(), 2);
        assert_eq!(s.predicates.len(), 5);
        let p = pemdi();
        assert_eq!(
            (p.domains.len(), p.aspects.len(), p.indicators.len()),
            (0, 7, 20)
        );
        assert_eq!(Framework::builtin().len(), 2);
    }

    #[test]
    fn spbe_weights_equal_the_regulation() {
        let s = spbe();
        let w = |code: &str| s.indicators[s.indicator_position(code).unwrap()].weight;
        assert_eq!(w("1"), 130);
        assert_eq!(w("11"), 250);
        assert_eq!(w("21"), 150);
        assert_eq!(w("32"), 275);
        // Indicators 42–47 are 3.00 %, not the misprinted 3.50 %.
        assert_eq!(w("47"), 300);
        let d: Vec<i64> = s.domains.iter().map(|d| d.weight).collect();
        assert_eq!(d, vec![1300, 2500, 1650, 4550]);
        // Domain 4 uses the technical-function scale.
        assert_eq!(s.scales[s.indicators[31].scale].levels[0].name, "Informasi");
        assert_eq!(s.scales[s.indicators[0].scale].levels[4].name, "Optimum");
    }

    #[test]
    fn pemdi_weights_equal_the_regulation() {
        let p = pemdi();
        let a: Vec<i64> = p.aspects.iter().map(|a| a.weight).collect();
        assert_eq!(a, vec![1000, 1000, 1500, 1500, 1000, 1500, 2500]);
        let w = |code: &str| p.indicators[p.indicator_position(code).unwrap()].weight;
        assert_eq!((w("I6"), w("I19"), w("I20")), (300, 1000, 1500));
    }

    #[test]
    fn all_ones_score_exactly_one_and_all_fives_exactly_five() {
        for f in [spbe(), pemdi()] {
            let s1 = f.score_vec(&all(&f, 1)).unwrap();
            assert_eq!(s1.index_text('.'), "1.00");
            assert_eq!(s1.exact, Ratio::from_int(1));
            assert_eq!(s1.predicate, "Kurang");
            let s5 = f.score_vec(&all(&f, 5)).unwrap();
            assert_eq!(s5.index_text('.'), "5.00");
            assert_eq!(s5.predicate, "Memuaskan");
            assert!(s5.aspects.iter().all(|a| a.text(2, '.') == "5.00"));
            assert!(s5.domains.iter().all(|d| d.text(2, '.') == "5.00"));
        }
    }

    /// Finds a level vector whose exact index equals `target` (in ten-thousandths): a bounded
    /// subset-sum over "levels above 1" (0..=4 per indicator), solved by dynamic programming.
    fn vector_for(f: &Framework, target: i128) -> Option<Vec<Ratio>> {
        let need = usize::try_from(target - TOTAL_WEIGHT as i128).ok()?;
        let n = f.indicators.len();
        // choice[k][s] = extra levels of indicator k used to reach sum s with indicators 0..=k.
        let mut reach = vec![false; need + 1];
        reach[0] = true;
        let mut choice = vec![vec![u8::MAX; need + 1]; n];
        for (k, ind) in f.indicators.iter().enumerate() {
            let w = ind.weight as usize;
            let mut next = vec![false; need + 1];
            for (s, _) in reach.iter().enumerate().filter(|(_, ok)| **ok) {
                for e in 0..=4usize {
                    let t = s + w * e;
                    if t <= need && !next[t] {
                        next[t] = true;
                        choice[k][t] = e as u8;
                    }
                }
            }
            reach = next;
        }
        if !reach[need] {
            return None;
        }
        let mut levels = vec![Ratio::ZERO; n];
        let mut s = need;
        for k in (0..n).rev() {
            let e = choice[k][s] as usize;
            levels[k] = Ratio::from_int(1 + e as i128);
            s -= e * f.indicators[k].weight as usize;
        }
        Some(levels)
    }

    #[test]
    fn every_predicate_boundary_is_hit_exactly_and_just_below() {
        for f in [spbe(), pemdi()] {
            for band in f.predicates.iter().skip(1) {
                let boundary = band.min.mul_int(TOTAL_WEIGHT as i128).unwrap();
                assert!(boundary.is_integer());
                let at = boundary.numer();
                // Exactly on the boundary: the band itself.
                let v = vector_for(&f, at).expect("boundary reachable");
                let s = f.score_vec(&v).unwrap();
                assert_eq!(s.exact, band.min, "{} {}", f.code, band.name);
                assert_eq!(s.predicate, band.name, "{} at {}", f.code, band.name);
                // The smallest step below that the weights allow: the band beneath.
                let below_band = f
                    .predicates
                    .iter()
                    .rev()
                    .find(|p| p.max <= band.min)
                    .unwrap();
                let mut found = false;
                for step in 1..=500 {
                    if let Some(v) = vector_for(&f, at - step) {
                        let s = f.score_vec(&v).unwrap();
                        assert!(s.exact < band.min);
                        assert_eq!(
                            s.predicate, below_band.name,
                            "{} below {}",
                            f.code, band.name
                        );
                        found = true;
                        break;
                    }
                }
                assert!(found, "{}: no vector just below {}", f.code, band.name);
            }
        }
    }

    #[test]
    fn the_predicate_is_decided_on_the_exact_value_not_the_published_one() {
        let f = spbe();
        // Exact 3.4985 (Kab. Pacitan 2024): published 3.50, predicate Baik.
        let v = vector_for(&f, 34985).unwrap();
        let s = f.score_vec(&v).unwrap();
        assert_eq!(s.exact.to_exact_string(), "3.4985");
        assert_eq!(s.index_text(','), "3,50");
        assert_eq!(s.predicate, "Baik");
        // Exact 2.5985 (Kab. Luwu): published 2.60, predicate Cukup.
        let v = vector_for(&f, 25985).unwrap();
        let s = f.score_vec(&v).unwrap();
        assert_eq!(s.index_text('.'), "2.60");
        assert_eq!(s.predicate, "Cukup");
    }

    #[test]
    fn a_pack_may_decide_the_predicate_on_the_rounded_value_instead() {
        let mut d = doc(0);
        d.predicate_basis = PredicateBasis::Rounded;
        let f = Framework::from_doc(d).unwrap();
        let v = vector_for(&f, 34985).unwrap();
        assert_eq!(f.score_vec(&v).unwrap().predicate, "Sangat Baik");
    }

    #[test]
    fn a_half_even_pack_rounds_ties_to_even() {
        let mut d = doc(0);
        d.rounding.mode = RoundingMode::HalfEven;
        let f = Framework::from_doc(d).unwrap();
        let v = vector_for(&f, 34750).unwrap();
        assert_eq!(f.score_vec(&v).unwrap().index_text('.'), "3.48");
        let v = vector_for(&f, 34850).unwrap();
        assert_eq!(f.score_vec(&v).unwrap().index_text('.'), "3.48");
    }

    #[test]
    fn published_figures_round_half_up_from_unrounded_levels() {
        let f = spbe();
        let v = vector_for(&f, 47650).unwrap();
        let s = f.score_vec(&v).unwrap();
        assert_eq!(s.index_text('.'), "4.77");
    }

    #[test]
    fn raising_one_level_never_lowers_the_index() {
        let mut rng = Lcg(7);
        for f in [spbe(), pemdi()] {
            for _ in 0..300 {
                let mut v: Vec<Ratio> = (0..f.indicators.len())
                    .map(|_| Ratio::from_int(rng.level()))
                    .collect();
                let before = f.score_vec(&v).unwrap();
                let i = (rng.next() as usize) % v.len();
                if v[i] < Ratio::from_int(5) {
                    v[i] = v[i].plus(Ratio::from_int(1)).unwrap();
                }
                let after = f.score_vec(&v).unwrap();
                assert!(after.exact >= before.exact);
                assert!(after.published >= before.published);
                let rank = |s: &Score| f.predicates.iter().position(|p| p.name == s.predicate);
                assert!(rank(&after) >= rank(&before));
            }
        }
    }

    #[test]
    fn the_index_equals_the_weighted_sum_of_aspect_and_of_domain_indices() {
        let mut rng = Lcg(42);
        for f in [spbe(), pemdi()] {
            for _ in 0..300 {
                let v: Vec<Ratio> = (0..f.indicators.len())
                    .map(|_| Ratio::from_int(rng.level()))
                    .collect();
                let s = f.score_vec(&v).unwrap();
                let by_aspect = s
                    .aspects
                    .iter()
                    .fold(Ratio::ZERO, |acc, a| {
                        acc.plus(a.exact.mul_int(a.weight as i128).unwrap())
                            .unwrap()
                    })
                    .div_int(TOTAL_WEIGHT as i128)
                    .unwrap();
                assert_eq!(by_aspect, s.exact);
                if !s.domains.is_empty() {
                    let by_domain = s
                        .domains
                        .iter()
                        .fold(Ratio::ZERO, |acc, d| {
                            acc.plus(d.exact.mul_int(d.weight as i128).unwrap())
                                .unwrap()
                        })
                        .div_int(TOTAL_WEIGHT as i128)
                        .unwrap();
                    assert_eq!(by_domain, s.exact);
                }
            }
        }
    }

    #[test]
    fn fractional_indicator_values_stay_exact() {
        let f = pemdi();
        let mut v = all(&f, 1);
        v[f.indicator_position("I13").unwrap()] = Ratio::new(7, 6).unwrap();
        let s = f.score_vec(&v).unwrap();
        // 1 + 5/100 * 1/6 = 1 + 1/120
        assert_eq!(s.exact, Ratio::new(121, 120).unwrap());
        assert_eq!(s.aspects[4].text(2, ','), "1,08");
    }

    #[test]
    fn a_level_of_six_or_zero_is_refused_with_the_indicator_named() {
        let f = spbe();
        let mut v = all(&f, 3);
        v[4] = Ratio::from_int(6);
        assert_eq!(
            f.score_vec(&v),
            Err(ScoreError::OutOfRange {
                code: "5".into(),
                level: "6.00".into()
            })
        );
        v[4] = Ratio::ZERO;
        assert!(matches!(
            f.score_vec(&v),
            Err(ScoreError::OutOfRange { .. })
        ));
    }

    #[test]
    fn absurdly_precise_levels_are_refused_rather_than_overflowing() {
        let f = spbe();
        // 3 + 1/p with 47 different odd p near a million: the common denominator cannot fit.
        let v: Vec<Ratio> = (0..47i128)
            .map(|i| Ratio::new(3 * (1_000_003 + 2 * i) + 1, 1_000_003 + 2 * i).unwrap())
            .collect();
        assert!(matches!(f.score_vec(&v), Err(ScoreError::TooPrecise(_))));
    }

    #[test]
    fn a_missing_or_unknown_code_is_named() {
        let f = pemdi();
        let mut m: BTreeMap<String, Ratio> = f
            .indicators
            .iter()
            .map(|i| (i.code.clone(), Ratio::from_int(2)))
            .collect();
        m.remove("I7");
        assert_eq!(f.score(&m), Err(ScoreError::Missing("I7".into())));
        m.insert("I7".into(), Ratio::from_int(2));
        m.insert("I21".into(), Ratio::from_int(2));
        assert_eq!(f.score(&m), Err(ScoreError::Unknown("I21".into())));
    }

    #[test]
    fn a_pack_whose_weights_do_not_sum_to_100_is_rejected() {
        let mut d = doc(1);
        d.indicators[0].weight = "6".into();
        d.aspects[0].weight = "11".into();
        let e = Framework::from_doc(d).unwrap_err();
        assert_eq!(
            e,
            PackError::WeightsNotHundred {
                what: "indicator",
                sum: "101".into()
            }
        );
        assert!(e.to_string().contains("101"));
    }

    #[test]
    fn an_aspect_whose_indicators_do_not_add_up_is_rejected() {
        let mut d = doc(0);
        d.aspects[0].weight = "14".into();
        d.aspects[1].weight = "9".into();
        let e = Framework::from_doc(d).unwrap_err();
        assert_eq!(
            e.to_string(),
            "aspect 'A1' has weight 14 but its parts sum to 13"
        );
    }

    #[test]
    fn a_duplicate_indicator_code_is_rejected() {
        let mut d = doc(0);
        d.indicators[3].code = "2".into();
        assert_eq!(
            Framework::from_doc(d).unwrap_err(),
            PackError::DuplicateCode {
                what: "indicator",
                code: "2".into()
            }
        );
    }

    #[test]
    fn a_level_scale_without_five_levels_is_rejected() {
        let mut d = doc(1);
        d.scales[0].levels.pop();
        assert_eq!(
            Framework::from_doc(d).unwrap_err(),
            PackError::BadScale("pemdi".into())
        );
        let mut d = doc(1);
        d.scales[0].levels[4].level = 6;
        assert!(matches!(
            Framework::from_doc(d),
            Err(PackError::BadScale(_))
        ));
    }

    #[test]
    fn overlapping_or_gapped_predicate_bands_are_rejected() {
        let mut d = doc(0);
        // Memuaskan from 4.1 overlaps Sangat Baik (3.5–<4.2).
        d.predicates[0].min = "4.1".into();
        let e = Framework::from_doc(d).unwrap_err();
        assert!(matches!(e, PackError::PredicatesOverlap { .. }), "{e}");
        assert!(e.to_string().contains("Memuaskan"));
        let mut d = doc(0);
        d.predicates[0].min_inclusive = true;
        d.predicates[1].max_inclusive = true;
        assert!(matches!(
            Framework::from_doc(d),
            Err(PackError::PredicatesOverlap { .. })
        ));
        let mut d = doc(0);
        d.predicates[0].min = "4.3".into();
        assert!(matches!(
            Framework::from_doc(d),
            Err(PackError::PredicatesGap { .. })
        ));
        let mut d = doc(1);
        d.predicates[4].max_inclusive = false;
        assert_eq!(
            Framework::from_doc(d).unwrap_err(),
            PackError::PredicatesDoNotCover
        );
    }

    #[test]
    fn an_indicator_pointing_at_a_missing_aspect_is_rejected() {
        let mut d = doc(1);
        d.indicators[0].aspect = "AS9".into();
        let e = Framework::from_doc(d).unwrap_err();
        assert_eq!(
            e.to_string(),
            "indicator 'I1' refers to unknown aspect 'AS9'"
        );
    }

    #[test]
    fn weights_are_kept_as_exact_hundredths() {
        assert_eq!(weight("16.5", "domain", "D3").unwrap(), 1650);
        assert_eq!(weight("2.75", "aspect", "x").unwrap(), 275);
        assert!(weight("1.305", "indicator", "x").is_err());
        assert!(weight("0", "indicator", "x").is_err());
        assert_eq!(weight_percent(1650), "16.5");
        assert_eq!(weight_percent(300), "3");
    }
}
