// What every widget's Observable Plot figures share: a size whose type scales for slides, margins
// measured in font sizes, a transparent background (colours come from each widget's CSS
// variables, so a theme switch restyles a figure without a redraw), and one accessible image per
// figure.

export interface FigureSize {
  width: number;
  height: number;
  /** px; axis labels and ticks scale with it so slides stay readable from the back row. */
  fontSize: number;
}

/** Margins in units of the figure's font size. */
export interface Margins {
  left: number;
  bottom: number;
  top: number;
  right: number;
}

/** Plot.plot options for a figure of this size: at least `min` pixels, margins scaled with the type. */
export function plotFrame({ width, height, fontSize }: FigureSize, margins: Margins, min = { width: 200, height: 160 }) {
  return {
    width: Math.max(min.width, Math.floor(width)),
    height: Math.max(min.height, Math.floor(height)),
    marginLeft: Math.round(fontSize * margins.left),
    marginBottom: Math.round(fontSize * margins.bottom),
    marginTop: Math.round(fontSize * margins.top),
    marginRight: Math.round(fontSize * margins.right),
    style: { background: 'transparent', fontSize: `${fontSize}px`, overflow: 'visible' },
  };
}

/**
 * One accessible image per figure: the <svg> carries the name (and a description), and the marks'
 * own aria-labels go (Plot names every mark group, which ARIA forbids on a <g> without a role).
 */
export function asImage<T extends SVGSVGElement | HTMLElement>(figure: T, name?: string, description?: string): T {
  const svg = figure instanceof SVGSVGElement ? figure : figure.querySelector('svg');
  svg?.querySelectorAll('[aria-label]').forEach((el) => el.removeAttribute('aria-label'));
  svg?.querySelectorAll('[aria-description]').forEach((el) => el.removeAttribute('aria-description'));
  svg?.setAttribute('role', 'img');
  if (name) svg?.setAttribute('aria-label', name);
  if (description) svg?.setAttribute('aria-description', description);
  return figure;
}
