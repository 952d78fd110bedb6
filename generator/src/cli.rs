//! The `xeberdar` command line: one clap-derived struct per subcommand, and [`Cli::run`]
//! that dispatches to the library.
//!
//! To add a subcommand, add a variant to [`Command`] with its own `…Args` struct and one arm
//! to [`Cli::run`]; everything else (the global `--root`, error printing, exit codes) is shared.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};

use xeberdar::check::{run_check, CheckOptions, CheckSummary};
use xeberdar::editor_strings::EditorStrings;
use xeberdar::init::init_site;
use xeberdar::lint::Level;
use xeberdar::site::{BuildOptions, Site};
use xeberdar::translations::TranslationState;

/// Xəbərdar's site generator: turns Markdown pages, templates and UI strings into a
/// multilingual static website in `public/`.
///
/// A site is a folder with `config.toml`, `content/` (Markdown pages, one file per page per
/// language: `page.md`, `page.ru.md`, `page.en.md`), `themes/<theme>/templates/` and
/// `i18n/locales/<lang>/*.ftl` (the interface strings).
#[derive(Debug, Parser)]
#[command(name = "xeberdar", version, propagate_version = true)]
#[command(
    after_help = "Start with `xeberdar init my-site`, then `xeberdar --root my-site build`.\n\
    Run `xeberdar check` before publishing: it finds broken links and missing translations."
)]
pub struct Cli {
    /// The site folder, the one that holds `config.toml`.
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the whole site into a folder (by default `public/`), ready to upload.
    Build(BuildArgs),
    /// Build the site in memory and report every problem without writing anything:
    /// broken links and anchors, pages missing a translation, missing interface strings.
    /// Exits with status 1 when there is an error, so it can guard publishing.
    Check(CheckArgs),
    /// Create a small starter site (config, one page in each language, a minimal theme).
    Init(InitArgs),
    /// Preview the site while you edit: serves it on http://127.0.0.1:1111, reloads the
    /// browser after every save and shows errors on the page. The tip form works too.
    Serve(ServeArgs),
    /// Create new content with correct front matter, e.g. `xeberdar new section news`,
    /// then `xeberdar new page news/first-post`.
    New(NewArgs),
    /// Translation tools, e.g. `xeberdar translations mark content/signs.ru.md` after
    /// updating a translation.
    Translations(TranslationsArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on.
    #[arg(long, short = 'p', default_value_t = 1111)]
    pub port: u16,

    /// Address to listen on. Keep 127.0.0.1 so only this computer can see the preview.
    #[arg(long, short = 'i', default_value = "127.0.0.1")]
    pub interface: std::net::IpAddr,

    /// Do not start the tip endpoint beside the site.
    #[arg(long)]
    pub no_report_endpoint: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    #[command(subcommand)]
    pub what: NewWhat,
}

#[derive(Debug, Subcommand)]
pub enum NewWhat {
    /// A page, in the default language and its translations:
    /// `xeberdar new page news/second-post --lang az,ru`. Never overwrites a file.
    Page {
        /// `<section>/<slug>`: the section folder under content/ and the file name (lowercase
        /// Latin letters, digits, hyphens).
        #[arg(value_name = "SECTION/SLUG")]
        name: String,
        /// Languages to create, comma-separated (default: every language of the site).
        #[arg(long, value_delimiter = ',', value_name = "LANGS")]
        lang: Vec<String>,
    },
    /// A section (a folder of pages with its own start page `_index.md`), in the default
    /// language and its translations: `xeberdar new section news`. Never overwrites a file.
    Section {
        /// The folder under content/ (lowercase Latin letters, digits, hyphens); a section
        /// inside another one is written `help/shelters`.
        #[arg(value_name = "NAME")]
        name: String,
        /// Languages to create, comma-separated (default: every language of the site).
        #[arg(long, value_delimiter = ',', value_name = "LANGS")]
        lang: Vec<String>,
    },
}

#[derive(Debug, Args)]
pub struct TranslationsArgs {
    #[command(subcommand)]
    pub what: TranslationsWhat,
}

#[derive(Debug, Subcommand)]
pub enum TranslationsWhat {
    /// Record that these translations match their default-language page as it is now
    /// (writes `source_hash` into each file's front matter; nothing else changes).
    Mark {
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Where to write the site (default: `public/` inside the site folder; a relative path
    /// is taken from the current folder). Everything in this folder is replaced.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output_dir: Option<PathBuf>,

    /// Also publish pages marked `draft = true` (useful for a preview, never for the live site).
    #[arg(long)]
    pub drafts: bool,

    /// Use this address instead of `base_url` from config.toml, e.g. for a staging server.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Check draft pages too.
    #[arg(long)]
    pub drafts: bool,

    /// Instead, list every page's translations: which exist, which are missing, and which
    /// are stale (the default-language page changed after the translation was marked).
    #[arg(long)]
    pub translations: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create the site in; it must not exist yet or be empty.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

impl Cli {
    /// Runs the chosen subcommand. Errors are returned for `main` to print; problems found
    /// in the site itself are printed here and turn into a failing exit code.
    pub fn run(self) -> anyhow::Result<ExitCode> {
        match self.command {
            Command::Build(args) => {
                let output_dir = args
                    .output_dir
                    .clone()
                    .unwrap_or_else(|| self.root.join("public"));
                let options = BuildOptions {
                    drafts: args.drafts,
                    base_url: args.base_url.clone(),
                    output_dir,
                    ..BuildOptions::default()
                };
                let report = Site::build_to_disk(&self.root, &options)?;
                eprint!("{report}");
                Ok(ExitCode::SUCCESS)
            }
            Command::Check(args) if args.translations => {
                let report = xeberdar::translations::TranslationReport::load(&self.root)?;
                print!("{}", report.table());
                let strings = EditorStrings::for_site(&self.root);
                for message in &report.messages {
                    println!("{}", message.line_in(&strings));
                }
                eprintln!("{}", report.summary_line(&strings));
                Ok(ExitCode::SUCCESS)
            }
            Command::Check(args) => {
                let report = run_check(
                    &self.root,
                    &CheckOptions {
                        drafts: args.drafts,
                    },
                );
                let strings = EditorStrings::for_site(&self.root);
                for line in report.lines(&strings) {
                    println!("{line}");
                }
                let content = xeberdar::lint::lint_site(&self.root, args.drafts)?;
                for finding in &content.findings {
                    println!("{}", finding.line_in(&strings));
                }
                // Missing translations are already among the build's warnings; stale and
                // never-marked ones only the translation status knows.
                let translations = xeberdar::translations::TranslationReport::load(&self.root)?;
                let mut stale = 0;
                let mut translation_warnings = 0;
                for message in &translations.messages {
                    match message.state {
                        TranslationState::Missing => continue,
                        TranslationState::Stale { .. } => stale += 1,
                        _ => {}
                    }
                    translation_warnings += 1;
                    println!("{}", message.line_in(&strings));
                }
                let summary = CheckSummary {
                    errors: report.diagnostics.errors().count() + content.count(Level::Error),
                    warnings: report.diagnostics.warnings().count()
                        + content.count(Level::Warning)
                        + translation_warnings,
                    stale_translations: stale,
                    notes: content.count(Level::Info),
                };
                eprintln!("{}", summary.line(&strings));
                Ok(if report.has_errors() || content.has_errors() {
                    ExitCode::FAILURE
                } else {
                    ExitCode::SUCCESS
                })
            }
            Command::Init(args) => {
                let dir = if args.dir.is_absolute() {
                    args.dir.clone()
                } else {
                    self.root.join(&args.dir)
                };
                init_site(&dir)
                    .with_context(|| format!("could not create a site in {}", dir.display()))?;
                eprintln!(
                    "Created a starter site in {}.\nBuild it with: xeberdar --root {} build",
                    dir.display(),
                    dir.display()
                );
                Ok(ExitCode::SUCCESS)
            }
            Command::Serve(args) => {
                xeberdar::serve::serve(&xeberdar::serve::ServeOptions {
                    root: self.root.clone(),
                    interface: args.interface,
                    port: args.port,
                    with_report_endpoint: !args.no_report_endpoint,
                })?;
                Ok(ExitCode::SUCCESS)
            }
            Command::New(NewArgs { what }) => {
                let created = match what {
                    NewWhat::Page { name, lang } => xeberdar::scaffold::new_page(
                        &self.root,
                        &xeberdar::scaffold::NewPage { name, langs: lang },
                    )?,
                    NewWhat::Section { name, lang } => xeberdar::scaffold::new_section(
                        &self.root,
                        &xeberdar::scaffold::NewSection { name, langs: lang },
                    )?,
                };
                for path in &created {
                    println!("created {path}");
                }
                eprintln!("The new files are drafts (draft = true): write the text, then delete that line to publish.");
                Ok(ExitCode::SUCCESS)
            }
            Command::Translations(TranslationsArgs {
                what: TranslationsWhat::Mark { files },
            }) => {
                let marked = xeberdar::translations::mark_translations(&self.root, &files)?;
                for m in &marked {
                    match &m.previous {
                        Some(previous) if *previous == m.hash => {
                            println!(
                                "{}: already up to date (source_hash {})",
                                m.display_path, m.hash
                            )
                        }
                        _ => println!(
                            "{}: marked up to date (source_hash {})",
                            m.display_path, m.hash
                        ),
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
        }
    }
}
