// Sample 3 web UI: renders the live summary (server-sent events) and pages of tags and users.
// Everything is built with DOM calls (no innerHTML with data): tags and names come from dumps.
'use strict';

(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
  const fmt = new Intl.NumberFormat('en-US');
  const $ = (id) => document.getElementById(id);

  function el(name, attrs, ...children) {
    const node = document.createElement(name);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined) node.setAttribute(k, v);
    }
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }
  function svg(name, attrs, ...children) {
    const node = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }
  function number(n) { return n === null || n === undefined ? '–' : fmt.format(n); }

  // ---- charts ------------------------------------------------------------------------------

  function tagChart(top) {
    const box = $('tag-chart');
    if (!top.length) {
      box.replaceChildren(el('p', { class: 'chart-empty' }, 'No tags counted yet.'));
      return;
    }
    const rowH = 22, labelW = 130, valueW = 64, width = 560;
    const barMax = width - labelW - valueW;
    const max = Math.max(...top.map((t) => t.posts), 1);
    const height = top.length * rowH + 4;
    const label = 'Bar chart of the ' + top.length + ' most used tags: '
      + top.map((t) => t.tag + ' ' + fmt.format(t.posts)).join(', ');
    const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label });
    const defs = svg('defs', {}, svg('linearGradient', { id: 'bar-gradient', x1: '0', x2: '1', y1: '0', y2: '0' },
      svg('stop', { offset: '0', 'stop-color': '#c75a0b' }), svg('stop', { offset: '1', 'stop-color': '#e9892f' })));
    chart.append(defs);
    top.forEach((t, i) => {
      const y = i * rowH + 2;
      const w = Math.max(2, Math.round(barMax * t.posts / max));
      const name = t.tag.length > 17 ? t.tag.slice(0, 16) + '…' : t.tag;
      chart.append(
        svg('text', { x: labelW - 8, y: y + 15, 'text-anchor': 'end', class: 'label' }, name),
        svg('rect', { x: labelW, y: y + 3, width: w, height: rowH - 7, rx: 3, class: 'bar' },
          svg('title', {}, `${t.tag}: ${fmt.format(t.posts)} posts`)),
        svg('text', { x: labelW + w + 6, y: y + 15, class: 'value' }, fmt.format(t.posts)));
    });
    box.replaceChildren(chart);
  }

  function weekChart(days) {
    const box = $('week-chart');
    if (!days) {
      box.replaceChildren(el('p', { class: 'chart-empty' }, 'No comments counted yet.'));
      return;
    }
    const width = 560, height = 220, top = 26, bottom = 30, colW = 56;
    const gap = (width - 7 * colW) / 8;
    const max = Math.max(...days, 1);
    const label = 'Column chart of comments by day of week: '
      + days.map((d, i) => DAY_NAMES[i] + ' ' + fmt.format(d)).join(', ');
    const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label });
    const plot = height - top - bottom;
    for (let g = 0; g <= 4; g++) {
      const y = top + plot * g / 4;
      chart.append(svg('line', { x1: 0, x2: width, y1: y, y2: y, class: 'grid-line' }));
    }
    days.forEach((d, i) => {
      const h = Math.max(1, Math.round(plot * d / max));
      const x = gap + i * (colW + gap);
      chart.append(
        svg('rect', { x, y: top + plot - h, width: colW, height: h, rx: 4, class: d === max ? 'col max' : 'col' },
          svg('title', {}, `${DAY_NAMES[i]}: ${fmt.format(d)} comments`)),
        svg('text', { x: x + colW / 2, y: top + plot - h - 6, 'text-anchor': 'middle', class: 'value' }, fmt.format(d)),
        svg('text', { x: x + colW / 2, y: height - 10, 'text-anchor': 'middle', class: 'label' }, DAYS[i]));
    });
    box.replaceChildren(chart);
  }

  function sparkline(days, name) {
    if (!days) return el('span', { class: 'hint' }, 'no comments');
    const max = Math.max(...days, 1);
    const w = 126, h = 30, barW = 14, gap = 4;
    const label = `${name}: ` + days.map((d, i) => DAYS[i] + ' ' + d).join(', ');
    const s = svg('svg', { class: 'spark', viewBox: `0 0 ${w} ${h}`, role: 'img', 'aria-label': label });
    days.forEach((d, i) => {
      const bh = d === 0 ? 1 : Math.max(2, Math.round((h - 2) * d / max));
      s.append(svg('rect', { x: i * (barW + gap), y: h - bh, width: barW, height: bh, rx: 2,
        class: d === max && d > 0 ? 'max' : '' }, svg('title', {}, `${DAY_NAMES[i]}: ${d}`)));
    });
    return s;
  }

  function meter(value, max) {
    const w = Math.max(1, Math.round(100 * value / Math.max(max, 1)));
    return el('span', { class: 'meter', 'aria-hidden': 'true' },
      svg('svg', { viewBox: '0 0 100 6', preserveAspectRatio: 'none' }, svg('rect', { x: 0, y: 0, width: w, height: 6, rx: 3 })));
  }

  // ---- tables with search and pages ------------------------------------------------------------

  function pagedTable(kind, size, renderRow, columns) {
    const state = { q: '', page: 1, size, total: 0, loading: false, again: false, max: 1 };
    const input = $(`${kind}-search`), prev = $(`${kind}-prev`), next = $(`${kind}-next`);
    const tbody = document.querySelector(`#${kind}-table tbody`);
    let timer = null;

    async function load() {
      if (state.loading) { state.again = true; return; }
      state.loading = true;
      try {
        const url = `api/${kind}s?` + new URLSearchParams({ q: state.q, page: state.page, size: state.size });
        const response = await fetch(url, { cache: 'no-store' });
        const body = await response.json();
        if (!response.ok) throw new Error(body.detail || response.statusText);
        render(body);
      } catch (e) {
        $(`${kind}-result`).textContent = 'Could not load: ' + e.message;
      } finally {
        state.loading = false;
        if (state.again) { state.again = false; load(); }
      }
    }

    function render(body) {
      state.total = body.total;
      const pages = Math.max(1, Math.ceil(body.total / state.size));
      if (body.rows.length && state.page === 1 && !state.q) state.max = Math.max(1, body.rows[0][columns.count]);
      const rows = body.rows.map((row) => renderRow(row, state.max));
      if (!rows.length) {
        let text;
        if (body.empty) text = 'Nothing projected yet.';
        else if (body.source === 'indexing') text = 'Indexing every ' + kind + ' for search… a moment.';
        else if (state.q) text = `No ${kind} matches “${state.q}”.`;
        else text = 'No ' + kind + 's on this page.';
        rows.push(el('tr', { class: 'empty-row' }, el('td', { colspan: 4 }, text)));
      }
      tbody.replaceChildren(...rows);
      prev.disabled = state.page <= 1;
      next.disabled = state.page >= pages;
      $(`${kind}-page`).textContent = `Page ${fmt.format(state.page)} of ${fmt.format(pages)}`;
      const what = kind === 'tag' ? 'tags' : 'users';
      $(`${kind}-result`).textContent = state.q
        ? `${fmt.format(body.total)} ${what} match “${state.q}”`
        : `${fmt.format(body.total)} ${what}` + (body.source === 'index' ? ' (search index refreshed every few seconds)' : ', live');
    }

    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => { state.q = input.value.trim(); state.page = 1; load(); }, 180);
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { input.value = ''; state.q = ''; state.page = 1; load(); }
    });
    prev.addEventListener('click', () => { if (state.page > 1) { state.page--; load(); } });
    next.addEventListener('click', () => { state.page++; load(); });
    return { load };
  }

  const tags = pagedTable('tag', 12, (row, max) => el('tr', {},
    el('td', { class: 'num' }, row.rank ? fmt.format(row.rank) : ''),
    el('th', { scope: 'row' }, el('span', { class: 'tagname' }, row.tag)),
    el('td', { class: 'num' }, fmt.format(row.posts)),
    el('td', { class: 'share' }, meter(row.posts, max))), { count: 'posts' });

  const users = pagedTable('user', 10, (row) => {
    const name = row.name || `user ${row.userId}`;
    return el('tr', {},
      el('td', { class: 'num' }, row.rank ? fmt.format(row.rank) : ''),
      el('th', { scope: 'row' }, name, el('span', { class: 'uid' }, '#' + row.userId)),
      el('td', { class: 'num' }, fmt.format(row.comments)),
      el('td', {}, sparkline(row.days, name)));
  }, { count: 'comments' });

  // ---- processing ------------------------------------------------------------------------------

  let lastSummary = null;

  function ago(iso) {
    if (!iso) return '–';
    const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (seconds < 60) return `${seconds} s ago`;
    if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
    return new Date(iso).toLocaleString();
  }

  function stateOf(p) {
    if (p.state === 'RUNNING' && p.lag !== null && p.lag !== undefined) return p.lag === 0 ? 'caught up' : 'catching up';
    return p.state.toLowerCase();
  }

  function processing(summary) {
    const rows = summary.projections.map((p) => {
      const state = stateOf(p);
      const cells = [
        el('th', { scope: 'row' }, p.name),
        el('td', {}, el('span', { class: 'state ' + state.replace(' ', '-') }, state),
          p.error && p.state === 'FAILED' ? el('div', { class: 'error-text' }, p.error) : ''),
        el('td', { class: 'num' }, number(p.position)),
        el('td', { class: 'num' }, number(p.lag)),
        el('td', { class: 'num' }, number(p.eventsPerSecond)),
        el('td', { 'data-time': p.lastUpdate || '' }, ago(p.lastUpdate)),
      ];
      return el('tr', {}, ...cells);
    });
    document.querySelector('#proc-table tbody').replaceChildren(...rows);
    $('head-text').textContent = summary.head
      ? `Store head: version ${fmt.format(summary.head.version)}, position ${fmt.format(summary.head.position)}`
      : 'Store head unknown (no node given)';
  }

  setInterval(() => {
    document.querySelectorAll('#proc-table td[data-time]').forEach((td) => {
      if (td.dataset.time) td.textContent = ago(td.dataset.time);
    });
  }, 1000);

  // ---- summary -----------------------------------------------------------------------------------

  function demo(d) {
    const box = $('demo');
    if (!d) { box.hidden = true; return; }
    box.hidden = false;
    $('demo-text').textContent = d.message;
    const bar = $('demo-progress');
    if (d.fraction === null || d.fraction === undefined) bar.removeAttribute('value');
    else bar.value = d.fraction;
  }

  function render(summary) {
    const nothing = !summary.tags.ready && !summary.users.ready;
    $('empty').hidden = !nothing || !!summary.demo;
    $('stat-posts').textContent = number(summary.tags.taggedPosts);
    $('stat-tags').textContent = number(summary.tags.tags);
    $('stat-comments').textContent = number(summary.users.comments);
    $('stat-commenters').textContent = number(summary.users.commenters);
    $('stat-events').textContent = number(summary.head ? summary.head.version
      : Math.max(0, ...summary.projections.map((p) => p.events || 0)));
    tagChart(summary.tags.top);
    weekChart(summary.weekdays);
    processing(summary);
    demo(summary.demo);
    const stamp = JSON.stringify([summary.tags.taggedPosts, summary.tags.tags, summary.users.comments,
      summary.users.commenters, summary.index.generation,
      summary.projections.map((p) => p.events)]);
    if (!lastSummary || lastSummary !== stamp) {
      lastSummary = stamp;
      tags.load();
      users.load();
    }
    document.body.dataset.updated = String(Date.now());
  }

  function connect() {
    const connection = $('connection');
    const source = new EventSource('api/live');
    source.addEventListener('summary', (e) => {
      connection.className = 'connection live';
      $('connection-text').textContent = 'Live';
      render(JSON.parse(e.data));
    });
    source.addEventListener('error', () => {
      connection.className = 'connection down';
      $('connection-text').textContent = 'Reconnecting…';
    });
  }

  document.addEventListener('keydown', (e) => {
    // "/" jumps to the tag search, as on many sites; not while typing.
    if (e.key === '/' && !(e.target instanceof HTMLInputElement)) { e.preventDefault(); $('tag-search').focus(); }
  });

  fetch('api/summary', { cache: 'no-store' }).then((r) => r.json()).then(render).catch(() => {});
  connect();
})();
