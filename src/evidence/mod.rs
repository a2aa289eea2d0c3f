//! The evidence library (data dukung): files and links with their metadata, versioned, shared
//! across indicators, stages and cycles.
//!
//! Uploads, links, deletion and downloads are plain form posts and links handled in `ssr` (they
//! work without JavaScript and stream large files); the library itself is read by a server fn.

pub mod rules;
#[cfg(feature = "ssr")]
pub mod ssr;
#[cfg(feature = "ssr")]
pub mod store;

use crate::assessment::OpdRef;
use crate::error::AppError;
use crate::i18n::{self, t, Lang};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// The Indonesian label of a document type code.
pub fn doc_type_label(code: &str) -> &'static str {
    rules::DOC_TYPES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("Lainnya")
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionRow {
    pub id: i64,
    pub version: i64,
    pub file_name: Option<String>,
    pub size: Option<String>,
    /// The first 12 hex digits of the content's SHA-256.
    pub sha: Option<String>,
    pub href: String,
    pub is_link: bool,
    pub by: String,
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvidenceItem {
    pub id: i64,
    pub title: String,
    pub doc_type: String,
    pub number: String,
    pub year: Option<i64>,
    pub opd: Option<String>,
    pub valid_until: Option<String>,
    /// Newest first.
    pub versions: Vec<VersionRow>,
    /// How many ledger entries rest on one of its versions (then it cannot be deleted).
    pub used_by: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvidenceLibrary {
    pub items: Vec<EvidenceItem>,
    pub opds: Vec<OpdRef>,
    pub can_add: bool,
    pub max_upload: String,
    pub max_upload_bytes: u64,
    pub last_event: i64,
}

/// The evidence library of the caller's instansi. Every signed-in role may read it.
#[server(prefix = "/api", endpoint = "bukti")]
pub async fn get_evidence() -> Result<EvidenceLibrary, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::library(&state, &user).await
        }
        .await,
    )
}

fn metadata_fields(l: Lang, prefix: &'static str, opds: &[OpdRef]) -> AnyView {
    let id = move |name: &str| format!("{prefix}-{name}");
    let options = opds
        .iter()
        .map(|o| view! { <option value=o.id.to_string()>{format!("{} — {}", o.code, o.name)}</option> })
        .collect_view();
    view! {
        <label for=id("judul")>{t(l, "Judul")}</label>
        <input id=id("judul") name="judul" required maxlength="300" placeholder=t(l, "mis. Perwal Arsitektur SPBE 2024") />
        <div class="row3">
            <div>
                <label for=id("jenis")>{t(l, "Jenis dokumen")}</label>
                <select id=id("jenis") name="jenis">
                    {rules::DOC_TYPES
                        .iter()
                        .map(|(c, label)| view! { <option value=*c>{t(l, label)}</option> })
                        .collect_view()}
                </select>
            </div>
            <div>
                <label for=id("nomor")>{t(l, "Nomor")}</label>
                <input id=id("nomor") name="nomor" maxlength="100" />
            </div>
            <div>
                <label for=id("tahun")>{t(l, "Tahun")}</label>
                <input id=id("tahun") name="tahun" inputmode="numeric" maxlength="4" />
            </div>
        </div>
        <div class="row3">
            <div>
                <label for=id("opd")>{t(l, "OPD penerbit")}</label>
                <select id=id("opd") name="opd">
                    <option value="">"—"</option>
                    {options}
                </select>
            </div>
            <div>
                <label for=id("berlaku")>{t(l, "Berlaku sampai")}</label>
                <input id=id("berlaku") name="berlaku" type="date" />
            </div>
        </div>
    }
    .into_any()
}

fn library_view(lib: EvidenceLibrary, l: Lang) -> impl IntoView {
    // The browser posts the form itself; this only tells the person a long upload is under way.
    let uploading = RwSignal::new(false);
    // A file over the limit is named before it is sent (the server refuses it too).
    let too_large = RwSignal::new(None::<String>);
    let max_bytes = lib.max_upload_bytes;
    let max_text = lib.max_upload.clone();
    let check_size = move |ev: leptos::ev::Event| {
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, max_bytes, &max_text, too_large);
        #[cfg(feature = "hydrate")]
        {
            let input = event_target::<leptos::web_sys::HtmlInputElement>(&ev);
            let size = input
                .files()
                .and_then(|f| f.get(0))
                .map(|f| f.size() as u64)
                .unwrap_or(0);
            let message = (size > max_bytes).then(|| {
                format!(
                    "{} ({}); {} {}.",
                    t(l, "Berkas terlalu besar"),
                    i18n::num(l, &crate::format::bytes_id(size as i64)),
                    t(l, "maksimal"),
                    i18n::num(l, &max_text)
                )
            });
            input.set_custom_validity(message.as_deref().unwrap_or(""));
            too_large.set(message);
        }
    };
    let forms = lib.can_add.then(|| {
        let max = lib.max_upload.clone();
        view! {
            <div class="grid2">
                <section class="card" aria-labelledby="judul-unggah">
                    <h2 id="judul-unggah">{t(l, "Unggah berkas")}</h2>
                    <p class="muted small">
                        {t(l, "PDF, gambar (PNG, JPG) atau dokumen perkantoran, maksimal")} " " {i18n::num(l, &max)}
                        ". " {t(l, "Berkas yang sama persis dikenali dan tidak disimpan dua kali.")}
                    </p>
                    <form class="stack" method="post" action="/bukti/unggah" enctype="multipart/form-data" data-testid="form-unggah"
                        on:submit=move |_| uploading.set(true)>
                        <label for="berkas">{t(l, "Berkas")}</label>
                        <input id="berkas" name="berkas" type="file" required accept=rules::ACCEPT on:change=check_size />
                        {move || too_large.get().map(|m| view! { <p class="error" role="alert" data-testid="terlalu-besar">{m}</p> })}
                        {metadata_fields(l, "unggah", &lib.opds)}
                        <button type="submit" class="primary" disabled=move || uploading.get()>{t(l, "Unggah")}</button>
                        {move || uploading.get().then(|| view! {
                            <p role="status" class="small">
                                <progress aria-label=t(l, "Mengunggah")></progress>
                                " " {t(l, "Mengunggah dan memeriksa berkas… mohon tunggu.")}
                            </p>
                        })}
                    </form>
                </section>
                <section class="card" aria-labelledby="judul-tautan">
                    <h2 id="judul-tautan">{t(l, "Daftarkan tautan")}</h2>
                    <p class="muted small">
                        {t(l, "Untuk dokumen yang sudah terbit daring, mis. di JDIH atau situs resmi.")}
                    </p>
                    <form class="stack" method="post" action="/bukti/tautan" data-testid="form-tautan">
                        <label for="url">{t(l, "Alamat tautan")}</label>
                        <input id="url" name="url" type="url" required placeholder="https://" />
                        {metadata_fields(l, "tautan", &lib.opds)}
                        <button type="submit" class="primary">{t(l, "Daftarkan")}</button>
                    </form>
                </section>
            </div>
        }
        .into_any()
    });
    let can_add = lib.can_add;
    let empty = lib.items.is_empty();
    view! {
        {forms}
        <section class="card" aria-labelledby="judul-pustaka">
            <h2 id="judul-pustaka">{t(l, "Pustaka data dukung")} " (" {lib.items.len()} ")"</h2>
            {empty.then(|| view! { <p class="muted">{t(l, "Belum ada data dukung.")}</p> })}
            <ul class="evidence" data-testid="pustaka">
                {lib
                    .items
                    .into_iter()
                    .map(|item| {
                        let newest = item.versions.first().cloned();
                        let delete_action = format!("/bukti/{}/hapus", item.id);
                        let meta = [
                            Some(t(l, doc_type_label(&item.doc_type)).to_string()),
                            (!item.number.is_empty()).then(|| format!("{} {}", t(l, "No."), item.number)),
                            item.year.map(|y| format!("{} {y}", t(l, "Tahun"))),
                            item.opd.clone(),
                            item.valid_until.as_ref().map(|d| format!("{} {d}", t(l, "berlaku s.d."))),
                        ]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" · ");
                        let is_link = newest.as_ref().is_some_and(|v| v.is_link);
                        let id = item.id.to_string();
                        let file_input_id = format!("versi-{}", item.id);
                        view! {
                            <li data-testid="bukti-item">
                                <div class="ev-head">
                                    <strong>{item.title.clone()}</strong>
                                    <span class="muted small">{meta}</span>
                                </div>
                                <ol class="versions" reversed>
                                    {item
                                        .versions
                                        .iter()
                                        .map(|v| {
                                            let label = if v.is_link {
                                                t(l, "buka tautan").to_string()
                                            } else {
                                                format!("{} {}", t(l, "unduh"), v.file_name.clone().unwrap_or_default())
                                            };
                                            view! {
                                                <li>
                                                    {t(l, "Versi")} " " {v.version} " · "
                                                    <a href=v.href.clone() rel="noopener noreferrer">{label}</a>
                                                    {v.size.clone().map(|s| format!(" · {}", i18n::num(l, &s)))}
                                                    {v.sha.clone().map(|s| view! { <span class="muted small" title="SHA-256">" · #" {s}</span> })}
                                                    <span class="muted small">" · " {v.by.clone()} ", " {v.at.clone()}</span>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                                <p class="muted small">
                                    {if item.used_by > 0 {
                                        format!(
                                            "{} {} {}",
                                            t(l, "Dipakai oleh"),
                                            item.used_by,
                                            t(l, "entri penilaian atau kriteria.")
                                        )
                                    } else {
                                        t(l, "Belum dipakai entri penilaian.").to_string()
                                    }}
                                </p>
                                {(can_add && !is_link).then(|| view! {
                                    <form class="inline" method="post" action="/bukti/unggah" enctype="multipart/form-data">
                                        <input type="hidden" name="bukti" value=id.clone() />
                                        <label for=file_input_id.clone()>{t(l, "Versi baru")}</label>
                                        <input id=file_input_id.clone() name="berkas" type="file" required accept=rules::ACCEPT />
                                        <button type="submit">{t(l, "Unggah versi baru")}</button>
                                    </form>
                                })}
                                {(can_add && is_link).then(|| view! {
                                    <form class="inline" method="post" action="/bukti/tautan">
                                        <input type="hidden" name="bukti" value=id.clone() />
                                        <label for=file_input_id.clone()>{t(l, "Tautan baru")}</label>
                                        <input id=file_input_id.clone() name="url" type="url" required placeholder="https://" />
                                        <button type="submit">{t(l, "Simpan versi baru")}</button>
                                    </form>
                                })}
                                {(can_add && item.used_by == 0).then(|| view! {
                                    <form class="inline" method="post" action=delete_action>
                                        <button type="submit" class="danger">{t(l, "Hapus")}</button>
                                    </form>
                                })}
                            </li>
                        }
                        .into_any()
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn EvidencePage() -> impl IntoView {
    let l = i18n::current();
    let query = use_query_map();
    let ok = move || query.read().get("ok");
    let error = move || query.read().get("galat");
    let data = Resource::new(|| (), |_| get_evidence());
    view! {
        <Title text=format!("{} — Sinergi", t(l, "Data dukung")) />
        <h1>{t(l, "Data dukung")}</h1>
        <p class="muted">
            {t(l, "Satu data dukung dapat mendukung banyak indikator, level dan siklus. Versi lama tidak pernah hilang.")}
        </p>
        {move || ok().map(|m| view! { <p class="ok" role="status" data-testid="pesan">{m}</p> })}
        {move || error().map(|m| view! { <p class="error" role="alert" data-testid="galat">{m}</p> })}
        <Suspense fallback=move || view! { <p class="muted">{t(l, "Memuat data dukung…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(lib) => library_view(lib, l).into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
