//! `/pimpinan` (the war room) and `/kios/{token}` (the same, read-only, for a wall screen).

use super::{
    charts, get_kiosk, get_leadership, CreateKioskLink, LeadershipData, RevokeKioskLink, WorkStatus,
};
use crate::dashboard::charts::{
    aspect_radar, history_line, index_gauge, predicate_color, RadarSeries,
};
use crate::dashboard::{ChartBox, Figure};
use crate::i18n::{self, t, Lang};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::dashboard::fig_l as fig;

fn badge(p: Option<String>) -> impl IntoView {
    p.map(|p| {
        let style = format!("background:{}", predicate_color(&p));
        view! { <span class="badge" style=style data-testid="predikat">{p}</span> }
    })
}

/// A link when drilling is on (signed in), plain text on a kiosk.
fn maybe_link(drill: bool, href: String, text: String) -> AnyView {
    if drill {
        view! { <a href=href>{text}</a> }.into_any()
    } else {
        view! { <span>{text}</span> }.into_any()
    }
}

fn panel_class(kiosk: bool, index: usize, current: ReadSignal<usize>) -> impl Fn() -> String {
    move || {
        if kiosk && current.get() != index {
            "panel card tersembunyi".to_string()
        } else {
            "panel card".to_string()
        }
    }
}

/// The panels of the war room. On a kiosk one panel shows at a time (`current`).
/// The aspects whose indicator list is open: kept by the page, so a live re-read does not
/// close what the reader opened.
type OpenAspects = RwSignal<std::collections::HashSet<String>>;

fn war_room(
    d: LeadershipData,
    l: Lang,
    kiosk: bool,
    current: ReadSignal<usize>,
    open: OpenAspects,
) -> impl IntoView {
    let drill = d.drill;
    let cycle_id = d.cycle_id;
    let gauge = index_gauge(
        d.headline.as_ref().map(|f| f.value).unwrap_or(1.0),
        &fig(l, &d.headline),
        d.predicate.as_deref().unwrap_or("-"),
        &d.bands,
    );
    let stage_rows: Vec<_> = d
        .stages
        .iter()
        .filter(|s| s.stage != crate::assessment::Stage::Eksternal)
        .cloned()
        .collect();
    let stage_chart = charts::stage_bars(
        &stage_rows
            .iter()
            .map(|s| {
                (
                    t(l, s.stage.label()).to_string(),
                    s.index.as_ref().map(|f| f.value),
                    s.predicate.clone(),
                )
            })
            .collect::<Vec<_>>(),
    );
    let mut series = Vec::new();
    let pick = |f: fn(&super::AspectTriple) -> &Option<Figure>| -> Option<Vec<f64>> {
        d.aspects.iter().any(|a| f(a).is_some()).then(|| {
            d.aspects
                .iter()
                .map(|a| f(a).as_ref().map(|x| x.value).unwrap_or(0.0))
                .collect()
        })
    };
    if let Some(v) = pick(|a| &a.mandiri) {
        series.push(RadarSeries {
            name: t(l, "Mandiri").into(),
            values: v,
        });
    }
    if let Some(v) = pick(|a| &a.target) {
        series.push(RadarSeries {
            name: t(l, "Target").into(),
            values: v,
        });
    }
    if let Some(v) = pick(|a| &a.last_akhir) {
        series.push(RadarSeries {
            name: format!(
                "{} {}",
                t(l, "Nilai Akhir"),
                d.last_year.clone().unwrap_or_default()
            ),
            values: v,
        });
    }
    let radar = aspect_radar(
        &d.aspects.iter().map(|a| a.code.clone()).collect::<Vec<_>>(),
        &series,
    );
    let history = history_line(
        &d.history.iter().map(|h| h.year).collect::<Vec<_>>(),
        &d.history
            .iter()
            .map(|h| h.city.as_ref().map(|f| f.value))
            .collect::<Vec<_>>(),
        &d.history
            .iter()
            .map(|h| h.national.as_ref().map(|f| f.value))
            .collect::<Vec<_>>(),
        (t(l, "Kota"), t(l, "Rata-rata nasional")),
    );
    let ring = charts::status_ring(l, &d.status_counts);
    let overdue_chart = charts::overdue_bars(l, &d.overdue);
    let heat = d.heat.clone();
    let board = d.board_id;
    let updated = i18n::datetime(l, d.read_at);
    let milestone = d.milestone.clone();
    let commitment = d.commitment.clone();

    view! {
        <p class="muted small live-note" data-testid="diperbarui">
            {t(l, "Diperbarui langsung")} " · " {updated}
        </p>
        <div class=move || if kiosk { "war kiosk-panels" } else { "war" }>
            // 0: the index
            <section class=panel_class(kiosk, 0, current) aria-labelledby="p-indeks">
                <h2 id="p-indeks">
                    {t(l, "Indeks")} " "
                    {d.headline_stage.map(|s| t(l, s.label())).unwrap_or(t(l, "belum lengkap"))}
                </h2>
                <div class="grid2">
                    <div>
                        <p class="big" data-testid="indeks">{fig(l, &d.headline)}</p>
                        {badge(d.predicate.clone())}
                        <ul class="bands">
                            {d.band_texts.iter().map(|(name, range)| {
                                let style = format!("border-left-color:{}", predicate_color(name));
                                view! { <li style=style><strong>{name.clone()}</strong> " " {i18n::num(l, range)}</li> }
                            }).collect_view()}
                        </ul>
                    </div>
                    <ChartBox id="p-grafik-indeks" label=t(l, "Gauge indeks dengan pita predikat") chart=gauge />
                </div>
                <table data-testid="p-tahap">
                    <caption>{t(l, "Indeks per tahap")}</caption>
                    <thead><tr>
                        <th scope="col">{t(l, "Tahap")}</th>
                        <th scope="col" class="num">{t(l, "Indikator terisi")}</th>
                        <th scope="col" class="num">{t(l, "Indeks")}</th>
                        <th scope="col">{t(l, "Predikat")}</th>
                    </tr></thead>
                    <tbody>
                        {stage_rows.iter().map(|s| view! {
                            <tr>
                                <td>{t(l, s.stage.label())}</td>
                                <td class="num">{format!("{}/{}", s.filled, s.total)}</td>
                                <td class="num">{fig(l, &s.index)}</td>
                                <td>{s.predicate.clone().unwrap_or_else(|| "–".into())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <ChartBox id="p-grafik-tahap" label=t(l, "Indeks per tahap") chart=stage_chart />
            </section>

            // 1: aspects
            <section class=panel_class(kiosk, 1, current) aria-labelledby="p-aspek">
                <h2 id="p-aspek">{t(l, "Aspek: Mandiri, Target dan Nilai Akhir tahun lalu")}</h2>
                <ChartBox id="p-grafik-aspek" label=t(l, "Radar indeks aspek") chart=radar />
                <table class="parts" data-testid="p-aspek-tabel">
                    <thead><tr>
                        <th scope="col">{t(l, "Aspek")}</th>
                        <th scope="col" class="num">{t(l, "Mandiri")}</th>
                        <th scope="col" class="num">{t(l, "Target")}</th>
                        <th scope="col" class="num">
                            {t(l, "Nilai Akhir")} " " {d.last_year.clone().unwrap_or_default()}
                        </th>
                    </tr></thead>
                    <tbody>
                        {d.aspects.iter().map(|a| {
                            let members: Vec<(String, String, WorkStatus)> = heat
                                .indicators
                                .iter()
                                .zip(&heat.aspect_of)
                                .zip(&heat.statuses)
                                .filter(|((_, asp), _)| **asp == a.code)
                                .map(|((ind, _), st)| (ind.0.clone(), ind.1.clone(), *st))
                                .collect();
                            view! {
                                <tr>
                                    <td>
                                        <details
                                            class="drill"
                                            data-aspek=a.code.clone()
                                            prop:open={
                                                let code = a.code.clone();
                                                move || open.with(|o| o.contains(&code))
                                            }
                                            on:toggle={
                                                #[allow(unused_variables)]
                                                let code = a.code.clone();
                                                #[allow(unused_variables)]
                                                move |ev: leptos::ev::Event| {
                                                    // Only a browser toggles a <details>.
                                                    #[cfg(feature = "hydrate")]
                                                    {
                                                        let now_open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
                                                        open.update(|o| {
                                                            if now_open {
                                                                o.insert(code.clone());
                                                            } else {
                                                                o.remove(&code);
                                                            }
                                                        });
                                                    }
                                                }
                                            }
                                        >
                                            <summary>{a.code.clone()} " " {a.name.clone()}</summary>
                                            <ul class="plain">
                                                {members.into_iter().map(|(code, name, st)| {
                                                    let href = format!("/siklus/{cycle_id}/indikator/{code}");
                                                    let (bg, fg) = st.colors();
                                                    let style = format!("background:{bg};color:{fg}");
                                                    view! {
                                                        <li>
                                                            <span class="st-dot" style=style>{t(l, st.label())}</span>
                                                            " "
                                                            {maybe_link(drill, href, format!("{code} {name}"))}
                                                        </li>
                                                    }
                                                }).collect_view()}
                                            </ul>
                                        </details>
                                    </td>
                                    <td class="num">{fig(l, &a.mandiri)}</td>
                                    <td class="num">{fig(l, &a.target)}</td>
                                    <td class="num">{fig(l, &a.last_akhir)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </section>

            // 2: the OPD × indicator heat-map
            <section class=panel_class(kiosk, 2, current) aria-labelledby="p-peta">
                <h2 id="p-peta">{t(l, "Peta OPD × indikator")}</h2>
                <ul class="legend" data-testid="p-status">
                    {d.status_counts.iter().map(|(s, n)| {
                        let (bg, fg) = s.colors();
                        let style = format!("background:{bg};color:{fg}");
                        let testid = format!("status-{}", s.label().to_lowercase());
                        view! {
                            <li>
                                <span class="st-dot" style=style>{s.letter()}</span>
                                " " {t(l, s.label())} ": "
                                <strong data-testid=testid>{*n}</strong>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <div class="grid2">
                    <div class="heat-wrap" tabindex="0" role="region" aria-label=t(l, "Peta OPD × indikator")>
                        {heat_table(l, &heat, drill, cycle_id, board)}
                    </div>
                    <ChartBox id="p-grafik-status" label=t(l, "Status indikator") chart=ring />
                </div>
            </section>

            // 3: overdue board cards, milestone, commitment
            <section class=panel_class(kiosk, 3, current) aria-labelledby="p-terlambat">
                <div class="grid2">
                    <div>
                        <h2 id="p-terlambat">{t(l, "Kartu terlambat per OPD")}</h2>
                        {if d.overdue.is_empty() {
                            view! { <p class="ok" data-testid="p-terlambat-kosong">{t(l, "Tidak ada kartu yang terlambat atau segera jatuh tempo.")}</p> }.into_any()
                        } else {
                            view! {
                                <ChartBox id="p-grafik-terlambat" label=t(l, "Kartu terlambat per OPD") chart=overdue_chart />
                                <table data-testid="p-terlambat-tabel">
                                    <thead><tr>
                                        <th scope="col">"OPD"</th>
                                        <th scope="col" class="num">{t(l, "Terlambat")}</th>
                                        <th scope="col" class="num">{t(l, "Jatuh tempo ≤ 3 hari")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {d.overdue.iter().map(|r| {
                                            let href = board.map(|b| format!("/papan/{b}?opd={}&tenggat=terlambat", r.opd_code)).unwrap_or_default();
                                            view! {
                                                <tr>
                                                    <td>{maybe_link(drill && board.is_some(), href, r.opd_code.clone())}
                                                        <div class="muted small">{r.opd_name.clone()}</div></td>
                                                    <td class="num">{r.overdue}</td>
                                                    <td class="num">{r.due_soon}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        }}
                    </div>
                    <div>
                        <h2>{t(l, "Tenggat berikutnya")}</h2>
                        {match milestone {
                            Some(m) => view! {
                                <p class="countdown" data-testid="p-tenggat">
                                    <strong class="big">{m.days_left}</strong> " " {t(l, "hari lagi")}
                                </p>
                                <p>{t(l, m.label_static())} " · " {i18n::iso_date(l, &m.due_on)}</p>
                            }.into_any(),
                            None => view! { <p class="muted">{t(l, "Belum ada tenggat mendatang di jadwal siklus.")}</p> }.into_any(),
                        }}
                        <h2>{t(l, "Komitmen bersama")}</h2>
                        {if commitment.published {
                            let pct = (commitment.signed * 100).checked_div(commitment.total).unwrap_or(0);
                            view! {
                                <p data-testid="p-komitmen">
                                    <strong>{commitment.signed}</strong> " " {t(l, "dari")} " "
                                    <strong>{commitment.total}</strong> " " {t(l, "OPD telah menandatangani")}
                                </p>
                                <div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100"
                                    aria-valuenow=pct.to_string() aria-label=t(l, "Komitmen bersama")>
                                    <span style=format!("width:{pct}%")></span>
                                </div>
                            }.into_any()
                        } else {
                            view! { <p class="muted" data-testid="p-komitmen">{t(l, "Komitmen bersama belum diterbitkan.")}</p> }.into_any()
                        }}
                        {drill.then(|| view! {
                            <p><a href=format!("/komitmen/{cycle_id}")>{t(l, "Buka komitmen bersama")}</a></p>
                        })}
                    </div>
                </div>
            </section>

            // 4: the next steps and the trend
            <section class=panel_class(kiosk, 4, current) aria-labelledby="p-langkah">
                <div class="grid2">
                    <div>
                        <h2 id="p-langkah">{t(l, "Lima langkah berikutnya")}</h2>
                        <p class="muted small" data-testid="p-langkah-tujuan">{plan_note(l, &d.plan)}</p>
                        <ol class="steps" data-testid="p-langkah-daftar">
                            {d.steps.iter().map(|s| {
                                let href = format!("/siklus/{cycle_id}/indikator/{}", s.code);
                                view! {
                                    <li>
                                        {maybe_link(drill, href, format!("{} {}", s.code, s.name))}
                                        <div class="muted small">
                                            {t(l, "level")} " " {i18n::num(l, &s.from)} " → " {i18n::num(l, &s.to)}
                                            " · +" {i18n::num(l, &s.gain)} " " {t(l, "poin indeks")}
                                            {s.lead.clone().map(|o| format!(" · {o}"))}
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    </div>
                    <div>
                        <h2>{t(l, "Tren indeks kota dan rata-rata nasional")}</h2>
                        <ChartBox id="p-grafik-tren" label=t(l, "Tren indeks kota dan rata-rata nasional") chart=history />
                        <table data-testid="p-tren">
                            <thead><tr>
                                <th scope="col">{t(l, "Tahun")}</th>
                                <th scope="col" class="num">{t(l, "Kota")}</th>
                                <th scope="col" class="num">{t(l, "Nasional")}</th>
                            </tr></thead>
                            <tbody>
                                {d.history.iter().map(|h| view! {
                                    <tr>
                                        <td>{h.year}</td>
                                        <td class="num">{fig(l, &h.city)}</td>
                                        <td class="num">{fig(l, &h.national)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </div>
            </section>
        </div>
    }
}

/// What the next steps aim at, in the reader's language.
fn plan_note(l: Lang, p: &super::PlanNote) -> String {
    let tail = |steps: usize, missing: usize| {
        let mut s = format!(
            "{} {} {}",
            t(l, "dari Penilaian Mandiri:"),
            steps,
            t(l, "kenaikan satu level, yang terbesar dahulu")
        );
        if missing > 0 {
            s.push_str(&format!(
                "; {missing} {}",
                t(l, "indikator belum diisi dan dihitung level 1")
            ));
        }
        s
    };
    match p {
        super::PlanNote::Predicate {
            name,
            steps,
            missing,
        } => format!(
            "{} {name} {}",
            t(l, "Menuju predikat"),
            tail(*steps, *missing)
        ),
        super::PlanNote::Index {
            index,
            target,
            steps,
            missing,
        } => format!(
            "{} {}{} {}",
            t(l, "Menuju indeks"),
            i18n::num(l, index),
            if *target { t(l, " (Target)") } else { "" },
            tail(*steps, *missing)
        ),
        super::PlanNote::None(reason) => reason.clone(),
    }
}

/// The number of rotating panels on a kiosk.
const PANELS: usize = 5;

fn heat_table(
    l: Lang,
    heat: &super::HeatMap,
    drill: bool,
    cycle_id: i64,
    board: Option<i64>,
) -> impl IntoView {
    let mut grid: Vec<Vec<Option<(WorkStatus, bool)>>> =
        vec![vec![None; heat.indicators.len()]; heat.opds.len()];
    for c in &heat.cells {
        grid[c.opd][c.indicator] = Some((c.status, c.lead));
    }
    view! {
        <table class="heat" data-testid="p-peta">
            <caption class="sr-only">{t(l, "Status indikator per OPD pengampu (huruf tebal) dan kontributor")}</caption>
            <thead><tr>
                <th scope="col">"OPD"</th>
                {heat.indicators.iter().map(|(code, name)| view! {
                    <th scope="col" title=name.clone()>{code.clone()}</th>
                }).collect_view()}
            </tr></thead>
            <tbody>
                {heat.opds.iter().zip(grid).map(|(o, row)| {
                    let href = board.map(|b| format!("/papan/{b}?opd={}", o.code)).unwrap_or_default();
                    view! {
                        <tr>
                            <th scope="row" title=o.name.clone()>{maybe_link(drill && board.is_some(), href, o.code.clone())}</th>
                            {row.into_iter().enumerate().map(|(j, cell)| match cell {
                                Some((st, lead)) => {
                                    let (bg, fg) = st.colors();
                                    let style = format!("background:{bg};color:{fg}");
                                    let code = heat.indicators[j].0.clone();
                                    let label = format!(
                                        "{} {} · {} · {}",
                                        t(l, "Indikator"), code, t(l, st.label()),
                                        if lead { t(l, "pengampu") } else { t(l, "kontributor") }
                                    );
                                    let class = if lead { "cell lead" } else { "cell" };
                                    let inner = if drill {
                                        let href = format!("/siklus/{cycle_id}/indikator/{code}");
                                        view! { <a href=href aria-label=label.clone() title=label style=style>{st.letter()}</a> }.into_any()
                                    } else {
                                        view! { <span title=label style=style>{st.letter()}</span> }.into_any()
                                    };
                                    view! { <td class=class>{inner}</td> }.into_any()
                                }
                                None => view! { <td class="cell empty"></td> }.into_any(),
                            }).collect_view()}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn LeadershipPage() -> impl IntoView {
    let l = i18n::current();
    let query = use_query_map();
    let cycle = move || {
        query
            .read()
            .get("siklus")
            .and_then(|s| s.parse::<i64>().ok())
    };
    let data = Resource::new(cycle, get_leadership);
    crate::live::follow(data, |d: &LeadershipData| {
        Some((d.last_event, String::new()))
    });
    let (current, _) = signal(0usize);
    let open: OpenAspects = RwSignal::new(Default::default());
    // Owned here, outside the live re-render, so a new link's address stays on screen.
    let create = ServerAction::<CreateKioskLink>::new();
    let revoke = ServerAction::<RevokeKioskLink>::new();
    view! {
        <Title text=format!("{} — Sinergi", t(l, "Ruang pimpinan")) />
        <Transition fallback=move || view! { <p class="muted">{t(l, "Memuat…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        let links = d.kiosk_links.clone();
                        view! {
                            <h1>{t(l, "Ruang pimpinan")} " · " {d.cycle_name.clone()}</h1>
                            <p class="muted">{d.instansi.clone()} " · " {d.framework_name.clone()}</p>
                            <p class="actions no-print">
                                <a href=format!("/laporan/{}", d.cycle_id)>{t(l, "Laporan cetak (A4)")}</a>
                                " · "
                                <a href=format!("/ekspor/{}/xlsx", d.cycle_id) download>{t(l, "Unduh XLSX")}</a>
                                " · "
                                <a href=format!("/ekspor/{}/csv", d.cycle_id) download>{t(l, "Unduh CSV")}</a>
                            </p>
                            {war_room(d, l, false, current, open)}
                            {links.map(|links| view! { <KioskLinks links create revoke /> })}
                        }
                        .into_any()
                    }
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The koordinator's kiosk links: create one (its address is shown once), revoke one.
#[component]
fn KioskLinks(
    links: Vec<super::KioskLinkRow>,
    create: ServerAction<CreateKioskLink>,
    revoke: ServerAction<RevokeKioskLink>,
) -> impl IntoView {
    let l = i18n::current();
    let origin = move || {
        #[cfg(feature = "hydrate")]
        {
            web_sys::window()
                .and_then(|w| w.location().origin().ok())
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            String::new()
        }
    };
    view! {
        <section class="card no-print" aria-labelledby="judul-kios">
            <h2 id="judul-kios">{t(l, "Tautan kios untuk layar dinding")}</h2>
            <p class="muted small">{t(l, "Tautan hanya-baca tanpa masuk. Simpan alamatnya: hanya ditampilkan sekali. Cabut bila layar tidak dipakai lagi.")}</p>
            <ActionForm action=create>
                <label for="kios-label">{t(l, "Nama layar")}</label>
                <input id="kios-label" name="label" required maxlength="80" placeholder=t(l, "mis. Ruang rapat wali kota") />
                <button type="submit">{t(l, "Buat tautan kios")}</button>
            </ActionForm>
            {move || create.value().get().map(|r| match r {
                Ok(token) => {
                    let path = format!("/kios/{token}");
                    let full = format!("{}{}", origin(), path);
                    view! {
                        <p class="ok" role="status">
                            {t(l, "Tautan kios dibuat:")} " "
                            <a href=path.clone() data-testid="kios-tautan" target="_blank" rel="noopener">{full}</a>
                        </p>
                    }.into_any()
                }
                Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
            {move || revoke.value().get().and_then(|r| r.err()).map(|e| view! { <p class="error" role="alert">{e.to_string()}</p> })}
            <table data-testid="kios-daftar">
                <thead><tr>
                    <th scope="col">{t(l, "Nama layar")}</th>
                    <th scope="col">{t(l, "Dibuat")}</th>
                    <th scope="col">{t(l, "Status")}</th>
                    <th scope="col"><span class="sr-only">{t(l, "Tindakan")}</span></th>
                </tr></thead>
                <tbody>
                    {links.into_iter().map(|k| {
                        let label = k.label.clone();
                        let id = k.id;
                        view! {
                            <tr>
                                <td>{k.label.clone()}</td>
                                <td>{i18n::datetime(l, k.created_at)} <div class="muted small">{k.created_by.clone()}</div></td>
                                <td>{match k.revoked_at {
                                    Some(at) => format!("{} {}", t(l, "Dicabut"), i18n::datetime(l, at)),
                                    None => t(l, "Berlaku").to_string(),
                                }}</td>
                                <td>{k.revoked_at.is_none().then(|| view! {
                                    <ActionForm action=revoke>
                                        <input type="hidden" name="id" value=id.to_string() />
                                        <button type="submit" class="secondary" aria-label=format!("{} {}", t(l, "Cabut"), label)>{t(l, "Cabut")}</button>
                                    </ActionForm>
                                })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// `/kios/{token}`: the war room on a wall screen, no sign-in. The panels rotate; a revoked link
/// shows why it stopped.
#[component]
pub fn KioskPage() -> impl IntoView {
    let l = i18n::current();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    #[cfg(feature = "hydrate")]
    crate::live::set_kiosk_token(params.read_untracked().get("token").unwrap_or_default());
    let data = Resource::new(token, get_kiosk);
    crate::live::follow(data, |d: &LeadershipData| {
        Some((d.last_event, String::new()))
    });
    let (current, set_current) = signal(0usize);
    let (paused, set_paused) = signal(false);
    let open: OpenAspects = RwSignal::new(Default::default());
    #[cfg(feature = "hydrate")]
    {
        let advance = move || {
            set_current.update(|c| *c = (*c + 1) % PANELS);
            redraw_charts();
        };
        if let Ok(handle) = set_interval_with_handle(
            move || {
                if !paused.get_untracked() {
                    advance()
                }
            },
            std::time::Duration::from_secs(12),
        ) {
            on_cleanup(move || handle.clear());
        }
    }
    let next = move |_| {
        set_current.update(|c| *c = (*c + 1) % PANELS);
        #[cfg(feature = "hydrate")]
        redraw_charts();
    };
    let full = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = el.request_fullscreen();
        }
    };
    view! {
        <Title text=format!("{} — Sinergi", t(l, "Kios pimpinan")) />
        <div class="kiosk">
            // Without a script nothing rotates: show every panel instead of the first alone.
            <noscript>
                <style>".kiosk .tersembunyi { display: block; }"</style>
            </noscript>
            <Transition fallback=move || view! { <p class="muted">{t(l, "Memuat…")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! {
                            <div class="kiosk-head">
                                <h1>{d.instansi.clone()} " · " {d.cycle_name.clone()}</h1>
                                <div class="kiosk-controls">
                                    <button type="button" class="secondary" on:click=full>{t(l, "Layar penuh")}</button>
                                    <button type="button" class="secondary" on:click=move |_| set_paused.update(|p| *p = !*p)
                                        aria-pressed=move || paused.get().to_string()>
                                        {move || if paused.get() { t(l, "Lanjutkan rotasi") } else { t(l, "Jeda rotasi") }}
                                    </button>
                                    <button type="button" class="secondary" on:click=next>{t(l, "Panel berikutnya")}</button>
                                </div>
                            </div>
                            {war_room(d, l, true, current, open)}
                        }.into_any(),
                        Err(e) => view! {
                            <section class="card">
                                <h1>{t(l, "Tautan kios tidak berlaku")}</h1>
                                <p class="error" role="alert" data-testid="kios-galat">{e.to_string()}</p>
                                <p>{t(l, "Minta tautan baru kepada koordinator SPBE.")}</p>
                            </section>
                        }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

/// Charts drawn while their panel was hidden have no size: a resize event makes every chart
/// measure itself again.
#[cfg(feature = "hydrate")]
fn redraw_charts() {
    request_animation_frame(|| {
        if let (Some(w), Ok(ev)) = (web_sys::window(), web_sys::Event::new("resize")) {
            let _ = w.dispatch_event(&ev);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::leadership::PlanNote;

    #[test]
    fn the_plan_note_reads_in_either_language() {
        let p = PlanNote::Index {
            index: "4,74".into(),
            target: true,
            steps: 13,
            missing: 0,
        };
        assert_eq!(
            plan_note(Lang::Id, &p),
            "Menuju indeks 4,74 (Target) dari Penilaian Mandiri: 13 kenaikan satu level, yang terbesar dahulu"
        );
        assert_eq!(
            plan_note(Lang::En, &p),
            "Towards an index of 4.74 (the target) from the self-assessment: 13 one-level raises, largest first"
        );
        let p = PlanNote::Predicate {
            name: "Sangat Baik".into(),
            steps: 4,
            missing: 2,
        };
        assert!(plan_note(Lang::Id, &p).starts_with("Menuju predikat Sangat Baik"));
        assert!(plan_note(Lang::Id, &p).ends_with("2 indikator belum diisi dan dihitung level 1"));
    }
}
