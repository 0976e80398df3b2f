// What the page benchmarks share: flag parsing, a Vite dev server for a page folder (repo root
// allowed, so pages import src/ directly), headless Chromium with WebGPU on, and waiting for the
// page to publish window.__benchResult (or __benchError). Used by models-browser.mjs and
// webgpu-browser.mjs; each page keeps its own table.
import { writeFile } from 'node:fs/promises';
import { createServer as createNetServer } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * `--key value` flags into `defaults`' keys (values stay strings; absent ones keep their default).
 * An unknown flag or a missing value prints `usage` and exits with status 2.
 */
export function parseArgs(argv, defaults, usage) {
  const args = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (!argv[i].startsWith('--') || !(key in args) || argv[i + 1] === undefined) {
      console.error(`usage: ${usage}`);
      process.exit(2);
    }
    args[key] = argv[++i];
  }
  return args;
}

/** The non-null entries of `params` as a query string for the page. */
export function queryString(params) {
  return new URLSearchParams(Object.entries(params).filter(([, v]) => v !== null && v !== undefined)).toString();
}

/** A port nobody listens on now (the OS picks it), so several runs can share a machine. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Vite serving `pageDir` (a folder with index.html) and public/ (so /models/<name>/... resolve as
 * on the site). `cacheName` keeps each page's dependency cache apart from the site's.
 */
export async function startServer(pageDir, cacheName) {
  const port = await freePort();
  const server = await createServer({
    configFile: false,
    root: pageDir,
    publicDir: `${repoRoot}public`,
    cacheDir: `${repoRoot}node_modules/.vite-${cacheName}`,
    logLevel: 'warn',
    clearScreen: false,
    server: { host: '127.0.0.1', port, strictPort: true, fs: { allow: [repoRoot] } },
  });
  await server.listen();
  return { server, url: `http://127.0.0.1:${port}/` };
}

/**
 * Opens `url` in headless Chromium, waits for window.__benchResult and returns it with the
 * browser's version. Page lines starting "[bench]" and page errors go to stderr.
 * `disableHttpCache`: every fetch really downloads (Cache Storage is unaffected).
 */
export async function runPage(url, { timeoutMs, disableHttpCache = false }) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--enable-unsafe-webgpu'],
  });
  try {
    const page = await browser.newPage();
    page.on('console', (msg) => {
      const text = msg.text();
      if (text.startsWith('[bench]')) console.error(text);
      else if (msg.type() === 'error' || msg.type() === 'warning') console.error(`[page ${msg.type()}] ${text.replace(/\x1b\[[0-9;]*m/g, '')}`);
    });
    page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
    page.on('response', (res) => res.status() >= 400 && console.error(`[page] HTTP ${res.status()} ${res.url()}`));
    if (disableHttpCache) {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    }
    await page.goto(url);
    await page.waitForFunction(() => window.__benchResult || window.__benchError, null, { timeout: timeoutMs, polling: 500 });
    const error = await page.evaluate(() => window.__benchError);
    if (error) throw new Error(`the benchmark page failed: ${error}`);
    return { result: await page.evaluate(() => window.__benchResult), chromium: browser.version() };
  } finally {
    await browser.close();
  }
}

/**
 * One benchmark run end to end: serves `pageDir`, runs the page with `query`, prints
 * `report(result, chromiumVersion, loadAverage)`, writes `toJson(...)` to `jsonPath` when given,
 * and exits (1 if anything failed). The machine's load average at start and end goes with it.
 */
export async function runBench({ pageDir, cacheName, query, pageOptions, report, toJson, jsonPath }) {
  const { server, url } = await startServer(pageDir, cacheName);
  let exitCode = 0;
  try {
    const load = { start: loadavg()[0] };
    const { result, chromium: version } = await runPage(`${url}?${queryString(query)}`, pageOptions);
    load.end = loadavg()[0];
    console.log(report(result, version, load));
    if (jsonPath) {
      const json = { chromium: version, cpus: availableParallelism(), loadAverage: load, ...toJson(result) };
      await writeFile(jsonPath, `${JSON.stringify(json, null, 2)}\n`);
    }
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    exitCode = 1;
  } finally {
    await server.close();
  }
  process.exit(exitCode);
}

/** A plain-text table: first column left-aligned, the rest right-aligned. */
export function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
