// Hydration for a page that is read first (the park page; `app::shell` chooses): the app's code
// (~300 KB brotli) is kept off the page's first load. Without it the page is already whole: the
// server rendered its text, its links work as links, and `map.js` draws its map. The code is
// fetched once the page has loaded and its maps are drawn (or have failed), when the browser is
// idle; or at once at the user's first touch, key or focus. Nothing the user does before the
// app runs is lost: a tap on a button is replayed once the page has hydrated, and a field typed
// in or a choice made keeps its value and is announced to the app (`input`, `change`).
// `<script defer src="/js/hydrate-later.js" data-js="…/parkgrid.js" data-wasm="…/parkgrid.wasm">`
(function () {
  "use strict";
  var me = document.currentScript;
  var js = me.dataset.js;
  var wasm = me.dataset.wasm;
  var started = false;
  var live = false;
  var tapped = null;
  var edited = new Map();

  // Resolves once the app has hydrated all of the page (`frontend::hydrate` marks the body).
  function hydrated() {
    return new Promise(function (resolve) {
      if (document.body.dataset.hydrated === "true") { resolve(); return; }
      var watch = new MutationObserver(function () {
        if (document.body.dataset.hydrated === "true") { watch.disconnect(); resolve(); }
      });
      watch.observe(document.body, { attributes: true, attributeFilter: ["data-hydrated"] });
    });
  }

  // `el`, or the element that took its place when the page hydrated (a part of the page the
  // app renders again replaces its elements): the one with the same test id, id or name.
  function current(el) {
    if (el.isConnected) { return el; }
    var d = el.dataset || {};
    if (d.testid) { return document.querySelector('[data-testid="' + CSS.escape(d.testid) + '"]'); }
    if (el.id) { return document.getElementById(el.id); }
    if (el.name) { return document.querySelector(el.tagName + '[name="' + CSS.escape(el.name) + '"]'); }
    return null;
  }

  // What the user did before the app ran, done again now that it runs.
  function replay() {
    live = true;
    edited.forEach(function (value, was) {
      var el = current(was);
      if (!el) { return; }
      if (el.type === "checkbox" || el.type === "radio") { el.checked = value; } else { el.value = value; }
      el.dispatchEvent(new Event("input", { bubbles: true }));
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
    edited.clear();
    var was = tapped;
    tapped = null;
    if (was) {
      was.removeAttribute("aria-busy");
      var b = current(was);
      if (b && !b.disabled) { b.click(); }
    }
  }

  // A hint for the browser, as Leptos's own hydration script gives in the page's head: fetch the
  // glue and the wasm side by side rather than one after the other.
  function hint(rel, href, as) {
    if (document.head.querySelector('link[rel="' + rel + '"][href="' + href + '"]')) { return; }
    var l = document.createElement("link");
    l.rel = rel;
    l.href = href;
    if (as) { l.as = as; l.type = "application/wasm"; l.crossOrigin = "anonymous"; }
    document.head.appendChild(l);
  }

  function start() {
    if (started) { return; }
    started = true;
    hint("modulepreload", js);
    hint("preload", wasm, "fetch");
    import(js)
      .then(function (mod) {
        return mod.default({ module_or_path: wasm }).then(function () { mod.hydrate(); });
      })
      .then(hydrated)
      .then(replay)
      .catch(function (e) {
        // Offline, say: the page stays readable, and the next touch tries again.
        started = false;
        console.error("parkgrid: the app's code could not be loaded", e);
      });
  }

  // Until the app runs: a tap on a button is kept (and the button shown busy) rather than lost
  // or, in a form, sent as a plain form; links are left to work as links.
  document.addEventListener("click", function (e) {
    if (live) { return; }
    var b = e.target && e.target.closest ? e.target.closest("button, input[type=submit], input[type=button]") : null;
    if (!b) { return; }
    e.preventDefault();
    tapped = b;
    b.setAttribute("aria-busy", "true");
    start();
  }, true);
  function remember(e) {
    if (live) { return; }
    var el = e.target;
    if (el && "value" in el && el.matches && el.matches("input, select, textarea")) {
      edited.set(el, el.type === "checkbox" || el.type === "radio" ? el.checked : el.value);
    }
    start();
  }
  document.addEventListener("input", remember, true);
  document.addEventListener("change", remember, true);
  ["pointerdown", "keydown", "focusin"].forEach(function (type) {
    document.addEventListener(type, function () { if (!live) { start(); } }, { capture: true, passive: true });
  });

  // Otherwise: once the page has loaded and its maps are drawn, when the browser is idle; at
  // the latest 3 s after the page has loaded (a city's map on a slow link).
  function whenIdle() {
    if ("requestIdleCallback" in window) { window.requestIdleCallback(start, { timeout: 500 }); } else { setTimeout(start, 0); }
  }
  function afterLoad() {
    var maps = window.parkgridMap && window.parkgridMap.drawn ? window.parkgridMap.drawn() : Promise.resolve();
    maps.then(whenIdle, whenIdle);
    setTimeout(start, 3000);
  }
  if (document.readyState === "complete") { afterLoad(); } else { window.addEventListener("load", afterLoad); }
})();
