//! The assessment ledger: stages of an evaluation and level entries per indicator.
//!
//! The ledger is append-only: a new entry supersedes the previous one of the same cycle,
//! indicator and stage; nothing is overwritten.

#[cfg(feature = "ssr")]
pub mod ssr;

use serde::{Deserialize, Serialize};

/// The stages of an evaluation, in the order they happen (FRAMEWORKS.md §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Target,
    Mandiri,
    Verifikasi,
    Eksternal,
    Akhir,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Target,
        Stage::Mandiri,
        Stage::Verifikasi,
        Stage::Eksternal,
        Stage::Akhir,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Target => "target",
            Stage::Mandiri => "mandiri",
            Stage::Verifikasi => "verifikasi",
            Stage::Eksternal => "eksternal",
            Stage::Akhir => "akhir",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Target => "Target",
            Stage::Mandiri => "Penilaian Mandiri",
            Stage::Verifikasi => "Verifikasi Internal",
            Stage::Eksternal => "Penilaian Eksternal",
            Stage::Akhir => "Nilai Akhir",
        }
    }

    /// Which stage the headline index shows: the most authoritative complete one.
    pub const HEADLINE_ORDER: [Stage; 4] = [
        Stage::Akhir,
        Stage::Eksternal,
        Stage::Verifikasi,
        Stage::Mandiri,
    ];
}
