// The store index's filters and compare view. Everything else on the page is there without JavaScript.
// The comparison is harness/store/diff.ts's (`rift diff`), drawn as harness/store/diff-page.ts draws it;
// test/harness/store/index.browser.test.ts holds the two to the same rows.
(() => {
  const $ = (id) => document.getElementById(id);
  const data = JSON.parse($('store-data').textContent);
  const byId = new Map(data.runs.map((r) => [r.id, r]));
  const rows = [...$('runs-table').tBodies[0].rows];

  // Filters: every control narrows the rows; the count says how many are left.
  const form = $('filters');
  form.hidden = false;
  const apply = () => {
    const pick = (id) => $(id).value;
    const [verdict, name, target, workload, fault, seed] = ['f-verdict', 'f-name', 'f-target', 'f-workload', 'f-fault', 'f-seed'].map(pick);
    const min = parseFloat(pick('f-min'));
    const max = parseFloat(pick('f-max'));
    let shown = 0;
    for (const tr of rows) {
      const d = tr.dataset;
      const faults = d.faults ? d.faults.split(' ') : [];
      const duration = d.duration === '' ? NaN : Number(d.duration);
      const ok = (!verdict || d.verdict === verdict) && (!name || d.name === name) && (!target || d.target === target)
        && (!workload || d.workload === workload)
        && (!fault || (fault === '(none)' ? faults.length === 0 : faults.includes(fault)))
        && (!seed.trim() || d.seed === seed.trim())
        && (Number.isNaN(min) || duration >= min) && (Number.isNaN(max) || duration <= max);
      tr.hidden = !ok;
      if (ok) shown++;
    }
    $('shown').textContent = `${shown} of ${rows.length} runs shown`;
  };
  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  form.addEventListener('reset', () => setTimeout(apply));
  apply();

  // Compare: pick two runs, see what changed from the older (A) to the newer (B).
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  const absent = '<span class="note">(absent)</span>';
  const chip = (v) => (v === undefined ? absent : `<span class="v v-${esc(v)}">${esc(v)}</span>`);
  const val = (v) => (v === undefined ? absent : esc(v));
  const union = (a, b) => [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const format = (f, v) => {
    if (v === undefined) return undefined;
    if (f.percent) return `${(v * 100).toFixed(1)}%`;
    const n = Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100);
    return f.unit ? `${n} ${f.unit}` : n;
  };
  const diffTables = (a, b) => {
    const side = (tag, r) => `<li>${tag}: ${r.report ? `<a href="${esc(r.report)}">${esc(r.id)}</a>` : esc(r.id)} ${chip(r.verdict)}${r.spec.seed ? ` seed ${esc(r.spec.seed)}` : ''}${r.startedAt ? ` · started ${esc(r.startedAt)}` : ''}</li>`;
    const specKeys = union(a.spec, b.spec);
    const spec = specKeys.filter((k) => a.spec[k] !== b.spec[k]);
    const verdictKeys = union(a.verdicts, b.verdicts);
    const verdicts = verdictKeys.filter((k) => a.verdicts[k]?.value !== b.verdicts[k]?.value);
    const reason = (l) => (l?.reason === undefined ? '' : `<span class="reason">${esc(l.reason)}</span>`);
    const figures = data.figures.filter((f) => a.figures[f.key] !== undefined || b.figures[f.key] !== undefined).map((f) => {
      const [va, vb] = [a.figures[f.key], b.figures[f.key]];
      const [fa, fb] = [format(f, va), format(f, vb)];
      const row = { label: f.label, a: fa, b: fb, changed: fa !== fb };
      if (va !== undefined && vb !== undefined && row.changed) {
        const d = vb - va;
        row.delta = `${d > 0 ? '+' : '−'}${format(f, Math.abs(d))}`;
        if (f.better !== 'neither') row.direction = (d > 0) === (f.better === 'higher') ? 'better' : 'worse';
      }
      return row;
    });
    const changedFigures = figures.filter((f) => f.changed).length;
    return [
      `<h2>Compare</h2><ul class="runs">${side('A', a)}${side('B', b)}</ul>`,
      `<h3>Spec</h3><p class="note" id="diff-spec-note">${spec.length ? `${spec.length} of ${specKeys.length} options differ` : `the same ${specKeys.length} options`}</p>`,
      spec.length ? `<table class="diff" id="diff-spec"><thead><tr><th>option</th><th>A</th><th>B</th></tr></thead><tbody>${spec.map((k) => `<tr class="changed"><td>${esc(k)}</td><td class="a">${val(a.spec[k])}</td><td class="b">${val(b.spec[k])}</td></tr>`).join('')}</tbody></table>` : '',
      `<h3>Verdicts</h3><p class="note" id="diff-verdicts-note">${verdicts.length ? `${verdicts.length} of ${verdictKeys.length} differ` : `the same ${verdictKeys.length}`}</p>`,
      verdicts.length ? `<table class="diff" id="diff-verdicts"><thead><tr><th>verdict of</th><th>A</th><th>B</th></tr></thead><tbody>${verdicts.map((k) => `<tr class="changed"><td>${esc(k)}</td><td class="a">${chip(a.verdicts[k]?.value)}${reason(a.verdicts[k])}</td><td class="b">${chip(b.verdicts[k]?.value)}${reason(b.verdicts[k])}</td></tr>`).join('')}</tbody></table>` : '',
      `<h3>Figures</h3><p class="note" id="diff-figures-note">${changedFigures} of ${figures.length} differ</p>`,
      `<table class="diff" id="diff-figures"><thead><tr><th>figure</th><th>A</th><th>B</th><th>change</th></tr></thead><tbody>${figures.map((f) => `<tr class="${[f.changed ? 'changed' : '', f.direction ?? ''].join(' ').trim()}"><td>${esc(f.label)}</td><td class="a">${val(f.a)}</td><td class="b">${val(f.b)}</td><td class="d">${f.delta ? esc(`${f.delta}${f.direction ? ` (${f.direction})` : ''}`) : ''}</td></tr>`).join('')}</tbody></table>`,
    ].join('\n');
  };

  const view = $('diff');
  const show = (ids) => {
    const runs = ids.map((id) => byId.get(id));
    if (runs.length !== 2 || runs.some((r) => !r)) return false;
    // A is the older run, so the changes read forwards in time.
    const [a, b] = runs.sort((x, y) => (x.startedAt ?? '').localeCompare(y.startedAt ?? '') || x.id.localeCompare(y.id));
    view.innerHTML = diffTables(a, b);
    view.hidden = false;
    return true;
  };
  const bar = $('compare-bar');
  const button = $('compare');
  const picks = () => rows.filter((tr) => tr.querySelector('.pick').checked).map((tr) => tr.dataset.id);
  bar.hidden = false;
  for (const tr of rows) {
    tr.querySelector('.pick').addEventListener('change', () => {
      const n = picks().length;
      button.disabled = n !== 2;
      $('compare-note').textContent = n === 2 ? 'ready' : n < 2 ? `pick ${2 - n} more run${n === 1 ? '' : 's'}` : 'pick only two runs';
    });
  }
  button.addEventListener('click', () => {
    const ids = picks();
    if (show(ids)) {
      history.replaceState(null, '', `#compare=${ids.map(encodeURIComponent).join(',')}`);
      view.scrollIntoView();
    }
  });
  // A link to a comparison: index.html#compare=<run id>,<run id>.
  const m = /^#compare=([^,]+),(.+)$/.exec(location.hash);
  if (m) show([decodeURIComponent(m[1]), decodeURIComponent(m[2])]);
})();
