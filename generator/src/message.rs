//! What a problem report says, kept as a message id and its values rather than as a
//! finished sentence, so the same problem reads in the editor's language in `check`, on the
//! preview's terminal and in its browser overlay.
//!
//! The words live in one place, the editor catalogue (`i18n/locales/<lang>/editor.ftl`);
//! [`MessageId`] lists the ids the generator uses and the values each one names, and a test
//! checks that every language defines every id with exactly those values. `Display` gives
//! the English text, which is also what the library's own tests read.
//!
//! Words that come from a tool the generator does not own (the TOML parser's description of
//! a syntax error, the template engine, the operating system) have no id: they are
//! [`Message::Verbatim`], shown as they are, or handed to a catalogue message as its
//! `detail`.

use std::fmt;

use xeberdar_i18n::{FluentArgs, FluentValue};

use crate::editor_strings::EditorStrings;

macro_rules! message_ids {
    ($($(#[$doc:meta])* $variant:ident = $key:literal [$($arg:literal),*];)*) => {
        /// A message of the editor catalogue.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum MessageId {
            $($(#[$doc])* $variant,)*
        }

        impl MessageId {
            pub const ALL: &'static [MessageId] = &[$(MessageId::$variant,)*];

            /// The id in the Fluent files.
            pub fn key(self) -> &'static str {
                match self {
                    $(MessageId::$variant => $key,)*
                }
            }

            /// The values the message names, as the Fluent files spell them (`$key`).
            pub fn arg_names(self) -> &'static [&'static str] {
                match self {
                    $(MessageId::$variant => &[$($arg),*],)*
                }
            }
        }
    };
}

message_ids! {
    // The front matter between the `+++` lines.
    FmYaml = "fm-yaml" [];
    FmMissing = "fm-missing" [];
    FmOpeningNotAlone = "fm-opening-not-alone" [];
    FmNotClosed = "fm-not-closed" [];
    /// `detail` is the TOML parser's own description.
    FmNotToml = "fm-not-toml" ["detail"];
    FmUnknownKey = "fm-unknown-key" ["key", "allowed"];
    FmBadDate = "fm-bad-date" ["key", "found"];
    /// `problem` is a [`MessageId::ValueNotAllowed`] or [`MessageId::ValueWrongType`].
    KeyValueProblem = "key-value-problem" ["key", "problem"];
    ValueNotAllowed = "value-not-allowed" ["found", "allowed"];
    /// `expected`: `whole-number`, `boolean`, `text`, `list`, `number` or the parser's words;
    /// `found_kind`: `text`, `number` or `other`.
    ValueWrongType = "value-wrong-type" ["expected", "found_kind", "found"];
    // config.toml
    /// `problem` is a [`MessageId::ValueNotAllowed`], a [`MessageId::ValueWrongType`] or
    /// the TOML parser's words.
    ConfigNotValid = "config-not-valid" ["problem"];
    ConfigUnreadable = "config-unreadable" ["path", "detail"];
    ConfigBaseUrlEmpty = "config-base-url-empty" [];
    ConfigBaseUrlMissing = "config-base-url-missing" [];
    ConfigNotLanguageCode = "config-not-language-code" ["code"];
    ConfigDefaultNotLanguageCode = "config-default-not-language-code" ["code"];
    ConfigUnknownSetting = "config-unknown-setting" ["key", "known"];
    ConfigUnknownTableSetting = "config-unknown-table-setting" ["key", "table", "known"];
    // Reading a content file.
    FileNotUtf8 = "file-not-utf8" [];
    FileNameNotUtf8 = "file-name-not-utf8" [];
    FileUnknownLanguage = "file-unknown-language" ["lang"];
    FileUnreadable = "file-unreadable" ["detail"];
    // Where a page is listed and published.
    PageNoSection = "page-no-section" ["wanted", "address"];
    PageDuplicateLanguage = "page-duplicate-language" ["other", "lang"];
    PageNotSortable = "page-not-sortable" ["field", "section"];
    PageAddressTaken = "page-address-taken" ["address", "other"];
    AliasUnusable = "alias-unusable" ["alias"];
    AliasIsOwnAddress = "alias-is-own-address" ["alias"];
    AliasIsAddressOf = "alias-is-address-of" ["alias", "other"];
    AliasTaken = "alias-taken" ["alias", "other"];
    TaxonomyNoneDeclared = "taxonomy-none-declared" ["taxonomy", "lang"];
    TaxonomyUndeclared = "taxonomy-undeclared" ["taxonomy", "lang", "declared"];
    // `@/` links and their `#anchors`.
    LinkNotMarkdown = "link-not-markdown" ["link"];
    /// A link whose target is gone when the anchors are checked.
    LinkNoSuchPage = "link-no-such-page" ["link", "target"];
    /// A link whose target does not exist while the page renders.
    LinkToNoSuchPage = "link-to-no-such-page" ["link", "target"];
    LinkUntranslated = "link-untranslated" ["link", "lang", "default"];
    LinkNoAnchor = "link-no-anchor" ["link", "target", "anchor"];
    LinkNoAnchorSuggest = "link-no-anchor-suggest" ["link", "target", "anchor", "suggestion"];
    // Shortcodes in Markdown.
    /// `problem` is one of the `shortcode-…` messages below or the template engine's words.
    ShortcodeProblem = "shortcode-problem" ["name", "problem"];
    ShortcodeUnknown = "shortcode-unknown" ["name"];
    ShortcodeUnknownKnown = "shortcode-unknown-known" ["name", "known"];
    ShortcodeEndWithoutStart = "shortcode-end-without-start" [];
    ShortcodeNeverClosed = "shortcode-never-closed" ["name"];
    ShortcodeExpectedArgName = "shortcode-expected-arg-name" ["name"];
    ShortcodeArgNeedsValue = "shortcode-arg-needs-value" ["name", "arg"];
    ShortcodeArgTwice = "shortcode-arg-twice" ["name", "arg"];
    ShortcodeExpectedComma = "shortcode-expected-comma" ["name", "arg"];
    ShortcodeBadEnd = "shortcode-bad-end" ["name", "close"];
    /// `problem` is one of the `shortcode-value-…` messages.
    ShortcodeArgProblem = "shortcode-arg-problem" ["name", "arg", "problem"];
    ShortcodeValueUnclosedQuote = "shortcode-value-unclosed-quote" [];
    ShortcodeValueListComma = "shortcode-value-list-comma" [];
    ShortcodeValueNotAValue = "shortcode-value-not-a-value" ["word"];
    // Templates (the designer's files).
    TemplateMissing = "template-missing" ["name", "looked_in"];
    /// `detail` is the template engine's description.
    TemplateRenderFailed = "template-render-failed" ["template", "detail"];
    // Translations.
    /// The build's warning on the default-language page.
    TranslationMissingVersion = "translation-missing-version" ["lang", "file"];
    /// The translation status's line.
    TranslationMissing = "translation-missing" ["lang", "file"];
    TranslationStale = "translation-stale" ["source", "recorded", "current", "file"];
    TranslationUnmarked = "translation-unmarked" ["source", "file"];
    TranslationNoSource = "translation-no-source" ["default", "source"];
    UiStringMissing = "ui-string-missing" ["key", "lang"];
    UiStringUndefined = "ui-string-undefined" ["key"];
    UiStringDefinedHere = "ui-string-defined-here" ["key", "lang"];
    // Content checks (`[content_checks]`).
    LintHeadingSkipped = "lint-heading-skipped" ["level", "marks", "previous", "wanted"];
    LintExternalLink = "lint-external-link" ["url"];
    LintLinkNoText = "lint-link-no-text" [];
    LintExternalImage = "lint-external-image" ["url"];
    LintImageNoAlt = "lint-image-no-alt" [];
    LintImgTagNoAlt = "lint-img-tag-no-alt" [];
    LintNoDescription = "lint-no-description" [];
    LintDescriptionLong = "lint-description-long" ["length", "max"];
    LintDuplicateTitle = "lint-duplicate-title" ["title", "other", "lang"];
    LintPromiseWord = "lint-promise-word" ["used", "word", "phrases"];
    LintPhraseNoSource = "lint-phrase-no-source" ["phrase"];
    LintPhoneNumber = "lint-phone-number" ["number", "known"];
    FactNotTable = "fact-not-table" ["id"];
    FactNoSource = "fact-no-source" ["id"];
    FactConfigKeyUnset = "fact-config-key-unset" ["id", "key"];
}

/// A value put into a message.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MessageArg {
    Text(String),
    /// A number that picks a plural form.
    Count(usize),
    /// Another message, shown in the same language.
    Message(Box<Message>),
}

/// What a diagnostic or finding says.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Message {
    Catalogue {
        id: MessageId,
        args: Vec<(&'static str, MessageArg)>,
    },
    /// Words of another tool, shown as they are.
    Verbatim(String),
}

impl Message {
    /// The catalogue message `id`; add its values with [`Message::text`] and friends.
    pub fn of(id: MessageId) -> Self {
        Self::Catalogue {
            id,
            args: Vec::new(),
        }
    }

    pub fn text(self, name: &'static str, value: impl Into<String>) -> Self {
        self.arg(name, MessageArg::Text(value.into()))
    }

    pub fn count(self, name: &'static str, value: usize) -> Self {
        self.arg(name, MessageArg::Count(value))
    }

    pub fn message(self, name: &'static str, value: Message) -> Self {
        self.arg(name, MessageArg::Message(Box::new(value)))
    }

    fn arg(mut self, name: &'static str, value: MessageArg) -> Self {
        if let Self::Catalogue { id, args } = &mut self {
            debug_assert!(
                id.arg_names().contains(&name),
                "{} has no value `{name}`",
                id.key()
            );
            args.push((name, value));
        }
        self
    }

    /// The catalogue id, `None` for verbatim words.
    pub fn id(&self) -> Option<MessageId> {
        match self {
            Self::Catalogue { id, .. } => Some(*id),
            Self::Verbatim(_) => None,
        }
    }

    /// The text value `name`, for code that acts on what a message is about.
    pub fn arg_text(&self, name: &str) -> Option<&str> {
        match self {
            Self::Catalogue { args, .. } => args.iter().find_map(|(n, v)| match v {
                MessageArg::Text(t) if *n == name => Some(t.as_str()),
                _ => None,
            }),
            Self::Verbatim(_) => None,
        }
    }

    /// The message in the language of `strings`; a message inside it is put in the same
    /// language.
    pub fn render(&self, strings: &EditorStrings) -> String {
        let (id, args) = match self {
            Message::Verbatim(text) => return text.clone(),
            Message::Catalogue { id, args } => (id, args),
        };
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            match value {
                MessageArg::Text(t) => fluent.set(*name, FluentValue::from(t.clone())),
                MessageArg::Count(n) => fluent.set(*name, FluentValue::from(*n)),
                MessageArg::Message(inner) => {
                    fluent.set(*name, FluentValue::from(inner.render(strings)))
                }
            }
        }
        strings.format(id.key(), &fluent)
    }
}

impl From<String> for Message {
    fn from(text: String) -> Self {
        Self::Verbatim(text)
    }
}

impl From<&str> for Message {
    fn from(text: &str) -> Self {
        Self::Verbatim(text.to_string())
    }
}

/// The English text.
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(&EditorStrings::in_language("en")))
    }
}

impl serde::Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use xeberdar_i18n::{FluentArgs, FluentValue, Locales};

    use super::*;
    use crate::editor_strings::SOURCES;

    /// Each message of a Fluent file and the `$values` it names, read from the text: a
    /// message starts with `id =` at the start of a line and goes on over indented lines and
    /// the closing `}` of a choice.
    fn variables(ftl: &str) -> BTreeMap<String, BTreeSet<String>> {
        let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut current: Option<String> = None;
        for line in ftl.lines() {
            let starts_message = line
                .split_once(" =")
                .filter(|(id, _)| {
                    !id.is_empty()
                        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                        && !line.starts_with(char::is_whitespace)
                })
                .map(|(id, _)| id.to_string());
            if let Some(id) = starts_message {
                out.entry(id.clone()).or_default();
                current = Some(id);
            } else if !(line.starts_with(char::is_whitespace) || line.starts_with('}')) {
                current = None;
            }
            let Some(id) = &current else { continue };
            let names = out.entry(id.clone()).or_default();
            for (i, _) in line.match_indices('$') {
                let name: String = line[i + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
                    .collect();
                names.insert(name);
            }
        }
        out
    }

    #[test]
    fn every_language_has_every_message_with_the_same_values() {
        let sample =
            variables("# c\na = { $x ->\n    [one] { $y }\n   *[other] z\n} w { $q }\nb = c\n");
        assert_eq!(
            sample["a"],
            ["q", "x", "y"].map(String::from).into_iter().collect()
        );
        assert!(sample["b"].is_empty());
        for (lang, _, path, text) in SOURCES {
            let found = variables(text);
            for id in MessageId::ALL {
                let declared: BTreeSet<String> =
                    id.arg_names().iter().map(|n| n.to_string()).collect();
                match found.get(id.key()) {
                    None => panic!("{path} lacks `{}`", id.key()),
                    Some(names) => assert_eq!(
                        names,
                        &declared,
                        "{path}: `{}` must name exactly the values {declared:?} ({lang})",
                        id.key()
                    ),
                }
            }
        }
    }

    #[test]
    fn every_message_formats_in_every_language() {
        let locales = Locales::from_sources(&SOURCES, "en").expect("the editor strings parse");
        for (lang, ..) in SOURCES {
            for id in MessageId::ALL {
                let mut args = FluentArgs::new();
                for name in id.arg_names() {
                    args.set(*name, FluentValue::from("x"));
                }
                let text = locales
                    .format(lang, id.key(), Some(&args))
                    .unwrap_or_else(|e| panic!("{lang} `{}`: {e}", id.key()));
                assert!(!text.trim().is_empty(), "{lang} `{}` is empty", id.key());
            }
        }
    }

    #[test]
    fn english_is_the_display_and_values_nest_in_the_same_language() {
        let problem = Message::of(MessageId::ValueWrongType)
            .text("expected", "whole-number")
            .text("found_kind", "text")
            .text("found", "\"first\"");
        let message = Message::of(MessageId::KeyValueProblem)
            .text("key", "weight")
            .message("problem", problem);
        assert_eq!(
            message.to_string(),
            "`weight`: expected a whole number, found the text \"first\""
        );
        assert_eq!(
            message.render(&EditorStrings::in_language("az")),
            "`weight`: burada tam ədəd olmalıdır, amma \"first\" mətni yazılıb"
        );
        assert_eq!(
            message.render(&EditorStrings::in_language("ru")),
            "`weight`: здесь нужно целое число, а написано текст \"first\""
        );
        assert_eq!(Message::from("as it is").to_string(), "as it is");
    }

    #[test]
    fn plural_forms_follow_the_language() {
        let long = |n| {
            Message::of(MessageId::LintDescriptionLong)
                .count("length", n)
                .count("max", 155)
                .render(&EditorStrings::in_language("ru"))
        };
        assert!(
            long(161).starts_with("в описании 161 знак;"),
            "{}",
            long(161)
        );
        assert!(
            long(162).starts_with("в описании 162 знака;"),
            "{}",
            long(162)
        );
        assert!(
            long(160).starts_with("в описании 160 знаков;"),
            "{}",
            long(160)
        );
    }
}
