// Exercises, quizzes and progress as a student uses them, in the built site: a wrong answer gets
// specific feedback, a right one passes and stays passed after a reload, hints and the solution
// open when they should, and progress plus code move to a fresh browser through export/import.
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { watchForProblems } from './site';

const CHAPTER = '/attention-pooling/';
const exercise = (page: Page, name: string): Locator => page.locator(`#exercise-${name}`);

/**
 * Puts code in an exercise the way the editor saves it (the exercise's record in localStorage) and
 * reloads. The Monaco editor itself is tested with the code cells; here the subject is grading.
 */
async function setCode(page: Page, name: string, code: string): Promise<void> {
  // Reloading while the first load still fetches (search's lazy script) aborts that request.
  await page.waitForLoadState('networkidle');
  await page.evaluate(
    ([id, text]) => {
      const key = 'attention-lab-progress';
      const progress = JSON.parse(localStorage.getItem(key) ?? '{"exercises":{},"quizzes":{}}');
      progress.exercises[id!] = { status: 'not-started', attempts: 0, ...progress.exercises[id!], code: text, updatedAt: Date.now() };
      localStorage.setItem(key, JSON.stringify(progress));
    },
    [`attention-pooling/${name}`, code],
  );
  await page.reload();
  await expect(exercise(page, name).locator('.cell-plain')).toContainText(code.split('\n')[1]!.trim());
}

/** Opens the exercise's Monaco editor and replaces the code as a paste would. */
async function typeCode(page: Page, name: string, code: string): Promise<void> {
  const ex = exercise(page, name);
  await ex.getByRole('button', { name: 'Edit' }).click();
  const editor = ex.locator('.cell-editor .monaco-editor');
  await expect(editor).toBeVisible({ timeout: 30_000 });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
  await expect(ex.locator('.cell-edited')).toBeVisible();
}

/** A saved edit of an ordinary code cell, as the cell's editor stores it (IndexedDB via idb-keyval). */
async function setCellEdit(page: Page, key: string, code: string, original: string): Promise<void> {
  await page.evaluate(
    ([k, text, orig]) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('attention-lab-cell-edits');
        open.onupgradeneeded = () => open.result.createObjectStore('edits');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('edits', 'readwrite');
          tx.objectStore('edits').put({ code: text, original: orig, originalHash: '', savedAt: Date.now() }, k!);
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
    [key, code, original],
  );
}

/** Presses Check and waits for the results. */
async function check(page: Page, name: string): Promise<Locator> {
  const island = exercise(page, name).locator('.exercise-island');
  const before = Number(await island.getAttribute('data-checks'));
  await exercise(page, name).getByRole('button', { name: '✓ Check' }).click();
  await expect(island).toHaveAttribute('data-checks', String(before + 1), { timeout: 45_000 });
  await expect(island).toHaveAttribute('data-phase', 'idle');
  const ex = exercise(page, name);
  return ex.locator('.exercise-results');
}

const transposed = `import type { Tensor } from 'attention-lab';
export function gaussianWeights(queries: Tensor, keys: Tensor, sigma: number): Tensor {
  const diff = keys.unsqueeze(1).sub(queries.unsqueeze(0));
  return diff.pow(2).div(-2 * sigma * sigma).softmax(-1);
}`;

const correct = `import type { Tensor } from 'attention-lab';
export function gaussianWeights(queries: Tensor, keys: Tensor, sigma: number): Tensor {
  const diff = queries.unsqueeze(1).sub(keys.unsqueeze(0));
  return diff.pow(2).div(-2 * sigma * sigma).softmax(-1);
}`;

test.describe('an exercise', () => {
  test('the starter code fails with the reason; hints come one at a time; the solution opens after a check', async ({ page }) => {
    const problems = watchForProblems(page);
    await page.goto(CHAPTER);
    const ex = exercise(page, 'gaussian-weights');
    await expect(ex.locator('.exercise-statement .katex').first()).toBeVisible();
    await expect(ex.getByRole('button', { name: 'Show the solution' })).toBeDisabled();
    await ex.getByRole('button', { name: /Show a hint \(1 of 3\)/ }).click();
    await expect(ex.locator('.exercise-hint')).toHaveCount(1);
    await ex.getByRole('button', { name: /Show another hint \(2 of 3\)/ }).click();
    await expect(ex.locator('.exercise-hint')).toHaveCount(2);

    const results = await check(page, 'gaussian-weights');
    await expect(results).toContainText('gaussianWeights is not written yet');
    await expect(results).toContainText('0 of 4 tests passed');
    await expect(ex.locator('.exercise-status')).toContainText('Attempted');
    await ex.getByRole('button', { name: 'Show the solution' }).click();
    await expect(ex.locator('.exercise-solution-code')).toBeVisible();
    await expect(ex.locator('.exercise-solution-code')).toContainText('softmax(-1)');
    expect(problems).toEqual([]);
  });

  test('a wrong answer gets specific feedback; a right one passes and stays passed after a reload', async ({ page }) => {
    await page.goto(CHAPTER);
    await typeCode(page, 'gaussian-weights', transposed);
    const wrong = await check(page, 'gaussian-weights');
    await expect(wrong).toContainText('expected shape [3, 5], got [5, 3]');
    await expect(wrong).toContainText('dimensions 0 and 1 are swapped');
    await expect(wrong.locator('.test-failed')).toHaveCount(4);
    await page.screenshot({ path: test.info().outputPath('wrong-answer.png'), fullPage: false });

    await setCode(page, 'gaussian-weights', correct);
    const right = await check(page, 'gaussian-weights');
    await expect(right).toContainText('Passed — all 4 tests.');
    await expect(exercise(page, 'gaussian-weights').locator('.exercise-status')).toContainText('Passed');

    await page.reload();
    const ex = exercise(page, 'gaussian-weights');
    await expect(ex.locator('.exercise-status')).toContainText('Passed');
    await expect(ex.locator('.exercise-status')).toContainText('2 checks');
    await expect(ex.locator('.cell-plain')).toContainText('queries.unsqueeze(1).sub(keys.unsqueeze(0))');
  });

  test('a loop over the queries is named with its line', async ({ page }) => {
    await page.goto(CHAPTER);
    await setCode(
      page,
      'attention-pool',
      `import { stack, type Tensor } from 'attention-lab';
export function attentionPool(weights: Tensor, values: Tensor): Tensor {
  const rows: Tensor[] = [];
  for (let j = 0; j < weights.shape[0]!; j++) rows.push(weights.select(0, j).unsqueeze(0).matmul(values).squeeze(0));
  return stack(rows);
}`,
    );
    const results = await check(page, 'attention-pool');
    await expect(results).toContainText('3 of 4 tests passed');
    await expect(results).toContainText('Found: line 4 (a `for` loop)');
  });
});

test.describe('a quiz', () => {
  test('marks each answer, explains it, and remembers the answers', async ({ page }) => {
    await page.goto(CHAPTER);
    const quiz = page.locator('#quiz-bandwidth');
    const questions = quiz.locator('.quiz-question');
    await questions.nth(0).locator('input').nth(1).check(); // wrong: a flat line
    await questions.nth(1).locator('input').nth(0).check(); // right
    await questions.nth(2).locator('input').fill('0.622');
    await quiz.getByRole('button', { name: 'Check answers' }).click();
    await expect(questions.nth(0)).toHaveAttribute('data-result', 'incorrect');
    await expect(questions.nth(0).locator('.quiz-feedback')).toContainText('Not quite');
    await expect(questions.nth(0).locator('.quiz-feedback')).toContainText('staircase');
    await expect(questions.nth(1)).toHaveAttribute('data-result', 'correct');
    await expect(questions.nth(2)).toHaveAttribute('data-result', 'correct');
    await expect(quiz.locator('.quiz-score')).toHaveText('2 of 3 correct');

    const batches = page.locator('#quiz-dynamic-batches');
    await expect(batches.getByText('Choose all that apply.', { exact: true })).toBeVisible();
    await page.reload();
    await expect(page.locator('#quiz-bandwidth .quiz-score')).toHaveText('2 of 3 correct');
    await expect(page.locator('#quiz-bandwidth .quiz-question').nth(2).locator('input')).toHaveValue('0.622');
  });
});

/** Picks a file in the progress page's import control, once its island can take it. */
async function importFile(page: Page, file: Parameters<Locator['setInputFiles']>[0]): Promise<void> {
  const input = page.locator('input[type="file"]');
  await expect(input).toBeEnabled({ timeout: 60_000 }); // setInputFiles does not wait for hydration
  await input.setInputFiles(file);
}

test.describe('progress', () => {
  test('export, then import in a fresh browser, restores progress and code', async ({ page, browser }) => {
    // Pass one exercise, answer a quiz, and edit an ordinary code cell.
    await page.goto(CHAPTER);
    await setCode(page, 'gaussian-weights', correct);
    await expect(await check(page, 'gaussian-weights')).toContainText('Passed');
    const quiz = page.locator('#quiz-dynamic-batches');
    for (const i of [0, 1, 2]) await quiz.locator('.quiz-question').nth(0).locator('input').nth(i).check();
    await quiz.locator('.quiz-question').nth(1).locator('input').fill('0.6');
    await quiz.getByRole('button', { name: 'Check answers' }).click();
    await expect(quiz.locator('.quiz-score')).toHaveText('2 of 2 correct');
    const cellEdit = "console.log('moved with me');";
    await setCellEdit(page, '/attention-pooling#kernels', cellEdit, 'the book code');

    await page.goto('/progress/');
    const row = page.locator('tr[data-item-id="attention-pooling/gaussian-weights"]');
    await expect(row).toHaveAttribute('data-state', 'passed');
    await expect(page.locator('tr[data-item-id="attention-pooling/dynamic-batches"]')).toHaveAttribute('data-state', 'passed');
    await expect(page.locator('tr[data-item-id="attention-pooling/train-bandwidth"]')).toHaveAttribute('data-state', 'not-started');
    await page.getByLabel('Your name').fill('Ada Lovelace');
    await page.getByLabel('Student ID').fill('S42');
    await page.screenshot({ path: test.info().outputPath('progress-page.png'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export progress and code' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^attention-lab-progress-s42-\d{4}-\d{2}-\d{2}\.json$/);
    const path = test.info().outputPath('export.json');
    await download.saveAs(path);
    const exported = JSON.parse(readFileSync(path, 'utf8'));
    expect(exported).toMatchObject({ format: 'attention-lab-progress', version: 1, student: { name: 'Ada Lovelace', id: 'S42' } });
    expect(exported.exercises['attention-pooling/gaussian-weights'].code).toContain('queries.unsqueeze(1)');
    expect(exported.edits['/attention-pooling#kernels'].code).toBe(cellEdit);

    // A fresh browser: nothing stored, then the import.
    const fresh = await browser.newContext();
    const other = await fresh.newPage();
    await other.goto('/progress/');
    await expect(other.locator('tr[data-item-id="attention-pooling/gaussian-weights"]')).toHaveAttribute('data-state', 'not-started');
    await importFile(other, path);
    await expect(other.locator('.progress-message')).toContainText('Imported');
    await expect(other.locator('tr[data-item-id="attention-pooling/gaussian-weights"]')).toHaveAttribute('data-state', 'passed');
    await expect(other.locator('tr[data-item-id="attention-pooling/dynamic-batches"]')).toHaveAttribute('data-state', 'passed');
    await expect(other.getByLabel('Student ID')).toHaveValue('S42');

    await other.goto(CHAPTER);
    await expect(exercise(other, 'gaussian-weights').locator('.exercise-status')).toContainText('Passed');
    await expect(exercise(other, 'gaussian-weights').locator('.cell-plain')).toContainText('queries.unsqueeze(1)');
    await expect(other.locator('#cell-kernels .cell-plain')).toContainText('moved with me');
    await expect(other.locator('#quiz-dynamic-batches .quiz-score')).toHaveText('2 of 2 correct');
    await other.screenshot({ path: test.info().outputPath('after-import.png'), fullPage: false });
    await fresh.close();
  });

  test('a file that is not a progress file is refused with the reason', async ({ page }) => {
    await page.goto('/progress/');
    await importFile(page, { name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "something-else"}') });
    await expect(page.locator('.progress-message')).toContainText('notes.json was not imported: not an Attention Lab progress file');
  });
});
