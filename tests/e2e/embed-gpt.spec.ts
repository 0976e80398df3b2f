// The few-shot explorer alone at /embed/few-shot/: it loads the in-context-learning GPT, reads its
// state from the URL, fits a slide at 16:9 and 4:3, and answers the controls (more examples → the
// right digit's probability changes; the URL keeps up).
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { watchForProblems } from './site';

const EMBED = '/embed/few-shot/';
const screens = 'test-results/embed-screens';
mkdirSync(screens, { recursive: true });

const widget = (page: Page) => page.locator('.fs-widget');

for (const [width, height] of [
  [1280, 720],
  [1024, 768],
] as const) {
  test(`few-shot reads its state from the URL and fills a ${width}×${height} slide`, async ({ page }) => {
    const problems = watchForProblems(page);
    await page.setViewportSize({ width, height });
    await page.goto(`${EMBED}?code=5&k=3&q=b&layer=2&head=1&theme=light`);
    await expect(widget(page)).toHaveAttribute('data-widget-ready', 'true', { timeout: 45_000 });
    await expect(page.getByLabel('Query letter')).toHaveValue('b');
    await expect(page.locator('.fs-token')).toHaveCount(3 * 3 + 1);
    await expect(page.locator('header, nav, site-search, .sidebar-pane, starlight-toc')).toHaveCount(0);
    const doc = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
    expect(doc.w).toBeLessThanOrEqual(width);
    expect(doc.h).toBeLessThanOrEqual(height);
    const px = await widget(page).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(px).toBeGreaterThanOrEqual(14);
    await page.screenshot({ path: `${screens}/few-shot-${width}x${height}.png` });
    expect(problems).toEqual([]);
  });
}

test('few-shot: showing the asked letter as an example makes the model copy its digit', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  // No examples: the model can only guess (about 1 in 8).
  await page.goto(`${EMBED}?code=0&k=0&q=c&layer=2&head=1&theme=dark`);
  await expect(widget(page)).toHaveAttribute('data-widget-ready', 'true', { timeout: 45_000 });
  const guess = Number(await widget(page).getAttribute('data-p-right'));
  expect(guess).toBeLessThan(0.5);
  // All eight examples: the asked letter is among them, and the model copies its digit.
  const slider = page.getByLabel(/Examples k/);
  await slider.focus();
  await slider.press('End');
  await expect.poll(() => new URL(page.url()).searchParams.get('k')).toBe('8');
  await expect(page.locator('.fs-token')).toHaveCount(8 * 3 + 1);
  await expect.poll(async () => Number(await widget(page).getAttribute('data-p-right'))).toBeGreaterThan(0.8);
  await expect(page.getByTestId('verdict')).toContainText('copy the example');
  // Another letter by keyboard; the URL keeps it, and a reload restores it.
  await page.getByLabel('Query letter').selectOption('f');
  await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('f');
  await page.reload();
  await expect(page.getByLabel('Query letter')).toHaveValue('f');
  expect(problems).toEqual([]);
});

test('gpt2-tokens loads no vocabulary until asked, then cuts the text both ways', async ({ page }) => {
  const problems = watchForProblems(page);
  const vocab: string[] = [];
  page.on('request', (r) => {
    if (/encoder|vocab/.test(r.url())) vocab.push(r.url());
  });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/embed/gpt2-tokens/?text=The%20Congress%20shall%20make%20no%20law&theme=light');
  await expect(page.getByRole('button', { name: /Cut into tokens/ })).toBeVisible({ timeout: 30_000 });
  expect(vocab).toEqual([]);
  await page.getByRole('button', { name: /Cut into tokens/ }).click();
  await expect(page.locator('.tk-widget')).toHaveAttribute('data-widget-ready', 'true', { timeout: 30_000 });
  // GPT-2: "The", " Congress", " shall", " make", " no", " law" — one token a word.
  await expect(page.getByTestId('count-50257')).toHaveText('6');
  await page.getByLabel(/Your text/).fill('The cleverest thinker');
  await expect(page.getByTestId('count-2048')).not.toHaveText('6');
  await expect.poll(() => new URL(page.url()).searchParams.get('text')).toBe('The cleverest thinker');
  expect(problems).toEqual([]);
});
