// Every registered widget in the frames lecturers really give it: a 4:3 Marp slide's space under a
// title and two bullets (720×430), a small frame (480×320) and a wide strip under a 16:9 title
// (1120×480). In each it must show its essentials with nothing cut off and nothing drawn over
// anything else (a compact layout, see widget-host.css). The widgets come from the built
// /embed/<slug>/ pages, one per registry entry, so a new widget is checked without a new test.
import { mkdirSync, readdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { fitProblems, widgetSettled } from './widget-fit';

const dist = process.env.E2E_DIST ?? new URL('../../dist', import.meta.url).pathname;
const slugs = readdirSync(`${dist}/embed`, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const FRAMES = [
  [720, 430],
  [480, 320],
  [1120, 480],
] as const;
const screens = 'test-results/compact-screens';
mkdirSync(screens, { recursive: true });

test('every registry widget has an embed page to check', () => {
  expect(slugs.length).toBeGreaterThan(10);
});

for (const slug of slugs) {
  test(`${slug} fits frames from 480×320 up`, async ({ page }) => {
    await page.setViewportSize({ width: FRAMES[0][0], height: FRAMES[0][1] });
    await page.goto(`/embed/${slug}/?theme=light`);
    const found: string[] = [];
    for (const [i, [width, height]] of FRAMES.entries()) {
      await page.setViewportSize({ width, height });
      // readiness once (a widget that waits for the reader never marks it); then only the refit
      await widgetSettled(page, { awaitReady: i === 0 });
      await page.screenshot({ path: `${screens}/${slug}-${width}x${height}.png` });
      for (const p of await fitProblems(page)) found.push(`${width}×${height}: ${p}`);
    }
    expect(found).toEqual([]);
  });
}
