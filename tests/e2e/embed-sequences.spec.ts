// The AR-forecast widget alone at /embed/ar-forecast/: state from the URL, fills a slide, reacts to
// the keyboard (the pattern of embed.spec.ts).
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { watchForProblems } from './site';

const EMBED = '/embed/ar-forecast/';
const screens = 'test-results/embed-screens';
mkdirSync(screens, { recursive: true });

const widget = (page: Page) => page.locator('.sq-widget');
const slider = (page: Page, name: string) => page.getByRole('slider', { name });

/** Waits until the widget has fitted, forecast and drawn the given state. */
async function drawn(page: Page, state: { tau: number; k: number; day: number }): Promise<void> {
  await expect(widget(page)).toHaveAttribute('data-tau', String(state.tau));
  await expect(widget(page)).toHaveAttribute('data-k', String(state.k));
  await expect(widget(page)).toHaveAttribute('data-day', String(state.day));
  await expect(widget(page)).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await expect(page.locator('.sq-rolled path').first()).toBeAttached();
}

/** What a reader sees change: the k-step forecast line and the marked horizon. */
async function pictures(page: Page): Promise<string> {
  const rolled = await page.locator('.sq-rolled path').evaluateAll((ps) => ps.map((p) => p.getAttribute('d')).join('|'));
  const marked = await page.locator('.sq-h-ar-at-k circle').evaluateAll((cs) => cs.map((c) => `${c.getAttribute('cx')},${c.getAttribute('cy')}`).join('|'));
  return `${rolled}#${marked}`;
}

for (const [width, height] of [
  [1280, 720],
  [1024, 768],
] as const) {
  test(`ar-forecast reads its state from the URL and fills a ${width}×${height} slide`, async ({ page }) => {
    const problems = watchForProblems(page);
    await page.setViewportSize({ width, height });
    await page.goto(`${EMBED}?tau=7&k=21&day=320&theme=light`);
    await drawn(page, { tau: 7, k: 21, day: 320 });
    await expect(slider(page, 'Window τ')).toHaveValue('7');
    await expect(slider(page, 'Horizon k')).toHaveValue('21');
    await expect(slider(page, 'Start')).toHaveValue('320');
    // Day 320 of the test period is Sunday 17 November 2013; the k-step forecast has 21 points.
    await expect(page.locator('.sq-figure figcaption').first()).toHaveText(/Sun 17 Nov 2013/);
    await expect(page.locator('.sq-rolled-dots circle')).toHaveCount(21);
    await expect(page.locator('.sq-summary')).toHaveText(/21 days ahead: AR\(7\) fed its own guesses [\d,]+ births\/day, seasonal naive [\d,]+/);
    await expect(page.locator('header, nav, site-search, .sidebar-pane, starlight-toc')).toHaveCount(0);
    const doc = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
    expect(doc.w).toBeLessThanOrEqual(width);
    expect(doc.h).toBeLessThanOrEqual(height);
    for (const svg of await page.locator('.sq-plot > svg').all()) {
      const box = (await svg.boundingBox())!;
      expect(box.width).toBeGreaterThan(width * 0.35);
      expect(box.y + box.height).toBeGreaterThan(height * 0.75);
    }
    const tickPx = await page.locator('.sq-plot svg').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(tickPx).toBeGreaterThanOrEqual(18);
    await page.screenshot({ path: `${screens}/ar-forecast-${width}x${height}.png` });
    expect(problems).toEqual([]);
  });
}

test('ar-forecast reacts to the keyboard and keeps the URL in step', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${EMBED}?tau=14&k=7&day=140&theme=dark`);
  await drawn(page, { tau: 14, k: 7, day: 140 });
  const before = await pictures(page);

  // Horizon: two steps right → k = 9, the forecast grows and the marked horizon moves.
  await slider(page, 'Horizon k').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await drawn(page, { tau: 14, k: 9, day: 140 });
  await expect(page.locator('.sq-rolled-dots circle')).toHaveCount(9);
  await expect(slider(page, 'Horizon k')).toHaveAttribute('aria-valuetext', 'k = 9 days');
  expect(await pictures(page)).not.toBe(before);
  await expect.poll(() => new URL(page.url()).searchParams.get('k')).toBe('9');

  // Window: Home → τ = 1, the model is retrained; a one-day window cannot see the weekly cycle,
  // so its error 9 days ahead is far above the seasonal naive forecast's.
  await page.keyboard.press('Tab');
  await expect(slider(page, 'Start')).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await expect(slider(page, 'Window τ')).toBeFocused();
  await page.keyboard.press('Home');
  await drawn(page, { tau: 1, k: 9, day: 140 });
  await expect.poll(() => new URL(page.url()).searchParams.get('tau')).toBe('1');
  const summary = (await page.locator('.sq-summary').textContent()) ?? '';
  const [, ar, seasonal] = summary.match(/AR\(1\) fed its own guesses ([\d,]+) births\/day, seasonal naive ([\d,]+)/)!;
  expect(Number(ar!.replace(/,/g, ''))).toBeGreaterThan(1.5 * Number(seasonal!.replace(/,/g, '')));

  // Reloading the URL restores the same state.
  await page.reload();
  await drawn(page, { tau: 1, k: 9, day: 140 });
  expect(problems).toEqual([]);
});
