import { expect, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { sitemapPaths, watchForProblems } from './site';

const pages = sitemapPaths();

test.describe('every page in the sitemap', () => {
  for (const path of pages) {
    test(`${path} loads cleanly and passes axe`, async ({ page }) => {
      const problems = watchForProblems(page);
      const response = await page.goto(path, { waitUntil: 'networkidle' });
      expect(response?.status()).toBe(200);
      await expect(page.locator('h1').first()).toBeVisible();
      const axe = await new AxeBuilder({ page }).analyze();
      const severe = axe.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
      expect(severe, 'serious or critical accessibility violations').toEqual([]);
      // Code wraps rather than scrolls sideways, so no block needs a late script to make it a
      // keyboard-reachable scroll region (axe's verdict on that raced the script in CI).
      const sideways = await page.$$eval('.expressive-code pre', (pres) =>
        pres.filter((p) => p.scrollWidth > p.clientWidth + 1).map((p) => p.textContent!.slice(0, 40)),
      );
      expect(sideways, 'code blocks that scroll sideways').toEqual([]);
      expect(problems).toEqual([]);
    });
  }
});

test('KaTeX formulas are rendered to HTML at build time', async ({ page }) => {
  await page.goto('/how-to-use/');
  const display = page.locator('.katex-display .katex-html').first();
  await expect(display).toBeVisible();
  // Rendered math has real glyph boxes with width, and KaTeX's fonts are applied.
  const box = await display.boundingBox();
  expect(box!.width).toBeGreaterThan(100);
  const font = await page.locator('.katex .mathnormal').first().evaluate((el) => getComputedStyle(el).fontFamily);
  expect(font).toContain('KaTeX_Math');
  // No raw TeX left in the prose outside the rendered formulas.
  const proseOutsideMath = await page.locator('main').evaluate((main) => {
    const copy = main.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.katex').forEach((el) => el.remove());
    return copy.textContent ?? '';
  });
  expect(proseOutsideMath).not.toMatch(/\$\$|\\(prod|frac|operatorname)/);
});

test('search for "attention" returns a hit', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Search' }).first().click();
  const input = page.getByPlaceholder(/search/i);
  await input.fill('attention');
  const firstHit = page.locator('.pagefind-ui__result-link').first();
  await expect(firstHit).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('.pagefind-ui__result-link')).not.toHaveCount(0);
});

test('dark-mode toggle switches the theme and is remembered', async ({ page }) => {
  await page.goto('/how-to-use/');
  const select = page.locator('starlight-theme-select select').first();
  await select.selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const darkBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await select.selectOption('light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  const lightBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(darkBg).not.toBe(lightBg);
  await select.selectOption('dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('on a phone the sidebar folds into a menu', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto('/how-to-use/');
  const sidebarLink = page.locator('#starlight__sidebar').getByRole('link', { name: 'How to use this book' });
  await expect(sidebarLink).toBeHidden();
  await page.getByRole('button', { name: 'Menu' }).click();
  await expect(sidebarLink).toBeVisible();
  await context.close();
});

test('on a phone, formulas and tables that scroll sideways can be reached by keyboard, and only they', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  for (const path of ['/attention-pooling/', '/models/']) {
    await page.goto(path, { waitUntil: 'networkidle' });
    // The page has such blocks at this width (else the test would prove nothing)…
    const overflowing = () => page.$$eval('.sl-markdown-content .katex-display, .sl-markdown-content table',
      (els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).length);
    expect(await overflowing(), path).toBeGreaterThan(0);
    // …each of them becomes a tab stop, and axe finds no scroll region out of keyboard reach.
    await expect.poll(() => page.locator('[data-scroll-region]').count(), { message: path }).toBe(await overflowing());
    const axe = await new AxeBuilder({ page }).withRules(['scrollable-region-focusable']).analyze();
    expect(axe.violations.map((v) => v.nodes.map((n) => n.target.join(' '))).flat(), path).toEqual([]);
  }
  // At desktop width the same page's formulas fit, and none of them is left in the tab order.
  const desktop = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await desktop.goto('/attention-pooling/', { waitUntil: 'networkidle' });
  await expect(desktop.locator('.katex-display').first()).toBeVisible();
  const fitting = await desktop.$$eval('.sl-markdown-content .katex-display', (els) => els.every((e) => e.scrollWidth <= e.clientWidth + 1));
  expect(fitting).toBe(true);
  expect(await desktop.locator('[data-scroll-region]').count()).toBe(0);
  await desktop.close();
  await context.close();
});
