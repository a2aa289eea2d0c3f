//! Cross-OPD collaboration boards: the city's action plan (*rencana aksi*) as cards that cut
//! across units, each led by one OPD with contributing OPDs and tied to indicators.
//!
//! Every change is one transaction holding the change and its numbered event (subject
//! `papan:{board}` or `papan:{board}/kartu:{card}`), published after commit; every open board
//! follows the live feed and patches itself. A card's fields carry a version: an edit names
//! the version it started from and a stale one is refused as a conflict.

// A server fn has one argument per form field; the card form has many.
#![allow(clippy::too_many_arguments)]

pub mod collab;
pub mod pages;
pub mod rules;

#[cfg(feature = "ssr")]
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::error::AppError;
use leptos::prelude::*;
use rules::Due;
use serde::{Deserialize, Serialize};

/// A board in the list of boards.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardInfo {
    pub id: i64,
    pub name: String,
    pub cycle_id: i64,
    pub cycle_name: String,
    pub is_default: bool,
    pub open_cards: i64,
    pub done_cards: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardList {
    pub boards: Vec<BoardInfo>,
    /// (id, name) of the cycles a new board can belong to.
    pub cycles: Vec<(i64, String)>,
    pub can_manage: bool,
}

/// An OPD as a choice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Opd {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// A user as a choice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: i64,
    pub username: String,
    pub name: String,
}

/// A card as the board shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CardSummary {
    pub id: i64,
    pub column_id: i64,
    pub title: String,
    pub lead: String,
    pub lead_id: i64,
    /// Contributing OPD codes.
    pub opds: Vec<String>,
    /// (indicator code, target level)
    pub indicators: Vec<(String, i64)>,
    pub assignees: Vec<Person>,
    pub labels: Vec<String>,
    pub due_date: Option<String>,
    pub due: Due,
    pub checks_done: i64,
    pub checks_total: i64,
    pub comments: i64,
    pub version: i64,
    pub done: bool,
    pub can_edit: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnView {
    pub id: i64,
    pub name: String,
    pub is_done: bool,
    pub cards: Vec<CardSummary>,
    /// Cards in the column before the filter.
    pub total: usize,
}

/// Everything the board page needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardView {
    pub id: i64,
    pub name: String,
    pub cycle_id: i64,
    pub cycle_name: String,
    pub columns: Vec<ColumnView>,
    pub opds: Vec<Opd>,
    pub people: Vec<Person>,
    /// (code, name) of the cycle's indicators.
    pub indicators: Vec<(String, String)>,
    pub labels: Vec<String>,
    pub today: String,
    pub filtered: bool,
    /// OPDs the caller may start a card for (all for the koordinator).
    pub lead_choices: Vec<Opd>,
    pub can_manage: bool,
    pub last_event: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckItem {
    pub id: i64,
    pub body: String,
    pub done: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    pub evidence_id: i64,
    pub title: String,
    pub version: i64,
    pub href: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: i64,
    pub author: String,
    pub at: i64,
    /// Sanitised HTML rendered from the Markdown on the server.
    pub html: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    pub text: String,
}

/// A Mandiri claim the finished card suggests for one of its indicators.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClaimSuggestion {
    pub code: String,
    pub name: String,
    pub target: i64,
    /// The Mandiri level in force, as text, if any.
    pub mandiri: Option<String>,
    pub can_claim: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CardView {
    pub card: CardSummary,
    pub board_id: i64,
    pub board_name: String,
    pub cycle_id: i64,
    pub column_name: String,
    pub description: String,
    pub description_html: String,
    pub updated_by: String,
    pub updated_at: i64,
    pub checks: Vec<CheckItem>,
    pub attachments: Vec<Attachment>,
    pub comments: Vec<CommentView>,
    pub activity: Vec<Activity>,
    pub suggestions: Vec<ClaimSuggestion>,
    pub can_comment: bool,
    pub opds: Vec<Opd>,
    pub people: Vec<Person>,
    pub indicators: Vec<(String, String)>,
    /// (evidence id, title) of the library, for attachments.
    pub evidence: Vec<(i64, String)>,
    pub last_event: i64,
}

/// Someone with the board open.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Presence {
    pub user_id: i64,
    pub name: String,
    /// The card they are editing, if any: (id, title).
    pub editing: Option<(i64, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    pub body: String,
    pub href: Option<String>,
    pub at: i64,
    pub read: bool,
}

/// A card on "Pekerjaan saya".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyCard {
    pub board_id: i64,
    pub board_name: String,
    pub column_name: String,
    pub card: CardSummary,
    /// Why it is mine: `ditugaskan`, `pemimpin` or `kontributor`.
    pub why: String,
}

/// An indicator the caller's OPD is responsible for, on "Pekerjaan saya".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyIndicator {
    pub cycle_id: i64,
    pub cycle_name: String,
    pub code: String,
    pub name: String,
    pub lead: bool,
    pub mandiri: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyWork {
    pub cards: Vec<MyCard>,
    pub indicators: Vec<MyIndicator>,
    pub notifications: Vec<Notification>,
    pub unread: i64,
    pub today: String,
    pub last_event: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CollaborationView {
    pub board_id: i64,
    pub board_name: String,
    pub data: collab::Collaboration,
    /// OPD names by code, for the table.
    pub names: Vec<(String, String)>,
    pub last_event: i64,
}

/// The unread counter of the header.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unread {
    pub user_id: i64,
    pub count: i64,
    pub last_event: i64,
}

#[cfg(feature = "ssr")]
macro_rules! run {
    ($body:expr) => {
        crate::error::with_status(async { $body }.await)
    };
}

#[server(prefix = "/api", endpoint = "papan-daftar")]
pub async fn list_boards() -> Result<BoardList, AppError> {
    run!({
        let user = crate::auth::ssr::require_user().await?;
        let state = crate::server::state()?;
        ssr::list(&state, &user).await
    })
}

/// A new board of a cycle (koordinator), with the default columns.
#[server(prefix = "/api", endpoint = "papan-baru")]
pub async fn create_board(cycle: i64, name: String) -> Result<i64, AppError> {
    run!({
        let user = crate::auth::ssr::require_user().await?;
        let state = crate::server::state()?;
        let id = ssr::create_board(&state, &user, cycle, &name).await?;
        leptos_axum::redirect(&format!("/papan/{id}"));
        Ok(id)
    })
}

/// One board, with the filter of the page applied on the server (so it works without JS).
#[server(prefix = "/api", endpoint = "papan")]
pub async fn get_board(
    id: i64,
    opd: String,
    indikator: String,
    petugas: String,
    label: String,
    tenggat: String,
) -> Result<BoardView, AppError> {
    run!({
        let user = crate::auth::ssr::require_user().await?;
        let state = crate::server::state()?;
        let filter = rules::Filter::from_params(&opd, &indikator, &petugas, &label, &tenggat);
        ssr::board(&state, &user, id, &filter).await
    })
}

/// Column configuration (koordinator): `tambah` (add), `ubah` (rename), `kiri`/`kanan` (move),
/// `selesai` (mark as the done column), `hapus` (remove an empty column).
#[server(prefix = "/api", endpoint = "kolom")]
pub async fn edit_column(
    board: i64,
    action: String,
    column: i64,
    name: String,
) -> Result<(), AppError> {
    run!({
        let user = crate::auth::ssr::require_user().await?;
        let state = crate::server::state()?;
        ssr::edit_column(&state, &user, board, &action, column, &name).await
    })
}

#[server(prefix = "/api", endpoint = "kartu-baru")]
pub async fn create_card(
    board: i64,
    column: i64,
    title: String,
    lead: i64,
) -> Result<i64, AppError> {
    run!({
        let user = crate::auth::ssr::require_user().await?;
        let state = crate::server::state()?;
        ssr::create_card(&state, &user, board, column, &title, lead).await
    })
}

#[server(prefix = "/api", endpoint = "kartu")]
pub async fn get_card(board: i64, card: i64) -> Result<CardView, AppError> {
    run!({
        let user = crate::auth::ssr::require_user().await?;
        let state = crate::server::state()?;
        ssr::card(&state, &user, board, card).await
    })
}

/// The card's fields, from the version the editor started with; a stale version is a conflict
/// (409) naming who changed the card, and nothing is written.
#[server(prefix = "/api", endpoint = "kartu-ubah")]
pub async fn update_card(
    board: i64,
    card: i64,
    version: i64,
    title: String,
    description: String,
    lead: i64,
    opds: String,
    assignees: String,
    due: String,
    labels: String,
) -> Result<i64, AppError> {
    run!({
        let user = crate::auth::ssr::require_user().await?;
        let state = crate::server::state()?;
        let edit = ssr::CardEdit {
            version,
            title: &title,
            description: &description,
            lead,
            opds: &opds,
            assignees: &assignees,
            due: &due,
            labels: &labels,
        };
        ssr::update_card(&state, &user, board, card, &edit).await
    })
}

/// Moves a card to `index` in `column` (0 = top). Concurrent moves are applied one after the
/// other, so every browser ends with the same order.
#[server(prefix = "/api", endpoint = "kartu-pindah")]
pub async fn move_card(board: i64, card: i64, column: i64, index: i64) -> Result<(), AppError> {
    run!({
        let user = crate::auth::ssr::require_user().await?;
        let state = crate::server::state()?;
        ssr::move_card(&state, &user, board, card, column, index).await
    })
}

/// Links an indicator with the level the card is meant to reach, or (`remove`) unlinks it.
#[server(prefix = "/api", endpoint = "kartu-indikator")]
pub async fn link_indicator(
    board: i64,
    card: i64,
    code: String,
    target: i64,
    remove: bool,
) -> Result<(), AppError> {
    run!({
        let user = crate::auth::ssr::require_user().await?;
        let state = crate::server::state()?;
        ssr::link_indicator(&state, &user, board, card, &code, target, remove).await
    })
}

/// Checklist: `tambah` (add `body`), `centang` (set `done` on `item`), `hapus` (remove `item`).
#[server(prefix = "/api", endpoint = "kartu-cek")]
pub async fn checklist(
    board: i64,
    card: i64,
    action: String,
    item: i64,
    body: String,
    done: bool,
) -> Result<(), AppError> {
    run!({
        let user = crate::auth::ssr::require_user().await?;
        let state = crate::server::state()?;
        ssr::checklist(&state, &user, board, card, &action, item, &body, done).await
    })
}

/// Attaches an evidence item of the library, or (`remove`) detaches it.
#[server(prefix = "/api", endpoint = "kartu-lampiran")]
pub async fn attach(board: i64, card: i64, evidence: i64, remove: bool) -> Result<(), AppError> {
    run!({
        let user = crate::auth::ssr::require_user().await?;
        let state = crate::server::state()?;
        ssr::attach(&state, &user, board, card, evidence, remove).await
    })
}

/// A comment (Markdown); `@username` notifies that user.
#[server(prefix = "/api", endpoint = "kartu-komentar")]
pub async fn comment(board: i64, card: i64, body: String) -> Result<i64, AppError> {
    run!({
        let user = crate::auth::ssr::require_user().await?;
        let state = crate::server::state()?;
        ssr::comment(&state, &user, board, card, &body).await
    })
}

/// "I have this board open" (and, with `card` > 0, "I am editing that card"); answers with
/// everyone who has it open. Browsers call it every few seconds while the page is open.
#[server(prefix = "/api", endpoint = "kehadiran")]
pub async fn heartbeat(board: i64, card: i64) -> Result<Vec<Presence>, AppError> {
    run!({
        let user = crate::auth::ssr::require_user().await?;
        let state = crate::server::state()?;
        ssr::heartbeat(&state, &user, board, card).await
    })
}

#[server(prefix = "/api", endpoint = "saya")]
pub async fn get_my_work() -> Result<MyWork, AppError> {
    run!({
        let user = crate::auth::ssr::require_user().await?;
        let state = crate::server::state()?;
        ssr::my_work(&state, &user).await
    })
}

#[server(prefix = "/api", endpoint = "notifikasi-jumlah")]
pub async fn unread_count() -> Result<Option<Unread>, AppError> {
    run!({
        let Some(user) = crate::auth::ssr::optional_user().await? else {
            return Ok(None);
        };
        let state = crate::server::state()?;
        ssr::unread(&state, &user).await.map(Some)
    })
}

/// Marks the caller's notifications read (`id` 0: all of them).
#[server(prefix = "/api", endpoint = "notifikasi-baca")]
pub async fn mark_read(id: i64) -> Result<(), AppError> {
    run!({
        let user = crate::auth::ssr::require_user().await?;
        let state = crate::server::state()?;
        ssr::mark_read(&state, &user, id).await
    })
}

#[server(prefix = "/api", endpoint = "kolaborasi")]
pub async fn collaboration(board: i64) -> Result<CollaborationView, AppError> {
    run!({
        let user = crate::auth::ssr::require_user().await?;
        let state = crate::server::state()?;
        ssr::collaboration(&state, &user, board).await
    })
}
