import { defineConfig } from '@playwright/test';

// End-to-end tests drive a real Chromium against the built site (`astro preview` serves dist/).
// The browser is a system Chromium (see scripts/ensure-chromium.sh): Playwright's own download is
// not available on our machines.
const port = Number(process.env.E2E_PORT ?? 4399);
// Which build to serve: dist/ by default; E2E_DIST lets several people test their own builds at once.
const distDir = process.env.E2E_DIST ?? 'dist';

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  // Generous: shared CI machines can be slow; no test asserts a duration.
  timeout: 120_000,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    // The book's offline service worker stays out of every test but the one written for it
    // (tests/e2e/offline.spec.ts): a worker would answer requests that tests route or count, and
    // its caches belong in a test that means them.
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
      ],
    },
  },
  webServer: {
    command: `npx astro preview --outDir ${distDir} --port ${port} --host localhost`,
    url: `http://localhost:${port}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  },
});
