// The masking explorer alone at /embed/bert-masking/: its state comes from the URL, it fills a
// slide without scrolling, and a reader can redraw the masks, switch to GPT's causal mask and pick
// a word from the keyboard, with the URL following.
import { expect, test, type Page } from '@playwright/test';
import { watchForProblems } from './site';

const EMBED = '/embed/bert-masking/';
const widget = (page: Page) => page.locator('.bm-widget');

for (const [width, height] of [
  [1280, 720],
  [1024, 768],
] as const) {
  test(`reads its state from the URL and fills a ${width}×${height} slide`, async ({ page }) => {
    const problems = watchForProblems(page);
    await page.setViewportSize({ width, height });
    await page.goto(`${EMBED}?text=The+curious+kitten+deftly+climbed+the+bookshelf&seed=8&rate=15&mask=full&focus=2&theme=light`);
    await expect(widget(page)).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
    await expect(page.getByRole('textbox', { name: 'Sentence' })).toHaveValue('The curious kitten deftly climbed the bookshelf');
    await expect(page.getByRole('radio', { name: 'BERT: both sides' })).toBeChecked();
    // Seed 8: "kitten" and "climbed" become [MASK], one more chosen word is left as it is.
    await expect(widget(page)).toHaveAttribute('data-shown', '[CLS]|The|curious|[MASK]|deftly|[MASK]|the|bookshelf|[SEP]');
    await expect(widget(page)).toHaveAttribute('data-chosen', '3');
    await expect(page.locator('.bm-summary')).toContainText('3 of 7 words chosen: 2 → [MASK], 0 → a random word, 1 left unchanged');
    // BERT: no cell of the 9 × 9 grid is masked, and "kitten" reads all nine positions.
    await expect(page.locator('.bm-grid td.is-blocked')).toHaveCount(0);
    await expect(widget(page)).toHaveAttribute('data-seen', '9');
    const doc = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
    expect(doc.w).toBeLessThanOrEqual(width);
    expect(doc.h).toBeLessThanOrEqual(height);
    const grid = (await page.locator('.bm-grid table').boundingBox())!;
    expect(grid.y + grid.height).toBeLessThanOrEqual(height);
    expect(problems).toEqual([]);
  });
}

test('redraws, switches to the causal mask and picks a word from the keyboard; the URL follows', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(EMBED);
  await expect(widget(page)).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  const before = await widget(page).getAttribute('data-shown');

  // New draw: the seed moves on by one and the corruption changes.
  await page.getByRole('button', { name: 'New draw' }).focus();
  await page.keyboard.press('Enter');
  await expect(widget(page)).toHaveAttribute('data-seed', '9');
  await expect.poll(() => widget(page).getAttribute('data-shown')).not.toBe(before);
  await expect.poll(() => new URL(page.url()).searchParams.get('seed')).toBe('9');

  // GPT's causal mask: no [CLS]/[SEP], the words as they are, 7 × 6 / 2 = 21 cells masked.
  await page.getByRole('radio', { name: 'BERT: both sides' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(widget(page)).toHaveAttribute('data-mask', 'causal');
  await expect(widget(page)).toHaveAttribute('data-shown', 'The|curious|kitten|deftly|climbed|the|bookshelf');
  await expect(page.locator('.bm-grid td.is-blocked')).toHaveCount(21);
  // "kitten" is predicted from the output at "curious", which reads two words.
  await expect(widget(page)).toHaveAttribute('data-seen', '2');
  await expect(page.locator('.bm-context')).toContainText('GPT predicts “kitten” from the output at “curious”');

  // Choose "bookshelf" with the keyboard: its predictor reads the six words before it.
  await page.getByRole('button', { name: 'bookshelf' }).focus();
  await page.keyboard.press('Enter');
  await expect(widget(page)).toHaveAttribute('data-seen', '6');
  await expect.poll(() => new URL(page.url()).searchParams.get('focus')).toBe('6');
  expect(new URL(page.url()).searchParams.get('mask')).toBe('causal');
  expect(problems).toEqual([]);
});
