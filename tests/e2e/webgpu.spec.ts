// Readers' code on the WebGPU backend in a real browser: Chromium's SwiftShader adapter
// (--enable-unsafe-webgpu) inside the cell worker, chosen with ?backend=webgpu, gives the same
// printed results as the CPU backend.
import { expect, test } from '@playwright/test';
import { cell, replaceCode, runCell } from './cells';

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
