/* explosion-lab report charts: draws every chart of the page's #chart-data with uPlot
 * (inlined above). Drag to zoom (double-click resets), hover for values, click a legend
 * entry to hide its line, and the "log scale" box switches the y axis. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);

  function columns(c, log) {
    var keep = function (y) {
      return y.map(function (v) { return v === null || (log && v <= 0) ? null : v; });
    };
    if (c.x) {
      return [c.x].concat(c.series.map(function (s) { return keep(s.y); }));
    }
    return uPlot.join(c.series.map(function (s) { return [s.x, keep(s.y)]; }));
  }

  function fmt(v) {
    if (v === null || v === undefined) return "—";
    var a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : String(+v.toPrecision(4));
  }

  function decorate(u, c) {
    var ctx = u.ctx, top = u.bbox.top, h = u.bbox.height, left = u.bbox.left, w = u.bbox.width;
    ctx.save();
    if (c.band) {
      var y1 = u.valToPos(c.band.high, "y", true), y0 = u.valToPos(c.band.low, "y", true);
      ctx.fillStyle = "rgba(44,160,44,0.12)";
      ctx.fillRect(left, Math.max(top, y1), w, Math.min(top + h, y0) - Math.max(top, y1));
    }
    if (c.guide !== undefined) {
      var gy = u.valToPos(c.guide, "y", true);
      ctx.strokeStyle = "#2e7d32"; ctx.setLineDash([2, 3]); ctx.lineWidth = 1;
      ctx.beginPath(); ctx.moveTo(left, gy); ctx.lineTo(left + w, gy); ctx.stroke();
    }
    ctx.setLineDash([5, 3]); ctx.lineWidth = 1.2 * devicePixelRatio;
    c.events.forEach(function (e) {
      var x = u.valToPos(e.x, "x", true);
      if (x < left || x > left + w) return;
      ctx.strokeStyle = e.color;
      ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + h); ctx.stroke();
    });
    ctx.restore();
  }

  function logScale(c) {
    var scale = { distr: 3 };
    if (c.yMin !== undefined && c.yMax !== undefined && c.yMin > 0) {
      scale.range = function () { return [c.yMin, c.yMax]; };
    }
    return scale;
  }

  function draw(c, box, log) {
    box.textContent = "";
    var opts = {
      title: c.title,
      width: Math.max(320, box.clientWidth),
      height: 300,
      scales: {
        // Auto-ranging (first draw, double-click) shows the whole run with a margin, so a marker at the
        // first iteration stands clear of the axis; a drag-zoom sets the scale directly.
        x: { time: false, range: function () { return c.xRange.slice(); } },
        // A fixed range (e.g. one range for all small multiples) holds on either scale.
        y: log ? logScale(c) : { range: function (u, lo, hi) {
          var r = uPlot.rangeNum(lo === null ? 0 : lo, hi === null ? 1 : hi, 0.1, true);
          return [c.yMin !== undefined ? c.yMin : r[0], c.yMax !== undefined ? c.yMax : r[1]]; } }
      },
      axes: [{ label: "iteration" }, { label: c.yLabel + (log ? " (log scale)" : ""), size: 70,
        values: function (u, vals) { return vals.map(function (v) { return v === null ? "" : fmt(v); }); } }],
      series: [{ label: "iteration", value: function (u, v) { return v === null ? "—" : Math.round(v); } }]
        .concat(c.series.map(function (s) {
          return { label: s.label, stroke: s.color, width: s.width, dash: s.dashed ? [6, 4] : undefined,
            spanGaps: !c.x, points: { show: false }, value: function (u, v) { return fmt(v); } };
        })),
      hooks: { draw: [function (u) { decorate(u, c); }] }
    };
    return new uPlot(opts, columns(c, log), box);
  }

  data.charts.forEach(function (c) {
    var figure = document.getElementById("figure-" + c.id);
    if (!figure) return;
    var box = figure.querySelector(".chart");
    var log = c.log;
    var plot = draw(c, box, log);
    var toggle = figure.querySelector("input.log-switch");
    if (toggle) {
      toggle.checked = log;
      toggle.addEventListener("change", function () { plot.destroy(); log = toggle.checked; plot = draw(c, box, log); });
    }
    window.addEventListener("resize", function () { plot.setSize({ width: Math.max(320, box.clientWidth), height: 300 }); });
  });
  document.documentElement.setAttribute("data-charts-drawn", String(data.charts.length));
})();
