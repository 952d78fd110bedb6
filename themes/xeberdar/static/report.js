/* The report page: if the tip endpoint does not answer its health check, hide the form
   and show the hotline instead, so nobody writes a tip that cannot be sent.
   Without JavaScript the form simply stays, and the hotline is on every page anyway.
   The outcome is written to data-health-state ("up" / "down") for tests and styles. */
(function () {
  "use strict";
  var box = document.querySelector("[data-health]");
  if (!box || !window.fetch) return;
  var settled = false;
  function settle(up) {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    if (!up) box.classList.add("report-down");
    box.setAttribute("data-health-state", up ? "up" : "down");
  }
  var timer = setTimeout(function () {
    settle(false);
  }, 10000);
  fetch(box.getAttribute("data-health"), { cache: "no-store", credentials: "omit" })
    .then(function (response) {
      settle(response.ok);
    })
    .catch(function () {
      settle(false);
    });
})();
