# Xəbərdar mövzusunun (themes/xeberdar) interfeys mətnləri. Sadə sözlərlə: oxuyan qorxmuş
# ola bilər, kiçik telefondan və ya ana dilində olmayan dildə oxuya bilər.

skip-to-content = Əsas mətnə keçin

## Qaynar xətt bloku, hər səhifənin yuxarısında
hotline-heading = İnsan alverinə qarşı qaynar xətt
hotline-call = { $number } nömrəsinə zəng edin
hotline-facts = Azərbaycan daxilində pulsuz, 24/7. Adınızı deməyə bilərsiniz.
hotline-international = Xaricdən:
hotline-abroad = Xaricdəsiniz?

## Tez çıxış
exit-label = Çıx
exit-hint = Bu saytı tez tərk edin.
exit-hint-shift = Və ya Shift düyməsini üç dəfə basın.
exit-shift-1 = Shift bir dəfə basıldı. Saytdan çıxmaq üçün daha iki dəfə basın.
exit-shift-2 = Shift iki dəfə basıldı. Saytdan çıxmaq üçün bir dəfə də basın.
exit-leaving = Saytdan çıxılır.

## Naviqasiya
home-heading = İnsan alverinə qarşı məlumat və kömək
footer-operator = Saytı idarə edən:
nav-label = Əsas menyu
nav-more = Bütün səhifələr
footer-nav-label = Saytın səhifələri
language-label = Dil
nav-home = Ana səhifə
nav-what-is-trafficking = İnsan alveri nədir
nav-signs = İnsan alverinin əlamətləri
nav-illegal-migration = Xaricdə iş
nav-help = Hüquqlar və kömək
nav-hotline = Qaynar xətt 152
nav-report = Məlumat göndərin
nav-films = Filmlər
nav-training = Təlim materialları
nav-plan = Milli Fəaliyyət Planı
nav-safe-browsing = Təhlükəsiz baxış
nav-about = Sayt haqqında
nav-privacy = Məxfilik
nav-hotline-card = Çap üçün qaynar xətt kartları
nav-job-offer = İş təklifini yoxlayın
nav-passport = Pasportunuzu alıblarsa
nav-emergency-numbers = Təcili yardım nömrələri
nav-abroad = Xaricdən kömək

## Səhifə elementləri
breadcrumb-label = Siz buradasınız
toc-heading = Bu səhifədə
page-previous = Əvvəlki
page-next = Növbəti
pagination-label = Digər səhifələr
pagination-page = Səhifə { $number } / { $total }
section-pages = Bu bölmədə
read-more = Oxuyun: { $title }
footer-text = Xəbərdar insan alverinə qarşı maarifləndirmə saytıdır.
footer-safety = Bu sayt kuki yazmır və başqa saytlardan heç nə yükləmir.
print-page = Bu səhifəni çap edin

## 404
not-found-title = Səhifə tapılmadı
not-found-text = Belə səhifə yoxdur və ya başqa yerə köçürülüb. Qaynar xətt isə gecə-gündüz işləyir:
not-found-home = Ana səhifəyə keçin

## Ölçülər və media məlumatları (sayt yığılanda hesablanır)
decimal-separator = ,
size-b = { $value } bayt
size-kb = { $value } KB
size-mb = { $value } MB
size-gb = { $value } GB
media-pages = { $count } səhifə

label-duration = Müddəti
label-size = Ölçüsü
label-format = Format
label-captions = Altyazılar
label-language = Dili
label-pages = Səhifə sayı

## Filmlər
film-demo-label = Nümayiş videosu
film-demo-text = Bu qısa video yalnız filmlərin bu saytda necə göründüyünü göstərir. Bu, insan alveri haqqında film deyil.
film-no-video = Brauzeriniz bu videonu göstərə bilmir. Onu yükləyə bilərsiniz:
film-download = Filmi yükləyin ({ $format }, { $size })
film-transcript = Mətni
film-facts = Film haqqında
films-list-empty = Hələ film yoxdur.

## Təlim materialları
training-files = Yükləmək üçün fayllar
training-download = Yükləyin
training-list-empty = Hələ material yoxdur.
lang-name-az = Azərbaycan dili
lang-name-ru = Rus dili
lang-name-en = İngilis dili

## Milli Fəaliyyət Planı
nap-aims = Planın məqsədləri (1–7-ci bölmələrin bu saytda verilən xülasəsi)
nap-measures = Tədbirlər (planın cədvəli)
nap-measure-number = Tədbir { $number }
nap-responsible = İcraçı
nap-term = 2004-cü ildə qoyulan müddət
nap-actions = Məqsəd və gözlənilən nəticələr
nap-source = Azərbaycan Respublikası Prezidentinin 6 may 2004-cü il tarixli 208 nömrəli Sərəncamı ilə təsdiq edilmişdir.

## Xəbər göndərmə səhifəsi
report-hotline-instead = Yazmaq əvəzinə qaynar xəttə də zəng edə bilərsiniz:
report-offline-heading = Forma indi göndərilə bilmir
report-offline-text = Zəhmət olmasa, qaynar xəttə zəng edin. Zəng Azərbaycan daxilində pulsuzdur. Adınızı deməyə bilərsiniz, amma xətt nömrənizi görür.
report-nojs-note = Forma JavaScript olmadan da işləyir.

## Qaynar xətt kartı
card-title = Qaynar xətt kartları
card-intro = Pul kisəsinə sığan səkkiz kartlıq vərəqi çap edin, kartları kəsin, birini özünüzdə saxlayın və ya ehtiyacı ola biləcək adamlara verin.
card-risk = Kartı kimin tapa biləcəyini düşünün. Sizə və ya kart verdiyiniz adama nəzarət edən biri insan alveri haqqında kart tapsa, bu sizin və ya həmin adamın həyatını təhlükəyə ata bilər. Gizli kartda yalnız nömrə və "Telefon" sözü var, insan alveri haqqında heç nə yoxdur. Amma bu nömrəni tanıyan adam bu kartın nə olduğunu yenə başa düşə bilər. Hər hansı kart təhlükəlidirsə, nömrəni əzbərləyin. Daha təhlükəsiz olanı seçin.
card-choose-discreet = Gizli kartı seçin:
card-discreet-what = yalnız "Telefon" sözü və nömrə. Kimsə pul kisəsini və ya çantanı yoxlaya bilərsə, bu daha təhlükəsizdir.
card-choose-standard = Tam kartı seçin:
card-standard-what = bunun insan alverinə qarşı qaynar xətt olduğunu və nə vaxt zəng etməyi yazır. Elan lövhələri, idarələr və təhlükədə olmayan adamlar üçün.
card-how-to-print = Kartı seçin, sonra bu səhifəni brauzerin "Çap et" əmri ilə çap edin. Yalnız seçdiyiniz kart çap olunur: bir vərəqdə { $count } kart, kəsməyə hazır, A4 və ya Letter kağızında. Heç birini seçməsəniz, gizli kart çap olunur.
card-discreet-heading = Gizli kart
card-standard-heading = Tam kart
card-discreet-label = Telefon
card-cut = Qırıq xətlər boyunca kəsin.
card-line-1 = İnsan alverinə qarşı qaynar xətt
card-line-2 = Azərbaycan daxilində pulsuz, 24/7
card-line-3 = Zorla işlədirlər, borc qoyurlar, pasportunuzu alıblar, getməyə qoymurlar — zəng edin.

## Axtarış (axtarış səhifəsi və bütün səhifələrin siyahısı)
nav-search = Axtarış
search-title = Saytda axtarış
search-label = Axtarılacaq söz və ya sözlər
search-button = Axtar
search-private = Yazdığınız bu brauzerdə qalır: heç yerə göndərilmir və saxlanmır.
search-results = Nəticələr
search-loading = Axtarılır…
search-found = Tapılan səhifələr:
search-none = Heç nə tapılmadı. Başqa söz yoxlayın və ya bütün səhifələrin siyahısına baxın.
search-error = Axtarış yüklənmədi. Bütün səhifələrin siyahısı onsuz da işləyir.
search-more = Daha çox nəticə göstər
search-all-pages = Saytın bütün səhifələri, başlıqları ilə
search-all-title = Bütün səhifələr
search-all-intro = Bu saytın Azərbaycan dilində bütün səhifələri, başlıqları ilə. Bu siyahıda söz axtarmaq üçün brauzerinizin "Səhifədə tap" funksiyasından istifadə edin (Ctrl+F və ya telefonda brauzer menyusunda "Tap").
search-all-back = Axtarış səhifəsinə qayıt
