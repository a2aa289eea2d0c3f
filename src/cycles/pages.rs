//! Pages and panels of cycle management: the new-cycle form, the cycle's schedule and frozen
//! stages, a frozen stage against the live ledger, the import preview, calibration.

use super::{
    get_calibration, get_cycle_meta, get_import, get_snapshot, new_cycle_choices, CreateCycle,
    CycleMeta, DecideImport, SubmitStage, UpdateCycle, MILESTONES,
};
use crate::assessment::{EvidenceRef, Stage};
use crate::dashboard::charts::predicate_color;
use crate::dashboard::Figure;
use crate::error::AppError;
use crate::i18n::{self, t, Lang};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn error_box(e: AppError) -> AnyView {
    view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any()
}

fn figure_with_predicate(l: Lang, f: &Option<Figure>, p: &Option<String>) -> AnyView {
    match (f, p) {
        (Some(f), Some(p)) => {
            let style = format!("background:{}", predicate_color(p));
            view! {
                <strong>{i18n::num(l, &f.text)}</strong>
                " "
                <span class="badge" style=style>{p.clone()}</span>
            }
            .into_any()
        }
        _ => view! { <span class="muted">{t(l, "belum lengkap")}</span> }.into_any(),
    }
}

fn outcome<T: Clone + Send + Sync + 'static>(
    value: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
    ok: impl Fn(T) -> AnyView + Send + Sync + 'static,
    testid: &'static str,
) -> impl IntoView {
    move || {
        value().map(|r| match r {
            Ok(v) => {
                view! { <div class="ok" role="status" data-testid=testid>{ok(v)}</div> }.into_any()
            }
            Err(e) => {
                view! { <p class="error" role="alert" data-testid=testid>{e.to_string()}</p> }
                    .into_any()
            }
        })
    }
}

/// The koordinator's "new cycle" form on `/siklus`.
#[component]
pub fn NewCycleForm() -> impl IntoView {
    let l = i18n::current();
    let choices = Resource::new(|| (), |_| new_cycle_choices());
    let create = ServerAction::<CreateCycle>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(c) = choices.await else { return ().into_any() };
                if !c.can_manage {
                    return ().into_any();
                }
                view! {
                    <section class="card" aria-labelledby="judul-siklus-baru" data-testid="siklus-baru">
                        <h2 id="judul-siklus-baru">{t(l, "Siklus baru")}</h2>
                        <p class="muted small">
                            {t(l, "Bila dilanjutkan dari siklus sebelumnya, levelnya menjadi usulan Target beserta data dukungnya; dari SPBE ke Pemdi melalui ")}
                            <a href="/padanan">{t(l, "tabel padanan indikator")}</a> "."
                        </p>
                        <ActionForm action=create>
                            <div class="row3">
                                <div>
                                    <label for="baru-nama">{t(l, "Nama")}</label>
                                    <input id="baru-nama" name="name" required placeholder=t(l, "mis. Pemdi 2027") />
                                </div>
                                <div>
                                    <label for="baru-tahun">{t(l, "Tahun")}</label>
                                    <input id="baru-tahun" name="year" inputmode="numeric" required placeholder="2027" />
                                </div>
                                <div>
                                    <label for="baru-kerangka">{t(l, "Kerangka")}</label>
                                    <select id="baru-kerangka" name="pack">
                                        {c.packs.iter().map(|p| view! { <option value=p.code.clone()>{p.name.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div>
                                    <label for="baru-dari">{t(l, "Lanjutkan dari")}</label>
                                    <select id="baru-dari" name="from">
                                        <option value="0">{t(l, "— mulai kosong —")}</option>
                                        {c.cycles.iter().map(|s| view! { <option value=s.id.to_string()>{s.name.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                            </div>
                            <p><button type="submit" class="primary">{t(l, "Buat siklus")}</button></p>
                        </ActionForm>
                        {outcome(move || create.value().get(), move |c| {
                            let href = format!("/siklus/{}", c.id);
                            view! {
                                <p>
                                    {t(l, "Siklus dibuat;")} " " {c.carried} " " {t(l, "usulan Target dibawa.")} " "
                                    <a href=href>{t(l, "Buka siklus")}</a>
                                </p>
                                {(!c.unmapped.is_empty()).then(|| view! {
                                    <p class="small">{t(l, "Tidak terpetakan (isi Target secara manual): ")} {c.unmapped.join(", ")}</p>
                                })}
                            }
                            .into_any()
                        }, "hasil-siklus-baru")}
                    </section>
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// Schedule, frozen stages, import and calibration links of one cycle.
#[component]
pub fn CycleAdminPanel(id: i64) -> impl IntoView {
    let l = i18n::current();
    let meta = Resource::new(move || id, get_cycle_meta);
    let milestones = ServerAction::<UpdateCycle>::new();
    let submit = ServerAction::<SubmitStage>::new();
    Effect::new(move |_| {
        if milestones.value().get().is_some_and(|r| r.is_ok())
            || submit.value().get().is_some_and(|r| r.is_ok())
        {
            meta.refetch();
        }
    });
    let query = use_query_map();
    let error = move || query.read().get("galat");
    view! {
        {move || error().map(|m| view! { <p class="error" role="alert" data-testid="galat">{m}</p> })}
        <Suspense fallback=move || view! { <p class="muted">{t(l, "Memuat jadwal…")}</p> }>
            {move || Suspend::new(async move {
                match meta.await {
                    Ok(m) => admin_view(l, m, milestones, submit).into_any(),
                    Err(e) => error_box(e),
                }
            })}
        </Suspense>
    }
}

fn admin_view(
    l: Lang,
    m: CycleMeta,
    milestones: ServerAction<UpdateCycle>,
    submit: ServerAction<SubmitStage>,
) -> impl IntoView {
    let id = m.id;
    let calibration = format!("/siklus/{id}/kalibrasi");
    let import_action = format!("/siklus/{id}/impor");
    let importing = RwSignal::new(false);
    let schedule = m
        .milestones
        .iter()
        .map(|ms| {
            // The label in the reader's language, found by the milestone's kind.
            let label: String = MILESTONES
                .iter()
                .find(|(k, _)| *k == ms.kind)
                .map(|(_, lab)| t(l, lab).to_string())
                .unwrap_or_else(|| ms.label.clone());
            view! {
                <li>
                    <strong>{label}</strong>
                    ": "
                    {ms.due_on.clone().unwrap_or_else(|| t(l, "belum dijadwalkan").to_string())}
                </li>
            }
        })
        .collect_view();
    let manage = m.can_manage.then(|| {
        let dates: Vec<String> = m
            .milestones
            .iter()
            .map(|ms| ms.due_on.clone().unwrap_or_default())
            .collect();
        view! {
            <details>
                <summary>{t(l, "Ubah siklus dan jadwal")}</summary>
                <ActionForm action=milestones>
                    <input type="hidden" name="cycle" value=id.to_string() />
                    <div class="row3">
                        <div>
                            <label for="ubah-nama">{t(l, "Nama siklus")}</label>
                            <input id="ubah-nama" name="name" required value=m.name.clone() />
                        </div>
                        <div>
                            <label for="ubah-berjalan">{t(l, "Siklus berjalan")}</label>
                            <select id="ubah-berjalan" name="current">
                                <option value="ya" selected=m.is_current>{t(l, "Ya (ditampilkan di dasbor)")}</option>
                                <option value="tidak" selected=!m.is_current>{t(l, "Tidak")}</option>
                            </select>
                        </div>
                    </div>
                    <div class="row3">
                        {MILESTONES.iter().zip(dates).map(|((kind, label), d)| {
                            let input_id = format!("jadwal-{kind}");
                            let for_id = input_id.clone();
                            view! {
                                <div>
                                    <label for=for_id>{t(l, label)}</label>
                                    <input id=input_id name=*kind type="date" value=d />
                                </div>
                            }
                        }).collect_view()}
                    </div>
                    <p><button type="submit">{t(l, "Simpan")}</button></p>
                </ActionForm>
                {outcome(move || milestones.value().get(), move |_| t(l, "Siklus dan jadwal tersimpan.").into_any(), "hasil-jadwal")}
            </details>
            <h3>{t(l, "Kirim dan bekukan tahap")}</h3>
            <p class="muted small">{t(l, "Level yang berlaku dan versi data dukungnya dibekukan; nanti dapat dibandingkan dengan keadaan terkini (untuk wawancara dan visitasi).")}</p>
            <ActionForm action=submit>
                <input type="hidden" name="cycle" value=id.to_string() />
                <div class="row3">
                    <div>
                        <label for="kirim-tahap">{t(l, "Tahap")}</label>
                        <select id="kirim-tahap" name="stage">
                            {[Stage::Mandiri, Stage::Verifikasi, Stage::Target, Stage::Eksternal, Stage::Akhir]
                                .iter()
                                .map(|s| view! { <option value=s.as_str()>{t(l, s.label())}</option> })
                                .collect_view()}
                        </select>
                    </div>
                    <div>
                        <label for="kirim-catatan">{t(l, "Catatan")}</label>
                        <input id="kirim-catatan" name="note" placeholder=t(l, "mis. dikirim ke KemenPANRB") />
                    </div>
                    <div>
                        <button type="submit" class="primary" data-testid="kirim-tahap">{t(l, "Kirim dan bekukan")}</button>
                    </div>
                </div>
            </ActionForm>
            {outcome(move || submit.value().get(), move |_| t(l, "Tahap dibekukan.").into_any(), "hasil-kirim")}
            <h3>{t(l, "Impor hasil resmi")}</h3>
            <p class="muted small">{t(l, "CSV atau XLSX dengan kolom: kode indikator, level, catatan (opsional). Pratinjau dulu; tidak ada yang ditulis sebelum dikonfirmasi.")}</p>
            <form class="inline" method="post" action=import_action enctype="multipart/form-data" data-testid="form-impor"
                on:submit=move |_| importing.set(true)>
                <label for="impor-tahap">{t(l, "Tahap")}</label>
                <select id="impor-tahap" name="tahap">
                    <option value="eksternal">{t(l, Stage::Eksternal.label())}</option>
                    <option value="akhir">{t(l, Stage::Akhir.label())}</option>
                </select>
                <label for="impor-berkas">{t(l, "Berkas")}</label>
                <input id="impor-berkas" name="berkas" type="file" required accept=".csv,.xlsx,.xls,.ods" />
                <button type="submit" disabled=move || importing.get()>{t(l, "Pratinjau")}</button>
                {move || importing.get().then(|| view! {
                    <span role="status" class="small"><progress aria-label=t(l, "Membaca berkas")></progress>{t(l, " Membaca berkas…")}</span>
                })}
            </form>
        }
    });
    view! {
        <section class="card" aria-labelledby="judul-jadwal" data-testid="jadwal">
            <h2 id="judul-jadwal">{t(l, "Jadwal dan tahap")}</h2>
            <ul class="schedule">{schedule}</ul>
            {manage}
            <h3>{t(l, "Tahap yang dibekukan")}</h3>
            {m.snapshots.is_empty().then(|| view! { <p class="muted small">{t(l, "Belum ada.")}</p> })}
            <ul data-testid="daftar-beku">
                {m.snapshots.iter().map(|s| {
                    let href = format!("/siklus/{}/beku/{}", id, s.id);
                    view! {
                        <li>
                            <a href=href>{format!("{} · {} {}", t(l, s.stage.label()), s.indicators, t(l, "indikator"))}</a>
                            <span class="muted small">" · " {s.by.clone()} ", " {s.at.clone()}
                                {(!s.note.is_empty()).then(|| format!(" · {}", s.note))}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p><a href=calibration>{t(l, "Kalibrasi: Mandiri dibanding hasil verifikasi dan hasil resmi")}</a></p>
        </section>
    }
}

fn evidence_list(list: &[EvidenceRef]) -> AnyView {
    if list.is_empty() {
        return view! { <span class="muted">"–"</span> }.into_any();
    }
    view! {
        <ul class="small plain">
            {list.iter().map(|e| view! {
                <li><a href=e.href.clone() rel="noopener noreferrer">{e.title.clone()}</a>{format!(" v{}", e.version)}</li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
pub fn SnapshotPage() -> impl IntoView {
    let l = i18n::current();
    let params = use_params_map();
    let key = move || {
        let p = params.read();
        let n = |k: &str| p.get(k).and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
        (n("id"), n("sid"))
    };
    let data = Resource::new(key, |(c, s)| get_snapshot(c, s));
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t(l, "Memuat…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => {
                        let back = format!("/siklus/{}", v.cycle_id);
                        let only_changes = RwSignal::new(false);
                        view! {
                            <Title text=format!("{} {} — Sinergi", t(l, v.stage.label()), t(l, "dibekukan")) />
                            <p class="small"><a href=back>"← " {v.cycle_name.clone()}</a></p>
                            <h1>{t(l, v.stage.label())} {t(l, " yang dibekukan")}</h1>
                            <p class="muted">{v.by.clone()} ", " {v.at.clone()} {(!v.note.is_empty()).then(|| format!(" · {}", v.note))}</p>
                            <section class="card">
                                <p>{t(l, "Indeks saat dibekukan: ")} {figure_with_predicate(l, &v.frozen_index, &v.frozen_predicate)}</p>
                                <p>{t(l, "Indeks sekarang: ")} {figure_with_predicate(l, &v.live_index, &v.live_predicate)}</p>
                                <p data-testid="jumlah-berubah">{format!("{} {}", v.changed, t(l, "indikator berubah sejak dibekukan."))}</p>
                                <label class="check">
                                    <input type="checkbox" on:change=move |ev| only_changes.set(event_target_checked(&ev)) />
                                    {t(l, " Tampilkan yang berubah saja")}
                                </label>
                            </section>
                            <section class="card">
                                <table data-testid="beda">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t(l, "Kode")}</th>
                                            <th scope="col">{t(l, "Indikator")}</th>
                                            <th scope="col" class="num">{t(l, "Dibekukan")}</th>
                                            <th scope="col" class="num">{t(l, "Sekarang")}</th>
                                            <th scope="col">{t(l, "Data dukung dibekukan")}</th>
                                            <th scope="col">{t(l, "Data dukung sekarang")}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {v.rows.iter().map(|r| {
                                            let changed = r.level_changed || r.evidence_changed;
                                            let class = if changed { "changed" } else { "" };
                                            view! {
                                                <tr class=class hidden=move || only_changes.get() && !changed>
                                                    <td>{r.code.clone()}</td>
                                                    <td>{r.name.clone()}</td>
                                                    <td class="num">{r.frozen.as_deref().map(|x| i18n::num(l, x)).unwrap_or_else(|| "–".into())}</td>
                                                    <td class="num">{r.live.as_deref().map(|x| i18n::num(l, x)).unwrap_or_else(|| "–".into())}
                                                        {r.level_changed.then(|| view! { <span class="tag">{t(l, " berubah")}</span> })}</td>
                                                    <td>{evidence_list(&r.frozen_evidence)}</td>
                                                    <td>{evidence_list(&r.live_evidence)}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                        }
                        .into_any()
                    }
                    Err(e) => error_box(e),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let l = i18n::current();
    let params = use_params_map();
    let key = move || {
        let p = params.read();
        let n = |k: &str| p.get(k).and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
        (n("id"), n("batch"))
    };
    let data = Resource::new(key, |(c, b)| get_import(c, b));
    let decide = ServerAction::<DecideImport>::new();
    Effect::new(move |_| {
        if decide.value().get().is_some_and(|r| r.is_ok()) {
            data.refetch();
        }
    });
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t(l, "Memuat pratinjau…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => {
                        let back = format!("/siklus/{}", v.cycle_id);
                        let status = match v.status.as_str() {
                            "diterapkan" => t(l, "Sudah diterapkan ke ledger."),
                            "dibatalkan" => t(l, "Dibatalkan; tidak ada yang ditulis."),
                            _ => t(l, "Pratinjau: belum ada yang ditulis."),
                        };
                        let (c1, c2, b1, b2) = (v.cycle_id.to_string(), v.cycle_id.to_string(), v.id.to_string(), v.id.to_string());
                        let pending = v.status == "pratinjau";
                        view! {
                            <Title text=format!("{} — Sinergi", t(l, "Impor hasil resmi")) />
                            <p class="small"><a href=back>"← " {v.cycle_name.clone()}</a></p>
                            <h1>{t(l, "Impor")} " " {t(l, v.stage.label())} ": " {v.file_name.clone()}</h1>
                            <p data-testid="status-impor">{status}</p>
                            <section class="card">
                                <p data-testid="ringkas-impor">
                                    {format!("{} {} {} {}", v.rows.len(), t(l, "baris,"), v.problems, t(l, "bermasalah."))}
                                    {(!v.missing.is_empty()).then(|| format!(" {} {}.", t(l, "Tidak disebut di berkas:"), v.missing.join(", ")))}
                                </p>
                                <p>{t(l, "Indeks")} " " {t(l, v.stage.label())} " " {t(l, "setelah diterapkan:")} " " {figure_with_predicate(l, &v.index_after, &v.predicate_after)}</p>
                                {(v.problems > 0 && pending).then(|| view! {
                                    <p class="error" role="alert">{t(l, "Perbaiki baris bermasalah di berkas lalu unggah ulang; impor hanya dapat diterapkan bila semua baris benar.")}</p>
                                })}
                                {pending.then(|| view! {
                                    <div class="inline">
                                        {v.can_confirm.then(|| view! {
                                            <ActionForm action=decide>
                                                <input type="hidden" name="cycle" value=c1 />
                                                <input type="hidden" name="id" value=b1 />
                                                <input type="hidden" name="decision" value="terapkan" />
                                                <button type="submit" class="primary" data-testid="terapkan-impor">{t(l, "Terapkan semua baris")}</button>
                                            </ActionForm>
                                        })}
                                        <ActionForm action=decide>
                                            <input type="hidden" name="cycle" value=c2 />
                                            <input type="hidden" name="id" value=b2 />
                                            <input type="hidden" name="decision" value="batal" />
                                            <button type="submit" data-testid="batal-impor">{t(l, "Batalkan")}</button>
                                        </ActionForm>
                                    </div>
                                })}
                                {outcome(move || decide.value().get(), move |_| t(l, "Keputusan tersimpan.").into_any(), "hasil-impor")}
                            </section>
                            <section class="card">
                                <table data-testid="baris-impor">
                                    <thead>
                                        <tr>
                                            <th scope="col" class="num">{t(l, "Baris")}</th>
                                            <th scope="col">{t(l, "Kode")}</th>
                                            <th scope="col" class="num">{t(l, "Level")}</th>
                                            <th scope="col">{t(l, "Catatan")}</th>
                                            <th scope="col">{t(l, "Masalah")}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {v.rows.iter().map(|r| {
                                            let class = if r.problem.is_some() { "problem" } else { "" };
                                            view! {
                                                <tr class=class>
                                                    <td class="num">{r.line}</td>
                                                    <td>{r.code.clone()}</td>
                                                    <td class="num">{r.level.map(|x| i18n::num(l, &crate::format::level_id(x))).unwrap_or_else(|| "–".into())}</td>
                                                    <td>{r.note.clone()}</td>
                                                    <td>{r.problem.clone().unwrap_or_default()}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                        }
                        .into_any()
                    }
                    Err(e) => error_box(e),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn CalibrationPage() -> impl IntoView {
    let l = i18n::current();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let data = Resource::new(id, get_calibration);
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t(l, "Memuat kalibrasi…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => {
                        let back = format!("/siklus/{}", v.cycle_id);
                        view! {
                            <Title text=format!("{} — Sinergi", t(l, "Kalibrasi")) />
                            <p class="small"><a href=back>{t(l, "← Kembali ke siklus")}</a></p>
                            <h1>{t(l, "Kalibrasi penilaian mandiri")}</h1>
                            <p class="muted">
                                {v.framework_name.clone()}
                                {t(l, ": selisih = Mandiri dikurangi hasil resmi (Akhir, lalu Eksternal) atau, bila belum ada, hasil verifikasi. Positif berarti mengklaim terlalu tinggi.")}
                            </p>
                            {v.cycles.into_iter().map(|c| view! {
                                // Focusable: on a phone the six columns scroll sideways within the card.
                                <section class="card" data-testid="kalibrasi-siklus" tabindex="0" aria-label=format!("{} {}", t(l, "Kalibrasi"), c.name)>
                                    <h2>{c.name.clone()}</h2>
                                    <p data-testid="kalibrasi-ringkas">{format!(
                                        "{} {} {} {} {} {}",
                                        c.over,
                                        t(l, "terlalu tinggi,"),
                                        c.under,
                                        t(l, "terlalu rendah,"),
                                        c.equal,
                                        t(l, "tepat."),
                                    )}</p>
                                    <table>
                                        <thead>
                                            <tr>
                                                <th scope="col">{t(l, "Kode")}</th>
                                                <th scope="col">{t(l, "Indikator")}</th>
                                                <th scope="col" class="num">{t(l, "Mandiri")}</th>
                                                <th scope="col" class="num">{t(l, "Verifikasi")}</th>
                                                <th scope="col" class="num">{t(l, "Resmi")}</th>
                                                <th scope="col" class="num">{t(l, "Selisih")}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {c.rows.iter().map(|r| {
                                                let class = match r.gap_sign { 1 => "num over", -1 => "num under", _ => "num" };
                                                let dash = || "–".to_string();
                                                view! {
                                                    <tr>
                                                        <td>{r.code.clone()}</td>
                                                        <td>{r.name.clone()}</td>
                                                        <td class="num">{r.mandiri.as_deref().map(|x| i18n::num(l, x)).unwrap_or_else(dash)}</td>
                                                        <td class="num">{r.verifikasi.as_deref().map(|x| i18n::num(l, x)).unwrap_or_else(dash)}</td>
                                                        <td class="num">{r.resmi.as_deref().map(|x| i18n::num(l, x)).unwrap_or_else(dash)}</td>
                                                        <td class=class>{r.gap.as_deref().map(|x| i18n::num(l, x)).unwrap_or_else(dash)}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </section>
                            }).collect_view()}
                        }
                        .into_any()
                    }
                    Err(e) => error_box(e),
                }
            })}
        </Suspense>
    }
}

/// `/padanan`: which SPBE indicators feed each Pemdi indicator when a cycle is carried forward.
#[component]
pub fn CrosswalkPage() -> impl IntoView {
    let l = i18n::current();
    let data = Resource::new(|| (), |_| super::get_crosswalk());
    let edit = ServerAction::<super::EditCrosswalk>::new();
    Effect::new(move |_| {
        if edit.value().get().is_some_and(|r| r.is_ok()) {
            data.refetch();
        }
    });
    view! {
        <Title text=format!("{} — Sinergi", t(l, "Padanan indikator")) />
        <h1>{t(l, "Padanan indikator SPBE → Pemdi")}</h1>
        <p class="muted">
            {t(l, "Dipakai saat siklus Pemdi dilanjutkan dari siklus SPBE: level indikator sumber dirata-ratakan (tepat) menjadi usulan Target. Indikator tanpa padanan diisi manual.")}
        </p>
        {outcome(move || edit.value().get(), move |_| t(l, "Padanan tersimpan.").into_any(), "hasil-padanan")}
        <Transition fallback=move || view! { <p class="muted">{t(l, "Memuat…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => {
                        let can_edit = v.can_edit;
                        let options = v.from_codes.clone();
                        view! {
                            <section class="card">
                                <table data-testid="padanan">
                                    <thead>
                                        <tr>
                                            <th scope="col">{v.to_name.clone()}</th>
                                            <th scope="col">{format!("{} ({})", t(l, "Sumber"), v.from_name)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {v.rows.into_iter().map(|r| {
                                            let to = r.code.clone();
                                            let select_id = format!("padanan-{}", r.code);
                                            let label_for = select_id.clone();
                                            let sources = r.sources.iter().map(|(c, n)| {
                                                let (to, c2) = (to.clone(), c.clone());
                                                view! {
                                                    <li>
                                                        <span title=n.clone()>{format!("{c} · {n}")}</span>
                                                        {can_edit.then(|| view! {
                                                            <ActionForm action=edit attr:class="inline">
                                                                <input type="hidden" name="to" value=to />
                                                                <input type="hidden" name="from" value=c2 />
                                                                <input type="hidden" name="action" value="hapus" />
                                                                <button type="submit" class="link-like">{t(l, "hapus")}</button>
                                                            </ActionForm>
                                                        })}
                                                    </li>
                                                }
                                            }).collect_view();
                                            let option_views = options
                                                .iter()
                                                .map(|(c, n)| view! { <option value=c.clone()>{format!("{c} · {n}")}</option> })
                                                .collect_view();
                                            let add = can_edit.then(|| view! {
                                                <ActionForm action=edit attr:class="inline">
                                                    <input type="hidden" name="to" value=to.clone() />
                                                    <input type="hidden" name="action" value="tambah" />
                                                    <label for=label_for class="small">{t(l, "Tambah sumber")}</label>
                                                    <select id=select_id name="from">
                                                        {option_views}
                                                    </select>
                                                    <button type="submit">{t(l, "Tambah")}</button>
                                                </ActionForm>
                                            });
                                            let empty = r.sources.is_empty();
                                            view! {
                                                <tr>
                                                    <th scope="row">{format!("{} · {}", r.code, r.name)}</th>
                                                    <td>
                                                        {empty.then(|| view! { <p class="warn small">{t(l, "Tanpa padanan: Target diisi manual.")}</p> })}
                                                        <ul class="plain small">{sources}</ul>
                                                        {add}
                                                    </td>
                                                </tr>
                                            }
                                            .into_any()
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                        }
                        .into_any()
                    }
                    Err(e) => error_box(e),
                }
            })}
        </Transition>
    }
}
