// The lstm-gates widget alone at /embed/lstm-gates/: state from the URL, fits a slide, keyboard.
import { expect, test, type Page } from '@playwright/test';
import { watchForProblems } from './site';

const EMBED = '/embed/lstm-gates/';
const widget = (page: Page) => page.locator('.lg-widget');
const forget = (page: Page) => page.getByRole('slider', { name: 'Forget bias b_f' });

for (const [width, height] of [
  [1280, 720],
  [1024, 768],
] as const) {
  test(`lstm-gates reads its state from the URL and fills a ${width}×${height} slide`, async ({ page }) => {
    const problems = watchForProblems(page);
    await page.setViewportSize({ width, height });
    await page.goto(`${EMBED}?input=two-pulses&forget=-1&in=-2&out=2&t=4&part=f&theme=light`);
    await expect(widget(page)).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
    await expect(page.getByRole('radio', { name: 'Two writes' })).toBeChecked();
    await expect(forget(page)).toHaveValue('-1');
    await expect(widget(page)).toHaveAttribute('data-step', '4');
    // The diagram shows the forget gate's equation, selected from the URL.
    await expect(page.locator('.cd-caption strong')).toHaveText('Forget gate');
    const doc = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
    expect(doc.w).toBeLessThanOrEqual(width);
    expect(doc.h).toBeLessThanOrEqual(height);
    const chart = (await page.locator('.lg-chart').boundingBox())!;
    expect(chart.width).toBeGreaterThan(width * 0.3);
    expect(chart.y + chart.height).toBeLessThanOrEqual(height);
    expect(problems).toEqual([]);
  });
}

test('lstm-gates reacts to the keyboard and keeps the URL in step', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${EMBED}?input=pulse&forget=3&in=-2&out=2&t=12&part=c`);
  await expect(widget(page)).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  const kept = Number(await widget(page).getAttribute('data-belt'));
  expect(kept).toBeGreaterThan(0.5);   // σ(3)^11 ≈ 0.59: the pulse is still on the belt
  await forget(page).focus();
  for (let k = 0; k < 8; k++) await page.keyboard.press('ArrowLeft');   // 3 → −1
  await expect(forget(page)).toHaveValue('-1');
  await expect.poll(async () => Number(await widget(page).getAttribute('data-belt'))).toBeLessThan(1e-4);
  await expect.poll(() => new URL(page.url()).searchParams.get('forget')).toBe('-1');
  // Focus a gate in the diagram: its equation appears.
  await page.locator('.cd-part[data-part="i"]').focus();
  await expect(page.locator('.cd-caption strong')).toHaveText('Input gate');
  await expect.poll(() => new URL(page.url()).searchParams.get('part')).toBe('i');
});
