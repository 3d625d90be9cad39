// Live session page: pressure chart per cuff with its target band, countdown, stop and symptom
// buttons. Data arrive over SignalR (/hubs/session); chart.js and the SignalR client come from npm.
(function () {
  const root = document.getElementById('live');
  if (!root) return;
  const detail = JSON.parse(document.getElementById('session-data').textContent);
  // The hub's message names, rendered into the page from LiveMessages (the one list). A key not in
  // it stops the page here: SignalR would otherwise ignore a listener for an undefined name.
  const messages = JSON.parse(document.getElementById('live-messages').textContent);
  const message = key => {
    if (!Object.hasOwn(messages, key)) throw new Error(`live.js: no hub message '${key}' in LiveMessages`);
    return messages[key];
  };
  const sessionId = root.dataset.session;
  const windowMs = 120000;
  const charts = {};
  // seq / telemetryId: the cursor, the last event and telemetry row shown. The page hands it to
  // WatchFrom when it (re)joins, and the server sends what came after it, then live rows.
  // repeats counts rows that arrived again (the server promises none; tests read it).
  const state = { points: 0, latest: {}, ended: root.dataset.state !== 'running',
    seq: detail.cursor.seq, telemetryId: detail.cursor.telemetryId, repeats: 0, reconnects: 0 };
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
      if (s.id !== undefined) {
        if (s.id <= state.telemetryId) { state.repeats++; continue; }
        state.telemetryId = s.id;
      }
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
    if (e.seq <= state.seq) { state.repeats++; return; }
    state.seq = e.seq;
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
  // Drawn as rendered; the cursor already stands past these rows.
  addSamples(detail.telemetry.map(t => ({ cuff: t.cuff, t: t.t, p: t.p, target: t.target })));
  if (state.ended) return;

  // A live session can outlast any fixed number of retries: keep trying, every 1 s then up to 5 s apart.
  const retry = { nextRetryDelayInMilliseconds: c => Math.min(1000 * (c.previousRetryCount + 1), 5000) };
  const connection = new signalR.HubConnectionBuilder().withUrl('/hubs/session').withAutomaticReconnect(retry).build();
  state.connection = connection;
  connection.on(message('Samples'), addSamples);
  connection.on(message('Status'), m => { showStatus(m.status); });
  connection.on(message('Event'), addEvent);
  connection.on(message('Ended'), m => ended(m.reason, m.message));
  // WatchFrom sends what was written after the cursor (since the page rendered, or while it was
  // disconnected) before the live rows, then answers the session's state: when it ended before
  // this page (re)joined, say so from the answer too.
  const banner = document.getElementById('banner');
  const watch = () => connection.invoke('WatchFrom', sessionId, state.seq, state.telemetryId).then(s => {
    if (!state.ended) banner.hidden = true;
    if (s && s.state !== 'running' && !state.ended) ended(s.endReason || s.state, null);
  });
  // A call the dropped connection cancels (a join still waiting for its answer) is not a failure
  // while the connection reconnects: the reconnecting note stays, and onreconnected joins again.
  const failed = err => {
    if (connection.state === signalR.HubConnectionState.Reconnecting) return;
    banner.hidden = false; banner.textContent = 'Live connection failed: ' + err;
  };
  connection.onreconnecting(() => {
    if (state.ended) return;
    banner.hidden = false; banner.textContent = 'Live connection lost; reconnecting… The session goes on, and this page catches up when it is back.';
  });
  // A reconnect is a new connection, possibly to another web node behind the load balancer: join
  // again from what this page shows, and get what it missed.
  connection.onreconnected(() => { state.reconnects++; watch().catch(failed); });
  connection.start().then(watch).catch(failed);

  // STOP and the symptom buttons must deflate also while the live connection is down (not yet
  // up, failed, or reconnecting): through the hub when it is connected, else, or when the hub
  // call fails, through the HTTP API (POST /api/v1/sessions/{id}/stop or /symptom), which any
  // node applies or hands to the node running the session.
  function viaHttp(path, body) {
    return fetch(`/api/v1/sessions/${sessionId}/${path}`, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify(body || {}),
    }).then(async r => {
      if (!r.ok) {
        let why = `HTTP ${r.status}`;
        try { const p = await r.json(); why = p.detail || p.title || why; } catch (e) { /* not JSON */ }
        throw new Error(why);
      }
      return r.status; // 204 applied, 202 handed to the node running the session
    });
  }
  function command(what, hubCall, path, body) {
    state.commands = (state.commands || 0) + 1;
    const http = () => viaHttp(path, body).then(status => {
      state.httpCommands = (state.httpCommands || 0) + 1;
      if (!state.ended) {
        banner.hidden = false;
        banner.textContent = status === 204
          ? `${what} sent without the live connection: the cuffs deflate now. This page catches up when the connection is back.`
          : `${what} handed to the server running the session: the cuffs deflate within a moment. This page catches up when the connection is back.`;
      }
    });
    const sent = connection.state === signalR.HubConnectionState.Connected ? hubCall().catch(http) : http();
    return sent.catch(err => {
      banner.hidden = false;
      banner.textContent = `${what} could not be sent (${err && err.message ? err.message : err}). Open the cuff valves by hand now.`;
    });
  }
  document.getElementById('stop')?.addEventListener('click', () =>
    command('Stop', () => connection.invoke('Stop', sessionId), 'stop', {}));
  document.querySelectorAll('[data-symptom]').forEach(b => b.addEventListener('click', () => {
    const pain = b.dataset.pain ? Number(b.dataset.pain) : null;
    command(`Symptom (${b.textContent.trim()})`, () => connection.invoke('Symptom', sessionId, b.dataset.symptom, pain), 'symptom', { kind: b.dataset.symptom, pain });
  }));
})();
