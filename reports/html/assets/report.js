// Optional conveniences only: everything these add to is already on the page without JavaScript.
(() => {
  for (const slot of document.querySelectorAll('.filter-slot')) {
    const table = document.getElementById(slot.dataset.for);
    if (!table || !table.tBodies[0]) continue;
    const input = document.createElement('input');
    input.type = 'search';
    input.placeholder = 'Filter by line, region, op, checker…';
    input.setAttribute('aria-label', 'Filter blamed operations');
    const count = document.createElement('span');
    count.className = 'note';
    const rows = [...table.tBodies[0].rows];
    const apply = () => {
      const q = input.value.trim().toLowerCase();
      let shown = 0;
      for (const tr of rows) {
        tr.hidden = q !== '' && !tr.textContent.toLowerCase().includes(q);
        if (!tr.hidden) shown++;
      }
      count.textContent = ` ${shown} of ${rows.length} shown`;
    };
    input.addEventListener('input', apply);
    slot.append(input, count);
    apply();
  }
  const timeline = document.querySelector('svg.timeline');
  if (timeline && timeline.querySelector('.blamed, .mark')) {
    const label = document.createElement('label');
    label.className = 'toggle';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.addEventListener('change', () => timeline.classList.toggle('focus', box.checked));
    label.append(box, ' dim operations no checker blames');
    timeline.closest('section').querySelector('.legend').append(label);
  }
})();
