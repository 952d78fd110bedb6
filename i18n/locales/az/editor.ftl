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

## xeberdar check --translations: sondakı yekun
translations-summary = { $languages } dildə { $pages } səhifə: { $missing } tərcümə yoxdur, { $stale } köhnəlib, { $unmarked } heç vaxt qeyd olunmayıb{ $no_source }
translations-no-source = , { $count } tərcümənin əsas dildə səhifəsi yoxdur

## Önizləmə (xeberdar serve)
serve-rebuilt-ok = { $files } fayl { $ms } ms-də yenidən quruldu ({ $what }): qaydasındadır
serve-rebuilt-errors = { $files } fayl { $ms } ms-də yenidən quruldu ({ $what }): brauzerdə { $errors } xəta göstərilir
overlay-heading = Saytı yenidən qurmaq alınmadı: { $count } xəta
overlay-hint = Faylı düzəldib yadda saxlayın: bu səhifə özü yenilənəcək.
draft-marker = Qaralama: yalnız önizləmədə görünür, dərc olunmur

## Saytın fayllarında tapılan problemlər, `fayl:sətir:sütun: mesaj` şəklində. `{ $… }` içindəki
## dəyərlər faylın öz sözləridir (ayarın adı, keçid, yazıldığı kimi tarix) və ya proqramın
## (icazə verilən ayarların siyahısı); `detail` və `problem` əlavə bir cümlədir.

# İki `+++` sətri arasındakı başlıq hissəsi
fm-yaml = başlıq hissəsi iki `+++` sətri arasında TOML şəklində yazılmalıdır; `---` sətirləri arasında YAML yazmaq olmaz
fm-missing = fayl iki `+++` sətri arasındakı başlıq hissəsi ilə başlamalıdır (o, boş da ola bilər)
fm-opening-not-alone = açılış `+++` sətrində başqa heç nə olmamalıdır
fm-not-closed = başlıq hissəsi bağlanmayıb: ondan sonra yalnız `+++` olan bir sətir əlavə edin
fm-not-toml = başlıq hissəsi düzgün yazılmayıb (məsələn, dırnaq çatışmır və ya artıqdır): { $detail }
fm-unknown-key = başlıq hissəsində naməlum ayar `{ $key }`; burada yalnız bu ayarlar ola bilər: { $allowed }
fm-bad-date = `{ $key }` tarixi 2024-05-06 (və ya 2024-05-06T10:00:00+04:00) şəklində yazılmalıdır, amma `{ $found }` yazılıb
key-value-problem = `{ $key }`: { $problem }
value-not-allowed = burada `{ $found }` yazmaq olmaz; bunlardan birini seçin: { $allowed }
value-wrong-type = burada { $expected ->
    [whole-number] tam ədəd
    [boolean] true və ya false
    [text] dırnaq içində mətn
    [list] ["a", "b"] kimi siyahı
    [number] ədəd
   *[other] { $expected }
} olmalıdır, amma { $found_kind ->
    [text] { $found } mətni
    [number] { $found } ədədi
   *[other] { $found }
} yazılıb

# Saytın ayarları
config-not-valid = config.toml faylında səhv var: { $problem }

config-unreadable = saytın ayarlarını oxumaq olmur ({ $path }): { $detail }
config-base-url-empty = `base_url` boşdur; saytın ünvanını yazın, məsələn "https://example.org"
config-base-url-missing = `base_url` yoxdur; məsələn base_url = "https://example.org" əlavə edin
config-not-language-code = `{ $code }` dil kodu deyil; `az`, `ru`, `en` kimi qısa kod yazın
config-default-not-language-code = `default_language = "{ $code }"` dil kodu deyil; məsələn "az" yazın
config-unknown-setting = `{ $key }` adlı ayar yoxdur, ona görə nəzərə alınmır; adının düzgün yazıldığını yoxlayın (mövcud ayarlar: { $known })
config-unknown-table-setting = { $table } bölməsində `{ $key }` adlı ayar yoxdur, ona görə nəzərə alınmır; adının düzgün yazıldığını yoxlayın (mövcud ayarlar: { $known })

# Məzmun faylını oxumaq
file-not-utf8 = bu fayl UTF-8 mətn deyil; redaktorunuzda onu UTF-8 kodlaşdırması ilə yadda saxlayın
file-name-not-utf8 = bu faylın adı düzgün UTF-8 deyil; faylın adını dəyişin
file-unknown-language = faylın adında `{ $lang }` dili göstərilib, amma config.toml faylında [languages.{ $lang }] yoxdur; dili orada əlavə edin və ya faylın adını dəyişin
file-unreadable = bu faylı oxumaq olmur: { $detail }
page-no-section = { $wanted } faylı yoxdur, ona görə bu səhifə heç bir bölmənin siyahısında görünmür (amma { $address } ünvanında yenə dərc olunur)

# Səhifələrin ünvanı və siyahılarda yeri
page-duplicate-language = { $other } artıq bu səhifənin `{ $lang }` versiyasıdır; iki fayldan birini saxlayın
page-not-sortable = bu səhifədə `{ $field }` yoxdur, ona görə { $section } ({ $field } üzrə sıralanır) onu ən sonda göstərir və onun əvvəlki və ya növbəti səhifəsi olmur; `{ $field } = …` əlavə edin
page-address-taken = bu səhifənin { $address } ünvanı artıq { $other } səhifəsinindir; onlardan birində `slug` və ya `path` ayarını dəyişin
alias-unusable = `{ $alias }` köhnə ünvan kimi işlənə bilməz; onu "/kohne/unvan/" kimi yazın
alias-is-own-address = `{ $alias }` köhnə ünvanı bu səhifənin öz ünvanıdır; ora yönləndirmə səhifəni gizlədər və ya dövrə salar, ona görə onu silin
alias-is-address-of = `{ $alias }` köhnə ünvanı { $other } səhifəsinin ünvanıdır; ora yönləndirmə səhifəni gizlədər və ya dövrə salar, ona görə onu silin
alias-taken = `{ $alias }` köhnə ünvanı { $other } səhifəsinin də köhnə ünvanıdır; bir köhnə ünvan yalnız bir səhifəyə apara bilər
taxonomy-none-declared = `{ $taxonomy }` təsnifatı config.toml faylında `{ $lang }` dili üçün elan olunmayıb (orada heç bir təsnifat yoxdur); `taxonomies = [{"{"} name = "{ $taxonomy }" {"}"}]` əlavə edin
taxonomy-undeclared = `{ $taxonomy }` təsnifatı config.toml faylında `{ $lang }` dili üçün elan olunmayıb; elan olunanlar: { $declared }

# Saytın başqa səhifələrinə keçidlər (`@/…`) və onların `#…` hissəsi
link-not-markdown = `{ $link }` daxili keçidi Markdown faylına aparmalıdır, məsələn `@/signs/page.md`
link-no-such-page = `{ $link }` keçidi: belə səhifə yoxdur ({ $target })
link-to-no-such-page = `{ $link }` keçidi: belə səhifə yoxdur ({ $target })
link-untranslated = `{ $link }` keçidi: bu səhifənin hələ `{ $lang }` tərcüməsi yoxdur, ona görə keçid `{ $default }` dilindəki səhifəyə aparır
link-no-anchor = `{ $link }` keçidi: { $target } səhifəsində `#{ $anchor }` başlığı yoxdur
link-no-anchor-suggest = `{ $link }` keçidi: { $target } səhifəsində `#{ $anchor }` başlığı yoxdur (bəlkə `#{ $suggestion }` nəzərdə tutulub?)

# Qısakodlar (`{{ ad(…) }}` və `{% ad(…) %}…{% end %}`)
shortcode-problem = `{ $name }` qısakodu: { $problem }
shortcode-unknown = naməlum qısakod `{ $name }`
shortcode-unknown-known = naməlum qısakod `{ $name }` (templates/shortcodes/{ $name }.html faylı yoxdur); mövcud olanlar: { $known }
shortcode-end-without-start = `{"{"}% end %{"}"}` var, amma ondan əvvəl açılış `{"{"}% ad(...) %{"}"}` yoxdur
shortcode-never-closed = `{ $name }` qısakodu bağlanmayıb: mətnindən sonra `{"{"}% end %{"}"}` yazın
shortcode-expected-arg-name = `{ $name }` qısakodu: burada `title="…"` kimi parametr adı və ya `)` olmalıdır
shortcode-arg-needs-value = `{ $name }` qısakodu: `{ $arg }` parametrindən sonra `=` və dəyər yazılmalıdır
shortcode-arg-twice = `{ $name }` qısakodu: `{ $arg }` parametri iki dəfə yazılıb
shortcode-expected-comma = `{ $name }` qısakodu: `{ $arg }` parametrindən sonra `,` və ya `)` olmalıdır
shortcode-bad-end = `{ $name }` qısakodu `{ $close }` ilə bitməlidir
shortcode-arg-problem = `{ $name }` qısakodu, `{ $arg }` parametri: { $problem }
shortcode-value-unclosed-quote = bu mətnin bağlayan dırnağı çatışmır
shortcode-value-list-comma = siyahıda burada `,` və ya `]` olmalıdır
shortcode-value-not-a-value = `{ $word }` dəyər deyil; "mətn", ədəd, true/false və ya [siyahı] yazın

# Şablonlar (dizaynerin faylları)
template-missing = `{ $name }` adlı şablon yoxdur (axtarılan yerlər: { $looked_in })
template-render-failed = `{ $template }` şablonu ilə səhifəni qurmaq alınmadı: { $detail }

# Səhifələrin və interfeys mətnlərinin tərcümələri
translation-missing-version = tərcümə çatışmır: `{ $lang }` dilində versiyası yoxdur ({ $file }); saytın { $lang } dilli versiyasında bu səhifə olmayacaq, dil seçimi də ona keçid verməyəcək
translation-missing = { $lang } dilinə tərcümə yoxdur ({ $file } faylını yaradın)
translation-stale = tərcümə köhnəlib: bu tərcümə qeyd olunandan sonra { $source } dəyişib (source_hash { $recorded }, indi { $current }); mətni yeniləyin, sonra `xeberdar translations mark { $file }` əmrini işlədin
translation-unmarked = tərcümə heç vaxt aktual kimi qeyd olunmayıb: onu { $source } ilə müqayisə edin, sonra `xeberdar translations mark { $file }` əmrini işlədin
translation-no-source = bu tərcümənin { $default } dilində səhifəsi yoxdur: { $source } faylını yaradın və ya bu faylın adını dəyişin
ui-string-missing = `{ $key }` interfeys mətni `{ $lang }` dilində yoxdur (onu i18n/locales/{ $lang }/ qovluğuna əlavə edin)
ui-string-undefined = `{ $key }` interfeys mətnini şablon işlədir, amma o heç bir dildə yoxdur (onu i18n/locales/ qovluğuna əlavə edin)
ui-string-defined-here = `{ $key }` interfeys mətni burada var, amma `{ $lang }` dilində yoxdur (onu i18n/locales/{ $lang }/ qovluğuna əlavə edin)

# Məzmun yoxlamaları; mesajdan sonrakı `[ad]` hissəsini proqram özü əlavə edir
lint-heading-skipped = başlıq səviyyəsi buraxılıb: səviyyəsi { $previous } olan başlıqdan sonra səviyyəsi { $level } olan başlıq ({ $marks }) gəlir; burada { $wanted } yazın
lint-external-link = başqa sayta keçid: { $url }
lint-link-no-text = keçidin mətni yoxdur: kvadrat mötərizələr arasında onun hara apardığını yazın, məsələn [qaynar xətt səhifəsi](@/hotline.md)
lint-external-image = başqa saytdan şəkil: { $url }
lint-image-no-alt = şəklin təsviri yoxdur: kvadrat mötərizələr arasında şəkildə nə göründüyünü yazın, məsələn ![Qaynar xəttin plakatı](poster.jpg)
lint-img-tag-no-alt = şəklin təsviri yoxdur: <img> teqinə alt="şəkildə nə görünür" əlavə edin
lint-no-description = səhifənin təsviri yoxdur: başlıq hissəsinə description = "…" əlavə edin; axtarış nəticələri və keçidin önizləməsi onu göstərir
lint-description-long = təsvir { $length } simvoldur; axtarış nəticələri təxminən { $max } simvol göstərir, ona görə onu qısaldın
lint-duplicate-title = "{ $title }" adı artıq { $other } səhifəsindədir ({ $lang }); hər səhifəyə öz adını verin
lint-promise-word = vəd sözü "{ $used }" ({ $word }): vəd olunanın doğru olduğunu və mənbəyi olduğunu yoxlayın, sonra ifadəni dəyişin və ya onu mənbəyi ilə birlikdə { $phrases } faylına əlavə edin
lint-phrase-no-source = yoxlanmış "{ $phrase }" ifadəsinin mənbəyi yoxdur: planın bölməsini və ya bunu deyən rəsmi səhifəni göstərən source = "…" əlavə edin
lint-phone-number = "{ $number }" telefon nömrəsinə oxşayır, amma config.toml və ya data/facts.toml faylındakı nömrələrdən deyil ({ $known }); ziyarətçi ona zəng edə bilər, ona görə hər nömrəni mənbəyi ilə birlikdə oradan götürün

# data/facts.toml faylındakı faktlar
fact-not-table = `{ $id }` cədvəl olmalıdır: text, source və telefon nömrəsi üçün number ilə [{ $id }]
fact-no-source = `{ $id }` faktının mənbəyi yoxdur: planın bölməsini və ya bunu deyən rəsmi səhifəni göstərən source = {"{"} az = "…" {"}"} əlavə edin
fact-config-key-unset = `{ $id }` faktı dəyərini config.toml faylının [extra] bölməsindəki { $key } ayarından götürür, amma o ayar yazılmayıb
