// parkgrid's service worker: keeps the app shell so that the field app opens and navigates
// with the network off after one online visit.
//
// Static files and the field app's shell (/field, which holds nothing personal): network first
// (always fresh when online), the cached copy when the network fails. Pages the server renders
// for a session (they hold personal data) and the API are never cached: on a shared phone the
// next user must not read them. Offline, any page opens the field app, which keeps its data in
// IndexedDB (public/js/field.js) and its records in an outbox until the server has them.
"use strict";
// Also named in field.js (KEPT_CACHES): a cache not named there is deleted at sign-out.
const CACHE = "parkgrid-shell-v4";
// Basemap tiles (`/tiles/z/x/y` from the server's PMTiles archive): cache first, kept apart
// from the shell so that a new shell version does not throw them away.
const TILES = "parkgrid-tiles-v1";
const SHELL = [
  "/field",
  // The field app's own bundle (the fieldapp crate); the managers' pages are cached as visited.
  "/pkg/fieldapp.js",
  "/pkg/fieldapp_bg.wasm",
  "/pkg/parkgrid.css",
  "/vendor/leaflet/leaflet.js",
  "/vendor/leaflet/leaflet.css",
  "/vendor/idb/idb.js",
  "/js/map.js",
  "/js/field.js",
  "/js/field-start.js",
  "/favicon.svg",
  "/manifest.webmanifest",
  "/icons/icon-192.png"
];

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // One by one: a file that fails does not stop the rest. Only what came as asked: /field
    // answers a redirect to sign-in without a session, which must never stand in for it.
    await Promise.all(SHELL.map(async (url) => {
      try {
        const res = await fetch(new Request(url, { credentials: "same-origin" }));
        if (res.ok && !res.redirected) { await cache.put(url, res); }
      } catch (offline) { /* kept from the next visit */ }
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key !== CACHE && key !== TILES) { await caches.delete(key); }
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) { return; }
  const cacheable = url.pathname === "/field" || SHELL.includes(url.pathname) ||
    ["/pkg/", "/vendor/", "/js/", "/icons/"].some((p) => url.pathname.startsWith(p));
  if (url.pathname.startsWith("/tiles/")) {
    event.respondWith((async () => {
      const cache = await caches.open(TILES);
      const hit = await cache.match(req);
      if (hit) { return hit; }
      const res = await fetch(req);
      if (res.ok) { cache.put(req, res.clone()); }
      return res;
    })());
    return;
  }
  if (!cacheable) {
    // Network only; offline, a page opens the field app's shell.
    if (req.mode === "navigate") {
      event.respondWith(fetch(req).catch(async () => (await caches.match("/field")) || Response.error()));
    }
    return;
  }
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const res = await fetch(req);
      if (res.ok && res.type === "basic" && !res.redirected) { cache.put(req, res.clone()); }
      return res;
    } catch (offline) {
      const hit = await cache.match(req, { ignoreSearch: true });
      if (hit) { return hit; }
      if (req.mode === "navigate") {
        const shell = await cache.match("/field");
        if (shell) { return shell; }
      }
      return Response.error();
    }
  })());
});
