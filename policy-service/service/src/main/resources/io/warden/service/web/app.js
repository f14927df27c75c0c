// The web view of warden serve (docs/web.md): one page that reads the public API with the signed-in caller's token.
// Every piece of data reaches the page as text (textContent, never markup): targets and names are attacker-chosen.
'use strict';

(() => {
  const TOKEN_KEY = 'warden.token';
  const SEVERITIES = ['critical', 'high', 'medium', 'low', 'unknown'];
  const CATEGORIES = ['network', 'dns', 'file', 'process', 'native', 'jndi', 'deserialization'];
  const COLORS = {
    network: '#c0392b', dns: '#d35400', file: '#2471a3', process: '#7d3c98', native: '#117a65',
    jndi: '#b7950b', deserialization: '#515a5a',
  };
  /** Overview ranges: length and bucket in seconds (at most a few hundred points per series). */
  const RANGES = { '1h': [3600, 60], '24h': [86400, 900], '7d': [604800, 3600], '30d': [2592000, 21600] };
  const PAGE_SIZE = 50;

  const views = { overview, violations, functions, policy, findings };
  let generation = 0;

  // ---- DOM ----------------------------------------------------------------------------------------------------

  /** An element with attributes (on* are listeners) and children; strings become text nodes. */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value == null || value === false) continue;
      if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child != null) node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  /** A link to a view with query parameters (null values left out). */
  function link(text, view, params) {
    return el('a', { href: href(view, params) }, text);
  }

  function href(view, params) {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(params || {})) {
      if (value != null && value !== '') query.set(name, value);
    }
    const text = query.toString();
    return '#/' + view + (text ? '?' + text : '');
  }

  function table(headers, rows, empty) {
    if (rows.length === 0) return el('p', { class: 'empty' }, empty);
    return el('table', {},
      el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, rows));
  }

  function severityBadge(severity) {
    return el('span', { class: 'severity ' + severity }, severity);
  }

  function time(text) {
    return text ? text.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—';
  }

  function count(n, one, many = one + 's') {
    return n + ' ' + (n === 1 ? one : many);
  }

  function iso(seconds) {
    return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
  }

  // ---- API ----------------------------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  /** GET path with the token: {status, body, headers}; 401 signs out. */
  async function request(path, token = sessionStorage.getItem(TOKEN_KEY), options = {}) {
    const response = await fetch(path, {
      ...options,
      headers: { ...(options.headers || {}), ...(token ? { Authorization: 'Bearer ' + token } : {}) },
      cache: 'no-store',
      credentials: 'omit',
    });
    const text = await response.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch (notJson) {
      body = null;
    }
    return { status: response.status, body, headers: response.headers };
  }

  async function api(path) {
    const answer = await request(path);
    if (answer.status !== 200) throw failure(answer);
    return answer.body;
  }

  /** The error of an answer that is not what the view needs; a refused token signs out. */
  function failure(answer) {
    const message = (answer.body && answer.body.message) || 'HTTP ' + answer.status;
    if (answer.status === 401) signOut(message);
    return new ApiError(answer.status, message);
  }

  /** Runs tasks at most `width` at a time (the Findings view reads one scan per function). */
  async function inBatches(items, width, task) {
    const results = new Array(items.length);
    let next = 0;
    async function worker() {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i]);
      }
    }
    await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
    return results;
  }

  // ---- Sign-in ------------------------------------------------------------------------------------------------

  function showLogin(message) {
    $('nav').hidden = true;
    $('sign-out').hidden = true;
    $('view').hidden = true;
    $('view').replaceChildren();
    $('login').hidden = false;
    $('login-error').textContent = message || '';
    $('login-token').focus();
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    comparisons.clear();
    showLogin(message);
  }

  async function signIn(token) {
    const answer = await request('/v1/functions', token);
    if (answer.status === 200) {
      sessionStorage.setItem(TOKEN_KEY, token);
      $('login-token').value = '';
      render();
      return;
    }
    const reason = (answer.body && answer.body.message) || 'HTTP ' + answer.status;
    showLogin(answer.status === 403 ? 'This token may not read here (an admin or viewer token is needed): ' + reason
      : 'Sign-in refused: ' + reason);
  }

  /** Spends the one-time login code of the URL warden serve printed, then drops it from the address bar. */
  async function loginWithCode(code) {
    history.replaceState(null, '', location.pathname + '#/overview');
    const answer = await request('/v1/login', null, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    if (answer.status === 201) {
      sessionStorage.setItem(TOKEN_KEY, answer.body.token);
      render();
    } else {
      showLogin('The login link was refused: ' + ((answer.body && answer.body.message) || 'HTTP ' + answer.status));
    }
  }

  // ---- Views --------------------------------------------------------------------------------------------------

  function currentRoute() {
    const hash = location.hash.replace(/^#\/?/, '');
    const question = hash.indexOf('?');
    const name = question < 0 ? hash : hash.slice(0, question);
    return {
      name: views[name] ? name : 'overview',
      params: new URLSearchParams(question < 0 ? '' : hash.slice(question + 1)),
    };
  }

  async function render() {
    if (!sessionStorage.getItem(TOKEN_KEY)) {
      showLogin('');
      return;
    }
    const route = currentRoute();
    const mine = ++generation;
    $('login').hidden = true;
    $('nav').hidden = false;
    $('sign-out').hidden = false;
    for (const a of document.querySelectorAll('#nav a')) {
      a.classList.toggle('current', a.dataset.view === route.name);
    }
    const view = $('view');
    view.hidden = false;
    view.setAttribute('aria-busy', 'true');
    view.dataset.view = route.name;
    const content = el('div', { class: 'content' });
    try {
      await views[route.name](route.params, content);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return;
      content.replaceChildren(el('p', { class: 'error', role: 'alert' }, String(e.message || e)));
    }
    if (mine !== generation) return;
    view.replaceChildren(content);
    view.setAttribute('aria-busy', 'false');
    for (const callback of afterRender.splice(0)) callback();
  }

  /** Work that needs the view on screen (sizing the chart). */
  const afterRender = [];

  // Overview: the chart from the summary endpoint, totals and top lists linking to the rows behind them.
  async function overview(params, root) {
    const rangeName = RANGES[params.get('range')] ? params.get('range') : '24h';
    const [length, bucket] = RANGES[rangeName];
    const until = Math.ceil(Date.now() / 1000 / bucket) * bucket;
    const since = until - length;
    const range = { since: iso(since), until: iso(until) };
    const summary = await api('/v1/violations/summary?' + new URLSearchParams({
      since: range.since, until: range.until, bucket: String(bucket), top: '10',
    }));

    root.append(el('h1', {}, 'Overview'),
      el('p', { class: 'ranges' }, 'Range: ', Object.keys(RANGES).map((name) => name === rangeName
        ? el('strong', { 'aria-current': 'true' }, name) : link(name, 'overview', { range: name }))),
      el('p', { class: 'window' }, time(range.since) + ' to ' + time(range.until) + ', '
        + bucket / 60 + '-minute buckets'),
      el('div', { class: 'totals' },
        el('a', { id: 'total-blocked', class: 'total blocked', href: href('violations', { action: 'blocked', ...range }) },
          el('span', { class: 'number' }, String(summary.totals.blocked)), ' blocked'),
        el('a', { id: 'total-alerted', class: 'total alerted', href: href('violations', { action: 'alerted', ...range }) },
          el('span', { class: 'number' }, String(summary.totals.alerted)), ' alerted')));

    const chart = el('div', { id: 'chart', class: 'chart' });
    if (summary.series.length === 0) {
      chart.append(el('p', { class: 'empty' }, 'No blocked or alerted violations in this range.'));
    } else {
      afterRender.push(() => drawChart(chart, summary));
    }
    root.append(chart);

    root.append(el('div', { class: 'columns' },
      el('section', { id: 'top-functions' }, el('h2', {}, 'Functions with the most violations'),
        table(['Function', 'Blocked', 'Alerted'], summary.topFunctions.map((f) => el('tr', {},
          el('td', {}, link(f.function, 'violations', { function: f.function, ...range })),
          el('td', { class: 'num' }, link(String(f.blocked), 'violations', { function: f.function, action: 'blocked', ...range })),
          el('td', { class: 'num' }, link(String(f.alerted), 'violations', { function: f.function, action: 'alerted', ...range })))),
        'No function had violations in this range.')),
      el('section', { id: 'top-targets' }, el('h2', {}, 'Top blocked targets'),
        table(['Target', 'Category', 'Blocked'], summary.topBlockedTargets.map((t) => el('tr', {},
          el('td', { class: 'target' }, link(t.target, 'violations', { target: t.target, action: 'blocked', ...range })),
          el('td', {}, t.category),
          el('td', { class: 'num' }, String(t.blocked)))),
        'Nothing was blocked in this range.'))));
  }

  function drawChart(container, summary) {
    const start = Date.parse(summary.since) / 1000;
    const xs = Array.from({ length: summary.buckets }, (_, i) => start + i * summary.bucketSeconds);
    const series = [{}].concat(summary.series.map((s) => ({
      label: s.category + ' ' + s.action,
      stroke: COLORS[s.category] || '#333',
      dash: s.action === 'alerted' ? [6, 4] : undefined,
      width: 2,
      points: { show: false },
    })));
    // eslint-disable-next-line no-undef
    new uPlot({
      width: Math.max(320, container.clientWidth),
      height: 260,
      series,
      // eslint-disable-next-line no-undef
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      axes: [{}, { label: 'violations per bucket' }],
      scales: { y: { range: (u, min, max) => [0, Math.max(1, max)] } },
    }, [xs].concat(summary.series.map((s) => s.counts)), container);
  }

  // Violations: a filterable, paged table; the filters and the page live in the URL.
  const VIOLATION_FILTERS = ['function', 'category', 'action', 'target', 'since', 'until'];

  async function violations(params, root) {
    const query = new URLSearchParams();
    for (const name of VIOLATION_FILTERS.concat('cursor')) {
      if (params.get(name)) query.set(name, params.get(name));
    }
    query.set('limit', String(PAGE_SIZE));
    const page = await api('/v1/violations?' + query);

    const detail = el('pre', { id: 'event-detail', class: 'detail', hidden: true, tabindex: '-1' });
    const rows = page.violations.map((v) => {
      const row = el('tr', { class: 'event ' + v.action, tabindex: '0', 'data-id': v.id },
        el('td', {}, time(v.time)), el('td', {}, v.function), el('td', {}, v.category),
        el('td', {}, el('span', { class: 'action ' + v.action }, v.action)), el('td', { class: 'target' }, v.target),
        el('td', {}, v.rule), el('td', {}, v.requestId || '—'));
      const open = () => {
        for (const r of rows) r.classList.remove('selected');
        row.classList.add('selected');
        detail.textContent = JSON.stringify(v, null, 2);
        detail.hidden = false;
      };
      row.addEventListener('click', open);
      row.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') open();
      });
      return row;
    });

    const filters = Object.fromEntries(VIOLATION_FILTERS.map((name) => [name, params.get(name)]));
    root.append(el('h1', {}, 'Violations'), filterForm('violations', [
      textFilter('function', 'Function', filters.function),
      choiceFilter('category', 'Category', CATEGORIES, filters.category),
      choiceFilter('action', 'Action', ['blocked', 'alerted'], filters.action),
      textFilter('target', 'Target (exact)', filters.target),
      textFilter('since', 'Since (UTC)', filters.since, '2024-05-01T00:00:00Z'),
      textFilter('until', 'Until (UTC)', filters.until, '2024-05-02T00:00:00Z'),
    ]),
    table(['Time (UTC)', 'Function', 'Category', 'Action', 'Target', 'Rule', 'Request id'], rows,
      'No violations match these filters.'),
    pager('violations', filters, params.get('cursor'), page.nextCursor),
    detail);
  }

  function textFilter(name, label, value, placeholder) {
    return el('label', {}, label, el('input', { name, value: value || '', placeholder, spellcheck: 'false' }));
  }

  function choiceFilter(name, label, choices, value) {
    return el('label', {}, label, el('select', { name },
      el('option', { value: '' }, 'any'),
      choices.map((c) => el('option', { value: c, selected: c === value }, c))));
  }

  /** A filter form whose submission moves to the view with its non-empty fields in the URL (first page). */
  function filterForm(view, fields) {
    const form = el('form', { class: 'filters', role: 'search' }, fields,
      el('button', { type: 'submit' }, 'Apply'), ' ', link('Clear', view, {}));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const values = {};
      for (const [name, value] of new FormData(form)) values[name] = String(value).trim();
      location.hash = href(view, values);
    });
    return form;
  }

  function pager(view, filters, cursor, nextCursor) {
    return el('p', { class: 'pager' },
      cursor ? link('First page', view, filters) : null, ' ',
      nextCursor ? link('Next page', view, { ...filters, cursor: nextCursor }) : null);
  }

  // Functions: the inventory, each function's stored policy, how well it is protected, and how far learning got.
  const SORTS = {
    function: ['name', (a, b) => a.f.function.localeCompare(b.f.function)],
    ready: ['ready to tighten first', (a, b) => readyOf(b) - readyOf(a) || spanOf(b) - spanOf(a) || linesOf(b) - linesOf(a)],
    lines: ['most observed first', (a, b) => linesOf(b) - linesOf(a)],
    span: ['longest observed first', (a, b) => spanOf(b) - spanOf(a)],
    observed: ['last observed first', (a, b) => ((b.learned && b.learned.lastSeen) || '')
      .localeCompare((a.learned && a.learned.lastSeen) || '')],
  };
  /** Where learning stands for a function: filterable in the URL (learning=…). */
  const LEARNING_STATES = ['ready', 'not-yet', 'unobserved'];
  const learningState = (l) => (!l || l.lines === 0 ? 'unobserved' : l.ready ? 'ready' : 'not-yet');
  const readyOf = (row) => (row.learned && row.learned.ready ? 1 : 0);
  const spanOf = (row) => (row.learned ? row.learned.spanSeconds : -1);
  const linesOf = (row) => (row.learned ? row.learned.lines : -1);

  async function functions(params, root) {
    const [inventory, learning] = await Promise.all([
      api('/v1/functions').then((answer) => answer.functions),
      optional(api('/v1/learning')),
    ]);
    const learned = new Map(((learning && learning.functions) || []).map((l) => [l.function, l]));
    const sort = SORTS[params.get('sort')] ? params.get('sort') : 'function';
    const nameFilter = params.get('name') || '';
    const stateFilter = LEARNING_STATES.includes(params.get('learning')) ? params.get('learning') : '';
    const entries = inventory.map((f) => ({ f, policyNow: f.policy, learned: learned.get(f.function) }))
      .filter((e) => e.f.function.toLowerCase().includes(nameFilter.toLowerCase())
        && (!stateFilter || learningState(e.learned) === stateFilter))
      .sort(SORTS[sort][1]);
    const suggestionCells = new Map();
    const rows = entries.map(({ f, policyNow, learned: l }) => {
      const status = protection(f);
      const findings = totalFindings(f.deployed);
      const cell = el('td', { class: 'suggestion' });
      suggestionCells.set(f.function, cell);
      showComparison(cell, f.function);
      return el('tr', { class: 'protection-' + status.level, 'data-function': f.function },
        el('td', {}, link(f.function, 'policy', { function: f.function })),
        el('td', {}, el('span', { class: 'protection ' + status.level }, status.level),
          status.problems.length ? el('ul', { class: 'problems' }, status.problems.map((p) => el('li', {}, p))) : null),
        el('td', {}, f.agentVersion || '—'), el('td', {}, f.mode || '—'),
        el('td', {}, policyNow ? link('stored ' + policyNow.etag.slice(0, 12), 'policy', { function: f.function })
          : 'none stored (the agent\'s own)'),
        el('td', {}, time(f.firstSeen)), el('td', {}, time(f.lastSeen)),
        el('td', { class: 'num' }, link(String(f.violations.blocked), 'violations', { function: f.function, action: 'blocked' })),
        el('td', { class: 'num' }, link(String(f.violations.alerted), 'violations', { function: f.function, action: 'alerted' })),
        el('td', {}, f.latestScan ? scanSummary(f.latestScan) : 'never'),
        el('td', {}, f.deployed.length === 0 ? 'not scanned on AWS'
          : link(SEVERITIES.filter((s) => findings[s] > 0).map((s) => findings[s] + ' ' + s).join(', ') || 'none',
            'findings', { function: f.function })),
        el('td', { class: 'learning' }, learningSummary(l, learning)),
        cell);
    });

    const readyNames = entries.filter((e) => e.learned && e.learned.ready).map((e) => e.f.function);
    const compareReady = el('button', { type: 'button', id: 'compare-ready', disabled: readyNames.length === 0 },
      'Compare ' + count(readyNames.length, 'ready function') + ' with the suggestions');
    compareReady.addEventListener('click', async () => {
      compareReady.disabled = true;
      let done = 0;
      await inBatches(readyNames, COMPARE_WIDTH, async (name) => {
        await compareInto(suggestionCells.get(name), name);
        compareReady.textContent = 'Compared ' + ++done + ' of ' + readyNames.length;
      });
    });
    root.append(el('h1', {}, 'Functions'),
      el('p', { class: 'hint' }, count(inventory.length, 'function')
        + (entries.length < inventory.length ? ', ' + entries.length + ' shown' : '')
        + '. Unprotected and partly protected functions are marked. ' + readyNames.length
        + (entries.length < inventory.length ? ' shown' : '') + ' observed long and completely enough to tighten'
        + (learning && learning.trustedAfter ? ' (at least ' + learning.trustedAfter.days + ' days and '
          + learning.trustedAfter.invocations + ' invocations doing something, nothing lost)' : '')
        + '; what a suggestion would change is computed when asked, a function at a time.'),
      filterForm('functions', [
        textFilter('name', 'Function name contains', nameFilter),
        choiceFilter('learning', 'Learning', LEARNING_STATES, stateFilter),
        el('label', {}, 'Sort', el('select', { name: 'sort' }, Object.entries(SORTS)
          .map(([name, [label]]) => el('option', { value: name, selected: name === sort }, label)))),
      ]),
      el('p', {}, compareReady),
      table(['Function', 'Protection', 'Agent', 'Mode', 'Policy', 'First seen', 'Last seen', 'Blocked', 'Alerted',
        'Package scan', 'AWS findings', 'Observed', 'Suggestion'], rows, inventory.length === 0
        ? 'No function has reported or been scanned yet.' : 'No function matches these filters.'));
  }

  /** What was observed of a function and whether a suggestion can be trusted yet, from GET /v1/learning. */
  function learningSummary(l, learning) {
    if (learning && learning.error) return el('span', { class: 'error' }, learning.error);
    if (!l || l.lines === 0) return el('span', { class: 'empty' }, 'nothing observed');
    return [
      el('span', { class: 'readiness ' + (l.ready ? 'ready' : 'not-ready') }, l.ready ? 'ready' : 'not yet'), ' ',
      count(l.lines, 'line') + ' over ' + duration(l.spanSeconds) + ', ' + count(l.versions.length, 'version')
        + ', last ' + time(l.lastSeen),
      l.warnings.length ? el('ul', { class: 'problems' }, l.warnings.map((w) => el('li', {}, w))) : null,
    ];
  }

  /** Suggestions computed at most this many at a time: each reads a function's observations and violations. */
  const COMPARE_WIDTH = 2;
  /** What the suggestions of a function would change, by function, kept a few minutes for re-sorted views. */
  const comparisons = new Map();
  const COMPARISON_TTL_MS = 5 * 60 * 1000;

  function showComparison(cell, name) {
    const known = comparisons.get(name);
    if (known && Date.now() - known.at < COMPARISON_TTL_MS) {
      cell.replaceChildren(...comparisonText(name, known));
      return;
    }
    const button = el('button', { type: 'button', class: 'compare' }, 'Compare');
    button.addEventListener('click', () => compareInto(cell, name));
    cell.replaceChildren(button);
  }

  async function compareInto(cell, name) {
    cell.replaceChildren(el('span', { class: 'hint' }, 'computing…'));
    try {
      const path = '/v1/functions/' + encodeURIComponent(name);
      const [policySuggestion, iam] = await Promise.all([api(path + '/suggested-policy'),
        api(path + '/suggested-iam-policy')]);
      const result = {
        at: Date.now(),
        added: (policySuggestion.added || []).length,
        removed: (policySuggestion.removed || []).length,
        rejected: (policySuggestion.rejected || []).length,
        role: iam.role,
      };
      comparisons.set(name, result);
      cell.replaceChildren(...comparisonText(name, result));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return;
      cell.replaceChildren(el('span', { class: 'error' }, String(e.message || e)));
    }
  }

  function comparisonText(name, c) {
    const changes = c.added + c.removed === 0;
    return [
      link(changes ? 'policy: no change' : 'policy: +' + c.added + ' −' + c.removed, 'policy', { function: name }),
      c.rejected ? ' (' + c.rejected + ' rejected)' : '',
      el('br'),
      c.role ? 'IAM: ' + c.role.unused.length + ' unused, ' + c.role.missing.length + ' missing, '
        + count(c.role.wildcards.length, 'wildcard') : 'IAM: no role to compare',
    ];
  }

  /** How well the agent covers a function, from what it reported and what the AWS scans found deployed. */
  function protection(f) {
    const problems = [];
    if (!f.agentVersion) problems.push('no agent has reported');
    else if (f.mode !== 'block') problems.push('the agent runs in ' + (f.mode || 'an unknown') + ' mode');
    let unprotectedInstances = 0;
    for (const d of f.deployed) {
      const where = d.region + ' ' + d.account;
      if (!d.wardenLayerVersion) {
        unprotectedInstances++;
        problems.push(where + ': no Warden layer');
      } else if (d.wardenMode && d.wardenMode !== 'block') {
        problems.push(where + ': WARDEN_MODE=' + d.wardenMode);
      }
    }
    const covered = f.agentVersion || (f.deployed.length > 0 && unprotectedInstances < f.deployed.length);
    return { level: !covered ? 'unprotected' : problems.length ? 'partial' : 'protected', problems };
  }

  function totalFindings(deployed) {
    const total = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
    for (const d of deployed) for (const s of SEVERITIES) total[s] += (d.findings && d.findings[s]) || 0;
    return total;
  }

  function scanSummary(scan) {
    const s = scan.summary || {};
    const parts = [];
    if (s.components != null) parts.push(count(s.components, 'component'));
    if (s.vulnerabilities) parts.push(count(s.vulnerabilities, 'vulnerability', 'vulnerabilities'));
    if (s.secrets) parts.push(count(s.secrets, 'secret'));
    if (s.highestSeverity && (s.vulnerabilities || s.secrets)) parts.push('highest ' + s.highestSeverity);
    return link(time(scan.time) + (parts.length ? ': ' + parts.join(', ') : ''), 'findings', { function: scan.function });
  }

  // Policy: the policy the service holds for a function (the one agents fetch, signed), beside it the suggested Warden
  // policy as a diff against it, and the suggested IAM policy compared with the execution role. Reads only.
  async function policy(params, root) {
    const chosen = params.get('function') || '';
    const version = params.get('version') || '';
    const [inventory, answer, suggested, iam] = await Promise.all([
      api('/v1/functions'),
      chosen ? request('/v1/policies/' + encodeURIComponent(chosen)) : null,
      chosen ? optional(api('/v1/functions/' + encodeURIComponent(chosen) + '/suggested-policy'
        + (version ? '?' + new URLSearchParams({ version }) : ''))) : null,
      chosen ? optional(api('/v1/functions/' + encodeURIComponent(chosen) + '/suggested-iam-policy')) : null,
    ]);
    const picker = el('form', { class: 'filters', role: 'search' },
      el('label', {}, 'Function', el('select', { name: 'function' },
        el('option', { value: '' }, 'choose…'),
        inventory.functions.map((f) => el('option', { value: f.function, selected: f.function === chosen }, f.function)))),
      el('label', {}, 'Observed version', el('select', { name: 'version' },
        el('option', { value: '' }, 'every version'),
        suggestedVersions(suggested, version).map((v) => el('option', { value: v, selected: v === version }, v)))),
      el('button', { type: 'submit' }, 'Show'));
    picker.addEventListener('submit', (e) => {
      e.preventDefault();
      const form = new FormData(picker);
      location.hash = href('policy', { function: form.get('function'), version: form.get('version') });
    });
    root.append(el('h1', {}, 'Policy'), picker);
    if (!chosen) {
      root.append(el('p', { class: 'hint' }, 'Choose a function to see the policy the service holds for it, and the '
        + 'Warden and IAM policies suggested from what it was observed doing.'));
      return;
    }
    const section = el('section', { id: 'policy-in-force' }, el('h2', {}, 'Stored policy of ' + chosen));
    if (answer.status === 404) {
      section.append(el('p', { class: 'empty' }, 'The service holds no policy for ' + chosen
        + '; its agent uses the policy it was deployed with.'));
    } else if (answer.status === 200) {
      section.append(
        el('p', { class: 'hint' }, 'Mode ', el('strong', {}, answer.body.mode || '—'), '; ETag ',
          el('code', {}, (answer.headers.get('ETag') || '').replace(/"/g, '')), '; signed with key ',
          el('code', {}, answer.headers.get('X-Warden-Key-Id') || '—')),
        el('pre', { class: 'detail' }, JSON.stringify(answer.body, null, 2)));
    } else {
      throw failure(answer);
    }
    const proposed = el('section', { id: 'suggested-policy-document' }, el('h2', {}, 'Suggested policy'),
      suggested.error ? el('p', { class: 'error', role: 'alert' }, suggested.error)
        : [el('p', { class: 'hint' }, 'Mode ', el('strong', {}, (suggested.policy && suggested.policy.mode) || '—'),
          '; the difference and its evidence are below.'),
        copyable('suggested-policy-json', JSON.stringify(suggested.policy, null, 2))]);
    root.append(el('div', { class: 'columns side-by-side' }, section, proposed),
      suggestedPolicy(chosen, version, suggested), suggestedIamPolicy(iam, version));
  }

  /** A read whose failure is shown in its own section rather than failing the whole view. */
  function optional(promise) {
    return promise.catch((e) => {
      if (e instanceof ApiError && e.status === 401) throw e;
      return { error: String(e.message || e) };
    });
  }

  /** The versions a suggestion rests on (observations and violations), and the one chosen. */
  function suggestedVersions(suggested, chosen) {
    const observed = (suggested && suggested.observed) || {};
    const versions = new Set(observed.versions || []);
    for (const v of (observed.observations && observed.observations.versions) || []) versions.add(v.version);
    if (chosen) versions.add(chosen);
    return [...versions].sort();
  }

  /** The suggested Warden policy: how much it rests on, its difference from the policy in force, how to apply it. */
  function suggestedPolicy(functionName, version, s) {
    const section = el('section', { id: 'suggested-policy' }, el('h2', {}, 'Suggested Warden policy: the difference'
      + (version ? ' (version ' + version + ')' : '')));
    if (s.error) {
      section.append(el('p', { class: 'error', role: 'alert' }, s.error));
      return section;
    }
    const observed = s.observed || {};
    const observations = observed.observations || {};
    section.append(warnings('policy-warnings', observed.warnings || []),
      el('p', { id: 'policy-basis', class: 'basis' }, 'Rests on ', count(observations.lines || 0, 'observation line'),
        ' (' + (observations.itemsUsed || 0) + ' of ' + count(observations.items || 0, 'observed item') + ' used)',
        ' and ' + (observed.eventsUsed || 0) + ' of ' + count(observed.events || 0, 'violation event') + ', ',
        (observed.invocationsCapped ? 'at least ' : '') + count(observed.invocations || 0, 'invocation'),
        '; seen ' + span(earliest(observations.firstSeen, observed.firstSeen), latest(observations.lastSeen, observed.lastSeen)),
        '; versions ' + (suggestedVersions(s, version).join(', ') || 'none'), '. ',
        el('strong', {}, observed.narrowed ? 'Narrowed: entries nothing needed are removed.'
          : 'Not narrowed: the policy in force is kept and only added to.'),
        observed.truncated ? ' Stopped at the newest events.' : ''),
      details('What the suggestion saw', facts(observed), 'policy-observed'));

    const added = s.added || [];
    const removed = s.removed || [];
    const kept = s.kept || [];
    const rejected = s.rejected || [];
    section.append(el('div', { id: 'policy-counts', class: 'totals' },
      tally('added', added.length, 'added'), tally('removed', removed.length, 'removed'),
      tally('kept', kept.length, 'kept'), tally('rejected', rejected.length, 'rejected')));
    const rows = [].concat(
      added.map((e) => diffRow('+', 'added', e)),
      removed.map((e) => diffRow('−', 'removed', e)),
      kept.map((e) => diffRow('=', 'kept', e)));
    section.append(el('div', { id: 'policy-diff' }, table(['', 'List', 'Entry', 'Count', 'First seen', 'Last seen',
      'Caller', 'Evidence'], rows, 'The suggestion has no allow entries, and removes none.')));
    if (rejected.length) {
      section.append(el('h3', {}, 'Rejected by the policy parser'),
        el('div', { id: 'policy-rejected' }, genericTable(rejected, ['list', 'entry', 'message'])));
    }
    const command = ['warden', 'policy', 'apply', functionName].concat(version ? ['--version', shellWord(version)] : []).join(' ');
    section.append(el('h3', {}, 'Apply it'),
      el('p', { class: 'hint' }, 'This page reads only. On the host of warden serve (add --data-dir DIR when it runs with '
        + 'one; --mode block to enforce), this prints the same difference, asks, then stores the policy signed:'),
      copyable('apply-command', command),
      rejected.length ? el('p', { class: 'error' }, 'The parser rejected ' + count(rejected.length, 'entry', 'entries')
        + ' (above): apply stores the policy without them only with --yes.') : null);
    return section;
  }

  /** A line of the diff: the mark, the list and entry, and the evidence the service gave for it. */
  function diffRow(mark, kind, e) {
    return el('tr', { class: 'diff ' + kind, 'data-list': e.list },
      el('td', { class: 'mark', title: kind }, mark),
      el('td', {}, e.list), el('td', { class: 'target entry' }, text(e.entry)),
      el('td', { class: 'num' }, e.count == null ? '—' : String(e.count)),
      el('td', {}, time(e.firstSeen)), el('td', {}, time(e.lastSeen)),
      el('td', { class: 'target caller' }, e.caller || '—'),
      el('td', { class: 'evidence' }, evidence(kind, e)));
  }

  /**
   * Why an entry is there (its operations and sources, or the reason; for an AWS endpoint the SDK calls it is the
   * endpoint of), the rest of its evidence folded.
   */
  function evidence(kind, e) {
    const shown = ['list', 'entry', 'count', 'firstSeen', 'lastSeen', 'caller'];
    const rest = Object.keys(e).filter((name) => !shown.includes(name));
    if (rest.length === 0) return kind === 'removed' ? 'nothing observed needed it' : '—';
    const parts = e.reason ? [e.reason]
      : [e.operations, e.sources].filter(Boolean).map((v) => text(v).replace(/\n/g, ', '));
    if (e.aws) parts.push(awsCalls(e.aws));
    return el('details', {}, el('summary', {}, parts.join(' · ') || 'evidence'), facts(e, shown));
  }

  /** The SDK calls an AWS endpoint entry stands for, as warden policy apply prints them, or why there are none. */
  function awsCalls(aws) {
    const calls = (aws.calls || []).map((c) => [c.service, c.operation].filter(Boolean).join(' '));
    if (calls.length === 0) return aws.note || 'no SDK call observed reaches it';
    const more = (aws.distinctCalls || calls.length) - calls.length;
    return 'endpoint of ' + calls.join(', ') + (more > 0 ? ' and ' + more + ' more' : '');
  }

  /** The suggested IAM policy: counts on top, the role comparison, the document and SAM snippet to copy. */
  function suggestedIamPolicy(s, version) {
    const section = el('section', { id: 'suggested-iam' }, el('h2', {}, 'Suggested IAM policy'
      + (version ? ' (every version)' : '')));
    if (s.error) {
      section.append(el('p', { class: 'error', role: 'alert' }, s.error));
      return section;
    }
    const statements = (s.policy && s.policy.Statement) || [];
    const actions = new Set(statements.flatMap((st) => [].concat(st.Action || [])));
    const role = s.role;
    section.append(el('div', { id: 'iam-counts', class: 'totals' },
      tally('statements', statements.length, 'statements'), tally('actions', actions.size, 'actions'),
      role ? tally('unused', role.unused.length, 'unused', role.unused.length > 0) : null,
      role ? tally('missing', role.missing.length, 'missing', role.missing.length > 0) : null,
      role ? tally('wildcards', role.wildcards.length, 'wildcards', role.wildcards.length > 0) : null,
      tally('unmapped', (s.unmapped || []).length, 'unmapped')));
    const confidence = s.confidence || {};
    section.append(el('p', { id: 'iam-basis', class: 'basis' }, confidence.note || '',
      confidence.firstSeen ? ' (seen ' + span(confidence.firstSeen, confidence.lastSeen) + '; versions '
        + (confidence.versions || []).join(', ') + ')' : ''),
      details('What the suggestion saw', facts(confidence, ['note']), 'iam-confidence'));

    section.append(el('h3', {}, 'Execution role'));
    if (!role) {
      section.append(el('p', { id: 'iam-role', class: 'empty' }, s.roleNote || 'No execution role to compare.'));
    } else {
      section.append(el('p', { id: 'iam-role' }, 'Compared with ', el('code', {}, role.arn || '—'),
        s.functionArn ? ' of ' : '', s.functionArn ? el('code', {}, s.functionArn) : null),
        el('h4', {}, 'Unused: granted, never observed'),
        el('div', { id: 'iam-unused' }, genericTable(role.unused, ['action', 'resource', 'policy', 'sid'], 'None.')),
        el('h4', {}, 'Missing: observed, not granted'),
        el('div', { id: 'iam-missing' }, genericTable(role.missing, ['action', 'resource', 'calls', 'deniedError'], 'None.')),
        el('h4', {}, 'Wildcards the observation narrows'),
        el('div', { id: 'iam-wildcards' }, genericTable(role.wildcards, ['action', 'resource', 'policy', 'sid', 'needed'],
          'None.')));
    }
    section.append(el('div', { class: 'columns side-by-side' },
      el('div', {}, el('h3', {}, 'Policy document'), copyable('iam-policy-json', JSON.stringify(s.policy, null, 2))),
      el('div', {}, el('h3', {}, 'SAM Policies: property'), copyable('iam-sam', s.sam || ''))),
      el('h3', {}, 'Evidence'),
      el('div', { id: 'iam-evidence' }, table(['Action', 'Resource', 'Reviewed', 'Calls', 'Count', 'Last seen', 'Callers'],
        (s.evidence || []).map((e) => {
          const calls = e.calls || [];
          return el('tr', {},
            el('td', {}, e.action), el('td', { class: 'target' }, e.resource),
            el('td', {}, e.reviewed === false ? 'no' : 'yes'),
            el('td', { class: 'target' }, calls.map((c) => callText(c)).join('\n')),
            el('td', { class: 'num' }, String(calls.reduce((n, c) => n + (c.count || 0), 0))),
            el('td', {}, time(calls.map((c) => c.lastSeen).filter(Boolean).sort().pop())),
            el('td', { class: 'target caller' }, [...new Set(calls.map((c) => c.caller).filter(Boolean))].join('\n') || '—'));
        }), 'No AWS SDK call was observed.')));
    if ((s.unmapped || []).length) {
      section.append(el('h3', {}, 'Calls without an IAM action'),
        el('div', { id: 'iam-unmapped' }, genericTable(s.unmapped, ['call', 'region', 'resources', 'count'])));
    }
    if (s.iamData) section.append(el('p', { class: 'hint' }, 'IAM reference data: ' + s.iamData));
    return section;
  }

  function callText(c) {
    const resources = Object.entries(c.resources || {}).map(([k, v]) => k + '=' + v).join(' ');
    return (c.call || '') + (resources ? ' ' + resources : '') + (c.error ? ' (' + c.error + ')' : '');
  }

  // ---- Pieces of the suggestion views -------------------------------------------------------------------------

  function warnings(id, list) {
    if (list.length === 0) return el('p', { id, class: 'no-warnings' }, 'No warnings.');
    return el('ul', { id, class: 'warnings', role: 'alert' }, list.map((w) => el('li', {}, w)));
  }

  function tally(id, n, label, alarming) {
    return el('span', { id: 'count-' + id, class: 'total ' + id + (alarming ? ' alarming' : '') },
      el('span', { class: 'number' }, String(n)), ' ' + label);
  }

  function details(summary, content, id) {
    return el('details', { id }, el('summary', {}, summary), content);
  }

  /** A text and a button that copies it (the clipboard of a secure context: loopback or HTTPS). */
  function copyable(id, value) {
    const pre = el('pre', { id, class: 'detail copyable' }, value);
    const button = el('button', { type: 'button', class: 'copy' }, 'Copy');
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(value);
        button.textContent = 'Copied';
      } catch (e) {
        getSelection().selectAllChildren(pre);
        button.textContent = 'Selected: press Ctrl+C';
      }
    });
    return el('div', { class: 'copy-block' }, button, pre);
  }

  /** Any service value as text: objects as JSON, lists one per line. */
  function text(value) {
    if (value == null) return '—';
    if (Array.isArray(value)) return value.map(text).join('\n');
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }

  /** Every field of an object but the skipped ones, as "name: value" lines (nested objects by their path). */
  function facts(object, skip = []) {
    const lines = [];
    (function walk(value, path) {
      for (const [name, v] of Object.entries(value || {})) {
        if (path === '' && skip.includes(name)) continue;
        if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) {
          walk(v, path + name + '.');
        } else if (Array.isArray(v) && v.some((x) => x && typeof x === 'object')) {
          v.forEach((x, i) => (x && typeof x === 'object' ? walk(x, path + name + '[' + i + '].')
            : lines.push([path + name + '[' + i + ']', text(x)])));
        } else {
          lines.push([path + name, Array.isArray(v) ? v.map(text).join(', ') : text(v)]);
        }
      }
    }(object, ''));
    return el('dl', { class: 'facts' }, lines.map(([name, value]) => [el('dt', {}, name), el('dd', {}, value)]));
  }

  /** A table of objects: the preferred columns first, then any other field the service sent. */
  function genericTable(rows, preferred, empty = 'None.') {
    const columns = preferred.filter((c) => rows.some((r) => c in r));
    for (const r of rows) for (const c of Object.keys(r)) if (!columns.includes(c)) columns.push(c);
    return table(columns, rows.map((r) => el('tr', {},
      columns.map((c) => el('td', { class: 'target' }, text(r[c]))))), empty);
  }

  function earliest(a, b) {
    return !a ? b : !b || a < b ? a : b;
  }

  function latest(a, b) {
    return !a ? b : !b || a > b ? a : b;
  }

  /** From first to last seen, with how long that is. */
  function span(first, last) {
    if (!first) return 'never';
    const seconds = (Date.parse(last) - Date.parse(first)) / 1000;
    return time(first) + ' to ' + time(last) + ' (' + duration(seconds) + ')';
  }

  function duration(seconds) {
    if (!(seconds >= 0)) return 'unknown';
    if (seconds < 3600) return Math.round(seconds / 60) + ' min';
    if (seconds < 2 * 86400) return Math.round(seconds / 3600) + ' h';
    return Math.round(seconds / 86400) + ' days';
  }

  /** A word as a POSIX shell reads it: quoted unless plain. */
  function shellWord(word) {
    return /^[A-Za-z0-9._-]+$/.test(word) ? word : "'" + word.replace(/'/g, "'\\''") + "'";
  }

  // Findings: the AWS scan's findings (paged by the API) and the latest package scans', by severity.
  const FINDING_TYPES = ['vulnerability', 'secret', 'posture', 'unscannable'];

  async function findings(params, root) {
    const filters = { function: params.get('function'), severity: params.get('severity'), type: params.get('type') };
    const query = new URLSearchParams({ limit: '100' });
    for (const name of ['function', 'severity', 'type', 'cursor']) {
      if (params.get(name)) query.set(name, params.get(name));
    }
    const [aws, inventory] = await Promise.all([api('/v1/findings?' + query), api('/v1/functions')]);
    const scanned = inventory.functions.filter((f) => f.latestScan
      && (!filters.function || f.function === filters.function));
    const scans = await inBatches(scanned, 4, (f) => api('/v1/scans/' + encodeURIComponent(f.latestScan.id)));
    const minimum = SEVERITIES.indexOf(filters.severity || 'unknown');
    const packageRows = [];
    scans.forEach((scan, i) => {
      const result = scan.result || {};
      const rows = [];
      if (!filters.type || filters.type === 'vulnerability') {
        for (const v of result.vulnerabilities || []) {
          rows.push([v.severity, 'vulnerability', v.id, v.package + ' ' + (v.version || '') + ' at ' + v.location,
            v.summary || '', (v.fixedIn || []).length ? 'fixed in ' + v.fixedIn.join(', ') : '']);
        }
      }
      if (!filters.type || filters.type === 'secret') {
        for (const s of result.secrets || []) {
          rows.push([s.severity, 'secret', s.rule, s.location + (s.line ? ':' + s.line : ''), s.title, s.masked]);
        }
      }
      if (!filters.type || filters.type === 'unscannable') {
        for (const u of result.unscannable || []) rows.push(['unknown', 'unscannable', 'unscannable', u.location, u.reason, '']);
      }
      for (const r of rows) {
        if (SEVERITIES.indexOf(r[0]) <= minimum) packageRows.push([scanned[i].function, ...r]);
      }
    });
    packageRows.sort((a, b) => SEVERITIES.indexOf(a[1]) - SEVERITIES.indexOf(b[1]) || a[0].localeCompare(b[0]));

    root.append(el('h1', {}, 'Findings'), filterForm('findings', [
      textFilter('function', 'Function (name or ARN)', filters.function),
      choiceFilter('severity', 'Severity at least', SEVERITIES.slice(0, 4), filters.severity),
      choiceFilter('type', 'Type', FINDING_TYPES, filters.type),
    ]));
    root.append(el('section', { id: 'aws-findings' }, el('h2', {}, 'AWS scan'), severityCounts(aws.findings.map((f) => f.severity)),
      table(['Severity', 'Resource', 'Type', 'Rule', 'Subject', 'Title', 'Remediation'], aws.findings.map((f) => el('tr', {},
        el('td', {}, severityBadge(f.severity)), el('td', { class: 'target' }, f.resource), el('td', {}, f.type),
        el('td', {}, f.rule), el('td', {}, f.subject), el('td', {}, f.title), el('td', {}, f.remediation))),
      'No AWS scan findings match.'),
      pager('findings', filters, params.get('cursor'), aws.nextCursor)));
    root.append(el('section', { id: 'package-findings' }, el('h2', {}, 'Latest package scans'),
      severityCounts(packageRows.map((r) => r[1])),
      table(['Severity', 'Function', 'Type', 'Id', 'Where', 'What', 'Detail'], packageRows.map((r) => el('tr', {},
        el('td', {}, severityBadge(r[1])), el('td', {}, r[0]), el('td', {}, r[2]), el('td', {}, r[3]),
        el('td', { class: 'target' }, r[4]), el('td', {}, r[5]), el('td', {}, r[6]))),
      'No package scan findings match.')));
  }

  function severityCounts(severities) {
    const counts = SEVERITIES.map((s) => [s, severities.filter((x) => x === s).length]).filter(([, n]) => n > 0);
    return el('p', { class: 'counts' }, counts.length === 0 ? 'none'
      : counts.map(([s, n]) => el('span', { class: 'count' }, severityBadge(s), ' ' + n)));
  }

  function $(id) {
    return document.getElementById(id);
  }

  // ---- Start --------------------------------------------------------------------------------------------------

  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = $('login-token').value.trim();
    if (token) signIn(token);
  });
  $('sign-out').addEventListener('click', () => signOut('Signed out.'));
  /** Renders the view of the address, first spending a login code when the address carries one. */
  function navigate() {
    const code = /^#login=([A-Za-z0-9_-]+)$/.exec(location.hash);
    if (code) loginWithCode(code[1]);
    else render();
  }

  window.addEventListener('hashchange', navigate);
  navigate();
})();
