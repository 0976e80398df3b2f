// The positional-encoding explorer alone at /embed/positional-encoding/: state from the URL, fills a
// slide without scrolling, reacts to the keyboard and keeps the URL in step (the pattern of embed.spec.ts).
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { watchForProblems } from './site';

const EMBED = '/embed/positional-encoding/';
const screens = 'test-results/embed-screens';
mkdirSync(screens, { recursive: true });

const widget = (page: Page) => page.locator('.pe-widget');
const slider = (page: Page, name: string) => page.getByRole('slider', { name, exact: true });

/** Waits until the widget has computed and drawn the given state. */
async function drawn(page: Page, state: { d: number; T: number; pos: number }): Promise<void> {
  await expect(widget(page)).toHaveAttribute('data-d', String(state.d));
  await expect(widget(page)).toHaveAttribute('data-t', String(state.T));
  await expect(widget(page)).toHaveAttribute('data-pos', String(state.pos));
  await expect(widget(page)).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await expect(page.locator('.pe-vector rect')).toHaveCount(state.d);
  await expect(page.locator('.pe-dots path').first()).toBeAttached();
}

/** What a reader sees change: the outlined row, the bars and the curve. */
async function pictures(page: Page): Promise<string> {
  const parts = await Promise.all(['.pe-row-marker', '.pe-vector', '.pe-dots'].map((s) => page.locator(s).innerHTML()));
  return parts.join('#');
}

for (const [width, height] of [
  [1280, 720],
  [1024, 768],
] as const) {
  test(`positional-encoding reads its state from the URL and fills a ${width}×${height} slide`, async ({ page }) => {
    const problems = watchForProblems(page);
    await page.setViewportSize({ width, height });
    await page.goto(`${EMBED}?d=32&T=128&pos=40&theme=light`);
    await drawn(page, { d: 32, T: 128, pos: 40 });
    await expect(page.locator('h1')).toHaveText('Sinusoidal positional encoding explorer');
    await expect(slider(page, 'Width d')).toHaveAttribute('aria-valuetext', 'd = 32');
    await expect(page.locator('.pe-readout-t')).toHaveText('T = 128');
    await expect(page.locator('.pe-readout-pos')).toHaveText('pos = 40');
    await expect(page.locator('.pe-summary')).toContainText('length √(d/2) = 4.00');
    await expect(page.locator('header, nav, site-search, .sidebar-pane, starlight-toc')).toHaveCount(0);
    const doc = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
    expect(doc.w).toBeLessThanOrEqual(width);
    expect(doc.h).toBeLessThanOrEqual(height);
    const svgs = await page.locator('.pe-plot > svg').all();
    expect(svgs).toHaveLength(3);
    for (const svg of svgs) {
      const box = (await svg.boundingBox())!;
      expect(box.width).toBeGreaterThan(width * 0.2);
      expect(box.y + box.height).toBeGreaterThan(height * 0.75);
    }
    const tickPx = await page.locator('.pe-plot svg').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(tickPx).toBeGreaterThanOrEqual(16);
    await page.screenshot({ path: `${screens}/positional-encoding-${width}x${height}.png` });
    expect(problems).toEqual([]);
  });
}

test('positional-encoding reacts to the keyboard and keeps the URL in step', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${EMBED}?d=64&T=64&pos=10&theme=dark`);
  await drawn(page, { d: 64, T: 64, pos: 10 });
  const before = await pictures(page);

  // Width: Home → d = 4; the vector shrinks to 4 bars and the URL follows.
  await slider(page, 'Width d').focus();
  await page.keyboard.press('Home');
  await drawn(page, { d: 4, T: 64, pos: 10 });
  await expect.poll(() => pictures(page)).not.toBe(before);
  await expect.poll(() => new URL(page.url()).searchParams.get('d')).toBe('4');

  // Positions: Tab, Home → T = 16; the chosen position stays (10 < 16).
  await page.keyboard.press('Tab');
  await expect(slider(page, 'Positions T')).toBeFocused();
  await page.keyboard.press('Home');
  await drawn(page, { d: 4, T: 16, pos: 10 });

  // Position: Tab, End → 15 (the last one); the outlined row and the curve move.
  const at10 = await pictures(page);
  await page.keyboard.press('Tab');
  await expect(slider(page, 'Position')).toBeFocused();
  await page.keyboard.press('End');
  await drawn(page, { d: 4, T: 16, pos: 15 });
  await expect(slider(page, 'Position')).toHaveAttribute('aria-valuetext', 'pos = 15');
  await expect.poll(() => pictures(page)).not.toBe(at10);
  await expect.poll(() => new URL(page.url()).search).toBe('?d=4&T=16&pos=15&theme=dark');

  // Reloading the URL restores the same state.
  await page.reload();
  await drawn(page, { d: 4, T: 16, pos: 15 });
  expect(problems).toEqual([]);
});
