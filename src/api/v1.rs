//! `/api/v1`: the JSON API, and its OpenAPI document built from the same route table.
//!
//! Every route is one [`Route`] in [`routes`]: its method, path, scope, parameters, schemas and
//! handler. [`router`] mounts the handlers from that table and [`openapi`] describes the same
//! table, so a documented route that does not exist (or the reverse) cannot happen. The
//! handlers call the service functions the pages call: the permission rules exist once.
//!
//! Authentication: `Authorization: Bearer sng_…` (a personal token, see `/token`). A `read`
//! token may call the GET routes; a `write` token all of them, within what its owner's role may
//! do in the app. Errors are `{"error": {"code", "message"}}` with a stable `code`. Lists are
//! paginated (`page` from 1, `per_page` 1–200). Each token may make 120 requests a minute.

use super::rules::{self, PageRequest, RateDecision, Scope, Window};
use super::Operation;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::server::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;

// ---------------------------------------------------------------------------------------------
// Errors

/// An API error: an HTTP status, a stable machine code, and a message for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub retry_after: Option<i64>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid", message)
    }
}

/// The stable codes, by HTTP status, as documented.
pub const ERROR_CODES: &[(u16, &str, &str)] = &[
    (
        400,
        "invalid",
        "The request is not valid; the message says what to change.",
    ),
    (
        401,
        "unauthorized",
        "No token, or a token that is malformed, unknown or revoked.",
    ),
    (403, "insufficient_scope", "A read token tried to write."),
    (
        403,
        "forbidden",
        "The token's owner may not do this in the app.",
    ),
    (404, "not_found", "No such thing in the token's instansi."),
    (
        409,
        "conflict",
        "Someone changed it first; the message says who.",
    ),
    (
        429,
        "rate_limited",
        "Too many requests this minute; see Retry-After.",
    ),
    (500, "internal", "Something went wrong on the server."),
];

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        let message = e.to_string();
        let (status, code) = match e {
            AppError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            AppError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            AppError::Invalid(_) => (StatusCode::BAD_REQUEST, "invalid"),
            AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            AppError::TooManyRequests(_) => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            AppError::Internal | AppError::Transport(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
        };
        ApiError::new(status, code, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({ "error": { "code": self.code, "message": self.message } });
        let mut res = (self.status, axum::Json(body)).into_response();
        if let Some(s) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        res
    }
}

type ApiResult = Result<Response, ApiError>;

// ---------------------------------------------------------------------------------------------
// Authentication and the rate limit

static WINDOWS: std::sync::Mutex<Option<HashMap<String, Window>>> = std::sync::Mutex::new(None);

/// Counts one request of a token (by its hash) in this instance's window.
fn rate(token_hash: &str) -> RateDecision {
    let now = crate::server::db::now();
    let mut guard = WINDOWS.lock().unwrap_or_else(|p| p.into_inner());
    let map = guard.get_or_insert_with(HashMap::new);
    if map.len() > 10_000 {
        let minute = now.div_euclid(60);
        map.retain(|_, w| w.minute == minute);
    }
    rules::take(
        map.entry(token_hash.to_string()).or_default(),
        now,
        rules::RATE_PER_MINUTE,
    )
}

/// The caller of an API request: who the token acts for, if its scope allows `needed`, within
/// the rate limit. Returns the remaining requests of the minute too.
async fn caller(
    state: &AppState,
    headers: &HeaderMap,
    needed: Scope,
) -> Result<(CurrentUser, u32), ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    let unauthorized = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Sertakan token API yang berlaku: Authorization: Bearer sng_… (buat di /token).",
        )
    };
    let token = token.ok_or_else(unauthorized)?;
    let (user, scope, hash) = super::ssr::authenticate(&state.db, token)
        .await?
        .ok_or_else(unauthorized)?;
    let remaining = match rate(&hash) {
        RateDecision::Allowed { remaining } => remaining,
        RateDecision::Limited { retry_after } => {
            let mut e = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!(
                    "Batas {} permintaan per menit untuk token ini tercapai; coba lagi dalam \
                     {retry_after} detik.",
                    rules::RATE_PER_MINUTE
                ),
            );
            e.retry_after = Some(retry_after);
            return Err(e);
        }
    };
    if !scope.allows(needed) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "insufficient_scope",
            "Token ini hanya untuk membaca; buat token dengan cakupan \"write\" untuk mengubah data.",
        ));
    }
    Ok((user, remaining))
}

fn respond(status: StatusCode, body: Value, remaining: u32) -> Response {
    let mut res = (status, axum::Json(body)).into_response();
    let h = res.headers_mut();
    h.insert(
        "x-ratelimit-limit",
        HeaderValue::from(rules::RATE_PER_MINUTE),
    );
    h.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn query_map(q: &Option<String>) -> HashMap<String, String> {
    form_urlencoded::parse(q.as_deref().unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

fn page_of(q: &Option<String>) -> Result<PageRequest, ApiError> {
    let m = query_map(q);
    rules::page_request(
        m.get("page").map(String::as_str),
        m.get("per_page").map(String::as_str),
    )
    .map_err(ApiError::invalid)
}

/// A page of a list in the documented envelope.
fn paged<T: Serialize + Clone>(items: &[T], p: PageRequest) -> Value {
    json!({
        "data": p.slice(items),
        "page": p.page,
        "per_page": p.per_page,
        "total": items.len(),
    })
}

fn id_of(raw: &str, what: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| ApiError::invalid(format!("{what} harus bilangan bulat positif.")))
}

fn body_of<T: for<'de> Deserialize<'de>>(body: &Bytes) -> Result<T, ApiError> {
    if body.len() > 64 * 1024 {
        return Err(ApiError::invalid("Badan permintaan paling besar 64 KB."));
    }
    serde_json::from_slice(body)
        .map_err(|e| ApiError::invalid(format!("Badan permintaan bukan JSON yang diharapkan: {e}")))
}

// ---------------------------------------------------------------------------------------------
// What the API returns

/// An exact figure for machines: a decimal point (the pages write a decimal comma), or a
/// fraction such as `7/6`.
fn exact(f: &crate::dashboard::Figure) -> String {
    f.exact.replace(',', ".")
}

#[derive(Clone, Debug, Serialize)]
pub struct CycleOut {
    pub id: i64,
    pub name: String,
    pub year: i64,
    pub framework: String,
    pub is_current: bool,
    pub indicators: usize,
    pub mandiri_filled: usize,
    pub verified_filled: usize,
    pub mandiri_index: Option<String>,
    pub predicate: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct IndicatorOut {
    pub code: String,
    pub name: String,
    pub aspect: String,
    pub weight: String,
    pub lead: Option<String>,
    pub contributors: Vec<String>,
    pub levels: HashMap<String, Option<String>>,
    pub status: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct CardOut {
    pub id: i64,
    pub title: String,
    pub column_id: i64,
    pub column: String,
    pub lead: String,
    pub contributors: Vec<String>,
    pub indicators: Vec<Value>,
    pub labels: Vec<String>,
    pub due_date: Option<String>,
    pub done: bool,
    pub comments: i64,
    pub version: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimIn {
    level: Value,
    justification: String,
    #[serde(default)]
    evidence: Vec<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CardIn {
    title: String,
    lead_opd: String,
    #[serde(default)]
    column_id: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CommentIn {
    body: String,
}

// ---------------------------------------------------------------------------------------------
// Handlers

async fn list_cycles(State(s): State<AppState>, h: HeaderMap, RawQuery(q): RawQuery) -> ApiResult {
    let (user, left) = caller(&s, &h, Scope::Read).await?;
    let p = page_of(&q)?;
    let rows: Vec<CycleOut> = crate::assessment::ssr::cycles(&s.db, &user)
        .await?
        .into_iter()
        .map(|c| CycleOut {
            id: c.id,
            name: c.name,
            year: c.year,
            framework: c.framework_name,
            is_current: c.is_current,
            indicators: c.indicators,
            mandiri_filled: c.mandiri_filled,
            verified_filled: c.verified_filled,
            mandiri_index: c.mandiri.as_ref().map(exact),
            predicate: c.predicate,
        })
        .collect();
    Ok(respond(StatusCode::OK, paged(&rows, p), left))
}

async fn list_indicators(
    State(s): State<AppState>,
    h: HeaderMap,
    Path(cycle): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let (user, left) = caller(&s, &h, Scope::Read).await?;
    let cycle = id_of(&cycle, "cycle")?;
    let p = page_of(&q)?;
    let view = crate::assessment::ssr::cycle_view(&s.db, &user, cycle).await?;
    let rows: Vec<IndicatorOut> = view
        .rows
        .into_iter()
        .map(|r| IndicatorOut {
            code: r.code,
            name: r.name,
            aspect: r.aspect,
            weight: r.weight,
            lead: r.lead,
            contributors: r.contributors,
            levels: crate::assessment::Stage::ALL
                .iter()
                .zip(r.levels)
                .map(|(st, l)| (st.as_str().to_string(), l.map(|x| x.to_exact_string())))
                .collect(),
            status: format!("{:?}", r.status).to_lowercase(),
        })
        .collect();
    Ok(respond(StatusCode::OK, paged(&rows, p), left))
}

async fn scores(State(s): State<AppState>, h: HeaderMap, Path(cycle): Path<String>) -> ApiResult {
    let (user, left) = caller(&s, &h, Scope::Read).await?;
    let cycle = id_of(&cycle, "cycle")?;
    let d = crate::dashboard::ssr::dashboard(&s.db, &user, Some(cycle)).await?;
    let stages: Vec<Value> = d
        .stages
        .iter()
        .map(|st| {
            json!({
                "stage": st.stage.as_str(),
                "filled": st.filled,
                "total": st.total,
                "index": st.index.as_ref().map(exact),
                "index_text": st.index.as_ref().map(|f| f.text.clone()),
                "predicate": st.predicate,
            })
        })
        .collect();
    let parts = |rows: &[crate::dashboard::PartRow]| -> Vec<Value> {
        rows.iter()
            .map(|a| {
                json!({
                    "code": a.code,
                    "name": a.name,
                    "weight": a.weight,
                    "index": a.index.as_ref().map(exact),
                    "target": a.target.as_ref().map(exact),
                })
            })
            .collect()
    };
    let body = json!({
        "cycle_id": d.cycle_id,
        "cycle": d.cycle_name,
        "framework": d.framework_name,
        "headline_stage": d.headline_stage.map(|s| s.as_str()),
        "index": d.headline.as_ref().map(exact),
        "predicate": d.predicate,
        "stages": stages,
        "aspects": parts(&d.aspects),
        "domains": parts(&d.domains),
    });
    Ok(respond(StatusCode::OK, body, left))
}

async fn list_boards(State(s): State<AppState>, h: HeaderMap, RawQuery(q): RawQuery) -> ApiResult {
    let (user, left) = caller(&s, &h, Scope::Read).await?;
    let p = page_of(&q)?;
    // The board list's own rows: the page and the API read the same thing.
    let rows = crate::boards::ssr::list(&s, &user).await?.boards;
    Ok(respond(StatusCode::OK, paged(&rows, p), left))
}

async fn list_cards(
    State(s): State<AppState>,
    h: HeaderMap,
    Path(board): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let (user, left) = caller(&s, &h, Scope::Read).await?;
    let board = id_of(&board, "board")?;
    let p = page_of(&q)?;
    let view = crate::boards::ssr::board(&s, &user, board, &Default::default()).await?;
    let rows: Vec<CardOut> = view
        .columns
        .iter()
        .flat_map(|col| {
            col.cards.iter().map(|c| CardOut {
                id: c.id,
                title: c.title.clone(),
                column_id: col.id,
                column: col.name.clone(),
                lead: c.lead.clone(),
                contributors: c.opds.clone(),
                indicators: c
                    .indicators
                    .iter()
                    .map(|(code, level)| json!({ "code": code, "target_level": level }))
                    .collect(),
                labels: c.labels.clone(),
                due_date: c.due_date.clone(),
                done: c.done,
                comments: c.comments,
                version: c.version,
            })
        })
        .collect();
    Ok(respond(StatusCode::OK, paged(&rows, p), left))
}

async fn claim(
    State(s): State<AppState>,
    h: HeaderMap,
    Path((cycle, code)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    let (user, left) = caller(&s, &h, Scope::Write).await?;
    let cycle = id_of(&cycle, "cycle")?;
    let input: ClaimIn = body_of(&body)?;
    let level = match &input.level {
        Value::String(t) => t.clone(),
        Value::Number(n) => n.to_string(),
        _ => {
            return Err(ApiError::invalid(
                "level harus angka 1–5 (mis. 4 atau \"3.5\").",
            ))
        }
    };
    let evidence: Vec<String> = input.evidence.iter().map(i64::to_string).collect();
    let event = crate::assessment::ssr::claim(
        &s.db,
        &user,
        cycle,
        &code,
        &level,
        &input.justification,
        &evidence.join(","),
    )
    .await?;
    Ok(respond(
        StatusCode::CREATED,
        json!({ "event_id": event }),
        left,
    ))
}

async fn create_card(
    State(s): State<AppState>,
    h: HeaderMap,
    Path(board): Path<String>,
    body: Bytes,
) -> ApiResult {
    let (user, left) = caller(&s, &h, Scope::Write).await?;
    let board = id_of(&board, "board")?;
    let input: CardIn = body_of(&body)?;
    let view = crate::boards::ssr::board(&s, &user, board, &Default::default()).await?;
    let lead = view
        .opds
        .iter()
        .find(|o| o.code.eq_ignore_ascii_case(input.lead_opd.trim()))
        .ok_or_else(|| ApiError::invalid(format!("OPD '{}' tidak dikenal.", input.lead_opd)))?;
    let column = match input.column_id {
        Some(c) => c,
        None => view
            .columns
            .first()
            .map(|c| c.id)
            .ok_or_else(|| ApiError::invalid("Papan ini belum memiliki kolom."))?,
    };
    let id =
        crate::boards::ssr::create_card(&s, &user, board, column, &input.title, lead.id).await?;
    Ok(respond(StatusCode::CREATED, json!({ "id": id }), left))
}

async fn comment(
    State(s): State<AppState>,
    h: HeaderMap,
    Path((board, card)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    let (user, left) = caller(&s, &h, Scope::Write).await?;
    let board = id_of(&board, "board")?;
    let card = id_of(&card, "card")?;
    let input: CommentIn = body_of(&body)?;
    let id = crate::boards::ssr::comment(&s, &user, board, card, &input.body).await?;
    Ok(respond(StatusCode::CREATED, json!({ "id": id }), left))
}

async fn openapi_json() -> Response {
    let mut res = axum::Json(openapi()).into_response();
    res.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    res
}

async fn unknown() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "Rute API ini tidak ada; lihat /api/v1/openapi.json.",
    )
}

// ---------------------------------------------------------------------------------------------
// The route table

/// A parameter of a route.
#[derive(Clone)]
pub struct Param {
    pub name: &'static str,
    /// `path` or `query`.
    pub place: &'static str,
    pub schema: fn() -> Value,
    pub description: &'static str,
}

/// One operation: what the router mounts and the document describes.
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub id: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
    /// `None`: public.
    pub scope: Option<Scope>,
    pub params: Vec<Param>,
    pub body: Option<fn() -> Value>,
    pub status: u16,
    pub response: fn() -> Value,
    pub errors: &'static [u16],
    pub handler: fn() -> MethodRouter<AppState>,
}

fn int() -> Value {
    json!({ "type": "integer", "minimum": 1 })
}
fn string() -> Value {
    json!({ "type": "string" })
}
fn nullable_string() -> Value {
    json!({ "type": ["string", "null"] })
}
fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}
fn page_of_schema(item: &str) -> Value {
    json!({
        "type": "object",
        "required": ["data", "page", "per_page", "total"],
        "properties": {
            "data": { "type": "array", "items": reference(item) },
            "page": { "type": "integer", "minimum": 1 },
            "per_page": { "type": "integer", "minimum": 1, "maximum": rules::MAX_PER_PAGE },
            "total": { "type": "integer", "minimum": 0 }
        }
    })
}

fn paging() -> Vec<Param> {
    vec![
        Param {
            name: "page",
            place: "query",
            schema: || json!({ "type": "integer", "minimum": 1, "default": 1 }),
            description: "Page number, from 1.",
        },
        Param {
            name: "per_page",
            place: "query",
            schema: || {
                json!({ "type": "integer", "minimum": 1, "maximum": rules::MAX_PER_PAGE,
                        "default": rules::DEFAULT_PER_PAGE })
            },
            description: "Items per page.",
        },
    ]
}

fn path_param(name: &'static str, description: &'static str, schema: fn() -> Value) -> Param {
    Param {
        name,
        place: "path",
        schema,
        description,
    }
}

/// Every route of the API.
pub fn routes() -> Vec<Route> {
    let cycle = || path_param("cycle", "Cycle id (from GET /api/v1/cycles).", int);
    let board = || path_param("board", "Board id (from GET /api/v1/boards).", int);
    vec![
        Route {
            method: "get",
            path: "/api/v1/openapi.json",
            id: "openapi",
            summary: "This document",
            description: "The OpenAPI 3.1 document of the API, built from the route table.",
            scope: None,
            params: vec![],
            body: None,
            status: 200,
            response: || json!({ "type": "object", "required": ["openapi", "paths"] }),
            errors: &[],
            handler: || get(openapi_json),
        },
        Route {
            method: "get",
            path: "/api/v1/cycles",
            id: "listCycles",
            summary: "Evaluation cycles",
            description: "The cycles of the token's instansi, newest first, with progress.",
            scope: Some(Scope::Read),
            params: paging(),
            body: None,
            status: 200,
            response: || page_of_schema("Cycle"),
            errors: &[400, 401, 429],
            handler: || get(list_cycles),
        },
        Route {
            method: "get",
            path: "/api/v1/cycles/{cycle}/indicators",
            id: "listIndicators",
            summary: "Indicators of a cycle with their levels per stage",
            description: "Every indicator of the cycle: weight, lead and contributing OPDs, the \
                level in force per stage (exact: \"4.00\", \"3.50\", or a fraction such as \"7/6\"), \
                and the claim status.",
            scope: Some(Scope::Read),
            params: [vec![cycle()], paging()].concat(),
            body: None,
            status: 200,
            response: || page_of_schema("Indicator"),
            errors: &[400, 401, 404, 429],
            handler: || get(list_indicators),
        },
        Route {
            method: "get",
            path: "/api/v1/cycles/{cycle}/scores",
            id: "getScores",
            summary: "Index and predicate of a cycle",
            description: "The index per stage (exact and as shown), the headline index and \
                predicate, and the aspects and domains.",
            scope: Some(Scope::Read),
            params: vec![cycle()],
            body: None,
            status: 200,
            response: || reference("Scores"),
            errors: &[400, 401, 404, 429],
            handler: || get(scores),
        },
        Route {
            method: "post",
            path: "/api/v1/cycles/{cycle}/indicators/{code}/claims",
            id: "claimLevel",
            summary: "Claim a Mandiri level",
            description: "Records a self-assessment (Mandiri) level for an indicator, as the \
                token's owner, with the same rules as the indicator page: a member of the lead \
                or a contributing OPD, a level 1–5, a justification.",
            scope: Some(Scope::Write),
            params: vec![
                cycle(),
                path_param("code", "Indicator code, e.g. 45 or I13.", string),
            ],
            body: Some(|| reference("ClaimRequest")),
            status: 201,
            response: || {
                json!({ "type": "object", "required": ["event_id"],
                        "properties": { "event_id": { "type": "integer" } } })
            },
            errors: &[400, 401, 403, 404, 429],
            handler: || post(claim),
        },
        Route {
            method: "get",
            path: "/api/v1/boards",
            id: "listBoards",
            summary: "Boards",
            description: "The collaboration boards of the token's instansi.",
            scope: Some(Scope::Read),
            params: paging(),
            body: None,
            status: 200,
            response: || page_of_schema("Board"),
            errors: &[400, 401, 429],
            handler: || get(list_boards),
        },
        Route {
            method: "get",
            path: "/api/v1/boards/{board}/cards",
            id: "listCards",
            summary: "Cards of a board",
            description: "Every card of the board, column by column.",
            scope: Some(Scope::Read),
            params: [vec![board()], paging()].concat(),
            body: None,
            status: 200,
            response: || page_of_schema("Card"),
            errors: &[400, 401, 404, 429],
            handler: || get(list_cards),
        },
        Route {
            method: "post",
            path: "/api/v1/boards/{board}/cards",
            id: "createCard",
            summary: "Add a card",
            description: "Adds a card led by an OPD (by its code) to a column (by default the \
                first), with the same rules as the board page.",
            scope: Some(Scope::Write),
            params: vec![board()],
            body: Some(|| reference("CardRequest")),
            status: 201,
            response: || reference("Created"),
            errors: &[400, 401, 403, 404, 429],
            handler: || post(create_card),
        },
        Route {
            method: "post",
            path: "/api/v1/boards/{board}/cards/{card}/comments",
            id: "commentCard",
            summary: "Comment on a card",
            description: "Adds a comment (Markdown, @username mentions notify) as the token's \
                owner.",
            scope: Some(Scope::Write),
            params: vec![board(), path_param("card", "Card id.", int)],
            body: Some(|| reference("CommentRequest")),
            status: 201,
            response: || reference("Created"),
            errors: &[400, 401, 403, 404, 429],
            handler: || post(comment),
        },
    ]
}

/// The API's routes, mounted from the table; anything else under `/api/v1` is a JSON 404.
pub fn router() -> Router<AppState> {
    let mut by_path: Vec<(&'static str, MethodRouter<AppState>)> = Vec::new();
    for r in routes() {
        match by_path.iter_mut().find(|(p, _)| *p == r.path) {
            Some((_, m)) => *m = std::mem::take(m).merge((r.handler)()),
            None => by_path.push((r.path, (r.handler)())),
        }
    }
    let mut router = Router::new();
    for (path, m) in by_path {
        router = router.route(path, m);
    }
    router
        .route("/api/v1", axum::routing::any(unknown))
        .route("/api/v1/{*rest}", axum::routing::any(unknown))
}

fn schemas() -> Value {
    let levels: serde_json::Map<String, Value> = crate::assessment::Stage::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), nullable_string()))
        .collect();
    let stage_names: Vec<&str> = crate::assessment::Stage::ALL
        .iter()
        .map(|s| s.as_str())
        .collect();
    let part = json!({
        "type": "object",
        "required": ["code", "name", "weight", "index", "target"],
        "properties": { "code": string(), "name": string(), "weight": string(),
                        "index": nullable_string(), "target": nullable_string() }
    });
    json!({
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": { "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": { "type": "string",
                              "enum": ERROR_CODES.iter().map(|e| e.1).collect::<Vec<_>>() },
                    "message": string()
                }
            } }
        },
        "Cycle": {
            "type": "object",
            "required": ["id", "name", "year", "framework", "is_current", "indicators",
                         "mandiri_filled", "verified_filled", "mandiri_index", "predicate"],
            "properties": {
                "id": { "type": "integer" }, "name": string(), "year": { "type": "integer" },
                "framework": string(), "is_current": { "type": "boolean" },
                "indicators": { "type": "integer" }, "mandiri_filled": { "type": "integer" },
                "verified_filled": { "type": "integer" },
                "mandiri_index": nullable_string(), "predicate": nullable_string()
            }
        },
        "Indicator": {
            "type": "object",
            "required": ["code", "name", "aspect", "weight", "lead", "contributors", "levels",
                         "status"],
            "properties": {
                "code": string(), "name": string(), "aspect": string(),
                "weight": { "type": "string", "description": "Exact weight in percent." },
                "lead": nullable_string(),
                "contributors": { "type": "array", "items": string() },
                "levels": { "type": "object", "required": stage_names.clone(),
                            "properties": levels },
                "status": { "type": "string",
                            "enum": ["kosong", "menunggu", "revisi", "diterima"] }
            }
        },
        "Scores": {
            "type": "object",
            "required": ["cycle_id", "cycle", "framework", "headline_stage", "index",
                         "predicate", "stages", "aspects", "domains"],
            "properties": {
                "cycle_id": { "type": "integer" }, "cycle": string(), "framework": string(),
                "headline_stage": { "type": ["string", "null"] },
                "index": nullable_string(), "predicate": nullable_string(),
                "stages": { "type": "array", "items": {
                    "type": "object",
                    "required": ["stage", "filled", "total", "index", "index_text", "predicate"],
                    "properties": {
                        "stage": { "type": "string", "enum": stage_names },
                        "filled": { "type": "integer" }, "total": { "type": "integer" },
                        "index": nullable_string(), "index_text": nullable_string(),
                        "predicate": nullable_string()
                    }
                } },
                "aspects": { "type": "array", "items": part.clone() },
                "domains": { "type": "array", "items": part }
            }
        },
        "Board": {
            "type": "object",
            "required": ["id", "name", "cycle_id", "cycle_name", "is_default", "open_cards",
                         "done_cards"],
            "properties": {
                "id": { "type": "integer" }, "name": string(), "cycle_id": { "type": "integer" },
                "cycle_name": string(), "is_default": { "type": "boolean" },
                "open_cards": { "type": "integer" }, "done_cards": { "type": "integer" }
            }
        },
        "Card": {
            "type": "object",
            "required": ["id", "title", "column_id", "column", "lead", "contributors",
                         "indicators", "labels", "due_date", "done", "comments", "version"],
            "properties": {
                "id": { "type": "integer" }, "title": string(), "column_id": { "type": "integer" },
                "column": string(), "lead": string(),
                "contributors": { "type": "array", "items": string() },
                "indicators": { "type": "array", "items": {
                    "type": "object", "required": ["code", "target_level"],
                    "properties": { "code": string(), "target_level": { "type": "integer" } }
                } },
                "labels": { "type": "array", "items": string() },
                "due_date": nullable_string(), "done": { "type": "boolean" },
                "comments": { "type": "integer" }, "version": { "type": "integer" }
            }
        },
        "ClaimRequest": {
            "type": "object",
            "required": ["level", "justification"],
            "additionalProperties": false,
            "properties": {
                "level": { "type": ["string", "number"],
                           "description": "1–5; a decimal or a fraction is kept exact." },
                "justification": string(),
                "evidence": { "type": "array", "items": { "type": "integer" },
                              "description": "Evidence ids of the library (/bukti)." }
            }
        },
        "CardRequest": {
            "type": "object",
            "required": ["title", "lead_opd"],
            "additionalProperties": false,
            "properties": {
                "title": string(),
                "lead_opd": { "type": "string", "description": "OPD code, e.g. DINKES." },
                "column_id": { "type": "integer" }
            }
        },
        "CommentRequest": {
            "type": "object",
            "required": ["body"],
            "additionalProperties": false,
            "properties": { "body": string() }
        },
        "Created": {
            "type": "object",
            "required": ["id"],
            "properties": { "id": { "type": "integer" } }
        }
    })
}

fn describe_status(code: u16) -> String {
    ERROR_CODES
        .iter()
        .filter(|e| e.0 == code)
        .map(|e| format!("`{}`: {}", e.1, e.2))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The OpenAPI 3.1 document of [`routes`].
pub fn openapi() -> Value {
    let mut paths = serde_json::Map::new();
    for r in routes() {
        let params: Vec<Value> = r
            .params
            .iter()
            .map(|p| {
                json!({ "name": p.name, "in": p.place, "required": p.place == "path",
                        "description": p.description, "schema": (p.schema)() })
            })
            .collect();
        let mut responses = serde_json::Map::new();
        responses.insert(
            r.status.to_string(),
            json!({ "description": if r.status == 201 { "Created" } else { "OK" },
                    "content": { "application/json": { "schema": (r.response)() } } }),
        );
        for e in r.errors {
            responses.insert(
                e.to_string(),
                json!({ "description": describe_status(*e),
                        "content": { "application/json": { "schema": reference("Error") } } }),
            );
        }
        let mut op = json!({
            "operationId": r.id,
            "summary": r.summary,
            "description": r.description,
            "parameters": params,
            "responses": responses,
        });
        if let Some(scope) = r.scope {
            op["security"] = json!([{ "token": [scope.as_str()] }]);
            op["x-scope"] = json!(scope.as_str());
        } else {
            op["security"] = json!([]);
        }
        if let Some(body) = r.body {
            op["requestBody"] = json!({ "required": true,
                "content": { "application/json": { "schema": body() } } });
        }
        let entry = paths.entry(r.path.to_string()).or_insert_with(|| json!({}));
        entry[r.method] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Sinergi API",
            "version": "1",
            "description": "Read cycles, indicators, stage levels, scores, boards and cards; \
                claim levels, add cards and comments, with the same permissions as the app. \
                Authenticate with a personal token: Authorization: Bearer sng_…. Errors are \
                {\"error\": {\"code\", \"message\"}}; lists take page and per_page; each token \
                may make 120 requests a minute (X-RateLimit-Remaining, Retry-After)."
        },
        "servers": [{ "url": "/" }],
        "security": [{ "token": [] }],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "token": { "type": "http", "scheme": "bearer",
                           "description": "A personal API token (sng_…), created on /token." }
            },
            "schemas": schemas()
        }
    })
}

/// The operations as the reference page shows them.
pub fn operations() -> Vec<Operation> {
    routes()
        .into_iter()
        .map(|r| Operation {
            method: r.method.to_uppercase(),
            path: r.path.to_string(),
            summary: r.summary.to_string(),
            description: r.description.to_string(),
            scope: r.scope.map(|s| s.as_str().to_string()).unwrap_or_default(),
            parameters: r
                .params
                .iter()
                .map(|p| {
                    (
                        p.name.to_string(),
                        p.place.to_string(),
                        (p.schema)()["type"].as_str().unwrap_or("").to_string(),
                        p.place == "path",
                        p.description.to_string(),
                    )
                })
                .collect(),
            body: r.body.map(|b| {
                let mut s = b();
                if let Some(name) = s["$ref"].as_str().and_then(|r| r.rsplit('/').next()) {
                    s = schemas()[name].clone();
                }
                serde_json::to_string_pretty(&s).unwrap_or_default()
            }),
            responses: std::iter::once((r.status.to_string(), "OK".to_string()))
                .chain(
                    r.errors
                        .iter()
                        .map(|e| (e.to_string(), describe_status(*e))),
                )
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_documented_once_with_its_path_parameters() {
        let doc = openapi();
        let mut seen = std::collections::HashSet::new();
        for r in routes() {
            assert!(
                seen.insert((r.method, r.path)),
                "{} {} twice",
                r.method,
                r.path
            );
            let op = &doc["paths"][r.path][r.method];
            assert_eq!(op["operationId"], r.id);
            // Every {name} in the path is a declared path parameter, and the reverse.
            let in_path: Vec<&str> = r
                .path
                .split('/')
                .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                .collect();
            let declared: Vec<&str> = r
                .params
                .iter()
                .filter(|p| p.place == "path")
                .map(|p| p.name)
                .collect();
            assert_eq!(in_path, declared, "{}", r.path);
            // A write route needs a write token; a read route a read one.
            match r.method {
                "get" => assert_ne!(r.scope, Some(Scope::Write), "{}", r.path),
                _ => assert_eq!(r.scope, Some(Scope::Write), "{}", r.path),
            }
        }
    }

    #[test]
    fn every_reference_in_the_document_resolves() {
        fn walk(v: &Value, doc: &Value, found: &mut usize) {
            match v {
                Value::Object(m) => {
                    if let Some(Value::String(r)) = m.get("$ref") {
                        let name = r.strip_prefix("#/components/schemas/").expect(r);
                        assert!(doc["components"]["schemas"].get(name).is_some(), "{r}");
                        *found += 1;
                    }
                    m.values().for_each(|x| walk(x, doc, found));
                }
                Value::Array(a) => a.iter().for_each(|x| walk(x, doc, found)),
                _ => {}
            }
        }
        let doc = openapi();
        let mut found = 0;
        walk(&doc, &doc, &mut found);
        assert!(found > 10);
        assert_eq!(doc["openapi"], "3.1.0");
    }

    #[test]
    fn app_errors_map_to_stable_codes() {
        let e: ApiError = AppError::Forbidden.into();
        assert_eq!((e.status.as_u16(), e.code), (403, "forbidden"));
        let e: ApiError = AppError::NotFound("Siklus".into()).into();
        assert_eq!((e.status.as_u16(), e.code), (404, "not_found"));
        assert_eq!(e.message, "Siklus tidak ditemukan.");
        let e: ApiError = AppError::Internal.into();
        assert_eq!(e.code, "internal");
        for (status, code, _) in ERROR_CODES {
            assert!(StatusCode::from_u16(*status).is_ok(), "{code}");
        }
    }
}
