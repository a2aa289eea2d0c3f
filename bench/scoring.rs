//! Scoring engine throughput, against the floor of the same work in plain floating point.
//!
//! Run: `cargo bench --bench scoring --features ssr`. Not a pass/fail test: it prints figures and
//! the ratio exact / f64, i.e. what exactness costs over the cheapest possible dot product.

use sinergi::scoring::ratio::Ratio;
use sinergi::scoring::{Framework, BUILTIN_PACKS};
use std::hint::black_box;
use std::time::Instant;

fn vectors(n_ind: usize, count: usize) -> Vec<Vec<i64>> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..count)
        .map(|_| {
            (0..n_ind)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    (x % 5 + 1) as i64
                })
                .collect()
        })
        .collect()
}

fn main() {
    for text in BUILTIN_PACKS {
        let f = Framework::from_json(text).expect("built-in pack");
        let n = f.indicators.len();
        let data = vectors(n, 20_000);
        let exact: Vec<Vec<Ratio>> = data
            .iter()
            .map(|v| v.iter().map(|&l| Ratio::from_int(l as i128)).collect())
            .collect();
        let weights: Vec<f64> = f
            .indicators
            .iter()
            .map(|i| i.weight as f64 / 10_000.0)
            .collect();

        let rounds = 5;
        let start = Instant::now();
        let mut acc = 0i128;
        for _ in 0..rounds {
            for v in &exact {
                acc += black_box(f.score_vec(v)).map(|s| s.published).unwrap_or(0);
            }
        }
        let exact_ns = start.elapsed().as_nanos() as f64 / (rounds * data.len()) as f64;

        let start = Instant::now();
        let mut facc = 0f64;
        for _ in 0..rounds {
            for v in &data {
                // The floor: one dot product, no aspects, no domains, no predicate, no rounding.
                let s: f64 = v.iter().zip(&weights).map(|(l, w)| *l as f64 * w).sum();
                facc += black_box(s);
            }
        }
        let float_ns = start.elapsed().as_nanos() as f64 / (rounds * data.len()) as f64;
        println!(
            "{:<11} {:>2} indicators: exact score {:>8.0} ns ({:>9.0}/s) · f64 dot product {:>6.1} ns · ratio {:>6.1}x  [{} {}]",
            f.code,
            n,
            exact_ns,
            1e9 / exact_ns,
            float_ns,
            exact_ns / float_ns,
            acc % 7,
            (facc as i64) % 7
        );
    }
}
