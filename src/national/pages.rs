//! `/nasional`: the national roll-up page (super-admin, read-only).

use super::{get_rollup, Rollup};
use crate::format::index_id;
use crate::i18n::{self, t};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NationalPage() -> impl IntoView {
    let l = i18n::current();
    let data = Resource::new(|| (), |_| get_rollup());
    view! {
        <Title text=format!("{} — Sinergi", t(l, "Rekap nasional")) />
        <h1>{t(l, "Rekap nasional")}</h1>
        <p class="muted">
            {t(l, "Indeks siklus berjalan setiap instansi di penyelenggaraan ini, hanya-baca. Hanya angka rekap yang terlihat; isi tiap instansi tetap tertutup.")}
        </p>
        <Transition fallback=move || view! { <p class="muted">{t(l, "Memuat…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(r) => view! { <RollupView r /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn RollupView(r: Rollup) -> impl IntoView {
    let l = i18n::current();
    let s = r.summary.clone();
    let fig = move |f: &Option<crate::dashboard::Figure>| {
        f.as_ref()
            .map(|f| i18n::num(l, &f.text))
            .unwrap_or_else(|| "–".into())
    };
    view! {
        <section class="cards" aria-label=t(l, "Ringkasan")>
            <div class="card stat">
                <div class="muted small">{t(l, "Instansi")}</div>
                <div class="big" data-testid="nasional-instansi">{s.instansi}</div>
            </div>
            <div class="card stat">
                <div class="muted small">{t(l, "Dengan indeks lengkap")}</div>
                <div class="big" data-testid="nasional-terhitung">{s.scored}</div>
            </div>
            <div class="card stat">
                <div class="muted small">{t(l, "Rata-rata indeks")}</div>
                <div class="big" data-testid="nasional-rerata">
                    {s.mean_hundredths.map(|m| i18n::num(l, &index_id(m as i128, 2))).unwrap_or_else(|| "–".into())}
                </div>
            </div>
            <div class="card stat">
                <div class="muted small">{t(l, "Per predikat")}</div>
                <ul class="plain small" data-testid="nasional-predikat">
                    {s.by_predicate.iter().map(|(p, n)| view! { <li>{p.clone()} ": " <strong>{*n}</strong></li> }).collect_view()}
                </ul>
            </div>
        </section>
        <div class="table-wrap" tabindex="0" role="region" aria-label=t(l, "Rekap nasional")>
            <table data-testid="nasional-tabel">
                <thead><tr>
                    <th scope="col">"#"</th>
                    <th scope="col">{t(l, "Instansi")}</th>
                    <th scope="col">{t(l, "Siklus")}</th>
                    <th scope="col" class="num">{t(l, "Mandiri")}</th>
                    <th scope="col" class="num">{t(l, "Verifikasi")}</th>
                    <th scope="col" class="num">{t(l, "Akhir")}</th>
                    <th scope="col">{t(l, "Predikat")}</th>
                    <th scope="col" class="num">{t(l, "Terisi")}</th>
                </tr></thead>
                <tbody>
                    {r.rows.iter().enumerate().map(|(i, row)| view! {
                        <tr>
                            <td class="num">{i + 1}</td>
                            <th scope="row">{row.name.clone()} <div class="muted small">{row.code.clone()}</div></th>
                            <td>{row.cycle.clone().unwrap_or_default()} <div class="muted small">{row.framework.clone().unwrap_or_default()}</div></td>
                            <td class="num">{fig(&row.mandiri)}</td>
                            <td class="num">{fig(&row.verifikasi)}</td>
                            <td class="num">{fig(&row.akhir)}</td>
                            <td>{row.predicate.clone().unwrap_or_else(|| "–".into())}</td>
                            <td class="num">{format!("{}/{}", row.mandiri_filled, row.indicators)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
