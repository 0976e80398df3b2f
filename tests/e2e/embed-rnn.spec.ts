// The RNN chapter's gradient widget alone at /embed/rnn-gradients/: state from the URL, fills a
// slide without scrolling, and redraws (and rewrites the URL) when the keyboard moves a control.
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { watchForProblems } from './site';

const EMBED = '/embed/rnn-gradients/';
const screens = 'test-results/embed-screens';
mkdirSync(screens, { recursive: true });

const widget = (page: Page) => page.locator('.rg-widget');
const rhoSlider = (page: Page) => page.getByRole('slider', { name: 'Spectral radius ρ of W_hh' });
const curve = (page: Page) => page.locator('.rg-norms path');

async function drawn(page: Page, rho: string): Promise<void> {
  await expect(widget(page)).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  await expect(widget(page)).toHaveAttribute('data-rho', rho);
  await expect(curve(page).first()).toBeAttached();
}

for (const [width, height] of [
  [1280, 720],
  [1024, 768],
] as const) {
  test(`reads its state from the URL and fills a ${width}×${height} slide`, async ({ page }) => {
    const problems = watchForProblems(page);
    await page.setViewportSize({ width, height });
    await page.goto(`${EMBED}?act=linear&rho=0.80&T=21&theme=light`);
    await drawn(page, '0.80');
    await expect(page.getByRole('radio', { name: 'linear' })).toBeChecked();
    await expect(rhoSlider(page)).toHaveValue('0.8');
    await expect(page.locator('.rg-steps')).toHaveText('T = 21');
    // A linear RNN with W_hh = 0.8·rotation: the gradient shrinks by 0.8^20 ≈ 10^−1.9 from h₂₁ to h₁.
    await expect(page.locator('.rg-verdict')).toHaveText('From h₂₁ back to h₁ the gradient shrinks by a factor of 10^1.9: it vanishes.');
    await expect(page.locator('.unrolled-rnn .ur-step')).toHaveCount(21);
    await expect(page.locator('h1')).toHaveText('Vanishing and exploding gradients in an RNN');
    const doc = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
    expect(doc.w).toBeLessThanOrEqual(width);
    expect(doc.h).toBeLessThanOrEqual(height);
    const plot = (await page.locator('.rg-plot > svg').boundingBox())!;
    expect(plot.width).toBeGreaterThan(width * 0.7);
    expect(plot.y + plot.height).toBeGreaterThan(height * 0.8);
    const tickPx = await page.locator('.rg-plot svg').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(tickPx).toBeGreaterThanOrEqual(18);
    await page.screenshot({ path: `${screens}/embed-rnn-${width}x${height}.png` });
    expect(problems).toEqual([]);
  });
}

test('the keyboard moves ρ and the activation; the curve, the verdict and the URL follow', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${EMBED}?act=linear&rho=1.00&T=30`);
  await drawn(page, '1.00');
  await expect(page.locator('.rg-verdict')).toContainText('keeps its size');
  const before = await curve(page).first().getAttribute('d');

  await rhoSlider(page).focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await drawn(page, '1.20');
  await expect(page.locator('.rg-rho')).toHaveText('ρ = 1.20');
  await expect(page.locator('.rg-verdict')).toContainText('it explodes');
  expect(await curve(page).first().getAttribute('d')).not.toBe(before);
  await expect.poll(() => new URL(page.url()).searchParams.get('rho')).toBe('1.20');

  // Switch to tanh with the arrow keys on the radio group: at ρ = 1.2 the gradient now vanishes.
  await page.getByRole('radio', { name: 'linear' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('radio', { name: 'tanh' })).toBeChecked();
  await expect(widget(page)).toHaveAttribute('data-activation', 'tanh');
  await expect(page.locator('.rg-verdict')).toContainText('it vanishes');
  await expect.poll(() => new URL(page.url()).searchParams.get('act')).toBe('tanh');
  expect(problems).toEqual([]);
});
