// Mounts an Observable Plot figure and replaces it when its inputs change.
import { useEffect, useRef } from 'preact/hooks';

/**
 * Plot names every mark's <g> with aria-label, which ARIA forbids on an element without a role:
 * a named chart becomes one image with its name, an unnamed one (thumbnails, legends) is hidden
 * from assistive technology (its button or caption names it).
 */
function makeAccessible(fig: Element): void {
  const svgs = fig.tagName.toLowerCase() === 'svg' ? [fig] : Array.from(fig.querySelectorAll('svg'));
  for (const svg of svgs) {
    const name = svg.getAttribute('aria-label');
    svg.querySelectorAll('[aria-label]').forEach((el) => el.removeAttribute('aria-label'));
    if (name) {
      svg.setAttribute('role', 'img');
      svg.setAttribute('aria-label', name);
    } else {
      svg.setAttribute('aria-hidden', 'true');
    }
  }
}

export function PlotFigure({ make, deps, class: cls }: { make: () => Element | null; deps: unknown[]; class?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fig = make();
    if (fig) makeAccessible(fig);
    el.replaceChildren(...(fig ? [fig] : []));
    return () => fig?.remove();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return <div ref={ref} class={cls ?? 'model-plot'} />;
}
