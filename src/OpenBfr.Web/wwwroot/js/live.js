// Live session page: pressure chart per cuff with its target band, countdown, stop and symptom
// buttons. Data arrive over SignalR (/hubs/session); chart.js and the SignalR client come from npm.
(function () {
  const root = document.getElementById('live');
  if (!root) return;
  const detail = JSON.parse(document.getElementById('session-data').textContent);
  const sessionId = root.dataset.session;
  const windowMs = 120000;
  const charts = {};
  const state = { points: 0, latest: {}, ended: root.dataset.state !== 'running' };
  window.openbfrLive = state;

  function chartFor(cuff) {
    if (charts[cuff.id]) return charts[cuff.id];
    const box = document.createElement('div');
    box.innerHTML = `<h3>${cuff.id} <span class="muted small">target ${cuff.targetMmHg} mmHg, band ${cuff.lowMmHg}–${cuff.highMmHg}, LOP ${cuff.lopMmHg}</span></h3><canvas height="160"></canvas>`;
    box.className = 'cuff-chart';
    box.dataset.cuff = cuff.id;
    document.getElementById('charts').appendChild(box);
    const chart = new Chart(box.querySelector('canvas'), {
      type: 'line',
      data: { datasets: [
        { label: 'pressure (mmHg)', data: [], borderColor: '#1f6feb', pointRadius: 0, borderWidth: 2 },
        { label: 'target', data: [], borderColor: '#1a7f37', borderDash: [6, 4], pointRadius: 0, borderWidth: 1 },
        { label: 'band high', data: [], borderColor: '#b3261e55', pointRadius: 0, borderWidth: 1, fill: false },
        { label: 'band low', data: [], borderColor: '#b3261e55', backgroundColor: '#1a7f3715', pointRadius: 0, borderWidth: 1, fill: '-1' },
      ] },
      options: { animation: false, parsing: false, normalized: true,
        // UTC, like the event list beside it.
        scales: { x: { type: 'linear', title: { display: true, text: 'time (UTC)' }, ticks: { callback: v => new Date(v).toISOString().slice(11, 19) } },
                  y: { min: 0, suggestedMax: cuff.highMmHg * 1.2, title: { display: true, text: 'mmHg' } } },
        plugins: { legend: { display: false } } },
    });
    charts[cuff.id] = { chart, cuff, box };
    return charts[cuff.id];
  }

  function addSamples(samples) {
    let latestT = 0;
    for (const s of samples) {
      const c = charts[s.cuff] || chartFor({ id: s.cuff, targetMmHg: s.target, lowMmHg: s.target, highMmHg: s.target, lopMmHg: 0 });
      const d = c.chart.data.datasets;
      d[0].data.push({ x: s.t, y: s.p });
      d[1].data.push({ x: s.t, y: s.target });
      const on = s.target > 0;
      d[2].data.push({ x: s.t, y: on ? c.cuff.highMmHg : null });
      d[3].data.push({ x: s.t, y: on ? c.cuff.lowMmHg : null });
      state.latest[s.cuff] = s.p;
      latestT = Math.max(latestT, s.t);
      state.points++;
    }
    for (const c of Object.values(charts)) {
      for (const ds of c.chart.data.datasets) {
        while (ds.data.length && ds.data[0].x < latestT - windowMs) ds.data.shift();
      }
      c.chart.update('none');
      c.box.dataset.points = c.chart.data.datasets[0].data.length;
    }
    showReadings();
  }

  function showReadings() {
    document.getElementById('readings').innerHTML = Object.entries(state.latest)
      .map(([cuff, p]) => `<div class="cuff-reading" data-cuff="${cuff}" data-mmhg="${p.toFixed(1)}">${cuff}: <strong>${p.toFixed(0)}</strong> mmHg</div>`).join('');
  }

  function showStatus(status) {
    document.getElementById('phase').textContent = status.phase;
    const r = status.remainingSeconds;
    document.getElementById('countdown').textContent = r > 0 ? `${Math.floor(r / 60)}:${String(Math.floor(r % 60)).padStart(2, '0')}` : '–';
    const where = [];
    if (status.exercise) where.push(status.exercise);
    if (status.set) where.push(`set ${status.set}${status.sets ? ' of ' + status.sets : ''}`);
    if (status.rep) where.push(`rep ${status.rep} of ${status.reps}`);
    document.getElementById('where').textContent = where.join(' · ');
  }

  function addEvent(e) {
    if (e.kind === 'rep' || e.kind === 'cuff') return;
    const li = document.createElement('li');
    li.textContent = `${new Date(e.at).toISOString().slice(11, 19)} ${e.kind} ${e.cuff || ''} ${e.detail || ''}`;
    document.getElementById('events').appendChild(li);
  }

  function ended(reason, message) {
    state.ended = true;
    state.endReason = reason;
    document.getElementById('state').textContent = 'ended: ' + reason;
    const banner = document.getElementById('banner');
    banner.hidden = false;
    banner.textContent = `Session ended (${reason}${message ? ': ' + message : ''}). Cuffs deflated.`;
    document.querySelectorAll('#stop, .symptoms button').forEach(b => b.disabled = true);
  }

  for (const cuff of detail.cuffs) chartFor(cuff);
  addSamples(detail.telemetry.map(t => ({ cuff: t.cuff, t: t.t, p: t.p, target: t.target })));
  if (state.ended) return;

  const connection = new signalR.HubConnectionBuilder().withUrl('/hubs/session').withAutomaticReconnect().build();
  connection.on('samples', addSamples);
  connection.on('status', m => { showStatus(m.status); });
  connection.on('event', addEvent);
  connection.on('ended', m => ended(m.reason, m.message));
  // Watch answers the session as stored: when it ended before this page (re)joined, no "ended"
  // will come, so say so from the answer.
  const watch = () => connection.invoke('Watch', sessionId).then(d => {
    if (d && d.session && d.session.state !== 'running' && !state.ended) ended(d.session.endReason || d.session.state, null);
  });
  const failed = err => {
    const banner = document.getElementById('banner'); banner.hidden = false; banner.textContent = 'Live connection failed: ' + err;
  };
  // A reconnect is a new connection, possibly to another web node behind the load balancer: join again.
  connection.onreconnected(() => watch().catch(failed));
  connection.start().then(watch).catch(failed);
  document.getElementById('stop')?.addEventListener('click', () => connection.invoke('Stop', sessionId));
  document.querySelectorAll('[data-symptom]').forEach(b => b.addEventListener('click', () =>
    connection.invoke('Symptom', sessionId, b.dataset.symptom, b.dataset.pain ? Number(b.dataset.pain) : null)));
})();
