# Strings of the report form and the report endpoint's pages.
# Keep them short and plain: a reader may be frightened, reading on a small phone,
# or reading in their second language.

report-page-title = Send a report without giving your name
report-form-intro = You do not have to give your name. Tell the special police unit what you saw or heard. Fields other than the description are optional.
report-field-kind = What happened?
report-field-kind-choose = Choose one (optional)
report-kind-forced_labour = Forced labour
report-kind-sexual_exploitation = Sexual exploitation
report-kind-forced_begging_or_crime = Forced begging or forced crime
report-kind-child_trafficking = Trafficking of a child
report-kind-organ_removal = Organ removal
report-kind-suspicious_offer = A suspicious job or travel offer
report-kind-other = Something else
report-field-where = Where?
report-field-country = Country
report-field-city = City or district
report-field-place = Place (address, workplace, building)
report-field-when = When?
report-field-when-hint = A date, or words like "last week" or "every night".
report-field-description = Describe what happened (required)
report-field-description-hint = Describe what you saw or heard, in your own words. Up to 10,000 characters.
report-field-involved = People or vehicles involved
report-field-involved-hint = Names, descriptions, phone numbers, car number plates, if you know them.
report-field-contact = How can the special police unit contact you?
report-field-contact-hint = Leave this empty if you do not want the unit to contact you.
report-no-js-question = To show that you are a person, type the number of the hotline: { $number }
report-no-js-label = Hotline number
report-pow-working = Your browser is doing a short check. You can keep typing.
report-submit = Send the report
report-errors-summary = Some fields need your attention. Nothing you typed has been lost.
report-error-required = Please fill in this field.
report-error-too-long = This is too long: at most { $max } characters. Please shorten it.
report-error-kind = Please choose one of the options in the list.
report-error-captcha = The automatic check did not finish. Wait a moment and send again, or answer the question below.
report-error-no-js-answer = That is not the hotline number. Type the number shown in the question.
report-error-file-not-accepted = This form does not take files, so nothing was sent. Your text is kept below: send it without the file. If the file matters, describe in the text what it shows.
report-error-no-js-missing = Please answer the question below: type the number of the hotline.
report-field-files = Files (optional)
report-field-files-hint = Photos (JPEG, PNG, WebP), PDF, and Word, Excel, PowerPoint or OpenDocument files: up to { $max_files } files, { $max_file } MB each, { $max_total } MB in all. Before sending, hidden data is removed from them: location and camera data from photos, the author and dates from documents. The file name is sent as it is: if it says something about you, rename the file first.
report-error-files-too-many = Too many files: at most { $max } can be sent with one report, so nothing was sent. Your text is kept below; choose the files again.
report-error-file-too-large = { $name } is larger than { $max } MB, so nothing was sent. Your text is kept below. Choose the files again without it, or send a smaller copy.
report-error-files-too-large = The files together are larger than { $max } MB, so nothing was sent. Your text is kept below. Choose fewer or smaller files.
report-error-file-type = { $name } cannot be sent: only photos (JPEG, PNG, WebP), PDF, and Word, Excel, PowerPoint or OpenDocument files are accepted. Nothing was sent; your text is kept below. Choose the files again without it.
report-error-file-heic = { $name } is a HEIC photo. Its hidden data, such as where it was taken, cannot be removed here, so nothing was sent. Your text is kept below. Take a screenshot of the photo and send the screenshot, or save the photo as JPEG.
report-error-file-unreadable = { $name } could not be read: it may be damaged or incomplete. Nothing was sent; your text is kept below. Choose the files again without it, or with a working copy.
report-error-file-encrypted = { $name } is protected by a password, so its hidden data cannot be removed. Nothing was sent; your text is kept below. Send a copy without the password.
report-error-file-bomb = { $name } unpacks to far more data than any real photo or document, so it cannot be sent. Nothing was sent; your text is kept below.
report-received-heading = Your report has been received
report-received-text = Thank you. Your report was encrypted. Only the special police unit can read it.
report-received-code-label = Your reference code
report-received-code-hint = Write this code down now: it is shown only once. It is inside your encrypted report, so if you contact the special police unit later and quote it, the unit can find your report.
report-received-files = Hidden data was removed from your files before they were encrypted:
report-file-removed-photo = { $name }: location, camera details, date and time and other hidden photo data (EXIF, XMP, IPTC, comments) removed.
report-file-removed-pdf = { $name }: author, title, programs, dates and other document information (XMP included) removed. Pictures inside the PDF are sent as they are.
report-file-removed-office = { $name }: document properties (author, last editor, company, dates, editing time) removed. Names in comments or tracked changes, and pictures inside the document, are sent as they are.
report-received-expired = This page is no longer available.
report-received-expired-text = For your safety this page can be opened only once and only for a short time. If you sent a report, it has been received.
report-unavailable-title = Sending is not possible right now
report-unavailable-text = Your report could not be saved, so it was not sent. Please try again later, or call the 24-hour hotline { $number }.
report-rate-limited-text = Too many reports were sent from this connection. Please try again later, or call the 24-hour hotline { $number }.
report-too-large-text = The report or its files are too large to send. Please shorten the description or send fewer, smaller files, or call the 24-hour hotline { $number }.
report-bad-request-text = The form could not be read. Please go back and try again, or call the 24-hour hotline { $number }.
report-hotline-call = Call { $number } (24 hours)
report-back-to-form = Back to the form
report-received-follow-up-label = Your follow-up code
report-received-follow-up-hint = This second code is for you only. Write it down now: it is shown only once and cannot be shown again. For { $days } { $days ->
        [one] day
       *[other] days
    } it lets you add to this report on the page for additions. Do not give it to anyone. If you contact the special police unit, quote the reference code instead.
report-followup-link = Add to a report you have sent
report-followup-title = Add to a report you have sent
report-followup-intro = If you remember something more, you can add it to your report here. You need the follow-up code that was shown after you sent the report. The special police unit receives your addition with the same reference code as your report, so it can read the two together. The unit cannot answer you through this page.
report-field-follow-up-code = Follow-up code
report-field-follow-up-code-hint = 28 letters and digits in seven groups, shown after you sent the report. It is not the shorter reference code.
report-field-addition = What do you want to add? (required)
report-field-addition-hint = Write in your own words. Up to 10,000 characters.
report-followup-submit = Send the addition
report-error-follow-up-code = This is not a follow-up code: a follow-up code has 28 letters and digits. Check what you wrote down.
report-error-follow-up-unknown = No report has this follow-up code. Check what you wrote down: one wrong character makes it another code. A code works for { $days } { $days ->
        [one] day
       *[other] days
    } after its report was sent.
report-followup-received-heading = Your addition has been received
report-followup-received-text = Thank you. Your addition was encrypted. Only the special police unit can read it, together with your report. The report's reference code:
report-followup-rate-limited-text = Too many additions or wrong follow-up codes were sent from this connection. Please try again later, or call the 24-hour hotline { $number }.
report-followup-off-text = Adding to a report is not possible on this site. Please call the 24-hour hotline { $number }, or send a new report and say in it what you reported before.

# Labels inside the sealed report that the police unit reads (in the site's default language).
report-sealed-heading = Xəbərdar: report from the web form
report-sealed-reference = Reference code
report-sealed-lang = Language of the form
report-sealed-check = Anti-bot check passed
report-sealed-description = Description
report-sealed-followup-heading = Xəbərdar: an addition to a report from the web form
report-sealed-followup-note = Sent with the follow-up code of the report with this reference code.
report-sealed-followup-text = Addition
report-sealed-files = Attached files (hidden data removed)

# The standalone endpoint's "not found" page.
report-not-found = This page does not exist
report-not-found-text = Check the address, or call the 24-hour hotline { $number }.
