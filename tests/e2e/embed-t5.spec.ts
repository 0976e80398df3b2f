// The t5-mini widget alone at /embed/t5/: the model loads (onnxruntime-web, wasm), the state comes
// from the URL, the decoder's output and the cross-attention heatmap appear, it fits 16:9 and 4:3
// slides, and the task buttons, the corruption button and the layer select keep the URL in step.
import { expect, test, type Page } from '@playwright/test';
import { watchForProblems } from './site';

const EMBED = '/embed/t5/';
const widget = (page: Page) => page.locator('.t5-widget');
const ready = (page: Page) => page.locator('.t5-widget[data-widget-ready="true"]');

for (const [width, height] of [
  [1280, 720],
  [1024, 768],
] as const) {
  test(`t5 reads its state from the URL, writes a date and fits a ${width}×${height} slide`, async ({ page }) => {
    const problems = watchForProblems(page);
    await page.setViewportSize({ width, height });
    await page.goto(`${EMBED}?task=date&text=${encodeURIComponent('July 4, 1976')}&seed=1&layer=1&head=-1&theme=light`);
    await expect(ready(page)).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('t5-source')).toHaveText('date: July 4, 1976');
    await expect(widget(page)).toHaveAttribute('data-output', '1976-07-04');
    await expect(page.getByRole('button', { name: 'date:' })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByRole('img', { name: /Cross-attention of decoder layer 2/ })).toBeVisible();
    await expect(page.locator('header, nav, site-search, .sidebar-pane, starlight-toc')).toHaveCount(0);
    const doc = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
    expect(doc.w).toBeLessThanOrEqual(width);
    expect(doc.h).toBeLessThanOrEqual(height);
    const px = await widget(page).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(px).toBeGreaterThanOrEqual(14);
    expect(problems).toEqual([]);
  });
}

test('t5 switches task by keyboard, corrupts a sentence again and keeps the URL in step', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${EMBED}?theme=dark`);
  await expect(ready(page)).toBeVisible({ timeout: 60_000 });
  // Span corruption by default: the encoder reads the sentence with a sentinel, the decoder starts with <X0>.
  await expect(page.getByTestId('t5-source')).toContainText('<X0>');
  await expect(widget(page)).toHaveAttribute('data-output', /^<X0>/);
  await expect(page.getByTestId('t5-filled')).toBeVisible();
  const before = await page.getByTestId('t5-source').textContent();
  await page.getByRole('button', { name: 'Drop other words' }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('seed')).toBe('2');
  await expect(page.getByTestId('t5-source')).not.toHaveText(before ?? '');
  await expect(ready(page)).toBeVisible({ timeout: 30_000 });

  // The reverse: prefix, chosen with the keyboard.
  await page.getByRole('button', { name: 'reverse:' }).focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => new URL(page.url()).searchParams.get('task')).toBe('reverse');
  await expect(page.getByTestId('t5-source')).toHaveText('reverse: the Union');
  await expect(ready(page)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('t5-output')).not.toHaveText('');

  // Another decoder layer for the heatmap.
  await page.getByRole('combobox', { name: 'Decoder layer' }).selectOption('0');
  await expect.poll(() => new URL(page.url()).searchParams.get('layer')).toBe('0');
  await expect(page.getByRole('img', { name: /Cross-attention of decoder layer 1/ })).toBeVisible();

  // The URL restores the same state.
  await page.reload();
  await expect(page.getByTestId('t5-source')).toHaveText('reverse: the Union');
  await expect(page.getByRole('combobox', { name: 'Decoder layer' })).toHaveValue('0', { timeout: 60_000 });
  expect(problems).toEqual([]);
});
