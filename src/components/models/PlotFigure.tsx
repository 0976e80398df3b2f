// Mounts an Observable Plot figure and replaces it when its inputs change.
import { useEffect, useRef } from 'preact/hooks';

export function PlotFigure({ make, deps, class: cls }: { make: () => Element | null; deps: unknown[]; class?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fig = make();
    el.replaceChildren(...(fig ? [fig] : []));
    return () => fig?.remove();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return <div ref={ref} class={cls ?? 'model-plot'} />;
}
