//! One URL, one owner: the address index of pages and sections, and the aliases (old URLs
//! that redirect to a page). A second file or an alias on a taken address is an error on
//! the later claimant; sections claim before pages, each in key order.

use std::collections::{BTreeMap, HashMap};

use crate::config::ContentKey;
use crate::content::page::{Pages, Section};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::message::{Message, MessageId};

/// Site path → key, and (alias path, key) sorted.
pub(super) type Claimed = (HashMap<String, ContentKey>, Vec<(String, ContentKey)>);

pub(super) fn claim(
    pages: &Pages,
    sections: &BTreeMap<ContentKey, Section>,
    diags: &mut Diagnostics,
) -> Claimed {
    let mut by_path: HashMap<String, ContentKey> = HashMap::new();
    let claims = sections
        .iter()
        .map(|(k, s)| (k, &s.placement.path, &s.file.site_path, None))
        .chain(pages.iter().map(|(k, p)| {
            let pos = p
                .positions
                .get("path")
                .or_else(|| p.positions.get("slug"))
                .copied();
            (k, &p.placement.path, &p.file.site_path, pos)
        }));
    for (key, path, site_path, pos) in claims {
        if let Some(other) = by_path.get(path) {
            let (line, col) = pos.unwrap_or((1, 1));
            diags.push(Diagnostic::error(
                site_path.clone(),
                line,
                col,
                Message::of(MessageId::PageAddressTaken)
                    .text("address", path.as_str())
                    .text("other", format!("content/{other}")),
            ));
        } else {
            by_path.insert(path.clone(), key.clone());
        }
    }

    let mut aliases: Vec<(String, ContentKey)> = Vec::new();
    let mut alias_owner: HashMap<String, ContentKey> = HashMap::new();
    let alias_sources = pages
        .iter()
        .map(|(k, p)| (k, &p.meta.aliases, &p.positions, &p.file.site_path))
        .chain(
            sections
                .iter()
                .map(|(k, s)| (k, &s.meta.aliases, &s.positions, &s.file.site_path)),
        );
    for (key, list, positions, site_path) in alias_sources {
        let (line, col) = positions.get("aliases").copied().unwrap_or((1, 1));
        for alias in list {
            let refuse =
                |message: Message| Diagnostic::error(site_path.clone(), line, col, message);
            let Some(path) = alias_path(alias) else {
                diags.push(refuse(
                    Message::of(MessageId::AliasUnusable).text("alias", alias.as_str()),
                ));
                continue;
            };
            if let Some(owner) = by_path.get(&path) {
                let message = if owner == key {
                    Message::of(MessageId::AliasIsOwnAddress)
                } else {
                    Message::of(MessageId::AliasIsAddressOf)
                        .text("other", format!("content/{owner}"))
                };
                diags.push(refuse(message.text("alias", alias.as_str())));
            } else if let Some(owner) = alias_owner.get(&path) {
                if owner != key {
                    diags.push(refuse(
                        Message::of(MessageId::AliasTaken)
                            .text("alias", alias.as_str())
                            .text("other", format!("content/{owner}")),
                    ));
                }
            } else {
                alias_owner.insert(path.clone(), key.clone());
                aliases.push((path, key.clone()));
            }
        }
    }
    aliases.sort();
    (by_path, aliases)
}

/// The site path an alias redirects from (`old/x` → `/old/x/`, `a.html` stays a file);
/// `None` for one that names no place of its own (empty, or climbing with `..`).
fn alias_path(alias: &str) -> Option<String> {
    let trimmed = alias.trim().trim_matches('/');
    if trimmed.is_empty() || trimmed.contains("..") {
        return None;
    }
    let mut path = format!("/{trimmed}");
    if !path.ends_with(".html") && !path.ends_with('/') {
        path.push('/');
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{messages, tree};
    use super::super::urls;
    use super::*;

    #[test]
    fn alias_paths_are_site_paths_with_a_final_slash() {
        assert_eq!(alias_path("old/x").as_deref(), Some("/old/x/"));
        assert_eq!(alias_path(" /old/x/ ").as_deref(), Some("/old/x/"));
        assert_eq!(
            alias_path("old/page.html").as_deref(),
            Some("/old/page.html")
        );
        assert_eq!(alias_path("/"), None);
        assert_eq!(alias_path("../etc"), None);
    }

    #[test]
    fn the_second_file_on_an_address_is_an_error_at_its_path_key() {
        let mut t = tree(
            "",
            &[
                ("help/_index.md", ""),
                ("a.md", "+++\ntitle = \"A\"\npath = \"help\"\n+++\n"),
                ("b.md", ""),
                ("c.md", "+++\nslug = \"b\"\n+++\n"),
            ],
        );
        urls::place(&t.config, &mut t.pages, &mut t.sections);
        let mut diags = Diagnostics::new();
        let (by_path, _) = claim(&t.pages, &t.sections, &mut diags);
        assert_eq!(by_path["/help/"], "help/_index.md");
        assert_eq!(by_path["/b/"], "b.md");
        assert_eq!(
            messages(&diags),
            [
                ("content/a.md", MessageId::PageAddressTaken),
                ("content/c.md", MessageId::PageAddressTaken)
            ]
        );
        // At the key that chose the address: `path` on line 3 of a.md, `slug` on line 2 of c.md.
        let at: Vec<(usize, usize)> = diags.iter().map(|d| (d.line, d.col)).collect();
        assert_eq!(at, [(3, 1), (2, 1)]);
    }

    #[test]
    fn aliases_may_not_take_an_address_or_another_files_alias() {
        let mut t = tree(
            "",
            &[
                (
                    "a.md",
                    "+++\naliases = [\"old-a\", \"b\", \"shared\", \"old-a\"]\n+++\n",
                ),
                ("b.md", "+++\naliases = [\"shared\", \"b\", \"..\"]\n+++\n"),
            ],
        );
        urls::place(&t.config, &mut t.pages, &mut t.sections);
        let mut diags = Diagnostics::new();
        let (_, aliases) = claim(&t.pages, &t.sections, &mut diags);
        assert_eq!(
            aliases,
            [
                ("/old-a/".to_string(), "a.md".parse().unwrap()),
                ("/shared/".to_string(), "a.md".parse().unwrap())
            ]
        );
        // a.md's own repeat of `old-a` is no clash.
        assert_eq!(
            messages(&diags),
            [
                ("content/a.md", MessageId::AliasIsAddressOf),
                ("content/b.md", MessageId::AliasTaken),
                ("content/b.md", MessageId::AliasIsOwnAddress),
                ("content/b.md", MessageId::AliasUnusable)
            ]
        );
    }
}
