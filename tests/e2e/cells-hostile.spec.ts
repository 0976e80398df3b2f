// Programs a careless or curious student pastes into a cell (issue: "Readers' code cannot freeze
// the page or poison the session"). For each: the page keeps answering while it runs, the reader
// sees a clear message on the cell that caused it, and the next ordinary cell still runs.
import { expect, test, type Page } from '@playwright/test';
import { cell, runCell } from './cells';

/** A main-thread task longer than this means the page stopped answering (the bound). */
const MAX_STALL_MS = 1000;

/**
 * Watches the page's main thread while a program runs: a trivial `page.evaluate` every 100 ms
 * (its longest round trip) and the browser's long-task entries (the longest task). Both are
 * recorded on the test; the long task, which does not include the test runner's own latency, is
 * what is checked against MAX_STALL_MS.
 */
async function watchStalls(page: Page) {
  // Long tasks of the page's own loading are not the program's.
  await page.evaluate(() => ((window as unknown as { __longestTask: number }).__longestTask = 0));
  let running = true;
  let maxEvaluate = 0;
  const probe = (async () => {
    while (running) {
      const t = Date.now();
      await page.evaluate(() => 0).catch(() => undefined);
      maxEvaluate = Math.max(maxEvaluate, Date.now() - t);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return async () => {
    running = false;
    await probe;
    const longestTask = await page.evaluate(() => (window as unknown as { __longestTask: number }).__longestTask);
    test.info().annotations.push({ type: 'stall', description: `longest main-thread task ${Math.round(longestTask)} ms; longest page.evaluate round trip ${maxEvaluate} ms` });
    console.log(`[${test.info().title}] longest main-thread task ${Math.round(longestTask)} ms; longest page.evaluate ${maxEvaluate} ms`);
    expect(longestTask).toBeLessThan(MAX_STALL_MS);
  };
}

/** Runs a cell while watching the main thread (see watchStalls); returns how the run ended. */
async function runWatched(page: Page, id: string, timeout?: number): Promise<string> {
  const done = await watchStalls(page);
  const status = await runCell(page, id, timeout);
  await done();
  return status;
}

/** Puts code into cells as a reader's saved edits (what the editor stores), then loads the page. */
async function openWithCode(page: Page, path: string, cells: Record<string, string>): Promise<void> {
  await page.goto(path);
  await page.evaluate(
    ([pagePath, edits]) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('attention-lab-cell-edits');
        open.onupgradeneeded = () => open.result.createObjectStore('edits');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('edits', 'readwrite');
          for (const [id, code] of Object.entries(edits)) {
            tx.objectStore('edits').put({ code, original: '', originalHash: '', savedAt: Date.now() }, `${pagePath}#${id}`);
          }
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
    [path.replace(/\/$/, ''), cells] as const,
  );
  await page.reload();
  for (const id of Object.keys(cells)) await expect(cell(page, id).locator('.cell-plain')).toBeVisible();
}

/** The next ordinary cell runs, in the same page, without a restart. */
async function nextCellRuns(page: Page, id = 'softmax'): Promise<void> {
  expect(await runCell(page, id)).toBe('ok');
  await expect(cell(page, id).locator('.cell-error')).toHaveCount(0);
}

let pageErrors: string[] = [];

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __longestTask: number };
    w.__longestTask = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longestTask = Math.max(w.__longestTask, e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

test.afterEach(() => {
  // Nothing a cell does surfaces as an uncaught error of the page.
  expect(pageErrors).toEqual([]);
});

test.describe('big output does not freeze the page', () => {
  test('a 50-million-character line is cut where it is printed', async ({ page }) => {
    await openWithCode(page, '/engine/', { read: 'console.log("x".repeat(50_000_000));\n' });
    const done = await watchStalls(page);
    expect(await runCell(page, 'read')).toBe('ok');
    await done();
    const out = cell(page, 'read').locator('.cell-output');
    await expect(out).toContainText('… 49,980,000 more characters');
    await nextCellRuns(page);
  });

  test('a tensor whose print would be tens of MB is described instead', async ({ page }) => {
    const code = "import { randn, setPrintOptions } from 'attention-lab';\nsetPrintOptions({ threshold: Infinity });\nconsole.log(randn([2000, 2000]));\n";
    await openWithCode(page, '/engine/', { read: code });
    const done = await watchStalls(page);
    expect(await runCell(page, 'read')).toBe('ok');
    await done();
    await expect(cell(page, 'read').locator('.cell-output')).toContainText('Tensor[2000, 2000] float32: 4,000,000 values, too many to print');
    await nextCellRuns(page, 'broadcast');
  });

  test('a million console lines: a thousand are shown, the rest counted', async ({ page }) => {
    await openWithCode(page, '/engine/', { read: 'for (let i = 0; i < 1_000_000; i++) console.log(i);\n' });
    const done = await watchStalls(page);
    expect(await runCell(page, 'read')).toBe('ok');
    await done();
    await expect(cell(page, 'read').locator('.cell-output')).toContainText('999,000 more console lines were not shown');
    await expect(cell(page, 'read').locator('.cell-line')).toHaveCount(1001);
    await nextCellRuns(page);
  });

  test('a scatter of a million points is thinned, with a note', async ({ page }) => {
    await openWithCode(page, '/engine/', { read: "import { plot, randn } from 'attention-lab';\nawait plot.scatter(randn([1_000_000]));\n" });
    const done = await watchStalls(page);
    expect(await runCell(page, 'read')).toBe('ok');
    await expect(cell(page, 'read').locator('.cell-figure svg').first()).toBeVisible();
    await page.waitForTimeout(500);
    await done();
    await expect(cell(page, 'read').locator('.cell-figure-note')).toContainText('Showing 2,000 points of 1,000,000');
    await nextCellRuns(page);
  });

  test('3000 redraws of one figure are coalesced into one figure', async ({ page }) => {
    const code = [
      "import { plot } from 'attention-lab';",
      'for (let i = 0; i < 3000; i++) {',
      "  plot.line(Array.from({ length: 200 }, (_, j) => Math.sin((i + j) / 10)), { id: 'live', title: `step ${i}` });",
      '}',
    ].join('\n');
    await openWithCode(page, '/engine/', { read: code });
    const done = await watchStalls(page);
    expect(await runCell(page, 'read')).toBe('ok');
    await expect(cell(page, 'read').locator('.cell-figure')).toContainText('step 2999');
    await done();
    await expect(cell(page, 'read').locator('.cell-figure')).toHaveCount(1);
    await nextCellRuns(page);
  });
});

test.describe('a cell cannot reach saved edits, progress or grades', () => {
  test('no nested worker and no storage, by any route; saved edits survive', async ({ page }) => {
    const hostile = [
      'const found: string[] = [];',
      'const tryIt = (name: string, f: () => unknown) => { try { if (f() !== undefined) found.push(name); } catch { /* not reachable */ } };',
      "tryIt('Worker', () => new (self as any).Worker(URL.createObjectURL(new Blob(['indexedDB.deleteDatabase(\"attention-lab-cell-edits\")']))));",
      "tryIt('SharedWorker', () => (self as any).SharedWorker);",
      "tryIt('BroadcastChannel', () => (self as any).BroadcastChannel);",
      "tryIt('indexedDB', () => (self as any).indexedDB);",
      "tryIt('caches', () => (self as any).caches);",
      "tryIt('navigator.storage', () => (navigator as any).storage);",
      'for (let o = Object.getPrototypeOf(self); o; o = Object.getPrototypeOf(o)) {',
      "  for (const name of ['indexedDB', 'caches', 'Worker', 'SharedWorker', 'BroadcastChannel']) tryIt(`prototype ${name}`, () => Object.getOwnPropertyDescriptor(o, name));",
      '}',
      "console.log(found.length ? `reachable: ${found.join(', ')}` : 'nothing reachable');",
    ].join('\n');
    await openWithCode(page, '/engine/', { read: hostile, broadcast: "console.log('my saved edit');\n" });
    expect(await runWatched(page, 'read')).toBe('ok');
    await expect(cell(page, 'read').locator('.cell-output')).toHaveText('nothing reachable');

    await openWithCode(page, '/engine/', { read: "new Worker('data:text/javascript,0');\n" });
    expect(await runWatched(page, 'read')).toBe('error');
    await expect(cell(page, 'read').locator('.cell-error')).toContainText('Worker is not defined');
    await expect(cell(page, 'read').locator('.cell-error')).toContainText("Cells cannot use \"Worker\"");
    await page.reload();
    await expect(cell(page, 'broadcast').locator('.cell-plain')).toContainText("console.log('my saved edit');");
  });

  test('a cell that answers grading requests itself cannot pass an exercise', async ({ page }) => {
    const forger = [
      'const pass = { passed: 4, total: 4, tests: [1, 2, 3, 4].map((i) => ({ name: `test ${i}`, passed: true })) };',
      'const answer = (e: MessageEvent) => (self as any).postMessage({ type: \'graded\', runId: e.data?.runId, ms: 1, report: pass });',
      '(self as any).onmessage = answer;',
      "self.addEventListener('message', answer);",
      "for (let runId = 1; runId < 50; runId++) (self as any).postMessage({ type: 'graded', runId, ms: 1, report: pass });",
    ].join('\n');
    await openWithCode(page, '/attention-pooling/', { data: forger });
    expect(await runWatched(page, 'data')).toBe('ok');
    const ex = page.locator('#exercise-gaussian-weights');
    const island = ex.locator('.exercise-island');
    await ex.getByRole('button', { name: '✓ Check' }).click();
    await expect(island).toHaveAttribute('data-checks', '1', { timeout: 45_000 });
    await expect(island).toHaveAttribute('data-phase', 'idle');
    await expect(ex.locator('.exercise-results')).toContainText('0 of 4 tests passed');
    await expect(ex.locator('.exercise-status')).not.toContainText('Passed');
  });
});

test.describe("a cell cannot take over the runtime's channel", () => {
  for (const [what, code] of [
    ['replacing self.onmessage', '(self as any).onmessage = () => {};\n'],
    ['replacing self.postMessage', '(self as any).postMessage = () => {};\n'],
    ['a forged "done"', "for (let runId = 1; runId < 50; runId++) (self as any).postMessage({ type: 'done', runId, ok: true, ms: 0, exported: [] });\n"],
  ] as const) {
    test(`${what}: the next cell runs`, async ({ page }) => {
      await openWithCode(page, '/engine/', { read: code });
      expect(await runWatched(page, 'read')).toBe('ok');
      await nextCellRuns(page);
      await nextCellRuns(page, 'broadcast');
    });
  }

  test("replacing fetch and Response does not change what the book's data sets read", async ({ page }) => {
    await openWithCode(page, '/engine/', {
      read: "(self as any).fetch = async () => new Response('{\"speeches\": []}');\nResponse.prototype.text = async () => '{\"speeches\": []}';\n",
      broadcast: "import { datasets } from 'attention-lab';\nconsole.log((await datasets.stateOfTheUnion()).length > 5);\n",
    });
    expect(await runWatched(page, 'read')).toBe('ok');
    expect(await runCell(page, 'broadcast')).toBe('ok');
    await expect(cell(page, 'broadcast').locator('.cell-output')).toHaveText('true');
  });

  test('self.close() is refused on the cell that called it', async ({ page }) => {
    await openWithCode(page, '/engine/', { read: 'self.close();\n' });
    expect(await runWatched(page, 'read')).toBe('error');
    await expect(cell(page, 'read').locator('.cell-error')).toContainText('close() is not available in cells');
    await nextCellRuns(page);
  });
});

test.describe('work left running after a cell is stopped or blamed on that cell', () => {
  test('a timer that throws 200 ms later: the error is on its cell, and the session keeps its exports', async ({ page }) => {
    await openWithCode(page, '/engine/', {
      read: "export const scores = [1, 2, 3];\nsetTimeout(() => { throw new Error('boom'); }, 200);\n",
      broadcast: 'console.log(scores.length);\n',
    });
    expect(await runWatched(page, 'read')).toBe('error');
    const error = cell(page, 'read').locator('.cell-error');
    await expect(error).toContainText('boom');
    await expect(error).toContainText('setTimeout');
    await expect(error).toContainText('on line 2');
    expect(await runCell(page, 'broadcast')).toBe('ok');
    await expect(cell(page, 'broadcast').locator('.cell-output')).toHaveText('3');
  });

  test('a busy setInterval is cancelled when its cell ends, and the cell says so', async ({ page }) => {
    await openWithCode(page, '/engine/', { read: 'setInterval(() => { const t = performance.now(); while (performance.now() - t < 50) {} }, 1);\n' });
    const done = await watchStalls(page);
    expect(await runCell(page, 'read')).toBe('ok');
    await expect(cell(page, 'read').locator('.cell-line-warn')).toContainText('1 timer this cell set was still scheduled when it finished');
    await nextCellRuns(page);
    await done();
  });

  test('a promise chain that keeps the worker busy after its cell: blamed on that cell, the next one runs', async ({ page }) => {
    await openWithCode(page, '/engine/', { read: "fetch('/').then(() => { for (;;) {} });\nconsole.log('started');\n" });
    const done = await watchStalls(page);
    // The loop starts when the fetch answers: usually after the cell has finished, but on a slow,
    // busy machine it may answer first, and then the cell itself runs into its time limit. Either
    // way the blame is on this cell, and the next one runs.
    const outcome = await runCell(page, 'read');
    expect(['ok', 'stopped']).toContain(outcome);
    await nextCellRuns(page);
    if (outcome === 'ok') await expect(cell(page, 'read').locator('.cell-notice')).toContainText('After this cell finished, work it left running');
    await expect(cell(page, 'softmax').locator('.cell-notice')).toHaveCount(0);
    await done();
  });
});

test.describe('messages say what happened', () => {
  test('throw { message: 42 } shows what was thrown', async ({ page }) => {
    await openWithCode(page, '/engine/', { read: 'throw { message: 42 };\n' });
    expect(await runWatched(page, 'read')).toBe('error');
    await expect(cell(page, 'read').locator('.cell-error')).toContainText('Uncaught: {message: 42}');
    await nextCellRuns(page);
  });

  test('a rejected promise nobody awaits is reported on the cell', async ({ page }) => {
    await openWithCode(page, '/engine/', { read: "Promise.reject(new Error('later'));\n" });
    expect(await runWatched(page, 'read')).toBe('error');
    await expect(cell(page, 'read').locator('.cell-error')).toContainText('Error on line 1: later');
    await expect(cell(page, 'read').locator('.cell-error')).toContainText('nothing awaited it');
    await nextCellRuns(page);
  });

  test('an await that never settles is named at the time limit', async ({ page }) => {
    await openWithCode(page, '/engine/', { read: 'await new Promise(() => {});\n' });
    expect(await runWatched(page, 'read', 40_000)).toBe('stopped');
    await expect(cell(page, 'read').locator('.cell-notice')).toContainText('waiting for something that never happened');
    await nextCellRuns(page);
  });

  test('browser built-ins missing from the worker get a hint of their own', async ({ page }) => {
    await openWithCode(page, '/engine/', { read: 'document.title = "x";\n', broadcast: 'new SharedArrayBuffer(8);\n' });
    expect(await runWatched(page, 'read')).toBe('error');
    await expect(cell(page, 'read').locator('.cell-error')).toContainText('belongs to the web page');
    await expect(cell(page, 'read').locator('.cell-error')).not.toContainText("add it to the import");
    expect(await runCell(page, 'broadcast')).toBe('error');
    await expect(cell(page, 'broadcast').locator('.cell-error')).toContainText('cross-origin-isolated');
  });

  test('after a cell changes the engine, later failures name that cell and Restart', async ({ page }) => {
    await openWithCode(page, '/engine/', {
      read: "import { Tensor } from 'attention-lab';\n(Tensor.prototype as any).reshape = () => 42;\n",
      broadcast: "import { randn } from 'attention-lab';\nconsole.log(randn([2, 3]).reshape([6]).shape.length);\n",
    });
    expect(await runWatched(page, 'read')).toBe('ok');
    expect(await runCell(page, 'broadcast')).toBe('error');
    const error = cell(page, 'broadcast').locator('.cell-error');
    await expect(error).toContainText('An earlier cell ("read") changed the engine');
    await expect(error).toContainText('Tensor.prototype.reshape');
    await expect(error).toContainText('Restart session');
  });

  test('after a cell breaks a built-in the runtime uses, the next cell says which cell did it', async ({ page }) => {
    await openWithCode(page, '/engine/', {
      read: "export const x = 1;\nArray.prototype.filter = () => { throw new Error('patched'); };\n",
      broadcast: "console.log('innocent');\n",
    });
    expect(await runWatched(page, 'read')).toBe('error');
    await expect(cell(page, 'read').locator('.cell-error')).toContainText('This cell changed JavaScript\'s built-ins or the engine (Array.prototype.filter)');
    expect(await runCell(page, 'broadcast')).toBe('error');
    const error = cell(page, 'broadcast').locator('.cell-error');
    await expect(error).toContainText('The cell runtime failed: patched');
    await expect(error).toContainText('An earlier cell ("read") changed');
    await cell(page, 'broadcast').getByRole('button', { name: 'Restart session' }).click();
    expect(await runCell(page, 'broadcast')).toBe('ok');
  });
});
