/**
 * The one piece of page script the console has: it draws the alarm graph with uPlot from the JSON block the
 * page embeds (`<script type="application/json" id="graph-data">`), the threshold as a second, flat series.
 * The same numbers are in an HTML table next to it for people who cannot see the graph.
 */
export const GRAPH_JS = `
(function () {
  function draw() {
    var holder = document.getElementById("graph");
    var block = document.getElementById("graph-data");
    if (!holder || !block || typeof uPlot === "undefined") return;
    var d = JSON.parse(block.textContent);
    var width = Math.max(320, Math.min(1000, holder.clientWidth || 800));
    var opts = {
      width: width,
      height: 300,
      title: d.title,
      scales: { x: { time: true, min: d.from, max: d.to } },
      series: [
        {},
        { label: d.label, stroke: "#0b57d0", width: 2, fill: "rgba(11,87,208,0.08)",
          points: { show: true, size: 6 }, spanGaps: false },
        { label: d.thresholdLabel, stroke: "#a50e0e", width: 2, dash: [8, 4], points: { show: false } }
      ],
      axes: [{}, { label: d.axisLabel }]
    };
    // The range's two ends carry no value but hold the threshold, so its line spans the whole graph.
    var t = [d.from].concat(d.t.filter(function (x) { return x > d.from && x < d.to; }), [d.to]);
    var v = [null].concat(d.v.filter(function (_, i) { return d.t[i] > d.from && d.t[i] < d.to; }), [null]);
    var th = t.map(function () { return d.threshold; });
    holder.textContent = "";
    new uPlot(opts, [t, v, th], holder);
    holder.setAttribute("data-drawn", "true");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
`;
