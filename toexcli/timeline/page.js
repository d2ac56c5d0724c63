// toex timeline page: one lane per subject, events coloured by kind, drawn on a canvas (no
// library). Zoomed out, events closer than a few pixels are aggregated into one bar per lane and
// pixel bin, so 20,000+ events draw in a few milliseconds. Wheel = zoom, drag = pan (vertical
// drag scrolls lanes), the strip at the bottom is the date-range brush.
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("timeline-data").textContent);
  var N = D.t.length;
  var LABEL_W = 210, AXIS_H = 30, LANE_H = 22, BIN = 4, DAY = 86400000;
  var main = document.getElementById("main"), over = document.getElementById("overview");
  var tip = document.getElementById("tip"), detail = document.getElementById("detail");
  var ctx = main.getContext("2d"), octx = over.getContext("2d");
  var kindOn = D.kinds.map(function () { return true; });
  var query = "", match = null;              // Uint8Array of events matching the search
  var hay = null;                            // lower-case text per event (built on first search)
  var laneShown = [], laneScroll = 0;        // lanes in order (indices), first lane on screen
  var tmin = N ? D.t[0] : Date.now() - DAY, tmax = N ? D.t[N - 1] : Date.now();
  if (tmax - tmin < 60000) { tmin -= 1800000; tmax += 1800000; }
  var pad = (tmax - tmin) * 0.02, full0 = tmin - pad, full1 = tmax + pad;
  var t0 = full0, t1 = full1, cells = null, drawnMarks = 0, lastMs = 0;
  var fmtCache = {};

  function fmt(opts) {
    var k = JSON.stringify(opts);
    if (!fmtCache[k]) { opts.timeZone = D.tz; fmtCache[k] = new Intl.DateTimeFormat("en-GB", opts); }
    return fmtCache[k];
  }
  function localText(ms) {
    return fmt({ year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit",
      minute: "2-digit", second: "2-digit", hour12: false, timeZoneName: "short" }).format(ms);
  }
  function offsetMs(ms) {   // Europe/London offset at an instant, from Intl
    var p = fmt({ year: "numeric", month: "numeric", day: "numeric", hour: "numeric",
      minute: "numeric", second: "numeric", hour12: false }).formatToParts(ms);
    var v = {}; p.forEach(function (x) { v[x.type] = +x.value; });
    var wall = Date.UTC(v.year, v.month - 1, v.day, v.hour % 24, v.minute, v.second);
    return wall - Math.floor(ms / 1000) * 1000;
  }
  function lower(a, x) { var lo = 0, hi = a.length; while (lo < hi) { var m = (lo + hi) >> 1; if (a[m] < x) lo = m + 1; else hi = m; } return lo; }
  function upper(a, x) { var lo = 0, hi = a.length; while (lo < hi) { var m = (lo + hi) >> 1; if (a[m] <= x) lo = m + 1; else hi = m; } return lo; }

  function size(c) {
    var r = c.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
    c.width = Math.max(1, Math.round(r.width * dpr)); c.height = Math.max(1, Math.round(r.height * dpr));
    c.getContext("2d").setTransform(dpr, 0, 0, dpr, 0, 0);
    return { w: r.width, h: r.height };
  }
  var M = { w: 0, h: 0 }, O = { w: 0, h: 0 };
  function resize() { M = size(main); O = size(over); overviewHist = null; draw(); }

  function visibleEvent(i) { return kindOn[D.k[i]] && (!match || match[i]); }
  function refreshLanes() {
    var has = new Uint8Array(D.lanes.length);
    for (var i = 0; i < N; i++) if (visibleEvent(i)) has[D.lane[i]] = 1;
    laneShown = [];
    for (var l = 0; l < D.lanes.length; l++) if (has[l] || (!match && !D.lanes[l].undatedOnly)) laneShown.push(l);
    laneScroll = Math.max(0, Math.min(laneScroll, laneShown.length - 1));
  }
  function rowsOnScreen() { return Math.max(1, Math.floor((M.h - AXIS_H) / LANE_H)); }
  function X(ms) { return LABEL_W + (ms - t0) / (t1 - t0) * (M.w - LABEL_W - 8); }
  function T(x) { return t0 + (x - LABEL_W) / (M.w - LABEL_W - 8) * (t1 - t0); }

  var STEPS = [1e3, 5e3, 15e3, 6e4, 3e5, 9e5, 36e5, 3 * 36e5, 6 * 36e5, 12 * 36e5, DAY, 2 * DAY,
    7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY, 182 * DAY, 365 * DAY];
  function axis() {
    var span = t1 - t0, want = Math.max(2, (M.w - LABEL_W) / 110), step = STEPS[STEPS.length - 1];
    for (var s = 0; s < STEPS.length; s++) if (span / STEPS[s] <= want) { step = STEPS[s]; break; }
    var off = offsetMs(t0), first = Math.ceil((t0 + off) / step) * step, n = 0;
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, M.w, AXIS_H);
    ctx.strokeStyle = "#e3e6ea"; ctx.fillStyle = "#445"; ctx.font = "11px system-ui, sans-serif";
    var opts = step >= DAY ? { day: "2-digit", month: "short", year: "numeric" }
      : step >= 6e4 ? { day: "2-digit", month: "short", hour: "2-digit", minute: "2-digit", hour12: false }
        : { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false };
    for (var tl = first; tl - off <= t1 && n < 200; tl += step, n++) {
      var tu = tl - offsetMs(tl - off), x = X(tu);
      if (x < LABEL_W) continue;
      ctx.beginPath(); ctx.moveTo(x + 0.5, AXIS_H - 6); ctx.lineTo(x + 0.5, M.h); ctx.stroke();
      ctx.fillText(fmt(opts).format(tu), x + 3, 12);
    }
    ctx.fillStyle = "#667";
    ctx.fillText("Europe/London", 6, 12);
    ctx.fillText(localText(t0) + " – " + localText(t1), 6, 25);
  }

  function draw() {
    var started = performance.now();
    if (!M.w) return;
    ctx.clearRect(0, 0, M.w, M.h);
    var rows = rowsOnScreen(), width = M.w - LABEL_W - 8, nb = Math.ceil(width / BIN) + 1;
    // lane backgrounds and labels
    for (var r = 0; r < rows && laneScroll + r < laneShown.length; r++) {
      var y = AXIS_H + r * LANE_H, lane = D.lanes[laneShown[laneScroll + r]];
      ctx.fillStyle = r % 2 ? "#fbfcfd" : "#f1f3f6"; ctx.fillRect(0, y, M.w, LANE_H);
      ctx.fillStyle = "#223"; ctx.font = "12px system-ui, sans-serif";
      var label = lane.label.length > 30 ? lane.label.slice(0, 29) + "…" : lane.label;
      ctx.fillText(label, 6, y + 15);
    }
    axis();
    var rowOf = new Int32Array(D.lanes.length).fill(-1);
    for (r = 0; r < rows && laneScroll + r < laneShown.length; r++) rowOf[laneShown[laneScroll + r]] = r;
    var i0 = lower(D.t, t0 - DAY), i1 = upper(D.t, t1);
    var NK = D.kinds.length, dayW = DAY / (t1 - t0) * width, count = new Int32Array(rows * nb),
      firstI = new Int32Array(rows * nb), perKind = new Int32Array(rows * nb * NK);
    ctx.save(); ctx.beginPath(); ctx.rect(LABEL_W, AXIS_H, width + 8, M.h - AXIS_H); ctx.clip();
    drawnMarks = 0;
    for (var i = i0; i < i1; i++) {
      if (!visibleEvent(i)) continue;
      var row = rowOf[D.lane[i]];
      if (row < 0) continue;
      if (D.day[i] && dayW > 10) {   // a date-only event: the whole day, not an invented time
        var xs = X(D.t[i]), ys = AXIS_H + row * LANE_H;
        if (xs + dayW < LABEL_W || xs > M.w) continue;
        ctx.fillStyle = D.kinds[D.k[i]].color; ctx.globalAlpha = 0.35;
        ctx.fillRect(xs, ys + 5, dayW, LANE_H - 10); ctx.globalAlpha = 1;
        ctx.strokeStyle = D.kinds[D.k[i]].color; ctx.strokeRect(xs + 0.5, ys + 5.5, dayW - 1, LANE_H - 11);
        drawnMarks++;
        continue;
      }
      if (D.t[i] < t0) continue;
      var b = Math.floor((X(D.t[i]) - LABEL_W) / BIN);
      if (b < 0 || b >= nb) continue;
      var c = row * nb + b;
      if (count[c] === 0) firstI[c] = i;
      count[c]++; perKind[c * NK + D.k[i]]++;
    }
    for (c = 0; c < count.length; c++) {
      if (!count[c]) continue;
      row = (c / nb) | 0; b = c - row * nb;
      var x = LABEL_W + b * BIN + BIN / 2, yc = AXIS_H + row * LANE_H + LANE_H / 2;
      var best = 0;   // a bar takes the colour of the kind most of its events are
      for (var kk = 1; kk < NK; kk++) if (perKind[c * NK + kk] > perKind[c * NK + best]) best = kk;
      var color = D.kinds[best].color;
      ctx.fillStyle = color;
      if (count[c] === 1) {
        ctx.beginPath(); ctx.arc(x, yc, 4, 0, 6.2832); ctx.fill();
        if (D.day[firstI[c]]) { ctx.strokeStyle = "#fff"; ctx.lineWidth = 1.5; ctx.stroke(); ctx.lineWidth = 1; }
      } else {
        var h = Math.min(LANE_H - 4, 6 + 2.2 * Math.log2(count[c]));
        ctx.fillRect(x - BIN / 2 + 0.5, yc - h / 2, BIN - 1, h);
      }
      drawnMarks++;
    }
    ctx.restore();
    cells = { count: count, first: firstI, nb: nb, rows: rows, rowOf: rowOf, i0: i0, i1: i1 };
    drawOverview();
    lastMs = performance.now() - started;
    var shown = 0;
    for (i = 0; i < N; i++) if (visibleEvent(i) && D.t[i] >= t0 && D.t[i] <= t1) shown++;
    document.getElementById("stats").textContent = shown.toLocaleString("en-GB") + " of " +
      N.toLocaleString("en-GB") + " dated events in view · " + laneShown.length + " lanes" +
      (laneShown.length > rows ? " (scroll for more)" : "");
    document.body.dataset.drawn = String(drawnMarks);
  }

  var overviewHist = null;
  function drawOverview() {
    if (!O.w) return;
    var w = O.w, h = O.h;
    if (!overviewHist) {
      overviewHist = new Int32Array(Math.ceil(w));
      for (var i = 0; i < N; i++) if (visibleEvent(i)) {
        var x = Math.floor((D.t[i] - full0) / (full1 - full0) * (w - 1));
        if (x >= 0 && x < w) overviewHist[x]++;
      }
    }
    var max = 1; for (var j = 0; j < overviewHist.length; j++) max = Math.max(max, overviewHist[j]);
    octx.clearRect(0, 0, w, h); octx.fillStyle = "#9aa3ae";
    for (j = 0; j < overviewHist.length; j++) if (overviewHist[j]) {
      var bh = Math.max(2, Math.sqrt(overviewHist[j] / max) * (h - 14));
      octx.fillRect(j, h - bh, 1, bh);
    }
    var a = (t0 - full0) / (full1 - full0) * w, b2 = (t1 - full0) / (full1 - full0) * w;
    octx.fillStyle = "rgba(40, 110, 220, .18)"; octx.fillRect(a, 0, Math.max(2, b2 - a), h);
    octx.strokeStyle = "#2866d8"; octx.strokeRect(a + 0.5, 0.5, Math.max(2, b2 - a) - 1, h - 1);
    if (brush) {
      octx.fillStyle = "rgba(220, 110, 40, .25)";
      octx.fillRect(Math.min(brush.a, brush.b), 0, Math.abs(brush.b - brush.a), h);
    }
    octx.fillStyle = "#445"; octx.font = "10px system-ui, sans-serif";
    octx.fillText(localText(full0).slice(0, 10), 3, 10);
    var endText = localText(full1).slice(0, 10);
    octx.fillText(endText, w - octx.measureText(endText).width - 3, 10);
  }

  function setView(a, b) {
    var minSpan = 2000;
    if (b - a < minSpan) { var m = (a + b) / 2; a = m - minSpan / 2; b = m + minSpan / 2; }
    var span = full1 - full0;
    if (b - a > span * 4) { a = full0 - span * 1.5; b = full1 + span * 1.5; }
    t0 = a; t1 = b; draw();
  }

  // ---------------------------------------------------------------- what is under the mouse
  function hit(mx, my) {
    if (!cells || mx < LABEL_W || my < AXIS_H) return null;
    var row = Math.floor((my - AXIS_H) / LANE_H);
    if (row >= cells.rows || laneScroll + row >= laneShown.length) return null;
    var lane = laneShown[laneScroll + row], width = M.w - LABEL_W - 8;
    var dayW = DAY / (t1 - t0) * width, list = [];
    var b = Math.floor((mx - LABEL_W) / BIN);
    for (var db = 0; db <= 2 && !list.length; db++) {      // forgive a pixel or two
      for (var s = -1; s <= 1; s += 2) {
        var bb = b + s * db;
        for (var i = cells.i0; i < cells.i1; i++) {
          if (D.lane[i] !== lane || !visibleEvent(i)) continue;
          if (D.day[i] && dayW > 10) {
            if (db === 0 && mx >= X(D.t[i]) && mx <= X(D.t[i]) + dayW) list.push(i);
            continue;
          }
          if (Math.floor((X(D.t[i]) - LABEL_W) / BIN) === bb && D.t[i] >= t0) list.push(i);
        }
        if (db === 0) break;
      }
    }
    return list.length ? { lane: lane, list: list } : null;
  }
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; }); }
  function rowOf(i) { var r = D.rows[i], o = {}; D.fields.forEach(function (f, j) { o[f] = r[j]; }); return o; }
  function tipText(h) {
    if (h.list.length === 1) {
      var r = rowOf(h.list[0]);
      return r.time_local + (r.precision === "day" ? " (date only)" : "") + "\n" + D.kinds[D.k[h.list[0]]].kind +
        " · " + D.lanes[h.lane].label + "\n" + r.summary + "\n" + r._source + " row " + r._row + "\n(click for the whole row)";
    }
    var per = {};
    h.list.forEach(function (i) { var k = D.kinds[D.k[i]].kind; per[k] = (per[k] || 0) + 1; });
    var a = D.t[h.list[0]], b = D.t[h.list[h.list.length - 1]];
    return h.list.length + " events on " + D.lanes[h.lane].label + "\n" + localText(a) + " – " +
      localText(b) + "\n" + Object.keys(per).map(function (k) { return k + " " + per[k]; }).join(", ") +
      "\n(click to zoom in)";
  }
  function showDetail(list) {
    var html = "";
    list.slice(0, 50).forEach(function (i) {
      var r = rowOf(i);
      html += "<table>";
      D.fields.forEach(function (f) { if (r[f] !== "") html += "<tr><td>" + esc(f) + "</td><td>" + esc(r[f]) + "</td></tr>"; });
      html += "</table><hr>";
    });
    if (list.length > 50) html += "<p class=meta>… and " + (list.length - 50) + " more; zoom in.</p>";
    detail.innerHTML = html;
    detail.dataset.shown = String(Math.min(list.length, 50));
  }

  // ---------------------------------------------------------------------------- interaction
  var drag = null, brush = null;
  main.addEventListener("wheel", function (e) {
    e.preventDefault();
    var rect = main.getBoundingClientRect(), mx = e.clientX - rect.left;
    if (mx < LABEL_W || e.shiftKey) {
      laneScroll = Math.max(0, Math.min(laneShown.length - 1, laneScroll + (e.deltaY > 0 ? 3 : -3)));
      draw(); return;
    }
    var f = Math.pow(1.0015, e.deltaY), at = T(mx);
    setView(at - (at - t0) * f, at + (t1 - at) * f);
  }, { passive: false });
  main.addEventListener("mousedown", function (e) {
    drag = { x: e.clientX, y: e.clientY, t0: t0, t1: t1, scroll: laneScroll, moved: false };
    main.classList.add("dragging");
  });
  window.addEventListener("mouseup", function (e) {
    main.classList.remove("dragging");
    if (drag && !drag.moved && e.target === main) {
      var rect = main.getBoundingClientRect(), h = hit(e.clientX - rect.left, e.clientY - rect.top);
      if (h) {
        showDetail(h.list);
        if (h.list.length > 1) {
          var a = D.t[h.list[0]], b = D.t[h.list[h.list.length - 1]], m = Math.max((b - a) * 0.3, 30000);
          setView(a - m, b + m);
        }
      }
    }
    drag = null;
    if (brush) {
      var lo = Math.min(brush.a, brush.b), hi = Math.max(brush.a, brush.b);
      var toT = function (x) { return full0 + x / O.w * (full1 - full0); };
      if (hi - lo > 3) setView(toT(lo), toT(hi));
      else { var c = toT(lo), half = (t1 - t0) / 2; setView(c - half, c + half); }
      brush = null; drawOverview();
    }
  });
  window.addEventListener("mousemove", function (e) {
    if (brush) {
      brush.b = Math.max(0, Math.min(O.w, e.clientX - over.getBoundingClientRect().left));
      drawOverview(); return;
    }
    var rect = main.getBoundingClientRect(), mx = e.clientX - rect.left, my = e.clientY - rect.top;
    if (drag) {
      var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      if (!drag.moved) return;
      var per = (drag.t1 - drag.t0) / (M.w - LABEL_W - 8);
      t0 = drag.t0 - dx * per; t1 = drag.t1 - dx * per;
      laneScroll = Math.max(0, Math.min(laneShown.length - 1, drag.scroll - Math.round(dy / LANE_H)));
      tip.style.display = "none"; draw(); return;
    }
    if (e.target !== main) { tip.style.display = "none"; return; }
    var h = hit(mx, my);
    if (!h) { tip.style.display = "none"; return; }
    tip.textContent = tipText(h); tip.style.display = "block";
    tip.style.left = Math.min(mx + 14, M.w - 300) + "px"; tip.style.top = (my + 14) + "px";
  });
  over.addEventListener("mousedown", function (e) {
    var x = e.clientX - over.getBoundingClientRect().left; brush = { a: x, b: x }; e.preventDefault();
  });
  document.getElementById("reset").addEventListener("click", function () { laneScroll = 0; setView(full0, full1); });
  var search = document.getElementById("search");
  search.addEventListener("input", function () {
    query = search.value.trim().toLowerCase();
    if (!query) match = null;
    else {
      if (!hay) hay = D.rows.map(function (r, i) { return (D.lanes[D.lane[i]].label + " " + r.join(" ")).toLowerCase(); });
      match = new Uint8Array(N);
      for (var i = 0; i < N; i++) if (hay[i].indexOf(query) >= 0) match[i] = 1;
    }
    laneScroll = 0; overviewHist = null; refreshLanes(); draw();
  });
  var legend = document.getElementById("legend");
  D.kinds.forEach(function (k, j) {
    var btn = document.createElement("button"); btn.type = "button";
    var dot = document.createElement("i"); dot.style.background = k.color;
    btn.appendChild(dot); btn.appendChild(document.createTextNode(k.kind + " " + k.count.toLocaleString("en-GB")));
    btn.addEventListener("click", function () {
      kindOn[j] = !kindOn[j]; btn.classList.toggle("off", !kindOn[j]);
      overviewHist = null; refreshLanes(); draw();
    });
    legend.appendChild(btn);
  });
  var und = document.getElementById("undated");
  if (D.undated.length) {
    var h2 = document.createElement("h2");
    h2.textContent = D.undated.length + (D.undated.length === 1 ? " event" : " events") + " with no readable time";
    und.appendChild(h2);
    var ul = document.createElement("ul");
    D.undated.slice(0, 200).forEach(function (u) {
      var li = document.createElement("li"); li.textContent = u.join(" · "); ul.appendChild(li);
    });
    und.appendChild(ul);
  }
  window.addEventListener("resize", resize);

  // hooks for tests and for the curious (read-only view of the state)
  window.toexTimeline = {
    view: function () { return [t0, t1]; },
    setView: setView,
    reset: function () { setView(full0, full1); },
    drawn: function () { return drawnMarks; },
    lastDrawMs: function () { return lastMs; },
    events: N,
    hitAt: function (x, y) { var h = hit(x, y); return h ? h.list.length : 0; },
    cellAt: function (i) {   // pixel position of event i in the current view (for tests)
      var row = cells.rowOf[D.lane[i]]; return row < 0 ? null : [X(D.t[i]), AXIS_H + row * LANE_H + LANE_H / 2];
    }
  };
  refreshLanes();
  resize();
  document.body.dataset.events = String(N);
  document.body.dataset.ready = "1";
})();
