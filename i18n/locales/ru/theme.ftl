# Строки интерфейса темы Xəbərdar (themes/xeberdar). Простыми словами: читатель может быть
# напуган, читать с маленького телефона или не на родном языке.

skip-to-content = Перейти к основному тексту

## Блок горячей линии, вверху каждой страницы
hotline-heading = Горячая линия против торговли людьми
hotline-call = Позвонить на { $number }
hotline-facts = Бесплатно и круглосуточно. Можно не называть себя.
hotline-international = Из-за границы:
hotline-abroad = Вы за границей?

## Быстрый выход
exit-label = Выйти
exit-hint = Быстро покинуть сайт. Или нажмите Shift три раза.
exit-shift-1 = Shift нажат один раз. Нажмите ещё два раза, чтобы покинуть сайт.
exit-shift-2 = Shift нажат два раза. Нажмите ещё раз, чтобы покинуть сайт.
exit-leaving = Выход с сайта.

## Навигация
nav-label = Главное меню
nav-more = Все страницы
footer-nav-label = Страницы сайта
language-label = Язык
nav-home = Главная
nav-what-is-trafficking = Что такое торговля людьми
nav-signs = Признаки торговли людьми
nav-illegal-migration = Работа за границей
nav-help = Права и помощь
nav-hotline = Горячая линия 152
nav-report = Сообщить о случае
nav-films = Фильмы
nav-training = Учебные материалы
nav-plan = Национальный план действий
nav-safe-browsing = Безопасный просмотр
nav-about = О нас
nav-privacy = Конфиденциальность
nav-hotline-card = Карточка горячей линии для печати

## Элементы страницы
breadcrumb-label = Вы здесь
toc-heading = На этой странице
page-previous = Назад
page-next = Далее
pagination-label = Другие страницы
pagination-page = Страница { $number } из { $total }
section-pages = В этом разделе
read-more = Читать: { $title }
footer-text = Xəbərdar — часть национальной программы Азербайджана по борьбе с торговлей людьми.
footer-safety = Этот сайт не ставит cookie и ничего не загружает с других сайтов.
print-page = Распечатать страницу

## 404
not-found-title = Страница не найдена
not-found-text = Такой страницы нет, или она переехала. Горячая линия работает всегда:
not-found-home = На главную страницу

## Размеры и данные о файлах (вычисляются при сборке сайта)
decimal-separator = ,
size-b = { $value } байт
size-kb = { $value } КБ
size-mb = { $value } МБ
size-gb = { $value } ГБ
media-pages = { $count ->
    [one] { $count } страница
    [few] { $count } страницы
   *[many] { $count } страниц
}

label-duration = Длительность
label-size = Размер
label-format = Формат
label-captions = Субтитры
label-language = Язык
label-pages = Число страниц

## Фильмы
film-demo-label = Демонстрационный ролик
film-demo-text = Этот короткий ролик только показывает, как фильмы выглядят на сайте. Это не фильм программы.
film-no-video = Ваш браузер не может показать это видео. Его можно скачать:
film-download = Скачать фильм ({ $format }, { $size })
film-transcript = Текст фильма
film-facts = О фильме
films-list-empty = Фильмов пока нет.

## Учебные материалы
training-files = Файлы для скачивания
training-download = Скачать
training-list-empty = Материалов пока нет.
lang-name-az = азербайджанский
lang-name-ru = русский
lang-name-en = английский

## Национальный план действий
nap-aims = Цели плана
nap-measures = Меры
nap-measure-number = Мера { $number }
nap-responsible = Исполнители
nap-term = Срок
nap-actions = Цели и ожидаемые результаты
nap-source = Утверждён Распоряжением Президента Азербайджанской Республики № 208 от 6 мая 2004 года.

## Страница сообщения
report-hotline-instead = Вместо письма можно позвонить на горячую линию:
report-offline-heading = Сейчас форму отправить нельзя
report-offline-text = Пожалуйста, позвоните на горячую линию. Звонок бесплатный, можно не называть себя.
report-nojs-note = Форма работает и без JavaScript.

## Карточка горячей линии
card-title = Карточка горячей линии
card-intro = Распечатайте страницу, вырежьте карточку и носите её в кошельке или отдайте тому, кому она может пригодиться.
card-cut = Вырежьте по пунктирной линии.
card-line-1 = Горячая линия против торговли людьми
card-line-2 = Бесплатно, круглосуточно, анонимно
card-line-3 = Заставляют работать, требуют долг, отобрали паспорт, не отпускают — звоните.

## Поиск (страница поиска и список всех страниц)
nav-search = Поиск
search-title = Поиск по сайту
search-label = Слово или слова для поиска
search-button = Найти
search-private = Набранное остаётся в этом браузере: оно никуда не отправляется и не сохраняется.
search-results = Результаты
search-loading = Идёт поиск…
search-found = Найдено страниц:
search-none = Ничего не найдено. Попробуйте другое слово или откройте список всех страниц.
search-error = Поиск не загрузился. Список всех страниц работает и без него.
search-more = Показать ещё
search-all-pages = Все страницы сайта с их заголовками
search-all-title = Все страницы
search-all-intro = Все страницы этого сайта на русском языке с их заголовками. Чтобы найти слово в этом списке, воспользуйтесь поиском по странице в браузере (Ctrl+F или «Найти на странице» в меню браузера на телефоне).
search-all-back = Вернуться к поиску
