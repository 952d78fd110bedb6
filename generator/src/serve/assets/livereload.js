// Xəbərdar development server: reloads the page after an edit and shows build errors over
// it. Served only by `xeberdar serve` (never part of the published site), as a file from the
// same origin so the site's Content-Security-Policy still holds.
(function () {
  "use strict";
  if (!window.EventSource) { return; }
  var OVERLAY_ID = "xeberdar-dev-overlay";

  function removeOverlay() {
    var old = document.getElementById(OVERLAY_ID);
    if (old) { old.parentNode.removeChild(old); }
  }

  function ensureStyles() {
    if (document.getElementById(OVERLAY_ID + "-css")) { return; }
    var link = document.createElement("link");
    link.id = OVERLAY_ID + "-css";
    link.rel = "stylesheet";
    link.href = "/_xeberdar/overlay.css";
    document.head.appendChild(link);
  }

  function showOverlay(errors) {
    removeOverlay();
    ensureStyles();
    var box = document.createElement("section");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    var heading = document.createElement("h2");
    heading.textContent = errors.length === 1
      ? "The site could not be rebuilt: 1 error"
      : "The site could not be rebuilt: " + errors.length + " errors";
    box.appendChild(heading);
    var list = document.createElement("ol");
    errors.forEach(function (e) {
      var item = document.createElement("li");
      var where = document.createElement("code");
      where.className = "xeberdar-dev-where";
      where.textContent = e.path + ":" + e.line + ":" + e.col;
      var message = document.createElement("span");
      message.className = "xeberdar-dev-message";
      message.textContent = e.message;
      item.appendChild(where);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(message);
      list.appendChild(item);
    });
    box.appendChild(list);
    var hint = document.createElement("p");
    hint.textContent = "Fix the file and save it: this page reloads by itself.";
    box.appendChild(hint);
    document.body.appendChild(box);
  }

  var source = new EventSource("/_xeberdar/events");
  // Tells tests (and the curious) that the page listens for rebuilds.
  source.addEventListener("open", function () {
    document.documentElement.setAttribute("data-xeberdar-live", "connected");
  });
  source.addEventListener("reload", function () { window.location.reload(); });
  source.addEventListener("ok", function () { removeOverlay(); });
  source.addEventListener("errors", function (event) {
    try { showOverlay(JSON.parse(event.data)); } catch (_) { /* a bad message changes nothing */ }
  });
})();
