// The preference-pairs widget alone at /embed/rlhf-pairs/ (state from the URL, fills a slide, the
// keyboard and the URL in step), and in the chapter: what a reader clicks reaches the cells, which
// train on it (pair 1 is a tie for the built-in labeller, so the reader's pick adds a pair).
import { mkdirSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { extractCells } from '../../src/components/cell/code-cells-mdx.ts';
import { cell, replaceCode, runCell } from './cells';
import { watchForProblems } from './site';

const EMBED = '/embed/rlhf-pairs/';
const screens = 'test-results/embed-screens';
mkdirSync(screens, { recursive: true });

const widget = (page: Page) => page.locator('.rp-widget');

for (const [width, height] of [
  [1280, 720],
  [1024, 768],
] as const) {
  test(`rlhf-pairs reads its state from the URL and fills a ${width}×${height} slide`, async ({ page }) => {
    const problems = watchForProblems(page);
    await page.setViewportSize({ width, height });
    await page.goto(`${EMBED}?i=2&l=ab-&theme=light`);
    await expect(widget(page)).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
    await expect(widget(page)).toHaveAttribute('data-i', '2');
    await expect(widget(page)).toHaveAttribute('data-mine', '3');
    await expect(page.getByRole('heading', { level: 1, name: 'You are the labeller: pick the better of two GPT continuations', exact: true })).toBeAttached();
    await expect(page.locator('.rp-choice-b')).toHaveAttribute('aria-pressed', 'false');
    await expect(page.getByRole('button', { name: "Can't tell" })).toHaveAttribute('aria-pressed', 'true');
    const doc = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
    expect(doc.w).toBeLessThanOrEqual(width);
    expect(doc.h).toBeLessThanOrEqual(height);
    const px = await widget(page).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(px).toBeGreaterThanOrEqual(14);
    await page.screenshot({ path: `${screens}/rlhf-pairs-${width}x${height}.png` });
    expect(problems).toEqual([]);
  });
}

test('rlhf-pairs: picks by keyboard move on and keep the URL in step; the built-in labeller fills the rest', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${EMBED}?theme=dark`);
  await expect(widget(page)).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await expect(widget(page)).toHaveAttribute('data-mine', '0');

  await page.locator('.rp-choice-b').focus();
  await page.keyboard.press('Enter');
  await expect(widget(page)).toHaveAttribute('data-mine', '1');
  await expect(widget(page)).toHaveAttribute('data-i', '1');
  await expect.poll(() => new URL(page.url()).searchParams.get('l')).toBe('b');
  await expect(page.locator('.rp-verdict')).toContainText('Not labelled yet');

  await page.locator('.rp-choice-a').click();
  await expect.poll(() => new URL(page.url()).searchParams.get('l')).toBe('ba');
  await page.getByRole('button', { name: '← Previous' }).click();
  await expect(page.locator('.rp-verdict')).toContainText('Label: A.');

  await page.getByRole('button', { name: 'Label the rest with the built-in labeller' }).click();
  await expect(widget(page)).toHaveAttribute('data-builtin', '254');
  const labels = await page.locator('.rp-labels').inputValue();
  expect(labels).toHaveLength(256);
  expect(labels.slice(0, 2)).toBe('ba');
  expect(labels.slice(2)).toMatch(/^[AB=]+$/);
  await expect.poll(() => new URL(page.url()).searchParams.get('l')).toBe(labels);

  await page.reload();
  await expect(widget(page)).toHaveAttribute('data-builtin', '254', { timeout: 30_000 });
  expect(problems).toEqual([]);
});

test('in the chapter, the labels a reader clicks are what the reward model trains on', async ({ page }) => {
  test.setTimeout(240_000);
  const problems = watchForProblems(page);
  await page.goto('/rlhf/');
  const w = widget(page);
  // The widget loads when it scrolls into view.
  await page.locator('.widget-host-page').first().scrollIntoViewIfNeeded();
  await expect(w).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  // Pair 1: the built-in labeller has no preference; the reader prefers A.
  await expect(page.locator('.rp-verdict')).toContainText('Not labelled yet');
  await page.locator('.rp-choice-a').click();
  await expect(w).toHaveAttribute('data-mine', '1');
  await expect(w).toHaveAttribute('data-i', '1');
  await page.getByRole('button', { name: '← Previous' }).click();
  await expect(page.locator('.rp-verdict')).toContainText('Label: A. The built-in labeller has no preference here.');
  const labels = await page.locator('.rp-labels').inputValue();
  expect(labels.startsWith('a.')).toBe(true);

  // Kept in this browser: a reload shows the same label.
  await page.reload();
  await page.locator('.widget-host-page').first().scrollIntoViewIfNeeded();
  await expect(widget(page)).toHaveAttribute('data-mine', '1', { timeout: 60_000 });

  expect(await runCell(page, 'load', 120_000)).toBe('ok');
  const source = extractCells(readFileSync(new URL('../../src/content/docs/rlhf.mdx', import.meta.url), 'utf8'), 'rlhf.mdx').find((c) => c.id === 'labels')!.code;
  const code = source.replace("const MY_LABELS = '';", `const MY_LABELS = '${labels}';`);
  expect(code).toContain(`'${labels}'`);
  await replaceCode(page, 'labels', code);
  expect(await runCell(page, 'labels')).toBe('ok');
  await expect(cell(page, 'labels').locator('.cell-output')).toContainText('1 label is yours');
  await expect(cell(page, 'labels').locator('.cell-output')).toContainText('185 pairs have a preference');
  expect(await runCell(page, 'features', 120_000)).toBe('ok');
  await expect(cell(page, 'features').locator('.cell-output')).toContainText('185 labelled pairs');
  expect(await runCell(page, 'reward-model', 120_000)).toBe('ok');
  await expect(cell(page, 'reward-model').locator('.cell-output')).toContainText('held-out pairs ranked right');
  expect(problems).toEqual([]);
});
