// Display math and tables scroll sideways when they are wider than the column: on a phone, or
// at the zoom a low-vision reader uses. A block that scrolls must be reachable by keyboard, or
// its hidden part is out of reach without a mouse (WCAG 2.1.1), so each such block is focusable
// while, and only while, it overflows; elsewhere it stays out of the tab order.
const SCROLLING_BLOCKS = '.sl-markdown-content .katex-display, .sl-markdown-content table';
const MARK = 'data-scroll-region';

function update(el: Element): void {
  const overflows = el.scrollWidth > el.clientWidth + 1;
  if (overflows && !el.hasAttribute('tabindex')) {
    el.setAttribute('tabindex', '0');
    el.setAttribute(MARK, '');
  } else if (!overflows && el.hasAttribute(MARK)) {
    el.removeAttribute('tabindex');
    el.removeAttribute(MARK);
  }
}

export function watchScrollRegions(root: ParentNode): void {
  const blocks = [...root.querySelectorAll(SCROLLING_BLOCKS)];
  if (blocks.length === 0) return;
  // Size changes come through the observer (its first report arrives for every block);
  // web fonts change the content's width without resizing the block, so check once more then.
  const observer = new ResizeObserver((entries) => entries.forEach((e) => update(e.target)));
  for (const el of blocks) observer.observe(el);
  void document.fonts?.ready.then(() => blocks.forEach(update));
}
