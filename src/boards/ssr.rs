//! The boards in SQL. Every write is one transaction holding the change and its numbered event;
//! the event is published to the open live streams after commit.

use super::rules::{self, due_state, Due, Filter};
use super::{
    Activity, Attachment, BoardInfo, BoardList, BoardView, CardSummary, CardView, CheckItem,
    ClaimSuggestion, CollaborationView, ColumnView, CommentView, MyCard, MyIndicator, MyWork,
    Notification, Opd, Person, Presence, Unread,
};
use crate::assessment::ssr::member_of;
use crate::assessment::Stage;
use crate::auth::CurrentUser;
use crate::dashboard::ssr::{current_levels, load_cycle};
use crate::error::AppError;
use crate::format::level_id;
use crate::server::db::{now, record_event, Db};
use crate::server::AppState;
use sqlx::Row;
use std::collections::HashMap;

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// The default columns of a new board; the last one finishes a card.
pub const DEFAULT_COLUMNS: [&str; 4] = ["Usulan", "Dikerjakan", "Direviu", "Selesai"];
/// A browser that has not said it is there for this long has left the board.
pub const PRESENCE_SECONDS: i64 = 12;

fn invalid(msg: impl Into<String>) -> AppError {
    AppError::Invalid(msg.into())
}

fn today() -> String {
    rules::today_wib(now())
}

struct BoardRow {
    id: i64,
    name: String,
    cycle_id: i64,
    cycle_name: String,
}

/// A board of the caller's instansi; any other is "not found".
async fn board_row(db: &Db, user: &CurrentUser, id: i64) -> Result<BoardRow, AppError> {
    let r = sqlx::query(
        "SELECT b.id, b.name, b.cycle_id, c.name AS cycle_name FROM board b \
         JOIN cycle c ON c.id = b.cycle_id WHERE b.id = $1 AND b.instansi_id = $2",
    )
    .bind(id)
    .bind(user.instansi_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("Papan".into()))?;
    Ok(BoardRow {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        cycle_id: r.try_get("cycle_id")?,
        cycle_name: r.try_get("cycle_name")?,
    })
}

struct CardRow {
    id: i64,
    title: String,
    lead: i64,
    contributors: Vec<i64>,
}

/// A card of a board of the caller's instansi.
async fn card_row(db: &Db, user: &CurrentUser, board: i64, card: i64) -> Result<CardRow, AppError> {
    let r = sqlx::query(
        "SELECT id, title, lead_opd_id FROM card \
         WHERE id = $1 AND board_id = $2 AND instansi_id = $3",
    )
    .bind(card)
    .bind(board)
    .bind(user.instansi_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("Kartu".into()))?;
    let contributors = sqlx::query("SELECT opd_id FROM card_opd WHERE card_id = $1")
        .bind(card)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| r.try_get::<i64, _>("opd_id"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CardRow {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        lead: r.try_get("lead_opd_id")?,
        contributors,
    })
}

/// The card, if the caller may edit it; 403 otherwise.
async fn editable(db: &Db, user: &CurrentUser, board: i64, card: i64) -> Result<CardRow, AppError> {
    let c = card_row(db, user, board, card).await?;
    if rules::may_edit_card(
        user.role,
        &member_of(db, user.id).await?,
        c.lead,
        &c.contributors,
    ) {
        Ok(c)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The event of a board change, in the change's transaction; `text` is the activity line.
async fn event(
    tx: &mut Tx<'_>,
    user: &CurrentUser,
    board: i64,
    card: Option<i64>,
    kind: &str,
    text: &str,
) -> Result<i64, AppError> {
    let subject = match card {
        Some(c) => format!("papan/{board}/kartu/{c}"),
        None => format!("papan/{board}"),
    };
    record_event(
        tx,
        user.instansi_id,
        kind,
        &subject,
        &serde_json::json!({"papan": board, "kartu": card, "ringkasan": text}),
        Some(user.id),
    )
    .await
}

async fn opds(db: &Db, instansi_id: i64) -> Result<Vec<Opd>, AppError> {
    sqlx::query("SELECT id, code, name FROM opd WHERE instansi_id = $1 ORDER BY code")
        .bind(instansi_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(Opd {
                id: r.try_get("id")?,
                code: r.try_get("code")?,
                name: r.try_get("name")?,
            })
        })
        .collect()
}

async fn people(db: &Db, instansi_id: i64) -> Result<Vec<Person>, AppError> {
    sqlx::query(
        "SELECT id, username, display_name FROM users WHERE instansi_id = $1 AND is_active = 1 \
         ORDER BY display_name",
    )
    .bind(instansi_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(Person {
            id: r.try_get("id")?,
            username: r.try_get("username")?,
            name: r.try_get("display_name")?,
        })
    })
    .collect()
}

async fn latest_event(db: &Db, instansi_id: i64) -> Result<i64, AppError> {
    Ok(crate::live::ssr::latest_event(db, instansi_id).await?)
}

// ---------------------------------------------------------------------------------------------
// Boards
// ---------------------------------------------------------------------------------------------

pub async fn list(state: &AppState, user: &CurrentUser) -> Result<BoardList, AppError> {
    let db = &state.db;
    let rows = sqlx::query(
        "SELECT b.id, b.name, b.cycle_id, b.is_default, c.name AS cycle_name, \
           (SELECT COUNT(*) FROM card k JOIN board_column bc ON bc.id = k.column_id \
              WHERE k.board_id = b.id AND bc.is_done = 0) AS open_cards, \
           (SELECT COUNT(*) FROM card k JOIN board_column bc ON bc.id = k.column_id \
              WHERE k.board_id = b.id AND bc.is_done = 1) AS done_cards \
         FROM board b JOIN cycle c ON c.id = b.cycle_id WHERE b.instansi_id = $1 \
         ORDER BY c.is_current DESC, c.year DESC, b.is_default DESC, b.id",
    )
    .bind(user.instansi_id)
    .fetch_all(&db.pool)
    .await?;
    let boards = rows
        .iter()
        .map(|r| {
            Ok(BoardInfo {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                cycle_id: r.try_get("cycle_id")?,
                cycle_name: r.try_get("cycle_name")?,
                is_default: r.try_get::<i64, _>("is_default")? == 1,
                open_cards: r.try_get("open_cards")?,
                done_cards: r.try_get("done_cards")?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let cycles = sqlx::query(
        "SELECT id, name FROM cycle WHERE instansi_id = $1 ORDER BY is_current DESC, year DESC, id DESC",
    )
    .bind(user.instansi_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("id")?, r.try_get("name")?)))
    .collect::<Result<Vec<_>, AppError>>()?;
    Ok(BoardList {
        boards,
        cycles,
        can_manage: rules::may_manage_board(user.role),
    })
}

/// Inserts a board with the default columns (used by the page and the seed).
pub async fn insert_board(
    tx: &mut Tx<'_>,
    instansi_id: i64,
    cycle_id: i64,
    name: &str,
    is_default: bool,
    by: Option<i64>,
) -> Result<i64, AppError> {
    let id: i64 = sqlx::query(
        "INSERT INTO board (instansi_id, cycle_id, name, is_default, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(instansi_id)
    .bind(cycle_id)
    .bind(name)
    .bind(is_default as i64)
    .bind(by)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    for (i, col) in DEFAULT_COLUMNS.iter().enumerate() {
        sqlx::query(
            "INSERT INTO board_column (board_id, name, position, is_done) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(*col)
        .bind(i as i64)
        .bind((i + 1 == DEFAULT_COLUMNS.len()) as i64)
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

/// The default board of a cycle, created on first use.
pub async fn ensure_default_board(
    db: &Db,
    instansi_id: i64,
    cycle_id: i64,
) -> Result<i64, AppError> {
    if let Some(r) = sqlx::query("SELECT id FROM board WHERE cycle_id = $1 AND is_default = 1")
        .bind(cycle_id)
        .fetch_optional(&db.pool)
        .await?
    {
        return Ok(r.try_get("id")?);
    }
    let mut tx = db.begin().await?;
    let id = insert_board(&mut tx, instansi_id, cycle_id, "Rencana Aksi", true, None).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn create_board(
    state: &AppState,
    user: &CurrentUser,
    cycle_id: i64,
    name: &str,
) -> Result<i64, AppError> {
    if !rules::may_manage_board(user.role) {
        return Err(AppError::Forbidden);
    }
    let cycle = load_cycle(&state.db, user.instansi_id, Some(cycle_id)).await?;
    let name = name.trim();
    if name.chars().count() < 3 || name.chars().count() > 80 {
        return Err(invalid("Nama papan harus 3 sampai 80 karakter."));
    }
    let taken = sqlx::query("SELECT id FROM board WHERE cycle_id = $1 AND name = $2")
        .bind(cycle.id)
        .bind(name)
        .fetch_optional(&state.db.pool)
        .await?;
    if taken.is_some() {
        return Err(invalid(format!(
            "Papan '{name}' sudah ada pada siklus ini."
        )));
    }
    let mut tx = state.db.begin().await?;
    let first = sqlx::query("SELECT id FROM board WHERE cycle_id = $1")
        .bind(cycle.id)
        .fetch_optional(&mut *tx)
        .await?
        .is_none();
    let id = insert_board(
        &mut tx,
        user.instansi_id,
        cycle.id,
        name,
        first,
        Some(user.id),
    )
    .await?;
    event(
        &mut tx,
        user,
        id,
        None,
        "papan.dibuat",
        &format!("membuat papan {name}"),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Every card of a board with what the board shows of it, in column order.
async fn summaries(
    db: &Db,
    user: &CurrentUser,
    board: i64,
    today: &str,
) -> Result<Vec<CardSummary>, AppError> {
    let mine = member_of(db, user.id).await?;
    let rows = sqlx::query(
        "SELECT k.id, k.column_id, k.title, k.lead_opd_id, o.code AS lead, k.due_date, k.version, \
           bc.is_done, \
           (SELECT COUNT(*) FROM card_check x WHERE x.card_id = k.id AND x.done = 1) AS checks_done, \
           (SELECT COUNT(*) FROM card_check x WHERE x.card_id = k.id) AS checks_total, \
           (SELECT COUNT(*) FROM card_comment m WHERE m.card_id = k.id) AS comments \
         FROM card k JOIN opd o ON o.id = k.lead_opd_id \
         JOIN board_column bc ON bc.id = k.column_id \
         WHERE k.board_id = $1 ORDER BY bc.position, k.position, k.id",
    )
    .bind(board)
    .fetch_all(&db.pool)
    .await?;
    let mut contributors: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    for r in sqlx::query(
        "SELECT co.card_id, o.id, o.code FROM card_opd co JOIN opd o ON o.id = co.opd_id \
         JOIN card k ON k.id = co.card_id WHERE k.board_id = $1 ORDER BY o.code",
    )
    .bind(board)
    .fetch_all(&db.pool)
    .await?
    {
        contributors
            .entry(r.try_get("card_id")?)
            .or_default()
            .push((r.try_get("id")?, r.try_get("code")?));
    }
    let mut indicators: HashMap<i64, Vec<(String, i64)>> = HashMap::new();
    for r in sqlx::query(
        "SELECT ci.card_id, ci.indicator_code, ci.target_level FROM card_indicator ci \
         JOIN card k ON k.id = ci.card_id WHERE k.board_id = $1",
    )
    .bind(board)
    .fetch_all(&db.pool)
    .await?
    {
        indicators
            .entry(r.try_get("card_id")?)
            .or_default()
            .push((r.try_get("indicator_code")?, r.try_get("target_level")?));
    }
    for list in indicators.values_mut() {
        list.sort_by_key(|a| natural(&a.0));
    }
    let mut assignees: HashMap<i64, Vec<Person>> = HashMap::new();
    for r in sqlx::query(
        "SELECT ca.card_id, u.id, u.username, u.display_name FROM card_assignee ca \
         JOIN users u ON u.id = ca.user_id JOIN card k ON k.id = ca.card_id \
         WHERE k.board_id = $1 ORDER BY u.display_name",
    )
    .bind(board)
    .fetch_all(&db.pool)
    .await?
    {
        assignees
            .entry(r.try_get("card_id")?)
            .or_default()
            .push(Person {
                id: r.try_get("id")?,
                username: r.try_get("username")?,
                name: r.try_get("display_name")?,
            });
    }
    let mut labels: HashMap<i64, Vec<String>> = HashMap::new();
    for r in sqlx::query(
        "SELECT cl.card_id, cl.label FROM card_label cl JOIN card k ON k.id = cl.card_id \
         WHERE k.board_id = $1 ORDER BY cl.label",
    )
    .bind(board)
    .fetch_all(&db.pool)
    .await?
    {
        labels
            .entry(r.try_get("card_id")?)
            .or_default()
            .push(r.try_get("label")?);
    }
    rows.iter()
        .map(|r| {
            let id: i64 = r.try_get("id")?;
            let lead_id: i64 = r.try_get("lead_opd_id")?;
            let done = r.try_get::<i64, _>("is_done")? == 1;
            let due_date: Option<String> = r.try_get("due_date")?;
            let contrib = contributors.remove(&id).unwrap_or_default();
            let contrib_ids: Vec<i64> = contrib.iter().map(|c| c.0).collect();
            Ok(CardSummary {
                id,
                column_id: r.try_get("column_id")?,
                title: r.try_get("title")?,
                lead: r.try_get("lead")?,
                lead_id,
                opds: contrib.into_iter().map(|c| c.1).collect(),
                indicators: indicators.remove(&id).unwrap_or_default(),
                assignees: assignees.remove(&id).unwrap_or_default(),
                labels: labels.remove(&id).unwrap_or_default(),
                due: due_state(due_date.as_deref(), done, today),
                due_date,
                checks_done: r.try_get("checks_done")?,
                checks_total: r.try_get("checks_total")?,
                comments: r.try_get("comments")?,
                version: r.try_get("version")?,
                done,
                can_edit: rules::may_edit_card(user.role, &mine, lead_id, &contrib_ids),
            })
        })
        .collect()
}

/// Indicator codes in reading order: `2` before `10`, `I2` before `I10`.
fn natural(code: &str) -> (String, u64) {
    let prefix: String = code.chars().take_while(|c| !c.is_ascii_digit()).collect();
    let n = code[prefix.len()..].parse().unwrap_or(u64::MAX);
    (prefix, n)
}

pub async fn board(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    filter: &Filter,
) -> Result<BoardView, AppError> {
    let db = &state.db;
    let b = board_row(db, user, id).await?;
    let last_event = latest_event(db, user.instansi_id).await?;
    let cycle = load_cycle(db, user.instansi_id, Some(b.cycle_id)).await?;
    let today = today();
    let cards = summaries(db, user, b.id, &today).await?;
    let mut labels: Vec<String> = cards.iter().flat_map(|c| c.labels.clone()).collect();
    labels.sort();
    labels.dedup();
    let columns = sqlx::query(
        "SELECT id, name, is_done FROM board_column WHERE board_id = $1 ORDER BY position, id",
    )
    .bind(b.id)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::new();
    for c in columns {
        let cid: i64 = c.try_get("id")?;
        let all: Vec<&CardSummary> = cards.iter().filter(|k| k.column_id == cid).collect();
        let total = all.len();
        let kept = all
            .into_iter()
            .filter(|k| {
                let inds: Vec<String> = k.indicators.iter().map(|i| i.0.clone()).collect();
                let who: Vec<i64> = k.assignees.iter().map(|p| p.id).collect();
                rules::keeps(
                    filter,
                    &rules::Facts {
                        lead: &k.lead,
                        opds: &k.opds,
                        indicators: &inds,
                        assignees: &who,
                        labels: &k.labels,
                        due: k.due,
                    },
                )
            })
            .cloned()
            .collect();
        out.push(ColumnView {
            id: cid,
            name: c.try_get("name")?,
            is_done: c.try_get::<i64, _>("is_done")? == 1,
            cards: kept,
            total,
        });
    }
    let all_opds = opds(db, user.instansi_id).await?;
    let mine = member_of(db, user.id).await?;
    let lead_choices = all_opds
        .iter()
        .filter(|o| rules::may_create_card(user.role, &mine, o.id))
        .cloned()
        .collect();
    Ok(BoardView {
        id: b.id,
        name: b.name,
        cycle_id: b.cycle_id,
        cycle_name: b.cycle_name,
        columns: out,
        opds: all_opds,
        people: people(db, user.instansi_id).await?,
        indicators: cycle
            .framework
            .indicators
            .iter()
            .map(|i| (i.code.clone(), i.name.clone()))
            .collect(),
        labels,
        today,
        filtered: !filter.is_empty(),
        lead_choices,
        can_manage: rules::may_manage_board(user.role),
        last_event,
    })
}

pub async fn edit_column(
    state: &AppState,
    user: &CurrentUser,
    board: i64,
    action: &str,
    column: i64,
    name: &str,
) -> Result<(), AppError> {
    if !rules::may_manage_board(user.role) {
        return Err(AppError::Forbidden);
    }
    let b = board_row(&state.db, user, board).await?;
    let name = name.trim();
    let check_name = || {
        if name.is_empty() || name.chars().count() > 40 {
            Err(invalid("Nama kolom harus 1 sampai 40 karakter."))
        } else {
            Ok(())
        }
    };
    let mut tx = state.db.begin().await?;
    // The same per-board lock as moves: column changes and moves never interleave.
    sqlx::query("UPDATE board SET revision = revision + 1 WHERE id = $1")
        .bind(b.id)
        .execute(&mut *tx)
        .await?;
    let cols: Vec<(i64, String)> =
        sqlx::query("SELECT id, name FROM board_column WHERE board_id = $1 ORDER BY position, id")
            .bind(b.id)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("name")?)))
            .collect::<Result<_, AppError>>()?;
    let at = cols.iter().position(|c| c.0 == column);
    let text = match action {
        "tambah" => {
            check_name()?;
            if cols.len() >= 12 {
                return Err(invalid("Paling banyak 12 kolom per papan."));
            }
            sqlx::query(
                "INSERT INTO board_column (board_id, name, position, is_done) VALUES ($1, $2, $3, 0)",
            )
            .bind(b.id)
            .bind(name)
            .bind(cols.len() as i64)
            .execute(&mut *tx)
            .await?;
            format!("menambah kolom {name}")
        }
        _ => {
            let at = at.ok_or_else(|| AppError::NotFound("Kolom".into()))?;
            let old = cols[at].1.clone();
            match action {
                "ubah" => {
                    check_name()?;
                    sqlx::query("UPDATE board_column SET name = $1 WHERE id = $2")
                        .bind(name)
                        .bind(column)
                        .execute(&mut *tx)
                        .await?;
                    format!("mengganti nama kolom {old} menjadi {name}")
                }
                "kiri" | "kanan" => {
                    let mut order: Vec<i64> = cols.iter().map(|c| c.0).collect();
                    let to = if action == "kiri" {
                        at.saturating_sub(1)
                    } else {
                        (at + 1).min(order.len() - 1)
                    };
                    order.swap(at, to);
                    for (i, id) in order.iter().enumerate() {
                        sqlx::query("UPDATE board_column SET position = $1 WHERE id = $2")
                            .bind(i as i64)
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                    }
                    format!("memindahkan kolom {old}")
                }
                "selesai" => {
                    sqlx::query("UPDATE board_column SET is_done = CASE WHEN id = $1 THEN 1 ELSE 0 END WHERE board_id = $2")
                        .bind(column)
                        .bind(b.id)
                        .execute(&mut *tx)
                        .await?;
                    // Cards follow their column: finished here, open elsewhere.
                    sqlx::query(
                        "UPDATE card SET done_at = CASE WHEN column_id = $1 THEN COALESCE(done_at, $2) ELSE NULL END \
                         WHERE board_id = $3",
                    )
                    .bind(column)
                    .bind(now())
                    .bind(b.id)
                    .execute(&mut *tx)
                    .await?;
                    format!("menjadikan {old} kolom kartu selesai")
                }
                "hapus" => {
                    let used = sqlx::query("SELECT COUNT(*) AS n FROM card WHERE column_id = $1")
                        .bind(column)
                        .fetch_one(&mut *tx)
                        .await?
                        .try_get::<i64, _>("n")?;
                    if used > 0 {
                        return Err(invalid(format!(
                            "Kolom {old} masih berisi {used} kartu; pindahkan dulu kartunya."
                        )));
                    }
                    if cols.len() <= 1 {
                        return Err(invalid("Papan harus memiliki paling sedikit satu kolom."));
                    }
                    let is_done = sqlx::query("SELECT is_done FROM board_column WHERE id = $1")
                        .bind(column)
                        .fetch_one(&mut *tx)
                        .await?
                        .try_get::<i64, _>("is_done")?
                        == 1;
                    if is_done {
                        return Err(invalid(format!(
                            "Kolom {old} adalah kolom kartu selesai; jadikan kolom lain kolom selesai dulu."
                        )));
                    }
                    sqlx::query("DELETE FROM board_column WHERE id = $1")
                        .bind(column)
                        .execute(&mut *tx)
                        .await?;
                    format!("menghapus kolom {old}")
                }
                _ => return Err(invalid(format!("Tindakan kolom '{action}' tidak dikenal."))),
            }
        }
    };
    event(&mut tx, user, b.id, None, "papan.kolom", &text).await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Cards
// ---------------------------------------------------------------------------------------------

async fn column_of(tx: &mut Tx<'_>, board: i64, column: i64) -> Result<(String, bool), AppError> {
    let r = sqlx::query("SELECT name, is_done FROM board_column WHERE id = $1 AND board_id = $2")
        .bind(column)
        .bind(board)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| AppError::NotFound("Kolom".into()))?;
    Ok((r.try_get("name")?, r.try_get::<i64, _>("is_done")? == 1))
}

pub async fn create_card(
    state: &AppState,
    user: &CurrentUser,
    board: i64,
    column: i64,
    title: &str,
    lead: i64,
) -> Result<i64, AppError> {
    let db = &state.db;
    let b = board_row(db, user, board).await?;
    let title = rules::check_title(title).map_err(AppError::Invalid)?;
    let lead_ok = sqlx::query("SELECT id FROM opd WHERE id = $1 AND instansi_id = $2")
        .bind(lead)
        .bind(user.instansi_id)
        .fetch_optional(&db.pool)
        .await?
        .is_some();
    if !lead_ok {
        return Err(invalid("Pilih OPD pemimpin kartu."));
    }
    if !rules::may_create_card(user.role, &member_of(db, user.id).await?, lead) {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    // Same lock as a move: a new card and a concurrent move agree on positions.
    sqlx::query("UPDATE board SET revision = revision + 1 WHERE id = $1")
        .bind(b.id)
        .execute(&mut *tx)
        .await?;
    let (col_name, done) = column_of(&mut tx, b.id, column).await?;
    let position: i64 =
        sqlx::query("SELECT COALESCE(MAX(position), -1) + 1 AS p FROM card WHERE column_id = $1")
            .bind(column)
            .fetch_one(&mut *tx)
            .await?
            .try_get("p")?;
    let t = now();
    let id: i64 = sqlx::query(
        "INSERT INTO card (instansi_id, board_id, column_id, position, title, lead_opd_id, \
           version, done_at, created_by, created_at, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9, $8, $9) RETURNING id",
    )
    .bind(user.instansi_id)
    .bind(b.id)
    .bind(column)
    .bind(position)
    .bind(&title)
    .bind(lead)
    .bind(done.then_some(t))
    .bind(user.id)
    .bind(t)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    event(
        &mut tx,
        user,
        b.id,
        Some(id),
        "kartu.dibuat",
        &format!("membuat kartu \"{title}\" di {col_name}"),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The fields of a card edit, as the form sends them.
pub struct CardEdit<'a> {
    pub version: i64,
    pub title: &'a str,
    pub description: &'a str,
    pub lead: i64,
    /// Contributing OPD codes, comma-separated.
    pub opds: &'a str,
    /// Usernames, comma-separated.
    pub assignees: &'a str,
    pub due: &'a str,
    pub labels: &'a str,
}

fn conflict_message(by: &str, at: i64, version: i64) -> AppError {
    AppError::Conflict(format!(
        "Kartu ini sudah diubah oleh {by} pada {} (versi {version}). Perubahan Anda belum \
         disimpan dan masih ada di formulir: muat versi terbaru, lalu terapkan kembali.",
        crate::format::datetime_id(at)
    ))
}

pub async fn update_card(
    state: &AppState,
    user: &CurrentUser,
    board: i64,
    card: i64,
    e: &CardEdit<'_>,
) -> Result<i64, AppError> {
    let db = &state.db;
    let before = editable(db, user, board, card).await?;
    let title = rules::check_title(e.title).map_err(AppError::Invalid)?;
    let description = e.description.trim();
    if description.chars().count() > 20_000 {
        return Err(invalid(
            "Deskripsi terlalu panjang (maksimal 20.000 karakter).",
        ));
    }
    let due = rules::check_due(e.due).map_err(AppError::Invalid)?;
    let labels = rules::parse_labels(e.labels).map_err(AppError::Invalid)?;
    let all_opds = opds(db, user.instansi_id).await?;
    if !all_opds.iter().any(|o| o.id == e.lead) {
        return Err(invalid("Pilih OPD pemimpin kartu."));
    }
    if e.lead != before.lead
        && !rules::may_create_card(user.role, &member_of(db, user.id).await?, e.lead)
    {
        return Err(AppError::Forbidden);
    }
    // Whoever edits must still be allowed to after the edit (no locking oneself out by mistake
    // is fine; handing the card to an OPD one may not lead is not).
    let mut contributors: Vec<i64> = Vec::new();
    for code in e
        .opds
        .split(',')
        .map(|c| c.trim().to_uppercase())
        .filter(|c| !c.is_empty())
    {
        let o = all_opds
            .iter()
            .find(|o| o.code == code)
            .ok_or_else(|| invalid(format!("OPD '{code}' tidak dikenal.")))?;
        if o.id != e.lead && !contributors.contains(&o.id) {
            contributors.push(o.id);
        }
    }
    let everyone = people(db, user.instansi_id).await?;
    let mut assignees: Vec<&Person> = Vec::new();
    for name in e
        .assignees
        .split(',')
        .map(|c| c.trim().trim_start_matches('@').to_lowercase())
        .filter(|c| !c.is_empty())
    {
        let p = everyone
            .iter()
            .find(|p| p.username == name)
            .ok_or_else(|| invalid(format!("Pengguna '{name}' tidak dikenal.")))?;
        if !assignees.iter().any(|a| a.id == p.id) {
            assignees.push(p);
        }
    }
    let old_assignees: Vec<i64> =
        sqlx::query("SELECT user_id FROM card_assignee WHERE card_id = $1")
            .bind(before.id)
            .fetch_all(&db.pool)
            .await?
            .iter()
            .map(|r| r.try_get::<i64, _>("user_id"))
            .collect::<Result<_, _>>()?;
    let t = now();
    let mut tx = db.begin().await?;
    let changed = sqlx::query(
        "UPDATE card SET title = $1, description = $2, lead_opd_id = $3, due_date = $4, \
           version = version + 1, updated_by = $5, updated_at = $6 \
         WHERE id = $7 AND version = $8",
    )
    .bind(&title)
    .bind(description)
    .bind(e.lead)
    .bind(&due)
    .bind(user.id)
    .bind(t)
    .bind(before.id)
    .bind(e.version)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        tx.rollback().await?;
        let r = sqlx::query(
            "SELECT k.version, k.updated_at, COALESCE(u.display_name, '') AS who FROM card k \
             LEFT JOIN users u ON u.id = k.updated_by WHERE k.id = $1",
        )
        .bind(before.id)
        .fetch_one(&db.pool)
        .await?;
        return Err(conflict_message(
            &r.try_get::<String, _>("who")?,
            r.try_get("updated_at")?,
            r.try_get("version")?,
        ));
    }
    sqlx::query("DELETE FROM card_opd WHERE card_id = $1")
        .bind(before.id)
        .execute(&mut *tx)
        .await?;
    for o in &contributors {
        sqlx::query("INSERT INTO card_opd (card_id, opd_id) VALUES ($1, $2)")
            .bind(before.id)
            .bind(o)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM card_assignee WHERE card_id = $1")
        .bind(before.id)
        .execute(&mut *tx)
        .await?;
    for p in &assignees {
        sqlx::query("INSERT INTO card_assignee (card_id, user_id) VALUES ($1, $2)")
            .bind(before.id)
            .bind(p.id)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM card_label WHERE card_id = $1")
        .bind(before.id)
        .execute(&mut *tx)
        .await?;
    for l in &labels {
        sqlx::query("INSERT INTO card_label (card_id, label) VALUES ($1, $2)")
            .bind(before.id)
            .bind(l)
            .execute(&mut *tx)
            .await?;
    }
    for p in assignees
        .iter()
        .filter(|p| !old_assignees.contains(&p.id) && p.id != user.id)
    {
        notify(
            &mut tx,
            user,
            p.id,
            "penugasan",
            before.id,
            &format!(
                "{} menugaskan Anda pada kartu \"{title}\"",
                user.display_name
            ),
            None,
        )
        .await?;
    }
    event(
        &mut tx,
        user,
        board,
        Some(before.id),
        "kartu.diubah",
        &format!("mengubah kartu \"{title}\""),
    )
    .await?;
    tx.commit().await?;
    // The editor continues from the version just written.
    Ok(e.version + 1)
}

/// A notification for one user, and the event that moves their unread counter.
async fn notify(
    tx: &mut Tx<'_>,
    user: &CurrentUser,
    to: i64,
    kind: &str,
    card: i64,
    body: &str,
    dedupe: Option<&str>,
) -> Result<(), AppError> {
    if let Some(key) = dedupe {
        let exists = sqlx::query("SELECT id FROM notification WHERE user_id = $1 AND dedupe = $2")
            .bind(to)
            .bind(key)
            .fetch_optional(&mut **tx)
            .await?;
        if exists.is_some() {
            return Ok(());
        }
    }
    sqlx::query(
        "INSERT INTO notification (instansi_id, user_id, kind, card_id, body, dedupe, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(user.instansi_id)
    .bind(to)
    .bind(kind)
    .bind(card)
    .bind(body)
    .bind(dedupe)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    record_event(
        tx,
        user.instansi_id,
        "notifikasi.baru",
        &format!("pengguna/{to}"),
        &serde_json::json!({"kartu": card, "jenis": kind}),
        Some(user.id),
    )
    .await?;
    Ok(())
}

pub async fn move_card(
    state: &AppState,
    user: &CurrentUser,
    board: i64,
    card: i64,
    column: i64,
    index: i64,
) -> Result<(), AppError> {
    let db = &state.db;
    let c = editable(db, user, board, card).await?;
    let mut tx = db.begin().await?;
    // The first write of the transaction: moves on one board queue here, so each reads the
    // order the previous one left.
    sqlx::query("UPDATE board SET revision = revision + 1 WHERE id = $1")
        .bind(board)
        .execute(&mut *tx)
        .await?;
    let (to_name, to_done) = column_of(&mut tx, board, column).await?;
    let from: i64 = sqlx::query("SELECT column_id FROM card WHERE id = $1")
        .bind(c.id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("column_id")?;
    let (_, from_done) = column_of(&mut tx, board, from).await?;
    let ids = |rows: Vec<sqlx::any::AnyRow>| -> Result<Vec<i64>, AppError> {
        rows.iter()
            .map(|r| r.try_get::<i64, _>("id").map_err(AppError::from))
            .collect()
    };
    let target = ids(sqlx::query(
        "SELECT id FROM card WHERE column_id = $1 ORDER BY position, id",
    )
    .bind(column)
    .fetch_all(&mut *tx)
    .await?)?;
    let order = rules::place(&target, c.id, index.max(0) as usize);
    for (i, id) in order.iter().enumerate() {
        sqlx::query("UPDATE card SET column_id = $1, position = $2 WHERE id = $3")
            .bind(column)
            .bind(i as i64)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    if from != column {
        let rest = ids(sqlx::query(
            "SELECT id FROM card WHERE column_id = $1 ORDER BY position, id",
        )
        .bind(from)
        .fetch_all(&mut *tx)
        .await?)?;
        for (i, id) in rest.iter().enumerate() {
            sqlx::query("UPDATE card SET position = $1 WHERE id = $2")
                .bind(i as i64)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        if to_done != from_done {
            sqlx::query("UPDATE card SET done_at = $1 WHERE id = $2")
                .bind(to_done.then(now))
                .bind(c.id)
                .execute(&mut *tx)
                .await?;
        }
    }
    let text = if from == column {
        format!("mengurutkan ulang kartu \"{}\" di {to_name}", c.title)
    } else {
        format!("memindahkan kartu \"{}\" ke {to_name}", c.title)
    };
    event(&mut tx, user, board, Some(c.id), "kartu.dipindah", &text).await?;
    if to_done && !from_done {
        suggest_claims(db, &mut tx, user, board, &c).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A finished card with indicators tells the members of its lead OPD that a Mandiri claim may
/// be due (a suggestion they confirm on the card, never a claim made for them).
async fn suggest_claims(
    db: &Db,
    tx: &mut Tx<'_>,
    user: &CurrentUser,
    board: i64,
    c: &CardRow,
) -> Result<(), AppError> {
    let linked: Vec<(String, i64)> =
        sqlx::query("SELECT indicator_code, target_level FROM card_indicator WHERE card_id = $1")
            .bind(c.id)
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("indicator_code")?, r.try_get("target_level")?)))
            .collect::<Result<_, AppError>>()?;
    if linked.is_empty() {
        return Ok(());
    }
    // Only when some linked indicator's Mandiri level is still below the card's target.
    let cycle: i64 = sqlx::query("SELECT cycle_id FROM board WHERE id = $1")
        .bind(board)
        .fetch_one(&mut **tx)
        .await?
        .try_get("cycle_id")?;
    let levels = current_levels(db, cycle).await?;
    let mandiri = levels.get(&Stage::Mandiri);
    let below = linked.iter().any(|(code, target)| {
        mandiri
            .and_then(|m| m.get(code))
            .is_none_or(|l| *l < crate::scoring::ratio::Ratio::from_int(*target as i128))
    });
    if !below {
        return Ok(());
    }
    let members: Vec<i64> = sqlx::query(
        "SELECT DISTINCT uo.user_id FROM user_opd uo JOIN users u ON u.id = uo.user_id \
         WHERE uo.opd_id = $1 AND u.role IN ('opd', 'asesor') AND u.is_active = 1",
    )
    .bind(c.lead)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| r.try_get::<i64, _>("user_id"))
    .collect::<Result<_, _>>()?;
    for m in members {
        notify(
            tx,
            user,
            m,
            "usulan",
            c.id,
            &format!(
                "Kartu \"{}\" selesai: periksa usulan klaim penilaian mandiri untuk indikatornya",
                c.title
            ),
            Some(&format!("usulan:{}", c.id)),
        )
        .await?;
    }
    Ok(())
}

pub async fn link_indicator(
    state: &AppState,
    user: &CurrentUser,
    board: i64,
    card: i64,
    code: &str,
    target: i64,
    remove: bool,
) -> Result<(), AppError> {
    let db = &state.db;
    let c = editable(db, user, board, card).await?;
    let b = board_row(db, user, board).await?;
    let cycle = load_cycle(db, user.instansi_id, Some(b.cycle_id)).await?;
    let code = code.trim();
    let name = cycle
        .framework
        .indicators
        .iter()
        .find(|i| i.code == code)
        .map(|i| i.name.clone())
        .ok_or_else(|| invalid(format!("Indikator '{code}' tidak ada pada {}.", cycle.name)))?;
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM card_indicator WHERE card_id = $1 AND indicator_code = $2")
        .bind(c.id)
        .bind(code)
        .execute(&mut *tx)
        .await?;
    let text = if remove {
        format!("melepas indikator {code} {name}")
    } else {
        if !(1..=5).contains(&target) {
            return Err(invalid("Level target harus 1 sampai 5."));
        }
        sqlx::query(
            "INSERT INTO card_indicator (card_id, indicator_code, target_level) VALUES ($1, $2, $3)",
        )
        .bind(c.id)
        .bind(code)
        .bind(target)
        .execute(&mut *tx)
        .await?;
        format!("mengaitkan indikator {code} {name} dengan target level {target}")
    };
    event(&mut tx, user, board, Some(c.id), "kartu.indikator", &text).await?;
    tx.commit().await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub async fn checklist(
    state: &AppState,
    user: &CurrentUser,
    board: i64,
    card: i64,
    action: &str,
    item: i64,
    body: &str,
    done: bool,
) -> Result<(), AppError> {
    let db = &state.db;
    let c = editable(db, user, board, card).await?;
    let mut tx = db.begin().await?;
    let item_body = || async {
        let r = sqlx::query("SELECT body FROM card_check WHERE id = $1 AND card_id = $2")
            .bind(item)
            .bind(c.id)
            .fetch_optional(&db.pool)
            .await?
            .ok_or_else(|| AppError::NotFound("Butir daftar periksa".into()))?;
        Ok::<String, AppError>(r.try_get("body")?)
    };
    let text = match action {
        "tambah" => {
            let body = body.trim();
            if body.is_empty() || body.chars().count() > 300 {
                return Err(invalid("Butir daftar periksa harus 1 sampai 300 karakter."));
            }
            let pos: i64 = sqlx::query(
                "SELECT COALESCE(MAX(position), -1) + 1 AS p FROM card_check WHERE card_id = $1",
            )
            .bind(c.id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("p")?;
            sqlx::query("INSERT INTO card_check (card_id, body, position) VALUES ($1, $2, $3)")
                .bind(c.id)
                .bind(body)
                .bind(pos)
                .execute(&mut *tx)
                .await?;
            format!("menambah butir \"{body}\"")
        }
        "centang" => {
            let b = item_body().await?;
            // Setting (not toggling) the state: two people ticking at once agree.
            sqlx::query(
                "UPDATE card_check SET done = $1, done_by = $2, done_at = $3 \
                 WHERE id = $4 AND card_id = $5",
            )
            .bind(done as i64)
            .bind(done.then_some(user.id))
            .bind(done.then(now))
            .bind(item)
            .bind(c.id)
            .execute(&mut *tx)
            .await?;
            if done {
                format!("mencentang \"{b}\"")
            } else {
                format!("membatalkan centang \"{b}\"")
            }
        }
        "hapus" => {
            let b = item_body().await?;
            sqlx::query("DELETE FROM card_check WHERE id = $1 AND card_id = $2")
                .bind(item)
                .bind(c.id)
                .execute(&mut *tx)
                .await?;
            format!("menghapus butir \"{b}\"")
        }
        _ => return Err(invalid(format!("Tindakan '{action}' tidak dikenal."))),
    };
    event(&mut tx, user, board, Some(c.id), "kartu.periksa", &text).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn attach(
    state: &AppState,
    user: &CurrentUser,
    board: i64,
    card: i64,
    evidence: i64,
    remove: bool,
) -> Result<(), AppError> {
    let db = &state.db;
    let c = editable(db, user, board, card).await?;
    let title: String =
        sqlx::query("SELECT title FROM evidence WHERE id = $1 AND instansi_id = $2")
            .bind(evidence)
            .bind(user.instansi_id)
            .fetch_optional(&db.pool)
            .await?
            .ok_or_else(|| AppError::NotFound("Data dukung".into()))?
            .try_get("title")?;
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM card_attachment WHERE card_id = $1 AND evidence_id = $2")
        .bind(c.id)
        .bind(evidence)
        .execute(&mut *tx)
        .await?;
    if !remove {
        sqlx::query(
            "INSERT INTO card_attachment (card_id, evidence_id, added_by, added_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(c.id)
        .bind(evidence)
        .bind(user.id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    }
    let text = if remove {
        format!("melepas lampiran \"{title}\"")
    } else {
        format!("melampirkan \"{title}\"")
    };
    event(&mut tx, user, board, Some(c.id), "kartu.lampiran", &text).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn comment(
    state: &AppState,
    user: &CurrentUser,
    board: i64,
    card: i64,
    body: &str,
) -> Result<i64, AppError> {
    if !rules::may_comment(user.role) {
        return Err(AppError::Forbidden);
    }
    let db = &state.db;
    let c = card_row(db, user, board, card).await?;
    let body = body.trim();
    if body.is_empty() {
        return Err(invalid("Komentar wajib diisi."));
    }
    if body.chars().count() > 4000 {
        return Err(invalid(
            "Komentar terlalu panjang (maksimal 4000 karakter).",
        ));
    }
    let everyone = people(db, user.instansi_id).await?;
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO card_comment (card_id, body, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(c.id)
    .bind(body)
    .bind(user.id)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    for name in rules::mentions(body) {
        if let Some(p) = everyone
            .iter()
            .find(|p| p.username == name && p.id != user.id)
        {
            notify(
                &mut tx,
                user,
                p.id,
                "sebutan",
                c.id,
                &format!(
                    "{} menyebut Anda pada kartu \"{}\"",
                    user.display_name, c.title
                ),
                None,
            )
            .await?;
        }
    }
    event(
        &mut tx,
        user,
        board,
        Some(c.id),
        "kartu.komentar",
        &format!("berkomentar pada kartu \"{}\"", c.title),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn card(
    state: &AppState,
    user: &CurrentUser,
    board: i64,
    card: i64,
) -> Result<CardView, AppError> {
    let db = &state.db;
    let b = board_row(db, user, board).await?;
    let c = card_row(db, user, board, card).await?;
    let last_event = latest_event(db, user.instansi_id).await?;
    let today = today();
    let summary = summaries(db, user, b.id, &today)
        .await?
        .into_iter()
        .find(|s| s.id == c.id)
        .ok_or_else(|| AppError::NotFound("Kartu".into()))?;
    let r = sqlx::query(
        "SELECT k.description, k.updated_at, COALESCE(u.display_name, '') AS who, bc.name AS column_name \
         FROM card k LEFT JOIN users u ON u.id = k.updated_by \
         JOIN board_column bc ON bc.id = k.column_id WHERE k.id = $1",
    )
    .bind(c.id)
    .fetch_one(&db.pool)
    .await?;
    let description: String = r.try_get("description")?;
    let checks = sqlx::query(
        "SELECT id, body, done FROM card_check WHERE card_id = $1 ORDER BY position, id",
    )
    .bind(c.id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(CheckItem {
            id: r.try_get("id")?,
            body: r.try_get("body")?,
            done: r.try_get::<i64, _>("done")? == 1,
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    let attachments = sqlx::query(
        "SELECT e.id, e.title, v.id AS version_id, v.version, v.url FROM card_attachment a \
         JOIN evidence e ON e.id = a.evidence_id \
         JOIN evidence_version v ON v.evidence_id = e.id \
         WHERE a.card_id = $1 AND v.version = (SELECT MAX(x.version) FROM evidence_version x WHERE x.evidence_id = e.id) \
         ORDER BY e.title",
    )
    .bind(c.id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(Attachment {
            evidence_id: r.try_get("id")?,
            title: r.try_get("title")?,
            version: r.try_get("version")?,
            href: crate::assessment::ssr::evidence_href(r.try_get("version_id")?, r.try_get("url")?),
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    let comments = sqlx::query(
        "SELECT m.id, m.body, m.created_at, u.display_name FROM card_comment m \
         JOIN users u ON u.id = m.created_by WHERE m.card_id = $1 ORDER BY m.id",
    )
    .bind(c.id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(CommentView {
            id: r.try_get("id")?,
            author: r.try_get("display_name")?,
            at: r.try_get("created_at")?,
            html: super::markdown::render(&r.try_get::<String, _>("body")?),
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    let activity = sqlx::query(
        "SELECT e.id, e.created_at, e.payload, COALESCE(u.display_name, 'Sistem') AS who FROM event e \
         LEFT JOIN users u ON u.id = e.actor_id \
         WHERE e.instansi_id = $1 AND e.subject = $2 ORDER BY e.id DESC LIMIT 200",
    )
    .bind(user.instansi_id)
    .bind(format!("papan/{}/kartu/{}", b.id, c.id))
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        let payload: String = r.try_get("payload")?;
        let text = serde_json::from_str::<serde_json::Value>(&payload)
            .ok()
            .and_then(|v| v["ringkasan"].as_str().map(str::to_string))
            .unwrap_or_default();
        Ok(Activity {
            id: r.try_get("id")?,
            at: r.try_get("created_at")?,
            actor: r.try_get("who")?,
            text,
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    let cycle = load_cycle(db, user.instansi_id, Some(b.cycle_id)).await?;
    let mut suggestions = Vec::new();
    if summary.done && !summary.indicators.is_empty() {
        let levels = current_levels(db, cycle.id).await?;
        let mandiri = levels.get(&Stage::Mandiri);
        for (code, target) in &summary.indicators {
            let now_level = mandiri.and_then(|m| m.get(code)).copied();
            let reached = now_level
                .is_some_and(|l| l >= crate::scoring::ratio::Ratio::from_int(*target as i128));
            if reached {
                continue;
            }
            suggestions.push(ClaimSuggestion {
                code: code.clone(),
                name: cycle
                    .framework
                    .indicators
                    .iter()
                    .find(|i| &i.code == code)
                    .map(|i| i.name.clone())
                    .unwrap_or_default(),
                target: *target,
                mandiri: now_level.map(level_id),
                can_claim: crate::assessment::ssr::require_claim_right(db, user, cycle.id, code)
                    .await
                    .is_ok(),
            });
        }
    }
    let evidence =
        sqlx::query("SELECT id, title FROM evidence WHERE instansi_id = $1 ORDER BY title")
            .bind(user.instansi_id)
            .fetch_all(&db.pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("title")?)))
            .collect::<Result<Vec<_>, AppError>>()?;
    Ok(CardView {
        card: summary,
        board_id: b.id,
        board_name: b.name,
        cycle_id: b.cycle_id,
        column_name: r.try_get("column_name")?,
        description_html: super::markdown::render(&description),
        description,
        updated_by: r.try_get("who")?,
        updated_at: r.try_get("updated_at")?,
        checks,
        attachments,
        comments,
        activity,
        suggestions,
        can_comment: rules::may_comment(user.role),
        opds: opds(db, user.instansi_id).await?,
        people: people(db, user.instansi_id).await?,
        indicators: cycle
            .framework
            .indicators
            .iter()
            .map(|i| (i.code.clone(), i.name.clone()))
            .collect(),
        evidence,
        last_event,
    })
}

// ---------------------------------------------------------------------------------------------
// Presence, notifications, my work, collaboration
// ---------------------------------------------------------------------------------------------

pub async fn heartbeat(
    state: &AppState,
    user: &CurrentUser,
    board: i64,
    card: i64,
) -> Result<Vec<Presence>, AppError> {
    let db = &state.db;
    let b = board_row(db, user, board).await?;
    let card = if card > 0 {
        Some(card_row(db, user, b.id, card).await?.id)
    } else {
        None
    };
    let t = now();
    sqlx::query(
        "INSERT INTO presence (board_id, user_id, card_id, seen_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (board_id, user_id) DO UPDATE SET card_id = excluded.card_id, seen_at = excluded.seen_at",
    )
    .bind(b.id)
    .bind(user.id)
    .bind(card)
    .bind(t)
    .execute(&db.pool)
    .await?;
    sqlx::query(
        "SELECT p.user_id, u.display_name, p.card_id, k.title FROM presence p \
         JOIN users u ON u.id = p.user_id LEFT JOIN card k ON k.id = p.card_id \
         WHERE p.board_id = $1 AND p.seen_at >= $2 ORDER BY u.display_name",
    )
    .bind(b.id)
    .bind(t - PRESENCE_SECONDS)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        let card: Option<i64> = r.try_get("card_id")?;
        let title: Option<String> = r.try_get("title")?;
        Ok(Presence {
            user_id: r.try_get("user_id")?,
            name: r.try_get("display_name")?,
            editing: card.zip(title),
        })
    })
    .collect()
}

/// Due-soon reminders for the caller's open assigned cards, written once per card and date.
async fn remind_due(state: &AppState, user: &CurrentUser) -> Result<(), AppError> {
    let db = &state.db;
    let today = today();
    let rows = sqlx::query(
        "SELECT k.id, k.title, k.due_date FROM card k JOIN card_assignee ca ON ca.card_id = k.id \
         JOIN board_column bc ON bc.id = k.column_id \
         WHERE ca.user_id = $1 AND bc.is_done = 0 AND k.due_date IS NOT NULL \
           AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.user_id = $1 \
             AND n.dedupe = 'tenggat:' || CAST(k.id AS TEXT) || ':' || k.due_date)",
    )
    .bind(user.id)
    .fetch_all(&db.pool)
    .await?;
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let title: String = r.try_get("title")?;
        let due: String = r.try_get("due_date")?;
        let state_now = due_state(Some(&due), false, &today);
        if !matches!(state_now, Due::Soon | Due::Overdue) {
            continue;
        }
        let body = if state_now == Due::Overdue {
            format!("Kartu \"{title}\" melewati tenggat {due}")
        } else {
            format!("Kartu \"{title}\" jatuh tempo {due}")
        };
        let key = format!("tenggat:{id}:{due}");
        let mut tx = db.begin().await?;
        // Two tabs asking at once: the unique key lets one write and the other skip harmlessly.
        match notify(&mut tx, user, user.id, "tenggat", id, &body, Some(&key)).await {
            Ok(()) => {
                let _ = tx.commit().await;
            }
            Err(_) => {
                let _ = tx.rollback().await;
            }
        }
    }
    Ok(())
}

pub async fn unread(state: &AppState, user: &CurrentUser) -> Result<Unread, AppError> {
    let db = &state.db;
    let last_event = latest_event(db, user.instansi_id).await?;
    remind_due(state, user).await?;
    let count = sqlx::query(
        "SELECT COUNT(*) AS n FROM notification WHERE user_id = $1 AND read_at IS NULL",
    )
    .bind(user.id)
    .fetch_one(&db.pool)
    .await?
    .try_get("n")?;
    Ok(Unread {
        user_id: user.id,
        count,
        last_event,
    })
}

pub async fn mark_read(state: &AppState, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    let db = &state.db;
    let mut tx = db.begin().await?;
    if id > 0 {
        sqlx::query("UPDATE notification SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at IS NULL")
            .bind(now())
            .bind(id)
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
    } else {
        sqlx::query("UPDATE notification SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
            .bind(now())
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
    }
    record_event(
        &mut tx,
        user.instansi_id,
        "notifikasi.dibaca",
        &format!("pengguna/{}", user.id),
        &serde_json::json!({"id": id}),
        Some(user.id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn my_work(state: &AppState, user: &CurrentUser) -> Result<MyWork, AppError> {
    let db = &state.db;
    let last_event = latest_event(db, user.instansi_id).await?;
    remind_due(state, user).await?;
    let today = today();
    let mine = member_of(db, user.id).await?;
    let boards = sqlx::query(
        "SELECT b.id, b.name FROM board b JOIN cycle c ON c.id = b.cycle_id \
         WHERE b.instansi_id = $1 ORDER BY c.is_current DESC, c.year DESC, b.id",
    )
    .bind(user.instansi_id)
    .fetch_all(&db.pool)
    .await?;
    let mut cards = Vec::new();
    for b in boards {
        let board_id: i64 = b.try_get("id")?;
        let board_name: String = b.try_get("name")?;
        let columns: HashMap<i64, String> =
            sqlx::query("SELECT id, name FROM board_column WHERE board_id = $1")
                .bind(board_id)
                .fetch_all(&db.pool)
                .await?
                .iter()
                .map(|r| Ok((r.try_get("id")?, r.try_get("name")?)))
                .collect::<Result<_, AppError>>()?;
        let contributing: Vec<i64> = sqlx::query(
            "SELECT co.card_id FROM card_opd co JOIN card k ON k.id = co.card_id \
             JOIN user_opd uo ON uo.opd_id = co.opd_id WHERE k.board_id = $1 AND uo.user_id = $2",
        )
        .bind(board_id)
        .bind(user.id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| r.try_get::<i64, _>("card_id"))
        .collect::<Result<_, _>>()?;
        for s in summaries(db, user, board_id, &today).await? {
            if s.done {
                continue;
            }
            let why = if s.assignees.iter().any(|p| p.id == user.id) {
                "ditugaskan"
            } else if mine.contains(&s.lead_id) {
                "pemimpin"
            } else if contributing.contains(&s.id) {
                "kontributor"
            } else {
                continue;
            };
            cards.push(MyCard {
                board_id,
                board_name: board_name.clone(),
                column_name: columns.get(&s.column_id).cloned().unwrap_or_default(),
                card: s,
                why: why.to_string(),
            });
        }
    }
    cards.sort_by(|a, b| {
        let key = |c: &MyCard| {
            (
                c.card.due_date.clone().unwrap_or_else(|| "9999".into()),
                c.card.id,
            )
        };
        key(a).cmp(&key(b))
    });
    let mut indicators = Vec::new();
    if !mine.is_empty() {
        if let Ok(cycle) = load_cycle(db, user.instansi_id, None).await {
            let levels = current_levels(db, cycle.id).await?;
            let rows = sqlx::query(
                "SELECT ci.indicator_code, 1 AS is_lead FROM cycle_indicator ci \
                   JOIN user_opd uo ON uo.opd_id = ci.lead_opd_id WHERE ci.cycle_id = $1 AND uo.user_id = $2 \
                 UNION SELECT ic.indicator_code, 0 AS is_lead FROM indicator_contributor ic \
                   JOIN user_opd uo ON uo.opd_id = ic.opd_id WHERE ic.cycle_id = $1 AND uo.user_id = $2",
            )
            .bind(cycle.id)
            .bind(user.id)
            .fetch_all(&db.pool)
            .await?;
            let mut seen: HashMap<String, bool> = HashMap::new();
            for r in rows {
                let code: String = r.try_get("indicator_code")?;
                let lead = r.try_get::<i64, _>("is_lead")? == 1;
                let e = seen.entry(code).or_insert(false);
                *e = *e || lead;
            }
            for i in &cycle.framework.indicators {
                if let Some(lead) = seen.get(&i.code) {
                    indicators.push(MyIndicator {
                        cycle_id: cycle.id,
                        cycle_name: cycle.name.clone(),
                        code: i.code.clone(),
                        name: i.name.clone(),
                        lead: *lead,
                        mandiri: levels
                            .get(&Stage::Mandiri)
                            .and_then(|m| m.get(&i.code))
                            .map(|l| level_id(*l)),
                    });
                }
            }
        }
    }
    let notifications = sqlx::query(
        "SELECT n.id, n.kind, n.body, n.created_at, n.read_at, n.card_id, k.board_id FROM notification n \
         LEFT JOIN card k ON k.id = n.card_id WHERE n.user_id = $1 ORDER BY n.id DESC LIMIT 50",
    )
    .bind(user.id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        let card: Option<i64> = r.try_get("card_id")?;
        let board: Option<i64> = r.try_get("board_id")?;
        Ok(Notification {
            id: r.try_get("id")?,
            kind: r.try_get("kind")?,
            body: r.try_get("body")?,
            href: card.zip(board).map(|(c, b)| format!("/papan/{b}/kartu/{c}")),
            at: r.try_get("created_at")?,
            read: r.try_get::<Option<i64>, _>("read_at")?.is_some(),
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    let unread = notifications.iter().filter(|n| !n.read).count() as i64;
    Ok(MyWork {
        cards,
        indicators,
        notifications,
        unread,
        today,
        last_event,
    })
}

pub async fn collaboration(
    state: &AppState,
    user: &CurrentUser,
    board: i64,
) -> Result<CollaborationView, AppError> {
    let db = &state.db;
    let b = board_row(db, user, board).await?;
    let last_event = latest_event(db, user.instansi_id).await?;
    let cards = summaries(db, user, b.id, &today()).await?;
    let input: Vec<super::collab::CardOpds> = cards
        .iter()
        .map(|c| super::collab::CardOpds {
            lead: &c.lead,
            contributors: &c.opds,
            done: c.done,
            due: c.due,
        })
        .collect();
    let data = super::collab::collaboration(&input);
    let names = opds(db, user.instansi_id)
        .await?
        .into_iter()
        .filter(|o| data.opds.contains(&o.code))
        .map(|o| (o.code, o.name))
        .collect();
    Ok(CollaborationView {
        board_id: b.id,
        board_name: b.name,
        data,
        names,
        last_event,
    })
}

/// A demo card: (title, lead, contributors, indicators with targets, column, due in days from
/// the seed date, labels).
type DemoCard = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, i64)],
    usize,
    Option<i64>,
    &'static [&'static str],
);

const SPBE_DEMO: &[DemoCard] = &[
    (
        "Layanan kesehatan daring terintegrasi dengan Satu Sehat",
        "DINKES",
        &["DISKOMINFO", "RSUD"],
        &[("45", 5)],
        1,
        Some(2),
        &["layanan publik"],
    ),
    (
        "Penyusunan Arsitektur SPBE 2025–2029",
        "BAPPEDA",
        &["DISKOMINFO"],
        &[("11", 4), ("1", 4)],
        0,
        Some(30),
        &["prioritas"],
    ),
    (
        "Audit keamanan aplikasi layanan publik",
        "INSPEKTORAT",
        &["DISKOMINFO"],
        &[("31", 3)],
        2,
        Some(-2),
        &["keamanan"],
    ),
    (
        "Portal data terbuka kota",
        "DISKOMINFO",
        &["BAPPEDA", "DISPENDUKCAPIL"],
        &[("43", 4)],
        1,
        Some(10),
        &["data"],
    ),
    (
        "Peraturan Wali Kota tentang Tim Koordinasi SPBE",
        "BAG-HUKUM",
        &["DISKOMINFO", "BAG-ORG"],
        &[("10", 5)],
        3,
        None,
        &[],
    ),
];

const PEMDI_DEMO: &[DemoCard] = &[
    (
        "Kebijakan pelindungan data pribadi Pemkot",
        "BAG-HUKUM",
        &["DISKOMINFO"],
        &[("I8", 3)],
        0,
        Some(45),
        &["pemdi", "regulasi"],
    ),
    (
        "Survei kepuasan pengguna layanan digital",
        "DPMPTSP",
        &["DISKOMINFO", "BAG-ORG"],
        &[("I20", 3)],
        0,
        Some(60),
        &["pemdi"],
    ),
    (
        "Penerapan tanda tangan elektronik untuk naskah dinas",
        "DISKOMINFO",
        &["BAG-UMUM", "DISPERPUSIP"],
        &[("I11", 3)],
        1,
        Some(20),
        &["pemdi", "keamanan"],
    ),
];

/// The default board of each demo cycle, with a few cross-OPD cards (part of the demo seed).
pub async fn seed_demo_boards(
    tx: &mut Tx<'_>,
    instansi_id: i64,
    cycles: &[(i64, bool)],
) -> Result<(), AppError> {
    let opd_ids: HashMap<String, i64> =
        sqlx::query("SELECT id, code FROM opd WHERE instansi_id = $1")
            .bind(instansi_id)
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("code")?, r.try_get("id")?)))
            .collect::<Result<_, AppError>>()?;
    let opd_user: Option<i64> =
        sqlx::query("SELECT id FROM users WHERE username = 'opd' AND instansi_id = $1")
            .bind(instansi_id)
            .fetch_optional(&mut **tx)
            .await?
            .map(|r| r.try_get("id"))
            .transpose()?;
    let t = now();
    let today_days = rules::days_of(&today()).unwrap_or(0);
    for &(cycle, spbe) in cycles {
        let board = insert_board(tx, instansi_id, cycle, "Rencana Aksi", true, None).await?;
        let cols: Vec<(i64, bool)> = sqlx::query(
            "SELECT id, is_done FROM board_column WHERE board_id = $1 ORDER BY position",
        )
        .bind(board)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get::<i64, _>("is_done")? == 1)))
        .collect::<Result<_, AppError>>()?;
        let demo = if spbe { SPBE_DEMO } else { PEMDI_DEMO };
        for (pos, (title, lead, contributors, indicators, col, due, labels)) in
            demo.iter().enumerate()
        {
            let lead_id = *opd_ids.get(*lead).ok_or(AppError::Internal)?;
            let (column_id, done) = cols[(*col).min(cols.len() - 1)];
            let card: i64 = sqlx::query(
                "INSERT INTO card (instansi_id, board_id, column_id, position, title, lead_opd_id, due_date, \
                   version, done_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $9) RETURNING id",
            )
            .bind(instansi_id)
            .bind(board)
            .bind(column_id)
            .bind(pos as i64)
            .bind(*title)
            .bind(lead_id)
            .bind(due.map(|d| rules::iso_date(today_days + d)))
            .bind(done.then_some(t))
            .bind(t)
            .fetch_one(&mut **tx)
            .await?
            .try_get("id")?;
            for c in contributors.iter() {
                sqlx::query("INSERT INTO card_opd (card_id, opd_id) VALUES ($1, $2)")
                    .bind(card)
                    .bind(*opd_ids.get(*c).ok_or(AppError::Internal)?)
                    .execute(&mut **tx)
                    .await?;
            }
            for (code, target) in indicators.iter() {
                sqlx::query("INSERT INTO card_indicator (card_id, indicator_code, target_level) VALUES ($1, $2, $3)")
                    .bind(card)
                    .bind(*code)
                    .bind(*target)
                    .execute(&mut **tx)
                    .await?;
            }
            for l in labels.iter() {
                sqlx::query("INSERT INTO card_label (card_id, label) VALUES ($1, $2)")
                    .bind(card)
                    .bind(*l)
                    .execute(&mut **tx)
                    .await?;
            }
            if let (Some(u), "DINKES") = (opd_user, *lead) {
                sqlx::query("INSERT INTO card_assignee (card_id, user_id) VALUES ($1, $2)")
                    .bind(card)
                    .bind(u)
                    .execute(&mut **tx)
                    .await?;
            }
        }
    }
    Ok(())
}
