//! What-if and "langkah termurah" (the cheapest path to a goal): pure functions over the shared
//! engine, compiled for the server and the browser alike.
//!
//! The index is `Σ wᵢ·lᵢ / 10 000` (weights in hundredths of a percent), so raising one
//! indicator by one level adds exactly `wᵢ / 10 000` to it. All sums here are exact integers over
//! one common denominator of the levels; the engine decides whether a goal is met.

use crate::scoring::ratio::{gcd, Ratio};
use crate::scoring::{Framework, Score, ScoreError, TOTAL_WEIGHT};
use serde::{Deserialize, Serialize};

/// What a plan aims at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Goal {
    /// The lowest predicate band above the current one.
    NextPredicate,
    /// A published index of at least this many `10^-decimals` units (`450` is 4,50).
    Index(i128),
}

/// One raise of one indicator by one level (to at most 5).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub code: String,
    pub name: String,
    pub from: Ratio,
    pub to: Ratio,
    /// Index points this step adds, exact (e.g. 3/100 for a 3 % indicator).
    pub gain: Ratio,
    /// The effort estimate of the indicator (per level), 1 (light) to 5 (heavy).
    pub effort: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Ranked by gain, largest first.
    pub steps: Vec<Step>,
    pub total_effort: u32,
    /// The score once every step is taken.
    pub after: Score,
    /// A human description of the goal, e.g. `predikat Memuaskan` or `indeks 4,50`.
    pub goal: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum PlanError {
    #[error("{0}")]
    Score(#[from] ScoreError),
    #[error("Target sudah tercapai dengan level saat ini.")]
    AlreadyReached,
    #[error("Predikat tertinggi sudah tercapai.")]
    TopPredicate,
    #[error("Target tidak dapat dicapai walau semua indikator dinaikkan ke level 5.")]
    Unreachable,
    #[error("Jumlah upaya per indikator harus sama dengan jumlah indikator.")]
    BadEffort,
}

/// Levels for a what-if vector: the given ones, and level 1 (the floor of the scale) where an
/// indicator has none yet. Returns the vector and how many were filled in.
pub fn fill_levels(f: &Framework, levels: &[Option<Ratio>]) -> (Vec<Ratio>, usize) {
    let mut missing = 0;
    let vec = f
        .indicators
        .iter()
        .enumerate()
        .map(|(i, _)| match levels.get(i).copied().flatten() {
            Some(l) => l,
            None => {
                missing += 1;
                Ratio::from_int(1)
            }
        })
        .collect();
    (vec, missing)
}

fn rank(f: &Framework, name: &str) -> Option<usize> {
    f.predicates.iter().position(|p| p.name == name)
}

/// Whether an exact index meets a goal, as the engine decides (rounding and predicate basis
/// included). `need` is the rank of the predicate aimed at, for [`Goal::NextPredicate`].
fn met(f: &Framework, goal: Goal, need: usize, exact: Ratio) -> bool {
    match goal {
        Goal::NextPredicate => rank(f, f.predicate_for(exact)).is_some_and(|r| r >= need),
        Goal::Index(p) => f.round(exact) >= p,
    }
}

/// The cheapest path from `levels` (complete, in indicator order) to `goal`.
///
/// Without `effort`: the fewest one-level raises, which is taking the largest gains first (every
/// indicator's raises have non-increasing gains, so the largest `k` never skip a level).
/// With `effort` (per indicator, per level): the raises of least total effort, found exactly by a
/// covering knapsack over the integer gains; ties keep the fewer steps.
pub fn cheapest_path(
    f: &Framework,
    levels: &[Ratio],
    goal: Goal,
    effort: Option<&[u32]>,
) -> Result<Plan, PlanError> {
    let now = f.score_vec(levels)?;
    if effort.is_some_and(|e| e.len() != f.indicators.len()) {
        return Err(PlanError::BadEffort);
    }
    let current_rank = rank(f, &now.predicate).unwrap_or(0);
    let need = match goal {
        Goal::NextPredicate => {
            if current_rank + 1 >= f.predicates.len() {
                return Err(PlanError::TopPredicate);
            }
            current_rank + 1
        }
        Goal::Index(_) => 0,
    };
    let goal_text = match goal {
        Goal::NextPredicate => format!("predikat {}", f.predicates[need].name),
        Goal::Index(p) => format!(
            "indeks {}",
            crate::scoring::ratio::format_scaled(p, f.decimals, ',')
        ),
    };
    if met(f, goal, need, now.exact) {
        return Err(PlanError::AlreadyReached);
    }

    // One common denominator of the levels: sums and gains become integers of 1/(d·10 000).
    let mut d: i128 = 1;
    for l in levels {
        d = d / gcd(d, l.denom()) * l.denom();
    }
    let units = |l: Ratio| l.numer() * (d / l.denom());
    let five = 5 * d;
    let current: i128 = f
        .indicators
        .iter()
        .zip(levels)
        .map(|(i, l)| units(*l) * i.weight as i128)
        .sum();
    let denominator = d * TOTAL_WEIGHT as i128;
    let index_at = |sum: i128| Ratio::new(sum, denominator).unwrap_or(Ratio::ZERO);

    // Every available raise: (indicator, step number, from units, to units, gain units).
    let mut steps: Vec<(usize, usize, i128, i128, i128)> = Vec::new();
    for (pos, (ind, l)) in f.indicators.iter().zip(levels).enumerate() {
        let mut at = units(*l);
        let mut n = 0;
        while at < five {
            let to = (at + d).min(five);
            steps.push((pos, n, at, to, (to - at) * ind.weight as i128));
            at = to;
            n += 1;
        }
    }
    let max_gain: i128 = steps.iter().map(|s| s.4).sum();
    if !met(f, goal, need, index_at(current + max_gain)) {
        return Err(PlanError::Unreachable);
    }
    // The smallest gain that meets the goal (the index only grows with the sum).
    let (mut lo, mut hi) = (0i128, max_gain);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if met(f, goal, need, index_at(current + mid)) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    let needed = lo;

    // Ranked: largest gain first; within a gain, indicator order, then the step's own order.
    steps.sort_by(|a, b| b.4.cmp(&a.4).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    let chosen: Vec<usize> = match effort {
        None => {
            let mut sum = 0;
            let mut out = Vec::new();
            for (k, s) in steps.iter().enumerate() {
                if sum >= needed {
                    break;
                }
                sum += s.4;
                out.push(k);
            }
            out
        }
        Some(effort) => {
            let cost = |k: usize| effort[steps[k].0].clamp(1, 5) as u64;
            cover(&steps.iter().map(|s| s.4).collect::<Vec<_>>(), needed, cost)
        }
    };
    // Whole indicators' raises in order: a later raise of an indicator is only ever chosen with
    // its earlier ones (equal cost, no smaller gain), so count per indicator and take the first.
    let mut per_indicator = vec![0usize; f.indicators.len()];
    for &k in &chosen {
        per_indicator[steps[k].0] += 1;
    }
    let mut taken: Vec<&(usize, usize, i128, i128, i128)> =
        steps.iter().filter(|s| s.1 < per_indicator[s.0]).collect();
    taken.sort_by(|a, b| b.4.cmp(&a.4).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));

    let mut after = levels.to_vec();
    for (pos, n) in per_indicator.iter().enumerate() {
        for _ in 0..*n {
            let l = after[pos];
            after[pos] = l
                .plus(Ratio::from_int(1))
                .map(|r| r.min(Ratio::from_int(5)))
                .unwrap_or(l);
        }
    }
    let after = f.score_vec(&after)?;
    let ratio = |u: i128| Ratio::new(u, d).unwrap_or(Ratio::ZERO);
    let out: Vec<Step> = taken
        .into_iter()
        .map(|&(pos, _, from, to, gain)| {
            let ind = &f.indicators[pos];
            Step {
                code: ind.code.clone(),
                name: ind.name.clone(),
                from: ratio(from),
                to: ratio(to),
                gain: index_at(gain),
                effort: effort.map(|e| e[pos].clamp(1, 5)).unwrap_or(1),
            }
        })
        .collect();
    Ok(Plan {
        total_effort: out.iter().map(|s| s.effort).sum(),
        steps: out,
        after,
        goal: goal_text,
    })
}

/// Exact minimum-cost cover: the items (by index) whose gains add up to at least `needed` at the
/// least total cost, preferring fewer items among equal costs. Gains are at most 5·10 000·d in
/// total, so the table stays small (rows × (needed + 1)).
fn cover(gains: &[i128], needed: i128, cost: impl Fn(usize) -> u64) -> Vec<usize> {
    let n = needed.max(0) as usize;
    // best[g] = (cost, count) to gain at least g with the items so far.
    let inf = (u64::MAX, usize::MAX);
    let mut best = vec![inf; n + 1];
    best[0] = (0, 0);
    let mut took = vec![vec![false; n + 1]; gains.len()];
    for (k, &gain) in gains.iter().enumerate() {
        let c = cost(k);
        for g in (1..=n).rev() {
            let from = (g as i128 - gain).max(0) as usize;
            let (pc, pn) = best[from];
            if pc == u64::MAX {
                continue;
            }
            let cand = (pc + c, pn + 1);
            if cand < best[g] {
                best[g] = cand;
                took[k][g] = true;
            }
        }
    }
    let mut out = Vec::new();
    let mut g = n;
    for k in (0..gains.len()).rev() {
        if g == 0 {
            break;
        }
        if took[k][g] {
            out.push(k);
            g = (g as i128 - gains[k]).max(0) as usize;
        }
    }
    out
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
    fn ints(v: &[i64]) -> Vec<Ratio> {
        v.iter().map(|l| Ratio::from_int(*l as i128)).collect()
    }

    #[test]
    fn every_indicator_at_4_needs_the_two_heaviest_raises_for_memuaskan() {
        // SPBE, all at 4 (index 4,00, Sangat Baik). Memuaskan starts at 4,20: a gain of 0.2,
        // i.e. 2 000 weight units. The A8 indicators weigh 3 % each (3 000 units): one raise
        // gives 4,03; no. Several: 300+300+... Largest first: 3.00, 3.00, ... until ≥ 0,20.
        let f = spbe();
        let levels = ints(&[4; 47]);
        let plan = cheapest_path(&f, &levels, Goal::NextPredicate, None).unwrap();
        assert_eq!(plan.goal, "predikat Memuaskan");
        // 6 × 3 % = 0,18 is short; a seventh raise (the heaviest left: 2,75 %) reaches 0,2075.
        assert_eq!(plan.steps.len(), 7);
        let codes: Vec<&str> = plan.steps.iter().map(|s| s.code.as_str()).collect();
        assert_eq!(codes, ["42", "43", "44", "45", "46", "47", "32"]);
        assert_eq!(plan.steps[0].gain, Ratio::new(3, 100).unwrap());
        assert_eq!(plan.steps[6].gain, Ratio::new(275, 10_000).unwrap());
        assert_eq!(plan.after.exact, Ratio::parse("4.2075").unwrap());
        assert_eq!(plan.after.predicate, "Memuaskan");
    }

    #[test]
    fn a_chosen_index_counts_the_published_rounding() {
        // Pemdi, all at 3 (index 3,00). Goal 3,05: 0,045 rounds half-up to 3,05, so a gain of
        // 450 units is enough: the 15 % indicator I20 alone gives 0,15.
        let f = pemdi();
        let levels = ints(&[3; 20]);
        let plan = cheapest_path(&f, &levels, Goal::Index(305), None).unwrap();
        assert_eq!(plan.steps.len(), 1);
        assert_eq!(plan.steps[0].code, "I20");
        assert_eq!(plan.goal, "indeks 3,05");
        assert_eq!(plan.after.published, 315);
    }

    #[test]
    fn the_same_indicator_can_be_raised_twice_in_order() {
        // Pemdi all at 1 except: goal needs more than one raise of I20 if only it were
        // available. With everything at 5 but I20 at 3: index 4,70; goal 5,00 needs I20 → 5.
        let f = pemdi();
        let mut v = vec![5i64; 20];
        v[19] = 3;
        let plan = cheapest_path(&f, &ints(&v), Goal::Index(500), None).unwrap();
        assert_eq!(plan.steps.len(), 2);
        assert_eq!(plan.steps[0].from, Ratio::from_int(3));
        assert_eq!(plan.steps[0].to, Ratio::from_int(4));
        assert_eq!(plan.steps[1].from, Ratio::from_int(4));
        assert_eq!(plan.steps[1].to, Ratio::from_int(5));
        assert_eq!(plan.after.exact, Ratio::from_int(5));
    }

    #[test]
    fn a_fractional_level_rises_by_one_and_stops_at_five() {
        let f = pemdi();
        let mut levels = ints(&[5; 20]);
        levels[0] = Ratio::new(9, 2).unwrap(); // 4,5 on a 5 % indicator: index 4,975
        let plan = cheapest_path(&f, &levels, Goal::Index(500), None).unwrap();
        assert_eq!(plan.steps.len(), 1);
        assert_eq!(plan.steps[0].to, Ratio::from_int(5));
        assert_eq!(plan.steps[0].gain, Ratio::new(25, 1000).unwrap());
    }

    #[test]
    fn effort_prefers_light_raises_even_when_more_are_needed() {
        // Pemdi all at 3 but I19 at 4 (index 3,10). Goal 3,25: I20 (15 %) alone does it, but
        // costs 5; I19's last raise (10 %) and one 5 % indicator cost 1 each: total 2.
        let f = pemdi();
        let mut v = vec![3i64; 20];
        v[18] = 4;
        let levels = ints(&v);
        let mut effort = vec![3u32; 20];
        effort[19] = 5; // I20 heavy
        effort[18] = 1; // I19 light
        effort[0] = 1; // I1 light (5 %)
        let plan = cheapest_path(&f, &levels, Goal::Index(325), Some(&effort)).unwrap();
        let codes: Vec<&str> = plan.steps.iter().map(|s| s.code.as_str()).collect();
        assert_eq!(codes, ["I19", "I1"]);
        assert_eq!(plan.total_effort, 2);
        assert_eq!(plan.after.published, 325);
        // Without effort the single heaviest raise wins.
        let plain = cheapest_path(&f, &levels, Goal::Index(325), None).unwrap();
        assert_eq!(plain.steps.len(), 1);
        assert_eq!(plain.steps[0].code, "I20");
    }

    #[test]
    fn effort_plans_are_never_costlier_than_the_plain_plan() {
        // A brute-force-free sanity property over many random starts: the knapsack never costs
        // more than the greedy plan priced with the same efforts, and always meets the goal.
        let f = pemdi();
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            (seed >> 33) as u32
        };
        for _ in 0..200 {
            let levels: Vec<Ratio> = (0..20)
                .map(|_| Ratio::from_int((next() % 4 + 1) as i128))
                .collect();
            let effort: Vec<u32> = (0..20).map(|_| next() % 5 + 1).collect();
            let Ok(plain) = cheapest_path(&f, &levels, Goal::NextPredicate, None) else {
                continue;
            };
            let weighted = cheapest_path(&f, &levels, Goal::NextPredicate, Some(&effort)).unwrap();
            let plain_cost: u32 = plain
                .steps
                .iter()
                .map(|s| effort[f.indicator_position(&s.code).unwrap()])
                .sum();
            assert!(weighted.total_effort <= plain_cost);
            let now = f.score_vec(&levels).unwrap();
            assert!(rank(&f, &weighted.after.predicate) > rank(&f, &now.predicate));
            assert!(plain.steps.len() <= weighted.steps.len());
        }
    }

    #[test]
    fn the_fewest_raises_really_are_the_fewest() {
        // Pemdi with every level 3 (Baik): for the next predicate (Sangat Baik, 3,50) no smaller
        // set of raises than the plan's can reach it.
        let f = pemdi();
        let levels = ints(&[3; 20]);
        let plan = cheapest_path(&f, &levels, Goal::NextPredicate, None).unwrap();
        let k = plan.steps.len();
        // The k−1 heaviest raises (every indicator can rise twice, 3 → 4 → 5) fall short of
        // the 5 000 units needed.
        let mut w: Vec<i64> = f
            .indicators
            .iter()
            .flat_map(|i| [i.weight, i.weight])
            .collect();
        w.sort_unstable_by(|a, b| b.cmp(a));
        let best_k_minus_1: i64 = w.iter().take(k - 1).sum();
        // I20 twice (15 % each) and I19 twice (10 % each): exactly 0,50.
        assert_eq!(k, 4);
        assert_eq!(
            f.predicate_for(Ratio::new(30_000 + best_k_minus_1 as i128, 10_000).unwrap()),
            "Baik"
        );
        assert_eq!(plan.after.predicate, "Sangat Baik");
    }

    #[test]
    fn reached_top_and_unreachable_goals_are_named() {
        let f = spbe();
        assert_eq!(
            cheapest_path(&f, &ints(&[5; 47]), Goal::NextPredicate, None),
            Err(PlanError::TopPredicate)
        );
        assert_eq!(
            cheapest_path(&f, &ints(&[4; 47]), Goal::Index(350), None),
            Err(PlanError::AlreadyReached)
        );
        assert_eq!(
            cheapest_path(&f, &ints(&[4; 47]), Goal::Index(501), None),
            Err(PlanError::Unreachable)
        );
        assert!(matches!(
            cheapest_path(&f, &ints(&[4; 46]), Goal::Index(450), None),
            Err(PlanError::Score(_))
        ));
        assert_eq!(
            cheapest_path(&f, &ints(&[4; 47]), Goal::Index(450), Some(&[1, 2])),
            Err(PlanError::BadEffort)
        );
    }

    #[test]
    fn missing_levels_are_filled_with_level_one_and_counted() {
        let f = pemdi();
        let mut levels = vec![Some(Ratio::from_int(4)); 20];
        levels[3] = None;
        levels[7] = None;
        let (vec, missing) = fill_levels(&f, &levels);
        assert_eq!(missing, 2);
        assert_eq!(vec[3], Ratio::from_int(1));
        assert_eq!(vec[0], Ratio::from_int(4));
    }
}
