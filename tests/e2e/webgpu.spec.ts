// Readers' code on the WebGPU backend in a real browser: Chromium's SwiftShader adapter
// (--enable-unsafe-webgpu) inside the cell worker, chosen with ?backend=webgpu, gives the same
// printed results as the CPU backend.
import { expect, test } from '@playwright/test';
import { cell, replaceCode, runCell } from './cells';
import { watchForProblems } from './site';

test.use({
  launchOptions: {
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-quic', '--enable-unsafe-webgpu',
    ],
  },
});

const probe = [
  "import { getBackend, tensor, layerNorm } from 'attention-lab';",
  'console.log(getBackend().name);',
  'const x = tensor([[1, 2, 3], [4, 5, 9]]);',
  'console.log(x.softmax(-1));',
  'console.log(layerNorm(x, [3]));',
  'console.log(x.matmul(x.T));',
].join('\n');

async function output(page: import('@playwright/test').Page, backend: string): Promise<string[]> {
  await page.goto(`/engine/?backend=${backend}`);
  await replaceCode(page, 'read', probe);
  expect(await runCell(page, 'read', 60_000)).toBe('ok');
  return (await cell(page, 'read').locator('.cell-line').allInnerTexts()).map((l) => l.trim());
}

test('?backend=webgpu runs cells on WebGPU with the same results as the CPU', async ({ page }) => {
  const gpu = await output(page, 'webgpu');
  const cpu = await output(page, 'cpu');
  expect(gpu[0]).toBe('webgpu');
  expect(cpu[0]).toBe('cpu');
  expect(gpu.slice(1)).toEqual(cpu.slice(1));
});

test.describe("models on onnxruntime's WebGPU provider", () => {
  /** The widget's answer once its model has loaded on `provider`. */
  async function answer(page: import('@playwright/test').Page, slug: string, provider: 'wasm' | 'webgpu', testId: string): Promise<string> {
    await page.goto(`/embed/${slug}/?models=${provider}`);
    await expect(page.locator('[data-widget-ready="true"]')).toBeVisible({ timeout: 60_000 });
    await expect(page.locator('.model-facts')).toHaveAttribute('data-provider', provider);
    await expect(page.locator('.model-facts')).toContainText(provider === 'webgpu' ? 'on WebGPU' : 'on the CPU (wasm)');
    await expect(page.getByTestId(testId)).not.toHaveText('');
    return (await page.getByTestId(testId).textContent())!;
  }

  for (const [slug, testId] of [['date-seq2seq', 'iso-date'], ['fill-blank', 'best-fill']] as const) {
    test(`${slug} gives the wasm provider's answer on WebGPU`, async ({ page }) => {
      const problems = watchForProblems(page);
      const gpu = await answer(page, slug, 'webgpu', testId);
      const cpu = await answer(page, slug, 'wasm', testId);
      expect(gpu).toBe(cpu);
      expect(problems).toEqual([]);
    });
  }

  test('"Run on WebGPU" moves every model widget of the page, and the choice is remembered', async ({ page }) => {
    await page.goto('/embed/date-seq2seq/');
    await expect(page.locator('.model-facts')).toHaveAttribute('data-provider', 'wasm', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Run on WebGPU' }).click();
    await expect(page.locator('.model-facts')).toHaveAttribute('data-provider', 'webgpu', { timeout: 60_000 });
    await expect(page.getByTestId('iso-date')).toHaveText('2021-03-03', { timeout: 60_000 }); // computed anew on WebGPU (first run compiles its shaders)
    await page.goto('/embed/next-token/');
    await expect(page.locator('.model-facts')).toHaveAttribute('data-provider', 'webgpu', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Run on the CPU (wasm)' }).click();
    await expect(page.locator('.model-facts')).toHaveAttribute('data-provider', 'wasm', { timeout: 60_000 });
  });
});
