//! The readiness dashboard of a cycle: shared types, the server fn, the page.

#[cfg(feature = "hydrate")]
mod chart_dom;
pub mod charts;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use crate::assessment::Stage;
use crate::error::AppError;
use crate::i18n::{t, Lang};
use charts::{Band, RadarSeries};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// A published figure ready for display, with its exact value for the curious.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// e.g. `4,32`
    pub text: String,
    /// e.g. `4.3185`, or a fraction where the decimal does not terminate.
    pub exact: String,
    /// For drawing only; every number a person reads comes from `text`.
    pub value: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageSummary {
    pub stage: Stage,
    pub label: String,
    pub filled: usize,
    pub total: usize,
    /// Present when every indicator has a level in this stage.
    pub index: Option<Figure>,
    pub predicate: Option<String>,
}

/// An aspect or domain row: its weight and its index at the headline stage and at Target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartRow {
    pub code: String,
    pub name: String,
    pub weight: String,
    pub index: Option<Figure>,
    pub target: Option<Figure>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryPoint {
    pub year: i64,
    pub city: Option<Figure>,
    pub city_predicate: Option<String>,
    pub national: Option<Figure>,
}

impl HistoryPoint {
    pub fn empty(year: i64) -> HistoryPoint {
        HistoryPoint {
            year,
            city: None,
            city_predicate: None,
            national: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CycleLink {
    pub id: i64,
    pub name: String,
    pub is_current: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashboardData {
    pub instansi: String,
    pub cycles: Vec<CycleLink>,
    pub cycle_id: i64,
    pub cycle_name: String,
    pub framework_name: String,
    pub regulation: String,
    pub headline_stage: Option<Stage>,
    pub headline: Option<Figure>,
    pub predicate: Option<String>,
    pub stages: Vec<StageSummary>,
    pub aspects: Vec<PartRow>,
    pub domains: Vec<PartRow>,
    pub bands: Vec<Band>,
    pub band_texts: Vec<(String, String)>,
    pub history: Vec<HistoryPoint>,
    /// The newest event number this data reflects: the live feed resumes after it.
    pub last_event: i64,
}

/// The dashboard of a cycle of the caller's instansi (`None`: the current cycle).
/// Every signed-in role may read it.
#[server(prefix = "/api", endpoint = "dasbor")]
pub async fn get_dashboard(cycle: Option<i64>) -> Result<DashboardData, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::dashboard(&state.db, &user, cycle).await
        }
        .await,
    )
}

fn predicate_badge(p: Option<String>) -> impl IntoView {
    p.map(|p| {
        let style = format!("background:{}", charts::predicate_color(&p));
        view! {
            <span class="badge" style=style data-testid="predikat">
                {p}
            </span>
        }
    })
}

/// A chart drawn in the browser after hydration into its own element; the server renders an
/// empty, labelled box (the numbers are in the tables beside it).
#[component]
pub(crate) fn ChartBox(
    id: &'static str,
    label: &'static str,
    #[allow(unused_variables)] chart: charming::Chart,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    {
        let slot: chart_dom::Slot = StoredValue::new_local(None);
        Effect::new(move |_| {
            if let Some(el) = node.get() {
                chart_dom::draw_when_ready(el.into(), chart.clone(), slot, 240);
            }
        });
        // Follow the window's size (a rotated phone, a resized wall screen).
        let resize = window_event_listener(leptos::ev::resize, move |_| {
            slot.with_value(|i| {
                if let Some(instance) = i {
                    instance.resize();
                }
            });
        });
        on_cleanup(move || {
            resize.remove();
            if let Some(Some(instance)) = slot.try_update_value(|i| i.take()) {
                instance.dispose();
            }
        });
    }
    view! { <div id=id node_ref=node class="chart" role="img" aria-label=label></div> }
}

fn figure_text(f: &Option<Figure>) -> String {
    f.as_ref()
        .map(|f| f.text.clone())
        .unwrap_or_else(|| "–".into())
}

/// A figure as the reader's language writes it, or `–`.
pub(crate) fn fig_l(l: Lang, f: &Option<Figure>) -> String {
    crate::i18n::num(l, &figure_text(f))
}

fn part_table(
    l: Lang,
    caption: &'static str,
    rows: Vec<PartRow>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <table class="parts" data-testid=testid>
            <caption>{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">{t(l, "Kode")}</th>
                    <th scope="col">{t(l, "Nama")}</th>
                    <th scope="col" class="num">{t(l, "Bobot (%)")}</th>
                    <th scope="col" class="num">{t(l, "Indeks")}</th>
                    <th scope="col" class="num">{t(l, "Target")}</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|r| {
                        let pct = r
                            .index
                            .as_ref()
                            .map(|f| format!("width:{:.0}%", (f.value / 5.0 * 100.0).clamp(0.0, 100.0)))
                            .unwrap_or_default();
                        view! {
                            <tr>
                                <td>{r.code.clone()}</td>
                                <td>
                                    {r.name.clone()} <div class="bar">
                                        <span style=pct></span>
                                    </div>
                                </td>
                                <td class="num">{crate::i18n::num(l, &r.weight)}</td>
                                <td class="num" title=r.index.as_ref().map(|f| format!("{} {}", t(l, "nilai tepat"), crate::i18n::num(l, &f.exact)))>
                                    {fig_l(l, &r.index)}
                                </td>
                                <td class="num">{fig_l(l, &r.target)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

fn dashboard_view(d: DashboardData) -> impl IntoView {
    let l = crate::i18n::current();
    let gauge = charts::index_gauge(
        d.headline.as_ref().map(|f| f.value).unwrap_or(1.0),
        d.headline.as_ref().map(|f| f.text.as_str()).unwrap_or("–"),
        d.predicate.as_deref().unwrap_or("-"),
        &d.bands,
    );
    let mut series = Vec::new();
    if d.aspects.iter().any(|a| a.index.is_some()) {
        series.push(RadarSeries {
            name: d
                .headline_stage
                .map(|s| t(l, s.label()))
                .unwrap_or(t(l, "Indeks"))
                .to_string(),
            values: d
                .aspects
                .iter()
                .map(|a| a.index.as_ref().map(|f| f.value).unwrap_or(0.0))
                .collect(),
        });
    }
    if d.aspects.iter().any(|a| a.target.is_some()) {
        series.push(RadarSeries {
            name: t(l, "Target").into(),
            values: d
                .aspects
                .iter()
                .map(|a| a.target.as_ref().map(|f| f.value).unwrap_or(0.0))
                .collect(),
        });
    }
    let radar = charts::aspect_radar(
        &d.aspects.iter().map(|a| a.code.clone()).collect::<Vec<_>>(),
        &series,
    );
    let years: Vec<i64> = d.history.iter().map(|h| h.year).collect();
    let city: Vec<Option<f64>> = d
        .history
        .iter()
        .map(|h| h.city.as_ref().map(|f| f.value))
        .collect();
    let national: Vec<Option<f64>> = d
        .history
        .iter()
        .map(|h| h.national.as_ref().map(|f| f.value))
        .collect();
    let history_chart = charts::history_line(
        &years,
        &city,
        &national,
        (t(l, "Kota"), t(l, "Rata-rata nasional")),
    );
    let has_domains = !d.domains.is_empty();
    let current_id = d.cycle_id;
    view! {
        <section class="cycle-switch" aria-label=t(l, "Pilih siklus")>
            {d
                .cycles
                .iter()
                .map(|c| {
                    let href = format!("/dasbor?siklus={}", c.id);
                    let current = if c.id == current_id { Some("page") } else { None };
                    view! {
                        <a href=href aria-current=current class="chip">
                            {c.name.clone()}
                            {if c.is_current { t(l, " (berjalan)") } else { "" }}
                        </a>
                    }
                })
                .collect_view()}
        </section>
        <h1>{t(l, "Kesiapan")} " " {d.cycle_name.clone()}</h1>
        <p class="muted">{d.framework_name.clone()} " · " {d.regulation.clone()}</p>
        <section class="headline card" aria-labelledby="judul-indeks">
            <div>
                <h2 id="judul-indeks">
                    {t(l, "Indeks")} " "
                    {d.headline_stage.map(|s| t(l, s.label())).unwrap_or(t(l, "belum lengkap"))}
                </h2>
                <p class="big" data-testid="indeks">
                    {fig_l(l, &d.headline)}
                </p>
                {predicate_badge(d.predicate.clone())}
                <p class="muted small">
                    {d.headline.as_ref().map(|f| format!("{}: {}", t(l, "Nilai tepat"), crate::i18n::num(l, &f.exact)))}
                </p>
                <ul class="bands">
                    {d
                        .band_texts
                        .iter()
                        .map(|(name, range)| {
                            let style = format!("border-left-color:{}", charts::predicate_color(name));
                            view! {
                                <li style=style>
                                    <strong>{name.clone()}</strong>
                                    " "
                                    {crate::i18n::num(l, range)}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
            <ChartBox id="grafik-indeks" label=t(l, "Gauge indeks dengan pita predikat") chart=gauge />
        </section>
        <section class="card" aria-labelledby="judul-tahap">
            <h2 id="judul-tahap">{t(l, "Indeks per tahap")}</h2>
            <table data-testid="tahap">
                <thead>
                    <tr>
                        <th scope="col">{t(l, "Tahap")}</th>
                        <th scope="col" class="num">{t(l, "Indikator terisi")}</th>
                        <th scope="col" class="num">{t(l, "Indeks")}</th>
                        <th scope="col">{t(l, "Predikat")}</th>
                    </tr>
                </thead>
                <tbody>
                    {d
                        .stages
                        .iter()
                        .map(|s| {
                            view! {
                                <tr>
                                    <td>{t(l, s.stage.label())}</td>
                                    <td class="num">{format!("{}/{}", s.filled, s.total)}</td>
                                    <td class="num">{fig_l(l, &s.index)}</td>
                                    <td>{s.predicate.clone().unwrap_or_else(|| "–".into())}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
        <div class="grid2">
            <section class="card" aria-labelledby="judul-aspek">
                <h2 id="judul-aspek">{t(l, "Aspek")}</h2>
                <ChartBox id="grafik-aspek" label=t(l, "Radar indeks aspek") chart=radar />
                {part_table(l, t(l, "Indeks per aspek"), d.aspects.clone(), "aspek")}
            </section>
            <section class="card" aria-labelledby="judul-domain">
                <h2 id="judul-domain">{t(l, "Domain")}</h2>
                {if has_domains {
                    part_table(l, t(l, "Indeks per domain"), d.domains.clone(), "domain").into_any()
                } else {
                    view! {
                        <p class="muted">
                            {t(l, "Kerangka ini tidak memiliki tingkat domain; indeks dihitung langsung dari aspek.")}
                        </p>
                    }
                        .into_any()
                }}
                <h2>{t(l, "Riwayat indeks")}</h2>
                <ChartBox id="grafik-riwayat" label=t(l, "Riwayat indeks kota dan rata-rata nasional") chart=history_chart />
                <table data-testid="riwayat">
                    <thead>
                        <tr>
                            <th scope="col">{t(l, "Tahun")}</th>
                            <th scope="col" class="num">{t(l, "Kota")}</th>
                            <th scope="col">{t(l, "Predikat")}</th>
                            <th scope="col" class="num">{t(l, "Nasional")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {d
                            .history
                            .iter()
                            .map(|h| {
                                view! {
                                    <tr>
                                        <td>{h.year}</td>
                                        <td class="num">{fig_l(l, &h.city)}</td>
                                        <td>{h.city_predicate.clone().unwrap_or_else(|| "–".into())}</td>
                                        <td class="num">{fig_l(l, &h.national)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </section>
        </div>
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let l = crate::i18n::current();
    let query = use_query_map();
    let cycle = move || {
        query
            .read()
            .get("siklus")
            .and_then(|s| s.parse::<i64>().ok())
    };
    let data = Resource::new(cycle, get_dashboard);
    // Live: re-read the dashboard on every committed change (the Transition keeps the old view).
    crate::live::follow(data, |d: &DashboardData| {
        Some((d.last_event, String::new()))
    });
    view! {
        <Transition fallback=move || view! { <p class="muted">{t(l, "Memuat dasbor…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => dashboard_view(d).into_any(),
                    Err(e) => view! {
                        <div class="error" role="alert">{e.to_string()}</div>
                    }
                        .into_any(),
                }
            })}
        </Transition>
    }
}
