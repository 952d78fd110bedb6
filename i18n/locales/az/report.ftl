# Anonim müraciət formasının və müraciət qəbul edən xidmətin səhifələrinin mətnləri.
# Qısa və sadə yazın: oxucu qorxmuş ola bilər, kiçik telefon ekranından oxuya bilər.

report-page-title = Adınızı demədən məlumat göndərin
report-form-intro = Adınızı yazmaq məcburi deyil. Gördüyünüzü və ya eşitdiyinizi Xüsusi polis qurumuna bildirin. Təsvirdən başqa bütün xanaları boş qoya bilərsiniz.
report-field-kind = Nə baş verib?
report-field-kind-choose = Birini seçin (könüllü)
report-kind-forced_labour = Məcburi əmək
report-kind-sexual_exploitation = Cinsi istismar
report-kind-forced_begging_or_crime = Məcburi dilənçilik və ya cinayətə məcbur etmə
report-kind-child_trafficking = Uşaq alveri
report-kind-organ_removal = Orqanların götürülməsi
report-kind-suspicious_offer = Şübhəli iş və ya səfər təklifi
report-kind-other = Başqa hal
report-field-where = Harada?
report-field-country = Ölkə
report-field-city = Şəhər və ya rayon
report-field-place = Yer (ünvan, iş yeri, bina)
report-field-when = Nə vaxt?
report-field-when-hint = Tarix və ya "keçən həftə", "hər gecə" kimi sözlər.
report-field-description = Baş verənləri təsvir edin (məcburi)
report-field-description-hint = Gördüyünüzü və ya eşitdiyinizi öz sözlərinizlə yazın. Ən çox 10 000 simvol.
report-field-involved = İştirak edən şəxslər və ya nəqliyyat vasitələri
report-field-involved-hint = Bilirsinizsə: adlar, görünüş, telefon nömrələri, avtomobil nömrələri.
report-field-contact = Xüsusi polis qurumu sizinlə necə əlaqə saxlaya bilər?
report-field-contact-hint = Qurumun sizinlə əlaqə saxlamasını istəmirsinizsə, bu xananı boş qoyun.
report-no-js-question = İnsan olduğunuzu göstərmək üçün qaynar xəttin nömrəsini yazın: { $number }
report-no-js-label = Qaynar xəttin nömrəsi
report-pow-working = Brauzeriniz qısa bir yoxlama aparır. Yazmağa davam edə bilərsiniz.
report-submit = Məlumatı göndər
report-errors-summary = Bəzi xanalara yenidən baxın. Yazdıqlarınızın heç biri itməyib.
report-error-required = Bu xananı doldurun.
report-error-too-long = Mətn çox uzundur: ən çox { $max } simvol ola bilər. Onu qısaldın.
report-error-kind = Siyahıdakı variantlardan birini seçin.
report-error-captcha = Avtomatik yoxlama başa çatmadı. Bir az gözləyib yenidən göndərin və ya aşağıdakı suala cavab verin.
report-error-no-js-answer = Bu, qaynar xəttin nömrəsi deyil. Sualda göstərilən nömrəni yazın.
report-error-file-not-accepted = Hesabatla fayl göndərmək hələ mümkün deyil, ona görə heç nə göndərilmədi. Yazdığınız mətn aşağıda saxlanılıb: onu faylsız göndərin. Fayl vacibdirsə, onda nə göründüyünü mətndə təsvir edin.
report-error-no-js-missing = Zəhmət olmasa aşağıdakı suala cavab verin: qaynar xəttin nömrəsini yazın.
report-received-heading = Məlumatınız qəbul edildi
report-received-text = Təşəkkür edirik. Məlumatınız şifrələndi və onu yalnız Xüsusi polis qurumu oxuyacaq.
report-received-code-label = İstinad kodunuz
report-received-code-hint = Bu kodu indi yazın: o yalnız bir dəfə göstərilir. Kod şifrələnmiş məlumatınızın içindədir: sonra Xüsusi polis qurumu ilə əlaqə saxlayıb kodu desəniz, qurum məlumatınızı tapa bilər.
report-received-expired = Bu səhifə artıq mövcud deyil.
report-received-expired-text = Təhlükəsizliyiniz üçün bu səhifə yalnız bir dəfə və qısa müddətə açılır. Məlumat göndərmisinizsə, o qəbul edilib.
report-unavailable-title = Hazırda göndərmək mümkün deyil
report-unavailable-text = Məlumatınızı saxlamaq mümkün olmadı, ona görə o göndərilmədi. Bir az sonra yenidən cəhd edin və ya 24 saat işləyən { $number } qaynar xəttinə zəng edin.
report-rate-limited-text = Bu bağlantıdan çox məlumat göndərilib. Bir az sonra yenidən cəhd edin və ya 24 saat işləyən { $number } qaynar xəttinə zəng edin.
report-too-large-text = Məlumat göndərmək üçün çox uzundur. Təsviri qısaldın və ya 24 saat işləyən { $number } qaynar xəttinə zəng edin.
report-bad-request-text = Formanı oxumaq mümkün olmadı. Geri qayıdıb yenidən cəhd edin və ya 24 saat işləyən { $number } qaynar xəttinə zəng edin.
report-hotline-call = { $number } nömrəsinə zəng edin (24 saat)
report-back-to-form = Formaya qayıt

# Polis bölməsinin oxuduğu şifrələnmiş məlumatın içindəki başlıqlar (saytın əsas dilində).
report-sealed-heading = Xəbərdar: veb formadan məlumat
report-sealed-reference = İstinad kodu
report-sealed-lang = Formanın dili
report-sealed-check = Keçilmiş bot yoxlaması
report-sealed-description = Təsvir

# The standalone endpoint's "not found" page.
report-not-found = Belə səhifə yoxdur
report-not-found-text = Ünvanı yoxlayın və ya 24 saat işləyən { $number } qaynar xəttinə zəng edin.
