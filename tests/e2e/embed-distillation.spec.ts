// The soft-targets widget alone at /embed/soft-targets/: state from the URL, fills a 16:9 and a 4:3
// slide without scrolling, reacts to the keyboard (temperature slider, image buttons) and keeps the
// URL in step (the pattern of embed.spec.ts).
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { watchForProblems } from './site';

const EMBED = '/embed/soft-targets/';
const screens = 'test-results/embed-screens';
mkdirSync(screens, { recursive: true });

const widget = (page: Page) => page.locator('.st-widget');
const slider = (page: Page) => page.getByRole('slider', { name: 'Temperature T', exact: true });

for (const [width, height] of [
  [1280, 720],
  [1024, 768],
] as const) {
  test(`soft-targets reads its state from the URL and fills a ${width}×${height} slide`, async ({ page }) => {
    const problems = watchForProblems(page);
    await page.setViewportSize({ width, height });
    await page.goto(`${EMBED}?example=seven&T=2&theme=light`);
    await expect(widget(page)).toHaveAttribute('data-t', '2', { timeout: 30_000 });
    await expect(widget(page)).toHaveAttribute('data-example', 'seven');
    await expect(page.locator('h1')).toHaveText('Temperature and soft targets in knowledge distillation');
    await expect(slider(page)).toHaveAttribute('aria-valuetext', 'T = 2');
    await expect(page.getByRole('button', { name: 'a 7 like a 1' })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('.st-bars rect')).toHaveCount(20);
    await expect(page.locator('header, nav, site-search, .sidebar-pane, starlight-toc')).toHaveCount(0);
    const doc = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
    expect(doc.w).toBeLessThanOrEqual(width);
    expect(doc.h).toBeLessThanOrEqual(height);
    const box = (await page.locator('.st-plot > svg').boundingBox())!;
    expect(box.width).toBeGreaterThan(width * 0.4);
    expect(box.y + box.height).toBeGreaterThan(height * 0.7);
    const px = await widget(page).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(px).toBeGreaterThanOrEqual(16);
    await page.screenshot({ path: `${screens}/soft-targets-${width}x${height}.png` });
    expect(problems).toEqual([]);
  });
}

test('soft-targets reacts to the keyboard and keeps the URL in step', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${EMBED}?example=two&T=1&theme=dark`);
  await expect(widget(page)).toHaveAttribute('data-t', '1', { timeout: 30_000 });
  const wrongAt1 = await page.locator('.st-wrong').textContent();
  const barsAt1 = await page.locator('.st-bars').innerHTML();
  const klAt1 = Number(await widget(page).getAttribute('data-kl'));

  // Two steps right: T = 1 → 1.5 → 2; the wrong classes' share grows, the bars and the URL change.
  await slider(page).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(widget(page)).toHaveAttribute('data-t', '2');
  await expect(slider(page)).toHaveAttribute('aria-valuetext', 'T = 2');
  await expect.poll(() => new URL(page.url()).searchParams.get('T')).toBe('2');
  expect(await page.locator('.st-wrong').textContent()).not.toBe(wrongAt1);
  expect(await page.locator('.st-bars').innerHTML()).not.toBe(barsAt1);
  expect(Number(await widget(page).getAttribute('data-kl'))).not.toBe(klAt1);

  // The other image by keyboard.
  await page.getByRole('button', { name: 'a 7 like a 1' }).focus();
  await page.keyboard.press('Enter');
  await expect(widget(page)).toHaveAttribute('data-example', 'seven');
  await expect.poll(() => new URL(page.url()).searchParams.get('example')).toBe('seven');

  // Reloading the URL restores the same state.
  await page.reload();
  await expect(widget(page)).toHaveAttribute('data-example', 'seven', { timeout: 30_000 });
  await expect(widget(page)).toHaveAttribute('data-t', '2');
  expect(problems).toEqual([]);
});
