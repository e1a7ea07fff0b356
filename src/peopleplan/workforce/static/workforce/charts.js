// Draws the workforce pages' charts with Chart.js from the numbers the page already shows in
// its tables (the json_script "workforce-charts": a list of {key, labels, stepped, series:
// [{label, data, dashed}]}). Without JavaScript the tables are the whole story; a chart is only
// ever an extra view of them.
(function () {
  "use strict";
  var source = document.getElementById("workforce-charts");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  // GOV.UK colours, distinct enough side by side.
  var colours = ["#1d70b8", "#505a5f", "#d4351c", "#00703c", "#4c2c92", "#f47738", "#28a197"];
  JSON.parse(source.textContent).forEach(function (chart) {
    var canvas = document.getElementById("chart-" + chart.key);
    if (!canvas) {
      return;
    }
    canvas.parentElement.hidden = false;
    var datasets = chart.series
      .filter(function (series) {
        return series.data.some(function (value) { return value !== null; });
      })
      .map(function (series, index) {
        var colour = colours[index % colours.length];
        return {
          label: series.label,
          data: series.data,
          borderColor: colour,
          backgroundColor: colour,
          borderDash: series.dashed ? [6, 4] : [],
          borderWidth: series.dashed ? 2 : 3,
          stepped: chart.stepped ? "before" : false,
          spanGaps: true,
        };
      });
    new window.Chart(canvas, {
      type: "line",
      data: { labels: chart.labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: true,
        aspectRatio: 2,
        plugins: { legend: { position: "bottom" } },
        scales: { y: { beginAtZero: true } },
      },
    });
  });
})();
