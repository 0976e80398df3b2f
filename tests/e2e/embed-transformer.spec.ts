// The parameter-count explorer alone at /embed/transformer-params/: state from the URL, fills a
// slide without scrolling, reacts to the keyboard and keeps the URL in step (the pattern of embed.spec.ts).
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { watchForProblems } from './site';

const EMBED = '/embed/transformer-params/';
const screens = 'test-results/embed-screens';
mkdirSync(screens, { recursive: true });

const widget = (page: Page) => page.locator('.tp-widget');
const field = (page: Page, name: string) => page.getByRole('spinbutton', { name, exact: true });

for (const [width, height] of [
  [1280, 720],
  [1024, 768],
] as const) {
  test(`transformer-params reads its state from the URL and fills a ${width}×${height} slide`, async ({ page }) => {
    const problems = watchForProblems(page);
    await page.setViewportSize({ width, height });
    await page.goto(`${EMBED}?V=3&T=11&d=48&N=3&h=3&ff=4&tied=1&theme=light`);
    await expect(widget(page)).toHaveAttribute('data-total', '85584', { timeout: 30_000 });
    await expect(page.getByRole('heading', { level: 1, name: 'Transformer parameter counter: where the parameters sit', exact: true })).toBeAttached();
    await expect(page.locator('.tp-total-n')).toHaveText('85,584');
    await expect(page.getByRole('button', { name: 'nano-gpt' })).toHaveAttribute('aria-pressed', 'true');
    await expect(field(page, 'Width d')).toHaveValue('48');
    await expect(page.locator('header, nav, site-search, .sidebar-pane, starlight-toc')).toHaveCount(0);
    const doc = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
    expect(doc.w).toBeLessThanOrEqual(width);
    expect(doc.h).toBeLessThanOrEqual(height);
    const box = (await page.locator('.tp-table').boundingBox())!;
    expect(box.width).toBeGreaterThan(width * 0.3);
    const px = await widget(page).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(px).toBeGreaterThanOrEqual(14);
    await page.screenshot({ path: `${screens}/transformer-params-${width}x${height}.png` });
    expect(problems).toEqual([]);
  });
}

test('transformer-params reacts to the keyboard and keeps the URL in step', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${EMBED}?V=50257&T=1024&d=768&N=12&h=12&ff=4&tied=1&theme=dark`);
  await expect(widget(page)).toHaveAttribute('data-total', '124439808', { timeout: 30_000 });
  await expect(page.locator('.tp-total-n')).toHaveText('124,439,808');

  // One more block: ArrowUp in "Blocks N" adds 12d² + 13d = 7,087,872.
  await field(page, 'Blocks N').focus();
  await page.keyboard.press('ArrowUp');
  await expect(widget(page)).toHaveAttribute('data-total', String(124439808 + 7087872));
  await expect.poll(() => new URL(page.url()).searchParams.get('N')).toBe('13');
  await expect(page.getByRole('button', { name: 'GPT-2 small' })).toHaveAttribute('aria-pressed', 'false');

  // A preset by keyboard: Tab back to the GPT-3 button and press Enter.
  await page.getByRole('button', { name: 'GPT-3' }).focus();
  await page.keyboard.press('Enter');
  await expect(field(page, 'Width d')).toHaveValue('12288');
  await expect.poll(() => new URL(page.url()).search).toBe('?V=50257&T=2048&d=12288&N=96&h=96&ff=4&tied=1&theme=dark');

  // Reloading the URL restores the same state.
  await page.reload();
  await expect(field(page, 'Width d')).toHaveValue('12288');
  expect(problems).toEqual([]);
});
