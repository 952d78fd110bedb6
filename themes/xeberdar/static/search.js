/* Site search in the browser: what is typed is never put in the address, the history or
   a request. Loads this language's search-index/<lang>/meta.json (rules, chunk list) on
   first use, then only the chunks and pages a query needs. */
(function () {
  "use strict";
  /* The stemming machine of generator/src/search/stemmer.rs, run on the rules the build
     wrote into meta.json. Node loads it alone (module.exports) to check it against Rust. */
  function machine(R) {
    function has(set, c) { return set.charAt(0) === "!" ? set.indexOf(c, 1) < 0 : set.indexOf(c) >= 0; }
    function pick(pairs, c) {
      for (var i = 0; i < pairs.length; i++) if (pairs[i][0] === c) return pairs[i][1];
      return c;
    }
    function fold(s) {
      var f = R.fold, o = "";
      Array.from(s).forEach(function (c) {
        Array.from(pick(f, c).toLowerCase()).forEach(function (l) {
          if (l !== "\u0307") o += pick(f, l);
        });
      });
      return o;
    }
    function stem(w) {
      var V = R.v, a = Array.from(w), rv = 0, r2, i;
      function isV(c) { return V.indexOf(c) >= 0; }
      function r1(from) {
        for (var j = from; j < a.length - 1; j++) if (isV(a[j]) && !isV(a[j + 1])) return j + 2;
        return a.length;
      }
      if (R.rv) for (rv = a.length, i = 0; i < a.length; i++) if (isV(a[i])) { rv = i + 1; break; }
      r2 = r1(r1(0));
      function ok(x, st, reg) {
        var min = Math.max(R.min, x[4]), left = a.slice(0, st).filter(isV);
        if (min > 0 && (st < min || !left.length)) return false;
        if (x[1] && (st === 0 || st - 1 < reg || !has(x[1], a[st - 1]))) return false;
        return !x[2] || (left.length > 0 && x[2].indexOf(left[left.length - 1]) >= 0);
      }
      function strip(S) {
        var reg = S.r === "r2" ? r2 : rv, c = [];
        S.s.forEach(function (x) {
          var st = a.length - Array.from(x[0]).length;
          if (st >= reg && a.slice(st).join("") === x[0]) c.push([x, st]);
        });
        c.sort(function (p, q) { return p[1] - q[1]; });
        for (var k = 0; k < c.length; k++) {
          if (ok(c[k][0], c[k][1], reg)) {
            a = a.slice(0, c[k][1]).concat(Array.from(c[k][0][3]));
            return true;
          }
          if (!R.fb) return false;
        }
        return false;
      }
      function step(S) {
        for (var k = 0; k < S.alts.length; k++) {
          var saved = a.slice(), good = true, changed = false;
          for (var m = 0; m < S.alts[k].length && good; m++) {
            if (strip(S.alts[k][m])) changed = true;
            else if (!S.alts[k][m].o) good = false;
          }
          if (good && changed) return true;
          a = saved;
        }
        return false;
      }
      R.steps.forEach(function (S) {
        for (var g = 0; step(S) && S.rep && g < 16; g++);
      });
      var out = a.join("");
      for (i = 0; i < R.end.length; i++) {
        var e = R.end[i];
        if (out.slice(-e[0].length) === e[0]) { out = out.slice(0, -e[0].length) + e[1]; break; }
      }
      return out;
    }
    return { fold: fold, stem: stem };
  }
  if (typeof module === "object" && module.exports) {
    module.exports = machine;
    return;
  }
  var form = document.querySelector("[data-search]");
  if (!form || !window.fetch || !Array.from) return;
  var W;
  try {
    W = new RegExp("[\\p{Alphabetic}\\p{N}]+", "gu");
  } catch (e) {
    return;
  }
  var input = form.querySelector("input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var base = form.getAttribute("data-search");
  var meta, M, files = {}, hits = [], shown = 0, seq = 0, timer = 0, want = {}, pre = "";

  function msg(k) { return form.getAttribute("data-msg-" + k); }
  function get(path) {
    return files[path] || (files[path] = fetch(base + path, { credentials: "omit" }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }));
  }
  function words(s) { return s.match(W) || []; }
  function name(k) {
    return k ? Array.from(k).map(function (c) { return c.codePointAt(0).toString(36); }).join("-") : "_";
  }
  /* Chunks holding a stem: the longest listed prefix of it; for the word being typed, also
     every chunk of longer prefixes (a few at most). */
  function chunksFor(t, prefix) {
    var best = null, out = [];
    meta.k.forEach(function (k) {
      if (t.indexOf(k) === 0 && (best === null || k.length > best.length)) best = k;
      if (prefix && k.length > prefix.length && k.indexOf(prefix) === 0 && out.length < 6) out.push(k);
    });
    if (best !== null) out.push(best);
    return out;
  }
  function say(text) { status.textContent = text; }
  function run() {
    var my = ++seq, q = input.value, ws = words(q);
    if (!ws.length) { clear(); return; }
    say(msg("loading"));
    (meta ? Promise.resolve() : get("meta.json").then(function (m) { meta = m; M = machine(m.rules); }))
      .then(function () {
        ws = words(M.fold(q));
        var terms = ws.map(function (w, i) {
          return { s: M.stem(w), p: i === ws.length - 1 && w.length >= 3 ? w : "" };
        });
        return Promise.all(terms.map(function (t) {
          return Promise.all(chunksFor(t.s, t.p).map(function (k) { return get("t/" + name(k) + ".json"); }))
            .then(function (cs) { return { t: t, cs: cs }; });
        }));
      })
      .then(function (found) {
        if (my !== seq) return;
        var score = {}, count = {};
        want = {};
        pre = "";
        found.forEach(function (f) {
          var seen = {};
          want[f.t.s] = 1;
          if (f.t.p) pre = f.t.p;
          f.cs.forEach(function (chunk) {
            Object.keys(chunk).forEach(function (term) {
              var exact = term === f.t.s;
              if (!exact && !(f.t.p && term.indexOf(f.t.p) === 0)) return;
              var p = chunk[term], idf = Math.log(1 + meta.n * 2 / p.length);
              for (var i = 0; i < p.length; i += 2) {
                var d = p[i];
                score[d] = (score[d] || 0) + idf * Math.log(1 + p[i + 1]) * (exact ? 1 : 0.5);
                if (!seen[d]) { seen[d] = 1; count[d] = (count[d] || 0) + 1; }
              }
            });
          });
        });
        var ids = Object.keys(score).map(Number), top = 0;
        ids.forEach(function (d) { top = Math.max(top, count[d]); });
        hits = ids.filter(function (d) { return count[d] === top; })
          .sort(function (x, y) { return score[y] - score[x] || x - y; });
        list.textContent = "";
        shown = 0;
        say(hits.length ? msg("found") + " " + hits.length : msg("none"));
        return show(my);
      })
      .catch(function () { if (my === seq) say(msg("error")); });
  }
  function matches(word) {
    var f = M.fold(word);
    return want[M.stem(f)] || (pre && f.indexOf(pre) === 0);
  }
  /* The passage with the most words asked for, cut around the first of them, with each
     such word in <mark>. */
  function excerpt(doc) {
    var best = doc.p[0] || ["", ""], most = 0;
    doc.p.forEach(function (p) {
      var n = words(p[1]).filter(matches).length;
      if (n > most) { most = n; best = p; }
    });
    var text = best[1], out = document.createElement("p"), at = 0, m, first = -1, re = new RegExp(W.source, "gu");
    while ((m = re.exec(text))) if (matches(m[0])) { first = m.index; break; }
    var from = first > 80 ? text.lastIndexOf(" ", first - 60) + 1 : 0, to = Math.min(text.length, from + 240);
    text = (from ? "…" : "") + text.slice(from, to) + (to < best[1].length ? "…" : "");
    re.lastIndex = 0;
    while ((m = re.exec(text))) {
      if (!matches(m[0])) continue;
      out.appendChild(document.createTextNode(text.slice(at, m.index)));
      out.appendChild(document.createElement("mark")).textContent = m[0];
      at = m.index + m[0].length;
    }
    out.appendChild(document.createTextNode(text.slice(at)));
    return [out, best[0] && best !== doc.p[0] ? "#" + best[0] : ""];
  }
  function show(my) {
    var next = hits.slice(shown, shown + 10);
    shown += next.length;
    more.hidden = shown >= hits.length;
    return Promise.all(next.map(function (d) { return get("d/" + d + ".json"); })).then(function (docs) {
      if (my !== seq) return;
      docs.forEach(function (doc) {
        var li = list.appendChild(document.createElement("li")), a = document.createElement("a"), ex = excerpt(doc);
        a.href = doc.u + ex[1];
        a.textContent = doc.t;
        li.appendChild(document.createElement("h2")).appendChild(a);
        li.appendChild(ex[0]);
      });
    });
  }
  function clear() {
    seq++;
    hits = [];
    list.textContent = "";
    more.hidden = true;
    say("");
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run();
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 300);
  });
  more.addEventListener("click", function () {
    var first = list.children.length;
    show(seq).then(function () {
      var a = list.children[first] && list.children[first].querySelector("a");
      if (a) a.focus();
    });
  });
  /* Leaving (a result, quick exit, another tab's back button): nothing typed stays in the
     page the browser may keep for Back. */
  window.addEventListener("pagehide", function () {
    input.value = "";
    clear();
  });
})();
