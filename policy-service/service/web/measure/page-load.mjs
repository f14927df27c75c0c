// Loads a web view page RUNS times in Debian's Chromium, signed in with TOKEN, and prints the medians of the first
// contentful paint and of the time from navigation start until the view has rendered its data (docs/web.md):
// node measure/page-load.mjs URL TOKEN HASH [RUNS]
import { chromium } from 'playwright-core';

const [url, token, hash = '#/overview', runs = '15'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const times = [];
const paints = [];
for (let i = 0; i < Number(runs); i++) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await context.addInitScript((t) => sessionStorage.setItem('warden.token', t), token);
  const page = await context.newPage();
  await page.goto(url + '/' + hash);
  await page.waitForSelector('#view[aria-busy="false"]', { timeout: 120_000 });
  times.push(await page.evaluate(() => performance.now()));
  paints.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0].startTime));
  await context.close();
}
await browser.close();
function summary(values) {
  values.sort((a, b) => a - b);
  return `median ${values[Math.floor(values.length / 2)].toFixed(0)} ms `
    + `(min ${values[0].toFixed(0)}, max ${values[values.length - 1].toFixed(0)})`;
}
console.log(`${hash}, ${times.length} loads: first contentful paint ${summary(paints)}; rendered ${summary(times)}`);
