// parkgrid's field app storage and sync: the phone's side of `POST /api/v1/sync`.
//
// Everything the worker records goes first into an IndexedDB outbox (with its photos as
// blobs), keyed by a UUID v7 made here and tagged with its author (the user signed in when it
// was made); sync sends the signed-in user's pending records, in the order they were made, in
// bounded batches, marks each by its receipt (synced; rejected with the reason; retry: kept
// pending and sent again later), then uploads the photos of synced records in chunks,
// resuming where the server stopped. Nothing leaves the outbox unless the server answered for
// it. On a shared phone, one worker's records wait, unseen by the others, until their author
// signs in again. The field app (the fieldapp crate) renders the state this module reports;
// it never touches IndexedDB itself.
(function () {
  "use strict";
  var DB_NAME = "parkgrid-field";
  var PHOTO_TARGET = 300 * 1024; // bytes: photos are shrunk to about this before storage
  var CHUNK = 256 * 1024;
  // One sync request carries at most this many records and about this many bytes of JSON
  // (the server takes 1,000 records and 2 MB).
  var BATCH_RECORDS = 200;
  var BATCH_BYTES = 1024 * 1024;
  // A record answered `retry` is sent again after 1, 2, 4 … minutes, at most every 6 hours
  // (a sync the worker asks for sends it at once).
  var RETRY_MAX_MINUTES = 360;
  // The service worker's caches (public/sw.js), which hold nothing personal.
  var KEPT_CACHES = ["parkgrid-shell-v4", "parkgrid-tiles-v1"];
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
      rejection: r.rejection || null,
      created_at: local(r.created_at), photos: photos.length,
      photos_uploaded: photos.filter(function (p) { return p.uploaded; }).length,
      case_id: r.record.case_id || null
    };
  }

  // The user this phone last knew to be signed in ({id, login}), or null.
  async function me() {
    return (await (await open()).get("kv", "me")) || null;
  }

  // Whether an outbox record belongs to `user` (records from before authors were kept go to
  // the first user who syncs after the update).
  function mine(r, user) {
    return user !== null && (r.author === user.id || r.author === undefined || r.author === null);
  }

  // The park's notices this phone's user has opened (their ids), kept per user so that each
  // worker of a shared phone sees their own unread ones.
  function readKey(user) { return "read:" + user.id; }

  async function markRead(id) {
    var user = await me();
    if (user === null) { return; }
    // Read and written in one transaction: two notices opened quickly both stay read.
    var tx = (await open()).transaction("kv", "readwrite");
    var ids = (await tx.store.get(readKey(user))) || [];
    if (ids.indexOf(id) < 0) { ids.push(id); await tx.store.put(ids, readKey(user)); }
    await tx.done;
    emit();
  }

  async function state() {
    var db = await open();
    var data = await db.get("kv", "data");
    var user = await me();
    var read = user === null ? [] : ((await db.get("kv", readKey(user))) || []);
    var all = await db.getAll("outbox");
    var outbox = all.filter(function (r) { return mine(r, user); })
      .sort(function (a, b) { return a.created_at < b.created_at ? 1 : -1; });
    return JSON.stringify({
      data: data || null,
      outbox: outbox.map(summary),
      pending: outbox.filter(function (r) { return r.status === "pending"; }).length,
      // Another worker's unsent records on this phone: counted, never shown.
      others_pending: all.filter(function (r) { return !mine(r, user) && r.status === "pending"; }).length,
      online: navigator.onLine,
      syncing: syncing !== null,
      auth: status.auth,
      error: status.error,
      last_sync: status.last_sync,
      read_notices: read
    });
  }

  // Asks the server who is signed in; remembers it. Returns the user, or null when nobody is
  // (and then forgets the last user's grid data). Throws when the server cannot be reached.
  async function whoami() {
    var res = await fetch("/api/v1/me", { credentials: "same-origin", headers: { accept: "application/json" } });
    var db = await open();
    if (res.status === 401) {
      status.auth = false;
      await forget();
      return null;
    }
    if (!res.ok) { throw new Error("HTTP " + res.status); }
    var body = await res.json();
    var user = { id: body.id, login: body.login };
    var before = await me();
    if (before && before.id !== user.id) { await db.delete("kv", "data"); }
    await db.put("kv", user, "me");
    status.auth = true;
    return user;
  }

  // Forgets what belongs to the last signed-in user and is safe on the server: their grid
  // data, their synced records whose photos are uploaded, the cached pages. Records not yet
  // on the server stay (tagged with their author) until their author signs in again.
  async function forget() {
    try {
      var db = await open();
      var user = await me();
      await db.delete("kv", "data");
      await db.delete("kv", "me");
      var all = await db.getAll("outbox");
      for (var i = 0; i < all.length; i++) {
        var r = all[i];
        // On the server, photos and all: nothing is lost by forgetting it here. (Rejected
        // records stay: the server never took them.)
        var done = r.status === "synced" && (r.photos || []).every(function (p) { return p.uploaded; });
        if (done && (user === null || mine(r, user))) { await db.delete("outbox", r.id); }
      }
      if (window.caches) {
        // The service worker (sw.js) keeps only these, which hold nothing personal; any other
        // cache (an older version kept pages as visited) goes.
        var keys = await caches.keys();
        for (var k = 0; k < keys.length; k++) {
          if (KEPT_CACHES.indexOf(keys[k]) < 0) { await caches.delete(keys[k]); }
        }
      }
      emit();
    } catch (e) {
      console.warn("parkgrid: could not clear the field data", e);
    }
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
  // The photos of the form being saved, made small, by id: `photos` fills it, `add` takes
  // from it the ones its record announces.
  var shots = {};

  // Makes the form's photos small and answers their metadata, one line each (`id TAB bytes
  // TAB taken-at`, all JPEG), for the page to put in the record and check it before anything
  // is stored.
  async function photos(inputs) {
    shots = {};
    var out = [];
    for (var i = 0; i < (inputs || []).length; i++) {
      var files = inputs[i] && inputs[i].files ? Array.prototype.slice.call(inputs[i].files) : [];
      for (var j = 0; j < files.length; j++) {
        var blob = await shrink(files[j]);
        // A photo the worker chose is never dropped silently: the save fails, the form stays.
        if (!blob) { throw new Error("photo " + files[j].name + " could not be read"); }
        var taken = files[j].lastModified ? new Date(files[j].lastModified) : new Date();
        if (taken > new Date()) { taken = new Date(); }
        var id = uuid7();
        shots[id] = blob;
        out.push(id + "\t" + blob.size + "\t" + taken.toISOString());
      }
    }
    return out.join("\n");
  }

  async function add(recordJson, title) {
    var record = JSON.parse(recordJson);
    var photos = (record.photos || []).map(function (p) {
      if (!shots[p.id]) { throw new Error("photo " + p.id + " was not prepared"); }
      return { id: p.id, blob: shots[p.id], size: p.size, content_type: p.content_type, taken_at: p.taken_at, uploaded: false };
    });
    shots = {};
    var db = await open();
    var user = await me();
    await db.put("outbox", {
      id: record.id, record: record, title: title, status: "pending", reason: null, rejection: null,
      author: user ? user.id : null, created_at: new Date().toISOString(), photos: photos, attempts: 0, next_try: null
    });
    emit();
    if (navigator.onLine) { sync(false); }
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

  // The pending records split into requests the server takes: at most BATCH_RECORDS records
  // and about `bytes` of JSON each (a single larger record goes alone).
  function batches(records, limit, bytes) {
    var out = [], current = [], size = 0;
    for (var i = 0; i < records.length; i++) {
      var n = JSON.stringify(records[i].record).length + 1;
      if (current.length && (current.length >= limit || size + n > bytes)) { out.push(current); current = []; size = 0; }
      current.push(records[i]);
      size += n;
    }
    if (current.length) { out.push(current); }
    return out;
  }

  // Sends one batch; marks each record by its receipt. Returns false when the server refused
  // the request as too large (the caller then sends smaller batches).
  async function send(db, user, batch) {
    var res = await fetch("/api/v1/sync", {
      method: "POST", credentials: "same-origin", headers: { "content-type": "application/json" },
      body: JSON.stringify({ author_id: user.id, records: batch.map(function (r) { return r.record; }) })
    });
    if (res.status === 413 || res.status === 422) { return false; }
    if (res.status === 401) { status.auth = false; throw new Error("unauthenticated"); }
    if (!res.ok) { throw new Error("HTTP " + res.status); }
    var reply = await res.json();
    var tx = db.transaction("outbox", "readwrite");
    for (var i = 0; i < reply.receipts.length; i++) {
      var rc = reply.receipts[i];
      var r = await tx.store.get(rc.id);
      if (!r) { continue; }
      r.reason = rc.reason || null;
      r.rejection = rc.rejection || null;
      if (rc.status === "retry") {
        r.attempts = (r.attempts || 0) + 1;
        var minutes = Math.min(RETRY_MAX_MINUTES, Math.pow(2, r.attempts - 1));
        r.next_try = new Date(Date.now() + minutes * 60000).toISOString();
      } else {
        r.status = rc.status === "rejected" ? "rejected" : "synced";
        r.next_try = null;
        // Answered for: it was this user's (a record from before authors were kept, too).
        r.author = user.id;
      }
      await tx.store.put(r);
    }
    await tx.done;
    return true;
  }

  // Sends the signed-in user's pending records, then the photos of their synced records, then
  // refreshes the grid data. `force`: also the records waiting to be retried.
  function sync(force) {
    if (syncing) { return syncing; }
    syncing = (async function () {
      emit();
      var db = await open();
      var user = await whoami();
      if (!user) { throw new Error("unauthenticated"); }
      var now = new Date().toISOString();
      var pending = (await db.getAll("outbox")).filter(function (r) {
        return r.status === "pending" && mine(r, user) && (force === true || !r.next_try || r.next_try <= now);
      }).sort(function (a, b) { return a.created_at < b.created_at ? -1 : 1; });
      var limit = BATCH_RECORDS, bytes = BATCH_BYTES;
      var queue = batches(pending, limit, bytes);
      while (queue.length) {
        var batch = queue.shift();
        if (await send(db, user, batch)) { emit(); continue; }
        if (batch.length === 1) {
          // One record the server will never take: keep it, say why.
          var r = await db.get("outbox", batch[0].id);
          r.status = "rejected";
          r.reason = "too large to send";
          r.rejection = { kind: "invalid", detail: "too large to send" };
          await db.put("outbox", r);
          continue;
        }
        limit = Math.max(1, Math.floor(batch.length / 2));
        bytes = Math.max(1024, Math.floor(bytes / 2));
        queue = batches(batch, limit, bytes).concat(queue);
      }
      var all = await db.getAll("outbox");
      for (var k = 0; k < all.length; k++) {
        var rec = all[k];
        if (rec.status !== "synced" || !mine(rec, user)) { continue; }
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
      status.error = navigator.onLine && status.auth !== false ? String(e && e.message || e) : null;
    }).finally(function () {
      syncing = null;
      emit();
    });
    return syncing;
  }

  // Signs out: forgets this user's data on the phone (their unsent records stay, for them),
  // ends the session on the server, and goes to the sign-in page.
  async function signOut() {
    await forget();
    try {
      await fetch("/api/v1/session", { method: "DELETE", credentials: "same-origin" });
    } catch (offline) {
      // The session ends on the server at its idle timeout; nothing personal is left here.
    }
    location.href = "/login";
  }

  var started = false;
  // Called once by the page: keep the data, ask the browser not to evict it, sync now and
  // whenever the network comes back.
  async function init() {
    if (!started) {
      started = true;
      if (navigator.storage && navigator.storage.persist) { navigator.storage.persist().catch(function () {}); }
      window.addEventListener("online", function () { sync(false); });
      // Records answered `retry` are sent again when their time comes.
      setInterval(function () { if (navigator.onLine) { sync(false); } }, 60000);
      window.addEventListener("offline", emit);
      if ("serviceWorker" in navigator) { navigator.serviceWorker.register("/sw.js").catch(function () {}); }
    }
    await open();
    if (navigator.onLine) { await sync(true); }
    return state();
  }

  window.parkgridField = {
    init: init, state: state, photos: photos, add: add, sync: function () { return sync(true); }, signOut: signOut, forget: forget, markRead: markRead,
    fix: fix, uuid7: uuid7, now: function () { return new Date().toISOString(); }
  };
})();
