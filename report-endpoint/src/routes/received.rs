use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::{base_context, page};
use crate::domain::Lang;
use crate::receipts::{Receipt, ReceiptFile};
use crate::state::AppState;

/// `GET <prefix>/r/<token>`: the "received" page with the reference code (and, for a tip,
/// its follow-up code; for each file sent, what was removed from it). The token is random
/// and works once, for a short time; the page's title is the site's own, so the browser's
/// history says nothing about a report.
pub async fn received(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match state.receipts.take(&token) {
        Some((receipt, lang)) => {
            let mut ctx = base_context(&state, &lang);
            match &receipt {
                Receipt::Tip {
                    reference,
                    follow_up,
                    files,
                } => {
                    ctx.insert("reference", reference.as_str());
                    ctx.insert("files_removed", &removed(&state, &lang, files));
                    if let Some(code) = follow_up {
                        ctx.insert("follow_up_groups", &code.groups());
                        ctx.insert(
                            "follow_up_url",
                            &format!("{}/followup?lang={lang}", state.http.prefix),
                        );
                        let days = state.follow_ups.as_ref().map_or(0, |f| f.ttl_days());
                        ctx.insert("follow_up_days", &days);
                    }
                }
                Receipt::Addition { reference, files } => {
                    ctx.insert("reference", reference.as_str());
                    ctx.insert("addition", &true);
                    ctx.insert("files_removed", &removed(&state, &lang, files));
                }
            }
            let response = page(&state, StatusCode::OK, "report/received.html", &ctx);
            // The page is rendered: the context's copy of the follow-up code goes now.
            drop(ctx);
            drop(receipt);
            response
        }
        None => {
            let lang = state.pages.site.languages.default_lang().clone();
            let ctx = base_context(&state, &lang);
            page(&state, StatusCode::NOT_FOUND, "report/received.html", &ctx)
        }
    }
}

/// One line per file, saying what was removed from it.
fn removed(state: &AppState, lang: &Lang, files: &[ReceiptFile]) -> Vec<String> {
    files
        .iter()
        .map(|f| {
            state
                .pages
                .site
                .text_with(lang, f.removed_key, &[("name", f.name.clone())])
        })
        .collect()
}
