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
