// A lecturer's own Marp deck with the book's widgets: the deck is built by the real Marp CLI (HTML
// on, the one setting it needs) from a Markdown deck shaped like the lecture decks the book grew
// from, at 4:3 and 16:9, and opened from disk the way a lecturer opens it. On the widget's slide
// the widget fits its frame under the title and bullets, and moving its slider redraws it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import { marpSnippet, type EmbedAspect } from '../../src/components/embed/embed-code.ts';
import { fitProblems, widgetSettled } from './widget-fit';

const marpBin = new URL('../../node_modules/.bin/marp', import.meta.url).pathname;
const template = readFileSync(new URL('./fixtures/marp-deck.md', import.meta.url), 'utf8');

/** Builds the deck at one slide size with Marp CLI and returns the HTML file's path. */
function buildDeck(origin: string, aspect: EmbedAspect): string {
  const snippet = (slug: string, title: string, params: string, frame?: { width: number; height: number }) =>
    marpSnippet({ origin, base: '/', slug, title, params: new URLSearchParams(params), theme: 'light', aspect, frame });
  // Under a title and two bullets (in place of deck 000's first figure) about 300 px are left.
  const underBullets = aspect === '4:3' ? { width: 720, height: 300 } : { width: 1000, height: 300 };
  const deck = template
    .replace('{{SIZE}}', aspect)
    .replace('{{ATTENTION_POOLING}}', snippet('attention-pooling', 'Attention pooling: kernel and bandwidth', 'kernel=gaussian&sigma=0.50', underBullets))
    .replace('{{ATTENTION_SCORING}}', snippet('attention-scoring', 'Attention scores to weights', ''))
    .replace('{{POSITIONAL_ENCODING}}', snippet('positional-encoding', 'Sinusoidal positional encoding explorer', ''));
  const dir = mkdtempSync(join(tmpdir(), 'marp-deck-'));
  writeFileSync(join(dir, 'deck.md'), deck);
  // --html is the one setting; no browser is needed to write HTML, so none is downloaded.
  execFileSync(marpBin, ['--html', '--no-config-file', join(dir, 'deck.md'), '-o', join(dir, 'deck.html')], {
    stdio: 'pipe',
    env: { ...process.env, BROWSER_PATH: '' },
  });
  return join(dir, 'deck.html');
}

for (const [aspect, viewport] of [
  ['4:3', { width: 1024, height: 768 }],
  ['16:9', { width: 1280, height: 720 }],
] as const) {
  test(`a Marp deck (${aspect}) shows a live widget under its title and bullets`, async ({ page, baseURL }) => {
    const html = buildDeck(new URL(baseURL!).origin, aspect);
    const built = readFileSync(html, 'utf8');
    expect(built).toContain('<iframe src="http');
    await page.setViewportSize(viewport);
    await page.goto(`${pathToFileURL(html).href}#2`);
    const slide = page.locator('svg[data-marpit-svg].bespoke-marp-active');
    await expect(slide.getByRole('heading', { name: 'Kernel regression' })).toBeVisible();
    const iframe = slide.locator('iframe');
    await expect(iframe).toBeVisible();
    // The frame sits inside the slide, below the bullets.
    const frameBox = (await iframe.boundingBox())!;
    const slideBox = (await slide.locator('section').boundingBox())!;
    const bullets = (await slide.locator('li').last().boundingBox())!;
    expect(frameBox.y).toBeGreaterThanOrEqual(bullets.y + bullets.height - 1);
    expect(frameBox.y + frameBox.height).toBeLessThanOrEqual(slideBox.y + slideBox.height + 1);

    const frame = page.frames().find((f) => f.url().includes('/embed/attention-pooling/'))!;
    expect(frame).toBeTruthy();
    await widgetSettled(frame);
    expect(await fitProblems(frame)).toEqual([]);
    await page.screenshot({ path: `test-results/marp-${aspect.replace(':', 'x')}.png` });

    const widget = frame.locator('.ap-widget');
    await expect(widget).toHaveAttribute('data-sigma', '0.50');
    const curve = () => frame.locator('.ap-fit-line path').first().getAttribute('d');
    const before = await curve();
    await frame.getByRole('slider', { name: 'Bandwidth σ' }).fill('1.2');
    await expect(widget).toHaveAttribute('data-sigma', '1.20');
    await expect.poll(curve).not.toBe(before);
    await expect(frame.locator('.ap-readout')).toHaveText('σ = 1.20');

    // The next widget slide works the same way: move on with the keyboard, as a lecturer does.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(page.locator('svg[data-marpit-svg].bespoke-marp-active').getByRole('heading', { name: 'Scores become weights' })).toBeVisible();
  });
}
