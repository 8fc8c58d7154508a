/* The supervisor overview's charts: each canvas[data-chart-for] is drawn with Chart.js (vendored) from
   the table it names, so the picture and the table screen readers read hold the same numbers.
   Columns marked data-chart-skip (a total, a count beside medians) stay in the table only. */
(function () {
  "use strict";
  if (!window.Chart) return;
  // Colour-blind-safe (Okabe-Ito), dark enough to read against white.
  var COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

  function number(cell) {
    var text = cell.textContent.trim().replace(/,/g, "");
    if (text === "" || text === "—") return null;
    var value = Number(text);
    return isNaN(value) ? null : value;
  }

  function draw(canvas) {
    var table = document.getElementById(canvas.getAttribute("data-chart-for"));
    if (!table || !table.tHead || !table.tBodies.length) return;
    var datasets = [];
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      if (i === 0 || th.hasAttribute("data-chart-skip")) return;
      datasets.push({ label: th.textContent.trim(), column: i, data: [] });
    });
    var labels = [];
    Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
      if (tr.cells.length < 2) return; // 「沒有資料」
      labels.push(tr.cells[0].textContent.trim());
      datasets.forEach(function (set) {
        set.data.push(tr.cells[set.column] ? number(tr.cells[set.column]) : null);
      });
    });
    var kind = table.getAttribute("data-chart") === "line" ? "line" : "bar";
    var stacked = table.hasAttribute("data-stacked");
    var horizontal = table.hasAttribute("data-horizontal");
    datasets.forEach(function (set, i) {
      set.backgroundColor = COLOURS[i % COLOURS.length];
      set.borderColor = COLOURS[i % COLOURS.length];
      set.spanGaps = true;
      delete set.column;
    });
    if (horizontal) {
      // A bar per row: the box grows with the rows so names stay legible.
      canvas.parentNode.style.height = Math.max(288, 60 + labels.length * 26) + "px";
    }
    var unit = table.getAttribute("data-unit") || "";
    var valueAxis = { beginAtZero: true, stacked: stacked, title: { display: !!unit, text: unit } };
    var labelAxis = { stacked: stacked };
    new window.Chart(canvas, {
      type: kind,
      data: { labels: labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: horizontal ? "y" : "x",
        scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
        plugins: { legend: { position: "bottom" } },
      },
    });
  }

  document.querySelectorAll("canvas[data-chart-for]").forEach(draw);
})();
