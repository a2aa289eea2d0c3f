//! `/laporan/{cycle}`: the A4 report in Bahasa Indonesia (or English) that the browser prints or
//! saves as PDF: header with the Pemda's name and date, summary, charts, the indicator table and
//! a signature block.

use super::{get_report, level_text, ReportData};
use crate::dashboard::charts::{aspect_radar, index_gauge, RadarSeries};
use crate::dashboard::ChartBox;
use crate::i18n::{self, t, Lang};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ReportPage() -> impl IntoView {
    let l = i18n::current();
    let params = use_params_map();
    let cycle = move || {
        params
            .read()
            .get("cycle")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let data = Resource::new(cycle, get_report);
    view! {
        <Title text=format!("{} — Sinergi", t(l, "Laporan kesiapan")) />
        <Suspense fallback=move || view! { <p class="muted">{t(l, "Menyiapkan laporan…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => report_view(l, d).into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn report_view(l: Lang, d: ReportData) -> impl IntoView {
    let fig = |f: &Option<crate::dashboard::Figure>| crate::dashboard::fig_l(l, f);
    let gauge = index_gauge(
        d.headline.as_ref().map(|f| f.value).unwrap_or(1.0),
        &fig(&d.headline),
        d.predicate.as_deref().unwrap_or("-"),
        &[],
    );
    let radar = aspect_radar(
        &d.aspects.iter().map(|a| a.code.clone()).collect::<Vec<_>>(),
        &[RadarSeries {
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
        }],
    );
    let cycle = d.cycle_id;
    view! {
        <article class="report">
            <p class="no-print actions">
                <button type="button" onclick="window.print()">{t(l, "Cetak atau simpan PDF")}</button>
                " "
                <a href=format!("/ekspor/{cycle}/xlsx") download>{t(l, "Unduh XLSX")}</a>
                " · "
                <a href=format!("/ekspor/{cycle}/csv") download>{t(l, "Unduh CSV")}</a>
            </p>
            <header class="report-head">
                <div>
                    <p class="report-pemda">{d.instansi.clone()}</p>
                    <h1>{t(l, "Laporan kesiapan")} " " {d.cycle_name.clone()}</h1>
                    <p class="muted">{d.framework_name.clone()} " · " {d.regulation.clone()}</p>
                </div>
                <p class="report-date">{i18n::date(l, d.generated_at)}</p>
            </header>
            <section class="report-summary" aria-labelledby="r-ringkasan">
                <h2 id="r-ringkasan">{t(l, "Ringkasan")}</h2>
                <div class="grid2">
                    <div>
                        <p>
                            {t(l, "Indeks")} " "
                            {d.headline_stage.map(|s| t(l, s.label())).unwrap_or(t(l, "belum lengkap"))}
                        </p>
                        <p class="big" data-testid="r-indeks">{fig(&d.headline)}</p>
                        <p><strong>{d.predicate.clone().unwrap_or_else(|| "–".into())}</strong></p>
                        <table data-testid="r-tahap">
                            <thead><tr>
                                <th scope="col">{t(l, "Tahap")}</th>
                                <th scope="col" class="num">{t(l, "Indikator terisi")}</th>
                                <th scope="col" class="num">{t(l, "Indeks")}</th>
                                <th scope="col">{t(l, "Predikat")}</th>
                            </tr></thead>
                            <tbody>
                                {d.stages.iter().map(|s| view! {
                                    <tr>
                                        <td>{t(l, s.stage.label())}</td>
                                        <td class="num">{format!("{}/{}", s.filled, s.total)}</td>
                                        <td class="num">{fig(&s.index)}</td>
                                        <td>{s.predicate.clone().unwrap_or_else(|| "–".into())}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <div class="report-charts">
                        <ChartBox id="r-grafik-indeks" label=t(l, "Gauge indeks dengan pita predikat") chart=gauge />
                        <ChartBox id="r-grafik-aspek" label=t(l, "Radar indeks aspek") chart=radar />
                    </div>
                </div>
            </section>
            <section aria-labelledby="r-indikator">
                <h2 id="r-indikator">{t(l, "Indikator")}</h2>
                <div class="table-wrap" tabindex="0" role="region" aria-labelledby="r-indikator">
                <table class="report-table" data-testid="r-indikator">
                    <thead><tr>
                        <th scope="col">{t(l, "Kode")}</th>
                        <th scope="col">{t(l, "Indikator")}</th>
                        <th scope="col" class="num">{t(l, "Bobot (%)")}</th>
                        <th scope="col">{t(l, "OPD pengampu")}</th>
                        <th scope="col" class="num">{t(l, "Target")}</th>
                        <th scope="col" class="num">{t(l, "Mandiri")}</th>
                        <th scope="col" class="num">{t(l, "Verifikasi")}</th>
                        <th scope="col" class="num">{t(l, "Akhir")}</th>
                        <th scope="col">{t(l, "Data dukung")}</th>
                    </tr></thead>
                    <tbody>
                        {d.rows.iter().map(|r| view! {
                            <tr>
                                <td>{r.code.clone()}</td>
                                <td>{r.name.clone()} <div class="muted small">{r.aspect.clone()}</div></td>
                                <td class="num">{i18n::num(l, &r.weight)}</td>
                                <td>{r.lead.clone()}
                                    {(!r.contributors.is_empty()).then(|| view! { <div class="muted small">{format!("+ {}", r.contributors.join(", "))}</div> })}
                                </td>
                                <td class="num">{i18n::num(l, &level_text(r.levels[0]))}</td>
                                <td class="num">{i18n::num(l, &level_text(r.levels[1]))}</td>
                                <td class="num">{i18n::num(l, &level_text(r.levels[2]))}</td>
                                <td class="num">{i18n::num(l, &level_text(r.levels[4]))}</td>
                                <td class="small">{r.evidence.iter().map(|e| format!("{} (v{})", e.title, e.version)).collect::<Vec<_>>().join("; ")}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            </section>
            <section class="signature-block" aria-labelledby="r-pengesahan">
                <h2 id="r-pengesahan" class="sr-only">{t(l, "Pengesahan")}</h2>
                <div>
                    <p>{t(l, "Mengetahui,")}</p>
                    <p>{t(l, "Sekretaris Daerah")}</p>
                    <div class="sign-space"></div>
                    <p class="sign-line">"(....................................)"</p>
                </div>
                <div>
                    <p>{i18n::date(l, d.generated_at)}</p>
                    <p>{t(l, "Koordinator SPBE")}</p>
                    <div class="sign-space"></div>
                    <p class="sign-line">{d.koordinator.clone().unwrap_or_else(|| "(....................................)".into())}</p>
                </div>
            </section>
        </article>
    }
}
