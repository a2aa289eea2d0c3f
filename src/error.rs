//! One error type for every server fn.
//!
//! Messages are Indonesian because they reach users. Internal failures (database, I/O) are logged
//! with their detail on the server and reach the browser only as the opaque [`AppError::Internal`].

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Silakan masuk terlebih dahulu.")]
    Unauthorized,
    #[error("Anda tidak berwenang membuka atau mengubah data ini.")]
    Forbidden,
    #[error("{0} tidak ditemukan.")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    /// Someone else changed the thing first: the message says who and what to do.
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts in a short time (sign-in lockout, rate limits): the message says when
    /// to try again.
    #[error("{0}")]
    TooManyRequests(String),
    #[error("Terjadi kesalahan pada server. Silakan coba lagi; bila berulang, hubungi admin.")]
    Internal,
    #[error("Gagal menghubungi server: {0}")]
    Transport(String),
}

impl AppError {
    /// The HTTP status this error answers with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::NotFound(_) => 404,
            AppError::Invalid(_) => 400,
            AppError::Conflict(_) => 409,
            AppError::TooManyRequests(_) => 429,
            AppError::Internal => 500,
            AppError::Transport(_) => 502,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments that do not even decode are the caller's fault.
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::Deserialization(m) => {
                AppError::Invalid(format!("Permintaan tidak valid: {m}"))
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        tracing::error!(error = %e, "database error");
        AppError::Internal
    }
}

/// Sets the HTTP status of the current server fn response from its result, so an anonymous call
/// answers 401 and a wrong role 403 rather than the framework's blanket 500.
#[cfg(feature = "ssr")]
pub fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(e) = &result {
        if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(
                http::StatusCode::from_u16(e.status())
                    .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
            );
        }
    }
    result
}
