// Code cells as a reader uses them: run, see output and figures, edit in Monaco, break things on
// purpose, reload. Runs against the built site in Chromium.
import { expect, test } from '@playwright/test';
import { builtHtml, sitemapPaths, watchForProblems } from './site';
import { cell, expectPageResponsive, replaceCode, runCell } from './cells';

test.describe('every page with code cells', () => {
  const pagesWithCells = sitemapPaths().filter((path) => builtHtml(path).includes('class="code-cell'));
  test('the book has pages with code cells', () => {
    expect(pagesWithCells.length).toBeGreaterThan(1);
  });
  for (const path of pagesWithCells) {
    test(`${path}: its first cell runs`, async ({ page }) => {
      await page.goto(path);
      const id = (await page.locator('.code-cell').first().getAttribute('data-cell-id'))!;
      expect(await runCell(page, id)).toBe('ok');
      await expect(cell(page, id).locator('.cell-error')).toHaveCount(0);
    });
  }
});

test('figures and console lines appear in the order the code made them', async ({ page }) => {
  await page.goto('/');
  expect(await runCell(page, 'first-attention')).toBe('ok');
  const order = await cell(page, 'first-attention')
    .locator('.cell-output > *')
    .evaluateAll((els) => els.map((el) => (el.classList.contains('cell-figure') ? 'figure' : el.textContent?.slice(0, 7))));
  expect(order).toEqual(['tensor(', 'output,', 'figure']);
});

test.describe('the engine page', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/engine/');
  });

  test('a cell prints tensors like PyTorch, with no console errors and no Monaco download', async ({ page }) => {
    const problems = watchForProblems(page);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    expect(await runCell(page, 'softmax')).toBe('ok');
    const out = cell(page, 'softmax').locator('.cell-output');
    await expect(out).toContainText('tensor([[0.0900, 0.2447, 0.6652],');
    await expect(out).toContainText('row sums: tensor([1., 1.])');
    await expect(cell(page, 'softmax').locator('.cell-status')).toContainText(/Ran in \d/);
    expect(requests.filter((u) => /monaco|editor\.main|ts\.worker/i.test(u))).toEqual([]);
    expect(problems).toEqual([]);
  });

  test('cells share a session: a later cell uses an export, after "Run all above"', async ({ page }) => {
    expect(await runCell(page, 'heatmap')).toBe('error');
    const error = cell(page, 'heatmap').locator('.cell-error');
    await expect(error).toContainText('scores is not defined');
    await expect(error).toContainText('Run all above');
    await cell(page, 'heatmap').getByRole('button', { name: 'Run all above' }).click();
    await expect(cell(page, 'heatmap').locator('.cell-island')).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
    await expect(cell(page, 'heatmap').locator('.cell-figure svg').first()).toBeVisible();
    await expect(cell(page, 'heatmap').locator('.cell-figure')).toContainText('query 1');
  });

  test('re-running a cell above marks later cells stale; Restart clears the session', async ({ page }) => {
    await runCell(page, 'softmax');
    await runCell(page, 'heatmap');
    await expect(cell(page, 'heatmap').locator('.cell-island')).toHaveAttribute('data-stale', 'false');
    await runCell(page, 'softmax');
    await expect(cell(page, 'heatmap').locator('.cell-island')).toHaveAttribute('data-stale', 'true');
    await expect(cell(page, 'heatmap').locator('.cell-stale')).toBeVisible();
    await cell(page, 'heatmap').getByRole('button', { name: 'Restart session' }).click();
    await expect(cell(page, 'softmax').locator('.cell-island')).toHaveAttribute('data-stale', 'true');
    expect(await runCell(page, 'heatmap')).toBe('error');
  });

  test('a training loop shows progress, a live curve, and its result', async ({ page }) => {
    const c = cell(page, 'train-line');
    await c.locator('.cell-run').click();
    await expect(c.locator('.cell-figure svg').first()).toBeVisible({ timeout: 30_000 });
    await expect(c.locator('.cell-island')).toHaveAttribute('data-status', 'ok', { timeout: 60_000 });
    await expect(c.locator('.cell-output')).toContainText(/a = 2\.9\d*|a = 3\.0\d*/);
    await expect(c.locator('.cell-figure')).toHaveCount(1); // redrawn in place, not one figure per update
  });
});

test.describe('readers break things; the page survives', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/engine/');
  });

  test('an infinite loop is stopped with Stop; the page never freezes', async ({ page }) => {
    await replaceCode(page, 'read', 'let i = 0;\nwhile (true) { i++; }\n');
    await cell(page, 'read').locator('.cell-run').click();
    const stop = cell(page, 'read').getByRole('button', { name: /Stop/ });
    await expect(stop).toBeVisible();
    await expectPageResponsive(page);
    await stop.click();
    await expect(cell(page, 'read').locator('.cell-island')).toHaveAttribute('data-status', 'stopped');
    await expect(cell(page, 'read').locator('.cell-notice')).toContainText('Stopped.');
    // The session comes back: the next run works.
    await replaceCode(page, 'read', "console.log('alive');\n");
    expect(await runCell(page, 'read')).toBe('ok');
    await expect(cell(page, 'read').locator('.cell-output')).toContainText('alive');
  });

  test('a long loop shows a progress bar with its label, and Stop ends it', async ({ page }) => {
    const slowLoop = [
      "import { progress } from 'attention-lab';",
      'for (let step = 1; step <= 100000; step++) {',
      '  const until = performance.now() + 5; while (performance.now() < until) {}',
      '  progress(step, 100000, `step ${step}`);',
      '}',
    ].join('\n');
    await replaceCode(page, 'read', slowLoop);
    await cell(page, 'read').locator('.cell-run').click();
    const bar = cell(page, 'read').locator('.cell-progress');
    await expect(bar.locator('progress')).toBeVisible();
    await expect(bar).toContainText(/\d+ \/ 100000 · step \d+/);
    await cell(page, 'read').getByRole('button', { name: /Stop/ }).click();
    await expect(cell(page, 'read').locator('.cell-island')).toHaveAttribute('data-status', 'stopped');
    await expect(bar).toHaveCount(0);
  });

  test('a run past its time limit is stopped and explained', async ({ page }) => {
    await replaceCode(page, 'create', 'while (true) {}\n');
    expect(await runCell(page, 'create', 40_000)).toBe('stopped');
    await expect(cell(page, 'create').locator('.cell-notice')).toContainText("Stopped after 10 s, this cell's time limit");
  });

  test('an error points at the reader\'s line in the editor, in plain words', async ({ page }) => {
    await replaceCode(page, 'read', "import { randn } from 'attention-lab';\nconst q = randn([2, 5, 8]);\nconst w = q.matmul(q);\n");
    expect(await runCell(page, 'read')).toBe('error');
    const error = cell(page, 'read').locator('.cell-error');
    await expect(error).toContainText('on line 3');
    await expect(error).toContainText('matmul: inner dimensions differ: [2,5,8] @ [2,5,8]');
    await expect(cell(page, 'read').locator('.cell-editor .squiggly-error').first()).toBeVisible();
  });

  test('deep recursion, a huge allocation and a flood of console lines get clear messages', async ({ page }) => {
    await replaceCode(page, 'read', 'function down(n: number): number { return down(n + 1) + 1; }\ndown(0);\n');
    expect(await runCell(page, 'read')).toBe('error');
    await expect(cell(page, 'read').locator('.cell-error')).toContainText('kept calling itself');

    await replaceCode(page, 'read', "import { zeros } from 'attention-lab';\nconst big = zeros([100000, 100000]);\n");
    expect(await runCell(page, 'read')).toBe('error');
    await expect(cell(page, 'read').locator('.cell-error')).toContainText(/memory|too large|elements/i);

    await replaceCode(page, 'read', 'for (let i = 0; i < 1000000; i++) console.log(i);\n');
    expect(await runCell(page, 'read', 60_000)).toBe('ok');
    await expect(cell(page, 'read').locator('.cell-output')).toContainText('999,000 more console lines were not shown');
    await expectPageResponsive(page);
  });

  test("readers' code cannot reach the page or its storage", async ({ page }) => {
    await replaceCode(page, 'read', "console.log(typeof document, typeof indexedDB, typeof localStorage, typeof caches);\n");
    expect(await runCell(page, 'read')).toBe('ok');
    await expect(cell(page, 'read').locator('.cell-output')).toHaveText('undefined undefined undefined undefined');
  });
});

test.describe('saved edits', () => {
  test('an edit survives a reload; Reset restores the book\'s code', async ({ page }) => {
    await page.goto('/engine/');
    await replaceCode(page, 'read', "console.log('my version');\n");
    await page.waitForTimeout(600); // saves are debounced
    await page.reload();
    const c = cell(page, 'read');
    await expect(c.locator('.cell-plain')).toContainText("console.log('my version');");
    await expect(c.locator('.cell-edited')).toBeVisible();
    expect(await runCell(page, 'read')).toBe('ok');
    await expect(c.locator('.cell-output')).toHaveText('my version');
    await c.getByRole('button', { name: 'Reset to original' }).click();
    await expect(c.locator('.cell-static')).toContainText('const values = await x.data();');
    await page.reload();
    await expect(cell(page, 'read').locator('.cell-plain')).toHaveCount(0);
  });

  test("when the book's code changed since the edit, the cell says so and shows the diff", async ({ page }) => {
    await page.goto('/engine/');
    await replaceCode(page, 'read', "console.log('mine');\n");
    await page.waitForTimeout(600);
    // Pretend the edit was made against an older version of the book.
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('attention-lab-cell-edits');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const store = open.result.transaction('edits', 'readwrite').objectStore('edits');
            const key = '/engine#read';
            const get = store.get(key);
            get.onsuccess = () => {
              store.put({ ...get.result, original: "console.log('old book code');\n" }, key);
              store.transaction.oncomplete = () => resolve();
            };
          };
        }),
    );
    await page.reload();
    const banner = cell(page, 'read').locator('.cell-banner');
    await expect(banner).toContainText("The book's code for this cell has changed since you edited it.");
    await banner.getByRole('button', { name: /Show what changed/ }).click();
    await expect(banner.locator('.cell-diff')).toContainText("old book code");
    await banner.getByRole('button', { name: "Use the book's new version" }).click();
    await expect(cell(page, 'read').locator('.cell-banner')).toHaveCount(0);
  });
});

test('Ctrl+Enter in the editor runs the cell; Shift+Enter runs and moves to the next', async ({ page }) => {
  await page.goto('/engine/');
  await replaceCode(page, 'read', "console.log('from the keyboard');\n");
  await page.keyboard.press('Control+Enter');
  await expect(cell(page, 'read').locator('.cell-output')).toHaveText('from the keyboard', { timeout: 30_000 });
  await cell(page, 'read').locator('.cell-editor .monaco-editor').click();
  await page.keyboard.press('Shift+Enter');
  await expect(cell(page, 'broadcast').locator('.cell-run')).toBeFocused();
});
