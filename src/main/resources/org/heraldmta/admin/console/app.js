// Herald console: plain JavaScript over the admin API (/api/v1/...). No framework, no build step.
// Every text from the server (replies, transcripts, addresses) goes into the page as text, never as HTML.
'use strict';

(() => {
  const TOKEN_KEY = 'herald.token';
  const PAGE_SIZE = 50;
  const REFRESH_MS = 4000;
  // The server writes the times inside its wait reasons ("retry at 12:04:10 after ...") in the zone it is asked for.
  const ZONE = (Intl.DateTimeFormat().resolvedOptions().timeZone) || 'UTC';

  // ---------------------------------------------------------------- API

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function headers(extra) {
    const h = Object.assign({ 'X-Herald-Console': '1', 'Accept': 'application/json' }, extra || {});
    if (token()) {
      h['Authorization'] = 'Bearer ' + token();
    }
    return h;
  }

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(path, options) {
    const opts = Object.assign({}, options || {});
    opts.headers = headers(opts.headers);
    opts.cache = 'no-store';
    let response;
    try {
      response = await fetch(path, opts);
    } catch (e) {
      throw new ApiError(0, 'The server does not answer (' + e.message + ').');
    }
    const text = await response.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch (e) {
      body = null;
    }
    if (!response.ok) {
      const why = body && body.error ? body.error : (text || response.statusText).split('\n')[0];
      throw new ApiError(response.status, why);
    }
    return body;
  }

  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (v !== undefined && v !== null && v !== '') {
        q.set(k, v);
      }
    }
    const s = q.toString();
    return s ? '?' + s : '';
  }

  // ---------------------------------------------------------------- DOM helpers

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) {
        continue;
      }
      if (k === 'class') {
        el.className = v;
      } else if (k.startsWith('on')) {
        el.addEventListener(k.slice(2), v);
      } else if (k === 'dataset') {
        Object.assign(el.dataset, v);
      } else {
        el.setAttribute(k, v === true ? '' : v);
      }
    }
    append(el, children);
    return el;
  }

  function append(el, ...children) {
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) {
        continue;
      }
      el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  function clear(el) {
    while (el.firstChild) {
      el.removeChild(el.firstChild);
    }
    return el;
  }

  function badge(state) {
    return h('span', { class: 'badge ' + (state || '') }, state || '-');
  }

  function notice(kind, text) {
    return h('div', { class: 'notice ' + kind, role: kind === 'error' ? 'alert' : 'status' }, text);
  }

  // ---------------------------------------------------------------- formatting (the browser's time zone)

  const dateTime = new Intl.DateTimeFormat(undefined, {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  const clockTime = new Intl.DateTimeFormat(undefined, {
    hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3, hour12: false,
  });
  const shortTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hour12: false });
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  function when(iso) {
    if (!iso) {
      return '-';
    }
    const d = new Date(iso);
    return isNaN(d) ? iso : dateTime.format(d);
  }

  function timeEl(iso, relative) {
    if (!iso) {
      return '-';
    }
    const d = new Date(iso);
    const text = relative ? relativeTo(d) : when(iso);
    return h('time', { datetime: iso, title: when(iso) + ' (' + zone + ')' }, text);
  }

  function relativeTo(d) {
    const seconds = Math.round((d.getTime() - Date.now()) / 1000);
    if (Math.abs(seconds) < 5) {
      return 'now';
    }
    const text = duration(Math.abs(seconds));
    return seconds > 0 ? 'in ' + text : text + ' ago';
  }

  function duration(seconds) {
    seconds = Math.round(seconds);
    if (seconds < 60) {
      return seconds + 's';
    }
    if (seconds < 3600) {
      return Math.floor(seconds / 60) + 'm ' + String(seconds % 60).padStart(2, '0') + 's';
    }
    if (seconds < 86400) {
      return Math.floor(seconds / 3600) + 'h ' + String(Math.floor(seconds % 3600 / 60)).padStart(2, '0') + 'm';
    }
    return Math.floor(seconds / 86400) + 'd ' + Math.floor(seconds % 86400 / 3600) + 'h';
  }

  function size(bytes) {
    if (bytes < 1024) {
      return bytes + ' B';
    }
    if (bytes < 1024 * 1024) {
      return (bytes / 1024).toFixed(1) + ' KiB';
    }
    return (bytes / 1024 / 1024).toFixed(1) + ' MiB';
  }

  function count(n) {
    return (n || 0).toLocaleString();
  }

  // ---------------------------------------------------------------- tables that sort and page

  // columns: [{key, label, value(row) -> sortable, render(row) -> node|text, num}]
  // state: {sort, desc, page} kept per table name across refreshes.
  const tableState = {};

  function dataTable(name, columns, rows, options) {
    const opts = Object.assign({ pageSize: PAGE_SIZE, empty: 'Nothing here.' }, options || {});
    const state = tableState[name] || (tableState[name] = { sort: opts.sort || null, desc: !!opts.desc, page: 0 });
    const wrap = h('div', { class: 'table-block', dataset: { table: name } });

    function render() {
      clear(wrap);
      let sorted = rows.slice();
      const column = columns.find(c => c.key === state.sort);
      if (column) {
        const value = column.value || (r => r[column.key]);
        // Queue ids sort as plain text (their order is the order they were made in); other text sorts the way
        // people read it, with runs of digits compared as numbers (mx2 before mx10).
        const order = column.plain ? comparePlain : compare;
        sorted.sort((a, b) => order(value(a), value(b)) * (state.desc ? -1 : 1));
      }
      const pages = Math.max(1, Math.ceil(sorted.length / opts.pageSize));
      state.page = Math.min(state.page, pages - 1);
      const shown = sorted.slice(state.page * opts.pageSize, (state.page + 1) * opts.pageSize);

      const head = h('tr', {}, columns.map(c => {
        const cls = [c.num ? 'num' : '', c.sortable === false ? '' : 'sortable',
          state.sort === c.key ? (state.desc ? 'sorted-desc' : 'sorted-asc') : ''].join(' ').trim();
        const sortBy = () => {
          state.desc = state.sort === c.key ? !state.desc : false;
          state.sort = c.key;
          render();
        };
        const sortable = c.sortable !== false;
        return h('th', {
          class: cls, scope: 'col', dataset: { key: c.key }, tabindex: sortable ? '0' : null,
          'aria-sort': state.sort === c.key ? (state.desc ? 'descending' : 'ascending') : null,
          onclick: sortable ? sortBy : null,
          onkeydown: sortable ? ev => {
            if (ev.key === 'Enter' || ev.key === ' ') {
              ev.preventDefault();
              sortBy();
            }
          } : null,
        }, c.label);
      }));
      const body = h('tbody', {}, shown.map(r => h('tr', {}, columns.map(c => h('td', {
        class: [c.num ? 'num' : '', c.wrap ? 'wrap' : ''].join(' ').trim() || null,
      }, c.render ? c.render(r) : (r[c.key] === null || r[c.key] === undefined ? '-' : r[c.key]))))));
      const table = h('table', {}, h('thead', {}, head), body);
      append(wrap, h('div', { class: 'table-wrap' }, table,
        rows.length === 0 ? h('div', { class: 'empty' }, opts.empty) : null));
      if (pages > 1) {
        append(wrap, pager(state.page, pages, sorted.length, p => {
          state.page = p;
          render();
        }));
      }
    }

    render();
    return wrap;
  }

  function compare(a, b) {
    if (a === b) {
      return 0;
    }
    if (a === null || a === undefined || a === '') {
      return 1;
    }
    if (b === null || b === undefined || b === '') {
      return -1;
    }
    if (typeof a === 'number' && typeof b === 'number') {
      return a - b;
    }
    return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
  }

  function comparePlain(a, b) {
    const x = a === null || a === undefined ? '' : String(a);
    const y = b === null || b === undefined ? '' : String(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  function pager(page, pages, total, go) {
    return h('div', { class: 'pager' },
      h('button', { class: 'small', disabled: page === 0, onclick: () => go(page - 1) }, '‹ Previous'),
      h('span', {}, 'Page ' + (page + 1) + ' of ' + pages + ' · ' + count(total) + ' rows'),
      h('button', { class: 'small', disabled: page >= pages - 1, onclick: () => go(page + 1) }, 'Next ›'));
  }

  // ---------------------------------------------------------------- dialogs

  function confirmDialog(title, text, okLabel, danger) {
    const dialog = document.getElementById('confirm');
    document.getElementById('confirm-title').textContent = title;
    document.getElementById('confirm-text').textContent = text;
    const ok = document.getElementById('confirm-ok');
    ok.textContent = okLabel;
    ok.className = danger ? 'primary danger-fill' : 'primary';
    dialog.returnValue = '';
    return new Promise(resolve => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
      dialog.showModal();
      document.getElementById('confirm-cancel').focus();
    });
  }

  function infoDialog(title, body) {
    const dialog = document.getElementById('info');
    document.getElementById('info-title').textContent = title;
    append(clear(document.getElementById('info-body')), [body]);
    dialog.showModal();
  }

  function dialogOpen() {
    return document.getElementById('confirm').open || document.getElementById('info').open;
  }

  // ---------------------------------------------------------------- actions (retry, hold, release, delete, bounce)

  const ACTIONS = {
    retry: { label: 'Retry now', verb: 'try again now', danger: false },
    hold: { label: 'Hold', verb: 'hold (no delivery until released)', danger: false },
    release: { label: 'Release', verb: 'release for delivery', danger: false },
    bounce: { label: 'Bounce', verb: 'give up on and send the sender a bounce for', danger: true },
    delete: { label: 'Delete', verb: 'delete without telling the sender', danger: true },
  };

  // target: {id} | {domain} | {all: true}
  async function runAction(action, target, after) {
    const a = ACTIONS[action];
    const what = target.id ? 'message ' + target.id : target.domain ? 'every message to ' + target.domain
      : 'every message in the queue';
    const ok = await confirmDialog(a.label + '?', 'This will ' + a.verb + ' ' + what + '.', a.label, a.danger);
    if (!ok) {
      return;
    }
    const path = target.id ? '/api/v1/queue/' + encodeURIComponent(target.id) + '/' + action
      : '/api/v1/queue/' + action + (target.domain ? query({ domain: target.domain }) : '?all=true');
    try {
      const result = await api(path, { method: 'POST' });
      flash('ok', a.label + ': ' + result.affected + ' message(s) affected.');
    } catch (e) {
      flash('error', a.label + ' failed: ' + e.message);
    }
    if (after) {
      after();
    }
  }

  function actionButtons(target, after, which) {
    return h('div', { class: 'actions' }, (which || Object.keys(ACTIONS)).map(action => h('button', {
      class: 'small' + (ACTIONS[action].danger ? ' danger' : ''),
      dataset: { action },
      onclick: () => runAction(action, target, after),
    }, ACTIONS[action].label)));
  }

  let flashed = null;

  function flash(kind, text) {
    flashed = { kind, text, until: Date.now() + 6000 };
    showFlash();
  }

  function showFlash() {
    const place = document.getElementById('flash');
    if (!place) {
      return;
    }
    clear(place);
    if (flashed && flashed.until > Date.now()) {
      place.appendChild(notice(flashed.kind, flashed.text));
    }
  }

  // ---------------------------------------------------------------- pages

  const view = () => document.getElementById('view');
  let refreshTimer = null;
  let liveStream = null;

  function page(title, ...content) {
    return [h('h1', {}, title), h('div', { id: 'flash' }), content];
  }

  function showError(e) {
    const banner = document.getElementById('banner');
    if (e) {
      banner.textContent = e.status === 401 ? 'The server needs a token: open the console as /?token=YOUR_TOKEN.'
        : e.message;
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
  }

  // Renders a page now and again every few seconds (not while a dialog is open or the user is typing).
  function refreshing(render) {
    const mine = generation;
    const run = async first => {
      if (!first && (dialogOpen() || document.hidden || typingInView() || String(window.getSelection()))) {
        return;
      }
      try {
        const nodes = await render();
        if (mine !== generation) {
          return; // the user went to another page while this one was loading
        }
        if (nodes) {
          const scroll = window.scrollY;
          append(clear(view()), nodes);
          showFlash();
          window.scrollTo(0, scroll);
        }
        showError(null);
      } catch (e) {
        if (mine !== generation) {
          return;
        }
        showError(e);
        if (first) {
          append(clear(view()), page('Unavailable', notice('error', e.message)));
        }
      }
    };
    run(true);
    refreshTimer = setInterval(() => run(false), REFRESH_MS);
    return run;
  }

  function typingInView() {
    const active = document.activeElement;
    return active && view().contains(active) && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName);
  }

  // Dashboard: counts by state, the per-minute chart, connections, counters since start.
  async function dashboard() {
    const [status, timeline] = await Promise.all([api('/api/v1/status'), api('/api/v1/stats/timeline?minutes=60')]);
    const q = status.queue || {};
    const c = status.counters || {};
    const card = (label, value, cls, link) => h(link ? 'a' : 'div', { class: 'card ' + (cls || ''), href: link },
      h('div', { class: 'label' }, label), h('div', { class: 'value', dataset: { count: cls || label } }, count(value)));
    return page('Dashboard',
      h('div', { class: 'cards', id: 'counts' },
        card('Messages', q.messages, 'messages', '#/messages'),
        card('Queued', q.queued, 'queued', '#/messages?state=queued'),
        card('Active', q.active, 'active', '#/messages?state=active'),
        card('Deferred', q.deferred, 'deferred', '#/messages?state=deferred'),
        card('Held', q.held, 'held', '#/messages?state=held'),
        card('Connections in use', status.connections_in_use, 'connections')),
      h('div', { class: 'panel chart' },
        h('div', { class: 'row' }, h('h2', {}, 'Messages per minute, last hour'), h('div', { class: 'spacer' }),
          h('div', { class: 'legend' },
            h('span', { style: '--swatch: var(--ok)' }, 'delivered'),
            h('span', { style: '--swatch: var(--warn)' }, 'deferred'),
            h('span', { style: '--swatch: var(--bad)' }, 'bounced'))),
        chart(timeline.minutes || [])),
      h('div', { class: 'panel' },
        h('h2', {}, 'Since start'),
        h('dl', { class: 'facts' },
          h('dt', {}, 'Received'), h('dd', {}, count(c.received)),
          h('dt', {}, 'Delivered'), h('dd', {}, count(c.delivered)),
          h('dt', {}, 'Deferred'), h('dd', {}, count(c.deferred)),
          h('dt', {}, 'Bounced'), h('dd', {}, count(c.bounced)),
          h('dt', {}, 'Expired'), h('dd', {}, count(c.expired)),
          h('dt', {}, 'Started'), h('dd', {}, timeEl(status.started), ' (up ', duration(status.uptime_seconds || 0), ')'),
          h('dt', {}, 'SMTP listeners'), h('dd', { class: 'mono' }, (status.smtp_listeners || []).join(', ') || '-'))));
  }

  const SERIES = [['delivered', 'var(--ok)'], ['deferred', 'var(--warn)'], ['bounced', 'var(--bad)']];

  // Stacked bars per minute for the last 60 minutes, gaps filled with zero, labelled in local time.
  function chart(minutes) {
    const NS = 'http://www.w3.org/2000/svg';
    const svg = (tag, attrs, ...kids) => {
      const el = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs)) {
        el.setAttribute(k, v);
      }
      kids.forEach(k => el.appendChild(k instanceof Node ? k : document.createTextNode(String(k))));
      return el;
    };
    const byMinute = new Map(minutes.map(m => [Math.floor(new Date(m.minute).getTime() / 60000), m]));
    const last = Math.max(Math.floor(Date.now() / 60000), ...byMinute.keys());
    const slots = [];
    for (let i = 59; i >= 0; i--) {
      const key = last - i;
      slots.push({ key, m: byMinute.get(key) || {} });
    }
    const W = 960;
    const H = 240;
    const left = 40;
    const bottom = 22;
    const top = 10;
    const plotW = W - left - 10;
    const plotH = H - top - bottom;
    const total = s => SERIES.reduce((sum, [k]) => sum + (s.m[k] || 0), 0);
    const max = Math.max(4, ...slots.map(total));
    const step = niceStep(max / 4);
    const ceiling = Math.ceil(max / step) * step;
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'messages per minute',
      preserveAspectRatio: 'none', id: 'timeline' });
    for (let v = 0; v <= ceiling; v += step) {
      const y = top + plotH - v / ceiling * plotH;
      root.appendChild(svg('line', { class: 'grid', x1: left, x2: W - 10, y1: y, y2: y }));
      root.appendChild(svg('text', { class: 'axis', x: left - 6, y: y + 4, 'text-anchor': 'end' }, v));
    }
    const barW = plotW / slots.length;
    slots.forEach((s, i) => {
      let y = top + plotH;
      const x = left + i * barW;
      for (const [k, color] of SERIES) {
        const n = s.m[k] || 0;
        if (n > 0) {
          const hgt = n / ceiling * plotH;
          y -= hgt;
          root.appendChild(svg('rect', { x: x + 1, y, width: Math.max(1, barW - 2), height: hgt, fill: color },
            svg('title', {}, shortTime.format(new Date(s.key * 60000)) + ': ' + n + ' ' + k)));
        }
      }
      if (i % 10 === 0 || i === slots.length - 1) {
        root.appendChild(svg('text', { class: 'axis', x: x + barW / 2, y: H - 6, 'text-anchor': 'middle' },
          shortTime.format(new Date(s.key * 60000))));
      }
    });
    return root;
  }

  function niceStep(raw) {
    const power = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1))));
    for (const f of [1, 2, 5, 10]) {
      if (raw <= f * power) {
        return f * power;
      }
    }
    return 10 * power;
  }

  // Domains with queued mail: queued, in flight, limit, shaping, last reply, next attempt, and actions.
  async function domains() {
    const answer = await api('/api/v1/domains' + query({ tz: ZONE }));
    const rows = answer.domains || [];
    const again = () => current && current();
    return page('Domains',
      h('p', { class: 'muted' }, 'Every destination domain with mail in the queue. Click a header to sort.'),
      dataTable('domains', [
        { key: 'domain', label: 'Domain', render: d => h('a', { href: '#/messages' + query({ domain: d.domain }) }, d.domain) },
        { key: 'destination', label: 'Destination', wrap: true },
        { key: 'queued', label: 'Queued', num: true },
        { key: 'in_flight', label: 'In flight', num: true },
        { key: 'max_connections', label: 'Limit', num: true },
        { key: 'shaping', label: 'Shaping', wrap: true },
        { key: 'last_reply', label: 'Last reply', wrap: true, render: d => d.last_reply ? h('span', { class: 'mono' }, d.last_reply) : '-' },
        { key: 'next_attempt', label: 'Next attempt', value: d => d.next_attempt || '', render: d => timeEl(d.next_attempt, true) },
        { key: 'actions', label: '', sortable: false, render: d => h('div', { class: 'actions' },
          h('button', { class: 'small', onclick: () => showSettings(d.domain) }, 'Settings'),
          actionButtons({ domain: d.domain }, again, ['retry', 'hold', 'release', 'bounce', 'delete'])) },
      ], rows, { sort: 'queued', desc: true, empty: 'No mail is waiting for any domain.' }));
  }

  async function showSettings(domain) {
    try {
      const answer = await api('/api/v1/domains/' + encodeURIComponent(domain) + '/settings');
      const rows = Object.entries(answer.settings || {}).map(([key, s]) => ({
        key, value: typeof s.value === 'string' ? s.value : JSON.stringify(s.value), source: s.source,
      }));
      infoDialog('Effective settings of ' + domain, dataTable('settings-' + domain, [
        { key: 'key', label: 'Setting', render: r => h('span', { class: 'mono' }, r.key) },
        { key: 'value', label: 'Value', render: r => h('span', { class: 'mono' }, r.value) },
        { key: 'source', label: 'Set by', render: r => h('span', { class: 'mono' }, r.source) },
      ], rows, { sort: 'key', pageSize: 100 }));
    } catch (e) {
      flash('error', 'Settings of ' + domain + ': ' + e.message);
    }
  }

  // Messages: search by domain, state, sender and recipient, paged by the server.
  async function messages(params) {
    const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
    const filters = {
      domain: params.get('domain') || '', state: params.get('state') || '',
      sender: params.get('sender') || '', recipient: params.get('recipient') || '',
    };
    const answer = await api('/api/v1/queue' + query(Object.assign({ offset, limit: PAGE_SIZE, tz: ZONE }, filters)));
    const entries = answer.entries || [];
    const go = (changes) => {
      const next = new URLSearchParams(query(Object.assign({}, filters, changes)).slice(1));
      location.hash = '#/messages' + (next.toString() ? '?' + next : '');
    };
    const field = (name, label, placeholder) => h('label', {}, label,
      h('input', { name, value: filters[name], placeholder, type: 'search', size: 22 }));
    const form = h('form', {
      class: 'search', id: 'search', onsubmit: ev => {
        ev.preventDefault();
        const data = new FormData(ev.target);
        go({ domain: data.get('domain').trim(), state: data.get('state'), sender: data.get('sender').trim(),
          recipient: data.get('recipient').trim(), offset: '' });
      },
    },
    field('domain', 'Domain', 'example.com'),
    h('label', {}, 'State', h('select', { name: 'state' },
      ['', 'queued', 'active', 'deferred', 'held'].map(s => h('option', { value: s, selected: s === filters.state },
        s || 'any')))),
    field('sender', 'Sender contains', 'shop@'),
    field('recipient', 'Recipient contains', 'ann@'),
    h('button', { class: 'primary', type: 'submit' }, 'Search'),
    h('button', { type: 'button', onclick: () => go({ domain: '', state: '', sender: '', recipient: '', offset: '' }) }, 'Clear'));
    const again = () => current && current();
    const bulk = filters.domain
      ? h('div', { class: 'row' }, h('span', { class: 'muted' }, 'Everything to ' + filters.domain + ':'),
        actionButtons({ domain: filters.domain }, again))
      : h('div', { class: 'row' }, h('span', { class: 'muted' }, 'The whole queue:'),
        actionButtons({ all: true }, again));
    const pages = Math.max(1, Math.ceil(answer.total / PAGE_SIZE));
    const pageNo = Math.floor(offset / PAGE_SIZE);
    return page('Messages', form, bulk,
      h('p', { class: 'muted' }, count(answer.total) + ' in the queue match, newest first. Click a header to sort this page.'),
      dataTable('messages', [
        { key: 'id', label: 'Queue id', plain: true, render: e => h('a', { class: 'mono', href: '#/message/' + encodeURIComponent(e.id), dataset: { id: e.id } }, e.id) },
        { key: 'state', label: 'State', render: e => badge(e.state) },
        { key: 'received', label: 'Received', render: e => timeEl(e.received) },
        { key: 'sender', label: 'Sender', wrap: true, render: e => e.sender || '<>' },
        { key: 'domain', label: 'Domain' },
        { key: 'recipients', label: 'Recipients', wrap: true, value: e => (e.recipients || []).join(', '),
          render: e => (e.recipients || []).join(', ') },
        { key: 'size', label: 'Size', num: true, render: e => size(e.size) },
        { key: 'attempts', label: 'Tries', num: true },
        { key: 'next_attempt', label: 'Next attempt', value: e => e.next_attempt || '', render: e => timeEl(e.next_attempt, true) },
        { key: 'reason', label: 'Why it waits', wrap: true, render: e => e.reason || e.last_reply || '-' },
      ], entries, { pageSize: PAGE_SIZE, empty: 'No message matches.' }),
      answer.total > PAGE_SIZE ? pager(pageNo, pages, answer.total, p => go({ offset: String(p * PAGE_SIZE) })) : null);
  }

  // One message: envelope, why each part waits, recipients, attempts with transcripts, events, actions.
  async function message(id) {
    let m;
    try {
      m = await api('/api/v1/queue/' + encodeURIComponent(id) + query({ tz: ZONE }));
    } catch (e) {
      if (e.status === 404) {
        return page('Message ' + id, notice('error', e.message), h('p', {}, h('a', { href: '#/messages' }, '‹ Back to messages')));
      }
      throw e;
    }
    const again = () => current && current();
    const attempts = (m.attempts || []).slice().sort((a, b) => b.attempt - a.attempt);
    return page('Message ' + m.id,
      h('p', {}, h('a', { href: '#/messages' }, '‹ Messages')),
      h('div', { class: 'panel' },
        h('div', { class: 'row' }, h('h2', {}, 'Envelope'), h('div', { class: 'spacer' }),
          (m.parts || []).length ? actionButtons({ id: m.id }, again, applicable(m))
            : h('span', { class: 'muted' }, 'No longer in the queue')),
        h('dl', { class: 'facts', id: 'envelope' },
          h('dt', {}, 'State'), h('dd', {}, badge(m.state)),
          h('dt', {}, 'Sender'), h('dd', { class: 'mono' }, '<' + (m.sender || '') + '>'),
          h('dt', {}, 'Received'), h('dd', {}, timeEl(m.received)),
          h('dt', {}, 'Size'), h('dd', {}, size(m.size || 0)),
          h('dt', {}, 'Attempts'), h('dd', { id: 'attempt-count' }, String((m.attempts || []).length)))),
      (m.parts || []).length ? h('div', { class: 'panel' }, h('h2', {}, 'Why it waits'),
        dataTable('parts', [
          { key: 'domain', label: 'Domain' },
          { key: 'state', label: 'State', render: p => badge(p.state) },
          { key: 'attempts', label: 'Tries', num: true },
          { key: 'next_attempt', label: 'Next attempt', value: p => p.next_attempt || '', render: p => timeEl(p.next_attempt, true) },
          { key: 'reason', label: 'Reason', wrap: true, render: p => h('span', { class: 'reason' }, p.reason || '-') },
          { key: 'last_reply', label: 'Last reply', wrap: true, render: p => p.last_reply ? h('span', { class: 'mono' }, p.last_reply) : '-' },
        ], m.parts)) : null,
      (m.recipients || []).length ? h('div', { class: 'panel' }, h('h2', {}, 'Recipients'),
        dataTable('recipients', [
          { key: 'address', label: 'Address', render: r => h('span', { class: 'mono' }, r.address) },
          { key: 'status', label: 'Status', render: r => badge(r.status) },
          { key: 'direct_attempts', label: 'Direct', num: true },
          { key: 'relay_attempts', label: 'Relay', num: true },
          { key: 'next_attempt', label: 'Next attempt', value: r => r.next_attempt || '', render: r => timeEl(r.next_attempt, true) },
          { key: 'last_step', label: 'Last step' },
          { key: 'last_reply', label: 'Last reply', wrap: true, render: r => r.last_reply ? h('span', { class: 'mono' }, r.last_reply) : '-' },
        ], m.recipients)) : null,
      h('div', { class: 'panel', id: 'attempts' }, h('h2', {}, 'Attempts (newest first)'),
        attempts.length ? attempts.map(transcript) : h('p', { class: 'muted' }, 'No attempt yet.')),
      (m.events || []).length ? h('div', { class: 'panel' }, h('h2', {}, 'Events'), eventTable('message-events', m.events)) : null);
  }

  // A held message can be released (not retried or held again); any other can be retried or held.
  function applicable(m) {
    const held = (m.parts || []).some(p => p.state === 'held');
    return held ? ['release', 'bounce', 'delete'] : ['retry', 'hold', 'bounce', 'delete'];
  }

  function transcript(a) {
    return h('div', { class: 'attempt', dataset: { attempt: a.attempt } },
      h('div', { class: 'head' }, 'Attempt ' + a.attempt + ' · ' + a.mode + ' · ', timeEl(a.started),
        ' · ' + (a.duration_seconds || 0).toFixed(3) + ' s'),
      h('pre', { class: 'transcript' }, (a.lines || []).map(line => h('span', { class: 'line ' + line.kind },
        h('span', { class: 't' }, clockTime.format(new Date(line.time))),
        { sent: '>> ', received: '<< ', error: '!! ', info: '-- ' }[line.kind] || '-- ', line.text))));
  }

  function eventTable(name, events) {
    return dataTable(name, [
      { key: 'time', label: 'Time', render: e => timeEl(e.time) },
      { key: 'event', label: 'Event', render: e => badge(e.event) },
      { key: 'queue_id', label: 'Queue id', plain: true, render: e => e.queue_id
        ? h('a', { class: 'mono', href: '#/message/' + encodeURIComponent(e.queue_id) }, e.queue_id) : '-' },
      { key: 'detail', label: 'Detail', sortable: false, wrap: true, render: e => h('span', { class: 'mono' }, eventDetail(e)) },
    ], events.slice().reverse(), { empty: 'No events.' });
  }

  function eventDetail(e) {
    const skip = new Set(['time', 'event', 'queue_id']);
    return Object.entries(e).filter(([k]) => !skip.has(k))
      .map(([k, v]) => k + '=' + (typeof v === 'string' ? v : JSON.stringify(v))).join('  ');
  }

  // Rules: [domains.default], [domains."..."] and [mx."..."] tables, edited as key = value rows.
  async function rules() {
    const answer = await api('/api/v1/rules');
    const model = {
      default: toRows(answer.default || {}),
      domains: Object.entries(answer.domains || {}).map(([name, t]) => ({ name, rows: toRows(t) })),
      mx: Object.entries(answer.mx || {}).map(([name, t]) => ({ name, rows: toRows(t) })),
    };
    const status = h('div', { id: 'rules-status' });
    const editor = h('div', { class: 'rules', id: 'rules-editor' });

    function draw() {
      append(clear(editor), [
        h('div', { class: 'panel' }, h('h2', {}, 'Defaults for every domain'), h('span', { class: 'hint' }, '[domains.default]'),
          kvRows(model.default)),
        h('div', { class: 'panel' }, h('h2', {}, 'Domains'), h('span', { class: 'hint' },
          'An exact domain ("example.com") or a wildcard ("*.example.net").'),
        model.domains.map((rule, i) => ruleBox(rule, () => { model.domains.splice(i, 1); draw(); })),
        h('button', { type: 'button', id: 'add-domain-rule', onclick: () => { model.domains.push({ name: '', rows: [{ key: '', value: '' }] }); draw(); } }, '+ Domain rule')),
        h('div', { class: 'panel' }, h('h2', {}, 'MX host rules'), h('span', { class: 'hint' },
          'Match the MX host name ("*.outlook.test"): for providers that host many domains.'),
        model.mx.map((rule, i) => ruleBox(rule, () => { model.mx.splice(i, 1); draw(); })),
        h('button', { type: 'button', id: 'add-mx-rule', onclick: () => { model.mx.push({ name: '', rows: [{ key: '', value: '' }] }); draw(); } }, '+ MX rule')),
      ]);
    }

    function ruleBox(rule, remove) {
      return h('div', { class: 'rule' },
        h('div', { class: 'rule-head' },
          h('input', { value: rule.name, placeholder: 'example.com', 'aria-label': 'rule name',
            oninput: ev => { rule.name = ev.target.value; } }),
          h('button', { type: 'button', class: 'small danger', onclick: remove }, 'Remove rule')),
        kvRows(rule.rows));
    }

    function kvRows(rows) {
      const box = h('div', {});
      const drawRows = () => append(clear(box), [
        rows.map((row, i) => h('div', { class: 'kv' },
          h('input', { value: row.key, placeholder: 'max_connections', 'aria-label': 'key',
            oninput: ev => { row.key = ev.target.value; } }),
          h('input', { value: row.value, placeholder: '2, "60s", true, ["a", "b"]', 'aria-label': 'value',
            oninput: ev => { row.value = ev.target.value; } }),
          h('button', { type: 'button', class: 'small', title: 'remove', onclick: () => { rows.splice(i, 1); drawRows(); } }, '×'))),
        h('button', { type: 'button', class: 'small', onclick: () => { rows.push({ key: '', value: '' }); drawRows(); } }, '+ Setting'),
      ]);
      drawRows();
      return box;
    }

    async function save() {
      const body = {
        default: fromRows(model.default),
        domains: Object.fromEntries(model.domains.filter(r => r.name.trim()).map(r => [r.name.trim(), fromRows(r.rows)])),
        mx: Object.fromEntries(model.mx.filter(r => r.name.trim()).map(r => [r.name.trim(), fromRows(r.rows)])),
      };
      clear(status);
      try {
        await api('/api/v1/rules', { method: 'PUT', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
        status.appendChild(notice('ok', 'Saved to the configuration file and applied.'));
      } catch (e) {
        status.appendChild(notice('error', 'Not saved: ' + e.message));
      }
    }

    draw();
    return page('Domain rules',
      h('p', { class: 'muted' }, 'Values are written as in TOML: numbers (2), durations and text in quotes ("60s"), ',
        'true/false, lists (["a", "b"]). Unquoted text is taken as text. Saving checks the rules exactly as at ',
        'start, writes them to the configuration file and reloads.'),
      editor, status,
      h('div', { class: 'row' },
        h('button', { class: 'primary', id: 'rules-save', onclick: save }, 'Save and apply'),
        h('button', { onclick: () => current && current() }, 'Discard changes')));
  }

  function toRows(table) {
    return Object.entries(table).map(([key, value]) => ({
      key, value: JSON.stringify(value),
    }));
  }

  function fromRows(rows) {
    const out = {};
    for (const row of rows) {
      const key = row.key.trim();
      if (!key) {
        continue;
      }
      const text = row.value.trim();
      let value;
      try {
        value = JSON.parse(text);
      } catch (e) {
        value = text; // unquoted text, such as 60s or dane
      }
      out[key] = value;
    }
    return out;
  }

  // Live tail: new events as they happen, newest on top.
  function live() {
    const MAX = 500;
    const rows = [];
    let paused = false;
    const body = h('tbody', {});
    const state = h('span', { class: 'muted', id: 'live-state' }, 'connecting…');
    const filter = h('input', { type: 'search', placeholder: 'filter (event, id, address…)', size: 30,
      oninput: () => redraw() });
    const pause = h('button', { onclick: () => { paused = !paused; pause.textContent = paused ? 'Resume' : 'Pause'; } }, 'Pause');

    function row(e) {
      return h('tr', {},
        h('td', { class: 'mono' }, e.time ? clockTime.format(new Date(e.time)) : '-'),
        h('td', {}, badge(e.event)),
        h('td', {}, e.queue_id ? h('a', { class: 'mono', href: '#/message/' + encodeURIComponent(e.queue_id) }, e.queue_id) : '-'),
        h('td', { class: 'wrap' }, eventDetail(e)));
    }

    function matches(e) {
      const f = filter.value.trim().toLowerCase();
      return !f || JSON.stringify(e).toLowerCase().includes(f);
    }

    function redraw() {
      append(clear(body), rows.filter(matches).map(row));
    }

    function add(e) {
      rows.unshift(e);
      rows.length = Math.min(rows.length, MAX);
      if (!paused && matches(e)) {
        body.insertBefore(row(e), body.firstChild);
        while (body.children.length > MAX) {
          body.removeChild(body.lastChild);
        }
      }
    }

    liveStream = openStream(add, text => { state.textContent = text; });
    return page('Live events',
      h('div', { class: 'row' }, filter, pause, h('button', { onclick: () => { rows.length = 0; redraw(); } }, 'Clear'),
        h('div', { class: 'spacer' }), state),
      h('div', { class: 'table-wrap tail' }, h('table', { id: 'live' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Time'), h('th', {}, 'Event'), h('th', {}, 'Queue id'), h('th', {}, 'Detail'))),
        body)));
  }

  // EventSource cannot send an Authorization header: with a token the stream is read with fetch instead.
  function openStream(onEvent, onState) {
    const url = '/api/v1/events/stream';
    if (!token()) {
      const source = new EventSource(url);
      source.onopen = () => onState('live');
      source.onerror = () => onState('reconnecting…');
      source.onmessage = m => parseAndSend(m.data, onEvent);
      return { close: () => source.close() };
    }
    const controller = new AbortController();
    (async () => {
      while (!controller.signal.aborted) {
        try {
          const response = await fetch(url, { headers: headers({ Accept: 'text/event-stream' }), signal: controller.signal, cache: 'no-store' });
          if (!response.ok) {
            throw new Error('HTTP ' + response.status);
          }
          onState('live');
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) {
              break;
            }
            buffer += value;
            let end;
            while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
              const data = block.split(/\r?\n/).filter(l => l.startsWith('data:')).map(l => l.slice(5).replace(/^ /, '')).join('\n');
              if (data) {
                parseAndSend(data, onEvent);
              }
            }
          }
        } catch (e) {
          if (controller.signal.aborted) {
            return;
          }
        }
        onState('reconnecting…');
        await new Promise(r => setTimeout(r, 2000));
      }
    })();
    return { close: () => controller.abort() };
  }

  function parseAndSend(data, onEvent) {
    try {
      onEvent(JSON.parse(data));
    } catch (e) {
      // a line that is not an event (a comment or keep-alive) is not shown
    }
  }

  // ---------------------------------------------------------------- routing

  let current = null;
  let generation = 0; // counts page changes, so that a late answer for a page left meanwhile is dropped

  function stop() {
    generation++;
    clearInterval(refreshTimer);
    refreshTimer = null;
    if (liveStream) {
      liveStream.close();
      liveStream = null;
    }
  }

  function route() {
    stop();
    const hash = location.hash.replace(/^#/, '') || '/';
    const [path, search] = hash.split('?');
    const params = new URLSearchParams(search || '');
    let name = 'dashboard';
    let render = dashboard;
    if (path === '/domains') {
      name = 'domains';
      render = domains;
    } else if (path === '/messages') {
      name = 'messages';
      render = () => messages(params);
    } else if (path.startsWith('/message/')) {
      name = 'messages';
      const id = decodeURIComponent(path.slice('/message/'.length));
      render = () => message(id);
    } else if (path === '/rules') {
      name = 'rules';
      render = null;
      current = oneShot(rules);
    } else if (path === '/live') {
      name = 'live';
      render = null;
      current = null;
      showError(null);
      append(clear(view()), live());
    }
    if (render) {
      current = refreshing(render);
    }
    document.body.dataset.page = name;
    for (const a of document.querySelectorAll('#nav a')) {
      a.classList.toggle('active', a.dataset.page === name);
    }
  }

  // Pages with an editor are drawn once (a refresh would throw away what the user typed).
  function oneShot(render) {
    const mine = generation;
    const run = async () => {
      try {
        const nodes = await render();
        if (mine !== generation) {
          return;
        }
        append(clear(view()), nodes);
        showError(null);
      } catch (e) {
        if (mine !== generation) {
          return;
        }
        showError(e);
        append(clear(view()), page('Unavailable', notice('error', e.message)));
      }
    };
    run();
    return run;
  }

  async function header() {
    try {
      const status = await api('/api/v1/status');
      document.getElementById('server').textContent = status.hostname + ' · Herald ' + status.version;
    } catch (e) {
      showError(e);
    }
    document.getElementById('footer').textContent = 'Times are shown in your time zone (' + zone + ').';
  }

  window.addEventListener('hashchange', route);
  header();
  route();
})();
