// Xəbərdar development server: reloads the page after an edit and shows build errors over
// it. Served only by `xeberdar serve` (never part of the published site), as a file from the
// same origin so the site's Content-Security-Policy still holds.
(function () {
  "use strict";
  if (!window.EventSource) { return; }
  var OVERLAY_ID = "xeberdar-dev-overlay";
  // The overlay's words in the editor's language; the server fills this in.
  var TEXT = /*XEBERDAR_TEXT*/{"lang":"en","one":"The site could not be rebuilt: 1 error","other":"The site could not be rebuilt: {n} errors","hint":"Fix the file and save it: this page reloads by itself."}/*XEBERDAR_TEXT_END*/;

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
    box.lang = TEXT.lang;
    var heading = document.createElement("h2");
    heading.textContent = errors.length === 1
      ? TEXT.one
      : TEXT.other.replace("{n}", String(errors.length));
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
    hint.textContent = TEXT.hint;
    box.appendChild(hint);
    document.body.appendChild(box);
  }

  var source = new EventSource("/_xeberdar/events");
  // Tells tests (and the curious) that the page listens for rebuilds.
  source.addEventListener("open", function () {
    document.documentElement.setAttribute("data-xeberdar-live", "connected");
  });
  // `reload` carries "*" or the list of URL paths that changed: only those pages reload;
  // the others just learn that the build is good again.
  function showsChangedPage(data) {
    if (data === "*") { return true; }
    var here;
    try { here = decodeURIComponent(window.location.pathname); } catch (_) { return true; }
    try { return JSON.parse(data).indexOf(here) !== -1; } catch (_) { return true; }
  }
  var reloading = false;
  function reloadIfChanged(event, final) {
    if (reloading) { return; }
    if (showsChangedPage(event.data)) {
      reloading = true;
      window.location.reload();
    } else if (final) {
      removeOverlay();
    }
  }
  // `pages-ready` comes first when listings are still being rebuilt: the edited page itself
  // can reload already.
  source.addEventListener("pages-ready", function (event) { reloadIfChanged(event, false); });
  source.addEventListener("reload", function (event) { reloadIfChanged(event, true); });
  source.addEventListener("ok", function () { removeOverlay(); });
  source.addEventListener("errors", function (event) {
    try { showOverlay(JSON.parse(event.data)); } catch (_) { /* a bad message changes nothing */ }
  });
})();
