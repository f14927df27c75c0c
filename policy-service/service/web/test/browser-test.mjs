// The web view end to end in Debian's Chromium, driven by playwright-core, against a running warden serve that
// WebViewBrowserTest seeded. It passes everything in WARDEN_E2E (JSON): url, loginUrl, viewerToken, reporterToken,
// chromium, screenshots and the numbers it seeded (expected). Every assertion failure fails the Java test.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

const e2e = JSON.parse(process.env.WARDEN_E2E);
const expected = e2e.expected;
const TIMEOUT = Number(process.env.WARDEN_E2E_TIMEOUT || 60_000);

let browser;
let context;
let page;
const problems = [];

/** A fresh context (its own session storage) whose requests may only go to the service. */
async function newPage() {
  const c = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  c.setDefaultTimeout(TIMEOUT);
  await c.route('**/*', (route) => (route.request().url().startsWith(e2e.url + '/')
    ? route.continue() : (problems.push('request off the service: ' + route.request().url()), route.abort())));
  const p = await c.newPage();
  p.on('pageerror', (error) => problems.push('page error: ' + error.message));
  p.on('console', (message) => {
    if (message.type() === 'error'
      && !/Failed to load resource: the server responded with a status of 40[134]/.test(message.text())) {
      problems.push('console error: ' + message.text());
    }
  });
  return { c, p };
}

async function shot(name) {
  await page.screenshot({ path: join(e2e.screenshots, name + '.png'), fullPage: true });
}

async function ready() {
  await page.waitForSelector('#view[aria-busy="false"]');
}

async function open(hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await page.waitForFunction((h) => location.hash === h
    && document.querySelector('#view').getAttribute('aria-busy') === 'false', hash);
}

async function texts(selector) {
  return page.locator(selector).allTextContents();
}

before(async () => {
  mkdirSync(e2e.screenshots, { recursive: true });
  browser = await chromium.launch({
    executablePath: e2e.chromium,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  ({ c: context, p: page } = await newPage());
});

after(async () => {
  await browser?.close();
});

test('a wrong token is refused, and so is a token that may not read', async () => {
  await page.goto(e2e.url + '/');
  await page.waitForSelector('#login:not([hidden])');
  await page.fill('#login-token', 'wdn_not-a-real-token');
  await page.click('#login button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#login-error').textContent !== '');
  assert.match(await page.textContent('#login-error'), /^Sign-in refused: unknown token/);
  await page.fill('#login-token', e2e.reporterToken);
  await page.click('#login button[type=submit]');
  await page.waitForFunction(() => /may not read/.test(document.querySelector('#login-error').textContent));
  assert.equal(await page.isVisible('#nav'), false);
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await shot('login-refused');
});

test('the one-time login URL signs in once and leaves the address bar', async () => {
  await page.goto(e2e.loginUrl);
  await ready();
  assert.equal(await page.evaluate(() => location.hash), '#/overview');
  assert.ok(await page.evaluate(() => sessionStorage.getItem('warden.token')));
  const second = await newPage();
  try {
    await second.p.goto(e2e.loginUrl);
    await second.p.waitForFunction(() => /login link was refused/.test(document.querySelector('#login-error').textContent));
  } finally {
    await second.c.close();
  }
});

test('the overview shows the seeded totals, chart and top lists, and the XSS target as text', async () => {
  await open('#/overview');
  assert.equal(await page.textContent('#total-blocked .number'), String(expected.totals.blocked));
  assert.equal(await page.textContent('#total-alerted .number'), String(expected.totals.alerted));
  await page.waitForSelector('#chart canvas');
  const legend = await texts('#chart .u-legend .u-label');
  for (const series of expected.series) assert.ok(legend.includes(series), series + ' in ' + legend);
  assert.deepEqual(await texts('#top-functions tbody tr td:first-child'), expected.topFunctions);
  assert.deepEqual(await texts('#top-targets tbody tr td:first-child'), expected.topTargets);
  assert.equal(await page.locator('#view img, #view script').count(), 0, 'no markup from the payload');
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  await shot('overview');
});

test('the numbers link to the rows behind them', async () => {
  await page.click('#total-blocked');
  await page.waitForFunction(() => location.hash.startsWith('#/violations?action=blocked'));
  await ready();
  const first = await page.locator('#view tbody tr').count();
  assert.equal(first, Math.min(50, expected.blockedInRange));
  await page.click('text=Next page');
  await page.waitForFunction(() => location.hash.includes('cursor='));
  await ready();
  assert.equal(first + await page.locator('#view tbody tr').count(), expected.blockedInRange);

  await open('#/overview');
  await page.locator('#top-targets tbody tr', { hasText: expected.xss }).locator('a').click();
  await page.waitForFunction(() => location.hash.includes('target='));
  await ready();
  assert.deepEqual(await texts('#view tbody td.target'), [expected.xss]);
});

test('violations are paged, filtered through the URL, and open in full; the payload stays text', async () => {
  await open('#/violations');
  assert.equal(await page.locator('#view tbody tr').count(), 50);
  await page.click('text=Next page');
  await page.waitForFunction(() => location.hash.includes('cursor='));
  await ready();
  assert.equal(await page.locator('#view tbody tr').count(), expected.allViolations - 50);

  await open('#/violations');
  await page.fill('input[name=function]', expected.filter.function);
  await page.click('#view form button[type=submit]');
  await page.waitForFunction((f) => location.hash === '#/violations?function=' + f, expected.filter.function);
  await ready();
  const functions = await texts('#view tbody tr td:nth-child(2)');
  assert.equal(functions.length, expected.filter.rows);
  assert.ok(functions.every((f) => f === expected.filter.function), functions.join());
  await page.selectOption('select[name=category]', expected.filter.category);
  await page.click('#view form button[type=submit]');
  await page.waitForFunction(() => location.hash.includes('category='));
  await ready();
  assert.equal(await page.locator('#view tbody tr').count(), expected.filter.categoryRows);
  await shot('violations-filtered');

  await open('#/violations?target=' + encodeURIComponent(expected.xss));
  const row = page.locator('#view tbody tr').first();
  assert.equal(await row.locator('td.target').textContent(), expected.xss);
  await row.click();
  await page.waitForSelector('#event-detail:not([hidden])');
  const event = JSON.parse(await page.textContent('#event-detail'));
  assert.equal(event.target, expected.xss);
  assert.equal(event.requestId, expected.xssRequestId);
  assert.equal(await page.locator('#view img, #view script').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  await shot('violations-event');
});

test('the functions show their protection, policy, scans and findings', async () => {
  await open('#/functions');
  for (const [name, level] of Object.entries(expected.protection)) {
    const row = page.locator(`#view tr[data-function="${name}"]`);
    assert.equal(await row.locator('.protection').textContent(), level, name);
    assert.equal(await row.getAttribute('class'), 'protection-' + level);
  }
  const orders = page.locator(`#view tr[data-function="${expected.policy.function}"]`);
  assert.match(await orders.locator('td:nth-child(5)').textContent(), /^stored [0-9a-f]{12}$/);
  assert.match(await page.locator(`#view tr[data-function="${expected.scan.function}"] td:nth-child(10)`).textContent(),
    /1 secret, highest medium/);
  await shot('functions');
});

test('the policy view shows the stored policy, or says there is none', async () => {
  await open('#/policy?function=' + expected.policy.function);
  assert.ok((await page.textContent('#policy-in-force pre')).includes(expected.policy.contains));
  await shot('policy');
  await open('#/policy?function=' + expected.policy.none);
  assert.match(await page.textContent('#policy-in-force'), /holds no policy/);
});

/** The row of a table whose cell matches the text exactly. */
function rowWith(selector, cell, text) {
  return page.locator(selector).filter({
    has: page.locator(cell, { hasText: new RegExp('^' + text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$') }),
  });
}

test('the policy view shows the suggested policy as a diff against the one in force, with evidence and warnings',
  async () => {
    const l = expected.learning;
    await open('#/policy?function=' + l.function);
    assert.ok(l.warnings.some((w) => /less than 7 days/.test(w)), l.warnings.join());
    assert.deepEqual(await texts('#policy-warnings li'), l.warnings);
    for (const [list, n] of Object.entries(l.counts)) {
      assert.equal(await page.textContent(`#suggested-policy #count-${list} .number`), String(n), list);
    }
    assert.equal(await page.locator('#policy-diff tr.diff.added').count(), l.counts.added);
    assert.equal(await page.locator('#policy-diff tr.diff.removed').count(), l.counts.removed);
    assert.equal(await page.locator('#policy-diff tr.diff.kept').count(), l.counts.kept);

    const added = rowWith('#policy-diff tr.diff.added', 'td.entry', l.added.entry);
    assert.equal(await added.count(), 1);
    assert.equal(await added.locator('td.mark').textContent(), '+');
    assert.equal(await added.locator('td:nth-child(2)').textContent(), l.added.list);
    assert.equal(await added.locator('td:nth-child(4)').textContent(), l.added.count);
    assert.equal(await added.locator('td.caller').textContent(), l.added.caller);
    const endpoint = rowWith('#policy-diff tr.diff.added', 'td.entry', l.endpoint.entry);
    assert.ok((await endpoint.locator('td.evidence summary').textContent()).startsWith(l.endpoint.summary),
      await endpoint.locator('td.evidence summary').textContent());
    const removed = rowWith('#policy-diff tr.diff.removed', 'td.entry', l.removed.entry);
    assert.equal(await removed.locator('td.mark').textContent(), '−');
    assert.equal(await removed.locator('td:nth-child(2)').textContent(), l.removed.list);

    assert.equal(await page.textContent('#apply-command'), l.apply);
    assert.deepEqual(await texts('select[name=version] option'), ['every version'].concat(l.versions));
    assert.equal(await page.locator('#view img, #view script').count(), 0, 'no markup from observed names');
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    await shot('policy-suggested');
    await page.locator('#suggested-policy').screenshot({ path: join(e2e.screenshots, 'policy-diff.png') });

    await page.selectOption('select[name=version]', '2');
    await page.click('#view form button[type=submit]');
    await page.waitForFunction(() => location.hash.includes('version=2'));
    await ready();
    assert.match(await page.textContent('#suggested-policy h2'), /\(version 2\)$/);
    assert.equal(await page.textContent('#suggested-iam h2'), 'Suggested IAM policy (every version)');
    assert.equal(await page.textContent('#apply-command'), l.applyVersion);
    assert.equal(await rowWith('#policy-diff tr.diff.added', 'td.entry', l.added.entry).count(), 1);
  });

test('the policy view shows the suggested IAM policy and how the execution role compares, to copy', async () => {
  const iam = expected.learning.iam;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2e.url });
  await open('#/policy?function=' + expected.learning.function);
  assert.equal(await page.textContent('#count-statements .number'), String(iam.statements));
  assert.equal(await page.textContent('#count-unused .number'), String(iam.unused));
  assert.equal(await page.textContent('#count-missing .number'), String(iam.missing));
  assert.equal(await page.textContent('#count-wildcards .number'), String(iam.wildcards));
  assert.match(await page.textContent('#iam-role'), new RegExp(iam.role.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.equal(await rowWith('#iam-unused tbody tr', 'td', iam.unusedAction).count(), 1);
  assert.equal(await rowWith('#iam-wildcards tbody tr', 'td', iam.wildcardAction).count(), 1);
  assert.equal(await page.locator('#iam-missing tbody tr').count(), iam.missing);
  assert.ok(await rowWith('#iam-missing tbody tr', 'td', iam.missingAction).count() >= 1);
  assert.deepEqual(JSON.parse(await page.textContent('#iam-policy-json')), iam.policy);
  assert.equal(await page.textContent('#iam-sam'), iam.sam);
  await page.locator('#iam-sam').locator('xpath=..').locator('button.copy').click();
  await page.waitForFunction(() => document.querySelector('#iam-sam').parentElement.querySelector('button').textContent
    === 'Copied');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), iam.sam);
  await page.locator('#suggested-iam').screenshot({ path: join(e2e.screenshots, 'policy-iam-section.png') });
});

test('the functions view says how far learning got, sorts the ready ones first and compares only when asked',
  async () => {
    const l = expected.learning;
    const suggestions = [];
    const policyReads = [];
    const watch = (r) => {
      if (/\/suggested-(iam-)?policy/.test(r.url())) suggestions.push(r.url());
      if (/\/v1\/policies\//.test(r.url())) policyReads.push(r.url());
    };
    page.on('request', watch);
    try {
      await open('#/functions');
      const shipping = page.locator(`#view tr[data-function="${l.function}"]`);
      assert.equal(await shipping.locator('td.learning .readiness').textContent(), 'not yet');
      assert.match(await shipping.locator('td.learning').textContent(),
        new RegExp('^not yet ' + l.summary.lines + ' lines over 2 days, 2 versions, last 2026-12-03 12:00:00Z'));
      assert.deepEqual(await shipping.locator('td.learning li').allTextContents(), l.summary.warnings);
      assert.deepEqual(suggestions, [], 'no suggestion is computed when the view loads');
      assert.deepEqual(policyReads, [], 'the listing says which functions have a policy');

      await page.selectOption('select[name=sort]', 'ready');
      await page.click('#view form button[type=submit]');
      await page.waitForFunction(() => location.hash === '#/functions?sort=ready');
      await ready();
      assert.equal(await page.getAttribute('#view tbody tr:first-child', 'data-function'), l.ready.function);
      assert.equal(await page.textContent(`#view tr[data-function="${l.ready.function}"] .readiness`), 'ready');
      assert.equal(await page.textContent('#compare-ready'), 'Compare 1 ready function with the suggestions');
      await shot('functions-learning');

      await shipping.locator('button.compare').click();
      await page.waitForFunction((name) => /^policy/.test(document
        .querySelector(`#view tr[data-function="${name}"] td.suggestion`).textContent), l.function);
      assert.equal(await shipping.locator('td.suggestion').textContent(), 'policy: +' + l.counts.added + ' −'
        + l.counts.removed + ' (' + l.counts.rejected + ' rejected)IAM: ' + l.iam.unused + ' unused, ' + l.iam.missing
        + ' missing, ' + l.iam.wildcards + ' wildcard');
      assert.equal(suggestions.length, 2, suggestions.join());

      await page.click('#compare-ready');
      await page.waitForFunction(() => /^Compared 1 of 1$/.test(document.querySelector('#compare-ready').textContent));
      const readyRow = page.locator(`#view tr[data-function="${l.ready.function}"]`);
      assert.equal(await readyRow.locator('td.suggestion').textContent(), 'policy: +' + l.ready.added + ' −'
        + l.ready.removed + 'IAM: no role to compare');
      assert.equal(suggestions.length, 4, suggestions.join());

      await open('#/functions');
      assert.match(await shipping.locator('td.suggestion').textContent(), /^policy: \+/, 'kept across sorting');
      assert.equal(suggestions.length, 4, 'and not computed again');

      await page.selectOption('select[name=learning]', 'ready');
      await page.click('#view form button[type=submit]');
      await page.waitForFunction(() => location.hash === '#/functions?learning=ready&sort=function');
      await ready();
      assert.deepEqual(await page.locator('#view tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.function)),
        [l.ready.function]);
      await open('#/functions?learning=not-yet');
      assert.deepEqual(await page.locator('#view tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.function)),
        [l.function]);
      await open('#/functions?name=SHIP');
      assert.deepEqual(await page.locator('#view tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.function)),
        [l.function]);
      assert.equal(await page.locator('#view img, #view script').count(), 0);
      await shot('functions-compared');
    } finally {
      page.off('request', watch);
    }
  });

test('findings are listed by severity and filter', async () => {
  await open('#/findings');
  assert.equal(await page.locator('#aws-findings tbody tr').count(), expected.findings.aws);
  assert.deepEqual(await texts('#package-findings tbody tr td:nth-child(4)'), [expected.findings.packageRule]);
  await shot('findings');
  await page.selectOption('select[name=severity]', 'critical');
  await page.click('#view form button[type=submit]');
  await page.waitForFunction(() => location.hash.includes('severity=critical'));
  await ready();
  assert.deepEqual(await texts('#aws-findings tbody tr td:first-child'),
    Array(expected.findings.awsCritical).fill('critical'));
  assert.equal(await page.locator('#package-findings tbody tr').count(), 0);
});

test('signing out forgets the token', async () => {
  await page.click('#sign-out');
  await page.waitForSelector('#login:not([hidden])');
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await page.evaluate(() => { location.hash = '#/violations'; });
  await page.waitForSelector('#login:not([hidden])');
  assert.deepEqual(problems, [], 'no page errors, console errors or requests off the service');
});
