// JavaScript a page loads before any interaction, measured in a real Chromium: every script
// response is gzipped here (level 9, like a static host would) and summed.
// Usage: node bench/page-weight.mjs <base-url> [path ...]   (serve the build first: npx astro preview)
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const [base, ...paths] = process.argv.slice(2);
if (!base) {
  console.error('usage: node bench/page-weight.mjs <base-url> [path ...]');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
});
console.log('page                          scripts   raw KB    gzip KB');
for (const path of paths.length ? paths : ['/']) {
  const page = await browser.newPage();
  const bodies = [];
  page.on('response', async (res) => {
    const type = res.headers()['content-type'] ?? '';
    if (res.request().resourceType() === 'script' || type.includes('javascript')) {
      bodies.push(res.body().then((b) => b).catch(() => Buffer.alloc(0)));
    }
  });
  await page.goto(new URL(path, base).href, { waitUntil: 'networkidle' });
  const all = await Promise.all(bodies);
  const raw = all.reduce((n, b) => n + b.length, 0);
  const gz = all.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);
  console.log(`${path.padEnd(28)} ${String(all.length).padStart(8)} ${(raw / 1024).toFixed(1).padStart(8)} ${(gz / 1024).toFixed(1).padStart(10)}`);
  await page.close();
}
await browser.close();
