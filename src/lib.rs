//! Sinergi: a Pemda and all its OPDs prepare together for the national digital-government
//! evaluation (Indeks SPBE, Indeks Pemerintah Digital).
//!
//! Code tour: `scoring` (pure, exact engine and framework packs) · `auth` (roles, sessions,
//! sign-in) · `assessment` (stages, the level ledger, cycles, what-if and the cheapest path) · `cycles` (new cycles and
//! carry-forward, schedule, frozen stages, official-result import, calibration) · `evidence` (the
//! library of data dukung) · `live` (the event feed) · `dashboard` (readiness of the current cycle, chart builders) · `leadership` (the war
//! room and its kiosk link) · `commitment` (komitmen bersama) · `national` (the roll-up of every instansi) · `reports` (XLSX, CSV, the A4
//! report) · `api` (REST `/api/v1`, OpenAPI, personal tokens) · `i18n` (Indonesian first, English) · `app` (shell and routes) · `server` (ssr only: database, state, router, seed data, CLI).

// Deeply nested views make deep types.
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod assessment;
pub mod auth;
pub mod boards;
pub mod commitment;
pub mod cycles;
pub mod dashboard;
pub mod error;
pub mod evidence;
pub mod format;
pub mod i18n;
pub mod leadership;
pub mod live;
pub mod national;
pub mod reports;
pub mod scoring;
#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
