// Seeds a running warden serve with FUNCTIONS functions as their agents would show them, for measuring the learning
// views at scale (docs/web.md): node measure/seed-observations.mjs URL ADMIN_TOKEN [FUNCTIONS] [LINES]
// Each function reports once (the inventory) and posts LINES observation lines through POST /v1/observations, spread
// over the 10 days before now, each with 20 items (hosts, files, AWS SDK calls) of which a few are new per line.
const [url, admin, n = '500', l = '30'] = process.argv.slice(2);
const functions = Number(n);
const lines = Number(l);
const DAY = 86_400_000;

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
for (let f = 0; f < functions; f++) {
  const name = 'fn-' + String(f).padStart(4, '0');
  await post('/v1/reports', reporter, { function: name, agentVersion: '0.1.0', mode: 'alert', events: [] });
  // Every third function has been observed for 10 days, the others for 2.
  const span = f % 3 === 0 ? 10 * DAY : 2 * DAY;
  for (let i = 0; i < lines; i++) {
    const items = [];
    for (let k = 0; k < 20; k++) {
      const j = (i * 3 + k) % 60;
      items.push(k % 3 === 0 ? { kind: 'network', operation: 'connect', host: 'svc-' + j + '.internal', address: '10.0.0.' + j, port: 443, count: 1, caller: 'com.acme.Handler.handle' }
        : k % 3 === 1 ? { kind: 'file', operation: 'read', path: '/opt/app/conf-' + j + '.json', count: 2 }
          : { kind: 'aws', service: 'dynamodb', operation: 'GetItem', region: 'eu-west-1', resources: { TableName: 'table-' + j }, count: 3 });
    }
    await post('/v1/observations', reporter, {
      warden: 'observation', version: 1, id: name + '-' + i, function: name, functionVersion: String(1 + (i % 2)),
      time: new Date(now - span + Math.floor((span * i) / Math.max(1, lines - 1))).toISOString(), mode: 'alert',
      dropped: 0, items,
    });
  }
}
console.log('seeded ' + functions + ' functions with ' + lines + ' observation lines each');
