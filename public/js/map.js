// parkgrid's map glue: draws a MapView (the JSON of `api::MapView`) with Leaflet.
// No tiles are needed: the park, its grids and its enterprises are vectors.
(function () {
  "use strict";
  var COLORS = ["#0f5e9c", "#d9480f", "#2b8a3e", "#862e9c", "#c2255c", "#1098ad",
                "#e67700", "#5c940d", "#364fc7", "#a61e4d", "#0b7285", "#5f3dc4"];

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // The basemap the server offers (`GET /api/v1/basemap`), asked once per page: a configured
  // XYZ URL, else the server's own raster PMTiles tiles. None by default: the grids and the
  // enterprises are vectors and need no tiles. (A vector archive is served for caching but
  // not drawn: Leaflet has no vector-tile renderer.)
  var basemap = null;
  function addBasemap(map) {
    if (!basemap) {
      basemap = fetch("/api/v1/basemap", { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : {}; }).catch(function () { return {}; });
    }
    basemap.then(function (b) {
      if (!b.url && b.local && b.local.kind === "vector") {
        // A vector archive is drawn in the browser (protomaps-leaflet, loaded only when one is
        // configured): labels in Chinese, no glyph or style server, so it works offline too.
        loadScript("/vendor/protomaps-leaflet/protomaps-leaflet.js").then(function () {
          var layer = window.protomapsL.leafletLayer({
            url: b.local.url, flavor: "light", lang: "zh", maxDataZoom: b.local.max_zoom, attribution: esc(b.attribution || "")
          });
          layer.addTo(map);
          if (layer.bringToBack) { layer.bringToBack(); }
          map.getContainer().dataset.basemap = "vector";
        }).catch(function () {});
        return;
      }
      var url = b.url || (b.local && b.local.kind === "raster" ? b.local.url : null);
      if (!url) { return; }
      var opts = { attribution: esc(b.attribution || ""), maxNativeZoom: b.local ? b.local.max_zoom : 18, maxZoom: 20 };
      L.tileLayer(url, opts).addTo(map).bringToBack();
    });
  }

  // A fresh Leaflet map in `el` (replacing any earlier one) with the data's attribution.
  function mount(el, attribution) {
    if (el._parkgridMap) { el._parkgridMap.remove(); }
    var map = L.map(el, { zoomSnap: 0.25 });
    el._parkgridMap = map;
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(esc(attribution));
    addBasemap(map);
    return map;
  }

  // Fits `bounds` and sets the element's data attributes (`data-ready` last). The element may
  // not be laid out yet (a page rendered on the client): fit once it has a size, and keep the
  // map's size in step when it is resized.
  function fitWhenSized(el, map, bounds, data) {
    function fit() {
      map.invalidateSize();
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [6, 6] }); } else { map.setView([0, 0], 2); }
      Object.keys(data).forEach(function (k) { el.dataset[k] = String(data[k]); });
      el.dataset.ready = "true";
    }
    if (el._parkgridResize) { el._parkgridResize.disconnect(); }
    var fitted = false;
    el._parkgridResize = new ResizeObserver(function () {
      if (el.clientWidth > 0 && el.clientHeight > 0) {
        if (!fitted) { fitted = true; fit(); } else { map.invalidateSize(); }
      }
    });
    el._parkgridResize.observe(el);
  }

  function render(el, json, attribution) {
    var view = JSON.parse(json);
    var map = mount(el, attribution);

    var park = L.geoJSON(view.park_boundary, {
      style: { color: "#64748b", weight: 1, dashArray: "4 3", fillColor: "#e2e8f0", fillOpacity: 0.5 }
    }).addTo(map);

    var colorOf = {};
    var grids = L.featureGroup();
    view.grids.forEach(function (g, i) {
      var color = COLORS[i % COLORS.length];
      colorOf[g.code] = color;
      L.geoJSON(g.geometry, {
        style: { color: color, weight: 2, fillColor: color, fillOpacity: 0.1, className: "pg-grid" }
      }).bindTooltip(esc(g.code) + " · " + g.enterprise_count, { sticky: true }).addTo(grids);
    });
    grids.addTo(map);

    var points = L.featureGroup();
    view.enterprises.forEach(function (e) {
      L.circleMarker([e.lat, e.lon], {
        radius: 5, color: "#ffffff", weight: 1, fillColor: colorOf[e.grid_code] || "#334155",
        fillOpacity: 0.95, className: "pg-enterprise"
      }).bindPopup("<b>" + esc(e.name) + "</b><br>" + esc(e.address) + "<br><small>" + esc(e.grid_code) + "</small>")
        .addTo(points);
    });
    points.addTo(map);

    var bounds = grids.getLayers().length ? grids.getBounds() : park.getBounds();
    fitWhenSized(el, map, bounds, { grids: view.grids.length, enterprises: view.enterprises.length });
  }

  // The text of `url`, or a failure carrying the HTTP status (`status`; 0 for the network).
  function fetchText(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { var e = new Error("HTTP " + r.status); e.status = r.status; throw e; }
      return r.text();
    }, function (e) { e.status = 0; throw e; });
  }

  // What a map whose data could not be fetched says, from the element's texts (`ParkMap`
  // writes them in the page's language): signed out (401), a plan gone or not the user's
  // (403, 404), or the network and anything else.
  function failureText(el, status) {
    if (status === 401 && el.dataset.signedOutText) { return el.dataset.signedOutText; }
    if ((status === 403 || status === 404) && el.dataset.goneText) { return el.dataset.goneText; }
    return el.dataset.failedText || "";
  }

  // Fetches a MapView from `url` (the park page's map: `GET /api/v1/park`) and draws it with
  // the element's `data-attribution`; on a failure the map says why (`failureText`). Once per
  // element and URL; only the last fetch started for an element draws. The promise settles
  // once the map is drawn or has failed.
  function renderUrl(el, url) {
    if (el._parkgridUrl === url) { return el._parkgridDrawn; }
    el._parkgridUrl = url;
    var token = {};
    el._parkgridLoad = token;
    delete el.dataset.failed;
    // (Not `isConnected`: while the page's Suspense settles, Leptos takes the element off the
    // page and puts it back.)
    el._parkgridDrawn = fetchText(url).then(function (json) {
      if (el._parkgridLoad === token) { render(el, json, el.dataset.attribution || ""); }
    }).catch(function (e) {
      if (el._parkgridLoad !== token) { return; }
      if (el._parkgridMap) { el._parkgridMap.remove(); el._parkgridMap = null; }
      el.textContent = failureText(el, e && e.status);
      el.dataset.failed = "true";
    });
    return el._parkgridDrawn;
  }

  // A map the server rendered with its data's URL (`.map[data-src]`, the park page's) is
  // fetched and drawn as soon as the page is parsed: it needs none of the app's code, which
  // a read-first page loads only after (`public/js/hydrate-later.js`). Once the app runs,
  // `renderUrl` finds it drawn. `drawn()`: settles when every such map is drawn or failed.
  var early = [];
  function drawEarly() {
    document.querySelectorAll(".map[data-src]").forEach(function (el) {
      early.push(renderUrl(el, el.dataset.src));
    });
  }
  var parsed = document.readyState === "loading"
    ? new Promise(function (resolve) { document.addEventListener("DOMContentLoaded", function () { drawEarly(); resolve(); }); })
    : Promise.resolve(drawEarly());
  function drawn() { return parsed.then(function () { return Promise.all(early); }); }

  // The field app's map: the worker's grids, their enterprises coloured by where they stand in
  // the visiting round, and open findings (red when overdue). `json` is `api::FieldData`.
  /** Red (0) through amber to green (1); grey where the figure does not apply. */
  function shade(v) {
    if (v == null) { return "#adb5bd"; }
    var stops = [[0, [224, 49, 49]], [0.6, [245, 159, 0]], [0.8, [250, 210, 80]], [1, [47, 158, 68]]];
    for (var i = 1; i < stops.length; i++) {
      if (v <= stops[i][0]) {
        var a = stops[i - 1], b = stops[i], t = (v - a[0]) / (b[0] - a[0]);
        var c = a[1].map(function (x, k) { return Math.round(x + (b[1][k] - x) * t); });
        return "rgb(" + c.join(",") + ")";
      }
    }
    return "rgb(47,158,68)";
  }

  function renderFigures(el, json) {
    var data = JSON.parse(json);
    var map = el._parkgridMap;
    if (!map) { map = mount(el, ""); }
    if (el._pgLayers) { el._pgLayers.forEach(function (l) { map.removeLayer(l); }); }
    var park = L.geoJSON(JSON.parse(data.park_boundary), {
      style: { color: "#64748b", weight: 1, dashArray: "4 3", fillColor: "#f1f5f9", fillOpacity: 0.4 }
    }).addTo(map);
    var grids = L.featureGroup();
    data.grids.forEach(function (g) {
      var html = "<b>" + esc(g.code) + "</b><table class=\"pg-figures\">" + g.lines.map(function (l) {
        return "<tr><th>" + esc(l[0]) + "</th><td>" + esc(l[1]) + "</td></tr>";
      }).join("") + "</table>";
      L.geoJSON(JSON.parse(g.geometry), {
        style: { color: "#334155", weight: 1, fillColor: shade(g.value), fillOpacity: 0.7, className: "pg-grid pg-grid-" + g.code }
      }).bindTooltip(esc(g.code), { sticky: true }).bindPopup(html).on("click", function () {
        el.dataset.selected = g.code;
      }).addTo(grids);
    });
    grids.addTo(map);
    el._pgLayers = [park, grids];
    if (!el._pgFitted) {
      el._pgFitted = true;
      var bounds = grids.getLayers().length ? grids.getBounds() : park.getBounds();
      fitWhenSized(el, map, bounds, { grids: data.grids.length });
    } else {
      el.dataset.grids = String(data.grids.length);
    }
  }

  var VISIT = { never_visited: "#f59f00", due: "#1c7ed6", overdue: "#e03131", visited: "#2f9e44" };
  function renderField(el, json, attribution) {
    var data = JSON.parse(json);
    var map = mount(el, attribution);
    var grids = L.featureGroup();
    (data.grids || []).forEach(function (g) {
      L.geoJSON(g.geometry, { style: { color: "#0f5e9c", weight: 2, fillColor: "#0f5e9c", fillOpacity: 0.06, className: "pg-grid" } })
        .bindTooltip(esc(g.code)).addTo(grids);
    });
    grids.addTo(map);
    var points = L.featureGroup();
    data.enterprises.forEach(function (e) {
      L.circleMarker([e.lat, e.lon], {
        radius: 6, color: "#ffffff", weight: 1, fillColor: VISIT[e.visit.status] || "#334155", fillOpacity: 0.95,
        className: "pg-enterprise pg-" + e.visit.status
      }).bindPopup("<b>" + esc(e.name) + "</b><br>" + esc(e.address)).addTo(points);
    });
    data.open_findings.forEach(function (f) {
      L.circleMarker([f.lat, f.lon], {
        radius: 9, color: f.overdue ? "#e03131" : "#e67700", weight: 3, fill: false, className: "pg-finding"
      }).bindPopup(esc(f.description) + "<br><small>" + esc(f.deadline.slice(0, 10)) + "</small>").addTo(points);
    });
    points.addTo(map);
    var bounds = grids.getLayers().length ? grids.getBounds() : points.getBounds();
    fitWhenSized(el, map, bounds, { enterprises: data.enterprises.length });
  }

  // Loads a script once (pages that need more than every page does, e.g. the plan editor).
  var loading = {};
  function loadScript(src) {
    if (!loading[src]) {
      loading[src] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = src;
        s.onload = function () { resolve(true); };
        s.onerror = function () { delete loading[src]; reject(new Error("could not load " + src)); };
        document.head.appendChild(s);
      });
    }
    return loading[src];
  }

  // The file chosen in a file input, as base64 (the registry import sends it to the server).
  function readFileBase64(input) {
    return new Promise(function (resolve, reject) {
      var f = input.files && input.files[0];
      if (!f) { reject(new Error("no file")); return; }
      var r = new FileReader();
      r.onload = function () { var s = String(r.result); resolve(s.slice(s.indexOf(",") + 1)); };
      r.onerror = function () { reject(r.error); };
      r.readAsDataURL(f);
    });
  }

  // The text of the file chosen in `input` (UTF-8), e.g. a GeoJSON boundary.
  function readFileText(input) {
    var f = input.files && input.files[0];
    return f ? f.text() : Promise.reject(new Error("no file"));
  }

  window.parkgridMap = {
    renderFigures: renderFigures,
    render: render, renderUrl: renderUrl, drawn: drawn, renderField: renderField, loadScript: loadScript, readFileBase64: readFileBase64, readFileText: readFileText, addBasemap: addBasemap,
    COLORS: COLORS, esc: esc
  };
})();
