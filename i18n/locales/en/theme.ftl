# Interface strings of the Xəbərdar theme (themes/xeberdar). Plain words: a reader may be
# frightened, on a small phone, or reading in a second language.

skip-to-content = Skip to the main text

## The hotline block, at the top of every page
hotline-heading = Anti-trafficking hotline
hotline-call = Call { $number }
hotline-facts = Free inside Azerbaijan, 24/7. You need not give your name.
hotline-international = From abroad:
hotline-abroad = Abroad?

## Quick exit
exit-label = Exit
exit-hint = Leave this site quickly.
exit-hint-shift = Or press Shift three times.
exit-shift-1 = Shift pressed once. Press it two more times to leave this site.
exit-shift-2 = Shift pressed twice. Press it once more to leave this site.
exit-leaving = Leaving this site.

## Navigation
home-heading = Information and help against human trafficking
footer-operator = Who runs this site:
nav-label = Main menu
nav-more = All pages
footer-nav-label = Pages of this site
language-label = Language
nav-home = Home
nav-what-is-trafficking = What trafficking is
nav-signs = Signs of trafficking
nav-illegal-migration = Working abroad
nav-help = Rights and help
nav-hotline = Hotline 152
nav-report = Send a report
nav-films = Films
nav-training = Training materials
nav-plan = National Action Plan
nav-safe-browsing = Browsing safely
nav-about = About this site
nav-privacy = Privacy
nav-hotline-card = Hotline cards to print
nav-job-offer = Checking a job offer
nav-passport = If your passport is taken
nav-emergency-numbers = Emergency numbers
nav-abroad = Help from abroad

## Page furniture
breadcrumb-label = You are here
toc-heading = On this page
page-previous = Previous
page-next = Next
pagination-label = More pages
pagination-page = Page { $number } of { $total }
section-pages = In this section
read-more = Read: { $title }
footer-text = Xəbərdar is a public-awareness website against human trafficking.
footer-safety = This site sets no cookies and loads nothing from other sites.
print-page = Print this page

## 404
not-found-title = Page not found
not-found-text = This page does not exist, or it has moved. The hotline is open day and night:
not-found-home = Go to the home page

## Sizes and media facts (values are computed when the site is built)
decimal-separator = .
size-b = { $value } bytes
size-kb = { $value } KB
size-mb = { $value } MB
size-gb = { $value } GB
media-pages = { $count ->
    [one] { $count } page
   *[other] { $count } pages
}

label-duration = Length
label-size = Size
label-format = Format
label-captions = Captions
label-language = Language
label-pages = Pages

## Films
film-demo-label = Demo clip
film-demo-text = This short clip only shows how films appear on this site. It is not a film about trafficking.
film-no-video = Your browser cannot play this video. You can download it instead:
film-download = Download the film ({ $format }, { $size })
film-transcript = Transcript
film-facts = Film facts
films-list-empty = There are no films yet.

## Training materials
training-files = Files to download
training-download = Download
training-list-empty = There are no materials yet.
lang-name-az = Azerbaijani
lang-name-ru = Russian
lang-name-en = English

## National Action Plan
nap-aims = Aims of the plan (this site's summary of sections 1–7)
nap-measures = Measures (the plan's table)
nap-measure-number = Measure { $number }
nap-responsible = Responsible
nap-term = Term set in 2004
nap-actions = Aims and expected results
nap-source = Approved by Order No. 208 of the President of the Republic of Azerbaijan of 6 May 2004.

## Report page
report-hotline-instead = You can also call the hotline instead of writing:
report-offline-heading = The form cannot be sent right now
report-offline-text = Please call the hotline instead. The call is free inside Azerbaijan. You need not give your name, but the line sees your number.
report-nojs-note = The form works without JavaScript too.

## Hotline card
card-title = Hotline cards
card-intro = Print a sheet of eight wallet-sized cards, cut them out, and keep one or give them to people who may need them.
card-risk = Think about who may find the card. If someone who controls you, or controls the person you give a card to, finds a card about trafficking, it can put you or that person in danger. The discreet card shows only the number and the word "Phone", with nothing about trafficking. But someone who knows this number may still guess what the card is. If any card would be dangerous, learn the number by heart. Choose what is safer.
card-choose-discreet = Choose the discreet card:
card-discreet-what = only "Phone" and the number. Safer if someone may search a wallet or a bag.
card-choose-standard = Choose the full card:
card-standard-what = says it is the anti-trafficking hotline and when to call. For notice boards, offices and people who are not at risk.
card-how-to-print = Choose a card, then print this page with your browser's Print command. Only the chosen card is printed, { $count } to a sheet, ready to cut, on A4 or Letter paper. If you choose none, the discreet card is printed.
card-discreet-heading = Discreet card
card-standard-heading = Full card
card-discreet-label = Phone
card-cut = Cut along the dashed lines.
card-line-1 = Anti-trafficking hotline
card-line-2 = Free inside Azerbaijan, 24/7
card-line-3 = Forced work, debt, a passport taken away, being kept somewhere: call.

## Search (the search page and the list of all pages)
nav-search = Search
search-title = Search this site
search-label = Word or words to look for
search-button = Search
search-private = What you type stays in this browser: it is not sent anywhere and not saved.
search-results = Results
search-loading = Searching…
search-found = Pages found:
search-none = No page matches. Try another word, or see the list of all pages.
search-error = Search could not load. The list of all pages works without it.
search-more = Show more results
search-all-pages = All pages of this site, with their headings
search-all-title = All pages
search-all-intro = Every page of this site in English, with the headings on it. To look for a word on this list, use your browser's "Find in page" (Ctrl+F, or "Find" in the browser menu on a phone).
search-all-back = Back to the search page
