# Сообщения инструментов редактора (`xeberdar check`, строки терминала и панель ошибок
# предпросмотра), а не самого сайта. Язык: XEBERDAR_LANG, иначе `editor_language` в разделе
# [extra] файла config.toml, иначе системные LC_ALL / LC_MESSAGES / LANG.

## xeberdar check: итог в конце
check-no-problems = check: проблем не найдено (ошибок: 0, предупреждений: 0, устаревших переводов: 0)
check-summary = check: { $errors }, { $warnings } ({ $stale }){ $notes }
check-errors = ошибок: { $count }
check-warnings = предупреждений: { $count }
check-stale = { $count ->
    [0] устаревших переводов нет
   *[other] из них устаревших переводов: { $count }
}
check-notes = , в списке заметок: { $count }

## xeberdar check --translations: итог в конце
translations-summary = страниц: { $pages }, языков: { $languages }; нет перевода: { $missing }, устарело: { $stale }, ни разу не отмечено: { $unmarked }{ $no_source }
translations-no-source = , без страницы на основном языке: { $count }

## Предпросмотр (xeberdar serve)
serve-rebuilt-ok = пересобрано файлов: { $files } за { $ms } мс ({ $what }): всё в порядке
serve-rebuilt-errors = пересобрано файлов: { $files } за { $ms } мс ({ $what }): ошибок в браузере: { $errors }
overlay-heading = Не удалось пересобрать сайт. Ошибок: { $count }
overlay-hint = Исправьте файл и сохраните его: страница обновится сама.
draft-marker = Черновик: виден только в предпросмотре, не публикуется

## Проблемы, найденные в файлах сайта, в виде `файл:строка:столбец: сообщение`. Значения в
## `{ $… }` — слова самого файла (название настройки, ссылка, дата как написана) или программы
## (список допустимых настроек); `detail` и `problem` — ещё одно предложение.

# Шапка между строками `+++`
fm-yaml = шапку нужно писать в формате TOML между двумя строками `+++`; YAML между строками `---` не поддерживается
fm-missing = файл должен начинаться с шапки между двумя строками `+++` (она может быть пустой)
fm-opening-not-alone = в строке с открывающим `+++` не должно быть ничего другого
fm-not-closed = шапка не закрыта: добавьте после неё строку `+++`
fm-not-toml = в шапке ошибка записи (например, не хватает кавычки или есть лишняя): { $detail }
fm-unknown-key = неизвестная настройка шапки `{ $key }`; здесь можно только: { $allowed }
fm-bad-date = `{ $key }` нужно записать как 2024-05-06 (или 2024-05-06T10:00:00+04:00), а написано `{ $found }`
key-value-problem = `{ $key }`: { $problem }
value-not-allowed = `{ $found }` здесь не подходит; выберите одно из: { $allowed }
value-wrong-type = здесь нужно { $expected ->
    [whole-number] целое число
    [boolean] true или false
    [text] текст в кавычках
    [list] список вида ["a", "b"]
    [number] число
   *[other] { $expected }
}, а написано { $found_kind ->
    [text] текст { $found }
    [number] число { $found }
   *[other] { $found }
}

# Настройки сайта
config-not-valid = в config.toml ошибка: { $problem }

config-unreadable = не удаётся прочитать настройки сайта ({ $path }): { $detail }
config-base-url-empty = `base_url` пуст; напишите адрес сайта, например "https://example.org"
config-base-url-missing = нет `base_url`; добавьте, например, base_url = "https://example.org"
config-not-language-code = `{ $code }` — не код языка; напишите короткий код, например `az`, `ru`, `en`
config-default-not-language-code = `default_language = "{ $code }"` — не код языка; напишите, например, "az"
config-unknown-setting = `{ $key }` — такой настройки нет, она не учитывается; проверьте написание (есть такие: { $known })
config-unknown-table-setting = `{ $key }` — такой настройки в { $table } нет, она не учитывается; проверьте написание (есть такие: { $known })

# Чтение файла содержания
file-not-utf8 = этот файл не в кодировке UTF-8; сохраните его в редакторе в UTF-8
file-name-not-utf8 = имя этого файла не в кодировке UTF-8; переименуйте файл
file-unknown-language = в имени файла указан язык `{ $lang }`, но в config.toml нет [languages.{ $lang }]; добавьте туда этот язык или переименуйте файл
file-unreadable = не удаётся прочитать этот файл: { $detail }
page-no-section = нет файла { $wanted }, поэтому ни один раздел не показывает эту страницу в списке (но она всё равно опубликована по адресу { $address })

# Адреса страниц и их место в списках
page-duplicate-language = { $other } уже является версией этой страницы на `{ $lang }`; оставьте один из двух файлов
page-not-sortable = у этой страницы нет `{ $field }`, поэтому { $section } (сортировка по { $field }) показывает её последней, и у неё нет предыдущей и следующей страницы; добавьте `{ $field } = …`
page-address-taken = адрес этой страницы { $address } уже занят страницей { $other }; измените `slug` или `path` в одной из них
alias-unusable = `{ $alias }` не годится как старый адрес; пишите его так: "/old/address/"
alias-is-own-address = старый адрес `{ $alias }` — это собственный адрес этой страницы; перенаправление туда скроет страницу или зациклится, поэтому удалите его
alias-is-address-of = старый адрес `{ $alias }` — это адрес страницы { $other }; перенаправление туда скроет страницу или зациклится, поэтому удалите его
alias-taken = старый адрес `{ $alias }` уже указан и у { $other }; один старый адрес может вести только на одну страницу
taxonomy-none-declared = классификация `{ $taxonomy }` не объявлена в config.toml для языка `{ $lang }` (там нет ни одной); добавьте `taxonomies = [{"{"} name = "{ $taxonomy }" {"}"}]`
taxonomy-undeclared = классификация `{ $taxonomy }` не объявлена в config.toml для языка `{ $lang }`; объявлены: { $declared }

# Ссылки на другие страницы сайта (`@/…`) и их часть после `#`
link-not-markdown = внутренняя ссылка `{ $link }` должна вести на файл Markdown, например `@/signs/page.md`
link-no-such-page = ссылка `{ $link }`: такой страницы нет ({ $target })
link-to-no-such-page = ссылка `{ $link }`: такой страницы нет ({ $target })
link-untranslated = ссылка `{ $link }`: у этой страницы ещё нет перевода на язык `{ $lang }`, поэтому ссылка ведёт на страницу на языке `{ $default }`
link-no-anchor = ссылка `{ $link }`: на странице { $target } нет заголовка `#{ $anchor }`
link-no-anchor-suggest = ссылка `{ $link }`: на странице { $target } нет заголовка `#{ $anchor }` (может быть, имелся в виду `#{ $suggestion }`?)

# Шорткоды (`{{ имя(…) }}` и `{% имя(…) %}…{% end %}`)
shortcode-problem = шорткод `{ $name }`: { $problem }
shortcode-unknown = неизвестный шорткод `{ $name }`
shortcode-unknown-known = неизвестный шорткод `{ $name }` (нет файла templates/shortcodes/{ $name }.html); есть такие: { $known }
shortcode-end-without-start = `{"{"}% end %{"}"}` стоит без открывающего `{"{"}% имя(...) %{"}"}` перед ним
shortcode-never-closed = шорткод `{ $name }` не закрыт: добавьте `{"{"}% end %{"}"}` после его текста
shortcode-expected-arg-name = шорткод `{ $name }`: здесь нужно название параметра, например `title="…"`, или `)`
shortcode-arg-needs-value = шорткод `{ $name }`: после параметра `{ $arg }` нужны `=` и значение
shortcode-arg-twice = шорткод `{ $name }`: параметр `{ $arg }` указан дважды
shortcode-expected-comma = шорткод `{ $name }`: после параметра `{ $arg }` нужна `,` или `)`
shortcode-bad-end = шорткод `{ $name }` должен заканчиваться на `{ $close }`
shortcode-arg-problem = шорткод `{ $name }`, параметр `{ $arg }`: { $problem }
shortcode-value-unclosed-quote = у этого текста нет закрывающей кавычки
shortcode-value-list-comma = в списке здесь нужна `,` или `]`
shortcode-value-not-a-value = `{ $word }` — не значение; напишите "текст", число, true/false или [список]

# Шаблоны (файлы дизайнера)
template-missing = нет шаблона `{ $name }` (искали в { $looked_in })
template-render-failed = не удалось собрать страницу по шаблону `{ $template }`: { $detail }

# Переводы страниц и строк интерфейса
translation-missing-version = нет перевода: нет версии на языке `{ $lang }` ({ $file }); в версии сайта на языке { $lang } этой страницы не будет, и переключатель языков на неё не ведёт
translation-missing = нет перевода на язык { $lang } (создайте { $file })
translation-stale = перевод устарел: { $source } изменился после того, как этот перевод отметили актуальным (source_hash { $recorded }, теперь { $current }); обновите текст, затем выполните `xeberdar translations mark { $file }`
translation-unmarked = перевод ни разу не отмечен как актуальный: сравните его с { $source }, затем выполните `xeberdar translations mark { $file }`
translation-no-source = у этого перевода нет страницы на языке { $default }: создайте { $source } или переименуйте этот файл
ui-string-missing = строки интерфейса `{ $key }` нет на языке `{ $lang }` (добавьте её в i18n/locales/{ $lang }/)
ui-string-undefined = строку интерфейса `{ $key }` использует шаблон, но её нет ни на одном языке (добавьте её в i18n/locales/)
ui-string-defined-here = строка интерфейса `{ $key }` есть здесь, но её нет на языке `{ $lang }` (добавьте её в i18n/locales/{ $lang }/)

# Проверки содержания; `[название]` после сообщения добавляет сама программа
lint-heading-skipped = пропущен уровень заголовка: после заголовка уровня { $previous } идёт заголовок уровня { $level } ({ $marks }); напишите здесь { $wanted }
lint-external-link = ссылка на другой сайт: { $url }
lint-link-no-text = у ссылки нет текста: напишите между квадратными скобками, куда она ведёт, например [страница горячей линии](@/hotline.md)
lint-external-image = картинка с другого сайта: { $url }
lint-image-no-alt = у картинки нет описания: напишите между квадратными скобками, что на ней, например ![Плакат горячей линии](poster.jpg)
lint-img-tag-no-alt = у картинки нет описания: добавьте в тег <img> alt="что на картинке"
lint-no-description = у страницы нет описания: добавьте в шапку description = "…"; его показывают результаты поиска и превью ссылок
lint-description-long = { $length ->
    [one] в описании { $length } знак
    [few] в описании { $length } знака
   *[other] в описании { $length } знаков
}; результаты поиска показывают около { $max }, поэтому сократите его
lint-duplicate-title = заголовок "{ $title }" уже есть у { $other } ({ $lang }); дайте каждой странице свой заголовок
lint-promise-word = слово-обещание "{ $used }" ({ $word }): проверьте, что обещанное правда и у него есть источник, затем переформулируйте или добавьте эту формулировку с источником в { $phrases }
lint-phrase-no-source = у проверенной формулировки "{ $phrase }" нет источника: добавьте source = "…" с разделом плана или официальной страницей, где это сказано
lint-phone-number = "{ $number }" похоже на номер телефона, но его нет среди номеров в config.toml или data/facts.toml ({ $known }); посетитель может по нему позвонить, поэтому берите каждый номер оттуда, с источником

# Факты в data/facts.toml
fact-not-table = `{ $id }` должен быть таблицей: [{ $id }] с text, source и, для номера телефона, number
fact-no-source = у факта `{ $id }` нет источника: добавьте source = {"{"} az = "…" {"}"} с разделом плана или официальной страницей, где это сказано
fact-config-key-unset = факт `{ $id }` берёт значение из настройки { $key } в разделе [extra] файла config.toml, но она не задана
