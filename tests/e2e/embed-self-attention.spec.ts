// The self-attention explorer alone at /embed/self-attention/: its state comes from the URL, it
// fills a slide without scrolling, and it reacts to the keyboard (head, mask, moving a token).
import { expect, test, type Page } from '@playwright/test';
import { watchForProblems } from './site';

const EMBED = '/embed/self-attention/';
const widget = (page: Page) => page.locator('.sa-widget');

async function ready(page: Page): Promise<void> {
  await expect(widget(page)).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
}

for (const [width, height] of [
  [1280, 720],
  [1024, 768],
] as const) {
  test(`reads its state from the URL and fills a ${width}×${height} slide`, async ({ page }) => {
    const problems = watchForProblems(page);
    await page.setViewportSize({ width, height });
    await page.goto(`${EMBED}?text=Server%2C+can+I+have+the+check%3F&head=2&causal=1&query=6&theme=light`);
    await ready(page);
    await expect(page.getByRole('textbox', { name: 'Sentence' })).toHaveValue('Server, can I have the check?');
    await expect(page.getByRole('radio', { name: 'Head 2' })).toBeChecked();
    await expect(page.getByRole('checkbox', { name: 'Causal mask' })).toBeChecked();
    await expect(page.getByRole('button', { name: 'check', exact: true })).toHaveAttribute('aria-pressed', 'true');
    // The causal mask: the first row attends only to itself, and 8 × 7 / 2 = 28 cells are masked.
    await expect(page.locator('.sa-matrix tbody tr').first().locator('td').first()).toHaveText('1.00');
    await expect(page.locator('.sa-matrix td.is-masked')).toHaveCount(28);
    const doc = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
    expect(doc.w).toBeLessThanOrEqual(width);
    expect(doc.h).toBeLessThanOrEqual(height);
    // The plane and the weight matrix share the slide, side by side and both large.
    const plane = (await page.locator('.sa-plane').boundingBox())!;
    const matrix = (await page.locator('.sa-matrix').boundingBox())!;
    expect(plane.width).toBeGreaterThan(width * 0.3);
    expect(matrix.x).toBeGreaterThan(plane.x + plane.width - 1);
    expect(problems).toEqual([]);
  });
}

test('is operable from the keyboard, and the URL follows', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(EMBED);
  await ready(page);
  await expect(page.locator('.sa-summary')).toHaveText(/^“server” attends most to “crashed” \(0\.\d\d\)\.$/);

  // Head: focus the checked radio and move to head 2 with an arrow key.
  await page.getByRole('radio', { name: 'Head 1' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(widget(page)).toHaveAttribute('data-head', '2');

  // Causal mask with the space bar: the last token still sees everything, the first only itself.
  await page.getByRole('checkbox', { name: 'Causal mask' }).focus();
  await page.keyboard.press('Space');
  await expect(widget(page)).toHaveAttribute('data-causal', '1');
  await page.getByRole('button', { name: 'Looks', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(widget(page)).toHaveAttribute('data-query', '0');
  await expect(widget(page)).toHaveAttribute('data-row', '1.00 0.00 0.00 0.00 0.00 0.00 0.00');

  // Move the chosen token with the arrow keys on the plane: its x and the weights change.
  await page.getByRole('button', { name: 'server', exact: true }).click();
  const before = await widget(page).getAttribute('data-row');
  await page.locator('.sa-plane').focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowUp');
  await expect(page.locator('.sa-vectors tbody tr').nth(6).locator('td').first()).toHaveText('(0.70, 0.00)');
  await expect.poll(() => widget(page).getAttribute('data-row')).not.toBe(before);
  await expect.poll(() => new URL(page.url()).searchParams.get('emb')).toContain('0.7,0');
  expect(new URL(page.url()).searchParams.get('head')).toBe('2');
  expect(new URL(page.url()).searchParams.get('causal')).toBe('1');
  expect(problems).toEqual([]);
});
