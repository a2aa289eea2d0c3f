//! `/komitmen/{cycle}`: the joint commitment, its signatures, and its printable form.

use super::{get_commitment, CommitmentView, PublishCommitment, SignCommitment};
use crate::i18n::{self, t, Lang};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CommitmentPage() -> impl IntoView {
    let l = i18n::current();
    let params = use_params_map();
    let cycle = move || {
        params
            .read()
            .get("cycle")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let data = Resource::new(cycle, get_commitment);
    crate::live::follow(data, |d: &CommitmentView| {
        Some((d.last_event, format!("komitmen/{}", d.cycle_id)))
    });
    // Owned outside the live re-render so their messages stay.
    let publish = ServerAction::<PublishCommitment>::new();
    let sign = ServerAction::<SignCommitment>::new();
    view! {
        <Title text=format!("{} — Sinergi", t(l, "Komitmen bersama")) />
        <Transition fallback=move || view! { <p class="muted">{t(l, "Memuat…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => commitment_view(l, v, publish, sign).into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn commitment_view(
    l: Lang,
    v: CommitmentView,
    publish: ServerAction<PublishCommitment>,
    sign: ServerAction<SignCommitment>,
) -> impl IntoView {
    let cycle = v.cycle_id;
    let pct = (v.signed * 100).checked_div(v.total).unwrap_or(0);
    let (title0, body0) = match (&v.title, &v.body) {
        (Some(t), Some(b)) => (t.clone(), b.clone()),
        _ => v.template.clone(),
    };
    let published = v.title.is_some();
    let paragraphs: Vec<String> = v
        .body
        .clone()
        .unwrap_or_default()
        .split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    let unsigned: Vec<String> = v
        .rows
        .iter()
        .filter(|r| r.signed_at.is_none())
        .map(|r| r.opd.code.clone())
        .collect();
    view! {
        <article class="commitment">
            <header class="print-head">
                <p class="muted">{v.instansi.clone()} " · " {v.cycle_name.clone()}</p>
                <h1>{v.title.clone().unwrap_or_else(|| t(l, "Komitmen bersama").to_string())}</h1>
            </header>
            {if published {
                view! {
                    <div class="commitment-body" data-testid="komitmen-isi">
                        {paragraphs.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                    </div>
                    <p class="muted small">
                        {t(l, "Diterbitkan oleh")} " " {v.published_by.clone().unwrap_or_default()} " · "
                        {v.published_at.map(|at| i18n::datetime(l, at)).unwrap_or_default()}
                    </p>
                }.into_any()
            } else {
                view! { <p class="muted" data-testid="komitmen-isi">{t(l, "Koordinator belum menerbitkan teks komitmen untuk siklus ini.")}</p> }.into_any()
            }}
            <section aria-labelledby="judul-ttd">
                <h2 id="judul-ttd">{t(l, "Tanda tangan OPD")}</h2>
                <p data-testid="komitmen-jumlah">
                    <strong>{v.signed}</strong> " " {t(l, "dari")} " " <strong>{v.total}</strong> " "
                    {t(l, "OPD telah menandatangani")}
                </p>
                <div class="bar no-print" role="progressbar" aria-valuemin="0" aria-valuemax="100"
                    aria-valuenow=pct.to_string() aria-label=t(l, "Tanda tangan OPD")>
                    <span style=format!("width:{pct}%")></span>
                </div>
                {(!unsigned.is_empty() && published).then(|| view! {
                    <p class="muted small no-print" data-testid="komitmen-belum">
                        {t(l, "Belum menandatangani:")} " " {unsigned.join(", ")}
                    </p>
                })}
                {move || sign.value().get().and_then(|r| r.err()).map(|e| view! {
                    <p class="error" role="alert">{e.to_string()}</p>
                })}
                <div class="table-wrap" tabindex="0" role="region" aria-labelledby="judul-ttd">
                <table class="signatures" data-testid="komitmen-tabel">
                    <thead><tr>
                        <th scope="col">"OPD"</th>
                        <th scope="col">{t(l, "Ditandatangani oleh")}</th>
                        <th scope="col">{t(l, "Waktu")}</th>
                    </tr></thead>
                    <tbody>
                        {v.rows.iter().map(|r| {
                            let opd_id = r.opd.id;
                            let aria = format!("{} {}", t(l, "Tandatangani untuk"), r.opd.name);
                            view! {
                                <tr>
                                    <td><strong>{r.opd.code.clone()}</strong> <div class="muted small">{r.opd.name.clone()}</div></td>
                                    <td>{match (&r.signed_by, r.can_sign) {
                                        (Some(by), _) => view! { <span class="ok">"✓ " {by.clone()}</span> }.into_any(),
                                        (None, true) => view! {
                                            <ActionForm action=sign>
                                                <input type="hidden" name="cycle" value=cycle.to_string() />
                                                <input type="hidden" name="opd" value=opd_id.to_string() />
                                                <button type="submit" aria-label=aria>{t(l, "Tandatangani")}</button>
                                            </ActionForm>
                                        }.into_any(),
                                        (None, false) => view! { <span class="muted">{t(l, "Belum")}</span> }.into_any(),
                                    }}</td>
                                    <td>{r.signed_at.map(|at| i18n::datetime(l, at)).unwrap_or_default()}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            </section>
            <p class="no-print actions">
                <button type="button" class="secondary" onclick="window.print()">{t(l, "Cetak daftar penanda tangan")}</button>
                " "
                <a href=format!("/pimpinan?siklus={cycle}")>{t(l, "Ke ruang pimpinan")}</a>
            </p>
            {v.can_publish.then(|| view! {
                <section class="card no-print" aria-labelledby="judul-terbit">
                    <h2 id="judul-terbit">
                        {if published { t(l, "Ubah teks komitmen") } else { t(l, "Terbitkan komitmen") }}
                    </h2>
                    <p class="muted small">{t(l, "Teks dapat diubah selama belum ada OPD yang menandatangani.")}</p>
                    <ActionForm action=publish>
                        <input type="hidden" name="cycle" value=cycle.to_string() />
                        <label for="komitmen-judul">{t(l, "Judul")}</label>
                        <input id="komitmen-judul" name="title" required maxlength="200" value=title0 />
                        <label for="komitmen-isi">{t(l, "Isi komitmen")}</label>
                        <textarea id="komitmen-isi" name="body" rows="10" required>{body0}</textarea>
                        <button type="submit">{t(l, "Terbitkan")}</button>
                    </ActionForm>
                    {move || publish.value().get().map(|r| match r {
                        Ok(()) => view! { <p class="ok" role="status">{t(l, "Komitmen diterbitkan.")}</p> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    })}
                </section>
            })}
        </article>
    }
}
