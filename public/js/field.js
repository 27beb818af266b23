// parkgrid's field app storage and sync: the phone's side of `POST /api/v1/sync`.
//
// Everything the worker records goes first into an IndexedDB outbox (with its photos as
// blobs), keyed by a UUID v7 made here; sync sends the pending records in the order they were
// made, marks each by its receipt (synced / rejected with the reason), then uploads the photos
// of synced records in chunks, resuming where the server stopped. Nothing leaves the outbox
// unless the server answered for it. The Leptos page (app/src/pages/field.rs) renders the
// state this module reports; it never touches IndexedDB itself.
(function () {
  "use strict";
  var DB_NAME = "parkgrid-field";
  var PHOTO_TARGET = 300 * 1024; // bytes: photos are shrunk to about this before storage
  var CHUNK = 256 * 1024;
  var dbPromise = null;
  var syncing = null;
  var status = { auth: null, error: null, last_sync: null };

  function open() {
    if (!dbPromise) {
      dbPromise = idb.openDB(DB_NAME, 1, {
        upgrade: function (db) {
          db.createObjectStore("kv");
          db.createObjectStore("outbox", { keyPath: "id" });
        }
      });
    }
    return dbPromise;
  }

  function hex(bytes) {
    return Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
  }

  // RFC 9562 UUID version 7: 48 bits of Unix milliseconds, then random bits.
  function uuid7() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    var ts = Date.now();
    for (var i = 5; i >= 0; i--) { b[i] = ts % 256; ts = Math.floor(ts / 256); }
    b[6] = (b[6] & 0x0f) | 0x70;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = hex(b);
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function emit() {
    window.dispatchEvent(new CustomEvent("parkgrid-field"));
  }

  // A JPEG of about PHOTO_TARGET bytes or less: scaled down and recompressed as needed.
  async function shrink(file) {
    var bitmap = await createImageBitmap(file);
    var side = 1600, quality = 0.82, blob = null;
    for (var round = 0; round < 10; round++) {
      var scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      blob = await new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", quality); });
      if (blob && blob.size <= PHOTO_TARGET) { break; }
      if (quality > 0.55) { quality -= 0.12; } else { side = Math.round(side * 0.75); }
    }
    if (bitmap.close) { bitmap.close(); }
    return blob;
  }

  // The phone's position, or null (no permission, no fix within 10 s).
  function fix() {
    return new Promise(function (resolve) {
      if (!navigator.geolocation) { resolve(null); return; }
      navigator.geolocation.getCurrentPosition(function (p) {
        resolve(JSON.stringify({ lon: p.coords.longitude, lat: p.coords.latitude, accuracy_m: p.coords.accuracy }));
      }, function () { resolve(null); }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
    });
  }

  function local(iso) {
    var d = new Date(iso);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + " " + two(d.getHours()) + ":" + two(d.getMinutes());
  }

  function summary(r) {
    var photos = r.photos || [];
    return {
      id: r.id, kind: r.record.type, title: r.title, status: r.status, reason: r.reason || null,
      created_at: local(r.created_at), photos: photos.length,
      photos_uploaded: photos.filter(function (p) { return p.uploaded; }).length
    };
  }

  async function state() {
    var db = await open();
    var data = await db.get("kv", "data");
    var outbox = (await db.getAll("outbox")).sort(function (a, b) { return a.created_at < b.created_at ? 1 : -1; });
    return JSON.stringify({
      data: data || null,
      outbox: outbox.map(summary),
      pending: outbox.filter(function (r) { return r.status === "pending"; }).length,
      online: navigator.onLine,
      syncing: syncing !== null,
      auth: status.auth,
      error: status.error,
      last_sync: status.last_sync
    });
  }

  // Fetches the worker's grid data; keeps the last copy when offline.
  async function refresh() {
    try {
      var res = await fetch("/api/v1/my/field", { credentials: "same-origin", headers: { accept: "application/json" } });
      if (res.status === 401) { status.auth = false; return; }
      if (!res.ok) { status.error = "http_" + res.status; return; }
      status.auth = true;
      var db = await open();
      await db.put("kv", await res.json(), "data");
    } catch (e) {
      // Offline: the stored copy stands.
    }
  }

  // Stores a record (JSON text) with the photos chosen in the given file inputs.
  async function add(recordJson, title, inputs) {
    var record = JSON.parse(recordJson);
    var photos = [];
    var position = record.fix || null;
    for (var i = 0; i < (inputs || []).length; i++) {
      var files = inputs[i] && inputs[i].files ? Array.prototype.slice.call(inputs[i].files) : [];
      for (var j = 0; j < files.length; j++) {
        var blob = await shrink(files[j]);
        if (!blob) { continue; }
        var taken = files[j].lastModified ? new Date(files[j].lastModified) : new Date();
        if (taken > new Date()) { taken = new Date(); }
        photos.push({ id: uuid7(), blob: blob, size: blob.size, content_type: "image/jpeg", taken_at: taken.toISOString(), uploaded: false });
      }
    }
    if (photos.length) {
      record.photos = photos.map(function (p) {
        return { id: p.id, content_type: p.content_type, size: p.size, taken_at: p.taken_at, fix: position };
      });
    }
    var db = await open();
    await db.put("outbox", { id: record.id, record: record, title: title, status: "pending", reason: null, created_at: new Date().toISOString(), photos: photos });
    emit();
    if (navigator.onLine) { sync(); }
    return state();
  }

  async function upload(photo) {
    var url = "/api/v1/photos/" + photo.id;
    var head = await fetch(url, { method: "HEAD", credentials: "same-origin" });
    if (!head.ok) { throw new Error("photo " + photo.id + ": HTTP " + head.status); }
    var offset = Number(head.headers.get("upload-offset") || "0");
    while (offset < photo.size) {
      var end = Math.min(photo.size, offset + CHUNK);
      var res = await fetch(url, { method: "PUT", credentials: "same-origin", headers: { "upload-offset": String(offset) }, body: photo.blob.slice(offset, end) });
      if (res.status === 409) { // the server holds a different amount: ask where to resume
        var again = await fetch(url, { method: "HEAD", credentials: "same-origin" });
        offset = Number(again.headers.get("upload-offset") || "0");
        continue;
      }
      if (!res.ok) { throw new Error("photo " + photo.id + ": HTTP " + res.status); }
      offset = (await res.json()).received;
    }
  }

  // Sends what is pending, then the photos of synced records, then refreshes the grid data.
  function sync() {
    if (syncing) { return syncing; }
    syncing = (async function () {
      emit();
      var db = await open();
      var pending = (await db.getAll("outbox")).filter(function (r) { return r.status === "pending"; })
        .sort(function (a, b) { return a.created_at < b.created_at ? -1 : 1; });
      if (pending.length) {
        var res = await fetch("/api/v1/sync", {
          method: "POST", credentials: "same-origin", headers: { "content-type": "application/json" },
          body: JSON.stringify({ records: pending.map(function (r) { return r.record; }) })
        });
        if (res.status === 401) { status.auth = false; throw new Error("unauthenticated"); }
        if (!res.ok) { throw new Error("HTTP " + res.status); }
        var reply = await res.json();
        var tx = db.transaction("outbox", "readwrite");
        for (var i = 0; i < reply.receipts.length; i++) {
          var rc = reply.receipts[i];
          var r = await tx.store.get(rc.id);
          if (!r) { continue; }
          r.status = rc.status === "rejected" ? "rejected" : "synced";
          r.reason = rc.reason || null;
          await tx.store.put(r);
        }
        await tx.done;
      }
      var all = await db.getAll("outbox");
      for (var k = 0; k < all.length; k++) {
        var rec = all[k];
        if (rec.status !== "synced") { continue; }
        for (var p = 0; p < (rec.photos || []).length; p++) {
          var photo = rec.photos[p];
          if (photo.uploaded) { continue; }
          await upload(photo);
          photo.uploaded = true;
          photo.blob = null; // the server has it
          await db.put("outbox", rec);
          emit();
        }
      }
      status.error = null;
      status.last_sync = new Date().toISOString();
      await refresh();
    })().catch(function (e) {
      status.error = navigator.onLine ? String(e && e.message || e) : null;
    }).finally(function () {
      syncing = null;
      emit();
    });
    return syncing;
  }

  var started = false;
  // Called once by the page: keep the data, ask the browser not to evict it, sync now and
  // whenever the network comes back.
  async function init() {
    if (!started) {
      started = true;
      if (navigator.storage && navigator.storage.persist) { navigator.storage.persist().catch(function () {}); }
      window.addEventListener("online", function () { sync(); });
      window.addEventListener("offline", emit);
      if ("serviceWorker" in navigator) { navigator.serviceWorker.register("/sw.js").catch(function () {}); }
    }
    await open();
    if (navigator.onLine) { await sync(); }
    return state();
  }

  window.parkgridField = { init: init, state: state, add: add, sync: sync, fix: fix, uuid7: uuid7, now: function () { return new Date().toISOString(); } };
})();
