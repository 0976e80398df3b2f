// Screenshot pages of a running site in headless Chromium, to look at what a reader sees.
// Usage: node scripts/screenshot.mjs <base-url> <out-dir> [path ...] [--dark] [--mobile]
import { chromium } from 'playwright-core';

const [base, outDir, ...rest] = process.argv.slice(2);
if (!base || !outDir) {
  console.error('usage: node scripts/screenshot.mjs <base-url> <out-dir> [path ...] [--dark] [--mobile]');
  process.exit(2);
}
const paths = rest.filter((a) => !a.startsWith('--'));
const dark = rest.includes('--dark');
const mobile = rest.includes('--mobile');
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
});
const page = await browser.newPage({
  viewport: mobile ? { width: 390, height: 844 } : { width: 1280, height: 900 },
  colorScheme: dark ? 'dark' : 'light',
});
for (const path of paths.length ? paths : ['/']) {
  await page.goto(new URL(path, base).href, { waitUntil: 'networkidle' });
  const file = `${outDir}/${path.replace(/[^a-z0-9]+/gi, '_') || 'home'}${dark ? '-dark' : ''}${mobile ? '-mobile' : ''}.png`;
  await page.screenshot({ path: file, fullPage: true });
  console.log(file);
}
await browser.close();
