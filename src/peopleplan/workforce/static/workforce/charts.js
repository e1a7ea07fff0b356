// Draws the workforce dashboard's trend charts with Chart.js from the numbers the page already
// shows in its tables (the json_script "workforce-charts"). Without JavaScript the tables are
// the whole story; a chart is only ever an extra view of them.
(function () {
  "use strict";
  var source = document.getElementById("workforce-charts");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var lines = JSON.parse(source.textContent);
  lines.forEach(function (line) {
    var canvas = document.getElementById("chart-" + line.key);
    if (!canvas) {
      return;
    }
    canvas.parentElement.hidden = false;
    var datasets = [
      {
        label: "Here",
        data: line.council,
        borderColor: "#1d70b8",
        backgroundColor: "#1d70b8",
        borderWidth: 3,
        spanGaps: true,
      },
    ];
    if (line.national.some(function (value) { return value !== null; })) {
      datasets.push({
        label: "England",
        data: line.national,
        borderColor: "#505a5f",
        backgroundColor: "#505a5f",
        borderDash: [6, 4],
        borderWidth: 2,
        spanGaps: true,
      });
    }
    new window.Chart(canvas, {
      type: "line",
      data: { labels: line.dates, datasets: datasets },
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
