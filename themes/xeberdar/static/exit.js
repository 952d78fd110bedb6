/* Quick exit, modelled on the GOV.UK Design System's "Exit this page".
   Without this script the exit control is still a plain link to a neutral site.
   With it: the page is blanked at once, the site is replaced in history
   (location.replace, so Back does not return here), and Shift pressed three times
   does the same. Messages come from the page (data-msg-*), already in its language. */
(function () {
  "use strict";
  var link = document.querySelector("[data-exit]");
  if (!link) return;
  var overlay = document.getElementById("exit-overlay");
  var live = document.getElementById("exit-live");
  var presses = 0;
  var timer = 0;
  // Shift works only while this script runs, so only then does the hint mention it.
  var shiftHint = document.querySelector("[data-exit-shift]");
  if (shiftHint) shiftHint.hidden = false;

  function say(text) {
    if (live) live.textContent = text || "";
  }
  function leave(event) {
    if (event) event.preventDefault();
    if (overlay) overlay.hidden = false;
    say(link.getAttribute("data-msg-leaving"));
    window.location.replace(link.href);
  }
  function reset() {
    presses = 0;
    clearTimeout(timer);
    say("");
  }

  link.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") reset();
  });
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") return;
    presses += 1;
    clearTimeout(timer);
    if (presses >= 3) {
      presses = 0;
      leave();
      return;
    }
    say(link.getAttribute("data-msg-" + presses));
    timer = setTimeout(reset, 5000);
  });
  /* Coming back through the browser's back/forward cache: show the page again. */
  window.addEventListener("pageshow", function () {
    if (overlay) overlay.hidden = true;
    reset();
  });
})();
