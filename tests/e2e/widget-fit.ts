// Does a widget fit the frame it was given? What a lecturer's audience would notice: a control, a
// figure or a heading cut off by the frame's edge, or two of them drawn over each other.
import { expect, type Frame, type Page } from '@playwright/test';

/**
 * Waits until the embed has drawn: its widget says it is ready, or its loading has gone quiet.
 * `awaitReady: false` skips the wait for the ready mark (a widget already waited for, now resized).
 */
export async function widgetSettled(scope: Page | Frame, { awaitReady = true } = {}): Promise<void> {
  await expect(scope.locator('.widget-host-embed .widget-fit > :not(.widget-host-loading)').first()).toBeAttached({ timeout: 30_000 });
  // Widgets mark themselves ready (data-ready / data-widget-ready = "true"), or settled and waiting
  // for the reader (data-widget-ready = "waiting": the remote model asks before downloading); one
  // that marks neither is given 30 s, so readiness is awaited, not required.
  if (awaitReady) {
    await scope
      .locator('[data-ready="true"], [data-widget-ready="true"], [data-widget-ready="waiting"]')
      .first()
      .waitFor({ state: 'attached', timeout: 30_000 })
      .catch(() => undefined);
  }
  // Let ResizeObservers, the redraws they schedule and the host's fitting (data-scale) finish.
  let last = '';
  let same = 0;
  for (let i = 0; i < 40 && same < 3; i++) {
    await scope.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 250)))));
    const now = (await scope.locator('.widget-host-embed').getAttribute('data-scale')) ?? '';
    same = now === last ? same + 1 : 0;
    last = now;
  }
}

/**
 * Problems with how the widget inside `.widget-host-embed` fits its frame, as sentences (empty when
 * it fits): essentials (figures, controls, headings, captions, readouts) cut by the frame or by an
 * ancestor that clips, and essentials that overlap one another.
 */
export async function fitProblems(scope: Page | Frame): Promise<string[]> {
  return scope.evaluate(() => {
    const SLACK = 2; // px: anti-aliasing and rounding
    const root = document.querySelector('.widget-host-embed');
    if (!root) return ['no .widget-host-embed on the page'];
    const vw = document.documentElement.clientWidth;
    const vh = document.documentElement.clientHeight;
    const essentials = 'svg, canvas, img, input, select, button, textarea, figcaption, legend, h2, h3, h4, output, table, p';
    const describe = (el: Element): string => {
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 30);
      return `<${el.tagName.toLowerCase()}${cls}>${text ? ` "${text}"` : ''}`;
    };
    const shown = (el: Element): boolean => {
      if (el.closest('.visually-hidden, [hidden], [aria-hidden="true"]')) return false;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none' || Number(style.opacity) === 0) return false;
      const r = el.getBoundingClientRect();
      return r.width > 1 && r.height > 1;
    };
    const items = [...root.querySelectorAll(essentials)].filter(
      // An svg inside another svg (Plot's legends, marks) is part of its figure, not a separate item.
      (el) => shown(el) && !(el.tagName.toLowerCase() !== 'svg' && el.closest('svg')) && !el.parentElement?.closest('svg'),
    );
    const problems: string[] = [];
    /** The nearest ancestor the reader can scroll: what is inside it only has to fit in it. */
    const scroller = (el: Element): Element | null => {
      for (let a = el.parentElement; a && a !== root; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (/(auto|scroll)/.test(style.overflowX + style.overflowY)) return a;
      }
      return null;
    };
    /** What of an element shows: inside a scrolling panel, the part within the panel. */
    const visible = (el: Element): DOMRect => {
      const r = el.getBoundingClientRect();
      const panel = scroller(el);
      if (!panel) return r;
      const c = panel.getBoundingClientRect();
      const left = Math.max(r.left, c.left);
      const top = Math.max(r.top, c.top);
      return new DOMRect(left, top, Math.max(0, Math.min(r.right, c.right) - left), Math.max(0, Math.min(r.bottom, c.bottom) - top));
    };
    for (const el of items) {
      const box = scroller(el) ?? el;
      const r = box.getBoundingClientRect();
      if (r.left < -SLACK || r.top < -SLACK || r.right > vw + SLACK || r.bottom > vh + SLACK) {
        problems.push(`${describe(el)} is cut by the ${vw}×${vh} frame (${Math.round(r.left)},${Math.round(r.top)} to ${Math.round(r.right)},${Math.round(r.bottom)})`);
        continue;
      }
      for (let a = box.parentElement; a && a !== document.body; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
        const c = a.getBoundingClientRect();
        if (r.left < c.left - SLACK || r.top < c.top - SLACK || r.right > c.right + SLACK || r.bottom > c.bottom + SLACK) {
          problems.push(`${describe(el)} is clipped by ${describe(a)}`);
          break;
        }
      }
    }
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const a = items[i]!;
        const b = items[j]!;
        if (a.contains(b) || b.contains(a)) continue;
        const ra = visible(a);
        const rb = visible(b);
        const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (w > 4 && h > 4) problems.push(`${describe(a)} overlaps ${describe(b)} by ${Math.round(w)}×${Math.round(h)} px`);
      }
    }
    return problems;
  });
}
