// Hydration for a page that is read first (the park page; `app::ssr::hydrate_later` chooses): the
// app's code (~300 KB brotli) is kept off the page's first load. Without it the page is already
// whole: the server rendered its text, its links work as links, and `map.js` draws its map. The
// code is fetched once the page's maps are drawn (or have failed), when the browser is idle, at
// the latest 4 s after the page was parsed; or at once at the user's first touch, key or focus.
// Nothing the user does before the app runs is lost: a tap on a button is held (the button shown
// busy) and replayed once the page has hydrated, and a field typed in or a choice made keeps its
// value and is announced to the app (`input`, `change`). If the app cannot start (its code fails
// to load, or the page is not hydrated within 20 s of its code running), the script gives up:
// it stops holding taps, and the page works as plain HTML (links, and forms with an action).
// `<script defer src="/js/hydrate-later.js" data-js="…/parkgrid.js" data-wasm="…/parkgrid.wasm">`
(function () {
  "use strict";
  var me = document.currentScript || document.querySelector('script[src="/js/hydrate-later.js"]');
  if (!me) { return; }
  var js = me.dataset.js;
  var wasm = me.dataset.wasm;
  var started = false;
  var live = false;      // the app runs, or the script gave up: taps and edits are left alone
  var tapped = null;
  var edited = new Map();

  function busy(b, on) { if (on) { b.setAttribute("aria-busy", "true"); } else { b.removeAttribute("aria-busy"); } }

  // No app: the page stays plain HTML; nothing is held any more, nothing will be replayed.
  function giveUp(why) {
    if (live) { return; }
    live = true;
    if (tapped) { busy(tapped, false); }
    tapped = null;
    edited.clear();
    console.error("parkgrid: the app could not start; the page works without it", why);
  }

  // Resolves once the app has hydrated all of the page (`frontend::hydrate` marks the body);
  // rejects after `ms` without it (a panic in the wasm never reaches a promise).
  function hydrated(ms) {
    return new Promise(function (resolve, reject) {
      if (document.body.dataset.hydrated === "true") { resolve(); return; }
      var watch = new MutationObserver(function () {
        if (document.body.dataset.hydrated === "true") { watch.disconnect(); clearTimeout(late); resolve(); }
      });
      var late = setTimeout(function () { watch.disconnect(); reject(new Error("not hydrated")); }, ms);
      watch.observe(document.body, { attributes: true, attributeFilter: ["data-hydrated"] });
    });
  }

  // `el`, or the element that took its place when the page hydrated (a part of the page the
  // app renders again replaces its elements): the one element with the same test id, id or
  // name — none when several match (a list's rows share test ids).
  function current(el) {
    if (el.isConnected) { return el; }
    var d = el.dataset || {};
    var sel = d.testid ? '[data-testid="' + CSS.escape(d.testid) + '"]'
      : el.id ? "#" + CSS.escape(el.id)
      : el.name ? el.tagName.toLowerCase() + '[name="' + CSS.escape(el.name) + '"]' : null;
    if (!sel) { return null; }
    var found = document.querySelectorAll(sel);
    return found.length === 1 ? found[0] : null;
  }

  // What the user did before the app ran, done again now that it runs.
  function replay() {
    live = true;
    edited.forEach(function (value, was) {
      try {
        var el = current(was);
        if (!el) { return; }
        if (el.type === "checkbox" || el.type === "radio") { el.checked = value; } else { el.value = value; }
        el.dispatchEvent(new Event("input", { bubbles: true }));
        el.dispatchEvent(new Event("change", { bubbles: true }));
      } catch (e) {
        console.error("parkgrid: a field typed in before the app ran was not restored", e);
      }
    });
    edited.clear();
    var was = tapped;
    tapped = null;
    if (was) {
      busy(was, false);
      var b = current(was);
      if (b && !b.disabled) { b.click(); }
    }
  }

  // A hint for the browser, as Leptos's own hydration script gives in the page's head: fetch the
  // glue and the wasm side by side rather than one after the other.
  function hint(rel, href, as) {
    if (document.head.querySelector('link[rel="' + rel + '"][href="' + CSS.escape(href) + '"]')) { return; }
    var l = document.createElement("link");
    l.rel = rel;
    l.href = href;
    if (as) { l.as = as; l.type = "application/wasm"; l.crossOrigin = "anonymous"; }
    document.head.appendChild(l);
  }

  // Once only: a second `hydrate()` over the same page would attach every handler twice.
  function start() {
    if (started || live) { return; }
    started = true;
    hint("modulepreload", js);
    hint("preload", wasm, "fetch");
    import(js)
      .then(function (mod) {
        return mod.default({ module_or_path: wasm }).then(function () { mod.hydrate(); });
      })
      .then(function () { return hydrated(20000); })
      .then(replay, giveUp);
  }

  // Until the app runs: a tap on a button is kept rather than lost or, in a form, sent as a
  // plain form; links (a button inside a link too) are left to work as links.
  document.addEventListener("click", function (e) {
    if (live) { return; }
    var b = e.target && e.target.closest ? e.target.closest("button, input[type=submit], input[type=button]") : null;
    if (!b || b.closest("a[href]")) { return; }
    e.preventDefault();
    e.stopImmediatePropagation();
    if (tapped && tapped !== b) { busy(tapped, false); }
    tapped = b;
    busy(b, true);
    start();
  }, true);
  function remember(e) {
    if (live) { return; }
    var el = e.target;
    if (el && el.matches && el.matches("input:not([type=file]), select, textarea")) {
      edited.set(el, el.type === "checkbox" || el.type === "radio" ? el.checked : el.value);
    }
    start();
  }
  document.addEventListener("input", remember, true);
  document.addEventListener("change", remember, true);
  ["pointerdown", "keydown", "focusin"].forEach(function (type) {
    document.addEventListener(type, function () { if (!live) { start(); } }, { capture: true, passive: true });
  });

  // Otherwise: once the page's maps are drawn (`drawn()` waits for the page to be parsed), when
  // the browser is idle; at the latest 4 s after the page was parsed (a city's map on a slow
  // link; the tiles of a slow basemap do not hold it, as they would hold the `load` event).
  function whenIdle() {
    if ("requestIdleCallback" in window) { window.requestIdleCallback(start, { timeout: 500 }); } else { setTimeout(start, 0); }
  }
  function afterParse() {
    var maps = window.parkgridMap && window.parkgridMap.drawn ? window.parkgridMap.drawn() : Promise.resolve();
    maps.then(whenIdle, whenIdle);
    setTimeout(start, 4000);
  }
  afterParse();
})();
