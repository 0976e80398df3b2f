// viewers.attention / viewers.nextToken in a real page: a cell loads a shipped model into the
// engine (models.load, the worker fetching model.onnx), opens the book's attention viewer and
// next-token view on it in its output, and the reader can pick heads and move the sliders.
import { expect, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { cell, replaceCode, runCell } from './cells';
import { watchForProblems } from './site';

const CODE = `import { models, viewers } from 'attention-lab';
const { model, tokenizer } = await models.load('gpt-sotu-student');
const prompt = ' The Congress of the United';
await viewers.attention(model, prompt, { tokenizer, title: 'Student GPT: attention' });
await viewers.nextToken(model, prompt, { tokenizer, title: 'Student GPT: next token' });
`;

test('a cell opens the attention viewer and the next-token view on an engine model', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.goto('/transformer/');
  await replaceCode(page, 'reverse-viewers', CODE);
  expect(await runCell(page, 'reverse-viewers')).toBe('ok');
  const c = cell(page, 'reverse-viewers');

  const attention = c.locator('.cell-model-view[data-view="attention"]');
  await expect(attention).toBeVisible();
  await expect(attention.getByRole('button', { name: /^layer \d, head \d$/ })).toHaveCount(4); // 2 layers × 2 heads
  const head = attention.getByRole('button', { name: 'layer 2, head 2' });
  await head.click();
  await expect(head).toHaveAttribute('aria-pressed', 'true');
  await expect(attention.getByRole('img', { name: 'Attention, layer 2, head 2' })).toBeVisible();
  await expect(attention.getByText('blocks.*.self_attn: self-attention')).toBeVisible();

  const next = c.locator('.cell-model-view[data-view="next-token"]');
  const bars = next.getByRole('img', { name: 'Next-token probabilities' });
  await expect(bars).toBeVisible();
  await expect(bars).toContainText('“ States”');
  const before = await bars.innerHTML();
  await next.getByRole('slider').first().fill('2'); // temperature 2: flatter
  await expect.poll(() => bars.innerHTML()).not.toBe(before);

  const axe = await new AxeBuilder({ page }).include('#cell-reverse-viewers').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  expect(problems).toEqual([]);
});
