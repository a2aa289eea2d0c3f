//! `/token` (a person's API tokens) and `/dokumentasi-api` (the API reference).

use super::rules::Scope;
use super::{api_reference, list_tokens, CreateToken, Operation, RevokeToken, TokenRow};
use crate::i18n::{self, t};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/token`: create a personal API token (shown once), see when each was last used, revoke.
#[component]
pub fn TokensPage() -> impl IntoView {
    let l = i18n::current();
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_tokens(),
    );
    view! {
        <Title text=format!("{} — Sinergi", t(l, "Token API")) />
        <h1>{t(l, "Token API")}</h1>
        <p class="muted">
            {t(l, "Token pribadi membuka API Sinergi untuk sistem lain (mis. dasbor provinsi), dengan hak yang sama seperti akun Anda. Token hanya ditampilkan sekali; simpan di tempat aman dan cabut bila tidak dipakai lagi.")}
            " " <a href="/dokumentasi-api">{t(l, "Dokumentasi API")}</a>
        </p>
        <section class="card" aria-labelledby="judul-token-baru">
            <h2 id="judul-token-baru">{t(l, "Token baru")}</h2>
            <ActionForm action=create>
                <label for="token-nama">{t(l, "Nama token")}</label>
                <input id="token-nama" name="name" required maxlength="80" placeholder=t(l, "mis. Dasbor provinsi") />
                <fieldset>
                    <legend>{t(l, "Cakupan")}</legend>
                    <label><input type="radio" name="scope" value="read" checked /> {t(l, Scope::Read.label())}</label>
                    <label><input type="radio" name="scope" value="write" /> {t(l, Scope::Write.label())}</label>
                </fieldset>
                <button type="submit">{t(l, "Buat token")}</button>
            </ActionForm>
            {move || create.value().get().map(|r| match r {
                Ok(n) => view! {
                    <div class="ok" role="status">
                        <p>{t(l, "Token dibuat. Salin sekarang: token ini tidak akan ditampilkan lagi.")}</p>
                        <p><code data-testid="token-baru">{n.token}</code></p>
                    </div>
                }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </section>
        {move || revoke.value().get().and_then(|r| r.err()).map(|e| view! { <p class="error" role="alert">{e.to_string()}</p> })}
        <section class="card" aria-labelledby="judul-token-daftar">
            <h2 id="judul-token-daftar">{t(l, "Token Anda")}</h2>
            <Transition fallback=move || view! { <p class="muted">{t(l, "Memuat…")}</p> }>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Ok(rows) if rows.is_empty() => view! { <p class="muted">{t(l, "Belum ada token.")}</p> }.into_any(),
                        Ok(rows) => view! { <TokenTable rows revoke /> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn TokenTable(rows: Vec<TokenRow>, revoke: ServerAction<RevokeToken>) -> impl IntoView {
    let l = i18n::current();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=t(l, "Token Anda")>
            <table data-testid="token-daftar">
                <thead><tr>
                    <th scope="col">{t(l, "Nama token")}</th>
                    <th scope="col">{t(l, "Cakupan")}</th>
                    <th scope="col">{t(l, "Dibuat")}</th>
                    <th scope="col">{t(l, "Terakhir dipakai")}</th>
                    <th scope="col">{t(l, "Status")}</th>
                    <th scope="col"><span class="sr-only">{t(l, "Tindakan")}</span></th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|k| {
                        let name = k.name.clone();
                        view! {
                            <tr>
                                <td>{k.name.clone()}</td>
                                <td>{t(l, k.scope.label())}</td>
                                <td>{i18n::datetime(l, k.created_at)}</td>
                                <td>{k.last_used_at.map(|at| i18n::datetime(l, at)).unwrap_or_else(|| "–".into())}</td>
                                <td>{match k.revoked_at {
                                    Some(at) => format!("{} {}", t(l, "Dicabut"), i18n::datetime(l, at)),
                                    None => t(l, "Berlaku").to_string(),
                                }}</td>
                                <td>{k.revoked_at.is_none().then(|| view! {
                                    <ActionForm action=revoke>
                                        <input type="hidden" name="id" value=k.id.to_string() />
                                        <button type="submit" class="secondary" aria-label=format!("{} {}", t(l, "Cabut"), name)>{t(l, "Cabut")}</button>
                                    </ActionForm>
                                })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// `/dokumentasi-api`: every route of `/api/v1` from the same table the router and the OpenAPI
/// document are built from.
#[component]
pub fn ApiDocsPage() -> impl IntoView {
    let l = i18n::current();
    let ops = Resource::new(|| (), |_| api_reference());
    view! {
        <Title text=format!("{} — Sinergi", t(l, "Dokumentasi API")) />
        <h1>{t(l, "Dokumentasi API")}</h1>
        <p>
            {t(l, "API REST Sinergi untuk integrasi: membaca siklus, indikator, level per tahap, skor, papan dan kartu; menulis klaim level, kartu dan komentar, dengan hak yang sama seperti aplikasi.")}
        </p>
        <ul>
            <li>{t(l, "Autentikasi: header Authorization: Bearer sng_… dengan token pribadi dari halaman Token API.")} " " <a href="/token">{t(l, "Token API")}</a></li>
            <li>{t(l, "Galat berupa JSON dengan kode yang tetap (error.code) dan pesan (error.message).")}</li>
            <li>{t(l, "Daftar berhalaman: page (mulai 1) dan per_page (1–200, bawaan 50).")}</li>
            <li>{t(l, "Batas: 120 permintaan per menit per token (X-RateLimit-Remaining, Retry-After).")}</li>
            <li>{t(l, "Dokumen OpenAPI 3.1:")} " " <a href="/api/v1/openapi.json" data-testid="openapi-tautan">"/api/v1/openapi.json"</a></li>
        </ul>
        <Transition fallback=move || view! { <p class="muted">{t(l, "Memuat…")}</p> }>
            {move || Suspend::new(async move {
                match ops.await {
                    Ok(ops) => ops.into_iter().map(|op| view! { <OperationCard op /> }).collect_view().into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn OperationCard(op: Operation) -> impl IntoView {
    let l = i18n::current();
    let scope = match op.scope.as_str() {
        "" => t(l, "publik").to_string(),
        s => format!("{} {s}", t(l, "token")),
    };
    view! {
        <section class="card api-op" data-testid="api-operasi">
            <h2><code>{op.method.clone()} " " {op.path.clone()}</code></h2>
            <p><strong>{op.summary.clone()}</strong> " · " <span class="muted">{scope}</span></p>
            <p>{op.description.clone()}</p>
            {(!op.parameters.is_empty()).then(|| view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label=t(l, "Parameter")>
                    <table>
                        <thead><tr>
                            <th scope="col">{t(l, "Parameter")}</th>
                            <th scope="col">{t(l, "Letak")}</th>
                            <th scope="col">{t(l, "Jenis")}</th>
                            <th scope="col">{t(l, "Keterangan")}</th>
                        </tr></thead>
                        <tbody>
                            {op.parameters.iter().map(|(name, place, kind, required, desc)| view! {
                                <tr>
                                    <td><code>{name.clone()}</code>{required.then_some(" *")}</td>
                                    <td>{place.clone()}</td>
                                    <td>{kind.clone()}</td>
                                    <td>{desc.clone()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            {op.body.clone().map(|b| view! {
                <p>{t(l, "Badan permintaan (JSON):")}</p>
                <pre><code>{b}</code></pre>
            })}
            <ul class="small">
                {op.responses.iter().map(|(status, desc)| view! {
                    <li><code>{status.clone()}</code> " " {desc.clone()}</li>
                }).collect_view()}
            </ul>
        </section>
    }
}
