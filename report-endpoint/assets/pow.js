// Xəbərdar proof of work: fetches a challenge, finds a counter whose SHA-256 has enough
// leading zero bits, puts the answer in the form. No dependencies, no third party.
(function () {
  var f = document.querySelector("form[data-pow-challenge]");
  if (!f || !window.crypto || !crypto.subtle || !window.fetch) return;
  var input = f.querySelector("input[name=pow]");
  var status = f.querySelector("[data-pow-status]");
  var waiting = false, failed = false;
  function zeros(b) {
    var n = 0;
    for (var i = 0; i < b.length; i++) {
      if (b[i] === 0) { n += 8; continue; }
      for (var m = 128; m && !(b[i] & m); m >>= 1) n++;
      break;
    }
    return n;
  }
  async function solve() {
    var r = await fetch(f.getAttribute("data-pow-challenge"), { credentials: "omit", cache: "no-store" });
    if (!r.ok) throw new Error("challenge");
    var c = await r.json(), enc = new TextEncoder();
    for (var n = 0; ; n++) {
      var s = c.challenge + ":" + n;
      var h = new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(s)));
      if (zeros(h) >= c.difficulty) return s;
    }
  }
  if (status) status.hidden = false;
  solve().then(function (s) {
    input.value = s;
    input.setAttribute("value", s);
    if (status) status.hidden = true;
    var q = f.querySelector("[data-no-js]");
    if (q) q.hidden = true;
    if (waiting) f.submit();
  }, function () {
    failed = true;
    if (status) status.hidden = true;
    if (waiting) f.submit();
  });
  f.addEventListener("submit", function (e) {
    var a = f.querySelector("input[name=no_js_answer]");
    if (!input.value && !failed && !(a && a.value)) {
      e.preventDefault();
      waiting = true;
      if (status) status.hidden = false;
    }
  });
})();
