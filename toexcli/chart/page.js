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
      "label": "data(label)", "font-size": 10, "color": "#111827",
      "text-valign": "bottom", "text-margin-y": 3, "min-zoomed-font-size": 7,
      "text-background-color": "#ffffff", "text-background-opacity": 0.7,
      "text-background-padding": 1, "border-width": 1, "border-color": "#374151" } },
    { selector: "node[?hl]", style: {
      "border-width": 6, "border-color": "#facc15", "font-weight": "bold", "font-size": 12,
      "z-index": 20 } },
    { selector: "edge", style: {
      "width": "data(w)", "line-color": "#94a3b8", "curve-style": "bezier", "opacity": 0.85,
      "target-arrow-shape": "data(arrow)", "source-arrow-shape": "data(sarrow)",
      "target-arrow-color": "#94a3b8", "source-arrow-color": "#94a3b8", "arrow-scale": 0.6 } },
    { selector: ".match", style: { "border-width": 5, "border-color": "#f97316", "z-index": 30 } },
    { selector: ".faded", style: { "opacity": 0.12, "text-opacity": 0 } },
    { selector: "edge.near", style: { "line-color": "#1f2937", "target-arrow-color": "#1f2937",
      "source-arrow-color": "#1f2937", "opacity": 1, "label": "data(count)", "font-size": 9,
      "text-background-color": "#ffffff", "text-background-opacity": 0.8 } },
    { selector: ".hidden", style: { "display": "none" } },
    { selector: "node:selected", style: { "overlay-color": "#f97316", "overlay-opacity": 0.25 } }
  ];

  var elements = [];
  // positions come computed (a seeded layout in toex), so the page opens at once, the same way
  DATA.nodes.forEach(function (n) {
    elements.push({ group: "nodes", data: n, position: { x: n.x, y: n.y } });
  });
  DATA.links.forEach(function (e) { elements.push({ group: "edges", data: e }); });
  var cy = cytoscape({
    container: $("cy"), elements: elements, style: styles,
    layout: { name: "preset", fit: true, padding: 30 }
  });
  function fitView() {
    cy.fit(undefined, 30);
    if (cy.zoom() > 1.2) { cy.zoom(1.2); cy.center(); }
  }
  fitView();
  $("relayout").addEventListener("click", function () {
    cy.layout({ name: "cose", animate: cy.nodes().length <= 300, randomize: false, padding: 30,
                nodeDimensionsIncludeLabels: true, idealEdgeLength: function () { return 90; } }).run();
  });
  window.toexChart = cy;

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
    hrow.appendChild(el("span", "target (" + DATA.highlighted + ")")); legend.appendChild(hrow);
  }

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
      tip.appendChild(el("div", d.label, "tip-title"));
      line("type", d.typeLabel); line("identity", d.identity); line("as written", d.values);
      line("status", d.status === "ok" ? "" : d.status); line("links", d.degree);
      line("events", d.weight); line("amount", d.amountText);
      line("first", d.first); line("last", d.last); line("sources", d.sources); line("rows", d.rows);
    } else {
      tip.appendChild(el("div", d.sourceLabel + " — " + d.targetLabel, "tip-title"));
      line("events", d.count); line("direction", d.dirText); line("kinds", d.kinds);
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
