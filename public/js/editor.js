// parkgrid's plan editor on the map (Leaflet only).
//
// It draws what the page gives it and reports what the manager does; it decides nothing.
// The Leptos page (app/src/pages/plan_editor.rs) owns the grids and the undo history, sends
// each edit to the server (`edit_plan`, which applies it with `partition::edit` and checks the
// cover) and calls `update` with the result, or with the previous grids when it was refused.
//
// Modes: "corner" — click a grid, drag one of its corners; a corner shared with neighbours
// moves for all of them (the drag is drawn live for every grid that has it). "redraw" — the
// same for one grid alone: its neighbours stay, the validator reports overlaps and gaps. "split" — click
// points of a line across a grid, double-click (or `finishSplit`) to cut. "draw" — click the
// corners of a new grid, double-click (or `finishSplit`) to add it. "merge" — click two
// neighbouring grids. "rebalance" — click grids to choose them. "view" — read-only (the plan
// comparison page): a click on an enterprise says which grid holds it; `ghost` outlines
// another plan's grids under the drawn ones.
// Events sent to `onEvent` (JSON text): an `api::EditOp` ({op: "move_vertex" |
// "move_own_vertex" | "split" | "merge", …}), {op: "selected", grid} (a grid clicked in corner
// or redraw mode) or {op: "selection", grids: [...]} (the grids chosen to rebalance).
(function () {
  "use strict";
  // map.js (loaded on every page) has the palette and the HTML escaping.
  var COLORS = window.parkgridMap.COLORS;
  var esc = window.parkgridMap.esc;
  // A grid keeps its colour across edits: it follows the code's serial number.
  function colorOf(code) {
    var m = /(\d+)$/.exec(code);
    return COLORS[(m ? parseInt(m[1], 10) : 0) % COLORS.length];
  }
  function key(lng, lat) { return lng + "," + lat; }

  // GeoJSON Polygon/MultiPolygon coordinates → Leaflet latlngs (rings without the closing point).
  function toLatLngs(geometry) {
    var polys = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    return polys.map(function (poly) {
      return poly.map(function (ring) {
        var r = ring.slice(0, ring.length > 1 ? ring.length - 1 : ring.length);
        return r.map(function (c) { return L.latLng(c[1], c[0]); });
      });
    });
  }
  function eachCorner(geometry, f) {
    var polys = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    polys.forEach(function (poly) { poly.forEach(function (ring) { ring.forEach(function (c) { f(c[0], c[1]); }); }); });
  }

  function mount(el, parkJson, attribution, textsJson, onEvent) {
    // A map mounted here before goes, with its resize observer: a removed map must never be
    // told to resize (Leaflet throws reading its panes).
    if (el._pgEditor) { el._pgEditor.resize.disconnect(); el._pgEditor.map.remove(); }
    var map = L.map(el, { zoomSnap: 0.25, doubleClickZoom: false, boxZoom: false });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(esc(attribution));
    if (window.parkgridMap && window.parkgridMap.addBasemap) { window.parkgridMap.addBasemap(map); }
    var park = L.geoJSON(JSON.parse(parkJson), {
      style: { color: "#64748b", weight: 1, dashArray: "4 3", fillColor: "#e2e8f0", fillOpacity: 0.4 }, interactive: false
    }).addTo(map);
    var st = {
      map: map, park: park, texts: JSON.parse(textsJson), onEvent: onEvent, mode: "corner",
      grids: [], enterprises: [], gridOf: [], moved: {}, flagged: {}, polys: {}, selected: null, first: null, chosen: [],
      gridLayer: L.featureGroup().addTo(map), pointLayer: L.featureGroup().addTo(map),
      ghostLayer: L.featureGroup().addTo(map), handleLayer: L.featureGroup().addTo(map), lineLayer: L.featureGroup().addTo(map), line: [], fitted: false
    };
    el._pgEditor = st;
    map.on("click", function (e) {
      if (st.mode !== "split" && st.mode !== "draw") { return; }
      var p = [e.latlng.lng, e.latlng.lat], last = st.line[st.line.length - 1];
      if (last && map.latLngToContainerPoint(L.latLng(last[1], last[0])).distanceTo(e.containerPoint) < 4) { return; }
      st.line.push(p);
      drawLine(st);
    });
    map.on("dblclick", function () { if (st.mode === "split" || st.mode === "draw") { finishSplit(el); } });
    st.resize = new ResizeObserver(function () {
      if (el._pgEditor !== st || el.clientWidth === 0 || el.clientHeight === 0) { return; }
      map.invalidateSize();
      fit(el);
    });
    st.resize.observe(el);
    return true;
  }

  function fit(el) {
    var st = el._pgEditor;
    if (!st || st.fitted || el.clientWidth === 0 || el.clientHeight === 0) { return; }
    var b = st.gridLayer.getLayers().length ? st.gridLayer.getBounds() : st.park.getBounds();
    if (b.isValid()) { st.map.fitBounds(b, { padding: [8, 8] }); st.fitted = true; }
  }

  function drawLine(st) {
    st.lineLayer.clearLayers();
    if (!st.line.length) { return; }
    var lls = st.line.map(function (p) { return L.latLng(p[1], p[0]); });
    if (st.mode === "draw" && lls.length > 2) {
      L.polygon(lls, { color: "#e03131", weight: 1, fillColor: "#e03131", fillOpacity: 0.12, interactive: false }).addTo(st.lineLayer);
    }
    L.polyline(lls, { color: "#e03131", weight: 3, dashArray: "6 4", interactive: false }).addTo(st.lineLayer);
    lls.forEach(function (ll) { L.circleMarker(ll, { radius: 4, color: "#e03131", fillOpacity: 1, interactive: false }).addTo(st.lineLayer); });
  }

  // A grid the validator flags (count outside 20–40, in pieces, overlapping…) is outlined in
  // red and dashed.
  function styleOf(st, code) {
    var c = colorOf(code);
    var chosen = st.selected === code || st.first === code || st.chosen.indexOf(code) >= 0;
    var flagged = !!st.flagged[code];
    return {
      color: flagged ? "#e03131" : c, weight: chosen ? 4 : (flagged ? 3 : 2), dashArray: flagged ? "6 4" : null,
      fillColor: c, fillOpacity: chosen ? 0.28 : 0.1, className: "pg-grid" + (flagged ? " pg-flagged" : "")
    };
  }

  // Redraws from the page's state: `gridsJson` is `Vec<api::PreviewGrid>`, `enterprisesJson`
  // `Vec<api::EditorEnterprise>` (sent once; "" keeps the previous), `gridOfJson` the grid
  // index of each enterprise, `movedJson` the ids the last edit moved, `flaggedJson` the codes
  // of the grids the validator reports.
  function update(el, gridsJson, enterprisesJson, gridOfJson, movedJson, flaggedJson) {
    var st = el._pgEditor;
    if (!st) { throw new Error("the editor is not mounted"); }
    st.grids = JSON.parse(gridsJson);
    if (enterprisesJson) { st.enterprises = JSON.parse(enterprisesJson); }
    st.gridOf = JSON.parse(gridOfJson);
    st.moved = {};
    JSON.parse(movedJson || "[]").forEach(function (id) { st.moved[id] = true; });
    st.flagged = {};
    JSON.parse(flaggedJson || "[]").forEach(function (code) { st.flagged[code] = true; });
    var codes = st.grids.map(function (g) { return g.code; });
    if (codes.indexOf(st.selected) < 0) { st.selected = null; }
    if (codes.indexOf(st.first) < 0) { st.first = null; }
    st.chosen = st.chosen.filter(function (c) { return codes.indexOf(c) >= 0; });
    st.gridLayer.clearLayers();
    st.polys = {};
    st.grids.forEach(function (g) {
      var poly = L.polygon(toLatLngs(g.geometry), styleOf(st, g.code));
      poly.bindTooltip(esc(g.code) + " · " + g.enterprise_count, { sticky: true });
      poly.on("click", function () { clickGrid(el, g.code); });
      poly.addTo(st.gridLayer);
      st.polys[g.code] = poly;
    });
    st.pointLayer.clearLayers();
    st.enterprises.forEach(function (e, i) {
      var gi = st.gridOf[i], code = gi == null ? null : st.grids[gi] && st.grids[gi].code;
      var moved = !!st.moved[e.id];
      var html = "<b>" + esc(e.name) + "</b><br>" + esc(code || st.texts.no_grid) + "<br><small>" + esc(st.texts.membership) + "</small>";
      L.circleMarker([e.lat, e.lon], {
        radius: moved ? 6 : 4, color: moved ? "#111827" : "#ffffff", weight: moved ? 2 : 1,
        fillColor: code ? colorOf(code) : "#e03131", fillOpacity: 0.95,
        className: "pg-enterprise" + (moved ? " pg-moved" : ""), bubblingMouseEvents: true
      })
        // In corner mode an enterprise says why it cannot be moved on its own; in merge and
        // rebalance modes a click on it is a click on its grid.
        .on("click", function () {
          if (st.mode === "corner" || st.mode === "view") { L.popup().setLatLng([e.lat, e.lon]).setContent(html).openOn(st.map); }
          else if (code && st.mode !== "split") { clickGrid(el, code); }
        })
        .addTo(st.pointLayer);
    });
    st.line = [];
    drawLine(st);
    drawHandles(el);
    fit(el);
    el.dataset.grids = String(st.grids.length);
    el.dataset.ready = "true";
  }

  function restyle(st) {
    Object.keys(st.polys).forEach(function (code) { st.polys[code].setStyle(styleOf(st, code)); });
  }

  function clickGrid(el, code) {
    var st = el._pgEditor;
    if (st.mode === "corner" || st.mode === "redraw") {
      select(el, code);
    } else if (st.mode === "merge") {
      if (!st.first) { st.first = code; restyle(st); }
      else if (st.first !== code) {
        var a = st.first; st.first = null; restyle(st);
        st.onEvent(JSON.stringify({ op: "merge", a: a, b: code }));
      }
    } else if (st.mode === "rebalance") {
      var i = st.chosen.indexOf(code);
      if (i >= 0) { st.chosen.splice(i, 1); } else { st.chosen.push(code); }
      restyle(st);
      st.onEvent(JSON.stringify({ op: "selection", grids: st.chosen.slice() }));
    }
  }

  // Shows the selected grid's corners as handles; a corner that other grids share is drawn
  // filled. Dragging one moves it, live, in every grid that has it.
  function select(el, code) {
    var st = el._pgEditor;
    st.selected = code;
    restyle(st);
    drawHandles(el);
    st.onEvent(JSON.stringify({ op: "selected", grid: code }));
  }

  function drawHandles(el) {
    var st = el._pgEditor;
    st.handleLayer.clearLayers();
    if ((st.mode !== "corner" && st.mode !== "redraw") || !st.selected) { return; }
    var own = st.mode === "redraw";
    var grid = st.grids.filter(function (g) { return g.code === st.selected; })[0];
    if (!grid) { return; }
    var sharedBy = {};
    st.grids.forEach(function (g) {
      var seen = {};
      eachCorner(g.geometry, function (x, y) {
        var k = key(x, y);
        if (!seen[k]) { seen[k] = true; sharedBy[k] = (sharedBy[k] || 0) + 1; }
      });
    });
    var done = {};
    eachCorner(grid.geometry, function (x, y) {
      var k = key(x, y);
      if (done[k]) { return; }
      done[k] = true;
      var shared = !own && sharedBy[k] > 1;
      var m = L.marker([y, x], {
        draggable: true, keyboard: false,
        icon: L.divIcon({ className: "pg-handle" + (shared ? " shared" : ""), iconSize: [12, 12] })
      });
      var code = st.selected;
      m.on("drag", function (ev) { dragLive(st, x, y, ev.target.getLatLng(), own ? code : null); });
      m.on("dragend", function (ev) {
        var to = ev.target.getLatLng();
        st.onEvent(JSON.stringify(own
          ? { op: "move_own_vertex", grid: code, from: [x, y], to: [to.lng, to.lat] }
          : { op: "move_vertex", from: [x, y], to: [to.lng, to.lat] }));
      });
      m.addTo(st.handleLayer);
      var node = m.getElement();
      if (node) { node.dataset.lon = String(x); node.dataset.lat = String(y); node.dataset.shared = String(sharedBy[k]); }
    });
  }

  // Moves the corner (x, y) to `to` in the drawn polygon of every grid that has it (of grid
  // `only` alone when it is given: a free redraw).
  function dragLive(st, x, y, to, only) {
    st.grids.forEach(function (g) {
      if (only && g.code !== only) { return; }
      var poly = st.polys[g.code];
      if (!poly) { return; }
      var hit = false;
      var lls = toLatLngs(g.geometry).map(function (p) {
        return p.map(function (ring) {
          return ring.map(function (ll) {
            if (ll.lng === x && ll.lat === y) { hit = true; return to; }
            return ll;
          });
        });
      });
      if (hit) { poly.setLatLngs(lls); }
    });
  }

  function setMode(el, mode) {
    var st = el._pgEditor;
    if (!st) { return; }
    st.mode = mode;
    st.first = null;
    if (mode !== "rebalance") { st.chosen = []; }
    st.line = [];
    drawLine(st);
    restyle(st);
    drawHandles(el);
    el.dataset.mode = mode;
  }

  // Another plan's grids, outlined dashed under the drawn ones (the plan comparison page):
  // `gridsJson` is `Vec<api::EditGrid>`.
  function ghost(el, gridsJson) {
    var st = el._pgEditor;
    if (!st) { throw new Error("the editor is not mounted"); }
    st.ghostLayer.clearLayers();
    JSON.parse(gridsJson).forEach(function (g) {
      L.polygon(toLatLngs(g.geometry), {
        color: "#111827", weight: 2, dashArray: "5 5", fill: false, interactive: false, className: "pg-ghost"
      }).addTo(st.ghostLayer);
    });
    el.dataset.ghosts = String(st.ghostLayer.getLayers().length);
  }

  // Ends the line being drawn: a split line, or the outline of a new grid ("draw" mode).
  function finishSplit(el) {
    var st = el._pgEditor;
    var draw = st && st.mode === "draw";
    if (!st || st.line.length < (draw ? 3 : 2)) { return false; }
    var line = st.line.slice();
    st.line = [];
    drawLine(st);
    st.onEvent(JSON.stringify(draw ? { op: "draw", ring: line } : { op: "split", line: line }));
    return true;
  }

  window.parkgridEditor = { mount: mount, update: update, setMode: setMode, select: select, finishSplit: finishSplit, ghost: ghost };
})();
