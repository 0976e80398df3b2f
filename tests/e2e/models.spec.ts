// The shipped-model widgets in a real Chromium: each loads its ONNX model (onnxruntime-web, wasm
// EP) and shows a result with no console error and no failed request; a damaged or missing model
// file gives a clear message. Load and inference times are printed (never asserted).
import AxeBuilder from '@axe-core/playwright';
import { statSync } from 'node:fs';
import { expect, test, type Locator, type Page, type Route } from '@playwright/test';
import { watchForProblems } from './site.ts';

const WIDGETS = ['next-token', 'fill-blank', 'attention-viewer', 'date-seq2seq', 'lstm-forecast'] as const;

async function timings(page: Page, slug: string): Promise<string> {
  const facts = await page.locator('.model-facts').first().textContent();
  const infer = await page.locator('[data-infer-ms]').first().getAttribute('data-infer-ms');
  return `${slug}: ${facts?.trim()} | data-infer-ms ${Number(infer).toFixed(1)}`;
}

test.describe('model widgets on their embed pages', () => {
  for (const slug of WIDGETS) {
    test(`${slug} loads its model and shows a result`, async ({ page }) => {
      const problems = watchForProblems(page);
      await page.goto(`/embed/${slug}/`);
      await expect(page.locator('[data-widget-ready="true"]')).toBeVisible({ timeout: 45_000 });
      await expect(page.locator('.model-error')).toHaveCount(0);
      if (slug === 'next-token') await expect(page.locator('.model-plot svg')).toBeVisible();
      if (slug === 'fill-blank') await expect(page.getByTestId('best-fill')).not.toHaveText('');
      if (slug === 'attention-viewer') await expect(page.locator('.attention-thumb')).toHaveCount(16);
      if (slug === 'date-seq2seq') await expect(page.getByTestId('iso-date')).toHaveText('2021-03-03');
      if (slug === 'lstm-forecast') await expect(page.getByTestId('forecast-mae')).toBeVisible();
      console.log(`first run (includes warm-up): ${await timings(page, slug)}`);
      // A second input: the widget's own timing of a warm run.
      const infer = page.locator('[data-infer-ms]').first();
      const before = await infer.getAttribute('data-infer-ms');
      if (slug === 'next-token') await page.getByLabel('Prompt').fill('We the people');
      if (slug === 'fill-blank') await page.getByLabel(/Sentence/).fill('We must [MASK] the Union.');
      if (slug === 'attention-viewer') await page.getByLabel('Input').fill('We the people of the United States');
      if (slug === 'date-seq2seq') {
        await page.getByLabel(/A date/).fill('July 4, 1976');
        await expect(page.getByTestId('iso-date')).toHaveText('1976-07-04');
      }
      if (slug === 'lstm-forecast') await page.getByLabel('First forecast day').fill('2014-06-02');
      await expect(infer).not.toHaveAttribute('data-infer-ms', before ?? '');
      console.log(`warm run: ${slug} ${Number(await infer.getAttribute('data-infer-ms')).toFixed(1)} ms`);
      expect(problems).toEqual([]);
    });
  }

  for (const [width, height] of [
    [1280, 720],
    [1024, 768],
  ] as const) {
    test(`every model widget fits a ${width}×${height} slide`, async ({ page }) => {
      await page.setViewportSize({ width, height });
      for (const slug of WIDGETS) {
        await page.goto(`/embed/${slug}/?theme=dark`);
        await expect(page.locator('[data-widget-ready="true"]')).toBeVisible({ timeout: 45_000 });
        // The embed page never scrolls, so anything past the viewport would be cut off on the slide.
        const extent = await page.locator('.widget-host-embed *').evaluateAll((els) => ({
          bottom: Math.max(...els.map((e) => e.getBoundingClientRect().bottom)),
          right: Math.max(...els.map((e) => e.getBoundingClientRect().right)),
        }));
        expect(extent.bottom, `${slug} bottom`).toBeLessThanOrEqual(height);
        expect(extent.right, `${slug} right`).toBeLessThanOrEqual(width);
        await page.screenshot({ path: test.info().outputPath(`${slug}-${width}x${height}.png`) });
      }
    });
  }

  test('next-token samples a continuation token by token', async ({ page }) => {
    const problems = watchForProblems(page);
    await page.goto('/embed/next-token/');
    await expect(page.locator('[data-widget-ready="true"]')).toBeVisible({ timeout: 45_000 });
    await page.getByRole('button', { name: 'Sample next token' }).click();
    await expect(page.getByTestId('generated')).not.toHaveText('');
    // Timed: one forward pass over a ~10-token prompt, measured by the widget itself.
    const ms: number[] = [];
    for (const prompt of ['We must', 'The Congress has', 'Our nation will']) {
      await page.getByLabel('Prompt').fill(prompt);
      await expect(page.locator('.model-plot svg')).toBeVisible();
      await page.waitForTimeout(300);
      ms.push(Number(await page.locator('[data-infer-ms]').getAttribute('data-infer-ms')));
    }
    console.log(`next-token forward passes (ms): ${ms.map((m) => m.toFixed(1)).join(', ')}`);
    expect(problems).toEqual([]);
  });

  test('the attention viewer switches model (BERT, seq2seq)', async ({ page }) => {
    await page.goto('/embed/attention-viewer/?model=seq2seq-dates&text=July%204%2C%201976');
    await expect(page.locator('[data-widget-ready="true"]')).toBeVisible({ timeout: 45_000 });
    await expect(page.locator('.attention-thumb')).toHaveCount(8);
    await expect(page.locator('.model-caption')).toContainText('1976-07-04');
    await page.getByLabel('Model').selectOption('bert-sotu');
    await expect(page.locator('[data-widget-ready="true"]')).toBeVisible({ timeout: 45_000 });
    await expect(page.locator('.model-caption')).toContainText('bidirectional');
  });
});

test('the models page: every widget live, no console error or failed request, no serious axe violation', async ({ page }) => {
  test.setTimeout(120_000);
  const problems = watchForProblems(page);
  await page.goto('/models/');
  // The shipped models' widgets, plus the remote-model one (which downloads nothing unasked).
  await expect(page.locator('.widget-frame')).toHaveCount(WIDGETS.length + 1);
  for (const slug of WIDGETS) {
    const frame = page.locator(`.widget-frame[data-widget="${slug}"]`).first();
    await frame.scrollIntoViewIfNeeded();
    await expect(frame.locator('[data-widget-ready="true"]')).toBeVisible({ timeout: 45_000 });
  }
  const remote = page.locator('.widget-frame[data-widget="remote-model"]');
  await remote.scrollIntoViewIfNeeded();
  await expect(remote.locator('[data-phase="idle"]')).toBeVisible({ timeout: 45_000 });
  const axe = await new AxeBuilder({ page }).analyze();
  const severe = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
  expect(severe).toEqual([]);
  expect(problems).toEqual([]);
});

test('asked to run on WebGPU in a browser without it, a widget says so and runs on the CPU at a click', async ({ page }) => {
  await page.addInitScript(() => delete (Navigator.prototype as { gpu?: unknown }).gpu);
  await page.goto('/embed/date-seq2seq/?models=webgpu');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Model “seq2seq-dates”: cannot run on WebGPU: this browser has no WebGPU', { timeout: 45_000 });
  await page.getByRole('button', { name: 'Run on the CPU (wasm)' }).click();
  await expect(page.getByTestId('iso-date')).toHaveText('2021-03-03', { timeout: 45_000 });
  await expect(page.locator('.model-facts')).toHaveAttribute('data-provider', 'wasm');
  await expect(page.getByRole('button', { name: 'Run on WebGPU' })).toHaveCount(0);
});

test.describe('damaged model files', () => {
  test('a corrupt model.onnx gives a clear message', async ({ page }) => {
    await page.route('**/models/gpt-sotu/model.onnx*', async (route) => {
      const real = await route.fetch();
      const body = Buffer.from(await real.body());
      body.fill(0x5a, 1000, 5000); // damaged in the middle: same length, wrong bytes
      await route.fulfill({ response: real, body });
    });
    await page.goto('/embed/next-token/');
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Model “gpt-sotu”: model.onnx is damaged', { timeout: 45_000 });
    await expect(alert).toContainText('reload the page');
  });

  test('a truncated model.onnx gives a clear message', async ({ page }) => {
    await page.route('**/models/bert-sotu/model.onnx*', async (route) => {
      const real = await route.fetch();
      await route.fulfill({ response: real, body: Buffer.from(await real.body()).subarray(0, 12345) });
    });
    await page.goto('/embed/fill-blank/');
    await expect(page.getByRole('alert')).toContainText('model.onnx is damaged or not an ONNX model', { timeout: 45_000 });
  });

  test('a missing model file says which file is missing', async ({ page }) => {
    await page.route('**/models/seq2seq-dates/model.onnx*', (route) => route.fulfill({ status: 404, body: 'not found' }));
    await page.goto('/embed/date-seq2seq/');
    await expect(page.getByRole('alert')).toContainText('seq2seq-dates/model.onnx', { timeout: 45_000 });
    await expect(page.getByRole('alert')).toContainText('missing (HTTP 404)');
  });
});

test.describe('a bigger model from a web address', () => {
  // A shipped model's files, served as if from another site (with the CORS header a hub sends).
  const REMOTE = 'https://models.example.test/gpt-sotu/';
  async function serveRemote(page: Page, onnx?: (route: Route) => Promise<void>): Promise<void> {
    await page.route('https://models.example.test/**', async (route) => {
      const file = new URL(route.request().url()).pathname.split('/').pop()!;
      if (file === 'model.onnx' && onnx) return onnx(route);
      const path = `public/models/gpt-sotu/${file}`;
      const headers = { 'Access-Control-Allow-Origin': '*', 'Content-Length': String(statSync(path).size) };
      await route.fulfill(route.request().method() === 'HEAD' ? { status: 200, headers } : { path, headers });
    });
  }
  async function open(page: Page, url: string): Promise<Locator> {
    await page.goto(`/embed/remote-model/?url=${encodeURIComponent(url)}`);
    const widget = page.locator('.model-widget');
    await expect(widget).toHaveAttribute('data-phase', 'idle', { timeout: 45_000 });
    return widget;
  }

  test('shows the size first, then downloads with progress and runs (a model folder)', async ({ page }) => {
    const problems = watchForProblems(page);
    await serveRemote(page);
    const widget = await open(page, REMOTE);
    await widget.getByRole('button', { name: 'Check the size' }).click();
    await expect(page.getByTestId('remote-size')).toHaveText('gpt-sotu from models.example.test: 4.3 MB to download');
    await widget.getByRole('button', { name: 'Download 4.3 MB and run' }).click();
    await expect(widget).toHaveAttribute('data-widget-ready', 'true', { timeout: 45_000 });
    await expect(widget.locator('.model-plot svg')).toBeVisible();
    await page.getByLabel('Prompt').fill('We the people');
    await expect(widget).toHaveAttribute('data-widget-ready', 'true');
    expect(problems).toEqual([]);
  });

  test("a bare .onnx file is read with GPT-2's tokenizer, and a vocabulary that does not match is named", async ({ page }) => {
    await serveRemote(page);
    const widget = await open(page, `${REMOTE}model.onnx`);
    await widget.getByRole('button', { name: 'Check the size' }).click();
    await expect(page.getByTestId('remote-size')).toContainText('model.onnx from models.example.test: 4.3 MB to download');
    await widget.getByRole('button', { name: /^Download/ }).click();
    await expect(page.getByRole('alert')).toContainText("its vocabulary has 2,048 tokens but GPT-2's tokenizer has 50,257", { timeout: 45_000 });
  });

  test('Cancel stops a download, and the reader can start again', async ({ page }) => {
    let held = 0;
    await serveRemote(page, async () => {
      held++; // never answered: the download hangs until cancelled
    });
    const widget = await open(page, REMOTE);
    await widget.getByRole('button', { name: 'Check the size' }).click();
    await widget.getByRole('button', { name: /^Download/ }).click();
    await expect(widget).toHaveAttribute('data-phase', 'downloading');
    await expect.poll(() => held).toBe(1);
    await widget.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('alert')).toContainText('cancelled');
    await expect(widget.getByRole('button', { name: /^Download/ })).toBeEnabled();
  });

  test('offline, it says so', async ({ page }) => {
    await page.route('https://models.example.test/**', (route) => route.abort('internetdisconnected'));
    const widget = await open(page, REMOTE);
    await widget.getByRole('button', { name: 'Check the size' }).click();
    await expect(page.getByRole('alert')).toContainText('no answer from models.example.test: you may be offline');
  });

  test('an address that is not one gets a plain reason', async ({ page }) => {
    const widget = await open(page, 'gpt2 please');
    await widget.getByRole('button', { name: 'Check the size' }).click();
    await expect(page.getByRole('alert')).toContainText('“gpt2 please” is not a web address');
  });
});
