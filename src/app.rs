//! The application shell, routes and the small pages (sign-in, sign-out, accounts, not found).

use crate::assessment::pages::{CyclePage, CyclesPage, IndicatorPage, MatrixPage};
use crate::auth::{get_current_user, list_users, CurrentUser};
use crate::boards::pages::{BoardPage, BoardsPage, CardPage, CollaborationPage, MyWorkPage};
use crate::cycles::pages::{CalibrationPage, CrosswalkPage, ImportPage, SnapshotPage};
use crate::dashboard::DashboardPage;
use crate::error::AppError;
use crate::evidence::EvidencePage;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_query_map;
use leptos_router::{path, SsrMode};

/// The HTML document around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="id">
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
    let user: UserResource = Resource::new(|| (), |_| get_current_user());
    provide_context(user);
    view! {
        <Stylesheet id="leptos" href="/pkg/sinergi.css" />
        <Title text="Sinergi — Kesiapan Evaluasi SPBE" />
        <Router>
            <a class="skip" href="#isi">"Lewati ke isi"</a>
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
                </Routes>
            </main>
            <footer class="muted small">
                "Sinergi · kolaborasi lintas OPD untuk Indeks SPBE dan Indeks Pemerintah Digital"
            </footer>
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let user = expect_context::<UserResource>();
    let unread = crate::boards::pages::unread_resource();
    view! {
        <header class="top">
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
                                <nav aria-label="Navigasi utama">
                                    <a href="/dasbor">"Dasbor"</a>
                                    <a href="/siklus">"Siklus"</a>
                                    <a href="/papan">"Papan"</a>
                                    <a href="/bukti">"Data dukung"</a>
                                    {admin.then(|| view! { <a href="/admin">"Pengguna"</a> })}
                                    {crate::boards::pages::unread_link(n)}
                                </nav>
                                <div class="who">
                                    <span class="muted small">{u.instansi_name.clone()}</span>
                                    <span data-testid="pengguna">
                                        {u.display_name.clone()} " · " {u.role.label()}
                                    </span>
                                    <form method="post" action="/keluar">
                                        <button type="submit" class="link">
                                            "Keluar"
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
    let query = use_query_map();
    let error = move || {
        query.read().get("galat").map(|g| match g.as_str() {
            "kredensial" => "Nama pengguna atau kata sandi salah.",
            _ => "Terjadi kesalahan pada server. Silakan coba lagi.",
        })
    };
    let signed_out = move || query.read().get("keluar").is_some();
    let next = move || query.read().get("lanjut").unwrap_or_default();
    view! {
        <Title text="Masuk — Sinergi" />
        <section class="login card">
            <h1>"Masuk ke Sinergi"</h1>
            <p class="muted">
                "Persiapan evaluasi SPBE dan Indeks Pemerintah Digital, bersama seluruh OPD."
            </p>
            {move || error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || signed_out().then(|| view! { <p class="ok" role="status">"Anda telah keluar."</p> })}
            <form method="post" action="/masuk">
                <input type="hidden" name="lanjut" value=next />
                <label for="username">"Nama pengguna"</label>
                <input id="username" name="username" autocomplete="username" required autofocus />
                <label for="password">"Kata sandi"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required />
                <button type="submit">"Masuk"</button>
            </form>
        </section>
    }
}

#[component]
fn LogoutPage() -> impl IntoView {
    view! {
        <Title text="Keluar — Sinergi" />
        <section class="login card">
            <h1>"Keluar"</h1>
            <p>"Akhiri sesi Anda di perangkat ini?"</p>
            <form method="post" action="/keluar">
                <button type="submit">"Keluar"</button>
            </form>
        </section>
    }
}

#[component]
fn AdminPage() -> impl IntoView {
    let users = Resource::new(|| (), |_| list_users());
    view! {
        <Title text="Pengguna — Sinergi" />
        <h1>"Pengguna"</h1>
        <Suspense fallback=|| view! { <p class="muted">"Memuat…"</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(rows) => view! {
                        <table data-testid="pengguna-tabel">
                            <thead>
                                <tr>
                                    <th scope="col">"Nama pengguna"</th>
                                    <th scope="col">"Nama"</th>
                                    <th scope="col">"Peran"</th>
                                    <th scope="col">"OPD"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|u| view! {
                                        <tr>
                                            <td>{u.username}</td>
                                            <td>{u.display_name}</td>
                                            <td>{u.role.label()}</td>
                                            <td>{u.opds.join(", ")}</td>
                                        </tr>
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                        .into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Tidak ditemukan — Sinergi" />
        <h1>"Halaman tidak ditemukan"</h1>
        <p>
            <a href="/dasbor">"Kembali ke dasbor"</a>
        </p>
    }
}
