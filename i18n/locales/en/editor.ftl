# Messages of the editor's tools (`xeberdar check`, the preview's terminal lines and error
# overlay), not of the public site. The editor's language comes from XEBERDAR_LANG, else
# `editor_language` in config.toml's [extra], else the system's LC_ALL / LC_MESSAGES / LANG.

## xeberdar check: the summary at the end
check-no-problems = check: no problems found (0 errors, 0 warnings, 0 stale translations)
check-summary = check: { $errors }, { $warnings } ({ $stale }){ $notes }
check-errors = { $count ->
    [one] 1 error
   *[other] { $count } errors
}
check-warnings = { $count ->
    [one] 1 warning
   *[other] { $count } warnings
}
check-stale = { $count ->
    [0] no stale translations
    [one] 1 of them a stale translation
   *[other] { $count } of them stale translations
}
check-notes = { $count ->
    [one] , 1 note listed
   *[other] , { $count } notes listed
}

## xeberdar check --translations: the summary at the end
translations-summary = { $pages } pages in { $languages } languages: { $missing } missing, { $stale } stale, { $unmarked } never marked{ $no_source }
translations-no-source = , { $count } without a default-language page

## The preview (xeberdar serve)
serve-rebuilt-ok = rebuilt { $files } files in { $ms } ms ({ $what }): ok
serve-rebuilt-errors = rebuilt { $files } files in { $ms } ms ({ $what }): { $errors ->
    [one] 1 error shown in the browser
   *[other] { $errors } errors shown in the browser
}
overlay-heading = { $count ->
    [one] The site could not be rebuilt: 1 error
   *[other] The site could not be rebuilt: { $count } errors
}
overlay-hint = Fix the file and save it: this page reloads by itself.
draft-marker = Draft: shown only in the preview, not published

## Problems found in the site's files, shown as `path:line:col: message`. Values in `{ $… }`
## are the file's own words (a key, a link, a date as written) or the program's (a list of
## allowed keys); `detail` and `problem` are a further sentence.

# The front matter between the `+++` lines
fm-yaml = front matter must be TOML between two `+++` lines; YAML between `---` lines is not supported
fm-missing = this file must start with a front-matter block between two `+++` lines (it may be empty)
fm-opening-not-alone = the opening `+++` must be alone on its line
fm-not-closed = the front matter is not closed: add a line with `+++` after it
fm-not-toml = the front matter is not valid TOML: { $detail }
fm-unknown-key = unknown front-matter key `{ $key }`; the keys allowed here are: { $allowed }
fm-bad-date = `{ $key }` must look like 2024-05-06 (or 2024-05-06T10:00:00+04:00), found `{ $found }`
key-value-problem = `{ $key }`: { $problem }
value-not-allowed = `{ $found }` is not allowed here; use one of { $allowed }
value-wrong-type = expected { $expected ->
    [whole-number] a whole number
    [boolean] true or false
    [text] text in quotes
    [list] a list like ["a", "b"]
    [number] a number
   *[other] { $expected }
}, found { $found_kind ->
    [text] the text { $found }
    [number] the number { $found }
   *[other] { $found }
}

# The site's settings
config-not-valid = config.toml is not valid: { $problem }

config-unreadable = cannot read the site config ({ $path }): { $detail }
config-base-url-empty = `base_url` is empty; write the site's address, e.g. "https://example.org"
config-base-url-missing = `base_url` is missing; add e.g. base_url = "https://example.org"
config-not-language-code = `{ $code }` is not a language code; use a short code such as `az`, `ru`, `en`
config-default-not-language-code = `default_language = "{ $code }"` is not a language code; use e.g. "az"
config-unknown-setting = `{ $key }` is not a setting and is ignored; check its spelling (known: { $known })
config-unknown-table-setting = `{ $key }` is not a setting of { $table } and is ignored; check its spelling (known: { $known })

# Reading a content file
file-not-utf8 = this file is not UTF-8 text; save it as UTF-8 in your editor
file-name-not-utf8 = this file name is not valid UTF-8; rename it
file-unknown-language = the file name says language `{ $lang }`, but config.toml has no [languages.{ $lang }]; add the language there or rename the file
file-unreadable = cannot read this file: { $detail }
page-no-section = there is no { $wanted }, so no section lists this page (it is still published at { $address })

# Where pages are published and listed
page-duplicate-language = { $other } is already the `{ $lang }` version of this page; keep one of the two files
page-not-sortable = this page has no `{ $field }`, so { $section } (sorted by { $field }) lists it last and it has no previous or next page; add `{ $field } = …`
page-address-taken = this page's address { $address } is already used by { $other }; change `slug` or `path` in one of them
alias-unusable = alias `{ $alias }` is not a usable old address; write it like "/old/address/"
alias-is-own-address = alias `{ $alias }` is this page's own address; a redirect there would hide a page or loop, so remove it
alias-is-address-of = alias `{ $alias }` is the address of { $other }; a redirect there would hide a page or loop, so remove it
alias-taken = alias `{ $alias }` is also an alias of { $other }; one old address can lead to one page only
taxonomy-none-declared = taxonomy `{ $taxonomy }` is not declared in config.toml for language `{ $lang }` (it declares none); add `taxonomies = [{"{"} name = "{ $taxonomy }" {"}"}]`
taxonomy-undeclared = taxonomy `{ $taxonomy }` is not declared in config.toml for language `{ $lang }`; declared: { $declared }

# Links to other pages of the site (`@/…`) and their `#anchors`
link-not-markdown = internal link `{ $link }` must point to a Markdown file, e.g. `@/signs/page.md`
link-no-such-page = link `{ $link }`: there is no such page ({ $target })
link-to-no-such-page = link to `{ $link }`: there is no such page ({ $target })
link-untranslated = link to `{ $link }`: it has no `{ $lang }` translation yet, so the link goes to the `{ $default }` page
link-no-anchor = link `{ $link }`: { $target } has no heading with the id `{ $anchor }`
link-no-anchor-suggest = link `{ $link }`: { $target } has no heading with the id `{ $anchor }` (did you mean `#{ $suggestion }`?)

# Shortcodes (`{{ name(…) }}` and `{% name(…) %}…{% end %}`)
shortcode-problem = shortcode `{ $name }`: { $problem }
shortcode-unknown = unknown shortcode `{ $name }`
shortcode-unknown-known = unknown shortcode `{ $name }` (no templates/shortcodes/{ $name }.html); known: { $known }
shortcode-end-without-start = `{"{"}% end %{"}"}` without an opening `{"{"}% name(...) %{"}"}` before it
shortcode-never-closed = shortcode `{ $name }` is never closed: add `{"{"}% end %{"}"}` after its text
shortcode-expected-arg-name = shortcode `{ $name }`: expected an argument name like `title="…"` or `)`
shortcode-arg-needs-value = shortcode `{ $name }`: argument `{ $arg }` needs `=` and a value
shortcode-arg-twice = shortcode `{ $name }`: argument `{ $arg }` is given twice
shortcode-expected-comma = shortcode `{ $name }`: expected `,` or `)` after argument `{ $arg }`
shortcode-bad-end = shortcode `{ $name }` must end with `{ $close }`
shortcode-arg-problem = shortcode `{ $name }`, argument `{ $arg }`: { $problem }
shortcode-value-unclosed-quote = this text value is missing its closing quote
shortcode-value-list-comma = expected `,` or `]` in the list
shortcode-value-not-a-value = `{ $word }` is not a value; use "text", a number, true/false or a [list]

# Templates (the designer's files)
template-missing = no template named `{ $name }` (looked in { $looked_in })
template-render-failed = while rendering it with `{ $template }`: { $detail }

# Translations of pages and of the UI strings
translation-missing-version = missing translation: no `{ $lang }` version ({ $file }); the { $lang } site leaves this page out and its language switcher does not link it
translation-missing = no { $lang } translation (create { $file })
translation-stale = stale translation: { $source } changed after this translation was marked (source_hash { $recorded }, now { $current }); update the text, then run `xeberdar translations mark { $file }`
translation-unmarked = translation never marked up to date: compare it with { $source }, then run `xeberdar translations mark { $file }`
translation-no-source = translation without a { $default } page: create { $source } or rename this file
ui-string-missing = the UI string `{ $key }` is missing in `{ $lang }` (add it to i18n/locales/{ $lang }/)
ui-string-undefined = the UI string `{ $key }` is used by a template but defined in no language (add it to i18n/locales/)
ui-string-defined-here = the UI string `{ $key }` is defined here but missing in `{ $lang }` (add it to i18n/locales/{ $lang }/)

# Content checks; the `[name]` after the message is added by the program
lint-heading-skipped = heading level skipped: a level-{ $level } heading ({ $marks }) follows level { $previous }; use { $wanted } here
lint-external-link = external link: { $url }
lint-link-no-text = link has no text: write what it leads to between the brackets, like [the hotline page](@/hotline.md)
lint-external-image = external image: { $url }
lint-image-no-alt = image has no alt text: describe what it shows between the brackets, like ![Hotline 152 poster](poster.jpg)
lint-img-tag-no-alt = image has no alt text: add alt="what it shows" to the <img> tag
lint-no-description = page has no description: add description = "…" to the front matter; search results and link previews show it
lint-description-long = description is { $length } characters long; search results show about { $max }, so shorten it
lint-duplicate-title = title "{ $title }" is already used by { $other } ({ $lang }); give each page its own title
lint-promise-word = promise word "{ $used }" ({ $word }): check that what it promises is true and has a source, then reword it or add the wording to { $phrases } with that source
lint-phrase-no-source = the vetted phrase "{ $phrase }" has no source: add source = "…" naming the plan's section or the official page that says it
lint-phone-number = "{ $number }" looks like a phone number, but it is not one of the numbers in config.toml or data/facts.toml ({ $known }); a visitor may dial it, so take every number from there, with its source

# Facts in data/facts.toml
fact-not-table = `{ $id }` must be a table: [{ $id }] with text, source and, for a phone number, number
fact-no-source = the fact `{ $id }` has no source: add source = {"{"} az = "…" {"}"} naming the plan's section or the official page that states it
fact-config-key-unset = the fact `{ $id }` takes its value from config.toml's [extra] { $key }, which is not set
