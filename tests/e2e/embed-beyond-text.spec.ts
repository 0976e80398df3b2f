// The draw-a-digit widget alone at /embed/draw-digit/: state from the URL, fills a slide without
// scrolling, loads the shipped ViT and reads the example digits, reacts to examples, the head
// choice and a stroke drawn with the mouse, and keeps the URL in step (the pattern of embed.spec.ts).
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { watchForProblems } from './site';

const EMBED = '/embed/draw-digit/';
const screens = 'test-results/embed-screens';
mkdirSync(screens, { recursive: true });
const FOUR = '001c7000008e100000f7035005g04f4005gggf2000bcg8000005g300000da000';
const SEVEN = '00039gg2004gdbg1003506d000027e90004ggf300098bc000000c4000002f100';

const widget = (page: Page) => page.locator('.dd-widget');

for (const [width, height] of [
  [1280, 720],
  [1024, 768],
] as const) {
  test(`draw-digit reads its state from the URL and fills a ${width}×${height} slide`, async ({ page }) => {
    const problems = watchForProblems(page);
    await page.setViewportSize({ width, height });
    await page.goto(`${EMBED}?img=${FOUR}&head=0&theme=light`);
    await expect(widget(page)).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
    await expect(widget(page)).toHaveAttribute('data-prediction', '4');
    await expect(page.getByRole('heading', { level: 1, name: 'Draw a digit: a Vision Transformer and its patch attention', exact: true })).toBeAttached();
    await expect(page.getByRole('button', { name: 'Example 4' })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('.dd-att')).toHaveCount(16);
    await expect(page.locator('header, nav, site-search, .sidebar-pane, starlight-toc')).toHaveCount(0);
    const doc = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
    expect(doc.w).toBeLessThanOrEqual(width);
    expect(doc.h).toBeLessThanOrEqual(height);
    const pad = (await page.locator('.dd-pad').boundingBox())!;
    expect(pad.width).toBeGreaterThan(200);
    const px = await widget(page).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(px).toBeGreaterThanOrEqual(14);
    await page.screenshot({ path: `${screens}/draw-digit-${width}x${height}.png` });
    expect(problems).toEqual([]);
  });
}

test('draw-digit reacts to examples, the head choice and a drawn stroke, and keeps the URL in step', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${EMBED}?img=${FOUR}&head=0&theme=dark`);
  await expect(widget(page)).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });

  // An example by keyboard.
  await page.getByRole('button', { name: 'Example 7' }).focus();
  await page.keyboard.press('Enter');
  await expect(widget(page)).toHaveAttribute('data-prediction', '7');
  await expect.poll(() => new URL(page.url()).searchParams.get('img')).toBe(SEVEN);

  // One head instead of the mean: the attention shading changes, the answer does not.
  const shading = () => page.locator('.dd-att').evaluateAll((els) => els.map((e) => e.getAttribute('style')).join('|'));
  const before = await shading();
  await page.getByRole('radio', { name: 'head 2' }).check();
  await expect.poll(() => new URL(page.url()).searchParams.get('head')).toBe('2');
  await expect.poll(shading).not.toBe(before);
  await expect(widget(page)).toHaveAttribute('data-prediction', '7');

  // Draw a vertical stroke down the middle of the pad: the image becomes a bar, read as a 1.
  await page.getByRole('button', { name: 'Clear' }).click();
  const box = (await page.locator('.dd-pad').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.12);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.12 + 0.076 * i));
  await page.mouse.up();
  await expect.poll(() => new URL(page.url()).searchParams.get('img')).not.toBe(SEVEN);
  await expect(widget(page)).toHaveAttribute('data-ready', 'true');
  await expect(widget(page)).toHaveAttribute('data-prediction', '1');
  const drawn = new URL(page.url()).searchParams.get('img');

  // Reloading the URL restores the image and the head.
  await page.reload();
  await expect(widget(page)).toHaveAttribute('data-img', drawn!, { timeout: 30_000 });
  await expect(page.getByRole('radio', { name: 'head 2' })).toBeChecked();
  expect(problems).toEqual([]);
});
