/* The report page: if the tip endpoint does not answer its health check, hide the form
   and show the hotline instead, so nobody writes a tip that cannot be sent.
   Without JavaScript the form simply stays, and the hotline is on every page anyway. */
(function () {
  "use strict";
  var box = document.querySelector("[data-health]");
  if (!box || !window.fetch) return;
  var done = false;
  function down() {
    if (done) return;
    done = true;
    box.classList.add("report-down");
  }
  var timer = setTimeout(down, 10000);
  fetch(box.getAttribute("data-health"), { cache: "no-store", credentials: "omit" })
    .then(function (response) {
      clearTimeout(timer);
      if (!response.ok) down();
      done = true;
    })
    .catch(function () {
      clearTimeout(timer);
      down();
    });
})();
