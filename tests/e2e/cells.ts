import { expect, type Locator, type Page } from '@playwright/test';

/** The cell with this id on the current page. */
export const cell = (page: Page, id: string): Locator => page.locator(`#cell-${id}`);

const finished = '.cell-island:is([data-status="ok"],[data-status="error"],[data-status="stopped"])';

/** Waits until the cell's island has hydrated: a click on the server-rendered HTML does nothing. */
export async function hydrated(page: Page, id: string): Promise<Locator> {
  const c = cell(page, id);
  await c.locator('astro-island:not([ssr])').first().waitFor({ state: 'attached', timeout: 60_000 });
  return c;
}

/** Clicks Run and waits until the run has finished one way or another. */
export async function runCell(page: Page, id: string, timeout = 60_000): Promise<string> {
  const c = await hydrated(page, id);
  await c.locator('.cell-run').click();
  await c.locator(finished).waitFor({ timeout });
  return (await c.locator('.cell-island').getAttribute('data-status'))!;
}

/** Opens the cell's Monaco editor and replaces its code as a paste would (no auto-closing). */
export async function replaceCode(page: Page, id: string, code: string): Promise<void> {
  const c = await hydrated(page, id);
  if (await c.getByRole('button', { name: 'Edit' }).isVisible()) await c.getByRole('button', { name: 'Edit' }).click();
  const editor = c.locator('.cell-editor .monaco-editor');
  await expect(editor).toBeVisible({ timeout: 60_000 });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
}

/** The main thread still answers: a page frozen by readers' code could not run this. */
export async function expectPageResponsive(page: Page): Promise<void> {
  const started = Date.now();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  expect(Date.now() - started).toBeLessThan(5_000);
}
