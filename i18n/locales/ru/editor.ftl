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

## Предпросмотр (xeberdar serve)
serve-rebuilt-ok = пересобрано файлов: { $files } за { $ms } мс ({ $what }): всё в порядке
serve-rebuilt-errors = пересобрано файлов: { $files } за { $ms } мс ({ $what }): ошибок в браузере: { $errors }
overlay-heading = Не удалось пересобрать сайт. Ошибок: { $count }
overlay-hint = Исправьте файл и сохраните его: страница обновится сама.
draft-marker = Черновик: виден только в предпросмотре, не публикуется
