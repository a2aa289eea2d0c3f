//! The cheapest path ("langkah termurah") as the what-if panel runs it on every change, in the
//! browser: how long one plan takes, with and without effort weighting, against one score.
//!
//! Run: `cargo bench --bench planning --features ssr`. Not a pass/fail test: it prints figures
//! and ratios (plan / score, effort-weighted / fewest-raises).

use sinergi::assessment::plan::{cheapest_path, Goal};
use sinergi::scoring::ratio::Ratio;
use sinergi::scoring::{Framework, BUILTIN_PACKS};
use std::hint::black_box;
use std::time::Instant;

fn main() {
    for text in BUILTIN_PACKS {
        let f = Framework::from_json(text).expect("built-in pack");
        let n = f.indicators.len();
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let count = 2_000;
        let vectors: Vec<Vec<Ratio>> = (0..count)
            .map(|_| {
                (0..n)
                    .map(|_| Ratio::from_int((next() % 4 + 1) as i128))
                    .collect()
            })
            .collect();
        let effort: Vec<u32> = (0..n).map(|_| (next() % 5 + 1) as u32).collect();

        let time = |label: &str, run: &dyn Fn(&[Ratio]) -> usize| {
            let start = Instant::now();
            let mut steps = 0usize;
            for v in &vectors {
                steps += black_box(run(v));
            }
            let us = start.elapsed().as_secs_f64() * 1e6 / count as f64;
            println!(
                "  {label:<34} {us:>9.2} µs/plan   (mean {:.1} steps)",
                steps as f64 / count as f64
            );
            us
        };
        println!(
            "{} ({} indicators, {count} random level vectors 1–4)",
            f.name, n
        );
        let score = time("one score (reference)", &|v| {
            f.score_vec(v)
                .map(|s| s.published as usize % 2)
                .unwrap_or(0)
        });
        let greedy = time("fewest raises, next predicate", &|v| {
            cheapest_path(&f, v, Goal::NextPredicate, None)
                .map(|p| p.steps.len())
                .unwrap_or(0)
        });
        let weighted = time("least effort, next predicate", &|v| {
            cheapest_path(&f, v, Goal::NextPredicate, Some(&effort))
                .map(|p| p.steps.len())
                .unwrap_or(0)
        });
        let target = time("fewest raises, index 4,50", &|v| {
            cheapest_path(&f, v, Goal::Index(450), None)
                .map(|p| p.steps.len())
                .unwrap_or(0)
        });
        println!(
            "  ratios: plan/score {:.0}×, least-effort/fewest {:.1}×, index 4,50/next predicate {:.1}×\n",
            greedy / score,
            weighted / greedy,
            target / greedy
        );
    }
}
