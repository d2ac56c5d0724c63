/* toex chart: the interactive page. Data comes from the JSON block #chart-data; nothing is
   fetched. Text from the data is only ever set with textContent (never parsed as HTML). */
(function () {
  "use strict";
  var raw = document.getElementById("chart-data").textContent;
  var DATA = JSON.parse(raw);
  var $ = function (id) { return document.getElementById(id); };
  var el = function (tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  };

  var styles = [
    { selector: "node", style: {
      "background-color": "data(color)", "shape": "data(shape)",
      "width": "data(size)", "height": "data(size)",
      "label": "data(label)", "font-size": "data(fs)", "color": "#111827",
      "text-valign": "bottom", "text-halign": "center", "text-margin-y": 4,
      "text-wrap": "wrap", "text-max-width": "data(tw)", "min-zoomed-font-size": 4,
      "text-background-color": "#ffffff", "text-background-opacity": 0.85,
      "text-background-padding": 2, "text-background-shape": "round-rectangle",
      "border-width": 1.5, "border-color": "#374151" } },
    { selector: "node[?named]", style: { "font-weight": "bold", "border-width": 3 } },
    { selector: "node[type = 'group']", style: { "border-style": "dashed", "border-width": 2,
      "background-opacity": 0.55, "font-style": "italic" } },
    { selector: "node[?hl]", style: {
      "border-width": 7, "border-color": "#facc15", "font-weight": "bold", "z-index": 20 } },
    { selector: "edge", style: {
      "width": "data(w)", "line-color": "#94a3b8", "curve-style": "bezier", "opacity": 0.9,
      "control-point-step-size": 60,
      "target-arrow-shape": "data(arrow)", "source-arrow-shape": "data(sarrow)",
      "target-arrow-color": "#64748b", "source-arrow-color": "#64748b", "arrow-scale": 0.9,
      "label": "data(text)", "font-size": "data(efs)", "color": "#334155",
      "text-background-color": "#ffffff", "text-background-opacity": 0.85,
      "text-background-padding": 1, "text-rotation": "none" } },
    { selector: "edge[?money]", style: { "line-color": "#84cc16", "target-arrow-color": "#3f6212",
      "source-arrow-color": "#3f6212", "arrow-scale": 0.75 } },
    { selector: "edge[?owns]", style: { "line-style": "dashed", "line-color": "#dc2626",
      "opacity": 0.7, "label": "" } },
    { selector: "edge[?hl]", style: { "line-color": "#111827", "target-arrow-color": "#111827",
      "source-arrow-color": "#111827", "opacity": 1, "z-index": 15, "font-weight": "bold" } },
    { selector: ".match", style: { "border-width": 5, "border-color": "#f97316", "z-index": 30 } },
    { selector: ".faded", style: { "opacity": 0.12, "text-opacity": 0 } },
    { selector: "edge.near", style: { "line-color": "#1f2937", "target-arrow-color": "#1f2937",
      "source-arrow-color": "#1f2937", "opacity": 1 } },
    { selector: ".hidden", style: { "display": "none" } },
    { selector: "node:selected", style: { "overlay-color": "#f97316", "overlay-opacity": 0.25 } }
  ];

  // Labels are readable at the opening view: at least MIN_PX on screen at fit. The layout (made
  // in toex) leaves room for labels at FONT model units; a chart too big to show at zoom 1
  // gets proportionally larger label text, so the fitted view never shows text below MIN_PX.
  var MIN_PX = 12, FONT = 13;
  var fontModel = FONT * (DATA.labelScale || 1);
  var elements = [];
  // positions come computed (a seeded layout in toex), so the page opens at once, the same way
  DATA.nodes.forEach(function (n) {
    n.fs = (n.named || n.hl) ? fontModel * 1.08 : fontModel;
    n.tw = 2000;
    elements.push({ group: "nodes", data: n, position: { x: n.x, y: n.y } });
  });
  DATA.links.forEach(function (e) {
    e.efs = fontModel * 0.95;
    e.w = e.hl ? e.w + 3 : e.w;
    elements.push({ group: "edges", data: e });
  });
  var cy = cytoscape({
    container: $("cy"), elements: elements, style: styles,
    layout: { name: "preset", fit: true, padding: 40 }
  });
  function fitView() {
    cy.fit(undefined, 40);
    if (cy.zoom() > 1.2) { cy.zoom(1.2); cy.center(); }
  }
  fitView();
  if (cy.zoom() * fontModel < MIN_PX) {  // a chart toex could not lay out at the page's size
    fontModel = MIN_PX / cy.zoom() * 1.02;
    cy.batch(function () {
      cy.nodes().forEach(function (n) { n.data("fs", (n.data("named") || n.data("hl")) ? fontModel * 1.08 : fontModel); });
      cy.edges().forEach(function (e) { e.data("efs", fontModel * 0.95); });
    });
    cy.style().update();
  }
  window.toexFont = { min: MIN_PX, model: fontModel, minOnScreen: function () {
    return cy.zoom() * fontModel; } };
  $("relayout").addEventListener("click", function () {
    cy.layout({ name: "cose", animate: cy.nodes().length <= 300, randomize: false, padding: 30,
                nodeDimensionsIncludeLabels: true, idealEdgeLength: function () { return 90; } }).run();
  });
  window.toexChart = cy;

  // ---- groups of collapsed contacts: a click opens the group around it
  function expandGroup(g) {
    var members = g.data("members") || [];
    var hubEdge = g.connectedEdges()[0];
    if (!hubEdge || !members.length) return;
    var hub = hubEdge.source().id() === g.id() ? hubEdge.target() : hubEdge.source();
    var p = g.position(), hp = hub.position();
    var base = Math.atan2(p.y - hp.y, p.x - hp.x);
    var radius = 60 + 14 * Math.sqrt(members.length) * 6;
    var add = [];
    members.forEach(function (m, i) {
      var a = base + (members.length > 1 ? (i / (members.length - 1) - 0.5) * Math.PI * 0.9 : 0);
      var id = m.id;
      if (cy.getElementById(id).length) return;
      add.push({ group: "nodes", data: { id: id, label: m.label, type: m.type, typeLabel: m.type,
        identity: m.identity, values: "", status: "ok", name: "", degree: 1, weight: m.count,
        amountText: m.amount === null ? "" : m.amount.toFixed(2), first: "", last: "",
        sources: "", rows: "", hl: false, named: false, color: g.data("color"),
        shape: "ellipse", size: 24, fs: g.data("fs"), tw: g.data("tw"), members: [] },
        position: { x: hp.x + Math.cos(a) * (radius + 120), y: hp.y + Math.sin(a) * (radius + 120) } });
      var hubSrc = m.hub_is_source;
      add.push({ group: "edges", data: { id: "x" + g.id() + i, source: hubSrc ? hub.id() : id,
        target: hubSrc ? id : hub.id(), count: m.count, w: 1.5, text: String(m.count),
        efs: hubEdge.data("efs"), arrow: hubEdge.data("arrow") !== "none" && m.forward ? "triangle" : "none",
        sarrow: hubEdge.data("sarrow") !== "none" && m.backward ? "triangle" : "none",
        sourceLabel: "", targetLabel: "", dirText: "", kinds: "", events: "", first: "", last: "",
        amountText: m.amount === null ? "" : m.amount.toFixed(2), sources: "", rows: "" } });
    });
    cy.add(add);
    g.remove();
    showCounts();
  }
  cy.on("tap", "node[type = 'group']", function (ev) { expandGroup(ev.target); });

  // ---- legend and type filters
  var legend = $("legend");
  var typeBoxes = {};
  DATA.types.forEach(function (t) {
    var row = el("label", null, "legend-row");
    var box = el("input"); box.type = "checkbox"; box.checked = true; box.value = t.type;
    box.addEventListener("change", applyFilters);
    typeBoxes[t.type] = box;
    var sw = el("span", null, "swatch swatch-" + t.shape);
    sw.style.backgroundColor = t.color;
    row.appendChild(box); row.appendChild(sw);
    row.appendChild(el("span", t.label + " (" + t.count + ")"));
    legend.appendChild(row);
  });
  if (DATA.highlighted > 0) {
    var hrow = el("div", null, "legend-row");
    var hs = el("span", null, "swatch swatch-hl"); hrow.appendChild(hs);
    hrow.appendChild(el("span", "highlighted (" + DATA.highlighted + "): bold links")); legend.appendChild(hrow);
  }
  var more = $("legend-more");
  function keyRow(cls, text) {
    var row = el("div", null, "legend-row"); row.appendChild(el("span", null, "key " + cls));
    row.appendChild(el("span", text)); more.appendChild(row);
  }
  var sizeText = { degree: "number of links", weight: "number of events", amount: "money moved",
                   value: "money moved" }[DATA.sizeBy] || DATA.sizeBy;
  keyRow("key-size", "node size = " + sizeText);
  keyRow(DATA.money ? "key-money" : "key-width",
         "line width = " + (DATA.widthBy === "amount" ? "amount (£)" : "number of events") +
         (DATA.money ? "; label = total ×count" : "; label = count"));
  keyRow(DATA.money ? "key-arrow-money" : "key-arrow",
         DATA.money ? "arrow = the way the money went (in and out apart, never netted)"
                    : "arrow = who called/messaged whom");
  if (DATA.owns) keyRow("key-owns", "dashed = uses / holds (from the entities file)");
  if (DATA.groups) keyRow("key-group", "dashed circle = contacts seen by one node only: click to open");

  // ---- filters: type and minimum weight
  var minW = $("minweight");
  minW.max = String(DATA.maxCount); minW.value = "1";
  minW.addEventListener("input", applyFilters);
  function applyFilters() {
    var w = parseInt(minW.value, 10) || 1;
    $("minweight-value").textContent = String(w);
    cy.batch(function () {
      cy.nodes().forEach(function (n) {
        var on = typeBoxes[n.data("type")] ? typeBoxes[n.data("type")].checked : true;
        n.toggleClass("hidden", !on);
      });
      cy.edges().forEach(function (e) {
        var hide = e.data("count") < w || e.source().hasClass("hidden") || e.target().hasClass("hidden");
        e.toggleClass("hidden", hide);
      });
      if (w > 1) {
        cy.nodes().forEach(function (n) {
          if (!n.hasClass("hidden") && !n.data("hl") &&
              n.connectedEdges().filter(function (e) { return !e.hasClass("hidden"); }).length === 0) {
            n.addClass("hidden");
          }
        });
      }
    });
    showCounts();
  }
  function showCounts() {
    var nv = cy.nodes().filter(function (n) { return !n.hasClass("hidden"); }).length;
    var ev = cy.edges().filter(function (e) { return !e.hasClass("hidden"); }).length;
    $("stats").textContent = nv + " of " + cy.nodes().length + " nodes, " + ev + " of " +
      cy.edges().length + " links shown";
    $("stats").setAttribute("data-visible-nodes", String(nv));
  }

  // ---- search
  var search = $("search");
  function runSearch(fit) {
    var q = search.value.trim().toLowerCase();
    cy.nodes().removeClass("match");
    if (!q) { $("found").textContent = ""; return; }
    var hits = cy.nodes().filter(function (n) {
      return String(n.data("label")).toLowerCase().indexOf(q) >= 0 ||
             String(n.data("identity")).toLowerCase().indexOf(q) >= 0 ||
             String(n.data("values") || "").toLowerCase().indexOf(q) >= 0;
    });
    hits.addClass("match");
    $("found").textContent = hits.length + " found";
    if (fit && hits.length) { cy.animate({ fit: { eles: hits, padding: 80 } }, { duration: 300 }); }
  }
  search.addEventListener("input", function () { runSearch(false); });
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") runSearch(true); });

  // ---- neighbourhood highlight
  function clearFocus() { cy.elements().removeClass("faded").removeClass("near"); }
  cy.on("tap", "node", function (ev) {
    var hood = ev.target.closedNeighborhood();
    cy.batch(function () {
      clearFocus();
      cy.elements().not(hood).addClass("faded");
      hood.edges().addClass("near");
    });
  });
  cy.on("tap", function (ev) { if (ev.target === cy) clearFocus(); });
  $("reset").addEventListener("click", function () {
    clearFocus(); search.value = ""; runSearch(false);
    minW.value = "1";
    Object.keys(typeBoxes).forEach(function (k) { typeBoxes[k].checked = true; });
    applyFilters(); fitView();
  });

  // ---- hover details
  var tip = $("tip");
  function line(name, value) {
    if (value === undefined || value === null || value === "") return;
    var row = el("div"); row.appendChild(el("b", name + ": ")); row.appendChild(el("span", value));
    tip.appendChild(row);
  }
  function showTip(ev) {
    var d = ev.target.data();
    tip.textContent = "";
    if (ev.target.isNode()) {
      tip.appendChild(el("div", String(d.label).replace("\n", " · "), "tip-title"));
      line("type", d.typeLabel); line("identity", d.identity); line("as written", d.values);
      line("status", d.status === "ok" ? "" : d.status); line("links", d.degree);
      line("events", d.weight); line("amount", d.amountText);
      line("first", d.first); line("last", d.last); line("sources", d.sources); line("rows", d.rows);
    } else {
      tip.appendChild(el("div", d.sourceLabel + " — " + d.targetLabel, "tip-title"));
      line("events", d.count); line("direction", d.dirText); line("by type", d.events);
      line("kinds", d.kinds);
      line("first", d.first); line("last", d.last); line("amount", d.amountText);
      line("sources", d.sources); line("rows", d.rows);
    }
    var p = ev.renderedPosition || { x: 0, y: 0 };
    tip.style.left = Math.min(p.x + 16, $("cy").clientWidth - 320) + "px";
    tip.style.top = (p.y + 16) + "px";
    tip.style.display = "block";
  }
  cy.on("mouseover", "node, edge", showTip);
  cy.on("mouseout", "node, edge", function () { tip.style.display = "none"; });
  cy.on("pan zoom", function () { tip.style.display = "none"; });

  // ---- PNG export
  $("png").addEventListener("click", function () {
    var blob = cy.png({ output: "blob", full: true, scale: 2, bg: "#ffffff", maxWidth: 8000, maxHeight: 8000 });
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url; a.download = DATA.pngName || "chart.png";
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 2000);
  });

  applyFilters();
  document.body.setAttribute("data-nodes", String(cy.nodes().length));
  document.body.setAttribute("data-links", String(cy.edges().length));
  document.body.setAttribute("data-ready", "1");
})();
