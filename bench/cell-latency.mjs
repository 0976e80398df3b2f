// Code-cell performance budget, measured in a real Chromium on a cold page (fresh profile):
// JS loaded before any interaction, time from the first click on Run to the finished run,
// a second run, and the bytes the first edit pulls in (Monaco + its TypeScript worker).
// Usage: serve a build (npx astro preview --port 4321), then
//   node bench/cell-latency.mjs http://localhost:4321 /engine/ softmax
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const [base, path = '/engine/', cellId = 'softmax'] = process.argv.slice(2);
if (!base) {
  console.error('usage: node bench/cell-latency.mjs <base-url> [page] [cell-id]');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
});
const page = await (await browser.newContext()).newPage();
let phase = 'load';
const bytes = { load: [], run: [], edit: [] };
page.on('response', (res) => {
  const type = res.request().resourceType();
  if (type === 'script' || /javascript/.test(res.headers()['content-type'] ?? '') || res.url().endsWith('.js')) {
    bytes[phase].push(res.body().catch(() => Buffer.alloc(0)));
  }
});
const gz = async (list) => (await Promise.all(list)).reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0) / 1024;

await page.goto(new URL(path, base).href, { waitUntil: 'networkidle' });
const cell = page.locator(`#cell-${cellId}`);

// Timed inside the page: from the click to the moment the cell reports a finished run.
const timedRun = () =>
  page.evaluate((id) => {
    const island = document.querySelector(`#cell-${id} .cell-island`);
    const button = document.querySelector(`#cell-${id} .cell-run`);
    return new Promise((resolve) => {
      const started = performance.now();
      let sawRunning = false;
      const observer = new MutationObserver(() => {
        const status = island.getAttribute('data-status');
        if (status === 'running' || status === 'queued') sawRunning = true;
        else if (sawRunning && status === 'ok') {
          observer.disconnect();
          resolve(performance.now() - started);
        }
      });
      observer.observe(island, { attributes: true, attributeFilter: ['data-status'] });
      button.click();
    });
  }, cellId);

phase = 'run';
const firstRun = await timedRun();
const secondRun = await timedRun();
await page.waitForLoadState('networkidle');

phase = 'edit';
const t0 = performance.now();
await cell.getByRole('button', { name: 'Edit' }).click();
await cell.locator('.cell-editor .monaco-editor').waitFor();
const editorReady = performance.now() - t0;
await page.waitForTimeout(3000); // the TypeScript worker starts after the editor shows
await page.waitForLoadState('networkidle');

console.log(`page ${path}, cell "${cellId}"`);
console.log(`JS before any interaction (gzip):      ${(await gz(bytes.load)).toFixed(1)} KB`);
console.log(`first Run → finished, cold page:       ${firstRun.toFixed(0)} ms (loads ${(await gz(bytes.run)).toFixed(1)} KB gz: worker, engine, transpiler)`);
console.log(`second Run → finished:                 ${secondRun.toFixed(0)} ms`);
console.log(`first Edit → editor shown:             ${editorReady.toFixed(0)} ms; JS loaded by the edit ${(await gz(bytes.edit)).toFixed(1)} KB gz (Monaco + TS worker)`);
await browser.close();
