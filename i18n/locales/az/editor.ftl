# Redaktor alətlərinin mesajları (`xeberdar check`, önizləmənin terminal sətirləri və xəta
# paneli); saytın özünün deyil. Dil: XEBERDAR_LANG, yoxdursa config.toml-un [extra]
# bölməsindəki `editor_language`, yoxdursa sistemin LC_ALL / LC_MESSAGES / LANG dəyəri.

## xeberdar check: sondakı yekun
check-no-problems = check: problem tapılmadı (0 xəta, 0 xəbərdarlıq, 0 köhnəlmiş tərcümə)
check-summary = check: { $errors }, { $warnings } ({ $stale }){ $notes }
check-errors = { $count } xəta
check-warnings = { $count } xəbərdarlıq
check-stale = { $count ->
    [0] köhnəlmiş tərcümə yoxdur
   *[other] onlardan { $count } köhnəlmiş tərcümə
}
check-notes = , siyahıda { $count } qeyd

## Önizləmə (xeberdar serve)
serve-rebuilt-ok = { $files } fayl { $ms } ms-də yenidən quruldu ({ $what }): qaydasındadır
serve-rebuilt-errors = { $files } fayl { $ms } ms-də yenidən quruldu ({ $what }): brauzerdə { $errors } xəta göstərilir
overlay-heading = Saytı yenidən qurmaq alınmadı: { $count } xəta
overlay-hint = Faylı düzəldib yadda saxlayın: bu səhifə özü yenilənəcək.
draft-marker = Qaralama: yalnız önizləmədə görünür, dərc olunmur
