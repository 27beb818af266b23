// The park's public page (`/public/{code}`, issue 15): draws the grids of the page's JSON
// block (`#pub-data`, written by the server) with Leaflet on a plain background — no tiles —
// and shows a grid's code, enterprises, workers and contacts when it is tapped. Everything it
// shows is in the page already (the list under the map); it decides nothing.
(function () {
  "use strict";
  var COLORS = ["#0f5e9c", "#d9480f", "#2b8a3e", "#862e9c", "#c2255c", "#1098ad",
                "#e67700", "#5c940d", "#364fc7", "#a61e4d", "#0b7285", "#5f3dc4"];

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function tel(phone) {
    return "tel:" + String(phone).replace(/[^0-9+]/g, "");
  }

  function popup(g, data) {
    var t = data.texts;
    var lines = ["<b>" + esc(t.grid) + " " + esc(g.code) + "</b> · " + esc(g.enterprise_count) + " " + esc(t.enterprises)];
    if (!g.workers.length) { lines.push(esc(t.no_worker)); }
    g.workers.forEach(function (w) {
      var line = w.name ? esc(t.worker) + " " + esc(w.name) : esc(t.name_hidden);
      if (w.phone) {
        line += ' <a href="' + esc(tel(w.phone)) + '">' + esc(w.phone) + "</a>";
      } else if (data.hotline) {
        line += ' <a href="' + esc(tel(data.hotline)) + '">' + esc(t.call_hotline) + "</a>";
      }
      lines.push(line);
    });
    return lines.join("<br>");
  }

  function start() {
    var el = document.getElementById("pub-map");
    var block = document.getElementById("pub-data");
    if (!el || !block || !window.L) { return; }
    var data = JSON.parse(block.textContent);
    var map = L.map(el, { zoomSnap: 0.25, attributionControl: false });
    var park = data.boundary ? L.geoJSON(data.boundary, {
      style: { color: "#64748b", weight: 1, dashArray: "4 3", fillColor: "#e2e8f0", fillOpacity: 0.5 }, interactive: false
    }).addTo(map) : null;
    var grids = L.featureGroup();
    data.grids.forEach(function (g, i) {
      var color = COLORS[i % COLORS.length];
      L.geoJSON(g.geometry, { style: { color: color, weight: 2, fillColor: color, fillOpacity: 0.15, className: "pg-grid" } })
        .bindPopup(popup(g, data))
        .bindTooltip(esc(g.code), { sticky: true })
        .addTo(grids);
    });
    grids.addTo(map);
    var bounds = grids.getLayers().length ? grids.getBounds() : (park ? park.getBounds() : null);
    // Fit once the element has a size, and keep the map's size in step with it.
    var fitted = false;
    function fit() {
      map.invalidateSize();
      if (!fitted) {
        fitted = true;
        if (bounds && bounds.isValid()) { map.fitBounds(bounds, { padding: [6, 6] }); } else { map.setView([0, 0], 2); }
        el.dataset.grids = String(data.grids.length);
        el.dataset.ready = "true";
      }
    }
    if (window.ResizeObserver) {
      new ResizeObserver(function () { if (el.clientWidth > 0 && el.clientHeight > 0) { fit(); } }).observe(el);
    } else {
      fit();
    }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
