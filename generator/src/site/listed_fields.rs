//! Which fields of a *listed* page (a neighbour, an entry of a pager, a term, a feed, a
//! section from `get_section`) the templates of one output can read.
//!
//! Tera contexts own their values, so every listing carries its own copy of each page it
//! lists: on a large site the taxonomy list alone holds every page of a language three
//! times over. Most templates read a listed page's title, date and URL, never its HTML
//! body or table of contents, which are most of the bytes. The templates are read once
//! (their syntax trees) to learn which field names can be reached on anything but the page
//! or section being rendered; a listed page gets the other fields as `null`, with every key
//! kept, so nothing a template can observe changes.
//!
//! The reading is conservative: a construct whose reach cannot be told from the syntax
//! (`json_encode`, a subscript by variable, a key/value loop over a page, `set_global`, a
//! block inside a loop that rebinds `page`) makes every field wanted.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use tera::ast::{Expr, ExprVal, FunctionCall, Node};
use tera::Tera;

/// The field names listed pages must carry for one output's templates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListedFields {
    every: bool,
    names: HashSet<String>,
    /// `get_page` is called: it gives a page with every field filled.
    gets_pages: bool,
}

impl ListedFields {
    /// Every field (no template reading to go by).
    pub fn every() -> Self {
        Self {
            every: true,
            names: HashSet::new(),
            gets_pages: true,
        }
    }

    pub fn wants(&self, name: &str) -> bool {
        self.every || self.names.contains(name)
    }

    fn add(&mut self, name: &str) {
        if !self.every {
            self.names.insert(name.to_string());
        }
    }
}

/// [`ListedFields`] of every template a site can render, each with what it extends,
/// includes and imports.
#[derive(Debug, Default)]
pub struct FieldUse {
    by_template: HashMap<String, Arc<ListedFields>>,
}

impl FieldUse {
    pub fn read(tera: &Tera) -> Self {
        let by_template = tera
            .templates
            .keys()
            .map(|name| (name.clone(), Arc::new(reach_of(tera, name))))
            .collect();
        Self { by_template }
    }

    /// Whether any template but `except` can read the HTML or table of contents of a page
    /// other than the one it renders (a listed page's `content` or `toc`, or `get_page`).
    pub fn reads_other_bodies(&self, except: &str) -> bool {
        self.by_template
            .iter()
            .filter(|(name, _)| name.as_str() != except)
            .any(|(_, f)| f.gets_pages || f.wants("content") || f.wants("toc"))
    }

    /// Whether any template but `except` can read the summary of a page other than the one
    /// it renders (a listed page's `summary`, or `get_page`).
    pub fn reads_other_summaries(&self, except: &str) -> bool {
        self.by_template
            .iter()
            .filter(|(name, _)| name.as_str() != except)
            .any(|(_, f)| f.gets_pages || f.wants("summary"))
    }

    /// The fields for rendering `template`; every field for a name not read.
    pub fn of(&self, template: &str) -> Arc<ListedFields> {
        self.by_template
            .get(template)
            .cloned()
            .unwrap_or_else(|| Arc::new(ListedFields::every()))
    }
}

thread_local! {
    /// The fields of the output this thread renders now. A render runs on one thread from
    /// start to end, template functions (`get_section`, `get_page`) included, so they can
    /// serialize what that output's templates read without being told.
    static CURRENT: RefCell<Option<Arc<ListedFields>>> = const { RefCell::new(None) };
}

/// Runs `render` with `fields` as the listed fields of this thread.
pub fn with_fields<R>(fields: Arc<ListedFields>, render: impl FnOnce() -> R) -> R {
    let previous = CURRENT.with(|c| c.replace(Some(fields)));
    let result = render();
    CURRENT.with(|c| *c.borrow_mut() = previous);
    result
}

/// Whether a listed page serialized now needs field `name` (yes outside any render).
pub fn wanted(name: &str) -> bool {
    CURRENT.with(|c| c.borrow().as_ref().is_none_or(|f| f.wants(name)))
}

/// What rendering `name` reaches: the template, its parents, and the templates and macro
/// files those include or import, recursively.
fn reach_of(tera: &Tera, name: &str) -> ListedFields {
    let mut walk = Walk {
        tera,
        fields: ListedFields::default(),
        seen: HashSet::new(),
        macro_files: HashSet::new(),
    };
    walk.template(name, Scope::default());
    let mut files: Vec<String> = walk.macro_files.iter().cloned().collect();
    let mut done = HashSet::new();
    while let Some(file) = files.pop() {
        if !done.insert(file.clone()) {
            continue;
        }
        let Some(t) = tera.templates.get(&file) else {
            walk.fields = ListedFields::every();
            break;
        };
        for (imported, _) in &t.imported_macro_files {
            files.push(imported.clone());
        }
        for m in t.macros.values() {
            // A macro sees only its arguments, any of which may be a listed page.
            let scope = Scope {
                in_macro: true,
                ..Scope::default()
            };
            for default in m.args.values().flatten() {
                walk.expr(default, scope);
            }
            walk.nodes(&m.body, scope);
        }
    }
    walk.fields
}

/// Whether `page` and `section` still name the output's own page or section here.
#[derive(Debug, Clone, Copy, Default)]
struct Scope {
    page_rebound: bool,
    section_rebound: bool,
    in_macro: bool,
}

impl Scope {
    fn is_subject(&self, root: &str) -> bool {
        !self.in_macro
            && match root {
                "page" => !self.page_rebound,
                "section" => !self.section_rebound,
                _ => false,
            }
    }

    fn rebinding(mut self, name: &str) -> Self {
        match name {
            "page" => self.page_rebound = true,
            "section" => self.section_rebound = true,
            _ => {}
        }
        self
    }

    fn rebinds_any(&self) -> bool {
        self.page_rebound || self.section_rebound || self.in_macro
    }
}

struct Walk<'a> {
    tera: &'a Tera,
    fields: ListedFields,
    /// (template, rebinding state) already walked, so include cycles end.
    seen: HashSet<(String, bool, bool)>,
    macro_files: HashSet<String>,
}

impl Walk<'_> {
    fn every(&mut self) {
        self.fields = ListedFields::every();
    }

    fn template(&mut self, name: &str, scope: Scope) {
        if self.fields.every
            || !self
                .seen
                .insert((name.to_string(), scope.page_rebound, scope.section_rebound))
        {
            return;
        }
        let Some(t) = self.tera.templates.get(name) else {
            return self.every();
        };
        self.macro_files.insert(name.to_string());
        for (file, _) in &t.imported_macro_files {
            self.macro_files.insert(file.clone());
        }
        self.nodes(&t.ast, scope);
        for parent in &t.parents {
            self.template(parent, scope);
        }
    }

    fn nodes(&mut self, nodes: &[Node], mut scope: Scope) {
        for node in nodes {
            if self.fields.every {
                return;
            }
            match node {
                Node::VariableBlock(_, e) => self.expr(e, scope),
                Node::MacroDefinition(..) => {} // walked with the macro files
                Node::Include(_, names, _) => {
                    for n in names {
                        self.template(n, scope);
                    }
                }
                Node::Set(_, set) => {
                    self.expr(&set.value, scope);
                    if set.global {
                        return self.every();
                    }
                    // A local `set` lasts to the end of the body it is in.
                    scope = scope.rebinding(&set.key);
                }
                Node::FilterSection(_, section, _) => {
                    self.call(&section.filter, scope);
                    self.nodes(&section.body, scope);
                }
                Node::Block(_, block, _) => {
                    // A child template's version of the block runs here, in this scope;
                    // it is walked as if at the top, so a rebinding here would be missed.
                    if scope.rebinds_any() {
                        return self.every();
                    }
                    self.nodes(&block.body, scope);
                }
                Node::Forloop(_, lp, _) => {
                    self.expr(&lp.container, scope);
                    if lp.key.is_some() && !self.key_value_container_is_plain(&lp.container) {
                        return self.every();
                    }
                    let mut inner = scope.rebinding(&lp.value);
                    if let Some(k) = &lp.key {
                        inner = inner.rebinding(k);
                    }
                    self.nodes(&lp.body, inner);
                    if let Some(empty) = &lp.empty_body {
                        self.nodes(empty, scope);
                    }
                }
                Node::If(cond, _) => {
                    for (_, e, body) in &cond.conditions {
                        self.expr(e, scope);
                        self.nodes(body, scope);
                    }
                    if let Some((_, body)) = &cond.otherwise {
                        self.nodes(body, scope);
                    }
                }
                Node::Super
                | Node::Text(_)
                | Node::Extends(..)
                | Node::ImportMacro(..)
                | Node::Raw(..)
                | Node::Break(_)
                | Node::Continue(_)
                | Node::Comment(..) => {}
            }
        }
    }

    /// A key/value loop shows every key and value of what it walks: fine over the config or
    /// a page's `extra` table, not over a page itself.
    fn key_value_container_is_plain(&self, container: &Expr) -> bool {
        match &container.val {
            ExprVal::Ident(path) => {
                let segs = segments(path);
                segs.first().is_some_and(|s| s == "config")
                    || segs.iter().skip(1).any(|s| s == "extra")
            }
            _ => false,
        }
    }

    fn call(&mut self, call: &FunctionCall, scope: Scope) {
        if call.name == "json_encode" {
            return self.every();
        }
        for arg in call.args.values() {
            self.expr(arg, scope);
        }
    }

    fn expr(&mut self, e: &Expr, scope: Scope) {
        for f in &e.filters {
            self.call(f, scope);
        }
        self.val(&e.val, scope);
    }

    fn val(&mut self, v: &ExprVal, scope: Scope) {
        match v {
            ExprVal::String(s) => self.fields.add(s),
            ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) => {}
            ExprVal::Ident(path) => self.ident(path, scope),
            ExprVal::Math(m) => {
                self.expr(&m.lhs, scope);
                self.expr(&m.rhs, scope);
            }
            ExprVal::Logic(l) => {
                self.expr(&l.lhs, scope);
                self.expr(&l.rhs, scope);
            }
            ExprVal::Test(t) => {
                self.ident(&t.ident, scope);
                for a in &t.args {
                    self.expr(a, scope);
                }
            }
            ExprVal::MacroCall(m) => {
                for a in m.args.values() {
                    self.expr(a, scope);
                }
            }
            ExprVal::FunctionCall(f) => {
                if f.name == "get_page" {
                    self.fields.gets_pages = true;
                }
                self.call(f, scope)
            }
            ExprVal::Array(items) => {
                for i in items {
                    self.expr(i, scope);
                }
            }
            ExprVal::StringConcat(c) => {
                for v in &c.values {
                    self.val(v, scope);
                }
            }
            ExprVal::In(i) => {
                self.expr(&i.lhs, scope);
                self.expr(&i.rhs, scope);
            }
        }
    }

    /// `page.lower.title`: `lower` is the page's own field, `title` one of a listed page.
    /// `p.title` (a loop variable): `title` may be a listed page's field.
    fn ident(&mut self, path: &str, scope: Scope) {
        if path == "__tera_context" || !subscripts_are_literal(path) {
            return self.every();
        }
        let segs = segments(path);
        let Some(root) = segs.first() else {
            return;
        };
        let skip = if scope.is_subject(root) { 2 } else { 1 };
        for s in segs.iter().skip(skip) {
            self.fields.add(s);
        }
    }
}

/// The parts of a dotted path: `a.b[0]["c"]` → `a`, `b`, `0`, `c`.
fn segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => out.push(std::mem::take(&mut current)),
            '[' => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                let mut inner = String::new();
                for c in chars.by_ref() {
                    if c == ']' {
                        break;
                    }
                    inner.push(c);
                }
                out.push(inner.trim_matches(['"', '\'', '`']).to_string());
                if chars.peek() == Some(&'.') {
                    chars.next();
                }
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Every `[…]` of a path holds a number or a quoted string, not a variable.
fn subscripts_are_literal(path: &str) -> bool {
    let mut rest = path;
    while let Some(i) = rest.find('[') {
        let Some(j) = rest[i..].find(']') else {
            return false;
        };
        let inner = rest[i + 1..i + j].trim();
        let quoted = inner.len() >= 2
            && ['"', '\'', '`']
                .iter()
                .any(|q| inner.starts_with(*q) && inner.ends_with(*q));
        if !quoted && !inner.chars().all(|c| c.is_ascii_digit()) {
            return false;
        }
        rest = &rest[i + j + 1..];
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(templates: &[(&str, &str)], render: &str) -> ListedFields {
        let mut tera = Tera::default();
        tera.add_raw_templates(templates.to_vec()).unwrap();
        FieldUse::read(&tera).of(render).as_ref().clone()
    }

    #[test]
    fn the_pages_own_fields_are_not_listed_fields() {
        let f = fields(
            &[(
                "page.html",
                "{{ page.content | safe }}{{ page.lower.title }}{% for p in section.pages %}{{ p.permalink }}{% endfor %}",
            )],
            "page.html",
        );
        assert!(!f.wants("content"));
        assert!(f.wants("title") && f.wants("permalink"));
    }

    #[test]
    fn a_loop_variable_named_page_is_a_listed_page() {
        let f = fields(
            &[(
                "atom.xml",
                "{% for page in pages %}{{ page.content }}{% endfor %}",
            )],
            "atom.xml",
        );
        assert!(f.wants("content"));
        let f = fields(
            &[(
                "a.html",
                "{% set page = get_page(path='x.md') %}{{ page.summary }}",
            )],
            "a.html",
        );
        assert!(f.wants("summary"));
    }

    #[test]
    fn summaries_read_only_by_the_excepted_template_are_not_read_by_others() {
        let read = |templates: &[(&str, &str)]| {
            let mut tera = Tera::default();
            tera.add_raw_templates(templates.to_vec()).unwrap();
            FieldUse::read(&tera).reads_other_summaries("feed.xml")
        };
        let feed = (
            "feed.xml",
            "{% for page in pages %}{{ page.summary }}{% endfor %}",
        );
        let own = ("page.html", "{{ page.summary }}{{ page.lower.title }}");
        assert!(!read(&[feed, own]));
        assert!(read(&[
            feed,
            (
                "section.html",
                "{% for p in section.pages %}{{ p.summary }}{% endfor %}"
            ),
        ]));
        assert!(read(&[
            feed,
            ("a.html", "{% set p = get_page(path='x.md') %}{{ p.title }}")
        ]));
    }

    #[test]
    fn parents_includes_and_macros_count() {
        let t = [
            ("base.html", "{% block b %}{% endblock %}{% include 'part.html' %}"),
            ("part.html", "{{ section.pages.0.toc }}"),
            ("m.html", "{% macro item(p) %}{{ p.summary }}{% endmacro %}"),
            (
                "child.html",
                "{% extends 'base.html' %}{% import 'm.html' as m %}{% block b %}{{ m::item(p=page) }}{% endblock %}",
            ),
        ];
        let f = fields(&t, "child.html");
        assert!(f.wants("toc") && f.wants("summary"));
        assert!(!f.wants("content"));
    }

    #[test]
    fn unreadable_constructs_want_every_field() {
        for t in [
            "{{ page.lower | json_encode }}",
            "{% for k, v in page.lower %}{{ v }}{% endfor %}",
            "{{ p[name] }}",
            "{% set_global x = 1 %}",
            "{{ __tera_context }}",
            "{% set page = get_page(path='a.md') %}{% block x %}{% endblock %}",
        ] {
            assert!(fields(&[("t.html", t)], "t.html").wants("content"), "{t}");
        }
        // literal keys and attribute names count as reads
        let f = fields(
            &[(
                "t.html",
                "{{ p['summary'] }}{{ pages | map(attribute='toc') | length }}",
            )],
            "t.html",
        );
        assert!(f.wants("summary") && f.wants("toc") && !f.wants("content"));
        // key/value loops over the config or `extra` are fine
        let f = fields(
            &[(
                "t.html",
                "{% for k, v in config.languages %}{{ k }}{% endfor %}{% for k, v in page.extra.captions %}{{ v }}{% endfor %}",
            )],
            "t.html",
        );
        assert!(!f.wants("content"));
    }
}
