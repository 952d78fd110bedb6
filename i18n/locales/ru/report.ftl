# Тексты анонимной формы сообщения и страниц сервиса, который принимает сообщения.
# Пишите коротко и просто: читатель может быть напуган и читать с маленького экрана.

report-page-title = Анонимно сообщить о торговле людьми
report-form-intro = Называть своё имя не нужно. Расскажите, что вы видели или слышали. Все поля, кроме описания, можно не заполнять.
report-field-kind = Что произошло?
report-field-kind-choose = Выберите (необязательно)
report-kind-forced_labour = Принудительный труд
report-kind-sexual_exploitation = Сексуальная эксплуатация
report-kind-forced_begging_or_crime = Принуждение к попрошайничеству или преступлениям
report-kind-child_trafficking = Торговля детьми
report-kind-organ_removal = Изъятие органов
report-kind-suspicious_offer = Подозрительное предложение работы или поездки
report-kind-other = Другое
report-field-where = Где?
report-field-country = Страна
report-field-city = Город или район
report-field-place = Место (адрес, место работы, здание)
report-field-when = Когда?
report-field-when-hint = Дата или слова вроде «на прошлой неделе», «каждую ночь».
report-field-description = Опишите, что случилось (обязательно)
report-field-description-hint = Опишите своими словами, что вы видели или слышали. Не больше 10 000 знаков.
report-field-involved = Причастные люди или транспорт
report-field-involved-hint = Если знаете: имена, внешность, номера телефонов, номера машин.
report-field-contact = Как специальное подразделение полиции может связаться с вами?
report-field-contact-hint = Оставьте пустым, чтобы остаться анонимным.
report-no-js-question = Чтобы показать, что вы человек, введите номер бесплатной горячей линии: { $number }
report-no-js-label = Номер горячей линии
report-pow-working = Ваш браузер выполняет короткую проверку. Можете продолжать писать.
report-submit = Отправить сообщение
report-errors-summary = Проверьте отмеченные поля. Всё, что вы написали, сохранено.
report-error-required = Заполните это поле.
report-error-too-long = Слишком длинно: не больше { $max } знаков. Сократите, пожалуйста.
report-error-kind = Выберите один из вариантов списка.
report-error-captcha = Автоматическая проверка не завершилась. Подождите немного и отправьте ещё раз или ответьте на вопрос ниже.
report-error-no-js-answer = Это не номер горячей линии. Введите номер, указанный в вопросе.
report-received-heading = Ваше сообщение получено
report-received-text = Спасибо. Ваше сообщение зашифровано, его прочитает только специальное подразделение полиции.
report-received-code-label = Ваш код сообщения
report-received-code-hint = Запишите этот код сейчас: он показывается только один раз. Если позвоните на горячую линию { $number }, можете назвать его.
report-received-expired = Эта страница больше недоступна.
report-received-expired-text = Ради вашей безопасности эта страница открывается только один раз и ненадолго. Если вы отправили сообщение, оно получено.
report-unavailable-title = Сейчас отправить не получается
report-unavailable-text = Сообщение не удалось сохранить, поэтому оно не отправлено. Попробуйте позже или позвоните на бесплатную круглосуточную горячую линию { $number }.
report-rate-limited-text = С этого подключения отправлено слишком много сообщений. Попробуйте позже или позвоните на бесплатную круглосуточную горячую линию { $number }.
report-too-large-text = Сообщение слишком длинное. Сократите описание или позвоните на бесплатную круглосуточную горячую линию { $number }.
report-bad-request-text = Не удалось прочитать форму. Вернитесь и попробуйте ещё раз или позвоните на бесплатную круглосуточную горячую линию { $number }.
report-hotline-call = Позвонить { $number } (бесплатно, круглосуточно)
report-back-to-form = Вернуться к форме

# Заголовки внутри зашифрованного сообщения, которое читает подразделение полиции.
report-sealed-heading = Xəbərdar: анонимное сообщение
report-sealed-reference = Код сообщения
report-sealed-lang = Язык формы
report-sealed-check = Пройденная проверка на бота
report-sealed-description = Описание

# The standalone endpoint's "not found" page.
report-not-found = Такой страницы нет
report-not-found-text = Проверьте адрес или позвоните на бесплатную круглосуточную горячую линию { $number }.
