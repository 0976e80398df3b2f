// The attention-scoring widget alone at /embed/attention-scoring/: state from the URL, fills a
// slide, reacts to the keyboard (the pattern of embed.spec.ts).
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { watchForProblems } from './site';

const EMBED = '/embed/attention-scoring/';
const screens = 'test-results/embed-screens';
mkdirSync(screens, { recursive: true });

const widget = (page: Page) => page.locator('.as-widget');
const slider = (page: Page, name: string) => page.getByRole('slider', { name });
const largest = (page: Page, scoring: 'dot' | 'scaled' | 'additive') => page.locator(`.as-stats tr[data-scoring="${scoring}"] .as-max`);

/** Waits until the widget has computed and drawn the given state. */
async function drawn(page: Page, state: { d: number; t: number; seed: number }): Promise<void> {
  await expect(widget(page)).toHaveAttribute('data-d', String(state.d));
  await expect(widget(page)).toHaveAttribute('data-temperature', String(state.t));
  await expect(widget(page)).toHaveAttribute('data-seed', String(state.seed));
  await expect(widget(page)).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await expect(page.locator('.as-bars-dot rect').first()).toBeAttached();
  await expect(page.locator('.as-current-d line, .as-current-d path').first()).toBeAttached();
}

/** What a reader sees change: the bars of every scoring function and the marker of d. */
async function pictures(page: Page): Promise<string> {
  const bars = await page.locator('.as-bars rect').evaluateAll((rs) => rs.map((r) => `${r.getAttribute('y')},${r.getAttribute('height')}`).join('|'));
  const marker = await page.locator('.as-current-d').innerHTML();
  return `${bars}#${marker}`;
}

for (const [width, height] of [
  [1280, 720],
  [1024, 768],
] as const) {
  test(`attention-scoring reads its state from the URL and fills a ${width}×${height} slide`, async ({ page }) => {
    const problems = watchForProblems(page);
    await page.setViewportSize({ width, height });
    await page.goto(`${EMBED}?d=1024&t=1&seed=3&theme=light`);
    await drawn(page, { d: 1024, t: 1, seed: 3 });
    await expect(page.locator('h1')).toHaveText('Attention scores to weights: dot product, scaled, additive');
    await expect(slider(page, 'Width d')).toHaveAttribute('aria-valuetext', 'd = 1024');
    await expect(page.locator('.as-readout-d')).toHaveText('d = 1024');
    await expect(page.locator('.as-readout-t')).toHaveText('τ = 1');
    await expect(page.locator('.as-bars rect')).toHaveCount(30); // 3 scoring functions × 10 keys
    // At d = 1024 the unscaled dot product is (nearly) one-hot; the scaled one is not.
    expect(Number(await largest(page, 'dot').textContent())).toBeGreaterThan(0.8);
    expect(Number(await largest(page, 'scaled').textContent())).toBeLessThan(0.8);
    await expect(page.locator('header, nav, site-search, .sidebar-pane, starlight-toc')).toHaveCount(0);
    const doc = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
    expect(doc.w).toBeLessThanOrEqual(width);
    expect(doc.h).toBeLessThanOrEqual(height);
    for (const svg of await page.locator('.as-plot > svg').all()) {
      const box = (await svg.boundingBox())!;
      expect(box.width).toBeGreaterThan(width * 0.35);
      expect(box.y + box.height).toBeGreaterThan(height * 0.75);
    }
    const tickPx = await page.locator('.as-plot svg').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(tickPx).toBeGreaterThanOrEqual(18);
    await page.screenshot({ path: `${screens}/attention-scoring-${width}x${height}.png` });
    expect(problems).toEqual([]);
  });
}

test('attention-scoring reacts to the keyboard and keeps the URL in step', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${EMBED}?d=64&t=1&seed=1&theme=dark`);
  await drawn(page, { d: 64, t: 1, seed: 1 });
  const before = await pictures(page);

  // d: End → 1024; the bars and the marker on the curve move, and the URL follows.
  await slider(page, 'Width d').focus();
  await page.keyboard.press('End');
  await drawn(page, { d: 1024, t: 1, seed: 1 });
  await expect(slider(page, 'Width d')).toHaveAttribute('aria-valuetext', 'd = 1024');
  expect(await pictures(page)).not.toBe(before);
  await expect.poll(() => new URL(page.url()).searchParams.get('d')).toBe('1024');

  // Temperature: Tab to it, End → τ = 10: every scoring softens, even the saturated dot product.
  const saturated = Number(await largest(page, 'dot').textContent());
  await page.keyboard.press('Tab');
  await expect(slider(page, 'Temperature τ')).toBeFocused();
  await page.keyboard.press('End');
  await drawn(page, { d: 1024, t: 10, seed: 1 });
  await expect(page.locator('.as-readout-t')).toHaveText('τ = 10');
  expect(Number(await largest(page, 'scaled').textContent())).toBeLessThan(0.2);
  expect(Number(await largest(page, 'dot').textContent())).toBeLessThanOrEqual(saturated);

  // "New vectors" from the keyboard draws another query and keys.
  const vectors = await pictures(page);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'New vectors' })).toBeFocused();
  await page.keyboard.press('Enter');
  await drawn(page, { d: 1024, t: 10, seed: 2 });
  expect(await pictures(page)).not.toBe(vectors);
  await expect.poll(() => new URL(page.url()).search).toBe('?d=1024&t=10&seed=2&theme=dark');

  // Reloading the URL restores the same state.
  await page.reload();
  await drawn(page, { d: 1024, t: 10, seed: 2 });
  expect(problems).toEqual([]);
});
