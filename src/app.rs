//! The application shell, routes and the small pages (sign-in, sign-out, accounts, not found).

use crate::api::pages::{ApiDocsPage, TokensPage};
use crate::assessment::pages::{CyclePage, CyclesPage, IndicatorPage, MatrixPage};
use crate::auth::{get_current_user, list_users, CurrentUser, SetOpdHead};
use crate::boards::pages::{BoardPage, BoardsPage, CardPage, CollaborationPage, MyWorkPage};
use crate::commitment::pages::CommitmentPage;
use crate::cycles::pages::{CalibrationPage, CrosswalkPage, ImportPage, SnapshotPage};
use crate::dashboard::DashboardPage;
use crate::error::AppError;
use crate::evidence::EvidencePage;
use crate::i18n::{self, t};
use crate::leadership::pages::{KioskPage, LeadershipPage};
use crate::national::pages::NationalPage;
use crate::reports::pages::ReportPage;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_query_map;
use leptos_router::{path, SsrMode};

/// The HTML document around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The browser reads this attribute back when it hydrates: both sides speak one language.
    let lang = i18n::current().code();
    // The page's scripts carry this request's nonce; the security-headers layer turns it into
    // the Content-Security-Policy, so no other inline script runs.
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(res)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        if let Ok(v) = http::HeaderValue::from_str(&nonce) {
            res.insert_header(
                http::HeaderName::from_static(crate::server::NONCE_HEADER),
                v,
            );
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="description" content="Sinergi: kesiapan evaluasi SPBE dan Indeks Pemerintah Digital, dikerjakan bersama seluruh OPD." />
                // ECharts comes from the npm package and is served from our own origin.
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <script defer src="/echarts.min.js"></script>
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

type UserResource = Resource<Result<Option<CurrentUser>, AppError>>;

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let l = i18n::current();
    let user: UserResource = Resource::new(|| (), |_| get_current_user());
    provide_context(user);
    view! {
        <Stylesheet id="leptos" href="/pkg/sinergi.css" />
        <Title text=t(l, "Sinergi — Kesiapan Evaluasi SPBE") />
        <Router>
            <a class="skip" href="#isi">{t(l, "Lewati ke isi")}</a>
            <Header />
            <main id="isi">
                <Routes fallback=NotFound>
                    <Route path=path!("/masuk") view=LoginPage />
                    <Route path=path!("/keluar") view=LogoutPage />
                    <Route path=path!("/dasbor") view=DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async />
                    <Route path=path!("/siklus") view=CyclesPage ssr=SsrMode::Async />
                    <Route path=path!("/siklus/:id") view=CyclePage ssr=SsrMode::Async />
                    <Route path=path!("/siklus/:id/matriks") view=MatrixPage ssr=SsrMode::Async />
                    <Route path=path!("/siklus/:id/beku/:sid") view=SnapshotPage ssr=SsrMode::Async />
                    <Route path=path!("/siklus/:id/impor/:batch") view=ImportPage ssr=SsrMode::Async />
                    <Route path=path!("/siklus/:id/kalibrasi") view=CalibrationPage ssr=SsrMode::Async />
                    <Route path=path!("/siklus/:id/indikator/:code") view=IndicatorPage ssr=SsrMode::Async />
                    <Route path=path!("/bukti") view=EvidencePage ssr=SsrMode::Async />
                    <Route path=path!("/padanan") view=CrosswalkPage ssr=SsrMode::Async />
                    <Route path=path!("/papan") view=BoardsPage ssr=SsrMode::Async />
                    <Route path=path!("/papan/:id") view=BoardPage ssr=SsrMode::Async />
                    <Route path=path!("/papan/:id/kolaborasi") view=CollaborationPage ssr=SsrMode::Async />
                    <Route path=path!("/papan/:id/kartu/:card") view=CardPage ssr=SsrMode::Async />
                    <Route path=path!("/saya") view=MyWorkPage ssr=SsrMode::Async />
                    <Route path=path!("/pimpinan") view=LeadershipPage ssr=SsrMode::Async />
                    <Route path=path!("/kios/:token") view=KioskPage ssr=SsrMode::Async />
                    <Route path=path!("/komitmen/:cycle") view=CommitmentPage ssr=SsrMode::Async />
                    <Route path=path!("/laporan/:cycle") view=ReportPage ssr=SsrMode::Async />
                    <Route path=path!("/token") view=TokensPage ssr=SsrMode::Async />
                    <Route path=path!("/nasional") view=NationalPage ssr=SsrMode::Async />
                    <Route path=path!("/dokumentasi-api") view=ApiDocsPage ssr=SsrMode::Async />
                </Routes>
            </main>
            <footer class="muted small no-print">
                <span>{t(l, "Sinergi · kolaborasi lintas OPD untuk Indeks SPBE dan Indeks Pemerintah Digital")}</span>
                <a href="/token">{t(l, "Token API")}</a>
                <a href="/dokumentasi-api">{t(l, "Dokumentasi API")}</a>
                <LanguageSwitch />
            </footer>
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let l = i18n::current();
    let user = expect_context::<UserResource>();
    let unread = crate::boards::pages::unread_resource();
    view! {
        <header class="top no-print">
            <a href="/dasbor" class="brand">
                "Sinergi"
            </a>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let n = match unread.await {
                        Ok(Some(u)) => u.count,
                        _ => 0,
                    };
                    match user.await {
                        Ok(Some(u)) => {
                            let admin = u.role.manages_accounts();
                            view! {
                                <nav aria-label=t(l, "Navigasi utama")>
                                    <a href="/dasbor">{t(l, "Dasbor")}</a>
                                    <a href="/pimpinan">{t(l, "Pimpinan")}</a>
                                    <a href="/siklus">{t(l, "Siklus")}</a>
                                    <a href="/papan">{t(l, "Papan")}</a>
                                    <a href="/bukti">{t(l, "Data dukung")}</a>
                                    {admin.then(|| view! { <a href="/admin">{t(l, "Pengguna")}</a> })}
                                    {u.national.then(|| view! { <a href="/nasional">{t(l, "Nasional")}</a> })}
                                    {crate::boards::pages::unread_link(n)}
                                </nav>
                                <div class="who">
                                    <span class="muted small">{u.instansi_name.clone()}</span>
                                    <span data-testid="pengguna">
                                        {u.display_name.clone()} " · " {t(l, u.role.label())}
                                    </span>
                                    <form method="post" action="/keluar">
                                        <button type="submit" class="link">
                                            {t(l, "Keluar")}
                                        </button>
                                    </form>
                                </div>
                            }
                                .into_any()
                        }
                        _ => ().into_any(),
                    }
                })}
            </Transition>
        </header>
    }
}

#[component]
fn LoginPage() -> impl IntoView {
    let l = i18n::current();
    let query = use_query_map();
    let error = move || {
        query.read().get("galat").map(|g| match g.as_str() {
            "kredensial" => t(l, "Nama pengguna atau kata sandi salah."),
            "terkunci" => t(
                l,
                "Terlalu banyak percobaan masuk yang gagal untuk akun ini. Akun dikunci sementara; coba lagi dalam 15 menit.",
            ),
            _ => t(l, "Terjadi kesalahan pada server. Silakan coba lagi."),
        })
    };
    let signed_out = move || query.read().get("keluar").is_some();
    let next = move || query.read().get("lanjut").unwrap_or_default();
    view! {
        <Title text=format!("{} — Sinergi", t(l, "Masuk")) />
        <section class="login card">
            <h1>{t(l, "Masuk ke Sinergi")}</h1>
            <p class="muted">
                {t(l, "Persiapan evaluasi SPBE dan Indeks Pemerintah Digital, bersama seluruh OPD.")}
            </p>
            {move || error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || signed_out().then(|| view! { <p class="ok" role="status">{t(l, "Anda telah keluar.")}</p> })}
            <form method="post" action="/masuk">
                <input type="hidden" name="lanjut" value=next />
                <label for="username">{t(l, "Nama pengguna")}</label>
                <input id="username" name="username" autocomplete="username" required autofocus />
                <label for="password">{t(l, "Kata sandi")}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required />
                <button type="submit">{t(l, "Masuk")}</button>
            </form>
        </section>
    }
}

#[component]
fn LogoutPage() -> impl IntoView {
    let l = i18n::current();
    view! {
        <Title text=format!("{} — Sinergi", t(l, "Keluar")) />
        <section class="login card">
            <h1>{t(l, "Keluar")}</h1>
            <p>{t(l, "Akhiri sesi Anda di perangkat ini?")}</p>
            <form method="post" action="/keluar">
                <button type="submit">{t(l, "Keluar")}</button>
            </form>
            <p class="muted">
                {t(l, "Perangkat hilang atau lupa keluar di komputer bersama? Akhiri semua sesi akun ini sekaligus.")}
            </p>
            <form method="post" action="/keluar">
                <input type="hidden" name="semua" value="1" />
                <button type="submit" class="secondary" data-testid="keluar-semua">
                    {t(l, "Keluar dari semua perangkat")}
                </button>
            </form>
        </section>
    }
}

#[component]
fn AdminPage() -> impl IntoView {
    let l = i18n::current();
    let users = Resource::new(|| (), |_| list_users());
    let head = ServerAction::<SetOpdHead>::new();
    Effect::new(move |_| {
        if head.value().get().is_some_and(|r| r.is_ok()) {
            users.refetch();
        }
    });
    view! {
        <Title text=format!("{} — Sinergi", t(l, "Pengguna")) />
        <h1>{t(l, "Pengguna")}</h1>
        <p class="muted">{t(l, "Kepala OPD menandatangani komitmen bersama atas nama OPD-nya. Tandai kepala di kolom OPD.")}</p>
        {move || head.value().get().and_then(|r| r.err()).map(|e| view! { <p class="error" role="alert">{e.to_string()}</p> })}
        <Transition fallback=move || view! { <p class="muted">{t(l, "Memuat…")}</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(rows) => view! {
                        <table data-testid="pengguna-tabel">
                            <thead>
                                <tr>
                                    <th scope="col">{t(l, "Nama pengguna")}</th>
                                    <th scope="col">{t(l, "Nama")}</th>
                                    <th scope="col">{t(l, "Peran")}</th>
                                    <th scope="col">"OPD"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|u| {
                                        let username = u.username.clone();
                                        view! {
                                            <tr>
                                                <td>{u.username.clone()}</td>
                                                <td>{u.display_name.clone()}</td>
                                                <td>{t(l, u.role.label())}</td>
                                                <td>
                                                    {u.opds.clone().into_iter().map(|code| {
                                                        let username = username.clone();
                                                        let is_head = u.heads.contains(&code);
                                                        let label = if is_head {
                                                            format!("{} {} ({})", t(l, "Hapus tanda kepala"), code, username)
                                                        } else {
                                                            format!("{} {} ({})", t(l, "Tandai sebagai kepala"), code, username)
                                                        };
                                                        view! {
                                                            <ActionForm action=head attr:class="inline">
                                                                <input type="hidden" name="username" value=username />
                                                                <input type="hidden" name="opd" value=code.clone() />
                                                                <input type="hidden" name="head" value=(!is_head).to_string() />
                                                                <span>{code}</span>
                                                                {is_head.then(|| view! { <strong class="badge-head">{t(l, "Kepala")}</strong> })}
                                                                <button type="submit" class="link-like" aria-label=label>
                                                                    {if is_head { t(l, "bukan kepala") } else { t(l, "jadikan kepala") }}
                                                                </button>
                                                            </ActionForm>
                                                        }
                                                    }).collect_view()}
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                        .into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Switches the interface language; a plain form, so it works before and without JavaScript.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let l = i18n::current();
    let location = leptos_router::hooks::use_location();
    let here = move || {
        let p = location.pathname.get();
        let q = location.search.get();
        if q.is_empty() {
            p
        } else {
            format!("{p}?{}", q.trim_start_matches('?'))
        }
    };
    view! {
        <form method="post" action="/bahasa" class="lang-switch">
            <input type="hidden" name="lanjut" value=here />
            <span id="bahasa-label">{t(l, "Bahasa")}</span>
            {[i18n::Lang::Id, i18n::Lang::En].into_iter().map(|x| {
                let current = (x == l).then_some("true");
                view! {
                    <button type="submit" name="bahasa" value=x.code() class="link" aria-pressed=current.unwrap_or("false")
                        lang=x.code()>{x.native_name()}</button>
                }
            }).collect_view()}
        </form>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let l = i18n::current();
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=format!("{} — Sinergi", t(l, "Tidak ditemukan")) />
        <h1>{t(l, "Halaman tidak ditemukan")}</h1>
        <p>
            <a href="/dasbor">{t(l, "Kembali ke dasbor")}</a>
        </p>
    }
}
