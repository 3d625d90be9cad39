// Progress charts on the athlete page (chart.js from npm, copied into /lib by the build).
(function () {
  const el = document.getElementById('chart-data');
  if (!el || !window.Chart) return;
  const data = JSON.parse(el.textContent);
  // A time axis over the points' dates (ms since 1970): at least two weeks wide, so points of one
  // day (two LOPs measured together) or no points at all still get an axis of nearby dates, not
  // chart.js's default range around the value (years wide, or 1970-01-01 repeated). Labels are
  // UTC dates, with the year once the axis spans most of a year.
  const DAY = 864e5;
  function dateAxis(times) {
    let lo = times.length ? Math.min(...times) : Date.now() - 56 * DAY;
    let hi = times.length ? Math.max(...times) : Date.now();
    if (hi - lo < 14 * DAY) { const mid = (lo + hi) / 2; lo = mid - 7 * DAY; hi = mid + 7 * DAY; }
    else { const pad = (hi - lo) * 0.05; lo -= pad; hi += pad; }
    const long = hi - lo > 300 * DAY;
    const step = DAY * Math.max(1, Math.round((hi - lo) / DAY / 8));
    return { type: 'linear', min: lo, max: hi, ticks: { stepSize: step, callback: v => new Date(v).toISOString().slice(long ? 0 : 5, 10) } };
  }
  // Tooltips of those charts: the value with its unit and the date (chart.js would show the raw milliseconds).
  const dateTooltip = (unit, extra) => ({ callbacks: { label: c =>
    `${c.dataset.label}: ${c.parsed.y} ${unit} on ${new Date(c.parsed.x).toISOString().slice(0, 10)}${extra ? extra(c.raw) : ''}` } });
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
      label: limb, data: points.map(p => ({ x: p.t, y: p.v, method: p.method })), borderColor: colours[i % 4], showLine: true,
    }));
    new Chart(lop, {
      type: 'scatter', data: { datasets: sets },
      options: { animation: false, scales: { x: dateAxis(sets.flatMap(s => s.data.map(p => p.x))) },
        plugins: { tooltip: dateTooltip('mmHg', r => r.method ? ` (${r.method})` : '') } },
    });
  }
  // Strength: estimated 1RM per exercise and limb, and the limb symmetry index with the return-to-run gates.
  const strength = data.strength;
  const day = d => Date.parse(d + 'T00:00:00Z');
  const palette = ['#1f6feb', '#b3261e', '#1a7f37', '#9a6700', '#8250df', '#bf3989'];
  const rm = document.getElementById('chart-1rm');
  if (rm && strength) {
    new Chart(rm, {
      type: 'scatter',
      data: { datasets: strength.oneRepMax.map((s, i) => ({
        label: `${s.exercise} ${s.limb}${s.involved ? ' (involved)' : ''}`,
        data: s.points.map(p => ({ x: day(p.date), y: p.value })),
        borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length], showLine: true,
        borderDash: s.involved ? [] : [5, 3],
      })) },
      options: { animation: false, scales: { x: dateAxis(strength.oneRepMax.flatMap(s => s.points.map(p => day(p.date)))), y: { beginAtZero: true, title: { display: true, text: 'kg' } } },
        plugins: { tooltip: dateTooltip('kg') } },
    });
  }
  const lsi = document.getElementById('chart-lsi');
  if (lsi && strength) {
    const axis = dateAxis(strength.lsi.flatMap(s => s.points.map(p => day(p.date))));
    const from = axis.min;
    const to = axis.max;
    const sets = strength.lsi.map((s, i) => ({
      label: `${s.exercise} (${s.unit})`,
      data: s.points.map(p => ({ x: day(p.date), y: p.percent })),
      borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length], showLine: true,
      borderDash: s.strength ? [] : [4, 3], pointStyle: s.strength ? 'circle' : 'triangle',
    }));
    strength.gates.forEach((g, i) => sets.push({
      label: `${g.name} ${g.strict ? '>' : '≥'} ${g.percent}%`,
      data: [{ x: from, y: g.percent }, { x: to, y: g.percent }],
      borderColor: i === 0 ? '#9a670099' : '#b3261e99', borderDash: [6, 4], pointRadius: 0, showLine: true,
    }));
    new Chart(lsi, {
      type: 'scatter', data: { datasets: sets },
      options: { animation: false, scales: { x: axis, y: { suggestedMin: 50, suggestedMax: 110, title: { display: true, text: '%' } } },
        plugins: { tooltip: dateTooltip('%') } },
    });
  }
})();
