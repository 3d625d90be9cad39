// Progress charts on the athlete page (chart.js from npm, copied into /lib by the build).
(function () {
  const el = document.getElementById('chart-data');
  if (!el || !window.Chart) return;
  const data = JSON.parse(el.textContent);
  const volume = document.getElementById('chart-volume');
  if (volume) {
    new Chart(volume, {
      data: {
        labels: data.weeks,
        datasets: [
          { type: 'bar', label: 'running km', data: data.km, backgroundColor: '#1f6feb88', yAxisID: 'km' },
          { type: 'line', label: 'BFR minutes', data: data.minutes, borderColor: '#b3261e', yAxisID: 'min' },
        ],
      },
      options: { animation: false, scales: { km: { position: 'left', beginAtZero: true }, min: { position: 'right', beginAtZero: true } } },
    });
  }
  const lop = document.getElementById('chart-lop');
  if (lop) {
    const colours = ['#1f6feb', '#b3261e', '#1a7f37', '#9a6700'];
    const sets = Object.entries(data.lop).map(([limb, points], i) => ({
      label: limb, data: points.map(p => ({ x: p.t, y: p.v })), borderColor: colours[i % 4], showLine: true,
    }));
    new Chart(lop, {
      type: 'scatter', data: { datasets: sets },
      options: { animation: false, scales: { x: { ticks: { callback: v => new Date(v).toISOString().slice(5, 10) } } } },
    });
  }
})();
