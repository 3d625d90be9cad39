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
  const acwr = document.getElementById('chart-acwr');
  if (acwr) {
    new Chart(acwr, {
      type: 'line',
      data: { labels: data.weeks, datasets: [
        { label: 'EWMA ratio', data: data.acwr, borderColor: '#1f6feb', spanGaps: true },
        { label: 'high (1.5)', data: data.weeks.map(() => 1.5), borderColor: '#b3261e88', borderDash: [6, 4], pointRadius: 0 },
        { label: 'low (0.8)', data: data.weeks.map(() => 0.8), borderColor: '#9a670088', borderDash: [6, 4], pointRadius: 0 },
      ] },
      options: { animation: false, scales: { y: { suggestedMin: 0, suggestedMax: 2 } } },
    });
  }
  const vdot = document.getElementById('chart-vdot');
  if (vdot) {
    new Chart(vdot, {
      type: 'line',
      data: { labels: data.weeks, datasets: [{ label: 'VDOT (ml/kg/min)', data: data.vdot, borderColor: '#1a7f37', spanGaps: true }] },
      options: { animation: false },
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
