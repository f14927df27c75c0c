// Seeds a running warden serve with N violation events through POST /v1/reports (500 per report), for measuring the
// web view at scale (docs/web.md): node measure/seed-violations.mjs URL ADMIN_TOKEN [N]
// Events spread over the 7 days before now, across 20 functions, every category, 300 targets; 4 in 5 are blocked.
const [url, admin, n = '100000'] = process.argv.slice(2);
const total = Number(n);
const CATEGORIES = ['network', 'dns', 'file', 'process', 'native', 'jndi', 'deserialization'];
const WEEK = 7 * 86_400_000;

async function post(path, token, body) {
  const response = await fetch(url + path, {
    method: 'POST',
    headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(path + ': ' + response.status + ' ' + text);
  return JSON.parse(text);
}

const reporter = (await post('/v1/tokens', admin, { role: 'reporter', function: '*' })).token;
const now = Date.now();
let random = 42;
const next = () => (random = (random * 1103515245 + 12345) % 2147483648) / 2147483648;
for (let start = 0; start < total; start += 500) {
  const fn = 'fn-' + String(Math.floor(start / 500) % 20).padStart(2, '0');
  const events = [];
  for (let i = start; i < Math.min(total, start + 500); i++) {
    const category = CATEGORIES[Math.floor(next() * CATEGORIES.length)];
    events.push({
      warden: 'violation', id: 'seed-' + i, time: new Date(now - Math.floor(next() * WEEK)).toISOString(),
      function: fn, category, operation: 'op', target: 'target-' + Math.floor(next() * 300) + '.example:443',
      action: next() < 0.8 ? 'blocked' : 'alerted', rule: category + '.allow (no match)', count: 1,
      requestId: 'req-' + i,
    });
  }
  await post('/v1/reports', reporter, { function: fn, agentVersion: '0.1.0', mode: 'block', events });
}
console.log('seeded ' + total + ' violations');
