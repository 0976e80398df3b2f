// Widgets alone at /embed/<slug>/: state in the URL, slide-sized, keyboard operable, and working
// inside another site's iframe and a real reveal.js deck; "Copy embed code" in the book.
import { mkdirSync } from 'node:fs';
import { expect, test, type Frame, type FrameLocator, type Locator, type Page } from '@playwright/test';
import { embedSnippet } from '../../src/components/embed/embed-code.ts';
import { startHostServer } from './fixtures/host-server.ts';
import { watchForProblems } from './site';

const EMBED = '/embed/attention-pooling/';
const screens = 'test-results/embed-screens';
mkdirSync(screens, { recursive: true });

type Scope = Page | Frame | FrameLocator | Locator;

const widget = (scope: Scope): Locator => scope.locator('.ap-widget');
const slider = (scope: Scope): Locator => scope.getByRole('slider', { name: 'Bandwidth σ' });
const fitPath = (scope: Scope): Locator => scope.locator('.ap-fit-line path');
const heatmapImage = (scope: Scope): Locator => scope.locator('.ap-weights image');

/** Waits until the widget has computed and drawn the state it shows. */
async function drawn(scope: Scope, sigma?: string): Promise<void> {
  await expect(widget(scope)).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  if (sigma) await expect(widget(scope)).toHaveAttribute('data-sigma', sigma);
  await expect(fitPath(scope).first()).toBeAttached();
}

/** What a reader sees change when the plots redraw: the fitted curve and the heatmap image. */
async function pictures(scope: Scope): Promise<string> {
  const paths = await fitPath(scope).evaluateAll((ps) => ps.map((p) => p.getAttribute('d')).join('|'));
  const image = await heatmapImage(scope).getAttribute('href');
  return `${paths}#${image}`;
}

test.describe('embed page', () => {
  for (const [width, height] of [
    [1280, 720],
    [1024, 768],
  ] as const) {
    test(`reads its state from the URL and fills a ${width}×${height} slide without site chrome`, async ({ page }) => {
      const problems = watchForProblems(page);
      await page.setViewportSize({ width, height });
      await page.goto(`${EMBED}?kernel=epanechnikov&sigma=0.3&theme=light`);
      await drawn(page, '0.30');
      await expect(page.getByRole('radio', { name: 'Epanechnikov' })).toBeChecked();
      await expect(slider(page)).toHaveValue('0.3');
      await expect(page.locator('.ap-readout')).toHaveText('σ = 0.30');
      await expect(page.locator('h1')).toHaveText('Attention pooling: kernel and bandwidth');
      // No book chrome: no header, sidebar, search or table of contents.
      await expect(page.locator('header, nav, site-search, .sidebar-pane, starlight-toc')).toHaveCount(0);
      // Fills the viewport and never scrolls.
      const doc = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
      expect(doc.w).toBeLessThanOrEqual(width);
      expect(doc.h).toBeLessThanOrEqual(height);
      for (const svg of await page.locator('.ap-plot > svg').all()) {
        const box = (await svg.boundingBox())!;
        expect(box.width).toBeGreaterThan(width * 0.35);
        expect(box.y + box.height).toBeGreaterThan(height * 0.8);
      }
      // Large type: axis labels at least 18 px, the readout larger still.
      const tickPx = await page.locator('.ap-plot svg').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      expect(tickPx).toBeGreaterThanOrEqual(18);
      await page.screenshot({ path: `${screens}/embed-${width}x${height}.png` });
      expect(problems).toEqual([]);
    });
  }

  test('moving the slider or the kernel redraws both plots and keeps the URL in step', async ({ page }) => {
    const problems = watchForProblems(page);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`${EMBED}?kernel=gaussian&sigma=0.5&theme=dark`);
    await drawn(page, '0.50');
    const before = await pictures(page);
    await slider(page).fill('1.2');
    await drawn(page, '1.20');
    await expect(page.locator('.ap-readout')).toHaveText('σ = 1.20');
    expect(await pictures(page)).not.toBe(before);
    await expect.poll(() => new URL(page.url()).search).toBe('?kernel=gaussian&sigma=1.20&theme=dark');

    const gaussian = await pictures(page);
    await page.getByRole('radio', { name: 'Boxcar' }).check();
    await expect(widget(page)).toHaveAttribute('data-kernel', 'boxcar');
    await expect.poll(() => pictures(page)).not.toBe(gaussian);
    await expect.poll(() => new URL(page.url()).searchParams.get('kernel')).toBe('boxcar');
    await expect(page.locator('figcaption').first()).toHaveText('Fitted curve: Boxcar, σ = 1.20');

    // Reloading the updated URL restores the same state: a lecturer can bookmark a setting.
    await page.reload();
    await drawn(page, '1.20');
    await expect(page.getByRole('radio', { name: 'Boxcar' })).toBeChecked();
    expect(problems).toEqual([]);
  });

  test('is operable from the keyboard alone', async ({ page }) => {
    await page.goto(`${EMBED}?kernel=gaussian&sigma=0.5`);
    await drawn(page, '0.50');
    await page.keyboard.press('Tab'); // the checked kernel radio
    await expect(page.getByRole('radio', { name: 'Gaussian' })).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('radio', { name: 'Boxcar' })).toBeChecked();
    await page.keyboard.press('Tab');
    await expect(slider(page)).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await drawn(page, '0.52');
    await expect(page.locator('.ap-readout')).toHaveText('σ = 0.52');
    await expect(slider(page)).toHaveAttribute('aria-valuetext', /^σ = 0\.52/);
    await page.keyboard.press('Home');
    await drawn(page, '0.05');
  });

  test('queries with no training point in reach are shown as gaps, never NaN', async ({ page }) => {
    const problems = watchForProblems(page);
    await page.goto(`${EMBED}?kernel=boxcar&sigma=0.05`);
    await drawn(page, '0.05');
    const uncovered = Number(await widget(page).getAttribute('data-uncovered'));
    expect(uncovered).toBeGreaterThan(0);
    await expect(page.locator('.ap-coverage')).toHaveText(`${uncovered} of 100 queries have no training point within σ: no estimate there (grey).`);
    // Grey bands in both plots, one per uncovered query, and the fitted curve breaks into pieces.
    await expect(page.locator('.ap-plot').nth(0).locator('.ap-gaps rect')).toHaveCount(uncovered);
    await expect(page.locator('.ap-plot').nth(1).locator('.ap-gaps rect')).toHaveCount(uncovered);
    const d = (await fitPath(page).evaluateAll((ps) => ps.map((p) => p.getAttribute('d') ?? '').join(' ')));
    expect(d.match(/M/g)!.length).toBeGreaterThan(1);
    expect(await widget(page).innerHTML()).not.toMatch(/NaN/);
    // The Gaussian never leaves a query uncovered, however small σ is.
    await page.getByRole('radio', { name: 'Gaussian' }).check();
    await expect(widget(page)).toHaveAttribute('data-uncovered', '0');
    await expect(page.locator('.ap-gaps rect')).toHaveCount(0);
    expect(problems).toEqual([]);
  });

  test('follows ?theme= and otherwise the viewer’s colour scheme', async ({ browser }) => {
    const background = async (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const context = await browser.newContext({ colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto(EMBED);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    const dark = await background(page);
    await page.goto(`${EMBED}?theme=light`);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    expect(await background(page)).not.toBe(dark);
    await context.close();
  });
});

test.describe('in a chapter', () => {
  test('"Copy embed code" copies an <iframe> with the widget’s current state', async ({ page, context, baseURL }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(baseURL!).origin });
    const problems = watchForProblems(page);
    await page.goto('/lecturers/');
    const frame = page.locator('.widget-frame[data-widget="attention-pooling"]');
    await frame.scrollIntoViewIfNeeded();
    await drawn(frame);
    await frame.getByRole('radio', { name: 'Epanechnikov' }).check();
    await slider(frame).fill('0.8');
    await drawn(frame, '0.80');
    await frame.getByRole('combobox', { name: 'Size' }).selectOption('4:3');
    await frame.getByRole('button', { name: 'Copy embed code' }).click();
    await expect(frame.getByRole('status').filter({ hasText: 'clipboard' })).toHaveText('Copied to the clipboard.');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const origin = new URL(baseURL!).origin;
    expect(copied).toBe(
      `<iframe src="${origin}/embed/attention-pooling/?kernel=epanechnikov&amp;sigma=0.80" title="Attention pooling: kernel and bandwidth (Attention Lab)" width="800" height="600" style="border: 0; max-width: 100%; aspect-ratio: 800 / 600; height: auto;" loading="lazy" allow="fullscreen"></iframe>`,
    );
    await expect(frame.getByRole('textbox', { name: /Embed code/ })).toHaveValue(copied);
    expect(problems).toEqual([]);
  });

  test('the attention-pooling chapter shows the widget under "Try it: kernel and bandwidth"', async ({ page }) => {
    await page.goto('/attention-pooling/');
    const section = page.locator('.widget-frame[data-widget="attention-pooling"]');
    await expect(section).toHaveCount(1);
    const heading = await section.evaluate((el) => {
      const before = [...document.querySelectorAll('main h2')].filter((h) => h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
      return before.at(-1)?.textContent?.trim();
    });
    expect(heading).toBe('Try it: kernel and bandwidth');
    await section.scrollIntoViewIfNeeded();
    await drawn(section, '0.50');
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`the widget reads well in the ${theme} theme`, async ({ page }) => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
      await page.goto('/lecturers/');
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      const frame = page.locator('.widget-frame[data-widget="attention-pooling"]');
      await frame.scrollIntoViewIfNeeded();
      await drawn(frame);
      // The fitted curve stands out from the page background in either theme.
      const [stroke, background] = await frame.locator('.ap-fit-line').evaluate((g) => [
        getComputedStyle(g).stroke,
        getComputedStyle(document.body).backgroundColor,
      ]);
      expect(stroke).not.toBe(background);
      expect(stroke).toBe(theme === 'dark' ? 'rgb(251, 146, 60)' : 'rgb(194, 65, 12)');
      await frame.screenshot({ path: `${screens}/chapter-${theme}.png` });
    });
  }
});

test.describe('embedded elsewhere', () => {
  test('works inside a cross-origin iframe on another site', async ({ page, baseURL }) => {
    const snippet = embedSnippet({
      origin: new URL(baseURL!).origin,
      base: '/',
      slug: 'attention-pooling',
      params: new URLSearchParams({ kernel: 'gaussian', sigma: '0.50' }),
      title: 'Attention pooling: kernel and bandwidth',
    });
    const host = await startHostServer({ snippet });
    try {
      const problems = watchForProblems(page);
      await page.goto(`${host.origin}/host.html`);
      const frame = page.frameLocator('iframe[title^="Attention pooling"]');
      await drawn(frame, '0.50');
      const before = await pictures(frame);
      // Drag the slider thumb with the mouse, as in a lecture.
      const box = (await slider(frame).boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.23, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 8 });
      await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
      await expect(widget(frame)).not.toHaveAttribute('data-sigma', '0.50');
      await expect.poll(() => pictures(frame)).not.toBe(before);
      const sigma = await widget(frame).getAttribute('data-sigma');
      expect(Number(sigma)).toBeGreaterThan(1.2);
      // The frame's own URL follows the state; the host page's does not change.
      const embedFrame = page.frames().find((f) => f.url().includes('/embed/attention-pooling/'))!;
      await expect.poll(() => new URL(embedFrame.url()).searchParams.get('sigma')).toBe(sigma);
      expect(page.url()).toBe(`${host.origin}/host.html`);
      // No cross-origin isolation is needed, and none is present.
      expect(await embedFrame.evaluate(() => self.crossOriginIsolated)).toBe(false);
      expect(problems).toEqual([]);
    } finally {
      await host.close();
    }
  });

  test('works on a reveal.js slide', async ({ page, baseURL }) => {
    const host = await startHostServer({ embedUrl: `${new URL(baseURL!).origin}${EMBED}?kernel=boxcar&sigma=0.4&theme=light` });
    try {
      const problems = watchForProblems(page);
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.goto(`${host.origin}/deck.html`);
      await expect(page.locator('.reveal .slides section').first()).toHaveClass(/present/);
      await page.keyboard.press('ArrowRight');
      await expect(page.locator('.reveal .slides section').nth(1)).toHaveClass(/present/);
      await expect(page).toHaveURL(/#\/1$/);
      const frame = page.frameLocator('.reveal section.present iframe.widget');
      await drawn(frame, '0.40');
      await expect(frame.getByRole('radio', { name: 'Boxcar' })).toBeChecked();
      const before = await pictures(frame);
      await slider(frame).focus();
      for (let i = 0; i < 20; i++) await slider(frame).press('ArrowLeft');
      await drawn(frame, '0.20');
      await expect.poll(() => pictures(frame)).not.toBe(before);
      // Arrow keys went to the slider, not to reveal.js: the deck is still on the same slide.
      await expect(page).toHaveURL(/#\/1$/);
      await page.screenshot({ path: `${screens}/reveal-slide.png` });
      expect(problems).toEqual([]);
    } finally {
      await host.close();
    }
  });
});
