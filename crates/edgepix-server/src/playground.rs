//! The playground: a page at `/` for trying parameters on the source's
//! images, plus its script, stylesheet and image list under the reserved
//! `/_edgepix/` prefix. Plain files compiled into the binary (`include_str!`):
//! no build step, nothing fetched from elsewhere, works offline.
//!
//! The page's CSP allows only same-origin scripts, styles, images and
//! fetches (`blob:` images: results are shown from the fetched bytes, so the
//! page can also read their size and `Server-Timing`).

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use crate::{AppError, AppState};

const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; \
                        connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Most images offered: a bucket may hold millions.
const LIST_LIMIT: usize = 500;

/// Extensions worth offering (anything else would only show an error).
const IMAGE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "gif", "webp", "avif", "tif", "tiff", "bmp"];

/// The playground's routes, merged into the main router when enabled.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(page))
        .route(
            "/_edgepix/playground.js",
            get(|| asset("text/javascript", include_str!("../assets/playground.js"))),
        )
        .route(
            "/_edgepix/playground.css",
            get(|| asset("text/css", include_str!("../assets/playground.css"))),
        )
        .route("/_edgepix/images", get(images))
}

async fn page() -> Response {
    let mut response = asset("text/html", include_str!("../assets/playground.html")).await;
    response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PAGE_CSP));
    response
}

async fn asset(mime: &'static str, body: &'static str) -> Response {
    let content_type = format!("{mime}; charset=utf-8");
    // Always revalidated: a new binary may bring a new page.
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "no-cache".to_owned())], body)
        .into_response()
}

/// `{"source": "...", "images": [{"key", "size"}], "truncated": bool}`.
async fn images(State(state): State<AppState>) -> Result<Response, AppError> {
    let listed = state.source().list(LIST_LIMIT).await?;
    let truncated = listed.len() >= LIST_LIMIT;
    let images: Vec<_> = listed
        .into_iter()
        .filter(|l| {
            let ext = l.key.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
            IMAGE_EXTENSIONS.contains(&ext.as_str())
        })
        .map(|l| serde_json::json!({ "key": l.key, "size": l.size }))
        .collect();
    let body = serde_json::json!({ "source": state.config().source.name(), "images": images, "truncated": truncated });
    Ok(([(header::CACHE_CONTROL, "no-cache")], Json(body)).into_response())
}
