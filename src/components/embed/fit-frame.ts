// Keeps an embedded widget whole in whatever frame a lecturer gives it (a Marp slide's space under
// a title and bullets, a small iframe). Widgets lay themselves out for the frame and, below about
// 640 × 480, switch to their compact layout (compact.css); if something still does not fit — a
// figure cut by the frame's edge, a plot drawn over a heading — the host lays the widget out in a
// larger virtual frame and scales it down to the real one, step by step, until nothing does.
import { useEffect, useRef, useState, type MutableRef } from 'preact/hooks';

/** What a viewer must see whole and apart: figures, controls, headings, captions, readouts. */
const ESSENTIALS = 'svg, canvas, img, input, select, button, textarea, figcaption, legend, h2, h3, h4, output, table, p';
const SLACK = 2;

function shown(el: Element): boolean {
  if (el.closest('.visually-hidden, [hidden], [aria-hidden="true"]')) return false;
  const style = getComputedStyle(el);
  if (style.visibility === 'hidden' || style.display === 'none' || Number(style.opacity) === 0) return false;
  const r = el.getBoundingClientRect();
  return r.width > 1 && r.height > 1;
}

/** How many essentials are cut by the frame or a clipping ancestor, or overlap another. */
export function misfits(root: Element, frame: DOMRect): number {
  const items = [...root.querySelectorAll(ESSENTIALS)].filter(
    (el) => shown(el) && !(el.tagName.toLowerCase() !== 'svg' && el.closest('svg')) && !el.parentElement?.closest('svg'),
  );
  // Inside a panel the reader can scroll, only the panel has to fit, and only its visible part counts.
  const panels = items.map((el) => {
    for (let a = el.parentElement; a && a !== root; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (/(auto|scroll)/.test(style.overflowX + style.overflowY)) return a;
    }
    return null;
  });
  const rects = items.map((el, i) => {
    const r = el.getBoundingClientRect();
    const panel = panels[i];
    if (!panel) return r;
    const c = panel.getBoundingClientRect();
    const left = Math.max(r.left, c.left);
    const top = Math.max(r.top, c.top);
    return new DOMRect(left, top, Math.max(0, Math.min(r.right, c.right) - left), Math.max(0, Math.min(r.bottom, c.bottom) - top));
  });
  let count = 0;
  items.forEach((el, i) => {
    const box = panels[i] ?? el;
    const r = box.getBoundingClientRect();
    if (r.left < frame.left - SLACK || r.top < frame.top - SLACK || r.right > frame.right + SLACK || r.bottom > frame.bottom + SLACK) {
      count++;
      return;
    }
    for (let a = box.parentElement; a && a !== root.parentElement; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
      const c = a.getBoundingClientRect();
      if (r.left < c.left - SLACK || r.top < c.top - SLACK || r.right > c.right + SLACK || r.bottom > c.bottom + SLACK) {
        count++;
        return;
      }
    }
  });
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      if (items[i]!.contains(items[j]!) || items[j]!.contains(items[i]!)) continue;
      const a = rects[i]!;
      const b = rects[j]!;
      if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 4 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 4) count++;
    }
  }
  return count;
}

const STEP = 0.88;
// On a slide the frame itself is shown larger than its CSS size, so half-size type still reads.
const MIN_SCALE = 0.45;
const SETTLE_MS = 150;

/**
 * The scale (1 = none) at which the widget inside `frame` fits it. Re-measured when the frame
 * changes size (from scale 1 again) and when the widget redraws (only ever smaller then).
 */
export function useFitToFrame(frame: MutableRef<HTMLElement | null>, enabled: boolean): number {
  const [scale, setScale] = useState(1);
  const scaleRef = useRef(1);
  scaleRef.current = scale;

  useEffect(() => {
    const host = frame.current;
    if (!enabled || !host || typeof ResizeObserver === 'undefined') return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const bounds = host.getBoundingClientRect();
        if (bounds.width < 1 || bounds.height < 1) return;
        if (misfits(host, bounds) > 0 && scaleRef.current > MIN_SCALE) {
          const next = Math.max(MIN_SCALE, Math.round(scaleRef.current * STEP * 100) / 100);
          scaleRef.current = next;
          setScale(next);
          // A widget that lays out with CSS alone does not redraw: look again after the reflow.
          check();
        }
      }, SETTLE_MS);
    };
    let last = '';
    const resize = new ResizeObserver(() => {
      const size = `${host.clientWidth}x${host.clientHeight}`;
      if (size === last) return;
      last = size;
      scaleRef.current = 1;
      setScale(1);
      check();
    });
    resize.observe(host);
    // Widgets draw after they load and after every change: look again once they have. A widget
    // that has just become ready (a model loaded) starts again from full size: what overflowed
    // while it loaded may be gone.
    const mutations = new MutationObserver((records) => {
      if (records.some((r) => r.type === 'attributes' && r.attributeName !== 'class' && r.attributeName !== 'hidden')) {
        scaleRef.current = 1;
        setScale(1);
      }
      check();
    });
    mutations.observe(host, { childList: true, subtree: true, attributes: true, attributeFilter: ['class', 'data-ready', 'data-widget-ready', 'hidden'] });
    return () => {
      clearTimeout(timer);
      resize.disconnect();
      mutations.disconnect();
    };
  }, [frame, enabled]);

  return scale;
}
