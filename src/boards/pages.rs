//! The board pages: `/papan`, `/papan/{id}`, `/papan/{id}/kartu/{card}`,
//! `/papan/{id}/kolaborasi` and `/saya`. Every form is a server fn form, so each page works
//! before hydration and without JavaScript; with it, pages follow the live feed.

use super::rules::Due;
use super::*;
use crate::i18n::{self, t};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn error_box(e: AppError) -> AnyView {
    view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any()
}

/// "At the end of the column" for a move.
const END: usize = 1 << 30;

fn offline_notice() -> impl IntoView {
    let l = i18n::current();
    view! {
        <p class="conflict" role="status" data-testid="terputus">
            {t(l, "Koneksi ke server terputus. Data terakhir tetap ditampilkan; perubahan yang terlewat dimuat otomatis begitu koneksi pulih.")}
        </p>
    }
}

fn due_chip(due: Due, date: &Option<String>) -> Option<AnyView> {
    let l = i18n::current();
    let date = date
        .as_deref()
        .and_then(super::rules::days_of)
        .map(|d| i18n::date(l, d * 86_400))?;
    let (class, text) = match due {
        Due::Overdue => (
            "chip due-overdue",
            format!("{} {date}", t(l, "Lewat tenggat")),
        ),
        Due::Soon => ("chip due-soon", format!("{} {date}", t(l, "Tenggat"))),
        _ => ("chip", format!("{} {date}", t(l, "Tenggat"))),
    };
    Some(view! { <span class=class data-testid="tenggat">{text}</span> }.into_any())
}

// ---------------------------------------------------------------------------------------------
// /papan
// ---------------------------------------------------------------------------------------------

#[component]
pub fn BoardsPage() -> impl IntoView {
    let create = ServerAction::<CreateBoard>::new();
    let data = Resource::new(move || create.version().get(), |_| list_boards());
    let l = i18n::current();
    view! {
        <Title text=format!("{} — Sinergi", t(l, "Papan rencana aksi")) />
        <h1>{t(l, "Papan rencana aksi")}</h1>
        <p class="muted">{t(l, "Program lintas OPD: satu OPD memimpin, OPD lain berkontribusi, semua melihat.")}</p>
        <Suspense fallback=move || view! { <p class="muted">{t(l, "Memuat papan…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) => {
                        let cycles = list.cycles.clone();
                        view! {
                            <ul class="board-list" data-testid="daftar-papan">
                                {list.boards.into_iter().map(|b| {
                                    let href = format!("/papan/{}", b.id);
                                    view! {
                                        <li class="card">
                                            <h2><a href=href>{b.name.clone()}</a></h2>
                                            <p class="muted small">{b.cycle_name.clone()}
                                                {b.is_default.then(|| format!(" · {}", t(l, "papan utama siklus")))}</p>
                                            <p>{b.open_cards} " " {t(l, "kartu berjalan")} " · " {b.done_cards} " " {t(l, "selesai")}</p>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            {list.can_manage.then(|| view! {
                                <section class="card" aria-labelledby="judul-papan-baru">
                                    <h2 id="judul-papan-baru">{t(l, "Papan baru")}</h2>
                                    <ActionForm action=create>
                                        <label for="papan-siklus">{t(l, "Siklus")}</label>
                                        <select id="papan-siklus" name="cycle">
                                            {cycles.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
                                        </select>
                                        <label for="papan-nama">{t(l, "Nama papan")}</label>
                                        <input id="papan-nama" name="name" required minlength="3" maxlength="80" />
                                        <button type="submit">{t(l, "Buat papan")}</button>
                                    </ActionForm>
                                    {move || create.value().get().and_then(|r| r.err()).map(error_box)}
                                </section>
                            })}
                        }.into_any()
                    }
                    Err(e) => error_box(e),
                }
            })}
        </Suspense>
    }
}

// ---------------------------------------------------------------------------------------------
// /papan/{id}
// ---------------------------------------------------------------------------------------------

fn board_param() -> impl Fn() -> i64 + Copy + Send + Sync {
    let params = use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    }
}

#[derive(Clone, Copy)]
struct BoardActions {
    create: ServerAction<CreateCard>,
    moves: ServerAction<MoveCard>,
    column: ServerAction<EditColumn>,
}

/// Who else has this board (or card) open; refreshed every few seconds while the page is open.
#[component]
fn PresenceBar(board: i64, editing: Signal<i64>) -> impl IntoView {
    let l = i18n::current();
    let tick = RwSignal::new(0u32);
    let who = Resource::new(
        move || (tick.get(), editing.get()),
        move |(_, card)| heartbeat(board, card),
    );
    #[cfg(feature = "hydrate")]
    {
        let handle = set_interval_with_handle(
            move || tick.update(|t| *t += 1),
            std::time::Duration::from_secs(4),
        )
        .ok();
        on_cleanup(move || {
            if let Some(h) = handle {
                h.clear();
            }
        });
    }
    view! {
        <div class="presence" aria-live="polite" data-testid="kehadiran">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match who.await {
                        Ok(list) => view! {
                            <span class="muted small">{t(l, "Sedang membuka:")} " "</span>
                            {list.into_iter().map(|p| {
                                let title = p.editing.as_ref().map(|(_, card_title)| format!("{} \"{card_title}\"", t(l, "menyunting")));
                                view! {
                                    <span class="chip presence-chip" data-testid="hadir">
                                        {p.name.clone()}
                                        {title.map(|what| view! { <span class="small">" · " {what}</span> })}
                                    </span>
                                }
                            }).collect_view()}
                        }.into_any(),
                        Err(_) => ().into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
pub fn BoardPage() -> impl IntoView {
    let board = board_param();
    let query = use_query_map();
    let create = ServerAction::<CreateCard>::new();
    let moves = ServerAction::<MoveCard>::new();
    let column = ServerAction::<EditColumn>::new();
    let key = move || {
        let q = query.read();
        let g = |k: &str| q.get(k).unwrap_or_default();
        (
            board(),
            g("opd"),
            g("indikator"),
            g("petugas"),
            g("label"),
            g("tenggat"),
        )
    };
    let data = Resource::new(key, |(id, opd, ind, who, label, due)| {
        get_board(id, opd, ind, who, label, due)
    });
    crate::live::follow(data, |d: &BoardView| {
        Some((d.last_event, format!("papan/{}", d.id)))
    });
    Effect::new(move |_| {
        let ok = [
            create.value().get().map(|r| r.is_ok()),
            moves.value().get().map(|r| r.is_ok()),
            column.value().get().map(|r| r.is_ok()),
        ];
        if ok.contains(&Some(true)) {
            data.refetch();
        }
    });
    let actions = BoardActions {
        create,
        moves,
        column,
    };
    let no_card = Signal::derive(|| 0i64);
    // A lost connection keeps the last board on screen, marked, until the feed is back.
    let last_good = StoredValue::new(None::<BoardView>);
    let l = i18n::current();
    view! {
        <Transition fallback=move || view! { <p class="muted">{t(l, "Memuat papan…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => {
                        last_good.set_value(Some(v.clone()));
                        board_view(v, actions, no_card).into_any()
                    }
                    Err(AppError::Transport(_)) if last_good.with_value(|v| v.is_some()) => {
                        let v = last_good.get_value().unwrap_or_else(|| unreachable!());
                        view! { {offline_notice()} {board_view(v, actions, no_card)} }.into_any()
                    }
                    Err(e) => error_box(e),
                }
            })}
        </Transition>
    }
}

fn board_view(v: BoardView, a: BoardActions, no_card: Signal<i64>) -> impl IntoView {
    let l = i18n::current();
    let title = format!("{} — {} — Sinergi", v.name, t(l, "Papan"));
    let cycle_href = format!("/siklus/{}", v.cycle_id);
    let collab_href = format!("/papan/{}/kolaborasi", v.id);
    let board_id = v.id;
    let dragging = RwSignal::new(None::<(i64, i64, usize)>);
    let error = move || {
        [
            a.create.value().get(),
            a.moves.value().get().map(|r| r.map(|_| 0)),
            a.column.value().get().map(|r| r.map(|_| 0)),
        ]
        .into_iter()
        .flatten()
        .find_map(|r| r.err())
        .map(error_box)
    };
    let column_count = v.columns.len();
    let lanes = use_query_map().read_untracked().get("lajur").as_deref() == Some("opd");
    view! {
        <Title text=title />
        <nav class="crumbs small" aria-label=t(l, "Remah roti")>
            <a href="/papan">{t(l, "Papan")}</a> " › " <a href=cycle_href>{v.cycle_name.clone()}</a>
        </nav>
        <h1>{v.name.clone()}</h1>
        <p class="small"><a href=collab_href>{t(l, "Lihat kolaborasi antar-OPD")}</a></p>
        <PresenceBar board=board_id editing=no_card />
        {filter_form(&v)}
        {error}
        {new_card_form(&v, a.create)}
        {if lanes {
            let mut leads: Vec<String> = v.columns.iter().flat_map(|c| c.cards.iter().map(|k| k.lead.clone())).collect();
            leads.sort();
            leads.dedup();
            view! {
                <div data-testid="papan" class="lanes">
                    {leads.into_iter().map(|lead| {
                        let heading = format!("lajur-{lead}");
                        let heading_id = heading.clone();
                        view! {
                            <section class="lane" aria-labelledby=heading data-testid="lajur">
                                <h2 id=heading_id class="lane-title">{format!("{} {lead}", t(l, "Dipimpin"))}</h2>
                                {columns_view(&v, Some(lead), a, dragging)}
                            </section>
                        }
                    }).collect_view()}
                </div>
            }.into_any()
        } else {
            view! { <div data-testid="papan">{columns_view(&v, None, a, dragging)}</div> }.into_any()
        }}
        {v.can_manage.then(|| column_admin(board_id, &v.columns, a.column))}
        <p class="muted small">{column_count} " " {t(l, "kolom")} " · " {t(l, "hari ini")} " " {v.today.clone()}</p>
    }
}

/// The columns of the board; with `lead`, only that OPD's cards (one swimlane). Card indices
/// stay those of the whole column, so a move means the same in either layout.
fn columns_view(
    v: &BoardView,
    lead: Option<String>,
    a: BoardActions,
    dragging: RwSignal<Option<(i64, i64, usize)>>,
) -> impl IntoView {
    let l = i18n::current();
    let board_id = v.id;
    let columns: Vec<(i64, String)> = v.columns.iter().map(|c| (c.id, c.name.clone())).collect();
    let lane = lead.clone().unwrap_or_default();
    let reorder = !v.filtered && lead.is_none();
    view! {
        <div class="board">
            {v.columns.iter().enumerate().map(|(ci, col)| {
                let col_id = col.id;
                let heading = format!("kolom-{}{}", col.id, if lane.is_empty() { String::new() } else { format!("-{lane}") });
                let heading_id = heading.clone();
                let count = if v.filtered { format!("{} {} {}", col.cards.len(), t(l, "dari"), col.total) } else { col.total.to_string() };
                let len = col.cards.len();
                let prev = (ci > 0).then(|| columns[ci - 1].0);
                let next = columns.get(ci + 1).map(|c| c.0);
                let ondrop = move |ev: leptos::ev::DragEvent| {
                    ev.prevent_default();
                    if let Some((card, _, _)) = dragging.get_untracked() {
                        dragging.set(None);
                        a.moves.dispatch(MoveCard { board: board_id, card, column: col_id, index: END as i64 });
                    }
                };
                let tiles = col.cards.iter().enumerate()
                    .filter(|(_, c)| lead.as_ref().is_none_or(|ld| &c.lead == ld))
                    .map(|(i, c)| card_tile(c, board_id, col_id, i, len, prev, next, dragging, a.moves, reorder))
                    .collect_view();
                let title = if lane.is_empty() {
                    view! { <h2 id=heading_id>{col.name.clone()} " " <span class="muted small">"(" {count} ")"</span>
                        {col.is_done.then(|| view! { <span class="chip small">{t(l, "selesai")}</span> })}
                    </h2> }.into_any()
                } else {
                    view! { <h3 id=heading_id>{col.name.clone()}</h3> }.into_any()
                };
                view! {
                    <section class="column" aria-labelledby=heading data-testid="kolom" data-kolom=col.name.clone()
                        on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
                        on:drop=ondrop>
                        {title}
                        <ol class="cards-list">{tiles}</ol>
                    </section>
                }
            }).collect_view()}
        </div>
    }
}

fn filter_form(v: &BoardView) -> impl IntoView {
    let query = use_query_map();
    let q = move |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let (opd, ind, who, label, due) = (
        q("opd"),
        q("indikator"),
        q("petugas"),
        q("label"),
        q("tenggat"),
    );
    let action = format!("/papan/{}", v.id);
    let reset = action.clone();
    let sel = |cur: &str, val: &str| cur.eq_ignore_ascii_case(val);
    let lanes = q("lajur") == "opd";
    let l = i18n::current();
    view! {
        <details class="filters" open=v.filtered || lanes>
            <summary>{t(l, "Saring kartu dan lajur")} {v.filtered.then(|| t(l, " (aktif)"))}</summary>
            <form method="get" action=action class="filter-form" data-testid="saring">
                <div class="field"><label for="f-opd">{t(l, "OPD")}</label>
                    <select id="f-opd" name="opd">
                        <option value="">{t(l, "Semua")}</option>
                        {v.opds.iter().map(|o| view! { <option value=o.code.clone() selected=sel(&opd, &o.code)>{o.code.clone()}</option> }).collect_view()}
                    </select></div>
                <div class="field"><label for="f-indikator">{t(l, "Indikator")}</label>
                    <select id="f-indikator" name="indikator">
                        <option value="">{t(l, "Semua")}</option>
                        {v.indicators.iter().map(|(c, n)| view! { <option value=c.clone() selected=sel(&ind, c)>{format!("{c} {n}")}</option> }).collect_view()}
                    </select></div>
                <div class="field"><label for="f-petugas">{t(l, "Petugas")}</label>
                    <select id="f-petugas" name="petugas">
                        <option value="">{t(l, "Semua")}</option>
                        {v.people.iter().map(|p| view! { <option value=p.id.to_string() selected=sel(&who, &p.id.to_string())>{p.name.clone()}</option> }).collect_view()}
                    </select></div>
                <div class="field"><label for="f-label">{t(l, "Label")}</label>
                    <select id="f-label" name="label">
                        <option value="">{t(l, "Semua")}</option>
                        {v.labels.iter().map(|lb| view! { <option value=lb.clone() selected=sel(&label, lb)>{lb.clone()}</option> }).collect_view()}
                    </select></div>
                <div class="field"><label for="f-tenggat">{t(l, "Tenggat")}</label>
                    <select id="f-tenggat" name="tenggat">
                        <option value="">{t(l, "Semua")}</option>
                        <option value="segera" selected=sel(&due, "segera")>{t(l, "Segera jatuh tempo")}</option>
                        <option value="lewat" selected=sel(&due, "lewat")>{t(l, "Lewat tenggat")}</option>
                    </select></div>
                <label class="check">
                    <input type="checkbox" name="lajur" value="opd" checked=lanes />
                    " " {t(l, "Lajur per OPD pemimpin")}
                </label>
                <button type="submit">{t(l, "Terapkan")}</button>
                <a href=reset class="small">{t(l, "Hapus saringan")}</a>
            </form>
        </details>
    }
}

fn new_card_form(v: &BoardView, create: ServerAction<CreateCard>) -> Option<AnyView> {
    if v.lead_choices.is_empty() {
        return None;
    }
    let l = i18n::current();
    let first = v.columns.first()?.id;
    let board = v.id.to_string();
    let leads = v.lead_choices.iter().map(|o| view! { <option value=o.id.to_string()>{format!("{} — {}", o.code, o.name)}</option> }).collect_view();
    let cols = v.columns.iter().map(|c| view! { <option value=c.id.to_string() selected=c.id == first>{c.name.clone()}</option> }).collect_view();
    Some(view! {
        <details class="card new-card">
            <summary>{t(l, "Tambah kartu")}</summary>
            <ActionForm action=create>
                <input type="hidden" name="board" value=board />
                <label for="kartu-judul">{t(l, "Judul")}</label>
                <input id="kartu-judul" name="title" required minlength="3" maxlength="200" data-testid="judul-kartu-baru" />
                <label for="kartu-pemimpin">{t(l, "OPD pemimpin")}</label>
                <select id="kartu-pemimpin" name="lead">{leads}</select>
                <label for="kartu-kolom">{t(l, "Kolom")}</label>
                <select id="kartu-kolom" name="column">{cols}</select>
                <button type="submit" class="primary">{t(l, "Tambah")}</button>
            </ActionForm>
        </details>
    }.into_any())
}

#[allow(clippy::too_many_arguments)]
fn card_tile(
    c: &CardSummary,
    board: i64,
    column: i64,
    index: usize,
    len: usize,
    prev: Option<i64>,
    next: Option<i64>,
    dragging: RwSignal<Option<(i64, i64, usize)>>,
    moves: ServerAction<MoveCard>,
    reorder: bool,
) -> impl IntoView {
    let l = i18n::current();
    let id = c.id;
    let href = format!("/papan/{board}/kartu/{id}");
    let can = c.can_edit;
    let move_form = move |label: &'static str,
                          text: &'static str,
                          to_col: i64,
                          to_idx: usize,
                          testid: &'static str| {
        view! {
            <ActionForm action=moves attr:class="inline">
                <input type="hidden" name="board" value=board.to_string() />
                <input type="hidden" name="card" value=id.to_string() />
                <input type="hidden" name="column" value=to_col.to_string() />
                <input type="hidden" name="index" value=to_idx.to_string() />
                <button type="submit" class="icon" aria-label=label title=label data-testid=testid>{text}</button>
            </ActionForm>
        }
    };
    let ondrop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        ev.stop_propagation();
        if let Some((card, from_col, from_idx)) = dragging.get_untracked() {
            dragging.set(None);
            if card == id {
                return;
            }
            // Dropped on this card: the moved card takes its place, this one moves down.
            // With a filter or swimlanes the visible order is not the column's: to the end.
            let at = if !reorder {
                END
            } else if from_col == column && from_idx < index {
                index - 1
            } else {
                index
            };
            moves.dispatch(MoveCard {
                board,
                card,
                column,
                index: at as i64,
            });
        }
    };
    let label_chips = c
        .labels
        .iter()
        .map(|lb| view! { <span class="chip label">{lb.clone()}</span> })
        .collect_view();
    let inds = c.indicators.iter().map(|(code, target)| view! { <span class="chip ind" title=t(l, "Indikator dan target level")>{format!("Ind. {code} → {target}")}</span> }).collect_view();
    let opds = if c.opds.is_empty() {
        String::new()
    } else {
        format!(" + {}", c.opds.join(", "))
    };
    let who = c
        .assignees
        .iter()
        .map(|p| p.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <li class="tile" draggable=if can { "true" } else { "false" } data-testid="kartu" data-kartu=id.to_string()
            on:dragstart=move |_ev: leptos::ev::DragEvent| {
                #[cfg(feature = "hydrate")]
                if let Some(dt) = _ev.data_transfer() {
                    let _ = dt.set_data("text/plain", &id.to_string());
                    dt.set_effect_allowed("move");
                }
                dragging.set(Some((id, column, index)));
            }
            on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
            on:drop=ondrop>
            <a href=href class="tile-title">{c.title.clone()}</a>
            <p class="small"><strong>{c.lead.clone()}</strong> {opds}</p>
            <p class="chips">{inds} {label_chips} {due_chip(c.due, &c.due_date)}</p>
            <p class="muted small">
                {(!who.is_empty()).then(|| format!("{}: {who} · ", t(l, "Petugas")))}
                {(c.checks_total > 0).then(|| format!("{} {}/{} · ", t(l, "Periksa"), c.checks_done, c.checks_total))}
                {c.comments} " " {t(l, "komentar")}
            </p>
            {can.then(|| view! {
                <div class="tile-moves" role="group" aria-label=t(l, "Pindahkan kartu")>
                    {prev.map(|p| move_form(t(l, "Pindah ke kolom sebelumnya"), "◀", p, END, "kiri"))}
                    {(reorder && index > 0).then(|| move_form(t(l, "Naikkan dalam kolom"), "▲", column, index - 1, "naik"))}
                    {(reorder && index + 1 < len).then(|| move_form(t(l, "Turunkan dalam kolom"), "▼", column, index + 1, "turun"))}
                    {next.map(|n| move_form(t(l, "Pindah ke kolom berikutnya"), "▶", n, END, "kanan"))}
                </div>
            })}
        </li>
    }
}

fn column_admin(
    board: i64,
    cols: &[ColumnView],
    action: ServerAction<EditColumn>,
) -> impl IntoView {
    let l = i18n::current();
    let form = move |act: &'static str, col: i64, label: &'static str| {
        view! {
            <ActionForm action=action attr:class="inline">
                <input type="hidden" name="board" value=board.to_string() />
                <input type="hidden" name="action" value=act />
                <input type="hidden" name="column" value=col.to_string() />
                <input type="hidden" name="name" value="" />
                <button type="submit" class="link small">{label}</button>
            </ActionForm>
        }
    };
    view! {
        <details class="card">
            <summary>{t(l, "Atur kolom")}</summary>
            <ul>
                {cols.iter().map(|c| {
                    let rename_id = format!("ganti-{}", c.id);
                    let rename_for = rename_id.clone();
                    let cid = c.id.to_string();
                    let cname = c.name.clone();
                    view! {
                        <li>
                            <ActionForm action=action attr:class="inline">
                                <input type="hidden" name="board" value=board.to_string() />
                                <input type="hidden" name="action" value="ubah" />
                                <input type="hidden" name="column" value=cid />
                                <label for=rename_for class="sr-only">{t(l, "Nama kolom")}</label>
                                <input id=rename_id name="name" value=cname maxlength="40" required />
                                <button type="submit" class="small">{t(l, "Ganti nama")}</button>
                            </ActionForm>
                            {form("kiri", c.id, t(l, "← geser"))}
                            {form("kanan", c.id, t(l, "geser →"))}
                            {(!c.is_done).then(|| form("selesai", c.id, t(l, "jadikan kolom selesai")))}
                            {(c.total == 0).then(|| form("hapus", c.id, t(l, "hapus")))}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <ActionForm action=action>
                <input type="hidden" name="board" value=board.to_string() />
                <input type="hidden" name="action" value="tambah" />
                <input type="hidden" name="column" value="0" />
                <label for="kolom-baru">{t(l, "Kolom baru")}</label>
                <input id="kolom-baru" name="name" maxlength="40" required />
                <button type="submit">{t(l, "Tambah kolom")}</button>
            </ActionForm>
        </details>
    }
}

// ---------------------------------------------------------------------------------------------
// /papan/{id}/kartu/{card}
// ---------------------------------------------------------------------------------------------

/// The editor's draft of the card fields, kept outside the re-rendered view so that a live
/// update never wipes what someone is typing.
#[derive(Clone, Copy)]
struct Draft {
    version: RwSignal<i64>,
    title: RwSignal<String>,
    description: RwSignal<String>,
    lead: RwSignal<i64>,
    opds: RwSignal<String>,
    assignees: RwSignal<String>,
    due: RwSignal<String>,
    labels: RwSignal<String>,
    dirty: RwSignal<bool>,
    editing: RwSignal<bool>,
}

impl Draft {
    fn new() -> Draft {
        Draft {
            version: RwSignal::new(0),
            title: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            lead: RwSignal::new(0),
            opds: RwSignal::new(String::new()),
            assignees: RwSignal::new(String::new()),
            due: RwSignal::new(String::new()),
            labels: RwSignal::new(String::new()),
            dirty: RwSignal::new(false),
            editing: RwSignal::new(false),
        }
    }

    fn load(&self, v: &CardView) {
        self.version.set(v.card.version);
        self.title.set(v.card.title.clone());
        self.description.set(v.description.clone());
        self.lead.set(v.card.lead_id);
        self.opds.set(v.card.opds.join(", "));
        self.assignees.set(
            v.card
                .assignees
                .iter()
                .map(|p| p.username.clone())
                .collect::<Vec<_>>()
                .join(", "),
        );
        self.due.set(v.card.due_date.clone().unwrap_or_default());
        self.labels.set(v.card.labels.join(", "));
        self.dirty.set(false);
    }
}

#[derive(Clone, Copy)]
struct CardActions {
    update: ServerAction<UpdateCard>,
    link: ServerAction<LinkIndicator>,
    check: ServerAction<Checklist>,
    attach: ServerAction<Attach>,
    comment: ServerAction<Comment>,
    moves: ServerAction<MoveCard>,
    claim: ServerAction<crate::assessment::ClaimLevel>,
}

#[component]
pub fn CardPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let p = params.read();
        let n = |k: &str| p.get(k).and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
        (n("id"), n("card"))
    };
    let data = Resource::new(key, |(b, c)| get_card(b, c));
    crate::live::follow(data, |d: &CardView| {
        Some((
            d.last_event,
            format!("papan/{}/kartu/{}", d.board_id, d.card.id),
        ))
    });
    let a = CardActions {
        update: ServerAction::<UpdateCard>::new(),
        link: ServerAction::<LinkIndicator>::new(),
        check: ServerAction::<Checklist>::new(),
        attach: ServerAction::<Attach>::new(),
        comment: ServerAction::<Comment>::new(),
        moves: ServerAction::<MoveCard>::new(),
        claim: ServerAction::<crate::assessment::ClaimLevel>::new(),
    };
    let draft = Draft::new();
    // Fill the draft from the card unless the editor has unsaved changes.
    Effect::new(move |_| {
        if let Some(Ok(v)) = data.get() {
            if !draft.dirty.get_untracked() {
                draft.load(&v);
            }
        }
    });
    Effect::new(move |_| {
        let saved = a.update.value().get().map(|r| r.is_ok());
        let others = [
            a.link.value().get().map(|r| r.is_ok()),
            a.check.value().get().map(|r| r.is_ok()),
            a.attach.value().get().map(|r| r.is_ok()),
            a.comment.value().get().map(|r| r.is_ok()),
            a.moves.value().get().map(|r| r.is_ok()),
            a.claim.value().get().map(|r| r.is_ok()),
        ];
        if let Some(Ok(version)) = a.update.value().get() {
            // Continue from the version just written, even before the card is read again.
            draft.version.set(version);
        }
        if saved == Some(true) {
            draft.dirty.set(false);
            draft.editing.set(false);
        }
        if saved.is_some() || others.contains(&Some(true)) {
            data.refetch();
        }
    });
    let board = untrack(move || key().0);
    let last_good = StoredValue::new(None::<CardView>);
    let editing_card = Signal::derive(move || if draft.editing.get() { key().1 } else { 0 });
    let l = i18n::current();
    view! {
        <PresenceBar board=board editing=editing_card />
        <Transition fallback=move || view! { <p class="muted">{t(l, "Memuat kartu…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => {
                        last_good.set_value(Some(v.clone()));
                        card_view(v, a, draft).into_any()
                    }
                    Err(AppError::Transport(_)) if last_good.with_value(|v| v.is_some()) => {
                        let v = last_good.get_value().unwrap_or_else(|| unreachable!());
                        view! { {offline_notice()} {card_view(v, a, draft)} }.into_any()
                    }
                    Err(e) => error_box(e),
                }
            })}
        </Transition>
    }
}

fn card_view(v: CardView, a: CardActions, d: Draft) -> impl IntoView {
    let l = i18n::current();
    let title = format!("{} — {} — Sinergi", v.card.title, t(l, "Kartu"));
    let board_href = format!("/papan/{}", v.board_id);
    let board = v.board_id;
    let card = v.card.id;
    let latest = v.clone();
    let conflict = move || match a.update.value().get() {
        Some(Err(AppError::Conflict(msg))) => Some(msg),
        _ => None,
    };
    let other_error = move || match a.update.value().get() {
        Some(Err(e)) if !matches!(e, AppError::Conflict(_)) => Some(error_box(e)),
        _ => None,
    };
    let saved = move || matches!(a.update.value().get(), Some(Ok(_))) && !d.dirty.get();
    let can = v.card.can_edit;
    let people_list = v
        .people
        .iter()
        .map(|p| view! { <option value=p.username.clone()>{p.name.clone()}</option> })
        .collect_view();
    let opd_list = v
        .opds
        .iter()
        .map(|o| view! { <option value=o.code.clone()>{o.name.clone()}</option> })
        .collect_view();
    let mark = move || {
        d.dirty.set(true);
    };
    view! {
        <Title text=title />
        <nav class="crumbs small" aria-label=t(l, "Remah roti")>
            <a href="/papan">{t(l, "Papan")}</a> " › " <a href=board_href>{v.board_name.clone()}</a>
        </nav>
        <h1 data-testid="judul-kartu">{v.card.title.clone()}</h1>
        <p>
            <span class="chip" data-testid="kolom-kartu">{v.column_name.clone()}</span> " "
            <strong>{v.card.lead.clone()}</strong>
            {(!v.card.opds.is_empty()).then(|| format!(" {} {}", t(l, "bersama"), v.card.opds.join(", ")))}
            " " {due_chip(v.card.due, &v.card.due_date)}
        </p>
        <p class="muted small">{t(l, "Versi")} " " {v.card.version}
            {(!v.updated_by.is_empty()).then(|| format!(" · {} {} {} {}", t(l, "diubah oleh"), v.updated_by, t(l, "pada"), i18n::datetime(l, v.updated_at)))}
        </p>
        <div class="grid2">
            <div>
                <section class="card" aria-labelledby="judul-deskripsi">
                    <h2 id="judul-deskripsi">{t(l, "Deskripsi")}</h2>
                    {if v.description.is_empty() {
                        view! { <p class="muted">{t(l, "Belum ada deskripsi.")}</p> }.into_any()
                    } else {
                        view! { <div class="markdown" data-testid="deskripsi" inner_html=v.description_html.clone()></div> }.into_any()
                    }}
                </section>
                {suggestions(&v, a.claim)}
                {checklist_view(&v, a.check)}
                {indicators_view(&v, a.link)}
                {attachments_view(&v, a.attach)}
                <section class="card" aria-labelledby="judul-komentar">
                    <h2 id="judul-komentar">{t(l, "Komentar")}</h2>
                    <ol class="comments" data-testid="komentar">
                        {v.comments.iter().map(|c| view! {
                            <li>
                                <p class="small"><strong>{c.author.clone()}</strong> " · " <span class="muted">{i18n::datetime(l, c.at)}</span></p>
                                <div class="markdown" inner_html=c.html.clone()></div>
                            </li>
                        }).collect_view()}
                    </ol>
                    {v.can_comment.then(|| view! {
                        <ActionForm action=a.comment>
                            <input type="hidden" name="board" value=board.to_string() />
                            <input type="hidden" name="card" value=card.to_string() />
                            <label for="komentar-baru">{t(l, "Komentar baru (Markdown; sebut rekan dengan @namapengguna)")}</label>
                            <textarea id="komentar-baru" name="body" rows="3" required data-testid="komentar-baru"></textarea>
                            <button type="submit">{t(l, "Kirim komentar")}</button>
                        </ActionForm>
                        {move || a.comment.value().get().and_then(|r| r.err()).map(error_box)}
                    })}
                </section>
            </div>
            <div>
                {can.then(|| view! {
                    <section class="card" aria-labelledby="judul-ubah" data-testid="ubah-kartu"
                        on:focusin=move |_| d.editing.set(true)>
                        <h2 id="judul-ubah">{t(l, "Ubah kartu")}</h2>
                        {move || conflict().map(|msg| {
                            let latest = latest.clone();
                            view! {
                                <div class="conflict" role="alert" data-testid="konflik">
                                    <p><strong>{t(l, "Konflik penyuntingan.")} " "</strong>{msg}</p>
                                    <p class="small">{t(l, "Versi terbaru: judul")} " \"" {latest.card.title.clone()} "\", " {t(l, "tenggat")} " "
                                        {latest.card.due_date.clone().unwrap_or_else(|| "–".into())}</p>
                                    <button type="button" data-testid="terapkan-ulang"
                                        on:click=move |_| { d.version.set(latest.card.version); a.update.clear(); }>
                                        {t(l, "Terapkan perubahan saya di atas versi terbaru")}
                                    </button>
                                    " "
                                    <button type="button" class="link" data-testid="buang-draf"
                                        on:click={
                                            let latest = latest.clone();
                                            move |_| { d.load(&latest); a.update.clear(); }
                                        }>
                                        {t(l, "Buang perubahan saya")}
                                    </button>
                                </div>
                            }
                        })}
                        {other_error}
                        {move || saved().then(|| view! { <p class="ok" role="status" data-testid="tersimpan">{t(l, "Kartu tersimpan.")}</p> })}
                        <ActionForm action=a.update>
                            <input type="hidden" name="board" value=board.to_string() />
                            <input type="hidden" name="card" value=card.to_string() />
                            <input type="hidden" name="version" value=move || d.version.get().to_string() prop:value=move || d.version.get().to_string() />
                            <label for="ubah-judul">{t(l, "Judul")}</label>
                            <input id="ubah-judul" name="title" required maxlength="200" data-testid="ubah-judul"
                                value=move || d.title.get() prop:value=move || d.title.get()
                                on:input=move |ev| { d.title.set(event_target_value(&ev)); mark(); } />
                            <label for="ubah-deskripsi">{t(l, "Deskripsi (Markdown)")}</label>
                            <textarea id="ubah-deskripsi" name="description" rows="6"
                                prop:value=move || d.description.get()
                                on:input=move |ev| { d.description.set(event_target_value(&ev)); mark(); }>
                                {d.description.get_untracked()}
                            </textarea>
                            <label for="ubah-pemimpin">{t(l, "OPD pemimpin")}</label>
                            <select id="ubah-pemimpin" name="lead"
                                on:change=move |ev| { d.lead.set(event_target_value(&ev).parse().unwrap_or(0)); mark(); }>
                                {v.opds.iter().map(|o| {
                                    let id = o.id;
                                    view! { <option value=id.to_string() selected=move || d.lead.get() == id>{format!("{} — {}", o.code, o.name)}</option> }
                                }).collect_view()}
                            </select>
                            <label for="ubah-opd">{t(l, "OPD kontributor (kode, dipisah koma)")}</label>
                            <input id="ubah-opd" name="opds" list="daftar-opd"
                                value=move || d.opds.get() prop:value=move || d.opds.get()
                                on:input=move |ev| { d.opds.set(event_target_value(&ev)); mark(); } />
                            <datalist id="daftar-opd">{opd_list}</datalist>
                            <label for="ubah-petugas">{t(l, "Petugas (nama pengguna, dipisah koma)")}</label>
                            <input id="ubah-petugas" name="assignees" list="daftar-pengguna"
                                value=move || d.assignees.get() prop:value=move || d.assignees.get()
                                on:input=move |ev| { d.assignees.set(event_target_value(&ev)); mark(); } />
                            <datalist id="daftar-pengguna">{people_list}</datalist>
                            <label for="ubah-tenggat">{t(l, "Tenggat")}</label>
                            <input id="ubah-tenggat" name="due" type="date"
                                value=move || d.due.get() prop:value=move || d.due.get()
                                on:input=move |ev| { d.due.set(event_target_value(&ev)); mark(); } />
                            <label for="ubah-label">{t(l, "Label (dipisah koma)")}</label>
                            <input id="ubah-label" name="labels"
                                value=move || d.labels.get() prop:value=move || d.labels.get()
                                on:input=move |ev| { d.labels.set(event_target_value(&ev)); mark(); } />
                            <button type="submit" class="primary" data-testid="simpan-kartu">{t(l, "Simpan")}</button>
                        </ActionForm>
                    </section>
                })}
                <section class="card" aria-labelledby="judul-riwayat">
                    <h2 id="judul-riwayat">{t(l, "Riwayat aktivitas")}</h2>
                    <ol class="activity small" data-testid="aktivitas">
                        {v.activity.iter().map(|e| view! {
                            <li><strong>{e.actor.clone()}</strong> " " {e.text.clone()} " · " <span class="muted">{i18n::datetime(l, e.at)}</span></li>
                        }).collect_view()}
                    </ol>
                </section>
            </div>
        </div>
    }
}

fn suggestions(
    v: &CardView,
    claim: ServerAction<crate::assessment::ClaimLevel>,
) -> Option<AnyView> {
    if v.suggestions.is_empty() {
        return None;
    }
    let l = i18n::current();
    let cycle = v.cycle_id;
    let evidence = v
        .attachments
        .iter()
        .map(|x| x.evidence_id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let why = format!("Rencana aksi \"{}\" selesai.", v.card.title);
    Some(view! {
        <section class="card suggestion" aria-labelledby="judul-usulan" data-testid="usulan-klaim">
            <h2 id="judul-usulan">{t(l, "Usulan klaim penilaian mandiri")}</h2>
            <p class="small">{t(l, "Kartu ini selesai. Konfirmasi klaim level untuk indikatornya bila bukti sudah memadai; tidak ada klaim yang dibuat otomatis.")}</p>
            {v.suggestions.iter().map(|s| {
                let href = format!("/siklus/{cycle}/indikator/{}", s.code);
                let ev = evidence.clone();
                let why = why.clone();
                let code = s.code.clone();
                let target = s.target.to_string();
                let reason_id = format!("alasan-{}", s.code);
                let reason_for = reason_id.clone();
                let button = format!("{} {}", t(l, "Konfirmasi klaim level"), s.target);
                view! {
                    <div class="suggestion-row">
                        <p><a href=href>{format!("{} {} {}", t(l, "Indikator"), s.code, s.name)}</a>
                            ": " {t(l, "mandiri")} " " {s.mandiri.as_ref().map(|m| i18n::num(l, m)).unwrap_or_else(|| t(l, "belum ada").to_string())}
                            " → " {t(l, "target")} " " {s.target}</p>
                        {if s.can_claim {
                            view! {
                                <ActionForm action=claim>
                                    <input type="hidden" name="cycle" value=cycle.to_string() />
                                    <input type="hidden" name="code" value=code />
                                    <input type="hidden" name="level" value=target />
                                    <input type="hidden" name="evidence" value=ev />
                                    <label for=reason_for>{t(l, "Penjelasan")}</label>
                                    <input id=reason_id name="justification" value=why required />
                                    <button type="submit" data-testid="konfirmasi-klaim">{button}</button>
                                </ActionForm>
                            }.into_any()
                        } else {
                            view! { <p class="muted small">{t(l, "Klaim dikonfirmasi oleh anggota OPD penanggung jawab indikator.")}</p> }.into_any()
                        }}
                    </div>
                }
            }).collect_view()}
            {move || claim.value().get().map(|r| match r {
                Ok(_) => view! { <p class="ok" role="status">{t(l, "Klaim tersimpan dan menunggu verifikasi asesor.")}</p> }.into_any(),
                Err(e) => error_box(e),
            })}
        </section>
    }.into_any())
}

fn checklist_view(v: &CardView, check: ServerAction<Checklist>) -> impl IntoView {
    let l = i18n::current();
    let board = v.board_id;
    let card = v.card.id;
    let can = v.card.can_edit;
    view! {
        <section class="card" aria-labelledby="judul-periksa">
            <h2 id="judul-periksa">{t(l, "Daftar periksa")} " " <span class="muted small">{format!("({}/{})", v.card.checks_done, v.card.checks_total)}</span></h2>
            <ul class="checklist" data-testid="daftar-periksa">
                {v.checks.iter().map(|c| {
                    let item = c.id;
                    let done = c.done;
                    let aria = format!("{}: {}", t(l, "Centang"), c.body);
                    view! {
                        <li class:done=done>
                            {if can {
                                view! {
                                    <ActionForm action=check attr:class="inline">
                                        <input type="hidden" name="board" value=board.to_string() />
                                        <input type="hidden" name="card" value=card.to_string() />
                                        <input type="hidden" name="action" value="centang" />
                                        <input type="hidden" name="item" value=item.to_string() />
                                        <input type="hidden" name="body" value="" />
                                        <input type="hidden" name="done" value=(!done).to_string() />
                                        <button type="submit" class="icon" role="checkbox" aria-checked=done.to_string()
                                            aria-label=aria>{if done { "☑" } else { "☐" }}</button>
                                    </ActionForm>
                                }.into_any()
                            } else {
                                view! { <span aria-hidden="true">{if done { "☑" } else { "☐" }}</span> }.into_any()
                            }}
                            " " {c.body.clone()}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {can.then(|| view! {
                <ActionForm action=check>
                    <input type="hidden" name="board" value=board.to_string() />
                    <input type="hidden" name="card" value=card.to_string() />
                    <input type="hidden" name="action" value="tambah" />
                    <input type="hidden" name="item" value="0" />
                    <input type="hidden" name="done" value="false" />
                    <label for="butir-baru">{t(l, "Butir baru")}</label>
                    <input id="butir-baru" name="body" required maxlength="300" />
                    <button type="submit">{t(l, "Tambah butir")}</button>
                </ActionForm>
            })}
            {move || check.value().get().and_then(|r| r.err()).map(error_box)}
        </section>
    }
}

fn indicators_view(v: &CardView, link: ServerAction<LinkIndicator>) -> impl IntoView {
    let l = i18n::current();
    let board = v.board_id;
    let card = v.card.id;
    let can = v.card.can_edit;
    let cycle = v.cycle_id;
    let names: Vec<(String, String)> = v.indicators.clone();
    let options = names
        .iter()
        .map(|(c, n)| view! { <option value=c.clone()>{format!("{c} {n}")}</option> })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="judul-indikator-kartu">
            <h2 id="judul-indikator-kartu">{t(l, "Indikator dan target level")}</h2>
            <ul data-testid="indikator-kartu">
                {v.card.indicators.iter().map(|(code, target)| {
                    let name = names.iter().find(|(c, _)| c == code).map(|(_, n)| n.clone()).unwrap_or_default();
                    let href = format!("/siklus/{cycle}/indikator/{code}");
                    let code_s = code.clone();
                    view! {
                        <li>
                            <a href=href>{format!("{code} {name}")}</a> " → " {t(l, "level")} " " {*target}
                            {can.then(move || view! {
                                <ActionForm action=link attr:class="inline">
                                    <input type="hidden" name="board" value=board.to_string() />
                                    <input type="hidden" name="card" value=card.to_string() />
                                    <input type="hidden" name="code" value=code_s />
                                    <input type="hidden" name="target" value="1" />
                                    <input type="hidden" name="remove" value="true" />
                                    <button type="submit" class="link small">{t(l, "lepas")}</button>
                                </ActionForm>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {can.then(move || view! {
                <ActionForm action=link>
                    <input type="hidden" name="board" value=board.to_string() />
                    <input type="hidden" name="card" value=card.to_string() />
                    <input type="hidden" name="remove" value="false" />
                    <label for="kaitkan-indikator">{t(l, "Indikator")}</label>
                    <select id="kaitkan-indikator" name="code" data-testid="pilih-indikator">
                        {options}
                    </select>
                    <label for="kaitkan-target">{t(l, "Target level")}</label>
                    <select id="kaitkan-target" name="target">
                        {(1..=5).map(|lv| view! { <option value=lv.to_string() selected=lv == 4>{lv}</option> }).collect_view()}
                    </select>
                    <button type="submit">{t(l, "Kaitkan")}</button>
                </ActionForm>
            })}
            {move || link.value().get().and_then(|r| r.err()).map(error_box)}
        </section>
    }
}

fn attachments_view(v: &CardView, attach: ServerAction<Attach>) -> impl IntoView {
    let l = i18n::current();
    let board = v.board_id;
    let card = v.card.id;
    let can = v.card.can_edit;
    let evidence_options = v
        .evidence
        .iter()
        .map(|(id, title)| view! { <option value=id.to_string()>{title.clone()}</option> })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="judul-lampiran">
            <h2 id="judul-lampiran">{t(l, "Lampiran dari pustaka data dukung")}</h2>
            <ul data-testid="lampiran">
                {v.attachments.iter().map(|x| { let eid = x.evidence_id.to_string(); view! {
                    <li>
                        <a href=x.href.clone()>{x.title.clone()}</a> <span class="muted small">{format!(" ({} {})", t(l, "versi"), x.version)}</span>
                        {can.then(move || view! {
                            <ActionForm action=attach attr:class="inline">
                                <input type="hidden" name="board" value=board.to_string() />
                                <input type="hidden" name="card" value=card.to_string() />
                                <input type="hidden" name="evidence" value=eid />
                                <input type="hidden" name="remove" value="true" />
                                <button type="submit" class="link small">{t(l, "lepas")}</button>
                            </ActionForm>
                        })}
                    </li>
                }}).collect_view()}
            </ul>
            {(can && !v.evidence.is_empty()).then(move || view! {
                <ActionForm action=attach>
                    <input type="hidden" name="board" value=board.to_string() />
                    <input type="hidden" name="card" value=card.to_string() />
                    <input type="hidden" name="remove" value="false" />
                    <label for="lampiran-baru">{t(l, "Data dukung")}</label>
                    <select id="lampiran-baru" name="evidence">
                        {evidence_options}
                    </select>
                    <button type="submit">{t(l, "Lampirkan")}</button>
                </ActionForm>
            })}
            {(can && v.evidence.is_empty()).then(|| view! { <p class="muted small"><a href="/bukti">{t(l, "Unggah data dukung")}</a> " " {t(l, "lebih dulu untuk melampirkannya.")}</p> })}
            {move || attach.value().get().and_then(|r| r.err()).map(error_box)}
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// /papan/{id}/kolaborasi
// ---------------------------------------------------------------------------------------------

#[component]
pub fn CollaborationPage() -> impl IntoView {
    let board = board_param();
    let data = Resource::new(board, collaboration);
    crate::live::follow(data, |d: &CollaborationView| {
        Some((d.last_event, format!("papan/{}", d.board_id)))
    });
    let l = i18n::current();
    view! {
        <Transition fallback=move || view! { <p class="muted">{t(l, "Memuat kolaborasi…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => {
                        let chart = collab::heatmap(&v.data);
                        let back = format!("/papan/{}", v.board_id);
                        let names = v.names.clone();
                        view! {
                            <Title text=format!("{} — {} — Sinergi", t(l, "Kolaborasi"), v.board_name) />
                            <nav class="crumbs small" aria-label=t(l, "Remah roti")><a href="/papan">{t(l, "Papan")}</a> " › " <a href=back>{v.board_name.clone()}</a></nav>
                            <h1>{t(l, "Kolaborasi antar-OPD")}</h1>
                            <p class="muted">{t(l, "Angka pada sel: jumlah kartu yang dikerjakan bersama oleh dua OPD.")}</p>
                            {(!v.data.opds.is_empty()).then(|| view! {
                                <crate::dashboard::ChartBox id="peta-kolaborasi" label=t(l, "Peta panas OPD × OPD: kartu yang dikerjakan bersama") chart=chart />
                            })}
                            <table data-testid="tabel-kolaborasi">
                                <caption>{t(l, "Kartu per OPD")}</caption>
                                <thead><tr>
                                    <th scope="col">{t(l, "OPD")}</th><th scope="col">{t(l, "Berjalan")}</th><th scope="col">{t(l, "Lewat tenggat")}</th>
                                    <th scope="col">{t(l, "Selesai")}</th><th scope="col">{t(l, "Dikerjakan bersama OPD lain")}</th>
                                </tr></thead>
                                <tbody>
                                    {v.data.counts.iter().map(|c| {
                                        let name = names.iter().find(|(code, _)| *code == c.code).map(|(_, n)| n.clone()).unwrap_or_default();
                                        view! { <tr>
                                            <th scope="row" title=name>{c.code.clone()}</th>
                                            <td>{c.open}</td><td>{c.overdue}</td><td>{c.done}</td><td>{c.shared}</td>
                                        </tr> }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }
                    Err(e) => error_box(e),
                }
            })}
        </Transition>
    }
}

// ---------------------------------------------------------------------------------------------
// /saya
// ---------------------------------------------------------------------------------------------

#[component]
pub fn MyWorkPage() -> impl IntoView {
    let read = ServerAction::<MarkRead>::new();
    let data = Resource::new(move || read.version().get(), |_| get_my_work());
    crate::live::follow(data, |d: &MyWork| Some((d.last_event, String::new())));
    let l = i18n::current();
    view! {
        <Title text=format!("{} — Sinergi", t(l, "Pekerjaan saya")) />
        <h1>{t(l, "Pekerjaan saya")}</h1>
        <Transition fallback=move || view! { <p class="muted">{t(l, "Memuat…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(w) => view! {
                        <section class="card" aria-labelledby="judul-notifikasi" id="notifikasi">
                            <h2 id="judul-notifikasi">{t(l, "Notifikasi")} " " <span class="muted small">{format!("({} {})", w.unread, t(l, "belum dibaca"))}</span></h2>
                            {(w.unread > 0).then(|| view! {
                                <ActionForm action=read>
                                    <input type="hidden" name="id" value="0" />
                                    <button type="submit" class="small">{t(l, "Tandai semua sudah dibaca")}</button>
                                </ActionForm>
                            })}
                            <ul class="notifications" data-testid="notifikasi">
                                {w.notifications.iter().map(|n| view! {
                                    <li class:unread=!n.read>
                                        {match n.href.clone() {
                                            Some(h) => view! { <a href=h>{n.body.clone()}</a> }.into_any(),
                                            None => view! { <span>{n.body.clone()}</span> }.into_any(),
                                        }}
                                        " · " <span class="muted small">{i18n::datetime(l, n.at)}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                            {w.notifications.is_empty().then(|| view! { <p class="muted">{t(l, "Belum ada notifikasi.")}</p> })}
                        </section>
                        <section class="card" aria-labelledby="judul-kartu-saya">
                            <h2 id="judul-kartu-saya">{t(l, "Kartu saya")}</h2>
                            <table data-testid="kartu-saya">
                                <thead><tr><th scope="col">{t(l, "Kartu")}</th><th scope="col">{t(l, "Papan")}</th><th scope="col">{t(l, "Kolom")}</th><th scope="col">{t(l, "Peran")}</th><th scope="col">{t(l, "Tenggat")}</th></tr></thead>
                                <tbody>
                                    {w.cards.iter().map(|c| {
                                        let href = format!("/papan/{}/kartu/{}", c.board_id, c.card.id);
                                        let role = match c.why.as_str() { "ditugaskan" => t(l, "ditugaskan kepada saya"), "pemimpin" => t(l, "OPD saya memimpin"), _ => t(l, "OPD saya berkontribusi") };
                                        view! { <tr>
                                            <td><a href=href>{c.card.title.clone()}</a></td>
                                            <td>{c.board_name.clone()}</td>
                                            <td>{c.column_name.clone()}</td>
                                            <td>{role}</td>
                                            <td>{due_chip(c.card.due, &c.card.due_date)}</td>
                                        </tr> }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            {w.cards.is_empty().then(|| view! { <p class="muted">{t(l, "Tidak ada kartu berjalan untuk Anda atau OPD Anda.")}</p> })}
                        </section>
                        {(!w.indicators.is_empty()).then(|| view! {
                            <section class="card" aria-labelledby="judul-indikator-saya">
                                <h2 id="judul-indikator-saya">{t(l, "Indikator OPD saya")}</h2>
                                <table>
                                    <thead><tr><th scope="col">{t(l, "Indikator")}</th><th scope="col">{t(l, "Peran OPD")}</th><th scope="col">{t(l, "Mandiri")}</th></tr></thead>
                                    <tbody>
                                        {w.indicators.iter().map(|i| {
                                            let href = format!("/siklus/{}/indikator/{}", i.cycle_id, i.code);
                                            view! { <tr>
                                                <td><a href=href>{format!("{} {}", i.code, i.name)}</a></td>
                                                <td>{if i.lead { t(l, "pemimpin") } else { t(l, "kontributor") }}</td>
                                                <td>{i.mandiri.as_ref().map(|m| i18n::num(l, m)).unwrap_or_else(|| t(l, "belum diisi").to_string())}</td>
                                            </tr> }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                        })}
                        <p class="muted small">{t(l, "Hari ini")} " " {i18n::date(l, crate::boards::rules::days_of(&w.today).unwrap_or(0) * 86_400)}</p>
                    }.into_any(),
                    Err(e) => error_box(e),
                }
            })}
        </Transition>
    }
}

/// The unread counter of the header: a resource created with the header (outside its
/// suspense, so it hydrates cleanly) that re-reads itself when the caller's notifications change.
pub fn unread_resource() -> Resource<Result<Option<Unread>, AppError>> {
    let data = Resource::new(|| (), |_| unread_count());
    crate::live::follow(data, |u: &Option<Unread>| {
        u.as_ref()
            .map(|u| (u.last_event, format!("pengguna/{}", u.user_id)))
    });
    data
}

/// The "Pekerjaan saya" link with the number of unread notifications.
pub fn unread_link(n: i64) -> impl IntoView {
    let l = i18n::current();
    let label = if n > 0 {
        format!(
            "{}, {n} {}",
            t(l, "Pekerjaan saya"),
            t(l, "notifikasi belum dibaca")
        )
    } else {
        t(l, "Pekerjaan saya").to_string()
    };
    view! {
        <a href="/saya#notifikasi" aria-label=label>{t(l, "Pekerjaan saya")}
            {(n > 0).then(|| view! { " " <span class="count" data-testid="belum-dibaca">{n}</span> })}
        </a>
    }
}
