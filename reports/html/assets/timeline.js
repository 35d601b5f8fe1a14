// The interactive timeline: every operation at every zoom, drawn on a canvas from the columns in #timeline-data.
// Only what is in view is visited (binary search per lane), and at most one mark per pixel column per lane and
// outcome is drawn, so a zoom step costs the same for a thousand operations as for a million.
(() => {
  const host = document.getElementById('tl-app');
  const src = document.getElementById('timeline-data');
  if (!host || !src) return;
  const D = JSON.parse(src.content.textContent);
  const N = D.type.length;
  const L = D.lanes.length;
  // Columns come as varint strings (reports/html/timeline-data.ts): base 45, low digit first, zigzag for sign.
  const DIGIT = new Int8Array(128).fill(-1);
  [...'!#$%\'()*+,-./0123456789:;=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~'].forEach((c, i) => (DIGIT[c.charCodeAt(0)] = i));
  const col = (str) => {
    const out = new Float64Array(N);
    let k = 0, z = 0, mul = 1;
    for (let i = 0; i < str.length; i++) {
      const d = DIGIT[str.charCodeAt(i)];
      if (d >= 45) {
        z += (d - 45) * mul;
        mul *= 45;
        continue;
      }
      z += d * mul;
      out[k++] = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      z = 0;
      mul = 1;
    }
    return out;
  };
  for (const c of ['start', 'dur', 'line', 'cline', 'f', 'key', 'value']) D[c] = col(D[c]);

  // Columns, decoded once.
  const start = new Float64Array(N);
  const end = new Float64Array(N);
  const line = new Int32Array(N);
  const proc = new Int32Array(N);
  const type = new Uint8Array(N); // 0 ok, 1 fail, 2 info
  const laneOf = new Uint32Array(N);
  const blameOf = new Int32Array(N).fill(-1);
  {
    let s = 0, ln = 0, lane = 0;
    for (let i = 0; i < N; i++) {
      while (i >= D.laneEnd[lane]) lane++;
      laneOf[i] = lane;
      s += D.start[i];
      start[i] = s;
      end[i] = D.dur[i] < 0 ? D.span : s + D.dur[i];
      ln += D.line[i];
      line[i] = ln;
      const c = D.type.charCodeAt(i);
      type[i] = c === 111 ? 0 : c === 102 ? 1 : 2;
    }
    let i = 0;
    for (let r = 0; r < D.process.length; r += 2) for (let k = 0; k < D.process[r + 1]; k++) proc[i++] = D.process[r];
    for (let r = 0; r < D.blamed.length; r += 2) blameOf[D.blamed[r]] = D.blamed[r + 1];
  }
  const laneStart = (l) => (l === 0 ? 0 : D.laneEnd[l - 1]);
  const TYPES = ['ok', 'fail', 'info'];

  const el = (tag, props = {}, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k in e && typeof v !== 'string') e[k] = v;
      else e.setAttribute(k, v);
    }
    e.append(...kids);
    return e;
  };
  const fmtT = (u) => `${(u / 1e6).toFixed(u < 1e7 ? 4 : 3)} s`;
  const fmtD = (u) => (u < 1000 ? `${u.toFixed(0)} µs` : u < 1e6 ? `${(u / 1000).toFixed(u < 1e4 ? 2 : 1)} ms` : `${(u / 1e6).toFixed(2)} s`);

  // State.
  let a = 0, b = D.span;
  let focus = -1;
  const filter = { region: '', process: '', key: '', type: '', f: '', blamed: false };
  let keyIndex = -2;
  const passes = (i) => {
    if (filter.blamed && blameOf[i] < 0) return false;
    if (filter.type !== '' && type[i] !== +filter.type) return false;
    if (filter.f !== '' && D.f[i] !== +filter.f) return false;
    if (filter.region !== '' && D.lanes[laneOf[i]].region !== filter.region) return false;
    if (filter.process !== '' && proc[i] !== +filter.process) return false;
    if (keyIndex !== -2 && D.key[i] !== keyIndex) return false;
    return true;
  };

  // Controls.
  const regions = [...new Set(D.lanes.map((l) => l.region))];
  const opt = (value, label) => el('option', { value }, label);
  const status = el('span', { class: 'tl-status', 'aria-live': 'polite' });
  const faultSel = el('select', { 'aria-label': 'Zoom to a fault window', class: 'tl-faults' }, opt('', D.faults.length ? `Zoom to a fault window (${D.faults.length}${D.faultsTotal > D.faults.length ? ` of ${D.faultsTotal} shown` : ''})…` : 'No fault windows'));
  D.faults.forEach((w, i) => faultSel.append(opt(String(i), `${w.kind}: ${w.label} @ ${fmtT(w.start)}`)));
  const btn = (label, title, fn) => el('button', { type: 'button', title, 'aria-label': title, onclick: fn }, label);
  const regionSel = el('select', { 'aria-label': 'Region', class: 'tl-region' }, opt('', 'all regions'), ...regions.map((r) => opt(r, r)));
  const typeSel = el('select', { 'aria-label': 'Outcome', class: 'tl-type' }, opt('', 'all outcomes'), ...TYPES.map((t, i) => opt(String(i), t)));
  const fSel = el('select', { 'aria-label': 'Operation', class: 'tl-f' }, opt('', 'all operations'), ...D.fs.map((f, i) => opt(String(i), f)));
  const procIn = el('input', { type: 'number', placeholder: 'process', 'aria-label': 'Process id', class: 'tl-process' });
  const keyIn = el('input', { type: 'text', placeholder: 'key', 'aria-label': 'Key (exact)', class: 'tl-key' });
  const blamedBox = el('input', { type: 'checkbox', class: 'tl-blamed' });
  const toolbar = el(
    'div',
    { class: 'tl-toolbar' },
    btn('+', 'Zoom in', () => zoom(0.5)),
    btn('−', 'Zoom out', () => zoom(2)),
    btn('◀', 'Pan left', () => pan(-0.25)),
    btn('▶', 'Pan right', () => pan(0.25)),
    btn('Whole run', 'Show the whole run', () => setView(0, D.span)),
    btn('Next blamed', 'Focus the next operation a checker blames', () => nextBlamed()),
    faultSel,
    regionSel,
    typeSel,
    fSel,
    procIn,
    keyIn,
    el('label', {}, blamedBox, ' blamed only'),
  );
  const overview = el('canvas', { class: 'tl-overview', 'aria-label': 'Whole run: operation density and fault windows; drag to choose a time window', role: 'img' });
  const canvas = el('canvas', {
    class: 'tl-canvas',
    tabindex: '0',
    role: 'application',
    'aria-label': 'Operations timeline. Arrow keys move between operations (left and right in a lane, up and down between lanes), Enter shows details, plus and minus zoom, shift with arrows pans, b jumps to the next blamed operation, 0 shows the whole run.',
  });
  const details = el('div', { class: 'tl-details', 'aria-live': 'polite', tabindex: '-1' }, el('p', { class: 'note' }, 'Select an operation (click, or focus the timeline and use the arrow keys) to see its details.'));
  const tip = el('div', { class: 'tl-tip', hidden: true });
  const wrap = el('div', { class: 'tl-wrap' }, overview, canvas, tip);
  host.append(toolbar, status, wrap, details);
  host.hidden = false;

  const GUT = 96, RH = 16, OV_H = 52;
  const laneH = L <= 40 ? 14 : Math.max(3, Math.floor(560 / L));
  const rows = []; // y of each lane
  {
    let y = 8, prev = null;
    for (let l = 0; l < L; l++) {
      if (D.lanes[l].region !== prev) {
        prev = D.lanes[l].region;
        y += RH;
      }
      rows.push(y);
      y += laneH;
    }
    rows.push(y + 6);
  }
  const H = rows[L];
  const dpr = window.devicePixelRatio || 1;
  let W = 800;
  const size = () => {
    W = Math.max(400, wrap.clientWidth || 800);
    for (const [c, h] of [[overview, OV_H], [canvas, H]]) {
      c.width = Math.round(W * dpr);
      c.height = Math.round(h * dpr);
      c.style.width = `${W}px`;
      c.style.height = `${h}px`;
      c.getContext('2d').setTransform(dpr, 0, 0, dpr, 0, 0);
    }
  };
  const X = (u) => GUT + ((u - a) / (b - a)) * (W - GUT - 8);
  const U = (px) => a + ((px - GUT) / (W - GUT - 8)) * (b - a);
  const OX = (u) => GUT + (u / D.span) * (W - GUT - 8);
  const OU = (px) => ((px - GUT) / (W - GUT - 8)) * D.span;

  // First op of lane l that may be visible at time u: ops in a lane do not overlap, so ends rise with starts.
  const firstFrom = (l, u) => {
    let lo = laneStart(l), hi = D.laneEnd[l];
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (end[m] < u) lo = m + 1;
      else hi = m;
    }
    return lo;
  };

  const css = getComputedStyle(document.documentElement);
  const color = (v, d) => (css.getPropertyValue(v) || d).trim();
  const COL = [color('--ok', '#2da44e'), color('--fail', '#8c959f'), color('--info', '#d4a72c')];
  const ctx = canvas.getContext('2d');
  let stripes = null;
  const stripe = () => {
    const p = document.createElement('canvas');
    p.width = p.height = 6;
    const g = p.getContext('2d');
    g.fillStyle = COL[2];
    g.fillRect(0, 0, 6, 6);
    g.strokeStyle = '#fff';
    g.lineWidth = 1.6;
    g.beginPath();
    g.moveTo(0, 6); g.lineTo(6, 0);
    g.stroke();
    return ctx.createPattern(p, 'repeat');
  };

  // Ops of each lane split by outcome, for drawing; each list is in start order, and ends rise with starts.
  const byType = [[], [], []];
  for (let l = 0; l < L; l++) {
    const lists = [[], [], []];
    for (let i = laneStart(l); i < D.laneEnd[l]; i++) lists[type[i]].push(i);
    for (let ty = 0; ty < 3; ty++) byType[ty].push(Int32Array.from(lists[ty]));
  }
  const fromIn = (list, u) => {
    let lo = 0, hi = list.length;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (end[list[m]] < u) lo = m + 1;
      else hi = m;
    }
    return lo;
  };
  const startFrom = (list, u) => {
    let lo = 0, hi = list.length;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (start[list[m]] < u) lo = m + 1;
      else hi = m;
    }
    return lo;
  };
  // Without a filter the count is two binary searches per lane; with one, every op in view is asked.
  function countInView() {
    let n = 0;
    for (let l = 0; l < L; l++) {
      const from = firstFrom(l, a);
      let to = from, hi = D.laneEnd[l];
      while (to < hi) {
        const m = (to + hi) >> 1;
        if (start[m] <= b) to = m + 1;
        else hi = m;
      }
      if (!filtered()) n += to - from;
      else for (let i = from; i < to; i++) if (passes(i)) n++;
    }
    return n;
  }
  // Rectangles are collected into one path per style and filled once per draw: a zoomed-out million-op view is
  // tens of thousands of marks, and one fill call each would cost more than finding them.
  let P = null;
  const newPaths = () => ({ ok: new Path2D(), failBox: new Path2D(), failTick: new Path2D(), infoWide: new Path2D(), infoNarrow: new Path2D() });
  const labels = [];
  function drawOp(i, ty, x0, w, y, h) {
    // Shape as well as colour: ok solid, fail hollow (a low tick when narrow), info striped and full height.
    if (ty === 0) P.ok.rect(x0, y + 1, w, h);
    else if (ty === 1) {
      if (w >= 4 && h >= 6) P.failBox.rect(x0 + 0.75, y + 1.75, w - 1.5, h - 1.5);
      else P.failTick.rect(x0, y + 1 + h / 2, w, h / 2);
    } else if (w >= 4) P.infoWide.rect(x0, y + 1, w, h);
    else P.infoNarrow.rect(x0, y + 1, w, h);
    if (w > 60 && laneH >= 12) {
      const label = `${D.fs[D.f[i]]}${D.key[i] ? ` ${D.keys[D.key[i]]}` : ''}`;
      if (label.length * 6 + 8 < w) labels.push([label, ty, x0 + 4, y + laneH - 4]);
    }
  }
  function flushOps() {
    ctx.fillStyle = COL[0];
    ctx.fill(P.ok);
    ctx.fillStyle = COL[2];
    ctx.fill(P.infoNarrow);
    ctx.fillStyle = stripes;
    ctx.fill(P.infoWide);
    ctx.fillStyle = '#57606a';
    ctx.fill(P.failTick);
    ctx.strokeStyle = '#57606a';
    ctx.lineWidth = 1.5;
    ctx.stroke(P.failBox);
    ctx.lineWidth = 1;
    for (const [label, ty, x, y] of labels) {
      ctx.fillStyle = ty === 0 ? '#fff' : '#1f2328';
      ctx.fillText(label, x, y);
    }
    labels.length = 0;
  }

  let inView = 0;
  function draw() {
    const t = performance.now();
    ctx.clearRect(0, 0, W, H);
    ctx.font = '11px system-ui, sans-serif';
    // Fault windows behind everything.
    for (const w of D.faults) {
      const x0 = Math.max(GUT, X(w.start)), x1 = Math.min(W, X(w.end ?? D.span));
      if (x1 < GUT || x0 > W) continue;
      ctx.fillStyle = `hsla(${w.hue}, 70%, 55%, 0.13)`;
      ctx.fillRect(x0, 0, Math.max(1, x1 - x0), H);
    }
    // Axis ticks.
    ctx.fillStyle = '#59636e';
    ctx.strokeStyle = '#eaeef2';
    const step = niceStep((b - a) / 8);
    for (let u = Math.ceil(a / step) * step; u <= b; u += step) {
      const x = X(u);
      ctx.beginPath(); ctx.moveTo(x, 10); ctx.lineTo(x, H); ctx.stroke();
      ctx.fillText(fmtT(u), x + 2, 9);
    }
    stripes = stripes || stripe();
    P = newPaths();
    let prevRegion = null;
    for (let l = 0; l < L; l++) {
      const y = rows[l];
      const lane = D.lanes[l];
      if (lane.region !== prevRegion) {
        prevRegion = lane.region;
        ctx.fillStyle = '#1f2328';
        ctx.font = 'bold 12px system-ui, sans-serif';
        ctx.fillText(lane.region, 4, y - 4);
        ctx.font = '11px system-ui, sans-serif';
        ctx.strokeStyle = '#d1d9e0';
        ctx.beginPath(); ctx.moveTo(0, y - RH + 1.5); ctx.lineTo(W, y - RH + 1.5); ctx.stroke();
      }
      if (laneH >= 10) {
        ctx.fillStyle = '#59636e';
        ctx.fillText(lane.label, 10, y + laneH - 4);
      }
      const h = Math.max(2, laneH - 3);
      // Per outcome, ops of this lane in start order; past the first op in a pixel column, the rest of that column
      // is skipped by binary search, so a lane costs its width in pixels, not its number of operations.
      for (let ty = 0; ty < 3; ty++) {
        const list = byType[ty][l];
        for (let k = fromIn(list, a); k < list.length; ) {
          const i = list[k];
          if (start[i] > b) break;
          if (!passes(i)) {
            k++;
            continue;
          }
          const x0 = Math.max(GUT, X(start[i]));
          const x1 = Math.min(W, X(end[i]));
          const w = Math.max(1, x1 - x0);
          drawOp(i, ty, x0, w, y, h);
          k = w < 2 ? Math.max(k + 1, startFrom(list, U((x0 | 0) + 1))) : k + 1;
        }
      }
    }
    flushOps();
    inView = countInView();
    const marks = [];
    for (let r = 0; r < D.blamed.length; r += 2) {
      const i = D.blamed[r];
      if (start[i] <= b && end[i] >= a && passes(i)) marks.push(i);
    }
    // Blamed ops: a red triangle above, drawn last so nothing covers it.
    ctx.fillStyle = '#cf222e';
    let lastMark = -1;
    for (const i of marks) {
      const x = Math.max(GUT, X(start[i])) + Math.min(4, Math.max(0, (X(end[i]) - X(start[i])) / 2));
      if ((x | 0) === lastMark) continue;
      lastMark = x | 0;
      const y = rows[laneOf[i]];
      ctx.beginPath(); ctx.moveTo(x - 4, y - 4); ctx.lineTo(x + 4, y - 4); ctx.lineTo(x, y + 2); ctx.fill();
    }
    if (focus >= 0) {
      const y = rows[laneOf[focus]];
      const x0 = Math.max(GUT - 2, X(start[focus]));
      const x1 = Math.min(W, X(end[focus]));
      ctx.strokeStyle = '#0969da';
      ctx.lineWidth = 2.5;
      ctx.strokeRect(x0 - 2, y - 1, Math.max(5, x1 - x0 + 4), laneH + 1);
      ctx.lineWidth = 1;
    }
    if (brush) {
      ctx.fillStyle = 'rgba(9,105,218,.15)';
      ctx.fillRect(Math.min(brush.x0, brush.x1), 0, Math.abs(brush.x1 - brush.x0), H);
    }
    drawOverview();
    status.textContent = `${fmtT(a)} – ${fmtT(b)} · ${inView.toLocaleString('en-US')} of ${N.toLocaleString('en-US')} operations in view${filtered() ? ' (filtered)' : ''}`;
    host.dataset.drawMs = (performance.now() - t).toFixed(1);
    host.dataset.view = `${a},${b}`;
  }
  const filtered = () => filter.blamed || filter.type !== '' || filter.f !== '' || filter.region !== '' || filter.process !== '' || keyIndex !== -2;
  function niceStep(raw) {
    const p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1))));
    for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
    return 10 * p;
  }

  // The overview: operation density over the whole run, the fault windows, and the window in view.
  const density = new Uint32Array(2000);
  for (let i = 0; i < N; i++) density[Math.min(1999, Math.floor((start[i] / D.span) * 2000))]++;
  let densMax = 1;
  for (const v of density) densMax = Math.max(densMax, v);
  const octx = overview.getContext('2d');
  // The whole run does not change with the view: drawn once per size into a canvas, then copied.
  let ovStatic = null;
  function drawOverview() {
    octx.clearRect(0, 0, W, OV_H);
    if (ovStatic && ovStatic.width === overview.width) {
      octx.save();
      octx.setTransform(1, 0, 0, 1, 0, 0);
      octx.drawImage(ovStatic, 0, 0);
      octx.restore();
    } else {
      drawOverviewStatic();
      ovStatic = document.createElement('canvas');
      ovStatic.width = overview.width;
      ovStatic.height = overview.height;
      ovStatic.getContext('2d').drawImage(overview, 0, 0);
    }
    drawOverviewView();
  }
  function drawOverviewStatic() {
    octx.font = '11px system-ui, sans-serif';
    octx.fillStyle = '#59636e';
    octx.fillText('whole run', 4, 14);
    for (const w of D.faults) {
      const x0 = OX(w.start), x1 = OX(w.end ?? D.span);
      octx.fillStyle = `hsl(${w.hue}, 65%, 50%)`;
      octx.fillRect(x0, 2, Math.max(1, x1 - x0), 8);
    }
    octx.fillStyle = '#8c959f';
    const cols = W - GUT - 8;
    const bars = new Path2D();
    for (let c = 0; c < cols; c++) {
      const from = Math.floor((c / cols) * 2000), to = Math.max(from + 1, Math.floor(((c + 1) / cols) * 2000));
      let v = 0;
      for (let k = from; k < to; k++) v = Math.max(v, density[k]);
      if (v) {
        const h = (v / densMax) * (OV_H - 16);
        bars.rect(GUT + c, OV_H - 2 - h, 1, h);
      }
    }
    octx.fill(bars);
    octx.fillStyle = '#cf222e';
    for (let r = 0; r < D.blamed.length && r < 4000; r += 2) octx.fillRect(OX(start[D.blamed[r]]), OV_H - 4, 1.5, 4);
  }
  function drawOverviewView() {
    octx.strokeStyle = '#0969da';
    octx.lineWidth = 2;
    octx.fillStyle = 'rgba(9,105,218,.12)';
    const v0 = OX(a), v1 = Math.max(OX(b), v0 + 2);
    octx.fillRect(v0, 1, v1 - v0, OV_H - 2);
    octx.strokeRect(v0, 1, v1 - v0, OV_H - 2);
    octx.lineWidth = 1;
    if (obrush) {
      octx.fillStyle = 'rgba(9,105,218,.25)';
      octx.fillRect(Math.min(obrush.x0, obrush.x1), 0, Math.abs(obrush.x1 - obrush.x0), OV_H);
    }
  }

  function setView(na, nb) {
    const minW = 20; // µs
    if (nb - na < minW) {
      const m = (na + nb) / 2;
      na = m - minW / 2;
      nb = m + minW / 2;
    }
    const w = nb - na;
    if (w >= D.span) { na = 0; nb = D.span; }
    else if (na < 0) { na = 0; nb = w; }
    else if (nb > D.span) { nb = D.span; na = D.span - w; }
    a = na;
    b = nb;
    draw();
  }
  function zoom(f, at) {
    const c = at ?? (focus >= 0 && start[focus] <= b && end[focus] >= a ? (start[focus] + Math.min(end[focus], b)) / 2 : (a + b) / 2);
    setView(c - (c - a) * f, c + (b - c) * f);
  }
  const pan = (f) => setView(a + (b - a) * f, b + (b - a) * f);

  // Details of one op, in words; the same text for mouse and keyboard.
  function show(i, moveFocus) {
    focus = i;
    details.replaceChildren();
    if (i < 0) return draw();
    const cl = D.cline[i] ? line[i] + D.cline[i] : null;
    const rowsD = [
      ['Operation', `${D.fs[D.f[i]]}${D.key[i] ? ` ${D.keys[D.key[i]]}` : ''}`],
      ['Outcome', TYPES[type[i]] + (D.dur[i] < 0 ? ' (never completed)' : '')],
      ['Value', D.value[i] ? D.values[D.value[i]] : D.values[0]],
      ['History lines', cl ? `${line[i]} → ${cl}` : `${line[i]}`],
      ['Process', `p${proc[i]} (${D.lanes[laneOf[i]].region})`],
      ['Invoked', fmtT(start[i])],
      ['Completed', D.dur[i] < 0 ? '—' : `${fmtT(end[i])} (${fmtD(end[i] - start[i])})`],
    ];
    if (blameOf[i] >= 0) rowsD.push(['Blamed', D.blames[blameOf[i]]]);
    const dl = el('dl');
    for (const [k, v] of rowsD) dl.append(el('dt', {}, k), el('dd', {}, v));
    details.append(el('h4', {}, `Line ${line[i]}${blameOf[i] >= 0 ? ' · blamed' : ''}`), dl);
    details.dataset.line = String(line[i]);
    // An op of a key that is not linearizable links to the explorer (its longest partial linearization), or at
    // least to its step in the counterexample.
    const ex = document.querySelector(`details[data-explore-line="${line[i]}"]`) || document.querySelector(`[data-explore-line="${line[i]}"]`);
    if (ex) details.append(el('p', {}, el('a', { href: `#${ex.id}`, class: 'tl-explore', onclick: () => { if (ex.tagName === 'DETAILS') ex.open = true; } }, 'Explore its linearization, with the model state')));
    if (start[i] > b || end[i] < a) setView(start[i] - (b - a) / 2, start[i] + (b - a) / 2);
    else draw();
    if (moveFocus) details.focus();
  }

  // Keyboard: neighbours in the lane, nearest op in the lanes above and below, among ops that pass the filter.
  function neighbour(i, dir) {
    const l = laneOf[i];
    for (let j = i + dir; j >= laneStart(l) && j < D.laneEnd[l]; j += dir) if (passes(j)) return j;
    return -1;
  }
  function nearestIn(l, u) {
    let j = firstFrom(l, u);
    const lo = laneStart(l), hi = D.laneEnd[l];
    let best = -1, bd = Infinity;
    for (const k of [j - 1, j, j + 1]) {
      for (let m = k, steps = 0; m >= lo && m < hi && steps < 5000; m += k < j ? -1 : 1, steps++) {
        if (!passes(m)) continue;
        const d = Math.abs(start[m] - u);
        if (d < bd) { bd = d; best = m; }
        break;
      }
    }
    return best;
  }
  function vertical(i, dir) {
    for (let l = laneOf[i] + dir; l >= 0 && l < L; l += dir) {
      const j = nearestIn(l, start[i]);
      if (j >= 0) return j;
    }
    return -1;
  }
  function firstInView() {
    for (let l = 0; l < L; l++) {
      for (let i = firstFrom(l, a); i < D.laneEnd[l] && start[i] <= b; i++) if (passes(i)) return i;
    }
    return -1;
  }
  function nextBlamed() {
    if (!D.blamed.length) return;
    const list = [];
    for (let r = 0; r < D.blamed.length; r += 2) if (passes(D.blamed[r])) list.push(D.blamed[r]);
    if (!list.length) return;
    list.sort((p, q) => start[p] - start[q] || p - q);
    const cur = focus >= 0 ? start[focus] : -Infinity;
    const nxt = list.find((j) => start[j] > cur || (start[j] === cur && j > focus)) ?? list[0];
    show(nxt, false);
    canvas.focus();
  }
  canvas.addEventListener('keydown', (e) => {
    const k = e.key;
    let handled = true;
    if (k === '+' || k === '=') zoom(0.5);
    else if (k === '-' || k === '_') zoom(2);
    else if (k === '0' || k === 'Home') setView(0, D.span);
    else if (k === 'b') nextBlamed();
    else if (e.shiftKey && (k === 'ArrowLeft' || k === 'ArrowRight')) pan(k === 'ArrowLeft' ? -0.25 : 0.25);
    else if (k === 'ArrowLeft' || k === 'ArrowRight' || k === 'ArrowUp' || k === 'ArrowDown') {
      const cur = focus >= 0 && passes(focus) ? focus : -1;
      const j = cur < 0 ? firstInView() : k === 'ArrowLeft' ? neighbour(cur, -1) : k === 'ArrowRight' ? neighbour(cur, 1) : vertical(cur, k === 'ArrowUp' ? -1 : 1);
      if (j >= 0) show(j, false);
    } else if (k === 'Enter' || k === ' ') {
      if (focus < 0) show(firstInView(), false);
      else show(focus, true);
    } else if (k === 'Escape') show(-1, false);
    else handled = false;
    if (handled) e.preventDefault();
  });

  // Mouse: drag to brush a window, click to pick, ctrl + wheel to zoom.
  let brush = null, obrush = null;
  const pos = (e, c) => {
    const r = c.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  function hit(x, y) {
    let l = -1;
    for (let k = 0; k < L; k++) if (y >= rows[k] && y < rows[k] + laneH) l = k;
    if (l < 0 || x < GUT) return -1;
    const u = U(x), slack = (4 / (W - GUT)) * (b - a);
    for (let i = firstFrom(l, u - slack); i < D.laneEnd[l] && start[i] <= u + slack; i++) if (passes(i)) return i;
    return -1;
  }
  canvas.addEventListener('mousedown', (e) => {
    const [x] = pos(e, canvas);
    brush = { x0: x, x1: x };
  });
  window.addEventListener('mousemove', (e) => {
    if (brush) {
      brush.x1 = pos(e, canvas)[0];
      draw();
    } else if (obrush) {
      obrush.x1 = pos(e, overview)[0];
      drawOverview();
    }
  });
  window.addEventListener('mouseup', (e) => {
    if (brush) {
      const br = brush;
      brush = null;
      if (Math.abs(br.x1 - br.x0) > 4) setView(U(Math.max(GUT, Math.min(br.x0, br.x1))), U(Math.max(br.x0, br.x1)));
      else {
        const [x, y] = pos(e, canvas);
        show(hit(x, y), false);
      }
    } else if (obrush) {
      const br = obrush;
      obrush = null;
      if (Math.abs(br.x1 - br.x0) > 3) setView(OU(Math.min(br.x0, br.x1)), OU(Math.max(br.x0, br.x1)));
      else {
        const c = OU(br.x0);
        setView(c - (b - a) / 2, c + (b - a) / 2);
      }
    }
  });
  overview.addEventListener('mousedown', (e) => {
    const [x] = pos(e, overview);
    obrush = { x0: x, x1: x };
  });
  canvas.addEventListener('mousemove', (e) => {
    if (brush) return;
    const [x, y] = pos(e, canvas);
    const i = hit(x, y);
    tip.hidden = i < 0;
    if (i >= 0) {
      tip.textContent = `line ${line[i]} · p${proc[i]} · ${D.fs[D.f[i]]}${D.key[i] ? ` ${D.keys[D.key[i]]}` : ''} · ${TYPES[type[i]]} · ${fmtT(start[i])}${blameOf[i] >= 0 ? ' · BLAMED' : ''}`;
      tip.style.left = `${Math.min(x + 12, W - 260)}px`;
      tip.style.top = `${OV_H + y + 14}px`;
    }
  });
  canvas.addEventListener('mouseleave', () => (tip.hidden = true));
  canvas.addEventListener('wheel', (e) => {
    if (!e.ctrlKey && !e.metaKey) return;
    e.preventDefault();
    zoom(e.deltaY > 0 ? 1.25 : 0.8, U(pos(e, canvas)[0]));
  }, { passive: false });

  faultSel.addEventListener('change', () => {
    const w = D.faults[+faultSel.value];
    if (!w) return;
    const e = w.end ?? D.span, pad = (e - w.start) * 0.05;
    setView(w.start - pad, e + pad);
  });
  const refilter = () => {
    filter.region = regionSel.value;
    filter.type = typeSel.value;
    filter.f = fSel.value;
    filter.process = procIn.value.trim();
    filter.blamed = blamedBox.checked;
    const kq = keyIn.value.trim();
    keyIndex = kq === '' ? -2 : D.keys.indexOf(kq, 2);
    draw();
  };
  for (const c of [regionSel, typeSel, fSel, blamedBox]) c.addEventListener('change', refilter);
  for (const c of [procIn, keyIn]) c.addEventListener('input', refilter);
  window.addEventListener('resize', () => { size(); draw(); });

  size();
  draw();
  host.dataset.ready = String(performance.now().toFixed(0));
})();
